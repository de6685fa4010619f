//! The files the desk's pages load, compiled into the binary and served by kyufu itself: no CDN, no
//! web font from outside (it runs on closed municipal networks). htmx is pinned by version and by
//! the SHA-256 of the file committed in `assets/` (from `npm pack htmx.org@2.0.11`, licence 0BSD in
//! `assets/htmx.LICENSE`); a changed file stops `kyufu serve` from starting.
//!
//! Called by the router (`/static/{file}`) and once at start ([`check_htmx`]).

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::ServeError;

/// htmx, the version the pages are written for.
pub const HTMX_VERSION: &str = "2.0.11";
/// SHA-256 of `assets/htmx.min.js` as published in the npm package `htmx.org@2.0.11`.
pub const HTMX_SHA256: &str = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717";

const HTMX: &[u8] = include_bytes!("assets/htmx.min.js");
const CSS: &[u8] = include_bytes!("assets/kyufu.css");
const JS: &[u8] = include_bytes!("assets/kyufu.js");

/// Refuses to serve an htmx that is not the pinned one.
pub fn check_htmx() -> Result<(), ServeError> {
    let found = crate::run::files::sha256_hex(HTMX);
    if found != HTMX_SHA256 {
        return Err(ServeError::Asset {
            found,
            expected: HTMX_SHA256.to_string(),
        });
    }
    Ok(())
}

pub async fn file(Path(name): Path<String>) -> Response {
    let (body, mime) = match name.as_str() {
        "htmx.min.js" => (HTMX, "text/javascript; charset=utf-8"),
        "kyufu.js" => (JS, "text/javascript; charset=utf-8"),
        "kyufu.css" => (CSS, "text/css; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_htmx_is_the_pinned_one() {
        super::check_htmx().unwrap();
    }
}
