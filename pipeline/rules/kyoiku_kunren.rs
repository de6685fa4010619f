//! 自立支援教育訓練給付金 (training-cost benefit, `benefit = "kyoiku_kunren"`): RULES.md §1.
//!
//! Decides one case from its application and its receipts and completion certificates: eligibility
//! E1–E6 (§1.1), what counts as 教育訓練経費 (§1.2), the amount (§1.3), what each document must
//! carry (§1.4), and the outcome by §1.5's precedence. Every problem found is collected, not just
//! the first. A value the extractor is unsure of is never relied on: it sends the case to review.
//!
//! It does not read files, the clock or floats: the application date and the completion date in
//! the case select the dated parameters. Called by [`super::decide`].

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::case::application::{CourseKind, EmploymentInsurance};
use crate::case::{Case, CaseDocument};
use crate::decision::{Benefit, Decision, Excluded, Line, Outcome};
use crate::document::ItemCategory;
use crate::document::{certificate_fields as cf, receipt_fields as rf, DocKind, Document};

use super::common::{
    check_child_under_20, check_deadline, draft, floor_to_yen, normalize_name, required, same_name,
    yen, Findings,
};
use super::params::{
    AmountFormula, E2Formula, EmploymentInsuranceRule, KyoikuKunrenParameters, Parameters,
    Selected, Used,
};
use super::reasons::{exclusion, Class, ReasonCode};

/// The application facts §1 needs; `None` where the application lacks them (already reported).
struct Facts {
    applied_on: Option<NaiveDate>,
    applicant_name: Option<String>,
    applicant_birth: Option<NaiveDate>,
    course_name: Option<String>,
    kind: Option<CourseKind>,
    years: Option<u32>,
    designated_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
    employment_insurance: Option<EmploymentInsurance>,
}

/// Decides a 自立支援教育訓練給付金 case (RULES.md §1). Pure: same case, same parameters, same decision.
pub fn decide(case: &Case, params: &Parameters) -> Decision {
    let p = &params.kyoiku_kunren;
    let mut found = Findings::default();
    let mut used = Used::default();

    let facts = read_application(case, &mut found);
    check_eligibility(case, &facts, p, &mut found, &mut used);
    let receipts = check_receipts(case, &facts, &mut found);
    check_certificates(case, &facts, &mut found);
    check_unknown_documents(case, &mut found);
    check_course_names(case, &facts, &mut found);
    let costs = classify_items(&receipts, &mut found);
    let computed = compute_amount(&facts, &costs, p, &mut found, &mut used);
    check_timeliness(&facts, p, &mut found, &mut used);

    let outcome = found.outcome();
    let ineligible = found.has(Class::Ineligible);
    let (amount_yen, lines) = match (&computed, outcome) {
        (Some(c), Outcome::Pay | Outcome::NeedsReview) => (c.amount_yen, c.lines.clone()),
        // A refusal for the amount shows the computation that led to it.
        (Some(c), Outcome::Deny) if !ineligible => (0, c.lines.clone()),
        _ => (0, Vec::new()),
    };
    Decision {
        amount_yen,
        lines,
        excluded: if ineligible {
            Vec::new()
        } else {
            costs.excluded
        },
        ..draft(case, Benefit::KyoikuKunren, &found, used, facts.applied_on)
    }
}

/// The required facts of a §1 application (DESIGN.md "Required by benefit — kyoiku_kunren").
fn read_application(case: &Case, found: &mut Findings) -> Facts {
    let app = &case.application;
    let applied_on = required(app, "applied_on", app.applied_on.as_ref(), found);
    let applicant_name = required(app, "applicant.name", app.applicant.name.as_ref(), found);
    let employment_insurance = required(
        app,
        "employment_insurance",
        app.employment_insurance.as_ref(),
        found,
    )
    .and_then(|ei| {
        if ei.benefit_yen < 0 {
            found.push(ReasonCode::ApplicationFieldMissing(
                "employment_insurance.benefit_yen".into(),
            ));
            None
        } else {
            Some(ei)
        }
    });
    let Some(course) = app.course.as_ref() else {
        found.push(ReasonCode::ApplicationFieldMissing("course".into()));
        return Facts {
            applied_on,
            applicant_name,
            applicant_birth: app.applicant.birth_date,
            course_name: None,
            kind: None,
            years: None,
            designated_on: None,
            started_on: None,
            completed_on: None,
            employment_insurance,
        };
    };
    let course_name = required(app, "course.name", course.name.as_ref(), found);
    required(
        app,
        "course.institution",
        course.institution.as_ref(),
        found,
    );
    let kind = required(app, "course.kind", course.kind.as_ref(), found);
    // 修学年数 sets the 専門実践 cap; other courses do not need it.
    let years = match kind {
        Some(CourseKind::SpecializedPractical) => {
            required(app, "course.years", course.years.as_ref(), found).and_then(|y| {
                if y == 0 {
                    found.push(ReasonCode::ApplicationFieldMissing("course.years".into()));
                    None
                } else {
                    Some(y)
                }
            })
        }
        _ => course.years,
    };
    Facts {
        applied_on,
        applicant_name,
        applicant_birth: app.applicant.birth_date,
        course_name,
        kind,
        years,
        designated_on: required(
            app,
            "course.designated_on",
            course.designated_on.as_ref(),
            found,
        ),
        started_on: required(app, "course.started_on", course.started_on.as_ref(), found),
        completed_on: required(
            app,
            "course.completed_on",
            course.completed_on.as_ref(),
            found,
        ),
        employment_insurance,
    }
}

/// RULES.md §1.1 E1–E5, as of the application date.
fn check_eligibility(
    case: &Case,
    facts: &Facts,
    p: &KyoikuKunrenParameters,
    found: &mut Findings,
    used: &mut Used,
) {
    let app = &case.application;

    // E1 — 「ひとり親 (母子家庭の母 or 父子家庭の父) raising a child under 20」
    // (母子及び父子並びに寡婦福祉法 31条).
    match facts.applied_on {
        Some(applied_on) => check_child_under_20(app, applied_on, found),
        None => {
            required(app, "children", app.children.as_ref(), found);
        }
    }

    // E2 — the version in force on the application date (施行令27条, 令和6年政令第269号).
    if let Some(applied_on) = facts.applied_on {
        match p.e2_formula.at("e2_formula", applied_on) {
            None => found.push(ReasonCode::ParametersNotCovered {
                what: "受給要件（所得・自立支援プログラム）",
                date: applied_on.to_string(),
            }),
            Some(e2) => {
                used.note("e2_formula", e2.value.id());
                used.relied_on(&e2);
                match e2.value {
                    E2Formula::IndependenceProgram => {
                        e2_independence_program(case, applied_on, found)
                    }
                    E2Formula::IncomeLevel => e2_income_level(case, found),
                }
            }
        }
    }

    // E3 — 「原則として、過去に訓練給付金を受給したことがある者については支給しない」
    // (seed 003 第1-2-(2)); a reviewer may overturn the refusal.
    if required(app, "prior_receipt", app.prior_receipt.as_ref(), found) == Some(true) {
        found.push(ReasonCode::PriorReceipt(Benefit::KyoikuKunren));
    }

    // E4 — 「受講前に都道府県等から講座の指定を受ける必要」 (cfa.go.jp): designated_on < started_on.
    if let (Some(designated), Some(started)) = (facts.designated_on, facts.started_on) {
        if designated >= started {
            found.push(ReasonCode::NotDesignatedBeforeStart);
        }
    }

    // E5 — 雇用保険の教育訓練給付: in 2003 an entitled person was not eligible (seed 003
    // 第1-2-(1)); today only the difference is paid (subtracted in the amount).
    if let (Some(ei), Some(applied_on)) = (facts.employment_insurance, facts.applied_on) {
        match p
            .employment_insurance_rule
            .at("employment_insurance_rule", applied_on)
        {
            None => found.push(ReasonCode::ParametersNotCovered {
                what: "雇用保険の教育訓練給付との調整の取扱い",
                date: applied_on.to_string(),
            }),
            Some(rule) => {
                used.note("employment_insurance_rule", rule.value.id());
                if ei.entitled && rule.value == EmploymentInsuranceRule::EntitledNotEligible {
                    used.relied_on(&rule);
                    found.push(ReasonCode::EmploymentInsuranceEntitled);
                }
            }
        }
    }
}

/// E2 from 2024-08-30: 「自立支援プログラムの策定等を受けていること」. Absent or null = none; a date
/// after the application date is none as of that date.
fn e2_independence_program(case: &Case, applied_on: NaiveDate, found: &mut Findings) {
    let app = &case.application;
    if app.is_malformed("independence_program_on") {
        found.push(ReasonCode::ApplicationFieldMissing(
            "independence_program_on".into(),
        ));
        return;
    }
    if app.independence_program_on.is_none_or(|d| d > applied_on) {
        found.push(ReasonCode::NoIndependenceProgram);
    }
}

