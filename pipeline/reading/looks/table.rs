//! The table look: a receipt whose breakdown is a ruled table that does not sum has the table's
//! rules erased, its struck values whited out and the values written above them read
//! ([`super::corrected`]), then each row read alone ([`table_look`]).
//!
//! Called by [`super::ReceiptLook::run`] after the money look; kept only if the breakdown then sums
//! (after the money look on its rows, if need be).

use image::GrayImage;

use crate::document::BBox;
use crate::extract::layout::{lines_from_tokens, TextLine, Token};
use crate::extract::normalize::compact;
use crate::extract::PageInput;
use crate::ocr::{OcrError, PageSegMode};

use super::corrected::value_above;
use super::money::{carries_money, combinations, money_look, MAX_TRIALS};
use super::{centred_in, unsummed_receipt, ReceiptLook};
use crate::reading::lines::{line_of, read_cut, INK, PAPER};

/// A receipt whose breakdown is set out as a ruled table and does not sum: Tesseract's layout
/// analysis drops a ruled table's rows whole at times (seed 3 sub010: 内訳, 受講料 and 合計 not read
/// at all), and a corrected cell — the right value written small above the struck one, across the
/// row's rule — reads as neither (「受講料 すす86」). The table's rules are erased
/// ([`crate::ink::erase_rules`]); strikes in it are found without needing a line to look along
/// ([`crate::ink::strikes_in`]), the struck values whited out, and the value written above each read
/// alone ([`value_above`]) and whited out in turn; then each row between two rules is read alone
/// (a block reading of the table drops a row with little in it: 「受講料」 beside a whited-out cell).
/// These lines take the place of the first reading's in the table; each value read above a strike
/// goes onto the end of its row ([`put_value`]); the strikes join the page's marks (their 訂正印 is
/// looked for as on any other correction, a gray one as a ring round the strike); and the result is
/// kept only if the breakdown then sums to the total, after the money look if need be.
pub(super) fn table_look(
    look: &mut ReceiptLook<'_>,
    page: &mut PageInput,
) -> Result<bool, OcrError> {
    let (extractor, hints) = (look.extractor, look.hints);
    if !unsummed_receipt(page, extractor, hints) {
        return Ok(false);
    }
    let mut unruled = look.image.clone();
    let (w, h) = unruled.dimensions();
    // A breakdown takes a part of the page; rules round most of it are a form's frame and boxes
    // (a pad receipt), whose lines the page reading reads better.
    let Some(table) = crate::ink::erase_rules(&mut unruled).filter(|t| t.bbox.h * 5 < h * 2) else {
        return Ok(false);
    };
    // Where a gray 訂正印 is looked for: without the rules, which a blurred scan prints gray (the
    // rules above and below a struck cell and its digits between once made a ring, seed 11 sub053).
    let rings_in = look.gray_stamps.then(|| unruled.clone());
    let ch = PageInput::char_height(&page.lines);
    let x = table.bbox.x.saturating_sub(ch / 2);
    let y = table.bbox.y.saturating_sub(ch / 2);
    let area = BBox {
        x,
        y,
        w: (table.bbox.right() + ch / 2).min(w) - x,
        h: (table.bbox.bottom() + ch / 2).min(h) - y,
    };
    // A row's rule through a value written across it (the right value above a struck one) is
    // taken for a strike on the page: a "strike" with one of the table's rules through its middle
    // is that rule, and its value is no struck one (seed 11 sub054's 6,800).
    let on_rule = |s: &BBox| {
        s.x < table.bbox.right()
            && s.right() > table.bbox.x
            && table
                .rows
                .iter()
                .any(|&r| r >= s.y + s.h / 4 && r <= s.bottom() - s.h / 4)
    };
    let mut strikes: Vec<BBox> = page
        .marks
        .strikes
        .iter()
        .filter(|s| !on_rule(s))
        .copied()
        .collect();
    strikes.extend(
        crate::ink::strikes_in(&unruled, area, ch)
            .into_iter()
            .filter(|s| !page.marks.strikes.iter().any(|p| p.overlaps(s))),
    );
    for s in &strikes {
        white_out_strike(&mut unruled, s, ch);
    }
    // The value written above each strike in the table, read alone by either engine; then whited
    // out, so the row above, which it may touch, reads alone too.
    let mut values: Vec<(BBox, Vec<TextLine>)> = Vec::new();
    for s in strikes.iter().filter(|s| centred_in(s, &area)) {
        let Some((place, found)) = value_above(look, &unruled, s, ch)? else {
            continue;
        };
        white_out(&mut unruled, &place);
        if !found.is_empty() {
            values.push((*s, found));
        }
    }
    erase_faint_rules(&mut unruled, &area, ch * 6);
    let mut edges = vec![area.x];
    edges.extend(
        table
            .cols
            .iter()
            .filter(|&&x| x > area.x + ch && x + ch < area.right()),
    );
    edges.push(area.right());
    let rows = breakdown_rows(look, &unruled, &area, &edges, ch)?;
    drop(unruled);
    let mut trial = page.clone();
    trial.lines = replaced_rows(&page.lines, rows, &area);
    // The strikes found here have their 訂正印 looked for as the page's were.
    if let Some(image) = &rings_in {
        let new: Vec<BBox> = strikes
            .iter()
            .filter(|s| !page.marks.strikes.contains(s))
            .copied()
            .collect();
        crate::ink::add_rings_over(&mut trial.marks, &new, image, ch);
    }
    trial.marks.strikes = strikes;
    kept_if_sums(look, page, trial, &values, &area, "table look")
}

