//! Corrections as a layer over the first reading: `FILE#FIELD` targets, the checks a person's value
//! must pass before it is taken, and applying the recorded corrections, oldest first, to the
//! documents as read. The scan and `documents.json` are never touched; the corrected documents exist
//! only in memory, to be decided again.
//!
//! Pure: values in, values or a Japanese refusal out. "Today" is a parameter (a date after it by more
//! than a year, or before 1900, is no date a document carries). Called by [`super::Desk::correct`]
//! and `show`.

use chrono::{Datelike, NaiveDate};
use unicode_normalization::UnicodeNormalization;

use crate::case::CaseDocument;
use crate::document::{Certainty, Check, Document, Field, ItemCategory, Value};
use crate::extract::normalize::{parse_date, Reading};

/// Longest text a person may give for a field (a name, an institution, a course): characters.
pub const MAX_TEXT_CHARS: usize = 200;
/// Longest reason for a correction or comment on a send-back: characters.
pub const MAX_NOTE_CHARS: usize = 500;
/// Largest amount kyufu takes for one field (1億円 − 1): no benefit comes near it.
pub const MAX_YEN: i64 = 99_999_999;

/// What a correction changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The file as it arrived (`receipt.jpg`, or `sub/receipt.pdf`).
    pub file: String,
    /// Which document of the file (1-based) when one file holds several: `receipt.pdf@2#…`.
    pub nth: Option<usize>,
    pub path: FieldPath,
}

/// A field of a document, or a part of one line of its breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldPath {
    Field(String),
    /// `items[i].amount` etc.; `index` counts from 0, as in documents.json.
    Item {
        index: usize,
        part: ItemPart,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemPart {
    Label,
    Amount,
    Category,
}

/// The kind of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Yen,
    Date,
    Flag,
    Text,
}

/// Contract field names (DESIGN.md) a correction may set even when the reading found nothing.
const KNOWN_FIELDS: &[(&str, Kind)] = &[
    ("payer_name", Kind::Text),
    ("issuer_name", Kind::Text),
    ("course_name", Kind::Text),
    ("trainee_name", Kind::Text),
    ("issued_on", Kind::Date),
    ("birth_date", Kind::Date),
    ("started_on", Kind::Date),
    ("completed_on", Kind::Date),
    ("amount_total", Kind::Yen),
    ("seal_present", Kind::Flag),
    ("has_unsealed_correction", Kind::Flag),
];

/// Parses `FILE[@N]#FIELD` or `FILE[@N]#items[I].label|amount|category`.
pub fn parse_target(s: &str) -> Result<Target, String> {
    let bad = || {
        format!(
            "訂正する項目「{}」の書き方が正しくありません。「ファイル名#項目名」（例: receipt.jpg#amount_total、receipt.jpg#items[1].category）で指定してください。",
            clip(s)
        )
    };
    let (file, path) = s.rsplit_once('#').ok_or_else(bad)?;
    let (file, nth) = match file.rsplit_once('@') {
        Some((f, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
            (f, Some(n.parse::<usize>().map_err(|_| bad())?))
        }
        _ => (file, None),
    };
    if file.is_empty() || nth == Some(0) {
        return Err(bad());
    }
    let path = if let Some(rest) = path.strip_prefix("items[") {
        let (index, part) = rest.split_once("].").ok_or_else(bad)?;
        let index: usize = index.parse().map_err(|_| bad())?;
        let part = match part {
            "label" => ItemPart::Label,
            "amount" => ItemPart::Amount,
            "category" => ItemPart::Category,
            _ => return Err(bad()),
        };
        FieldPath::Item { index, part }
    } else if !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
    {
        FieldPath::Field(path.to_string())
    } else {
        return Err(bad());
    };
    Ok(Target {
        file: file.to_string(),
        nth,
        path,
    })
}

/// The document a target names, among `docs`.
pub fn find(docs: &[CaseDocument], t: &Target) -> Result<usize, String> {
    let of_file: Vec<usize> = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.file == t.file)
        .map(|(i, _)| i)
        .collect();
    match (of_file.len(), t.nth) {
        (0, _) => Err(format!(
            "この案件に「{}」という書類はありません。",
            clip(&t.file)
        )),
        (1, None) => Ok(of_file[0]),
        (n, None) => Err(format!(
            "「{}」には書類が{n}件あります。「{}@番号#項目名」で何件目かを指定してください。",
            clip(&t.file),
            clip(&t.file)
        )),
        (n, Some(k)) if k > n => Err(format!(
            "「{}」の書類は{n}件です（{k}件目はありません）。",
            clip(&t.file)
        )),
        (_, Some(k)) => Ok(of_file[k - 1]),
    }
}

