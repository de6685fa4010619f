//! Second looks: parts of a page read again, while its image is still in memory, when the first
//! reading does not agree with what the rest of the submission says. Nothing read a second time is
//! taken unless it passes a cross-check the first reading failed; otherwise the first reading stands
//! and the extractor decides exactly as before.
//!
//! - **Known texts** ([`second_look`]). Tesseract misreads single glyphs of names and titles (隆→際,
//!   遠→速, 簿→澄 in the corpus), and which glyph changes with the scale and crop: the 「中村 隆」 line
//!   reads 「中村際」 on the page and 「中村 隆」 cropped at half size. A line within a few characters of
//!   a name, course or institution the application gives (or with a name label but not the name, or
//!   a labelled date other than the application's) is read alone (`--psm 7`) at a few scales, and
//!   replaced only by a reading that carries the known text verbatim (up to the look-alikes the
//!   extractor allows): no scale turns 「山本 健」 into 「山本 綾香」, so someone else's receipt keeps
//!   its name; when every reading gives that other name alike, it is read as sure (agreed), so
//!   a receipt made out to someone else is told apart from a misread one. A date read only with a repaired era (信和 for 令和) is written back plainly when a
//!   reading alone gives the same date.
//! - **Ruled tables** ([`grid_look`]). A certificate set out as a ruled table whose rows were not
//!   all read is read again with the table's rules erased; the new reading is kept when it gives
//!   more of the table's fields.
//! - **Seals** ([`seal_look`]). Layout analysis often drops a stamp together with the name under it;
//!   when the application's institution is nowhere on the page, each large seal's neighbourhood is
//!   read as a block, then each doubtful line alone, and a reading is kept only if the institution
//!   is then found.
//! - **Issue dates** ([`date_look`]). On a receipt where no date was read, the lines near the top
//!   that look dated are read again by the English model, at other scales and in date glyphs alone
//!   (no kana for a digit to be misread as); a date two readings
//!   give alike is written back plainly (「2025/03/68」 read by `jpn` is 2025/03/08 to `eng`).
//! - **Money** ([`money_look`], then [`sparse_look`]). The Japanese model reads handwritten and
//!   rounded digits poorly (0→9, 000→666 on pad receipts); the English one reads them well but not
//!   the kanji around them. On a receipt whose breakdown does not sum, each line of money is read by
//!   the English model (and, unlabelled, by the Japanese one at other scales), with each digit whose
//!   glyph has a zero's holes read as 0 (a slashed or rounded 0 read as 6 or 9), and the fewest changes
//!   that make the breakdown sum exactly to the total are kept; failing that, the page is read as
//!   sparse text and its lines of money are tried the same way. A misread digit gets through only if
//!   a second, independent misread makes the sum come out exactly.

use std::sync::{Mutex, PoisonError};

use image::imageops::{self, FilterType};
use image::GrayImage;

use crate::document::{
    certificate_fields as cf, receipt_fields as rf, BBox, Certainty, DocKind, Document, Doubt,
};
use crate::extract::layout::{lines_from_tokens, TextLine, Token};
use crate::extract::marks;
use crate::extract::normalize::{
    compact, lookalike_key, parse_date, parse_yen, substring_distance, Reading,
};
use crate::extract::read::{dates_on, looks_like_date_or_phone};
use crate::extract::{Extractor, Hints, PageInput, HONORIFIC_MISREADS};
use crate::ink;
use crate::ocr::{Engine, OcrError, PageSegMode, Word};

/// Scales a doubtful line is read at, in order, until one reading carries the known text. On the
/// seed-7 corpus (`make accuracy`, `KYUFU_LOG=kyufu=debug`) 88 lines were looked at and 53 confirmed:
/// 41 at 1.0 (the line alone), 10 at 0.5, 2 at 0.7, none at 1.4 (so it is not tried).
const SCALES: &[f32] = &[1.0, 0.5, 0.7];

/// Labels a person's name follows or precedes on receipts and certificates.
const NAME_LABELS: &[&str] = &["氏名", "受講者", "受講生", "修了者", "様", "殿"];

/// What a line might be a misreading of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Name,
    Title,
}

/// Re-reads the lines of `page` that nearly carry a known text; returns how many were replaced.
pub fn second_look(
    engine: &mut Engine,
    script: &Mutex<Engine>,
    page: &GrayImage,
    lines: &mut [TextLine],
    hints: &Hints,
) -> Result<usize, OcrError> {
    let known: Vec<(String, Known)> = hints
        .names
        .iter()
        .map(|n| (n, Known::Name))
        .chain(hints.courses.iter().map(|c| (c, Known::Title)))
        .chain(hints.institutions.iter().map(|i| (i, Known::Title)))
        .map(|(k, kind)| (lookalike_key(&compact(k)), kind))
        .filter(|(k, _)| k.chars().count() >= 2)
        .collect();
    let dates: Vec<chrono::NaiveDate> = [hints.birth_date, hints.started_on, hints.completed_on]
        .into_iter()
        .flatten()
        .collect();
    let mut replaced = 0;
    let mut looked = 0;
    for line in lines.iter_mut() {
        let near: Vec<&(String, Known)> = known
            .iter()
            .filter(|(k, kind)| nearly(line, k, *kind))
            .collect();
        let wanted: Vec<&String> = near.iter().map(|(k, _)| k).collect();
        let name_doubt = near.iter().any(|(_, kind)| *kind == Known::Name);
        let date_doubt = dated_but_not_as_known(line, &dates);
        let repaired = repaired_date(line);
        if wanted.is_empty() && !date_doubt && repaired.is_none() {
            continue;
        }
        looked += 1;
        // What the line already says right must survive the new reading.
        let first = lookalike_key(&compact(&line.text()));
        let kept: Vec<&String> = known
            .iter()
            .map(|(k, _)| k)
            .filter(|k| first.contains(k.as_str()))
            .collect();
        // A date alone is read without the words before it (a title in another size spoils it).
        let date_only = wanted.is_empty() && !date_doubt;
        let from = if date_only { date_start(line) } else { 0 };
        let Some(mut part) = line_of(line.tokens[from..].to_vec()) else {
            continue;
        };
        // A known text read short may have lost its end (「大型自動第一種運転」 for …運転免許): the
        // crop reaches as many characters further right as the reading is off by.
        let missing = wanted
            .iter()
            .map(|k| substring_distance(k, &first))
            .max()
            .unwrap_or(0);
        part.bbox.w += missing as u32 * part.char_height();
        // A handwritten name reads better without its label and honorific around it (「田中 苦ニ
        // 欄」 on the page, 「田中 浩二」 alone): when the whole line does not confirm the name, the
        // name's words alone are read too.
        let whole = (from, line.tokens.len());
        let name_part = name_doubt
            .then(|| name_words(&line.tokens, from))
            .flatten()
            .filter(|&span| span != whole);
        let tries = SCALES.iter().map(|&s| (whole, s)).chain(
            name_part
                .into_iter()
                .flat_map(|p| SCALES.iter().map(move |&s| (p, s))),
        );
        // The readings of a doubtful name, to tell someone else's name (read alike) from a misread
        // one (read differently each time).
        let mut name_readings: Vec<TextLine> = Vec::new();
        let mut confirmed = false;
        for ((start, end), scale) in tries {
            let crop = if (start, end) == whole {
                part.clone()
            } else {
                match line_of(line.tokens[start..end].to_vec()) {
                    Some(crop) => crop,
                    None => continue,
                }
            };
            let mut tokens = line.tokens[..start].to_vec();
            tokens.extend(read_line_at(engine, page, &crop, scale)?);
            tokens.extend(line.tokens[end..].iter().cloned());
            let Some(again) = line_of(tokens) else {
                continue;
            };
            let text = lookalike_key(&compact(&again.text()));
            let known_text = wanted.iter().any(|k| text.contains(k.as_str()));
            let known_date = date_doubt && dates_on(&again).iter().any(|d| dates.contains(d));
            // A date read with a repair (信和6年…) that a reading alone at another scale gives too:
            // written back plainly, so the extractor reads it as sure. Readings at other scales are
            // not independent enough to settle a date the first reading did not give (two of them
            // once agreed on 4043年).
            let agreed_date = match (repaired, parse_date(&again.text())) {
                (Some(first), Some((d, _))) if date_only && d == first => Some(d),
                _ => None,
            };
            let keeps = kept.iter().all(|k| text.contains(k.as_str()));
            if keeps && (known_text || known_date || agreed_date.is_some()) {
                let again = match agreed_date {
                    Some(d) => dated(line, from, &part, d),
                    None => again,
                };
                *line = again;
                replaced += 1;
                tracing::debug!(scale, "second look confirmed a line");
                confirmed = true;
                break;
            }
            if name_doubt {
                name_readings.push(again);
            }
        }
        // Tesseract's Japanese-script model was trained on more fonts than `jpn` and reads some
        // handwritten glyphs `jpn` never does (剛 of seed 7 sub060's 「遠藤 剛」, read 「天藤 半」,
        // 「形藤 団」, 「球藤 半」 by `jpn` at every scale, 「遠藤 剛」 by `Japanese` at 0.5 and 0.7):
        // it confirms the name as `jpn` would, and gives no reading of its own otherwise. Then both
        // read the name with wider margins: a pad receipt's handwritten 「中村 智子」 (seed 11
        // sub004) reads 「下村 智子」, 「中材 智子」, 「中 科 智子」 in the usual crop and
        // 「中 村 智子」 with a character and a half of paper around it.
        // (Only while the line is as first read: the spans are of its words.)
        let (start, end) = name_part.unwrap_or(whole);
        let crop = match (name_doubt && !confirmed, (start, end) == whole) {
            (false, _) => None,
            (true, true) => Some(part.clone()),
            (true, false) => line_of(line.tokens[start..end].to_vec()),
        };
        if let Some(crop) = crop {
            let names: Vec<&String> = near
                .iter()
                .filter(|(_, kind)| *kind == Known::Name)
                .map(|(k, _)| k)
                .collect();
            let wide = widened(&crop);
            // Up to nine more readings, each a chance for a name one glyph off the applicant's
            // (鈴木 陽子 for 鈴木 洋子, someone else) to be read as theirs: two must give it.
            let mut first_confirming: Option<TextLine> = None;
            let passes = [(true, &crop), (false, &wide), (true, &wide)];
            'passes: for (by_script, crop) in passes {
                for &scale in SCALES {
                    let read = if by_script {
                        // One script engine serves every worker (it is seldom needed, and a
                        // third model per worker costs 45 MB); a worker that panicked holding
                        // it left it whole (each reading sets its own mode).
                        let mut script = script.lock().unwrap_or_else(PoisonError::into_inner);
                        read_line_at(&mut script, page, crop, scale)?
                    } else {
                        read_line_at(engine, page, crop, scale)?
                    };
                    let mut tokens = line.tokens[..start].to_vec();
                    tokens.extend(read);
                    tokens.extend(line.tokens[end..].iter().cloned());
                    let Some(again) = line_of(tokens) else {
                        continue;
                    };
                    let text = lookalike_key(&compact(&again.text()));
                    let keeps = kept.iter().all(|k| text.contains(k.as_str()));
                    if !(keeps && names.iter().any(|k| text.contains(k.as_str()))) {
                        continue;
                    }
                    match first_confirming.take() {
                        None => first_confirming = Some(again),
                        Some(first) => {
                            *line = first;
                            replaced += 1;
                            tracing::debug!(scale, by_script, "two further readings gave a name");
                            confirmed = true;
                            break 'passes;
                        }
                    }
                }
            }
        }
        // A name other than the application's that the readings give alike is read as sure:
        // someone else's name is then told apart from a misread one (which the scales read
        // differently: 「天藤 半」, 「形藤 団」, 「著藤 半」 for 遠藤 剛).
        if name_doubt && !confirmed {
            if let Some(agreed) = agreed_name(line, &name_readings) {
                *line = agreed;
                for t in &mut line.tokens {
                    t.agreed = true;
                }
                tracing::debug!("the second readings of a name agreed");
            }
        }
    }
    tracing::debug!(looked, replaced, "second look");
    Ok(replaced)
}

