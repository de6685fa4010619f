//! A receipt page whose money Tesseract did not read surely is read again whole by PP-OCRv6, and
//! PP-OCRv6's reading is kept only where its money is sure and it loses nothing else sure.
//!
//! The class it fixes: the largest share of cases sent to review is a receipt whose total or
//! breakdown is doubtful after Tesseract's reading, its second looks and the witness — the
//! breakdown lost whole on a phone photo or a till roll (`unread:items`), the total lost under a
//! seal (`total_not_found`), or 0s read as 6, 8 or 9 on a fax or a gray scan so that nothing sums
//! (`items_do_not_sum`, `total_disputed`). PP-OCRv6 reads such pages better (a till-roll photo whose
//! three fee lines Tesseract missed, read exactly), but costs a second and more a page, and on pages
//! Tesseract had nearly right it brings misreads of its own ([`super::fallback`]'s measurement), so
//! it is asked only here and kept only on evidence:
//! - its breakdown sums to its total **and** the witness (Tesseract's English model, in the total's
//!   box) read that total alike, or read the breakdown's sum on the total's line
//!   (`Certainty::Sure(Check::Breakdown)`): two independent engines agree on the amount; and
//! - every other field the receipts must carry that Tesseract's reading had surely (as the
//!   application says, a full date…) is as surely read, to the same value, in PP-OCRv6's; and it
//!   finds at least as many of those fields.
//!
//! Otherwise Tesseract's reading stands, doubtful as it was. Not here: what a reading means
//! (`extract`), the witness itself ([`super::witness`]). Called by [`super::page::read_image_page`]
//! after the witness, only when Tesseract read the page.

use image::GrayImage;

use super::fallback::ReadBy;
use super::lines::tokens_on_page;
use super::page::PageEngines;
use super::witness::witness_totals;
use crate::document::{receipt_fields as rf, BBox, Certainty, Check, DocKind, Document};
use crate::extract::layout::{lines_from_tokens, TextLine};
use crate::extract::marks::{Capture, Ink};
use crate::extract::read::amount_on;
use crate::extract::{Extractor, Hints, PageInput};
use crate::ink::RedChannel;
use crate::ocr::{OcrError, Recognized};

/// Whether a receipt's money stands surely: a total and a breakdown that sums to it, confirmed by
/// a second engine (or given as data); or, where no breakdown is printed (none read, none marked
/// printed-but-unread), a total two engines read alike. Seed 83 sub021: 「領収額 １８７，０００円」
/// in wide-spaced Mincho read 「Ii」 by Tesseract and exactly by PP-OCRv6, witnessed alike, and a
/// receipt with no breakdown is a 補正依頼 only when its total is sure.
fn money_sure(doc: &Document) -> bool {
    let total = doc.field(rf::AMOUNT_TOTAL).map(|f| f.certainty);
    if doc.items.is_empty() {
        return matches!(
            total,
            Some(Certainty::Agreed | Certainty::Sure(Check::Given))
        ) && !doc.is_unread(rf::ITEMS);
    }
    matches!(
        total,
        Some(Certainty::Sure(Check::Breakdown | Check::Given))
    )
}

/// The receipts `extractor` finds on `page`.
fn receipts(page: &PageInput, extractor: &Extractor, hints: &Hints) -> Vec<Document> {
    extractor
        .extract_with("", std::slice::from_ref(page), hints)
        .into_iter()
        .filter(|d| d.kind == DocKind::Receipt)
        .collect()
}

/// Whether `again`'s receipts keep what `first`'s had surely ([`lost`] is empty).
#[cfg(test)]
fn keeps_the_rest(first: &[Document], again: &[Document]) -> bool {
    lost(first, again).is_empty()
}

