//! `kyufu export-payments --verify FILE`: a 総合振込 file read back and checked against the journal —
//! the file is the one its batch recorded (sha256), every data record is the payment the batch holds
//! at that place (approval, amount) and that approval is a `pay` decision still in force and in no
//! other live batch (for a stipend month: that month of the approved schedule, with its amount), and the trailer's count and total equal the records and the batch.
//!
//! Read-only: it changes nothing. Problems name record numbers, case ids and batch numbers, never a
//! payee or an account. Called by `main.rs`.

use std::path::Path;

use serde::Serialize;

use super::batch::BatchError;
use super::zengin;
use crate::journal::Journal;
use crate::run::files::sha256_hex;

/// What the check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    pub batch: Option<i64>,
    pub records: usize,
    pub total_yen: i64,
    /// Each in Japanese; empty = the file matches the journal.
    pub problems: Vec<String>,
}

impl Verified {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn render_ja(&self) -> String {
        let head = match self.batch {
            Some(b) => format!(
                "振込データ 第{b}号: {} 件、合計 金{}円",
                self.records,
                crate::render::notice::format_yen(self.total_yen)
            ),
            None => "振込データ".to_string(),
        };
        if self.ok() {
            return format!("{head} — ジャーナルの記録と一致しました。\n");
        }
        let mut s = format!("{head} — 一致しません（{} 件）:\n", self.problems.len());
        for p in &self.problems {
            s.push_str(&format!("  {p}\n"));
        }
        s
    }
}

/// Checks the file at `path` against the journal (see the module docs).
pub fn verify(journal: &Journal, path: &Path) -> Result<Verified, BatchError> {
    let bytes = std::fs::read(path).map_err(|source| BatchError::Io {
        context: format!("{} を読めません", path.display()),
        source,
    })?;
    let mut problems = Vec::new();
    let file = match zengin::read_file(&bytes) {
        Ok(f) => f,
        Err(e) => {
            return Ok(Verified {
                batch: None,
                records: 0,
                total_yen: 0,
                problems: vec![format!("全銀フォーマットとして読めません: {e}")],
            })
        }
    };
    let total_yen: i64 = file.records.iter().map(|r| r.amount_yen).sum();
    let mut numbers: Vec<u64> = file.records.iter().map(|r| r.customer_code_2).collect();
    numbers.dedup();
    let id = match numbers.as_slice() {
        [n] => *n as i64,
        _ => {
            problems.push(format!(
                "データ・レコードの顧客コード2（振込データ番号）が一つではありません: {numbers:?}"
            ));
            return Ok(Verified {
                batch: None,
                records: file.records.len(),
                total_yen,
                problems,
            });
        }
    };
    let Some(batch) = journal.payment_batch(id)? else {
        problems.push(format!(
            "振込データ 第{id}号はジャーナルに記録されていません"
        ));
        return Ok(Verified {
            batch: Some(id),
            records: file.records.len(),
            total_yen,
            problems,
        });
    };
    if batch.sha256 != sha256_hex(&bytes) {
        problems.push(format!(
            "ファイルの内容が第{id}号として記録されたもの（sha256 {}）と異なります",
            batch.sha256
        ));
    }
    if batch.state == "cancelled" {
        problems.push(format!("振込データ 第{id}号は取り消されています"));
    }
    let mmdd = batch.transfer_date.format("%m%d").to_string();
    if file.header.transfer_mmdd != mmdd {
        problems.push(format!(
            "振込指定日（{}）が記録（{}）と異なります",
            file.header.transfer_mmdd, batch.transfer_date
        ));
    }
    if file.trailer.count as i64 != batch.count || file.trailer.total_yen != batch.total_yen {
        problems.push(format!(
            "トレーラ（{} 件・{} 円）が記録（{} 件・{} 円）と一致しません",
            file.trailer.count, file.trailer.total_yen, batch.count, batch.total_yen
        ));
    }
    let recorded = journal.batch_payments(id)?;
    if recorded.len() != file.records.len() {
        problems.push(format!(
            "データ・レコード {} 件が記録の {} 件と一致しません",
            file.records.len(),
            recorded.len()
        ));
    }
    for (i, r) in file.records.iter().enumerate() {
        let n = i + 2; // record numbers count from the header
        let Some(p) = recorded
            .iter()
            .find(|p| p.position == r.customer_code_1 as i64)
        else {
            problems.push(format!(
                "第{n}レコード（顧客コード1 {}）は第{id}号の記録にありません",
                r.customer_code_1
            ));
            continue;
        };
        if p.amount_yen != r.amount_yen {
            problems.push(format!(
                "第{n}レコード（{}）: 振込金額 {} 円が記録の {} 円と異なります",
                p.case_id, r.amount_yen, p.amount_yen
            ));
        }
        match journal.approval_pays(p.approval_id, p.month.as_deref())? {
            Some((case_id, amount)) if case_id == p.case_id && amount == r.amount_yen => {}
            Some((_, amount)) => problems.push(format!(
                "第{n}レコード（{}）: 決裁（番号 {}）の支給額 {amount} 円と異なります",
                p.case_id, p.approval_id
            )),
            None => problems.push(format!(
                "第{n}レコード（{}）: 決裁（番号 {}）は効力のある支給決定ではありません",
                p.case_id, p.approval_id
            )),
        }
        let others = journal.other_live_batches(p.approval_id, p.month.as_deref(), id)?;
        if !others.is_empty() {
            let others: Vec<String> = others.iter().map(|b| format!("第{b}号")).collect();
            problems.push(format!(
                "第{n}レコード（{}）: 同じ支払がほかの振込データ（{}）にもあります",
                p.case_id,
                others.join("、")
            ));
        }
    }
    Ok(Verified {
        batch: Some(id),
        records: file.records.len(),
        total_yen,
        problems,
    })
}
