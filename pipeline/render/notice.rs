//! Fills a notice template from a decision: picks the document for the outcome, builds the
//! placeholder values (和暦 dates, 金59,400円 amounts, names) and the rows of the lists and tables,
//! and walks the template's blocks into the layout.
//!
//! Nothing is decided here: which lines, exclusions and reasons exist is the decision's business.
//! The one judgement made is presentational — on a `needs_review` draft of a refusal, reasons that
//! only ask a person to look (RULES.md §1.5) go to the 要確認 box, not into the refusal's 理由.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::layout::{Draw, Flow, Measure, PT_PER_MM};
use super::template::{fill, Block, DocumentTemplate, Size, Source, Style};
use super::wareki::format_wareki;
use super::{pdf, Issue, Office, RenderError, Templates};
use crate::case::Application;
use crate::decision::{Decision, Outcome, Reason, Status};

/// Template ids.
pub const PAY: &str = "notice.pay";
pub const DENY: &str = "notice.deny";
pub const INCOMPLETE: &str = "notice.incomplete";

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
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

type Row = BTreeMap<&'static str, String>;

/// Everything a template can print for one decision.
struct Context<'a> {
    globals: BTreeMap<&'static str, String>,
    flags: BTreeSet<&'static str>,
    decision: &'a Decision,
    template: &'a DocumentTemplate,
}

impl Context<'_> {
    fn global(&self, name: &str) -> Option<String> {
        self.globals.get(name).cloned()
    }

    fn fill(&self, text: &str) -> String {
        fill(text, &|n| self.global(n))
    }

    fn fill_row(&self, text: &str, row: &Row) -> String {
        fill(text, &|n| row.get(n).cloned().or_else(|| self.global(n)))
    }

    fn holds(&self, when: &[String]) -> bool {
        when.iter().all(|c| match c.strip_prefix('!') {
            Some(name) => !self.flags.contains(name),
            None => self.flags.contains(c.as_str()),
        })
    }

    /// The reasons a refusal states: all of them on a refusal, those that are not only a request
    /// for review on a review draft.
    fn refusal_reasons(&self) -> Vec<&Reason> {
        let reasons = self.decision.reasons.iter();
        match self.decision.outcome {
            Outcome::NeedsReview => reasons.filter(|r| !review_only(&r.code)).collect(),
            _ => reasons.collect(),
        }
    }

    fn rows(&self, source: Source) -> Vec<Row> {
        let d = self.decision;
        let numbered = |i: usize, pairs: Vec<(&'static str, String)>| -> Row {
            let mut row: Row = pairs.into_iter().collect();
            row.insert("n", (i + 1).to_string());
            row
        };
        let reason_row = |i: usize, r: &Reason| {
            numbered(
                i,
                vec![
                    ("code", r.code.clone()),
                    ("message", r.message.clone()),
                    ("cites", r.cites.clone()),
                ],
            )
        };
        match source {
            Source::Lines => d
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    numbered(
                        i,
                        vec![
                            ("label", l.label.clone()),
                            ("amount", format_yen(l.amount_yen)),
                            ("cites", l.cites.clone()),
                        ],
                    )
                })
                .collect(),
            Source::Excluded => d
                .excluded
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    numbered(
                        i,
                        vec![
                            ("label", e.label.clone()),
                            ("amount", format_yen(e.amount_yen)),
                            ("reason", e.reason.clone()),
                            ("cites", e.cites.clone()),
                        ],
                    )
                })
                .collect(),
            Source::Reasons => self
                .refusal_reasons()
                .into_iter()
                .enumerate()
                .map(|(i, r)| reason_row(i, r))
                .collect(),
            Source::Review => d
                .reasons
                .iter()
                .enumerate()
                .map(|(i, r)| reason_row(i, r))
                .collect(),
            Source::Corrections => d
                .reasons
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut row = reason_row(i, r);
                    let field_id = r.code.split_once(':').map(|(_, f)| f).unwrap_or("");
                    let field_label = self
                        .template
                        .fields
                        .get(field_id)
                        .cloned()
                        .unwrap_or_else(|| field_id.to_string());
                    let rule = self
                        .template
                        .corrections
                        .iter()
                        .find(|c| c.matches(&r.code));
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
                })
                .collect(),
        }
    }
}

