//! What each page shows, as plain values for the askama templates in `templates/` (compile-checked:
//! a field a template names must exist here). Builders turn the Desk's [`CaseView`] and [`Queue`]
//! into rows; nothing here decides or checks anything.
//!
//! Used by [`super::pages`] and [`super::actions`].

use askama::Template;
use axum::http::StatusCode;
use axum::response::Html;

use crate::document::{Certainty, Check, Doubt, Value};
use crate::render::notice::format_yen;
use crate::review::{Actor, CaseView, Role};

/// The bar at the top of every page after login.
pub struct Nav {
    pub user: String,
    pub role_ja: &'static str,
    pub admin: bool,
    pub csrf: String,
}

impl Nav {
    pub fn of(actor: &Actor, csrf: &str) -> Nav {
        Nav {
            user: actor.name().to_string(),
            role_ja: actor.role().label_ja(),
            admin: actor.role() == Role::Admin,
            csrf: csrf.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
}

/// A page that only says what went wrong (and that nothing changed, where that is so).
pub fn error_page(status: StatusCode, message: &str) -> Html<String> {
    Html(
        ErrorPage {
            status: status.as_u16(),
            message,
        }
        .render()
        .unwrap_or_else(|_| message.to_string()),
    )
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub csrf: String,
    pub user: String,
    pub message: Option<String>,
}

/// One state in the queue's summary, with its count and the link that filters by it.
pub struct Count {
    pub label: String,
    pub count: usize,
    pub href: String,
    pub current: bool,
}

pub struct QueueRow {
    pub case_id: String,
    pub state_ja: &'static str,
    pub state_class: &'static str,
    pub benefit_ja: String,
    pub amount: String,
    pub applied_on: String,
    pub document_number: String,
}

#[derive(Template)]
#[template(path = "queue.html")]
pub struct QueuePage {
    pub nav: Nav,
    pub counts: Vec<Count>,
    pub all_href: String,
    pub rows: Vec<QueueRow>,
    pub total: usize,
    pub benefits: Vec<(String, String, bool)>,
    pub state: String,
    pub flash: Option<String>,
}

/// A rectangle on a page image, in the image's pixels.
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// A field's box drawn on its page.
pub struct Mark {
    pub n: usize,
    pub rect: Rect,
    pub class: &'static str,
}

pub struct PageView {
    pub url: String,
    pub number: u32,
    /// The page image's size, in the pixels the boxes are given in.
    pub w: u32,
    pub h: u32,
    pub marks: Vec<Mark>,
}

/// The part of a page a field was read from.
pub struct Crop {
    pub url: String,
    pub view: Rect,
    pub w: u32,
    pub h: u32,
}

pub struct FieldRow {
    pub n: usize,
    pub target: String,
    pub label: String,
    pub value: String,
    pub certainty_ja: String,
    pub unsure: bool,
    pub corrected: bool,
    pub crop: Option<Crop>,
    pub autofocus: bool,
    /// The decision's reasons this field bears on.
    pub feeds: Vec<String>,
}

pub struct DocView {
    pub file: String,
    pub kind_ja: &'static str,
    pub pages: Vec<PageView>,
    pub no_image: bool,
    pub fields: Vec<FieldRow>,
    pub findings: Vec<String>,
}

pub struct LineView {
    pub label: String,
    pub amount: String,
    pub cites: String,
}

pub struct HistoryRow {
    pub at: String,
    pub by: String,
    pub source_ja: &'static str,
    pub target: String,
    pub old: String,
    pub new: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "case.html")]
pub struct CasePage {
    pub nav: Nav,
    pub case_id: String,
    pub state_ja: &'static str,
    pub figures: String,
    pub reasons: Vec<LineView>,
    pub lines: Vec<LineView>,
    pub excluded: Vec<LineView>,
    pub docs: Vec<DocView>,
    pub history: Vec<HistoryRow>,
    pub approvals: Vec<String>,
    pub comment: Option<String>,
    pub can_submit: bool,
    pub can_decide: bool,
    pub can_correct: bool,
    pub next_case: Option<String>,
    pub final_notice: bool,
    pub flash: Option<String>,
    pub error: Option<String>,
}

pub struct AuditLine {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub case_id: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub nav: Nav,
    pub verified: String,
    pub broken: bool,
    pub entries: Vec<AuditLine>,
}

/// Renders a template, or says in Japanese that the page could not be made.
pub fn html(t: &impl Template) -> Html<String> {
    Html(t.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "serve: template failed");
        "画面を作れませんでした。".to_string()
    }))
}

/// The Japanese name of a field staff know it by.
pub fn field_label(name: &str) -> String {
    match name {
        "payer_name" => "宛名（支払者）",
        "issuer_name" => "発行者",
        "amount_total" => "領収金額",
        "issued_on" => "発行日",
        "seal_present" => "領収印",
        "has_unsealed_correction" => "訂正印のない訂正",
        "course_name" => "講座名",
        "trainee_name" => "受講者名",
        "birth_date" => "生年月日",
        "started_on" => "受講開始日",
        "completed_on" => "修了日",
        other => other,
    }
    .to_string()
}

