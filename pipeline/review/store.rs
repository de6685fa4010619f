//! The review desk's store: users, the audit log, corrections, the 起案 → 決裁 state of each case and
//! its approvals, as one trait so the SQLite journal (today, `journal/review.rs`) can give way to
//! PostgreSQL for several nodes later.
//!
//! Every method that changes something takes the audit entry that records it and writes both in
//! one transaction: an action is never done without its entry, nor an entry left without its action.
//! Nothing here checks permissions or values — that is [`super::Desk`]'s job.

use chrono::NaiveDate;
use serde::Serialize;

use crate::journal::JournalError;

use super::Role;

/// A user of the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// PHC string (`$argon2id$…`).
    #[serde(skip)]
    pub password_hash: String,
    /// Wrong passwords since the last right one.
    pub failed_logins: i64,
    /// RFC 3339: no password is checked before this (the delay after repeated failures).
    pub retry_after: Option<String>,
}

/// An audit entry to append (the store numbers and chains it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAudit {
    /// RFC 3339.
    pub at: String,
    /// The acting user (none for the first admin, created before any user exists).
    pub user_id: Option<i64>,
    /// `user_added`, `login_failed`, `corrected`, `submitted`, `approved`, `sent_back`.
    pub action: String,
    pub case_id: Option<String>,
    /// Compact JSON of ids, targets and hashes — never an applicant's name or a value read.
    pub detail: String,
}

/// An audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub action: String,
    pub case_id: Option<String>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// A correction as stored: the value before and after, as JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrectionRow {
    pub id: i64,
    pub case_id: String,
    /// `FILE#FIELD`, e.g. `receipt.jpg#items[1].category`.
    pub target: String,
    pub old: serde_json::Value,
    pub new: serde_json::Value,
    pub reason: String,
    pub user_id: Option<i64>,
    /// `person` or `system`.
    pub source: String,
    pub at: String,
}

/// Where a case is between 起案 and 決裁 (absent = a draft nobody has submitted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    Draft,
    Submitted,
    SentBack,
    Approved,
}

impl Flow {
    pub fn id(self) -> &'static str {
        match self {
            Flow::Draft => "draft",
            Flow::Submitted => "submitted",
            Flow::SentBack => "sent_back",
            Flow::Approved => "approved",
        }
    }

    pub fn from_id(id: &str) -> Flow {
        match id {
            "submitted" => Flow::Submitted,
            "sent_back" => Flow::SentBack,
            "approved" => Flow::Approved,
            _ => Flow::Draft,
        }
    }
}

/// A case's 起案 → 決裁 state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowRow {
    pub case_id: String,
    pub state: Flow,
    /// Who submitted it (起案者).
    pub drafted_by: Option<i64>,
    /// The decision version that was submitted (an approval approves exactly that one).
    pub decision_version: Option<i64>,
    /// The approver's comment when sent back.
    pub comment: Option<String>,
    pub updated_at: String,
}

/// An approval (決裁): the decision version it froze, its 文書番号 and 決定日.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalRow {
    pub id: i64,
    pub case_id: String,
    /// 年度 (April–March), e.g. 2026 for 2026-04-01 … 2027-03-31.
    pub fiscal_year: i32,
    /// The counter's value within the fiscal year.
    pub number: i64,
    pub document_number: String,
    pub decided_on: NaiveDate,
    pub drafted_by: i64,
    pub approved_by: i64,
    /// `pay`, `deny`, `incomplete`.
    pub outcome: String,
    pub amount_yen: i64,
    pub decision_version: i64,
    /// The approved decision.json as written.
    #[serde(skip)]
    pub decision_json: String,
    pub notice_sha256: String,
    /// The approval this one replaces (a correction after approval makes a new decision).
    pub supersedes: Option<i64>,
    pub at: String,
}

/// The latest decision of a case as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionVersion {
    pub case_id: String,
    pub version: i64,
    pub json: String,
}

