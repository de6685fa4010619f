//! Template + filled values → PDF bytes: walks a template's blocks into the layout, adds the stamp
//! and footer to every page and writes the PDF. Shared by every document kyufu prints from a
//! template: the notices (`notice`), the 支給予定表 and the plans (`crate::plans`).
//!
//! It knows nothing of decisions or plans: the caller fills a [`Context`] (placeholder values,
//! conditions, the rows of each source) and gives the identity the PDF's `/ID` derives from, so
//! the same input gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use super::layout::{Draw, Flow, Measure, PT_PER_MM};
use super::template::{fill, Block, DocumentTemplate, Size, Source, Style};
use super::{pdf, RenderError, Templates};

/// One row of a list or table: placeholder name → text.
pub type Row = BTreeMap<&'static str, String>;

/// Everything a template can print for one document.
#[derive(Debug, Default)]
pub struct Context {
    /// Placeholder values; a placeholder the template may use but the caller did not set prints
    /// empty (the names were checked when the templates were loaded).
    pub globals: BTreeMap<&'static str, String>,
    /// The conditions that hold (`when = [...]`).
    pub flags: BTreeSet<&'static str>,
    /// The rows of each source; a source without rows is empty.
    pub rows: BTreeMap<Source, Vec<Row>>,
}

impl Context {
    pub fn global(&self, name: &str) -> Option<String> {
        Some(self.globals.get(name).cloned().unwrap_or_default())
    }

    pub fn fill(&self, text: &str) -> String {
        fill(text, &|n| self.global(n))
    }

    fn fill_row(&self, text: &str, row: &Row) -> String {
        fill(text, &|n| row.get(n).cloned().or_else(|| self.global(n)))
    }

    fn holds(&self, when: &[String]) -> bool {
        when.iter().all(|c| match c.strip_prefix('!') {
            Some(name) => !self.flags.contains(name),
            None => self.flags.contains(c.as_str()),
        })
    }

    fn rows(&self, source: Source) -> &[Row] {
        self.rows.get(&source).map_or(&[], Vec::as_slice)
    }

    /// Sets each flag that is on.
    pub fn set_flags(&mut self, flags: impl IntoIterator<Item = (&'static str, bool)>) {
        for (name, on) in flags {
            if on {
                self.flags.insert(name);
            }
        }
    }

    /// Numbers rows from 1 (`{n}`) and stores them under `source`.
    pub fn set_rows(&mut self, source: Source, rows: impl IntoIterator<Item = Row>) {
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, mut row)| {
                row.insert("n", (i + 1).to_string());
                row
            })
            .collect();
        self.rows.insert(source, rows);
    }
}

