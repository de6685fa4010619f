//! What the rest of a submission says ([`Hints`]), used by the readers to *confirm* what a page
//! carries: a known name, course or institution. A hint never replaces a different value read.

use super::*;

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

    /// The applicant's name when `read` is it up to look-alike glyphs — or it followed, after a space
    /// or not, by what Tesseract makes of 様 or 殿 (「中村由美 欄」, 「山崎 瞳棟」); a name that
    /// merely starts like the applicant's (「中村由美子」, 「中村 由美 子」) is someone else's.
    /// With what confirmed it: the name up to look-alikes, or through one known misreading of a
    /// handwritten glyph ([`normalize::name_misread`]: 「小川 洋チ」).
    pub(super) fn confirm(&self, read: &str) -> Option<(String, Check)> {
        let trimmed = read
            .trim_end()
            .rsplit_once(char::is_whitespace)
            .filter(|(_, last)| HONORIFIC_MISREADS.contains(last))
            .map(|(rest, _)| rest);
        // Or glued to the name (「山崎 瞳棟」 for 山崎 瞳 様 on a fax: seed 23 sub044), where more
        // glyphs are taken for 殿 and 様 (「高橋 真理典」, 「加藤 誠段」, 「山口 陽子情」, 「岡田
        // 千尋内」: seeds 41–79): glued to the applicant's whole name, never as a name of its own.
        let glued = HONORIFIC_MISREADS
            .iter()
            .chain(GLUED_HONORIFIC_MISREADS)
            .find_map(|h| read.trim_end().strip_suffix(h))
            .filter(|rest| compact(rest).chars().count() >= 2);
        let candidates = || std::iter::once(read).chain(trimmed).chain(glued);
        let spaced = |n: &String| n.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(n) = self
            .names
            .iter()
            .find(|n| candidates().any(|r| normalize::same_modulo_lookalikes(n, r)))
        {
            return Some((spaced(n), Check::Application));
        }
        self.names
            .iter()
            .find(|n| candidates().any(|r| normalize::name_misread(n, r)))
            .map(|n| (spaced(n), Check::ApplicationLookalike))
    }

    /// Whether `read` is a strict part of a name the application gives, up to look-alikes
    /// (「福田」 of 福田 愛).
    pub(super) fn part_of_a_name(&self, read: &str) -> bool {
        let r = normalize::lookalike_key(&compact(read));
        !r.is_empty()
            && self.names.iter().any(|n| {
                let n = normalize::lookalike_key(&compact(n));
                n.len() > r.len() && n.contains(&r)
            })
    }

    /// Whether `text` carries two glyphs or more in a row of a name the application gives, up to
    /// look-alikes: a name line read into pieces (「田彩 0」 for 岡田 彩 殿, its 岡 read into the
    /// issuer's line) still shows a name is printed.
    pub(super) fn shows_part_of_a_name(&self, text: &str) -> bool {
        let t = normalize::lookalike_key(&compact(text));
        self.names.iter().any(|n| {
            let n: Vec<char> = normalize::lookalike_key(&compact(n)).chars().collect();
            n.windows(2)
                .any(|pair| t.contains(&pair.iter().collect::<String>()))
        })
    }

    /// A name read as someone else's, set out as the application sets out names: without a name
    /// label read into it (「受講 者 中島和子」), and with the space after the family name when it
    /// begins with the applicant's (「前 田弘」 → 「前田 弘」: a relative who pays shares it). Other
    /// readings are returned as they are.
    pub(super) fn spaced(&self, read: &str) -> String {
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
    pub(super) fn confirms_course(&self, read: &str) -> Option<String> {
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
            // Found by the application's institution, allowing a stamp over part of it.
            let found = |text: &str, bbox: BBox, confidence: f32| {
                Some((
                    k.clone(),
                    Span {
                        text: text.to_string(),
                        confidence,
                        certainty: Certainty::Sure(Check::ApplicationLookalike),
                        bbox: Some(bbox),
                    },
                ))
            };
            for (i, l) in lines.iter().enumerate() {
                let text = compact(&l.text());
                if normalize::substring_distance(&k, &text) * 4 <= n {
                    return found(&text, l.bbox, l.confidence_of(0, l.tokens.len()));
                }
                for other in lines.iter().skip(i + 1).take(2) {
                    if other.bbox.y > l.bbox.bottom() + l.char_height() * 2 {
                        break;
                    }
                    let both = format!("{text}{}", compact(&other.text()));
                    let bbox = l.bbox.union(&other.bbox);
                    let score = l
                        .confidence_of(0, l.tokens.len())
                        .min(other.confidence_of(0, other.tokens.len()));
                    if normalize::substring_distance(&k, &both) * 4 <= n {
                        return found(&both, bbox, score);
                    }
                    if both.contains(&distinctive) && shared_chars(&k, &both) * 4 >= n * 3 {
                        return found(&both, bbox, score);
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
                    return found(&text, l.bbox, l.confidence_of(0, l.tokens.len()));
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
                            confidence: l.confidence_of(0, l.tokens.len()),
                            certainty: Certainty::Sure(Check::ApplicationLookalike),
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

/// How many of `want`'s characters `text` has in the same order (longest common subsequence).
pub(super) fn in_order(want: &str, text: &str) -> usize {
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

pub(super) fn shared_chars(want: &str, text: &str) -> usize {
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

/// What Tesseract makes of 殿 (典, 段) and 様 (情, 内) glued to the name before it: taken off only
/// where what is left is the applicant's whole name. 典 ends given names too (和典): someone
/// whose name is the applicant's with 典 after it would pass for the applicant; such a pair is
/// not met in a family's papers.
const GLUED_HONORIFIC_MISREADS: &[&str] = &["典", "段", "情", "内"];
