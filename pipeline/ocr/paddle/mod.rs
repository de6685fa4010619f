//! PP-OCRv6 (PaddleOCR's text detector and line recognizer) through ONNX Runtime: a page image →
//! the same [`Recognized`] words the Tesseract engine gives, plus each line's characters with their
//! scores ([`Line`]) for callers that weigh characters one by one.
//!
//! - `det`: the page → boxes of text lines.
//! - `rec`: line images → characters with scores and positions (greedy CTC, optionally within a
//!   [`Script`]).
//! - `script`: which characters a field may contain.
//!
//! One [`Paddle`] holds one detector and one recognizer session, each on one ONNX Runtime thread:
//! like Tesseract engines, one per worker and one worker per core (NOTES-OCR). The runtime library
//! and the models come from `ocr-models/`, checked against the manifest by [`PaddleModels`] before
//! anything loads. Words are split at the spaces the recognizer reads and at blank gaps of the ink;
//! their boxes come from the characters' time steps, tightened to the ink. Not here: page
//! preparation (`prepare`), deciding what a reading is worth (`extract`).

mod det;
mod rec;
mod script;

pub use det::scaled_size;
pub use rec::{Glyph, LINE_HEIGHT};
pub use script::Script;

use std::path::Path;
use std::sync::OnceLock;

use image::GrayImage;
use ort::environment::Environment;
use ort::session::Session;

use super::{OcrError, PaddleModels, Recognized, Word};
use crate::document::BBox;
use det::Detector;
use rec::Recognizer;

/// Longest side of the page the detector sees, in pixels. NOTES-OCR: 736 read the same values as 960
/// on 24 pages and took 0.39 s instead of 0.6 s per page.
pub const DEFAULT_DETECTOR_MAX_SIDE: u32 = 736;

/// A pixel darker than this is ink (for word gaps and tight word boxes) in a line printed dark;
/// a line printed lighter has its own cut ([`ink_cut`]).
const INK_BELOW: u8 = 128;
/// Below this difference between a line's darkest ink and its paper, the line's box holds no print
/// ([`ink_cut`]): paper and noise only.
const PRINT_CONTRAST: u8 = 48;
/// Two characters are separate words when the blank columns between them are at least this share
/// of the line's ink height (a full-width space is about 1; gaps inside a word about 0.1–0.2).
const WORD_GAP_OF_HEIGHT: f32 = 0.4;

/// One line as the recognizer read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The characters joined (spaces included as read).
    pub text: String,
    /// Where the line is, in pixels of the page (the detector's box, or the whole crop).
    pub bbox: BBox,
    /// Each character with its score; `x0`/`x1` are page columns.
    pub glyphs: Vec<Glyph>,
}

impl Line {
    /// Mean character score, 0–1 (0 for an empty line).
    pub fn score(&self) -> f32 {
        if self.glyphs.is_empty() {
            return 0.0;
        }
        self.glyphs.iter().map(|g| g.score).sum::<f32>() / self.glyphs.len() as f32
    }
}

/// A loaded detector and recognizer, reused for every page.
pub struct Paddle {
    detector: Detector,
    reader: LineReader,
}

/// The recognizer alone, for crops known to hold one line: a second, independent reading of a field
/// the page was first read by another engine (an amount Tesseract read, read again by PP-OCRv6).
pub struct LineReader {
    recognizer: Recognizer,
}

impl std::fmt::Debug for LineReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LineReader").finish_non_exhaustive()
    }
}

impl LineReader {
    /// Loads the recognizer from checked models.
    pub fn new(models: &PaddleModels) -> Result<LineReader, OcrError> {
        let env = environment(&models.runtime)?;
        Ok(LineReader {
            recognizer: Recognizer::new(session(env, &models.recognizer)?)?,
        })
    }

