//! payment: the 全銀協 総合振込 file for payments already decided — its records, the bank kana of a
//! payee's name, the checks before writing, and the reader that verifies a file.
//!
//! Input is a list of [`Payment`]s (one per approved decision, built by the caller from
//! `decision.json` and `application.json`'s `bank`) and the office's [`PaymentConfig`] (`[payment]`
//! in `kyufu.toml`). [`export`] checks the 振込指定日 (a bank business day), holds out each payment
//! that fails a check with its Japanese reasons, and writes the others as one file, listing what a
//! person must confirm before it is released. [`zengin::read_file`] reads a file back and checks it.
//!
//! This file and `zengin`, `check`, `kana`, `calendar`, `layout`, `list` are pure: no clock, no
//! files, no logging (the records carry names and account numbers). A stipend (RULES.md §2) is paid
//! month by month: [`due`] says which months of its approved schedule an export pays. Which
//! decisions are approved and not yet paid, the batches in the journal, the files in
//! `outbox/payments/` (the file, the CSV and the 振込明細一覧 PDF of `list`) are `batch.rs` (`kyufu
//! export-payments`); reading a file back against the journal is `reconcile.rs`.

pub mod banks;
pub mod batch;
pub mod calendar;
pub mod check;
pub mod kana;
pub mod layout;
pub mod list;
pub mod reconcile;
pub mod zengin;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub use check::{Accepted, Held, HoldReason, ToConfirm};
pub use zengin::{DataRecord, Header, LineEnding, ZenginError, ZenginFile};

/// 預金種目 (account type) and its 全銀 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    /// 普通預金, code 1.
    Ordinary,
    /// 当座預金, code 2.
    Current,
    /// 貯蓄預金, code 4.
    Savings,
}

impl AccountType {
    /// The code written in the file.
    pub fn code(self) -> char {
        match self {
            AccountType::Ordinary => '1',
            AccountType::Current => '2',
            AccountType::Savings => '4',
        }
    }

    /// From the code in a file. `9` (その他) is not read: kyufu never writes it.
    pub fn from_code(code: &str) -> Option<AccountType> {
        match code {
            "1" => Some(AccountType::Ordinary),
            "2" => Some(AccountType::Current),
            "4" => Some(AccountType::Savings),
            _ => None,
        }
    }

    /// From `application.json`'s `bank.account_type`: the DESIGN.md keys, or the Japanese names an
    /// application form prints. Anything else is unknown (the payment is held, never guessed).
    pub fn from_application(s: &str) -> Option<AccountType> {
        match s.trim() {
            "ordinary" | "普通" | "普通預金" => Some(AccountType::Ordinary),
            "current" | "当座" | "当座預金" => Some(AccountType::Current),
            "savings" | "貯蓄" | "貯蓄預金" => Some(AccountType::Savings),
            _ => None,
        }
    }
}

/// One payment to make: an approved decision's amount and the applicant's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// The case the decision belongs to.
    pub case_id: String,
    /// The decision's 文書番号 (e.g. 「さ子支第12号」).
    pub document_number: String,
    /// 口座名義（カナ）, `application.json` `bank.holder_kana`, as the applicant wrote it.
    pub payee_kana: String,
    /// The applicant's name in kana (`applicant.name_kana`), compared with the holder's.
    pub applicant_name_kana: Option<String>,
    /// 金融機関コード, 4 digits.
    pub bank_code: String,
    /// 支店コード, 3 digits.
    pub branch_code: String,
    /// `ordinary`, `current` or `savings` (or 普通, 当座, 貯蓄).
    pub account_type: String,
    /// 口座番号, 7 digits.
    pub account_number: String,
    /// 振込金額, 円.
    pub amount_yen: i64,
}

/// Whether a stipend month (`YYYY-MM`) is due in an export whose 振込指定日 is `date`.
///
/// RULES.md §2: the stipend is 「paid from the month of application (not before the course start)
/// to the course's end month」, a monthly amount, and 「each month's attendance report produces that
/// month's payment line」. The approved decision's 支給予定表 (`decision.schedule`) gives each month's
/// amount; a month is due once the 振込指定日 falls in it or after it — never paid ahead for a month
/// not begun (the attendance that could stop it is not known yet), and a month an earlier export
/// missed is paid by the next one. Pure: the date is the transfer date, not the clock.
pub fn due(month: &str, date: NaiveDate) -> bool {
    let transfer_month = format!("{:04}-{:02}", date.year(), date.month());
    // Both `YYYY-MM`, zero-padded: the strings order as the months do.
    month.len() == 7 && month <= transfer_month.as_str()
}

fn default_line_ending() -> LineEnding {
    LineEnding::Crlf
}

fn default_bank_codes() -> std::path::PathBuf {
    std::path::PathBuf::from("bank-codes")
}

