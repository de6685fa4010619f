//! The witness: a second engine reads again, in its own box, the amount a receipt's cross-check rests
//! on. The breakdown summing to the total proves little when one engine read both: it reads the same
//! glyph of the same face alike wherever it stands (「8」 as 「6」 in 73,800 and in 6,800), so the sum
//! agrees however wrong the digits are. The extractor takes the total as sure only where the witness
//! read the same amount (`extract::receipt`); here the witness reads. Where it cannot read the
//! total (a seal over its digits) it reads each breakdown line's amount instead: lines both
//! engines read alike are sure, and so is the total they sum to.
//!
//! Which engine witnesses: PP-OCRv6's recognizer (within the digits script) when Tesseract read the
//! page; Tesseract's English model when PP-OCRv6 did. Called by [`super::page`] for each image page,
//! after every second look, so the box is the one the final reading will use. Not here: deciding what
//! a disagreement means (the extractor), the second looks that try to make a breakdown sum
//! (`reading/looks/`).

use image::GrayImage;
use unicode_normalization::UnicodeNormalization;

use super::fallback::ReadBy;
use super::lines::INK;
use super::page::PageEngines;
use crate::document::{receipt_fields as rf, BBox, Certainty, DocKind, Doubt};
use crate::extract::{Extractor, Hints, PageInput, WitnessOf, Witnessed};
use crate::ocr::paddle::Script;
use crate::ocr::OcrError;

/// Reads each receipt total of `page` (as `extractor` reads the page now, first read `by` one
/// engine) a second time, with the other, into `page.witnesses`.
pub fn witness_totals(
    engines: &mut PageEngines,
    by: ReadBy,
    image: &GrayImage,
    page: &mut PageInput,
    extractor: &Extractor,
    hints: &Hints,
) -> Result<(), OcrError> {
    let receipts: Vec<_> = extractor
        .extract_with("", std::slice::from_ref(page), hints)
        .into_iter()
        .filter(|d| d.kind == DocKind::Receipt)
        .collect();
    let boxes: Vec<BBox> = receipts
        .iter()
        .filter_map(|d| d.fields.get(rf::AMOUNT_TOTAL).and_then(|f| f.bbox))
        .collect();
    // A total the page's engine did not read at all (the breakdown's sum stands in), or read so
    // that the breakdown does not sum to it (a seal over its digits): what follows the total's
    // label on its line is read instead.
    let unread = receipts.iter().any(|d| {
        d.fields.get(rf::AMOUNT_TOTAL).is_some_and(|f| {
            matches!(
                f.certainty,
                Certainty::Doubtful(Doubt::Inferred | Doubt::DoesNotSum)
            )
        })
    });
    // Two character heights to the left of a total the engine read (see `around`); where the
    // amount was found by its ink, half of one (the label and leaders before it read within the
    // digits would be digits more).
    let mut boxes: Vec<(BBox, u32)> = boxes.into_iter().map(|b| (b, b.h * 2)).collect();
    if unread {
        boxes.extend(
            after_total_labels(page, extractor, image)
                .into_iter()
                .map(|b| (b, b.h / 2)),
        );
    }
    for (bbox, left) in boxes {
        let crop = around(image, bbox, left);
        let Some(text) = read_again(engines, by, &crop)? else {
            // No second engine was loaded: nothing is witnessed, the total stays as read.
            return Ok(());
        };
        tracing::debug!(chars = text.chars().count(), "witness read a total");
        page.witnesses.push(Witnessed {
            bbox,
            text,
            of: WitnessOf::Total,
        });
    }
    witness_lines(engines, by, image, page, extractor, hints)
}

