//! Tests of the strike finder (`strikes.rs`) on drawn strokes and on crops of pages as kyufu read them.

use super::*;
use imageproc::drawing::draw_filled_rect_mut;
use imageproc::rect::Rect;

use crate::extract::layout::{lines_from_tokens, Token};

/// Six lines of print `print` high read at 0.9, 200 px wide from `x`, the first at `top`, one every
/// `pitch` rows: the page's body, which sets its print height.
fn body_lines(x: u32, top: u32, pitch: u32, print: u32) -> Vec<TextLine> {
    lines_from_tokens(
        (0..6)
            .map(|i| token("令和", x, top + pitch * i, 200, print))
            .collect(),
    )
}

/// A word read at 0.9 in `(x, y, w, h)`.
fn token(text: &str, x: u32, y: u32, w: u32, h: u32) -> Token {
    Token::read_at(text, x, y, w, h)
}

#[test]
fn a_line_through_digits_is_a_strike_and_a_table_rule_is_not() {
    let mut img = GrayImage::from_pixel(1000, 400, image::Luma([255]));
    // "Digits": vertical strokes 40 px tall, every 20 px, from x=100 to 300, y 100..140.
    for x in (100..300).step_by(20) {
        draw_filled_rect_mut(&mut img, Rect::at(x, 100).of_size(4, 40), image::Luma([0]));
    }
    // Strike through their middle.
    draw_filled_rect_mut(
        &mut img,
        Rect::at(95, 119).of_size(215, 3),
        image::Luma([0]),
    );
    // A table rule with nothing around it.
    draw_filled_rect_mut(
        &mut img,
        Rect::at(50, 300).of_size(900, 2),
        image::Luma([0]),
    );
    let line = |y: u32| lines_from_tokens(vec![token("11,000", 100, y, 204, 40)]);
    let mut lines = line(100);
    lines.extend(line(280));
    let strikes = find_strikes(&img, &lines);
    assert_eq!(strikes.len(), 1, "{strikes:?}");
    assert!(strikes[0].y <= 119 && strikes[0].bottom() >= 121);

    // The struck value was not read at all: only its label, far left, is a line. The strike
    // right of it is still found (「教科書代 ……… 11,700円」 with the amount struck).
    let label = lines_from_tokens(vec![token("教科書代", 0, 100, 60, 40)]);
    let strikes = find_strikes(&img, &label);
    assert_eq!(strikes.len(), 1, "{strikes:?}");
}

#[test]
fn a_dark_line_through_light_print_is_a_strike_and_a_rule_between_rows_is_not() {
    // Thin print scanned mid-gray (140) all along its strokes, as a light Mincho's digits are
    // (seed 3 sub039), struck by a dark double line: the strokes above and below are ink.
    let mut img = GrayImage::from_pixel(1000, 400, image::Luma([245]));
    let (light, dark) = (image::Luma([140]), image::Luma([30]));
    for x in (100..300).step_by(20) {
        draw_filled_rect_mut(&mut img, Rect::at(x, 100).of_size(4, 30), light);
    }
    for y in [112, 118] {
        draw_filled_rect_mut(&mut img, Rect::at(95, y).of_size(215, 2), dark);
    }
    // Rows of the same light print above and below a dark rule, clear of it by a third of
    // a character and more (as a table's rows are).
    for (x, y) in (100..300).step_by(20).flat_map(|x| [(x, 200), (x, 250)]) {
        draw_filled_rect_mut(&mut img, Rect::at(x, y).of_size(4, 30), light);
    }
    draw_filled_rect_mut(&mut img, Rect::at(50, 240).of_size(900, 2), dark);
    // A box's thick rule (4 px, blurred to mid-gray a pixel either side) with light print
    // starting just under it (seed 3 sub055's framed total above its 但し line).
    draw_filled_rect_mut(&mut img, Rect::at(50, 320).of_size(900, 6), light);
    draw_filled_rect_mut(&mut img, Rect::at(50, 321).of_size(900, 4), dark);
    for x in (100..300).step_by(20) {
        draw_filled_rect_mut(&mut img, Rect::at(x, 329).of_size(4, 30), light);
    }
    let strikes = strikes_in(
        &img,
        BBox {
            x: 0,
            y: 0,
            w: 1000,
            h: 400,
        },
        30,
    );
    assert_eq!(strikes.len(), 1, "{strikes:?}");
    assert!(strikes[0].y <= 112 && strikes[0].bottom() >= 120);

    // A column rule's crossing read as a word 3 px high (「還」 on seed 7 sub025's ruled
    // certificate) is no line of print to look along: the rule's own ink above and below
    // would make a strike of its width.
    draw_filled_rect_mut(&mut img, Rect::at(600, 20).of_size(8, 360), dark);
    let speck = lines_from_tokens(vec![Token {
        text: "還".into(),
        confidence: 0.0,
        agreed: false,
        bbox: BBox {
            x: 598,
            y: 200,
            w: 12,
            h: 3,
        },
    }]);
    assert_eq!(find_strikes(&img, &speck), vec![]);
}

