//! The list look: a receipt whose breakdown is a list without rules, with a value struck and the
//! right one written small just above it, that does not sum.
//!
//! Called by [`super::ReceiptLook::run`] after the table look (which reads a ruled breakdown so);
//! kept only if the breakdown then sums (after the money look on its rows, if need be).

use crate::document::BBox;
use crate::extract::layout::TextLine;
use crate::extract::PageInput;
use crate::ocr::OcrError;

use super::corrected::value_above;
use super::table::{breakdown_rows, kept_if_sums, replaced_rows, white_out, white_out_strike};
use super::{unsummed_receipt, ReceiptLook};

/// A receipt whose breakdown is a list (「・入校料 11,000円」 a row) with a struck value and the
/// right one written above it, close enough to touch the row above: the first reading takes the
/// two rows and the value between for one line (「抹料 870DE」 for 「授業料 67,000円」 and
/// 「6,300円」 over it, seed 31 sub053) or drops the column of amounts whole (seed 59 sub046). Each
/// struck value on the page is whited out; the value written above it is read alone
/// ([`value_above`]) and whited out in turn; then the rows from two print heights above that value
/// down to the strike are read alone, from the print's left edge to the strike's end, and take
/// the first reading's place. Each value read above a strike goes onto the end of its row, and the result
/// is kept only if the breakdown then sums to the total. A strike with no amount read above it
/// (a struck date, a name) is left alone. The strikes stay the page's marks, so whether their
/// 訂正印 is there is judged as before.
pub(super) fn list_look(
    look: &mut ReceiptLook<'_>,
    page: &mut PageInput,
) -> Result<bool, OcrError> {
    if page.marks.strikes.is_empty() || !unsummed_receipt(page, look.extractor, look.hints) {
        return Ok(false);
    }
    let ch = PageInput::char_height(&page.lines);
    let mut clean = look.image.clone();
    let (w, h) = clean.dimensions();
    for s in &page.marks.strikes {
        white_out_strike(&mut clean, s, ch);
    }
    let mut values: Vec<(BBox, Vec<TextLine>)> = Vec::new();
    let mut area: Option<BBox> = None;
    for s in &page.marks.strikes {
        let Some((place, found)) = value_above(look, &clean, s, ch)? else {
            continue;
        };
        if found.is_empty() {
            continue;
        }
        white_out(&mut clean, &place);
        values.push((*s, found));
        // The struck row and the rows above that the value may touch, from the print's left
        // edge (a list's label stands far left of its amount, and may not have been read) to
        // just past the strike (not into a column beside the amounts).
        let top = place.y.saturating_sub(ch * 2);
        let bottom = (s.bottom() + ch / 2).min(h);
        let left = page
            .lines
            .iter()
            .map(|l| l.bbox.x)
            .chain([s.x])
            .min()
            .unwrap_or(s.x)
            .saturating_sub(ch / 2);
        let right = (s.right() + ch).min(w);
        let here = BBox {
            x: left,
            y: top,
            w: right - left,
            h: bottom - top,
        };
        area = Some(area.map_or(here, |a| a.union(&here)));
    }
    let Some(area) = area else {
        return Ok(false);
    };
    let rows = breakdown_rows(look, &clean, &area, &[area.x, area.right()], ch)?;
    drop(clean);
    tracing::debug!(
        values = values.len(),
        rows = rows.len(),
        "list look read the rows round struck values"
    );
    if rows.is_empty() {
        return Ok(false);
    }
    let mut trial = page.clone();
    trial.lines = replaced_rows(&page.lines, rows, &area);
    kept_if_sums(look, page, trial, &values, &area, "list look")
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    use crate::document::receipt_fields as rf;
    use crate::extract::{Extractor, Hints};
    use crate::ocr::testpage;

    use crate::reading::looks::testkit::{a4, engines, look_with, read_above_the_table, read_as};

    /// As on seed 31 sub053: a list 〔明細〕 of 入校料 5,000円, 授業料 67,000円 and 教材費 16,300円
    /// struck, with 6,300円 written small just above the strike, close under 67,000円. The first
    /// reading read the list's first row alone.
    #[test]
    fn a_listed_breakdown_with_a_value_written_above_a_strike_is_read_again_round_it() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let (font, ink, mut img) = (testpage::font(), image::Luma([20]), a4());
        let rows = [
            ("・入校料", "5,000円"),
            ("・授業料", "67,000円"),
            ("・教材費", "16,300円"),
        ];
        let mut first_row = Vec::new();
        for (i, (label, amount)) in rows.iter().enumerate() {
            let y = 900.0 + 70.0 * i as f32;
            let mut spans = testpage::draw(&mut img, &font, label, 220.0, y, 36.0);
            spans.extend(testpage::draw(&mut img, &font, amount, 700.0, y, 36.0));
            if i == 0 {
                first_row = spans;
            }
        }
        let strike = BBox {
            x: 690,
            y: 1040,
            w: 190,
            h: 38,
        };
        draw_filled_rect_mut(&mut img, Rect::at(690, 1058).of_size(190, 3), ink);
        testpage::draw(&mut img, &font, "6,300円", 740.0, 1012.0, 26.0);
        let mut page = read_above_the_table(&["領収書", "山田 花子 様", "金 78,300円 也"], 40);
        page.lines
            .push(read_as(&[("・入校料", 220), ("5,000円", 700)], &first_row));
        page.marks.strikes = vec![strike];
        let before = page.clone();
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        assert!(list_look(&mut look, &mut page).expect("reads"));
        let docs = extractor.extract_with("", std::slice::from_ref(&page), &hints);
        let amounts: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
        assert_eq!(amounts, [5_000, 67_000, 6_300], "{:?}", docs[0].items);
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(78_300));
        assert_eq!(
            page.marks.strikes,
            [strike],
            "the strike is still the page's to seal"
        );

        // Without the strike there is nothing to read again round; a strike with no amount above
        // it (a struck date, say) is left alone too.
        let mut unstruck = before.clone();
        unstruck.marks.strikes.clear();
        assert!(!list_look(&mut look, &mut unstruck).expect("reads"));
        let mut elsewhere = before;
        elsewhere.marks.strikes = vec![BBox { y: 1500, ..strike }];
        assert!(!list_look(&mut look, &mut elsewhere).expect("reads"));
    }
}