/// E2 before 2024-08-30: 「児童扶養手当の支給を受けている者又は同等の所得水準にある者」.
fn e2_income_level(case: &Case, found: &mut Findings) {
    use crate::case::application::ChildSupportAllowance as Csa;
    let app = &case.application;
    let csa = required(
        app,
        "child_support_allowance",
        app.child_support_allowance.as_ref(),
        found,
    );
    if csa == Some(Csa::None) {
        found.push(ReasonCode::IncomeOverLimit);
    }
}

/// What a field of a document gives the rules: absent, read but not sure, or sure.
enum Read<T> {
    Missing,
    Unsure,
    Sure(T),
}

fn read<T>(d: &CaseDocument, field: &str, get: impl Fn(&Document, &str) -> Option<T>) -> Read<T> {
    if !d.is_sure(field) {
        return Read::Unsure;
    }
    match get(&d.doc, field) {
        Some(v) => Read::Sure(v),
        None => Read::Missing,
    }
}

fn text(doc: &Document, field: &str) -> Option<String> {
    doc.text(field)
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string)
}

fn low_confidence(d: &CaseDocument, field: &str) -> ReasonCode {
    ReasonCode::LowConfidence {
        kind: d.doc.kind,
        file: d.file.clone(),
        field: field.to_string(),
    }
}

/// Reads a field a document must carry: missing → `missing(field)`, unsure or printed but not
/// read ([`Document::is_unread`]) → `low_confidence`.
fn must_carry<T>(
    d: &CaseDocument,
    field: &'static str,
    get: impl Fn(&Document, &str) -> Option<T>,
    missing: fn(&'static str) -> ReasonCode,
    found: &mut Findings,
) -> Option<T> {
    match read(d, field, get) {
        Read::Sure(v) => Some(v),
        Read::Unsure => {
            found.push(low_confidence(d, field));
            None
        }
        // Printed but not made out: a person reads it; the document does not lack it.
        Read::Missing if d.doc.is_unread(field) => {
            found.push(low_confidence(d, field));
            None
        }
        Read::Missing => {
            found.push(missing(field));
            None
        }
    }
}

/// 領収書 (seed 003 第1-5-(2)–(6)): each must show ア 施設の名称, イ 受講者（支払者）氏名, ウ 領収額,
/// エ 領収日, オ 領収印 (第1-5-(3)), and carry ア 講座名 and イ 領収額の内訳 (第1-5-(4)); 「領収書に
/// 訂正のある場合、教育訓練施設の訂正印のないものは無効」 (第1-5-(5)); the payer is the applicant and
/// the receipt is not dated after the application. Returns the receipts whose lines count, each
/// file once.
fn check_receipts<'a>(
    case: &'a Case,
    facts: &Facts,
    found: &mut Findings,
) -> Vec<&'a CaseDocument> {
    let mut receipts: Vec<&CaseDocument> = Vec::new();
    for d in case
        .documents
        .iter()
        .filter(|d| d.doc.kind == DocKind::Receipt)
    {
        // The same file twice is one receipt (its lines must not count twice).
        if receipts.iter().any(|r| r.sha256 == d.sha256) {
            continue;
        }
        receipts.push(d);
    }
    if receipts.is_empty() {
        found.push(ReasonCode::MissingReceipt);
        return receipts;
    }
    let missing = ReasonCode::ReceiptFieldMissing;
    for d in &receipts {
        must_carry(d, rf::ISSUER_NAME, text, missing, found);
        let payer = must_carry(d, rf::PAYER_NAME, text, missing, found);
        let total = must_carry(d, rf::AMOUNT_TOTAL, Document::yen, missing, found);
        let issued = must_carry(d, rf::ISSUED_ON, Document::date, missing, found);
        must_carry(d, rf::COURSE_NAME, text, missing, found);
        match read(d, rf::SEAL_PRESENT, Document::flag) {
            Read::Sure(true) => {}
            Read::Unsure => found.push(low_confidence(d, rf::SEAL_PRESENT)),
            Read::Sure(false) | Read::Missing => found.push(ReasonCode::ReceiptNoSeal),
        }
        check_correction(d, rf::HAS_UNSEALED_CORRECTION, found);

        let items_sure = d.is_sure("items");
        if !items_sure {
            found.push(low_confidence(d, "items"));
        } else if d.doc.items.is_empty() {
            // 第1-5-(4)-イ: a total with no breakdown at all is what is missing (a breakdown
            // without an 入学料 line is complete where none was charged).
            found.push(ReasonCode::ReceiptFieldMissing("items"));
        } else if let Some(total) = total {
            if !crate::document::breakdown_sums_to(&d.doc.items, total) {
                found.push(ReasonCode::ReceiptTotalMismatch);
            }
        }

        if let (Some(payer), Some(applicant)) = (&payer, &facts.applicant_name) {
            if !same_name(payer, applicant) {
                found.push(ReasonCode::PayerNotApplicant);
            }
        }
        if let (Some(issued), Some(applied)) = (issued, facts.applied_on) {
            if issued > applied {
                found.push(ReasonCode::ReceiptAfterApplication);
            }
        }
    }
    check_duplicates(&receipts, found);
    receipts
}

/// A document whose kind could not be read may be a receipt or certificate the amount turns on (a
/// クレジット契約証明書 whose title was misread): a person looks at it (RULES §1.5: unsure of a
/// fact that would change the result → `needs_review`).
fn check_unknown_documents(case: &Case, found: &mut Findings) {
    for d in case
        .documents
        .iter()
        .filter(|d| d.doc.kind == DocKind::Unknown)
    {
        found.push(low_confidence(d, "kind"));
    }
}

/// A correction without 訂正印 makes a receipt or certificate invalid (seed 003 第1-5-(1), (5)).
/// An absent flag means the extractor saw no correction.
fn check_correction(d: &CaseDocument, field: &str, found: &mut Findings) {
    match read(d, field, Document::flag) {
        Read::Sure(true) => found.push(ReasonCode::UnsealedCorrection(d.doc.kind)),
        Read::Unsure => found.push(low_confidence(d, field)),
        Read::Sure(false) | Read::Missing => {}
    }
}

/// Two different files with the same date, total and breakdown are likely one receipt scanned
/// twice; instalments differ at least in their date. A person decides.
fn check_duplicates(receipts: &[&CaseDocument], found: &mut Findings) {
    let key = |d: &CaseDocument| {
        let mut items: Vec<(String, i64, ItemCategory)> = d
            .doc
            .items
            .iter()
            .map(|i| (normalize_name(&i.label), i.amount, i.category))
            .collect();
        items.sort();
        (
            d.doc.date(rf::ISSUED_ON),
            d.doc.yen(rf::AMOUNT_TOTAL),
            items,
        )
    };
    for (i, a) in receipts.iter().enumerate() {
        for b in &receipts[i + 1..] {
            let (ka, kb) = (key(a), key(b));
            if ka.0.is_some() && ka.1.is_some() && ka == kb {
                found.push(ReasonCode::PossibleDuplicateReceipt);
            }
        }
    }
}

/// 教育訓練修了証明書 (seed 003 第1-4, 第1-5-(1)): issued by the head of the institution; 受講開始日
/// and 修了日 as the head certifies them; 「訂正印のないものは無効」. Checks 修了日 ≥ 受講開始日, the
/// trainee is the applicant, and (RULES §1.4) a birth date on both must agree, else review.
fn check_certificates(case: &Case, facts: &Facts, found: &mut Findings) {
    let certificates: Vec<&CaseDocument> = case
        .documents
        .iter()
        .filter(|d| d.doc.kind == DocKind::CompletionCertificate)
        .collect();
    if certificates.is_empty() {
        found.push(ReasonCode::MissingCertificate);
        return;
    }
    let missing = ReasonCode::CertificateFieldMissing;
    for d in certificates {
        let trainee = must_carry(d, cf::TRAINEE_NAME, text, missing, found);
        must_carry(d, cf::COURSE_NAME, text, missing, found);
        must_carry(d, cf::ISSUER_NAME, text, missing, found);
        let started = must_carry(d, cf::STARTED_ON, Document::date, missing, found);
        let completed = must_carry(d, cf::COMPLETED_ON, Document::date, missing, found);
        check_correction(d, cf::HAS_UNSEALED_CORRECTION, found);

        if let (Some(s), Some(c)) = (started, completed) {
            if c < s {
                found.push(ReasonCode::CertificateDatesInvalid);
            }
        }
        let differs = |on_certificate: Option<NaiveDate>, applied: Option<NaiveDate>| matches!((on_certificate, applied), (Some(a), Some(b)) if a != b);
        if differs(started, facts.started_on) || differs(completed, facts.completed_on) {
            found.push(ReasonCode::CourseDatesMismatch);
        }
        if let (Some(trainee), Some(applicant)) = (&trainee, &facts.applicant_name) {
            if !same_name(trainee, applicant) {
                found.push(ReasonCode::TraineeNotApplicant);
            }
        }
        // The birth date is optional; it matters only where the application gives one too.
        if let Some(applicant_birth) = facts.applicant_birth {
            match read(d, cf::BIRTH_DATE, Document::date) {
                Read::Sure(b) if b != applicant_birth => found.push(ReasonCode::BirthDateMismatch),
                Read::Unsure => found.push(low_confidence(d, cf::BIRTH_DATE)),
                _ => {}
            }
        }
    }
}

