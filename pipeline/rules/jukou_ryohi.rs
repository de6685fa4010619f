//! 就業支援講習会の受講旅費 (`benefit = "jukou_ryohi"`): RULES.md §3, seed 000 5-(1)-イ-(イ)-b.
//!
//! Decides who may be paid (the 7-year period after becoming a single parent, and the previous
//! year's income tax) and computes, for each day attended, the fare (at most 1,000円, nothing when
//! the venue is within 2 km walking) plus 受講諸費 470円. The per-day reading is RULES.md's
//! interpretation (the seed does not say "per day"); the days are listed in `decision.days`.
//!
//! The walking distance arrives as an exact decimal (`CourseDay::walking_km`, read from the JSON
//! number's text) and is only compared with the limit ([`is_within_walking_distance`]).
//! Called by [`super::decide`].

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use crate::case::application::CourseDay;
use crate::case::Case;
use crate::decision::{Benefit, DayLine, Decision, Line, Outcome};

use super::common::{draft, period_end, rely_on, required, yen, Findings};
use super::params::{JukouRyohiParameters, Parameters, Used};
use super::reasons::{Class, ReasonCode};

/// Decides a 受講旅費 claim (RULES.md §3).
pub fn decide(case: &Case, params: &Parameters) -> Decision {
    let p = &params.jukou_ryohi;
    let app = &case.application;
    let mut found = Findings::default();
    let mut used = Used::default();

    let applied_on = required(app, "applied_on", app.applied_on.as_ref(), &mut found);
    required(
        app,
        "applicant.name",
        app.applicant.name.as_ref(),
        &mut found,
    );
    // DESIGN.md: `children` is required for every benefit; a 寡婦 has no child under 20, so only
    // its presence is checked here.
    required(app, "children", app.children.as_ref(), &mut found);
    check_eligibility(case, p, &mut found, &mut used);
    let days = required(app, "days", app.days.as_ref(), &mut found).filter(|d| {
        if d.is_empty() {
            found.push(ReasonCode::ApplicationFieldMissing("days".into()));
        }
        !d.is_empty()
    });
    let computed = days.map(|days| compute_days(&days, p, &mut found, &mut used));

    let outcome = found.outcome();
    let ineligible = found.has(Class::Ineligible);
    let paid = matches!(outcome, Outcome::Pay | Outcome::NeedsReview);
    let (amount_yen, lines, day_lines) = match computed {
        Some((lines, day_lines, total)) if !ineligible => {
            (if paid { total } else { 0 }, lines, Some(day_lines))
        }
        _ => (0, Vec::new(), None),
    };
    Decision {
        amount_yen,
        lines,
        days: day_lines,
        ..draft(case, Benefit::JukouRyohi, &found, used, applied_on)
    }
}

