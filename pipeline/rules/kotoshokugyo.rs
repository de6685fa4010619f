//! 高等職業訓練促進給付金 (monthly stipend while training, `benefit = "kotoshokugyo"`) and its
//! 修了支援給付金 (`benefit = "kotoshokugyo_shuryo"`): RULES.md §2 (formerly 高等技能訓練促進費,
//! seed 003 第2).
//!
//! The stipend's decision carries a month-by-month plan (`decision.schedule`, the 支給予定表) from
//! the application and the attendance it reports; `amount_yen` is the plan's total. Each month
//! that is not paid carries its schedule-line code ([`ScheduleCode`]). The completion payment is a
//! separate decision, never part of the plan's total.
//!
//! Attendance comes from the application's `attendance` list (a month absent from it is planned as
//! attended); attendance reports and the 在籍証明書 have no field contract yet, so they are listed
//! among the decision's documents but not read. Called by [`super::decide`].

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::case::application::{AttendanceMonth, ChildSupportAllowance, ResidentTax};
use crate::case::{Application, Case};
use crate::decision::{Benefit, Decision, Line, Outcome, ScheduleLine};

use super::common::{
    check_child_under_20, check_deadline, draft, period_end, reaches_age_on, rely_on, required,
    yen, Findings, YearMonth, CHILD_AGE_LIMIT,
};
use super::params::{KotoshokugyoParameters, Parameters, Selected, Used};
use super::reasons::{Class, ReasonCode, ScheduleCode};

/// A course longer than this many months is refused as input, not planned (protects the loop).
const LONGEST_PLAN_MONTHS: u32 = 240;

/// The application facts §2 needs; `None` where the application lacks them (already reported).
struct Facts {
    applied_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
    resident_tax: Option<ResidentTax>,
}

/// Decides the monthly stipend and plans its months (RULES.md §2).
pub fn decide(case: &Case, params: &Parameters) -> Decision {
    let p = &params.kotoshokugyo;
    let benefit = Benefit::Kotoshokugyo;
    let mut found = Findings::default();
    let mut used = Used::default();
    let facts = read_application(case, benefit, &mut found);
    check_eligibility(case, &facts, benefit, p, &mut found, &mut used);
    let plan = plan_months(case, &facts, p, &mut found, &mut used);
    if let Some(plan) = &plan {
        if plan.total_yen == 0 && found.codes().is_empty() {
            found.push(ReasonCode::NoPayableMonth);
        }
    }
    let outcome = found.outcome();
    let ineligible = found.has(Class::Ineligible);
    let (amount_yen, lines, schedule) = match plan {
        Some(plan) if !ineligible => {
            let paid = matches!(outcome, Outcome::Pay | Outcome::NeedsReview);
            (
                if paid { plan.total_yen } else { 0 },
                plan.lines,
                Some(plan.schedule),
            )
        }
        _ => (0, Vec::new(), None),
    };
    Decision {
        amount_yen,
        lines,
        schedule,
        ..draft(case, benefit, &found, used, facts.applied_on)
    }
}

/// Decides the 修了支援給付金: once, after completion, 50,000円 (非課税) or 25,000円 (課税), applied
/// for within 30 days counted from the completion date (RULES.md §2).
pub fn decide_shuryo(case: &Case, params: &Parameters) -> Decision {
    let p = &params.kotoshokugyo;
    let benefit = Benefit::KotoshokugyoShuryo;
    let mut found = Findings::default();
    let mut used = Used::default();
    let facts = read_application(case, benefit, &mut found);
    check_eligibility(case, &facts, benefit, p, &mut found, &mut used);
    let line = completion_payment(case, &facts, p, &mut found, &mut used);
    check_timeliness(&facts, p, &mut found, &mut used);
    let outcome = found.outcome();
    let (amount_yen, lines) = match (line, outcome) {
        (Some(line), Outcome::Pay | Outcome::NeedsReview) => (line.amount_yen, vec![line]),
        _ => (0, Vec::new()),
    };
    Decision {
        amount_yen,
        lines,
        ..draft(case, benefit, &found, used, facts.applied_on)
    }
}

