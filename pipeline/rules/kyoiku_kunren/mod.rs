//! 自立支援教育訓練給付金 (training-cost benefit, `benefit = "kyoiku_kunren"`): RULES.md §1.
//!
//! Decides one case from its application and its receipts and completion certificates: eligibility
//! E1–E6 (§1.1), what counts as 教育訓練経費 (§1.2), the amount (§1.3), what each document must
//! carry (§1.4), and the outcome by §1.5's precedence. Every problem found is collected, not just
//! the first. A value the extractor is unsure of is never relied on: it sends the case to review.
//!
//! This file reads the application's facts and puts the decision together; the rules themselves are
//! in [`eligibility`] (E1–E6), [`documents`] (what each receipt and certificate must carry, §1.4)
//! and [`amount`] (the breakdown and the formula, §1.2–§1.3).
//!
//! It does not read files, the clock or floats: the application date and the completion date in
//! the case select the dated parameters. Called by [`super::decide`].

mod amount;
mod documents;
mod eligibility;

pub use amount::Computation;

use chrono::NaiveDate;

use crate::case::application::{CourseKind, EmploymentInsurance};
use crate::case::Case;
use crate::decision::{Benefit, Decision, Outcome};

use super::common::{draft, required, Findings};
use super::params::{Parameters, Used};
use super::reasons::{Class, ReasonCode};

use amount::{classify_items, compute_amount};
use documents::{check_certificates, check_course_names, check_receipts, check_unknown_documents};
use eligibility::{check_eligibility, check_timeliness};

/// The application facts §1 needs; `None` where the application lacks them (already reported).
struct Facts {
    applied_on: Option<NaiveDate>,
    applicant_name: Option<String>,
    applicant_birth: Option<NaiveDate>,
    course_name: Option<String>,
    kind: Option<CourseKind>,
    years: Option<u32>,
    designated_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
    employment_insurance: Option<EmploymentInsurance>,
}

/// Decides a 自立支援教育訓練給付金 case (RULES.md §1). Pure: same case, same parameters, same decision.
pub fn decide(case: &Case, params: &Parameters) -> Decision {
    let p = &params.kyoiku_kunren;
    let mut found = Findings::default();
    let mut used = Used::default();

    let facts = read_application(case, &mut found);
    check_eligibility(case, &facts, p, &mut found, &mut used);
    let receipts = check_receipts(case, &facts, &mut found);
    check_certificates(case, &facts, &mut found);
    check_unknown_documents(case, &mut found);
    check_course_names(case, &facts, &mut found);
    let costs = classify_items(&receipts, &mut found);
    let computed = compute_amount(&facts, &costs, p, &mut found, &mut used);
    check_timeliness(&facts, p, &mut found, &mut used);

    let outcome = found.outcome();
    let ineligible = found.has(Class::Ineligible);
    let (amount_yen, lines) = match (&computed, outcome) {
        (Some(c), Outcome::Pay | Outcome::NeedsReview) => (c.amount_yen, c.lines.clone()),
        // A refusal for the amount shows the computation that led to it.
        (Some(c), Outcome::Deny) if !ineligible => (0, c.lines.clone()),
        _ => (0, Vec::new()),
    };
    Decision {
        amount_yen,
        lines,
        excluded: if ineligible {
            Vec::new()
        } else {
            costs.excluded
        },
        ..draft(case, Benefit::KyoikuKunren, &found, used, facts.applied_on)
    }
}

/// The required facts of a §1 application (DESIGN.md "Required by benefit — kyoiku_kunren").
fn read_application(case: &Case, found: &mut Findings) -> Facts {
    let app = &case.application;
    let applied_on = required(app, "applied_on", app.applied_on.as_ref(), found);
    let applicant_name = required(app, "applicant.name", app.applicant.name.as_ref(), found);
    let employment_insurance = required(
        app,
        "employment_insurance",
        app.employment_insurance.as_ref(),
        found,
    )
    .and_then(|ei| {
        if ei.benefit_yen < 0 {
            found.push(ReasonCode::ApplicationFieldMissing(
                "employment_insurance.benefit_yen".into(),
            ));
            None
        } else {
            Some(ei)
        }
    });
    let Some(course) = app.course.as_ref() else {
        found.push(ReasonCode::ApplicationFieldMissing("course".into()));
        return Facts {
            applied_on,
            applicant_name,
            applicant_birth: app.applicant.birth_date,
            course_name: None,
            kind: None,
            years: None,
            designated_on: None,
            started_on: None,
            completed_on: None,
            employment_insurance,
        };
    };
    let course_name = required(app, "course.name", course.name.as_ref(), found);
    required(
        app,
        "course.institution",
        course.institution.as_ref(),
        found,
    );
    let kind = required(app, "course.kind", course.kind.as_ref(), found);
    // 修学年数 sets the 専門実践 cap; other courses do not need it.
    let years = match kind {
        Some(CourseKind::SpecializedPractical) => {
            required(app, "course.years", course.years.as_ref(), found).and_then(|y| {
                if y == 0 {
                    found.push(ReasonCode::ApplicationFieldMissing("course.years".into()));
                    None
                } else {
                    Some(y)
                }
            })
        }
        _ => course.years,
    };
    Facts {
        applied_on,
        applicant_name,
        applicant_birth: app.applicant.birth_date,
        course_name,
        kind,
        years,
        designated_on: required(
            app,
            "course.designated_on",
            course.designated_on.as_ref(),
            found,
        ),
        started_on: required(app, "course.started_on", course.started_on.as_ref(), found),
        completed_on: required(
            app,
            "course.completed_on",
            course.completed_on.as_ref(),
            found,
        ),
        employment_insurance,
    }
}

#[cfg(test)]
mod tests;
