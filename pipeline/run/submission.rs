//! A submission's files, split one way for every caller: `application.json` (read leniently, or the
//! reason it could not be read at all) and the scans, by name.
//!
//! `run` and `watch` (through `Runner::write_submission`), the read-ahead (`ahead.rs`) and `decide`
//! all take a submission apart here, so a malformed `application.json` is treated alike by each: the
//! case is decided with an empty application (its required facts are then missing, so the decision
//! names them) and the file's reason is kept for quarantine. Reading the scans is `Reader`'s job.

use std::fs;
use std::io;
use std::path::Path;

use crate::case::Application;

/// The name of the online application inside a submission folder (DESIGN.md, "A submission folder").
pub const APPLICATION_FILE: &str = "application.json";

/// A submission folder's files, taken apart.
#[derive(Debug, Default)]
pub struct SubmissionFiles {
    /// The application, or an empty one when the folder has none or it cannot be read.
    pub application: Application,
    /// Why `application.json` could not be read at all, in Japanese (for quarantine); `None` when it
    /// was read or is absent.
    pub application_problem: Option<String>,
    /// Every other file, by its name relative to the folder, in name order (SQLite's byte order, as
    /// `str`'s, which is how the journal lists them).
    pub scans: Vec<(String, Vec<u8>)>,
}

impl SubmissionFiles {
    /// Splits files given by relative name. A second `application.json` (in a sub-folder it would
    /// have another name) cannot occur: names are unique within a folder.
    pub fn split(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> SubmissionFiles {
        let mut out = SubmissionFiles::default();
        for (name, bytes) in files {
            if name == APPLICATION_FILE {
                match read_application(&bytes) {
                    Ok(app) => out.application = app,
                    Err(problem) => out.application_problem = Some(problem),
                }
            } else {
                out.scans.push((name, bytes));
            }
        }
        out.scans.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Reads a submission folder from disk (recursively, as the inbox scan lists it).
    pub fn read_folder(dir: &Path) -> io::Result<SubmissionFiles> {
        let mut files = Vec::new();
        for path in super::identity::submission_files(dir)? {
            let name = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            files.push((name, fs::read(&path)?));
        }
        Ok(SubmissionFiles::split(files))
    }
}

/// Reads `application.json`'s bytes: a value of the wrong type is left out and named in the
/// application's `malformed` list; only bytes that are not a JSON object are refused, with a reason.
pub fn read_application(bytes: &[u8]) -> Result<Application, String> {
    Application::from_json_bytes(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_application_leaves_an_empty_one_and_says_why() {
        let files = vec![
            ("scan2.jpg".to_string(), b"b".to_vec()),
            (APPLICATION_FILE.to_string(), b"{ not json".to_vec()),
            ("scan1.jpg".to_string(), b"a".to_vec()),
        ];
        let s = SubmissionFiles::split(files);
        assert_eq!(s.application.benefit, None);
        let why = s.application_problem.expect("a reason");
        assert!(why.contains("application.json"), "{why}");
        let names: Vec<&str> = s.scans.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["scan1.jpg", "scan2.jpg"]);
    }

    #[test]
    fn a_readable_application_is_taken_and_not_counted_as_a_scan() {
        let json = br#"{"benefit": "kyoiku_kunren", "applied_on": "2026-07-10"}"#;
        let s = SubmissionFiles::split(vec![(APPLICATION_FILE.to_string(), json.to_vec())]);
        assert!(s.application.benefit.is_some());
        assert!(s.application_problem.is_none());
        assert!(s.scans.is_empty());
    }
}
