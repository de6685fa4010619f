//! RULES.md §1.3 as a table: each row a case with its dates, course, breakdown and 雇用保険
//! benefit, the outcome and yen expected, and the rule it exercises; then the lines, the dated
//! parameters, exclusions and instalments. The rows are shared with [`super::reasons`].

use super::*;

pub(super) struct AmountRow {
    case: &'static str,
    completed_on: &'static str,
    applied_on: &'static str,
    kind: CourseKind,
    years: u32,
    items: &'static [(&'static str, i64, ItemCategory)],
    employment_insurance_yen: i64,
    outcome: Outcome,
    yen: i64,
    rule: &'static str,
}

const GENERAL: CourseKind = CourseKind::General;
const SPECIALIZED: CourseKind = CourseKind::SpecializedPractical;
use Outcome::{Deny as 不支給, NeedsReview as 要確認, Pay as 支給};

#[rustfmt::skip]
pub(super) const AMOUNTS: &[AmountRow] = &[
    AmountRow { case: "入学料11,000円+受講料88,000円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
        items: &[("入学料", 11_000, 入学料), ("受講料", 88_000, 受講料)], employment_insurance_yen: 0,
        outcome: 支給, yen: 59_400, rule: "RULES §1.3 worked example: 99,000 × 0.60" },
    AmountRow { case: "同上、雇用保険から19,800円受給", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
        items: &[("入学料", 11_000, 入学料), ("受講料", 88_000, 受講料)], employment_insurance_yen: 19_800,
        outcome: 支給, yen: 39_600, rule: "RULES §1.3 worked example: 差額支給" },
    AmountRow { case: "受講料20,001円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
        items: &[("受講料", 20_001, 受講料)], employment_insurance_yen: 0,
        outcome: 不支給, yen: 0, rule: "RULES §1.3: 12,000円 is not above the lower limit" },
    AmountRow { case: "受講料20,002円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
        items: &[("受講料", 20_002, 受講料)], employment_insurance_yen: 0,
        outcome: 支給, yen: 12_001, rule: "RULES §1.3: 下限は1万2千1円" },
    AmountRow { case: "専門実践2年、受講料3,000,000円", completed_on: "2026-03-31", applied_on: "2026-04-10", kind: SPECIALIZED, years: 2,
        items: &[("受講料", 3_000_000, 受講料)], employment_insurance_yen: 0,
        outcome: 支給, yen: 800_000, rule: "RULES §1.3 worked example: 400,000円 × 2年" },
    AmountRow { case: "専門実践4年、受講料10,000,000円", completed_on: "2026-03-31", applied_on: "2026-04-10", kind: SPECIALIZED, years: 4,
        items: &[("受講料", 10_000_000, 受講料)], employment_insurance_yen: 0,
        outcome: 支給, yen: 1_600_000, rule: "RULES §1.3: at most 1,600,000円" },
    AmountRow { case: "一般、受講料1,000,000円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
        items: &[("受講料", 1_000_000, 受講料)], employment_insurance_yen: 0,
        outcome: 支給, yen: 200_000, rule: "RULES §1.3: cap 200,000円" },
    AmountRow { case: "検定料5,500円は除外", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
        items: &[("入学料", 11_000, 入学料), ("受講料", 88_000, 受講料), ("検定試験受験料", 5_500, 検定料)], employment_insurance_yen: 0,
        outcome: 支給, yen: 59_400, rule: "seed 003 第1-3-(2)-ア" },
    AmountRow { case: "受講料90,000円+消費税9,000円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
        items: &[("受講料", 90_000, 受講料), ("消費税", 9_000, 消費税)], employment_insurance_yen: 0,
        outcome: 支給, yen: 59_400, rule: "seed 003 第1-3-(1): 消費税 counts" },
    AmountRow { case: "受講料100,000円、事業主負担30,000円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
        items: &[("受講料", 100_000, 受講料), ("事業主負担", 30_000, 補助)], employment_insurance_yen: 0,
        outcome: 支給, yen: 42_000, rule: "RULES §1.2: subsidies are deducted" },
    AmountRow { case: "雇用保険の受給額が算定額を上回る", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
        items: &[("受講料", 99_000, 受講料)], employment_insurance_yen: 60_000,
        outcome: 不支給, yen: 0, rule: "RULES §1.3: 差額 0円 is not above the lower limit" },
    AmountRow { case: "2003年、入学料・受講料20,003円", completed_on: "2003-10-01", applied_on: "2003-10-10", kind: GENERAL, years: 1,
        items: &[("受講料", 20_003, 受講料)], employment_insurance_yen: 0,
        outcome: 支給, yen: 8_001, rule: "RULES §1.3 History: 40%, lower limit 8,000円 (seed 003 第1-1-(2)-オ)" },
    AmountRow { case: "2003年、受講料20,002円", completed_on: "2003-10-01", applied_on: "2003-10-10", kind: GENERAL, years: 1,
        items: &[("受講料", 20_002, 受講料)], employment_insurance_yen: 0,
        outcome: 不支給, yen: 0, rule: "RULES §1.3 History: 8,000円 is not above 8,000円" },
    AmountRow { case: "2010年修了（20%の時期、日付未確認）", completed_on: "2010-06-30", applied_on: "2010-07-10", kind: GENERAL, years: 1,
        items: &[("受講料", 99_000, 受講料)], employment_insurance_yen: 0,
        outcome: 要確認, yen: 0, rule: "RULES §1.3 History: no parameter covers the date" },
    AmountRow { case: "専門実践1年、2020年、300,000円（上限に届かない）", completed_on: "2020-03-31", applied_on: "2020-04-10", kind: SPECIALIZED, years: 1,
        items: &[("受講料", 300_000, 受講料)], employment_insurance_yen: 0,
        outcome: 支給, yen: 180_000, rule: "RULES §1.3: unconfirmed cap that does not bind" },
    AmountRow { case: "専門実践2年、2020年、3,000,000円（上限未確認）", completed_on: "2020-03-31", applied_on: "2020-04-10", kind: SPECIALIZED, years: 2,
        items: &[("受講料", 3_000_000, 受講料)], employment_insurance_yen: 0,
        outcome: 要確認, yen: 400_000, rule: "RULES §1.3: unconfirmed cap 200,000円×年 binds" },
    AmountRow { case: "修了日から30日目の申請", completed_on: "2026-06-30", applied_on: "2026-07-29", kind: GENERAL, years: 1,
        items: &[("受講料", 99_000, 受講料)], employment_insurance_yen: 0,
        outcome: 支給, yen: 59_400, rule: "RULES §1.1 E6: 修了日から起算して30日以内" },
    AmountRow { case: "修了日から31日目の申請", completed_on: "2026-06-30", applied_on: "2026-07-30", kind: GENERAL, years: 1,
        items: &[("受講料", 99_000, 受講料)], employment_insurance_yen: 0,
        outcome: 要確認, yen: 59_400, rule: "RULES §1.1 E6: late → review carrying the amount" },
];

