//! The money looks: on a receipt whose breakdown does not sum, each line of money read again by the
//! English model, with its zeros as printed and at other scales, and the fewest changes that make
//! the breakdown sum kept ([`money_look`]); last of all, the page read as sparse text
//! ([`sparse_look`]). Also what a line of money is ([`carries_money`], [`money_part`]), which the
//! other looks ask.
//!
//! Called by [`super::ReceiptLook::run`], and by the table and box looks on their own trials.

use image::GrayImage;

use crate::document::BBox;
use crate::extract::layout::{lines_from_tokens, TextLine, Token};
use crate::extract::normalize::{compact, parse_yen};
use crate::extract::read::looks_like_date_or_phone;
use crate::extract::{Extractor, PageInput};
use crate::ocr::{OcrError, PageSegMode};

use super::{breakdown_sums, unsummed_receipt, ReceiptLook, SCALES};
use crate::reading::lines::{line_of, read_line_at, read_line_without_frames, tokens_on_page};

/// Lines of money a receipt page's second look reads again, at most.
const MAX_MONEY_LINES: usize = 6;

/// Combinations of readings tried, at most (fewest changes first): each is one extraction, and the
/// more are tried, the likelier a sum that agrees by chance.
pub(super) const MAX_TRIALS: usize = 1024;

/// Re-reads the money on a receipt page whose breakdown does not sum to its total, and keeps the
/// fewest changed lines that make the sum come out. Each line carrying money gets, besides its first
/// reading: its amount as `digits` (an English engine) reads it; and, when the words before the
/// amount are no label the lexicon knows, the first re-reading by `text` at another scale whose
/// label it does know (with the English amount too). Returns whether the page was changed.
pub(super) fn money_look(
    look: &mut ReceiptLook<'_>,
    page: &mut PageInput,
) -> Result<bool, OcrError> {
    let (extractor, hints, image) = (look.extractor, look.hints, look.image);
    if !unsummed_receipt(page, extractor, hints) {
        return Ok(false);
    }
    // A label whose amount was not read at all (a stamp's frame through 「¥146,000-」 leaves
    // 「合計」 alone on its line; amounts far right of dot leaders are dropped whole at times) is
    // looked for as far right as the page's text goes.
    let text_right = page.lines.iter().map(|l| l.bbox.right()).max();
    let page_ch = PageInput::char_height(&page.lines);
    let mut choices: Vec<(usize, Vec<TextLine>)> = Vec::new();
    for (i, line) in page.lines.iter().enumerate() {
        if choices.len() >= MAX_MONEY_LINES {
            break;
        }
        let priced = money_part(line);
        let bare = priced.is_none();
        let part = priced.or_else(|| {
            let right = text_right?;
            let h = line.char_height();
            let bare_label =
                extractor.knows_label(&line.text()) && right > line.bbox.right() + h * 2;
            // The amount may stand a little lower than its label, and end past the amounts
            // above it (「¥146,000-」 under 「135,000円」). A label read with a box two lines high
            // (the dot leaders after it taken in) is looked at a line high about its middle, or
            // the row below comes into the crop (seed 3 sub001).
            let (y, height) = if line.bbox.h > page_ch * 2 {
                let middle = line.bbox.y + line.bbox.h / 2;
                (middle.saturating_sub(page_ch), page_ch * 2)
            } else {
                (line.bbox.y.saturating_sub(h / 4), line.bbox.h + h / 2)
            };
            bare_label.then(|| TextLine {
                tokens: line.tokens.clone(),
                bbox: BBox {
                    x: line.bbox.x,
                    y,
                    w: right + h * 3 - line.bbox.x,
                    h: height,
                },
            })
        });
        let Some(part) = part else {
            continue;
        };
        let english = read_line_at(look.digits, image, &part, 1.0)?;
        let mut alternatives = Vec::new();
        alternatives.extend(zeros_as_printed(image, line));
        alternatives.extend(with_amount_from(line, &english));
        // A gray 角印's frame through the amount (「¥146,000-」 reads 146,090) is whited out for a
        // reading of its own.
        let char_h = PageInput::char_height(&page.lines);
        let framed = page
            .marks
            .seals
            .iter()
            .any(|s| s.is_large(char_h) && s.bbox.overlaps(&part.bbox));
        if look.gray_stamps && framed {
            let unframed = read_line_without_frames(look.digits, image, &part, char_h)?;
            alternatives.extend(with_amount_from(line, &unframed));
        }
        // A label with no amount is looked at for its amount only (the English reading's).
        if !bare && !labelled(line, extractor) {
            for &scale in SCALES {
                let tokens = read_line_at(look.text, image, &part, scale)?;
                let Some(again) = line_of(tokens) else {
                    continue;
                };
                if labelled(&again, extractor) {
                    alternatives.extend(with_amount_from(&again, &english));
                    alternatives.push(again);
                    break;
                }
            }
        }
        alternatives.retain(|a| a.text() != line.text());
        alternatives.dedup_by(|a, b| a.text() == b.text());
        if !alternatives.is_empty() {
            choices.push((i, alternatives));
        }
    }
    let options: Vec<usize> = choices.iter().map(|c| c.1.len()).collect();
    for pick in combinations(&options).into_iter().take(MAX_TRIALS) {
        let mut trial = page.clone();
        for ((i, alternatives), &p) in choices.iter().zip(&pick) {
            if p > 0 {
                trial.lines[*i] = alternatives[p - 1].clone();
            }
        }
        let docs = extractor.extract_with("", std::slice::from_ref(&trial), hints);
        if docs.iter().any(breakdown_sums) {
            let changed = pick.iter().filter(|p| **p > 0).count();
            tracing::debug!(changed, "money second look made the sum agree");
            *page = trial;
            return Ok(true);
        }
    }
    Ok(false)
}

