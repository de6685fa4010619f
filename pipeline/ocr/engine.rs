//! One Tesseract engine: the model is loaded once in [`Engine::new`] (≈0.1 s, ≈50 MB) and reused for
//! every page given to [`Engine::recognize`].
//!
//! Not thread-safe by design: one engine per thread (see `Pool`). Words are read from Tesseract's
//! TSV output, which carries block/paragraph/line numbers, boxes and confidences in one pass.
//!
//! An engine may remember what it read ([`Engine::remember_reads`]): the same image read the same
//! way gives the same words, and a page's second looks ask for the same reads more than once (the
//! sparse and box reads of a receipt, the unruled page, each time a page is built again on
//! PP-OCRv6's reading). The reader of pages forgets between pages ([`Engine::forget_reads`]).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Once;

use image::GrayImage;
use tesseract_rs::{TessPageSegMode, TesseractAPI};

use super::{Models, OcrError, Recognized, Word};
use crate::document::BBox;

/// Resolution told to Tesseract when the scan does not say: the scans kyufu asks for are 300 dpi, and
/// without a value Tesseract guesses 70 dpi and warns on every page.
const DEFAULT_DPI: u32 = 300;

/// Tesseract's own binarisation: 0 = global Otsu (its default), not Sauvola (2). Sauvola read one
/// rendered receipt better (98.4% vs 96.8% of characters), but on the 60 generated submissions of
/// seed 7 (`make accuracy`) Otsu read more fields right (amounts 55 vs 53 of 64, dates 60 vs 57,
/// breakdown lines 111 vs 107 of 140) — Sauvola loses whole boxed breakdowns on pad receipts — and
/// took 11% less time. Tiled Otsu (1) read far worse (25 of 60 outcomes).
const THRESHOLDING_METHOD: &str = "0";

/// How Tesseract segments a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSegMode {
    /// `--psm 3`: full layout analysis. The default, because certificates and receipts come with
    /// columns, boxes and stamps in unknown places. Measured (`measure_against_cli`): on the rendered
    /// receipt psm 3 and psm 6 read the same (96.8%) and psm 6 was ~20% faster; use `SingleBlock`
    /// for zones of known forms.
    Auto,
    /// `--psm 4`: one column of lines of varying size.
    SingleColumn,
    /// `--psm 6`: one uniform block of text (a cropped zone of a known form).
    SingleBlock,
    /// `--psm 7`: one line (a single field zone).
    SingleLine,
    /// `--psm 11`: as much text as possible, in no order.
    SparseText,
    /// `--psm 13`: one line, taken as it is, without Tesseract's own line finding. Reads some
    /// short labels that `SingleLine` returns nothing for (「受講料」 alone in a table cell).
    RawLine,
}

impl PageSegMode {
    fn tess(self) -> TessPageSegMode {
        match self {
            PageSegMode::Auto => TessPageSegMode::PSM_AUTO,
            PageSegMode::SingleColumn => TessPageSegMode::PSM_SINGLE_COLUMN,
            PageSegMode::SingleBlock => TessPageSegMode::PSM_SINGLE_BLOCK,
            PageSegMode::SingleLine => TessPageSegMode::PSM_SINGLE_LINE,
            PageSegMode::SparseText => TessPageSegMode::PSM_SPARSE_TEXT,
            PageSegMode::RawLine => TessPageSegMode::PSM_RAW_LINE,
        }
    }
}

/// Reads remembered at most, between two [`Engine::forget_reads`]: a page's looks ask for a few
/// dozen; the bound keeps a caller that never forgets from growing without end.
const MAX_REMEMBERED: usize = 512;

/// A loaded Tesseract for one language string (`"jpn"`, `"jpn+eng"`).
pub struct Engine {
    api: TesseractAPI,
    lang: String,
    psm: PageSegMode,
    dpi: u32,
    /// Parameters set since loading ([`Engine::set_variable`]), in order: part of what a
    /// remembered read was read with.
    variables: Vec<(String, String)>,
    /// Readings kept by [`Engine::recognize`], keyed by [`Engine::read_key`]; `None` when the
    /// engine does not remember.
    remembered: Option<HashMap<u64, Recognized>>,
    /// Reads answered from `remembered` since the engine was loaded (for the stage log).
    recalled: usize,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("lang", &self.lang)
            .field("psm", &self.psm)
            .field("dpi", &self.dpi)
            .finish()
    }
}

