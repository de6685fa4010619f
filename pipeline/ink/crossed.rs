//! Gray seals stamped over print (a 領収印 set on the total, a 角印 over the issuer's name): found
//! whole from their outline on the gray page, where [`super::find_gray_seals`] sees only pieces.
//! It takes no gray ink within two pixels of black print (every glyph's edge is gray), so digits
//! and rules crossing a ring cut it into pieces none of which is of a 領収印's size, and the
//! receipt would be read as surely without one. Here the pieces lying close together are grouped,
//! and round each group a circle (on a red page a square too) is looked for on the image: its outline
//! nearly all inked, mostly in stamp gray (print crossing it is black), paper just outside it
//! (text blocks and light print fail this), an engraving inside, and of a 領収印's size.
//!
//! Red seals crossed by print are looked for the same way, the red laid back on the page in gray.
//! Not here: a fax's halftone, and what a found seal means (`extract`). Called by the reading of
//! a page (`reading/page.rs`) on a scan when no seal of a 領収印's size was found.

use image::GrayImage;
use imageproc::region_labelling::{connected_components, Connectivity};

use crate::document::BBox;
use crate::extract::marks::{Ink, Seal};

use super::seals::gray_ink_map;
use super::CELL;

/// Gray seals crossed by print on `gray`, a scanned page whose print is black; `char_h` is the
/// page's character height. Also returns the traces: groups of stamp-gray ink of a 領収印's size
/// round which no outline was found — a stamp the print over it hides (a gray 角印 stamped over
/// the date and the total, its sides cut by both: seed 13 sub058, read surely sealless and a
/// wrong 補正依頼), or light print. The caller takes no seal from a trace, and no sure absence.
/// `sides` are the squares the stamp-gray sides [`super::square_seals`] found would close.
pub fn crossed_seals(gray: &GrayImage, char_h: u32, sides: &[BBox]) -> (Vec<Seal>, Vec<BBox>) {
    // Rings only: on a gray page a table's rules in gray close squares round its cells (seed
    // 11 sub039, a sealless receipt read as sealed), and a 角印 is looked for from its sides
    // ([`super::square_seals`]).
    let char_h = char_h.max(8);
    let map = gray_ink_map(gray);
    let groups = groups(&map, char_h);
    let seals = crossed_in(gray, &groups, char_h, Ink::Gray, &[Shape::Circle]);
    let mut traces: Vec<BBox> = groups
        .into_iter()
        .filter(|g| !seals.iter().any(|s| s.bbox.overlaps(g)))
        .filter(|g| stamp_sized(g, char_h) && inked_share(&map, g) >= 0.1)
        .filter(|g| crossed_by_print(gray, g))
        // A 角印's sides run straight (a ring crossed by print is found whole by its outline,
        // above); gray left at the edges of a table's text by deskewing does not (seed 14
        // sub002, a sealless credit contract sent to review: 16 % of its gray on straight runs,
        // against 65 % for seed 13 sub058's 角印).
        .filter(|g| straight_share(&map, g) >= 0.35)
        .collect();
    // A 角印 of which one side alone was found: the square it would close holds stamp ink
    // (its engraving) and print crosses it.
    for &square in sides {
        let known = |b: &BBox| b.overlaps(&square);
        if !seals.iter().any(|s| known(&s.bbox))
            && !traces.iter().any(known)
            && inked_share(&map, &square) >= 0.1
            && crossed_by_print(gray, &square)
        {
            traces.push(square);
        }
    }
    (seals, traces)
}

/// Whether `group` is of a seal's size: each side from a 領収印's least (2.2 characters, as
/// [`Seal::is_large`]) to seven (a 角印 of 45 mm over 8 mm print, 5.6 characters: seed 13
/// sub058), neither over twice the other.
fn stamp_sized(group: &BBox, char_h: u32) -> bool {
    let side = |v: u32| v * 5 >= char_h * 11 && v <= char_h * 7;
    side(group.w) && side(group.h) && group.w <= group.h * 2 && group.h <= group.w * 2
}

