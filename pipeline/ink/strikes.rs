//! Strike-throughs (訂正): a thin horizontal stroke several characters long that passes *through*
//! text (ink right above and below it), which is what tells it from a table rule or an underline
//! (white space above and below), and which runs through several glyphs, not along one. Sizes are
//! measured in the print's own character height and the crossed glyphs' own height. Does not
//! judge whether a strike is sealed; `extract` does, from the [`Marks`](crate::extract::marks::Marks)
//! it is given. Called by the reading of a page (`reading/page.rs`, `reading/looks/`).

use image::GrayImage;

use crate::document::BBox;
use crate::extract::layout::TextLine;

/// The smallest print a strike is looked for through, in pixels: the small print on a receipt (a
/// 収入印紙 box's label) is 12 px high and more at 150 dpi.
const MIN_PRINT_HEIGHT: u32 = 10;

/// The share (%) of a strike's length where it must be thin (its dark reaching less than 0.6 of a
/// character up and down): between the glyphs it crosses, a pen's line is its own width. Through
/// digits (「¥16,500」) half or more of it is; through close-set kanji a third.
const THIN_SHARE: u32 = 20;

/// The share (%) of a strike's length with ink both above and below it (the glyphs it crosses):
/// much of a strike runs between glyphs, over paper.
const THROUGH_SHARE: u32 = 15;

/// Finds strike-throughs on the recognised lines: a thin horizontal stroke at least two characters
/// long across the middle band of a line (a line's own character height is the scale, so a large
/// title's long strokes are not strikes), and twice as long as the strokes it crosses are tall (so a
/// long stroke of one large glyph read into a line of small print is not one either:
/// [`crossed_height`]),
/// with ink just above and below along much of it (text, not a table rule or an underline, which
/// lie above or below the text).
pub fn find_strikes(gray: &GrayImage, lines: &[TextLine]) -> Vec<BBox> {
    strikes_along(gray, lines, Unread::None)
}

/// [`find_strikes`] on a scan: along the recognised lines, and along the rows of print no line was
/// read on. A struck line is often not read at all (seed 83 sub047: 「修了日 令和7年7月21日」
/// struck, no 訂正印 — lost whole, and paid). Not on a photo: its sheet's edges against the
/// background are such rows, dark along all of them (seed 83: six photos sent to review so).
pub fn find_strikes_on_scan(gray: &GrayImage, lines: &[TextLine]) -> Vec<BBox> {
    strikes_along(gray, lines, Unread::All)
}

/// [`find_strikes`] on a phone photo: along the recognised lines, and along the rows of print no
/// line was read on that lie between lines read well (a score of [`INSIDE_SCORE`] or more) — inside
/// the sheet's print, where its edges against the desk are not. Seed 83 sub047, photographed:
/// 「修了日 令和7年7月21日」 struck with no 訂正印, the corrected date written above, the struck row
/// not read — paid as if uncorrected.
pub fn find_strikes_on_photo(gray: &GrayImage, lines: &[TextLine]) -> Vec<BBox> {
    strikes_along(gray, lines, Unread::BetweenLines)
}

/// A line read with at least this mean score bounds the print a photo's unread rows are looked
/// for inside ([`find_strikes_on_photo`]): a sheet's edge or the desk read as noise scores lower.
const INSIDE_SCORE: f32 = 0.6;

/// Which rows of print no line was read on [`strikes_along`] looks along too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unread {
    None,
    All,
    BetweenLines,
}

