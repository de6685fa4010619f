//! journal: the SQLite record of everything kyufu took in and wrote out.
//!
//! Every file is recorded (by the SHA-256 of its bytes) before any work on it; every stage run, case,
//! decision and written output is recorded after it is durable. The journal is what lets a restarted
//! service know what it has already done, and what `kyufu status` reads. WAL mode, `synchronous =
//! FULL`, schema versions by `PRAGMA user_version` (each migration is a step, never an edit of an old
//! one).
//!
//! Personal data never goes in here beyond what identifies a file: hashes, file names, case ids.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

/// Why the journal could not do its job (the run cannot go on without it).
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("journal database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "journal at {path} was written by a newer kyufu (schema {found}, this build knows {known})"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
}

/// What became of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// Taken out of the inbox; work not finished.
    Claimed,
    /// Its documents are in a case (or waiting as unassigned).
    Processed,
    /// Could not be read; in `quarantine/` with its reason.
    Quarantined,
    /// The same bytes had been taken before; in `duplicates/`.
    Duplicate,
    /// A readable document that belongs to no case yet.
    Unassigned,
}

impl FileState {
    pub fn id(self) -> &'static str {
        match self {
            FileState::Claimed => "claimed",
            FileState::Processed => "processed",
            FileState::Quarantined => "quarantined",
            FileState::Duplicate => "duplicate",
            FileState::Unassigned => "unassigned",
        }
    }
}

/// Schema migrations, in order; `user_version` is the number applied.
const MIGRATIONS: &[&str] = &[
    // 1: files, cases, stage runs, decisions, outputs.
    "CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,
        name TEXT NOT NULL,
        submission TEXT,
        size INTEGER NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        archive_path TEXT,
        case_id TEXT,
        received_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
     );
     CREATE INDEX files_sha ON files(sha256);
     CREATE TABLE cases (
        case_id TEXT PRIMARY KEY,
        submission TEXT NOT NULL,
        created_at TEXT NOT NULL
     );
     CREATE TABLE stage_runs (
        id INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        stage TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        outcome TEXT,
        error TEXT,
        output_json TEXT
     );
     CREATE TABLE decisions (
        case_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        amount_yen INTEGER NOT NULL,
        json TEXT NOT NULL,
        written_at TEXT NOT NULL,
        PRIMARY KEY (case_id, version)
     );
     CREATE TABLE outputs (
        case_id TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        written_at TEXT NOT NULL,
        PRIMARY KEY (case_id, path)
     );
     CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);",
];

/// An open journal.
pub struct Journal {
    conn: Connection,
}