/// The last look at a receipt whose breakdown still does not sum: the whole page read again as
/// sparse text (`--psm 11`), which finds words the layout analysis drops — a handwritten amount in a
/// box, a breakdown row next to a stamp. Its lines of money take the place of the first reading's
/// (the rest of the page stays as first read), the money look runs on them, and the result is kept
/// only if the breakdown then sums to the total.
pub(super) fn sparse_look(
    look: &mut ReceiptLook<'_>,
    page: &mut PageInput,
) -> Result<bool, OcrError> {
    let (extractor, hints) = (look.extractor, look.hints);
    if !unsummed_receipt(page, extractor, hints) {
        return Ok(false);
    }
    let read = look
        .text
        .recognize_as(look.image, PageSegMode::SparseText)?;
    let sparse = lines_from_tokens(tokens_on_page(read.words, 0, 0, 1.0));
    let mut trial = page.clone();
    trial.lines.retain(|l| !carries_money(l));
    trial.lines.extend(sparse.into_iter().filter(carries_money));
    trial.lines.sort_by_key(|l| (l.bbox.y, l.bbox.x));
    if !unsummed_receipt(&trial, extractor, hints) || money_look(look, &mut trial)? {
        tracing::debug!("sparse look made the breakdown sum");
        *page = trial;
        return Ok(true);
    }
    Ok(false)
}

/// Every choice of one option per line (0 = the first reading, k = alternative k) except all-first,
/// fewest changed lines first.
pub(super) fn combinations(options: &[usize]) -> Vec<Vec<usize>> {
    let mut all: Vec<Vec<usize>> = vec![Vec::new()];
    for &n in options {
        all = all
            .into_iter()
            .flat_map(|pick| {
                (0..=n).map(move |p| {
                    let mut next = pick.clone();
                    next.push(p);
                    next
                })
            })
            .collect();
    }
    all.retain(|pick| pick.iter().any(|p| *p > 0));
    all.sort_by_key(|pick| pick.iter().filter(|p| **p > 0).count());
    all
}

