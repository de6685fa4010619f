//! Reading the next inbox entry while the current one is decided.
//!
//! A submission has two or three pages and the workers are one per core, so reading one submission
//! at a time leaves a worker idle at the end of nearly every submission (one page longer than the
//! other, or an odd page). Before an entry is claimed, its files are read from the inbox and their
//! pages queued behind the current entry's; when the entry is claimed and its files are read again
//! from `state/claimed`, the early reading is used only if the files are byte-identical and the
//! application gives the same hints. Anything else (a file changed, vanished or unreadable, a
//! duplicate that is never read) drops it: the reading is then done as if there had been none.
//!
//! Reading ahead only reads: nothing is claimed, moved, written or journaled for an entry until
//! `Runner::take` does so in order.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;

use crate::decode;
use crate::document::Document;
use crate::extract::Hints;
use crate::watch::Entry;

use super::submission::SubmissionFiles;
use super::{hints_from, ReadError, Reader};

/// What reading a set of files gives, one result per file in order.
pub type ReadResults = Vec<Result<Vec<Document>, ReadError>>;

/// The files and hints of one read, as the reading thread gets them.
pub struct ReadInput {
    pub files: Arc<Vec<(String, Vec<u8>)>>,
    pub hints: Arc<Hints>,
}

/// A read begun before its entry was claimed.
pub struct ReadAhead {
    /// The inbox entry it was begun for.
    pub entry: PathBuf,
    input: ReadInput,
    result: Receiver<ReadResults>,
}

impl ReadAhead {
    /// Begins reading `entry` from the inbox: a submission folder's scans with its application's
    /// hints, or one loose file that kyufu knows by its header. `None` when there is nothing to read
    /// or a file cannot be read now (the entry is then read after its claim, as usual).
    pub fn begin(reader: &Arc<Reader>, entry: &Entry) -> Option<ReadAhead> {
        let input = if entry.is_dir {
            submission_input(&entry.path)?
        } else {
            let bytes = fs::read(&entry.path).ok()?;
            decode::sniff(&bytes)?;
            ReadInput {
                files: Arc::new(vec![(entry.name.clone(), bytes)]),
                hints: Arc::new(Hints::default()),
            }
        };
        if input.files.is_empty() {
            return None;
        }
        let result = start_read(reader, &input, None)?;
        Some(ReadAhead {
            entry: entry.path.clone(),
            input,
            result,
        })
    }

    /// Whether it reads exactly these files with these hints.
    pub fn is_of(&self, input: &ReadInput) -> bool {
        self.input.files == input.files && self.input.hints == input.hints
    }

    /// Where its result will arrive.
    pub fn into_result(self) -> Receiver<ReadResults> {
        self.result
    }
}

/// A submission folder's scans (every file but `application.json`, by relative name in the order
/// the journal lists them) and the hints its application gives, as `write_submission` reads them
/// after the claim.
fn submission_input(dir: &Path) -> Option<ReadInput> {
    let files = SubmissionFiles::read_folder(dir).ok()?;
    Some(ReadInput {
        hints: Arc::new(hints_from(&files.application)),
        files: Arc::new(files.scans),
    })
}

/// Reads `input` (or only file `only` of it) on a thread of its own; the result arrives on the
/// receiver. `None` if no thread could be started.
pub fn start_read(
    reader: &Arc<Reader>,
    input: &ReadInput,
    only: Option<usize>,
) -> Option<Receiver<ReadResults>> {
    let (tx, rx) = channel();
    let reader = Arc::clone(reader);
    let (files, hints) = (Arc::clone(&input.files), Arc::clone(&input.hints));
    std::thread::Builder::new()
        .name("read".into())
        .spawn(move || {
            let inputs: Vec<(&str, &[u8])> = files
                .iter()
                .enumerate()
                .filter(|(i, _)| only.is_none_or(|o| o == *i))
                .map(|(_, (n, b))| (n.as_str(), b.as_slice()))
                .collect();
            let _ = tx.send(reader.read_many(&inputs, &hints));
        })
        .ok()?;
    Some(rx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ocr::testpage;

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kyufu-ahead-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("a")).unwrap();
        let app =
            r#"{"applicant": {"name": "山田 花子"}, "course": {"name": "介護職員初任者研修"}}"#;
        fs::write(dir.join("application.json"), app).unwrap();
        let mut png = Vec::new();
        image::DynamicImage::ImageLuma8(testpage::render_receipt())
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        fs::write(dir.join("b.png"), &png).unwrap();
        fs::write(dir.join("a").join("c.png"), &png).unwrap();
        dir
    }

    #[test]
    fn a_read_begun_ahead_serves_only_the_same_files_and_application() {
        let dir = folder("same");
        let reader = Arc::new(Reader::new(&Config::default()).unwrap());
        let entry = Entry {
            name: "sub".into(),
            path: dir.clone(),
            is_dir: true,
        };
        let ahead = ReadAhead::begin(&reader, &entry).expect("begun");
        // As `write_submission` reads the claimed folder: scans by name, hints from the application.
        let names: Vec<&str> = ahead.input.files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["a/c.png", "b.png"]);
        assert_eq!(ahead.input.hints.names, ["山田 花子"]);
        let same = ReadInput {
            files: Arc::new((*ahead.input.files).clone()),
            hints: Arc::new((*ahead.input.hints).clone()),
        };
        assert!(ahead.is_of(&same));
        let mut changed = (*same.files).clone();
        changed[1].1.push(0);
        let changed = ReadInput {
            files: Arc::new(changed),
            hints: Arc::clone(&same.hints),
        };
        assert!(
            !ahead.is_of(&changed),
            "a file changed after the read began"
        );
        let other_application = ReadInput {
            files: Arc::clone(&same.files),
            hints: Arc::new(Hints::default()),
        };
        assert!(!ahead.is_of(&other_application));
        // What arrives is the reading of both scans.
        let read = ahead.into_result().recv().expect("read");
        assert_eq!(read.len(), 2);
        for docs in &read {
            let docs = docs.as_ref().expect("readable");
            assert_eq!(docs.len(), 1);
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn nothing_is_begun_for_what_kyufu_would_not_read() {
        let dir = folder("none");
        let reader = Arc::new(Reader::new(&Config::default()).unwrap());
        let text = dir.join("note.pdf");
        fs::write(&text, "not a pdf").unwrap();
        let loose = Entry {
            name: "note.pdf".into(),
            path: text,
            is_dir: false,
        };
        assert!(ReadAhead::begin(&reader, &loose).is_none());
        let gone = Entry {
            name: "gone".into(),
            path: dir.join("gone"),
            is_dir: true,
        };
        assert!(ReadAhead::begin(&reader, &gone).is_none());
        let _ = fs::remove_dir_all(&dir);
    }
}
