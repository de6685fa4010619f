//! When a field kyufu did not find is surely absent, and when it is only unread.
//!
//! A receipt or certificate that lacks a field it must carry is sent back to the family (a 補正依頼);
//! a field that is printed but was not made out must go to a person instead (issue 19: a 補正依頼
//! only on a sure reading). Two signs that a field not found may still be printed, each recorded as
//! [`Finding::unread`] for the rules:
//! - the page is a phone photo or a fax: shadow, blur and specks lose whole lines that are printed
//!   (but for a breakdown of which nothing shows on a page otherwise read whole: [`no_breakdown_shows`]);
//! - the page carries the field's label or marker (「様」 for a payer, a 法人格 or 「代表」 for the
//!   issuer, 「合計」 or 「円」 for the total, 「内訳」 for the breakdown), or two glyphs of the
//!   applicant's name: the value beside it was misread, or glued to the column next to it;
//! - a line of the page was read as noise (every word's score below [`NOISE_SCORE`]): whatever is
//!   missing may be printed there (seed 7 sub054: 「受講者名 伊藤 智子 様」 over a rule, read
//!   「乏EEき 当」 at 0.01).
//!
//! A shop's till receipt (レシート) is the exception: read as one (two of [`TILL_WORDS`]), what it
//! lacks it surely lacks — no payer, institution, course or 領収印 is printed on a till roll — so
//! the family is told what a 領収書 must carry (real-samples README: till receipts, even one
//! headed 「領収書」, are a 補正依頼).
//!
//! Called by [`super::Extractor`] once a document's fields are read. It reads no image.

use crate::document::{
    certificate_fields as cf, receipt_fields as rf, Certainty, DocKind, Document, Finding,
};

use super::fields::{COURSE_LABELS, PAYER_LABELS, RECEIPT_DATE_LABELS};
use super::lexicon::{LabelClass, Lexicon};
use super::marks::Capture;
use super::normalize::{compact, MONEY_MARKS};
use super::{Hints, PageInput, HOJINKAKU};

/// A line whose words all scored below this was not read at all: on seed 7 sub054's two pages the
/// lines read scored 0.66–0.95 and the line lost 0.01 (`cargo run --example lines`).
const NOISE_SCORE: f32 = 0.3;

/// Words printed on a shop's till receipt and on no institution's 領収書: change given, amount
/// tendered, items bought, the till, bar codes, reduced tax rate items.
const TILL_WORDS: &[&str] = &[
    "お釣",
    "釣銭",
    "お預",
    "買上",
    "点数",
    "レジ",
    "JAN",
    "軽減税率",
    "対象商品",
];

/// The finding that marks a document read as a shop's till receipt.
pub const TILL_RECEIPT: &str = "till_receipt";

/// Whether `pages` read as a shop's till receipt: two different [`TILL_WORDS`] on them.
fn till_receipt(pages: &[&PageInput]) -> bool {
    let text: String = pages
        .iter()
        .flat_map(|p| p.lines.iter().map(|l| compact(&l.text())))
        .collect();
    TILL_WORDS.iter().filter(|w| text.contains(*w)).count() >= 2
}

/// What marks a field as printed, beyond its labels: markers of a name, words of an issuer's block.
const NAME_MARKERS: &[&str] = &["様", "殿", "氏名"];
const ISSUER_WORDS: &[&str] = &["代表", "校長", "学長", "理事長", "院長", "施設長", "所長"];
const COURSE_WORDS: &[&str] = &["講座", "コース", "講習", "課程"];
const TOTAL_WORDS: &[&str] = &["合計", "金額", "円", "¥", "￥"];
const ITEMS_WORDS: &[&str] = &["内訳", "明細", "品名", "品目", "項目", "費目", "摘要"];
const COURSE_DATE_WORDS: &[&str] = &["期間", "開始", "修了日", "修了年月日", "入校", "入学日"];

/// Whether compact text reads as a line of the breakdown whose amount was not made out: the words
/// before its first run of two digits or more name a fee (「受講費(第2回) 61,00w可」 for 81,000円;
/// seed 23 sub039, a wrong 補正依頼 for a breakdown the receipt prints).
fn fee_line(t: &str, lexicon: &Lexicon) -> bool {
    let chars: Vec<char> = t.chars().collect();
    let Some(at) = chars
        .windows(2)
        .position(|w| w.iter().all(char::is_ascii_digit))
    else {
        return false;
    };
    let label: String = chars[..at].iter().collect();
    matches!(lexicon.classify(&label), Some(LabelClass::Item(_)))
}

/// Whether a receipt read from a photo or fax surely prints no breakdown: everything else it must
/// carry was read, none of it in doubt (the page was read whole, not lost in part to shadow
/// or specks), and the only amount printed on it is its total. A breakdown printed and not made
/// out leaves its amounts (「10.00010,000」 for 10,000円 beside its lost label: seed 107 sub037,
/// a till roll's 「¥20,000」: seed 31 sub012). Photographed receipts with no breakdown, each read
/// whole, were sent to review for it, not back to the family (seeds 7 sub043, 41 sub027, 73
/// sub013, 97 sub022 and sub060).
fn no_breakdown_shows(doc: &Document, page_text: &[String]) -> bool {
    let Some(total) = doc.yen(rf::AMOUNT_TOTAL) else {
        return false;
    };
    let read_whole = carried(doc.kind)
        .iter()
        .filter(|&&name| name != rf::ITEMS)
        .all(|&name| {
            doc.field(name)
                .is_some_and(|f| !matches!(f.certainty, Certainty::Doubtful(_)))
        });
    read_whole
        && page_text
            .iter()
            .all(|t| amounts_in(t).iter().all(|&a| a == total))
}

