//! Output-document templates (`form-templates/output-*.toml`): what a notice says and how its page
//! is laid out, as data, so a change of wording is not a change of code.
//!
//! A template is a list of blocks (text, a list or a table filled from the decision, a boxed stamp,
//! a named part shared between templates); `output-style.toml` holds the page, the font and the
//! parts every document shares (教示, contact). This module only reads and checks templates: every
//! placeholder, condition and part name is verified when the templates are loaded, so a typo in a
//! template fails at start-up and never on an applicant's notice. Filling and drawing them is
//! `layout` and `pdf`; choosing one for a decision is `notice`. Input-form templates (zones to read
//! on scans) live beside these files under other names and are not read here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::RenderError;
use crate::decision::Benefit;

/// The file every output document shares.
pub const STYLE_FILE: &str = "output-style.toml";
/// Output-document templates are the other `output-*.toml` files.
pub const FILE_PREFIX: &str = "output-";

pub use super::placeholders::{
    document_placeholders, CONDITIONS, DECISION_PLACEHOLDERS, FOOTER_PLACEHOLDERS,
    GLOBAL_PLACEHOLDERS, PARENT_CHILD_PLACEHOLDERS, PROGRAM_PLACEHOLDERS, SCHEDULE_ID,
};

/// `output-style.toml`: page, font, marks, footer and shared parts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    #[serde(default)]
    pub page: Page,
    #[serde(default)]
    pub font: FontStyle,
    #[serde(default)]
    pub marks: Marks,
    /// Printed centred at the bottom of every page; may use `{page}` and `{pages}`. Empty = none.
    #[serde(default)]
    pub footer: String,
    /// Named block lists a template includes with `kind = "part"` (e.g. `kyoji`, `contact`).
    #[serde(default)]
    pub parts: BTreeMap<String, Vec<Block>>,
    /// What a stipend schedule line's code means (RULES.md §2 schedule-line codes), keyed by code:
    /// the 支給予定表's 備考 and the reason of a per-month 不支給 notice.
    #[serde(default)]
    pub codes: BTreeMap<String, CodeText>,
}

/// The words for one schedule-line code (`no_attendance` …).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeText {
    /// Short, for the 備考 column of a 支給予定表 (「出席なし」).
    pub note: String,
    /// The reason as a notice states it (「当該月に養成機関への出席が1日もなかったため」).
    pub reason: String,
    /// The rule it applies, as kyufu cites it internally (「RULES.md §2（東広島市 2024-10）」); a notice
    /// prints it through `citations.toml`.
    pub cites: String,
}

/// The sheet of paper, in millimetres.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Page width, mm (A4: 210).
    #[serde(default = "default_page_width_mm")]
    pub width_mm: f32,
    /// Page height, mm (A4: 297).
    #[serde(default = "default_page_height_mm")]
    pub height_mm: f32,
    /// Top margin, mm: where the first line starts.
    #[serde(default = "default_margin_mm")]
    pub margin_top_mm: f32,
    /// Bottom margin, mm: text flows to the next page before it (the footer sits inside it).
    #[serde(default = "default_margin_mm")]
    pub margin_bottom_mm: f32,
    /// Left margin, mm (binding side of a notice).
    #[serde(default = "default_margin_left_mm")]
    pub margin_left_mm: f32,
    /// Right margin, mm.
    #[serde(default = "default_margin_mm")]
    pub margin_right_mm: f32,
}

fn default_page_width_mm() -> f32 {
    210.0
}
fn default_page_height_mm() -> f32 {
    297.0
}
fn default_margin_mm() -> f32 {
    20.0
}
fn default_margin_left_mm() -> f32 {
    25.0
}

impl Default for Page {
    fn default() -> Self {
        Page {
            width_mm: default_page_width_mm(),
            height_mm: default_page_height_mm(),
            margin_top_mm: default_margin_mm(),
            margin_bottom_mm: default_margin_mm(),
            margin_left_mm: default_margin_left_mm(),
            margin_right_mm: default_margin_mm(),
        }
    }
}

