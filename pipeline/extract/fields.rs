//! Field finders shared by the receipt and certificate readers: the seal and its corrections, a
//! person's name, the issuer, the course, a labelled date.

use super::*;

/// Labels a receipt puts before the payer's name, longest first. Institutions word it many ways
/// (a shop's 「ご依頼者」, a school's 「受講生氏名」, a letter's 「ご芳名」/「宛名」); a label left on
/// the value would be read as part of the name.
pub(super) const PAYER_LABELS: &[&str] = &[
    "受講者氏名",
    "支払者氏名",
    "受講生氏名",
    "申込者氏名",
    "ご契約者名",
    "受講者名",
    "受講生名",
    "ご依頼者",
    "ご依頼主",
    "お支払者",
    "ご契約者",
    "ご利用者",
    "お申込者",
    "お名前",
    "御名前",
    "ご氏名",
    "御氏名",
    "ご芳名",
    "御芳名",
    "依頼者",
    "依頼主",
    "申込者",
    "契約者",
    "受講者",
    "受講生",
    "支払者",
    "支払人",
    "納入者",
    "納付者",
    "振込人",
    "芳名",
    "宛名",
    "氏名",
];

/// Seal and corrections: a small seal on or beside a strike is its 訂正印; any other seal is the
/// 領収印 (or the head's 印 on a certificate).
pub(super) fn read_marks(doc: &mut Document, pages: &[&PageInput], page_no: u32) {
    let text_layer = pages.iter().all(|p| p.text_layer);
    let mut seal_found = false;
    let mut seal_seen_surely = false;
    let mut unsealed = false;
    let mut doubtful = false;
    for p in pages {
        let ch = PageInput::char_height(&p.lines);
        let seals = outermost(&p.marks.seals, ch);
        let mut used = vec![false; seals.len()];
        for s in &p.marks.strikes {
            let reach = ch * 2;
            // The struck print's own height, where the strike covers it, measures a 訂正印 better
            // than the page's: seed 37 sub040's 訂正印 is 39 px over 30 px print struck on a page
            // whose lines are 35 px high on the median.
            let glyph = if s.h * 4 >= ch * 3 { s.h.min(ch) } else { ch };
            let beside = |seal: &&marks::Seal| {
                let b = seal.bbox;
                b.x <= s.right() + reach
                    && b.right() + reach >= s.x
                    && b.y <= s.bottom() + reach
                    && b.bottom() + reach >= s.y
                    && b.w <= ch * 4
                    // A 訂正印 is a small stamp, but larger than a character: a glyph or speck of
                    // gray beside a strike must not pass for one.
                    && b.w * 10 >= glyph * 13
                    && b.h * 10 >= glyph * 13
            };
            // A stamp on the strike found cut short (under `beside`'s 1.3 characters) makes the
            // correction doubtful, never sealed.
            let cut_short = |seal: &&marks::Seal| {
                let b = seal.bbox;
                b.overlaps(s) && b.w <= ch * 4 && b.w * 10 >= ch * 13 && b.h >= ch
            };
            // Red ink is a stamp's (black print over it takes part of its ring away); gray ink is a
            // stamp's only when it closes a ring — light print scans gray too (the corrected value
            // itself, written small above the strike).
            let stamped = seals
                .iter()
                .position(|seal| beside(seal) && (seal.ink == marks::Ink::Red || seal.ring));
            // Gray read as a sure word that is not the struck one (the corrected value 「6,700円」
            // scanned light above the strike) is that word's print.
            let print = |seal: &&marks::Seal| {
                let b = seal.bbox;
                seal.ink == marks::Ink::Gray
                    && p.lines.iter().flat_map(|l| &l.tokens).any(|t| {
                        let mid = t.bbox.y + t.bbox.h / 2;
                        let struck = t.bbox.overlaps(s) && mid >= s.y && mid < s.bottom();
                        t.confidence >= 0.8
                            && !struck
                            && t.bbox.shared_area(&b) * 5 >= b.w * b.h * 2
                    })
            };
            // A stamp's own strokes read as a strike: a gray 角印 on a black-and-white scan keeps
            // its characters (no red to drop), and 雲's bars passed for a strike along the address
            // line Tesseract read into the stamp (seed 29 sub016, a wrong 補正依頼). A strike may
            // also lie under a 領収印 stamped over a corrected total (untouched seed 303 sub021): a
            // person tells which.
            let in_gray_stamp = |seal: &&marks::Seal| {
                seal.ink == marks::Ink::Gray && seal.is_large(ch) && seal.bbox.contains(s)
            };
            let stampish = |seal: &&marks::Seal| (beside(seal) || cut_short(seal)) && !print(seal);
            match stamped {
                Some(i) => used[i] = true,
                None if seals.iter().any(stampish) => doubtful = true,
                None if seals.iter().any(in_gray_stamp) => doubtful = true,
                None if p.marks.unsure_rings.iter().any(|r| r.overlaps(s)) => doubtful = true,
                None => unsealed = true,
            }
        }
        // A 領収印 is well over two characters across; anything smaller that is not a 訂正印 is a
        // speck, a logo or a glyph, not a seal.
        let large = |s: &marks::Seal, used: &bool| !used && s.is_large(ch);
        // A colour photo's seal is its red ink: gray clusters of a 領収印's size on one are as
        // likely print under uneven light (seed 99 sub003: a sealless till roll photographed, its
        // gray print taken for a seal — a wrong pay). Where the photo came in colour, gray that
        // closes no ring is print; a gray ring is kept, as doubtful (a photocopy's stamp).
        let photo = p.marks.capture == marks::Capture::Photo;
        let print =
            |s: &marks::Seal| photo && p.marks.in_colour && s.ink == marks::Ink::Gray && !s.ring;
        seal_found |= seals
            .iter()
            .zip(&used)
            .any(|(s, u)| large(s, u) && !print(s));
        seal_seen_surely |= seals
            .iter()
            .zip(&used)
            .any(|(s, u)| large(s, u) && (s.ink == marks::Ink::Red || !photo));
    }
    // Ink analysis sees a seal or its absence; a text layer has no image to see one in.
    let certainty = if text_layer {
        Certainty::Doubtful(Doubt::Unseen)
    } else {
        Certainty::Sure(Check::Ink)
    };
    let field = |v: bool| Field {
        value: Value::Bool(v),
        confidence: 1.0,
        certainty,
        bbox: None,
        page: Some(page_no),
    };
    // On a photo or a fax, what the detectors did not find (a seal) or what shadows and specks
    // imitate (a strike) is not seen surely: a person looks, rather than the family being asked to
    // mend a receipt that may have nothing wrong with it (issue 19: a 補正依頼 only on a sure
    // reading).
    let weak_capture = pages
        .iter()
        .any(|p| p.marks.capture != marks::Capture::Scan);
    let unsure_in_capture = |weak: bool, f: Field| {
        if weak && f.certainty == Certainty::Sure(Check::Ink) {
            Field {
                certainty: Certainty::Doubtful(Doubt::Capture),
                ..f
            }
        } else {
            f
        }
    };
    let seal_name = match doc.kind {
        DocKind::CompletionCertificate => cf::SEAL_PRESENT,
        _ => rf::SEAL_PRESENT,
    };
    let seal = if seal_found && !seal_seen_surely {
        Field {
            certainty: Certainty::Doubtful(Doubt::Capture),
            ..field(true)
        }
    } else if seal_found {
        field(true)
    } else {
        // A seal's absence is seen on a scan, and on a photo that came in colour: its red finder
        // saw no red stamp where one would show red (seed 17: three sealless receipts
        // photographed, each sent to review) — nor a piece of one (a stamp the print over it cut
        // up). A fax's halftone, and a gray photo, hide a stamp.
        let seal_shows = |p: &&PageInput| match p.marks.capture {
            marks::Capture::Scan => true,
            marks::Capture::Photo => {
                p.marks.in_colour && !p.marks.seals.iter().any(|s| s.ink == marks::Ink::Red)
            }
            marks::Capture::Binary => false,
        };
        // Nor is it seen where stamp-gray ink of a seal's size lies with no outline found round
        // it (a gray 角印 the print over it cut up: seed 13 sub058, a wrong 補正依頼).
        let absent = field(false);
        let traced = pages.iter().any(|p| !p.marks.traces.is_empty());
        if traced && absent.certainty == Certainty::Sure(Check::Ink) {
            Field {
                certainty: Certainty::Doubtful(Doubt::Unseen),
                ..absent
            }
        } else {
            unsure_in_capture(!pages.iter().all(seal_shows), absent)
        }
    };
    doc.fields.insert(seal_name.into(), seal);
    // Gray ink beside a strike that is no ring may be a 訂正印 or light print: a person looks.
    let correction = if !unsealed && doubtful {
        Field {
            certainty: Certainty::Doubtful(Doubt::Unseen),
            ..field(true)
        }
    } else if unsealed {
        unsure_in_capture(weak_capture, field(true))
    } else {
        field(false)
    };
    doc.fields
        .insert(rf::HAS_UNSEALED_CORRECTION.into(), correction);
    if text_layer {
        doc.findings.push(Finding {
            code: "seal_not_visible".into(),
            message: "電子文書（テキスト）のため押印の有無を画像で確認できません。".into(),
        });
    }
}