impl Engine {
    /// Checks the models against the manifest, then loads them.
    pub fn new(models: &Models, lang: &str) -> Result<Engine, OcrError> {
        limit_openmp_threads();
        // tesseract-rs unwraps on a NUL in the language or a non-UTF-8 path; refuse those here.
        if lang.is_empty()
            || !lang
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
        {
            return Err(OcrError::UnknownModel {
                model: lang.to_string(),
            });
        }
        models.check(lang)?;
        let dir = models.dir.to_str().ok_or_else(|| OcrError::Init {
            lang: lang.to_string(),
            dir: models.dir.clone(),
        })?;
        let api = TesseractAPI::new();
        api.init(dir, lang).map_err(|_| OcrError::Init {
            lang: lang.to_string(),
            dir: models.dir.clone(),
        })?;
        let engine = Engine {
            api,
            lang: lang.to_string(),
            psm: PageSegMode::Auto,
            dpi: DEFAULT_DPI,
            variables: Vec::new(),
            remembered: None,
            recalled: 0,
        };
        engine.api.set_page_seg_mode(engine.psm.tess())?;
        engine
            .api
            .set_variable("thresholding_method", THRESHOLDING_METHOD)?;
        // Tesseract's own notes ("Detected 60 diacritics" on sparse and block reads) would land on
        // kyufu's stderr among its Japanese summary; kyufu logs what matters itself.
        engine.api.set_variable("debug_file", "/dev/null")?;
        // No document kyufu reads prints white on black; Tesseract's default second reading of each
        // doubtful line inverted only costs time (about 5% of a page on the corpus).
        engine.api.set_variable("tessedit_do_invert", "0")?;
        Ok(engine)
    }

    /// Changes how pages are segmented from the next page on.
    pub fn set_page_seg_mode(&mut self, psm: PageSegMode) -> Result<(), OcrError> {
        self.api.set_page_seg_mode(psm.tess())?;
        self.psm = psm;
        Ok(())
    }

    /// The scan's resolution, when the file says (default 300 dpi).
    pub fn set_dpi(&mut self, dpi: u32) {
        self.dpi = dpi.clamp(70, 1200);
    }

    /// Sets a Tesseract parameter (e.g. `thresholding_method`) for the pages that follow. Parameters
    /// read only when the model loads (such as `user_words_file`) have no effect here.
    pub fn set_variable(&mut self, name: &str, value: &str) -> Result<(), OcrError> {
        if name.contains('\0') || value.contains('\0') {
            return Err(OcrError::Tesseract(format!("invalid parameter {name:?}")));
        }
        self.api.set_variable(name, value)?;
        self.variables.retain(|(n, _)| n != name);
        self.variables.push((name.to_string(), value.to_string()));
        Ok(())
    }

    /// From now on, keeps what each read gave and answers the same read (same pixels, mode,
    /// resolution and parameters) from it, until [`Engine::forget_reads`].
    pub fn remember_reads(&mut self) {
        self.remembered.get_or_insert_with(HashMap::new);
    }

    /// Lets go of the reads remembered so far (a page's, once it is read).
    pub fn forget_reads(&mut self) {
        if let Some(remembered) = self.remembered.as_mut() {
            *remembered = HashMap::new();
        }
    }

    /// Reads answered from memory since the engine was loaded.
    pub fn recalled(&self) -> usize {
        self.recalled
    }

