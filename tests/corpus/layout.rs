//! What each document looks like on paper: four receipt layouts (a ruled 領収書, a handwritten
//! receipt pad, a letter-style list, a クレジット契約証明書) and two 修了証明書 layouts.
//!
//! Every choice that does not change the truth — typeface, sizes, margins, 和暦 or 西暦, how an
//! amount is written (¥99,000- / 金99,000円也 / ９９，０００円) — is made here from the page's RNG;
//! the facts come from `gen.rs` and are printed exactly. Called by `Submission::render`.

use chrono::{Datelike, Days, NaiveDate};
use image::{Rgb, RgbImage};
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::paint::{Face, Fonts, Sheet, Style};
use super::scan::ScanParams;
use super::{
    wareki, CertificateLayout, CertificateSpec, CorrectionTarget, DocSpec, Institution,
    ItemCategory, LineItem, ReceiptLayout, ReceiptSpec,
};

/// Draws `doc` on a fresh sheet at the scan's paper size and resolution.
pub fn draw(doc: &DocSpec, scan: &ScanParams, fonts: &Fonts, rng: &mut ChaCha8Rng) -> RgbImage {
    draw_sheet(doc, scan, fonts, rng).img
}

/// As [`draw`], keeping the sheet (and its transcript) for tests.
pub fn draw_sheet<'f>(
    doc: &DocSpec,
    scan: &ScanParams,
    fonts: &'f Fonts,
    rng: &mut ChaCha8Rng,
) -> Sheet<'f> {
    let (w, h) = scan.paper.mm();
    let mut sheet = Sheet::new(fonts, w, h, scan.dpi, Rgb(scan.paper_rgb));
    let look = Look::random(rng, w, h);
    match doc {
        DocSpec::Receipt(r) => match r.layout {
            ReceiptLayout::Table => table_receipt(&mut sheet, rng, &look, r),
            ReceiptLayout::Pad => pad_receipt(&mut sheet, rng, &look, r),
            ReceiptLayout::Letter => letter_receipt(&mut sheet, rng, &look, r),
            ReceiptLayout::Credit => credit_certificate(&mut sheet, rng, &look, r),
        },
        DocSpec::Certificate(c) => certificate(&mut sheet, rng, &look, c),
    }
    sheet
}

/// The printing choices of one document.
struct Look {
    face: Face,
    hand: Face,
    body: f32,
    margin: f32,
    w: f32,
    h: f32,
    dates: DateStyle,
    amounts: AmountStyle,
    /// A space after the 法人格 (「学校法人 若葉台学園」).
    corp_space: bool,
    round_seal: bool,
}

impl Look {
    fn random(rng: &mut ChaCha8Rng, w: f32, h: f32) -> Look {
        let small = h < 200.0;
        Look {
            face: *Face::PRINTED.choose(rng).unwrap_or(&Face::IpaGothic),
            hand: *Face::HAND.choose(rng).unwrap_or(&Face::Klee),
            body: if small {
                rng.random_range(10.0..11.5)
            } else {
                rng.random_range(10.5..13.0)
            },
            margin: if small {
                rng.random_range(11.0..16.0)
            } else {
                rng.random_range(18.0..26.0)
            },
            w,
            h,
            dates: *[
                DateStyle::Reiwa,
                DateStyle::Reiwa,
                DateStyle::ReiwaFullWidth,
                DateStyle::Seireki,
                DateStyle::Slash,
            ]
            .choose(rng)
            .unwrap_or(&DateStyle::Reiwa),
            amounts: *[
                AmountStyle::Yen,
                AmountStyle::YenDash,
                AmountStyle::En,
                AmountStyle::Kin,
                AmountStyle::FullWidth,
            ]
            .choose(rng)
            .unwrap_or(&AmountStyle::Yen),
            corp_space: rng.random_bool(0.6),
            round_seal: rng.random_bool(0.5),
        }
    }

    fn style(&self) -> Style {
        Style::new(self.face, self.body)
    }

    fn right(&self) -> f32 {
        self.w - self.margin
    }
}