/// The course of the receipts, of the certificate and of the application must be the same
/// (seed 003 第1-5-(4)-ア; RULES §1.4): names compared after NFKC, without whitespace. A document
/// that contradicts another goes to a person.
fn check_course_names(case: &Case, facts: &Facts, found: &mut Findings) {
    let mut names: Vec<String> = facts
        .course_name
        .iter()
        .map(|n| normalize_name(n))
        .collect();
    for d in &case.documents {
        let field = match d.doc.kind {
            DocKind::Receipt => rf::COURSE_NAME,
            DocKind::CompletionCertificate => cf::COURSE_NAME,
            _ => continue,
        };
        if let Read::Sure(name) = read(d, field, text) {
            names.push(normalize_name(&name));
        }
    }
    names.sort();
    names.dedup();
    if names.len() > 1 {
        found.push(ReasonCode::CourseMismatch);
    }
}

/// The breakdown sorted by RULES.md §1.2.
#[derive(Debug, Default)]
struct Costs {
    /// 入学料・受講料・必要な教材費・消費税.
    counted_yen: i64,
    /// Amounts the applicant did not pay (subsidies, refunds): deducted.
    subsidies_yen: i64,
    excluded: Vec<Excluded>,
    /// Whether every receipt's breakdown and total were read surely: otherwise the amount is only
    /// provisional, and not compared with the lower limit.
    read_surely: bool,
}

/// RULES.md §1.2 (seed 003 第1-3-(1), (2), (5), (6)): counted, excluded with its reason, deducted,
/// or — for a line kyufu cannot classify — left to a person. Instalments on several receipts add up
/// (第1-3-(4)).
fn classify_items(receipts: &[&CaseDocument], found: &mut Findings) -> Costs {
    let mut costs = Costs {
        read_surely: !receipts.is_empty()
            && receipts.iter().all(|d| {
                !d.doc.items.is_empty() && d.is_sure("items") && d.is_sure(rf::AMOUNT_TOTAL)
            }),
        ..Costs::default()
    };
    for item in receipts.iter().flat_map(|d| d.doc.items.iter()) {
        use ItemCategory::*;
        match item.category {
            Admission | Tuition | RequiredMaterial | ConsumptionTax => {
                costs.counted_yen = costs.counted_yen.saturating_add(item.amount);
            }
            Subsidy => {
                costs.subsidies_yen = costs
                    .subsidies_yen
                    .saturating_add(item.amount.saturating_abs());
            }
            Other => found.push(ReasonCode::UnclassifiedItem {
                label: item.label.clone(),
                amount_yen: item.amount,
            }),
            category => {
                if let Some((reason, cites)) = exclusion(category) {
                    costs.excluded.push(Excluded {
                        label: item.label.clone(),
                        amount_yen: item.amount,
                        category,
                        reason: reason.to_string(),
                        cites: cites.to_string(),
                    });
                }
            }
        }
    }
    costs
}

/// The amount parameters in force on the completion date, for the course's kind.
struct AmountParameters {
    rate: Selected<Decimal>,
    cap: Selected<i64>,
    cap_label: String,
    lower_limit: Selected<i64>,
}

/// The result of an amount formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computation {
    /// Each step with its rule (対象経費, ×支給率, 上限, 雇用保険差引, 支給額).
    pub lines: Vec<Line>,
    /// What would be paid (never negative, never above the cap).
    pub amount_yen: i64,
    /// The cap lowered the amount.
    pub cap_binds: bool,
    /// 「下限は1万2千1円」: paid only above the lower limit.
    pub above_lower_limit: bool,
}

/// RULES.md §1.3: select the formula and its parameters by the completion date, compute, and say
/// which unconfirmed parameters the result depends on.
fn compute_amount(
    facts: &Facts,
    costs: &Costs,
    p: &KyoikuKunrenParameters,
    found: &mut Findings,
    used: &mut Used,
) -> Option<Computation> {
    let (completed_on, kind, ei) = (
        facts.completed_on?,
        facts.kind?,
        facts.employment_insurance?,
    );
    used.note("as_of", completed_on);
    let not_covered = |what: &'static str| ReasonCode::ParametersNotCovered {
        what,
        date: completed_on.to_string(),
    };
    let Some(formula) = p.amount_formula.at("amount_formula", completed_on) else {
        found.push(not_covered("支給額の算定方法"));
        return None;
    };
    used.note("amount_formula", formula.value.id());
    let selected = select_amount_parameters(p, kind, facts.years, completed_on);
    let Some(ap) = selected else {
        found.push(not_covered("支給率・上限額・下限額"));
        return None;
    };
    used.record(&ap.rate);
    used.record(&ap.cap);
    used.record(&ap.lower_limit);
    let computation = match formula.value {
        AmountFormula::ShareOfCost => share_of_cost(costs, ei.benefit_yen, &ap),
    };
    let Some(c) = computation else {
        found.push(not_covered("支給額（金額が算定できる範囲を超えています）"));
        return None;
    };

    // An unconfirmed value goes to review only where the result depends on it (RULES.md intro).
    // The formula and the rate shape every amount above zero; the cap only where it binds; the
    // lower limit always decides between pay and deny.
    let has_cost = costs.counted_yen > costs.subsidies_yen;
    let depends = [
        (formula.name, formula.confirmed, true),
        (ap.rate.name, ap.rate.confirmed, has_cost),
        (ap.cap.name, ap.cap.confirmed, c.cap_binds),
        (ap.lower_limit.name, ap.lower_limit.confirmed, true),
    ];
    for (name, confirmed, matters) in depends {
        if !confirmed && matters {
            used.relied_on_name(name);
            found.push(ReasonCode::ParameterUnconfirmed(name));
        }
    }
    // An amount from a breakdown not surely read is no ground for a refusal (nor for telling the
    // applicant so on a 補正依頼): the unread breakdown is the reason given.
    if !c.above_lower_limit && costs.read_surely {
        found.push(ReasonCode::AmountNotAboveLowerLimit {
            amount_yen: c.amount_yen,
            lower_limit_yen: ap.lower_limit.value,
        });
    }
    Some(c)
}

fn select_amount_parameters(
    p: &KyoikuKunrenParameters,
    kind: CourseKind,
    years: Option<u32>,
    on: NaiveDate,
) -> Option<AmountParameters> {
    let rate = p.rate.at("rate", on)?;
    let lower_limit = p.lower_limit_yen.at("lower_limit_yen", on)?;
    let (cap, cap_label) = match kind {
        CourseKind::General | CourseKind::SpecifiedGeneral => (
            p.cap_general_yen.at("cap_yen", on)?,
            "上限額（一般・特定一般教育訓練）".to_string(),
        ),
        CourseKind::SpecializedPractical => {
            // 専門実践: 上限 × 修学年数, at most the whole-course maximum.
            let years = years?;
            let per_year = p.cap_specialized_per_year_yen.at("cap_yen", on)?;
            let max = p.cap_specialized_max_yen.at("cap_yen", on)?;
            let by_years = per_year.value.saturating_mul(i64::from(years));
            let cap = Selected {
                name: "cap_yen",
                value: by_years.min(max.value),
                source: per_year.source.clone(),
                confirmed: per_year.confirmed && max.confirmed,
            };
            (
                cap,
                format!(
                    "上限額（専門実践教育訓練: {}円×修学年数{years}年、最大{}円）",
                    yen(per_year.value),
                    yen(max.value)
                ),
            )
        }
    };
    Some(AmountParameters {
        rate,
        cap,
        cap_label,
        lower_limit,
    })
}

