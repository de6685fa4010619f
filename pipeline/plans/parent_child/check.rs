//! The rules of seed `000` 5-(1)-カ a 親子交流支援計画書 must meet before it is drawn up: the
//! children's age, the parents' income level, their arrangement and agreement, no earlier support,
//! consultation with both parents, at most once a month, at most a year, no risk of harm.
//!
//! Pure: the plan date comes in as a value; every failing rule is returned with its Japanese
//! message and citation, in the order of the text. It prints nothing ([`super::render`] does).
//! Called by [`super::render::render_parent_child`] and the CLI.

use chrono::{Datelike, Months, NaiveDate};

use crate::plans::{age_on, PlanReason};
use crate::render::format_wareki;

use super::plan::{Frequency, ParentChildPlan, Terms};

/// The parameters of seed `000` 5-(1)-カ that a prefecture or the text leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParentChildParams {
    /// 「概ね15歳未満の子」((イ)-a): children must be under this age on the plan date.
    pub child_age_limit: u32,
    /// The proviso of (イ)-b: the prefecture has found that supporting a family where one parent
    /// is not at the 児童扶養手当 income level causes no difficulty.
    pub waive_one_side_income: bool,
}

impl Default for ParentChildParams {
    fn default() -> Self {
        ParentChildParams {
            child_age_limit: 15,
            waive_one_side_income: false,
        }
    }
}

const CITE: &str = "seed 000 5-(1)-カ";

fn reason(code: impl Into<String>, message: impl Into<String>, item: &str) -> PlanReason {
    PlanReason {
        code: code.into(),
        message: message.into(),
        cites: format!("{CITE}-{item}"),
    }
}

/// [`check_parent_child_with`] with the national text's parameters (15 years, no waiver).
pub fn check_parent_child(plan: &ParentChildPlan, as_of: NaiveDate) -> Vec<PlanReason> {
    check_parent_child_with(plan, as_of, &ParentChildParams::default())
}

