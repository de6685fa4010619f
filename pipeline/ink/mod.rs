//! ink: pixel analysis of a page image, everything about its ink that is not reading text —
//! seals (red, gray, square, ring, a fax's halftone), strike-throughs, red drop-out, ruled lines,
//! boxes and dot leaders, glyph shapes, and how the page was captured.
//!
//! What it finds is handed to `extract` as [`Marks`](crate::extract::marks::Marks) (the data types
//! live there; `extract` never looks at pixels); images it cleans (red dropped out, rules and
//! leaders erased, seal frames whited out) go back to the recognisers. It neither recognises text
//! nor judges what a mark means (a sealed correction, a missing 領収印: `extract` does). Called by
//! the reading of a page (`reading/page.rs`, `reading/looks/`).

mod capture;
mod crossed;
mod glyphs;
mod halftone;
mod red;
mod rules;
mod seals;
mod strikes;

pub use capture::capture_of;
pub use crossed::{crossed_red_seals, crossed_seals};
pub use glyphs::{glyphs, Glyph};
pub use halftone::{dithered_seals, halftone_map, without_halftone};
pub use red::{find_red_seals, gray_without_red, red_map, red_seals, shows_colour, RedChannel};
pub use rules::{boxes, erase_dot_leaders, erase_rules, Table};
pub use seals::{add_rings_over, find_gray_seals, ring_over, square_seals, without_seal_frames};
pub use strikes::{find_strikes, find_strikes_on_photo, find_strikes_on_scan, strikes_in};

/// Downsampling factor for the ink maps (seals are tens of pixels even at 150 dpi).
const CELL: u32 = 4;

/// A page image from `tests/fixtures/` (crops of generated pages as kyufu reads them; see its
/// README), in gray.
#[cfg(test)]
pub(crate) fn fixture(name: &str) -> image::GrayImage {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    image::open(&path).expect(&path).into_luma8()
}

/// Draws a rectangle's four sides, `t` thick, in `ink`.
#[cfg(test)]
fn frame(
    img: &mut image::GrayImage,
    (x, y, w, h): (i32, i32, u32, u32),
    t: u32,
    ink: image::Luma<u8>,
) {
    let (r, b) = (x + (w - t) as i32, y + (h - t) as i32);
    for (rx, ry, rw, rh) in [(x, y, w, t), (x, b, w, t), (x, y, t, h), (r, y, t, h)] {
        imageproc::drawing::draw_filled_rect_mut(
            img,
            imageproc::rect::Rect::at(rx, ry).of_size(rw, rh),
            ink,
        );
    }
}
