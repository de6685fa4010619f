//! Lenient reading of plan JSON: every field on its own, so one value of the wrong type is
//! recorded (with its dotted path) and left out instead of rejecting the whole plan — the same
//! contract as `case::Application`. Unknown keys are never looked at.

use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use crate::case::application::Malformed;

/// Why a plan file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum PlanReadError {
    #[error("計画の JSON を読めません（{0}）")]
    NotJson(String),
    #[error("計画の JSON の最上位が JSON オブジェクトではありません")]
    NotObject,
}

/// Parses `bytes` and checks the top level is an object.
pub fn parse_object(bytes: &[u8]) -> Result<Json, PlanReadError> {
    let json: Json =
        serde_json::from_slice(bytes).map_err(|e| PlanReadError::NotJson(e.to_string()))?;
    if json.is_object() {
        Ok(json)
    } else {
        Err(PlanReadError::NotObject)
    }
}

/// Collects what could not be read.
#[derive(Default)]
pub struct Reader {
    pub malformed: Vec<Malformed>,
}

impl Reader {
    /// `obj[key]` as `T`; absent or null is `None`, a wrong type is `None` and recorded as `path`.
    pub fn get<T: DeserializeOwned>(&mut self, obj: &Json, key: &str, path: &str) -> Option<T> {
        let value = obj.get(key).filter(|v| !v.is_null())?;
        self.value(value, path)
    }

    fn value<T: DeserializeOwned>(&mut self, value: &Json, path: &str) -> Option<T> {
        match serde_json::from_value(value.clone()) {
            Ok(v) => Some(v),
            Err(_) => {
                self.malformed.push(Malformed {
                    field: path.to_string(),
                    found: value.to_string(),
                });
                None
            }
        }
    }

    /// `obj[key]` as a list of `T`, element by element: an unreadable element is recorded as
    /// `path[i]` and skipped; anything but a list is recorded as `path`.
    pub fn list<T: DeserializeOwned>(&mut self, obj: &Json, key: &str, path: &str) -> Vec<T> {
        match obj.get(key) {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.value(item, &format!("{path}[{i}]")))
                .collect(),
            Some(other) => {
                self.malformed.push(Malformed {
                    field: path.to_string(),
                    found: other.to_string(),
                });
                Vec::new()
            }
        }
    }
}

/// An object's member, or null (so field reads of an absent object give `None`).
pub fn member<'a>(obj: &'a Json, key: &str) -> &'a Json {
    static NULL: Json = Json::Null;
    obj.get(key).unwrap_or(&NULL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn wrong_types_are_recorded_and_left_out_unknown_keys_ignored() {
        let json = parse_object(
            br#"{"date": "not a date", "n": 3, "list": [1, "x", 2], "other": {"a": 1}}"#,
        )
        .unwrap();
        let mut r = Reader::default();
        let date: Option<NaiveDate> = r.get(&json, "date", "date");
        let n: Option<u32> = r.get(&json, "n", "n");
        let list: Vec<u32> = r.list(&json, "list", "list");
        let absent: Option<u32> = r.get(member(&json, "nothing"), "x", "nothing.x");
        assert_eq!(date, None);
        assert_eq!(n, Some(3));
        assert_eq!(list, vec![1, 2]);
        assert_eq!(absent, None);
        let fields: Vec<&str> = r.malformed.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, ["date", "list[1]"]);
        assert!(matches!(
            parse_object(b"[1]"),
            Err(PlanReadError::NotObject)
        ));
        assert!(matches!(parse_object(b"{"), Err(PlanReadError::NotJson(_))));
    }
}
