//! What a reviewer does on a case page — correct a value, 起案, 決裁, 差戻し — each one call of the
//! Desk with the logged-in user, then back to the case page (Post/Redirect/Get) with the outcome
//! before → after, or the Desk's refusal shown on the page (422) with nothing changed. Also builds
//! the case page's rows from the Desk's [`CaseView`] ([`build_case`]).
//!
//! The CSRF token and the Origin were checked by the guard before any of these runs.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::pages::{case_page, corrects, flash};
use super::session::Current;
use super::views::*;
use crate::review::{CaseView, Queue, QueueState, Role};

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

#[derive(Deserialize)]
pub struct CorrectForm {
    target: String,
    value: String,
    reason: String,
    /// The row on the page, to put the cursor on the next one.
    #[serde(default)]
    n: Option<usize>,
    /// `next`: go on to the next case after saving (Ctrl+Enter).
    #[serde(default)]
    then: String,
}

pub async fn correct(
    State(state): State<super::State>,
    Extension(current): Extension<Current>,
    Path(id): Path<String>,
    Form(f): Form<CorrectForm>,
) -> Response {
    let (actor, case_id, target) = (current.actor.clone(), id.clone(), f.target.clone());
    let done = state
        .with_desk(move |desk| {
            let c = desk.correct(&actor, &case_id, &f.target, &f.value, &f.reason, now())?;
            let next = desk
                .list()
                .ok()
                .and_then(|q| next_case(&q, &case_id, actor.role()));
            Ok((c, next))
        })
        .await;
    match done {
        Ok((c, next)) => {
            tracing::info!(user = current.actor.id(), case = %id, correction = c.correction, "serve: corrected");
            let msg = format!(
                "{} を訂正しました: {} → {}",
                c.target,
                c.before.line_ja(),
                c.after.line_ja()
            );
            flash(&state, &current, msg, f.n.map(|n| n + 1));
            match next.filter(|_| f.then == "next") {
                Some(n) => Redirect::to(&format!("/cases/{n}")).into_response(),
                None => Redirect::to(&format!("/cases/{id}")).into_response(),
            }
        }
        Err(e) if e.is_refusal() => {
            tracing::info!(user = current.actor.id(), case = %id, target = %target, "serve: correction refused");
            case_page(&state, current, &id, Some(e.to_string())).await
        }
        Err(e) => super::pages::desk_error(&e),
    }
}

pub async fn submit(
    State(state): State<super::State>,
    Extension(current): Extension<Current>,
    Path(id): Path<String>,
) -> Response {
    let (actor, case_id) = (current.actor.clone(), id.clone());
    match state
        .with_desk(move |desk| desk.submit(&actor, &case_id, now()))
        .await
    {
        Ok(()) => {
            tracing::info!(user = current.actor.id(), case = %id, "serve: submitted");
            flash(
                &state,
                &current,
                format!("{id} を起案しました（決裁待ち）。"),
                None,
            );
            Redirect::to(&format!("/cases/{id}")).into_response()
        }
        Err(e) if e.is_refusal() => case_page(&state, current, &id, Some(e.to_string())).await,
        Err(e) => super::pages::desk_error(&e),
    }
}

pub async fn approve(
    State(state): State<super::State>,
    Extension(current): Extension<Current>,
    Path(id): Path<String>,
) -> Response {
    let (actor, case_id) = (current.actor.clone(), id.clone());
    match state
        .with_desk(move |desk| desk.approve(&actor, &case_id, now()))
        .await
    {
        Ok(a) => {
            tracing::info!(user = current.actor.id(), case = %id, "serve: approved");
            let figures = crate::review::Figures {
                outcome: a.outcome,
                amount_yen: a.amount_yen,
            };
            let msg = format!(
                "決裁しました: {} 決定日 {} {}",
                a.document_number,
                crate::render::format_wareki(a.decided_on),
                figures.line_ja()
            );
            flash(&state, &current, msg, None);
            Redirect::to(&format!("/cases/{id}")).into_response()
        }
        Err(e) if e.is_refusal() => {
            tracing::info!(user = current.actor.id(), case = %id, "serve: approval refused");
            case_page(&state, current, &id, Some(e.to_string())).await
        }
        Err(e) => super::pages::desk_error(&e),
    }
}

#[derive(Deserialize)]
pub struct SendBackForm {
    comment: String,
}

pub async fn send_back(
    State(state): State<super::State>,
    Extension(current): Extension<Current>,
    Path(id): Path<String>,
    Form(f): Form<SendBackForm>,
) -> Response {
    let (actor, case_id) = (current.actor.clone(), id.clone());
    match state
        .with_desk(move |desk| desk.send_back(&actor, &case_id, &f.comment, now()))
        .await
    {
        Ok(()) => {
            tracing::info!(user = current.actor.id(), case = %id, "serve: sent back");
            flash(&state, &current, format!("{id} を差し戻しました。"), None);
            Redirect::to(&format!("/cases/{id}")).into_response()
        }
        Err(e) if e.is_refusal() => case_page(&state, current, &id, Some(e.to_string())).await,
        Err(e) => super::pages::desk_error(&e),
    }
}

