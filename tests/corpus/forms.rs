//! Four more receipt layouts, each a way real institutions print them that the first four do not
//! show: a till roll from the school's register, a landscape two-column 領収書 (payer on the left,
//! issuer on the right, on the same rows), a statement of label/value rows with the breakdown as a
//! plain list, and an invoice-like 領収書 with 品名・数量・単価・金額 columns (the course sometimes
//! only inline in the first row).
//!
//! Called by `layout::draw_sheet`; every fact comes from the [`ReceiptSpec`] and is printed exactly.

use chrono::Datelike;
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::layout::{
    amount, commas, date_text, instalment_note, issuer_block, item_at, purpose, stamp, total_at,
    DateStyle, Fix, Look,
};
use super::paint::{Face, Sheet};
use super::{ReceiptSpec, Wording};

/// The gothic of a printed face (a register prints no mincho).
fn gothic(face: Face) -> Face {
    match face {
        Face::IpaexMincho => Face::IpaexGothic,
        Face::IpaMincho => Face::IpaGothic,
        Face::NotoSerif => Face::NotoSans,
        Face::TakaoMincho => Face::TakaoGothic,
        f => f,
    }
}

/// (5) A till roll: the school's name on top, 領収書, date and time, the payer, one line per fee
/// with ¥ amounts, the total large, cash tendered and change (or the card), the purpose, a stamp.
pub fn till(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
    let w = &r.wording;
    let st = look.style().face(gothic(look.face)).size(8.5);
    let (m, cx, right) = (5.0, look.w / 2.0, look.w - 5.0);
    let lh = 4.6;
    let mut y = 11.0;
    let name = r
        .issuer
        .printed_name(if look.corp_space { " " } else { "" });
    for line in super::layout::wrap(sheet, st.size(12.0), &name, look.w - 2.0 * m) {
        sheet.text_center(rng, st.size(12.0), cx, y, &line);
        y += 6.0;
    }
    if let Some(school) = &r.issuer.school {
        sheet.text_center(rng, st.size(10.0), cx, y, school);
        y += 5.5;
    }
    sheet.text_center(rng, st.size(7.5), cx, y, &r.issuer.address);
    y += lh;
    sheet.text_center(rng, st, cx, y, &format!("TEL {}", r.issuer.phone));
    y += lh;
    let registration = format!(
        "登録番号 T{:013}",
        rng.random_range(1_000_000_000_000u64..9_999_999_999_999)
    );
    sheet.text_center(rng, st.size(7.5), cx, y, &registration);
    y += lh + 3.0;
    sheet.text_center(rng, st.size(12.0).track(2.0), cx, y, "領 収 書");
    y += lh + 2.0;
    let weekday = ["月", "火", "水", "木", "金", "土", "日"]
        [r.issued_on.weekday().num_days_from_monday() as usize];
    let style = match look.dates {
        DateStyle::Slash => DateStyle::Slash,
        _ => DateStyle::Seireki,
    };
    let when = format!(
        "{}({weekday}) {:02}:{:02}",
        date_text(r.issued_on, style),
        rng.random_range(9..20),
        rng.random_range(0..60)
    );
    sheet.text(rng, st, m, y, &when);
    sheet.text_right(rng, st, right, y, &format!("#{:06}", r.number));
    y += lh + 1.5;
    let name_label = if w.name_label.is_empty() {
        "お名前"
    } else {
        w.name_label
    };
    sheet.text(
        rng,
        st,
        m,
        y,
        &format!("{name_label} {} {}", r.payer.full(), w.honorific),
    );
    y += lh;
    if !w.purpose_names_course() || rng.random_bool(0.5) {
        for line in super::layout::wrap(
            sheet,
            st,
            &format!("{}:{}", w.course_label, r.course_name),
            look.w - 2.0 * m,
        ) {
            sheet.text(rng, st, m, y, &line);
            y += lh;
        }
    }
    dashes(sheet, m, right, y - 2.0);
    y += 3.0;
    for (i, it) in r.items.iter().enumerate() {
        sheet.text(rng, st, m + 2.0, y, &it.label);
        item_at(sheet, rng, r, i, st, right, y, Fix::Before, |a| {
            match a.strip_prefix('△') {
                Some(rest) => format!("△¥{rest}"),
                None => format!("¥{a}"),
            }
        });
        y += lh + 2.4;
    }
    dashes(sheet, m, right, y - 3.0);
    y += 3.0;
    let big = st.size(12.5);
    sheet.text(rng, big, m, y, w.total_label);
    let tw = total_at(sheet, rng, r, big, right, y, |n| format!("¥{}", commas(n)));
    if r.sealed && w.seal_on_total {
        stamp(
            sheet,
            rng,
            look,
            &r.issuer,
            right - tw * 0.5,
            y - 2.0,
            Some(14.0),
        );
    }
    y += lh + 2.0;
    if rng.random_bool(0.6) {
        let tendered = (r.total / 10_000 + 1) * 10_000;
        sheet.text(rng, st, m, y, "お預り");
        sheet.text_right(rng, st, right, y, &format!("¥{}", commas(tendered)));
        y += lh;
        sheet.text(rng, st, m, y, "お釣り");
        sheet.text_right(
            rng,
            st,
            right,
            y,
            &format!("¥{}", commas(tendered - r.total)),
        );
    } else {
        sheet.text(rng, st, m, y, "クレジット");
        sheet.text_right(rng, st, right, y, &format!("¥{}", commas(r.total)));
    }
    y += lh + 2.0;
    y = purpose(sheet, rng, st, r, m, y, lh);
    if let Some(note) = instalment_note(r) {
        y += lh;
        sheet.text(rng, st, m, y, &note);
    }
    y += lh;
    sheet.text(rng, st, m, y, "上記正に領収いたしました");
    y += 12.0;
    if r.sealed && !w.seal_on_total {
        stamp(sheet, rng, look, &r.issuer, right - 14.0, y, Some(17.0));
    }
    // A barcode of the slip number at the bottom.
    let by = look.h - 16.0;
    let mut x = m + 8.0;
    while x < right - 8.0 {
        let bar = *[0.25f32, 0.35, 0.5, 0.7].choose(rng).unwrap_or(&0.35);
        sheet.fill(x, by, bar, 9.0, super::paint::BLACK);
        x += bar + *[0.3f32, 0.45, 0.6].choose(rng).unwrap_or(&0.45);
    }
}

