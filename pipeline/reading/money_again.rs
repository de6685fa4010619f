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

use super::fallback::{ReadBy, Rereader};
use crate::document::{receipt_fields as rf, Certainty, Check, DocKind, Document};
use crate::extract::{Extractor, Hints, PageInput};
use crate::ocr::{OcrError, Recognized};

/// Whether a receipt's money stands surely: a total and a breakdown that sums to it, confirmed by
/// a second engine (or given as data).
fn money_sure(doc: &Document) -> bool {
    doc.field(rf::AMOUNT_TOTAL).is_some_and(|f| {
        matches!(
            f.certainty,
            Certainty::Sure(Check::Breakdown | Check::Given)
        )
    }) && !doc.items.is_empty()
}

/// The receipts `extractor` finds on `page`.
fn receipts(page: &PageInput, extractor: &Extractor, hints: &Hints) -> Vec<Document> {
    extractor
        .extract_with("", std::slice::from_ref(page), hints)
        .into_iter()
        .filter(|d| d.kind == DocKind::Receipt)
        .collect()
}

/// Whether `again`'s receipts keep what `first`'s had surely: as many receipts, each carried field
/// (but the money) that was sure in `first` sure in `again` with the same value, and at least as
/// many carried fields found.
fn keeps_the_rest(first: &[Document], again: &[Document]) -> bool {
    if first.len() != again.len() {
        return false;
    }
    first.iter().zip(again).all(|(a, b)| {
        let others = rf::CARRIED
            .iter()
            .filter(|&&n| n != rf::AMOUNT_TOTAL && n != rf::ITEMS);
        let sure_kept = others.clone().all(|&n| match a.field(n) {
            Some(fa) if matches!(fa.certainty, Certainty::Sure(_)) => {
                b.field(n).is_some_and(|fb| {
                    matches!(fb.certainty, Certainty::Sure(_)) && fb.value == fa.value
                })
            }
            _ => true,
        });
        let found = |d: &Document| others.clone().filter(|&&n| d.field(n).is_some()).count();
        sure_kept && found(b) >= found(a)
    })
}

/// When `page` (read by `by`, witnessed) carries a receipt whose money is not sure and `rereader`
/// is loaded, reads the page again with PP-OCRv6 and builds it with `build` (line building, second
/// looks and the witness, as for the first); returns PP-OCRv6's reading when its money is sure and
/// it keeps the rest ([`keeps_the_rest`]), else `page` as it was.
pub fn reread_unsure_money(
    rereader: Option<&Rereader>,
    image: &GrayImage,
    page: PageInput,
    by: ReadBy,
    extractor: &Extractor,
    hints: &Hints,
    build: impl FnOnce(Recognized) -> Result<PageInput, OcrError>,
) -> Result<(PageInput, ReadBy), OcrError> {
    let (ReadBy::Tesseract, Some(rereader)) = (by, rereader) else {
        return Ok((page, by));
    };
    let first = receipts(&page, extractor, hints);
    if first.is_empty() || first.iter().all(money_sure) {
        return Ok((page, by));
    }
    let again = build(rereader.recognize(image)?)?;
    let second = receipts(&again, extractor, hints);
    let sure = !second.is_empty() && second.iter().all(money_sure);
    let rest = keeps_the_rest(&first, &second);
    let kept = sure && rest;
    tracing::debug!(
        page = page.number,
        money_sure = sure,
        keeps_the_rest = rest,
        kept,
        certainty = ?second
            .iter()
            .map(|d| d.field(rf::AMOUNT_TOTAL).map(|f| f.certainty))
            .collect::<Vec<_>>(),
        "receipt money unsure after Tesseract's reading, page read again by PP-OCRv6"
    );
    Ok(if kept {
        (again, ReadBy::Paddle)
    } else {
        (page, by)
    })
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
        // The total as read once, or doubted, or without a breakdown: not sure.
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
        assert!(!money_sure(&receipt(
            Some((139_000, sure)),
            &[],
            Certainty::Read
        )));
        assert!(!money_sure(&receipt(None, &[20_000], Certainty::Read)));
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
    }
}
