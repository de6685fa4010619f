//! Reading helpers shared by the document readers: find a label on a line and take what follows,
//! find amounts and dates on a line, clean a name.

use crate::document::{BBox, Certainty, Check, Doubt};

use super::layout::TextLine;
use super::normalize::{
    compact, is_cjk, parse_date, parse_yen, repair_lookalikes, repair_name_ending, DateReading,
    Reading,
};

/// A piece of a line: its text, mean token confidence (the engine's raw score), the verdict on it
/// so far and its box.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub confidence: f32,
    pub certainty: Certainty,
    pub bbox: Option<BBox>,
}

/// Maps each character of the line's compact text to the token it came from.
fn char_tokens(line: &TextLine) -> Vec<(char, usize)> {
    let mut v = Vec::new();
    for (i, t) in line.tokens.iter().enumerate() {
        for c in compact(&t.text).chars() {
            v.push((c, i));
        }
    }
    v
}

/// Where `label` (compared without spaces) ends on the line: (token index, chars of that token that
/// belong to the label).
fn label_end(line: &TextLine, label: &str) -> Option<(usize, usize)> {
    let chars = char_tokens(line);
    let hay: Vec<char> = chars.iter().map(|c| c.0).collect();
    let needle: Vec<char> = compact(label).chars().collect();
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    let start = (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == needle[..])?;
    let end = start + needle.len(); // index of the first char after the label
    if end >= chars.len() {
        return Some((line.tokens.len(), 0));
    }
    let tok = chars[end].1;
    let consumed = chars[..end].iter().filter(|c| c.1 == tok).count();
    Some((tok, consumed))
}

/// The text after `label` on the line (empty → `None`), without separators like `：`.
pub fn after_label(line: &TextLine, label: &str) -> Option<Span> {
    let (tok, consumed) = label_end(line, label)?;
    if tok >= line.tokens.len() {
        return None;
    }
    let mut text = line.text_of(tok, line.tokens.len());
    if consumed > 0 {
        // Drop the label's characters at the start of the first token.
        let first = compact(&line.tokens[tok].text);
        let skip: String = first.chars().take(consumed).collect();
        if let Some(rest) = text.strip_prefix(&skip) {
            text = rest.to_string();
        }
    }
    let text = trim_separators(&text);
    if text.is_empty() {
        return None;
    }
    Some(Span {
        text,
        confidence: line.confidence_of(tok, line.tokens.len()),
        certainty: line.certainty_of(tok, line.tokens.len()),
        bbox: line.bbox_of(tok, line.tokens.len()),
    })
}

/// The text before `marker` on the line (e.g. the name before 様).
pub fn before_marker(line: &TextLine, marker: &str) -> Option<Span> {
    let chars = char_tokens(line);
    let hay: Vec<char> = chars.iter().map(|c| c.0).collect();
    let needle: Vec<char> = marker.chars().collect();
    let start = (0..=hay.len().checked_sub(needle.len())?)
        .find(|&i| hay[i..i + needle.len()] == needle[..])?;
    if start == 0 {
        return None;
    }
    let last_tok = chars[start - 1].1;
    let marker_tok = chars[start].1;
    let mut text = line.text_of(0, last_tok + 1);
    if marker_tok == last_tok {
        // The marker shares a token with the name: cut the text at the marker.
        if let Some(pos) = text.rfind(marker) {
            text.truncate(pos);
        }
    }
    let text = trim_separators(&text);
    if text.is_empty() {
        return None;
    }
    Some(Span {
        text,
        confidence: line.confidence_of(0, last_tok + 1),
        certainty: line.certainty_of(0, last_tok + 1),
        bbox: line.bbox_of(0, last_tok + 1),
    })
}

fn trim_separators(s: &str) -> String {
    s.trim_matches(|c: char| {
        c.is_whitespace() || ":：・。、,.|｜[]「」()（）".contains(c) || c == '_'
    })
    .to_string()
}

/// An amount on the line: see [`amount_in`].
pub fn amount_on(line: &TextLine) -> Option<(i64, Reading, usize, Span)> {
    amount_in(line, 0, line.tokens.len())
}

/// Whether a piece of text looks like money rather than a count, a date or an address: a yen sign,
/// 円, or at least four digits (grouped or not).
fn money_like(text: &str) -> bool {
    let digits = text.chars().filter(|c| c.is_ascii_digit()).count();
    digits >= 1 && (text.contains('¥') || text.contains('円') || digits >= 4)
}

