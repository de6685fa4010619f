//! run: drives the stages over the inbox — claim, decode, recognise, extract, assemble, decide,
//! render, write — and records each step in the journal.
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

pub mod ahead;
pub mod files;
pub mod page;
pub mod reread;
pub mod submission;
pub mod workers;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Datelike, Local};
use serde::Serialize;
use tracing::{debug, info, warn};

use crate::case::{self, Application, Case, SourcedDocument};
use crate::config::Config;
use crate::decision::{Decision, Outcome};
use crate::decode::{self, DecodeError, PageContent};
use crate::document::Document;
use crate::extract::layout::lines_from_text;
use crate::extract::lexicon::Lexicon;
use crate::extract::{Extractor, Hints, PageInput};
use crate::journal::{
    DecisionRecord, FileRow, FileState, Intake, IntakeKind, IntakeStage, Journal, JournalError,
    StageError, Written,
};
use crate::ocr::{Models, OcrError};
use crate::render::{self, Templates};
use crate::rules::{self, Parameters};
use crate::watch::{ignored_name, Entry, Scanner, WakeSource, Waker};

use ahead::{start_read, ReadAhead, ReadInput};
use files::{extension, quarantine, sha256_hex, write_durable};
use submission::{read_application, SubmissionFiles, APPLICATION_FILE};
use workers::Workers;

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

/// Why one file could not be read (it goes to quarantine with this reason).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Decode(String),
    #[error("文字認識（OCR）に失敗しました: {0}")]
    Ocr(#[from] OcrError),
    #[error("読み取りが制限時間（{seconds} 秒）内に終わりませんでした。ページが複雑すぎるか壊れている可能性があります。スキャンし直すか、書類ごとに分けて提出してください。")]
    Timeout { seconds: u64 },
    #[error("ファイルを開けません（{0}）。読み取り権限のあるファイルとして提出し直してください。")]
    Unopenable(String),
}

/// Reads files into documents: decode, recognise, extract. Holds the OCR workers.
pub struct Reader {
    workers: Workers,
    extractor: Extractor,
    limits: decode::Limits,
}

impl Reader {
    pub fn new(cfg: &Config) -> Result<Reader, RunError> {
        let mut models = Models::locate(cfg.ocr.tessdata.as_deref())?;
        if cfg.ocr.recognizer == crate::config::Recognizer::Paddle {
            let paddle = crate::ocr::PaddleModels::locate(cfg.ocr.onnx_models.as_deref())?;
            models = models.with_paddle(paddle, cfg.ocr.detector_max_side);
        }
        let lexicon = match &cfg.extract.item_lexicon {
            Some(p) => Lexicon::load(p)?,
            None => Lexicon::embedded(),
        };
        let extractor = Extractor::new(lexicon);
        let workers = Workers::start(
            &models,
            cfg.worker_count(),
            cfg.ocr.page_seg_mode(),
            &extractor,
        )?;
        Ok(Reader {
            workers,
            extractor,
            limits: cfg.limits.clone(),
        })
    }

    /// Reads one file's bytes into the documents it holds.
    pub fn read(&self, name: &str, bytes: &[u8]) -> Result<Vec<Document>, ReadError> {
        self.read_many(&[(name, bytes)], &Hints::default())
            .pop()
            .unwrap_or(Ok(Vec::new()))
    }

    /// Reads several files at once, so their pages share the OCR workers; results in order.
    pub fn read_many(
        &self,
        files: &[(&str, &[u8])],
        hints: &Hints,
    ) -> Vec<Result<Vec<Document>, ReadError>> {
        // Decode everything, keeping a slot per page; image pages go to the workers in one batch.
        let mut per_file: Vec<Result<Vec<Option<PageInput>>, ReadError>> = Vec::new();
        let mut images = Vec::new();
        for (f, (_, bytes)) in files.iter().enumerate() {
            match decode::decode(bytes, &self.limits) {
                Err(e) => per_file.push(Err(ReadError::Decode(e.reason_ja()))),
                Ok(pages) => {
                    let mut slots = Vec::with_capacity(pages.len());
                    for page in pages {
                        match page.content {
                            PageContent::Text(layer) => slots.push(Some(PageInput {
                                number: page.number,
                                lines: lines_from_text(&layer.lines),
                                marks: Default::default(),
                                text_layer: true,
                            })),
                            PageContent::Image(img) => {
                                images.push((f, slots.len(), page.number, img));
                                slots.push(None);
                            }
                        }
                    }
                    per_file.push(Ok(slots));
                }
            }
        }
        let targets: Vec<(usize, usize)> = images.iter().map(|i| (i.0, i.1)).collect();
        let read = self.workers.read_pages(
            images.into_iter().map(|(_, _, n, img)| (n, img)).collect(),
            hints,
        );
        for ((f, slot), r) in targets.into_iter().zip(read) {
            match (r, &mut per_file[f]) {
                (Ok(page), Ok(slots)) => slots[slot] = Some(page),
                (Err(e), entry @ Ok(_)) => *entry = Err(ReadError::Ocr(e)),
                (_, Err(_)) => {}
            }
        }
        per_file
            .into_iter()
            .zip(files)
            .map(|(r, (name, _))| {
                r.map(|slots| {
                    let pages: Vec<PageInput> = slots.into_iter().flatten().collect();
                    self.extractor.extract_with(name, &pages, hints)
                })
            })
            .collect()
    }
}

