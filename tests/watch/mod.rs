//! The watcher service as staff and scanners meet it: `kyufu watch` on real folders, killed and
//! restarted, fed bad files, slow writers and bursts; plus the model-based test of the scanner and
//! the claim. Inputs need no OCR (application-only submissions, hand-written digital PDFs) so these
//! run in CI in well under a few minutes.

mod model;
mod pdf;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{scratch, KYUFU};

/// A folder with inbox/, outbox/, state/ and a config with short times.
struct Service {
    dir: PathBuf,
    config: PathBuf,
}

impl Service {
    fn new(name: &str, extra_config: &str) -> Service {
        let dir = scratch(name);
        fs::create_dir_all(dir.join("inbox")).unwrap();
        let config = dir.join("kyufu-test.toml");
        fs::write(
            &config,
            format!("settle_ms = 300\nscan_interval_ms = 200\nworkers = 1\n{extra_config}"),
        )
        .unwrap();
        Service { dir, config }
    }

    fn inbox(&self) -> PathBuf {
        self.dir.join("inbox")
    }

    fn state(&self) -> PathBuf {
        self.dir.join("state")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(KYUFU);
        c.current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("--config")
            .arg(&self.config)
            .arg("--inbox")
            .arg(self.inbox())
            .arg("--outbox")
            .arg(self.dir.join("outbox"))
            .arg("--state")
            .arg(self.state())
            .args(args);
        c
    }

    /// Starts `kyufu watch`, its stderr to `log` (appended).
    fn start(&self, log: &Path) -> Child {
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        self.command(&["watch"])
            .env("KYUFU_LOG", "kyufu=debug")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start kyufu watch")
    }

