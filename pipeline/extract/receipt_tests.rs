//! Tests of the receipt reader ([`super`]): pages given as the words read, fields and items checked.

use crate::document::{receipt_fields as rf, BBox, Certainty, Check, Doubt, Value};
use crate::extract::layout::{lines_from_text, TextLine, Token};
use crate::extract::{Extractor, PageInput, WitnessOf, Witnessed};

/// Seed 7 sub031: a seal over the total's digits, read 「172デ 0.0||0円」 by the page's engine.
fn misread_total(witness: &str) -> PageInput {
    let text = [
        "領 収 証",
        "池田 麻衣 様",
        "ご入金額 : 172デ 0.0||0円",
        "入学料 10,000円",
        "受講費 52,000円",
        "パソコン購入費 110,000円",
    ];
    let lines = lines_from_text(&text.map(String::from));
    let total_line = lines[2].bbox;
    PageInput {
        number: 1,
        lines,
        marks: Default::default(),
        text_layer: false,
        witnesses: vec![Witnessed {
            bbox: total_line,
            text: witness.into(),
            of: WitnessOf::Total,
        }],
    }
}

fn total(p: &PageInput) -> (Value, Certainty, Vec<String>) {
    let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(p));
    let f = docs[0].field(rf::AMOUNT_TOTAL).expect("total").clone();
    let findings = docs[0].findings.iter().map(|f| f.code.clone()).collect();
    (f.value, f.certainty, findings)
}

