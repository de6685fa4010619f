//! Drawing on a sheet of paper: the system's Japanese fonts, text (printed or handwriting-like),
//! ruled lines, and red ink seals (丸印, 角印, 訂正印).
//!
//! Layout code (`layout.rs`) works in millimetres from the paper's top-left corner; a [`Sheet`]
//! turns them into pixels at the scan resolution, so the same layout renders at 200 or 300 dpi.
//! Glyphs are rasterised with ab_glyph directly (imageproc's `text` feature is not enabled in this
//! package, and blending red seal ink over black text needs a multiply anyway). Every string drawn
//! is also kept in [`Sheet::transcript`] so tests can check what the paper says without OCR.

use std::path::PathBuf;

use ab_glyph::{point, Font, FontVec, GlyphId, PxScale, ScaleFont};
use image::{Rgb, RgbImage};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::CorpusError;

/// The printed typefaces, and the handwriting-like ones pads are filled in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    IpaexGothic,
    IpaexMincho,
    IpaGothic,
    IpaMincho,
    NotoSans,
    NotoSerif,
    TakaoGothic,
    TakaoMincho,
    /// Handwriting-like faces.
    Kiloji,
    Klee,
    Seto,
}

impl Face {
    pub const PRINTED: [Face; 8] = [
        Face::IpaexGothic,
        Face::IpaexMincho,
        Face::IpaGothic,
        Face::IpaMincho,
        Face::NotoSans,
        Face::NotoSerif,
        Face::TakaoGothic,
        Face::TakaoMincho,
    ];
    pub const HAND: [Face; 3] = [Face::Kiloji, Face::Klee, Face::Seto];

    fn index(self) -> usize {
        self as usize
    }

    /// The face's name in the truth's `variant` (snake case, as the font's family).
    pub fn id(self) -> &'static str {
        match self {
            Face::IpaexGothic => "ipaex_gothic",
            Face::IpaexMincho => "ipaex_mincho",
            Face::IpaGothic => "ipa_gothic",
            Face::IpaMincho => "ipa_mincho",
            Face::NotoSans => "noto_sans_cjk",
            Face::NotoSerif => "noto_serif_cjk",
            Face::TakaoGothic => "takao_gothic",
            Face::TakaoMincho => "takao_mincho",
            Face::Kiloji => "kiloji",
            Face::Klee => "klee",
            Face::Seto => "seto",
        }
    }
}

/// The font files, in [`Face`] order (Debian's fonts-ipaexfont, fonts-ipafont, fonts-noto-cjk,
/// fonts-takao, fonts-kiloji, fonts-klee, fonts-seto).
const FONT_FILES: [&str; 11] = [
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
    "/usr/share/fonts/truetype/takao-mincho/TakaoMincho.ttf",
    "/usr/share/fonts/truetype/kiloji/kiloji.ttf",
    "/usr/share/fonts/truetype/klee/KleeOne-Regular.ttf",
    "/usr/share/fonts/truetype/seto/setofont.ttf",
];

/// The loaded faces, indexed by [`Face`].
pub struct Fonts {
    faces: Vec<FontVec>,
}

impl Fonts {
    /// Loads the eleven faces from the system; for the Noto collections, the Japanese member.
    pub fn load() -> Result<Fonts, CorpusError> {
        let mut faces = Vec::new();
        for path in FONT_FILES {
            let data = std::fs::read(path).map_err(|e| font_error(path, e.to_string()))?;
            let index = if path.ends_with(".ttc") {
                jp_index(&data).ok_or_else(|| font_error(path, "no JP member".into()))?
            } else {
                0
            };
            let font = FontVec::try_from_vec_and_index(data, index)
                .map_err(|e| font_error(path, e.to_string()))?;
            faces.push(font);
        }
        Ok(Fonts { faces })
    }

    fn get(&self, face: Face) -> &FontVec {
        &self.faces[face.index()]
    }

    /// The face that has `c`: the one asked for, else IPAex Gothic (JIS X 0208 and more), else
    /// Noto Sans. Some handwriting faces map a character (¥) to an empty glyph: that counts as
    /// missing.
    fn for_char(&self, face: Face, c: char) -> &FontVec {
        for f in [face, Face::IpaexGothic, Face::NotoSans] {
            let font = self.get(f);
            let id = font.glyph_id(c);
            if id != GlyphId(0) && (c.is_whitespace() || font.outline(id).is_some()) {
                return font;
            }
        }
        self.get(face)
    }
}

fn font_error(path: &str, reason: String) -> CorpusError {
    CorpusError::Font {
        path: PathBuf::from(path),
        reason,
    }
}

