//! What a 教育訓練修了証明書 looks like: four layouts — label/value rows (plain or in a ruled frame),
//! a letter that states the facts in sentences, and an A4 landscape 修了証 with the name large and
//! the facts in two columns — with each institution's labels and certifying sentence.
//!
//! Called by `layout::draw_sheet`; the facts come from the [`CertificateSpec`] and are printed
//! exactly (a correction only on the layouts with a row of its own for the 修了日).

use chrono::Days;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::layout::{corrected, date_text, issuer_block, wrap, Fix, Look};
use super::paint::Sheet;
use super::{CertificateLayout, CertificateSpec, CorrectionTarget};

/// Draws `c` in its layout.
pub fn draw(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, c: &CertificateSpec) {
    match c.layout {
        CertificateLayout::Formal | CertificateLayout::Framed => rows(sheet, rng, look, c),
        CertificateLayout::Prose => prose(sheet, rng, look, c),
        CertificateLayout::Landscape => landscape(sheet, rng, look, c),
    }
}

/// 本校 / 当社 / 本会: how the issuer calls itself.
fn subject(c: &CertificateSpec) -> &'static str {
    match c.issuer.corp_kind.as_str() {
        "学校法人" | "" => "本校",
        "株式会社" => "当社",
        _ => "本会",
    }
}

/// (1, 2) Centred title, label/value rows (ruled in a frame, or not), the certifying sentence,
/// issuer at the bottom right.
fn rows(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, c: &CertificateSpec) {
    let st = look.style().size(look.body + 1.5);
    let m = look.margin;
    let right = look.right();
    let framed = c.layout == CertificateLayout::Framed;
    if framed {
        sheet.frame(
            m - 8.0,
            m - 8.0,
            look.w - 2.0 * m + 16.0,
            look.h - 2.0 * m + 16.0,
            1.0,
        );
        sheet.frame(
            m - 6.5,
            m - 6.5,
            look.w - 2.0 * m + 13.0,
            look.h - 2.0 * m + 13.0,
            0.3,
        );
    }
    sheet.text_right(
        rng,
        st.size(look.body),
        right,
        m + 4.0,
        &format!("第{}号", c.number),
    );
    let mut y = m + 30.0;
    let title_st = st.size(rng.random_range(22.0..28.0)).track(3.0);
    sheet.text_center(rng, title_st, look.w / 2.0, y, c.wording.title);
    y += 28.0;
    let completed_shown = match &c.correction {
        Some(x) if x.target == CorrectionTarget::CompletedOn => {
            Some(c.completed_on + Days::new(x.old_amount as u64))
        }
        _ => None,
    };
    let [name_l, birth_l, course_l, start_l, end_l] = c.wording.labels();
    // The period on one line (「…～…」) unless the 修了日 carries a correction.
    let period_line = c.wording.period_line && completed_shown.is_none();
    let mut rows: Vec<(String, String)> = vec![
        (name_l.to_string(), c.trainee.full()),
        (birth_l.to_string(), date_text(c.birth_date, look.dates)),
        (course_l.to_string(), c.course_name.clone()),
    ];
    if period_line {
        rows.push((
            "受講期間".to_string(),
            format!(
                "{}～{}",
                date_text(c.started_on, look.dates),
                date_text(c.completed_on, look.dates)
            ),
        ));
    } else {
        rows.push((start_l.to_string(), date_text(c.started_on, look.dates)));
        rows.push((end_l.to_string(), date_text(c.completed_on, look.dates)));
    }
    let lx = m + 12.0;
    let vx = m + 58.0;
    let row_h = 16.0;
    let n = rows.len() as f32;
    if framed {
        sheet.frame(lx - 4.0, y - 10.0, right - lx - 4.0, row_h * n, 0.35);
        sheet.vline(vx - 6.0, y - 10.0, row_h * n, 0.25);
    }
    for (i, (label, value)) in rows.iter().enumerate() {
        let ry = y + row_h * i as f32;
        if framed && i > 0 {
            sheet.hline(lx - 4.0, ry - 10.0, right - lx - 4.0, 0.2);
        }
        sheet.text(rng, st, lx, ry, label);
        let value_st = if i == 0 {
            st.size(st.size_pt + 2.0)
        } else {
            st
        };
        if i == 4 {
            if let (Some(wrong), Some(x)) = (completed_shown, &c.correction) {
                corrected(
                    sheet,
                    rng,
                    value_st,
                    vx,
                    ry,
                    &date_text(wrong, look.dates),
                    value,
                    x.sealed,
                    &x.stamp,
                    Fix::Above,
                );
                continue;
            }
        }
        // A long period may not fit beside its label: it wraps under itself.
        let lines = wrap(sheet, value_st, value, right - vx - 2.0);
        for (k, line) in lines.iter().enumerate() {
            sheet.text(rng, value_st, vx, ry + k as f32 * 6.5, line);
        }
    }
    y += row_h * n + 14.0;
    let sentence = c.wording.sentence(subject(c), &c.course_name);
    for line in wrap(sheet, st, &sentence, right - lx) {
        sheet.text(rng, st, lx, y, &line);
        y += 8.0;
    }
    y += 10.0;
    sheet.text(rng, st, lx, y, &date_text(c.issued_on, look.dates));
    y += 14.0;
    issuer_block(sheet, rng, look, &c.issuer, right - 95.0, y, true);
}