/// A word as the page's engine read it: its text, x, y, width and height.
type Word = (&'static str, u32, u32, u32, u32);

/// A page of `read`'s lines, word by word, whose total the second engine read as `witness`
/// in `total_box`.
fn witnessed_page(read: &[&[Word]], total_box: BBox, witness: &str) -> PageInput {
    PageInput {
        witnesses: vec![Witnessed {
            bbox: total_box,
            text: witness.into(),
            of: WitnessOf::Total,
        }],
        ..read_page(read)
    }
}

/// A page of `read`'s lines, word by word, as the page's engine read them (nothing witnessed).
fn read_page(read: &[&[Word]]) -> PageInput {
    let lines = read
        .iter()
        .map(|words| {
            TextLine::from_tokens(
                words
                    .iter()
                    .map(|&(t, x, y, w, h)| Token::read_at(t, x, y, w, h))
                    .collect(),
            )
        })
        .collect();
    PageInput {
        number: 1,
        lines,
        ..PageInput::default()
    }
}

#[test]
fn a_breakdowns_heading_takes_no_amount_as_the_total() {
    // Seed 11 sub018 sent by fax: a credit contract whose total, 「¥1,410,000-」, was misread
    // 「¥1410009-」 (its yen sign a backslash); the heading 「契約額の内訳」 under it took the
    // 「630,000円」 below it as the total, 入校料 the next line's, and the second engine read
    // 630,000 in the 'total's' box: paid on 630,000 surely. The total misread does not sum.
    // The page's lines as read (`TOKS=1 cargo run --example lines`), word by word.
    let read: &[&[Word]] = &[
        &[
            ("ジッ", 604, 239, 109, 47),
            ("ト", 750, 233, 30, 46),
            ("契", 810, 227, 45, 52),
            ("約", 882, 223, 38, 52),
            ("証明", 953, 217, 102, 55),
            ("書", 1075, 212, 48, 53),
        ],
        &[("クレ", 470, 246, 112, 48)],
        &[
            ("清水", 558, 400, 103, 34),
            ("彩", 646, 386, 28, 65),
            ("殿", 698, 397, 30, 31),
        ],
        &[
            ("契約", 212, 565, 93, 33),
            ("日", 284, 560, 22, 51),
            ("日", 791, 575, 24, 3),
            ("_", 867, 571, 9, 3),
        ],
        &[
            ("会", 380, 631, 30, 30),
            ("社", 421, 629, 23, 31),
            ("株", 573, 621, 28, 41),
            ("式", 612, 617, 46, 43),
            ("会", 668, 616, 31, 40),
            ("社", 701, 617, 30, 39),
            ("み", 735, 614, 28, 40),
            ("な", 769, 613, 23, 39),
            ("と", 802, 613, 17, 37),
            ("ファ", 836, 607, 45, 41),
            ("イナ", 887, 606, 51, 40),
            ("ンス", 941, 604, 73, 38),
        ],
        &[
            ("クレ", 218, 641, 59, 28),
            ("ジッ", 283, 638, 53, 27),
            ("ト", 356, 635, 17, 27),
        ],
        &[
            ("クレ", 222, 713, 59, 28),
            ("ジッ", 287, 710, 53, 28),
            ("ト", 360, 707, 17, 27),
            ("契", 384, 703, 31, 31),
            ("約", 425, 702, 22, 30),
            ("額", 461, 700, 20, 30),
            ("\\1410009-", 578, 688, 208, 46),
        ],
        &[
            ("契約", 224, 792, 195, 39),
            ("額", 310, 788, 36, 52),
            ("の", 345, 788, 18, 52),
            ("内", 362, 788, 36, 52),
            ("訳", 397, 788, 27, 52),
        ],
        &[("入校", 606, 841, 95, 35), ("料", 682, 837, 22, 51)],
        &[("630,000", 1274, 871, 117, 33), ("円", 1395, 869, 28, 29)],
        &[
            ("授業", 608, 905, 97, 35),
            ("料", 694, 893, 23, 54),
            ("(1", 730, 902, 25, 31),
            ("年", 758, 897, 75, 34),
            ("次", 806, 893, 19, 54),
            (")", 824, 893, 10, 54),
        ],
        &[("630,000", 1278, 934, 116, 34), ("円", 1400, 931, 26, 30)],
        &[
            ("授業", 612, 967, 96, 35),
            ("料", 698, 956, 23, 54),
            ("(2", 731, 965, 28, 31),
            ("年", 770, 964, 33, 30),
            ("次", 810, 962, 14, 30),
            (")", 827, 960, 9, 31),
        ],
    ];
    let total_box = BBox {
        x: 1274,
        y: 869,
        w: 149,
        h: 35,
    };
    let page = witnessed_page(read, total_box, "630,000円");
    let (value, certainty, findings) = total(&page);
    assert_eq!(value, Value::Yen(1_410_009));
    assert_eq!(
        certainty,
        Certainty::Doubtful(Doubt::DoesNotSum),
        "{findings:?}"
    );
}

#[test]
fn a_larger_total_on_the_page_than_the_breakdowns_leaves_it_doubtful() {
    // Seed 11 sub059 sent by fax, a till roll: 「領収額 ¥1,880,000」 read 「\\1.880.000」
    // (its yen sign a backslash), the second year's line split in two and its 「¥890,000」
    // standing alone, taken for a total the first year's line (890,000) summed to, and
    // witnessed in its box.
    let read: &[&[Word]] = &[
        &[
            ("領", 200, 264, 31, 31),
            ("収", 288, 263, 15, 30),
            ("書", 346, 260, 29, 32),
        ],
        &[
            ("宛名", 16, 373, 180, 27),
            ("楊", 78, 369, 25, 40),
            ("本", 102, 369, 27, 40),
            ("綾香", 128, 373, 48, 27),
            ("雪", 175, 369, 24, 40),
        ],
        &[("\\100.600", 472, 461, 97, 21)],
        &[
            ("入", 36, 475, 21, 21),
            ("入", 59, 473, 22, 21),
            ("料", 82, 473, 21, 21),
        ],
        &[
            ("授業", 37, 528, 68, 24),
            ("料", 93, 512, 20, 56),
            ("(年", 121, 526, 76, 22),
            ("次", 177, 512, 16, 56),
            (")", 191, 512, 12, 56),
            ("890,000円", 474, 511, 96, 36),
        ],
        &[
            ("G", 128, 581, 15, 22),
            ("年", 151, 581, 24, 21),
            ("次", 179, 581, 11, 21),
            (")", 194, 581, 5, 21),
            ("\\890.000", 475, 571, 97, 21),
        ],
        &[("授業", 38, 583, 69, 23), ("料", 97, 577, 23, 38)],
        &[
            ("領収", 24, 651, 103, 35),
            ("額", 108, 647, 23, 53),
            ("\\1.880.000", 402, 641, 171, 36),
        ],
        &[
            ("W3.890.", 460, 701, 115, 25),
            ("ロ", 543, 697, 10, 35),
            ("00", 552, 697, 27, 35),
        ],
        &[("お", 28, 717, 19, 19), ("預り", 54, 715, 37, 21)],
        &[("WIO0.00O", 493, 737, 84, 23)],
        &[("お", 28, 753, 19, 19), ("釣り", 54, 751, 39, 21)],
    ];
    let total_box = BBox {
        x: 475,
        y: 571,
        w: 97,
        h: 21,
    };
    let page = witnessed_page(read, total_box, "¥890,000");
    let (_, certainty, findings) = total(&page);
    assert_eq!(certainty, Certainty::Doubtful(Doubt::DoesNotSum));
    assert!(
        findings.contains(&"items_do_not_sum".to_string()),
        "{findings:?}"
    );
}

#[test]
fn a_lines_amount_the_second_engine_read_again_is_no_total() {
    // A one-line breakdown's amount witnessed where a total was looked for: the line's
    // amount read twice is no total the breakdown sums to.
    let text = [
        "領 収 書",
        "清水 彩 様",
        "合計 ¥1410009-",
        "入校料 630,000円",
    ];
    let lines = lines_from_text(&text.map(String::from));
    let unwitnessed = PageInput {
        number: 1,
        lines,
        ..PageInput::default()
    };
    let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(&unwitnessed));
    let item = docs[0].items.first().expect("the breakdown's line");
    let page = PageInput {
        witnesses: vec![Witnessed {
            bbox: item.bbox.expect("its box"),
            text: "630,000円".into(),
            of: WitnessOf::Total,
        }],
        ..unwitnessed
    };
    let (value, certainty, _) = total(&page);
    assert_eq!(value, Value::Yen(1_410_009));
    assert_eq!(certainty, Certainty::Doubtful(Doubt::DoesNotSum));
}

