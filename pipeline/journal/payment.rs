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

use super::Journal;
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
    CREATE INDEX batch_payments_case ON batch_payments(case_id);";

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
}

/// One payment of a batch: its place in the file (顧客コード1) and what it pays.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BatchPaymentRow {
    pub position: i64,
    pub approval_id: i64,
    pub case_id: String,
    pub amount_yen: i64,
}

/// An approved `pay` decision in force and not in any live batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpaid {
    pub approval_id: i64,
    pub case_id: String,
    pub document_number: String,
    pub decided_on: NaiveDate,
    pub amount_yen: i64,
    /// A live batch already paying another approval of the same case (a re-approval after a
    /// correction): the payment is held, never paid twice.
    pub case_in_batch: Option<i64>,
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
    pub payments: &'a [BatchPaymentRow],
    pub audit: &'a NewAudit,
}

const BATCH_COLUMNS: &str = "id, transfer_date, file_name, sha256, csv_name, csv_sha256, count, \
     total_yen, exported_by, exported_at, state";

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
    /// case id.
    pub fn unpaid(&self) -> Result<Vec<Unpaid>, StoreError> {
        let mut stmt = self.tx.prepare(
            "SELECT a.id, a.case_id, a.document_number, a.decided_on, a.amount_yen,
                    (SELECT MIN(bp.batch_id) FROM batch_payments bp
                      WHERE bp.case_id = a.case_id AND bp.live = 1)
             FROM approvals a
             WHERE a.outcome = 'pay'
               AND NOT EXISTS (SELECT 1 FROM approvals b WHERE b.supersedes = a.id)
               AND NOT EXISTS (SELECT 1 FROM batch_payments bp
                                WHERE bp.approval_id = a.id AND bp.live = 1)
             ORDER BY a.case_id, a.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let date: String = r.get(3)?;
            Ok(Unpaid {
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
                case_in_batch: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
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
                csv_sha256, count, total_yen, exported_by, exported_at, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'exported')",
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
                b.exported_at
            ],
        )?;
        for p in b.payments {
            let inserted = self.tx.execute(
                "INSERT INTO batch_payments (batch_id, position, approval_id, case_id, amount_yen)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![b.id, p.position, p.approval_id, p.case_id, p.amount_yen],
            );
            if let Err(rusqlite::Error::SqliteFailure(e, _)) = &inserted {
                if e.code == rusqlite::ErrorCode::ConstraintViolation {
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
            "SELECT position, approval_id, case_id, amount_yen FROM batch_payments
             WHERE batch_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map(params![batch_id], |r| {
            Ok(BatchPaymentRow {
                position: r.get(0)?,
                approval_id: r.get(1)?,
                case_id: r.get(2)?,
                amount_yen: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The batches (other than `batch_id`) in which an approval is live.
    pub fn other_live_batches(
        &self,
        approval_id: i64,
        batch_id: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT batch_id FROM batch_payments
             WHERE approval_id = ?1 AND live = 1 AND batch_id <> ?2 ORDER BY batch_id",
        )?;
        let rows = stmt.query_map(params![approval_id, batch_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether an approval is a `pay` decision still in force (not superseded by a later one).
    pub fn approval_pays(&self, approval_id: i64) -> Result<Option<(String, i64)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT a.case_id, a.amount_yen FROM approvals a
                 WHERE a.id = ?1 AND a.outcome = 'pay'
                   AND NOT EXISTS (SELECT 1 FROM approvals b WHERE b.supersedes = a.id)",
                params![approval_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
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
