//! Bank business days, for the 振込指定日 of a 総合振込 file.
//!
//! 銀行法第15条第1項 and 銀行法施行令第5条第1項 make a bank's days off: 日曜日, 国民の祝日に関する法律
//! に規定する休日, 12月31日から翌年1月3日までの日, and 土曜日. Weekends and the year end are rules;
//! the 祝日法 holidays are a dated table copied from 内閣府「国民の祝日について」, which lists each
//! year's 国民の祝日 and the 休日 of 祝日法第3条第2項 (振替休日) and 第3条第3項 (国民の休日). The
//! table covers [`FIRST_YEAR`]–[`LAST_YEAR`]; a date outside it is refused, never guessed (春分の日
//! and 秋分の日 are fixed only a year ahead, 法改正 can move others). Add a year when 内閣府 publishes
//! it (each February for the year after). Pure; called by `mod.rs` before a file is written.

use chrono::{Datelike, NaiveDate, Weekday};

/// Where [`HOLIDAYS`] comes from.
pub const SOURCE: &str = "内閣府「国民の祝日について」\
    https://www8.cao.go.jp/chosei/shukujitsu/gaiyou.html（令和7年〜令和9年）";

/// First year [`HOLIDAYS`] lists in full.
pub const FIRST_YEAR: i32 = 2025;
/// Last year [`HOLIDAYS`] lists in full (令和9年, published by 内閣府 on 2026-02-02).
pub const LAST_YEAR: i32 = 2027;

/// Which kind of 祝日法 day it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayKind {
    /// 国民の祝日 (祝日法第2条).
    National,
    /// 振替休日 (祝日法第3条第2項): a 国民の祝日 fell on a Sunday.
    Substitute,
    /// 国民の休日 (祝日法第3条第3項): a day between two 国民の祝日.
    Between,
}

use HolidayKind::{Between, National, Substitute};

/// Every 祝日法 day off, 2025–2027, as 内閣府 lists it: (year, month, day, name, kind).
#[rustfmt::skip]
pub const HOLIDAYS: &[(i32, u32, u32, &str, HolidayKind)] = &[
    // 令和7年 (2025)
    (2025, 1, 1, "元日", National),
    (2025, 1, 13, "成人の日", National),
    (2025, 2, 11, "建国記念の日", National),
    (2025, 2, 23, "天皇誕生日", National),
    (2025, 2, 24, "休日", Substitute),
    (2025, 3, 20, "春分の日", National),
    (2025, 4, 29, "昭和の日", National),
    (2025, 5, 3, "憲法記念日", National),
    (2025, 5, 4, "みどりの日", National),
    (2025, 5, 5, "こどもの日", National),
    (2025, 5, 6, "休日", Substitute),
    (2025, 7, 21, "海の日", National),
    (2025, 8, 11, "山の日", National),
    (2025, 9, 15, "敬老の日", National),
    (2025, 9, 23, "秋分の日", National),
    (2025, 10, 13, "スポーツの日", National),
    (2025, 11, 3, "文化の日", National),
    (2025, 11, 23, "勤労感謝の日", National),
    (2025, 11, 24, "休日", Substitute),
    // 令和8年 (2026)
    (2026, 1, 1, "元日", National),
    (2026, 1, 12, "成人の日", National),
    (2026, 2, 11, "建国記念の日", National),
    (2026, 2, 23, "天皇誕生日", National),
    (2026, 3, 20, "春分の日", National),
    (2026, 4, 29, "昭和の日", National),
    (2026, 5, 3, "憲法記念日", National),
    (2026, 5, 4, "みどりの日", National),
    (2026, 5, 5, "こどもの日", National),
    (2026, 5, 6, "休日", Substitute),
    (2026, 7, 20, "海の日", National),
    (2026, 8, 11, "山の日", National),
    (2026, 9, 21, "敬老の日", National),
    (2026, 9, 22, "休日", Between),
    (2026, 9, 23, "秋分の日", National),
    (2026, 10, 12, "スポーツの日", National),
    (2026, 11, 3, "文化の日", National),
    (2026, 11, 23, "勤労感謝の日", National),
    // 令和9年 (2027)
    (2027, 1, 1, "元日", National),
    (2027, 1, 11, "成人の日", National),
    (2027, 2, 11, "建国記念の日", National),
    (2027, 2, 23, "天皇誕生日", National),
    (2027, 3, 21, "春分の日", National),
    (2027, 3, 22, "休日", Substitute),
    (2027, 4, 29, "昭和の日", National),
    (2027, 5, 3, "憲法記念日", National),
    (2027, 5, 4, "みどりの日", National),
    (2027, 5, 5, "こどもの日", National),
    (2027, 7, 19, "海の日", National),
    (2027, 8, 11, "山の日", National),
    (2027, 9, 20, "敬老の日", National),
    (2027, 9, 23, "秋分の日", National),
    (2027, 10, 11, "スポーツの日", National),
    (2027, 11, 3, "文化の日", National),
    (2027, 11, 23, "勤労感謝の日", National),
];

