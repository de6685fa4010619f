//! Stamps on a black-and-white page (a fax). A fax machine draws the light ink of a red stamp as a
//! halftone — single black dots in a checkerboard, thinning out where the ink is light — where print
//! is solid strokes; so a stamp is where such dots gather. Called by `reading::page` for pages whose
//! capture is [`Capture::Binary`](crate::extract::marks::Capture::Binary); seals on scans and
//! photos are found by [`super::seals`] and [`super::red`], whose clustering this shares.

use image::GrayImage;

use crate::extract::marks::{Ink, Seal};

use super::seals::clusters;
use super::CELL;

/// Finds stamps on a black-and-white page (a fax): a fax draws a red stamp's light ink as a
/// halftone, a checkerboard of single black dots, where print is solid strokes. A dot is a black
/// pixel none of whose four neighbours is black; where they gather is the stamp's ink, clustered as
/// a red stamp's is.
pub fn dithered_seals(binary: &GrayImage, char_h: u32) -> Vec<Seal> {
    let (w, h) = binary.dimensions();
    let (cw, ch) = (w.div_ceil(CELL), h.div_ceil(CELL));
    let black = |x: u32, y: u32| binary.get_pixel(x, y).0[0] < 128;
    let mut dots = vec![0u16; (cw * ch) as usize];
    for y in 1..h.saturating_sub(1) {
        for x in 1..w.saturating_sub(1) {
            if black(x, y)
                && !black(x - 1, y)
                && !black(x + 1, y)
                && !black(x, y - 1)
                && !black(x, y + 1)
            {
                dots[((y / CELL) * cw + x / CELL) as usize] += 1;
            }
        }
    }
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
    clusters(&map, char_h, Ink::Gray)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::testpage::{draw, font};
    use image::Luma;

    /// A 200-dpi fax page: print, and (if `stamp`) a round stamp of 150 px drawn as a halftone
    /// whose dots thin out on one side, as a light stamp's do.
    fn fax(stamp: bool) -> GrayImage {
        let mut page = GrayImage::from_pixel(1654, 1200, Luma([255]));
        let font = font();
        for (i, text) in ["修了証明書", "山本 綾香 殿", "校長 村上 誠一"]
            .iter()
            .enumerate()
        {
            draw(
                &mut page,
                &font,
                text,
                200.0,
                200.0 + 150.0 * i as f32,
                32.0,
            );
        }
        for y in 0..page.height() {
            for x in 0..page.width() {
                let v = if page.get_pixel(x, y).0[0] < 128 {
                    0
                } else {
                    255
                };
                page.put_pixel(x, y, Luma([v]));
            }
        }
        if stamp {
            let (cx, cy) = (560i64, 520i64);
            for y in cy - 80..cy + 80 {
                for x in cx - 80..cx + 80 {
                    let r2 = (x - cx).pow(2) + (y - cy).pow(2);
                    // One dot in two on the left, one in four on the right.
                    let every = if x < cx { 2 } else { 4 };
                    let on_ring = (62 * 62..75 * 75).contains(&r2);
                    if on_ring && (x + y) % 2 == 0 && (x / 2 + y / 2) % (every / 2) == 0 {
                        page.put_pixel(x as u32, y as u32, Luma([0]));
                    }
                }
            }
        }
        page
    }

    #[test]
    fn a_stamp_drawn_as_a_halftone_is_found_whole_and_print_is_no_stamp() {
        let seals = dithered_seals(&fax(true), 32);
        let large: Vec<&Seal> = seals.iter().filter(|s| s.is_large(32)).collect();
        assert_eq!(large.len(), 1, "{seals:?}");
        let b = large[0].bbox;
        assert!(
            b.w >= 120 && b.h >= 120,
            "the whole ring, not an arc of it: {b:?}"
        );
        assert!(
            dithered_seals(&fax(false), 32)
                .iter()
                .all(|s| !s.is_large(32)),
            "solid print is no halftone"
        );
    }
}
