//! The date look: a receipt's issue date read again when none was read, or only one years from
//! the course, or one with two digits squeezed into one (「22日」 read 「2日」). The lines that look
//! dated are read alone by the English model, by the Japanese one at other scales and in date
//! glyphs alone; a date two readings give alike is written back plainly ([`date_look`]).
//!
//! Called first by [`super::ReceiptLook::run`]; the line helpers [`dated`] and [`date_start`] also
//! serve the known-text look ([`super::second`]) and [`might_be_dated`] the lost-text look
//! ([`super::lost`]). Not here: what a date means (the extractor).

use crate::document::{receipt_fields as rf, DocKind};
use crate::extract::layout::{TextLine, Token};
use crate::extract::normalize::{compact, parse_date, year_then_separator};
use crate::extract::{Extractor, Hints, PageInput};
use crate::ocr::OcrError;

use super::money::carries_money;
use super::ReceiptLook;
use crate::reading::lines::{line_of, read_line_at};

/// Lines a receipt page's date look reads again, at most (the date is printed near the top).
const MAX_DATE_LINES: usize = 3;

/// How a date look reads a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateReader {
    /// The English engine: digits and slashes, not the kanji around them.
    English,
    /// The Japanese engine as the page was read.
    Japanese,
    /// The Japanese engine allowed only the glyphs a date is written in ([`DATE_GLYPHS`]).
    DateGlyphs,
}

/// The readings a date look takes of a line, in order, until two give the same date.
/// The Japanese reading at full size comes after the others: the line alone can read what the page
/// did not (seed 13 sub047: 「2624年12月31晶」 on the page, 「2024年12月31日」 alone). The readings in
/// date glyphs alone come last: a handwritten digit the Japanese engine reads as kana (「令和6年3月
/// 2っ2日」 for 22日 on seed 11 sub059) is read as a digit once kana are not allowed, but a glyph it
/// cannot make out is then dropped, not marked: 「令和り年」 for 令和7年 on seed 7 sub058 reads
/// 「令和年」 at 1.0 and 0.7, and 「令和7年」 only at 0.5 and 0.6, the smallest scales.
const DATE_READINGS: &[(DateReader, f32)] = &[
    (DateReader::English, 1.0),
    (DateReader::Japanese, 0.5),
    (DateReader::Japanese, 0.7),
    (DateReader::English, 0.7),
    (DateReader::Japanese, 1.0),
    (DateReader::DateGlyphs, 1.0),
    (DateReader::DateGlyphs, 0.7),
    (DateReader::DateGlyphs, 0.5),
    (DateReader::DateGlyphs, 0.6),
];

/// The glyphs an issue date is written in, for [`DateReader::DateGlyphs`].
const DATE_GLYPHS: &str = "0123456789令和平成元年月日/.";