/// The standard case moved to a row's dates: started three months before completion,
/// designated 20 days before the start, a child of 5 on the application date.
pub(super) fn from_row(row: &AmountRow) -> CaseB {
    let completed = d(row.completed_on);
    let applied = d(row.applied_on);
    let started = completed - chrono::Months::new(3);
    case()
        .receipt(row.items)
        .app(|a| {
            a.applied_on = Some(applied);
            a.independence_program_on = Some(started);
            a.children.as_mut().unwrap()[0].birth_date = Some(applied - chrono::Months::new(60));
            a.employment_insurance = Some(EmploymentInsurance {
                entitled: row.employment_insurance_yen > 0,
                benefit_yen: row.employment_insurance_yen,
            });
        })
        .course(|c| {
            c.kind = Some(row.kind);
            c.years = Some(row.years);
            c.completed_on = Some(completed);
            c.started_on = Some(started);
            c.designated_on = Some(started - chrono::Days::new(20));
        })
}

#[test]
fn amounts_follow_rules_1_3() {
    for row in AMOUNTS {
        let decision = from_row(row).decide();
        assert_eq!(
            (decision.outcome, decision.amount_yen),
            (row.outcome, row.yen),
            "{} ({}): reasons {:?}",
            row.case,
            row.rule,
            codes(&decision)
        );
    }
}

