//! `kyufu export-payments`: approved `pay` decisions not yet in a live batch, and the approved
//! stipend months due by the 振込指定日 (`super::due`), become one batch — the 総合振込 file, a CSV
//! of the same payments and the 振込明細一覧 PDF (`list.rs`) in `outbox/payments/<batch>/`, recorded
//! in the journal exactly once — and a batch not yet sent can be cancelled (its payments return to
//! the pool).
//!
//! Exactly once: the export holds the journal's write lock from the moment it reads what is unpaid
//! until it commits (`journal::PaymentTx`), and commits only after its three files are durable
//! (temp, fsync, rename, fsync of the folder). A kill before the commit leaves no record; the folder
//! it may have left has the number the next batch will take, and the next export (under the same lock)
//! removes every folder under `outbox/payments/` that is no recorded batch before it writes.
//!
//! The CSV is UTF-8 with a BOM and CRLF line endings (what Excel opens as Japanese without asking).
//! Not here: the record format and the checks (`zengin.rs`, `check.rs`), reading a file back against
//! the journal (`reconcile.rs`), what the PDF prints (`list.rs`). Called by `main.rs`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use sha2::Digest;

use super::banks::{BankCodes, BankCodesError, Listed};
use super::list::{ListHeading, ListRow};
use super::{due, export, Payment, PaymentConfig, PaymentError};
use crate::case::Case;
use crate::config::Config;
use crate::journal::{BatchPaymentRow, Journal, NewBatch, StateChange, Unpaid};
use crate::render::{RenderError, Templates};
use crate::review::store::{NewAudit, StoreError};
use crate::review::{Actor, Role};
use crate::run::files::{sha256_hex, sync_dir, write_durable};

/// Test hook: milliseconds to sleep between the steps of an export (lock taken, each file written,
/// before the commit), so the crash test can kill it in every gap. Unset in real use.
const PAUSE_ENV: &str = "KYUFU_EXPORT_PAUSE_MS";

/// The settings `[payment]` must have (named when it is missing).
const SETTINGS: &str = "remitter_code（振込依頼人コード）、remitter_name_kana（振込依頼人名）、\
     bank_code（仕向銀行番号）、bank_name_kana（仕向銀行名）、branch_code（仕向支店番号）、\
     branch_name_kana（仕向支店名）、account_type（預金種目）、account_number（口座番号）";

/// Why an export, a cancellation or a verification did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The request was refused (a person can mend it): nothing changed.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error("ジャーナル: {0}")]
    Store(#[from] StoreError),
    #[error("振込明細一覧: {0}")]
    Render(#[from] RenderError),
    #[error(transparent)]
    BankCodes(#[from] BankCodesError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

impl BatchError {
    /// A refusal of the request (exit 2), not a failure of the program (exit 1).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            BatchError::Refused(_) | BatchError::Payment(PaymentError::Config { .. })
        ) || matches!(self, BatchError::Payment(PaymentError::Date(_)))
    }
}

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> BatchError {
    let context = context.into();
    move |source| BatchError::Io { context, source }
}

/// The `[payment]` settings, or a refusal naming what to set.
pub fn settings(cfg: &Config) -> Result<&PaymentConfig, BatchError> {
    cfg.payment.as_ref().ok_or_else(|| {
        BatchError::Refused(format!(
            "kyufu.toml に [payment] の設定がありません。銀行に届け出た {SETTINGS} を設定してから実行してください。"
        ))
    })
}

/// Only a 決裁者 or an administrator releases money.
pub fn may_export(actor: &Actor) -> Result<(), BatchError> {
    match actor.role() {
        Role::Approver | Role::Admin => Ok(()),
        Role::Staff => Err(BatchError::Refused(
            "振込データの作成・取消は決裁者または管理者が行います。".into(),
        )),
    }
}

/// One reason, as code and Japanese sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub code: String,
    pub message: String,
}

/// A payment held out of the batch (by case id; never a name or an account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldPayment {
    pub case_id: String,
    pub approval_id: i64,
    /// The stipend month held (`YYYY-MM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    pub reasons: Vec<Reason>,
}

/// A payment in the batch that a person must confirm before the file is released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfirmPayment {
    pub case_id: String,
    pub position: i64,
    pub items: Vec<Reason>,
}

