//! Stamps on a black-and-white page (a fax). A fax machine draws the light ink of a red stamp as a
//! halftone — dots in a checkerboard, thinning out where the ink is light — where print is solid
//! strokes; so a stamp is where such dots gather. In standard mode (200×100 dpi) every row is sent
//! twice, so a dot is two pixels tall and a dense halftone becomes one-pixel columns side by side.
//! Called by `reading::page` for pages whose capture is
//! [`Capture::Binary`](crate::extract::marks::Capture::Binary); seals on scans and photos are found
//! by [`super::seals`] and [`super::red`], whose clustering this shares.

use image::GrayImage;
use imageproc::region_labelling::{connected_components, Connectivity};

use crate::document::BBox;
use crate::extract::marks::{Ink, Seal};

use super::seals::clusters;
use super::CELL;

/// Finds stamps on a black-and-white page (a fax): a fax draws a red stamp's light ink as a
/// halftone, where print is solid strokes. Halftone is counted two ways (see [`halftone_counts`]):
/// small black dots, and the one-pixel alternation of black and white a dense halftone makes;
/// where they gather is the stamp's ink, clustered as a red stamp's is.
///
/// Only a stamp seen whole counts as a 領収印: a halftone cluster of a 領収印's size
/// ([`Seal::is_large`]) whose sides are under [`WHOLE_STAMP`] characters (or 13.5 mm, where that
/// is less) is dropped. Such clusters are an arc of a stamp the fax mostly lost, or the gray edges
/// of a large title's glyphs, which a fax dithers too (a title glyph makes a cluster 2.3–3
/// characters across: measured on 126 sealless fax pages made from seeds 7, 11 and 13's scans); a
/// 15 mm 領収印 is over 4 characters of 10.5 pt print across. A stamp seen whole also has its
/// engraving in its middle ([`engraved`]): a table's cell, its gray rules dithered, does not.
/// Where no cluster is such a stamp, the stamp is looked for from its outline, as much of its ring
/// or frame as came through ([`outlined_stamp`]). What is not found either way is not seen, so
/// `extract` leaves the seal in doubt.
pub fn dithered_seals(binary: &GrayImage, char_h: u32) -> Vec<Seal> {
    let map = halftone_map(binary);
    let side = (char_h * WHOLE_STAMP / 10).min(WHOLE_STAMP_PX);
    let whole = |s: &Seal| s.bbox.w >= side && s.bbox.h >= side && engraved(&map, &s.bbox);
    let mut seals: Vec<Seal> = clusters(&map, char_h, Ink::Gray)
        .into_iter()
        .filter(|s| !s.is_large(char_h) || whole(s))
        .collect();
    if !seals.iter().any(|s| s.is_large(char_h)) {
        seals.extend(outlined_stamp(&map, char_h));
    }
    seals
}

/// The shapes of stamp outline [`outlined_stamp`] looks for: a 領収印's ring, a 角印's square.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outline {
    Ring,
    Square,
}

impl Outline {
    /// How much of the outline must show, and how cleanly: the share of its points with ink on
    /// it and nothing just beyond ([`Trace::clean`]), and the share in its weakest quarter
    /// ([`Trace::weakest`]). A square asks more than a ring: a table's cell whose gray rules the
    /// fax dithered is a square too. Measured on pages of `kyufu-corpus --seed 41 --capture fax`
    /// (`cargo run --example lines`): 角印 found in pieces traced 0.88–0.94 clean, weakest quarter
    /// 0.75–1.0; round 領収印 0.73–0.85 and 0.58; on a sealless receipt (sub025), squares pieced
    /// from its dotted table and circles through its gray print 0.62–0.69 and 0.33–0.50.
    fn needs(self) -> (f32, f32) {
        match self {
            Outline::Ring => (0.7, 0.5),
            Outline::Square => (0.8, 0.7),
        }
    }
}

/// Points round an outline looked at for its ink.
const OUTLINE_POINTS: u32 = 48;

