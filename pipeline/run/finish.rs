//! The *finish* step of an intake: every file moved to where the journal planned it — the monthly
//! archive (by hash), `unassigned`, quarantine with its Japanese reason, or `duplicates` — then the
//! intake marked done. A file already gone from the claim was moved before a crash.
//!
//! It reads and decides nothing; it only carries out what the write step journaled. Called by
//! [`super::intake`].

use std::fs;
use std::path::Path;

use chrono::{DateTime, Local};

use crate::journal::{FileState, Intake, IntakeKind};

use super::files::{self, extension, quarantine};
use super::{io, Claimed, RunError, Runner};

impl Runner {
    /// The *finish* step: every file of the intake to where the journal planned it, then the
    /// intake is done. A file already gone from the claim was moved before a crash.
    pub(super) fn finish(
        &mut self,
        intake: &Intake,
        c: &Claimed,
        now: &DateTime<Local>,
    ) -> Result<(), RunError> {
        let files = self.journal.intake_files(intake.id)?;
        let archive = self.state.archive(now);
        let mut done = Vec::new();
        for f in files.iter().filter(|f| f.state == FileState::Claimed) {
            let src = if c.is_dir {
                c.path.join(&f.name)
            } else {
                c.path.clone()
            };
            let plan = f.plan.unwrap_or(FileState::Processed);
            let present = fs::symlink_metadata(&src).is_ok();
            let flat = f.name.replace('/', "_");
            let reason = f.reason.clone().unwrap_or_default();
            let by_hash = format!("{}.{}", f.sha256, extension(&f.name));
            let place = match plan {
                FileState::Processed | FileState::Claimed => {
                    let to = archive.join(&by_hash);
                    if present {
                        keep_once(&src, &to).map_err(io("原本を保管できません"))?;
                    }
                    Some(to)
                }
                FileState::Unassigned => {
                    let to = self.state.unassigned().join(&by_hash);
                    if present {
                        keep_once(&src, &to).map_err(io("未割当フォルダに移せません"))?;
                    }
                    Some(to)
                }
                FileState::Quarantined => {
                    if present {
                        Some(
                            quarantine(&src, &self.state.quarantine(), &flat, &reason)
                                .map_err(io("隔離フォルダに移せません"))?,
                        )
                    } else {
                        None
                    }
                }
                FileState::Duplicate => {
                    let dir = match intake.kind {
                        IntakeKind::Submission => self.state.duplicates().join(&c.name),
                        IntakeKind::Loose => self.state.duplicates(),
                    };
                    if present {
                        Some(
                            quarantine(&src, &dir, &flat, &reason)
                                .map_err(io("重複フォルダに移せません"))?,
                        )
                    } else {
                        None
                    }
                }
            };
            let state = if plan == FileState::Claimed {
                FileState::Processed
            } else {
                plan
            };
            done.push((f.id, state, place.map(|p| p.display().to_string())));
        }
        self.journal
            .finish_intake(intake.id, &done, &now.to_rfc3339())?;
        Ok(())
    }
}

/// Moves `src` to `to` unless `to` already holds a file (same name = same hash = same bytes), in
/// which case `src` is only removed.
fn keep_once(src: &Path, to: &Path) -> std::io::Result<()> {
    if fs::symlink_metadata(to).is_ok() {
        return fs::remove_file(src);
    }
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir)?;
    }
    files::move_to(src, to)
}
