//! The desk's pages (GET) and the login: the queue with its counts and filters (in the URL, so a
//! view can be bookmarked), one case with its page images, fields, crops and computation, the
//! notices as PDF, and the audit log (admins only — the Desk says who may read it).
//!
//! Handlers only gather and show; the Desk decides who may do what.

use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::session::{cookie, set_cookie, token, Current, Flash, LOGIN_COOKIE, SESSION_COOKIE};
use super::views::{self, *};
use crate::review::{QueueState, ReviewError, Role};

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// A refusal or failure of the Desk as a page: a refusal is the person's to mend (422), anything
/// else is ours (500, logged without personal data).
pub fn desk_error(e: &ReviewError) -> Response {
    if e.is_refusal() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            views::error_page(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
        )
            .into_response();
    }
    tracing::error!(error = %e, "serve: desk failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        views::error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "処理できませんでした。時間をおいてやり直し、続くときは管理者に連絡してください。",
        ),
    )
        .into_response()
}

/// The login form. Its token is kept while its cookie lives: a second GET (a browser fetching
/// `/favicon.ico` is sent here too) must not void a form already on the screen.
fn login_page(
    status: StatusCode,
    headers: &HeaderMap,
    user: &str,
    message: Option<String>,
    secure: bool,
) -> Response {
    let kept = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| cookie(c, LOGIN_COOKIE))
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string);
    let csrf = kept.unwrap_or_else(token);
    let page = LoginPage {
        csrf: csrf.clone(),
        user: user.to_string(),
        message,
    };
    (
        status,
        [(
            header::SET_COOKIE,
            set_cookie(
                LOGIN_COOKIE,
                &csrf,
                Some(std::time::Duration::from_secs(3600)),
                secure,
            ),
        )],
        views::html(&page),
    )
        .into_response()
}

pub async fn login_form(State(state): State<super::State>, headers: HeaderMap) -> Response {
    login_page(
        StatusCode::OK,
        &headers,
        "",
        None,
        state.cfg.serve.secure_cookie,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    user: String,
    password: String,
}

/// `POST /login` (its CSRF token was checked by the guard): the Desk checks the password and slows
/// down repeated failures.
pub async fn login(
    State(state): State<super::State>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let secure = state.cfg.serve.secure_cookie;
    let name = f.user.clone();
    match state
        .with_gate(move |desk| desk.login(&name, &f.password, now()))
        .await
    {
        Ok(actor) => {
            tracing::info!(user = actor.id(), "serve: logged in");
            let token = state.sessions.open(actor);
            (
                StatusCode::SEE_OTHER,
                [
                    (header::LOCATION, "/".to_string()),
                    (
                        header::SET_COOKIE,
                        set_cookie(
                            SESSION_COOKIE,
                            &token,
                            Some(state.sessions.lifetime()),
                            secure,
                        ),
                    ),
                ],
            )
                .into_response()
        }
        Err(e) if e.is_refusal() => {
            let user = if crate::review::auth::valid_user_name(&f.user) {
                f.user.as_str()
            } else {
                ""
            };
            login_page(
                StatusCode::UNAUTHORIZED,
                &headers,
                user,
                Some(e.to_string()),
                secure,
            )
        }
        Err(e) => desk_error(&e),
    }
}

pub async fn logout(State(state): State<super::State>, headers: HeaderMap) -> Response {
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(t) = cookie(cookies, SESSION_COOKIE) {
        state.sessions.close(t);
    }
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/login".to_string()),
            (
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, "", None, state.cfg.serve.secure_cookie),
            ),
        ],
    )
        .into_response()
}

/// The queue's filters, as the URL carries them.
#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    state: String,
    #[serde(default)]
    benefit: String,
}

fn state_id(s: QueueState) -> &'static str {
    match s {
        QueueState::NeedsReview => "needs_review",
        QueueState::SentBack => "sent_back",
        QueueState::Incomplete => "incomplete",
        QueueState::PayDraft => "pay_draft",
        QueueState::DenyDraft => "deny_draft",
        QueueState::Submitted => "submitted",
        QueueState::Approved => "approved",
    }
}

