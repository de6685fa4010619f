//! The four receipt layouts the corpus began with, now worded as each institution words them: a
//! ruled 領収書 (one- or two-column header), a 市販の領収証 pad filled in by hand, a letter-style list
//! with leader dots, and a クレジット契約証明書. The newer forms are in `forms.rs`.
//!
//! Called by `layout::draw_sheet`; every fact comes from the [`ReceiptSpec`] and is printed exactly.

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::layout::{
    amount, commas, date_text, instalment_note, issuer_block, item_at, line_amount, purpose, stamp,
    total_at, AmountStyle, Fix, Look,
};
use super::paint::{Sheet, Style};
use super::{CorrectionTarget, ItemCategory, LineItem, ReceiptSpec, Wording};

/// (1) A 領収書 with a ruled 内訳 grid.
pub fn table(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
    let w = &r.wording;
    let st = look.style();
    let m = look.margin;
    let right = look.right();
    let small = look.h < 200.0;
    // A two-column header (issuer top right) where the paper is wide enough.
    let issuer_top = w.issuer_top && look.w > 200.0;
    let mut y = m + 9.0;
    let title = if rng.random_bool(0.5) {
        "領 収 書"
    } else {
        "領収書"
    };
    let title_st = st
        .size(rng.random_range(18.0..24.0))
        .track(if title.contains(' ') { 0.0 } else { 2.0 });
    let tw = sheet.text_center(rng, title_st, look.w / 2.0, y, title);
    sheet.hline(look.w / 2.0 - tw / 2.0 - 2.0, y + 2.0, tw + 4.0, 0.3);
    sheet.hline(look.w / 2.0 - tw / 2.0 - 2.0, y + 2.8, tw + 4.0, 0.3);
    sheet.text_right(
        rng,
        st.size(look.body - 1.0),
        right,
        m + 3.0,
        &format!("No. {:05}", r.number),
    );
    y += 12.0;
    let date = Wording::labelled(w.date_label, &date_text(r.issued_on, look.dates));
    if issuer_top {
        sheet.text_right(rng, st, right, m + 9.0, &date);
        issuer_block(
            sheet,
            rng,
            look,
            &r.issuer,
            right - 78.0,
            y - 4.0,
            r.sealed && !w.seal_on_total,
        );
    } else {
        sheet.text_right(rng, st, right, y, &date);
    }
    let name = w.payer_line(&r.payer.full());
    let nw = sheet.text(rng, st.size(look.body + 3.0), m, y, &name);
    sheet.hline(m, y + 1.5, nw.max(60.0), 0.3);
    y += 9.0;
    if !w.purpose_names_course() || rng.random_bool(0.5) {
        let course = format!("{}：{}", w.course_label, r.course_name);
        sheet.text(rng, st, m, y, &course);
        y += 10.0;
    } else {
        y += 3.0;
    }
    // The amount received, framed.
    let box_w = if issuer_top { 82.0 } else { 95.0 };
    sheet.frame(m, y - 7.0, box_w, 10.5, 0.4);
    sheet.text(rng, st, m + 3.0, y, w.total_label);
    let total_st = st.size(look.body + 4.0);
    let tw = total_at(sheet, rng, r, total_st, m + box_w - 4.0, y + 0.5, |n| {
        amount(n, look.amounts)
    });
    if r.sealed && w.seal_on_total {
        stamp(
            sheet,
            rng,
            look,
            &r.issuer,
            m + box_w - 4.0 - tw * 0.4,
            y - 2.0,
            None,
        );
    }
    y += 8.0;
    y = purpose(sheet, rng, st, r, m, y, look.line());
    if let Some(note) = instalment_note(r) {
        y += 6.0;
        sheet.text(rng, st.size(look.body - 1.0), m + 8.0, y, &note);
    }
    y += 4.0;
    // 内訳 grid (left column on A5, full width on A4), issuer beside or below.
    let table_w = if small { 112.0 } else { (right - m).min(130.0) };
    let row_h = if small { 6.5 } else { 8.0 };
    let label_w = table_w * 0.62;
    let table_top = y;
    if !r.items.is_empty() {
        let rows = r.items.len() + 2;
        sheet.frame(m, y, table_w, row_h * rows as f32, 0.35);
        sheet.vline(m + label_w, y, row_h * rows as f32, 0.25);
        let base = row_h * 0.7;
        sheet.text(rng, st, m + 3.0, y + base, w.breakdown_label);
        let head = if rng.random_bool(0.5) {
            "金額（円）"
        } else {
            "金　額"
        };
        sheet.text_right(rng, st, m + table_w - 3.0, y + base, head);
        for (i, it) in r.items.iter().enumerate() {
            let ry = y + row_h * (i as f32 + 1.0);
            sheet.hline(m, ry, table_w, if i == 0 { 0.35 } else { 0.2 });
            sheet.text(rng, st, m + 3.0, ry + base, &it.label);
            item_at(
                sheet,
                rng,
                r,
                i,
                st,
                m + table_w - 3.0,
                ry + base,
                Fix::Before,
                |a| a.to_string(),
            );
        }
        let ry = y + row_h * (r.items.len() as f32 + 1.0);
        sheet.hline(m, ry, table_w, 0.35);
        sheet.hline(m, ry + 0.6, table_w, 0.2);
        let sum_label = *["合　計", "計", "合計"].choose(rng).unwrap_or(&"合計");
        sheet.text(rng, st, m + 3.0, ry + base, sum_label);
        sheet.text_right(rng, st, m + table_w - 3.0, ry + base, &commas(r.total));
        y += row_h * rows as f32 + 7.0;
    }
    sheet.text(
        rng,
        st.size(look.body - 0.5),
        m,
        y,
        "上記の金額を正に領収いたしました。",
    );
    if issuer_top {
        // Drawn with the header.
    } else if small {
        issuer_block(
            sheet,
            rng,
            look,
            &r.issuer,
            m + table_w + 6.0,
            table_top,
            r.sealed && !w.seal_on_total,
        );
    } else {
        issuer_block(
            sheet,
            rng,
            look,
            &r.issuer,
            right - 85.0,
            y + 10.0,
            r.sealed && !w.seal_on_total,
        );
    }
}

