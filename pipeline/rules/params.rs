//! Dated parameters: every number the rules use, with the dates it applies to, its unit, its source
//! and whether it is confirmed (STYLE.md "The law as code"; OpenFisca's parameter files).
//!
//! The values live in `parameters.toml`, embedded at compile time and parsed once at start-up by
//! [`Parameters::embedded`]. A lookup for a date no entry covers returns `None`: the caller refuses to
//! compute (`parameters_not_covered`), it never extrapolates. This module only stores and selects;
//! which parameter matters for a case is the benefit modules' business. Called by `rules::*`.

use std::collections::BTreeMap;
use std::fmt::Display;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

/// The embedded parameter file (see its header for the conventions).
const EMBEDDED: &str = include_str!("parameters.toml");

/// Why a parameter file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ParametersError {
    #[error("parameters file is not valid TOML for kyufu: {0}")]
    Toml(String),
    #[error("parameter {name}: entry from {from} ends before it starts")]
    Inverted { name: String, from: NaiveDate },
    #[error("parameter {name}: entries from {first} and {second} overlap or are out of order")]
    Overlap {
        name: String,
        first: NaiveDate,
        second: NaiveDate,
    },
    #[error("parameter {name}: entry from {from} has no unit or no source")]
    Undocumented { name: String, from: NaiveDate },
}

/// One value of a parameter and the period it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dated<T> {
    /// First day the value applies (inclusive).
    pub valid_from: NaiveDate,
    /// Last day the value applies (inclusive); absent = still in force.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    pub value: T,
    /// `yen`, `ratio`, `days`, `formula`, …
    pub unit: String,
    /// The citation printed beside the line that uses the value.
    pub source: String,
    /// `false`: the value or its dates are not confirmed; a result that depends on it goes to review.
    pub confirmed: bool,
    /// Free text for maintainers (never printed on a notice).
    #[serde(default)]
    pub note: Option<String>,
}

impl<T> Dated<T> {
    fn covers(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_until.is_none_or(|until| date <= until)
    }
}

/// A parameter's history: dated entries in date order, without overlaps (checked at load).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Series<T>(pub Vec<Dated<T>>);

impl<T: Clone> Series<T> {
    /// The entry in force on `date`, or `None` where no entry covers it.
    pub fn at(&self, name: &'static str, date: NaiveDate) -> Option<Selected<T>> {
        self.0.iter().find(|d| d.covers(date)).map(|d| Selected {
            name,
            value: d.value.clone(),
            source: d.source.clone(),
            confirmed: d.confirmed,
        })
    }
}

impl<T> Series<T> {
    fn validate(&self, name: &str) -> Result<(), ParametersError> {
        for entry in &self.0 {
            if entry.valid_until.is_some_and(|u| u < entry.valid_from) {
                return Err(ParametersError::Inverted {
                    name: name.to_string(),
                    from: entry.valid_from,
                });
            }
            if entry.unit.trim().is_empty() || entry.source.trim().is_empty() {
                return Err(ParametersError::Undocumented {
                    name: name.to_string(),
                    from: entry.valid_from,
                });
            }
        }
        for pair in self.0.windows(2) {
            let ordered = pair[0].valid_until.is_some_and(|u| u < pair[1].valid_from);
            if !ordered {
                return Err(ParametersError::Overlap {
                    name: name.to_string(),
                    first: pair[0].valid_from,
                    second: pair[1].valid_from,
                });
            }
        }
        Ok(())
    }
}

/// A parameter value chosen for a date, with what a decision must say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected<T> {
    /// The key under which the decision lists it (`rate`, `cap_yen`, …).
    pub name: &'static str,
    pub value: T,
    pub source: String,
    pub confirmed: bool,
}

/// Which version of eligibility rule E2 applies (RULES.md §1.1), by application date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum E2Formula {
    /// Before 2024-08-30: receives 児童扶養手当 or is at the same income level.
    IncomeLevel,
    /// From 2024-08-30: has received 自立支援プログラムの策定等.
    IndependenceProgram,
}