#[test]
fn a_large_titles_stroke_is_no_strike_and_a_line_through_small_print_beside_it_is() {
    // 「領収書」 96 px tall read into one line with the date beside it in 32 px print (seed 1
    // sub004): the line's character height is the date's, and 書's long middle stroke is
    // over two of its characters long, with the glyph's ink above and below it.
    let font = crate::ocr::testpage::font();
    let mut img = GrayImage::from_pixel(1200, 300, image::Luma([255]));
    let title = crate::ocr::testpage::draw(&mut img, &font, "領収書", 100.0, 60.0, 96.0);
    let date = crate::ocr::testpage::draw(&mut img, &font, "令和8年 3月10日", 500.0, 80.0, 32.0);
    let span = |text: &str, b: &crate::ocr::testpage::Span| token(text, b.x, b.y, b.w, b.h);
    let line = || {
        lines_from_tokens(vec![
            span("領収書", &title[0]),
            span("令和8年", &date[0]),
            span("3月10日", &date[1]),
        ])
    };
    assert_eq!(line().len(), 1, "one line, as it was read: {:?}", line());
    assert_eq!(find_strikes(&img, &line()), vec![], "no strike in 書");

    // A pen's line through 「3月10日」: a strike, over the date and not the title.
    let d = &date[1];
    draw_filled_rect_mut(
        &mut img,
        Rect::at(d.x as i32 - 4, (d.y + d.h / 2) as i32).of_size(d.w + 8, 3),
        image::Luma([0]),
    );
    let strikes = find_strikes(&img, &line());
    assert_eq!(strikes.len(), 1, "{strikes:?}");
    assert!(
        strikes[0].x + 8 >= d.x && strikes[0].right() <= d.x + d.w + 8,
        "{strikes:?} over {d:?}"
    );
}

#[test]
fn the_cross_stroke_of_a_kanji_read_as_small_glyph_pieces_is_no_strike() {
    // 「遠藤 誠一」 beside a seal read as 「ヽ 主 二 ミ」, a line 14 px high on a page whose
    // print is 50 px: the 艹 of 藤 is a 48 px stroke across two uprights, over three of
    // those "characters" long (seed 17 sub021).
    let mut img = GrayImage::from_pixel(1000, 600, image::Luma([255]));
    let black = image::Luma([0]);
    draw_filled_rect_mut(&mut img, Rect::at(402, 317).of_size(48, 3), black);
    for x in [415, 431] {
        draw_filled_rect_mut(&mut img, Rect::at(x, 312).of_size(4, 12), black);
    }
    let word = |text: &str, x: u32, y: u32, h: u32| token(text, x, y, 150, h);
    let page = vec![
        word("修了証明書", 100, 50, 50),
        word("令和8年3月", 100, 150, 50),
        word("株式会社", 100, 450, 50),
    ];
    let mut lines = lines_from_tokens(page.clone());
    lines.extend(lines_from_tokens(vec![word("ヽ主二ミ", 360, 311, 14)]));
    assert_eq!(find_strikes(&img, &lines), vec![]);

    // The same stroke through the same uprights on a page whose print is that small is one.
    let small: Vec<Token> = page
        .into_iter()
        .map(|t| Token {
            bbox: BBox { h: 14, ..t.bbox },
            ..t
        })
        .collect();
    let mut lines = lines_from_tokens(small);
    lines.extend(lines_from_tokens(vec![word("ヽ主二ミ", 360, 311, 14)]));
    assert_eq!(find_strikes(&img, &lines).len(), 1);
}