fn strikes_along(gray: &GrayImage, lines: &[TextLine], with_unread: Unread) -> Vec<BBox> {
    let w = gray.width();
    // Each line's print: the rows its ink takes, and its height — no taller than those rows (a
    // word's box reaching below its print).
    let page_h = {
        let mut hs: Vec<u32> = lines.iter().map(|l| l.char_height()).collect();
        hs.sort_unstable();
        hs.get(hs.len() / 2).copied().unwrap_or(30)
    };
    let unread = match with_unread {
        Unread::None => Vec::new(),
        Unread::All => unread_rows(gray, lines, page_h),
        Unread::BetweenLines => {
            let well: Vec<&TextLine> = lines
                .iter()
                .filter(|l| l.confidence_of(0, l.tokens.len()) >= INSIDE_SCORE)
                .collect();
            let top = well.iter().map(|l| l.bbox.y).min().unwrap_or(0);
            let bottom = well.iter().map(|l| l.bbox.bottom()).max().unwrap_or(0);
            unread_rows(gray, lines, page_h)
                .into_iter()
                .filter(|u| u.bbox.y > top && u.bbox.bottom() < bottom)
                .collect()
        }
    };
    let lines: Vec<&TextLine> = lines.iter().chain(&unread).collect();
    let left_edge = lines.iter().map(|l| l.bbox.x).min().unwrap_or(0);
    let prints: Vec<(u32, u32, u32)> = lines
        .iter()
        .map(|l| {
            let (top, height) = inked_rows(gray, &l.bbox);
            (top, height, print_height(l, page_h).min(height.max(1)))
        })
        .collect();
    // Titles and large print are not where corrections are made. A title's strokes lie on its
    // print's rows, not all down its box: a line read as one with the value written small under it
    // (「授業料 67,000円」 and 「6,300円」 above a struck 「16,300円」, one box 131 px high, seed 31
    // sub053) is "large print" whose box reaches down over the strike below.
    let title = |i: usize| prints[i].2 * 2 > page_h * 3;
    let titles: Vec<BBox> = (0..lines.len())
        .filter(|&i| title(i))
        .map(|i| BBox {
            y: prints[i].0,
            h: prints[i].1,
            ..lines[i].bbox
        })
        .collect();
    let mut runs: Vec<BBox> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        // Nor are "lines" a few pixels high: a rule's end read as a word (「還」 3 px high at the
        // end of each row rule of a ruled certificate), whose own rows would pass for a stroke
        // with ink beside it.
        if title(i) || line.char_height() < MIN_PRINT_HEIGHT {
            continue;
        }
        // Nor is a "line" of one small glyph piece of a large glyph: the rest of the glyph's
        // ink runs on above or below its box (seed 97 sub050: the 日 of a title's 書 read as
        // 「!」 20 px high, the rest of 「修 了 証 書」 not read at first, and the bars of 日 a
        // 'strike' — a wrong 補正依頼).
        if glyph_piece(gray, line, prints[i].2, page_h) {
            continue;
        }
        // Nor is a "line" read as uprights alone (「II」, 「|」): a frame's or a rule's strokes read
        // as letters, not print (seed 73 sub041, a photographed certificate: its frame's corner
        // read 「II」, and the frame's double bottom border below it a 'strike' — a certificate
        // with no correction sent to review).
        if uprights_only(line) {
            continue;
        }
        // Nor is a "line" against the image's top or bottom edge: the edge cuts its rows, so
        // their middle is not the print's — print cut off, or noise read as words in the dark
        // round a photographed sheet, whose rows the deskew's white wedge leaves dark up to a
        // slanted edge (seed 31 sub008: 「eo」 at the top, 「ss」 at the bottom, and the margin
        // along each a 'strike' that sent the receipt to review).
        if line.bbox.y == 0 || line.bbox.bottom() >= gray.height() {
            continue;
        }
        // Nor is a "line" read along a photographed sheet's edge: the deskew whitens the desk but
        // leaves the edge's shading, a band that darkens steadily down to the edge (seed 71
        // sub039: 「II」 read there, the band's darkest rows a 'strike' — a receipt with no
        // correction sent to review).
        if shaded_edge_above(gray, &line.bbox, prints[i].0, page_h) {
            continue;
        }
        // A line far smaller than the page's print is mostly glyph pieces read as words (「ヽ 主
        // 二 ミ」 14 px high for 「遠藤 誠一」 beside a seal), and at their scale the 艹 of 藤
        // — a stroke across two short uprights — is a strike (seed 17 sub021, a wrong 補正依頼).
        // Small print is looked at no smaller than two thirds of the page's.
        let (top, height, own) = prints[i];
        let ch = own.max(page_h * 2 / 3);
        let print = height.min(ch * 2);
        let band = (top + print * 3 / 10)..(top + (print * 7).div_ceil(10));
        // On to the right edge: the struck words themselves are often not read at all (the
        // 「11,700円」 under a strike, right of 「教科書代」), so the line's own box is too short.
        // And back to the left as far as the nearest line read on these rows, or the print's left
        // edge: the struck value may lie unread left of a word read after it (seed 97 sub021, a
        // photo: 「合 計 ¥131,000-」 struck in a framed total box, only 「(税込)」 read on its row —
        // paid as uncorrected).
        let from = lines
            .iter()
            .filter(|o| o.bbox.right() <= line.bbox.x)
            .filter(|o| o.bbox.y < band.end && band.start < o.bbox.bottom())
            .map(|o| o.bbox.right())
            .max()
            .unwrap_or(left_edge);
        let across = from.min(line.bbox.x.saturating_sub(ch))..w;
        let before = runs.len();
        strike_runs(gray, band, across, ch, &titles, &mut runs);
        // Nor is a stroke inside one word of one glyph, about as wide as it is tall: a strike
        // crosses several. A title read as glyph pieces beside small print (「庄」 for 書 in a
        // line 「庄 No. 009953」, seed 53 sub049; 「は」, seed 59 sub042) has its glyphs' long bars
        // in that print's middle band — two wrong 補正依頼 for unsealed corrections.
        let in_one_glyph = |r: &BBox| {
            line.tokens.iter().any(|t| {
                let b = t.bbox;
                t.text.chars().count() == 1
                    && b.w <= b.h * 2
                    && b.x <= r.x + ch / 4
                    && r.right() <= b.right() + ch / 4
            })
        };
        let found = runs.split_off(before);
        runs.extend(found.into_iter().filter(|r| !in_one_glyph(r)));
    }
    merge_strikes(runs, page_h)
}

