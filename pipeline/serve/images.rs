//! Page images for the case page: the original file, found in the state folder's archive by its
//! SHA-256 (as `run` archived it), decoded with the same limits as the pipeline and sent as PNG.
//! The boxes of the fields are in the decoded image's pixels, so the page is shown in an SVG whose
//! view box is the decoded size (the PNG itself may be smaller, to stay light).
//!
//! What it does not do: touch the original (read only), or read anything a case does not name.
//! Called by [`super::pages::case`] (sizes) and the `/cases/{id}/docs/{doc}/pages/{page}` route.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::decode::{self, PageContent};

/// The longest side of a page image as sent, in pixels (enough to read a crop on a screen).
const MAX_SIDE: u32 = 1600;
/// Pages kept in memory (decoding a scan is the slow part; a reviewer looks at a case's pages
/// several times in a row).
const CACHED_PAGES: usize = 64;

/// One page, ready to send.
pub struct PageImage {
    pub png: Vec<u8>,
    /// The decoded page's size: the space the boxes are given in.
    pub width: u32,
    pub height: u32,
}

/// (file SHA-256, page number) → the page, `None` for a page without an image.
type Pages = HashMap<(String, u32), Option<Arc<PageImage>>>;

/// Decoded pages, kept for the next look.
#[derive(Default)]
pub struct PageCache {
    map: Mutex<Pages>,
    /// One decode at a time: twenty reviewers opening the same new case decode its scans once,
    /// not twenty times at once (each decoded A4 scan is tens of MB).
    decoding: Mutex<()>,
}

impl PageCache {
    /// Page `page` (1-based) of the archived file `sha256`, decoded once.
    pub fn get(
        &self,
        state_dir: &std::path::Path,
        limits: &decode::Limits,
        sha256: &str,
        page: u32,
    ) -> Option<Arc<PageImage>> {
        let key = (sha256.to_string(), page);
        if let Some(hit) = self.lock().get(&key) {
            return hit.clone();
        }
        let _one = self.decoding.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hit) = self.lock().get(&key) {
            return hit.clone();
        }
        let pages = decoded(state_dir, limits, sha256);
        let mut map = self.lock();
        if map.len() + pages.len() > CACHED_PAGES {
            map.clear();
        }
        for (n, img) in pages {
            map.insert((sha256.to_string(), n), img);
        }
        map.entry(key).or_insert(None).clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pages> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The archived original of a file: `<state>/archive/<YYYY-MM>/<sha256>.<ext>`.
fn original(state_dir: &std::path::Path, sha256: &str) -> Option<PathBuf> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let months = std::fs::read_dir(state_dir.join("archive")).ok()?;
    months.flatten().find_map(|m| {
        std::fs::read_dir(m.path()).ok()?.flatten().find_map(|f| {
            let p = f.path();
            (p.file_stem().and_then(|s| s.to_str()) == Some(sha256)).then_some(p)
        })
    })
}

/// Every page of the file, as PNG (pages without an image are `None`).
fn decoded(
    state_dir: &std::path::Path,
    limits: &decode::Limits,
    sha256: &str,
) -> Vec<(u32, Option<Arc<PageImage>>)> {
    let Some(path) = original(state_dir, sha256) else {
        tracing::warn!(file_sha256 = sha256, "serve: original not in the archive");
        return Vec::new();
    };
    let Ok(bytes) = std::fs::read(&path) else {
        return Vec::new();
    };
    let pages = match decode::decode(&bytes, limits) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(file_sha256 = sha256, error = %e, "serve: original does not decode");
            return Vec::new();
        }
    };
    pages
        .into_iter()
        .map(|p| {
            let img = match p.content {
                PageContent::Image(img) => png(&img).map(Arc::new),
                PageContent::Text(_) => None,
            };
            (p.number, img)
        })
        .collect()
}

fn png(img: &image::DynamicImage) -> Option<PageImage> {
    let (width, height) = (img.width(), img.height());
    let shown = if width.max(height) > MAX_SIDE {
        img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        img.clone()
    };
    let mut out = std::io::Cursor::new(Vec::new());
    shown.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some(PageImage {
        png: out.into_inner(),
        width,
        height,
    })
}

/// `GET /cases/{id}/docs/{doc}/pages/{page}`: a page of one of the case's documents.
pub async fn page_png(
    State(state): State<super::State>,
    Path((case_id, doc, page)): Path<(String, usize, u32)>,
) -> Response {
    let id = case_id.clone();
    let sha = state
        .with_desk(move |desk| desk.show(&id))
        .await
        .ok()
        .and_then(|v| {
            v.documents
                .get(doc)
                .map(|d| (d.sha256.clone(), d.doc.pages.clone()))
        });
    let Some((sha, pages)) = sha else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !pages.contains(&page) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let s = state.clone();
    let img =
        tokio::task::spawn_blocking(move || s.pages.get(&s.cfg.state, &s.cfg.limits, &sha, page))
            .await
            .ok()
            .flatten();
    match img {
        Some(img) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "private, max-age=600"),
            ],
            img.png.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
