//! The typed document: what `extract` makes of the words on a page, and what `case` assembles.
//!
//! This is also the shape of `kyufu extract --json` (DESIGN.md, "kyufu extract --json"): one
//! [`Document`] per document found, fields keyed by their contract names, line items with their
//! RULES.md §1.2 category. Confidence is a reading aid here; the rules never see a float — `case`
//! turns each field into a fact that is either sure or not.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What kind of document a file (or a run of pages in it) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 領収書, or クレジット契約証明書 (seed `003` 第1-5-(2)).
    Receipt,
    /// 教育訓練修了証明書 (seed `003` 第1-5-(1)).
    CompletionCertificate,
    /// 支給申請書 (scanned).
    Application,
    /// 在籍証明書.
    EnrollmentCertificate,
    /// 出席状況報告.
    AttendanceReport,
    /// 送付状 printed by kyufu.
    CoverSheet,
    /// Read, but not a document kyufu knows.
    Unknown,
}

impl DocKind {
    /// The Japanese name staff know the document by.
    pub fn label_ja(self) -> &'static str {
        match self {
            DocKind::Receipt => "領収書",
            DocKind::CompletionCertificate => "教育訓練修了証明書",
            DocKind::Application => "支給申請書",
            DocKind::EnrollmentCertificate => "在籍証明書",
            DocKind::AttendanceReport => "出席状況報告書",
            DocKind::CoverSheet => "送付状",
            DocKind::Unknown => "種類不明の書類",
        }
    }
}

/// A rectangle on a page, in pixels of the decoded page image (x, y of the top-left corner).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BBox {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

impl BBox {
    pub fn right(&self) -> u32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> u32 {
        self.y + self.h
    }
    /// The smallest box holding both.
    pub fn union(&self, other: &BBox) -> BBox {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        BBox {
            x,
            y,
            w: self.right().max(other.right()) - x,
            h: self.bottom().max(other.bottom()) - y,
        }
    }
    /// How many pixels the two boxes share.
    pub fn shared_area(&self, other: &BBox) -> u32 {
        let w = self
            .right()
            .min(other.right())
            .saturating_sub(self.x.max(other.x));
        let h = self
            .bottom()
            .min(other.bottom())
            .saturating_sub(self.y.max(other.y));
        w * h
    }
    /// Whether `other` lies wholly inside this box (edges may touch).
    pub fn contains(&self, other: &BBox) -> bool {
        self.x <= other.x
            && self.y <= other.y
            && self.right() >= other.right()
            && self.bottom() >= other.bottom()
    }
    /// Whether the two boxes share any pixel.
    pub fn overlaps(&self, other: &BBox) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

/// A field's value, typed by what the contract says it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Yen(i64),
    Date(NaiveDate),
    Text(String),
}

impl Value {
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_yen(&self) -> Option<i64> {
        match self {
            Value::Yen(v) => Some(*v),
            _ => None,
        }
    }
    pub fn as_date(&self) -> Option<NaiveDate> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// How far a value read may be relied on: the extractor's verdict, from its cross-checks, beside
/// the engine's raw score (DESIGN.md, "extract"). Thresholds from the config (`review_below`) apply
/// to the raw score alone, and only to a value no check spoke for or against ([`Certainty::Read`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// A check independent of the engine confirmed it.
    Sure(Check),
    /// Independent readings (at other scales, alone, by another engine) all gave it alike.
    Agreed,
    /// Read once; nothing for or against it but the engine's own score.
    Read,
    /// A check speaks against it: a person looks before anything turns on it.
    Doubtful(Doubt),
}

/// What confirmed a value ([`Certainty::Sure`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// It is what the application (or the rest of the submission) says, verbatim.
    Application,
    /// It is what the application says, up to one ordinary glyph in a long title or look-alike
    /// glyphs (「講座名」 read 「請座名」).
    ApplicationLookalike,
    /// The breakdown's lines sum to the total: every one of them, and the total, are confirmed.
    Breakdown,
    /// Its form checks out: a real date printed in full, read without repairing any glyph.
    Form,
    /// Given as data (a digital PDF's text layer, a JSON file), not read from an image.
    Given,
    /// Seen in the image by ink analysis (a seal of its size and colour).
    Ink,
    /// Confirmed or corrected by a person on the review desk (a layer over the reading).
    Person,
}