/// An amount among tokens `from..to`: the rightmost run of tokens that reads as money. Returns the
/// amount, how it was read, the index of its first token, and its span.
pub fn amount_in(line: &TextLine, from: usize, to: usize) -> Option<(i64, Reading, usize, Span)> {
    amount_window(line, from, to).map(|(v, r, at, _, span)| (v, r, at, span))
}

/// Whether a token may continue an amount after its first token: it opens with a figure (its
/// digits, then what an engine made of 「円」: 「000月也」, seed 7 sub019's fax), or holds no word —
/// no kanji or kana but 「円」 and 「也」 (separators, specks, look-alike letters). A word after the
/// digits (the next column's label, 「18,100円 消費税（10%）」 when a two-column breakdown's
/// columns stand close) is no part of the amount, though the figure in its note would let the
/// window parse as one.
fn continues_amount(token: &str) -> bool {
    let opens_with_figure = token
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || ",.，．".contains(c));
    opens_with_figure
        || !token.chars().any(|c| {
            let word = matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}');
            word && !matches!(c, '円' | '也' | 'ー')
        })
}

/// [`amount_in`], with the index past the amount's last token as well (where the rest of the
/// segment, the next column's label, starts).
pub fn amount_window(
    line: &TextLine,
    from: usize,
    to: usize,
) -> Option<(i64, Reading, usize, usize, Span)> {
    // Try growing windows ending at each token, rightmost first, so "11" ",000" "円" joins up.
    for end in (from + 1..=to).rev() {
        for start in (end.saturating_sub(4).max(from)..end).rev() {
            if !line.tokens[start + 1..end]
                .iter()
                .all(|t| continues_amount(&t.text))
            {
                continue;
            }
            let text = line.text_of(start, end);
            if !money_like(&text) || looks_like_date_or_phone(&text) {
                continue;
            }
            // Start the window at the first token with a digit or a money sign.
            let first_ok = line.tokens[start]
                .text
                .chars()
                .any(|c| c.is_ascii_digit() || "¥￥\\金０１２３４５６７８９".contains(c));
            if !first_ok {
                continue;
            }
            if let Some((v, r)) = parse_yen(&text) {
                // Extend left while the previous token still continues the number (the value
                // grows with each token taken: 「30.」「606」 yes, the label 「入学料」 before it no).
                let mut s = start;
                let mut value = v;
                while s > from {
                    let wider = line.text_of(s - 1, end);
                    match parse_yen(&wider) {
                        Some((v2, _)) if v2 > value && !looks_like_date_or_phone(&wider) => {
                            s -= 1;
                            value = v2;
                        }
                        _ => break,
                    }
                }
                let text = line.text_of(s, end);
                let (v, r) = parse_yen(&text).unwrap_or((v, r));
                if v <= 0 {
                    return None;
                }
                return Some((
                    v,
                    r,
                    s,
                    end,
                    Span {
                        text,
                        confidence: line.confidence_of(s, end),
                        certainty: line.certainty_of(s, end),
                        bbox: line.bbox_of(s, end),
                    },
                ));
            }
        }
    }
    None
}

/// Splits a line into segments at wide gaps (two and a half characters or more): the columns of a
/// form that happen to share a row (the breakdown on the left, the issuer's address on the right).
pub fn segments(line: &TextLine) -> Vec<(usize, usize)> {
    let h = line.char_height();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..line.tokens.len() {
        let gap = line.tokens[i]
            .bbox
            .x
            .saturating_sub(line.tokens[i - 1].bbox.right());
        if gap * 2 >= h * 5 {
            out.push((start, i));
            start = i;
        }
    }
    if !line.tokens.is_empty() {
        out.push((start, line.tokens.len()));
    }
    out
}

/// Whether text reads as a date, a phone number or an address — never an amount. An address's
/// block and lot (「3丁目14番8号」, 「19番地」) and a number's label (「登録番号T72…」) are digits
/// beside kanji that a line's amount search would otherwise take for money: an issuer's address
/// below its name was read as a breakdown line's 14 or 19 (seed 13 sub014, sub055, as PP-OCRv6
/// reads them).
pub fn looks_like_date_or_phone(text: &str) -> bool {
    let t = compact(text);
    t.contains('年') && t.contains('月')
        || t.contains("丁目")
        || t.contains("番地")
        || t.contains('番') && t.contains('号')
        || t.contains("TEL")
        || t.contains("電話")
        || t.contains('〒')
        || postal_code(&t)
        || t.matches('-').count() >= 2
        || t.matches('/').count() >= 2
        || parse_date(&t).is_some()
        || date_words(&t)
}