/// Whether the words before the line's amount are a label the extractor knows.
fn labelled(line: &TextLine, extractor: &Extractor) -> bool {
    match crate::extract::read::amount_on(line) {
        Some((_, _, first, _)) => extractor.knows_label(&line.text_of(0, first)),
        None => false,
    }
}

/// A line that may state an amount (see [`money_part`]).
pub(super) fn carries_money(line: &TextLine) -> bool {
    money_part(line).is_some()
}

/// The part of a line that states an amount, from its start to the end of the first segment (words
/// apart from the rest by a wide gap) with three digits or more that is not an address, a date or a
/// phone number: a breakdown row read together with the address column beside it
/// (「入学料 30,000円 … TEL 024-000-6575」) still carries its amount, and is read again without it.
fn money_part(line: &TextLine) -> Option<TextLine> {
    for (from, to) in crate::extract::read::segments(line) {
        let segment = compact(&line.text_of(from, to));
        let before = compact(&line.text_of(0, to));
        let digits = segment.chars().filter(char::is_ascii_digit).count();
        // 第 numbers a licence class or a document, unless the amount ends in 円
        // (「受講料（第2回）35,000円」).
        let numbered = ["丁目", "番地", "FAX", "No."]
            .iter()
            .any(|w| before.contains(w))
            || before.contains('第') && !segment.ends_with('円');
        if digits >= 3 && !looks_like_date_or_phone(&segment) && !numbered {
            return line_of(line.tokens[..to].to_vec());
        }
    }
    None
}

/// The line with each digit of its amount whose glyph is a zero's ([`crate::ink::Glyph::zero`]) read
/// as 0: a handwritten 「77,000円」 with slashed zeros is read 「77.996円」 on the page (seed 13
/// sub014), a rounded 「5,800円」 「5.860円」 (seed 3 sub003). The amount's characters are matched
/// to its glyphs one for one, the small ones (`,` `.` `-`) left out; `None` when they do not pair
/// up or nothing changes. Only a breakdown that then sums is kept ([`money_look`]).
fn zeros_as_printed(image: &GrayImage, line: &TextLine) -> Option<TextLine> {
    let (_, _, first, _) = crate::extract::read::amount_on(line)?;
    // The amount's words: from its first to the last with a digit, and a 円 right after.
    let mut last = (first..line.tokens.len())
        .take_while(|&i| line.tokens[i].text.chars().any(|c| c.is_ascii_digit()))
        .last()?;
    if line.tokens.get(last + 1).is_some_and(|t| t.text == "円") {
        last += 1;
    }
    let area = line.tokens[first + 1..=last]
        .iter()
        .fold(line.tokens[first].bbox, |a, t| a.union(&t.bbox));
    let margin = area.h / 4;
    // Glyphs of the rows above and below, which the margin reaches into, are left out.
    let glyphs: Vec<crate::ink::Glyph> = crate::ink::glyphs(
        image,
        BBox {
            x: area.x.saturating_sub(margin),
            y: area.y.saturating_sub(margin),
            w: area.w + margin * 2,
            h: area.h + margin * 2,
        },
    )
    .into_iter()
    .filter(|g| {
        let middle = g.bbox.y + g.bbox.h / 2;
        middle >= area.y && middle < area.bottom()
    })
    .collect();
    // 円 comes apart in two pieces at times; it is the last glyph, so it is left unpaired.
    let small = |c: char| c.is_whitespace() || ",.-ー_:'`·、。円".contains(c);
    let big = line.tokens[first..=last]
        .iter()
        .flat_map(|t| t.text.chars())
        .filter(|&c| !small(c))
        .count();
    let yen = line.tokens[first..=last]
        .iter()
        .any(|t| t.text.ends_with('円'));
    let spare = glyphs.len().checked_sub(big)?;
    // What is left over is 円 alone: one glyph's width (else a digit was read too few).
    if spare > 0 {
        let rest = &glyphs[big..];
        let width = rest.iter().map(|g| g.bbox.right()).max()? - rest[0].bbox.x;
        let height = glyphs.iter().map(|g| g.bbox.h).max()?;
        if !yen || spare > 2 || width * 4 > height * 5 {
            return None;
        }
    }
    let mut out = line.clone();
    let mut glyph = glyphs.iter();
    let mut changed = false;
    for t in &mut out.tokens[first..=last] {
        let text: String = t
            .text
            .chars()
            .map(|c| {
                if small(c) {
                    return c;
                }
                match glyph.next() {
                    Some(g) if g.zero && c.is_ascii_digit() && c != '0' => {
                        changed = true;
                        '0'
                    }
                    _ => c,
                }
            })
            .collect();
        t.text = text;
    }
    changed.then_some(out)
}

