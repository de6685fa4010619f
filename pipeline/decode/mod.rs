//! decode: the bytes of one inbox file → its pages (an image to OCR, or a digital PDF's text layer).
//!
//! Reads JPEG, PNG, TIFF (every page) and PDF (a page with a text layer gives its text; a scanned page
//! gives its image). The format is known by the file's first bytes, never by its name.
//!
//! Hostile or broken files are the normal case here, not the exception: every size is checked against
//! [`Limits`] *before* anything of that size is allocated (bytes, then page count, then each image's
//! header dimensions, then decompressed sizes), and every failure is a [`DecodeError`] whose
//! [`DecodeError::reason_ja`] is the sentence written beside the file in quarantine. Nothing here may
//! panic or loop on bad input.
//!
//! It does not deskew, binarise or OCR (that is `ocr`), and it does not touch the file system: the
//! caller (`run`, after `watch` has claimed the file) passes the bytes in.

mod pdf;
mod raster;

use serde::Deserialize;

/// Size limits that protect the pipeline from hostile or broken files (`kyufu.toml` `[limits]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest file accepted, in bytes (default 50 MB).
    pub max_bytes: u64,
    /// Largest image per page, in pixels (width × height; default 60 megapixels, an A4 page at
    /// 600 dpi is 35 Mpx).
    pub max_pixels_per_page: u64,
    /// Most pages per file (default 50).
    pub max_pages: u32,
    /// Longest side of any page image, in pixels (default 20,000).
    pub max_dimension: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: default_max_bytes(),
            max_pixels_per_page: default_max_pixels_per_page(),
            max_pages: default_max_pages(),
            max_dimension: default_max_dimension(),
        }
    }
}

fn default_max_bytes() -> u64 {
    50 * 1000 * 1000
}
fn default_max_pixels_per_page() -> u64 {
    60 * 1000 * 1000
}
fn default_max_pages() -> u32 {
    50
}
fn default_max_dimension() -> u32 {
    20_000
}

impl Limits {
    /// Refuses an image of `width` × `height` on `page` before anything is allocated for it.
    fn check_image(&self, page: u32, width: u32, height: u32) -> Result<(), DecodeError> {
        let pixels = u64::from(width) * u64::from(height);
        if width == 0 || height == 0 {
            return Err(DecodeError::Corrupt {
                format: None,
                page: Some(page),
                detail: format!("image has size {width}x{height}"),
            });
        }
        if width > self.max_dimension
            || height > self.max_dimension
            || pixels > self.max_pixels_per_page
        {
            return Err(DecodeError::ImageTooLarge {
                page,
                width,
                height,
                max_dimension: self.max_dimension,
                max_pixels: self.max_pixels_per_page,
            });
        }
        Ok(())
    }

    /// Bytes an 8-bit RGBA copy of the largest allowed page would take: the most any decoder may
    /// allocate for one page.
    fn max_alloc(&self) -> u64 {
        self.max_pixels_per_page.saturating_mul(4)
    }
}

/// A file format kyufu reads, known by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Tiff,
    Jpeg,
    Png,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Tiff => "TIFF",
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
        }
    }
}

/// What a page holds.
#[derive(Debug, Clone)]
pub enum PageContent {
    /// A scanned or photographed page: to be OCR'd.
    Image(image::DynamicImage),
    /// A digital PDF page: its text, no OCR needed.
    Text(TextLayer),
}

/// A digital PDF page's text, in the order the PDF draws it (for the PDFs that institutions and
/// kyufu itself produce, that is reading order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextLayer {
    pub lines: Vec<String>,
}

/// One page of a decoded file.
#[derive(Debug, Clone)]
pub struct Page {
    /// 1-based, in file order.
    pub number: u32,
    pub content: PageContent,
}

/// Why a file could not be decoded. The file goes to quarantine with [`DecodeError::reason_ja`].
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("file is empty")]
    Empty,
    #[error("file is {bytes} bytes, limit {limit}")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("not a PDF, TIFF, JPEG or PNG file")]
    UnknownFormat,
    #[error("file has {pages} pages or more, limit {limit}")]
    TooManyPages { pages: u64, limit: u32 },
    #[error("page {page}: image is {width}x{height} px, limits {max_dimension} px a side and {max_pixels} px")]
    ImageTooLarge {
        page: u32,
        width: u32,
        height: u32,
        max_dimension: u32,
        max_pixels: u64,
    },
    #[error("page {page}: decompressed data exceeds {limit} bytes")]
    Bomb { page: u32, limit: u64 },
    #[error("PDF is encrypted")]
    Encrypted,
    #[error("file has no pages")]
    NoPages,
    #[error("{} is damaged{}: {detail}", format.map_or("file", Format::name), page.map_or(String::new(), |p| format!(" (page {p})")))]
    Corrupt {
        format: Option<Format>,
        page: Option<u32>,
        detail: String,
    },
    #[error("page {page}: unsupported {what}")]
    Unsupported { page: u32, what: String },
}

