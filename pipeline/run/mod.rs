//! run: drives the stages over the inbox — claim, decode, recognise, extract, assemble, decide,
//! render, write — and records each step in the journal.
//!
//! A bad document never stops the run: it goes to quarantine with a Japanese reason and the run goes
//! on. Only what stops kyufu from doing its job at all (no journal, no models, a full disk) is a
//! [`RunError`]. The clock is read by the caller and passed in, so a run is reproducible.
//!
//! Called by `main.rs` for `run --once`, `extract` and `decide`.

pub mod files;
pub mod page;
pub mod workers;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Datelike, Local};
use tracing::{info, warn};

use crate::case::{self, Application, SourcedDocument};
use crate::config::Config;
use crate::decision::Decision;
use crate::decode::{self, PageContent};
use crate::document::Document;
use crate::extract::layout::lines_from_text;
use crate::extract::lexicon::Lexicon;
use crate::extract::{Extractor, Hints, PageInput};
use crate::journal::{FileState, Journal, JournalError};
use crate::ocr::{Models, OcrError};
use crate::render::{self, Templates};
use crate::rules::{self, Parameters};
use crate::watch::{ignored_name, Scanner};

use files::{extension, move_file, quarantine, sha256_hex, write_durable};
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
}

/// Reads files into documents: decode, recognise, extract. Holds the OCR workers.
pub struct Reader {
    workers: Workers,
    extractor: Extractor,
    limits: decode::Limits,
}

