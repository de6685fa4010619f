//! Second looks: parts of a page read again, while its image is still in memory, when the first
//! reading does not agree with what the rest of the submission says. Nothing read a second time is
//! taken unless it passes a cross-check the first reading failed; otherwise the first reading stands
//! and the extractor decides exactly as before.
//!
//! - **Known texts** ([`second_look`], in [`second`]; what a line may be a misreading of is
//!   [`names`]). Tesseract misreads single glyphs of names and titles (隆→際, 遠→速, 簿→澄 in the
//!   corpus), and which glyph changes with the scale and crop: the 「中村 隆」 line reads 「中村際」
//!   on the page and 「中村 隆」 cropped at half size. A line within a few characters of a name,
//!   course or institution the application gives (or with a name label but not the name, or a
//!   labelled date other than the application's) is read alone (`--psm 7`) at a few scales, and
//!   replaced only by a reading that carries the known text verbatim (up to the look-alikes the
//!   extractor allows): no scale turns 「山本 健」 into 「山本 綾香」, so someone else's receipt keeps
//!   its name; when every reading gives that other name alike, it is read as sure (agreed), so a
//!   receipt made out to someone else is told apart from a misread one. A date read only with a
//!   repaired era (信和 for 令和) is written back plainly when a reading alone gives the same date.
//! - **Print the layout analysis dropped** ([`lost_look`], in [`lost`]). A receipt or certificate
//!   lacking a field it must carry has the ink no word covers read a band at a time.
//!   When a field is still lacking after the other looks and PP-OCRv6's recognizer is loaded, the
//!   same bands are read by it ([`paddle_lost_look`]).
//! - **Ruled tables** ([`grid_look`], in [`grid`]). A certificate set out as a ruled table whose
//!   rows were not all read is read again with the table's rules erased; the new reading is kept
//!   when it gives more of the table's fields.
//! - **Seals** ([`seal_look`], in [`seal`]). Layout analysis often drops a stamp together with the
//!   name under it; when the application's institution is nowhere on the page, each large seal's
//!   neighbourhood is read as a block, then each doubtful line alone, and a reading is kept only if
//!   the institution is then found.
//! - **Issue dates** (the date look, in [`date`]). On a receipt where no date was read, the lines
//!   near the top that look dated are read again by the English model, at other scales and in date
//!   glyphs alone (no kana for a digit to be misread as); a date two readings give alike is written
//!   back plainly (「2025/03/68」 read by `jpn` is 2025/03/08 to `eng`).
//! - **Money** (in [`money`], then [`table`] with [`corrected`], [`boxes`], and the sparse look in
//!   [`money`]). The Japanese model reads handwritten and rounded digits poorly (0→9, 000→666 on
//!   pad receipts); the English one reads them well but not the kanji around them. On a receipt
//!   whose breakdown does not sum, each line of money is read by the English model (and,
//!   unlabelled, by the Japanese one at other scales), with each digit whose glyph has a zero's
//!   holes read as 0 (a slashed or rounded 0 read as 6 or 9), and the fewest changes that make the
//!   breakdown sum exactly to the total are kept; failing that, a ruled breakdown is read row by
//!   row without its rules, a boxed one as a block, and the page as sparse text, and their lines of
//!   money are tried the same way. A misread digit gets through only if a second, independent
//!   misread makes the sum come out exactly.
//! - **Doubtful lines, by PP-OCRv6** ([`paddle_look`], in [`paddle`]). When Tesseract read the
//!   page, the lines a doubtful key field rests on (a breakdown line the lexicon does not name, the
//!   payer's name, a certificate's trainee, course and issuer, a date not sure or not read) are
//!   read again by PP-OCRv6's recognizer, and a reading is kept where its amounts read the same
//!   and the extractor reads the page better with it (after the money looks, so the amounts
//!   compared are the corrected ones).
//!
//! Called by [`super::page::read_image_page`], in the order above, for each image page; not here:
//! the first reading ([`super::page`]), the witness of a receipt's total ([`super::witness`]), and
//! what any reading means (the extractor, which every look asks).

mod boxes;
mod corrected;
mod date;
mod grid;
mod listed;
mod lost;
mod money;
mod names;
mod paddle;
mod seal;
mod second;
mod table;
#[cfg(test)]
mod testkit;

pub use grid::grid_look;
pub use lost::{lost_look, paddle_lost_look};
pub use paddle::paddle_look;
pub use seal::seal_look;
pub use second::second_look;

use image::GrayImage;

