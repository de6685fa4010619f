//! `make accuracy`: generate a corpus from a fixed seed, run `kyufu run --once` on it as staff would,
//! and compare what kyufu decided and read with the truth the generator wrote beside each submission.
//!
//! Prints per-field exact-match rates, outcome/amount accuracy, the share sent to review, the count of
//! wrong `pay` decisions, and every miss (submission, scenario, expected, got) so a regression can be
//! traced. The comparison itself is `report::compare`, shared with the integration test that holds the
//! thresholds of issue 2.

#[path = "report.rs"]
mod report;

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn main() {
    let mut count = 60u32;
    let mut seed = 7u64;
    let mut dir = PathBuf::from("target/accuracy");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--count" => count = args.next().and_then(|v| v.parse().ok()).unwrap_or(count),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            "--dir" => dir = args.next().map(PathBuf::from).unwrap_or(dir),
            other => {
                eprintln!("unknown argument {other}; usage: kyufu-accuracy [--count N] [--seed S] [--dir DIR]");
                std::process::exit(2);
            }
        }
    }
    let bin_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|p| p.to_path_buf()))
        .unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
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
        .expect("run kyufu");
    assert!(status.success(), "kyufu run --once failed");
    let ran = started.elapsed();
    let r = report::compare(&dir);
    println!("{}", r.render());
    for f in report::KEY_RECEIPT_FIELDS {
        println!(
            "key receipt field {f}: {:.1}%",
            100.0 * r.field_rate(&format!("receipt.{f}"))
        );
    }
    println!(
        "corpus: {count} submissions (seed {seed}) generated in {:.1} s; kyufu run --once {:.1} s",
        generated.as_secs_f64(),
        ran.as_secs_f64()
    );
}
