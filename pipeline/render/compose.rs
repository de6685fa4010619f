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
    use chrono::{Days, NaiveDate};
    use rust_decimal::Decimal;

    use crate::case::application::{Applicant, CourseDay};
    use crate::case::{Application, Case};
    use crate::decision::Benefit;
    use crate::render::testing::{templates, to_file};
    use crate::render::{notice, Office};
    use crate::rules::{decide, Parameters};

    /// A 受講旅費 claim of `days` days from 2026-05-01, decided by the rules.
    fn travel(days: u64) -> (crate::decision::Decision, Application) {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let app = Application {
            benefit: Some(Benefit::JukouRyohi),
            applied_on: Some(d("2026-07-20")),
            applicant: Applicant {
                name: Some("山田 花子".into()),
                address: Some("埼玉県さくら市桜町一丁目2番3号".into()),
                ..Applicant::default()
            },
            children: Some(Vec::new()),
            single_parent_since: Some(d("2021-03-01")),
            course_applied_on: Some(d("2026-04-01")),
            prior_year_income_tax_yen: Some(0),
            days: Some(
                (0..days)
                    .map(|i| CourseDay {
                        date: d("2026-05-01") + Days::new(i),
                        fare_yen: 840,
                        walking_km: Decimal::new(32, 1),
                    })
                    .collect(),
            ),
            ..Application::default()
        };
        let case = Case {
            case_id: "2026-000300".into(),
            application: app.clone(),
            documents: Vec::new(),
        };
        (decide(&case, &Parameters::embedded()), app)
    }

    /// The lines `pdftotext` reads on each page, without the footer (整理番号 …（n／m）).
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
                    .filter(|l| !l.trim().is_empty() && !l.contains("整理番号"))
                    .count()
            })
            .collect()
    }

    /// Claims of 1 to 60 days put the page break at every place in the notice (each day is a
    /// row of the days table), among them where the contact's last line alone, or the last line
    /// of the 教示, would start a page: no page of any of them holds a single line.
    #[test]
    fn no_notice_page_holds_a_single_line() {
        let mut pages_seen = std::collections::BTreeSet::new();
        for days in 1..=60 {
            let (decision, app) = travel(days);
            let pdf = notice(&decision, &app, &Office::default(), templates()).unwrap();
            let pages = lines_per_page(&format!("widow-{days}"), &pdf);
            pages_seen.insert(pages.len());
            for (i, lines) in pages.iter().enumerate() {
                assert!(
                    *lines >= 2,
                    "{days} days: page {} holds {lines} line(s): {pages:?}",
                    i + 1
                );
            }
        }
        assert!(
            pages_seen.len() >= 2,
            "the claims run onto further pages: {pages_seen:?}"
        );
    }
}
