//! A page Tesseract read poorly is read again whole by PP-OCRv6, and the reading under which the
//! extractor finds more of what the page must carry is kept.
//!
//! Tesseract `jpn` reads each page first (PP-OCRv6 reads better but costs about 2.5× per page); on
//! some pages (evening photos, small print) its reading is so poor that the extractor finds almost
//! nothing and the case goes to a person. Such a page is judged by the extractor itself, on the page
//! as the first reading and its second looks left it ([`Judged`]): it is poorly read when no
//! document is recognised on it, or when a recognised receipt or certificate has at most
//! [`POOR_IF_FOUND_AT_MOST`] of the fields it must carry (`receipt_fields::CARRIED`,
//! `certificate_fields::CARRIED`): 9 of 102 pages on seed 7, 5 of 123 on seed 11, 8 of 123 on
//! seed 13. Such a page is read again by PP-OCRv6 (its detector, and the witness's recognizer: no
//! second recognizer in memory), through the same line building and second looks, and PP-OCRv6's
//! reading is kept only when the extractor finds strictly more of those fields in it (or finds a
//! document where Tesseract's reading gave none); on a tie Tesseract's stands.
//!
//! Not here: the first reading and the second looks themselves ([`super::page`], `looks/`), what the
//! fields mean (`extract`). Called by [`super::page::read_image_page`] once per image page, and only
//! when Tesseract read it (with `[ocr] recognizer = "paddle"` PP-OCRv6 read it already).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use image::GrayImage;

use crate::document::{certificate_fields as cf, receipt_fields as rf, DocKind, Document};
use crate::extract::{Extractor, Hints, PageInput};
use crate::ocr::paddle::{recognize_boxes, LineReader, PageDetector, DEFAULT_DETECTOR_MAX_SIDE};
use crate::ocr::{OcrError, PaddleModels, Recognized};

/// A receipt or certificate on which the extractor found at most this share of the fields it must
/// carry is poorly read. Seed 7 (`kyufu-accuracy --count 60 --seed 7`, `KYUFU_LOG` at debug): at
/// 0.5, 9 of 102 pages fall back and 7 keep PP-OCRv6's reading, outcome+amount right 36 → 36 with
/// the receipt's total read 81.8 → 87.9 %; reading again every page lacking any field (23 pages,
/// 17 kept) gave 37 right but PP-OCRv6's misreads of pages Tesseract had nearly right came with it
/// (an issue date 19 → 01, a total 1,510,000 → 1,513,323, six more invented items).
const POOR_IF_FOUND_AT_MOST: f32 = 0.5;

/// Which engine gave a page its first reading: the witness reads a total again with the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadBy {
    Tesseract,
    Paddle,
}

/// PP-OCRv6 reading whole pages again, shared by the workers; the recognizer is the witness's. A
/// page or two in a batch falls back, so the detector is loaded for each such page and let go after
/// it (a session costs well under the page's reading to load): kept loaded, it added 35 MB to every
/// worker process's peak (`make bench`'s 26 submissions, seed 3, 2 workers, one page fell back: 490
/// and 507 MB against 451 and 473 MB without the fallback, `/usr/bin/time -v kyufu run --once`,
/// before the process shared one heap).
pub struct Rereader {
    models: PaddleModels,
    reader: Arc<Mutex<LineReader>>,
    /// Held while a detector is loaded and detecting: one at a time in the process, so two workers
    /// reading pages again at once do not each hold one (35 MB apiece).
    detecting: Mutex<()>,
    /// Pages read again so far in this process, and of those, pages whose PP-OCRv6 reading was kept.
    fell_back: AtomicUsize,
    kept_paddle: AtomicUsize,
}

impl std::fmt::Debug for Rereader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rereader").finish_non_exhaustive()
    }
}

impl Rereader {
    /// A rereader of pages with `models`' detector (loaded when first needed) and `reader`.
    pub fn new(models: PaddleModels, reader: Arc<Mutex<LineReader>>) -> Rereader {
        Rereader {
            models,
            reader,
            detecting: Mutex::new(()),
            fell_back: AtomicUsize::new(0),
            kept_paddle: AtomicUsize::new(0),
        }
    }

    /// Reads `page` whole: the detector's lines, each read by the shared recognizer.
    pub fn recognize(&self, page: &GrayImage) -> Result<Recognized, OcrError> {
        let boxes = {
            let _one = self.detecting.lock().map_err(|_| OcrError::WorkerLost)?;
            PageDetector::new(&self.models, DEFAULT_DETECTOR_MAX_SIDE)?.detect(page)?
        };
        let mut reader = self.reader.lock().map_err(|_| OcrError::WorkerLost)?;
        recognize_boxes(&mut reader, page, &boxes)
    }
}

