//! One page image → what the extractor reads: prepare (deskew), drop the red stamp ink so it does not
//! spoil the text under it, recognise, group words into lines, then find the marks (seals,
//! strike-throughs) measured in the page's own character height. Lines that nearly say what the
//! application says, a certificate's ruled table when its rows were not all read, a receipt's date
//! when none was read, and its money when the breakdown does not sum, get a second look
//! (`reading/looks/`). A page Tesseract read so poorly that the extractor finds little on it is
//! read again whole by PP-OCRv6 ([`super::fallback`]). Each receipt total is then read again by
//! the engine that did not read the page ([`super::witness`]); a receipt whose money is still not
//! sure has its lines of money (or the whole page) read by PP-OCRv6 (`money_again`).
//!
//! Called by `run`'s page workers (`run::workers`), one [`PageEngines`] per worker; not here: which
//! page is read when, and the time limit (`run`), what the lines mean (`extract`).

use std::sync::{Arc, Mutex};

use image::{DynamicImage, GrayImage};

use crate::document::BBox;
use crate::extract::layout::lines_from_tokens;
use crate::extract::marks::{Capture, Marks};
use crate::extract::{Extractor, Hints, PageInput};
use crate::ink;
use crate::ocr::paddle::{LineReader, Paddle};
use crate::ocr::{self, Engine, Models, OcrError, Recognized};

use super::fallback::{reread_if_poor, ReadBy, Rereader};
use super::lines::tokens_on_page;
use super::looks;
use super::money_again::reread_unsure_money;
use super::witness::witness_totals;

/// The engines one worker reads pages with: Japanese for the page, English for a second look at
/// digits (it reads handwritten and rounded digits that the Japanese model does not), and the
/// Japanese-script model for a second look at a doubtful name (it reads handwritten kanji `jpn`
/// does not). The last is seldom needed, so the workers share one.
#[derive(Debug)]
pub struct PageEngines {
    /// PP-OCRv6, when it reads each page first (`[ocr] recognizer = "paddle"`); `text` then serves
    /// the second looks only.
    pub paddle: Option<Paddle>,
    pub text: Engine,
    pub digits: Engine,
    pub names: Arc<Mutex<Engine>>,
    /// PP-OCRv6's recognizer, reading again the amounts a check rests on when Tesseract read the
    /// page ([`super::witness`]); a crop or two per receipt, so the workers share one.
    pub witness: Option<Arc<Mutex<LineReader>>>,
    /// PP-OCRv6 reading again a page Tesseract read poorly ([`super::fallback`]), with the
    /// witness's recognizer; shared by the workers.
    pub rereader: Option<Arc<Rereader>>,
}

/// The engines the workers share, each seldom needed.
#[derive(Debug, Clone)]
pub struct Shared {
    pub names: Arc<Mutex<Engine>>,
    pub witness: Option<Arc<Mutex<LineReader>>>,
    pub rereader: Option<Arc<Rereader>>,
}

impl Shared {
    /// Loads the Japanese-script model, and PP-OCRv6's recognizer when it is the witness (then
    /// also the page rereader, whose detector loads when a page first needs it).
    pub fn new(models: &Models) -> Result<Shared, OcrError> {
        let witness = models
            .witness()
            .map(|m| LineReader::new(m).map(|r| Arc::new(Mutex::new(r))))
            .transpose()?;
        let rereader = match (models.witness(), &witness) {
            (Some(m), Some(reader)) => Some(Arc::new(Rereader::new(m.clone(), Arc::clone(reader)))),
            _ => None,
        };
        Ok(Shared {
            names: Arc::new(Mutex::new(names_engine(models)?)),
            witness,
            rereader,
        })
    }
}

impl PageEngines {
    /// Loads the models (checked against the manifest).
    pub fn new(models: &Models) -> Result<PageEngines, OcrError> {
        PageEngines::sharing(models, Shared::new(models)?)
    }