/// Whether text holds a figure followed by 「年」, or a month and its day (「12月13日」): a date's
/// year, month and day read as words of their own (「発行年月日」「2025年」「12月13日」: seed 73
/// sub058, the year taken for a line of the breakdown), or a count of years — never money. A
/// figure before 「月」 alone may be 「円」 misread (「000月也」), and is not taken for a date.
fn date_words(text: &str) -> bool {
    let c: Vec<char> = text.chars().collect();
    let digit = |i: usize| c.get(i).is_some_and(char::is_ascii_digit);
    let month_day = |i: usize| {
        let mut j = i + 1;
        while digit(j) {
            j += 1;
        }
        digit(i - 1) && digit(i + 1) && c.get(j) == Some(&'日')
    };
    (1..c.len()).any(|i| digit(i - 1) && (c[i] == '年' || c[i] == '月' && month_day(i)))
}

/// Whether text holds a postal code, three digits, a dash and four (「319-5468」), with no digit
/// either side: an address printed without its 〒, or the 〒 lost by the engine, whose last four
/// digits an amount search took for money (a drawn receipt's 「319-5468 埼玉県…」 under its
/// issuer's name, read as a breakdown line 「青葉パソコン教室 高崎校 5,468」).
fn postal_code(text: &str) -> bool {
    let c: Vec<char> = text.chars().collect();
    let digit = |i: usize| c.get(i).is_some_and(|c| c.is_ascii_digit());
    (0..c.len()).any(|i| {
        (i == 0 || !digit(i - 1))
            && (0..3).all(|k| digit(i + k))
            && c.get(i + 3).is_some_and(|d| "-‐−ー".contains(*d))
            && (4..8).all(|k| digit(i + k))
            && !digit(i + 8)
    })
}

/// The first date on a line, with the span it covers.
pub fn date_on(line: &TextLine) -> Option<(chrono::NaiveDate, DateReading, Span)> {
    let text = line.text();
    let (d, r) = parse_date(&text)?;
    Some((
        d,
        r,
        Span {
            text,
            confidence: line.confidence_of(0, line.tokens.len()),
            certainty: line.certainty_of(0, line.tokens.len()),
            bbox: Some(line.bbox),
        },
    ))
}

/// `lines[i]` with the words of the lines set between its own (the middle of either within the
/// other's height, lying inside its span): a value printed larger than its label is grouped by height as
/// a line of its own, and the words left on the label's line are the value's tail (seed 73 sub017:
/// 「発行年月日 : 12 日」 with 「合和6年7月」 between its colon and 12, neither a date alone).
/// `None` when no line lies so.
pub fn with_words_between(lines: &[TextLine], i: usize) -> Option<TextLine> {
    let line = &lines[i];
    let middle = |b: &BBox| b.y + b.h / 2;
    let within = |b: &BBox, of: &BBox| (of.y..of.bottom()).contains(&middle(b));
    let between: Vec<&TextLine> = lines
        .iter()
        .enumerate()
        .filter(|&(j, o)| {
            j != i
                && (within(&o.bbox, &line.bbox) || within(&line.bbox, &o.bbox))
                && o.bbox.x > line.bbox.x
                && o.bbox.right() < line.bbox.right()
                && !o
                    .tokens
                    .iter()
                    .any(|t| line.tokens.iter().any(|u| u.bbox.overlaps(&t.bbox)))
        })
        .map(|(_, o)| o)
        .collect();
    if between.is_empty() {
        return None;
    }
    let tokens = line
        .tokens
        .iter()
        .chain(between.iter().flat_map(|o| o.tokens.iter()));
    Some(TextLine::from_tokens(tokens.cloned().collect()))
}

/// Every date on a line, left to right (a 受講期間 line has two).
pub fn dates_on(line: &TextLine) -> Vec<chrono::NaiveDate> {
    dates_in(&line.text())
}

/// Every date in a text, left to right: the text is cut after each 日 and at each range mark (the
/// wave dash as OCR reads it — 〜, ～, ~, ー, 一, −, a dash, any glyph no date holds between two runs
/// of digits — and から, まで), and each piece read.
pub fn dates_in(text: &str) -> Vec<chrono::NaiveDate> {
    let t = compact(text)
        .replace("から", "~")
        .replace("まで", "~")
        .replace('日', "日~");
    // A hyphen is a range mark unless it is inside an ISO date (「2025-04-01」: two digits follow).
    let chars: Vec<char> = t.chars().collect();
    let ranged: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let next: Vec<char> = chars[i + 1..].iter().take(5).copied().collect();
            let digits = next.iter().take_while(|c| c.is_ascii_digit()).count();
            let after_digit = i > 0 && chars[i - 1].is_ascii_digit();
            match c {
                '-' if digits == 0 || digits >= 4 => '~',
                // A glyph no date holds between two runs of digits is the range mark misread
                // (「2024/09/05て2025/02/12」: 〜 read 「て」).
                _ if after_digit
                    && digits >= 1
                    && !c.is_ascii_digit()
                    && !"/.-年月日,，、 ".contains(c) =>
                {
                    '~'
                }
                _ => c,
            }
        })
        .collect();
    ranged
        .split(['~', '〜', '～', '∼', 'ー', '一', '−', '—', '―', '‐'])
        .filter_map(|part| parse_date(part).map(|(d, _)| d))
        .collect()
}

