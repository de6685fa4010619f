//! Fills a notice template from a decision: picks the document for the outcome, builds the
//! placeholder values (和暦 dates, 金59,400円 amounts, names) and the rows of the lists and tables
//! (computation lines, exclusions, reasons, a stipend's schedule, a 受講旅費 claim's days), and
//! hands them to `compose`. Also the per-month 不支給 notice and the 支給予定表, which are filled
//! from the same decision. Every 根拠 is printed as an applicant can look it up (`cite`, with the
//! short names of the notices cited explained once); the decision keeps its internal citations.
//!
//! Nothing is decided here: which lines, exclusions and reasons exist is the decision's business.
//! The one judgement made is presentational — on a `needs_review` draft of a refusal, reasons that
//! only ask a person to look (RULES.md §1.5) go to the 要確認 box, not into the refusal's 理由.

use chrono::{Months, NaiveDate};
use sha2::{Digest, Sha256};

use super::cite::CiteBook;
use super::compose::{compose, row, set_title, Context, Row};
use super::template::{fill, DocumentTemplate, Source, Style, SCHEDULE_ID};
use super::wareki::{format_wareki, format_wareki_month};
use super::{Issue, Office, RenderError, Templates};
use crate::case::Application;
use crate::decision::{Decision, Outcome, Reason, ScheduleLine, Status};

/// Template ids.
pub const PAY: &str = "notice.pay";
pub const DENY: &str = "notice.deny";
pub const INCOMPLETE: &str = "notice.incomplete";
/// The 不支給 notice for one month of a stipend (RULES.md §2).
pub const MONTH: &str = "notice.month";

/// Reason codes that ask for a person's look rather than state why the applicant is not entitled
/// (RULES.md §1.5 `needs_review`: low confidence, an `other` line, an unconfirmed or uncovered
/// parameter, a late application). A code ending in `:` matches any field.
const REVIEW_ONLY: &[&str] = &[
    "low_confidence:",
    "unclassified_item",
    "parameters_not_covered",
    "late_application",
];

fn review_only(code: &str) -> bool {
    REVIEW_ONLY.iter().any(|r| match r.strip_suffix(':') {
        Some(_) => code.starts_with(r),
        None => code == *r,
    })
}

/// Which template a decision is printed with.
fn template_id(decision: &Decision) -> &'static str {
    match decision.outcome {
        Outcome::Pay => PAY,
        Outcome::Deny => DENY,
        Outcome::Incomplete => INCOMPLETE,
        // The draft of what the computed result would give: a positive computed amount would be
        // paid; otherwise the draft is a refusal the officer completes or overturns.
        Outcome::NeedsReview if decision.amount_yen > 0 => PAY,
        Outcome::NeedsReview => DENY,
    }
}

/// 「59,400」: half-width digits with thousands commas (RULES.md §5); the template adds 金 and 円.
pub fn format_yen(amount: i64) -> String {
    crate::document::grouped_yen(amount)
}

/// 「令和8年4月」 for `YYYY-MM`; a month that is not one prints as written.
fn month_ja(month: &str) -> String {
    parse_month(month).map_or_else(|| month.to_string(), format_wareki_month)
}

/// The first day of a `YYYY-MM` month.
fn parse_month(month: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()
}

/// Whether `next` is the calendar month after `prev`.
fn follows(prev: &str, next: &str) -> bool {
    match (parse_month(prev), parse_month(next)) {
        (Some(p), Some(n)) => p.checked_add_months(Months::new(1)) == Some(n),
        _ => false,
    }
}

/// Consecutive paid months with the same amount, as (first, last, months, monthly amount).
fn paid_runs(schedule: &[ScheduleLine]) -> Vec<(&str, &str, i64, i64)> {
    let mut runs: Vec<(&str, &str, i64, i64)> = Vec::new();
    for line in schedule.iter().filter(|l| l.amount_yen > 0) {
        match runs.last_mut() {
            Some(run) if run.3 == line.amount_yen && follows(run.1, &line.month) => {
                run.1 = &line.month;
                run.2 += 1;
            }
            _ => runs.push((&line.month, &line.month, 1, line.amount_yen)),
        }
    }
    runs
}

/// The words for a schedule-line code: `[codes]` of the style, else the code itself under the
/// rule that defines the codes.
fn code_text(style: &Style, code: &str) -> (String, String, String) {
    match style.codes.get(code) {
        Some(c) => (c.note.clone(), c.reason.clone(), c.cites.clone()),
        None => (
            code.to_string(),
            code.to_string(),
            "RULES.md §2".to_string(),
        ),
    }
}

