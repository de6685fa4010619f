//! run: drives the stages over the inbox — claim, decode, read, extract, assemble, decide, render,
//! write — and records each step in the journal. It sequences only: the page images are read by the
//! `reading` stage (the only caller of the recognition engines), on this module's page workers.
//!
//! Each inbox entry the scanner finds ready is claimed (atomic rename into `state/claimed/<key>/`),
//! recorded in the journal with its content id, then worked in two steps that are each safe to repeat
//! after a crash: *write* (read, decide, write the outputs durably, then journal the decision, the
//! outputs and where every file goes, in one transaction) and *finish* (move every file where the
//! journal says, then mark the intake done). On start, whatever is left in `state/claimed` is resumed
//! from the journal's last finished step, so nothing is lost and no decision is written twice.
//!
//! A bad document never stops the run: it goes to quarantine with a Japanese reason and the run goes
//! on; so does one whose read outlives `document_timeout_ms`. Only what stops kyufu from doing its job
//! at all (no journal, no models, a full disk) is a [`RunError`]. The clock is read by the caller and
//! passed in. Logs carry case ids, claim keys and hashes, never names.
//!
//! Called by `main.rs` for `watch`, `run --once`, `status`, `extract` and `decide`.
//!
//! This file holds the loop (`run_once`, `watch`, `resume`, claiming and reading ahead) and the
//! service's shape; each step of an entry has its own file: `intake` (from the journal's last
//! step), `write` (decide or set aside, and journal it), `outputs` (the case's files in the
//! outbox), `finish` (every file to where the journal planned it). `reader` reads files into
//! documents under the time limit, handing image pages to the [`workers`] (each with its own
//! [`crate::reading::PageEngines`]) and reading the next entries' pages [`ahead`]; `identity` says
//! what a submission and a case are known by, `status` and `decide` serve `kyufu status` and
//! `kyufu decide`.

pub mod ahead;
mod decide;
pub mod files;
mod finish;
mod identity;
mod intake;
mod outputs;
mod reader;
mod status;
pub mod submission;
pub mod workers;
mod write;

pub use decide::decide_folder;
pub use identity::{case_key, content_id};
pub use reader::{hints_from, ReadError, Reader};
pub use status::{status, Status, UnassignedFile};

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Datelike, Local};
use tracing::{debug, info, warn};

use crate::config::Config;
use crate::journal::{Journal, JournalError};
use crate::ocr::OcrError;
use crate::render::{self, Templates};
use crate::rules::Parameters;
use crate::watch::{Entry, Scanner, WakeSource, Waker};

use ahead::ReadAhead;
use files::{quarantine, sha256_hex};

/// What stops a run (not a bad document: that is quarantined).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Journal(#[from] JournalError),
    #[error("{0}")]
    Ocr(#[from] OcrError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Render(#[from] render::RenderError),
    #[error("{0}")]
    Lexicon(#[from] crate::extract::lexicon::LexiconError),
    #[error("状態フォルダ {state} が受付フォルダ {inbox} の中にあります。kyufu は自分の出力を読まないよう、別の場所にしてください")]
    StateInsideInbox { state: String, inbox: String },
}

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> RunError {
    let context = context.into();
    move |source| RunError::Io { context, source }
}

/// Short hash for logs.
fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub submissions: usize,
    pub outcomes: BTreeMap<&'static str, usize>,
    pub quarantined: usize,
    pub duplicates: usize,
    pub unassigned: usize,
}

impl Summary {
    /// The summary line staff read at the end of a run.
    pub fn line_ja(&self) -> String {
        let n = |k: &str| self.outcomes.get(k).copied().unwrap_or(0);
        format!(
            "処理 {} 件（支給 {}・不支給 {}・補正依頼 {}・要確認 {}）、隔離 {} 件、重複 {} 件、未割当 {} 件",
            self.submissions,
            n("pay"),
            n("deny"),
            n("incomplete"),
            n("needs_review"),
            self.quarantined,
            self.duplicates,
            self.unassigned
        )
    }
}

/// The service's state folders.
pub struct StateDirs {
    pub root: PathBuf,
}

impl StateDirs {
    pub fn claimed(&self) -> PathBuf {
        self.root.join("claimed")
    }
    pub fn quarantine(&self) -> PathBuf {
        self.root.join("quarantine")
    }
    pub fn duplicates(&self) -> PathBuf {
        self.root.join("duplicates")
    }
    pub fn unassigned(&self) -> PathBuf {
        self.root.join("unassigned")
    }
    pub fn archive(&self, now: &DateTime<Local>) -> PathBuf {
        self.root
            .join("archive")
            .join(format!("{:04}-{:02}", now.year(), now.month()))
    }
    pub fn journal(&self) -> PathBuf {
        self.root.join("journal.sqlite")
    }
}