/// What `again`'s receipts lose of `first`'s: a receipt (their count differs), a carried field
/// (but the money) that was sure in `first` and is not as sure, to the same value, in `again`, a
/// carried field found (fewer of them), or the total `first` read undoubted ([`same_total`]).
/// Field names only (they are logged).
fn lost(first: &[Document], again: &[Document]) -> Vec<&'static str> {
    if first.len() != again.len() {
        return vec!["receipts"];
    }
    let mut out = Vec::new();
    for (a, b) in first.iter().zip(again) {
        let others = rf::CARRIED
            .iter()
            .filter(|&&n| n != rf::AMOUNT_TOTAL && n != rf::ITEMS);
        for &n in others.clone() {
            let kept = match a.field(n) {
                Some(fa) if matches!(fa.certainty, Certainty::Sure(_)) => {
                    b.field(n).is_some_and(|fb| {
                        matches!(fb.certainty, Certainty::Sure(_)) && fb.value == fa.value
                    })
                }
                _ => true,
            };
            if !kept {
                out.push(n);
            }
        }
        let found = |d: &Document| others.clone().filter(|&&n| d.field(n).is_some()).count();
        if found(b) < found(a) {
            out.push("found");
        }
        if !same_total(a, b) {
            out.push(rf::AMOUNT_TOTAL);
        }
    }
    out
}

/// Whether `again`'s total is `first`'s, where `first`'s stood undoubted (read once, agreed or
/// sure): two readings of a total that differ make neither sure. A total `first` already doubted
/// (misread so nothing sums, disputed by the witness, a glyph repaired, not read) is no reading
/// to agree with. Seed 13 sub014: a till roll's 「税込合計 ¥77,000」 read by Tesseract, and
/// PP-OCRv6's lines paired 「お預り ¥80,000」 with a breakdown that summed to it through the change.
fn same_total(first: &Document, again: &Document) -> bool {
    match first.field(rf::AMOUNT_TOTAL) {
        Some(f) if !matches!(f.certainty, Certainty::Doubtful(_)) => {
            again.yen(rf::AMOUNT_TOTAL) == f.value.as_yen()
        }
        _ => true,
    }
}

/// When `page` (read by `by`, witnessed) carries a receipt whose money is not sure, or that has no
/// breakdown, and `rereader`
/// is loaded, reads the page again with PP-OCRv6 and builds it with `build` (line building and
/// second looks, as for the first). Tried in turn, each witnessed by Tesseract: `page` with its
/// lines of money replaced by PP-OCRv6's ([`with_money_of`]: the names, dates and course as
/// Tesseract read them), then PP-OCRv6's whole reading, then (where a gray stamp lies over the
/// money, [`stamped_band`]) the first with the stamp's rows read again on their own, its gray
/// dropped ([`without_stamp_ink`]) for PP-OCRv6 and the witness alike; the first whose money is
/// sure and that loses nothing of `page` ([`lost`]) is returned, else `page` as it was.
#[allow(clippy::too_many_arguments)]
pub fn reread_unsure_money(
    engines: &mut PageEngines,
    image: &GrayImage,
    red: Option<&RedChannel>,
    page: PageInput,
    by: ReadBy,
    extractor: &Extractor,
    hints: &Hints,
    build: impl FnOnce(&mut PageEngines, Recognized) -> Result<PageInput, OcrError>,
) -> Result<PageInput, OcrError> {
    let rereader = engines.rereader.clone();
    let (ReadBy::Tesseract, Some(rereader)) = (by, rereader) else {
        return Ok(page);
    };
    let first = receipts(&page, extractor, hints);
    // A receipt read with no breakdown at all is asked for one (a 補正依頼) however sure its
    // total: its page is read again too, lest a line the page's engine dropped be the breakdown
    // (seed 47 sub015: a till roll's 「受講料（第2回） ¥23,000」 between dashed rules, not read
    // by Tesseract, read by PP-OCRv6).
    let settled = |d: &Document| money_sure(d) && !d.items.is_empty();
    if first.is_empty() || first.iter().all(settled) {
        return Ok(page);
    }
    let again = build(engines, rereader.recognize(image)?)?;
    let merged = with_money_of(&page, &again.lines, extractor);
    let kept =
        |engines: &mut PageEngines, image: &GrayImage, how: &str, mut candidate: PageInput| {
            candidate.witnesses.clear();
            witness_totals(
                engines,
                ReadBy::Paddle,
                image,
                &mut candidate,
                extractor,
                hints,
            )?;
            let second = receipts(&candidate, extractor, hints);
            let sure = !second.is_empty() && second.iter().all(money_sure);
            let lost = lost(&first, &second);
            let totals: Vec<_> = second
                .iter()
                .map(|d| d.field(rf::AMOUNT_TOTAL).map(|f| f.certainty))
                .collect();
            tracing::debug!(
                page = page.number,
                how,
                money_sure = sure,
                ?totals,
                ?lost,
                "receipt money unsure after Tesseract's reading, read again by PP-OCRv6"
            );
            Ok::<_, OcrError>((sure && lost.is_empty()).then_some(candidate))
        };
    if let Some(kept) = kept(engines, image, "money lines", merged.clone())? {
        return Ok(kept);
    }
    if let Some(kept) = kept(engines, image, "whole page", again)? {
        return Ok(kept);
    }
    // Last, the rows a gray stamp lies over, read on their own with the stamp's ink dropped.
    if let Some(band) = stamped_band(&page, extractor) {
        let dropped = without_stamp_ink(image, &band, red);
        let (w, h) = dropped.dimensions();
        let (top, bottom) = (band.rows.0.min(h), band.rows.1.min(h));
        let crop = image::imageops::crop_imm(&dropped, 0, top, w, bottom - top).to_image();
        let words = rereader.recognize(&crop)?.words;
        let mut tokens = tokens_on_page(words, 0, top, 1.0);
        for t in &mut tokens {
            // A red stamp is gone from the red channel; a gray one leaves its darkest strokes.
            if band
                .stamps
                .iter()
                .any(|(b, ink)| *ink == Ink::Gray && b.overlaps(&t.bbox))
            {
                t.bbox = print_rows(&dropped, t.bbox);
            }
        }
        let lines = lines_from_tokens(tokens);
        let candidate = with_money_of(&merged, &lines, extractor);
        if let Some(kept) = kept(engines, &dropped, "under a stamp", candidate)? {
            return Ok(kept);
        }
    }
    Ok(page)
}

