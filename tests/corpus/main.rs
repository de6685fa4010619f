//! `kyufu-corpus`: writes a generated scan corpus — submission folders for `inbox/` and, beside
//! them, the truth each one should lead to. The CLI only; the generator is `gen.rs`.
//!
//! `kyufu-corpus --out DIR [--count 60] [--seed 1] [--inbox-only] [--capture fax]`

mod gen;

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;

/// 給付金申請のサンプル（架空の領収書・修了証明書のスキャン）を生成します。
#[derive(Debug, Parser)]
#[command(name = "kyufu-corpus", version)]
struct Args {
    /// Where `inbox/` and `truth/` are written.
    #[arg(long)]
    out: PathBuf,
    /// Number of submissions.
    #[arg(long, default_value_t = 60)]
    count: usize,
    /// Seed: the same arguments always give the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write only `inbox/` (no truth files), e.g. for the README's sample.
    #[arg(long)]
    inbox_only: bool,
    /// Every page captured so (scan, fax or photo), to measure what a capture does to the reading;
    /// by default each page's capture is drawn as the seed says.
    #[arg(long, value_parser = capture)]
    capture: Option<gen::Capture>,
}

/// A capture by its id (`scan`, `fax`, `photo`).
fn capture(s: &str) -> Result<gen::Capture, String> {
    [gen::Capture::Scan, gen::Capture::Fax, gen::Capture::Photo]
        .into_iter()
        .find(|c| c.id() == s)
        .ok_or_else(|| format!("scan, fax または photo を指定してください（{s}）"))
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let summary = gen::generate(&gen::Options {
        out: args.out.clone(),
        count: args.count,
        seed: args.seed,
        inbox_only: args.inbox_only,
        capture: args.capture,
    })?;
    let outcomes: Vec<String> = summary
        .by_outcome
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    eprintln!(
        "{}件の申請（{}ファイル、{:.1} MB）を {} に生成しました（{}；{:.1}秒）",
        summary.submissions,
        summary.files,
        summary.bytes as f64 / 1_048_576.0,
        args.out.display(),
        outcomes.join("、"),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