/// A row from pairs.
pub fn row<const N: usize>(pairs: [(&'static str, String); N]) -> Row {
    pairs.into_iter().collect()
}

/// Walks `blocks` into the flow; stamps are collected to be drawn on every page at the end.
fn lay_out(
    flow: &mut Flow,
    blocks: &[Block],
    ctx: &Context,
    style: &Style,
    stamps: &mut Vec<String>,
    in_frame: bool,
) {
    let size_pt = |s: Size| match s {
        Size::Body => style.font.body_pt,
        Size::Title => style.font.title_pt,
        Size::Small => style.font.small_pt,
    };
    for block in blocks {
        match block {
            Block::Text(b) if ctx.holds(&b.when) => {
                flow.space(b.space_before_mm);
                let text = ctx.fill(&b.text);
                let paragraphs: Vec<&str> = text.split('\n').collect();
                let size = size_pt(b.size);
                if b.keep_with_next {
                    let own = flow.count_lines(&paragraphs, size, b.indent, b.hang);
                    flow.keep_with_next(own + 2, size.max(style.font.body_pt));
                }
                flow.paragraphs(&paragraphs, size, b.align, b.indent, b.hang);
            }
            Block::Stamp(b) if ctx.holds(&b.when) => stamps.push(ctx.fill(&b.text)),
            Block::List(b) if ctx.holds(&b.when) => {
                let rows = ctx.rows(b.source);
                if rows.is_empty() && b.empty.is_empty() {
                    continue;
                }
                let size = size_pt(b.size);
                flow.space(b.space_before_mm);
                if !b.heading.is_empty() {
                    // The heading and the first two lines stay together.
                    flow.keep_with_next(3, size);
                    flow.paragraph(&ctx.fill(&b.heading), size, Default::default(), 0.0, 0.0);
                }
                if rows.is_empty() {
                    flow.paragraph(&ctx.fill(&b.empty), size, Default::default(), b.indent, 0.0);
                }
                for row in rows {
                    flow.item(
                        &ctx.fill_row(&b.marker, row),
                        &ctx.fill_row(&b.item, row),
                        size,
                        b.indent,
                    );
                }
            }
            Block::Table(b) if ctx.holds(&b.when) => {
                let mut cells: Vec<Vec<String>> = match b.source {
                    Some(source) => ctx
                        .rows(source)
                        .iter()
                        .map(|row| {
                            b.columns
                                .iter()
                                .map(|c| ctx.fill_row(&c.cell, row))
                                .collect()
                        })
                        .collect(),
                    None => b
                        .rows
                        .iter()
                        .map(|r| r.iter().map(|cell| ctx.fill(cell)).collect())
                        .collect(),
                };
                if cells.is_empty() && b.empty.is_empty() && b.min_rows == 0 {
                    continue;
                }
                let size = size_pt(b.size);
                flow.space(b.space_before_mm);
                if !b.heading.is_empty() {
                    // The heading, the header row and a first row stay together.
                    flow.keep_lines(3, size);
                    flow.paragraph(&ctx.fill(&b.heading), size, Default::default(), 0.0, 0.0);
                }
                if cells.is_empty() && b.min_rows == 0 {
                    flow.paragraph(&ctx.fill(&b.empty), size, Default::default(), b.indent, 0.0);
                    continue;
                }
                while cells.len() < b.min_rows {
                    cells.push(vec![String::new(); b.columns.len()]);
                }
                let header: Vec<String> = b.columns.iter().map(|c| ctx.fill(&c.header)).collect();
                let widths: Vec<u32> = b.columns.iter().map(|c| c.width).collect();
                let aligns: Vec<_> = b.columns.iter().map(|c| c.align).collect();
                flow.table(&header, &cells, &widths, &aligns, size, b.indent);
            }
            Block::Space(b) => flow.space(b.mm),
            Block::Part(b) if ctx.holds(&b.when) => {
                if let Some(part) = style.parts.get(&b.name) {
                    lay_out(flow, part, ctx, style, stamps, in_frame);
                }
            }
            Block::Frame(b) if ctx.holds(&b.when) => {
                flow.space(b.space_before_mm);
                if in_frame {
                    lay_out(flow, &b.blocks, ctx, style, stamps, true);
                } else {
                    flow.begin_frame();
                    lay_out(flow, &b.blocks, ctx, style, stamps, true);
                    flow.end_frame();
                }
            }
            _ => {}
        }
    }
}

/// Fills `{title}` from the template's title (which may use the other placeholders).
pub fn set_title(ctx: &mut Context, template: &DocumentTemplate) {
    let title = ctx.fill(&template.title);
    ctx.globals.insert("title", title);
}

/// Lays `template` out with `ctx` and writes the PDF. `identity` (a hash of the input) becomes the
/// first trailer `/ID`; `log_id` names the document in a log line (a case id, never a name).
pub fn compose(
    ctx: &Context,
    template: &DocumentTemplate,
    t: &Templates,
    identity: &[u8; 32],
    log_id: &str,
) -> Result<Vec<u8>, RenderError> {
    let style = &t.style;
    let measure = Measure::new(&t.font);
    let mut flow = Flow::new(&measure, &style.font, &style.page);
    let mut stamps = Vec::new();
    lay_out(&mut flow, &template.blocks, ctx, style, &mut stamps, false);

    let footer = style.footer.clone();
    let pages = flow.finish(&|page, count| {
        let mut draws = Vec::new();
        let page_style = &style.page;
        let font = &style.font;
        let right = (page_style.width_mm - page_style.margin_right_mm) * PT_PER_MM;
        // The stamp sits in the top margin, flush with the text's right edge.
        let pad = 1.5 * PT_PER_MM;
        let mut x_right = right;
        for stamp in &stamps {
            let size = font.stamp_pt;
            let w = measure.width(stamp, size) + 2.0 * pad;
            let h = size + 2.0 * pad;
            let top =
                (page_style.margin_top_mm * PT_PER_MM - h - 3.0 * PT_PER_MM).max(3.0 * PT_PER_MM);
            draws.push(Draw::Rect {
                x: x_right - w,
                y: top,
                w,
                h,
            });
            draws.push(Draw::Text {
                x: x_right - w + pad,
                baseline: top + pad + size * 0.88,
                size,
                text: stamp.clone(),
            });
            x_right -= w + pad;
        }
        if !footer.is_empty() {
            let text = fill(&footer, &|n| match n {
                "page" => Some((page + 1).to_string()),
                "pages" => Some(count.to_string()),
                _ => ctx.global(n),
            });
            let size = font.small_pt;
            let w = measure.width(&text, size);
            draws.push(Draw::Text {
                x: (page_style.width_mm * PT_PER_MM - w) / 2.0,
                baseline: (page_style.height_mm - page_style.margin_bottom_mm / 2.0) * PT_PER_MM,
                size,
                text,
            });
        }
        draws
    });

    let missing: usize = pages
        .iter()
        .flatten()
        .map(|d| match d {
            Draw::Text { text, .. } => text.chars().filter(|c| !measure.has_glyph(*c)).count(),
            Draw::Rect { .. } => 0,
        })
        .sum();
    if missing > 0 {
        // Never the characters themselves: they may be part of a name.
        tracing::warn!(
            case_id = %log_id,
            missing,
            "the font has no glyph for some characters; they print as empty boxes"
        );
    }

    let title = format!(
        "{}{}",
        ctx.global("title").unwrap_or_default(),
        ctx.global("draft_suffix").unwrap_or_default()
    );
    pdf::write(
        &pages,
        style.page.width_mm,
        style.page.height_mm,
        &t.font,
        &title,
        style.font.rule_pt,
        identity,
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::case::Application;
    use crate::decision::Decision;
    use crate::render::testing::{templates, to_file};
    use crate::render::{notice, Office};

    /// A 支給決定 with the worked example's lines (RULES.md §1.3) and `excluded` exclusions, each a
    /// row of its table — read from the decision.json contract, as the run stage writes it.
    fn pay(excluded: usize) -> Decision {
        let line = |label: &str, amount_yen: i64, cites: &str| json!({"label": label, "amount_yen": amount_yen, "cites": cites});
        let excluded: Vec<_> = (1..=excluded)
            .map(|i| {
                json!({"label": format!("補助教材{i}"), "amount_yen": 1_000, "category": "optional_material",
                       "reason": "受講に必ずしも必要とされない補助教材費は対象外です。",
                       "cites": "seed 003 第1-3-(2)-イ"})
            })
            .collect();
        serde_json::from_value(json!({
            "case_id": "2026-000123", "benefit": "kyoiku_kunren", "status": "draft",
            "outcome": "pay", "amount_yen": 59_400, "applied_on": "2026-07-10",
            "lines": [
                line("入学料", 11_000, "seed 003 第1-3-(1)"),
                line("受講料", 88_000, "seed 003 第1-3-(1)"),
                line("対象経費", 99_000, "seed 003 第1-3-(1)"),
                line("支給額", 59_400, "seed 003 第1-3-(3)"),
            ],
            "excluded": excluded, "reasons": [], "documents": [],
            "parameters": {"as_of": "2026-06-30", "rate": "0.60"}
        }))
        .unwrap()
    }

    fn app() -> Application {
        Application::from_json_bytes(
            r#"{"benefit": "kyoiku_kunren", "applied_on": "2026-07-10",
                "applicant": {"name": "山田 花子", "address": "埼玉県さくら市桜町一丁目2番3号"},
                "course": {"name": "介護職員初任者研修", "institution": "学校法人さくら学園"}}"#
                .as_bytes(),
        )
        .unwrap()
    }

    /// The lines `pdftotext` reads on each page, without the footer (整理番号 …（n／m）) and the
    /// 案 stamp every page of a draft carries.
    fn lines_per_page(name: &str, pdf: &[u8]) -> Vec<usize> {
        let path = to_file(name, pdf);
        let out = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        let _ = std::fs::remove_file(&path);
        let text = String::from_utf8(out.stdout).unwrap();
        text.split('\u{c}')
            .filter(|page| !page.trim().is_empty())
            .map(|page| {
                page.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && *l != "案" && !l.contains("整理番号"))
                    .count()
            })
            .collect()
    }

    /// A pay notice that only just fits one page, made longer by 0 to 5 exclusion rows and a
    /// 支払方法 of 1 to 4 lines (rows and lines differ in height, so the page break falls at
    /// every place of the notice's end): among them one whose contact's last line would start a
    /// page alone (1 exclusion, 2 lines: [38, 1] without the control). No page holds one line.
    #[test]
    fn no_notice_page_holds_a_single_line() {
        // How many lines the last page holds: one value per place the page break fell.
        let mut last_page = std::collections::BTreeSet::new();
        for excluded in 0..=5 {
            for payment_lines in 1..=4 {
                let office = Office {
                    payment_method: "申請書に記載された申請者名義の口座へ振り込みます。"
                        .repeat(payment_lines * 2 - 1),
                    ..Office::default()
                };
                let pdf = notice(&pay(excluded), &app(), &office, templates()).unwrap();
                let name = format!("widow-{excluded}-{payment_lines}");
                let pages = lines_per_page(&name, &pdf);
                last_page.insert(pages.last().copied().unwrap_or_default());
                for (i, lines) in pages.iter().enumerate() {
                    assert!(
                        *lines >= 2,
                        "{name}: page {} holds {lines} line(s): {pages:?}",
                        i + 1
                    );
                }
            }
        }
        assert!(
            last_page.len() >= 8,
            "the page break fell in few places: {last_page:?}"
        );
    }
}
