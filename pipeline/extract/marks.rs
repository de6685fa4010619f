//! Marks on a page that are not text: seals (領収印, 訂正印) and strike-throughs (訂正).
//!
//! Seal: on a colour scan, a cluster of red ink of about seal size; on a grayscale scan, a cluster of
//! mid-gray ink (a red stamp scans lighter than black print) of about seal size. Strike-through: a thin
//! horizontal stroke several characters long that passes *through* text (ink right above and below it),
//! which is what tells it from a table rule (white space above and below). Sizes are measured in the
//! page's own character height, so the detectors hold at any resolution.
//!
//! Called by `extract` with the page image `ocr::prepare` made, before any field is read.

use image::{GrayImage, RgbImage};
use imageproc::region_labelling::{connected_components, Connectivity};

use crate::document::BBox;

use super::layout::TextLine;

/// How the seal was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Red,
    Gray,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seal {
    pub bbox: BBox,
    pub ink: Ink,
    /// Whether its ink closes a ring around its centre, as a round 訂正印's does; a cluster of
    /// light print (a small corrected value scans mid-gray too) does not.
    pub ring: bool,
}

impl Seal {
    /// Whether the seal is of a 領収印's or 角印's size: 2.2 characters a side or more (a 訂正印 or
    /// a 認印 is smaller).
    pub fn is_large(&self, char_h: u32) -> bool {
        self.bbox.w * 5 >= char_h * 11 && self.bbox.h * 5 >= char_h * 11
    }
}

/// What the detectors found on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    pub seals: Vec<Seal>,
    /// Each covers the struck text (a double line is one strike).
    pub strikes: Vec<BBox>,
    /// How the page was captured, which bounds what the detectors can be sure they did not see.
    pub capture: super::capture::Capture,
}

/// Downsampling factor for the ink maps (seals are tens of pixels even at 150 dpi).
pub(super) const CELL: u32 = 4;

/// Red ink: clearly more red than green and blue.
fn is_red(p: &image::Rgb<u8>) -> bool {
    let [r, g, b] = p.0;
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    r > 110 && r - g > 45 && r - b > 35
}

/// Finds red-ink clusters of about seal size (the caller passes the page's character height).
pub fn find_red_seals(color: &RgbImage, char_h: u32) -> Vec<Seal> {
    red_seals(&red_map(color), char_h)
}

/// Where red ink is, one pixel per `CELL`×`CELL` block: small enough to keep while the full colour
/// page is dropped, which is all the seal finder needs later.
pub fn red_map(color: &RgbImage) -> GrayImage {
    let (w, h) = color.dimensions();
    let mut map = GrayImage::new(w.div_ceil(CELL), h.div_ceil(CELL));
    for (x, y, p) in color.enumerate_pixels() {
        if is_red(p) {
            map.put_pixel(x / CELL, y / CELL, image::Luma([255]));
        }
    }
    map
}

/// Seals in a [`red_map`].
pub fn red_seals(map: &GrayImage, char_h: u32) -> Vec<Seal> {
    clusters(map, char_h, Ink::Red)
}

/// The page in gray with red ink turned to paper white (drop-out colour, as form readers do), so a
/// stamp over a name does not spoil the OCR of the name. Made straight from the colour page, without
/// a second colour copy.
pub fn gray_without_red(color: &RgbImage) -> GrayImage {
    let (w, h) = color.dimensions();
    let mut out = GrayImage::new(w, h);
    for (x, y, p) in color.enumerate_pixels() {
        let v = if is_red(p) {
            255
        } else {
            let [r, g, b] = p.0;
            // Rec. 709 luma in integers, the weights image's to_luma8 uses.
            ((u32::from(r) * 2126 + u32::from(g) * 7152 + u32::from(b) * 722) / 10000) as u8
        };
        out.put_pixel(x, y, image::Luma([v]));
    }
    out
}

/// Finds stamp ink on a grayscale scan: a red stamp scans mid-gray (about 100–190), lighter than
/// black print. The anti-aliased edge of black print is mid-gray too, so a mid-gray pixel counts only
/// when no dark pixel is within two pixels of it.
pub fn find_gray_seals(gray: &GrayImage, char_h: u32) -> Vec<Seal> {
    let (w, h) = gray.dimensions();
    let (cw, ch) = (w.div_ceil(CELL), h.div_ceil(CELL));
    let dark = |x: u32, y: u32| gray.get_pixel(x, y).0[0] < 85;
    let mut ink = vec![0u16; (cw * ch) as usize];
    for y in 2..h.saturating_sub(2) {
        for x in 2..w.saturating_sub(2) {
            let v = gray.get_pixel(x, y).0[0];
            if !(100..=190).contains(&v) {
                continue;
            }
            let near_dark = (y - 2..=y + 2).any(|yy| (x - 2..=x + 2).any(|xx| dark(xx, yy)));
            if !near_dark {
                ink[((y / CELL) * cw + x / CELL) as usize] += 1;
            }
        }
    }
    let mut map = GrayImage::new(cw, ch);
    for y in 0..ch {
        for x in 0..cw {
            if ink[(y * cw + x) as usize] >= 3 {
                map.put_pixel(x, y, image::Luma([255]));
            }
        }
    }
    clusters(&map, char_h, Ink::Gray)
}

/// Whites out the sides of gray stamp frames in `img` (a crop of a line): straight runs of stamp
/// ink along the crop (two characters long or more) or down it (a character or most of its height), mostly gray
/// and a few pixels thick, as a 角印's sides are found ([`gray_sides`]). Only their light pixels
/// (100 and up) go, so the dark print a side runs through stays. A 角印's side through the last
/// digits of 「¥146,000-」 reads 146,090; without it, 146,000.
pub fn without_seal_frames(img: &mut GrayImage, char_h: u32) {
    let (w, h) = img.dimensions();
    if w < 3 || h < 3 {
        return;
    }
    let along = gray_sides(w, h, char_h * 2, w, |i, j| img.get_pixel(i, j).0[0]);
    let down = gray_sides(h, w, char_h.min(h * 2 / 3), h, |i, j| {
        img.get_pixel(j, i).0[0]
    });
    let rects = along
        .iter()
        .map(|s| (s.from, s.to, s.first, s.last + 1))
        .chain(down.iter().map(|s| (s.first, s.last + 1, s.from, s.to)));
    for (x0, x1, y0, y1) in rects.collect::<Vec<_>>() {
        // A row or column either way: the side's blurred edge.
        for y in y0.saturating_sub(1)..(y1 + 1).min(h) {
            for x in x0.saturating_sub(1)..(x1 + 1).min(w) {
                if img.get_pixel(x, y).0[0] >= 100 {
                    img.put_pixel(x, y, image::Luma([255]));
                }
            }
        }
    }
}

pub(super) fn clusters(map: &GrayImage, char_h: u32, ink: Ink) -> Vec<Seal> {
    let labels = connected_components(map, Connectivity::Eight, image::Luma([0u8]));
    let mut boxes: std::collections::BTreeMap<u32, (u32, u32, u32, u32, u32)> =
        std::collections::BTreeMap::new();
    for (x, y, l) in labels.enumerate_pixels() {
        let l = l.0[0];
        if l == 0 {
            continue;
        }
        let e = boxes.entry(l).or_insert((x, y, x, y, 0));
        e.0 = e.0.min(x);
        e.1 = e.1.min(y);
        e.2 = e.2.max(x);
        e.3 = e.3.max(y);
        e.4 += 1;
    }
    let min_side = (char_h * 7 / 10).max(12);
    let max_side = char_h * 12;
    let mut seals: Vec<Seal> = boxes
        .values()
        .filter_map(|&(x0, y0, x1, y1, n)| {
            let bw = (x1 - x0 + 1) * CELL;
            let bh = (y1 - y0 + 1) * CELL;
            let square = bw * 10 >= bh * 5 && bh * 10 >= bw * 5;
            let cells = (x1 - x0 + 1) * (y1 - y0 + 1);
            // A stamp is a ring or a frame with characters: neither a speck nor a solid block.
            let fill_ok = n * 20 >= cells * 3 && n * 20 <= cells * 19;
            (bw >= min_side
                && bh >= min_side
                && bw <= max_side
                && bh <= max_side
                && square
                && fill_ok)
                .then(|| Seal {
                    bbox: BBox {
                        x: x0 * CELL,
                        y: y0 * CELL,
                        w: bw,
                        h: bh,
                    },
                    ink,
                    ring: rings(map, x0, y0, x1, y1),
                })
        })
        .collect();
    seals.sort_by_key(|s| (s.bbox.y, s.bbox.x));
    seals
}