/// The value a target holds now (JSON null when absent).
pub fn current(doc: &Document, path: &FieldPath) -> serde_json::Value {
    match path {
        FieldPath::Field(name) => doc
            .fields
            .get(name)
            .and_then(|f| serde_json::to_value(&f.value).ok())
            .unwrap_or(serde_json::Value::Null),
        FieldPath::Item { index, part } => match doc.items.get(*index) {
            None => serde_json::Value::Null,
            Some(i) => match part {
                ItemPart::Label => i.label.clone().into(),
                ItemPart::Amount => i.amount.into(),
                ItemPart::Category => i.category.id().into(),
            },
        },
    }
}

/// Checks a person's `input` for `path` of `doc` and returns it typed, as JSON; a Japanese refusal
/// otherwise.
pub fn typed_value(
    doc: &Document,
    path: &FieldPath,
    input: &str,
    today: NaiveDate,
) -> Result<serde_json::Value, String> {
    // Before anything else: a value of megabytes is refused without being looked through.
    if input.len() > MAX_TEXT_CHARS * 4 {
        return Err(format!(
            "入力された値が長すぎます（{}バイト）。{MAX_TEXT_CHARS}文字以内で入力してください。",
            input.len()
        ));
    }
    match path {
        FieldPath::Item { index, part } => {
            if doc.items.get(*index).is_none() {
                return Err(format!(
                    "この書類の内訳は{}行です（items[{index}] はありません。番号は0から数えます）。",
                    doc.items.len()
                ));
            }
            match part {
                ItemPart::Amount => yen(input).map(Into::into),
                ItemPart::Label => text(input).map(Into::into),
                ItemPart::Category => category(input).map(|c| c.id().into()),
            }
        }
        FieldPath::Field(name) => {
            let kind = match doc.fields.get(name).map(|f| &f.value) {
                Some(Value::Yen(_)) => Kind::Yen,
                Some(Value::Date(_)) => Kind::Date,
                Some(Value::Bool(_)) => Kind::Flag,
                Some(Value::Text(_)) => Kind::Text,
                None => KNOWN_FIELDS
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, k)| *k)
                    .ok_or_else(|| format!("この書類に「{name}」という項目はありません。"))?,
            };
            match kind {
                Kind::Yen => yen(input).map(Into::into),
                Kind::Date => date(input, today).map(|d| d.to_string().into()),
                Kind::Flag => flag(input).map(Into::into),
                Kind::Text => text(input).map(Into::into),
            }
        }
    }
}

