//! PP-OCRv6's look at the lines a document's key fields rest on, when Tesseract read the page and
//! the extractor finds those fields doubtful. Tesseract `jpn` misreads common kanji in clean print
//! (受講料 → 「逐 講料」, ご芳名 → 「ご基名」, issue 19); PP-OCRv6's recognizer reads them far better
//! (85 against 70 of 88 values on documents the project did not generate).
//!
//! Which lines: on a receipt, each line with an amount that no classified breakdown line was read
//! from (its label unknown to the lexicon, or known only as `other`); when the payer's name is
//! not sure, the lines a name is printed on (a 様/殿 or a name label) or was read from; when the
//! course is not sure, the lines it was read from or a purpose or course label is on; on a
//! certificate whose trainee, course or issuer is not sure, each line that carries no date. The
//! total's line is never re-read here: PP-OCRv6 witnesses it ([`crate::reading::witness`]), and a
//! reading it gave itself would be no witness.
//!
//! What is kept: a line is replaced by PP-OCRv6's reading only where every amount on it reads the
//! same as before (two engines agreeing on the money) and the extractor then reads the page
//! better — a field found, or more certain (`document::Certainty`), or one more breakdown line
//! classified — and nothing it read before is lost, less certain, or changed without more
//! certainty. The look never makes a value certain alone: it offers the extractor a reading, with no
//! higher a score than the first reading of the line had; and where its reading of a name (payer,
//! trainee, issuer) is the one Tesseract gave, the name is agreed — two engines alike.
//!
//! Called by [`crate::reading::page::read_image_page`] after the other looks of an image page,
//! when PP-OCRv6's recognizer is loaded as the witness; when PP-OCRv6 read the page first it has
//! nothing to add and is skipped.

use image::GrayImage;

use crate::document::{
    certificate_fields as cf, receipt_fields as rf, BBox, Certainty, DocKind, Document, Field,
    ItemCategory,
};
use crate::extract::layout::TextLine;
use crate::extract::normalize::{compact, lookalike_key};
use crate::extract::{read, Extractor, Hints, PageInput};
use crate::ocr::paddle::{to_recognized, Glyph, Line, Script};
use crate::ocr::OcrError;
use crate::reading::lines::tokens_on_page;
use crate::reading::page::PageEngines;

use super::names::{nearly, Known};

/// Words a line printing a person's name carries: the honorific after it, or a label before it
/// (氏名, ご芳名, お名前, 宛名, 受講者, 依頼者…, as `extract`'s name labels end).
const NAME_CUES: &[&str] = &["様", "殿", "名", "者", "主", "人"];

/// Words a line naming the course on a receipt carries: the purpose line's 但し and として, a
/// course label's last word (講座名, コース名, 科目名…), what a course's title ends with.
const COURSE_CUES: &[&str] = &[
    "但",
    "として",
    "講座",
    "コース",
    "科目",
    "課程",
    "講習",
    "研修",
    "免許",
];

/// A line scoring below this was hardly read: whatever field the page lacks may be printed there.
/// Lines read right score 0.6–1.0 on the corpus's scans (`cargo run --example lines`); noise
/// reads 0.0–0.3.
const POOR_LINE: f32 = 0.6;

/// How many characters a line that may print the payer's or trainee's name is widened by on either side
/// ([`widened`]): a pad's name line sets the surname, the given name and 様 far apart.
const NAME_REACH: u32 = 8;

/// At most this many lines are read again on one page (a certificate has 15 to 25).
const MAX_LINES: usize = 24;

