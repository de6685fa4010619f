//! Small pieces every benefit's rules share: rounding (1円未満切り捨て), ages under
//! 年齢計算ニ関スル法律, name comparison, the collection of reasons and RULES.md §1.5's precedence.
//!
//! Nothing here knows a particular benefit; `rules::kyoiku_kunren` and its siblings call it.

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

use crate::case::{Application, Case};
use crate::decision::{Benefit, Decision, DocumentRef, Outcome, Reason, Status};

use super::params::{Selected, Series, Used};
use super::reasons::{Class, ReasonCode};

/// 1円未満切り捨て (seed 003 第1-3-(3): 「小数点以下を切り捨てて整数とすること」): `yen × rate`
/// rounded down to whole yen. `None` only if the product leaves the range of yen amounts.
pub fn floor_to_yen(yen: i64, rate: Decimal) -> Option<i64> {
    Decimal::from(yen).checked_mul(rate)?.floor().to_i64()
}

/// An amount as a notice prints it: half-width digits with commas (`59,400`).
pub fn yen(amount: i64) -> String {
    crate::document::grouped_yen(amount)
}

/// The day a person born on `birth` reaches `age`: by 年齢計算ニ関スル法律 and 民法143条, age is
/// reached at the end of the day before the birthday, so the administrative 「達する日」 is the
/// day before the birthday (born on the 1st → reaches it in the previous month; born 29 February →
/// 28 February in a common year).
pub fn reaches_age_on(birth: NaiveDate, age: u32) -> Option<NaiveDate> {
    birth
        .checked_sub_days(Days::new(1))?
        .checked_add_months(Months::new(age.checked_mul(12)?))
}

/// Whether a person born on `birth` is still under `age` on `date`.
pub fn is_under_age(birth: NaiveDate, age: u32, date: NaiveDate) -> bool {
    reaches_age_on(birth, age).is_none_or(|reached| date < reached)
}

/// The last day of a period of `months` months whose first day is `first_day` (民法143条: the
/// period ends on the day before the day of the last month that corresponds to the first day; where
/// the last month has no such day, on that month's last day).
pub fn period_end(first_day: NaiveDate, months: u32) -> Option<NaiveDate> {
    let corresponding = first_day.checked_add_months(Months::new(months))?;
    if corresponding.day() == first_day.day() {
        corresponding.pred_opt()
    } else {
        // Clamped by chrono to the month's last day: no corresponding day in that month.
        Some(corresponding)
    }
}

