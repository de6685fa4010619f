//! Bank and branch names for the 振込明細一覧, from the 全銀 code list that `scripts/bank-codes.py`
//! extracts into `bank-codes/` (`[payment] bank_codes`): the zengin-code data set (MIT), pinned by
//! its wheel's SHA-256 — `banks.json`, `branches/<bank>.json`, `updated_at` (the data's date).
//!
//! The list names what it knows and says when a code is not in it: a record to a bank or branch
//! code the list does not know is one the bank may reject, so the export lists it to confirm. The
//! list is dated and the banks' own data changes (branches merge and close): a code it lacks is a
//! question for a person, never a reason to hold a payment. Without the folder (set-up not run)
//! names are left blank and nothing is flagged; a folder that is there but unreadable is an error.
//! Read by `batch.rs` before the export takes the journal's lock.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Why the list could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BankCodesError {
    #[error("全銀コード一覧 {} を読めません: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("全銀コード一覧 {} の形式が正しくありません: {message}", path.display())]
    Parse { path: PathBuf, message: String },
}

/// One bank or branch of the data set (its other keys — kana, hira, roma — are kept out).
#[derive(Debug, Clone, Deserialize)]
struct Entry {
    name: String,
}

/// What the list says of a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    Name(String),
    /// The list has no such code.
    NotListed,
}

/// The loaded list: the banks at once, each bank's branches when first asked for.
pub struct BankCodes {
    dir: PathBuf,
    /// `YYYYMMDD`, as the data set dates itself.
    dated: String,
    banks: BTreeMap<String, Entry>,
    branches: RefCell<BTreeMap<String, BTreeMap<String, Entry>>>,
}

fn read(path: &Path) -> Result<Vec<u8>, BankCodesError> {
    std::fs::read(path).map_err(|source| BankCodesError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, BankCodesError> {
    serde_json::from_slice(&read(path)?).map_err(|e| BankCodesError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

impl BankCodes {
    /// The list in `dir`, or `None` when there is no `banks.json` there (set-up not run).
    pub fn load(dir: &Path) -> Result<Option<BankCodes>, BankCodesError> {
        let banks_path = dir.join("banks.json");
        if !banks_path.is_file() {
            return Ok(None);
        }
        let banks = parse(&banks_path)?;
        let dated = String::from_utf8_lossy(&read(&dir.join("updated_at"))?)
            .trim()
            .to_string();
        Ok(Some(BankCodes {
            dir: dir.to_path_buf(),
            dated,
            banks,
            branches: RefCell::default(),
        }))
    }

    /// The data's date as printed: 「2026年8月24日」 (as written when it is not `YYYYMMDD`).
    pub fn dated_ja(&self) -> String {
        match chrono::NaiveDate::parse_from_str(&self.dated, "%Y%m%d") {
            Ok(d) => d.format("%Y年%-m月%-d日").to_string(),
            Err(_) => self.dated.clone(),
        }
    }

    pub fn bank(&self, code: &str) -> Listed {
        match self.banks.get(code) {
            Some(e) => Listed::Name(e.name.clone()),
            None => Listed::NotListed,
        }
    }

    /// A branch of `bank` (a bank the list lacks has no branches either).
    pub fn branch(&self, bank: &str, code: &str) -> Result<Listed, BankCodesError> {
        if !self.banks.contains_key(bank) || !bank.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Listed::NotListed);
        }
        let mut cache = self.branches.borrow_mut();
        if !cache.contains_key(bank) {
            let path = self.dir.join("branches").join(format!("{bank}.json"));
            let branches = if path.is_file() {
                parse(&path)?
            } else {
                BTreeMap::new()
            };
            cache.insert(bank.to_string(), branches);
        }
        Ok(match cache.get(bank).and_then(|b| b.get(code)) {
            Some(e) => Listed::Name(e.name.clone()),
            None => Listed::NotListed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder in the data set's own format, made here.
    fn sample(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kyufu-banks-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("branches")).unwrap();
        std::fs::write(
            dir.join("banks.json"),
            r#"{"0001": {"code": "0001", "name": "みずほ", "kana": "ミズホ", "hira": "みずほ", "roma": "mizuho"}}"#,
        )
        .unwrap();
        std::fs::write(
            dir.join("branches/0001.json"),
            r#"{"001": {"code": "001", "name": "東京営業部", "kana": "トウキヨウ"}}"#,
        )
        .unwrap();
        std::fs::write(dir.join("updated_at"), "20260824").unwrap();
        dir
    }

    #[test]
    fn names_what_it_lists_and_says_what_it_does_not() {
        let dir = sample("list");
        let codes = BankCodes::load(&dir).unwrap().unwrap();
        assert_eq!(codes.dated_ja(), "2026年8月24日");
        assert_eq!(codes.bank("0001"), Listed::Name("みずほ".into()));
        assert_eq!(codes.bank("9999"), Listed::NotListed);
        assert_eq!(
            codes.branch("0001", "001").unwrap(),
            Listed::Name("東京営業部".into())
        );
        assert_eq!(codes.branch("0001", "999").unwrap(), Listed::NotListed);
        assert_eq!(codes.branch("9999", "001").unwrap(), Listed::NotListed);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn no_folder_is_no_list_and_a_broken_one_is_an_error() {
        let none = std::env::temp_dir().join("kyufu-banks-none-here");
        assert!(BankCodes::load(&none).unwrap().is_none());
        let dir = sample("broken");
        std::fs::write(dir.join("banks.json"), "{not json").unwrap();
        assert!(matches!(
            BankCodes::load(&dir),
            Err(BankCodesError::Parse { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The list set-up extracts (scripts/bank-codes.py), where it is: the codes of the README's
    /// walk-through.
    #[test]
    fn the_extracted_list_names_real_banks() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bank-codes");
        let codes = BankCodes::load(&dir)
            .unwrap()
            .expect("scripts/setup.sh extracts bank-codes/");
        assert_eq!(codes.bank("0001"), Listed::Name("みずほ".into()));
        assert_eq!(
            codes.branch("0005", "123").unwrap(),
            Listed::Name("横浜中山".into())
        );
    }
}
