//! Small pieces every benefit's rules share: rounding (1円未満切り捨て), ages under
//! 年齢計算ニ関スル法律, name comparison, the collection of reasons and RULES.md §1.5's precedence.
//!
//! Nothing here knows a particular benefit; `rules::kyoiku_kunren` and its siblings call it.

use chrono::{Days, Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

use crate::case::{Application, Case};
use crate::decision::{DocumentRef, Outcome, Reason};

use super::reasons::{Class, ReasonCode};

/// 1円未満切り捨て (seed 003 第1-3-(3): 「小数点以下を切り捨てて整数とすること」): `yen × rate`
/// rounded down to whole yen. `None` only if the product leaves the range of yen amounts.
pub fn floor_to_yen(yen: i64, rate: Decimal) -> Option<i64> {
    Decimal::from(yen).checked_mul(rate)?.floor().to_i64()
}

/// An amount as a notice prints it: half-width digits with commas (`59,400`).
pub fn yen(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if amount < 0 {
        format!("-{out}")
    } else {
        out
    }
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
        } else if self.has(Class::BelowLowerLimit) {
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
    fn names_compare_after_nfkc_without_spaces() {
        assert!(same_name("山田 花子", "山田\u{3000}花子"));
        assert!(same_name("山田花子", " 山田 花子 "));
        assert!(same_name("ﾔﾏﾀﾞ ﾊﾅｺ", "ヤマダハナコ"));
        assert!(!same_name("山田 花子", "山田 華子"));
    }
}