/// Words that surround a name on forms but are not part of it (besides the payer's labels,
/// [`super::PAYER_LABELS`]).
const NAME_NOISE: &[&str] = &[
    "修了者氏名",
    "名前",
    "宛名",
    "修了者",
    "殿",
    "様",
    "御中",
    "(フリガナ)",
    "フリガナ",
];

/// How a name label ends (「受講者名」「受講生氏名」「受講生名」): no name ends so.
const LABEL_ENDINGS: &[&str] = &["者名", "氏名", "生名"];

/// `raw` without a name label at its start, the label matched with the spaces OCR puts in it
/// (「ご依頼 者 森彩」 → 「森彩」), and whether it was split by such spaces (then its pieces might
/// have been part of the name: the reading is a repair). A label after one stray glyph is the
/// label too, its prefix misread (「二芳名森節子」 for ご芳名, 「こご依頼者」: seed 23 sub004, sub020):
/// the glyph is dropped with it, and the reading is a repair.
fn without_leading_label(raw: &str) -> (&str, bool) {
    let start = raw.len() - raw.trim_start().len();
    if let Some(end) = label_at(&raw[start..]) {
        let split = raw[start..start + end].contains(char::is_whitespace);
        return (&raw[start + end..], split);
    }
    // A label misread but for its end (「固肝者名 渡辺裕子」 for 受講者名, seed 7 sub023): a first
    // word of three to five characters ending as labels end, a space before the name.
    let first = raw[start..].split_whitespace().next().unwrap_or("");
    let misread_label = (3..=5).contains(&first.chars().count())
        && LABEL_ENDINGS.iter().any(|e| first.ends_with(e));
    let after_first = &raw[start + first.len()..];
    if misread_label && !after_first.trim().is_empty() {
        return (after_first, true);
    }
    let after_one = raw[start..]
        .char_indices()
        .nth(1)
        .map_or(raw.len(), |(i, _)| start + i);
    let rest = &raw[after_one..];
    let stray = raw[start..after_one].trim();
    if stray.is_empty() || rest.starts_with(char::is_whitespace) {
        return (raw, false);
    }
    match label_at(rest) {
        Some(end) => (&rest[end..], true),
        None => (raw, false),
    }
}

/// Where a name label that `text` starts with ends (spaces inside it skipped), if it starts with one.
fn label_at(text: &str) -> Option<usize> {
    let labels = super::PAYER_LABELS.iter().chain(NAME_NOISE);
    for label in labels {
        let mut want = label.chars().peekable();
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            match want.next() {
                Some(w) if w == c => {
                    if want.peek().is_none() {
                        return Some(i + c.len_utf8());
                    }
                }
                _ => break,
            }
        }
    }
    None
}

/// Cleans a name read from a line: drops form words and anything that is not a name character,
/// repairs look-alikes, keeps one space between family and given name. `None` if nothing name-like
/// is left. The flag says whether a repair was needed.
pub fn clean_name(raw: &str) -> Option<(String, bool)> {
    let (rest, split_label) = without_leading_label(raw);
    let mut s = rest.to_string();
    for w in super::PAYER_LABELS.iter().chain(NAME_NOISE) {
        s = s.replace(w, " ");
    }
    let kept: String = s
        .chars()
        .map(|c| {
            if is_cjk(c) && !"、。「」『』・：（）【】".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    let mut parts: Vec<&str> = kept.split_whitespace().collect();
    if parts.is_empty() {
        return None;
    }
    // 「坂本 敏子 欄」: 様 misread after the name, apart from it, is no part of it (and the reading is
    // unsure, as with any third part).
    let misread_honorific = parts.len() == 3 && super::HONORIFIC_MISREADS.contains(&parts[2]);
    if misread_honorific {
        parts.pop();
    }
    let mut joined = parts.join(" ");
    // 「橋本 香織ー」 (seed 53 sub032, a fax): the rule the name is written on, read as a long-vowel
    // mark after a kanji, where no name has one.
    let rule_after_kanji = joined
        .strip_suffix('ー')
        .filter(|stem| stem.chars().last().is_some_and(super::normalize::is_kanji))
        .map(str::to_string);
    let ruled = rule_after_kanji.is_some();
    if let Some(stem) = rule_after_kanji {
        joined = stem;
    }
    let (repaired, changed) = repair_lookalikes(&joined);
    let changed = changed || ruled;
    let (repaired, ended) = repair_name_ending(&repaired);
    let changed = changed || ended;
    let len = repaired.chars().filter(|c| !c.is_whitespace()).count();
    if !(2..=12).contains(&len) || parts.len() > 3 {
        return None;
    }
    Some((
        repaired,
        changed || parts.len() == 3 || misread_honorific || split_label,
    ))
}

/// Finds the first line (from `from`) whose compact text contains any of `labels`; returns the line
/// index and the label found.
pub fn find_line<'a>(lines: &[TextLine], labels: &[&'a str]) -> Option<(usize, &'a str)> {
    for (i, l) in lines.iter().enumerate() {
        let t = compact(&l.text());
        if let Some(label) = labels.iter().find(|lab| t.contains(&compact(lab))) {
            return Some((i, label));
        }
    }
    None
}