impl Journal {
    /// Opens (creating and migrating) the journal at `path`.
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let mut j = Journal { conn };
        j.migrate(path)?;
        Ok(j)
    }

    fn migrate(&mut self, path: &Path) -> Result<(), JournalError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(JournalError::TooNew {
                path: path.display().to_string(),
                found: version,
                known,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Records a file taken from the inbox; returns its row id.
    pub fn record_file(
        &self,
        sha256: &str,
        name: &str,
        submission: Option<&str>,
        size: u64,
        now: &str,
    ) -> Result<i64, JournalError> {
        self.conn.execute(
            "INSERT INTO files (sha256, name, submission, size, state, received_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'claimed', ?5, ?5)",
            params![sha256, name, submission, size as i64, now],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The case a file with these bytes was processed into before, if any (for duplicates).
    pub fn seen_before(
        &self,
        sha256: &str,
        except_id: i64,
    ) -> Result<Option<String>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT COALESCE(case_id, submission, name) FROM files
                 WHERE sha256 = ?1 AND id <> ?2 AND state IN ('processed', 'unassigned', 'claimed')
                 ORDER BY id LIMIT 1",
                params![sha256, except_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn set_file_state(
        &self,
        id: i64,
        state: FileState,
        reason: Option<&str>,
        archive_path: Option<&str>,
        case_id: Option<&str>,
        now: &str,
    ) -> Result<(), JournalError> {
        self.conn.execute(
            "UPDATE files SET state = ?2, reason = COALESCE(?3, reason),
                archive_path = COALESCE(?4, archive_path), case_id = COALESCE(?5, case_id),
                updated_at = ?6 WHERE id = ?1",
            params![id, state.id(), reason, archive_path, case_id, now],
        )?;
        Ok(())
    }

    /// Starts a stage run; returns its id for [`Journal::end_stage`].
    pub fn start_stage(&self, subject: &str, stage: &str, now: &str) -> Result<i64, JournalError> {
        self.conn.execute(
            "INSERT INTO stage_runs (subject, stage, started_at) VALUES (?1, ?2, ?3)",
            params![subject, stage, now],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn end_stage(
        &self,
        id: i64,
        outcome: &str,
        error: Option<&str>,
        output_json: Option<&str>,
        now: &str,
    ) -> Result<(), JournalError> {
        self.conn.execute(
            "UPDATE stage_runs SET ended_at = ?2, outcome = ?3, error = ?4, output_json = ?5
             WHERE id = ?1",
            params![id, now, outcome, error, output_json],
        )?;
        Ok(())
    }

    /// The next case id of a year: `2026-000001`, `2026-000002`, … (never reused).
    pub fn next_case_id(
        &mut self,
        year: i32,
        submission: &str,
        now: &str,
    ) -> Result<String, JournalError> {
        let tx = self.conn.transaction()?;
        let key = format!("case-{year}");
        tx.execute(
            "INSERT INTO counters (name, value) VALUES (?1, 1)
             ON CONFLICT(name) DO UPDATE SET value = value + 1",
            params![key],
        )?;
        let n: i64 = tx.query_row(
            "SELECT value FROM counters WHERE name = ?1",
            params![key],
            |r| r.get(0),
        )?;
        let case_id = format!("{year}-{n:06}");
        tx.execute(
            "INSERT INTO cases (case_id, submission, created_at) VALUES (?1, ?2, ?3)",
            params![case_id, submission, now],
        )?;
        tx.commit()?;
        Ok(case_id)
    }

    /// Records a decision once its file is durable.
    pub fn record_decision(
        &self,
        case_id: &str,
        outcome: &str,
        amount_yen: i64,
        json: &str,
        now: &str,
    ) -> Result<(), JournalError> {
        self.conn.execute(
            "INSERT INTO decisions (case_id, version, outcome, amount_yen, json, written_at)
             VALUES (?1, (SELECT COALESCE(MAX(version), 0) + 1 FROM decisions WHERE case_id = ?1),
                     ?2, ?3, ?4, ?5)",
            params![case_id, outcome, amount_yen, json, now],
        )?;
        Ok(())
    }

    pub fn record_output(
        &self,
        case_id: &str,
        path: &str,
        sha256: &str,
        now: &str,
    ) -> Result<(), JournalError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO outputs (case_id, path, sha256, written_at) VALUES (?1, ?2, ?3, ?4)",
            params![case_id, path, sha256, now],
        )?;
        Ok(())
    }

    /// Counts of files by state (for the run summary and `status`).
    pub fn file_counts(&self) -> Result<Vec<(String, i64)>, JournalError> {
        let mut stmt = self
            .conn
            .prepare("SELECT state, COUNT(*) FROM files GROUP BY state ORDER BY state")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_numbers_cases_per_year() {
        let dir = std::env::temp_dir().join(format!("kyufu-journal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.sqlite");
        let _ = std::fs::remove_file(&path);
        {
            let mut j = Journal::open(&path).unwrap();
            assert_eq!(j.next_case_id(2026, "a", "t").unwrap(), "2026-000001");
            assert_eq!(j.next_case_id(2026, "b", "t").unwrap(), "2026-000002");
            let id = j.record_file("abc", "x.jpg", Some("a"), 3, "t").unwrap();
            j.set_file_state(
                id,
                FileState::Processed,
                None,
                None,
                Some("2026-000001"),
                "t",
            )
            .unwrap();
            let id2 = j.record_file("abc", "x.jpg", Some("c"), 3, "t").unwrap();
            assert_eq!(
                j.seen_before("abc", id2).unwrap().as_deref(),
                Some("2026-000001")
            );
        }
        // Reopening keeps the counter: ids are never reused.
        let mut j = Journal::open(&path).unwrap();
        assert_eq!(j.next_case_id(2026, "c", "t").unwrap(), "2026-000003");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
