//! extract: lines of text (with their boxes) and marks → typed documents.
//!
//! Each page is classified by the words a document of that kind always carries (領収, 修了証明 …);
//! pages without a title continue the document before them. A reader per kind then takes the
//! fields of DESIGN.md's contract from label–value pairs, and cross-checks move confidence: the
//! breakdown must sum to the total, dates must be real dates, amounts must parse cleanly. Tesseract's
//! word confidence is only a starting point (NOTES-OCR.md: it stays near 80 on badly read pages).
//!
//! This module neither decodes nor recognises: `run` gives it [`PageInput`]s made by `ocr` (or from a
//! digital PDF's text layer). It never decides anything about entitlement.

mod absence;
pub use absence::TILL_RECEIPT;
#[cfg(test)]
mod absence_tests;
mod certificate;
mod fields;
mod hints;
pub mod layout;
pub mod lexicon;
pub mod marks;
pub mod normalize;
pub mod read;
mod receipt;
#[cfg(test)]
mod tests;
mod witnessed;

use std::collections::BTreeMap;

use crate::document::{
    certificate_fields as cf, receipt_fields as rf, BBox, Certainty, Check, DocKind, Document,
    Doubt, Field, Finding, Item, ItemCategory, Value,
};

use layout::TextLine;
use lexicon::{LabelClass, Lexicon};
use marks::Marks;
use normalize::{compact, Reading};
use read::{after_label, before_marker, clean_name, dates_on, value_for, with_reading, Span};

use certificate::read_certificate;
use fields::{
    body_dates_all, find_course, find_date, find_issuer, find_name, read_marks, unread_date,
    PAYER_LABELS, RECEIPT_DATE_LABELS,
};

pub use hints::Hints;

/// One page as the extractor sees it.
#[derive(Debug, Clone, Default)]
pub struct PageInput {
    /// 1-based page number in the source file.
    pub number: u32,
    pub lines: Vec<TextLine>,
    pub marks: Marks,
    /// True for a digital PDF's text layer: there is no image, so no seal can be seen.
    pub text_layer: bool,
    /// What an engine other than the page's read in the boxes of the values a check rests on (a
    /// receipt's total, its breakdown's amounts): the check is independent of the page's engine
    /// only where they agree.
    pub witnesses: Vec<Witnessed>,
}

/// A field's box read again by a second engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Witnessed {
    /// The box the page's engine read the value in.
    pub bbox: BBox,
    /// What the second engine read there.
    pub text: String,
    /// What the box holds: a receipt's total (or the rest of a total's line), or one breakdown
    /// line's amount.
    pub of: WitnessOf,
}

/// What a [`Witnessed`] box holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WitnessOf {
    Total,
    Item,
}

impl PageInput {
    /// Median character height over the page's lines (the scale marks are measured in).
    pub fn char_height(lines: &[TextLine]) -> u32 {
        let mut hs: Vec<u32> = lines.iter().map(|l| l.char_height()).collect();
        if hs.is_empty() {
            return 30;
        }
        hs.sort_unstable();
        hs[hs.len() / 2]
    }
}

/// What Tesseract makes of 様 (or 殿) after a name on some receipts.
pub const HONORIFIC_MISREADS: &[&str] = &["欄", "様", "殿", "楼", "標", "樣", "棟"];

/// The extractor, holding its lexicon.
#[derive(Debug, Clone)]
pub struct Extractor {
    lexicon: Lexicon,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor {
            lexicon: Lexicon::embedded(),
        }
    }
}

/// Legal-person prefixes (法人格) that begin an institution's printed name.
const HOJINKAKU: &[&str] = &[
    "学校法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "社会福祉法人",
    "医療法人",
    "特定非営利活動法人",
    "NPO法人",
    "国立大学法人",
    "公立大学法人",
    "独立行政法人",
];

impl Extractor {
    pub fn new(lexicon: Lexicon) -> Extractor {
        Extractor { lexicon }
    }

    /// Whether `label` (the words before an amount) says what the amount is: a breakdown line the
    /// lexicon knows, or the total (金 …, ¥ …, … 也).
    pub fn knows_label(&self, label: &str) -> bool {
        let t = compact(label);
        self.lexicon.classify(&t).is_some()
            || t.starts_with('金')
            || t.starts_with('¥')
            || t.contains('也')
    }

    /// Whether `label` is the total's (合計, 領収金額 …).
    pub fn is_total_label(&self, label: &str) -> bool {
        self.lexicon.classify(&compact(label)) == Some(LabelClass::Total)
    }