/// Whether black print lies across `group` (one pixel in fifty of its box): stamp ink the print
/// did not cut would have been found whole by the gray finder, and a seal's place printed in light
/// gray (a circle with 「印」 in it) is no stamp.
fn crossed_by_print(gray: &GrayImage, group: &BBox) -> bool {
    let (x1, y1) = (
        group.right().min(gray.width()),
        group.bottom().min(gray.height()),
    );
    let dark = (group.y..y1)
        .flat_map(|y| (group.x..x1).map(move |x| (x, y)))
        .filter(|&(x, y)| gray.get_pixel(x, y).0[0] < 85)
        .count() as u64;
    dark * 50 >= u64::from(group.w) * u64::from(group.h)
}

/// The share of the stamp cells inside `group` that lie on a straight run of six cells or more
/// across or down (24 px): a 角印's frame.
fn straight_share(map: &GrayImage, group: &BBox) -> f32 {
    let (x0, y0) = (group.x / CELL, group.y / CELL);
    let (x1, y1) = (
        (group.right() / CELL).min(map.width()),
        (group.bottom() / CELL).min(map.height()),
    );
    let inked = |x: u32, y: u32| map.get_pixel(x, y).0[0] > 0;
    let (w, h) = (
        (x1.saturating_sub(x0)) as usize,
        (y1.saturating_sub(y0)) as usize,
    );
    let mut straight = vec![false; w * h];
    // Each row, then each column, of the box's cells, walked for runs of six inked cells or more.
    let rows = (y0..y1).map(|y| (x0..x1).map(move |x| (x, y)).collect::<Vec<_>>());
    let columns = (x0..x1).map(|x| (y0..y1).map(move |y| (x, y)).collect::<Vec<_>>());
    for cells in rows.chain(columns) {
        for run in cells
            .split(|&(x, y)| !inked(x, y))
            .filter(|run| run.len() >= 6)
        {
            for &(x, y) in run {
                straight[((y - y0) as usize) * w + (x - x0) as usize] = true;
            }
        }
    }
    let cells = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .filter(|&(x, y)| inked(x, y))
        .count();
    let on_runs = straight.iter().filter(|&&s| s).count();
    on_runs as f32 / cells.max(1) as f32
}

/// The share of the map's cells inside `group` (a box in pixels) that hold stamp ink.
fn inked_share(map: &GrayImage, group: &BBox) -> f32 {
    let (x0, y0) = (group.x / CELL, group.y / CELL);
    let (x1, y1) = (
        (group.right() / CELL).min(map.width()),
        (group.bottom() / CELL).min(map.height()),
    );
    let cells = (x1.saturating_sub(x0) * y1.saturating_sub(y0)).max(1);
    let inked = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .filter(|&(x, y)| map.get_pixel(x, y).0[0] > 0)
        .count();
    inked as f32 / cells as f32
}

/// Red seals crossed by print on a scanned colour page: `page` is it in gray with the red
/// dropped out, `red` the [`super::red_map`] of where the red was. A thick rule or a line of
/// digits crossing a red 角印's frame cuts the map's frame into pieces too, and what is left of
/// a seal's size is its characters, which close no outline (seed 13 sub021). The red is laid
/// back on the page in stamp gray, a map cell at a time, and looked at as a gray page is.
pub fn crossed_red_seals(page: &GrayImage, red: &GrayImage, char_h: u32) -> Vec<Seal> {
    let mut seen = page.clone();
    for (x, y, p) in seen.enumerate_pixels_mut() {
        let (mx, my) = (x / CELL, y / CELL);
        let is_red = mx < red.width() && my < red.height() && red.get_pixel(mx, my).0[0] > 0;
        // Paper only: black print crossing the stamp stays black, as on a gray scan.
        if is_red && p.0[0] > 215 {
            p.0[0] = RED_AS_GRAY;
        }
    }
    // Squares too: no rule is red.
    crossed(&seen, char_h, Ink::Red, &[Shape::Circle, Shape::Square])
}

/// The gray red stamp ink is laid back as: mid-gray, where [`gray_ink_map`] takes stamp ink.
const RED_AS_GRAY: u8 = 150;

fn crossed(gray: &GrayImage, char_h: u32, ink: Ink, shapes: &[Shape]) -> Vec<Seal> {
    let char_h = char_h.max(8);
    let groups = groups(&gray_ink_map(gray), char_h);
    crossed_in(gray, &groups, char_h, ink, shapes)
}