/// The index of the Japanese font in a TrueType collection, found by its name table ("… JP").
fn jp_index(data: &[u8]) -> Option<u32> {
    let u16_at = |o: usize| data.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let u32_at = |o: usize| {
        data.get(o..o + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    if data.get(0..4)? != b"ttcf" {
        return None;
    }
    let n = u32_at(8)?;
    for i in 0..n {
        let font = u32_at(12 + 4 * i as usize)? as usize;
        let tables = u16_at(font + 4)? as usize;
        for t in 0..tables {
            let rec = font + 12 + 16 * t;
            if data.get(rec..rec + 4)? != b"name" {
                continue;
            }
            let name = u32_at(rec + 8)? as usize;
            let count = u16_at(name + 2)? as usize;
            let strings = name + u16_at(name + 4)? as usize;
            for r in 0..count {
                let nr = name + 6 + 12 * r;
                let (platform, name_id) = (u16_at(nr)?, u16_at(nr + 6)?);
                if platform != 3 || name_id != 4 {
                    continue;
                }
                let len = u16_at(nr + 8)? as usize;
                let off = strings + u16_at(nr + 10)? as usize;
                let utf16: Vec<u16> = data
                    .get(off..off + len)?
                    .chunks_exact(2)
                    .map(|b| u16::from_be_bytes([b[0], b[1]]))
                    .collect();
                let full = String::from_utf16_lossy(&utf16);
                // "Noto Sans CJK JP", not the "Noto Sans Mono CJK JP" member.
                if full.contains(" JP") && !full.contains("Mono") {
                    return Some(i);
                }
            }
        }
    }
    None
}

/// Ink colours.
pub const BLACK: Rgb<u8> = Rgb([22, 22, 26]);
pub const BLUE_BLACK: Rgb<u8> = Rgb([28, 34, 78]);
pub const SEAL_RED: Rgb<u8> = Rgb([214, 38, 46]);

/// How a run of text is set.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub face: Face,
    pub size_pt: f32,
    pub ink: Rgb<u8>,
    /// Extra space after each character (字間), mm.
    pub tracking_mm: f32,
    /// Handwriting: each character wobbles in size and position.
    pub hand: bool,
}

impl Style {
    pub fn new(face: Face, size_pt: f32) -> Style {
        Style {
            face,
            size_pt,
            ink: BLACK,
            tracking_mm: 0.0,
            hand: false,
        }
    }
    pub fn size(self, size_pt: f32) -> Style {
        Style { size_pt, ..self }
    }
    pub fn track(self, tracking_mm: f32) -> Style {
        Style {
            tracking_mm,
            ..self
        }
    }
    pub fn face(self, face: Face) -> Style {
        Style { face, ..self }
    }
    pub fn ink(self, ink: Rgb<u8>) -> Style {
        Style { ink, ..self }
    }
    pub fn handwritten(face: Face, size_pt: f32) -> Style {
        Style {
            face,
            size_pt,
            ink: BLUE_BLACK,
            tracking_mm: 0.3,
            hand: true,
        }
    }
}

/// A sheet of paper being drawn on.
pub struct Sheet<'f> {
    pub img: RgbImage,
    px_per_mm: f32,
    fonts: &'f Fonts,
    /// Every string drawn, in drawing order.
    pub transcript: Vec<String>,
}

/// How a colour lands on the paper: printer toner covers, stamp ink multiplies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Blend {
    Cover,
    Multiply,
}