/// The issue date of a receipt page on which none was read, or only one years from the course: each line near the top that looks
/// like it holds a date (an era, 年 or 月, or digits between slashes) is read again by `digits` (the
/// English engine reads 2025/03/08 that the Japanese one gives as 03/68) and by `text` at the other
/// scales; a date two readings give alike is written back plainly. Returns whether a date was
/// found.
pub(super) fn date_look(
    look: &mut ReceiptLook<'_>,
    page: &mut PageInput,
) -> Result<bool, OcrError> {
    let (extractor, hints) = (look.extractor, look.hints);
    let undated = undated_receipt(page, extractor, hints);
    let candidates: Vec<usize> = page
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| might_be_dated(l) && (undated || squeezed_digits(l)))
        .map(|(i, _)| i)
        .take(MAX_DATE_LINES)
        .collect();
    if !undated {
        // A date read with two digits as one (「22日」 read 「2日」): read again, and written
        // back when two readings agree on another date.
        let read = issue_date(page, extractor, hints);
        for i in candidates {
            if let Some(again) = agreed_date(look, &page.lines, i)? {
                let mut trial = page.clone();
                trial.lines[i] = again;
                let now = issue_date(&trial, extractor, hints);
                let widened = matches!((read, now), (Some(a), Some(b)) if one_digit_widened(a, b));
                if widened && !undated_receipt(&trial, extractor, hints) {
                    tracing::debug!("date look: a squeezed date read again");
                    *page = trial;
                    return Ok(true);
                }
            }
        }
        return Ok(false);
    }
    let beside_titles = page
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| small_print_after_large(l).map(|from| (i, from)))
        .filter(|(i, _)| !candidates.contains(i))
        .take(MAX_DATE_LINES);
    let candidates: Vec<(usize, usize, Vec<Token>)> = candidates
        .iter()
        .map(|&i| {
            let (from, beside) = date_part_start(&page.lines, i);
            (i, from, beside)
        })
        .chain(beside_titles.map(|(i, from)| (i, from, Vec::new())))
        .collect();
    for (i, from, beside) in candidates {
        if let Some(again) = agreed_date_from(look, &page.lines[i], from, beside)? {
            let mut trial = page.clone();
            trial.lines[i] = again;
            if !undated_receipt(&trial, extractor, hints) {
                tracing::debug!("date look: two readings agreed on the issue date");
                *page = trial;
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Where small print starts after large on `line`: the words after the last one near the line's
/// tallest (two thirds of its height or more), if that tallest is half as tall again as they.
/// A title and the small print beside it (「領収書　　納入日 令和7年12月4日」) stand on one line,
/// and the page's reading of the line is at the title's size: the small print comes out as
/// noise (「員 収書 "ym 人zo」, seed 53 sub030, a wrong 補正依頼 for a date printed there) and looks
/// dated to no one until it is read alone.
fn small_print_after_large(line: &TextLine) -> Option<usize> {
    let heights: Vec<u32> = line.tokens.iter().map(|t| t.bbox.h).collect();
    let tallest = *heights.iter().max()?;
    let from = heights.iter().rposition(|&h| h * 3 >= tallest * 2)? + 1;
    let mut small: Vec<u32> = heights.get(from..)?.to_vec();
    if small.is_empty() {
        return None;
    }
    small.sort_unstable();
    let median = small[small.len() / 2];
    (tallest * 2 >= median * 3).then_some(from)
}

/// `line` with its date written plainly, if two of the date look's readings of it give the same
/// date.
fn agreed_date(
    look: &mut ReceiptLook<'_>,
    lines: &[TextLine],
    i: usize,
) -> Result<Option<TextLine>, OcrError> {
    let (from, beside) = date_part_start(lines, i);
    agreed_date_from(look, &lines[i], from, beside)
}

/// [`agreed_date`] of the words of `line` from `from` on, with `beside` (words of other lines
/// that belong to the date) before them.
fn agreed_date_from(
    look: &mut ReceiptLook<'_>,
    line: &TextLine,
    from: usize,
    beside: Vec<Token>,
) -> Result<Option<TextLine>, OcrError> {
    let mut tokens = beside;
    tokens.extend_from_slice(&line.tokens[from..]);
    let Some(part) = line_of(tokens) else {
        return Ok(None);
    };
    let mut seen: Vec<chrono::NaiveDate> = Vec::new();
    for &(reader, scale) in DATE_READINGS {
        let tokens = read_date_line(look, &part, reader, scale)?;
        let Some(again) = line_of(tokens) else {
            continue;
        };
        // A date years from the course is a misread digit, however many readings give it.
        let Some((d, _)) =
            parse_date(&again.text()).filter(|(d, _)| !look.hints.far_from_course(*d))
        else {
            continue;
        };
        if seen.contains(&d) {
            return Ok(Some(dated(line, from, &part, d)));
        }
        seen.push(d);
    }
    Ok(None)
}

/// Where the date on `lines[i]` starts ([`date_start`]), and the words of other lines just before
/// it that belong to it. A year of one or two digits is an era's, and its era may have been read
/// as words `date_start` passes over (「偽 和 8年」 on seed 21 sub017, read 「18年」 alone) or into
/// the line beside it (the title's 「吾 収 盟 信和」 before 「7年2月12日」 on seed 11 sub031): the
/// date then starts with the words up to two and a half characters before its first digit.
fn date_part_start(lines: &[TextLine], i: usize) -> (usize, Vec<Token>) {
    let line = &lines[i];
    let from = date_start(line);
    let rest = compact(&line.text_of(from, line.tokens.len()));
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let era_year = (1..=2).contains(&digits) && rest.chars().nth(digits) == Some('年');
    if !era_year {
        return (from, Vec::new());
    }
    let first = line.tokens[from].bbox;
    let reach = first.x.saturating_sub(line.char_height() * 5 / 2);
    let mut start = from;
    while start > 0 && line.tokens[start - 1].bbox.right() > reach {
        start -= 1;
    }
    let (top, bottom) = line.core();
    let mut beside: Vec<Token> = lines
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != i)
        .flat_map(|(_, l)| &l.tokens)
        .filter(|t| {
            let middle = t.bbox.y + t.bbox.h / 2;
            (top..=bottom).contains(&middle) && t.bbox.x < first.x && t.bbox.right() > reach
        })
        .cloned()
        .collect();
    beside.sort_by_key(|t| t.bbox.x);
    (start, beside)
}

/// Reads `part` (a line holding a date) alone at `scale` as `reader` says.
fn read_date_line(
    look: &mut ReceiptLook<'_>,
    part: &TextLine,
    reader: DateReader,
    scale: f32,
) -> Result<Vec<Token>, OcrError> {
    match reader {
        DateReader::English => read_line_at(look.digits, look.image, part, scale),
        DateReader::Japanese => read_line_at(look.text, look.image, part, scale),
        DateReader::DateGlyphs => {
            look.text
                .set_variable("tessedit_char_whitelist", DATE_GLYPHS)?;
            let read = read_line_at(look.text, look.image, part, scale);
            // Every other reading by the page's engine is of all its glyphs again.
            look.text.set_variable("tessedit_char_whitelist", "")?;
            read
        }
    }
}

/// The issue date the extractor reads on a receipt page.
fn issue_date(page: &PageInput, extractor: &Extractor, hints: &Hints) -> Option<chrono::NaiveDate> {
    extractor
        .extract_with("", std::slice::from_ref(page), hints)
        .iter()
        .find(|d| d.kind == DocKind::Receipt)
        .and_then(|d| d.date(rf::ISSUED_ON))
}

/// Whether `after` is `before` with its one-digit day or month read as the two digits it was
/// squeezed from (1日 → 11日 or 12日, 2日 → 22日), all else alike: the only change a reading of
/// squeezed digits may make (two readings once agreed on 19日 for a 17日 read right).
fn one_digit_widened(before: chrono::NaiveDate, after: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    let widened = |a: u32, b: u32| a < 10 && b >= 10 && (b / 10 == a || b % 10 == a);
    before.year() == after.year()
        && (before.month() == after.month() && widened(before.day(), after.day())
            || before.day() == after.day() && widened(before.month(), after.month()))
}

/// Whether a lone digit on the line is wider than one digit's ink can be: a 「1」 over
/// three-quarters of its height (37 by 36 px for 「11」 on seed 3 sub017), another digit over five
/// quarters of it (36 by 28 px for 「22」 on seed 5 sub011): two digits read as one. Spaced-out
/// dates give their words boxes up to twice as wide as their ink on many receipts, so a digit's box
/// must be wider than that to be read again (reading every box over three-quarters again cost 7 %
/// of the benchmark).
fn squeezed_digits(line: &TextLine) -> bool {
    line.tokens.iter().any(|t| {
        let (w, h) = (t.bbox.w, t.bbox.h);
        match t.text.as_str() {
            "1" => w * 4 > h * 3,
            d if d.len() == 1 && d.chars().all(|c| c.is_ascii_digit()) => w * 4 > h * 5,
            _ => false,
        }
    })
}

/// A receipt page on which no issue date was read (at most a date seen and not made out), or only
/// one years away from the course (「2029年」 for 2025, which the extractor reads as unsure).
fn undated_receipt(page: &PageInput, extractor: &Extractor, hints: &Hints) -> bool {
    let docs = extractor.extract_with("", std::slice::from_ref(page), hints);
    docs.iter().any(|d| d.kind == DocKind::Receipt)
        && !docs.iter().any(|d| {
            d.kind == DocKind::Receipt
                && d.date(rf::ISSUED_ON)
                    .is_some_and(|date| !hints.far_from_course(date))
        })
}

/// A line that may hold a date: an era's name or first glyph, 年 or 月 with a digit, or digits
/// between slashes; not a line of money, unless a year and a slash start it (「2025/01703」, its
/// second slash read as 7, reads as an amount) or a year and month/day end it with the first
/// slash read as a digit (「2025704/10」).
pub(super) fn might_be_dated(line: &TextLine) -> bool {
    let text = compact(&line.text());
    let digit = text.chars().any(|c| c.is_ascii_digit());
    let year_slash = year_then_separator(&text);
    let marked = ["令和", "平成", "年", "月"]
        .iter()
        .any(|w| text.contains(w))
        || text.matches('/').count() >= 2;
    year_slash || (marked && digit || text.contains("令和")) && !carries_money(line)
}

/// The line with the words from `from` on (the date part, `part`) replaced by the date `d` written
/// plainly (`2024年11月22日`).
pub(super) fn dated(
    line: &TextLine,
    from: usize,
    part: &TextLine,
    d: chrono::NaiveDate,
) -> TextLine {
    use chrono::Datelike;
    let mut tokens = line.tokens[..from].to_vec();
    tokens.push(Token {
        text: format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        confidence: part.confidence_of(0, part.tokens.len()),
        agreed: false,
        bbox: part.bbox,
    });
    line_of(tokens).unwrap_or_else(|| part.clone())
}

/// The first word of the date on a line: the first with a digit or an era's first glyph (as read).
pub(super) fn date_start(line: &TextLine) -> usize {
    line.tokens
        .iter()
        .position(|t| {
            t.text
                .chars()
                .any(|c| c.is_ascii_digit() || "令信今合平昭".contains(c))
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::BBox;
    use crate::ocr::testpage;

    use crate::reading::looks::testkit::{engines, line, look_with, read_as, receipt_page, tok};

    #[test]
    fn a_squeezed_date_may_only_gain_the_digit_it_lost() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert!(one_digit_widened(d("2025-07-02"), d("2025-07-22")));
        assert!(one_digit_widened(d("2025-10-01"), d("2025-10-12")));
        assert!(one_digit_widened(d("2024-01-06"), d("2024-11-06")));
        assert!(!one_digit_widened(d("2025-12-17"), d("2025-12-19")));
        assert!(!one_digit_widened(d("2025-07-02"), d("2025-07-13")));
        assert!(!one_digit_widened(d("2025-07-02"), d("2026-07-22")));
    }

    #[test]
    fn a_lone_digit_wider_than_its_ink_can_be_is_two_digits_squeezed() {
        let with = |text: &str, w: u32, h: u32| {
            line_of(vec![
                Token {
                    text: "令和7年7月".into(),
                    confidence: 0.9,
                    agreed: false,
                    bbox: BBox {
                        x: 100,
                        y: 170,
                        w: 200,
                        h: 32,
                    },
                },
                Token {
                    text: text.into(),
                    confidence: 0.97,
                    agreed: false,
                    bbox: BBox {
                        x: 320,
                        y: 173,
                        w,
                        h,
                    },
                },
            ])
            .expect("line")
        };
        // Seed 5 sub011: 「22」 read 「2」 in a box 36 by 28.
        assert!(squeezed_digits(&with("2", 36, 28)));
        // A spaced-out date's lone digit: its box up to twice its ink (about 0.6 of its height).
        assert!(!squeezed_digits(&with("2", 33, 28)));
        assert!(squeezed_digits(&with("1", 22, 28)));
        assert!(!squeezed_digits(&with("1", 20, 28)));
        assert!(!squeezed_digits(&with("日", 40, 28)));
    }

    #[test]
    fn a_lone_one_wider_than_a_ones_ink_is_two_read_as_one() {
        let word = |text: &str, w: u32, h: u32| Token {
            text: text.into(),
            confidence: 0.97,
            agreed: false,
            bbox: BBox {
                x: 100,
                y: 100,
                w,
                h,
            },
        };
        // Seed 3 sub017: 「11日」 read 「1日」, the 1 37 px wide and 36 high.
        let ones = line_of(vec![word("3", 30, 70), word("1", 37, 36)]).expect("line");
        assert!(squeezed_digits(&ones));
        let one = line_of(vec![word("1", 14, 36)]).expect("line");
        assert!(!squeezed_digits(&one));
        let plain = line_of(vec![
            word("7", 27, 45),
            word("12", 30, 28),
            word("年", 31, 33),
        ])
        .expect("line");
        assert!(!squeezed_digits(&plain));
    }

    #[test]
    fn a_date_in_small_print_beside_the_title_is_read_alone() {
        let (mut text, mut digits) = engines();
        let extractor = Extractor::default();
        let hints = Hints::default();
        // Seed 53 sub030: 「領収書」 large, 「納入日 令和7年12月4日」 small beside it, read as one
        // line at the title's size: 「員 収書 "ym 人zo」.
        let mut img = crate::reading::looks::testkit::a4();
        let font = testpage::font();
        let title = testpage::draw(&mut img, &font, "領収書", 500.0, 150.0, 64.0);
        let date = testpage::draw(&mut img, &font, "納入日 令和7年12月4日", 900.0, 180.0, 30.0);
        let as_read = |span: &testpage::Span, text: &str| Token {
            text: text.into(),
            confidence: 0.4,
            agreed: false,
            bbox: BBox {
                x: span.x,
                y: span.y,
                w: span.w,
                h: span.h,
            },
        };
        let first = line_of(vec![
            as_read(&title[0], "員収書"),
            as_read(&date[0], "\"ym"),
            as_read(&date[1], "人zo"),
        ])
        .expect("line");
        assert_eq!(small_print_after_large(&first), Some(1));
        let mut page = receipt_page(first, &UNDATED);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        assert!(date_look(&mut look, &mut page).expect("reads"));
        assert_eq!(
            issue_date(&page, &extractor, &hints),
            chrono::NaiveDate::from_ymd_opt(2025, 12, 4)
        );
    }

    #[test]
    fn small_print_is_what_follows_the_last_large_word() {
        let word = |h: u32| Token {
            text: "字".into(),
            confidence: 0.9,
            agreed: false,
            bbox: BBox {
                x: 100,
                y: 100,
                w: h,
                h,
            },
        };
        let line = |hs: &[u32]| line_of(hs.iter().map(|&h| word(h)).collect()).expect("line");
        assert_eq!(small_print_after_large(&line(&[61, 94, 31, 32])), Some(2));
        // One size, or small print before the large: none.
        assert_eq!(small_print_after_large(&line(&[40, 38, 41])), None);
        assert_eq!(small_print_after_large(&line(&[30, 30, 64])), None);
    }

    #[test]
    fn lines_that_may_hold_a_date_however_its_slashes_were_read() {
        for dated in [
            "2025年4月10日",
            "令和7年5月10B",
            "2025/04/10",
            "2025/01703",
            "2025704/10",
            // The label before it makes the line longer, not less dated (seed 23 sub005).
            "納入日:2025707/07",
        ] {
            assert!(might_be_dated(&line(dated)), "{dated}");
        }
        for other in [
            "受講料 57,200円",
            "TEL 036-000-3863",
            "No. 08469",
            "20257041010",
            "整理番号 12025707/07",
        ] {
            assert!(!might_be_dated(&line(other)), "{other}");
        }
    }

    /// The lines of a receipt page but its date, as read.
    const UNDATED: [&str; 4] = [
        "領収証",
        "山田 花子 様",
        "金 50,000円 也",
        "学校法人 さくら学園",
    ];

    #[test]
    fn an_issue_date_two_readings_agree_on_is_written_back_and_a_line_without_one_is_left_alone() {
        let (mut text, mut digits) = engines();
        let extractor = Extractor::default();
        let hints = Hints::default();

        // The page said 2025/03/08; suppose the page reading gave 03/68 (no such day).
        let (img, spans) = testpage::render_line("2025/03/08", 44.0);
        let first = read_as(&[("2025/03/68", spans[0].x)], &spans);
        let mut page = receipt_page(first, &UNDATED);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        assert!(date_look(&mut look, &mut page).expect("reads"));
        assert_eq!(
            issue_date(&page, &extractor, &hints),
            chrono::NaiveDate::from_ymd_opt(2025, 3, 8)
        );

        // A line whose image holds no date at all: nothing is written back.
        let (img, spans) = testpage::render_line("上記正に領収いたしました", 44.0);
        let first = read_as(&[("上記正に領収年月", spans[0].x)], &spans);
        let mut page = receipt_page(first.clone(), &UNDATED);
        look.image = &img;
        assert!(!date_look(&mut look, &mut page).expect("reads"));
        assert_eq!(page.lines[0], first);
    }

    #[test]
    fn an_era_year_read_without_its_era_is_read_again_with_the_words_before_it() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        // As on seed 11 sub031: the era went into the title's line beside the date.
        let (img, spans) = testpage::render_line("令和 7年2月12日", 44.0);
        let date = read_as(&[("7年2月12日", spans[1].x)], &spans[1..]);
        let mut title = read_as(&[("信和", spans[0].x)], &spans[..1]);
        title.tokens.insert(
            0,
            Token {
                text: "吾収盟".into(),
                ..tok("", 0)
            },
        );
        let mut page = receipt_page(date.clone(), &UNDATED);
        page.lines.push(title);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        assert!(date_look(&mut look, &mut page).expect("reads"));
        assert_eq!(
            issue_date(&page, &extractor, &hints),
            chrono::NaiveDate::from_ymd_opt(2025, 2, 12)
        );

        // As on seed 21 sub017: 「偽 和 8年」 on one line, the era's words before the year's.
        let words = [
            ("発行日", 100),
            ("偽", 262),
            ("和", 290),
            ("8年", 318),
            ("5月2日", 400),
        ];
        let line = line_of(words.iter().map(|&(t, x)| tok(t, x)).collect()).expect("a line");
        assert_eq!(date_part_start(std::slice::from_ref(&line), 0), (1, vec![]));
        // A year with its era, or a Western year, starts where its first digit does.
        for words in [
            [("発行日", 100), ("令和", 262), ("8年", 318)],
            [("発行日", 100), ("西暦", 262), ("2026年", 318)],
        ] {
            let line = line_of(words.iter().map(|&(t, x)| tok(t, x)).collect()).expect("a line");
            assert_eq!(
                date_part_start(std::slice::from_ref(&line), 0),
                (date_start(&line), vec![])
            );
        }
    }

    #[test]
    fn a_date_read_in_date_glyphs_alone_leaves_the_engine_reading_every_glyph() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let (img, spans) = testpage::render_line("令和6年3月22日", 44.0);
        let part = read_as(&[("令和6年3月2っ2日", spans[0].x)], &spans);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        let read = read_date_line(&mut look, &part, DateReader::DateGlyphs, 1.0).expect("reads");
        let read = line_of(read).expect("a line");
        assert_eq!(
            parse_date(&read.text()).map(|(d, _)| d),
            chrono::NaiveDate::from_ymd_opt(2024, 3, 22)
        );
        // Kana are read again afterwards.
        let (img, _) = testpage::render_line("上記正に領収いたしました", 44.0);
        let again = text.recognize_line(&img).expect("reads");
        let again: String = again.words.iter().map(|w| w.text.as_str()).collect();
        assert!(again.contains("いたしました"), "read {again:?}");
    }
}
