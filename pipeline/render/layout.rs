//! Lays filled-in blocks out on pages: measures text with the font's own advance widths, wraps
//! Japanese between any two characters (keeping 、。」） off the start of a line and 「（ off its
//! end, and Latin words and numbers whole), and flows paragraphs, list items and table rows onto a
//! next page when one is full (a table repeats its header there), breaking a block where no line
//! is left alone at the foot or the head of a page. Check boxes (☐ empty, ☑ ticked)
//! that the font has no glyph for (IPAex has neither) are drawn: a square, with a ✓ in it when
//! ticked, so a printed form shows boxes and `pdftotext` reads the ticks.
//!
//! Geometry only: what the text says is decided by `notice` (which fills the templates), and how it
//! becomes PDF operators is `pdf`. Coordinates here are points from the top-left corner of the
//! page; `pdf` turns them into PDF's bottom-left system. Layout is measurement, not money: the
//! floats here never touch an amount.

use printpdf::ParsedFont;

use super::template::{Align, FontStyle, Page};

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Where the glyphs of a line sit inside its box, as a share of the text size: IPAex and most
/// Japanese fonts put 0.88 em above the baseline and 0.12 em below.
const ASCENT: f32 = 0.88;

/// An empty check box, as templates write it.
pub const BOX_EMPTY: char = '☐';
/// A ticked check box, as templates write it.
pub const BOX_TICKED: char = '☑';
/// What is drawn inside a ticked box (IPAex has U+2713).
const TICK: &str = "✓";

/// One thing drawn on a page (points, from the top-left corner).
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    /// Text whose baseline starts at (`x`, `baseline`).
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        text: String,
    },
    /// A stroked rectangle whose top-left corner is (`x`, `y`).
    Rect { x: f32, y: f32, w: f32, h: f32 },
}

/// Advance widths from the font that will be embedded, so wrapping matches what is printed. Each
/// character's advance is looked up in the font once and remembered (a long table measures the
/// same few hundred characters hundreds of thousands of times).
pub struct Measure<'a> {
    font: &'a ParsedFont,
    units_per_em: f32,
    /// Advance in font units per character; `None` for a character the font lacks.
    advances: std::cell::RefCell<std::collections::HashMap<char, Option<u16>>>,
}

impl<'a> Measure<'a> {
    pub fn new(font: &'a ParsedFont) -> Self {
        let units = font.font_metrics.units_per_em;
        Measure {
            font,
            units_per_em: if units == 0 { 1000.0 } else { f32::from(units) },
            advances: Default::default(),
        }
    }

    /// Whether the font has a glyph for `c` (a missing one prints as an empty box).
    pub fn has_glyph(&self, c: char) -> bool {
        self.advance(c).is_some()
    }

    fn advance(&self, c: char) -> Option<u16> {
        *self.advances.borrow_mut().entry(c).or_insert_with(|| {
            self.font
                .lookup_glyph_index(c as u32)
                .map(|gid| self.font.get_horizontal_advance(gid))
        })
    }

    pub fn char_width(&self, c: char, size: f32) -> f32 {
        match self.advance(c) {
            Some(advance) => f32::from(advance) / self.units_per_em * size,
            // .notdef: assume a full-width box.
            None => size,
        }
    }