/// Reads again with PP-OCRv6 the lines of `page` whose fields the extractor finds doubtful, and
/// keeps each new reading the extractor reads better. Returns whether the page was changed.
pub fn paddle_look(
    engines: &PageEngines,
    image: &GrayImage,
    page: &mut PageInput,
    extractor: &Extractor,
    hints: &Hints,
) -> Result<bool, OcrError> {
    let (None, Some(reader)) = (&engines.paddle, &engines.witness) else {
        return Ok(false);
    };
    let mut docs = extractor.extract_with("", std::slice::from_ref(page), hints);
    let wanted = doubtful_lines(page, &docs, hints);
    if wanted.is_empty() {
        return Ok(false);
    }
    // A line that may print a name is read widened first, then as it is: the wider box brings in
    // the words Tesseract left out, and sometimes a neighbour's glyph glued to the name (seed 37
    // sub042: 「西村 美咲 様」 read widened as 「西村美咲慌」, as it is as 「西村 美咲」).
    let (candidates, boxes): (Vec<usize>, Vec<BBox>) = wanted
        .iter()
        .flat_map(|&(i, name)| {
            let line = &page.lines[i];
            let ch = line.char_height();
            let wide = name.then(|| (i, around(image, widened(image, page, i), ch)));
            wide.into_iter()
                .chain(std::iter::once((i, around(image, line.bbox, ch))))
        })
        .unzip();
    let mut read: Vec<Option<TextLine>> = {
        let mut reader = reader.lock().map_err(|_| OcrError::WorkerLost)?;
        reader.read_boxes(image, &boxes, Script::Japanese)?
    }
    .iter()
    .map(|line| text_line(image, line))
    .collect();
    // A money line whose amounts read otherwise in one box is read again segment by segment: a
    // row the page's engine joined across two columns (an item on the left, the issuer's phone on
    // the right, half a line lower) reads as neither in one box (seed 31 sub056: 「入学料
    // 015,009 TEL033-00-3257」). Only then: a label read alone, without its row, reads worse.
    let again: Vec<usize> = (0..candidates.len())
        .filter(|&k| {
            let old = &page.lines[candidates[k]];
            read::segments(old).len() > 1
                && !amounts(old).is_empty()
                && read[k].as_ref().is_none_or(|new| !amounts_alike(old, new))
        })
        .collect();
    if !again.is_empty() {
        let parts: Vec<Vec<BBox>> = again
            .iter()
            .map(|&k| segment_boxes(image, &page.lines[candidates[k]]))
            .collect();
        let boxes: Vec<BBox> = parts.iter().flatten().copied().collect();
        let lines = {
            let mut reader = reader.lock().map_err(|_| OcrError::WorkerLost)?;
            reader.read_boxes(image, &boxes, Script::Japanese)?
        };
        let mut lines = lines.into_iter();
        for (&k, part) in again.iter().zip(&parts) {
            read[k] = joined(image, lines.by_ref().take(part.len()));
        }
    }
    let mut kept = 0usize;
    // Readings not kept alone, tried together at the end: a title wrapped over two lines reads
    // right only when both are read again.
    let mut unkept: Vec<(usize, TextLine)> = Vec::new();
    // Each line read again, as each engine read it (Tesseract's, PP-OCRv6's): where both give a
    // name alike, the name is agreed ([`agree_on_names`]), whichever reading the page keeps.
    let mut both: Vec<(usize, TextLine, TextLine)> = Vec::new();
    let mut changed: Vec<usize> = Vec::new();
    for (&i, new) in candidates.iter().zip(read) {
        // A name line's widened reading kept, its plain one is not tried.
        let Some(mut new) = new.filter(|_| !changed.contains(&i)) else {
            continue;
        };
        // PP-OCRv6's scores are not on Tesseract's scale, which `review_below` was set against:
        // the new reading is given no higher a score than the line had, so a value it alone gives (a name no application
        // confirms, an issuer found in part) goes to a person as the first reading's would.
        let old = &page.lines[i];
        let score = old.confidence_of(0, old.tokens.len());
        for t in &mut new.tokens {
            t.confidence = t.confidence.min(score);
        }
        if !amounts_alike(old, &new) {
            continue;
        }
        both.push((i, page.lines[i].clone(), new.clone()));
        let old = std::mem::replace(&mut page.lines[i], new);
        let now = extractor.extract_with("", std::slice::from_ref(page), hints);
        if reads_better(&docs, &now) {
            docs = now;
            kept += 1;
            changed.push(i);
        } else {
            let new = std::mem::replace(&mut page.lines[i], old);
            // Tried together, a name line as read widened.
            if !unkept.iter().any(|(j, _)| *j == i) {
                unkept.push((i, new));
            }
        }
    }
    if unkept.len() > 1 {
        let mut trial = page.clone();
        for (i, new) in &unkept {
            trial.lines[*i] = new.clone();
        }
        let now = extractor.extract_with("", std::slice::from_ref(&trial), hints);
        if reads_better(&docs, &now) {
            kept += unkept.len();
            *page = trial;
        }
    }
    let agreed = agree_on_names(page, &both, extractor, hints);
    tracing::debug!(
        looked = candidates.len(),
        kept,
        agreed,
        "PP-OCRv6 read doubtful lines again"
    );
    Ok(kept > 0 || agreed > 0)
}