/// The one font a document is set in, and its sizes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontStyle {
    /// TrueType/OpenType file; a relative path is taken from the template folder. It is embedded as
    /// a subset (only the glyphs used).
    #[serde(default = "default_font_path")]
    pub path: PathBuf,
    /// Face index inside a collection (`.ttc`); 0 for a plain `.ttf`.
    #[serde(default)]
    pub index: usize,
    /// Body text size, pt.
    #[serde(default = "default_body_pt")]
    pub body_pt: f32,
    /// Title size, pt.
    #[serde(default = "default_title_pt")]
    pub title_pt: f32,
    /// Small text (footer, citations), pt.
    #[serde(default = "default_small_pt")]
    pub small_pt: f32,
    /// The boxed draft stamp (案), pt.
    #[serde(default = "default_stamp_pt")]
    pub stamp_pt: f32,
    /// Line pitch as a multiple of the text size.
    #[serde(default = "default_line_height")]
    pub line_height: f32,
    /// Space between a table cell's rule and its text, mm.
    #[serde(default = "default_cell_padding_mm")]
    pub cell_padding_mm: f32,
    /// Space between a frame and the text inside it, mm.
    #[serde(default = "default_frame_padding_mm")]
    pub frame_padding_mm: f32,
    /// Width of table rules and frames, pt.
    #[serde(default = "default_rule_pt")]
    pub rule_pt: f32,
}

fn default_font_path() -> PathBuf {
    PathBuf::from("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf")
}
fn default_body_pt() -> f32 {
    10.5
}
fn default_title_pt() -> f32 {
    14.0
}
fn default_small_pt() -> f32 {
    8.5
}
fn default_stamp_pt() -> f32 {
    20.0
}
fn default_line_height() -> f32 {
    1.6
}
fn default_cell_padding_mm() -> f32 {
    1.2
}
fn default_frame_padding_mm() -> f32 {
    2.5
}
fn default_rule_pt() -> f32 {
    0.6
}

impl Default for FontStyle {
    fn default() -> Self {
        FontStyle {
            path: default_font_path(),
            index: 0,
            body_pt: default_body_pt(),
            title_pt: default_title_pt(),
            small_pt: default_small_pt(),
            stamp_pt: default_stamp_pt(),
            line_height: default_line_height(),
            cell_padding_mm: default_cell_padding_mm(),
            frame_padding_mm: default_frame_padding_mm(),
            rule_pt: default_rule_pt(),
        }
    }
}

/// What a draft prints where an approved notice prints its number, date and title.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marks {
    /// After the title of a draft (`{draft_suffix}`).
    #[serde(default = "default_draft_suffix")]
    pub draft_suffix: String,
    /// 文書番号 before a number is given (`{doc_number}`).
    #[serde(default = "default_blank_number")]
    pub blank_number: String,
    /// 決定日 before the decision is approved (`{decided_on}`); also an unknown 申請日.
    #[serde(default = "default_blank_date")]
    pub blank_date: String,
}

fn default_draft_suffix() -> String {
    "（案）".to_string()
}
fn default_blank_number() -> String {
    "第　　　　号".to_string()
}
fn default_blank_date() -> String {
    "令和　年　月　日".to_string()
}

impl Default for Marks {
    fn default() -> Self {
        Marks {
            draft_suffix: default_draft_suffix(),
            blank_number: default_blank_number(),
            blank_date: default_blank_date(),
        }
    }
}

/// One output document: a notice for one outcome (and optionally one benefit).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentTemplate {
    /// What it prints: `notice.pay`, `notice.deny`, `notice.incomplete`, `notice.month` (one
    /// unpaid month of a stipend), `plan.schedule` (支給予定表), `plan.program` (自立支援プログラム計画書),
    /// `plan.parent_child` (親子交流支援計画書) and `plan.parent_child_refusal`.
    pub id: String,
    /// Only for this benefit; absent = for every benefit that has no template of its own.
    #[serde(default)]
    pub benefit: Option<Benefit>,
    /// The title (`{title}`); may use the global placeholders, e.g. `{benefit}支給決定通知書`.
    pub title: String,
    /// Japanese labels of field identifiers, for `{field}` in correction rules
    /// (`payer_name` → 「受講者（支払者）氏名」).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// How a reason code is explained in a 補正依頼: first matching rule wins.
    #[serde(default)]
    pub corrections: Vec<CorrectionRule>,
    /// The blocks, top to bottom.
    pub blocks: Vec<Block>,
}

/// Which document and field a reason concerns, and what the applicant should bring.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRule {
    /// A reason code (`missing_receipt`), a prefix ending in `*` (`receipt_field_missing:*`; the
    /// part after `:` is the field id), or `*` for any code.
    pub code: String,
    /// The document concerned (「領収書」).
    pub document: String,
    /// The field concerned; `{field}` is the label of the code's field id.
    pub field: String,
    /// What to bring; may use `{field}`.
    #[serde(default)]
    pub bring: String,
    /// Leave reasons with this code out of the table: they are for the reviewer (a value kyufu
    /// could not read surely) or follow from another defect, not something the applicant must bring.
    #[serde(default)]
    pub omit: bool,
}