/// seed 000 5-(1)-イ-(イ)-b-(b):
/// i 「配偶者のない女子又は配偶者のない男子となった日の翌日から起算して７年（当該７年の期間内に疾病
///   その他やむを得ない理由により受講申込みをすることができなかった日がある場合は、当該日数を加算
///   する。）以内に受講申込みをした者」 — 民法143条: the period ends on the 7th anniversary of
///   becoming one, plus `extension_days`;
/// ii 「前年分の所得税の額（受講者と生計を一にしている者に係る所得税の額を含む。）が…職業安定局長が
///   定める額を超えない者」 — the amount is an unconfirmed parameter: 0円 of tax is within it.
fn check_eligibility(case: &Case, p: &JukouRyohiParameters, found: &mut Findings, used: &mut Used) {
    let app = &case.application;
    let since = required(
        app,
        "single_parent_since",
        app.single_parent_since.as_ref(),
        found,
    );
    let course_applied_on = required(
        app,
        "course_applied_on",
        app.course_applied_on.as_ref(),
        found,
    );
    let tax = required(
        app,
        "prior_year_income_tax_yen",
        app.prior_year_income_tax_yen.as_ref(),
        found,
    )
    .filter(|t| {
        if *t < 0 {
            found.push(ReasonCode::ApplicationFieldMissing(
                "prior_year_income_tax_yen".into(),
            ));
        }
        *t >= 0
    });
    let extension_days = if app.is_malformed("extension_days") {
        found.push(ReasonCode::ApplicationFieldMissing("extension_days".into()));
        None
    } else {
        Some(app.extension_days.unwrap_or(0))
    };
    let Some(on) = course_applied_on else {
        return;
    };
    used.note("as_of", on);

    if let (Some(since), Some(extension)) = (since, extension_days) {
        if on < since {
            found.push(ReasonCode::NotSingleParent);
        } else {
            match p
                .eligibility_period_months
                .at("eligibility_period_months", on)
            {
                None => found.push(ReasonCode::ParametersNotCovered {
                    what: "受講申込みの期間",
                    date: on.to_string(),
                }),
                Some(months) => {
                    used.record(&months);
                    rely_on(&months, found, used);
                    let end = u32::try_from(months.value)
                        .ok()
                        .and_then(|m| period_end(since.succ_opt()?, m))
                        .and_then(|end| end.checked_add_days(Days::new(u64::from(extension))));
                    if end.is_none_or(|end| on > end) {
                        found.push(ReasonCode::OverSevenYears);
                    }
                }
            }
        }
    }

    if let Some(tax) = tax {
        match p.income_tax_limit_yen.at("income_tax_limit_yen", on) {
            None => found.push(ReasonCode::ParametersNotCovered {
                what: "所得税額の上限",
                date: on.to_string(),
            }),
            Some(limit) => {
                used.record(&limit);
                if tax > limit.value {
                    // Above the value kyufu holds: a refusal only if that value is confirmed.
                    if limit.confirmed {
                        found.push(ReasonCode::IncomeTaxOverLimit);
                    } else {
                        rely_on(&limit, found, used);
                    }
                }
            }
        }
    }
}

/// 「徒歩により通所するとした場合に住居と講習会場との距離が片道２キロメートル未満であるものを除く」:
/// whether a walk of `km` (one way) is under the limit; `None` for a negative distance (a misread
/// or mistyped value, which the applicant is asked to correct).
pub fn is_within_walking_distance(km: Decimal, limit_km: Decimal) -> Option<bool> {
    if km.is_sign_negative() && !km.is_zero() {
        return None;
    }
    Some(km < limit_km)
}

/// seed 000 5-(1)-イ-(イ)-b-(c): 「交通費（…運賃等の額によるものとし、その額が 1,000 円を超えるときは、
/// 1,000 円とすること。ただし、…片道２キロメートル未満であるものを除く。）と受講諸費 470 円との合計額」,
/// for each day attended, with the parameters in force that day.
fn compute_days(
    days: &[CourseDay],
    p: &JukouRyohiParameters,
    found: &mut Findings,
    used: &mut Used,
) -> (Vec<Line>, Vec<DayLine>, i64) {
    let mut by_date: BTreeMap<NaiveDate, &CourseDay> = BTreeMap::new();
    for day in days {
        if by_date.insert(day.date, day).is_some() {
            found.push(ReasonCode::DuplicateDay(day.date.to_string()));
        }
    }
    let mut day_lines = Vec::new();
    let (mut transport_total, mut expenses_total, mut counted) = (0i64, 0i64, 0i64);
    // The per-day amounts as the summary lines print them (those of the first day counted).
    let mut per_day: Option<(i64, i64)> = None;
    for (date, day) in by_date {
        let (Some(cap), Some(expenses), Some(walking_limit)) = (
            p.fare_cap_yen.at("fare_cap_yen", date),
            p.expenses_per_day_yen.at("expenses_per_day_yen", date),
            p.walking_limit_km.at("walking_limit_km", date),
        ) else {
            found.push(ReasonCode::ParametersNotCovered {
                what: "受講旅費の額",
                date: date.to_string(),
            });
            continue;
        };
        used.record(&cap);
        used.record(&expenses);
        used.record(&walking_limit);
        for selected in [&cap, &expenses] {
            rely_on(selected, found, used);
        }
        rely_on(&walking_limit, found, used);
        if day.fare_yen < 0 {
            found.push(ReasonCode::ApplicationFieldMissing("days.fare_yen".into()));
            continue;
        }
        let Some(near) = is_within_walking_distance(day.walking_km, walking_limit.value) else {
            found.push(ReasonCode::ApplicationFieldMissing(
                "days.walking_km".into(),
            ));
            continue;
        };
        let transport_yen = if near { 0 } else { day.fare_yen.min(cap.value) };
        let amount_yen = transport_yen.saturating_add(expenses.value);
        transport_total = transport_total.saturating_add(transport_yen);
        expenses_total = expenses_total.saturating_add(expenses.value);
        counted += 1;
        per_day.get_or_insert((cap.value, expenses.value));
        day_lines.push(DayLine {
            date,
            transport_yen,
            expenses_yen: expenses.value,
            amount_yen,
        });
    }
    let total = day_lines
        .iter()
        .fold(0i64, |s, d| s.saturating_add(d.amount_yen));
    let lines = vec![
        Line {
            label: format!(
                "交通費（往復の運賃、1日{}円まで。徒歩で片道2km未満の日は対象外）",
                yen(per_day.map_or(0, |(cap, _)| cap))
            ),
            amount_yen: transport_total,
            cites: "seed 000 5-(1)-イ-(イ)-b-(c)".into(),
        },
        Line {
            label: format!(
                "受講諸費 {}円 × {counted}日",
                yen(per_day.map_or(0, |(_, expenses)| expenses))
            ),
            amount_yen: expenses_total,
            cites: "seed 000 5-(1)-イ-(イ)-b-(c)".into(),
        },
        Line {
            label: "受講旅費 合計".into(),
            amount_yen: total,
            cites: "seed 000 5-(1)-イ-(イ)-b; RULES.md §3（受講日ごとに支給）".into(),
        },
    ];
    (lines, day_lines, total)
}

