//! The receipt reader (領収書, クレジット契約証明書): payer, issuer, course, issue date, the total and
//! its breakdown, checked against each other.

use super::witnessed::{lines_witnessed, witnessed, witnessed_sum};
use super::*;

impl Extractor {
    pub(super) fn read_receipt(&self, doc: &mut Document, pages: &[&PageInput], hints: &Hints) {
        let page_no = pages[0].number;
        let lines: Vec<TextLine> = pages
            .iter()
            .flat_map(|p| without_struck(&p.lines, &p.marks.strikes))
            .collect();
        let set = |doc: &mut Document, name: &str, value: Value, span: &Span| {
            put(doc, page_no, name, value, span)
        };

        // 受講者（支払者）氏名: the name before 様/殿, or after a name label.
        if let Some((span, name, repaired)) = find_name(&lines, &["様", "殿"], PAYER_LABELS, hints)
        {
            // A repaired reading is doubtful, unless every second reading gave it alike.
            let span = if repaired && span.certainty != Certainty::Agreed {
                Span {
                    certainty: span.certainty.and(Certainty::Doubtful(Doubt::Repaired)),
                    ..span
                }
            } else {
                span
            };
            set(doc, rf::PAYER_NAME, Value::Text(name), &span);
        }
        if let Some((span, name)) = find_issuer(&lines, pages, hints) {
            set(doc, rf::ISSUER_NAME, Value::Text(name), &span);
        }
        // The course's names this receipt may print before a fee: as read here, and as the
        // application gives them.
        let mut courses: Vec<String> = hints.courses.clone();
        if let Some((span, course)) = find_course(&lines, hints) {
            courses.push(course.clone());
            set(doc, rf::COURSE_NAME, Value::Text(course), &span);
        }
        // A breakdown line may name the course before the fee (「日商簿記2級講座 入学金」 in a table
        // whose first column is the course): the fee is what follows it.
        let classify = |label: &str| {
            let whole = self.lexicon.classify(label);
            if !matches!(whole, Some(LabelClass::Item(ItemCategory::Other)) | None) {
                return (whole, label.to_string());
            }
            match after_course(label, &courses).map(|fee| (self.lexicon.classify(&fee), fee)) {
                Some((Some(LabelClass::Item(c)), fee)) if c != ItemCategory::Other => {
                    (Some(LabelClass::Item(c)), fee)
                }
                _ => (whole, label.to_string()),
            }
        };
        if let Some((date, reading, span)) = find_date(&lines, RECEIPT_DATE_LABELS) {
            if reading.heisei_after_2019 {
                doc.findings.push(Finding {
                    code: "heisei_after_2019".into(),
                    message: "令和改元後の日付が平成で書かれています（同じ暦年として読みました）。"
                        .into(),
                });
            }
            // A receipt is issued around the course: a date years away from it is a misread digit
            // (「2029」 for 2025) as likely as a real date, so a person looks.
            let certainty = if hints.far_from_course(date) {
                Certainty::Doubtful(Doubt::FarFromCourse)
            } else {
                read::date_certainty(reading.reading, span.certainty)
            };
            set(
                doc,
                rf::ISSUED_ON,
                Value::Date(date),
                &Span { certainty, ..span },
            );
        } else if unread_date(&lines, RECEIPT_DATE_LABELS) {
            // A date is printed but could not be read: the receipt does not lack its date (a
            // 補正依頼 would ask the family for what they brought), a person reads it on the scan.
            doc.findings.push(Finding::unread(
                rf::ISSUED_ON,
                "領収日らしい印字がありますが、読み取れませんでした。",
            ));
        }

        // The breakdown and the total, segment by segment (a label's amount is in its own segment or
        // the next one to the right).
        let mut items: Vec<Item> = Vec::new();
        let mut totals: Vec<(i64, Span)> = Vec::new();
        // Amounts after a label that is neither an item nor the total's (「会ロロ 147,320円」 for
        // 合計): the total only if nothing else is and they sum up to it, below the breakdown.
        let mut unlabelled: Vec<(i64, Span)> = Vec::new();
        // Amounts alone on a line: a correction written above (or below) the struck-out value.
        let mut bare: Vec<Option<(usize, AmountRead)>> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| read::amount_on(l).filter(|a| a.2 == 0).map(|a| (i, a)))
            .collect();
        // A till roll's amount tendered and change given (「お預り ¥80,000」「お釣り ¥3,000」) are
        // neither the total nor a line of it, and neither is the amount standing alone beside such
        // a label (read as a line of its own): taken for a line of the breakdown, the change makes
        // the tendered amount look like a total it sums to (seed 13 sub014, sub060).
        let mut tendered: Vec<usize> = Vec::new();
        for line in lines.iter().filter(|l| tendered_or_change(&l.text())) {
            if let Some((bi, _)) = take_bare_beside(&mut bare, &lines, line, None, 1) {
                tendered.push(bi);
            }
        }
        // Labelled lines with no amount of their own, and the amounts standing alone each was
        // printed for ([`ordered_pairs`]).
        let labelled: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(li, l)| {
                let t = l.text();
                !tendered.contains(li)
                    && read::amount_on(l).is_none()
                    && !compact(&t).starts_with("但")
                    && !tendered_or_change(&t)
                    && !addressed(&t)
                    && self.lexicon.classify(&t).is_some()
            })
            .map(|(li, _)| li)
            .collect();
        let pairs = ordered_pairs(&bare, &lines, &labelled);
        for (li, line) in lines.iter().enumerate() {
            // 「但し ○○講座 受講料等として」 states the purpose of the whole sum, not a line of it.
            if compact(&line.text()).starts_with("但") || tendered_or_change(&line.text()) {
                continue;
            }
            // An amount the till's tendered or change label took (above) is no line's.
            if tendered.contains(&li) {
                continue;
            }
            let mut segs = read::segments(line);
            // After an amount, what is left of its segment is read as a segment of its own when
            // it is a breakdown line's label: a two-column breakdown whose columns stand closer
            // than a segment's gap (「入学金 18,100円 消費税（10%） 7,260円」, seed 13 sub055).
            let rest_of = |segs: &mut Vec<(usize, usize)>, m: usize, end: usize, next: usize| {
                let (_, to) = segs[m];
                let label = matches!(
                    self.lexicon.classify(&line.text_of(end, to)),
                    Some(LabelClass::Item(_))
                );
                if end < to && label {
                    segs[m].0 = end;
                    m
                } else {
                    next
                }
            };
            let mut k = 0;
            while k < segs.len() {
                let (from, to) = segs[k];
                let (found, next) = match read::amount_window(line, from, to) {
                    Some((v, r, at, end, span)) => {
                        let next = rest_of(&mut segs, k, end, k + 1);
                        (Some((v, r, at, span)), next)
                    }
                    None if k + 1 >= segs.len()
                        && !addressed(&line.text_of(from, to))
                        && self.lexicon.classify(&line.text_of(from, to)).is_some() =>
                    {
                        // A labelled line without its amount: take the nearest amount standing alone
                        // just above or below (the corrected value beside a strike-through).
                        let near = if labelled.contains(&li) {
                            pairs
                                .iter()
                                .find(|(l, _)| *l == li)
                                .and_then(|&(_, bi)| bare[bi].take())
                        } else {
                            take_bare_beside(&mut bare, &lines, line, Some(li), 2)
                        };
                        let taken = near.map(|(_, a)| {
                            let (v, r, _, span) = a;
                            (v, r, to, span)
                        });
                        (taken, k + 1)
                    }
                    None if !addressed(&line.text_of(from, to))
                        && self.lexicon.classify(&line.text_of(from, to)).is_some() =>
                    {
                        // The amount is further right, past leader residue or blank cells, but not
                        // past another label.
                        let mut found = (None, k + 1);
                        for m in k + 1..segs.len() {
                            let (f2, t2) = segs[m];
                            if let Some((v, r, at, end, span)) = read::amount_window(line, f2, t2) {
                                found = (Some((v, r, at, span)), rest_of(&mut segs, m, end, m + 1));
                                break;
                            }
                            if self.lexicon.classify(&line.text_of(f2, t2)).is_some() {
                                break;
                            }
                        }
                        found
                    }
                    None => (None, k + 1),
                };
                let Some((amount, reading, at, span)) = found else {
                    k = next;
                    continue;
                };
                let label_end = if at >= from && at <= to { at } else { to };
                let (class, label) = classify(&line.text_of(from, label_end));
                // The amount is as sure as its label and its digits together.
                let label_to = label_end.max(from + 1);
                let span = Span {
                    confidence: span.confidence.min(line.confidence_of(from, label_to)),
                    certainty: with_reading(
                        span.certainty.and(line.certainty_of(from, label_to)),
                        reading,
                    ),
                    ..span
                };
                match class {
                    Some(LabelClass::Total) => totals.push((amount, span)),
                    Some(LabelClass::Item(category)) => {
                        if !informational(&label) {
                            items.push(Item {
                                label: clean_label(&label),
                                amount,
                                category,
                                confidence: span.confidence,
                                certainty: span.certainty,
                                bbox: span.bbox,
                            });
                        }
                    }
                    None => {
                        // 「金 99,000円也」, 「¥99,000-」 alone: the amount received. 金 and 也
                        // may stand apart from the amount (「金　　¥50,000-　　也」), and the
                        // revenue-stamp box's 「収入印紙」 before it.
                        let t = compact(&line.text_of(from, to));
                        let before = compact(&line.text_of(0, from));
                        let after = compact(&line.text_of(to, line.tokens.len()));
                        if t.starts_with('金')
                            || t.starts_with('¥')
                            || t.contains('也')
                            || before.starts_with('金')
                            || before.ends_with('金')
                            || after.starts_with('也')
                        {
                            totals.push((amount, span));
                        } else {
                            unlabelled.push((amount, span));
                        }
                    }
                }
                k = next;
            }
        }
        // An amount printed once is a line of the breakdown or the total, never both: one a label
        // took from the line below it (a till roll's amounts stand alone, 「¥182.000」) is not
        // also a total because of its 「¥」 — the breakdown would sum to it by itself (seed 11
        // sub036: 182,000 taken for 191,200, surely).
        let of_items: Vec<BBox> = items.iter().filter_map(|i| i.bbox).collect();
        totals.retain(|(_, span)| span.bbox.is_none_or(|b| !of_items.contains(&b)));
        unlabelled.retain(|(_, span)| span.bbox.is_none_or(|b| !of_items.contains(&b)));
        let sum = signed_sum(&items);
        // A total no total's label introduces is checked by the breakdown only where the two are
        // independent: a one-line breakdown and an amount standing alone below it are, as often as
        // not, the same line's amount in two columns; and where a total's label is printed but its
        // amount was not read, the amount found elsewhere is not that total (seed 11 sub018: a
        // credit contract's 1,410,000 lost, 630,000 of one line found twice and paid on).
        let mut unlabelled_doubt = false;
        if totals.is_empty() {
            let labelled_total_lost = lines.iter().any(|l| {
                (1..=l.tokens.len().min(4)).any(|k| self.is_total_label(&l.text_of(0, k)))
            });
            unlabelled_doubt = items.len() < 2 || labelled_total_lost;
            let last_item = items
                .iter()
                .filter_map(|i| i.bbox)
                .map(|b| b.bottom())
                .max();
            totals.extend(unlabelled.into_iter().filter(|(amount, span)| {
                let below = match (span.bbox, last_item) {
                    (Some(b), Some(last)) => b.y + b.h / 2 > last,
                    _ => false,
                };
                below && crate::document::breakdown_sums_to(&items, *amount)
            }));
        }
        let matching = totals
            .iter()
            .find(|t| crate::document::breakdown_sums_to(&items, t.0));
        match (matching, totals.first()) {
            (Some((amount, span)), _) if !items.is_empty() => {
                // Cross-check passed: the breakdown sums to the total — and means something only
                // where a second engine read the total alike (see [`witnessed`]).
                // An unlabelled total the breakdown does not check independently (above) stays
                // doubted, whatever the witness reads in its box.
                // A larger total read on the page than the one the breakdown sums to: lines of
                // the breakdown were lost, and the total they sum to is one of them read twice
                // (seed 11 sent by fax, sub059: 「領収額 ¥1.880.000」 read, and 「¥890.000」 of the
                // second year's line standing alone taken for a total its first year's line
                // summed to: paid on 890,000 surely).
                let larger = totals.iter().map(|t| t.0).filter(|a| a > amount).max();
                if let Some(larger) = larger {
                    doc.findings.push(Finding {
                        code: "items_do_not_sum".into(),
                        message: format!(
                            "内訳の合計（{sum}円）が領収額（{larger}円）と一致しません。"
                        ),
                    });
                }
                let certainty = if unlabelled_doubt {
                    Certainty::Doubtful(Doubt::Unlabelled)
                } else if larger.is_some() {
                    Certainty::Doubtful(Doubt::DoesNotSum)
                } else {
                    match witnessed(pages, span, *amount) {
                        // The second engine could not read the total (a seal over it) but read
                        // every line's amount alike: the lines are sure, and the total, read by
                        // the first engine, is their sum.
                        c @ (Certainty::Read | Certainty::Agreed | Certainty::Doubtful(_))
                            if c != Certainty::Doubtful(Doubt::Disputed)
                                && lines_witnessed(pages, &items) =>
                        {
                            Certainty::Sure(Check::Breakdown)
                        }
                        c => c,
                    }
                };
                if certainty == Certainty::Doubtful(Doubt::Disputed) {
                    doc.findings.push(Finding {
                        code: "total_disputed".into(),
                        message: format!(
                            "領収額（{}円）を別の方式で読み直すと異なる金額になりました。",
                            amount
                        ),
                    });
                }
                let span = Span {
                    certainty,
                    ..span.clone()
                };
                set(doc, rf::AMOUNT_TOTAL, Value::Yen(*amount), &span);
                for it in &mut items {
                    it.certainty = match certainty {
                        Certainty::Sure(_) | Certainty::Doubtful(_) => certainty,
                        // Neither confirmed nor disputed: each line stands on its own reading.
                        _ => Certainty::Read,
                    };
                }
            }
            // The page's engine misread the total (a seal over its digits: 「172デ 0.0||0円」 read
            // 172), and the second engine read, on a total's line, the very sum of the lines the
            // first read: two independent readings agree, as where the total was not read at all.
            (_, Some((amount, _)))
                if !items.is_empty() && witnessed_sum(pages, sum, &items).is_some() =>
            {
                let bbox = witnessed_sum(pages, sum, &items);
                let sure = Certainty::Sure(Check::Breakdown);
                let span = Span {
                    text: sum.to_string(),
                    confidence: 1.0,
                    certainty: sure,
                    bbox,
                };
                set(doc, rf::AMOUNT_TOTAL, Value::Yen(sum), &span);
                for it in &mut items {
                    it.certainty = sure;
                }
                doc.findings.push(Finding {
                    code: "total_read_again".into(),
                    message: format!(
                        "領収額を{amount}円と読みましたが、別の方式で読み直した{sum}円が内訳の合計と一致したため、{sum}円としました。"
                    ),
                });
            }
            (_, Some((amount, span))) => {
                let certainty = if items.is_empty() {
                    // No breakdown to check it: a second engine's reading in its box is the
                    // only check there is. Read alike, it is agreed; read otherwise, disputed.
                    match witnessed(pages, span, *amount) {
                        Certainty::Sure(Check::Breakdown) if span.certainty == Certainty::Read => {
                            Certainty::Agreed
                        }
                        d @ Certainty::Doubtful(Doubt::Disputed) => {
                            doc.findings.push(Finding {
                                code: "total_disputed".into(),
                                message: format!(
                                    "領収額（{amount}円）を別の方式で読み直すと異なる金額になりました。"
                                ),
                            });
                            d
                        }
                        _ => span.certainty,
                    }
                } else {
                    doc.findings.push(Finding {
                        code: "items_do_not_sum".into(),
                        message: format!(
                            "内訳の合計（{}円）が領収額（{}円）と一致しません。",
                            sum, amount
                        ),
                    });
                    for it in &mut items {
                        it.certainty = Certainty::Doubtful(Doubt::DoesNotSum);
                    }
                    Certainty::Doubtful(Doubt::DoesNotSum)
                };
                let span = Span {
                    certainty,
                    ..span.clone()
                };
                set(doc, rf::AMOUNT_TOTAL, Value::Yen(*amount), &span);
            }
            (None, None) if !items.is_empty() => match witnessed_sum(pages, sum, &items) {
                // The page's engine did not read the total (a seal over it, most often), but the
                // second engine read, on the total's line, the very sum of the lines the first
                // read: two independent readings agree, and the breakdown stands.
                Some(bbox) => {
                    let sure = Certainty::Sure(Check::Breakdown);
                    let span = Span {
                        text: sum.to_string(),
                        confidence: 1.0,
                        certainty: sure,
                        bbox: Some(bbox),
                    };
                    set(doc, rf::AMOUNT_TOTAL, Value::Yen(sum), &span);
                    for it in &mut items {
                        it.certainty = sure;
                    }
                }
                None => {
                    // No total was read: the breakdown's sum stands in, but not surely.
                    let span = Span {
                        text: sum.to_string(),
                        confidence: 0.0,
                        certainty: Certainty::Doubtful(Doubt::Inferred),
                        bbox: None,
                    };
                    set(doc, rf::AMOUNT_TOTAL, Value::Yen(sum), &span);
                    doc.findings.push(Finding {
                        code: "total_not_found".into(),
                        message:
                            "領収額（合計）が読み取れませんでした。内訳の合計を仮に表示しています。"
                                .into(),
                    });
                }
            },
            _ => {}
        }
        doc.items = items;
        read_marks(doc, pages, page_no);
    }
}

