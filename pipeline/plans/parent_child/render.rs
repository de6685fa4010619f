//! Prints a 親子交流支援計画書 (`output-plan-parent-child.toml`) field for field as seed `000`'s
//! 別紙 has it, check boxes drawn and ticked — or, when a rule of [`super::check`] fails, the
//! refusal notice (`output-plan-parent-child-refusal.toml`) listing every reason instead.
//!
//! The same plan, date and parameters give the same bytes. It decides nothing itself and writes
//! no file: the caller stores the PDF. Called by the CLI through [`crate::plans`].

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::plans::{age_on, check_box, PlanReason, PARENT_CHILD_ID, PARENT_CHILD_REFUSAL_ID};
use crate::render::compose::{compose, row, set_title, Context};
use crate::render::notice::{issue_globals, office_globals};
use crate::render::template::Source;
use crate::render::{format_wareki, Office, RenderError, Templates};

use super::check::{check_parent_child_with, ParentChildParams};
use super::plan::{Assistance, Frequency, ParentChildPlan, ParentRole, Sex, Terms};

/// What [`render_parent_child`] printed: the plan (no reasons) or the refusal notice (with them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentChildOutput {
    pub pdf: Vec<u8>,
    /// The rules the plan fails; empty when `pdf` is the plan.
    pub reasons: Vec<PlanReason>,
}

impl ParentChildOutput {
    pub fn refused(&self) -> bool {
        !self.reasons.is_empty()
    }
}

/// Blank date as the form prints it where nothing is known (the form's 「（元号） 年 月 日」).
const BLANK_DATE: &str = "　　　年　月　日";

fn plan_context(plan: &ParentChildPlan, as_of: NaiveDate) -> Context {
    let mut ctx = Context::default();
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let date = |d: Option<NaiveDate>| d.map_or_else(|| BLANK_DATE.to_string(), format_wareki);
    let b = check_box;
    let g = &mut ctx.globals;
    g.insert("case_id", text(&plan.case_id));
    g.insert("as_of", format_wareki(as_of));
    g.insert("applied_on", date(plan.applied_on));
    g.insert("consult_father", date(plan.consultation.father));
    g.insert("consult_mother", date(plan.consultation.mother));
    for (prefix, p) in [
        ("applicant", &plan.applicant),
        ("other", &plan.other_parent),
    ] {
        let key = |k: &str| -> &'static str {
            match (prefix, k) {
                ("applicant", "name") => "applicant_name",
                ("applicant", "father") => "box_applicant_father",
                ("applicant", "mother") => "box_applicant_mother",
                ("applicant", "with") => "box_applicant_with",
                ("applicant", _) => "box_applicant_apart",
                (_, "name") => "other_name",
                (_, "father") => "box_other_father",
                (_, "mother") => "box_other_mother",
                (_, "with") => "box_other_with",
                _ => "box_other_apart",
            }
        };
        g.insert(key("name"), text(&p.name));
        g.insert(key("father"), b(p.role == Some(ParentRole::Father)));
        g.insert(key("mother"), b(p.role == Some(ParentRole::Mother)));
        g.insert(key("with"), b(p.lives_with_children == Some(true)));
        g.insert(key("apart"), b(p.lives_with_children == Some(false)));
    }
    const CHILD_KEYS: [[&str; 5]; 3] = [
        [
            "child1_name",
            "child1_birth",
            "child1_age",
            "box_child1_male",
            "box_child1_female",
        ],
        [
            "child2_name",
            "child2_birth",
            "child2_age",
            "box_child2_male",
            "box_child2_female",
        ],
        [
            "child3_name",
            "child3_birth",
            "child3_age",
            "box_child3_male",
            "box_child3_female",
        ],
    ];
    for (i, [name, birth, age, male, female]) in CHILD_KEYS.into_iter().enumerate() {
        let child = plan.children.get(i).cloned().unwrap_or_default();
        g.insert(name, text(&child.name));
        g.insert(birth, date(child.birth_date));
        g.insert(
            age,
            child
                .birth_date
                .and_then(|bd| age_on(bd, as_of))
                .map_or_else(|| "　".to_string(), |a| a.to_string()),
        );
        g.insert(male, b(child.sex == Some(Sex::Male)));
        g.insert(female, b(child.sex == Some(Sex::Female)));
    }
    g.insert(
        "box_assist_1",
        b(plan.assistance == Some(Assistance::Coordination)),
    );
    g.insert(
        "box_assist_2",
        b(plan.assistance == Some(Assistance::Handover)),
    );
    g.insert(
        "box_assist_3",
        b(plan.assistance == Some(Assistance::Accompaniment)),
    );
    g.insert("assistance_note", text(&plan.assistance_note));
    let (short, times, continuing, freq) = match &plan.terms {
        Some(Terms::Short { times }) => (true, Some(*times), false, None),
        Some(Terms::Continuing { frequency }) => (false, None, true, Some(frequency)),
        None => (false, None, false, None),
    };
    g.insert("box_short", b(short));
    g.insert("box_short_1", b(times == Some(1)));
    g.insert("box_short_2", b(times == Some(2)));
    g.insert("box_continuing", b(continuing));
    g.insert("box_freq_monthly", b(freq == Some(&Frequency::Monthly)));
    g.insert(
        "box_freq_bimonthly",
        b(freq == Some(&Frequency::EveryTwoMonths)),
    );
    let other = match freq {
        Some(Frequency::Other { text, .. }) => Some(text.clone()),
        _ => None,
    };
    g.insert("box_freq_other", b(other.is_some()));
    // The form leaves room inside the brackets for a hand-written frequency.
    g.insert(
        "freq_other",
        other.unwrap_or_else(|| "　　　　　　".to_string()),
    );
    g.insert("terms_note", text(&plan.terms_note));
    g.insert("supporter", text(&plan.supporter));
    ctx.set_rows(
        Source::Progress,
        plan.progress.iter().map(|p| {
            row([
                ("date", p.date.map(format_wareki).unwrap_or_default()),
                ("time", text(&p.time)),
                ("content", text(&p.content)),
                ("supporter", text(&p.supporter)),
            ])
        }),
    );
    ctx
}

