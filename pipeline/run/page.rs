//! One page image → what the extractor reads: prepare (deskew), drop the red stamp ink so it does not
//! spoil the text under it, recognise, group words into lines, then find the marks (seals,
//! strike-throughs) measured in the page's own character height.

use image::{DynamicImage, GrayImage};

use crate::extract::layout::{lines_from_tokens, Token};
use crate::extract::marks::{self, Marks};
use crate::extract::PageInput;
use crate::ocr::{self, Engine, OcrError};

/// Reads one page image with `engine`.
pub fn read_image_page(
    engine: &mut Engine,
    number: u32,
    image: DynamicImage,
) -> Result<PageInput, OcrError> {
    let prepared = ocr::prepare(&image);
    drop(image);
    let (ocr_input, color) = match prepared.color {
        Some(color) if has_red(&color) => {
            let mut dropped = color.clone();
            marks::drop_red(&mut dropped);
            (DynamicImage::ImageRgb8(dropped).to_luma8(), Some(color))
        }
        _ => (prepared.gray.clone(), None),
    };
    let mut ocr_input = ocr_input;
    marks::erase_dot_leaders(&mut ocr_input);
    let recognized = engine.recognize(&ocr_input)?;
    let tokens: Vec<Token> = recognized
        .words
        .into_iter()
        .map(|w| Token {
            text: w.text,
            confidence: (w.confidence / 100.0).clamp(0.0, 1.0),
            bbox: w.bbox,
        })
        .collect();
    let lines = lines_from_tokens(tokens);
    let char_h = PageInput::char_height(&lines);
    let marks = find_marks(&prepared.gray, &ocr_input, color.as_ref(), &lines, char_h);
    Ok(PageInput {
        number,
        lines,
        marks,
        text_layer: false,
    })
}

fn find_marks(
    gray: &GrayImage,
    ocr_input: &GrayImage,
    color: Option<&image::RgbImage>,
    lines: &[crate::extract::layout::TextLine],
    char_h: u32,
) -> Marks {
    let seals = match color {
        Some(c) => marks::find_red_seals(c, char_h),
        None => marks::find_gray_seals(gray, char_h),
    };
    Marks {
        seals,
        // Strikes are looked for where the stamps have been dropped, so a 訂正印 over a strike does not
        // hide it.
        strikes: marks::find_strikes(ocr_input, lines),
    }
}

/// Whether a colour page carries red ink worth dropping (a stamp), by a sparse sample.
fn has_red(color: &image::RgbImage) -> bool {
    let mut red = 0u32;
    for (i, p) in color.pixels().enumerate() {
        if i % 7 == 0 {
            let [r, g, b] = p.0;
            if r > 110 && i32::from(r) - i32::from(g) > 45 && i32::from(r) - i32::from(b) > 35 {
                red += 1;
                if red > 20 {
                    return true;
                }
            }
        }
    }
    false
}