    /// Reads the given boxes of `page` as lines within `script`, in the order given.
    pub fn read_boxes(
        &mut self,
        page: &GrayImage,
        boxes: &[BBox],
        script: Script,
    ) -> Result<Vec<Line>, OcrError> {
        let crops: Vec<GrayImage> = boxes
            .iter()
            .map(|b| image::imageops::crop_imm(page, b.x, b.y, b.w.max(1), b.h.max(1)).to_image())
            .collect();
        let read = self.recognizer.recognize(&crops, script)?;
        Ok(boxes
            .iter()
            .zip(read)
            .map(|(bbox, glyphs)| to_line(*bbox, glyphs))
            .collect())
    }

    /// Reads a crop known to hold one line (a field's zone) within `script`.
    pub fn recognize_line(&mut self, crop: &GrayImage, script: Script) -> Result<Line, OcrError> {
        check_size(crop)?;
        let (w, h) = crop.dimensions();
        let whole = BBox { x: 0, y: 0, w, h };
        let mut lines = self.read_boxes(crop, &[whole], script)?;
        Ok(lines.pop().unwrap_or_else(|| to_line(whole, Vec::new())))
    }
}

/// The detector alone: with a [`LineReader`] loaded for other work (the witness's), a page read
/// whole by PP-OCRv6 without a second recognizer in memory (`reading::fallback`).
pub struct PageDetector {
    detector: Detector,
}

impl std::fmt::Debug for PageDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageDetector").finish_non_exhaustive()
    }
}

impl PageDetector {
    /// Loads the detector from checked models; `max_side` as for [`Paddle::new`].
    pub fn new(models: &PaddleModels, max_side: u32) -> Result<PageDetector, OcrError> {
        let env = environment(&models.runtime)?;
        Ok(PageDetector {
            detector: Detector::new(session(env, &models.detector)?, max_side),
        })
    }

    /// The boxes of the text lines of a page, in reading order.
    pub fn detect(&mut self, page: &GrayImage) -> Result<Vec<BBox>, OcrError> {
        check_size(page)?;
        self.detector.detect(page)
    }
}

/// Reads the lines `boxes` of `page` found (within [`Script::Japanese`]) into words, as
/// [`Paddle::recognize`] does, with `reader`.
pub fn recognize_boxes(
    reader: &mut LineReader,
    page: &GrayImage,
    boxes: &[BBox],
) -> Result<Recognized, OcrError> {
    let lines = reader.read_boxes(page, boxes, Script::Japanese)?;
    Ok(to_recognized(page, &lines))
}

impl std::fmt::Debug for Paddle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paddle").finish_non_exhaustive()
    }
}

pub(super) fn onnx_error(e: impl std::fmt::Display) -> OcrError {
    OcrError::Onnx(e.to_string())
}

/// ONNX Runtime allows one environment per process; every [`Paddle`] shares it.
fn environment(runtime: &Path) -> Result<&'static Environment, OcrError> {
    static ENV: OnceLock<Result<Environment, String>> = OnceLock::new();
    ENV.get_or_init(|| {
        ort::init_from(runtime)
            .map_err(|e| e.to_string())?
            .with_name("kyufu")
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|reason| OcrError::OnnxRuntime {
        path: runtime.to_path_buf(),
        reason: reason.clone(),
    })
}

fn session(env: &Environment, model: &Path) -> Result<Session, OcrError> {
    Session::builder(env)
        .map_err(onnx_error)?
        // No arena: pages and lines come in many sizes, and an arena keeps its largest size for good.
        .with_execution_providers([ort::ep::CPU::default().with_arena_allocator(false).build()])
        .map_err(onnx_error)?
        .with_intra_threads(1)
        .map_err(onnx_error)?
        // Memory patterns pre-plan buffers for one input shape; every page and batch differs, and
        // with them a worker peaked 25 MB higher on 12 corpus pages at the same speed.
        .with_memory_pattern(false)
        .map_err(onnx_error)?
        .with_inter_threads(1)
        .map_err(onnx_error)?
        .commit_from_file(model)
        .map_err(onnx_error)
}