/// Why a date is not a bank business day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOff {
    Saturday,
    Sunday,
    /// A 祝日法 day: its name in the table (「休日」 for 振替休日 and 国民の休日).
    Holiday(&'static str, HolidayKind),
    /// 12月31日〜1月3日 (銀行法施行令第5条第1項).
    YearEnd,
}

/// Why a 振込指定日 cannot be used. Shown to payment officers, so Japanese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("振込指定日 {date} は銀行の休業日です（{}）", day_off_text(*.day_off))]
    DayOff { date: NaiveDate, day_off: DayOff },
    #[error(
        "振込指定日 {date} の年は祝日表（{FIRST_YEAR}年〜{LAST_YEAR}年）にありません。\
         内閣府の公表に従い祝日表を追加してください"
    )]
    NotCovered { date: NaiveDate },
}

fn day_off_text(day_off: DayOff) -> String {
    match day_off {
        DayOff::Saturday => "土曜日".into(),
        DayOff::Sunday => "日曜日".into(),
        DayOff::Holiday(name, National) => format!("国民の祝日・{name}"),
        DayOff::Holiday(_, Substitute) => "振替休日".into(),
        DayOff::Holiday(_, Between) => "国民の休日".into(),
        DayOff::YearEnd => "12月31日〜1月3日".into(),
    }
}

/// The first bank business day after `day` — what `kyufu export-payments --date next` pays on.
/// Refused once it would run past the holiday table (never a guess about an unlisted year).
pub fn next_business_day(day: NaiveDate) -> Result<NaiveDate, CalendarError> {
    let mut d = day;
    loop {
        d = d
            .succ_opt()
            .ok_or(CalendarError::NotCovered { date: day })?;
        match check_business_day(d) {
            Ok(()) => return Ok(d),
            Err(e @ CalendarError::NotCovered { .. }) => return Err(e),
            Err(_) => {}
        }
    }
}