#[test]
fn a_misread_total_the_second_engine_reads_as_the_breakdowns_sum_is_that_sum_surely() {
    let (value, certainty, findings) = total(&misread_total("172,000円"));
    assert_eq!(value, Value::Yen(172_000));
    assert_eq!(certainty, Certainty::Sure(Check::Breakdown));
    assert!(
        findings.contains(&"total_read_again".to_string()),
        "{findings:?}"
    );
    // The second engine reading yet another amount settles nothing: the total stays doubtful.
    let (_, certainty, _) = total(&misread_total("178,000円"));
    assert_eq!(certainty, Certainty::Doubtful(Doubt::DoesNotSum));
}

/// A total under a seal: the page's engine read it (and the breakdown sums to it), the second
/// engine read nothing in its box; each line's amount witnessed as `lines` says.
fn sealed_total(lines: [&str; 2]) -> PageInput {
    let text = [
        "領 収 証",
        "池田 麻衣 様",
        "合計 87,000円",
        "入校料 10,000円",
        "受講料 77,000円",
    ];
    let read = lines_from_text(&text.map(String::from));
    let mut witnesses = vec![Witnessed {
        bbox: read[2].bbox,
        text: "afi) iin".into(),
        of: WitnessOf::Total,
    }];
    let extractor = Extractor::default();
    let unwitnessed = PageInput {
        number: 1,
        lines: read.clone(),
        ..PageInput::default()
    };
    let docs = extractor.extract("r.jpg", std::slice::from_ref(&unwitnessed));
    for (item, text) in docs[0].items.iter().zip(lines) {
        witnesses.push(Witnessed {
            bbox: item.bbox.expect("an item's box"),
            text: text.into(),
            of: WitnessOf::Item,
        });
    }
    PageInput {
        number: 1,
        lines: read,
        witnesses,
        ..PageInput::default()
    }
}

#[test]
fn a_total_the_second_engine_cannot_read_is_sure_when_it_read_every_line_alike() {
    let (value, certainty, _) = total(&sealed_total(["10,000円", "77,000円"]));
    assert_eq!(value, Value::Yen(87_000));
    assert_eq!(certainty, Certainty::Sure(Check::Breakdown));
    // One line read otherwise by the second engine: the total stays as the first engine read
    // it, confirmed by nothing.
    let (_, certainty, _) = total(&sealed_total(["10,000円", "77,900円"]));
    assert_eq!(certainty, Certainty::Read);
    // A line the second engine read nothing in.
    let (_, certainty, _) = total(&sealed_total(["10,000円", ""]));
    assert_eq!(certainty, Certainty::Read);
}

#[test]
fn a_tills_tendered_amount_and_change_are_neither_the_total_nor_a_line() {
    // Seed 13 sub014 as PP-OCRv6 splits a till roll: each amount on a line of its own.
    let text = [
        "領 収 書",
        "木村 理恵 殿",
        "講習料(第2回)",
        "          ¥77,000",
        "税込合計 ¥77,000",
        "お預り",
        "          ¥80,000",
        "お釣り",
        "          ¥3,000",
        "受講料として介護福祉士実務者研修",
    ];
    let page = PageInput {
        number: 1,
        lines: lines_from_text(&text.map(String::from)),
        ..PageInput::default()
    };
    let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(&page));
    assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(77_000));
    let items: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
    assert_eq!(items, [77_000]);
}