/// Files of a submission folder, recursively, sorted by path (symbolic links are not followed).
fn submission_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if ignored_name(&name) {
                continue;
            }
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(entry.path());
            } else if ft.is_file() {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A submission's content id: SHA-256 over its files' names and hashes, in name order. The same
/// folder dropped again, under any folder name, has the same id.
pub fn content_id(files: &[(String, String, u64)]) -> String {
    let mut sorted: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, s, _)| (n.as_str(), s.as_str()))
        .collect();
    sorted.sort();
    let mut text = String::new();
    for (name, sha) in sorted {
        text.push_str(name);
        text.push('\0');
        text.push_str(sha);
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}

/// The key that joins a loose document to a case: a hash of the person's name and the course's
/// title, both without spaces and NFKC-normalised (the journal never holds the names themselves).
pub fn case_key(name: &str, course: &str) -> Option<String> {
    let name = crate::extract::normalize::compact(name);
    let course = crate::extract::normalize::compact(course);
    if name.is_empty() || course.is_empty() {
        return None;
    }
    Some(sha256_hex(
        format!("kyufu-case-key-1\n{name}\n{course}").as_bytes(),
    ))
}

/// The join key of a document: (payer or trainee) + course.
fn document_key(doc: &Document) -> Option<String> {
    let name = doc
        .text("payer_name")
        .or_else(|| doc.text("trainee_name"))?;
    case_key(name, doc.text("course_name")?)
}