    pub fn width(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.char_width(c, size)).sum()
    }

    /// Breaks `text` (one paragraph, no line breaks) into lines: the first at most `first` wide,
    /// the others at most `rest`.
    pub fn wrap(&self, text: &str, size: f32, first: f32, rest: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        let limit = |n: usize| if n == 0 { first } else { rest };
        for token in tokens(text) {
            let w = self.width(&token, size);
            if line_w + w <= limit(lines.len()) + 0.01 {
                line.push_str(&token);
                line_w += w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            // A continuation line does not start with the space the break fell on.
            let token = token.trim_start_matches(' ');
            let w = self.width(token, size);
            if w <= limit(lines.len()) + 0.01 {
                line.push_str(token);
                line_w = w;
                continue;
            }
            // Longer than a whole line (a long number or URL): break it between characters.
            for c in token.chars() {
                let cw = self.char_width(c, size);
                if line_w + cw > limit(lines.len()) + 0.01 && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                line.push(c);
                line_w += cw;
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// Characters a line must not start with (行頭禁則).
fn no_line_start(c: char) -> bool {
    "、。，．,.・：；？！!?）」』】〕］｝〉》)]}ー゛゜ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻"
        .contains(c)
}

/// Characters a line must not end with (行末禁則).
fn no_line_end(c: char) -> bool {
    "（「『【〔［｛〈《([{".contains(c)
}

/// Splits text into the pieces a line may break between: one Japanese character, or one run of
/// Latin letters and digits (「59,400」「seed」「§1.5」), with 行頭/行末禁則 characters glued to their neighbour.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue_next = false;
    let mut prev_latin = false;
    for c in text.chars() {
        let latin = c.is_ascii_alphanumeric() || c == '§' || (prev_latin && ",.-/:%_".contains(c));
        let join = match out.last() {
            None => false,
            Some(_) if glue_next => true,
            Some(_) if no_line_start(c) => true,
            Some(_) => latin && prev_latin,
        };
        if join {
            if let Some(last) = out.last_mut() {
                last.push(c);
            }
        } else {
            out.push(c.to_string());
        }
        glue_next = no_line_end(c);
        prev_latin = latin;
    }
    out
}

/// The pages being filled, and where the next line goes.
pub struct Flow<'a> {
    measure: &'a Measure<'a>,
    pub font: &'a FontStyle,
    pub page: &'a Page,
    pages: Vec<Vec<Draw>>,
    /// Top of the next line, pt from the page top.
    y: f32,
    /// A frame being drawn: its left edge, width, and where it started on the current page.
    frame: Option<(f32, f32, f32)>,
}

impl<'a> Flow<'a> {
    pub fn new(measure: &'a Measure<'a>, font: &'a FontStyle, page: &'a Page) -> Self {
        Flow {
            measure,
            font,
            page,
            pages: vec![Vec::new()],
            y: page.margin_top_mm * PT_PER_MM,
            frame: None,
        }
    }

    pub fn left(&self) -> f32 {
        self.page.margin_left_mm * PT_PER_MM
    }

    pub fn right(&self) -> f32 {
        (self.page.width_mm - self.page.margin_right_mm) * PT_PER_MM
    }

    fn top(&self) -> f32 {
        self.page.margin_top_mm * PT_PER_MM
    }

    fn bottom(&self) -> f32 {
        (self.page.height_mm - self.page.margin_bottom_mm) * PT_PER_MM
    }

    pub fn line_height(&self, size: f32) -> f32 {
        size * self.font.line_height
    }

    fn frame_padding(&self) -> f32 {
        self.font.frame_padding_mm * PT_PER_MM
    }

    fn push(&mut self, draw: Draw) {
        if let Some(page) = self.pages.last_mut() {
            page.push(draw);
        }
    }

    /// Text at (`x`, `baseline`), with any check box the font lacks drawn instead of printed.
    fn push_text(&mut self, x: f32, baseline: f32, size: f32, text: &str) {
        let drawn = |c: char| (c == BOX_EMPTY || c == BOX_TICKED) && !self.measure.has_glyph(c);
        if !text.chars().any(drawn) {
            self.push(Draw::Text {
                x,
                baseline,
                size,
                text: text.to_string(),
            });
            return;
        }
        let mut run = String::new();
        let mut run_x = x;
        let mut cursor = x;
        for c in text.chars() {
            let w = self.measure.char_width(c, size);
            if !drawn(c) {
                run.push(c);
                cursor += w;
                continue;
            }
            if !run.is_empty() {
                self.push(Draw::Text {
                    x: run_x,
                    baseline,
                    size,
                    text: std::mem::take(&mut run),
                });
            }
            // A square of 0.7 em centred in the character cell (which spans 0.88 em above the
            // baseline and 0.12 em below it).
            let side = 0.7 * size;
            let centre_x = cursor + w / 2.0;
            let centre_y = baseline - (ASCENT - 0.5) * size;
            self.push(Draw::Rect {
                x: centre_x - side / 2.0,
                y: centre_y - side / 2.0,
                w: side,
                h: side,
            });
            if c == BOX_TICKED {
                let tick = 0.8 * size;
                let tw = self.measure.width(TICK, tick);
                self.push(Draw::Text {
                    x: centre_x - tw / 2.0,
                    baseline: centre_y + (ASCENT - 0.5) * tick,
                    size: tick,
                    text: TICK.to_string(),
                });
            }
            cursor += w;
            run_x = cursor;
        }
        if !run.is_empty() {
            self.push(Draw::Text {
                x: run_x,
                baseline,
                size,
                text: run,
            });
        }
    }

    fn new_page(&mut self) {
        let framed = self.frame.take();
        if let Some((x, w, start)) = framed {
            let pad = self.frame_padding();
            self.push(Draw::Rect {
                x,
                y: start,
                w,
                h: self.y + pad - start,
            });
        }
        self.pages.push(Vec::new());
        self.y = self.top();
        if let Some((x, w, _)) = framed {
            self.frame = Some((x, w, self.y));
            self.y += self.frame_padding();
        }
    }

    /// Makes room for `h` points, starting a new page if the current one is full.
    fn ensure(&mut self, h: f32) {
        let pad = if self.frame.is_some() {
            self.frame_padding()
        } else {
            0.0
        };
        if self.y + h + pad > self.bottom() + 0.01 && self.y > self.top() + pad + 0.01 {
            self.new_page();
        }
    }

    /// Starts a new page unless `lines` lines of `size` (plus a table row's padding each) still
    /// fit: keeps a heading with what follows it.
    pub fn keep_lines(&mut self, lines: usize, size: f32) {
        let pad = 2.0 * self.font.cell_padding_mm * PT_PER_MM;
        self.ensure(lines as f32 * (self.line_height(size) + pad));
    }

    pub fn space(&mut self, mm: f32) {
        self.y += mm * PT_PER_MM;
        if self.y > self.bottom() {
            self.new_page();
        }
    }

    /// Starts a frame around what follows; the text width shrinks by the padding on each side.
    pub fn begin_frame(&mut self) {
        let pad = self.frame_padding();
        self.ensure(pad * 2.0 + self.line_height(self.font.body_pt));
        self.frame = Some((self.left(), self.right() - self.left(), self.y));
        self.y += pad;
    }

    pub fn end_frame(&mut self) {
        if let Some((x, w, start)) = self.frame.take() {
            let pad = self.frame_padding();
            self.y += pad;
            self.push(Draw::Rect {
                x,
                y: start,
                w,
                h: self.y - start,
            });
        }
    }

    /// The text area's left edge and width, inside any frame.
    pub fn text_area(&self) -> (f32, f32) {
        let inset = if self.frame.is_some() {
            self.frame_padding()
        } else {
            0.0
        };
        (
            self.left() + inset,
            self.right() - self.left() - 2.0 * inset,
        )
    }

    /// One line of text at `x`, moving down a line.
    fn line(&mut self, x: f32, size: f32, text: String) {
        let lh = self.line_height(size);
        self.ensure(lh);
        let baseline = self.y + (lh - size) / 2.0 + size * ASCENT;
        if !text.is_empty() {
            self.push_text(x, baseline, size, &text);
        }
        self.y += lh;
    }

    /// A paragraph: `indent` and `hang` are in em of `size`.
    pub fn paragraph(&mut self, text: &str, size: f32, align: Align, indent: f32, hang: f32) {
        self.paragraphs(&[text], size, align, indent, hang);
    }

    /// The lines of `paragraphs` wrapped and placed: (x, text, which paragraph).
    fn wrap_paragraphs(
        &self,
        paragraphs: &[&str],
        size: f32,
        align: Align,
        indent: f32,
        hang: f32,
    ) -> Vec<(f32, String, usize)> {
        let (left, width) = self.text_area();
        let indent = indent * size;
        let hang = hang * size;
        let mut out = Vec::new();
        for (p, text) in paragraphs.iter().enumerate() {
            let lines = self.measure.wrap(
                text,
                size,
                width - indent,
                (width - indent - hang).max(size),
            );
            for (i, line) in lines.into_iter().enumerate() {
                let lw = self.measure.width(&line, size);
                let x = match align {
                    Align::Left => left + indent + if i == 0 { 0.0 } else { hang },
                    Align::Center => left + (width - lw) / 2.0,
                    Align::Right => left + width - lw,
                };
                out.push((x, line, p));
            }
        }
        out
    }

    /// Paragraphs set as one block (a text of a template, whose line breaks start paragraphs),
    /// breaking pages as [`Flow::set_lines`] does.
    pub fn paragraphs(
        &mut self,
        paragraphs: &[&str],
        size: f32,
        align: Align,
        indent: f32,
        hang: f32,
    ) {
        let lines = self.wrap_paragraphs(paragraphs, size, align, indent, hang);
        self.set_lines(&lines, size, None);
    }

    /// How many lines the paragraphs take (to keep a heading with what follows it).
    pub fn count_lines(&self, paragraphs: &[&str], size: f32, indent: f32, hang: f32) -> usize {
        self.wrap_paragraphs(paragraphs, size, Align::Left, indent, hang)
            .len()
    }

    /// A list item: `marker` on the first line, the text hanging beside it.
    pub fn item(&mut self, marker: &str, text: &str, size: f32, indent: f32) {
        let (left, width) = self.text_area();
        let x = left + indent * size;
        let mw = self.measure.width(marker, size);
        let avail = (width - indent * size - mw).max(size);
        let lines: Vec<(f32, String, usize)> = self
            .measure
            .wrap(text, size, avail, avail)
            .into_iter()
            .map(|line| (x + mw, line, 0))
            .collect();
        let marker = (!marker.is_empty()).then_some((x, marker));
        self.set_lines(&lines, size, marker);
    }

    /// How many lines of height `lh` still fit on this page.
    fn lines_that_fit(&self, lh: f32) -> usize {
        let pad = if self.frame.is_some() {
            self.frame_padding()
        } else {
            0.0
        };
        let room = self.bottom() + 0.01 - pad - self.y;
        if room < lh {
            0
        } else {
            (room / lh).floor() as usize
        }
    }

    /// Whether nothing has been set on this page yet (a break here would leave an empty page).
    fn at_page_top(&self) -> bool {
        let pad = if self.frame.is_some() {
            self.frame_padding()
        } else {
            0.0
        };
        self.y <= self.top() + pad + 0.01
    }

    /// Sets the lines of one block — (x, text, paragraph) — with `marker` (x, text) beside the
    /// first. Where the block does not fit, the page breaks where it leaves no line alone: at
    /// least two lines of the block go on to the next page (so no page of a notice holds a single
    /// line of its own), and a paragraph broken across pages keeps at least two lines on each
    /// side (no 孤立行 at the foot, none at the head). Without such a place the block starts on
    /// the next page; a block longer than a page still breaks as well as it can.
    fn set_lines(
        &mut self,
        lines: &[(f32, String, usize)],
        size: f32,
        marker: Option<(f32, &str)>,
    ) {
        let lh = self.line_height(size);
        let mut start = 0;
        while start < lines.len() {
            let rest = &lines[start..];
            let fit = self.lines_that_fit(lh);
            let take = if fit >= rest.len() {
                rest.len()
            } else {
                match (1..=fit.min(rest.len()))
                    .rev()
                    .find(|&j| can_break(rest, j))
                {
                    Some(j) => j,
                    None if self.at_page_top() => fit.max(1),
                    None => 0,
                }
            };
            if take == 0 {
                self.new_page();
                continue;
            }
            for (i, (x, text, _)) in rest[..take].iter().enumerate() {
                if let (0, 0, Some((mx, m))) = (start, i, marker) {
                    self.ensure(lh);
                    let baseline = self.y + (lh - size) / 2.0 + size * ASCENT;
                    self.push_text(mx, baseline, size, m);
                }
                self.line(*x, size, text.clone());
            }
            start += take;
            if start < lines.len() {
                self.new_page();
            }
        }
    }

    /// Starts a new page unless `lines` lines of `size` still fit: keeps a heading on the page of
    /// the lines that follow it.
    pub fn keep_with_next(&mut self, lines: usize, size: f32) {
        self.ensure(lines as f32 * self.line_height(size));
    }

    /// A ruled table: `header` then `rows`, each a cell per column; `widths` are shares of the
    /// width. A row that does not fit goes to the next page under a repeated header. A line break
    /// in a cell starts a new line; a header of empty cells is not drawn.
    pub fn table(
        &mut self,
        header: &[String],
        rows: &[Vec<String>],
        widths: &[u32],
        aligns: &[Align],
        size: f32,
        indent: f32,
    ) {
        let (left, width) = self.text_area();
        let x0 = left + indent * size;
        let width = width - indent * size;
        let total: u32 = widths.iter().sum::<u32>().max(1);
        let mut xs = Vec::with_capacity(widths.len());
        let mut x = x0;
        for w in widths {
            let cw = width * *w as f32 / total as f32;
            xs.push((x, cw));
            x += cw;
        }
        let pad = self.font.cell_padding_mm * PT_PER_MM;
        let lh = self.line_height(size);
        let wrap_row = |cells: &[String]| -> Vec<Vec<String>> {
            cells
                .iter()
                .zip(&xs)
                .map(|(text, (_, cw))| {
                    let avail = (cw - 2.0 * pad).max(size);
                    text.split('\n')
                        .flat_map(|p| self.measure.wrap(p, size, avail, avail))
                        .collect()
                })
                .collect()
        };
        let has_header = header.iter().any(|h| !h.is_empty());
        let header_cells = wrap_row(header);
        let header_h = if has_header {
            row_height(&header_cells, lh, pad)
        } else {
            0.0
        };
        let max_lines =
            (((self.bottom() - self.top() - header_h - 2.0 * pad) / lh).floor() as usize).max(1);

        self.ensure(header_h + lh + 2.0 * pad);
        if has_header {
            self.draw_row(
                &xs,
                &header_cells,
                &[Align::Center].repeat(xs.len()),
                size,
                pad,
            );
        }
        for row in rows {
            let mut cells = wrap_row(row);
            // A row taller than a page is cut into pieces that each fit.
            loop {
                let rest: Vec<Vec<String>> = cells
                    .iter_mut()
                    .map(|c| c.split_off(c.len().min(max_lines)))
                    .collect();
                let h = row_height(&cells, lh, pad);
                if self.y + h > self.bottom() + 0.01 {
                    self.new_page();
                    if has_header {
                        self.draw_row(
                            &xs,
                            &header_cells,
                            &[Align::Center].repeat(xs.len()),
                            size,
                            pad,
                        );
                    }
                }
                self.draw_row(&xs, &cells, aligns, size, pad);
                if rest.iter().all(|c| c.is_empty()) {
                    break;
                }
                cells = rest;
            }
        }
    }

    fn draw_row(
        &mut self,
        xs: &[(f32, f32)],
        cells: &[Vec<String>],
        aligns: &[Align],
        size: f32,
        pad: f32,
    ) {
        let lh = self.line_height(size);
        let h = row_height(cells, lh, pad);
        let top = self.y;
        for (i, ((x, cw), lines)) in xs.iter().zip(cells).enumerate() {
            self.push(Draw::Rect {
                x: *x,
                y: top,
                w: *cw,
                h,
            });
            let align = aligns.get(i).copied().unwrap_or_default();
            for (j, line) in lines.iter().enumerate() {
                let lw = self.measure.width(line, size);
                let tx = match align {
                    Align::Left => x + pad,
                    Align::Center => x + (cw - lw) / 2.0,
                    Align::Right => x + cw - pad - lw,
                };
                let baseline = top + pad + j as f32 * lh + (lh - size) / 2.0 + size * ASCENT;
                if !line.is_empty() {
                    self.push_text(tx, baseline, size, line);
                }
            }
        }
        self.y = top + h;
    }

    /// Adds `draw(page_index, page_count)` to every page, then returns the pages.
    pub fn finish(mut self, decorate: &dyn Fn(usize, usize) -> Vec<Draw>) -> Vec<Vec<Draw>> {
        self.end_frame();
        let count = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            page.extend(decorate(i, count));
        }
        self.pages
    }
}

/// Whether a block's `lines` (x, text, paragraph) may break before line `j`: at least two lines
/// of the block follow, and a paragraph cut there keeps at least two lines on each side.
fn can_break(lines: &[(f32, String, usize)], j: usize) -> bool {
    if j == 0 || lines.len() < j + 2 {
        return false;
    }
    let para = lines[j].2;
    if lines[j - 1].2 != para {
        return true;
    }
    let before = lines[..j].iter().filter(|l| l.2 == para).count();
    let after = lines[j..].iter().filter(|l| l.2 == para).count();
    before >= 2 && after >= 2
}

fn row_height(cells: &[Vec<String>], lh: f32, pad: f32) -> f32 {
    cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * pad
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::template::Style;

    fn ipaex() -> ParsedFont {
        let bytes = std::fs::read("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf").unwrap();
        ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).unwrap()
    }

    /// Sets `before` one-line blocks, then one block of `paragraphs` (lines per paragraph), with
    /// `room` lines left on the first page; returns the lines of the block on each page.
    fn block_after(room: usize, paragraphs: &[usize]) -> Vec<usize> {
        let font = ipaex();
        let m = Measure::new(&font);
        let style: Style = toml::from_str("").unwrap();
        let mut flow = Flow::new(&m, &style.font, &style.page);
        let size = style.font.body_pt;
        let before = flow.lines_that_fit(flow.line_height(size)) - room;
        for i in 0..before {
            flow.set_lines(&[(0.0, format!("前{i}"), 0)], size, None);
        }
        assert_eq!(flow.lines_that_fit(flow.line_height(size)), room);
        let lines: Vec<(f32, String, usize)> = paragraphs
            .iter()
            .enumerate()
            .flat_map(|(p, n)| (0..*n).map(move |i| (0.0, format!("段{p}行{i}"), p)))
            .collect();
        flow.set_lines(&lines, size, None);
        flow.finish(&|_, _| Vec::new())
            .iter()
            .map(|page| {
                page.iter()
                    .filter(|d| matches!(d, Draw::Text { text, .. } if text.starts_with('段')))
                    .count()
            })
            .collect()
    }

    /// Where a block breaks across pages: never a single line of it alone on a page, never one
    /// line of a paragraph alone at the foot or the head of a page.
    #[test]
    fn a_page_break_leaves_no_line_alone() {
        #[rustfmt::skip]
        let table: &[(&str, usize, &[usize], &[usize])] = &[
            // case, lines left on the page, lines of each paragraph, lines of the block per page
            ("fits",                                   3, &[3],    &[3]),
            ("3 lines, 2 fit: all go over (no widow)", 2, &[3],    &[0, 3]),
            ("2 lines, 1 fits: both go over (orphan)", 1, &[2],    &[0, 2]),
            ("5 lines, 4 fit: 3 stay, 2 go over",      4, &[5],    &[3, 2]),
            ("4 lines, 2 fit: 2 and 2",                2, &[4],    &[2, 2]),
            ("two 1-line paragraphs, 1 fits: both go", 1, &[1, 1], &[0, 2]),
            ("1 + 3 lines, 2 fit: the 1 stays",        2, &[1, 3], &[1, 3]),
            ("3 + 3 lines, 4 fit: break between",      4, &[3, 3], &[3, 3]),
        ];
        for (case, room, paragraphs, want) in table {
            let got = block_after(*room, paragraphs);
            assert_eq!(&got[got.len() - want.len()..], *want, "{case}: {got:?}");
        }
    }

    #[test]
    fn tokens_keep_numbers_whole_and_apply_kinsoku() {
        let t = tokens("金59,400円を支給します。（seed 003）");
        assert!(t.contains(&"59,400".to_string()), "{t:?}");
        assert!(
            t.contains(&"す。".to_string()),
            "句点 stays with its character: {t:?}"
        );
        assert!(
            t.contains(&"（seed".to_string()),
            "opening bracket glued forward: {t:?}"
        );
        assert!(
            t.contains(&"003）".to_string()),
            "closing bracket glued back: {t:?}"
        );
        assert_eq!(t.concat(), "金59,400円を支給します。（seed 003）");
    }

    #[test]
    fn wrapping_fits_the_width_keeps_every_character_and_no_line_starts_with_a_comma() {
        let bytes = std::fs::read("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf").unwrap();
        let font = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).unwrap();
        let m = Measure::new(&font);
        let text = "この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して3か月以内に、\
                    さくら市長に対して審査請求をすることができます（行政不服審査法第18条第1項）。";
        // Widths of 10 to 30 characters put a break before 、。） at some width.
        for chars in 10..=30 {
            let width = 10.5 * chars as f32;
            let lines = m.wrap(text, 10.5, width, width);
            assert_eq!(lines.concat(), text, "width {chars}");
            for line in &lines {
                let first = line.chars().next().unwrap();
                assert!(
                    !no_line_start(first),
                    "width {chars}: line starts with {first}: {lines:?}"
                );
                let last = line.chars().last().unwrap();
                assert!(
                    !no_line_end(last),
                    "width {chars}: line ends with {last}: {lines:?}"
                );
                // 禁則 moves a character to the next line; it never pushes one past the edge.
                assert!(m.width(line, 10.5) <= width + 0.01, "width {chars}: {line}");
            }
        }
    }
}
