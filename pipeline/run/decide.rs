//! `kyufu decide`: one submission folder read and decided as `run` would, without the journal and
//! without writing anything. A file that cannot be read is a document of unknown kind, as in `run`.
//!
//! Called by `main.rs`.

use std::path::Path;

use tracing::warn;

use crate::case::{self, SourcedDocument};
use crate::config::Config;
use crate::decision::Decision;
use crate::document::Document;
use crate::rules::{self, Parameters};

use super::files::sha256_hex;
use super::submission::SubmissionFiles;
use super::{hints_from, io, Reader, RunError};

/// Decides a submission folder without writing anything (`kyufu decide`).
pub fn decide_folder(cfg: &Config, reader: &Reader, dir: &Path) -> Result<Decision, RunError> {
    let files =
        SubmissionFiles::read_folder(dir).map_err(io(format!("{} を読めません", dir.display())))?;
    if let Some(problem) = &files.application_problem {
        // As in `run`, where the file goes to quarantine with this reason: the case is decided
        // without it, so the decision names the facts it lacks.
        warn!(folder = %dir.display(), "{problem}");
    }
    let inputs: Vec<(&str, &[u8])> = files
        .scans
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let mut documents = Vec::new();
    let hints = hints_from(&files.application);
    for ((name, bytes), result) in files.scans.iter().zip(reader.read_many(&inputs, &hints)) {
        let sha = sha256_hex(bytes);
        // As in `run`: a file that cannot be read is a document of unknown kind, not left out.
        let docs = result.unwrap_or_else(|e| vec![Document::unreadable(name, &e.to_string())]);
        documents.extend(docs.into_iter().map(|doc| SourcedDocument {
            file: name.clone(),
            sha256: sha.clone(),
            doc,
        }));
    }
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let case = case::assemble(&id, files.application, documents, cfg.review_below);
    Ok(rules::decide(&case, &Parameters::embedded()))
}