/// The seals not lying inside another's outline. A red seal's own characters are found as pieces
/// inside it as well as the whole; each piece is the size of a 訂正印, so beside a strike under the
/// seal (a 領収印 stamped over a corrected total) it passed for one (untouched seed 303 sub021,
/// paid on an unsealed correction). A ring inside gray ink that closes none and is smaller than a
/// 領収印 is kept: a gray 訂正印 on a struck value is clustered with the struck print round it
/// (seed 89 sub045: its ring found over 「50,000」 inside a gray blob of 80 × 64 px, the correction
/// read as doubtful).
fn outermost(seals: &[marks::Seal], char_h: u32) -> Vec<&marks::Seal> {
    let hides = |s: &marks::Seal, o: &marks::Seal| {
        let blob = o.ink == marks::Ink::Gray && !o.ring && !o.is_large(char_h);
        s.bbox != o.bbox && o.bbox.contains(&s.bbox) && !(s.ring && blob)
    };
    seals
        .iter()
        .filter(|s| !seals.iter().any(|o| hides(s, o)))
        .collect()
}

/// A person's name: before one of `markers` (様, 殿) or after one of `labels`; else a known name
/// (`hints`) printed verbatim on the page.
pub(super) fn find_name(
    lines: &[TextLine],
    markers: &[&str],
    labels: &[&str],
    hints: &Hints,
) -> Option<(Span, String, bool)> {
    // A reading that equals the applicant's name is cross-checked: sure, and spaced as given.
    let confirm = |(span, name, repaired): (Span, String, bool)| match hints.confirm(&name) {
        Some((known, check)) => (
            Span {
                certainty: Certainty::Sure(check),
                ..span
            },
            known,
            false,
        ),
        // Part of the applicant's name (「福田」 for 福田 愛, the given name's one glyph read as
        // nothing) is a name misread short, not someone else's: unsure however alike it was read.
        None if hints.part_of_a_name(&name) => (
            Span {
                certainty: Certainty::Doubtful(Doubt::Partial),
                ..span
            },
            hints.spaced(&name),
            true,
        ),
        None => (span, hints.spaced(&name), repaired),
    };
    for l in lines {
        for m in markers {
            if let Some(span) = before_marker(l, m) {
                if let Some((name, repaired)) = clean_name(&span.text) {
                    return Some(confirm((span, name, repaired)));
                }
            }
        }
    }
    if let Some((_, span)) = value_for(lines, labels) {
        if let Some((name, repaired)) = clean_name(&span.text) {
            return Some(confirm((span, name, repaired)));
        }
    }
    // 様 misread (「渡辺 花子 欄」): the glyph alone at the end of a line, after a gap, ends a name
    // there too — read as unsure unless it is the applicant's.
    for l in lines {
        let Some(last) = l.tokens.last() else {
            continue;
        };
        if l.tokens.len() < 2 || !HONORIFIC_MISREADS.contains(&last.text.as_str()) {
            continue;
        }
        let span = Span {
            text: l.text_of(0, l.tokens.len() - 1),
            confidence: l.confidence_of(0, l.tokens.len() - 1),
            certainty: l.certainty_of(0, l.tokens.len() - 1),
            bbox: l.bbox_of(0, l.tokens.len() - 1),
        };
        if let Some((name, _)) = clean_name(&span.text) {
            return Some(confirm((span, name, true)));
        }
    }
    // The same glyph inside a line, another column's print after it (「松本Ne 明美 欄 株式会社 若葉台
    // キャリアスクール」, seed 83 sub003): the name before it, only where it is the applicant's —
    // any line may hold a 欄.
    for l in lines {
        let ends = (1..l.tokens.len().saturating_sub(1))
            .filter(|&i| HONORIFIC_MISREADS.contains(&l.tokens[i].text.as_str()));
        for end in ends {
            let text = l.text_of(0, end);
            let Some((name, _)) = clean_name(&text) else {
                continue;
            };
            if hints.confirm(&name).is_none() {
                continue;
            }
            let span = Span {
                text,
                confidence: l.confidence_of(0, end),
                certainty: l.certainty_of(0, end),
                bbox: l.bbox_of(0, end),
            };
            return Some(confirm((span, name, true)));
        }
    }
    // The label was misread: look for a known name printed as it is.
    for known in &hints.names {
        let k = compact(known);
        if k.chars().count() < 2 {
            continue;
        }
        if let Some(l) = lines.iter().find(|l| compact(&l.text()).contains(&k)) {
            let span = Span {
                text: known.clone(),
                confidence: l.confidence_of(0, l.tokens.len()),
                certainty: l.certainty_of(0, l.tokens.len()),
                bbox: Some(l.bbox),
            };
            return Some(confirm((span, known.clone(), false)));
        }
    }
    None
}

