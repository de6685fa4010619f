//! 和暦 (Japanese era) dates as notices print them: 「令和8年7月10日」, 「令和元年5月1日」.
//!
//! Formatting only: reading 和暦 from scans (with 平成31年 after April 2019 and OCR look-alikes) is
//! the extract stage's job. Called by the notice renderer for 申請日 and 決定日. Digits are
//! half-width, as in the amounts (DESIGN.md, "Amounts on notices are half-width digits").

use chrono::{Datelike, NaiveDate};

/// One era: its name and the first day of its 元年.
struct Era {
    name: &'static str,
    first_day: (i32, u32, u32),
}

/// Newest first. RULES.md §5: 令和 from 2019-05-01, 平成 1989-01-08 – 2019-04-30; 昭和 from 1926-12-25
/// (birth dates of older applicants' documents).
const ERAS: [Era; 3] = [
    Era {
        name: "令和",
        first_day: (2019, 5, 1),
    },
    Era {
        name: "平成",
        first_day: (1989, 1, 8),
    },
    Era {
        name: "昭和",
        first_day: (1926, 12, 25),
    },
];

/// 「令和8年7月10日」. The first year of an era is 元年. A date before 昭和 (no notice should carry
/// one) is printed in the Western calendar, 「1920年1月1日」, rather than invented.
pub fn format_wareki(date: NaiveDate) -> String {
    format!("{}{}日", format_wareki_month(date), date.day())
}

/// 「令和8年7月」: the era year and month of `date` (a month of a stipend schedule is named by its
/// first day, so 2019-04 is 平成31年4月 and 2019-05 令和元年5月).
pub fn format_wareki_month(date: NaiveDate) -> String {
    let key = (date.year(), date.month(), date.day());
    for era in &ERAS {
        if key >= era.first_day {
            let year = date.year() - era.first_day.0 + 1;
            let year = if year == 1 {
                "元".to_string()
            } else {
                year.to_string()
            };
            return format!("{}{}年{}月", era.name, year, date.month());
        }
    }
    format!("{}年{}月", date.year(), date.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn era_boundaries_and_first_years() {
        let table = [
            (d(2019, 4, 30), "平成31年4月30日"),
            (d(2019, 5, 1), "令和元年5月1日"),
            (d(2019, 12, 31), "令和元年12月31日"),
            (d(2020, 1, 1), "令和2年1月1日"),
            (d(2026, 7, 10), "令和8年7月10日"),
            (d(1989, 1, 8), "平成元年1月8日"),
            (d(1989, 1, 7), "昭和64年1月7日"),
            (d(1926, 12, 25), "昭和元年12月25日"),
            (d(1920, 1, 1), "1920年1月1日"),
        ];
        for (date, want) in table {
            assert_eq!(format_wareki(date), want, "{date}");
        }
    }

    #[test]
    fn months_are_named_by_their_first_day() {
        assert_eq!(format_wareki_month(d(2019, 4, 1)), "平成31年4月");
        assert_eq!(format_wareki_month(d(2019, 5, 1)), "令和元年5月");
        assert_eq!(format_wareki_month(d(2026, 11, 1)), "令和8年11月");
    }
}
