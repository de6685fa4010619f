//! What a line may be a misreading of: a name or title it nearly carries ([`nearly`]), the words
//! of a line that may be a name ([`name_words`]), and the reading of a name the second readings
//! agree on ([`agreed_name`]).
//!
//! Used by the known-text look ([`super::second`]); it reads nothing itself.

use crate::extract::layout::{TextLine, Token};
use crate::extract::normalize::{compact, lookalike_key, substring_distance};
use crate::extract::HONORIFIC_MISREADS;

use super::SCALES;

/// Labels a person's name follows or precedes on receipts and certificates.
const NAME_LABELS: &[&str] = &["氏名", "受講者", "受講生", "修了者", "様", "殿"];

/// What a line might be a misreading of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Known {
    Name,
    Title,
}

/// Whether `line` is worth a second look for the known text `k` (already a look-alike key): it does
/// not carry `k`, but comes within a third of its characters of it, or carries a name label (or ends
/// in what 様 is misread as).
pub(super) fn nearly(line: &TextLine, k: &str, kind: Known) -> bool {
    let text = compact(&line.text());
    let key = lookalike_key(&text);
    if key.contains(k) {
        // A name read with a glyph more before it (「和森千尋 殿」 for 森 千尋) is not the name yet:
        // the words before the honorific, without a label, are more than the name and end with it.
        let before = line
            .tokens
            .iter()
            .position(|t| HONORIFIC_MISREADS.contains(&t.text.as_str()))
            .unwrap_or(line.tokens.len());
        let name = name_words(&line.tokens[..before], 0).map(|(start, end)| {
            let words: String = line.tokens[start..end]
                .iter()
                .map(|t| t.text.as_str())
                .collect();
            let words = compact(&words);
            let unlabelled = NAME_LABELS
                .iter()
                .find_map(|l| words.strip_prefix(l))
                .unwrap_or(&words)
                .trim_start_matches([':', '：']);
            lookalike_key(unlabelled)
        });
        return kind == Known::Name && name.is_some_and(|n| n.len() > k.len() && n.ends_with(k));
    }
    let n = k.chars().count();
    let d = substring_distance(k, &key);
    if d <= (n / 3).max(1) {
        return true;
    }
    kind == Known::Name
        && (NAME_LABELS.iter().any(|l| text.contains(l))
            || HONORIFIC_MISREADS.iter().any(|m| text.ends_with(m)))
}

/// The reading of a name line that the second readings agree on, up to what 様 is read as
/// ([`HONORIFIC_MISREADS`]): every one of them when they are three (the whole line at each scale),
/// all but one when the name was also read alone (six). A page reading the second readings all
/// contradict alike gives way to theirs (「伊膝ーー弘」 read 「伊藤弘」 six times); `None` when
/// they do not agree so.
pub(super) fn agreed_name(first: &TextLine, readings: &[TextLine]) -> Option<TextLine> {
    // The name's words alone: the rest of the line (a date beside it) may read differently.
    let key = |l: &TextLine| match name_words(&l.tokens, 0) {
        Some((start, end)) => compact(
            &l.tokens[start..end]
                .iter()
                .map(|t| t.text.as_str())
                .collect::<String>(),
        ),
        None => String::new(),
    };
    if readings.len() < SCALES.len() {
        return None;
    }
    let need = readings.len() - usize::from(readings.len() > SCALES.len());
    let first_key = key(first);
    let count = |k: &str| {
        if k.is_empty() {
            return 0;
        }
        readings.iter().filter(|r| key(r) == k).count()
    };
    // Of the readings, those of the name alone (the last) keep the rest of the line as the page
    // read it.
    let agreed = if count(&first_key) >= need {
        Some(first.clone())
    } else {
        readings
            .iter()
            .rev()
            .find(|r| count(&key(r)) >= need)
            .cloned()
    };
    // A katakana glyph among the kanji of a name is a misread kanji, however often it is read
    // so: seed 7 sub035's 「渡辺 花チ」 (花子) came out alike six times.
    agreed.filter(|l| {
        let name: String = match name_words(&l.tokens, 0) {
            Some((start, end)) => l.tokens[start..end]
                .iter()
                .map(|t| t.text.as_str())
                .collect(),
            None => String::new(),
        };
        !kana_among_kanji(&name)
    })
}

/// Whether a name mixes katakana (not ー) with kanji: 「花チ」, 「苦ニ」, 「智ナ」.
fn kana_among_kanji(word: &str) -> bool {
    let katakana = word.chars().any(|c| ('\u{30A1}'..='\u{30FA}').contains(&c));
    let kanji = word
        .chars()
        .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '々');
    katakana && kanji
}