/// The breakdown's rows in `area` of `clean` (rules, strikes and the values above them whited
/// out), each band of print read alone: the lines that carry money or a label the extractor knows
/// (not the 但し line). `edges` are the column rules' x, with the area's ends.
///
/// Each row alone; a row that gives no amount so, cell by cell between the column rules: a
/// label alone in its cell reads, but not beside the remains of a whited-out value in the
/// next. 「受講料」 alone reads as nothing or a jumble as one line (`--psm 7`), but reads taken
/// as it is (`--psm 13`) and cut close: a cell that gives neither a label nor an amount is
/// read so again.
pub(super) fn breakdown_rows(
    look: &mut ReceiptLook<'_>,
    clean: &GrayImage,
    area: &BBox,
    edges: &[u32],
    ch: u32,
) -> Result<Vec<TextLine>, OcrError> {
    let extractor = look.extractor;
    let mut cells = Vec::new();
    for band in text_rows(clean, area, ch) {
        // A band of more than a row is text set closer than a table's rows (the 但し line and
        // the framed total the table's box may take in).
        let mode = if band.h > ch * 2 {
            PageSegMode::SingleBlock
        } else {
            PageSegMode::SingleLine
        };
        let mut tokens = read_cut(look.text, clean, &band, mode, false)?;
        let priced = |tokens: &[Token]| {
            line_of(tokens.to_vec()).is_some_and(|l| crate::extract::read::amount_on(&l).is_some())
        };
        let useful = |tokens: &[Token]| {
            priced(tokens)
                || line_of(tokens.to_vec()).is_some_and(|l| extractor.knows_label(&l.text()))
        };
        if mode == PageSegMode::SingleLine && !priced(&tokens) && edges.len() > 2 {
            let mut by_cell = Vec::new();
            for pair in edges.windows(2) {
                let cell = BBox {
                    x: pair[0],
                    w: pair[1] - pair[0],
                    ..band
                };
                let mut read = read_cut(look.text, clean, &cell, mode, false)?;
                if let Some(ink) = inked_box(clean, &cell).filter(|_| !useful(&read)) {
                    let raw = read_cut(look.text, clean, &ink, PageSegMode::RawLine, false)?;
                    if useful(&raw) {
                        read = raw;
                    }
                }
                by_cell.extend(read);
            }
            if !by_cell.is_empty() {
                tokens = by_cell;
            }
        }
        cells.extend(lines_from_tokens(tokens));
    }
    // Only the breakdown's rows are taken: the box round the rules can take in the lines above
    // (a framed total, the name and date beside it), which their first reading reads better.
    Ok(cells
        .into_iter()
        .filter(|l| {
            (carries_money(l) || extractor.knows_label(&l.text()))
                && !compact(&l.text()).starts_with('但')
        })
        .collect())
}

