//! The citation a notice prints: kyufu's internal citation («seed 003 第1-5-(3)-オ», «RULES.md §2»,
//! a URL) turned into one an applicant can look up — 「母子家庭自立支援給付金事業の円滑な運営について
//! （平成15年6月30日雇児福発第0630002号）第1の5(3)オ」, 「母子及び父子並びに寡婦福祉法第31条第2号」.
//!
//! The names, dates and numbers are data (`form-templates/citations.toml`, whose header says how each
//! kind of source is turned); this module only applies them. The decision keeps its internal
//! citation (`decision.json` is a contract, and the review page shows it); only what is printed
//! changes. Called by `notice` for every 根拠 it prints; `Templates::public_cite` offers it to the
//! other documents.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use super::template::read_toml;
use super::wareki::format_wareki;
use super::RenderError;

/// The file, beside the output templates.
pub const FILE: &str = "citations.toml";

/// One seed notice as it is cited.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// The title as the notice prints it; empty = not a public notice (never cited on a notice).
    pub name: String,
    /// Its date as its header prints it (「平成15年6月30日」); empty when the seed does not give it.
    pub issued: String,
    /// Its 文書番号 (「雇児福発第0630002号」); empty when the seed does not give it.
    pub number: String,
    /// The short name a notice's 根拠 uses (「運営通知」), the full one printed once in a note;
    /// empty = always cited in full.
    #[serde(default)]
    pub short: String,
}

impl Notice {
    /// 「母子家庭自立支援給付金事業の円滑な運営について（平成15年6月30日雇児福発第0630002号）」.
    pub fn full(&self) -> String {
        let issued = format!("{}{}", self.issued, self.number);
        if issued.is_empty() {
            self.name.clone()
        } else {
            format!("{}（{issued}）", self.name)
        }
    }
}

/// `citations.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citations {
    /// Seed number (「003」) → the notice.
    pub seeds: BTreeMap<String, Notice>,
    /// Start of another internal source → what the notice prints ("" = nothing).
    pub sources: BTreeMap<String, String>,
}

/// One source of an internal citation, once turned.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Turned {
    /// Printed as this text.
    Public(String),
    /// Deliberately not printed (a working note, an internal document).
    Omitted,
    /// Not covered by the table: not printed, and a test failure (see [`Citations::unknown`]).
    Unknown,
}

/// The citations of one document: each notice with a short name is cited by it, and the document
/// prints what each short name stands for once ([`CiteBook::abbreviations`]).
pub struct CiteBook<'a> {
    citations: &'a Citations,
    /// Seed ids cited by their short name so far.
    used: RefCell<BTreeSet<String>>,
}

impl<'a> CiteBook<'a> {
    pub fn new(citations: &'a Citations) -> Self {
        CiteBook {
            citations,
            used: RefCell::new(BTreeSet::new()),
        }
    }

    /// As [`Citations::public`], with short names (「運営通知第1の3(1)」).
    pub fn cite(&self, internal: &str) -> String {
        let mut used = self.used.borrow_mut();
        self.citations.print(internal, Some(&mut used))
    }

    /// (short name, full name) of every notice cited by its short name, in seed order.
    pub fn abbreviations(&self) -> Vec<(String, String)> {
        self.used
            .borrow()
            .iter()
            .filter_map(|id| self.citations.seeds.get(id))
            .map(|n| (n.short.clone(), n.full()))
            .collect()
    }
}

impl Citations {
    pub fn load(dir: &Path) -> Result<Citations, RenderError> {
        let path = dir.join(FILE);
        let citations: Citations = read_toml(&path)?;
        if let Some(id) = citations.seeds.keys().find(|id| id.parse::<u32>().is_err()) {
            return Err(RenderError::Invalid {
                path,
                message: format!("seeds.{id}: 通知の番号は数字で指定してください"),
            });
        }
        Ok(citations)
    }

    /// The citation as a notice prints it, every notice named in full: each source turned,
    /// duplicates dropped, joined with 「、」. Empty when no source is a rule an applicant can look
    /// up.
    pub fn public(&self, internal: &str) -> String {
        self.print(internal, None)
    }

