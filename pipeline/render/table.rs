//! A table document: a title, lines of text above, one ruled table that flows over as many pages
//! as it needs (its header repeated on each), lines below it (so on the last page), and a footer
//! with the page number on every page — set in the notices' font, laid out by their `layout` and
//! written by their `pdf`, so it embeds the same subset Japanese font and gives the same bytes for
//! the same input.
//!
//! For lists an office files rather than notices it sends (the 振込明細一覧 of `payment::list`): the
//! caller gives every word, so there is no template and no placeholder here. Called by
//! `payment::list`.

use super::layout::{Draw, Flow, Measure, PT_PER_MM};
use super::template::{fill, Align};
use super::{pdf, RenderError, Templates};

/// One column of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableColumn {
    /// Printed in the header row (a `\n` starts a second line).
    pub header: String,
    /// Share of the table's width, against the other columns' shares.
    pub width: u32,
    pub align: Align,
}

/// What a table document prints, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableDocument {
    /// Centred at the top of the first page, and the PDF's title.
    pub title: String,
    /// Lines between the title and the table.
    pub before: Vec<String>,
    pub columns: Vec<TableColumn>,
    /// One cell per column; a `\n` in a cell starts a new line in it.
    pub rows: Vec<Vec<String>>,
    /// Lines after the table, kept together (totals, a note).
    pub after: Vec<String>,
    /// Centred at the foot of every page; `{page}` and `{pages}` are filled.
    pub footer: String,
    /// A4 landscape instead of the notices' portrait page (room for many columns).
    pub landscape: bool,
}

/// Writes `doc` as a PDF; `identity` (a hash of what the document lists) becomes the trailer's
/// first `/ID`, so the same list gives the same bytes.
pub fn table_pdf(
    doc: &TableDocument,
    t: &Templates,
    identity: &[u8; 32],
) -> Result<Vec<u8>, RenderError> {
    let style = &t.style;
    let mut page = style.page.clone();
    if doc.landscape {
        std::mem::swap(&mut page.width_mm, &mut page.height_mm);
    }
    let font = &style.font;
    let measure = Measure::new(&t.font);
    let mut flow = Flow::new(&measure, font, &page);
    flow.paragraph(&doc.title, font.title_pt, Align::Center, 0.0, 0.0);
    flow.space(3.0);
    for line in &doc.before {
        flow.paragraph(line, font.body_pt, Align::Left, 0.0, 0.0);
    }
    flow.space(2.0);
    let header: Vec<String> = doc.columns.iter().map(|c| c.header.clone()).collect();
    let widths: Vec<u32> = doc.columns.iter().map(|c| c.width).collect();
    let aligns: Vec<Align> = doc.columns.iter().map(|c| c.align).collect();
    flow.table(&header, &doc.rows, &widths, &aligns, font.small_pt, 0.0);
    flow.space(3.0);
    flow.keep_with_next(doc.after.len(), font.body_pt);
    for line in &doc.after {
        flow.paragraph(line, font.body_pt, Align::Left, 0.0, 0.0);
    }
    let pages = flow.finish(&|index, count| {
        if doc.footer.is_empty() {
            return Vec::new();
        }
        let text = fill(&doc.footer, &|n| match n {
            "page" => Some((index + 1).to_string()),
            "pages" => Some(count.to_string()),
            _ => None,
        });
        let size = font.small_pt;
        let w = measure.width(&text, size);
        vec![Draw::Text {
            x: (page.width_mm * PT_PER_MM - w) / 2.0,
            baseline: (page.height_mm - page.margin_bottom_mm / 2.0) * PT_PER_MM,
            size,
            text,
        }]
    });
    pdf::write(
        &pages,
        page.width_mm,
        page.height_mm,
        &t.font,
        &doc.title,
        font.rule_pt,
        identity,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{assert_font_embedded_as_subset, templates, text_of};

    fn doc(rows: usize) -> TableDocument {
        let col = |header: &str, width, align| TableColumn {
            header: header.into(),
            width,
            align,
        };
        TableDocument {
            title: "一覧表".into(),
            before: vec!["作成日 令和8年12月7日".into()],
            columns: vec![
                col("番号", 1, Align::Right),
                col("氏名", 4, Align::Left),
                col("金額", 2, Align::Right),
            ],
            rows: (1..=rows)
                .map(|i| vec![i.to_string(), format!("山田 花子{i}"), format!("{i},000")])
                .collect(),
            after: vec![format!("合計 {rows} 件")],
            footer: "（{page}／{pages}）".into(),
            landscape: true,
        }
    }

    /// Every row, the lines around the table and a page number on each page, as `pdftotext`
    /// reads them; the totals come after the last row; the font is a subset; same input, same bytes.
    #[test]
    fn a_long_table_flows_over_numbered_pages_with_its_totals_last() {
        let t = templates();
        let pdf = table_pdf(&doc(120), t, &[7; 32]).unwrap();
        let (text, pages) = text_of("table", &pdf);
        assert!(pages >= 3, "120 rows take several pages: {pages}");
        for i in 1..=120 {
            assert!(text.contains(&format!("山田花子{i}")), "row {i}");
        }
        for p in 1..=pages {
            assert!(text.contains(&format!("（{p}／{pages}）")), "page {p}");
        }
        let total = text.find("合計120件").expect("totals");
        assert!(
            total > text.find("山田花子120").unwrap(),
            "totals after the last row"
        );
        assert_eq!(
            text.matches("番号氏名金額").count(),
            pages,
            "the header row on every page"
        );
        assert_font_embedded_as_subset("table", &pdf);
        assert_eq!(pdf, table_pdf(&doc(120), t, &[7; 32]).unwrap());
    }
}
