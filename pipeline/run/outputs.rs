//! A case's files in the outbox: documents.json (what was read), notice.pdf, for a stipend its
//! 支給予定表 and the 不支給 notice of each unpaid month, and last decision.json, whose presence
//! means the outputs are complete. Each is written durably, and not again if it already holds the
//! same bytes (a resumed run).
//!
//! It decides nothing and journals nothing: it returns decision.json's text and each output's hash
//! for the write step to journal. Called by [`super::write`].

use std::fs;

use crate::case::Case;
use crate::decision::{Decision, Outcome};
use crate::render;

use super::files::{self, sha256_hex, write_durable};
use super::{io, RunError, Runner};

/// Each output file's name and SHA-256.
pub(super) type OutputHashes = Vec<(String, String)>;

impl Runner {
    /// Writes a case's outputs durably (documents.json, notice.pdf, then decision.json: its presence
    /// means the case's outputs are complete). A file that already holds the same bytes (a resumed
    /// run) is not written again. Returns decision.json's text and each output's hash.
    pub(super) fn write_outputs(
        &self,
        decision: &Decision,
        case: &Case,
        submission: &str,
    ) -> Result<(String, OutputHashes), RunError> {
        let dir = self.cfg.outbox.join(&decision.case_id);
        fs::create_dir_all(&dir).map_err(io("出力フォルダを作れません"))?;
        files::remove_temp_files(&dir);
        // What was read from each document, with confidences and boxes: the reviewer's view of the
        // scan beside each value.
        let docs = serde_json::to_string_pretty(&case.documents).unwrap_or_default() + "\n";
        let pdf = render::notice(
            decision,
            &case.application,
            &self.cfg.office,
            &self.templates,
        )?;
        let mut json = serde_json::to_value(decision).map_err(|e| RunError::Io {
            context: "decision.json".into(),
            source: std::io::Error::other(e),
        })?;
        if let Some(obj) = json.as_object_mut() {
            obj.insert("submission".into(), submission.into());
        }
        let text = serde_json::to_string_pretty(&json).unwrap_or_default() + "\n";
        let mut outputs: Vec<(String, Vec<u8>)> = vec![
            ("documents.json".into(), docs.into_bytes()),
            ("notice.pdf".into(), pdf),
        ];
        // The stipend: its 支給予定表, and a 不支給 notice for each month attendance left unpaid
        // (RULES.md §2).
        if let Some(schedule) = &decision.schedule {
            if matches!(decision.outcome, Outcome::Pay | Outcome::NeedsReview) {
                let plan = render::plan_schedule(
                    decision,
                    &case.application,
                    &self.cfg.office,
                    &self.templates,
                )?;
                outputs.push(("plan.pdf".into(), plan));
                for line in schedule.iter().filter(|l| {
                    l.amount_yen == 0
                        && matches!(
                            l.code.as_deref(),
                            Some("no_attendance" | "leave_of_absence")
                        )
                }) {
                    let month = render::month_notice(
                        decision,
                        &case.application,
                        &self.cfg.office,
                        &self.templates,
                        &line.month,
                    )?;
                    outputs.push((format!("notice-{}.pdf", line.month), month));
                }
            }
        }
        outputs.push(("decision.json".into(), text.clone().into_bytes()));
        let mut hashes = Vec::new();
        for (name, bytes) in &outputs {
            let path = dir.join(name);
            if !files::holds(&path, bytes) {
                write_durable(&path, bytes).map_err(io(format!("{name} を書き出せません")))?;
            }
            hashes.push((name.clone(), sha256_hex(bytes)));
        }
        Ok((text, hashes))
    }
}