impl CorrectionRule {
    pub fn matches(&self, code: &str) -> bool {
        match self.code.strip_suffix('*') {
            Some(prefix) => code.starts_with(prefix),
            None => self.code == code,
        }
    }
}

/// One block of a document.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph, wrapped to the text width.
    Text(TextBlock),
    /// A boxed mark in the top-right corner of every page (the draft's 案).
    Stamp(StampBlock),
    /// One numbered paragraph per row of a source.
    List(ListBlock),
    /// A ruled table, one row per row of a source.
    Table(TableBlock),
    /// Vertical space.
    Space(SpaceBlock),
    /// The blocks of a named part of `output-style.toml`.
    Part(PartBlock),
    /// Blocks inside a ruled frame (the 要確認 box of a review draft).
    Frame(FrameBlock),
}

/// Text sizes a block may use (values in `[font]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    #[default]
    Body,
    Title,
    Small,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextBlock {
    /// The text with placeholders; a line break starts a new paragraph.
    pub text: String,
    #[serde(default)]
    pub align: Align,
    #[serde(default)]
    pub size: Size,
    /// Left indent of every line, in characters (em).
    #[serde(default)]
    pub indent: f32,
    /// Further indent of the second and later lines of each paragraph, in characters (em).
    #[serde(default)]
    pub hang: f32,
    /// Space above, mm.
    #[serde(default)]
    pub space_before_mm: f32,
    /// A heading (「（教示）」): starts a new page rather than end one without two lines of
    /// what follows it.
    #[serde(default)]
    pub keep_with_next: bool,
    /// Print only when every condition holds (see [`CONDITIONS`]).
    #[serde(default)]
    pub when: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StampBlock {
    /// The mark, e.g. 「案」.
    pub text: String,
    #[serde(default)]
    pub when: Vec<String>,
}

/// Rows a list or table is filled from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// In the sources a decision fills, `{cites}` is the rule as an applicant can look it up
    /// (`render::cite`, never the internal citation of `decision.json`) and `{cited}` the same in
    /// 「（）」 after a sentence, or nothing when no such rule stands behind it.
    ///
    /// The computation lines: `{n} {label} {amount} {cites}`.
    Lines,
    /// The excluded items: `{n} {label} {amount} {reason} {cites}`.
    Excluded,
    /// The reasons of a refusal: `{n} {code} {message} {cites} {cited}` (on a review draft, without the
    /// reasons that only ask for review).
    Reasons,
    /// Every reason, for the reviewing officer: `{n} {code} {message} {cites} {cited}`.
    Review,
    /// The reasons of a 補正依頼, explained by the template's correction rules:
    /// `{n} {code} {document} {field} {message} {bring} {cites} {cited}`.
    Corrections,
    /// Every month of a stipend schedule: `{n} {month} {amount} {code} {note}` (`{month}` in 和暦,
    /// `{note}` from `[codes]` of the style).
    Schedule,
    /// Runs of consecutive paid months with the same amount:
    /// `{n} {period} {from} {to} {months} {monthly} {subtotal}` (`{period}` is 「令和8年4月～令和8年9月」,
    /// or the month alone for a run of one).
    ScheduleSummary,
    /// The months not paid: `{n} {month} {code} {note} {reason} {cites} {cited}`.
    Unpaid,
    /// The days of a 受講旅費 claim: `{n} {date} {transport} {expenses} {amount}`.
    Days,
    /// What each short name in the 根拠 of a notice stands for: `{n} {short} {name}` (「運営通知」,
    /// 「母子家庭自立支援給付金事業の円滑な運営について（平成15年6月30日雇児福発第0630002号）」).
    Abbreviations,
    /// A plan's household: `{n} {name} {relation} {birth_date} {age} {note}`.
    Household,
    /// A plan's chosen support: `{n} {support} {detail} {period} {cites}`.
    Supports,
    /// A plan's 支援経過: `{n} {date} {time} {content} {supporter}`.
    Progress,
    /// A plan's refusal reasons: `{n} {code} {message} {cites}`.
    PlanReasons,
}