/// The join keys of a case: the applicant with the course applied for, and each document's.
fn case_keys(case: &Case) -> Vec<String> {
    let mut keys = BTreeSet::new();
    let app = &case.application;
    if let (Some(name), Some(course)) = (
        app.applicant.name.as_deref(),
        app.course.as_ref().and_then(|c| c.name.as_deref()),
    ) {
        keys.extend(case_key(name, course));
    }
    for d in &case.documents {
        keys.extend(document_key(&d.doc));
    }
    keys.into_iter().collect()
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

/// Each output file's name and SHA-256.
type OutputHashes = Vec<(String, String)>;

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

    /// Works one claimed entry from wherever the journal says it got to.
    fn process_claim(
        &mut self,
        key: &str,
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let container = self.state.claimed().join(key);
        let child = fs::read_dir(&container)
            .ok()
            .and_then(|mut rd| rd.find_map(|e| e.ok()));
        let Some(child) = child else {
            // A crash between creating the container and the rename, after the intake was done —
            // or after `finish` moved the last file but before it journaled that: the intake is
            // finished now (its files are where the plan says), or it would stay `written` forever.
            if let Some(intake) = self.journal.intake_by_claim(key)? {
                if intake.stage == IntakeStage::Written {
                    let name = intake.submission.clone().unwrap_or_default();
                    let gone = Claimed {
                        key: key.to_string(),
                        path: container.join(&name),
                        name,
                        is_dir: intake.kind == IntakeKind::Submission,
                    };
                    self.finish(&intake, &gone, now)?;
                }
            }
            let _ = fs::remove_dir(&container);
            return Ok(());
        };
        let claimed = Claimed {
            key: key.to_string(),
            path: child.path(),
            name: child.file_name().to_string_lossy().into_owned(),
            is_dir: child.file_type().is_ok_and(|t| t.is_dir()),
        };
        let stamp = now.to_rfc3339();
        let mut intake = match self.journal.intake_by_claim(key)? {
            Some(i) => i,
            None => self.begin(&claimed, &stamp)?,
        };
        if intake.stage == IntakeStage::Claimed {
            self.write(&intake, &claimed, now, summary)?;
            intake.stage = IntakeStage::Written;
        }
        if intake.stage == IntakeStage::Written {
            self.finish(&intake, &claimed, now)?;
        } else if intake.stage == IntakeStage::Done && !leftover_only(&claimed) {
            // Keys are never reused, so this cannot happen; if it ever does, keep the files.
            warn!(claim = %key, "a finished intake's container still holds files; left in place");
            return Ok(());
        }
        fs::remove_dir_all(&container).map_err(io("処理中フォルダを片付けられません"))?;
        Ok(())
    }

    /// Records a claimed entry and its files in the journal, before any work.
    fn begin(&mut self, c: &Claimed, stamp: &str) -> Result<Intake, RunError> {
        let (kind, files) = if c.is_dir {
            let paths = submission_files(&c.path).map_err(io("提出フォルダを読めません"))?;
            let mut files = Vec::new();
            for p in paths {
                let name = p
                    .strip_prefix(&c.path)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .into_owned();
                files.push(file_identity(&p, &name, &c.key));
            }
            (IntakeKind::Submission, files)
        } else {
            (
                IntakeKind::Loose,
                vec![file_identity(&c.path, &c.name, &c.key)],
            )
        };
        let content = match kind {
            IntakeKind::Submission => content_id(&files),
            IntakeKind::Loose => files[0].1.clone(),
        };
        let intake =
            self.journal
                .begin_intake(&c.key, kind, Some(&c.name), &content, &files, stamp)?;
        debug!(claim = %c.key, content = short(&content), files = files.len(), "recorded");
        Ok(intake)
    }

    /// The *write* step: decide (or find it a duplicate, or unreadable, or unassigned), write the
    /// outputs durably, then journal all of it at once.
    fn write(
        &mut self,
        intake: &Intake,
        c: &Claimed,
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.to_rfc3339();
        let files = self.journal.intake_files(intake.id)?;
        if let Some(first) = self.duplicate_of(intake, &files)? {
            let reason = format!(
                "同じ内容のファイルがすでに受け付けられています（{first}）。重複のため処理していません。"
            );
            let w = Written {
                outcome: "duplicate",
                plans: files
                    .iter()
                    .map(|f| (f.id, FileState::Duplicate, Some(reason.clone())))
                    .collect(),
                ..Written::default()
            };
            self.journal.commit_written(intake.id, &w, &stamp)?;
            info!(claim = %c.key, content = short(&intake.content_id), "duplicate");
            summary.duplicates += 1;
            return Ok(());
        }
        match intake.kind {
            IntakeKind::Submission => self.write_submission(intake, c, &files, now, summary),
            IntakeKind::Loose => self.write_loose(intake, c, &files, now, summary),
        }
    }

    /// What an earlier intake with the same content became, if this one is a duplicate of it.
    fn duplicate_of(&self, intake: &Intake, files: &[FileRow]) -> Result<Option<String>, RunError> {
        if files.is_empty() {
            return Ok(None);
        }
        if let Some(first) = self.journal.content_seen(&intake.content_id, intake.id)? {
            return Ok(Some(first));
        }
        // Every file of it was taken before (in other submissions or loose): nothing new here.
        let mut first = None;
        for f in files {
            match self.journal.seen_before(&f.sha256, f.id)? {
                Some(s) => {
                    first.get_or_insert(s);
                }
                None => return Ok(None),
            }
        }
        Ok(first)
    }

    fn write_submission(
        &mut self,
        intake: &Intake,
        c: &Claimed,
        files: &[FileRow],
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.to_rfc3339();
        let submission = intake.submission.clone().unwrap_or_default();
        let mut application = Application::default();
        let mut unreadable: BTreeMap<i64, String> = BTreeMap::new();
        let mut scans: Vec<(String, Vec<u8>)> = Vec::new();
        let mut scan_rows: Vec<&FileRow> = Vec::new();
        let mut unopened: Vec<SourcedDocument> = Vec::new();
        for f in files {
            let bytes = match fs::read(c.path.join(&f.name)) {
                Ok(b) => b,
                Err(e) => {
                    let reason = ReadError::Unopenable(e.kind().to_string()).to_string();
                    // As a scan that cannot be read (below): the case is not decided without it.
                    if f.name != APPLICATION_FILE {
                        unopened.push(SourcedDocument {
                            file: f.name.clone(),
                            sha256: f.sha256.clone(),
                            doc: Document::unreadable(&f.name, &reason),
                        });
                    }
                    unreadable.insert(f.id, reason);
                    continue;
                }
            };
            if f.name == APPLICATION_FILE {
                match read_application(&bytes) {
                    Ok(app) => application = app,
                    Err(problem) => {
                        unreadable.insert(f.id, problem);
                    }
                }
                continue;
            }
            scans.push((f.name.clone(), bytes));
            scan_rows.push(f);
        }
        let started = Instant::now();
        let results = self.read_guarded(scans, hints_from(&application))?;
        debug!(
            claim = %c.key,
            files = scan_rows.len(),
            ms = started.elapsed().as_millis() as u64,
            "read submission"
        );
        let mut documents = unopened;
        for (f, result) in scan_rows.into_iter().zip(results) {
            match result {
                Ok(docs) => documents.extend(docs.into_iter().map(|doc| SourcedDocument {
                    file: f.name.clone(),
                    sha256: f.sha256.clone(),
                    doc,
                })),
                Err(e) => {
                    // A file of the submission kyufu could not read may be the receipt the amount
                    // turns on: the case is decided with it as a document of unknown kind (a
                    // person looks, RULES §1.5), never as if it had not been sent.
                    documents.push(SourcedDocument {
                        file: f.name.clone(),
                        sha256: f.sha256.clone(),
                        doc: Document::unreadable(&f.name, &e.to_string()),
                    });
                    unreadable.insert(f.id, e.to_string());
                }
            }
        }
        for (id, reason) in &unreadable {
            if let Some(f) = files.iter().find(|f| f.id == *id) {
                self.journal.record_stage(
                    short(&f.sha256),
                    "read",
                    "quarantined",
                    Some(reason),
                    &stamp,
                )?;
                warn!(sha = short(&f.sha256), "unreadable file");
            }
        }
        let case_id = self
            .journal
            .assign_case(intake.id, now.year(), &submission, &stamp)?;
        let case = case::assemble(&case_id, application, documents, self.cfg.review_below);
        let decision = rules::decide(&case, &self.params);
        let (text, outputs) = self.write_outputs(&decision, &case, &submission)?;
        let case_json = serde_json::to_string(&case).unwrap_or_default();
        let keys = case_keys(&case);
        let w = Written {
            outcome: "decided",
            case_id: Some(&case_id),
            decision: Some(DecisionRecord {
                case_id: &case_id,
                outcome: decision.outcome.id(),
                amount_yen: decision.amount_yen,
                json: &text,
            }),
            outputs: outputs
                .iter()
                .map(|(p, h)| (case_id.as_str(), p.as_str(), h.clone()))
                .collect(),
            plans: files
                .iter()
                .map(|f| match unreadable.get(&f.id) {
                    Some(r) => (f.id, FileState::Quarantined, Some(r.clone())),
                    None => (f.id, FileState::Processed, None),
                })
                .collect(),
            case_keys: keys,
            case_json: Some(&case_json),
        };
        self.journal.commit_written(intake.id, &w, &stamp)?;
        info!(case = %case_id, outcome = decision.outcome.id(), amount = decision.amount_yen, "decided");
        summary.submissions += 1;
        summary.quarantined += unreadable.len();
        *summary.outcomes.entry(decision.outcome.id()).or_default() += 1;
        Ok(())
    }

    fn write_loose(
        &mut self,
        intake: &Intake,
        c: &Claimed,
        files: &[FileRow],
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.to_rfc3339();
        let Some(f) = files.first() else {
            return Ok(());
        };
        let read = match fs::read(&c.path) {
            Err(e) => Err(ReadError::Unopenable(e.kind().to_string()).to_string()),
            Ok(bytes) if bytes.is_empty() => Err(DecodeError::Empty.reason_ja()),
            // Known by its header, not its name: anything else is not a document kyufu reads.
            Ok(bytes) if decode::sniff(&bytes).is_none() => {
                Err(DecodeError::UnknownFormat.reason_ja())
            }
            Ok(bytes) => self
                .read_guarded(vec![(c.name.clone(), bytes)], Hints::default())?
                .pop()
                .unwrap_or(Ok(Vec::new()))
                .map_err(|e| e.to_string()),
        };
        let docs = match read {
            Err(reason) => {
                self.journal.record_stage(
                    short(&f.sha256),
                    "read",
                    "quarantined",
                    Some(&reason),
                    &stamp,
                )?;
                let w = Written {
                    outcome: "quarantined",
                    plans: vec![(f.id, FileState::Quarantined, Some(reason))],
                    ..Written::default()
                };
                self.journal.commit_written(intake.id, &w, &stamp)?;
                warn!(sha = short(&f.sha256), "quarantined");
                summary.quarantined += 1;
                return Ok(());
            }
            Ok(docs) => docs,
        };
        if let Some((case_id, case)) = self.open_case_for(&docs)? {
            return self.join(intake, f, &case_id, case, docs, now, summary);
        }
        // A readable document that belongs to no case waits, with what was read beside it.
        let json = serde_json::to_string_pretty(&docs).unwrap_or_default();
        write_durable(
            &self.state.unassigned().join(format!("{}.json", f.sha256)),
            json.as_bytes(),
        )
        .map_err(io("未割当フォルダに書けません"))?;
        let w = Written {
            outcome: "unassigned",
            plans: vec![(f.id, FileState::Unassigned, None)],
            ..Written::default()
        };
        self.journal.commit_written(intake.id, &w, &stamp)?;
        info!(sha = short(&f.sha256), "unassigned");
        summary.unassigned += 1;
        Ok(())
    }

    /// The most recent case with the same applicant and course as one of `docs`, as last assembled.
    fn open_case_for(&self, docs: &[Document]) -> Result<Option<(String, Case)>, RunError> {
        for d in docs {
            let Some(key) = document_key(d) else { continue };
            let Some(case_id) = self.journal.case_for_key(&key)? else {
                continue;
            };
            let Some(json) = self.journal.case_json(&case_id)? else {
                continue;
            };
            if let Ok(case) = serde_json::from_str::<Case>(&json) {
                return Ok(Some((case_id, case)));
            }
        }
        Ok(None)
    }

    /// A loose document joins an open case: the case is decided again with it (a new decision
    /// version replaces the outputs).
    #[allow(clippy::too_many_arguments)]
    fn join(
        &mut self,
        intake: &Intake,
        f: &FileRow,
        case_id: &str,
        case: Case,
        docs: Vec<Document>,
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.to_rfc3339();
        let mut sourced: Vec<SourcedDocument> = case
            .documents
            .into_iter()
            .map(|d| SourcedDocument {
                file: d.file,
                sha256: d.sha256,
                doc: d.doc,
            })
            .collect();
        sourced.extend(docs.into_iter().map(|doc| SourcedDocument {
            file: f.name.clone(),
            sha256: f.sha256.clone(),
            doc,
        }));
        let case = case::assemble(case_id, case.application, sourced, self.cfg.review_below);
        let decision = rules::decide(&case, &self.params);
        let submission = self.journal.case_submission(case_id)?.unwrap_or_default();
        let (text, outputs) = self.write_outputs(&decision, &case, &submission)?;
        let case_json = serde_json::to_string(&case).unwrap_or_default();
        let w = Written {
            outcome: "joined",
            case_id: Some(case_id),
            decision: Some(DecisionRecord {
                case_id,
                outcome: decision.outcome.id(),
                amount_yen: decision.amount_yen,
                json: &text,
            }),
            outputs: outputs
                .iter()
                .map(|(p, h)| (case_id, p.as_str(), h.clone()))
                .collect(),
            plans: vec![(f.id, FileState::Processed, None)],
            case_keys: case_keys(&case),
            case_json: Some(&case_json),
        };
        self.journal.commit_written(intake.id, &w, &stamp)?;
        info!(case = %case_id, sha = short(&f.sha256), outcome = decision.outcome.id(), "joined an open case; decided again");
        *summary.outcomes.entry(decision.outcome.id()).or_default() += 1;
        Ok(())
    }

    /// The *finish* step: every file of the intake to where the journal planned it, then the
    /// intake is done. A file already gone from the claim was moved before a crash.
    fn finish(
        &mut self,
        intake: &Intake,
        c: &Claimed,
        now: &DateTime<Local>,
    ) -> Result<(), RunError> {
        let files = self.journal.intake_files(intake.id)?;
        let archive = self.state.archive(now);
        let mut done = Vec::new();
        for f in files.iter().filter(|f| f.state == FileState::Claimed) {
            let src = if c.is_dir {
                c.path.join(&f.name)
            } else {
                c.path.clone()
            };
            let plan = f.plan.unwrap_or(FileState::Processed);
            let present = fs::symlink_metadata(&src).is_ok();
            let flat = f.name.replace('/', "_");
            let reason = f.reason.clone().unwrap_or_default();
            let by_hash = format!("{}.{}", f.sha256, extension(&f.name));
            let place = match plan {
                FileState::Processed | FileState::Claimed => {
                    let to = archive.join(&by_hash);
                    if present {
                        keep_once(&src, &to).map_err(io("原本を保管できません"))?;
                    }
                    Some(to)
                }
                FileState::Unassigned => {
                    let to = self.state.unassigned().join(&by_hash);
                    if present {
                        keep_once(&src, &to).map_err(io("未割当フォルダに移せません"))?;
                    }
                    Some(to)
                }
                FileState::Quarantined => {
                    if present {
                        Some(
                            quarantine(&src, &self.state.quarantine(), &flat, &reason)
                                .map_err(io("隔離フォルダに移せません"))?,
                        )
                    } else {
                        None
                    }
                }
                FileState::Duplicate => {
                    let dir = match intake.kind {
                        IntakeKind::Submission => self.state.duplicates().join(&c.name),
                        IntakeKind::Loose => self.state.duplicates(),
                    };
                    if present {
                        Some(
                            quarantine(&src, &dir, &flat, &reason)
                                .map_err(io("重複フォルダに移せません"))?,
                        )
                    } else {
                        None
                    }
                }
            };
            let state = if plan == FileState::Claimed {
                FileState::Processed
            } else {
                plan
            };
            done.push((f.id, state, place.map(|p| p.display().to_string())));
        }
        self.journal
            .finish_intake(intake.id, &done, &now.to_rfc3339())?;
        Ok(())
    }

    /// Writes a case's outputs durably (documents.json, notice.pdf, then decision.json: its presence
    /// means the case's outputs are complete). A file that already holds the same bytes (a resumed
    /// run) is not written again. Returns decision.json's text and each output's hash.
    fn write_outputs(
        &self,
        decision: &Decision,
        case: &Case,
        submission: &str,
    ) -> Result<(String, OutputHashes), RunError> {
        let dir = self.cfg.outbox.join(&decision.case_id);
        fs::create_dir_all(&dir).map_err(io("出力フォルダを作れません"))?;
        files::remove_temp_files(&dir);
        // What was read from each document, with confidences and boxes: the reviewer's view of the
        // scan beside each value.
        let docs = serde_json::to_string_pretty(&case.documents).unwrap_or_default() + "\n";
        let pdf = render::notice(
            decision,
            &case.application,
            &self.cfg.office,
            &self.templates,
        )?;
        let mut json = serde_json::to_value(decision).map_err(|e| RunError::Io {
            context: "decision.json".into(),
            source: std::io::Error::other(e),
        })?;
        if let Some(obj) = json.as_object_mut() {
            obj.insert("submission".into(), submission.into());
        }
        let text = serde_json::to_string_pretty(&json).unwrap_or_default() + "\n";
        let mut outputs: Vec<(String, Vec<u8>)> = vec![
            ("documents.json".into(), docs.into_bytes()),
            ("notice.pdf".into(), pdf),
        ];
        // The stipend: its 支給予定表, and a 不支給 notice for each month attendance left unpaid
        // (RULES.md §2).
        if let Some(schedule) = &decision.schedule {
            if matches!(decision.outcome, Outcome::Pay | Outcome::NeedsReview) {
                let plan = render::plan_schedule(
                    decision,
                    &case.application,
                    &self.cfg.office,
                    &self.templates,
                )?;
                outputs.push(("plan.pdf".into(), plan));
                for line in schedule.iter().filter(|l| {
                    l.amount_yen == 0
                        && matches!(
                            l.code.as_deref(),
                            Some("no_attendance" | "leave_of_absence")
                        )
                }) {
                    let month = render::month_notice(
                        decision,
                        &case.application,
                        &self.cfg.office,
                        &self.templates,
                        &line.month,
                    )?;
                    outputs.push((format!("notice-{}.pdf", line.month), month));
                }
            }
        }
        outputs.push(("decision.json".into(), text.clone().into_bytes()));
        let mut hashes = Vec::new();
        for (name, bytes) in &outputs {
            let path = dir.join(name);
            if !files::holds(&path, bytes) {
                write_durable(&path, bytes).map_err(io(format!("{name} を書き出せません")))?;
            }
            hashes.push((name.clone(), sha256_hex(bytes)));
        }
        Ok((text, hashes))
    }

    /// Reads files under the per-document time limit. All together first (their pages share the OCR
    /// workers); if that outlives the limit for all of them, the reader is replaced and each is read
    /// alone, so only the file that hangs is given up (a timed-out read's thread is abandoned with
    /// the old reader and ends when its page does).
    fn read_guarded(
        &mut self,
        files: Vec<(String, Vec<u8>)>,
        hints: Hints,
    ) -> Result<Vec<Result<Vec<Document>, ReadError>>, RunError> {
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let limit = Duration::from_millis(self.cfg.document_timeout_ms.max(1));
        let n = files.len();
        let input = ReadInput {
            files: Arc::new(files),
            hints: Arc::new(hints),
        };
        // The read begun ahead for these files, if any; others queued behind it stay.
        let begun = self
            .ahead
            .iter()
            .position(|a| a.is_of(&input))
            .map(|at| self.ahead.remove(at).into_result());
        let all = begun
            .or_else(|| start_read(&self.reader, &input, None))
            .and_then(|rx| rx.recv_timeout(limit * n as u32).ok());
        if let Some(all) = all {
            return Ok(all);
        }
        // Reads begun ahead were on the reader given up below: they are begun again when due.
        self.ahead.clear();
        self.reader = Arc::new(Reader::new(&self.cfg)?);
        let timeout = || ReadError::Timeout {
            seconds: limit.as_millis().div_ceil(1000) as u64,
        };
        if n == 1 {
            warn!(
                sha = short(&sha256_hex(&input.files[0].1)),
                "document timed out"
            );
            return Ok(vec![Err(timeout())]);
        }
        warn!(
            files = n,
            "read outlived its time limit; reading each file alone"
        );
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let one = start_read(&self.reader, &input, Some(i))
                .and_then(|rx| rx.recv_timeout(limit).ok());
            match one {
                Some(mut one) => out.push(one.pop().unwrap_or(Ok(Vec::new()))),
                None => {
                    warn!(
                        sha = short(&sha256_hex(&input.files[i].1)),
                        "document timed out"
                    );
                    out.push(Err(timeout()));
                    self.reader = Arc::new(Reader::new(&self.cfg)?);
                }
            }
        }
        Ok(out)
    }
}

