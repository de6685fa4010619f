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
            format!(
                "{}scan_interval_ms = 200\nworkers = 1\n{extra_config}",
                if extra_config.contains("settle_ms") {
                    ""
                } else {
                    "settle_ms = 300\n"
                }
            ),
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
    fn start(&self, log: &Path) -> Running {
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
            .map(Running)
            .expect("start kyufu watch")
    }

    /// Starts `kyufu watch` and waits until it says it is watching (its signal handler is set then).
    fn start_ready(&self, log: &Path) -> Running {
        let before = watching_lines(log);
        let child = self.start(log);
        let start = Instant::now();
        while watching_lines(log) == before {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "kyufu watch did not start"
            );
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
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn journal(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.state().join("journal.sqlite")).unwrap()
    }
}

/// A running `kyufu watch`, killed if a failing test drops it (so it never outlives the test).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn watching_lines(log: &Path) -> usize {
    fs::read_to_string(log).map_or(0, |t| t.matches("watching the inbox").count())
}

/// The log without its colour codes.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn count_entries(dir: &Path) -> usize {
    fs::read_dir(dir).map_or(0, |rd| rd.count())
}

/// SIGTERM, then the exit code.
fn stop(mut running: Running) -> Option<i32> {
    let child = &mut running.0;
    // SAFETY: kill(2) on our own child's pid.
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
    const FAMILY: [&str; 10] = [
        "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
    ];
    const GIVEN: [&str; 10] = [
        "美咲",
        "陽子",
        "直美",
        "恵",
        "由美",
        "真由美",
        "智子",
        "裕子",
        "愛",
        "香織",
    ];
    format!(
        "{} {}{}",
        FAMILY[i % 10],
        GIVEN[(i / 10) % 10],
        ["", "子", "江", "乃"][(i / 100) % 4]
    )
}

fn write_submission(inbox: &Path, folder: &str, app: &Value) {
    let dir = inbox.join(folder);
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("application.json"),
        serde_json::to_vec_pretty(app).unwrap(),
    )
    .unwrap();
}

