//! `make bench`: kyufu's whole job per page against plain `tesseract -l jpn --psm 3` on the same pages,
//! measured in the same run (the machines are noisy, so only the ratio means much), and kyufu's peak RSS.
//!
//! Both sides get the same parallelism: kyufu runs its default workers (`Config::worker_count` for the
//! bench's config); the baseline keeps as many `tesseract` processes running with `OMP_THREAD_LIMIT=1`,
//! starting the next page as soon as any process finishes (a pool, so no core idles behind a long page).
//! The baseline reads the page images directly (PDF pages extracted with `pdfimages` beforehand, outside
//! the timing); a PDF whose pages cannot all be extracted, or a `tesseract` that fails, stops the bench:
//! a page missing from one side would flatter the ratio. kyufu does everything it does for staff: claim,
//! hash, decode, deskew, OCR, marks, extract, decide, render, journal, archive.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

fn bin(name: &str) -> PathBuf {
    // The bench binary lives in target/<profile>/deps; the tools one level up.
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe.parent().and_then(|p| p.parent()).expect("target dir");
    dir.join(name)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let count = std::env::var("KYUFU_BENCH_SUBMISSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(26u32);
    // The binaries it drives are built by `cargo bench` itself (a bench target builds the package's
    // binaries in the same profile).
    let status = Command::new(bin("kyufu-corpus"))
        .args([
            "--out",
            &root.display().to_string(),
            "--count",
            &count.to_string(),
            "--seed",
            "3",
            "--inbox-only",
        ])
        .status()
        .unwrap();
    assert!(status.success());

    // The baseline's inputs: every page image of every file.
    let pages_dir = root.join("pages");
    std::fs::create_dir_all(&pages_dir).unwrap();
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut files = Vec::new();
    collect(&root.join("inbox"), &mut files);
    files.sort();
    for (i, f) in files.iter().enumerate() {
        match f.extension().and_then(|e| e.to_str()).unwrap_or_default() {
            "pdf" => inputs.extend(pdf_page_images(f, &pages_dir.join(format!("p{i:04}")))),
            "jpg" | "jpeg" | "png" | "tif" | "tiff" => inputs.push(f.clone()),
            // kyufu would read it and the baseline not: the ratio would not compare the same pages.
            _ => panic!("{}: no page image for the baseline", f.display()),
        }
    }
    let pages = count_pages(&inputs);
    let config = root.join("bench.toml");
    std::fs::write(&config, "settle_ms = 0\n").unwrap();
    let workers = kyufu::config::Config::load(Some(&config))
        .expect("bench config")
        .worker_count();

    // Baseline: plain tesseract CLI, a pool of `workers` processes.
    let started = Instant::now();
    tesseract_pool(&inputs, workers);
    let baseline = started.elapsed().as_secs_f64();

    // kyufu, the whole job.
    let started = Instant::now();
    let child = Command::new(bin("kyufu"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--config")
        .arg(&config)
        .args(["--inbox", &root.join("inbox").display().to_string()])
        .args(["--outbox", &root.join("outbox").display().to_string()])
        .args(["--state", &root.join("state").display().to_string()])
        .args(["run", "--once"])
        .spawn()
        .unwrap();
    let (ok, peak_kb) = wait_with_rusage(child);
    let kyufu = started.elapsed().as_secs_f64();
    assert!(ok, "kyufu run --once failed");

    println!(
        "pages: {pages} ({} files, {count} submissions), workers: {workers}",
        files.len()
    );
    println!(
        "tesseract -l jpn --psm 3 (CLI): {:.3} s/page ({baseline:.1} s)",
        baseline / pages as f64
    );
    println!(
        "kyufu run --once (whole job):   {:.3} s/page ({kyufu:.1} s)",
        kyufu / pages as f64
    );
    println!("ratio kyufu / tesseract: {:.2}", kyufu / baseline);
    println!("kyufu peak RSS: {:.0} MB", peak_kb as f64 / 1024.0);
}

/// Runs `tesseract <page> - -l jpn --psm 3` on every page, `workers` at a time: each worker thread takes
/// the next page as soon as its process exits. A failing process stops the bench (a page that fails
/// fast would count as read).
fn tesseract_pool(pages: &[PathBuf], workers: usize) {
    let next = Mutex::new(pages.iter());
    std::thread::scope(|s| {
        for _ in 0..workers.max(1) {
            s.spawn(|| loop {
                let Some(page) = next.lock().unwrap().next() else {
                    break;
                };
                let status = Command::new("tesseract")
                    .arg(page)
                    .args(["-", "-l", "jpn", "--psm", "3"])
                    .env("OMP_THREAD_LIMIT", "1")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("tesseract CLI");
                assert!(status.success(), "tesseract failed on {}", page.display());
            });
        }
    });
}

/// The page images of a scanned PDF, extracted with `pdfimages -all` to `prefix-NNN.*`: exactly one
/// per page (`pdfinfo`'s count), else the bench stops, naming the file.
fn pdf_page_images(pdf: &Path, prefix: &Path) -> Vec<PathBuf> {
    let info = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    assert!(info.status.success(), "pdfinfo failed on {}", pdf.display());
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo gives no page count for {}", pdf.display()));
    let status = Command::new("pdfimages")
        .arg("-all")
        .arg(pdf)
        .arg(prefix)
        .status()
        .expect("pdfimages");
    assert!(status.success(), "pdfimages failed on {}", pdf.display());
    let dir = prefix.parent().expect("prefix has a folder");
    let stem = prefix.file_name().unwrap().to_string_lossy().into_owned();
    let mut images: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{stem}-"))
        })
        .collect();
    images.sort();
    assert_eq!(
        images.len(),
        pages,
        "{}: pdfimages extracted {} images for {pages} pages; the baseline would not read the same pages",
        pdf.display(),
        images.len()
    );
    images
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.file_name().is_some_and(|n| n != "application.json") {
            out.push(p);
        }
    }
}

/// Pages in the inputs (a TIFF may hold several).
fn count_pages(inputs: &[PathBuf]) -> usize {
    inputs
        .iter()
        .map(|p| {
            let is_tiff = p.extension().is_some_and(|e| e == "tif" || e == "tiff");
            if !is_tiff {
                return 1;
            }
            std::fs::File::open(p)
                .ok()
                .and_then(|f| tiff::decoder::Decoder::new(std::io::BufReader::new(f)).ok())
                .map(|mut d| {
                    let mut n = 1;
                    while d.more_images() && d.next_image().is_ok() {
                        n += 1;
                    }
                    n
                })
                .unwrap_or(1)
        })
        .sum()
}

/// Waits for the child and returns (success, peak RSS in KiB) from `wait4`.
fn wait_with_rusage(child: std::process::Child) -> (bool, i64) {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4");
    std::mem::forget(child);
    (
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        usage.ru_maxrss,
    )
}
