//! ocr (recognize): a page image → words with boxes and confidences, through Tesseract's C API.
//!
//! - [`prepare`]: grayscale and deskew (±5°) a decoded page; keeps a colour copy for seals and marks.
//! - [`even_light`]: divides the paper's uneven light out of a phone photo, so one global level reads it.
//! - [`Engine`]: one loaded Tesseract (`jpn` by default), reused for every page it is given.
//! - [`Pool`]: N engines on N threads behind a job queue, so `run` can OCR several documents' pages at
//!   once on a multi-core machine.
//! - [`Models`]: where the models are, and the check that they are the ones pinned in
//!   `ocr-models/manifest.toml`; [`PaddleModels`] the same for PP-OCRv6 and ONNX Runtime.
//! - [`paddle`]: PP-OCRv6 (PaddleOCR's detector and recognizer) through ONNX Runtime, giving the same
//!   [`Recognized`] words, and lines with per-character scores, optionally read within a script.
//!
//! Words come out in the coordinates of the image given to [`Engine::recognize`] (the prepared,
//! deskewed page). Reading words into fields, normalising Japanese text and deciding what is
//! trustworthy is `extract`'s job, not this module's: Tesseract's confidence is passed on as it is.
//!
//! Called by `run` (decode → prepare → recognize → extract). Measurements behind the choices here
//! are in NOTES-OCR.md and in the `measure_against_cli` test.

mod engine;
mod fax;
mod light;
mod memory;
mod models;
pub mod paddle;
mod pool;
mod prepare;
pub mod tally;

pub use engine::{openmp_limited_at_start, reexec_with_openmp_limit, Engine, PageSegMode};
pub use fax::smoothed_for_reading;
pub use light::even_light;
pub use memory::share_one_heap;
pub use models::{ModelEntry, Models, OnnxEntry, PaddleModels, DEFAULT_LANG, SYSTEM_TESSDATA};
pub use pool::Pool;
pub use prepare::{prepare, prepare_keeping_color, Prepared};

use std::path::PathBuf;

use crate::document::BBox;

/// One word as Tesseract read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    /// Tesseract's word confidence, 0–100. Around 80 even on badly read pages (NOTES-OCR): a hint,
    /// never a verdict.
    pub confidence: f32,
    /// In pixels of the recognised image, origin top-left.
    pub bbox: BBox,
    /// Tesseract's block, paragraph and line numbers (1-based, page order); words with the same
    /// three numbers are on one line as Tesseract segmented it.
    pub block: u32,
    pub par: u32,
    pub line: u32,
}

/// Everything read from one page image.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognized {
    /// In Tesseract's reading order.
    pub words: Vec<Word>,
    /// Size of the recognised image, for relating boxes to the page.
    pub width: u32,
    pub height: u32,
}

impl Recognized {
    /// The words of each line joined by a space, one entry per line, in reading order (for logs of
    /// non-personal text, tests and simple matching; `extract` works from the words and boxes).
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut current = None;
        for word in &self.words {
            let key = (word.block, word.par, word.line);
            match lines.last_mut() {
                Some(line) if current == Some(key) => {
                    line.push(' ');
                    line.push_str(&word.text);
                }
                _ => lines.push(word.text.clone()),
            }
            current = Some(key);
        }
        lines
    }
}

/// Why OCR could not run. Model problems are for the operator, so they are in Japanese and say what
/// to do.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("OCR モデル {file} が見つかりません({path})。`bash scripts/setup.sh` を実行して {package} を入れてください", path = path.display())]
    ModelMissing {
        file: String,
        path: PathBuf,
        package: String,
    },
    #[error("OCR モデル {file}({path})が登録されたものと異なります(期待 sha256 {expected}、実際 {actual})。モデルを入れ直すか、ocr-models/README.md の手順で manifest を更新してください", path = path.display())]
    ModelMismatch {
        file: String,
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("OCR モデル {path} を読めません: {source}", path = path.display())]
    ModelUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("OCR モデル「{model}」は ocr-models/manifest.toml に登録されていません")]
    UnknownModel { model: String },
    #[error("ocr-models/manifest.toml is invalid: {0}")]
    Manifest(String),
    #[error("ONNX Runtime({path})を読み込めません: {reason}。`bash scripts/setup.sh` を実行してください", path = path.display())]
    OnnxRuntime { path: PathBuf, reason: String },
    #[error("PP-OCRv6 (ONNX Runtime) failed: {0}")]
    Onnx(String),
    #[error("Tesseract could not load {lang} from {dir}", dir = dir.display())]
    Init { lang: String, dir: PathBuf },
    #[error("Tesseract failed: {0}")]
    Tesseract(String),
    #[error("image of {width}x{height} px cannot be recognised")]
    BadImage { width: u32, height: u32 },
    #[error("an OCR worker thread stopped")]
    WorkerLost,
    #[error("ページの読み取り中に kyufu の内部エラーが起きました（不具合です。担当者が原本で確認してください）")]
    PageFailed,
}

impl From<tesseract_rs::TesseractError> for OcrError {
    fn from(e: tesseract_rs::TesseractError) -> OcrError {
        OcrError::Tesseract(e.to_string())
    }
}