/// `Ok(())` when banks are open on `date`; otherwise why not.
pub fn check_business_day(date: NaiveDate) -> Result<(), CalendarError> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        return Err(CalendarError::NotCovered { date });
    }
    let day_off = match date.weekday() {
        Weekday::Sat => Some(DayOff::Saturday),
        Weekday::Sun => Some(DayOff::Sunday),
        _ => None,
    };
    let day_off = day_off
        .or_else(|| {
            let (m, d) = (date.month(), date.day());
            (m == 12 && d == 31 || m == 1 && d <= 3).then_some(DayOff::YearEnd)
        })
        .or_else(|| {
            HOLIDAYS
                .iter()
                .find(|&&(y, m, d, ..)| (y, m, d) == (date.year(), date.month(), date.day()))
                .map(|&(.., name, kind)| DayOff::Holiday(name, kind))
        });
    match day_off {
        None => Ok(()),
        Some(day_off) => Err(CalendarError::DayOff { date, day_off }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn off(y: i32, m: u32, d: u32) -> Option<DayOff> {
        match check_business_day(day(y, m, d)) {
            Ok(()) => None,
            Err(CalendarError::DayOff { day_off, .. }) => Some(day_off),
            Err(e) => panic!("{e}"),
        }
    }

    /// Dates a payment officer would check against a printed calendar.
    #[test]
    fn business_days() {
        assert_eq!(off(2026, 12, 5), Some(DayOff::Saturday));
        assert_eq!(off(2026, 12, 6), Some(DayOff::Sunday));
        assert_eq!(off(2026, 12, 7), None); // an ordinary Monday
        assert_eq!(off(2026, 1, 1), Some(DayOff::YearEnd)); // 元日 is also in the year end
        assert_eq!(off(2027, 1, 4), None); // first business day of 2027 (Monday)
        assert_eq!(off(2025, 12, 31), Some(DayOff::YearEnd)); // a Wednesday
        assert_eq!(off(2026, 1, 2), Some(DayOff::YearEnd)); // a Friday
        assert_eq!(off(2025, 2, 24), Some(DayOff::Holiday("休日", Substitute))); // 天皇誕生日 on Sunday
        assert_eq!(off(2027, 3, 22), Some(DayOff::Holiday("休日", Substitute))); // 春分の日 on Sunday
        assert_eq!(off(2026, 9, 22), Some(DayOff::Holiday("休日", Between))); // 国民の休日
        assert_eq!(
            off(2026, 1, 12),
            Some(DayOff::Holiday("成人の日", National))
        );
        assert_eq!(off(2026, 5, 7), None); // the Thursday after Golden Week
    }

    #[test]
    fn a_year_outside_the_table_is_refused_not_guessed() {
        for date in [day(2024, 7, 1), day(2028, 3, 1), day(2028, 1, 2)] {
            assert_eq!(
                check_business_day(date),
                Err(CalendarError::NotCovered { date })
            );
        }
    }

    #[test]
    fn the_message_names_the_reason_in_japanese() {
        let e = check_business_day(day(2025, 2, 24)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "振込指定日 2025-02-24 は銀行の休業日です（振替休日）"
        );
    }

    /// The table agrees with 祝日法 where the law fixes the answer: 16 国民の祝日 a year; a 振替休日 is
    /// the first non-holiday after a 国民の祝日 that fell on Sunday; a 国民の休日 lies between two.
    #[test]
    fn the_table_is_consistent_with_the_holiday_law() {
        let is_national = |d: NaiveDate| {
            HOLIDAYS
                .iter()
                .any(|&(y, m, dd, _, k)| k == National && day(y, m, dd) == d)
        };
        for year in FIRST_YEAR..=LAST_YEAR {
            let n = HOLIDAYS
                .iter()
                .filter(|h| h.0 == year && h.4 == National)
                .count();
            assert_eq!(n, 16, "{year}");
        }
        let mut previous = None;
        for &(y, m, d, _, kind) in HOLIDAYS {
            let date = day(y, m, d);
            assert!(previous < Some(date), "table out of order at {date}");
            previous = Some(date);
            match kind {
                National => {}
                Substitute => {
                    let mut back = date.pred_opt().unwrap();
                    while is_national(back) && back.weekday() != Weekday::Sun {
                        back = back.pred_opt().unwrap();
                    }
                    assert!(
                        is_national(back) && back.weekday() == Weekday::Sun,
                        "{date}"
                    );
                }
                Between => {
                    assert!(is_national(date.pred_opt().unwrap()), "{date}");
                    assert!(is_national(date.succ_opt().unwrap()), "{date}");
                }
            }
        }
        // Every 国民の祝日 on a Sunday has its 振替休日 in the table.
        for &(y, m, d, _, kind) in HOLIDAYS {
            let date = day(y, m, d);
            if kind == National && date.weekday() == Weekday::Sun {
                let mut next = date.succ_opt().unwrap();
                while is_national(next) {
                    next = next.succ_opt().unwrap();
                }
                assert!(
                    HOLIDAYS
                        .iter()
                        .any(|&(y, m, d, _, k)| k == Substitute && day(y, m, d) == next),
                    "no 振替休日 after {date}"
                );
            }
        }
    }

    #[test]
    fn next_skips_weekends_holidays_and_the_year_end() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Friday → Monday; a Saturday before a 振替休日-free Monday → Monday.
        assert_eq!(next_business_day(d(2026, 12, 4)), Ok(d(2026, 12, 7)));
        // 12/30 → the bank year-end 12/31–1/3 is closed → Monday 2027-01-04.
        assert_eq!(next_business_day(d(2026, 12, 30)), Ok(d(2027, 1, 4)));
        // Past the table: refused.
        assert!(matches!(
            next_business_day(d(2027, 12, 30)),
            Err(CalendarError::NotCovered { .. })
        ));
    }
}
