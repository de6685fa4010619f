//! Tests of the field readers: the date of issue under its labels, the course in a purpose line.

use super::*;
use crate::extract::layout::lines_from_text;

fn lines(text: &str) -> Vec<TextLine> {
    let lines: Vec<String> = text.lines().map(String::from).collect();
    lines_from_text(&lines)
}

#[test]
fn a_date_under_any_label_of_the_day_money_changed_hands() {
    // Labels other institutions use for the issue date, each read as the receipt's date.
    for label in [
        "納入日",
        "納付日",
        "受領日",
        "発行年月日",
        "支払い日",
        "年月日",
    ] {
        let read = lines(&format!(
            "生年月日 1990年1月2日\n申込日 2025年6月1日\n{label}: 2025年7月7日\n"
        ));
        let (date, _, _) = find_date(&read, RECEIPT_DATE_LABELS).expect(label);
        assert_eq!(date.to_string(), "2025-07-07", "{label}");
    }
    // A date under its label that no reading makes out is printed, not lacking: the 領収印
    // over it made the first slash a 7 (seed 23 sub005, a wrong 補正依頼).
    let covered = lines("宛名 松本 美穂 殿\n納入日:2025707/07\n納入金額:138,000円\n");
    assert!(find_date(&covered, RECEIPT_DATE_LABELS).is_none());
    assert!(unread_date(&covered, RECEIPT_DATE_LABELS));
    // No date printed at all: lacking.
    let none = lines("宛名 松本 美穂 殿\n納入金額:138,000円\n");
    assert!(!unread_date(&none, RECEIPT_DATE_LABELS));
}

#[test]
fn a_quoted_course_is_what_the_last_opening_bracket_opens() {
    // Seed 7 sub022, a skewed photo: a stray 「 read before the sentence's own.
    let read = lines(
        "2025年1月1日から2025年6月3日まで本校が実施\n「、する教育訓練講座「介\n護職員初任者研修」を受講し、修了したことを証明いたします。\n",
    );
    let (course, _) = quoted_course(&read).expect("a quoted course");
    assert_eq!(course, "介護職員初任者研修");
    // One bracket pair: what it holds, wrapped over two lines.
    let plain = lines("本校が実施する講座「医療事務\n講座」を修了したことを証明します。\n");
    assert_eq!(quoted_course(&plain).expect("quoted").0, "医療事務講座");
    // A quotation nothing was done with is no course.
    assert!(quoted_course(&lines("「お知らせ」をご覧ください。\n")).is_none());
}

#[test]
fn a_purpose_line_gives_its_own_column_and_its_wrapped_title() {
    let course = |text: &str| find_course(&lines(text), &Hints::default()).map(|(_, c)| c);
    // The issuer's column shares the row (seed 13 sub052).
    assert_eq!(
        course("但し Webデザイナー養成講座    人1-\n受講料として\n").as_deref(),
        Some("Webデザイナー養成講座")
    );
    // A wide gap after 但し itself.
    assert_eq!(
        course("但し    医療事務講座受講料として\n").as_deref(),
        Some("医療事務講座")
    );
    // The title wrapped onto the next line.
    assert_eq!(
        course("但し 大型自動車第一種\n運転免許 受講料等として\n").as_deref(),
        Some("大型自動車第一種運転免許")
    );
    // What was paid for, alone on the next line, is no part of the title.
    assert_eq!(
        course("但し 日商簿記2級講座\n受講料として\n").as_deref(),
        Some("日商簿記2級講座")
    );
}

#[test]
fn a_date_printed_larger_than_its_label_is_read_with_the_words_left_on_the_labels_line() {
    // Seed 73 sub017 as read: the value, taller than the label, a line of its own between the
    // label's colon and 「12 日」.
    let word = |text: &str, x: u32, y: u32, w: u32, h: u32| crate::extract::layout::Token {
        text: text.into(),
        confidence: 0.9,
        agreed: false,
        bbox: BBox { x, y, w, h },
    };
    let read = vec![
        TextLine::from_tokens(vec![word("令和6年7月", 385, 712, 200, 58)]),
        TextLine::from_tokens(vec![
            word("発行年月日", 175, 713, 150, 27),
            word(":", 335, 713, 10, 27),
            word("12", 600, 713, 30, 27),
            word("日", 640, 713, 27, 27),
        ]),
    ];
    let (date, _, _) = find_date(&read, RECEIPT_DATE_LABELS).expect("the date of issue");
    assert_eq!(date, chrono::NaiveDate::from_ymd_opt(2024, 7, 12).unwrap());
    // A date in another column of the row is no part of it.
    let apart = vec![
        TextLine::from_tokens(vec![
            word("発行年月日", 175, 713, 150, 27),
            word("12日", 340, 713, 60, 27),
        ]),
        TextLine::from_tokens(vec![word("令和6年7月", 700, 712, 200, 58)]),
    ];
    let twelfth = chrono::NaiveDate::from_ymd_opt(2024, 7, 12);
    assert!(find_date(&apart, RECEIPT_DATE_LABELS).is_none_or(|(d, _, _)| Some(d) != twelfth));
}