    /// Loads the page and digit models, and reads names and witnesses amounts with `shared`'s
    /// engines (shared with other workers).
    pub fn sharing(models: &Models, shared: Shared) -> Result<PageEngines, OcrError> {
        // A page built again on PP-OCRv6's reading (`fallback`, `money_again`) asks its looks'
        // reads of the same image again: they are answered from the first time, within a page.
        let mut text = Engine::new(models, "jpn")?;
        text.remember_reads();
        let mut digits = Engine::new(models, "eng")?;
        digits.remember_reads();
        Ok(PageEngines {
            paddle: models
                .paddle()
                .map(|(paddle, side)| Paddle::new(paddle, side))
                .transpose()?,
            text,
            digits,
            names: shared.names,
            witness: shared.witness,
            rereader: shared.rereader,
        })
    }

    /// Lets go of the reads the page engines remember (the last page's).
    fn forget_reads(&mut self) {
        self.text.forget_reads();
        self.digits.forget_reads();
    }

    /// Reads the page engines answered from memory so far.
    fn recalled(&self) -> usize {
        self.text.recalled() + self.digits.recalled()
    }
}

/// The Japanese-script engine the second look at a doubtful name reads with.
pub fn names_engine(models: &Models) -> Result<Engine, OcrError> {
    Engine::new(models, "Japanese")
}

/// Reads one page image; lines that nearly carry what `hints` know, and a receipt's money when its
/// breakdown does not sum (checked by `extractor`), are read a second time (see `reading/looks/`).
pub fn read_image_page(
    engines: &mut PageEngines,
    number: u32,
    image: DynamicImage,
    extractor: &Extractor,
    hints: &Hints,
) -> Result<PageInput, OcrError> {
    let mut clock = Stages::start(number);
    engines.forget_reads();
    let recalled = engines.recalled();
    let mut in_colour = false;
    let ocr::Prepared { gray, color, .. } = ocr::prepare_keeping_color(image, |color| {
        in_colour = ink::shows_colour(color);
        has_red(color)
    });
    clock.lap("prepare");
    let capture = ink::capture_of(&gray);
    // On a colour page with red ink: keep only where the red is (for the seal finder) and read a gray
    // page with the red dropped out; the colour page and the plain gray one are let go before OCR.
    let (mut ocr_input, red, red_channel) = match color {
        Some(color) => {
            drop(gray);
            let map = ink::red_map(&color);
            let channel = ink::RedChannel::of(&color, &map, RED_CHANNEL_MARGIN);
            (ink::gray_without_red(&color), Some(map), channel)
        }
        _ => (gray, None, None),
    };
    if capture == Capture::Photo {
        ocr::even_light(&mut ocr_input);
    }
    ink::erase_dot_leaders(&mut ocr_input);
    // A fax is read smoothed, its halftone's dots joined into strokes again; its ink (a stamp's
    // halftone, a strike) is looked at as it came.
    let smoothed = (capture == Capture::Binary).then(|| ocr::smoothed_for_reading(&ocr_input));
    let text_image = smoothed.as_ref().unwrap_or(&ocr_input);
    clock.lap("ink_prep");
    let (recognized, by) = match engines.paddle.as_mut() {
        Some(paddle) => (paddle.recognize(text_image)?, ReadBy::Paddle),
        None => (engines.text.recognize(text_image)?, ReadBy::Tesseract),
    };
    clock.lap("first_read");
    let seen = Seen {
        image: &ocr_input,
        text: text_image,
        red: red.as_ref(),
        capture,
        in_colour,
    };
    let first = build_page(engines, &seen, recognized, number, extractor, hints)?;
    clock.lap("build_page");
    let rereader = engines.rereader.clone();
    let (mut page, by) = reread_if_poor(
        rereader.as_deref(),
        text_image,
        first,
        by,
        extractor,
        hints,
        |again| build_page(engines, &seen, again, number, extractor, hints),
    )?;
    clock.lap("reread_if_poor");
    // Lines a doubtful field rests on, read again by PP-OCRv6 — unless it read the whole page.
    if by == ReadBy::Tesseract {
        looks::paddle_look(engines, text_image, &mut page, extractor, hints)?;
        // Print the layout analysis dropped and Tesseract's own look could not read.
        if let Some(reader) = &engines.witness {
            looks::paddle_lost_look(reader, text_image, &mut page, extractor, hints)?;
        }
    }
    clock.lap("paddle_look");
    witness_totals(engines, by, text_image, &mut page, extractor, hints)?;
    clock.lap("witness");
    // A receipt whose money is still not sure: its lines of money, or the whole page, as
    // PP-OCRv6 reads them and Tesseract witnesses, where that settles the money and keeps the rest.
    let page = reread_unsure_money(
        engines,
        text_image,
        red_channel.as_ref(),
        page,
        by,
        extractor,
        hints,
        |engines, again| build_page(engines, &seen, again, number, extractor, hints),
    )?;
    clock.lap("money_again");
    let mut page = page;
    strikes_on_added_lines(&mut page, &seen);
    engines.forget_reads();
    clock.lap("strikes_added");
    clock.report();
    clock.report_engines();
    tracing::debug!(
        page = number,
        recalled = engines.recalled() - recalled,
        "Tesseract reads answered from memory"
    );
    Ok(page)
}

