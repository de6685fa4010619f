//! Test helpers shared by the render and plans tests: the templates of `form-templates/`, and
//! what the poppler tools (`pdftotext`, `pdffonts`) read from a PDF — what a person would see.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::Templates;

/// The repository's templates, loaded once.
pub fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| {
        Templates::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("form-templates")).unwrap()
    })
}

/// Writes the PDF where the poppler tools can read it.
pub fn to_file(name: &str, pdf: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("kyufu-render-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    path
}

fn pdftotext(name: &str, pdf: &[u8]) -> String {
    let tool = "pdftotext";
    let path = to_file(name, pdf);
    // `-raw` keeps the content stream's order, so a wrapped table cell reads as one run
    // instead of interleaving with its neighbours.
    let out = Command::new(tool)
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The document's text as `pdftotext` reads it, without whitespace (wrapping and table columns
/// move line breaks, not characters), and the number of pages.
pub fn text_of(name: &str, pdf: &[u8]) -> (String, usize) {
    let text = pdftotext(name, pdf);
    let pages = text.matches('\u{c}').count();
    (text.chars().filter(|c| !c.is_whitespace()).collect(), pages)
}

pub fn assert_has(text: &str, want: &str) {
    let want: String = want.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains(&want), "「{want}」 missing from:\n{text}");
}

/// One font, embedded as a subset under the stable tag, with a Unicode map.
pub fn assert_font_embedded_as_subset(name: &str, pdf: &[u8]) {
    let path = to_file(name, pdf);
    let out = Command::new("pdffonts").arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    let listing = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "one font: {listing}");
    let cols: Vec<&str> = rows[0].split_whitespace().collect();
    assert!(
        cols[0].starts_with("KYUFUF+"),
        "stable subset tag: {listing}"
    );
    // name type… encoding emb sub uni object ID
    let n = cols.len();
    assert_eq!(
        &cols[n - 5..n - 2],
        &["yes", "yes", "yes"],
        "emb sub uni: {listing}"
    );
}