/// Why a value is doubtful ([`Certainty::Doubtful`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Doubt {
    /// Read only by repairing look-alike glyphs (信和 for 令和, a misread honorific).
    Repaired,
    /// The breakdown does not sum to the total.
    DoesNotSum,
    /// A date years away from the course it is for.
    FarFromCourse,
    /// The course's dates are not in order.
    OutOfOrder,
    /// Ink that may be a seal, or a seal that cannot be seen (no image).
    Unseen,
    /// A photo or a fax: ink analysis cannot be sure there is no seal, nor that a line is a strike.
    Capture,
    /// Read with the application's help only partly (part of a known name).
    Partial,
    /// Not read at all but inferred from other values (the breakdown's sum standing in for a
    /// total that could not be read).
    Inferred,
    /// A second, independent engine read another value in the same place.
    Disputed,
    /// A total no label introduces, that the breakdown does not check independently: a one-line
    /// breakdown (the line's amount found again in another column), or a total's label printed
    /// with its amount unread.
    Unlabelled,
}

impl Certainty {
    /// Whether a value of this certainty may be relied on, given its raw score and the config's
    /// threshold for raw scores.
    pub fn relied_on(self, score: f32, review_below: f32) -> bool {
        match self {
            Certainty::Sure(_) | Certainty::Agreed => true,
            Certainty::Read => score >= review_below,
            Certainty::Doubtful(_) => false,
        }
    }

    /// The weaker of two verdicts on parts of one value (a doubt wins; then a plain reading).
    pub fn and(self, other: Certainty) -> Certainty {
        let rank = |c: &Certainty| match c {
            Certainty::Doubtful(_) => 0,
            Certainty::Read => 1,
            Certainty::Agreed => 2,
            Certainty::Sure(_) => 3,
        };
        if rank(&other) < rank(&self) {
            other
        } else {
            self
        }
    }
}

fn read_verdict() -> Certainty {
    Certainty::Read
}

fn is_given(c: &Certainty) -> bool {
    *c == Certainty::Sure(Check::Given)
}

fn given() -> Certainty {
    Certainty::Sure(Check::Given)
}

/// One field read from a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub value: Value,
    /// The engine's score for the words it came from, 0.0–1.0 (1.0 for a value given as data). A
    /// hint for the reviewer; the verdict is [`Field::certainty`].
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub confidence: f32,
    /// The extractor's verdict after its cross-checks.
    #[serde(default = "given", skip_serializing_if = "is_given")]
    pub certainty: Certainty,
    /// Where on the page it was read (absent for values from a text layer or JSON).
    #[serde(default, rename = "box", skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    /// 1-based page number within the source file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

fn one() -> f32 {
    1.0
}

fn is_one(v: &f32) -> bool {
    *v >= 1.0
}

impl Field {
    /// A value given as data (JSON, a correction), not read.
    pub fn sure(value: Value) -> Self {
        Field {
            value,
            confidence: 1.0,
            certainty: Certainty::Sure(Check::Given),
            bbox: None,
            page: None,
        }
    }

    /// Whether the value may be relied on under the config's threshold for raw scores.
    pub fn relied_on(&self, review_below: f32) -> bool {
        self.certainty.relied_on(self.confidence, review_below)
    }
}

/// 教育訓練経費 categories (RULES.md §1.2): the first four count, the rest are excluded with their
/// reason, `other` goes to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemCategory {
    /// 入学料
    Admission,
    /// 受講料
    Tuition,
    /// 教科書代・教材費 (required)
    RequiredMaterial,
    /// 消費税 on the counted items
    ConsumptionTax,
    /// 検定試験受験料
    ExamFee,
    /// 必ずしも必要とされない補助教材費
    OptionalMaterial,
    /// 補講費
    SupplementaryLesson,
    /// 行事参加費
    Event,
    /// 学債等 (refundable)
    RefundableBond,
    /// 交通費
    Transport,
    /// パソコン等の器材
    Equipment,
    /// 分割払い手数料（金利）
    CreditInterest,
    /// 未納
    Unpaid,
    /// 補助・返還 (deducted)
    Subsidy,
    /// Not recognised: a person decides.
    Other,
}

impl ItemCategory {
    pub const ALL: [ItemCategory; 15] = [
        ItemCategory::Admission,
        ItemCategory::Tuition,
        ItemCategory::RequiredMaterial,
        ItemCategory::ConsumptionTax,
        ItemCategory::ExamFee,
        ItemCategory::OptionalMaterial,
        ItemCategory::SupplementaryLesson,
        ItemCategory::Event,
        ItemCategory::RefundableBond,
        ItemCategory::Transport,
        ItemCategory::Equipment,
        ItemCategory::CreditInterest,
        ItemCategory::Unpaid,
        ItemCategory::Subsidy,
        ItemCategory::Other,
    ];

