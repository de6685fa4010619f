//! The payment batches' tables in the SQLite journal: each 総合振込 export is a batch (its 振込指定日,
//! file, sha256, who, when, state), and each payment in it a row keyed by its approval. A payment
//! (approval) is in at most one batch that is not cancelled: a partial UNIQUE index on the live rows
//! makes a second one fail inside the transaction, whatever the caller checked before.
//!
//! An export runs inside one IMMEDIATE transaction ([`PaymentTx`]): it reads what is approved and not
//! yet in a live batch, the caller writes the files durably, and only then [`PaymentTx::record`]
//! inserts the batch, its payments and an audit entry and commits. A kill before the commit leaves no
//! record; the write lock held meanwhile keeps two exports from numbering the same batch.
//!
//! Called by `payment::batch` only.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use std::collections::BTreeMap;

use super::review::IN_FORCE;
use super::Journal;
use crate::decision::ScheduleLine;
use crate::review::store::{NewAudit, StoreError};

/// Migration 4 of the journal: payment batches.
pub(super) const MIGRATION: &str = "
    CREATE TABLE payment_batches (
        id INTEGER PRIMARY KEY,
        transfer_date TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        csv_name TEXT NOT NULL,
        csv_sha256 TEXT NOT NULL,
        count INTEGER NOT NULL,
        total_yen INTEGER NOT NULL,
        exported_by INTEGER NOT NULL REFERENCES users(id),
        exported_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('exported', 'sent', 'cancelled')),
        changed_by INTEGER REFERENCES users(id),
        changed_at TEXT
    );
    CREATE TABLE batch_payments (
        batch_id INTEGER NOT NULL REFERENCES payment_batches(id),
        position INTEGER NOT NULL,
        approval_id INTEGER NOT NULL REFERENCES approvals(id),
        case_id TEXT NOT NULL,
        amount_yen INTEGER NOT NULL,
        live INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (batch_id, position)
    );
    CREATE UNIQUE INDEX batch_payments_once ON batch_payments(approval_id) WHERE live = 1;
    CREATE INDEX batch_payments_case ON batch_payments(case_id);
    -- In force (no later approval supersedes it) is asked once per approval: without this
    -- index 10,000 approvals took 6.4 s to export, with it 0.33 s.
    CREATE INDEX approvals_supersedes ON approvals(supersedes);";

/// Migration 5 of the journal: the 振込明細一覧 PDF of each batch, and the stipend's months. A
/// stipend decision (RULES.md §2) is paid month by month, each month its own payment: a row's
/// `month` (`YYYY-MM`) names it, NULL for a one-off payment. A live row is unique per approval and
/// month, and a case's month is live at most once whichever approval pays it (a re-approval after
/// a correction never pays a month again).
pub(super) const MIGRATION_MONTHS: &str = "
    ALTER TABLE payment_batches ADD COLUMN list_name TEXT;
    ALTER TABLE payment_batches ADD COLUMN list_sha256 TEXT;
    ALTER TABLE batch_payments ADD COLUMN month TEXT;
    DROP INDEX batch_payments_once;
    CREATE UNIQUE INDEX batch_payments_once
        ON batch_payments(approval_id, COALESCE(month, '')) WHERE live = 1;
    CREATE UNIQUE INDEX batch_payments_case_month
        ON batch_payments(case_id, month) WHERE live = 1 AND month IS NOT NULL;";

/// A batch as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BatchRow {
    pub id: i64,
    pub transfer_date: NaiveDate,
    pub file_name: String,
    pub sha256: String,
    pub csv_name: String,
    pub csv_sha256: String,
    pub count: i64,
    pub total_yen: i64,
    pub exported_by: i64,
    pub exported_at: String,
    /// `exported`, `sent` or `cancelled`.
    pub state: String,
    /// The 振込明細一覧 PDF and its sha256 (batches exported before migration 5 have none).
    pub list_name: Option<String>,
    pub list_sha256: Option<String>,
}

