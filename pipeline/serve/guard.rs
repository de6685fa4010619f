//! The one door every request passes: deny by default. Only `/login` and `/static/` are open without
//! a session; every POST must come from a page of this server (its `Origin`, else its `Referer`,
//! names this host), stay under [`MAX_FORM_BYTES`], and carry the CSRF token of its session (of the
//! login form, before there is a session). Pages get security headers; every request gets an access
//! log line with the user's id and the path (case ids) — never a name.
//!
//! Runs as the router's outermost layer ([`super::router`]); handlers find the session in the
//! request's extensions as [`Current`].

use std::time::Instant;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::session::{cookie, same_token, Current, LOGIN_COOKIE, SESSION_COOKIE};
use super::views;

/// The largest form the desk takes, in bytes: a correction is a field, a value of at most 200
/// characters and a reason of at most 500; anything far beyond is not a person typing.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

pub async fn guard(State(state): State<super::State>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let (response, user) = admit(&state, req, next).await;
    let ms = started.elapsed().as_millis() as u64;
    tracing::info!(
        user = user.unwrap_or_default(),
        %method,
        path,
        status = response.status().as_u16(),
        ms,
        "serve: request"
    );
    with_headers(response)
}

async fn admit(state: &super::State, req: Request, next: Next) -> (Response, Option<i64>) {
    let path = req.uri().path().to_string();
    if (path.starts_with("/static/") || path == "/favicon.ico") && req.method() == Method::GET {
        return (next.run(req).await, None);
    }
    let post = req.method() == Method::POST;
    if post && !same_origin(req.headers()) {
        return (
            refuse(
                StatusCode::FORBIDDEN,
                "このページ以外から送られた操作は受け付けません。審査画面を開き直して操作してください。",
            ),
            None,
        );
    }
    let cookies = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let (req, csrf) = if post {
        match csrf_of(req).await {
            Ok(r) => r,
            Err(resp) => return (resp, None),
        }
    } else {
        (req, None)
    };
    if path == "/login" {
        if post {
            let expected = cookie(&cookies, LOGIN_COOKIE).unwrap_or_default();
            if !same_token(expected, csrf.as_deref().unwrap_or_default()) {
                return (stale_form(), None);
            }
        }
        return (next.run(req).await, None);
    }
    let current = cookie(&cookies, SESSION_COOKIE).and_then(|t| state.sessions.current(t));
    let Some(current) = current else {
        return (Redirect::to("/login").into_response(), None);
    };
    let user = Some(current.actor.id());
    if post && !same_token(&current.csrf, csrf.as_deref().unwrap_or_default()) {
        return (stale_form(), user);
    }
    let mut req = req;
    req.extensions_mut().insert::<Current>(current);
    (next.run(req).await, user)
}

/// Whether a POST names this host as where it comes from.
fn same_origin(h: &HeaderMap) -> bool {
    let Some(host) = h.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let ours = |url: &str| {
        ["http://", "https://"].iter().any(|scheme| {
            url.strip_prefix(scheme).is_some_and(|rest| {
                rest == host || rest.strip_prefix(host).is_some_and(|r| r.starts_with('/'))
            })
        })
    };
    match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => ours(origin),
        None => h
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(ours),
    }
}

/// Reads the form (at most [`MAX_FORM_BYTES`]) and finds its `csrf` field; gives the request back
/// with the same body for the handler.
async fn csrf_of(req: Request) -> Result<(Request, Option<String>), Response> {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "送信された内容が大きすぎます（上限 {} KB）。入力内容を確かめてください。何も変更していません。",
                MAX_FORM_BYTES / 1024
            ),
        ));
    };
    let csrf = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|fields| fields.into_iter().find(|(k, _)| k == "csrf"))
        .map(|(_, v)| v);
    Ok((Request::from_parts(parts, Body::from(bytes)), csrf))
}

fn stale_form() -> Response {
    refuse(
        StatusCode::FORBIDDEN,
        "フォームの確認用の符号が一致しません（画面を開いたまま時間がたったか、別の画面から送られました）。画面を開き直して、もう一度操作してください。何も変更していません。",
    )
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, views::error_page(status, message)).into_response()
}

/// Security headers: only this server's scripts, styles and images; no framing; no caching of
/// pages that show personal data.
fn with_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    let set = |h: &mut HeaderMap, k: header::HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::CACHE_CONTROL, "no-store");
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn a_post_must_name_this_host_as_its_origin() {
        let host = (header::HOST, "127.0.0.1:8080");
        assert!(same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "http://127.0.0.1:8080")
        ])));
        assert!(same_origin(&headers(&[
            host.clone(),
            (header::REFERER, "http://127.0.0.1:8080/cases/1")
        ])));
        assert!(!same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "http://127.0.0.1:8080.evil.example")
        ])));
        assert!(!same_origin(&headers(&[
            host.clone(),
            (header::REFERER, "http://127.0.0.1:80800/")
        ])));
        assert!(
            !same_origin(&headers(std::slice::from_ref(&host))),
            "neither header"
        );
        assert!(!same_origin(&headers(&[(
            header::ORIGIN,
            "http://127.0.0.1:8080"
        )])));
    }
}
