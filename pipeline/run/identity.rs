//! What the run knows things by: a submission by the hashes of its files (its content id, the
//! same under any folder name), a file that cannot be opened by an identity no other shares, and a
//! case by the join keys a loose document is matched on (hashes, never the names themselves).
//!
//! Pure apart from reading the files it hashes; it decides and moves nothing. Called by the intake
//! and write steps ([`super::intake`], [`super::write`]).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::case::Case;
use crate::document::Document;
use crate::watch::ignored_name;

use super::files::sha256_hex;

/// Files of a submission folder, recursively, sorted by path (symbolic links are not followed).
pub(super) fn submission_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
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
pub(super) fn document_key(doc: &Document) -> Option<String> {
    let name = doc
        .text("payer_name")
        .or_else(|| doc.text("trainee_name"))?;
    case_key(name, doc.text("course_name")?)
}

/// The join keys of a case: the applicant with the course applied for, and each document's.
pub(super) fn case_keys(case: &Case) -> Vec<String> {
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

/// A file's (name, sha256, size); one that cannot be opened gets an identity no other file shares,
/// so it is never taken for a duplicate and goes to quarantine with the reason.
pub(super) fn file_identity(path: &Path, name: &str, key: &str) -> (String, String, u64) {
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