/// Points on a circle looked at for a ring.
const RING_POINTS: u32 = 48;

/// Whether ink in `map` closes a ring inside the box (cells `x0..=x1`, `y0..=y1`): the box is about
/// round, and at some radius between seven tenths of its half-width and the rim, three quarters of
/// the circle is ink. Characters in light print (a small corrected value) cover a circle patchily.
fn rings(map: &GrayImage, x0: u32, y0: u32, x1: u32, y1: u32) -> bool {
    let (w, h) = (x1 - x0 + 1, y1 - y0 + 1);
    if w * 4 > h * 5 || h * 4 > w * 5 {
        return false;
    }
    let cx = (x0 + x1) as f32 / 2.0;
    let cy = (y0 + y1) as f32 / 2.0;
    let r = w.min(h) as f32 / 2.0;
    if r < 2.5 {
        return false;
    }
    let ink = |x: f32, y: f32| {
        let (x, y) = (x.round(), y.round());
        x >= 0.0
            && y >= 0.0
            && (x as u32) < map.width()
            && (y as u32) < map.height()
            && map.get_pixel(x as u32, y as u32).0[0] > 0
    };
    (0..=6).any(|i| {
        let d = r * (0.7 + 0.05 * i as f32);
        let on = (0..RING_POINTS)
            .filter(|k| {
                let a = *k as f32 * std::f32::consts::TAU / RING_POINTS as f32;
                ink(cx + a.cos() * d, cy + a.sin() * d)
            })
            .count() as u32;
        on * 4 >= RING_POINTS * 3
    })
}

impl Marks {
    /// Adds the gray 訂正印 stamped on each of `strikes` that no ring seal is already found over
    /// (see [`ring_over`]): a stamp on the value itself is not found beside the print.
    pub fn add_rings_over(&mut self, strikes: &[BBox], gray: &GrayImage, char_h: u32) {
        for &strike in strikes {
            let stamped = self
                .seals
                .iter()
                .any(|s| s.ring && s.bbox.overlaps(&strike));
            if stamped {
                continue;
            }
            if let Some(bbox) = ring_over(gray, &strike, char_h) {
                self.seals.push(Seal {
                    bbox,
                    ink: Ink::Gray,
                    ring: true,
                });
            }
        }
    }
}

/// A gray 訂正印 stamped over a strike: [`find_gray_seals`] takes no gray ink beside black print
/// (the faint edge of every glyph is gray), and a stamp set on the struck value itself is mostly
/// beside it, so it is not found there. A ring is looked for round points along the strike: at
/// some radius from 0.65 to 1.6 characters `char_h`, its arcs above and below the print (where
/// the circle leaves the line of text) are nearly all inked and mostly gray (print crosses their
/// ends), and its sides inked at least half way. Print above the strike (the corrected value) reaches one arc, never both, and a rule is
/// black, not gray. Returns the ring's box.
pub fn ring_over(gray: &GrayImage, strike: &BBox, char_h: u32) -> Option<BBox> {
    let (w, h) = gray.dimensions();
    let light = |x: i64, y: i64| {
        x >= 0
            && y >= 0
            && (x as u32) < w
            && (y as u32) < h
            && (90..=215).contains(&gray.get_pixel(x as u32, y as u32).0[0])
    };
    let inked = |x: i64, y: i64| {
        x >= 0
            && y >= 0
            && (x as u32) < w
            && (y as u32) < h
            && gray.get_pixel(x as u32, y as u32).0[0] <= 215
    };
    let step = (char_h / 4).max(2);
    let mid = strike.y + strike.h / 2;
    let (r_min, r_max) = (char_h * 13 / 20, char_h * 8 / 5);
    for cy in (mid.saturating_sub(step)..=mid + step).step_by(2) {
        for cx in (strike.x..=strike.right()).step_by(2) {
            for r in (r_min..=r_max).step_by(2) {
                let (mut arcs, mut arcs_gray, mut arcs_inked) = (0, 0, 0);
                let (mut sides, mut sides_inked) = (0, 0);
                for k in 0..RING_POINTS {
                    let a = k as f32 * std::f32::consts::TAU / RING_POINTS as f32;
                    // Within two pixels of the circle, along its radius.
                    let near = |f: &dyn Fn(i64, i64) -> bool| {
                        (-2..=2).any(|d| {
                            let rr = (r as i32 + d) as f32;
                            f(
                                (cx as f32 + rr * a.cos()).round() as i64,
                                (cy as f32 + rr * a.sin()).round() as i64,
                            )
                        })
                    };
                    if a.sin().abs() >= 0.7 {
                        arcs += 1;
                        arcs_gray += u32::from(near(&light));
                        arcs_inked += u32::from(near(&inked));
                    } else {
                        sides += 1;
                        sides_inked += u32::from(near(&inked));
                    }
                }
                if arcs_inked * 10 >= arcs * 9
                    && arcs_gray * 10 >= arcs * 6
                    && sides_inked * 2 >= sides
                {
                    return Some(BBox {
                        x: cx.saturating_sub(r),
                        y: cy.saturating_sub(r),
                        w: 2 * r + 1,
                        h: 2 * r + 1,
                    });
                }
            }
        }
    }
    None
}

/// The smallest print a strike is looked for through, in pixels: the small print on a receipt (a
/// 収入印紙 box's label) is 12 px high and more at 150 dpi.
const MIN_PRINT_HEIGHT: u32 = 10;

/// The share (%) of a strike's length where it must be thin (its dark reaching less than 0.6 of a
/// character up and down): between the glyphs it crosses, a pen's line is its own width. Through
/// digits (「¥16,500」) half or more of it is; through close-set kanji a third.
const THIN_SHARE: u32 = 20;

/// Finds strike-throughs on the recognised lines: a thin horizontal stroke at least two characters
/// long across the middle band of a line (a line's own character height is the scale, so a large
/// title's long strokes are not strikes), with ink just above and below along much of it (text, not
/// a table rule or an underline, which lie above or below the text).
pub fn find_strikes(gray: &GrayImage, lines: &[TextLine]) -> Vec<BBox> {
    let w = gray.width();
    let page_h = {
        let mut hs: Vec<u32> = lines.iter().map(|l| l.char_height()).collect();
        hs.sort_unstable();
        hs.get(hs.len() / 2).copied().unwrap_or(30)
    };
    // Titles and large print are not where corrections are made.
    let title = |l: &TextLine| l.char_height() * 2 > page_h * 3;
    let titles: Vec<BBox> = lines.iter().filter(|l| title(l)).map(|l| l.bbox).collect();
    let mut runs: Vec<BBox> = Vec::new();
    for line in lines {
        let ch = line.char_height();
        // Nor are "lines" a few pixels high: a rule's end read as a word (「還」 3 px high at the
        // end of each row rule of a ruled certificate), whose own rows would pass for a stroke
        // with ink beside it.
        if title(line) || ch < MIN_PRINT_HEIGHT {
            continue;
        }
        let band = (line.bbox.y + ch * 3 / 10)..(line.bbox.y + line.bbox.h.min(ch * 2) * 7 / 10);
        // On to the right edge: the struck words themselves are often not read at all (the
        // 「11,700円」 under a strike, right of 「教科書代」), so the line's own box is too short.
        let across = line.bbox.x.saturating_sub(ch)..w;
        strike_runs(gray, band, across, ch, &titles, &mut runs);
    }
    merge_strikes(runs, page_h)
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
/// characters long or more, outside `titles`, with ink a little above and below along much of them.
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
            let start = x;
            while x < x1 && dark(x, y) {
                x += 1;
            }
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
            if through * 100 >= samples * 15 && thin * 100 >= samples * THIN_SHARE {
                runs.push(BBox {
                    x: start,
                    y,
                    w: len,
                    h: 1,
                });
            }
        }
    }
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

