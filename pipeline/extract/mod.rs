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

pub mod layout;
pub mod lexicon;
pub mod marks;
pub mod normalize;
pub mod read;

use std::collections::BTreeMap;

use crate::document::{
    certificate_fields as cf, receipt_fields as rf, BBox, DocKind, Document, Field, Finding, Item,
    ItemCategory, Value,
};

use layout::TextLine;
use lexicon::{LabelClass, Lexicon};
use marks::Marks;
use normalize::{compact, Reading};
use read::{after_label, before_marker, clean_name, dates_on, value_for, with_reading, Span};

/// One page as the extractor sees it.
#[derive(Debug, Clone, Default)]
pub struct PageInput {
    /// 1-based page number in the source file.
    pub number: u32,
    pub lines: Vec<TextLine>,
    pub marks: Marks,
    /// True for a digital PDF's text layer: there is no image, so no seal can be seen.
    pub text_layer: bool,
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

/// What the rest of a submission says, used only to *confirm* a reading: a name the extractor reads
/// that equals a known name (after removing spaces) takes that name's spacing, and a document whose
/// name label was misread is searched for the known name verbatim. A hint never replaces a different
/// name that was read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    /// Names of people in the submission (the applicant), as `姓 名`.
    pub names: Vec<String>,
    /// Course names the application gives.
    pub courses: Vec<String>,
    /// Institutions (with their 法人格) the application gives.
    pub institutions: Vec<String>,
    /// Dates the application gives for the course (start, completion) and the applicant's birth.
    pub dates: Vec<chrono::NaiveDate>,
    pub started_on: Option<chrono::NaiveDate>,
    pub completed_on: Option<chrono::NaiveDate>,
    pub birth_date: Option<chrono::NaiveDate>,
}

impl Hints {
    /// Whether `date` lies more than two years before the course starts or more than one after it
    /// ends (as the application gives them); false when the application gives neither.
    pub fn far_from_course(&self, date: chrono::NaiveDate) -> bool {
        let before = self
            .started_on
            .or(self.completed_on)
            .is_some_and(|s| date < s - chrono::Days::new(730));
        let after = self
            .completed_on
            .or(self.started_on)
            .is_some_and(|c| date > c + chrono::Days::new(365));
        before || after
    }

    /// The applicant's name when `read` is it up to look-alike glyphs — or it followed, after a space,
    /// by what Tesseract makes of 様 or 殿 (「中村由美 欄」); a name that merely starts like the
    /// applicant's (「中村由美子」, 「中村 由美 子」) is someone else's.
    /// With how sure the match is: 0.95 up to look-alikes, 0.9 through one known misreading of a
    /// handwritten glyph ([`normalize::name_misread`]: 「小川 洋チ」).
    fn confirm(&self, read: &str) -> Option<(String, f32)> {
        let trimmed = read
            .trim_end()
            .rsplit_once(char::is_whitespace)
            .filter(|(_, last)| HONORIFIC_MISREADS.contains(last))
            .map(|(rest, _)| rest);
        let candidates = || std::iter::once(read).chain(trimmed);
        let spaced = |n: &String| n.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(n) = self
            .names
            .iter()
            .find(|n| candidates().any(|r| normalize::same_modulo_lookalikes(n, r)))
        {
            return Some((spaced(n), 0.95));
        }
        self.names
            .iter()
            .find(|n| candidates().any(|r| normalize::name_misread(n, r)))
            .map(|n| (spaced(n), 0.9))
    }

    /// Whether `read` is a strict part of a name the application gives, up to look-alikes
    /// (「福田」 of 福田 愛).
    fn part_of_a_name(&self, read: &str) -> bool {
        let r = normalize::lookalike_key(&compact(read));
        !r.is_empty()
            && self.names.iter().any(|n| {
                let n = normalize::lookalike_key(&compact(n));
                n.len() > r.len() && n.contains(&r)
            })
    }

    /// A name read as someone else's, set out as the application sets out names: without a name
    /// label read into it (「受講 者 中島和子」), and with the space after the family name when it
    /// begins with the applicant's (「前 田弘」 → 「前田 弘」: a relative who pays shares it). Other
    /// readings are returned as they are.
    fn spaced(&self, read: &str) -> String {
        let mut c = compact(read);
        for label in PAYER_LABELS {
            if let Some(rest) = c.strip_prefix(label).filter(|r| r.chars().count() >= 2) {
                c = rest.to_string();
                break;
            }
        }
        for known in &self.names {
            let Some((family, _)) = known.split_once(char::is_whitespace) else {
                continue;
            };
            if let Some(given) = c.strip_prefix(family).filter(|g| !g.is_empty()) {
                return format!("{family} {given}");
            }
        }
        if c == compact(read) {
            read.to_string()
        } else {
            c
        }
    }

    /// The application's course title when the reading is that title up to look-alike glyphs, or a
    /// long title with one ordinary glyph misread ([`normalize::one_glyph_off`]).
    fn confirms_course(&self, read: &str) -> Option<String> {
        // An underline under the title is read as dashes after it (「…実務者研修ーー」).
        let trimmed = read.trim_end_matches(['ー', '一', '-', '_', ' ']);
        self.courses
            .iter()
            .find(|k| {
                [read, trimmed].iter().any(|r| {
                    normalize::same_modulo_lookalikes(k, r) || normalize::one_glyph_off(k, r)
                })
            })
            .map(|k| compact(k))
    }

    /// The institution printed on the page, found by its full name allowing a few misread or
    /// stamped-over characters (at most a quarter), on one line or two adjacent ones. A stamp over
    /// the name can split it into pieces Tesseract puts in either order, so two neighbouring lines
    /// also match when nearly all the name's characters are in them and its distinctive part (the
    /// words after the 法人格) begins there.
    pub fn institution_on(&self, lines: &[TextLine]) -> Option<(String, Span)> {
        for known in &self.institutions {
            let k = compact(known);
            let n = k.chars().count();
            if n < 4 {
                continue;
            }
            let distinctive: String = HOJINKAKU
                .iter()
                .find_map(|h| k.strip_prefix(h))
                .unwrap_or(&k)
                .chars()
                .take(2)
                .collect();
            let found = |text: &str, bbox: BBox| {
                Some((
                    k.clone(),
                    Span {
                        text: text.to_string(),
                        confidence: 0.9,
                        bbox: Some(bbox),
                    },
                ))
            };
            for (i, l) in lines.iter().enumerate() {
                let text = compact(&l.text());
                if normalize::substring_distance(&k, &text) * 4 <= n {
                    return found(&text, l.bbox);
                }
                for other in lines.iter().skip(i + 1).take(2) {
                    if other.bbox.y > l.bbox.bottom() + l.char_height() * 2 {
                        break;
                    }
                    let both = format!("{text}{}", compact(&other.text()));
                    let bbox = l.bbox.union(&other.bbox);
                    if normalize::substring_distance(&k, &both) * 4 <= n {
                        return found(&both, bbox);
                    }
                    if both.contains(&distinctive) && shared_chars(&k, &both) * 4 >= n * 3 {
                        return found(&both, bbox);
                    }
                }
            }
            // A stamp over the name garbles much of it (「株式会会社旧曲ごだ【まりキャ1リアアス日」 for
            // 株式会社陽だまりキャリアスクール): its 法人格 within one character, then three fifths of
            // the rest in order, on a line not much longer than the name.
            let Some(kaku) = HOJINKAKU.iter().find(|h| k.starts_with(**h)) else {
                continue;
            };
            let rest: String = k.chars().skip(kaku.chars().count()).collect();
            let m = rest.chars().count();
            if m < 4 {
                continue;
            }
            for l in lines {
                let text = compact(&l.text());
                if text.chars().count() > n + 6 || normalize::substring_distance(kaku, &text) > 1 {
                    continue;
                }
                if in_order(&rest, &text) * 5 >= m * 3 {
                    return found(&text, l.bbox);
                }
            }
        }
        None
    }
}