#[test]
fn an_amount_standing_alone_is_the_nearest_labels_not_the_line_above_its() {
    // Seed 71 sub016, a fax: amounts raised over their dot leaders, each read as a line.
    let page = read_page(&[
        &[("領収書", 147, 185, 200, 72)],
        &[
            ("お名前", 154, 315, 100, 39),
            ("中村 大輔 様", 300, 315, 300, 39),
        ],
        &[
            ("受講講座", 157, 475, 160, 40),
            ("保育士資格取得講座", 340, 475, 400, 40),
        ],
        &[("15,000円", 1026, 534, 150, 34)],
        &[("入学料", 222, 555, 100, 33)],
        &[("76,000円", 1025, 605, 150, 33)],
        &[("受講費", 224, 610, 100, 34)],
        &[("11,000円", 1030, 676, 150, 33)],
        &[("補講費", 225, 697, 100, 34)],
        &[
            ("領収金額", 224, 733, 150, 49),
            ("金102,000円也", 910, 733, 258, 49),
        ],
    ]);
    let docs = Extractor::default().extract("r.tif", std::slice::from_ref(&page));
    let items: Vec<(String, i64)> = docs[0]
        .items
        .iter()
        .map(|i| (i.label.clone(), i.amount))
        .collect();
    assert_eq!(
        items,
        [
            ("入学料".to_string(), 15_000),
            ("受講費".to_string(), 76_000),
            ("補講費".to_string(), 11_000)
        ]
    );
}

#[test]
fn amounts_printed_lower_than_their_labels_stay_with_them() {
    // Seed 31 sub051, a fax as read: each amount half a line under its label, 50,000 nearer
    // 「授業料」 than 「入校料」.
    let page = read_page(&[
        &[("領収書", 812, 183, 200, 53)],
        &[("入校料", 322, 751, 83, 29)],
        &[("50,000円", 1000, 783, 116, 41)],
        &[("授業料(1年次)", 322, 801, 200, 26)],
        &[("720,000円", 983, 840, 131, 27)],
    ]);
    let docs = Extractor::default().extract("r.tif", std::slice::from_ref(&page));
    let items: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
    assert_eq!(items, [50_000, 720_000]);
}

#[test]
fn a_tills_tendered_amount_whose_o_was_lost_is_no_larger_total() {
    // Seed 17 sub032, a photographed till roll as read.
    let text = [
        "領 収 書",
        "受講者名 池田 達也 殿",
        "入学金 ¥30.000",
        "受講費 ¥142.000",
        "お支払金額 ¥172,.000",
        "預り ¥180.000",
        "お釣り ¥8.000",
    ];
    let page = PageInput {
        number: 1,
        lines: lines_from_text(&text.map(String::from)),
        ..PageInput::default()
    };
    let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(&page));
    let total = docs[0].field(rf::AMOUNT_TOTAL).expect("a total");
    assert_eq!(total.value, Value::Yen(172_000));
    assert_ne!(total.certainty, Certainty::Doubtful(Doubt::DoesNotSum));
    assert!(!docs[0]
        .findings
        .iter()
        .any(|f| f.code == "items_do_not_sum"));
    // A deposit in a breakdown is no tendered amount.
    assert!(!super::tendered_or_change("預り金 ¥10,000"));
    assert!(super::tendered_or_change("預り ¥180,000"));
}

#[test]
fn an_address_is_no_amount_and_a_close_second_column_keeps_its_label() {
    // Seed 13 sub055 as PP-OCRv6 reads it: the issuer's name (「パソコン」 in it) over its
    // address, and a two-column breakdown whose second label carries a figure.
    let text = [
        "領 収 証",
        "青木 香織 殿     青葉パソコン教室八王子校",
        "                 群馬県高崎市3丁目19番1号",
        "合計    金79,860円也",
        "入学金    18,100円 消費税（10%）    7,260円",
        "授業料    54,500円",
    ];
    let page = PageInput {
        number: 1,
        lines: lines_from_text(&text.map(String::from)),
        ..PageInput::default()
    };
    let docs = Extractor::default().extract("r.png", std::slice::from_ref(&page));
    let items: Vec<(String, i64)> = docs[0]
        .items
        .iter()
        .map(|i| (i.label.clone(), i.amount))
        .collect();
    assert_eq!(
        items,
        [
            ("入学金".to_string(), 18_100),
            ("消費税(10%)".to_string(), 7_260),
            ("授業料".to_string(), 54_500)
        ]
    );
    assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(79_860));
    assert!(!docs[0]
        .findings
        .iter()
        .any(|f| f.code == "items_do_not_sum"));
}