impl Paddle {
    /// Loads both networks from checked models; `detector_max_side` is rounded down to a multiple of
    /// 32 ([`DEFAULT_DETECTOR_MAX_SIDE`] unless measured otherwise).
    pub fn new(models: &PaddleModels, detector_max_side: u32) -> Result<Paddle, OcrError> {
        let env = environment(&models.runtime)?;
        let detector = Detector::new(session(env, &models.detector)?, detector_max_side);
        Ok(Paddle {
            detector,
            reader: LineReader::new(models)?,
        })
    }

    /// The boxes of the text lines of a page, in reading order.
    pub fn detect(&mut self, page: &GrayImage) -> Result<Vec<BBox>, OcrError> {
        check_size(page)?;
        self.detector.detect(page)
    }

    /// Reads the given boxes of `page` as lines within `script`, in the order given.
    pub fn read_boxes(
        &mut self,
        page: &GrayImage,
        boxes: &[BBox],
        script: Script,
    ) -> Result<Vec<Line>, OcrError> {
        self.reader.read_boxes(page, boxes, script)
    }

    /// Reads a crop known to hold one line (a field's zone) within `script`.
    pub fn recognize_line(&mut self, crop: &GrayImage, script: Script) -> Result<Line, OcrError> {
        self.reader.recognize_line(crop, script)
    }

    /// Detects and reads every line of a page (within [`Script::Japanese`]).
    pub fn read_page(&mut self, page: &GrayImage) -> Result<Vec<Line>, OcrError> {
        let boxes = self.detect(page)?;
        self.read_boxes(page, &boxes, Script::Japanese)
    }

    /// Reads a page into words, as [`super::Engine::recognize`] does: each detected line is one
    /// line (block 1, paragraph 1, line n), its words split at spaces and blank gaps.
    pub fn recognize(&mut self, page: &GrayImage) -> Result<Recognized, OcrError> {
        let lines = self.read_page(page)?;
        Ok(to_recognized(page, &lines))
    }
}

fn check_size(img: &GrayImage) -> Result<(), OcrError> {
    let (width, height) = img.dimensions();
    if width < 3 || height < 3 {
        return Err(OcrError::BadImage { width, height });
    }
    Ok(())
}

fn to_line(bbox: BBox, mut glyphs: Vec<Glyph>) -> Line {
    for g in &mut glyphs {
        g.x0 += bbox.x as f32;
        g.x1 += bbox.x as f32;
    }
    Line {
        text: glyphs.iter().map(|g| g.text.as_str()).collect(),
        bbox,
        glyphs,
    }
}

/// A word as Japanese print writes it: PP-OCRv6's characters include Chinese ones, and it gives the
/// katakana middle dot that opens a list line as the Latin one or as a bullet (「·受講料」,
/// 「•授業料」 then name no item), and 様 after a name in its traditional form 樣, which the name
/// finders do not take for the honorific (seed 7 sub015: 「吉田 愛樣」).
fn japanese_forms(text: &str) -> String {
    text.replace(['\u{B7}', '\u{2022}'], "・")
        .replace('樣', "様")
}

/// The words of each line, in the Tesseract engine's shape.
pub fn to_recognized(page: &GrayImage, lines: &[Line]) -> Recognized {
    let words = lines
        .iter()
        .enumerate()
        .flat_map(|(i, line)| {
            line_words(page, line)
                .into_iter()
                .map(move |(text, confidence, bbox)| Word {
                    text: japanese_forms(&text),
                    confidence,
                    bbox,
                    block: 1,
                    par: 1,
                    line: i as u32 + 1,
                })
        })
        .collect();
    Recognized {
        words,
        width: page.width(),
        height: page.height(),
    }
}