/// A reason or comment: required, printable, at most [`MAX_NOTE_CHARS`].
pub fn note(input: &str, what: &str) -> Result<String, String> {
    let t = input.trim();
    if t.is_empty() {
        return Err(format!("{what}を入力してください。"));
    }
    if input.len() > MAX_NOTE_CHARS * 4 || t.chars().count() > MAX_NOTE_CHARS {
        return Err(format!(
            "{what}は{MAX_NOTE_CHARS}文字以内で入力してください。"
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(format!("{what}に制御文字は使えません。"));
    }
    Ok(t.to_string())
}

fn text(input: &str) -> Result<String, String> {
    let t = input.trim();
    if t.is_empty() {
        return Err("空の値は入力できません。".into());
    }
    if t.chars().count() > MAX_TEXT_CHARS {
        return Err(format!(
            "入力された値が長すぎます（{}文字）。{MAX_TEXT_CHARS}文字以内で入力してください。",
            t.chars().count()
        ));
    }
    if t.chars().any(char::is_control) {
        return Err("制御文字（改行・タブなど）を含む値は入力できません。".into());
    }
    Ok(t.to_string())
}

fn yen(input: &str) -> Result<i64, String> {
    let t: String = input.nfkc().filter(|c| !c.is_whitespace()).collect();
    if t.starts_with(['-', '−', '△', '▲']) {
        return Err(format!(
            "負の金額（{}）は入力できません。",
            clip(input.trim())
        ));
    }
    let digits = t
        .trim_start_matches(['¥', '\\', '金'])
        .trim_end_matches(['円', '也', '-']);
    let digits: String = digits.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 12 {
        return Err(format!(
            "金額「{}」を読み取れません。半角数字で入力してください（例: 59400）。",
            clip(input.trim())
        ));
    }
    let v: i64 = digits
        .parse()
        .map_err(|_| "金額を読み取れません。".to_string())?;
    if v > MAX_YEN {
        return Err(format!(
            "金額が大きすぎます（{v}円）。{MAX_YEN}円以下で入力してください。"
        ));
    }
    Ok(v)
}

/// ISO `2026-06-15`, or 和暦/西暦 as written on documents (`令和8年6月15日`, `R8.6.15`), read
/// strictly: nothing but the date, a day that exists, 1900 to a year after today.
pub fn date(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let t = input.trim();
    let refuse = || {
        format!(
            "「{}」は日付として正しくありません。例: 2026-06-15 または 令和8年6月15日",
            clip(t)
        )
    };
    let allowed = |c: char| {
        c.is_ascii_digit()
            || matches!(
                c,
                '-' | '/' | '.' | '年' | '月' | '日' | '元' | 'R' | 'H' | 'S'
            )
            || "令和平成昭和０１２３４５６７８９".contains(c)
    };
    if t.is_empty() || !t.chars().all(allowed) {
        return Err(refuse());
    }
    let d = match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        Ok(d) => d,
        Err(_) => match parse_date(t) {
            Some((d, r)) if r.reading == Reading::Clean => d,
            _ => return Err(refuse()),
        },
    };
    let latest = today
        .with_year(today.year() + 1)
        .unwrap_or(today + chrono::Days::new(365));
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    if d < earliest || d > latest {
        return Err(format!(
            "「{}」（{d}）はありえない日付です。{earliest}から{latest}までの日付を入力してください。",
            clip(t)
        ));
    }
    Ok(d)
}

fn flag(input: &str) -> Result<bool, String> {
    match input.trim() {
        "true" | "あり" | "有" | "有り" => Ok(true),
        "false" | "なし" | "無" | "無し" => Ok(false),
        other => Err(format!(
            "「{}」は入力できません。あり / なし（true / false）で入力してください。",
            clip(other)
        )),
    }
}

fn category(input: &str) -> Result<ItemCategory, String> {
    ItemCategory::from_id(input.trim()).ok_or_else(|| {
        let ids: Vec<&str> = ItemCategory::ALL.iter().map(|c| c.id()).collect();
        format!(
            "費目「{}」はありません。次のいずれかで入力してください: {}",
            clip(input.trim()),
            ids.join(" ")
        )
    })
}

/// Sets `path` of `doc` to `value` (already checked by [`typed_value`]) as a value a person has
/// confirmed: certainty 1, the box it was read from kept, an "unread" finding on it dropped.
pub fn apply(doc: &mut Document, path: &FieldPath, value: &serde_json::Value) {
    match path {
        FieldPath::Field(name) => {
            let Ok(v) = serde_json::from_value::<Value>(value.clone()) else {
                return;
            };
            let v = match (doc.fields.get(name).map(|f| &f.value), v) {
                // A date-like text stays text where the field holds text.
                (Some(Value::Text(_)), Value::Date(d)) => Value::Text(d.to_string()),
                (_, v) => v,
            };
            let field = doc
                .fields
                .entry(name.clone())
                .or_insert(Field::sure(v.clone()));
            field.value = v;
            field.confidence = 1.0;
            field.certainty = Certainty::Sure(Check::Person);
            let unread = format!("unread:{name}");
            doc.findings.retain(|f| f.code != unread);
        }
        FieldPath::Item { index, part } => {
            let Some(item) = doc.items.get_mut(*index) else {
                return;
            };
            match part {
                ItemPart::Label => item.label = value.as_str().unwrap_or_default().to_string(),
                ItemPart::Amount => item.amount = value.as_i64().unwrap_or(item.amount),
                ItemPart::Category => {
                    if let Some(c) = value.as_str().and_then(ItemCategory::from_id) {
                        item.category = c;
                    }
                }
            }
            item.confidence = 1.0;
            item.certainty = Certainty::Sure(Check::Person);
        }
    }
}

/// The documents as read with every recorded correction applied, oldest first. A recorded
/// correction whose document is no longer in the case (it cannot be, but a store may be edited by
/// hand) is skipped and named in the second result.
pub fn corrected<'a>(
    mut docs: Vec<CaseDocument>,
    corrections: impl IntoIterator<Item = (&'a str, &'a serde_json::Value)>,
) -> (Vec<CaseDocument>, Vec<String>) {
    let mut skipped = Vec::new();
    for (target, value) in corrections {
        let applied = parse_target(target)
            .and_then(|t| find(&docs, &t).map(|i| (t, i)))
            .map(|(t, i)| apply(&mut docs[i].doc, &t.path, value));
        if applied.is_err() {
            skipped.push(target.to_string());
        }
    }
    (docs, skipped)
}