/// One payment of a batch: its place in the file (顧客コード1) and what it pays.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BatchPaymentRow {
    pub position: i64,
    pub approval_id: i64,
    pub case_id: String,
    pub amount_yen: i64,
    /// The stipend month paid (`YYYY-MM`); `None` for a one-off payment.
    pub month: Option<String>,
}

/// An approved `pay` decision in force and not in any live batch — or, for a stipend decision
/// (one with a `schedule`), one of its paid months that no live batch pays yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpaid {
    pub approval_id: i64,
    pub case_id: String,
    pub document_number: String,
    pub decided_on: NaiveDate,
    /// The decision's amount, or the month's.
    pub amount_yen: i64,
    /// The stipend month (`YYYY-MM`); `None` for a one-off payment.
    pub month: Option<String>,
    /// A live batch paid this month of the case under an earlier approval, with another amount
    /// (batch, amount): the difference is a person's to settle, never paid blindly.
    pub month_paid: Option<(i64, i64)>,
    /// A live batch already paying another approval of the same case (a re-approval after a
    /// correction): the payment is held, never paid twice.
    pub case_in_batch: Option<i64>,
    /// The case was corrected after this approval and is not approved again yet: the amount may
    /// change, so the payment is held until the new decision is approved.
    pub reopened: bool,
}

/// A batch to record, after its files are durable.
pub struct NewBatch<'a> {
    pub id: i64,
    pub transfer_date: NaiveDate,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub csv_name: &'a str,
    pub csv_sha256: &'a str,
    pub exported_by: i64,
    pub exported_at: &'a str,
    pub list_name: &'a str,
    pub list_sha256: &'a str,
    pub payments: &'a [BatchPaymentRow],
    pub audit: &'a NewAudit,
}

const BATCH_COLUMNS: &str = "id, transfer_date, file_name, sha256, csv_name, csv_sha256, count, \
     total_yen, exported_by, exported_at, state, list_name, list_sha256";

fn batch_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<BatchRow> {
    let date: String = r.get(1)?;
    Ok(BatchRow {
        id: r.get(0)?,
        transfer_date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
        })?,
        file_name: r.get(2)?,
        sha256: r.get(3)?,
        csv_name: r.get(4)?,
        csv_sha256: r.get(5)?,
        count: r.get(6)?,
        total_yen: r.get(7)?,
        exported_by: r.get(8)?,
        exported_at: r.get(9)?,
        state: r.get(10)?,
        list_name: r.get(11)?,
        list_sha256: r.get(12)?,
    })
}

/// An export in progress: the journal's write lock is held until [`PaymentTx::record`] commits or
/// the value is dropped (rolled back).
pub struct PaymentTx<'a> {
    tx: Transaction<'a>,
}