/// Whether a finished intake's claim holds nothing of value: a submission folder with only ignored
/// names or empty folders left (a loose file is gone once finished).
fn leftover_only(c: &Claimed) -> bool {
    c.is_dir && submission_files(&c.path).is_ok_and(|f| f.is_empty())
}

/// Moves `src` to `to` unless `to` already holds a file (same name = same hash = same bytes), in
/// which case `src` is only removed.
fn keep_once(src: &Path, to: &Path) -> std::io::Result<()> {
    if fs::symlink_metadata(to).is_ok() {
        return fs::remove_file(src);
    }
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir)?;
    }
    files::move_to(src, to)
}

/// A file's (name, sha256, size); one that cannot be opened gets an identity no other file shares,
/// so it is never taken for a duplicate and goes to quarantine with the reason.
fn file_identity(path: &Path, name: &str, key: &str) -> (String, String, u64) {
    match fs::read(path) {
        Ok(bytes) => (name.to_string(), sha256_hex(&bytes), bytes.len() as u64),
        Err(_) => (
            name.to_string(),
            format!(
                "unopenable-{}",
                sha256_hex(format!("{key}/{name}").as_bytes())
            ),
            0,
        ),
    }
}

/// What `kyufu status` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Entries in the inbox not yet taken.
    pub queue: usize,
    /// Of those, the ones still being written (changed within `settle_ms`).
    pub settling: usize,
    /// Claimed and being worked (or left by a crash, to be resumed).
    pub in_flight: usize,
    pub processed: i64,
    pub quarantined: i64,
    pub duplicates: i64,
    /// Readable documents that belong to no case yet, newest first.
    pub unassigned: Vec<UnassignedFile>,
    /// The last stage runs that ended in an error, newest first.
    pub last_errors: Vec<StageError>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnassignedFile {
    pub file: String,
    pub sha256: String,
    pub received_at: String,
}