fn dashes(sheet: &mut Sheet, x0: f32, x1: f32, y: f32) {
    let mut x = x0;
    while x < x1 {
        sheet.hline(x, y, 1.2, 0.2);
        x += 2.0;
    }
}

/// (6) A landscape 領収書 in two columns: the payer, amount, purpose and date on the left, the
/// number and the issuer on the right at the same height, the breakdown across the page below.
pub fn two_column(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
    let w = &r.wording;
    let st = look.style();
    let m = look.margin;
    let right = look.right();
    let lh = look.line();
    let mid = look.w * 0.52;
    let mut y = m + 8.0;
    let title = *["領収書", "領 収 証", "領収証"]
        .choose(rng)
        .unwrap_or(&"領収書");
    sheet.text_center(rng, st.size(20.0).track(2.0), look.w / 2.0, y, title);
    sheet.text_right(
        rng,
        st.size(look.body - 1.0),
        right,
        m + 2.0,
        &format!("No.{}", r.number),
    );
    y += 12.0;
    let top = y;
    // Left column.
    let nw = sheet.text(
        rng,
        st.size(look.body + 3.0),
        m,
        y,
        &w.payer_line(&r.payer.full()),
    );
    sheet.hline(m, y + 1.5, nw.max(mid - m - 20.0), 0.3);
    y += lh * 2.0;
    let big = st.size(look.body + 3.0);
    let lw = sheet.text(rng, st, m, y, w.total_label);
    let box_right = mid - 12.0;
    sheet.hline(m + lw + 2.0, y + 1.6, box_right - m - lw - 2.0, 0.4);
    let tw = total_at(sheet, rng, r, big, box_right, y, |n| {
        amount(n, look.amounts)
    });
    if r.sealed && w.seal_on_total {
        stamp(
            sheet,
            rng,
            look,
            &r.issuer,
            box_right - tw * 0.5,
            y - 2.0,
            None,
        );
    }
    y += lh * 1.6;
    y = purpose(sheet, rng, st, r, m, y, lh);
    if !w.purpose_names_course() {
        y += lh;
        sheet.text(
            rng,
            st,
            m,
            y,
            &format!("{}：{}", w.course_label, r.course_name),
        );
    }
    if let Some(note) = instalment_note(r) {
        y += lh;
        sheet.text(rng, st, m, y, &note);
    }
    y += lh;
    let date = Wording::labelled(w.date_label, &date_text(r.issued_on, look.dates));
    sheet.text(rng, st, m, y, &date);
    y += lh;
    sheet.text(
        rng,
        st.size(look.body - 1.0),
        m,
        y,
        "上記正に領収いたしました。",
    );
    // Right column: the issuer on the same rows as the payer and the amount.
    let bottom = issuer_block(
        sheet,
        rng,
        look,
        &r.issuer,
        mid + 8.0,
        top - lh,
        r.sealed && !w.seal_on_total,
    );
    y = y.max(bottom) + lh;
    if r.items.is_empty() {
        return;
    }
    // The breakdown across the page: label and amount in two side-by-side halves when it is long.
    let row_h = if look.h < 160.0 { 6.0 } else { 7.5 };
    let halves = if r.items.len() > 2 && look.w > 250.0 {
        2
    } else {
        1
    };
    let per = r.items.len().div_ceil(halves);
    let col_w = (right - m) / halves as f32;
    sheet.text(rng, st, m, y, &format!("【{}】", w.breakdown_label));
    y += 2.0;
    for (i, it) in r.items.iter().enumerate() {
        let (col, row) = (i / per, i % per);
        let x0 = m + col as f32 * col_w;
        let ry = y + row_h * (row as f32 + 1.0);
        sheet.hline(x0, ry + 1.8, col_w - 6.0, 0.15);
        sheet.text(rng, st, x0 + 2.0, ry, &it.label);
        item_at(
            sheet,
            rng,
            r,
            i,
            st,
            x0 + col_w - 8.0,
            ry,
            Fix::Before,
            |a| format!("{a}円"),
        );
    }
}