/// The line with its amount replaced by the one the English reading gives: the Japanese words left
/// and right of the English amount's box stay (they carry the label), the words under it become
/// one word, the amount written plainly (`213,000円`). None when the English reading holds no amount.
fn with_amount_from(line: &TextLine, english: &[Token]) -> Option<TextLine> {
    // The English words that make up the amount: the longest run of words reading as digits.
    let (value, first, last) = english_amount(english)?;
    let x0 = english[first].bbox.x;
    let x1 = english[last].bbox.right();
    let h = line.char_height();
    let mut tokens: Vec<Token> = line
        .tokens
        .iter()
        .filter(|t| {
            let centre = t.bbox.x + t.bbox.w / 2;
            // The 円 right after the amount is written back with it.
            let yen = t.text == "円" && centre > x0 && centre <= x1 + h * 2;
            (centre + h / 2 < x0 || centre > x1 + h) && !yen
        })
        .cloned()
        .collect();
    let bbox = english[first..=last]
        .iter()
        .skip(1)
        .fold(english[first].bbox, |a, t| a.union(&t.bbox));
    let confidence = english[first..=last]
        .iter()
        .map(|t| t.confidence)
        .fold(1.0f32, f32::min);
    tokens.push(Token {
        text: format!("{}円", crate::document::grouped_yen(value)),
        confidence,
        agreed: false,
        bbox,
    });
    tokens.sort_by_key(|t| t.bbox.x);
    line_of(tokens)
}