/// `[payment]` in `kyufu.toml`: the office as the remitter of a 総合振込, as its bank registered it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentConfig {
    /// 振込依頼人コード (委託者コード): the code the paying bank assigned; digits, at most 10.
    pub remitter_code: String,
    /// 振込依頼人名 in kana as the bank registered it (at most 40 half-width bytes), e.g.
    /// "ｻｲﾀﾏｼ ｺﾄﾞﾓｶﾃｲｶ". Full-width katakana is accepted and made half-width; nothing else may change.
    pub remitter_name_kana: String,
    /// 仕向銀行番号: the paying bank's 金融機関コード, 4 digits.
    pub bank_code: String,
    /// 仕向銀行名 in kana (at most 15 half-width bytes).
    pub bank_name_kana: String,
    /// 仕向支店番号: the branch holding the office's account, 3 digits.
    pub branch_code: String,
    /// 仕向支店名 in kana (at most 15 half-width bytes).
    pub branch_name_kana: String,
    /// 預金種目 of the office's account: `ordinary` or `current`.
    pub account_type: AccountType,
    /// 口座番号 of the office's account, 7 digits.
    pub account_number: String,
    /// After each 120-byte record: `crlf` (default) or `none`, as the paying bank requires.
    #[serde(default = "default_line_ending")]
    pub line_ending: LineEnding,
    /// Folder of the 全銀 bank and branch code list that `scripts/bank-codes.py` extracts (names on
    /// the 振込明細一覧; codes it lacks are listed to confirm). Absent: names left blank.
    #[serde(default = "default_bank_codes")]
    pub bank_codes: std::path::PathBuf,
}

/// Why no file could be written. Shown to payment officers, so Japanese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("[payment] の設定 {key} が不正です: {why}")]
    Config {
        key: &'static str,
        why: &'static str,
    },
    #[error(transparent)]
    Date(#[from] calendar::CalendarError),
    #[error("振り込める支払がありません（{held} 件を保留しました）")]
    NothingToPay { held: usize },
    #[error(transparent)]
    File(#[from] ZenginError),
}

/// A written file and what became of each payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The 総合振込 file's bytes.
    pub bytes: Vec<u8>,
    /// Payments in the file, in file order (顧客コード1 = position, 顧客コード2 = batch).
    pub accepted: Vec<Accepted>,
    /// Payments held out, with their reasons.
    pub held: Vec<Held>,
}

fn config_digits(key: &'static str, s: &str, min: usize, max: usize) -> Result<(), PaymentError> {
    if (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(PaymentError::Config {
            key,
            why: "桁数または数字以外の文字",
        })
    }
}

/// A kana name from the config: converted with nothing but width changes, within `max` bytes.
fn config_kana(key: &'static str, s: &str, max: usize) -> Result<Vec<u8>, PaymentError> {
    let bad = |why| PaymentError::Config { key, why };
    let k = kana::to_bank_kana(s, max).map_err(|_| bad("カナでない文字または空"))?;
    if !k.changes.is_empty() {
        return Err(bad("銀行に届けたとおりの半角カナで書いてください"));
    }
    Ok(k.bytes)
}

/// The header for `config` and `date`, every value checked.
pub fn header(config: &PaymentConfig, date: NaiveDate) -> Result<Header, PaymentError> {
    config_digits("remitter_code", &config.remitter_code, 1, 10)?;
    config_digits("bank_code", &config.bank_code, 4, 4)?;
    config_digits("branch_code", &config.branch_code, 3, 3)?;
    config_digits("account_number", &config.account_number, 7, 7)?;
    if config.account_type == AccountType::Savings {
        // The header's 預金種目 is 1, 2 or 9 (layout.rs [A]).
        return Err(PaymentError::Config {
            key: "account_type",
            why: "依頼人口座は普通または当座です",
        });
    }
    Ok(Header {
        remitter_code: config.remitter_code.clone(),
        remitter_name: config_kana("remitter_name_kana", &config.remitter_name_kana, 40)?,
        transfer_mmdd: format!("{:02}{:02}", date.month(), date.day()),
        bank_code: config.bank_code.clone(),
        bank_name: config_kana("bank_name_kana", &config.bank_name_kana, 15)?,
        branch_code: config.branch_code.clone(),
        branch_name: config_kana("branch_name_kana", &config.branch_name_kana, 15)?,
        account_type: config.account_type,
        account_number: config.account_number.clone(),
    })
}

/// Writes the 総合振込 file for `payments` to be paid on `date`, as batch `batch_no`; see the module
/// docs. Held payments are returned, not written; the file is refused as a whole only when the date
/// or the config is wrong, or nothing is left to pay.
pub fn export(
    config: &PaymentConfig,
    date: NaiveDate,
    batch_no: u64,
    payments: &[Payment],
) -> Result<Export, PaymentError> {
    calendar::check_business_day(date)?;
    let header = header(config, date)?;
    let mut accepted = Vec::new();
    let mut held = Vec::new();
    for (i, p) in payments.iter().enumerate() {
        match check::check(i, p) {
            Ok(a) => accepted.push(a),
            Err(h) => held.push(h),
        }
    }
    if accepted.is_empty() {
        return Err(PaymentError::NothingToPay { held: held.len() });
    }
    for (n, a) in accepted.iter_mut().enumerate() {
        a.record.customer_code_1 = n as u64 + 1;
        a.record.customer_code_2 = batch_no;
    }
    let records: Vec<DataRecord> = accepted.iter().map(|a| a.record.clone()).collect();
    let bytes = zengin::write_file(&header, &records, config.line_ending)?;
    Ok(Export {
        bytes,
        accepted,
        held,
    })
}

#[cfg(test)]
mod tests;
