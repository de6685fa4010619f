//! The `kyufu` command line (DESIGN.md, "CLI"): parses arguments, reads the clock and the config, calls
//! the library, prints. Nothing else lives here.
//!
//! Exit codes: 0 success; 1 the run failed; 2 bad arguments. With `--json`, stdout carries only compact
//! JSON, one object per line; logs and progress go to stderr.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use kyufu::config::Config;
use kyufu::payment::batch::{self, BatchError};
use kyufu::review::{Actor, Desk, ReviewError};
use kyufu::run::{decide_folder, status, Reader, Runner};

#[derive(Parser)]
#[command(
    name = "kyufu",
    version,
    about = "ひとり親家庭の給付金: 受付フォルダの書類を読み、決定案と通知書案を作ります"
)]
struct Cli {
    #[command(flatten)]
    folders: Folders,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Folders {
    /// Configuration file (default: ./kyufu.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Inbox folder (受付フォルダ).
    #[arg(long, global = true)]
    inbox: Option<PathBuf>,
    /// Outbox folder (出力フォルダ).
    #[arg(long, global = true)]
    outbox: Option<PathBuf>,
    /// State folder: journal, archive, quarantine, duplicates.
    #[arg(long, global = true)]
    state: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// The service: take each inbox entry as it settles, until SIGINT/SIGTERM (then exit 0).
    Watch,
    /// Show the queue, in-flight work, quarantine, duplicates, unassigned documents, last errors.
    Status {
        /// Print JSON (one compact object).
        #[arg(long)]
        json: bool,
    },
    /// Process everything now in the inbox, then exit.
    Run {
        /// Process once and exit (the only mode of `run`).
        #[arg(long, required = true)]
        once: bool,
    },
    /// Read documents and print one JSON object per document found.
    Extract {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON (one compact object per line).
        #[arg(long)]
        json: bool,
    },
    /// Print a plan PDF from its JSON (README, "Plans"): the 自立支援プログラム計画書 or the
    /// 親子交流支援計画書 (or, where the rules of seed 000 5-(1)-カ refuse it, the refusal notice).
    Plan {
        #[command(subcommand)]
        kind: PlanKind,
    },
    /// Decide one submission folder without writing anything; print the decision.
    Decide {
        dir: PathBuf,
        /// Print JSON (one compact object).
        #[arg(long)]
        json: bool,
    },
    /// Users of the review desk (担当者・決裁者・管理者).
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// The review desk: the queue, one case, corrections.
    Review {
        #[command(subcommand)]
        action: ReviewAction,
    },
    /// 起案: send a case's draft decision up for approval.
    Submit {
        case: String,
        #[command(flatten)]
        who: Who,
    },
    /// 決裁: approve a submitted case (決裁者 only; never the drafter or a corrector).
    Approve {
        case: String,
        #[command(flatten)]
        who: Who,
        /// Print JSON (one compact object).
        #[arg(long)]
        json: bool,
    },
    /// 差戻し: send a submitted case back with a comment.
    Sendback {
        case: String,
        /// Why it goes back (差戻しの理由).
        #[arg(long)]
        comment: String,
        #[command(flatten)]
        who: Who,
    },
    /// 総合振込: write the bank file and its CSV for approved payments not yet exported
    /// (決裁者・管理者), cancel a batch not yet sent, mark one sent, or verify a file.
    ExportPayments {
        /// 振込指定日 (a bank business day, today or later), or `next`: the first bank business day
        /// after today.
        #[arg(long, value_name = "YYYY-MM-DD|next", value_parser = pay_date, required_unless_present_any = ["cancel", "sent", "verify"])]
        date: Option<PayDate>,
        /// Cancel batch N (not yet sent): its payments return to the pool.
        #[arg(long, value_name = "N", conflicts_with_all = ["date", "sent", "verify"])]
        cancel: Option<i64>,
        /// Mark batch N as sent to the bank (it can no longer be cancelled).
        #[arg(long, value_name = "N", conflicts_with_all = ["date", "verify"])]
        sent: Option<i64>,
        /// Read FILE back and check it against the journal (exit 1 if it does not match).
        #[arg(long, value_name = "FILE", conflicts_with = "date")]
        verify: Option<PathBuf>,
        /// The 決裁者 or administrator acting (not needed for --verify).
        #[arg(long = "as", value_name = "USER", required_unless_present = "verify")]
        user: Option<String>,
        /// Read the password from the first line of stdin (the only way to give it).
        #[arg(long, requires = "user")]
        password_stdin: bool,
        /// Print JSON (one compact object).
        #[arg(long)]
        json: bool,
    },
    /// The review desk on a web page (審査画面), at [serve] listen in kyufu.toml, until Ctrl+C.
    Serve,
    /// The audit log.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
}

/// `export-payments --date`: a day, or the first bank business day after today.
#[derive(Debug, Clone, Copy)]
enum PayDate {
    On(chrono::NaiveDate),
    Next,
}

fn pay_date(s: &str) -> Result<PayDate, String> {
    if s == "next" {
        return Ok(PayDate::Next);
    }
    s.parse().map(PayDate::On).map_err(|e| format!("{e}"))
}

/// Acting as a user whose password comes on stdin (its first line).
#[derive(Args)]
struct Who {
    /// The user to act as.
    #[arg(long = "as", value_name = "USER")]
    user: String,
    /// Read the password from the first line of stdin (the only way to give it).
    #[arg(long, required = true)]
    password_stdin: bool,
}

#[derive(Subcommand)]
enum UserAction {
    /// Add a user; the password is read from stdin. The first user is an admin added without
    /// --as; after that an admin adds users (stdin: the admin's password, then the new one).
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: kyufu::review::Role,
        /// Read the password(s) from stdin (the only way to give them).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The admin adding the user (not needed for the first admin).
        #[arg(long = "as", value_name = "ADMIN")]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
enum ReviewAction {
    /// Cases by state (要確認 first), with counts.
    List {
        /// Print JSON (one compact object).
        #[arg(long)]
        json: bool,
    },
    /// One case: decision, documents with corrections applied, history, approvals.
    Show {
        case: String,
        /// Print JSON (one compact object).
        #[arg(long)]
        json: bool,
    },
    /// Correct one value read from a document (FILE#FIELD, e.g. receipt.jpg#amount_total or
    /// receipt.jpg#items[1].category, items counted from 0); the case is decided again at once.
    Correct {
        case: String,
        /// FILE#FIELD
        target: String,
        /// The value as the document shows it (a negative amount is refused by kyufu, not clap).
        #[arg(allow_hyphen_values = true)]
        value: String,
        /// Why (訂正の理由).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: Who,
        /// Print JSON (one compact object).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Check the hash chain; exit 1 naming the first entry that does not hold.
    Verify {
        /// Print JSON (one compact object).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum PlanKind {
    /// 自立支援プログラム計画書
    Program {
        /// The plan's JSON.
        file: PathBuf,
        /// Where to write the PDF.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// 親子交流支援計画書
    ParentChild {
        /// The plan's JSON.
        file: PathBuf,
        /// Where to write the PDF.
        #[arg(short, long)]
        output: PathBuf,
        /// The date the rules are checked on (ages, the one-year limit); default today.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
}

fn main() -> ExitCode {
    // Tesseract's OpenMP reads OMP_THREAD_LIMIT only at load: restart once with it set.
    if let Err(e) = kyufu::ocr::reexec_with_openmp_limit() {
        eprintln!("kyufu: OMP_THREAD_LIMIT=1 で再起動できません: {e}");
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // Page readers share one heap (`ocr::share_one_heap`); the desk's many request threads keep
    // glibc's arenas.
    if !matches!(cli.command, Command::Serve) {
        kyufu::ocr::share_one_heap();
    }
    // `kyufu serve` logs each request (user id, path, status) by default: its access log.
    let default_log = if matches!(cli.command, Command::Serve) {
        "kyufu=info"
    } else {
        "kyufu=warn"
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KYUFU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_log)),
        )
        .init();
    match run(cli) {
        Ok(code) => code,
        // A refused request (wrong password, an impossible value, the drafter approving) is a bad
        // argument, and nothing changed.
        Err(e)
            if e.downcast_ref::<ReviewError>()
                .is_some_and(ReviewError::is_refusal)
                || e.downcast_ref::<BatchError>()
                    .is_some_and(BatchError::is_refusal) =>
        {
            eprintln!("kyufu: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("kyufu: エラー: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Stdin's lines (passwords), without their line endings.
fn stdin_lines(n: usize) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::with_capacity(n);
    let stdin = std::io::stdin();
    for _ in 0..n {
        let mut line = String::new();
        stdin.read_line(&mut line).context("標準入力を読めません")?;
        lines.push(line.trim_end_matches(['\n', '\r']).to_string());
    }
    Ok(lines)
}

/// Logs in the user of `who` with the password on stdin's first line.
fn login(
    desk: &mut Desk,
    who: &Who,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> anyhow::Result<Actor> {
    let password = stdin_lines(1)?.remove(0);
    Ok(desk.login(&who.user, &password, now)?)
}

fn print_json_or(json: bool, value: &impl serde::Serialize, text: &str) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(value)?);
    } else {
        print!("{text}");
    }
    Ok(())
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut cfg = Config::load(cli.folders.config.as_deref())?;
    if let Some(p) = cli.folders.inbox {
        cfg.inbox = p;
    }
    if let Some(p) = cli.folders.outbox {
        cfg.outbox = p;
    }
    if let Some(p) = cli.folders.state {
        cfg.state = p;
    }
    match cli.command {
        Command::Watch => {
            // Before opening anything: a signal from now on finishes the entry in hand, then stops.
            kyufu::watch::install_stop_handler();
            let mut runner = Runner::open(cfg)?;
            let summary = runner.watch(&kyufu::watch::STOP, &chrono::Local::now)?;
            eprintln!("{}", summary.line_ja());
        }
        Command::Status { json } => {
            let s = status(&cfg, std::time::SystemTime::now())?;
            if json {
                println!("{}", serde_json::to_string(&s)?);
            } else {
                print!("{}", s.render_ja());
            }
        }
        Command::Run { once: _ } => {
            let mut runner = Runner::open(cfg)?;
            let bar = if std::io::stderr().is_terminal() {
                let bar = indicatif::ProgressBar::new(0);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar
            } else {
                indicatif::ProgressBar::hidden()
            };
            let summary = runner.run_once(chrono::Local::now(), &bar)?;
            eprintln!("{}", summary.line_ja());
        }
        Command::Extract { files, json } => {
            let reader = Reader::new(&cfg)?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for path in files {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("{} を読めません", path.display()))?;
                match reader.read(&name, &bytes) {
                    Ok(docs) => {
                        for d in docs {
                            if json {
                                writeln!(out, "{}", serde_json::to_string(&d)?)?;
                            } else {
                                writeln!(out, "{}", serde_json::to_string_pretty(&d)?)?;
                            }
                        }
                    }
                    Err(e) => eprintln!("{name}: 読み取れません: {e}"),
                }
            }
        }
        Command::Plan { kind } => {
            let templates = kyufu::render::Templates::load(&cfg.templates)?;
            match kind {
                PlanKind::Program { file, output } => {
                    let bytes = std::fs::read(&file)
                        .with_context(|| format!("{} を読めません", file.display()))?;
                    let plan = kyufu::plans::ProgramPlan::from_json_bytes(&bytes)?;
                    let pdf = kyufu::plans::render_program_plan(&plan, &cfg.office, &templates)?;
                    kyufu::run::files::write_durable(&output, &pdf)?;
                    eprintln!(
                        "自立支援プログラム計画書を {} に書き出しました",
                        output.display()
                    );
                }
                PlanKind::ParentChild {
                    file,
                    output,
                    as_of,
                } => {
                    let bytes = std::fs::read(&file)
                        .with_context(|| format!("{} を読めません", file.display()))?;
                    let plan = kyufu::plans::ParentChildPlan::from_json_bytes(&bytes)?;
                    let as_of = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
                    let out = kyufu::plans::render_parent_child(
                        &plan,
                        as_of,
                        &kyufu::plans::ParentChildParams::default(),
                        &cfg.office,
                        &templates,
                    )?;
                    kyufu::run::files::write_durable(&output, &out.pdf)?;
                    if out.refused() {
                        eprintln!(
                            "要件を満たさないため、不承認通知書（案）を {} に書き出しました:",
                            output.display()
                        );
                        for r in &out.reasons {
                            eprintln!("  - {}（{}）", r.message, r.cites);
                        }
                    } else {
                        eprintln!("親子交流支援計画書を {} に書き出しました", output.display());
                    }
                }
            }
        }
        Command::Decide { dir, json } => {
            let reader = Reader::new(&cfg)?;
            let decision = decide_folder(&cfg, &reader, &dir)?;
            if json {
                println!("{}", serde_json::to_string(&decision)?);
            } else {
                println!("{}", serde_json::to_string_pretty(&decision)?);
            }
        }
        Command::User { action } => {
            let UserAction::Add { name, role, by, .. } = action;
            let now = chrono::Local::now().fixed_offset();
            let mut desk = Desk::open(&cfg)?;
            let (actor, password) = match by {
                Some(admin) => {
                    let mut lines = stdin_lines(2)?;
                    let actor = desk.login(&admin, &lines[0], now)?;
                    (Some(actor), lines.remove(1))
                }
                None => (None, stdin_lines(1)?.remove(0)),
            };
            let id = desk.add_user(actor.as_ref(), &name, role, &password, now)?;
            eprintln!(
                "ユーザー {name}（{}、番号 {id}）を登録しました",
                role.label_ja()
            );
        }
        Command::Review { action } => {
            let now = chrono::Local::now().fixed_offset();
            let mut desk = Desk::open(&cfg)?;
            match action {
                ReviewAction::List { json } => {
                    let q = desk.list()?;
                    print_json_or(json, &q, &q.render_ja())?;
                }
                ReviewAction::Show { case, json } => {
                    let v = desk.show(&case)?;
                    print_json_or(json, &v, &v.render_ja())?;
                }
                ReviewAction::Correct {
                    case,
                    target,
                    value,
                    reason,
                    who,
                    json,
                } => {
                    let actor = login(&mut desk, &who, now)?;
                    let c = desk.correct(&actor, &case, &target, &value, &reason, now)?;
                    let text = format!(
                        "{case} {target} を訂正しました: {} → {}\n",
                        c.before.line_ja(),
                        c.after.line_ja()
                    );
                    print_json_or(json, &c, &text)?;
                }
            }
        }
        Command::Submit { case, who } => {
            let now = chrono::Local::now().fixed_offset();
            let mut desk = Desk::open(&cfg)?;
            let actor = login(&mut desk, &who, now)?;
            desk.submit(&actor, &case, now)?;
            eprintln!("{case} を起案しました（決裁待ち）");
        }
        Command::Approve { case, who, json } => {
            let now = chrono::Local::now().fixed_offset();
            let mut desk = Desk::open(&cfg)?;
            let actor = login(&mut desk, &who, now)?;
            let a = desk.approve(&actor, &case, now)?;
            print_json_or(json, &a, &(a.line_ja() + "\n"))?;
        }
        Command::Sendback { case, comment, who } => {
            let now = chrono::Local::now().fixed_offset();
            let mut desk = Desk::open(&cfg)?;
            let actor = login(&mut desk, &who, now)?;
            desk.send_back(&actor, &case, &comment, now)?;
            eprintln!("{case} を差し戻しました");
        }
        Command::ExportPayments {
            date,
            cancel,
            sent,
            verify,
            user,
            password_stdin,
            json,
        } => return export_payments(&cfg, date, cancel, sent, verify, user, password_stdin, json),
        Command::Serve => kyufu::serve::serve(cfg)?,
        Command::Audit {
            action: AuditAction::Verify { json },
        } => {
            let desk = Desk::open(&cfg)?;
            let v = desk.verify_audit()?;
            print_json_or(json, &v, &(v.line_ja() + "\n"))?;
            if v.broken.is_some() {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `kyufu export-payments` (see `payment::batch` and `payment::reconcile`).
#[allow(clippy::too_many_arguments)]
fn export_payments(
    cfg: &Config,
    date: Option<PayDate>,
    cancel: Option<i64>,
    sent: Option<i64>,
    verify: Option<PathBuf>,
    user: Option<String>,
    password_stdin: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let open_journal = || -> anyhow::Result<kyufu::journal::Journal> {
        std::fs::create_dir_all(&cfg.state)
            .with_context(|| format!("フォルダ {} を作れません", cfg.state.display()))?;
        let root = cfg.state.clone();
        Ok(kyufu::journal::Journal::open(
            &kyufu::run::StateDirs { root }.journal(),
        )?)
    };
    if let Some(file) = verify {
        let v = kyufu::payment::reconcile::verify(&open_journal()?, &file)?;
        print_json_or(json, &v, &v.render_ja())?;
        return Ok(if v.ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let (Some(user), true) = (user, password_stdin) else {
        return Err(BatchError::Refused(
            "--as USER --password-stdin で決裁者または管理者として実行してください。".into(),
        )
        .into());
    };
    let now = chrono::Local::now().fixed_offset();
    let who = Who {
        user,
        password_stdin,
    };
    let actor = login(&mut Desk::open(cfg)?, &who, now)?;
    let mut journal = open_journal()?;
    if let Some(id) = cancel.or(sent) {
        let text = batch::change_state(&mut journal, &actor, id, cancel.is_some(), now)?;
        print_json_or(
            json,
            &serde_json::json!({ "batch": id, "cancelled": cancel.is_some() }),
            &text,
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(date) = date else {
        return Err(BatchError::Refused(
            "--date YYYY-MM-DD で振込指定日を指定してください。".into(),
        )
        .into());
    };
    let date = match date {
        PayDate::On(d) => d,
        PayDate::Next => kyufu::payment::calendar::next_business_day(now.date_naive())
            .map_err(|e| BatchError::Payment(e.into()))?,
    };
    let exported = batch::export_batch(&mut journal, cfg, &actor, date, now)?;
    print_json_or(json, &exported, &exported.render_ja())?;
    Ok(ExitCode::SUCCESS)
}
