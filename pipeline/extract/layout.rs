//! Words with boxes → lines of text, the unit the field extractors read.
//!
//! Tesseract's page segmentation puts a table's labels and its amounts in separate blocks (NOTES-OCR.md),
//! so its own line ids are not used: words are grouped by their boxes (same line = overlapping vertical
//! extent), then ordered left to right. A space is kept only where the page has a real gap, which is
//! what separates a family name from a given name.

use crate::document::{BBox, Certainty};

use super::normalize::normalize_line;

/// One recognised word (or a run of characters Tesseract kept together).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub text: String,
    /// 0.0–1.0 (Tesseract's 0–100 scaled).
    pub confidence: f32,
    /// Every independent second reading of its line (other scales, alone, another engine) gave
    /// this word alike.
    pub agreed: bool,
    pub bbox: BBox,
}

#[cfg(test)]
impl Token {
    /// A word read at 0.9 in `(x, y, w, h)`, as tests build pages of words.
    pub fn read_at(text: &str, x: u32, y: u32, w: u32, h: u32) -> Token {
        Token {
            text: text.into(),
            confidence: 0.9,
            agreed: false,
            bbox: BBox { x, y, w, h },
        }
    }
}

/// Tokens on one line, left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub tokens: Vec<Token>,
    pub bbox: BBox,
}

impl TextLine {
    /// The line of these words, left to right.
    pub fn from_tokens(mut tokens: Vec<Token>) -> TextLine {
        tokens.sort_by_key(|t| t.bbox.x);
        let bbox = tokens
            .iter()
            .skip(1)
            .fold(tokens[0].bbox, |acc, t| acc.union(&t.bbox));
        TextLine { tokens, bbox }
    }

    /// Typical character height on the line (the median token height).
    pub fn char_height(&self) -> u32 {
        let mut hs: Vec<u32> = self.tokens.iter().map(|t| t.bbox.h).collect();
        hs.sort_unstable();
        hs[hs.len() / 2].max(1)
    }

    /// The line's height without what a stamp's strokes read into a word add to it: its words'
    /// median top and median bottom.
    pub fn core(&self) -> (u32, u32) {
        let median = |mut v: Vec<u32>| {
            v.sort_unstable();
            v[v.len() / 2]
        };
        let top = median(self.tokens.iter().map(|t| t.bbox.y).collect());
        let bottom = median(self.tokens.iter().map(|t| t.bbox.bottom()).collect());
        (top, bottom.max(top + 1))
    }

    /// The line's text, normalised, with one space where the gap between two tokens is wide.
    pub fn text(&self) -> String {
        self.text_of(0, self.tokens.len())
    }

    /// Text of tokens `from..to`.
    pub fn text_of(&self, from: usize, to: usize) -> String {
        let h = self.char_height();
        let mut s = String::new();
        for i in from..to {
            if i > from {
                let gap = self.tokens[i]
                    .bbox
                    .x
                    .saturating_sub(self.tokens[i - 1].bbox.right());
                // A gap of a third of a character or more is a real space (a half-width space in a
                // proportional font); the gaps between Japanese characters are narrower.
                if gap * 10 > h * 3 {
                    s.push(' ');
                }
            }
            s.push_str(&self.tokens[i].text);
        }
        normalize_line(&s)
    }

    /// Mean confidence of tokens `from..to`.
    pub fn confidence_of(&self, from: usize, to: usize) -> f32 {
        let n = to.saturating_sub(from);
        if n == 0 {
            return 0.0;
        }
        self.tokens[from..to]
            .iter()
            .map(|t| t.confidence)
            .sum::<f32>()
            / n as f32
    }

    /// The verdict on tokens `from..to` as read: agreed when every one of them was given alike by
    /// independent second readings, else read.
    pub fn certainty_of(&self, from: usize, to: usize) -> Certainty {
        let tokens = self.tokens.get(from..to).unwrap_or_default();
        if !tokens.is_empty() && tokens.iter().all(|t| t.agreed) {
            Certainty::Agreed
        } else {
            Certainty::Read
        }
    }