/// Reads each breakdown line's amount again, on a receipt whose breakdown sums to a total the
/// witness could not confirm (a seal over the total's digits, a stamp's frame through it): the
/// lines read alike by both engines are sure, and so is the total they sum to
/// (`extract::receipt`). A crop per line, only on such receipts.
fn witness_lines(
    engines: &mut PageEngines,
    by: ReadBy,
    image: &GrayImage,
    page: &mut PageInput,
    extractor: &Extractor,
    hints: &Hints,
) -> Result<(), OcrError> {
    let boxes: Vec<BBox> = extractor
        .extract_with("", std::slice::from_ref(page), hints)
        .into_iter()
        .filter(|d| d.kind == DocKind::Receipt && !d.items.is_empty())
        .filter(|d| {
            d.fields.get(rf::AMOUNT_TOTAL).is_some_and(|f| {
                !matches!(
                    f.certainty,
                    Certainty::Sure(_)
                        | Certainty::Doubtful(
                            Doubt::Inferred
                                | Doubt::DoesNotSum
                                | Doubt::Disputed
                                | Doubt::Unlabelled
                        )
                )
            })
        })
        .flat_map(|d| d.items.into_iter().filter_map(|i| i.bbox))
        .collect();
    for bbox in boxes {
        // Half a character to the left only: a label's last glyph, read within the digits, would
        // be a digit more.
        let crop = around(image, bbox, bbox.h / 2);
        let Some(text) = read_again(engines, by, &crop)? else {
            return Ok(());
        };
        tracing::debug!(
            chars = text.chars().count(),
            "witness read a breakdown line"
        );
        page.witnesses.push(Witnessed {
            bbox,
            text,
            of: WitnessOf::Item,
        });
    }
    Ok(())
}

/// `crop` read by the engine that did not read the page (within the digits), as NFKC text
/// (full-width digits and separators as the page's reading has them: 「125，200円」); `None` when
/// no second engine is loaded.
fn read_again(
    engines: &mut PageEngines,
    by: ReadBy,
    crop: &GrayImage,
) -> Result<Option<String>, OcrError> {
    let text = match (by, &engines.witness) {
        (ReadBy::Tesseract, Some(reader)) => {
            let mut reader = reader.lock().map_err(|_| OcrError::WorkerLost)?;
            reader.recognize_line(crop, Script::Digits)?.text
        }
        (ReadBy::Paddle, _) => {
            let text = tesseract_line(engines, crop)?;
            if reads_an_amount(&text) {
                text
            } else {
                let again = tesseract_line(engines, &faint_strokes_as_ink(crop))?;
                if reads_an_amount(&again) {
                    again
                } else {
                    text
                }
            }
        }
        (ReadBy::Tesseract, None) => return Ok(None),
    };
    Ok(Some(text.nfkc().collect()))
}

/// `crop` read by Tesseract's English model, its words joined by spaces.
fn tesseract_line(engines: &mut PageEngines, crop: &GrayImage) -> Result<String, OcrError> {
    let words = engines.digits.recognize_line(crop)?.words;
    Ok(words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" "))
}

/// Whether `text` holds an amount's figures: three or more digits in a row, or grouped by a
/// separator (「187,000」, 「5.000」).
fn reads_an_amount(text: &str) -> bool {
    let mut run = 0;
    for c in text.nfkc() {
        if c.is_ascii_digit() {
            run += 1;
            if run >= 3 {
                return true;
            }
        } else if !matches!(c, ',' | '.') {
            run = 0;
        }
    }
    false
}

/// `crop` in black and white, every pixel nearer the paper's level than two thirds of the way to
/// the darkest ink counted as ink. Tesseract binarises a crop by Otsu's level, which a dark rule
/// under the amount pulls down until a thin Mincho stroke, grayed by the page's deskewing, falls
/// on the paper's side: seed 83 sub021's wide-spaced 「１８７，０００円」 over its underline read
/// 「biogas O08」, and 「187, 000F」 with the strokes kept.
fn faint_strokes_as_ink(crop: &GrayImage) -> GrayImage {
    let mut histogram = [0u32; 256];
    for p in crop.pixels() {
        histogram[usize::from(p.0[0])] += 1;
    }
    let total: u32 = histogram.iter().sum();
    let level_at = |share: f32| {
        let mut seen = 0;
        for (level, &n) in histogram.iter().enumerate() {
            seen += n;
            if seen as f32 >= share * total as f32 {
                return level as f32;
            }
        }
        255.0
    };
    // The darkest ink (past a few stray pixels) and the paper (most of any crop round a line).
    let (ink, paper) = (level_at(0.01), level_at(0.5));
    let level = ink + (paper - ink) * 2.0 / 3.0;
    image::ImageBuffer::from_fn(crop.width(), crop.height(), |x, y| {
        let v = f32::from(crop.get_pixel(x, y).0[0]);
        image::Luma([if v < level { 0 } else { 255 }])
    })
}