fn refusal_context(
    plan: &ParentChildPlan,
    as_of: NaiveDate,
    reasons: &[PlanReason],
    office: &Office,
    t: &Templates,
) -> Context {
    let mut ctx = Context::default();
    office_globals(&mut ctx, office);
    // A refusal is computed, so it is a draft until a person issues it.
    issue_globals(&mut ctx, t.style(), true, None);
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let g = &mut ctx.globals;
    g.insert("case_id", text(&plan.case_id));
    g.insert("as_of", format_wareki(as_of));
    g.insert("name", text(&plan.applicant.name));
    g.insert("address", text(&plan.applicant.address));
    g.insert(
        "applied_on",
        plan.applied_on
            .map_or_else(|| t.style().marks.blank_date.clone(), format_wareki),
    );
    g.insert("benefit", "親子交流支援事業".to_string());
    ctx.set_flags([
        (
            "has_address",
            plan.applicant
                .address
                .as_ref()
                .is_some_and(|a| !a.is_empty()),
        ),
        ("has_reasons", !reasons.is_empty()),
    ]);
    ctx.set_rows(
        Source::PlanReasons,
        reasons.iter().map(|r| {
            row([
                ("code", r.code.clone()),
                ("message", r.message.clone()),
                // Printed as an applicant can look it up; `reasons` keep the internal citation.
                ("cites", t.public_cite(&r.cites)),
            ])
        }),
    );
    ctx
}

/// Checks the plan on `as_of` ([`check_parent_child_with`]) and prints the 親子交流支援計画書
/// (`output-plan-parent-child.toml`), or, when a rule fails, the refusal notice listing every
/// reason (`output-plan-parent-child-refusal.toml`). The same plan and date give the same bytes.
pub fn render_parent_child(
    plan: &ParentChildPlan,
    as_of: NaiveDate,
    params: &ParentChildParams,
    office: &Office,
    t: &Templates,
) -> Result<ParentChildOutput, RenderError> {
    let reasons = check_parent_child_with(plan, as_of, params);
    let (id, mut ctx) = if reasons.is_empty() {
        (PARENT_CHILD_ID, plan_context(plan, as_of))
    } else {
        (
            PARENT_CHILD_REFUSAL_ID,
            refusal_context(plan, as_of, &reasons, office, t),
        )
    };
    let template = t.document(id, None)?;
    set_title(&mut ctx, template);
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(plan).map_err(|e| RenderError::Pdf(e.to_string()))?);
    h.update(as_of.to_string().as_bytes());
    h.update(format!("{params:?}").as_bytes());
    h.update(id.as_bytes());
    let identity: [u8; 32] = h.finalize().into();
    let log_id = plan.case_id.clone().unwrap_or_default();
    let pdf = compose(&ctx, template, t, &identity, &log_id)?;
    Ok(ParentChildOutput { pdf, reasons })
}