/// The seals whose outline is found round `groups` of stamp ink on `gray`.
fn crossed_in(
    gray: &GrayImage,
    groups: &[BBox],
    char_h: u32,
    ink: Ink,
    shapes: &[Shape],
) -> Vec<Seal> {
    let mut found: Vec<Seal> = Vec::new();
    for group in groups {
        if found.iter().any(|s| s.bbox.overlaps(group)) {
            continue;
        }
        if let Some(seal) = outline_in(gray, group, char_h, shapes) {
            found.push(Seal { ink, ..seal });
        }
    }
    found
}

/// Boxes (in pixels) of the pieces of gray ink that lie close together: pieces less than two
/// thirds of a character apart are one group. Print crossing a ring takes its ink out a stroke
/// and two pixels either side of it, and a line of digits a band of it; the engraving inside
/// bridges what is left. Groups smaller than a 領収印 less a character either way (a gray glyph,
/// a speck) are left out: a ring's arcs away from the print are found, so its group spans it.
fn groups(map: &GrayImage, char_h: u32) -> Vec<BBox> {
    let labels = connected_components(map, Connectivity::Eight, image::Luma([0u8]));
    let mut boxes: std::collections::BTreeMap<u32, [u32; 4]> = std::collections::BTreeMap::new();
    for (x, y, l) in labels.enumerate_pixels() {
        if l.0[0] == 0 {
            continue;
        }
        let b = boxes.entry(l.0[0]).or_insert([x, y, x, y]);
        *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    let pieces: Vec<[u32; 4]> = boxes.into_values().collect();
    let gap = (char_h * 2 / 3).div_ceil(CELL);
    let mut parent: Vec<usize> = (0..pieces.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..pieces.len() {
        for j in i + 1..pieces.len() {
            let (a, b) = (pieces[i], pieces[j]);
            let near = a[0] <= b[2] + gap
                && b[0] <= a[2] + gap
                && a[1] <= b[3] + gap
                && b[1] <= a[3] + gap;
            if near {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    let mut merged: std::collections::BTreeMap<usize, [u32; 4]> = std::collections::BTreeMap::new();
    for (i, p) in pieces.iter().enumerate() {
        let r = root(&mut parent, i);
        let b = merged.entry(r).or_insert(*p);
        *b = [
            b[0].min(p[0]),
            b[1].min(p[1]),
            b[2].max(p[2]),
            b[3].max(p[3]),
        ];
    }
    let least = (char_h * 11 / 5).saturating_sub(char_h);
    merged
        .into_values()
        .map(|[x0, y0, x1, y1]| BBox {
            x: x0 * CELL,
            y: y0 * CELL,
            w: (x1 - x0 + 1) * CELL,
            h: (y1 - y0 + 1) * CELL,
        })
        .filter(|b| b.w >= least && b.h >= least)
        .collect()
}

/// The shapes a seal's outline takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A round 領収印.
    Circle,
    /// A 角印.
    Square,
}

/// A seal's outline looked for round `group`, the largest first (the engraving inside a ring
/// is no ring): from four characters across (or the group's larger side and a character) down
/// to a 領収印's least, 2.2 characters, lying within the group and half a character round it —
/// a ring's arcs away from the print are among its pieces, so the group spans the ring, or more
/// when print in light gray lies beside it. Looked for coarsely first (a quarter of a character
/// apart, three pixels either side of the outline, a seventh of it may be blank), then closely
/// round what passes: a page's groups of light print cost a tenth of a second looked at closely.
fn outline_in(gray: &GrayImage, group: &BBox, char_h: u32, shapes: &[Shape]) -> Option<Seal> {
    let step = (char_h / 4).max(4);
    let margin = char_h / 2;
    let r_min = char_h * 11 / 10;
    let r_max = (group.w.max(group.h) / 2 + margin).min(char_h * 4);
    let (lo_x, hi_x) = (group.x.saturating_sub(margin), group.right() + margin);
    let (lo_y, hi_y) = (group.y.saturating_sub(margin), group.bottom() + margin);
    let darkest = Darkest::over(gray, (lo_x, lo_y, hi_x, hi_y), 3);
    for r in (r_min..=r_max).rev().step_by(4) {
        if lo_x + 2 * r > hi_x || lo_y + 2 * r > hi_y {
            continue;
        }
        for cy in (lo_y + r..=hi_y - r).step_by(step as usize) {
            for cx in (lo_x + r..=hi_x - r).step_by(step as usize) {
                for &shape in shapes {
                    if !darkest.may_be_outline(shape, (cx, cy), r) {
                        continue;
                    }
                    let half = step / 2 + 1;
                    for rr in (r.saturating_sub(3)..=r + 3).rev() {
                        for y in (cy.saturating_sub(half)..=cy + half).step_by(2) {
                            for x in (cx.saturating_sub(half)..=cx + half).step_by(2) {
                                if let Some(bbox) = outline_at(gray, shape, (x, y), rr, char_h) {
                                    return Some(Seal {
                                        bbox,
                                        ink: Ink::Gray,
                                        ring: shape == Shape::Circle,
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    None
}

/// Points looked at along an outline.
const POINTS: u32 = 96;

/// How closely an outline is looked at: how many pixels either side of it across, and at how
/// many of its [`POINTS`] none of those may be ink.
#[derive(Debug, Clone, Copy)]
struct Look {
    across: i32,
    blank: u32,
}

/// Point `k` of the outline of `shape` centred at `c`, `r` from it, and the outward direction
/// across the outline there.
fn outline_point(shape: Shape, c: (u32, u32), r: u32, k: u32) -> ((f32, f32), (f32, f32)) {
    let (cx, cy, rf) = (c.0 as f32, c.1 as f32, r as f32);
    let t = k as f32 / POINTS as f32;
    match shape {
        Shape::Circle => {
            let (dy, dx) = (t * std::f32::consts::TAU).sin_cos();
            ((cx + rf * dx, cy + rf * dy), (dx, dy))
        }
        Shape::Square => {
            // Along the four sides in turn, each from one corner to the next.
            let s = t * 4.0;
            let along = (s.fract() * 2.0 - 1.0) * rf;
            match s as u32 {
                0 => ((cx + along, cy - rf), (0.0, -1.0)),
                1 => ((cx + rf, cy + along), (1.0, 0.0)),
                2 => ((cx - along, cy + rf), (0.0, 1.0)),
                _ => ((cx - rf, cy - along), (-1.0, 0.0)),
            }
        }
    }
}

/// The pixel of `gray` nearest to `(x, y)`; paper outside the page.
fn pixel(gray: &GrayImage, x: f32, y: f32) -> u8 {
    let (x, y) = (x.round(), y.round());
    if x < 0.0 || y < 0.0 || x as u32 >= gray.width() || y as u32 >= gray.height() {
        return 255;
    }
    gray.get_pixel(x as u32, y as u32).0[0]
}

/// The darkest pixel within `reach` of each pixel of a part of the page (a group and its
/// margin), for the coarse look: one read a point instead of one a pixel across the outline.
struct Darkest {
    x0: u32,
    y0: u32,
    w: u32,
    h: u32,
    min: Vec<u8>,
}

impl Darkest {
    /// Over `x0..x1`, `y0..y1` of `gray` (clipped to it): a minimum filter, rows then columns.
    fn over(gray: &GrayImage, (x0, y0, x1, y1): (u32, u32, u32, u32), reach: u32) -> Darkest {
        let (x1, y1) = (x1.min(gray.width()), y1.min(gray.height()));
        let (w, h) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
        let (wu, hu) = (w as usize, h as usize);
        let mut rows = vec![255u8; wu * hu];
        for y in 0..h {
            for x in 0..w {
                let (a, b) = (x.saturating_sub(reach), (x + reach + 1).min(w));
                rows[(y * w + x) as usize] = (a..b)
                    .map(|xx| gray.get_pixel(x0 + xx, y0 + y).0[0])
                    .min()
                    .unwrap_or(255);
            }
        }
        let mut min = vec![255u8; wu * hu];
        for y in 0..h {
            for x in 0..w {
                let (a, b) = (y.saturating_sub(reach), (y + reach + 1).min(h));
                min[(y * w + x) as usize] = (a..b)
                    .map(|yy| rows[(yy * w + x) as usize])
                    .min()
                    .unwrap_or(255);
            }
        }
        Darkest { x0, y0, w, h, min }
    }

    fn at(&self, x: f32, y: f32) -> u8 {
        let (x, y) = (x.round() - self.x0 as f32, y.round() - self.y0 as f32);
        if x < 0.0 || y < 0.0 || x as u32 >= self.w || y as u32 >= self.h {
            return 255;
        }
        self.min[(y as u32 * self.w + x as u32) as usize]
    }

    /// The coarse look: ink near the outline at all but a seventh of its points, and stamp gray
    /// (no black near) at over a third — the close look ([`outline_at`]) decides.
    fn may_be_outline(&self, shape: Shape, c: (u32, u32), r: u32) -> bool {
        let (mut blank, mut stamp) = (0, 0);
        for i in 0..POINTS {
            let ((px, py), _) = outline_point(shape, c, r, (i * 7) % POINTS);
            let v = self.at(px, py);
            if v > 215 {
                blank += 1;
                if blank > POINTS / 7 {
                    return false;
                }
            } else if v >= 85 {
                stamp += 1;
            }
        }
        stamp * 3 > POINTS
    }
}

/// The darkest and the lightest pixel across the outline at point `k`, `across` either side.
fn across_outline(
    gray: &GrayImage,
    shape: Shape,
    c: (u32, u32),
    r: u32,
    k: u32,
    across: i32,
) -> (u8, u8) {
    let ((px, py), (nx, ny)) = outline_point(shape, c, r, k);
    (-across..=across)
        .map(|d| pixel(gray, px + nx * d as f32, py + ny * d as f32))
        .fold((255, 0), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

/// Whether the outline is ink (216 or darker) within `look.across` of it at all but
/// `look.blank` of its points, and at over half of them that ink is stamp gray with no black print among it (print crossing a seal is black where it crosses; a
/// printed circle, a box or a table's rules are black all along). Every seventh point first (96
/// and 7 are coprime, so all are visited): an outline that is not a seal's fails within a few
/// points, wherever its blank arc lies.
fn stamped_along(gray: &GrayImage, shape: Shape, c: (u32, u32), r: u32, look: Look) -> bool {
    let (mut blank, mut stamp) = (0, 0);
    for i in 0..POINTS {
        let (darkest, _) = across_outline(gray, shape, c, r, (i * 7) % POINTS, look.across);
        if darkest > 215 {
            blank += 1;
            if blank > look.blank {
                return false;
            }
        } else if darkest >= 85 {
            stamp += 1;
        }
    }
    stamp * 2 > POINTS
}

/// Whether a seal's outline of `shape` lies centred at `c`, `r` from it (a square's half side):
/// at 95 in 100 of its points a pixel within one of it across is ink, at over half of them
/// stamp gray ([`stamped_along`]); a third of a character outside it, paper at seven in ten points or more (seals set over a
/// line of digits and two rules measured 81–93 % on seed 13; a circle inside a till receipt's
/// barcode, whose blurred gaps are inked, 52 %: light print in a block is inked there too); and
/// an engraving inside ([`engraved`]). Returns the seal's box.
fn outline_at(gray: &GrayImage, shape: Shape, c: (u32, u32), r: u32, char_h: u32) -> Option<BBox> {
    let close = Look {
        across: 1,
        blank: POINTS / 20,
    };
    if !stamped_along(gray, shape, c, r, close) {
        return None;
    }
    let out = (char_h / 3).max(4) as f32;
    let paper_out = (0..POINTS)
        .filter(|&k| {
            let ((px, py), (nx, ny)) = outline_point(shape, c, r, k);
            pixel(gray, px + nx * out, py + ny * out) > 215
        })
        .count() as u32;
    if paper_out * 10 < POINTS * 7 {
        return None;
    }

    let bbox = BBox {
        x: c.0.saturating_sub(r + 2),
        y: c.1.saturating_sub(r + 2),
        w: 2 * r + 5,
        h: 2 * r + 5,
    };
    engraved(gray, c, r, char_h).then_some(bbox)
}

/// Whether an engraving lies inside an outline centred at `c`, `r` from it: in the square a
/// third of a character inside it (for a circle, the square it encloses), an eighth or more of
/// the pixels are stamp gray (100–215) — a seal's characters make a fifth to a third, an empty
/// box or circle printed in light gray none.
fn engraved(gray: &GrayImage, c: (u32, u32), r: u32, char_h: u32) -> bool {
    let half = (r * 7 / 10).saturating_sub(char_h / 3);
    if half < 2 {
        return false;
    }
    let (x0, y0) = (c.0.saturating_sub(half), c.1.saturating_sub(half));
    let (x1, y1) = (
        (c.0 + half).min(gray.width()),
        (c.1 + half).min(gray.height()),
    );
    if x1 <= x0 || y1 <= y0 {
        return false;
    }
    let mut light = 0u64;
    for y in y0..y1 {
        for x in x0..x1 {
            light += u64::from((100..216).contains(&gray.get_pixel(x, y).0[0]));
        }
    }
    let area = u64::from(x1 - x0) * u64::from(y1 - y0);
    light * 8 >= area
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_circle_mut};
    use imageproc::rect::Rect;

    use crate::ink::{find_gray_seals, frame};

    /// Character height of the drawn pages: 32 px, as print at 12 pt scanned at 200 dpi.
    const CHAR_H: u32 = 32;

    /// Crossed seals and traces, as the page's reading looks for them: with the sides the square
    /// finder found.
    fn crossed(page: &GrayImage) -> (Vec<Seal>, Vec<BBox>) {
        let (_, sides) = crate::ink::square_seals(page, CHAR_H);
        crossed_seals(page, CHAR_H, &sides)
    }

    fn paper() -> GrayImage {
        GrayImage::from_pixel(1200, 800, image::Luma([245]))
    }

    /// Lays `stamp` (black where it is inked) over `page` in stamp gray: stamp ink darkens what
    /// it is set on, and black print stays black.
    fn stamp_over(page: &mut GrayImage, stamp: &GrayImage, ink: u8) {
        for (p, s) in page.pixels_mut().zip(stamp.pixels()) {
            p.0[0] = p.0[0].min(s.0[0].max(ink));
        }
    }

    /// A line of black print with a rule above and below it, as a receipt's total.
    fn total_between_rules(page: &mut GrayImage, font: &ab_glyph::FontVec) {
        crate::ocr::testpage::draw(page, font, "金87,000円也", 440.0, 384.0, 40.0);
        for y in [360, 440] {
            draw_filled_rect_mut(page, Rect::at(200, y).of_size(800, 3), image::Luma([25]));
        }
    }

    #[test]
    fn a_gray_ring_stamped_over_the_total_and_its_rules_is_found_whole() {
        let font = crate::ocr::testpage::font();
        let mut page = paper();
        total_between_rules(&mut page, &font);
        // A round 領収印 150 px across, its ring 6 px thick, engraved with four kana, set on the
        // total's digits so that they and both rules cross it.
        let mut stamp = GrayImage::from_pixel(1200, 800, image::Luma([255]));
        for r in 70..76 {
            draw_hollow_circle_mut(&mut stamp, (560, 405), r, image::Luma([0]));
        }
        crate::ocr::testpage::draw(&mut stamp, &font, "いみ", 505.0, 345.0, 55.0);
        crate::ocr::testpage::draw(&mut stamp, &font, "保ら", 505.0, 405.0, 55.0);
        stamp_over(&mut page, &stamp, 130);

        // The pieces alone: none of a 領収印's size.
        let pieces = find_gray_seals(&page, CHAR_H);
        assert!(!pieces.iter().any(|s| s.is_large(CHAR_H)), "{pieces:?}");
        let (found, _) = crossed(&page);
        assert_eq!(found.len(), 1, "{found:?}");
        let seal = found[0];
        assert!(seal.ring && seal.is_large(CHAR_H), "{seal:?}");
        assert!(
            seal.bbox.x.abs_diff(485) <= 8 && seal.bbox.right().abs_diff(636) <= 8,
            "{seal:?}"
        );
        assert!(
            seal.bbox.y.abs_diff(330) <= 8 && seal.bbox.bottom().abs_diff(481) <= 8,
            "{seal:?}"
        );
    }

    #[test]
    fn light_print_a_printed_circle_and_a_ruled_table_are_no_seal() {
        let font = crate::ocr::testpage::font();
        let mut page = paper();
        // An address block in small light gray type, four lines.
        let mut light = GrayImage::from_pixel(1200, 800, image::Luma([255]));
        for (i, line) in [
            "〒330-0061 埼玉県さいたま市浦和区常盤2丁目15番5号",
            "電話 026-000-4969 FAX 026-000-4970",
            "代表取締役社長 橋本 信也",
            "登録番号 T1234567890123",
        ]
        .iter()
        .enumerate()
        {
            crate::ocr::testpage::draw(&mut light, &font, line, 80.0, 60.0 + 34.0 * i as f32, 26.0);
        }
        stamp_over(&mut page, &light, 150);
        // A circle glyph in black print, and a printed circle for the seal, black, a 領収印's
        // size, with 「印」 small inside it; the same in light gray.
        crate::ocr::testpage::draw(&mut page, &font, "◯ 〇 ○", 80.0, 260.0, 40.0);
        for r in 60..63 {
            draw_hollow_circle_mut(&mut page, (900, 150), r, image::Luma([30]));
            draw_hollow_circle_mut(&mut page, (1080, 150), r, image::Luma([160]));
        }
        crate::ocr::testpage::draw(&mut page, &font, "印", 888.0, 136.0, 24.0);
        crate::ocr::testpage::draw(&mut page, &font, "印", 1068.0, 136.0, 24.0);
        // A ruled table of four rows and three columns, its labels in black.
        for i in 0..5 {
            draw_filled_rect_mut(
                &mut page,
                Rect::at(80, 400 + 70 * i).of_size(900, 2),
                image::Luma([40]),
            );
        }
        for x in [80, 380, 680, 978] {
            draw_filled_rect_mut(
                &mut page,
                Rect::at(x, 400).of_size(2, 282),
                image::Luma([40]),
            );
        }
        for i in 0..4 {
            let y = 420.0 + 70.0 * i as f32;
            crate::ocr::testpage::draw(&mut page, &font, "入校料", 100.0, y, 30.0);
            crate::ocr::testpage::draw(&mut page, &font, "10,000円", 700.0, y, 30.0);
        }
        let (found, traces) = crossed(&page);
        assert!(found.is_empty(), "{found:?}");
        assert!(traces.is_empty(), "{traces:?}");
    }

    #[test]
    fn a_red_square_seal_cut_by_a_thick_rule_is_found_whole() {
        let font = crate::ocr::testpage::font();
        let mut color = image::RgbImage::from_pixel(1200, 800, image::Rgb([250, 250, 240]));
        // A red 角印 160 px a side, frame 10 px, four characters, then two rules 18 px thick and
        // a line of digits between them printed over it in black (black print covers red).
        let mut stamp = GrayImage::from_pixel(1200, 800, image::Luma([255]));
        frame(&mut stamp, (500, 290, 160, 160), 10, image::Luma([0]));
        crate::ocr::testpage::draw(&mut stamp, &font, "陽ま", 515.0, 305.0, 62.0);
        crate::ocr::testpage::draw(&mut stamp, &font, "だり", 515.0, 372.0, 62.0);
        let mut print = GrayImage::from_pixel(1200, 800, image::Luma([255]));
        for y in [325, 410] {
            draw_filled_rect_mut(
                &mut print,
                Rect::at(200, y).of_size(800, 18),
                image::Luma([15]),
            );
        }
        crate::ocr::testpage::draw(&mut print, &font, "53,000円", 480.0, 355.0, 44.0);
        for ((c, s), p) in color.pixels_mut().zip(stamp.pixels()).zip(print.pixels()) {
            if s.0[0] < 128 {
                *c = image::Rgb([228, 128, 130]);
            }
            if p.0[0] < 128 {
                *c = image::Rgb([p.0[0]; 3]);
            }
        }
        let red = crate::ink::red_map(&color);
        let page = crate::ink::gray_without_red(&color);
        let pieces = crate::ink::red_seals(&red, CHAR_H);
        assert!(!pieces.iter().any(|s| s.is_large(CHAR_H)), "{pieces:?}");
        let found = crossed_red_seals(&page, &red, CHAR_H);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].ink, Ink::Red);
        assert!(found[0].is_large(CHAR_H), "{found:?}");
        let b = found[0].bbox;
        assert!(
            b.x.abs_diff(500) <= 8 && b.right().abs_diff(660) <= 8,
            "{b:?}"
        );
    }

    #[test]
    fn a_gray_square_stamp_over_the_total_is_no_seal_but_a_trace() {
        // Seed 13 sub058: a 角印 170 px a side (5.3 characters), its frame 6 px, engraved with
        // four kanji, stamped over the total and its rules. Squares are not looked for on a gray
        // page (a table's gray rules close them), so no seal is found — but its ink is a trace,
        // and the receipt is not surely sealless.
        let font = crate::ocr::testpage::font();
        let mut page = paper();
        total_between_rules(&mut page, &font);
        let mut stamp = GrayImage::from_pixel(1200, 800, image::Luma([255]));
        for d in 0..6 {
            imageproc::drawing::draw_hollow_rect_mut(
                &mut stamp,
                Rect::at(470 + d, 320 + d).of_size(170 - 2 * d as u32, 170 - 2 * d as u32),
                image::Luma([0]),
            );
        }
        crate::ocr::testpage::draw(&mut stamp, &font, "翔栄", 500.0, 340.0, 60.0);
        crate::ocr::testpage::draw(&mut stamp, &font, "之印", 500.0, 410.0, 60.0);
        stamp_over(&mut page, &stamp, 140);
        let (found, traces) = crossed(&page);
        assert!(!found.iter().any(|s| s.is_large(CHAR_H)), "{found:?}");
        assert_eq!(traces.len(), 1, "{traces:?}");
        let t = traces[0];
        assert!(
            t.x <= 480 && t.right() >= 630 && t.y <= 330 && t.bottom() >= 480,
            "{t:?}"
        );
    }

    #[test]
    fn a_gray_square_stamp_found_by_its_top_side_alone_is_a_trace() {
        // Seed 79 sub013: a gray 角印 over the issuer's block, its ink dark towards the bottom
        // and its lower side under the address line; only its top is seen as a stamp's side.
        let font = crate::ocr::testpage::font();
        let mut page = paper();
        let mut top = GrayImage::from_pixel(1200, 800, image::Luma([255]));
        draw_filled_rect_mut(
            &mut top,
            Rect::at(480, 300).of_size(180, 8),
            image::Luma([0]),
        );
        stamp_over(&mut page, &top, 150);
        let mut rest = GrayImage::from_pixel(1200, 800, image::Luma([255]));
        for d in 0..8 {
            imageproc::drawing::draw_hollow_rect_mut(
                &mut rest,
                Rect::at(480 + d, 300 + d).of_size(180 - 2 * d as u32, 180 - 2 * d as u32),
                image::Luma([0]),
            );
        }
        draw_filled_rect_mut(
            &mut rest,
            Rect::at(480, 300).of_size(180, 8),
            image::Luma([255]),
        );
        stamp_over(&mut page, &rest, 70);
        let mut engraving = GrayImage::from_pixel(1200, 800, image::Luma([255]));
        crate::ocr::testpage::draw(&mut engraving, &font, "星丘", 500.0, 320.0, 64.0);
        crate::ocr::testpage::draw(&mut engraving, &font, "明ケ", 500.0, 395.0, 64.0);
        stamp_over(&mut page, &engraving, 140);
        crate::ocr::testpage::draw(&mut page, &font, "学校法人 星ヶ丘学園", 330.0, 330.0, 34.0);
        crate::ocr::testpage::draw(&mut page, &font, "星ヶ丘保育専門学校", 330.0, 400.0, 34.0);
        // The address and the phone below it in light print, the address across the stamp's
        // lower side: their gray and the stamp's are one group, larger than a stamp.
        let mut light = GrayImage::from_pixel(1200, 800, image::Luma([255]));
        let address = "〒340-2222 群馬県高崎市3丁目5番8号";
        crate::ocr::testpage::draw(&mut light, &font, address, 330.0, 462.0, 30.0);
        crate::ocr::testpage::draw(&mut light, &font, "電話 033-000-7976", 330.0, 510.0, 30.0);
        stamp_over(&mut page, &light, 150);
        let (found, traces) = crossed(&page);
        assert!(!found.iter().any(|s| s.is_large(CHAR_H)), "{found:?}");
        assert!(
            traces
                .iter()
                .any(|t| t.x <= 490 && t.right() >= 650 && t.y <= 310 && t.bottom() >= 470),
            "{traces:?}"
        );
    }
}
