//! What each document looks like on paper: the shared parts of every layout (the page's look,
//! dates and amounts as institutions write them, the issuer's block with its seal, corrections) and
//! the dispatch to the eight receipt layouts (`receipts.rs`, `forms.rs`) and the four 修了証明書
//! layouts (`certificates.rs`).
//!
//! The typeface and the wording come from the spec (`plan.rs`); sizes, margins, 和暦 or 西暦 and how
//! an amount is written (¥99,000- / 金99,000円也 / ９９，０００円) are chosen here from the page's
//! RNG. The facts come from `gen.rs` and are printed exactly. Called by `Submission::render`.

use chrono::{Datelike, Days, NaiveDate};
use image::{Rgb, RgbImage};
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::paint::{Face, Fonts, Sheet, Style};
use super::scan::{Capture, ScanParams};
use super::{certificates, forms, receipts};
use super::{
    wareki, CorrectionTarget, DocSpec, Institution, ItemCategory, LineItem, ReceiptLayout,
    ReceiptSpec,
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
    match doc {
        DocSpec::Receipt(r) => {
            let look = Look::random(rng, w, h, r.face, r.hand, r.wording.corp_space);
            match r.layout {
                ReceiptLayout::Table => receipts::table(&mut sheet, rng, &look, r),
                ReceiptLayout::Pad => receipts::pad(&mut sheet, rng, &look, r),
                ReceiptLayout::Letter => receipts::letter(&mut sheet, rng, &look, r),
                ReceiptLayout::Credit => receipts::credit(&mut sheet, rng, &look, r),
                ReceiptLayout::Till => forms::till(&mut sheet, rng, &look, r),
                ReceiptLayout::TwoColumn => forms::two_column(&mut sheet, rng, &look, r),
                ReceiptLayout::Statement => forms::statement(&mut sheet, rng, &look, r),
                ReceiptLayout::Invoice => forms::invoice(&mut sheet, rng, &look, r),
            }
            if scan.capture == Capture::Fax {
                fax_header(&mut sheet, rng, r.issued_on, &r.issuer);
            }
        }
        DocSpec::Certificate(c) => {
            let look = Look::random(rng, w, h, c.face, Face::Klee, c.wording.corp_space);
            certificates::draw(&mut sheet, rng, &look, c);
            if scan.capture == Capture::Fax {
                fax_header(&mut sheet, rng, c.issued_on, &c.issuer);
            }
        }
    }
    sheet
}

/// The line a fax machine prints across the top: when it was sent, from which number, the page.
fn fax_header(sheet: &mut Sheet, rng: &mut ChaCha8Rng, on: NaiveDate, inst: &Institution) {
    let sent = on + Days::new(rng.random_range(0..=6));
    let text = format!(
        "{}/{:02}/{:02} {:02}:{:02}  FROM {}  P.01/01",
        sent.year(),
        sent.month(),
        sent.day(),
        rng.random_range(8..19),
        rng.random_range(0..60),
        inst.phone
    );
    sheet.text(rng, Style::new(Face::IpaGothic, 7.5), 6.0, 4.5, &text);
}

/// The printing choices of one document.
pub struct Look {
    pub face: Face,
    pub hand: Face,
    pub body: f32,
    pub margin: f32,
    pub w: f32,
    pub h: f32,
    pub dates: DateStyle,
    pub amounts: AmountStyle,
    /// A space after the 法人格 (「学校法人 若葉台学園」).
    pub corp_space: bool,
    pub round_seal: bool,
}

impl Look {
    fn random(
        rng: &mut ChaCha8Rng,
        w: f32,
        h: f32,
        face: Face,
        hand: Face,
        corp_space: bool,
    ) -> Look {
        let small = h < 200.0 || w < 160.0;
        Look {
            face,
            hand,
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
            corp_space,
            round_seal: rng.random_bool(0.5),
        }
    }

    pub fn style(&self) -> Style {
        Style::new(self.face, self.body)
    }

    pub fn right(&self) -> f32 {
        self.w - self.margin
    }

    /// The line height of body text, mm.
    pub fn line(&self) -> f32 {
        self.body * 0.3528 * 1.6
    }
}

