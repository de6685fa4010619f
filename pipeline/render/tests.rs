//! The notice tests: every outcome's document as `pdftotext` reads it, page breaks, fonts and
//! reproducible bytes. Split from `render/mod.rs` to keep that file readable; no test changed.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;

use super::testing::{assert_font_embedded_as_subset, assert_has, templates, text_of};
use super::*;
use crate::decision::{Benefit, Excluded, Line, Outcome, Reason, Status};
use crate::document::ItemCategory;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn app() -> Application {
    Application::from_json_bytes(
        r#"{"benefit": "kyoiku_kunren", "applied_on": "2026-07-10",
                "applicant": {"name": "山田 花子", "address": "埼玉県さくら市桜町一丁目2番3号"},
                "children": [{"name": "山田 陽菜", "birth_date": "2015-06-01"}],
                "course": {"name": "介護職員初任者研修", "institution": "学校法人さくら学園",
                           "kind": "general", "designated_on": "2025-12-20",
                           "started_on": "2026-01-10", "completed_on": "2026-06-30"}}"#
            .as_bytes(),
    )
    .unwrap()
}

fn reason(code: &str, message: &str, cites: &str) -> Reason {
    Reason {
        code: code.to_string(),
        message: message.to_string(),
        cites: cites.to_string(),
    }
}

fn line(label: &str, amount_yen: i64, cites: &str) -> Line {
    Line {
        label: label.to_string(),
        amount_yen,
        cites: cites.to_string(),
    }
}

/// RULES.md §1.3 worked example: 入学料 11,000 + 受講料 88,000 → 59,400円, with an exam fee left out.
fn pay() -> Decision {
    Decision {
        case_id: "2026-000123".to_string(),
        benefit: Benefit::KyoikuKunren,
        status: Status::Draft,
        outcome: Outcome::Pay,
        amount_yen: 59_400,
        lines: vec![
            line("入学料", 11_000, "seed 003 第1-3-(1)"),
            line("受講料", 88_000, "seed 003 第1-3-(1)"),
            line("対象経費", 99_000, "seed 003 第1-3-(1)"),
            line(
                "支給額（対象経費の100分の60、1円未満切り捨て）",
                59_400,
                "seed 003 第1-3-(3)",
            ),
        ],
        excluded: vec![Excluded {
            label: "検定試験受験料".to_string(),
            amount_yen: 5_500,
            category: ItemCategory::ExamFee,
            reason: "検定試験の受験料は対象外です".to_string(),
            cites: "seed 003 第1-3-(2)-ア".to_string(),
        }],
        reasons: vec![],
        documents: vec![],
        parameters: BTreeMap::from([
            ("as_of".to_string(), "2026-06-30".to_string()),
            ("rate".to_string(), "0.60".to_string()),
        ]),
        applied_on: Some(date("2026-07-10")),
        schedule: None,
        days: None,
    }
}

fn deny() -> Decision {
    Decision {
            outcome: Outcome::Deny,
            amount_yen: 0,
            lines: vec![
                line("対象経費", 20_001, "seed 003 第1-3-(1)"),
                line("算定額", 12_000, "seed 003 第1-3-(3)"),
            ],
            excluded: vec![],
            reasons: vec![
                reason(
                    "amount_not_above_lower_limit",
                    "算定額が下限額（12,000円）を超えないため、支給の対象となりません。",
                    "https://www.cfa.go.jp/policies/hitori-oya/jiritsu-shien-kyuufukin/（下限は1万2千1円）",
                ),
                reason(
                    "no_independence_program",
                    "申請日において自立支援プログラムの策定等を受けていません。",
                    "母子及び父子並びに寡婦福祉法施行令27条（令和6年政令第269号）",
                ),
            ],
            ..pay()
        }
}

fn incomplete() -> Decision {
    Decision {
        outcome: Outcome::Incomplete,
        amount_yen: 0,
        lines: vec![],
        excluded: vec![],
        reasons: vec![
            reason(
                "missing_certificate",
                "教育訓練修了証明書の提出がありません。",
                "seed 003 第1-5-(1)",
            ),
            reason(
                "receipt_field_missing:payer_name",
                "領収書に受講者（支払者）の氏名がありません。",
                "seed 003 第1-5-(3)-イ",
            ),
            reason(
                "receipt_no_seal",
                "領収書に領収印がありません。",
                "seed 003 第1-5-(3)-オ",
            ),
        ],
        ..pay()
    }
}