impl Reader {
    pub fn new(cfg: &Config) -> Result<Reader, RunError> {
        let models = Models::locate(cfg.ocr.tessdata.as_deref())?;
        let workers = Workers::start(&models, cfg.worker_count(), cfg.ocr.page_seg_mode())?;
        let lexicon = match &cfg.extract.item_lexicon {
            Some(p) => Lexicon::load(p)?,
            None => Lexicon::embedded(),
        };
        Ok(Reader {
            workers,
            extractor: Extractor::new(lexicon),
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
        let read = self
            .workers
            .read_pages(images.into_iter().map(|(_, _, n, img)| (n, img)).collect());
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

/// A submission folder read, before a case id is given.
pub struct SubmissionRead {
    pub application: Application,
    pub documents: Vec<SourcedDocument>,
    /// Files that could not be read: (path, file name, Japanese reason).
    pub unreadable: Vec<(PathBuf, String, String)>,
    /// Every file: (path, file name, sha256, size).
    pub files: Vec<(PathBuf, String, String, u64)>,
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

impl Reader {
    /// Reads a submission folder without changing anything in it.
    pub fn read_submission(&self, dir: &Path) -> Result<SubmissionRead, RunError> {
        let mut read = SubmissionRead {
            application: Application::default(),
            documents: Vec::new(),
            unreadable: Vec::new(),
            files: Vec::new(),
        };
        let paths = submission_files(dir).map_err(io(format!("{} を読めません", dir.display())))?;
        let mut scans: Vec<(String, Vec<u8>, String, PathBuf)> = Vec::new();
        for path in paths {
            let name = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            let bytes = fs::read(&path).map_err(io(format!("{} を読めません", path.display())))?;
            let sha = sha256_hex(&bytes);
            read.files
                .push((path.clone(), name.clone(), sha.clone(), bytes.len() as u64));
            if name == "application.json" {
                match Application::from_json_bytes(&bytes) {
                    Ok(app) => read.application = app,
                    Err(e) => read.unreadable.push((path, name, e.to_string())),
                }
                continue;
            }
            scans.push((name, bytes, sha, path));
        }
        let started = Instant::now();
        let inputs: Vec<(&str, &[u8])> = scans
            .iter()
            .map(|s| (s.0.as_str(), s.1.as_slice()))
            .collect();
        let app = &read.application;
        let course = app.course.as_ref();
        let hints = Hints {
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
        };
        let results = self.read_many(&inputs, &hints);
        info!(
            files = scans.len(),
            ms = started.elapsed().as_millis() as u64,
            "read submission"
        );
        for ((name, _, sha, path), result) in scans.into_iter().zip(results) {
            match result {
                Ok(docs) => {
                    for doc in docs {
                        read.documents.push(SourcedDocument {
                            file: name.clone(),
                            sha256: sha.clone(),
                            doc,
                        });
                    }
                }
                Err(e) => {
                    warn!(sha = &sha[..12], "unreadable file");
                    read.unreadable.push((path, name, e.to_string()));
                }
            }
        }
        Ok(read)
    }
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

/// The whole job: everything in the inbox, now.
pub struct Runner {
    cfg: Config,
    reader: Reader,
    journal: Journal,
    params: Parameters,
    templates: Templates,
    state: StateDirs,
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
        let reader = Reader::new(&cfg)?;
        Ok(Runner {
            cfg,
            reader,
            journal,
            params: Parameters::embedded(),
            templates,
            state,
        })
    }

    /// Processes everything in the inbox, waiting for entries that are still settling.
    pub fn run_once(
        &mut self,
        now: DateTime<Local>,
        progress: &indicatif::ProgressBar,
    ) -> Result<Summary, RunError> {
        let settle = Duration::from_millis(self.cfg.settle_ms);
        let mut scanner = Scanner::default();
        let mut summary = Summary::default();
        loop {
            let scan = scanner
                .scan(&self.cfg.inbox, settle, SystemTime::now())
                .map_err(io("受付フォルダを読めません"))?;
            for link in &scan.new_links {
                warn!(path = %link.display(), "symbolic link in the inbox ignored (never followed)");
            }
            progress.inc_length(scan.ready.len() as u64);
            for entry in scan.ready {
                progress.set_message(entry.name.clone());
                if entry.is_dir {
                    self.process_submission(&entry.name, &entry.path, &now, &mut summary)?;
                } else {
                    self.process_loose(&entry.name, &entry.path, &now, &mut summary)?;
                }
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

    fn claim(&self, name: &str, path: &Path, now: &DateTime<Local>) -> Result<PathBuf, RunError> {
        // An atomic rename takes the entry out of the inbox: no other run or node sees it again.
        let to = files::free_path(
            &self.state.claimed(),
            &format!("{}-{}", now.format("%Y%m%dT%H%M%S"), name),
        );
        fs::rename(path, &to).map_err(io(format!("{name} を受付フォルダから取り出せません")))?;
        Ok(to)
    }

    fn process_submission(
        &mut self,
        name: &str,
        path: &Path,
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.to_rfc3339();
        let claimed = self.claim(name, path, now)?;
        let read = self.reader.read_submission(&claimed)?;
        let mut ids = Vec::new();
        for (_, file, sha, size) in &read.files {
            ids.push(
                self.journal
                    .record_file(sha, file, Some(name), *size, &stamp)?,
            );
        }
        // The same submission dropped twice: every file seen before → duplicates, not a new case.
        let mut seen = Vec::new();
        for ((_, _, sha, _), id) in read.files.iter().zip(&ids) {
            seen.push(self.journal.seen_before(sha, *id)?);
        }
        if !read.files.is_empty() && seen.iter().all(|s| s.is_some()) {
            let first = seen[0].clone().unwrap_or_default();
            let reason = format!("同じ内容のファイルがすでに処理されています（{first}）。重複のため処理していません。");
            for ((p, file, _, _), id) in read.files.iter().zip(&ids) {
                let flat = file.replace('/', "_");
                quarantine(p, &self.state.duplicates().join(name), &flat, &reason)
                    .map_err(io("重複フォルダに移せません"))?;
                self.journal.set_file_state(
                    *id,
                    FileState::Duplicate,
                    Some(&reason),
                    None,
                    None,
                    &stamp,
                )?;
            }
            summary.duplicates += 1;
            let _ = fs::remove_dir_all(&claimed);
            info!(submission_files = read.files.len(), "duplicate submission");
            return Ok(());
        }
        let case_id = self.journal.next_case_id(now.year(), name, &stamp)?;
        // Unreadable files: quarantine with the reason; the case goes on without them.
        let mut quarantined = std::collections::BTreeSet::new();
        for (p, file, reason) in &read.unreadable {
            let flat = file.replace('/', "_");
            quarantine(p, &self.state.quarantine(), &flat, reason)
                .map_err(io("隔離フォルダに移せません"))?;
            quarantined.insert(file.clone());
            summary.quarantined += 1;
        }
        let stage = self.journal.start_stage(&case_id, "decide", &stamp)?;
        let case = case::assemble(
            &case_id,
            read.application.clone(),
            read.documents,
            self.cfg.review_below,
        );
        let decision = rules::decide(&case, &self.params);
        self.write_decision(&decision, &case, name, &stamp)?;
        self.journal
            .end_stage(stage, decision.outcome.id(), None, None, &stamp)?;
        // Archive the originals byte-identical, by hash.
        let archive = self.state.archive(now);
        for ((p, file, sha, _), id) in read.files.iter().zip(&ids) {
            if quarantined.contains(file) {
                let reason = read
                    .unreadable
                    .iter()
                    .find(|u| &u.1 == file)
                    .map(|u| u.2.as_str());
                self.journal.set_file_state(
                    *id,
                    FileState::Quarantined,
                    reason,
                    None,
                    Some(&case_id),
                    &stamp,
                )?;
                continue;
            }
            let to = archive.join(format!("{sha}.{}", extension(file)));
            if to.exists() {
                fs::remove_file(p).map_err(io("処理済みファイルを片付けられません"))?;
            } else {
                move_file(p, &archive, &format!("{sha}.{}", extension(file)))
                    .map_err(io("原本を保管できません"))?;
            }
            self.journal.set_file_state(
                *id,
                FileState::Processed,
                None,
                Some(&to.display().to_string()),
                Some(&case_id),
                &stamp,
            )?;
        }
        let _ = fs::remove_dir_all(&claimed);
        info!(case = %case_id, outcome = decision.outcome.id(), amount = decision.amount_yen, "decided");
        summary.submissions += 1;
        *summary.outcomes.entry(decision.outcome.id()).or_default() += 1;
        Ok(())
    }

    fn write_decision(
        &self,
        decision: &Decision,
        case: &case::Case,
        submission: &str,
        stamp: &str,
    ) -> Result<(), RunError> {
        let dir = self.cfg.outbox.join(&decision.case_id);
        // What was read from each document, with confidences and boxes: the reviewer's view of the
        // scan beside each value.
        let docs = serde_json::to_string_pretty(&case.documents).unwrap_or_default() + "\n";
        write_durable(&dir.join("documents.json"), docs.as_bytes())
            .map_err(io("documents.json を書き出せません"))?;
        let pdf = render::notice(
            decision,
            &case.application,
            &self.cfg.office,
            &self.templates,
        )?;
        let pdf_path = dir.join("notice.pdf");
        write_durable(&pdf_path, &pdf).map_err(io("通知書を書き出せません"))?;
        self.journal
            .record_output(&decision.case_id, "notice.pdf", &sha256_hex(&pdf), stamp)?;
        // decision.json last: its presence means the case's outputs are complete.
        let mut json = serde_json::to_value(decision).map_err(|e| RunError::Io {
            context: "decision.json".into(),
            source: std::io::Error::other(e),
        })?;
        if let Some(obj) = json.as_object_mut() {
            obj.insert("submission".into(), submission.into());
        }
        let text = serde_json::to_string_pretty(&json).unwrap_or_default() + "\n";
        write_durable(&dir.join("decision.json"), text.as_bytes())
            .map_err(io("decision.json を書き出せません"))?;
        self.journal.record_decision(
            &decision.case_id,
            decision.outcome.id(),
            decision.amount_yen,
            &text,
            stamp,
        )?;
        self.journal.record_output(
            &decision.case_id,
            "decision.json",
            &sha256_hex(text.as_bytes()),
            stamp,
        )?;
        Ok(())
    }

    fn process_loose(
        &mut self,
        name: &str,
        path: &Path,
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.to_rfc3339();
        let claimed = self.claim(name, path, now)?;
        let bytes = fs::read(&claimed).map_err(io(format!("{name} を読めません")))?;
        let sha = sha256_hex(&bytes);
        let id = self
            .journal
            .record_file(&sha, name, None, bytes.len() as u64, &stamp)?;
        if let Some(first) = self.journal.seen_before(&sha, id)? {
            let reason = format!("同じ内容のファイルがすでに受け付けられています（{first}）。重複のため処理していません。");
            quarantine(&claimed, &self.state.duplicates(), name, &reason)
                .map_err(io("重複フォルダに移せません"))?;
            self.journal.set_file_state(
                id,
                FileState::Duplicate,
                Some(&reason),
                None,
                None,
                &stamp,
            )?;
            summary.duplicates += 1;
            return Ok(());
        }
        match self.reader.read(name, &bytes) {
            Err(e) => {
                let reason = e.to_string();
                quarantine(&claimed, &self.state.quarantine(), name, &reason)
                    .map_err(io("隔離フォルダに移せません"))?;
                self.journal.set_file_state(
                    id,
                    FileState::Quarantined,
                    Some(&reason),
                    None,
                    None,
                    &stamp,
                )?;
                summary.quarantined += 1;
                warn!(sha = &sha[..12], "quarantined");
            }
            Ok(docs) => {
                // A readable document that belongs to no case waits, with what was read beside it.
                let to = move_file(
                    &claimed,
                    &self.state.unassigned(),
                    &format!("{sha}.{}", extension(name)),
                )
                .map_err(io("未割当フォルダに移せません"))?;
                let json = serde_json::to_string_pretty(&docs).unwrap_or_default();
                write_durable(&to.with_extension("json"), json.as_bytes())
                    .map_err(io("未割当フォルダに書けません"))?;
                self.journal.set_file_state(
                    id,
                    FileState::Unassigned,
                    None,
                    Some(&to.display().to_string()),
                    None,
                    &stamp,
                )?;
                summary.unassigned += 1;
            }
        }
        Ok(())
    }
}

/// Decides a submission folder without writing anything (`kyufu decide`).
pub fn decide_folder(reader: &Reader, dir: &Path) -> Result<Decision, RunError> {
    let read = reader.read_submission(dir)?;
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let case = case::assemble(
        &id,
        read.application,
        read.documents,
        Config::default().review_below,
    );
    Ok(rules::decide(&case, &Parameters::embedded()))
}