/// A value as the form shows it (and takes it back): digits, ISO dates, あり/なし.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Bool(true) => "あり".into(),
        Value::Bool(false) => "なし".into(),
        Value::Yen(n) => n.to_string(),
        Value::Date(d) => d.to_string(),
        Value::Text(t) => t.clone(),
    }
}

pub fn certainty_ja(c: Certainty, confidence: f32) -> String {
    // A score of 1 is no engine's score (a value given as data, or a check's verdict): not shown.
    let pct = if confidence < 1.0 {
        format!("（{}%）", (confidence * 100.0).round() as i64)
    } else {
        String::new()
    };
    match c {
        Certainty::Sure(check) => format!(
            "確実（{}）",
            match check {
                Check::Application => "申請書と一致",
                Check::ApplicationLookalike => "申請書とほぼ一致",
                Check::Breakdown => "内訳の合計と一致・別方式の読取でも同額",
                Check::Form => "書式を確認",
                Check::Given => "データで提出",
                Check::Ink => "印影を確認",
                Check::Person => "担当者が確認",
            }
        ),
        Certainty::Agreed => format!("複数の読取で一致{pct}"),
        Certainty::Read => format!("読取のみ{pct}"),
        Certainty::Doubtful(d) => format!(
            "要確認: {}{pct}",
            match d {
                Doubt::Repaired => "字形を補って読んだ",
                Doubt::DoesNotSum => "内訳と合計が合わない",
                Doubt::FarFromCourse => "講座の期間から離れた日付",
                Doubt::OutOfOrder => "日付の前後が合わない",
                Doubt::Unseen => "印影を確認できない",
                Doubt::Capture => "写真・FAXのため判別できない",
                Doubt::Partial => "申請書と一部のみ一致",
                Doubt::Inferred => "読めず他の値から推定",
                Doubt::Disputed => "別方式の読取と食い違う",
                Doubt::Unlabelled => "合計欄の金額として読めていない",
            }
        ),
    }
}

pub fn category_ja(id: &str) -> &'static str {
    match id {
        "admission" => "入学料",
        "tuition" => "受講料",
        "required_material" => "教材費（必須）",
        "consumption_tax" => "消費税",
        "exam_fee" => "検定試験受験料",
        "optional_material" => "補助教材費",
        "supplementary_lesson" => "補講費",
        "event" => "行事参加費",
        "refundable_bond" => "学債等",
        "transport" => "交通費",
        "equipment" => "器材",
        "credit_interest" => "分割払手数料",
        "unpaid" => "未納",
        "subsidy" => "補助・返還",
        _ => "その他（要確認）",
    }
}

pub fn benefit_ja(id: &str) -> String {
    [
        crate::decision::Benefit::KyoikuKunren,
        crate::decision::Benefit::Kotoshokugyo,
        crate::decision::Benefit::KotoshokugyoShuryo,
        crate::decision::Benefit::JukouRyohi,
    ]
    .into_iter()
    .find(|b| b.id() == id)
    .map_or_else(|| id.to_string(), |b| b.name_ja().to_string())
}

pub fn yen(n: i64) -> String {
    format!("{}円", format_yen(n))
}

/// A JSON value of the history as staff read it (a string without its quotes).
pub fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => "あり".into(),
        serde_json::Value::Bool(false) => "なし".into(),
        serde_json::Value::Null => "（なし）".into(),
        other => other.to_string(),
    }
}

/// The lines of the decision (`lines`, `excluded`, `reasons`) as label, amount, citation.
pub fn decision_lines(d: &serde_json::Value, key: &str) -> Vec<LineView> {
    d[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| LineView {
            label: l["label"]
                .as_str()
                .or(l["message"].as_str())
                .unwrap_or_default()
                .to_string(),
            amount: l["amount_yen"].as_i64().map(yen).unwrap_or_default(),
            cites: [l["cites"].as_str(), l["reason"].as_str()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" / "),
        })
        .collect()
}

/// The history of corrections as rows.
pub fn history(v: &CaseView) -> Vec<HistoryRow> {
    v.corrections
        .iter()
        .map(|c| HistoryRow {
            at: c.at.clone(),
            by: c.by.clone(),
            source_ja: if c.source == "system" {
                "システム"
            } else {
                "担当者"
            },
            target: c.target.clone(),
            old: json_text(&c.old),
            new: json_text(&c.new),
            reason: c.reason.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_shown_as_the_form_takes_them_back() {
        assert_eq!(value_text(&Value::Yen(59_400)), "59400");
        assert_eq!(value_text(&Value::Bool(true)), "あり");
        assert_eq!(field_label("amount_total"), "領収金額");
        assert_eq!(benefit_ja("kyoiku_kunren"), "自立支援教育訓練給付金");
        assert!(certainty_ja(Certainty::Read, 0.42).contains("42%"));
        assert!(!certainty_ja(Certainty::Doubtful(Doubt::Capture), 1.0).contains('%'));
        let page = error_page(StatusCode::FORBIDDEN, "<script>");
        assert!(page.0.contains("&#60;script&#62;") || page.0.contains("&lt;script&gt;"));
    }
}