    /// What a read of `img` depends on, hashed: its pixels and size, the page segmentation mode,
    /// the resolution and the parameters set. (Tesseract's LSTM reading keeps no state from one
    /// image to the next, so nothing else does.)
    fn read_key(&self, img: &GrayImage) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        img.dimensions().hash(&mut h);
        img.as_raw().hash(&mut h);
        (self.psm as u8).hash(&mut h);
        self.dpi.hash(&mut h);
        self.variables.hash(&mut h);
        h.finish()
    }

    /// The language string this engine was loaded with.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// Reads one page image (8-bit gray, typically [`super::Prepared::gray`]).
    pub fn recognize(&mut self, img: &GrayImage) -> Result<Recognized, OcrError> {
        let Some(remembered) = self.remembered.as_ref() else {
            return self.read(img);
        };
        let key = self.read_key(img);
        if let Some(read) = remembered.get(&key) {
            self.recalled += 1;
            return Ok(read.clone());
        }
        let read = self.read(img)?;
        if let Some(remembered) = self.remembered.as_mut() {
            if remembered.len() >= MAX_REMEMBERED {
                remembered.clear();
            }
            remembered.insert(key, read.clone());
        }
        Ok(read)
    }

    /// [`Engine::recognize`] without memory: Tesseract reads `img`.
    fn read(&mut self, img: &GrayImage) -> Result<Recognized, OcrError> {
        let (width, height) = img.dimensions();
        let bad = || OcrError::BadImage { width, height };
        // Tesseract rejects images under 3 px a side; i32 is its coordinate type.
        if width < 3 || height < 3 {
            return Err(bad());
        }
        let w = i32::try_from(width).map_err(|_| bad())?;
        let h = i32::try_from(height).map_err(|_| bad())?;
        let started = super::tally::thread_cpu_us();
        self.api.set_image(img.as_raw(), w, h, 1, w)?;
        self.api.set_source_resolution(self.dpi as i32)?;
        self.api.recognize()?;
        let tsv = self.api.get_tsv_text(0);
        // Free the page (image and results) whatever happened; the model stays loaded.
        self.api.clear()?;
        let words = parse_tsv(&tsv?);
        super::tally::record(|| format!("tess_{}_{:?}", self.lang, self.psm), 0, started);
        Ok(Recognized {
            words,
            width,
            height,
        })
    }
}

impl Engine {
    /// Reads one line image (a crop of a page) as a single line of text (`--psm 7`), whatever mode
    /// pages are read in; the page mode is restored after.
    pub fn recognize_line(&mut self, img: &GrayImage) -> Result<Recognized, OcrError> {
        self.recognize_as(img, PageSegMode::SingleLine)
    }

    /// Reads an image (a crop of a page) segmented as `psm` says, whatever mode pages are read in;
    /// the page mode is restored after.
    pub fn recognize_as(
        &mut self,
        img: &GrayImage,
        psm: PageSegMode,
    ) -> Result<Recognized, OcrError> {
        let page_mode = self.psm;
        self.api.set_page_seg_mode(psm.tess())?;
        // `psm` is part of what a remembered read is keyed by.
        self.psm = psm;
        let read = self.recognize(img);
        self.api.set_page_seg_mode(page_mode.tess())?;
        self.psm = page_mode;
        read
    }
}

/// Words (TSV level 5) from Tesseract's TSV: `level page block par line word left top width height
/// conf text`. Rows that do not parse, and empty words, are skipped.
fn parse_tsv(tsv: &str) -> Vec<Word> {
    tsv.lines()
        .filter_map(|row| {
            let cols: Vec<&str> = row.splitn(12, '\t').collect();
            if cols.len() != 12 || cols[0] != "5" {
                return None;
            }
            let num = |i: usize| cols[i].trim().parse::<i64>().ok();
            let text = cols[11].trim();
            let confidence: f32 = cols[10].trim().parse().ok()?;
            if text.is_empty() || confidence < 0.0 {
                return None;
            }
            let non_negative = |i: usize| num(i).and_then(|v| u32::try_from(v).ok());
            Some(Word {
                text: text.to_string(),
                confidence,
                bbox: BBox {
                    x: non_negative(6)?,
                    y: non_negative(7)?,
                    w: non_negative(8)?,
                    h: non_negative(9)?,
                },
                block: non_negative(2)?,
                par: non_negative(3)?,
                line: non_negative(4)?,
            })
        })
        .collect()
}

