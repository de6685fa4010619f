//! 親子交流支援計画書 (RULES.md §4; seed `000` 5-(1)-カ and its 別紙): the plan a 親子交流支援員 draws
//! up with both parents, and the eligibility rules checked before it is drawn up.
//!
//! [`check_parent_child`] is pure (the date comes in, no clock): it returns every rule the plan
//! fails, each with its Japanese message and citation. [`render_parent_child`] prints the plan
//! field for field as the 別紙 has it, check boxes drawn and ticked — or, when any rule fails, a
//! refusal notice listing every reason instead.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use super::lenient::{member, parse_object, PlanReadError, Reader};
use super::{age_on, check_box, PlanReason, PARENT_CHILD_ID, PARENT_CHILD_REFUSAL_ID};
use crate::case::application::Malformed;
use crate::render::compose::{compose, row, set_title, Context};
use crate::render::notice::{issue_globals, office_globals};
use crate::render::template::Source;
use crate::render::{format_wareki, Office, RenderError, Templates};

/// 父 or 母.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParentRole {
    Father,
    Mother,
}

/// 男 or 女.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// 申請者 or 相手方 (items 3 and 4 of the form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanParent {
    pub name: Option<String>,
    /// Where a refusal notice is sent (the applicant's).
    pub address: Option<String>,
    pub role: Option<ParentRole>,
    /// 子どもと同居 (true) or 別居 (false).
    pub lives_with_children: Option<bool>,
}

/// 事前相談日 with each parent (item 2; seed `000` 5-(1)-カ-(ウ)-a).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    pub father: Option<NaiveDate>,
    pub mother: Option<NaiveDate>,
}

/// A child the 親子交流 is with (item 5; up to 3 on the form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanChild {
    pub name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
}

/// 援助内容 (item 6): each includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assistance {
    /// (1) 親子交流の連絡調整.
    Coordination,
    /// (2) 子の受渡し (with (1)).
    Handover,
    /// (3) 親子交流の際の付添い (with (1) and (2)).
    Accompaniment,
}

/// 継続型の頻度.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// 月1回.
    Monthly,
    /// 2か月に1回.
    EveryTwoMonths,
    /// その他: `text` as printed; `times` per `months` is what the once-a-month rule checks.
    Other {
        text: String,
        #[serde(default)]
        times: Option<u32>,
        #[serde(default)]
        months: Option<u32>,
    },
}

/// 援助条件 (item 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Terms {
    /// 短期型, 1 or 2 times.
    Short { times: u32 },
    /// 継続型.
    Continuing { frequency: Frequency },
}

/// One line of 支援経過 (item 9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgressEntry {
    pub date: Option<NaiveDate>,
    /// As written (「10:00〜12:00」).
    pub time: Option<String>,
    pub content: Option<String>,
    pub supporter: Option<String>,
}

/// 支援期間 (seed `000` 5-(1)-カ-(ウ)-c: at most one year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The facts seed `000` 5-(1)-カ-(イ) and (オ) ask about. `None` = not established.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// 同居親が児童扶養手当の支給を受けている.
    pub custodial_receives_allowance: Option<bool>,
    /// 同居親が児童扶養手当受給者と同様の所得水準にある.
    pub custodial_same_income_level: Option<bool>,
    /// 別居親が児童扶養手当受給者と同様の所得水準にある.
    pub noncustodial_same_income_level: Option<bool>,
    /// 親子交流の取り決めを行っている.
    pub arrangement: Option<bool>,
    /// 本事業の支援を受けることについて父母間に合意がある.
    pub both_agree: Option<bool>,
    /// 過去に本事業の対象となった.
    pub supported_before: Option<bool>,
    /// 暴力行為を行うおそれ (absent = none recorded).
    pub risk_of_violence: Option<bool>,
    /// 子どもに対する虐待行為を行うおそれ.
    pub risk_of_abuse: Option<bool>,
    /// 子どもの連れ去り又はその企図のおそれ.
    pub risk_of_abduction: Option<bool>,
}