/// DESIGN.md "Required by benefit": `child_support_allowance`, `resident_tax`, `prior_receipt`,
/// `qualification`, `course` (name, institution, started_on, ends_on); the completion payment
/// adds `course.completed_on`.
fn read_application(case: &Case, benefit: Benefit, found: &mut Findings) -> Facts {
    let app = &case.application;
    let applied_on = required(app, "applied_on", app.applied_on.as_ref(), found);
    required(app, "applicant.name", app.applicant.name.as_ref(), found);
    required(app, "qualification", app.qualification.as_ref(), found);
    let resident_tax = required(app, "resident_tax", app.resident_tax.as_ref(), found);
    for m in &app.malformed {
        if m.field.starts_with("resident_tax_by_year.") || m.field == "attendance" {
            found.push(ReasonCode::ApplicationFieldMissing(m.field.clone()));
        }
    }
    let Some(course) = app.course.as_ref() else {
        found.push(ReasonCode::ApplicationFieldMissing("course".into()));
        return Facts {
            applied_on,
            started_on: None,
            ends_on: None,
            completed_on: None,
            resident_tax,
        };
    };
    required(app, "course.name", course.name.as_ref(), found);
    required(
        app,
        "course.institution",
        course.institution.as_ref(),
        found,
    );
    let completed_on = if benefit == Benefit::KotoshokugyoShuryo {
        required(
            app,
            "course.completed_on",
            course.completed_on.as_ref(),
            found,
        )
    } else {
        course.completed_on
    };
    Facts {
        applied_on,
        started_on: required(app, "course.started_on", course.started_on.as_ref(), found),
        ends_on: required(app, "course.ends_on", course.ends_on.as_ref(), found),
        completed_on,
        resident_tax,
    }
}

/// RULES.md §2 eligibility: ひとり親 with a child under 20; receiving 児童扶養手当 or at the same
/// income level (not removed in 2024); not paid before (1 person, 1 time); not receiving a benefit
/// with the same purpose (職業訓練受講給付金, 訓練延長給付, 教育訓練支援給付金); a course of at least
/// 6 months (2021-04 onward).
fn check_eligibility(
    case: &Case,
    facts: &Facts,
    benefit: Benefit,
    p: &KotoshokugyoParameters,
    found: &mut Findings,
    used: &mut Used,
) {
    let app = &case.application;
    match facts.applied_on {
        Some(applied_on) => {
            check_child_under_20(app, applied_on, found);
            if app
                .single_parent_since
                .is_some_and(|since| since > applied_on)
            {
                found.push(ReasonCode::NotSingleParent);
            }
        }
        None => {
            required(app, "children", app.children.as_ref(), found);
        }
    }
    let csa = required(
        app,
        "child_support_allowance",
        app.child_support_allowance.as_ref(),
        found,
    );
    if csa == Some(ChildSupportAllowance::None) {
        found.push(ReasonCode::IncomeOverLimit);
    }
    if required(app, "prior_receipt", app.prior_receipt.as_ref(), found) == Some(true) {
        found.push(ReasonCode::PriorReceipt(benefit));
    }
    // Optional: absent = false (DESIGN.md); present but unreadable = asked for.
    if app.is_malformed("same_purpose_benefit") {
        found.push(ReasonCode::ApplicationFieldMissing(
            "same_purpose_benefit".into(),
        ));
    } else if app.same_purpose_benefit == Some(true) {
        found.push(ReasonCode::SamePurposeBenefit);
    }

    let (Some(applied_on), Some(started), Some(ends)) =
        (facts.applied_on, facts.started_on, facts.ends_on)
    else {
        return;
    };
    let Some(min) = p.min_course_months.at("min_course_months", applied_on) else {
        found.push(ReasonCode::ParametersNotCovered {
            what: "修業期間の要件",
            date: applied_on.to_string(),
        });
        return;
    };
    used.record(&min);
    rely_on(&min, found, used);
    // A course of N months from its first day ends, at the earliest, on period_end(start, N).
    let shortest_end = u32::try_from(min.value)
        .ok()
        .and_then(|m| period_end(started, m));
    if shortest_end.is_none_or(|last| ends < last) {
        found.push(ReasonCode::CourseTooShort { months: min.value });
    }
}