/// Sets `OMP_THREAD_LIMIT=1` in the process environment unless the operator chose a value, and warns
/// once if the limit was not in force when the process started.
///
/// Why: Debian's libtesseract is built with OpenMP and runs parts of the LSTM on 4 threads per page
/// (`num_threads(4)` in its source, which only `OMP_THREAD_LIMIT` caps); with one engine per core
/// already running, that oversubscribes the cores: NOTES-OCR measured 0.95 s → 4.72 s per page.
/// Caveat, measured here: GNU libgomp reads the variable once, when the library is loaded — before
/// `main`, since libtesseract is linked — so setting it in-process only reaches child processes
/// (e.g. the `tesseract` CLI). On the rendered receipt a page took 0.77 s when the test process was
/// started without it and 0.26 s with it. The CLI must therefore call [`reexec_with_openmp_limit`]
/// first thing in `main`; `cargo test` needs the variable in its environment.
pub(crate) fn limit_openmp_threads() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
            std::env::set_var("OMP_THREAD_LIMIT", "1");
        }
        if openmp_limited_at_start() == Some(false) {
            tracing::warn!(
                "OMP_THREAD_LIMIT was not set when kyufu started; OCR may run several times slower"
            );
        }
    });
}

/// Whether the process was started with `OMP_THREAD_LIMIT` set (to any value) — what libgomp actually
/// uses. `/proc/self/environ` is the environment at exec, before any change made in-process. `None`
/// where `/proc` is unavailable.
pub fn openmp_limited_at_start() -> Option<bool> {
    let environ = std::fs::read("/proc/self/environ").ok()?;
    Some(
        environ
            .split(|b| *b == 0)
            .any(|var| var.starts_with(b"OMP_THREAD_LIMIT=")),
    )
}