fn needs_review() -> Decision {
    let mut d = pay();
    d.outcome = Outcome::NeedsReview;
    d.reasons = vec![
        reason(
            "late_application",
            "修了日から30日を過ぎて申請されています。",
            "RULES.md §1.1 E6（例: 飯塚市）",
        ),
        reason(
            "low_confidence:amount_total",
            "領収額の読み取りが不確かです。",
            "RULES.md §1.5",
        ),
    ];
    d.parameters.insert(
        "unconfirmed".to_string(),
        "application_deadline_days".to_string(),
    );
    d
}

fn render(d: &Decision) -> Vec<u8> {
    notice(d, &app(), &Office::default(), templates()).unwrap()
}

#[test]
fn pay_notice_shows_amount_lines_exclusions_kyoji_and_draft_marks() {
    let pdf = render(&pay());
    let (text, pages) = text_of("pay", &pdf);
    assert_eq!(pages, 1);
    assert_has(&text, "自立支援教育訓練給付金支給決定通知書（案）");
    assert_has(&text, "案");
    assert_has(&text, "第　　　　号");
    assert_has(&text, "令和　年　月　日");
    assert_has(&text, "山田 花子　様");
    assert_has(&text, "埼玉県さくら市桜町一丁目2番3号");
    assert_has(&text, "さくら市長");
    assert_has(
            &text,
            "令和8年7月10日付けで申請のあった自立支援教育訓練給付金については、次のとおり決定したので通知します。",
        );
    assert_has(&text, "金59,400円");
    assert_has(&text, "入学料");
    assert_has(&text, "11,000円");
    assert_has(&text, "88,000円");
    let seed_003 =
        "母子家庭自立支援給付金事業の円滑な運営について（平成15年6月30日雇児福発第0630002号）";
    // The 根拠 cites the notice by its short name, and says once what it stands for.
    assert_has(&text, "運営通知第1の3(3)");
    assert_has(&text, &format!("※運営通知：{seed_003}"));
    assert_has(&text, "検定試験受験料");
    assert_has(&text, "5,500円");
    assert_has(&text, "検定試験の受験料は対象外です");
    assert_has(&text, "運営通知第1の3(2)ア");
    assert_has(&text, "申請書に記載された申請者名義の口座へ振り込みます");
    assert_has(&text, "審査請求");
    assert_has(&text, "3か月以内");
    assert_has(&text, "行政不服審査法第18条第1項");
    assert_has(&text, "6か月以内");
    assert_has(&text, "行政事件訴訟法第14条第1項");
    assert_has(&text, "1年を経過すると");
    assert_has(&text, "ひとり親支援係");
    assert!(!text.contains("要確認"), "no review box on a plain draft");
    assert_font_embedded_as_subset("pay", &pdf);
    assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());
}

#[test]
fn deny_notice_lists_every_reason_with_its_citation() {
    let pdf = render(&deny());
    let (text, _) = text_of("deny", &pdf);
    assert_has(&text, "自立支援教育訓練給付金支給不承認決定通知書（案）");
    assert_has(&text, "不承認");
    for r in &deny().reasons {
        assert_has(&text, &r.message);
        assert_has(&text, &format!("（{}）", templates().public_cite(&r.cites)));
    }
    assert_has(&text, "（母子及び父子並びに寡婦福祉法第31条第1号）");
    assert_has(
        &text,
        "（母子及び父子並びに寡婦福祉法施行令第27条（令和6年政令第269号））",
    );
    assert_has(&text, "12,000円");
    assert_has(&text, "審査請求");
    assert_has(&text, "3か月以内");
    assert!(
        !text.contains("支払方法"),
        "a refusal has no payment method"
    );
    assert!(!text.contains("金59,400円"));
    assert_font_embedded_as_subset("deny", &pdf);
}

#[test]
fn correction_request_names_document_field_and_what_to_bring() {
    let pdf = render(&incomplete());
    let (text, _) = text_of("incomplete", &pdf);
    assert_has(&text, "補正依頼書（案）");
    assert_has(
        &text,
        "次の書類に不備がありますので、補正のうえ再度提出してください。",
    );
    for r in &incomplete().reasons {
        assert_has(&text, &r.message);
    }
    assert_has(&text, "教育訓練修了証明書");
    assert_has(&text, "受講者（支払者）氏名が記載された領収書");
    assert_has(&text, "教育訓練施設の領収印が押された領収書");
    assert!(
        !text.contains("審査請求"),
        "a correction request is not a decision: no 教示"
    );
}