    /// Classifies a page by the words its kind always carries.
    pub fn classify(&self, page: &PageInput) -> Option<DocKind> {
        let text: String = page.lines.iter().map(|l| compact(&l.text())).collect();
        let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
        if has(&["送付状"]) {
            Some(DocKind::CoverSheet)
        } else if has(&["修了証明", "修了証", "修了したこと", "修了を証明"]) {
            Some(DocKind::CompletionCertificate)
        } else if has(&["在籍証明"]) {
            Some(DocKind::EnrollmentCertificate)
        } else if has(&["出席状況"]) {
            Some(DocKind::AttendanceReport)
        } else if has(&["支給申請書"]) {
            Some(DocKind::Application)
        } else if has(&[
            "領収",
            "契約証明",
            "領收",
            "クレジット契約",
            "契約額",
            "収証",
            "収書",
            "上記正に",
        ]) {
            // A クレジット契約証明書 whose title is misread still names its contract amount; a
            // 領収証 whose 領 is misread everywhere (「可収証」, 「儲収」) still says 「上記正に」.
            Some(DocKind::Receipt)
        } else {
            None
        }
    }

    /// Reads every document in one file's pages.
    pub fn extract(&self, source: &str, pages: &[PageInput]) -> Vec<Document> {
        self.extract_with(source, pages, &Hints::default())
    }

    /// Reads every document in one file's pages, confirming names against `hints`.
    pub fn extract_with(&self, source: &str, pages: &[PageInput], hints: &Hints) -> Vec<Document> {
        let mut groups: Vec<(DocKind, Vec<&PageInput>)> = Vec::new();
        for page in pages {
            match (self.classify(page), groups.last_mut()) {
                (Some(kind), _) => groups.push((kind, vec![page])),
                // A page with no title continues the document before it.
                (None, Some(last)) => last.1.push(page),
                (None, None) => groups.push((DocKind::Unknown, vec![page])),
            }
        }
        groups
            .into_iter()
            .map(|(kind, pages)| self.read_document(source, kind, &pages, hints))
            .collect()
    }

    fn read_document(
        &self,
        source: &str,
        kind: DocKind,
        pages: &[&PageInput],
        hints: &Hints,
    ) -> Document {
        let mut doc = Document {
            source: source.to_string(),
            pages: pages.iter().map(|p| p.number).collect(),
            kind,
            fields: BTreeMap::new(),
            items: Vec::new(),
            findings: Vec::new(),
        };
        match kind {
            DocKind::Receipt => self.read_receipt(&mut doc, pages, hints),
            DocKind::CompletionCertificate => read_certificate(&mut doc, pages, hints),
            _ => {}
        }
        absence::mark_unsure_absences(&mut doc, pages, &self.lexicon, hints);
        doc
    }
}

/// An amount read on a line: value, how it was read, its first token, its span.
type AmountRead = (i64, Reading, usize, Span);

/// Records a field read from `span` on page `page`, with the span's score and verdict.
fn put(doc: &mut Document, page: u32, name: &str, value: Value, span: &Span) {
    doc.fields.insert(
        name.to_string(),
        Field {
            value,
            confidence: span.confidence.clamp(0.0, 1.0),
            certainty: span.certainty,
            bbox: span.bbox,
            page: Some(page),
        },
    );
}

/// Sum of the breakdown with deductions (subsidies, refunds) taken off.
fn signed_sum(items: &[Item]) -> i64 {
    items
        .iter()
        .map(|i| {
            if i.category == ItemCategory::Subsidy {
                -i.amount
            } else {
                i.amount
            }
        })
        .sum()
}

/// 「（内消費税 9,000円）」 restates part of a line above; it is not a line of its own.
fn informational(label: &str) -> bool {
    let t = compact(label);
    t.starts_with("内") || t.starts_with("(内") || t.starts_with("うち") || t.starts_with("(うち")
}

fn clean_label(label: &str) -> String {
    label
        .trim_matches(|c: char| c.is_whitespace() || ":：・.…-‥".contains(c))
        .chars()
        .filter(|c| !"…‥".contains(*c))
        .collect::<String>()
        .trim_end_matches(['.', '・', ' '])
        .to_string()
}

/// Drops tokens a strike-through passes through (the corrected-away value), keeping the rest.
fn without_struck(lines: &[TextLine], strikes: &[BBox]) -> Vec<TextLine> {
    if strikes.is_empty() {
        return lines.to_vec();
    }
    let struck = |b: &BBox| {
        strikes.iter().any(|s| {
            let overlap_x = b.right().min(s.right()).saturating_sub(b.x.max(s.x));
            let mid = b.y + b.h / 2;
            overlap_x * 2 >= b.w && mid >= s.y && mid <= s.bottom()
        })
    };
    lines
        .iter()
        .filter_map(|l| {
            let tokens: Vec<_> = l
                .tokens
                .iter()
                .filter(|t| !struck(&t.bbox))
                .cloned()
                .collect();
            // The rest stays one line: a value written above the struck one, put into its row
            // by the table look, must stay beside the row's label.
            (!tokens.is_empty()).then(|| TextLine::from_tokens(tokens))
        })
        .collect()
}
