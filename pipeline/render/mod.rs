//! render: decision + template → the notice PDF (DESIGN.md, "render"; RULES.md §5).
//!
//! [`notice`] picks the document for the decision's outcome — 支給決定通知書 (`pay`), 支給不承認決定通知書
//! (`deny`), 補正依頼書 (`incomplete`), or for `needs_review` the draft the computed result would
//! give with a 要確認 box for the officer — fills its template from the decision, the application
//! and the office, lays it out and writes a PDF with a subset Japanese font, 和暦 dates and
//! 金59,400円 amounts. The same decision gives the same bytes in any process.
//!
//! For the stipend (RULES.md §2) it also prints the 不支給 notice of one unpaid month
//! ([`month_notice`]) and the 支給予定表 ([`plan_schedule`]); `crate::plans` prints the plans of
//! RULES.md §4 with the same templates and layout ([`compose`]).
//!
//! It decides nothing (every amount, line and reason comes from the decision) and writes no file:
//! the caller (the run stage) stores the bytes durably beside `decision.json`. Templates and the
//! font are loaded once with [`Templates::load`] and shared between notices.

pub mod cite;
pub(crate) mod compose;
mod layout;
pub(crate) mod notice;
mod pdf;
mod placeholders;
pub mod table;
pub mod template;
#[cfg(test)]
pub(crate) mod testing;
pub mod wareki;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use printpdf::ParsedFont;
use serde::{Deserialize, Serialize};

use crate::case::Application;
use crate::decision::Decision;
use template::{DocumentTemplate, Style};

pub use wareki::format_wareki;

/// Why a notice could not be made. A decision's content never causes one: an empty reason list
/// or a missing address prints as such. These are set-up problems (a template, the font) or a
/// failure inside the PDF writer.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{} を読めません: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} の書式が正しくありません: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("フォント {} を読み込めません: {message}", path.display())]
    Font { path: PathBuf, message: String },
    #[error("テンプレート「{id}」がありません（{dir}）")]
    MissingTemplate { id: String, dir: String },
    #[error("PDF を書き出せません: {0}")]
    Pdf(String),
    /// A per-month notice was asked for a month it cannot be printed for (a caller's mistake).
    #[error("{month} の不支給通知は作れません: {message}")]
    Month { month: String, message: String },
}

/// The issuing office: `[office]` in `kyufu.toml`. Every field has a default for the fictional
/// sample municipality さくら市, so a fresh checkout prints a complete (clearly sample) notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// 処分庁: who decides, printed under the date (「さくら市長」).
    #[serde(default = "default_authority")]
    pub authority: String,
    /// 担当課, printed with the contact.
    #[serde(default = "default_department")]
    pub department: String,
    /// 担当・電話, printed under 問い合わせ先.
    #[serde(default = "default_contact")]
    pub contact: String,
    /// How a granted benefit is paid, printed on 支給決定 notices.
    #[serde(default = "default_payment_method")]
    pub payment_method: String,
    /// 審査請求をすべき行政庁: the deciding authority itself when it has no superior
    /// (行政不服審査法 4条1号), as for a 市長's decision.
    #[serde(default = "default_appeal_to")]
    pub appeal_to: String,
    /// 取消訴訟の被告: the municipality (行政事件訴訟法 11条1項).
    #[serde(default = "default_defendant")]
    pub defendant: String,
    /// Who represents the defendant in court: printed beside the defendant, as municipal notices
    /// do (行政事件訴訟法 46条1項 requires the defendant to be named).
    #[serde(default = "default_defendant_representative")]
    pub defendant_representative: String,
}

fn default_authority() -> String {
    "さくら市長".to_string()
}
fn default_department() -> String {
    "さくら市 こども家庭部 こども支援課".to_string()
}
fn default_contact() -> String {
    "ひとり親支援係　電話 000-000-0000（内線 000）".to_string()
}
fn default_payment_method() -> String {
    "申請書に記載された申請者名義の口座へ振り込みます。振込日は別途お知らせします。".to_string()
}
fn default_appeal_to() -> String {
    "さくら市長".to_string()
}
fn default_defendant() -> String {
    "さくら市".to_string()
}
fn default_defendant_representative() -> String {
    "さくら市長".to_string()
}

impl Default for Office {
    fn default() -> Self {
        Office {
            authority: default_authority(),
            department: default_department(),
            contact: default_contact(),
            payment_method: default_payment_method(),
            appeal_to: default_appeal_to(),
            defendant: default_defendant(),
            defendant_representative: default_defendant_representative(),
        }
    }
}

/// 文書番号 and 決定日 of an approved notice (a draft prints both blank).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The number as printed, e.g. 「さ子支第123号」.
    pub number: String,
    pub decided_on: NaiveDate,
}

/// The notice templates of `form-templates/` and the font they are set in.
pub struct Templates {
    dir: PathBuf,
    style: Style,
    documents: Vec<DocumentTemplate>,
    citations: cite::Citations,
    font: ParsedFont,
}

