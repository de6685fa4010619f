//! The README's walk-through ("From a fresh clone: three cases approved and paid"), run as it is
//! written: the `sh` block after its marker is read from README.md and run by bash, `set -euo
//! pipefail`, with the `kyufu` this test built first on the PATH, in a fresh folder holding what a
//! clone holds that the block reads (kyufu.toml, form-templates/, ocr-models/, examples/, an empty
//! inbox/, and bank-codes/ as set-up extracts it). Then what an officer would check: one batch paying the three approved cases — every
//! stipend month due by the 振込指定日 once, the others once — a file that passes `--verify`, and the
//! 振込明細一覧 with the same count and total.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use kyufu::payment::zengin;

use super::super::{format_yen, pdftotext, scratch, KYUFU};
use super::journal;

const MARKER: &str = "<!-- walkthrough:";

/// The `sh` block after the marker.
fn walkthrough_block(readme: &str) -> String {
    let after = &readme[readme
        .find(MARKER)
        .expect("the walk-through marker in README.md")..];
    let start = after.find("```sh\n").expect("an sh block after the marker") + "```sh\n".len();
    let len = after[start..].find("\n```").expect("the block's end");
    after[start..start + len].to_string()
}

#[test]
fn the_readme_walkthrough_approves_three_cases_and_pays_them_in_a_file_that_verifies() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let block = walkthrough_block(&fs::read_to_string(repo.join("README.md")).unwrap());
    assert!(block.contains("kyufu approve") && block.contains("--verify"));

    let dir = scratch("walkthrough");
    fs::copy(repo.join("kyufu.toml"), dir.join("kyufu.toml")).unwrap();
    for d in ["form-templates", "ocr-models", "examples", "bank-codes"] {
        std::os::unix::fs::symlink(repo.join(d), dir.join(d)).unwrap();
    }
    for d in ["inbox", "outbox"] {
        fs::create_dir_all(dir.join(d)).unwrap();
    }
    let bin = Path::new(KYUFU).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &block])
        .current_dir(&dir)
        .env("PATH", path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("一致しました"), "--verify: {stdout}");

    // The approved decisions, by case.
    let mut decisions = BTreeMap::new();
    for e in fs::read_dir(dir.join("outbox")).unwrap().flatten() {
        if let Ok(bytes) = fs::read(e.path().join("decision.json")) {
            let d: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(d["status"], "approved", "{d}");
            decisions.insert(e.file_name().to_string_lossy().into_owned(), d);
        }
    }
    assert_eq!(decisions.len(), 3, "three cases approved");

    let j = journal(&dir);
    let batches = j.payment_batches().unwrap();
    assert_eq!(batches.len(), 1, "one batch");
    let b = &batches[0];
    let payments = j.batch_payments(b.id).unwrap();
    // What each case should be paid on this 振込指定日: a one-off decision its amount; the
    // stipend every month of its schedule due by then (RULES.md §2), each once.
    let transfer_month = b.transfer_date.format("%Y-%m").to_string();
    let mut expected = 0;
    for (case, d) in &decisions {
        let paid: Vec<_> = payments.iter().filter(|p| &p.case_id == case).collect();
        match d["schedule"].as_array() {
            None => {
                assert_eq!(paid.len(), 1, "{case}");
                assert_eq!(Some(paid[0].amount_yen), d["amount_yen"].as_i64(), "{case}");
                expected += paid[0].amount_yen;
            }
            Some(schedule) => {
                let due: Vec<(String, i64)> = schedule
                    .iter()
                    .filter(|l| l["amount_yen"].as_i64() > Some(0))
                    .filter(|l| l["month"].as_str().unwrap() <= transfer_month.as_str())
                    .map(|l| {
                        (
                            l["month"].as_str().unwrap().to_string(),
                            l["amount_yen"].as_i64().unwrap(),
                        )
                    })
                    .collect();
                let got: Vec<(String, i64)> = paid
                    .iter()
                    .map(|p| (p.month.clone().expect("a stipend month"), p.amount_yen))
                    .collect();
                assert_eq!(got, due, "{case}: the months due by {transfer_month}");
                assert!(
                    !due.is_empty(),
                    "the stipend started before any export date"
                );
                expected += due.iter().map(|(_, yen)| yen).sum::<i64>();
            }
        }
    }
    assert_eq!(b.total_yen, expected);

    let folder = dir.join("outbox/payments/0001");
    let file = zengin::read_file(&fs::read(folder.join(&b.file_name)).unwrap()).unwrap();
    assert_eq!(file.trailer.total_yen, expected);
    assert_eq!(file.records.len(), payments.len());
    let list: PathBuf = folder.join(b.list_name.as_deref().unwrap());
    let text: String = pdftotext(&list).split_whitespace().collect();
    let totals = format!(
        "件数{}件合計金額{}",
        payments.len(),
        format_yen(file.trailer.total_yen)
    );
    assert!(text.contains(&totals), "「{totals}」 in the list: {text}");
    // Bank and branch names from the 全銀 code list, beside their codes.
    for want in ["0001みずほ", "001東京営業部", "123横浜中山", "005春日部"] {
        assert!(text.contains(want), "「{want}」 in the list: {text}");
    }
    assert!(
        !text.contains("コード一覧になし"),
        "every code listed: {text}"
    );
}
