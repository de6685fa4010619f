//! The review desk's tables in the SQLite journal: users, the hash-chained audit log (append-only:
//! triggers refuse UPDATE and DELETE), corrections, each case's 起案 → 決裁 state and its approvals
//! with their 文書番号 (a counter per fiscal year in `counters`, named `docno-<年度>`).
//!
//! Implements [`ReviewStore`] for [`Journal`]; `review::Desk` is the only caller. Each change is one
//! transaction with its audit entry.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row, Transaction, TransactionBehavior};

use super::Journal;
use crate::review::audit::{entry_hash, GENESIS};
use crate::review::store::{
    ApprovalRow, AuditRow, CorrectionRow, DecisionVersion, Flow, NewAudit, NewCorrection,
    ReviewStore, StoreError, UserRow, WorkflowRow,
};
use crate::review::Role;

/// Migration 3 of the journal: the review desk.
pub(super) const MIGRATION: &str = "
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        retry_after TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER,
        action TEXT NOT NULL,
        case_id TEXT,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL,
        target TEXT NOT NULL,
        old_json TEXT NOT NULL,
        new_json TEXT NOT NULL,
        reason TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id),
        source TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX corrections_case ON corrections(case_id, id);
    CREATE TABLE workflow (
        case_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        drafted_by INTEGER REFERENCES users(id),
        decision_version INTEGER,
        comment TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE approvals (
        id INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL,
        fiscal_year INTEGER NOT NULL,
        number INTEGER NOT NULL,
        document_number TEXT NOT NULL,
        decided_on TEXT NOT NULL,
        drafted_by INTEGER NOT NULL REFERENCES users(id),
        approved_by INTEGER NOT NULL REFERENCES users(id),
        outcome TEXT NOT NULL,
        amount_yen INTEGER NOT NULL,
        decision_version INTEGER NOT NULL,
        decision_json TEXT NOT NULL,
        notice_sha256 TEXT NOT NULL,
        supersedes INTEGER REFERENCES approvals(id),
        at TEXT NOT NULL,
        UNIQUE (fiscal_year, number)
    );
    CREATE INDEX approvals_case ON approvals(case_id, id);";

/// Appends an audit entry inside `tx`, chained to the last one.
pub(super) fn append(tx: &Transaction<'_>, a: &NewAudit) -> Result<(), StoreError> {
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (id, prev) = match last {
        Some((id, hash)) => (id + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let hash = entry_hash(
        &prev,
        id,
        &a.at,
        a.user_id,
        &a.action,
        a.case_id.as_deref(),
        &a.detail,
    );
    tx.execute(
        "INSERT INTO audit (id, at, user_id, action, case_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, a.at, a.user_id, a.action, a.case_id, a.detail, prev, hash],
    )?;
    Ok(())
}

fn user_from(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    let role: String = r.get(2)?;
    Ok(UserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::from_id(&role).unwrap_or(Role::Staff),
        password_hash: r.get(3)?,
        failed_logins: r.get(4)?,
        retry_after: r.get(5)?,
    })
}

const USER_COLUMNS: &str = "id, name, role, password_hash, failed_logins, retry_after";

fn json_of(text: String) -> serde_json::Value {
    serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))
}

fn correction_from(r: &Row<'_>) -> rusqlite::Result<CorrectionRow> {
    Ok(CorrectionRow {
        id: r.get(0)?,
        case_id: r.get(1)?,
        target: r.get(2)?,
        old: json_of(r.get(3)?),
        new: json_of(r.get(4)?),
        reason: r.get(5)?,
        user_id: r.get(6)?,
        source: r.get(7)?,
        at: r.get(8)?,
    })
}

