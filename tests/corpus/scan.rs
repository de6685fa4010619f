//! The scanner: what happens to a sheet between the desk and the inbox, and the file it becomes.
//!
//! Three ways a page is captured: an office scanner (skew, blur, sensor noise, grayscale), a fax
//! (binarised, sometimes at the standard mode's half vertical resolution) and a phone camera
//! (`photo.rs`: perspective, uneven light, a shadow, the desk around the sheet). Encoding (JPEG, PNG,
//! multi-page grayscale TIFF, scanned PDF with DCTDecode or FlateDecode image pages) follows. All are
//! deterministic functions of the page and the [`ScanParams`] chosen at planning time, plus the
//! caller's seeded RNG. It does not draw anything (`layout.rs`, `paint.rs`) or decide what a file
//! holds (`plan.rs`).
//!
//! The pixel loops are written out here rather than taken from imageproc: generic code is compiled
//! at this package's opt-level 1, and these loops on `u8` slices stay fast enough there.

use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use image::codecs::jpeg::{JpegEncoder, PixelDensity};
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage};
use lopdf::{dictionary, Document, Object, Stream};
use rand::seq::IndexedRandom;
use rand::{Rng, RngCore};
use rand_chacha::ChaCha8Rng;

use super::photo;
use super::{CertificateLayout, DocSpec, ReceiptLayout};

/// The paper a document is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    A4Landscape,
    A5,
    A5Landscape,
    /// A till roll, 80 mm wide, as long as the receipt.
    TillRoll {
        length_mm: u16,
    },
}

impl Paper {
    /// (width, height) in mm.
    pub fn mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A4Landscape => (297.0, 210.0),
            Paper::A5 => (148.0, 210.0),
            Paper::A5Landscape => (210.0, 148.0),
            Paper::TillRoll { length_mm } => (80.0, length_mm as f32),
        }
    }

    /// The paper's name in the truth's `variant`.
    pub fn id(self) -> String {
        match self {
            Paper::A4 => "a4".into(),
            Paper::A4Landscape => "a4_landscape".into(),
            Paper::A5 => "a5".into(),
            Paper::A5Landscape => "a5_landscape".into(),
            Paper::TillRoll { .. } => "till_roll".into(),
        }
    }

    /// The paper `doc` is printed on (some layouts come on more than one).
    fn for_doc(rng: &mut ChaCha8Rng, doc: &DocSpec) -> Paper {
        let one = |rng: &mut ChaCha8Rng, list: &[Paper]| *list.choose(rng).unwrap_or(&Paper::A4);
        match doc {
            DocSpec::Certificate(c) if c.layout == CertificateLayout::Landscape => {
                Paper::A4Landscape
            }
            DocSpec::Certificate(_) => Paper::A4,
            DocSpec::Receipt(r) => match r.layout {
                ReceiptLayout::Pad => Paper::A5Landscape,
                ReceiptLayout::Credit | ReceiptLayout::Invoice => Paper::A4,
                ReceiptLayout::Table | ReceiptLayout::Letter => {
                    one(rng, &[Paper::A4, Paper::A5Landscape, Paper::A5])
                }
                ReceiptLayout::TwoColumn => one(rng, &[Paper::A4Landscape, Paper::A5Landscape]),
                ReceiptLayout::Statement => one(rng, &[Paper::A4, Paper::A5]),
                ReceiptLayout::Till => Paper::TillRoll {
                    length_mm: till_length(r.items.len(), r.instalment.is_some()),
                },
            },
        }
    }
}

/// The length of a till roll with `items` lines (header, lines, totals, purpose, stamp space).
pub fn till_length(items: usize, instalment: bool) -> u16 {
    175 + 7 * items as u16 + if instalment { 8 } else { 0 }
}

/// How the page reached the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capture {
    /// A flatbed or sheet-fed scanner.
    Scan,
    /// A fax: black and white only.
    Fax,
    /// A phone photo of the sheet lying on a desk.
    Photo,
}

impl Capture {
    pub fn id(self) -> &'static str {
        match self {
            Capture::Scan => "scan",
            Capture::Fax => "fax",
            Capture::Photo => "photo",
        }
    }

    /// Mostly scans; a quarter phone photos (half, for till rolls), some faxes.
    pub fn random(rng: &mut ChaCha8Rng, doc: &DocSpec) -> Capture {
        let till = matches!(doc, DocSpec::Receipt(r) if r.layout == ReceiptLayout::Till);
        let photo = if till { 50 } else { 25 };
        match rng.random_range(0..100) {
            n if n < photo => Capture::Photo,
            n if n < photo + 9 => Capture::Fax,
            _ => Capture::Scan,
        }
    }

    /// The file a page captured this way arrives as.
    pub fn format(self, rng: &mut ChaCha8Rng) -> FileFormat {
        match self {
            Capture::Scan => FileFormat::random(rng),
            Capture::Photo => FileFormat::Jpeg,
            Capture::Fax => *[FileFormat::Tiff, FileFormat::Png, FileFormat::PdfFlate]
                .choose(rng)
                .unwrap_or(&FileFormat::Tiff),
        }
    }
}

