//! kyufu.toml: where the folders are, how long a file must settle, the decode limits, the office that
//! issues notices, the OCR models. Strict (unknown keys are refused, with the key named) and
//! self-documenting: every field has a doc comment with its unit and a named default.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::decode::Limits;
use crate::render::Office;

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Folder staff and scanners drop files into.
    #[serde(default = "default_inbox")]
    pub inbox: PathBuf,
    /// Folder decisions and notices are written to (`<outbox>/<case>/`).
    #[serde(default = "default_outbox")]
    pub outbox: PathBuf,
    /// Runtime state: the journal, archived originals, `quarantine/`, `duplicates/`, `unassigned/`.
    /// Must not be inside the inbox.
    #[serde(default = "default_state")]
    pub state: PathBuf,
    /// Milliseconds a file's size and mtime must hold still before it is taken.
    #[serde(default = "default_settle_ms")]
    pub settle_ms: u64,
    /// `kyufu watch`: milliseconds between full scans of the inbox (the scan is the truth; file-system
    /// events only wake it early).
    #[serde(default = "default_scan_interval_ms")]
    pub scan_interval_ms: u64,
    /// `kyufu watch`: `auto` (file-system events as a hint, except on network shares) or `poll`
    /// (scans only; for shares whose events are missing or unreliable).
    #[serde(default)]
    pub watch_mode: crate::watch::WatchMode,
    /// Milliseconds one document may take to read (decode + OCR) before it goes to quarantine.
    #[serde(default = "default_document_timeout_ms")]
    pub document_timeout_ms: u64,
    /// OCR worker threads (one Tesseract engine each); 0 = one per core.
    #[serde(default)]
    pub workers: usize,
    /// A value read with a confidence below this (0–1) is not relied on: the case goes to a person.
    #[serde(default = "default_review_below")]
    pub review_below: f32,
    /// Folder of the output-document templates.
    #[serde(default = "default_templates")]
    pub templates: PathBuf,
    /// Limits that protect against hostile files.
    #[serde(default)]
    pub limits: Limits,
    /// The office that issues the notices.
    #[serde(default)]
    pub office: Office,
    #[serde(default)]
    pub ocr: OcrConfig,
    #[serde(default)]
    pub extract: ExtractConfig,
    /// 決裁: how approved notices are numbered.
    #[serde(default)]
    pub approval: ApprovalConfig,
    /// 総合振込: the office as the remitter its bank registered. No default: `kyufu export-payments`
    /// refuses to run without it (a made-up 依頼人コード would be sent to a bank).
    #[serde(default)]
    pub payment: Option<crate::payment::PaymentConfig>,
    /// `kyufu serve`: the desk on a web page.
    #[serde(default)]
    pub serve: ServeConfig,
}

/// `kyufu serve` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    /// Address and port to listen on. Loopback by default: put a TLS proxy in front before
    /// opening it to the office network.
    #[serde(default = "default_listen")]
    pub listen: String,
    /// Minutes a session lasts after its login (then the user logs in again).
    #[serde(default = "default_session_minutes")]
    pub session_minutes: u64,
    /// Mark the session cookie `Secure` (only sent over HTTPS): set it when a TLS proxy is in front.
    #[serde(default)]
    pub secure_cookie: bool,
}

fn default_listen() -> String {
    "127.0.0.1:8080".to_string()
}

fn default_session_minutes() -> u64 {
    480
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: default_listen(),
            session_minutes: default_session_minutes(),
            secure_cookie: false,
        }
    }
}

/// 決裁 (approval) settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalConfig {
    /// The 文書番号 an approved notice prints: `{n}` is the approval's number within its 年度
    /// (April–March; the counter starts again at 1 each April), e.g. 「さ子支第{n}号」.
    #[serde(default = "default_document_number")]
    pub document_number: String,
}

fn default_document_number() -> String {
    "さ子支第{n}号".to_string()
}

impl Default for ApprovalConfig {
    fn default() -> Self {
        ApprovalConfig {
            document_number: default_document_number(),
        }
    }
}

/// Where Tesseract's models are.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OcrConfig {
    /// The tessdata folder; default: `TESSDATA_PREFIX`, else Debian's `/usr/share/tesseract-ocr/5/tessdata`.
    pub tessdata: Option<PathBuf>,
    /// Tesseract's page segmentation mode for whole pages: 3 (full layout analysis), 4 (one
    /// column), 6 (one block) or 11 (sparse). Default 3.
    #[serde(default = "default_psm")]
    pub psm: u8,
    /// What reads each page first: `"tesseract"` (default) or `"paddle"` (PP-OCRv6 through ONNX
    /// Runtime, models in `ocr-models/`). Tesseract stays loaded for the second looks either way.
    #[serde(default)]
    pub recognizer: Recognizer,
    /// Where PP-OCRv6 and ONNX Runtime are; default `ocr-models/`.
    pub onnx_models: Option<PathBuf>,
    /// Longest side, in pixels, of the page PP-OCRv6's detector sees (a multiple of 32). Default 736.
    #[serde(default = "default_detector_max_side")]
    pub detector_max_side: u32,
}