/// The institution's printed name with its 法人格: the application's institution where it is printed
/// (allowing a stamp over a few characters), else the first line that carries a 法人格.
pub(super) fn find_issuer(
    lines: &[TextLine],
    pages: &[&PageInput],
    hints: &Hints,
) -> Option<(Span, String)> {
    if let Some((name, span)) = hints
        .institution_on(lines)
        .or_else(|| hints.institution_under_seal(pages))
    {
        return Some((span, name));
    }
    let span_of = |l: &TextLine, name: &str, certainty: Certainty| Span {
        text: name.to_string(),
        confidence: l.confidence_of(0, l.tokens.len()),
        certainty,
        bbox: Some(l.bbox),
    };
    for l in lines {
        // A credit company's line (a クレジット契約証明書 names both) is not the school's; its label
        // may stand a column away from the name.
        let t = compact(&l.text());
        let credit = ["クレジット", "信販", "カード会社", "立替"]
            .iter()
            .filter_map(|w| t.find(w))
            .min();
        let kaku_at = HOJINKAKU.iter().filter_map(|k| t.find(k)).min();
        if matches!((credit, kaku_at), (Some(c), Some(k)) if c < k) {
            continue;
        }
        if let Some(name) = segments_of(l).iter().find_map(|s| corporate_name(s)) {
            return Some((span_of(l, &name, l.certainty_of(0, l.tokens.len())), name));
        }
    }
    // No 法人格 printed (「医療事務カレッジ 大宮校」): a short line that ends as a school's or an
    // association's name does. A looser rule than the 法人格's, so never more than read.
    for l in lines {
        if let Some(name) = segments_of(l).iter().find_map(|s| school_name(s)) {
            let certainty = l.certainty_of(0, l.tokens.len()).and(Certainty::Read);
            return Some((span_of(l, &name, certainty), name));
        }
    }
    None
}