#[test]
fn a_digital_receipt_is_read_without_ocr() {
    let s = Service::new("watch-pdf", "");
    let path = s.dir.join("r.pdf");
    fs::write(
        &path,
        pdf::receipt_pdf("山田 花子", "介護職員初任者研修", 99000),
    )
    .unwrap();
    let out = s
        .command(&["extract", &path.display().to_string(), "--json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one document");
    assert_eq!(doc["kind"], "receipt", "{doc}");
    assert_eq!(doc["fields"]["payer_name"]["value"], "山田 花子");
    assert_eq!(doc["fields"]["course_name"]["value"], "介護職員初任者研修");
}

/// The narrowest crash window, made on purpose: `finish` has moved an intake's last file but not yet
/// journaled it done. The restart finds the claim's folder empty; the intake must still end `done`
/// (the random crash test once left one `written` this way).
#[test]
fn a_crash_after_the_last_file_moved_but_before_done_is_finished_on_restart() {
    let s = Service::new("watch-written", "settle_ms = 0\n");
    fs::write(s.inbox().join("junk.pdf"), "this is not a pdf").unwrap();
    let run = |s: &Service| {
        let out = s.command(&["run", "--once"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&s);
    let db = s.journal();
    let (id, claim): (i64, String) = db
        .query_row(
            "SELECT id, claim FROM intakes WHERE submission = 'junk.pdf' AND stage = 'done'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the junk file was taken and finished");
    // Back to the moment before `finish` journaled: files moved, intake `written`, folder left.
    db.execute("UPDATE intakes SET stage = 'written' WHERE id = ?1", [id])
        .unwrap();
    db.execute("UPDATE files SET state = 'claimed' WHERE intake = ?1", [id])
        .unwrap();
    drop(db);
    fs::create_dir_all(s.state().join("claimed").join(&claim)).unwrap();
    run(&s);
    let db = s.journal();
    let stage: String = db
        .query_row("SELECT stage FROM intakes WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(stage, "done");
    let state: String = db
        .query_row("SELECT state FROM files WHERE intake = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(state, "quarantined", "its planned place");
    assert!(!s.state().join("claimed").join(&claim).exists());
}

/// What a dropped entry is, and so what must become of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dropped {
    /// A new submission: decided.
    Submission(usize),
    /// The same bytes as submission `n` again, under another folder name: a duplicate.
    Again(usize),
    /// Not a document (text named .pdf): quarantined, or a duplicate if those bytes came before.
    Junk(usize),
}

fn drop_entry(inbox: &Path, name: &str, what: Dropped) {
    match what {
        Dropped::Submission(n) | Dropped::Again(n) => {
            write_submission(inbox, name, &application(n, &person(n)))
        }
        Dropped::Junk(n) => fs::write(inbox.join(name), format!("メモ {}\n", n % 25)).unwrap(),
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
    let mut plan: Vec<(String, Dropped)> = Vec::new();
    let mut submissions = 0;
    for i in 0..320 {
        let roll = rng.random_range(0..10);
        let what = if roll < 8 || submissions == 0 {
            submissions += 1;
            Dropped::Submission(submissions - 1)
        } else if roll == 8 {
            Dropped::Again(rng.random_range(0..submissions))
        } else {
            Dropped::Junk(i)
        };
        let name = match what {
            Dropped::Junk(_) => format!("loose-{i:04}.pdf"),
            _ => format!("sub-{i:04}"),
        };
        plan.push((name, what));
    }
    let bursts: Vec<Vec<(String, Dropped)>> = plan.chunks(20).map(|c| c.to_vec()).collect();
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
        child.0.kill().unwrap(); // SIGKILL
        child.0.wait().unwrap();
        kills += 1;
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "bounded in time"
        );
    }
    dropper.join().unwrap();
    let child = s.start_ready(&log);
    assert!(
        s.wait_idle(Duration::from_secs(120)),
        "everything taken after the last restart"
    );
    assert_eq!(stop(child), Some(0), "SIGTERM ends the service with 0");
    eprintln!(
        "crash test: {} entries, {kills} SIGKILLs, {:.1} s",
        plan.len(),
        started.elapsed().as_secs_f64()
    );

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
        assert_eq!(
            rows.len(),
            1,
            "{name} ({what:?}) has exactly one intake: {rows:?}"
        );
        let (stage, outcome, case_id, content) = &rows[0];
        assert_eq!(stage, "done", "{name}");
        let allowed: &[&str] = match what {
            Dropped::Submission(_) | Dropped::Again(_) => &["decided", "duplicate"],
            Dropped::Junk(_) => &["quarantined", "duplicate"],
        };
        assert!(
            allowed.contains(&outcome.as_str()),
            "{name} ({what:?}) became {outcome}"
        );
        if outcome != "duplicate" {
            *first_of_content.entry(content.clone()).or_default() += 1;
        }
        if outcome == "decided" {
            decided_cases.push(case_id.clone().expect("a decided intake has a case"));
        }
    }
    // Each distinct content was taken in exactly once; all other drops of it are duplicates.
    assert!(
        first_of_content.values().all(|n| *n == 1),
        "{first_of_content:?}"
    );
    let distinct_submissions = plan
        .iter()
        .filter_map(|(_, w)| match w {
            Dropped::Submission(n) | Dropped::Again(n) => Some(*n),
            Dropped::Junk(_) => None,
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
            .query_row(
                "SELECT COUNT(*) FROM decisions WHERE case_id = ?1",
                [case],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "{case} decided once");
        let outputs: i64 = db
            .query_row(
                "SELECT COUNT(*) FROM outputs WHERE case_id = ?1",
                [case],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(outputs, 3);
        let mut files: Vec<String> = fs::read_dir(s.dir.join("outbox").join(case))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(
            files,
            ["decision.json", "documents.json", "notice.pdf"],
            "{case}"
        );
        let d: Value = serde_json::from_slice(
            &fs::read(s.dir.join("outbox").join(case).join("decision.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(d["case_id"], case.as_str());
    }
    // Every file row reached its final state; quarantined and duplicate files are in their folders.
    let open: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM files WHERE state = 'claimed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(open, 0);
    let quarantined: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM files WHERE state = 'quarantined'",
            [],
            |r| r.get(0),
        )
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

/// Writes the bad inputs into `inbox`: (name, what must become of it). `None` = ignored in place.
fn malformed_inputs(inbox: &Path) -> Vec<(&'static str, Option<&'static str>)> {
    use std::io::Write;
    let mut out = Vec::new();
    // Issue 2's bad inputs (truncated JPEG, zero-byte, text named .pdf, encrypted PDF, 30000×30000
    // PNG, unreadable TIFF), as the end-to-end test writes them.
    for name in super::bad_inputs(inbox) {
        out.push((name, Some("")));
    }
    // A decompression bomb: a content stream that inflates to 64 MB of nothing.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..64 {
        z.write_all(&chunk).unwrap();
    }
    let bomb = z.finish().unwrap();
    let mut pdf = b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>> endobj\n".to_vec();
    pdf.extend_from_slice(
        format!(
            "4 0 obj <</Length {}/Filter/FlateDecode>> stream\n",
            bomb.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&bomb);
    pdf.extend_from_slice(b"\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n");
    fs::write(inbox.join("bomb.pdf"), pdf).unwrap();
    out.push(("bomb.pdf", Some("")));
    // A 10,000-page PDF.
    {
        use lopdf::{dictionary, Document, Object};
        let mut doc = Document::with_version("1.4");
        let pages_id = doc.new_object_id();
        let kids: Vec<Object> = (0..10_000)
            .map(|_| {
                doc.add_object(dictionary! {"Type" => "Page", "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()]})
                    .into()
            })
            .collect();
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => kids, "Count" => 10_000}),
        );
        let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
        doc.trailer.set("Root", catalog);
        doc.save(inbox.join("pages-10000.pdf")).unwrap();
    }
    out.push(("pages-10000.pdf", Some("ページ")));
    // A cyclic page tree: the page-tree node is its own kid.
    fs::write(
        inbox.join("cyclic.pdf"),
        "%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[2 0 R 3 0 R]/Count 2/Parent 2 0 R>> endobj\n3 0 obj <</Type/Page/Parent 3 0 R/MediaBox[0 0 595 842]/Resources 3 0 R>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n",
    )
    .unwrap();
    out.push(("cyclic.pdf", Some("")));
    // A symbolic link out of the inbox: moved aside, never followed.
    std::os::unix::fs::symlink("/etc/passwd", inbox.join("passwd.pdf")).unwrap();
    out.push(("passwd.pdf", Some("シンボリックリンク")));
    // Read-only, and no permissions at all (root can still read it; others get "cannot open").
    for (name, mode) in [("readonly.pdf", 0o444), ("noperm.pdf", 0o000)] {
        fs::write(inbox.join(name), format!("plain words, not a PDF ({name})")).unwrap();
        fs::set_permissions(
            inbox.join(name),
            std::os::unix::fs::PermissionsExt::from_mode(mode),
        )
        .unwrap();
        out.push((name, Some("")));
    }
    let mut files: Vec<(&'static str, Vec<u8>, &'static str)> = vec![
        ("random.jpg", (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect(), "PDF・TIFF・JPEG・PNG"),
        ("header-only.jpg", vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], ""),
        ("no-pages.pdf", b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[]/Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n".to_vec(), ""),
        ("cut.pdf", b"%PDF-1.7\n1 0 obj <</Type/Catalog/Pa".to_vec(), ""),
        ("wide.tif", {
            // A TIFF whose header claims 1,000,000 × 1 pixels.
            let mut t = b"II*\x00\x08\x00\x00\x00".to_vec();
            t.extend_from_slice(&3u16.to_le_bytes());
            for (tag, typ, val) in [(256u16, 4u16, 1_000_000u32), (257, 4, 1), (258, 3, 8)] {
                t.extend_from_slice(&tag.to_le_bytes());
                t.extend_from_slice(&typ.to_le_bytes());
                t.extend_from_slice(&1u32.to_le_bytes());
                t.extend_from_slice(&val.to_le_bytes());
            }
            t.extend_from_slice(&0u32.to_le_bytes());
            t
        }, ""),
        ("scan.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(), "PDF・TIFF・JPEG・PNG"),
        ("scan.bmp", b"BM\x1e\x00\x00\x00\x00\x00\x00\x00\x1a\x00\x00\x00".to_vec(), "PDF・TIFF・JPEG・PNG"),
        ("application.json", br#"{"benefit": "kyoiku_kunren"}"#.to_vec(), "PDF・TIFF・JPEG・PNG"),
        ("bad-crc.png", {
            let mut p = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00".to_vec();
            p.extend_from_slice(&[0, 0, 0, 0]);
            p
        }, ""),
    ];
    // A page that takes longer to read than the time limit (a 2,500 × 3,500 noise scan under a
    // 300 ms limit): quarantined, not a hang.
    let mut img = image::GrayImage::new(2500, 3500);
    for (i, p) in img.pixels_mut().enumerate() {
        p.0[0] = if (i as u32).wrapping_mul(2654435761) >> 31 == 1 {
            0
        } else {
            255
        };
    }
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    files.push(("slow-page.png", png, "制限時間"));
    for (name, bytes, reason) in files {
        fs::write(inbox.join(name), bytes).unwrap();
        out.push((name, Some(reason)));
    }
    // Names kyufu never takes: left where they are.
    for name in [
        "~$draft.pdf",
        "upload.part",
        "x.tmp",
        "dl.crdownload",
        "Thumbs.db",
        "desktop.ini",
        ".hidden.pdf",
    ] {
        fs::write(inbox.join(name), b"%PDF-1.4 not yet").unwrap();
        out.push((name, None));
    }
    out
}

#[test]
fn malformed_inputs_are_quarantined_or_ignored_with_a_reason_and_the_service_stays_up() {
    let s = Service::new("watch-malformed", "document_timeout_ms = 300\n");
    let log = s.dir.join("watch.log");
    let mut child = s.start_ready(&log);
    let inbox = s.inbox();
    let cases = malformed_inputs(&inbox);
    // A file deleted while it settles: never taken, never an error.
    fs::write(inbox.join("gone.jpg"), b"\xFF\xD8\xFF partial").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    fs::remove_file(inbox.join("gone.jpg")).unwrap();
    // A submission with a broken scan beside a good application: decided, the scan quarantined.
    write_submission(&inbox, "with-bad-scan", &application(1, "松本 千尋"));
    fs::write(
        inbox.join("with-bad-scan/scan1.jpg"),
        b"\xFF\xD8\xFF\xE0 truncated",
    )
    .unwrap();
    let quarantined = cases.iter().filter(|c| c.1.is_some()).count();
    let start = Instant::now();
    let q = s.state().join("quarantine");
    loop {
        let done = cases
            .iter()
            .filter(|(n, r)| r.is_some() && q.join(format!("{n}.reason.txt")).exists())
            .count();
        if done == quarantined && q.join("scan1.jpg").exists()
            || start.elapsed() > Duration::from_secs(90)
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        child.0.try_wait().unwrap().is_none(),
        "the service is still up"
    );
    assert!(quarantined >= 20, "{quarantined} kinds");
    for (name, reason) in &cases {
        match reason {
            Some(expect) => {
                let text = fs::read_to_string(q.join(format!("{name}.reason.txt")))
                    .unwrap_or_else(|_| panic!("{name} quarantined with a reason"));
                assert!(
                    text.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
                    "{name}: Japanese: {text}"
                );
                assert!(text.contains(expect), "{name}: {text}");
                assert!(
                    fs::symlink_metadata(q.join(name)).is_ok(),
                    "{name} kept in quarantine"
                );
                assert!(
                    fs::symlink_metadata(inbox.join(name)).is_err(),
                    "{name} not left in the inbox"
                );
            }
            None => assert!(inbox.join(name).exists(), "{name} ignored, left in place"),
        }
    }
    assert!(q.join("scan1.jpg.reason.txt").exists());
    assert_eq!(
        count_entries(&s.dir.join("outbox")),
        1,
        "the good submission was decided"
    );
    assert!(
        fs::read_link(q.join("passwd.pdf")).is_ok(),
        "the link itself, not /etc/passwd's bytes"
    );
    let status = s.status();
    assert!(status["quarantined"].as_i64().unwrap() >= 20, "{status}");
    assert!(!status["last_errors"].as_array().unwrap().is_empty());
    assert_eq!(stop(child), Some(0));
}

#[test]
fn on_a_network_share_polling_alone_takes_a_slow_write_only_when_complete_and_logs_no_personal_data(
) {
    // Events off (what a cifs/nfs inbox gives): only the periodic scan sees anything.
    let s = Service::new("watch-poll", "watch_mode = \"poll\"\nsettle_ms = 1000\n");
    let log = s.dir.join("watch.log");
    let child = s.start_ready(&log);
    let inbox = s.inbox();
    let (applicant, other) = ("長谷川 美穂", "石井 亜希子");
    let app = application(77, applicant);
    write_submission(&inbox, "case-a", &app);
    // The submission is decided before its receipt arrives.
    let start = Instant::now();
    while count_entries(&s.dir.join("outbox")) == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "submission decided"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Its receipt, written in 20 chunks over 5 s (pauses shorter than the settle time): never taken
    // while incomplete, and what is taken is the whole file.
    let receipt = pdf::receipt_pdf(applicant, "介護職員初任者研修", 99000);
    let path = inbox.join("receipt-scan.pdf");
    let chunk = receipt.len().div_ceil(20);
    let mut f = fs::File::create(&path).unwrap();
    for part in receipt.chunks(chunk) {
        std::io::Write::write_all(&mut f, part).unwrap();
        f.sync_all().unwrap();
        std::thread::sleep(Duration::from_millis(250));
        assert!(path.exists(), "taken while still being written");
    }
    drop(f);
    let done = Instant::now();
    // Another person's receipt: no case to join, so it waits as unassigned.
    fs::write(
        inbox.join("other.pdf"),
        pdf::receipt_pdf(other, "医療事務講座", 50000),
    )
    .unwrap();
    assert!(s.wait_idle(Duration::from_secs(30)));
    let taken_after = done.elapsed();
    assert!(
        taken_after >= Duration::from_millis(700),
        "settled before it was taken: {taken_after:?}"
    );
    let db = s.journal();
    let (case_id, versions): (String, i64) = db
        .query_row(
            "SELECT case_id, COUNT(*) FROM decisions GROUP BY case_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        versions, 2,
        "the receipt joined the open case and it was decided again"
    );
    let sha = kyufu::run::files::sha256_hex(&receipt);
    let d: Value = serde_json::from_slice(
        &fs::read(s.dir.join("outbox").join(&case_id).join("decision.json")).unwrap(),
    )
    .unwrap();
    assert!(
        d["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["sha256"] == sha.as_str()),
        "the whole receipt (its full hash) is in the decision: {d}"
    );
    let status = s.status();
    let unassigned = status["unassigned"].as_array().unwrap();
    assert_eq!(unassigned.len(), 1, "{status}");
    assert_eq!(unassigned[0]["file"], "other.pdf");
    assert_eq!(stop(child), Some(0));

    let text = strip_ansi(&fs::read_to_string(&log).unwrap());
    assert!(text.contains("events=false"), "polling only");
    let account = app["bank"]["account_number"].as_str().unwrap();
    let address = app["applicant"]["address"].as_str().unwrap();
    let phone = app["applicant"]["phone"].as_str().unwrap();
    for secret in [applicant, other, "長谷川", "石井", account, address, phone] {
        assert!(!text.contains(secret), "the log names {secret}");
    }
    assert!(text.contains(&case_id), "the log carries case ids");
}

/// (VmRSS, VmHWM) of a process, in kB.
fn memory_kb(pid: u32) -> Option<(u64, u64)> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

#[test]
fn a_burst_of_2000_small_files_keeps_memory_flat() {
    let s = Service::new("watch-burst", "");
    let log = s.dir.join("watch.log");
    let child = s.start_ready(&log);
    let pid = child.0.id();
    let inbox = s.inbox();
    // Small digital receipts of 2,000 different people: each read (no OCR), none joins a case, so
    // each waits as unassigned — the full path of a loose document.
    let n = 2000;
    let staging = s.dir.join("staging");
    fs::create_dir_all(&staging).unwrap();
    for i in 0..n {
        let name = format!("r-{i:04}.pdf");
        fs::write(
            staging.join(&name),
            pdf::receipt_pdf(
                &format!("{} {i}", person(i)),
                "介護職員初任者研修",
                10000 + i as u32,
            ),
        )
        .unwrap();
    }
    let start = Instant::now();
    for i in 0..n {
        let name = format!("r-{i:04}.pdf");
        fs::rename(staging.join(&name), inbox.join(&name)).unwrap();
    }
    let mut samples = Vec::new();
    let mut quarter_rss = None;
    loop {
        let left = count_entries(&inbox) + count_entries(&s.state().join("claimed"));
        if let Some((rss, _)) = memory_kb(pid) {
            samples.push(rss);
            if left <= n * 3 / 4 && quarter_rss.is_none() {
                quarter_rss = Some(rss);
            }
        }
        if left == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(240),
            "burst processed in time ({left} left)"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let elapsed = start.elapsed();
    let (end_rss, peak) = memory_kb(pid).unwrap();
    let quarter = quarter_rss.unwrap_or(end_rss);
    eprintln!(
        "burst: {n} files in {:.1} s ({:.1} ms/file); RSS after a quarter {} MB, at the end {} MB, peak {} MB",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / n as f64,
        quarter / 1024,
        end_rss / 1024,
        peak / 1024
    );
    assert_eq!(stop(child), Some(0));
    let db = s.journal();
    let unassigned: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM files WHERE state = 'unassigned'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unassigned, n as i64);
    // Flat: the last three quarters of the burst add no more than 32 MB, and the peak stays small.
    assert!(
        end_rss <= quarter + 32 * 1024,
        "RSS grew from {quarter} kB to {end_rss} kB"
    );
    assert!(peak < 512 * 1024, "peak RSS {peak} kB");
}
