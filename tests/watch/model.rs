//! Model-based test of the scanner and the claim (STYLE.md: "the watcher: each settled unique file
//! processed exactly once, across restarts"). Random sequences of writes, slow partial writes,
//! renames, deletes, duplicate drops, clock advances, scans and restarts run against a real folder
//! and a model of it; time is simulated (each write sets the file's mtime to the simulated clock, and
//! each scan is given it), so the test is fast and exact.
//!
//! Checked at every claim: the file was settled in the model (unchanged for the settle time) and its
//! bytes are a complete document, never a partial write. Checked at the end: every file left is taken
//! once the clock moves on, and every distinct content was processed exactly once (every other drop
//! of it is recorded as a duplicate).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use proptest::prelude::*;

use kyufu::journal::{IntakeKind, Journal};
use kyufu::run::files::{claim, sha256_hex};
use kyufu::watch::Scanner;

const SETTLE: Duration = Duration::from_millis(1000);

#[derive(Debug, Clone)]
enum Op {
    /// Writes a whole file (new or over an old one).
    Write {
        name: u8,
        content: u8,
    },
    /// Writes a file in `steps` parts, each `gap` ms apart (less than the settle time), scanning
    /// between parts.
    SlowWrite {
        name: u8,
        content: u8,
        steps: u8,
        gap: u16,
    },
    Rename {
        from: u8,
        to: u8,
    },
    Delete {
        name: u8,
    },
    Advance {
        ms: u16,
    },
    Scan,
    /// The service restarts: a new scanner (nothing remembered) and the journal reopened.
    Restart,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..6u8, 0..4u8).prop_map(|(name, content)| Op::Write { name, content }),
        2 => (0..6u8, 0..4u8, 1..4u8, 1..900u16)
            .prop_map(|(name, content, steps, gap)| Op::SlowWrite { name, content, steps, gap }),
        1 => (0..6u8, 0..6u8).prop_map(|(from, to)| Op::Rename { from, to }),
        1 => (0..6u8).prop_map(|name| Op::Delete { name }),
        3 => (0..2500u16).prop_map(|ms| Op::Advance { ms }),
        3 => Just(Op::Scan),
        1 => Just(Op::Restart),
    ]
}

/// A complete document: recognisable, and different per content number.
fn document(content: u8) -> Vec<u8> {
    let mut d = format!("%PDF-1.4 document {content} ").into_bytes();
    d.resize(200 + usize::from(content) * 37, b'.');
    d.extend_from_slice(b" %%EOF");
    d
}

fn is_complete(bytes: &[u8]) -> bool {
    (0..4u8).any(|c| bytes == document(c).as_slice())
}

struct World {
    inbox: PathBuf,
    claimed: PathBuf,
    journal_path: PathBuf,
    journal: Journal,
    scanner: Scanner,
    now: SystemTime,
    /// The model: name → (bytes, when they last changed).
    files: BTreeMap<String, (Vec<u8>, SystemTime)>,
    /// Every content processed as new (not a duplicate), with how often.
    firsts: BTreeMap<String, usize>,
    duplicates: usize,
}

fn name(n: u8) -> String {
    format!("scan-{n}.pdf")
}

