//! File-system helpers of the run: hashing, durable writes, archiving, quarantine.
//!
//! Durable write = temp file in the same folder, fsync, rename, fsync the folder: a reader sees the
//! old file or the whole new one, never half of it, and a crash leaves no torn output.

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
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Moves a file (rename; copy + fsync + remove across devices) and returns where it went.
pub fn move_file(from: &Path, to_dir: &Path, name: &str) -> io::Result<PathBuf> {
    fs::create_dir_all(to_dir)?;
    let to = free_path(to_dir, name);
    match fs::rename(from, &to) {
        Ok(()) => {}
        Err(_) => {
            fs::copy(from, &to)?;
            File::open(&to)?.sync_all()?;
            fs::remove_file(from)?;
        }
    }
    sync_dir(to_dir)?;
    Ok(to)
}

/// Puts a file in quarantine with `<name>.reason.txt` beside it (in Japanese), byte-identical.
pub fn quarantine(
    from: &Path,
    quarantine_dir: &Path,
    name: &str,
    reason: &str,
) -> io::Result<PathBuf> {
    let to = move_file(from, quarantine_dir, name)?;
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
    Ok(to)
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
        fs::remove_dir_all(&dir).unwrap();
    }
}
