//! journal: the SQLite record of everything kyufu took in and wrote out.
//!
//! Every claimed inbox entry is an *intake* (keyed by its name in `state/claimed`, so a restarted
//! service finds it again) with a content id: for a submission, the SHA-256 over its files' sorted
//! names and hashes; for a loose file, the SHA-256 of its bytes. Its files are recorded before any
//! work; each stage run, case, decision and written output is recorded once it is durable. An intake
//! moves `claimed` → `written` (the decision and its outputs are durable and journaled, and each
//! file's destination is planned) → `done` (every file is where the plan says). On start, `run`
//! resumes every intake that is not done from that stage, so a decision already written is never
//! written again. WAL mode, `synchronous = FULL`, schema versions by `PRAGMA user_version` (each
//! migration is a step, never an edit of an old one).
//!
//! What is stored: hashes, file names, case ids, and each stage's output (the documents read and the
//! case assembled) as JSON, since a resumed or re-decided case needs them; the state folder already
//! holds the originals, so this adds no new exposure. Applicant/course keys for joining loose
//! documents to cases are stored only as salted hashes. Logs never carry any of it.
//!
//! Called by `run` (the service and `run --once`), by `kyufu status`, and by `review` through the
//! `ReviewStore` its tables implement (`review.rs`), and by `payment::batch` through the payment
//! batches' tables (`payment.rs`).

mod payment;
mod review;

pub use payment::{BatchPaymentRow, BatchRow, NewBatch, PaymentTx, StateChange, Unpaid};

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
    pub fn from_id(id: &str) -> Option<FileState> {
        Some(match id {
            "claimed" => FileState::Claimed,
            "processed" => FileState::Processed,
            "quarantined" => FileState::Quarantined,
            "duplicate" => FileState::Duplicate,
            "unassigned" => FileState::Unassigned,
            _ => return None,
        })
    }

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
    // 2: intakes (claimed entries, for resume and idempotence), file plans, case keys.
    "CREATE TABLE intakes (
        id INTEGER PRIMARY KEY,
        claim TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        submission TEXT,
        content_id TEXT NOT NULL,
        case_id TEXT,
        stage TEXT NOT NULL,
        outcome TEXT,
        claimed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
     );
     CREATE INDEX intakes_content ON intakes(content_id);
     ALTER TABLE files ADD COLUMN intake INTEGER REFERENCES intakes(id);
     ALTER TABLE files ADD COLUMN plan TEXT;
     CREATE UNIQUE INDEX files_intake_name ON files(intake, name);
     CREATE TABLE case_keys (
        key TEXT NOT NULL,
        case_id TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (key, case_id)
     );
     CREATE INDEX stage_runs_subject ON stage_runs(subject, stage);",
    // 3: the review desk (users, audit log, corrections, 起案 → 決裁, approvals): `review.rs`.
    review::MIGRATION,
    // 4: payment batches (総合振込 exports, each payment in at most one live batch): `payment.rs`.
    payment::MIGRATION,
    // 5: the 振込明細一覧 of each batch, and the stipend's months as payments: `payment.rs`.
    payment::MIGRATION_MONTHS,
];

/// What kind of inbox entry an intake is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeKind {
    /// A sub-folder: one submission.
    Submission,
    /// A file at the inbox root.
    Loose,
}

impl IntakeKind {
    pub fn id(self) -> &'static str {
        match self {
            IntakeKind::Submission => "submission",
            IntakeKind::Loose => "loose",
        }
    }
}

/// How far an intake got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntakeStage {
    /// Recorded; nothing durable written for it yet.
    Claimed,
    /// Its decision and outputs (if any) are durable and journaled; each file's destination is planned.
    Written,
    /// Every file is where the plan says.
    Done,
}

impl IntakeStage {
    pub fn id(self) -> &'static str {
        match self {
            IntakeStage::Claimed => "claimed",
            IntakeStage::Written => "written",
            IntakeStage::Done => "done",
        }
    }
    fn from_id(id: &str) -> IntakeStage {
        match id {
            "written" => IntakeStage::Written,
            "done" => IntakeStage::Done,
            _ => IntakeStage::Claimed,
        }
    }
}

/// A claimed inbox entry as the journal knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    pub id: i64,
    /// Its name in `state/claimed`.
    pub claim: String,
    pub kind: IntakeKind,
    /// The sub-folder's name (submissions) or the file's name (loose).
    pub submission: Option<String>,
    pub content_id: String,
    pub case_id: Option<String>,
    pub stage: IntakeStage,
    /// `decided`, `joined`, `duplicate`, `quarantined`, `unassigned` once written.
    pub outcome: Option<String>,
}