impl E2Formula {
    pub fn id(self) -> &'static str {
        match self {
            E2Formula::IncomeLevel => "income_level",
            E2Formula::IndependenceProgram => "independence_program",
        }
    }
}

/// How an entitlement to 雇用保険の教育訓練給付 is treated (RULES.md §1.1 E5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentInsuranceRule {
    /// 2003: an entitled person is not eligible (seed 003 第1-2-(1)).
    EntitledNotEligible,
    /// Today: the benefit received is subtracted (差額支給).
    DifferencePaid,
}

impl EmploymentInsuranceRule {
    pub fn id(self) -> &'static str {
        match self {
            EmploymentInsuranceRule::EntitledNotEligible => "entitled_not_eligible",
            EmploymentInsuranceRule::DifferencePaid => "difference_paid",
        }
    }
}

/// Which amount formula applies (RULES.md §1.3), by completion date. A change in the law adds a
/// variant and its function, beside the old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountFormula {
    /// floor(cost × rate), capped, minus 雇用保険, paid above the lower limit.
    ShareOfCost,
}

impl AmountFormula {
    pub fn id(self) -> &'static str {
        match self {
            AmountFormula::ShareOfCost => "share_of_cost",
        }
    }
}

/// 自立支援教育訓練給付金 parameters (RULES.md §1).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KyoikuKunrenParameters {
    /// E2 version, by application date.
    pub e2_formula: Series<E2Formula>,
    /// E5 treatment, by application date.
    pub employment_insurance_rule: Series<EmploymentInsuranceRule>,
    /// Amount formula, by completion date.
    pub amount_formula: Series<AmountFormula>,
    /// 支給率 (ratio), by completion date.
    pub rate: Series<Decimal>,
    /// 下限額 (円): paid only above it.
    pub lower_limit_yen: Series<i64>,
    /// 上限額 (円) for 一般 / 特定一般教育訓練.
    pub cap_general_yen: Series<i64>,
    /// 上限額 (円 per 修学年数) for 専門実践教育訓練.
    pub cap_specialized_per_year_yen: Series<i64>,
    /// 上限額 (円, whole course) for 専門実践教育訓練.
    pub cap_specialized_max_yen: Series<i64>,
    /// E6: days to apply, counting the completion day as day 1 (municipal setting).
    pub application_deadline_days: Series<i64>,
}

impl KyoikuKunrenParameters {
    fn validate(&self) -> Result<(), ParametersError> {
        self.e2_formula.validate("kyoiku_kunren.e2_formula")?;
        self.employment_insurance_rule
            .validate("kyoiku_kunren.employment_insurance_rule")?;
        self.amount_formula
            .validate("kyoiku_kunren.amount_formula")?;
        self.rate.validate("kyoiku_kunren.rate")?;
        self.lower_limit_yen
            .validate("kyoiku_kunren.lower_limit_yen")?;
        self.cap_general_yen
            .validate("kyoiku_kunren.cap_general_yen")?;
        self.cap_specialized_per_year_yen
            .validate("kyoiku_kunren.cap_specialized_per_year_yen")?;
        self.cap_specialized_max_yen
            .validate("kyoiku_kunren.cap_specialized_max_yen")?;
        self.application_deadline_days
            .validate("kyoiku_kunren.application_deadline_days")
    }
}

/// 高等職業訓練促進給付金 and its 修了支援給付金 (RULES.md §2).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KotoshokugyoParameters {
    /// 月額 (円), 住民税非課税世帯, by month.
    pub monthly_exempt_yen: Series<i64>,
    /// 月額 (円), 住民税課税世帯, by month.
    pub monthly_taxed_yen: Series<i64>,
    /// 加算 (円 per month) in the course's last months, by month.
    pub final_year_addition_yen: Series<i64>,
    /// How many of the course's last months get the addition.
    pub final_period_months: Series<i64>,
    /// Paid months at most, by application date.
    pub max_paid_months: Series<i64>,
    /// Shortest course (months), by application date.
    pub min_course_months: Series<i64>,
    /// 修了支援給付金 (円), 住民税非課税世帯, by completion date.
    pub shuryo_exempt_yen: Series<i64>,
    /// 修了支援給付金 (円), 住民税課税世帯, by completion date.
    pub shuryo_taxed_yen: Series<i64>,
    /// Days to apply for the 修了支援給付金, the completion day being day 1.
    pub shuryo_deadline_days: Series<i64>,
}