/// (7) A statement: label/value rows, the breakdown as a plain list (「・入学料　10,000円」), the
/// closing sentence, the issuer at the bottom right or top.
pub fn statement(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
    let w = &r.wording;
    let st = look.style();
    let m = look.margin;
    let right = look.right();
    let lh = look.body * 0.3528 * 2.0;
    let mut y = m + 10.0;
    let title = *["領収証", "領収書", "受講料領収書", "領収証明書"]
        .choose(rng)
        .unwrap_or(&"領収証");
    sheet.text_center(rng, st.size(18.0).track(2.0), look.w / 2.0, y, title);
    sheet.text_right(
        rng,
        st.size(look.body - 1.0),
        right,
        m + 2.0,
        &format!("整理番号 {}", r.number),
    );
    y += lh * 2.0;
    let issuer_top = w.issuer_top && look.w > 200.0;
    if issuer_top {
        y = issuer_block(
            sheet,
            rng,
            look,
            &r.issuer,
            right - 85.0,
            y - lh,
            r.sealed && !w.seal_on_total,
        ) + lh * 0.5;
    }
    let name_label = if w.name_label.is_empty() {
        "氏名"
    } else {
        w.name_label
    };
    let date_label = if w.date_label.is_empty() {
        "領収日"
    } else {
        w.date_label
    };
    let lx = m + 4.0;
    let vx = lx + sheet.width(st, "受講生氏名：") + 2.0;
    let field = |sheet: &mut Sheet, rng: &mut ChaCha8Rng, y: f32, label: &str, value: &str| {
        sheet.text(rng, st, lx, y, &format!("{label}："));
        sheet.text(rng, st, vx, y, value);
    };
    field(
        sheet,
        rng,
        y,
        name_label,
        &format!("{}　{}", r.payer.full(), w.honorific),
    );
    y += lh;
    field(sheet, rng, y, w.course_label, &r.course_name);
    y += lh;
    field(
        sheet,
        rng,
        y,
        date_label,
        &date_text(r.issued_on, look.dates),
    );
    y += lh;
    sheet.text(rng, st, lx, y, &format!("{}：", w.total_label));
    let big = st.size(look.body + 2.0);
    let shown = |n| amount(n, look.amounts);
    let aw = sheet.width(big, &shown(r.total));
    total_at(sheet, rng, r, big, vx + aw, y, shown);
    if r.sealed && w.seal_on_total {
        stamp(sheet, rng, look, &r.issuer, vx + aw * 0.5, y - 2.0, None);
    }
    y += lh;
    y = purpose(sheet, rng, st, r, lx, y, lh);
    if let Some(note) = instalment_note(r) {
        y += lh;
        sheet.text(rng, st, lx, y, &note);
    }
    if !r.items.is_empty() {
        y += lh * 1.3;
        sheet.text(rng, st, lx, y, &format!("〔{}〕", w.breakdown_label));
        let aligned = rng.random_bool(0.5);
        let amt_right = (lx + 110.0).min(right - 6.0);
        for (i, it) in r.items.iter().enumerate() {
            y += lh * 0.85;
            let lw = sheet.text(rng, st, lx + 4.0, y, &format!("・{}", it.label));
            // Either right-aligned in a column, or just after the label.
            let x_end = if aligned {
                amt_right
            } else {
                let text = format!("{}円", super::layout::line_amount(it));
                lx + 4.0 + lw + 5.0 + sheet.width(st, &text)
            };
            item_at(sheet, rng, r, i, st, x_end, y, Fix::AboveRight, |a| {
                format!("{a}円")
            });
        }
    }
    y += lh * 1.5;
    sheet.text(rng, st, lx, y, "上記の金額を領収したことを証明します。");
    if !issuer_top {
        let x = (right - 85.0).max(m);
        issuer_block(
            sheet,
            rng,
            look,
            &r.issuer,
            x,
            y + 4.0,
            r.sealed && !w.seal_on_total,
        );
    }
}

