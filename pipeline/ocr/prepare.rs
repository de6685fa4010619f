//! Page preparation before OCR: grayscale, and deskew within ±5°.
//!
//! Skew is found by projection profiles: the ink of horizontal text lines, projected on the vertical
//! axis, gives the sharpest histogram when projected at the page's true angle. Scanners and
//! phone photos of flat documents are off by a few degrees at most; beyond ±5° the page is left as it
//! is (it is rotated 90° or not a document, which deskewing cannot fix).
//!
//! Binarisation is left to Tesseract (its global Otsu, set in `engine`): binarising here first read
//! no better on the rendered receipt and cost time (see `measure_against_cli`).
//!
//! A phone photo's desk darker than the sheet would set the angle by its edges: on such a page the
//! angle is measured with the light evened out (`super::even_light`), where the print is the ink.
//!
//! Called by `run` between `decode` and `Engine::recognize`. It does not crop, remove backgrounds or
//! detect orientation.

use image::{DynamicImage, GrayImage, RgbImage};

/// Largest skew looked for, in degrees.
const MAX_SKEW: f32 = 5.0;
/// Below this the page is not rotated: resampling would blur strokes for no gain.
const MIN_CORRECTION: f32 = 0.1;
/// Share of a page darker than Otsu's level above which it is not print on paper but paper on a
/// background (a photo's desk): print covers 2–12 % of a document page.
const BACKGROUND_SHARE: f32 = 0.2;
/// Skew is estimated on a copy no larger than this on its longest side (enough to resolve 0.05°
/// over a page width, and fast).
const ESTIMATE_SIDE: u32 = 1800;

/// A page ready for [`super::Engine::recognize`].
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Deskewed gray page: what Tesseract reads.
    pub gray: GrayImage,
    /// Deskewed colour page, same geometry as `gray` (for seals and coloured marks); `None` when the
    /// source was grayscale.
    pub color: Option<RgbImage>,
    /// How far the page was turned clockwise as scanned, in degrees; the images above have been
    /// turned back by this much (0 when under 0.1° or not found).
    pub skew_degrees: f32,
}

/// Grayscale and deskew a decoded page. Takes the page so that its pixels are reused, not copied,
/// where they already are what is needed (a gray scan's, a colour scan's RGB): a 300 dpi A4 colour
/// page is 26 MB, and each worker holds one.
pub fn prepare(img: DynamicImage) -> Prepared {
    prepare_keeping_color(img, |_| true)
}

/// [`prepare`], keeping the colour page only where `wanted` says its colour serves (a red stamp to
/// find): turning a colour page costs three times the gray one, and most colour scans carry nothing
/// but black print.
pub fn prepare_keeping_color(
    img: DynamicImage,
    wanted: impl FnOnce(&RgbImage) -> bool,
) -> Prepared {
    let (gray, color) = if img.color().has_color() {
        let gray = img.to_luma8();
        let color = img.into_rgb8();
        (gray, wanted(&color).then_some(color))
    } else {
        (img.into_luma8(), None)
    };
    let skew = estimate_skew(&gray);
    if skew.abs() < MIN_CORRECTION {
        return Prepared {
            gray,
            color,
            skew_degrees: 0.0,
        };
    }
    let (width, height) = gray.dimensions();
    let gray = GrayImage::from_raw(
        width,
        height,
        unrotate::<1>(gray.as_raw(), width, height, skew, [255]),
    )
    .unwrap_or(gray);
    let color = color.map(|rgb| {
        let turned = unrotate::<3>(rgb.as_raw(), width, height, skew, [255; 3]);
        RgbImage::from_raw(width, height, turned).unwrap_or(rgb)
    });
    Prepared {
        gray,
        color,
        skew_degrees: skew,
    }
}