/// How an outline of some size at some place is drawn on the halftone map.
struct Trace {
    /// The share of its points with ink within a cell of them.
    on: f32,
    /// The share with ink on them and none 3–4 cells further out: a stamp's frame is a line,
    /// where dithered print round a circle through it is ink on and beyond it alike.
    clean: f32,
    /// The share with ink on them in its weakest quarter (a side of a square, a quarter of a
    /// ring): an outline drawn by a stamp goes all round, one pieced together from rules and
    /// print leaves a side out.
    weakest: f32,
}

/// A stamp the fax mostly lost, found from its outline: its ring or square frame, as much of it as
/// came through, and its engraving, in pieces the clustering does not join (`kyufu-corpus --seed
/// 41 --capture fax`: 57 of 119 sealed documents' stamps found only in pieces, or not at all). An
/// outline of a 領収印's size (from [`WHOLE_STAMP_PX`] or four characters across up to
/// [`STAMP_MAX_PX`]) counts where two thirds of it or more has ink, cleanly enough all round
/// ([`Outline::needs`]), its middle is engraved ([`engraved`]), and, for a square, its sides do
/// not run on past its corners as a table's rules do ([`gridded`]). The most cleanly drawn such
/// outline on the page, if any.
fn outlined_stamp(map: &GrayImage, char_h: u32) -> Option<Seal> {
    let (cw, ch) = map.dimensions();
    let ink = |x: i64, y: i64| {
        x >= 0
            && y >= 0
            && (x as u32) < cw
            && (y as u32) < ch
            && map.get_pixel(x as u32, y as u32).0[0] > 0
    };
    let counts = CellCounts::of(map);
    let r_min = ((char_h * WHOLE_STAMP / 10).min(WHOLE_STAMP_PX) / 2 / CELL).max(3);
    let r_max = (char_h * 4).max(STAMP_MAX_PX / 2) / CELL;
    let mut best: Option<(f32, Seal)> = None;
    for shape in [Outline::Ring, Outline::Square] {
        let (clean_needed, weakest_needed) = shape.needs();
        for r in r_min..=r_max {
            let ri = i64::from(r);
            let path = Path::new(shape, r);
            let perimeter = match shape {
                Outline::Ring => std::f32::consts::TAU * r as f32,
                Outline::Square => 8.0 * r as f32,
            };
            for cy in ri..i64::from(ch) - ri {
                for cx in ri..i64::from(cw) - ri {
                    // Too little ink round the centre for two thirds of an outline: most of the
                    // page is passed over here, at the cost of a lookup.
                    let near = counts.within(cx - ri - 1, cy - ri - 1, cx + ri + 2, cy + ri + 2);
                    if (near as f32) < perimeter / 2.0 {
                        continue;
                    }
                    let Some(t) = trace(&ink, &path, cx, cy) else {
                        continue;
                    };
                    let better = best.as_ref().is_none_or(|(b, _)| t.clean > *b);
                    if t.on < 2.0 / 3.0
                        || t.clean < clean_needed
                        || t.weakest < weakest_needed
                        || !better
                    {
                        continue;
                    }
                    let px = |v: i64| (v.max(0) as u32) * CELL;
                    let bbox = BBox {
                        x: px(cx - ri),
                        y: px(cy - ri),
                        w: (2 * r + 1) * CELL,
                        h: (2 * r + 1) * CELL,
                    };
                    if !engraved(map, &bbox)
                        || (shape == Outline::Square && gridded(&ink, cx, cy, ri))
                    {
                        continue;
                    }
                    let seal = Seal {
                        bbox,
                        ink: Ink::Gray,
                        ring: shape == Outline::Ring,
                    };
                    best = Some((t.clean, seal));
                }
            }
        }
    }
    best.map(|(_, s)| s)
}

/// The points an outline of one shape and radius is traced at ([`trace`]), as offsets from its
/// centre: for each of [`OUTLINE_POINTS`] directions, the cells a cell inside, on and outside the
/// outline, then 3 and 4 cells further out. Worked out once per shape and radius, not per centre.
struct Path {
    points: Vec<[(i64, i64); 5]>,
}