impl DecodeError {
    /// A Japanese sentence for the quarantine reason file: what is wrong, which limit, what to do.
    pub fn reason_ja(&self) -> String {
        match self {
            DecodeError::Empty => {
                "ファイルが空(0 バイト)です。元の書類をもう一度スキャンまたは保存して提出してください。"
                    .to_string()
            }
            DecodeError::TooLarge { bytes, limit } => format!(
                "ファイルの大きさ({} MB)が上限({} MB)を超えています。解像度を下げるか、書類ごとに分けて提出してください。",
                mb(*bytes),
                mb(*limit)
            ),
            DecodeError::UnknownFormat => {
                "PDF・TIFF・JPEG・PNG のいずれでもないため読めません(拡張子ではなく中身で判定しています)。これらの形式で保存し直して提出してください。"
                    .to_string()
            }
            DecodeError::TooManyPages { pages, limit } => format!(
                "ページ数({pages} ページ以上)が上限({limit} ページ)を超えています。書類ごとにファイルを分けて提出してください。"
            ),
            DecodeError::ImageTooLarge {
                page,
                width,
                height,
                max_dimension,
                max_pixels,
            } => format!(
                "{page} ページ目の画像({width}×{height} ピクセル)が上限(一辺 {max_dimension} ピクセル、{} 万画素)を超えています。300 dpi 程度でスキャンし直してください。",
                max_pixels / 10_000
            ),
            DecodeError::Bomb { page, limit } => format!(
                "{page} ページ目の圧縮データを展開すると上限({} MB)を超えるため、読むのを中止しました。ファイルが壊れているか不正な可能性があります。スキャンし直してください。",
                mb(*limit)
            ),
            DecodeError::Encrypted => {
                "暗号化された PDF は読めません。パスワードや保護を解除した PDF、または紙をスキャンしたものを提出してください。"
                    .to_string()
            }
            DecodeError::NoPages => {
                "ファイルにページが見つかりません。ファイルが壊れている可能性があります。保存し直して提出してください。"
                    .to_string()
            }
            DecodeError::Corrupt { format, page, .. } => {
                let what = format.map_or("ファイル", Format::name);
                let at = page.map_or(String::new(), |p| format!("の {p} ページ目"));
                format!(
                    "{what}{at}が壊れているか途中で切れているため読めません。元の書類をもう一度スキャンまたは保存して提出してください。"
                )
            }
            DecodeError::Unsupported { page, what } => format!(
                "{page} ページ目の画像形式({what})には対応していません。JPEG または PNG、あるいは通常の設定でスキャンした PDF にして提出してください。"
            ),
        }
    }
}

fn mb(bytes: u64) -> String {
    // One decimal place, rounded up, so 50,000,001 bytes never reads as "50 MB" next to a 50 MB limit.
    let tenths = bytes.div_ceil(100_000);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The format of `bytes`, by header. `None` for anything else (including a text file named `.pdf`).
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
        || bytes.starts_with(b"II+\0")
        || bytes.starts_with(b"MM\0+")
    {
        Some(Format::Tiff)
    } else if find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        // The PDF spec lets the header sit anywhere in the first 1024 bytes (some producers prepend junk).
        Some(Format::Pdf)
    } else {
        None
    }
}

/// Decodes a whole file into its pages, refusing anything beyond `limits`.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Vec<Page>, DecodeError> {
    let pages = open(bytes, limits)?.collect::<Result<Vec<_>, _>>()?;
    if pages.is_empty() {
        return Err(DecodeError::NoPages);
    }
    Ok(pages)
}