/// The fields a name is read into, and their documents' kinds: whom a receipt was paid by, whom a
/// certificate names, and who issued either.
const NAMES: &[(DocKind, &str)] = &[
    (DocKind::Receipt, rf::PAYER_NAME),
    (DocKind::Receipt, rf::ISSUER_NAME),
    (DocKind::CompletionCertificate, cf::TRAINEE_NAME),
    (DocKind::CompletionCertificate, cf::ISSUER_NAME),
];

/// Marks as agreed the words of each name field read with nothing for it but an engine's score
/// where the two engines, each reading its line (`both`: the line's index, Tesseract's reading,
/// PP-OCRv6's), give it alike: two engines agreeing is better evidence than either one's score
/// (issue 19). A name other than the application's is then told from a misread one without a
/// person — a payer who is not the applicant on a fax (seed 17 sub019, read 0.67 and sent to
/// review). Returns how many fields were agreed.
fn agree_on_names(
    page: &mut PageInput,
    both: &[(usize, TextLine, TextLine)],
    extractor: &Extractor,
    hints: &Hints,
) -> usize {
    let spelled = |f: &Field| {
        f.value
            .as_text()
            .map(|t| t.split_whitespace().collect::<String>())
    };
    let docs = extractor.extract_with("", std::slice::from_ref(page), hints);
    let name_of = |docs: &[Document], kind: DocKind, name: &str| {
        docs.iter()
            .find(|d| d.kind == kind)
            .and_then(|d| d.field(name))
            .and_then(spelled)
    };
    let mut agreed = 0;
    for &(kind, name) in NAMES {
        let Some(field) = docs
            .iter()
            .find(|d| d.kind == kind)
            .and_then(|d| d.field(name))
        else {
            continue;
        };
        let (Certainty::Read, Some(bbox), Some(text)) =
            (field.certainty, field.bbox, spelled(field))
        else {
            continue;
        };
        // The line the name was read from, as each engine read it: a line the name's box only
        // touches gives the same name however it is read (the course's line under it).
        let carries = |line: &TextLine| {
            line.text()
                .split_whitespace()
                .collect::<String>()
                .contains(&text)
        };
        for (i, tesseract, paddle) in both {
            let line = &page.lines[*i];
            if !line.bbox.overlaps(&bbox) || !carries(tesseract) || !carries(paddle) {
                continue;
            }
            // The page holds one engine's reading of the line; the other's must give the name
            // alike where it stands.
            let other = if line == paddle { tesseract } else { paddle };
            let mut trial = page.clone();
            trial.lines[*i] = other.clone();
            let again = extractor.extract_with("", std::slice::from_ref(&trial), hints);
            if name_of(&again, kind, name).is_some_and(|t| t == text) {
                for t in &mut page.lines[*i].tokens {
                    if t.bbox.overlaps(&bbox) {
                        t.agreed = true;
                    }
                }
                agreed += 1;
                break;
            }
        }
    }
    agreed
}