/// On each line that opens with a total's label (「合計」, 「ご入金額：」, 「領収金額」…), where the
/// amount is, whether or not the page's engine read it as one: from the first ink a quarter of a
/// character tall after the label (not a rule, nor the specks of dot leaders) — however far, as a
/// line may end at its label with the amount past leaders unread (「総額.」, seed 71 sub011) — to
/// the end of the line, and on past it while such ink follows within a character (the engine may
/// have read only the first glyph of an amount under a seal: 「総額 1」 for 「106,000円」, where the
/// witness then read 「106」).
fn after_total_labels(page: &PageInput, extractor: &Extractor, image: &GrayImage) -> Vec<BBox> {
    let (w, h) = image.dimensions();
    let mut out = Vec::new();
    for line in &page.lines {
        let n = line.tokens.len();
        let Some(end) = (1..=n.min(4)).find(|&k| extractor.is_total_label(&line.text_of(0, k)))
        else {
            continue;
        };
        let ch = line.char_height();
        let x = line.tokens[end - 1].bbox.right();
        let rows = line.bbox.y..line.bbox.bottom().min(h);
        let tall = |col: u32| {
            let mut inked_rows = rows.clone().filter(|&y| image.get_pixel(col, y).0[0] < INK);
            let top = inked_rows.next();
            let bottom = inked_rows.next_back().or(top);
            top.zip(bottom).is_some_and(|(t, b)| b - t >= ch / 4)
        };
        let Some(first) = (x.min(w)..w).find(|&c| tall(c)) else {
            continue;
        };
        let mut last = line.bbox.right().max(first).min(w);
        let mut col = last;
        while col < w && col <= last + ch {
            if tall(col) {
                last = col;
            }
            col += 1;
        }
        let x = first.saturating_sub(ch / 4).max(x);
        let right = (last + ch).min(w);
        if right > x + ch {
            out.push(BBox {
                x,
                y: line.bbox.y,
                w: right - x,
                h: line.bbox.h,
            });
        }
    }
    out
}