/// At most 40 characters of a value for a message (a 10 MB value is not echoed back).
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).filter(|c| !c.is_control()).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 7, 24).unwrap()
    }

    #[test]
    fn targets_name_a_field_or_a_breakdown_line() {
        let t = parse_target("receipt.jpg#amount_total").unwrap();
        assert_eq!(t.file, "receipt.jpg");
        assert_eq!(t.path, FieldPath::Field("amount_total".into()));
        let t = parse_target("a#b.pdf@2#items[1].category").unwrap();
        assert_eq!((t.file.as_str(), t.nth), ("a#b.pdf", Some(2)));
        assert_eq!(
            t.path,
            FieldPath::Item {
                index: 1,
                part: ItemPart::Category
            }
        );
        for bad in [
            "receipt.jpg",
            "#amount",
            "r.jpg#items[x].amount",
            "r.jpg#items[0].colour",
            "r.jpg@0#a",
        ] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn impossible_values_are_refused_in_japanese() {
        assert_eq!(
            date("令和8年6月15日", today()),
            Ok(NaiveDate::from_ymd_opt(2026, 6, 15).unwrap())
        );
        assert_eq!(
            date("2026-06-15", today()),
            Ok(NaiveDate::from_ymd_opt(2026, 6, 15).unwrap())
        );
        for bad in [
            "令和99年1月1日",
            "2026-02-30",
            "令和8年13月1日",
            "1899-12-31",
            "明日",
            "2026-06-15 と書いてある",
        ] {
            let e = date(bad, today()).unwrap_err();
            assert!(e.contains("日付"), "{bad}: {e}");
        }
        assert_eq!(yen("¥59,400"), Ok(59_400));
        assert_eq!(yen("５９４００円"), Ok(59_400));
        assert!(yen("-100").unwrap_err().contains("負の金額"));
        assert!(yen("1e9").is_err());
        assert!(yen("100000000").unwrap_err().contains("大きすぎ"));
        assert!(text("山田\u{0}花子").unwrap_err().contains("制御文字"));
        assert!(text(&"あ".repeat(201)).unwrap_err().contains("200文字"));
        assert!(category("tuitionn").unwrap_err().contains("tuition"));
        assert!(note("", "理由").is_err());
    }

    #[test]
    fn ten_megabytes_of_text_is_refused_without_being_echoed() {
        let doc = Document::unreadable("r.jpg", "x");
        let huge = "あ".repeat(10 * 1024 * 1024 / 3);
        let e =
            typed_value(&doc, &FieldPath::Field("payer_name".into()), &huge, today()).unwrap_err();
        assert!(e.contains("長すぎます"), "{e}");
        assert!(e.len() < 300);
    }
}
