//! Integration tests: kyufu as staff run it — the real binary on real folders, real OCR, real PDFs —
//! asserting what a user would check (the amount, the reason code, the notice's text, the file in
//! quarantine with its reason).
//!
//! The generated corpus is made and processed once (it is the slow part) and shared by the tests that
//! look at its results.

mod benefits;
mod cites;
mod payments;
#[path = "accuracy/report.rs"]
mod report;
mod review;
mod serve;
mod watch;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

const KYUFU: &str = env!("CARGO_BIN_EXE_kyufu");
const CORPUS: &str = env!("CARGO_BIN_EXE_kyufu-corpus");

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// `kyufu <args> --inbox <dir>/inbox --outbox <dir>/outbox --state <dir>/state`, settle time 0.
fn kyufu(dir: &Path, args: &[&str]) -> Output {
    let config = dir.join("kyufu-test.toml");
    fs::write(&config, "settle_ms = 0\n").unwrap();
    Command::new(KYUFU)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--config")
        .arg(&config)
        .arg("--inbox")
        .arg(dir.join("inbox"))
        .arg("--outbox")
        .arg(dir.join("outbox"))
        .arg("--state")
        .arg(dir.join("state"))
        .args(args)
        .output()
        .expect("run kyufu")
}

/// `kyufu run --once` on `dir`, which must succeed (`why` says what a failure would mean).
fn run_once(dir: &Path, why: &str) {
    let out = kyufu(dir, &["run", "--once"]);
    assert!(
        out.status.success(),
        "{why}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn generate(dir: &Path, count: u32, seed: u64) {
    let out = Command::new(CORPUS)
        .args([
            "--out",
            &dir.display().to_string(),
            "--count",
            &count.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .output()
        .expect("run kyufu-corpus");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        // Content-stream order keeps a table cell's lines together.
        .args(["-raw", &pdf.display().to_string(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The corpus of issue 2 (60 submissions, fixed seed), processed once.
fn corpus_run() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("corpus");
        generate(&dir, 60, 7);
        run_once(&dir, "");
        dir
    })
}

/// The first submission folder of `dir/inbox`.
fn first_submission(dir: &Path) -> PathBuf {
    fs::read_dir(dir.join("inbox"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path()
}

fn decisions(dir: &Path) -> Vec<(PathBuf, Value)> {
    let mut v: Vec<(PathBuf, Value)> = fs::read_dir(dir.join("outbox"))
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            let d: Value = serde_json::from_slice(&fs::read(p.join("decision.json")).ok()?).ok()?;
            Some((p, d))
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// What the corpus run must hold. `wrong_pay == 0` is the hard requirement of issue 2 and is asserted
/// as such. The rates are *regression floors* a little under what this build measures on seed 7 of
/// the widened corpus of issue 19 (eight receipt and four certificate layouts, eight typefaces, a
/// dozen wordings, faxes and phone photos): 43.3 % outcome+amount, 31.7 % review, 78.6 % items;
/// amount_total and issued_on 86.4 %, seal_present 83.3 %, payer_name 62.1 %. On the narrower corpus
/// before it the same build measured 100 % / 5.0 % / 100 % / 98.4 % payer_name: the drop is what the
/// reading was fitted to, not a regression. Review rose from 18.3 % when a seal not found or a strike
/// without its stamp on a photo or fax became doubtful instead of a 補正依頼 (those asked a
/// family to mend what was a misreading); items fell from 82.9 % when the lexicon stopped matching
/// fragments of words (a guessed category is now `other`). Issue 19's targets are 97 %
/// outcome+amount, ≤ 8 % review, 98 % on the key fields and items; raise these floors as the reading
/// gets there.
///
/// Later (2026-12-05, third session): 60.0 % outcome+amount, 41.7 % review, wrong 補正依頼 1 (from
/// 11): a field not found on a photo or fax, or whose label is printed, or two not found on one
/// document, and a missing certificate beside a document of unknown kind, became doubt for a
/// person instead of a 補正依頼 (issue 19 item 6). Review rose by what those 補正依頼 were; the
/// floor on wrong 補正依頼 holds the gain. Evening a photo's light (`ocr::even_light`) took seed 7's
/// amount_total from 86.4 % to 81.8 % (three photos' totals lost, a shadowed one's found) while
/// outcome+amount went 56.7 → 60.0 %; on looked-at seeds 11 and 13, with against without: right
/// 55.0 / 58.3 % and 50.0 / 48.3 %, amount_total 84.6 / 84.6 % and 72.3 / 69.2 %.
const FLOORS: Floors = Floors {
    outcome: 0.50,
    review_at_most: 0.45,
    wrong_incomplete_at_most: 2,
    fields: [
        ("amount_total", 0.80),
        ("issued_on", 0.83),
        ("payer_name", 0.58),
        ("seal_present", 0.80),
    ],
    items: 0.75,
};

struct Floors {
    outcome: f64,
    review_at_most: f64,
    wrong_incomplete_at_most: usize,
    fields: [(&'static str, f64); 4],
    items: f64,
}

#[test]
fn corpus_is_never_paid_wrongly_and_reading_does_not_regress() {
    let dir = corpus_run();
    let r = report::compare(dir);
    eprintln!("{}", r.render());
    assert_eq!(r.submissions, 60);
    assert_eq!(r.decided, 60, "every submission gets a decision");
    assert_eq!(
        r.wrong_pay, 0,
        "never pay a wrong amount or where the truth is not pay"
    );
    assert!(
        r.outcome_rate() >= FLOORS.outcome,
        "outcome+amount {:.3}",
        r.outcome_rate()
    );
    assert!(
        r.wrong_incomplete <= FLOORS.wrong_incomplete_at_most,
        "{} 補正依頼 where the truth is none",
        r.wrong_incomplete
    );
    assert!(
        r.review_rate() <= FLOORS.review_at_most,
        "needs_review {:.3}",
        r.review_rate()
    );
    for (f, floor) in FLOORS.fields {
        assert_eq!(
            report::KEY_RECEIPT_FIELDS
                .iter()
                .filter(|k| **k == f)
                .count(),
            1
        );
        let rate = r.field_rate(&format!("receipt.{f}"));
        assert!(rate >= floor, "receipt.{f} exact on {rate:.3}");
    }
    assert!(
        r.items_rate() >= FLOORS.items,
        "item categories {:.3}",
        r.items_rate()
    );
}

#[test]
fn every_notice_shows_amount_reasons_and_appeal_rights_in_a_subset_font() {
    let dir = corpus_run();
    let all = decisions(dir);
    assert!(!all.is_empty());
    for (case_dir, d) in all {
        let pdf = case_dir.join("notice.pdf");
        let size = fs::metadata(&pdf).unwrap().len();
        assert!(size <= 100 * 1024, "{} weighs {size} bytes", pdf.display());
        let text = pdftotext(&pdf);
        let flat: String = text.split_whitespace().collect();
        assert!(flat.contains('案'), "a draft is marked 案");
        let outcome = d["outcome"].as_str().unwrap();
        if outcome != "incomplete" {
            assert!(flat.contains("審査請求"), "教示 on {}", pdf.display());
        }
        if outcome == "pay" {
            let amount = d["amount_yen"].as_i64().unwrap();
            let yen = format_yen(amount);
            assert!(flat.contains(&yen), "{yen} on {}", pdf.display());
            for ex in d["excluded"].as_array().unwrap() {
                let label: String = ex["label"].as_str().unwrap().split_whitespace().collect();
                assert!(
                    flat.contains(&label),
                    "excluded {label} on {}",
                    pdf.display()
                );
            }
        }
        for reason in d["reasons"].as_array().unwrap() {
            let code = reason["code"].as_str().unwrap();
            // A 補正依頼 lists what the applicant must mend; reviewer notes stay in decision.json.
            let reviewer_only = [
                "low_confidence:",
                "amount_not_above_lower_limit",
                "late_application",
                "unclassified_item",
                "parameters_not_covered",
                "parameter_unconfirmed:",
            ];
            if outcome == "incomplete" && reviewer_only.iter().any(|p| code.starts_with(p)) {
                continue;
            }
            let msg: String = reason["message"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .collect();
            let head: String = msg.chars().take(12).collect();
            assert!(flat.contains(&head), "reason {head} on {}", pdf.display());
        }
        let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        let font_line = fonts.lines().nth(2).unwrap_or_default();
        assert!(
            font_line.contains("yes yes"),
            "embedded subset font: {fonts}"
        );
    }
}

fn format_yen(n: i64) -> String {
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

#[test]
fn originals_are_archived_byte_identical_by_hash() {
    let dir = corpus_run();
    let archive = dir.join("state/archive");
    let mut n = 0;
    for month in fs::read_dir(&archive).unwrap().flatten() {
        for f in fs::read_dir(month.path()).unwrap().flatten() {
            let bytes = fs::read(f.path()).unwrap();
            let name = f.file_name().to_string_lossy().into_owned();
            let sha = name.split('.').next().unwrap();
            assert_eq!(kyufu::run::files::sha256_hex(&bytes), sha);
            n += 1;
        }
    }
    assert!(n >= 100, "archived {n} originals");
    // Nothing is left in the inbox.
    assert_eq!(fs::read_dir(dir.join("inbox")).unwrap().count(), 0);
}

/// A truncated JPEG: a real header, then nothing.
fn truncated_jpeg() -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        64,
        64,
        image::Rgb([200, 10, 10]),
    ))
    .write_to(
        &mut std::io::Cursor::new(&mut jpeg),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    jpeg.truncate(jpeg.len() / 3);
    jpeg
}

/// Writes the bad inputs of issue 2 into `inbox`, returning their names.
fn bad_inputs(inbox: &Path) -> Vec<&'static str> {
    fs::write(inbox.join("truncated.jpg"), truncated_jpeg()).unwrap();
    fs::write(inbox.join("empty.jpg"), b"").unwrap();
    fs::write(
        inbox.join("notes.pdf"),
        "これはPDFではありません\n".as_bytes(),
    )
    .unwrap();
    fs::write(
        inbox.join("encrypted.pdf"),
        b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[]/Count 0>> endobj\n3 0 obj <</Filter/Standard/V 1/R 2/O(0123456789abcdef0123456789abcdef)/U(0123456789abcdef0123456789abcdef)/P -4>> endobj\ntrailer <</Root 1 0 R/Encrypt 3 0 R/ID[<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>]>>\n%%EOF\n",
    )
    .unwrap();
    // A PNG whose header claims 30000 × 30000 pixels.
    let mut png = Vec::new();
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(b"IHDR");
    ihdr.extend_from_slice(&30000u32.to_be_bytes());
    ihdr.extend_from_slice(&30000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    // A tiny (truncated) image stream and the end chunk: a well-formed file whose header alone
    // asks for 2.7 GB.
    for (kind, data) in [
        (&b"IDAT"[..], &[0x78u8, 0x9c, 0x03, 0x00][..]),
        (&b"IEND"[..], &[][..]),
    ] {
        let mut chunk = kind.to_vec();
        chunk.extend_from_slice(data);
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(&chunk);
        png.extend_from_slice(&crc32(&chunk).to_be_bytes());
    }
    fs::write(inbox.join("huge.png"), &png).unwrap();
    fs::write(
        inbox.join("broken.tif"),
        b"II*\x00\x08\x00\x00\x00\xff\xff garbage",
    )
    .unwrap();
    vec![
        "truncated.jpg",
        "empty.jpg",
        "notes.pdf",
        "encrypted.pdf",
        "huge.png",
        "broken.tif",
    ]
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn bad_inputs_go_to_quarantine_with_a_japanese_reason_and_the_run_goes_on() {
    let dir = scratch("bad-inputs");
    generate(&dir, 1, 11);
    let inbox = dir.join("inbox");
    let names = bad_inputs(&inbox);
    let originals: Vec<Vec<u8>> = names
        .iter()
        .map(|n| fs::read(inbox.join(n)).unwrap())
        .collect();
    run_once(&dir, "a bad document is not a failed run: ");
    let q = dir.join("state/quarantine");
    for (name, bytes) in names.iter().zip(&originals) {
        assert_eq!(
            &fs::read(q.join(name)).unwrap(),
            bytes,
            "{name} kept byte-identical"
        );
        let reason = fs::read_to_string(q.join(format!("{name}.reason.txt"))).unwrap();
        assert!(
            reason
                .chars()
                .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
            "{name}: reason in Japanese: {reason}"
        );
    }
    let huge = fs::read_to_string(q.join("huge.png.reason.txt")).unwrap();
    assert!(
        huge.contains("画素") || huge.contains("ピクセル"),
        "the limit is named: {huge}"
    );
    let enc = fs::read_to_string(q.join("encrypted.pdf.reason.txt")).unwrap();
    assert!(enc.contains("暗号"), "{enc}");
    // The good submission beside them was decided.
    assert_eq!(decisions(&dir).len(), 1);
}

#[test]
fn a_submission_with_a_file_that_cannot_be_read_is_never_paid_without_it() {
    let dir = scratch("unreadable-in-submission");
    generate(&dir, 1, 17);
    let sub = dir.join("inbox/sub001");
    let decide = || {
        let out = kyufu(&dir, &["decide", &sub.display().to_string(), "--json"]);
        assert!(out.status.success());
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let whole = decide();
    assert_eq!(
        whole["outcome"], "pay",
        "seed 17's first submission is one kyufu pays: {whole}"
    );
    // A second receipt, say, whose scan broke off: what the case turns on cannot be known.
    let broken = truncated_jpeg();
    fs::write(sub.join("receipt-2.jpg"), &broken).unwrap();
    let names_the_file = |d: &Value| {
        d["reasons"].as_array().unwrap().iter().any(|r| {
            r["code"] == "low_confidence:kind"
                && r["message"].as_str().unwrap().contains("receipt-2.jpg")
        })
    };
    let d = decide();
    assert_eq!(d["outcome"], "needs_review", "kyufu decide: {d}");
    assert!(names_the_file(&d), "{d}");

    run_once(&dir, "");
    let q = dir.join("state/quarantine");
    assert_eq!(fs::read(q.join("receipt-2.jpg")).unwrap(), broken);
    assert!(q.join("receipt-2.jpg.reason.txt").exists());
    let all = decisions(&dir);
    assert_eq!(all.len(), 1);
    let (case_dir, d) = &all[0];
    assert_eq!(d["outcome"], "needs_review", "{d}");
    assert!(names_the_file(d), "{d}");
    assert_eq!(
        d["amount_yen"], whole["amount_yen"],
        "the amount computed on the rest is carried for the reviewer"
    );
    let text: String = pdftotext(&case_dir.join("notice.pdf"))
        .split_whitespace()
        .collect();
    assert!(text.contains("receipt-2.jpg"), "the file is named: {text}");
}

#[test]
fn a_till_receipt_in_place_of_the_receipt_asks_for_a_proper_one_and_is_never_paid() {
    let dir = scratch("till-receipt");
    generate(&dir, 1, 11);
    let truth: Value = {
        let t = fs::read_dir(dir.join("truth"))
            .unwrap()
            .flatten()
            .next()
            .unwrap()
            .path();
        serde_json::from_slice(&fs::read(t).unwrap()).unwrap()
    };
    let id = truth["id"].as_str().unwrap();
    let sub = dir.join("inbox").join(id);
    for d in truth["documents"].as_array().unwrap() {
        if d["kind"] == "receipt" {
            let _ = fs::remove_file(sub.join(d["file"].as_str().unwrap()));
        }
    }
    // A real photo kept in the repository (tests/fixtures/README.md: source and licence).
    let photo = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/till-receipt-photo.jpg");
    fs::copy(&photo, sub.join("receipt.jpg"))
        .unwrap_or_else(|e| panic!("{}: {e}", photo.display()));
    run_once(&dir, "");
    let all = decisions(&dir);
    assert_eq!(all.len(), 1);
    let (case_dir, d) = &all[0];
    assert_eq!(d["outcome"], "incomplete", "{d}");
    assert_eq!(d["amount_yen"], 0);
    let text: String = pdftotext(&case_dir.join("notice.pdf"))
        .split_whitespace()
        .collect();
    assert!(text.contains("補正"), "a 補正依頼: {text}");
    assert!(
        text.contains("領収"),
        "names the 領収書 and what it must carry: {text}"
    );
}

#[test]
fn extract_prints_one_compact_json_object_per_document() {
    let dir = corpus_run();
    // Use the archived originals: the inbox is empty after the run.
    let month = fs::read_dir(dir.join("state/archive"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let mut files: Vec<PathBuf> = fs::read_dir(month)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg" || e == "png"))
        .collect();
    files.sort();
    files.truncate(2);
    let mut args = vec!["extract".to_string()];
    args.extend(files.iter().map(|p| p.display().to_string()));
    args.push("--json".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = kyufu(dir, &args);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.len() >= 2);
    for l in lines {
        let v: Value = serde_json::from_str(l).expect("each line is one JSON object");
        assert!(v["kind"].is_string() && v["fields"].is_object() && v["source"].is_string());
    }
}

#[test]
fn decide_prints_the_decision_without_writing_anything() {
    let dir = scratch("decide");
    generate(&dir, 1, 11);
    let sub = first_submission(&dir);
    let out = kyufu(&dir, &["decide", &sub.display().to_string(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    let d: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert!(d["outcome"].is_string() && d["amount_yen"].is_i64());
    assert!(!dir.join("outbox").exists() || fs::read_dir(dir.join("outbox")).unwrap().count() == 0);
    assert!(sub.exists(), "the folder is left where it was");
}

/// `run` and `decide` take a submission apart the same way (one reading of a folder): the same
/// decision for the same folder, also when its `application.json` is not JSON.
#[test]
fn decide_and_run_decide_a_folder_alike() {
    let dir = scratch("decide-like-run");
    generate(&dir, 1, 17);
    let sub = first_submission(&dir);
    let decide = || -> Value {
        let config = dir.join("kyufu-decide.toml");
        fs::write(&config, "settle_ms = 0\n").unwrap();
        let out = Command::new(KYUFU)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["--config", &config.display().to_string()])
            .args(["decide", &sub.display().to_string(), "--json"])
            .output()
            .expect("run kyufu");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("one JSON object")
    };

    fs::write(sub.join("application.json"), b"{ this is not JSON").unwrap();
    let decided = decide();

    run_once(
        &dir,
        "run --once on a folder with a broken application.json: ",
    );
    let (_, ran) = decisions(&dir)
        .into_iter()
        .next()
        .expect("run decided the folder");
    for key in ["outcome", "amount_yen", "reasons"] {
        assert_eq!(
            decided[key], ran[key],
            "{key}: decide {decided} / run {ran}"
        );
    }
    assert!(
        decided["reasons"].to_string().contains("benefit"),
        "a broken application leaves its facts missing, named: {decided}"
    );
}

#[test]
fn bad_arguments_exit_2() {
    let out = Command::new(KYUFU).args(["run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(KYUFU).args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