/// Reads the service's state without changing anything (no OCR models needed).
pub fn status(cfg: &Config, now: SystemTime) -> Result<Status, RunError> {
    let state = StateDirs {
        root: cfg.state.clone(),
    };
    let (queue, settling) = match fs::read_dir(&cfg.inbox) {
        Ok(_) => {
            let scan = Scanner::default()
                .scan(&cfg.inbox, Duration::from_millis(cfg.settle_ms), now)
                .map_err(io("受付フォルダを読めません"))?;
            (scan.ready.len() + scan.settling, scan.settling)
        }
        Err(_) => (0, 0),
    };
    let in_flight = fs::read_dir(state.claimed()).map_or(0, |rd| rd.count());
    fs::create_dir_all(&state.root).map_err(io("状態フォルダを作れません"))?;
    let journal = Journal::open(&state.journal())?;
    let counts: BTreeMap<String, i64> = journal.file_counts()?.into_iter().collect();
    let count = |s: FileState| counts.get(s.id()).copied().unwrap_or(0);
    let unassigned = journal
        .files_in_state(FileState::Unassigned, 100)?
        .into_iter()
        .map(|(sha256, file, received_at, _)| UnassignedFile {
            file,
            sha256,
            received_at,
        })
        .collect();
    Ok(Status {
        queue,
        settling,
        in_flight,
        processed: count(FileState::Processed),
        quarantined: count(FileState::Quarantined),
        duplicates: count(FileState::Duplicate),
        unassigned,
        last_errors: journal.last_errors(10)?,
    })
}

