//! The known-text look: lines that nearly carry a name, course or institution the application
//! gives, or a labelled date other than its own, read alone at a few scales and replaced only by a
//! reading that carries the known text ([`second_look`]); a doubtful name is read by the
//! Japanese-script model and with wider margins too, and one every reading gives alike is taken as
//! agreed.
//!
//! Called by [`crate::reading::read_image_page`] after the grid and lost-text looks; which lines
//! are near a known text is [`super::names`].

use std::sync::{Mutex, PoisonError};

use image::GrayImage;

use crate::extract::layout::TextLine;
use crate::extract::normalize::{compact, lookalike_key, parse_date, substring_distance, Reading};
use crate::extract::read::dates_on;
use crate::extract::Hints;
use crate::ocr::{Engine, OcrError};

use super::date::{date_start, dated};
use super::names::{agreed_name, name_words, nearly, Known};
use super::SCALES;
use crate::reading::lines::{line_of, read_line_at, widened};

/// Re-reads the lines of `page` that nearly carry a known text; returns how many were replaced.
pub fn second_look(
    engine: &mut Engine,
    script: &Mutex<Engine>,
    page: &GrayImage,
    lines: &mut [TextLine],
    hints: &Hints,
) -> Result<usize, OcrError> {
    let known: Vec<(String, Known)> = hints
        .names
        .iter()
        .map(|n| (n, Known::Name))
        .chain(hints.courses.iter().map(|c| (c, Known::Title)))
        .chain(hints.institutions.iter().map(|i| (i, Known::Title)))
        .map(|(k, kind)| (lookalike_key(&compact(k)), kind))
        .filter(|(k, _)| k.chars().count() >= 2)
        .collect();
    let dates: Vec<chrono::NaiveDate> = [hints.birth_date, hints.started_on, hints.completed_on]
        .into_iter()
        .flatten()
        .collect();
    let mut replaced = 0;
    let mut looked = 0;
    for line in lines.iter_mut() {
        let near: Vec<&(String, Known)> = known
            .iter()
            .filter(|(k, kind)| nearly(line, k, *kind))
            .collect();
        let wanted: Vec<&String> = near.iter().map(|(k, _)| k).collect();
        let name_doubt = near.iter().any(|(_, kind)| *kind == Known::Name);
        let date_doubt = dated_but_not_as_known(line, &dates);
        let repaired = repaired_date(line);
        if wanted.is_empty() && !date_doubt && repaired.is_none() {
            continue;
        }
        looked += 1;
        // What the line already says right must survive the new reading.
        let first = lookalike_key(&compact(&line.text()));
        let kept: Vec<&String> = known
            .iter()
            .map(|(k, _)| k)
            .filter(|k| first.contains(k.as_str()))
            .collect();
        // A date alone is read without the words before it (a title in another size spoils it).
        let date_only = wanted.is_empty() && !date_doubt;
        let from = if date_only { date_start(line) } else { 0 };
        let Some(mut part) = line_of(line.tokens[from..].to_vec()) else {
            continue;
        };
        // A known text read short may have lost its end (「大型自動第一種運転」 for …運転免許): the
        // crop reaches as many characters further right as the reading is off by.
        let missing = wanted
            .iter()
            .map(|k| substring_distance(k, &first))
            .max()
            .unwrap_or(0);
        part.bbox.w += missing as u32 * part.char_height();
        // A handwritten name reads better without its label and honorific around it (「田中 苦ニ
        // 欄」 on the page, 「田中 浩二」 alone): when the whole line does not confirm the name, the
        // name's words alone are read too.
        let whole = (from, line.tokens.len());
        let name_part = name_doubt
            .then(|| name_words(&line.tokens, from))
            .flatten()
            .filter(|&span| span != whole);
        let tries = SCALES.iter().map(|&s| (whole, s)).chain(
            name_part
                .into_iter()
                .flat_map(|p| SCALES.iter().map(move |&s| (p, s))),
        );
        // The readings of a doubtful name, to tell someone else's name (read alike) from a misread
        // one (read differently each time).
        let mut name_readings: Vec<TextLine> = Vec::new();
        let mut confirmed = false;
        for ((start, end), scale) in tries {
            let crop = if (start, end) == whole {
                part.clone()
            } else {
                match line_of(line.tokens[start..end].to_vec()) {
                    Some(crop) => crop,
                    None => continue,
                }
            };
            let mut tokens = line.tokens[..start].to_vec();
            tokens.extend(read_line_at(engine, page, &crop, scale)?);
            tokens.extend(line.tokens[end..].iter().cloned());
            let Some(again) = line_of(tokens) else {
                continue;
            };
            let text = lookalike_key(&compact(&again.text()));
            let known_text = wanted.iter().any(|k| text.contains(k.as_str()));
            let known_date = date_doubt && dates_on(&again).iter().any(|d| dates.contains(d));
            // A date read with a repair (信和6年…) that a reading alone at another scale gives too:
            // written back plainly, so the extractor reads it as sure. Readings at other scales are
            // not independent enough to settle a date the first reading did not give (two of them
            // once agreed on 4043年).
            let agreed_date = match (repaired, parse_date(&again.text())) {
                (Some(first), Some((d, _))) if date_only && d == first => Some(d),
                _ => None,
            };
            let keeps = kept.iter().all(|k| text.contains(k.as_str()));
            if keeps && (known_text || known_date || agreed_date.is_some()) {
                let again = match agreed_date {
                    Some(d) => dated(line, from, &part, d),
                    None => again,
                };
                *line = again;
                replaced += 1;
                tracing::debug!(scale, "second look confirmed a line");
                confirmed = true;
                break;
            }
            if name_doubt {
                name_readings.push(again);
            }
        }
        // Tesseract's Japanese-script model was trained on more fonts than `jpn` and reads some
        // handwritten glyphs `jpn` never does (剛 of seed 7 sub060's 「遠藤 剛」, read 「天藤 半」,
        // 「形藤 団」, 「球藤 半」 by `jpn` at every scale, 「遠藤 剛」 by `Japanese` at 0.5 and 0.7):
        // it confirms the name as `jpn` would, and gives no reading of its own otherwise. Then both
        // read the name with wider margins: a pad receipt's handwritten 「中村 智子」 (seed 11
        // sub004) reads 「下村 智子」, 「中材 智子」, 「中 科 智子」 in the usual crop and
        // 「中 村 智子」 with a character and a half of paper around it.
        // (Only while the line is as first read: the spans are of its words.)
        let (start, end) = name_part.unwrap_or(whole);
        let crop = match (name_doubt && !confirmed, (start, end) == whole) {
            (false, _) => None,
            (true, true) => Some(part.clone()),
            (true, false) => line_of(line.tokens[start..end].to_vec()),
        };
        if let Some(crop) = crop {
            let names: Vec<&String> = near
                .iter()
                .filter(|(_, kind)| *kind == Known::Name)
                .map(|(k, _)| k)
                .collect();
            let wide = widened(&crop);
            // Up to nine more readings, each a chance for a name one glyph off the applicant's
            // (鈴木 陽子 for 鈴木 洋子, someone else) to be read as theirs: two must give it.
            let mut first_confirming: Option<TextLine> = None;
            let passes = [(true, &crop), (false, &wide), (true, &wide)];
            'passes: for (by_script, crop) in passes {
                for &scale in SCALES {
                    let read = if by_script {
                        // One script engine serves every worker (it is seldom needed, and a
                        // third model per worker costs 45 MB); a worker that panicked holding
                        // it left it whole (each reading sets its own mode).
                        let mut script = script.lock().unwrap_or_else(PoisonError::into_inner);
                        read_line_at(&mut script, page, crop, scale)?
                    } else {
                        read_line_at(engine, page, crop, scale)?
                    };
                    let mut tokens = line.tokens[..start].to_vec();
                    tokens.extend(read);
                    tokens.extend(line.tokens[end..].iter().cloned());
                    let Some(again) = line_of(tokens) else {
                        continue;
                    };
                    let text = lookalike_key(&compact(&again.text()));
                    let keeps = kept.iter().all(|k| text.contains(k.as_str()));
                    if !(keeps && names.iter().any(|k| text.contains(k.as_str()))) {
                        continue;
                    }
                    match first_confirming.take() {
                        None => first_confirming = Some(again),
                        Some(first) => {
                            *line = first;
                            replaced += 1;
                            tracing::debug!(scale, by_script, "two further readings gave a name");
                            confirmed = true;
                            break 'passes;
                        }
                    }
                }
            }
        }
        // A name other than the application's that the readings give alike is read as sure:
        // someone else's name is then told apart from a misread one (which the scales read
        // differently: 「天藤 半」, 「形藤 団」, 「著藤 半」 for 遠藤 剛).
        if name_doubt && !confirmed {
            if let Some(agreed) = agreed_name(line, &name_readings) {
                *line = agreed;
                for t in &mut line.tokens {
                    t.agreed = true;
                }
                tracing::debug!("the second readings of a name agreed");
            }
        }
    }
    tracing::debug!(looked, replaced, "second look");
    Ok(replaced)
}

