//! Issue 20 as an applicant reads it: every notice kyufu prints cites the law the way an applicant
//! can look it up (the 法令 and its 条項, or the 通知's name, date, number and item), never kyufu's
//! internal references, while `decision.json` keeps the internal citation for the reviewer. And
//! the 受講旅費's 2 km rule read from `application.json`'s number, on either side of the limit.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{corpus_run, pdftotext, run_once, scratch};

/// What a notice must never show an applicant: a seed file, a RULES.md section, a URL.
const INTERNAL: [&str; 4] = ["seed ", "RULES.md", "§", "http"];

/// seed 003 as a notice names it: title, date and number from the seed's own header.
const SEED_003: &str =
    "母子家庭自立支援給付金事業の円滑な運営について（平成15年6月30日雇児福発第0630002号）";

fn submit(dir: &Path, name: &str, app: &Value) {
    let sub = dir.join("inbox").join(name);
    fs::create_dir_all(&sub).unwrap();
    fs::write(
        sub.join("application.json"),
        serde_json::to_vec_pretty(app).unwrap(),
    )
    .unwrap();
}

/// Every case folder of `dir/outbox` with its decision.
fn cases(dir: &Path) -> Vec<(PathBuf, Value)> {
    let mut v: Vec<(PathBuf, Value)> = fs::read_dir(dir.join("outbox"))
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let json = fs::read(e.path().join("decision.json")).ok()?;
            Some((e.path(), serde_json::from_slice(&json).unwrap()))
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Each notice PDF of a case folder (`notice.pdf`, `notice-YYYY-MM.pdf`) with its text.
fn notices(case: &Path) -> Vec<(PathBuf, String)> {
    let mut v: Vec<(PathBuf, String)> = fs::read_dir(case)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("notice") && name.ends_with(".pdf")
        })
        .map(|p| {
            let text = pdftotext(&p);
            (p, text)
        })
        .collect();
    v.sort();
    v
}

fn assert_no_internal_reference(pdf: &Path, text: &str) {
    for word in INTERNAL {
        assert!(
            !text.contains(word),
            "{} shows 「{word}」 to the applicant:\n{text}",
            pdf.display()
        );
    }
}