    pub fn bbox_of(&self, from: usize, to: usize) -> Option<BBox> {
        let slice = self.tokens.get(from..to)?;
        let first = slice.first()?.bbox;
        Some(slice.iter().fold(first, |acc, t| acc.union(&t.bbox)))
    }
}

/// The confidence from which a word sets a line's band (with three fifths of the page's typical
/// height; see [`lines_from_tokens`]).
const SEEDS_LINES_FROM: f32 = 0.2;

/// Groups tokens into lines by vertical overlap, top to bottom.
pub fn lines_from_tokens(tokens: Vec<Token>) -> Vec<TextLine> {
    let mut tokens: Vec<Token> = tokens
        .into_iter()
        .filter(|t| !t.text.trim().is_empty() && t.bbox.h > 0 && t.bbox.w > 0)
        .collect();
    tokens.sort_by_key(|t| (t.bbox.y + t.bbox.h / 2, t.bbox.x));
    // Words of a full height read with some confidence set the lines' bands; noise and
    // punctuation (a speck read as 「。」 at confidence 0, a 「、」) join them after, so they
    // cannot cut a line in two with a thin band of their own.
    let mut heights: Vec<u32> = tokens.iter().map(|t| t.bbox.h).collect();
    heights.sort_unstable();
    let typical = heights.get(heights.len() / 2).copied().unwrap_or(0);
    let (sure, doubtful): (Vec<Token>, Vec<Token>) = tokens
        .into_iter()
        .partition(|t| t.confidence >= SEEDS_LINES_FROM && t.bbox.h * 5 >= typical * 3);
    let mut groups: Vec<(BBox, Vec<Token>)> = Vec::new();
    for (t, near) in sure
        .into_iter()
        .map(|t| (t, 4))
        .chain(doubtful.into_iter().map(|t| (t, usize::MAX)))
    {
        let centre = t.bbox.y + t.bbox.h / 2;
        // Join the line whose vertical band holds this token's centre and whose height is alike
        // (a tall seal-covered glyph or a large title must not swallow two lines); words in
        // reading order look at the last few lines only, noise at all of them.
        let found = groups.iter_mut().rev().take(near).find(|(b, members)| {
            centre >= b.y
                && centre <= b.bottom()
                && t.bbox.h * 2 >= b.h.min(t.bbox.h * 3) / 2
                && !members.iter().any(|m| stacked(&t.bbox, &m.bbox))
                && (near == usize::MAX || !across_columns(&t.bbox, members))
        });
        match found {
            Some((b, members)) => {
                // Widen only horizontally, so the band stays the first token's height.
                let x = b.x.min(t.bbox.x);
                b.w = b.right().max(t.bbox.right()) - x;
                b.x = x;
                members.push(t);
            }
            None => groups.push((t.bbox, vec![t])),
        }
    }
    let mut lines: Vec<TextLine> = interleaved_joined(
        groups
            .into_iter()
            .map(|(_, members)| TextLine::from_tokens(members))
            .collect(),
    );
    lines.sort_by_key(|l| (l.bbox.y, l.bbox.x));
    lines
}

