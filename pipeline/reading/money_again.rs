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
use super::page::PageEngines;
use super::witness::witness_totals;
use crate::document::{receipt_fields as rf, BBox, Certainty, Check, DocKind, Document};
use crate::extract::layout::TextLine;
use crate::extract::read::amount_on;
use crate::extract::{Extractor, Hints, PageInput};
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

/// When `page` (read by `by`, witnessed) carries a receipt whose money is not sure and `rereader`
/// is loaded, reads the page again with PP-OCRv6 and builds it with `build` (line building and
/// second looks, as for the first). Tried in turn, each witnessed by Tesseract: `page` with its
/// lines of money replaced by PP-OCRv6's ([`with_money_of`]: the names, dates and course as
/// Tesseract read them), then PP-OCRv6's whole reading; the first whose money is sure and that
/// loses nothing of `page` ([`lost`]) is returned, else `page` as it was.
pub fn reread_unsure_money(
    engines: &mut PageEngines,
    image: &GrayImage,
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
    if first.is_empty() || first.iter().all(money_sure) {
        return Ok(page);
    }
    let again = build(engines, rereader.recognize(image)?)?;
    let merged = with_money_of(&page, &again, extractor);
    for (how, mut candidate) in [("money lines", merged), ("whole page", again)] {
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
        if sure && lost.is_empty() {
            return Ok(candidate);
        }
    }
    Ok(page)
}

/// `page` (Tesseract's reading) with the lines `again` (PP-OCRv6's) reads money on — an amount, or
/// a label the lexicon knows (「合計」, 「入学金」 alone on its line, the amount below it) — in
/// place of Tesseract's lines at their height. The marks stay `page`'s (the same image's ink).
fn with_money_of(page: &PageInput, again: &PageInput, extractor: &Extractor) -> PageInput {
    let money: Vec<&TextLine> = again
        .lines
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
        let merged = with_money_of(&first, &again, &Extractor::default());
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
}
