//! The 親子交流支援計画書 as data: every item of seed `000`'s 別紙 and the facts its rules ask
//! about, read leniently from JSON (`PLANS-SCHEMA.md`; a value of the wrong type is named in
//! `malformed` and left out).
//!
//! No rule is checked here ([`super::check`]) and nothing is printed ([`super::render`]). Used by
//! both, and by the CLI through [`crate::plans`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::case::application::Malformed;
use crate::plans::lenient::{member, parse_object, PlanReadError, Reader};

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