/// The 住民税 status for a month: the application's status, replaced by the status decided for a
/// year from that year's August payment (DESIGN.md `resident_tax_by_year`).
fn resident_tax_in(app: &Application, base: ResidentTax, month: YearMonth) -> ResidentTax {
    app.resident_tax_by_year
        .range(..=month.year)
        .rev()
        .find(|(year, _)| **year < month.year || month.month >= 8)
        .map_or(base, |(_, status)| *status)
}

fn status_ja(status: ResidentTax) -> &'static str {
    match status {
        ResidentTax::Exempt => "住民税非課税世帯",
        ResidentTax::Taxed => "住民税課税世帯",
    }
}

/// The 支給予定表 and its summary lines.
struct Plan {
    schedule: Vec<ScheduleLine>,
    lines: Vec<Line>,
    total_yen: i64,
}

/// RULES.md §2: 「paid from the month of application (not before the course start) to the course's
/// end month, at most 48 paid months counted from the first (months not paid do not count); the
/// +40,000円 applies to paid months among the course's last 12 calendar months; a month with not a
/// single day of attendance is not paid, unless it is a scheduled break in the curriculum (夏期休暇
/// 等); months on leave (休学) or repeating (留年) are not paid; payment stops after the month in
/// which the youngest child turns 20」.
fn plan_months(
    case: &Case,
    facts: &Facts,
    p: &KotoshokugyoParameters,
    found: &mut Findings,
    used: &mut Used,
) -> Option<Plan> {
    let app = &case.application;
    let (applied_on, started, ends, base_status) = (
        facts.applied_on?,
        facts.started_on?,
        facts.ends_on?,
        facts.resident_tax?,
    );
    used.note("as_of", applied_on);
    let Some(max_paid) = p.max_paid_months.at("max_paid_months", applied_on) else {
        found.push(ReasonCode::ParametersNotCovered {
            what: "支給期間の上限",
            date: applied_on.to_string(),
        });
        return None;
    };
    used.record(&max_paid);

    let (first, last, applied) = (
        YearMonth::of(started),
        YearMonth::of(ends),
        YearMonth::of(applied_on),
    );
    if last < first || last.index() - first.index() > i64::from(LONGEST_PLAN_MONTHS) {
        // ends_on before started_on is caught as too short; an absurd length is unreadable input.
        return None;
    }
    // Payment stops after the month in which the youngest child reaches 20.
    let last_child_month = app
        .children
        .as_ref()
        .and_then(|children| children.iter().filter_map(|c| c.birth_date).max())
        .and_then(|youngest| reaches_age_on(youngest, CHILD_AGE_LIMIT))
        .map(YearMonth::of);
    let attendance: BTreeMap<YearMonth, &AttendanceMonth> = app
        .attendance
        .iter()
        .flatten()
        .filter_map(|a| match YearMonth::parse(&a.month) {
            Some(month) => Some((month, a)),
            None => {
                found.push(ReasonCode::ApplicationFieldMissing("attendance".into()));
                None
            }
        })
        .collect();

    let mut schedule = Vec::new();
    let mut summary = Summary::default();
    let mut paid_months: i64 = 0;
    let mut month = first;
    while month <= last {
        let attended = attendance.get(&month);
        let code = if month < applied {
            Some(ScheduleCode::BeforeApplication)
        } else if last_child_month.is_some_and(|m| month > m) {
            Some(ScheduleCode::ChildTurned20)
        } else if attended.is_some_and(|a| a.leave) {
            Some(ScheduleCode::LeaveOfAbsence)
        } else if attended.is_some_and(|a| a.days == 0 && !a.scheduled_break) {
            Some(ScheduleCode::NoAttendance)
        } else if paid_months >= max_paid.value {
            Some(ScheduleCode::Over48Months)
        } else {
            None
        };
        let amount_yen = match code {
            Some(_) => 0,
            None => {
                paid_months += 1;
                let status = resident_tax_in(app, base_status, month);
                month_amount(month, last, status, p, &mut summary, found, used)
            }
        };
        schedule.push(ScheduleLine {
            month: month.to_string(),
            amount_yen,
            code: code.map(|c| c.id().to_string()),
        });
        month = month.next();
    }
    let total_yen = schedule
        .iter()
        .fold(0i64, |s, l| s.saturating_add(l.amount_yen));
    let mut lines = summary.lines();
    lines.push(Line {
        label: "支給予定総額".into(),
        amount_yen: total_yen,
        cites: "RULES.md §2".into(),
    });
    Some(Plan {
        schedule,
        lines,
        total_yen,
    })
}