impl Path {
    fn new(shape: Outline, r: u32) -> Path {
        let r = r as f32;
        let points = (0..OUTLINE_POINTS)
            .map(|k| {
                let a = k as f32 * std::f32::consts::TAU / OUTLINE_POINTS as f32;
                let (dx, dy) = (a.cos(), a.sin());
                let d = match shape {
                    Outline::Ring => r,
                    Outline::Square => r / dx.abs().max(dy.abs()),
                };
                let at = |d: f32| ((dx * d).round() as i64, (dy * d).round() as i64);
                [at(d - 1.0), at(d), at(d + 1.0), at(d + 3.0), at(d + 4.0)]
            })
            .collect();
        Path { points }
    }
}

/// How the outline `path` centred at (`cx`, `cy`) is drawn in `ink` ([`Trace`]); `None` as soon
/// as more than a third of its points are found bare (it cannot be an outline: most places looked
/// at on a page end here after a few points).
fn trace(ink: &impl Fn(i64, i64) -> bool, path: &Path, cx: i64, cy: i64) -> Option<Trace> {
    let (mut on, mut clean, mut bare) = (0u32, 0u32, 0u32);
    let mut quarters = [0u32; 4];
    for (k, p) in path.points.iter().enumerate() {
        let at = |i: usize| ink(cx + p[i].0, cy + p[i].1);
        if !(at(0) || at(1) || at(2)) {
            bare += 1;
            if bare * 3 > OUTLINE_POINTS {
                return None;
            }
            continue;
        }
        on += 1;
        // Quarters centred on the four directions: a square's four sides.
        let k = k as u32;
        quarters[(((k + OUTLINE_POINTS / 8) % OUTLINE_POINTS) / (OUTLINE_POINTS / 4)) as usize] +=
            1;
        if !(at(3) || at(4)) {
            clean += 1;
        }
    }
    let share = |n: u32, of: u32| n as f32 / of as f32;
    Some(Trace {
        on: share(on, OUTLINE_POINTS),
        clean: share(clean, OUTLINE_POINTS),
        weakest: share(quarters.into_iter().min().unwrap_or(0), OUTLINE_POINTS / 4),
    })
}

/// Whether the square of half-side `r` cells centred at (`cx`, `cy`) has sides that run on past
/// its corners, as a table's rules do (a 角印's frame ends at its corners): each side's line is
/// looked along 3 to 10 cells past each of its ends, within a cell of it (a dotted rule's gaps
/// are up to 7 cells); ink on half of those eight runs or more is a grid. Seed 41 sub025 (all
/// faxes): a sealless receipt's breakdown table, its cells framed by dotted gray rules.
fn gridded(ink: &impl Fn(i64, i64) -> bool, cx: i64, cy: i64, r: i64) -> bool {
    let mut runs_on = 0;
    for (sx, sy) in [(-1i64, -1i64), (1, -1), (-1, 1), (1, 1)] {
        let (x, y) = (cx + sx * r, cy + sy * r);
        if (3..=10).any(|k| (-1..=1).any(|o| ink(x + sx * k, y + o))) {
            runs_on += 1;
        }
        if (3..=10).any(|k| (-1..=1).any(|o| ink(x + o, y + sy * k))) {
            runs_on += 1;
        }
    }
    runs_on >= 4
}

/// Ink cells of a map summed from its top-left corner, so that a box's count costs four lookups.
struct CellCounts {
    sums: Vec<u32>,
    w: u32,
    h: u32,
}

impl CellCounts {
    fn of(map: &GrayImage) -> CellCounts {
        let (w, h) = map.dimensions();
        let stride = (w + 1) as usize;
        let mut sums = vec![0u32; stride * (h + 1) as usize];
        for y in 0..h as usize {
            let mut row = 0;
            for x in 0..w as usize {
                row += u32::from(map.get_pixel(x as u32, y as u32).0[0] > 0);
                sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row;
            }
        }
        CellCounts { sums, w, h }
    }

    /// Ink cells in columns `x0..x1` and rows `y0..y1`, clipped to the map.
    fn within(&self, x0: i64, y0: i64, x1: i64, y1: i64) -> u32 {
        let clip = |v: i64, hi: u32| v.clamp(0, i64::from(hi)) as usize;
        let (x0, x1) = (clip(x0, self.w), clip(x1, self.w));
        let (y0, y1) = (clip(y0, self.h), clip(y1, self.h));
        let stride = self.w as usize + 1;
        let at = |x: usize, y: usize| self.sums[y * stride + x];
        at(x1, y1) + at(x0, y0) - at(x0, y1) - at(x1, y0)
    }
}