impl KotoshokugyoParameters {
    fn validate(&self) -> Result<(), ParametersError> {
        self.monthly_exempt_yen
            .validate("kotoshokugyo.monthly_exempt_yen")?;
        self.monthly_taxed_yen
            .validate("kotoshokugyo.monthly_taxed_yen")?;
        self.final_year_addition_yen
            .validate("kotoshokugyo.final_year_addition_yen")?;
        self.final_period_months
            .validate("kotoshokugyo.final_period_months")?;
        self.max_paid_months
            .validate("kotoshokugyo.max_paid_months")?;
        self.min_course_months
            .validate("kotoshokugyo.min_course_months")?;
        self.shuryo_exempt_yen
            .validate("kotoshokugyo.shuryo_exempt_yen")?;
        self.shuryo_taxed_yen
            .validate("kotoshokugyo.shuryo_taxed_yen")?;
        self.shuryo_deadline_days
            .validate("kotoshokugyo.shuryo_deadline_days")
    }
}

/// 就業支援講習会の受講旅費 (RULES.md §3; seed 000 5-(1)-イ-(イ)-b).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JukouRyohiParameters {
    /// 交通費 cap per day (円, round trip).
    pub fare_cap_yen: Series<i64>,
    /// 受講諸費 per day (円).
    pub expenses_per_day_yen: Series<i64>,
    /// Walking distance (km, one way) under which no fare is paid.
    pub walking_limit_km: Series<Decimal>,
    /// Months after becoming a single parent within which the course must be applied for.
    pub eligibility_period_months: Series<i64>,
    /// Previous year's income tax (円) at most.
    pub income_tax_limit_yen: Series<i64>,
}

impl JukouRyohiParameters {
    fn validate(&self) -> Result<(), ParametersError> {
        self.fare_cap_yen.validate("jukou_ryohi.fare_cap_yen")?;
        self.expenses_per_day_yen
            .validate("jukou_ryohi.expenses_per_day_yen")?;
        self.walking_limit_km
            .validate("jukou_ryohi.walking_limit_km")?;
        self.eligibility_period_months
            .validate("jukou_ryohi.eligibility_period_months")?;
        self.income_tax_limit_yen
            .validate("jukou_ryohi.income_tax_limit_yen")
    }
}

/// Every dated parameter of every benefit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    pub kyoiku_kunren: KyoikuKunrenParameters,
    pub kotoshokugyo: KotoshokugyoParameters,
    pub jukou_ryohi: JukouRyohiParameters,
}

impl Parameters {
    /// The parameters compiled into kyufu. Parsed once at start-up; the file is part of the program,
    /// so a failure here is a build defect (a unit test proves it parses), not a runtime condition.
    pub fn embedded() -> Parameters {
        match Parameters::from_toml_str(EMBEDDED) {
            Ok(p) => p,
            Err(e) => panic!("embedded rules/parameters.toml is invalid: {e}"),
        }
    }

    /// Reads and checks a parameter file (no overlapping periods, every entry documented).
    pub fn from_toml_str(text: &str) -> Result<Parameters, ParametersError> {
        let p: Parameters =
            toml::from_str(text).map_err(|e| ParametersError::Toml(e.to_string()))?;
        p.kyoiku_kunren.validate()?;
        p.kotoshokugyo.validate()?;
        p.jukou_ryohi.validate()?;
        Ok(p)
    }
}

/// The parameters a decision used, for `decision.parameters`, and the unconfirmed ones its result
/// depends on (listed under `unconfirmed`, comma-separated).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Used {
    values: BTreeMap<String, String>,
    unconfirmed: std::collections::BTreeSet<&'static str>,
}

impl Used {
    pub fn note(&mut self, key: &str, value: impl Display) {
        self.values.insert(key.to_string(), value.to_string());
    }