/// Rows of a page a gray stamp lies over, with the stamps' outlines.
#[derive(Debug, Clone, PartialEq, Eq)]
struct StampedBand {
    /// The first row and the row past the last.
    rows: (u32, u32),
    /// Each stamp's box, widened by two characters each way (the clustering finds a stamp cut by
    /// the print over it in part: seed 59 sub020, the lower two thirds of a 角印), and its ink.
    stamps: Vec<(BBox, Ink)>,
    /// The page is black and white (a fax): its stamps are specks of halftone, not gray.
    halftone: bool,
}

/// The rows of `page` where a large stamp lies over a line of money, taking in whole every line
/// its box touches; `None` where no stamp lies so.
///
/// Why: PP-OCRv6 reading the whole page loses such a row (seed 59 sub020: a gray 角印 over
/// 「800,000円」 and 「910,000円」; the detector, at a third of the page's size, found no box
/// for the total, and read the item 800,090), where it reads the rows alone, the stamp's ink
/// taken out ([`without_stamp_ink`]), exactly.
fn stamped_band(page: &PageInput, extractor: &Extractor) -> Option<StampedBand> {
    let ch = PageInput::char_height(&page.lines);
    let money = |l: &&TextLine| amount_on(l).is_some() || extractor.knows_label(&l.text());
    let stamps: Vec<(BBox, Ink)> = page
        .marks
        .seals
        .iter()
        .filter(|s| s.is_large(ch))
        .map(|s| {
            let b = BBox {
                x: s.bbox.x.saturating_sub(2 * ch),
                y: s.bbox.y.saturating_sub(2 * ch),
                w: s.bbox.w + 4 * ch,
                h: s.bbox.h + 4 * ch,
            };
            (b, s.ink)
        })
        .filter(|(b, _)| {
            page.lines.iter().filter(money).any(|l| {
                let middle = l.bbox.y + l.bbox.h / 2;
                (b.y..b.bottom()).contains(&middle) && l.bbox.x < b.right() && b.x < l.bbox.right()
            })
        })
        .collect();
    let mut rows = (
        stamps.iter().map(|(b, _)| b.y).min()?,
        stamps.iter().map(|(b, _)| b.bottom()).max()?,
    );
    // Whole lines only: a line the rows cut in half would read as another.
    for l in &page.lines {
        if l.bbox.y < rows.1 && rows.0 < l.bbox.bottom() {
            rows = (rows.0.min(l.bbox.y), rows.1.max(l.bbox.bottom()));
        }
    }
    let rows = (rows.0.saturating_sub(ch / 2), rows.1 + ch / 2);
    Some(StampedBand {
        rows,
        stamps,
        halftone: page.marks.capture == Capture::Binary,
    })
}