/// Opens a file for decoding page by page: what can be refused before any page is decoded (size,
/// format, a PDF's encryption and page count) is refused here; each page is then decoded only when
/// [`Pages`] is asked for it. A 300 dpi A4 colour page is 26 MB decoded, so a reader that holds
/// only the pages being read keeps a many-page file from costing its whole size at once. The pages
/// and the first error are those [`decode`] gives.
pub fn open<'a>(bytes: &'a [u8], limits: &'a Limits) -> Result<Pages<'a>, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let len = bytes.len() as u64;
    if len > limits.max_bytes {
        return Err(DecodeError::TooLarge {
            bytes: len,
            limit: limits.max_bytes,
        });
    }
    let source = match sniff(bytes).ok_or(DecodeError::UnknownFormat)? {
        format @ (Format::Jpeg | Format::Png) => Source::Single { bytes, format },
        Format::Tiff => Source::Tiff(raster::TiffPages::open(bytes, limits)?),
        Format::Pdf => Source::Pdf(pdf::PdfPages::open(bytes, limits)?),
    };
    Ok(Pages {
        source: Some(source),
        limits,
    })
}

/// A file's pages, each decoded when it is asked for, in file order; after an error, none.
pub struct Pages<'a> {
    /// `None` once the last page or an error has been given.
    source: Option<Source<'a>>,
    limits: &'a Limits,
}

