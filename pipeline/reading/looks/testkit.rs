//! Test helpers the looks' tests share: blank pages, lines as a page reading gives them, the
//! engines a receipt look reads with, and receipt pages read but for their tables.

use image::GrayImage;

use crate::document::BBox;
use crate::extract::layout::{TextLine, Token};
use crate::extract::{Extractor, Hints, PageInput};
use crate::ocr::Engine;
use crate::ocr::{testpage, Models};

use super::ReceiptLook;
use crate::reading::lines::line_of;

/// A blank A4 page at 200 dpi.
pub(super) fn a4() -> GrayImage {
    GrayImage::from_pixel(1654, 2339, image::Luma([255]))
}

pub(super) fn hints(name: &str) -> Hints {
    Hints {
        names: vec![name.to_string()],
        ..Hints::default()
    }
}

/// A line as the page reading gave it: `tokens` (text, left edge) over the drawn line's band.
pub(super) fn read_as(tokens: &[(&str, u32)], spans: &[testpage::Span]) -> TextLine {
    let y = spans.iter().map(|s| s.y).min().unwrap_or(0);
    let h = spans.iter().map(|s| s.h).max().unwrap_or(1);
    let right = spans.iter().map(|s| s.x + s.w).max().unwrap_or(1);
    let tokens: Vec<Token> = tokens
        .iter()
        .enumerate()
        .map(|(i, (text, x))| {
            let end = tokens.get(i + 1).map_or(right, |t| t.1.saturating_sub(4));
            Token {
                text: text.to_string(),
                confidence: 0.8,
                agreed: false,
                bbox: BBox {
                    x: *x,
                    y,
                    w: end.saturating_sub(*x).max(1),
                    h,
                },
            }
        })
        .collect();
    line_of(tokens).expect("a token at least")
}

pub(super) fn line(text: &str) -> TextLine {
    TextLine {
        tokens: vec![Token {
            text: text.into(),
            confidence: 0.8,
            agreed: false,
            bbox: BBox {
                x: 10,
                y: 10,
                w: 400,
                h: 40,
            },
        }],
        bbox: BBox {
            x: 10,
            y: 10,
            w: 400,
            h: 40,
        },
    }
}

pub(super) fn tok(text: &str, x: u32) -> Token {
    Token {
        text: text.into(),
        confidence: 0.9,
        agreed: false,
        bbox: BBox {
            x,
            y: 100,
            w: 60,
            h: 40,
        },
    }
}

/// The Japanese and English engines a receipt look reads with.
pub(super) fn engines() -> (Engine, Engine) {
    let models = Models::locate(None).expect("models");
    let text = Engine::new(&models, "jpn").expect("jpn");
    let digits = Engine::new(&models, "eng").expect("eng");
    (text, digits)
}

/// A receipt look on no page yet (its `image` is set by each test).
pub(super) fn look_with<'a>(
    text: &'a mut Engine,
    digits: &'a mut Engine,
    extractor: &'a Extractor,
    hints: &'a Hints,
) -> ReceiptLook<'a> {
    static BLANK: std::sync::OnceLock<GrayImage> = std::sync::OnceLock::new();
    ReceiptLook {
        text,
        digits,
        image: BLANK.get_or_init(|| GrayImage::new(1, 1)),
        gray_stamps: true,
        witness: None,
        extractor,
        hints,
    }
}

/// A receipt page whose first line is `first` (read over `img`) and whose other lines, below
/// the image, are read as given.
pub(super) fn receipt_page(first: TextLine, rest: &[&str]) -> PageInput {
    let mut lines = vec![first];
    for (i, text) in rest.iter().enumerate() {
        let mut l = line(text);
        l.bbox.y = 1000 + 60 * i as u32;
        l.tokens[0].bbox.y = l.bbox.y;
        l.tokens[0].confidence = 0.95;
        lines.push(l);
    }
    PageInput {
        number: 1,
        lines,
        marks: Default::default(),
        text_layer: false,
        witnesses: Vec::new(),
    }
}

/// A page whose reading has these lines above its table (`h` tall), and none of the table's.
pub(super) fn read_above_the_table(texts: &[&str], h: u32) -> PageInput {
    PageInput {
        number: 1,
        lines: texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut l = line(t);
                l.bbox.y = 200 + 120 * i as u32;
                l.bbox.h = h;
                l.tokens[0].bbox = l.bbox;
                l.tokens[0].confidence = 0.95;
                l
            })
            .collect(),
        marks: Default::default(),
        text_layer: false,
        witnesses: Vec::new(),
    }
}