/// The service: everything in the inbox, as it becomes ready.
pub struct Runner {
    cfg: Config,
    /// Shared with the thread that reads under a time limit; replaced when a read is abandoned.
    reader: Arc<Reader>,
    journal: Journal,
    params: Parameters,
    templates: Templates,
    state: StateDirs,
    /// Entries whose claim failed (for a reason other than vanishing), so the log says it once.
    unclaimable: BTreeSet<PathBuf>,
    /// Reads begun for the entries next in line (see [`ahead`]).
    ahead: Vec<ReadAhead>,
}

/// Where an intake's files come from: the claimed entry.
struct Claimed {
    key: String,
    /// `claimed/<key>/<name>`.
    path: PathBuf,
    name: String,
    is_dir: bool,
}

impl Runner {
    pub fn open(cfg: Config) -> Result<Runner, RunError> {
        for d in [&cfg.inbox, &cfg.outbox, &cfg.state] {
            fs::create_dir_all(d).map_err(io(format!("フォルダ {} を作れません", d.display())))?;
        }
        let inbox = fs::canonicalize(&cfg.inbox).map_err(io("受付フォルダ"))?;
        let state_abs = fs::canonicalize(&cfg.state).map_err(io("状態フォルダ"))?;
        if state_abs.starts_with(&inbox) {
            return Err(RunError::StateInsideInbox {
                state: cfg.state.display().to_string(),
                inbox: cfg.inbox.display().to_string(),
            });
        }
        let state = StateDirs {
            root: cfg.state.clone(),
        };
        for d in [
            state.claimed(),
            state.quarantine(),
            state.duplicates(),
            state.unassigned(),
        ] {
            fs::create_dir_all(&d).map_err(io(format!("フォルダ {} を作れません", d.display())))?;
        }
        let journal = Journal::open(&state.journal())?;
        let templates = Templates::load(&cfg.templates)?;
        let reader = Arc::new(Reader::new(&cfg)?);
        Ok(Runner {
            cfg,
            reader,
            journal,
            params: Parameters::embedded(),
            templates,
            state,
            unclaimable: BTreeSet::new(),
            ahead: Vec::new(),
        })
    }

    /// The journal (for tests and benchmarks that look at what was recorded).
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Resumes whatever a previous run left claimed, then processes everything in the inbox,
    /// waiting for entries that are still settling.
    pub fn run_once(
        &mut self,
        now: DateTime<Local>,
        progress: &indicatif::ProgressBar,
    ) -> Result<Summary, RunError> {
        let mut summary = Summary::default();
        self.resume(&now, &mut summary)?;
        let settle = Duration::from_millis(self.cfg.settle_ms);
        let mut scanner = Scanner::default();
        loop {
            let scan = scanner
                .scan(&self.cfg.inbox, settle, SystemTime::now())
                .map_err(io("受付フォルダを読めません"))?;
            self.set_links_aside(&scan.links, &now)?;
            progress.inc_length(scan.ready.len() as u64);
            for (i, entry) in scan.ready.iter().enumerate() {
                progress.set_message(entry.name.clone());
                self.read_ahead(&scan.ready, i);
                self.take(entry, &now, &mut summary)?;
                scanner.forget(&entry.path);
                progress.inc(1);
            }
            if scan.settling == 0 {
                break;
            }
            std::thread::sleep(
                (settle / 4).clamp(Duration::from_millis(20), Duration::from_millis(250)),
            );
        }
        progress.finish_and_clear();
        Ok(summary)
    }

