//! Every reason code the rules can give, with the Japanese sentence a notice or review screen
//! prints and the rule it cites — in one table, so wording and citations are reviewed in one place.
//!
//! Codes are stable identifiers (RULES.md "Reason codes"; never rename one). Each code also has a
//! [`Class`] that places it in the precedence of RULES.md §1.5. The excluded-cost sentences of
//! RULES.md §1.2 live here too ([`exclusion`]). This module decides nothing; `rules::*` call it.

use crate::decision::{Benefit, Reason};
use crate::document::{DocKind, ItemCategory};

use super::common::yen;

/// Where a reason stands in RULES.md §1.5's precedence (first wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// (1) Not entitled (E1–E4): `deny`, whatever else is wrong.
    Ineligible,
    /// (2) A required document or fact is missing or defective: `incomplete` (補正依頼).
    Incomplete,
    /// A person must look (a guess would change the result): `needs_review`.
    Review,
    /// (3) The amount rule refuses (not above the lower limit, no payable month): `deny`.
    AmountDeny,
    /// (4) Late application (E6): `needs_review` carrying the amount.
    Late,
}

/// A reason found while deciding. [`ReasonCode::reason`] turns it into the decision's [`Reason`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReasonCode {
    // ── the application ──
    /// A required fact is absent or unreadable (`path` is the dotted JSON path).
    ApplicationFieldMissing(String),
    // ── eligibility (RULES.md §1.1) ──
    ChildNotUnder20,
    NoIndependenceProgram,
    IncomeOverLimit,
    /// 1 person, 1 time (seed 003 第1-2-(2) for §1; RULES.md §2 for the stipend).
    PriorReceipt(Benefit),
    NotDesignatedBeforeStart,
    /// E5 before 2016-04-01: entitled to 雇用保険's benefit, when that excluded a person.
    EmploymentInsuranceEntitled,
    /// Applied after the deadline of `days` days counted from the completion date.
    LateApplication {
        days: i64,
        benefit: Benefit,
    },
    AppliedBeforeCompletion,
    // ── documents (RULES.md §1.4) ──
    MissingReceipt,
    MissingCertificate,
    /// A receipt lacks a field of seed 003 第1-5-(3)/(4) (`items` = the breakdown).
    ReceiptFieldMissing(&'static str),
    ReceiptNoSeal,
    /// A correction without 訂正印 on a receipt or certificate.
    UnsealedCorrection(DocKind),
    PayerNotApplicant,
    ReceiptAfterApplication,
    /// The breakdown adds up to neither the receipt's total nor the total net of subsidies.
    ReceiptTotalMismatch,
    /// Two receipts with the same date, total and breakdown: perhaps one receipt scanned twice.
    PossibleDuplicateReceipt,
    CertificateFieldMissing(&'static str),
    /// 修了日 before 受講開始日 on the certificate.
    CertificateDatesInvalid,
    TraineeNotApplicant,
    BirthDateMismatch,
    /// The certificate's dates differ from the application's.
    CourseDatesMismatch,
    CourseMismatch,
    /// A value the extractor is not sure of (`field`, or `items`), on `file`.
    LowConfidence {
        kind: DocKind,
        file: String,
        field: String,
    },
    /// An `other` breakdown line: a person classifies it.
    UnclassifiedItem {
        label: String,
        amount_yen: i64,
    },
    // ── parameters and amount (RULES.md §1.3) ──
    /// No dated parameter covers the date (`what` names it in Japanese).
    ParametersNotCovered {
        what: &'static str,
        date: String,
    },
    /// An unconfirmed parameter the result depends on.
    ParameterUnconfirmed(&'static str),
    AmountNotAboveLowerLimit {
        amount_yen: i64,
        lower_limit_yen: i64,
    },
    // ── §2 and §3 ──
    /// Not (yet) a single parent on the date that counts.
    NotSingleParent,
    /// Receives a benefit with the same purpose (職業訓練受講給付金 etc.).
    SamePurposeBenefit,
    /// The course is shorter than the minimum (`months`).
    CourseTooShort {
        months: i64,
    },
    /// The 講習会 was applied for after the 7-year period (seed 000 5-(1)-イ-(イ)-b-(b)-i).
    OverSevenYears,
    /// Income tax above the limit set by the 職業安定局長 (seed 000 …-(b)-ii).
    IncomeTaxOverLimit,
    /// The schedule has no month that can be paid.
    NoPayableMonth,
    /// The same day is claimed twice (`date`).
    DuplicateDay(String),
}

/// The citation for the application contract and for a request to correct it.
const APPLICATION_CITE: &str = "DESIGN.md「A submission folder」; 行政手続法7条";
const CFA: &str = "https://www.cfa.go.jp/policies/hitori-oya/jiritsu-shien-kyuufukin/";

impl ReasonCode {
    pub fn class(&self) -> Class {
        use ReasonCode::*;
        match self {
            ChildNotUnder20
            | NoIndependenceProgram
            | IncomeOverLimit
            | PriorReceipt(_)
            | NotDesignatedBeforeStart
            | NotSingleParent
            | SamePurposeBenefit
            | CourseTooShort { .. }
            | OverSevenYears
            | IncomeTaxOverLimit => Class::Ineligible,
            ApplicationFieldMissing(_)
            | MissingReceipt
            | MissingCertificate
            | ReceiptFieldMissing(_)
            | ReceiptNoSeal
            | UnsealedCorrection(_)
            | PayerNotApplicant
            | ReceiptAfterApplication
            | CertificateFieldMissing(_)
            | CertificateDatesInvalid
            | TraineeNotApplicant => Class::Incomplete,
            EmploymentInsuranceEntitled
            | AppliedBeforeCompletion
            | ReceiptTotalMismatch
            | PossibleDuplicateReceipt
            | BirthDateMismatch
            | CourseDatesMismatch
            | CourseMismatch
            | LowConfidence { .. }
            | UnclassifiedItem { .. }
            | ParametersNotCovered { .. }
            | ParameterUnconfirmed(_)
            | DuplicateDay(_) => Class::Review,
            AmountNotAboveLowerLimit { .. } | NoPayableMonth => Class::AmountDeny,
            LateApplication { .. } => Class::Late,
        }
    }

    /// The stable code (RULES.md "Reason codes").
    pub fn code(&self) -> String {
        use ReasonCode::*;
        match self {
            ApplicationFieldMissing(path) => format!("application_field_missing:{path}"),
            ChildNotUnder20 => "child_not_under_20".into(),
            NoIndependenceProgram => "no_independence_program".into(),
            IncomeOverLimit => "income_over_limit".into(),
            PriorReceipt(_) => "prior_receipt".into(),
            NotDesignatedBeforeStart => "not_designated_before_start".into(),
            EmploymentInsuranceEntitled => "employment_insurance_entitled".into(),
            LateApplication { .. } => "late_application".into(),
            AppliedBeforeCompletion => "applied_before_completion".into(),
            MissingReceipt => "missing_receipt".into(),
            MissingCertificate => "missing_certificate".into(),
            ReceiptFieldMissing(field) => format!("receipt_field_missing:{field}"),
            ReceiptNoSeal => "receipt_no_seal".into(),
            UnsealedCorrection(_) => "unsealed_correction".into(),
            PayerNotApplicant => "payer_not_applicant".into(),
            ReceiptAfterApplication => "receipt_after_application".into(),
            ReceiptTotalMismatch => "receipt_total_mismatch".into(),
            PossibleDuplicateReceipt => "possible_duplicate_receipt".into(),
            CertificateFieldMissing(field) => format!("certificate_field_missing:{field}"),
            CertificateDatesInvalid => "certificate_dates_invalid".into(),
            TraineeNotApplicant => "trainee_not_applicant".into(),
            BirthDateMismatch => "birth_date_mismatch".into(),
            CourseDatesMismatch => "course_dates_mismatch".into(),
            CourseMismatch => "course_mismatch".into(),
            LowConfidence { field, .. } => format!("low_confidence:{field}"),
            UnclassifiedItem { .. } => "unclassified_item".into(),
            ParametersNotCovered { .. } => "parameters_not_covered".into(),
            ParameterUnconfirmed(name) => format!("parameter_unconfirmed:{name}"),
            AmountNotAboveLowerLimit { .. } => "amount_not_above_lower_limit".into(),
            NotSingleParent => "not_single_parent".into(),
            SamePurposeBenefit => "same_purpose_benefit".into(),
            CourseTooShort { .. } => "course_too_short".into(),
            OverSevenYears => "over_seven_years".into(),
            IncomeTaxOverLimit => "income_tax_over_limit".into(),
            NoPayableMonth => "no_payable_month".into(),
            DuplicateDay(_) => "duplicate_day".into(),
        }
    }

    /// The Japanese sentence (notice register) and the citation.
    fn text(&self) -> (String, String) {
        use ReasonCode::*;
        let s = |m: &str, c: &str| (m.to_string(), c.to_string());
        match self {
            ApplicationFieldMissing(path) => (
                format!(
                    "申請書の「{}」の記載がないか、読み取れません。記載のうえ提出してください。",
                    application_field_ja(path)
                ),
                APPLICATION_CITE.into(),
            ),
            ChildNotUnder20 => s(
                "申請日において20歳未満の児童を扶養していることが確認できないため、支給の対象となりません。",
                &format!("母子及び父子並びに寡婦福祉法31条; {CFA}"),
            ),
            NoIndependenceProgram => s(
                "申請日までに自立支援プログラムの策定等を受けていないため、支給の対象となりません。",
                "母子及び父子並びに寡婦福祉法施行令27条（令和6年政令第269号）",
            ),
            IncomeOverLimit => s(
                "児童扶養手当を受給しておらず、同様の所得水準にあることも確認できないため、支給の対象となりません。",
                "母子及び父子並びに寡婦福祉法施行令27条（令和6年政令第269号による改正前）",
            ),
            PriorReceipt(benefit) => (
                format!(
                    "過去に{}を受給されているため、原則として支給の対象となりません。",
                    prior_receipt_name(*benefit)
                ),
                match benefit {
                    Benefit::KyoikuKunren => "seed 003 第1-2-(2)",
                    _ => "RULES.md §2（1人1回）",
                }
                .into(),
            ),
            NotDesignatedBeforeStart => s(
                "受講開始前に講座の指定を受けていないため、支給の対象となりません。",
                &format!("{CFA}（受講前に都道府県等から講座の指定を受ける必要）"),
            ),
            EmploymentInsuranceEntitled => s(
                "雇用保険の教育訓練給付の受給資格があります。申請時点の制度で対象となるか、担当者が確認します。",
                "seed 003 第1-2-(1); RULES.md §1.1 E5",
            ),
            LateApplication { days, benefit } => (
                format!(
                    "修了日から{days}日以内（修了日を1日目とします）に申請されていません。担当者が事情を確認します。"
                ),
                match benefit {
                    Benefit::KyoikuKunren => "RULES.md §1.1 E6（例: 飯塚市）",
                    _ => "RULES.md §2（修了日から起算して30日以内）",
                }
                .into(),
            ),
            AppliedBeforeCompletion => s(
                "申請日が修了日より前になっています。担当者が日付を確認します。",
                "RULES.md §1.1 E6, §2（修了後に申請）",
            ),
            MissingReceipt => s(
                "教育訓練経費の領収書（またはクレジット契約証明書）が提出されていません。提出してください。",
                "seed 003 第1-5-(2)",
            ),
            MissingCertificate => s(
                "教育訓練修了証明書が提出されていません。教育訓練施設の長が発行した修了証明書を提出してください。",
                "seed 003 第1-5-(1)",
            ),
            ReceiptFieldMissing(field) => {
                let (what, cite) = receipt_field_ja(field);
                (
                    format!(
                        "領収書に「{what}」の記載がありません。記載のある領収書を教育訓練施設から受け取り、提出してください。"
                    ),
                    cite.into(),
                )
            }
            ReceiptNoSeal => s(
                "領収書に領収印がありません。教育訓練施設の領収印のある領収書を提出してください。",
                "seed 003 第1-5-(3)-オ",
            ),
            UnsealedCorrection(DocKind::CompletionCertificate) => s(
                "教育訓練修了証明書の訂正箇所に教育訓練施設の長の訂正印がないため、無効です。訂正印のある証明書を提出してください。",
                "seed 003 第1-5-(1)",
            ),
            UnsealedCorrection(_) => s(
                "領収書の訂正箇所に教育訓練施設の訂正印がないため、無効です。訂正印のある領収書を提出してください。",
                "seed 003 第1-5-(5)",
            ),
            PayerNotApplicant => s(
                "領収書の支払者の氏名が申請者と一致しません。申請者ご本人が支払ったことがわかる領収書を提出してください（氏名が変わった場合は、その旨がわかる書類を添えてください）。",
                "seed 003 第1-3-(1), 第1-5-(2)",
            ),
            ReceiptAfterApplication => s(
                "領収日が申請日より後の領収書があります。申請時点で支払済みの費用のみが対象です。領収書の日付を確認のうえ、提出し直してください。",
                "seed 003 第1-3-(6); RULES.md §1.4",
            ),
            ReceiptTotalMismatch => s(
                "領収書の内訳の合計が領収額と一致しません。担当者が原本で確認します。",
                "seed 003 第1-5-(4)-イ",
            ),
            PossibleDuplicateReceipt => s(
                "同じ日付・同じ金額・同じ内訳の領収書が複数あります。同じ領収書が重複していないか、担当者が確認します。",
                "seed 003 第1-3-(4)",
            ),
            CertificateFieldMissing(field) => (
                format!(
                    "教育訓練修了証明書に「{}」の記載がありません。記載のある証明書を提出してください。",
                    certificate_field_ja(field)
                ),
                "seed 003 第1-4, 第1-5-(1)".into(),
            ),
            CertificateDatesInvalid => s(
                "教育訓練修了証明書の修了日が受講開始日より前になっています。教育訓練施設に確認のうえ、正しい証明書を提出してください。",
                "seed 003 第1-4",
            ),
            TraineeNotApplicant => s(
                "教育訓練修了証明書の受講者氏名が申請者と一致しません。申請者ご本人の修了証明書を提出してください。",
                "seed 003 第1-5-(1)",
            ),
            BirthDateMismatch => s(
                "教育訓練修了証明書の生年月日が申請書と一致しません。担当者が確認します。",
                "RULES.md §1.4",
            ),
            CourseDatesMismatch => s(
                "教育訓練修了証明書の受講開始日または修了日が申請書と一致しません。担当者が確認します。",
                "seed 003 第1-4",
            ),
            CourseMismatch => s(
                "申請書・領収書・修了証明書の講座名が一致しません。担当者が確認します。",
                "seed 003 第1-5-(4)-ア; RULES.md §1.4",
            ),
            LowConfidence {
                kind: DocKind::Unknown,
                file,
                ..
            } => (
                format!(
                    "提出された書類（{file}）が何の書類か読み取れませんでした。領収書や修了証明書であれば支給額が変わるため、担当者が原本で確認します。"
                ),
                "RULES.md §1.5".into(),
            ),
            LowConfidence { kind, file, field } => (
                format!(
                    "{}（{file}）の「{}」を確実に読み取れませんでした。担当者が原本で確認します。",
                    kind.label_ja(),
                    document_field_ja(*kind, field)
                ),
                "RULES.md §1.5".into(),
            ),
            UnclassifiedItem { label, amount_yen } => (
                format!(
                    "領収書の内訳「{label}」（{}円）が対象経費に当たるか判断できません。担当者が確認します。",
                    yen(*amount_yen)
                ),
                "seed 003 第1-3-(1), (2)".into(),
            ),
            ParametersNotCovered { what, date } => (
                format!("{date}時点の{what}が確認できていないため、担当者が算定します。"),
                "RULES.md（dated parameters: a date no parameter covers is refused）".into(),
            ),
            ParameterUnconfirmed(name) => (
                format!(
                    "適用した{}は確認中の値であり、結果に影響するため、担当者が確認します。",
                    parameter_ja(name)
                ),
                "RULES.md（unconfirmed parameters）".into(),
            ),
            AmountNotAboveLowerLimit {
                amount_yen,
                lower_limit_yen,
            } => (
                format!(
                    "算定した支給額（{}円）が下限額（{}円）を超えないため、支給できません。",
                    yen(*amount_yen),
                    yen(*lower_limit_yen)
                ),
                format!("{CFA}（下限は1万2千1円）"),
            ),
            NotSingleParent => s(
                "配偶者のない方（ひとり親）となった日より前の申請であるため、支給の対象となりません。",
                "RULES.md §2, §3; seed 000 5-(1)-イ-(イ)-b-(b)-i",
            ),
            SamePurposeBenefit => s(
                "同じ目的の給付（職業訓練受講給付金等）を受けているため、支給の対象となりません。",
                "RULES.md §2",
            ),
            CourseTooShort { months } => (
                format!("修業期間が{months}か月未満であるため、支給の対象となりません。"),
                "RULES.md §2（修業期間6か月以上）".into(),
            ),
            OverSevenYears => s(
                "配偶者のない方となった日の翌日から起算して7年（やむを得ない理由で申込みができなかった日数を加えます）を過ぎてから講習会に申し込まれているため、受講旅費の対象となりません。",
                "seed 000 5-(1)-イ-(イ)-b-(b)-i; 民法143条",
            ),
            IncomeTaxOverLimit => s(
                "前年分の所得税額が定められた額を超えているため、受講旅費の対象となりません。",
                "seed 000 5-(1)-イ-(イ)-b-(b)-ii",
            ),
            NoPayableMonth => s(
                "申請月から修業期間の終わりまでに、支給できる月がありません。",
                "RULES.md §2",
            ),
            DuplicateDay(date) => (
                format!("{date}の受講日が重複して申請されています。担当者が確認します。"),
                "seed 000 5-(1)-イ-(イ)-b-(c)".into(),
            ),
        }
    }

    pub fn reason(&self) -> Reason {
        let (message, cites) = self.text();
        Reason {
            code: self.code(),
            message,
            cites,
        }
    }
}

/// Why a breakdown line is left out of 教育訓練経費, and the rule (RULES.md §1.2). `None` for the
/// counted categories, `subsidy` (deducted) and `other` (a person decides).
pub fn exclusion(category: ItemCategory) -> Option<(&'static str, &'static str)> {
    use ItemCategory::*;
    match category {
        ExamFee => Some((
            "検定試験の受講料・受験料は対象外です。",
            "seed 003 第1-3-(2)-ア",
        )),
        OptionalMaterial => Some((
            "受講に必ずしも必要とされない補助教材費は対象外です。",
            "seed 003 第1-3-(2)-イ",
        )),
        SupplementaryLesson => Some(("補講費は対象外です。", "seed 003 第1-3-(2)-ウ")),
        Event => Some((
            "教育訓練施設が実施する行事への参加費用は対象外です。",
            "seed 003 第1-3-(2)-エ",
        )),
        RefundableBond => Some((
            "学債など、将来現金で還付される予定の費用は対象外です。",
            "seed 003 第1-3-(2)-オ",
        )),
        Transport => Some(("受講のための交通費は対象外です。", "seed 003 第1-3-(2)-カ")),
        Equipment => Some((
            "パソコン、ワープロ等の器材の費用は対象外です。",
            "seed 003 第1-3-(2)-カ",
        )),
        CreditInterest => Some((
            "クレジット会社に対する分割払い手数料（金利）は対象外です。",
            "seed 003 第1-3-(5)",
        )),
        Unpaid => Some((
            "申請時点で未納の入学料・受講料は対象外です。",
            "seed 003 第1-3-(6)",
        )),
        Admission | Tuition | RequiredMaterial | ConsumptionTax | Subsidy | Other => None,
    }
}

/// Why a month of a 高等職業訓練促進給付金 schedule is not paid (RULES.md §2, schedule-line codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScheduleCode {
    /// Before the month of application: paid from the month of application.
    BeforeApplication,
    /// After the month in which the youngest child reaches 20.
    ChildTurned20,
    /// 休学 or 留年.
    LeaveOfAbsence,
    /// Not a single day of attendance, and not a scheduled break.
    NoAttendance,
    /// Beyond the maximum number of paid months.
    Over48Months,
}

impl ScheduleCode {
    pub const ALL: [ScheduleCode; 5] = [
        ScheduleCode::BeforeApplication,
        ScheduleCode::ChildTurned20,
        ScheduleCode::LeaveOfAbsence,
        ScheduleCode::NoAttendance,
        ScheduleCode::Over48Months,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ScheduleCode::BeforeApplication => "before_application",
            ScheduleCode::ChildTurned20 => "child_turned_20",
            ScheduleCode::LeaveOfAbsence => "leave_of_absence",
            ScheduleCode::NoAttendance => "no_attendance",
            ScheduleCode::Over48Months => "over_48_months",
        }
    }

    pub fn from_id(id: &str) -> Option<ScheduleCode> {
        Self::ALL.into_iter().find(|c| c.id() == id)
    }

    /// The sentence a month's 不支給 notice prints, and its rule.
    pub fn text(self) -> (&'static str, &'static str) {
        match self {
            ScheduleCode::BeforeApplication => (
                "申請月より前の月は支給の対象となりません。",
                "RULES.md §2（申請月から支給）",
            ),
            ScheduleCode::ChildTurned20 => (
                "末子が20歳に達した月の翌月以降は支給の対象となりません。",
                "RULES.md §2; 年齢計算ニ関スル法律",
            ),
            ScheduleCode::LeaveOfAbsence => (
                "休学・留年中の月は支給の対象となりません。",
                "RULES.md §2",
            ),
            ScheduleCode::NoAttendance => (
                "月の初日から末日まで1日も出席しなかった月（夏期休暇等カリキュラム上の休みを除く）は支給の対象となりません。",
                "RULES.md §2（岩美町要領; 東広島市 2024-10）; seed 003 第2-1",
            ),
            ScheduleCode::Over48Months => (
                "支給期間の上限（48か月）を超える月は支給の対象となりません。",
                "RULES.md §2",
            ),
        }
    }
}

