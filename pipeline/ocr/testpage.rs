//! Test pages: Japanese text rendered with IPAex Gothic (a font the set-up installs), so OCR tests know
//! exactly what was drawn and where. Test-only.

use ab_glyph::{point, Font, FontVec, PxScale, ScaleFont};
use image::{GrayImage, Luma};

const FONT: &str = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";

/// Where one space-separated piece of a line was drawn.
#[derive(Debug, Clone)]
pub struct Span {
    pub text: String,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

pub fn font() -> FontVec {
    let bytes = std::fs::read(FONT).expect("IPAex Gothic is installed (scripts/setup.sh)");
    FontVec::try_from_vec(bytes).expect("font parses")
}

/// Draws `text` at (`x`, `y` = top of the line) in black; spaces are a full-width gap. Returns each
/// space-separated piece's ink box.
pub fn draw(img: &mut GrayImage, font: &FontVec, text: &str, x: f32, y: f32, px: f32) -> Vec<Span> {
    let scale = PxScale::from(px);
    let scaled = font.as_scaled(scale);
    let baseline = y + scaled.ascent();
    let mut caret = x;
    let mut spans = Vec::new();
    for piece in text.split(' ') {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for c in piece.chars() {
            let id = font.glyph_id(c);
            let glyph = id.with_scale_and_position(scale, point(caret, baseline));
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                (x0, y0, x1, y1) = (
                    x0.min(b.min.x),
                    y0.min(b.min.y),
                    x1.max(b.max.x),
                    y1.max(b.max.y),
                );
                outline.draw(|gx, gy, coverage| {
                    let (px_x, px_y) = (
                        b.min.x as i64 + i64::from(gx),
                        b.min.y as i64 + i64::from(gy),
                    );
                    if px_x >= 0
                        && px_y >= 0
                        && (px_x as u32) < img.width()
                        && (px_y as u32) < img.height()
                    {
                        let p = img.get_pixel_mut(px_x as u32, px_y as u32);
                        let ink = (255.0 * coverage.clamp(0.0, 1.0)) as u8;
                        p[0] = p[0].saturating_sub(ink);
                    }
                });
            }
            caret += scaled.h_advance(id);
        }
        if x1 > x0 {
            spans.push(Span {
                text: piece.to_string(),
                x: x0.max(0.0) as u32,
                y: y0.max(0.0) as u32,
                w: (x1 - x0) as u32,
                h: (y1 - y0) as u32,
            });
        }
        caret += px; // a full-width space
    }
    spans
}

/// One line on a white strip with a margin.
pub fn render_line(text: &str, px: f32) -> (GrayImage, Vec<Span>) {
    render_line_with(&font(), text, px)
}

/// One line in the font at `path` (a handwriting font the set-up installs, say).
pub fn render_line_in(path: &str, text: &str, px: f32) -> (GrayImage, Vec<Span>) {
    let bytes = std::fs::read(path).expect("the font is installed (scripts/setup.sh)");
    let font = FontVec::try_from_vec(bytes).expect("font parses");
    render_line_with(&font, text, px)
}

fn render_line_with(font: &FontVec, text: &str, px: f32) -> (GrayImage, Vec<Span>) {
    let width = (px * (text.chars().count() as f32 + 4.0)) as u32;
    let height = (px * 3.0) as u32;
    let mut img = GrayImage::from_pixel(width, height, Luma([255]));
    let spans = draw(&mut img, font, text, px, px, px);
    (img, spans)
}

/// The lines of a 領収書 as a training school issues it (names and addresses invented).
pub const RECEIPT: &[&str] = &[
    "領収書",
    "山田 花子 様",
    "令和7年4月10日",
    "金 59,400円 (税込)",
    "但し 教育訓練経費として",
    "入学料 11,000円",
    "受講料 48,400円",
    "うち消費税 5,400円",
    "上記正に領収いたしました",
    "株式会社 みらい職業訓練校",
    "東京都千代田区丸の内一丁目1番1号",
    "電話 03-1234-5678",
];

/// An A5 landscape receipt page at 300 dpi (2480×1748 px), 10.5 pt text (44 px), title larger.
pub fn render_receipt() -> GrayImage {
    let font = font();
    let mut img = GrayImage::from_pixel(2480, 1748, Luma([255]));
    let mut y = 120.0;
    for (i, line) in RECEIPT.iter().enumerate() {
        let px = if i == 0 { 80.0 } else { 44.0 };
        draw(&mut img, &font, line, 200.0, y, px);
        y += px * 2.0;
    }
    img
}

/// Characters of `expected` read right, as a fraction: 1 − edit distance / length, spaces and line
/// breaks ignored (Tesseract puts spaces between Japanese characters; NOTES-OCR).
pub fn char_accuracy(expected: &str, got: &str) -> f64 {
    let clean = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<Vec<char>>()
    };
    let (a, b) = (clean(expected), clean(got));
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    1.0 - prev[b.len()] as f64 / a.len().max(1) as f64
}