#[derive(Debug, Clone, Copy)]
enum DateStyle {
    /// 令和8年6月15日 (平成/昭和 for older dates).
    Reiwa,
    /// 令和８年６月１５日.
    ReiwaFullWidth,
    /// 2026年6月15日.
    Seireki,
    /// 2026/06/15.
    Slash,
}

#[derive(Debug, Clone, Copy)]
enum AmountStyle {
    /// ¥99,000
    Yen,
    /// ￥99,000-
    YenDash,
    /// 99,000円
    En,
    /// 金99,000円也
    Kin,
    /// ９９，０００円
    FullWidth,
}

fn commas(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Half-width digits and commas to full-width (０-９, ，).
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
            ',' => '，',
            _ => c,
        })
        .collect()
}

fn amount(n: i64, style: AmountStyle) -> String {
    match style {
        AmountStyle::Yen => format!("¥{}", commas(n)),
        AmountStyle::YenDash => format!("￥{}-", commas(n)),
        AmountStyle::En => format!("{}円", commas(n)),
        AmountStyle::Kin => format!("金{}円也", commas(n)),
        AmountStyle::FullWidth => format!("{}円", full_width(&commas(n))),
    }
}

fn date_text(d: NaiveDate, style: DateStyle) -> String {
    let (era, y) = wareki(d);
    let year = if y == 1 {
        "元".to_string()
    } else {
        y.to_string()
    };
    match style {
        DateStyle::Reiwa => format!("{era}{year}年{}月{}日", d.month(), d.day()),
        DateStyle::ReiwaFullWidth => {
            full_width(&format!("{era}{year}年{}月{}日", d.month(), d.day()))
        }
        DateStyle::Seireki => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        DateStyle::Slash => format!("{}/{:02}/{:02}", d.year(), d.month(), d.day()),
    }
}

/// A breakdown line's printed amount: deductions carry △.
fn line_amount(i: &LineItem) -> String {
    if i.category == ItemCategory::Subsidy {
        format!("△{}", commas(i.amount))
    } else {
        commas(i.amount)
    }
}

fn corp_line(inst: &Institution, look: &Look) -> String {
    if look.corp_space {
        format!("{} {}", inst.corp_kind, inst.corp_name)
    } else {
        inst.issuer_name()
    }
}

/// The issuer's block (法人名, school, address, 代表者) with its seal; `x`,`y` top-left, mm.
/// Returns the y below it.
fn issuer_block(
    sheet: &mut Sheet,
    rng: &mut ChaCha8Rng,
    look: &Look,
    inst: &Institution,
    x: f32,
    y: f32,
    sealed: bool,
) -> f32 {
    let st = look.style();
    let lh = look.body * 0.3528 * 1.6;
    let mut yy = y + lh;
    let name_w = sheet.text(rng, st.size(look.body + 1.5), x, yy, &corp_line(inst, look));
    let name_y = yy;
    if let Some(school) = &inst.school {
        yy += lh * 1.1;
        sheet.text(rng, st.size(look.body + 0.5), x, yy, school);
    }
    yy += lh;
    sheet.text(rng, st.size(look.body - 1.5), x, yy, &inst.address);
    yy += lh * 0.9;
    sheet.text(
        rng,
        st.size(look.body - 1.5),
        x,
        yy,
        &format!("TEL {}", inst.phone),
    );
    yy += lh;
    let rep_w = sheet.text(
        rng,
        st,
        x,
        yy,
        &format!("{}　{}", inst.rep_title, inst.rep.full()),
    );
    if sealed {
        let chars = inst.seal_chars();
        let face = if rng.random_bool(0.5) {
            Face::IpaMincho
        } else {
            Face::NotoSerif
        };
        // Where real seals go: over the end of the institution's name (角印), or beside the
        // representative's name (丸印), sometimes overlapping it.
        if look.round_seal {
            let d = rng.random_range(15.0..19.0);
            let cx = x + rep_w + d * rng.random_range(0.2..0.6);
            sheet.round_seal(rng, cx, yy - look.body * 0.18, d, &chars, face);
        } else {
            let s = rng.random_range(18.0..23.0);
            let cx = x + name_w - s * rng.random_range(0.1..0.5);
            let cy = name_y + rng.random_range(0.0..4.0);
            sheet.square_seal(rng, cx, cy, s, &chars, face);
        }
    }
    yy + lh
}