/// Whether the rows above print that starts at row `top` across `bbox` (print `ch` high) darken
/// steadily down to it, over a hundred levels in a character's height: the shading along a
/// photographed sheet's edge, where paper above print stays light. Row means across the box, so
/// glyphs' blur between their strokes does not count.
fn shaded_edge_above(gray: &GrayImage, bbox: &BBox, top: u32, ch: u32) -> bool {
    let Some(from) = top.checked_sub(ch) else {
        return false;
    };
    let xs = bbox.x..bbox.right().min(gray.width());
    if xs.is_empty() {
        return false;
    }
    let mean = |y: u32| {
        let sum: u32 = xs
            .clone()
            .map(|x| u32::from(gray.get_pixel(x, y).0[0]))
            .sum();
        sum / xs.len() as u32
    };
    let means: Vec<u32> = (from..top).map(mean).collect();
    let steady = means.windows(2).all(|w| w[1] <= w[0] + 3);
    let drop = means[0].saturating_sub(*means.last().unwrap_or(&means[0]));
    steady && drop >= 100
}

/// Letters a recogniser reads a rule's or a frame's upright strokes as.
const UPRIGHTS: &str = "Il|!｜ǀ";

/// Whether `line` reads as [`UPRIGHTS`] and nothing else: ruling, not print. (Digits and 一 are not
/// among them: 「11」 or 「一」 may be a struck value.)
fn uprights_only(line: &TextLine) -> bool {
    let mut read = line
        .tokens
        .iter()
        .flat_map(|t| t.text.chars())
        .filter(|c| !c.is_whitespace())
        .peekable();
    // A row of print no line was read on is a line of no letters: looked along.
    read.peek().is_some() && read.all(|c| UPRIGHTS.contains(c))
}

