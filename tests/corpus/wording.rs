//! How institutions word the same facts: the 但し書き (purpose line) in its many forms, the labels of
//! the total, the date, the payer and the course, and a certificate's row labels and certifying
//! sentence.
//!
//! Every choice is made at planning time (`plan.rs`) from the submission's RNG and kept in the
//! document's spec, so the truth can say which wording a page used (`variant`) and a miss can be
//! traced to it. Nothing here changes a fact: the course name, payer and amounts are printed exactly
//! as `gen.rs` chose them. Called by `plan.rs` (choosing) and the layouts (printing).

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Ways to write the purpose line after 「但し」: `{C}` is the course name. The last two leave
/// the course out (it is then printed under a label or in the breakdown); the one with a line
/// break (`\n`) is written across two lines.
pub const PURPOSES: [&str; 12] = [
    "{C} 受講料等として",
    "{C} 受講費用として",
    "{C}授業料として",
    "{C}の受講料として",
    "{C} 入学金及び受講料として",
    "受講料（{C}）として",
    "{C}受講に係る費用として",
    "{C} 受講料・教材費として",
    "{C}\n受講料として",
    "{C} 講座費用一式として",
    "受講料として",
    "講座費用一式として",
];

/// Labels of the amount received.
pub const TOTAL_LABELS: [&str; 12] = [
    "合計",
    "合　計",
    "合計金額",
    "総額",
    "領収金額",
    "お支払金額",
    "ご入金額",
    "領収額",
    "金額",
    "納入金額",
    "税込合計",
    "お支払合計",
];

/// Labels of the receipt's date (the empty one: the date stands alone).
pub const DATE_LABELS: [&str; 11] = [
    "発行日",
    "領収日",
    "日付",
    "発行年月日",
    "領収年月日",
    "入金日",
    "お支払日",
    "納入日",
    "受領日",
    "年月日",
    "",
];

/// Labels of the payer's name (the empty one: only 「様」 after the name).
pub const NAME_LABELS: [&str; 11] = [
    "氏名",
    "受講者名",
    "お名前",
    "受講者氏名",
    "支払者",
    "宛名",
    "ご芳名",
    "納入者",
    "受講生氏名",
    "ご依頼者",
    "",
];

/// Labels of the course.
pub const COURSE_LABELS: [&str; 10] = [
    "講座名",
    "コース名",
    "受講講座",
    "講座",
    "受講コース",
    "課程名",
    "研修名",
    "講座名称",
    "科目名",
    "受講科目",
];

/// Headings of a breakdown.
pub const BREAKDOWN_LABELS: [&str; 8] = [
    "内訳",
    "内　訳",
    "明細",
    "摘要",
    "項目",
    "品名",
    "費目",
    "内容",
];

/// The words of one receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wording {
    /// Index into [`PURPOSES`].
    pub purpose: usize,
    pub total_label: &'static str,
    pub date_label: &'static str,
    pub name_label: &'static str,
    pub course_label: &'static str,
    pub breakdown_label: &'static str,
    /// 様 or 殿 after the payer's name.
    pub honorific: &'static str,
    /// The issuer at the top right, beside the payer (a two-column header), or below.
    pub issuer_top: bool,
    /// The 領収印 over the amount received rather than over the issuer's name.
    pub seal_on_total: bool,
    /// A space after the 法人格 (「学校法人 若葉台学園」).
    pub corp_space: bool,
}

impl Wording {
    pub fn random(rng: &mut ChaCha8Rng) -> Wording {
        Wording {
            purpose: rng.random_range(0..PURPOSES.len()),
            total_label: one(rng, &TOTAL_LABELS),
            date_label: one(rng, &DATE_LABELS),
            name_label: one(rng, &NAME_LABELS),
            course_label: one(rng, &COURSE_LABELS),
            breakdown_label: one(rng, &BREAKDOWN_LABELS),
            honorific: if rng.random_bool(0.75) { "様" } else { "殿" },
            issuer_top: rng.random_bool(0.4),
            seal_on_total: rng.random_bool(0.2),
            corp_space: rng.random_bool(0.6),
        }
    }

    /// The purpose line(s) for `course`, without 「但し」.
    pub fn purpose_lines(&self, course: &str) -> Vec<String> {
        PURPOSES[self.purpose]
            .replace("{C}", course)
            .split('\n')
            .map(str::to_string)
            .collect()
    }