#[test]
fn a_postal_code_printed_without_its_mark_is_no_amount() {
    // A receipt whose issuer's address has no 〒 before its postal code (or the engine lost it):
    // its last four digits were paired with the issuer's name above as a breakdown line of 5,468.
    let text = [
        "領 収 書",
        "宛名 山本 優子 様",
        "入学料 110,000円",
        "授業料(1年次) 800,000円",
        "お支払金額 910,000円",
        "                 青葉パソコン教室 高崎校",
        "                 319-5468 埼玉県さいたま市浦和区1丁目16番12号",
    ];
    let page = PageInput {
        number: 1,
        lines: lines_from_text(&text.map(String::from)),
        ..PageInput::default()
    };
    let docs = Extractor::default().extract("r.png", std::slice::from_ref(&page));
    let amounts: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
    assert_eq!(amounts, [110_000, 800_000]);
    assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(910_000));
    assert!(super::read::looks_like_date_or_phone("319-5468"));
    assert!(!super::read::looks_like_date_or_phone("¥1,319,546"));
}

#[test]
fn the_payers_line_takes_no_amount_and_a_line_amount_is_no_total() {
    // Seed 11 sub036 as Tesseract read a till roll's photo: the fee labels lost, the amounts
    // standing alone. 「受講生氏名」 holds 「受講」, a fee's word.
    let text = [
        "領 収 書",
        "受講生氏名田中花子様",
        "                 ¥182.000",
        "                  ¥9.200",
        "                 ¥191,200",
        "但し Web デザイナー養成 講座 講座費用 一式として",
    ];
    let page = PageInput {
        number: 1,
        lines: lines_from_text(&text.map(String::from)),
        ..PageInput::default()
    };
    let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(&page));
    assert!(docs[0].items.is_empty(), "{:?}", docs[0].items);
    let total = docs[0].field(rf::AMOUNT_TOTAL).expect("a total");
    assert!(
        !matches!(total.certainty, Certainty::Sure(_)),
        "{:?}",
        total
    );

    // A fee's label over its amount alone, and no total's label: the amount is the line's,
    // and the total is not read (the line's amount does not confirm itself).
    let text = [
        "領 収 書",
        "山田 花子 様",
        "受講料",
        "                 ¥77,000",
    ];
    let page = PageInput {
        number: 1,
        lines: lines_from_text(&text.map(String::from)),
        ..PageInput::default()
    };
    let docs = Extractor::default().extract("r.jpg", std::slice::from_ref(&page));
    let items: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
    assert_eq!(items, [77_000]);
    let total = docs[0].field(rf::AMOUNT_TOTAL).expect("the sum stands in");
    assert_eq!(total.certainty, Certainty::Doubtful(Doubt::Inferred));
}

#[test]
fn an_amount_whose_yen_sign_is_misread_as_a_kanji_is_still_read_whole() {
    // Seed 7 sub019, a faxed credit contract: 「金690,000円也」 read 「金690,」「000月也」.
    let text = [
        "ク レ ジ ッ ト 契 約 証 明 書",
        "岡川 美穂 様",
        "クレジット契約額    金690, 000月也",
        "                 授業料(3年次) 690,000",
    ];
    let page = PageInput {
        number: 1,
        lines: lines_from_text(&text.map(String::from)),
        ..PageInput::default()
    };
    let docs = Extractor::default().extract("r.png", std::slice::from_ref(&page));
    assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(690_000));
    assert!(!docs[0].findings.iter().any(|f| f.code == "total_not_found"));
}

#[test]
fn a_dates_year_read_apart_from_its_month_is_no_line_of_the_breakdown() {
    // Seed 73 sub058: the name and the date of issue on one line, the year a word of its own;
    // 「受講者名」 holds 「受講」, a fee's word, and 「2025年」 was taken for its amount.
    let text = [
        "領 収 書",
        "受講者名 山崎舞 殿 発行年月日 2025年 12月13日",
        "合計 20,002円",
        "内訳 金額",
        "講習料 20,002",
        "合計 20,002",
    ];
    let page = PageInput {
        number: 1,
        lines: lines_from_text(&text.map(String::from)),
        ..PageInput::default()
    };
    let docs = Extractor::default().extract("r.png", std::slice::from_ref(&page));
    let amounts: Vec<i64> = docs[0].items.iter().map(|i| i.amount).collect();
    assert_eq!(amounts, [20_002]);
    assert_eq!(docs[0].yen(rf::AMOUNT_TOTAL), Some(20_002));
    assert!(super::read::looks_like_date_or_phone("2025年"));
    assert!(!super::read::looks_like_date_or_phone("20,002円"));
}