/// Erases the rules of ruled tables (long rules along rows, over a sixth of the page's width, that
/// cross two long rules down columns, over a tenth of its shorter side — a three-row breakdown on
/// an A5 receipt is no taller — and those column rules; a pixel of slant
/// either way allowed) from the image Tesseract reads: a ruled table's cells are otherwise often
/// dropped whole by its layout analysis (a table-style certificate's 講座名 and dates, seed 11;
/// a ruled breakdown, seed 3 sub009). Underlines and the boxes round a single value cross no
/// column rules and stay: text that touches them reads better with them. Strikes are looked for on
/// the page as it was. A page with no table (a frame round it at most) is left as it is. Returns
/// the table whose rules were erased, if there was one.
pub fn erase_rules(gray: &mut GrayImage) -> Option<Table> {
    let (w, h) = gray.dimensions();
    let rows = rules_along(gray, w, h, w / 6, |x, y| (x, y));
    let cols = rules_along(gray, h, w, w.min(h) / 10, |y, x| (x, y));
    // (along, from, to) of one run: a row's y and x range, a column's x and y range.
    // Crossed by two rules at least a few pixels apart (a rule's own rows are one rule).
    let crosses = |a: &(u32, u32, u32), others: &[(u32, u32, u32)]| {
        let at: Vec<u32> = others
            .iter()
            .filter(|b| b.0 + 3 >= a.1 && b.0 <= a.2 + 3 && a.0 + 3 >= b.1 && a.0 <= b.2 + 3)
            .map(|b| b.0)
            .collect();
        match (at.iter().min(), at.iter().max()) {
            (Some(lo), Some(hi)) => hi - lo > 16,
            _ => false,
        }
    };
    let grid_rows: Vec<(u32, u32, u32)> =
        rows.iter().filter(|r| crosses(r, &cols)).copied().collect();
    let grid_cols: Vec<(u32, u32, u32)> =
        cols.iter().filter(|c| crosses(c, &rows)).copied().collect();
    // A frame round the page is two rules (or two pairs) crossing two: no table, nothing to erase.
    let mut ys: Vec<u32> = grid_rows.iter().map(|r| r.0).collect();
    ys.sort_unstable();
    let separate = ys.windows(2).filter(|w| w[1] - w[0] > 16).count() + usize::from(!ys.is_empty());
    if separate < 3 {
        return None;
    }
    let mut pixels = Vec::new();
    for (y, x0, x1) in grid_rows {
        thickness(gray, x0..x1, y, h, |x, y| (x, y), &mut pixels);
    }
    let along_rows = pixels.len();
    for &(x, y0, y1) in &grid_cols {
        thickness(gray, y0..y1, x, w, |y, x| (x, y), &mut pixels);
    }
    let before = gray.clone();
    let mut erased = GrayImage::new(w, h);
    for &(x, y) in &pixels {
        gray.put_pixel(x, y, image::Luma([255]));
        erased.put_pixel(x, y, image::Luma([1]));
    }
    // A stroke of print across a row's rule (a corrected value written over it) is joined again
    // where the rule ran: ink just above and just below the erased rows.
    let ink_beyond = |x: u32, y: u32, up: bool| {
        (1..=8)
            .map(|d| if up { y.checked_sub(d) } else { Some(y + d) })
            .map_while(|yy| yy.filter(|&yy| yy < h))
            .find(|&yy| erased.get_pixel(x, yy).0[0] == 0)
            .is_some_and(|yy| before.get_pixel(x, yy).0[0] < FAINT)
    };
    for &(x, y) in &pixels[..along_rows] {
        if ink_beyond(x, y, true) && ink_beyond(x, y, false) {
            gray.put_pixel(x, y, *before.get_pixel(x, y));
        }
    }
    let mut bbox: Option<BBox> = None;
    for &(x, y) in &pixels {
        if before.get_pixel(x, y).0[0] < 255 {
            let dot = BBox { x, y, w: 1, h: 1 };
            bbox = Some(bbox.map_or(dot, |t| t.union(&dot)));
        }
    }
    let mut xs: Vec<u32> = grid_cols.iter().map(|c| c.0).collect();
    xs.sort_unstable();
    bbox.map(|bbox| Table {
        bbox,
        rows: one_each(ys),
        cols: one_each(xs),
    })
}

/// Sorted positions of rules, one a rule (a rule's rows, and a double rule's two, are one).
fn one_each(sorted: Vec<u32>) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for v in sorted {
        match out.last() {
            Some(last) if v - *last <= 16 => {}
            _ => out.push(v),
        }
    }
    out
}

/// A ruled table found on a page: the box round its rules, and where its row rules (top to
/// bottom) and column rules (left to right) run, one position a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub bbox: BBox,
    pub rows: Vec<u32>,
    pub cols: Vec<u32>,
}

/// Gray 角印 (square seals) on a page whose print is black: [`find_gray_seals`] takes no gray ink
/// beside black print, and a 角印 is set over the issuer's name, so it finds only pieces of one.
/// A square is found from its sides: runs of stamp ink (darker than paper, 216) two to eight
/// characters `char_h` long, along rows and down columns, at least three-fifths of it gray (print
/// crossing a side is black, a rule or a printed box is black along all of it) and a few pixels
/// thick ([`gray_sides`]); a top and a bottom
/// of like ends, about as far apart as they are long, joined at both ends by such a run down, with
/// gray engraving inside.
pub fn square_seals(gray: &GrayImage, char_h: u32) -> Vec<Seal> {
    let (w, h) = gray.dimensions();
    let (min, max) = (char_h * 2, char_h * 8);
    let rows = gray_sides(w, h, min, max, |i, j| gray.get_pixel(i, j).0[0]);
    let near = |a: u32, b: u32| a.abs_diff(b) <= char_h / 2;
    // The sides down are looked for only beside the ends of a top and bottom that match: the
    // columns of a whole page cost as much again as its rows.
    let cols_near = |x: u32, y0: u32, y1: u32| {
        let (xa, xb) = (x.saturating_sub(char_h), (x + char_h).min(w));
        let (ya, yb) = (y0.saturating_sub(char_h), (y1 + char_h).min(h));
        gray_sides(yb - ya, xb - xa, min, max, |i, j| {
            gray.get_pixel(xa + j, ya + i).0[0]
        })
        .into_iter()
        .map(move |c| Side {
            first: c.first + xa,
            last: c.last + xa,
            from: c.from + ya,
            to: c.to + ya,
        })
    };
    let mut out: Vec<Seal> = Vec::new();
    for (i, top) in rows.iter().enumerate() {
        for bottom in rows.iter().skip(i + 1) {
            let (side, tall) = (top.to - top.from, bottom.at().saturating_sub(top.at()));
            if !near(top.from, bottom.from)
                || !near(top.to, bottom.to)
                || tall * 5 < side * 4
                || tall * 4 > side * 5
            {
                continue;
            }
            let down = |x: u32| {
                cols_near(x, top.at(), bottom.at())
                    .any(|c| near(c.at(), x) && near(c.from, top.at()) && near(c.to, bottom.at()))
            };
            let (x0, x1) = (top.from.min(bottom.from), top.to.max(bottom.to));
            if !(down(x0) && down(x1.saturating_sub(1))) {
                continue;
            }
            let bbox = BBox {
                x: x0,
                y: top.first,
                w: x1 - x0,
                h: bottom.last + 1 - top.first,
            };
            if !out.iter().any(|s| s.bbox.overlaps(&bbox)) && engraved(gray, &bbox, char_h) {
                out.push(Seal {
                    bbox,
                    ink: Ink::Gray,
                    ring: false,
                });
            }
        }
    }
    out
}