/// The amounts of money printed in compact text `t`: figures grouped in thousands (「47,000」,
/// 「10.000」), or figures after a money mark ([`MONEY_MARKS`]) or before 「円」. A phone number, a date, a
/// postcode or a receipt's number is none of these.
pub(super) fn amounts_in(t: &str) -> Vec<i64> {
    let chars: Vec<char> = t.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let sep = |i: usize| {
        chars
            .get(i)
            .is_some_and(|c| matches!(c, ',' | '.' | '，' | '、'))
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !digit(i) {
            i += 1;
            continue;
        }
        // A run of figures, then any groups of a separator and three figures (「10.00010,000」 is
        // two amounts run together: the first ends with its third figure after the point).
        let mut end = i;
        while digit(end) {
            end += 1;
        }
        let mut groups = 0;
        while sep(end) && (1..=3).all(|k| digit(end + k)) {
            end += 4;
            groups += 1;
        }
        let marked = i > 0 && MONEY_MARKS.contains(&chars[i - 1]) || chars.get(end) == Some(&'円');
        if groups > 0 || marked {
            let figures: String = chars[i..end]
                .iter()
                .filter(|c| c.is_ascii_digit())
                .collect();
            if let Ok(v) = figures.parse() {
                found.push(v);
            }
        }
        i = end;
    }
    found
}

/// The fields each kind must carry ([`rf::CARRIED`], [`cf::CARRIED`]).
fn carried(kind: DocKind) -> &'static [&'static str] {
    match kind {
        DocKind::Receipt => &rf::CARRIED,
        DocKind::CompletionCertificate => &cf::CARRIED,
        _ => &[],
    }
}

/// The words that show `field` is printed on the page.
fn printed_as(field: &str) -> &'static [&'static [&'static str]] {
    match field {
        rf::ISSUER_NAME => &[HOJINKAKU, ISSUER_WORDS],
        rf::PAYER_NAME | cf::TRAINEE_NAME => &[PAYER_LABELS, NAME_MARKERS],
        rf::AMOUNT_TOTAL => &[TOTAL_WORDS],
        rf::ISSUED_ON => &[RECEIPT_DATE_LABELS],
        rf::COURSE_NAME => &[COURSE_LABELS, COURSE_WORDS],
        rf::ITEMS => &[ITEMS_WORDS],
        cf::STARTED_ON | cf::COMPLETED_ON => &[COURSE_DATE_WORDS],
        _ => &[],
    }
}

/// Marks each field `doc` must carry and lacks as unread where its absence is not sure (see the
/// module doc).
pub(super) fn mark_unsure_absences(
    doc: &mut Document,
    pages: &[&PageInput],
    lexicon: &Lexicon,
    hints: &Hints,
) {
    let weak_capture = pages
        .iter()
        .any(|p| !p.text_layer && p.marks.capture != Capture::Scan);
    let lacking = carried(doc.kind)
        .iter()
        .filter(|&&name| {
            if name == rf::ITEMS {
                doc.items.is_empty()
            } else {
                doc.field(name).is_none()
            }
        })
        .count();
    // A till roll that carries all a 領収書 must but one field is an institution's receipt printed
    // on a till, not a shop's (which lacks the payer, the course and more); photographed or faxed,
    // the one line it lacks may have been lost (seed 13 sub028: 「お名前 青木 沙織 様」 dropped by the
    // layout analysis of a photo), so its absence is judged as on any receipt.
    let institutions_till = weak_capture && doc.kind == DocKind::Receipt && lacking <= 1;
    let shop_till = till_receipt(pages) && !institutions_till;
    if shop_till {
        doc.findings.push(Finding {
            code: TILL_RECEIPT.into(),
            message: "店舗のレジで発行されたレシートで、教育訓練施設の領収書ではありません。"
                .into(),
        });
        return;
    }
    let noise = pages.iter().flat_map(|p| p.lines.iter()).any(|l| {
        l.tokens
            .iter()
            .map(|t| t.text.chars().count())
            .sum::<usize>()
            >= 2
            && l.tokens.iter().all(|t| t.confidence < NOISE_SCORE)
    });
    let page_text: Vec<String> = pages
        .iter()
        .flat_map(|p| p.lines.iter().map(|l| compact(&l.text())))
        .collect();
    for &name in carried(doc.kind) {
        let absent = if name == rf::ITEMS {
            doc.items.is_empty()
        } else {
            doc.field(name).is_none()
        };
        if !absent || doc.is_unread(name) {
            continue;
        }
        let printed = printed_as(name)
            .iter()
            .flat_map(|list| list.iter())
            .any(|w| page_text.iter().any(|t| t.contains(w)))
            || name == rf::ITEMS && page_text.iter().any(|t| fee_line(t, lexicon))
            // Part of the applicant's name with no marker beside it: the name line read in pieces
            // (seed 53 sub016: 「田彩 0」 for 岡田 彩 殿 — a wrong 補正依頼 for a missing payer).
            || matches!(name, rf::PAYER_NAME | cf::TRAINEE_NAME)
                && page_text.iter().any(|t| hints.shows_part_of_a_name(t));
        // A breakdown a photo or fax shows nothing of, on a page read whole, is not printed.
        let seen_lacking =
            name == rf::ITEMS && !printed && !noise && no_breakdown_shows(doc, &page_text);
        let message = if weak_capture && !seen_lacking {
            "写真またはFAXの画像のため、記載がないことを確かめられませんでした。"
        } else if printed {
            "記載らしい印字がありますが、読み取れませんでした。"
        } else if noise {
            "読み取れない行があり、記載がないことを確かめられませんでした。"
        } else {
            continue;
        };
        doc.findings.push(Finding::unread(name, message));
    }
}
