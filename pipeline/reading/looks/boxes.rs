//! The box look: a receipt whose breakdown does not sum and is printed in a ruled box has each box
//! read alone as a block ([`box_look`]).
//!
//! Called by [`super::ReceiptLook::run`] after the table look; whether the page then sums is the
//! extractor's answer, and the money look ([`super::money`]) may still try its lines.

use image::imageops;

use crate::extract::layout::{lines_from_tokens, TextLine};
use crate::extract::PageInput;
use crate::ocr::{OcrError, PageSegMode};

use super::money::{carries_money, money_look};
use super::{centred_in, unsummed_receipt, ReceiptLook};
use crate::reading::lines::{line_of, tokens_on_page};

/// A receipt whose breakdown does not sum and is printed in a ruled box (「内訳」 and its rows, no
/// column rule; seed 11 sub018: the box's three rows read as 「人*を 了」 and 「間 の 630.000 円」):
/// each box on the page ([`crate::ink::boxes`]) is read alone as a block, which reads its rows clean.
/// Its rows that carry money or a known label take the place of the lines read inside the box (a
/// line reaching out of it keeps what is outside), and the result is kept only if the breakdown
/// then sums to the total, after the money look if need be.
pub(super) fn box_look(look: &mut ReceiptLook<'_>, page: &mut PageInput) -> Result<bool, OcrError> {
    let (extractor, hints) = (look.extractor, look.hints);
    if !unsummed_receipt(page, extractor, hints) {
        return Ok(false);
    }
    for place in crate::ink::boxes(look.image) {
        let cut = imageops::crop_imm(look.image, place.x, place.y, place.w, place.h).to_image();
        let read = look.text.recognize_as(&cut, PageSegMode::SingleBlock)?;
        let rows: Vec<TextLine> =
            lines_from_tokens(tokens_on_page(read.words, place.x, place.y, 1.0))
                .into_iter()
                .filter(|l| carries_money(l) || extractor.knows_label(&l.text()))
                .collect();
        if rows.is_empty() {
            continue;
        }
        let mut trial = page.clone();
        trial.lines = page
            .lines
            .iter()
            .filter_map(|l| {
                line_of(
                    l.tokens
                        .iter()
                        .filter(|t| !centred_in(&t.bbox, &place))
                        .cloned()
                        .collect(),
                )
            })
            .collect();
        trial.lines.extend(rows);
        trial.lines.sort_by_key(|l| (l.bbox.y, l.bbox.x));
        if !unsummed_receipt(&trial, extractor, hints) || money_look(look, &mut trial)? {
            tracing::debug!("box look made the breakdown sum");
            *page = trial;
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    use crate::document::receipt_fields as rf;
    use crate::extract::{Extractor, Hints};
    use crate::ocr::testpage;

    use crate::reading::looks::testkit::{a4, engines, look_with, read_above_the_table};

    #[test]
    fn a_breakdown_in_a_ruled_box_is_read_alone_and_a_box_without_one_changes_nothing() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let (font, ink, mut img) = (testpage::font(), image::Luma([20]), a4());
        // As on seed 11 sub018: 内訳 and two rows in a box, no column rule.
        for (x, y, w, h) in [(150, 1400, 800, 3), (150, 1640, 800, 3)] {
            draw_filled_rect_mut(&mut img, Rect::at(x, y).of_size(w, h), ink);
        }
        for (x, y, w, h) in [(150, 1400, 3, 243), (947, 1400, 3, 243)] {
            draw_filled_rect_mut(&mut img, Rect::at(x, y).of_size(w, h), ink);
        }
        for (i, (label, amount)) in [
            ("内訳", ""),
            ("入学金", "200,000円"),
            ("授業料", "630,000円"),
        ]
        .iter()
        .enumerate()
        {
            let y = 1420.0 + 70.0 * i as f32;
            testpage::draw(&mut img, &font, label, 180.0, y, 36.0);
            testpage::draw(&mut img, &font, amount, 650.0, y, 36.0);
        }
        let mut page = read_above_the_table(&["領収書", "山田 花子 様", "金 830,000円 也"], 36);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        assert!(box_look(&mut look, &mut page).expect("reads"));
        let docs = extractor.extract_with("", std::slice::from_ref(&page), &hints);
        let amounts: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
        assert_eq!(amounts, [200_000, 630_000], "{:?}", docs[0].items);
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(830_000));

        // A total that the box's rows do not make: the page is left as it was.
        let mut unsummed = read_above_the_table(&["領収書", "山田 花子 様", "金 930,000円 也"], 36);
        let before = unsummed.lines.clone();
        assert!(!box_look(&mut look, &mut unsummed).expect("reads"));
        assert_eq!(unsummed.lines, before);
    }
}
