//! Issue 21 as a payment officer sees it: a generated submission kyufu pays (seed 14's first) is
//! read by `kyufu run --once`, drafted and approved, then `kyufu export-payments` writes the 総合振込
//! file and its CSV; the file passes `--verify`; a second export finds nothing new; a cancelled batch
//! returns its payment, which the next export pays again; SIGKILL at random points of an export never
//! leaves a payment in two live batches, a batch without its file or a file without its batch; a bad
//! account number is held with its reason and nothing is exported.

mod walkthrough;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use kyufu::journal::Journal;
use kyufu::payment::zengin;

use super::review::{json, ok, refused, spawn};
use super::{format_yen, generate, pdftotext, run_once, scratch};

const PAYMENT: &str = "[payment]
remitter_code = \"1234567890\"
remitter_name_kana = \"ｻｲﾀﾏｼ ｺﾄﾞﾓｶﾃｲｶ\"
bank_code = \"0001\"
bank_name_kana = \"ﾃｽﾄｷﾞﾝｺｳ\"
branch_code = \"001\"
branch_name_kana = \"ﾎﾝﾃﾝ\"
account_type = \"ordinary\"
account_number = \"1234567\"
";

fn kyufu_as(dir: &Path, args: &[&str], user: &str) -> Output {
    spawn(dir, "kyufu-pay.toml", args, &pass(user), &[])
        .wait_with_output()
        .unwrap()
}

fn pass(user: &str) -> String {
    format!("{user}-pass-1\n")
}

/// The first bank business day after today (the file's 振込指定日).
fn pay_date() -> String {
    kyufu::payment::calendar::next_business_day(chrono::Local::now().date_naive())
        .expect("the holiday table covers the next business day")
        .to_string()
}