/// Looks for strikes along the lines the looks after the first reading added or changed: a
/// struck date the layout analysis dropped, read back by PP-OCRv6 after the page's marks were
/// taken, was never looked along, and its certificate read surely uncorrected (seed 19 sub056,
/// 「令和7年2月15日」 struck with no 訂正印 — a wrong pay). Strikes found already are kept; a new
/// one on a gray page has its ring looked for as the first ones had.
fn strikes_on_added_lines(page: &mut PageInput, seen: &Seen<'_>) {
    let new: Vec<BBox> = ink::find_strikes(seen.image, &page.lines)
        .into_iter()
        .filter(|s| !page.marks.strikes.iter().any(|o| o.overlaps(s)))
        .collect();
    if new.is_empty() {
        return;
    }
    if seen.red.is_none() {
        let char_h = PageInput::char_height(&page.lines);
        ink::add_rings_over(&mut page.marks, &new, seen.image, char_h);
    }
    page.marks.strikes.extend(new);
}

/// How much CPU time each stage of reading a page took on its worker's thread, logged at debug
/// level when the page is read (`KYUFU_LOG=kyufu::reading=debug`): where the time goes, page by
/// page, without a profiler. CPU time rather than wall time, so that a busy machine does not blur
/// it; the wall time of the whole is logged beside it.
struct Stages {
    page: u32,
    began: std::time::Instant,
    last: u64,
    laps: Vec<(&'static str, u64)>,
}

impl Stages {
    fn start(page: u32) -> Stages {
        // Calls made since the caller's last lap are its own, made before this count began (the
        // page read again whole that `build_page` builds on).
        ocr::tally::attribute("read_again");
        Stages {
            page,
            began: std::time::Instant::now(),
            last: ocr::tally::thread_cpu_us(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        ocr::tally::attribute(stage);
        let now = ocr::tally::thread_cpu_us();
        self.laps.push((stage, (now - self.last) / 1000));
        self.last = now;
    }

    fn report(&self) {
        if tracing::enabled!(tracing::Level::DEBUG) {
            let laps: Vec<String> = self
                .laps
                .iter()
                .map(|(s, ms)| format!("{s}={ms}"))
                .collect();
            tracing::debug!(
                page = self.page,
                wall_ms = self.began.elapsed().as_millis() as u64,
                stages = %laps.join(" "),
                "page read (CPU ms)"
            );
        }
    }

    /// Logs the engine calls the page cost (and starts their count again for the next page).
    fn report_engines(&self) {
        let calls = ocr::tally::take();
        if tracing::enabled!(tracing::Level::DEBUG) {
            let calls: Vec<String> = calls
                .iter()
                .map(|(kind, c)| format!("{kind}={}/{}/{}", c.count, c.items, c.cpu_us / 1000))
                .collect();
            tracing::debug!(page = self.page, calls = %calls.join(" "), "engine calls (count/items/CPU ms)");
        }
    }
}

/// The prepared page as the engines see it: gray, with the red stamp ink dropped (`red` keeps where
/// it was, for the seal finder), and how it was captured.
#[derive(Clone, Copy)]
struct Seen<'a> {
    /// The page as ink analysis sees it.
    image: &'a GrayImage,
    /// The page as the engines read it: `image`, or on a fax `image` smoothed.
    text: &'a GrayImage,
    red: Option<&'a GrayImage>,
    capture: Capture,
    /// The page came in colour (see [`Marks::in_colour`]).
    in_colour: bool,
}

/// One reading of the page (`recognized`) → lines, their second looks, and the page's marks.
fn build_page(
    engines: &mut PageEngines,
    seen: &Seen<'_>,
    recognized: Recognized,
    number: u32,
    extractor: &Extractor,
    hints: &Hints,
) -> Result<PageInput, OcrError> {
    let Seen {
        image: ocr_input,
        text,
        red,
        capture,
        in_colour,
    } = *seen;
    let mut clock = Stages::start(number);
    let tokens = tokens_on_page(recognized.words, 0, 0, 1.0);
    let mut lines = lines_from_tokens(tokens);
    looks::grid_look(&mut engines.text, text, &mut lines, extractor, hints)?;
    clock.lap("grid");
    looks::lost_look(&mut engines.text, text, &mut lines, extractor, hints)?;
    clock.lap("lost");
    looks::second_look(&mut engines.text, &engines.names, text, &mut lines, hints)?;
    clock.lap("second");
    let char_h = PageInput::char_height(&lines);
    let marks = Marks {
        capture,
        in_colour,
        seals: match &red {
            Some(map) => ink::red_seals(map, char_h),
            None if capture == Capture::Binary => ink::dithered_seals(ocr_input, char_h),
            None => ink::find_gray_seals(ocr_input, char_h),
        },
        // Strikes are looked for where the stamps have been dropped, so a 訂正印 over a strike does
        // not hide it.
        strikes: match capture {
            Capture::Scan => ink::find_strikes_on_scan(ocr_input, &lines),
            Capture::Photo => ink::find_strikes_on_photo(ocr_input, &lines),
            _ => ink::find_strikes(ocr_input, &lines),
        },
        traces: Vec::new(),
        unsure_rings: Vec::new(),
    };
    let mut marks = marks;
    if let (Some(map), Capture::Scan) = (red, capture) {
        // A red stamp's frame a thick rule or digits cut into pieces (see `crossed_red_seals`).
        if !marks.seals.iter().any(|s| s.is_large(char_h)) {
            marks
                .seals
                .extend(ink::crossed_red_seals(ocr_input, map, char_h));
        }
    }
    if red.is_none() {
        let strikes = marks.strikes.clone();
        ink::add_rings_over(&mut marks, &strikes, ocr_input, char_h);
        // A gray 角印 over the issuer's name is found in pieces; its square is looked for when
        // no seal of a 領収印's size was found.
        let mut sides = Vec::new();
        if !marks.seals.iter().any(|s| s.is_large(char_h)) {
            let (squares, of_sides) = ink::square_seals(ocr_input, char_h);
            marks.seals.extend(squares);
            sides = of_sides;
        }
        // A seal stamped over print (the total, the name) is cut into pieces by it; on a scan
        // it is looked for whole from its outline, lest a sealed receipt read as surely sealless.
        if capture == Capture::Scan && !marks.seals.iter().any(|s| s.is_large(char_h)) {
            let (seals, traces) = ink::crossed_seals(ocr_input, char_h, &sides);
            marks.seals.extend(seals);
            marks.traces = traces;
        }
    }
    let mut page = PageInput {
        number,
        lines,
        marks,
        text_layer: false,
        witnesses: Vec::new(),
    };
    clock.lap("marks");
    looks::seal_look(&mut engines.text, text, &mut page, hints)?;
    clock.lap("seal_look");
    looks::ReceiptLook {
        text: &mut engines.text,
        digits: &mut engines.digits,
        image: text,
        gray_stamps: red.is_none(),
        witness: engines.witness.as_deref(),
        extractor,
        hints,
    }
    .run(&mut page)?;
    clock.lap("receipt_look");
    clock.report();
    Ok(page)
}

/// Pixels round a colour page's red ink whose red channel is kept ([`ink::RedChannel`]): a
/// 領収印's reach over the amounts beside it, two characters of 10.5 pt print at 300 dpi.
const RED_CHANNEL_MARGIN: u32 = 96;

/// Whether a colour page carries red ink worth dropping (a stamp), by a sparse sample.
fn has_red(color: &image::RgbImage) -> bool {
    let mut red = 0u32;
    for (i, p) in color.pixels().enumerate() {
        if i % 7 == 0 {
            let [r, g, b] = p.0;
            if r > 110 && i32::from(r) - i32::from(g) > 45 && i32::from(r) - i32::from(b) > 35 {
                red += 1;
                if red > 20 {
                    return true;
                }
            }
        }
    }
    false
}