#[test]
fn review_draft_is_the_pay_draft_with_a_box_of_review_reasons() {
    let pdf = render(&needs_review());
    let (text, _) = text_of("review", &pdf);
    assert_has(&text, "支給決定通知書（案）");
    assert_has(&text, "要確認");
    assert_has(&text, "修了日から30日を過ぎて申請されています。");
    assert_has(&text, "領収額の読み取りが不確かです。");
    assert_has(&text, "low_confidence:amount_total");
    assert_has(&text, "application_deadline_days");
    assert_has(&text, "金59,400円");
}

#[test]
fn review_draft_without_an_amount_is_a_refusal_draft_without_review_only_reasons() {
    let mut d = deny();
    d.outcome = Outcome::NeedsReview;
    d.reasons.push(reason(
        "parameters_not_covered",
        "この日付に適用する金額の定めがありません。",
        "RULES.md（dated parameters: a date no parameter covers is refused）",
    ));
    let pdf = render(&d);
    let (text, _) = text_of("review-deny", &pdf);
    assert_has(&text, "支給不承認決定通知書（案）");
    assert_has(&text, "要確認");
    // Listed once, in the box: it asks for review, it is no reason to refuse.
    assert_eq!(
        text.matches("この日付に適用する金額の定めがありません。")
            .count(),
        1
    );
    assert_eq!(
        text.matches("算定額が下限額（12,000円）を超えないため")
            .count(),
        2,
        "a refusal reason is both in the box and under 理由"
    );
}

#[test]
fn an_issued_notice_prints_number_and_date_and_no_draft_marks() {
    let mut d = pay();
    d.status = Status::Approved;
    let issue = Issue {
        number: "さ子支第123号".to_string(),
        decided_on: date("2026-07-24"),
    };
    let pdf = issued_notice(&d, &app(), &Office::default(), templates(), &issue).unwrap();
    let (text, _) = text_of("issued", &pdf);
    assert_has(&text, "さ子支第123号");
    assert_has(&text, "令和8年7月24日");
    assert!(!text.contains("（案）"), "{text}");
    assert!(!text.contains('案'), "{text}");
}

#[test]
fn many_exclusions_flow_onto_a_second_page_with_the_header_repeated() {
    let mut d = pay();
    d.excluded = (1..=45)
            .map(|i| Excluded {
                label: format!("補助教材{i}"),
                amount_yen: 1_000 * i,
                category: ItemCategory::OptionalMaterial,
                reason: "受講にあたって必ずしも必要とされない補助教材費は対象外です（長い理由が折り返されることを確かめるための文です）"
                    .to_string(),
                cites: "seed 003 第1-3-(2)-イ".to_string(),
            })
            .collect();
    let pdf = render(&d);
    let (text, pages) = text_of("long", &pdf);
    assert!(pages >= 2, "{pages} pages");
    for i in [1, 23, 45] {
        assert_has(&text, &format!("補助教材{i}"));
    }
    assert_has(&text, "（1／");
    assert_has(&text, &format!("（{pages}／{pages}）"));
    assert!(
        text.matches("対象としなかった理由").count() >= 2,
        "header repeated"
    );
    assert_has(&text, "審査請求");
    assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());
}

fn long_review() -> Decision {
    let mut d = needs_review();
    d.reasons = (1..=60)
        .map(|i| {
            reason(
                &format!("low_confidence:item{i}"),
                &format!("内訳{i}行目の金額の読み取りが不確かです。"),
                "RULES.md §1.5",
            )
        })
        .collect();
    d
}

#[test]
fn a_long_review_box_continues_on_the_next_page() {
    let d = long_review();
    let pdf = render(&d);
    let (text, pages) = text_of("long-review", &pdf);
    assert!(pages >= 2, "{pages} pages");
    for i in [1, 30, 60] {
        assert_has(&text, &format!("内訳{i}行目の金額の読み取りが不確かです。"));
    }
    assert_has(&text, "金59,400円");
}

#[test]
fn the_same_decision_gives_the_same_bytes() {
    let first = render(&pay());
    // Move printpdf's process-wide id counter, as other notices rendered before would.
    let _ = render(&deny());
    let _ = printpdf::FontId::new();
    let second = render(&pay());
    assert_eq!(first, second);
    let other = render(&needs_review());
    assert_ne!(first, other);
}

