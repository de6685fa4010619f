//! How a page image was captured (scan, phone photo, fax), measured from its pixels: what ink
//! analysis (this module's siblings) may be sure it did not see depends on it. Called by the reading
//! of a page (`reading/page.rs`); `extract`'s `fields::read_marks` turns a weak capture into doubt.

use image::GrayImage;

use crate::extract::marks::Capture;

/// Share of a page's pixels in the mid-grays above which it is a photo, not a scan. Scans of the
/// corpus's papers keep 2–13 % of their pixels between 24 and 232 (glyph edges, light print, gray
/// paper); phone photos 40–100 % (the sheet's paper under shadow, the desk around it).
const PHOTO_MID_SHARE: f64 = 0.30;

/// Share of pixels that are pure black or white above which a page is binary (a fax): a scan's
/// anti-aliased glyph edges and paper noise keep it far below.
const BINARY_SHARE: f64 = 0.995;

/// How `gray` was captured (see [`Capture`]), from a sparse sample of its pixels.
pub fn capture_of(gray: &GrayImage) -> Capture {
    let (mut n, mut mid, mut pure) = (0u64, 0u64, 0u64);
    for (i, p) in gray.pixels().enumerate() {
        if i % 3 != 0 {
            continue;
        }
        n += 1;
        match p.0[0] {
            0 | 255 => pure += 1,
            24..=232 => mid += 1,
            _ => {}
        }
    }
    if n == 0 {
        return Capture::Scan;
    }
    let share = |k: u64| k as f64 / n as f64;
    if share(pure) >= BINARY_SHARE {
        Capture::Binary
    } else if share(mid) > PHOTO_MID_SHARE {
        Capture::Photo
    } else {
        Capture::Scan
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    #[test]
    fn a_scan_a_photo_and_a_fax_are_told_apart() {
        // A scan: white paper, black print with gray edges.
        let mut scan = GrayImage::from_pixel(400, 300, image::Luma([250]));
        draw_filled_rect_mut(
            &mut scan,
            Rect::at(40, 40).of_size(200, 10),
            image::Luma([10]),
        );
        draw_filled_rect_mut(
            &mut scan,
            Rect::at(40, 50).of_size(200, 2),
            image::Luma([120]),
        );
        assert_eq!(capture_of(&scan), Capture::Scan);
        // A photo: the sheet gray under light falling off across it, the desk darker around it.
        let photo = GrayImage::from_fn(400, 300, |x, _| image::Luma([(120 + x / 4) as u8]));
        assert_eq!(capture_of(&photo), Capture::Photo);
        // A fax: two levels only.
        let mut fax = GrayImage::from_pixel(400, 300, image::Luma([255]));
        draw_filled_rect_mut(
            &mut fax,
            Rect::at(40, 40).of_size(200, 10),
            image::Luma([0]),
        );
        assert_eq!(capture_of(&fax), Capture::Binary);
    }
}