fn context<'a>(
    decision: &'a Decision,
    app: &Application,
    office: &Office,
    style: &Style,
    template: &'a DocumentTemplate,
    issue: Option<&Issue>,
) -> Context<'a> {
    let draft = decision.status == Status::Draft;
    let course = app.course.as_ref();
    let text = |s: Option<&String>| s.cloned().unwrap_or_default();
    let mut globals: BTreeMap<&'static str, String> = BTreeMap::new();
    globals.insert("benefit", decision.benefit.name_ja().to_string());
    globals.insert("case_id", decision.case_id.clone());
    globals.insert(
        "draft_suffix",
        if draft {
            style.marks.draft_suffix.clone()
        } else {
            String::new()
        },
    );
    globals.insert(
        "doc_number",
        issue.map_or_else(|| style.marks.blank_number.clone(), |i| i.number.clone()),
    );
    globals.insert(
        "decided_on",
        issue.map_or_else(
            || style.marks.blank_date.clone(),
            |i| format_wareki(i.decided_on),
        ),
    );
    globals.insert(
        "applied_on",
        decision
            .applied_on
            .or(app.applied_on)
            .map_or_else(|| style.marks.blank_date.clone(), format_wareki),
    );
    globals.insert("name", text(app.applicant.name.as_ref()));
    globals.insert("address", text(app.applicant.address.as_ref()));
    globals.insert("amount", format_yen(decision.amount_yen));
    globals.insert("course", text(course.and_then(|c| c.name.as_ref())));
    globals.insert(
        "institution",
        text(course.and_then(|c| c.institution.as_ref())),
    );
    globals.insert("unconfirmed", text(decision.parameters.get("unconfirmed")));
    globals.insert("authority", office.authority.clone());
    globals.insert("department", office.department.clone());
    globals.insert("contact", office.contact.clone());
    globals.insert("payment_method", office.payment_method.clone());
    globals.insert("appeal_to", office.appeal_to.clone());
    globals.insert("defendant", office.defendant.clone());
    globals.insert(
        "defendant_representative",
        office.defendant_representative.clone(),
    );
    let title = fill(&template.title, &|n| globals.get(n).cloned());
    globals.insert("title", title);

    let mut ctx = Context {
        globals,
        flags: BTreeSet::new(),
        decision,
        template,
    };
    let needs_review = decision.outcome == Outcome::NeedsReview;
    let flags = [
        ("draft", draft),
        ("issued", issue.is_some()),
        ("needs_review", needs_review),
        ("has_lines", !decision.lines.is_empty()),
        ("has_excluded", !decision.excluded.is_empty()),
        ("has_reasons", !ctx.refusal_reasons().is_empty()),
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
    ];
    ctx.flags = flags
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| name)
        .collect();
    ctx
}

/// Walks `blocks` into the flow; stamps are collected to be drawn on every page at the end.
fn lay_out(
    flow: &mut Flow,
    blocks: &[Block],
    ctx: &Context,
    style: &Style,
    stamps: &mut Vec<String>,
    in_frame: bool,
) {
    let size_pt = |s: Size| match s {
        Size::Body => style.font.body_pt,
        Size::Title => style.font.title_pt,
        Size::Small => style.font.small_pt,
    };
    for block in blocks {
        match block {
            Block::Text(b) if ctx.holds(&b.when) => {
                flow.space(b.space_before_mm);
                for paragraph in ctx.fill(&b.text).split('\n') {
                    flow.paragraph(paragraph, size_pt(b.size), b.align, b.indent, b.hang);
                }
            }
            Block::Stamp(b) if ctx.holds(&b.when) => stamps.push(ctx.fill(&b.text)),
            Block::List(b) if ctx.holds(&b.when) => {
                let rows = ctx.rows(b.source);
                if rows.is_empty() && b.empty.is_empty() {
                    continue;
                }
                let size = size_pt(b.size);
                flow.space(b.space_before_mm);
                if !b.heading.is_empty() {
                    flow.paragraph(&ctx.fill(&b.heading), size, Default::default(), 0.0, 0.0);
                }
                if rows.is_empty() {
                    flow.paragraph(&ctx.fill(&b.empty), size, Default::default(), b.indent, 0.0);
                }
                for row in &rows {
                    flow.item(
                        &ctx.fill_row(&b.marker, row),
                        &ctx.fill_row(&b.item, row),
                        size,
                        b.indent,
                    );
                }
            }
            Block::Table(b) if ctx.holds(&b.when) => {
                let rows = ctx.rows(b.source);
                if rows.is_empty() && b.empty.is_empty() {
                    continue;
                }
                let size = size_pt(b.size);
                flow.space(b.space_before_mm);
                if !b.heading.is_empty() {
                    flow.paragraph(&ctx.fill(&b.heading), size, Default::default(), 0.0, 0.0);
                }
                if rows.is_empty() {
                    flow.paragraph(&ctx.fill(&b.empty), size, Default::default(), b.indent, 0.0);
                    continue;
                }
                let header: Vec<String> = b.columns.iter().map(|c| ctx.fill(&c.header)).collect();
                let cells: Vec<Vec<String>> = rows
                    .iter()
                    .map(|row| {
                        b.columns
                            .iter()
                            .map(|c| ctx.fill_row(&c.cell, row))
                            .collect()
                    })
                    .collect();
                let widths: Vec<u32> = b.columns.iter().map(|c| c.width).collect();
                let aligns: Vec<_> = b.columns.iter().map(|c| c.align).collect();
                flow.table(&header, &cells, &widths, &aligns, size, b.indent);
            }
            Block::Space(b) => flow.space(b.mm),
            Block::Part(b) if ctx.holds(&b.when) => {
                if let Some(part) = style.parts.get(&b.name) {
                    lay_out(flow, part, ctx, style, stamps, in_frame);
                }
            }
            Block::Frame(b) if ctx.holds(&b.when) => {
                flow.space(b.space_before_mm);
                if in_frame {
                    lay_out(flow, &b.blocks, ctx, style, stamps, true);
                } else {
                    flow.begin_frame();
                    lay_out(flow, &b.blocks, ctx, style, stamps, true);
                    flow.end_frame();
                }
            }
            _ => {}
        }
    }
}

