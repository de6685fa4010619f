//! Developer tool: prints the lines and marks kyufu reads on each page of a file (for tuning the
//! extractor on the generated corpus; never run on real applicants' documents, it prints their data).
//!
//! `cargo run --example lines -- FILE [APPLICATION.json]` (with the application, its names, course,
//! institution and dates are the hints the second looks confirm against, as in `run`).

use kyufu::decode::{decode, Limits, PageContent};
use kyufu::ocr::Models;
use kyufu::reading::{read_image_page, PageEngines};

fn main() {
    // The second looks' debug lines (`KYUFU_LOG=kyufu=debug`), as `kyufu` logs them.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("KYUFU_LOG") {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(filter)
            .init();
    }
    let path = std::env::args()
        .nth(1)
        .expect("usage: lines FILE [APPLICATION.json]");
    let hints = std::env::args()
        .nth(2)
        .map(|app| {
            let bytes = std::fs::read(app).expect("read application");
            let app = kyufu::case::Application::from_json_bytes(&bytes).expect("application");
            kyufu::run::hints_from(&app)
        })
        .unwrap_or_default();
    let bytes = std::fs::read(&path).expect("read");
    // As `run` reads by default: Tesseract reads the page, PP-OCRv6's recognizer witnesses totals
    // and reads doubtful lines again.
    let paddle = kyufu::ocr::PaddleModels::locate(None).expect("PP-OCRv6 models");
    let models = Models::locate(None).expect("models").with_witness(paddle);
    let mut engines = PageEngines::new(&models).expect("engines");
    for page in decode(&bytes, &Limits::default()).expect("decode") {
        match page.content {
            PageContent::Text(t) => {
                for l in t.lines {
                    println!("TEXT  {l}");
                }
            }
            PageContent::Image(img) if std::env::var_os("WORDS").is_some() => {
                let mut prepared = kyufu::ocr::prepare(img);
                println!("skew {}", prepared.skew_degrees);
                // As the pipeline reads it (`ERASE=1`): dot leaders erased first.
                if std::env::var_os("ERASE").is_some() {
                    let n = kyufu::ink::erase_dot_leaders(&mut prepared.gray);
                    println!("dots erased {n}");
                }
                let r = engines.text.recognize(&prepared.gray).expect("ocr");
                for w in r.words {
                    println!("{:?} {:.0} {:?}", w.text, w.confidence, w.bbox);
                }
            }
            PageContent::Image(img) => {
                if let Some(out) = std::env::var_os("DUMP") {
                    // The page as prepared for OCR (deskewed, gray): what the boxes refer to.
                    let mut gray = kyufu::ocr::prepare(img.clone()).gray;
                    if std::env::var_os("ERASE").is_some() {
                        kyufu::ink::erase_dot_leaders(&mut gray);
                    }
                    if std::env::var_os("UNRULED").is_some() {
                        kyufu::ink::erase_rules(&mut gray);
                    }
                    // `page{}.png` names each page of a multi-page file apart.
                    let out = out
                        .to_string_lossy()
                        .replace("{}", &page.number.to_string());
                    gray.save(&out).expect("write the prepared page");
                    // A fax's halftone cells (`HALFTONE=1`, with `ERASE=1` as the page is read),
                    // where its stamps are clustered from, one pixel a cell.
                    if std::env::var_os("HALFTONE").is_some() {
                        let out =
                            format!("{}-halftone.png", out.strip_suffix(".png").unwrap_or(&out));
                        kyufu::ink::halftone_map(&gray)
                            .save(&out)
                            .expect("write the halftone map");
                    }
                }
                let p =
                    read_image_page(&mut engines, page.number, img, &Default::default(), &hints)
                        .expect("ocr");
                // Each line's words with their boxes (`TOKS=1`), to build a test's page from.
                if std::env::var_os("TOKS").is_some() {
                    for l in &p.lines {
                        let t: Vec<String> = l
                            .tokens
                            .iter()
                            .map(|t| {
                                format!(
                                    "({:?},{},{},{},{})",
                                    t.text, t.bbox.x, t.bbox.y, t.bbox.w, t.bbox.h
                                )
                            })
                            .collect();
                        println!("TOK {}", t.join(" "));
                    }
                }
                for l in &p.lines {
                    let conf = l.confidence_of(0, l.tokens.len());
                    println!(
                        "{:>5} {:>4} h{:<3} {:.2} {}",
                        l.bbox.y,
                        l.bbox.x,
                        l.char_height(),
                        conf,
                        l.text()
                    );
                }
                for w in &p.witnesses {
                    println!("witness {:?} {}", w.bbox, w.text);
                }
                println!("marks: {:?}", p.marks);
            }
        }
    }
}
