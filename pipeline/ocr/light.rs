//! Evening out the light of a phone photo before it is read: the paper's own brightness, estimated
//! locally, is divided out, so print in a shadow is as dark against its paper as print in the light.
//!
//! Tesseract binarises a page with one global (Otsu) level. A photo taken under a lamp, half in the
//! shadow of the hand or the phone, has paper darker in the shadow than ink in the light: one level
//! turns the shadowed half black and every line in it is lost (the README demo's sub008: payer,
//! breakdown and total all under one diagonal shadow, none read). Scans have even light and are
//! left alone by the caller.
//!
//! The background is the brightest ink-free value near each pixel: the page in cells of
//! [`CELL`]² pixels, each cell's brightest pixel, the brightest of each 3×3 cells (so a cell inside a
//! glyph takes the paper beside it), smoothed, and spread back over the cells bilinearly. Each pixel
//! becomes `pixel × 255 / background`. Cells this small follow the edge of a shadow (its penumbra is
//! a few cells wide) without following glyphs (a 3×3 window is wider than any stroke).
//!
//! Called by the reading of a page (`reading/page.rs`) for pages measured as photos.

use image::GrayImage;

/// Side of a background cell in pixels: at 200–300 dpi a glyph is 30–60 px tall, its strokes 3–8.
const CELL: u32 = 8;

/// Divides out uneven light in place (see the module doc). A page smaller than 3×3 cells is left as
/// it is.
pub fn even_light(gray: &mut GrayImage) {
    let (width, height) = gray.dimensions();
    let (cw, ch) = (
        width.div_ceil(CELL) as usize,
        height.div_ceil(CELL) as usize,
    );
    if cw < 3 || ch < 3 {
        return;
    }
    // Brightest pixel of each cell.
    let mut cells = vec![0u8; cw * ch];
    for (y, row) in gray.chunks_exact(width as usize).enumerate() {
        let cell_row = &mut cells[y / CELL as usize * cw..][..cw];
        for (cell, run) in cell_row.iter_mut().zip(row.chunks(CELL as usize)) {
            *cell = run.iter().copied().fold(*cell, u8::max);
        }
    }
    // Brightest of each 3×3 cells: paper beside a glyph stands for the cells the glyph fills.
    let brightest = around(&cells, cw, ch, |window| {
        window.iter().copied().max().unwrap_or(0)
    });
    // Smoothed (mean of 3×3), so the background has no steps at cell edges.
    let background = around(&brightest, cw, ch, |window| {
        (window.iter().map(|&v| u32::from(v)).sum::<u32>() / window.len() as u32) as u8
    });
    let at = |cx: usize, cy: usize| f32::from(background[cy * cw + cx]);
    // Bilinear between the centres of the four nearest cells. Where a pixel falls between cells
    // depends on its column alone and on its row alone: worked out once per column and per row,
    // not per pixel (the same arithmetic, so the same values).
    let between = |i: u32, cells: usize| {
        let f = ((i as f32 + 0.5) / CELL as f32 - 0.5).clamp(0.0, (cells - 1) as f32);
        let i0 = f as usize;
        (i0, (i0 + 1).min(cells - 1), f - i0 as f32)
    };
    let columns: Vec<(usize, usize, f32)> = (0..width).map(|x| between(x, cw)).collect();
    for (y, row) in gray.chunks_exact_mut(width as usize).enumerate() {
        let (y0, y1, ty) = between(y as u32, ch);
        for (p, &(x0, x1, tx)) in row.iter_mut().zip(&columns) {
            let top = at(x0, y0) * (1.0 - tx) + at(x1, y0) * tx;
            let bottom = at(x0, y1) * (1.0 - tx) + at(x1, y1) * tx;
            let paper = (top * (1.0 - ty) + bottom * ty).max(1.0);
            *p = (f32::from(*p) * 255.0 / paper).min(255.0) as u8;
        }
    }
}

/// `f` of each cell's 3×3 neighbourhood (fewer at the edges).
fn around(cells: &[u8], cw: usize, ch: usize, f: impl Fn(&[u8]) -> u8) -> Vec<u8> {
    let mut out = vec![0u8; cells.len()];
    let mut window = Vec::with_capacity(9);
    for cy in 0..ch {
        for cx in 0..cw {
            window.clear();
            for y in cy.saturating_sub(1)..=(cy + 1).min(ch - 1) {
                for x in cx.saturating_sub(1)..=(cx + 1).min(cw - 1) {
                    window.push(cells[y * cw + x]);
                }
            }
            out[cy * cw + cx] = f(&window);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::testpage::{draw, font};
    use image::Luma;

    /// Text on paper lit 235 on the left and 90 on the right (a shadow over half the page).
    fn shadowed_page() -> GrayImage {
        let font = font();
        let mut page = GrayImage::from_pixel(800, 200, Luma([255]));
        draw(&mut page, &font, "領収金額 61,000円", 40.0, 60.0, 48.0);
        draw(&mut page, &font, "支払者 渡辺 直美", 450.0, 60.0, 48.0);
        for (x, _, p) in page.enumerate_pixels_mut() {
            // A shadow's edge is a penumbra a few dozen pixels wide, not a step.
            let t = ((x as f32 - 392.0) / 48.0).clamp(0.0, 1.0);
            let light = 235.0 - t * (235.0 - 90.0);
            p.0[0] = (f32::from(p.0[0]) * light / 255.0) as u8;
        }
        page
    }

    #[test]
    fn print_in_shadow_is_as_dark_against_its_paper_as_print_in_light() {
        let mut page = shadowed_page();
        // Before: the shadowed paper (90) is darker than Otsu's level, so it reads as ink.
        let level = imageproc::contrast::otsu_level(&page);
        assert!(page.get_pixel(700, 20).0[0] < level);
        even_light(&mut page);
        // After: paper is white on both sides, and ink stays ink on both sides.
        assert!(page.get_pixel(200, 20).0[0] > 240, "lit paper");
        assert!(page.get_pixel(700, 20).0[0] > 240, "shadowed paper");
        let level = imageproc::contrast::otsu_level(&page);
        let ink_in = |x0: u32, x1: u32| {
            (x0..x1)
                .flat_map(|x| (40..140).map(move |y| (x, y)))
                .filter(|&(x, y)| page.get_pixel(x, y).0[0] < level)
                .count()
        };
        let (lit, shaded) = (ink_in(40, 380), ink_in(450, 790));
        assert!(
            lit > 500 && shaded > 500,
            "ink left: {lit} lit, {shaded} shaded"
        );
        // Shadow no longer counts as ink: the paper between the lines is clear on both sides.
        let paper_ink = (0..800)
            .filter(|&x| page.get_pixel(x, 180).0[0] < level)
            .count();
        assert_eq!(paper_ink, 0);
    }

    #[test]
    fn an_evenly_lit_scan_keeps_its_print() {
        let font = font();
        let mut page = GrayImage::from_pixel(400, 120, Luma([255]));
        draw(&mut page, &font, "受講料 46,000円", 20.0, 30.0, 40.0);
        let before = page.clone();
        even_light(&mut page);
        let differ = before
            .pixels()
            .zip(page.pixels())
            .filter(|(a, b)| a.0[0].abs_diff(b.0[0]) > 8)
            .count();
        assert_eq!(differ, 0, "white paper divides by 255: nothing moves");
    }
}