    /// The identifier used in JSON and in the lexicon file.
    pub fn id(self) -> &'static str {
        match self {
            ItemCategory::Admission => "admission",
            ItemCategory::Tuition => "tuition",
            ItemCategory::RequiredMaterial => "required_material",
            ItemCategory::ConsumptionTax => "consumption_tax",
            ItemCategory::ExamFee => "exam_fee",
            ItemCategory::OptionalMaterial => "optional_material",
            ItemCategory::SupplementaryLesson => "supplementary_lesson",
            ItemCategory::Event => "event",
            ItemCategory::RefundableBond => "refundable_bond",
            ItemCategory::Transport => "transport",
            ItemCategory::Equipment => "equipment",
            ItemCategory::CreditInterest => "credit_interest",
            ItemCategory::Unpaid => "unpaid",
            ItemCategory::Subsidy => "subsidy",
            ItemCategory::Other => "other",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// One line of a receipt's breakdown (領収額の内訳).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub label: String,
    pub amount: i64,
    pub category: ItemCategory,
    /// The engine's score for the line, 0.0–1.0 (see [`Field::confidence`]).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub confidence: f32,
    /// The extractor's verdict on the line's amount (the breakdown sums, or not).
    #[serde(default = "read_verdict")]
    pub certainty: Certainty,
    #[serde(default, rename = "box", skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
}

impl Item {
    /// Whether the line may be relied on under the config's threshold for raw scores.
    pub fn relied_on(&self, review_below: f32) -> bool {
        self.certainty.relied_on(self.confidence, review_below)
    }
}

/// A content problem found while reading (not an error: the document is still a document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// A stable identifier, e.g. `items_do_not_sum`, `heisei_after_2019`.
    pub code: String,
    /// A sentence in Japanese for the reviewer.
    pub message: String,
}

impl Finding {
    /// That `field` is printed on the document but could not be read: a person reads it on the
    /// scan, rather than the applicant being asked to bring it.
    pub fn unread(field: &str, message: &str) -> Finding {
        Finding {
            code: format!("unread:{field}"),
            message: message.to_string(),
        }
    }
}

/// A document found in a file: the unit `extract` produces and `case` assembles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The file name as it was in the inbox.
    pub source: String,
    /// 1-based pages of the file that make up this document.
    pub pages: Vec<u32>,
    pub kind: DocKind,
    pub fields: BTreeMap<String, Field>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

impl Document {
    /// A file that could not be read (it is in quarantine for `reason`): of unknown kind, no
    /// fields.
    pub fn unreadable(source: &str, reason: &str) -> Document {
        Document {
            source: source.to_string(),
            pages: Vec::new(),
            kind: DocKind::Unknown,
            fields: BTreeMap::new(),
            items: Vec::new(),
            findings: vec![Finding {
                code: "unreadable".to_string(),
                message: reason.to_string(),
            }],
        }
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.get(name)
    }
    pub fn text(&self, name: &str) -> Option<&str> {
        self.field(name).and_then(|f| f.value.as_text())
    }
    pub fn yen(&self, name: &str) -> Option<i64> {
        self.field(name).and_then(|f| f.value.as_yen())
    }
    pub fn date(&self, name: &str) -> Option<NaiveDate> {
        self.field(name).and_then(|f| f.value.as_date())
    }
    /// Whether `name` was seen printed but not read ([`Finding::unread`]).
    pub fn is_unread(&self, name: &str) -> bool {
        let code = format!("unread:{name}");
        self.findings.iter().any(|f| f.code == code)
    }
    pub fn flag(&self, name: &str) -> Option<bool> {
        self.field(name).and_then(|f| f.value.as_bool())
    }
}

/// Field names of a receipt (DESIGN.md contract).
pub mod receipt_fields {
    pub const PAYER_NAME: &str = "payer_name";
    pub const ISSUER_NAME: &str = "issuer_name";
    pub const COURSE_NAME: &str = "course_name";
    pub const ISSUED_ON: &str = "issued_on";
    pub const AMOUNT_TOTAL: &str = "amount_total";
    pub const SEAL_PRESENT: &str = "seal_present";
    pub const HAS_UNSEALED_CORRECTION: &str = "has_unsealed_correction";
    /// The breakdown (`Document::items`), where a list of fields names it.
    pub const ITEMS: &str = "items";
    /// What a receipt must carry as text or figures (seed 003 第1-5-(3)-ア〜エ, (4)-ア, イ): extract
    /// says which of them it did not find surely absent, the rules which are missing.
    pub const CARRIED: [&str; 6] = [
        ISSUER_NAME,
        PAYER_NAME,
        AMOUNT_TOTAL,
        ISSUED_ON,
        COURSE_NAME,
        ITEMS,
    ];
}

