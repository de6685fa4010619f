//! The breakdown lexicon: receipt line labels → 教育訓練経費 categories (RULES.md §1.2).
//!
//! The words live in a data file (`items.toml` beside this module, embedded; staff can point
//! `kyufu.toml` at an extended copy), not in code. This module only loads and applies it.

use std::path::Path;

use serde::Deserialize;

use super::normalize::compact;
use crate::document::ItemCategory;

/// What a label is, by the lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelClass {
    /// 合計 and the like: the sum, never an item.
    Total,
    Item(ItemCategory),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    category: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// A category id of RULES.md §1.2, or `total`.
    id: String,
    /// Higher wins when several categories match one label.
    priority: u32,
    /// Substrings of a label (compared without spaces, after NFKC).
    keywords: Vec<String>,
}

#[derive(Debug, Clone)]
struct Rule {
    class: LabelClass,
    priority: u32,
    keyword: String,
}

/// The loaded lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    rules: Vec<Rule>,
}

/// Why a lexicon file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("内訳の語彙ファイル {path} を読めません: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("内訳の語彙ファイルの書式が正しくありません: {0}")]
    Parse(String),
    #[error("内訳の語彙ファイルに未知の区分 `{0}` があります（RULES.md §1.2 の区分か total を使ってください）")]
    UnknownCategory(String),
}

const EMBEDDED: &str = include_str!("items.toml");

impl Lexicon {
    /// The lexicon shipped with kyufu.
    pub fn embedded() -> Lexicon {
        // The embedded file is checked by a unit test; failing here is a build defect, not input.
        Self::parse(EMBEDDED).expect("embedded items.toml is valid")
    }

    pub fn load(path: &Path) -> Result<Lexicon, LexiconError> {
        let text = std::fs::read_to_string(path).map_err(|source| LexiconError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Lexicon, LexiconError> {
        let file: LexiconFile =
            toml::from_str(text).map_err(|e| LexiconError::Parse(e.to_string()))?;
        let mut rules = Vec::new();
        for entry in file.category {
            let class = if entry.id == "total" {
                LabelClass::Total
            } else {
                LabelClass::Item(
                    ItemCategory::from_id(&entry.id)
                        .ok_or_else(|| LexiconError::UnknownCategory(entry.id.clone()))?,
                )
            };
            for k in entry.keywords {
                rules.push(Rule {
                    class,
                    priority: entry.priority,
                    keyword: compact(&k),
                });
            }
        }
        Ok(Lexicon { rules })
    }

    /// Classifies a label; `None` when no keyword occurs in it.
    pub fn classify(&self, label: &str) -> Option<LabelClass> {
        // Punctuation is no part of a label; Tesseract puts specks inside one (「入学。料、」).
        let label: String = compact(label)
            .chars()
            .filter(|c| !"。、，．・".contains(*c))
            .collect();
        self.rules
            .iter()
            .filter(|r| label.contains(&r.keyword))
            .max_by_key(|r| (r.priority, r.keyword.chars().count()))
            .map(|r| r.class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fall_into_the_categories_of_rules_1_2() {
        let lex = Lexicon::embedded();
        let cases = [
            ("入学料", LabelClass::Item(ItemCategory::Admission)),
            ("入 学 金", LabelClass::Item(ItemCategory::Admission)),
            ("入学。料、", LabelClass::Item(ItemCategory::Admission)),
            ("受講料", LabelClass::Item(ItemCategory::Tuition)),
            ("教材費", LabelClass::Item(ItemCategory::RequiredMaterial)),
            (
                "補助教材費（任意）",
                LabelClass::Item(ItemCategory::OptionalMaterial),
            ),
            ("受講料（未納）", LabelClass::Item(ItemCategory::Unpaid)),
            ("検定試験受験料", LabelClass::Item(ItemCategory::ExamFee)),
            (
                "補講費",
                LabelClass::Item(ItemCategory::SupplementaryLesson),
            ),
            ("行事参加費", LabelClass::Item(ItemCategory::Event)),
            ("学債", LabelClass::Item(ItemCategory::RefundableBond)),
            ("交通費", LabelClass::Item(ItemCategory::Transport)),
            ("パソコン購入費", LabelClass::Item(ItemCategory::Equipment)),
            (
                "分割払手数料",
                LabelClass::Item(ItemCategory::CreditInterest),
            ),
            ("消費税", LabelClass::Item(ItemCategory::ConsumptionTax)),
            ("事業主負担額", LabelClass::Item(ItemCategory::Subsidy)),
            ("合計", LabelClass::Total),
            ("領収金額", LabelClass::Total),
        ];
        for (label, want) in cases {
            assert_eq!(lex.classify(label), Some(want), "{label}");
        }
        assert_eq!(lex.classify("お茶代"), None);
    }

    #[test]
    fn an_unknown_category_in_an_edited_file_is_refused() {
        let err =
            Lexicon::parse("[[category]]\nid = \"snacks\"\npriority = 1\nkeywords = [\"菓子\"]\n")
                .unwrap_err();
        assert!(matches!(err, LexiconError::UnknownCategory(_)));
    }
}