    /// The service (`kyufu watch`): resumes, then takes each entry as it becomes ready until `stop`
    /// is set, finishing the entry in hand first. A full scan runs every `scan_interval_ms`, sooner
    /// when a file-system event arrives or a settling entry is due.
    pub fn watch(
        &mut self,
        stop: &AtomicBool,
        clock: &dyn Fn() -> DateTime<Local>,
    ) -> Result<Summary, RunError> {
        let mut summary = Summary::default();
        self.resume(&clock(), &mut summary)?;
        let settle = Duration::from_millis(self.cfg.settle_ms);
        let interval = Duration::from_millis(self.cfg.scan_interval_ms.max(10));
        let (waker, source) = Waker::start(&self.cfg.inbox, self.cfg.watch_mode);
        info!(
            events = (source == WakeSource::Events),
            interval_ms = interval.as_millis() as u64,
            settle_ms = settle.as_millis() as u64,
            "watching the inbox"
        );
        let mut scanner = Scanner::default();
        while !stop.load(Ordering::SeqCst) {
            let scan = scanner
                .scan(&self.cfg.inbox, settle, SystemTime::now())
                .map_err(io("受付フォルダを読めません"))?;
            let now = clock();
            self.set_links_aside(&scan.links, &now)?;
            for (i, entry) in scan.ready.iter().enumerate() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                self.read_ahead(&scan.ready, i);
                self.take(entry, &clock(), &mut summary)?;
                scanner.forget(&entry.path);
            }
            // A stop may leave a read begun for an entry not taken: let it go.
            self.ahead.clear();
            if !scan.ready.is_empty() {
                // More may have landed while these were worked: look again at once.
                continue;
            }
            let timeout = scan.next_due.map_or(interval, |d| d.min(interval));
            waker.wait(timeout, Duration::from_millis(50), stop);
        }
        info!(submissions = summary.submissions, "stopped");
        Ok(summary)
    }

    /// Finishes every intake a previous run left in `state/claimed`, from its last finished step.
    pub fn resume(&mut self, now: &DateTime<Local>, summary: &mut Summary) -> Result<(), RunError> {
        let mut keys: Vec<String> = fs::read_dir(self.state.claimed())
            .map_err(io("処理中フォルダを読めません"))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        keys.sort();
        if !keys.is_empty() {
            info!(entries = keys.len(), "resuming claimed entries");
        }
        for key in keys {
            self.process_claim(&key, now, summary)?;
        }
        Ok(())
    }

    /// Moves symbolic links at the inbox root to quarantine (never following them), so they do not
    /// sit in the inbox for ever.
    fn set_links_aside(&mut self, links: &[Entry], now: &DateTime<Local>) -> Result<(), RunError> {
        for link in links {
            let reason = "シンボリックリンク（別の場所を指すファイル）は、受付フォルダの外を読まないよう辿りません。書類のファイルそのものを置いてください。";
            match quarantine(&link.path, &self.state.quarantine(), &link.name, reason) {
                Ok(_) => {
                    let subject = sha256_hex(link.name.as_bytes());
                    self.journal.record_stage(
                        short(&subject),
                        "watch",
                        "quarantined",
                        Some(reason),
                        &now.to_rfc3339(),
                    )?;
                    warn!(
                        name_hash = short(&subject),
                        "symbolic link in the inbox set aside (never followed)"
                    );
                }
                Err(_) => {
                    if self.unclaimable.insert(link.path.clone()) {
                        warn!(
                            "symbolic link in the inbox cannot be moved; ignored (never followed)"
                        );
                    }
                }
            }
        }
        Ok(())
    }

    /// Claims a ready entry and works it. One that vanished meanwhile is not an error.
    fn take(
        &mut self,
        entry: &Entry,
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.format("%Y%m%dT%H%M%S").to_string();
        let journal = &self.journal;
        let used = |k: &str| journal.intake_by_claim(k).map_or(true, |i| i.is_some());
        let key = match files::claim(&entry.path, &self.state.claimed(), &stamp, &used) {
            Ok(key) => key,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                debug!("entry vanished before it was claimed");
                return Ok(());
            }
            Err(e) => {
                if self.unclaimable.insert(entry.path.clone()) {
                    warn!(error = %e.kind(), "an inbox entry cannot be claimed; left in place");
                }
                return Ok(());
            }
        };
        debug!(claim = %key, "claimed");
        let done = self.process_claim(&key, now, summary);
        // Its read was used, or is of no use now (a duplicate, a changed file).
        self.ahead.retain(|a| a.entry != entry.path);
        done
    }

    /// Before entry `i` of `ready` is taken: makes sure its read has begun (so its pages are first
    /// in the workers' queue) and begins the read of the entry after it, so the workers go on to
    /// that one's pages while entry `i` is decided and written.
    fn read_ahead(&mut self, ready: &[Entry], i: usize) {
        for entry in ready.iter().skip(i).take(2) {
            if self.ahead.iter().any(|a| a.entry == entry.path) {
                continue;
            }
            if let Some(a) = ReadAhead::begin(&self.reader, entry) {
                self.ahead.push(a);
            }
        }
    }
}
