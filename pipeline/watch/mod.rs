//! watch: which inbox entries are ready to be taken.
//!
//! A periodic full scan of the inbox is the truth (file-system events only wake a scan early, and on
//! network shares there are none). An entry is a file at the inbox root or a sub-folder (one
//! submission). It is ready when nothing about it has changed for the settle time: its size and mtime
//! (for a folder: the count, total size and newest mtime of everything in it) are the same as at the
//! previous scan, and the newest mtime is at least `settle` old. Hidden, temporary and system names are
//! never entries; symbolic links are never followed (one at the root is reported once as ignored).
//!
//! This module only looks; `run` claims what it returns.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Names kyufu never takes (DESIGN.md, watch).
pub fn ignored_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || lower.ends_with(".part")
        || lower.ends_with(".tmp")
        || lower.ends_with(".crdownload")
        || lower == "thumbs.db"
        || lower == "desktop.ini"
        || name == "@eaDir"
}

/// What an entry looked like at a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub files: u64,
    pub bytes: u64,
    pub newest: SystemTime,
}

/// An inbox entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
}

/// Keeps what the previous scan saw.
#[derive(Debug, Default)]
pub struct Scanner {
    seen: BTreeMap<PathBuf, Fingerprint>,
    /// Symbolic links already reported, so the log says it once.
    pub reported_links: Vec<PathBuf>,
}

/// The result of one scan.
#[derive(Debug, Default)]
pub struct Scan {
    /// Ready to be taken, sorted by name.
    pub ready: Vec<Entry>,
    /// Present but still changing (or seen for the first time with a fresh mtime).
    pub settling: usize,
    /// Symbolic links seen for the first time at the inbox root (never followed).
    pub new_links: Vec<PathBuf>,
}

impl Scanner {
    pub fn scan(
        &mut self,
        inbox: &Path,
        settle: Duration,
        now: SystemTime,
    ) -> std::io::Result<Scan> {
        let mut out = Scan::default();
        let mut current = BTreeMap::new();
        for e in fs::read_dir(inbox)? {
            let Ok(e) = e else { continue };
            let name = e.file_name().to_string_lossy().into_owned();
            if ignored_name(&name) {
                continue;
            }
            let Ok(ft) = e.file_type() else { continue };
            let path = e.path();
            if ft.is_symlink() {
                if !self.reported_links.contains(&path) {
                    self.reported_links.push(path.clone());
                    out.new_links.push(path);
                }
                continue;
            }
            let fp = if ft.is_dir() {
                folder_fingerprint(&path)
            } else if ft.is_file() {
                match e.metadata() {
                    Ok(m) => Some(Fingerprint {
                        files: 1,
                        bytes: m.len(),
                        newest: m.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                    }),
                    Err(_) => None, // deleted while we looked
                }
            } else {
                None
            };
            let Some(fp) = fp else { continue };
            let old_enough = now
                .duration_since(fp.newest)
                .map(|d| d >= settle)
                .unwrap_or(false);
            let unchanged = self.seen.get(&path).is_none_or(|prev| *prev == fp);
            let empty_dir = ft.is_dir() && fp.files == 0;
            if old_enough && unchanged && !empty_dir {
                out.ready.push(Entry {
                    name,
                    path: path.clone(),
                    is_dir: ft.is_dir(),
                });
            } else {
                out.settling += 1;
            }
            current.insert(path, fp);
        }
        self.seen = current;
        out.ready.sort();
        Ok(out)
    }

    /// Forgets an entry (after it was claimed).
    pub fn forget(&mut self, path: &Path) {
        self.seen.remove(path);
    }
}

/// Count, total size and newest mtime of the files under a folder (links not followed). The folder's
/// own mtime counts too: a file renamed into it changes it.
fn folder_fingerprint(dir: &Path) -> Option<Fingerprint> {
    let mut fp = Fingerprint {
        files: 0,
        bytes: 0,
        newest: fs::metadata(dir)
            .ok()?
            .modified()
            .unwrap_or(SystemTime::UNIX_EPOCH),
    };
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            let Ok(m) = e.metadata() else { continue };
            let mtime = m.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            fp.newest = fp.newest.max(mtime);
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() && !ignored_name(&e.file_name().to_string_lossy()) {
                fp.files += 1;
                fp.bytes += m.len();
            }
        }
    }
    Some(fp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("kyufu-watch-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_file_is_ready_only_after_it_held_still_for_the_settle_time() {
        let inbox = tmp("settle");
        fs::write(inbox.join("a.jpg"), b"1234").unwrap();
        let settle = Duration::from_millis(500);
        let mut s = Scanner::default();
        let t0 = SystemTime::now();
        assert!(
            s.scan(&inbox, settle, t0).unwrap().ready.is_empty(),
            "fresh mtime"
        );
        // Grows while we wait: not ready at the next scan even when old enough by the clock.
        fs::write(inbox.join("a.jpg"), b"12345678").unwrap();
        let later = t0 + Duration::from_secs(5);
        assert!(
            s.scan(&inbox, settle, later).unwrap().ready.is_empty(),
            "changed since the last scan"
        );
        let scan = s.scan(&inbox, settle, later).unwrap();
        assert_eq!(scan.ready.len(), 1);
        fs::remove_dir_all(&inbox).unwrap();
    }

    #[test]
    fn temp_and_hidden_names_are_never_entries() {
        let inbox = tmp("names");
        for n in [
            ".x.jpg",
            "~$doc.pdf",
            "a.part",
            "b.tmp",
            "c.crdownload",
            "Thumbs.db",
            "desktop.ini",
        ] {
            fs::write(inbox.join(n), b"x").unwrap();
        }
        fs::create_dir_all(inbox.join("@eaDir")).unwrap();
        let mut s = Scanner::default();
        let later = SystemTime::now() + Duration::from_secs(60);
        let scan = s.scan(&inbox, Duration::ZERO, later).unwrap();
        assert!(scan.ready.is_empty() && scan.settling == 0, "{scan:?}");
        fs::remove_dir_all(&inbox).unwrap();
    }

    #[test]
    fn a_symbolic_link_is_reported_once_and_never_taken() {
        let inbox = tmp("links");
        std::os::unix::fs::symlink("/etc/passwd", inbox.join("passwd.pdf")).unwrap();
        let mut s = Scanner::default();
        let later = SystemTime::now() + Duration::from_secs(60);
        let first = s.scan(&inbox, Duration::ZERO, later).unwrap();
        assert_eq!(first.new_links.len(), 1);
        assert!(first.ready.is_empty());
        assert!(s
            .scan(&inbox, Duration::ZERO, later)
            .unwrap()
            .new_links
            .is_empty());
        fs::remove_dir_all(&inbox).unwrap();
    }
}