/// A 親子交流支援計画書 with the facts its rules need; every field optional (see
/// `PLANS-SCHEMA.md`):
///
/// ```json
/// {"case_id": "2026-K-0003", "applied_on": "2026-05-01",
///  "consultation": {"father": "2026-05-10", "mother": "2026-05-12"},
///  "applicant": {"name": "山田 太郎", "role": "father", "lives_with_children": false},
///  "other_parent": {"name": "鈴木 花子", "role": "mother", "lives_with_children": true},
///  "children": [{"name": "鈴木 陽菜", "birth_date": "2018-06-01", "sex": "female"}],
///  "assistance": "handover", "assistance_note": "…",
///  "terms": {"type": "continuing", "frequency": "monthly"}, "terms_note": "…",
///  "supporter": "佐藤 恵", "progress": [{"date": "2026-06-14", "time": "10:00〜12:00",
///  "content": "…", "supporter": "佐藤 恵"}],
///  "period": {"from": "2026-06-01", "to": "2027-05-31"}, "sessions": ["2026-06-14"],
///  "eligibility": {"custodial_receives_allowance": true, "noncustodial_same_income_level": true,
///                  "arrangement": true, "both_agree": true, "supported_before": false}}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ParentChildPlan {
    pub case_id: Option<String>,
    /// 1 申込日.
    pub applied_on: Option<NaiveDate>,
    /// 2 事前相談日.
    pub consultation: Consultation,
    /// 3 申請者.
    pub applicant: PlanParent,
    /// 4 相手方.
    pub other_parent: PlanParent,
    /// 5 親子交流を行う未成年者.
    pub children: Vec<PlanChild>,
    /// 6 援助内容 and its 備考.
    pub assistance: Option<Assistance>,
    pub assistance_note: Option<String>,
    /// 7 援助条件 and its 備考.
    pub terms: Option<Terms>,
    pub terms_note: Option<String>,
    /// 8 支援員氏名.
    pub supporter: Option<String>,
    /// 9 支援経過.
    pub progress: Vec<ProgressEntry>,
    /// 支援期間.
    pub period: Option<Period>,
    /// Planned dates of 親子交流援助.
    pub sessions: Vec<NaiveDate>,
    pub eligibility: Eligibility,
    /// Values present with the wrong type (left out above).
    pub malformed: Vec<Malformed>,
}