/// The rows of a 支給予定表: `{month}` in 和暦, `{amount}`, `{code}` and its `{note}`.
pub fn schedule_rows(style: &Style, schedule: &[ScheduleLine]) -> Vec<Row> {
    schedule
        .iter()
        .map(|l| {
            let code = l.code.clone().unwrap_or_default();
            let note = if code.is_empty() {
                String::new()
            } else {
                code_text(style, &code).0
            };
            row([
                ("month", month_ja(&l.month)),
                ("amount", format_yen(l.amount_yen)),
                ("code", code),
                ("note", note),
            ])
        })
        .collect()
}

/// The rows of every source a decision fills.
fn decision_rows(
    ctx: &mut Context,
    decision: &Decision,
    template: &DocumentTemplate,
    t: &Templates,
) {
    let d = decision;
    let style = &t.style;
    let book = CiteBook::new(&t.citations);
    let reason_row = |r: &Reason| {
        let (cites, cited) = bracketed(book.cite(&r.cites));
        row([
            ("code", r.code.clone()),
            ("message", r.message.clone()),
            ("cites", cites),
            ("cited", cited),
        ])
    };
    ctx.set_rows(
        Source::Lines,
        d.lines.iter().map(|l| {
            row([
                ("label", l.label.clone()),
                ("amount", format_yen(l.amount_yen)),
                ("cites", book.cite(&l.cites)),
            ])
        }),
    );
    ctx.set_rows(
        Source::Excluded,
        d.excluded.iter().map(|e| {
            row([
                ("label", e.label.clone()),
                ("amount", format_yen(e.amount_yen)),
                ("reason", e.reason.clone()),
                ("cites", book.cite(&e.cites)),
            ])
        }),
    );
    ctx.set_rows(
        Source::Reasons,
        refusal_reasons(d).into_iter().map(reason_row),
    );
    ctx.set_rows(Source::Review, d.reasons.iter().map(reason_row));
    ctx.set_rows(
        Source::Corrections,
        d.reasons
            .iter()
            .filter(|r| {
                !template
                    .corrections
                    .iter()
                    .find(|c| c.matches(&r.code))
                    .is_some_and(|c| c.omit)
            })
            .map(|r| {
                let mut row = reason_row(r);
                let field_id = r.code.split_once(':').map(|(_, f)| f).unwrap_or("");
                let field_label = template
                    .fields
                    .get(field_id)
                    .cloned()
                    .unwrap_or_else(|| field_id.to_string());
                let rule = template.corrections.iter().find(|c| c.matches(&r.code));
                let field =
                    |text: &str| fill(text, &|n| (n == "field").then(|| field_label.clone()));
                let (document, field_text, bring) = match rule {
                    Some(rule) => (
                        field(&rule.document),
                        field(&rule.field),
                        field(&rule.bring),
                    ),
                    None => (String::new(), field_label.clone(), String::new()),
                };
                row.insert("document", document);
                row.insert("field", field_text);
                row.insert("bring", bring);
                row
            }),
    );
    let schedule = d.schedule.as_deref().unwrap_or_default();
    ctx.set_rows(Source::Schedule, schedule_rows(style, schedule));
    ctx.set_rows(
        Source::ScheduleSummary,
        paid_runs(schedule)
            .into_iter()
            .map(|(from, to, months, monthly)| {
                let period = if from == to {
                    month_ja(from)
                } else {
                    format!("{}～{}", month_ja(from), month_ja(to))
                };
                row([
                    ("period", period),
                    ("from", month_ja(from)),
                    ("to", month_ja(to)),
                    ("months", months.to_string()),
                    ("monthly", format_yen(monthly)),
                    ("subtotal", format_yen(monthly * months)),
                ])
            }),
    );
    ctx.set_rows(
        Source::Unpaid,
        schedule.iter().filter(|l| l.amount_yen == 0).map(|l| {
            let code = l.code.clone().unwrap_or_default();
            let (note, reason, cites) = code_text(style, &code);
            let (cites, cited) = bracketed(book.cite(&cites));
            row([
                ("month", month_ja(&l.month)),
                ("code", code),
                ("note", note),
                ("reason", reason),
                ("cites", cites),
                ("cited", cited),
            ])
        }),
    );
    ctx.set_rows(
        Source::Days,
        d.days.iter().flatten().map(|day| {
            row([
                ("date", format_wareki(day.date)),
                ("transport", format_yen(day.transport_yen)),
                ("expenses", format_yen(day.expenses_yen)),
                ("amount", format_yen(day.amount_yen)),
            ])
        }),
    );
    ctx.set_rows(
        Source::Abbreviations,
        book.abbreviations()
            .into_iter()
            .map(|(short, name)| row([("short", short), ("name", name)])),
    );
}