/// RULES.md §1.3, the formula in force since 2003 (seed 003 第1-3; cfa.go.jp):
/// ```text
/// cost   = Σ counted items − subsidies and refunds
/// amount = floor(cost × rate)                  # 1円未満切り捨て (第1-3-(3))
/// amount = min(amount, cap(course_kind, years))
/// amount = amount − employment_insurance_benefit   # 差額支給
/// pay only if amount > lower_limit             # 「下限は1万2千1円」
/// ```
/// `None` only if the amounts leave the range of yen.
fn share_of_cost(
    costs: &Costs,
    employment_insurance_yen: i64,
    p: &AmountParameters,
) -> Option<Computation> {
    let mut lines = vec![Line {
        label: "対象経費（入学料・受講料・必要な教材費・消費税）".into(),
        amount_yen: costs.counted_yen,
        cites: "seed 003 第1-3-(1), (4)".into(),
    }];
    let cost = costs.counted_yen.saturating_sub(costs.subsidies_yen).max(0);
    if costs.subsidies_yen > 0 {
        lines.push(Line {
            label: "本人が負担していない額（補助・返還）の控除".into(),
            amount_yen: -costs.subsidies_yen,
            cites: "seed 003 第1-3-(1)（本人が支払った費用）; RULES.md §1.2".into(),
        });
        lines.push(Line {
            label: "控除後の対象経費".into(),
            amount_yen: cost,
            cites: "seed 003 第1-3-(1)".into(),
        });
    }
    let share = floor_to_yen(cost, p.rate.value)?;
    let percent = (p.rate.value * Decimal::ONE_HUNDRED).normalize();
    lines.push(Line {
        label: format!("支給率{percent}%を乗じた額（1円未満切り捨て）"),
        amount_yen: share,
        cites: format!("{}; seed 003 第1-3-(3)", p.rate.source),
    });
    let cap_binds = share > p.cap.value;
    let capped = share.min(p.cap.value);
    lines.push(Line {
        label: p.cap_label.clone(),
        amount_yen: p.cap.value,
        cites: p.cap.source.clone(),
    });
    if employment_insurance_yen > 0 {
        lines.push(Line {
            label: "雇用保険の教育訓練給付の受給額の差引".into(),
            amount_yen: -employment_insurance_yen,
            cites: "https://www.cfa.go.jp/policies/hitori-oya/jiritsu-shien-kyuufukin/（差額支給）"
                .into(),
        });
    }
    let amount_yen = capped.saturating_sub(employment_insurance_yen).max(0);
    lines.push(Line {
        label: format!(
            "支給額（下限額{}円を超える場合に支給）",
            yen(p.lower_limit.value)
        ),
        amount_yen,
        cites: p.lower_limit.source.clone(),
    });
    Some(Computation {
        lines,
        amount_yen,
        cap_binds,
        above_lower_limit: amount_yen > p.lower_limit.value,
    })
}

/// E6 — 「修了日から起算して30日以内」: the completion day is day 1, so the last day is
/// completed_on + (days − 1). The number of days is a municipal setting, unconfirmed nationally: a
/// late application goes to review; it is not refused automatically.
fn check_timeliness(
    facts: &Facts,
    p: &KyoikuKunrenParameters,
    found: &mut Findings,
    used: &mut Used,
) {
    check_deadline(
        facts.completed_on,
        facts.applied_on,
        ("application_deadline_days", &p.application_deadline_days),
        Benefit::KyoikuKunren,
        found,
        used,
    );
}

#[cfg(test)]
mod tests {
    //! Tables a benefits officer can read: the case, its dates and amounts, the expected outcome
    //! and yen, and the rule it exercises. Documents are built directly as `Document`s, complete
    //! and sure unless a row says otherwise.

    use std::collections::{BTreeMap, BTreeSet};

    use proptest::prelude::*;

    use super::*;
    use crate::case::application::{Applicant, Child, ChildSupportAllowance, Course, Malformed};
    use crate::case::Application;
    use crate::document::Item;
    use crate::document::{Field, Finding, Value};
    use crate::rules::Parameters;

    use ItemCategory::{
        Admission as 入学料, ConsumptionTax as 消費税, ExamFee as 検定料, Other as その他,
        Subsidy as 補助, Tuition as 受講料,
    };

    const APPLICANT: &str = "山田 花子";
    const COURSE: &str = "介護職員初任者研修";

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    type Edit = Box<dyn Fn(&mut CaseDocument)>;