/// The largest stamp looked for from its outline: 30 mm across at a fax's 8 pixels a millimetre.
const STAMP_MAX_PX: u32 = 240;

/// The cells ([`CELL`] pixels a side) of a binary page that hold halftone, where its stamps are
/// clustered from: those whose neighbourhood holds four halftone marks or more
/// ([`halftone_counts`]). Public for the `lines` example, which draws it (`HALFTONE=1`).
pub fn halftone_map(binary: &GrayImage) -> GrayImage {
    let (w, h) = binary.dimensions();
    let (cw, ch) = (w.div_ceil(CELL), h.div_ceil(CELL));
    let dots = halftone_counts(binary);
    // A light stamp's halftone is sparse, one dot in a cell here and none in the next: a cell is
    // ink when its neighbourhood (3×3 cells, 12 px) holds four dots or more, so the stamp's ring
    // holds together; a fax's stray specks seldom come four to a neighbourhood.
    let at = |x: u32, y: u32| u32::from(dots[(y * cw + x) as usize]);
    let mut map = GrayImage::new(cw, ch);
    for y in 1..ch.saturating_sub(1) {
        for x in 1..cw.saturating_sub(1) {
            let near: u32 = (y - 1..=y + 1)
                .flat_map(|yy| (x - 1..=x + 1).map(move |xx| (xx, yy)))
                .map(|(xx, yy)| at(xx, yy))
                .sum();
            if near >= 4 {
                map.put_pixel(x, y, image::Luma([255]));
            }
        }
    }
    map
}

/// Whether a stamp's engraving fills the middle of `bbox` (its middle half across and down): a
/// quarter of those cells or more are ink in `map`. A 領収印 or 角印 carries its holder's name
/// inside the frame, in the stamp's ink; a table's cell whose gray rules the fax dithered is a
/// frame with black figures in it, only their edges dithered (seed 41 made all faxes, sub025: such
/// a cell, its middle a fifth ink, was a sealless receipt's 'stamp'; the stamps found on faxes of
/// seeds 7 and 31 had their middles 0.29–0.69 ink).
fn engraved(map: &GrayImage, bbox: &BBox) -> bool {
    let (x0, x1) = (
        (bbox.x + bbox.w / 4) / CELL,
        (bbox.x + bbox.w * 3 / 4) / CELL,
    );
    let (y0, y1) = (
        (bbox.y + bbox.h / 4) / CELL,
        (bbox.y + bbox.h * 3 / 4) / CELL,
    );
    let cells = (x1.saturating_sub(x0) * y1.saturating_sub(y0)) as usize;
    let ink = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .filter(|&(x, y)| x < map.width() && y < map.height() && map.get_pixel(x, y).0[0] > 0)
        .count();
    cells > 0 && ink * 4 >= cells
}

/// Tenths of a character a halftone stamp's sides must reach, both, for it to count as a 領収印
/// seen whole (see [`dithered_seals`]), or [`WHOLE_STAMP_PX`] where that is less.
const WHOLE_STAMP: u32 = 40;

/// 13.5 mm in a fax's pixels: a fax line is 1,728 pixels across 215 mm (ITU-T T.4), 8 a mm, in
/// fine and standard mode alike. A 領収印 is 15 mm and more; where the page's print is large (seed
/// 11 sub035, an A5 receipt read at 64 px a character), four characters are wider than it.
const WHOLE_STAMP_PX: u32 = 108;

