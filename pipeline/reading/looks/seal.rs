//! The seal look: when the application's institution is nowhere on a page, the neighbourhood of
//! each large seal is read again as a block, then the lines under the seal and the most doubtful
//! lines alone ([`seal_look`]); a reading is kept only if the institution is then found.
//!
//! Called by [`crate::reading::read_image_page`] once the page's marks are found, before the
//! receipt looks.

use image::imageops;
use image::GrayImage;

use crate::document::BBox;
use crate::extract::layout::{lines_from_tokens, TextLine, Token};
use crate::extract::normalize::compact;
use crate::extract::{Hints, PageInput};
use crate::ocr::{Engine, OcrError, PageSegMode};

use super::money::carries_money;
use crate::reading::lines::{line_of, read_line_at, read_line_without_frames, tokens_on_page};

/// Lines a large seal is set on the end of that the seal look reads alone, at most (the name and
/// the address under a 角印).
const MAX_LINES_UNDER_SEAL: usize = 3;

/// Doubtful lines the seal look reads alone, at most.
const MAX_DOUBTFUL_LINES: usize = 4;

/// Below this confidence a word of the page reading gives way to a word read again over it: the
/// stamp's strokes read as 「yu」 or 「っ」 at 0–10 % over the issuer's name.
const GIVES_WAY_BELOW: f32 = 0.5;

/// A line of a second reading, with the words of the page reading it would replace.
struct NewLine {
    line: TextLine,
    replaces: Vec<BBox>,
}

/// The lines a second reading adds to the page's. A new word is kept where it covers no word of the
/// page reading, or only doubtful ones read with less confidence than it (those it would replace);
/// a word the page read with confidence stays. Words cover each other when they share a third of
/// the smaller one (a word read tall beside a stamp grazes the line below). The kept words make
/// lines of their own, so a line the page read whole is never cut or joined.
fn new_lines(lines: &[TextLine], new: Vec<Token>) -> Vec<NewLine> {
    let mut kept = Vec::new();
    let mut replaced: Vec<(BBox, BBox)> = Vec::new();
    for token in new {
        let under: Vec<&Token> = lines
            .iter()
            .flat_map(|l| &l.tokens)
            .filter(|old| {
                let least = (old.bbox.w * old.bbox.h).min(token.bbox.w * token.bbox.h);
                old.bbox.shared_area(&token.bbox) * 3 > least
            })
            .collect();
        if under
            .iter()
            .all(|old| old.confidence < GIVES_WAY_BELOW.min(token.confidence))
        {
            replaced.extend(under.iter().map(|old| (token.bbox, old.bbox)));
            kept.push(token);
        }
    }
    lines_from_tokens(kept)
        .into_iter()
        .map(|line| {
            let mut replaces: Vec<BBox> = Vec::new();
            for (_, old) in replaced
                .iter()
                .filter(|(new, _)| line.tokens.iter().any(|t| t.bbox == *new))
            {
                if !replaces.contains(old) {
                    replaces.push(*old);
                }
            }
            NewLine { line, replaces }
        })
        .collect()
}