/// Whether a square has a stamp's engraving inside: an eighth or more of what lies half a
/// character inside its sides is gray ink. A stamp's characters make a fifth to a third of it; a
/// box printed for the 収入印紙 stamp, its small label inside, makes under a twentieth (seed 7
/// sub014: 3.7 %), an empty box printed in light gray none.
fn engraved(gray: &GrayImage, square: &BBox, char_h: u32) -> bool {
    let inset = char_h / 2;
    let (x0, y0) = (square.x + inset, square.y + inset);
    let (x1, y1) = (
        square.right().saturating_sub(inset),
        square.bottom().saturating_sub(inset),
    );
    if x1 <= x0 || y1 <= y0 {
        return false;
    }
    let light = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .filter(|&(x, y)| (100..216).contains(&gray.get_pixel(x, y).0[0]))
        .count() as u64;
    light * 8 >= u64::from(x1 - x0) * u64::from(y1 - y0)
}

/// A side of a square seal: runs of stamp ink on rows (or columns) `first..=last` across, from
/// `from` to `to` along.
#[derive(Debug, Clone, Copy)]
struct Side {
    first: u32,
    last: u32,
    from: u32,
    to: u32,
}

impl Side {
    /// Across, the middle of the side's thickness.
    fn at(&self) -> u32 {
        (self.first + self.last) / 2
    }
}

/// The sides a square seal may have along one direction: runs of stamp ink `min` to `max` long,
/// three-fifths of it gray, on [`SIDE_THICKNESS`] or more rows with like ends, three rows apart at
/// most (print crossing the side takes a row or two): `value(i, j)` is the pixel at `i` along (`0..len`) and `j` across (`0..across`).
fn gray_sides(
    len: u32,
    across: u32,
    min: u32,
    max: u32,
    value: impl Fn(u32, u32) -> u8,
) -> Vec<Side> {
    // Ends a third of a character apart are alike: print touching the side lengthens its run.
    let slack = (min / 6).max(6);
    let mut sides: Vec<Side> = Vec::new();
    for j in 0..across {
        let mut i = 0;
        while i < len {
            if value(i, j) >= 216 {
                i += 1;
                continue;
            }
            let (start, mut light) = (i, 0u32);
            while i < len && value(i, j) < 216 {
                light += u32::from(value(i, j) >= 100);
                i += 1;
            }
            let long = i - start;
            if !(min..=max).contains(&long) || light * 5 < long * 3 {
                continue;
            }
            match sides.iter_mut().find(|s| {
                j <= s.last + 4 && start.abs_diff(s.from) <= slack && i.abs_diff(s.to) <= slack
            }) {
                Some(s) => {
                    s.last = j;
                    s.from = s.from.min(start);
                    s.to = s.to.max(i);
                }
                None => sides.push(Side {
                    first: j,
                    last: j,
                    from: start,
                    to: i,
                }),
            }
        }
    }
    sides.retain(|s| s.last + 1 - s.first >= SIDE_THICKNESS);
    sides
}

/// Rows a square seal's side is thick, at least: a 角印's frame is a millimetre or more (eight
/// pixels and more at 200 dpi); a printed box's rule, blurred, two or three.
const SIDE_THICKNESS: u32 = 4;

/// The ruled boxes on a page that are neither its frame nor a table: two rules along (over a sixth
/// of the page's width) joined at both ends by two rules down (over a fourteenth of its shorter side),
/// inside, as found by [`rules_along`]. A breakdown is often printed in such a box (「内訳」 with its
/// rows and no column rule), which the page's layout analysis reads as a jumble. A box over half
/// the page is a frame, and is left out.
pub fn boxes(gray: &GrayImage) -> Vec<BBox> {
    let (w, h) = gray.dimensions();
    // A rule is a few runs thick: one each, by where it runs.
    let merged = |runs: Vec<(u32, u32, u32)>| {
        let mut out: Vec<(u32, u32, u32)> = Vec::new();
        for r in runs {
            match out
                .iter_mut()
                .find(|o| r.0 <= o.0 + 6 && o.0 <= r.0 + 6 && r.1 < o.2 && o.1 < r.2)
            {
                Some(o) => *o = (o.0, o.1.min(r.1), o.2.max(r.2)),
                None => out.push(r),
            }
        }
        out
    };
    let rows = merged(rules_along(gray, w, h, w / 6, |x, y| (x, y)));
    // A one-row box on a landscape A5 pad is under a tenth of the page high (seed 11 sub042's,
    // 167 px of 1748).
    let cols = merged(rules_along(gray, h, w, w.min(h) / 14, |y, x| (x, y)));
    let near = |a: u32, b: u32| a.abs_diff(b) <= 10;
    let mut out = Vec::new();
    for (i, top) in rows.iter().enumerate() {
        for bottom in rows.iter().skip(i + 1) {
            let (x0, x1) = (top.1.max(bottom.1), top.2.min(bottom.2));
            if bottom.0 < top.0 + 40 || !near(top.1, bottom.1) || !near(top.2, bottom.2) {
                continue;
            }
            let side = |x: u32| {
                cols.iter()
                    .any(|c| near(c.0, x) && c.1 <= top.0 + 10 && c.2 + 10 >= bottom.0)
            };
            if !(side(x0) && side(x1.saturating_sub(1))) {
                continue;
            }
            let inside = BBox {
                x: x0 + 8,
                y: top.0 + 8,
                w: (x1 - x0).saturating_sub(16),
                h: (bottom.0 - top.0).saturating_sub(16),
            };
            let frame = u64::from(inside.w) * u64::from(inside.h) * 2 > u64::from(w) * u64::from(h);
            if !frame
                && inside.w > 0
                && inside.h > 0
                && !out.iter().any(|b: &BBox| b.overlaps(&inside))
            {
                out.push(inside);
            }
        }
    }
    out
}

/// Runs of ink at least `long` long along one direction, as (row, from, to): `at(i, j)` maps
/// position `i` along the rule (`0..len`) and `j` across it (`0..across`) to page coordinates.
fn rules_along(
    gray: &GrayImage,
    len: u32,
    across: u32,
    long: u32,
    at: impl Fn(u32, u32) -> (u32, u32),
) -> Vec<(u32, u32, u32)> {
    let long = long.max(40);
    let value = |i: u32, j: u32| {
        let (x, y) = at(i, j);
        gray.get_pixel(x, y).0[0]
    };
    // Ink on this row or the ones beside it: a rule slanted by a fraction of a degree stays one run.
    let inked = |i: u32, j: u32| {
        (j.saturating_sub(1)..=(j + 1).min(across - 1)).any(|jj| value(i, jj) < 160)
    };
    let mut runs = Vec::new();
    for j in 1..across.saturating_sub(1) {
        // Only rows with ink of their own start a rule.
        let mut i = 0;
        while i < len {
            if value(i, j) >= 160 {
                i += 1;
                continue;
            }
            let start = i;
            while i < len && inked(i, j) {
                i += 1;
            }
            if i - start >= long {
                runs.push((j, start, i));
            }
        }
    }
    runs
}