/// Turns an interleaved 8-bit image of `C` channels counter-clockwise by `degrees` about its centre
/// (undoing a clockwise skew), bilinear, same size, `fill` where nothing maps.
///
/// Hand-written rather than imageproc's `rotate_about_center` because that costs ~140 ms on a 300 dpi
/// A5 page and this ~1/4 of it: fixed-point coordinates stepped along each row, no per-pixel
/// trigonometry or float conversion.
fn unrotate<const C: usize>(
    src: &[u8],
    width: u32,
    height: u32,
    degrees: f32,
    fill: [u8; C],
) -> Vec<u8> {
    const ONE: f64 = 65536.0;
    let (w, h) = (width as i64, height as i64);
    let (sin, cos) = f64::from(degrees).to_radians().sin_cos();
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
    let (step_x, step_y) = ((cos * ONE) as i64, (sin * ONE) as i64);
    let stride = width as usize * C;
    // Written in place rather than pushed: a push per sample kept the loop from being compiled
    // tight (a third of the page's preparation went here, `perf` on `make bench`'s pages).
    let mut out = vec![0u8; src.len()];
    for (y, row) in out.chunks_exact_mut(stride).enumerate() {
        let dy = y as f64 - cy;
        // Source of output pixel (0, y): centre + R(skew)·(dst − centre).
        let mut sx = ((cx + (-cx) * cos - dy * sin) * ONE) as i64;
        let mut sy = ((cy + (-cx) * sin + dy * cos) * ONE) as i64;
        for px in row.chunks_exact_mut(C) {
            let (x0, y0) = (sx >> 16, sy >> 16);
            if x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h {
                // 8-bit weights are plenty for 8-bit samples.
                let (fx, fy) = (((sx >> 8) & 0xFF) as u32, ((sy >> 8) & 0xFF) as u32);
                let i00 = ((y0 * w + x0) as usize) * C;
                let top_row = &src[i00..i00 + 2 * C];
                let bottom_row = &src[i00 + stride..i00 + stride + 2 * C];
                for c in 0..C {
                    let top = u32::from(top_row[c]) * (256 - fx) + u32::from(top_row[C + c]) * fx;
                    let bottom =
                        u32::from(bottom_row[c]) * (256 - fx) + u32::from(bottom_row[C + c]) * fx;
                    px[c] = ((top * (256 - fy) + bottom * fy + (1 << 15)) >> 16) as u8;
                }
            } else {
                px.copy_from_slice(&fill);
            }
            sx += step_x;
            sy += step_y;
        }
    }
    out
}