impl Source {
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            Source::Lines => &["n", "label", "amount", "cites"],
            Source::Excluded => &["n", "label", "amount", "reason", "cites"],
            Source::Reasons | Source::Review => &["n", "code", "message", "cites", "cited"],
            Source::Corrections => &[
                "n", "code", "document", "field", "message", "bring", "cites", "cited",
            ],
            Source::Schedule => &["n", "month", "amount", "code", "note"],
            Source::ScheduleSummary => {
                &["n", "period", "from", "to", "months", "monthly", "subtotal"]
            }
            Source::Unpaid => &["n", "month", "code", "note", "reason", "cites", "cited"],
            Source::Days => &["n", "date", "transport", "expenses", "amount"],
            Source::Abbreviations => &["n", "short", "name"],
            Source::Household => &["n", "name", "relation", "birth_date", "age", "note"],
            Source::Supports => &["n", "support", "detail", "period", "cites"],
            Source::Progress => &["n", "date", "time", "content", "supporter"],
            Source::PlanReasons => &["n", "code", "message", "cites"],
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListBlock {
    pub source: Source,
    /// Printed before the first item, e.g. 「【理由】」 (global placeholders only).
    #[serde(default)]
    pub heading: String,
    /// The number or bullet before each item, e.g. 「（{n}）」; later lines hang under the item.
    #[serde(default)]
    pub marker: String,
    /// The item text, e.g. 「{message}（{cites}）」.
    pub item: String,
    /// Printed instead of the items when the source is empty; empty = the block is left out.
    #[serde(default)]
    pub empty: String,
    #[serde(default)]
    pub size: Size,
    /// Left indent of the items, in characters (em).
    #[serde(default)]
    pub indent: f32,
    #[serde(default)]
    pub space_before_mm: f32,
    #[serde(default)]
    pub when: Vec<String>,
}

/// A ruled table: one row per row of `source`, or the fixed `rows` of the template (a form).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableBlock {
    /// Where the rows come from; absent = the fixed `rows`.
    #[serde(default)]
    pub source: Option<Source>,
    /// Fixed rows, a text per column (with the document's placeholders; a line break starts a new
    /// line in the cell). Only without `source`.
    #[serde(default)]
    pub rows: Vec<Vec<String>>,
    /// Blank rows are added up to this many rows (space to write by hand, as on 支援経過).
    #[serde(default)]
    pub min_rows: usize,
    /// Printed above the table (global placeholders only).
    #[serde(default)]
    pub heading: String,
    /// The columns; when every header is empty the table has no header row.
    pub columns: Vec<Column>,
    /// Printed instead of the table when the source is empty; empty = the block is left out.
    #[serde(default)]
    pub empty: String,
    #[serde(default)]
    pub size: Size,
    /// Left indent of the table, in characters (em).
    #[serde(default)]
    pub indent: f32,
    #[serde(default)]
    pub space_before_mm: f32,
    #[serde(default)]
    pub when: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Header cell text.
    pub header: String,
    /// Cell text with the source's placeholders (unused by a table of fixed `rows`).
    #[serde(default)]
    pub cell: String,
    /// Share of the table width (the widths of all columns are added up).
    #[serde(default = "default_column_width")]
    pub width: u32,
    #[serde(default)]
    pub align: Align,
}