    /// Starts `kyufu watch` and waits until it says it is watching (its signal handler is set then).
    fn start_ready(&self, log: &Path) -> Child {
        let before = watching_lines(log);
        let child = self.start(log);
        let start = Instant::now();
        while watching_lines(log) == before {
            assert!(start.elapsed() < Duration::from_secs(30), "kyufu watch did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        child
    }

    /// Waits until the inbox and state/claimed are both empty (everything taken and finished).
    fn wait_idle(&self, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            let inbox = count_entries(&self.inbox());
            let claimed = count_entries(&self.state().join("claimed"));
            if inbox == 0 && claimed == 0 {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    fn status(&self) -> Value {
        let out = self.command(&["status", "--json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn journal(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.state().join("journal.sqlite")).unwrap()
    }
}

fn watching_lines(log: &Path) -> usize {
    fs::read_to_string(log).map_or(0, |t| t.matches("watching the inbox").count())
}

fn count_entries(dir: &Path) -> usize {
    fs::read_dir(dir).map_or(0, |rd| rd.count())
}

/// SIGTERM, then the exit code.
fn stop(mut child: Child) -> Option<i32> {
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code();
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// An online application (application.json) for `name`; every person gets distinct details.
fn application(i: usize, name: &str) -> Value {
    json!({
        "benefit": "kyoiku_kunren",
        "applied_on": "2026-07-10",
        "applicant": {"name": name, "name_kana": "テスト", "birth_date": "1990-04-01",
                      "address": format!("埼玉県さいたま市浦和区常盤{}丁目{}番", i % 9 + 1, i + 3),
                      "phone": format!("048-555-{:04}", i)},
        "children": [{"name": format!("{name}の子"), "birth_date": "2015-06-01"}],
        "independence_program_on": "2025-12-01",
        "prior_receipt": false,
        "employment_insurance": {"entitled": false, "benefit_yen": 0},
        "course": {"name": "介護職員初任者研修", "institution": "学校法人さくら学園", "kind": "general",
                   "designated_on": "2025-12-20", "started_on": "2026-01-10",
                   "completed_on": "2026-06-30", "years": 1},
        "bank": {"bank_code": "0001", "branch_code": "001", "account_type": "ordinary",
                 "account_number": format!("{:07}", 3_000_000 + i * 7919), "holder_kana": "ﾃｽﾄ"}
    })
}

/// Family names × given names: distinct people.
fn person(i: usize) -> String {
    const FAMILY: [&str; 10] = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"];
    const GIVEN: [&str; 10] = ["美咲", "陽子", "直美", "恵", "由美", "真由美", "智子", "裕子", "愛", "香織"];
    format!("{} {}{}", FAMILY[i % 10], GIVEN[(i / 10) % 10], ["", "子", "江", "乃"][(i / 100) % 4])
}

fn write_submission(inbox: &Path, folder: &str, app: &Value) {
    let dir = inbox.join(folder);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("application.json"), serde_json::to_vec_pretty(app).unwrap()).unwrap();
}

#[test]
fn a_digital_receipt_is_read_without_ocr() {
    let s = Service::new("watch-pdf", "");
    let path = s.dir.join("r.pdf");
    fs::write(&path, pdf::receipt_pdf("山田 花子", "介護職員初任者研修", 99000)).unwrap();
    let out = s
        .command(&["extract", &path.display().to_string(), "--json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one document");
    assert_eq!(doc["kind"], "receipt", "{doc}");
    assert_eq!(doc["fields"]["payer_name"]["value"], "山田 花子");
    assert_eq!(doc["fields"]["course_name"]["value"], "介護職員初任者研修");
}

/// What a dropped entry is, and so what must become of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Drop {
    /// A new submission: decided.
    Submission(usize),
    /// The same bytes as submission `n` again, under another folder name: a duplicate.
    Again(usize),
    /// Not a document (text named .pdf): quarantined, or a duplicate if those bytes came before.
    Junk(usize),
}

fn drop_entry(inbox: &Path, name: &str, what: Drop) {
    match what {
        Drop::Submission(n) | Drop::Again(n) => write_submission(inbox, name, &application(n, &person(n))),
        Drop::Junk(n) => fs::write(inbox.join(name), format!("メモ {}\n", n % 25)).unwrap(),
    }
}

#[test]
fn killed_at_random_points_and_restarted_every_file_is_accounted_for_exactly_once() {
    use rand::{Rng, SeedableRng};
    let s = Service::new("watch-crash", "");
    let log = s.dir.join("watch.log");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20260703);
    // 320 entries in 16 bursts: 80% new submissions, 10% submissions again, 10% junk files (of 25
    // distinct contents, so some junk is itself a duplicate).
    let mut plan: Vec<(String, Drop)> = Vec::new();
    let mut submissions = 0;
    for i in 0..320 {
        let roll = rng.random_range(0..10);
        let what = if roll < 8 || submissions == 0 {
            submissions += 1;
            Drop::Submission(submissions - 1)
        } else if roll == 8 {
            Drop::Again(rng.random_range(0..submissions))
        } else {
            Drop::Junk(i)
        };
        let name = match what {
            Drop::Junk(_) => format!("loose-{i:04}.pdf"),
            _ => format!("sub-{i:04}"),
        };
        plan.push((name, what));
    }
    let bursts: Vec<Vec<(String, Drop)>> = plan.chunks(20).map(|c| c.to_vec()).collect();
    let started = Instant::now();
    let dropper = {
        let inbox = s.inbox();
        let seed = rng.random::<u64>();
        std::thread::spawn(move || {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            for burst in bursts {
                for (name, what) in burst {
                    drop_entry(&inbox, &name, what);
                }
                std::thread::sleep(Duration::from_millis(rng.random_range(100..600)));
            }
        })
    };
    let mut kills = 0;
    while kills < 24 || !dropper.is_finished() {
        let mut child = s.start(&log);
        std::thread::sleep(Duration::from_millis(rng.random_range(150..900)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        assert!(started.elapsed() < Duration::from_secs(240), "bounded in time");
    }
    dropper.join().unwrap();
    let child = s.start_ready(&log);
    assert!(s.wait_idle(Duration::from_secs(120)), "everything taken after the last restart");
    assert_eq!(stop(child), Some(0), "SIGTERM ends the service with 0");
    eprintln!("crash test: {} entries, {kills} SIGKILLs, {:.1} s", plan.len(), started.elapsed().as_secs_f64());

    // Every entry has exactly one intake, finished, with an outcome its kind allows.
    let db = s.journal();
    let mut decided_cases = Vec::new();
    let mut first_of_content: std::collections::BTreeMap<String, usize> = Default::default();
    for (name, what) in &plan {
        let rows: Vec<(String, String, Option<String>, String)> = db
            .prepare("SELECT stage, COALESCE(outcome, ''), case_id, content_id FROM intakes WHERE submission = ?1")
            .unwrap()
            .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows.len(), 1, "{name} ({what:?}) has exactly one intake: {rows:?}");
        let (stage, outcome, case_id, content) = &rows[0];
        assert_eq!(stage, "done", "{name}");
        let allowed: &[&str] = match what {
            Drop::Submission(_) | Drop::Again(_) => &["decided", "duplicate"],
            Drop::Junk(_) => &["quarantined", "duplicate"],
        };
        assert!(allowed.contains(&outcome.as_str()), "{name} ({what:?}) became {outcome}");
        if outcome != "duplicate" {
            *first_of_content.entry(content.clone()).or_default() += 1;
        }
        if outcome == "decided" {
            decided_cases.push(case_id.clone().expect("a decided intake has a case"));
        }
    }
    // Each distinct content was taken in exactly once; all other drops of it are duplicates.
    assert!(first_of_content.values().all(|n| *n == 1), "{first_of_content:?}");
    let distinct_submissions = plan
        .iter()
        .filter_map(|(_, w)| match w {
            Drop::Submission(n) | Drop::Again(n) => Some(*n),
            Drop::Junk(_) => None,
        })
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    assert_eq!(decided_cases.len(), distinct_submissions);

    // No output written twice: one decision per case, three journaled outputs, and exactly those
    // three files in the case's folder (no torn or temporary files).
    let mut listed: Vec<String> = fs::read_dir(s.dir.join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    decided_cases.sort();
    assert_eq!(listed, decided_cases, "one outbox folder per decided case");
    for case in &decided_cases {
        let n: i64 = db
            .query_row("SELECT COUNT(*) FROM decisions WHERE case_id = ?1", [case], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "{case} decided once");
        let outputs: i64 = db
            .query_row("SELECT COUNT(*) FROM outputs WHERE case_id = ?1", [case], |r| r.get(0))
            .unwrap();
        assert_eq!(outputs, 3);
        let mut files: Vec<String> = fs::read_dir(s.dir.join("outbox").join(case))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, ["decision.json", "documents.json", "notice.pdf"], "{case}");
        let d: Value = serde_json::from_slice(&fs::read(s.dir.join("outbox").join(case).join("decision.json")).unwrap()).unwrap();
        assert_eq!(d["case_id"], case.as_str());
    }
    // Every file row reached its final state; quarantined and duplicate files are in their folders.
    let open: i64 = db
        .query_row("SELECT COUNT(*) FROM files WHERE state = 'claimed'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(open, 0);
    let quarantined: i64 = db
        .query_row("SELECT COUNT(*) FROM files WHERE state = 'quarantined'", [], |r| r.get(0))
        .unwrap();
    let in_quarantine = fs::read_dir(s.state().join("quarantine"))
        .unwrap()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            !n.starts_with('.') && !n.ends_with(".reason.txt")
        })
        .count();
    assert_eq!(in_quarantine as i64, quarantined);
    assert_eq!(count_entries(&s.state().join("claimed")), 0);
}