#[cfg(test)]
pub(crate) mod testpage;

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn median(mut v: Vec<Duration>) -> f64 {
        v.sort();
        v[v.len() / 2].as_secs_f64()
    }

    fn cli(path: &std::path::Path, psm: &str, extra: &[&str]) -> (Duration, String) {
        let start = Instant::now();
        let out = std::process::Command::new("tesseract")
            .arg(path)
            .arg("-")
            .args(["-l", "jpn", "--psm", psm])
            .args(extra)
            .env("OMP_THREAD_LIMIT", "1")
            .output()
            .expect("tesseract CLI installed");
        (
            start.elapsed(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    }

    fn otsu(gray: &image::GrayImage) -> image::GrayImage {
        let level = imageproc::contrast::otsu_level(gray);
        imageproc::contrast::threshold(gray, level, imageproc::contrast::ThresholdType::Binary)
    }

    /// Our per-page cost (prepare + recognize, model loaded once) against the `tesseract` CLI (which
    /// loads the model every time, as a per-file call would), and character accuracy where the text
    /// is known. Variants: psm 3/6; Tesseract's Otsu (0) or Sauvola (2); our Otsu first; a user word
    /// list. Prints figures; run with
    /// `OMP_THREAD_LIMIT=1 cargo test --lib measure_against_cli -- --ignored --nocapture`.
    #[test]
    #[ignore = "measurement, about a minute"]
    fn measure_against_cli() {
        eprintln!(
            "OMP_THREAD_LIMIT at process start: {:?}",
            openmp_limited_at_start()
        );
        let dir = std::env::temp_dir().join(format!("kyufu-ocr-measure-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let receipt = testpage::render_receipt();
        let expected = testpage::RECEIPT.join("\n");
        let skewed = imageproc::geometric_transformations::rotate_about_center(
            &receipt,
            2f32.to_radians(),
            imageproc::geometric_transformations::Interpolation::Bilinear,
            imageproc::geometric_transformations::Border::Constant(image::Luma([255])),
        );
        let real = image::open("/work/shared/real-samples/till-receipt-crop.jpg").expect("sample");
        let pages: Vec<(&str, image::DynamicImage, bool)> = vec![
            ("rendered", image::DynamicImage::ImageLuma8(receipt), true),
            (
                "rendered+2deg",
                image::DynamicImage::ImageLuma8(skewed),
                true,
            ),
            ("till-receipt-crop", real, false),
        ];
        let accuracy = |known: bool, text: &str| {
            if known {
                format!("{:.3}", testpage::char_accuracy(&expected, text))
            } else {
                "n/a".to_string()
            }
        };
        let models = Models::locate(None).expect("models");
        let mut engine = Engine::new(&models, "jpn").expect("engine");
        for (name, page, known) in &pages {
            let path = dir.join(format!("{name}.png"));
            page.save(&path).expect("save");
            for psm in ["3", "6"] {
                let runs: Vec<(Duration, String)> = (0..3).map(|_| cli(&path, psm, &[])).collect();
                let acc = accuracy(*known, &runs[0].1);
                let t = median(runs.into_iter().map(|r| r.0).collect());
                eprintln!("{name:18} psm {psm} CLI              {t:.3} s/page, accuracy {acc}");
                let words = ["--user-words", "ocr-models/jpn.user-words"];
                let (_, text) = cli(&path, psm, &words);
                let acc = accuracy(*known, &text);
                eprintln!("{name:18} psm {psm} CLI + user words              accuracy {acc}");
                let mode = if psm == "3" {
                    PageSegMode::Auto
                } else {
                    PageSegMode::SingleBlock
                };
                engine.set_page_seg_mode(mode).expect("psm");
                for (variant, our_otsu, method) in [
                    ("tess-otsu", false, "0"),
                    ("our-otsu", true, "0"),
                    ("tess-sauvola", false, "2"),
                ] {
                    engine
                        .set_variable("thresholding_method", method)
                        .expect("var");
                    let mut times = Vec::new();
                    let mut text = String::new();
                    for _ in 0..3 {
                        let page = page.clone();
                        let start = Instant::now();
                        let prepared = prepare(page);
                        let img = if our_otsu {
                            otsu(&prepared.gray)
                        } else {
                            prepared.gray
                        };
                        let r = engine.recognize(&img).expect("recognize");
                        times.push(start.elapsed());
                        text = r.lines().join("\n");
                    }
                    let acc = accuracy(*known, &text);
                    let t = median(times);
                    eprintln!(
                        "{name:18} psm {psm} Engine {variant:12} {t:.3} s/page, accuracy {acc}"
                    );
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);

        // Throughput: the same page 6 times, one engine vs a pool of two.
        let page = prepare(pages[0].1.clone()).gray;
        let mut engine = Engine::new(&models, "jpn").expect("engine");
        let start = Instant::now();
        for _ in 0..6 {
            engine.recognize(&page).expect("recognize");
        }
        let one = start.elapsed().as_secs_f64() / 6.0;
        let pool = Pool::new(&models, "jpn", 2).expect("pool");
        let start = Instant::now();
        let results = pool.recognize_all(vec![page; 6]);
        let two = start.elapsed().as_secs_f64() / 6.0;
        assert!(results.iter().all(Result::is_ok));
        eprintln!("throughput: 1 engine {one:.3} s/page, pool of 2 {two:.3} s/page");
    }
}