    /// Whether the purpose line names the course (if not, the layout prints it under a label).
    pub fn purpose_names_course(&self) -> bool {
        PURPOSES[self.purpose].contains("{C}")
    }

    /// `label` and `value` as a form prints them: 「label　value」, or the value alone.
    pub fn labelled(label: &str, value: &str) -> String {
        if label.is_empty() {
            value.to_string()
        } else {
            format!("{label}　{value}")
        }
    }

    /// The payer line: 「氏名　佐藤 花子　様」 or 「佐藤 花子　様」.
    pub fn payer_line(&self, name: &str) -> String {
        Self::labelled(self.name_label, &format!("{name}　{}", self.honorific))
    }
}

/// Row labels of a 修了証明書: (name, birth date, course, start, completion).
pub const CERT_LABELS: [[&str; 5]; 6] = [
    ["氏　　名", "生年月日", "講 座 名", "受講開始日", "修 了 日"],
    [
        "受講者氏名",
        "生年月日",
        "講座名",
        "受講開始年月日",
        "修了年月日",
    ],
    ["氏名", "生年月日", "課程名", "開講日", "修了日"],
    [
        "修了者氏名",
        "生年月日",
        "教育訓練講座名",
        "訓練開始日",
        "訓練修了日",
    ],
    ["受講者", "生年月日", "コース名", "入校日", "修了認定日"],
    ["氏　名", "生年月日", "訓練講座", "受講開始日", "修了年月日"],
];

/// Certifying sentences: `{S}` is 本校/当社/本会, `{C}` the course.
pub const CERT_SENTENCES: [&str; 5] = [
    "上記の者は、{S}所定の課程を修了したことを証明します。",
    "上記の者は、{S}所定の教育訓練を修了したことを証明します。",
    "上記の者は、{S}において{C}の全課程を修了したことを証明する。",
    "上記のとおり、所定の教育訓練を修了したことを証明いたします。",
    "あなたは{S}の定める修了認定基準を満たし、{C}を修了したことをここに証明します。",
];

/// The words of one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertWording {
    /// Index into [`CERT_LABELS`].
    pub labels: usize,
    /// Index into [`CERT_SENTENCES`].
    pub sentence: usize,
    /// 受講期間 on one line (「令和7年4月1日～令和7年9月30日」) instead of two rows.
    pub period_line: bool,
    pub title: &'static str,
    pub corp_space: bool,
}

impl CertWording {
    pub fn random(rng: &mut ChaCha8Rng) -> CertWording {
        CertWording {
            labels: rng.random_range(0..CERT_LABELS.len()),
            sentence: rng.random_range(0..CERT_SENTENCES.len()),
            period_line: rng.random_bool(0.3),
            title: one(
                rng,
                &[
                    "修了証明書",
                    "教育訓練修了証明書",
                    "修 了 証 明 書",
                    "受講修了証明書",
                    "修了証書",
                ],
            ),
            corp_space: rng.random_bool(0.6),
        }
    }

    pub fn labels(&self) -> [&'static str; 5] {
        CERT_LABELS[self.labels]
    }

    pub fn sentence(&self, subject: &str, course: &str) -> String {
        CERT_SENTENCES[self.sentence]
            .replace("{S}", subject)
            .replace("{C}", course)
    }
}

fn one(rng: &mut ChaCha8Rng, list: &[&'static str]) -> &'static str {
    list.choose(rng).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wording_list_offers_at_least_ten_phrasings() {
        assert!(PURPOSES.len() >= 10);
        assert!(TOTAL_LABELS.len() >= 10);
        assert!(DATE_LABELS.len() >= 10);
        assert!(NAME_LABELS.len() >= 10);
        assert!(COURSE_LABELS.len() >= 10);
    }

    #[test]
    fn a_purpose_across_two_lines_keeps_the_course_whole() {
        let w = Wording {
            purpose: 8,
            ..Wording::random(&mut rand::SeedableRng::seed_from_u64(1))
        };
        assert_eq!(
            w.purpose_lines("医療事務講座"),
            vec!["医療事務講座".to_string(), "受講料として".to_string()]
        );
        assert!(w.purpose_names_course());
    }
}