impl ParentChildPlan {
    /// Reads a plan leniently: see the module docs of `plans`.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<ParentChildPlan, PlanReadError> {
        Ok(Self::from_json(&parse_object(bytes)?))
    }

    pub fn from_json(root: &Json) -> ParentChildPlan {
        let mut r = Reader::default();
        let parent = |r: &mut Reader, key: &str| {
            let p = member(root, key);
            PlanParent {
                name: r.get(p, "name", &format!("{key}.name")),
                address: r.get(p, "address", &format!("{key}.address")),
                role: r.get(p, "role", &format!("{key}.role")),
                lives_with_children: r.get(
                    p,
                    "lives_with_children",
                    &format!("{key}.lives_with_children"),
                ),
            }
        };
        let c = member(root, "consultation");
        let e = member(root, "eligibility");
        let fact = |r: &mut Reader, key: &str| r.get(e, key, &format!("eligibility.{key}"));
        let mut plan = ParentChildPlan {
            case_id: r.get(root, "case_id", "case_id"),
            applied_on: r.get(root, "applied_on", "applied_on"),
            consultation: Consultation {
                father: r.get(c, "father", "consultation.father"),
                mother: r.get(c, "mother", "consultation.mother"),
            },
            applicant: parent(&mut r, "applicant"),
            other_parent: parent(&mut r, "other_parent"),
            children: r.list(root, "children", "children"),
            assistance: r.get(root, "assistance", "assistance"),
            assistance_note: r.get(root, "assistance_note", "assistance_note"),
            terms: r.get(root, "terms", "terms"),
            terms_note: r.get(root, "terms_note", "terms_note"),
            supporter: r.get(root, "supporter", "supporter"),
            progress: r.list(root, "progress", "progress"),
            period: r.get(root, "period", "period"),
            sessions: r.list(root, "sessions", "sessions"),
            eligibility: Eligibility {
                custodial_receives_allowance: fact(&mut r, "custodial_receives_allowance"),
                custodial_same_income_level: fact(&mut r, "custodial_same_income_level"),
                noncustodial_same_income_level: fact(&mut r, "noncustodial_same_income_level"),
                arrangement: fact(&mut r, "arrangement"),
                both_agree: fact(&mut r, "both_agree"),
                supported_before: fact(&mut r, "supported_before"),
                risk_of_violence: fact(&mut r, "risk_of_violence"),
                risk_of_abuse: fact(&mut r, "risk_of_abuse"),
                risk_of_abduction: fact(&mut r, "risk_of_abduction"),
            },
            malformed: Vec::new(),
        };
        plan.malformed = r.malformed;
        plan
    }
}

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
                ("cites", r.cites.clone()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{assert_font_embedded_as_subset, assert_has, templates, text_of};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The day the plan is drawn up in every case below.
    const AS_OF: &str = "2026-05-20";

    /// A plan every rule accepts: a father living apart asks for handovers of two children, once
    /// a month for a year, after both parents were consulted.
    const PLAN: &str = r#"{
        "case_id": "2026-K-0003", "applied_on": "2026-05-01",
        "consultation": {"father": "2026-05-10", "mother": "2026-05-12"},
        "applicant": {"name": "山田 太郎", "address": "埼玉県さくら市桜町三丁目4番5号",
                      "role": "father", "lives_with_children": false},
        "other_parent": {"name": "鈴木 花子", "role": "mother", "lives_with_children": true},
        "children": [{"name": "鈴木 陽菜", "birth_date": "2018-06-01", "sex": "female"},
                     {"name": "鈴木 大翔", "birth_date": "2012-05-21", "sex": "male"}],
        "assistance": "handover", "assistance_note": "受渡しは市役所ロビーで行う。",
        "terms": {"type": "continuing", "frequency": "monthly"},
        "terms_note": "第2日曜日の午前を基本とする。",
        "supporter": "佐藤 恵",
        "progress": [{"date": "2026-06-14", "time": "10:00〜12:00",
                      "content": "子の受渡しを実施。予定どおり終了。", "supporter": "佐藤 恵"}],
        "period": {"from": "2026-06-01", "to": "2027-05-31"},
        "sessions": ["2026-06-14", "2026-07-12", "2027-05-09"],
        "eligibility": {"custodial_receives_allowance": true,
                        "noncustodial_same_income_level": true,
                        "arrangement": true, "both_agree": true, "supported_before": false},
        "unknown_key": "ignored"
    }"#;

    fn plan() -> ParentChildPlan {
        ParentChildPlan::from_json_bytes(PLAN.as_bytes()).unwrap()
    }

    type Change = fn(&mut ParentChildPlan);

    /// case, change to the accepted plan, parameters, the codes expected, the rule they cite.
    #[test]
    fn each_rule_of_5_1_ka_refuses_what_it_should_and_only_that() {
        let national = ParentChildParams::default();
        let waived = ParentChildParams {
            waive_one_side_income: true,
            ..national
        };
        let sixteen = ParentChildParams {
            child_age_limit: 16,
            ..national
        };
        let table: Vec<(&str, Change, ParentChildParams, &[&str], &str)> = vec![
            ("accepted plan", |_| {}, national, &[], ""),
            (
                "second child turns 15 the day after the plan",
                |p| p.children[1].birth_date = Some(d("2011-05-21")),
                national,
                &[],
                "",
            ),
            (
                "second child 15 on the plan date",
                |p| p.children[1].birth_date = Some(d("2011-05-20")),
                national,
                &["child_over_age_limit:2"],
                "(イ)-a",
            ),
            (
                "a prefecture reading 概ね15歳 as 16",
                |p| p.children[1].birth_date = Some(d("2011-05-20")),
                sixteen,
                &[],
                "",
            ),
            (
                "child without birth date",
                |p| p.children[0].birth_date = None,
                national,
                &["child_birth_date_missing:1"],
                "(イ)-a",
            ),
            (
                "no child named",
                |p| p.children.clear(),
                national,
                &["child_missing"],
                "(イ)-a",
            ),
            (
                "別居親 above the income level",
                |p| p.eligibility.noncustodial_same_income_level = Some(false),
                national,
                &["income_level_not_met"],
                "(イ)-b",
            ),
            (
                "both at the level, 同居親 not receiving",
                |p| {
                    p.eligibility.custodial_receives_allowance = Some(false);
                    p.eligibility.custodial_same_income_level = Some(true);
                },
                national,
                &[],
                "",
            ),
            (
                "別居親 above the level, prefecture waives one side",
                |p| p.eligibility.noncustodial_same_income_level = Some(false),
                waived,
                &[],
                "",
            ),
            (
                "neither at the level, even with the waiver",
                |p| {
                    p.eligibility.custodial_receives_allowance = Some(false);
                    p.eligibility.noncustodial_same_income_level = None;
                },
                waived,
                &["income_level_not_met"],
                "(イ)-b",
            ),
            (
                "no 取り決め",
                |p| p.eligibility.arrangement = Some(false),
                national,
                &["no_arrangement"],
                "(イ)-c",
            ),
            (
                "agreement not recorded",
                |p| p.eligibility.both_agree = None,
                national,
                &["no_agreement"],
                "(イ)-c",
            ),
            (
                "supported before",
                |p| p.eligibility.supported_before = Some(true),
                national,
                &["supported_before"],
                "(イ)-d",
            ),
            (
                "prior support not checked",
                |p| p.eligibility.supported_before = None,
                national,
                &["supported_before"],
                "(イ)-d",
            ),
            (
                "mother not consulted",
                |p| p.consultation.mother = None,
                national,
                &["consultation_missing:mother"],
                "(ウ)-a",
            ),
            (
                "father consulted after the plan",
                |p| p.consultation.father = Some(d("2026-05-21")),
                national,
                &["consultation_after_plan:father"],
                "(ウ)-a",
            ),
            (
                "father consulted on the day of the plan",
                |p| p.consultation.father = Some(d(AS_OF)),
                national,
                &[],
                "",
            ),
            (
                "その他 twice a month",
                |p| {
                    p.terms = Some(Terms::Continuing {
                        frequency: Frequency::Other {
                            text: "月2回".to_string(),
                            times: Some(2),
                            months: Some(1),
                        },
                    })
                },
                national,
                &["over_once_a_month"],
                "(ウ)-b",
            ),
            (
                "その他 once in three months",
                |p| {
                    p.terms = Some(Terms::Continuing {
                        frequency: Frequency::Other {
                            text: "3か月に1回".to_string(),
                            times: Some(1),
                            months: Some(3),
                        },
                    })
                },
                national,
                &[],
                "",
            ),
            (
                "その他 without a count",
                |p| {
                    p.terms = Some(Terms::Continuing {
                        frequency: Frequency::Other {
                            text: "随時".to_string(),
                            times: None,
                            months: None,
                        },
                    })
                },
                national,
                &["over_once_a_month"],
                "(ウ)-b",
            ),
            (
                "two sessions in one calendar month",
                |p| p.sessions.push(d("2026-07-26")),
                national,
                &["over_once_a_month"],
                "(ウ)-b",
            ),
            (
                "period one day over a year",
                |p| {
                    p.period = Some(Period {
                        from: d("2026-06-01"),
                        to: d("2027-06-01"),
                    })
                },
                national,
                &["over_one_year"],
                "(ウ)-c",
            ),
            (
                "sessions reaching the first session's anniversary",
                |p| p.sessions.push(d("2027-06-14")),
                national,
                &["over_one_year"],
                "(ウ)-c",
            ),
            (
                "sessions within a year of the first",
                |p| p.sessions.push(d("2027-06-13")),
                national,
                &[],
                "",
            ),
            (
                "abduction feared",
                |p| p.eligibility.risk_of_abduction = Some(true),
                national,
                &["risk_of_harm"],
                "(オ)-b",
            ),
            (
                "violence considered and not feared",
                |p| p.eligibility.risk_of_violence = Some(false),
                national,
                &[],
                "",
            ),
        ];
        for (case, change, params, want, item) in table {
            let mut p = plan();
            change(&mut p);
            let got = check_parent_child_with(&p, d(AS_OF), &params);
            let codes: Vec<&str> = got.iter().map(|r| r.code.as_str()).collect();
            assert_eq!(codes, want, "{case}: {got:?}");
            for r in &got {
                assert_eq!(r.cites, format!("seed 000 5-(1)-カ-{item}"), "{case}");
                assert!(!r.message.is_empty(), "{case}");
            }
        }
        assert!(plan().malformed.is_empty(), "{:?}", plan().malformed);
        assert!(check_parent_child(&plan(), d(AS_OF)).is_empty());
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named_and_the_rest_is_read() {
        let p = ParentChildPlan::from_json_bytes(
            r#"{"applied_on": "5月1日", "children": [{"name": "a", "birth_date": "2018-06-01"}, 7],
                 "supporter": "佐藤 恵"}"#
                .as_bytes(),
        )
        .unwrap();
        let fields: Vec<&str> = p.malformed.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, ["applied_on", "children[1]"]);
        assert_eq!(p.children.len(), 1);
        assert_eq!(p.supporter.as_deref(), Some("佐藤 恵"));
    }

    fn render(p: &ParentChildPlan) -> ParentChildOutput {
        render_parent_child(
            p,
            d(AS_OF),
            &ParentChildParams::default(),
            &Office::default(),
            templates(),
        )
        .unwrap()
    }

    #[test]
    fn the_plan_prints_every_item_of_the_form_with_the_choices_ticked() {
        let out = render(&plan());
        assert!(!out.refused());
        let (text, pages) = text_of("parent-child", &out.pdf);
        assert_eq!(pages, 1);
        assert_has(&text, "親子交流支援計画書");
        assert_has(&text, "１申込日令和8年5月1日");
        assert_has(
            &text,
            "２事前相談日（父）令和8年5月10日（母）令和8年5月12日",
        );
        // The boxes are drawn; a tick prints ✓ just before its choice.
        assert_has(
            &text,
            "３申請者氏名山田 太郎（✓父・母）子どもと（同居・✓別居）",
        );
        assert_has(
            &text,
            "４相手方氏名鈴木 花子（父・✓母）子どもと（✓同居・別居）",
        );
        assert_has(&text, "５親子交流を行う未成年者");
        assert_has(&text, "鈴木 陽菜平成30年6月1日（7歳）男・✓女");
        assert_has(&text, "鈴木 大翔平成24年5月21日（13歳）✓男・女");
        assert_has(
            &text,
            "６援助内容(1)親子交流の連絡調整（日時、場所、時間、方法などの調整を含む）",
        );
        assert_has(&text, "✓(2)子の受渡し（援助内容(1)を含む）");
        assert_has(&text, "(3)親子交流の際の付添い（援助内容(1)(2)を含む）");
        assert_has(&text, "（備考）受渡しは市役所ロビーで行う。");
        assert_has(&text, "７援助条件(1)短期型（１回・２回）");
        assert_has(&text, "✓(2)継続型（頻度：✓月１回・２か月に１回・その他（");
        assert_has(&text, "（備考）第2日曜日の午前を基本とする。");
        assert_has(&text, "８支援員氏名佐藤 恵");
        assert_has(&text, "９支援経過");
        assert_has(&text, "日付時間内容支援員氏名");
        assert_has(
            &text,
            "令和8年6月14日10:00〜12:00子の受渡しを実施。予定どおり終了。佐藤 恵",
        );
        // Ticked: 父, 別居, 母, 同居, 女, 男, (2), 継続型, 月１回.
        assert_eq!(text.matches('✓').count(), 9, "{text}");
        assert_font_embedded_as_subset("parent-child", &out.pdf);
        assert!(out.pdf.len() <= 100 * 1024, "{} bytes", out.pdf.len());
        assert_eq!(out, render(&plan()), "same plan, same bytes");
    }

    #[test]
    fn the_third_child_line_and_short_terms_print_too() {
        let mut p = plan();
        p.children.push(PlanChild {
            name: Some("鈴木 結衣".to_string()),
            birth_date: Some(d("2020-01-15")),
            sex: Some(Sex::Female),
        });
        p.terms = Some(Terms::Short { times: 2 });
        let out = render(&p);
        let (text, _) = text_of("parent-child-short", &out.pdf);
        assert_has(&text, "鈴木 結衣令和2年1月15日（6歳）男・✓女");
        assert_has(&text, "✓(1)短期型（１回・✓２回）");
        assert_has(&text, "(2)継続型（頻度：月１回・２か月に１回・その他（");
    }

    #[test]
    fn a_refused_plan_prints_the_refusal_with_every_reason_instead() {
        let mut p = plan();
        p.consultation.mother = None;
        p.eligibility.risk_of_violence = Some(true);
        let out = render(&p);
        assert!(out.refused());
        let (text, _) = text_of("parent-child-refusal", &out.pdf);
        assert_has(&text, "親子交流支援事業利用不承認通知書（案）");
        assert_has(&text, "山田 太郎　様");
        assert_has(
            &text,
            "令和8年5月1日付けで申込みのあった親子交流支援事業の利用",
        );
        assert_eq!(out.reasons.len(), 2);
        for r in &out.reasons {
            assert_has(&text, &r.message);
            assert_has(&text, &r.cites);
        }
        assert_has(&text, "母との事前相談が実施されていません。");
        assert_has(&text, "暴力行為のおそれがあるため");
        assert!(!text.contains("支援経過"), "no plan on a refusal");
        assert_has(&text, "審査請求");
        assert_font_embedded_as_subset("parent-child-refusal", &out.pdf);
        assert!(out.pdf.len() <= 100 * 1024, "{} bytes", out.pdf.len());
    }

    /// `KYUFU_RENDER_SAMPLES=dir cargo test --lib plans -- --ignored` writes samples to look at.
    #[test]
    #[ignore = "writes sample PDFs for a person to look at"]
    fn write_samples() {
        if let Ok(dir) = std::env::var("KYUFU_RENDER_SAMPLES") {
            let dir = std::path::Path::new(&dir);
            std::fs::write(dir.join("parent-child.pdf"), render(&plan()).pdf).unwrap();
            let mut p = plan();
            p.consultation.mother = None;
            p.eligibility.risk_of_violence = Some(true);
            std::fs::write(dir.join("parent-child-refusal.pdf"), render(&p).pdf).unwrap();
        }
    }
}