/// The instalment note (「分割 第1回／全2回」).
fn instalment_note(r: &ReceiptSpec) -> Option<String> {
    r.instalment
        .map(|(n, of)| format!("（分割納入 第{n}回／全{of}回）"))
}

/// Where the right value of a correction is written.
#[derive(Clone, Copy, PartialEq)]
enum Fix {
    /// Just above the struck value, a little smaller, from its left end.
    Above,
    /// Just above, ending where the struck value ends (a right-aligned amount).
    AboveRight,
    /// On the same line, left of the struck value: a table's cell has no room above it (written
    /// above, it runs into the row over it, as no clerk writes it).
    Before,
}

/// Draws `old` struck through with the right value `new` placed as `fix` says, and a 訂正印 if
/// sealed; `x` is where `old` starts, or ends for the right-aligned placements.
#[allow(clippy::too_many_arguments)]
fn corrected(
    sheet: &mut Sheet,
    rng: &mut ChaCha8Rng,
    st: Style,
    x: f32,
    y: f32,
    old: &str,
    new: &str,
    sealed: bool,
    stamp: &str,
    fix: Fix,
) {
    let old_w = sheet.width(st, old);
    let x_old = if fix == Fix::Above { x } else { x - old_w };
    sheet.text(rng, st, x_old, y, old);
    sheet.strike(x_old, y, old_w, st.size_pt);
    let small = st.size(st.size_pt * 0.9);
    let new_w = sheet.width(small, new);
    let (x_new, y_new) = match fix {
        Fix::Above => (x_old, y - st.size_pt * 0.3528 * 1.05),
        Fix::AboveRight => (x - new_w, y - st.size_pt * 0.3528 * 1.05),
        Fix::Before => (x_old - new_w - st.size_pt * 0.3528, y),
    };
    sheet.text(rng, small, x_new, y_new, new);
    if sealed {
        let cx = x_old + old_w * rng.random_range(0.3..0.8);
        sheet.correction_seal(rng, cx, y - st.size_pt * 0.3528 * 0.4, stamp);
    }
}

// ---------------------------------------------------------------------------------------------
// Receipts
// ---------------------------------------------------------------------------------------------