/// A file of an intake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub id: i64,
    /// Path inside the submission (or the loose file's name).
    pub name: String,
    pub sha256: String,
    pub size: u64,
    pub state: FileState,
    /// Where it goes once the intake is written.
    pub plan: Option<FileState>,
    pub reason: Option<String>,
}

/// A decision to record with [`Written`].
#[derive(Debug, Clone)]
pub struct DecisionRecord<'a> {
    pub case_id: &'a str,
    pub outcome: &'a str,
    pub amount_yen: i64,
    pub json: &'a str,
}

/// Everything that becomes true at once when an intake's outputs are durable.
#[derive(Debug, Clone, Default)]
pub struct Written<'a> {
    /// `decided`, `joined`, `duplicate`, `quarantined`, `unassigned`.
    pub outcome: &'a str,
    pub case_id: Option<&'a str>,
    pub decision: Option<DecisionRecord<'a>>,
    /// (case id, output file name, sha256).
    pub outputs: Vec<(&'a str, &'a str, String)>,
    /// (file row id, destination, reason).
    pub plans: Vec<(i64, FileState, Option<String>)>,
    /// Hashed applicant+course keys of the case (see `run::case_key`).
    pub case_keys: Vec<String>,
    /// The assembled case as JSON (stage `assemble`'s output), kept to re-decide it later.
    pub case_json: Option<&'a str>,
}

/// A file as listed for staff: (sha256, name, received_at, reason).
pub type FileListing = (String, String, String, Option<String>);

/// One stage run that ended in an error (for `kyufu status`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StageError {
    pub subject: String,
    pub stage: String,
    pub at: String,
    pub error: String,
}

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
        let case_id = allocate_case_id(&tx, year, submission, now)?;
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

fn intake_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Intake> {
    let kind: String = r.get(2)?;
    let stage: String = r.get(6)?;
    Ok(Intake {
        id: r.get(0)?,
        claim: r.get(1)?,
        kind: if kind == "loose" {
            IntakeKind::Loose
        } else {
            IntakeKind::Submission
        },
        submission: r.get(3)?,
        content_id: r.get(4)?,
        case_id: r.get(5)?,
        stage: IntakeStage::from_id(&stage),
        outcome: r.get(7)?,
    })
}

const INTAKE_COLUMNS: &str =
    "id, claim, kind, submission, content_id, case_id, stage, outcome FROM intakes";