/// Paid months grouped by what was paid, in order of first appearance, for the summary lines.
#[derive(Default)]
struct Summary {
    groups: Vec<(String, i64, i64, String)>,
}

impl Summary {
    fn add(&mut self, label: String, per_month: i64, cites: &str) {
        match self
            .groups
            .iter_mut()
            .find(|(l, amount, _, _)| *l == label && *amount == per_month)
        {
            Some(group) => group.2 += 1,
            None => self.groups.push((label, per_month, 1, cites.to_string())),
        }
    }

    fn lines(&self) -> Vec<Line> {
        self.groups
            .iter()
            .map(|(label, per_month, months, cites)| Line {
                label: format!("{label} 月額{}円 × {months}か月", yen(*per_month)),
                amount_yen: per_month.saturating_mul(*months),
                cites: cites.clone(),
            })
            .collect()
    }
}

/// One paid month: the monthly amount for the household's status, plus the addition when the
/// month is among the course's last months. Parameters are those in force on the month's first day.
fn month_amount(
    month: YearMonth,
    last: YearMonth,
    status: ResidentTax,
    p: &KotoshokugyoParameters,
    summary: &mut Summary,
    found: &mut Findings,
    used: &mut Used,
) -> i64 {
    let Some(on) = month.first_day() else {
        return 0;
    };
    let not_covered = |what: &'static str| ReasonCode::ParametersNotCovered {
        what,
        date: month.to_string(),
    };
    let base = match status {
        ResidentTax::Exempt => p.monthly_exempt_yen.at("monthly_exempt_yen", on),
        ResidentTax::Taxed => p.monthly_taxed_yen.at("monthly_taxed_yen", on),
    };
    let Some(base) = base else {
        found.push(not_covered("訓練促進給付金の月額"));
        return 0;
    };
    use_parameter(&base, found, used);
    summary.add(
        format!("訓練促進給付金（{}）", status_ja(status)),
        base.value,
        &base.source,
    );
    let Some(addition) = p.final_year_addition_yen.at("final_year_addition_yen", on) else {
        found.push(not_covered("最終12か月の加算額"));
        return base.value;
    };
    if addition.value == 0 {
        return base.value;
    }
    let Some(period) = p.final_period_months.at("final_period_months", on) else {
        found.push(not_covered("加算の対象期間"));
        return base.value;
    };
    use_parameter(&period, found, used);
    let in_final_months = u32::try_from(period.value.saturating_sub(1))
        .is_ok_and(|before| month >= last.minus(before));
    if !in_final_months {
        return base.value;
    }
    use_parameter(&addition, found, used);
    summary.add(
        format!("修業期間の最後の{}か月の加算", period.value),
        addition.value,
        &addition.source,
    );
    base.value.saturating_add(addition.value)
}

fn use_parameter(selected: &Selected<i64>, found: &mut Findings, used: &mut Used) {
    used.record(selected);
    rely_on(selected, found, used);
}

/// 修了支援給付金: the amount for the household's status in the completion month.
fn completion_payment(
    case: &Case,
    facts: &Facts,
    p: &KotoshokugyoParameters,
    found: &mut Findings,
    used: &mut Used,
) -> Option<Line> {
    let (completed_on, base_status) = (facts.completed_on?, facts.resident_tax?);
    used.note("as_of", completed_on);
    let status = resident_tax_in(&case.application, base_status, YearMonth::of(completed_on));
    let selected = match status {
        ResidentTax::Exempt => p.shuryo_exempt_yen.at("shuryo_exempt_yen", completed_on),
        ResidentTax::Taxed => p.shuryo_taxed_yen.at("shuryo_taxed_yen", completed_on),
    };
    let Some(amount) = selected else {
        found.push(ReasonCode::ParametersNotCovered {
            what: "修了支援給付金の額",
            date: completed_on.to_string(),
        });
        return None;
    };
    use_parameter(&amount, found, used);
    Some(Line {
        label: format!("高等職業訓練修了支援給付金（{}）", status_ja(status)),
        amount_yen: amount.value,
        cites: amount.source.clone(),
    })
}