/// Halftone marks per cell ([`CELL`] pixels a side) of a binary page:
/// - a dot: a black 4-connected blob that fits in 2×2 pixels (one pixel in fine mode, one pixel
///   sent twice in standard mode, two dots touching where the ink is denser);
/// - an alternation: four pixels of a row, from an even column, black and white in turn. Where a
///   halftone is dense its dots touch; in standard mode they then join into one-pixel columns,
///   black beside white, that no dot count sees (seed 11 sub035's 領収印: its ring's dark side).
///
/// Solid print makes neither, except along a glyph's anti-aliased edge, which the fax dithers too;
/// so the count near print is thin, and a cell needs its neighbours' counts to be ink.
fn halftone_counts(binary: &GrayImage) -> Vec<u16> {
    let (w, h) = binary.dimensions();
    let cw = w.div_ceil(CELL);
    let mut counts = vec![0u16; (cw * h.div_ceil(CELL)) as usize];
    let black = |x: u32, y: u32| binary.get_pixel(x, y).0[0] < 128;
    let mut add = |x: u32, y: u32| {
        let i = ((y / CELL) * cw + x / CELL) as usize;
        counts[i] = counts[i].saturating_add(1);
    };
    for y in 0..h {
        for x in 0..w {
            if black(x, y) && starts_a_dot(binary, x, y) {
                add(x, y);
            }
            if x % 2 == 0 && x + 3 < w {
                let a = black(x, y);
                if black(x + 1, y) != a && black(x + 2, y) == a && black(x + 3, y) != a {
                    add(x, y);
                }
            }
        }
    }
    counts
}

/// Whether the black pixel at (`x`, `y`) is the first (in reading order) of a 4-connected black
/// blob that fits in 2×2 pixels. The blob is followed pixel by pixel, and given up on once it is
/// larger than four pixels, so a stroke costs no more than a dot.
fn starts_a_dot(binary: &GrayImage, x: u32, y: u32) -> bool {
    let (w, h) = binary.dimensions();
    let black = |x: u32, y: u32| binary.get_pixel(x, y).0[0] < 128;
    let mut blob = [(x, y); 5];
    let mut len = 1;
    let mut next = 0;
    while next < len {
        let (px, py) = blob[next];
        next += 1;
        let around = [
            (px.wrapping_sub(1), py),
            (px + 1, py),
            (px, py.wrapping_sub(1)),
            (px, py + 1),
        ];
        for (nx, ny) in around {
            if nx >= w || ny >= h || !black(nx, ny) || blob[..len].contains(&(nx, ny)) {
                continue;
            }
            if len == blob.len() {
                return false;
            }
            blob[len] = (nx, ny);
            len += 1;
        }
    }
    let blob = &blob[..len];
    let (x0, x1) = (
        blob.iter().map(|p| p.0).min(),
        blob.iter().map(|p| p.0).max(),
    );
    let (y0, y1) = (
        blob.iter().map(|p| p.1).min(),
        blob.iter().map(|p| p.1).max(),
    );
    let fits = matches!((x0, x1, y0, y1), (Some(x0), Some(x1), Some(y0), Some(y1)) if x1 - x0 < 2 && y1 - y0 < 2);
    // Counted once, from its first pixel in reading order.
    fits && blob.iter().all(|&(bx, by)| (by, bx) >= (y, x))
}

/// Whites out of `img` (a black-and-white page), within `area`, the specks a fax draws a stamp's
/// light ink with: black pixels one wide between white ones in their row (a dense halftone's
/// columns), then groups of black pixels joined side by side (not corner to corner, as a
/// halftone's checkerboard is) under [`SPECK_AREA`] pixels. Print, solid strokes, stays (a
/// stroke's dithered edge loses a few pixels). Seed 7 sub030: a 角印 over 「14,420円」 and
/// 「338,420円」 on a fax, its frame and engraving gone, the digits whole.
pub fn without_halftone(img: &mut GrayImage, area: &BBox) {
    let (w, h) = img.dimensions();
    let (x0, y0) = (area.x.min(w), area.y.min(h));
    let (x1, y1) = (area.right().min(w), area.bottom().min(h));
    if x1 <= x0 || y1 <= y0 {
        return;
    }
    let black = |x: u32, y: u32| img.get_pixel(x, y).0[0] < 128;
    let mut map = GrayImage::new(x1 - x0, y1 - y0);
    for (x, y, p) in map.enumerate_pixels_mut() {
        let (px, py) = (x0 + x, y0 + y);
        // A dense halftone is one-pixel columns side by side (each row sent twice): a black
        // pixel with white on its left and right is a column's, no stroke's.
        let column = px > 0 && px + 1 < w && !black(px - 1, py) && !black(px + 1, py);
        if black(px, py) && !column {
            p.0[0] = 255;
        }
    }
    for (x, y, p) in map.enumerate_pixels() {
        if p.0[0] == 0 {
            img.put_pixel(x0 + x, y0 + y, image::Luma([255]));
        }
    }
    let labels = connected_components(&map, Connectivity::Four, image::Luma([0u8]));
    let mut sizes = std::collections::HashMap::<u32, u32>::new();
    for l in labels.pixels().filter(|l| l.0[0] != 0) {
        *sizes.entry(l.0[0]).or_default() += 1;
    }
    for (x, y, l) in labels.enumerate_pixels() {
        let l = l.0[0];
        if l != 0 && sizes[&l] < SPECK_AREA {
            img.put_pixel(x0 + x, y0 + y, image::Luma([255]));
        }
    }
}