/// The clockwise skew of the text lines in degrees, within ±[`MAX_SKEW`]; 0 when there is too
/// little ink to tell.
fn estimate_skew(gray: &GrayImage) -> f32 {
    let (width, height) = gray.dimensions();
    let step = width.max(height).div_ceil(ESTIMATE_SIDE).max(1);
    // The page sampled every `step` pixels.
    let mut small = GrayImage::from_fn(width.div_ceil(step), height.div_ceil(step), |x, y| {
        *gray.get_pixel(x * step, y * step)
    });
    let mut level = imageproc::contrast::otsu_level(&small);
    // A phone photo's desk round the sheet is darker than Otsu's level: its edges, not the lines,
    // would set the angle (seed 13 sub046: a sheet 4° off on a wooden desk went unturned and every
    // line of its certificate was read in pieces). With the light evened out, the desk is paper-
    // white and the print is the ink.
    let dark = small.pixels().filter(|p| p.0[0] < level).count();
    if dark as f32 > BACKGROUND_SHARE * (small.width() * small.height()) as f32 {
        super::even_light(&mut small);
        level = imageproc::contrast::otsu_level(&small);
    }
    // Ink = darker than Otsu's level.
    let ink: Vec<(f32, f32)> = small
        .enumerate_pixels()
        .filter(|(_, _, p)| p.0[0] < level)
        .map(|(x, y, _)| (x as f32, y as f32))
        .collect();
    // A page that is mostly dark (a photo's background) or nearly blank has no lines to measure.
    let sampled = (small.width() * small.height()) as usize;
    if ink.len() < 100 || ink.len() > sampled / 2 {
        return 0.0;
    }
    let rows = (height.div_ceil(step) as f32 * 1.2) as usize + 2;
    // The coarse search needs the lines' direction, not their sharpness: every fourth ink sample
    // tells it as well (a page has tens of thousands) at a quarter of the cost.
    let sparse: Vec<(f32, f32)> = ink.iter().copied().step_by(4).collect();
    let score = |ink: &[(f32, f32)], degrees: f32| -> u64 {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let offset = rows as f32 * 0.1;
        let mut bins = vec![0u32; rows];
        for &(x, y) in ink {
            let r = y * cos - x * sin + offset;
            if r >= 0.0 && (r as usize) < rows {
                bins[r as usize] += 1;
            }
        }
        bins.iter().map(|&b| u64::from(b) * u64::from(b)).sum()
    };
    // Short lines give the same score over a small range of angles: take the middle of that plateau,
    // not its edge.
    let best_in = |ink: &[(f32, f32)], from: f32, to: f32, by: f32| -> f32 {
        let steps = ((to - from) / by).round() as i32;
        let scored: Vec<(f32, u64)> = (0..=steps)
            .map(|i| from + i as f32 * by)
            .map(|d| (d, score(ink, d)))
            .collect();
        let top = scored.iter().map(|&(_, s)| s).max().unwrap_or(0);
        let tied: Vec<f32> = scored
            .iter()
            .filter(|&&(_, s)| s == top)
            .map(|&(d, _)| d)
            .collect();
        tied.iter().sum::<f32>() / tied.len().max(1) as f32
    };
    let coarse = best_in(&sparse, -MAX_SKEW, MAX_SKEW, 0.25);
    let fine = best_in(&ink, coarse - 0.5, coarse + 0.5, 0.05);
    // At the edge of the range the real angle may lie beyond it: leave such a page alone.
    if fine.abs() > MAX_SKEW {
        0.0
    } else {
        fine
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::testpage;
    use image::{Luma, Rgb};
    use imageproc::geometric_transformations::{rotate_about_center, Border, Interpolation};

    fn rotated(page: &GrayImage, degrees: f32) -> GrayImage {
        rotate_about_center(
            page,
            degrees.to_radians(),
            Interpolation::Bilinear,
            Border::Constant(Luma([255])),
        )
    }

    #[test]
    fn finds_and_undoes_a_3_degree_skew() {
        let page = testpage::render_receipt();
        for degrees in [3.0f32, -2.0] {
            let prepared = prepare(DynamicImage::ImageLuma8(rotated(&page, degrees)));
            assert!(
                (prepared.skew_degrees - degrees).abs() < 0.5,
                "{degrees}° found as {}",
                prepared.skew_degrees
            );
            assert_eq!(prepared.gray.dimensions(), page.dimensions());
            assert!(prepared.color.is_none(), "gray source keeps no colour copy");
            // Turned back: re-estimating finds a straight page.
            assert!(estimate_skew(&prepared.gray).abs() < 0.3);
        }
    }

    #[test]
    fn a_photographed_sheet_on_a_desk_is_turned_by_its_lines_not_the_desk() {
        // The receipt as a phone sees it: the sheet on a darker desk that fills a wide border,
        // the whole turned 3°, the desk a grain of lighter and darker boards.
        let sheet = testpage::render_receipt();
        let (w, h) = sheet.dimensions();
        let (bx, by) = (w / 3, h / 4);
        let photo = GrayImage::from_fn(w + 2 * bx, h + 2 * by, |x, y| {
            if (bx..bx + w).contains(&x) && (by..by + h).contains(&y) {
                // Paper lit a little below white.
                Luma([(u32::from(sheet.get_pixel(x - bx, y - by).0[0]) * 225 / 255) as u8])
            } else {
                Luma([(95 + (x / 7 + y / 31) % 3 * 12) as u8])
            }
        });
        let turned = rotate_about_center(
            &photo,
            3.0f32.to_radians(),
            Interpolation::Bilinear,
            Border::Constant(Luma([100])),
        );
        let found = estimate_skew(&turned);
        assert!((found - 3.0).abs() < 0.5, "3° found as {found}");
    }

    #[test]
    fn unrotate_matches_imageproc_turning_back() {
        let page = testpage::render_receipt();
        let ours = unrotate::<1>(page.as_raw(), page.width(), page.height(), 3.0, [255]);
        let reference = rotated(&page, -3.0);
        let diff: u64 = ours
            .iter()
            .zip(reference.as_raw())
            .map(|(a, b)| u64::from(a.abs_diff(*b)))
            .sum();
        let mean = diff as f64 / ours.len() as f64;
        assert!(mean < 1.0, "mean difference {mean} per pixel");
    }

    #[test]
    fn straight_page_is_left_untouched() {
        let page = testpage::render_receipt();
        let prepared = prepare(DynamicImage::ImageLuma8(page.clone()));
        assert_eq!(prepared.skew_degrees, 0.0);
        assert_eq!(prepared.gray, page);
    }

    #[test]
    fn colour_copy_has_the_same_geometry() {
        let page = rotated(&testpage::render_receipt(), 2.0);
        let color = DynamicImage::ImageRgb8(DynamicImage::ImageLuma8(page).to_rgb8());
        let mut color = color.to_rgb8();
        // A red seal in the corner makes it a colour page.
        for y in 100..160 {
            for x in 2200..2260 {
                color.put_pixel(x, y, Rgb([220, 30, 30]));
            }
        }
        let prepared = prepare(DynamicImage::ImageRgb8(color));
        let c = prepared.color.expect("colour kept");
        assert_eq!(c.dimensions(), prepared.gray.dimensions());
        assert!((prepared.skew_degrees - 2.0).abs() < 0.5);
    }

    #[test]
    fn blank_and_black_pages_do_not_rotate() {
        let blank = GrayImage::from_pixel(800, 600, Luma([255]));
        assert_eq!(prepare(DynamicImage::ImageLuma8(blank)).skew_degrees, 0.0);
        let black = GrayImage::from_pixel(800, 600, Luma([0]));
        assert_eq!(prepare(DynamicImage::ImageLuma8(black)).skew_degrees, 0.0);
    }
}