/// Indices of the lines worth a second engine's reading, at most [`MAX_LINES`], top to bottom,
/// each with whether it may print the payer's or trainee's name (read [`widened`]).
fn doubtful_lines(page: &PageInput, docs: &[Document], hints: &Hints) -> Vec<(usize, bool)> {
    let mut wanted = vec![false; page.lines.len()];
    let mut names = vec![false; page.lines.len()];
    // A line that nearly carries the applicant's name, with no cue to it (a pad's 様 printed far
    // right and not read with it: seed 17 sub057's 「山下 裕チ」 for 山下 裕子, the payer not found).
    let known: Vec<String> = hints
        .names
        .iter()
        .map(|n| lookalike_key(&compact(n)))
        .filter(|k| k.chars().count() >= 2)
        .collect();
    let near_a_name = |line: &TextLine| known.iter().any(|k| nearly(line, k, Known::Name));
    for doc in docs {
        let total = doc.field(rf::AMOUNT_TOTAL).and_then(|f| f.bbox);
        match doc.kind {
            DocKind::Receipt => {
                let named: Vec<BBox> = doc
                    .items
                    .iter()
                    .filter(|i| i.category != ItemCategory::Other)
                    .filter_map(|i| i.bbox)
                    .collect();
                let payer = doc.field(rf::PAYER_NAME);
                let course = doc.field(rf::COURSE_NAME);
                let issuer = doc.field(rf::ISSUER_NAME);
                let lost = payer.is_none() || course.is_none() || issuer.is_none();
                for (i, line) in page.lines.iter().enumerate() {
                    let has_amount = !amounts(line).is_empty();
                    // An amount on the line that no named breakdown line was read from, by the
                    // amount's own box: a tall line (a handwritten 「入学人金」) reaches into the
                    // named line below it, which is no reason to leave its label misread.
                    let unnamed_amount = has_amount
                        && amount_boxes(line)
                            .iter()
                            .any(|a| !named.iter().any(|b| b.shared_area(a) * 2 > a.w * a.h));
                    let name_line = unsure(payer)
                        && (holds(line, payer.and_then(|f| f.bbox))
                            || NAME_CUES.iter().any(|c| line.text().contains(c))
                            || near_a_name(line));
                    // The course is compared with the application's: a misread title is a
                    // course_mismatch for a person to look at (seed 13: 「日商短記」 for 日商簿記2級講座).
                    let course_line = unsure(course)
                        && (holds(line, course.and_then(|f| f.bbox))
                            || COURSE_CUES.iter().any(|c| line.text().contains(c)));
                    // The issuer read with nothing for it, on the line it was read from (an
                    // issuer other engines read alike is agreed: `agree_on_names`).
                    let issuer_line = unsure(issuer) && holds(line, issuer.and_then(|f| f.bbox));
                    // A field not found at all may be on a line Tesseract made nothing of: a
                    // school's name half under its 角印 read 「ンー ンク の 2 コル ES」 at 0.23
                    // (seed 23 sub060, the issuer lost).
                    let lost_line =
                        lost && !has_amount && line.confidence_of(0, line.tokens.len()) < POOR_LINE;
                    wanted[i] |=
                        unnamed_amount || name_line || course_line || issuer_line || lost_line;
                    names[i] |= name_line && !has_amount;
                }
            }
            DocKind::CompletionCertificate => {
                let fields = [cf::TRAINEE_NAME, cf::COURSE_NAME, cf::ISSUER_NAME];
                if fields.iter().any(|f| unsure(doc.field(f))) {
                    let trainee = doc.field(cf::TRAINEE_NAME);
                    for (i, line) in page.lines.iter().enumerate() {
                        let undated = read::dates_on(line).is_empty();
                        wanted[i] |= undated;
                        // The trainee's line, read widened as a payer's is (seed 79 sub045:
                        // 「佐藤 沙織 殿」 read 「沙織 殿」).
                        names[i] |= undated
                            && unsure(trainee)
                            && (holds(line, trainee.and_then(|f| f.bbox))
                                || NAME_CUES.iter().any(|c| line.text().contains(c)));
                    }
                }
            }
            _ => {}
        }
        // A date not sure — read with nothing for it but the engine's score, doubtful, or not
        // read at all — has its line read again (not read: every line that may print one):
        // Tesseract drops or swaps a digit in clean print (seed 11: 「7月10日」 read 「7月1日」, a
        // course_dates_mismatch; 「2026年」 read 「2106年」), and reads little of a faxed date.
        for &name in date_fields(doc.kind) {
            match doc.field(name) {
                Some(f) if unsure(Some(f)) => {
                    for (i, line) in page.lines.iter().enumerate() {
                        wanted[i] |= holds(line, f.bbox);
                    }
                }
                None => {
                    for (i, line) in page.lines.iter().enumerate() {
                        wanted[i] |= may_print_a_date(line);
                    }
                }
                Some(_) => {}
            }
        }
        // The total's line stays as the page's engine read it: the witness reads it again.
        for (i, line) in page.lines.iter().enumerate() {
            if holds(line, total) {
                wanted[i] = false;
            }
        }
    }
    (0..page.lines.len())
        .filter(|&i| wanted[i])
        .take(MAX_LINES)
        .map(|i| (i, names[i]))
        .collect()
}