#[cfg(test)]
mod tests {
    //! The standard claim: a mother single since 2021-03-01 applied for the 講習会 on 2026-04-01,
    //! paid no income tax last year, and attended three days — fares 840円 (3.2 km), 1,280円
    //! (3.2 km, capped at 1,000円) and 840円 (1.5 km walking: no fare).

    use proptest::prelude::*;

    use super::*;
    use crate::case::application::Applicant;
    use crate::case::Application;
    use crate::decision::Outcome::{
        Deny as 不支給, Incomplete as 補正, NeedsReview as 要確認, Pay as 支給,
    };

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn day(date: &str, fare_yen: i64, walking_km: &str) -> CourseDay {
        CourseDay {
            date: d(date),
            fare_yen,
            walking_km: walking_km.parse().expect("test distance"),
        }
    }

    fn application() -> Application {
        Application {
            benefit: Some(Benefit::JukouRyohi),
            applied_on: Some(d("2026-05-20")),
            applicant: Applicant {
                name: Some("山田 花子".into()),
                ..Applicant::default()
            },
            children: Some(Vec::new()),
            single_parent_since: Some(d("2021-03-01")),
            course_applied_on: Some(d("2026-04-01")),
            prior_year_income_tax_yen: Some(0),
            days: Some(vec![
                day("2026-05-01", 840, "3.2"),
                day("2026-05-08", 1_280, "3.2"),
                day("2026-05-15", 840, "1.5"),
            ]),
            ..Application::default()
        }
    }

    fn decide_app(app: Application) -> Decision {
        let case = Case {
            case_id: "2026-000300".into(),
            application: app,
            documents: Vec::new(),
        };
        super::super::decide(&case, &Parameters::embedded())
    }

    struct Row {
        case: &'static str,
        change: fn(&mut Application),
        outcome: Outcome,
        yen: i64,
        code: Option<&'static str>,
        rule: &'static str,
    }