fn set_mtime(path: &Path, t: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

impl World {
    fn new(dir: &Path) -> World {
        let _ = fs::remove_dir_all(dir);
        let (inbox, claimed) = (dir.join("inbox"), dir.join("claimed"));
        fs::create_dir_all(&inbox).unwrap();
        fs::create_dir_all(&claimed).unwrap();
        let journal_path = dir.join("journal.sqlite");
        World {
            journal: Journal::open(&journal_path).unwrap(),
            journal_path,
            inbox,
            claimed,
            scanner: Scanner::default(),
            now: SystemTime::now(),
            files: BTreeMap::new(),
            firsts: BTreeMap::new(),
            duplicates: 0,
        }
    }

    fn write(&mut self, name: &str, bytes: &[u8]) {
        let path = self.inbox.join(name);
        fs::write(&path, bytes).unwrap();
        set_mtime(&path, self.now);
        self.files
            .insert(name.to_string(), (bytes.to_vec(), self.now));
    }

    /// One scan, claiming and processing everything ready, checking each claim against the model.
    fn scan(&mut self) -> Result<(), TestCaseError> {
        let scan = self.scanner.scan(&self.inbox, SETTLE, self.now).unwrap();
        for entry in scan.ready {
            let (bytes, changed) = self.files.remove(&entry.name).ok_or_else(|| {
                TestCaseError::fail(format!("{} is not in the inbox", entry.name))
            })?;
            prop_assert!(
                self.now.duration_since(changed).unwrap_or_default() >= SETTLE,
                "{} taken {:?} after its last change",
                entry.name,
                self.now.duration_since(changed)
            );
            let journal = &self.journal;
            let used = |k: &str| journal.intake_by_claim(k).map_or(true, |i| i.is_some());
            let key = claim(&entry.path, &self.claimed, "T", &used).unwrap();
            self.scanner.forget(&entry.path);
            let taken = fs::read(self.claimed.join(&key).join(&entry.name)).unwrap();
            prop_assert_eq!(&taken, &bytes, "claimed bytes are the model's");
            prop_assert!(
                is_complete(&taken),
                "a partial write was taken: {} bytes",
                taken.len()
            );
            let sha = sha256_hex(&taken);
            let files = [(entry.name.clone(), sha.clone(), taken.len() as u64)];
            let intake = self
                .journal
                .begin_intake(
                    &key,
                    IntakeKind::Loose,
                    Some(&entry.name),
                    &sha,
                    &files,
                    "t",
                )
                .unwrap();
            if self
                .journal
                .content_seen(&sha, intake.id)
                .unwrap()
                .is_some()
            {
                self.duplicates += 1;
            } else {
                *self.firsts.entry(sha).or_default() += 1;
            }
            // Processed: what `run` does once a file is archived.
            self.journal
                .commit_written(
                    intake.id,
                    &kyufu::journal::Written {
                        outcome: "decided",
                        ..Default::default()
                    },
                    "t",
                )
                .unwrap();
            fs::remove_dir_all(self.claimed.join(&key)).unwrap();
        }
        Ok(())
    }

    fn apply(&mut self, op: &Op) -> Result<(), TestCaseError> {
        match *op {
            Op::Write { name: n, content } => self.write(&name(n), &document(content)),
            Op::SlowWrite {
                name: n,
                content,
                steps,
                gap,
            } => {
                let full = document(content);
                let parts = usize::from(steps) + 1;
                let step = full.len().div_ceil(parts);
                for k in 1..=parts {
                    let upto = (k * step).min(full.len());
                    self.write(&name(n), &full[..upto]);
                    if k < parts {
                        self.now += Duration::from_millis(u64::from(gap));
                        self.scan()?;
                        // The writer keeps going only if the file was not taken meanwhile (it can
                        // be: a rewrite of a settled name starts from its old, complete bytes).
                        if !self.files.contains_key(&name(n)) {
                            break;
                        }
                    }
                }
            }
            Op::Rename { from, to } => {
                let (from, to) = (name(from), name(to));
                if from != to && self.files.contains_key(&from) && !self.files.contains_key(&to) {
                    fs::rename(self.inbox.join(&from), self.inbox.join(&to)).unwrap();
                    let v = self.files.remove(&from).unwrap();
                    self.files.insert(to, v);
                }
            }
            Op::Delete { name: n } => {
                if self.files.remove(&name(n)).is_some() {
                    fs::remove_file(self.inbox.join(name(n))).unwrap();
                }
            }
            Op::Advance { ms } => self.now += Duration::from_millis(u64::from(ms)),
            Op::Scan => self.scan()?,
            Op::Restart => {
                self.scanner = Scanner::default();
                self.journal = Journal::open(&self.journal_path).unwrap();
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_settled_unique_file_is_processed_exactly_once_and_partial_files_never(
        ops in proptest::collection::vec(op(), 1..40)
    ) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("watch-model-{:?}", std::thread::current().id()));
        let mut w = World::new(&dir);
        for op in &ops {
            w.apply(op)?;
        }
        // The writers are done: once the clock moves on, everything left is taken.
        for _ in 0..3 {
            w.now += SETTLE;
            w.scan()?;
        }
        prop_assert!(w.files.is_empty(), "left in the inbox: {:?}", w.files.keys().collect::<Vec<_>>());
        prop_assert_eq!(fs::read_dir(&w.inbox).unwrap().count(), 0);
        prop_assert!(w.firsts.values().all(|n| *n == 1), "a content processed twice: {:?}", w.firsts);
        let _ = fs::remove_dir_all(&dir);
    }
}
