//! The 振込明細一覧: the list of a batch's payments that is filed with the 支出命令, beside the 総合振込
//! file and the CSV. Auditors (監査委員, 地方自治法 199条; 例月出納検査, 235条の2) match it against the
//! bank file and the decisions, so it prints what the file's data records say — 被仕向銀行・支店,
//! 預金種目, the **whole** 口座番号, the 受取人名 in the bank kana actually written, the amount — beside
//! what ties each record to its decision (文書番号, 案件番号, for the stipend the month paid) and the
//! applicant's name as decided. A masked account number could not be matched to a record; the
//! list is an internal accounting document kept under the same access as the file, which carries
//! the full number anyway.
//!
//! Bank and branch names come from the dated 全銀 code list set-up extracts (`banks.rs`); a code the
//! list lacks is marked 「一覧になし」 (the bank may reject the record), and without the list only the
//! codes are printed — never a name typed in here for a few banks.
//!
//! Pure: rows in, PDF bytes out (through `render::table`). Called by `batch.rs`.

use chrono::{DateTime, FixedOffset, NaiveDate, Timelike};

use super::banks::Listed;
use super::kana::jis_to_string;
use super::{AccountType, DataRecord};
use crate::render::notice::format_yen;
use crate::render::table::{table_pdf, TableColumn, TableDocument};
use crate::render::template::Align;
use crate::render::{format_wareki, RenderError, Templates};

/// One payment of the list: its data record as written and what ties it to its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub record: DataRecord,
    pub document_number: String,
    pub case_id: String,
    /// The applicant's name as the application gives it (absent: printed empty).
    pub name: Option<String>,
    /// `YYYY-MM` of the stipend month paid (RULES.md §2); `None` for a one-off payment.
    pub month: Option<String>,
    /// The payee's name needs a person's confirmation before the file is released.
    pub to_confirm: bool,
    /// The bank and the branch in the code list (`None`: no list).
    pub bank: Option<Listed>,
    pub branch: Option<Listed>,
}

/// The batch the list is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListHeading {
    pub batch_id: i64,
    /// 振込指定日.
    pub transfer_date: NaiveDate,
    /// Who made the export (the user name as registered).
    pub created_by: String,
    pub created_at: DateTime<FixedOffset>,
    /// The 総合振込 file's name, so the paper names the file it goes with.
    pub file_name: String,
    /// The code list's date as printed, when there is a list.
    pub codes_dated: Option<String>,
}

fn kind_ja(t: AccountType) -> &'static str {
    match t {
        AccountType::Ordinary => "普通",
        AccountType::Current => "当座",
        AccountType::Savings => "貯蓄",
    }
}

/// The month as printed: 「令和8年4月分」.
fn month_ja(month: &str) -> String {
    match NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d") {
        Ok(d) => format!("{}分", crate::render::wareki::format_wareki_month(d)),
        Err(_) => month.to_string(),
    }
}

/// What the list prints (see the module docs).
pub fn document(h: &ListHeading, rows: &[ListRow]) -> TableDocument {
    let col = |header: &str, width, align| TableColumn {
        header: header.into(),
        width,
        align,
    };
    let total: i64 = rows.iter().map(|r| r.record.amount_yen).sum();
    let at = h.created_at;
    TableDocument {
        title: "振込明細一覧".into(),
        before: vec![
            format!(
                "振込指定日 {}　振込データ 第{}号（{}）",
                format_wareki(h.transfer_date),
                h.batch_id,
                h.file_name
            ),
            format!(
                "作成 {} {}時{:02}分　作成者 {}",
                format_wareki(at.date_naive()),
                at.hour(),
                at.minute(),
                h.created_by
            ),
        ],
        columns: vec![
            col("番号", 5, Align::Right),
            col("文書番号\n案件番号", 16, Align::Left),
            col("受取人名（カナ）\n氏名", 24, Align::Left),
            col("金融機関\n支店", 22, Align::Left),
            col("種目", 6, Align::Center),
            col("口座番号", 10, Align::Center),
            col("振込金額（円）", 13, Align::Right),
            col("備考", 16, Align::Left),
        ],
        rows: rows
            .iter()
            .map(|r| {
                let rec = &r.record;
                let mut note = Vec::new();
                if let Some(m) = &r.month {
                    note.push(month_ja(m));
                }
                if r.to_confirm {
                    note.push("名義要確認".to_string());
                }
                let named = |code: &str, listed: &Option<Listed>| match listed {
                    Some(Listed::Name(name)) => format!("{code} {name}"),
                    _ => code.to_string(),
                };
                if r.bank == Some(Listed::NotListed) {
                    note.push("金融機関コード一覧になし".to_string());
                } else if r.branch == Some(Listed::NotListed) {
                    note.push("支店コード一覧になし".to_string());
                }
                vec![
                    rec.customer_code_1.to_string(),
                    format!("{}\n{}", r.document_number, r.case_id),
                    format!(
                        "{}\n{}",
                        jis_to_string(&rec.payee),
                        r.name.as_deref().unwrap_or("")
                    ),
                    format!(
                        "{}\n{}",
                        named(&rec.bank_code, &r.bank),
                        named(&rec.branch_code, &r.branch)
                    ),
                    kind_ja(rec.account_type).to_string(),
                    rec.account_number.clone(),
                    format_yen(rec.amount_yen),
                    note.join("\n"),
                ]
            })
            .collect(),
        after: vec![
            format!(
                "合計　件数 {} 件　合計金額 金{}円",
                rows.len(),
                format_yen(total)
            ),
            match &h.codes_dated {
                Some(dated) => format!(
                    "金融機関名・支店名は全銀コード一覧（zengin-code、{dated}時点のデータ）によります。「一覧になし」のコードは、振込前に口座を確認してください。"
                ),
                None => "金融機関・支店はコードのみを記載しています（全銀コード一覧が設定されていないため）。".into(),
            },
        ],
        footer: format!("振込明細一覧 第{}号（{{page}}／{{pages}}）", h.batch_id),
        landscape: true,
    }
}

/// The list as a PDF; `identity` is the sha256 of the 総合振込 file it goes with.
pub fn render(
    h: &ListHeading,
    rows: &[ListRow],
    t: &Templates,
    identity: &[u8; 32],
) -> Result<Vec<u8>, RenderError> {
    table_pdf(&document(h, rows), t, identity)
}