enum Source<'a> {
    /// A JPEG or PNG: one page, not yet decoded.
    Single {
        bytes: &'a [u8],
        format: Format,
    },
    Tiff(raster::TiffPages<'a>),
    Pdf(pdf::PdfPages<'a>),
}

impl Iterator for Pages<'_> {
    type Item = Result<Page, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let page = match self.source.as_mut()? {
            Source::Single { bytes, format } => {
                let (bytes, format) = (*bytes, *format);
                self.source = None;
                Some(raster::decode_single(bytes, format, self.limits))
            }
            Source::Tiff(tiff) => tiff.next(),
            Source::Pdf(pdf) => pdf.next(),
        };
        if !matches!(page, Some(Ok(_))) {
            self.source = None;
        }
        page
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, GenericImageView, GrayImage, Luma, Rgb, RgbImage};
    use lopdf::{dictionary, Document, Object, Stream};
    use std::io::Write;

    /// A gray test card: white with a black bar, so orientation and content can be checked.
    fn card(width: u32, height: u32) -> GrayImage {
        GrayImage::from_fn(width, height, |x, y| {
            if y > height / 3 && y < height / 2 && x < width / 2 {
                Luma([0])
            } else {
                Luma([255])
            }
        })
    }

    fn encode(image: &DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, format).expect("encode");
        out.into_inner()
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).expect("deflate");
        e.finish().expect("deflate")
    }

    /// A PDF whose pages each draw one image XObject (a scan as scanners write it).
    fn scanned_pdf(images: Vec<Stream>) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for image in images {
            let image_id = doc.add_object(image);
            let content = doc.add_object(Stream::new(
                dictionary! {},
                b"q 595 0 0 842 0 0 cm /Im0 Do Q".to_vec(),
            ));
            let page = doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Contents" => content,
                "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
            });
            kids.push(Object::Reference(page));
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save pdf");
        out
    }

    fn image_stream(
        width: u32,
        height: u32,
        space: &str,
        bpc: i64,
        filter: Option<&str>,
        data: Vec<u8>,
    ) -> Stream {
        let mut dict = dictionary! {
            "Type" => "XObject", "Subtype" => "Image",
            "Width" => width as i64, "Height" => height as i64,
            "ColorSpace" => space, "BitsPerComponent" => bpc,
        };
        if let Some(f) = filter {
            dict.set("Filter", Object::Name(f.as_bytes().to_vec()));
        }
        // Keep lopdf from re-compressing on save: the test controls the exact bytes.
        Stream::new(dict, data).with_compression(false)
    }

    fn only_image(pages: &[Page]) -> &DynamicImage {
        assert_eq!(pages.len(), 1);
        match &pages[0].content {
            PageContent::Image(image) => image,
            PageContent::Text(t) => panic!("expected an image, got text {:?}", t.lines),
        }
    }

    #[test]
    fn sniff_goes_by_content_not_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(Format::Pdf));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Format::Png));
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Some(Format::Tiff));
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Some(Format::Tiff));
        assert_eq!(sniff("領収書 これはテキストです".as_bytes()), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn limits_defaults_and_strict_config() {
        let l = Limits::default();
        assert_eq!(
            (
                l.max_bytes,
                l.max_pixels_per_page,
                l.max_pages,
                l.max_dimension
            ),
            (50_000_000, 60_000_000, 50, 20_000)
        );
        let partial: Limits = toml::from_str("max_pages = 10").expect("partial config");
        assert_eq!(partial.max_pages, 10);
        assert_eq!(partial.max_bytes, 50_000_000);
        assert!(
            toml::from_str::<Limits>("max_page = 10").is_err(),
            "a misspelt key must be refused"
        );
    }

    #[test]
    fn jpeg_and_png_decode_to_one_page() {
        let img = DynamicImage::ImageLuma8(card(320, 200));
        for format in [image::ImageFormat::Jpeg, image::ImageFormat::Png] {
            let pages = decode(&encode(&img, format), &Limits::default()).expect("decodes");
            let got = only_image(&pages);
            assert_eq!(pages[0].number, 1);
            assert_eq!(got.dimensions(), (320, 200));
            // The black bar survives (JPEG is lossy: compare loosely).
            assert!(got.to_luma8().get_pixel(40, 80)[0] < 60, "{format:?}");
            assert!(got.to_luma8().get_pixel(300, 10)[0] > 200, "{format:?}");
        }
    }

    #[test]
    fn phone_photo_is_turned_upright_by_its_exif_orientation() {
        let jpeg = encode(
            &DynamicImage::ImageLuma8(card(320, 200)),
            image::ImageFormat::Jpeg,
        );
        // APP1 Exif with one IFD entry: Orientation (0x0112) = 6, "rotate 90° clockwise to view".
        let mut exif = b"Exif\0\0II*\0\x08\0\0\0\x01\0".to_vec();
        exif.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
        let mut photo = jpeg[..2].to_vec();
        photo.extend_from_slice(&[0xFF, 0xE1]);
        photo.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        photo.extend_from_slice(&exif);
        photo.extend_from_slice(&jpeg[2..]);
        let pages = decode(&photo, &Limits::default()).expect("decodes");
        assert_eq!(only_image(&pages).dimensions(), (200, 320));
    }

    #[test]
    fn blank_pdf_page_is_an_empty_text_layer_not_an_error() {
        let mut doc = Document::load_mem(&scanned_pdf(vec![image_stream(
            8,
            8,
            "DeviceGray",
            8,
            None,
            vec![0; 64],
        )]))
        .expect("reload");
        let page_id = doc.page_iter().next().expect("one page");
        doc.get_dictionary_mut(page_id)
            .expect("page")
            .remove(b"Resources");
        let mut pdf = Vec::new();
        doc.save_to(&mut pdf).expect("save");
        let pages = decode(&pdf, &Limits::default()).expect("decodes");
        assert!(matches!(&pages[0].content, PageContent::Text(t) if t.lines.is_empty()));
    }

    #[test]
    fn tiff_gives_every_page() {
        let mut bytes = std::io::Cursor::new(Vec::new());
        {
            let mut enc = tiff::encoder::TiffEncoder::new(&mut bytes).expect("tiff");
            let gray = card(200, 100);
            enc.write_image::<tiff::encoder::colortype::Gray8>(200, 100, gray.as_raw())
                .expect("page 1");
            let rgb = RgbImage::from_pixel(150, 120, Rgb([200, 10, 10]));
            enc.write_image::<tiff::encoder::colortype::RGB8>(150, 120, rgb.as_raw())
                .expect("page 2");
        }
        let pages = decode(bytes.get_ref(), &Limits::default()).expect("decodes");
        assert_eq!(pages.len(), 2);
        assert_eq!(
            pages.iter().map(|p| p.number).collect::<Vec<_>>(),
            vec![1, 2]
        );
        let PageContent::Image(first) = &pages[0].content else {
            panic!("page 1 is an image")
        };
        let PageContent::Image(second) = &pages[1].content else {
            panic!("page 2 is an image")
        };
        assert_eq!(first.dimensions(), (200, 100));
        assert_eq!(first.to_luma8().get_pixel(10, 40)[0], 0);
        assert_eq!(second.dimensions(), (150, 120));
        assert_eq!(second.to_rgb8().get_pixel(5, 5), &Rgb([200, 10, 10]));

        // The page limit applies to TIFF too.
        let two_max = Limits {
            max_pages: 1,
            ..Limits::default()
        };
        assert!(matches!(
            decode(bytes.get_ref(), &two_max),
            Err(DecodeError::TooManyPages { limit: 1, .. })
        ));
        // Opened, a file over the limit is refused by its directories before any page is decoded
        // (a 51-page TIFF is not read 50 pages first); within it, the pages come one at a time.
        assert!(matches!(
            open(bytes.get_ref(), &two_max).err(),
            Some(DecodeError::TooManyPages { pages: 2, limit: 1 })
        ));
        let limits = Limits::default();
        let mut pages = open(bytes.get_ref(), &limits).expect("opens");
        assert!(matches!(pages.next(), Some(Ok(Page { number: 1, .. }))));
        assert!(matches!(pages.next(), Some(Ok(Page { number: 2, .. }))));
        assert!(pages.next().is_none());
    }

    #[test]
    fn scanned_pdf_with_jpeg_image() {
        let jpeg = encode(
            &DynamicImage::ImageLuma8(card(300, 400)),
            image::ImageFormat::Jpeg,
        );
        let pdf = scanned_pdf(vec![image_stream(
            300,
            400,
            "DeviceGray",
            8,
            Some("DCTDecode"),
            jpeg,
        )]);
        let pages = decode(&pdf, &Limits::default()).expect("decodes");
        let got = only_image(&pages);
        assert_eq!(got.dimensions(), (300, 400));
        assert!(got.to_luma8().get_pixel(20, 150)[0] < 60);
    }

    #[test]
    fn scanned_pdf_with_flate_images_gray_rgb_and_bilevel() {
        let gray = card(64, 48);
        let rgb = RgbImage::from_fn(64, 48, |x, _| {
            if x < 32 {
                Rgb([255, 0, 0])
            } else {
                Rgb([0, 0, 255])
            }
        });
        // 1-bit: 8 px per byte, first half of each row black (0), rest white (1).
        let bilevel: Vec<u8> = (0..48)
            .flat_map(|_| [0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF])
            .collect();
        let mut inverted = image_stream(
            64,
            48,
            "DeviceGray",
            8,
            Some("FlateDecode"),
            zlib(gray.as_raw()),
        );
        inverted
            .dict
            .set("Decode", vec![Object::Integer(1), Object::Integer(0)]);
        let pdf = scanned_pdf(vec![
            image_stream(
                64,
                48,
                "DeviceGray",
                8,
                Some("FlateDecode"),
                zlib(gray.as_raw()),
            ),
            image_stream(
                64,
                48,
                "DeviceRGB",
                8,
                Some("FlateDecode"),
                zlib(rgb.as_raw()),
            ),
            image_stream(64, 48, "DeviceGray", 1, Some("FlateDecode"), zlib(&bilevel)),
            inverted,
        ]);
        let pages = decode(&pdf, &Limits::default()).expect("decodes");
        assert_eq!(pages.len(), 4);
        let img = |i: usize| match &pages[i].content {
            PageContent::Image(img) => img.clone(),
            PageContent::Text(_) => panic!("page {i} should be an image"),
        };
        assert_eq!(img(0).to_luma8(), gray);
        assert_eq!(img(1).to_rgb8(), rgb);
        let bw = img(2).to_luma8();
        assert_eq!((bw.get_pixel(0, 0)[0], bw.get_pixel(63, 47)[0]), (0, 255));
        let inv = img(3).to_luma8();
        assert_eq!(inv.get_pixel(10, 20)[0], 255 - gray.get_pixel(10, 20)[0]);
        assert_eq!(
            inv.get_pixel(60, 2)[0],
            0,
            "white stored under /Decode [1 0] reads as black"
        );
    }

    #[test]
    fn digital_pdf_gives_japanese_text_lines() {
        use printpdf::{
            Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
            TextItem,
        };
        let font_bytes = std::fs::read("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
            .expect("IPAex Gothic installed");
        let font = ParsedFont::from_bytes(&font_bytes, 0, &mut Vec::new()).expect("font parses");
        let mut pdf = PdfDocument::new("test");
        let font_id = pdf.add_font(&font);
        let mut ops = Vec::new();
        for (i, line) in ["領収書", "入学料 11,000円", "教育訓練経費 合計 ¥59,400"]
            .iter()
            .enumerate()
        {
            ops.extend([
                Op::StartTextSection,
                Op::SetTextCursor {
                    pos: Point {
                        x: Pt(50.0),
                        y: Pt(780.0 - 30.0 * i as f32),
                    },
                },
                Op::SetFont {
                    font: PdfFontHandle::External(font_id.clone()),
                    size: Pt(14.0),
                },
                Op::ShowText {
                    items: vec![TextItem::Text(line.to_string())],
                },
                Op::EndTextSection,
            ]);
        }
        let bytes = pdf
            .with_pages(vec![PdfPage::new(Mm(210.0), Mm(297.0), ops)])
            .save(&PdfSaveOptions::default(), &mut Vec::new());
        let pages = decode(&bytes, &Limits::default()).expect("decodes");
        assert_eq!(pages.len(), 1);
        match &pages[0].content {
            PageContent::Text(t) => assert_eq!(
                t.lines,
                vec!["領収書", "入学料 11,000円", "教育訓練経費 合計 ¥59,400"]
            ),
            PageContent::Image(_) => panic!("a digital page must give its text layer"),
        }
    }

    #[test]
    fn zero_bytes_text_and_oversize_are_refused() {
        let e = decode(b"", &Limits::default()).unwrap_err();
        assert!(matches!(e, DecodeError::Empty));
        assert!(e.reason_ja().contains("空"));

        let e = decode(
            "申請書です。PDF ではありません。".as_bytes(),
            &Limits::default(),
        )
        .unwrap_err();
        assert!(matches!(e, DecodeError::UnknownFormat), "{e:?}");

        let small = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let e = decode(&[0u8; 11], &small).unwrap_err();
        assert!(matches!(
            e,
            DecodeError::TooLarge {
                bytes: 11,
                limit: 10
            }
        ));
        assert!(e.reason_ja().contains("上限"), "{}", e.reason_ja());
    }

    #[test]
    fn truncated_jpeg_is_an_error() {
        let jpeg = encode(
            &DynamicImage::ImageLuma8(card(400, 300)),
            image::ImageFormat::Jpeg,
        );
        let e = decode(&jpeg[..jpeg.len() / 2], &Limits::default()).unwrap_err();
        assert!(
            matches!(
                e,
                DecodeError::Corrupt {
                    format: Some(Format::Jpeg),
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.reason_ja().contains("JPEG"), "{}", e.reason_ja());
        // Only the header: also an error.
        assert!(decode(&jpeg[..20], &Limits::default()).is_err());
    }

    #[test]
    fn png_claiming_30000_square_is_refused_before_allocating() {
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(b"IHDR");
        ihdr.extend_from_slice(&30_000u32.to_be_bytes());
        ihdr.extend_from_slice(&30_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit gray
        let mut crc = flate2::Crc::new();
        crc.update(&ihdr);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc.sum().to_be_bytes());
        // An IDAT of zeros that would inflate to the full 900 MB: never reached.
        png.extend_from_slice(&[0, 0, 0, 0, b'I', b'D', b'A', b'T', 0x35, 0xAF, 0x06, 0x1E]);
        let e = decode(&png, &Limits::default()).unwrap_err();
        assert!(
            matches!(
                e,
                DecodeError::ImageTooLarge {
                    page: 1,
                    width: 30_000,
                    height: 30_000,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.reason_ja().contains("30000×30000"), "{}", e.reason_ja());
    }

    #[test]
    fn tiff_with_garbage_after_header_is_an_error() {
        let mut bytes = b"II*\0\x08\0\0\0".to_vec();
        bytes.extend((0..500u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
        let e = decode(&bytes, &Limits::default()).unwrap_err();
        assert!(
            matches!(
                e,
                DecodeError::Corrupt {
                    format: Some(Format::Tiff),
                    ..
                } | DecodeError::ImageTooLarge { .. }
                    | DecodeError::Unsupported { .. }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn encrypted_pdf_gets_its_own_reason() {
        let mut pdf = scanned_pdf(vec![image_stream(
            8,
            8,
            "DeviceGray",
            8,
            None,
            vec![255; 64],
        )]);
        // Declare standard-handler encryption with a user password we do not know.
        let mut doc = Document::load_mem(&pdf).expect("reload");
        let encrypt = doc.add_object(dictionary! {
            "Filter" => "Standard", "V" => 2, "R" => 3, "Length" => 128, "P" => -3904,
            "O" => Object::string_literal(vec![0x11u8; 32]), "U" => Object::string_literal(vec![0x22u8; 32]),
        });
        doc.trailer.set("Encrypt", encrypt);
        doc.trailer.set(
            "ID",
            vec![
                Object::string_literal(vec![1u8; 16]),
                Object::string_literal(vec![1u8; 16]),
            ],
        );
        pdf.clear();
        doc.save_to(&mut pdf).expect("save");
        let e = decode(&pdf, &Limits::default()).unwrap_err();
        assert!(matches!(e, DecodeError::Encrypted), "{e:?}");
        assert!(e.reason_ja().starts_with("暗号化された PDF は読めません"));
    }

    #[test]
    fn pdf_whose_page_tree_points_to_itself_ends_in_an_error() {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![Object::Reference(pages_id)], "Count" => 1, "Parent" => pages_id }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut pdf = Vec::new();
        doc.save_to(&mut pdf).expect("save");
        let e = decode(&pdf, &Limits::default()).unwrap_err();
        assert!(
            matches!(e, DecodeError::NoPages | DecodeError::Corrupt { .. }),
            "{e:?}"
        );
    }

    #[test]
    fn pdf_with_10000_pages_is_refused_by_count() {
        let images = (0..10_000)
            .map(|_| image_stream(1, 1, "DeviceGray", 8, None, vec![255]))
            .collect();
        let pdf = scanned_pdf(images);
        let e = decode(&pdf, &Limits::default()).unwrap_err();
        assert!(
            matches!(
                e,
                DecodeError::TooManyPages {
                    pages: 51,
                    limit: 50
                }
            ),
            "{e:?}"
        );
        assert!(e.reason_ja().contains("50 ページ"), "{}", e.reason_ja());
    }

    #[test]
    fn pdf_bombs_are_stopped() {
        // An image declaring 30000×30000 is refused from its dictionary alone.
        let huge = scanned_pdf(vec![image_stream(
            30_000,
            30_000,
            "DeviceGray",
            8,
            Some("FlateDecode"),
            zlib(&[0; 1000]),
        )]);
        assert!(matches!(
            decode(&huge, &Limits::default()),
            Err(DecodeError::ImageTooLarge { .. })
        ));

        // A small image whose stream inflates far beyond its size: only the declared size is read.
        let bomb = zlib(&vec![0u8; 64 * 1024 * 1024]);
        let pdf = scanned_pdf(vec![image_stream(
            100,
            100,
            "DeviceGray",
            8,
            Some("FlateDecode"),
            bomb,
        )]);
        let pages = decode(&pdf, &Limits::default())
            .expect("the declared 100×100 is read, the rest ignored");
        assert_eq!(only_image(&pages).dimensions(), (100, 100));

        // A content stream that inflates past the text-extraction bound.
        let mut doc = Document::load_mem(&scanned_pdf(vec![image_stream(
            1,
            1,
            "DeviceGray",
            8,
            None,
            vec![0],
        )]))
        .expect("reload");
        let page_id = doc.page_iter().next().expect("one page");
        let mut content = Stream::new(
            dictionary! { "Filter" => "FlateDecode" },
            zlib(&vec![b' '; 40 * 1024 * 1024]),
        );
        content.allows_compression = false;
        let content_id = doc.add_object(content);
        doc.get_dictionary_mut(page_id)
            .expect("page")
            .set("Contents", content_id);
        let mut pdf = Vec::new();
        doc.save_to(&mut pdf).expect("save");
        let e = decode(&pdf, &Limits::default()).unwrap_err();
        assert!(matches!(e, DecodeError::Bomb { page: 1, .. }), "{e:?}");
    }

    #[test]
    fn every_reason_is_japanese_and_names_the_limit() {
        let errors = [
            DecodeError::TooManyPages {
                pages: 51,
                limit: 50,
            },
            DecodeError::ImageTooLarge {
                page: 2,
                width: 30_000,
                height: 100,
                max_dimension: 20_000,
                max_pixels: 60_000_000,
            },
            DecodeError::TooLarge {
                bytes: 60_000_000,
                limit: 50_000_000,
            },
        ];
        let reasons: Vec<String> = errors.iter().map(DecodeError::reason_ja).collect();
        assert!(reasons[0].contains("50 ページ"));
        assert!(
            reasons[1].contains("2 ページ目")
                && reasons[1].contains("20000 ピクセル")
                && reasons[1].contains("6000 万画素")
        );
        assert!(reasons[2].contains("60.0 MB") && reasons[2].contains("50.0 MB"));
    }
}