fn workflow_from(r: &Row<'_>) -> rusqlite::Result<WorkflowRow> {
    let state: String = r.get(1)?;
    Ok(WorkflowRow {
        case_id: r.get(0)?,
        state: Flow::from_id(&state),
        drafted_by: r.get(2)?,
        decision_version: r.get(3)?,
        comment: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

const APPROVAL_COLUMNS: &str = "id, case_id, fiscal_year, number, document_number, decided_on,
    drafted_by, approved_by, outcome, amount_yen, decision_version, decision_json, notice_sha256,
    supersedes, at";

/// SQL: the approval `a` is in force — no later approval supersedes it. The one definition, for the
/// review queue and the payment export alike.
pub(super) const IN_FORCE: &str =
    "NOT EXISTS (SELECT 1 FROM approvals b WHERE b.supersedes = a.id)";

fn approval_from(r: &Row<'_>) -> rusqlite::Result<ApprovalRow> {
    let decided: String = r.get(5)?;
    Ok(ApprovalRow {
        id: r.get(0)?,
        case_id: r.get(1)?,
        fiscal_year: r.get(2)?,
        number: r.get(3)?,
        document_number: r.get(4)?,
        decided_on: decided.parse::<NaiveDate>().unwrap_or_default(),
        drafted_by: r.get(6)?,
        approved_by: r.get(7)?,
        outcome: r.get(8)?,
        amount_yen: r.get(9)?,
        decision_version: r.get(10)?,
        decision_json: r.get(11)?,
        notice_sha256: r.get(12)?,
        supersedes: r.get(13)?,
        at: r.get(14)?,
    })
}

impl ReviewStore for Journal {
    fn user_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
    }

    fn user_by_name(&self, name: &str) -> Result<Option<UserRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"),
                params![name],
                user_from,
            )
            .optional()?)
    }

    fn user_by_id(&self, id: i64) -> Result<Option<UserRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
                params![id],
                user_from,
            )
            .optional()?)
    }

    fn add_user(
        &mut self,
        name: &str,
        role: Role,
        password_hash: &str,
        audit: &NewAudit,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.id(), password_hash, audit.at],
        )?;
        let id = tx.last_insert_rowid();
        let mut a = audit.clone();
        a.detail = serde_json::json!({"user": id, "role": role.id()}).to_string();
        append(&tx, &a)?;
        tx.commit()?;
        Ok(id)
    }

    fn login_failed(
        &mut self,
        user_id: i64,
        failures: i64,
        retry_after: &str,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE users SET failed_logins = ?2, retry_after = ?3 WHERE id = ?1",
            params![user_id, failures, retry_after],
        )?;
        append(&tx, audit)?;
        tx.commit()?;
        Ok(())
    }

    fn login_succeeded(&mut self, user_id: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE users SET failed_logins = 0, retry_after = NULL WHERE id = ?1",
            params![user_id],
        )?;
        Ok(())
    }

    fn audit_entries(&self) -> Result<Vec<AuditRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, at, user_id, action, case_id, detail, prev_hash, hash FROM audit ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(AuditRow {
                id: r.get(0)?,
                at: r.get(1)?,
                user_id: r.get(2)?,
                action: r.get(3)?,
                case_id: r.get(4)?,
                detail: r.get(5)?,
                prev_hash: r.get(6)?,
                hash: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn append_audit(&mut self, audit: &NewAudit) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        append(&tx, audit)?;
        tx.commit()?;
        Ok(())
    }

    fn case_as_read(&self, case_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.case_json(case_id)?)
    }

    fn latest_decisions(&self) -> Result<Vec<DecisionVersion>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT d.case_id, d.version, d.json FROM decisions d
             JOIN (SELECT case_id, MAX(version) AS v FROM decisions GROUP BY case_id) m
               ON m.case_id = d.case_id AND m.v = d.version
             ORDER BY d.case_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DecisionVersion {
                case_id: r.get(0)?,
                version: r.get(1)?,
                json: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn latest_decision(&self, case_id: &str) -> Result<Option<DecisionVersion>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT case_id, version, json FROM decisions WHERE case_id = ?1
                 ORDER BY version DESC LIMIT 1",
                params![case_id],
                |r| {
                    Ok(DecisionVersion {
                        case_id: r.get(0)?,
                        version: r.get(1)?,
                        json: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    fn corrections(&self, case_id: &str) -> Result<Vec<CorrectionRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, case_id, target, old_json, new_json, reason, user_id, source, at
             FROM corrections WHERE case_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![case_id], correction_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn add_correction(
        &mut self,
        c: &NewCorrection<'_>,
        audit: &NewAudit,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let state: Option<String> = tx
            .query_row(
                "SELECT state FROM workflow WHERE case_id = ?1",
                params![c.case_id],
                |r| r.get(0),
            )
            .optional()?;
        if state.as_deref() == Some(Flow::Submitted.id()) {
            return Err(StoreError::Conflict("the case is waiting for approval"));
        }
        tx.execute(
            "INSERT INTO corrections (case_id, target, old_json, new_json, reason, user_id, source, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'person', ?7)",
            params![
                c.case_id,
                c.target,
                c.old.to_string(),
                c.new.to_string(),
                c.reason,
                c.user_id,
                c.at
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO decisions (case_id, version, outcome, amount_yen, json, written_at)
             VALUES (?1, (SELECT COALESCE(MAX(version), 0) + 1 FROM decisions WHERE case_id = ?1),
                     ?2, ?3, ?4, ?5)",
            params![c.case_id, c.outcome, c.amount_yen, c.decision_json, c.at],
        )?;
        for (path, sha) in &c.outputs {
            tx.execute(
                "INSERT OR REPLACE INTO outputs (case_id, path, sha256, written_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![c.case_id, path, sha, c.at],
            )?;
        }
        // An approved decision stays as approved; the case is a draft again until the new decision
        // is approved in its turn.
        if state.as_deref() == Some(Flow::Approved.id()) {
            tx.execute(
                "UPDATE workflow SET state = 'draft', decision_version = NULL, comment = NULL,
                    updated_at = ?2 WHERE case_id = ?1",
                params![c.case_id, c.at],
            )?;
        }
        let mut a = audit.clone();
        a.detail = serde_json::json!({"correction": id, "target": c.target}).to_string();
        append(&tx, &a)?;
        tx.commit()?;
        Ok(id)
    }

    fn workflow(&self, case_id: &str) -> Result<Option<WorkflowRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT case_id, state, drafted_by, decision_version, comment, updated_at
                 FROM workflow WHERE case_id = ?1",
                params![case_id],
                workflow_from,
            )
            .optional()?)
    }

    fn all_workflows(&self) -> Result<Vec<WorkflowRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT case_id, state, drafted_by, decision_version, comment, updated_at
             FROM workflow ORDER BY case_id",
        )?;
        let rows = stmt.query_map([], workflow_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn set_workflow(
        &mut self,
        row: &WorkflowRow,
        from: &[Flow],
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now: Option<String> = tx
            .query_row(
                "SELECT state FROM workflow WHERE case_id = ?1",
                params![row.case_id],
                |r| r.get(0),
            )
            .optional()?;
        let now = now.map_or(Flow::Draft, |s| Flow::from_id(&s));
        if !from.contains(&now) {
            return Err(StoreError::Conflict("the case is not in a state for this"));
        }
        tx.execute(
            "INSERT OR REPLACE INTO workflow (case_id, state, drafted_by, decision_version, comment,
                updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                row.case_id,
                row.state.id(),
                row.drafted_by,
                row.decision_version,
                row.comment,
                row.updated_at
            ],
        )?;
        append(&tx, audit)?;
        tx.commit()?;
        Ok(())
    }

    fn next_document_number(&self, fiscal_year: i32) -> Result<i64, StoreError> {
        let n: Option<i64> = self
            .conn
            .query_row(
                "SELECT value FROM counters WHERE name = ?1",
                params![format!("docno-{fiscal_year}")],
                |r| r.get(0),
            )
            .optional()?;
        Ok(n.unwrap_or(0) + 1)
    }

    fn record_approval(&mut self, row: &ApprovalRow, audit: &NewAudit) -> Result<i64, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let key = format!("docno-{}", row.fiscal_year);
        let current: i64 = tx
            .query_row(
                "SELECT value FROM counters WHERE name = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        if current + 1 != row.number {
            return Err(StoreError::NumberTaken);
        }
        let moved = tx.execute(
            "UPDATE workflow SET state = 'approved', updated_at = ?3
             WHERE case_id = ?1 AND state = 'submitted' AND decision_version = ?2",
            params![row.case_id, row.decision_version, row.at],
        )?;
        if moved != 1 {
            return Err(StoreError::Conflict(
                "the case is no longer waiting for approval",
            ));
        }
        tx.execute(
            "INSERT INTO counters (name, value) VALUES (?1, ?2)
             ON CONFLICT(name) DO UPDATE SET value = ?2",
            params![key, row.number],
        )?;
        tx.execute(
            &format!(
                "INSERT INTO approvals ({}) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                    ?11, ?12, ?13, ?14)",
                APPROVAL_COLUMNS
            ),
            params![
                row.case_id,
                row.fiscal_year,
                row.number,
                row.document_number,
                row.decided_on.to_string(),
                row.drafted_by,
                row.approved_by,
                row.outcome,
                row.amount_yen,
                row.decision_version,
                row.decision_json,
                row.notice_sha256,
                row.supersedes,
                row.at
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT OR REPLACE INTO outputs (case_id, path, sha256, written_at)
             VALUES (?1, 'final/notice.pdf', ?2, ?3)",
            params![row.case_id, row.notice_sha256, row.at],
        )?;
        let mut a = audit.clone();
        a.detail = serde_json::json!({
            "approval": id,
            "document_number": row.document_number,
            "notice_sha256": row.notice_sha256,
        })
        .to_string();
        append(&tx, &a)?;
        tx.commit()?;
        Ok(id)
    }

    fn approvals(&self, case_id: &str) -> Result<Vec<ApprovalRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {APPROVAL_COLUMNS} FROM approvals WHERE case_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map(params![case_id], approval_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn approvals_in_force(&self) -> Result<Vec<ApprovalRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {APPROVAL_COLUMNS} FROM approvals a WHERE {IN_FORCE} ORDER BY case_id, id"
        ))?;
        let rows = stmt.query_map([], approval_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audit(action: &str) -> NewAudit {
        NewAudit {
            at: "2027-03-31T10:00:00+09:00".into(),
            user_id: Some(1),
            action: action.into(),
            case_id: Some("2026-000001".into()),
            detail: "{}".into(),
        }
    }

    fn approval(number: i64) -> ApprovalRow {
        ApprovalRow {
            id: 0,
            case_id: "2026-000001".into(),
            fiscal_year: 2026,
            number,
            document_number: format!("第{number}号"),
            decided_on: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
            drafted_by: 1,
            approved_by: 2,
            outcome: "pay".into(),
            amount_yen: 59_400,
            decision_version: 1,
            decision_json: "{}".into(),
            notice_sha256: "00".into(),
            supersedes: None,
            at: "2027-03-31T10:00:00+09:00".into(),
        }
    }

    #[test]
    fn an_approval_takes_the_next_number_once_and_only_of_a_submitted_case() {
        let dir = std::env::temp_dir().join(format!("kyufu-review-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.sqlite");
        let _ = std::fs::remove_file(&path);
        let mut j = Journal::open(&path).unwrap();
        for (name, role) in [("sato", Role::Staff), ("ito", Role::Approver)] {
            j.add_user(name, role, "$argon2id$x", &audit("user_added"))
                .unwrap();
        }
        assert_eq!(j.next_document_number(2026).unwrap(), 1);
        assert!(
            matches!(
                j.record_approval(&approval(1), &audit("approved")),
                Err(StoreError::Conflict(_))
            ),
            "a case nobody submitted is not approved"
        );
        let submitted = WorkflowRow {
            case_id: "2026-000001".into(),
            state: Flow::Submitted,
            drafted_by: Some(1),
            decision_version: Some(1),
            comment: None,
            updated_at: "t".into(),
        };
        j.set_workflow(&submitted, &[Flow::Draft], &audit("submitted"))
            .unwrap();
        assert!(matches!(
            j.set_workflow(&submitted, &[Flow::Draft], &audit("submitted")),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            j.record_approval(&approval(2), &audit("approved")),
            Err(StoreError::NumberTaken)
        ));
        j.record_approval(&approval(1), &audit("approved")).unwrap();
        assert_eq!(j.next_document_number(2026).unwrap(), 2);
        assert_eq!(j.next_document_number(2027).unwrap(), 1);
        assert!(
            matches!(
                j.record_approval(&approval(2), &audit("approved")),
                Err(StoreError::Conflict(_))
            ),
            "approved once"
        );
        let rows = j.audit_entries().unwrap();
        assert_eq!(rows.len(), 4, "refused actions leave no entry");
        assert_eq!(crate::review::audit::verify(&rows).broken, None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