/// Whether a line opens with a till's amount tendered (お預り, お預かり) or change (お釣り, 釣銭) —
/// not 「預り金」, a deposit an institution lists in a breakdown.
/// Its お lost (「預り ¥180.000」 on a photographed till roll, seed 17 sub032: taken for a larger
/// total than the one the breakdown sums to), the label alone before its amount.
fn tendered_or_change(text: &str) -> bool {
    let t = compact(text);
    let amount_next = |rest: &str| {
        rest.chars()
            .next()
            .is_none_or(|c| c.is_ascii_digit() || "¥￥\\".contains(c))
    };
    ["お預", "お釣", "おつり", "釣銭", "釣り銭"]
        .iter()
        .any(|w| t.starts_with(w))
        || ["預り", "預かり", "釣り"]
            .iter()
            .any(|w| t.strip_prefix(w).is_some_and(amount_next))
}

/// Whether a line addresses a person (a name before 「様」 or 「殿」): the payer's line, whatever
/// word of a fee its label holds (「受講生氏名」: 「受講」), is no breakdown line that takes the
/// amount below it (seed 11 sub036, a till roll).
fn addressed(text: &str) -> bool {
    let t = compact(text);
    t.ends_with('様') || t.ends_with('殿')
}

/// What follows a course's name on a breakdown line (「宅地建物取引士講座 入校料」 → 「入校料」): the
/// text after one of `courses` (the course as read and as the application gives it) that the label
/// starts with — a title ending in no course word (「大型自動車第一種運転免許 入学料」, seed 13
/// sub040, sent to review as `other`) —, else after the last word that ends a course's title, when
/// something stands before that word. At least two characters must follow.
pub(super) fn after_course(label: &str, courses: &[String]) -> Option<String> {
    let t = compact(label);
    let fee = |end: usize| {
        let fee = &t[end..];
        (fee.chars().count() >= 2).then(|| fee.to_string())
    };
    let known = courses
        .iter()
        .map(|c| compact(c))
        .filter(|c| c.chars().count() >= 2 && t.starts_with(c.as_str()))
        .map(|c| c.len())
        .max();
    if let Some(found) = known.and_then(fee) {
        return Some(found);
    }
    let end = ["講座", "コース", "課程", "研修"]
        .iter()
        .filter_map(|w| t.rfind(w).filter(|&p| p > 0).map(|p| p + w.len()))
        .max()?;
    fee(end)
}

