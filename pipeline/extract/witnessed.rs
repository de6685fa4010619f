//! How the witness's readings bear on a receipt's money: a second engine read the total (or each
//! breakdown line) again in its box (`reading::witness`), and the total the breakdown sums to is
//! sure only where the two engines agree on it. Pure: compares texts already read, reads no image.
//! Called by the receipt reader ([`super::receipt`]).

use super::*;

/// How far a total the breakdown sums to may be relied on. The sum is a check on the page's engine
/// only where its misreads are independent; the same engine reads the same glyph of the same face
/// alike in the total and in a line (「8」 read 「6」 in both 73,800 and 6,800: seed 7 sub036 was
/// paid 29,400 for 29,520), and a single-line breakdown is the total read twice. So the total is
/// sure only when a second engine, read in its box ([`PageInput::witnesses`]), gave the same amount;
/// a different amount disputes it; nothing readable leaves it as read. A text layer needs no witness.
pub(super) fn witnessed(pages: &[&PageInput], span: &Span, amount: i64) -> Certainty {
    if pages.iter().all(|p| p.text_layer) {
        return Certainty::Sure(Check::Breakdown);
    }
    let Some(bbox) = span.bbox else {
        return span.certainty;
    };
    let seen = pages
        .iter()
        .flat_map(|p| &p.witnesses)
        .filter(|w| w.of == WitnessOf::Total)
        .find(|w| w.bbox.shared_area(&bbox) * 2 > bbox.w * bbox.h);
    let marked = money_mark_before_figures(&span.text);
    let readable = seen.filter(|w| !garbled(&w.text));
    match readable.and_then(|w| witness_yen_after_mark(&w.text, amount, marked)) {
        Some(v) if v == amount => Certainty::Sure(Check::Breakdown),
        // The witness read part of it (its crop cut a digit off, or a rule hid one): no vote.
        Some(v) if partial(v, amount) => span.certainty,
        Some(_) => Certainty::Doubtful(Doubt::Disputed),
        None => span.certainty,
    }
}

/// Where the second engine read `sum` on a line the page's engine did not read a total from
/// ([`PageInput::witnesses`] of total lines), if it did — not in the box of one of `items`: an
/// amount printed once is a line of the breakdown or the total, never both, and a one-line
/// breakdown's amount read again is that line's, not its total (seed 11 all faxes, sub018: a
/// credit contract's 「¥1,410,000-」 misread, and 「630,000円」 of one line, under 「入校料」 whose
/// own amount was lost, witnessed as a total: paid 378,000 yen for 800,000).
pub(super) fn witnessed_sum(pages: &[&PageInput], sum: i64, items: &[Item]) -> Option<BBox> {
    if sum <= 0 {
        return None;
    }
    let of_an_item = |b: &BBox| {
        items
            .iter()
            .filter_map(|i| i.bbox)
            .any(|i| i.shared_area(b) * 2 > b.w * b.h)
    };
    pages
        .iter()
        .flat_map(|p| &p.witnesses)
        .filter(|w| w.of == WitnessOf::Total && !of_an_item(&w.bbox))
        .find(|w| witness_yen(&w.text, sum) == Some(sum))
        .map(|w| w.bbox)
}

/// Whether the second engine read, in each breakdown line's box, exactly that line's amount
/// ([`WitnessOf::Item`]): every line then rests on two independent readings. Not on a text layer
/// (nothing to witness) nor on an empty breakdown.
pub(super) fn lines_witnessed(pages: &[&PageInput], items: &[Item]) -> bool {
    !items.is_empty()
        && items.iter().all(|item| {
            let Some(bbox) = item.bbox else {
                return false;
            };
            pages
                .iter()
                .flat_map(|p| &p.witnesses)
                .filter(|w| w.of == WitnessOf::Item)
                .filter(|w| w.bbox.shared_area(&bbox) * 2 > bbox.w * bbox.h)
                .any(|w| witness_yen(&w.text, item.amount) == Some(item.amount))
        })
}

/// Whether the page's engine read a money mark (「金」, 「¥」) just before the total's figures.
fn money_mark_before_figures(text: &str) -> bool {
    let t: Vec<char> = normalize::compact(text).chars().collect();
    t.iter()
        .position(|c| c.is_ascii_digit())
        .is_some_and(|i| i > 0 && normalize::MONEY_MARKS.contains(&t[i - 1]))
}

/// [`witness_yen`], where the page's engine read a money mark before the figures (`marked`): the
/// English model reads 「金」 as a figure or two (「42325, 00OFY tH」 for 「金325,000円也」, seed 59
/// sub013), which cannot open the amount where, with its first group, they make more than three
/// figures before the first separator. Those figures are the mark's, when the amount follows as
/// printed and nothing after it continues a number.
fn witness_yen_after_mark(text: &str, amount: i64, marked: bool) -> Option<i64> {
    let read = witness_yen(text, amount);
    if !marked || amount < 1_000 || read == Some(amount) {
        return read;
    }
    // Whatever else the witness read stands as it parses (a disputing amount disputes).
    mark_figures_stripped(text, amount).or(read)
}

