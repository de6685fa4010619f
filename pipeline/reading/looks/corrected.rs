//! The corrected value of a struck cell: the value written just above a strike in a ruled
//! breakdown, cut out and read alone by both engines ([`value_above`]), with a faint rule through
//! it erased and the letters a 訂正印 makes of its zeros read as zeros.
//!
//! Called by the table look ([`super::table`]), which decides where the value goes and keeps it
//! only if the breakdown then sums.

use image::imageops;
use image::GrayImage;

use crate::document::BBox;
use crate::extract::layout::TextLine;
use crate::ocr::paddle::Script;
use crate::ocr::{OcrError, PageSegMode};

use super::paddle::text_line;
use super::ReceiptLook;
use crate::reading::lines::{line_of, read_cut, INK, PAPER};

/// The corrected value written just above a strike (the struck value already whited out in
/// `page`): the rows of ink rising from the strike's top, up to a gap of paper wider than an erased
/// rule or a height, whichever comes first — the row above may touch it. The value is mostly written
/// smaller than the print's `ch` (measured on kanji), so it is cut at 4/5 of it; but a value written
/// full size is cut off there (「260,000」 read as nothing), so it is cut at 6/5 too. Returns where
/// the value is (the taller cut only if a gap ended it, so the row above is never whited out) and
/// each engine's reading of either cut that carries an amount, as a line in its place.
pub(super) fn value_above(
    look: &mut ReceiptLook<'_>,
    page: &GrayImage,
    strike: &BBox,
    ch: u32,
) -> Result<Option<(BBox, Vec<TextLine>)>, OcrError> {
    let (w, _) = page.dimensions();
    let x0 = strike.x.saturating_sub(ch);
    let x1 = (strike.right() + ch).min(w);
    let inked = |y: u32| {
        (x0..x1)
            .filter(|&x| page.get_pixel(x, y).0[0] < INK)
            .count()
            >= 2
    };
    let lowest = strike.y.saturating_sub(ch / 2);
    let Some(bottom) = (lowest..strike.y).rev().find(|&y| inked(y)) else {
        return Ok(None);
    };
    // Where the value starts when it is at most `height` tall, and whether a gap ended it.
    let cut = |height: u32| {
        let highest = bottom.saturating_sub(height);
        let mut gap = 0;
        for y in (highest..bottom).rev() {
            if inked(y) {
                gap = 0;
            } else {
                gap += 1;
                if gap > ch / 2 {
                    return (y + gap, true);
                }
            }
        }
        (highest, false)
    };
    let place = |top: u32| BBox {
        x: x0,
        y: top,
        w: x1 - x0,
        h: bottom + 1 - top,
    };
    let (short, _) = cut(ch * 4 / 5);
    if bottom + 1 - short < ch / 3 {
        return Ok(None);
    }
    let (tall, by_gap) = cut(ch * 6 / 5);
    let mut found: Vec<TextLine> = Vec::new();
    let mut cuts = vec![place(short)];
    if tall < short {
        cuts.push(place(tall));
    }
    for cut in &cuts {
        // As it is, and with a rule through it erased (which also cuts a value the rule runs
        // along the foot of: 「199,000」 then reads as 「199.990」).
        let raw = imageops::crop_imm(page, cut.x, cut.y, cut.w, cut.h).to_image();
        let unruled = without_rule_rows(&raw);
        let whole = BBox { x: 0, y: 0, ..*cut };
        for image in [&raw, &unruled] {
            for engine in [&mut *look.text, &mut *look.digits] {
                let tokens = read_cut(engine, image, &whole, PageSegMode::SingleLine, true)?;
                let tokens = tokens
                    .into_iter()
                    .map(|mut t| {
                        t.bbox.x += cut.x;
                        t.bbox.y += cut.y;
                        t
                    })
                    .collect();
                // A 訂正印 over the value's last digits reads as a letter (「260,00Q」): read as
                // 0 too, as the table look keeps a value only if the breakdown then sums.
                let Some(line) = line_of(tokens) else {
                    continue;
                };
                let zeroed = zero_lookalikes(&line);
                for line in std::iter::once(line).chain(zeroed) {
                    keep_amount(&mut found, line);
                }
            }
        }
    }
    // PP-OCRv6 within an amount's glyphs: a 訂正印's ring through the digits spoils Tesseract's
    // reading of either cut (「“820088)」 for 「82,000円」, seed 23 sub021).
    if let Some(reader) = look.witness {
        let read = reader
            .lock()
            .map_err(|_| OcrError::WorkerLost)?
            .read_boxes(page, &cuts, Script::Digits)?;
        for line in read.iter().filter_map(|l| text_line(page, l)) {
            keep_amount(&mut found, line);
        }
    }
    let whited = if by_gap { place(tall) } else { place(short) };
    Ok(Some((whited, found)))
}

