//! Glyphs of print in a line's crop, from connected pieces of ink, and whether a glyph's shape is a
//! zero's (holes in its ink). Does not read them; a second look at an amount uses them
//! (`reading/looks/`).

use imageproc::region_labelling::{connected_components, Connectivity};

use image::GrayImage;

use crate::document::BBox;

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
}