/// Takes from `bare` (amounts standing alone on a line, by line index) the one nearest `line`'s
/// height that lies right of its start, from `above` character heights above it to one below
/// (never line `skip` itself): the amount a label on `line` was printed for.
fn take_bare_beside(
    bare: &mut [Option<(usize, AmountRead)>],
    lines: &[TextLine],
    line: &TextLine,
    skip: Option<usize>,
    above: u32,
) -> Option<(usize, AmountRead)> {
    let ch = line.char_height();
    bare.iter_mut()
        .filter(|b| {
            b.as_ref().is_some_and(|(bi, _)| {
                Some(*bi) != skip && beside(&lines[*bi], line, ch * above, ch)
            })
        })
        .min_by_key(|b| {
            b.as_ref()
                .map(|(bi, _)| lines[*bi].bbox.y.abs_diff(line.bbox.y))
                .unwrap_or(u32::MAX)
        })
        .and_then(Option::take)
}

/// Whether `amount` (a line) lies where `label`'s amount may: right of its start, from `above`
/// pixels above its top to `below` under its bottom.
fn beside(amount: &TextLine, label: &TextLine, above: u32, below: u32) -> bool {
    amount.bbox.y + above >= label.bbox.y
        && amount.bbox.y <= label.bbox.bottom() + below
        && amount.bbox.x > label.bbox.x
}