/// Darker than this beside a rule is no faint edge of it: a rule's own dark rows are runs of their
/// own, and dark ink beside one is print across it (a corrected value written over a row's rule),
/// which stays.
const FAINT: u8 = 120;

/// The pixels of a rule's run (`span` along it, at `j` across) with its faint edge, up to 4 px
/// either side.
fn thickness(
    gray: &GrayImage,
    span: std::ops::Range<u32>,
    j: u32,
    across: u32,
    at: impl Fn(u32, u32) -> (u32, u32),
    pixels: &mut Vec<(u32, u32)>,
) {
    let value = |i: u32, j: u32| {
        let (x, y) = at(i, j);
        gray.get_pixel(x, y).0[0]
    };
    for i in span {
        pixels.push(at(i, j));
        for jj in (j.saturating_sub(4)..j).rev() {
            if !(FAINT..245).contains(&value(i, jj)) {
                break;
            }
            pixels.push(at(i, jj));
        }
        for jj in j + 1..=(j + 4).min(across - 1) {
            if !(FAINT..245).contains(&value(i, jj)) {
                break;
            }
            pixels.push(at(i, jj));
        }
    }
}

/// Erases dot leaders (「入学料 ………… 11,000円」): runs of five or more small, evenly spaced specks on
/// one row. Tesseract reads them as letters and digits, which garbles the label and can prepend a
/// digit to the amount. Returns the number of dots erased.
pub fn erase_dot_leaders(gray: &mut GrayImage) -> usize {
    let (w, h) = gray.dimensions();
    let dot_max = (w / 200).max(4);
    // Components are labelled a strip at a time (a full-page u32 label image of an A4 page at
    // 300 dpi is 35 MB); strips overlap by more than a dot, and a dot is kept once, by its top-left.
    const STRIP: u32 = 384;
    let overlap = dot_max * 2;
    let mut seen = std::collections::BTreeSet::new();
    let mut dots: Vec<(u32, u32, u32, u32)> = Vec::new();
    let mut top = 0;
    while top < h {
        let bottom = (top + STRIP + overlap).min(h);
        let mut mask = GrayImage::new(w, bottom - top);
        for y in top..bottom {
            for x in 0..w {
                if gray.get_pixel(x, y).0[0] < 170 {
                    mask.put_pixel(x, y - top, image::Luma([255]));
                }
            }
        }
        let labels = connected_components(&mask, Connectivity::Eight, image::Luma([0u8]));
        // Bounding box of every component: (x0, y0, x1, y1), page coordinates.
        let mut boxes: std::collections::BTreeMap<u32, (u32, u32, u32, u32)> = Default::default();
        for (x, y, l) in labels.enumerate_pixels() {
            let l = l.0[0];
            if l == 0 {
                continue;
            }
            let y = y + top;
            let e = boxes.entry(l).or_insert((x, y, x, y));
            e.0 = e.0.min(x);
            e.1 = e.1.min(y);
            e.2 = e.2.max(x);
            e.3 = e.3.max(y);
        }
        for (x0, y0, x1, y1) in boxes.into_values() {
            let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1);
            let touches_cut = (y0 == top && top > 0) || (y1 + 1 == bottom && bottom < h);
            let dot = bw >= 2
                && bh >= 2
                && bw <= dot_max
                && bh <= dot_max
                && bw * 2 >= bh
                && bh * 2 >= bw;
            if dot && !touches_cut && seen.insert((x0, y0)) {
                dots.push((x0, y0, x1, y1));
            }
        }
        if bottom == h {
            break;
        }
        top += STRIP;
    }
    // Rows: same vertical centre within 2 px.
    dots.sort_by_key(|d| ((d.1 + d.3) / 2, d.0));
    let mut erased = 0;
    let mut i = 0;
    while i < dots.len() {
        let cy = (dots[i].1 + dots[i].3) / 2;
        let mut j = i;
        while j < dots.len() && (dots[j].1 + dots[j].3) / 2 <= cy + 2 {
            j += 1;
        }
        let mut row: Vec<(u32, u32, u32, u32)> = dots[i..j].to_vec();
        row.sort_by_key(|d| d.0);
        // Runs of evenly spaced dots.
        let mut start = 0;
        for k in 1..=row.len() {
            let continues = k < row.len() && {
                let gap = row[k].0.saturating_sub(row[k - 1].2);
                let pitch = row[k].0 - row[k - 1].0;
                gap > 0
                    && pitch <= dot_max * 5
                    // Leaders are evenly spaced (a font's 「…」 groups about double the pitch
                    // between groups, 2.5 times allowed); a speck of the amount's first digit nearly three pitches
                    // on is no dot (seed 3 sub001: the tip of 30,000's blurred 3, at pitch 26
                    // after dots at 9–10, was whited out, and 30,000 read 3,000).
                    && (k - start < 2 || {
                        let prev_pitch = row[k - 1].0 - row[k - 2].0;
                        pitch * 5 >= prev_pitch * 2 && pitch * 2 <= prev_pitch * 5
                    })
            };
            if !continues {
                if k - start >= 5 {
                    for d in &row[start..k] {
                        // With the anti-aliased halo, which Sauvola would otherwise pick up.
                        for y in d.1.saturating_sub(2)..=(d.3 + 2).min(h - 1) {
                            for x in d.0.saturating_sub(2)..=(d.2 + 2).min(w - 1) {
                                gray.put_pixel(x, y, image::Luma([255]));
                            }
                        }
                    }
                    erased += k - start;
                }
                start = k;
            }
        }
        i = j;
    }
    erased
}

/// A glyph of print in a line: its box, and whether its shape is a zero's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    pub bbox: BBox,
    /// A 0, which Tesseract's Japanese model reads as 6 or 9 in handwriting and rounded fonts.
    /// Crossed by `/` (as many write it by hand), its ink closes two holes, the upper one left of
    /// the lower; plain, one hole about its middle and over a quarter of its box. An 8's two holes
    /// stand one above the other; a 6's hole is in its lower part and a 9's in its upper (their
    /// centres at 0.68 and 0.31 of the height on seed 3's pads, a zero's at 0.43–0.47).
    pub zero: bool,
}

/// A hole in a glyph: where its centre is (`x` in the crop; `cx`, `cy` as shares of the glyph's
/// width and height) and its size in pixels.
#[derive(Debug, Clone, Copy)]
struct Hole {
    x: u32,
    cx: f32,
    cy: f32,
    size: u32,
}

