//! Issue 20 as a payment officer sees it on the command line: two generated submissions are read by
//! `kyufu run --once`; a misread amount is corrected (the decision re-runs), the draft is submitted
//! and approved by someone else, and the final notice carries its 文書番号 and the corrected amount
//! without 案. Impossible corrections change nothing; the 年度 counter starts again in April; a
//! tampered audit entry is named by `kyufu audit verify`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::str::FromStr;

use chrono::{FixedOffset, TimeZone};
use rust_decimal::Decimal;
use serde_json::Value;

use kyufu::review::Desk;

use super::{generate, kyufu, pdftotext, run_once, scratch, KYUFU};

/// `kyufu <args>` on `dir` with `config` and `stdin` (passwords), not yet waited for.
pub(crate) fn spawn(
    dir: &Path,
    config: &str,
    args: &[&str],
    stdin: &str,
    env: &[(&str, &str)],
) -> Child {
    let mut child = Command::new(KYUFU)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--config")
        .arg(dir.join(config))
        .arg("--inbox")
        .arg(dir.join("inbox"))
        .arg("--outbox")
        .arg(dir.join("outbox"))
        .arg("--state")
        .arg(dir.join("state"))
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kyufu");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child
}

/// `kyufu <args>` on `dir` with `stdin` fed to it (passwords).
fn kyufu_in(dir: &Path, args: &[&str], stdin: &str) -> Output {
    spawn(dir, "kyufu-test.toml", args, stdin, &[])
        .wait_with_output()
        .unwrap()
}

pub(crate) fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Refused with exit 2 and a Japanese sentence on stderr containing `says`.
pub(crate) fn refused(out: &Output, says: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(says), "expected 「{says}」: {err}");
}

pub(crate) fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn flat(pdf: &Path) -> String {
    pdftotext(pdf).split_whitespace().collect()
}

/// The case kyufu paid and the one it asked to mend (seed 14: a receipt without a seal).
fn cases(dir: &Path) -> (PathBuf, PathBuf) {
    let mut pay = None;
    let mut incomplete = None;
    for e in fs::read_dir(dir.join("outbox")).unwrap().flatten() {
        let d = json(&e.path().join("decision.json"));
        match d["outcome"].as_str().unwrap() {
            "pay" => pay = Some(e.path()),
            "incomplete" => incomplete = Some(e.path()),
            _ => {}
        }
    }
    (
        pay.expect("seed 14 has a case kyufu pays"),
        incomplete.expect("seed 14 has a case kyufu asks to mend"),
    )
}

fn case_id(case_dir: &Path) -> String {
    case_dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// The receipt of a case as first read: its file name and document.
fn receipt(case_dir: &Path) -> (String, Value) {
    let docs = json(&case_dir.join("documents.json"));
    let r = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["doc"]["kind"] == "receipt")
        .expect("a receipt")
        .clone();
    (r["file"].as_str().unwrap().to_string(), r["doc"].clone())
}

fn yen(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("金{out}円")
}

fn users(dir: &Path) {
    ok(
        &kyufu_in(
            dir,
            &["user", "add", "root", "--role", "admin", "--password-stdin"],
            "root-pass-1\n",
        ),
        "the first admin",
    );
    refused(
        &kyufu_in(
            dir,
            &["user", "add", "sato", "--role", "staff", "--password-stdin"],
            "sato-pass-1\n",
        ),
        "管理者",
    );
    for (name, role) in [
        ("sato", "staff"),
        ("yamada", "staff"),
        ("suzuki", "approver"),
        ("tanaka", "approver"),
        ("ito", "approver"),
    ] {
        ok(
            &kyufu_in(
                dir,
                &[
                    "user",
                    "add",
                    name,
                    "--role",
                    role,
                    "--password-stdin",
                    "--as",
                    "root",
                ],
                &format!("root-pass-1\n{name}-pass-1\n"),
            ),
            name,
        );
    }
}

fn pass(user: &str) -> String {
    format!("{user}-pass-1\n")
}

fn correct(dir: &Path, case: &str, target: &str, value: &str, user: &str) -> Output {
    kyufu_in(
        dir,
        &[
            "review",
            "correct",
            case,
            target,
            value,
            "--reason",
            "原本の記載と照合",
            "--as",
            user,
            "--password-stdin",
        ],
        &pass(user),
    )
}