/// A calendar month (`YYYY-MM`), the unit of the stipend's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl YearMonth {
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Reads `YYYY-MM`; `None` for anything else.
    pub fn parse(text: &str) -> Option<YearMonth> {
        let (y, m) = text.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let ym = YearMonth {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        ym.first_day().map(|_| ym)
    }

    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Months since year 0 (for differences between months).
    pub fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// The month `n` months earlier.
    pub fn minus(self, n: u32) -> YearMonth {
        let index = self.index() - i64::from(n);
        YearMonth {
            year: i32::try_from(index.div_euclid(12)).unwrap_or(i32::MIN),
            month: u32::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
        }
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A name for comparison: NFKC (full-width and half-width forms alike), all whitespace removed (a
/// space between family and given name, or none, or U+3000, reads the same).
pub fn normalize_name(name: &str) -> String {
    name.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Whether two names are the same person's name as written (after [`normalize_name`]).
pub fn same_name(a: &str, b: &str) -> bool {
    normalize_name(a) == normalize_name(b)
}

/// Reasons found while deciding, all of them (STYLE.md: collect every problem, not the first).
#[derive(Debug, Default, Clone)]
pub struct Findings {
    codes: Vec<ReasonCode>,
}

impl Findings {
    pub fn push(&mut self, code: ReasonCode) {
        if !self.codes.contains(&code) {
            self.codes.push(code);
        }
    }

    pub fn has(&self, class: Class) -> bool {
        self.codes.iter().any(|c| c.class() == class)
    }

    pub fn codes(&self) -> &[ReasonCode] {
        &self.codes
    }

    /// RULES.md §1.5: (1) an eligibility `deny` stands whatever else is wrong; (2) `incomplete`;
    /// then anything kyufu is unsure of that would change the result → `needs_review`; (3) not above
    /// the lower limit → `deny`; (4) late → `needs_review`; (5) otherwise `pay`.
    pub fn outcome(&self) -> Outcome {
        if self.has(Class::Ineligible) {
            Outcome::Deny
        } else if self.has(Class::Incomplete) {
            Outcome::Incomplete
        } else if self.has(Class::Review) {
            Outcome::NeedsReview
        } else if self.has(Class::AmountDeny) {
            Outcome::Deny
        } else if self.has(Class::Late) {
            Outcome::NeedsReview
        } else {
            Outcome::Pay
        }
    }

    /// The decision's reasons: the ones that decide the outcome first, then the rest, each once.
    pub fn reasons(&self) -> Vec<Reason> {
        let mut codes: Vec<&ReasonCode> = self.codes.iter().collect();
        codes.sort_by_key(|c| c.class());
        let mut out: Vec<Reason> = Vec::new();
        for code in codes {
            let reason = code.reason();
            if !out.contains(&reason) {
                out.push(reason);
            }
        }
        out
    }
}

/// 児童 = 20歳に満たない者 (母子及び父子並びに寡婦福祉法 6条3項).
pub const CHILD_AGE_LIMIT: u32 = 20;

/// 「20歳未満の児童を扶養している」 on `on`: a child born by then who has not reached 20. No child
/// under 20 → `child_not_under_20`; where that depends on a missing birth date, the date is asked for.
/// The children list itself is required (DESIGN.md, every benefit).
pub fn check_child_under_20(app: &Application, on: NaiveDate, found: &mut Findings) {
    let Some(children) = required(app, "children", app.children.as_ref(), found) else {
        return;
    };
    let under_20 = children.iter().any(|c| {
        c.birth_date
            .is_some_and(|b| b <= on && is_under_age(b, CHILD_AGE_LIMIT, on))
    });
    if under_20 {
        return;
    }
    if children.iter().any(|c| c.birth_date.is_none()) {
        found.push(ReasonCode::ApplicationFieldMissing(
            "children.birth_date".into(),
        ));
    } else {
        found.push(ReasonCode::ChildNotUnder20);
    }
}

/// Where an unconfirmed parameter decides the result: name it (review) and list it as relied on.
pub fn rely_on<T>(selected: &Selected<T>, found: &mut Findings, used: &mut Used) {
    if !selected.confirmed {
        used.relied_on(selected);
        found.push(ReasonCode::ParameterUnconfirmed(selected.name));
    }
}

/// Reads a required application fact: absent, null or malformed → `incomplete` naming its path
/// (DESIGN.md: "a missing required fact makes the case `incomplete` naming the field").
pub fn required<T: Clone>(
    app: &Application,
    path: &str,
    value: Option<&T>,
    found: &mut Findings,
) -> Option<T> {
    match value {
        Some(v) if !app.is_malformed(path) => Some(v.clone()),
        _ => {
            found.push(ReasonCode::ApplicationFieldMissing(path.to_string()));
            None
        }
    }
}

/// The documents a decision rests on, in the order the case holds them.
/// 「…の日から起算して N 日以内」: applied within `deadline` days counted from `completed_on`, the
/// completion day being day 1, so the last day is completed_on + (N − 1). Shared by §1 E6 and the
/// 修了支援給付金 (§2); the number of days is a dated parameter (`param`, looked up at the completion
/// date). A late application goes to a person; it is not refused automatically.
pub fn check_deadline(
    completed_on: Option<NaiveDate>,
    applied_on: Option<NaiveDate>,
    (param, series): (&'static str, &Series<i64>),
    benefit: Benefit,
    found: &mut Findings,
    used: &mut Used,
) {
    let (Some(completed_on), Some(applied_on)) = (completed_on, applied_on) else {
        return;
    };
    if applied_on < completed_on {
        found.push(ReasonCode::AppliedBeforeCompletion);
        return;
    }
    let Some(deadline) = series.at(param, completed_on) else {
        found.push(ReasonCode::ParametersNotCovered {
            what: "申請期限",
            date: completed_on.to_string(),
        });
        return;
    };
    used.record(&deadline);
    let last_day = u64::try_from(deadline.value.saturating_sub(1))
        .ok()
        .and_then(|d| completed_on.checked_add_days(Days::new(d)));
    if last_day.is_none_or(|last| applied_on > last) {
        used.relied_on(&deadline);
        found.push(ReasonCode::LateApplication {
            days: deadline.value,
            benefit,
        });
    }
}

/// The draft decision every benefit builds on: the outcome and every reason found, the documents, the
/// parameters used; no amount and no lines until the benefit's own rules fill them in
/// (`Decision { amount_yen, lines, ..draft(..) }`).
pub fn draft(
    case: &Case,
    benefit: Benefit,
    found: &Findings,
    used: Used,
    applied_on: Option<NaiveDate>,
) -> Decision {
    Decision {
        case_id: case.case_id.clone(),
        benefit,
        status: Status::Draft,
        outcome: found.outcome(),
        amount_yen: 0,
        lines: Vec::new(),
        excluded: Vec::new(),
        reasons: found.reasons(),
        documents: document_refs(case),
        parameters: used.into_map(),
        applied_on,
        schedule: None,
        days: None,
    }
}

pub fn document_refs(case: &Case) -> Vec<DocumentRef> {
    case.documents
        .iter()
        .map(|d| DocumentRef {
            file: d.file.clone(),
            sha256: d.sha256.clone(),
            kind: d.doc.kind,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn floor_to_yen_drops_the_fraction_of_a_yen() {
        let rate: Decimal = "0.60".parse().unwrap();
        assert_eq!(floor_to_yen(20_001, rate), Some(12_000)); // 12,000.6
        assert_eq!(floor_to_yen(20_002, rate), Some(12_001)); // 12,001.2
        let old: Decimal = "0.40".parse().unwrap();
        assert_eq!(floor_to_yen(20_003, old), Some(8_001)); // seed 003 第1-1-(2)-オ
    }

    #[test]
    fn amounts_print_with_commas() {
        assert_eq!(yen(0), "0");
        assert_eq!(yen(999), "999");
        assert_eq!(yen(59_400), "59,400");
        assert_eq!(yen(1_600_000), "1,600,000");
        assert_eq!(yen(-19_800), "-19,800");
    }

    #[test]
    fn a_child_reaches_20_the_day_before_the_birthday() {
        let born = date("2006-07-01");
        assert_eq!(reaches_age_on(born, 20), Some(date("2026-06-30")));
        assert!(is_under_age(born, 20, date("2026-06-29")));
        assert!(!is_under_age(born, 20, date("2026-06-30")));
        // Born 29 February: reaches 20 on 28 February of a common year.
        assert_eq!(
            reaches_age_on(date("2004-02-29"), 21),
            Some(date("2025-02-28"))
        );
    }

    #[test]
    fn periods_end_as_minpo_143_says() {
        // 7 years from the day after 2019-03-31: ends 2026-03-31 (the 7th anniversary).
        assert_eq!(period_end(date("2019-04-01"), 84), Some(date("2026-03-31")));
        // A first day of 29 February: the last month has no 29th, so its last day.
        assert_eq!(period_end(date("2024-02-29"), 84), Some(date("2031-02-28")));
        // A 6-month course from 1 April ends on 30 September.
        assert_eq!(period_end(date("2026-04-01"), 6), Some(date("2026-09-30")));
        // From 31 August, 6 months: February has no 31st → 28 February.
        assert_eq!(period_end(date("2025-08-31"), 6), Some(date("2026-02-28")));
    }

    #[test]
    fn year_months_read_count_and_print() {
        let ym = YearMonth::parse("2026-08").unwrap();
        assert_eq!(ym.to_string(), "2026-08");
        assert_eq!(ym.minus(11).to_string(), "2025-09");
        assert_eq!(
            YearMonth::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(YearMonth::parse("2026-13"), None);
        assert_eq!(YearMonth::parse("2026-8"), None);
    }

    #[test]
    fn names_compare_after_nfkc_without_spaces() {
        assert!(same_name("山田 花子", "山田\u{3000}花子"));
        assert!(same_name("山田花子", " 山田 花子 "));
        assert!(same_name("ﾔﾏﾀﾞ ﾊﾅｺ", "ヤマダハナコ"));
        assert!(!same_name("山田 花子", "山田 華子"));
    }
}
