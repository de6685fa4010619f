//! decide: (case, dated parameters) → draft decision, for each benefit of RULES.md.
//!
//! Pure functions: no clock, no file system, no floats (`clippy::float_arithmetic` is denied
//! here), no `HashMap` iteration. The dates in the case select the parameters in force; a date no
//! parameter covers is refused, never extrapolated. Every decision is a `draft` for a person to
//! approve; problems with the case are reasons in the decision, never errors.
//!
//! Called by the pipeline (`run`) and `kyufu decide`. It does not read documents (that is
//! `extract`) nor assemble cases (`case`), and it does not render notices (`render`).
#![deny(clippy::float_arithmetic)]

pub mod common;
pub mod jukou_ryohi;
pub mod kotoshokugyo;
pub mod kyoiku_kunren;
pub mod params;
pub mod reasons;

pub use params::{Parameters, ParametersError};

use crate::case::Case;
use crate::decision::{Benefit, Decision};
use crate::document::DocKind;

use common::Findings;
use reasons::ReasonCode;

/// Decides a case with the parameters in force on its dates. `case.application.benefit` selects
/// the rules; without it the case is `incomplete`, naming `benefit`.
pub fn decide(case: &Case, params: &Parameters) -> Decision {
    match case.application.benefit {
        Some(benefit) if !case.application.is_malformed("benefit") => match benefit {
            Benefit::KyoikuKunren => kyoiku_kunren::decide(case, params),
            Benefit::Kotoshokugyo => kotoshokugyo::decide(case, params),
            Benefit::KotoshokugyoShuryo => kotoshokugyo::decide_shuryo(case, params),
            Benefit::JukouRyohi => jukou_ryohi::decide(case, params),
        },
        _ => {
            let mut found = Findings::default();
            found.push(ReasonCode::ApplicationFieldMissing("benefit".into()));
            undecided(case, guess_benefit(case), found)
        }
    }
}

/// A decision that could not get as far as the rules of a benefit.
fn undecided(case: &Case, benefit: Benefit, found: Findings) -> Decision {
    common::draft(
        case,
        benefit,
        &found,
        Default::default(),
        case.application.applied_on,
    )
}

/// `Decision::benefit` is not optional; when the application does not say, the documents suggest
/// which notice the 補正依頼 belongs to. The outcome is `incomplete` either way.
fn guess_benefit(case: &Case) -> Benefit {
    let has = |kind| case.documents.iter().any(|d| d.doc.kind == kind);
    if has(DocKind::EnrollmentCertificate) || has(DocKind::AttendanceReport) {
        Benefit::Kotoshokugyo
    } else {
        Benefit::KyoikuKunren
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Application;
    use crate::decision::Outcome;

    fn case_with(app: Application) -> Case {
        Case {
            case_id: "2026-000001".into(),
            application: app,
            documents: Vec::new(),
        }
    }

    #[test]
    fn without_a_benefit_the_case_is_incomplete_naming_it() {
        let d = decide(&case_with(Application::default()), &Parameters::embedded());
        assert_eq!(d.outcome, Outcome::Incomplete);
        assert_eq!(d.status, crate::decision::Status::Draft);
        assert_eq!(d.reasons[0].code, "application_field_missing:benefit");
        assert!(d.reasons[0].message.contains("給付金の種類"));
    }

    #[test]
    fn a_malformed_benefit_is_named_too() {
        let app =
            Application::from_json_bytes(br#"{"benefit": "kyoiku", "applied_on": "2026-07-10"}"#)
                .unwrap();
        let d = decide(&case_with(app), &Parameters::embedded());
        assert_eq!(d.outcome, Outcome::Incomplete);
        assert_eq!(d.reasons[0].code, "application_field_missing:benefit");
    }
}