#[test]
fn a_corrected_amount_is_approved_by_another_person_and_printed_with_its_number() {
    let dir = scratch("review-desk");
    generate(&dir, 2, 14);
    run_once(&dir, "");
    users(&dir);
    let (paid, mended) = cases(&dir);
    let (case, other) = (case_id(&paid), case_id(&mended));
    let first_reading = fs::read(paid.join("documents.json")).unwrap();
    let before = json(&paid.join("decision.json"));
    let (file, doc) = receipt(&paid);

    // A wrong password is refused, and changes nothing.
    let tuition = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .position(|i| i["category"] == "tuition")
        .expect("a tuition line");
    let item = format!("{file}#items[{tuition}].amount");
    let out = kyufu_in(
        &dir,
        &[
            "review",
            "correct",
            &case,
            &item,
            "1",
            "--reason",
            "x",
            "--as",
            "sato",
            "--password-stdin",
        ],
        "not-the-password\n",
    );
    refused(&out, "パスワードが正しくありません");

    // The tuition line was misread 10,000円 too high, and the total with it.
    let misread = doc["items"][tuition]["amount"].as_i64().unwrap();
    let total = doc["fields"]["amount_total"]["value"].as_i64().unwrap();
    let first = ok(
        &correct(&dir, &case, &item, &(misread - 10_000).to_string(), "sato"),
        "item",
    );
    assert!(first.contains('→'), "before → after: {first}");
    let out = ok(
        &correct(
            &dir,
            &case,
            &format!("{file}#amount_total"),
            &(total - 10_000).to_string(),
            "sato",
        ),
        "total",
    );
    let after = json(&paid.join("decision.json"));
    // What the rules give on the corrected receipt: the eligible cost 10,000円 less, times the rate.
    let eligible = before["lines"][0]["amount_yen"].as_i64().unwrap();
    let rate = Decimal::from_str(before["parameters"]["rate"].as_str().unwrap()).unwrap();
    let cap: i64 = before["parameters"]["cap_yen"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let expected = i64::try_from((Decimal::from(eligible - 10_000) * rate).floor())
        .unwrap()
        .min(cap);
    assert_ne!(expected, before["amount_yen"].as_i64().unwrap());
    assert_eq!(after["outcome"], "pay", "{after}");
    assert_eq!(after["amount_yen"], expected, "{after}");
    assert!(
        first.contains(&yen(before["amount_yen"].as_i64().unwrap()))
            && out.contains(&format!("→ 支給 {}", yen(expected))),
        "prints the amount before and after: {first} {out}"
    );
    assert_eq!(
        fs::read(paid.join("documents.json")).unwrap(),
        first_reading,
        "the first reading stays as read"
    );
    let show: Value = serde_json::from_str(&ok(
        &kyufu(&dir, &["review", "show", &case, "--json"]),
        "show",
    ))
    .unwrap();
    let text = ok(&kyufu(&dir, &["review", "show", &case]), "show as text");
    assert!(
        text.contains(&format!("{item}: {misread} → {}", misread - 10_000)),
        "the history line for staff: {text}"
    );
    assert!(text.contains("[訂正済み]"), "{text}");
    let history = show["corrections"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["old"], misread);
    assert_eq!(history[0]["new"], misread - 10_000);
    assert_eq!(history[0]["by"], "sato");
    assert_eq!(history[0]["source"], "person");

    // 起案; the drafter cannot approve; an approver does.
    ok(
        &kyufu_in(
            &dir,
            &["submit", &case, "--as", "sato", "--password-stdin"],
            &pass("sato"),
        ),
        "submit",
    );
    refused(
        &correct(&dir, &case, &format!("{file}#amount_total"), "1", "sato"),
        "決裁待ち",
    );
    refused(
        &kyufu_in(
            &dir,
            &["approve", &case, "--as", "sato", "--password-stdin"],
            &pass("sato"),
        ),
        "決裁",
    );
    let out = ok(
        &kyufu_in(
            &dir,
            &[
                "approve",
                &case,
                "--as",
                "tanaka",
                "--password-stdin",
                "--json",
            ],
            &pass("tanaka"),
        ),
        "approve",
    );
    let approved: Value = serde_json::from_str(out.trim()).unwrap();
    let number = approved["document_number"].as_str().unwrap().to_string();
    assert_eq!(number, "さ子支第1号", "the first approval of the 年度");
    let today = chrono::Local::now().date_naive().to_string();
    let d = json(&paid.join("decision.json"));
    assert_eq!(d["status"], "approved");
    assert_eq!(d["document_number"], number.as_str());
    assert_eq!(d["decided_on"], today.as_str());
    assert_eq!(d["drafted_by"], "sato");
    assert_eq!(d["approved_by"], "tanaka");
    assert_eq!(d["amount_yen"], expected);
    let notice = paid.join("final/notice.pdf");
    let text = flat(&notice);
    assert!(text.contains(&number), "{text}");
    assert!(text.contains(&yen(expected)), "{text}");
    assert!(!text.contains('案'), "{text}");
    assert_eq!(
        approved["notice_sha256"],
        kyufu::run::files::sha256_hex(&fs::read(&notice).unwrap()).as_str()
    );

    // Impossible corrections get a Japanese reason and change nothing.
    let (file2, _) = receipt(&mended);
    let untouched = fs::read(mended.join("decision.json")).unwrap();
    for (field, value, says) in [
        ("issued_on", "令和99年1月1日", "ありえない日付"),
        ("issued_on", "2026-02-30", "日付として正しくありません"),
        ("amount_total", "-5000", "負の金額"),
        ("payer_name", "山田\u{7}花子", "制御文字"),
        ("issuer_name", &"a".repeat(100_000), "長すぎます"),
        ("no_such_field", "1", "項目はありません"),
    ] {
        refused(
            &correct(&dir, &other, &format!("{file2}#{field}"), value, "sato"),
            says,
        );
    }
    refused(
        &correct(&dir, &other, "nothing.jpg#amount_total", "1", "sato"),
        "書類はありません",
    );
    assert_eq!(fs::read(mended.join("decision.json")).unwrap(), untouched);
    let show: Value = serde_json::from_str(&ok(
        &kyufu(&dir, &["review", "show", &other, "--json"]),
        "show",
    ))
    .unwrap();
    assert_eq!(show["corrections"].as_array().unwrap().len(), 0);

    // Wrong passwords slow down: after the fourth in a row, even the right one waits.
    for _ in 0..4 {
        refused(
            &kyufu_in(
                &dir,
                &["submit", &other, "--as", "yamada", "--password-stdin"],
                "guess\n",
            ),
            "パスワードが正しくありません",
        );
    }
    refused(
        &kyufu_in(
            &dir,
            &["submit", &other, "--as", "yamada", "--password-stdin"],
            &pass("yamada"),
        ),
        "秒は受け付けません",
    );

    fiscal_years_and_a_correction_after_approval(&dir, &mended, &file2);

    // The queue shows both cases decided, with their numbers.
    let list: Value =
        serde_json::from_str(&ok(&kyufu(&dir, &["review", "list", "--json"]), "list")).unwrap();
    let decided: Vec<&Value> = list["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["state_ja"] == "決定済み")
        .collect();
    assert_eq!(decided.len(), 2, "{list}");

    let payer = doc["fields"]["payer_name"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    audit_tampering_is_found(&dir, &payer);
}

/// Through the library, with the clock set: approvals on 31 March and 1 April take numbers from
/// two counters; neither the drafter nor a corrector may approve; a correction after approval makes
/// a new decision that supersedes the approved one, which stays.
fn fiscal_years_and_a_correction_after_approval(dir: &Path, case_dir: &Path, file: &str) {
    let case = case_id(case_dir);
    let mut cfg = kyufu::config::Config::load(Some(&dir.join("kyufu-test.toml"))).unwrap();
    cfg.outbox = dir.join("outbox");
    cfg.state = dir.join("state");
    cfg.inbox = dir.join("inbox");
    let mut desk = Desk::open(&cfg).unwrap();
    let jst = FixedOffset::east_opt(9 * 3600).unwrap();
    let at = |y, m, d| jst.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap();
    let march = at(2027, 3, 31);
    let april = at(2027, 4, 1);
    let login =
        |desk: &mut Desk, name: &str| desk.login(name, &format!("{name}-pass-1"), march).unwrap();
    let (suzuki, tanaka, ito, sato) = (
        login(&mut desk, "suzuki"),
        login(&mut desk, "tanaka"),
        login(&mut desk, "ito"),
        login(&mut desk, "sato"),
    );
    // The seal was there: read as missing.
    let c = desk
        .correct(
            &tanaka,
            &case,
            &format!("{file}#seal_present"),
            "あり",
            "領収印あり（原本確認）",
            march,
        )
        .unwrap();
    assert_eq!(c.after.outcome, kyufu::decision::Outcome::Pay, "{c:?}");
    desk.submit(&suzuki, &case, march).unwrap();
    let e = desk.approve(&suzuki, &case, march).unwrap_err();
    assert!(
        e.is_refusal() && e.to_string().contains("起案した人"),
        "{e}"
    );
    let e = desk.approve(&tanaka, &case, march).unwrap_err();
    assert!(
        e.is_refusal() && e.to_string().contains("訂正した人"),
        "{e}"
    );
    let in_march = desk.approve(&ito, &case, march).unwrap();
    assert_eq!(
        in_march.document_number, "さ子支第2号",
        "2026年度, after the first"
    );
    assert_eq!(in_march.decided_on.to_string(), "2027-03-31");

    // After approval: the first line's label tidied (the amount stays).
    let c = desk
        .correct(
            &sato,
            &case,
            &format!("{file}#items[0].label"),
            "入学料",
            "表記の訂正",
            april,
        )
        .unwrap();
    let redrafted = json(&case_dir.join("decision.json"));
    assert_eq!(redrafted["status"], "draft");
    assert_eq!(redrafted["supersedes"], "さ子支第2号");
    assert_eq!(c.after.amount_yen, in_march.amount_yen);
    let kept = json(&case_dir.join("final/decision.json"));
    assert_eq!(
        kept["document_number"], "さ子支第2号",
        "the approved decision stays"
    );
    desk.submit(&sato, &case, april).unwrap();
    let in_april = desk.approve(&ito, &case, april).unwrap();
    assert_eq!(
        in_april.document_number, "さ子支第1号",
        "2027年度 counts from 1"
    );
    let d = json(&case_dir.join("decision.json"));
    assert_eq!(d["supersedes"], "さ子支第2号");
    assert_eq!(d["decided_on"], "2027-04-01");
    let superseded: Vec<PathBuf> = fs::read_dir(case_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("superseded-")
        })
        .collect();
    assert_eq!(superseded.len(), 1);
    assert!(flat(&superseded[0].join("notice.pdf")).contains("さ子支第2号"));
    assert!(flat(&case_dir.join("final/notice.pdf")).contains("さ子支第1号"));

    // What the bank file will pay: each case once, the later approval in force.
    let payments = desk.approved_payments().unwrap();
    assert_eq!(payments.len(), 2, "{payments:?}");
    let p = payments.iter().find(|p| p.case_id == case).unwrap();
    assert_eq!(p.document_number, "さ子支第1号");
    assert_eq!(p.decided_on.to_string(), "2027-04-01");
}

fn audit_tampering_is_found(dir: &Path, applicant: &str) {
    let out = kyufu(dir, &["audit", "verify"]);
    let text = ok(&out, "an untouched log verifies");
    assert!(text.contains("途切れていません"), "{text}");
    let db = rusqlite::Connection::open(dir.join("state/journal.sqlite")).unwrap();
    let family = applicant.split_whitespace().next().unwrap();
    let no_names: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE instr(detail || action || COALESCE(case_id, ''), ?1) > 0",
            [family],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(no_names, 0, "audit entries carry ids, not names");
    assert!(
        db.execute("UPDATE audit SET user_id = 4 WHERE id = 5", [])
            .is_err(),
        "the log refuses edits"
    );
    // Someone with the file in hand removes the guard and edits an entry.
    db.execute_batch("DROP TRIGGER audit_no_update; UPDATE audit SET user_id = 4 WHERE id = 5;")
        .unwrap();
    drop(db);
    let out = kyufu(dir, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("第5項"), "names the entry: {text}");
}