impl Hints {
    /// The institution whose name runs under its own seal: a line that begins the known name (at
    /// least three fifths of it, its 法人格 and two more characters, at most one misread character in
    /// six) and ends where a seal large enough to be a 角印 sits, with room under the seal for the
    /// characters not read. A stamp over the end of the issuer's name is how institutions sign; what
    /// shows of the name must be the application's institution's, or this finds nothing.
    pub fn institution_under_seal(&self, pages: &[&PageInput]) -> Option<(String, Span)> {
        for known in &self.institutions {
            let k = compact(known);
            let key: Vec<char> = normalize::lookalike_key(&k).chars().collect();
            let n = key.len();
            let kaku = HOJINKAKU
                .iter()
                .find(|h| k.starts_with(*h))
                .map_or(0, |h| h.chars().count());
            let least = (kaku + 2).max((n * 3).div_ceil(5));
            if n < 4 || least >= n {
                continue;
            }
            for page in pages {
                let ch = PageInput::char_height(&page.lines);
                let seals: Vec<&BBox> = page
                    .marks
                    .seals
                    .iter()
                    .filter(|s| s.is_large(ch))
                    .map(|s| &s.bbox)
                    .collect();
                for l in &page.lines {
                    let text = normalize::lookalike_key(&compact(&l.text()));
                    let Some(m) = (least..n).rev().find(|&m| {
                        let prefix: String = key[..m].iter().collect();
                        normalize::substring_distance(&prefix, &text) * 6 <= m
                    }) else {
                        continue;
                    };
                    let lh = l.char_height();
                    let hidden = (n - m) as u32 * lh;
                    let under_seal = seals.iter().any(|s| {
                        s.y <= l.bbox.bottom()
                            && s.bottom() >= l.bbox.y
                            && s.x <= l.bbox.right() + lh * 2
                            && s.right() + lh >= l.bbox.right()
                            && hidden <= s.w + lh * 2
                    });
                    if under_seal {
                        let span = Span {
                            text: l.text(),
                            confidence: 0.9,
                            bbox: Some(l.bbox),
                        };
                        return Some((k, span));
                    }
                }
            }
        }
        None
    }
}

/// The confidence of a line that independent second readings (at other scales, alone) all gave
/// alike: sure, though the first reading alone was not. Above any Tesseract gives a name by itself
/// (at most 0.97 on the seed-7 corpus), so it also tells that the readings agreed.
pub const AGREED: f32 = 0.99;

/// Whether a span's confidence (a mean over its words) says its words were all [`AGREED`]: the
/// mean of several 0.99s comes out a hair under 0.99 in `f32`.
fn agreed(confidence: f32) -> bool {
    confidence >= AGREED - 1e-4
}

/// Labels a receipt puts before the payer's name, longest first.
const PAYER_LABELS: &[&str] = &[
    "受講者氏名",
    "支払者氏名",
    "受講者名",
    "お名前",
    "氏名",
    "受講者",
    "支払者",
];

/// What Tesseract makes of 様 (or 殿) after a name on some receipts.
pub const HONORIFIC_MISREADS: &[&str] = &["欄", "様", "殿", "楼", "標", "樣"];

/// How many of `want`'s characters `text` has in the same order (longest common subsequence).
fn in_order(want: &str, text: &str) -> usize {
    let a: Vec<char> = want.chars().collect();
    let b: Vec<char> = text.chars().collect();
    let mut prev = vec![0usize; b.len() + 1];
    for &ca in &a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        prev = cur;
    }
    prev[b.len()]
}