/// The batch written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrittenBatch {
    pub id: i64,
    pub transfer_date: NaiveDate,
    pub file: PathBuf,
    pub csv: PathBuf,
    /// The 振込明細一覧 PDF.
    pub list: PathBuf,
    pub sha256: String,
    pub bytes: usize,
}

/// What an export did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    /// None when nothing new could be paid.
    pub batch: Option<WrittenBatch>,
    pub count: usize,
    pub total_yen: i64,
    pub held: Vec<HeldPayment>,
    pub to_confirm: Vec<ConfirmPayment>,
}

impl Exported {
    /// The summary a payment officer reads.
    pub fn render_ja(&self) -> String {
        let mut s = String::new();
        match &self.batch {
            Some(b) => s.push_str(&format!(
                "振込データ 第{}号（振込指定日 {}）: {} 件、合計 金{}円\n  {}\n  {}\n  {}\n",
                b.id,
                b.transfer_date.format("%Y年%m月%d日"),
                self.count,
                crate::render::notice::format_yen(self.total_yen),
                b.file.display(),
                b.csv.display(),
                b.list.display()
            )),
            None => s.push_str("新たに振り込む支払はありません。\n"),
        }
        if !self.held.is_empty() {
            s.push_str(&format!(
                "保留 {} 件（振込データに含めていません）:\n",
                self.held.len()
            ));
            for h in &self.held {
                let why: Vec<&str> = h.reasons.iter().map(|r| r.message.as_str()).collect();
                let month = h
                    .month
                    .as_deref()
                    .map(|m| format!("（{m}分）"))
                    .unwrap_or_default();
                s.push_str(&format!("  {}{month}: {}\n", h.case_id, why.join("／")));
            }
        }
        if !self.to_confirm.is_empty() {
            s.push_str(&format!(
                "送信前に確認が必要 {} 件（受取人名の変換など）:\n",
                self.to_confirm.len()
            ));
            for c in &self.to_confirm {
                let what: Vec<&str> = c.items.iter().map(|r| r.message.as_str()).collect();
                s.push_str(&format!(
                    "  {}（{}件目）: {}\n",
                    c.case_id,
                    c.position,
                    what.join("／")
                ));
            }
        }
        s
    }
}

/// `outbox/payments/`.
pub fn payments_dir(cfg: &Config) -> PathBuf {
    cfg.outbox.join("payments")
}

fn batch_dir(cfg: &Config, id: i64) -> PathBuf {
    payments_dir(cfg).join(format!("{id:04}"))
}

