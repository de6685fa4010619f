//! File-system helpers of the run: hashing, claiming, durable writes, archiving, quarantine.
//!
//! Durable write = temp file in the same folder, fsync, rename, fsync the folder: a reader sees the
//! old file or the whole new one, never half of it, and a crash leaves no torn output (a crash may
//! leave a `.<name>.tmp-<pid>` beside it, which [`remove_temp_files`] clears on resume).
//!
//! Every move here is safe to repeat after a crash: a file is never copied over another, and a
//! quarantine reason is written before the file it explains is moved in.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Writes `bytes` to `path` durably (temp, fsync, rename, fsync the folder).
pub fn write_durable(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(dir)
}

/// fsync a folder so a rename in it survives a crash.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// A path in `dir` for `name` that does not exist yet: `name`, else `name` with a suffix before the
/// extension (`scan.jpg`, `scan-2.jpg`, …). Nothing in the state folders is ever overwritten.
pub fn free_path(dir: &Path, name: &str) -> PathBuf {
    // symlink_metadata, not exists(): a dangling link there is still something not to overwrite.
    let taken = |p: &Path| fs::symlink_metadata(p).is_ok();
    let first = dir.join(name);
    if !taken(&first) {
        return first;
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}{ext}")))
        .find(|p| !taken(p))
        .unwrap_or(first)
}

/// Moves a file (rename; copy + fsync + remove across devices) and returns where it went.
pub fn move_file(from: &Path, to_dir: &Path, name: &str) -> io::Result<PathBuf> {
    fs::create_dir_all(to_dir)?;
    let to = free_path(to_dir, name);
    move_to(from, &to)?;
    Ok(to)
}

/// Moves a file to exactly `to` (which must not exist) and makes the move durable.
pub fn move_to(from: &Path, to: &Path) -> io::Result<()> {
    let dir = to.parent().unwrap_or(Path::new("."));
    match fs::rename(from, to) {
        Ok(()) => {}
        Err(e) if fs::symlink_metadata(from).is_ok_and(|m| m.file_type().is_symlink()) => {
            // Never copy through a link: that would read what it points at.
            return Err(e);
        }
        Err(_) => {
            fs::copy(from, to)?;
            File::open(to)?.sync_all()?;
            fs::remove_file(from)?;
        }
    }
    sync_dir(dir)
}

/// Puts a file in quarantine with `<name>.reason.txt` beside it (in Japanese), byte-identical. The
/// reason is written first, so a crash never leaves a quarantined file without one.
pub fn quarantine(
    from: &Path,
    quarantine_dir: &Path,
    name: &str,
    reason: &str,
) -> io::Result<PathBuf> {
    fs::create_dir_all(quarantine_dir)?;
    let to = free_path(quarantine_dir, name);
    let reason_name = format!(
        "{}.reason.txt",
        to.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    write_durable(
        &quarantine_dir.join(reason_name),
        format!("{reason}\n").as_bytes(),
    )?;
    move_to(from, &to)?;
    Ok(to)
}

/// Takes an inbox entry: creates a fresh container `claimed/<key>/` and renames the entry into it,
/// keeping its name. The rename is atomic: the entry is either still in the inbox or claimed, and
/// no other run sees it again. `used` says whether a key was ever given before (keys are never
/// reused: the journal knows an intake by its key). Returns the container's key.
pub fn claim(
    entry: &Path,
    claimed: &Path,
    stamp: &str,
    used: &dyn Fn(&str) -> bool,
) -> io::Result<String> {
    let name = entry
        .file_name()
        .ok_or_else(|| io::Error::other("no file name"))?;
    let pid = std::process::id();
    for n in 0u32.. {
        let key = format!("{stamp}-{pid}-{n}");
        if used(&key) {
            continue;
        }
        let container = claimed.join(&key);
        match fs::create_dir(&container) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
        if let Err(e) = fs::rename(entry, container.join(name)) {
            let _ = fs::remove_dir(&container);
            return Err(e);
        }
        sync_dir(&container)?;
        sync_dir(claimed)?;
        return Ok(key);
    }
    Err(io::Error::other("no free claim key"))
}

/// Removes what a crashed durable write left in `dir` (`.<name>.tmp-<pid>`).
pub fn remove_temp_files(dir: &Path) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.contains(".tmp-") {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Whether `path` holds exactly `bytes` (so a resumed run need not write it again).
pub fn holds(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|b| b == bytes)
}

/// The file's extension, lower-case, for the archive name (`bin` if none).
pub fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .filter(|e| e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc_is_the_standard_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn quarantine_keeps_the_bytes_and_writes_the_reason() {
        let dir = std::env::temp_dir().join(format!("kyufu-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let src = dir.join("bad.pdf");
        fs::write(&src, b"not a pdf").unwrap();
        let q = dir.join("quarantine");
        let to = quarantine(&src, &q, "bad.pdf", "PDF として読めません").unwrap();
        assert_eq!(fs::read(&to).unwrap(), b"not a pdf");
        assert!(fs::read_to_string(q.join("bad.pdf.reason.txt"))
            .unwrap()
            .contains("PDF として読めません"));
        // A second file of the same name does not overwrite the first.
        fs::write(&src, b"other").unwrap();
        let to2 = quarantine(&src, &q, "bad.pdf", "x").unwrap();
        assert_ne!(to, to2);
        assert!(q.join("bad-2.pdf.reason.txt").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_claim_moves_the_entry_into_its_own_container_keeping_its_name() {
        let dir = std::env::temp_dir().join(format!("kyufu-claim-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let (inbox, claimed) = (dir.join("inbox"), dir.join("claimed"));
        fs::create_dir_all(inbox.join("sub")).unwrap();
        fs::create_dir_all(&claimed).unwrap();
        fs::write(inbox.join("sub/a.pdf"), b"%PDF-").unwrap();
        fs::write(inbox.join("b.jpg"), b"jpg").unwrap();
        let k1 = claim(&inbox.join("sub"), &claimed, "T", &|_| false).unwrap();
        // A key given before is never given again, even once its container is gone.
        let k2 = claim(&inbox.join("b.jpg"), &claimed, "T", &|k| k == k1).unwrap();
        assert_ne!(k1, k2, "two claims in the same second get different keys");
        assert_eq!(
            fs::read(claimed.join(&k1).join("sub/a.pdf")).unwrap(),
            b"%PDF-"
        );
        assert_eq!(fs::read(claimed.join(&k2).join("b.jpg")).unwrap(), b"jpg");
        assert_eq!(fs::read_dir(&inbox).unwrap().count(), 0);
        // An entry that vanished meanwhile leaves no empty container behind.
        assert!(claim(&inbox.join("gone.jpg"), &claimed, "T", &|_| false).is_err());
        assert_eq!(fs::read_dir(&claimed).unwrap().count(), 2);
        fs::remove_dir_all(&dir).unwrap();
    }
}