/// Seed 14's two submissions read, users added, the paid case drafted and approved; returns the
/// paid case's id and its decision. `edit` changes the paid submission's application.json first.
fn approved_case(dir: &Path, edit: impl FnOnce(&mut Value)) -> (String, Value) {
    generate(dir, 2, 14);
    let mut subs: Vec<PathBuf> = fs::read_dir(dir.join("inbox"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    subs.sort();
    let app_path = subs[0].join("application.json");
    let mut app = json(&app_path);
    edit(&mut app);
    fs::write(&app_path, serde_json::to_vec_pretty(&app).unwrap()).unwrap();
    run_once(dir, "");
    add_users(dir);
    let mut paid = None;
    for e in fs::read_dir(dir.join("outbox")).unwrap().flatten() {
        let Ok(bytes) = fs::read(e.path().join("decision.json")) else {
            continue;
        };
        let d: Value = serde_json::from_slice(&bytes).unwrap();
        if d["outcome"] == "pay" {
            paid = Some((e.file_name().to_string_lossy().into_owned(), d));
        }
    }
    let (case, decision) = paid.expect("seed 14's first submission is paid");
    submit_and_approve(dir, &case);
    (case, decision)
}

/// The configs (with and without `[payment]`) and the users: root (admin), sato (staff), suzuki
/// (approver).
fn add_users(dir: &Path) {
    fs::write(
        dir.join("kyufu-pay.toml"),
        format!("settle_ms = 0\n{PAYMENT}"),
    )
    .unwrap();
    fs::write(dir.join("kyufu-none.toml"), "settle_ms = 0\n").unwrap();
    let add = |name: &str, role: &str, stdin: String, by_root: bool| {
        let mut args = vec!["user", "add", name, "--role", role, "--password-stdin"];
        if by_root {
            args.extend(["--as", "root"]);
        }
        let out = spawn(dir, "kyufu-pay.toml", &args, &stdin, &[])
            .wait_with_output()
            .unwrap();
        ok(&out, name);
    };
    add("root", "admin", pass("root"), false);
    for (name, role) in [("sato", "staff"), ("suzuki", "approver")] {
        add(name, role, format!("{}{}", pass("root"), pass(name)), true);
    }
}

/// 起案 by sato, 決裁 by suzuki.
fn submit_and_approve(dir: &Path, case: &str) {
    ok(
        &kyufu_as(
            dir,
            &["submit", case, "--as", "sato", "--password-stdin"],
            "sato",
        ),
        "submit",
    );
    ok(
        &kyufu_as(
            dir,
            &["approve", case, "--as", "suzuki", "--password-stdin"],
            "suzuki",
        ),
        "approve",
    );
}

fn export(dir: &Path, date: &str) -> Value {
    let out = kyufu_as(
        dir,
        &[
            "export-payments",
            "--date",
            date,
            "--json",
            "--as",
            "suzuki",
            "--password-stdin",
        ],
        "suzuki",
    );
    serde_json::from_str(ok(&out, "export").trim()).unwrap()
}

fn verify(dir: &Path, file: &Path) -> Output {
    spawn(
        dir,
        "kyufu-pay.toml",
        &["export-payments", "--verify", &file.display().to_string()],
        "",
        &[],
    )
    .wait_with_output()
    .unwrap()
}

fn journal(dir: &Path) -> Journal {
    Journal::open(&dir.join("state").join("journal.sqlite")).unwrap()
}

/// What must hold whenever no export is running, and where a kill may have left things: every
/// approval in at most one live batch, every recorded batch's files on disk with the recorded
/// sha256. Returns the live batches paying `case`.
fn invariants(dir: &Path, case: &str) -> Vec<i64> {
    let j = journal(dir);
    let mut live = Vec::new();
    for b in j.payment_batches().unwrap() {
        let folder = dir.join("outbox/payments").join(format!("{:04}", b.id));
        let bytes = fs::read(folder.join(&b.file_name))
            .unwrap_or_else(|_| panic!("batch {} recorded without its file", b.id));
        assert_eq!(kyufu::run::files::sha256_hex(&bytes), b.sha256);
        assert!(folder.join(&b.csv_name).exists(), "batch {} csv", b.id);
        let list = b
            .list_name
            .as_deref()
            .expect("the 振込明細一覧 is recorded");
        let list_bytes =
            fs::read(folder.join(list)).unwrap_or_else(|_| panic!("batch {} list", b.id));
        assert_eq!(
            Some(kyufu::run::files::sha256_hex(&list_bytes)),
            b.list_sha256
        );
        if b.state != "cancelled" {
            for p in j.batch_payments(b.id).unwrap() {
                if p.case_id == case {
                    live.push(b.id);
                }
            }
        }
    }
    assert!(live.len() <= 1, "one payment in two live batches: {live:?}");
    live
}

/// Every folder under outbox/payments is a recorded batch.
fn no_unrecorded_files(dir: &Path) {
    let ids: Vec<String> = journal(dir)
        .payment_batches()
        .unwrap()
        .iter()
        .map(|b| format!("{:04}", b.id))
        .collect();
    for e in fs::read_dir(dir.join("outbox/payments")).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(ids.contains(&name), "{name} is in no recorded batch");
    }
}

#[test]
fn an_approved_payment_is_exported_once_verified_cancelled_and_exported_again() {
    let dir = scratch("payments-export");
    // ヲ has no place in a bank name: written ｵ, and listed for a person to confirm.
    // A bank code the 全銀 code list does not have: the bank would reject it; listed to confirm.
    let (case, decision) = approved_case(&dir, |app| {
        app["bank"]["holder_kana"] = Value::from("ヲノ ハナコ");
        app["bank"]["bank_code"] = Value::from("9998");
    });
    let amount = decision["amount_yen"].as_i64().unwrap();
    let date = pay_date();

    // Without [payment] the export refuses, naming what to set.
    let out = spawn(
        &dir,
        "kyufu-none.toml",
        &[
            "export-payments",
            "--date",
            &date,
            "--as",
            "suzuki",
            "--password-stdin",
        ],
        &pass("suzuki"),
        &[],
    )
    .wait_with_output()
    .unwrap();
    refused(&out, "remitter_code（振込依頼人コード）");
    // 担当者 do not release money.
    refused(
        &kyufu_as(
            &dir,
            &[
                "export-payments",
                "--date",
                &date,
                "--as",
                "sato",
                "--password-stdin",
            ],
            "sato",
        ),
        "決裁者または管理者",
    );

    let first = export(&dir, &date);
    assert_eq!(first["count"], 1, "{first}");
    assert_eq!(first["total_yen"], amount);
    assert_eq!(first["held"].as_array().unwrap().len(), 0, "{first}");
    assert_eq!(first["to_confirm"][0]["case_id"], case.as_str(), "{first}");
    let codes: Vec<&str> = first["to_confirm"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"wo_as_o"), "{codes:?}");
    assert!(codes.contains(&"bank_code_not_listed"), "{codes:?}");
    let file = PathBuf::from(first["batch"]["file"].as_str().unwrap());
    let bytes = fs::read(&file).unwrap();
    assert_eq!(bytes.len(), 4 * 122, "four 120-byte records with CRLF");
    let read = zengin::read_file(&bytes).unwrap();
    assert_eq!(read.records.len(), 1);
    assert_eq!(read.records[0].amount_yen, amount);
    assert_eq!(read.records[0].customer_code_2, 1, "batch number");
    assert_eq!(read.trailer.total_yen, amount);
    let csv = fs::read(first["batch"]["csv"].as_str().unwrap()).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains(&format!(",{case},")) && csv.contains(&format!(",{amount}\r\n")));
    assert!(
        csv.contains(",ｵﾉ ﾊﾅｺ,"),
        "the payee as the file writes it: {csv}"
    );
    let text = ok(&verify(&dir, &file), "verify");
    assert!(text.contains("一致しました"), "{text}");

    // The 振込明細一覧 for the 支出命令: the payment's 文書番号, case, payee, account and amount, and
    // the total equal to the trailer's 合計金額.
    let approved = json(&dir.join("outbox").join(&case).join("decision.json"));
    let number = approved["document_number"].as_str().unwrap();
    let list = PathBuf::from(first["batch"]["list"].as_str().unwrap());
    let text: String = pdftotext(&list).split_whitespace().collect();
    for want in [
        "振込明細一覧",
        number,
        case.as_str(),
        "ｵﾉﾊﾅｺ",
        "名義要確認",
        "金融機関コード一覧になし",
        "全銀コード一覧（zengin-code、2026年8月24日時点のデータ）",
        format_yen(amount)
            .trim_start_matches('金')
            .trim_end_matches('円'),
        // The whole account number: auditors match the list to the file record by record.
        &read.records[0].account_number,
        &format!("件数1件合計金額{}", format_yen(read.trailer.total_yen)),
        "作成者suzuki",
        "（1／1）",
    ] {
        assert!(
            text.contains(want),
            "「{want}」 missing from the list: {text}"
        );
    }

    // Nothing new: no second batch.
    let again = export(&dir, &date);
    assert_eq!(again["count"], 0, "{again}");
    assert!(again["batch"].is_null());

    // A changed byte is named by --verify (exit 1).
    let mut tampered = bytes.clone();
    tampered[122 + 5] = b'A';
    let bad = dir.join("tampered.txt");
    fs::write(&bad, &tampered).unwrap();
    let out = verify(&dir, &bad);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("異なります"));

    // Cancelled, the payment returns to the pool; the next batch pays it, and the first file no
    // longer verifies.
    ok(
        &kyufu_as(
            &dir,
            &[
                "export-payments",
                "--cancel",
                "1",
                "--as",
                "suzuki",
                "--password-stdin",
            ],
            "suzuki",
        ),
        "cancel",
    );
    let second = export(&dir, &date);
    assert_eq!(second["count"], 1, "{second}");
    assert_eq!(second["batch"]["id"], 2);
    assert_eq!(second["total_yen"], amount);
    assert_eq!(verify(&dir, &file).status.code(), Some(1), "cancelled");
    let file2 = PathBuf::from(second["batch"]["file"].as_str().unwrap());
    ok(&verify(&dir, &file2), "verify batch 2");
    assert_eq!(invariants(&dir, &case), vec![2]);

    // Once sent, a batch cannot be cancelled.
    ok(
        &kyufu_as(
            &dir,
            &[
                "export-payments",
                "--sent",
                "2",
                "--as",
                "suzuki",
                "--password-stdin",
            ],
            "suzuki",
        ),
        "sent",
    );
    refused(
        &kyufu_as(
            &dir,
            &[
                "export-payments",
                "--cancel",
                "2",
                "--as",
                "suzuki",
                "--password-stdin",
            ],
            "suzuki",
        ),
        "送信済み",
    );
    let audit = kyufu_as(&dir, &["audit", "verify"], "suzuki");
    ok(&audit, "the audit chain holds with the payment entries");
}