/// A page of `lines` alone (no marks), for asking the extractor what they give.
fn page_of(lines: &[TextLine]) -> PageInput {
    PageInput {
        number: 1,
        lines: lines.to_vec(),
        marks: marks::Marks::default(),
        text_layer: false,
        witnesses: Vec::new(),
    }
}

/// Regions of unread text the lost-text look reads, at most.
const MAX_LOST_REGIONS: usize = 6;

/// A receipt or certificate page that lacks a field it must carry, where Tesseract's layout
/// analysis dropped some print whole: a pad receipt's 「山口 裕子 ＿＿ 様」, a certificate's name
/// beside its 「氏名」, its 「講座名」 line. Ink no word read covers, in bands a line high, is
/// read a band at a time (`--psm 7`, or taken as it is when that reads nothing); a band read goes
/// onto the end of a short line it continues (a label), or is a line of its own. The result is
/// kept only if the document then has more of its fields and reads the others, and its
/// breakdown if one was read, as before. Returns whether the page was changed.
pub fn lost_look(
    engine: &mut Engine,
    image: &GrayImage,
    lines: &mut Vec<TextLine>,
    extractor: &Extractor,
    hints: &Hints,
) -> Result<bool, OcrError> {
    let fields_of = |lines: &[TextLine]| {
        extractor
            .extract_with("", &[page_of(lines)], hints)
            .into_iter()
            .find(|d| matches!(d.kind, DocKind::Receipt | DocKind::CompletionCertificate))
    };
    let Some(before) = fields_of(lines).filter(lacks_a_field) else {
        return Ok(false);
    };
    let ch = PageInput::char_height(lines);
    let mut new: Vec<Token> = Vec::new();
    for region in unread_ink(image, lines, ch)
        .into_iter()
        .take(MAX_LOST_REGIONS)
    {
        // A token the band's height of a character, for the crop's margins.
        let band = TextLine {
            tokens: vec![Token {
                text: String::new(),
                confidence: 0.0,
                agreed: false,
                bbox: BBox { h: ch, ..region },
            }],
            bbox: region,
        };
        // Specks and rules read as a glyph or two of punctuation add nothing.
        let says = |read: &[Token]| {
            read.iter()
                .any(|t| t.text.chars().any(char::is_alphanumeric))
        };
        let mut read = read_line_at(engine, image, &band, 1.0)?;
        if !says(&read) {
            // `--psm 7` returns nothing for some short lines that read taken as they are
            // (「渡辺 綾香」 beside 「氏名」 on seed 5 sub037).
            let pad = ch / 4;
            let around = BBox {
                x: region.x.saturating_sub(pad),
                y: region.y.saturating_sub(pad),
                w: region.w + pad * 2,
                h: region.h + pad * 2,
            };
            read = read_cut(engine, image, &around, PageSegMode::RawLine, false)?;
        }
        if says(&read) {
            new.extend(read);
        }
    }
    if new.is_empty() {
        return Ok(false);
    }
    // A new line joins a short line on its row (「氏 名」 waiting for its name, or a name read
    // without the label read anew before it); other lines stay as they were read (a column
    // beside a table must not run into its rows).
    let mut trial = lines.clone();
    let new_lines = lines_from_tokens(new);
    for line in new_lines.iter().cloned() {
        let (top, bottom) = line.core();
        let short = |l: &TextLine| compact(&l.text()).chars().count() <= 6;
        let continued = trial.iter_mut().find(|l| {
            let (t, b) = l.core();
            let shared = bottom.min(b).saturating_sub(top.max(t));
            let gap = if l.bbox.right() <= line.bbox.x {
                Some(line.bbox.x - l.bbox.right())
            } else if line.bbox.right() <= l.bbox.x {
                Some(l.bbox.x - line.bbox.right())
            } else {
                None
            };
            shared * 3 >= (bottom - top).min(b - t) * 2
                && gap.is_some_and(|g| g <= ch * 12)
                && short(l)
        });
        match continued {
            Some(l) => {
                let mut tokens = std::mem::take(&mut l.tokens);
                tokens.extend(line.tokens);
                *l = TextLine::from_tokens(tokens);
            }
            None => trial.push(line),
        }
    }
    trial.sort_by_key(|l| (l.bbox.y, l.bbox.x));
    // Kept only if it adds a field and changes none, nor a breakdown that was read.
    let better = fields_of(&trial).is_some_and(|after| {
        let same = |a: &crate::document::Item, b: &crate::document::Item| {
            (a.amount, a.category) == (b.amount, b.category)
        };
        after.kind == before.kind
            && after.fields.len() > before.fields.len()
            && before
                .fields
                .iter()
                .all(|(k, f)| after.fields.get(k).is_some_and(|g| g.value == f.value))
            && (before.items.is_empty()
                || after.items.len() == before.items.len()
                    && after
                        .items
                        .iter()
                        .zip(&before.items)
                        .all(|(a, b)| same(a, b)))
    });
    if better {
        tracing::debug!("lost-text look read dropped print");
        *lines = trial;
        return Ok(true);
    }
    // A dropped date line read with a digit as kana (「令和り年2月29日」 for 令和7年2月27日 on seed 7
    // sub050) adds no field yet: it is kept alone, changing nothing else, for the receipt's date
    // look to read again in date glyphs (which writes a date back only when two readings agree).
    let undated = before.kind == DocKind::Receipt && !before.fields.contains_key(rf::ISSUED_ON);
    let dated: Vec<TextLine> = new_lines.into_iter().filter(might_be_dated).collect();
    if !undated || dated.is_empty() {
        return Ok(false);
    }
    let mut with_date = lines.clone();
    with_date.extend(dated);
    with_date.sort_by_key(|l| (l.bbox.y, l.bbox.x));
    let unchanged = fields_of(&with_date).is_some_and(|after| {
        after.kind == before.kind
            && before
                .fields
                .iter()
                .all(|(k, f)| after.fields.get(k).is_some_and(|g| g.value == f.value))
            && after.items.len() == before.items.len()
    });
    if unchanged {
        tracing::debug!("lost-text look kept a date line for the date look");
        *lines = with_date;
    }
    Ok(unchanged)
}

/// Whether a receipt or certificate lacks one of the fields it must carry (RULES §1.4).
fn lacks_a_field(doc: &Document) -> bool {
    let must: &[&str] = match doc.kind {
        DocKind::Receipt => &[
            rf::PAYER_NAME,
            rf::ISSUER_NAME,
            rf::ISSUED_ON,
            rf::AMOUNT_TOTAL,
            rf::COURSE_NAME,
        ],
        DocKind::CompletionCertificate => &[
            cf::TRAINEE_NAME,
            cf::COURSE_NAME,
            cf::STARTED_ON,
            cf::COMPLETED_ON,
            cf::ISSUER_NAME,
        ],
        _ => &[],
    };
    must.iter().any(|f| !doc.fields.contains_key(*f))
}