/// Splits a line into (text, confidence 0–100, box) words. A word ends at a space read by the
/// network or where the ink leaves a blank gap of [`WORD_GAP_OF_HEIGHT`] × the line's ink height
/// between two characters; its box runs between the cuts, tightened to the ink inside.
fn line_words(page: &GrayImage, line: &Line) -> Vec<(String, f32, BBox)> {
    let ink = Ink::of(page, line.bbox);
    let min_gap = (ink.height() as f32 * WORD_GAP_OF_HEIGHT).max(2.0);
    let mut words = Vec::new();
    let mut current: Vec<&Glyph> = Vec::new();
    let mut left = line.bbox.x;
    let mut pending_space = false;
    let glyphs: Vec<&Glyph> = line.glyphs.iter().collect();
    for (i, g) in glyphs.iter().enumerate() {
        if g.text.trim().is_empty() {
            pending_space = true;
            continue;
        }
        if let Some(prev) = current.last() {
            let (a, b) = (centre(prev), centre(g));
            let (gap_at, gap_len) = ink.widest_gap(a, b);
            if pending_space || gap_len as f32 >= min_gap {
                let cut = if gap_len > 0 {
                    gap_at
                } else {
                    ((a + b) / 2.0) as u32
                };
                words.push(word(&ink, &current, left, cut));
                current.clear();
                left = cut;
            }
        }
        pending_space = false;
        current.push(glyphs[i]);
    }
    if !current.is_empty() {
        words.push(word(&ink, &current, left, line.bbox.right()));
    }
    words
}

fn centre(g: &Glyph) -> f32 {
    (g.x0 + g.x1) / 2.0
}

fn word(ink: &Ink, glyphs: &[&Glyph], left: u32, right: u32) -> (String, f32, BBox) {
    let text = glyphs.iter().map(|g| g.text.as_str()).collect();
    let confidence = 100.0 * glyphs.iter().map(|g| g.score).sum::<f32>() / glyphs.len() as f32;
    (text, confidence, ink.tight(left, right))
}

/// The ink of one line's box: which columns and rows hold dark pixels.
struct Ink<'a> {
    page: &'a GrayImage,
    bbox: BBox,
    /// A pixel darker than this is ink.
    below: u8,
    /// Per column of the box: whether it holds ink.
    columns: Vec<bool>,
}