    fn without(field: &'static str) -> Edit {
        Box::new(move |c| {
            c.doc.fields.remove(field);
        })
    }
    /// The field taken out, as printed but not read.
    fn unread(field: &'static str) -> Edit {
        Box::new(move |c| {
            c.doc.fields.remove(field);
            c.doc.findings.push(Finding::unread(field, "読めない"));
        })
    }
    fn set(field: &'static str, value: Value) -> Edit {
        Box::new(move |c| {
            c.doc
                .fields
                .insert(field.into(), Field::sure(value.clone()));
        })
    }
    fn unsure(field: &'static str) -> Edit {
        Box::new(move |c| {
            c.unsure.insert(field.into());
        })
    }
    fn lines(list: &'static [(&'static str, i64, ItemCategory)]) -> Edit {
        Box::new(move |c| c.doc.items = items(list))
    }

    fn items(list: &[(&str, i64, ItemCategory)]) -> Vec<Item> {
        list.iter()
            .map(|&(label, amount, category)| Item {
                label: label.into(),
                amount,
                category,
                confidence: 1.0,
                certainty: crate::document::Certainty::Sure(crate::document::Check::Given),
                bbox: None,
            })
            .collect()
    }

    struct Spec {
        file: String,
        items: Vec<Item>,
        edits: Vec<Edit>,
    }

    /// A case as `case` would assemble it. Receipts and the certificate are made when the case is
    /// decided, from the application's dates and names, then the edits are applied.
    struct CaseB {
        app: Application,
        receipts: Vec<Spec>,
        certificate: Option<Vec<Edit>>,
        /// Further documents, read as of these kinds with no fields.
        others: Vec<DocKind>,
    }

    /// The standard case: a mother of a 10-year-old, 一般教育訓練 completed 2026-06-30, applied
    /// 2026-07-10, 自立支援プログラム策定 2025-12-01, a certificate, no receipt yet.
    fn case() -> CaseB {
        CaseB {
            app: Application {
                benefit: Some(Benefit::KyoikuKunren),
                applied_on: Some(d("2026-07-10")),
                applicant: Applicant {
                    name: Some(APPLICANT.into()),
                    birth_date: Some(d("1990-04-01")),
                    ..Applicant::default()
                },
                children: Some(vec![Child {
                    name: Some("山田 陽菜".into()),
                    birth_date: Some(d("2015-06-01")),
                }]),
                independence_program_on: Some(d("2025-12-01")),
                child_support_allowance: Some(ChildSupportAllowance::Full),
                prior_receipt: Some(false),
                employment_insurance: Some(EmploymentInsurance {
                    entitled: false,
                    benefit_yen: 0,
                }),
                course: Some(Course {
                    name: Some(COURSE.into()),
                    institution: Some("学校法人さいたま介護学園".into()),
                    kind: Some(CourseKind::General),
                    designated_on: Some(d("2025-12-20")),
                    started_on: Some(d("2026-01-10")),
                    completed_on: Some(d("2026-06-30")),
                    years: Some(1),
                    ends_on: None,
                }),
                ..Application::default()
            },
            receipts: Vec::new(),
            certificate: Some(Vec::new()),
            others: Vec::new(),
        }
    }

    /// The standard case with the worked example's receipt: 入学料 11,000 + 受講料 88,000.
    fn standard() -> CaseB {
        case().receipt(&[("入学料", 11_000, 入学料), ("受講料", 88_000, 受講料)])
    }

    impl CaseB {
        fn app(mut self, f: impl FnOnce(&mut Application)) -> Self {
            f(&mut self.app);
            self
        }
        fn course(self, f: impl FnOnce(&mut Course)) -> Self {
            self.app(|a| f(a.course.as_mut().expect("course")))
        }
        fn receipt(mut self, list: &[(&str, i64, ItemCategory)]) -> Self {
            self.receipts.push(Spec {
                file: format!("receipt{}.jpg", self.receipts.len() + 1),
                items: items(list),
                edits: Vec::new(),
            });
            self
        }
        /// Edits the last receipt added.
        fn receipt_edit(mut self, edit: Edit) -> Self {
            self.receipts
                .last_mut()
                .expect("a receipt")
                .edits
                .push(edit);
            self
        }
        fn certificate_edit(mut self, edit: Edit) -> Self {
            self.certificate.as_mut().expect("a certificate").push(edit);
            self
        }
        fn no_certificate(mut self) -> Self {
            self.certificate = None;
            self
        }
        fn other_document(mut self, kind: DocKind) -> Self {
            self.others.push(kind);
            self
        }

        fn build(&self) -> Case {
            let course = self.app.course.clone().unwrap_or_default();
            let name = self.app.applicant.name.clone().unwrap_or_default();
            let mut documents = Vec::new();
            for spec in &self.receipts {
                let total = spec
                    .items
                    .iter()
                    .filter(|i| i.category != 補助)
                    .map(|i| i.amount)
                    .sum::<i64>();
                let mut fields = BTreeMap::new();
                let mut put = |k: &str, v: Value| {
                    fields.insert(k.to_string(), Field::sure(v));
                };
                put(
                    rf::ISSUER_NAME,
                    Value::Text("学校法人さいたま介護学園".into()),
                );
                put(rf::PAYER_NAME, Value::Text(name.clone()));
                put(
                    rf::COURSE_NAME,
                    Value::Text(course.name.clone().unwrap_or_default()),
                );
                if let Some(on) = course.completed_on {
                    put(rf::ISSUED_ON, Value::Date(on));
                }
                put(rf::AMOUNT_TOTAL, Value::Yen(total));
                put(rf::SEAL_PRESENT, Value::Bool(true));
                put(rf::HAS_UNSEALED_CORRECTION, Value::Bool(false));
                let mut doc = doc(&spec.file, DocKind::Receipt, fields);
                doc.doc.items = spec.items.clone();
                for edit in &spec.edits {
                    edit(&mut doc);
                }
                documents.push(doc);
            }
            if let Some(edits) = &self.certificate {
                let mut fields = BTreeMap::new();
                let mut put = |k: &str, v: Value| {
                    fields.insert(k.to_string(), Field::sure(v));
                };
                put(cf::TRAINEE_NAME, Value::Text(name.clone()));
                put(
                    cf::COURSE_NAME,
                    Value::Text(course.name.clone().unwrap_or_default()),
                );
                put(
                    cf::ISSUER_NAME,
                    Value::Text("学校法人さいたま介護学園".into()),
                );
                if let Some(b) = self.app.applicant.birth_date {
                    put(cf::BIRTH_DATE, Value::Date(b));
                }
                if let Some(on) = course.started_on {
                    put(cf::STARTED_ON, Value::Date(on));
                }
                if let Some(on) = course.completed_on {
                    put(cf::COMPLETED_ON, Value::Date(on));
                }
                put(cf::HAS_UNSEALED_CORRECTION, Value::Bool(false));
                let mut doc = doc("certificate.jpg", DocKind::CompletionCertificate, fields);
                for edit in edits {
                    edit(&mut doc);
                }
                documents.push(doc);
            }
            for (i, kind) in self.others.iter().enumerate() {
                documents.push(doc(&format!("scan{}.png", i + 1), *kind, BTreeMap::new()));
            }
            Case {
                case_id: "2026-000123".into(),
                application: self.app.clone(),
                documents,
            }
        }

        fn decide(&self) -> Decision {
            decide(&self.build(), &Parameters::embedded())
        }
    }

    fn doc(file: &str, kind: DocKind, fields: BTreeMap<String, Field>) -> CaseDocument {
        CaseDocument {
            file: file.into(),
            sha256: format!("{:0>64}", file.len().to_string() + file),
            doc: Document {
                source: file.into(),
                pages: vec![1],
                kind,
                fields,
                items: Vec::new(),
                findings: Vec::new(),
            },
            unsure: BTreeSet::new(),
        }
    }

    fn codes(decision: &Decision) -> Vec<&str> {
        decision.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    // ── RULES.md §1.3: amounts ─────────────────────────────────────────────────────────────

    struct AmountRow {
        case: &'static str,
        completed_on: &'static str,
        applied_on: &'static str,
        kind: CourseKind,
        years: u32,
        items: &'static [(&'static str, i64, ItemCategory)],
        employment_insurance_yen: i64,
        outcome: Outcome,
        yen: i64,
        rule: &'static str,
    }

    const GENERAL: CourseKind = CourseKind::General;
    const SPECIALIZED: CourseKind = CourseKind::SpecializedPractical;
    use Outcome::{Deny as 不支給, NeedsReview as 要確認, Pay as 支給};

    #[rustfmt::skip]
    const AMOUNTS: &[AmountRow] = &[
        AmountRow { case: "入学料11,000円+受講料88,000円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
            items: &[("入学料", 11_000, 入学料), ("受講料", 88_000, 受講料)], employment_insurance_yen: 0,
            outcome: 支給, yen: 59_400, rule: "RULES §1.3 worked example: 99,000 × 0.60" },
        AmountRow { case: "同上、雇用保険から19,800円受給", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
            items: &[("入学料", 11_000, 入学料), ("受講料", 88_000, 受講料)], employment_insurance_yen: 19_800,
            outcome: 支給, yen: 39_600, rule: "RULES §1.3 worked example: 差額支給" },
        AmountRow { case: "受講料20,001円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
            items: &[("受講料", 20_001, 受講料)], employment_insurance_yen: 0,
            outcome: 不支給, yen: 0, rule: "RULES §1.3: 12,000円 is not above the lower limit" },
        AmountRow { case: "受講料20,002円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
            items: &[("受講料", 20_002, 受講料)], employment_insurance_yen: 0,
            outcome: 支給, yen: 12_001, rule: "RULES §1.3: 下限は1万2千1円" },
        AmountRow { case: "専門実践2年、受講料3,000,000円", completed_on: "2026-03-31", applied_on: "2026-04-10", kind: SPECIALIZED, years: 2,
            items: &[("受講料", 3_000_000, 受講料)], employment_insurance_yen: 0,
            outcome: 支給, yen: 800_000, rule: "RULES §1.3 worked example: 400,000円 × 2年" },
        AmountRow { case: "専門実践4年、受講料10,000,000円", completed_on: "2026-03-31", applied_on: "2026-04-10", kind: SPECIALIZED, years: 4,
            items: &[("受講料", 10_000_000, 受講料)], employment_insurance_yen: 0,
            outcome: 支給, yen: 1_600_000, rule: "RULES §1.3: at most 1,600,000円" },
        AmountRow { case: "一般、受講料1,000,000円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
            items: &[("受講料", 1_000_000, 受講料)], employment_insurance_yen: 0,
            outcome: 支給, yen: 200_000, rule: "RULES §1.3: cap 200,000円" },
        AmountRow { case: "検定料5,500円は除外", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
            items: &[("入学料", 11_000, 入学料), ("受講料", 88_000, 受講料), ("検定試験受験料", 5_500, 検定料)], employment_insurance_yen: 0,
            outcome: 支給, yen: 59_400, rule: "seed 003 第1-3-(2)-ア" },
        AmountRow { case: "受講料90,000円+消費税9,000円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
            items: &[("受講料", 90_000, 受講料), ("消費税", 9_000, 消費税)], employment_insurance_yen: 0,
            outcome: 支給, yen: 59_400, rule: "seed 003 第1-3-(1): 消費税 counts" },
        AmountRow { case: "受講料100,000円、事業主負担30,000円", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
            items: &[("受講料", 100_000, 受講料), ("事業主負担", 30_000, 補助)], employment_insurance_yen: 0,
            outcome: 支給, yen: 42_000, rule: "RULES §1.2: subsidies are deducted" },
        AmountRow { case: "雇用保険の受給額が算定額を上回る", completed_on: "2026-06-30", applied_on: "2026-07-10", kind: GENERAL, years: 1,
            items: &[("受講料", 99_000, 受講料)], employment_insurance_yen: 60_000,
            outcome: 不支給, yen: 0, rule: "RULES §1.3: 差額 0円 is not above the lower limit" },
        AmountRow { case: "2003年、入学料・受講料20,003円", completed_on: "2003-10-01", applied_on: "2003-10-10", kind: GENERAL, years: 1,
            items: &[("受講料", 20_003, 受講料)], employment_insurance_yen: 0,
            outcome: 支給, yen: 8_001, rule: "RULES §1.3 History: 40%, lower limit 8,000円 (seed 003 第1-1-(2)-オ)" },
        AmountRow { case: "2003年、受講料20,002円", completed_on: "2003-10-01", applied_on: "2003-10-10", kind: GENERAL, years: 1,
            items: &[("受講料", 20_002, 受講料)], employment_insurance_yen: 0,
            outcome: 不支給, yen: 0, rule: "RULES §1.3 History: 8,000円 is not above 8,000円" },
        AmountRow { case: "2010年修了（20%の時期、日付未確認）", completed_on: "2010-06-30", applied_on: "2010-07-10", kind: GENERAL, years: 1,
            items: &[("受講料", 99_000, 受講料)], employment_insurance_yen: 0,
            outcome: 要確認, yen: 0, rule: "RULES §1.3 History: no parameter covers the date" },
        AmountRow { case: "専門実践1年、2020年、300,000円（上限に届かない）", completed_on: "2020-03-31", applied_on: "2020-04-10", kind: SPECIALIZED, years: 1,
            items: &[("受講料", 300_000, 受講料)], employment_insurance_yen: 0,
            outcome: 支給, yen: 180_000, rule: "RULES §1.3: unconfirmed cap that does not bind" },
        AmountRow { case: "専門実践2年、2020年、3,000,000円（上限未確認）", completed_on: "2020-03-31", applied_on: "2020-04-10", kind: SPECIALIZED, years: 2,
            items: &[("受講料", 3_000_000, 受講料)], employment_insurance_yen: 0,
            outcome: 要確認, yen: 400_000, rule: "RULES §1.3: unconfirmed cap 200,000円×年 binds" },
        AmountRow { case: "修了日から30日目の申請", completed_on: "2026-06-30", applied_on: "2026-07-29", kind: GENERAL, years: 1,
            items: &[("受講料", 99_000, 受講料)], employment_insurance_yen: 0,
            outcome: 支給, yen: 59_400, rule: "RULES §1.1 E6: 修了日から起算して30日以内" },
        AmountRow { case: "修了日から31日目の申請", completed_on: "2026-06-30", applied_on: "2026-07-30", kind: GENERAL, years: 1,
            items: &[("受講料", 99_000, 受講料)], employment_insurance_yen: 0,
            outcome: 要確認, yen: 59_400, rule: "RULES §1.1 E6: late → review carrying the amount" },
    ];

    /// The standard case moved to a row's dates: started three months before completion,
    /// designated 20 days before the start, a child of 5 on the application date.
    fn from_row(row: &AmountRow) -> CaseB {
        let completed = d(row.completed_on);
        let applied = d(row.applied_on);
        let started = completed - chrono::Months::new(3);
        case()
            .receipt(row.items)
            .app(|a| {
                a.applied_on = Some(applied);
                a.independence_program_on = Some(started);
                a.children.as_mut().unwrap()[0].birth_date =
                    Some(applied - chrono::Months::new(60));
                a.employment_insurance = Some(EmploymentInsurance {
                    entitled: row.employment_insurance_yen > 0,
                    benefit_yen: row.employment_insurance_yen,
                });
            })
            .course(|c| {
                c.kind = Some(row.kind);
                c.years = Some(row.years);
                c.completed_on = Some(completed);
                c.started_on = Some(started);
                c.designated_on = Some(started - chrono::Days::new(20));
            })
    }

    #[test]
    fn amounts_follow_rules_1_3() {
        for row in AMOUNTS {
            let decision = from_row(row).decide();
            assert_eq!(
                (decision.outcome, decision.amount_yen),
                (row.outcome, row.yen),
                "{} ({}): reasons {:?}",
                row.case,
                row.rule,
                codes(&decision)
            );
        }
    }

    #[test]
    fn the_lines_show_each_step_with_its_rule() {
        let decision = from_row(&AMOUNTS[1]).decide();
        let steps: Vec<(&str, i64)> = decision
            .lines
            .iter()
            .map(|l| (l.label.as_str(), l.amount_yen))
            .collect();
        assert_eq!(
            steps,
            [
                ("対象経費（入学料・受講料・必要な教材費・消費税）", 99_000),
                ("支給率60%を乗じた額（1円未満切り捨て）", 59_400),
                ("上限額（一般・特定一般教育訓練）", 200_000),
                ("雇用保険の教育訓練給付の受給額の差引", -19_800),
                ("支給額（下限額12,000円を超える場合に支給）", 39_600),
            ]
        );
        assert!(decision.lines.iter().all(|l| !l.cites.is_empty()));
        assert!(decision.lines[1].cites.contains("第1-3-(3)"));
        assert_eq!(decision.parameters["as_of"], "2026-06-30");
        assert_eq!(decision.parameters["rate"], "0.60");
        assert_eq!(decision.parameters["cap_yen"], "200000");
        assert_eq!(decision.parameters["lower_limit_yen"], "12000");
        assert!(!decision.parameters.contains_key("unconfirmed"));
        assert_eq!(decision.status, crate::decision::Status::Draft);
        assert_eq!(decision.applied_on, Some(d("2026-07-10")));
    }

    #[test]
    fn the_old_eras_use_their_own_parameters_or_refuse() {
        let old = from_row(&AMOUNTS[11]).decide();
        assert_eq!(old.parameters["rate"], "0.40");
        assert_eq!(old.parameters["e2_formula"], "income_level");
        let gap = from_row(&AMOUNTS[13]).decide();
        assert_eq!(codes(&gap), ["parameters_not_covered"]);
        assert!(gap.lines.is_empty());
    }

    #[test]
    fn an_unconfirmed_parameter_that_changes_the_result_is_named() {
        let binding = from_row(&AMOUNTS[15]).decide();
        assert_eq!(codes(&binding), ["parameter_unconfirmed:cap_yen"]);
        assert_eq!(binding.parameters["unconfirmed"], "cap_yen");
        let not_binding = from_row(&AMOUNTS[14]).decide();
        assert!(!not_binding.parameters.contains_key("unconfirmed"));
        let late = from_row(&AMOUNTS[17]).decide();
        assert_eq!(codes(&late), ["late_application"]);
        assert_eq!(late.parameters["unconfirmed"], "application_deadline_days");
        let on_time = from_row(&AMOUNTS[16]).decide();
        assert!(!on_time.parameters.contains_key("unconfirmed"));
    }

    #[test]
    fn excluded_items_are_listed_with_their_reason() {
        let decision = from_row(&AMOUNTS[7]).decide();
        assert_eq!(decision.excluded.len(), 1);
        let e = &decision.excluded[0];
        assert_eq!(
            (e.label.as_str(), e.amount_yen, e.category),
            ("検定試験受験料", 5_500, 検定料)
        );
        assert_eq!(e.reason, "検定試験の受講料・受験料は対象外です。");
        assert_eq!(e.cites, "seed 003 第1-3-(2)-ア");
    }

    #[test]
    fn instalments_on_several_receipts_add_up_and_a_file_counts_once() {
        let instalments = case()
            .receipt(&[
                ("入学料", 11_000, 入学料),
                ("受講料（前期）", 44_000, 受講料),
            ])
            .receipt(&[("受講料（後期）", 44_000, 受講料)])
            .receipt_edit(set(rf::ISSUED_ON, Value::Date(d("2026-03-01"))));
        let decision = instalments.decide();
        assert_eq!(
            (decision.outcome, decision.amount_yen),
            (Outcome::Pay, 59_400)
        );

        let mut twice = standard().build();
        let copy = twice.documents[0].clone();
        twice.documents.push(copy);
        let decision = decide(&twice, &Parameters::embedded());
        assert_eq!(
            (decision.outcome, decision.amount_yen),
            (Outcome::Pay, 59_400)
        );
        assert_eq!(decision.documents.len(), 3);
    }

    // ── every reason code, with the outcome it gives ────────────────────────────────────────

    struct ReasonRow {
        case: &'static str,
        build: fn() -> CaseB,
        outcome: Outcome,
        code: &'static str,
        rule: &'static str,
    }

    use Outcome::Incomplete as 補正;

    #[rustfmt::skip]
    const REASONS: &[ReasonRow] = &[
        ReasonRow { case: "領収書がない", build: || case(), outcome: 補正, code: "missing_receipt", rule: "seed 003 第1-5-(2)" },
        ReasonRow { case: "修了証明書がない", build: || standard().no_certificate(), outcome: 補正, code: "missing_certificate", rule: "seed 003 第1-5-(1)" },
        ReasonRow { case: "施設名がない", build: || standard().receipt_edit(without(rf::ISSUER_NAME)), outcome: 補正, code: "receipt_field_missing:issuer_name", rule: "seed 003 第1-5-(3)-ア" },
        ReasonRow { case: "支払者氏名がない", build: || standard().receipt_edit(without(rf::PAYER_NAME)), outcome: 補正, code: "receipt_field_missing:payer_name", rule: "seed 003 第1-5-(3)-イ" },
        ReasonRow { case: "領収額がない", build: || standard().receipt_edit(without(rf::AMOUNT_TOTAL)), outcome: 補正, code: "receipt_field_missing:amount_total", rule: "seed 003 第1-5-(3)-ウ" },
        ReasonRow { case: "領収日がない", build: || standard().receipt_edit(without(rf::ISSUED_ON)), outcome: 補正, code: "receipt_field_missing:issued_on", rule: "seed 003 第1-5-(3)-エ" },
        ReasonRow { case: "領収日が印字されているが読めない", build: || standard().receipt_edit(unread(rf::ISSUED_ON)), outcome: 要確認, code: "low_confidence:issued_on", rule: "RULES §1.5" },
        ReasonRow { case: "講座名がない", build: || standard().receipt_edit(without(rf::COURSE_NAME)), outcome: 補正, code: "receipt_field_missing:course_name", rule: "seed 003 第1-5-(4)-ア" },
        ReasonRow { case: "領収額はあるが内訳がない", build: || standard().receipt_edit(lines(&[])), outcome: 補正, code: "receipt_field_missing:items", rule: "seed 003 第1-5-(4)-イ" },
        ReasonRow { case: "領収印がない", build: || standard().receipt_edit(set(rf::SEAL_PRESENT, Value::Bool(false))), outcome: 補正, code: "receipt_no_seal", rule: "seed 003 第1-5-(3)-オ" },
        ReasonRow { case: "領収印の有無が読めない（欄なし）", build: || standard().receipt_edit(without(rf::SEAL_PRESENT)), outcome: 補正, code: "receipt_no_seal", rule: "seed 003 第1-5-(3)-オ" },
        ReasonRow { case: "領収書に訂正印のない訂正", build: || standard().receipt_edit(set(rf::HAS_UNSEALED_CORRECTION, Value::Bool(true))), outcome: 補正, code: "unsealed_correction", rule: "seed 003 第1-5-(5)" },
        ReasonRow { case: "修了証明書に訂正印のない訂正", build: || standard().certificate_edit(set(cf::HAS_UNSEALED_CORRECTION, Value::Bool(true))), outcome: 補正, code: "unsealed_correction", rule: "seed 003 第1-5-(1)" },
        ReasonRow { case: "種類を判別できない書類がある", build: || standard().other_document(DocKind::Unknown), outcome: 要確認, code: "low_confidence:kind", rule: "RULES §1.5" },
        ReasonRow { case: "支払者が申請者と別人", build: || standard().receipt_edit(set(rf::PAYER_NAME, Value::Text("山田 太郎".into()))), outcome: 補正, code: "payer_not_applicant", rule: "seed 003 第1-5-(2)" },
        ReasonRow { case: "領収日が申請日より後", build: || standard().receipt_edit(set(rf::ISSUED_ON, Value::Date(d("2026-07-11")))), outcome: 補正, code: "receipt_after_application", rule: "RULES §1.4" },
        ReasonRow { case: "証明書の受講者氏名がない", build: || standard().certificate_edit(without(cf::TRAINEE_NAME)), outcome: 補正, code: "certificate_field_missing:trainee_name", rule: "seed 003 第1-5-(1)" },
        ReasonRow { case: "証明書の修了日が受講開始日より前", build: || standard().certificate_edit(set(cf::STARTED_ON, Value::Date(d("2026-07-01")))), outcome: 補正, code: "certificate_dates_invalid", rule: "seed 003 第1-4" },
        ReasonRow { case: "証明書の受講者が別人", build: || standard().certificate_edit(set(cf::TRAINEE_NAME, Value::Text("佐藤 花子".into()))), outcome: 補正, code: "trainee_not_applicant", rule: "seed 003 第1-5-(1)" },
        ReasonRow { case: "申請書に受講開始日がない", build: || standard().course(|c| c.started_on = None), outcome: 補正, code: "application_field_missing:course.started_on", rule: "DESIGN.md required fields" },
        ReasonRow { case: "申請書の修了日が読めない", build: || standard().app(|a| a.malformed.push(Malformed { field: "course.completed_on".into(), found: "\"6月末\"".into() })).course(|c| c.completed_on = None), outcome: 補正, code: "application_field_missing:course.completed_on", rule: "DESIGN.md required fields" },
        ReasonRow { case: "専門実践で修学年数がない", build: || standard().course(|c| { c.kind = Some(CourseKind::SpecializedPractical); c.years = None; }), outcome: 補正, code: "application_field_missing:course.years", rule: "RULES §1.3 cap × 修学年数" },
        ReasonRow { case: "児童が申請日に20歳に達している", build: || standard().app(|a| a.children.as_mut().unwrap()[0].birth_date = Some(d("2006-07-11"))), outcome: 不支給, code: "child_not_under_20", rule: "E1; 年齢計算ニ関スル法律" },
        ReasonRow { case: "自立支援プログラムの策定が申請日より後", build: || standard().app(|a| a.independence_program_on = Some(d("2026-07-11"))), outcome: 不支給, code: "no_independence_program", rule: "E2 (2024-08-30〜)" },
        ReasonRow { case: "自立支援プログラムの策定なし", build: || standard().app(|a| a.independence_program_on = None), outcome: 不支給, code: "no_independence_program", rule: "E2 (2024-08-30〜)" },
        ReasonRow { case: "2024-08-29申請、児童扶養手当なし", build: || standard().app(|a| { a.applied_on = Some(d("2024-08-29")); a.independence_program_on = None; a.child_support_allowance = Some(ChildSupportAllowance::None); }), outcome: 不支給, code: "income_over_limit", rule: "E2 (改正前)" },
        ReasonRow { case: "過去に受給", build: || standard().app(|a| a.prior_receipt = Some(true)), outcome: 不支給, code: "prior_receipt", rule: "E3 seed 003 第1-2-(2)" },
        ReasonRow { case: "講座指定日が受講開始日と同日", build: || standard().course(|c| c.designated_on = Some(d("2026-01-10"))), outcome: 不支給, code: "not_designated_before_start", rule: "E4" },
        ReasonRow { case: "2003年、雇用保険の受給資格あり", build: || from_row(&AMOUNTS[11]).app(|a| a.employment_insurance = Some(EmploymentInsurance { entitled: true, benefit_yen: 0 })), outcome: 要確認, code: "employment_insurance_entitled", rule: "E5 seed 003 第1-2-(1)" },
        ReasonRow { case: "分類できない内訳", build: || standard().receipt(&[("諸費", 3_000, その他)]).receipt_edit(set(rf::ISSUED_ON, Value::Date(d("2026-02-01")))), outcome: 要確認, code: "unclassified_item", rule: "RULES §1.2 other" },
        ReasonRow { case: "支払者氏名の読み取りが不確実", build: || standard().receipt_edit(unsure(rf::PAYER_NAME)), outcome: 要確認, code: "low_confidence:payer_name", rule: "RULES §1.5" },
        ReasonRow { case: "内訳の読み取りが不確実", build: || standard().receipt_edit(unsure("items")), outcome: 要確認, code: "low_confidence:items", rule: "RULES §1.5" },
        ReasonRow { case: "領収印の読み取りが不確実", build: || standard().receipt_edit(unsure(rf::SEAL_PRESENT)), outcome: 要確認, code: "low_confidence:seal_present", rule: "RULES §1.5" },
        ReasonRow { case: "領収書の講座名が違う", build: || standard().receipt_edit(set(rf::COURSE_NAME, Value::Text("医療事務講座".into()))), outcome: 要確認, code: "course_mismatch", rule: "RULES §1.4" },
        ReasonRow { case: "証明書の生年月日が違う", build: || standard().certificate_edit(set(cf::BIRTH_DATE, Value::Date(d("1990-04-02")))), outcome: 要確認, code: "birth_date_mismatch", rule: "RULES §1.4" },
        ReasonRow { case: "証明書の修了日が申請書と違う", build: || standard().certificate_edit(set(cf::COMPLETED_ON, Value::Date(d("2026-06-29")))), outcome: 要確認, code: "course_dates_mismatch", rule: "seed 003 第1-4" },
        ReasonRow { case: "内訳の合計が領収額と違う", build: || standard().receipt_edit(set(rf::AMOUNT_TOTAL, Value::Yen(100_000))), outcome: 要確認, code: "receipt_total_mismatch", rule: "seed 003 第1-5-(4)-イ" },
        ReasonRow { case: "同じ領収書が別のファイルで2枚", build: || standard().receipt(&[("入学料", 11_000, 入学料), ("受講料", 88_000, 受講料)]), outcome: 要確認, code: "possible_duplicate_receipt", rule: "seed 003 第1-3-(4)" },
        ReasonRow { case: "申請日が修了日より前", build: || standard().app(|a| a.applied_on = Some(d("2026-06-20"))).receipt_edit(set(rf::ISSUED_ON, Value::Date(d("2026-06-01")))), outcome: 要確認, code: "applied_before_completion", rule: "seed 003 第1-4-(2)" },
        ReasonRow { case: "2010年修了", build: || from_row(&AMOUNTS[13]), outcome: 要確認, code: "parameters_not_covered", rule: "RULES §1.3 History" },
        ReasonRow { case: "2020年専門実践、未確認の上限が効く", build: || from_row(&AMOUNTS[15]), outcome: 要確認, code: "parameter_unconfirmed:cap_yen", rule: "RULES intro" },
        ReasonRow { case: "受講料20,001円", build: || from_row(&AMOUNTS[2]), outcome: 不支給, code: "amount_not_above_lower_limit", rule: "RULES §1.3" },
        ReasonRow { case: "修了日から31日目の申請", build: || from_row(&AMOUNTS[17]), outcome: 要確認, code: "late_application", rule: "E6" },
    ];

    #[test]
    fn every_reason_code_gives_its_outcome() {
        for row in REASONS {
            let decision = (row.build)().decide();
            assert_eq!(
                decision.outcome,
                row.outcome,
                "{} ({}): {:?}",
                row.case,
                row.rule,
                codes(&decision)
            );
            assert!(
                codes(&decision).contains(&row.code),
                "{} ({}): expected {}, got {:?}",
                row.case,
                row.rule,
                row.code,
                codes(&decision)
            );
            for r in &decision.reasons {
                assert!(r.message.ends_with('。') && !r.cites.is_empty(), "{r:?}");
            }
            let expect_amount = matches!(row.outcome, Outcome::Pay | Outcome::NeedsReview);
            if !expect_amount {
                assert_eq!(decision.amount_yen, 0, "{}", row.case);
            }
        }
    }

    #[test]
    fn every_rules_md_reason_code_is_exercised() {
        let listed = [
            "missing_receipt",
            "missing_certificate",
            "receipt_field_missing:",
            "receipt_no_seal",
            "unsealed_correction",
            "payer_not_applicant",
            "course_mismatch",
            "not_designated_before_start",
            "prior_receipt",
            "no_independence_program",
            "income_over_limit",
            "amount_not_above_lower_limit",
            "late_application",
            "parameters_not_covered",
            "low_confidence:",
            "unclassified_item",
            "child_not_under_20",
        ];
        for code in listed {
            assert!(
                REASONS.iter().any(|r| r.code.starts_with(code)),
                "{code} has no row"
            );
        }
    }

    #[test]
    fn the_standard_case_pays_and_harmless_differences_do_not_matter() {
        let plain = standard().decide();
        assert_eq!((plain.outcome, plain.amount_yen), (Outcome::Pay, 59_400));
        assert!(plain.reasons.is_empty());
        // A full-width space, half-width forms, no space: the same name and course.
        let variants = standard()
            .receipt_edit(set(rf::PAYER_NAME, Value::Text("山田\u{3000}花子".into())))
            .receipt_edit(set(
                rf::COURSE_NAME,
                Value::Text("介護職員 初任者研修".into()),
            ))
            .certificate_edit(set(cf::TRAINEE_NAME, Value::Text("山田花子".into())))
            .decide();
        assert_eq!(
            (variants.outcome, variants.amount_yen),
            (Outcome::Pay, 59_400)
        );
        // A child who reaches 20 the day after the application is still under 20 on it.
        let young = standard()
            .app(|a| a.children.as_mut().unwrap()[0].birth_date = Some(d("2006-07-12")))
            .decide();
        assert_eq!(young.outcome, Outcome::Pay);
    }

    #[test]
    fn an_unclassified_line_is_reported_but_not_counted() {
        let decision = (REASONS
            .iter()
            .find(|r| r.code == "unclassified_item")
            .unwrap()
            .build)()
        .decide();
        assert_eq!(decision.amount_yen, 59_400);
        assert!(decision.reasons[0].message.contains("「諸費」（3,000円）"));
    }

    #[test]
    fn a_low_confidence_reason_names_the_document_and_field() {
        let decision = standard().receipt_edit(unsure(rf::PAYER_NAME)).decide();
        assert_eq!(
            decision.reasons[0].message,
            "領収書（receipt1.jpg）の「受講者（支払者）氏名」を確実に読み取れませんでした。担当者が原本で確認します。"
        );
        assert_eq!(decision.amount_yen, 59_400);
    }

    #[test]
    fn a_small_amount_from_an_unsure_breakdown_is_no_refusal_and_no_lower_limit_reason() {
        // The breakdown as misread (「入学料 16」): unsure, so a person looks, and neither the
        // decision nor a notice speaks of the lower limit.
        let misread = case()
            .receipt(&[("入学料", 16, 入学料)])
            .receipt_edit(unsure("items"))
            .decide();
        let codes: Vec<&str> = misread.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(misread.outcome, Outcome::NeedsReview);
        assert!(
            !codes.contains(&"amount_not_above_lower_limit"),
            "{codes:?}"
        );
        // The same amount read surely is refused for it.
        let sure = case().receipt(&[("受講料", 20_001, 受講料)]).decide();
        assert_eq!(sure.outcome, Outcome::Deny);
        assert!(sure
            .reasons
            .iter()
            .any(|r| r.code == "amount_not_above_lower_limit"));
    }

    // ── RULES.md §1.5: precedence ──────────────────────────────────────────────────────────

    #[test]
    fn an_eligibility_refusal_stands_whatever_else_is_wrong() {
        let decision = standard()
            .app(|a| a.prior_receipt = Some(true))
            .receipt_edit(set(rf::SEAL_PRESENT, Value::Bool(false)))
            .receipt(&[("諸費", 3_000, その他)])
            .decide();
        assert_eq!(decision.outcome, Outcome::Deny);
        assert_eq!(decision.amount_yen, 0);
        assert!(decision.lines.is_empty() && decision.excluded.is_empty());
        // Every problem is reported; the deciding one first.
        let c = codes(&decision);
        assert_eq!(c[0], "prior_receipt");
        assert!(c.contains(&"receipt_no_seal") && c.contains(&"unclassified_item"));
    }

    #[test]
    fn a_defect_comes_before_review_and_the_amount() {
        let decision = from_row(&AMOUNTS[17]) // late
            .receipt_edit(set(rf::SEAL_PRESENT, Value::Bool(false)))
            .receipt_edit(unsure(rf::PAYER_NAME))
            .decide();
        assert_eq!(decision.outcome, Outcome::Incomplete);
        assert_eq!(decision.amount_yen, 0);
        let c = codes(&decision);
        assert_eq!(c[0], "receipt_no_seal");
        assert!(c.contains(&"low_confidence:payer_name") && c.contains(&"late_application"));
    }

    #[test]
    fn doubt_that_could_change_a_refusal_for_the_amount_goes_to_review() {
        let decision = from_row(&AMOUNTS[2]).receipt_edit(unsure("items")).decide();
        assert_eq!(decision.outcome, Outcome::NeedsReview);
        assert_eq!(codes(&decision)[0], "low_confidence:items");
    }

    #[test]
    fn the_lower_limit_comes_before_lateness() {
        let late_and_small = from_row(&AMOUNTS[2]).app(|a| a.applied_on = Some(d("2026-08-30")));
        let decision = late_and_small.decide();
        assert_eq!(decision.outcome, Outcome::Deny);
        assert_eq!(
            codes(&decision),
            ["amount_not_above_lower_limit", "late_application"]
        );
        // The refusal shows the computation that led to it.
        assert_eq!(decision.lines.last().map(|l| l.amount_yen), Some(12_000));
    }

    #[test]
    fn doubt_about_a_defect_is_not_a_defect() {
        // An unsure "no seal" must not send the applicant away for a correction.
        let decision = standard()
            .receipt_edit(set(rf::SEAL_PRESENT, Value::Bool(false)))
            .receipt_edit(unsure(rf::SEAL_PRESENT))
            .decide();
        assert_eq!(decision.outcome, Outcome::NeedsReview);
        assert_eq!(codes(&decision), ["low_confidence:seal_present"]);
    }

    // ── properties ─────────────────────────────────────────────────────────────────────────

    fn category() -> impl Strategy<Value = ItemCategory> {
        prop::sample::select(ItemCategory::ALL.to_vec())
    }

    fn breakdown() -> impl Strategy<Value = Vec<(ItemCategory, i64)>> {
        prop::collection::vec((category(), 0i64..2_000_000), 1..8)
    }

    fn kind() -> impl Strategy<Value = CourseKind> {
        prop::sample::select(vec![
            CourseKind::General,
            CourseKind::SpecifiedGeneral,
            CourseKind::SpecializedPractical,
        ])
    }

    fn decide_breakdown(
        list: &[(ItemCategory, i64)],
        kind: CourseKind,
        years: u32,
        ei: i64,
    ) -> Decision {
        let mut built = standard()
            .course(|c| {
                c.kind = Some(kind);
                c.years = Some(years);
            })
            .app(|a| {
                a.employment_insurance = Some(EmploymentInsurance {
                    entitled: ei > 0,
                    benefit_yen: ei,
                })
            })
            .build();
        built.documents[0].doc.items = list
            .iter()
            .map(|&(category, amount)| Item {
                label: category.id().into(),
                amount,
                category,
                confidence: 1.0,
                certainty: crate::document::Certainty::Sure(crate::document::Check::Given),
                bbox: None,
            })
            .collect();
        // Keep the receipt's total consistent with its lines, as a real receipt would be.
        let total: i64 = list
            .iter()
            .filter(|(c, _)| *c != 補助)
            .map(|(_, a)| a)
            .sum();
        built.documents[0]
            .doc
            .fields
            .insert(rf::AMOUNT_TOTAL.into(), Field::sure(Value::Yen(total)));
        decide(&built, &Parameters::embedded())
    }

    proptest! {
        #[test]
        fn never_above_the_cap_and_never_negative(
            list in breakdown(), kind in kind(), years in 1u32..6, ei in 0i64..300_000,
        ) {
            let decision = decide_breakdown(&list, kind, years, ei);
            let cap: i64 = decision.parameters["cap_yen"].parse().unwrap();
            prop_assert!(decision.amount_yen >= 0);
            prop_assert!(decision.amount_yen <= cap);
            prop_assert!(cap <= 1_600_000);
            if decision.outcome == Outcome::Pay {
                prop_assert!(decision.amount_yen > 12_000);
            }
        }

        #[test]
        fn monotone_in_the_cost(
            list in breakdown(), kind in kind(), years in 1u32..6, extra in 0i64..500_000,
        ) {
            let before = decide_breakdown(&list, kind, years, 0);
            let mut more = list.clone();
            more.push((受講料, extra));
            let after = decide_breakdown(&more, kind, years, 0);
            prop_assert!(after.amount_yen >= before.amount_yen,
                "{} then {}", before.amount_yen, after.amount_yen);
        }

        #[test]
        fn independent_of_the_order_of_the_lines(
            list in breakdown(), kind in kind(), years in 1u32..6, seed in any::<u64>(),
        ) {
            let mut shuffled = list.clone();
            // A deterministic permutation from the seed (rotate, then reverse on odd seeds).
            let len = shuffled.len();
            shuffled.rotate_left((seed as usize) % len);
            if seed % 2 == 1 {
                shuffled.reverse();
            }
            let a = decide_breakdown(&list, kind, years, 0);
            let b = decide_breakdown(&shuffled, kind, years, 0);
            prop_assert_eq!(a.outcome, b.outcome);
            prop_assert_eq!(a.amount_yen, b.amount_yen);
            prop_assert_eq!(&a.lines, &b.lines);
            let sorted = |d: &Decision| { let mut r = d.reasons.clone(); r.sort(); r };
            prop_assert_eq!(sorted(&a), sorted(&b));
        }
    }
}
