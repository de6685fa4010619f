//! Laid-out pages → PDF bytes with printpdf 0.12, reproducibly.
//!
//! The font is embedded as a subset (printpdf's `text_layout` feature) under our own fixed font
//! id, because printpdf names fonts from a process-wide counter and the subset tag `pdffonts`
//! shows is the first six characters of that name (DESIGN.md, "Dependencies"). The trailer `/ID`
//! comes from the same counter and has no setter, so after saving it is overwritten in place, with
//! the same length, from a hash the caller gives and a hash of the rest of the file. Metadata dates
//! stay at printpdf's fixed epoch; nothing here reads the clock.
//!
//! Called by `render::notice`; knows nothing of notices.

use printpdf::{
    FontId, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Pt, Rect, TextItem, TextMatrix,
};
use sha2::{Digest, Sha256};

use super::layout::Draw;
use super::RenderError;

/// Our font resource name: six capital letters, so the subset tag is always `KYUFUF+`.
const FONT_ID: &str = "KYUFUF";

/// Writes `pages` (each a list of drawings, in points from the top-left) on pages of
/// `width_mm` × `height_mm`, and gives the file the trailer `/ID` derived from `identity`.
pub fn write(
    pages: &[Vec<Draw>],
    width_mm: f32,
    height_mm: f32,
    font: &ParsedFont,
    title: &str,
    rule_pt: f32,
    identity: &[u8; 32],
) -> Result<Vec<u8>, RenderError> {
    let font_id = FontId(FONT_ID.to_string());
    let mut doc = PdfDocument::new(title);
    doc.resources
        .fonts
        .map
        .insert(font_id.clone(), PdfFont::new(font.clone()));
    let page_h = Pt::from(Mm(height_mm)).0;

    let pdf_pages = pages
        .iter()
        .map(|draws| {
            let mut ops = vec![
                Op::SaveGraphicsState,
                Op::SetOutlineThickness { pt: Pt(rule_pt) },
            ];
            for draw in draws {
                if let Draw::Rect { x, y, w, h } = draw {
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            mode: Some(PaintMode::Stroke),
                            ..Rect::from_xywh(Pt(*x), Pt(page_h - y - h), Pt(*w), Pt(*h))
                        },
                    });
                }
            }
            ops.push(Op::StartTextSection);
            let mut current_size = None;
            for draw in draws {
                if let Draw::Text {
                    x,
                    baseline,
                    size,
                    text,
                } = draw
                {
                    if current_size != Some(*size) {
                        ops.push(Op::SetFont {
                            font: PdfFontHandle::External(font_id.clone()),
                            size: Pt(*size),
                        });
                        current_size = Some(*size);
                    }
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(Pt(*x), Pt(page_h - baseline)),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(text.clone())],
                    });
                }
            }
            ops.push(Op::EndTextSection);
            ops.push(Op::RestoreGraphicsState);
            PdfPage::new(Mm(width_mm), Mm(height_mm), ops)
        })
        .collect();
    doc.with_pages(pdf_pages);

    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut bytes = doc.save(&opts, &mut warnings);
    if bytes.is_empty() {
        return Err(RenderError::Pdf(format!(
            "printpdf wrote nothing ({} warnings)",
            warnings.len()
        )));
    }
    set_trailer_id(&mut bytes, identity)?;
    Ok(bytes)
}

/// Overwrites the two strings of the trailer's `/ID [(…)(…)]` with hex: the first from `identity`
/// (the same decision always gives the same first id), the second from the file's bytes outside
/// the `/ID` (so a different rendering of it gets a different second id). Same lengths, so no
/// offset in the cross-reference table moves.
fn set_trailer_id(bytes: &mut [u8], identity: &[u8; 32]) -> Result<(), RenderError> {
    let trailer = rfind(bytes, b"trailer")
        .ok_or_else(|| RenderError::Pdf("no trailer in the written PDF".to_string()))?;
    let id_at = find(&bytes[trailer..], b"/ID")
        .map(|i| trailer + i)
        .ok_or_else(|| RenderError::Pdf("no /ID in the trailer".to_string()))?;
    // Two literal strings follow: printpdf writes them from [A-J], so no escapes or nesting.
    let mut spans = Vec::with_capacity(2);
    let mut at = id_at;
    for _ in 0..2 {
        let open = find(&bytes[at..], b"(").map(|i| at + i + 1);
        let close = open.and_then(|o| find(&bytes[o..], b")").map(|i| o + i));
        match (open, close) {
            (Some(o), Some(c)) => {
                spans.push((o, c));
                at = c + 1;
            }
            _ => {
                return Err(RenderError::Pdf(
                    "unexpected /ID in the trailer".to_string(),
                ))
            }
        }
    }
    let mut outside = Sha256::new();
    outside.update(&bytes[..spans[0].0]);
    outside.update(&bytes[spans[0].1..spans[1].0]);
    outside.update(&bytes[spans[1].1..]);
    let instance: [u8; 32] = outside.finalize().into();
    for ((open, close), hash) in spans.into_iter().zip([identity, &instance]) {
        let hex = hex(hash);
        // printpdf writes 32 characters; fill whatever length it wrote.
        for (i, b) in bytes[open..close].iter_mut().enumerate() {
            *b = hex.as_bytes()[i % hex.len()];
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailer_id_is_replaced_in_place_from_the_identity() {
        let mut pdf = b"%PDF-1.3\n...xref\ntrailer\n<</Root 1 0 R/ID[(ABCDEFGHIJABCDEFGHIJABCDEFGHIJAB)(JIHGFEDCBAJIHGFEDCBAJIHGFEDCBAJI)]>>\nstartxref\n9\n%%EOF".to_vec();
        let len = pdf.len();
        set_trailer_id(&mut pdf, &[0xab; 32]).unwrap();
        assert_eq!(pdf.len(), len);
        let text = String::from_utf8(pdf.clone()).unwrap();
        assert!(
            text.contains("/ID[(abababababababababababababababab)("),
            "{text}"
        );
        assert!(!text.contains("JIHGF"), "{text}");
        let again = {
            let mut p = b"%PDF-1.3\n...xref\ntrailer\n<</Root 1 0 R/ID[(CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC)(DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD)]>>\nstartxref\n9\n%%EOF".to_vec();
            set_trailer_id(&mut p, &[0xab; 32]).unwrap();
            p
        };
        assert_eq!(pdf, again, "the old random ids leave no trace");
    }
}
