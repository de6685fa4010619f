//! Printed lines that are not text: the rules of ruled tables (erased before a page is read again),
//! ruled boxes (read alone as blocks), and dot leaders (erased before the first reading). Does not
//! read what is inside them. Called by the reading of a page (`reading/page.rs`, `reading/looks/`).

use image::GrayImage;

use crate::document::BBox;

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
        let boxes = dark_components(gray, top, bottom, 170);
        for (x0, y0, x1, y1) in boxes {
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

/// The boxes `(x0, y0, x1, y1)` (page coordinates, inclusive) of the 8-connected components of the
/// pixels darker than `below` in rows `top..bottom` of `gray`, in the order of each component's
/// first pixel in raster order — the boxes and the order of imageproc's `connected_components` on
/// a mask of those rows. Labelled by runs of dark pixels rather than pixel by pixel: imageproc
/// allocates and fills a union-find forest, a label image and a relabelling table of the strip's
/// size for every strip, which made the dot-leader eraser 29 ms of every page (`make bench`'s 54
/// pages, thread CPU time); runs are a few thousand a strip.
fn dark_components(
    gray: &GrayImage,
    top: u32,
    bottom: u32,
    below: u8,
) -> Vec<(u32, u32, u32, u32)> {
    let w = gray.width() as usize;
    // Runs in raster order: (row, first column, last column); `parent` joins touching ones.
    let mut runs: Vec<(u32, u32, u32)> = Vec::new();
    let mut parent: Vec<usize> = Vec::new();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut previous = 0..0;
    for y in top..bottom {
        let row = &gray.as_raw()[y as usize * w..(y as usize + 1) * w];
        let start = runs.len();
        let mut x = 0;
        while x < w {
            if row[x] >= below {
                x += 1;
                continue;
            }
            let x0 = x;
            while x < w && row[x] < below {
                x += 1;
            }
            runs.push((y, x0 as u32, x as u32 - 1));
            parent.push(runs.len() - 1);
        }
        // Join each run with the runs of the row above it touches, diagonals included. The
        // earlier run stays the root, so a component's root is its first run in raster order.
        let mut above = previous.start;
        for i in start..runs.len() {
            let (_, x0, x1) = runs[i];
            while above < previous.end && runs[above].2 + 1 < x0 {
                above += 1;
            }
            let mut j = above;
            while j < previous.end && runs[j].1 <= x1 + 1 {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                if a != b {
                    let (low, high) = (a.min(b), a.max(b));
                    parent[high] = low;
                }
                j += 1;
            }
        }
        previous = start..runs.len();
    }
    // Each root's box; roots in run order are components in the order of their first pixels.
    let mut boxes: Vec<Option<(u32, u32, u32, u32)>> = vec![None; runs.len()];
    for (i, &(y, x0, x1)) in runs.iter().enumerate() {
        let r = root(&mut parent, i);
        let e = boxes[r].get_or_insert((x0, y, x1, y));
        e.0 = e.0.min(x0);
        e.1 = e.1.min(y);
        e.2 = e.2.max(x1);
        e.3 = e.3.max(y);
    }
    boxes.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    use crate::ink::frame;

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
    fn dark_components_are_imageprocs_components_in_its_order() {
        use imageproc::region_labelling::{connected_components, Connectivity};
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for round in 0..40 {
            let (w, h) = (rng.random_range(1..90), rng.random_range(1..70));
            let density = rng.random_range(0.05..0.6);
            let img = GrayImage::from_fn(w, h, |_, _| {
                image::Luma([if rng.random_bool(density) { 40 } else { 230 }])
            });
            let top = if round % 2 == 0 { 0 } else { h / 3 };
            let rows = &img.as_raw()[(top * w) as usize..];
            let mask = GrayImage::from_raw(
                w,
                h - top,
                rows.iter()
                    .map(|&v| if v < 170 { 255 } else { 0 })
                    .collect(),
            )
            .unwrap();
            let labels = connected_components(&mask, Connectivity::Eight, image::Luma([0u8]));
            let mut want: Vec<Option<(u32, u32, u32, u32)>> = Vec::new();
            for (x, y, l) in labels.enumerate_pixels() {
                let l = l.0[0] as usize;
                if l == 0 {
                    continue;
                }
                if want.len() < l {
                    want.resize(l, None);
                }
                let y = y + top;
                let e = want[l - 1].get_or_insert((x, y, x, y));
                e.0 = e.0.min(x);
                e.1 = e.1.min(y);
                e.2 = e.2.max(x);
                e.3 = e.3.max(y);
            }
            let want: Vec<_> = want.into_iter().flatten().collect();
            assert_eq!(dark_components(&img, top, h, 170), want, "round {round}");
        }
    }
}