/// Whether `line` is a single small glyph read on its own, `own` high in print `page_h` high, whose
/// ink runs on above or below it, all but unbroken, to more than twice its height: a piece of a
/// large glyph.
fn glyph_piece(gray: &GrayImage, line: &TextLine, own: u32, page_h: u32) -> bool {
    let [word] = line.tokens.as_slice() else {
        return false;
    };
    if word.text.chars().count() != 1 || own * 4 >= page_h * 3 {
        return false;
    }
    let b = line.bbox;
    let rows = b.y.saturating_sub(page_h * 2)..(b.bottom() + page_h * 2).min(gray.height());
    let xs = b.x..b.right().min(gray.width());
    // A glyph's bars lie a sixth of the print apart or closer (the 日 of 書 three rows below
    // the bar above it); lines of print lie further apart.
    let mut glyph: Vec<(u32, u32)> = Vec::new();
    for (top, bottom) in row_blocks(gray, xs, rows, 2) {
        match glyph.last_mut() {
            Some(last) if top <= last.1 + 1 + page_h / 6 => last.1 = bottom,
            _ => glyph.push((top, bottom)),
        }
    }
    glyph
        .into_iter()
        .find(|&(top, bottom)| top < b.bottom() && b.y <= bottom)
        .is_some_and(|(top, bottom)| bottom + 1 - top > own * 2)
}

/// Rows of print on `gray` that none of `lines` was read on, each as a line of one unread word
/// over its ink: runs of rows with dark ink across the lines' columns (a gap of two rows or less
/// inside one), half the page's print `page_h` to twice it high, that no line takes a third of.
fn unread_rows(gray: &GrayImage, lines: &[TextLine], page_h: u32) -> Vec<TextLine> {
    let (w, h) = gray.dimensions();
    let (Some(x0), Some(x1)) = (
        lines.iter().map(|l| l.bbox.x).min(),
        lines.iter().map(|l| l.bbox.right().min(w)).max(),
    ) else {
        return Vec::new();
    };
    let dark = |x: u32, y: u32| gray.get_pixel(x, y).0[0] < 110;
    row_blocks(gray, x0..x1, 0..h, 2)
        .into_iter()
        .filter_map(|(top, bottom)| {
            let tall = bottom + 1 - top;
            if tall * 2 < page_h || tall > page_h * 2 || top == 0 || bottom + 1 >= h {
                return None;
            }
            let taken = lines.iter().any(|l| {
                let shared = (bottom + 1)
                    .min(l.bbox.bottom())
                    .saturating_sub(top.max(l.bbox.y));
                shared * 3 >= tall
            });
            if taken {
                return None;
            }
            let cols: Vec<u32> = (x0..x1)
                .filter(|&x| (top..=bottom).any(|y| dark(x, y)))
                .collect();
            let (&left, &right) = (cols.first()?, cols.last()?);
            let word = crate::extract::layout::Token {
                text: String::new(),
                confidence: 0.0,
                agreed: false,
                bbox: BBox {
                    x: left,
                    y: top,
                    w: right + 1 - left,
                    h: tall,
                },
            };
            Some(TextLine::from_tokens(vec![word]))
        })
        .collect()
}

/// The rows of `bbox` its print takes, as (top, height): the rows with dark ink on a fiftieth of
/// the box's width or more (a glyph's strokes cross each row of it; the box itself when none has).
/// A word's box may reach far below its print (「信秀F人月和垢:」 43 px high for a struck date 22 px
/// high, seed 19 sub056), and the middle of the box then misses the strike through the middle of
/// the print. It may sit above its print too: a struck total read as one line with the corrected
/// value written above it, the box halfway between (seed 31 sub007: 「¥100,000」 on rows 532–565,
/// its line's box on 521–552, and both strokes of its double strike below the middle band — an
/// unsealed correction paid). So the print is the block of inked rows, unbroken but for a row or
/// two, that overlaps the box most, followed past the box's edges by half its height at most.
fn inked_rows(gray: &GrayImage, bbox: &BBox) -> (u32, u32) {
    let (w, h) = gray.dimensions();
    let reach = bbox.h / 2;
    let (from, to) = (bbox.y.saturating_sub(reach), (bbox.bottom() + reach).min(h));
    let blocks = row_blocks(
        gray,
        bbox.x..bbox.right().min(w),
        from..to,
        (bbox.w / 50).max(2),
    );
    let overlap = |&(a, b): &(u32, u32)| (b + 1).min(bbox.bottom()).saturating_sub(a.max(bbox.y));
    let best = blocks
        .iter()
        .filter(|b| overlap(b) > 0)
        .max_by_key(|b| (overlap(b), std::cmp::Reverse(b.0)));
    match best {
        Some(&(top, bottom)) => (top, bottom + 1 - top),
        None => (bbox.y, bbox.h),
    }
}