/// Field names of a 教育訓練修了証明書 (DESIGN.md contract).
pub mod certificate_fields {
    pub const TRAINEE_NAME: &str = "trainee_name";
    pub const BIRTH_DATE: &str = "birth_date";
    pub const COURSE_NAME: &str = "course_name";
    pub const STARTED_ON: &str = "started_on";
    pub const COMPLETED_ON: &str = "completed_on";
    pub const ISSUER_NAME: &str = "issuer_name";
    pub const SEAL_PRESENT: &str = "seal_present";
    pub const HAS_UNSEALED_CORRECTION: &str = "has_unsealed_correction";
    /// What a certificate must carry as text or dates (seed 003 第1-4, 第1-5-(1)).
    pub const CARRIED: [&str; 5] = [
        TRAINEE_NAME,
        COURSE_NAME,
        ISSUER_NAME,
        STARTED_ON,
        COMPLETED_ON,
    ];
}

/// Whether a receipt's breakdown adds up to its total as receipts state it (checked by extract when
/// reading and by rules when deciding): a subsidy or refund taken off (a receipt for what the
/// applicant paid) or listed beside a total before it (a receipt listing an employer's share); an unpaid balance (未納) outside what was received
/// or inside it; a credit contract's 分割払手数料 outside the contract amount or inside it.
pub fn breakdown_sums_to(items: &[Item], total: i64) -> bool {
    let part = |wanted: &[ItemCategory]| -> i64 {
        items
            .iter()
            .filter(|i| wanted.contains(&i.category))
            .fold(0i64, |s, i| s.saturating_add(i.amount.saturating_abs()))
    };
    let subsidy = part(&[ItemCategory::Subsidy]);
    let unpaid = part(&[ItemCategory::Unpaid]);
    let interest = part(&[ItemCategory::CreditInterest]);
    let rest = items
        .iter()
        .filter(|i| {
            !matches!(
                i.category,
                ItemCategory::Subsidy | ItemCategory::Unpaid | ItemCategory::CreditInterest
            )
        })
        .fold(0i64, |s, i| s.saturating_add(i.amount));
    [-subsidy, 0].into_iter().any(|s| {
        [0, unpaid].into_iter().any(|u| {
            [0, interest]
                .into_iter()
                .any(|c| rest.saturating_add(s).saturating_add(u).saturating_add(c) == total)
        })
    })
}

/// An amount as receipts and notices print it: half-width digits grouped by three with commas
/// (「1,090,000」, 「-59,400」). The one place amounts are written so; extract, rules and render
/// call it.
pub fn grouped_yen(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod breakdown_tests {
    use super::*;

    fn item(amount: i64, category: ItemCategory) -> Item {
        Item {
            label: String::new(),
            amount,
            category,
            confidence: 0.97,
            certainty: Certainty::Read,
            bbox: None,
        }
    }

    #[test]
    fn a_breakdown_sums_as_receipts_state_it() {
        use ItemCategory::*;
        let paid = [item(15_000, Admission), item(68_000, Tuition)];
        assert!(breakdown_sums_to(&paid, 83_000));
        assert!(!breakdown_sums_to(&paid, 83_001));
        // The employer's share taken off; the unpaid second half not received.
        let net = [
            item(15_000, Admission),
            item(68_000, Tuition),
            item(33_000, Unpaid),
            item(12_400, Subsidy),
        ];
        assert!(breakdown_sums_to(&net, 70_600));
        assert!(breakdown_sums_to(&net, 83_000), "before the subsidy");
        assert!(!breakdown_sums_to(&net, 95_400), "a subsidy is never added");
        assert!(!breakdown_sums_to(&net, 90_000));
        // A credit contract: the fees, with or without the instalment charge.
        let credit = [
            item(11_000, Admission),
            item(98_000, Tuition),
            item(3_270, CreditInterest),
        ];
        assert!(breakdown_sums_to(&credit, 109_000));
        assert!(breakdown_sums_to(&credit, 112_270));
        assert!(!breakdown_sums_to(&credit, 105_730));
    }
}