/// What a file is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Jpeg,
    Png,
    /// Grayscale, one page per document, Deflate-compressed.
    Tiff,
    /// A scanned PDF whose pages are JPEG images (DCTDecode).
    PdfJpeg,
    /// A scanned PDF whose pages are raw pixels, Flate-compressed.
    PdfFlate,
}

impl FileFormat {
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Jpeg => "jpg",
            FileFormat::Png => "png",
            FileFormat::Tiff => "tif",
            FileFormat::PdfJpeg | FileFormat::PdfFlate => "pdf",
        }
    }

    /// A format as often as offices send them: JPEG and PDF most.
    pub fn random(rng: &mut ChaCha8Rng) -> FileFormat {
        match rng.random_range(0..100) {
            0..35 => FileFormat::Jpeg,
            35..50 => FileFormat::Png,
            50..65 => FileFormat::Tiff,
            65..87 => FileFormat::PdfJpeg,
            _ => FileFormat::PdfFlate,
        }
    }
}

/// How one page was scanned.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanParams {
    pub paper: Paper,
    pub dpi: u32,
    /// Paper colour (white, or slightly off-white).
    pub paper_rgb: [u8; 3],
    /// Rotation, degrees (counter-clockwise positive), within ±3.
    pub skew_deg: f32,
    /// Where the sheet lay on the glass: shift in mm.
    pub shift_mm: (f32, f32),
    /// Blur radius: 0 none, 1 a 3-tap, 2 a 5-tap kernel.
    pub blur: u8,
    /// Sensor noise, standard deviation in grey levels.
    pub noise: f32,
    pub gray: bool,
    pub jpeg_quality: u8,
    pub capture: Capture,
}

impl ScanParams {
    /// Settings for one page of `doc` captured as `capture` and written as `format`.
    pub fn random(
        rng: &mut ChaCha8Rng,
        doc: &DocSpec,
        format: FileFormat,
        capture: Capture,
    ) -> ScanParams {
        // Lossless formats come from scanners that clean the page (and sensor noise would make
        // them tens of megabytes); TIFFs are grayscale office scans.
        let lossless = matches!(
            format,
            FileFormat::Png | FileFormat::Tiff | FileFormat::PdfFlate
        );
        let gray = capture == Capture::Fax
            || (capture == Capture::Scan
                && (format == FileFormat::Tiff
                    || rng.random_bool(if lossless { 0.6 } else { 0.3 })));
        let paper = Paper::for_doc(rng, doc);
        let paper_rgb = if rng.random_bool(0.3) {
            // Cream or recycled paper: a little less blue, never pink.
            let r: u8 = rng.random_range(240..=250);
            let g = r - rng.random_range(0..=3);
            let b = g - rng.random_range(5..=14);
            [r, g, b]
        } else {
            [252, 252, 251]
        };
        // Most pages sit almost straight; a few are visibly crooked.
        let skew_deg = if rng.random_bool(0.6) {
            rng.random_range(-0.8..0.8)
        } else {
            rng.random_range(-3.0..3.0)
        };
        let dpi = match capture {
            // A fax is 200 dpi (fine mode) at best; a photo's pixels are set by the camera
            // (`photo.rs`), the sheet is drawn at a resolution that keeps the file small.
            Capture::Fax => 200,
            Capture::Photo => rng.random_range(150..=190),
            Capture::Scan if rng.random_bool(if lossless { 0.75 } else { 0.6 }) => 200,
            Capture::Scan => 300,
        };
        ScanParams {
            paper,
            dpi,
            paper_rgb,
            skew_deg,
            shift_mm: (rng.random_range(-4.0..4.0), rng.random_range(-4.0..4.0)),
            blur: *[0u8, 1, 1, 2].choose(rng).unwrap_or(&1),
            noise: if lossless {
                0.0
            } else {
                rng.random_range(0.5..2.5)
            },
            gray,
            jpeg_quality: match capture {
                Capture::Photo => rng.random_range(70..=88),
                _ if dpi == 300 => rng.random_range(60..=84),
                _ => rng.random_range(65..=92),
            },
            capture,
        }
    }
}