/// The compact text of each of a line's segments (its columns, split at wide gaps).
fn segments_of(l: &TextLine) -> Vec<String> {
    read::segments(l)
        .into_iter()
        .map(|(from, to)| compact(&l.text_of(from, to)))
        .collect()
}

/// Where an issuer's name ends on its line: the representative, the address or the phone begins.
const ISSUER_ENDS: &[&str] = &[
    "代表",
    "理事長",
    "校長",
    "学長",
    "施設長",
    "所長",
    "学院長",
    "TEL",
    "電話",
    "〒",
    "住所",
    "(印)",
    "印",
];

/// Labels an issuer's name may follow on its line.
const ISSUER_LABELS: &[&str] = &[
    "教育訓練施設名",
    "実施機関名",
    "実施機関",
    "事業者名",
    "施設名",
    "発行者",
    "発行元",
    "領収者",
    "受領者",
    "名称",
];

/// `text` cut where the issuer's name ends (but not inside its first `keep` bytes).
fn issuer_cut(text: &str, keep: usize) -> &str {
    let end = ISSUER_ENDS
        .iter()
        .filter_map(|w| text.find(w))
        .filter(|&pos| pos >= keep && pos > 0)
        .min()
        .unwrap_or(text.len());
    &text[..end]
}

/// `text` after the last issuer label on it, if any.
fn after_issuer_label(text: &str) -> &str {
    ISSUER_LABELS
        .iter()
        .filter_map(|lab| text.rfind(lab).map(|p| p + lab.len()))
        .max()
        .map_or(text, |end| &text[end..])
        .trim_start_matches([':', '：', '・'])
}

