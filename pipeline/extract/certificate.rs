//! The completion-certificate reader (教育訓練修了証明書): trainee, birth date, course, the
//! course's dates in order, issuer and seal.

use super::*;

pub(super) fn read_certificate(doc: &mut Document, pages: &[&PageInput], hints: &Hints) {
    let page_no = pages[0].number;
    let lines: Vec<TextLine> = pages
        .iter()
        .flat_map(|p| without_struck(&p.lines, &p.marks.strikes))
        .collect();
    let mut set = |name: &str, value: Value, span: &Span| put(doc, page_no, name, value, span);
    let judged = |span: Span, certainty: Certainty| Span { certainty, ..span };
    if let Some((span, name, repaired)) = find_name(
        &lines,
        &["殿", "様"],
        &[
            "修了者氏名",
            "受講者氏名",
            "受講生氏名",
            "氏名",
            "受講者",
            "修了者",
        ],
        hints,
    ) {
        // A repaired reading is doubtful, unless every second reading gave it alike.
        let span = if repaired && span.certainty != Certainty::Agreed {
            let doubt = span.certainty.and(Certainty::Doubtful(Doubt::Repaired));
            judged(span, doubt)
        } else {
            span
        };
        set(cf::TRAINEE_NAME, Value::Text(name), &span);
    }
    let date_after = |labels: &[&str]| -> Option<(chrono::NaiveDate, Reading, Span)> {
        for l in &lines {
            for lab in labels {
                if let Some(span) = after_label(l, lab) {
                    if let Some((d, r)) = normalize::parse_date(&span.text) {
                        return Some((d, r.reading, span));
                    }
                }
            }
        }
        // The date's first glyphs read into the label's line, the rest on a line of their own
        // below (seed 41 sub028, a fax: 「訓練修了日 令」 over 「和8年7月25日」): read joined.
        for (i, l) in lines.iter().enumerate() {
            for lab in labels {
                let (Some(head), Some(next)) = (after_label(l, lab), lines.get(i + 1)) else {
                    continue;
                };
                // Below and right of the label, and no date without the head (another label's).
                let below = next.bbox.y <= l.bbox.bottom() + l.char_height() * 2
                    && next.bbox.x >= l.bbox.x + l.char_height()
                    && normalize::parse_date(&next.text()).is_none();
                let joined = format!("{}{}", head.text, next.text());
                let Some((d, r)) = below.then(|| normalize::parse_date(&joined)).flatten() else {
                    continue;
                };
                let n = next.tokens.len();
                let span = Span {
                    text: joined,
                    confidence: head.confidence.min(next.confidence_of(0, n)),
                    certainty: head.certainty.and(next.certainty_of(0, n)),
                    bbox: head.bbox.map(|b| b.union(&next.bbox)),
                };
                return Some((d, r.reading, span));
            }
        }
        let (_, span) = value_for(&lines, labels)?;
        let (d, r) = normalize::parse_date(&span.text)?;
        Some((d, r.reading, span))
    };
    // The birth date the application gives, printed on the certificate: cross-checked (and found
    // without its label when the OCR lost it).
    let birth = date_after(&["生年月日"])
        .map(|(d, r, span)| {
            let certainty = if hints.birth_date == Some(d) {
                Certainty::Sure(Check::Application)
            } else {
                with_reading(span.certainty, r)
            };
            (d, judged(span, certainty))
        })
        .or_else(|| {
            let want = hints.birth_date?;
            lines.iter().find_map(|l| {
                dates_on(l).contains(&want).then(|| {
                    let span = Span {
                        text: l.text(),
                        confidence: l.confidence_of(0, l.tokens.len()),
                        certainty: Certainty::Sure(Check::Application),
                        bbox: Some(l.bbox),
                    };
                    (want, span)
                })
            })
        });
    // Prose (「山田 花子 殿 （令和元年5月1日生）」): the date the person was born on.
    let birth = birth.or_else(|| {
        lines.iter().find_map(|l| {
            let t = compact(&l.text());
            let at = t
                .find("生)")
                .or_else(|| t.find("生まれ"))
                .or_else(|| t.ends_with('生').then(|| t.len() - '生'.len_utf8()))?;
            let (d, r) = normalize::parse_date(&t[..at])?;
            let certainty = with_reading(l.certainty_of(0, l.tokens.len()), r.reading);
            Some((d, prose_span(l, certainty)))
        })
    });
    if let Some((d, span)) = birth {
        set(cf::BIRTH_DATE, Value::Date(d), &span);
    }
    if let Some((span, course)) = find_course(&lines, hints) {
        set(cf::COURSE_NAME, Value::Text(course), &span);
    }
    let started = date_after(&[
        "受講開始年月日",
        "受講開始日",
        "訓練開始日",
        "講座開始日",
        "開講年月日",
        "開講日",
        "受講開始",
        "開始年月日",
        "開始日",
        "入学日",
        "入校日",
    ]);
    let completed = date_after(&["修了年月日", "修了日", "修了認定日", "修了認定年月日"]);
    // 受講期間 on one line, or its label lost: a line of two dates that is not the birth date's.
    let period = lines
        .iter()
        .find(|l| compact(&l.text()).contains("期間"))
        .or_else(|| {
            lines.iter().find(|l| {
                let t = compact(&l.text());
                dates_on(l).len() >= 2 && !t.contains("生年月日") && !t.contains('生')
            })
        })
        .map(|l| (dates_on(l), l));
    let labelled = |(d, r, s): (chrono::NaiveDate, Reading, Span)| {
        let certainty = read::date_certainty(r, s.certainty);
        (d, judged(s, certainty))
    };
    let mut started_on = started.map(labelled);
    let mut completed_on = completed.map(labelled);
    if let Some((dates, l)) = period {
        let span = Span {
            text: l.text(),
            confidence: l.confidence_of(0, l.tokens.len()),
            certainty: l.certainty_of(0, l.tokens.len()),
            bbox: Some(l.bbox),
        };
        // Two dates: the first is the start, the second the end. One alone could be either (the
        // other lost, or the range mark glued into it): neither is taken.
        if dates.len() >= 2 {
            started_on.get_or_insert((dates[0], span.clone()));
            completed_on.get_or_insert((dates[1], span));
        }
    }
    // Prose (「あなたは、令和7年4月1日から令和7年9月30日まで、…を受講し」), the sentence broken
    // over lines as the page wraps it: read, never more.
    if started_on.is_none() || completed_on.is_none() {
        if let Some((from, to, l)) = period_in_prose(&lines) {
            let certainty = l.certainty_of(0, l.tokens.len()).and(Certainty::Read);
            started_on.get_or_insert((from, prose_span(l, certainty)));
            completed_on.get_or_insert((to, prose_span(l, certainty)));
        }
    }
    // Cross-check: a course cannot end before it starts.
    let in_order = match (&started_on, &completed_on) {
        (Some(s), Some(c)) => s.0 <= c.0,
        _ => true,
    };
    // A label the OCR lost: a date printed on the certificate that is exactly the one the application
    // gives for that fact is taken (confirmed, not guessed); anything else stays missing.
    let body_dates = || body_dates_all(&lines);
    if let (None, Some(want)) = (&started_on, hints.started_on) {
        started_on = body_dates()
            .into_iter()
            .find(|(d, _)| *d == want)
            .map(|(d, s)| (d, judged(s, Certainty::Sure(Check::Application))));
    }
    if let (None, Some(want)) = (&completed_on, hints.completed_on) {
        completed_on = body_dates()
            .into_iter()
            .find(|(d, _)| *d == want)
            .map(|(d, s)| (d, judged(s, Certainty::Sure(Check::Application))));
    }
    for (name, v, given) in [
        (cf::STARTED_ON, started_on, hints.started_on),
        (cf::COMPLETED_ON, completed_on, hints.completed_on),
    ] {
        if let Some((d, span)) = v {
            let certainty = if !in_order {
                Certainty::Doubtful(Doubt::OutOfOrder)
            } else if given == Some(d) {
                // The same date as the application gives for it: cross-checked. Another date of
                // the application's is no check (seed 71 sub052: the completion date read
                // under 「開講日」 was taken as a start confirmed by the application).
                Certainty::Sure(Check::Application)
            } else {
                span.certainty
            };
            set(name, Value::Date(d), &judged(span, certainty));
        }
    }
    if !in_order {
        doc.findings.push(Finding {
            code: "dates_out_of_order".into(),
            message: "修了日が受講開始日より前になっています。".into(),
        });
    }
    if let Some((span, name)) = find_issuer(&lines, pages, hints) {
        put(doc, page_no, cf::ISSUER_NAME, Value::Text(name), &span);
    }
    read_marks(doc, pages, page_no);
}