/// The glyphs in `area`, left to right: ink darker than 128 in 8-connected pieces, at least 0.6 as
/// high as the tallest piece (commas, points and dashes are left out); a piece wider than 1.6 times
/// the median is as many glyphs side by side as it is wide (zeros run together by blur).
pub fn glyphs(gray: &GrayImage, area: BBox) -> Vec<Glyph> {
    let x0 = area.x.min(gray.width());
    let y0 = area.y.min(gray.height());
    let w = area.w.min(gray.width() - x0);
    let h = area.h.min(gray.height() - y0);
    if w < 3 || h < 3 {
        return Vec::new();
    }
    let crop = image::imageops::crop_imm(gray, x0, y0, w, h).to_image();
    let ink = GrayImage::from_fn(w, h, |x, y| {
        image::Luma([if crop.get_pixel(x, y).0[0] < 128 {
            255
        } else {
            0
        }])
    });
    let labels = connected_components(&ink, Connectivity::Eight, image::Luma([0u8]));
    let mut boxes: std::collections::BTreeMap<u32, (u32, u32, u32, u32, u32)> = Default::default();
    for (x, y, l) in labels.enumerate_pixels() {
        let l = l.0[0];
        if l == 0 {
            continue;
        }
        let b = boxes.entry(l).or_insert((x, y, x, y, 0));
        *b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y), b.4 + 1);
    }
    let tallest = boxes.values().map(|b| b.3 - b.1 + 1).max().unwrap_or(0);
    let mut pieces: Vec<(u32, BBox)> = boxes
        .iter()
        .filter(|(_, b)| b.4 >= 10 && (b.3 - b.1 + 1) * 5 >= tallest * 3)
        .map(|(&l, b)| {
            let bbox = BBox {
                x: b.0,
                y: b.1,
                w: b.2 - b.0 + 1,
                h: b.3 - b.1 + 1,
            };
            (l, bbox)
        })
        .collect();
    pieces.sort_by_key(|(_, b)| b.x);
    let mut widths: Vec<u32> = pieces.iter().map(|(_, b)| b.w).collect();
    widths.sort_unstable();
    let median = widths.get(widths.len() / 2).copied().unwrap_or(1).max(1);
    let mut out = Vec::new();
    for (label, b) in pieces {
        let holes = holes_of(&labels, label, b);
        let n = if b.w * 5 > median * 8 {
            ((b.w as f32 / median as f32).round() as u32).max(1)
        } else {
            1
        };
        let step = b.w / n;
        for k in 0..n {
            let left = b.x + k * step;
            let right = if k + 1 == n { b.right() } else { left + step };
            let part = BBox {
                x: left,
                y: b.y,
                w: right - left,
                h: b.h,
            };
            let mut inside: Vec<(f32, f32, u32)> = holes
                .iter()
                .filter(|hole| hole.x >= left && hole.x < right)
                .map(|hole| {
                    let cx = (hole.cx * b.w as f32 + b.x as f32 - left as f32) / part.w as f32;
                    (cx, hole.cy, hole.size)
                })
                .collect();
            inside.sort_by(|a, c| a.1.total_cmp(&c.1));
            let zero = match inside.as_slice() {
                [(ux, uy, _), (lx, ly, _)] => ly - uy >= 0.15 && lx - ux >= 0.12,
                [(_, cy, size)] => (0.38..=0.62).contains(cy) && size * 100 >= part.w * part.h * 27,
                _ => false,
            };
            out.push(Glyph {
                bbox: BBox {
                    x: part.x + x0,
                    y: part.y + y0,
                    ..part
                },
                zero,
            });
        }
    }
    out
}