/// The value for a label: after it on the same line, else a line of its own just above it
/// ([`raised_value`]), else the nearest line just below that starts under the label (table cells
/// laid out vertically).
pub fn value_for(lines: &[TextLine], labels: &[&str]) -> Option<(usize, Span)> {
    // Line `j` whole as the value, unless it is empty or another label.
    let whole = |j: usize| {
        let line = &lines[j];
        let text = trim_separators(&line.text());
        (!text.is_empty() && !super::fields::is_a_label(&text)).then(|| {
            let n = line.tokens.len();
            let span = Span {
                text,
                confidence: line.confidence_of(0, n),
                certainty: line.certainty_of(0, n),
                bbox: Some(line.bbox),
            };
            (j, span)
        })
    };
    for (i, l) in lines.iter().enumerate() {
        let t = compact(&l.text());
        for label in labels {
            if !t.contains(&compact(label)) {
                continue;
            }
            if let Some(span) = after_label(l, label) {
                return Some((i, span));
            }
            if let Some(found) = raised_value(lines, i).and_then(whole) {
                return Some(found);
            }
            let close = |below: &TextLine| below.bbox.y <= l.bbox.bottom() + l.char_height() * 2;
            if let Some(found) = lines
                .get(i + 1)
                .filter(|b| close(b))
                .and_then(|_| whole(i + 1))
            {
                return Some(found);
            }
        }
    }
    None
}

/// The line just before `lines[i]` (a label alone on its line) when it is the label's value set a
/// little higher: it starts right of the label, its middle within a character's height of the
/// label's, and nearer than the next line's. A form whose values sit raised on their rules reads
/// each value as a line of its own just above its label (seed 71 sub052, a faxed certificate:
/// 「開講日」's 「令和7年11月26日」 28 px above it, and 修了日's date taken for the start).
fn raised_value(lines: &[TextLine], i: usize) -> Option<usize> {
    let label = &lines[i];
    let j = i.checked_sub(1)?;
    let middle = |l: &TextLine| l.bbox.y + l.bbox.h / 2;
    let apart = |l: &TextLine| middle(l).abs_diff(middle(label));
    let above = &lines[j];
    let beside = above.bbox.x >= label.bbox.right() && apart(above) <= label.char_height();
    let nearer = lines
        .get(i + 1)
        .is_none_or(|below| apart(above) < apart(below));
    (beside && nearer).then_some(j)
}

/// The verdict on a value after how it was read: a reading that needed look-alike glyphs repaired
/// is doubtful; a clean one keeps the verdict it had.
pub fn with_reading(certainty: Certainty, reading: Reading) -> Certainty {
    match reading {
        Reading::Clean => certainty,
        Reading::Repaired => certainty.and(Certainty::Doubtful(Doubt::Repaired)),
    }
}

/// The verdict on a date: a clean reading of a complete date (known era or four-digit year, a real
/// month and day — `parse_date` checks the calendar) passes the validator, whatever the engine's
/// score on the rest of the line; a repaired one is doubtful, and so is one the span's own reading
/// already doubted.
pub fn date_certainty(reading: Reading, span: Certainty) -> Certainty {
    match (reading, span) {
        (_, Certainty::Doubtful(_)) => span,
        (Reading::Clean, _) => Certainty::Sure(Check::Form),
        (Reading::Repaired, _) => Certainty::Doubtful(Doubt::Repaired),
    }
}
