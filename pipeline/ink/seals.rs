//! Seals on a page without red: gray stamp ink on a grayscale scan (a red stamp scans lighter than
//! black print), rings (a round 訂正印, also one stamped over a strike), and gray 角印 found from
//! their square sides; and the whiting-out of a seal's frame from a line's crop before it is read
//! again. Sizes are measured in the page's own character height, so the detectors hold at any
//! resolution. Red seals are found from [`super::red`]'s map with [`clusters`], a fax's from
//! [`super::halftone`]. Called by the reading of a page (`reading/page.rs`, `reading/looks/`).

use image::GrayImage;
use imageproc::region_labelling::{connected_components, Connectivity};

use crate::document::BBox;
use crate::extract::marks::{Ink, Marks, Seal};

use super::CELL;

/// Finds stamp ink on a grayscale scan: a red stamp scans mid-gray (about 100–190), lighter than
/// black print. The anti-aliased edge of black print is mid-gray too, so a mid-gray pixel counts only
/// when no dark pixel is within two pixels of it.
pub fn find_gray_seals(gray: &GrayImage, char_h: u32) -> Vec<Seal> {
    clusters(&gray_ink_map(gray), char_h, Ink::Gray)
}

/// The cells ([`CELL`] pixels a side) of `gray` holding stamp ink as [`find_gray_seals`] takes
/// it: three or more mid-gray pixels with no dark pixel within two of them.
pub(super) fn gray_ink_map(gray: &GrayImage) -> GrayImage {
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
    map
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
/// Adds to `marks` the gray ring over each of `strikes` that no ring seal is already found over
/// (see [`ring_over`]): a stamp on the value itself is not found beside the print. A ring whose
/// ink is clearly lighter than the struck black print's ([`stamp_lighter_than_print`]) is a gray
/// 訂正印: red ink scans mid-gray, print black. Any other ring is kept as an unsure ring
/// ([`Marks::unsure_rings`]), never as a seal: on a page whose print itself scanned gray, its
/// rules and strokes round the struck value close such rings too (seed 89 sub004: 「206,000」
/// struck in a table's cell with no 訂正印, read as sealed and paid). A person tells whether that
/// correction is sealed.
pub fn add_rings_over(marks: &mut Marks, strikes: &[BBox], gray: &GrayImage, char_h: u32) {
    for &strike in strikes {
        let stamped = marks
            .seals
            .iter()
            .any(|s| s.ring && s.bbox.overlaps(&strike));
        if stamped {
            continue;
        }
        let Some(bbox) = ring_over(gray, &strike, char_h) else {
            continue;
        };
        if stamp_lighter_than_print(gray, &bbox, &strike) {
            marks.seals.push(Seal {
                bbox,
                ink: Ink::Gray,
                ring: true,
            });
        } else {
            marks.unsure_rings.push(bbox);
        }
    }
}

/// How much lighter, at the least, a red stamp's ring scans than the print it is stamped over.
const STAMP_LIGHTER: u8 = 45;

/// Print this dark or lighter (its darkest twentieth) is gray print, whose strokes and rules close
/// rings of their own: no ring over it is sure.
const GRAY_PRINT: u8 = 72;

/// Whether the ring in `ring` (as [`ring_over`] returns it) is stamp ink rather than print, the
/// struck print in `strike` black: its arcs above and below the line (the darkest pixel within
/// two of the circle at each point) are, on the median, at least [`STAMP_LIGHTER`] lighter than
/// the print (its darkest twentieth), at most a third of them as dark as the print (within 25),
/// and the print darker than [`GRAY_PRINT`].
///
/// Measured on every ring found over a strike in the sealed and unsealed corrections of 24 seeds
/// (7–89, 97–139): the 21 gray 訂正印 over print 20–69 dark, their arcs 53–137 lighter, at most
/// 7 of 26 arc points as dark as the print; the two rings of print, both on gray print (74, 80),
/// 48 and 20 lighter, 10 and 15 of 26 as dark — seed 89 sub004 (a table cell's rules round
/// 「206,000」) and seed 107 sub029 (the corrected 「金98,000円也」 above and the rule below), each
/// paid on an unsealed correction when taken for a seal.
fn stamp_lighter_than_print(gray: &GrayImage, ring: &BBox, strike: &BBox) -> bool {
    let (w, h) = gray.dimensions();
    let at = |x: f32, y: f32| {
        let (x, y) = (x.round(), y.round());
        if x >= 0.0 && y >= 0.0 && (x as u32) < w && (y as u32) < h {
            gray.get_pixel(x as u32, y as u32).0[0]
        } else {
            255
        }
    };
    let r = (ring.w - 1) as f32 / 2.0;
    let (cx, cy) = (ring.x as f32 + r, ring.y as f32 + r);
    let mut arcs: Vec<u8> = (0..RING_POINTS)
        .map(|k| k as f32 * std::f32::consts::TAU / RING_POINTS as f32)
        .filter(|a| a.sin().abs() >= 0.7)
        .map(|a| {
            (-2..=2)
                .map(|d| at(cx + (r + d as f32) * a.cos(), cy + (r + d as f32) * a.sin()))
                .min()
                .unwrap_or(255)
        })
        .collect();
    let mut print: Vec<u8> = (strike.y..strike.bottom().min(h))
        .flat_map(|y| (strike.x..strike.right().min(w)).map(move |x| (x, y)))
        .map(|(x, y)| gray.get_pixel(x, y).0[0])
        .collect();
    if arcs.is_empty() || print.is_empty() {
        return false;
    }
    let dark = print.len() / 20;
    let print_ink = *print.select_nth_unstable(dark).1;
    let as_dark = arcs
        .iter()
        .filter(|&&v| v < print_ink.saturating_add(25))
        .count();
    let mid = arcs.len() / 2;
    let ring_ink = *arcs.select_nth_unstable(mid).1;
    print_ink < GRAY_PRINT
        && ring_ink >= print_ink.saturating_add(STAMP_LIGHTER)
        && as_dark * 3 <= arcs.len()
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
    let black = |x: i64, y: i64| inked(x, y) && !light(x, y);
    let step = (char_h / 4).max(2);
    let mid = strike.y + strike.h / 2;
    // Rounded up: a ring of the smallest radius must be as wide as a 訂正印 is (1.3 characters,
    // `extract::fields::read_marks`) — seed 23 sub021's gray 訂正印 was found 37 px across for
    // 37.7, and its correction read as unsealed.
    let (r_min, r_max) = ((char_h * 13).div_ceil(20), char_h * 8 / 5);
    for cy in (mid.saturating_sub(step)..=mid + step).step_by(2) {
        for cx in (strike.x..=strike.right()).step_by(2) {
            for r in (r_min..=r_max).step_by(2) {
                let (mut arcs, mut arcs_gray, mut arcs_inked, mut arcs_black) = (0, 0, 0, 0);
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
                        arcs_black += u32::from(near(&black));
                    } else {
                        sides += 1;
                        sides_inked += u32::from(near(&inked));
                    }
                }
                if arcs_inked * 10 >= arcs * 9
                    && arcs_gray * 10 >= arcs * 6
                    && arcs_black * 10 <= arcs * 4
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
/// Gray 角印 (square seals) on a page whose print is black: [`find_gray_seals`] takes no gray ink
/// beside black print, and a 角印 is set over the issuer's name, so it finds only pieces of one.
/// A square is found from its sides: runs of stamp ink (darker than paper, 216) two to eight
/// characters `char_h` long, along rows and down columns, at least three-fifths of it gray (print
/// crossing a side is black, a rule or a printed box is black along all of it) and a few pixels
/// thick ([`gray_sides`]); a top and a bottom
/// of like ends, about as far apart as they are long, joined at both ends by such a run down, with
/// gray engraving inside. Also returns the squares each side found along the rows would close
/// ([`side_squares`]), for [`super::crossed_seals`] to look for a stamp in without scanning the
/// page's rows again.
pub fn square_seals(gray: &GrayImage, char_h: u32) -> (Vec<Seal>, Vec<BBox>) {
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
            // A side down runs from the top to the bottom, or on past either by up to a
            // character where print touches it (seed 67 sub010: the address under a gray 角印
            // touching its lower left corner, the left side running on 15 px below it).
            let down = |x: u32| {
                cols_near(x, top.at(), bottom.at()).any(|c| {
                    near(c.at(), x)
                        && c.from <= top.at() + char_h / 2
                        && c.from + char_h >= top.first
                        && c.to + char_h / 2 >= bottom.at()
                        && c.to <= bottom.last + 1 + char_h
                })
            };
            // Print touching a side lengthens its run: the shorter ends are the square's (seed 71
            // sub054: the address touching a 角印's lower right corner, its bottom side 12 px
            // longer, its right side sought there and not found).
            let (x0, x1) = (top.from.max(bottom.from), top.to.min(bottom.to));
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
    (out, side_squares(&rows, h))
}

/// The squares each side of stamp ink found along the rows (`rows`, on a page `h` high) would
/// close: below it as their top, above it as their bottom. A 角印 whose other sides the print over
/// it cut, or whose ink runs dark there, is found by no outline (seed 79 sub013: a gray 角印 over
/// the issuer, its bottom side under the address and as dark as print, only its top found; read
/// surely sealless, a wrong 補正依頼). The caller takes no seal from these, only doubt.
fn side_squares(rows: &[Side], h: u32) -> Vec<BBox> {
    rows.iter()
        .flat_map(|s| {
            let side = s.to - s.from;
            let below = BBox {
                x: s.from,
                y: s.first,
                w: side,
                h: side.min(h - s.first),
            };
            let top = (s.last + 1).saturating_sub(side);
            let above = BBox {
                x: s.from,
                y: top,
                w: side,
                h: s.last + 1 - top,
            };
            [below, above]
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_circle_mut};
    use imageproc::rect::Rect;

    use crate::ink::frame;

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
        let (found, _) = square_seals(&img, 32);
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

    /// The one 角印 `square_seals` finds on `fixture` (print `char_h`), which must be `frame`
    /// (left, top, right, bottom) within 6 px.
    fn the_one_square(fixture: &str, char_h: u32, (x, y, right, bottom): (u32, u32, u32, u32)) {
        let (found, _) = square_seals(&crate::ink::fixture(fixture), char_h);
        assert_eq!(found.len(), 1, "{found:?}");
        let b = found[0].bbox;
        assert!(
            b.x.abs_diff(x) <= 6 && b.right().abs_diff(right) <= 6,
            "{b:?}"
        );
        assert!(
            b.y.abs_diff(y) <= 6 && b.bottom().abs_diff(bottom) <= 6,
            "{b:?}"
        );
    }

    #[test]
    fn a_gray_square_seal_whose_side_print_touches_below_is_found() {
        // Seed 67 sub010 as kyufu reads it (print 29 px): a light 角印 over the issuer's names,
        // the address line under it touching its lower left corner, so that its left side runs
        // on 15 px below the bottom side. Not found, the receipt read as surely unsealed and the
        // family was asked for a sealed one. The frame: x 624–774, y 844–988 on the page, the
        // crop taken at (540, 800).
        the_one_square("square-stamp-print-touching.png", 29, (84, 44, 234, 188));
    }

    #[test]
    fn a_gray_square_seal_whose_bottom_print_lengthens_is_found() {
        // Seed 71 sub054 (print 28 px): the address touching a light 角印's lower right corner
        // lengthens its bottom side by 12 px; the right side was looked for at the longer end,
        // the 角印 not found and the receipt read as surely unsealed. The frame: x 1540–1692,
        // y 263–416 on the page, the crop taken at (1460, 210).
        the_one_square(
            "square-stamp-print-touching-right.png",
            28,
            (80, 53, 232, 206),
        );
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
    fn a_small_gray_correction_seal_is_found_as_wide_as_a_correction_seal_is_and_is_one() {
        // Seed 23 sub021, scanned gray (print 29 px): 「87,000円」 struck, 「82,000円」 written above,
        // a small gray 訂正印 on the strike. Its ring was found at the smallest radius, rounded
        // down to 37 px across — under the 1.3 characters (37.7) a 訂正印 must be, so the
        // correction was read as unsealed.
        let crop = crate::ink::fixture("gray-correction-seal-small.png");
        // The strike as found on the page (334, 690, 143 × 38), the crop taken at (300, 620).
        let strike = BBox {
            x: 34,
            y: 70,
            w: 143,
            h: 38,
        };
        let ring = ring_over(&crop, &strike, 29).expect("the 訂正印's ring");
        assert!(ring.w * 10 >= 29 * 13 && ring.h * 10 >= 29 * 13, "{ring:?}");
        assert!(ring.overlaps(&strike), "{ring:?}");
        // Stamp gray over black print: a 訂正印, no unsure ring.
        let mut marks = Marks::default();
        add_rings_over(&mut marks, &[strike], &crop, 29);
        assert!(
            marks
                .seals
                .iter()
                .any(|s| s.ring && s.bbox.overlaps(&strike)),
            "{marks:?}"
        );
        assert!(marks.unsure_rings.is_empty(), "{marks:?}");
    }

    /// Asserts that the one ring found over `strike` on `crop` is unsure, no seal.
    fn only_unsure(crop: &GrayImage, strike: BBox, char_h: u32) {
        let mut marks = Marks::default();
        add_rings_over(&mut marks, &[strike], crop, char_h);
        assert!(marks.seals.is_empty(), "{marks:?}");
        assert_eq!(marks.unsure_rings.len(), 1, "{marks:?}");
    }

    #[test]
    fn a_ring_of_gray_print_over_a_strike_is_unsure() {
        // Seed 89 sub004, a gray scan of light Mincho print: 「206,000」 struck in a table's cell,
        // no 訂正印. The cell's rules and the struck digits close a ring as dark as the print.
        let crop = crate::ink::fixture("gray-print-table-cell-strike.png");
        // The strike as found on the page (835, 637, 108 × 39), the crop taken at (760, 560).
        let strike = BBox {
            x: 75,
            y: 77,
            w: 108,
            h: 39,
        };
        only_unsure(&crop, strike, 26);

        // Seed 107 sub029, gray Mincho print: 「金97,000円也」 struck, 「金98,000円也」 written
        // above, the amount's rule below, no 訂正印. A ring through the corrected value's strokes
        // and the rule is 48 levels lighter than the print on the median — but half its arc is
        // as dark as the print, and the print is gray.
        let crop = crate::ink::fixture("gray-print-corrected-above-strike.png");
        // The strike as found on the page (526, 330, 224 × 34), the crop taken at (450, 240).
        let strike = BBox {
            x: 76,
            y: 90,
            w: 224,
            h: 34,
        };
        only_unsure(&crop, strike, 30);
        // The ring as found on the page (550, 309, 69 across), a pixel off the crop's.
        let ring = BBox {
            x: 100,
            y: 69,
            w: 69,
            h: 69,
        };
        assert!(!stamp_lighter_than_print(&crop, &ring, &strike));
    }

    #[test]
    fn a_struck_date_with_its_correction_written_close_above_has_no_ring() {
        // Seed 83 sub017, a certificate scanned gray: 「令和7年9月4日」 struck twice, no 訂正印,
        // 「令和7年8月30日」 written just above. A circle through the correction's foot and the
        // struck glyphs' was 'inked' and 'gray' along both arcs (the glyphs' edges are gray), and
        // passed for a 訂正印: the unsealed correction was paid. Its arcs are half black print.
        let crop = crate::ink::fixture("struck-date-under-correction.png");
        // A strike as found on the page (781, 1132, 78 × 33, over 「9月4日」), the crop taken at
        // (560, 1060).
        let strike = BBox {
            x: 221,
            y: 72,
            w: 78,
            h: 33,
        };
        assert_eq!(ring_over(&crop, &strike, 33), None);
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