/// For `main`, before anything else: if the process did not start with `OMP_THREAD_LIMIT`, restart
/// the same program with the same arguments and `OMP_THREAD_LIMIT=1` (see [`limit_openmp_threads`]
/// for why it cannot simply be set). Returns `Ok` when no restart is needed; on success of the
/// restart it does not return. A value the operator set is kept.
pub fn reexec_with_openmp_limit() -> std::io::Result<()> {
    use std::os::unix::process::CommandExt;
    if openmp_limited_at_start() != Some(false) {
        return Ok(());
    }
    let exe = std::env::current_exe()?;
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("OMP_THREAD_LIMIT", "1")
        .exec();
    Err(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::testpage;

    #[test]
    fn tsv_rows_become_words_with_their_line_numbers() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t40\t50\t120\t36\t96.5\t領収書\n\
                   5\t1\t1\t1\t2\t1\t40\t100\t90\t30\t91.0\t入学料\n\
                   5\t1\t1\t1\t2\t2\t200\t100\t150\t30\t-1\t \n";
        let words = parse_tsv(tsv);
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].text, "領収書");
        assert_eq!(
            words[0].bbox,
            BBox {
                x: 40,
                y: 50,
                w: 120,
                h: 36
            }
        );
        assert_eq!((words[1].block, words[1].par, words[1].line), (1, 1, 2));
        assert!((words[1].confidence - 91.0).abs() < f32::EPSILON);
    }

    #[test]
    fn reads_a_rendered_receipt_line_with_boxes() {
        let models = Models::locate(None).expect("models");
        let mut engine = Engine::new(&models, "jpn").expect("engine");
        // 10.5 pt at 300 dpi.
        let (img, spans) = testpage::render_line("領収書 入学料 11,000円", 44.0);
        let got = engine.recognize(&img).expect("recognizes");
        assert_eq!((got.width, got.height), img.dimensions());
        let text: String = got.words.iter().map(|w| w.text.as_str()).collect();
        // jpn reads IPAex Gothic's thousands comma as "." or ",." at most sizes (NOTES-OCR lists the
        // same on real receipts): the digits must be right; the separator is extract's to normalise.
        let digits_only: String = text.chars().filter(|c| *c != ',' && *c != '.').collect();
        assert_eq!(digits_only, "領収書入学料11000円", "words: {:?}", got.words);
        // The amount's box covers where it was drawn; words run left to right on one line.
        let amount = got
            .words
            .iter()
            .find(|w| w.text.starts_with("11"))
            .expect("the amount is a word");
        assert!(
            amount.text.contains([',', '.']),
            "a separator is read: {:?}",
            amount.text
        );
        let drawn = spans.iter().find(|s| s.text == "11,000円").expect("span");
        assert!(
            amount.bbox.x + 4 >= drawn.x && amount.bbox.right() <= drawn.x + drawn.w + 4,
            "{amount:?} vs {drawn:?}"
        );
        assert!(
            amount.bbox.y + 4 >= drawn.y && amount.bbox.bottom() <= drawn.y + drawn.h + 4,
            "{amount:?} vs {drawn:?}"
        );
        assert!(
            amount.bbox.w * 10 >= drawn.w * 6,
            "the box spans the digits: {amount:?} vs {drawn:?}"
        );
        // jpn splits Japanese text into short "words" (領収 / 書): order and boxes still follow the line.
        assert!(got.words[0].text.starts_with("領収"), "{:?}", got.words);
        assert!(
            got.words.windows(2).all(|p| p[0].bbox.x < p[1].bbox.x),
            "left to right: {:?}",
            got.words
        );
        assert!(
            got.words.iter().all(|w| w.confidence > 50.0),
            "{:?}",
            got.words
        );
        assert!(got
            .words
            .iter()
            .all(|w| (w.block, w.par, w.line) == (1, 1, 1)));
    }

    #[test]
    fn a_remembered_read_is_the_same_read_and_only_the_same_read_is_remembered() {
        let models = Models::locate(None).expect("models");
        let mut engine = Engine::new(&models, "jpn").expect("engine");
        engine.remember_reads();
        let (img, _) = testpage::render_line("入学料 11,000円", 44.0);
        let first = engine.recognize(&img).expect("first read");
        assert!(!first.words.is_empty());
        assert_eq!(engine.recalled(), 0);
        assert_eq!(engine.recognize(&img).expect("again"), first);
        assert_eq!(engine.recalled(), 1);
        // Another mode, another parameter, other pixels: read by Tesseract, not recalled.
        let as_line = engine.recognize_line(&img).expect("as a line");
        assert_eq!(engine.recalled(), 1);
        // The page mode came back after the line read: the page read is recalled, and so is the
        // line read.
        assert_eq!(engine.recognize(&img).expect("page again"), first);
        assert_eq!(engine.recognize_line(&img).expect("line again"), as_line);
        assert_eq!(engine.recalled(), 3);
        engine
            .set_variable("tessedit_char_whitelist", "0123456789,円")
            .expect("whitelist");
        let digits = engine.recognize(&img).expect("digits only");
        assert_eq!(engine.recalled(), 3);
        let text: String = digits.words.iter().map(|w| w.text.as_str()).collect();
        assert!(!text.contains('入'), "{text:?} read within the whitelist");
        engine
            .set_variable("tessedit_char_whitelist", "")
            .expect("reset");
        let mut other = img.clone();
        other.put_pixel(0, 0, image::Luma([0]));
        engine.recognize(&other).expect("other pixels");
        assert_eq!(engine.recalled(), 3);
        // Forgotten: read again.
        engine.forget_reads();
        assert_eq!(engine.recognize(&img).expect("after forgetting"), first);
        assert_eq!(engine.recalled(), 3);
    }

    #[test]
    fn tiny_or_nul_input_is_an_error_not_a_crash() {
        let models = Models::locate(None).expect("models");
        assert!(matches!(
            Engine::new(&models, "jpn\0"),
            Err(OcrError::UnknownModel { .. })
        ));
        let mut engine = Engine::new(&models, "jpn").expect("engine");
        assert!(matches!(
            engine.recognize(&GrayImage::new(2, 2)),
            Err(OcrError::BadImage { .. })
        ));
        // A blank page reads as no words.
        let blank = GrayImage::from_pixel(600, 400, image::Luma([255]));
        assert!(engine
            .recognize(&blank)
            .expect("blank page")
            .words
            .is_empty());
    }
}