/// 「applied for within 30 days counted from the completion date」: the completion day is day 1.
/// A late application goes to a person; it is not refused automatically (as in §1 E6).
fn check_timeliness(
    facts: &Facts,
    p: &KotoshokugyoParameters,
    found: &mut Findings,
    used: &mut Used,
) {
    check_deadline(
        facts.completed_on,
        facts.applied_on,
        ("shuryo_deadline_days", &p.shuryo_deadline_days),
        Benefit::KotoshokugyoShuryo,
        found,
        used,
    );
}

#[cfg(test)]
mod tests {
    //! Tables a benefits officer can read: the household, the course, the attendance, the plan's
    //! total and the rule. The standard case: a 看護師 course of 3 years (2026-04 to 2029-03), a
    //! 住民税非課税 household, applied for in the first month, a child of 10.

    use proptest::prelude::*;

    use super::*;
    use crate::case::application::{Applicant, Child, Course};
    use crate::decision::Outcome::{
        Deny as 不支給, Incomplete as 補正, NeedsReview as 要確認, Pay as 支給,
    };

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn application() -> Application {
        Application {
            benefit: Some(Benefit::Kotoshokugyo),
            applied_on: Some(d("2026-04-10")),
            applicant: Applicant {
                name: Some("山田 花子".into()),
                ..Applicant::default()
            },
            children: Some(vec![Child {
                name: Some("山田 陽菜".into()),
                birth_date: Some(d("2015-06-01")),
            }]),
            child_support_allowance: Some(ChildSupportAllowance::Full),
            resident_tax: Some(ResidentTax::Exempt),
            prior_receipt: Some(false),
            qualification: Some("看護師".into()),
            course: Some(Course {
                name: Some("看護学科".into()),
                institution: Some("学校法人さいたま看護学校".into()),
                started_on: Some(d("2026-04-01")),
                ends_on: Some(d("2029-03-31")),
                ..Course::default()
            }),
            ..Application::default()
        }
    }

    fn decide_app(app: Application) -> Decision {
        let case = Case {
            case_id: "2026-000200".into(),
            application: app,
            documents: Vec::new(),
        };
        super::super::decide(&case, &Parameters::embedded())
    }

    fn attend(month: &str, days: u32, scheduled_break: bool, leave: bool) -> AttendanceMonth {
        AttendanceMonth {
            month: month.into(),
            days,
            scheduled_break,
            leave,
        }
    }

    fn course(app: &mut Application) -> &mut Course {
        app.course.as_mut().expect("course")
    }

    struct Row {
        case: &'static str,
        change: fn(&mut Application),
        outcome: Outcome,
        total_yen: i64,
        code: Option<&'static str>,
        rule: &'static str,
    }