/// `amount`, where `text` is one or two figures, then `amount` as printed, then nothing that
/// continues a number, and the figures cannot open it ([`witness_yen_after_mark`]).
fn mark_figures_stripped(text: &str, amount: i64) -> Option<i64> {
    let t: String = zeros_for_letters(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t.trim_start_matches(|c: char| !c.is_ascii_digit());
    let printed = crate::document::grouped_yen(amount);
    let first_group = printed.split(',').next().map_or(0, str::len);
    let mark = t.chars().take_while(char::is_ascii_digit).count();
    let mark = mark.saturating_sub(first_group);
    let rest = t.get(mark..)?;
    let tail = rest.strip_prefix(printed.as_str())?;
    let ends = tail
        .chars()
        .next()
        .is_none_or(|c| !c.is_ascii_digit() && c != ',' && c != '.');
    ((1..=2).contains(&mark) && mark + first_group > 3 && ends).then_some(amount)
}

/// The amount the witness read in `text`, compared with `amount` as the page's engine read it.
/// Tesseract's English model, witnessing PP-OCRv6's reading, has no 「円」 and reads the glyph as
/// a digit or two after the amount (「300, 0009」 for 「300,000円」, 「790, 00079」 for
/// 「790,000円」: seed 13 sub006, IPA Gothic): when every digit and separator of `amount` as
/// printed (「300,000」) opens the text and one or two glyphs follow that cannot continue it (no
/// separator, so no group of three more), after whatever is no figure, the witness read `amount` —
/// its digits, grouped, fix its size. Otherwise the text as it parses.
fn witness_yen(text: &str, amount: i64) -> Option<i64> {
    let t = zeros_for_letters(text);
    let text = t.as_str();
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    // What stands before the first figure: a yen sign, or a seal's arc read as 「~」 (「~ 106,0005」
    // for 「106,000円」 under a seal, seed 71 sub011).
    let t = t.trim_start_matches(|c: char| !c.is_ascii_digit());
    let printed = crate::document::grouped_yen(amount);
    if amount >= 1_000 {
        if let Some(tail) = t.strip_prefix(printed.as_str()) {
            let n = tail.chars().count();
            if (1..=2).contains(&n) && !tail.contains([',', '.']) {
                return Some(amount);
            }
        }
    }
    normalize::parse_yen(text).map(|(v, _)| v)
}

/// `text` with each letter O (either case) that follows a figure or a separator (spaces aside)
/// read as the figure 0: Tesseract's English model reads a round Mincho 0 as O now and then
/// (「187, O00」 for 「１８７，０００円」, seed 83 sub021). Only the witness's text: it agrees with
/// the page's reading only where every figure then is the same.
fn zeros_for_letters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_figure = false;
    for c in text.chars() {
        let c = match c {
            'O' | 'o' if after_figure => '0',
            c => c,
        };
        if !c.is_whitespace() {
            after_figure = c.is_ascii_digit() || matches!(c, ',' | '.');
        }
        out.push(c);
    }
    out
}

