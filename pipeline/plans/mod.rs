//! plans: the plan documents of RULES.md §4 — the 自立支援プログラム計画書 (seed `001`) and the
//! 親子交流支援計画書 (seed `000` 別紙) — read from JSON and printed with the render stage's
//! templates (`form-templates/output-plan-*.toml`) and layout.
//!
//! The 親子交流 plan is checked first against seed `000` 5-(1)-カ by the pure
//! [`check_parent_child`]; a plan that fails gets a refusal notice listing every reason instead of
//! the plan. The 支給予定表 of a stipend *decision* is `render::plan_schedule`; a programme plan
//! prints the same table from the schedule it carries.
//!
//! Plans come from staff and other systems, so their JSON is read leniently, like an application:
//! unknown keys are ignored, and a value of the wrong type is recorded in `malformed` and left
//! out instead of rejecting the plan. Nothing here reads the clock or writes a file: the date a
//! plan is checked on comes in as a value, and the caller stores the PDF bytes. The JSON schema
//! is in `PLANS-SCHEMA.md`. Called by the CLI (wired by the lead).

mod lenient;
mod parent_child;
mod program;

use chrono::{Datelike, NaiveDate};

pub use lenient::PlanReadError;
pub use parent_child::{
    check_parent_child, check_parent_child_with, render_parent_child, Assistance, Consultation,
    Eligibility, Frequency, ParentChildOutput, ParentChildParams, ParentChildPlan, ParentRole,
    Period, PlanChild, PlanParent, ProgressEntry, Sex, Terms,
};
pub use program::{
    render_program_plan, Goal, HouseholdMember, ProgramPlan, Situation, Support, SupportKind,
};

/// Template ids of the plans (`form-templates/output-plan-*.toml`).
pub const PROGRAM_ID: &str = "plan.program";
pub const PARENT_CHILD_ID: &str = "plan.parent_child";
pub const PARENT_CHILD_REFUSAL_ID: &str = "plan.parent_child_refusal";

/// Fails if a plan's text (from `render::testing::text_of`) prints one of kyufu's internal
/// references — a seed file, a RULES.md section, a URL — where an applicant should read the law or
/// the 通知 by its public name.
#[cfg(test)]
pub(crate) fn assert_no_internal_reference(text: &str) {
    for word in ["seed", "RULES.md", "http"] {
        assert!(!text.contains(word), "「{word}」 printed:\n{text}");
    }
}

/// Why a plan cannot be made as asked, in the words of a notice, with the rule it applies
/// (e.g. `seed 000 5-(1)-カ-(イ)-a`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct PlanReason {
    /// Stable identifier, e.g. `child_over_age_limit:2`.
    pub code: String,
    /// Plain Japanese for the applicant and the supporter.
    pub message: String,
    pub cites: String,
}

/// Age in whole years on `on`. By 年齢計算ニ関スル法律 a person reaches an age at the end of the day
/// before the birthday, so on the birthday itself the new age holds; someone born on 29 February
/// is a year older from 1 March in a common year (the comparison of (month, day) gives both).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// ☑ or ☐, as the templates draw check boxes.
fn check_box(ticked: bool) -> String {
    if ticked { "☑" } else { "☐" }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn age_changes_on_the_birthday_and_leap_day_births_on_1_march() {
        let table = [
            ("2011-06-01", "2026-05-31", Some(14)),
            ("2011-06-01", "2026-06-01", Some(15)),
            ("2008-02-29", "2023-02-28", Some(14)),
            ("2008-02-29", "2023-03-01", Some(15)),
            ("2008-02-29", "2024-02-29", Some(16)),
            ("2026-06-02", "2026-06-01", None),
        ];
        for (birth, on, want) in table {
            assert_eq!(age_on(d(birth), d(on)), want, "{birth} on {on}");
        }
    }
}
