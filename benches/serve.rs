//! `make bench-serve` (`cargo bench --bench serve`): the desk under load (issue 20). Twenty simulated
//! reviewers, each logged in with their own session, browse and correct on loopback for a bounded
//! time (60 s; `KYUFU_LOAD_SECONDS` to change it): the queue, a filtered queue, a case page, a page
//! image, and every fourth round a correction (which decides the case again and writes its draft
//! notice). It prints the number of requests and errors, p50/p95/max per kind, the RSS of the process
//! (server and clients) after login, at half time and at the end, and `audit verify` afterwards.
//! Exit 1 on any error or a broken audit chain.

#[path = "../tests/serve/http.rs"]
mod http;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::Client;

const REVIEWERS: usize = 20;

fn kyufu(root: &Path, args: &[&str], stdin: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kyufu"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--config")
        .arg(root.join("kyufu-bench.toml"))
        .arg("--inbox")
        .arg(root.join("inbox"))
        .arg("--outbox")
        .arg(root.join("outbox"))
        .arg("--state")
        .arg(root.join("state"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kyufu");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "kyufu {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn rss_mb() -> f64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// (case id, the receipt's target prefix: `FILE`, or `FILE@k` when the file holds several documents)
/// of every case.
fn cases(root: &Path) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for e in fs::read_dir(root.join("outbox")).unwrap().flatten() {
        let docs: serde_json::Value =
            serde_json::from_slice(&fs::read(e.path().join("documents.json")).unwrap()).unwrap();
        let docs = docs.as_array().unwrap();
        let Some(at) = docs.iter().position(|d| d["doc"]["kind"] == "receipt") else {
            continue;
        };
        let file = docs[at]["file"].as_str().unwrap();
        let same: Vec<usize> = (0..docs.len())
            .filter(|i| docs[*i]["file"] == file)
            .collect();
        let prefix = if same.len() > 1 {
            let k = same.iter().position(|i| *i == at).unwrap() + 1;
            format!("{file}@{k}")
        } else {
            file.to_string()
        };
        v.push((e.file_name().to_string_lossy().into_owned(), prefix));
    }
    v.sort();
    v
}

type Samples = Arc<Mutex<Vec<(&'static str, Duration, bool)>>>;
/// What went wrong: (kind, status, the page's message), counted.
type Failures = Arc<Mutex<std::collections::BTreeMap<(&'static str, u16, String), usize>>>;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-serve");
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("kyufu-bench.toml"), "settle_ms = 0\n").unwrap();
    let seconds: u64 = std::env::var("KYUFU_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let status = Command::new(env!("CARGO_BIN_EXE_kyufu-corpus"))
        .args([
            "--out",
            &root.display().to_string(),
            "--count",
            "8",
            "--seed",
            "1",
        ])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "kyufu-corpus");
    kyufu(&root, &["run", "--once"], "");
    kyufu(
        &root,
        &["user", "add", "root", "--role", "admin", "--password-stdin"],
        "root-pass-1\n",
    );
    for r in 0..REVIEWERS {
        let name = format!("reviewer{r:02}");
        kyufu(
            &root,
            &[
                "user",
                "add",
                &name,
                "--role",
                "staff",
                "--password-stdin",
                "--as",
                "root",
            ],
            &format!("root-pass-1\n{name}-pass-1\n"),
        );
    }
    let cases = Arc::new(cases(&root));
    assert!(!cases.is_empty(), "the corpus has cases with a receipt");
    let mut cfg = kyufu::config::Config::load(Some(&root.join("kyufu-bench.toml"))).unwrap();
    cfg.inbox = root.join("inbox");
    cfg.outbox = root.join("outbox");
    cfg.state = root.join("state");
    let server = kyufu::serve::Server::start(cfg.clone(), "127.0.0.1:0").unwrap();
    let addr = server.addr;
    let samples: Samples = Arc::new(Mutex::new(Vec::new()));
    let failures: Failures = Arc::new(Mutex::new(Default::default()));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let half = Instant::now() + Duration::from_secs(seconds / 2);
    let mut workers = Vec::new();
    for r in 0..REVIEWERS {
        let (cases, samples) = (Arc::clone(&cases), Arc::clone(&samples));
        let failures = Arc::clone(&failures);
        workers.push(std::thread::spawn(move || {
            let name = format!("reviewer{r:02}");
            let mut c = Client::new(addr);
            let t = Instant::now();
            let login = c.login(&name, &format!("{name}-pass-1"));
            let logged_in = login.status == 303 && login.header("location") == Some("/");
            let mut mine = vec![("login", t.elapsed(), logged_in)];
            let mut i = 0usize;
            while Instant::now() < deadline {
                let (case, file) = &cases[(r + i) % cases.len()];
                let mut time =
                    |kind: &'static str,
                     expect: u16,
                     f: &mut dyn FnMut(&mut Client) -> http::Resp| {
                        let t = Instant::now();
                        let res = f(&mut c);
                        let ok = res.status == expect;
                        mine.push((kind, t.elapsed(), ok));
                        if !ok {
                            let why = http::text_of(&res.body, "error").unwrap_or_default();
                            *failures
                                .lock()
                                .unwrap()
                                .entry((kind, res.status, why))
                                .or_default() += 1;
                        }
                    };
                time("queue", 200, &mut |c| c.get("/"));
                time("queue?state", 200, &mut |c| {
                    c.get("/cases?state=needs_review")
                });
                time("case", 200, &mut |c| c.get(&format!("/cases/{case}")));
                time("page image", 200, &mut |c| {
                    c.get(&format!("/cases/{case}/docs/0/pages/1"))
                });
                if i % 4 == 3 {
                    let target = format!("{file}#issuer_name");
                    let value = format!("学校法人負荷試験{r}-{i}");
                    time("correct", 303, &mut |c| {
                        c.post(
                            &format!("/cases/{case}/correct"),
                            &[
                                ("target", &target),
                                ("value", &value),
                                ("reason", "負荷試験"),
                            ],
                        )
                    });
                }
                i += 1;
            }
            samples.lock().unwrap().extend(mine);
        }));
    }
    let after_login = rss_mb();
    while Instant::now() < half {
        std::thread::sleep(Duration::from_millis(200));
    }
    let at_half = rss_mb();
    for w in workers {
        w.join().unwrap();
    }
    let at_end = rss_mb();
    drop(server);
    let samples = samples.lock().unwrap();
    let errors = samples.iter().filter(|s| !s.2).count();
    println!(
        "{REVIEWERS} reviewers, {seconds} s, {} cases: {} requests, {errors} errors",
        cases.len(),
        samples.len()
    );
    for kind in [
        "login",
        "queue",
        "queue?state",
        "case",
        "page image",
        "correct",
        "all",
    ] {
        let mut d: Vec<Duration> = samples
            .iter()
            .filter(|s| kind == "all" || s.0 == kind)
            .map(|s| s.1)
            .collect();
        d.sort();
        println!(
            "  {kind:<12} n={:<6} p50 {:>7.1} ms  p95 {:>7.1} ms  max {:>7.1} ms",
            d.len(),
            pct(&d, 0.5),
            pct(&d, 0.95),
            pct(&d, 1.0)
        );
    }
    for ((kind, status, why), n) in failures.lock().unwrap().iter() {
        println!("  error: {kind} {status} x{n}: {why}");
    }
    println!("RSS (server and clients): at start {after_login:.0} MB, at half time {at_half:.0} MB, at the end {at_end:.0} MB");
    let desk = kyufu::review::Desk::open(&cfg).unwrap();
    let v = desk.verify_audit().unwrap();
    println!("audit verify: {}", v.line_ja());
    if errors > 0 || v.broken.is_some() {
        std::process::exit(1);
    }
}