/// Below this many pixels a group of black pixels is a halftone's speck, not print: measured on a
/// fax of seed 7 sub030, where 8 took the stamp away and left the digits under it.
const SPECK_AREA: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::testpage::{draw, font};
    use image::Luma;

    /// A fax machine's ordered (Bayer) halftone, as `tests/corpus/scan.rs` draws faxes.
    const BAYER: [[u32; 4]; 4] = [[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]];

    /// A 200-dpi page as a fax machine sends it: print (a title, body lines, the machine's header
    /// line at the top), and if `stamp` is some gray level a round stamp of 150 px in that ink —
    /// lighter on its right side, as a stamp is unevenly inked, a name engraved inside — all
    /// halftoned with a band from 85 to 200, a few specks, and in `standard` mode every other row a
    /// copy of the one above.
    fn fax(stamp: Option<u8>, standard: bool) -> GrayImage {
        let mut page = GrayImage::from_pixel(1654, 1200, Luma([255]));
        let font = font();
        draw(
            &mut page,
            &font,
            "2026-03-31 18:12 FROM 015-000-4382 P.01/01",
            30.0,
            12.0,
            16.0,
        );
        draw(&mut page, &font, "領 収 書", 600.0, 80.0, 72.0);
        for (i, text) in ["修了証明書", "山本 綾香 殿", "校長 村上 誠一"]
            .iter()
            .enumerate()
        {
            draw(
                &mut page,
                &font,
                text,
                200.0,
                250.0 + 150.0 * i as f32,
                32.0,
            );
        }
        if let Some(ink) = stamp {
            let (cx, cy) = (900i64, 560i64);
            // The holder's name engraved inside the ring, in the stamp's ink.
            let mut name = GrayImage::from_pixel(1654, 1200, Luma([255]));
            draw(&mut name, &font, "朝凪", 845.0, 520.0, 56.0);
            for (x, y, p) in name.enumerate_pixels() {
                if p.0[0] < 128 {
                    page.put_pixel(x, y, Luma([ink]));
                }
            }
            for y in cy - 80..cy + 80 {
                for x in cx - 80..cx + 80 {
                    let r2 = (x - cx).pow(2) + (y - cy).pow(2);
                    if (66 * 66..75 * 75).contains(&r2) {
                        let light = if x > cx { 15 } else { 0 };
                        page.put_pixel(x as u32, y as u32, Luma([ink.saturating_add(light)]));
                    }
                }
            }
        }
        let (lo, hi) = (85u32, 200u32);
        for (x, y, p) in page.enumerate_pixels_mut() {
            let t = lo + (hi - lo) * (BAYER[(y % 4) as usize][(x % 4) as usize] * 2 + 1) / 32;
            p.0[0] = if u32::from(p.0[0]) < t { 0 } else { 255 };
        }
        // Specks scattered over the page (a fixed sequence, so the test does not vary).
        let mut seed = 7u64;
        for _ in 0..300 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (x, y) = ((seed >> 33) as u32 % 1654, (seed >> 13) as u32 % 1200);
            page.put_pixel(x, y, Luma([0]));
        }
        if standard {
            for y in (1..page.height()).step_by(2) {
                for x in 0..page.width() {
                    let above = *page.get_pixel(x, y - 1);
                    page.put_pixel(x, y, above);
                }
            }
        }
        page
    }

    fn large(page: &GrayImage) -> Vec<Seal> {
        dithered_seals(page, 32)
            .into_iter()
            .filter(|s| s.is_large(32))
            .collect()
    }

    #[test]
    fn a_stamp_is_found_whole_in_fine_and_standard_mode_dense_or_light() {
        // A red stamp's ink faxes at about 127 (seed 11 sub035), lighter where it is thinly inked.
        for ink in [120, 150] {
            for standard in [false, true] {
                let seals = large(&fax(Some(ink), standard));
                assert_eq!(seals.len(), 1, "ink {ink}, standard {standard}: {seals:?}");
                let b = seals[0].bbox;
                assert!(
                    b.w >= 140 && b.h >= 140 && b.x <= 830 && b.y <= 490,
                    "the whole ring, not an arc of it (ink {ink}, standard {standard}): {b:?}"
                );
            }
        }
    }

    #[test]
    fn print_a_title_the_header_line_and_specks_are_no_stamp() {
        for standard in [false, true] {
            assert_eq!(large(&fax(None, standard)), vec![], "standard {standard}");
        }
    }

    #[test]
    fn a_table_cell_whose_gray_rules_the_fax_dithered_is_no_stamp() {
        // A sealless receipt made a fax (`kyufu-corpus --seed 41 --capture fax`, sub025): its
        // breakdown table's gray rules came through as dots, and one cell, figures inside, closed
        // a frame of a 領収印's size.
        let page = crate::ink::fixture("fax-table-cell.png");
        for char_h in [24, 30, 36] {
            let seals: Vec<Seal> = dithered_seals(&page, char_h)
                .into_iter()
                .filter(|s| s.is_large(char_h))
                .collect();
            assert_eq!(seals, vec![], "{char_h} px a character");
        }
    }

    /// The 領収印s `dithered_seals` finds on a fixture page at `char_h` px a character.
    fn large_on(name: &str, char_h: u32) -> Vec<Seal> {
        dithered_seals(&crate::ink::fixture(name), char_h)
            .into_iter()
            .filter(|s| s.is_large(char_h))
            .collect()
    }

    #[test]
    fn a_stamp_the_fax_mostly_lost_is_found_from_its_outline() {
        // Faxes of `kyufu-corpus --seed 41 --capture fax`, each stamp in halftone pieces no
        // cluster joins: sub039's round 領収印 over 「電話 032-000-2427」 and 「校長 前田 信也」
        // (its ring open at the lower left), sub018's 角印 over 「株式会社」.
        for (name, centre) in [
            ("fax-ring-stamp-in-pieces.png", (182, 166)),
            ("fax-square-stamp-in-pieces.png", (136, 140)),
        ] {
            for char_h in [24, 28, 32] {
                let seals = large_on(name, char_h);
                assert_eq!(seals.len(), 1, "{name} at {char_h} px: {seals:?}");
                let b = seals[0].bbox;
                let (cx, cy) = (b.x + b.w / 2, b.y + b.h / 2);
                assert!(
                    cx.abs_diff(centre.0) <= 24 && cy.abs_diff(centre.1) <= 24,
                    "{name} at {char_h} px: {b:?} is not round the stamp at {centre:?}"
                );
            }
        }
    }

    #[test]
    fn gray_print_and_a_dotted_table_are_no_outline() {
        // A sealless receipt sent by fax (seed 41 sub025): its print came through as halftone,
        // its breakdown table's rules as dots; squares pieced together from the rules and the
        // figures in the cells, and circles through the gray print, are no stamp.
        for char_h in [24, 28, 32, 36] {
            assert_eq!(
                large_on("fax-gray-print-and-table.png", char_h),
                vec![],
                "{char_h} px a character"
            );
        }
    }

    #[test]
    fn an_arc_of_a_stamp_is_not_a_stamp_seen_whole() {
        // The fax lost all but a quarter of the ring: of a 領収印's size, not a 領収印 seen.
        let mut page = fax(Some(120), true);
        for y in 0..page.height() {
            for x in 0..page.width() {
                if (y < 540 || x < 880) && (400..700).contains(&y) && (800..1000).contains(&x) {
                    page.put_pixel(x, y, Luma([255]));
                }
            }
        }
        assert_eq!(large(&page), vec![]);
    }
}