/// Documents every set of templates must provide for any benefit (RULES.md §1.5 outcomes, the
/// per-month 不支給 notice and the 支給予定表 of §2, the plans of §4).
const REQUIRED: [&str; 8] = [
    notice::PAY,
    notice::DENY,
    notice::INCOMPLETE,
    notice::MONTH,
    template::SCHEDULE_ID,
    crate::plans::PROGRAM_ID,
    crate::plans::PARENT_CHILD_ID,
    crate::plans::PARENT_CHILD_REFUSAL_ID,
];

impl Templates {
    /// Reads `output-style.toml` and the other `output-*.toml` files in `dir`, checks every
    /// placeholder and condition, and loads the font the style names.
    pub fn load(dir: &Path) -> Result<Templates, RenderError> {
        let (style, documents) = template::read_all(dir)?;
        for id in REQUIRED {
            if !documents.iter().any(|d| d.id == id && d.benefit.is_none()) {
                return Err(RenderError::MissingTemplate {
                    id: id.to_string(),
                    dir: dir.display().to_string(),
                });
            }
        }
        let citations = cite::Citations::load(dir)?;
        let font_path = if style.font.path.is_absolute() {
            style.font.path.clone()
        } else {
            dir.join(&style.font.path)
        };
        let bytes = std::fs::read(&font_path).map_err(|source| RenderError::Read {
            path: font_path.clone(),
            source,
        })?;
        let mut warnings = Vec::new();
        let font =
            ParsedFont::from_bytes(&bytes, style.font.index, &mut warnings).ok_or_else(|| {
                RenderError::Font {
                    path: font_path.clone(),
                    message: format!("解析できません（警告 {} 件）", warnings.len()),
                }
            })?;
        Ok(Templates {
            dir: dir.to_path_buf(),
            style,
            documents,
            citations,
            font,
        })
    }

    /// The shared page, font and parts.
    pub(crate) fn style(&self) -> &Style {
        &self.style
    }

    /// How a notice prints an internal citation (`decision.json`'s `cites`): the 法令 and 条項 or
    /// the 通知's name, date, number and item, never a seed file, a RULES.md section or a URL.
    pub fn public_cite(&self, internal: &str) -> String {
        self.citations.public(internal)
    }

    /// The template `id` for `benefit`: its own if it has one, else the general one.
    pub(crate) fn document(
        &self,
        id: &str,
        benefit: Option<crate::decision::Benefit>,
    ) -> Result<&DocumentTemplate, RenderError> {
        self.documents
            .iter()
            .find(|d| d.id == id && benefit.is_some() && d.benefit == benefit)
            .or_else(|| {
                self.documents
                    .iter()
                    .find(|d| d.id == id && d.benefit.is_none())
            })
            .ok_or_else(|| RenderError::MissingTemplate {
                id: id.to_string(),
                dir: self.dir.display().to_string(),
            })
    }
}

/// The notice for `decision` as PDF bytes: a draft (案, blank 文書番号 and 決定日) while the decision
/// is a draft. See the module docs for which notice each outcome gets.
pub fn notice(
    decision: &Decision,
    app: &Application,
    office: &Office,
    t: &Templates,
) -> Result<Vec<u8>, RenderError> {
    notice::render(decision, app, office, t, None)
}

/// The notice with its 文書番号 and 決定日 printed, for an approved decision.
pub fn issued_notice(
    decision: &Decision,
    app: &Application,
    office: &Office,
    t: &Templates,
    issue: &Issue,
) -> Result<Vec<u8>, RenderError> {
    notice::render(decision, app, office, t, Some(issue))
}

/// The 不支給 notice for one month of a stipend (RULES.md §2: 「…出席が1日もなかった月は支給しない」):
/// `month` (`YYYY-MM`) must be a month of `decision.schedule` with 0円; its `code` gives the reason
/// (`[codes]` in `output-style.toml`). A draft while the decision is a draft.
pub fn month_notice(
    decision: &Decision,
    app: &Application,
    office: &Office,
    t: &Templates,
    month: &str,
) -> Result<Vec<u8>, RenderError> {
    notice::render_month(decision, app, office, t, month, None)
}

/// [`month_notice`] with its 文書番号 and 決定日 printed.
pub fn issued_month_notice(
    decision: &Decision,
    app: &Application,
    office: &Office,
    t: &Templates,
    month: &str,
    issue: &Issue,
) -> Result<Vec<u8>, RenderError> {
    notice::render_month(decision, app, office, t, month, Some(issue))
}

/// The 支給予定表 of a stipend decision (`plan.pdf` for `kotoshokugyo`): every month of
/// `decision.schedule` with its amount and, for a month not paid, why (RULES.md §2).
pub fn plan_schedule(
    decision: &Decision,
    app: &Application,
    office: &Office,
    t: &Templates,
) -> Result<Vec<u8>, RenderError> {
    notice::render_schedule(decision, app, office, t)
}

#[cfg(test)]
mod tests;
