//! Red ink on a colour page: where it is (a downsampled map the seal finder clusters), and the page
//! in gray with it dropped out, so a 領収印 over a name does not spoil the name's reading. Does not
//! decide what a cluster of red means; [`super::seals`] finds the seals in the map. Called by the
//! reading of a page (`reading/page.rs`) before OCR.

use image::{GrayImage, RgbImage};

use crate::extract::marks::{Ink, Seal};

use super::seals::clusters;
use super::CELL;

/// Red ink: clearly more red than green and blue.
fn is_red(p: &image::Rgb<u8>) -> bool {
    let [r, g, b] = p.0;
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    r > 110 && r - g > 45 && r - b > 35
}

/// Whether `color` carries hue at all: one sampled pixel in a thousand whose channels differ by 12
/// or more. A gray page saved as RGB (a phone app's black-and-white mode) has none; a colour photo
/// has it in its noise and its light's cast even where the paper is white (a colour photo of a
/// sealed receipt under neutral light: 0.6 % of its pixels).
pub fn shows_colour(color: &RgbImage) -> bool {
    let (mut sampled, mut hued) = (0u32, 0u32);
    for p in color.pixels().step_by(7) {
        let [r, g, b] = p.0;
        sampled += 1;
        if r.max(g).max(b) - r.min(g).min(b) >= 12 {
            hued += 1;
        }
    }
    hued * 1000 >= sampled.max(1)
}

/// Finds red-ink clusters of about seal size (the caller passes the page's character height).
pub fn find_red_seals(color: &RgbImage, char_h: u32) -> Vec<Seal> {
    red_seals(&red_map(color), char_h)
}

/// Where red ink is, one pixel per `CELL`×`CELL` block: small enough to keep while the full colour
/// page is dropped, which is all the seal finder needs later.
pub fn red_map(color: &RgbImage) -> GrayImage {
    let (w, h) = color.dimensions();
    let mut map = GrayImage::new(w.div_ceil(CELL), h.div_ceil(CELL));
    for (x, y, p) in color.enumerate_pixels() {
        if is_red(p) {
            map.put_pixel(x / CELL, y / CELL, image::Luma([255]));
        }
    }
    map
}

/// Seals in a [`red_map`].
pub fn red_seals(map: &GrayImage, char_h: u32) -> Vec<Seal> {
    clusters(map, char_h, Ink::Red)
}

/// The page in gray with red ink turned to paper white (drop-out colour, as form readers do), so a
/// stamp over a name does not spoil the OCR of the name. Made straight from the colour page, without
/// a second colour copy.
pub fn gray_without_red(color: &RgbImage) -> GrayImage {
    let (w, h) = color.dimensions();
    let mut out = GrayImage::new(w, h);
    for (x, y, p) in color.enumerate_pixels() {
        let v = if is_red(p) {
            255
        } else {
            let [r, g, b] = p.0;
            // Rec. 709 luma in integers, the weights image's to_luma8 uses.
            ((u32::from(r) * 2126 + u32::from(g) * 7152 + u32::from(b) * 722) / 10000) as u8
        };
        out.put_pixel(x, y, image::Luma([v]));
    }
    out
}

/// The red channel of a colour page where its red ink is: in it a red stamp is nearly paper
/// (its ink is bright in red) and the print under it stays dark, where the page with its red
/// dropped ([`gray_without_red`]) keeps the stamp's pale edges and breaks the digits its strokes
/// cross. Kept, for the box round the page's red and `margin` pixels more, so the money under a
/// stamp can be read again ([`crate::reading::money_again`]) after the colour page is let go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedChannel {
    /// Where the patch's top-left pixel lies on the page.
    pub x: u32,
    pub y: u32,
    pub image: GrayImage,
}

