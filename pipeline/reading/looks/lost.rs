//! The lost-text look: a receipt or certificate that lacks a field it must carry has the print no
//! word covers read a band at a time ([`lost_look`]); kept only if it adds a field and changes
//! none.
//!
//! Called by [`crate::reading::read_image_page`] after the grid look, before the known-text look.

use std::sync::Mutex;

use image::GrayImage;

use crate::document::{certificate_fields as cf, receipt_fields as rf, BBox, DocKind, Document};
use crate::extract::layout::{lines_from_tokens, TextLine, Token};
use crate::extract::normalize::compact;
use crate::extract::{Extractor, Hints, PageInput};
use crate::ocr::paddle::{to_recognized, LineReader, Script};
use crate::ocr::{Engine, OcrError, PageSegMode};

use super::date::might_be_dated;
use super::documents_of;
use crate::reading::lines::{read_cut, read_line_at, tokens_on_page};

/// Regions of unread text the lost-text look reads, at most.
const MAX_LOST_REGIONS: usize = 6;

/// Regions PP-OCRv6's lost-text look reads, at most: its recognizer reads them in one batch, and a
/// till roll whose layout analysis dropped its head loses more than six (seed 13 sub028: the
/// issuer, address, TEL, registration number and title came before 「お名前 青木 沙織 様」, and the
/// name left unread became a sure-looking absence on a till roll — a wrong 補正依頼).
const MAX_PADDLE_LOST_REGIONS: usize = 16;

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
    let fields_of = |lines: &[TextLine]| receipt_or_certificate(lines, extractor, hints);
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
    Ok(take_if_better(lines, &before, new, ch, &fields_of))
}

/// The lost-text look with PP-OCRv6's recognizer: the same bands of print no word covers, read by
/// the other engine, when Tesseract's own look left a field the page must carry unread (seed 13
/// sub028, a till roll photographed on a dark desk: the issuer, the address and 「お名前 青木 沙織
/// 様」 dropped by the layout analysis, and read by neither `--psm 7` nor as a raw line). Its words
/// are scored no higher than the page's median word, as the first reading would have scored them,
/// so a value it alone gives goes to a person as Tesseract's would. Called after the other looks
/// by [`crate::reading::read_image_page`] when Tesseract read the page.
pub fn paddle_lost_look(
    reader: &Mutex<LineReader>,
    image: &GrayImage,
    page: &mut PageInput,
    extractor: &Extractor,
    hints: &Hints,
) -> Result<bool, OcrError> {
    let fields_of = |lines: &[TextLine]| receipt_or_certificate(lines, extractor, hints);
    let Some(before) = fields_of(&page.lines).filter(lacks_a_field) else {
        return Ok(false);
    };
    let ch = PageInput::char_height(&page.lines);
    let (w, h) = image.dimensions();
    let regions = merge_overlapping(
        unread_ink(image, &page.lines, ch)
            .into_iter()
            .take(MAX_PADDLE_LOST_REGIONS)
            .map(|r| lost_box(r, ch, (w, h)))
            .collect(),
    );
    if regions.is_empty() {
        return Ok(false);
    }
    let read = {
        let mut reader = reader.lock().map_err(|_| OcrError::WorkerLost)?;
        reader.read_boxes(image, &regions, Script::Japanese)?
    };
    let ceiling = median_confidence(&page.lines);
    let mut new: Vec<Token> = tokens_on_page(to_recognized(image, &read).words, 0, 0, 1.0)
        .into_iter()
        .filter(|t| t.text.chars().any(char::is_alphanumeric))
        .collect();
    for t in &mut new {
        t.confidence = t.confidence.min(ceiling);
    }
    let changed = take_if_better(&mut page.lines, &before, new, ch, &fields_of);
    tracing::debug!(
        regions = regions.len(),
        changed,
        "PP-OCRv6 read print the layout analysis dropped"
    );
    Ok(changed)
}

