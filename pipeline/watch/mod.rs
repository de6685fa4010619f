//! watch: which inbox entries are ready to be taken, and when to look again.
//!
//! A periodic full scan of the inbox is the truth (file-system events only wake a scan early, and on
//! network shares there are none). An entry is a file at the inbox root or a sub-folder (one
//! submission). It is ready when nothing about it has changed for the settle time: its size and mtime
//! (for a folder: the count, total size and newest mtime of everything in it) are the same as at the
//! previous scan, and either the newest mtime is at least `settle` old or this process has itself
//! watched it hold still that long (a share whose clock runs ahead gives mtimes in the future).
//! Hidden, temporary and system names are never entries; symbolic links are never followed (one at
//! the root is returned apart, for `run` to move aside).
//!
//! [`Waker`] turns `notify` events into "scan now" (a burst of events is one wake-up); on a network
//! share (cifs/smb/nfs, by `statfs`) or with `watch_mode = "poll"` it only sleeps until the next
//! scan. [`install_stop_handler`] makes SIGINT/SIGTERM a flag the service checks between entries.
//!
//! This module only looks; `run` claims what it returns.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

use serde::Deserialize;

/// How the service learns that the inbox changed (`kyufu.toml` `watch_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WatchMode {
    /// File-system events wake the scan early, except on a network share (polling only there).
    #[default]
    Auto,
    /// Scans only, every `scan_interval_ms`.
    Poll,
}

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

/// Keeps what the previous scan saw: each entry's fingerprint and when this process first saw it.
#[derive(Debug, Default)]
pub struct Scanner {
    seen: BTreeMap<PathBuf, (Fingerprint, SystemTime)>,
}

/// The result of one scan.
#[derive(Debug, Default)]
pub struct Scan {
    /// Ready to be taken, sorted by name.
    pub ready: Vec<Entry>,
    /// Present but still changing (or seen for the first time with a fresh mtime).
    pub settling: usize,
    /// How long until the first settling entry may be ready (when to scan again); `None` if nothing
    /// is settling.
    pub next_due: Option<Duration>,
    /// Symbolic links at the inbox root (never followed).
    pub links: Vec<Entry>,
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
                out.links.push(Entry {
                    name,
                    path,
                    is_dir: false,
                });
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
            // Held still since when, by our own watch: a changed fingerprint starts the count again.
            let (unchanged, since) = match self.seen.get(&path) {
                Some((prev, since)) if *prev == fp => (true, *since),
                Some(_) => (false, now),
                None => (true, now),
            };
            let by_mtime = now.duration_since(fp.newest).unwrap_or(Duration::ZERO);
            let by_watch = now.duration_since(since).unwrap_or(Duration::ZERO);
            let still = by_mtime.max(by_watch);
            let empty_dir = ft.is_dir() && fp.files == 0;
            if still >= settle && unchanged && !empty_dir {
                out.ready.push(Entry {
                    name,
                    path: path.clone(),
                    is_dir: ft.is_dir(),
                });
            } else {
                out.settling += 1;
                if !empty_dir {
                    // A first sighting must be confirmed unchanged by one more scan, however old.
                    let due = settle.saturating_sub(still).max(Duration::from_millis(10));
                    out.next_due = Some(out.next_due.map_or(due, |d| d.min(due)));
                }
            }
            current.insert(path, (fp, since));
        }
        self.seen = current;
        out.ready.sort();
        Ok(out)
    }

    /// Entries currently tracked (for tests and `status`).
    pub fn tracked(&self) -> usize {
        self.seen.len()
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

/// Whether `path` is on a network file system (cifs, smb, smb2, nfs), where change events do not
/// arrive for writes made by other machines.
pub fn is_network_share(path: &Path) -> bool {
    network_fs_type(path).is_some()
}

/// The network file system `path` is on, by `statfs` magic number.
#[cfg(target_os = "linux")]
pub fn network_fs_type(path: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is a valid NUL-terminated path and `st` a properly sized, zeroed out-parameter.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    // f_type's integer type differs between architectures; the magic numbers are 32-bit.
    #[allow(clippy::unnecessary_cast)]
    let magic = (st.f_type as u64) & 0xFFFF_FFFF;
    match magic {
        0xFF53_4D42 => Some("cifs"),
        0x0000_517B => Some("smb"),
        0xFE53_4D42 => Some("smb2"),
        0x0000_6969 => Some("nfs"),
        _ => None,
    }
}

#[cfg(not(target_os = "linux"))]
pub fn network_fs_type(_path: &Path) -> Option<&'static str> {
    None
}