/// Whether a word joining a line's `members` would join two columns rather than two words of one
/// row: the member nearest it across is far off (more than three characters of the shorter) and
/// their middles are apart by more than half the shorter's height. Words of one row stand on one
/// line however far a label is from its amount (a total in larger type, a title beside its date);
/// a block beside a table, its lines spaced its own way, does not. Seed 31 sub059: a fax's
/// breakdown box beside the issuer's block (name, address, 理事長), two of its three fee rows read
/// by PP-OCRv6 into lines of the issuer's block, so 「受講費 38,000円」 was read 「受講費
/// 〒356-0322…」 and nothing summed.
fn across_columns(t: &BBox, members: &[Token]) -> bool {
    let gap = |m: &BBox| {
        if m.right() <= t.x {
            t.x - m.right()
        } else if t.right() <= m.x {
            m.x - t.right()
        } else {
            0
        }
    };
    let Some(nearest) = members.iter().map(|m| &m.bbox).min_by_key(|m| gap(m)) else {
        return false;
    };
    let short = t.h.min(nearest.h).max(1);
    // Twice the distance between the middles, against twice half the shorter's height.
    let apart = (t.y * 2 + t.h).abs_diff(nearest.y * 2 + nearest.h);
    gap(nearest) > short * 3 && apart > short
}

/// Whether two words stand one above the other: more than half the narrower one's width shared
/// across, less than half the shorter one's height shared down. Words of one line stand side by
/// side, so such words are on two lines however tall a word beside them is (「No. 009434」 over
/// 「2025/04/25」, right of a 「領収書」 whose 書 is as tall as both rows, read as one line
/// 「No.2025/04/25009434」, and the receipt's date was lost: seed 17 sub020).
fn stacked(a: &BBox, b: &BBox) -> bool {
    let across = a.right().min(b.right()).saturating_sub(a.x.max(b.x));
    let down = a.bottom().min(b.bottom()).saturating_sub(a.y.max(b.y));
    across * 2 > a.w.min(b.w) && down * 2 < a.h.min(b.h)
}

/// Lines whose words interleave are one line: a stamp's strokes read into some words of a name make
/// them taller than the rest, and by their middles they start a band of their own (「一上 教育を」
/// and 「社団法人つばさ資格」 of 一般社団法人つばさ資格教育センター). Two lines are joined when they
/// overlap across and the shorter lies two-thirds or more within the other's height (of their
/// words' median top and bottom); a value
/// written above a struck one overlaps it across but not in height, and stays a line of its own.
fn interleaved_joined(mut lines: Vec<TextLine>) -> Vec<TextLine> {
    // A line's height is its words' median top to median bottom: a tall stamp glyph read into the
    // address line must not make it reach the TEL line below.
    let core = |l: &TextLine| l.core();
    let interleave = |a: &TextLine, b: &TextLine| {
        let across = a.bbox.x < b.bbox.right() && b.bbox.x < a.bbox.right();
        let ((at, ab), (bt, bb)) = (core(a), core(b));
        let shared = ab.min(bb).saturating_sub(at.max(bt));
        let apart = a
            .tokens
            .iter()
            .any(|t| b.tokens.iter().any(|u| stacked(&t.bbox, &u.bbox)));
        across && shared * 3 >= (ab - at).min(bb - bt) * 2 && !apart
    };
    let mut i = 0;
    while i < lines.len() {
        let other = (i + 1..lines.len()).find(|&j| interleave(&lines[i], &lines[j]));
        match other {
            Some(j) => {
                let taken = lines.swap_remove(j);
                let mut tokens = std::mem::take(&mut lines[i].tokens);
                tokens.extend(taken.tokens);
                lines[i] = TextLine::from_tokens(tokens);
            }
            None => i += 1,
        }
    }
    lines
}

