//! The vocabulary of the output-document templates: the placeholders each kind of document may
//! fill, the conditions a block's `when` may name, and the ids the code asks for by name. Loading
//! checks every template against these lists (`template`), so a typo fails at start-up.
//!
//! Data only; re-exported from `template`, where callers find them.

/// Placeholders every text may use, filled from the decision, the application and the office.
pub const GLOBAL_PLACEHOLDERS: &[&str] = &[
    "title",
    "draft_suffix",
    "benefit",
    "case_id",
    "doc_number",
    "decided_on",
    "applied_on",
    "name",
    "address",
    "amount",
    "course",
    "institution",
    "unconfirmed",
    "authority",
    "department",
    "contact",
    "payment_method",
    "appeal_to",
    "defendant",
    "defendant_representative",
];

/// Placeholders only the footer may use.
pub const FOOTER_PLACEHOLDERS: &[&str] = &["page", "pages"];

/// Further placeholders of the documents printed from a decision (`notice.*`, `plan.schedule`):
/// the stipend's schedule (RULES.md §2), the month a per-month 不支給 notice is about, and the
/// days of a 受講旅費 claim (RULES.md §3).
pub const DECISION_PLACEHOLDERS: &[&str] = &[
    "qualification",
    "paid_months",
    "schedule_from",
    "schedule_to",
    "month",
    "month_code",
    "month_note",
    "month_reason",
    "month_cites",
    "month_cited",
    "days_count",
    "transport_total",
    "expenses_total",
];

/// Further placeholders of the 自立支援プログラム計画書 (`plan.program`; `plans::ProgramPlan`).
pub const PROGRAM_PLACEHOLDERS: &[&str] = &[
    "drawn_up_on",
    "name_kana",
    "birth_date",
    "age",
    "phone",
    "employment",
    "income",
    "allowance",
    "child_support",
    "health",
    "childcare",
    "situation_notes",
    "goal_employment",
    "goal_qualification",
    "goal_target_on",
    "goal_working_style",
    "staff",
    "review_on",
    "schedule_total",
    "paid_months",
];

/// Further placeholders of the 親子交流支援計画書 and its refusal (`plan.parent_child*`;
/// `plans::ParentChildPlan`). `box_*` print a ticked or an empty check box (☑ / ☐).
pub const PARENT_CHILD_PLACEHOLDERS: &[&str] = &[
    "as_of",
    "consult_father",
    "consult_mother",
    "applicant_name",
    "box_applicant_father",
    "box_applicant_mother",
    "box_applicant_with",
    "box_applicant_apart",
    "other_name",
    "box_other_father",
    "box_other_mother",
    "box_other_with",
    "box_other_apart",
    "child1_name",
    "child1_birth",
    "child1_age",
    "box_child1_male",
    "box_child1_female",
    "child2_name",
    "child2_birth",
    "child2_age",
    "box_child2_male",
    "box_child2_female",
    "child3_name",
    "child3_birth",
    "child3_age",
    "box_child3_male",
    "box_child3_female",
    "box_assist_1",
    "box_assist_2",
    "box_assist_3",
    "assistance_note",
    "box_short",
    "box_short_1",
    "box_short_2",
    "box_continuing",
    "box_freq_monthly",
    "box_freq_bimonthly",
    "box_freq_other",
    "freq_other",
    "terms_note",
    "supporter",
];

/// The placeholders a document may use besides the global ones, by its id: `notice.*` and
/// `plan.schedule` are printed from a decision, `plan.program` and `plan.parent_child*` from a plan.
pub fn document_placeholders(id: &str) -> &'static [&'static str] {
    if id.starts_with("notice.") || id == SCHEDULE_ID {
        DECISION_PLACEHOLDERS
    } else if id.starts_with("plan.program") {
        PROGRAM_PLACEHOLDERS
    } else if id.starts_with("plan.parent_child") {
        PARENT_CHILD_PLACEHOLDERS
    } else {
        &[]
    }
}

/// The 支給予定表's template id (printed from a decision).
pub const SCHEDULE_ID: &str = "plan.schedule";

/// Conditions a block's `when` may name (a leading `!` negates).
pub const CONDITIONS: &[&str] = &[
    "draft",
    "issued",
    "needs_review",
    "has_lines",
    "has_excluded",
    "has_reasons",
    "has_review",
    "has_unconfirmed",
    "has_address",
    "has_course",
    "has_schedule",
    "has_unpaid",
    "has_days",
];