#[derive(Debug, Clone, Copy)]
pub enum DateStyle {
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
pub enum AmountStyle {
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

pub fn commas(n: i64) -> String {
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
pub fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
            ',' => '，',
            _ => c,
        })
        .collect()
}

pub fn amount(n: i64, style: AmountStyle) -> String {
    match style {
        AmountStyle::Yen => format!("¥{}", commas(n)),
        AmountStyle::YenDash => format!("￥{}-", commas(n)),
        AmountStyle::En => format!("{}円", commas(n)),
        AmountStyle::Kin => format!("金{}円也", commas(n)),
        AmountStyle::FullWidth => format!("{}円", full_width(&commas(n))),
    }
}

pub fn date_text(d: NaiveDate, style: DateStyle) -> String {
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
pub fn line_amount(i: &LineItem) -> String {
    if i.category == ItemCategory::Subsidy {
        format!("△{}", commas(i.amount))
    } else {
        commas(i.amount)
    }
}

pub fn corp_line(inst: &Institution, look: &Look) -> String {
    inst.printed_name(if look.corp_space { " " } else { "" })
}

/// The issuer's block (法人名, school, address, 代表者) with its seal; `x`,`y` top-left, mm.
/// Returns the y below it.
pub fn issuer_block(
    sheet: &mut Sheet,
    rng: &mut ChaCha8Rng,
    look: &Look,
    inst: &Institution,
    x: f32,
    y: f32,
    sealed: bool,
) -> f32 {
    let st = look.style();
    let lh = look.line();
    let mut yy = y + lh;
    let name_st = st.size(look.body + 1.5);
    let full = corp_line(inst, look);
    // A long 法人名 that would run off the paper is set on two lines, the 法人格 first.
    let name_w = if sheet.width(name_st, &full) > look.w - x - 3.0
        && !inst.corp_kind.is_empty()
        && !inst.corp_after
    {
        sheet.text(rng, st, x, yy, &inst.corp_kind);
        yy += lh;
        sheet.text(rng, name_st, x, yy, &inst.corp_name)
    } else {
        sheet.text(rng, name_st, x, yy, &full)
    };
    let name_y = yy;
    if let Some(school) = &inst.school {
        yy += lh * 1.1;
        sheet.text(rng, st.size(look.body + 0.5), x, yy, school);
    }
    yy += lh;
    let postcode = if rng.random_bool(0.4) {
        format!(
            "〒{}-{:04}　",
            rng.random_range(300..399),
            rng.random_range(0..10000)
        )
    } else {
        String::new()
    };
    let small = st.size(look.body - 1.5);
    sheet.text(rng, small, x, yy, &format!("{postcode}{}", inst.address));
    yy += lh * 0.9;
    let phone = if rng.random_bool(0.5) {
        format!("TEL {}", inst.phone)
    } else {
        format!("電話 {}", inst.phone)
    };
    sheet.text(rng, small, x, yy, &phone);
    yy += lh;
    // The head's line: 「代表取締役　山田 一郎」, or the title on a line of its own.
    let rep_w = if rng.random_bool(0.25) {
        sheet.text(rng, small, x, yy, &inst.rep_title);
        yy += lh;
        sheet.text(rng, st, x + 4.0, yy, &inst.rep.full()) + 4.0
    } else {
        sheet.text(
            rng,
            st,
            x,
            yy,
            &format!("{}　{}", inst.rep_title, inst.rep.full()),
        )
    };
    if sealed {
        // Where real seals go: over the end of the institution's name (角印), or beside the
        // representative's name (丸印), overlapping it.
        if look.round_seal {
            let d = rng.random_range(15.0..19.0);
            let cx = x + rep_w + d * rng.random_range(0.0..0.5);
            stamp(sheet, rng, look, inst, cx, yy - look.body * 0.18, Some(d));
        } else {
            let s = rng.random_range(18.0..23.0);
            let cx = x + name_w - s * rng.random_range(0.1..0.5);
            let cy = name_y + rng.random_range(0.0..4.0);
            stamp(sheet, rng, look, inst, cx, cy, Some(s));
        }
    }
    yy + lh
}

/// The institution's 領収印 centred at (cx, cy), round or square as the look says, over whatever
/// is printed there; `size` mm or a usual one.
pub fn stamp(
    sheet: &mut Sheet,
    rng: &mut ChaCha8Rng,
    look: &Look,
    inst: &Institution,
    cx: f32,
    cy: f32,
    size: Option<f32>,
) {
    let chars = inst.seal_chars();
    let face = if rng.random_bool(0.5) {
        Face::IpaexMincho
    } else {
        Face::NotoSerif
    };
    if look.round_seal {
        let d = size.unwrap_or_else(|| rng.random_range(15.0..19.0));
        sheet.round_seal(rng, cx, cy, d, &chars, face);
    } else {
        let s = size.unwrap_or_else(|| rng.random_range(18.0..23.0));
        sheet.square_seal(rng, cx, cy, s, &chars, face);
    }
}

/// Splits `text` into lines no wider than `width` mm (Japanese breaks anywhere).
pub fn wrap(sheet: &Sheet, style: Style, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        line.push(c);
        if sheet.width(style, &line) > width {
            line.pop();
            lines.push(std::mem::take(&mut line));
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The purpose line(s) after 「但し」 (the second indented under the first); returns the y of the
/// last line.
pub fn purpose(
    sheet: &mut Sheet,
    rng: &mut ChaCha8Rng,
    st: Style,
    r: &ReceiptSpec,
    x: f32,
    y: f32,
    lh: f32,
) -> f32 {
    let mut y = y;
    let head = "但し　";
    let indent = sheet.width(st, head);
    // What does not fit before the paper's edge goes on under itself.
    let room = sheet.width_mm() - x - indent - 5.0;
    let lines: Vec<String> = r
        .wording
        .purpose_lines(&r.course_name)
        .iter()
        .flat_map(|l| wrap(sheet, st, l, room))
        .collect();
    let mut first = true;
    for line in lines {
        if first {
            sheet.text(rng, st, x, y, &format!("{head}{line}"));
            first = false;
        } else {
            y += lh;
            sheet.text(rng, st, x + indent, y, &line);
        }
    }
    y
}

/// The instalment note (「分割 第1回／全2回」).
pub fn instalment_note(r: &ReceiptSpec) -> Option<String> {
    r.instalment
        .map(|(n, of)| format!("（分割納入 第{n}回／全{of}回）"))
}

/// Where the right value of a correction is written.
#[derive(Clone, Copy, PartialEq)]
pub enum Fix {
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
pub fn corrected(
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

/// Draws the receipt's total as `shown` writes it, ending at `right`: struck through with the right
/// value above if the receipt's correction is on the total. Returns the width drawn.
#[allow(clippy::too_many_arguments)]
pub fn total_at(
    sheet: &mut Sheet,
    rng: &mut ChaCha8Rng,
    r: &ReceiptSpec,
    st: Style,
    right: f32,
    y: f32,
    shown: impl Fn(i64) -> String,
) -> f32 {
    let text = shown(r.total);
    match r
        .correction
        .as_ref()
        .filter(|c| c.target == CorrectionTarget::Total)
    {
        Some(c) => {
            let old = shown(c.old_amount);
            corrected(
                sheet,
                rng,
                st,
                right,
                y,
                &old,
                &text,
                c.sealed,
                &c.stamp,
                Fix::AboveRight,
            );
            sheet.width(st, &old)
        }
        None => sheet.text_right(rng, st, right, y, &text),
    }
}

/// Draws breakdown line `i`'s amount as `shown` writes it, ending at `right`, corrected (placed as
/// `fix` says) if the receipt's correction is on it.
#[allow(clippy::too_many_arguments)]
pub fn item_at(
    sheet: &mut Sheet,
    rng: &mut ChaCha8Rng,
    r: &ReceiptSpec,
    i: usize,
    st: Style,
    right: f32,
    y: f32,
    fix: Fix,
    shown: impl Fn(&str) -> String,
) {
    let text = shown(&line_amount(&r.items[i]));
    match r
        .correction
        .as_ref()
        .filter(|c| c.target == CorrectionTarget::Item(i))
    {
        Some(c) => corrected(
            sheet,
            rng,
            st,
            right,
            y,
            &shown(&commas(c.old_amount)),
            &text,
            c.sealed,
            &c.stamp,
            fix,
        ),
        None => {
            sheet.text_right(rng, st, right, y, &text);
        }
    }
}