/// Lines of a digital PDF's text layer: no boxes on the page, so each line gets a synthetic box one
/// line-height apart; the extractor only uses their order.
pub fn lines_from_text(lines: &[String]) -> Vec<TextLine> {
    const H: u32 = 40;
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .filter_map(|(i, l)| {
            // Each run of non-space characters is a token; runs of 2+ spaces are real gaps.
            let mut tokens = Vec::new();
            let mut x = 0u32;
            for part in l.split(' ') {
                if part.is_empty() {
                    x += H;
                    continue;
                }
                let w = part.chars().count() as u32 * H;
                tokens.push(Token {
                    text: part.to_string(),
                    confidence: 1.0,
                    agreed: false,
                    bbox: BBox {
                        x,
                        y: i as u32 * H * 2,
                        w,
                        h: H,
                    },
                });
                x += w + H;
            }
            if tokens.is_empty() {
                return None;
            }
            Some(TextLine::from_tokens(tokens))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(text: &str, x: u32, y: u32, w: u32, h: u32) -> Token {
        Token::read_at(text, x, y, w, h)
    }

    #[test]
    fn label_and_amount_in_different_blocks_meet_on_one_line() {
        let lines = lines_from_tokens(vec![
            tok("11,000円", 800, 302, 160, 40),
            tok("入", 100, 300, 40, 40),
            tok("学", 142, 300, 40, 40),
            tok("料", 184, 301, 40, 40),
            tok("受講料", 100, 400, 120, 40),
            tok("88,000円", 800, 401, 160, 40),
        ]);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text(), "入学料 11,000円");
        assert_eq!(lines[1].text(), "受講料 88,000円");
    }

    #[test]
    fn a_fee_row_beside_the_issuers_block_stays_in_its_column() {
        // As PP-OCRv6 read seed 31 sub059 (a fax): the breakdown box on the left, the issuer's
        // block on the right, its lines taller and spaced their own way.
        let lines = lines_from_tokens(vec![
            tok("学校法人翔栄学園", 842, 814, 302, 36),
            tok("入校", 106, 885, 46, 23),
            tok("料", 172, 890, 21, 26),
            tok("30.000", 459, 892, 108, 26),
            tok("円", 578, 894, 22, 24),
            tok("翔栄ビジネス専門学校", 842, 859, 306, 52),
            tok("受講", 103, 931, 57, 31),
            tok("費", 173, 938, 14, 18),
            tok("356-0322", 843, 921, 121, 21),
            tok("神奈川県相模原市中央区5丁目12番11号", 994, 904, 441, 46),
            tok("38,000", 457, 939, 104, 25),
            tok("円", 574, 943, 21, 24),
            tok("検定試験受験料", 89, 983, 227, 38),
            tok("8.100円", 462, 986, 152, 42),
            tok("理事長", 839, 1008, 85, 26),
        ]);
        let texts: Vec<String> = lines.iter().map(|l| l.text().replace(' ', "")).collect();
        assert!(texts.contains(&"受講費38,000円".to_string()), "{texts:?}");
        assert!(
            texts.contains(&"検定試験受験料8.100円".to_string()),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"356-0322神奈川県相模原市中央区5丁目12番11号".to_string()),
            "{texts:?}"
        );
        // A label far from its amount on one row is still one line, and so is a title beside its
        // date, lower in the title's height.
        let row = lines_from_tokens(vec![
            tok("お支払金額", 99, 380, 150, 30),
            tok("¥76,100-", 453, 369, 249, 47),
            tok("領収書", 102, 564, 282, 89),
            tok("令和8年3月10日", 501, 581, 266, 30),
        ]);
        let texts: Vec<String> = row.iter().map(|l| l.text().replace(' ', "")).collect();
        assert_eq!(texts, ["お支払金額¥76,100-", "領収書令和8年3月10日"]);
    }

    #[test]
    fn words_stacked_beside_a_tall_title_are_two_lines() {
        // Seed 17 sub020 as Tesseract read it: 「No. 009434」 above 「2025/04/25」, right of a
        // 「領収書」 whose 書 is as tall as both rows.
        let faint = |t: Token| Token {
            confidence: 0.02,
            ..t
        };
        let lines = lines_from_tokens(vec![
            faint(tok("領収", 180, 217, 210, 51)),
            tok("書", 353, 213, 39, 76),
            tok("No.", 1335, 209, 38, 24),
            tok("009434", 1398, 209, 91, 23),
            tok("2025/04/25", 1336, 255, 153, 27),
        ]);
        let texts: Vec<String> = lines.iter().map(|l| l.text()).collect();
        assert!(
            texts
                .iter()
                .any(|t| t.contains("2025/04/25") && !t.contains("No.") && !t.contains("009434")),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t.contains("No. 009434")), "{texts:?}");
    }

    #[test]
    fn specks_and_commas_do_not_cut_a_line_in_two() {
        // As read on a pad receipt (sub016 of seed 7): a speck read 「。」 at confidence 0 and a
        // 「、」 sit higher than the words, and come first top to bottom.
        let speck = Token {
            confidence: 0.0,
            agreed: false,
            ..tok("。", 258, 1342, 35, 17)
        };
        let comma = Token {
            confidence: 0.29,
            agreed: false,
            ..tok("、", 327, 1345, 9, 14)
        };
        let lines = lines_from_tokens(vec![
            speck,
            comma,
            tok("入学", 213, 1345, 77, 34),
            tok("料", 306, 1338, 43, 41),
            tok("5,000円", 789, 1346, 180, 33),
            tok("受講料", 215, 1414, 137, 41),
            tok("45,000円", 763, 1412, 195, 40),
        ]);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].text().contains("5,000円"));
        assert!(lines[0].text().starts_with("入学"));
    }

    #[test]
    fn words_a_stamp_made_taller_stay_in_their_line_and_the_lines_round_them_stay_apart() {
        // As read on seed 21 sub053: the 角印 on the name's end makes 「教育」 and 「%-」 tall.
        let doubtful = |t: Token, c: f32| Token { confidence: c, ..t };
        let lines = lines_from_tokens(vec![
            doubtful(tok("一", 803, 1000, 31, 4), 0.0),
            doubtful(tok("上", 836, 987, 28, 32), 0.11),
            doubtful(tok("社団", 869, 987, 78, 32), 0.27),
            tok("法人", 956, 974, 59, 86),
            tok("つばさ", 1014, 988, 85, 29),
            tok("資格", 1107, 987, 62, 31),
            tok("教育", 1186, 987, 64, 69),
            doubtful(tok("を", 1257, 994, 10, 49), 0.5),
            doubtful(tok("%-", 1293, 974, 65, 86), 0.0),
            tok("つ", 1358, 992, 33, 34),
            tok("埼玉県川口市", 803, 1041, 200, 24),
            tok("13番7号", 1024, 1043, 84, 20),
            tok("印", 1278, 1048, 48, 53),
            tok("TEL", 802, 1085, 40, 20),
            tok("08-000-7715", 850, 1085, 140, 20),
        ]);
        // The stamp's 「印」, far right of the address and lower, is a line of its own.
        let texts: Vec<String> = lines
            .iter()
            .map(|l| l.text().replace(' ', ""))
            .filter(|t| t != "印")
            .collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(
            texts[0].starts_with("一上社団法人つばさ資格教育"),
            "{texts:?}"
        );
        assert!(texts[1].starts_with("埼玉県川口市"), "{texts:?}");
        assert!(texts[2].starts_with("TEL"), "{texts:?}");
        // A corrected value written above a struck one overlaps it across, not in height.
        let stacked = lines_from_tokens(vec![
            tok("受講料", 152, 728, 90, 28),
            tok("260,000", 1018, 702, 113, 22),
            tok("265,000", 1018, 730, 113, 24),
        ]);
        let texts: Vec<String> = stacked.iter().map(|l| l.text().replace(' ', "")).collect();
        assert_eq!(texts, ["260,000", "受講料265,000"]);
    }

    #[test]
    fn a_wide_gap_is_the_space_between_family_and_given_name() {
        let lines = lines_from_tokens(vec![
            tok("山", 100, 100, 40, 40),
            tok("田", 142, 100, 40, 40),
            tok("花", 230, 100, 40, 40),
            tok("子", 272, 100, 40, 40),
            tok("様", 340, 100, 40, 40),
        ]);
        assert_eq!(lines[0].text(), "山田 花子 様");
    }
}