/// The box with room round it: the total's box is the page engine's, and misses what that engine
/// did not take for part of the amount (a leading 「1」 by a frame's rule, 「金66,」 split from
/// 「000円也」), so the crop reaches `left` to the left (two character heights for a total) and half
/// a character height right; a quarter of one above and below (a recognizer reads a line cut tight
/// to its ink worse). Inside the image.
fn around(image: &GrayImage, b: BBox, left: u32) -> GrayImage {
    let (w, h) = image.dimensions();
    let x = b.x.saturating_sub(left).min(w.saturating_sub(1));
    let y = b.y.saturating_sub(b.h / 4).min(h.saturating_sub(1));
    let right = (b.right() + b.h / 2).min(w);
    let bottom = (b.bottom() + b.h / 4).min(h);
    image::imageops::crop_imm(
        image,
        x,
        y,
        right.saturating_sub(x).max(1),
        bottom.saturating_sub(y).max(1),
    )
    .to_image()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Certainty, Check, Doubt};
    use crate::extract::layout::lines_from_tokens;
    use crate::ocr::testpage::{draw, font};
    use crate::ocr::{Models, PaddleModels};
    use image::Luma;

    /// A receipt whose breakdown sums to its total, 300 dpi, IPAex Gothic.
    fn receipt() -> GrayImage {
        let font = font();
        let mut img = GrayImage::from_pixel(2480, 1748, Luma([255]));
        let lines = [
            ("領収書", 80.0),
            ("山田 花子 様", 48.0),
            ("合計 ¥73,800", 48.0),
            ("内訳", 44.0),
            ("入学料 10,000円", 44.0),
            ("授業料 57,000円", 44.0),
            ("テキスト代 6,800円", 44.0),
            ("上記正に領収いたしました", 44.0),
            ("株式会社 みらい職業訓練校", 44.0),
        ];
        let mut y = 120.0;
        for (text, px) in lines {
            draw(&mut img, &font, text, 200.0, y, px);
            y += px * 2.2;
        }
        img
    }

    fn page_read_by_tesseract(engines: &mut PageEngines, img: &GrayImage) -> PageInput {
        let words = engines.text.recognize(img).expect("reads").words;
        PageInput {
            number: 1,
            lines: lines_from_tokens(crate::reading::lines::tokens_on_page(words, 0, 0, 1.0)),
            ..PageInput::default()
        }
    }

    fn total(page: &PageInput, extractor: &Extractor) -> crate::document::Document {
        let docs = extractor.extract_with("r.png", std::slice::from_ref(page), &Hints::default());
        docs.into_iter()
            .find(|d| d.kind == DocKind::Receipt)
            .expect("a receipt")
    }

    /// The engines as `run` loads them by default (Tesseract reads, PP-OCRv6 witnesses), the
    /// extractor, and the receipt.
    fn tesseract_witnessed_by_paddle() -> (PageEngines, Extractor, GrayImage) {
        let paddle = PaddleModels::locate(None).expect("PP-OCRv6 installed (scripts/setup.sh)");
        let models = Models::locate(None).expect("models").with_witness(paddle);
        let engines = PageEngines::new(&models).expect("engines");
        (engines, Extractor::default(), receipt())
    }

    /// Runs the witness on a page Tesseract read, as `read_image_page` does.
    fn witness(
        engines: &mut PageEngines,
        img: &GrayImage,
        page: &mut PageInput,
        extractor: &Extractor,
    ) {
        witness_totals(
            engines,
            ReadBy::Tesseract,
            img,
            page,
            extractor,
            &Hints::default(),
        )
        .expect("witness reads");
    }

    #[test]
    fn a_faint_mincho_total_over_its_rule_is_read_with_its_thin_strokes_kept() {
        // Seed 83 sub021's total as the page was prepared (deskewed, its strokes grayed): read as
        // Tesseract binarises it, no amount; read with the faint strokes kept, the amount.
        let line = image::open(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/witness-faint-mincho-total.png"
        ))
        .expect("fixture")
        .to_luma8();
        // The total's box as PP-OCRv6 read it, cropped as the witness crops it.
        let total = BBox {
            x: 287,
            y: 75,
            w: 519,
            h: 69,
        };
        let crop = around(&line, total, total.h * 2);
        let models = Models::locate(None).expect("models");
        let mut engines = PageEngines::new(&models).expect("engines");
        let as_binarised = tesseract_line(&mut engines, &crop).expect("reads");
        assert!(!reads_an_amount(&as_binarised), "{as_binarised}");
        let text = read_again(&mut engines, ReadBy::Paddle, &crop)
            .expect("reads")
            .expect("Tesseract witnesses");
        // 「187, 000」, or 「187, O00」 (a round zero as the letter: the comparison allows it).
        let figures: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == 'O' { '0' } else { c })
            .collect();
        assert!(figures.starts_with("187,000"), "{text}");
    }

    #[test]
    fn a_total_under_a_seal_is_looked_for_by_its_ink_past_what_the_engine_read() {
        // Seed 71 sub011's total line as the page was prepared (leaders erased, faint): 「総額
        // ……… 106,000円」 with a gray seal over the amount. Tesseract read 「総額 1」; PP-OCRv6 read
        // 「総額.」 and nothing of the amount.
        let image = image::open(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/total-under-seal-after-leaders.png"
        ))
        .expect("fixture")
        .to_luma8();
        let word = |text: &str, x: u32, w: u32| crate::extract::layout::Token {
            text: text.into(),
            confidence: 0.7,
            agreed: false,
            bbox: BBox { x, y: 44, w, h: 53 },
        };
        let page_of = |tokens| PageInput {
            number: 1,
            lines: vec![crate::extract::layout::TextLine::from_tokens(tokens)],
            ..PageInput::default()
        };
        let extractor = Extractor::default();
        let models = Models::locate(None).expect("models");
        let paddle = PaddleModels::locate(None).expect("PP-OCRv6 installed (scripts/setup.sh)");
        let mut engines = PageEngines::new(&models.with_witness(paddle)).expect("engines");
        // The amount stands from x ≈ 1215 to 1440.
        for (tokens, by) in [
            (
                vec![word("総額", 56, 110), word("1", 1201, 37)],
                ReadBy::Tesseract,
            ),
            (vec![word("総額.", 56, 132)], ReadBy::Paddle),
        ] {
            let page = page_of(tokens);
            let boxes = after_total_labels(&page, &extractor, &image);
            assert_eq!(boxes.len(), 1, "{boxes:?}");
            let b = boxes[0];
            assert!(b.x > 1150 && b.x < 1230 && b.right() > 1440, "{b:?}");
            let text = read_again(&mut engines, by, &around(&image, b, b.h / 2))
                .expect("reads")
                .expect("a witness");
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            assert!(digits.starts_with("106000"), "{text}");
        }
    }

    #[test]
    fn an_amount_is_three_figures_in_a_row_or_grouped() {
        assert!(reads_an_amount("187, 000F"));
        assert!(reads_an_amount("¥5.000"));
        assert!(!reads_an_amount("biogas O08"));
        assert!(!reads_an_amount("1 2"));
    }

    #[test]
    fn a_total_and_a_line_misread_alike_are_disputed_by_the_second_engine() {
        let (mut engines, extractor, img) = tesseract_witnessed_by_paddle();

        // As read: the breakdown sums, and PP-OCRv6 reads the same total in its box.
        let mut page = page_read_by_tesseract(&mut engines, &img);
        let before = total(&page, &extractor);
        assert_eq!(before.yen(rf::AMOUNT_TOTAL), Some(73_800));
        witness(&mut engines, &img, &mut page, &extractor);
        let read = total(&page, &extractor);
        assert_eq!(
            read.field(rf::AMOUNT_TOTAL).expect("total").certainty,
            Certainty::Sure(Check::Breakdown),
            "witnessed: {:?}",
            page.witnesses
        );

        // One engine reading 8 as 6 in the total and in a line (seed 7 sub036): the sum agrees, the
        // witness does not, and nothing of the receipt's money is relied on.
        let mut misread = page_read_by_tesseract(&mut engines, &img);
        for line in &mut misread.lines {
            for t in &mut line.tokens {
                t.text = t.text.replace("800", "600");
            }
        }
        witness(&mut engines, &img, &mut misread, &extractor);
        let doc = total(&misread, &extractor);
        assert_eq!(doc.yen(rf::AMOUNT_TOTAL), Some(73_600));
        assert_eq!(
            doc.field(rf::AMOUNT_TOTAL).expect("total").certainty,
            Certainty::Doubtful(Doubt::Disputed)
        );
        assert!(
            doc.items.iter().all(|i| !i.relied_on(0.0)),
            "{:?}",
            doc.items
        );
        assert!(doc.findings.iter().any(|f| f.code == "total_disputed"));
    }

    #[test]
    fn a_total_the_page_engine_lost_is_read_by_the_second_on_its_line() {
        let (mut engines, extractor, img) = tesseract_witnessed_by_paddle();
        // The page's engine read the total's label but not its amount (a seal over it, seed 7
        // sub031): the breakdown's sum only stands in.
        let mut page = page_read_by_tesseract(&mut engines, &img);
        let total_line = page
            .lines
            .iter_mut()
            .find(|l| l.text().starts_with("合計"))
            .expect("the total's line");
        total_line.tokens.truncate(1);
        let before = total(&page, &extractor);
        assert_eq!(
            before.field(rf::AMOUNT_TOTAL).expect("total").certainty,
            Certainty::Doubtful(Doubt::Inferred)
        );
        witness(&mut engines, &img, &mut page, &extractor);
        let doc = total(&page, &extractor);
        assert_eq!(doc.yen(rf::AMOUNT_TOTAL), Some(73_800));
        assert_eq!(
            doc.field(rf::AMOUNT_TOTAL).expect("total").certainty,
            Certainty::Sure(Check::Breakdown),
            "witnessed: {:?}",
            page.witnesses
        );
        assert!(!doc.findings.iter().any(|f| f.code == "total_not_found"));
    }

    #[test]
    fn a_total_the_second_engine_cannot_read_is_confirmed_by_its_lines_read_alike() {
        let (mut engines, extractor, mut img) = tesseract_witnessed_by_paddle();
        let mut page = page_read_by_tesseract(&mut engines, &img);
        let bbox = total(&page, &extractor)
            .field(rf::AMOUNT_TOTAL)
            .and_then(|f| f.bbox)
            .expect("the total's box");
        // Ink over the total's digits after the page's engine read them (a seal over them, seed 13
        // sub048): the second engine reads nothing there.
        for y in bbox.y.saturating_sub(bbox.h / 2)..bbox.bottom() + bbox.h / 2 {
            for x in bbox.x.saturating_sub(bbox.h * 2)..bbox.right() + bbox.h {
                img.put_pixel(x, y, Luma([0]));
            }
        }
        witness(&mut engines, &img, &mut page, &extractor);
        let doc = total(&page, &extractor);
        assert_eq!(doc.yen(rf::AMOUNT_TOTAL), Some(73_800));
        assert!(
            page.witnesses
                .iter()
                .filter(|w| w.of == WitnessOf::Item)
                .count()
                == 3,
            "each line read again: {:?}",
            page.witnesses
        );
        assert_eq!(
            doc.field(rf::AMOUNT_TOTAL).expect("total").certainty,
            Certainty::Sure(Check::Breakdown),
            "witnessed: {:?}",
            page.witnesses
        );
    }
}