/// A name with its 法人格 in one segment (compact): 「株式会社○○」 from the 法人格 on (what the
/// segment holds before it — a date, a payer glued on from the left column — is no part of it), or
/// 「○○株式会社」 when nothing but a campus (「…校」) follows the 法人格. A credit company's line
/// (a クレジット契約証明書 names both) is not the school's.
pub(super) fn corporate_name(segment: &str) -> Option<String> {
    let (pos, kaku) = HOJINKAKU
        .iter()
        .filter_map(|k| segment.find(k).map(|p| (p, *k)))
        .min()?;
    if ["クレジット", "信販", "カード会社", "立替"]
        .iter()
        .any(|w| segment[..pos].contains(w))
    {
        return None;
    }
    let from_kaku = issuer_cut(&segment[pos..], kaku.len());
    let rest = &from_kaku[kaku.len()..];
    let campus_only = rest.is_empty() || rest.ends_with('校') && rest.chars().count() <= 6;
    // Before a 法人格 that ends the name: the name, after whatever the left column glued on (a
    // date, an amount, the payer 「…様」).
    let before = after_issuer_label(&segment[..pos]);
    let before = before
        .char_indices()
        .rfind(|(_, c)| c.is_ascii_digit() || "様殿円:：。、)）/".contains(*c))
        .map_or(before, |(i, c)| &before[i + c.len_utf8()..]);
    if campus_only && before.chars().count() >= 2 {
        return Some(format!("{before}{from_kaku}"));
    }
    (!rest.is_empty()).then(|| from_kaku.to_string())
}

/// Endings of a school's or an association's own name.
const SCHOOL_ENDINGS: &[&str] = &[
    "学院",
    "学園",
    "学校",
    "スクール",
    "カレッジ",
    "アカデミー",
    "センター",
    "協会",
    "教室",
    "研究所",
    "校",
];

/// A name without 法人格 (compact segment): short, ends as a school's name does, and is no
/// sentence (「上記の者は本校…」), no address, no course and no addressee.
pub(super) fn school_name(segment: &str) -> Option<String> {
    let name = issuer_cut(after_issuer_label(segment), 0);
    let n = name.chars().count();
    let sentence = name
        .chars()
        .any(|c| c.is_ascii_digit() || "を。、「」様殿:：()（）".contains(c))
        || [
            "講座",
            "コース",
            "受講",
            "上記",
            "本校",
            "当校",
            "課程",
            "修了",
        ]
        .iter()
        .any(|w| name.contains(w));
    let ends = SCHOOL_ENDINGS.iter().any(|e| name.ends_with(e));
    (ends && !sentence && (4..=30).contains(&n)).then(|| name.to_string())
}

/// Whether a line reads as one of the receipt's labels alone (「科目名」, 「契約日」): the label of the
/// row below, not the value of the one above — a photo whose value column was lost read its payer
/// as 「科目名」, agreed by both engines, and asked the family for a receipt in their own name (seed
/// 19 sub012, a wrong 補正依頼).
pub(super) fn is_a_label(text: &str) -> bool {
    let t = compact(text);
    let t = t.trim_matches([':', '：', '・']);
    [
        PAYER_LABELS,
        COURSE_LABELS,
        RECEIPT_DATE_LABELS,
        ISSUER_LABELS,
    ]
    .iter()
    .any(|labels| labels.iter().any(|l| compact(l) == t))
}

/// Labels a course's title follows, a longer label before any it begins with (「講座名称」 before
/// 「講座名」 before 「講座」).
pub(super) const COURSE_LABELS: &[&str] = &[
    "教育訓練講座名",
    "受講コース名",
    "受講講座名",
    "受講科目名",
    "研修講座名",
    "教育訓練講座",
    "講座名称",
    "コース名称",
    "受講講座",
    "受講コース",
    "受講科目",
    "受講内容",
    "講座名",
    "コース名",
    "課程名",
    "科目名",
    "講習名",
    "訓練講座",
    "訓練名",
    "研修名",
    "講座",
    "コース",
];

/// Words that begin what was paid for in a purpose line (但し書き), after the course: 「○○講座
/// 受講料等として」, 「○○講座の受講料として」, 「○○講座受講に係る費用として」, 「○○講座 入学金及び
/// 受講料として」, 「○○講座 教材費として」.
const PAID_FOR: &[&str] = &[
    "受講",
    "入学料",
    "入学金",
    "入会金",
    "授業料",
    "講座費用",
    "費用",
    "教材費",
    "学費",
    "月謝",
    "代金",
    "として",
];