/// Run by `same_bytes_in_another_process` in a child process; does nothing on its own.
#[test]
#[ignore = "helper: run by same_bytes_in_another_process"]
fn write_pay_notice_for_parent() {
    if let Ok(path) = std::env::var("KYUFU_RENDER_OUT") {
        std::fs::write(path, render(&pay())).unwrap();
    }
}

#[test]
fn same_bytes_in_another_process() {
    let path = std::env::temp_dir().join(format!("kyufu-render-child-{}.pdf", std::process::id()));
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "render::tests::write_pay_notice_for_parent",
            "--include-ignored",
            "--quiet",
        ])
        .env("KYUFU_RENDER_OUT", &path)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    let child = std::fs::read(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(child, render(&pay()));
}

/// `KYUFU_RENDER_SAMPLES=dir cargo test --lib render::tests::write_samples -- --ignored`
/// writes the sample notices for a person to look at.
#[test]
#[ignore = "writes sample PDFs for a person to look at"]
fn write_samples() {
    if let Ok(dir) = std::env::var("KYUFU_RENDER_SAMPLES") {
        for (name, d) in [
            ("pay", pay()),
            ("deny", deny()),
            ("incomplete", incomplete()),
            ("review", needs_review()),
            ("long-review", long_review()),
            ("travel", travel()),
        ] {
            std::fs::write(Path::new(&dir).join(format!("{name}.pdf")), render(&d)).unwrap();
        }
        let (d, a, o) = (stipend(), stipend_app(), Office::default());
        let t = templates();
        let out = |name: &str, pdf: Vec<u8>| {
            std::fs::write(Path::new(&dir).join(format!("{name}.pdf")), pdf).unwrap()
        };
        out("stipend", notice(&d, &a, &o, t).unwrap());
        out(
            "stipend-month",
            month_notice(&d, &a, &o, t, "2026-11").unwrap(),
        );
        out("stipend-schedule", plan_schedule(&d, &a, &o, t).unwrap());
    }
}

/// A stipend (RULES.md §2): 2026-04 to 2027-09, the last 12 months with the 40,000円 addition,
/// 2026-11 unpaid for want of attendance.
fn stipend() -> Decision {
    let mut schedule = Vec::new();
    let mut month = date("2026-04-01");
    while month <= date("2027-09-01") {
        let (amount_yen, code) = if month == date("2026-11-01") {
            (0, Some("no_attendance".to_string()))
        } else if month >= date("2026-10-01") {
            (140_000, None)
        } else {
            (100_000, None)
        };
        schedule.push(crate::decision::ScheduleLine {
            month: month.format("%Y-%m").to_string(),
            amount_yen,
            code,
        });
        month = month.checked_add_months(chrono::Months::new(1)).unwrap();
    }
    Decision {
        benefit: Benefit::Kotoshokugyo,
        amount_yen: schedule.iter().map(|l| l.amount_yen).sum(),
        lines: vec![],
        excluded: vec![],
        applied_on: Some(date("2026-04-03")),
        schedule: Some(schedule),
        ..pay()
    }
}

fn stipend_app() -> Application {
    Application::from_json_bytes(
        r#"{"benefit": "kotoshokugyo", "applied_on": "2026-04-03",
                "applicant": {"name": "山田 花子", "address": "埼玉県さくら市桜町一丁目2番3号"},
                "children": [{"name": "山田 陽菜", "birth_date": "2015-06-01"}],
                "qualification": "看護師",
                "course": {"name": "看護学科", "institution": "さくら看護専門学校",
                           "started_on": "2025-10-01", "ends_on": "2027-09-30"}}"#
            .as_bytes(),
    )
    .unwrap()
}

fn month_name(month: &str) -> String {
    wareki::format_wareki_month(date(&format!("{month}-01")))
}

