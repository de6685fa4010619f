//! The grid look: a certificate set out as a ruled table whose rows were not all read is read
//! again with the table's rules erased ([`grid_look`]).
//!
//! Called by [`crate::reading::read_image_page`] first among the looks, on the lines of the first
//! reading; the rule finder is `extract::marks`'s, the verdict the extractor's.

use image::GrayImage;

use crate::document::{certificate_fields as cf, DocKind};
use crate::extract::layout::{lines_from_tokens, TextLine};
use crate::extract::{Extractor, Hints};
use crate::ocr::{Engine, OcrError};

use super::documents_of;
use crate::reading::lines::tokens_on_page;

/// The certificate fields a grid look tries to recover (the ones a table's rows carry).
const TABLE_FIELDS: [&str; 5] = [
    cf::TRAINEE_NAME,
    cf::BIRTH_DATE,
    cf::COURSE_NAME,
    cf::STARTED_ON,
    cf::COMPLETED_ON,
];

/// A certificate page set out as a ruled table whose rows were not all read: Tesseract's layout
/// analysis drops a ruled table's cells whole at times (a table-style 修了証明書's 講座名 and
/// dates). The page is read again with the table's rules erased ([`crate::ink::erase_rules`]), and the
/// new lines are kept when they give more of the table's fields. Receipts are not looked at so:
/// their underlines and boxes read better left as they are. Returns whether lines were replaced.
pub fn grid_look(
    engine: &mut Engine,
    image: &GrayImage,
    lines: &mut Vec<TextLine>,
    extractor: &Extractor,
    hints: &Hints,
) -> Result<bool, OcrError> {
    let found = |lines: &[TextLine]| {
        documents_of(lines, extractor, hints)
            .iter()
            .filter(|d| d.kind == DocKind::CompletionCertificate)
            .map(|d| {
                TABLE_FIELDS
                    .iter()
                    .filter(|f| d.fields.contains_key(**f))
                    .count()
            })
            .max()
    };
    let before = match found(lines) {
        Some(n) if n < TABLE_FIELDS.len() => n,
        _ => return Ok(false),
    };
    let mut unruled = image.clone();
    if crate::ink::erase_rules(&mut unruled).is_none() {
        return Ok(false);
    }
    let read = engine.recognize(&unruled)?;
    drop(unruled);
    let again = lines_from_tokens(tokens_on_page(read.words, 0, 0, 1.0));
    if found(&again).is_some_and(|n| n > before) {
        tracing::debug!("grid look read more of the certificate's table");
        *lines = again;
        return Ok(true);
    }
    Ok(false)
}