/// `image` with the stamps' ink taken out: within a red stamp's box, the page's red channel
/// (`red`, where it was kept), in which the stamp is nearly paper and the print under it whole;
/// within a gray stamp's, every pixel as light as [`STAMP_GRAY`] or lighter, so the dark print
/// under it stays; on a fax, the halftone's specks ([`crate::ink::without_halftone`]).
fn without_stamp_ink(image: &GrayImage, band: &StampedBand, red: Option<&RedChannel>) -> GrayImage {
    let mut out = image.clone();
    let (w, h) = out.dimensions();
    for (b, ink) in &band.stamps {
        if band.halftone {
            crate::ink::without_halftone(&mut out, b);
            continue;
        }
        for y in b.y..b.bottom().min(h) {
            for x in b.x..b.right().min(w) {
                let p = out.get_pixel_mut(x, y);
                match ink {
                    Ink::Red => {
                        if let Some(v) = red.and_then(|r| r.at(x, y)) {
                            p.0[0] = v;
                        }
                    }
                    _ if p.0[0] >= STAMP_GRAY => p.0[0] = 255,
                    _ => {}
                }
            }
        }
    }
    out
}

/// `b` narrowed to the rows of its print: the run of rows round the one crossing most strokes of
/// dark ink (darker than [`STAMP_GRAY`]) that each cross a quarter as many or more. The detector's box for
/// a line under a stamp takes in what the stamp's engraving leaves dark below it (seed 59 sub020:
/// 「910,000円」 boxed 56 pixels tall over 31 of digits), which the witness would read as digits.
fn print_rows(image: &GrayImage, b: BBox) -> BBox {
    let (w, h) = image.dimensions();
    let counts: Vec<u32> = (b.y..b.bottom().min(h))
        .map(|y| {
            // Strokes crossed, not dark pixels: a rule across the box is one.
            let dark = |x: u32| image.get_pixel(x, y).0[0] < STAMP_GRAY;
            (b.x..b.right().min(w))
                .filter(|&x| dark(x) && (x == b.x || !dark(x - 1)))
                .count() as u32
        })
        .collect();
    let Some((peak, &most)) = counts.iter().enumerate().max_by_key(|(_, &c)| c) else {
        return b;
    };
    if most == 0 {
        return b;
    }
    let inked = |i: usize| counts[i] * 4 >= most;
    let mut first = peak;
    while first > 0 && inked(first - 1) {
        first -= 1;
    }
    let mut last = peak;
    while last + 1 < counts.len() && inked(last + 1) {
        last += 1;
    }
    let margin = 2;
    let top = (b.y + first as u32).saturating_sub(margin).max(b.y);
    let bottom = (b.y + last as u32 + 1 + margin).min(b.bottom());
    BBox {
        y: top,
        h: bottom - top,
        ..b
    }
}

/// A stamp's ink on a gray scan is this light or lighter, print darker: the cut
/// [`crate::ink::without_seal_frames`] whites a frame's sides at.
const STAMP_GRAY: u8 = 100;

