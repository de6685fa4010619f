//! A fax page made readable before it is read: a fax machine thresholds each pixel against an
//! ordered halftone, so thin strokes (a Mincho's or Noto Serif's horizontals, small print) arrive
//! as broken dots and the grays between as dither. Blurring the page a little joins the dots into
//! strokes again and turns the dither back into gray, which both recognizers read far better.
//!
//! Measured with the `tesseract` CLI (`-l jpn --psm 3`) on every fax page of the looked-at seeds 7
//! and 13 (`kyufu-accuracy --count 60 --seed 7`, `--seed 13`; 26 pages at 200 dpi): field values
//! (names, course, issuer, dates, amounts) printed verbatim in the text, 33 of 146 as sent, 43 with
//! a Gaussian blur of σ 0.8, 43 with σ 1.2. σ 1.2 costs a clean Gothic fax its dates (a page
//! reading 4 of 6 values read none), σ 0.8 lost at most one value on any page.
//!
//! Only what the engines read is smoothed: the seal and strike finders look at the binary page
//! itself (a fax's stamp is found from its halftone, `ink::dithered_seals`). Called by the reading
//! of a page (`reading/page.rs`) for pages measured as binary (`ink::capture_of`).

use image::GrayImage;

/// The blur's σ in pixels at 200 dpi, a fax's fine resolution (see the module doc).
const SIGMA_AT_200_DPI: f32 = 0.8;

/// The page's width at 200 dpi on A4 portrait; wider or narrower pages of the same paper are
/// scaled.
const A4_WIDTH_AT_200_DPI: f32 = 1654.0;

/// `gray` (a binary fax page) blurred for reading (see the module doc). The blur scales with the
/// page's resolution, estimated from its shorter side as if it were A4 or A5 at 200 dpi.
pub fn smoothed_for_reading(gray: &GrayImage) -> GrayImage {
    let short = gray.width().min(gray.height()) as f32;
    // An A5 page's short side is A4's long side halved: 1169 px at 200 dpi.
    let scale = if short < 1400.0 {
        short / 1169.0
    } else {
        short / A4_WIDTH_AT_200_DPI
    };
    let sigma = (SIGMA_AT_200_DPI * scale).clamp(0.5, 2.0);
    imageproc::filter::gaussian_blur_f32(gray, sigma)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::testpage::draw;
    use crate::ocr::Engine;

    /// A line of print in IPAex Mincho as a fax sends it: thresholded against an ordered (Bayer)
    /// halftone between `lo` and `hi`, so a Mincho's thin horizontals break into dots.
    fn faxed(text: &str, px: f32, lo: u32, hi: u32, standard: bool) -> GrayImage {
        const BAYER: [[u8; 4]; 4] = [[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]];
        let bytes = std::fs::read("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf")
            .expect("IPAex Mincho is installed (scripts/setup.sh)");
        let mincho = ab_glyph::FontVec::try_from_vec(bytes).expect("font parses");
        let mut img = GrayImage::from_pixel(1654, 300, image::Luma([255]));
        draw(&mut img, &mincho, text, 80.0, 100.0, px);
        for (x, y, p) in img.enumerate_pixels_mut() {
            let t = lo
                + (hi - lo) * (u32::from(BAYER[(y % 4) as usize][(x % 4) as usize]) * 2 + 1) / 32;
            p.0[0] = if u32::from(p.0[0]) < t { 0 } else { 255 };
        }
        if standard {
            for y in (1..img.height()).step_by(2) {
                for x in 0..img.width() {
                    let above = *img.get_pixel(x, y - 1);
                    img.put_pixel(x, y, above);
                }
            }
        }
        img
    }

    #[test]
    fn a_faxed_line_of_light_print_reads_once_smoothed() {
        let text = "受講料 金額 123,400円 医療事務講座";
        // 24 px (9 pt at 200 dpi), the halftone band of a fax machine set light.
        let page = faxed(text, 24.0, 100, 215, false);
        let mut engine = Engine::new(&crate::ocr::Models::locate(None).expect("models"), "jpn")
            .expect("Tesseract jpn");
        let mut read = |img: &GrayImage| -> String {
            let r = engine.recognize(img).expect("reads");
            r.words.iter().map(|w| w.text.as_str()).collect::<String>()
        };
        let digits = |t: &str| t.chars().filter(char::is_ascii_digit).collect::<String>();
        let whole = |t: &str| digits(t) == "123400" && t.contains("医療事務講座");
        let sent = read(&page);
        assert!(!whole(&sent), "as sent, the dots misread: {sent}");
        let smoothed = read(&smoothed_for_reading(&page));
        assert!(whole(&smoothed), "smoothed: {smoothed}");
    }
}
