//! Eligibility of a §1 case (RULES.md §1.1): E1–E5 as of the application date, and E6, the
//! application deadline counted from the completion date.
//!
//! Each rule pushes its reason onto the findings and notes the dated parameter it relied on; it
//! does not look at receipts or certificates ([`super::documents`]) nor compute the amount
//! ([`super::amount`]). Called by [`super::decide`].

use chrono::NaiveDate;

use crate::case::Case;
use crate::decision::Benefit;

use crate::rules::common::{check_child_under_20, check_deadline, required, Findings};
use crate::rules::params::{E2Formula, EmploymentInsuranceRule, KyoikuKunrenParameters, Used};
use crate::rules::reasons::ReasonCode;

use super::Facts;

/// RULES.md §1.1 E1–E5, as of the application date.
pub(super) fn check_eligibility(
    case: &Case,
    facts: &Facts,
    p: &KyoikuKunrenParameters,
    found: &mut Findings,
    used: &mut Used,
) {
    let app = &case.application;

    // E1 — 「ひとり親 (母子家庭の母 or 父子家庭の父) raising a child under 20」
    // (母子及び父子並びに寡婦福祉法 31条).
    match facts.applied_on {
        Some(applied_on) => check_child_under_20(app, applied_on, found),
        None => {
            required(app, "children", app.children.as_ref(), found);
        }
    }

    // E2 — the version in force on the application date (施行令27条, 令和6年政令第269号).
    if let Some(applied_on) = facts.applied_on {
        match p.e2_formula.at("e2_formula", applied_on) {
            None => found.push(ReasonCode::ParametersNotCovered {
                what: "受給要件（所得・自立支援プログラム）",
                date: applied_on.to_string(),
            }),
            Some(e2) => {
                used.note("e2_formula", e2.value.id());
                used.relied_on(&e2);
                match e2.value {
                    E2Formula::IndependenceProgram => {
                        e2_independence_program(case, applied_on, found)
                    }
                    E2Formula::IncomeLevel => e2_income_level(case, found),
                }
            }
        }
    }

    // E3 — 「原則として、過去に訓練給付金を受給したことがある者については支給しない」
    // (seed 003 第1-2-(2)); a reviewer may overturn the refusal.
    if required(app, "prior_receipt", app.prior_receipt.as_ref(), found) == Some(true) {
        found.push(ReasonCode::PriorReceipt(Benefit::KyoikuKunren));
    }

    // E4 — 「受講前に都道府県等から講座の指定を受ける必要」 (cfa.go.jp): designated_on < started_on.
    if let (Some(designated), Some(started)) = (facts.designated_on, facts.started_on) {
        if designated >= started {
            found.push(ReasonCode::NotDesignatedBeforeStart);
        }
    }

    // E5 — 雇用保険の教育訓練給付: in 2003 an entitled person was not eligible (seed 003
    // 第1-2-(1)); today only the difference is paid (subtracted in the amount).
    if let (Some(ei), Some(applied_on)) = (facts.employment_insurance, facts.applied_on) {
        match p
            .employment_insurance_rule
            .at("employment_insurance_rule", applied_on)
        {
            None => found.push(ReasonCode::ParametersNotCovered {
                what: "雇用保険の教育訓練給付との調整の取扱い",
                date: applied_on.to_string(),
            }),
            Some(rule) => {
                used.note("employment_insurance_rule", rule.value.id());
                if ei.entitled && rule.value == EmploymentInsuranceRule::EntitledNotEligible {
                    used.relied_on(&rule);
                    found.push(ReasonCode::EmploymentInsuranceEntitled);
                }
            }
        }
    }
}

/// E2 from 2024-08-30: 「自立支援プログラムの策定等を受けていること」. Absent or null = none; a date
/// after the application date is none as of that date.
fn e2_independence_program(case: &Case, applied_on: NaiveDate, found: &mut Findings) {
    let app = &case.application;
    if app.is_malformed("independence_program_on") {
        found.push(ReasonCode::ApplicationFieldMissing(
            "independence_program_on".into(),
        ));
        return;
    }
    if app.independence_program_on.is_none_or(|d| d > applied_on) {
        found.push(ReasonCode::NoIndependenceProgram);
    }
}

/// E2 before 2024-08-30: 「児童扶養手当の支給を受けている者又は同等の所得水準にある者」.
fn e2_income_level(case: &Case, found: &mut Findings) {
    use crate::case::application::ChildSupportAllowance as Csa;
    let app = &case.application;
    let csa = required(
        app,
        "child_support_allowance",
        app.child_support_allowance.as_ref(),
        found,
    );
    if csa == Some(Csa::None) {
        found.push(ReasonCode::IncomeOverLimit);
    }
}

/// E6 — 「修了日から起算して30日以内」: the completion day is day 1, so the last day is
/// completed_on + (days − 1). The number of days is a municipal setting, unconfirmed nationally: a
/// late application goes to review; it is not refused automatically.
pub(super) fn check_timeliness(
    facts: &Facts,
    p: &KyoikuKunrenParameters,
    found: &mut Findings,
    used: &mut Used,
) {
    check_deadline(
        facts.completed_on,
        facts.applied_on,
        ("application_deadline_days", &p.application_deadline_days),
        Benefit::KyoikuKunren,
        found,
        used,
    );
}