/// The amount in an English reading and the words it spans: digits with `,`/`.` between groups of
/// three, a yen sign or `\` before, and whatever the English model makes of 円 after (`F9`, `A`)
/// cut off at the first letter.
fn english_amount(words: &[Token]) -> Option<(i64, usize, usize)> {
    let mut best: Option<(i64, usize, usize, usize)> = None;
    for first in 0..words.len() {
        let mut text = String::new();
        for (last, w) in words.iter().enumerate().skip(first).take(4) {
            text.push_str(&w.text);
            let cut: String = text
                .chars()
                // Dot leaders run into the amount (「........30,000F9」).
                .skip_while(|c| matches!(c, '¥' | '\\' | '$' | '.' | ',' | '…' | '·' | '-' | '_'))
                .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
                .collect();
            // After a thousands separator a group has three digits; a fourth right after it is 円
            // as the English model reads it (「183,0007}」, 「30,000F9」 → 「30,0009」 with digits only).
            let cut = match cut.rfind([',', '.']) {
                Some(p) if cut.len() - p - 1 > 3 => cut[..p + 4].to_string(),
                _ => cut,
            };
            let digits = cut.chars().filter(char::is_ascii_digit).count();
            if digits < 3 || !cut.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let Some((value, _)) = parse_yen(cut.trim_end_matches([',', '.'])) else {
                continue;
            };
            if best.is_none_or(|b| digits > b.3) {
                best = Some((value, first, last, digits));
            }
        }
    }
    best.map(|(v, f, l, _)| (v, f, l))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::imageops;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    use crate::document::receipt_fields as rf;
    use crate::extract::Hints;
    use crate::ocr::testpage;

    use crate::reading::looks::testkit::{
        a4, engines, look_with, read_above_the_table, read_as, tok,
    };

    #[test]
    fn a_breakdown_row_read_with_the_address_beside_it_still_carries_its_amount() {
        // Seed 3 sub015: the row and the institution's telephone number on one line.
        let row = line_of(vec![
            tok("入学料", 100),
            tok("30,000円", 500),
            tok("TEL024-000-6575", 1200),
        ])
        .expect("line");
        let part = money_part(&row).expect("carries money");
        assert_eq!(part.text(), "入学料 30,000円");
        // A telephone number or an address alone carries none; an instalment row does.
        let phone = line_of(vec![tok("TEL", 100), tok("024-000-6575", 200)]).expect("line");
        assert!(money_part(&phone).is_none());
        let address = line_of(vec![tok("川口市3丁目16番4号", 100)]).expect("line");
        assert!(money_part(&address).is_none());
        let instalment =
            line_of(vec![tok("受講料（第2回）", 100), tok("35,000円", 500)]).expect("line");
        assert!(money_part(&instalment).is_some());
    }

    #[test]
    fn the_english_reading_of_an_amount_keeps_three_digits_after_a_separator() {
        // 円 read as 「F9」, 「7}」: cut at the letter, or after the third digit of the group.
        let words = [tok("ASA", 200), tok("30,", 760), tok("000F9", 850)];
        assert_eq!(english_amount(&words), Some((30_000, 1, 2)));
        let words = [tok("ean", 200), tok("183,", 740), tok("0007}", 840)];
        assert_eq!(english_amount(&words), Some((183_000, 1, 2)));
        assert_eq!(
            english_amount(&[tok("¥213,", 700), tok("000-", 960)]).map(|a| a.0),
            Some(213_000)
        );
        // Fewer than three digits is no amount.
        assert_eq!(
            english_amount(&[tok("Dd", 10), tok("eH", 90), tok("30", 200)]),
            None
        );
        assert_eq!(crate::document::grouped_yen(1_130_000), "1,130,000");
        assert_eq!(crate::document::grouped_yen(900), "900");
    }

    #[test]
    fn the_english_amount_replaces_the_words_under_it_and_the_label_stays() {
        let line = line_of(vec![
            tok("入学", 210),
            tok("料", 272),
            tok("39.9990", 760),
            tok("円", 930),
        ])
        .expect("line");
        let english = [tok("Asa", 210), tok("30,", 760), tok("000F9", 850)];
        let alt = with_amount_from(&line, &english).expect("an amount");
        assert_eq!(alt.text(), "入学料 30,000円");
        let extractor = Extractor::default();
        assert!(labelled(&alt, &extractor));
        assert!(!labelled(
            &line_of(vec![tok("へ", 210), tok("れ", 300), tok("30,000円", 760)]).expect("line"),
            &extractor
        ));
    }

    #[test]
    fn combinations_come_fewest_changes_first_without_the_first_reading_alone() {
        let all = combinations(&[1, 2]);
        assert_eq!(all.len(), 2 * 3 - 1);
        assert!(all.iter().all(|p| p.iter().any(|c| *c > 0)));
        let changed: Vec<usize> = all
            .iter()
            .map(|p| p.iter().filter(|c| **c > 0).count())
            .collect();
        assert!(changed.windows(2).all(|w| w[0] <= w[1]), "{changed:?}");
        assert_eq!(changed, [1, 1, 1, 2, 2]);
    }

    #[test]
    fn a_total_read_without_its_amount_is_read_again_past_a_seals_frame() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let (font, mut img) = (testpage::font(), a4());
        // As on seed 11 sub057: a gray 角印's frame (8 px thick) drawn before the print, its top
        // side and left side crossing the end of 「¥146,000-」.
        let gray = image::Luma([150]);
        for (x, y, w, h) in [
            (760, 1552, 200, 8),
            (760, 1752, 200, 8),
            (760, 1552, 8, 208),
            (952, 1552, 8, 208),
        ] {
            draw_filled_rect_mut(&mut img, Rect::at(x, y).of_size(w, h), gray);
        }
        let rows = [
            ("入学料", "30,000円"),
            ("受講料", "116,000円"),
            ("合計", "¥146,000-"),
        ];
        let mut lines = Vec::new();
        for (i, (label, amount)) in rows.iter().enumerate() {
            let y = 1400 + 70 * i as u32;
            let spans = testpage::draw(&mut img, &font, label, 180.0, y as f32, 36.0);
            let amount_spans = testpage::draw(&mut img, &font, amount, 650.0, y as f32, 36.0);
            // The page reading: each row with its amount, but the total's amount not at all.
            let mut l = if i < 2 {
                let both: Vec<testpage::Span> =
                    spans.iter().chain(&amount_spans).cloned().collect();
                read_as(&[(label, spans[0].x), (amount, amount_spans[0].x)], &both)
            } else {
                read_as(&[(label, spans[0].x)], &spans)
            };
            for t in &mut l.tokens {
                t.confidence = 0.9;
            }
            lines.push(l);
        }
        // Scanned soft, as the corpus's degraded pages are.
        let img = imageops::blur(&img, 1.5);
        let mut page = read_above_the_table(&["領収書", "山田 花子 様"], 36);
        page.lines.extend(lines);
        page.marks.seals.push(crate::extract::marks::Seal {
            bbox: BBox {
                x: 760,
                y: 1552,
                w: 200,
                h: 208,
            },
            ink: crate::extract::marks::Ink::Gray,
            ring: false,
        });
        let before = extractor.extract_with("", std::slice::from_ref(&page), &hints);
        assert!(!breakdown_sums(&before[0]));
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        assert!(money_look(&mut look, &mut page).expect("reads"));
        let docs = extractor.extract_with("", std::slice::from_ref(&page), &hints);
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(146_000));
        assert!(breakdown_sums(&docs[0]), "{:?}", docs[0].items);
    }

    #[test]
    fn slashed_zeros_read_as_six_or_nine_are_read_as_zero() {
        let font = crate::ocr::testpage::font();
        let mut img = GrayImage::from_pixel(800, 200, image::Luma([255]));
        crate::ocr::testpage::draw(&mut img, &font, "受講料", 20.0, 100.0, 40.0);
        // 「7 7 , Ø Ø Ø 円」, one glyph at a time, 28 px apart; the zeros crossed by 「/」.
        let x0 = 300.0;
        for (i, c) in "77,000円".chars().enumerate() {
            let x = x0 + i as f32 * 28.0;
            crate::ocr::testpage::draw(&mut img, &font, &c.to_string(), x, 100.0, 40.0);
            if c == '0' {
                crate::ocr::testpage::draw(&mut img, &font, "/", x, 100.0, 40.0);
            }
        }
        let word = |text: &str, x: u32, w: u32| Token {
            text: text.into(),
            confidence: 0.9,
            agreed: false,
            bbox: BBox {
                x,
                y: 100,
                w,
                h: 44,
            },
        };
        let read = |amount: &str| {
            line_of(vec![word("受講料", 20, 120), word(amount, 300, 240)]).expect("line")
        };
        let read_again = zeros_as_printed(&img, &read("77.996円")).expect("zeros found");
        assert_eq!(read_again.text(), "受講料 77.000円");
        // The 7s are no zeros, and a reading already right is left as it is.
        assert_eq!(zeros_as_printed(&img, &read("77.000円")), None);
        // A reading with a glyph more or fewer than the print does not pair up.
        assert_eq!(zeros_as_printed(&img, &read("7.996円")), None);
    }
}
