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
mod tests {
    use crate::document::{receipt_fields as rf, BBox, Certainty, Check, Doubt, Value};
    use crate::extract::layout::{lines_from_text, TextLine, Token};
    use crate::extract::{Extractor, PageInput, WitnessOf, Witnessed};

    /// Seed 7 sub031: a seal over the total's digits, read 「172デ 0.0||0円」 by the page's engine.
    fn misread_total(witness: &str) -> PageInput {
        let text = [
            "領 収 証",
            "池田 麻衣 様",
            "ご入金額 : 172デ 0.0||0円",
            "入学料 10,000円",
            "受講費 52,000円",
            "パソコン購入費 110,000円",
        ];
        let lines = lines_from_text(&text.map(String::from));
        let total_line = lines[2].bbox;
        PageInput {
            number: 1,
            lines,
            marks: Default::default(),
            text_layer: false,
            witnesses: vec![Witnessed {
                bbox: total_line,
                text: witness.into(),
                of: WitnessOf::Total,
            }],
        }
    }

    fn total(p: &PageInput) -> (Value, Certainty, Vec<String>) {
        let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(p));
        let f = docs[0].field(rf::AMOUNT_TOTAL).expect("total").clone();
        let findings = docs[0].findings.iter().map(|f| f.code.clone()).collect();
        (f.value, f.certainty, findings)
    }

    /// A word as the page's engine read it: its text, x, y, width and height.
    type Word = (&'static str, u32, u32, u32, u32);

    /// A page of `read`'s lines, word by word, whose total the second engine read as `witness`
    /// in `total_box`.
    fn witnessed_page(read: &[&[Word]], total_box: BBox, witness: &str) -> PageInput {
        let lines = read
            .iter()
            .map(|words| {
                TextLine::from_tokens(
                    words
                        .iter()
                        .map(|&(t, x, y, w, h)| Token::read_at(t, x, y, w, h))
                        .collect(),
                )
            })
            .collect();
        PageInput {
            number: 1,
            lines,
            witnesses: vec![Witnessed {
                bbox: total_box,
                text: witness.into(),
                of: WitnessOf::Total,
            }],
            ..PageInput::default()
        }
    }

    #[test]
    fn a_breakdowns_heading_takes_no_amount_as_the_total() {
        // Seed 11 sub018 sent by fax: a credit contract whose total, 「¥1,410,000-」, was misread
        // 「¥1410009-」 (its yen sign a backslash); the heading 「契約額の内訳」 under it took the
        // 「630,000円」 below it as the total, 入校料 the next line's, and the second engine read
        // 630,000 in the 'total's' box: paid on 630,000 surely. The total misread does not sum.
        // The page's lines as read (`TOKS=1 cargo run --example lines`), word by word.
        let read: &[&[Word]] = &[
            &[
                ("ジッ", 604, 239, 109, 47),
                ("ト", 750, 233, 30, 46),
                ("契", 810, 227, 45, 52),
                ("約", 882, 223, 38, 52),
                ("証明", 953, 217, 102, 55),
                ("書", 1075, 212, 48, 53),
            ],
            &[("クレ", 470, 246, 112, 48)],
            &[
                ("清水", 558, 400, 103, 34),
                ("彩", 646, 386, 28, 65),
                ("殿", 698, 397, 30, 31),
            ],
            &[
                ("契約", 212, 565, 93, 33),
                ("日", 284, 560, 22, 51),
                ("日", 791, 575, 24, 3),
                ("_", 867, 571, 9, 3),
            ],
            &[
                ("会", 380, 631, 30, 30),
                ("社", 421, 629, 23, 31),
                ("株", 573, 621, 28, 41),
                ("式", 612, 617, 46, 43),
                ("会", 668, 616, 31, 40),
                ("社", 701, 617, 30, 39),
                ("み", 735, 614, 28, 40),
                ("な", 769, 613, 23, 39),
                ("と", 802, 613, 17, 37),
                ("ファ", 836, 607, 45, 41),
                ("イナ", 887, 606, 51, 40),
                ("ンス", 941, 604, 73, 38),
            ],
            &[
                ("クレ", 218, 641, 59, 28),
                ("ジッ", 283, 638, 53, 27),
                ("ト", 356, 635, 17, 27),
            ],
            &[
                ("クレ", 222, 713, 59, 28),
                ("ジッ", 287, 710, 53, 28),
                ("ト", 360, 707, 17, 27),
                ("契", 384, 703, 31, 31),
                ("約", 425, 702, 22, 30),
                ("額", 461, 700, 20, 30),
                ("\\1410009-", 578, 688, 208, 46),
            ],
            &[
                ("契約", 224, 792, 195, 39),
                ("額", 310, 788, 36, 52),
                ("の", 345, 788, 18, 52),
                ("内", 362, 788, 36, 52),
                ("訳", 397, 788, 27, 52),
            ],
            &[("入校", 606, 841, 95, 35), ("料", 682, 837, 22, 51)],
            &[("630,000", 1274, 871, 117, 33), ("円", 1395, 869, 28, 29)],
            &[
                ("授業", 608, 905, 97, 35),
                ("料", 694, 893, 23, 54),
                ("(1", 730, 902, 25, 31),
                ("年", 758, 897, 75, 34),
                ("次", 806, 893, 19, 54),
                (")", 824, 893, 10, 54),
            ],
            &[("630,000", 1278, 934, 116, 34), ("円", 1400, 931, 26, 30)],
            &[
                ("授業", 612, 967, 96, 35),
                ("料", 698, 956, 23, 54),
                ("(2", 731, 965, 28, 31),
                ("年", 770, 964, 33, 30),
                ("次", 810, 962, 14, 30),
                (")", 827, 960, 9, 31),
            ],
        ];
        let total_box = BBox {
            x: 1274,
            y: 869,
            w: 149,
            h: 35,
        };
        let page = witnessed_page(read, total_box, "630,000円");
        let (value, certainty, findings) = total(&page);
        assert_eq!(value, Value::Yen(1_410_009));
        assert_eq!(
            certainty,
            Certainty::Doubtful(Doubt::DoesNotSum),
            "{findings:?}"
        );
    }

    #[test]
    fn a_larger_total_on_the_page_than_the_breakdowns_leaves_it_doubtful() {
        // Seed 11 sub059 sent by fax, a till roll: 「領収額 ¥1,880,000」 read 「\\1.880.000」
        // (its yen sign a backslash), the second year's line split in two and its 「¥890,000」
        // standing alone, taken for a total the first year's line (890,000) summed to, and
        // witnessed in its box.
        let read: &[&[Word]] = &[
            &[
                ("領", 200, 264, 31, 31),
                ("収", 288, 263, 15, 30),
                ("書", 346, 260, 29, 32),
            ],
            &[
                ("宛名", 16, 373, 180, 27),
                ("楊", 78, 369, 25, 40),
                ("本", 102, 369, 27, 40),
                ("綾香", 128, 373, 48, 27),
                ("雪", 175, 369, 24, 40),
            ],
            &[("\\100.600", 472, 461, 97, 21)],
            &[
                ("入", 36, 475, 21, 21),
                ("入", 59, 473, 22, 21),
                ("料", 82, 473, 21, 21),
            ],
            &[
                ("授業", 37, 528, 68, 24),
                ("料", 93, 512, 20, 56),
                ("(年", 121, 526, 76, 22),
                ("次", 177, 512, 16, 56),
                (")", 191, 512, 12, 56),
                ("890,000円", 474, 511, 96, 36),
            ],
            &[
                ("G", 128, 581, 15, 22),
                ("年", 151, 581, 24, 21),
                ("次", 179, 581, 11, 21),
                (")", 194, 581, 5, 21),
                ("\\890.000", 475, 571, 97, 21),
            ],
            &[("授業", 38, 583, 69, 23), ("料", 97, 577, 23, 38)],
            &[
                ("領収", 24, 651, 103, 35),
                ("額", 108, 647, 23, 53),
                ("\\1.880.000", 402, 641, 171, 36),
            ],
            &[
                ("W3.890.", 460, 701, 115, 25),
                ("ロ", 543, 697, 10, 35),
                ("00", 552, 697, 27, 35),
            ],
            &[("お", 28, 717, 19, 19), ("預り", 54, 715, 37, 21)],
            &[("WIO0.00O", 493, 737, 84, 23)],
            &[("お", 28, 753, 19, 19), ("釣り", 54, 751, 39, 21)],
        ];
        let total_box = BBox {
            x: 475,
            y: 571,
            w: 97,
            h: 21,
        };
        let page = witnessed_page(read, total_box, "¥890,000");
        let (_, certainty, findings) = total(&page);
        assert_eq!(certainty, Certainty::Doubtful(Doubt::DoesNotSum));
        assert!(
            findings.contains(&"items_do_not_sum".to_string()),
            "{findings:?}"
        );
    }

    #[test]
    fn a_lines_amount_the_second_engine_read_again_is_no_total() {
        // A one-line breakdown's amount witnessed where a total was looked for: the line's
        // amount read twice is no total the breakdown sums to.
        let text = [
            "領 収 書",
            "清水 彩 様",
            "合計 ¥1410009-",
            "入校料 630,000円",
        ];
        let lines = lines_from_text(&text.map(String::from));
        let unwitnessed = PageInput {
            number: 1,
            lines,
            ..PageInput::default()
        };
        let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(&unwitnessed));
        let item = docs[0].items.first().expect("the breakdown's line");
        let page = PageInput {
            witnesses: vec![Witnessed {
                bbox: item.bbox.expect("its box"),
                text: "630,000円".into(),
                of: WitnessOf::Total,
            }],
            ..unwitnessed
        };
        let (value, certainty, _) = total(&page);
        assert_eq!(value, Value::Yen(1_410_009));
        assert_eq!(certainty, Certainty::Doubtful(Doubt::DoesNotSum));
    }

    #[test]
    fn a_misread_total_the_second_engine_reads_as_the_breakdowns_sum_is_that_sum_surely() {
        let (value, certainty, findings) = total(&misread_total("172,000円"));
        assert_eq!(value, Value::Yen(172_000));
        assert_eq!(certainty, Certainty::Sure(Check::Breakdown));
        assert!(
            findings.contains(&"total_read_again".to_string()),
            "{findings:?}"
        );
        // The second engine reading yet another amount settles nothing: the total stays doubtful.
        let (_, certainty, _) = total(&misread_total("178,000円"));
        assert_eq!(certainty, Certainty::Doubtful(Doubt::DoesNotSum));
    }

    /// A total under a seal: the page's engine read it (and the breakdown sums to it), the second
    /// engine read nothing in its box; each line's amount witnessed as `lines` says.
    fn sealed_total(lines: [&str; 2]) -> PageInput {
        let text = [
            "領 収 証",
            "池田 麻衣 様",
            "合計 87,000円",
            "入校料 10,000円",
            "受講料 77,000円",
        ];
        let read = lines_from_text(&text.map(String::from));
        let mut witnesses = vec![Witnessed {
            bbox: read[2].bbox,
            text: "afi) iin".into(),
            of: WitnessOf::Total,
        }];
        let extractor = Extractor::default();
        let unwitnessed = PageInput {
            number: 1,
            lines: read.clone(),
            ..PageInput::default()
        };
        let docs = extractor.extract("r.jpg", std::slice::from_ref(&unwitnessed));
        for (item, text) in docs[0].items.iter().zip(lines) {
            witnesses.push(Witnessed {
                bbox: item.bbox.expect("an item's box"),
                text: text.into(),
                of: WitnessOf::Item,
            });
        }
        PageInput {
            number: 1,
            lines: read,
            witnesses,
            ..PageInput::default()
        }
    }

    #[test]
    fn a_total_the_second_engine_cannot_read_is_sure_when_it_read_every_line_alike() {
        let (value, certainty, _) = total(&sealed_total(["10,000円", "77,000円"]));
        assert_eq!(value, Value::Yen(87_000));
        assert_eq!(certainty, Certainty::Sure(Check::Breakdown));
        // One line read otherwise by the second engine: the total stays as the first engine read
        // it, confirmed by nothing.
        let (_, certainty, _) = total(&sealed_total(["10,000円", "77,900円"]));
        assert_eq!(certainty, Certainty::Read);
        // A line the second engine read nothing in.
        let (_, certainty, _) = total(&sealed_total(["10,000円", ""]));
        assert_eq!(certainty, Certainty::Read);
    }

    #[test]
    fn a_tills_tendered_amount_and_change_are_neither_the_total_nor_a_line() {
        // Seed 13 sub014 as PP-OCRv6 splits a till roll: each amount on a line of its own.
        let text = [
            "領 収 書",
            "木村 理恵 殿",
            "講習料(第2回)",
            "          ¥77,000",
            "税込合計 ¥77,000",
            "お預り",
            "          ¥80,000",
            "お釣り",
            "          ¥3,000",
            "受講料として介護福祉士実務者研修",
        ];
        let page = PageInput {
            number: 1,
            lines: lines_from_text(&text.map(String::from)),
            ..PageInput::default()
        };
        let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(&page));
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(77_000));
        let items: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
        assert_eq!(items, [77_000]);
    }

    #[test]
    fn an_amount_standing_alone_is_the_nearest_labels_not_the_line_above_its() {
        // Seed 71 sub016, a fax: amounts raised over their dot leaders, each read as a line.
        let line = |words: &[(&str, u32, u32, u32, u32)]| {
            let tokens: Vec<Token> = words
                .iter()
                .map(|&(text, x, y, w, h)| Token {
                    text: text.into(),
                    confidence: 0.95,
                    agreed: false,
                    bbox: BBox { x, y, w, h },
                })
                .collect();
            let bbox = tokens[1..]
                .iter()
                .fold(tokens[0].bbox, |b, t| b.union(&t.bbox));
            TextLine { tokens, bbox }
        };
        let lines = vec![
            line(&[("領収書", 147, 185, 200, 72)]),
            line(&[
                ("お名前", 154, 315, 100, 39),
                ("中村 大輔 様", 300, 315, 300, 39),
            ]),
            line(&[
                ("受講講座", 157, 475, 160, 40),
                ("保育士資格取得講座", 340, 475, 400, 40),
            ]),
            line(&[("15,000円", 1026, 534, 150, 34)]),
            line(&[("入学料", 222, 555, 100, 33)]),
            line(&[("76,000円", 1025, 605, 150, 33)]),
            line(&[("受講費", 224, 610, 100, 34)]),
            line(&[("11,000円", 1030, 676, 150, 33)]),
            line(&[("補講費", 225, 697, 100, 34)]),
            line(&[
                ("領収金額", 224, 733, 150, 49),
                ("金102,000円也", 910, 733, 258, 49),
            ]),
        ];
        let page = PageInput {
            number: 1,
            lines,
            ..PageInput::default()
        };
        let docs = Extractor::default().extract("r.tif", std::slice::from_ref(&page));
        let items: Vec<(String, i64)> = docs[0]
            .items
            .iter()
            .map(|i| (i.label.clone(), i.amount))
            .collect();
        assert_eq!(
            items,
            [
                ("入学料".to_string(), 15_000),
                ("受講費".to_string(), 76_000),
                ("補講費".to_string(), 11_000)
            ]
        );
    }

    #[test]
    fn amounts_printed_lower_than_their_labels_stay_with_them() {
        // Seed 31 sub051, a fax as read: each amount half a line under its label, 50,000 nearer
        // 「授業料」 than 「入校料」.
        let word = |text: &str, x, y, w, h| Token {
            text: String::from(text),
            confidence: 0.9,
            agreed: false,
            bbox: BBox { x, y, w, h },
        };
        let line = |t: Token| TextLine {
            bbox: t.bbox,
            tokens: vec![t],
        };
        let page = PageInput {
            number: 1,
            lines: vec![
                line(word("領収書", 812, 183, 200, 53)),
                line(word("入校料", 322, 751, 83, 29)),
                line(word("50,000円", 1000, 783, 116, 41)),
                line(word("授業料(1年次)", 322, 801, 200, 26)),
                line(word("720,000円", 983, 840, 131, 27)),
            ],
            ..PageInput::default()
        };
        let docs = Extractor::default().extract("r.tif", std::slice::from_ref(&page));
        let items: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
        assert_eq!(items, [50_000, 720_000]);
    }

    #[test]
    fn a_tills_tendered_amount_whose_o_was_lost_is_no_larger_total() {
        // Seed 17 sub032, a photographed till roll as read.
        let text = [
            "領 収 書",
            "受講者名 池田 達也 殿",
            "入学金 ¥30.000",
            "受講費 ¥142.000",
            "お支払金額 ¥172,.000",
            "預り ¥180.000",
            "お釣り ¥8.000",
        ];
        let page = PageInput {
            number: 1,
            lines: lines_from_text(&text.map(String::from)),
            ..PageInput::default()
        };
        let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(&page));
        let total = docs[0].field(rf::AMOUNT_TOTAL).expect("a total");
        assert_eq!(total.value, Value::Yen(172_000));
        assert_ne!(total.certainty, Certainty::Doubtful(Doubt::DoesNotSum));
        assert!(!docs[0]
            .findings
            .iter()
            .any(|f| f.code == "items_do_not_sum"));
        // A deposit in a breakdown is no tendered amount.
        assert!(!super::tendered_or_change("預り金 ¥10,000"));
        assert!(super::tendered_or_change("預り ¥180,000"));
    }

    #[test]
    fn an_address_is_no_amount_and_a_close_second_column_keeps_its_label() {
        // Seed 13 sub055 as PP-OCRv6 reads it: the issuer's name (「パソコン」 in it) over its
        // address, and a two-column breakdown whose second label carries a figure.
        let text = [
            "領 収 証",
            "青木 香織 殿     青葉パソコン教室八王子校",
            "                 群馬県高崎市3丁目19番1号",
            "合計    金79,860円也",
            "入学金    18,100円 消費税（10%）    7,260円",
            "授業料    54,500円",
        ];
        let page = PageInput {
            number: 1,
            lines: lines_from_text(&text.map(String::from)),
            ..PageInput::default()
        };
        let docs = Extractor::default().extract("r.png", std::slice::from_ref(&page));
        let items: Vec<(String, i64)> = docs[0]
            .items
            .iter()
            .map(|i| (i.label.clone(), i.amount))
            .collect();
        assert_eq!(
            items,
            [
                ("入学金".to_string(), 18_100),
                ("消費税(10%)".to_string(), 7_260),
                ("授業料".to_string(), 54_500)
            ]
        );
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(79_860));
        assert!(!docs[0]
            .findings
            .iter()
            .any(|f| f.code == "items_do_not_sum"));
    }

    #[test]
    fn the_payers_line_takes_no_amount_and_a_line_amount_is_no_total() {
        // Seed 11 sub036 as Tesseract read a till roll's photo: the fee labels lost, the amounts
        // standing alone. 「受講生氏名」 holds 「受講」, a fee's word.
        let text = [
            "領 収 書",
            "受講生氏名田中花子様",
            "                 ¥182.000",
            "                  ¥9.200",
            "                 ¥191,200",
            "但し Web デザイナー養成 講座 講座費用 一式として",
        ];
        let page = PageInput {
            number: 1,
            lines: lines_from_text(&text.map(String::from)),
            ..PageInput::default()
        };
        let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(&page));
        assert!(docs[0].items.is_empty(), "{:?}", docs[0].items);
        let total = docs[0].field(rf::AMOUNT_TOTAL).expect("a total");
        assert!(
            !matches!(total.certainty, Certainty::Sure(_)),
            "{:?}",
            total
        );

        // A fee's label over its amount alone, and no total's label: the amount is the line's,
        // and the total is not read (the line's amount does not confirm itself).
        let text = [
            "領 収 書",
            "山田 花子 様",
            "受講料",
            "                 ¥77,000",
        ];
        let page = PageInput {
            number: 1,
            lines: lines_from_text(&text.map(String::from)),
            ..PageInput::default()
        };
        let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(&page));
        let items: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
        assert_eq!(items, [77_000]);
        let total = docs[0].field(rf::AMOUNT_TOTAL).expect("the sum stands in");
        assert_eq!(total.certainty, Certainty::Doubtful(Doubt::Inferred));
    }

    #[test]
    fn an_amount_whose_yen_sign_is_misread_as_a_kanji_is_still_read_whole() {
        // Seed 7 sub019, a faxed credit contract: 「金690,000円也」 read 「金690,」「000月也」.
        let text = [
            "ク レ ジ ッ ト 契 約 証 明 書",
            "岡川 美穂 様",
            "クレジット契約額    金690, 000月也",
            "                 授業料(3年次) 690,000",
        ];
        let page = PageInput {
            number: 1,
            lines: lines_from_text(&text.map(String::from)),
            ..PageInput::default()
        };
        let docs = Extractor::default().extract("r.png", std::slice::from_ref(&page));
        assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(690_000));
        assert!(!docs[0].findings.iter().any(|f| f.code == "total_not_found"));
    }
}