/// The internal citations of a decision: its lines, exclusions and reasons.
fn internal_cites(d: &Value) -> Vec<String> {
    ["lines", "excluded", "reasons"]
        .iter()
        .flat_map(|k| d[*k].as_array().cloned().unwrap_or_default())
        .filter_map(|x| x["cites"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn no_notice_of_the_corpus_shows_an_internal_reference_and_decisions_keep_theirs() {
    let dir = corpus_run();
    let all = cases(dir);
    assert!(!all.is_empty());
    let mut seed_003_cited = 0;
    for (case, d) in &all {
        let printed = notices(case);
        assert!(!printed.is_empty(), "no notice in {}", case.display());
        for (pdf, text) in &printed {
            assert_no_internal_reference(pdf, text);
        }
        let cites = internal_cites(d);
        if cites.iter().any(|c| c.starts_with("seed 003")) {
            // decision.json keeps the internal citation; the notice prints the public one.
            let flat: String = printed[0].1.split_whitespace().collect();
            assert!(
                flat.contains(&format!("※運営通知：{SEED_003}")),
                "{}: seed 003 cited without its public name:\n{flat}",
                case.display()
            );
            seed_003_cited += 1;
        }
    }
    assert!(
        seed_003_cited > 0,
        "the corpus has decisions citing seed 003"
    );
}

#[test]
fn the_travel_fare_is_paid_from_two_km_walking_and_every_notice_cites_publicly() {
    let dir = scratch("cites");
    let applicant =
        json!({"name": "山田 花子", "birth_date": "1990-04-01", "address": "さくら市中央1-1"});
    let children = json!([{"name": "山田 陽菜", "birth_date": "2015-06-01"}]);
    let travel = |km: Value| {
        json!({
            "benefit": "jukou_ryohi", "applied_on": "2026-05-20", "applicant": applicant,
            "children": children, "single_parent_since": "2021-03-01",
            "course_applied_on": "2026-04-10", "prior_year_income_tax_yen": 0,
            "days": [{"date": "2026-05-01", "fare_yen": 840, "walking_km": km}]
        })
    };
    // seed 000 5-(1)-イ-(イ)-b-(c): 「片道２キロメートル未満であるものを除く」.
    submit(&dir, "walk-2.0", &travel(json!(2.0)));
    submit(&dir, "walk-1.99", &travel(json!(1.99)));
    // A stipend with a month without attendance (a per-month 不支給 notice), and a training-cost
    // application without its receipt and certificate (a 補正依頼 citing seed 003).
    submit(
        &dir,
        "stipend",
        &json!({
            "benefit": "kotoshokugyo", "applied_on": "2026-04-01", "applicant": applicant,
            "children": children, "child_support_allowance": "full", "resident_tax": "exempt",
            "prior_receipt": false, "qualification": "准看護師",
            "course": {"name": "准看護科", "institution": "学校法人さくら学園",
                       "started_on": "2026-04-01", "ends_on": "2027-03-31"},
            "attendance": [{"month": "2026-08", "days": 0, "scheduled_break": false}]
        }),
    );
    submit(
        &dir,
        "training",
        &json!({
            "benefit": "kyoiku_kunren", "applied_on": "2026-07-10", "applicant": applicant,
            "children": children, "independence_program_on": "2025-12-01", "prior_receipt": false,
            "employment_insurance": {"entitled": false, "benefit_yen": 0},
            "course": {"name": "介護職員初任者研修", "institution": "学校法人さくら学園",
                       "kind": "general", "designated_on": "2025-12-20",
                       "started_on": "2026-01-10", "completed_on": "2026-06-30"}
        }),
    );
    run_once(&dir, "");

    let all = cases(&dir);
    let by = |submission: &str| {
        all.iter()
            .find(|(_, d)| d["submission"] == submission)
            .unwrap_or_else(|| panic!("no decision for {submission}"))
    };
    for (km, fare) in [("walk-2.0", 840), ("walk-1.99", 0)] {
        let (case, d) = by(km);
        assert_eq!(d["outcome"], "pay", "{km}: {d}");
        assert_eq!(d["amount_yen"], fare + 470, "{km}");
        assert_eq!(d["days"][0]["transport_yen"], fare, "{km}");
        let flat: String = pdftotext(&case.join("notice.pdf"))
            .split_whitespace()
            .collect();
        // The 根拠 of the travel lines: the 要綱 by its short name and item, and once by its
        // title (the seed gives neither its date nor its number).
        assert!(flat.contains("実施要綱5(1)イ(イ)b(c)"), "{km}:\n{flat}");
        assert!(
            flat.contains("※実施要綱：母子家庭等就業・自立支援事業実施要綱"),
            "{km}:\n{flat}"
        );
        assert!(
            internal_cites(d)
                .iter()
                .any(|c| c == "seed 000 5-(1)-イ-(イ)-b-(c)"),
            "{km}: decision.json keeps the internal citation: {d}"
        );
    }

    let (case, d) = by("training");
    assert_eq!(d["outcome"], "incomplete", "{d}");
    let flat: String = pdftotext(&case.join("notice.pdf"))
        .split_whitespace()
        .collect();
    assert!(flat.contains("運営通知第1の5(2)"), "{flat}");
    assert!(flat.contains("運営通知第1の5(1)"), "{flat}");
    assert!(flat.contains(&format!("※運営通知：{SEED_003}")), "{flat}");
    assert!(
        internal_cites(d).iter().any(|c| c == "seed 003 第1-5-(2)"),
        "{d}"
    );

    let (case, _) = by("stipend");
    let month: String = pdftotext(&case.join("notice-2026-08.pdf"))
        .split_whitespace()
        .collect();
    assert!(
        month.contains("母子及び父子並びに寡婦福祉法第31条第2号"),
        "{month}"
    );

    for (case, _) in &all {
        for (pdf, text) in notices(case) {
            assert_no_internal_reference(&pdf, &text);
        }
    }
}
