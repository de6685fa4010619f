//! The breakdown lexicon: receipt line labels → 教育訓練経費 categories (RULES.md §1.2).
//!
//! The words live in a data file (`items.toml` beside this module, embedded; staff can point
//! `kyufu.toml` at an extended copy), not in code. This module loads it and applies it: a label is cut
//! into pieces (brackets, ・ and the like) and each piece must be covered by whole words of the file, so a
//! word never matches inside a longer one (「施設見学料」 holds no 学料). A label that looks like a fee line
//! but cannot be covered, or names two categories for one amount, is `other`: a person decides, kyufu
//! never guesses a line into the benefit. `items.toml`'s header states the procedure for staff.
//!
//! Called by `extract` (`Extractor`) for every label before an amount; it does not read amounts.

use std::path::Path;

use serde::Deserialize;

use super::normalize::{compact, new_form};
use crate::document::ItemCategory;

/// What a label is, by the lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelClass {
    /// 合計 and the like: the sum, never an item.
    Total,
    /// A breakdown line; `ItemCategory::Other` when kyufu cannot name its category.
    Item(ItemCategory),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    category: Vec<CategoryEntry>,
    #[serde(default)]
    qualifier: Vec<QualifierEntry>,
    #[serde(default)]
    neutral: Option<NeutralEntry>,
}

/// Words that name a kind of cost (or the total).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryEntry {
    /// A category id of RULES.md §1.2, or `total`.
    id: String,
    /// Whole words (compared without spaces, after NFKC).
    words: Vec<String>,
}

/// Words that say what happened to an amount (未納, 割引, 任意) and so decide its category.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QualifierEntry {
    /// A category id of RULES.md §1.2.
    id: String,
    /// Among several qualifiers in one label, the highest wins.
    priority: u32,
    words: Vec<String>,
}

/// Words that cover a label without giving it a category (前期, 分, 税込).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NeutralEntry {
    words: Vec<String>,
}

/// What one word of the lexicon says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Total,
    Head(ItemCategory),
    Qualifier(ItemCategory, u32),
    Neutral,
    /// A run of digits (「1年次」, 「10%」).
    Number,
}

/// The loaded lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    words: Vec<(Vec<char>, Word)>,
}

/// Why a lexicon file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("内訳の語彙ファイル {path} を読めません: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("内訳の語彙ファイルの書式が正しくありません: {0}")]
    Parse(String),
    #[error("内訳の語彙ファイルに未知の区分 `{0}` があります（RULES.md §1.2 の区分か total を使ってください）")]
    UnknownCategory(String),
    #[error("内訳の語彙ファイルの語「{0}」が二つの項目にあります（一つの語は一つの区分にだけ置いてください）")]
    DuplicateWord(String),
    #[error("内訳の語彙ファイルの語「{0}」は使えません（空の語、括弧・区切り記号・数字を含む語は置けません）")]
    BadWord(String),
}

const EMBEDDED: &str = include_str!("items.toml");

/// Specks Tesseract reads inside or around a label (「入学。料、」, leader dots): removed.
const SPECKS: &str = "。．.…‥:;|_~*'\"`-";
/// Between two words of one piece (「教材費・テキスト代」).
const SEPARATORS: &str = "・、,/&+";

/// The fewest characters of a course or qualification's name before a fee word that then names the
/// line (see `Lexicon::head_word`): the shortest titles are four (「簿記講座」), while a word of two
/// or three before a fee says what kind of fee it is (「振込手数料」, 「特別講習料」).
const COURSE_NAME_MIN: usize = 4;

/// Glyphs a fee word must have for its misread last glyph to be let pass
/// ([`Lexicon::suffix_misread`]): a short word's stem (授業 of 授業料) is too short to be sure of.
const SUFFIX_MISREAD_MIN: usize = 5;
/// Brackets: their content is a piece of its own (「入学金（税込）」).
const OPENING: &str = "([{【「『〈《<〔";
const CLOSING: &str = ")]}】」』〉》>〕";

impl Lexicon {
    /// The lexicon shipped with kyufu.
    pub fn embedded() -> Lexicon {
        // The embedded file is checked by a unit test; failing here is a build defect, not input.
        Self::parse(EMBEDDED).expect("embedded items.toml is valid")
    }