/// A citation as the notice prints it (`{cites}`), and the same in brackets after a sentence
/// (`{cited}`: 「（…）」, or nothing when no rule an applicant can look up stands behind it).
fn bracketed(cites: String) -> (String, String) {
    let cited = if cites.is_empty() {
        String::new()
    } else {
        format!("（{cites}）")
    };
    (cites, cited)
}

/// The reasons a refusal states: all of them on a refusal, those that are not only a request
/// for review on a review draft.
fn refusal_reasons(decision: &Decision) -> Vec<&Reason> {
    let reasons = decision.reasons.iter();
    match decision.outcome {
        Outcome::NeedsReview => reasons.filter(|r| !review_only(&r.code)).collect(),
        _ => reasons.collect(),
    }
}

/// The office's placeholders, shared by every document kyufu prints.
pub fn office_globals(ctx: &mut Context, office: &Office) {
    let g = &mut ctx.globals;
    g.insert("authority", office.authority.clone());
    g.insert("department", office.department.clone());
    g.insert("contact", office.contact.clone());
    g.insert("payment_method", office.payment_method.clone());
    g.insert("appeal_to", office.appeal_to.clone());
    g.insert("defendant", office.defendant.clone());
    g.insert(
        "defendant_representative",
        office.defendant_representative.clone(),
    );
}

/// 文書番号, 決定日 and the draft marks.
pub fn issue_globals(ctx: &mut Context, style: &Style, draft: bool, issue: Option<&Issue>) {
    let g = &mut ctx.globals;
    g.insert(
        "draft_suffix",
        if draft {
            style.marks.draft_suffix.clone()
        } else {
            String::new()
        },
    );
    g.insert(
        "doc_number",
        issue.map_or_else(|| style.marks.blank_number.clone(), |i| i.number.clone()),
    );
    g.insert(
        "decided_on",
        issue.map_or_else(
            || style.marks.blank_date.clone(),
            |i| format_wareki(i.decided_on),
        ),
    );
    ctx.set_flags([("draft", draft), ("issued", issue.is_some())]);
}

fn context(
    decision: &Decision,
    app: &Application,
    office: &Office,
    t: &Templates,
    template: &DocumentTemplate,
    issue: Option<&Issue>,
) -> Context {
    let style = &t.style;
    let draft = decision.status == Status::Draft;
    let course = app.course.as_ref();
    let text = |s: Option<&String>| s.cloned().unwrap_or_default();
    let mut ctx = Context::default();
    office_globals(&mut ctx, office);
    issue_globals(&mut ctx, style, draft, issue);
    let schedule = decision.schedule.as_deref().unwrap_or_default();
    let days = decision.days.as_deref().unwrap_or_default();
    let g = &mut ctx.globals;
    g.insert("benefit", decision.benefit.name_ja().to_string());
    g.insert("case_id", decision.case_id.clone());
    g.insert(
        "applied_on",
        decision
            .applied_on
            .or(app.applied_on)
            .map_or_else(|| style.marks.blank_date.clone(), format_wareki),
    );
    g.insert("name", text(app.applicant.name.as_ref()));
    g.insert("address", text(app.applicant.address.as_ref()));
    g.insert("amount", format_yen(decision.amount_yen));
    g.insert("course", text(course.and_then(|c| c.name.as_ref())));
    g.insert(
        "institution",
        text(course.and_then(|c| c.institution.as_ref())),
    );
    g.insert("unconfirmed", text(decision.parameters.get("unconfirmed")));
    g.insert("qualification", text(app.qualification.as_ref()));
    g.insert(
        "paid_months",
        schedule
            .iter()
            .filter(|l| l.amount_yen > 0)
            .count()
            .to_string(),
    );
    g.insert(
        "schedule_from",
        schedule
            .first()
            .map(|l| month_ja(&l.month))
            .unwrap_or_default(),
    );
    g.insert(
        "schedule_to",
        schedule
            .last()
            .map(|l| month_ja(&l.month))
            .unwrap_or_default(),
    );
    g.insert("days_count", days.len().to_string());
    g.insert(
        "transport_total",
        format_yen(days.iter().map(|d| d.transport_yen).sum()),
    );
    g.insert(
        "expenses_total",
        format_yen(days.iter().map(|d| d.expenses_yen).sum()),
    );

    let needs_review = decision.outcome == Outcome::NeedsReview;
    let has_reasons = !refusal_reasons(decision).is_empty();
    ctx.set_flags([
        ("needs_review", needs_review),
        ("has_lines", !decision.lines.is_empty()),
        ("has_excluded", !decision.excluded.is_empty()),
        ("has_reasons", has_reasons),
        ("has_review", needs_review && !decision.reasons.is_empty()),
        (
            "has_unconfirmed",
            decision
                .parameters
                .get("unconfirmed")
                .is_some_and(|u| !u.trim().is_empty()),
        ),
        (
            "has_address",
            app.applicant
                .address
                .as_ref()
                .is_some_and(|a| !a.trim().is_empty()),
        ),
        (
            "has_course",
            course
                .and_then(|c| c.name.as_ref())
                .is_some_and(|n| !n.trim().is_empty()),
        ),
        ("has_schedule", !schedule.is_empty()),
        ("has_unpaid", schedule.iter().any(|l| l.amount_yen == 0)),
        ("has_days", !days.is_empty()),
    ]);
    decision_rows(&mut ctx, decision, template, t);
    ctx
}