/// The holes of the piece `label` (in its box `b`): background 4-connected inside the box, not
/// reaching its edge, of three pixels or more.
fn holes_of(
    labels: &image::ImageBuffer<image::Luma<u32>, Vec<u32>>,
    label: u32,
    b: BBox,
) -> Vec<Hole> {
    let background = GrayImage::from_fn(b.w, b.h, |x, y| {
        let l = labels.get_pixel(b.x + x, b.y + y).0[0];
        image::Luma([if l == label { 0 } else { 255 }])
    });
    let parts = connected_components(&background, Connectivity::Four, image::Luma([0u8]));
    let mut stats: std::collections::BTreeMap<u32, (u32, u64, u64, bool)> = Default::default();
    for (x, y, l) in parts.enumerate_pixels() {
        let l = l.0[0];
        if l == 0 {
            continue;
        }
        let edge = x == 0 || y == 0 || x + 1 == b.w || y + 1 == b.h;
        let s = stats.entry(l).or_insert((0, 0, 0, false));
        *s = (s.0 + 1, s.1 + u64::from(x), s.2 + u64::from(y), s.3 || edge);
    }
    stats
        .values()
        .filter(|s| !s.3 && s.0 >= 3)
        .map(|&(n, sx, sy, _)| {
            let (mx, my) = (sx as f32 / n as f32, sy as f32 / n as f32);
            Hole {
                x: b.x + mx as u32,
                cx: (mx + 0.5) / b.w as f32,
                cy: (my + 0.5) / b.h as f32,
                size: n,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_circle_mut};
    use imageproc::rect::Rect;

    /// Draws a rectangle's four sides, `t` thick, in `ink`.
    fn frame(
        img: &mut GrayImage,
        (x, y, w, h): (i32, i32, u32, u32),
        t: u32,
        ink: image::Luma<u8>,
    ) {
        let (r, b) = (x + (w - t) as i32, y + (h - t) as i32);
        for (rx, ry, rw, rh) in [(x, y, w, t), (x, b, w, t), (x, y, t, h), (r, y, t, h)] {
            draw_filled_rect_mut(img, Rect::at(rx, ry).of_size(rw, rh), ink);
        }
    }

    #[test]
    fn a_zero_plain_or_crossed_by_a_slash_is_told_from_six_eight_and_nine() {
        let font = crate::ocr::testpage::font();
        let mut img = GrayImage::from_pixel(600, 120, image::Luma([255]));
        // 「8 6 9 0 Ø 円」 at 40 px: the fifth a 0 with a 「/」 drawn over it.
        crate::ocr::testpage::draw(&mut img, &font, "8690", 20.0, 30.0, 40.0);
        crate::ocr::testpage::draw(&mut img, &font, "0", 130.0, 30.0, 40.0);
        crate::ocr::testpage::draw(&mut img, &font, "/", 130.0, 30.0, 40.0);
        crate::ocr::testpage::draw(&mut img, &font, "円", 170.0, 30.0, 40.0);
        let found = glyphs(
            &img,
            BBox {
                x: 0,
                y: 0,
                w: 600,
                h: 120,
            },
        );
        let zeros: Vec<bool> = found.iter().map(|g| g.zero).collect();
        assert_eq!(zeros[..5], [false, false, false, true, true], "{found:?}");
        assert!(found.len() >= 6, "円 is a glyph too: {found:?}");
        assert!(!found[5..].iter().any(|g| g.zero), "{found:?}");
    }

    #[test]
    fn a_gray_square_seal_over_black_print_is_found_and_a_printed_box_is_not() {
        let font = crate::ocr::testpage::font();
        let mut img = GrayImage::from_pixel(1654, 2339, image::Luma([255]));
        crate::ocr::testpage::draw(&mut img, &font, "学校法人 青葉学園", 700.0, 840.0, 36.0);
        crate::ocr::testpage::draw(&mut img, &font, "青葉保育専門学校", 700.0, 900.0, 36.0);
        // A 角印 150 px across with sides 10 px thick, gray, set over the names' ends (stamp ink
        // darkens what it is set on).
        let mut stamp = GrayImage::from_pixel(1654, 2339, image::Luma([255]));
        let gray = image::Luma([170]);
        frame(&mut stamp, (940, 820, 150, 150), 10, gray);
        // Its engraving: four characters, two by two.
        crate::ocr::testpage::draw(&mut stamp, &font, "青葉", 955.0, 835.0, 60.0);
        crate::ocr::testpage::draw(&mut stamp, &font, "之印", 955.0, 895.0, 60.0);
        for (p, s) in img.pixels_mut().zip(stamp.pixels()) {
            p.0[0] = p.0[0].min(s.0[0].max(150));
        }
        // An empty box printed in light gray: no engraving.
        frame(&mut img, (700, 1500, 150, 150), 8, gray);
        // A box printed for the 収入印紙 stamp: thin gray rules, its label inside.
        frame(&mut img, (1100, 1500, 150, 150), 2, image::Luma([140]));
        crate::ocr::testpage::draw(&mut img, &font, "収入印紙", 1125.0, 1560.0, 24.0);
        // A box printed for the seal, black, with nothing in it.
        frame(&mut img, (300, 1500, 150, 150), 3, image::Luma([30]));
        let found = square_seals(&img, 32);
        assert_eq!(found.len(), 1, "{found:?}");
        let b = found[0].bbox;
        assert!(
            b.x.abs_diff(940) <= 12 && b.right().abs_diff(1090) <= 12,
            "{b:?}"
        );
        assert!(
            b.y.abs_diff(820) <= 12 && b.bottom().abs_diff(970) <= 12,
            "{b:?}"
        );
        assert_eq!(found[0].ink, Ink::Gray);
    }

    #[test]
    fn a_ruled_box_is_found_and_the_frame_and_small_boxes_are_not() {
        let mut img = GrayImage::from_pixel(1654, 2339, image::Luma([255]));
        let ink = image::Luma([30]);
        frame(&mut img, (40, 40, 1570, 2250), 3, ink); // the page's frame
        frame(&mut img, (150, 400, 1200, 100), 3, ink); // the total's box: too short for a breakdown
        frame(&mut img, (100, 600, 120, 250), 3, ink); // 収入印紙: too narrow
        frame(&mut img, (150, 1400, 700, 300), 3, ink); // the breakdown's box
        let found = boxes(&img);
        assert_eq!(found.len(), 1, "{found:?}");
        let b = found[0];
        assert!(
            b.x > 150 && b.x < 170 && b.right() > 830 && b.right() < 850,
            "{b:?}"
        );
        assert!(
            b.y > 1400 && b.y < 1420 && b.bottom() > 1680 && b.bottom() < 1700,
            "{b:?}"
        );
    }

    #[test]
    fn a_red_ring_is_a_seal_and_red_text_specks_are_not() {
        let mut img = RgbImage::from_pixel(800, 600, image::Rgb([250, 250, 250]));
        for r in 50..56 {
            draw_hollow_circle_mut(&mut img, (400, 300), r, image::Rgb([210, 40, 40]));
        }
        draw_filled_rect_mut(
            &mut img,
            Rect::at(100, 100).of_size(6, 6),
            image::Rgb([210, 40, 40]),
        );
        let seals = find_red_seals(&img, 40);
        assert_eq!(seals.len(), 1, "{seals:?}");
        let s = seals[0].bbox;
        assert!(s.x <= 350 && s.right() >= 450 && s.y <= 250 && s.bottom() >= 350);
    }

    #[test]
    fn dot_leaders_are_erased_and_digits_kept() {
        let mut img = GrayImage::from_pixel(1600, 300, image::Luma([255]));
        // A leader: 20 dots of 5 px every 16 px on one row.
        for i in 0..20 {
            draw_filled_rect_mut(
                &mut img,
                Rect::at(200 + i * 16, 150).of_size(5, 5),
                image::Luma([0]),
            );
        }
        // A "digit" (tall stroke) and a lone decimal point stay.
        draw_filled_rect_mut(
            &mut img,
            Rect::at(600, 120).of_size(5, 40),
            image::Luma([0]),
        );
        draw_filled_rect_mut(&mut img, Rect::at(620, 155).of_size(5, 5), image::Luma([0]));
        // 「………」: dots 9 px apart in threes, 20 px between the threes (a pixel over double).
        for g in 0..8 {
            for d in 0..3 {
                let x = 200 + g * 38 + d * 9;
                draw_filled_rect_mut(&mut img, Rect::at(x, 60).of_size(4, 4), image::Luma([0]));
            }
        }
        // A speck of the amount's first digit (a blurred 3's tip) on that row, nearly three
        // pitches after its last dot: print, not a dot.
        let last: u32 = 200 + 7 * 38 + 2 * 9;
        draw_filled_rect_mut(
            &mut img,
            Rect::at(last as i32 + 26, 60).of_size(4, 4),
            image::Luma([0]),
        );
        assert_eq!(erase_dot_leaders(&mut img), 20 + 24);
        assert_eq!(img.get_pixel(202, 152).0[0], 255);
        assert_eq!(img.get_pixel(602, 140).0[0], 0);
        assert_eq!(img.get_pixel(622, 157).0[0], 0);
        assert_eq!(img.get_pixel(201, 61).0[0], 255);
        assert_eq!(img.get_pixel(last + 1, 61).0[0], 255);
        assert_eq!(
            img.get_pixel(last + 27, 61).0[0],
            0,
            "the digit's speck stays"
        );
    }

    #[test]
    fn a_line_through_digits_is_a_strike_and_a_table_rule_is_not() {
        let mut img = GrayImage::from_pixel(1000, 400, image::Luma([255]));
        // "Digits": vertical strokes 40 px tall, every 20 px, from x=100 to 300, y 100..140.
        for x in (100..300).step_by(20) {
            draw_filled_rect_mut(&mut img, Rect::at(x, 100).of_size(4, 40), image::Luma([0]));
        }
        // Strike through their middle.
        draw_filled_rect_mut(
            &mut img,
            Rect::at(95, 119).of_size(215, 3),
            image::Luma([0]),
        );
        // A table rule with nothing around it.
        draw_filled_rect_mut(
            &mut img,
            Rect::at(50, 300).of_size(900, 2),
            image::Luma([0]),
        );
        let line = |y: u32| {
            super::super::layout::lines_from_tokens(vec![super::super::layout::Token {
                text: "11,000".into(),
                confidence: 0.9,
                agreed: false,
                bbox: BBox {
                    x: 100,
                    y,
                    w: 204,
                    h: 40,
                },
            }])
        };
        let mut lines = line(100);
        lines.extend(line(280));
        let strikes = find_strikes(&img, &lines);
        assert_eq!(strikes.len(), 1, "{strikes:?}");
        assert!(strikes[0].y <= 119 && strikes[0].bottom() >= 121);

        // The struck value was not read at all: only its label, far left, is a line. The strike
        // right of it is still found (「教科書代 ……… 11,700円」 with the amount struck).
        let label = super::super::layout::lines_from_tokens(vec![super::super::layout::Token {
            text: "教科書代".into(),
            confidence: 0.9,
            agreed: false,
            bbox: BBox {
                x: 0,
                y: 100,
                w: 60,
                h: 40,
            },
        }]);
        let strikes = find_strikes(&img, &label);
        assert_eq!(strikes.len(), 1, "{strikes:?}");
    }

    #[test]
    fn a_dark_line_through_light_print_is_a_strike_and_a_rule_between_rows_is_not() {
        // Thin print scanned mid-gray (140) all along its strokes, as a light Mincho's digits are
        // (seed 3 sub039), struck by a dark double line: the strokes above and below are ink.
        let mut img = GrayImage::from_pixel(1000, 400, image::Luma([245]));
        let (light, dark) = (image::Luma([140]), image::Luma([30]));
        for x in (100..300).step_by(20) {
            draw_filled_rect_mut(&mut img, Rect::at(x, 100).of_size(4, 30), light);
        }
        for y in [112, 118] {
            draw_filled_rect_mut(&mut img, Rect::at(95, y).of_size(215, 2), dark);
        }
        // Rows of the same light print above and below a dark rule, clear of it by a third of
        // a character and more (as a table's rows are).
        for (x, y) in (100..300).step_by(20).flat_map(|x| [(x, 200), (x, 250)]) {
            draw_filled_rect_mut(&mut img, Rect::at(x, y).of_size(4, 30), light);
        }
        draw_filled_rect_mut(&mut img, Rect::at(50, 240).of_size(900, 2), dark);
        // A box's thick rule (4 px, blurred to mid-gray a pixel either side) with light print
        // starting just under it (seed 3 sub055's framed total above its 但し line).
        draw_filled_rect_mut(&mut img, Rect::at(50, 320).of_size(900, 6), light);
        draw_filled_rect_mut(&mut img, Rect::at(50, 321).of_size(900, 4), dark);
        for x in (100..300).step_by(20) {
            draw_filled_rect_mut(&mut img, Rect::at(x, 329).of_size(4, 30), light);
        }
        let strikes = strikes_in(
            &img,
            BBox {
                x: 0,
                y: 0,
                w: 1000,
                h: 400,
            },
            30,
        );
        assert_eq!(strikes.len(), 1, "{strikes:?}");
        assert!(strikes[0].y <= 112 && strikes[0].bottom() >= 120);

        // A column rule's crossing read as a word 3 px high (「還」 on seed 7 sub025's ruled
        // certificate) is no line of print to look along: the rule's own ink above and below
        // would make a strike of its width.
        draw_filled_rect_mut(&mut img, Rect::at(600, 20).of_size(8, 360), dark);
        let speck = super::super::layout::lines_from_tokens(vec![super::super::layout::Token {
            text: "還".into(),
            confidence: 0.0,
            agreed: false,
            bbox: BBox {
                x: 598,
                y: 200,
                w: 12,
                h: 3,
            },
        }]);
        assert_eq!(find_strikes(&img, &speck), vec![]);
    }

    #[test]
    fn a_ruled_tables_rules_are_erased_and_an_underline_is_kept() {
        let mut img = GrayImage::from_pixel(1200, 1200, image::Luma([250]));
        let ink = image::Luma([20]);
        // A table of three rows and two columns, 1000 × 300, rules 3 px.
        for y in [300, 400, 500, 600] {
            draw_filled_rect_mut(&mut img, Rect::at(100, y).of_size(1000, 3), ink);
        }
        for x in [100, 400, 1097] {
            draw_filled_rect_mut(&mut img, Rect::at(x, 300).of_size(3, 303), ink);
        }
        // Text in a cell, and an underline under a name elsewhere.
        draw_filled_rect_mut(&mut img, Rect::at(150, 330).of_size(4, 40), ink);
        draw_filled_rect_mut(&mut img, Rect::at(100, 900).of_size(600, 3), ink);
        assert!(erase_rules(&mut img).is_some());
        for (x, y) in [(700, 301), (250, 500), (101, 450), (401, 350), (1098, 550)] {
            assert_eq!(img.get_pixel(x, y).0[0], 255, "rule at ({x}, {y})");
        }
        assert_eq!(img.get_pixel(151, 350).0[0], 20, "text in a cell stays");
        assert_eq!(img.get_pixel(400, 901).0[0], 20, "an underline stays");

        // A frame round the page, no table: left as it is.
        let mut framed = GrayImage::from_pixel(1200, 1200, image::Luma([250]));
        for y in [50, 1140] {
            draw_filled_rect_mut(&mut framed, Rect::at(50, y).of_size(1100, 3), ink);
        }
        for x in [50, 1147] {
            draw_filled_rect_mut(&mut framed, Rect::at(x, 50).of_size(3, 1093), ink);
        }
        assert_eq!(erase_rules(&mut framed), None);
    }

    #[test]
    fn a_gray_stamp_on_a_struck_value_is_found_and_print_above_the_strike_is_not_one() {
        // Black "digits" 30 px tall struck through at y = 215, print 30 px tall.
        let digits = |img: &mut GrayImage| {
            for x in (100..300).step_by(25) {
                draw_filled_rect_mut(img, Rect::at(x, 200).of_size(6, 30), image::Luma([20]));
            }
            draw_filled_rect_mut(img, Rect::at(95, 214).of_size(210, 3), image::Luma([20]));
        };
        let strike = BBox {
            x: 95,
            y: 200,
            w: 210,
            h: 30,
        };
        // A light gray ring 44 px across stamped on the struck value.
        let mut stamped = GrayImage::from_pixel(400, 400, image::Luma([250]));
        for r in [21, 22] {
            draw_hollow_circle_mut(&mut stamped, (190, 215), r, image::Luma([170]));
        }
        digits(&mut stamped);
        let ring = ring_over(&stamped, &strike, 30).expect("the stamp is found");
        assert!(ring.x < 190 && ring.right() > 190, "{ring:?}");

        // No stamp: nothing; the corrected value in light print above the strike: nothing.
        let mut plain = GrayImage::from_pixel(400, 400, image::Luma([250]));
        digits(&mut plain);
        assert_eq!(ring_over(&plain, &strike, 30), None);
        for x in (100..300).step_by(22) {
            draw_filled_rect_mut(
                &mut plain,
                Rect::at(x, 168).of_size(14, 24),
                image::Luma([160]),
            );
        }
        assert_eq!(ring_over(&plain, &strike, 30), None);
    }

    #[test]
    fn a_gray_ring_closes_and_a_patch_of_light_print_does_not() {
        // As find_gray_seals maps ink, one pixel a cell: a ring of 16 cells across…
        let mut map = GrayImage::new(40, 40);
        draw_hollow_circle_mut(&mut map, (20, 20), 8, image::Luma([255]));
        draw_hollow_circle_mut(&mut map, (20, 20), 7, image::Luma([255]));
        let ring = clusters(&map, 20, Ink::Gray);
        assert_eq!(ring.len(), 1, "{ring:?}");
        assert!(ring[0].ring);
        // …and light print: glyph strokes side by side with a bar across, `w` cells wide and `h`
        // tall — half as wide again as tall, or square.
        let print = |w: u32, h: u32| {
            let mut map = GrayImage::new(w + 20, h + 20);
            for x in (10..10 + w).step_by(3) {
                draw_filled_rect_mut(
                    &mut map,
                    Rect::at(x as i32, 10).of_size(1, h),
                    image::Luma([255]),
                );
            }
            draw_filled_rect_mut(
                &mut map,
                Rect::at(10, 10 + h as i32 / 2).of_size(w, 1),
                image::Luma([255]),
            );
            clusters(&map, 20, Ink::Gray)
        };
        for (w, h) in [(22, 14), (16, 16)] {
            let seals = print(w, h);
            assert_eq!(seals.len(), 1, "{w}×{h}: {seals:?}");
            assert!(!seals[0].ring, "{w}×{h}: {seals:?}");
        }
    }

    #[test]
    fn a_gray_seals_frame_is_whited_out_of_a_line_and_the_print_under_it_kept() {
        // A line crop 60 px high: black print (a bar) that a 角印's gray frame (8 px thick, its
        // top side along the line and its left side down it) crosses.
        let mut crop = GrayImage::from_pixel(600, 60, image::Luma([255]));
        frame(&mut crop, (300, 24, 200, 200), 8, image::Luma([150]));
        draw_filled_rect_mut(
            &mut crop,
            Rect::at(100, 20).of_size(100, 16),
            image::Luma([20]),
        );
        draw_filled_rect_mut(
            &mut crop,
            Rect::at(280, 20).of_size(60, 16),
            image::Luma([20]),
        );
        let before = crop.clone();
        without_seal_frames(&mut crop, 28);
        let at = |x: u32, y: u32| crop.get_pixel(x, y).0[0];
        assert_eq!(at(450, 27), 255, "the frame's top side");
        assert_eq!(at(303, 50), 255, "the frame's left side");
        assert_eq!(at(320, 28), 20, "the print it crosses");
        assert_eq!(at(150, 28), 20, "print away from it");
        assert_eq!(at(60, 10), 255);
        // Gray print shorter than two characters (a small value) is left alone.
        let mut small = GrayImage::from_pixel(600, 60, image::Luma([255]));
        draw_filled_rect_mut(
            &mut small,
            Rect::at(100, 20).of_size(40, 16),
            image::Luma([150]),
        );
        let unchanged = small.clone();
        without_seal_frames(&mut small, 28);
        assert_eq!(small, unchanged);
        assert_ne!(crop, before);
    }
}