/// The box PP-OCRv6 reads a region of unread ink `r` in: a quarter of a character above and
/// below (a recognizer reads a line cut tight to its ink worse), a whole one left and right — the
/// thin first strokes of a glyph fill no cell of [`unread_ink`]'s map, so the region starts after
/// them (seed 47 sub017: 「石川 麻衣」 read 「川 麻衣」 in a box that cut 石's left half off).
fn lost_box(r: BBox, ch: u32, (w, h): (u32, u32)) -> BBox {
    let pad = ch / 4;
    let (x, y) = (r.x.saturating_sub(ch), r.y.saturating_sub(pad));
    BBox {
        x,
        y,
        w: (r.right() + ch).min(w).saturating_sub(x).max(1),
        h: (r.bottom() + pad).min(h).saturating_sub(y).max(1),
    }
}

/// `boxes` with those that overlap on the same rows (half the lower one's height or more) joined
/// into one: read apart, each reads the print they share, and the words come back twice (seed 67
/// sub047: 「遠藤 美穂 殿」 dropped by the layout analysis, read from two regions padded into each
/// other as 「遠藤遠藤 美穂 殿」, a name not the applicant's — a wrong 補正依頼).
fn merge_overlapping(boxes: Vec<BBox>) -> Vec<BBox> {
    let mut out: Vec<BBox> = Vec::new();
    for b in boxes {
        let mut merged = b;
        loop {
            let same_row = |o: &BBox| {
                let shared = merged
                    .bottom()
                    .min(o.bottom())
                    .saturating_sub(merged.y.max(o.y));
                o.overlaps(&merged) && shared * 2 >= merged.h.min(o.h)
            };
            match out.iter().position(same_row) {
                Some(i) => merged = merged.union(&out.swap_remove(i)),
                None => break,
            }
        }
        out.push(merged);
    }
    out.sort_by_key(|b| (b.y, b.x));
    out
}

/// The median confidence of the words of `lines` (0 without words).
fn median_confidence(lines: &[TextLine]) -> f32 {
    let mut all: Vec<f32> = lines
        .iter()
        .flat_map(|l| l.tokens.iter().map(|t| t.confidence))
        .collect();
    all.sort_by(f32::total_cmp);
    all.get(all.len() / 2).copied().unwrap_or(0.0)
}