/// Where wake-ups come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WakeSource {
    /// File-system events, plus the periodic scan.
    Events,
    /// The periodic scan only.
    Polling,
}

/// Sleeps until the next scan is due, or earlier when the inbox changes.
pub struct Waker {
    rx: Option<Receiver<()>>,
    // Kept alive for as long as events are wanted.
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Waker {
    /// Events on `inbox` (recursive: a file written into a submission folder counts), unless `mode`
    /// is `Poll` or the inbox is on a network share; polling if the watcher cannot start.
    pub fn start(inbox: &Path, mode: WatchMode) -> (Waker, WakeSource) {
        let polling = Waker {
            rx: None,
            _watcher: None,
        };
        if mode == WatchMode::Poll || is_network_share(inbox) {
            return (polling, WakeSource::Polling);
        }
        use notify::Watcher;
        // Capacity 1 and try_send: any number of events before the next wait is one wake-up.
        let (tx, rx) = sync_channel::<()>(1);
        let watcher = notify::recommended_watcher(move |_: notify::Result<notify::Event>| {
            let _ = tx.try_send(());
        });
        let Ok(mut watcher) = watcher else {
            return (polling, WakeSource::Polling);
        };
        if watcher
            .watch(inbox, notify::RecursiveMode::Recursive)
            .is_err()
        {
            return (polling, WakeSource::Polling);
        }
        (
            Waker {
                rx: Some(rx),
                _watcher: Some(watcher),
            },
            WakeSource::Events,
        )
    }

    /// Waits up to `timeout`; returns early (true) on an event, after letting a burst gather for
    /// `batch`, or (false) when `stop` is set. Checks `stop` at least every 100 ms.
    pub fn wait(&self, timeout: Duration, batch: Duration, stop: &AtomicBool) -> bool {
        let deadline = Instant::now() + timeout;
        let slice = Duration::from_millis(100);
        loop {
            if stop.load(Ordering::SeqCst) {
                return false;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            match &self.rx {
                Some(rx) => match rx.recv_timeout(left.min(slice)) {
                    Ok(()) => {
                        std::thread::sleep(batch.min(left));
                        // Whatever arrived meanwhile is part of this wake-up.
                        let _ = rx.try_recv();
                        return true;
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => std::thread::sleep(left.min(slice)),
                },
                None => std::thread::sleep(left.min(slice)),
            }
        }
    }
}

/// Set by SIGINT/SIGTERM once [`install_stop_handler`] ran.
pub static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop_signal(_: libc::c_int) {
    // Only an atomic store: the one thing a signal handler may safely do here.
    STOP.store(true, Ordering::SeqCst);
}

/// Makes SIGINT and SIGTERM set [`STOP`] instead of killing the process, so the service finishes
/// the entry in hand and exits 0.
pub fn install_stop_handler() {
    let handler = on_stop_signal as extern "C" fn(libc::c_int);
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        libc::signal(libc::SIGTERM, handler as libc::sighandler_t);
    }
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
    fn a_symbolic_link_is_returned_apart_and_never_taken() {
        let inbox = tmp("links");
        std::os::unix::fs::symlink("/etc/passwd", inbox.join("passwd.pdf")).unwrap();
        let mut s = Scanner::default();
        let later = SystemTime::now() + Duration::from_secs(60);
        let first = s.scan(&inbox, Duration::ZERO, later).unwrap();
        assert_eq!(first.links.len(), 1);
        assert!(first.ready.is_empty() && first.settling == 0);
        fs::remove_dir_all(&inbox).unwrap();
    }

    #[test]
    fn a_file_stamped_in_the_future_by_a_share_settles_by_our_own_watch() {
        let inbox = tmp("future");
        let path = inbox.join("a.pdf");
        fs::write(&path, b"%PDF-").unwrap();
        let t0 = SystemTime::now();
        // The share's clock runs an hour ahead.
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(t0 + Duration::from_secs(3600))
            .unwrap();
        let settle = Duration::from_secs(2);
        let mut s = Scanner::default();
        let first = s.scan(&inbox, settle, t0).unwrap();
        assert!(first.ready.is_empty());
        assert_eq!(
            first.next_due,
            Some(settle),
            "look again when it may be settled"
        );
        assert!(s
            .scan(&inbox, settle, t0 + Duration::from_secs(1))
            .unwrap()
            .ready
            .is_empty());
        let later = s.scan(&inbox, settle, t0 + settle).unwrap();
        assert_eq!(
            later.ready.len(),
            1,
            "held still for the settle time, by our watch"
        );
        fs::remove_dir_all(&inbox).unwrap();
    }
}