pub fn render(
    decision: &Decision,
    app: &Application,
    office: &Office,
    t: &Templates,
    issue: Option<&Issue>,
) -> Result<Vec<u8>, RenderError> {
    let template = t.document(template_id(decision), decision.benefit)?;
    let style = &t.style;
    let ctx = context(decision, app, office, style, template, issue);
    let measure = Measure::new(&t.font);
    let mut flow = Flow::new(&measure, &style.font, &style.page);
    let mut stamps = Vec::new();
    lay_out(&mut flow, &template.blocks, &ctx, style, &mut stamps, false);

    let footer = style.footer.clone();
    let pages = flow.finish(&|page, count| {
        let mut draws = Vec::new();
        let page_style = &style.page;
        let font = &style.font;
        let right = (page_style.width_mm - page_style.margin_right_mm) * PT_PER_MM;
        // The stamp sits in the top margin, flush with the text's right edge.
        let pad = 1.5 * PT_PER_MM;
        let mut x_right = right;
        for stamp in &stamps {
            let size = font.stamp_pt;
            let w = measure.width(stamp, size) + 2.0 * pad;
            let h = size + 2.0 * pad;
            let top =
                (page_style.margin_top_mm * PT_PER_MM - h - 3.0 * PT_PER_MM).max(3.0 * PT_PER_MM);
            draws.push(Draw::Rect {
                x: x_right - w,
                y: top,
                w,
                h,
            });
            draws.push(Draw::Text {
                x: x_right - w + pad,
                baseline: top + pad + size * 0.88,
                size,
                text: stamp.clone(),
            });
            x_right -= w + pad;
        }
        if !footer.is_empty() {
            let text = fill(&footer, &|n| match n {
                "page" => Some((page + 1).to_string()),
                "pages" => Some(count.to_string()),
                _ => ctx.global(n),
            });
            let size = font.small_pt;
            let w = measure.width(&text, size);
            draws.push(Draw::Text {
                x: (page_style.width_mm * PT_PER_MM - w) / 2.0,
                baseline: (page_style.height_mm - page_style.margin_bottom_mm / 2.0) * PT_PER_MM,
                size,
                text,
            });
        }
        draws
    });

    let missing: usize = pages
        .iter()
        .flatten()
        .map(|d| match d {
            Draw::Text { text, .. } => text.chars().filter(|c| !measure.has_glyph(*c)).count(),
            Draw::Rect { .. } => 0,
        })
        .sum();
    if missing > 0 {
        // Never the characters themselves: they may be part of a name.
        tracing::warn!(
            case_id = %decision.case_id,
            missing,
            "the notice font has no glyph for some characters; they print as empty boxes"
        );
    }

    let json = serde_json::to_vec(decision).map_err(|e| RenderError::Pdf(e.to_string()))?;
    let identity: [u8; 32] = Sha256::digest(&json).into();
    let title = format!("{}{}", ctx.globals["title"], ctx.globals["draft_suffix"]);
    pdf::write(
        &pages,
        style.page.width_mm,
        style.page.height_mm,
        &t.font,
        &title,
        style.font.rule_pt,
        &identity,
    )
}