/// What the extractor finds on one page: whether it recognised a document, and of the fields the
/// receipts and certificates on it must carry, how many it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judged {
    /// A document of a known kind was recognised on the page.
    pub recognised: bool,
    /// Fields found, of those the page's receipts and certificates must carry.
    pub found: usize,
    /// Fields the page's receipts and certificates must carry.
    pub carried: usize,
}

impl Judged {
    /// The extractor's reading of `page` alone.
    pub fn of(page: &PageInput, extractor: &Extractor, hints: &Hints) -> Judged {
        let docs = extractor.extract_with("", std::slice::from_ref(page), hints);
        let mut judged = Judged {
            recognised: docs.iter().any(|d| d.kind != DocKind::Unknown),
            found: 0,
            carried: 0,
        };
        for doc in &docs {
            let (found, carried) = carried_found(doc);
            judged.found += found;
            judged.carried += carried;
        }
        judged
    }

    /// Whether the page is poorly read: nothing recognised, or a receipt or certificate lacking
    /// most of what it must carry. A page of another kind (an application, an attendance report)
    /// carries none of those fields and is not judged.
    pub fn poor(&self) -> bool {
        !self.recognised
            || (self.carried > 0
                && self.found as f32 <= POOR_IF_FOUND_AT_MOST * self.carried as f32)
    }
}

/// Of the fields `doc` must carry as a receipt or a certificate, how many were read, and how many
/// there are (0 and 0 for any other kind).
fn carried_found(doc: &Document) -> (usize, usize) {
    let carried: &[&str] = match doc.kind {
        DocKind::Receipt => &rf::CARRIED,
        DocKind::CompletionCertificate => &cf::CARRIED,
        _ => &[],
    };
    let found = carried
        .iter()
        .filter(|&&name| {
            if name == rf::ITEMS {
                !doc.items.is_empty()
            } else {
                doc.field(name).is_some()
            }
        })
        .count();
    (found, carried.len())
}

