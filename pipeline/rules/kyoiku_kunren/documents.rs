//! What each document of a §1 case must carry (seed 003 第1-4, 第1-5; RULES.md §1.4): the
//! 領収書 and the 教育訓練修了証明書, their corrections and 訂正印, a receipt scanned twice, and
//! the course named alike on every document and on the application.
//!
//! A field the extractor is not sure of is never relied on: it becomes a `low_confidence` reason
//! (a person looks), not a defect the applicant is asked to correct. It does not classify the
//! breakdown's lines nor compute anything ([`super::amount`]). Called by [`super::decide`].

use chrono::NaiveDate;

use crate::case::{Case, CaseDocument};
use crate::document::ItemCategory;
use crate::document::{
    certificate_fields as cf, receipt_fields as rf, Certainty, Check, DocKind, Document,
};

use crate::rules::common::{normalize_name, same_name, Findings};
use crate::rules::reasons::ReasonCode;

use super::Facts;

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

/// Whether `d`'s `field` was confirmed by more than its form ([`Check::Form`]: a real date, printed
/// in full) or read alike by independent readings. A 補正依頼 rests only on a sure reading (issue
/// 19), and a digit misread in a date gives another real date: 「令和8年4月15日」 read 2026年9月15日
/// on a photo, after the application's date (seed 47 sub058, a wrong 補正依頼).
fn sure_past_its_form(d: &CaseDocument, field: &str) -> bool {
    d.doc.field(field).is_some_and(|f| match f.certainty {
        Certainty::Sure(check) => check != Check::Form,
        Certainty::Agreed => true,
        Certainty::Read | Certainty::Doubtful(_) => false,
    })
}

/// Whether `d`'s absent fields are surely absent: at most one of `carried` is neither read nor
/// marked printed-but-unread. An institution leaves out a field now and then (a breakdown, a
/// course name); a document of which two or more fields were not found at all was not understood
/// (an unusual layout, a page read badly), so a person looks rather than the family being asked to
/// bring fields their document may well carry (issue 19: a 補正依頼 only on a sure reading).
/// `carried` may name the breakdown ([`rf::ITEMS`]).
fn absence_is_sure(d: &CaseDocument, carried: &[&str]) -> bool {
    let absent = |f: &str| match f {
        rf::ITEMS => d.doc.items.is_empty(),
        _ => d.doc.field(f).is_none(),
    };
    let lost = carried
        .iter()
        .filter(|&&f| absent(f) && !d.doc.is_unread(f))
        .count();
    lost <= 1
}

/// Reads a field a document must carry: missing (and the absence sure) → `missing(field)`; unsure,
/// printed but not read ([`Document::is_unread`]), or missing where the absence is not sure →
/// `low_confidence`.
fn must_carry<T>(
    d: &CaseDocument,
    field: &'static str,
    get: impl Fn(&Document, &str) -> Option<T>,
    (missing, absence_sure): (fn(&'static str) -> ReasonCode, bool),
    found: &mut Findings,
) -> Option<T> {
    match read(d, field, get) {
        Read::Sure(v) => Some(v),
        Read::Unsure => {
            found.push(low_confidence(d, field));
            None
        }
        // Printed but not made out: a person reads it; the document does not lack it.
        Read::Missing if d.doc.is_unread(field) || !absence_sure => {
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
pub(super) fn check_receipts<'a>(
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
        // A document whose kind was not read may be the receipt: `check_unknown_documents` sends
        // the case to a person instead.
        if !has_unknown_document(case) {
            found.push(ReasonCode::MissingReceipt);
        }
        return receipts;
    }
    for d in &receipts {
        let missing = (
            ReasonCode::ReceiptFieldMissing as fn(&'static str) -> ReasonCode,
            absence_is_sure(d, &rf::CARRIED),
        );
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
        if !items_sure || (d.doc.items.is_empty() && (d.doc.is_unread("items") || !missing.1)) {
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
            if issued > applied && sure_past_its_form(d, rf::ISSUED_ON) {
                found.push(ReasonCode::ReceiptAfterApplication);
            } else if issued > applied {
                found.push(low_confidence(d, rf::ISSUED_ON));
            }
        }
    }
    check_duplicates(&receipts, found);
    receipts
}

/// Documents whose kind was not read, not counting a shop's till receipt (read as one: it is
/// surely no 領収書 nor certificate).
fn unknown_documents(case: &Case) -> impl Iterator<Item = &CaseDocument> {
    case.documents.iter().filter(|d| {
        d.doc.kind == DocKind::Unknown
            && !d
                .doc
                .findings
                .iter()
                .any(|f| f.code == crate::extract::TILL_RECEIPT)
    })
}

fn has_unknown_document(case: &Case) -> bool {
    unknown_documents(case).next().is_some()
}

/// A document whose kind could not be read may be a receipt or certificate the amount turns on (a
/// クレジット契約証明書 whose title was misread): a person looks at it (RULES §1.5: unsure of a
/// fact that would change the result → `needs_review`).
pub(super) fn check_unknown_documents(case: &Case, found: &mut Findings) {
    for d in unknown_documents(case) {
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
pub(super) fn check_certificates(case: &Case, facts: &Facts, found: &mut Findings) {
    let certificates: Vec<&CaseDocument> = case
        .documents
        .iter()
        .filter(|d| d.doc.kind == DocKind::CompletionCertificate)
        .collect();
    if certificates.is_empty() {
        // As for receipts: a document of unknown kind may be the certificate.
        if !has_unknown_document(case) {
            found.push(ReasonCode::MissingCertificate);
        }
        return;
    }
    for d in certificates {
        let missing = (
            ReasonCode::CertificateFieldMissing as fn(&'static str) -> ReasonCode,
            absence_is_sure(d, &cf::CARRIED),
        );
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
pub(super) fn check_course_names(case: &Case, facts: &Facts, found: &mut Findings) {
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