#[test]
fn a_struck_value_read_as_one_tall_word_with_the_value_above_it_is_looked_along() {
    // Seed 19 sub056: 「修了認定日」 (26 px) and 「令和7年2月15日」 read as one word 40 px tall
    // with 「令和7年2月9日」 written above it, struck; the page's print is 25 px.
    let mut img = GrayImage::from_pixel(1000, 600, image::Luma([255]));
    let black = image::Luma([0]);
    // "Glyphs" of the struck value, 20 px tall, and the strike through their middle.
    for x in (600..800).step_by(20) {
        draw_filled_rect_mut(&mut img, Rect::at(x, 305).of_size(4, 20), black);
    }
    draw_filled_rect_mut(&mut img, Rect::at(595, 314).of_size(210, 3), black);
    let word = |x: u32, y: u32, w: u32, h: u32| token("令和", x, y, w, h);
    let mut lines = lines_from_tokens((0..6).map(|i| word(100, 40 + 40 * i, 200, 25)).collect());
    lines.push(TextLine::from_tokens(vec![
        word(300, 300, 130, 26),
        word(600, 288, 200, 40),
    ]));
    let strikes = find_strikes(&img, &lines);
    assert_eq!(strikes.len(), 1, "{strikes:?}");
    assert!(
        strikes[0].y <= 314 && strikes[0].bottom() >= 317,
        "{strikes:?}"
    );

    // The struck word alone, its box reaching 23 px below its print (read as 「信秀F人月和
    // 垢:」 43 px high): the band is the print's middle, not the box's.
    lines.pop();
    lines.push(TextLine::from_tokens(vec![word(600, 305, 200, 43)]));
    let strikes = find_strikes(&img, &lines);
    assert_eq!(strikes.len(), 1, "{strikes:?}");
}

#[test]
fn a_double_strike_below_its_lines_box_is_found_and_a_photos_dark_margin_is_none() {
    // Seed 31 sub007: 「¥100,000」 (rows 305–334) struck twice, at rows 316 and 323, with
    // 「¥101,000」 written above it (rows 275–295); the line's box sits between, 294–324, so
    // both strokes lie below the middle of the box.
    let mut img = GrayImage::from_pixel(1000, 600, image::Luma([255]));
    let black = image::Luma([0]);
    for x in (600..800).step_by(20) {
        draw_filled_rect_mut(&mut img, Rect::at(x, 305).of_size(4, 30), black);
        draw_filled_rect_mut(&mut img, Rect::at(x + 4, 275).of_size(4, 21), black);
    }
    for y in [316, 323] {
        draw_filled_rect_mut(&mut img, Rect::at(590, y).of_size(220, 2), black);
    }
    let mut lines: Vec<TextLine> = body_lines(100, 40, 40, 30);
    lines.push(TextLine::from_tokens(vec![
        token("総額", 200, 294, 60, 31),
        token("¥キ66.666-", 600, 294, 200, 31),
    ]));
    let strikes = find_strikes(&img, &lines);
    assert_eq!(strikes.len(), 1, "{strikes:?}");
    assert!(
        strikes[0].y <= 316 && strikes[0].bottom() >= 325,
        "{strikes:?}"
    );

    // A photo's dark margin along the top of the image (prepared as kyufu reads it: the
    // deskew left a white wedge above it), with noise read as a word in it (「eo」 across to
    // the image's edge): no pen's line, however dark and long.
    let margin = crate::ink::fixture("photo-dark-margin.png");
    let mut img = GrayImage::from_pixel(1621, 600, image::Luma([255]));
    image::imageops::replace(&mut img, &margin, 0, 0);
    let noise = TextLine::from_tokens(vec![token("eo", 798, 0, 823, 34)]);
    let mut lines: Vec<TextLine> = body_lines(300, 200, 40, 31);
    lines.push(noise);
    assert_eq!(find_strikes(&img, &lines), vec![]);
}