impl<'f> Sheet<'f> {
    pub fn new(fonts: &'f Fonts, w_mm: f32, h_mm: f32, dpi: u32, paper: Rgb<u8>) -> Sheet<'f> {
        let px_per_mm = dpi as f32 / 25.4;
        let w = (w_mm * px_per_mm).round() as u32;
        let h = (h_mm * px_per_mm).round() as u32;
        Sheet {
            img: RgbImage::from_pixel(w, h, paper),
            px_per_mm,
            fonts,
            transcript: Vec::new(),
        }
    }

    /// The paper's width, mm.
    pub fn width_mm(&self) -> f32 {
        self.img.width() as f32 / self.px_per_mm
    }

    pub fn px(&self, mm: f32) -> f32 {
        mm * self.px_per_mm
    }

    fn scale(&self, font: &FontVec, size_pt: f32) -> PxScale {
        let em_px = size_pt / 72.0 * 25.4 * self.px_per_mm;
        let upem = font.units_per_em().unwrap_or(1000.0);
        PxScale::from(em_px * font.height_unscaled() / upem)
    }

    /// The width of `text` in mm.
    pub fn width(&self, style: Style, text: &str) -> f32 {
        let mut w = 0.0;
        for c in text.chars() {
            let font = self.fonts.for_char(style.face, c);
            let sf = font.as_scaled(self.scale(font, style.size_pt));
            w += sf.h_advance(font.glyph_id(c)) / self.px_per_mm + style.tracking_mm;
        }
        w - if text.is_empty() {
            0.0
        } else {
            style.tracking_mm
        }
    }

    /// Draws `text` with its baseline at `y` starting at `x` (mm); returns the width drawn.
    pub fn text(&mut self, rng: &mut ChaCha8Rng, style: Style, x: f32, y: f32, text: &str) -> f32 {
        self.transcript.push(text.to_string());
        self.glyphs(rng, style, x, y, text, Blend::Cover)
    }

    /// Draws `text` ending at `right` (mm).
    pub fn text_right(
        &mut self,
        rng: &mut ChaCha8Rng,
        style: Style,
        right: f32,
        y: f32,
        text: &str,
    ) -> f32 {
        let w = self.width(style, text);
        self.text(rng, style, right - w, y, text)
    }

    /// Draws `text` centred on `cx` (mm).
    pub fn text_center(
        &mut self,
        rng: &mut ChaCha8Rng,
        style: Style,
        cx: f32,
        y: f32,
        text: &str,
    ) -> f32 {
        let w = self.width(style, text);
        self.text(rng, style, cx - w / 2.0, y, text)
    }

    fn glyphs(
        &mut self,
        rng: &mut ChaCha8Rng,
        style: Style,
        x: f32,
        y: f32,
        text: &str,
        blend: Blend,
    ) -> f32 {
        let mut pen = self.px(x);
        let start = pen;
        for c in text.chars() {
            let font = self.fonts.for_char(style.face, c);
            let (size, dx, dy) = if style.hand {
                (
                    style.size_pt * rng.random_range(0.92..1.08),
                    rng.random_range(-0.25..0.25),
                    rng.random_range(-0.35..0.35),
                )
            } else {
                (style.size_pt, 0.0, 0.0)
            };
            let scale = self.scale(font, size);
            let id = font.glyph_id(c);
            let advance = font.as_scaled(scale).h_advance(id);
            let glyph =
                id.with_scale_and_position(scale, point(pen + self.px(dx), self.px(y + dy)));
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                let (ox, oy) = (b.min.x as i64, b.min.y as i64);
                let img = &mut self.img;
                outline.draw(|gx, gy, cov| {
                    put(img, ox + gx as i64, oy + gy as i64, style.ink, cov, blend);
                });
            }
            pen += advance + self.px(style.tracking_mm);
        }
        (pen - start) / self.px_per_mm
    }

