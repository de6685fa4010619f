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

/// A document read from a file, with the file's identity.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedDocument {
    pub file: String,
    pub sha256: String,
    pub doc: Document,
}

/// Gathers a submission into a case. A field the extractor doubted is unsure, and so is one it only
/// read (no check for or against it) with an engine score below `review_below`; so is the breakdown
/// (`items`) when any line is. A name that almost matches the applicant's (one
/// character off) is unsure too, however many readings agreed on it: it is either a misread of the
/// applicant's name or another person's, and kyufu cannot tell which — a person can.
pub fn assemble(
    case_id: &str,
    application: Application,
    documents: Vec<SourcedDocument>,
    review_below: f32,
) -> Case {
    let applicant = application
        .applicant
        .name
        .as_deref()
        .map(crate::extract::normalize::compact);
    let documents = documents
        .into_iter()
        .map(|d| {
            let mut unsure: BTreeSet<String> = d
                .doc
                .fields
                .iter()
                .filter(|(_, f)| !f.relied_on(review_below))
                .map(|(k, _)| k.clone())
                .collect();
            if d.doc.items.iter().any(|i| !i.relied_on(review_below)) {
                unsure.insert("items".to_string());
            }
            // A name one character off the applicant's may be a misread of it (子 read as チ),
            // even where every reading gave it alike: a fax's 田 was read 山 by Tesseract at every
            // scale and by PP-OCRv6 (seed 23 sub019: 「福山 恵子」 for 福田 恵子 asked the family
            // for another certificate). 鈴木 洋子 for 鈴木 陽子 may be another person; a person
            // tells.
            // But a one-glyph given (or family) name read as another whole one by two engines alike
            // (「吉田 茂」 for the applicant 吉田 瞳, seed 83 sub040) is another person's name: no
            // misread turns 瞳 into 茂 in both.
            for name_field in ["payer_name", "trainee_name"] {
                let Some(field) = d.doc.field(name_field) else {
                    continue;
                };
                if let (Some(read), Some(app)) = (field.value.as_text(), applicant.as_deref()) {
                    let compact_read = crate::extract::normalize::compact(read);
                    let off = crate::extract::normalize::char_distance(&compact_read, app);
                    let another = field.certainty == crate::document::Certainty::Agreed
                        && another_one_glyph_part(
                            read,
                            application.applicant.name.as_deref().unwrap_or_default(),
                        );
                    if off == 1 && app.chars().count() >= 3 && !another {
                        unsure.insert(name_field.to_string());
                    }
                }
            }
            CaseDocument {
                file: d.file,
                sha256: d.sha256,
                doc: d.doc,
                unsure,
            }
        })
        .collect();
    Case {
        case_id: case_id.to_string(),
        application,
        documents,
    }
}

/// Whether `read` and `applicant` (each spaced between family and given name) share one part and
/// differ in the other, a single glyph in both.
fn another_one_glyph_part(read: &str, applicant: &str) -> bool {
    let read: Vec<&str> = read.split_whitespace().collect();
    let applicant: Vec<&str> = applicant.split_whitespace().collect();
    if read.len() != 2 || applicant.len() != 2 {
        return false;
    }
    let differing: Vec<_> = read
        .iter()
        .zip(&applicant)
        .filter(|(r, a)| r != a)
        .collect();
    matches!(differing[..], [(r, a)] if r.chars().count() == 1 && a.chars().count() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Certainty, DocKind, Field, Value};

    fn receipt(payer: &str, conf: f32, certainty: Certainty) -> SourcedDocument {
        let mut doc = Document {
            source: "r.jpg".into(),
            pages: vec![1],
            kind: DocKind::Receipt,
            fields: Default::default(),
            items: vec![],
            findings: vec![],
        };
        doc.fields.insert(
            "payer_name".into(),
            Field {
                confidence: conf,
                certainty,
                ..Field::sure(Value::Text(payer.into()))
            },
        );
        SourcedDocument {
            file: "r.jpg".into(),
            sha256: "00".into(),
            doc,
        }
    }

    fn app(name: &str) -> Application {
        let mut a = Application::default();
        a.applicant.name = Some(name.into());
        a
    }

    #[test]
    fn low_confidence_and_near_miss_names_are_unsure() {
        let read = Certainty::Read;
        let c = assemble(
            "1",
            app("山田 花子"),
            vec![receipt("山田 花子", 0.5, read)],
            0.8,
        );
        assert!(!c.documents[0].is_sure("payer_name"), "low confidence");
        let c = assemble(
            "1",
            app("山田 花子"),
            vec![receipt("山田 花了", 0.95, read)],
            0.8,
        );
        assert!(!c.documents[0].is_sure("payer_name"), "one character off");
        let agreed = Certainty::Agreed;
        let c = assemble(
            "1",
            app("山田 花子"),
            vec![receipt("山田 洋子", 0.6, agreed)],
            0.8,
        );
        assert!(
            !c.documents[0].is_sure("payer_name"),
            "one character off, though agreed on by every reading"
        );
        let c = assemble(
            "1",
            app("佐藤 瞳"),
            vec![receipt("佐藤 茂", 0.9, agreed)],
            0.8,
        );
        assert!(
            c.documents[0].is_sure("payer_name"),
            "a one-glyph given name read as another by two engines is someone else's"
        );
        let c = assemble(
            "1",
            app("佐藤 瞳"),
            vec![receipt("佐藤 茂", 0.9, read)],
            0.8,
        );
        assert!(
            !c.documents[0].is_sure("payer_name"),
            "read once, it may be a misread"
        );
        let c = assemble(
            "1",
            app("山田 花子"),
            vec![receipt("佐藤 一郎", 0.95, read)],
            0.8,
        );
        assert!(c.documents[0].is_sure("payer_name"), "clearly someone else");
        let c = assemble(
            "1",
            app("山田 花子"),
            vec![receipt("山田 花子", 0.95, read)],
            0.8,
        );
        assert!(c.documents[0].is_sure("payer_name"));
    }

    /// The config's threshold applies to raw scores only: a value a check confirmed stays sure
    /// however high `review_below` is set, one a check doubted is unsure however well it was read.
    #[test]
    fn review_below_applies_to_raw_scores_not_to_verdicts() {
        use crate::document::{Check, Doubt};
        let confirmed = Certainty::Sure(Check::Application);
        let c = assemble(
            "1",
            app("山田 花子"),
            vec![receipt("山田 花子", 0.7, confirmed)],
            0.99,
        );
        assert!(c.documents[0].is_sure("payer_name"));
        let doubted = Certainty::Doubtful(Doubt::Repaired);
        let c = assemble(
            "1",
            app("山田 花子"),
            vec![receipt("佐藤 一郎", 0.99, doubted)],
            0.5,
        );
        assert!(!c.documents[0].is_sure("payer_name"));
        let read = Certainty::Read;
        let c = assemble(
            "1",
            app("山田 花子"),
            vec![receipt("佐藤 一郎", 0.85, read)],
            0.9,
        );
        assert!(!c.documents[0].is_sure("payer_name"), "raised threshold");
    }
}
