//! Issue 4 as staff see it: application-only submissions for the monthly stipend, the 修了支援給付金
//! and the 受講旅費 go through `kyufu run --once`, and the plan commands print their PDFs.

use std::fs;
use std::path::Path;

use serde_json::{json, Value};

use super::{kyufu, pdftotext, run_once, scratch};

fn submit(dir: &Path, name: &str, app: &Value) {
    let sub = dir.join("inbox").join(name);
    fs::create_dir_all(&sub).unwrap();
    fs::write(
        sub.join("application.json"),
        serde_json::to_vec_pretty(app).unwrap(),
    )
    .unwrap();
}

fn decision_of(dir: &Path, submission: &str) -> (std::path::PathBuf, Value) {
    for e in fs::read_dir(dir.join("outbox")).unwrap().flatten() {
        let d: Value =
            serde_json::from_slice(&fs::read(e.path().join("decision.json")).unwrap()).unwrap();
        if d["submission"] == submission {
            return (e.path(), d);
        }
    }
    panic!("no decision for {submission}");
}

fn flat(pdf: &Path) -> String {
    pdftotext(pdf).split_whitespace().collect()
}

#[test]
fn the_stipend_travel_allowance_and_completion_benefit_are_decided_with_their_plans() {
    let dir = scratch("benefits");
    let applicant =
        json!({"name": "山田 花子", "birth_date": "1990-04-01", "address": "さくら市中央1-1"});
    let children = json!([{"name": "山田 陽菜", "birth_date": "2015-06-01"}]);
    // 高等職業訓練促進給付金: exempt household, course 2026-04 to 2027-03 (12 months, all in the
    // last 12 months of the course: 100,000 + 40,000 a month); August with no attendance and no
    // scheduled break is not paid.
    submit(
        &dir,
        "stipend",
        &json!({
            "benefit": "kotoshokugyo", "applied_on": "2026-04-01", "applicant": applicant,
            "children": children, "child_support_allowance": "full", "resident_tax": "exempt",
            "prior_receipt": false, "qualification": "准看護師",
            "course": {"name": "准看護科", "institution": "学校法人さくら学園", "started_on": "2026-04-01",
                       "ends_on": "2027-03-31"},
            "attendance": [{"month": "2026-08", "days": 0, "scheduled_break": false}]
        }),
    );
    // 受講旅費: two days, one under 2 km on foot (fare 0), one with a 1,200円 fare capped at 1,000円.
    submit(
        &dir,
        "travel",
        &json!({
            "benefit": "jukou_ryohi", "applied_on": "2026-05-20", "applicant": applicant,
            "children": children, "single_parent_since": "2021-03-01", "course_applied_on": "2026-04-10",
            "prior_year_income_tax_yen": 0,
            "days": [{"date": "2026-05-01", "fare_yen": 840, "walking_km": 1.5},
                     {"date": "2026-05-08", "fare_yen": 1200, "walking_km": 6.0}]
        }),
    );
    run_once(&dir, "");

    let (case, d) = decision_of(&dir, "stipend");
    let schedule = d["schedule"].as_array().expect("a schedule");
    let aug = schedule.iter().find(|l| l["month"] == "2026-08").unwrap();
    assert_eq!(aug["amount_yen"], 0);
    assert_eq!(aug["code"], "no_attendance");
    let sep = schedule.iter().find(|l| l["month"] == "2026-09").unwrap();
    assert_eq!(
        sep["amount_yen"], 140_000,
        "exempt 100,000 + 40,000 in the last 12 months"
    );
    let total: i64 = schedule
        .iter()
        .map(|l| l["amount_yen"].as_i64().unwrap())
        .sum();
    assert_eq!(d["amount_yen"].as_i64().unwrap(), total);
    let plan = flat(&case.join("plan.pdf"));
    assert!(plan.contains("支給予定表"), "{plan}");
    assert!(plan.contains("140,000"), "{plan}");
    let month = flat(&case.join("notice-2026-08.pdf"));
    assert!(
        month.contains("出席"),
        "the month's 不支給 notice says why: {month}"
    );

    let (case, d) = decision_of(&dir, "travel");
    assert_eq!(d["outcome"], "pay", "{d}");
    // Day 1: under 2 km → 0 + 470; day 2: 1,000 (cap) + 470.
    assert_eq!(d["amount_yen"], 470 + 1_470);
    let notice = flat(&case.join("notice.pdf"));
    assert!(
        notice.contains("1,940") || notice.contains("金1,940円"),
        "{notice}"
    );
}

#[test]
fn plan_commands_print_the_program_plan_and_refuse_a_parent_child_plan_that_fails_the_rules() {
    let dir = scratch("plans-cli");
    let program = dir.join("program.json");
    fs::write(&program, serde_json::to_vec(&json!({
        "case_id": "2026-P-0001", "drawn_up_on": "2026-03-10",
        "applicant": {"name": "山田 花子", "birth_date": "1990-04-01"},
        "goal": {"employment": "看護師として病院に常勤で就職", "qualification": "看護師"},
        "supports": [{"kind": "kotoshokugyo", "detail": "さくら看護専門学校"},
                     {"kind": "child_support_consultation", "detail": "養育費等相談支援センターの紹介"}]
    })).unwrap()).unwrap();
    let out = kyufu(
        &dir,
        &[
            "plan",
            "program",
            &program.display().to_string(),
            "-o",
            &dir.join("program.pdf").display().to_string(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = flat(&dir.join("program.pdf"));
    assert!(
        text.contains("自立支援プログラム計画書") && text.contains("看護師として病院に常勤で就職"),
        "{text}"
    );

    // Violence is feared: refused, whatever else holds (seed 000 5-(1)-カ-(オ)-b).
    let pc = dir.join("pc.json");
    fs::write(&pc, serde_json::to_vec(&json!({
        "applied_on": "2026-05-01", "consultation": {"father": "2026-04-20", "mother": "2026-04-21"},
        "applicant": {"name": "山田 太郎", "role": "father", "lives_with_children": false},
        "other_parent": {"name": "鈴木 花子", "role": "mother", "lives_with_children": true},
        "children": [{"name": "鈴木 陽菜", "birth_date": "2018-06-01", "sex": "female"}],
        "terms": {"type": "continuing", "frequency": "monthly"},
        "eligibility": {"custodial_receives_allowance": true, "noncustodial_same_income_level": true,
                        "arrangement": true, "both_agree": true, "supported_before": false,
                        "risk_of_violence": true, "risk_of_abuse": false, "risk_of_abduction": false}
    })).unwrap()).unwrap();
    let out = kyufu(
        &dir,
        &[
            "plan",
            "parent-child",
            &pc.display().to_string(),
            "--as-of",
            "2026-05-01",
            "-o",
            &dir.join("pc.pdf").display().to_string(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("不承認"));
    let text = flat(&dir.join("pc.pdf"));
    assert!(
        text.contains("暴力"),
        "the refusal names the reason: {text}"
    );
}