#[test]
fn the_lines_show_each_step_with_its_rule() {
    let decision = from_row(&AMOUNTS[1]).decide();
    let steps: Vec<(&str, i64)> = decision
        .lines
        .iter()
        .map(|l| (l.label.as_str(), l.amount_yen))
        .collect();
    assert_eq!(
        steps,
        [
            ("対象経費（入学料・受講料・必要な教材費・消費税）", 99_000),
            ("支給率60%を乗じた額（1円未満切り捨て）", 59_400),
            ("上限額（一般・特定一般教育訓練）", 200_000),
            ("雇用保険の教育訓練給付の受給額の差引", -19_800),
            ("支給額（下限額12,000円を超える場合に支給）", 39_600),
        ]
    );
    assert!(decision.lines.iter().all(|l| !l.cites.is_empty()));
    assert!(decision.lines[1].cites.contains("第1-3-(3)"));
    assert_eq!(decision.parameters["as_of"], "2026-06-30");
    assert_eq!(decision.parameters["rate"], "0.60");
    assert_eq!(decision.parameters["cap_yen"], "200000");
    assert_eq!(decision.parameters["lower_limit_yen"], "12000");
    assert!(!decision.parameters.contains_key("unconfirmed"));
    assert_eq!(decision.status, crate::decision::Status::Draft);
    assert_eq!(decision.applied_on, Some(d("2026-07-10")));
}

#[test]
fn the_old_eras_use_their_own_parameters_or_refuse() {
    let old = from_row(&AMOUNTS[11]).decide();
    assert_eq!(old.parameters["rate"], "0.40");
    assert_eq!(old.parameters["e2_formula"], "income_level");
    let gap = from_row(&AMOUNTS[13]).decide();
    assert_eq!(codes(&gap), ["parameters_not_covered"]);
    assert!(gap.lines.is_empty());
}

#[test]
fn an_unconfirmed_parameter_that_changes_the_result_is_named() {
    let binding = from_row(&AMOUNTS[15]).decide();
    assert_eq!(codes(&binding), ["parameter_unconfirmed:cap_yen"]);
    assert_eq!(binding.parameters["unconfirmed"], "cap_yen");
    let not_binding = from_row(&AMOUNTS[14]).decide();
    assert!(!not_binding.parameters.contains_key("unconfirmed"));
    let late = from_row(&AMOUNTS[17]).decide();
    assert_eq!(codes(&late), ["late_application"]);
    assert_eq!(late.parameters["unconfirmed"], "application_deadline_days");
    let on_time = from_row(&AMOUNTS[16]).decide();
    assert!(!on_time.parameters.contains_key("unconfirmed"));
}

#[test]
fn excluded_items_are_listed_with_their_reason() {
    let decision = from_row(&AMOUNTS[7]).decide();
    assert_eq!(decision.excluded.len(), 1);
    let e = &decision.excluded[0];
    assert_eq!(
        (e.label.as_str(), e.amount_yen, e.category),
        ("検定試験受験料", 5_500, 検定料)
    );
    assert_eq!(e.reason, "検定試験の受講料・受験料は対象外です。");
    assert_eq!(e.cites, "seed 003 第1-3-(2)-ア");
}

#[test]
fn instalments_on_several_receipts_add_up_and_a_file_counts_once() {
    let instalments = case()
        .receipt(&[
            ("入学料", 11_000, 入学料),
            ("受講料（前期）", 44_000, 受講料),
        ])
        .receipt(&[("受講料（後期）", 44_000, 受講料)])
        .receipt_edit(set(rf::ISSUED_ON, Value::Date(d("2026-03-01"))));
    let decision = instalments.decide();
    assert_eq!(
        (decision.outcome, decision.amount_yen),
        (Outcome::Pay, 59_400)
    );

    let mut twice = standard().build();
    let copy = twice.documents[0].clone();
    twice.documents.push(copy);
    let decision = decide(&twice, &Parameters::embedded());
    assert_eq!(
        (decision.outcome, decision.amount_yen),
        (Outcome::Pay, 59_400)
    );
    assert_eq!(decision.documents.len(), 3);
}