/// The amounts standing alone (`bare`, by line index) that the lines `labels` (labelled, no amount
/// of their own; by line index) were printed for: labels and amounts each taken in reading order
/// and matched in that order — a label's amount never above an earlier label's —, as many pairs as
/// [`beside`] allows (two character heights above a label to one below), at the least distance
/// between their middles. Taken one label at a time, nearest first, a label took the amount of the
/// label under it: seed 71 sub016, a fax whose amounts sit raised over their dot leaders, each read
/// as a line of its own — 「受講講座 保育士資格取得講座」 took 入学料's 15,000, 入学料 受講費's
/// 76,000, and the breakdown, shifted by a line, still summed to its total. Amounts printed lower
/// than their labels are matched as well (seed 31 sub051: 「入校料」 and its 50,000 nearer 「授業料」
/// below it). Returns (label line, amount line) pairs.
fn ordered_pairs(
    bare: &[Option<(usize, AmountRead)>],
    lines: &[TextLine],
    labels: &[usize],
) -> Vec<(usize, usize)> {
    let amounts: Vec<usize> = bare.iter().flatten().map(|(i, _)| *i).collect();
    let (n, m) = (labels.len(), amounts.len());
    let middle = |l: &TextLine| l.bbox.y + l.bbox.h / 2;
    let cost = |i: usize, j: usize| {
        let (label, amount) = (&lines[labels[i]], &lines[amounts[j]]);
        let ch = label.char_height();
        (labels[i] != amounts[j] && beside(amount, label, ch * 2, ch))
            .then(|| middle(amount).abs_diff(middle(label)))
    };
    // best[i][j]: the most pairs, then the least distance, among labels i.. and amounts j..
    let mut best = vec![vec![(0usize, 0u32); m + 1]; n + 1];
    let better = |a: (usize, u32), b: (usize, u32)| {
        if a.0 != b.0 {
            a.0 > b.0
        } else {
            a.1 < b.1
        }
    };
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let mut b = best[i + 1][j];
            if better(best[i][j + 1], b) {
                b = best[i][j + 1];
            }
            if let Some(c) = cost(i, j) {
                let (k, d) = best[i + 1][j + 1];
                if better((k + 1, d + c), b) {
                    b = (k + 1, d + c);
                }
            }
            best[i][j] = b;
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let here = best[i][j];
        match cost(i, j) {
            Some(c) if here == (best[i + 1][j + 1].0 + 1, best[i + 1][j + 1].1 + c) => {
                pairs.push((labels[i], amounts[j]));
                i += 1;
                j += 1;
            }
            _ if here == best[i + 1][j] => i += 1,
            _ => j += 1,
        }
    }
    pairs
}

#[cfg(test)]
#[path = "receipt_tests.rs"]
mod tests;
