//! Finding and checking the Tesseract models (`*.traineddata`) before any engine loads them.
//!
//! The manifest (`ocr-models/manifest.toml`, compiled in) pins each model by SHA-256: a model that
//! changed under us (a system upgrade, a copied file) changes every reading, so kyufu refuses to start
//! rather than read differently without anyone deciding it should. Called by `Engine::new` (through
//! [`Models::check`]) and by the CLI at start-up (through [`Models::locate`]).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::OcrError;

const MANIFEST: &str = include_str!("../../ocr-models/manifest.toml");

/// Where Debian's tesseract-ocr-* packages put the models.
pub const SYSTEM_TESSDATA: &str = "/usr/share/tesseract-ocr/5/tessdata";

/// The language every page is read with unless a form says otherwise.
pub const DEFAULT_LANG: &str = "jpn";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    models: BTreeMap<String, ModelEntry>,
}

/// One pinned model.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    /// File name inside the tessdata folder, e.g. `jpn.traineddata`.
    pub file: String,
    /// The Debian package that installs it.
    pub package: String,
    /// That package's version when the hash was taken.
    pub version: String,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
}

/// The tessdata folder in use and the manifest its models are checked against.
#[derive(Debug, Clone)]
pub struct Models {
    /// The folder Tesseract loads `<lang>.traineddata` from.
    pub dir: PathBuf,
    manifest: BTreeMap<String, ModelEntry>,
}

impl Models {
    /// Finds the tessdata folder — `configured` (kyufu.toml), else `$TESSDATA_PREFIX`, else Debian's
    /// [`SYSTEM_TESSDATA`] — and checks the default model ([`DEFAULT_LANG`]) against the manifest.
    pub fn locate(configured: Option<&Path>) -> Result<Models, OcrError> {
        let dir = match configured {
            Some(dir) => dir.to_path_buf(),
            None => match std::env::var_os("TESSDATA_PREFIX") {
                Some(prefix) if !prefix.is_empty() => PathBuf::from(prefix),
                _ => PathBuf::from(SYSTEM_TESSDATA),
            },
        };
        let models = Models::with_manifest(dir, MANIFEST)?;
        models.check(DEFAULT_LANG)?;
        Ok(models)
    }

    fn with_manifest(dir: PathBuf, manifest: &str) -> Result<Models, OcrError> {
        let manifest: Manifest =
            toml::from_str(manifest).map_err(|e| OcrError::Manifest(e.to_string()))?;
        Ok(Models {
            dir,
            manifest: manifest.models,
        })
    }

    /// The manifest entry for one model, if kyufu knows it.
    pub fn entry(&self, model: &str) -> Option<&ModelEntry> {
        self.manifest.get(model)
    }

    /// Checks every model a Tesseract language string names (`"jpn"`, `"jpn+eng"`): known to the
    /// manifest, present, and the same bytes as pinned.
    pub fn check(&self, lang: &str) -> Result<(), OcrError> {
        for model in lang.split('+') {
            let entry = self
                .manifest
                .get(model)
                .ok_or_else(|| OcrError::UnknownModel {
                    model: model.to_string(),
                })?;
            let path = self.dir.join(&entry.file);
            let actual = sha256_file(&path).map_err(|source| {
                if source.kind() == std::io::ErrorKind::NotFound {
                    OcrError::ModelMissing {
                        file: entry.file.clone(),
                        path: path.clone(),
                        package: entry.package.clone(),
                    }
                } else {
                    OcrError::ModelUnreadable {
                        path: path.clone(),
                        source,
                    }
                }
            })?;
            if actual != entry.sha256 {
                return Err(OcrError::ModelMismatch {
                    file: entry.file.clone(),
                    path,
                    expected: entry.sha256.clone(),
                    actual,
                });
            }
        }
        Ok(())
    }
}

fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("kyufu-ocr-models-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    #[test]
    fn installed_models_match_the_manifest() {
        let models =
            Models::locate(Some(Path::new(SYSTEM_TESSDATA))).expect("jpn is installed and pinned");
        models.check("jpn+eng").expect("eng too");
        models.check("jpn_vert").expect("jpn_vert too");
        assert_eq!(
            models.entry("jpn").map(|e| e.package.as_str()),
            Some("tesseract-ocr-jpn")
        );
    }

    #[test]
    fn missing_dir_says_what_to_run_in_japanese() {
        let e = Models::locate(Some(Path::new("/nonexistent/tessdata"))).unwrap_err();
        let message = e.to_string();
        assert!(matches!(e, OcrError::ModelMissing { .. }), "{e:?}");
        assert!(
            message.contains("OCR モデル jpn.traineddata が見つかりません"),
            "{message}"
        );
        assert!(
            message.contains("/nonexistent/tessdata/jpn.traineddata"),
            "{message}"
        );
        assert!(
            message.contains("bash scripts/setup.sh") && message.contains("tesseract-ocr-jpn"),
            "{message}"
        );
    }

    #[test]
    fn changed_model_names_both_hashes() {
        let dir = scratch("mismatch");
        std::fs::write(dir.join("jpn.traineddata"), b"not the pinned model").expect("write");
        let e = Models::locate(Some(&dir)).unwrap_err();
        let message = e.to_string();
        assert!(matches!(e, OcrError::ModelMismatch { .. }), "{e:?}");
        assert!(
            message.contains("1f5de9236d2e85f5fdf4b3c500f2d4926f8d9449f28f5394472d9e8d83b91b4d"),
            "{message}"
        );
        let actual = sha256_file(&dir.join("jpn.traineddata")).expect("hash");
        assert!(message.contains(&actual), "{message}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unknown_model_is_refused() {
        let models = Models::with_manifest(PathBuf::from(SYSTEM_TESSDATA), MANIFEST)
            .expect("manifest parses");
        assert!(
            matches!(models.check("jpn+kor"), Err(OcrError::UnknownModel { model }) if model == "kor")
        );
    }
}