/// What a purpose line says of the course, from the text after 「但し」 (compact). 「受講料（○○）
/// として」 names it in brackets; otherwise it is what precedes the first word of what was paid for.
/// `None` when the line names no course (「受講料として」, 「講座費用一式として」).
pub(super) fn course_in_purpose(rest: &str) -> Option<String> {
    let rest = rest.strip_prefix("書き").unwrap_or(rest);
    let rest = rest.trim_start_matches([':', '：', '、', ',']);
    let bracketed = rest.split_once(['（', '(']).and_then(|(before, inside)| {
        let (course, _) = inside.split_once(['）', ')'])?;
        PAID_FOR
            .iter()
            .any(|w| before.contains(w))
            .then_some(course)
    });
    let course = match bracketed {
        Some(course) => course,
        None => {
            let end = PAID_FOR
                .iter()
                .filter_map(|w| rest.find(w))
                .min()
                .unwrap_or(rest.len());
            rest[..end]
                .trim_end()
                .trim_end_matches(['の', '・', '、', ',', '及'])
        }
    };
    let course = course.trim_matches(['「', '」', '『', '』', '・', ':', '：']);
    let generic = ["講座", "コース", "課程", "研修"].contains(&course);
    (course.chars().count() >= 2 && !generic).then(|| course.to_string())
}

pub(super) fn find_course(lines: &[TextLine], hints: &Hints) -> Option<(Span, String)> {
    let confirm = |mut span: Span, course: String| match hints.confirms_course(&course) {
        Some(known) => {
            // Cross-checked against the application: the same title (up to look-alike glyphs).
            span.certainty = Certainty::Sure(if compact(&known) == course {
                Check::Application
            } else {
                Check::ApplicationLookalike
            });
            (span, known)
        }
        None => (span, course),
    };
    // 講座名：… — the label must begin the line (「登録販売者講座」 ends with 講座 but is no label).
    for (i, l) in lines.iter().enumerate() {
        let t = compact(&l.text());
        let Some(label) = COURSE_LABELS.iter().find(|lab| t.starts_with(*lab)) else {
            continue;
        };
        // The value is the label's column, or the next one when the label stands alone in its own
        // (what lies further right is another column: an address, the next row's label).
        let segs = read::segments(l);
        let columns = |upto: usize| TextLine::from_tokens(l.tokens[..segs[upto].1].to_vec());
        let value = after_label(&columns(0), label)
            .or_else(|| (segs.len() > 1).then(|| after_label(&columns(1), label))?)
            .or_else(|| {
                let below = lines.get(i + 1)?;
                (below.bbox.y <= l.bbox.bottom() + l.char_height() * 2).then(|| Span {
                    text: below.text(),
                    confidence: below.confidence_of(0, below.tokens.len()),
                    certainty: below.certainty_of(0, below.tokens.len()),
                    bbox: Some(below.bbox),
                })
            });
        if let Some(span) = value {
            let course = unquoted(&compact(&span.text));
            // A wrapped sentence's line that begins 「講座を受講し…」 is no label; nor is the 講座 of
            // a purpose line without its 但し (「講座費用一式として」 read without the 但し before
            // it gave the course 「費用一式として」 above 「受講コース Webデザイナー養成講座」, seed 31
            // sub016): what was paid for is no course's title.
            let particle = course.starts_with(['を', 'の', 'が', 'に', 'は', 'と']);
            let paid_for =
                course.contains("として") || PAID_FOR.iter().any(|w| course.starts_with(w));
            if course.chars().count() >= 2
                && !particle
                && !paid_for
                && normalize::parse_date(&course).is_none()
            {
                return Some(confirm(span, course));
            }
        }
    }
    // A certifying sentence names the course in brackets (「…が実施する講座「医療事務講座」を受講し」),
    // perhaps broken over two lines: read, never more.
    if let Some((course, l)) = quoted_course(lines) {
        let span = Span {
            text: course.clone(),
            confidence: l.confidence_of(0, l.tokens.len()),
            certainty: l.certainty_of(0, l.tokens.len()).and(Certainty::Read),
            bbox: Some(l.bbox),
        };
        return Some(confirm(span, course));
    }
    // 「但し ○○講座 受講料等として」: the course between 但し and what was paid for; a purpose line
    // broken after 但し (「但し」 / 「○○講座受講料として」) goes on on the next line.
    for (i, l) in lines.iter().enumerate() {
        let t = purpose_column(l);
        let Some(rest) = t.strip_prefix("但し").or_else(|| t.strip_prefix("但")) else {
            continue;
        };
        let below = lines
            .get(i + 1)
            .filter(|next| next.bbox.y <= l.bbox.bottom() + l.char_height() * 2);
        let paid_for = |t: &str| t.contains("として") || PAID_FOR.iter().any(|w| t.contains(w));
        let (rest, l) = match below {
            Some(next) if course_in_purpose(rest).is_none() && !rest.contains("として") => {
                (compact(&next.text()), next)
            }
            // A title wrapped onto the next line (「但し 大型自動車第一種」 / 「運転免許 受講料等として」)
            // goes on there up to what was paid for.
            Some(next) if !paid_for(rest) && paid_for(&purpose_column(next)) => {
                (format!("{rest}{}", purpose_column(next)), l)
            }
            _ => (rest.to_string(), l),
        };
        if let Some(course) = course_in_purpose(&rest) {
            let span = Span {
                text: course.clone(),
                confidence: l.confidence_of(0, l.tokens.len()),
                certainty: l.certainty_of(0, l.tokens.len()),
                bbox: Some(l.bbox),
            };
            return Some(confirm(span, course));
        }
    }
    // The label was lost: the application's course printed verbatim is the course, up to
    // look-alike glyphs (「請 座名 TTパスポート試験対策講座」 for 講座名 ITパスポート試験対策講座 on the
    // README's sample sub007).
    for known in &hints.courses {
        let k = compact(known);
        if k.chars().count() < 2 {
            continue;
        }
        let key = normalize::lookalike_key(&k);
        let printed = |l: &&TextLine| normalize::lookalike_key(&compact(&l.text())).contains(&key);
        if let Some(l) = lines.iter().find(printed) {
            let span = Span {
                text: k.clone(),
                confidence: l.confidence_of(0, l.tokens.len()),
                certainty: Certainty::Sure(Check::ApplicationLookalike),
                bbox: Some(l.bbox),
            };
            return Some((span, k));
        }
    }
    // Or printed with one ordinary glyph misread (「請護名 社会保険労務二講座」, its label lost too).
    for known in &hints.courses {
        let k = compact(known);
        let n = k.chars().count();
        for l in lines {
            let t: Vec<char> = compact(&l.text()).chars().collect();
            let nearly = (0..=t.len().saturating_sub(n)).any(|i| {
                let window: String = t[i..(i + n).min(t.len())].iter().collect();
                normalize::one_glyph_off(&k, &window)
            });
            if nearly {
                let span = Span {
                    text: k.clone(),
                    confidence: l.confidence_of(0, l.tokens.len()),
                    certainty: Certainty::Sure(Check::ApplicationLookalike),
                    bbox: Some(l.bbox),
                };
                return Some((span, k));
            }
        }
    }
    None
}