/// A fixture made from a generated page as kyufu looks for strikes on it, set on a white page
/// at `(x, y)`, with lines of print elsewhere on the page so that its print height is the
/// page's (`print` px).
fn on_page(fixture: &str, x: u32, y: u32, print: u32) -> (GrayImage, Vec<TextLine>) {
    let crop = crate::ink::fixture(fixture);
    let mut img = GrayImage::from_pixel(
        x + crop.width() + 100,
        y + crop.height() + 400,
        image::Luma([250]),
    );
    image::imageops::replace(&mut img, &crop, x.into(), y.into());
    let below = y + crop.height() + 40;
    let lines = body_lines(20, below, print + 12, print);
    (img, lines)
}

#[test]
fn a_double_strike_through_small_digits_in_a_photo_is_found_by_the_glyphs_between_its_strokes() {
    // Seed 67 sub021: 「教材費 6,000 11,000」 with 11,000 struck twice and no 訂正印, in 15 px
    // digits on a phone photo: above the upper stroke and below the lower the digits reach
    // four rows, and the upper stroke is gray between them. Read surely uncorrected, it was
    // paid.
    let (img, mut lines) = on_page("strike-double-photo.png", 200, 440, 19);
    lines.extend(lines_from_tokens(vec![
        token("講習料 170,000", 242, 496, 618, 19),
        token("教材費 6,000", 241, 535, 614, 34),
        token("合計 181,000", 240, 578, 618, 19),
    ]));
    let strikes = find_strikes(&img, &lines);
    assert_eq!(strikes.len(), 1, "{strikes:?}");
    let s = strikes[0];
    assert!(
        (770..=785).contains(&s.x) && s.right() >= 845 && s.y < 545 && s.bottom() > 551,
        "over 「11,000」 (x 776–852, strokes on rows 545 and 551): {s:?}"
    );
}

#[test]
fn a_gray_stamps_frame_across_a_line_of_print_is_no_strike() {
    // Seed 67 sub031: a gray 角印's lower frame, a band of gray ten rows high, across the
    // issuer's address; dark only where the glyphs cross it. No pen's line.
    let (img, mut lines) = on_page("stamp-frame-over-address.png", 1400, 890, 30);
    lines.extend(lines_from_tokens(vec![
        token("みなと高等専修学校", 1422, 908, 330, 32),
        token("千葉県船橋市5丁目8番12号", 1426, 979, 394, 26),
        token("TEL 024-000-5241", 1419, 1033, 240, 22),
    ]));
    assert_eq!(find_strikes(&img, &lines), vec![]);
}