    /// A filled rectangle (mm): rules, table lines, boxes.
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, ink: Rgb<u8>) {
        let (x0, y0) = (self.px(x).round() as i64, self.px(y).round() as i64);
        let x1 = self.px(x + w).round().max(x0 as f32 + 1.0) as i64;
        let y1 = self.px(y + h).round().max(y0 as f32 + 1.0) as i64;
        for py in y0..y1 {
            for px in x0..x1 {
                put(&mut self.img, px, py, ink, 1.0, Blend::Cover);
            }
        }
    }

    pub fn hline(&mut self, x: f32, y: f32, w: f32, t: f32) {
        self.fill(x, y - t / 2.0, w, t, BLACK);
    }

    pub fn vline(&mut self, x: f32, y: f32, h: f32, t: f32) {
        self.fill(x - t / 2.0, y, t, h, BLACK);
    }

    /// A rectangle outline of line width `t` (mm).
    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, t: f32) {
        self.hline(x, y, w, t);
        self.hline(x, y + h, w, t);
        self.vline(x, y, h, t);
        self.vline(x + w, y, h, t);
    }

    /// A dotted leader line (……) between `x0` and `x1` at baseline `y`.
    pub fn dots(&mut self, x0: f32, x1: f32, y: f32) {
        let mut x = x0;
        while x < x1 {
            self.fill(x, y - 0.5, 0.35, 0.35, BLACK);
            x += 1.2;
        }
    }

    /// A double strike-through over `w` mm of text at baseline `y` (a correction, 二重線).
    pub fn strike(&mut self, x: f32, y: f32, w: f32, size_pt: f32) {
        let mid = y - size_pt * 0.352_8 * 0.38;
        self.hline(x - 0.5, mid - 0.45, w + 1.0, 0.28);
        self.hline(x - 0.5, mid + 0.45, w + 1.0, 0.28);
    }

    /// A round seal (丸印) of diameter `d` (mm) centred at (cx, cy), with `chars` set inside,
    /// in red ink that multiplies with what is under it (text stays readable through it).
    pub fn round_seal(
        &mut self,
        rng: &mut ChaCha8Rng,
        cx: f32,
        cy: f32,
        d: f32,
        chars: &str,
        face: Face,
    ) {
        let r = self.px(d / 2.0);
        let t = self.px(d * 0.06).max(2.0);
        self.ring(rng, self.px(cx), self.px(cy), r, t, false);
        self.seal_chars(rng, cx, cy, d * 0.68, chars, face);
    }

    /// A square seal (角印) of side `s` (mm) centred at (cx, cy).
    pub fn square_seal(
        &mut self,
        rng: &mut ChaCha8Rng,
        cx: f32,
        cy: f32,
        s: f32,
        chars: &str,
        face: Face,
    ) {
        let half = self.px(s / 2.0);
        let t = self.px(s * 0.05).max(2.0);
        self.ring(rng, self.px(cx), self.px(cy), half, t, true);
        self.seal_chars(rng, cx, cy, s * 0.78, chars, face);
    }

    /// The ring of a seal: a circle or a square border, unevenly inked.
    fn ring(&mut self, rng: &mut ChaCha8Rng, cx: f32, cy: f32, r: f32, t: f32, square: bool) {
        let strength: f32 = rng.random_range(0.75..0.95);
        let (x0, x1) = ((cx - r - t) as i64, (cx + r + t) as i64 + 1);
        let (y0, y1) = ((cy - r - t) as i64, (cy + r + t) as i64 + 1);
        for py in y0..y1 {
            for px in x0..x1 {
                let (dx, dy) = (px as f32 + 0.5 - cx, py as f32 + 0.5 - cy);
                let d = if square {
                    dx.abs().max(dy.abs())
                } else {
                    (dx * dx + dy * dy).sqrt()
                };
                let cov = (t / 2.0 + 0.5 - (d - (r - t / 2.0)).abs()).clamp(0.0, 1.0);
                if cov > 0.0 {
                    // Stamps never ink evenly: thin patches along the ring.
                    let patchy = 0.8 + 0.2 * ((px as f32 * 0.07).sin() * (py as f32 * 0.05).cos());
                    put(
                        &mut self.img,
                        px,
                        py,
                        SEAL_RED,
                        cov * strength * patchy,
                        Blend::Multiply,
                    );
                }
            }
        }
    }

    /// 2–4 characters in a seal: one column for up to 3, two columns (right first) for 4 or more.
    fn seal_chars(
        &mut self,
        rng: &mut ChaCha8Rng,
        cx: f32,
        cy: f32,
        inner: f32,
        chars: &str,
        face: Face,
    ) {
        let cs: Vec<char> = chars.chars().collect();
        let n = cs.len().max(1);
        let (cols, rows) = if n <= 3 { (1, n) } else { (2, n.div_ceil(2)) };
        let cell = inner / rows.max(cols) as f32;
        let size_pt = cell / 0.3528 * 0.92;
        let style = Style::new(face, size_pt).ink(SEAL_RED);
        for (i, c) in cs.iter().enumerate() {
            let (col, row) = (i / rows, i % rows);
            // Columns run right to left, like vertical Japanese text.
            let col_cx = cx + (cols as f32 / 2.0 - col as f32 - 0.5) * cell;
            let top = cy - rows as f32 * cell / 2.0 + row as f32 * cell;
            let s = c.to_string();
            let w = self.width(style, &s);
            self.glyphs(
                rng,
                style,
                col_cx - w / 2.0,
                top + cell * 0.86,
                &s,
                Blend::Multiply,
            );
        }
        self.transcript.push(format!("[印:{chars}]"));
    }

    /// A 訂正印: a small round seal with a surname, over a struck value.
    pub fn correction_seal(&mut self, rng: &mut ChaCha8Rng, cx: f32, cy: f32, surname: &str) {
        let d = rng.random_range(7.5..9.0);
        let r = self.px(d / 2.0);
        let t = self.px(0.55).max(2.0);
        self.ring(rng, self.px(cx), self.px(cy), r, t, false);
        self.seal_chars(rng, cx, cy, d * 0.72, surname, Face::IpaMincho);
    }
}

/// Paints one pixel with coverage `cov`.
fn put(img: &mut RgbImage, x: i64, y: i64, ink: Rgb<u8>, cov: f32, blend: Blend) {
    if x < 0 || y < 0 || x >= img.width() as i64 || y >= img.height() as i64 || cov <= 0.0 {
        return;
    }
    let cov = cov.min(1.0);
    let p = img.get_pixel_mut(x as u32, y as u32);
    for ch in 0..3 {
        let under = p.0[ch] as f32;
        let over = ink.0[ch] as f32;
        let v = match blend {
            Blend::Cover => under + (over - under) * cov,
            Blend::Multiply => under * (1.0 - cov + cov * over / 255.0),
        };
        p.0[ch] = v.round().clamp(0.0, 255.0) as u8;
    }
}