fn shared_chars(want: &str, text: &str) -> usize {
    let mut pool: Vec<char> = text.chars().collect();
    want.chars()
        .filter(|c| match pool.iter().position(|p| p == c) {
            Some(i) => {
                pool.swap_remove(i);
                true
            }
            None => false,
        })
        .count()
}

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
        doc
    }

    fn read_receipt(&self, doc: &mut Document, pages: &[&PageInput], hints: &Hints) {
        let page_no = pages[0].number;
        let lines: Vec<TextLine> = pages
            .iter()
            .flat_map(|p| without_struck(&p.lines, &p.marks.strikes))
            .collect();
        let set = |doc: &mut Document, name: &str, value: Value, span: &Span, conf: f32| {
            put(doc, page_no, name, value, span, conf)
        };

        // 受講者（支払者）氏名: the name before 様/殿, or after a name label.
        if let Some((span, name, repaired)) = find_name(&lines, &["様", "殿"], PAYER_LABELS, hints)
        {
            // A repaired reading is unsure, unless every second reading gave it alike.
            let conf = if repaired && !agreed(span.confidence) {
                span.confidence.min(0.6)
            } else {
                span.confidence
            };
            set(doc, rf::PAYER_NAME, Value::Text(name), &span, conf);
        }
        if let Some((span, name)) = find_issuer(&lines, pages, hints) {
            set(
                doc,
                rf::ISSUER_NAME,
                Value::Text(name),
                &span,
                span.confidence,
            );
        }
        if let Some((span, course)) = find_course(&lines, hints) {
            set(
                doc,
                rf::COURSE_NAME,
                Value::Text(course),
                &span,
                span.confidence,
            );
        }
        if let Some((date, reading, span)) = find_date(&lines, RECEIPT_DATE_LABELS) {
            if reading.heisei_after_2019 {
                doc.findings.push(Finding {
                    code: "heisei_after_2019".into(),
                    message: "令和改元後の日付が平成で書かれています（同じ暦年として読みました）。"
                        .into(),
                });
            }
            // A receipt is issued around the course: a date years away from it is a misread digit
            // (「2029」 for 2025) as likely as a real date, so a person looks.
            let conf = read::date_confidence(span.confidence, reading.reading);
            let conf = if hints.far_from_course(date) {
                conf.min(0.5)
            } else {
                conf
            };
            set(doc, rf::ISSUED_ON, Value::Date(date), &span, conf);
        } else if unread_date(&lines, RECEIPT_DATE_LABELS) {
            // A date is printed but could not be read: the receipt does not lack its date (a
            // 補正依頼 would ask the family for what they brought), a person reads it on the scan.
            doc.findings.push(Finding::unread(
                rf::ISSUED_ON,
                "領収日らしい印字がありますが、読み取れませんでした。",
            ));
        }

        // The breakdown and the total, segment by segment (a label's amount is in its own segment or
        // the next one to the right).
        let mut items: Vec<Item> = Vec::new();
        let mut totals: Vec<(i64, f32, Span)> = Vec::new();
        // Amounts after a label that is neither an item nor the total's (「会ロロ 147,320円」 for
        // 合計): the total only if nothing else is and they sum up to it, below the breakdown.
        let mut unlabelled: Vec<(i64, f32, Span)> = Vec::new();
        // Amounts alone on a line: a correction written above (or below) the struck-out value.
        let mut bare: Vec<Option<(usize, AmountRead)>> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| read::amount_on(l).filter(|a| a.2 == 0).map(|a| (i, a)))
            .collect();
        for (li, line) in lines.iter().enumerate() {
            // 「但し ○○講座 受講料等として」 states the purpose of the whole sum, not a line of it.
            if compact(&line.text()).starts_with("但") {
                continue;
            }
            let segs = read::segments(line);
            let mut k = 0;
            while k < segs.len() {
                let (from, to) = segs[k];
                let (found, next) = match read::amount_in(line, from, to) {
                    Some(a) => (Some(a), k + 1),
                    None if k + 1 >= segs.len()
                        && self.lexicon.classify(&line.text_of(from, to)).is_some() =>
                    {
                        // A labelled line without its amount: take the nearest amount standing alone
                        // just above or below (the corrected value beside a strike-through).
                        let ch = line.char_height();
                        let near = bare
                            .iter_mut()
                            .filter(|b| {
                                b.as_ref().is_some_and(|(bi, _)| {
                                    *bi != li
                                        && lines[*bi].bbox.y + ch * 2 >= line.bbox.y
                                        && lines[*bi].bbox.y <= line.bbox.bottom() + ch
                                        && lines[*bi].bbox.x > line.bbox.x
                                })
                            })
                            .min_by_key(|b| {
                                b.as_ref()
                                    .map(|(bi, _)| lines[*bi].bbox.y.abs_diff(line.bbox.y))
                                    .unwrap_or(u32::MAX)
                            });
                        let taken = near.and_then(|b| b.take()).map(|(_, a)| {
                            let (v, r, _, span) = a;
                            (v, r, to, span)
                        });
                        (taken, k + 1)
                    }
                    None if self.lexicon.classify(&line.text_of(from, to)).is_some() => {
                        // The amount is further right, past leader residue or blank cells, but not
                        // past another label.
                        let mut found = (None, k + 1);
                        for (m, &(f2, t2)) in segs.iter().enumerate().skip(k + 1) {
                            if let Some(a) = read::amount_in(line, f2, t2) {
                                found = (Some(a), m + 1);
                                break;
                            }
                            if self.lexicon.classify(&line.text_of(f2, t2)).is_some() {
                                break;
                            }
                        }
                        found
                    }
                    None => (None, k + 1),
                };
                let Some((amount, reading, at, span)) = found else {
                    k = next;
                    continue;
                };
                let label_end = if at >= from && at <= to { at } else { to };
                let label = line.text_of(from, label_end);
                let conf = with_reading(
                    span.confidence
                        .min(line.confidence_of(from, label_end.max(from + 1))),
                    reading,
                );
                match self.lexicon.classify(&label) {
                    Some(LabelClass::Total) => totals.push((amount, conf, span)),
                    Some(LabelClass::Item(category)) => {
                        if !informational(&label) {
                            items.push(Item {
                                label: clean_label(&label),
                                amount,
                                category,
                                confidence: conf,
                                bbox: span.bbox,
                            });
                        }
                    }
                    None => {
                        // 「金 99,000円也」, 「¥99,000-」 alone: the amount received. 金 and 也
                        // may stand apart from the amount (「金　　¥50,000-　　也」), and the
                        // revenue-stamp box's 「収入印紙」 before it.
                        let t = compact(&line.text_of(from, to));
                        let before = compact(&line.text_of(0, from));
                        let after = compact(&line.text_of(to, line.tokens.len()));
                        if t.starts_with('金')
                            || t.starts_with('¥')
                            || t.contains('也')
                            || before.starts_with('金')
                            || before.ends_with('金')
                            || after.starts_with('也')
                        {
                            totals.push((amount, conf, span));
                        } else {
                            unlabelled.push((amount, conf, span));
                        }
                    }
                }
                k = next;
            }
        }
        let sum = signed_sum(&items);
        if totals.is_empty() {
            let last_item = items
                .iter()
                .filter_map(|i| i.bbox)
                .map(|b| b.bottom())
                .max();
            totals.extend(unlabelled.into_iter().filter(|(amount, _, span)| {
                let below = match (span.bbox, last_item) {
                    (Some(b), Some(last)) => b.y + b.h / 2 > last,
                    _ => false,
                };
                below && crate::document::breakdown_sums_to(&items, *amount)
            }));
        }
        let matching = totals
            .iter()
            .find(|t| crate::document::breakdown_sums_to(&items, t.0));
        match (matching, totals.first()) {
            (Some((amount, conf, span)), _) if !items.is_empty() => {
                // Cross-check passed: the breakdown sums to the total.
                let conf = conf.max(0.97);
                set(doc, rf::AMOUNT_TOTAL, Value::Yen(*amount), span, conf);
                for it in &mut items {
                    it.confidence = it.confidence.max(0.97);
                }
            }
            (_, Some((amount, conf, span))) => {
                let conf = if items.is_empty() {
                    *conf
                } else {
                    doc.findings.push(Finding {
                        code: "items_do_not_sum".into(),
                        message: format!(
                            "内訳の合計（{}円）が領収額（{}円）と一致しません。",
                            sum, amount
                        ),
                    });
                    for it in &mut items {
                        it.confidence = it.confidence.min(0.5);
                    }
                    conf.min(0.5)
                };
                set(doc, rf::AMOUNT_TOTAL, Value::Yen(*amount), span, conf);
            }
            (None, None) if !items.is_empty() => {
                // No total was read: the breakdown's sum stands in, but not surely.
                let span = Span {
                    text: sum.to_string(),
                    confidence: 0.5,
                    bbox: None,
                };
                set(doc, rf::AMOUNT_TOTAL, Value::Yen(sum), &span, 0.5);
                doc.findings.push(Finding {
                    code: "total_not_found".into(),
                    message:
                        "領収額（合計）が読み取れませんでした。内訳の合計を仮に表示しています。"
                            .into(),
                });
            }
            _ => {}
        }
        doc.items = items;
        read_marks(doc, pages, page_no);
    }
}

/// An amount read on a line: value, how it was read, its first token, its span.
type AmountRead = (i64, Reading, usize, Span);

