//! 親子交流支援計画書 (RULES.md §4; seed `000` 5-(1)-カ and its 別紙): the plan a 親子交流支援員 draws
//! up with both parents, and the eligibility rules checked before it is drawn up.
//!
//! [`check_parent_child`] is pure (the date comes in, no clock): it returns every rule the plan
//! fails, each with its Japanese message and citation. [`render_parent_child`] prints the plan
//! field for field as the 別紙 has it, check boxes drawn and ticked — or, when any rule fails, a
//! refusal notice listing every reason instead.
//!
//! The plan as read from JSON is in [`plan`], the rules in [`check`], the printing in [`render`].
//! Called through the re-exports of [`crate::plans`].

mod check;
mod plan;
mod render;

pub use check::{check_parent_child, check_parent_child_with, ParentChildParams};
pub use plan::{
    Assistance, Consultation, Eligibility, Frequency, ParentChildPlan, ParentRole, Period,
    PlanChild, PlanParent, ProgressEntry, Sex, Terms,
};
pub use render::{render_parent_child, ParentChildOutput};

#[cfg(test)]
mod tests;