/// The box of a line that may print the payer's (or trainee's) name, widened by up to
/// [`NAME_REACH`] characters on either side, as far as the next line beside it: Tesseract drops a name's word set apart from the
/// rest (seed 73 sub009: 「前田 真理 様」 on a pad's line read 「真理 欄」, the surname left of it
/// not read at all), and PP-OCRv6 reads what the line's own box leaves out only when its box
/// reaches it.
fn widened(image: &GrayImage, page: &PageInput, i: usize) -> BBox {
    let line = &page.lines[i];
    let (b, reach) = (line.bbox, line.char_height() * NAME_REACH);
    let beside = |o: &TextLine| {
        let shared = o
            .bbox
            .bottom()
            .min(b.bottom())
            .saturating_sub(o.bbox.y.max(b.y));
        shared * 2 >= o.bbox.h.min(b.h)
    };
    let others = || {
        page.lines
            .iter()
            .enumerate()
            .filter(move |&(j, o)| j != i && beside(o))
            .map(|(_, o)| o.bbox)
    };
    let left = others()
        .filter(|o| o.right() <= b.x)
        .map(|o| o.right())
        .fold(b.x.saturating_sub(reach), u32::max);
    let right = others()
        .filter(|o| o.x >= b.right())
        .map(|o| o.x)
        .fold((b.right() + reach).min(image.width()), u32::min);
    BBox {
        x: left,
        w: right - left,
        ..b
    }
}

/// The dates a document of `kind` is decided on.
fn date_fields(kind: DocKind) -> &'static [&'static str] {
    match kind {
        DocKind::Receipt => &[rf::ISSUED_ON],
        DocKind::CompletionCertificate => &[cf::BIRTH_DATE, cf::STARTED_ON, cf::COMPLETED_ON],
        _ => &[],
    }
}

/// Whether a line may print a date the page's engine did not read as one: a date read on it, an
/// era's name, a year or month with a digit before it (「2025年」「7 月」, however the engine
/// spaced them), or a slash after a digit (「2025/03/93」 for 2025/03/03 on a photo: seed 89
/// sub004, the course's dates not read).
fn may_print_a_date(line: &TextLine) -> bool {
    let text: String = line.text().chars().filter(|c| !c.is_whitespace()).collect();
    let after_digit = |mark: char| {
        text.char_indices().any(|(i, c)| {
            c == mark
                && text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|d| d.is_ascii_digit() || ('０'..='９').contains(&d))
        })
    };
    !read::dates_on(line).is_empty()
        || ["令和", "平成", "昭和"]
            .iter()
            .any(|era| text.contains(era))
        || after_digit('年')
        || after_digit('月')
        || after_digit('/')
}

/// Whether a field is not sure: not read, doubtful, or read with nothing for it but an engine's
/// score.
fn unsure(field: Option<&Field>) -> bool {
    !matches!(
        field.map(|f| f.certainty),
        Some(Certainty::Sure(_) | Certainty::Agreed)
    )
}

/// Whether `line` holds the box a value was read from.
fn holds(line: &TextLine, bbox: Option<BBox>) -> bool {
    bbox.is_some_and(|b| line.bbox.overlaps(&b))
}

/// The box of every amount on the line, segment by segment, as the extractor finds them.
fn amount_boxes(line: &TextLine) -> Vec<BBox> {
    read::segments(line)
        .into_iter()
        .filter_map(|(from, to)| read::amount_in(line, from, to).and_then(|a| a.3.bbox))
        .collect()
}