#[test]
fn a_killed_export_leaves_a_whole_batch_or_none() {
    let dir = scratch("payments-crash");
    let (case, decision) = approved_case(&dir, |_| {});
    let date = pay_date();
    let args = [
        "export-payments",
        "--date",
        &date,
        "--as",
        "suzuki",
        "--password-stdin",
    ];
    // A fixed sequence of delays spread over start-up, the lock, both files and the commit.
    let mut x: u64 = 21;
    let (mut committed, mut torn, mut before) = (0, 0, 0);
    for _ in 0..20 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = (x >> 33) % 700;
        let mut child = spawn(
            &dir,
            "kyufu-pay.toml",
            &args,
            &pass("suzuki"),
            &[("KYUFU_EXPORT_PAUSE_MS", "60")],
        );
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let live = invariants(&dir, &case);
        let recorded = journal(&dir).payment_batches().unwrap().len();
        let folders = fs::read_dir(dir.join("outbox/payments"))
            .map(|d| d.count())
            .unwrap_or(0);
        if folders > recorded {
            torn += 1; // killed between writing and committing: the next export removes it
        }
        if live.is_empty() && folders <= recorded {
            before += 1;
        }
        if let Some(&b) = live.first() {
            // The export got to its commit: cancel it so the next round exports again.
            committed += 1;
            ok(
                &kyufu_as(
                    &dir,
                    &[
                        "export-payments",
                        "--cancel",
                        &b.to_string(),
                        "--as",
                        "suzuki",
                        "--password-stdin",
                    ],
                    "suzuki",
                ),
                "cancel",
            );
        }
    }
    eprintln!(
        "killed exports: {committed} had committed, {torn} left an unrecorded folder, {before} had written nothing"
    );
    assert!(
        committed > 0 && committed < 20,
        "the kills land both before and after the commit"
    );
    let done = export(&dir, &date);
    let live = invariants(&dir, &case);
    assert_eq!(live.len(), 1, "exactly one live batch pays the case");
    assert_eq!(done["batch"]["id"], live[0]);
    assert_eq!(done["total_yen"], decision["amount_yen"]);
    no_unrecorded_files(&dir);
    let file = PathBuf::from(done["batch"]["file"].as_str().unwrap());
    ok(&verify(&dir, &file), "verify after the crashes");
}