    /// Records a selected parameter under its name.
    pub fn record<T: Display>(&mut self, selected: &Selected<T>) {
        self.note(selected.name, &selected.value);
    }

    /// Marks an unconfirmed parameter as one the result depends on.
    pub fn relied_on<T>(&mut self, selected: &Selected<T>) {
        if !selected.confirmed {
            self.relied_on_name(selected.name);
        }
    }

    /// Marks the named parameter (known to be unconfirmed) as one the result depends on.
    pub fn relied_on_name(&mut self, name: &'static str) {
        self.unconfirmed.insert(name);
    }

    pub fn into_map(self) -> BTreeMap<String, String> {
        let mut map = self.values;
        if !self.unconfirmed.is_empty() {
            let names: Vec<&str> = self.unconfirmed.into_iter().collect();
            map.insert("unconfirmed".to_string(), names.join(","));
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_embedded_file_parses_and_validates() {
        let p = Parameters::from_toml_str(EMBEDDED).expect("embedded parameters");
        let rate = p.kyoiku_kunren.rate.at("rate", date("2026-06-30")).unwrap();
        assert_eq!(rate.value.to_string(), "0.60");
        assert!(rate.confirmed);
    }

    #[test]
    fn history_is_kept_and_the_unconfirmed_era_is_a_gap() {
        let p = Parameters::embedded().kyoiku_kunren;
        let old = p.rate.at("rate", date("2003-07-01")).unwrap();
        assert_eq!(old.value.to_string(), "0.40");
        assert_eq!(
            p.lower_limit_yen
                .at("lower_limit_yen", date("2003-07-01"))
                .unwrap()
                .value,
            8000
        );
        // The 0.20 era: dates unconfirmed, so nothing is selected (never extrapolated).
        assert!(p.rate.at("rate", date("2010-01-01")).is_none());
        assert!(p.rate.at("rate", date("2003-06-29")).is_none());
        assert_eq!(
            p.rate
                .at("rate", date("2016-04-01"))
                .unwrap()
                .value
                .to_string(),
            "0.60"
        );
    }

    #[test]
    fn the_specialized_cap_before_april_2024_is_unconfirmed() {
        let p = Parameters::embedded().kyoiku_kunren;
        let old = p
            .cap_specialized_per_year_yen
            .at("cap_yen", date("2020-01-01"))
            .unwrap();
        assert_eq!((old.value, old.confirmed), (200_000, false));
        let new = p
            .cap_specialized_per_year_yen
            .at("cap_yen", date("2024-04-01"))
            .unwrap();
        assert_eq!((new.value, new.confirmed), (400_000, true));
    }

    #[test]
    fn overlapping_entries_are_refused() {
        let text = EMBEDDED.replace(
            "valid_until = \"2004-03-31\"\nvalue = \"0.40\"",
            "value = \"0.40\"",
        );
        assert!(matches!(
            Parameters::from_toml_str(&text),
            Err(ParametersError::Overlap { .. })
        ));
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let text = EMBEDDED.replace("confirmed = true\nnote", "confirmd = true\nnote");
        assert!(matches!(
            Parameters::from_toml_str(&text),
            Err(ParametersError::Toml(_))
        ));
    }

    #[test]
    fn used_lists_only_unconfirmed_parameters_relied_on() {
        let p = Parameters::embedded().kyoiku_kunren;
        let mut used = Used::default();
        let rate = p.rate.at("rate", date("2026-06-30")).unwrap();
        let deadline = p
            .application_deadline_days
            .at("application_deadline_days", date("2026-06-30"))
            .unwrap();
        used.record(&rate);
        used.relied_on(&rate);
        used.record(&deadline);
        let map = used.clone().into_map();
        assert_eq!(map.get("rate").map(String::as_str), Some("0.60"));
        assert!(!map.contains_key("unconfirmed"));
        used.relied_on(&deadline);
        assert_eq!(
            used.into_map().get("unconfirmed").map(String::as_str),
            Some("application_deadline_days")
        );
    }
}