/// Blocks of inked rows among `rows`, each as (first, last), a gap of two rows or less inside one: a
/// row is inked where `least` pixels or more across `xs` are dark ink.
fn row_blocks(
    gray: &GrayImage,
    xs: std::ops::Range<u32>,
    rows: std::ops::Range<u32>,
    least: u32,
) -> Vec<(u32, u32)> {
    let inked = |y: u32| {
        xs.clone()
            .filter(|&x| gray.get_pixel(x, y).0[0] < 110)
            .count() as u32
            >= least
    };
    let mut blocks: Vec<(u32, u32)> = Vec::new();
    for y in rows.filter(|&y| inked(y)) {
        match blocks.last_mut() {
            Some(last) if y <= last.1 + 3 => last.1 = y,
            _ => blocks.push((y, y)),
        }
    }
    blocks
}

/// The height of a line's print: the lower median height of its words at least half the page's
/// print (`page_h`) tall — glyph pieces and an underline read as words (「_ 中島 智子 典」) are no
/// measure of it —, else its words' median. A word read over a struck value and the corrected one
/// written above it is as tall as both (「令和7年2月15日」 40 px beside its label's 26), and by the
/// upper median its line of two words was a title, never looked along (seed 19 sub056: a struck
/// date with no 訂正印, read surely uncorrected — a wrong pay).
fn print_height(line: &TextLine, page_h: u32) -> u32 {
    let mut hs: Vec<u32> = line
        .tokens
        .iter()
        .map(|t| t.bbox.h)
        .filter(|&h| h * 2 >= page_h)
        .collect();
    if hs.is_empty() {
        return line.char_height();
    }
    hs.sort_unstable();
    hs[(hs.len() - 1) / 2].max(1)
}

/// Finds strike-throughs anywhere in `area` of a page whose print is `char_h` tall: for a ruled
/// table read again with its rules erased ([`erase_rules`]), whose struck cells the first reading
/// may not have read at all (no line to look along).
pub fn strikes_in(gray: &GrayImage, area: BBox, char_h: u32) -> Vec<BBox> {
    let bottom = area.bottom().min(gray.height());
    let right = area.right().min(gray.width());
    let mut runs = Vec::new();
    strike_runs(gray, area.y..bottom, area.x..right, char_h, &[], &mut runs);
    merge_strikes(runs, char_h)
}