/// (1) A 領収書 with a ruled 内訳 grid.
fn table_receipt(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
    let st = look.style();
    let m = look.margin;
    let right = look.right();
    let small = look.h < 200.0;
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
    sheet.text_right(
        rng,
        st,
        right,
        y,
        &format!("発行日　{}", date_text(r.issued_on, look.dates)),
    );
    let name = format!("{}　様", r.payer.full());
    let nw = sheet.text(rng, st.size(look.body + 3.0), m, y, &name);
    sheet.hline(m, y + 1.5, nw.max(60.0), 0.3);
    y += 9.0;
    sheet.text(rng, st, m, y, &format!("講座名：{}", r.course_name));
    y += 10.0;
    // The amount received, framed.
    let box_w = 95.0;
    sheet.frame(m, y - 7.0, box_w, 10.5, 0.4);
    sheet.text(rng, st, m + 3.0, y, "領収金額");
    let total_text = amount(r.total, look.amounts);
    let total_st = st.size(look.body + 4.0);
    if let Some(c) = r
        .correction
        .as_ref()
        .filter(|c| c.target == CorrectionTarget::Total)
    {
        corrected(
            sheet,
            rng,
            total_st,
            m + box_w - 4.0,
            y + 0.5,
            &amount(c.old_amount, look.amounts),
            &total_text,
            c.sealed,
            &c.stamp,
            Fix::AboveRight,
        );
    } else {
        sheet.text_right(rng, total_st, m + box_w - 4.0, y + 0.5, &total_text);
    }
    y += 8.0;
    sheet.text(rng, st, m, y, &format!("但し　{}", r.purpose));
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
        sheet.text(rng, st, m + 3.0, y + base, "内　訳");
        sheet.text_right(rng, st, m + table_w - 3.0, y + base, "金額（円）");
        for (i, it) in r.items.iter().enumerate() {
            let ry = y + row_h * (i as f32 + 1.0);
            sheet.hline(m, ry, table_w, if i == 0 { 0.35 } else { 0.2 });
            sheet.text(rng, st, m + 3.0, ry + base, &it.label);
            let amt = line_amount(it);
            match r
                .correction
                .as_ref()
                .filter(|c| c.target == CorrectionTarget::Item(i))
            {
                Some(c) => corrected(
                    sheet,
                    rng,
                    st,
                    m + table_w - 3.0,
                    ry + base,
                    &commas(c.old_amount),
                    &amt,
                    c.sealed,
                    &c.stamp,
                    Fix::Before,
                ),
                None => {
                    sheet.text_right(rng, st, m + table_w - 3.0, ry + base, &amt);
                }
            }
        }
        let ry = y + row_h * (r.items.len() as f32 + 1.0);
        sheet.hline(m, ry, table_w, 0.35);
        sheet.hline(m, ry + 0.6, table_w, 0.2);
        sheet.text(rng, st, m + 3.0, ry + base, "合　計");
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
    if small {
        issuer_block(
            sheet,
            rng,
            look,
            &r.issuer,
            m + table_w + 6.0,
            table_top,
            r.sealed,
        );
    } else {
        issuer_block(
            sheet,
            rng,
            look,
            &r.issuer,
            right - 85.0,
            y + 10.0,
            r.sealed,
        );
    }
}

/// (2) A 市販の領収証 pad, filled in by hand.
fn pad_receipt(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
    let st = look.style();
    let hand = |size: f32| Style::handwritten(look.hand, size);
    let (m, w, h) = (8.0, look.w, look.h);
    // The printed form: a double frame.
    sheet.frame(m, m, w - 2.0 * m, h - 2.0 * m, 0.6);
    sheet.frame(m + 1.2, m + 1.2, w - 2.0 * m - 2.4, h - 2.0 * m - 2.4, 0.25);
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
    y += 11.0;
    sheet.text(rng, st.size(12.0), bx, y, "但し");
    let purpose = r.purpose.clone();
    sheet.text(rng, hand(13.0), bx + 11.0, y, &purpose);
    sheet.hline(bx + 10.0, y + 1.8, bw - 10.0, 0.2);
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
        sheet.text(rng, st.size(9.0), m + 7.0, ky + 4.8, "内訳");
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
        r.sealed,
    );
}

