//! Tests of the whole file: golden records computed by hand from the standard's field table (not by
//! the code under test), the round-trip property, what `export` holds out, what the reader refuses,
//! and (ignored by default) the throughput for 10,000 payments.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::kana::jis_to_string;
use super::*;

fn config() -> PaymentConfig {
    PaymentConfig {
        remitter_code: "1234567890".into(),
        remitter_name_kana: "ｻｲﾀﾏｼ".into(),
        bank_code: "0001".into(),
        bank_name_kana: "ﾐｽﾞﾎ".into(),
        branch_code: "123".into(),
        branch_name_kana: "ｳﾗﾜ".into(),
        account_type: AccountType::Ordinary,
        account_number: "7654321".into(),
        line_ending: LineEnding::Crlf,
        bank_codes: "bank-codes".into(),
    }
}

/// 2026-12-07, a Monday and no holiday.
fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
}

fn payment(case: &str, name: &str, amount_yen: i64) -> Payment {
    Payment {
        case_id: case.into(),
        document_number: format!("さ子支第{case}号"),
        payee_kana: name.into(),
        applicant_name_kana: Some(name.into()),
        bank_code: "0009".into(),
        branch_code: "456".into(),
        account_type: "ordinary".into(),
        account_number: "0012345".into(),
        amount_yen,
    }
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Header, data, trailer and end records of a two-payment file, byte by byte.
#[test]
fn golden_records() {
    let payments = [
        payment("1", "ﾔﾏﾀﾞ ﾊﾅｺ", 169_100),
        payment("2", "ｷﾀ ｹﾝ", 30_000),
    ];
    let export = export(&config(), monday(), 42, &payments).unwrap();
    let recs: Vec<&[u8]> = export.bytes.chunks(122).collect();
    assert_eq!(recs.len(), 5);
    for r in &recs {
        assert_eq!(&r[120..], b"\r\n");
    }

    let header = cat(&[
        b"1",                    // 1      データ区分: header
        b"21",                   // 2-3    種別コード: 総合振込
        b"0",                    // 4      コード区分: JIS
        b"1234567890",           // 5-14   振込依頼人コード
        b"\xBB\xB2\xC0\xCF\xBC", // 15-19  振込依頼人名 ｻ ｲ ﾀ ﾏ ｼ (JIS X 0201)
        &[b' '; 35],             // 20-54  … space-filled to 40
        b"1207",                 // 55-58  振込指定日 MMDD
        b"0001",                 // 59-62  仕向銀行番号
        b"\xD0\xBD\xDE\xCE",     // 63-66  仕向銀行名 ﾐ ｽ ﾞ ﾎ
        &[b' '; 11],             // 67-77  … to 15
        b"123",                  // 78-80  仕向支店番号
        b"\xB3\xD7\xDC",         // 81-83  仕向支店名 ｳ ﾗ ﾜ
        &[b' '; 12],             // 84-95  … to 15
        b"1",                    // 96     預金種目: 普通
        b"7654321",              // 97-103 口座番号
        &[b' '; 17],             // 104-120 ダミー
    ]);
    assert_eq!(header.len(), 120);
    assert_eq!(&recs[0][..120], &header[..]);

    let data = cat(&[
        b"2",                                // 1       データ区分: data
        b"0009",                             // 2-5     被仕向銀行番号
        &[b' '; 15],                         // 6-20    被仕向銀行名 (not written)
        b"456",                              // 21-23   被仕向支店番号
        &[b' '; 15],                         // 24-38   被仕向支店名 (not written)
        b"0000",                             // 39-42   手形交換所番号: unused, 0
        b"1",                                // 43      預金種目: 普通
        b"0012345",                          // 44-50   口座番号
        b"\xD4\xCF\xC0\xDE\x20\xCA\xC5\xBA", // 51-58   受取人名 ﾔ ﾏ ﾀ ﾞ space ﾊ ﾅ ｺ
        &[b' '; 22],                         // 59-80   … to 30
        b"0000169100",                       // 81-90   振込金額 169,100 円
        b"0",                                // 91      新規コード: その他
        b"0000000001",                       // 92-101  顧客コード1: first record
        b"0000000042",                       // 102-111 顧客コード2: batch 42
        b"7",                                // 112     振込指定区分: 電信
        b" ",                                // 113     識別表示: 顧客コード (not EDI)
        &[b' '; 7],                          // 114-120 ダミー
    ]);
    assert_eq!(data.len(), 120);
    assert_eq!(&recs[1][..120], &data[..]);

    let trailer = cat(&[
        b"8",            // 1      データ区分: trailer
        b"000002",       // 2-7    合計件数: 2
        b"000000199100", // 8-19   合計金額: 169,100 + 30,000
        &[b' '; 101],    // 20-120 ダミー
    ]);
    assert_eq!(&recs[3][..120], &trailer[..]);

    let end = cat(&[b"9", &[b' '; 119]]);
    assert_eq!(&recs[4][..120], &end[..]);
}

#[test]
fn no_line_ending_when_the_bank_wants_none() {
    let config = PaymentConfig {
        line_ending: LineEnding::None,
        ..config()
    };
    let e = export(&config, monday(), 1, &[payment("1", "ｱ", 1)]).unwrap();
    assert_eq!(e.bytes.len(), 4 * 120);
    assert!(!e.bytes.contains(&b'\r') && !e.bytes.contains(&b'\n'));
    assert_eq!(
        zengin::read_file(&e.bytes).unwrap().line_ending,
        LineEnding::None
    );
}

#[test]
fn failing_payments_are_held_and_the_rest_written() {
    let mut bad_account = payment("2", "ｲﾄｳ", 5_000);
    bad_account.account_number = "12345".into();
    let payments = [
        payment("1", "ｱﾍﾞ", 10_000),
        bad_account,
        payment("3", "山田", 7_000),
        payment("4", "ｳｴﾉ", 20_000),
    ];
    let e = export(&config(), monday(), 7, &payments).unwrap();
    let held: Vec<_> = e
        .held
        .iter()
        .map(|h| (h.case_id.as_str(), h.reasons[0].code()))
        .collect();
    assert_eq!(held, [("2", "account_number"), ("3", "kanji_in_kana")]);
    assert_eq!(
        e.held[0].reasons[0].message(),
        "口座番号が7桁の数字ではありません"
    );

    let file = zengin::read_file(&e.bytes).unwrap();
    let written: Vec<_> = file
        .records
        .iter()
        .map(|r| (r.amount_yen, r.customer_code_1))
        .collect();
    assert_eq!(written, [(10_000, 1), (20_000, 2)]);
    assert_eq!(file.trailer.total_yen, 30_000);
    assert_eq!(
        e.accepted.iter().map(|a| a.index).collect::<Vec<_>>(),
        [0, 3]
    );
}

#[test]
fn a_day_banks_are_closed_refuses_the_whole_file() {
    let saturday = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let err = export(&config(), saturday, 1, &[payment("1", "ｱ", 1)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "振込指定日 2026-12-05 は銀行の休業日です（土曜日）"
    );
    let new_year = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
    assert!(matches!(
        export(&config(), new_year, 1, &[payment("1", "ｱ", 1)]),
        Err(PaymentError::Date(_))
    ));
}

#[test]
fn nothing_to_pay_and_a_bad_config_are_refused() {
    let err = export(&config(), monday(), 1, &[payment("1", "ｱ", 0)]).unwrap_err();
    assert_eq!(err, PaymentError::NothingToPay { held: 1 });
    let bad = PaymentConfig {
        remitter_name_kana: "さいたま市".into(),
        ..config()
    };
    assert!(matches!(
        export(&bad, monday(), 1, &[payment("1", "ｱ", 1)]),
        Err(PaymentError::Config {
            key: "remitter_name_kana",
            ..
        })
    ));
    let bad = PaymentConfig {
        bank_code: "12".into(),
        ..config()
    };
    assert!(matches!(
        header(&bad, monday()),
        Err(PaymentError::Config {
            key: "bank_code",
            ..
        })
    ));
}

#[test]
fn the_config_is_strict_toml() {
    let ok = r#"
        remitter_code = "1234567890"
        remitter_name_kana = "ｻｲﾀﾏｼ"
        bank_code = "0001"
        bank_name_kana = "ﾐｽﾞﾎ"
        branch_code = "123"
        branch_name_kana = "ｳﾗﾜ"
        account_type = "ordinary"
        account_number = "7654321"
    "#;
    assert_eq!(toml::from_str::<PaymentConfig>(ok).unwrap(), config());
    let typo = format!("{ok}\nline_endings = \"none\"\n");
    assert!(toml::from_str::<PaymentConfig>(&typo).is_err());
}

fn two_payment_file() -> Vec<u8> {
    let payments = [
        payment("1", "ﾔﾏﾀﾞ ﾊﾅｺ", 169_100),
        payment("2", "ｷﾀ ｹﾝ", 30_000),
    ];
    export(&config(), monday(), 42, &payments).unwrap().bytes
}

/// What `--verify` refuses, with the message a payment officer reads.
#[test]
fn the_reader_refuses_a_broken_file() {
    let good = two_payment_file();
    assert_eq!(zengin::read_file(&good).unwrap().records.len(), 2);

    // An amount changed after the trailer was written.
    let mut f = good.clone();
    f[122 + 89] = b'1'; // data record 1, byte 90: 169,100 → 169,101
    let err = zengin::read_file(&f).unwrap_err();
    assert_eq!(
        err.to_string(),
        "トレーラの合計件数 2 件・合計金額 199100 円が、データ・レコードの 2 件・199101 円と一致しません"
    );

    // A data record removed: the trailer's count no longer matches.
    let mut f = good.clone();
    f.drain(122..244);
    assert!(matches!(
        zengin::read_file(&f),
        Err(ZenginError::TrailerMismatch {
            trailer_count: 2,
            count: 1,
            ..
        })
    ));

    // No end record.
    let f = &good[..good.len() - 122];
    assert_eq!(
        zengin::read_file(f).unwrap_err(),
        ZenginError::Missing {
            missing: "エンド・レコード"
        }
    );

    // A record one byte short.
    let mut f = good.clone();
    f.remove(130);
    assert!(matches!(
        zengin::read_file(&f),
        Err(ZenginError::Framing { .. })
    ));

    // A letter in an amount.
    let mut f = good.clone();
    f[122 + 85] = b'X';
    assert_eq!(
        zengin::read_file(&f).unwrap_err().to_string(),
        "第2レコード（データ・レコード）: 「振込金額」に数字以外の文字があります"
    );

    // LF alone after a record.
    let mut f = good.clone();
    f[244 + 120] = b'\n';
    assert_eq!(
        zengin::read_file(&f).unwrap_err(),
        ZenginError::LineEnding { record: 3 }
    );

    // Something after the end record.
    let mut f = good.clone();
    f.extend_from_slice(&good[good.len() - 122..]);
    assert_eq!(
        zengin::read_file(&f).unwrap_err(),
        ZenginError::AfterEnd { record: 6 }
    );

    // Two files glued together: a header where a trailer should be … after the first end.
    let mut f = good.clone();
    f.extend_from_slice(&good);
    assert!(matches!(
        zengin::read_file(&f),
        Err(ZenginError::AfterEnd { .. })
    ));
}

/// A name already in bank kana: two words of 1–14 kana (some voiced), joined by a space.
fn bank_name() -> impl Strategy<Value = String> {
    let kana = prop::sample::select(vec![
        "ｱ", "ｲ", "ｶ", "ｷﾞ", "ｻ", "ﾀﾞ", "ﾅ", "ﾊﾟ", "ﾏ", "ﾔ", "ﾗ", "ﾜ", "ﾝ", "-", "A", "Z", "0",
    ]);
    let word = prop::collection::vec(kana, 1..=7).prop_map(|v| v.concat());
    (word.clone(), word).prop_map(|(a, b)| format!("{a} {b}"))
}

fn any_payment() -> impl Strategy<Value = Payment> {
    (
        "[0-9]{4}",
        "[0-9]{3}",
        prop::sample::select(vec!["ordinary", "current", "savings"]),
        "[0-9]{7}",
        bank_name(),
        1i64..=9_999_999_999,
    )
        .prop_map(|(bank, branch, kind, account, name, amount_yen)| Payment {
            case_id: "c".into(),
            document_number: "d".into(),
            payee_kana: name.clone(),
            applicant_name_kana: Some(name),
            bank_code: bank,
            branch_code: branch,
            account_type: kind.into(),
            account_number: account,
            amount_yen,
        })
}

proptest! {
    /// Any set of payments → a file whose every record is 120 bytes (+ its line ending), which reads
    /// back to the same payments, whose trailer holds their count and their sum.
    #[test]
    fn a_file_reads_back_to_its_payments(
        payments in prop::collection::vec(any_payment(), 1..40),
        crlf in any::<bool>(),
        batch in 0u64..=9_999_999_999,
    ) {
        let ending = if crlf { LineEnding::Crlf } else { LineEnding::None };
        let config = PaymentConfig { line_ending: ending, ..config() };
        let e = export(&config, monday(), batch, &payments).unwrap();
        prop_assert!(e.held.is_empty());
        let stride = 120 + ending.bytes().len();
        prop_assert_eq!(e.bytes.len(), (payments.len() + 3) * stride);
        for rec in e.bytes.chunks(stride) {
            prop_assert_eq!(&rec[120..], ending.bytes());
            prop_assert!(!rec[..120].contains(&b'\r') && !rec[..120].contains(&b'\n'));
        }
        let file = zengin::read_file(&e.bytes).unwrap();
        prop_assert_eq!(file.line_ending, ending);
        prop_assert_eq!(file.records.len(), payments.len());
        for (n, (r, p)) in file.records.iter().zip(&payments).enumerate() {
            prop_assert_eq!(&r.bank_code, &p.bank_code);
            prop_assert_eq!(&r.branch_code, &p.branch_code);
            prop_assert_eq!(Some(r.account_type), AccountType::from_application(&p.account_type));
            prop_assert_eq!(&r.account_number, &p.account_number);
            prop_assert_eq!(jis_to_string(&r.payee), p.payee_kana.clone());
            prop_assert_eq!(r.amount_yen, p.amount_yen);
            prop_assert_eq!(r.customer_code_1, n as u64 + 1);
            prop_assert_eq!(r.customer_code_2, batch);
        }
        prop_assert_eq!(file.trailer.count, payments.len() as u64);
        prop_assert_eq!(file.trailer.total_yen, payments.iter().map(|p| p.amount_yen).sum::<i64>());
        prop_assert_eq!(file.header.transfer_mmdd.as_str(), "1207");
    }
}

/// Payments per second for 10,000 payments, and the file's size.
/// `cargo test --lib payment::tests::throughput -- --ignored --nocapture` (dev profile: our code at
/// opt-level 1; measured 2026-12-05 on the shared 2-core box: ~205,000 payments/s, 1,220,366 bytes).
#[test]
#[ignore]
fn throughput_10000_payments() {
    let names = [
        "ヤマダ ハナコ",
        "キュウマ ショウタ",
        "ｽｽﾞｷ ｲﾁﾛｳ",
        "パク ジョンウ",
    ];
    let payments: Vec<Payment> = (0..10_000)
        .map(|i| payment(&i.to_string(), names[i % names.len()], 1_000 + i as i64))
        .collect();
    let runs = 5;
    let start = std::time::Instant::now();
    let mut size = 0;
    for _ in 0..runs {
        let e = export(&config(), monday(), 1, &payments).unwrap();
        assert_eq!(e.accepted.len(), 10_000);
        size = e.bytes.len();
    }
    let write = start.elapsed() / runs;
    let bytes = export(&config(), monday(), 1, &payments).unwrap().bytes;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        assert_eq!(zengin::read_file(&bytes).unwrap().records.len(), 10_000);
    }
    let read = start.elapsed() / runs;
    println!(
        "export (checks + kana + write) of 10,000 payments: {:.1} ms, {:.0} payments/s; \
         read+verify: {:.1} ms, {:.0} payments/s; file size {size} bytes (CRLF)",
        write.as_secs_f64() * 1e3,
        10_000.0 / write.as_secs_f64(),
        read.as_secs_f64() * 1e3,
        10_000.0 / read.as_secs_f64(),
    );
    assert_eq!(size, (10_000 + 3) * 122);
}

/// RULES.md §2, a stipend month is due once the 振込指定日 falls in it or later (`due`).
#[test]
fn a_stipend_month_is_due_from_its_first_day_on() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    for (month, date, want) in [
        ("2027-03", d(2027, 3, 1), true),   // its first day
        ("2027-03", d(2027, 2, 26), false), // the last business day before it
        ("2027-02", d(2027, 3, 1), true),   // a month an earlier export missed
        ("2026-12", d(2027, 1, 4), true),   // across the year
        ("2027-01", d(2026, 12, 28), false),
        ("2027-3", d(2027, 3, 1), false), // not YYYY-MM: never due, never paid
    ] {
        assert_eq!(super::due(month, date), want, "{month} on {date}");
    }
}