/// Which of a line's words, from `from` on, may carry a name: the span (start, end exclusive)
/// without the label before it or the honorific after it (氏名, 様, and 様's misreadings); `None`
/// when no word is left.
pub(super) fn name_words(tokens: &[Token], from: usize) -> Option<(usize, usize)> {
    let is_label = |t: &Token| {
        let text = compact(&t.text);
        let text = text.trim_matches(|c: char| matches!(c, ':' | '：' | '.' | '。' | '_' | '-'));
        text.is_empty() || NAME_LABELS.contains(&text) || HONORIFIC_MISREADS.contains(&text)
    };
    let rest = tokens.get(from..)?;
    let start = rest.iter().position(|t| !is_label(t))?;
    // The honorific ends the name where the line goes on after it (「森 洋子 様 発行日…」).
    let honorific = rest[start..]
        .iter()
        .position(|t| HONORIFIC_MISREADS.contains(&compact(&t.text).as_str()))
        .map(|h| start + h);
    let end = match honorific {
        Some(h) => rest[..h].iter().rposition(|t| !is_label(t))?,
        None => rest.iter().rposition(|t| !is_label(t))?,
    };
    Some((from + start, from + end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::lines::line_of;
    use crate::reading::looks::testkit::{line, tok};

    #[test]
    fn only_lines_near_a_known_text_or_with_a_name_label_get_a_second_look() {
        let k = lookalike_key("中村隆");
        assert!(nearly(&line("氏名 中村 際"), &k, Known::Name));
        assert!(nearly(&line("氏名"), &k, Known::Name), "label, name unread");
        assert!(
            !nearly(&line("氏名 中村 隆"), &k, Known::Name),
            "already there"
        );
        assert!(!nearly(&line("上記の者は課程を修了した"), &k, Known::Name));
        // A glyph read before the name (seed 3 sub045) is doubted; one after it is another name.
        let mori = lookalike_key("森千尋");
        let words = |name: &str| line_of(vec![tok(name, 100), tok("殿", 400)]).expect("line");
        assert!(nearly(&words("和森千尋"), &mori, Known::Name));
        assert!(!nearly(&words("森千尋"), &mori, Known::Name));
        assert!(!nearly(&words("森千尋子"), &mori, Known::Name));
        // Titles: within a third of their characters, look-alike glyphs already allowed.
        let course = lookalike_key("日商簿記2級講座");
        assert!(nearly(
            &line("講座名 日商澄記2級講座"),
            &course,
            Known::Title
        ));
        assert!(!nearly(
            &line("講座名 日商簿記2級講座"),
            &course,
            Known::Title
        ));
        assert!(!nearly(&line("受講料 57,200円"), &course, Known::Title));
        let bond = lookalike_key("社会保険労務士講座");
        assert!(
            !nearly(&line("社会保険労務土講座"), &bond, Known::Title),
            "土/士 is a look-alike the extractor confirms without a second look"
        );
    }

    #[test]
    fn a_name_is_agreed_when_nearly_every_reading_gives_it_whatever_the_honorific_is_read_as() {
        let first = line_of(vec![tok("伊膝ーー弘", 100), tok("様", 400)]).expect("line");
        // Each word of `name` a word of the line, as Tesseract splits them (「花 チ」).
        let read = |name: &str, honorific: &str| {
            let mut words: Vec<Token> = (0u32..)
                .zip(name.split(' '))
                .map(|(i, w)| tok(w, 100 + i * 70))
                .collect();
            words.push(tok(honorific, 400));
            line_of(words).expect("line")
        };
        // Seed 11 sub028: six readings of 伊藤 弘 against the page's 「伊膝ーー弘」.
        let six = [
            read("伊藤弘", "欄"),
            read("伊藤弘", "様"),
            read("伊藤弘", "欄"),
            read("伊藤弘", "様"),
            read("伊藤弘", "様"),
            read("伊藤 弘", "様"),
        ];
        let agreed = agreed_name(&first, &six).expect("agreed");
        assert_eq!(compact(&agreed.text()), "伊藤弘様");
        // All but one of six is enough; the page reading counts when they give it.
        let mut five = six.to_vec();
        five[5] = read("伊藤引", "様");
        assert!(agreed_name(&first, &five).is_some());
        let mut four = five.clone();
        four[4] = read("伊藤引", "様");
        assert_eq!(agreed_name(&first, &four), None);
        let again = [
            read("伊膝ーー弘", "欄"),
            read("伊膝ーー弘", "様"),
            read("伊膝ーー弘", "様"),
        ];
        assert_eq!(agreed_name(&first, &again), Some(first.clone()));
        // A katakana among kanji is a misreading however often it is given (seed 7 sub035).
        let kana = [read("花チ", "欄"), read("花 チ", "様"), read("花チ", "様")];
        assert_eq!(agreed_name(&first, &kana), None);
        // Three readings (the whole line only) must all agree; a misread name's do not (seed 7
        // sub060, 遠藤 剛).
        assert_eq!(agreed_name(&first, &again[..2]), None);
        let misread = [
            read("形藤団", "様"),
            read("著藤半", "様"),
            read("球藤半", "欄"),
        ];
        assert_eq!(agreed_name(&first, &misread), None);
    }

    #[test]
    fn a_names_words_are_those_between_its_label_and_its_honorific() {
        let tokens = [
            tok("氏名:", 0),
            tok("田中", 100),
            tok("苦ニ", 200),
            tok("欄", 500),
        ];
        assert_eq!(name_words(&tokens, 0), Some((1, 3)));
        assert_eq!(name_words(&tokens[1..3], 0), Some((0, 2)));
        assert_eq!(name_words(&tokens[3..], 0), None);
        let tokens = [
            tok("森", 0),
            tok("洋子", 100),
            tok("様", 300),
            tok("発行日2026/10/03", 400),
        ];
        assert_eq!(
            name_words(&tokens, 0),
            Some((0, 2)),
            "the honorific ends the name"
        );
    }
}