use crate::document::{receipt_fields as rf, BBox, Certainty, DocKind, Document, Doubt};
use crate::extract::layout::TextLine;
use crate::extract::{marks, Extractor, Hints, PageInput};
use std::sync::Mutex;

use crate::ocr::paddle::LineReader;
use crate::ocr::{Engine, OcrError};

use boxes::box_look;
use date::date_look;
use listed::list_look;
use money::{money_look, sparse_look};
use table::table_look;

/// Scales a doubtful line is read at, in order, until one reading carries the known text. On the
/// seed-7 corpus (`make accuracy`, `KYUFU_LOG=kyufu=debug`) 88 lines were looked at and 53 confirmed:
/// 41 at 1.0 (the line alone), 10 at 0.5, 2 at 0.7, none at 1.4 (so it is not tried).
const SCALES: &[f32] = &[1.0, 0.5, 0.7];

/// A page of `lines` alone (no marks), for asking the extractor what they give.
fn page_of(lines: &[TextLine]) -> PageInput {
    PageInput {
        number: 1,
        lines: lines.to_vec(),
        marks: marks::Marks::default(),
        text_layer: false,
        witnesses: Vec::new(),
    }
}

/// What the extractor reads on a page of `lines` alone ([`page_of`]): how the page looks judge a
/// new reading of the lines against the first.
fn documents_of(lines: &[TextLine], extractor: &Extractor, hints: &Hints) -> Vec<Document> {
    extractor.extract_with("", &[page_of(lines)], hints)
}

/// What the receipt's date and money looks read with and check against: the page's engines, its
/// image (as the page was read), the extractor whose cross-check decides, and the application's
/// hints.
pub struct ReceiptLook<'a> {
    pub text: &'a mut Engine,
    pub digits: &'a mut Engine,
    pub image: &'a GrayImage,
    /// Whether the page's stamps are gray (no red ink was dropped from it), so a 訂正印 on a
    /// struck value is looked for as a gray ring ([`crate::ink::ring_over`]).
    pub gray_stamps: bool,
    /// PP-OCRv6's recognizer, when loaded: a third reading of a value written above a strike
    /// ([`corrected::value_above`]), which a 訂正印 over it spoils for Tesseract.
    pub witness: Option<&'a Mutex<LineReader>>,
    pub extractor: &'a Extractor,
    pub hints: &'a Hints,
}

impl ReceiptLook<'_> {
    /// A receipt page's issue date when none was read ([`date_look`]); then its money when the
    /// breakdown does not sum: re-read line by line ([`money_look`]), then, failing that, its ruled
    /// table read alone without its rules ([`table_look`]), a listed breakdown's rows round a
    /// struck value read alone ([`list_look`]), then each ruled box read alone
    /// ([`box_look`]), then a sparse reading of the page ([`sparse_look`]). Returns whether the page
    /// was changed.
    pub fn run(&mut self, page: &mut PageInput) -> Result<bool, OcrError> {
        let dated = date_look(self, page)?;
        Ok(money_look(self, page)?
            || table_look(self, page)?
            || list_look(self, page)?
            || box_look(self, page)?
            || sparse_look(self, page)?
            || dated)
    }
}

/// Whether the centre of `b` lies in `area`.
fn centred_in(b: &BBox, area: &BBox) -> bool {
    let (cx, cy) = (b.x + b.w / 2, b.y + b.h / 2);
    cx >= area.x && cx < area.right() && cy >= area.y && cy < area.bottom()
}

/// A receipt page whose breakdown was not read or does not sum to its total.
fn unsummed_receipt(page: &PageInput, extractor: &Extractor, hints: &Hints) -> bool {
    let docs = extractor.extract_with("", std::slice::from_ref(page), hints);
    docs.iter().any(|d| d.kind == DocKind::Receipt) && !docs.iter().any(breakdown_sums)
}

/// A receipt whose breakdown was read and sums to its total (the extractor's cross-check, before
/// the witness has read the total: whether it agrees is the extractor's question, not the looks').
fn breakdown_sums(doc: &Document) -> bool {
    doc.kind == DocKind::Receipt
        && !doc.items.is_empty()
        && doc.fields.get(rf::AMOUNT_TOTAL).is_some_and(|f| {
            // A total read, not the breakdown's own sum standing in for one, nor an amount no
            // total's label introduces.
            f.certainty != Certainty::Doubtful(Doubt::Inferred)
                && f.certainty != Certainty::Doubtful(Doubt::Unlabelled)
                && f.value
                    .as_yen()
                    .is_some_and(|total| crate::document::breakdown_sums_to(&doc.items, total))
        })
}
