//! `make accuracy`: generate a corpus from a fixed seed, run `kyufu run --once` on it as staff would,
//! and compare what kyufu decided and read with the truth the generator wrote beside each submission.
//!
//! One seed (`--seed S`): per-field exact-match rates, outcome/amount accuracy, the share sent to review,
//! the count of wrong `pay` decisions, the item categories (recall, precision, over the union), and every
//! miss (submission, scenario, expected, got) so a regression can be traced.
//!
//! With `--untouched S1,S2,…` as well: the same figures side by side, one column per seed, the tuned seed
//! first. The untouched seeds' misses are never printed: they are seeds nobody reads case by case while
//! developing, so that their figures say how the reading does on documents it was not tuned on.
//!
//! It runs the `kyufu` and `kyufu-corpus` binaries beside its own executable; `make accuracy` builds all
//! three first (`cargo build --bins`), so the figures are of the code as it stands. The comparison itself
//! is `report::compare`, shared with the integration test that holds the thresholds of issue 2.

#[path = "report.rs"]
mod report;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use report::Report;

fn main() {
    let mut count = 60u32;
    let mut seed = 7u64;
    let mut untouched: Vec<u64> = Vec::new();
    let mut dir = PathBuf::from("target/accuracy");
    let mut capture: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next();
        match a.as_str() {
            "--count" => {
                count = value
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| bad(&a))
            }
            "--seed" => {
                seed = value
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| bad(&a))
            }
            "--untouched" => {
                untouched = value
                    .and_then(|v| v.split(',').map(|s| s.trim().parse().ok()).collect())
                    .unwrap_or_else(|| bad(&a))
            }
            "--dir" => dir = value.map(PathBuf::from).unwrap_or_else(|| bad(&a)),
            // Every page captured so (`kyufu-corpus --capture`): what a fax does to the reading.
            "--capture" => capture = Some(value.unwrap_or_else(|| bad(&a))),
            _ => bad(&a),
        }
    }
    let bin_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|p| p.to_path_buf()))
        .unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);

    if untouched.is_empty() {
        let r = measure(&bin_dir, &dir, count, seed, capture.as_deref());
        println!("{}", r.render());
        for f in report::KEY_RECEIPT_FIELDS {
            println!(
                "key receipt field {f}: {:.1}%",
                100.0 * r.field_rate(&format!("receipt.{f}"))
            );
        }
        return;
    }
    let mut columns: Vec<(String, Report)> = Vec::new();
    let tuned = measure(
        &bin_dir,
        &dir.join(format!("seed-{seed}")),
        count,
        seed,
        capture.as_deref(),
    );
    for m in &tuned.misses {
        println!("miss (seed {seed}): {m}");
    }
    columns.push((format!("seed {seed} (tuned)"), tuned));
    for s in untouched {
        let r = measure(
            &bin_dir,
            &dir.join(format!("seed-{s}")),
            count,
            s,
            capture.as_deref(),
        );
        columns.push((format!("seed {s} (untouched)"), r));
    }
    println!();
    println!("{}", table(&columns));
    println!(
        "Misses are printed for seed {seed} alone: the untouched seeds are run, not read case by case."
    );
}

fn bad(arg: &str) -> ! {
    eprintln!(
        "{arg}: unknown, or its value is missing or malformed; usage: kyufu-accuracy [--count N] \
         [--seed S] [--untouched S1,S2,…] [--dir DIR] [--capture scan|fax|photo]"
    );
    std::process::exit(2)
}

/// Generates `count` submissions from `seed` (every page captured `capture`, where given) under
/// `dir`, runs kyufu on them and compares.
fn measure(bin_dir: &Path, dir: &Path, count: u32, seed: u64, capture: Option<&str>) -> Report {
    // A journal left by an earlier run would take every file for a duplicate.
    let _ = std::fs::remove_dir_all(dir);
    let started = Instant::now();
    let status = Command::new(bin_dir.join("kyufu-corpus"))
        .args([
            "--out",
            &dir.display().to_string(),
            "--count",
            &count.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .args(capture.map(|c| ["--capture", c]).into_iter().flatten())
        .status()
        .expect("run kyufu-corpus (build it with cargo build --bins)");
    assert!(status.success(), "kyufu-corpus failed");
    let generated = started.elapsed();
    let started = Instant::now();
    let status = Command::new(bin_dir.join("kyufu"))
        .args([
            "--inbox",
            &dir.join("inbox").display().to_string(),
            "--outbox",
            &dir.join("outbox").display().to_string(),
            "--state",
            &dir.join("state").display().to_string(),
            "run",
            "--once",
        ])
        .status()
        .expect("run kyufu (build it with cargo build --bins)");
    assert!(status.success(), "kyufu run --once failed");
    let ran = started.elapsed();
    eprintln!(
        "corpus: {count} submissions (seed {seed}) generated in {:.1} s; kyufu run --once {:.1} s",
        generated.as_secs_f64(),
        ran.as_secs_f64()
    );
    report::compare(dir)
}

/// The figures of several runs side by side: one row per measure, one column per seed.
fn table(columns: &[(String, Report)]) -> String {
    let pct = |right: usize, total: usize| {
        if total == 0 {
            "-".to_string()
        } else {
            format!(
                "{:.1}% ({right}/{total})",
                100.0 * right as f64 / total as f64
            )
        }
    };
    let mut rows: Vec<(String, Vec<String>)> = vec![
        (
            "outcome+amount right".into(),
            columns
                .iter()
                .map(|(_, r)| pct(r.outcome_and_amount_right, r.submissions))
                .collect(),
        ),
        (
            "needs_review".into(),
            columns
                .iter()
                .map(|(_, r)| pct(r.needs_review, r.submissions))
                .collect(),
        ),
        (
            "wrong pay".into(),
            columns
                .iter()
                .map(|(_, r)| r.wrong_pay.to_string())
                .collect(),
        ),
        (
            "wrong 補正依頼".into(),
            columns
                .iter()
                .map(|(_, r)| r.wrong_incomplete.to_string())
                .collect(),
        ),
    ];
    let mut fields: Vec<&String> = columns.iter().flat_map(|(_, r)| r.fields.keys()).collect();
    fields.sort();
    fields.dedup();
    for f in fields {
        rows.push((
            f.clone(),
            columns
                .iter()
                .map(|(_, r)| {
                    let (right, total) = r.fields.get(f).copied().unwrap_or((0, 0));
                    pct(right, total)
                })
                .collect(),
        ));
    }
    rows.push((
        "items: recall".into(),
        columns
            .iter()
            .map(|(_, r)| pct(r.items_right, r.items_total))
            .collect(),
    ));
    rows.push((
        "items: precision".into(),
        columns
            .iter()
            .map(|(_, r)| pct(r.items_right, r.items_read))
            .collect(),
    ));
    rows.push((
        "items: over truth ∪ read".into(),
        columns
            .iter()
            .map(|(_, r)| pct(r.items_right, r.items_total + r.items_invented()))
            .collect(),
    ));
    let label_width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let width = columns
        .iter()
        .map(|(h, _)| h.chars().count())
        .chain(
            rows.iter()
                .flat_map(|(_, v)| v.iter().map(|c| c.chars().count())),
        )
        .max()
        .unwrap_or(0);
    let mut s = format!("{:label_width$}", "");
    for (head, _) in columns {
        s.push_str(&format!("  {head:>width$}"));
    }
    s.push('\n');
    for (label, cells) in rows {
        s.push_str(&format!("{label:label_width$}"));
        for c in cells {
            s.push_str(&format!("  {c:>width$}"));
        }
        s.push('\n');
    }
    s
}