    /// With `short`, notices that have a short name are cited by it and their ids collected.
    fn print(&self, internal: &str, mut short: Option<&mut BTreeSet<String>>) -> String {
        let mut out: Vec<String> = Vec::new();
        for part in sources(internal) {
            let Turned::Public(text) = self.turn(part, short.as_deref_mut()) else {
                continue;
            };
            // 「…法第31条」 beside 「…法第31条第1号」 says nothing more: keep the narrower one.
            if text.is_empty() || out.iter().any(|o| o.starts_with(&text)) {
                continue;
            }
            out.retain(|o| !text.starts_with(o.as_str()));
            out.push(text);
        }
        out.join("、")
    }

    /// The sources of `internal` the table does not cover (for tests: every citation the rules
    /// give must be known here).
    pub fn unknown<'a>(&self, internal: &'a str) -> Vec<&'a str> {
        sources(internal)
            .into_iter()
            .filter(|p| self.turn(p, None) == Turned::Unknown)
            .collect()
    }

    fn turn(&self, part: &str, short: Option<&mut BTreeSet<String>>) -> Turned {
        if let Some(rest) = part.strip_prefix("seed ") {
            return self.seed(rest, short);
        }
        let keyed = self
            .sources
            .iter()
            .filter(|(key, _)| part.starts_with(key.as_str()))
            .max_by_key(|(key, _)| key.len());
        match keyed {
            Some((_, text)) if text.is_empty() => Turned::Omitted,
            Some((_, text)) => Turned::Public(text.clone()),
            None if is_law(part) => Turned::Public(law(part)),
            None => Turned::Unknown,
        }
    }

    /// «003 第1-3-(1), (4)（note）» → the notice (its short name, or its name, date and number),
    /// then its items.
    fn seed(&self, rest: &str, short: Option<&mut BTreeSet<String>>) -> Turned {
        let id: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Some(notice) = self.seeds.get(&id) else {
            return Turned::Unknown;
        };
        if notice.name.is_empty() {
            return Turned::Omitted;
        }
        let mut text = match short {
            Some(used) if !notice.short.is_empty() => {
                used.insert(id.clone());
                notice.short.clone()
            }
            _ => notice.full(),
        };
        let items: Vec<String> = rest[id.len()..]
            .split('（')
            .next()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .map(item)
            .collect();
        text.push_str(&join_and(&items));
        Turned::Public(text)
    }
}