#[test]
fn stipend_notice_summarises_the_months_and_refers_to_the_schedule() {
    let d = stipend();
    let pdf = notice(&d, &stipend_app(), &Office::default(), templates()).unwrap();
    let (text, _) = text_of("stipend", &pdf);
    assert_has(&text, "高等職業訓練促進給付金等支給決定通知書（案）");
    assert_has(
        &text,
        "令和8年4月3日付けで申請のあった高等職業訓練促進給付金",
    );
    assert_has(&text, &format!("金{}円", notice::format_yen(d.amount_yen)));
    assert_has(&text, "看護師");
    assert_has(&text, "令和8年4月から令和9年9月まで");
    // 2026-04..09 at 100,000; 10; (11 unpaid); 2026-12..2027-09 at 140,000.
    assert_has(&text, "令和8年4月～令和8年9月6か月100,000円600,000円");
    assert_has(
        &text,
        "令和8年9月6か月100,000円600,000円令和8年10月1か月140,000円140,000円",
    );
    assert_has(&text, "令和8年12月～令和9年9月10か月140,000円1,400,000円");
    assert_has(
        &text,
        "令和8年11月当該月に養成機関への出席が1日もなかったため",
    );
    assert_has(&text, "別添の支給予定表");
    assert_has(&text, "審査請求");
    assert_font_embedded_as_subset("stipend", &pdf);
    assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());
}

#[test]
fn stipend_refusal_says_not_paid_with_every_reason() {
    let mut d = stipend();
    d.outcome = Outcome::Deny;
    d.amount_yen = 0;
    d.schedule = None;
    d.reasons = vec![
        reason(
            "same_purpose_benefit",
            "同じ目的の給付（職業訓練受講給付金）を受けています。",
            "RULES.md §2",
        ),
        reason(
            "course_too_short",
            "修業期間が6か月に満たない課程です。",
            "RULES.md §2",
        ),
    ];
    let pdf = notice(&d, &stipend_app(), &Office::default(), templates()).unwrap();
    let (text, _) = text_of("stipend-deny", &pdf);
    assert_has(&text, "高等職業訓練促進給付金等不支給決定通知書（案）");
    assert_has(&text, "不支給（高等職業訓練促進給付金を支給しません。）");
    for r in &d.reasons {
        assert_has(&text, &r.message);
    }
    assert_has(&text, "3か月以内");
}

#[test]
fn a_month_notice_names_the_month_and_why_and_refuses_a_paid_month() {
    let d = stipend();
    let pdf = month_notice(
        &d,
        &stipend_app(),
        &Office::default(),
        templates(),
        "2026-11",
    )
    .unwrap();
    let (text, pages) = text_of("month", &pdf);
    assert_eq!(pages, 1);
    assert_has(
        &text,
        "高等職業訓練促進給付金不支給決定通知書（令和8年11月分）（案）",
    );
    assert_has(&text, "令和8年11月分は次の理由により支給しない");
    assert_has(
        &text,
        "当該月に養成機関への出席が1日もなかったため（母子及び父子並びに寡婦福祉法第31条第2号）",
    );
    assert_has(&text, "審査請求");
    assert_font_embedded_as_subset("month", &pdf);
    assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());

    let paid = month_notice(
        &d,
        &stipend_app(),
        &Office::default(),
        templates(),
        "2026-12",
    );
    assert!(matches!(paid, Err(RenderError::Month { .. })), "{paid:?}");
    let absent = month_notice(
        &d,
        &stipend_app(),
        &Office::default(),
        templates(),
        "2030-01",
    );
    assert!(matches!(absent, Err(RenderError::Month { .. })));

    let again = month_notice(
        &d,
        &stipend_app(),
        &Office::default(),
        templates(),
        "2026-11",
    )
    .unwrap();
    assert_eq!(pdf, again);
}

#[test]
fn the_schedule_lists_every_month_with_its_amount_and_note() {
    let d = stipend();
    let pdf = plan_schedule(&d, &stipend_app(), &Office::default(), templates()).unwrap();
    let (text, _) = text_of("schedule", &pdf);
    assert_has(&text, "高等職業訓練促進給付金支給予定表（案）");
    for line in d.schedule.as_ref().unwrap() {
        let note = if line.code.is_some() {
            "出席なし"
        } else {
            ""
        };
        assert_has(
            &text,
            &format!(
                "{}{}円{note}",
                month_name(&line.month),
                notice::format_yen(line.amount_yen)
            ),
        );
    }
    assert_has(&text, &format!("金{}円", notice::format_yen(d.amount_yen)));
    assert_has(&text, "支給する月17か月");
    assert_font_embedded_as_subset("schedule", &pdf);
    assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());
    assert_eq!(
        pdf,
        plan_schedule(&d, &stipend_app(), &Office::default(), templates()).unwrap()
    );
}