/// Strokes through text on the rows `band`, within `across`, of print `ch` tall: dark runs two
/// characters long or more, outside `titles`, with ink a little above and below along much of them
/// — or, for the two strokes of a double strike, ink between them.
fn strike_runs(
    gray: &GrayImage,
    band: std::ops::Range<u32>,
    across: std::ops::Range<u32>,
    ch: u32,
    titles: &[BBox],
    runs: &mut Vec<BBox>,
) {
    let (w, h) = gray.dimensions();
    let dark = |x: u32, y: u32| x < w && y < h && gray.get_pixel(x, y).0[0] < 110;
    // Ink beside a stroke at (x, y), above it or below: past the stroke's own dark rows and the
    // pixel of blur round them, any ink, light or dark (thin print, blurred, is mid-gray all along
    // its strokes: seed 3 sub039's 「93,000」 in a light Mincho, struck by a dark line); or a dark
    // run from the stroke on for a third of a character (a glyph's stroke crossing it). A thick
    // rule's own rows and its mid-gray edge are not ink beside it.
    let inked = |x: u32, y: u32| x < w && y < h && gray.get_pixel(x, y).0[0] < 170;
    let probe = (ch * 3 / 10).max(3);
    let ink_beside = |x: u32, y: u32, up: bool| {
        let step = |v: u32, d: u32| if up { v.checked_sub(d) } else { Some(v + d) };
        let mut edge = y;
        let mut run = 0;
        while run < probe {
            match step(edge, 1) {
                Some(next) if dark(x, next) => {
                    edge = next;
                    run += 1;
                }
                _ => break,
            }
        }
        run >= probe || (2..probe).any(|d| step(edge, d).is_some_and(|v| inked(x, v)))
    };
    // How far the dark reaches up and down from (x, y), counted to `thin_below` at most.
    let thin_below = ch * 6 / 10;
    let thickness = |x: u32, y: u32| {
        let up = (1..=thin_below)
            .take_while(|&d| y.checked_sub(d).is_some_and(|v| dark(x, v)))
            .count() as u32;
        let down = (1..=thin_below).take_while(|&d| dark(x, y + d)).count() as u32;
        1 + up + down
    };
    let min_len = ch * 2;
    let (x0, x1) = (across.start, across.end);
    // Strokes long and thin enough but not through text along enough of them.
    let mut lone: Vec<BBox> = Vec::new();
    for y in band {
        if y < probe + 2 || y + probe + 2 >= h {
            continue;
        }
        let mut x = x0;
        while x < x1 {
            if !dark(x, y) {
                x += 1;
                continue;
            }
            // The run goes on through a thin line of gray no longer than a character, dark again
            // after it: a pen's thin line through small print is blurred gray between the glyphs
            // it crosses in a photo (seed 67 sub021's struck 「11,000」, dark only where it
            // crosses them). Paper between glyphs ends it, and so does a band of gray — a gray
            // stamp's frame across a line of print (seed 67 sub031's 角印 over the address).
            let start = x;
            let mut end = x;
            let thin_gray = |g: u32| {
                inked(g, y)
                    && (1..=3).any(|d| y.checked_sub(d).is_some_and(|v| !inked(g, v)))
                    && (1..=3).any(|d| !inked(g, y + d))
            };
            while x < x1 {
                if dark(x, y) {
                    x += 1;
                    end = x;
                    continue;
                }
                let past_gray = (x..x1.min(x + ch + 1)).find(|&g| !thin_gray(g) || dark(g, y));
                match past_gray {
                    Some(g) if dark(g, y) => x = g,
                    _ => break,
                }
            }
            x = end;
            let len = x - start;
            // Nor is a title's long stroke, reached from a line beside it.
            let in_title = titles
                .iter()
                .any(|t| t.x < x && start < t.right() && t.y <= y && y < t.bottom());
            if len < min_len || in_title {
                continue;
            }
            // Through text: ink a little above and a little below along the stroke.
            let (mut through, mut samples, mut thin) = (0u32, 0u32, 0u32);
            for xx in (start..x).step_by(2) {
                samples += 1;
                let above = ink_beside(xx, y, true);
                let below = ink_beside(xx, y, false);
                if above && below {
                    through += 1;
                }
                if thickness(xx, y) < thin_below {
                    thin += 1;
                }
            }
            // And a stroke: thin where it runs between the glyphs it crosses. Dark all the way
            // up and down is no pen's line but a dark area — the table beyond a photographed
            // sheet's edge, where every line's search runs on to (seed 7: twelve 'strikes' down
            // a photo's margin sent the receipt to review).
            let thin_enough = thin * 100 >= samples * THIN_SHARE;
            // And long for the glyphs it crosses, not only for the line: a long horizontal
            // stroke of a large glyph (the 書 of a 「領収書」 title read into one line with the
            // date beside it, seed 1 sub004) is as long as two of the line's characters, but
            // the strokes it crosses are those of one glyph about as tall as it is wide.
            if !thin_enough || crossed_height(&dark, start..x, y, ch) * 2 > len {
                continue;
            }
            let run = BBox {
                x: start,
                y,
                w: len,
                h: 1,
            };
            if through * 100 >= samples * THROUGH_SHARE {
                runs.push(run);
            } else {
                lone.push(run);
            }
        }
    }
    // Two such strokes not through text alone may be the two of a double strike through small
    // print: each a third of the way in, the glyphs reach a few pixels past either, too little to
    // tell a glyph's stroke from the pen's (seed 67 sub021: 「11,000」 15 rows high, struck on its
    // rows 4 and 10 — an unsealed correction paid). Between the two, the glyphs they cross are
    // ink and the gaps between glyphs paper; between a table's double rule all is paper.
    let mut paired: Vec<usize> = Vec::new();
    for (i, a) in lone.iter().enumerate() {
        for (j, b) in lone.iter().enumerate().skip(i + 1) {
            let (upper, lower) = if a.y < b.y { (a, b) } else { (b, a) };
            let (from, to) = (upper.x.max(lower.x), upper.right().min(lower.right()));
            let apart = lower.y - upper.y;
            if !(4..=ch * 6 / 10).contains(&apart)
                || to <= from
                || (to - from) * 5 < upper.w.min(lower.w) * 4
            {
                continue;
            }
            // The rows between, a pixel clear of each: ink on some of them where glyphs are
            // crossed, paper on all where they are not (ink all along is one thick stroke).
            let (mut between, mut samples) = (0u32, 0u32);
            for x in (from..to).step_by(2) {
                samples += 1;
                if (upper.y + 2..lower.y - 1).any(|y| inked(x, y)) {
                    between += 1;
                }
            }
            if between * 100 >= samples * THROUGH_SHARE && between * 100 <= samples * 80 {
                paired.extend([i, j]);
            }
        }
    }
    paired.sort_unstable();
    paired.dedup();
    runs.extend(paired.into_iter().map(|i| lone[i]));
}

