//! One claimed entry, worked from wherever the journal says it got to: recorded (its files and
//! content id), then the *write* step ([`super::write`]), then the *finish* step
//! ([`super::finish`]), then its claim folder removed. Safe to repeat after a crash at any point.
//!
//! It reads no document and decides nothing itself. Called by the loop in [`super`] (`take`,
//! `resume`).

use std::fs;

use chrono::{DateTime, Local};
use tracing::{debug, warn};

use crate::journal::{Intake, IntakeKind, IntakeStage};

use super::identity::{content_id, file_identity, submission_files};
use super::{io, short, Claimed, RunError, Runner, Summary};

impl Runner {
    /// Works one claimed entry from wherever the journal says it got to.
    pub(super) fn process_claim(
        &mut self,
        key: &str,
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let container = self.state.claimed().join(key);
        let child = fs::read_dir(&container)
            .ok()
            .and_then(|mut rd| rd.find_map(|e| e.ok()));
        let Some(child) = child else {
            // A crash between creating the container and the rename, after the intake was done —
            // or after `finish` moved the last file but before it journaled that: the intake is
            // finished now (its files are where the plan says), or it would stay `written` forever.
            if let Some(intake) = self.journal.intake_by_claim(key)? {
                if intake.stage == IntakeStage::Written {
                    let name = intake.submission.clone().unwrap_or_default();
                    let gone = Claimed {
                        key: key.to_string(),
                        path: container.join(&name),
                        name,
                        is_dir: intake.kind == IntakeKind::Submission,
                    };
                    self.finish(&intake, &gone, now)?;
                }
            }
            let _ = fs::remove_dir(&container);
            return Ok(());
        };
        let claimed = Claimed {
            key: key.to_string(),
            path: child.path(),
            name: child.file_name().to_string_lossy().into_owned(),
            is_dir: child.file_type().is_ok_and(|t| t.is_dir()),
        };
        let stamp = now.to_rfc3339();
        let mut intake = match self.journal.intake_by_claim(key)? {
            Some(i) => i,
            None => self.begin(&claimed, &stamp)?,
        };
        if intake.stage == IntakeStage::Claimed {
            self.write(&intake, &claimed, now, summary)?;
            intake.stage = IntakeStage::Written;
        }
        if intake.stage == IntakeStage::Written {
            self.finish(&intake, &claimed, now)?;
        } else if intake.stage == IntakeStage::Done && !leftover_only(&claimed) {
            // Keys are never reused, so this cannot happen; if it ever does, keep the files.
            warn!(claim = %key, "a finished intake's container still holds files; left in place");
            return Ok(());
        }
        fs::remove_dir_all(&container).map_err(io("処理中フォルダを片付けられません"))?;
        Ok(())
    }

    /// Records a claimed entry and its files in the journal, before any work.
    fn begin(&mut self, c: &Claimed, stamp: &str) -> Result<Intake, RunError> {
        let (kind, files) = if c.is_dir {
            let paths = submission_files(&c.path).map_err(io("提出フォルダを読めません"))?;
            let mut files = Vec::new();
            for p in paths {
                let name = p
                    .strip_prefix(&c.path)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .into_owned();
                files.push(file_identity(&p, &name, &c.key));
            }
            (IntakeKind::Submission, files)
        } else {
            (
                IntakeKind::Loose,
                vec![file_identity(&c.path, &c.name, &c.key)],
            )
        };
        let content = match kind {
            IntakeKind::Submission => content_id(&files),
            IntakeKind::Loose => files[0].1.clone(),
        };
        let intake =
            self.journal
                .begin_intake(&c.key, kind, Some(&c.name), &content, &files, stamp)?;
        debug!(claim = %c.key, content = short(&content), files = files.len(), "recorded");
        Ok(intake)
    }
}

/// Whether a finished intake's claim holds nothing of value: a submission folder with only ignored
/// names or empty folders left (a loose file is gone once finished).
fn leftover_only(c: &Claimed) -> bool {
    c.is_dir && submission_files(&c.path).is_ok_and(|f| f.is_empty())
}