/// A purpose line's own column (compact): its words up to the first wide gap after the words that
/// follow 「但し」 — a second column sharing the row (the issuer's 代表理事 and name, a seal's
/// characters) is no part of the purpose (seed 13 sub052: 「但し Webデザイナー養成講座 人1-」).
fn purpose_column(l: &TextLine) -> String {
    let segs = read::segments(l);
    let mut text = String::new();
    for &(from, to) in &segs {
        text.push_str(&compact(
            &TextLine::from_tokens(l.tokens[from..to].to_vec()).text(),
        ));
        let bare = ["但し書き", "但し", "但"]
            .iter()
            .any(|w| text.trim_end_matches([':', '：']) == *w);
        if !bare {
            break;
        }
    }
    text
}

/// A label's value that is a quotation (「医療事務講座」を受講し、…): what the brackets hold.
fn unquoted(value: &str) -> String {
    let inside = value.split_once(['「', '『']).map_or(value, |(_, v)| v);
    inside
        .split_once(['」', '』'])
        .map_or(inside, |(v, _)| v)
        .to_string()
}

/// The course a sentence quotes: 「X」 followed by what was done with it (を受講, を修了, の全課程…),
/// the quotation looked for in the lines joined (a page wraps the sentence where it will); with the
/// line the quotation opens on.
pub(super) fn quoted_course(lines: &[TextLine]) -> Option<(String, &TextLine)> {
    let mut body = String::new();
    let mut starts = Vec::new();
    for l in lines {
        starts.push(body.len());
        body.push_str(&compact(&l.text()));
    }
    let mut from = 0;
    while let Some(pos) = body[from..].find(['「', '『']) {
        let open = from + pos;
        let inner_at = open + body[open..].chars().next().map_or(1, char::len_utf8);
        from = inner_at;
        let Some(len) = body[inner_at..].find(['」', '』']) else {
            break;
        };
        // A stray opening bracket read before the true one (「、する教育訓練講座「介護職員初任者研修」を
        // 受講し」 on a skewed photo, seed 7 sub022): the quotation is what the last one opens.
        let course = &body[inner_at..inner_at + len];
        let course = course.rsplit(['「', '『']).next().unwrap_or(course);
        let after = &body[inner_at + len..];
        let after = after.char_indices().nth(1).map_or("", |(i, _)| &after[i..]);
        let done = [
            "を受講",
            "を修了",
            "を履修",
            "の全課程",
            "の課程",
            "の受講",
            "の所定",
        ]
        .iter()
        .any(|w| after.starts_with(w));
        let n = course.chars().count();
        if done && (2..=40).contains(&n) {
            let line = starts.iter().rposition(|&s| s <= open).unwrap_or(0);
            return Some((course.to_string(), &lines[line]));
        }
    }
    None
}