/// Every rule of seed `000` 5-(1)-カ the plan fails on `as_of` (the day the plan is drawn up), in
/// the order of the text; empty = the plan may be made.
pub fn check_parent_child_with(
    plan: &ParentChildPlan,
    as_of: NaiveDate,
    params: &ParentChildParams,
) -> Vec<PlanReason> {
    let mut out = Vec::new();
    let e = &plan.eligibility;

    // (イ)-a 「概ね15歳未満の子…との親子交流を希望する別居親又は…同居親」
    let limit = params.child_age_limit;
    if plan.children.is_empty() {
        out.push(reason(
            "child_missing",
            "親子交流を行う子どもの記載がありません。",
            "(イ)-a",
        ));
    }
    for (i, child) in plan.children.iter().enumerate() {
        let n = i + 1;
        match child.birth_date.map(|b| age_on(b, as_of)) {
            None => out.push(reason(
                format!("child_birth_date_missing:{n}"),
                format!("{n}人目の子どもの生年月日の記載がなく、年齢を確認できません。"),
                "(イ)-a",
            )),
            Some(Some(age)) if age < limit => {}
            Some(age) => out.push(reason(
                format!("child_over_age_limit:{n}"),
                format!(
                    "{n}人目の子どもが{}のため、本事業の対象（概ね{limit}歳未満の子）となりません。",
                    age.map_or_else(|| "計画日に未出生".to_string(), |a| format!("{a}歳"))
                ),
                "(イ)-a",
            )),
        }
    }

    // (イ)-b 「同居親が児童扶養手当の支給を受けており、かつ別居親が…同様の所得水準にあること。又は、
    // 同居親及び別居親とも…同様の所得水準にあること。ただし、都道府県等において…支障が生じないと
    // 認める場合は…いずれか一方が…所得水準にない者であるときであっても、対象者とすることができる。」
    let custodial =
        e.custodial_receives_allowance == Some(true) || e.custodial_same_income_level == Some(true);
    let noncustodial = e.noncustodial_same_income_level == Some(true);
    let income_ok = (custodial && noncustodial)
        || (params.waive_one_side_income && (custodial || noncustodial));
    if !income_ok {
        let who = match (custodial, noncustodial) {
            (false, false) => "同居親及び別居親のいずれも",
            (false, true) => "同居親が",
            _ => "別居親が",
        };
        out.push(reason(
            "income_level_not_met",
            format!(
                "{who}児童扶養手当の支給を受けている者と同様の所得水準にあることを確認できません。"
            ),
            "(イ)-b",
        ));
    }

    // (イ)-c 「親子交流の取り決めを行っている者で、本事業の支援を受けることについて父母間に合意があること」
    if e.arrangement != Some(true) {
        out.push(reason(
            "no_arrangement",
            "父母間で親子交流の取り決めが行われていることを確認できません。",
            "(イ)-c",
        ));
    }
    if e.both_agree != Some(true) {
        out.push(reason(
            "no_agreement",
            "本事業の支援を受けることについて父母間の合意を確認できません。",
            "(イ)-c",
        ));
    }

    // (イ)-d 「過去に本事業の対象となっていない者」
    match e.supported_before {
        Some(false) => {}
        Some(true) => out.push(reason(
            "supported_before",
            "過去に本事業の対象となっているため、対象となりません。",
            "(イ)-d",
        )),
        None => out.push(reason(
            "supported_before",
            "過去に本事業の対象となっていないことを確認できません。",
            "(イ)-d",
        )),
    }

    // (ウ)-a 「両者に対し必ず事前相談を実施するとともに…親子交流支援計画書を作成すること」
    for (who, code, date) in [
        ("父", "father", plan.consultation.father),
        ("母", "mother", plan.consultation.mother),
    ] {
        match date {
            None => out.push(reason(
                format!("consultation_missing:{code}"),
                format!("{who}との事前相談が実施されていません。"),
                "(ウ)-a",
            )),
            Some(d) if d > as_of => out.push(reason(
                format!("consultation_after_plan:{code}"),
                format!(
                    "{who}との事前相談（{}）が計画の作成（{}）より後になっています。",
                    format_wareki(d),
                    format_wareki(as_of)
                ),
                "(ウ)-a",
            )),
            Some(_) => {}
        }
    }

    // (ウ)-b 「親子交流援助の実施頻度は、原則として1月に1回までとする。」 A month is a calendar
    // month, as administrative counting uses it.
    let mut frequency = Vec::new();
    if let Some(Terms::Continuing {
        frequency: Frequency::Other { times, months, .. },
    }) = &plan.terms
    {
        match (times, months) {
            (Some(t), Some(m)) if *m > 0 && t <= m => {}
            (Some(t), Some(m)) => frequency.push(format!("頻度が{m}か月に{t}回となっています")),
            _ => frequency.push("「その他」の頻度の回数を確認できません".to_string()),
        }
    }
    let mut sessions = plan.sessions.clone();
    sessions.sort();
    if let Some(w) = sessions
        .windows(2)
        .find(|w| (w[0].year(), w[0].month()) == (w[1].year(), w[1].month()))
    {
        frequency.push(format!(
            "{}と{}が同じ月の実施になっています",
            format_wareki(w[0]),
            format_wareki(w[1])
        ));
    }
    if !frequency.is_empty() {
        out.push(reason(
            "over_once_a_month",
            format!(
                "親子交流援助は原則として1月に1回までですが、{}。",
                frequency.join("。また、")
            ),
            "(ウ)-b",
        ));
    }

    // (ウ)-c 「本事業による支援期間は、最長で1年間とする。」 A year from the first day ends on the
    // day before its anniversary (民法 143条).
    let over_year = |from: NaiveDate, to: NaiveDate| {
        from.checked_add_months(Months::new(12))
            .is_none_or(|anniversary| to >= anniversary)
    };
    let mut spans = Vec::new();
    if let Some(p) = plan.period {
        if over_year(p.from, p.to) {
            spans.push(format!(
                "支援期間が{}から{}までとなっています",
                format_wareki(p.from),
                format_wareki(p.to)
            ));
        }
    }
    if let (Some(first), Some(last)) = (sessions.first(), sessions.last()) {
        if over_year(*first, *last) {
            spans.push(format!(
                "実施予定日が{}から{}までにわたっています",
                format_wareki(*first),
                format_wareki(*last)
            ));
        }
    }
    if !spans.is_empty() {
        out.push(reason(
            "over_one_year",
            format!("支援期間は最長で1年間ですが、{}。", spans.join("。また、")),
            "(ウ)-c",
        ));
    }

    // (オ)-b 「暴力行為や子どもに対する虐待行為を行うおそれのある者、子どもの連れ去り又は連れ去りを
    // 企図するおそれのある者等については本事業の対象としないこと。」
    let risks: Vec<&str> = [
        (e.risk_of_violence, "暴力行為"),
        (e.risk_of_abuse, "子どもに対する虐待行為"),
        (e.risk_of_abduction, "子どもの連れ去り"),
    ]
    .into_iter()
    .filter(|(risk, _)| *risk == Some(true))
    .map(|(_, what)| what)
    .collect();
    if !risks.is_empty() {
        out.push(reason(
            "risk_of_harm",
            format!(
                "{}のおそれがあるため、本事業の対象となりません。",
                risks.join("、")
            ),
            "(オ)-b",
        ));
    }
    out
}