#[test]
fn a_strike_under_a_row_read_with_the_value_written_above_it_is_no_titles_stroke() {
    // Seed 31 sub053: 「授業料 67,000円」 and the corrected 「6,300円」 written under it (above
    // the struck 「16,300円」) read as one line 131 px high, "large print" whose box reaches
    // down over the strike: its print is on the rows above the strike, which is found.
    let (img, mut lines) = on_page("strike-under-corrected-row.png", 150, 950, 41);
    lines.extend(lines_from_tokens(vec![
        token("入校料 5,000円", 223, 987, 400, 41),
        token("抹料 870DE", 223, 1042, 402, 131),
    ]));
    lines.push(TextLine::from_tokens(vec![token(
        "教材費 6S@8@",
        223,
        1140,
        388,
        61,
    )]));
    let strikes = find_strikes(&img, &lines);
    assert_eq!(strikes.len(), 1, "{strikes:?}");
    let s = strikes[0];
    assert!(
        s.y <= 1158 && s.bottom() >= 1171 && s.x < 420 && s.right() > 590,
        "over 「16,300円」 (x 398–609, strokes on rows 1158 and 1170): {s:?}"
    );
}

#[test]
fn a_struck_row_no_line_was_read_on_is_looked_along() {
    // Seed 83 sub047, a certificate (photographed; as on a scan): 「修了日 令和7年7月21日」
    // struck, no 訂正印, 「令和7年7月19日」 written above it. The struck row was not read at
    // all, so no line led to its strike, and the unsealed correction was paid.
    let (img, mut lines) = on_page("struck-row-unread-photo.png", 300, 900, 25);
    lines.extend(lines_from_tokens(vec![token(
        "令和7年7月19日",
        603,
        954,
        230,
        22,
    )]));
    let strikes = find_strikes_on_scan(&img, &lines);
    assert!(
        strikes
            .iter()
            .any(|s| s.x < 640 && s.right() > 760 && s.y < 995 && s.bottom() > 997),
        "the strike along 「令和7年7月21日」 (x 598–850, rows 994–997): {strikes:?}"
    );
    // As a photo, where it was: the row lies between lines read well.
    let along = |strikes: Vec<BBox>| {
        strikes
            .iter()
            .any(|s| s.x < 640 && s.right() > 760 && s.y < 995 && s.bottom() > 997)
    };
    assert!(along(find_strikes_on_photo(&img, &lines)));
    // With no line read well below it, the row may be the sheet's edge: not looked along.
    let above_only: Vec<TextLine> = lines.iter().filter(|l| l.bbox.y < 990).cloned().collect();
    assert!(!along(find_strikes_on_photo(&img, &above_only)));
}

#[test]
fn a_bar_of_a_title_glyph_read_as_one_small_word_is_no_strike() {
    // Seed 53 sub049, scanned: the title's 書 read as 「庄」, 31 px high, into one line with
    // 「No. 009953」 (23 px print); 書's 48 px bar lies in that print's middle band, inside
    // the one glyph's word. It was read as an unsealed correction — a wrong 補正依頼.
    let (img, mut lines) = on_page("title-glyph-beside-small-print.png", 150, 170, 23);
    lines.push(TextLine::from_tokens(vec![
        token("庄", 346, 215, 50, 31),
        token("No.", 1280, 207, 45, 23),
        token("009953", 1337, 207, 112, 23),
    ]));
    assert_eq!(find_strikes(&img, &lines), vec![]);
}

#[test]
fn a_struck_value_unread_left_of_a_word_read_on_its_row_is_looked_along() {
    // Seed 97 sub021, a phone photo: 「合 計 ¥131,000-」 struck in a framed total box, no
    // 訂正印, 「¥132,000-」 written over the frame's top rule. Only 「(税込)」 was read on the
    // struck row, right of the strike; the search along that line began a character left of
    // it, and the unsealed correction was paid.
    let (img, mut lines) = on_page("struck-total-in-frame-photo.png", 200, 380, 21);
    lines.extend(lines_from_tokens(vec![
        token("下記の通り。", 286, 405, 300, 19),
        token("(税込)", 738, 480, 62, 19),
    ]));
    let over_total = |s: &BBox| s.x < 600 && s.right() > 700 && s.y < 492 && s.bottom() > 492;
    let strikes = find_strikes_on_photo(&img, &lines);
    assert!(
        strikes.iter().any(over_total),
        "the strike along 「¥131,000-」 (x 567–715, rows 490–494): {strikes:?}"
    );
}