/// Bands of print on `image` that no word of `lines` covers: cells a quarter of a character
/// (`ch`) square holding ink, without those under a word, joined into connected pieces; pieces
/// half a line to two and a half lines high and a character wide or more (not specks, rules or a
/// frame's sides), joined along a line when two characters apart or less. In reading order.
fn unread_ink(image: &GrayImage, lines: &[TextLine], ch: u32) -> Vec<BBox> {
    let cell = (ch / 4).max(4);
    let (w, h) = image.dimensions();
    let (gw, gh) = (w.div_ceil(cell), h.div_ceil(cell));
    let mut ink = vec![false; (gw * gh) as usize];
    for gy in 0..gh {
        for gx in 0..gw {
            let dark = (gy * cell..((gy + 1) * cell).min(h))
                .flat_map(|y| (gx * cell..((gx + 1) * cell).min(w)).map(move |x| (x, y)))
                .filter(|&(x, y)| image.get_pixel(x, y).0[0] < 128)
                .count();
            ink[(gy * gw + gx) as usize] = dark as u32 >= cell;
        }
    }
    let pad = ch / 4;
    for t in lines.iter().flat_map(|l| &l.tokens) {
        let (x0, y0) = (
            t.bbox.x.saturating_sub(pad) / cell,
            t.bbox.y.saturating_sub(pad) / cell,
        );
        let x1 = ((t.bbox.right() + pad) / cell).min(gw - 1);
        let y1 = ((t.bbox.bottom() + pad) / cell).min(gh - 1);
        for gy in y0..=y1 {
            for gx in x0..=x1 {
                ink[(gy * gw + gx) as usize] = false;
            }
        }
    }
    // Connected pieces of ink (8-neighbours).
    let mut seen = vec![false; ink.len()];
    let mut pieces: Vec<BBox> = Vec::new();
    for start in 0..ink.len() {
        if !ink[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
        while let Some(i) = stack.pop() {
            let (gx, gy) = (i as u32 % gw, i as u32 / gw);
            (x0, y0, x1, y1) = (x0.min(gx), y0.min(gy), x1.max(gx), y1.max(gy));
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (i64::from(gx) + dx, i64::from(gy) + dy);
                    if nx < 0 || ny < 0 || nx >= i64::from(gw) || ny >= i64::from(gh) {
                        continue;
                    }
                    let j = (ny as u32 * gw + nx as u32) as usize;
                    if ink[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        let piece = BBox {
            x: x0 * cell,
            y: y0 * cell,
            w: (x1 + 1 - x0) * cell,
            h: (y1 + 1 - y0) * cell,
        };
        if piece.h * 2 >= ch && piece.h * 2 <= ch * 5 {
            pieces.push(piece);
        }
    }
    // Pieces along one line, two characters apart or less, are one band.
    pieces.sort_by_key(|b| (b.y, b.x));
    let mut bands: Vec<BBox> = Vec::new();
    for p in pieces {
        let along = bands.iter_mut().find(|b| {
            let shared = b.bottom().min(p.bottom()).saturating_sub(b.y.max(p.y));
            let gap =
                p.x.saturating_sub(b.right())
                    .max(b.x.saturating_sub(p.right()));
            shared * 2 >= b.h.min(p.h) && gap <= ch * 2
        });
        match along {
            Some(b) => *b = b.union(&p),
            None => bands.push(p),
        }
    }
    bands.retain(|b| b.w >= ch && b.h * 2 <= ch * 5);
    bands.sort_by_key(|b| (b.y, b.x));
    bands
}

/// The certificate fields a grid look tries to recover (the ones a table's rows carry).
const TABLE_FIELDS: [&str; 5] = [
    cf::TRAINEE_NAME,
    cf::BIRTH_DATE,
    cf::COURSE_NAME,
    cf::STARTED_ON,
    cf::COMPLETED_ON,
];

/// A certificate page set out as a ruled table whose rows were not all read: Tesseract's layout
/// analysis drops a ruled table's cells whole at times (a table-style 修了証明書's 講座名 and
/// dates). The page is read again with the table's rules erased ([`ink::erase_rules`]), and the
/// new lines are kept when they give more of the table's fields. Receipts are not looked at so:
/// their underlines and boxes read better left as they are. Returns whether lines were replaced.
pub fn grid_look(
    engine: &mut Engine,
    image: &GrayImage,
    lines: &mut Vec<TextLine>,
    extractor: &Extractor,
    hints: &Hints,
) -> Result<bool, OcrError> {
    let found = |lines: &[TextLine]| {
        extractor
            .extract_with("", &[page_of(lines)], hints)
            .iter()
            .filter(|d| d.kind == DocKind::CompletionCertificate)
            .map(|d| {
                TABLE_FIELDS
                    .iter()
                    .filter(|f| d.fields.contains_key(**f))
                    .count()
            })
            .max()
    };
    let before = match found(lines) {
        Some(n) if n < TABLE_FIELDS.len() => n,
        _ => return Ok(false),
    };
    let mut unruled = image.clone();
    if ink::erase_rules(&mut unruled).is_none() {
        return Ok(false);
    }
    let read = engine.recognize(&unruled)?;
    drop(unruled);
    let again = lines_from_tokens(tokens_on_page(read.words, 0, 0, 1.0));
    if found(&again).is_some_and(|n| n > before) {
        tracing::debug!("grid look read more of the certificate's table");
        *lines = again;
        return Ok(true);
    }
    Ok(false)
}

/// What the receipt's date and money looks read with and check against: the page's engines, its
/// image (as the page was read), the extractor whose cross-check decides, and the application's
/// hints.
pub struct ReceiptLook<'a> {
    pub text: &'a mut Engine,
    pub digits: &'a mut Engine,
    pub image: &'a GrayImage,
    /// Whether the page's stamps are gray (no red ink was dropped from it), so a 訂正印 on a
    /// struck value is looked for as a gray ring ([`ink::ring_over`]).
    pub gray_stamps: bool,
    pub extractor: &'a Extractor,
    pub hints: &'a Hints,
}

impl ReceiptLook<'_> {
    /// A receipt page's issue date when none was read ([`date_look`]); then its money when the
    /// breakdown does not sum: re-read line by line ([`money_look`]), then, failing that, its ruled
    /// table read alone without its rules ([`table_look`]), then each ruled box read alone
    /// ([`box_look`]), then a sparse reading of the page ([`sparse_look`]). Returns whether the page
    /// was changed.
    pub fn run(&mut self, page: &mut PageInput) -> Result<bool, OcrError> {
        let dated = date_look(self, page)?;
        Ok(money_look(self, page)?
            || table_look(self, page)?
            || box_look(self, page)?
            || sparse_look(self, page)?
            || dated)
    }
}

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
fn date_look(look: &mut ReceiptLook<'_>, page: &mut PageInput) -> Result<bool, OcrError> {
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
    for i in candidates {
        if let Some(again) = agreed_date(look, &page.lines, i)? {
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

/// `line` with its date written plainly, if two of the date look's readings of it give the same
/// date.
fn agreed_date(
    look: &mut ReceiptLook<'_>,
    lines: &[TextLine],
    i: usize,
) -> Result<Option<TextLine>, OcrError> {
    let line = &lines[i];
    let (from, mut tokens) = date_part_start(lines, i);
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
fn might_be_dated(line: &TextLine) -> bool {
    let text = compact(&line.text());
    let digit = text.chars().any(|c| c.is_ascii_digit());
    let chars: Vec<char> = text.chars().collect();
    let year_slash = chars.windows(5).any(|w| {
        w[..4].iter().all(char::is_ascii_digit) && matches!(w[0], '1' | '2') && w[4] == '/'
    });
    // 「2025704/10」: a year, its first slash read as a digit, then month/day.
    let slash_read_as_digit = chars.len() <= 12
        && chars.windows(10).any(|w| {
            w[..7].iter().all(char::is_ascii_digit)
                && matches!(&w[..2], ['2', '0'] | ['1', '9'])
                && w[7] == '/'
                && w[8..].iter().all(char::is_ascii_digit)
        });
    let year_slash = year_slash || slash_read_as_digit;
    let marked = ["令和", "平成", "年", "月"]
        .iter()
        .any(|w| text.contains(w))
        || text.matches('/').count() >= 2;
    year_slash || (marked && digit || text.contains("令和")) && !carries_money(line)
}

/// Lines of money a receipt page's second look reads again, at most.
const MAX_MONEY_LINES: usize = 6;

/// Combinations of readings tried, at most (fewest changes first): each is one extraction, and the
/// more are tried, the likelier a sum that agrees by chance.
const MAX_TRIALS: usize = 1024;

/// Re-reads the money on a receipt page whose breakdown does not sum to its total, and keeps the
/// fewest changed lines that make the sum come out. Each line carrying money gets, besides its first
/// reading: its amount as `digits` (an English engine) reads it; and, when the words before the
/// amount are no label the lexicon knows, the first re-reading by `text` at another scale whose
/// label it does know (with the English amount too). Returns whether the page was changed.
fn money_look(look: &mut ReceiptLook<'_>, page: &mut PageInput) -> Result<bool, OcrError> {
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

/// A receipt whose breakdown is set out as a ruled table and does not sum: Tesseract's layout
/// analysis drops a ruled table's rows whole at times (seed 3 sub010: 内訳, 受講料 and 合計 not read
/// at all), and a corrected cell — the right value written small above the struck one, across the
/// row's rule — reads as neither (「受講料 すす86」). The table's rules are erased
/// ([`ink::erase_rules`]); strikes in it are found without needing a line to look along
/// ([`ink::strikes_in`]), the struck values whited out, and the value written above each read
/// alone ([`value_above`]) and whited out in turn; then each row between two rules is read alone
/// (a block reading of the table drops a row with little in it: 「受講料」 beside a whited-out cell).
/// These lines take the place of the first reading's in the table; each value read above a strike
/// goes onto the end of its row ([`put_value`]); the strikes join the page's marks (their 訂正印 is
/// looked for as on any other correction, a gray one as a ring round the strike); and the result is
/// kept only if the breakdown then sums to the total, after the money look if need be.
fn table_look(look: &mut ReceiptLook<'_>, page: &mut PageInput) -> Result<bool, OcrError> {
    let (extractor, hints) = (look.extractor, look.hints);
    if !unsummed_receipt(page, extractor, hints) {
        return Ok(false);
    }
    let mut unruled = look.image.clone();
    let (w, h) = unruled.dimensions();
    // A breakdown takes a part of the page; rules round most of it are a form's frame and boxes
    // (a pad receipt), whose lines the page reading reads better.
    let Some(table) = ink::erase_rules(&mut unruled).filter(|t| t.bbox.h * 5 < h * 2) else {
        return Ok(false);
    };
    // Where a gray 訂正印 is looked for: without the rules, which a blurred scan prints gray (the
    // rules above and below a struck cell and its digits between once made a ring, seed 11 sub053).
    let rings_in = look.gray_stamps.then(|| unruled.clone());
    let ch = PageInput::char_height(&page.lines);
    let x = table.bbox.x.saturating_sub(ch / 2);
    let y = table.bbox.y.saturating_sub(ch / 2);
    let area = BBox {
        x,
        y,
        w: (table.bbox.right() + ch / 2).min(w) - x,
        h: (table.bbox.bottom() + ch / 2).min(h) - y,
    };
    // A row's rule through a value written across it (the right value above a struck one) is
    // taken for a strike on the page: a "strike" with one of the table's rules through its middle
    // is that rule, and its value is no struck one (seed 11 sub054's 6,800).
    let on_rule = |s: &BBox| {
        s.x < table.bbox.right()
            && s.right() > table.bbox.x
            && table
                .rows
                .iter()
                .any(|&r| r >= s.y + s.h / 4 && r <= s.bottom() - s.h / 4)
    };
    let mut strikes: Vec<BBox> = page
        .marks
        .strikes
        .iter()
        .filter(|s| !on_rule(s))
        .copied()
        .collect();
    strikes.extend(
        ink::strikes_in(&unruled, area, ch)
            .into_iter()
            .filter(|s| !page.marks.strikes.iter().any(|p| p.overlaps(s))),
    );
    // With the ends of the struck glyphs the stroke does not reach.
    for s in &strikes {
        let x = s.x.saturating_sub(ch / 2);
        white_out(
            &mut unruled,
            &BBox {
                x,
                w: s.right() + ch / 2 - x,
                ..*s
            },
        );
    }
    // The value written above each strike in the table, read alone by either engine; then whited
    // out, so the row above, which it may touch, reads alone too.
    let mut values: Vec<(BBox, Vec<TextLine>)> = Vec::new();
    for s in strikes.iter().filter(|s| centred_in(s, &area)) {
        let Some((place, found)) = value_above(look, &unruled, s, ch)? else {
            continue;
        };
        white_out(&mut unruled, &place);
        if !found.is_empty() {
            values.push((*s, found));
        }
    }
    erase_faint_rules(&mut unruled, &area, ch * 6);
    // Each row alone; a row that gives no amount so, cell by cell between the column rules: a
    // label alone in its cell reads, but not beside the remains of a whited-out value in the
    // next. 「受講料」 alone reads as nothing or a jumble as one line (`--psm 7`), but reads taken
    // as it is (`--psm 13`) and cut close: a cell that gives neither a label nor an amount is
    // read so again.
    let mut cells = Vec::new();
    let mut edges = vec![area.x];
    edges.extend(
        table
            .cols
            .iter()
            .filter(|&&x| x > area.x + ch && x + ch < area.right()),
    );
    edges.push(area.right());
    for band in text_rows(&unruled, &area, ch) {
        // A band of more than a row is text set closer than a table's rows (the 但し line and
        // the framed total the table's box may take in).
        let mode = if band.h > ch * 2 {
            PageSegMode::SingleBlock
        } else {
            PageSegMode::SingleLine
        };
        let mut tokens = read_cut(look.text, &unruled, &band, mode, false)?;
        let priced = |tokens: &[Token]| {
            line_of(tokens.to_vec()).is_some_and(|l| crate::extract::read::amount_on(&l).is_some())
        };
        let useful = |tokens: &[Token]| {
            priced(tokens)
                || line_of(tokens.to_vec()).is_some_and(|l| extractor.knows_label(&l.text()))
        };
        if mode == PageSegMode::SingleLine && !priced(&tokens) && edges.len() > 2 {
            let mut by_cell = Vec::new();
            for pair in edges.windows(2) {
                let cell = BBox {
                    x: pair[0],
                    w: pair[1] - pair[0],
                    ..band
                };
                let mut read = read_cut(look.text, &unruled, &cell, mode, false)?;
                if let Some(ink) = inked_box(&unruled, &cell).filter(|_| !useful(&read)) {
                    let raw = read_cut(look.text, &unruled, &ink, PageSegMode::RawLine, false)?;
                    if useful(&raw) {
                        read = raw;
                    }
                }
                by_cell.extend(read);
            }
            if !by_cell.is_empty() {
                tokens = by_cell;
            }
        }
        cells.extend(lines_from_tokens(tokens));
    }
    drop(unruled);
    // Only the breakdown's rows are taken: the box round the rules can take in the lines above
    // (a framed total, the name and date beside it), which their first reading reads better.
    let rows: Vec<TextLine> = cells
        .into_iter()
        .filter(|l| {
            (carries_money(l) || extractor.knows_label(&l.text()))
                && !compact(&l.text()).starts_with('但')
        })
        .collect();
    let mut trial = page.clone();
    // A line the rows replace keeps what it read beyond the table: the issuer's name beside the
    // breakdown is often read into the header's line (「額 | 学校法人星野」).
    trial.lines = page
        .lines
        .iter()
        .filter_map(|l| {
            let mid = l.bbox.y + l.bbox.h / 2;
            let replaced = l.bbox.x < area.right()
                && rows
                    .iter()
                    .any(|r| mid >= r.bbox.y && mid < r.bbox.bottom());
            if !replaced {
                return Some(l.clone());
            }
            line_of(
                l.tokens
                    .iter()
                    .filter(|t| t.bbox.x >= area.right())
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    trial.lines.extend(rows);
    // The strikes found here have their 訂正印 looked for as the page's were.
    if let Some(image) = &rings_in {
        let new: Vec<BBox> = strikes
            .iter()
            .filter(|s| !page.marks.strikes.contains(s))
            .copied()
            .collect();
        ink::add_rings_over(&mut trial.marks, &new, image, ch);
    }
    trial.marks.strikes = strikes;
    let options: Vec<usize> = values.iter().map(|(_, found)| found.len()).collect();
    let mut tries = vec![trial.clone()];
    for pick in combinations(&options).into_iter().take(MAX_TRIALS) {
        let mut t = trial.clone();
        for ((strike, found), &p) in values.iter().zip(&pick) {
            if p > 0 {
                put_value(&mut t.lines, &area, strike, &found[p - 1]);
            }
        }
        tries.push(t);
    }
    for t in &mut tries {
        t.lines.sort_by_key(|l| (l.bbox.y, l.bbox.x));

        if !unsummed_receipt(t, extractor, hints) {
            tracing::debug!("table look made the breakdown sum");
            *page = t.clone();
            return Ok(true);
        }
    }
    let mut trial = tries.swap_remove(0);
    if money_look(look, &mut trial)? {
        tracing::debug!("table look and money look made the breakdown sum");
        *page = trial;
        return Ok(true);
    }
    Ok(false)
}

/// Puts the value read above `strike` into the breakdown: onto the end of the row the strike is in
/// when that row was read with a label and no amount (the value is written above the row's middle,
/// so as a line of its own it would have no label), else as a line of its own where it was read.
fn put_value(lines: &mut Vec<TextLine>, area: &BBox, strike: &BBox, value: &TextLine) {
    // The row is the line in the table that shares most height with the strike.
    let shared = |l: &TextLine| {
        l.bbox
            .bottom()
            .min(strike.bottom())
            .saturating_sub(l.bbox.y.max(strike.y))
    };
    let row = (0..lines.len())
        .filter(|&i| lines[i].bbox.x < area.right() && shared(&lines[i]) > 0)
        .max_by_key(|&i| shared(&lines[i]))
        .filter(|&i| crate::extract::read::amount_on(&lines[i]).is_none());
    let joined = row.and_then(|i| {
        let mut tokens = lines[i].tokens.clone();
        tokens.extend(value.tokens.iter().cloned());
        Some((i, line_of(tokens)?))
    });
    match joined {
        Some((i, line)) => lines[i] = line,
        None => lines.push(value.clone()),
    }
}

/// The box of the ink (darker than [`INK`]) in `area` of `page`, if any.
fn inked_box(page: &GrayImage, area: &BBox) -> Option<BBox> {
    let (w, h) = page.dimensions();
    let mut found: Option<BBox> = None;
    for y in area.y..area.bottom().min(h) {
        for x in area.x..area.right().min(w) {
            if page.get_pixel(x, y).0[0] < INK {
                let dot = BBox { x, y, w: 1, h: 1 };
                found = Some(found.map_or(dot, |b| b.union(&dot)));
            }
        }
    }
    found
}

/// A receipt whose breakdown does not sum and is printed in a ruled box (「内訳」 and its rows, no
/// column rule; seed 11 sub018: the box's three rows read as 「人*を 了」 and 「間 の 630.000 円」):
/// each box on the page ([`ink::boxes`]) is read alone as a block, which reads its rows clean.
/// Its rows that carry money or a known label take the place of the lines read inside the box (a
/// line reaching out of it keeps what is outside), and the result is kept only if the breakdown
/// then sums to the total, after the money look if need be.
fn box_look(look: &mut ReceiptLook<'_>, page: &mut PageInput) -> Result<bool, OcrError> {
    let (extractor, hints) = (look.extractor, look.hints);
    if !unsummed_receipt(page, extractor, hints) {
        return Ok(false);
    }
    for place in ink::boxes(look.image) {
        let cut = imageops::crop_imm(look.image, place.x, place.y, place.w, place.h).to_image();
        let read = look.text.recognize_as(&cut, PageSegMode::SingleBlock)?;
        let rows: Vec<TextLine> =
            lines_from_tokens(tokens_on_page(read.words, place.x, place.y, 1.0))
                .into_iter()
                .filter(|l| carries_money(l) || extractor.knows_label(&l.text()))
                .collect();
        if rows.is_empty() {
            continue;
        }
        let mut trial = page.clone();
        trial.lines = page
            .lines
            .iter()
            .filter_map(|l| {
                line_of(
                    l.tokens
                        .iter()
                        .filter(|t| !centred_in(&t.bbox, &place))
                        .cloned()
                        .collect(),
                )
            })
            .collect();
        trial.lines.extend(rows);
        trial.lines.sort_by_key(|l| (l.bbox.y, l.bbox.x));
        if !unsummed_receipt(&trial, extractor, hints) || money_look(look, &mut trial)? {
            tracing::debug!("box look made the breakdown sum");
            *page = trial;
            return Ok(true);
        }
    }
    Ok(false)
}

/// Turns `place` on `page` to paper.
fn white_out(page: &mut GrayImage, place: &BBox) {
    let (w, h) = page.dimensions();
    for y in place.y..place.bottom().min(h) {
        for x in place.x..place.right().min(w) {
            page.put_pixel(x, y, image::Luma([255]));
        }
    }
}

/// Darker than this is ink, where rows of print are looked for; paler than [`PAPER`] is paper in a
/// cut-out read alone (a table's thin inner rules scan light gray, too light for the rule finder,
/// and a block reading takes the two rows they run between for one).
const INK: u8 = 150;
const PAPER: u8 = 200;

/// Turns to paper every horizontal run of gray in `area` at least `long` pixels long (a pixel of
/// slant either way allowed), with the gray just above and below it: a table's thin inner rules,
/// too light for the rule finder ([`ink::erase_rules`]) but dark enough to make a row read
/// alone come out empty. Print has no stroke that long.
fn erase_faint_rules(page: &mut GrayImage, area: &BBox, long: u32) {
    let (w, h) = page.dimensions();
    let (x1, y1) = (area.right().min(w), area.bottom().min(h));
    let gray = |page: &GrayImage, x: u32, y: u32| page.get_pixel(x, y).0[0] < PAPER;
    let mut pixels = Vec::new();
    for y in area.y.max(1)..y1.min(h - 1) {
        let mut x = area.x;
        while x < x1 {
            if !gray(page, x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < x1 && (y - 1..=y + 1).any(|yy| gray(page, x, yy)) {
                x += 1;
            }
            if x - start >= long {
                for xx in start..x {
                    pixels.extend((y - 1..=y + 1).map(|yy| (xx, yy)));
                }
            }
        }
    }
    for (x, y) in pixels {
        page.put_pixel(x, y, image::Luma([255]));
    }
}

/// The rows of print in `area` (rules erased): runs of rows with ink, a gap of a quarter of the
/// print's height `ch` or less bridged, each widened by a quarter of `ch` into the paper round it.
fn text_rows(page: &GrayImage, area: &BBox, ch: u32) -> Vec<BBox> {
    let (w, h) = page.dimensions();
    let (x1, y1) = (area.right().min(w), area.bottom().min(h));
    let inked = |y: u32| {
        (area.x..x1)
            .filter(|&x| page.get_pixel(x, y).0[0] < INK)
            .count()
            >= 2
    };
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for y in area.y..y1 {
        if !inked(y) {
            continue;
        }
        match runs.last_mut() {
            Some(last) if y <= last.1 + ch / 4 => last.1 = y + 1,
            _ => runs.push((y, y + 1)),
        }
    }
    runs.into_iter()
        .filter(|(top, bottom)| bottom - top >= ch / 3)
        .map(|(top, bottom)| {
            let top = top.saturating_sub(ch / 4).max(area.y);
            BBox {
                x: area.x,
                y: top,
                w: x1 - area.x,
                h: (bottom + ch / 4).min(y1) - top,
            }
        })
        .collect()
}

/// Pixels of paper round a cut-out: Tesseract reads a line best with a margin round it.
const MARGIN: u32 = 20;

/// Reads `place` of `page` alone as `mode` says, set on a margin of paper, with light gray turned
/// to paper — or `binarize`d, for a small value whose neighbours' faint remains would spoil it;
/// returns the words as tokens in page coordinates.
fn read_cut(
    engine: &mut Engine,
    page: &GrayImage,
    place: &BBox,
    mode: PageSegMode,
    binarize: bool,
) -> Result<Vec<Token>, OcrError> {
    let (w, h) = page.dimensions();
    let cw = place.w.min(w.saturating_sub(place.x));
    let chh = place.h.min(h.saturating_sub(place.y));
    let mut cut = GrayImage::from_pixel(cw + 2 * MARGIN, chh + 2 * MARGIN, image::Luma([255]));
    for y in 0..chh {
        for x in 0..cw {
            let v = page.get_pixel(place.x + x, place.y + y).0[0];
            if binarize && v < INK {
                cut.put_pixel(x + MARGIN, y + MARGIN, image::Luma([0]));
            } else if !binarize && v < PAPER {
                cut.put_pixel(x + MARGIN, y + MARGIN, image::Luma([v]));
            }
        }
    }
    let read = engine.recognize_as(&cut, mode)?;
    Ok(tokens_on_page(read.words, 0, 0, 1.0)
        .into_iter()
        .map(|mut t| {
            t.bbox.x = place.x + t.bbox.x.saturating_sub(MARGIN);
            t.bbox.y = place.y + t.bbox.y.saturating_sub(MARGIN);
            t
        })
        .collect())
}

/// The corrected value written just above a strike (the struck value already whited out in
/// `page`): the rows of ink rising from the strike's top, up to a gap of paper wider than an erased
/// rule or a height, whichever comes first — the row above may touch it. The value is mostly written
/// smaller than the print's `ch` (measured on kanji), so it is cut at 4/5 of it; but a value written
/// full size is cut off there (「260,000」 read as nothing), so it is cut at 6/5 too. Returns where
/// the value is (the taller cut only if a gap ended it, so the row above is never whited out) and
/// each engine's reading of either cut that carries an amount, as a line in its place.
fn value_above(
    look: &mut ReceiptLook<'_>,
    page: &GrayImage,
    strike: &BBox,
    ch: u32,
) -> Result<Option<(BBox, Vec<TextLine>)>, OcrError> {
    let (w, _) = page.dimensions();
    let x0 = strike.x.saturating_sub(ch);
    let x1 = (strike.right() + ch).min(w);
    let inked = |y: u32| {
        (x0..x1)
            .filter(|&x| page.get_pixel(x, y).0[0] < INK)
            .count()
            >= 2
    };
    let lowest = strike.y.saturating_sub(ch / 2);
    let Some(bottom) = (lowest..strike.y).rev().find(|&y| inked(y)) else {
        return Ok(None);
    };
    // Where the value starts when it is at most `height` tall, and whether a gap ended it.
    let cut = |height: u32| {
        let highest = bottom.saturating_sub(height);
        let mut gap = 0;
        for y in (highest..bottom).rev() {
            if inked(y) {
                gap = 0;
            } else {
                gap += 1;
                if gap > ch / 2 {
                    return (y + gap, true);
                }
            }
        }
        (highest, false)
    };
    let place = |top: u32| BBox {
        x: x0,
        y: top,
        w: x1 - x0,
        h: bottom + 1 - top,
    };
    let (short, _) = cut(ch * 4 / 5);
    if bottom + 1 - short < ch / 3 {
        return Ok(None);
    }
    let (tall, by_gap) = cut(ch * 6 / 5);
    let mut found: Vec<TextLine> = Vec::new();
    let mut cuts = vec![place(short)];
    if tall < short {
        cuts.push(place(tall));
    }
    for cut in &cuts {
        // As it is, and with a rule through it erased (which also cuts a value the rule runs
        // along the foot of: 「199,000」 then reads as 「199.990」).
        let raw = imageops::crop_imm(page, cut.x, cut.y, cut.w, cut.h).to_image();
        let unruled = without_rule_rows(&raw);
        let whole = BBox { x: 0, y: 0, ..*cut };
        for image in [&raw, &unruled] {
            for engine in [&mut *look.text, &mut *look.digits] {
                let tokens = read_cut(engine, image, &whole, PageSegMode::SingleLine, true)?;
                let tokens = tokens
                    .into_iter()
                    .map(|mut t| {
                        t.bbox.x += cut.x;
                        t.bbox.y += cut.y;
                        t
                    })
                    .collect();
                // A 訂正印 over the value's last digits reads as a letter (「260,00Q」): read as
                // 0 too, as the table look keeps a value only if the breakdown then sums.
                let Some(line) = line_of(tokens) else {
                    continue;
                };
                let zeroed = zero_lookalikes(&line);
                for line in std::iter::once(line).chain(zeroed) {
                    if crate::extract::read::amount_on(&line).is_some()
                        && !found.iter().any(|f| f.text() == line.text())
                    {
                        found.push(line);
                    }
                }
            }
        }
    }
    let whited = if by_gap { place(tall) } else { place(short) };
    Ok(Some((whited, found)))
}

/// A cut-out with the rows of a faint rule running through it turned to paper, but
/// for the strokes that cross it (ink just above and below): a table's inner rule often runs
/// through the top of the corrected value written above a strike, and a line through the digits
/// reads as nothing. A rule's row is gray across nine tenths of the cut; print's rows are not.
fn without_rule_rows(cut: &GrayImage) -> GrayImage {
    let mut cut = cut.clone();
    let (w, h) = cut.dimensions();
    let ruled: Vec<bool> = (0..h)
        .map(|y| {
            (0..w).filter(|&x| cut.get_pixel(x, y).0[0] < PAPER).count() * 10 >= w as usize * 9
        })
        .collect();
    let mut y = 0;
    while y < h {
        if !ruled[y as usize] {
            y += 1;
            continue;
        }
        let top = y;
        while y < h && ruled[y as usize] {
            y += 1;
        }
        // Rows `top..y` are the rule; a stroke crosses it where there is ink on both sides.
        let inked = |x: u32, yy: Option<u32>| {
            yy.filter(|&yy| yy < h)
                .is_some_and(|yy| cut.get_pixel(x, yy).0[0] < INK)
        };
        let crossing: Vec<bool> = (0..w)
            .map(|x| inked(x, top.checked_sub(1)) && inked(x, Some(y)))
            .collect();
        for x in (0..w).filter(|&x| !crossing[x as usize]) {
            for yy in top..y {
                cut.put_pixel(x, yy, image::Luma([255]));
            }
        }
    }
    cut
}

/// The line with the letters a stamped or smudged 0 reads as (O, o, Q, D) read as 0 in its words
/// that hold digits; `None` when there are none.
fn zero_lookalikes(line: &TextLine) -> Option<TextLine> {
    let mut changed = false;
    let mut out = line.clone();
    for t in &mut out.tokens {
        if t.text.chars().any(|c| c.is_ascii_digit()) {
            let zeroed: String = t
                .text
                .chars()
                .map(|c| {
                    if matches!(c, 'O' | 'o' | 'Q' | 'D') {
                        '0'
                    } else {
                        c
                    }
                })
                .collect();
            changed |= zeroed != t.text;
            t.text = zeroed;
        }
    }
    changed.then_some(out)
}

/// Whether the centre of `b` lies in `area`.
fn centred_in(b: &BBox, area: &BBox) -> bool {
    let (cx, cy) = (b.x + b.w / 2, b.y + b.h / 2);
    cx >= area.x && cx < area.right() && cy >= area.y && cy < area.bottom()
}

/// The last look at a receipt whose breakdown still does not sum: the whole page read again as
/// sparse text (`--psm 11`), which finds words the layout analysis drops — a handwritten amount in a
/// box, a breakdown row next to a stamp. Its lines of money take the place of the first reading's
/// (the rest of the page stays as first read), the money look runs on them, and the result is kept
/// only if the breakdown then sums to the total.
fn sparse_look(look: &mut ReceiptLook<'_>, page: &mut PageInput) -> Result<bool, OcrError> {
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

/// A receipt page whose breakdown was not read or does not sum to its total.
fn unsummed_receipt(page: &PageInput, extractor: &Extractor, hints: &Hints) -> bool {
    let docs = extractor.extract_with("", std::slice::from_ref(page), hints);
    docs.iter().any(|d| d.kind == DocKind::Receipt) && !docs.iter().any(breakdown_sums)
}

/// Every choice of one option per line (0 = the first reading, k = alternative k) except all-first,
/// fewest changed lines first.
fn combinations(options: &[usize]) -> Vec<Vec<usize>> {
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

fn line_of(tokens: Vec<Token>) -> Option<TextLine> {
    let first = tokens.first()?.bbox;
    let bbox = tokens.iter().skip(1).fold(first, |a, t| a.union(&t.bbox));
    Some(TextLine { tokens, bbox })
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

/// A receipt whose breakdown was read and sums to its total (the extractor's cross-check, before
/// the witness has read the total: whether it agrees is the extractor's question, not the looks').
fn breakdown_sums(doc: &Document) -> bool {
    doc.kind == DocKind::Receipt
        && !doc.items.is_empty()
        && doc.fields.get(rf::AMOUNT_TOTAL).is_some_and(|f| {
            // A total read, not the breakdown's own sum standing in for one.
            f.certainty != Certainty::Doubtful(Doubt::Inferred)
                && f.value
                    .as_yen()
                    .is_some_and(|total| crate::document::breakdown_sums_to(&doc.items, total))
        })
}

/// A line that may state an amount (see [`money_part`]).
fn carries_money(line: &TextLine) -> bool {
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

/// The line with each digit of its amount whose glyph is a zero's ([`ink::Glyph::zero`]) read
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
    let glyphs: Vec<ink::Glyph> = ink::glyphs(
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
        text: format!("{}円", grouped(value)),
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

/// `213000` → `213,000`.
fn grouped(v: i64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The date on a line that parsed only with a repair of its era (信和 for 令和).
fn repaired_date(line: &TextLine) -> Option<chrono::NaiveDate> {
    match parse_date(&line.text()) {
        Some((d, r)) if r.reading == Reading::Repaired => Some(d),
        _ => None,
    }
}

/// The line with the words from `from` on (the date part, `part`) replaced by the date `d` written
/// plainly (`2024年11月22日`).
fn dated(line: &TextLine, from: usize, part: &TextLine, d: chrono::NaiveDate) -> TextLine {
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
fn date_start(line: &TextLine) -> usize {
    line.tokens
        .iter()
        .position(|t| {
            t.text
                .chars()
                .any(|c| c.is_ascii_digit() || "令信今合平昭".contains(c))
        })
        .unwrap_or(0)
}

/// Labels of the dates a certificate states and the application gives too.
const DATE_LABELS: &[&str] = &[
    "生年月日",
    "開始",
    "開講",
    "修了日",
    "修了年月日",
    "入学日",
    "入校日",
];

/// A line labelled with one of the application's dates whose date, as read, is none of them.
fn dated_but_not_as_known(line: &TextLine, dates: &[chrono::NaiveDate]) -> bool {
    if dates.is_empty() {
        return false;
    }
    let text = compact(&line.text());
    DATE_LABELS.iter().any(|l| text.contains(l))
        && !dates_on(line).iter().any(|d| dates.contains(d))
}

/// Whether `line` is worth a second look for the known text `k` (already a look-alike key): it does
/// not carry `k`, but comes within a third of its characters of it, or carries a name label (or ends
/// in what 様 is misread as).
fn nearly(line: &TextLine, k: &str, kind: Known) -> bool {
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
fn agreed_name(first: &TextLine, readings: &[TextLine]) -> Option<TextLine> {
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
fn name_words(tokens: &[Token], from: usize) -> Option<(usize, usize)> {
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

/// Reads the line's box (with a margin) alone at `scale`; words come back in page coordinates.
fn read_line_at(
    engine: &mut Engine,
    page: &GrayImage,
    line: &TextLine,
    scale: f32,
) -> Result<Vec<Token>, OcrError> {
    read_line_prepared(engine, page, line, scale, |_| {})
}

/// As [`read_line_at`] at full size, with gray stamp frames whited out of the crop first
/// ([`ink::without_seal_frames`]).
fn read_line_without_frames(
    engine: &mut Engine,
    page: &GrayImage,
    line: &TextLine,
    char_h: u32,
) -> Result<Vec<Token>, OcrError> {
    read_line_prepared(engine, page, line, 1.0, |img| {
        ink::without_seal_frames(img, char_h);
    })
}

/// `line` with its box widened so that its crop ([`read_line_prepared`]) has a character and a
/// half of paper either side and two thirds of one above and below.
fn widened(line: &TextLine) -> TextLine {
    let h = line.char_height();
    let (dx, dy) = (h * 5 / 6, h / 3);
    let mut wide = line.clone();
    wide.bbox = BBox {
        x: line.bbox.x.saturating_sub(dx),
        y: line.bbox.y.saturating_sub(dy),
        w: line.bbox.w + dx * 2,
        h: line.bbox.h + dy * 2,
    };
    wide
}

/// Reads the line's box (with a margin) alone at `scale`, the crop changed by `prepare` first.
fn read_line_prepared(
    engine: &mut Engine,
    page: &GrayImage,
    line: &TextLine,
    scale: f32,
    prepare: impl FnOnce(&mut GrayImage),
) -> Result<Vec<Token>, OcrError> {
    let h = line.char_height();
    let crop = BBox {
        x: line.bbox.x.saturating_sub(h * 2 / 3),
        y: line.bbox.y.saturating_sub(h / 3),
        w: line.bbox.w + h * 4 / 3,
        h: line.bbox.h + h * 2 / 3,
    };
    let x = crop.x.min(page.width().saturating_sub(1));
    let y = crop.y.min(page.height().saturating_sub(1));
    let w = crop.w.min(page.width() - x);
    let h = crop.h.min(page.height() - y);
    let mut img = imageops::crop_imm(page, x, y, w, h).to_image();
    prepare(&mut img);
    if (scale - 1.0).abs() > f32::EPSILON {
        let sw = ((w as f32 * scale).round() as u32).max(3);
        let sh = ((h as f32 * scale).round() as u32).max(3);
        img = imageops::resize(&img, sw, sh, FilterType::Triangle);
    }
    let read = engine.recognize_line(&img)?;
    Ok(tokens_on_page(read.words, x, y, scale))
}

/// Words read from a crop at (`x`, `y`) of the page, scaled by `scale`, as tokens in page
/// coordinates with confidences 0–1.
pub fn tokens_on_page(words: Vec<Word>, x: u32, y: u32, scale: f32) -> Vec<Token> {
    let back = |v: u32| (v as f32 / scale).round() as u32;
    words
        .into_iter()
        .map(|word| Token {
            text: word.text,
            confidence: (word.confidence / 100.0).clamp(0.0, 1.0),
            agreed: false,
            bbox: BBox {
                x: x + back(word.bbox.x),
                y: y + back(word.bbox.y),
                w: back(word.bbox.w),
                h: back(word.bbox.h),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::{testpage, Models};
    use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_circle_mut};
    use imageproc::rect::Rect;

    /// A blank A4 page at 200 dpi.
    fn a4() -> GrayImage {
        GrayImage::from_pixel(1654, 2339, image::Luma([255]))
    }

    fn hints(name: &str) -> Hints {
        Hints {
            names: vec![name.to_string()],
            ..Hints::default()
        }
    }

    /// A line as the page reading gave it: `tokens` (text, left edge) over the drawn line's band.
    fn read_as(tokens: &[(&str, u32)], spans: &[testpage::Span]) -> TextLine {
        let y = spans.iter().map(|s| s.y).min().unwrap_or(0);
        let h = spans.iter().map(|s| s.h).max().unwrap_or(1);
        let right = spans.iter().map(|s| s.x + s.w).max().unwrap_or(1);
        let tokens: Vec<Token> = tokens
            .iter()
            .enumerate()
            .map(|(i, (text, x))| {
                let end = tokens.get(i + 1).map_or(right, |t| t.1.saturating_sub(4));
                Token {
                    text: text.to_string(),
                    confidence: 0.8,
                    agreed: false,
                    bbox: BBox {
                        x: *x,
                        y,
                        w: end.saturating_sub(*x).max(1),
                        h,
                    },
                }
            })
            .collect();
        line_of(tokens).expect("a token at least")
    }

    fn line(text: &str) -> TextLine {
        TextLine {
            tokens: vec![Token {
                text: text.into(),
                confidence: 0.8,
                agreed: false,
                bbox: BBox {
                    x: 10,
                    y: 10,
                    w: 400,
                    h: 40,
                },
            }],
            bbox: BBox {
                x: 10,
                y: 10,
                w: 400,
                h: 40,
            },
        }
    }

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
    fn print_no_word_covers_is_found_in_bands_a_line_high() {
        let ink = image::Luma([20]);
        let mut img = a4();
        // Four glyph-like blots, 32 px high, along one line (a name nobody read) …
        for x in [600, 640, 700, 740] {
            draw_filled_rect_mut(&mut img, Rect::at(x, 600).of_size(30, 32), ink);
        }
        // … a line of print that was read, a long rule, and a frame's side.
        for x in [200, 240, 280] {
            draw_filled_rect_mut(&mut img, Rect::at(x, 400).of_size(30, 32), ink);
        }
        draw_filled_rect_mut(&mut img, Rect::at(100, 800).of_size(1200, 3), ink);
        draw_filled_rect_mut(&mut img, Rect::at(60, 100).of_size(4, 2000), ink);
        let read = line_of(vec![Token {
            text: "講座名".into(),
            confidence: 0.9,
            agreed: false,
            bbox: BBox {
                x: 200,
                y: 400,
                w: 110,
                h: 32,
            },
        }])
        .expect("line");
        let bands = unread_ink(&img, &[read], 32);
        assert_eq!(bands.len(), 1, "{bands:?}");
        let b = bands[0];
        assert!(
            b.x <= 600 && b.right() >= 770 && b.y <= 600 && b.bottom() >= 632,
            "{b:?}"
        );
        assert!(b.h <= 48, "{b:?}");
    }

    /// An A4 page with each text printed at its place (36 px), and the lines a page reading gives
    /// that dropped the `dropped` texts.
    fn printed_but(printed: &[(&str, f32, f32)], dropped: &[&str]) -> (GrayImage, Vec<TextLine>) {
        let (font, mut img) = (testpage::font(), a4());
        let mut lines = Vec::new();
        for &(text, x, y) in printed {
            let spans = testpage::draw(&mut img, &font, text, x, y, 36.0);
            if !dropped.contains(&text) {
                let words: Vec<(&str, u32)> =
                    spans.iter().map(|s| (s.text.as_str(), s.x)).collect();
                lines.push(read_as(&words, &spans));
            }
        }
        (img, lines)
    }

    #[test]
    fn a_name_the_page_reading_dropped_is_read_where_ink_is_left_unread() {
        let models = Models::locate(None).expect("models");
        let mut engine = Engine::new(&models, "jpn").expect("engine");
        let printed = [
            ("教育訓練修了証明書", 200.0, 300.0),
            ("氏名", 200.0, 500.0),
            ("渡辺 綾香", 600.0, 500.0),
            ("生年月日 1990年1月1日", 200.0, 600.0),
            ("講座名 医療事務講座", 200.0, 700.0),
            ("受講開始日 2025年4月1日", 200.0, 800.0),
            ("修了日 2025年9月30日", 200.0, 900.0),
            ("学校法人 青葉学園", 900.0, 1100.0),
        ];
        // The page reading gave every line but the name beside 「氏名」.
        let (img, mut lines) = printed_but(&printed, &["渡辺 綾香"]);
        let extractor = Extractor::default();
        let trainee = |lines: &[TextLine]| {
            let page = PageInput {
                number: 1,
                lines: lines.to_vec(),
                marks: Default::default(),
                text_layer: false,
                witnesses: Vec::new(),
            };
            let docs = extractor.extract_with("", &[page], &Hints::default());
            assert_eq!(docs[0].kind, DocKind::CompletionCertificate);
            docs[0].text(cf::TRAINEE_NAME).map(str::to_string)
        };
        assert_eq!(trainee(&lines), None);
        assert!(
            lost_look(&mut engine, &img, &mut lines, &extractor, &Hints::default()).expect("reads")
        );
        assert_eq!(trainee(&lines).as_deref(), Some("渡辺 綾香"));
        // A page with nothing missing is left alone.
        let before = lines.clone();
        assert!(
            !lost_look(&mut engine, &img, &mut lines, &extractor, &Hints::default())
                .expect("reads")
        );
        assert_eq!(lines, before);
    }

    #[test]
    fn a_dropped_date_line_that_adds_no_field_is_kept_alone_on_an_undated_receipt() {
        let models = Models::locate(None).expect("models");
        let mut engine = Engine::new(&models, "jpn").expect("engine");
        let printed = [
            ("領収証", 700.0, 150.0),
            ("令和7年2月30日", 1200.0, 260.0),
            ("山田 花子 様", 200.0, 400.0),
            ("金 50,000円 也", 300.0, 550.0),
            ("但し 医療事務講座 受講料として", 300.0, 650.0),
            ("学校法人 さくら学園", 900.0, 1100.0),
            ("校長", 1300.0, 1250.0),
        ];
        // The page reading dropped the date line (no 30 February: it adds no field when read)
        // and the word under the issuer's name.
        let (img, mut lines) = printed_but(&printed, &["令和7年2月30日", "校長"]);
        let extractor = Extractor::default();
        let says = |lines: &[TextLine], what: &str| {
            lines.iter().any(|l| compact(&l.text()).contains(what))
        };
        assert!(
            lost_look(&mut engine, &img, &mut lines, &extractor, &Hints::default()).expect("reads")
        );
        // The date line is kept for the date look; the other dropped word is not.
        assert!(says(&lines, "2月30日"), "{lines:?}");
        assert!(!says(&lines, "校長"), "{lines:?}");
        let page = PageInput {
            number: 1,
            lines: lines.clone(),
            marks: Default::default(),
            text_layer: false,
            witnesses: Vec::new(),
        };
        let docs = extractor.extract_with("", &[page], &Hints::default());
        assert_eq!(docs[0].kind, DocKind::Receipt);
        assert_eq!(docs[0].date(rf::ISSUED_ON), None);
        // On a page that has its date, unread print that adds no field is left alone.
        let mut dated = lines.clone();
        let date_line = dated
            .iter_mut()
            .find(|l| compact(&l.text()).contains("2月30日"))
            .expect("kept");
        date_line.tokens = vec![Token {
            text: "令和7年2月27日".into(),
            ..date_line.tokens[0].clone()
        }];
        let before = dated.clone();
        assert!(
            !lost_look(&mut engine, &img, &mut dated, &extractor, &Hints::default())
                .expect("reads")
        );
        assert_eq!(dated, before);
    }

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
    fn lines_that_may_hold_a_date_however_its_slashes_were_read() {
        for dated in [
            "2025年4月10日",
            "令和7年5月10B",
            "2025/04/10",
            "2025/01703",
            "2025704/10",
        ] {
            assert!(might_be_dated(&line(dated)), "{dated}");
        }
        for other in [
            "受講料 57,200円",
            "TEL 036-000-3863",
            "No. 08469",
            "20257041010",
        ] {
            assert!(!might_be_dated(&line(other)), "{other}");
        }
    }

    fn tok(text: &str, x: u32) -> Token {
        Token {
            text: text.into(),
            confidence: 0.9,
            agreed: false,
            bbox: BBox {
                x,
                y: 100,
                w: 60,
                h: 40,
            },
        }
    }

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
        assert_eq!(grouped(1_130_000), "1,130,000");
        assert_eq!(grouped(900), "900");
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
    fn a_labelled_date_other_than_the_applications_gets_a_second_look() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let known = [d(2026, 11, 23), d(1990, 4, 1)];
        assert!(dated_but_not_as_known(
            &line("修了日 令和8年1月23日"),
            &known
        ));
        assert!(!dated_but_not_as_known(
            &line("修了日 令和8年11月23日"),
            &known
        ));
        assert!(
            !dated_but_not_as_known(&line("発行日 令和8年1月23日"), &known),
            "not one of the application's"
        );
        assert!(!dated_but_not_as_known(&line("修了日 令和8年1月23日"), &[]));
    }

    #[test]
    fn a_repaired_date_confirmed_by_a_second_reading_is_written_back_plainly() {
        let l = line_of(vec![
            tok("領収証", 100),
            tok("信和6年", 700),
            tok("11月22日", 800),
        ])
        .expect("line");
        let first = repaired_date(&l).expect("信和 is read as 令和, repaired");
        assert_eq!(
            first,
            chrono::NaiveDate::from_ymd_opt(2024, 11, 22).expect("date")
        );
        assert_eq!(date_start(&l), 1);
        let part = line_of(l.tokens[1..].to_vec()).expect("part");
        let again = dated(&l, 1, &part, first);
        assert_eq!(again.text(), "領収証 2024年11月22日");
        assert_eq!(repaired_date(&again), None, "now read cleanly");
        assert_eq!(repaired_date(&line("令和6年11月22日")), None);
    }

    /// A receipt page whose first line is `first` (read over `img`) and whose other lines, below
    /// the image, are read as given.
    /// The Japanese and English engines a receipt look reads with.
    fn engines() -> (Engine, Engine) {
        let models = Models::locate(None).expect("models");
        let text = Engine::new(&models, "jpn").expect("jpn");
        let digits = Engine::new(&models, "eng").expect("eng");
        (text, digits)
    }

    /// A receipt look on no page yet (its `image` is set by each test).
    fn look_with<'a>(
        text: &'a mut Engine,
        digits: &'a mut Engine,
        extractor: &'a Extractor,
        hints: &'a Hints,
    ) -> ReceiptLook<'a> {
        static BLANK: std::sync::OnceLock<GrayImage> = std::sync::OnceLock::new();
        ReceiptLook {
            text,
            digits,
            image: BLANK.get_or_init(|| GrayImage::new(1, 1)),
            gray_stamps: true,
            extractor,
            hints,
        }
    }

    fn receipt_page(first: TextLine, rest: &[&str]) -> PageInput {
        let mut lines = vec![first];
        for (i, text) in rest.iter().enumerate() {
            let mut l = line(text);
            l.bbox.y = 1000 + 60 * i as u32;
            l.tokens[0].bbox.y = l.bbox.y;
            l.tokens[0].confidence = 0.95;
            lines.push(l);
        }
        PageInput {
            number: 1,
            lines,
            marks: Default::default(),
            text_layer: false,
            witnesses: Vec::new(),
        }
    }

    #[test]
    fn an_issue_date_two_readings_agree_on_is_written_back_and_a_line_without_one_is_left_alone() {
        let (mut text, mut digits) = engines();
        let extractor = Extractor::default();
        let hints = Hints::default();
        let rest = [
            "領収証",
            "山田 花子 様",
            "金 50,000円 也",
            "学校法人 さくら学園",
        ];

        // The page said 2025/03/08; suppose the page reading gave 03/68 (no such day).
        let (img, spans) = testpage::render_line("2025/03/08", 44.0);
        let first = read_as(&[("2025/03/68", spans[0].x)], &spans);
        let mut page = receipt_page(first, &rest);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        assert!(date_look(&mut look, &mut page).expect("reads"));
        let docs = extractor.extract_with("", std::slice::from_ref(&page), &hints);
        assert_eq!(
            docs[0].date(rf::ISSUED_ON),
            chrono::NaiveDate::from_ymd_opt(2025, 3, 8)
        );

        // A line whose image holds no date at all: nothing is written back.
        let (img, spans) = testpage::render_line("上記正に領収いたしました", 44.0);
        let first = read_as(&[("上記正に領収年月", spans[0].x)], &spans);
        let mut page = receipt_page(first.clone(), &rest);
        look.image = &img;
        assert!(!date_look(&mut look, &mut page).expect("reads"));
        assert_eq!(page.lines[0], first);
    }

    #[test]
    fn an_era_year_read_without_its_era_is_read_again_with_the_words_before_it() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let rest = [
            "領収証",
            "山田 花子 様",
            "金 50,000円 也",
            "学校法人 さくら学園",
        ];
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
        let mut page = receipt_page(date.clone(), &rest);
        page.lines.push(title);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        assert!(date_look(&mut look, &mut page).expect("reads"));
        let docs = extractor.extract_with("", std::slice::from_ref(&page), &hints);
        assert_eq!(
            docs[0].date(rf::ISSUED_ON),
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

    /// A page whose reading has these lines above its table (`h` tall), and none of the table's.
    fn read_above_the_table(texts: &[&str], h: u32) -> PageInput {
        PageInput {
            number: 1,
            lines: texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let mut l = line(t);
                    l.bbox.y = 200 + 120 * i as u32;
                    l.bbox.h = h;
                    l.tokens[0].bbox = l.bbox;
                    l.tokens[0].confidence = 0.95;
                    l
                })
                .collect(),
            marks: Default::default(),
            text_layer: false,
            witnesses: Vec::new(),
        }
    }

    /// The table look on `page` (which must change it), and what is then extracted.
    fn table_read(look: &mut ReceiptLook<'_>, page: &mut PageInput) -> Vec<Document> {
        assert!(table_look(look, page).expect("reads"));
        look.extractor
            .extract_with("", std::slice::from_ref(page), look.hints)
    }

    #[test]
    fn a_breakdown_in_a_ruled_box_is_read_alone_and_a_box_without_one_changes_nothing() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let (font, ink, mut img) = (testpage::font(), image::Luma([20]), a4());
        // As on seed 11 sub018: 内訳 and two rows in a box, no column rule.
        for (x, y, w, h) in [(150, 1400, 800, 3), (150, 1640, 800, 3)] {
            draw_filled_rect_mut(&mut img, Rect::at(x, y).of_size(w, h), ink);
        }
        for (x, y, w, h) in [(150, 1400, 3, 243), (947, 1400, 3, 243)] {
            draw_filled_rect_mut(&mut img, Rect::at(x, y).of_size(w, h), ink);
        }
        for (i, (label, amount)) in [
            ("内訳", ""),
            ("入学金", "200,000円"),
            ("授業料", "630,000円"),
        ]
        .iter()
        .enumerate()
        {
            let y = 1420.0 + 70.0 * i as f32;
            testpage::draw(&mut img, &font, label, 180.0, y, 36.0);
            testpage::draw(&mut img, &font, amount, 650.0, y, 36.0);
        }
        let mut page = read_above_the_table(&["領収書", "山田 花子 様", "金 830,000円 也"], 36);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        assert!(box_look(&mut look, &mut page).expect("reads"));
        let docs = extractor.extract_with("", std::slice::from_ref(&page), &hints);
        let amounts: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
        assert_eq!(amounts, [200_000, 630_000], "{:?}", docs[0].items);
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(830_000));

        // A total that the box's rows do not make: the page is left as it was.
        let mut unsummed = read_above_the_table(&["領収書", "山田 花子 様", "金 930,000円 也"], 36);
        let before = unsummed.lines.clone();
        assert!(!box_look(&mut look, &mut unsummed).expect("reads"));
        assert_eq!(unsummed.lines, before);
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
        page.marks.seals.push(marks::Seal {
            bbox: BBox {
                x: 760,
                y: 1552,
                w: 200,
                h: 208,
            },
            ink: marks::Ink::Gray,
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
    fn a_ruled_breakdown_with_a_corrected_cell_is_read_again_row_by_row() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let (font, ink, mut img) = (testpage::font(), image::Luma([20]), a4());
        // 内訳 | 金額, 入学料 30,000, 受講料 90,000 struck with 80,000 written above it across the
        // row's rule, 合計 110,000: four rows of 80 px, a column rule at x = 800.
        for y in [800, 880, 960, 1040, 1120] {
            draw_filled_rect_mut(&mut img, Rect::at(150, y).of_size(1100, 2), ink);
        }
        for x in [150, 800, 1247] {
            draw_filled_rect_mut(&mut img, Rect::at(x, 800).of_size(3, 323), ink);
        }
        let rows = [
            ("内訳", "金額（円）"),
            ("入学金", "30,000"),
            ("授業料", "90,000"),
            ("合計", "110,000"),
        ];
        for (i, (label, amount)) in rows.iter().enumerate() {
            let y = 820.0 + 80.0 * i as f32;
            testpage::draw(&mut img, &font, label, 180.0, y, 36.0);
            testpage::draw(&mut img, &font, amount, 1000.0, y, 36.0);
        }
        draw_filled_rect_mut(&mut img, Rect::at(995, 996).of_size(125, 3), ink);
        testpage::draw(&mut img, &font, "80,000", 1010.0, 940.0, 32.0);
        // The page reading read the lines above the table and none of its rows.
        let mut page = read_above_the_table(&["領収書", "山田 花子 様", "金 110,000円 也"], 40);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        let docs = table_read(&mut look, &mut page);
        let amounts: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
        assert_eq!(amounts, [30_000, 80_000], "{:?}", docs[0].items);
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(110_000));
        assert_eq!(
            page.marks.strikes.len(),
            1,
            "the strike is the page's to seal"
        );

        // A page whose rules are a frame round it, no breakdown: nothing is read again.
        let mut framed = a4();
        for y in [50, 2280] {
            draw_filled_rect_mut(&mut framed, Rect::at(50, y).of_size(1550, 3), ink);
        }
        for x in [50, 1597] {
            draw_filled_rect_mut(&mut framed, Rect::at(x, 50).of_size(3, 2233), ink);
        }
        look.image = &framed;
        page.lines.retain(|l| l.bbox.y < 800);
        let unread = page.lines.clone();
        assert!(!table_look(&mut look, &mut page).expect("reads"));
        assert_eq!(page.lines, unread);
    }

    #[test]
    fn a_full_size_value_above_a_strike_under_a_faint_rule_is_put_in_its_row_with_its_stamp() {
        let (mut text, mut digits) = engines();
        let (extractor, hints) = (Extractor::default(), Hints::default());
        let (font, ink, mut img) = (testpage::font(), image::Luma([20]), a4());
        // As on seed 21 sub053: 入学料 5,000; 受講料 265,000 struck, 260,000 written full size
        // above it with the light inner rule through its top, and a gray 訂正印 on the strike.
        for y in [800, 880, 1040, 1120] {
            draw_filled_rect_mut(&mut img, Rect::at(150, y).of_size(1100, 2), ink);
        }
        draw_filled_rect_mut(
            &mut img,
            Rect::at(150, 960).of_size(1100, 1),
            image::Luma([140]),
        );
        for x in [150, 800, 1247] {
            draw_filled_rect_mut(&mut img, Rect::at(x, 800).of_size(3, 323), ink);
        }
        for (i, (label, amount)) in [("内訳", "金額（円）"), ("入学料", "5,000")]
            .iter()
            .enumerate()
        {
            let y = 820.0 + 80.0 * i as f32;
            testpage::draw(&mut img, &font, label, 180.0, y, 36.0);
            testpage::draw(&mut img, &font, amount, 1000.0, y, 36.0);
        }
        testpage::draw(&mut img, &font, "受講料", 180.0, 985.0, 36.0);
        testpage::draw(&mut img, &font, "合計", 180.0, 1060.0, 36.0);
        testpage::draw(&mut img, &font, "265,000", 1000.0, 1060.0, 36.0);
        testpage::draw(&mut img, &font, "260,000", 1000.0, 948.0, 36.0);
        testpage::draw(&mut img, &font, "265,000", 1000.0, 1000.0, 36.0);
        draw_filled_rect_mut(&mut img, Rect::at(995, 1018).of_size(145, 3), ink);
        // Stamp ink darkens what it is set on, never lightens it.
        let mut stamp = a4();
        for r in 21..25 {
            draw_hollow_circle_mut(&mut stamp, (1110, 1012), r, image::Luma([160]));
        }
        for (p, s) in img.pixels_mut().zip(stamp.pixels()) {
            p.0[0] = p.0[0].min(s.0[0]);
        }
        // Read as tall as the print (the 訂正印 is looked for at the print's size).
        let mut page = read_above_the_table(&["領収書", "山田 花子 様", "金 265,000円 也"], 32);
        let mut look = ReceiptLook {
            image: &img,
            ..look_with(&mut text, &mut digits, &extractor, &hints)
        };
        let docs = table_read(&mut look, &mut page);
        use crate::document::ItemCategory;
        let items: Vec<(ItemCategory, i64)> = docs[0]
            .items
            .iter()
            .map(|i| (i.category, i.amount))
            .collect();
        assert_eq!(
            items,
            [
                (ItemCategory::Admission, 5_000),
                (ItemCategory::Tuition, 260_000)
            ],
            "{:?}",
            docs[0].items
        );
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(265_000));
        let strike = page.marks.strikes[0];
        assert!(
            page.marks
                .seals
                .iter()
                .any(|s| s.ring && s.bbox.overlaps(&strike)),
            "the 訂正印 on the strike is found: {:?}",
            page.marks
        );
    }

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

    #[test]
    fn letters_a_stamp_makes_of_zeros_are_read_as_zeros_in_words_with_digits() {
        let read = line_of(vec![tok("受講料", 10), tok("260,00Q", 300)]).expect("words");
        let zeroed = zero_lookalikes(&read).expect("a letter to read as 0");
        assert_eq!(compact(&zeroed.text()), "受講料260,000");
        assert!(zero_lookalikes(&line_of(vec![tok("Dr", 10)]).expect("word")).is_none());
    }

    #[test]
    fn a_misread_name_is_read_again_and_a_different_name_is_kept() {
        let models = Models::locate(None).expect("models");
        let mut engine = Engine::new(&models, "jpn").expect("engine");
        let script = Mutex::new(Engine::new(&models, "Japanese").expect("script engine"));

        // The page said 中村 隆; suppose the page reading gave 際 for 隆.
        let (img, spans) = testpage::render_line("氏名 中村 隆", 44.0);
        let mut lines = vec![read_as(
            &[
                ("氏名", spans[0].x),
                ("中村", spans[1].x),
                ("際", spans[2].x),
            ],
            &spans,
        )];
        let n =
            second_look(&mut engine, &script, &img, &mut lines, &hints("中村 隆")).expect("reads");
        assert_eq!(n, 1);
        assert!(
            compact(&lines[0].text()).contains("中村隆"),
            "{}",
            lines[0].text()
        );
        let name = lines[0]
            .tokens
            .iter()
            .find(|t| t.text.contains('隆'))
            .expect("a token carries 隆");
        assert!(
            name.bbox.x + 8 >= spans[2].x && name.bbox.x <= spans[2].x + spans[2].w,
            "the word is placed where it was drawn: {name:?} vs {:?}",
            spans[2]
        );

        // A receipt made out to someone else: the line is looked at again (it has a name label)
        // but no reading says the applicant's name, so the first reading stands; every reading
        // agrees with it, so it is now sure.
        let (img, spans) = testpage::render_line("氏名 山本 健", 44.0);
        let first = read_as(
            &[
                ("氏名", spans[0].x),
                ("山本", spans[1].x),
                ("健", spans[2].x),
            ],
            &spans,
        );
        let mut look_again = |lines: &mut Vec<TextLine>| {
            second_look(&mut engine, &script, &img, lines, &hints("山本 綾香")).expect("reads")
        };
        let mut lines = vec![first.clone()];
        let n = look_again(&mut lines);
        assert_eq!(n, 0);
        assert_eq!(lines[0].text(), first.text());
        assert!(lines[0].tokens.iter().all(|t| t.agreed));

        // The same line first read with a wrong glyph: the second readings (the line and the name
        // alone, at three scales each) agree on another, so theirs stands, as sure.
        let misread = read_as(
            &[
                ("氏名", spans[0].x),
                ("山本", spans[1].x),
                ("建", spans[2].x),
            ],
            &spans,
        );
        let mut lines = vec![misread.clone()];
        look_again(&mut lines);
        assert_eq!(compact(&lines[0].text()), "氏名山本健");
        assert!(lines[0].tokens.iter().all(|t| t.agreed));
    }

    #[test]
    fn a_handwritten_name_jpn_misreads_is_confirmed_by_the_script_model_or_with_wider_margins() {
        let models = Models::locate(None).expect("models");
        let mut jpn = Engine::new(&models, "jpn").expect("engine");
        let script = Mutex::new(Engine::new(&models, "Japanese").expect("script engine"));
        let name = "遠藤 剛";
        let (img, spans) = testpage::render_line_in(
            "/usr/share/fonts/truetype/kiloji/kiloji.ttf",
            &format!("氏名 {name}"),
            44.0,
        );
        let drawn = read_as(&[("", spans[0].x)], &spans);
        // The line as `jpn` reads it (「氏名 速藤 賠」 when this was written).
        let first =
            line_of(read_line_at(&mut jpn, &img, &drawn, 1.0).expect("reads")).expect("read");
        let (start, end) = name_words(&first.tokens, 0).expect("the name's words");
        let name_alone = line_of(first.tokens[start..end].to_vec()).expect("words");
        let says_name = |engine: &mut Engine, line: &TextLine, scale: f32| {
            line_of(read_line_at(engine, &img, line, scale).expect("reads"))
                .is_some_and(|l| compact(&l.text()).contains("遠藤剛"))
        };
        // `jpn` misreads the name alone in the usual crop at every scale; the script model reads
        // it there, and `jpn` itself with more paper around it.
        for line in [&drawn, &name_alone] {
            assert!(!SCALES.iter().any(|&s| says_name(&mut jpn, line, s)));
        }
        {
            let mut script = script.lock().expect("engine");
            assert!(SCALES
                .iter()
                .any(|&s| says_name(&mut script, &name_alone, s)));
        }
        assert!(SCALES
            .iter()
            .any(|&s| says_name(&mut jpn, &widened(&name_alone), s)));

        let mut lines = vec![first.clone()];
        let n = second_look(&mut jpn, &script, &img, &mut lines, &hints(name)).expect("reads");
        assert_eq!(n, 1);
        assert!(
            compact(&lines[0].text()).contains("遠藤剛"),
            "{}",
            lines[0].text()
        );
        // Without the script model (the English one, which reads no kanji, in its place) only
        // `jpn`'s wider crop gives the name, once: one further reading is not enough.
        let english = Mutex::new(Engine::new(&models, "eng").expect("engine"));
        let mut lines = vec![first.clone()];
        let n = second_look(&mut jpn, &english, &img, &mut lines, &hints(name)).expect("reads");
        assert_eq!(n, 0, "{}", lines[0].text());
        assert!(!compact(&lines[0].text()).contains("遠藤剛"));

        // Someone a glyph off (遠藤 岡, 剛 without its right-hand part) is not read into the
        // handwritten 遠藤 剛 by any of the readings.
        let mut lines = vec![first];
        let n = second_look(&mut jpn, &script, &img, &mut lines, &hints("遠藤 岡")).expect("reads");
        assert_eq!(n, 0, "{}", lines[0].text());
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