fn href(state: &str, benefit: &str) -> String {
    let q: Vec<String> = [("state", state), ("benefit", benefit)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if q.is_empty() {
        "/cases".to_string()
    } else {
        format!("/cases?{}", q.join("&"))
    }
}

pub async fn queue(
    State(state): State<super::State>,
    Extension(current): Extension<Current>,
    Query(filter): Query<Filter>,
) -> Response {
    let q = match state.with_desk(|desk| desk.list()).await {
        Ok(q) => q,
        Err(e) => return desk_error(&e),
    };
    let benefit_ids: BTreeSet<String> = q.cases.iter().map(|c| c.benefit.clone()).collect();
    let of_benefit: Vec<_> = q
        .cases
        .iter()
        .filter(|c| filter.benefit.is_empty() || c.benefit == filter.benefit)
        .collect();
    let counts = QueueState::ALL
        .iter()
        .map(|s| Count {
            label: s.label_ja().to_string(),
            count: of_benefit.iter().filter(|c| c.state == *s).count(),
            href: href(state_id(*s), &filter.benefit),
            current: filter.state == state_id(*s),
        })
        .collect();
    let rows: Vec<QueueRow> = of_benefit
        .iter()
        .filter(|c| filter.state.is_empty() || state_id(c.state) == filter.state)
        .map(|c| QueueRow {
            case_id: c.case_id.clone(),
            state_ja: c.state_ja,
            state_class: state_id(c.state),
            benefit_ja: benefit_ja(&c.benefit),
            amount: yen(c.amount_yen),
            applied_on: c.applied_on.map(|d| d.to_string()).unwrap_or_default(),
            document_number: c.document_number.clone().unwrap_or_default(),
        })
        .collect();
    let page = QueuePage {
        nav: Nav::of(&current.actor, &current.csrf),
        counts,
        all_href: href("", &filter.benefit),
        total: of_benefit.len(),
        rows,
        benefits: benefit_ids
            .into_iter()
            .map(|b| {
                let sel = b == filter.benefit;
                (b.clone(), benefit_ja(&b), sel)
            })
            .collect(),
        state: filter.state.clone(),
        flash: current.flash.map(|f| f.message),
    };
    views::html(&page).into_response()
}

pub async fn case(
    State(state): State<super::State>,
    Extension(current): Extension<Current>,
    Path(id): Path<String>,
) -> Response {
    case_page(&state, current, &id, None).await
}

/// The case page, with a refusal to show (422) or the session's flash message (200).
pub async fn case_page(
    state: &super::State,
    current: Current,
    id: &str,
    error: Option<String>,
) -> Response {
    let case_id = id.to_string();
    let got = state
        .with_desk(move |desk| Ok((desk.show(&case_id)?, desk.list()?)))
        .await;
    let (view, queue) = match got {
        Ok(v) => v,
        Err(e) => return desk_error(&e),
    };
    let s = state.clone();
    let focus = current.flash.as_ref().and_then(|f| f.focus);
    let page = tokio::task::spawn_blocking(move || {
        super::actions::build_case(&s, &current, &view, &queue, focus)
    })
    .await;
    let Ok(mut page) = page else {
        return desk_error(&ReviewError::Corrupt("画面を作れません".into()));
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.error = error;
    (status, views::html(&page)).into_response()
}

async fn pdf(state: &super::State, id: &str, rel: &str) -> Response {
    // The case id must be one the Desk knows: no path is built from what was not checked.
    let case_id = id.to_string();
    if let Err(e) = state.with_desk(move |desk| desk.show(&case_id)).await {
        return desk_error(&e);
    }
    match std::fs::read(state.cfg.outbox.join(id).join(rel)) {
        Ok(bytes) => ([(header::CONTENT_TYPE, "application/pdf")], bytes).into_response(),
        Err(_) => (
            StatusCode::NOT_FOUND,
            views::error_page(StatusCode::NOT_FOUND, "通知書のファイルがありません。"),
        )
            .into_response(),
    }
}

pub async fn notice(State(state): State<super::State>, Path(id): Path<String>) -> Response {
    pdf(&state, &id, "notice.pdf").await
}

pub async fn final_notice(State(state): State<super::State>, Path(id): Path<String>) -> Response {
    pdf(&state, &id, "final/notice.pdf").await
}

/// `GET /audit`: the audit log with its chain checked — for admins (the Desk refuses others).
pub async fn audit(
    State(state): State<super::State>,
    Extension(current): Extension<Current>,
) -> Response {
    let actor = current.actor.clone();
    let got = state.with_desk(move |desk| desk.audit_log(&actor)).await;
    let log = match got {
        Ok(l) => l,
        Err(e) if e.is_refusal() => {
            return (
                StatusCode::FORBIDDEN,
                views::error_page(StatusCode::FORBIDDEN, &e.to_string()),
            )
                .into_response()
        }
        Err(e) => return desk_error(&e),
    };
    let page = AuditPage {
        nav: Nav::of(&current.actor, &current.csrf),
        verified: log.verified.line_ja(),
        broken: log.verified.broken.is_some(),
        entries: log
            .entries
            .into_iter()
            .rev()
            .map(|(e, user)| AuditLine {
                id: e.id,
                at: e.at,
                user: user.unwrap_or_else(|| "—".into()),
                action: e.action,
                case_id: e.case_id.unwrap_or_default(),
                detail: e.detail,
            })
            .collect(),
    };
    views::html(&page).into_response()
}

pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        views::error_page(StatusCode::NOT_FOUND, "そのページはありません。"),
    )
        .into_response()
}

/// Whether `role` may see the correction forms (the Desk refuses an admin's correction anyway).
pub fn corrects(role: Role) -> bool {
    role != Role::Admin
}

/// A flash message for the next page.
pub fn flash(state: &super::State, current: &Current, message: String, focus: Option<usize>) {
    state
        .sessions
        .flash(&current.token, Flash { message, focus });
}