#[test]
fn a_glyph_piece_of_a_title_read_alone_is_no_line_to_look_along() {
    // Seed 97 sub050, scanned: the title 「修 了 証 書」 not read at first but for the 日 of
    // 書, read alone as 「!」 20 px high on a page of 30 px print; the bars of 日, as long as
    // two of its "characters", were a strike — a wrong 補正依頼.
    let (img, mut lines) = on_page("title-last-glyph-read-alone.png", 600, 320, 30);
    lines.extend(lines_from_tokens(vec![token("!", 909, 386, 42, 20)]));
    assert_eq!(find_strikes_on_scan(&img, &lines), vec![]);
    // Real print of that height, one glyph read alone beside a strike, is still looked along.
    let mut small = GrayImage::from_pixel(900, 700, image::Luma([250]));
    for i in 0..6 {
        let x = 200 + i * 30;
        draw_filled_rect_mut(
            &mut small,
            Rect::at(x, 300).of_size(20, 20),
            image::Luma([20]),
        );
        draw_filled_rect_mut(
            &mut small,
            Rect::at(x + 3, 303).of_size(14, 14),
            image::Luma([250]),
        );
    }
    draw_filled_rect_mut(
        &mut small,
        Rect::at(195, 309).of_size(190, 2),
        image::Luma([20]),
    );
    let mut lines = body_lines(20, 400, 42, 30);
    lines.extend(lines_from_tokens(vec![token("口", 200, 300, 20, 20)]));
    assert_eq!(find_strikes_on_scan(&small, &lines).len(), 1);
}

#[test]
fn the_shading_along_a_photographed_sheets_edge_is_no_strike() {
    // Seed 71 sub039, a phone photo as it is looked along: the deskew whitened the desk and
    // left the edge's shading, darkening from 243 to 100 over 24 rows down to the edge (the
    // column at x 570, rows 108–137, as measured). 「II」 was read there, and the shading's
    // darkest rows were a strike: a receipt with no correction sent to review.
    const EDGE: [u8; 30] = [
        243, 229, 218, 207, 197, 189, 177, 170, 163, 157, 151, 146, 141, 136, 132, 128, 124, 120,
        117, 113, 110, 107, 104, 106, 100, 101, 255, 101, 131, 231,
    ];
    let mut img = GrayImage::from_pixel(1000, 700, image::Luma([250]));
    for x in 0..1000u32 {
        for (y, v) in (108u32..).zip(EDGE) {
            img.put_pixel(x, y, image::Luma([v]));
        }
    }
    let mut lines = body_lines(20, 300, 42, 24);
    lines.extend(lines_from_tokens(vec![token("II", 440, 112, 255, 23)]));
    assert_eq!(find_strikes_on_photo(&img, &lines), vec![]);
}

#[test]
fn a_frames_corner_read_as_letters_is_no_line_to_look_along() {
    // Seed 73 sub041, a photographed certificate: the bottom-left corner of its double frame read
    // 「II」 (one box over the frame's corner and bottom border, at a score of 0), and the double
    // border below it a 'strike' — a certificate with no correction sent to review.
    let (img, mut lines) = on_page("frame-corner-read-as-letters-photo.png", 200, 380, 31);
    lines.extend(lines_from_tokens(vec![token("II", 217, 399, 700, 160)]));
    assert_eq!(find_strikes(&img, &lines), vec![]);
    assert_eq!(find_strikes_on_photo(&img, &lines), vec![]);
    // A line read as 「11」 there is still looked along: it may be a struck value.
    lines.pop();
    lines.extend(lines_from_tokens(vec![token("11", 217, 399, 700, 160)]));
    assert_ne!(find_strikes(&img, &lines), vec![]);
}