fn pause() {
    if let Some(ms) = std::env::var(PAUSE_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

fn stamp(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The payment of an approval, from the case's application as first read (its `bank` and the
/// applicant's kana name), and the applicant's name for the 振込明細一覧. A missing case or bank
/// leaves the fields empty: the checks hold it.
fn payment_of(u: &Unpaid, case_json: Option<&str>) -> (Payment, Option<String>) {
    let case: Option<Case> = case_json.and_then(|j| serde_json::from_str(j).ok());
    let app = case.map(|c| c.application);
    let bank = app.as_ref().and_then(|a| a.bank.clone());
    let field = |f: fn(&crate::case::application::Bank) -> &Option<String>| {
        bank.as_ref().and_then(|b| f(b).clone()).unwrap_or_default()
    };
    let name = app.as_ref().and_then(|a| a.applicant.name.clone());
    let payment = Payment {
        case_id: u.case_id.clone(),
        document_number: u.document_number.clone(),
        payee_kana: field(|b| &b.holder_kana),
        applicant_name_kana: app.and_then(|a| a.applicant.name_kana),
        bank_code: field(|b| &b.bank_code),
        branch_code: field(|b| &b.branch_code),
        account_type: field(|b| &b.account_type),
        account_number: field(|b| &b.account_number),
        amount_yen: u.amount_yen,
    };
    (payment, name)
}

/// Removes what a killed export left under `outbox/payments/`: every entry that is not the folder
/// of a recorded batch. Runs under the journal's write lock.
fn remove_unrecorded(dir: &Path, recorded: &[i64]) -> Result<(), BatchError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_batch = name
            .parse::<i64>()
            .is_ok_and(|n| recorded.contains(&n) && name == format!("{n:04}"));
        if !is_batch {
            let path = e.path();
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(io(format!("{} を削除できません", path.display())))?;
            tracing::info!(entry = %name, "removed an unrecorded payment export");
        }
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The CSV of the payments in the file (UTF-8 with BOM, CRLF).
fn csv(date: NaiveDate, rows: &[(Payment, &super::Accepted, &Unpaid)]) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    out.push_str(
        "連番,案件番号,決裁番号,文書番号,決定日,支給対象月,振込指定日,金融機関コード,支店コード,預金種目,口座番号,受取人名,振込金額\r\n",
    );
    for (p, a, u) in rows {
        let r = &a.record;
        let kind = match r.account_type {
            super::AccountType::Ordinary => "普通",
            super::AccountType::Current => "当座",
            super::AccountType::Savings => "貯蓄",
        };
        let cells = [
            r.customer_code_1.to_string(),
            p.case_id.clone(),
            u.approval_id.to_string(),
            p.document_number.clone(),
            u.decided_on.to_string(),
            u.month.clone().unwrap_or_default(),
            date.to_string(),
            r.bank_code.clone(),
            r.branch_code.clone(),
            kind.to_string(),
            r.account_number.clone(),
            super::kana::jis_to_string(&r.payee),
            r.amount_yen.to_string(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Exports every approved payment not yet in a live batch, to be paid on `date` (see the module
/// docs).
pub fn export_batch(
    journal: &mut Journal,
    cfg: &Config,
    actor: &Actor,
    date: NaiveDate,
    now: DateTime<FixedOffset>,
) -> Result<Exported, BatchError> {
    may_export(actor)?;
    let settings = settings(cfg)?;
    if date < now.date_naive() {
        return Err(BatchError::Refused(format!(
            "振込指定日 {date} は過ぎています。今日以降の銀行営業日を指定してください。"
        )));
    }
    super::header(settings, date)?;
    super::calendar::check_business_day(date).map_err(PaymentError::from)?;
    // Before the lock: a template or font problem stops the export with nothing written.
    let templates = Templates::load(&cfg.templates)?;
    let codes = BankCodes::load(&settings.bank_codes)?;

    let root = payments_dir(cfg);
    let tx = journal.begin_payment_export()?;
    pause();
    remove_unrecorded(&root, &tx.batch_ids()?)?;
    let id = tx.next_batch_id()?;
    let mut held = Vec::new();
    let mut unpaid = Vec::new();
    for u in tx.unpaid()? {
        if u.month.as_deref().is_some_and(|m| !due(m, date)) {
            continue; // a stipend month not due yet: a later export pays it
        }
        let hold = |code: &str, message: String| HeldPayment {
            case_id: u.case_id.clone(),
            approval_id: u.approval_id,
            month: u.month.clone(),
            reasons: vec![Reason {
                code: code.into(),
                message,
            }],
        };
        if let Some((b, paid_yen)) = u.month_paid {
            held.push(hold(
                "month_paid_differs",
                format!(
                    "この月分は振込データ 第{b}号で{}円を支払済みです。再決裁により{}円となったため、差額の扱いを確認してください",
                    crate::render::notice::format_yen(paid_yen),
                    crate::render::notice::format_yen(u.amount_yen)
                ),
            ));
            continue;
        }
        if u.reopened {
            held.push(hold(
                "reopened",
                "決裁の後に訂正され、再決裁を待っています（金額が変わることがあります）".into(),
            ));
            continue;
        }
        match u.case_in_batch {
            Some(b) => held.push(hold(
                "case_in_batch",
                format!(
                    "この案件の支払は振込データ 第{b}号に含まれています（金額が変わった場合は、その振込データを取り消してから作り直してください）"
                ),
            )),
            None => unpaid.push(u),
        }
    }
    let mut payments = Vec::with_capacity(unpaid.len());
    let mut names = Vec::with_capacity(unpaid.len());
    for u in &unpaid {
        let (payment, name) = payment_of(u, tx.case_json(&u.case_id)?.as_deref());
        payments.push(payment);
        names.push(name);
    }
    let held_of = |h: &super::Held| HeldPayment {
        case_id: h.case_id.clone(),
        approval_id: unpaid[h.index].approval_id,
        month: unpaid[h.index].month.clone(),
        reasons: h
            .reasons
            .iter()
            .map(|r| Reason {
                code: r.code().into(),
                message: r.message(),
            })
            .collect(),
    };
    let out = match export(settings, date, id as u64, &payments) {
        Ok(out) => out,
        Err(PaymentError::NothingToPay { .. }) => {
            // Every payment failed a check: report them all, record nothing.
            let held_now = payments
                .iter()
                .enumerate()
                .filter_map(|(i, p)| super::check::check(i, p).err())
                .map(|h| held_of(&h));
            held.extend(held_now);
            return Ok(Exported {
                batch: None,
                count: 0,
                total_yen: 0,
                held,
                to_confirm: Vec::new(),
            });
        }
        Err(e) => return Err(e.into()),
    };
    held.extend(out.held.iter().map(held_of));
    if out.accepted.is_empty() {
        return Ok(Exported {
            batch: None,
            count: 0,
            total_yen: 0,
            held,
            to_confirm: Vec::new(),
        });
    }

    let rows: Vec<(Payment, &super::Accepted, &Unpaid)> = out
        .accepted
        .iter()
        .map(|a| (payments[a.index].clone(), a, &unpaid[a.index]))
        .collect();
    let stem = format!("furikomi-{}-{id:04}", date.format("%Y%m%d"));
    let dir = batch_dir(cfg, id);
    let file = dir.join(format!("{stem}.txt"));
    let csv_path = dir.join(format!("{stem}.csv"));
    let list_path = dir.join(format!("{stem}.pdf"));
    let csv_bytes = csv(date, &rows);
    let sha256 = sha256_hex(&out.bytes);
    let mut list_rows: Vec<ListRow> = Vec::with_capacity(rows.len());
    for (p, a, u) in &rows {
        let (bank, branch) = match &codes {
            Some(c) => (
                Some(c.bank(&a.record.bank_code)),
                Some(c.branch(&a.record.bank_code, &a.record.branch_code)?),
            ),
            None => (None, None),
        };
        list_rows.push(ListRow {
            record: a.record.clone(),
            document_number: p.document_number.clone(),
            case_id: p.case_id.clone(),
            name: names[a.index].clone(),
            month: u.month.clone(),
            to_confirm: !a.to_confirm.is_empty(),
            bank,
            branch,
        });
    }
    let heading = ListHeading {
        batch_id: id,
        transfer_date: date,
        created_by: actor.name().to_string(),
        created_at: now,
        file_name: file_name_of(&file),
        codes_dated: codes.as_ref().map(BankCodes::dated_ja),
    };
    let identity: [u8; 32] = sha2::Sha256::digest(&out.bytes).into();
    let list_bytes = super::list::render(&heading, &list_rows, &templates, &identity)?;
    std::fs::create_dir_all(&dir).map_err(io(format!("{} を作れません", dir.display())))?;
    sync_dir(&root).map_err(io(format!("{} を同期できません", root.display())))?;
    write_durable(&file, &out.bytes).map_err(io(format!("{} を書き出せません", file.display())))?;
    pause();
    write_durable(&csv_path, &csv_bytes)
        .map_err(io(format!("{} を書き出せません", csv_path.display())))?;
    pause();
    write_durable(&list_path, &list_bytes)
        .map_err(io(format!("{} を書き出せません", list_path.display())))?;
    pause();

    let recorded: Vec<BatchPaymentRow> = rows
        .iter()
        .map(|(p, a, u)| BatchPaymentRow {
            position: a.record.customer_code_1 as i64,
            approval_id: u.approval_id,
            case_id: p.case_id.clone(),
            amount_yen: a.record.amount_yen,
            month: u.month.clone(),
        })
        .collect();
    let total_yen: i64 = recorded.iter().map(|r| r.amount_yen).sum();
    let list_sha256 = sha256_hex(&list_bytes);
    let at = stamp(now);
    let audit = NewAudit {
        at: at.clone(),
        user_id: Some(actor.id()),
        action: "payments_exported".into(),
        case_id: None,
        detail: serde_json::json!({
            "batch": id,
            "transfer_date": date.to_string(),
            "count": recorded.len(),
            "total_yen": total_yen,
            "sha256": sha256,
            "list_sha256": list_sha256,
            "approvals": recorded.iter().map(|r| r.approval_id).collect::<Vec<_>>(),
        })
        .to_string(),
    };
    let file_name = file_name_of(&file);
    let csv_name = file_name_of(&csv_path);
    let list_name = file_name_of(&list_path);
    tx.record(&NewBatch {
        id,
        transfer_date: date,
        file_name: &file_name,
        sha256: &sha256,
        csv_name: &csv_name,
        csv_sha256: &sha256_hex(&csv_bytes),
        list_name: &list_name,
        list_sha256: &list_sha256,
        exported_by: actor.id(),
        exported_at: &at,
        payments: &recorded,
        audit: &audit,
    })
    .map_err(|e| match e {
        StoreError::Conflict(_) => {
            BatchError::Refused("ほかの振込データの作成と重なりました。やり直してください。".into())
        }
        e => e.into(),
    })?;
    tracing::info!(batch = id, count = recorded.len(), sha256 = %sha256, "payments exported");

    let dated = codes.as_ref().map(BankCodes::dated_ja).unwrap_or_default();
    let to_confirm = rows
        .iter()
        .zip(&list_rows)
        .filter_map(|((p, a, _), l)| {
            let mut items: Vec<Reason> = a
                .to_confirm
                .iter()
                .map(|c| Reason {
                    code: c.code().into(),
                    message: c.message(),
                })
                .collect();
            // A code the list lacks: the bank may reject the record (the list may also be older
            // than the code — a person checks the account).
            if l.bank == Some(Listed::NotListed) {
                items.push(Reason {
                    code: "bank_code_not_listed".into(),
                    message: format!("金融機関コードが全銀コード一覧（{dated}時点）にありません"),
                });
            } else if l.branch == Some(Listed::NotListed) {
                items.push(Reason {
                    code: "branch_code_not_listed".into(),
                    message: format!("支店コードが全銀コード一覧（{dated}時点）にありません"),
                });
            }
            (!items.is_empty()).then(|| ConfirmPayment {
                case_id: p.case_id.clone(),
                position: a.record.customer_code_1 as i64,
                items,
            })
        })
        .collect();
    Ok(Exported {
        batch: Some(WrittenBatch {
            id,
            transfer_date: date,
            file,
            csv: csv_path,
            list: list_path,
            sha256,
            bytes: out.bytes.len(),
        }),
        count: recorded.len(),
        total_yen,
        held,
        to_confirm,
    })
}

fn file_name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Cancels a batch not yet sent (`cancel`), or marks it sent to the bank (after which it can no
/// longer be cancelled). Returns the sentence to show.
pub fn change_state(
    journal: &mut Journal,
    actor: &Actor,
    id: i64,
    cancel: bool,
    now: DateTime<FixedOffset>,
) -> Result<String, BatchError> {
    may_export(actor)?;
    let at = stamp(now);
    let audit = NewAudit {
        at: at.clone(),
        user_id: Some(actor.id()),
        action: if cancel {
            "payments_cancelled"
        } else {
            "payments_sent"
        }
        .into(),
        case_id: None,
        detail: serde_json::json!({ "batch": id }).to_string(),
    };
    match journal.change_batch_state(id, cancel, actor.id(), &at, &audit)? {
        StateChange::Done if cancel => Ok(format!(
            "振込データ 第{id}号を取り消しました。その支払は次の振込データに含まれます。\n"
        )),
        StateChange::Done => Ok(format!(
            "振込データ 第{id}号を送信済みとしました（以後は取り消せません）。\n"
        )),
        StateChange::NoSuchBatch => Err(BatchError::Refused(format!(
            "振込データ 第{id}号はありません。"
        ))),
        StateChange::NotExported(state) => Err(BatchError::Refused(format!(
            "振込データ 第{id}号は{}のため、{}できません。",
            if state == "sent" {
                "送信済み"
            } else {
                "取消済み"
            },
            if cancel {
                "取り消し"
            } else {
                "送信済みに"
            }
        ))),
    }
}