/// A scanned page: 1 (gray) or 3 (RGB) channels.
pub struct Page {
    pub width: u32,
    pub height: u32,
    pub channels: usize,
    pub data: Vec<u8>,
    pub dpi: u32,
}

/// The capture: a photo (`photo.rs`), a fax, or a scan.
pub fn degrade(img: RgbImage, p: &ScanParams, rng: &mut ChaCha8Rng) -> Page {
    match p.capture {
        Capture::Photo => photo::shoot(img, rng),
        Capture::Fax => {
            let mut page = scan(fax_gray(img), p, rng);
            fax(&mut page, rng);
            page
        }
        Capture::Scan => scan(img, p, rng),
    }
}

/// A fax's sensor sees red as a middle grey (the seal comes out as a halftone, the black print
/// under it stays black): each pixel's grey in all three channels.
fn fax_gray(mut img: RgbImage) -> RgbImage {
    for p in img.pixels_mut() {
        let Rgb([r, g, b]) = *p;
        let v = ((r as u32 * 5 + g as u32 * 4 + b as u32) / 10) as u8;
        *p = Rgb([v, v, v]);
    }
    img
}

/// A fax: dark print black, the paper white, the greys between as an ordered (Bayer) halftone
/// whose band varies by machine; a few specks; and in standard mode every other line repeated
/// (half the vertical resolution).
fn fax(page: &mut Page, rng: &mut ChaCha8Rng) {
    const BAYER: [[u8; 4]; 4] = [[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]];
    let lo: i32 = rng.random_range(70..=100);
    let hi: i32 = rng.random_range(180..=215);
    let standard_mode = rng.random_bool(0.5);
    let w = page.width as usize;
    let c = page.channels;
    for (i, px) in page.data.chunks_exact_mut(c).enumerate() {
        let (x, y) = (i % w, i / w);
        let t = lo + (hi - lo) * (BAYER[y % 4][x % 4] as i32 * 2 + 1) / 32;
        let v = if (px[0] as i32) < t { 0 } else { 255 };
        px.iter_mut().for_each(|p| *p = v);
    }
    let specks = rng.random_range(50..400);
    for _ in 0..specks {
        let i = rng.random_range(0..page.data.len() / c) * c;
        for k in 0..c {
            page.data[i + k] = 0;
        }
    }
    if standard_mode {
        let row = w * c;
        for y in (1..page.height as usize).step_by(2) {
            let (above, this) = page.data.split_at_mut(y * row);
            this[..row].copy_from_slice(&above[(y - 1) * row..]);
        }
    }
}

/// The scanner: grayscale if set, skew and shift, blur, noise.
fn scan(img: RgbImage, p: &ScanParams, rng: &mut ChaCha8Rng) -> Page {
    let (width, height) = img.dimensions();
    let (channels, data) = if p.gray {
        let gray = img
            .pixels()
            .map(|Rgb([r, g, b])| {
                ((*r as u32 * 299 + *g as u32 * 587 + *b as u32 * 114) / 1000) as u8
            })
            .collect();
        (1, gray)
    } else {
        (3, img.into_raw())
    };
    let mut page = Page {
        width,
        height,
        channels,
        data,
        dpi: p.dpi,
    };
    // The scanner lid behind the sheet: a light grey, darker than the paper.
    let lid = [236u8, 236, 234];
    let px_per_mm = p.dpi as f32 / 25.4;
    rotate(
        &mut page,
        p.skew_deg,
        (p.shift_mm.0 * px_per_mm, p.shift_mm.1 * px_per_mm),
        lid,
    );
    match p.blur {
        1 => blur(&mut page, &[1, 2, 1]),
        2 => blur(&mut page, &[1, 4, 6, 4, 1]),
        _ => {}
    }
    noise(&mut page, p.noise, rng);
    page
}

