//! Developer tool: reads page images with PP-OCRv6 and prints the lines with timings; with
//! `--tesseract`, times the `tesseract` CLI (`-l jpn --psm 3`, one OpenMP thread) on the same pages in
//! the same run. For measuring on the generated corpus; never run it on real applicants' documents
//! (it prints what they say).
//!
//! `cargo run --release --example paddle_page -- [--max-side 736] [--quiet] [--tesseract] IMAGE...`

use std::time::{Duration, Instant};

use kyufu::ocr::paddle::{Paddle, DEFAULT_DETECTOR_MAX_SIDE};
use kyufu::ocr::{prepare, PaddleModels};

fn main() {
    let mut max_side = DEFAULT_DETECTOR_MAX_SIDE;
    let (mut quiet, mut tesseract) = (false, false);
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--max-side" => {
                max_side = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--max-side N")
            }
            "--quiet" => quiet = true,
            "--tesseract" => tesseract = true,
            _ => paths.push(arg),
        }
    }
    let start = Instant::now();
    let models = PaddleModels::locate(None).expect("models");
    let mut paddle = Paddle::new(&models, max_side).expect("PP-OCRv6 loads");
    eprintln!(
        "load (check + sessions): {:.3} s",
        start.elapsed().as_secs_f64()
    );
    let (mut det_total, mut rec_total, mut tess_total) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for path in &paths {
        let img = image::open(path).expect("image");
        let gray = prepare(img).gray;
        let t = Instant::now();
        let boxes = paddle.detect(&gray).expect("detect");
        let det = t.elapsed();
        let t = Instant::now();
        let lines = paddle
            .read_boxes(&gray, &boxes, kyufu::ocr::paddle::Script::Japanese)
            .expect("read");
        let rec = t.elapsed();
        det_total += det;
        rec_total += rec;
        let mut summary = format!(
            "{path}: {}x{} det {:.3} s, rec {:.3} s, {} lines",
            gray.width(),
            gray.height(),
            det.as_secs_f64(),
            rec.as_secs_f64(),
            lines.len()
        );
        if tesseract {
            let t = Instant::now();
            let out = std::process::Command::new("tesseract")
                .arg(path)
                .arg("-")
                .args(["-l", "jpn", "--psm", "3"])
                .env("OMP_THREAD_LIMIT", "1")
                .output()
                .expect("tesseract CLI");
            assert!(out.status.success(), "tesseract failed on {path}");
            let took = t.elapsed();
            tess_total += took;
            summary.push_str(&format!(", tesseract CLI {:.3} s", took.as_secs_f64()));
        }
        eprintln!("{summary}");
        if !quiet {
            for line in &lines {
                println!("{:.2}  {}", line.score(), line.text);
            }
        }
    }
    let n = paths.len().max(1) as f64;
    eprintln!(
        "per page over {} pages: det {:.3} s + rec {:.3} s = {:.3} s{}",
        paths.len(),
        det_total.as_secs_f64() / n,
        rec_total.as_secs_f64() / n,
        (det_total + rec_total).as_secs_f64() / n,
        if tesseract {
            format!("; tesseract CLI {:.3} s", tess_total.as_secs_f64() / n)
        } else {
            String::new()
        }
    );
}
