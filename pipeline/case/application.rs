//! `application.json` — an online application (seed `004` ⑤), or a scanned one read into the same
//! structure (DESIGN.md, "A submission folder").
//!
//! Applications come from outside, so this reader is lenient where config is strict: unknown keys
//! are kept and ignored, every field is optional here, and a value of the wrong type is recorded as
//! a problem naming the field instead of rejecting the whole file. Which fields are *required* is
//! the rules' business (RULES.md per benefit): they turn a `None` into `incomplete`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::decision::Benefit;

/// 児童扶養手当 status (DESIGN.md `child_support_allowance`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildSupportAllowance {
    Full,
    Partial,
    SameLevel,
    None,
}

/// 住民税 status of the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResidentTax {
    Exempt,
    Taxed,
}

/// 講座の種類: 一般 / 特定一般 / 専門実践教育訓練.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseKind {
    General,
    SpecifiedGeneral,
    SpecializedPractical,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub name: Option<String>,
    pub name_kana: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub address: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    pub name: Option<String>,
    pub birth_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmploymentInsurance {
    /// 雇用保険の教育訓練給付の受給資格の有無.
    pub entitled: bool,
    /// What the applicant received from it (円).
    #[serde(default)]
    pub benefit_yen: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub name: Option<String>,
    pub institution: Option<String>,
    pub kind: Option<CourseKind>,
    pub designated_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    /// 修学年数 (専門実践).
    pub years: Option<u32>,
    /// Expected end (高等職業訓練).
    pub ends_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bank {
    pub bank_code: Option<String>,
    pub branch_code: Option<String>,
    pub account_type: Option<String>,
    pub account_number: Option<String>,
    pub holder_kana: Option<String>,
}

/// One month of attendance given in the application (高等職業訓練, DESIGN.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub days: u32,
    #[serde(default)]
    pub scheduled_break: bool,
    /// 休学 or 留年 that month.
    #[serde(default)]
    pub leave: bool,
}

/// One day of a 講習会 (受講旅費, DESIGN.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseDay {
    pub date: NaiveDate,
    /// That day's round-trip fare by the usual economical route (円).
    pub fare_yen: i64,
    /// One-way walking distance, km: an exact decimal, so the rules compare it with the 2 km of
    /// seed 000 without a float (see [`decimal_number`] for how the JSON number is read).
    #[serde(with = "decimal_number")]
    pub walking_km: Decimal,
}

/// A decimal that is a JSON number in `application.json` (the contract: `"walking_km": 3.2`).
///
/// serde_json is built without `arbitrary_precision`, so by the time a number reaches us it is an
/// `f64`; its shortest round-trip text (`1.99`, `2.0`, `1e-7`) is what the applicant wrote for any
/// number of up to 15 significant digits, and that text is read as the decimal. A number with more
/// digits than an `f64` holds (`1.99999999999999999`) is read as the nearest `f64` would print.
pub(crate) mod decimal_number {
    use std::str::FromStr;

    use rust_decimal::prelude::ToPrimitive;
    use rust_decimal::Decimal;
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let number = serde_json::Number::deserialize(d)?;
        let text = number.to_string();
        Decimal::from_str(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .map_err(|e| D::Error::custom(format!("{text}: {e}")))
    }

    /// Written back as a JSON number (what the contract says), through the same shortest text.
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let number = value
            .to_f64()
            .and_then(serde_json::Number::from_f64)
            .ok_or_else(|| S::Error::custom(format!("{value} is not a JSON number")))?;
        serde::Serialize::serialize(&number, s)
    }
}

/// A field that was present but could not be read as its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Malformed {
    /// Dotted path, e.g. `course.started_on`.
    pub field: String,
    pub found: String,
}