/// The engine that reads a page first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Recognizer {
    #[default]
    Tesseract,
    Paddle,
}

fn default_detector_max_side() -> u32 {
    crate::ocr::paddle::DEFAULT_DETECTOR_MAX_SIDE
}

fn default_psm() -> u8 {
    3
}

impl Default for OcrConfig {
    fn default() -> Self {
        OcrConfig {
            tessdata: None,
            psm: default_psm(),
            recognizer: Recognizer::default(),
            onnx_models: None,
            detector_max_side: default_detector_max_side(),
        }
    }
}

impl OcrConfig {
    /// The configured page segmentation mode (an unknown number falls back to 3, full analysis).
    pub fn page_seg_mode(&self) -> crate::ocr::PageSegMode {
        use crate::ocr::PageSegMode::*;
        match self.psm {
            4 => SingleColumn,
            6 => SingleBlock,
            11 => SparseText,
            _ => Auto,
        }
    }
}

/// Extraction settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractConfig {
    /// An edited copy of the breakdown lexicon (`pipeline/extract/items.toml` is the default).
    pub item_lexicon: Option<PathBuf>,
}

fn default_inbox() -> PathBuf {
    PathBuf::from("inbox")
}
fn default_outbox() -> PathBuf {
    PathBuf::from("outbox")
}
fn default_state() -> PathBuf {
    PathBuf::from("state")
}
fn default_settle_ms() -> u64 {
    2000
}
fn default_scan_interval_ms() -> u64 {
    1000
}
fn default_document_timeout_ms() -> u64 {
    120_000
}
fn default_review_below() -> f32 {
    0.80
}
fn default_templates() -> PathBuf {
    PathBuf::from("form-templates")
}

impl Default for Config {
    fn default() -> Self {
        // An empty TOML document is the defaults, by construction.
        toml::from_str("").expect("defaults deserialize")
    }
}

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("設定ファイル {path} を読めません: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("設定ファイル {path} の書式が正しくありません: {message}")]
    Parse { path: String, message: String },
}

impl Config {
    /// Reads `path` if given, else `kyufu.toml` in the current folder if present, else the defaults.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => {
                let p = PathBuf::from("kyufu.toml");
                if !p.exists() {
                    return Ok(Config::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    /// Worker threads to run: as configured, else one per core.
    pub fn worker_count(&self) -> usize {
        if self.workers > 0 {
            return self.workers;
        }
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_refused_by_name() {
        let err = toml::from_str::<Config>("inbox = \"in\"\nsettle = 5\n").unwrap_err();
        assert!(err.to_string().contains("settle"), "{err}");
    }

    #[test]
    fn defaults_are_the_documented_folders() {
        let c = Config::default();
        assert_eq!(c.inbox, PathBuf::from("inbox"));
        assert_eq!(c.settle_ms, 2000);
    }

    #[test]
    fn the_page_recognizer_is_tesseract_unless_paddle_is_asked_for() {
        let shipped: Config =
            toml::from_str(include_str!("../kyufu.toml")).expect("kyufu.toml parses");
        assert_eq!(shipped.ocr.recognizer, Recognizer::Tesseract);
        assert_eq!(Config::default().ocr.recognizer, Recognizer::Tesseract);
        let paddle: Config =
            toml::from_str("[ocr]\nrecognizer = \"paddle\"\ndetector_max_side = 960\n")
                .expect("parses");
        assert_eq!(paddle.ocr.recognizer, Recognizer::Paddle);
        assert_eq!(paddle.ocr.detector_max_side, 960);
        let err = toml::from_str::<Config>("[ocr]\nrecognizer = \"easyocr\"\n").unwrap_err();
        assert!(err.to_string().contains("easyocr"), "{err}");
    }

    #[test]
    fn the_payment_settings_are_absent_unless_written_and_checked_by_key() {
        let shipped: Config =
            toml::from_str(include_str!("../kyufu.toml")).expect("kyufu.toml parses");
        assert!(shipped.payment.is_none(), "no made-up remitter is shipped");
        let set: Config = toml::from_str(
            "[payment]\nremitter_code = \"1234567890\"\nremitter_name_kana = \"ｻｲﾀﾏｼ\"\n\
             bank_code = \"0001\"\nbank_name_kana = \"ﾐｽﾞﾎ\"\nbranch_code = \"001\"\n\
             branch_name_kana = \"ﾎﾝﾃﾝ\"\naccount_type = \"ordinary\"\naccount_number = \"1234567\"\n",
        )
        .expect("parses");
        let p = set.payment.expect("[payment] read");
        assert_eq!(p.remitter_code, "1234567890");
        assert_eq!(p.line_ending, crate::payment::LineEnding::Crlf);
        let err = toml::from_str::<Config>("[payment]\nremitter = \"1\"\n").unwrap_err();
        assert!(err.to_string().contains("remitter"), "{err}");
    }
}