/// Every amount on the line, segment by segment, as the extractor finds them — save a date's
/// figures misread apart (「2026 年 3 月」 gives 2026 as a bare amount): in a segment that writes
/// no yen, a figure 年 or 月 follows is a date's, not money.
fn amounts(line: &TextLine) -> Vec<i64> {
    read::segments(line)
        .into_iter()
        .filter_map(|(from, to)| {
            let amount = read::amount_in(line, from, to)?.0;
            let text: String = line
                .text_of(from, to)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let dated = ["年", "月"]
                .iter()
                .any(|mark| text.contains(&format!("{amount}{mark}")));
            let yen = text.contains(['円', '¥', '￥']);
            (!dated || yen).then_some(amount)
        })
        .collect()
}

/// A line's box `b` with room round it: half a character height `ch` left and right (a glyph the
/// page's engine dropped at an end), a quarter above and below (a recognizer reads a line cut
/// tight to its ink worse), inside the image.
fn around(image: &GrayImage, b: BBox, ch: u32) -> BBox {
    let (w, h) = image.dimensions();
    let x = b.x.saturating_sub(ch / 2).min(w.saturating_sub(1));
    let y = b.y.saturating_sub(ch / 4).min(h.saturating_sub(1));
    let right = (b.right() + ch / 2).min(w);
    let bottom = (b.bottom() + ch / 4).min(h);
    BBox {
        x,
        y,
        w: right.saturating_sub(x).max(1),
        h: bottom.saturating_sub(y).max(1),
    }
}

/// Whether PP-OCRv6's reading `new` of a line reads its amounts as the page's engine did (`old`)
/// — but for figures in a line hardly read, written with no yen, that the new reading finds none
/// in: noise read as figures (a school's name in Mincho read 「のの20ブルラン207227ル2」 at 0.36,
/// seed 29 sub009, the issuer lost).
fn amounts_alike(old: &TextLine, new: &TextLine) -> bool {
    let score = old.confidence_of(0, old.tokens.len());
    let new_amounts = amounts(new);
    let noise_figures =
        score < POOR_LINE && new_amounts.is_empty() && !old.text().contains(['円', '¥', '￥']);
    new_amounts == amounts(old) || noise_figures
}

/// The boxes to read `line`'s segments ([`read::segments`]) in, each with room round it
/// ([`around`]).
fn segment_boxes(image: &GrayImage, line: &TextLine) -> Vec<BBox> {
    read::segments(line)
        .into_iter()
        .map(|(from, to)| {
            let part = TextLine::from_tokens(line.tokens[from..to].to_vec());
            around(image, part.bbox, part.char_height())
        })
        .collect()
}

/// The readings of a line's segments as one page line; `None` when no segment read anything.
fn joined(image: &GrayImage, parts: impl Iterator<Item = Line>) -> Option<TextLine> {
    let tokens: Vec<_> = parts
        .filter_map(|part| text_line(image, &part))
        .flat_map(|part| part.tokens)
        .collect();
    (!tokens.is_empty()).then(|| TextLine::from_tokens(tokens))
}

/// PP-OCRv6's reading of a line as the page's line: its words split at spaces, blank gaps and
/// where an amount follows its label ([`money_apart`]), in page coordinates. `None` when it read
/// nothing.
pub(super) fn text_line(image: &GrayImage, line: &Line) -> Option<TextLine> {
    // Its words as Japanese print writes them (`to_recognized`: 「・」, 「様」).
    let words = to_recognized(image, std::slice::from_ref(&money_apart(line))).words;
    let tokens = tokens_on_page(words, 0, 0, 1.0);
    (!tokens.is_empty()).then(|| TextLine::from_tokens(tokens))
}