    #[rustfmt::skip]
    const ROWS: &[Row] = &[
        Row { case: "3年課程・非課税: 24か月×100,000 + 最後の12か月×140,000", change: |_| {},
            outcome: 支給, total_yen: 4_080_000, code: None, rule: "RULES §2 monthly amount and +40,000 for the last 12 months" },
        Row { case: "3年課程・課税: 24か月×70,500 + 12か月×110,500", change: |a| a.resident_tax = Some(ResidentTax::Taxed),
            outcome: 支給, total_yen: 3_018_000, code: None, rule: "RULES §2 課税世帯" },
        Row { case: "2027年度から課税（2027年8月分から）", change: |a| { a.resident_tax_by_year.insert(2027, ResidentTax::Taxed); },
            outcome: 支給, total_yen: 1_600_000 + 564_000 + 1_326_000, code: None, rule: "DESIGN.md resident_tax_by_year from August" },
        Row { case: "6月に申請: 4月・5月は対象外", change: |a| a.applied_on = Some(d("2026-06-15")),
            outcome: 支給, total_yen: 3_880_000, code: Some("before_application"), rule: "RULES §2 paid from the month of application" },
        Row { case: "5年課程: 48か月で打ち切り", change: |a| course(a).ends_on = Some(d("2031-03-31")),
            outcome: 支給, total_yen: 4_800_000, code: Some("over_48_months"), rule: "RULES §2 at most 48 paid months" },
        Row { case: "8月は夏期休暇（出席0日）、9月は出席0日、10月は休学", change: |a| a.attendance = Some(vec![
                attend("2026-08", 0, true, false), attend("2026-09", 0, false, false), attend("2026-10", 3, false, true)]),
            outcome: 支給, total_yen: 3_880_000, code: Some("no_attendance"), rule: "RULES §2 attendance; seed 003 第2-1" },
        Row { case: "末子が2008-10-01生: 2028-09-30に20歳、2028年9月分まで", change: |a| a.children.as_mut().unwrap()[0].birth_date = Some(d("2008-10-01")),
            outcome: 支給, total_yen: 3_240_000, code: Some("child_turned_20"), rule: "RULES §2; 年齢計算ニ関スル法律" },
        Row { case: "末子が2008-10-02生: 2028-10-01に20歳、2028年10月分まで", change: |a| a.children.as_mut().unwrap()[0].birth_date = Some(d("2008-10-02")),
            outcome: 支給, total_yen: 3_380_000, code: Some("child_turned_20"), rule: "RULES §2; 年齢計算ニ関スル法律" },
        Row { case: "修業期間6か月（4月1日〜9月30日）", change: |a| course(a).ends_on = Some(d("2026-09-30")),
            outcome: 支給, total_yen: 840_000, code: None, rule: "RULES §2 minimum 6 months" },
        Row { case: "修業期間6か月に1日足りない", change: |a| course(a).ends_on = Some(d("2026-09-29")),
            outcome: 不支給, total_yen: 0, code: Some("course_too_short"), rule: "RULES §2 minimum 6 months" },
        Row { case: "職業訓練受講給付金を受給中", change: |a| a.same_purpose_benefit = Some(true),
            outcome: 不支給, total_yen: 0, code: Some("same_purpose_benefit"), rule: "RULES §2" },
        Row { case: "児童扶養手当なし・同等の所得水準でもない", change: |a| a.child_support_allowance = Some(ChildSupportAllowance::None),
            outcome: 不支給, total_yen: 0, code: Some("income_over_limit"), rule: "RULES §2" },
        Row { case: "過去に受給", change: |a| a.prior_receipt = Some(true),
            outcome: 不支給, total_yen: 0, code: Some("prior_receipt"), rule: "RULES §2 1人1回" },
        Row { case: "ひとり親となる前の申請", change: |a| a.single_parent_since = Some(d("2026-05-01")),
            outcome: 不支給, total_yen: 0, code: Some("not_single_parent"), rule: "RULES §2" },
        Row { case: "児童が20歳に達している", change: |a| a.children.as_mut().unwrap()[0].birth_date = Some(d("2006-04-10")),
            outcome: 不支給, total_yen: 0, code: Some("child_not_under_20"), rule: "RULES §2" },
        Row { case: "修了後の申請: 支給できる月がない", change: |a| a.applied_on = Some(d("2029-04-10")),
            outcome: 不支給, total_yen: 0, code: Some("no_payable_month"), rule: "RULES §2" },
        Row { case: "2020年の申請（上限期間のパラメータなし）", change: |a| { a.applied_on = Some(d("2020-04-10")); course(a).started_on = Some(d("2020-04-01")); course(a).ends_on = Some(d("2023-03-31")); a.children.as_mut().unwrap()[0].birth_date = Some(d("2012-01-01")); },
            outcome: 要確認, total_yen: 0, code: Some("parameters_not_covered"), rule: "RULES.md dated parameters" },
        Row { case: "取得予定資格の記載なし", change: |a| a.qualification = None,
            outcome: 補正, total_yen: 0, code: Some("application_field_missing:qualification"), rule: "DESIGN.md required fields" },
        Row { case: "修了予定日の記載なし", change: |a| course(a).ends_on = None,
            outcome: 補正, total_yen: 0, code: Some("application_field_missing:course.ends_on"), rule: "DESIGN.md required fields" },
    ];

