//! `kyufu status`: the queue in the inbox, what is in flight, what the journal counts by state,
//! the documents waiting in `unassigned` and the last errors — read without changing anything and
//! without the OCR models. The staff text is in Japanese.
//!
//! Called by `main.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::config::Config;
use crate::journal::{FileState, Journal, StageError};
use crate::watch::Scanner;

use super::{io, short, RunError, StateDirs};

/// What `kyufu status` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Entries in the inbox not yet taken.
    pub queue: usize,
    /// Of those, the ones still being written (changed within `settle_ms`).
    pub settling: usize,
    /// Claimed and being worked (or left by a crash, to be resumed).
    pub in_flight: usize,
    pub processed: i64,
    pub quarantined: i64,
    pub duplicates: i64,
    /// Readable documents that belong to no case yet, newest first.
    pub unassigned: Vec<UnassignedFile>,
    /// The last stage runs that ended in an error, newest first.
    pub last_errors: Vec<StageError>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnassignedFile {
    pub file: String,
    pub sha256: String,
    pub received_at: String,
}

/// Reads the service's state without changing anything (no OCR models needed).
pub fn status(cfg: &Config, now: SystemTime) -> Result<Status, RunError> {
    let state = StateDirs {
        root: cfg.state.clone(),
    };
    let (queue, settling) = match fs::read_dir(&cfg.inbox) {
        Ok(_) => {
            let scan = Scanner::default()
                .scan(&cfg.inbox, Duration::from_millis(cfg.settle_ms), now)
                .map_err(io("受付フォルダを読めません"))?;
            (scan.ready.len() + scan.settling, scan.settling)
        }
        Err(_) => (0, 0),
    };
    let in_flight = fs::read_dir(state.claimed()).map_or(0, |rd| rd.count());
    fs::create_dir_all(&state.root).map_err(io("状態フォルダを作れません"))?;
    let journal = Journal::open(&state.journal())?;
    let counts: BTreeMap<String, i64> = journal.file_counts()?.into_iter().collect();
    let count = |s: FileState| counts.get(s.id()).copied().unwrap_or(0);
    let unassigned = journal
        .files_in_state(FileState::Unassigned, 100)?
        .into_iter()
        .map(|(sha256, file, received_at, _)| UnassignedFile {
            file,
            sha256,
            received_at,
        })
        .collect();
    Ok(Status {
        queue,
        settling,
        in_flight,
        processed: count(FileState::Processed),
        quarantined: count(FileState::Quarantined),
        duplicates: count(FileState::Duplicate),
        unassigned,
        last_errors: journal.last_errors(10)?,
    })
}

impl Status {
    /// The status as staff read it.
    pub fn render_ja(&self) -> String {
        let mut out = format!(
            "受付待ち: {} 件（うち書き込み中 {} 件）\n処理中: {} 件\n処理済み: {} 件\n隔離: {} 件\n重複: {} 件\n未割当: {} 件\n",
            self.queue,
            self.settling,
            self.in_flight,
            self.processed,
            self.quarantined,
            self.duplicates,
            self.unassigned.len()
        );
        for u in &self.unassigned {
            out.push_str(&format!(
                "  ・{}（{}…、{} 受付）\n",
                u.file,
                short(&u.sha256),
                u.received_at
            ));
        }
        if self.last_errors.is_empty() {
            out.push_str("直近のエラー: なし\n");
        } else {
            out.push_str("直近のエラー:\n");
            for e in &self.last_errors {
                out.push_str(&format!(
                    "  ・{} {} {}: {}\n",
                    e.at, e.stage, e.subject, e.error
                ));
            }
        }
        out
    }
}