#[test]
fn a_bad_account_number_is_held_with_its_reason_and_nothing_is_exported() {
    let dir = scratch("payments-held");
    let (case, _) = approved_case(&dir, |app| {
        app["bank"]["account_number"] = Value::from("12-3456");
    });
    let date = pay_date();
    let out = kyufu_as(
        &dir,
        &[
            "export-payments",
            "--date",
            &date,
            "--as",
            "suzuki",
            "--password-stdin",
        ],
        "suzuki",
    );
    let text = ok(&out, "export with a held payment");
    assert!(
        text.contains(&case) && text.contains("口座番号が7桁の数字ではありません"),
        "{text}"
    );
    assert!(text.contains("新たに振り込む支払はありません"), "{text}");
    assert!(
        !text.contains("12-3456"),
        "no account number in the summary: {text}"
    );
    assert!(journal(&dir).payment_batches().unwrap().is_empty());
}

/// The first bank business day on or after `d`.
fn business_day_from(d: chrono::NaiveDate) -> chrono::NaiveDate {
    kyufu::payment::calendar::next_business_day(d.pred_opt().unwrap())
        .expect("the holiday table covers the date")
}

/// 高等職業訓練促進給付金 (RULES.md §2) approved for a 12-month course starting next month is paid
/// month by month: an export in month 1 pays month 1 only; another export in month 1 pays
/// nothing; an export in month 3 pays months 2 and 3 — each month its own record, the file passes
/// `--verify`, and the 振込明細一覧 names each month.
#[test]
fn an_approved_stipend_is_paid_month_by_month_as_each_month_falls_due() {
    use chrono::{Datelike, Months, NaiveDate};
    let dir = scratch("payments-stipend");
    let today = chrono::Local::now().date_naive();
    let month1 = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap() + Months::new(1);
    let ends = month1 + Months::new(12) - chrono::Days::new(1);
    let sub = dir.join("inbox").join("stipend");
    fs::create_dir_all(&sub).unwrap();
    let app = serde_json::json!({
        "benefit": "kotoshokugyo", "applied_on": today.to_string(),
        "applicant": {"name": "山田 花子", "name_kana": "ヤマダ ハナコ", "birth_date": "1990-04-01",
                      "address": "さくら市中央1-1"},
        "children": [{"name": "山田 陽菜", "birth_date": "2015-06-01"}],
        "child_support_allowance": "full", "resident_tax": "exempt", "prior_receipt": false,
        "qualification": "准看護師",
        "course": {"name": "准看護科", "institution": "学校法人さくら学園",
                   "started_on": month1.to_string(), "ends_on": ends.to_string()},
        "bank": {"bank_code": "0001", "branch_code": "001", "account_type": "ordinary",
                 "account_number": "1234567", "holder_kana": "ﾔﾏﾀﾞ ﾊﾅｺ"}
    });
    fs::write(sub.join("application.json"), app.to_string()).unwrap();
    run_once(&dir, "");
    add_users(&dir);
    let case = fs::read_dir(dir.join("outbox"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.contains('-'))
        .unwrap();
    let decision = json(&dir.join("outbox").join(&case).join("decision.json"));
    assert_eq!(decision["outcome"], "pay", "{decision}");
    let schedule = decision["schedule"].as_array().unwrap();
    assert_eq!(schedule.len(), 12);
    let month_yen = |m: NaiveDate| -> i64 {
        let key = format!("{:04}-{:02}", m.year(), m.month());
        schedule
            .iter()
            .find(|l| l["month"] == key.as_str())
            .unwrap()["amount_yen"]
            .as_i64()
            .unwrap()
    };
    submit_and_approve(&dir, &case);

    let first_day = business_day_from(month1);
    let first = export(&dir, &first_day.to_string());
    assert_eq!(
        first["count"], 1,
        "month 1 only, not the whole plan: {first}"
    );
    assert_eq!(first["total_yen"], month_yen(month1));
    assert!(
        first["total_yen"].as_i64() < decision["amount_yen"].as_i64(),
        "never the whole plan at once"
    );

    let again = export(
        &dir,
        &business_day_from(first_day.succ_opt().unwrap()).to_string(),
    );
    assert_eq!(
        again["count"], 0,
        "month 1 is paid, month 2 not due: {again}"
    );

    let month3 = month1 + Months::new(2);
    let third = export(&dir, &business_day_from(month3).to_string());
    assert_eq!(third["count"], 2, "months 2 and 3: {third}");
    assert_eq!(
        third["total_yen"],
        month_yen(month1 + Months::new(1)) + month_yen(month3)
    );
    let file = PathBuf::from(third["batch"]["file"].as_str().unwrap());
    ok(&verify(&dir, &file), "verify the months' file");
    let read = zengin::read_file(&fs::read(&file).unwrap()).unwrap();
    assert_eq!(read.records.len(), 2, "one record per month");
    let csv = fs::read_to_string(third["batch"]["csv"].as_str().unwrap()).unwrap();
    let list: String = pdftotext(&PathBuf::from(third["batch"]["list"].as_str().unwrap()))
        .split_whitespace()
        .collect();
    for m in [month1 + Months::new(1), month3] {
        let key = format!(",{:04}-{:02},", m.year(), m.month());
        assert!(csv.contains(&key), "{key} in the CSV: {csv}");
        let wareki = format!("{}月分", m.month());
        assert!(list.contains(&wareki), "{wareki} in the list: {list}");
    }
    let j = journal(&dir);
    let months: Vec<Option<String>> = j
        .payment_batches()
        .unwrap()
        .iter()
        .flat_map(|b| j.batch_payments(b.id).unwrap())
        .map(|p| p.month)
        .collect();
    assert_eq!(months.len(), 3, "three months, each paid once: {months:?}");
}