/// `page` (Tesseract's reading) with the lines `again` (PP-OCRv6's) reads money on — an amount, or
/// a label the lexicon knows (「合計」, 「入学金」 alone on its line, the amount below it) — in
/// place of Tesseract's lines at their height. The marks stay `page`'s (the same image's ink).
fn with_money_of(page: &PageInput, again: &[TextLine], extractor: &Extractor) -> PageInput {
    let money: Vec<&TextLine> = again
        .iter()
        .filter(|l| amount_on(l).is_some() || extractor.knows_label(&l.text()))
        .collect();
    let middle = |b: &BBox| b.y + b.h / 2;
    let replaced = |l: &TextLine| {
        money.iter().any(|m| {
            let (a, b) = (&l.bbox, &m.bbox);
            (b.y..b.bottom()).contains(&middle(a)) || (a.y..a.bottom()).contains(&middle(b))
        })
    };
    let mut lines: Vec<TextLine> = page
        .lines
        .iter()
        .filter(|l| !replaced(l))
        .cloned()
        .chain(money.iter().map(|&l| l.clone()))
        .collect();
    lines.sort_by_key(|l| (l.bbox.y, l.bbox.x));
    PageInput {
        lines,
        witnesses: Vec::new(),
        ..page.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Field, Item, ItemCategory, Value};

    fn receipt(total: Option<(i64, Certainty)>, items: &[i64], payer: Certainty) -> Document {
        let mut d = Document::unreadable("r.png", "");
        d.kind = DocKind::Receipt;
        d.findings.clear();
        let field = |value, certainty| Field {
            value,
            confidence: 0.95,
            certainty,
            bbox: None,
            page: Some(1),
        };
        if let Some((yen, c)) = total {
            d.fields
                .insert(rf::AMOUNT_TOTAL.into(), field(Value::Yen(yen), c));
        }
        d.fields.insert(
            rf::PAYER_NAME.into(),
            field(Value::Text("山下 沙織".into()), payer),
        );
        d.items = items
            .iter()
            .map(|&amount| Item {
                label: "受講料".into(),
                amount,
                category: ItemCategory::Tuition,
                confidence: 0.95,
                certainty: Certainty::Read,
                bbox: None,
            })
            .collect();
        d
    }

    #[test]
    fn money_is_sure_only_when_a_second_engine_confirmed_a_breakdown() {
        let sure = Certainty::Sure(Check::Breakdown);
        assert!(money_sure(&receipt(
            Some((139_000, sure)),
            &[20_000, 119_000],
            Certainty::Read
        )));
        // The total as read once, or doubted, or without a breakdown that sums: not sure.
        assert!(!money_sure(&receipt(
            Some((139_000, Certainty::Read)),
            &[139_000],
            Certainty::Read
        )));
        let doubtful = Certainty::Doubtful(crate::document::Doubt::DoesNotSum);
        assert!(!money_sure(&receipt(
            Some((139_009, doubtful)),
            &[20_000],
            Certainty::Read
        )));
        assert!(!money_sure(&receipt(None, &[20_000], Certainty::Read)));
    }

    #[test]
    fn a_total_without_a_breakdown_is_sure_only_when_two_engines_read_it_alike() {
        let agreed = receipt(Some((187_000, Certainty::Agreed)), &[], Certainty::Read);
        assert!(money_sure(&agreed));
        assert!(!money_sure(&receipt(
            Some((187_000, Certainty::Read)),
            &[],
            Certainty::Read
        )));
        // A breakdown printed but not read is no absent breakdown.
        let mut unread = agreed;
        unread
            .findings
            .push(crate::document::Finding::unread(rf::ITEMS, "内訳"));
        assert!(!money_sure(&unread));
    }

    #[test]
    fn the_second_reading_must_keep_every_field_the_first_read_surely() {
        let sure_name = Certainty::Sure(Check::Application);
        let first = [receipt(None, &[], sure_name)];
        let money = Some((139_000, Certainty::Sure(Check::Breakdown)));
        // The name read as surely, money now sure: kept.
        assert!(keeps_the_rest(
            &first,
            &[receipt(money, &[139_000], sure_name)]
        ));
        // The name only read once in the second reading: Tesseract's stands.
        assert!(!keeps_the_rest(
            &first,
            &[receipt(money, &[139_000], Certainty::Read)]
        ));
        // The name lost altogether.
        let mut lost = receipt(money, &[139_000], sure_name);
        lost.fields.remove(rf::PAYER_NAME);
        assert!(!keeps_the_rest(&first, &[lost]));
        // A receipt more or less on the page: not the same page's reading.
        assert!(!keeps_the_rest(&first, &[]));
        // A total the first reading gave undoubted, read otherwise the second time: no agreement.
        let read_once = [receipt(Some((77_000, Certainty::Read)), &[], sure_name)];
        assert!(!keeps_the_rest(
            &read_once,
            &[receipt(
                Some((80_000, Certainty::Sure(Check::Breakdown))),
                &[77_000, 3_000],
                sure_name
            )]
        ));
        assert!(keeps_the_rest(
            &read_once,
            &[receipt(
                Some((77_000, Certainty::Sure(Check::Breakdown))),
                &[77_000],
                sure_name
            )]
        ));
        // A total the first reading already doubted is no reading to agree with.
        let doubted = [receipt(
            Some((
                567_909,
                Certainty::Doubtful(crate::document::Doubt::DoesNotSum),
            )),
            &[10_006, 77_966],
            sure_name,
        )];
        assert!(keeps_the_rest(
            &doubted,
            &[receipt(
                Some((87_000, Certainty::Sure(Check::Breakdown))),
                &[10_000, 77_000],
                sure_name
            )]
        ));
    }

    #[test]
    fn the_money_lines_are_the_second_readings_and_the_rest_the_firsts() {
        let page = |text: &[&str]| PageInput {
            number: 1,
            lines: crate::extract::layout::lines_from_text(
                &text.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            ),
            ..PageInput::default()
        };
        // Tesseract: the name and course read well, the breakdown lost or misread.
        let first = page(&[
            "領 収 書",
            "山下 沙織 殿",
            "研修名 保育士資格取得講座",
            "",
            "受講料 ¥1O8,0O6",
            "",
            "合 計 ¥139,OOO",
        ]);
        // PP-OCRv6: the breakdown read, the course's label glued on.
        let again = page(&[
            "領収書",
            "お名前山下沙織殿",
            "研修名:保育士資格取得講座",
            "入学金 ¥20,000",
            "受講料 ¥108,000",
            "補講費 ¥11,000",
            "合計 ¥139,000",
        ]);
        let merged = with_money_of(&first, &again.lines, &Extractor::default());
        let texts: Vec<String> = merged.lines.iter().map(|l| l.text()).collect();
        assert_eq!(
            texts,
            [
                "領 収 書",
                "山下 沙織 殿",
                "研修名 保育士資格取得講座",
                "入学金 ¥20,000",
                "受講料 ¥108,000",
                "補講費 ¥11,000",
                "合計 ¥139,000",
            ]
        );
    }

    /// A receipt drawn round `fixture`'s rows (set at y = `y`), on paper of `paper` gray, made
    /// black and white (as a fax sends it) where `binary`, in colour where the fixture is, read
    /// as `run` reads a page.
    fn read_with_rows(fixture: &str, y: u32, paper: u8, binary: bool) -> (PageInput, Document) {
        use crate::ocr::testpage::{draw, font};
        use crate::ocr::{Models, PaddleModels};
        use crate::reading::read_image_page;
        use image::{DynamicImage, Luma};

        let paddle = PaddleModels::locate(None).expect("PP-OCRv6 installed (scripts/setup.sh)");
        let models = Models::locate(None).expect("models").with_witness(paddle);
        let mut engines = PageEngines::new(&models).expect("engines");
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let font = font();
        let mut img = GrayImage::from_pixel(1654, 2339, Luma([paper]));
        let printed = [
            ("領 収 書", 690.0, 180.0, 48.0),
            ("受領日 令和6年3月20日", 1080.0, 262.0, 30.0),
            ("宛名 山本 優子 様", 160.0, 322.0, 34.0),
            ("下記のとおり領収いたしました。", 160.0, 368.0, 28.0),
            ("青葉パソコン教室 高崎校", 740.0, 912.0, 34.0),
            (
                "〒319-5468 埼玉県さいたま市浦和区1丁目16番12号",
                740.0,
                966.0,
                26.0,
            ),
            ("TEL 023-000-7396", 740.0, 1022.0, 26.0),
            ("校長 森 雅之", 740.0, 1062.0, 28.0),
        ];
        for (text, x, y, px) in printed {
            draw(&mut img, &font, text, x, y, px);
        }
        if binary {
            for p in img.pixels_mut() {
                p.0[0] = if p.0[0] < 128 { 0 } else { 255 };
            }
        }
        let path = format!("{}/tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
        let rows = image::open(path).expect("fixture");
        let page = match rows {
            DynamicImage::ImageRgb8(rows) => {
                let mut img = DynamicImage::ImageLuma8(img).to_rgb8();
                image::imageops::replace(&mut img, &rows, 100, i64::from(y));
                DynamicImage::ImageRgb8(img)
            }
            rows => {
                image::imageops::replace(&mut img, &rows.to_luma8(), 100, i64::from(y));
                DynamicImage::ImageLuma8(img)
            }
        };
        let page = read_image_page(&mut engines, 1, page, &extractor, &hints).expect("reads");
        let doc = receipts(&page, &extractor, &hints)
            .pop()
            .expect("a receipt");
        (page, doc)
    }

    /// The receipt [`read_with_rows`] reads: its total `total` and breakdown `items`, sure.
    fn reads_surely(fixture: &str, y: u32, paper: u8, binary: bool, total: i64, items: &[i64]) {
        let (page, doc) = read_with_rows(fixture, y, paper, binary);
        let texts: Vec<String> = page.lines.iter().map(|l| l.text()).collect();
        assert_eq!(doc.yen(rf::AMOUNT_TOTAL), Some(total), "{texts:?}");
        let read: Vec<i64> = doc.items.iter().map(|i| i.amount).collect();
        assert_eq!(read, items);
        assert!(money_sure(&doc), "{:?}", doc.field(rf::AMOUNT_TOTAL));
    }

    /// Seed 59 sub020, a gray scan: a gray 角印 over 「800,000円」 and 「910,000円」
    /// (`tests/fixtures/rows-under-a-gray-square-stamp.png`, those rows as scanned), set into a
    /// drawn receipt. Tesseract read the item 「8000g6」 and no total; PP-OCRv6 reading the page
    /// whole boxed no total and read the item 800,090. Read again on their own, the stamp's gray
    /// dropped, the rows give a breakdown that sums to the total the witness reads alike.
    #[test]
    fn rows_under_a_gray_stamp_are_read_again_on_their_own_with_the_stamps_gray_dropped() {
        reads_surely(
            "rows-under-a-gray-square-stamp.png",
            440,
            251,
            false,
            910_000,
            &[110_000, 800_000],
        );
    }

    /// Seed 7 sub030, a fax: a 角印 in halftone over 「14,420円」 and 「338,420円」
    /// (`tests/fixtures/fax-rows-under-a-square-stamp.png`). PP-OCRv6 read the breakdown, but the
    /// witness read the total 「338, A208」 through the stamp's specks. With the specks taken out
    /// of the stamp's rows, both engines read 338,420.
    #[test]
    fn rows_under_a_stamp_on_a_fax_are_read_again_with_its_halftone_taken_out() {
        reads_surely(
            "fax-rows-under-a-square-stamp.png",
            420,
            255,
            true,
            338_420,
            &[11_000, 313_000, 14_420],
        );
    }

    /// Seed 23 sub039, a colour scan: a red 領収印 over 「81,000円」 and 「¥81,000-」 in Mincho
    /// (`tests/fixtures/colour-rows-under-a-red-stamp.jpg`). With its red dropped, the page keeps
    /// the stamp's pale edges and the digits its strokes crossed come apart: the total was read
    /// 1,000 by PP-OCRv6. In the page's red channel the stamp is nearly paper, and both engines
    /// read 81,000.
    #[test]
    fn rows_under_a_red_stamp_are_read_again_in_the_pages_red_channel() {
        reads_surely(
            "colour-rows-under-a-red-stamp.jpg",
            400,
            252,
            false,
            81_000,
            &[81_000],
        );
    }
}