/// The application, every field optional; see the module docs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub benefit: Option<Benefit>,
    pub applied_on: Option<NaiveDate>,
    pub applicant: Applicant,
    pub children: Option<Vec<Child>>,
    pub single_parent_since: Option<NaiveDate>,
    /// `Some(None)` = explicitly null (none); `None` = absent (also none, RULES §1.1 E2).
    pub independence_program_on: Option<NaiveDate>,
    pub child_support_allowance: Option<ChildSupportAllowance>,
    pub resident_tax: Option<ResidentTax>,
    /// 住民税 status decided for a year, applying from that year's August (DESIGN.md).
    pub resident_tax_by_year: BTreeMap<i32, ResidentTax>,
    pub prior_receipt: Option<bool>,
    pub employment_insurance: Option<EmploymentInsurance>,
    pub course: Option<Course>,
    pub qualification: Option<String>,
    pub same_purpose_benefit: Option<bool>,
    pub attendance: Option<Vec<AttendanceMonth>>,
    pub course_applied_on: Option<NaiveDate>,
    pub prior_year_income_tax_yen: Option<i64>,
    pub days: Option<Vec<CourseDay>>,
    pub extension_days: Option<u32>,
    pub bank: Option<Bank>,
    /// Values present but of the wrong type; rules treat them as missing and name them.
    pub malformed: Vec<Malformed>,
}

/// Why an `application.json` could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error("application.json は JSON として読めません（{0}）")]
    NotJson(String),
    #[error("application.json の最上位が JSON オブジェクトではありません")]
    NotObject,
}

impl Application {
    /// Reads an application leniently: see the module docs.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Application, ApplicationError> {
        let json: Json =
            serde_json::from_slice(bytes).map_err(|e| ApplicationError::NotJson(e.to_string()))?;
        Self::from_json(&json)
    }

    pub fn from_json(json: &Json) -> Result<Application, ApplicationError> {
        let obj = json.as_object().ok_or(ApplicationError::NotObject)?;
        let mut r = Reader {
            malformed: Vec::new(),
        };
        let root = Json::Object(obj.clone());
        let applicant = root.get("applicant");
        let course = root.get("course").filter(|v| !v.is_null());
        let mut app = Application {
            benefit: r.get(&root, "benefit", "benefit"),
            applied_on: r.get(&root, "applied_on", "applied_on"),
            applicant: Applicant {
                name: applicant.and_then(|a| r.get(a, "name", "applicant.name")),
                name_kana: applicant.and_then(|a| r.get(a, "name_kana", "applicant.name_kana")),
                birth_date: applicant.and_then(|a| r.get(a, "birth_date", "applicant.birth_date")),
                address: applicant.and_then(|a| r.get(a, "address", "applicant.address")),
                phone: applicant.and_then(|a| r.get(a, "phone", "applicant.phone")),
            },
            children: r.get(&root, "children", "children"),
            single_parent_since: r.get(&root, "single_parent_since", "single_parent_since"),
            independence_program_on: r.get(
                &root,
                "independence_program_on",
                "independence_program_on",
            ),
            child_support_allowance: r.get(
                &root,
                "child_support_allowance",
                "child_support_allowance",
            ),
            resident_tax: r.get(&root, "resident_tax", "resident_tax"),
            resident_tax_by_year: BTreeMap::new(),
            prior_receipt: r.get(&root, "prior_receipt", "prior_receipt"),
            employment_insurance: r.get(&root, "employment_insurance", "employment_insurance"),
            course: course.map(|c| Course {
                name: r.get(c, "name", "course.name"),
                institution: r.get(c, "institution", "course.institution"),
                kind: r.get(c, "kind", "course.kind"),
                designated_on: r.get(c, "designated_on", "course.designated_on"),
                started_on: r.get(c, "started_on", "course.started_on"),
                completed_on: r.get(c, "completed_on", "course.completed_on"),
                years: r.get(c, "years", "course.years"),
                ends_on: r.get(c, "ends_on", "course.ends_on"),
            }),
            qualification: r.get(&root, "qualification", "qualification"),
            same_purpose_benefit: r.get(&root, "same_purpose_benefit", "same_purpose_benefit"),
            attendance: r.get(&root, "attendance", "attendance"),
            course_applied_on: r.get(&root, "course_applied_on", "course_applied_on"),
            prior_year_income_tax_yen: r.get(
                &root,
                "prior_year_income_tax_yen",
                "prior_year_income_tax_yen",
            ),
            days: r.get(&root, "days", "days"),
            extension_days: r.get(&root, "extension_days", "extension_days"),
            bank: r.get(&root, "bank", "bank"),
            malformed: Vec::new(),
        };
        if let Some(by_year) = root.get("resident_tax_by_year").and_then(|v| v.as_object()) {
            for (year, status) in by_year {
                let path = format!("resident_tax_by_year.{year}");
                match (year.parse::<i32>(), serde_json::from_value(status.clone())) {
                    (Ok(y), Ok(s)) => {
                        app.resident_tax_by_year.insert(y, s);
                    }
                    _ => r.malformed.push(Malformed {
                        field: path,
                        found: status.to_string(),
                    }),
                }
            }
        }
        app.malformed = r.malformed;
        Ok(app)
    }

    /// Whether a field was present with a value of the wrong type.
    pub fn is_malformed(&self, field: &str) -> bool {
        self.malformed.iter().any(|m| m.field == field)
    }
}

