//! The completion-certificate reader (教育訓練修了証明書): trainee, birth date, course, the
//! course's dates in order, issuer and seal.

use super::*;

pub(super) fn read_certificate(doc: &mut Document, pages: &[&PageInput], hints: &Hints) {
    let page_no = pages[0].number;
    let lines: Vec<TextLine> = pages
        .iter()
        .flat_map(|p| without_struck(&p.lines, &p.marks.strikes))
        .collect();
    let mut set = |name: &str, value: Value, span: &Span, conf: f32| {
        put(doc, page_no, name, value, span, conf)
    };
    if let Some((span, name, repaired)) = find_name(
        &lines,
        &["殿", "様"],
        &["受講者氏名", "氏名", "受講者", "修了者"],
        hints,
    ) {
        let conf = if repaired && !agreed(span.confidence) {
            span.confidence.min(0.6)
        } else {
            span.confidence
        };
        set(cf::TRAINEE_NAME, Value::Text(name), &span, conf);
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
        let (_, span) = value_for(&lines, labels)?;
        let (d, r) = normalize::parse_date(&span.text)?;
        Some((d, r.reading, span))
    };
    // The birth date the application gives, printed on the certificate: cross-checked (and found
    // without its label when the OCR lost it).
    let birth = date_after(&["生年月日"])
        .map(|(d, r, span)| {
            let conf = with_reading(span.confidence, r);
            let conf = if hints.birth_date == Some(d) {
                conf.max(0.95)
            } else {
                conf
            };
            (d, conf, span)
        })
        .or_else(|| {
            let want = hints.birth_date?;
            lines.iter().find_map(|l| {
                dates_on(l).contains(&want).then(|| {
                    let span = Span {
                        text: l.text(),
                        confidence: 0.95,
                        bbox: Some(l.bbox),
                    };
                    (want, 0.95, span)
                })
            })
        });
    if let Some((d, conf, span)) = birth {
        set(cf::BIRTH_DATE, Value::Date(d), &span, conf);
    }
    if let Some((span, course)) = find_course(&lines, hints) {
        set(cf::COURSE_NAME, Value::Text(course), &span, span.confidence);
    }
    let started = date_after(&[
        "受講開始年月日",
        "受講開始日",
        "開講日",
        "受講開始",
        "入学日",
        "入校日",
    ]);
    let completed = date_after(&["修了年月日", "修了日", "修了認定日", "修了認定年月日"]);
    let period = lines
        .iter()
        .find(|l| compact(&l.text()).contains("期間"))
        .map(|l| (dates_on(l), l));
    let mut started_on = started.map(|(d, r, s)| (d, read::date_confidence(s.confidence, r), s));
    let mut completed_on =
        completed.map(|(d, r, s)| (d, read::date_confidence(s.confidence, r), s));
    if let Some((dates, l)) = period {
        let span = Span {
            text: l.text(),
            confidence: l.confidence_of(0, l.tokens.len()),
            bbox: Some(l.bbox),
        };
        if started_on.is_none() && !dates.is_empty() {
            started_on = Some((dates[0], span.confidence, span.clone()));
        }
        if completed_on.is_none() && dates.len() >= 2 {
            completed_on = Some((dates[1], span.confidence, span));
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
            .map(|(d, s)| (d, 0.95, s));
    }
    if let (None, Some(want)) = (&completed_on, hints.completed_on) {
        completed_on = body_dates()
            .into_iter()
            .find(|(d, _)| *d == want)
            .map(|(d, s)| (d, 0.95, s));
    }
    for (name, v) in [
        (cf::STARTED_ON, started_on),
        (cf::COMPLETED_ON, completed_on),
    ] {
        if let Some((d, conf, span)) = v {
            let conf = if in_order { conf } else { conf.min(0.5) };
            // The same date as the application gives: cross-checked.
            let conf = if hints.dates.contains(&d) && in_order {
                conf.max(0.95)
            } else {
                conf
            };
            set(name, Value::Date(d), &span, conf);
        }
    }
    if !in_order {
        doc.findings.push(Finding {
            code: "dates_out_of_order".into(),
            message: "修了日が受講開始日より前になっています。".into(),
        });
    }
    if let Some((span, name)) = find_issuer(&lines, pages, hints) {
        put(
            doc,
            page_no,
            cf::ISSUER_NAME,
            Value::Text(name),
            &span,
            span.confidence,
        );
    }
    read_marks(doc, pages, page_no);
}