/// Rotates about the centre and shifts, bilinear, filling uncovered area with `bg`. Fixed-point
/// (16.16) stepping along each row keeps the inner loop integer-only.
fn rotate(page: &mut Page, deg: f32, shift: (f32, f32), bg: [u8; 3]) {
    let (w, h, c) = (page.width as usize, page.height as usize, page.channels);
    let (sin, cos) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let src = std::mem::take(&mut page.data);
    let mut dst = vec![0u8; src.len()];
    let bgv: Vec<u8> = if c == 1 { vec![bg[1]] } else { bg.to_vec() };
    const ONE: f32 = 65536.0;
    let (step_x, step_y) = ((cos * ONE) as i64, (sin * ONE) as i64);
    let (max_x, max_y) = (((w - 1) as i64) << 16, ((h - 1) as i64) << 16);
    for y in 0..h {
        // Inverse mapping: where in the source does this row's first pixel come from?
        let dy = y as f32 + 0.5 - cy - shift.1;
        let dx = 0.5 - cx - shift.0;
        let mut sx = ((cos * dx - sin * dy + cx - 0.5) * ONE) as i64;
        let mut sy = ((sin * dx + cos * dy + cy - 0.5) * ONE) as i64;
        let row = &mut dst[y * w * c..(y + 1) * w * c];
        for out in row.chunks_exact_mut(c) {
            if sx < 0 || sy < 0 || sx >= max_x || sy >= max_y {
                out.copy_from_slice(&bgv);
            } else {
                let (x0, y0) = ((sx >> 16) as usize, (sy >> 16) as usize);
                let (fx, fy) = ((sx & 0xffff) as u32 >> 8, (sy & 0xffff) as u32 >> 8);
                let i00 = (y0 * w + x0) * c;
                let i01 = i00 + w * c;
                for (k, o) in out.iter_mut().enumerate() {
                    let top = src[i00 + k] as u32 * (256 - fx) + src[i00 + c + k] as u32 * fx;
                    let bot = src[i01 + k] as u32 * (256 - fx) + src[i01 + c + k] as u32 * fx;
                    *o = ((top * (256 - fy) + bot * fy + 32768) >> 16) as u8;
                }
            }
            sx += step_x;
            sy += step_y;
        }
    }
    page.data = dst;
}

/// A separable blur with an integer kernel (optics and the JPEG the scanner made).
pub fn blur(page: &mut Page, kernel: &[u32]) {
    let (w, h, c) = (page.width as usize, page.height as usize, page.channels);
    let sum: u32 = kernel.iter().sum();
    let r = kernel.len() / 2;
    let src = &page.data;
    let mut tmp = vec![0u8; src.len()];
    for y in 0..h {
        let row = y * w * c;
        for x in 0..w {
            for k in 0..c {
                let mut acc = 0u32;
                for (i, kv) in kernel.iter().enumerate() {
                    let xx = (x + i).saturating_sub(r).min(w - 1);
                    acc += src[row + xx * c + k] as u32 * kv;
                }
                tmp[row + x * c + k] = (acc / sum) as u8;
            }
        }
    }
    let mut out = vec![0u8; src.len()];
    // Vertical pass with a u32 accumulator row.
    let mut acc = vec![0u32; w * c];
    for y in 0..h {
        acc.iter_mut().for_each(|a| *a = 0);
        for (i, kv) in kernel.iter().enumerate() {
            let yy = (y + i).saturating_sub(r).min(h - 1);
            let src_row = &tmp[yy * w * c..(yy + 1) * w * c];
            for (a, s) in acc.iter_mut().zip(src_row) {
                *a += *s as u32 * kv;
            }
        }
        for (o, a) in out[y * w * c..(y + 1) * w * c].iter_mut().zip(&acc) {
            *o = (a / sum) as u8;
        }
    }
    page.data = out;
}

/// Sensor noise: roughly Gaussian (the sum of two uniform draws), the same on every channel.
pub fn noise(page: &mut Page, sigma: f32, rng: &mut ChaCha8Rng) {
    if sigma <= 0.0 {
        return;
    }
    // A triangular variable (u1 + u2 − 255) has standard deviation 255/√6 ≈ 104.1.
    let k = (sigma / 104.1 * 256.0) as i32;
    let c = page.channels;
    let mut bits = 0u64;
    let mut left = 0;
    for px in page.data.chunks_exact_mut(c) {
        if left == 0 {
            bits = rng.next_u64();
            left = 4;
        }
        let u1 = (bits & 0xff) as i32;
        let u2 = ((bits >> 8) & 0xff) as i32;
        bits >>= 16;
        left -= 1;
        let n = ((u1 + u2 - 255) * k) >> 8;
        for v in px.iter_mut() {
            *v = (*v as i32 + n).clamp(0, 255) as u8;
        }
    }
}

fn color_type(page: &Page) -> ExtendedColorType {
    if page.channels == 1 {
        ExtendedColorType::L8
    } else {
        ExtendedColorType::Rgb8
    }
}

fn jpeg(page: &Page, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut enc = JpegEncoder::new_with_quality(&mut out, quality);
    enc.set_pixel_density(PixelDensity::dpi(page.dpi as u16));
    enc.encode(&page.data, page.width, page.height, color_type(page))
        .map_err(|e| e.to_string())?;
    Ok(out)
}