impl<'a> Ink<'a> {
    fn of(page: &'a GrayImage, bbox: BBox) -> Ink<'a> {
        let bbox = clamp_to(page, bbox);
        let below = ink_cut(page, bbox);
        let columns = (bbox.x..bbox.right())
            .map(|x| (bbox.y..bbox.bottom()).any(|y| page.get_pixel(x, y)[0] < below))
            .collect();
        Ink {
            page,
            bbox,
            below,
            columns,
        }
    }

    /// Rows between the first and the last row with ink.
    fn height(&self) -> u32 {
        self.rows(self.bbox.x, self.bbox.right())
            .map_or(0, |(top, bottom)| bottom - top)
    }

    /// The rows with ink between page columns `left` and `right`: those darker than the fixed cut,
    /// unless they span less than half the line's own cut's (strokes printed light, seen by the
    /// fixed cut as a few dots). The line's own cut alone would take in a faint rule or the
    /// paper's grain over a gray till print (seed 71 sub007), making the words taller than their
    /// print.
    fn rows(&self, left: u32, right: u32) -> Option<(u32, u32)> {
        let span = |below: u8| {
            let dark = |y: u32| (left..right).any(|x| self.page.get_pixel(x, y)[0] < below);
            let top = (self.bbox.y..self.bbox.bottom()).find(|&y| dark(y))?;
            let bottom = (self.bbox.y..self.bbox.bottom()).rev().find(|&y| dark(y))?;
            Some((top, bottom + 1))
        };
        let fixed = span(INK_BELOW);
        // A line as dark as most is cut at the fixed gray: its own span is the same.
        if self.below == INK_BELOW {
            return fixed;
        }
        match (fixed, span(self.below)) {
            (Some((t, b)), Some((ot, ob))) if (b - t) * 2 >= ob - ot => Some((t, b)),
            (fixed, None) => fixed,
            (_, own) => own,
        }
    }

    /// The longest run of blank columns between page columns `a` and `b`: (its middle, its length).
    fn widest_gap(&self, a: f32, b: f32) -> (u32, u32) {
        let from = (a.max(0.0) as u32).clamp(self.bbox.x, self.bbox.right());
        let to = (b.max(0.0) as u32).clamp(self.bbox.x, self.bbox.right());
        let (mut best, mut run_start) = ((0, 0), None);
        for x in from..=to {
            let blank = x < to && !self.columns[(x - self.bbox.x) as usize];
            match (blank, run_start) {
                (true, None) => run_start = Some(x),
                (false, Some(s)) => {
                    if x - s > best.1 {
                        best = (s + (x - s) / 2, x - s);
                    }
                    run_start = None;
                }
                _ => {}
            }
        }
        best
    }

    /// The box of the ink between page columns `left` and `right`; the whole span when blank.
    fn tight(&self, left: u32, right: u32) -> BBox {
        let (left, right) = (
            left.clamp(self.bbox.x, self.bbox.right()),
            right.clamp(self.bbox.x, self.bbox.right()),
        );
        let inked = |x: u32| self.columns[(x - self.bbox.x) as usize];
        let x0 = (left..right).find(|&x| inked(x));
        let x1 = (left..right).rev().find(|&x| inked(x));
        match (x0, x1) {
            (Some(x0), Some(x1)) => {
                let (y0, y1) = self
                    .rows(x0, x1 + 1)
                    .unwrap_or((self.bbox.y, self.bbox.bottom()));
                BBox {
                    x: x0,
                    y: y0,
                    w: x1 + 1 - x0,
                    h: y1 - y0,
                }
            }
            _ => BBox {
                x: left,
                y: self.bbox.y,
                w: right - left,
                h: self.bbox.h,
            },
        }
    }
}

/// The gray below which a pixel of the line in `bbox` is ink: [`INK_BELOW`] for print as dark as
/// most, else halfway between the line's ink (its darkest 2 %) and its paper (its median) — a
/// thin pen-like face scanned gray has strokes of 90–200 on paper of 250, which the fixed cut sees
/// as a few dots, splitting 「16,500円」 into one word per glyph with no amount in any (seed 59
/// sub008). A box with less than [`PRINT_CONTRAST`] between the two is paper: the fixed cut.
fn ink_cut(page: &GrayImage, bbox: BBox) -> u8 {
    let mut histogram = [0u32; 256];
    for y in bbox.y..bbox.bottom() {
        for x in bbox.x..bbox.right() {
            histogram[page.get_pixel(x, y)[0] as usize] += 1;
        }
    }
    let total: u32 = histogram.iter().sum();
    let at = |share: f32| -> u8 {
        let want = (total as f32 * share).ceil().max(1.0) as u32;
        let mut seen = 0;
        for (gray, &n) in histogram.iter().enumerate() {
            seen += n;
            if seen >= want {
                return gray as u8;
            }
        }
        255
    };
    let (ink, paper) = (at(0.02), at(0.5));
    if total == 0 || paper.saturating_sub(ink) < PRINT_CONTRAST {
        return INK_BELOW;
    }
    (ink + (paper - ink) / 2).max(INK_BELOW)
}

fn clamp_to(page: &GrayImage, b: BBox) -> BBox {
    let x = b.x.min(page.width());
    let y = b.y.min(page.height());
    BBox {
        x,
        y,
        w: b.w.min(page.width() - x),
        h: b.h.min(page.height() - y),
    }
}

/// The installed models, for tests: `None` (with a note on stderr) only when `ocr-models/` lacks
/// the files and `CI` is unset; in CI a missing model fails the test.
#[cfg(test)]
pub(crate) fn installed_models() -> Option<PaddleModels> {
    match PaddleModels::locate(None) {
        Ok(models) => Some(models),
        Err(OcrError::ModelMissing { file, .. }) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: ocr-models/{file} is missing (run `bash scripts/setup.sh`)");
            None
        }
        Err(e) => panic!("PP-OCRv6 models: {e}"),
    }
}

#[cfg(test)]
mod tests;