/// (3) A letter: number and date top right, the name with 殿, then the facts in sentences.
fn prose(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, c: &CertificateSpec) {
    let st = look.style().size(look.body + 1.0);
    let m = look.margin;
    let right = look.right();
    let lh = st.size_pt * 0.3528 * 2.0;
    sheet.text_right(
        rng,
        st,
        right,
        m + 4.0,
        &format!("証明番号 第{}号", c.number),
    );
    sheet.text_right(
        rng,
        st,
        right,
        m + 4.0 + lh,
        &date_text(c.issued_on, look.dates),
    );
    let mut y = m + 4.0 + lh * 3.0;
    let title_st = st.size(rng.random_range(20.0..24.0)).track(2.0);
    sheet.text_center(rng, title_st, look.w / 2.0, y, c.wording.title);
    y += lh * 2.5;
    let honorific = if rng.random_bool(0.6) { "殿" } else { "様" };
    let name = format!("{}　{honorific}", c.trainee.full());
    sheet.text(rng, st.size(st.size_pt + 4.0), m + 6.0, y, &name);
    y += lh;
    let born = format!("（{}生）", date_text(c.birth_date, look.dates));
    sheet.text(rng, st, m + 10.0, y, &born);
    y += lh * 1.8;
    let facts = format!(
        "　あなたは、{}から{}まで、{}が実施する教育訓練講座「{}」を受講し、",
        date_text(c.started_on, look.dates),
        date_text(c.completed_on, look.dates),
        subject(c),
        c.course_name
    );
    // The sentence goes on from 「…を受講し、」.
    let tail = [
        "所定の課程を修了したことを証明します。",
        "その全課程を修了したことを証明します。",
        "修了認定基準を満たして修了したことをここに証明いたします。",
    ][c.wording.sentence % 3];
    let text = format!("{facts}{tail}");
    for line in wrap(sheet, st, &text, right - m - 12.0) {
        sheet.text(rng, st, m + 6.0, y, &line);
        y += lh;
    }
    y += lh * 2.0;
    issuer_block(sheet, rng, look, &c.issuer, right - 95.0, y, true);
}

/// (4) An A4 landscape 修了証: a double border, the name large and centred, the facts in two
/// columns, the sentence, the issuer at the bottom right.
fn landscape(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, c: &CertificateSpec) {
    let st = look.style().size(look.body + 1.0);
    let (w, h) = (look.w, look.h);
    let m = 12.0;
    sheet.frame(m, m, w - 2.0 * m, h - 2.0 * m, 1.2);
    sheet.frame(m + 2.0, m + 2.0, w - 2.0 * m - 4.0, h - 2.0 * m - 4.0, 0.3);
    sheet.text_right(
        rng,
        st.size(look.body),
        w - m - 8.0,
        m + 10.0,
        &format!("No.{:04}", c.number),
    );
    let mut y = m + 26.0;
    let title_st = st.size(rng.random_range(26.0..32.0)).track(4.0);
    sheet.text_center(rng, title_st, w / 2.0, y, c.wording.title);
    y += 20.0;
    let name = format!("{}　殿", c.trainee.full());
    let name_w = sheet.text_center(rng, st.size(st.size_pt + 8.0), w / 2.0, y, &name);
    sheet.hline(w / 2.0 - name_w / 2.0 - 6.0, y + 2.5, name_w + 12.0, 0.3);
    y += 9.0;
    let [_, birth_l, course_l, start_l, end_l] = c.wording.labels();
    let born = format!("{birth_l}　{}", date_text(c.birth_date, look.dates));
    sheet.text_center(rng, st, w / 2.0, y, &born);
    y += 14.0;
    let (lx, rx) = (m + 22.0, w / 2.0 + 8.0);
    sheet.text(rng, st, lx, y, &format!("{course_l}　{}", c.course_name));
    sheet.text(
        rng,
        st,
        rx,
        y,
        &format!("{start_l}　{}", date_text(c.started_on, look.dates)),
    );
    y += 9.0;
    sheet.text(
        rng,
        st,
        rx,
        y,
        &format!("{end_l}　{}", date_text(c.completed_on, look.dates)),
    );
    y += 14.0;
    let sentence = c.wording.sentence(subject(c), &c.course_name);
    for line in wrap(sheet, st, &sentence, w - 2.0 * lx) {
        sheet.text_center(rng, st, w / 2.0, y, &line);
        y += 8.0;
    }
    y += 2.0;
    sheet.text(rng, st, lx, y, &date_text(c.issued_on, look.dates));
    issuer_block(sheet, rng, look, &c.issuer, w - m - 105.0, y - 8.0, true);
}