fn png(page: &Page) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(&page.data, page.width, page.height, color_type(page))
        .map_err(|e| e.to_string())?;
    Ok(out)
}

fn zlib(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut enc = ZlibEncoder::new(Vec::new(), Compression::new(6));
    enc.write_all(data).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}

/// Writes pages to one file of `format`; `scans` gives each page's JPEG quality.
pub fn encode(pages: &[Page], format: FileFormat, scans: &[ScanParams]) -> Result<Vec<u8>, String> {
    let first = pages.first().ok_or("no pages")?;
    match format {
        FileFormat::Jpeg => jpeg(first, scans[0].jpeg_quality),
        FileFormat::Png => png(first),
        FileFormat::Tiff => tiff(pages),
        FileFormat::PdfJpeg | FileFormat::PdfFlate => {
            pdf(pages, format == FileFormat::PdfJpeg, scans)
        }
    }
}

/// A little-endian multi-page TIFF: 8-bit (gray or RGB), one Deflate strip per page, with its
/// resolution. Written by hand because the `tiff` crate is not a direct dependency and the format
/// needs only a dozen tags.
fn tiff(pages: &[Page]) -> Result<Vec<u8>, String> {
    let mut out: Vec<u8> = b"II*\0".to_vec();
    out.extend_from_slice(&0u32.to_le_bytes()); // patched: offset of the first IFD
    let mut link_at = 4usize; // where the offset of the next IFD goes
    for page in pages {
        let strip = zlib(&page.data)?;
        let strip_at = out.len() as u32;
        out.extend_from_slice(&strip);
        if out.len() % 2 == 1 {
            out.push(0);
        }
        // Out-of-line values: BitsPerSample (RGB), X/YResolution.
        let bps_at = out.len() as u32;
        for _ in 0..page.channels {
            out.extend_from_slice(&8u16.to_le_bytes());
        }
        let res_at = out.len() as u32;
        out.extend_from_slice(&page.dpi.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        let ifd_at = out.len() as u32;
        out[link_at..link_at + 4].copy_from_slice(&ifd_at.to_le_bytes());
        let rgb = page.channels == 3;
        // (tag, type, count, value): type 3 SHORT, 4 LONG, 5 RATIONAL.
        let entries: [(u16, u16, u32, u32); 12] = [
            (256, 4, 1, page.width),
            (257, 4, 1, page.height),
            (258, 3, page.channels as u32, if rgb { bps_at } else { 8 }),
            (259, 3, 1, 8),                       // Deflate (Adobe)
            (262, 3, 1, if rgb { 2 } else { 1 }), // RGB / BlackIsZero
            (273, 4, 1, strip_at),
            (277, 3, 1, page.channels as u32),
            (278, 4, 1, page.height),
            (279, 4, 1, strip.len() as u32),
            (282, 5, 1, res_at),
            (283, 5, 1, res_at),
            (296, 3, 1, 2), // inches
        ];
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (tag, typ, count, value) in entries {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&typ.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            if typ == 3 && count == 1 {
                out.extend_from_slice(&(value as u16).to_le_bytes());
                out.extend_from_slice(&[0, 0]);
            } else {
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
        link_at = out.len();
        out.extend_from_slice(&0u32.to_le_bytes());
    }
    Ok(out)
}

/// A scanned PDF: each page one image drawn over the whole page, sized from its dpi.
fn pdf(pages: &[Page], dct: bool, scans: &[ScanParams]) -> Result<Vec<u8>, String> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids: Vec<Object> = Vec::new();
    for (page, scan) in pages.iter().zip(scans) {
        let (bytes, filter) = if dct {
            (jpeg(page, scan.jpeg_quality)?, "DCTDecode")
        } else {
            (zlib(&page.data)?, "FlateDecode")
        };
        let space = if page.channels == 1 {
            "DeviceGray"
        } else {
            "DeviceRGB"
        };
        let mut image = Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => page.width as i64,
                "Height" => page.height as i64,
                "ColorSpace" => space,
                "BitsPerComponent" => 8,
                "Filter" => filter,
            },
            bytes,
        );
        image.allows_compression = false;
        let image_id = doc.add_object(image);
        // Points, to two decimals: the page is exactly the scanned area.
        let wpt = (page.width as i64 * 7200 / page.dpi as i64) as f32 / 100.0;
        let hpt = (page.height as i64 * 7200 / page.dpi as i64) as f32 / 100.0;
        let content = format!("q {wpt:.2} 0 0 {hpt:.2} 0 0 cm /Im0 Do Q");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), wpt.into(), hpt.into()],
            "Contents" => content_id,
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}