/// A correction to record with the decision it led to.
#[derive(Debug, Clone)]
pub struct NewCorrection<'a> {
    pub case_id: &'a str,
    pub target: &'a str,
    pub old: &'a serde_json::Value,
    pub new: &'a serde_json::Value,
    pub reason: &'a str,
    pub user_id: i64,
    pub at: &'a str,
    /// The re-decided decision.json text, and its outcome and amount.
    pub decision_json: &'a str,
    pub outcome: &'a str,
    pub amount_yen: i64,
    /// (output file name, sha256) written beside it.
    pub outputs: Vec<(String, String)>,
}

/// Why an approval could not be recorded as asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// Someone else moved first (the number was taken, or the case is no longer submitted).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Another approval took the 文書番号 meant for this one: try again with the next.
    #[error("the document number was taken")]
    NumberTaken,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Journal(JournalError::Sqlite(e))
    }
}

/// What the desk needs from a store.
pub trait ReviewStore {
    fn user_count(&self) -> Result<i64, StoreError>;
    fn user_by_name(&self, name: &str) -> Result<Option<UserRow>, StoreError>;
    fn user_by_id(&self, id: i64) -> Result<Option<UserRow>, StoreError>;
    fn add_user(
        &mut self,
        name: &str,
        role: Role,
        password_hash: &str,
        audit: &NewAudit,
    ) -> Result<i64, StoreError>;
    /// Records a wrong password: the new failure count and the time before which no password of
    /// this user is checked.
    fn login_failed(
        &mut self,
        user_id: i64,
        failures: i64,
        retry_after: &str,
        audit: &NewAudit,
    ) -> Result<(), StoreError>;
    fn login_succeeded(&mut self, user_id: i64) -> Result<(), StoreError>;

    /// Every audit entry, oldest first.
    fn audit_entries(&self) -> Result<Vec<AuditRow>, StoreError>;
    fn append_audit(&mut self, audit: &NewAudit) -> Result<(), StoreError>;

    /// The assembled case as first read (stage `assemble`'s output), as JSON.
    fn case_as_read(&self, case_id: &str) -> Result<Option<String>, StoreError>;
    /// The latest decision of every case, by case id.
    fn latest_decisions(&self) -> Result<Vec<DecisionVersion>, StoreError>;
    fn latest_decision(&self, case_id: &str) -> Result<Option<DecisionVersion>, StoreError>;

    /// A case's corrections, oldest first.
    fn corrections(&self, case_id: &str) -> Result<Vec<CorrectionRow>, StoreError>;
    /// Records a correction, the decision version it led to and its outputs, and puts an approved
    /// case back to draft (the approval itself stays).
    fn add_correction(
        &mut self,
        c: &NewCorrection<'_>,
        audit: &NewAudit,
    ) -> Result<i64, StoreError>;

    fn workflow(&self, case_id: &str) -> Result<Option<WorkflowRow>, StoreError>;
    fn all_workflows(&self) -> Result<Vec<WorkflowRow>, StoreError>;
    /// Moves a case to `row.state` if it is now in one of `from` (absent counts as `Draft`);
    /// `Conflict` otherwise.
    fn set_workflow(
        &mut self,
        row: &WorkflowRow,
        from: &[Flow],
        audit: &NewAudit,
    ) -> Result<(), StoreError>;

    /// The number the next approval of `fiscal_year` will get (nothing is taken).
    fn next_document_number(&self, fiscal_year: i32) -> Result<i64, StoreError>;
    /// Takes the number `row.number` of `row.fiscal_year` (which must be the next one), records the
    /// approval and marks the case approved, if it is still submitted at `row.decision_version`.
    fn record_approval(&mut self, row: &ApprovalRow, audit: &NewAudit) -> Result<i64, StoreError>;
    /// A case's approvals, oldest first.
    fn approvals(&self, case_id: &str) -> Result<Vec<ApprovalRow>, StoreError>;
    /// Every approval in force (not superseded by a later one), by case id.
    fn approvals_in_force(&self) -> Result<Vec<ApprovalRow>, StoreError>;
}