/// The line with a space read before an amount that follows its label with no gap of ink between
/// them (PP-OCRv6 reads 「受講料38,000円」 as one word, where the extractor takes a line's label
/// and its amount from separate words): before a run of digits that reads as money — after a
/// yen sign, or of four digits or more, or followed by 円 — and not before a count (「第2回」)
/// nor after a hyphen (a phone number).
fn money_apart(line: &Line) -> Line {
    let digit = |g: &Glyph| g.text.chars().all(|c| c.is_ascii_digit()) && !g.text.is_empty();
    let yen = |g: &Glyph| matches!(g.text.as_str(), "¥" | "￥");
    let in_amount = |g: &Glyph| digit(g) || yen(g) || matches!(g.text.as_str(), "," | ".");
    let hyphen = |g: &Glyph| matches!(g.text.as_str(), "-" | "‐" | "−" | "－");
    let glyphs = &line.glyphs;
    let mut out: Vec<Glyph> = Vec::with_capacity(glyphs.len() + 2);
    for (i, g) in glyphs.iter().enumerate() {
        // Not after a hyphen: a phone number's or postcode's groups are one word
        // (「TEL033-000-3257」 gave the amount 3257, seed 31 sub056).
        let after_label = i > 0 && {
            let prev = &glyphs[i - 1];
            !in_amount(prev) && !prev.text.trim().is_empty() && !hyphen(prev)
        };
        if after_label && (digit(g) || yen(g)) {
            let run: Vec<&Glyph> = glyphs[i..].iter().take_while(|g| in_amount(g)).collect();
            let digits = run.iter().filter(|g| digit(g)).count();
            let followed_by_yen = glyphs.get(i + run.len()).is_some_and(|g| g.text == "円");
            if yen(g) || digits >= 4 || (digits > 0 && followed_by_yen) {
                out.push(Glyph {
                    text: " ".into(),
                    score: 1.0,
                    x0: g.x0,
                    x1: g.x0,
                });
            }
        }
        out.push(g.clone());
    }
    Line {
        text: out.iter().map(|g| g.text.as_str()).collect(),
        glyphs: out,
        ..line.clone()
    }
}

/// How far a field may be relied on, in order: not read, doubtful, read, agreed, sure.
fn rank(field: Option<&Field>) -> u8 {
    match field.map(|f| f.certainty) {
        None => 0,
        Some(Certainty::Doubtful(_)) => 1,
        Some(Certainty::Read) => 2,
        Some(Certainty::Agreed) => 3,
        Some(Certainty::Sure(_)) => 4,
    }
}

/// Breakdown lines the lexicon named (not `other`), as (category, amount), sorted.
fn named_items(doc: &Document) -> Vec<(ItemCategory, i64)> {
    let mut named: Vec<_> = doc
        .items
        .iter()
        .filter(|i| i.category != ItemCategory::Other)
        .map(|i| (i.category, i.amount))
        .collect();
    named.sort_unstable();
    named
}

/// Whether every element of sorted `part` is in sorted `whole` (as many times).
fn within(part: &[(ItemCategory, i64)], whole: &[(ItemCategory, i64)]) -> bool {
    let mut rest = whole.iter();
    part.iter().all(|p| rest.any(|w| w == p))
}

/// Whether `after` reads the page better than `before`: the same documents, each field at least as
/// certain as before (a changed value only when more certain), every named breakdown line kept, and
/// something gained — a field found or more certain, or a breakdown line named.
fn reads_better(before: &[Document], after: &[Document]) -> bool {
    if before.len() != after.len() || before.iter().zip(after).any(|(b, a)| b.kind != a.kind) {
        return false;
    }
    let mut gained = false;
    for (b, a) in before.iter().zip(after) {
        for (name, old) in &b.fields {
            let new = a.fields.get(name);
            let (was, is) = (rank(Some(old)), rank(new));
            if is < was || (is == was && new.map(|f| &f.value) != Some(&old.value)) {
                return false;
            }
            gained |= is > was;
        }
        gained |= a.fields.keys().any(|k| !b.fields.contains_key(k));
        // Every line named before is named alike after (no category changed), and one more named.
        let (was, is) = (named_items(b), named_items(a));
        if !within(&was, &is) {
            return false;
        }
        gained |= is.len() > was.len();
    }
    gained
}

#[cfg(test)]
mod tests;
