//! The rules of seed `000` 5-(1)-カ as a table (case, change to an accepted plan, parameters,
//! codes expected, the item cited), lenient reading, and the printed plan and refusal read back
//! with `pdftotext`.

use chrono::NaiveDate;

use super::*;
use crate::render::testing::{assert_font_embedded_as_subset, assert_has, templates, text_of};
use crate::render::Office;

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
    crate::plans::assert_no_internal_reference(&text);
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
        // The public citation; the reasons keep the internal one.
        assert_has(&text, &templates().public_cite(&r.cites));
        assert!(r.cites.starts_with("seed 000 5-(1)-カ"), "{r:?}");
    }
    assert_has(&text, "母との事前相談が実施されていません。");
    assert_has(&text, "暴力行為のおそれがあるため");
    assert!(!text.contains("支援経過"), "no plan on a refusal");
    assert_has(&text, "母子家庭等就業・自立支援事業実施要綱5(1)カ(オ)b");
    crate::plans::assert_no_internal_reference(&text);
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