/// The hash a decision's documents derive their PDF `/ID` from; `extra` tells apart the
/// documents of one decision (the notice, a month's notice, the 支給予定表).
fn identity(decision: &Decision, extra: &str) -> Result<[u8; 32], RenderError> {
    let json = serde_json::to_vec(decision).map_err(|e| RenderError::Pdf(e.to_string()))?;
    let mut h = Sha256::new();
    h.update(&json);
    h.update(extra.as_bytes());
    Ok(h.finalize().into())
}

pub fn render(
    decision: &Decision,
    app: &Application,
    office: &Office,
    t: &Templates,
    issue: Option<&Issue>,
) -> Result<Vec<u8>, RenderError> {
    let template = t.document(template_id(decision), Some(decision.benefit))?;
    let mut ctx = context(decision, app, office, t, template, issue);
    set_title(&mut ctx, template);
    compose(
        &ctx,
        template,
        t,
        &identity(decision, "")?,
        &decision.case_id,
    )
}

/// The 不支給 notice for one month of a stipend schedule (`month` = `YYYY-MM`), which must be in
/// the schedule with nothing paid.
pub fn render_month(
    decision: &Decision,
    app: &Application,
    office: &Office,
    t: &Templates,
    month: &str,
    issue: Option<&Issue>,
) -> Result<Vec<u8>, RenderError> {
    let line = decision
        .schedule
        .iter()
        .flatten()
        .find(|l| l.month == month)
        .ok_or_else(|| RenderError::Month {
            month: month.to_string(),
            message: "支給予定表にない月です".to_string(),
        })?;
    if line.amount_yen != 0 {
        return Err(RenderError::Month {
            month: month.to_string(),
            message: format!("支給する月です（{}円）", format_yen(line.amount_yen)),
        });
    }
    let template = t.document(MONTH, Some(decision.benefit))?;
    let mut ctx = context(decision, app, office, t, template, issue);
    let code = line.code.clone().unwrap_or_default();
    let (note, reason, cites) = code_text(&t.style, &code);
    // In full: the note of short names was made with the rows.
    let (cites, cited) = bracketed(t.public_cite(&cites));
    ctx.globals.insert("month", month_ja(month));
    ctx.globals.insert("month_code", code);
    ctx.globals.insert("month_note", note);
    ctx.globals.insert("month_reason", reason);
    ctx.globals.insert("month_cites", cites);
    ctx.globals.insert("month_cited", cited);
    set_title(&mut ctx, template);
    compose(
        &ctx,
        template,
        t,
        &identity(decision, month)?,
        &decision.case_id,
    )
}

/// The 支給予定表 of a stipend decision (the schedule month by month).
pub fn render_schedule(
    decision: &Decision,
    app: &Application,
    office: &Office,
    t: &Templates,
) -> Result<Vec<u8>, RenderError> {
    let template = t.document(SCHEDULE_ID, Some(decision.benefit))?;
    let mut ctx = context(decision, app, office, t, template, None);
    set_title(&mut ctx, template);
    compose(
        &ctx,
        template,
        t,
        &identity(decision, SCHEDULE_ID)?,
        &decision.case_id,
    )
}