    #[rustfmt::skip]
    const ROWS: &[Row] = &[
        Row { case: "3日: 840+470, 1,000+470, 0+470", change: |_| {},
            outcome: 支給, yen: 3_250, code: None, rule: "seed 000 (c): fare ≤ 1,000円, 0 under 2 km, + 470円" },
        Row { case: "徒歩ちょうど2.0km: 運賃を支給", change: |a| a.days = Some(vec![day("2026-05-01", 840, "2.0")]),
            outcome: 支給, yen: 1_310, code: None, rule: "seed 000 (c): 2km未満を除く" },
        Row { case: "徒歩1.99km: 運賃なし", change: |a| a.days = Some(vec![day("2026-05-01", 840, "1.99")]),
            outcome: 支給, yen: 470, code: None, rule: "seed 000 (c): 2km未満を除く" },
        Row { case: "ひとり親となって7年目の応当日（2019-04-01→2026-04-01）に申込み", change: |a| a.single_parent_since = Some(d("2019-04-01")),
            outcome: 支給, yen: 3_250, code: None, rule: "seed 000 (b)-i; 民法143条" },
        Row { case: "その翌日に申込み", change: |a| { a.single_parent_since = Some(d("2019-04-01")); a.course_applied_on = Some(d("2026-04-02")); },
            outcome: 不支給, yen: 0, code: Some("over_seven_years"), rule: "seed 000 (b)-i; 民法143条" },
        Row { case: "その翌日、やむを得ない理由の1日を加算", change: |a| { a.single_parent_since = Some(d("2019-04-01")); a.course_applied_on = Some(d("2026-04-02")); a.extension_days = Some(1); },
            outcome: 支給, yen: 3_250, code: None, rule: "seed 000 (b)-i（当該日数を加算）" },
        Row { case: "ひとり親となる前の申込み", change: |a| a.course_applied_on = Some(d("2021-02-28")),
            outcome: 不支給, yen: 0, code: Some("not_single_parent"), rule: "seed 000 (b)-i" },
        Row { case: "前年の所得税1円（上限額は未確認）", change: |a| a.prior_year_income_tax_yen = Some(1),
            outcome: 要確認, yen: 3_250, code: Some("parameter_unconfirmed:income_tax_limit_yen"), rule: "seed 000 (b)-ii" },
        Row { case: "同じ日を2回申請", change: |a| a.days.as_mut().unwrap().push(day("2026-05-01", 840, "3.2")),
            outcome: 要確認, yen: 3_250, code: Some("duplicate_day"), rule: "seed 000 (c)" },
        Row { case: "受講日なし", change: |a| a.days = Some(Vec::new()),
            outcome: 補正, yen: 0, code: Some("application_field_missing:days"), rule: "DESIGN.md required fields" },
        Row { case: "徒歩距離が負の数", change: |a| a.days = Some(vec![day("2026-05-01", 840, "-0.5")]),
            outcome: 補正, yen: 0, code: Some("application_field_missing:days.walking_km"), rule: "DESIGN.md days" },
        Row { case: "ひとり親となった日の記載なし", change: |a| a.single_parent_since = None,
            outcome: 補正, yen: 0, code: Some("application_field_missing:single_parent_since"), rule: "DESIGN.md required fields" },
        Row { case: "2007年の受講日（要綱の適用前）", change: |a| { a.course_applied_on = Some(d("2008-05-01")); a.single_parent_since = Some(d("2005-01-01")); a.days = Some(vec![day("2007-05-01", 840, "3.2")]); },
            outcome: 要確認, yen: 0, code: Some("parameters_not_covered"), rule: "seed 000 applies from 2008-04-01" },
    ];

    #[test]
    fn claims_follow_rules_3() {
        for row in ROWS {
            let mut app = application();
            (row.change)(&mut app);
            let decision = decide_app(app);
            let codes: Vec<&str> = decision.reasons.iter().map(|r| r.code.as_str()).collect();
            assert_eq!(
                (decision.outcome, decision.amount_yen),
                (row.outcome, row.yen),
                "{} ({}): {codes:?}",
                row.case,
                row.rule
            );
            if let Some(code) = row.code {
                assert!(
                    codes.contains(&code),
                    "{}: expected {code} in {codes:?}",
                    row.case
                );
            }
        }
    }

    #[test]
    fn the_days_and_lines_show_each_amount() {
        let decision = decide_app(application());
        let days: Vec<(String, i64, i64, i64)> = decision
            .days
            .expect("days")
            .iter()
            .map(|d| {
                (
                    d.date.to_string(),
                    d.transport_yen,
                    d.expenses_yen,
                    d.amount_yen,
                )
            })
            .collect();
        assert_eq!(
            days,
            [
                ("2026-05-01".to_string(), 840, 470, 1_310),
                ("2026-05-08".to_string(), 1_000, 470, 1_470),
                ("2026-05-15".to_string(), 0, 470, 470),
            ]
        );
        let lines: Vec<i64> = decision.lines.iter().map(|l| l.amount_yen).collect();
        assert_eq!(lines, [1_840, 1_410, 3_250]);
        assert_eq!(decision.lines[1].label, "受講諸費 470円 × 3日");
        assert_eq!(decision.parameters["as_of"], "2026-04-01");
        assert!(!decision.parameters.contains_key("unconfirmed"));
    }