/// Japanese names of application fields, by dotted path (for 補正依頼 sentences).
fn application_field_ja(path: &str) -> &str {
    match path {
        "benefit" => "申請する給付金の種類",
        "applied_on" => "申請日",
        "applicant.name" => "申請者氏名",
        "children" => "扶養している児童",
        "children.birth_date" => "児童の生年月日",
        "single_parent_since" => "ひとり親となった日",
        "independence_program_on" => "自立支援プログラムの策定日",
        "child_support_allowance" => "児童扶養手当の受給状況",
        "resident_tax" => "住民税の課税状況",
        "prior_receipt" => "過去の受給の有無",
        "employment_insurance" => "雇用保険の教育訓練給付の受給資格の有無",
        "employment_insurance.benefit_yen" => "雇用保険の教育訓練給付の受給額",
        "course" => "受講講座",
        "course.name" => "講座名",
        "course.institution" => "教育訓練施設名",
        "course.kind" => "講座の種類",
        "course.designated_on" => "講座指定日",
        "course.started_on" => "受講開始日",
        "course.completed_on" => "修了日",
        "course.years" => "修学年数",
        "course.ends_on" => "修了予定日",
        "qualification" => "取得を目指す資格",
        "course_applied_on" => "講習会の申込日",
        "prior_year_income_tax_yen" => "前年の所得税額",
        "days" => "受講日",
        "days.fare_yen" => "受講日の往復運賃",
        "days.walking_km" => "住居から講習会場までの徒歩での距離",
        "attendance" => "出席状況",
        "same_purpose_benefit" => "同じ目的の給付の受給の有無",
        "extension_days" => "やむを得ない理由で申込みができなかった日数",
        other => other,
    }
}