/// (8) An invoice-like 領収書: the issuer at the top right, a 品名・数量・単価・金額 table with
/// 小計 and the total, the course inline in the first row when the purpose does not name it.
pub fn invoice(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
    let w = &r.wording;
    let st = look.style();
    let m = look.margin;
    let right = look.right();
    let lh = look.line();
    let mut y = m + 10.0;
    sheet.text(rng, st.size(20.0).track(3.0), m, y, "領収書");
    sheet.text_right(rng, st, right, y - 4.0, &format!("No. {:06}", r.number));
    let date = Wording::labelled(w.date_label, &date_text(r.issued_on, look.dates));
    sheet.text_right(rng, st, right, y + 2.0, &date);
    y += 14.0;
    let nw = sheet.text(
        rng,
        st.size(look.body + 3.0),
        m,
        y,
        &w.payer_line(&r.payer.full()),
    );
    sheet.hline(m, y + 1.5, nw.max(80.0), 0.35);
    issuer_block(
        sheet,
        rng,
        look,
        &r.issuer,
        right - 80.0,
        y - 4.0,
        r.sealed && !w.seal_on_total,
    );
    y += lh * 1.6;
    sheet.text(rng, st, m, y, "下記の通り領収いたしました。");
    y += lh * 2.0;
    // The amount box ends before the issuer's column.
    let box_w = (right - 84.0 - m).min(100.0);
    sheet.frame(m, y - 7.5, box_w, 11.0, 0.5);
    sheet.text(rng, st, m + 3.0, y, w.total_label);
    let big = st.size(look.body + 4.0);
    let tw = total_at(sheet, rng, r, big, m + box_w - 14.0, y + 0.5, |n| {
        format!("¥{}-", commas(n))
    });
    sheet.text(
        rng,
        st.size(look.body - 1.5),
        m + box_w - 12.0,
        y,
        "（税込）",
    );
    if r.sealed && w.seal_on_total {
        stamp(
            sheet,
            rng,
            look,
            &r.issuer,
            m + box_w - 14.0 - tw * 0.5,
            y - 2.0,
            None,
        );
    }
    y += lh * 3.5;
    let inline_course = !w.purpose_names_course();
    // The table: 品名 | 数量 | 単価 | 金額.
    let tw_all = right - m;
    let cols = [
        m,
        m + tw_all * 0.55,
        m + tw_all * 0.65,
        m + tw_all * 0.82,
        right,
    ];
    let row_h = 8.0;
    let rows = r.items.len().max(1) + 1;
    sheet.frame(m, y, tw_all, row_h * (rows + 1) as f32, 0.35);
    for x in &cols[1..4] {
        sheet.vline(*x, y, row_h * rows as f32, 0.2);
    }
    let base = row_h * 0.7;
    let head = if w.breakdown_label == "品名" {
        "品名"
    } else {
        w.breakdown_label
    };
    for (k, h) in [head, "数量", "単価", "金額"].iter().enumerate() {
        sheet.text(rng, st, cols[k] + 2.0, y + base, h);
    }
    for (i, it) in r.items.iter().enumerate() {
        let ry = y + row_h * (i as f32 + 1.0);
        sheet.hline(m, ry, tw_all, if i == 0 { 0.35 } else { 0.15 });
        let label = if i == 0 && inline_course {
            format!("{}　{}", r.course_name, it.label)
        } else {
            it.label.clone()
        };
        let label_w = cols[1] - cols[0] - 4.0;
        let label_st = if sheet.width(st, &label) > label_w {
            st.size(st.size_pt * label_w / sheet.width(st, &label))
        } else {
            st
        };
        sheet.text(rng, label_st, m + 2.0, ry + base, &label);
        sheet.text_right(rng, st, cols[2] - 2.0, ry + base, "1");
        let unit = super::layout::line_amount(it);
        sheet.text_right(rng, st, cols[3] - 2.0, ry + base, &unit);
        item_at(
            sheet,
            rng,
            r,
            i,
            st,
            cols[4] - 2.0,
            ry + base,
            Fix::Before,
            |a| a.to_string(),
        );
    }
    let ry = y + row_h * rows as f32;
    sheet.hline(m, ry, tw_all, 0.35);
    sheet.text(rng, st, cols[2] + 2.0, ry + base, "合計");
    sheet.text_right(rng, st, cols[4] - 2.0, ry + base, &commas(r.total));
    y = ry + row_h + lh * 1.5;
    if w.purpose_names_course() {
        y += lh * 0.5;
        purpose(sheet, rng, st, r, m, y, lh);
    } else {
        sheet.text(rng, st, m, y, "備考：");
    }
}