/// (3) A plain letter-style receipt: lines with leader dots.
fn letter_receipt(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
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
    sheet.text_right(rng, st, right, y + lh, &date_text(r.issued_on, look.dates));
    y += lh * 2.0;
    let honorific = if rng.random_bool(0.5) { "様" } else { "殿" };
    sheet.text(
        rng,
        st.size(look.body + 2.0),
        m,
        y,
        &format!("{}　{}", r.payer.full(), honorific),
    );
    y += lh;
    sheet.text(rng, st, m, y, "下記のとおり領収いたしました。");
    y += lh;
    sheet.text(rng, st, m, y, &format!("講座名　{}", r.course_name));
    y += lh;
    let col = m + 8.0;
    let amt_right = (col + 120.0).min(right - 10.0);
    if r.items.is_empty() {
        sheet.text(
            rng,
            st.size(look.body + 2.0),
            col,
            y,
            &format!("領収金額　{}", amount(r.total, AmountStyle::Kin)),
        );
        y += lh;
        sheet.text(rng, st, col, y, &format!("但し　{}", r.purpose));
    } else {
        for (i, it) in r.items.iter().enumerate() {
            let lw = sheet.text(rng, st, col, y, &it.label);
            let amt = format!("{}円", line_amount(it));
            let aw = sheet.width(st, &amt);
            sheet.dots(col + lw + 2.0, amt_right - aw - 2.0, y);
            match r
                .correction
                .as_ref()
                .filter(|c| c.target == CorrectionTarget::Item(i))
            {
                Some(c) => corrected(
                    sheet,
                    rng,
                    st,
                    amt_right,
                    y,
                    &format!("{}円", commas(c.old_amount)),
                    &amt,
                    c.sealed,
                    &c.stamp,
                    Fix::AboveRight,
                ),
                None => {
                    sheet.text_right(rng, st, amt_right, y, &amt);
                }
            }
            y += lh;
        }
        sheet.hline(col, y - lh * 0.55, amt_right - col, 0.25);
        let label = if rng.random_bool(0.5) {
            "合計"
        } else {
            "領収金額"
        };
        let lw = sheet.text(rng, st.size(look.body + 1.0), col, y, label);
        let tot = amount(r.total, look.amounts);
        let tw = sheet.width(st.size(look.body + 1.0), &tot);
        sheet.dots(col + lw + 2.0, amt_right - tw - 2.0, y);
        sheet.text_right(rng, st.size(look.body + 1.0), amt_right, y, &tot);
    }
    if let Some(note) = instalment_note(r) {
        y += lh;
        sheet.text(rng, st, col, y, &note);
    }
    y += lh * 1.2;
    let by = if look.h < 200.0 { y - lh } else { y + 6.0 };
    issuer_block(sheet, rng, look, &r.issuer, right - 88.0, by, r.sealed);
}

/// (4) A クレジット契約証明書: the course fees financed, and the credit company's fee apart.
fn credit_certificate(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, r: &ReceiptSpec) {
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
    let rows: Vec<(&str, String)> = vec![
        ("受講者氏名", format!("{}　様", r.payer.full())),
        ("講座名", r.course_name.clone()),
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

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

fn certificate(sheet: &mut Sheet, rng: &mut ChaCha8Rng, look: &Look, c: &CertificateSpec) {
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
    let title = if rng.random_bool(0.5) {
        "修了証明書"
    } else {
        "教育訓練修了証明書"
    };
    let title_st = st.size(rng.random_range(22.0..28.0)).track(3.0);
    sheet.text_center(rng, title_st, look.w / 2.0, y, title);
    y += 28.0;
    let completed_shown = match &c.correction {
        Some(x) if x.target == CorrectionTarget::CompletedOn => {
            Some(c.completed_on + Days::new(x.old_amount as u64))
        }
        _ => None,
    };
    let rows: [(&str, String); 5] = [
        ("氏　　名", c.trainee.full()),
        ("生年月日", date_text(c.birth_date, look.dates)),
        ("講 座 名", c.course_name.clone()),
        ("受講開始日", date_text(c.started_on, look.dates)),
        ("修 了 日", date_text(c.completed_on, look.dates)),
    ];
    let lx = m + 12.0;
    let vx = m + 58.0;
    let row_h = 16.0;
    if framed {
        sheet.frame(lx - 4.0, y - 10.0, right - lx - 4.0, row_h * 5.0, 0.35);
        sheet.vline(vx - 6.0, y - 10.0, row_h * 5.0, 0.25);
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
        sheet.text(rng, value_st, vx, ry, value);
    }
    y += row_h * 5.0 + 14.0;
    let subject = match c.issuer.corp_kind.as_str() {
        "学校法人" => "本校",
        "株式会社" => "当社",
        _ => "本会",
    };
    let course_word = if rng.random_bool(0.5) {
        "所定の課程"
    } else {
        "所定の教育訓練"
    };
    sheet.text(
        rng,
        st,
        lx,
        y,
        &format!("上記の者は、{subject}{course_word}を修了したことを証明します。"),
    );
    y += 18.0;
    sheet.text(rng, st, lx, y, &date_text(c.issued_on, look.dates));
    y += 14.0;
    issuer_block(sheet, rng, look, &c.issuer, right - 95.0, y, true);
}