/// Records a field read from `span` on page `page`.
fn put(doc: &mut Document, page: u32, name: &str, value: Value, span: &Span, conf: f32) {
    doc.fields.insert(
        name.to_string(),
        Field {
            value,
            confidence: conf.clamp(0.0, 1.0),
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

/// Seal and corrections: a small seal on or beside a strike is its 訂正印; any other seal is the
/// 領収印 (or the head's 印 on a certificate).
fn read_marks(doc: &mut Document, pages: &[&PageInput], page_no: u32) {
    let text_layer = pages.iter().all(|p| p.text_layer);
    let mut seal_found = false;
    let mut unsealed = false;
    let mut doubtful = false;
    for p in pages {
        let ch = PageInput::char_height(&p.lines);
        let mut used = vec![false; p.marks.seals.len()];
        for s in &p.marks.strikes {
            let reach = ch * 2;
            let beside = |seal: &&marks::Seal| {
                let b = seal.bbox;
                b.x <= s.right() + reach
                    && b.right() + reach >= s.x
                    && b.y <= s.bottom() + reach
                    && b.bottom() + reach >= s.y
                    && b.w <= ch * 4
                    // A 訂正印 is a small stamp, but larger than a character: a glyph or speck of
                    // gray beside a strike must not pass for one.
                    && b.w * 10 >= ch * 13
                    && b.h * 10 >= ch * 13
            };
            // Red ink is a stamp's (black print over it takes part of its ring away); gray ink is a
            // stamp's only when it closes a ring — light print scans gray too (the corrected value
            // itself, written small above the strike).
            let stamped = p
                .marks
                .seals
                .iter()
                .position(|seal| beside(&seal) && (seal.ink == marks::Ink::Red || seal.ring));
            // Gray read as a sure word that is not the struck one (the corrected value 「6,700円」
            // scanned light above the strike) is that word's print.
            let print = |seal: &&marks::Seal| {
                let b = seal.bbox;
                seal.ink == marks::Ink::Gray
                    && p.lines.iter().flat_map(|l| &l.tokens).any(|t| {
                        let mid = t.bbox.y + t.bbox.h / 2;
                        let struck = t.bbox.overlaps(s) && mid >= s.y && mid < s.bottom();
                        t.confidence >= 0.8
                            && !struck
                            && t.bbox.shared_area(&b) * 5 >= b.w * b.h * 2
                    })
            };
            match stamped {
                Some(i) => used[i] = true,
                None if p
                    .marks
                    .seals
                    .iter()
                    .any(|seal| beside(&seal) && !print(&seal)) =>
                {
                    doubtful = true
                }
                None => unsealed = true,
            }
        }
        // A 領収印 is well over two characters across; anything smaller that is not a 訂正印 is a
        // speck, a logo or a glyph, not a seal.
        seal_found |= p
            .marks
            .seals
            .iter()
            .zip(&used)
            .any(|(s, used)| !used && s.is_large(ch));
    }
    let conf = if text_layer { 0.5 } else { 0.95 };
    let field = |v: bool| Field {
        value: Value::Bool(v),
        confidence: conf,
        bbox: None,
        page: Some(page_no),
    };
    let seal_name = match doc.kind {
        DocKind::CompletionCertificate => cf::SEAL_PRESENT,
        _ => rf::SEAL_PRESENT,
    };
    doc.fields.insert(seal_name.into(), field(seal_found));
    // Gray ink beside a strike that is no ring may be a 訂正印 or light print: a person looks.
    let correction = if !unsealed && doubtful {
        Field {
            confidence: 0.5,
            ..field(true)
        }
    } else {
        field(unsealed)
    };
    doc.fields
        .insert(rf::HAS_UNSEALED_CORRECTION.into(), correction);
    if text_layer {
        doc.findings.push(Finding {
            code: "seal_not_visible".into(),
            message: "電子文書（テキスト）のため押印の有無を画像で確認できません。".into(),
        });
    }
}

/// A person's name: before one of `markers` (様, 殿) or after one of `labels`; else a known name
/// (`hints`) printed verbatim on the page.
fn find_name(
    lines: &[TextLine],
    markers: &[&str],
    labels: &[&str],
    hints: &Hints,
) -> Option<(Span, String, bool)> {
    // A reading that equals the applicant's name is cross-checked: sure, and spaced as given.
    let confirm = |(span, name, repaired): (Span, String, bool)| match hints.confirm(&name) {
        Some((known, sure)) => (
            Span {
                confidence: span.confidence.max(sure),
                ..span
            },
            known,
            false,
        ),
        // Part of the applicant's name (「福田」 for 福田 愛, the given name's one glyph read as
        // nothing) is a name misread short, not someone else's: unsure however alike it was read.
        None if hints.part_of_a_name(&name) => (
            Span {
                confidence: span.confidence.min(0.6),
                ..span
            },
            hints.spaced(&name),
            true,
        ),
        None => (span, hints.spaced(&name), repaired),
    };
    for l in lines {
        for m in markers {
            if let Some(span) = before_marker(l, m) {
                if let Some((name, repaired)) = clean_name(&span.text) {
                    return Some(confirm((span, name, repaired)));
                }
            }
        }
    }
    if let Some((_, span)) = value_for(lines, labels) {
        if let Some((name, repaired)) = clean_name(&span.text) {
            return Some(confirm((span, name, repaired)));
        }
    }
    // 様 misread (「渡辺 花子 欄」): the glyph alone at the end of a line, after a gap, ends a name
    // there too — read as unsure unless it is the applicant's.
    for l in lines {
        let Some(last) = l.tokens.last() else {
            continue;
        };
        if l.tokens.len() < 2 || !HONORIFIC_MISREADS.contains(&last.text.as_str()) {
            continue;
        }
        let span = Span {
            text: l.text_of(0, l.tokens.len() - 1),
            confidence: l.confidence_of(0, l.tokens.len() - 1),
            bbox: l.bbox_of(0, l.tokens.len() - 1),
        };
        if let Some((name, _)) = clean_name(&span.text) {
            return Some(confirm((span, name, true)));
        }
    }
    // The label was misread: look for a known name printed as it is.
    for known in &hints.names {
        let k = compact(known);
        if k.chars().count() < 2 {
            continue;
        }
        if let Some(l) = lines.iter().find(|l| compact(&l.text()).contains(&k)) {
            let span = Span {
                text: known.clone(),
                confidence: l.confidence_of(0, l.tokens.len()),
                bbox: Some(l.bbox),
            };
            return Some(confirm((span, known.clone(), false)));
        }
    }
    None
}

/// The institution's printed name with its 法人格: the application's institution where it is printed
/// (allowing a stamp over a few characters), else the first line that carries a 法人格.
fn find_issuer(lines: &[TextLine], pages: &[&PageInput], hints: &Hints) -> Option<(Span, String)> {
    if let Some((name, span)) = hints
        .institution_on(lines)
        .or_else(|| hints.institution_under_seal(pages))
    {
        return Some((span, name));
    }
    for l in lines {
        let text = l.text();
        let t = compact(&text);
        let Some(kaku) = HOJINKAKU.iter().find(|k| t.contains(*k)) else {
            continue;
        };
        // From the 法人格 to the end, cut where the address, the representative or the phone begins.
        // The 法人格 may be split by a space in the text; then the name starts with the line.
        let start = text.find(kaku).unwrap_or(0);
        let mut name = text[start..].to_string();
        for cut in [
            "代表",
            "理事長",
            "校長",
            "学長",
            "施設長",
            "所長",
            "TEL",
            "電話",
            "〒",
            "住所",
            "印",
            "(印)",
        ] {
            if let Some(pos) = name.find(cut) {
                if pos > kaku.len() {
                    name.truncate(pos);
                }
            }
        }
        // The printed name without the spaces layout puts in it (after the 法人格, between words).
        let name = compact(&name);
        if name.chars().count() <= kaku.chars().count() {
            continue;
        }
        return Some((
            Span {
                text: name.clone(),
                confidence: l.confidence_of(0, l.tokens.len()),
                bbox: Some(l.bbox),
            },
            name,
        ));
    }
    None
}

const COURSE_LABELS: &[&str] = &[
    "教育訓練講座名",
    "講座名",
    "コース名",
    "課程名",
    "訓練講座",
    "研修名",
    "講座",
    "コース",
];

fn find_course(lines: &[TextLine], hints: &Hints) -> Option<(Span, String)> {
    let confirm = |mut span: Span, course: String| match hints.confirms_course(&course) {
        Some(known) => {
            // Cross-checked against the application: the same title (up to look-alike glyphs).
            span.confidence = span.confidence.max(0.97);
            (span, known)
        }
        None => (span, course),
    };
    // 講座名：… — the label must begin the line (「登録販売者講座」 ends with 講座 but is no label).
    for (i, l) in lines.iter().enumerate() {
        let t = compact(&l.text());
        let Some(label) = COURSE_LABELS.iter().find(|lab| t.starts_with(*lab)) else {
            continue;
        };
        let value = after_label(l, label).or_else(|| {
            let below = lines.get(i + 1)?;
            (below.bbox.y <= l.bbox.bottom() + l.char_height() * 2).then(|| Span {
                text: below.text(),
                confidence: below.confidence_of(0, below.tokens.len()),
                bbox: Some(below.bbox),
            })
        });
        if let Some(span) = value {
            let course = compact(&span.text);
            if course.chars().count() >= 2 && normalize::parse_date(&course).is_none() {
                return Some(confirm(span, course));
            }
        }
    }
    // 「但し ○○講座 受講料等として」: the course between 但し and what was paid for.
    for l in lines {
        let t = compact(&l.text());
        let Some(rest) = t.strip_prefix("但し").or_else(|| t.strip_prefix("但")) else {
            continue;
        };
        let end = ["受講料", "入学料", "入学金", "授業料", "講座費用", "として"]
            .iter()
            .filter_map(|w| rest.find(w))
            .min()
            .unwrap_or(rest.len());
        let course = rest[..end].to_string();
        if course.chars().count() >= 2 {
            let span = Span {
                text: course.clone(),
                confidence: l.confidence_of(0, l.tokens.len()),
                bbox: Some(l.bbox),
            };
            return Some(confirm(span, course));
        }
    }
    // The label was lost: the application's course printed verbatim is the course, up to
    // look-alike glyphs (「請 座名 TTパスポート試験対策講座」 for 講座名 ITパスポート試験対策講座 on the
    // README's sample sub007).
    for known in &hints.courses {
        let k = compact(known);
        if k.chars().count() < 2 {
            continue;
        }
        let key = normalize::lookalike_key(&k);
        let printed = |l: &&TextLine| normalize::lookalike_key(&compact(&l.text())).contains(&key);
        if let Some(l) = lines.iter().find(printed) {
            let span = Span {
                text: k.clone(),
                confidence: 0.97,
                bbox: Some(l.bbox),
            };
            return Some((span, k));
        }
    }
    // Or printed with one ordinary glyph misread (「請護名 社会保険労務二講座」, its label lost too).
    for known in &hints.courses {
        let k = compact(known);
        let n = k.chars().count();
        for l in lines {
            let t: Vec<char> = compact(&l.text()).chars().collect();
            let nearly = (0..=t.len().saturating_sub(n)).any(|i| {
                let window: String = t[i..(i + n).min(t.len())].iter().collect();
                normalize::one_glyph_off(&k, &window)
            });
            if nearly {
                let span = Span {
                    text: k.clone(),
                    confidence: 0.9,
                    bbox: Some(l.bbox),
                };
                return Some((span, k));
            }
        }
    }
    None
}

/// Labels a receipt's issue date follows.
const RECEIPT_DATE_LABELS: &[&str] = &[
    "領収日",
    "領収年月日",
    "発行日",
    "契約日",
    "契約年月日",
    "お支払日",
    "入金日",
    "日付",
];

/// Whether a date is printed that no reading could make out: after one of `labels`, or on a line
/// of figures marked as a date (an era's name, 年 and 月, two slashes, or a year and a slash:
/// 「令 和 年11 月6B」, 「2025/01703」) that is not a line of money or of a course's dates.
fn unread_date(lines: &[TextLine], labels: &[&str]) -> bool {
    lines.iter().any(|l| {
        let t = compact(&l.text());
        let chars: Vec<char> = t.chars().collect();
        let digit = chars.iter().any(char::is_ascii_digit);
        let year_slash = chars.windows(5).any(|w| {
            w[..4].iter().all(char::is_ascii_digit) && matches!(w[0], '1' | '2') && w[4] == '/'
        });
        let marked = t.contains("令和")
            || t.contains("平成")
            || t.contains('年') && t.contains('月')
            || t.matches('/').count() >= 2
            || year_slash;
        let labelled = labels.iter().any(|lab| t.contains(lab));
        let other = [
            "生年月日",
            "期間",
            "開始",
            "修了",
            "~",
            "〜",
            "～",
            "指定",
            "円",
        ]
        .iter()
        .any(|w| t.contains(w));
        digit && (marked || labelled) && !other
    })
}

/// A labelled date, else the first date on a line that is not some other date (birth, period).
fn find_date(
    lines: &[TextLine],
    labels: &[&str],
) -> Option<(chrono::NaiveDate, normalize::DateReading, Span)> {
    for l in lines {
        let t = compact(&l.text());
        if labels.iter().any(|lab| t.contains(lab)) {
            if let Some(found) = read::date_on(l) {
                return Some(found);
            }
        }
    }
    lines.iter().find_map(|l| {
        let t = compact(&l.text());
        let other = ["生年月日", "期間", "開始", "修了", "~", "〜", "～", "指定"]
            .iter()
            .any(|w| t.contains(w));
        if other {
            None
        } else {
            read::date_on(l)
        }
    })
}

/// Dates printed above the certifying sentence (「…証明します」), with the line each is on.
fn body_dates_all(lines: &[TextLine]) -> Vec<(chrono::NaiveDate, Span)> {
    lines
        .iter()
        .take_while(|l| !compact(&l.text()).contains("証明し"))
        .flat_map(|l| {
            dates_on(l).into_iter().map(|d| {
                (
                    d,
                    Span {
                        text: l.text(),
                        confidence: l.confidence_of(0, l.tokens.len()),
                        bbox: Some(l.bbox),
                    },
                )
            })
        })
        .collect()
}

fn read_certificate(doc: &mut Document, pages: &[&PageInput], hints: &Hints) {
    let page_no = pages[0].number;
    let lines: Vec<TextLine> = pages
        .iter()
        .flat_map(|p| without_struck(&p.lines, &p.marks.strikes))
        .collect();
    let mut set = |name: &str, value: Value, span: &Span, conf: f32| {
        put(doc, page_no, name, value, span, conf)
    };
    if let Some((span, name, repaired)) = find_name(
        &lines,
        &["殿", "様"],
        &["受講者氏名", "氏名", "受講者", "修了者"],
        hints,
    ) {
        let conf = if repaired && !agreed(span.confidence) {
            span.confidence.min(0.6)
        } else {
            span.confidence
        };
        set(cf::TRAINEE_NAME, Value::Text(name), &span, conf);
    }
    let date_after = |labels: &[&str]| -> Option<(chrono::NaiveDate, Reading, Span)> {
        for l in &lines {
            for lab in labels {
                if let Some(span) = after_label(l, lab) {
                    if let Some((d, r)) = normalize::parse_date(&span.text) {
                        return Some((d, r.reading, span));
                    }
                }
            }
        }
        let (_, span) = value_for(&lines, labels)?;
        let (d, r) = normalize::parse_date(&span.text)?;
        Some((d, r.reading, span))
    };
    // The birth date the application gives, printed on the certificate: cross-checked (and found
    // without its label when the OCR lost it).
    let birth = date_after(&["生年月日"])
        .map(|(d, r, span)| {
            let conf = with_reading(span.confidence, r);
            let conf = if hints.birth_date == Some(d) {
                conf.max(0.95)
            } else {
                conf
            };
            (d, conf, span)
        })
        .or_else(|| {
            let want = hints.birth_date?;
            lines.iter().find_map(|l| {
                dates_on(l).contains(&want).then(|| {
                    let span = Span {
                        text: l.text(),
                        confidence: 0.95,
                        bbox: Some(l.bbox),
                    };
                    (want, 0.95, span)
                })
            })
        });
    if let Some((d, conf, span)) = birth {
        set(cf::BIRTH_DATE, Value::Date(d), &span, conf);
    }
    if let Some((span, course)) = find_course(&lines, hints) {
        set(cf::COURSE_NAME, Value::Text(course), &span, span.confidence);
    }
    let started = date_after(&[
        "受講開始年月日",
        "受講開始日",
        "開講日",
        "受講開始",
        "入学日",
        "入校日",
    ]);
    let completed = date_after(&["修了年月日", "修了日", "修了認定日", "修了認定年月日"]);
    let period = lines
        .iter()
        .find(|l| compact(&l.text()).contains("期間"))
        .map(|l| (dates_on(l), l));
    let mut started_on = started.map(|(d, r, s)| (d, read::date_confidence(s.confidence, r), s));
    let mut completed_on =
        completed.map(|(d, r, s)| (d, read::date_confidence(s.confidence, r), s));
    if let Some((dates, l)) = period {
        let span = Span {
            text: l.text(),
            confidence: l.confidence_of(0, l.tokens.len()),
            bbox: Some(l.bbox),
        };
        if started_on.is_none() && !dates.is_empty() {
            started_on = Some((dates[0], span.confidence, span.clone()));
        }
        if completed_on.is_none() && dates.len() >= 2 {
            completed_on = Some((dates[1], span.confidence, span));
        }
    }
    // Cross-check: a course cannot end before it starts.
    let in_order = match (&started_on, &completed_on) {
        (Some(s), Some(c)) => s.0 <= c.0,
        _ => true,
    };
    // A label the OCR lost: a date printed on the certificate that is exactly the one the application
    // gives for that fact is taken (confirmed, not guessed); anything else stays missing.
    let body_dates = || body_dates_all(&lines);
    if let (None, Some(want)) = (&started_on, hints.started_on) {
        started_on = body_dates()
            .into_iter()
            .find(|(d, _)| *d == want)
            .map(|(d, s)| (d, 0.95, s));
    }
    if let (None, Some(want)) = (&completed_on, hints.completed_on) {
        completed_on = body_dates()
            .into_iter()
            .find(|(d, _)| *d == want)
            .map(|(d, s)| (d, 0.95, s));
    }
    for (name, v) in [
        (cf::STARTED_ON, started_on),
        (cf::COMPLETED_ON, completed_on),
    ] {
        if let Some((d, conf, span)) = v {
            let conf = if in_order { conf } else { conf.min(0.5) };
            // The same date as the application gives: cross-checked.
            let conf = if hints.dates.contains(&d) && in_order {
                conf.max(0.95)
            } else {
                conf
            };
            set(name, Value::Date(d), &span, conf);
        }
    }
    if !in_order {
        doc.findings.push(Finding {
            code: "dates_out_of_order".into(),
            message: "修了日が受講開始日より前になっています。".into(),
        });
    }
    if let Some((span, name)) = find_issuer(&lines, pages, hints) {
        put(
            doc,
            page_no,
            cf::ISSUER_NAME,
            Value::Text(name),
            &span,
            span.confidence,
        );
    }
    read_marks(doc, pages, page_no);
}

#[cfg(test)]
mod tests {
    use super::*;
    use layout::lines_from_text;

    fn page(text: &str) -> PageInput {
        let lines: Vec<String> = text.lines().map(String::from).collect();
        PageInput {
            number: 1,
            lines: lines_from_text(&lines),
            marks: Marks::default(),
            text_layer: true,
        }
    }

    #[test]
    fn a_name_is_confirmed_with_a_misread_honorific_but_not_a_longer_name() {
        let hints = Hints {
            names: vec!["中村 由美".into()],
            ..Hints::default()
        };
        assert_eq!(
            hints.confirm("中村由美 欄").map(|(n, _)| n).as_deref(),
            Some("中村 由美")
        );
        assert_eq!(
            hints.confirm("中村 由美").map(|(n, _)| n).as_deref(),
            Some("中村 由美")
        );
        assert_eq!(hints.confirm("中村由美子"), None);
        assert_eq!(hints.confirm("中村 由美子"), None);
        assert_eq!(hints.confirm("中村 由美 子"), None);
        assert_eq!(
            hints.confirm("中村 由 美"),
            Some(("中村 由美".into(), 0.95)),
            "spaces are not letters"
        );
        assert_eq!(hints.confirm("中村 由"), None);
        let hints = Hints {
            names: vec!["小川 洋子".into()],
            ..Hints::default()
        };
        assert_eq!(
            hints.confirm("小川 洋チ 様"),
            Some(("小川 洋子".into(), 0.9)),
            "子 handwritten and read as チ, less sure than a plain match"
        );
        assert_eq!(hints.confirm("小川 陽子"), None);
    }

    #[test]
    fn an_issuer_name_running_under_its_seal_is_the_applications_institution() {
        // lines_from_text draws 40 px characters; the name's line is the second.
        let mut p = page("領収書\n株式会社東雲キャリガ\n理事長 山田 太郎\n株式会社東雲キヤリア");
        p.text_layer = false;
        let line = &p.lines[1];
        let seal = |x: u32| marks::Seal {
            bbox: BBox {
                x,
                y: line.bbox.y.saturating_sub(60),
                w: 170,
                h: 170,
            },
            ink: marks::Ink::Gray,
            ring: false,
        };
        let hints = Hints {
            institutions: vec!["株式会社東雲キャリアスクール".into()],
            ..Hints::default()
        };
        // No seal where the name stops: not confirmed.
        assert_eq!(hints.institution_under_seal(&[&p]), None);
        // A 角印 over the end of the name: the rest of the name is under it.
        p.marks.seals = vec![seal(line.bbox.right() - 40)];
        let (name, span) = hints.institution_under_seal(&[&p]).expect("confirmed");
        assert_eq!(name, "株式会社東雲キャリアスクール");
        assert_eq!(span.bbox, Some(line.bbox));
        // Another institution's name is not confirmed by a seal.
        let other = Hints {
            institutions: vec!["株式会社みなとITカレッジ".into()],
            ..Hints::default()
        };
        assert_eq!(other.institution_under_seal(&[&p]), None);
        // Nor is too little of the name (the 法人格 and one character).
        let mut short = page("株式会社東");
        short.text_layer = false;
        let l = short.lines[0].bbox;
        short.marks.seals = vec![marks::Seal {
            bbox: BBox {
                x: l.right(),
                y: l.y,
                w: 170,
                h: 170,
            },
            ink: marks::Ink::Gray,
            ring: false,
        }];
        assert_eq!(hints.institution_under_seal(&[&short]), None);
    }

    #[test]
    fn an_institution_garbled_under_its_stamp_is_known_by_its_kaku_and_most_of_its_name() {
        let hints = Hints {
            institutions: vec!["株式会社陽だまりキャリアスクール".into()],
            ..Hints::default()
        };
        let on = |text: &str| hints.institution_on(&page(text).lines).map(|(n, _)| n);
        assert_eq!(
            on("株式会会社旧曲ごだ【まりキャ1リアアス日"),
            Some("株式会社陽だまりキャリアスクール".into())
        );
        assert_eq!(on("株式会社みなとITカレッジ"), None, "another institution");
        assert_eq!(on("学校法人ひだまり学園"), None, "another 法人格");
    }

    #[test]
    fn a_misread_honorific_after_a_labelled_name_is_dropped_and_the_name_unsure() {
        assert_eq!(
            read::clean_name("坂本 敏子 欄"),
            Some(("坂本 敏子".to_string(), true))
        );
        assert_eq!(
            read::clean_name("坂本 敏子"),
            Some(("坂本 敏子".to_string(), false))
        );
    }

    #[test]
    fn a_course_title_read_with_its_underline_is_confirmed() {
        let hints = Hints {
            courses: vec!["介護福祉士実務者研修".into(), "データ分析セミナー".into()],
            ..Hints::default()
        };
        assert_eq!(
            hints.confirms_course("介護福祉士実務者研修ーー"),
            Some("介護福祉士実務者研修".into())
        );
        assert_eq!(
            hints.confirms_course("データ分析セミナー"),
            Some("データ分析セミナー".into())
        );
        assert_eq!(hints.confirms_course("介護福祉士実務者研修会"), None);
    }

    #[test]
    fn a_name_read_short_of_the_applicants_is_unsure_however_alike_it_was_read() {
        let hints = Hints {
            names: vec!["福田 愛".into()],
            ..Hints::default()
        };
        // Seed 11 sub010: every reading gave 「福田 様」.
        let mut p = page("領収書\n福田 様\n");
        for t in p.lines.iter_mut().flat_map(|l| l.tokens.iter_mut()) {
            t.confidence = AGREED;
        }
        let d = &Extractor::default().extract_with("r.pdf", &[p], &hints)[0];
        assert_eq!(d.text(rf::PAYER_NAME), Some("福田"));
        assert!(d.field(rf::PAYER_NAME).unwrap().confidence <= 0.6);
        // Someone else of the family, read alike, stays sure.
        let mut p = page("領収書\n福田 清 様\n");
        for t in p.lines.iter_mut().flat_map(|l| l.tokens.iter_mut()) {
            t.confidence = AGREED;
        }
        let d = &Extractor::default().extract_with("r.pdf", &[p], &hints)[0];
        assert_eq!(d.text(rf::PAYER_NAME), Some("福田 清"));
        assert!(d.field(rf::PAYER_NAME).unwrap().confidence >= 0.95);
    }

    #[test]
    fn someone_elses_name_is_spaced_as_the_application_spaces_names() {
        let hints = Hints {
            names: vec!["前田 愛".into()],
            ..Hints::default()
        };
        assert_eq!(hints.spaced("前 田弘"), "前田 弘");
        assert_eq!(hints.spaced("受講 者 前田弘"), "前田 弘");
        assert_eq!(hints.spaced("受講者中島和子"), "中島和子");
        assert_eq!(hints.spaced("山田 太郎"), "山田 太郎");
        assert_eq!(hints.spaced("前田"), "前田");
    }

    #[test]
    fn a_long_title_with_one_ordinary_glyph_misread_is_confirmed_but_not_another_grade() {
        let hints = Hints {
            courses: vec![
                "宅地建物取引士講座".into(),
                "大型自動車第一種運転免許".into(),
                "日商簿記2級講座".into(),
                "医療事務".into(),
            ],
            ..Hints::default()
        };
        // Misreadings of the handwriting-style fonts (seeds 7, 11, 21).
        assert_eq!(
            hints.confirms_course("宅地末物取引士講座"),
            Some("宅地建物取引士講座".into())
        );
        assert_eq!(
            hints.confirms_course("大型自動車定一種運転免許"),
            Some("大型自動車第一種運転免許".into())
        );
        // A numeral read for an ordinary glyph is a misreading too (seed 11 sub056's 士→二).
        let labour = Hints {
            courses: vec!["社会保険労務士講座".into()],
            ..Hints::default()
        };
        assert_eq!(
            labour.confirms_course("社会保険労務二講座"),
            Some("社会保険労務士講座".into())
        );
        // With its label misread too, the title is still found on its line.
        let p = page("修了証明書\n氏名  田中 陽子\n請護名  社会保険労務二講座\n");
        let d = &Extractor::default().extract_with("c.pdf", &[p], &labour)[0];
        assert_eq!(d.text(cf::COURSE_NAME), Some("社会保険労務士講座"));
        // Or printed up to look-alike glyphs (I read as T) after a misread label: the README
        // sample's receipt, whose 補正依頼 once asked for the course it carries.
        let it = Hints {
            courses: vec!["ITパスポート試験対策講座".into()],
            ..Hints::default()
        };
        let p = page("領 収 書\n佐藤 美咲 殿\n請 座名  TTパスポート試験対策講座\n");
        let d = &Extractor::default().extract_with("r.pdf", &[p], &it)[0];
        assert_eq!(d.text(rf::COURSE_NAME), Some("ITパスポート試験対策講座"));
        let p = page("領 収 書\n佐藤 美咲 殿\n請 座名  TTパスポート検定対策講座\n");
        let d = &Extractor::default().extract_with("r.pdf", &[p], &it)[0];
        assert_eq!(d.text(rf::COURSE_NAME), None);
        // Another grade, kind or size is another course.
        for other in [
            "大型自動車第二種運転免許",
            "中型自動車第一種運転免許",
            "日商簿記3級講座",
            "日商簿記２級講座講座",
        ] {
            assert_eq!(hints.confirms_course(other), None, "{other}");
        }
        // Two glyphs off, or a short title one glyph off, is not confirmed.
        assert_eq!(hints.confirms_course("宅地末物取引圭講座"), None);
        assert_eq!(hints.confirms_course("医療事称"), Some("医療事務".into()));
        assert_eq!(hints.confirms_course("医療仕務"), None);
    }

    #[test]
    fn an_issue_date_years_from_the_course_is_unsure() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let hints = Hints {
            started_on: Some(d("2025-04-01")),
            completed_on: Some(d("2025-09-30")),
            ..Hints::default()
        };
        let issued = |date: &str| {
            let p = page(&format!(
                "領 収 証\n山田 花子 様\n金 99,000円也\n入学料  11,000円\n受講料  88,000円\n発行日 {date}\n"
            ));
            let docs = Extractor::default().extract_with("r.pdf", &[p], &hints);
            docs[0].field(rf::ISSUED_ON).expect("read").confidence
        };
        assert!(
            issued("2025/03/20") >= 0.8,
            "before the course, paid in advance"
        );
        assert!(issued("2025/10/10") >= 0.8, "after it");
        assert!(issued("2029/04/27") < 0.8, "2029 for 2025");
        assert!(issued("2021/04/27") < 0.8, "2021 for 2025");
        assert!(
            !Hints::default().far_from_course(d("2029-04-27")),
            "nothing to compare"
        );
    }

    #[test]
    fn a_date_printed_but_not_made_out_is_unread_not_missing() {
        let read = |text: &str| {
            let docs = Extractor::default().extract("r.jpg", &[page(text)]);
            assert_eq!(docs[0].kind, DocKind::Receipt);
            (
                docs[0].date(rf::ISSUED_ON),
                docs[0].is_unread(rf::ISSUED_ON),
            )
        };
        let body = "領収書\n金 30,000円 也\n上記正に領収いたしました\n";
        // Seed 21 sub027: 「令和7年11月4日」 with its year lost and 4日 read as 6B.
        let unread = read(&format!("高橋 美咲 様\n令 和 年11 月6B\n{body}"));
        assert_eq!(unread, (None, true));
        assert_eq!(read(&format!("発行日 2O25/O1/O3\n{body}")), (None, true));
        // No date printed at all: missing, as before.
        assert_eq!(read(&format!("高橋 美咲 様\n{body}")), (None, false));
        // A date read: nothing unread.
        let dated = read(&format!("発行日 2025年11月4日\n{body}"));
        assert_eq!(dated, (chrono::NaiveDate::from_ymd_opt(2025, 11, 4), false));
    }

    #[test]
    fn a_credit_contract_with_its_title_misread_is_still_a_receipt() {
        let ex = Extractor::default();
        let kind = |text: &str| ex.classify(&page(text));
        // Seed 3 sub020: 「クレジット契約証明書」 read as 「の レジンツ ト 契絶 証明 書」.
        let misread =
            "の レジンツ ト 契絶 証明 書\n受講者氏名 鈴木 早苗 様\nクレ ジッ ト契約 額 ¥30,000\n";
        assert_eq!(kind(misread), Some(DocKind::Receipt));
        // Seed 11 sub047: 領 misread in the title and in the receipt's sentence.
        assert_eq!(
            kind("可 収 証 2024 年 7 月 20日\n上記 正に 儲 収 いたしまし た\n"),
            Some(DocKind::Receipt)
        );
        assert_eq!(
            kind("上記の者は本校所定の課程を修了したことを証明します"),
            Some(DocKind::CompletionCertificate)
        );
        assert_eq!(kind("お知らせ\n来月の講座日程について"), None);
    }

    #[test]
    fn a_strike_is_sealed_by_red_ink_or_a_gray_ring_and_other_gray_ink_is_doubtful() {
        let mut p =
            page("領 収 証\n山田 花子 様\n金 99,000円也\n入学料  11,000円\n受講料  88,000円\n");
        p.text_layer = false;
        let line = p.lines[3].bbox;
        let strike = BBox {
            x: line.right() - 120,
            y: line.y + 18,
            w: 120,
            h: 4,
        };
        p.marks.strikes = vec![strike];
        let stamp = |ink, ring| marks::Seal {
            bbox: BBox {
                x: strike.x + 20,
                y: line.y - 10,
                w: 64,
                h: 64,
            },
            ink,
            ring,
        };
        let correction = |p: &PageInput| {
            let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(p));
            let f = docs[0]
                .field(rf::HAS_UNSEALED_CORRECTION)
                .expect("read")
                .clone();
            (f.value, f.confidence >= 0.8)
        };
        assert_eq!(correction(&p), (Value::Bool(true), true), "no stamp");
        p.marks.seals = vec![stamp(marks::Ink::Red, false)];
        assert_eq!(correction(&p), (Value::Bool(false), true), "red stamp");
        p.marks.seals = vec![stamp(marks::Ink::Gray, true)];
        assert_eq!(correction(&p), (Value::Bool(false), true), "gray ring");
        p.marks.seals = vec![stamp(marks::Ink::Gray, false)];
        assert_eq!(correction(&p), (Value::Bool(true), false), "gray, no ring");

        // Gray that is the corrected value's light print, read as a sure word above the strike
        // (seed 3 sub051's 「6,700円」), is no stamp: the correction is unsealed.
        let value = BBox {
            x: strike.x,
            y: line.y - 34,
            w: 120,
            h: 40,
        };
        p.lines.push(TextLine {
            tokens: vec![layout::Token {
                text: "6,700円".into(),
                confidence: 0.9,
                bbox: value,
            }],
            bbox: value,
        });
        p.marks.seals = vec![marks::Seal {
            bbox: BBox {
                x: value.x + 10,
                y: value.y - 8,
                w: 70,
                h: 56,
            },
            ink: marks::Ink::Gray,
            ring: false,
        }];
        assert_eq!(
            correction(&p),
            (Value::Bool(true), true),
            "the value's print"
        );
        // The same gray where the word was read unsure stays doubtful.
        p.lines.last_mut().expect("line").tokens[0].confidence = 0.5;
        assert_eq!(correction(&p), (Value::Bool(true), false), "unsure print");
    }

    #[test]
    fn the_amount_received_is_read_with_its_kin_and_nari_far_apart() {
        for total_line in [
            "金        50,000円        也",
            "収入印紙        金        1,240,000円",
        ] {
            let amount = if total_line.contains("1,240") {
                1_240_000
            } else {
                50_000
            };
            let items = if amount == 50_000 {
                "入学料  5,000円\n受講料  45,000円"
            } else {
                "入学金  110,000円\n授業料（1年次）  1,130,000円"
            };
            let p = page(&format!(
                "領 収 証\n山田 花子 様\n{total_line}\n内訳\n{items}\n"
            ));
            let docs = Extractor::default().extract("r.pdf", &[p]);
            let total = docs[0].field(rf::AMOUNT_TOTAL).expect("total read");
            assert_eq!(total.value, Value::Yen(amount), "{total_line}");
            assert!(total.confidence >= 0.97, "the breakdown sums: {total_line}");
        }
    }

    #[test]
    fn a_digital_receipt_gives_every_contract_field() {
        let p = page(
            "領 収 書\n山田  花子 様\n金 99,000円也\n講座名：介護職員初任者研修\n内訳\n入学料  11,000円\n受講料  88,000円\n合計  99,000円\n令和8年6月15日\n学校法人  さくら学園\n",
        );
        let docs = Extractor::default().extract("r.pdf", &[p]);
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.kind, DocKind::Receipt);
        assert_eq!(d.text(rf::PAYER_NAME), Some("山田 花子"));
        assert_eq!(d.yen(rf::AMOUNT_TOTAL), Some(99_000));
        assert_eq!(d.text(rf::COURSE_NAME), Some("介護職員初任者研修"));
        assert_eq!(
            d.date(rf::ISSUED_ON),
            chrono::NaiveDate::from_ymd_opt(2026, 6, 15)
        );
        assert_eq!(d.text(rf::ISSUER_NAME), Some("学校法人さくら学園"));
        let cats: Vec<_> = d.items.iter().map(|i| (i.amount, i.category)).collect();
        assert_eq!(
            cats,
            vec![
                (11_000, ItemCategory::Admission),
                (88_000, ItemCategory::Tuition)
            ]
        );
        // A text layer shows no seal: not sure either way.
        assert!(d.field(rf::SEAL_PRESENT).unwrap().confidence < 0.9);
    }

    #[test]
    fn a_certificate_gives_its_dates_in_order() {
        let p = page(
            "教育訓練修了証明書\n氏名  山田  花子\n生年月日  平成2年4月1日\n講座名  介護職員初任者研修\n受講開始日  令和8年1月10日\n修了日  令和8年6月30日\n上記の者は本講座を修了したことを証明します。\n株式会社  ケアスクール\n",
        );
        let docs = Extractor::default().extract("c.pdf", &[p]);
        let d = &docs[0];
        assert_eq!(d.kind, DocKind::CompletionCertificate);
        assert_eq!(d.text(cf::TRAINEE_NAME), Some("山田 花子"));
        assert_eq!(
            d.date(cf::BIRTH_DATE),
            chrono::NaiveDate::from_ymd_opt(1990, 4, 1)
        );
        assert_eq!(
            d.date(cf::STARTED_ON),
            chrono::NaiveDate::from_ymd_opt(2026, 1, 10)
        );
        assert_eq!(
            d.date(cf::COMPLETED_ON),
            chrono::NaiveDate::from_ymd_opt(2026, 6, 30)
        );
        assert_eq!(d.text(cf::ISSUER_NAME), Some("株式会社ケアスクール"));
    }

    #[test]
    fn a_name_every_second_reading_agreed_on_stays_sure_when_its_label_is_split() {
        // The mean of five words at AGREED is a hair under it in f32 (seed 21 sub013's name line
        // read unsure for that), and is still agreed.
        let mean = [AGREED; 5].iter().sum::<f32>() / 5.0;
        assert!(mean < AGREED && agreed(mean), "{mean}");
        assert!(!agreed(0.98));
        // Seed 21 sub013: 「受講 者 氏名 中島和子 様」: a name split from its label so is unsure
        // unless its readings agreed.
        let mut p = page("領収書\n受講 者 氏名 中島和子 様\n");
        for t in p.lines.iter_mut().flat_map(|l| l.tokens.iter_mut()) {
            t.confidence = AGREED;
        }
        let d = &Extractor::default().extract("r.pdf", &[p.clone()])[0];
        assert_eq!(d.text(rf::PAYER_NAME), Some("中島和子"));
        assert!(d.field(rf::PAYER_NAME).unwrap().confidence >= 0.95);
        for t in p.lines.iter_mut().flat_map(|l| l.tokens.iter_mut()) {
            t.confidence = 0.9;
        }
        let d = &Extractor::default().extract("r.pdf", &[p])[0];
        assert!(d.field(rf::PAYER_NAME).unwrap().confidence <= 0.6);
    }

    #[test]
    fn an_amount_under_the_breakdown_that_it_sums_to_is_the_total_whatever_its_label_reads() {
        // Seed 11 sub029: 合計 read 「会ロロ」.
        let p = page(
            "領収書\n入学料  5,000円\n受講料  130,000円\n会ロロ  147,320円\n交通費  12,320円\n",
        );
        let d = &Extractor::default().extract("r.pdf", &[p])[0];
        assert_eq!(d.yen(rf::AMOUNT_TOTAL), Some(147_320));
        assert!(
            d.field(rf::AMOUNT_TOTAL).unwrap().confidence < 0.8,
            "not under the breakdown"
        );
        let p = page(
            "領収書\n入学料  5,000円\n受講料  130,000円\n交通費  12,320円\n会ロロ  147,320円\n",
        );
        let d = &Extractor::default().extract("r.pdf", &[p])[0];
        assert_eq!(d.yen(rf::AMOUNT_TOTAL), Some(147_320));
        assert!(d.field(rf::AMOUNT_TOTAL).unwrap().confidence >= 0.97);
        assert!(d.items.iter().all(|i| i.confidence >= 0.97));
        // An unlabelled amount the breakdown does not sum to is no total.
        let p = page("領収書\n入学料  5,000円\n受講料  130,000円\n会ロロ  147,000円\n");
        let d = &Extractor::default().extract("r.pdf", &[p])[0];
        assert!(d.field(rf::AMOUNT_TOTAL).unwrap().confidence <= 0.5);
        assert!(d.findings.iter().any(|f| f.code == "total_not_found"));
    }

    #[test]
    fn a_breakdown_that_does_not_sum_lowers_confidence() {
        let p = page("領収書\n入学料  11,000円\n受講料  80,000円\n合計  99,000円\n");
        let d = &Extractor::default().extract("r.pdf", &[p])[0];
        assert!(d.field(rf::AMOUNT_TOTAL).unwrap().confidence <= 0.5);
        assert!(d.findings.iter().any(|f| f.code == "items_do_not_sum"));
    }
}