/// The page's `lines` with those `rows` read again take the place of: each line in `area` whose
/// middle lies in a row's height. A line the rows replace keeps what it read beyond the area: the
/// issuer's name beside the breakdown is often read into the header's line (「額 | 学校法人星野」).
pub(super) fn replaced_rows(lines: &[TextLine], rows: Vec<TextLine>, area: &BBox) -> Vec<TextLine> {
    let mut kept: Vec<TextLine> = lines
        .iter()
        .filter_map(|l| {
            let mid = l.bbox.y + l.bbox.h / 2;
            let replaced = l.bbox.x < area.right()
                && rows
                    .iter()
                    .any(|r| mid >= r.bbox.y && mid < r.bbox.bottom());
            if !replaced {
                return Some(l.clone());
            }
            line_of(
                l.tokens
                    .iter()
                    .filter(|t| t.bbox.x >= area.right())
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    kept.extend(rows);
    kept
}

/// Keeps `trial` (the page with its breakdown's rows read again) as `page` if its breakdown sums to
/// the total with the first reading of the values written above its strikes, or with none, or any
/// other of their readings (the fewest changes first); failing that, after the money look on its
/// rows. Returns whether `page` was changed. `what` names the look in the log.
pub(super) fn kept_if_sums(
    look: &mut ReceiptLook<'_>,
    page: &mut PageInput,
    trial: PageInput,
    values: &[(BBox, Vec<TextLine>)],
    area: &BBox,
    what: &str,
) -> Result<bool, OcrError> {
    let (extractor, hints) = (look.extractor, look.hints);
    let options: Vec<usize> = values.iter().map(|(_, found)| found.len()).collect();
    let mut tries = vec![trial.clone()];
    for pick in combinations(&options).into_iter().take(MAX_TRIALS) {
        let mut t = trial.clone();
        for ((strike, found), &p) in values.iter().zip(&pick) {
            if p > 0 {
                put_value(&mut t.lines, area, strike, &found[p - 1]);
            }
        }
        tries.push(t);
    }
    for t in &mut tries {
        t.lines.sort_by_key(|l| (l.bbox.y, l.bbox.x));
        if !unsummed_receipt(t, extractor, hints) {
            tracing::debug!(look = what, "the breakdown read again sums");
            *page = t.clone();
            return Ok(true);
        }
    }
    let mut trial = tries.swap_remove(0);
    if money_look(look, &mut trial)? {
        tracing::debug!(
            look = what,
            "the breakdown read again sums after the money look"
        );
        *page = trial;
        return Ok(true);
    }
    Ok(false)
}

/// Puts the value read above `strike` into the breakdown: onto the end of the row the strike is in
/// when that row was read with a label and no amount (the value is written above the row's middle,
/// so as a line of its own it would have no label), else as a line of its own where it was read.
fn put_value(lines: &mut Vec<TextLine>, area: &BBox, strike: &BBox, value: &TextLine) {
    // The row is the line in the table that shares most height with the strike.
    let shared = |l: &TextLine| {
        l.bbox
            .bottom()
            .min(strike.bottom())
            .saturating_sub(l.bbox.y.max(strike.y))
    };
    let row = (0..lines.len())
        .filter(|&i| lines[i].bbox.x < area.right() && shared(&lines[i]) > 0)
        .max_by_key(|&i| shared(&lines[i]))
        .filter(|&i| crate::extract::read::amount_on(&lines[i]).is_none());
    let joined = row.and_then(|i| {
        let mut tokens = lines[i].tokens.clone();
        tokens.extend(value.tokens.iter().cloned());
        Some((i, line_of(tokens)?))
    });
    match joined {
        Some((i, line)) => lines[i] = line,
        None => lines.push(value.clone()),
    }
}

/// The box of the ink (darker than [`INK`]) in `area` of `page`, if any.
fn inked_box(page: &GrayImage, area: &BBox) -> Option<BBox> {
    let (w, h) = page.dimensions();
    let mut found: Option<BBox> = None;
    for y in area.y..area.bottom().min(h) {
        for x in area.x..area.right().min(w) {
            if page.get_pixel(x, y).0[0] < INK {
                let dot = BBox { x, y, w: 1, h: 1 };
                found = Some(found.map_or(dot, |b| b.union(&dot)));
            }
        }
    }
    found
}

/// Turns a struck value on `page` to paper, with the ends of its glyphs the stroke does not
/// reach (half the print's height `ch` either side).
pub(super) fn white_out_strike(page: &mut GrayImage, strike: &BBox, ch: u32) {
    let x = strike.x.saturating_sub(ch / 2);
    let right = (strike.right() + ch / 2).min(page.width());
    white_out(
        page,
        &BBox {
            x,
            w: right.saturating_sub(x),
            ..*strike
        },
    );
}

/// Turns `place` on `page` to paper.
pub(super) fn white_out(page: &mut GrayImage, place: &BBox) {
    let (w, h) = page.dimensions();
    for y in place.y..place.bottom().min(h) {
        for x in place.x..place.right().min(w) {
            page.put_pixel(x, y, image::Luma([255]));
        }
    }
}

/// Turns to paper every horizontal run of gray in `area` at least `long` pixels long (a pixel of
/// slant either way allowed), with the gray just above and below it: a table's thin inner rules,
/// too light for the rule finder ([`crate::ink::erase_rules`]) but dark enough to make a row read
/// alone come out empty. Print has no stroke that long.
fn erase_faint_rules(page: &mut GrayImage, area: &BBox, long: u32) {
    let (w, h) = page.dimensions();
    let (x1, y1) = (area.right().min(w), area.bottom().min(h));
    let gray = |page: &GrayImage, x: u32, y: u32| page.get_pixel(x, y).0[0] < PAPER;
    let mut pixels = Vec::new();
    for y in area.y.max(1)..y1.min(h - 1) {
        let mut x = area.x;
        while x < x1 {
            if !gray(page, x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < x1 && (y - 1..=y + 1).any(|yy| gray(page, x, yy)) {
                x += 1;
            }
            if x - start >= long {
                for xx in start..x {
                    pixels.extend((y - 1..=y + 1).map(|yy| (xx, yy)));
                }
            }
        }
    }
    for (x, y) in pixels {
        page.put_pixel(x, y, image::Luma([255]));
    }
}

/// The rows of print in `area` (rules erased): runs of rows with ink, a gap of a quarter of the
/// print's height `ch` or less bridged, each widened by a quarter of `ch` into the paper round it.
pub(super) fn text_rows(page: &GrayImage, area: &BBox, ch: u32) -> Vec<BBox> {
    let (w, h) = page.dimensions();
    let (x1, y1) = (area.right().min(w), area.bottom().min(h));
    let inked = |y: u32| {
        (area.x..x1)
            .filter(|&x| page.get_pixel(x, y).0[0] < INK)
            .count()
            >= 2
    };
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for y in area.y..y1 {
        if !inked(y) {
            continue;
        }
        match runs.last_mut() {
            Some(last) if y <= last.1 + ch / 4 => last.1 = y + 1,
            _ => runs.push((y, y + 1)),
        }
    }
    runs.into_iter()
        .filter(|(top, bottom)| bottom - top >= ch / 3)
        .map(|(top, bottom)| {
            let top = top.saturating_sub(ch / 4).max(area.y);
            BBox {
                x: area.x,
                y: top,
                w: x1 - area.x,
                h: (bottom + ch / 4).min(y1) - top,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_circle_mut};
    use imageproc::rect::Rect;

    use crate::document::{receipt_fields as rf, Document};
    use crate::extract::{Extractor, Hints};
    use crate::ocr::testpage;

    use crate::reading::looks::testkit::{a4, engines, look_with, read_above_the_table};

    /// The table look on `page` (which must change it), and what is then extracted.
    fn table_read(look: &mut ReceiptLook<'_>, page: &mut PageInput) -> Vec<Document> {
        assert!(table_look(look, page).expect("reads"));
        look.extractor
            .extract_with("", std::slice::from_ref(page), look.hints)
    }

    #[test]
    fn a_ruled_breakdown_with_a_corrected_cell_is_read_again_row_by_row() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let (font, ink, mut img) = (testpage::font(), image::Luma([20]), a4());
        // 内訳 | 金額, 入学料 30,000, 受講料 90,000 struck with 80,000 written above it across the
        // row's rule, 合計 110,000: four rows of 80 px, a column rule at x = 800.
        for y in [800, 880, 960, 1040, 1120] {
            draw_filled_rect_mut(&mut img, Rect::at(150, y).of_size(1100, 2), ink);
        }
        for x in [150, 800, 1247] {
            draw_filled_rect_mut(&mut img, Rect::at(x, 800).of_size(3, 323), ink);
        }
        let rows = [
            ("内訳", "金額（円）"),
            ("入学金", "30,000"),
            ("授業料", "90,000"),
            ("合計", "110,000"),
        ];
        for (i, (label, amount)) in rows.iter().enumerate() {
            let y = 820.0 + 80.0 * i as f32;
            testpage::draw(&mut img, &font, label, 180.0, y, 36.0);
            testpage::draw(&mut img, &font, amount, 1000.0, y, 36.0);
        }
        draw_filled_rect_mut(&mut img, Rect::at(995, 996).of_size(125, 3), ink);
        testpage::draw(&mut img, &font, "80,000", 1010.0, 940.0, 32.0);
        // The page reading read the lines above the table and none of its rows.
        let mut page = read_above_the_table(&["領収書", "山田 花子 様", "金 110,000円 也"], 40);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        let docs = table_read(&mut look, &mut page);
        let amounts: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
        assert_eq!(amounts, [30_000, 80_000], "{:?}", docs[0].items);
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(110_000));
        assert_eq!(
            page.marks.strikes.len(),
            1,
            "the strike is the page's to seal"
        );

        // A page whose rules are a frame round it, no breakdown: nothing is read again.
        let mut framed = a4();
        for y in [50, 2280] {
            draw_filled_rect_mut(&mut framed, Rect::at(50, y).of_size(1550, 3), ink);
        }
        for x in [50, 1597] {
            draw_filled_rect_mut(&mut framed, Rect::at(x, 50).of_size(3, 2233), ink);
        }
        look.image = &framed;
        page.lines.retain(|l| l.bbox.y < 800);
        let unread = page.lines.clone();
        assert!(!table_look(&mut look, &mut page).expect("reads"));
        assert_eq!(page.lines, unread);
    }

    #[test]
    fn a_full_size_value_above_a_strike_under_a_faint_rule_is_put_in_its_row_with_its_stamp() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let (font, ink, mut img) = (testpage::font(), image::Luma([20]), a4());
        // As on seed 21 sub053: 入学料 5,000; 受講料 265,000 struck, 260,000 written full size
        // above it with the light inner rule through its top, and a gray 訂正印 on the strike.
        for y in [800, 880, 1040, 1120] {
            draw_filled_rect_mut(&mut img, Rect::at(150, y).of_size(1100, 2), ink);
        }
        draw_filled_rect_mut(
            &mut img,
            Rect::at(150, 960).of_size(1100, 1),
            image::Luma([140]),
        );
        for x in [150, 800, 1247] {
            draw_filled_rect_mut(&mut img, Rect::at(x, 800).of_size(3, 323), ink);
        }
        for (i, (label, amount)) in [("内訳", "金額（円）"), ("入学料", "5,000")]
            .iter()
            .enumerate()
        {
            let y = 820.0 + 80.0 * i as f32;
            testpage::draw(&mut img, &font, label, 180.0, y, 36.0);
            testpage::draw(&mut img, &font, amount, 1000.0, y, 36.0);
        }
        testpage::draw(&mut img, &font, "受講料", 180.0, 985.0, 36.0);
        testpage::draw(&mut img, &font, "合計", 180.0, 1060.0, 36.0);
        testpage::draw(&mut img, &font, "265,000", 1000.0, 1060.0, 36.0);
        testpage::draw(&mut img, &font, "260,000", 1000.0, 948.0, 36.0);
        testpage::draw(&mut img, &font, "265,000", 1000.0, 1000.0, 36.0);
        draw_filled_rect_mut(&mut img, Rect::at(995, 1018).of_size(145, 3), ink);
        // Stamp ink darkens what it is set on, never lightens it.
        let mut stamp = a4();
        for r in 21..25 {
            draw_hollow_circle_mut(&mut stamp, (1110, 1012), r, image::Luma([160]));
        }
        for (p, s) in img.pixels_mut().zip(stamp.pixels()) {
            p.0[0] = p.0[0].min(s.0[0]);
        }
        // Read as tall as the print (the 訂正印 is looked for at the print's size).
        let mut page = read_above_the_table(&["領収書", "山田 花子 様", "金 265,000円 也"], 32);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        let docs = table_read(&mut look, &mut page);
        use crate::document::ItemCategory;
        let items: Vec<(ItemCategory, i64)> = docs[0]
            .items
            .iter()
            .map(|i| (i.category, i.amount))
            .collect();
        assert_eq!(
            items,
            [
                (ItemCategory::Admission, 5_000),
                (ItemCategory::Tuition, 260_000)
            ],
            "{:?}",
            docs[0].items
        );
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(265_000));
        let strike = page.marks.strikes[0];
        // Found from its outline alone, its ink far lighter than the print's: a gray 訂正印.
        assert!(
            page.marks
                .seals
                .iter()
                .any(|s| s.ring && s.bbox.overlaps(&strike)),
            "the 訂正印 on the strike is seen: {:?}",
            page.marks
        );
    }
}