impl PaymentTx<'_> {
    /// The number the next batch will have (numbers are never reused: cancelled batches stay).
    pub fn next_batch_id(&self) -> Result<i64, StoreError> {
        Ok(self.tx.query_row(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM payment_batches",
            [],
            |r| r.get(0),
        )?)
    }

    /// Every recorded batch number (to tell a batch folder from one a killed export left).
    pub fn batch_ids(&self) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .tx
            .prepare("SELECT id FROM payment_batches ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Approved `pay` decisions in force (not superseded) whose approval is in no live batch, by
    /// case id; a stipend decision gives each paid month of its schedule that no live batch pays
    /// (whether a month is due yet is the caller's rule, `payment::due`).
    pub fn unpaid(&self) -> Result<Vec<Unpaid>, StoreError> {
        // The months live batches pay, by case and month: (batch, amount, approval).
        let mut paid: BTreeMap<(String, String), (i64, i64, i64)> = BTreeMap::new();
        {
            let mut stmt = self.tx.prepare(
                "SELECT case_id, month, batch_id, amount_yen, approval_id FROM batch_payments
                 WHERE live = 1 AND month IS NOT NULL",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?, r.get(4)?)))
            })?;
            for row in rows {
                let (k, v) = row?;
                paid.insert(k, v);
            }
        }
        let mut stmt = self.tx.prepare(&format!(
            "SELECT a.id, a.case_id, a.document_number, a.decided_on, a.amount_yen,
                    (SELECT MIN(bp.batch_id) FROM batch_payments bp
                      WHERE bp.case_id = a.case_id AND bp.live = 1 AND bp.month IS NULL),
                    COALESCE((SELECT w.state FROM workflow w WHERE w.case_id = a.case_id),
                             'approved') <> 'approved',
                    json_extract(a.decision_json, '$.schedule')
             FROM approvals a
             WHERE a.outcome = 'pay'
               AND {IN_FORCE}
               AND (json_extract(a.decision_json, '$.schedule') IS NOT NULL
                    OR NOT EXISTS (SELECT 1 FROM batch_payments bp
                                    WHERE bp.approval_id = a.id AND bp.live = 1))
             ORDER BY a.case_id, a.id"
        ))?;
        let rows = stmt.query_map([], |r| {
            let date: String = r.get(3)?;
            let unpaid = Unpaid {
                approval_id: r.get(0)?,
                case_id: r.get(1)?,
                document_number: r.get(2)?,
                decided_on: NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        3,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?,
                amount_yen: r.get(4)?,
                month: None,
                month_paid: None,
                case_in_batch: r.get(5)?,
                reopened: r.get(6)?,
            };
            Ok((unpaid, r.get::<_, Option<String>>(7)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (u, schedule) = row?;
            let Some(schedule) = schedule else {
                out.push(u);
                continue;
            };
            for (month, amount) in schedule_months(&schedule)? {
                let key = (u.case_id.clone(), month.clone());
                if amount == 0 && !paid.contains_key(&key) {
                    continue; // a month the schedule does not pay (RULES.md §2 codes)
                }
                let m = Unpaid {
                    amount_yen: amount,
                    month: Some(month),
                    case_in_batch: None,
                    ..u.clone()
                };
                match paid.get(&key) {
                    None => out.push(m),
                    // Paid already: by this approval, or by an earlier one with the same amount.
                    Some(&(_, yen, approval)) if approval == u.approval_id || yen == amount => {}
                    Some(&(batch, yen, _)) => out.push(Unpaid {
                        month_paid: Some((batch, yen)),
                        ..m
                    }),
                }
            }
        }
        Ok(out)
    }

    /// The assembled case as first read (stage `assemble`'s output JSON), as `review` reads it.
    pub fn case_json(&self, case_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .query_row(
                "SELECT output_json FROM stage_runs WHERE subject = ?1 AND stage = 'assemble'
                 AND output_json IS NOT NULL ORDER BY id DESC LIMIT 1",
                params![case_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records the batch, its payments and the audit entry, and commits. Refused (nothing
    /// recorded) if any payment is already in a live batch.
    pub fn record(self, b: &NewBatch<'_>) -> Result<(), StoreError> {
        let total: i64 = b.payments.iter().map(|p| p.amount_yen).sum();
        self.tx.execute(
            "INSERT INTO payment_batches (id, transfer_date, file_name, sha256, csv_name,
                csv_sha256, count, total_yen, exported_by, exported_at, state, list_name,
                list_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'exported', ?11, ?12)",
            params![
                b.id,
                b.transfer_date.to_string(),
                b.file_name,
                b.sha256,
                b.csv_name,
                b.csv_sha256,
                b.payments.len() as i64,
                total,
                b.exported_by,
                b.exported_at,
                b.list_name,
                b.list_sha256
            ],
        )?;
        for p in b.payments {
            let inserted = self.tx.execute(
                "INSERT INTO batch_payments (batch_id, position, approval_id, case_id, amount_yen,
                    month)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    b.id,
                    p.position,
                    p.approval_id,
                    p.case_id,
                    p.amount_yen,
                    p.month
                ],
            );
            if let Err(rusqlite::Error::SqliteFailure(e, _)) = &inserted {
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE {
                    return Err(StoreError::Conflict("a payment is already in a live batch"));
                }
            }
            inserted?;
        }
        super::review::append(&self.tx, b.audit)?;
        self.tx.commit()?;
        Ok(())
    }
}

/// The months of a decision's `schedule` JSON, as (`YYYY-MM`, yen) — 0 for a month it does not
/// pay (kept: a month paid before a re-approval stopped it is an overpayment to show).
fn schedule_months(json: &str) -> Result<Vec<(String, i64)>, StoreError> {
    let lines: Vec<ScheduleLine> = serde_json::from_str(json)
        .map_err(|_| StoreError::Conflict("an approved decision's schedule is not readable"))?;
    Ok(lines.into_iter().map(|l| (l.month, l.amount_yen)).collect())
}

/// What became of a request to change a batch's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateChange {
    Done,
    NoSuchBatch,
    /// The batch is not `exported` (already sent or cancelled): its state is given.
    NotExported(&'static str),
}

impl Journal {
    /// Starts an export: takes the journal's write lock (see the module docs).
    pub fn begin_payment_export(&mut self) -> Result<PaymentTx<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(PaymentTx { tx })
    }

    /// A batch by number.
    pub fn payment_batch(&self, id: i64) -> Result<Option<BatchRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {BATCH_COLUMNS} FROM payment_batches WHERE id = ?1"),
                params![id],
                batch_from,
            )
            .optional()?)
    }

    /// Every batch, oldest first.
    pub fn payment_batches(&self) -> Result<Vec<BatchRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {BATCH_COLUMNS} FROM payment_batches ORDER BY id"
        ))?;
        let rows = stmt.query_map([], batch_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A batch's payments in file order.
    pub fn batch_payments(&self, batch_id: i64) -> Result<Vec<BatchPaymentRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT position, approval_id, case_id, amount_yen, month FROM batch_payments
             WHERE batch_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map(params![batch_id], |r| {
            Ok(BatchPaymentRow {
                position: r.get(0)?,
                approval_id: r.get(1)?,
                case_id: r.get(2)?,
                amount_yen: r.get(3)?,
                month: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The batches (other than `batch_id`) in which an approval (and stipend month) is live.
    pub fn other_live_batches(
        &self,
        approval_id: i64,
        month: Option<&str>,
        batch_id: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT batch_id FROM batch_payments
             WHERE approval_id = ?1 AND COALESCE(month, '') = COALESCE(?3, '') AND live = 1
               AND batch_id <> ?2 ORDER BY batch_id",
        )?;
        let rows = stmt.query_map(params![approval_id, batch_id, month], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether an approval is a `pay` decision still in force (not superseded by a later one):
    /// its case and the amount it pays — for a stipend `month`, that month's (0 if its schedule
    /// does not pay that month).
    pub fn approval_pays(
        &self,
        approval_id: i64,
        month: Option<&str>,
    ) -> Result<Option<(String, i64)>, StoreError> {
        let row: Option<(String, i64, Option<String>)> = self
            .conn
            .query_row(
                &format!(
                    "SELECT a.case_id, a.amount_yen, json_extract(a.decision_json, '$.schedule')
                     FROM approvals a WHERE a.id = ?1 AND a.outcome = 'pay' AND {IN_FORCE}"
                ),
                params![approval_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((case_id, amount, schedule)) = row else {
            return Ok(None);
        };
        let amount = match (month, schedule) {
            (None, _) => amount,
            (Some(m), Some(schedule)) => schedule_months(&schedule)?
                .into_iter()
                .find(|(month, _)| month == m)
                .map_or(0, |(_, yen)| yen),
            (Some(_), None) => 0,
        };
        Ok(Some((case_id, amount)))
    }

    /// Moves an `exported` batch to `sent` (the bank has it) or `cancelled` (its payments return to
    /// the pool), with its audit entry, in one transaction.
    pub fn change_batch_state(
        &mut self,
        id: i64,
        to_cancelled: bool,
        user_id: i64,
        at: &str,
        audit: &NewAudit,
    ) -> Result<StateChange, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let state: Option<String> = tx
            .query_row(
                "SELECT state FROM payment_batches WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        match state.as_deref() {
            None => return Ok(StateChange::NoSuchBatch),
            Some("exported") => {}
            Some("sent") => return Ok(StateChange::NotExported("sent")),
            Some(_) => return Ok(StateChange::NotExported("cancelled")),
        }
        let new_state = if to_cancelled { "cancelled" } else { "sent" };
        tx.execute(
            "UPDATE payment_batches SET state = ?2, changed_by = ?3, changed_at = ?4 WHERE id = ?1",
            params![id, new_state, user_id, at],
        )?;
        if to_cancelled {
            tx.execute(
                "UPDATE batch_payments SET live = 0 WHERE batch_id = ?1",
                params![id],
            )?;
        }
        super::review::append(&tx, audit)?;
        tx.commit()?;
        Ok(StateChange::Done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audit(action: &str) -> NewAudit {
        NewAudit {
            at: "2026-12-07T10:00:00+09:00".into(),
            user_id: Some(1),
            action: action.into(),
            case_id: None,
            detail: "{}".into(),
        }
    }

    fn approve(j: &Journal, id: i64, case: &str, amount: i64, supersedes: Option<i64>) {
        approve_json(j, id, case, amount, supersedes, "{}");
    }

    fn approve_json(
        j: &Journal,
        id: i64,
        case: &str,
        amount: i64,
        supersedes: Option<i64>,
        decision_json: &str,
    ) {
        j.conn
            .execute(
                "INSERT INTO approvals (id, case_id, fiscal_year, number, document_number,
                    decided_on, drafted_by, approved_by, outcome, amount_yen, decision_version,
                    decision_json, notice_sha256, supersedes, at)
                 VALUES (?1, ?2, 2026, ?1, '第1号', '2026-12-01', 1, 2, 'pay', ?3, 1, ?5, '00',
                    ?4, 't')",
                params![id, case, amount, supersedes, decision_json],
            )
            .unwrap();
    }

    fn journal(name: &str) -> (std::path::PathBuf, Journal) {
        let dir = std::env::temp_dir().join(format!("kyufu-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.sqlite");
        let _ = std::fs::remove_file(&path);
        let j = Journal::open(&path).unwrap();
        j.conn
            .execute_batch(
                "INSERT INTO users (id, name, role, password_hash, created_at)
                 VALUES (1, 'sato', 'staff', 'x', 't'), (2, 'ito', 'approver', 'x', 't');",
            )
            .unwrap();
        (dir, j)
    }

    fn record(j: &mut Journal, payments: &[BatchPaymentRow]) -> Result<i64, StoreError> {
        let tx = j.begin_payment_export()?;
        let id = tx.next_batch_id()?;
        tx.record(&NewBatch {
            id,
            transfer_date: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
            file_name: "f.txt",
            sha256: "aa",
            csv_name: "f.csv",
            csv_sha256: "bb",
            list_name: "f.pdf",
            list_sha256: "cc",
            exported_by: 2,
            exported_at: "t",
            payments,
            audit: &audit("payments_exported"),
        })?;
        Ok(id)
    }

    fn row(approval_id: i64, case: &str) -> BatchPaymentRow {
        BatchPaymentRow {
            position: 1,
            approval_id,
            case_id: case.into(),
            amount_yen: 59_400,
            month: None,
        }
    }

    /// A stipend of 100,000円 a month from April to June 2027 (May not paid, `no_attendance`), with
    /// July at `july` yen.
    fn stipend(july: i64) -> String {
        serde_json::json!({"schedule": [
            {"month": "2027-04", "amount_yen": 100_000},
            {"month": "2027-05", "amount_yen": 0, "code": "no_attendance"},
            {"month": "2027-06", "amount_yen": 100_000},
            {"month": "2027-07", "amount_yen": july},
        ]})
        .to_string()
    }

    fn month_row(position: i64, approval_id: i64, month: &str, yen: i64) -> BatchPaymentRow {
        BatchPaymentRow {
            position,
            approval_id,
            case_id: "2027-000001".into(),
            amount_yen: yen,
            month: Some(month.into()),
        }
    }

    /// Each paid month of an approved schedule is its own payment; a paid month is not offered
    /// again, under the same approval or a re-approval with the same amount; a re-approval that
    /// changes a paid month's amount is offered with what was paid (for a person); a month is
    /// live once per case whichever approval pays it.
    #[test]
    fn a_stipend_is_paid_month_by_month_each_month_once() {
        let (dir, mut j) = journal("payment-months");
        approve_json(&j, 1, "2027-000001", 300_000, None, &stipend(100_000));
        /// (approval, month, yen, what a live batch paid for it under an earlier approval)
        type Offered = (i64, String, i64, Option<(i64, i64)>);
        let months = |j: &mut Journal| -> Vec<Offered> {
            let tx = j.begin_payment_export().unwrap();
            tx.unpaid()
                .unwrap()
                .into_iter()
                .map(|u| (u.approval_id, u.month.unwrap(), u.amount_yen, u.month_paid))
                .collect()
        };
        let m = |a, month: &str, yen, paid| (a, month.to_string(), yen, paid);
        assert_eq!(
            months(&mut j),
            vec![
                m(1, "2027-04", 100_000, None),
                m(1, "2027-06", 100_000, None),
                m(1, "2027-07", 100_000, None)
            ],
            "the unpaid May is no payment"
        );
        record(&mut j, &[month_row(1, 1, "2027-04", 100_000)]).unwrap();
        assert_eq!(
            months(&mut j),
            vec![
                m(1, "2027-06", 100_000, None),
                m(1, "2027-07", 100_000, None)
            ]
        );
        assert_eq!(
            j.approval_pays(1, Some("2027-06")).unwrap(),
            Some(("2027-000001".into(), 100_000))
        );
        assert_eq!(
            j.approval_pays(1, Some("2027-05")).unwrap(),
            Some(("2027-000001".into(), 0)),
            "a month the schedule does not pay"
        );

        // Re-approved with July changed: April (paid, same amount) is not offered again.
        approve_json(&j, 2, "2027-000001", 290_000, Some(1), &stipend(90_000));
        assert_eq!(
            months(&mut j),
            vec![
                m(2, "2027-06", 100_000, None),
                m(2, "2027-07", 90_000, None)
            ]
        );
        // The re-approval cannot pay April again, even if asked to.
        assert!(matches!(
            record(&mut j, &[month_row(1, 2, "2027-04", 100_000)]),
            Err(StoreError::Conflict(_))
        ));
        record(&mut j, &[month_row(1, 2, "2027-07", 90_000)]).unwrap();
        // Re-approved again with July at 100,000円: July was paid 90,000円 (batch 2) — for a person.
        approve_json(&j, 3, "2027-000001", 300_000, Some(2), &stipend(100_000));
        assert_eq!(
            months(&mut j),
            vec![
                m(3, "2027-06", 100_000, None),
                m(3, "2027-07", 100_000, Some((2, 90_000)))
            ]
        );
        assert_eq!(
            j.other_live_batches(2, Some("2027-07"), 9).unwrap(),
            vec![2]
        );
        // Re-approved with April not paid after all (its attendance report said 0 days): April
        // was paid 100,000円 (batch 1) — offered at 0円 with what was paid, for a person.
        let april_stopped = stipend(100_000).replace(
            r#"{"amount_yen":100000,"month":"2027-04"}"#,
            r#"{"amount_yen":0,"code":"no_attendance","month":"2027-04"}"#,
        );
        assert_ne!(april_stopped, stipend(100_000));
        approve_json(&j, 4, "2027-000001", 200_000, Some(3), &april_stopped);
        assert_eq!(
            months(&mut j),
            vec![
                m(4, "2027-04", 0, Some((1, 100_000))),
                m(4, "2027-06", 100_000, None),
                m(4, "2027-07", 100_000, Some((2, 90_000)))
            ]
        );
        assert!(j.other_live_batches(2, None, 9).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_approval_is_in_one_live_batch_until_that_batch_is_cancelled() {
        let dir = std::env::temp_dir().join(format!("kyufu-payment-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.sqlite");
        let _ = std::fs::remove_file(&path);
        let mut j = Journal::open(&path).unwrap();
        j.conn
            .execute_batch(
                "INSERT INTO users (id, name, role, password_hash, created_at)
                 VALUES (1, 'sato', 'staff', 'x', 't'), (2, 'ito', 'approver', 'x', 't');",
            )
            .unwrap();
        approve(&j, 1, "2026-000001", 59_400, None);
        let unpaid = |j: &mut Journal| -> Vec<i64> {
            let tx = j.begin_payment_export().unwrap();
            tx.unpaid().unwrap().iter().map(|u| u.approval_id).collect()
        };
        assert_eq!(unpaid(&mut j), vec![1]);
        assert_eq!(record(&mut j, &[row(1, "2026-000001")]).unwrap(), 1);
        assert!(unpaid(&mut j).is_empty());

        // A second live batch with the same approval is refused inside the transaction, and
        // leaves nothing behind.
        assert!(matches!(
            record(&mut j, &[row(1, "2026-000001")]),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(j.payment_batches().unwrap().len(), 1);

        // A re-approval of the same case is not paid while the first is live.
        approve(&j, 2, "2026-000001", 49_400, Some(1));
        let tx = j.begin_payment_export().unwrap();
        let u = tx.unpaid().unwrap();
        assert_eq!(u.len(), 1);
        assert_eq!((u[0].approval_id, u[0].case_in_batch), (2, Some(1)));
        drop(tx);

        // A case corrected after its approval (back to draft) is held until approved again.
        approve(&j, 3, "2026-000002", 30_000, None);
        let state = |j: &Journal, s: &str| {
            j.conn
                .execute(
                    "INSERT OR REPLACE INTO workflow (case_id, state, updated_at)
                     VALUES ('2026-000002', ?1, 't')",
                    params![s],
                )
                .unwrap()
        };
        state(&j, "draft");
        let tx = j.begin_payment_export().unwrap();
        assert!(tx
            .unpaid()
            .unwrap()
            .iter()
            .any(|u| u.approval_id == 3 && u.reopened));
        drop(tx);
        state(&j, "approved");

        // Sent batches stay; cancelled ones free their payments, and numbers are never reused.
        let cancel = |j: &mut Journal, id| j.change_batch_state(id, true, 2, "t", &audit("c"));
        assert_eq!(cancel(&mut j, 1).unwrap(), StateChange::Done);
        assert_eq!(
            cancel(&mut j, 1).unwrap(),
            StateChange::NotExported("cancelled")
        );
        assert_eq!(cancel(&mut j, 9).unwrap(), StateChange::NoSuchBatch);
        assert_eq!(unpaid(&mut j), vec![2, 3]);
        assert_eq!(j.approval_pays(1, None).unwrap(), None, "superseded");
        assert_eq!(record(&mut j, &[row(2, "2026-000001")]).unwrap(), 2);
        let sent = j.change_batch_state(2, false, 2, "t", &audit("s")).unwrap();
        assert_eq!(sent, StateChange::Done);
        assert_eq!(cancel(&mut j, 2).unwrap(), StateChange::NotExported("sent"));
        assert!(j.other_live_batches(2, None, 2).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// 10,000 approved payments through the whole export (journal, checks, file, CSV, record)
    /// and `--verify`; prints the rate and the file's size.
    #[test]
    fn ten_thousand_approved_payments_are_exported_once_and_verify() {
        use crate::case::application::Bank;
        use crate::case::{Application, Case};
        let dir = std::env::temp_dir().join(format!("kyufu-payment-10k-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut cfg: crate::config::Config = toml::from_str(
            "[payment]\nremitter_code = \"1234567890\"\nremitter_name_kana = \"ｻｲﾀﾏｼ\"\n\
             bank_code = \"0001\"\nbank_name_kana = \"ﾃｽﾄ\"\nbranch_code = \"001\"\n\
             branch_name_kana = \"ﾎﾝﾃﾝ\"\naccount_type = \"ordinary\"\naccount_number = \"1234567\"\n",
        )
        .unwrap();
        cfg.state = dir.join("state");
        cfg.outbox = dir.join("outbox");
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T09:00:00+09:00").unwrap();
        let mut desk = crate::review::Desk::open(&cfg).unwrap();
        desk.add_user(None, "root", crate::review::Role::Admin, "root-pass-1", now)
            .unwrap();
        let actor = desk.login("root", "root-pass-1", now).unwrap();
        let mut j = Journal::open(&cfg.state.join("journal.sqlite")).unwrap();
        let n = 10_000i64;
        {
            let tx = j.conn.transaction().unwrap();
            for i in 1..=n {
                let case = format!("2026-{i:06}");
                let app = Application {
                    bank: Some(Bank {
                        bank_code: Some(format!("{:04}", i % 9000 + 1)),
                        branch_code: Some(format!("{:03}", i % 900 + 1)),
                        account_type: Some("ordinary".into()),
                        account_number: Some(format!("{:07}", i * 7)),
                        holder_kana: Some("ヤマダ ハナコ".into()),
                    }),
                    ..Application::default()
                };
                let json = serde_json::to_string(&Case {
                    case_id: case.clone(),
                    application: app,
                    documents: Vec::new(),
                })
                .unwrap();
                tx.execute(
                    "INSERT INTO stage_runs (subject, stage, started_at, output_json)
                     VALUES (?1, 'assemble', 't', ?2)",
                    params![case, json],
                )
                .unwrap();
                tx.execute(
                    "INSERT INTO approvals (id, case_id, fiscal_year, number, document_number,
                        decided_on, drafted_by, approved_by, outcome, amount_yen,
                        decision_version, decision_json, notice_sha256, at)
                     VALUES (?1, ?2, 2026, ?1, '第1号', '2026-12-01', 1, 1, 'pay', ?3, 1, '{}',
                        '00', 't')",
                    params![i, case, 10_000 + i],
                )
                .unwrap();
            }
            tx.commit().unwrap();
        }
        let date = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let started = std::time::Instant::now();
        let out = crate::payment::batch::export_batch(&mut j, &cfg, &actor, date, now).unwrap();
        let took = started.elapsed().as_secs_f64();
        let b = out.batch.expect("a batch");
        let list = std::fs::metadata(&b.list).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "10,000 approved payments exported in {took:.2} s ({:.0}/s); file {} bytes; 振込明細一覧 {list} bytes",
            n as f64 / took,
            b.bytes
        );
        assert!(list > 0, "the list is written");
        assert_eq!(out.count, n as usize);
        assert_eq!(out.total_yen, (1..=n).map(|i| 10_000 + i).sum::<i64>());
        assert_eq!(b.bytes, (n as usize + 3) * 122);
        let v = crate::payment::reconcile::verify(&j, &b.file).unwrap();
        assert!(v.ok(), "{:?}", v.problems);
        let again = crate::payment::batch::export_batch(&mut j, &cfg, &actor, date, now).unwrap();
        assert_eq!((again.count, again.batch), (0, None));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