    pub fn load(path: &Path) -> Result<Lexicon, LexiconError> {
        let text = std::fs::read_to_string(path).map_err(|source| LexiconError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Lexicon, LexiconError> {
        let file: LexiconFile =
            toml::from_str(text).map_err(|e| LexiconError::Parse(e.to_string()))?;
        let category = |id: &str| {
            ItemCategory::from_id(id).ok_or_else(|| LexiconError::UnknownCategory(id.to_string()))
        };
        let mut entries: Vec<(Vec<String>, Word)> = Vec::new();
        for c in file.category {
            let word = match c.id.as_str() {
                "total" => Word::Total,
                id => Word::Head(category(id)?),
            };
            entries.push((c.words, word));
        }
        for q in file.qualifier {
            entries.push((q.words, Word::Qualifier(category(&q.id)?, q.priority)));
        }
        if let Some(n) = file.neutral {
            entries.push((n.words, Word::Neutral));
        }
        let mut words: Vec<(Vec<char>, Word)> = Vec::new();
        for (list, word) in entries {
            for w in list {
                let chars: Vec<char> = compact(&w).chars().map(new_form).collect();
                let bad = chars.is_empty()
                    || chars.iter().any(|c| {
                        c.is_ascii_digit()
                            || SPECKS.contains(*c)
                            || SEPARATORS.contains(*c)
                            || OPENING.contains(*c)
                            || CLOSING.contains(*c)
                    });
                if bad {
                    return Err(LexiconError::BadWord(w));
                }
                // The same word twice in one entry is harmless; in two, the file says two things.
                match words.iter().find(|(c, _)| *c == chars) {
                    Some((_, seen)) if *seen != word => return Err(LexiconError::DuplicateWord(w)),
                    Some(_) => {}
                    None => words.push((chars, word)),
                }
            }
        }
        Ok(Lexicon { words })
    }

    /// Classifies a label (the words before an amount); `None` when it is no breakdown line at all.
    pub fn classify(&self, label: &str) -> Option<LabelClass> {
        let text = normalize(label);
        let (pieces, notes) = pieces(&text);
        let mut found: Vec<Word> = Vec::new();
        let mut covered = true;
        for p in &pieces {
            match self.cover(p) {
                Some(words) => found.extend(words),
                None => covered = false,
            }
        }
        for n in &notes {
            match self.cover(n) {
                Some(words) => found.extend(words),
                // A note in brackets that names no cost (a course name, 「修了時返本」 misread) says
                // nothing of the category; one that names a cost it cannot be read whole.
                None if self.mentions_item(n) => covered = false,
                None => {}
            }
        }
        if !covered {
            if let Some(c) = self.suffix_misread(&text) {
                return Some(LabelClass::Item(c));
            }
            return self.uncovered(&text);
        }
        if found.contains(&Word::Total) {
            return Some(LabelClass::Total);
        }
        let qualifier = found
            .iter()
            .filter_map(|w| match w {
                Word::Qualifier(c, p) => Some((*p, *c)),
                _ => None,
            })
            .max_by_key(|(p, _)| *p);
        if let Some((_, c)) = qualifier {
            return Some(LabelClass::Item(c));
        }
        let mut heads = found.iter().filter_map(|w| match w {
            Word::Head(c) => Some(*c),
            _ => None,
        });
        let first = heads.next()?;
        if heads.all(|c| c == first) {
            Some(LabelClass::Item(first))
        } else {
            // One amount for two kinds of cost: kyufu cannot split it.
            Some(LabelClass::Item(ItemCategory::Other))
        }
    }

    /// The category of a long fee word read whole but for its last glyph, the fee's suffix (費, 料,
    /// 代…), which names no category: 「パソコン購入則」 for パソコン購入費 (seed 97 sub036, sent to
    /// review as a fee kyufu could not name). Only a label of [`SUFFIX_MISREAD_MIN`] glyphs or more,
    /// its stem read exactly, and only where every word of the lexicon it could be names one
    /// category: a misread earlier in the word (教材 for 機材) may change what the fee is.
    fn suffix_misread(&self, text: &[char]) -> Option<ItemCategory> {
        if text.len() < SUFFIX_MISREAD_MIN {
            return None;
        }
        let stem = &text[..text.len() - 1];
        let mut found = self.words.iter().filter_map(|(w, word)| match word {
            Word::Head(c) if w.len() == text.len() && w.starts_with(stem) => Some(*c),
            _ => None,
        });
        let first = found.next()?;
        found.all(|c| c == first).then_some(first)
    }

    /// A label that cannot be covered by whole words: a fee line kyufu cannot name when a word of an
    /// item occurs in it; the total when only a total's word does (as before whole words: a loose total
    /// costs nothing, extract keeps only a total the breakdown sums to) — but not a breakdown's
    /// heading ([`BREAKDOWN_HEADINGS`]); else no breakdown line.
    fn uncovered(&self, text: &[char]) -> Option<LabelClass> {
        let heading = BREAKDOWN_HEADINGS.iter().any(|h| {
            let h: Vec<char> = h.chars().collect();
            text.windows(h.len()).any(|w| w == h.as_slice())
        });
        if self.mentions_item(text) {
            Some(LabelClass::Item(ItemCategory::Other))
        } else if self.mentions(text, |w| w == Word::Total) && !heading {
            Some(LabelClass::Total)
        } else {
            None
        }
    }

    fn mentions_item(&self, text: &[char]) -> bool {
        self.mentions(text, |w| matches!(w, Word::Head(_) | Word::Qualifier(..)))
    }

    fn mentions(&self, text: &[char], which: impl Fn(Word) -> bool) -> bool {
        self.words
            .iter()
            .filter(|(_, w)| which(*w))
            .any(|(chars, _)| text.windows(chars.len()).any(|win| win == chars.as_slice()))
    }

    /// Covers a piece end to end with the fewest whole words (separators skipped); a separator that
    /// splits what is no word on each side is a speck and is tried away (「入学、料」).
    fn cover(&self, piece: &[char]) -> Option<Vec<Word>> {
        self.cover_exactly(piece)
            .or_else(|| {
                let joined: Vec<char> = piece
                    .iter()
                    .copied()
                    .filter(|c| !SEPARATORS.contains(*c))
                    .collect();
                self.cover_exactly(&joined)
            })
            .or_else(|| self.head_word(piece))
    }

    /// A fee word that ends the piece after words of no meaning to the lexicon: the course or
    /// qualification the fee is for (「介護福祉士実務者研修受講料」, 「日商簿記2級講座入学金」). A
    /// Japanese compound names what it is by its last element, so the fee word decides — but only a
    /// word of three characters or more (the two-character entries include readings of a label with
    /// a glyph lost, which would end 「施設見学料」 or 「奨学金」), only after a name of at least
    /// [`COURSE_NAME_MIN`] characters (a shorter one says what kind of fee it is: 「振込手数料」), and
    /// only when nothing before it is a word of the lexicon (「入学前講座受講料」 stays `other`).
    fn head_word(&self, piece: &[char]) -> Option<Vec<Word>> {
        self.words
            .iter()
            .filter(|(chars, w)| {
                chars.len() >= 3
                    && chars.len() + COURSE_NAME_MIN <= piece.len()
                    && matches!(w, Word::Head(_) | Word::Qualifier(..))
                    && piece.ends_with(chars)
            })
            .max_by_key(|(chars, _)| chars.len())
            .filter(|(chars, _)| {
                let before = &piece[..piece.len() - chars.len()];
                !self
                    .words
                    .iter()
                    .any(|(w, _)| before.windows(w.len()).any(|win| win == w.as_slice()))
            })
            .map(|(_, w)| vec![*w])
    }

    fn cover_exactly(&self, piece: &[char]) -> Option<Vec<Word>> {
        let n = piece.len();
        // best[i]: the fewest words covering piece[i..], with the first step (its length, its word).
        let mut best: Vec<Option<(usize, usize, Option<Word>)>> = vec![None; n + 1];
        best[n] = Some((0, 0, None));
        for i in (0..n).rev() {
            let mut steps: Vec<(usize, Option<Word>)> = Vec::new();
            if SEPARATORS.contains(piece[i]) {
                steps.push((1, None));
            }
            let digits = piece[i..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || **c == '%')
                .count();
            if digits > 0 {
                steps.push((digits, Some(Word::Number)));
            }
            for (chars, word) in &self.words {
                if piece[i..].starts_with(chars) {
                    steps.push((chars.len(), Some(*word)));
                }
            }
            best[i] = steps
                .into_iter()
                .filter_map(|(len, word)| {
                    let (count, _, _) = best[i + len]?;
                    Some((count + usize::from(word.is_some()), len, word))
                })
                .min_by_key(|(count, _, _)| *count);
        }
        let mut words = Vec::new();
        let mut i = 0;
        while i < n {
            let (_, len, word) = best[i]?;
            words.extend(word);
            i += len;
        }
        Some(words)
    }
}

/// Words that head a breakdown, not an amount: 「契約額の内訳」, 「領収金額明細」 name what the lines
/// below add up to, and a total's word in them makes no total of them. Taken for one, such a heading
/// took the amount of the line below as the total, and a breakdown of that one line summed to it
/// (seed 11 sent by fax, sub018: a credit contract of 1,410,000 yen paid on 630,000).
const BREAKDOWN_HEADINGS: &[&str] = &["内訳", "明細"];

/// NFKC, no spaces, no specks, kanji in their present form ([`new_form`]: 「受驗料」 is 受験料); a
/// run of two or more ー is a leader line, not a long vowel.
fn normalize(label: &str) -> Vec<char> {
    let chars: Vec<char> = compact(label)
        .chars()
        .filter(|c| !SPECKS.contains(*c))
        .map(new_form)
        .collect();
    let mut out = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let leader = c == 'ー'
            && (chars.get(i + 1) == Some(&'ー') || (i > 0 && chars.get(i - 1) == Some(&'ー')));
        if !leader {
            out.push(c);
        }
    }
    out
}

/// The text outside brackets, cut at each bracket, and each bracket's content. An opening bracket
/// never closed runs to the end (OCR drops the closing one); a lone closing bracket only cuts.
fn pieces(text: &[char]) -> (Vec<Vec<char>>, Vec<Vec<char>>) {
    let mut pieces = Vec::new();
    let mut notes = Vec::new();
    let mut current = Vec::new();
    let mut inside = false;
    for &c in text {
        if OPENING.contains(c) || CLOSING.contains(c) {
            let done = std::mem::take(&mut current);
            if inside {
                notes.push(done);
            } else {
                pieces.push(done);
            }
            inside = OPENING.contains(c);
        } else {
            current.push(c);
        }
    }
    if inside {
        notes.push(current);
    } else {
        pieces.push(current);
    }
    pieces.retain(|p| !p.is_empty());
    notes.retain(|p| !p.is_empty());
    (pieces, notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ItemCategory::*;

    fn item(c: ItemCategory) -> Option<LabelClass> {
        Some(LabelClass::Item(c))
    }

    /// A long fee word with its suffix misread keeps its category; a misread anywhere else, or in
    /// a short word, does not (an unknown word is `other`: a person decides).
    #[test]
    fn a_long_fee_word_read_but_for_its_suffix_keeps_its_category() {
        let lex = Lexicon::embedded();
        assert_eq!(lex.classify("パソコン購入則"), item(Equipment));
        assert_eq!(lex.classify("パソコン購入費"), item(Equipment));
        // The stem misread: not the word.
        assert_eq!(lex.classify("パソコン時入費"), item(Other));
        // A short word's suffix misread: not sure enough.
        assert_eq!(lex.classify("授業科"), item(Other));
    }

    /// Labels as institutions print them (and as Tesseract reads them) → what kyufu makes of them.
    #[test]
    fn labels_are_read_as_whole_words() {
        let lex = Lexicon::embedded();
        let total = Some(LabelClass::Total);
        let cases: &[(&str, Option<LabelClass>)] = &[
            // Counted (RULES.md §1.2).
            ("入学料", item(Admission)),
            ("入学金", item(Admission)),
            ("入 学 金", item(Admission)),
            ("入学金（税込）", item(Admission)),
            ("入会金", item(Admission)),
            ("登録料", item(Admission)),
            ("入学。料、", item(Admission)),
            ("入学、料", item(Admission)),
            ("人学料", item(Admission)),
            ("受講料", item(Tuition)),
            ("受講料（第2回）", item(Tuition)),
            ("受講料(第1回", item(Tuition)),
            ("授業料（1年次）", item(Tuition)),
            ("前期授業料", item(Tuition)),
            ("受講料（Webデザイン科）", item(Tuition)),
            ("月謝（4月分）", item(Tuition)),
            ("講習費", item(Tuition)),
            ("教材費", item(RequiredMaterial)),
            ("教材費・テキスト代", item(RequiredMaterial)),
            ("教科書代", item(RequiredMaterial)),
            ("テキスト代（全3冊）", item(RequiredMaterial)),
            ("実習費", item(RequiredMaterial)),
            ("消費税（10%）", item(ConsumptionTax)),
            ("消費税等", item(ConsumptionTax)),
            // Excluded, each for its reason.
            ("検定試験受験料", item(ExamFee)),
            ("検定料", item(ExamFee)),
            ("模擬試験料", item(ExamFee)),
            ("補助教材費（任意）", item(OptionalMaterial)),
            ("教材費（任意）", item(OptionalMaterial)),
            ("参考書代", item(OptionalMaterial)),
            ("補講費", item(SupplementaryLesson)),
            ("行事参加費", item(Event)),
            // Old forms (旧字体), as PP-OCRv6 read them on seeds 53 sub060 and 83 sub013, and as an
            // old institution prints them.
            ("検定試驗受驗 料", item(ExamFee)),
            ("行事參加費", item(Event)),
            ("入學金", item(Admission)),
            ("研修旅行費", item(Event)),
            ("学債（修了時返還）", item(RefundableBond)),
            ("交通費", item(Transport)),
            ("通学定期代", item(Transport)),
            ("パソコン購入費", item(Equipment)),
            ("分割払手数料", item(CreditInterest)),
            ("受講料（後期分）未納", item(Unpaid)),
            ("事業主負担額", item(Subsidy)),
            ("返還金", item(Subsidy)),
            ("受講料割引", item(Subsidy)),
            ("入学金免除", item(Subsidy)),
            // The sum, not an item.
            ("合計", total),
            ("合計（税込）", total),
            ("小計", total),
            ("領収金額", total),
            ("ご請求金額", total),
            // A word inside a longer word is no match: a person decides.
            ("施設見学料", item(Other)),
            ("奨学金充当", item(Other)),
            ("奨学金", item(Other)),
            // A fee word ending a label after the course it is for decides; a word of the
            // lexicon before it, or a fee word of two characters, does not.
            ("介護福祉士実務者研修 受講料", item(Tuition)),
            ("日商簿記2級 講座 入学金", item(Admission)),
            ("Webデザイン講座 教材費", item(RequiredMaterial)),
            ("入学前講座受講料", item(Other)),
            ("特別見学料", item(Other)),
            ("振込手数料", item(Other)),
            ("入学金（施設見学料を含む）", item(Other)),
            ("入学料米", item(Other)),
            // One amount for two kinds of cost: kyufu cannot split it.
            ("受講料・検定料", item(Other)),
            ("受講料・教材費", item(Other)),
            // No breakdown line.
            ("お茶代", None),
            ("契約額の内訳", None),
            ("領収金額明細", None),
            ("前期分", None),
            ("上記正に領収いたしました", None),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(label, want)| lex.classify(label) != *want)
            .map(|(label, want)| format!("{label}: want {want:?}, got {:?}", lex.classify(label)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn an_unknown_category_in_an_edited_file_is_refused() {
        let err =
            Lexicon::parse("[[category]]\nid = \"snacks\"\nwords = [\"菓子\"]\n").unwrap_err();
        assert!(matches!(err, LexiconError::UnknownCategory(_)));
    }

    #[test]
    fn a_word_in_two_categories_or_with_a_bracket_is_refused() {
        let twice = "[[category]]\nid = \"tuition\"\nwords = [\"受講料\"]\n\
                     [[category]]\nid = \"exam_fee\"\nwords = [\"受講料\"]\n";
        assert!(matches!(
            Lexicon::parse(twice).unwrap_err(),
            LexiconError::DuplicateWord(_)
        ));
        let bracket = "[[category]]\nid = \"optional_material\"\nwords = [\"(任意)\"]\n";
        assert!(matches!(
            Lexicon::parse(bracket).unwrap_err(),
            LexiconError::BadWord(_)
        ));
    }
}