/// Whether the witness's reading of an amount is broken up by letters: a Latin letter between
/// its first figure and its last (but 「O」 after a figure, read as the zero it is). Tesseract's
/// English model reads wide-spaced full-width figures so (「615, S10 OF」 for 「６５，３００円」,
/// seed 47 sub055): such a reading is no amount, and disputes none — as if nothing were read.
fn garbled(text: &str) -> bool {
    let t: String = zeros_for_letters(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (Some(first), Some(last)) = (
        t.find(|c: char| c.is_ascii_digit()),
        t.rfind(|c: char| c.is_ascii_digit()),
    ) else {
        return false;
    };
    t[first..last].chars().any(|c| c.is_ascii_alphabetic())
}

/// Whether `part` is no reading of `whole` but of a piece of it: its digits are `whole`'s with some
/// cut off its start or end (25,200 of 125,200), or it has at most half as many digits — a speck
/// or two of a seal's ink over the digits read as figures (「ts 48H, 0p」 over 「204,000円」, seed 13
/// sub058), which is no other amount.
pub(super) fn partial(part: i64, whole: i64) -> bool {
    let (part, whole) = (part.to_string(), whole.to_string());
    part.len() < whole.len()
        && (whole.ends_with(&part) || whole.starts_with(&part) || part.len() * 2 <= whole.len())
}

#[cfg(test)]
mod tests {
    use super::{partial, witness_yen};

    #[test]
    fn what_stands_before_the_first_figure_is_no_part_of_the_amount() {
        // A seal's arc before the figures, and its 円 read as a figure after them.
        assert_eq!(witness_yen("~ 106,0005", 106_000), Some(106_000));
        assert_eq!(witness_yen("¥73,800", 73_800), Some(73_800));
        // The figures must still be the amount's, all of them.
        assert_ne!(witness_yen("~ 06,0005", 106_000), Some(106_000));
        assert_ne!(witness_yen("~ 108,0005", 106_000), Some(106_000));
    }

    #[test]
    fn figures_the_money_mark_was_read_as_are_no_part_of_the_amount() {
        use super::{money_mark_before_figures, witness_yen_after_mark};
        // Seed 59 sub013: 「金325,000円也」 as the English model read it.
        assert!(money_mark_before_figures("金325,000 円 也"));
        assert_eq!(
            witness_yen_after_mark("42325, 00OFY tH", 325_000, true),
            Some(325_000)
        );
        // Without the mark read by the page's engine, the figures are the witness's reading.
        assert!(!money_mark_before_figures("325,000円"));
        assert_ne!(
            witness_yen_after_mark("42325, 00OFY tH", 325_000, false),
            Some(325_000)
        );
        // Figures that could open the amount (「425,000」 is 425,000), more than two of them, or
        // a number running on after it: not the amount.
        assert_ne!(
            witness_yen_after_mark("425,000", 25_000, true),
            Some(25_000)
        );
        assert_ne!(
            witness_yen_after_mark("421325,000", 325_000, true),
            Some(325_000)
        );
        assert_ne!(
            witness_yen_after_mark("42325,0005", 325_000, true),
            Some(325_000)
        );
        assert_ne!(
            witness_yen_after_mark("42325,000,000", 325_000, true),
            Some(325_000)
        );
        assert_eq!(
            witness_yen_after_mark("¥325,000", 325_000, true),
            Some(325_000)
        );
        // Another amount read after the mark disputes, as it would without one (seed 7 sub036:
        // 「¥73,800」 witnessed where the page's engine read 73,600).
        assert_eq!(
            witness_yen_after_mark("¥73,800", 73_600, true),
            Some(73_800)
        );
        assert_eq!(
            witness_yen_after_mark("4273,800", 73_600, true),
            witness_yen("4273,800", 73_600)
        );
    }

    #[test]
    fn a_round_zero_read_as_the_letter_o_after_a_figure_is_a_zero() {
        assert_eq!(witness_yen("187, O00", 187_000), Some(187_000));
        assert_eq!(witness_yen("1O,000", 10_000), Some(10_000));
        // Not after a letter, where it is one of a word's.
        assert_eq!(super::zeros_for_letters("TOTAL 1O,OOO"), "TOTAL 10,000");
    }

    #[test]
    fn figures_broken_up_by_letters_are_no_reading() {
        use super::garbled;
        // Seed 47 sub055: 「６５，３００円」 wide-spaced, as the English model read it.
        assert!(garbled("615, S10 OF"));
        assert!(garbled("ts 48H, 0p"));
        // Letters before or after the figures, and a zero read as O, are no break.
        assert!(!garbled("42325, 00OFY tH"));
        assert!(!garbled("TOTAL 1O,OOO"));
        assert!(!garbled("¥65,300-"));
        assert!(!garbled("no figures"));
    }

    #[test]
    fn a_few_figures_under_a_seal_are_no_other_amount() {
        assert!(partial(25_200, 125_200));
        assert!(partial(48, 204_000));
        assert!(partial(4, 20_400));
        // As many digits, or nearly, read otherwise: another amount, which disputes.
        assert!(!partial(204_600, 204_000));
        assert!(!partial(24_000, 204_000));
        assert!(!partial(480, 20_400));
    }

    #[test]
    fn the_witness_reads_the_amount_when_only_the_yen_sign_after_it_is_misread() {
        // Tesseract's English model over PP-OCRv6's 「300,000円」 (seed 13 sub006).
        assert_eq!(witness_yen("300, 0009", 300_000), Some(300_000));
        assert_eq!(witness_yen("790, 00079", 790_000), Some(790_000));
        assert_eq!(witness_yen("¥77,000", 77_000), Some(77_000));
        // A digit of the amount read otherwise is another amount: it disputes.
        assert_eq!(witness_yen("300,006", 300_000), Some(300_006));
        assert_eq!(witness_yen("300,0069", 300_000), None);
        // A group more, or a digit lost: not the amount.
        assert_eq!(witness_yen("300,000,000", 300_000), Some(300_000_000));
        assert_eq!(witness_yen("30,0009", 300_000), None);
        // Three glyphs more are more than a 「円」.
        assert_eq!(witness_yen("300,000979", 300_000), None);
        // Below a thousand no separator fixes the amount's size: the text as it parses.
        assert_eq!(witness_yen("5009", 500), Some(5_009));
    }
}
