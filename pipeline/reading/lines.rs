//! Reading a part of a page again and putting its words back as lines: the crop round a line with
//! its margin, read alone at a scale ([`read_line_at`], [`read_line_without_frames`]), a box cut out
//! onto paper and read as a given layout ([`read_cut`]), and words turned into page-coordinate
//! tokens ([`tokens_on_page`]) and lines ([`line_of`]).
//!
//! Shared by the first reading ([`super::page`]), the witness's tests and every second look
//! ([`super::looks`]); it decides nothing about what is read.

use image::imageops::{self, FilterType};
use image::GrayImage;

use crate::document::BBox;
use crate::extract::layout::{TextLine, Token};
use crate::ocr::{Engine, OcrError, PageSegMode, Word};

/// Darker than this is ink, where rows of print are looked for; paler than [`PAPER`] is paper in a
/// cut-out read alone (a table's thin inner rules scan light gray, too light for the rule finder,
/// and a block reading takes the two rows they run between for one).
pub(super) const INK: u8 = 150;
pub(super) const PAPER: u8 = 200;

/// Pixels of paper round a cut-out: Tesseract reads a line best with a margin round it.
const MARGIN: u32 = 20;

/// Reads `place` of `page` alone as `mode` says, set on a margin of paper, with light gray turned
/// to paper — or `binarize`d, for a small value whose neighbours' faint remains would spoil it;
/// returns the words as tokens in page coordinates.
pub(super) fn read_cut(
    engine: &mut Engine,
    page: &GrayImage,
    place: &BBox,
    mode: PageSegMode,
    binarize: bool,
) -> Result<Vec<Token>, OcrError> {
    let (w, h) = page.dimensions();
    let cw = place.w.min(w.saturating_sub(place.x));
    let chh = place.h.min(h.saturating_sub(place.y));
    let mut cut = GrayImage::from_pixel(cw + 2 * MARGIN, chh + 2 * MARGIN, image::Luma([255]));
    for y in 0..chh {
        for x in 0..cw {
            let v = page.get_pixel(place.x + x, place.y + y).0[0];
            if binarize && v < INK {
                cut.put_pixel(x + MARGIN, y + MARGIN, image::Luma([0]));
            } else if !binarize && v < PAPER {
                cut.put_pixel(x + MARGIN, y + MARGIN, image::Luma([v]));
            }
        }
    }
    let read = engine.recognize_as(&cut, mode)?;
    Ok(tokens_on_page(read.words, 0, 0, 1.0)
        .into_iter()
        .map(|mut t| {
            t.bbox.x = place.x + t.bbox.x.saturating_sub(MARGIN);
            t.bbox.y = place.y + t.bbox.y.saturating_sub(MARGIN);
            t
        })
        .collect())
}

pub(super) fn line_of(tokens: Vec<Token>) -> Option<TextLine> {
    let first = tokens.first()?.bbox;
    let bbox = tokens.iter().skip(1).fold(first, |a, t| a.union(&t.bbox));
    Some(TextLine { tokens, bbox })
}

/// Reads the line's box (with a margin) alone at `scale`; words come back in page coordinates.
pub(super) fn read_line_at(
    engine: &mut Engine,
    page: &GrayImage,
    line: &TextLine,
    scale: f32,
) -> Result<Vec<Token>, OcrError> {
    read_line_prepared(engine, page, line, scale, |_| {})
}

/// As [`read_line_at`] at full size, with gray stamp frames whited out of the crop first
/// ([`crate::ink::without_seal_frames`]).
pub(super) fn read_line_without_frames(
    engine: &mut Engine,
    page: &GrayImage,
    line: &TextLine,
    char_h: u32,
) -> Result<Vec<Token>, OcrError> {
    read_line_prepared(engine, page, line, 1.0, |img| {
        crate::ink::without_seal_frames(img, char_h);
    })
}

/// `line` with its box widened so that its crop ([`read_line_prepared`]) has a character and a
/// half of paper either side and two thirds of one above and below.
pub(super) fn widened(line: &TextLine) -> TextLine {
    let h = line.char_height();
    let (dx, dy) = (h * 5 / 6, h / 3);
    let mut wide = line.clone();
    wide.bbox = BBox {
        x: line.bbox.x.saturating_sub(dx),
        y: line.bbox.y.saturating_sub(dy),
        w: line.bbox.w + dx * 2,
        h: line.bbox.h + dy * 2,
    };
    wide
}

/// Reads the line's box (with a margin) alone at `scale`, the crop changed by `prepare` first.
fn read_line_prepared(
    engine: &mut Engine,
    page: &GrayImage,
    line: &TextLine,
    scale: f32,
    prepare: impl FnOnce(&mut GrayImage),
) -> Result<Vec<Token>, OcrError> {
    let h = line.char_height();
    let crop = BBox {
        x: line.bbox.x.saturating_sub(h * 2 / 3),
        y: line.bbox.y.saturating_sub(h / 3),
        w: line.bbox.w + h * 4 / 3,
        h: line.bbox.h + h * 2 / 3,
    };
    let x = crop.x.min(page.width().saturating_sub(1));
    let y = crop.y.min(page.height().saturating_sub(1));
    let w = crop.w.min(page.width() - x);
    let h = crop.h.min(page.height() - y);
    let mut img = imageops::crop_imm(page, x, y, w, h).to_image();
    prepare(&mut img);
    if (scale - 1.0).abs() > f32::EPSILON {
        let sw = ((w as f32 * scale).round() as u32).max(3);
        let sh = ((h as f32 * scale).round() as u32).max(3);
        img = imageops::resize(&img, sw, sh, FilterType::Triangle);
    }
    let read = engine.recognize_line(&img)?;
    Ok(tokens_on_page(read.words, x, y, scale))
}

/// Words read from a crop at (`x`, `y`) of the page, scaled by `scale`, as tokens in page
/// coordinates with confidences 0–1.
pub fn tokens_on_page(words: Vec<Word>, x: u32, y: u32, scale: f32) -> Vec<Token> {
    let back = |v: u32| (v as f32 / scale).round() as u32;
    words
        .into_iter()
        .map(|word| Token {
            text: word.text,
            confidence: (word.confidence / 100.0).clamp(0.0, 1.0),
            agreed: false,
            bbox: BBox {
                x: x + back(word.bbox.x),
                y: y + back(word.bbox.y),
                w: back(word.bbox.w),
                h: back(word.bbox.h),
            },
        })
        .collect()
}