/// (2) A 市販の領収証 pad, filled in by hand.
pub fn pad(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
    let st = look.style();
    let hand = |size: f32| Style::handwritten(look.hand, size);
    let (m, w, h) = (8.0, look.w, look.h);
    // The printed form: a double frame.
    sheet.frame(m, m, w - 2.0 * m, h - 2.0 * m, 0.6);
    sheet.frame(m + 1.2, m + 1.2, w - 2.0 * m - 2.4, h - 2.0 * m - 2.4, 0.25);
    let wd = &r.wording;
    let mut y = m + 13.0;
    sheet.text_center(rng, st.size(20.0).track(4.0), w / 2.0, y, "領収証");
    sheet.text(rng, st.size(9.0), w - m - 38.0, m + 7.0, "No.");
    sheet.text(
        rng,
        hand(11.0),
        w - m - 30.0,
        m + 7.5,
        &format!("{}", r.number),
    );
    // The date line is handwritten onto the printed 年 月 日.
    sheet.text(
        rng,
        hand(13.0),
        w - m - 62.0,
        y + 1.0,
        &date_text(r.issued_on, look.dates),
    );
    sheet.hline(w - m - 64.0, y + 2.5, 56.0, 0.2);
    y += 15.0;
    let name_x = m + 14.0;
    let nw = sheet.text(rng, hand(18.0), name_x + 4.0, y, &r.payer.full());
    sheet.hline(name_x, y + 2.0, (nw + 20.0).max(85.0), 0.3);
    sheet.text(rng, st.size(13.0), name_x + (nw + 22.0).max(87.0), y, "様");
    y += 16.0;
    // 金 ¥99,000- 也 in a box.
    let bx = m + 30.0;
    let bw = 118.0;
    sheet.frame(bx, y - 10.0, bw, 14.0, 0.5);
    sheet.text(rng, st.size(15.0), bx + 3.0, y, "金");
    sheet.text(rng, st.size(15.0), bx + bw - 9.0, y, "也");
    let total = format!("¥{}-", commas(r.total));
    match r
        .correction
        .as_ref()
        .filter(|c| c.target == CorrectionTarget::Total)
    {
        Some(c) => {
            let old = format!("¥{}-", commas(c.old_amount));
            let st_h = hand(17.0);
            let old_w = sheet.width(st_h, &old);
            sheet.text(rng, st_h, bx + 14.0, y, &old);
            sheet.strike(bx + 14.0, y, old_w, 17.0);
            sheet.text(rng, st_h, bx + 20.0 + old_w, y, &total);
            if c.sealed {
                sheet.correction_seal(rng, bx + 14.0 + old_w * 0.6, y - 3.0, &c.stamp);
            }
        }
        None => {
            sheet.text(rng, hand(20.0), bx + 22.0, y, &total);
        }
    }
    // 収入印紙 box to the left of the amount, as on printed pads.
    if r.total >= 50_000 {
        sheet.frame(m + 5.0, y - 12.0, 20.0, 22.0, 0.15);
        sheet.text(rng, st.size(6.5), m + 7.0, y - 1.0, "収入印紙");
    }
    if r.sealed && wd.seal_on_total {
        stamp(sheet, rng, look, &r.issuer, bx + bw * 0.55, y - 3.0, None);
    }
    y += 11.0;
    sheet.text(rng, st.size(12.0), bx, y, "但し");
    for (i, line) in wd.purpose_lines(&r.course_name).iter().enumerate() {
        if i > 0 {
            y += 6.5;
        }
        sheet.text(rng, hand(13.0), bx + 11.0, y, line);
        sheet.hline(bx + 10.0, y + 1.8, bw - 10.0, 0.2);
    }
    if !wd.purpose_names_course() {
        y += 6.5;
        let course = format!("{}　{}", wd.course_label, r.course_name);
        sheet.text(rng, hand(12.0), bx + 11.0, y, &course);
    }
    if let Some(note) = instalment_note(r) {
        y += 6.5;
        sheet.text(rng, hand(11.0), bx + 11.0, y, &note);
    }
    y += 7.0;
    sheet.text(rng, st.size(10.5), bx, y, "上記正に領収いたしました");
    // A small 内訳 box, bottom left.
    let ky = h - m - 36.0;
    if !r.items.is_empty() {
        let kw = 70.0;
        let rows = r.items.len() as f32;
        sheet.frame(m + 5.0, ky, kw, 6.0 * (rows + 1.0) + 2.0, 0.25);
        sheet.text(rng, st.size(9.0), m + 7.0, ky + 4.8, wd.breakdown_label);
        for (i, it) in r.items.iter().enumerate() {
            let iy = ky + 6.0 * (i as f32 + 2.0);
            sheet.text(rng, hand(11.0), m + 8.0, iy, &it.label);
            sheet.text_right(
                rng,
                hand(11.0),
                m + 5.0 + kw - 3.0,
                iy,
                &format!("{}円", line_amount(it)),
            );
        }
    }
    // The institution's address stamp (ゴム印) and seal, bottom right.
    issuer_block(
        sheet,
        rng,
        look,
        &r.issuer,
        w - m - 92.0,
        ky - 4.0,
        r.sealed && !wd.seal_on_total,
    );
}

