//! assemble: documents → cases. A sub-folder of the inbox is one submission; its
//! `application.json` and the documents read from its scans become one [`Case`] for `rules`.
//!
//! This module decides nothing: it only gathers, and marks which read values are sure enough for
//! the rules to rely on (the confidence threshold lives here, so the rules never see a float).

pub mod application;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use application::Application;

use crate::document::Document;

/// A document as a case holds it: what was read, where it came from, and which values are unsure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDocument {
    /// File name as it arrived.
    pub file: String,
    /// Lower-case hex SHA-256 of the original bytes.
    pub sha256: String,
    pub doc: Document,
    /// Field names (and `items` for the breakdown) whose reading is not sure enough to pay on.
    pub unsure: BTreeSet<String>,
}

impl CaseDocument {
    pub fn is_sure(&self, field: &str) -> bool {
        !self.unsure.contains(field)
    }
}

/// One submission: the application and the documents that came with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub case_id: String,
    pub application: Application,
    pub documents: Vec<CaseDocument>,
}