    #[test]
    fn plans_follow_rules_2() {
        for row in ROWS {
            let mut app = application();
            (row.change)(&mut app);
            let decision = decide_app(app);
            let codes: Vec<&str> = decision
                .reasons
                .iter()
                .map(|r| r.code.as_str())
                .chain(
                    decision
                        .schedule
                        .iter()
                        .flatten()
                        .filter_map(|l| l.code.as_deref()),
                )
                .collect();
            assert_eq!(
                (decision.outcome, decision.amount_yen),
                (row.outcome, row.total_yen),
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
            assert_eq!(decision.benefit, Benefit::Kotoshokugyo);
        }
    }

    #[test]
    fn the_schedule_lists_every_month_with_its_amount_or_code() {
        let mut app = application();
        app.applied_on = Some(d("2026-06-15"));
        app.attendance = Some(vec![attend("2026-09", 0, false, false)]);
        let decision = decide_app(app);
        let schedule = decision.schedule.expect("schedule");
        assert_eq!(schedule.len(), 36);
        let month = |m: &str| schedule.iter().find(|l| l.month == m).expect(m);
        assert_eq!(month("2026-04").code.as_deref(), Some("before_application"));
        assert_eq!(month("2026-06").amount_yen, 100_000);
        assert_eq!(month("2026-09").code.as_deref(), Some("no_attendance"));
        assert_eq!(month("2028-03").amount_yen, 100_000);
        assert_eq!(month("2028-04").amount_yen, 140_000);
        assert_eq!(month("2029-03").amount_yen, 140_000);
        let labels: Vec<(&str, i64)> = decision
            .lines
            .iter()
            .map(|l| (l.label.as_str(), l.amount_yen))
            .collect();
        assert_eq!(
            labels,
            [
                (
                    "訓練促進給付金（住民税非課税世帯） 月額100,000円 × 33か月",
                    3_300_000
                ),
                (
                    "修業期間の最後の12か月の加算 月額40,000円 × 12か月",
                    480_000
                ),
                ("支給予定総額", 3_780_000),
            ]
        );
        assert_eq!(decision.amount_yen, 3_780_000);
    }

    #[test]
    fn every_schedule_code_has_a_notice_sentence() {
        for code in ScheduleCode::ALL {
            let (message, cites) = code.text();
            assert!(message.ends_with('。') && !cites.is_empty());
            assert_eq!(ScheduleCode::from_id(code.id()), Some(code));
        }
    }

    // ── 修了支援給付金 ──

    fn shuryo(change: impl FnOnce(&mut Application)) -> Decision {
        let mut app = application();
        app.benefit = Some(Benefit::KotoshokugyoShuryo);
        app.applied_on = Some(d("2029-04-10"));
        course(&mut app).completed_on = Some(d("2029-03-25"));
        app.children.as_mut().unwrap()[0].birth_date = Some(d("2015-06-01"));
        change(&mut app);
        decide_app(app)
    }

    /// (case, change to the standard completion, outcome, yen, expected code).
    type ShuryoRow = (
        &'static str,
        Box<dyn FnOnce(&mut Application)>,
        Outcome,
        i64,
        Option<&'static str>,
    );

    #[test]
    fn the_completion_payment_follows_rules_2() {
        #[rustfmt::skip]
        let rows: [ShuryoRow; 6] = [
            ("非課税世帯", Box::new(|_| {}), 支給, 50_000, None),
            ("課税世帯", Box::new(|a| a.resident_tax = Some(ResidentTax::Taxed)), 支給, 25_000, None),
            ("2028年度から課税（2028年8月以降の修了）", Box::new(|a| { a.resident_tax_by_year.insert(2028, ResidentTax::Taxed); }), 支給, 25_000, None),
            ("修了日から31日目の申請", Box::new(|a| a.applied_on = Some(d("2029-04-25"))), 要確認, 50_000, Some("late_application")),
            ("2023年修了（額の根拠なし）", Box::new(|a| { course(a).completed_on = Some(d("2023-03-25")); a.applied_on = Some(d("2023-04-01")); }), 要確認, 0, Some("parameters_not_covered")),
            ("修了日の記載なし", Box::new(|a| course(a).completed_on = None), 補正, 0, Some("application_field_missing:course.completed_on")),
        ];
        for (case, change, outcome, yen, code) in rows {
            let decision = shuryo(change);
            assert_eq!(
                (decision.outcome, decision.amount_yen),
                (outcome, yen),
                "{case}: {:?}",
                decision.reasons
            );
            if let Some(code) = code {
                assert!(decision.reasons.iter().any(|r| r.code == code), "{case}");
            }
            assert_eq!(decision.benefit, Benefit::KotoshokugyoShuryo);
            assert!(decision.schedule.is_none());
        }
    }

    // ── properties ──

    fn attendance_months() -> impl Strategy<Value = Vec<(u32, u32, bool, bool)>> {
        // (month offset from the course start, days, scheduled break, leave)
        prop::collection::vec(
            (0u32..80, 0u32..3, any::<bool>(), prop::bool::weighted(0.1)),
            0..30,
        )
    }

    fn random_case(
        length: u32,
        applied_offset: u32,
        taxed: bool,
        marks: &[(u32, u32, bool, bool)],
    ) -> Application {
        let start = YearMonth::parse("2025-04").unwrap();
        let mut app = application();
        let ends = start.next().minus(1);
        let ends = (0..length).fold(ends, |m, _| m.next());
        course(&mut app).ends_on = ends.next().first_day().and_then(|d| d.pred_opt());
        app.applied_on = (0..applied_offset).fold(start, |m, _| m.next()).first_day();
        app.resident_tax = Some(if taxed {
            ResidentTax::Taxed
        } else {
            ResidentTax::Exempt
        });
        course(&mut app).started_on = start.first_day();
        app.attendance = Some(
            marks
                .iter()
                .map(|&(offset, days, brk, leave)| {
                    let m = (0..offset).fold(start, |m, _| m.next());
                    attend(&m.to_string(), days, brk, leave)
                })
                .collect(),
        );
        app
    }

    proptest! {
        #[test]
        fn never_more_than_48_paid_months_and_totals_add_up(
            length in 6u32..90, applied_offset in 0u32..12, taxed in any::<bool>(),
            marks in attendance_months(),
        ) {
            let decision = decide_app(random_case(length, applied_offset, taxed, &marks));
            if let Some(schedule) = &decision.schedule {
                let paid = schedule.iter().filter(|l| l.amount_yen > 0).count();
                prop_assert!(paid <= 48);
                let sum: i64 = schedule.iter().map(|l| l.amount_yen).sum();
                let (total_line, groups) = decision.lines.split_last().unwrap();
                prop_assert_eq!(total_line.amount_yen, sum);
                prop_assert_eq!(groups.iter().map(|l| l.amount_yen).sum::<i64>(), sum);
                if matches!(decision.outcome, Outcome::Pay | Outcome::NeedsReview) {
                    prop_assert_eq!(decision.amount_yen, sum);
                }
                prop_assert!(schedule.iter().all(|l| (l.amount_yen == 0) == l.code.is_some()));
            }
        }

        #[test]
        fn a_month_without_attendance_or_on_leave_is_never_paid(
            length in 6u32..60, taxed in any::<bool>(), marks in attendance_months(),
        ) {
            let app = random_case(length, 0, taxed, &marks);
            let attendance = app.attendance.clone().unwrap();
            let decision = decide_app(app);
            for line in decision.schedule.iter().flatten() {
                // The last entry for a month is the one the plan reads.
                if let Some(a) = attendance.iter().rev().find(|a| a.month == line.month) {
                    if a.leave || (a.days == 0 && !a.scheduled_break) {
                        prop_assert_eq!(line.amount_yen, 0, "{}", line.month);
                    }
                }
            }
        }
    }
}