/// When `first` (read by `by`) is poorly read and `rereader` is loaded, reads the page again with
/// PP-OCRv6 and builds it with `build` (the same line building and second looks as the first);
/// returns the reading under which the extractor finds more of the carried fields, and who read it.
pub fn reread_if_poor(
    rereader: Option<&Rereader>,
    image: &GrayImage,
    first: PageInput,
    by: ReadBy,
    extractor: &Extractor,
    hints: &Hints,
    build: impl FnOnce(Recognized) -> Result<PageInput, OcrError>,
) -> Result<(PageInput, ReadBy), OcrError> {
    let (ReadBy::Tesseract, Some(rereader)) = (by, rereader) else {
        return Ok((first, by));
    };
    let before = Judged::of(&first, extractor, hints);
    tracing::debug!(
        page = first.number,
        recognised = before.recognised,
        found = before.found,
        carried = before.carried,
        poor = before.poor(),
        "page judged after Tesseract's reading"
    );
    if !before.poor() {
        return Ok((first, by));
    }
    let again = build(rereader.recognize(image)?)?;
    let after = Judged::of(&again, extractor, hints);
    let kept = if after.found > before.found || (!before.recognised && after.recognised) {
        ReadBy::Paddle
    } else {
        ReadBy::Tesseract
    };
    let fell_back = rereader.fell_back.fetch_add(1, Ordering::Relaxed) + 1;
    let kept_paddle = match kept {
        ReadBy::Paddle => rereader.kept_paddle.fetch_add(1, Ordering::Relaxed) + 1,
        ReadBy::Tesseract => rereader.kept_paddle.load(Ordering::Relaxed),
    };
    tracing::debug!(
        page = first.number,
        tesseract_found = before.found,
        paddle_found = after.found,
        paddle_recognised = after.recognised,
        kept = ?kept,
        fell_back,
        kept_paddle,
        "page fell back to PP-OCRv6 (pages so far: fell_back, of which kept_paddle kept its reading)"
    );
    Ok(match kept {
        ReadBy::Paddle => (again, ReadBy::Paddle),
        ReadBy::Tesseract => (first, ReadBy::Tesseract),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::testpage::{draw, font};
    use crate::ocr::{Models, PaddleModels};
    use crate::reading::page::{read_image_page, PageEngines};
    use image::{DynamicImage, Luma};

    /// The engines as `run` loads them by default: Tesseract reads each page, PP-OCRv6 witnesses
    /// totals and reads again a page read poorly.
    fn engines() -> PageEngines {
        let paddle = PaddleModels::locate(None).expect("PP-OCRv6 installed (scripts/setup.sh)");
        let models = Models::locate(None).expect("models").with_witness(paddle);
        PageEngines::new(&models).expect("engines")
    }

    /// A certificate in IPAex Gothic with text `px` high (44 px is 10.5 pt at 300 dpi) on a page
    /// scaled alike, its darkest ink the gray `darkest`.
    fn certificate(px: f32, darkest: u8) -> DynamicImage {
        let font = font();
        let scale = px / 44.0;
        let mut img = GrayImage::from_pixel(
            (2480.0 * scale) as u32,
            (1748.0 * scale) as u32,
            Luma([255]),
        );
        let printed = [
            ("教育訓練修了証明書", 800.0, 150.0),
            ("氏名 渡辺 綾香", 200.0, 400.0),
            ("生年月日 1990年1月1日", 200.0, 500.0),
            ("講座名 医療事務講座", 200.0, 600.0),
            ("受講開始日 2025年4月1日", 200.0, 700.0),
            ("修了日 2025年9月30日", 200.0, 800.0),
            ("上記の者は本講座を修了したことを証明します。", 200.0, 950.0),
            ("学校法人 青葉学園", 1400.0, 1150.0),
        ];
        for (text, x, y) in printed {
            draw(&mut img, &font, text, x * scale, y * scale, px);
        }
        let depth = u32::from(255 - darkest);
        for p in img.pixels_mut() {
            p[0] = 255 - (u32::from(255 - p[0]) * depth / 255) as u8;
        }
        DynamicImage::ImageLuma8(img)
    }

    fn certificate_of(page: &PageInput, extractor: &Extractor) -> Option<Document> {
        extractor
            .extract_with("c.png", std::slice::from_ref(page), &Hints::default())
            .into_iter()
            .find(|d| d.kind == DocKind::CompletionCertificate)
    }

    #[test]
    fn a_page_tesseract_reads_poorly_comes_out_with_its_fields_read_by_paddle() {
        let (mut engines, extractor, hints) = (engines(), Extractor::default(), Hints::default());
        // Small print (12 px, 3.5 pt at 300 dpi), not quite black: Tesseract finds no document on
        // it.
        let page = certificate(12.0, 60);
        let rereader = engines.rereader.take();
        let alone =
            read_image_page(&mut engines, 1, page.clone(), &extractor, &hints).expect("reads");
        assert!(Judged::of(&alone, &extractor, &hints).poor());
        assert!(certificate_of(&alone, &extractor).is_none());

        engines.rereader = rereader;
        let read = read_image_page(&mut engines, 1, page, &extractor, &hints).expect("reads");
        let doc = certificate_of(&read, &extractor).expect("a certificate");
        assert_eq!(doc.text(cf::TRAINEE_NAME), Some("渡辺 綾香"));
        assert_eq!(doc.text(cf::COURSE_NAME), Some("医療事務講座"));
        // The space between 法人格 and name is the engine's to keep or drop (compared compact).
        let issuer = doc.text(cf::ISSUER_NAME).map(|t| t.replace(' ', ""));
        assert_eq!(issuer.as_deref(), Some("学校法人青葉学園"));
        assert_eq!(
            doc.date(cf::STARTED_ON),
            chrono::NaiveDate::from_ymd_opt(2025, 4, 1)
        );
        assert_eq!(
            doc.date(cf::COMPLETED_ON),
            chrono::NaiveDate::from_ymd_opt(2025, 9, 30)
        );
    }

    #[test]
    fn a_page_tesseract_reads_well_is_not_read_again() {
        let (mut engines, extractor, hints) = (engines(), Extractor::default(), Hints::default());
        let rereader = engines
            .rereader
            .take()
            .expect("PP-OCRv6 loaded as the witness");
        let first = read_image_page(&mut engines, 1, certificate(44.0, 0), &extractor, &hints)
            .expect("reads");
        let judged = Judged::of(&first, &extractor, &hints);
        assert_eq!((judged.found, judged.carried), (5, 5), "{judged:?}");
        let image = GrayImage::new(8, 8);
        let mut read_again = false;
        let (kept, by) = reread_if_poor(
            Some(&rereader),
            &image,
            first.clone(),
            ReadBy::Tesseract,
            &extractor,
            &hints,
            |_| {
                read_again = true;
                Ok(PageInput::default())
            },
        )
        .expect("judged");
        assert!(!read_again);
        assert_eq!(by, ReadBy::Tesseract);
        assert_eq!(kept.lines, first.lines);
    }
}