/// Adds `line` to the readings `found` when it carries an amount and reads unlike each of them.
fn keep_amount(found: &mut Vec<TextLine>, line: TextLine) {
    if crate::extract::read::amount_on(&line).is_some()
        && !found.iter().any(|f| f.text() == line.text())
    {
        found.push(line);
    }
}

/// A cut-out with the rows of a faint rule running through it turned to paper, but
/// for the strokes that cross it (ink just above and below): a table's inner rule often runs
/// through the top of the corrected value written above a strike, and a line through the digits
/// reads as nothing. A rule's row is gray across nine tenths of the cut; print's rows are not.
fn without_rule_rows(cut: &GrayImage) -> GrayImage {
    let mut cut = cut.clone();
    let (w, h) = cut.dimensions();
    let ruled: Vec<bool> = (0..h)
        .map(|y| {
            (0..w).filter(|&x| cut.get_pixel(x, y).0[0] < PAPER).count() * 10 >= w as usize * 9
        })
        .collect();
    let mut y = 0;
    while y < h {
        if !ruled[y as usize] {
            y += 1;
            continue;
        }
        let top = y;
        while y < h && ruled[y as usize] {
            y += 1;
        }
        // Rows `top..y` are the rule; a stroke crosses it where there is ink on both sides.
        let inked = |x: u32, yy: Option<u32>| {
            yy.filter(|&yy| yy < h)
                .is_some_and(|yy| cut.get_pixel(x, yy).0[0] < INK)
        };
        let crossing: Vec<bool> = (0..w)
            .map(|x| inked(x, top.checked_sub(1)) && inked(x, Some(y)))
            .collect();
        for x in (0..w).filter(|&x| !crossing[x as usize]) {
            for yy in top..y {
                cut.put_pixel(x, yy, image::Luma([255]));
            }
        }
    }
    cut
}

/// The line with the letters a stamped or smudged 0 reads as (O, o, Q, D) read as 0 in its words
/// that hold digits; `None` when there are none.
fn zero_lookalikes(line: &TextLine) -> Option<TextLine> {
    let mut changed = false;
    let mut out = line.clone();
    for t in &mut out.tokens {
        if t.text.chars().any(|c| c.is_ascii_digit()) {
            let zeroed: String = t
                .text
                .chars()
                .map(|c| {
                    if matches!(c, 'O' | 'o' | 'Q' | 'D') {
                        '0'
                    } else {
                        c
                    }
                })
                .collect();
            changed |= zeroed != t.text;
            t.text = zeroed;
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::normalize::compact;

    use std::sync::Mutex;

    use crate::extract::{Extractor, Hints};
    use crate::ocr::paddle::LineReader;
    use crate::ocr::PaddleModels;
    use crate::reading::looks::table::white_out_strike;
    use crate::reading::looks::testkit::{engines, look_with, tok};

    /// Seed 23 sub021: 「・受講料 87,000円」 struck, 82,000円 written small above it, a gray 訂正印
    /// through the written value's digits (a crop of the page, the struck value whited out as the
    /// list look does). Tesseract reads no 82,000 in either cut; PP-OCRv6 within an amount's
    /// glyphs does.
    #[test]
    fn a_value_under_a_correction_seal_is_read_by_pp_ocrv6_too() {
        let path = format!(
            "{}/tests/fixtures/corrected-value-under-seal.png",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut page = image::open(path).expect("fixture").to_luma8();
        let strike = BBox {
            x: 214,
            y: 90,
            w: 143,
            h: 38,
        };
        let ch = 29;
        white_out_strike(&mut page, &strike, ch);
        let amounts = |found: &[TextLine]| -> Vec<i64> {
            found
                .iter()
                .filter_map(|l| crate::extract::read::amount_on(l).map(|a| a.0))
                .collect()
        };
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let mut look = look_with(&mut text, &mut digits, &extractor, &hints);
        let (_, by_tesseract) = value_above(&mut look, &page, &strike, ch)
            .expect("reads")
            .expect("a value above the strike");
        assert!(
            !amounts(&by_tesseract).contains(&82_000),
            "{by_tesseract:?}"
        );

        let paddle = PaddleModels::locate(None).expect("PP-OCRv6 installed (scripts/setup.sh)");
        let reader = Mutex::new(LineReader::new(&paddle).expect("recognizer"));
        look.witness = Some(&reader);
        let (_, with_paddle) = value_above(&mut look, &page, &strike, ch)
            .expect("reads")
            .expect("a value above the strike");
        assert!(amounts(&with_paddle).contains(&82_000), "{with_paddle:?}");
    }

    #[test]
    fn letters_a_stamp_makes_of_zeros_are_read_as_zeros_in_words_with_digits() {
        let read = line_of(vec![tok("受講料", 10), tok("260,00Q", 300)]).expect("words");
        let zeroed = zero_lookalikes(&read).expect("a letter to read as 0");
        assert_eq!(compact(&zeroed.text()), "受講料260,000");
        assert!(zero_lookalikes(&line_of(vec![tok("Dr", 10)]).expect("word")).is_none());
    }
}