/// How tall the strokes are that the stroke on row `y` over `span` crosses, in print `ch` tall:
/// the median, over the columns where dark ink runs on up or down through the row for a third of
/// a character or more, of how far it runs (to two characters either way at most). A strike
/// crosses glyphs far shorter than it is long; a long stroke inside one large glyph crosses that
/// glyph's other strokes, about as tall as the stroke is long. Measured column by column, not as
/// the piece of ink the stroke joins: the corrected value written just above a struck one, and
/// the underline under both, touch it here and there (seed 7 sub007's 「¥141,000」).
fn crossed_height(
    dark: &impl Fn(u32, u32) -> bool,
    span: std::ops::Range<u32>,
    y: u32,
    ch: u32,
) -> u32 {
    let cap = ch * 2;
    let mut heights: Vec<u32> = span
        .filter_map(|x| {
            let up = (1..=cap)
                .take_while(|&d| y.checked_sub(d).is_some_and(|v| dark(x, v)))
                .count() as u32;
            let down = (1..=cap).take_while(|&d| dark(x, y + d)).count() as u32;
            let run = 1 + up + down;
            (run * 3 >= ch).then_some(run)
        })
        .collect();
    heights.sort_unstable();
    heights.get(heights.len() / 2).copied().unwrap_or(0)
}

/// Rows of one stroke, and the two strokes of a double line, become one box covering the text.
fn merge_strikes(runs: Vec<BBox>, char_h: u32) -> Vec<BBox> {
    let mut out: Vec<BBox> = Vec::new();
    for r in runs {
        let near = out.iter_mut().find(|b| {
            let overlap_x = r.x < b.right() && b.x < r.right();
            overlap_x && r.y <= b.bottom() + char_h / 2
        });
        match near {
            Some(b) => *b = b.union(&r),
            None => out.push(r),
        }
    }
    out.into_iter()
        .map(|b| {
            let pad = char_h / 2;
            BBox {
                x: b.x,
                y: b.y.saturating_sub(pad),
                w: b.w,
                h: b.h + 2 * pad,
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "strikes_tests.rs"]
mod tests;
