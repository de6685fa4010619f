//! Every reason code of RULES.md §1 with the outcome it gives, and §1.5's precedence when several
//! apply. Cases are built from the standard case or from a row of [`super::amounts::AMOUNTS`].

use super::amounts::{from_row, AMOUNTS};
use super::*;

use Outcome::{Deny as 不支給, NeedsReview as 要確認};

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
    ReasonRow { case: "領収額と領収日がどちらも見つからない（読み取りの失敗）", build: || standard().receipt_edit(without(rf::AMOUNT_TOTAL)).receipt_edit(without(rf::ISSUED_ON)), outcome: 要確認, code: "low_confidence:amount_total", rule: "RULES §1.5; issue 19" },
    ReasonRow { case: "写真で内訳が見つからない", build: || standard().receipt_edit(lines(&[])).receipt_edit(unread("items")), outcome: 要確認, code: "low_confidence:items", rule: "RULES §1.5; issue 19" },
    ReasonRow { case: "領収書の代わりに店舗のレシート", build: || case().other_document(DocKind::Unknown).others_till(), outcome: 補正, code: "missing_receipt", rule: "seed 003 第1-5-(2); real-samples README" },
    ReasonRow { case: "領収書がなく、種類を判別できない書類がある", build: || case().other_document(DocKind::Unknown), outcome: 要確認, code: "low_confidence:kind", rule: "RULES §1.5" },
    ReasonRow { case: "修了証明書がなく、種類を判別できない書類がある", build: || standard().no_certificate().other_document(DocKind::Unknown), outcome: 要確認, code: "low_confidence:kind", rule: "RULES §1.5" },
    ReasonRow { case: "講座名がない", build: || standard().receipt_edit(without(rf::COURSE_NAME)), outcome: 補正, code: "receipt_field_missing:course_name", rule: "seed 003 第1-5-(4)-ア" },
    ReasonRow { case: "領収額はあるが内訳がない", build: || standard().receipt_edit(lines(&[])), outcome: 補正, code: "receipt_field_missing:items", rule: "seed 003 第1-5-(4)-イ" },
    ReasonRow { case: "領収印がない", build: || standard().receipt_edit(set(rf::SEAL_PRESENT, Value::Bool(false))), outcome: 補正, code: "receipt_no_seal", rule: "seed 003 第1-5-(3)-オ" },
    ReasonRow { case: "領収印の有無が読めない（欄なし）", build: || standard().receipt_edit(without(rf::SEAL_PRESENT)), outcome: 補正, code: "receipt_no_seal", rule: "seed 003 第1-5-(3)-オ" },
    ReasonRow { case: "領収書に訂正印のない訂正", build: || standard().receipt_edit(set(rf::HAS_UNSEALED_CORRECTION, Value::Bool(true))), outcome: 補正, code: "unsealed_correction", rule: "seed 003 第1-5-(5)" },
    ReasonRow { case: "修了証明書に訂正印のない訂正", build: || standard().certificate_edit(set(cf::HAS_UNSEALED_CORRECTION, Value::Bool(true))), outcome: 補正, code: "unsealed_correction", rule: "seed 003 第1-5-(1)" },
    ReasonRow { case: "種類を判別できない書類がある", build: || standard().other_document(DocKind::Unknown), outcome: 要確認, code: "low_confidence:kind", rule: "RULES §1.5" },
    ReasonRow { case: "支払者が申請者と別人", build: || standard().receipt_edit(set(rf::PAYER_NAME, Value::Text("山田 太郎".into()))), outcome: 補正, code: "payer_not_applicant", rule: "seed 003 第1-5-(2)" },
    ReasonRow { case: "領収日が申請日より後", build: || standard().receipt_edit(set(rf::ISSUED_ON, Value::Date(d("2026-07-11")))), outcome: 補正, code: "receipt_after_application", rule: "RULES §1.4" },
    ReasonRow { case: "領収日が申請日より後（日付の形のほかに確かめるものがない）", build: || standard().receipt_edit(read_by_form(rf::ISSUED_ON, "2026-07-11")), outcome: 要確認, code: "low_confidence:issued_on", rule: "RULES §1.5; issue 19" },
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
fn fields_not_found_together_are_doubt_not_defects() {
    // Two fields the receipt must carry both absent: the page was not understood, so a person
    // reads it; none of them becomes a 補正依頼.
    let decision = standard()
        .receipt_edit(without(rf::PAYER_NAME))
        .receipt_edit(without(rf::AMOUNT_TOTAL))
        .decide();
    assert_eq!(decision.outcome, Outcome::NeedsReview);
    let found = codes(&decision);
    assert!(found.contains(&"low_confidence:payer_name"), "{found:?}");
    assert!(found.contains(&"low_confidence:amount_total"), "{found:?}");
    assert!(
        !found.iter().any(|c| c.starts_with("receipt_field_missing")),
        "{found:?}"
    );
    // One field absent from a well-read scan stays the defect it is.
    let one = standard().receipt_edit(without(rf::PAYER_NAME)).decide();
    assert_eq!(one.outcome, Outcome::Incomplete);
    assert_eq!(codes(&one), ["receipt_field_missing:payer_name"]);
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