fn default_column_width() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpaceBlock {
    pub mm: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartBlock {
    /// A key of `[parts]` in `output-style.toml`.
    pub name: String,
    #[serde(default)]
    pub when: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameBlock {
    /// What the frame holds (no frame inside a frame).
    pub blocks: Vec<Block>,
    #[serde(default)]
    pub space_before_mm: f32,
    #[serde(default)]
    pub when: Vec<String>,
}

/// Reads and checks `output-style.toml` and every other `output-*.toml` in `dir`, in name order.
pub fn read_all(dir: &Path) -> Result<(Style, Vec<DocumentTemplate>), RenderError> {
    let style_path = dir.join(STYLE_FILE);
    let style: Style = read_toml(&style_path)?;
    let entries = std::fs::read_dir(dir).map_err(|source| RenderError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| RenderError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(FILE_PREFIX) && name.ends_with(".toml") && name != STYLE_FILE {
            paths.push(entry.path());
        }
    }
    paths.sort();
    for (name, blocks) in &style.parts {
        check_blocks(blocks, &style, &[], &style_path, &format!("parts.{name}"))?;
    }
    check_text(&style.footer, FOOTER_PLACEHOLDERS, &style_path, "footer")?;
    let mut documents = Vec::new();
    for path in paths {
        let doc: DocumentTemplate = read_toml(&path)?;
        check_document(&doc, &style, &path)?;
        if documents
            .iter()
            .any(|(_, d): &(PathBuf, DocumentTemplate)| d.id == doc.id && d.benefit == doc.benefit)
        {
            return Err(invalid(&path, format!("id {} が重複しています", doc.id)));
        }
        documents.push((path, doc));
    }
    Ok((style, documents.into_iter().map(|(_, d)| d).collect()))
}

pub(crate) fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, RenderError> {
    let text = std::fs::read_to_string(path).map_err(|source| RenderError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| RenderError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn invalid(path: &Path, message: String) -> RenderError {
    RenderError::Invalid {
        path: path.to_path_buf(),
        message,
    }
}

fn check_document(doc: &DocumentTemplate, style: &Style, path: &Path) -> Result<(), RenderError> {
    let own = document_placeholders(&doc.id);
    check_text(&doc.title, own, path, "title")?;
    for (i, rule) in doc.corrections.iter().enumerate() {
        let at = format!("corrections[{i}]");
        check_text(&rule.document, &["field"], path, &at)?;
        check_text(&rule.field, &["field"], path, &at)?;
        check_text(&rule.bring, &["field"], path, &at)?;
    }
    check_blocks(&doc.blocks, style, own, path, "blocks")
}

/// `own`: the placeholders of the document's kind ([`document_placeholders`]); a source's row
/// placeholders come on top inside its items and cells.
fn check_blocks(
    blocks: &[Block],
    style: &Style,
    own: &[&str],
    path: &Path,
    at: &str,
) -> Result<(), RenderError> {
    let with_source = |source: Source| -> Vec<&str> {
        own.iter()
            .copied()
            .chain(source.placeholders().iter().copied())
            .collect()
    };
    for (i, block) in blocks.iter().enumerate() {
        let at = format!("{at}[{i}]");
        match block {
            Block::Text(b) => {
                check_when(&b.when, path, &at)?;
                check_text(&b.text, own, path, &at)?;
            }
            Block::Stamp(b) => {
                check_when(&b.when, path, &at)?;
                check_text(&b.text, own, path, &at)?;
            }
            Block::List(b) => {
                check_when(&b.when, path, &at)?;
                check_text(&b.heading, own, path, &at)?;
                check_text(&b.empty, own, path, &at)?;
                let names = with_source(b.source);
                check_text(&b.marker, &names, path, &at)?;
                check_text(&b.item, &names, path, &at)?;
            }
            Block::Table(b) => {
                check_when(&b.when, path, &at)?;
                check_text(&b.heading, own, path, &at)?;
                check_text(&b.empty, own, path, &at)?;
                if b.columns.is_empty() || b.columns.iter().all(|c| c.width == 0) {
                    return Err(invalid(path, format!("{at}: 列がありません")));
                }
                match b.source {
                    Some(source) => {
                        if !b.rows.is_empty() {
                            return Err(invalid(
                                path,
                                format!("{at}: source と rows は同時に指定できません"),
                            ));
                        }
                        let names = with_source(source);
                        for c in &b.columns {
                            check_text(&c.cell, &names, path, &at)?;
                        }
                    }
                    None => {
                        if b.rows.is_empty() {
                            return Err(invalid(
                                path,
                                format!("{at}: source か rows のどちらかが必要です"),
                            ));
                        }
                        for (r, row) in b.rows.iter().enumerate() {
                            if row.len() != b.columns.len() {
                                return Err(invalid(
                                    path,
                                    format!(
                                        "{at}: rows[{r}] のセル数が列の数（{}）と違います",
                                        b.columns.len()
                                    ),
                                ));
                            }
                            for cell in row {
                                check_text(cell, own, path, &at)?;
                            }
                        }
                    }
                }
                for c in &b.columns {
                    check_text(&c.header, own, path, &at)?;
                }
            }
            Block::Space(_) => {}
            Block::Frame(b) => {
                check_when(&b.when, path, &at)?;
                if b.blocks
                    .iter()
                    .any(|inner| matches!(inner, Block::Frame(_)))
                {
                    return Err(invalid(path, format!("{at}: 枠の中に枠は置けません")));
                }
                check_blocks(&b.blocks, style, own, path, &format!("{at}.blocks"))?;
            }
            Block::Part(b) => {
                check_when(&b.when, path, &at)?;
                // Parts are flat, so an include can never loop.
                if at.starts_with("parts.") {
                    return Err(invalid(
                        path,
                        format!("{at}: part の中で part は使えません"),
                    ));
                }
                if !style.parts.contains_key(&b.name) {
                    return Err(invalid(
                        path,
                        format!("{at}: part「{}」は {STYLE_FILE} にありません", b.name),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check_when(when: &[String], path: &Path, at: &str) -> Result<(), RenderError> {
    for cond in when {
        let name = cond.strip_prefix('!').unwrap_or(cond);
        if !CONDITIONS.contains(&name) {
            return Err(invalid(
                path,
                format!(
                    "{at}: 条件「{cond}」は使えません（使えるもの: {}）",
                    CONDITIONS.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Every `{name}` in `text` must be a global placeholder or one of `extra`.
fn check_text(text: &str, extra: &[&str], path: &Path, at: &str) -> Result<(), RenderError> {
    for name in placeholders(text) {
        match name {
            Ok(name) if GLOBAL_PLACEHOLDERS.contains(&name) || extra.contains(&name) => {}
            Ok(name) => {
                return Err(invalid(
                    path,
                    format!("{at}: 差し込み項目「{{{name}}}」はここでは使えません"),
                ))
            }
            Err(()) => return Err(invalid(path, format!("{at}: 「{{」が閉じていません"))),
        }
    }
    Ok(())
}

/// The placeholder names in `text`, in order; `Err` for an unclosed `{`.
fn placeholders(text: &str) -> impl Iterator<Item = Result<&str, ()>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let open = rest.find('{')?;
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                rest = &after[close + 1..];
                Some(Ok(&after[..close]))
            }
            None => {
                rest = "";
                Some(Err(()))
            }
        }
    })
}

/// Replaces each `{name}` by `value(name)`; a name it does not know is kept as written (loading
/// has already refused templates with unknown names).
pub fn fill(text: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match value(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_names_and_keeps_the_rest() {
        let v = |n: &str| (n == "amount").then(|| "59,400".to_string());
        assert_eq!(fill("金{amount}円", &v), "金59,400円");
        assert_eq!(fill("{other}と{amount}", &v), "{other}と59,400");
        assert_eq!(fill("閉じない{amount", &v), "閉じない{amount");
    }

    #[test]
    fn a_template_with_an_unknown_placeholder_or_condition_is_refused() {
        let style: Style = toml::from_str("").unwrap();
        let path = Path::new("output-x.toml");
        let doc: DocumentTemplate = toml::from_str(
            r#"id = "notice.pay"
               title = "{benefit}支給決定通知書"
               [[blocks]]
               kind = "text"
               text = "金{amout}円""#,
        )
        .unwrap();
        let err = check_document(&doc, &style, path).unwrap_err().to_string();
        assert!(err.contains("{amout}"), "{err}");

        let doc: DocumentTemplate = toml::from_str(
            r#"id = "notice.pay"
               title = "t"
               [[blocks]]
               kind = "list"
               source = "lines"
               item = "{message}""#,
        )
        .unwrap();
        let err = check_document(&doc, &style, path).unwrap_err().to_string();
        assert!(
            err.contains("{message}"),
            "a lines list has no message: {err}"
        );

        let doc: DocumentTemplate = toml::from_str(
            r#"id = "notice.pay"
               title = "t"
               [[blocks]]
               kind = "stamp"
               text = "案"
               when = ["drafty"]"#,
        )
        .unwrap();
        let err = check_document(&doc, &style, path).unwrap_err().to_string();
        assert!(err.contains("drafty"), "{err}");
    }

    #[test]
    fn unknown_keys_in_a_block_are_refused() {
        let parsed: Result<DocumentTemplate, _> = toml::from_str(
            r#"id = "notice.pay"
               title = "t"
               [[blocks]]
               kind = "text"
               text = "x"
               colour = "red""#,
        );
        assert!(parsed.is_err());
    }

    #[test]
    fn correction_rules_match_exact_codes_and_prefixes() {
        let rule = |code: &str| CorrectionRule {
            code: code.to_string(),
            document: String::new(),
            field: String::new(),
            bring: String::new(),
            omit: false,
        };
        assert!(rule("receipt_field_missing:*").matches("receipt_field_missing:payer_name"));
        assert!(!rule("receipt_field_missing:*").matches("receipt_no_seal"));
        assert!(rule("missing_receipt").matches("missing_receipt"));
        assert!(!rule("missing_receipt").matches("missing_receipt_x"));
        assert!(rule("*").matches("anything"));
    }
}
