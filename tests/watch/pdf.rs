//! A minimal digital PDF with a real text layer (Type0 font, Identity-H, a ToUnicode CMap), written
//! by hand so the watcher tests need no OCR and no font file: what an institution's PDF receipt is
//! to kyufu.

/// A one-page PDF whose text layer is `lines`, one text object per line.
pub fn text_pdf(lines: &[&str]) -> Vec<u8> {
    let mut chars: Vec<char> = lines.iter().flat_map(|l| l.chars()).collect();
    chars.sort();
    chars.dedup();
    let mut content = String::new();
    for (i, line) in lines.iter().enumerate() {
        let hex: String = line
            .chars()
            .map(|c| format!("{:04X}", c as u32 & 0xFFFF))
            .collect();
        content.push_str(&format!(
            "BT /F1 12 Tf 40 {} Td <{hex}> Tj ET\n",
            800 - 20 * i
        ));
    }
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in chars.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for c in chunk {
            let v = *c as u32 & 0xFFFF;
            cmap.push_str(&format!("<{v:04X}> <{v:04X}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>".to_string(),
        format!("<< /Length {} >>\nstream\n{cmap}endstream", cmap.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{obj}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A digital receipt for `payer` and `course` (the fields kyufu's extractor reads).
pub fn receipt_pdf(payer: &str, course: &str, amount: u32) -> Vec<u8> {
    let total = format!("金 {amount}円也");
    let payer = format!("{payer} 様");
    let course = format!("講座名：{course}");
    let tuition = format!("受講料  {amount}円");
    let sum = format!("合計  {amount}円");
    text_pdf(&[
        "領 収 書",
        &payer,
        &total,
        &course,
        "内訳",
        &tuition,
        &sum,
        "令和8年6月15日",
        "学校法人  さくら学園",
    ])
}