    /// seed 000 5-(1)-イ-(イ)-b-(c) 「片道２キロメートル未満であるものを除く」 around its threshold, from
    /// the JSON number an online application carries to the yen paid for that day: the fare is
    /// paid from exactly 2 km, not below it.
    #[test]
    fn the_fare_is_paid_from_two_km_walking() {
        #[rustfmt::skip]
        let table: &[(&str, i64, i64)] = &[
            // walking_km as written, transport paid (fare 840円), day's amount (+ 受講諸費 470円)
            ("2.0",        840, 1_310),
            ("2",          840, 1_310),
            ("2.00000001", 840, 1_310),
            ("1.99",         0,   470),
            ("1.9999999",    0,   470),
            ("0",            0,   470),
        ];
        for (km, transport, amount) in table {
            let mut app = application();
            let json = format!(
                r#"{{"days": [{{"date": "2026-05-01", "fare_yen": 840, "walking_km": {km}}}]}}"#
            );
            app.days = Application::from_json_bytes(json.as_bytes()).unwrap().days;
            let decision = decide_app(app);
            let day = &decision.days.as_ref().expect("days")[0];
            assert_eq!(
                (decision.outcome, day.transport_yen, day.amount_yen),
                (支給, *transport, *amount),
                "walking_km {km}"
            );
        }
    }

    #[test]
    fn walking_distance_is_compared_exactly() {
        let limit: Decimal = "2.0".parse().unwrap();
        let km = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(is_within_walking_distance(km("1.9999"), limit), Some(true));
        assert_eq!(is_within_walking_distance(km("2.0"), limit), Some(false));
        assert_eq!(is_within_walking_distance(km("0"), limit), Some(true));
        assert_eq!(is_within_walking_distance(km("-0.5"), limit), None);
    }

    /// No float type anywhere in the rules: `clippy::float_arithmetic` (denied in `rules/mod.rs`)
    /// catches arithmetic, this catches a float field or parameter coming back.
    #[test]
    fn the_rules_hold_no_float() {
        let mut dirs =
            vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline/rules")];
        let mut paths = Vec::new();
        // A benefit's own folder (kyoiku_kunren/) is read too.
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    paths.push(path);
                }
            }
        }
        assert!(paths.len() > 10, "{paths:?}");
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                // Spelt so that this test's own source does not match.
                let float = [format!("f{}", 32), format!("f{}", 64)].iter().any(|f| {
                    code.match_indices(f.as_str()).any(|(i, _)| {
                        let before = code[..i].chars().next_back();
                        let after = code[i + 3..].chars().next();
                        let word =
                            |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                        !word(before) && !word(after)
                    })
                });
                assert!(!float, "{}:{}: {line}", path.display(), n + 1);
            }
        }
    }

    proptest! {
        #[test]
        fn the_total_is_the_sum_of_the_days_and_each_day_is_bounded(
            // Walking distances in metres, 0 to 10 km.
            days in prop::collection::vec((0u32..60, 0i64..5_000, 0i64..10_000), 1..20),
        ) {
            let mut app = application();
            let first = d("2026-05-01");
            app.days = Some(days.iter().map(|&(offset, fare, km)| CourseDay {
                date: first + Days::new(u64::from(offset)),
                fare_yen: fare,
                walking_km: Decimal::new(km, 3),
            }).collect());
            let decision = decide_app(app);
            let day_lines = decision.days.clone().unwrap_or_default();
            let sum: i64 = day_lines.iter().map(|d| d.amount_yen).sum();
            prop_assert_eq!(decision.amount_yen, sum);
            prop_assert_eq!(decision.lines.last().map(|l| l.amount_yen), Some(sum));
            for line in &day_lines {
                prop_assert!(line.transport_yen >= 0 && line.transport_yen <= 1_000);
                prop_assert_eq!(line.amount_yen, line.transport_yen + 470);
            }
        }
    }
}