/// The date on a line that parsed only with a repair of its era (信和 for 令和).
fn repaired_date(line: &TextLine) -> Option<chrono::NaiveDate> {
    match parse_date(&line.text()) {
        Some((d, r)) if r.reading == Reading::Repaired => Some(d),
        _ => None,
    }
}

/// Labels of the dates a certificate states and the application gives too.
const DATE_LABELS: &[&str] = &[
    "生年月日",
    "開始",
    "開講",
    "修了日",
    "修了年月日",
    // 「修了認定日 2026/91/07」 (seed 7 sub015): the certificate's completion under its other name.
    "修了認定",
    "入学日",
    "入校日",
];

/// A line labelled with one of the application's dates whose date, as read, is none of them.
fn dated_but_not_as_known(line: &TextLine, dates: &[chrono::NaiveDate]) -> bool {
    if dates.is_empty() {
        return false;
    }
    let text = compact(&line.text());
    DATE_LABELS.iter().any(|l| text.contains(l))
        && !dates_on(line).iter().any(|d| dates.contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::{testpage, Models};

    use crate::reading::looks::testkit::{hints, line, read_as, tok};

    #[test]
    fn a_labelled_date_other_than_the_applications_gets_a_second_look() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let known = [d(2026, 11, 23), d(1990, 4, 1)];
        assert!(dated_but_not_as_known(
            &line("修了日 令和8年1月23日"),
            &known
        ));
        assert!(!dated_but_not_as_known(
            &line("修了日 令和8年11月23日"),
            &known
        ));
        assert!(dated_but_not_as_known(
            &line("修了認定日2026/91/23"),
            &known
        ));
        assert!(
            !dated_but_not_as_known(&line("発行日 令和8年1月23日"), &known),
            "not one of the application's"
        );
        assert!(!dated_but_not_as_known(&line("修了日 令和8年1月23日"), &[]));
    }

    #[test]
    fn a_repaired_date_confirmed_by_a_second_reading_is_written_back_plainly() {
        let l = line_of(vec![
            tok("領収証", 100),
            tok("信和6年", 700),
            tok("11月22日", 800),
        ])
        .expect("line");
        let first = repaired_date(&l).expect("信和 is read as 令和, repaired");
        assert_eq!(
            first,
            chrono::NaiveDate::from_ymd_opt(2024, 11, 22).expect("date")
        );
        assert_eq!(date_start(&l), 1);
        let part = line_of(l.tokens[1..].to_vec()).expect("part");
        let again = dated(&l, 1, &part, first);
        assert_eq!(again.text(), "領収証 2024年11月22日");
        assert_eq!(repaired_date(&again), None, "now read cleanly");
        assert_eq!(repaired_date(&line("令和6年11月22日")), None);
    }

    #[test]
    fn a_misread_name_is_read_again_and_a_different_name_is_kept() {
        let models = Models::locate(None).expect("models");
        let mut engine = Engine::new(&models, "jpn").expect("engine");
        let script = Mutex::new(Engine::new(&models, "Japanese").expect("script engine"));

        // The page said 中村 隆; suppose the page reading gave 際 for 隆.
        let (img, spans) = testpage::render_line("氏名 中村 隆", 44.0);
        let mut lines = vec![read_as(
            &[
                ("氏名", spans[0].x),
                ("中村", spans[1].x),
                ("際", spans[2].x),
            ],
            &spans,
        )];
        let n =
            second_look(&mut engine, &script, &img, &mut lines, &hints("中村 隆")).expect("reads");
        assert_eq!(n, 1);
        assert!(
            compact(&lines[0].text()).contains("中村隆"),
            "{}",
            lines[0].text()
        );
        let name = lines[0]
            .tokens
            .iter()
            .find(|t| t.text.contains('隆'))
            .expect("a token carries 隆");
        assert!(
            name.bbox.x + 8 >= spans[2].x && name.bbox.x <= spans[2].x + spans[2].w,
            "the word is placed where it was drawn: {name:?} vs {:?}",
            spans[2]
        );

        // A receipt made out to someone else: the line is looked at again (it has a name label)
        // but no reading says the applicant's name, so the first reading stands; every reading
        // agrees with it, so it is now sure.
        let (img, spans) = testpage::render_line("氏名 山本 健", 44.0);
        let first = read_as(
            &[
                ("氏名", spans[0].x),
                ("山本", spans[1].x),
                ("健", spans[2].x),
            ],
            &spans,
        );
        let mut look_again = |lines: &mut Vec<TextLine>| {
            second_look(&mut engine, &script, &img, lines, &hints("山本 綾香")).expect("reads")
        };
        let mut lines = vec![first.clone()];
        let n = look_again(&mut lines);
        assert_eq!(n, 0);
        assert_eq!(lines[0].text(), first.text());
        assert!(lines[0].tokens.iter().all(|t| t.agreed));

        // The same line first read with a wrong glyph: the second readings (the line and the name
        // alone, at three scales each) agree on another, so theirs stands, as sure.
        let misread = read_as(
            &[
                ("氏名", spans[0].x),
                ("山本", spans[1].x),
                ("建", spans[2].x),
            ],
            &spans,
        );
        let mut lines = vec![misread.clone()];
        look_again(&mut lines);
        assert_eq!(compact(&lines[0].text()), "氏名山本健");
        assert!(lines[0].tokens.iter().all(|t| t.agreed));
    }

    #[test]
    fn a_handwritten_name_jpn_misreads_is_confirmed_by_the_script_model_or_with_wider_margins() {
        let models = Models::locate(None).expect("models");
        let mut jpn = Engine::new(&models, "jpn").expect("engine");
        let script = Mutex::new(Engine::new(&models, "Japanese").expect("script engine"));
        let name = "遠藤 剛";
        let (img, spans) = testpage::render_line_in(
            "/usr/share/fonts/truetype/kiloji/kiloji.ttf",
            &format!("氏名 {name}"),
            44.0,
        );
        let drawn = read_as(&[("", spans[0].x)], &spans);
        // The line as `jpn` reads it (「氏名 速藤 賠」 when this was written).
        let first =
            line_of(read_line_at(&mut jpn, &img, &drawn, 1.0).expect("reads")).expect("read");
        let (start, end) = name_words(&first.tokens, 0).expect("the name's words");
        let name_alone = line_of(first.tokens[start..end].to_vec()).expect("words");
        let says_name = |engine: &mut Engine, line: &TextLine, scale: f32| {
            line_of(read_line_at(engine, &img, line, scale).expect("reads"))
                .is_some_and(|l| compact(&l.text()).contains("遠藤剛"))
        };
        // `jpn` misreads the name alone in the usual crop at every scale; the script model reads
        // it there, and `jpn` itself with more paper around it.
        for line in [&drawn, &name_alone] {
            assert!(!SCALES.iter().any(|&s| says_name(&mut jpn, line, s)));
        }
        {
            let mut script = script.lock().expect("engine");
            assert!(SCALES
                .iter()
                .any(|&s| says_name(&mut script, &name_alone, s)));
        }
        assert!(SCALES
            .iter()
            .any(|&s| says_name(&mut jpn, &widened(&name_alone), s)));

        let mut lines = vec![first.clone()];
        let n = second_look(&mut jpn, &script, &img, &mut lines, &hints(name)).expect("reads");
        assert_eq!(n, 1);
        assert!(
            compact(&lines[0].text()).contains("遠藤剛"),
            "{}",
            lines[0].text()
        );
        // Without the script model (the English one, which reads no kanji, in its place) only
        // `jpn`'s wider crop gives the name, once: one further reading is not enough.
        let english = Mutex::new(Engine::new(&models, "eng").expect("engine"));
        let mut lines = vec![first.clone()];
        let n = second_look(&mut jpn, &english, &img, &mut lines, &hints(name)).expect("reads");
        assert_eq!(n, 0, "{}", lines[0].text());
        assert!(!compact(&lines[0].text()).contains("遠藤剛"));

        // Someone a glyph off (遠藤 岡, 剛 without its right-hand part) is not read into the
        // handwritten 遠藤 剛 by any of the readings.
        let mut lines = vec![first];
        let n = second_look(&mut jpn, &script, &img, &mut lines, &hints("遠藤 岡")).expect("reads");
        assert_eq!(n, 0, "{}", lines[0].text());
    }
}