#[test]
fn the_completion_benefit_is_a_one_off_under_the_same_title() {
    let d = Decision {
        benefit: Benefit::KotoshokugyoShuryo,
        amount_yen: 50_000,
        lines: vec![line(
            "修了支援給付金（住民税非課税世帯）",
            50_000,
            "RULES.md §2",
        )],
        excluded: vec![],
        ..pay()
    };
    let pdf = notice(&d, &stipend_app(), &Office::default(), templates()).unwrap();
    let (text, _) = text_of("shuryo", &pdf);
    assert_has(&text, "高等職業訓練促進給付金等支給決定通知書（案）");
    assert_has(&text, "申請のあった高等職業訓練修了支援給付金については");
    assert_has(&text, "金50,000円（高等職業訓練修了支援給付金、一時金）");
    assert_has(&text, "修了支援給付金（住民税非課税世帯）");
    assert_has(&text, "看護学科（さくら看護専門学校）");
    assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());
}

fn travel() -> Decision {
    let day = |d: &str, transport_yen: i64| crate::decision::DayLine {
        date: date(d),
        transport_yen,
        expenses_yen: 470,
        amount_yen: transport_yen + 470,
    };
    let days = vec![
        day("2026-05-01", 840),
        day("2026-05-08", 0),
        day("2026-05-15", 1_000),
    ];
    Decision {
        benefit: Benefit::JukouRyohi,
        amount_yen: days.iter().map(|d| d.amount_yen).sum(),
        lines: vec![],
        excluded: vec![],
        days: Some(days),
        ..pay()
    }
}

#[test]
fn a_travel_notice_lists_each_day_with_transport_and_expenses() {
    let d = travel();
    let pdf = notice(&d, &app(), &Office::default(), templates()).unwrap();
    let (text, _) = text_of("travel", &pdf);
    assert_has(&text, "就業支援講習会受講旅費支給決定通知書（案）");
    for day in d.days.as_ref().unwrap() {
        assert_has(
            &text,
            &format!(
                "{}{}円470円{}円",
                format_wareki(day.date),
                notice::format_yen(day.transport_yen),
                notice::format_yen(day.amount_yen)
            ),
        );
    }
    assert_has(&text, "受講日数3日");
    assert_has(&text, "交通費計金1,840円");
    assert_has(&text, "受講諸費計金1,410円");
    assert_has(&text, &format!("金{}円", notice::format_yen(d.amount_yen)));
    assert_has(&text, "2km未満");
    assert_font_embedded_as_subset("travel", &pdf);
    assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());
}

#[test]
fn yen_amounts_have_half_width_commas() {
    let table = [
        (0, "0"),
        (999, "999"),
        (1_000, "1,000"),
        (59_400, "59,400"),
        (1_600_000, "1,600,000"),
        (-5_000, "-5,000"),
    ];
    for (yen, want) in table {
        assert_eq!(notice::format_yen(yen), want);
    }
}

#[test]
fn a_benefit_with_its_own_template_gets_it_and_the_others_keep_the_general_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("form-templates");
    let dir = std::env::temp_dir().join(format!("kyufu-render-own-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let general = std::fs::read_to_string(src.join("output-notice-pay.toml")).unwrap();
    let own = general
        .replace(
            "id = \"notice.pay\"",
            "id = \"notice.pay\"\nbenefit = \"kotoshokugyo\"",
        )
        .replace("{benefit}支給決定通知書", "{benefit}等支給決定通知書");
    std::fs::write(dir.join("output-notice-pay.kotoshokugyo.toml"), own).unwrap();
    let t = Templates::load(&dir).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    let mut stipend = pay();
    stipend.benefit = Benefit::Kotoshokugyo;
    let pdf = notice(&stipend, &app(), &Office::default(), &t).unwrap();
    assert_has(
        &text_of("own", &pdf).0,
        "高等職業訓練促進給付金等支給決定通知書（案）",
    );
    let pdf = notice(&pay(), &app(), &Office::default(), &t).unwrap();
    assert_has(
        &text_of("general", &pdf).0,
        "自立支援教育訓練給付金支給決定通知書（案）",
    );
}

#[test]
fn missing_templates_are_a_load_error() {
    let dir = std::env::temp_dir().join(format!("kyufu-render-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("output-style.toml"), "").unwrap();
    let err = Templates::load(&dir).err().unwrap().to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(err.contains("notice.pay"), "{err}");
}