/// Japanese names of receipt fields and the line of seed 003 that requires them.
fn receipt_field_ja(field: &str) -> (&'static str, &'static str) {
    match field {
        "issuer_name" => ("教育訓練施設の名称", "seed 003 第1-5-(3)-ア"),
        "payer_name" => ("受講者（支払者）氏名", "seed 003 第1-5-(3)-イ"),
        "amount_total" => ("領収額", "seed 003 第1-5-(3)-ウ"),
        "issued_on" => ("領収日", "seed 003 第1-5-(3)-エ"),
        "seal_present" => ("領収印", "seed 003 第1-5-(3)-オ"),
        "course_name" => ("教育訓練講座名", "seed 003 第1-5-(4)-ア"),
        "items" => (
            "領収額の内訳（入学料と受講料のそれぞれの額）",
            "seed 003 第1-5-(4)-イ",
        ),
        _ => ("記載事項", "seed 003 第1-5-(3), (4)"),
    }
}

fn certificate_field_ja(field: &str) -> &'static str {
    match field {
        "trainee_name" => "受講者氏名",
        "birth_date" => "生年月日",
        "course_name" => "教育訓練講座名",
        "started_on" => "受講開始日",
        "completed_on" => "修了日",
        "issuer_name" => "教育訓練施設の名称",
        "seal_present" => "印",
        "has_unsealed_correction" => "訂正箇所",
        _ => "記載事項",
    }
}