/// Labels a receipt's issue date follows.
///
/// The day money changes hands is named many ways (納入, 納付, 入金, 受領, 支払い), with 日 or
/// 年月日; 「年月日」 alone heads the date too, and is told from a birth date by [`find_date`].
pub(super) const RECEIPT_DATE_LABELS: &[&str] = &[
    "領収日",
    "領収年月日",
    "発行日",
    "発行年月日",
    "契約日",
    "契約年月日",
    "支払日",
    "支払い日",
    "支払年月日",
    "入金日",
    "入金年月日",
    "納入日",
    "納入年月日",
    "納付日",
    "受領日",
    "受領年月日",
    "受付日",
    "作成日",
    "日付",
    "年月日",
];

/// Whether a date is printed that no reading could make out: after one of `labels`, or on a line
/// of figures marked as a date (an era's name, 年 and 月, two slashes, or a year and a slash:
/// 「令 和 年11 月6B」, 「2025/01703」) that is not a line of money or of a course's dates.
pub(super) fn unread_date(lines: &[TextLine], labels: &[&str]) -> bool {
    lines.iter().any(|l| {
        let t = compact(&l.text());
        let digit = t.chars().any(|c| c.is_ascii_digit());
        let year_slash = normalize::year_then_separator(&t);
        let marked = t.contains("令和")
            || t.contains("平成")
            || t.contains('年') && t.contains('月')
            || t.matches('/').count() >= 2
            || year_slash;
        let labelled = labels.iter().any(|lab| t.contains(lab));
        let other = [
            "生年月日",
            "期間",
            "開始",
            "修了",
            "~",
            "〜",
            "～",
            "指定",
            "円",
        ]
        .iter()
        .any(|w| t.contains(w));
        digit && (marked || labelled) && !other
    })
}

/// A labelled date, else the first date on a line that is not some other date (birth, period).
pub(super) fn find_date(
    lines: &[TextLine],
    labels: &[&str],
) -> Option<(chrono::NaiveDate, normalize::DateReading, Span)> {
    for (i, l) in lines.iter().enumerate() {
        let t = compact(&l.text());
        if labels.iter().any(|lab| t.contains(lab)) && !t.contains("生年月日") {
            let joined = || read::with_words_between(lines, i).and_then(|j| read::date_on(&j));
            if let Some(found) = read::date_on(l).or_else(joined) {
                return Some(found);
            }
        }
    }
    lines.iter().find_map(|l| {
        let t = compact(&l.text());
        let other = ["生年月日", "期間", "開始", "修了", "~", "〜", "～", "指定"]
            .iter()
            .any(|w| t.contains(w));
        if other {
            None
        } else {
            read::date_on(l)
        }
    })
}

/// Dates printed above the certifying sentence (「…証明します」), with the line each is on.
pub(super) fn body_dates_all(lines: &[TextLine]) -> Vec<(chrono::NaiveDate, Span)> {
    lines
        .iter()
        .take_while(|l| !compact(&l.text()).contains("証明し"))
        .flat_map(|l| {
            dates_on(l).into_iter().map(|d| {
                (
                    d,
                    Span {
                        text: l.text(),
                        confidence: l.confidence_of(0, l.tokens.len()),
                        certainty: l.certainty_of(0, l.tokens.len()),
                        bbox: Some(l.bbox),
                    },
                )
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "fields_tests.rs"]
mod tests;