/// `lines` with the words at `replaced` taken out and `added` put in, in reading order.
fn with_lines(lines: &[TextLine], replaced: &[BBox], added: &[&TextLine]) -> Vec<TextLine> {
    let mut out: Vec<TextLine> = lines
        .iter()
        .filter_map(|l| {
            line_of(
                l.tokens
                    .iter()
                    .filter(|t| !replaced.contains(&t.bbox))
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    out.extend(added.iter().map(|l| (*l).clone()));
    out.sort_by_key(|l| (l.bbox.y, l.bbox.x));
    out
}

/// Reads the neighbourhood of each large seal again as a block when the application's institution is
/// nowhere on the page: Tesseract's layout analysis often takes a stamp and the name under it for a
/// picture and drops both, or reads the stamp's strokes over the name as doubtful words. Lines
/// read where nothing was read are added; a line read over doubtful words replaces them only if it
/// names the institution (see [`new_lines`]). Failing that, each doubtful line is read alone. The
/// page is changed only if the institution is then found (in full, or running under its seal).
/// Returns whether it was.
pub fn seal_look(
    engine: &mut Engine,
    image: &GrayImage,
    page: &mut PageInput,
    hints: &Hints,
) -> Result<bool, OcrError> {
    let found = |p: &PageInput| {
        hints.institution_on(&p.lines).is_some() || hints.institution_under_seal(&[p]).is_some()
    };
    if hints.institutions.is_empty() || found(page) {
        return Ok(false);
    }
    let ch = PageInput::char_height(&page.lines);
    let seals: Vec<BBox> = page
        .marks
        .seals
        .iter()
        .filter(|s| s.is_large(ch))
        .map(|s| s.bbox)
        .collect();
    for seal in &seals {
        // The name runs left of its stamp: 「一般社団法人つばさ資格教育センター」 reaches 16
        // characters before the 角印 set on its end. The seal's box may be only part of the
        // stamp (a gray 角印 over the print falls into pieces: seed 5 sub006), so the crop
        // reaches two lines above and below it.
        let x = seal.x.saturating_sub(ch * 20);
        let y = seal.y.saturating_sub(ch * 4);
        let w = (seal.right() + ch).min(image.width()).saturating_sub(x);
        let h = (seal.bottom() + ch * 4)
            .min(image.height())
            .saturating_sub(y);
        if w < 3 || h < 3 {
            continue;
        }
        let crop = imageops::crop_imm(image, x, y, w, h).to_image();
        // As a block first; a block reading can drop the line the stamp covers most, which a
        // sparse one keeps (「学校法人 衝衝強」 under 春日野学園's 角印).
        for mode in [PageSegMode::SingleBlock, PageSegMode::SparseText] {
            let read = engine.recognize_as(&crop, mode)?;
            let tokens = tokens_on_page(read.words, x, y, 1.0);
            let new = new_lines(&page.lines, tokens);
            // Lines where nothing was read are added as they are, if they carry no digits (this
            // look is for a name; a stray 「4」 read beside a breakdown row must not become part of
            // it); a line that replaces doubtful words (the stamp's strokes read over the name)
            // only if it is the one that names the institution.
            let (free, over): (Vec<&NewLine>, Vec<&NewLine>) = new.iter().partition(|n| {
                n.replaces.is_empty() && !page.lines.iter().any(|l| l.bbox.overlaps(&n.line.bbox))
            });
            let added: Vec<&TextLine> = free
                .iter()
                .map(|n| &n.line)
                .filter(|l| !l.text().chars().any(|c| c.is_ascii_digit()))
                .collect();
            let mut trial = page.clone();
            trial.lines = with_lines(&page.lines, &[], &added);
            if !found(&trial) {
                for n in over {
                    let mut with = added.clone();
                    with.push(&n.line);
                    trial.lines = with_lines(&page.lines, &n.replaces, &with);
                    if found(&trial) {
                        break;
                    }
                }
            }
            if found(&trial) {
                tracing::debug!(?mode, "seal look found the institution");
                *page = trial;
                return Ok(true);
            }
        }
    }
    // Then the lines the stamp is set on the end of, each alone up to the stamp's far side, as it
    // is and with the stamp's frame whited out: a 角印 over 「…教育協会」 spoils the page reading
    // of the whole line (「一般社団法人さく5時人」), which reads all but a glyph right alone.
    for seal in &seals {
        let under: Vec<usize> = page
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let mid = l.bbox.y + l.bbox.h / 2;
                mid >= seal.y && mid < seal.bottom() && l.bbox.x < seal.x && !carries_money(l)
            })
            .map(|(i, _)| i)
            .take(MAX_LINES_UNDER_SEAL)
            .collect();
        for i in under {
            let line = &page.lines[i];
            let (top, bottom) = line.core();
            let part = TextLine {
                tokens: line.tokens.clone(),
                bbox: BBox {
                    x: line.bbox.x,
                    y: top,
                    w: seal.right() + ch / 2 - line.bbox.x,
                    h: bottom - top,
                },
            };
            for unframed in [false, true] {
                let tokens = if unframed {
                    read_line_without_frames(engine, image, &part, ch)?
                } else {
                    read_line_at(engine, image, &part, 1.0)?
                };
                let Some(again) = line_of(tokens) else {
                    continue;
                };
                let mut trial = page.clone();
                trial.lines[i] = again;
                if found(&trial) {
                    tracing::debug!(
                        unframed,
                        "a line under a seal read alone names the institution"
                    );
                    *page = trial;
                    return Ok(true);
                }
            }
        }
    }
    // Failing that, the most doubtful lines alone: beside a table, the issuer's name is read into
    // a jumble (「林 殿 介 な クア カテ ュー」 for 株式会社みなとケアアカデミー) that reads clean alone.
    // A line of money is left as it was read (the breakdown is the money look's); a page that
    // carries no institution at all (a certificate's second page) has many doubtful lines, so
    // only a few are read, once each.
    let mut doubtful: Vec<(usize, f32)> = page
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i, l.confidence_of(0, l.tokens.len())))
        .filter(|&(i, c)| {
            c < GIVES_WAY_BELOW
                && !carries_money(&page.lines[i])
                && compact(&page.lines[i].text()).chars().count() >= 4
        })
        .collect();
    doubtful.sort_by(|a, b| a.1.total_cmp(&b.1));
    for (i, _) in doubtful.into_iter().take(MAX_DOUBTFUL_LINES) {
        let Some(again) = line_of(read_line_at(engine, image, &page.lines[i], 1.0)?) else {
            continue;
        };
        let mut trial = page.clone();
        trial.lines[i] = again;
        if found(&trial) {
            tracing::debug!("a doubtful line read alone names the institution");
            *page = trial;
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_under_a_stamp_read_again_replaces_only_the_doubtful_words_over_it() {
        // As read on seed 21 sub023: the 角印 over 学校法人つばさ学園 read as 「yu っ」, and the
        // line below it read with confidence.
        let word = |text: &str, c: f32, x: u32, y: u32, w: u32, h: u32| Token {
            text: text.into(),
            confidence: c,
            agreed: false,
            bbox: BBox { x, y, w, h },
        };
        let page = lines_from_tokens(vec![
            word("yu", 0.0, 837, 1190, 118, 37),
            word("っ", 0.08, 1028, 1151, 221, 148),
            word("さ", 0.93, 918, 1232, 33, 78),
            word("ビ", 0.91, 951, 1232, 33, 78),
            word("ジネス", 0.93, 983, 1256, 111, 33),
        ]);
        let again = vec![
            word("学校", 0.95, 837, 1190, 113, 37),
            word("法人", 0.94, 959, 1173, 56, 78),
            word("つば", 0.92, 1009, 1190, 78, 36),
            word("き", 0.86, 1099, 1212, 15, 9),
            word("学", 0.90, 1132, 1178, 59, 69),
            word("園", 0.3, 1190, 1173, 40, 78),
            word("さ", 0.6, 917, 1258, 24, 31),
            word("ビ", 0.99, 955, 1258, 29, 30),
        ];
        let new = new_lines(&page, again);
        // The words over the confident 「さ」「ビ」 are not taken, however sure.
        assert_eq!(
            new.len(),
            1,
            "{:?}",
            new.iter().map(|n| n.line.text()).collect::<Vec<_>>()
        );
        assert_eq!(compact(&new[0].line.text()), "学校法人つばき学園");
        assert_eq!(new[0].replaces.len(), 2, "「yu」 and 「っ」 give way");
        let lines = with_lines(&page, &new[0].replaces, &[&new[0].line]);
        let texts: Vec<String> = lines.iter().map(|l| compact(&l.text())).collect();
        assert_eq!(texts, ["学校法人つばき学園", "さビジネス"]);
        let hints = Hints {
            institutions: vec!["学校法人つばさ学園".into()],
            ..Hints::default()
        };
        assert!(hints.institution_on(&lines).is_some());
        assert!(hints.institution_on(&page).is_none());
    }
}