/// Cases waiting for a 決裁 and cases waiting for staff are two piles: "next" stays in the pile
/// the user works on — staff on theirs (also right after submitting a case), an approver on the
/// 決裁待ち pile while on a case in it.
fn pile(s: QueueState) -> u8 {
    match s {
        QueueState::Submitted => 1,
        QueueState::Approved => 2,
        _ => 0,
    }
}

/// The case after `case_id` in the queue's order, in the user's pile (wrapping round).
pub fn next_case(q: &Queue, case_id: &str, role: Role) -> Option<String> {
    let at = q.cases.iter().position(|c| c.case_id == case_id)?;
    let here = pile(q.cases[at].state);
    let p = match role {
        Role::Approver if here == 1 => 1,
        Role::Admin => here,
        _ => 0,
    };
    q.cases[at + 1..]
        .iter()
        .chain(q.cases[..at].iter())
        .find(|c| pile(c.state) == p)
        .map(|c| c.case_id.clone())
}

/// The case page's rows: for each document its pages with the box of every field drawn, and each
/// field with its crop, its certainty, the reasons it feeds and a form to correct it.
pub fn build_case(
    state: &super::State,
    current: &Current,
    v: &CaseView,
    q: &Queue,
    focus: Option<usize>,
) -> CasePage {
    let role = current.actor.role();
    let d = &v.decision;
    let corrected: BTreeSet<&str> = v.corrections.iter().map(|c| c.target.as_str()).collect();
    let reasons: Vec<(String, String)> = d["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["code"].as_str().unwrap_or_default().to_string(),
                r["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut n = 0;
    let mut docs = Vec::new();
    for (di, doc) in v.documents.iter().enumerate() {
        let same_file = v.documents.iter().filter(|o| o.file == doc.file).count();
        let prefix = if same_file > 1 {
            let k = v.documents[..=di]
                .iter()
                .filter(|o| o.file == doc.file)
                .count();
            format!("{}@{k}", doc.file)
        } else {
            doc.file.clone()
        };
        let image = |page: u32| {
            state
                .pages
                .get(&state.cfg.state, &state.cfg.limits, &doc.sha256, page)
                .map(|img| (format!("/cases/{}/docs/{di}/pages/{page}", v.case_id), img))
        };
        let first_page = doc.doc.pages.first().copied().unwrap_or(1);
        // (row, page, box) for every value read.
        let mut rows: Vec<(FieldRow, u32, Option<crate::document::BBox>)> = Vec::new();
        let feeds = |key: &str| -> Vec<String> {
            reasons
                .iter()
                .filter(|(code, _)| code.contains(key))
                .map(|(_, m)| m.clone())
                .collect()
        };
        for (name, f) in &doc.doc.fields {
            let target = format!("{prefix}#{name}");
            let unsure =
                !doc.is_sure(name) || !f.certainty.relied_on(f.confidence, state.cfg.review_below);
            rows.push((
                FieldRow {
                    n: 0,
                    corrected: corrected.contains(target.as_str()),
                    target,
                    label: field_label(name),
                    value: value_text(&f.value),
                    certainty_ja: certainty_ja(f.certainty, f.confidence),
                    unsure,
                    crop: None,
                    autofocus: false,
                    feeds: feeds(name),
                },
                f.page.unwrap_or(first_page),
                f.bbox,
            ));
        }
        // A value printed on the document but not read: a row to type it in from the scan.
        let unread = doc
            .doc
            .findings
            .iter()
            .filter_map(|f| f.code.strip_prefix("unread:"))
            .filter(|name| !doc.doc.fields.contains_key(*name) && !name.starts_with("items"));
        for name in unread {
            rows.push((
                FieldRow {
                    n: 0,
                    corrected: false,
                    target: format!("{prefix}#{name}"),
                    label: field_label(name),
                    value: String::new(),
                    certainty_ja: "読み取れず（原本で確認してください）".to_string(),
                    unsure: true,
                    crop: None,
                    autofocus: false,
                    feeds: feeds(name),
                },
                first_page,
                None,
            ));
        }
        for (i, item) in doc.doc.items.iter().enumerate() {
            let unsure = !doc.is_sure("items") && !item.relied_on(state.cfg.review_below);
            for (part, label, value) in [
                ("amount", "金額", item.amount.to_string()),
                ("category", "費目", item.category.id().to_string()),
            ] {
                let target = format!("{prefix}#items[{i}].{part}");
                let label = format!(
                    "内訳{}「{}」{label}{}",
                    i + 1,
                    item.label,
                    if part == "category" {
                        format!("（{}）", category_ja(&value))
                    } else {
                        String::new()
                    }
                );
                rows.push((
                    FieldRow {
                        n: 0,
                        corrected: corrected.contains(target.as_str()),
                        target,
                        label,
                        value,
                        certainty_ja: certainty_ja(item.certainty, item.confidence),
                        unsure,
                        crop: None,
                        autofocus: false,
                        feeds: feeds("item"),
                    },
                    first_page,
                    item.bbox,
                ));
            }
        }
        let mut pages: Vec<PageView> = Vec::new();
        let mut no_image = doc.doc.pages.is_empty();
        for &p in &doc.doc.pages {
            match image(p) {
                Some((url, img)) => pages.push(PageView {
                    url,
                    number: p,
                    w: img.width,
                    h: img.height,
                    marks: Vec::new(),
                }),
                None => no_image = true,
            }
        }
        let mut fields = Vec::new();
        for (mut row, page, bbox) in rows {
            row.n = n;
            n += 1;
            if let (Some(b), Some(pv)) = (bbox, pages.iter_mut().find(|pv| pv.number == page)) {
                let class = if row.corrected {
                    "corrected"
                } else if row.unsure {
                    "unsure"
                } else {
                    "sure"
                };
                pv.marks.push(Mark {
                    n: row.n,
                    rect: Rect {
                        x: b.x,
                        y: b.y,
                        w: b.w,
                        h: b.h,
                    },
                    class,
                });
                let pad = (b.h / 2).max(12);
                let x = b.x.saturating_sub(pad);
                let y = b.y.saturating_sub(pad);
                row.crop = Some(Crop {
                    url: pv.url.clone(),
                    view: Rect {
                        x,
                        y,
                        w: (b.w + 2 * pad).min(pv.w.saturating_sub(x)).max(1),
                        h: (b.h + 2 * pad).min(pv.h.saturating_sub(y)).max(1),
                    },
                    w: pv.w,
                    h: pv.h,
                });
            }
            fields.push(row);
        }
        docs.push(DocView {
            file: doc.file.clone(),
            kind_ja: doc.doc.kind.label_ja(),
            pages,
            no_image,
            fields,
            findings: doc.doc.findings.iter().map(|f| f.message.clone()).collect(),
        });
    }
    let can_correct = corrects(role) && v.state != QueueState::Submitted;
    // After a row is confirmed, the cursor goes to the next doubtful row (else the first one
    // left); with none left, to the row after the one confirmed.
    let unsure: Vec<usize> = docs
        .iter()
        .flat_map(|d| &d.fields)
        .filter(|f| f.unsure)
        .map(|f| f.n)
        .collect();
    let after = focus.unwrap_or(0);
    let focus = unsure
        .iter()
        .find(|u| **u >= after)
        .or(unsure.first())
        .copied()
        .or(focus.filter(|f| *f < n));
    if can_correct {
        for f in docs.iter_mut().flat_map(|d| d.fields.iter_mut()) {
            f.autofocus = Some(f.n) == focus;
        }
    }
    let outcome = serde_json::from_value::<crate::decision::Outcome>(d["outcome"].clone());
    let figures = outcome
        .map(|o| {
            crate::review::Figures {
                outcome: o,
                amount_yen: d["amount_yen"].as_i64().unwrap_or_default(),
            }
            .line_ja()
        })
        .unwrap_or_default();
    CasePage {
        nav: Nav::of(&current.actor, &current.csrf),
        case_id: v.case_id.clone(),
        state_ja: v.state_ja,
        figures,
        reasons: decision_lines(d, "reasons"),
        lines: decision_lines(d, "lines"),
        excluded: decision_lines(d, "excluded"),
        docs,
        history: history(v),
        approvals: v
            .approvals
            .iter()
            .map(|a| {
                format!(
                    "{} 決定日 {} 起案 {} 決裁 {} {}",
                    a.document_number,
                    crate::render::format_wareki(a.decided_on),
                    v.user_name(a.drafted_by),
                    v.user_name(a.approved_by),
                    yen(a.amount_yen)
                )
            })
            .collect(),
        comment: v.workflow.as_ref().and_then(|w| w.comment.clone()),
        can_submit: role != Role::Admin
            && matches!(
                v.state,
                QueueState::SentBack
                    | QueueState::Incomplete
                    | QueueState::PayDraft
                    | QueueState::DenyDraft
            ),
        can_decide: role == Role::Approver && v.state == QueueState::Submitted,
        can_correct,
        next_case: next_case(q, &v.case_id, role),
        final_notice: !v.approvals.is_empty(),
        flash: current.flash.as_ref().map(|f| f.message.clone()),
        error: None,
    }
}