struct Reader {
    malformed: Vec<Malformed>,
}

impl Reader {
    /// `None` for absent or null; a wrong type is recorded under `path` and also gives `None`.
    fn get<T: DeserializeOwned>(&mut self, obj: &Json, key: &str, path: &str) -> Option<T> {
        let v = obj.get(key)?;
        if v.is_null() {
            return None;
        }
        match serde_json::from_value(v.clone()) {
            Ok(t) => Some(t),
            Err(_) => {
                self.malformed.push(Malformed {
                    field: path.to_string(),
                    found: truncate(&v.to_string(), 40),
                });
                None
            }
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_design_example_and_ignores_unknown_keys() {
        let json = r#"{
          "benefit": "kyoiku_kunren", "applied_on": "2026-07-10",
          "applicant": {"name": "山田 花子", "birth_date": "1990-04-01"},
          "children": [{"name": "山田 陽菜", "birth_date": "2015-06-01"}],
          "independence_program_on": "2025-12-01", "prior_receipt": false,
          "employment_insurance": {"entitled": false, "benefit_yen": 0},
          "course": {"name": "介護職員初任者研修", "institution": "学校法人X", "kind": "general",
                     "designated_on": "2025-12-20", "started_on": "2026-01-10",
                     "completed_on": "2026-06-30", "years": 1},
          "some_future_key": {"x": 1}
        }"#;
        let app = Application::from_json_bytes(json.as_bytes()).unwrap();
        assert_eq!(app.benefit, Some(Benefit::KyoikuKunren));
        assert_eq!(app.applicant.name.as_deref(), Some("山田 花子"));
        assert_eq!(app.course.as_ref().unwrap().kind, Some(CourseKind::General));
        assert!(app.malformed.is_empty());
    }

    /// `walking_km` stays a JSON number on the way in and out, and is read as the decimal the
    /// applicant wrote (RULES.md §3 compares it with 2 km).
    #[test]
    fn walking_km_is_read_as_the_decimal_written() {
        #[rustfmt::skip]
        let table: &[(&str, &str)] = &[
            ("2.0", "2.0"), ("1.99", "1.99"), ("2", "2"), ("1.9999999", "1.9999999"),
            ("0.1", "0.1"), ("3.2", "3.2"), ("1e-7", "0.0000001"), ("12.5e0", "12.5"),
        ];
        for (json, want) in table {
            let text = format!(
                r#"{{"benefit": "jukou_ryohi", "days": [{{"date": "2026-05-01", "fare_yen": 840, "walking_km": {json}}}]}}"#
            );
            let app = Application::from_json_bytes(text.as_bytes()).unwrap();
            let day = &app.days.as_ref().expect("days")[0];
            assert_eq!(day.walking_km, want.parse::<Decimal>().unwrap(), "{json}");
            let back = serde_json::to_value(day).unwrap();
            assert!(back["walking_km"].is_number(), "{json} → {back}");
            let again: CourseDay = serde_json::from_value(back).unwrap();
            assert_eq!(&again, day, "{json}");
        }
        let text = r#"{"benefit": "jukou_ryohi", "days": [{"date": "2026-05-01", "fare_yen": 840, "walking_km": "3.2"}]}"#;
        let app = Application::from_json_bytes(text.as_bytes()).unwrap();
        assert!(
            app.is_malformed("days"),
            "a string is not the number the contract asks for"
        );
    }

    #[test]
    fn a_wrong_type_names_the_field_instead_of_failing() {
        let json =
            r#"{"benefit": "kyoiku_kunren", "applied_on": "10 July", "prior_receipt": "no"}"#;
        let app = Application::from_json_bytes(json.as_bytes()).unwrap();
        assert_eq!(app.applied_on, None);
        assert!(app.is_malformed("applied_on"));
        assert!(app.is_malformed("prior_receipt"));
    }
}