impl RedChannel {
    /// The red channel of `color` round the red ink of `map` ([`red_map`]); `None` where the page
    /// has none, or has it over more than a quarter of its area (a photo's warm cast, a red
    /// letterhead and a stamp far apart): the patch is kept while the page is read.
    pub fn of(color: &RgbImage, map: &GrayImage, margin: u32) -> Option<RedChannel> {
        let (w, h) = color.dimensions();
        let red: Vec<(u32, u32)> = map
            .enumerate_pixels()
            .filter(|(_, _, p)| p.0[0] > 0)
            .map(|(x, y, _)| (x, y))
            .collect();
        let x0 = (red.iter().map(|p| p.0).min()? * CELL).saturating_sub(margin);
        let y0 = (red.iter().map(|p| p.1).min()? * CELL).saturating_sub(margin);
        let x1 = ((red.iter().map(|p| p.0).max()? + 1) * CELL + margin).min(w);
        let y1 = ((red.iter().map(|p| p.1).max()? + 1) * CELL + margin).min(h);
        if x1 <= x0 || y1 <= y0 || (x1 - x0) * (y1 - y0) * 4 > w * h {
            return None;
        }
        let mut image = GrayImage::new(x1 - x0, y1 - y0);
        for (x, y, p) in image.enumerate_pixels_mut() {
            p.0[0] = color.get_pixel(x0 + x, y0 + y).0[0];
        }
        Some(RedChannel {
            x: x0,
            y: y0,
            image,
        })
    }

    /// The red channel at page pixel (`x`, `y`), where the patch covers it.
    pub fn at(&self, x: u32, y: u32) -> Option<u8> {
        let (px, py) = (x.checked_sub(self.x)?, y.checked_sub(self.y)?);
        (px < self.image.width() && py < self.image.height())
            .then(|| self.image.get_pixel(px, py).0[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_circle_mut};
    use imageproc::rect::Rect;

    #[test]
    fn a_red_ring_is_a_seal_and_red_text_specks_are_not() {
        let mut img = RgbImage::from_pixel(800, 600, image::Rgb([250, 250, 250]));
        for r in 50..56 {
            draw_hollow_circle_mut(&mut img, (400, 300), r, image::Rgb([210, 40, 40]));
        }
        draw_filled_rect_mut(
            &mut img,
            Rect::at(100, 100).of_size(6, 6),
            image::Rgb([210, 40, 40]),
        );
        let seals = find_red_seals(&img, 40);
        assert_eq!(seals.len(), 1, "{seals:?}");
        let s = seals[0].bbox;
        assert!(s.x <= 350 && s.right() >= 450 && s.y <= 250 && s.bottom() >= 350);
    }

    #[test]
    fn a_gray_page_saved_in_rgb_shows_no_colour_and_a_photo_with_a_cast_does() {
        // Gray print on white, every channel alike: a black-and-white scan app's JPEG.
        let mut gray = RgbImage::from_pixel(300, 300, image::Rgb([235, 235, 235]));
        draw_filled_rect_mut(
            &mut gray,
            Rect::at(50, 50).of_size(200, 20),
            image::Rgb([40; 3]),
        );
        assert!(!shows_colour(&gray));
        // The same under warm indoor light: the paper yellowish, the print brownish.
        let warm = RgbImage::from_fn(300, 300, |x, y| {
            let [v, _, _] = gray.get_pixel(x, y).0;
            image::Rgb([v, v.saturating_sub(6), v.saturating_sub(16)])
        });
        assert!(shows_colour(&warm));
    }

    #[test]
    fn the_red_channel_is_kept_round_the_red_and_shows_the_print_under_it() {
        let mut img = RgbImage::from_pixel(800, 600, image::Rgb([250, 250, 250]));
        // Black print, and a red ring stamped over part of it (ink multiplied: dark red).
        draw_filled_rect_mut(
            &mut img,
            Rect::at(300, 296).of_size(200, 8),
            image::Rgb([30, 30, 30]),
        );
        for r in 50..56 {
            draw_hollow_circle_mut(&mut img, (400, 300), r, image::Rgb([210, 40, 40]));
        }
        img.put_pixel(350, 300, image::Rgb([25, 10, 10]));
        let map = red_map(&img);
        let channel = RedChannel::of(&img, &map, 16).expect("red on the page");
        assert!(
            channel.x <= 330 && channel.y <= 230,
            "{:?}",
            (channel.x, channel.y)
        );
        // The ring is nearly paper in red; the print, under the ring or not, stays dark.
        assert_eq!(channel.at(400, 246), Some(210));
        assert_eq!(channel.at(340, 300), Some(30));
        assert_eq!(channel.at(350, 300), Some(25));
        // Outside the patch, nothing.
        assert_eq!(channel.at(10, 10), None);
        // Gray dropped: the ring white, the print under it as dark as the rest.
        assert_eq!(gray_without_red(&img).get_pixel(400, 246).0[0], 255);

        let plain = RgbImage::from_pixel(800, 600, image::Rgb([250, 250, 250]));
        assert!(RedChannel::of(&plain, &red_map(&plain), 16).is_none());
    }
}