impl Status {
    /// The status as staff read it.
    pub fn render_ja(&self) -> String {
        let mut out = format!(
            "受付待ち: {} 件（うち書き込み中 {} 件）\n処理中: {} 件\n処理済み: {} 件\n隔離: {} 件\n重複: {} 件\n未割当: {} 件\n",
            self.queue,
            self.settling,
            self.in_flight,
            self.processed,
            self.quarantined,
            self.duplicates,
            self.unassigned.len()
        );
        for u in &self.unassigned {
            out.push_str(&format!(
                "  ・{}（{}…、{} 受付）\n",
                u.file,
                short(&u.sha256),
                u.received_at
            ));
        }
        if self.last_errors.is_empty() {
            out.push_str("直近のエラー: なし\n");
        } else {
            out.push_str("直近のエラー:\n");
            for e in &self.last_errors {
                out.push_str(&format!(
                    "  ・{} {} {}: {}\n",
                    e.at, e.stage, e.subject, e.error
                ));
            }
        }
        out
    }
}

/// What the application says that a reading can be confirmed against (names, course, institution,
/// dates): see [`Hints`].
pub fn hints_from(app: &Application) -> Hints {
    let course = app.course.as_ref();
    Hints {
        names: app.applicant.name.iter().cloned().collect(),
        courses: course.and_then(|c| c.name.clone()).into_iter().collect(),
        institutions: course
            .and_then(|c| c.institution.clone())
            .into_iter()
            .collect(),
        dates: [
            course.and_then(|c| c.started_on),
            course.and_then(|c| c.completed_on),
            app.applicant.birth_date,
        ]
        .into_iter()
        .flatten()
        .collect(),
        started_on: course.and_then(|c| c.started_on),
        completed_on: course.and_then(|c| c.completed_on),
        birth_date: app.applicant.birth_date,
    }
}