/// Splits an internal citation at 「;」/「；」 outside brackets: a note in （） may hold its own 「;」.
fn sources(internal: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in internal.char_indices() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            ';' | '；' if depth == 0 => {
                parts.push(&internal[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&internal[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// An item as the notice numbers it: kyufu writes the levels with 「-」 between them, the notice
/// runs them together with 「の」 after a 第… level: «第1-5-(3)-オ» → 「第1の5(3)オ」,
/// «5-(1)-イ-(イ)-b-(c)» → 「5(1)イ(イ)b(c)」.
fn item(internal: &str) -> String {
    let levels: Vec<&str> = internal.split('-').map(str::trim).collect();
    let mut out = String::new();
    for (i, level) in levels.iter().enumerate() {
        out.push_str(level);
        if level.starts_with('第') && i + 1 < levels.len() {
            out.push('の');
        }
    }
    out
}

/// 「A」, 「A及びB」, 「A、B及びC」.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}及び{last}", init.join("、")),
    }
}

/// A 法令 citation: names a law, a cabinet order or a ministerial ordinance.
fn is_law(part: &str) -> bool {
    ["法", "令", "規則"].iter().any(|w| part.contains(w)) && !part.contains("http")
}

/// A law as written, with 「第」 before an article number that lacks it («31条» → 「第31条」) and
/// ISO dates in 和暦 («2024-08-30» → 「令和6年8月30日」).
fn law(part: &str) -> String {
    let chars: Vec<char> = part.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((date, len)) = iso_date(&chars[i..]) {
            out.push_str(&format_wareki(date));
            i += len;
            continue;
        }
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 {
            let after = chars.get(i + digits);
            let before = i.checked_sub(1).and_then(|b| chars.get(b));
            if after == Some(&'条') && before != Some(&'第') {
                out.push('第');
            }
            out.extend(&chars[i..i + digits]);
            i += digits;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A `YYYY-MM-DD` date at the start of `chars`, and its length.
fn iso_date(chars: &[char]) -> Option<(NaiveDate, usize)> {
    let head: String = chars.iter().take(10).collect();
    let shape = head.len() == 10
        && head.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(&head, "%Y-%m-%d")
        .ok()
        .map(|d| (d, 10))
}

#[cfg(test)]
mod tests {
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    fn citations() -> Citations {
        Citations::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("form-templates")).unwrap()
    }

    /// (internal citation, as the notice prints it).
    #[rustfmt::skip]
    const TABLE: &[(&str, &str)] = &[
        ("seed 003 第1-3-(1)", "母子家庭自立支援給付金事業の円滑な運営について（平成15年6月30日雇児福発第0630002号）第1の3(1)"),
        ("seed 003 第1-5-(3)-オ", "母子家庭自立支援給付金事業の円滑な運営について（平成15年6月30日雇児福発第0630002号）第1の5(3)オ"),
        ("seed 003 第1-3-(1), (4)", "母子家庭自立支援給付金事業の円滑な運営について（平成15年6月30日雇児福発第0630002号）第1の3(1)及び(4)"),
        ("seed 003 第1-3-(1)（本人が支払った費用）; RULES.md §1.2", "母子家庭自立支援給付金事業の円滑な運営について（平成15年6月30日雇児福発第0630002号）第1の3(1)"),
        ("seed 000 5-(1)-イ-(イ)-b-(b)-i; 民法143条", "母子家庭等就業・自立支援事業実施要綱5(1)イ(イ)b(b)i、民法第143条"),
        ("RULES.md §2（住民税非課税世帯; municipal pages; OpenFisca-Japan）", "母子及び父子並びに寡婦福祉法第31条第2号"),
        ("RULES.md §2; 年齢計算ニ関スル法律", "母子及び父子並びに寡婦福祉法第31条第2号、年齢計算ニ関スル法律"),
        ("母子及び父子並びに寡婦福祉法施行令27条（令和6年政令第269号、2024-08-30施行）", "母子及び父子並びに寡婦福祉法施行令第27条（令和6年政令第269号、令和6年8月30日施行）"),
        ("https://www.cfa.go.jp/policies/hitori-oya/jiritsu-shien-kyuufukin/（差額支給）", "母子及び父子並びに寡婦福祉法第31条第1号"),
        ("DESIGN.md「A submission folder」; 行政手続法7条", "行政手続法第7条"),
        ("RULES.md §1.5", ""),
        ("seed 001（ハローワークとの連携）", ""),
    ];

    #[test]
    fn internal_citations_print_as_an_applicant_can_look_them_up() {
        let c = citations();
        for (internal, public) in TABLE {
            assert_eq!(c.public(internal), *public, "{internal}");
            assert!(c.unknown(internal).is_empty(), "{internal}");
        }
    }

    #[test]
    fn every_seed_notice_is_named_with_what_its_header_gives() {
        let c = citations();
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
        let Ok(entries) = std::fs::read_dir(&seeds) else {
            eprintln!(
                "{} is missing: the seed headers are not compared",
                seeds.display()
            );
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let id = &name[..3];
            let notice = c
                .seeds
                .get(id)
                .unwrap_or_else(|| panic!("seeds.{id} missing"));
            // The seed text, without the spaces its PDF extraction put between characters.
            let text: String = std::fs::read_to_string(entry.path())
                .unwrap()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let text: String = text.nfkc().collect();
            for field in [&notice.name, &notice.issued, &notice.number] {
                let field: String = field.nfkc().collect();
                assert!(
                    text.contains(&field),
                    "{name}: 「{field}」 is not in the seed"
                );
            }
        }
    }

    #[test]
    fn a_document_cites_by_short_name_and_says_once_what_it_stands_for() {
        let c = citations();
        let book = CiteBook::new(&c);
        assert_eq!(book.cite("seed 003 第1-5-(3)-オ"), "運営通知第1の5(3)オ");
        assert_eq!(
            book.cite("seed 003 第1-3-(1), (4)"),
            "運営通知第1の3(1)及び(4)"
        );
        assert_eq!(
            book.cite("RULES.md §2"),
            "母子及び父子並びに寡婦福祉法第31条第2号"
        );
        assert_eq!(
            book.abbreviations(),
            [(
                "運営通知".to_string(),
                "母子家庭自立支援給付金事業の円滑な運営について（平成15年6月30日雇児福発第0630002号）"
                    .to_string()
            )]
        );
        assert!(CiteBook::new(&c).abbreviations().is_empty());
    }

    /// Every internal citation the rules can give — the string literals of `pipeline/rules` that
    /// name a seed, a RULES.md section or a URL, the parameters' sources and the style's schedule
    /// codes — is covered by `citations.toml` and prints as something an applicant can look up.
    #[test]
    fn every_citation_the_rules_give_is_known() {
        let c = citations();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut cites: Vec<String> = Vec::new();
        // The rules' files, in a benefit's own folder too, but not its test files.
        let mut paths = Vec::new();
        let mut dirs = vec![root.join("pipeline/rules")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                if entry.file_name() == "tests" || entry.file_name() == "tests.rs" {
                    continue;
                }
                if entry.path().is_dir() {
                    dirs.push(entry.path());
                } else {
                    paths.push(entry.path());
                }
            }
        }
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            if path.extension().is_some_and(|e| e == "toml") {
                let params: toml::Value = toml::from_str(&text).unwrap();
                collect_sources(&params, &mut cites);
                continue;
            }
            // The code, not its tests (whose tables describe rules in their own words).
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                // The literals of the line: every other piece between quotes.
                for literal in line.split('"').skip(1).step_by(2) {
                    if ["seed ", "RULES.md", "http"]
                        .iter()
                        .any(|w| literal.contains(w))
                    {
                        // A format string's placeholder is another citation, checked on its own.
                        let literal = literal.replace("{CFA}", CFA).replace("{}", "");
                        cites.push(literal);
                    }
                }
            }
        }
        let style = std::fs::read_to_string(root.join("form-templates/output-style.toml")).unwrap();
        let style: toml::Value = toml::from_str(&style).unwrap();
        for code in style["codes"].as_table().unwrap().values() {
            cites.push(code["cites"].as_str().unwrap().to_string());
        }
        assert!(cites.len() > 50, "{} citations found", cites.len());
        for cite in &cites {
            assert!(
                c.unknown(cite).is_empty(),
                "「{cite}」: {:?}",
                c.unknown(cite)
            );
            let public = c.public(cite);
            for word in ["seed ", "RULES.md", "§", "http"] {
                assert!(!public.contains(word), "「{cite}」 → 「{public}」");
            }
        }
    }

    const CFA: &str = "https://www.cfa.go.jp/policies/hitori-oya/jiritsu-shien-kyuufukin/";

    fn collect_sources(v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    match (k.as_str(), v.as_str()) {
                        ("source", Some(s)) => out.push(s.to_string()),
                        _ => collect_sources(v, out),
                    }
                }
            }
            toml::Value::Array(a) => a.iter().for_each(|v| collect_sources(v, out)),
            _ => {}
        }
    }

    /// What the templates print themselves (not the `cites` of `[codes]`, which are internal
    /// citations turned at render time) names no seed file, RULES.md section or URL.
    #[test]
    fn no_template_prints_an_internal_reference() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("form-templates");
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with("output-") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (n, line) in text.lines().enumerate() {
                let printed = !line.trim_start().starts_with('#') && !line.starts_with("cites =");
                let internal = ["seed ", "RULES.md", "§", "http"]
                    .iter()
                    .any(|w| line.contains(w));
                assert!(!(printed && internal), "{name}:{}: {line}", n + 1);
            }
        }
    }

    #[test]
    fn a_source_the_table_does_not_know_is_reported_and_not_printed() {
        let c = citations();
        assert_eq!(
            c.unknown("seed 009 第1; 某市 page"),
            ["seed 009 第1", "某市 page"]
        );
        assert_eq!(c.public("seed 009 第1; 某市 page"), "");
    }
}