fn prose_span(l: &TextLine, certainty: Certainty) -> Span {
    Span {
        text: l.text(),
        confidence: l.confidence_of(0, l.tokens.len()),
        certainty: certainty.and(Certainty::Read),
        bbox: Some(l.bbox),
    }
}

/// The period a certifying sentence states, 「(date)から(date)まで」, read across the lines it is
/// broken over, with the line it begins on. Both dates must read cleanly: a repaired one in a
/// sentence has nothing to cross-check it.
pub(super) fn period_in_prose(
    lines: &[TextLine],
) -> Option<(chrono::NaiveDate, chrono::NaiveDate, &TextLine)> {
    // Each line's compact text, joined, and where each line begins in the whole.
    let mut body = String::new();
    let mut starts = Vec::new();
    for l in lines {
        starts.push(body.len());
        body.push_str(&compact(&l.text()));
    }
    let mut from = 0;
    while let Some(pos) = body[from..].find("から") {
        let at = from + pos;
        from = at + "から".len();
        let before = &body[..at];
        // The date just before から: after the last mark a sentence puts before it.
        let head_at = before
            .rfind(['、', '。', ',', ')', '）', '「', '」'])
            .map_or(0, |p| {
                p + before[p..].chars().next().map_or(1, char::len_utf8)
            });
        let head = before[head_at..].trim_start_matches(|c: char| "あなたは".contains(c));
        let Some(until) = body[from..].find("まで") else {
            continue;
        };
        let tail = &body[from..from + until];
        let (Some((a, ra)), Some((b, rb))) =
            (normalize::parse_date(head), normalize::parse_date(tail))
        else {
            continue;
        };
        if ra.reading != Reading::Clean || rb.reading != Reading::Clean {
            continue;
        }
        let line = starts.iter().rposition(|&s| s <= head_at).unwrap_or(0);
        return Some((a, b, &lines[line]));
    }
    None
}