impl Journal {
    /// The intake claimed under `claim` (its name in `state/claimed`), if recorded.
    pub fn intake_by_claim(&self, claim: &str) -> Result<Option<Intake>, JournalError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {INTAKE_COLUMNS} WHERE claim = ?1"),
                params![claim],
                intake_from_row,
            )
            .optional()?)
    }

    /// Intakes not yet done, oldest first (what a restart must finish).
    pub fn unfinished_intakes(&self) -> Result<Vec<Intake>, JournalError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {INTAKE_COLUMNS} WHERE stage <> 'done' ORDER BY id"
        ))?;
        let rows = stmt.query_map([], intake_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a claimed entry and its files (state `claimed`) in one transaction, before any work.
    /// `files` are (name, sha256, size).
    pub fn begin_intake(
        &mut self,
        claim: &str,
        kind: IntakeKind,
        submission: Option<&str>,
        content_id: &str,
        files: &[(String, String, u64)],
        now: &str,
    ) -> Result<Intake, JournalError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO intakes (claim, kind, submission, content_id, stage, claimed_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'claimed', ?5, ?5)",
            params![claim, kind.id(), submission, content_id, now],
        )?;
        let id = tx.last_insert_rowid();
        for (name, sha, size) in files {
            let sub = match kind {
                IntakeKind::Submission => submission,
                IntakeKind::Loose => None,
            };
            tx.execute(
                "INSERT INTO files (sha256, name, submission, size, state, received_at, updated_at, intake)
                 VALUES (?1, ?2, ?3, ?4, 'claimed', ?5, ?5, ?6)",
                params![sha, name, sub, *size as i64, now, id],
            )?;
        }
        tx.commit()?;
        Ok(Intake {
            id,
            claim: claim.to_string(),
            kind,
            submission: submission.map(str::to_string),
            content_id: content_id.to_string(),
            case_id: None,
            stage: IntakeStage::Claimed,
            outcome: None,
        })
    }

    /// The files of an intake, in name order.
    pub fn intake_files(&self, intake: i64) -> Result<Vec<FileRow>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, sha256, size, state, plan, reason FROM files WHERE intake = ?1
             ORDER BY name",
        )?;
        let rows = stmt.query_map(params![intake], |r| {
            let state: String = r.get(4)?;
            let plan: Option<String> = r.get(5)?;
            Ok(FileRow {
                id: r.get(0)?,
                name: r.get(1)?,
                sha256: r.get(2)?,
                size: r.get::<_, i64>(3)? as u64,
                state: FileState::from_id(&state).unwrap_or(FileState::Claimed),
                plan: plan.as_deref().and_then(FileState::from_id),
                reason: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What an earlier intake with the same content became (its case id, else its name), if any:
    /// the same bytes dropped again are a duplicate of it.
    pub fn content_seen(
        &self,
        content_id: &str,
        except_intake: i64,
    ) -> Result<Option<String>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT COALESCE(case_id, submission, claim) FROM intakes
                 WHERE content_id = ?1 AND id < ?2 AND COALESCE(outcome, '') <> 'duplicate'
                 ORDER BY id LIMIT 1",
                params![content_id, except_intake],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The intake's case id, allocating the next one of `year` the first time (idempotent: a resumed
    /// intake keeps its case id).
    pub fn assign_case(
        &mut self,
        intake: i64,
        year: i32,
        submission: &str,
        now: &str,
    ) -> Result<String, JournalError> {
        let tx = self.conn.transaction()?;
        let existing: Option<String> = tx.query_row(
            "SELECT case_id FROM intakes WHERE id = ?1",
            params![intake],
            |r| r.get(0),
        )?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let case_id = allocate_case_id(&tx, year, submission, now)?;
        tx.execute(
            "UPDATE intakes SET case_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![intake, case_id, now],
        )?;
        tx.commit()?;
        Ok(case_id)
    }

    /// Makes an intake `written`: its decision, outputs, file plans, case keys and assembled case,
    /// all in one transaction (either all of it is journaled or none).
    pub fn commit_written(
        &mut self,
        intake: i64,
        w: &Written<'_>,
        now: &str,
    ) -> Result<(), JournalError> {
        let tx = self.conn.transaction()?;
        if let Some(d) = &w.decision {
            tx.execute(
                "INSERT INTO decisions (case_id, version, outcome, amount_yen, json, written_at)
                 VALUES (?1, (SELECT COALESCE(MAX(version), 0) + 1 FROM decisions WHERE case_id = ?1),
                         ?2, ?3, ?4, ?5)",
                params![d.case_id, d.outcome, d.amount_yen, d.json, now],
            )?;
        }
        for (case_id, path, sha) in &w.outputs {
            tx.execute(
                "INSERT OR REPLACE INTO outputs (case_id, path, sha256, written_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![case_id, path, sha, now],
            )?;
        }
        for (file, plan, reason) in &w.plans {
            tx.execute(
                "UPDATE files SET plan = ?2, reason = COALESCE(?3, reason), updated_at = ?4
                 WHERE id = ?1",
                params![file, plan.id(), reason, now],
            )?;
        }
        if let Some(case_id) = w.case_id {
            for key in &w.case_keys {
                tx.execute(
                    "INSERT OR REPLACE INTO case_keys (key, case_id, decided_at) VALUES (?1, ?2, ?3)",
                    params![key, case_id, now],
                )?;
            }
            if let Some(json) = w.case_json {
                tx.execute(
                    "INSERT INTO stage_runs (subject, stage, started_at, ended_at, outcome, output_json)
                     VALUES (?1, 'assemble', ?2, ?2, 'ok', ?3)",
                    params![case_id, now, json],
                )?;
            }
        }
        tx.execute(
            "UPDATE intakes SET stage = 'written', outcome = ?2,
                case_id = COALESCE(?3, case_id), updated_at = ?4 WHERE id = ?1",
            params![intake, w.outcome, w.case_id, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Marks an intake done with each file's final state and place (`files`: row id, state, path),
    /// in one transaction.
    pub fn finish_intake(
        &mut self,
        intake: i64,
        files: &[(i64, FileState, Option<String>)],
        now: &str,
    ) -> Result<(), JournalError> {
        let tx = self.conn.transaction()?;
        let case_id: Option<String> = tx.query_row(
            "SELECT case_id FROM intakes WHERE id = ?1",
            params![intake],
            |r| r.get(0),
        )?;
        for (id, state, path) in files {
            let case = (*state == FileState::Processed)
                .then_some(case_id.as_deref())
                .flatten();
            tx.execute(
                "UPDATE files SET state = ?2, archive_path = COALESCE(?3, archive_path),
                    case_id = COALESCE(?4, case_id), updated_at = ?5 WHERE id = ?1",
                params![id, state.id(), path, case, now],
            )?;
        }
        tx.execute(
            "UPDATE intakes SET stage = 'done', updated_at = ?2 WHERE id = ?1",
            params![intake, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The submission a case was opened for.
    pub fn case_submission(&self, case_id: &str) -> Result<Option<String>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT submission FROM cases WHERE case_id = ?1",
                params![case_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The most recently decided case with this applicant+course key, if any.
    pub fn case_for_key(&self, key: &str) -> Result<Option<String>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT case_id FROM case_keys WHERE key = ?1 ORDER BY decided_at DESC, case_id DESC
                 LIMIT 1",
                params![key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The last assembled case (stage `assemble`'s output JSON) of a case id.
    pub fn case_json(&self, case_id: &str) -> Result<Option<String>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT output_json FROM stage_runs WHERE subject = ?1 AND stage = 'assemble'
                 AND output_json IS NOT NULL ORDER BY id DESC LIMIT 1",
                params![case_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// How many decision versions a case has.
    pub fn decision_versions(&self, case_id: &str) -> Result<i64, JournalError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM decisions WHERE case_id = ?1",
            params![case_id],
            |r| r.get(0),
        )?)
    }

    /// Records a stage run that is over at once (e.g. a file that could not be read: `error` set).
    pub fn record_stage(
        &self,
        subject: &str,
        stage: &str,
        outcome: &str,
        error: Option<&str>,
        now: &str,
    ) -> Result<(), JournalError> {
        self.conn.execute(
            "INSERT INTO stage_runs (subject, stage, started_at, ended_at, outcome, error)
             VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
            params![subject, stage, now, outcome, error],
        )?;
        Ok(())
    }

    /// The last `n` stage runs that ended in an error, newest first.
    pub fn last_errors(&self, n: usize) -> Result<Vec<StageError>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT subject, stage, COALESCE(ended_at, started_at), error FROM stage_runs
             WHERE error IS NOT NULL ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![n as i64], |r| {
            Ok(StageError {
                subject: r.get(0)?,
                stage: r.get(1)?,
                at: r.get(2)?,
                error: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Files in a state, newest first: (sha256, name, received_at, reason).
    pub fn files_in_state(
        &self,
        state: FileState,
        limit: usize,
    ) -> Result<Vec<FileListing>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT sha256, name, received_at, reason FROM files WHERE state = ?1
             ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![state.id(), limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Allocates the next case id of `year` and records the case (inside the caller's transaction).
fn allocate_case_id(
    tx: &rusqlite::Transaction<'_>,
    year: i32,
    submission: &str,
    now: &str,
) -> Result<String, JournalError> {
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
    Ok(case_id)
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

    #[test]
    fn a_resumed_intake_keeps_its_case_id_and_the_same_content_later_is_a_duplicate() {
        let dir = std::env::temp_dir().join(format!("kyufu-journal-intake-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.sqlite");
        let files = [("application.json".to_string(), "aa".to_string(), 10)];
        let first = {
            let mut j = Journal::open(&path).unwrap();
            let i = j
                .begin_intake("k1", IntakeKind::Submission, Some("sub"), "c1", &files, "t")
                .unwrap();
            assert_eq!(
                j.assign_case(i.id, 2026, "sub", "t").unwrap(),
                "2026-000001"
            );
            i
        };
        // A crash, then a restart: the journal knows the claim and gives the same case id again.
        let mut j = Journal::open(&path).unwrap();
        let again = j.intake_by_claim("k1").unwrap().unwrap();
        assert_eq!(again.stage, IntakeStage::Claimed);
        assert_eq!(
            j.assign_case(again.id, 2026, "sub", "t").unwrap(),
            "2026-000001"
        );
        let rows = j.intake_files(first.id).unwrap();
        let w = Written {
            outcome: "decided",
            case_id: Some("2026-000001"),
            decision: Some(DecisionRecord {
                case_id: "2026-000001",
                outcome: "pay",
                amount_yen: 1,
                json: "{}",
            }),
            plans: vec![(rows[0].id, FileState::Processed, None)],
            ..Written::default()
        };
        j.commit_written(first.id, &w, "t").unwrap();
        j.finish_intake(first.id, &[(rows[0].id, FileState::Processed, None)], "t")
            .unwrap();
        assert!(j.unfinished_intakes().unwrap().is_empty());
        assert_eq!(j.decision_versions("2026-000001").unwrap(), 1);
        // The same content under another folder name: a duplicate naming the case.
        let later = j
            .begin_intake(
                "k2",
                IntakeKind::Submission,
                Some("sub-again"),
                "c1",
                &files,
                "t",
            )
            .unwrap();
        assert_eq!(
            j.content_seen("c1", later.id).unwrap().as_deref(),
            Some("2026-000001")
        );
        // ... but never of an intake that came after it.
        assert_eq!(j.content_seen("c1", first.id).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