/// (3) A plain letter-style receipt: lines with leader dots.
pub fn letter(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
    let w = &r.wording;
    let st = look.style();
    let m = look.margin;
    let right = look.right();
    let lh = look.body * 0.3528 * 2.0;
    let mut y = m + 8.0;
    let centered = rng.random_bool(0.5);
    let title_st = st.size(rng.random_range(16.0..20.0)).track(3.0);
    if centered {
        sheet.text_center(rng, title_st, look.w / 2.0, y, "領収書");
    } else {
        sheet.text(rng, title_st, m, y, "領収書");
    }
    let date = Wording::labelled(w.date_label, &date_text(r.issued_on, look.dates));
    sheet.text_right(rng, st, right, y + lh, &date);
    y += lh * 2.0;
    let name = w.payer_line(&r.payer.full());
    sheet.text(rng, st.size(look.body + 2.0), m, y, &name);
    y += lh;
    sheet.text(rng, st, m, y, "下記のとおり領収いたしました。");
    y += lh;
    if !w.purpose_names_course() || !r.items.is_empty() {
        let course = format!("{}　{}", w.course_label, r.course_name);
        sheet.text(rng, st, m, y, &course);
        y += lh;
    }
    let col = m + 8.0;
    let amt_right = (col + 120.0).min(right - 10.0);
    if r.items.is_empty() {
        let big = st.size(look.body + 2.0);
        let lw = sheet.text(rng, big, col, y, &format!("{}　", w.total_label));
        let shown = |n| amount(n, AmountStyle::Kin);
        let aw = sheet.width(big, &shown(r.total));
        total_at(sheet, rng, r, big, col + lw + aw, y, shown);
        if r.sealed && w.seal_on_total {
            stamp(
                sheet,
                rng,
                look,
                &r.issuer,
                col + lw + aw * 0.6,
                y - 2.0,
                None,
            );
        }
        y += lh;
        y = purpose(sheet, rng, st, r, col, y, lh);
    } else {
        for (i, it) in r.items.iter().enumerate() {
            let lw = sheet.text(rng, st, col, y, &it.label);
            let amt = format!("{}円", line_amount(it));
            let aw = sheet.width(st, &amt);
            sheet.dots(col + lw + 2.0, amt_right - aw - 2.0, y);
            item_at(sheet, rng, r, i, st, amt_right, y, Fix::AboveRight, |a| {
                format!("{a}円")
            });
            y += lh;
        }
        sheet.hline(col, y - lh * 0.55, amt_right - col, 0.25);
        let lw = sheet.text(rng, st.size(look.body + 1.0), col, y, w.total_label);
        let tot = amount(r.total, look.amounts);
        let tw = sheet.width(st.size(look.body + 1.0), &tot);
        sheet.dots(col + lw + 2.0, amt_right - tw - 2.0, y);
        sheet.text_right(rng, st.size(look.body + 1.0), amt_right, y, &tot);
        if r.sealed && w.seal_on_total {
            stamp(
                sheet,
                rng,
                look,
                &r.issuer,
                amt_right - tw * 0.5,
                y - 2.0,
                None,
            );
        }
        if w.purpose_names_course() {
            y += lh;
            y = purpose(sheet, rng, st, r, col, y, lh);
        }
    }
    if let Some(note) = instalment_note(r) {
        y += lh;
        sheet.text(rng, st, col, y, &note);
    }
    y += lh * 1.2;
    let by = if look.h < 200.0 { y - lh } else { y + 6.0 };
    let sealed = r.sealed && !w.seal_on_total;
    issuer_block(sheet, rng, look, &r.issuer, right - 88.0, by, sealed);
}

