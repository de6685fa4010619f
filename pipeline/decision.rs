//! The decision: what `rules::decide` returns and what `outbox/<case>/decision.json` holds
//! (DESIGN.md, "outbox/<case>/decision.json"). Extend these types; never rename a serialized field.
//!
//! Money is integer yen; rates travel as decimal strings so the JSON never carries a float.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::document::{DocKind, ItemCategory};

/// Which benefit an application asks for (DESIGN.md, `benefit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    /// 自立支援教育訓練給付金 (RULES.md §1).
    KyoikuKunren,
    /// 高等職業訓練促進給付金 (RULES.md §2).
    Kotoshokugyo,
    /// 高等職業訓練修了支援給付金 (RULES.md §2).
    KotoshokugyoShuryo,
    /// 就業支援講習会の受講旅費 (RULES.md §3).
    JukouRyohi,
}

impl Benefit {
    pub fn id(self) -> &'static str {
        match self {
            Benefit::KyoikuKunren => "kyoiku_kunren",
            Benefit::Kotoshokugyo => "kotoshokugyo",
            Benefit::KotoshokugyoShuryo => "kotoshokugyo_shuryo",
            Benefit::JukouRyohi => "jukou_ryohi",
        }
    }

    /// The benefit's name as a notice prints it.
    pub fn name_ja(self) -> &'static str {
        match self {
            Benefit::KyoikuKunren => "自立支援教育訓練給付金",
            Benefit::Kotoshokugyo => "高等職業訓練促進給付金",
            Benefit::KotoshokugyoShuryo => "高等職業訓練修了支援給付金",
            Benefit::JukouRyohi => "就業支援講習会受講旅費",
        }
    }
}

/// `draft` until a payment officer approves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Approved,
}

/// What the decision says (RULES.md §1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 支給
    Pay,
    /// 不支給: the applicant is not entitled.
    Deny,
    /// 補正依頼: a document or fact is missing or defective.
    Incomplete,
    /// A person decides.
    NeedsReview,
}

impl Outcome {
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Pay => "pay",
            Outcome::Deny => "deny",
            Outcome::Incomplete => "incomplete",
            Outcome::NeedsReview => "needs_review",
        }
    }
}

/// One computation line, with the rule it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub label: String,
    pub amount_yen: i64,
    pub cites: String,
}

/// An item left out of 教育訓練経費, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    pub label: String,
    pub amount_yen: i64,
    pub category: ItemCategory,
    /// Why, in the words of a notice (e.g. 「検定試験の受験料は対象外です」).
    pub reason: String,
    pub cites: String,
}

/// A reason code (RULES.md, "Reason codes") with its Japanese message and citation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Reason {
    /// Stable identifier, e.g. `receipt_field_missing:payer_name`.
    pub code: String,
    /// Plain Japanese for the applicant or the reviewer.
    pub message: String,
    pub cites: String,
}

/// A document the decision rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    pub file: String,
    /// Lower-case hex SHA-256 of the original file's bytes.
    pub sha256: String,
    pub kind: DocKind,
}

/// One month of a stipend schedule (RULES.md §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleLine {
    /// `YYYY-MM`.
    pub month: String,
    pub amount_yen: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// One attended day of a 受講旅費 claim (RULES.md §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayLine {
    pub date: NaiveDate,
    pub transport_yen: i64,
    pub expenses_yen: i64,
    pub amount_yen: i64,
}

/// The decision for one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub case_id: String,
    pub benefit: Benefit,
    pub status: Status,
    pub outcome: Outcome,
    /// The computed amount whenever it could be computed (also on `needs_review`); 0 on `deny`
    /// and `incomplete`.
    pub amount_yen: i64,
    pub lines: Vec<Line>,
    pub excluded: Vec<Excluded>,
    pub reasons: Vec<Reason>,
    pub documents: Vec<DocumentRef>,
    /// The parameters used, as strings (`as_of`, `rate`, `cap_yen`, …), plus `unconfirmed` naming
    /// any unconfirmed parameter the result depends on.
    pub parameters: BTreeMap<String, String>,
    /// The application date (申請日), which the notice quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Vec<ScheduleLine>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<DayLine>>,
}