fn document_field_ja(kind: DocKind, field: &str) -> &'static str {
    match (kind, field) {
        (DocKind::Receipt, "has_unsealed_correction") => "訂正箇所",
        (DocKind::Receipt, f) => receipt_field_ja(f).0,
        (_, f) => certificate_field_ja(f),
    }
}

fn prior_receipt_name(benefit: Benefit) -> &'static str {
    match benefit {
        // The stipend and its completion payment are one programme: 1 person, 1 time.
        Benefit::Kotoshokugyo | Benefit::KotoshokugyoShuryo => "高等職業訓練促進給付金",
        other => other.name_ja(),
    }
}

fn parameter_ja(name: &str) -> &str {
    match name {
        "rate" => "支給率",
        "cap_yen" => "上限額",
        "lower_limit_yen" => "下限額",
        "application_deadline_days" => "申請期限",
        "employment_insurance_rule" => "雇用保険の教育訓練給付との調整の取扱い",
        "income_tax_limit_yen" => "所得税額の上限（職業安定局長が定める額）",
        "monthly_exempt_yen" | "monthly_taxed_yen" => "訓練促進給付金の月額",
        "final_year_addition_yen" => "最終12か月の加算額",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_japanese_and_cites_a_source() {
        let samples = [
            ReasonCode::ApplicationFieldMissing("course.started_on".into()),
            ReasonCode::ChildNotUnder20,
            ReasonCode::ReceiptFieldMissing("items"),
            ReasonCode::UnsealedCorrection(DocKind::Receipt),
            ReasonCode::LowConfidence {
                kind: DocKind::Receipt,
                file: "scan01.jpg".into(),
                field: "payer_name".into(),
            },
            ReasonCode::LowConfidence {
                kind: DocKind::Unknown,
                file: "scan02.png".into(),
                field: "kind".into(),
            },
            ReasonCode::AmountNotAboveLowerLimit {
                amount_yen: 12_000,
                lower_limit_yen: 12_000,
            },
        ];
        for code in samples {
            let r = code.reason();
            assert!(r.message.ends_with('。'), "{}: {}", r.code, r.message);
            assert!(!r.cites.is_empty(), "{}", r.code);
        }
    }

    #[test]
    fn codes_carry_the_field_they_name() {
        assert_eq!(
            ReasonCode::ApplicationFieldMissing("course.started_on".into()).code(),
            "application_field_missing:course.started_on"
        );
        let r = ReasonCode::ReceiptFieldMissing("payer_name").reason();
        assert_eq!(r.code, "receipt_field_missing:payer_name");
        assert!(r.message.contains("受講者（支払者）氏名"));
        assert_eq!(r.cites, "seed 003 第1-5-(3)-イ");
    }

    #[test]
    fn the_lower_limit_message_prints_amounts_with_commas() {
        let r = ReasonCode::AmountNotAboveLowerLimit {
            amount_yen: 12_000,
            lower_limit_yen: 12_000,
        }
        .reason();
        assert!(r.message.contains("（12,000円）"), "{}", r.message);
    }

    #[test]
    fn every_excluded_category_has_a_reason_and_the_counted_ones_none() {
        for c in ItemCategory::ALL {
            let counted = matches!(
                c,
                ItemCategory::Admission
                    | ItemCategory::Tuition
                    | ItemCategory::RequiredMaterial
                    | ItemCategory::ConsumptionTax
                    | ItemCategory::Subsidy
                    | ItemCategory::Other
            );
            assert_eq!(exclusion(c).is_none(), counted, "{c:?}");
        }
    }
}