/// Adds the words `new` read from dropped print to `lines` where that adds a field to `before`
/// (the page's document as read) and changes none: joined to a short line on their row, or as
/// lines of their own; or, failing that, a dropped date line alone for the date look. Returns
/// whether `lines` changed.
fn take_if_better(
    lines: &mut Vec<TextLine>,
    before: &Document,
    new: Vec<Token>,
    ch: u32,
    fields_of: &dyn Fn(&[TextLine]) -> Option<Document>,
) -> bool {
    if new.is_empty() {
        return false;
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
        return true;
    }
    // A dropped date line read with a digit as kana (「令和り年2月29日」 for 令和7年2月27日 on seed 7
    // sub050) adds no field yet: it is kept alone, changing nothing else, for the receipt's date
    // look to read again in date glyphs (which writes a date back only when two readings agree).
    let undated = before.kind == DocKind::Receipt && !before.fields.contains_key(rf::ISSUED_ON);
    let dated: Vec<TextLine> = new_lines.into_iter().filter(might_be_dated).collect();
    if !undated || dated.is_empty() {
        return false;
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
    unchanged
}

/// The receipt or certificate the extractor reads on `lines`, if any.
fn receipt_or_certificate(
    lines: &[TextLine],
    extractor: &Extractor,
    hints: &Hints,
) -> Option<Document> {
    documents_of(lines, extractor, hints)
        .into_iter()
        .find(|d| matches!(d.kind, DocKind::Receipt | DocKind::CompletionCertificate))
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

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    use crate::ocr::{testpage, Models};

    use crate::reading::lines::line_of;
    use crate::reading::looks::testkit::{a4, read_as};

    #[test]
    fn regions_padded_into_each_other_on_one_row_are_read_as_one() {
        let b = |x, y, w, h| BBox { x, y, w, h };
        // Seed 67 sub047's name line: two regions of it, padded, both over 遠藤; a region of
        // another line apart.
        let regions = vec![
            b(1000, 528, 330, 62),
            b(990, 530, 110, 58),
            b(400, 900, 200, 40),
        ];
        assert_eq!(
            merge_overlapping(regions),
            vec![b(990, 528, 340, 62), b(400, 900, 200, 40)]
        );
        // Boxes of two lines whose pads touch stay apart: each line is read as a line.
        let stacked = vec![b(100, 100, 300, 40), b(100, 135, 300, 40)];
        assert_eq!(merge_overlapping(stacked.clone()), stacked);
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
            let docs = documents_of(lines, &extractor, &Hints::default());
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
    fn unread_ink_is_read_with_the_thin_first_strokes_its_map_leaves_out() {
        // Seed 47 sub017, a photographed certificate whose layout analysis dropped the line
        // 「受講者 石川 麻衣」 (27 px characters on the median): 石's thin left strokes fill no
        // cell of the map.
        let img = crate::ink::fixture("trainee-name-after-label.png");
        let ch = 27;
        let regions = unread_ink(&img, &[], ch);
        let name = regions
            .iter()
            .find(|r| r.x > 300)
            .copied()
            .expect("the name's ink");
        let paddle = crate::ocr::PaddleModels::locate(None).expect("PP-OCRv6 installed");
        let mut reader = LineReader::new(&paddle).expect("recognizer");
        let read = reader
            .read_boxes(
                &img,
                &[lost_box(name, ch, img.dimensions())],
                Script::Japanese,
            )
            .expect("reads");
        assert_eq!(compact(&read[0].text), "石川麻衣");
    }

    #[test]
    fn a_payer_line_dropped_is_read_by_pp_ocrv6_and_scored_as_the_page_is() {
        let paddle = crate::ocr::PaddleModels::locate(None).expect("PP-OCRv6 installed");
        let reader = Mutex::new(LineReader::new(&paddle).expect("recognizer"));
        let printed = [
            ("公益財団法人 朝凪福祉人材センター", 200.0, 200.0),
            ("領収書", 700.0, 320.0),
            ("2024年6月5日", 1200.0, 420.0),
            ("お名前 青木 沙織 様", 200.0, 520.0),
            ("領収金額 ¥54,800", 200.0, 640.0),
            ("但し 調剤薬局事務講座 受講に係る費用として", 200.0, 760.0),
        ];
        // Seed 13 sub028: the layout analysis dropped the issuer and the payer's line.
        let (img, lines) = printed_but(
            &printed,
            &["公益財団法人 朝凪福祉人材センター", "お名前 青木 沙織 様"],
        );
        let mut page = PageInput {
            number: 1,
            lines,
            ..PageInput::default()
        };
        let extractor = Extractor::default();
        let receipt = |page: &PageInput| {
            let docs = documents_of(&page.lines, &extractor, &Hints::default());
            assert_eq!(docs[0].kind, DocKind::Receipt);
            docs[0].clone()
        };
        assert_eq!(receipt(&page).text(rf::PAYER_NAME), None);
        let changed = paddle_lost_look(&reader, &img, &mut page, &extractor, &Hints::default())
            .expect("reads");
        assert!(changed);
        let doc = receipt(&page);
        let payer = doc.field(rf::PAYER_NAME).expect("the payer read");
        assert_eq!(
            payer.value.as_text().map(|t| t.replace(' ', "")).as_deref(),
            Some("青木沙織")
        );
        // No higher than the page's words were scored (0.8 in `read_as`).
        assert!(payer.confidence <= 0.8, "{}", payer.confidence);
        assert_eq!(doc.yen(rf::AMOUNT_TOTAL), Some(54_800));
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
        let docs = documents_of(&lines, &extractor, &Hints::default());
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
}