/// Decides a submission folder without writing anything (`kyufu decide`).
pub fn decide_folder(cfg: &Config, reader: &Reader, dir: &Path) -> Result<Decision, RunError> {
    let files =
        SubmissionFiles::read_folder(dir).map_err(io(format!("{} を読めません", dir.display())))?;
    if let Some(problem) = &files.application_problem {
        // As in `run`, where the file goes to quarantine with this reason: the case is decided
        // without it, so the decision names the facts it lacks.
        warn!(folder = %dir.display(), "{problem}");
    }
    let inputs: Vec<(&str, &[u8])> = files
        .scans
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let mut documents = Vec::new();
    let hints = hints_from(&files.application);
    for ((name, bytes), result) in files.scans.iter().zip(reader.read_many(&inputs, &hints)) {
        let sha = sha256_hex(bytes);
        // As in `run`: a file that cannot be read is a document of unknown kind, not left out.
        let docs = result.unwrap_or_else(|e| vec![Document::unreadable(name, &e.to_string())]);
        documents.extend(docs.into_iter().map(|doc| SourcedDocument {
            file: name.clone(),
            sha256: sha.clone(),
            doc,
        }));
    }
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let case = case::assemble(&id, files.application, documents, cfg.review_below);
    Ok(rules::decide(&case, &Parameters::embedded()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_submission_is_known_by_its_files_not_its_folder_or_their_order() {
        let a = vec![
            ("application.json".to_string(), "11".to_string(), 1),
            ("scan.jpg".to_string(), "22".to_string(), 2),
        ];
        let mut b = a.clone();
        b.reverse();
        assert_eq!(content_id(&a), content_id(&b));
        let mut renamed = a.clone();
        renamed[1].0 = "scan2.jpg".into();
        assert_ne!(content_id(&a), content_id(&renamed));
    }

    #[test]
    fn the_join_key_ignores_spacing_and_width_but_not_the_person() {
        let k = case_key("山田 花子", "介護職員初任者研修").unwrap();
        assert_eq!(
            case_key("山田　花子", "介護職員 初任者研修").as_ref(),
            Some(&k)
        );
        assert_ne!(case_key("山田 花", "介護職員初任者研修").as_ref(), Some(&k));
        assert!(!k.contains("山田"), "only a hash is stored");
        assert_eq!(case_key("", "介護職員初任者研修"), None);
    }
}