/// (4) A クレジット契約証明書: the course fees financed, and the credit company's fee apart.
pub fn credit(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
    let st = look.style();
    let m = look.margin;
    let right = look.right();
    let lh = look.body * 0.3528 * 2.2;
    let mut y = m + 12.0;
    sheet.text_center(
        rng,
        st.size(20.0).track(1.5),
        look.w / 2.0,
        y,
        "クレジット契約証明書",
    );
    y += lh * 2.0;
    let lx = m + 5.0;
    let vx = m + 50.0;
    let w = &r.wording;
    let name_label = if w.name_label.is_empty() {
        "受講者氏名"
    } else {
        w.name_label
    };
    let rows: Vec<(&str, String)> = vec![
        (name_label, format!("{}　{}", r.payer.full(), w.honorific)),
        (w.course_label, r.course_name.clone()),
        ("契約日", date_text(r.issued_on, look.dates)),
        (
            "クレジット会社",
            r.credit_company.clone().unwrap_or_default(),
        ),
        ("クレジット契約額", amount(r.total, look.amounts)),
    ];
    for (label, value) in rows {
        sheet.text(rng, st, lx, y, label);
        sheet.text(rng, st, vx, y, &value);
        sheet.hline(vx - 2.0, y + 1.5, right - vx, 0.15);
        y += lh;
    }
    y += 2.0;
    sheet.text(rng, st, lx, y, "契約額の内訳");
    y += lh * 0.9;
    let tw = 110.0;
    let course_items: Vec<&LineItem> = r
        .items
        .iter()
        .filter(|i| i.category != ItemCategory::CreditInterest)
        .collect();
    let row_h = 8.0;
    sheet.frame(vx, y - 6.0, tw, row_h * course_items.len() as f32, 0.3);
    for (i, it) in course_items.iter().enumerate() {
        let ry = y + row_h * i as f32;
        if i > 0 {
            sheet.hline(vx, ry - 6.0, tw, 0.2);
        }
        sheet.text(rng, st, vx + 3.0, ry, &it.label);
        sheet.text_right(
            rng,
            st,
            vx + tw - 3.0,
            ry,
            &format!("{}円", commas(it.amount)),
        );
    }
    y += row_h * course_items.len() as f32 + 4.0;
    for it in r
        .items
        .iter()
        .filter(|i| i.category == ItemCategory::CreditInterest)
    {
        let times = *[6, 10, 12, 24].choose(rng).unwrap_or(&12);
        sheet.text(rng, st, lx, y, &it.label);
        sheet.text(
            rng,
            st,
            vx,
            y,
            &format!(
                "{}円（{times}回払い・クレジット会社へ支払）",
                commas(it.amount)
            ),
        );
        y += lh;
    }
    y += lh * 0.5;
    sheet.text(
        rng,
        st.size(look.body - 0.5),
        lx,
        y,
        "上記のとおり、受講料等についてクレジット契約が成立したことを証明します。",
    );
    issuer_block(
        sheet,
        rng,
        look,
        &r.issuer,
        right - 88.0,
        y + 12.0,
        r.sealed,
    );
}
