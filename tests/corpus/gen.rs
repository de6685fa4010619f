//! The generated scan corpus: fictional 自立支援教育訓練給付金 submissions with their ground truth.
//!
//! For each submission it picks a *scenario* (a pay case, a denial, a defective document, a late
//! application), invents the people, course, dates and amounts, and writes the expected decision by
//! explicit arithmetic here — an oracle independent of `kyufu::rules`, so that a bug there cannot
//! hide in the test data. Rendering of the paper documents lives in `layout.rs`/`paint.rs`, the
//! scanner's degradation and the file formats in `scan.rs`.
//!
//! It does not decide anything itself beyond the scenario's one expected outcome, and it never reads
//! the pipeline's output. Callers: the `kyufu-corpus` binary (`main.rs`) and integration tests, which
//! include this file with `#[path = "corpus/gen.rs"] mod gen;` — so it uses no `crate::` paths.
//!
//! Conventions of the truth files (`truth/<id>.json`), beyond DESIGN.md's extract contract:
//! - `amount_total` is the 領収額 (or クレジット契約額): the sum of the breakdown lines, except that
//!   `subsidy` lines are deducted (printed with △) and `unpaid` (未納) and `credit_interest`
//!   (分割払手数料, paid to the credit company) lines are printed but are not part of it. Item amounts
//!   are always positive.
//! - `issuer_name` has no spaces (「学校法人若葉台学園」) although the paper often prints one after the
//!   法人格; person names are 「姓 名」 with one ASCII space.
//! - `pages` (1-based) says which pages of `file` hold the document (a TIFF sometimes holds two).

#[path = "layout.rs"]
mod layout;
#[path = "names.rs"]
mod names;
#[path = "paint.rs"]
mod paint;
#[path = "scan.rs"]
mod scan;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};
use kyufu::decision::Outcome;
use kyufu::document::{DocKind, ItemCategory, Value};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::json;

pub use paint::Fonts;
pub use scan::{FileFormat, ScanParams};

/// What can stop the generator (a font missing, the disk, an encoder) — never content.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("font {path}: {reason}")]
    Font { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("encoding {file}: {reason}")]
    Encode { file: String, reason: String },
}

/// How to run the generator.
#[derive(Debug, Clone)]
pub struct Options {
    /// `inbox/` and `truth/` are written under it.
    pub out: PathBuf,
    pub count: usize,
    pub seed: u64,
    /// Skip `truth/` (the README's sample inbox).
    pub inbox_only: bool,
}

/// What a run wrote.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub submissions: usize,
    pub files: usize,
    pub bytes: u64,
    /// Expected outcome id → number of submissions.
    pub by_outcome: BTreeMap<String, usize>,
}

/// The situation a submission was generated to show (RULES.md §1.5 outcomes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scenario {
    PayAdmissionTuition,
    PayTuitionOnly,
    PayConsumptionTax,
    PayExcluded,
    PayEmploymentInsurance,
    PaySpecialized,
    PayInstalments,
    PaySealedCorrection,
    DenyBelowLowerLimit,
    DenyPriorReceipt,
    DenyDesignatedLate,
    DenyNoIndependenceProgram,
    DenyChildOver20,
    IncompleteNoSeal,
    IncompleteUnsealedCorrection,
    IncompleteMissingCertificate,
    IncompleteMissingReceipt,
    IncompletePayerOther,
    IncompleteNoBreakdown,
    ReviewLateApplication,
}

impl Scenario {
    /// Each scenario with its share of 60 submissions (~55% pay, 15% deny, 25% incomplete, 5%
    /// review, as the corpus brief asks).
    pub const QUOTA_PER_60: [(Scenario, usize); 20] = [
        (Scenario::PayAdmissionTuition, 4),
        (Scenario::PayTuitionOnly, 3),
        (Scenario::PayConsumptionTax, 3),
        (Scenario::PayExcluded, 8),
        (Scenario::PayEmploymentInsurance, 4),
        (Scenario::PaySpecialized, 4),
        (Scenario::PayInstalments, 4),
        (Scenario::PaySealedCorrection, 3),
        (Scenario::DenyBelowLowerLimit, 2),
        (Scenario::DenyPriorReceipt, 2),
        (Scenario::DenyDesignatedLate, 2),
        (Scenario::DenyNoIndependenceProgram, 2),
        (Scenario::DenyChildOver20, 1),
        (Scenario::IncompleteNoSeal, 3),
        (Scenario::IncompleteUnsealedCorrection, 3),
        (Scenario::IncompleteMissingCertificate, 2),
        (Scenario::IncompleteMissingReceipt, 2),
        (Scenario::IncompletePayerOther, 3),
        (Scenario::IncompleteNoBreakdown, 2),
        (Scenario::ReviewLateApplication, 3),
    ];

    pub fn id(self) -> &'static str {
        match self {
            Scenario::PayAdmissionTuition => "pay_admission_tuition",
            Scenario::PayTuitionOnly => "pay_tuition_only",
            Scenario::PayConsumptionTax => "pay_consumption_tax",
            Scenario::PayExcluded => "pay_excluded_items",
            Scenario::PayEmploymentInsurance => "pay_employment_insurance",
            Scenario::PaySpecialized => "pay_specialized_practical",
            Scenario::PayInstalments => "pay_two_instalments",
            Scenario::PaySealedCorrection => "pay_sealed_correction",
            Scenario::DenyBelowLowerLimit => "deny_below_lower_limit",
            Scenario::DenyPriorReceipt => "deny_prior_receipt",
            Scenario::DenyDesignatedLate => "deny_designated_not_before_start",
            Scenario::DenyNoIndependenceProgram => "deny_no_independence_program",
            Scenario::DenyChildOver20 => "deny_child_not_under_20",
            Scenario::IncompleteNoSeal => "incomplete_receipt_no_seal",
            Scenario::IncompleteUnsealedCorrection => "incomplete_unsealed_correction",
            Scenario::IncompleteMissingCertificate => "incomplete_missing_certificate",
            Scenario::IncompleteMissingReceipt => "incomplete_missing_receipt",
            Scenario::IncompletePayerOther => "incomplete_payer_not_applicant",
            Scenario::IncompleteNoBreakdown => "incomplete_no_breakdown",
            Scenario::ReviewLateApplication => "review_late_application",
        }
    }

    /// How many of `count` submissions get each scenario: first the outcomes (pay, deny,
    /// incomplete, review) in their per-60 proportions, then each outcome's scenarios, both by
    /// largest remainder — so 60 gives the table exactly and a small count still has every outcome
    /// its share allows.
    pub fn quotas(count: usize) -> Vec<(Scenario, usize)> {
        let group = |s: Scenario| s.id().split('_').next().unwrap_or("").to_string();
        let mut groups: Vec<String> = Vec::new();
        for (s, _) in Self::QUOTA_PER_60 {
            if !groups.contains(&group(s)) {
                groups.push(group(s));
            }
        }
        let weight_of = |g: &String| -> usize {
            Self::QUOTA_PER_60
                .iter()
                .filter(|(s, _)| &group(*s) == g)
                .map(|(_, n)| n)
                .sum()
        };
        let group_quota =
            largest_remainder(&groups.iter().map(weight_of).collect::<Vec<_>>(), count);
        let mut out = Vec::new();
        for (g, q) in groups.iter().zip(group_quota) {
            let members: Vec<(Scenario, usize)> = Self::QUOTA_PER_60
                .iter()
                .copied()
                .filter(|(s, _)| &group(*s) == g)
                .collect();
            let shares = largest_remainder(&members.iter().map(|(_, n)| *n).collect::<Vec<_>>(), q);
            out.extend(members.iter().zip(shares).map(|((s, _), n)| (*s, n)));
        }
        out
    }
}

/// Splits `n` in proportion to `weights`, rounding by largest remainder (ties: earlier first).
fn largest_remainder(weights: &[usize], n: usize) -> Vec<usize> {
    let total: usize = weights.iter().sum::<usize>().max(1);
    let mut shares: Vec<usize> = weights.iter().map(|w| w * n / total).collect();
    let assigned: usize = shares.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (weights[b] * n % total)
            .cmp(&(weights[a] * n % total))
            .then(a.cmp(&b))
    });
    for &i in order.iter().take(n - assigned) {
        shares[i] += 1;
    }
    shares
}

/// The decision the scenario must lead to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    pub outcome: Outcome,
    pub amount_yen: i64,
    pub reason_codes: Vec<String>,
}

/// One breakdown line as printed and as its truth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruthItem {
    pub label: String,
    pub amount: i64,
    pub category: ItemCategory,
}

/// One document of a submission, as `kyufu extract` should read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthDoc {
    pub file: String,
    pub pages: Vec<u32>,
    pub kind: DocKind,
    pub fields: BTreeMap<String, Value>,
    pub items: Vec<TruthItem>,
    /// Which paper layout was drawn (`table`, `pad`, `letter`, `credit`, `formal`, `framed`), so
    /// extraction failures can be grouped by layout.
    pub layout: String,
}

/// `truth/<id>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    pub id: String,
    pub scenario: String,
    pub expected: Expected,
    pub documents: Vec<TruthDoc>,
}

/// A person's name, 姓 and 名 kept apart so layouts can space them as paper does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub family: String,
    pub given: String,
}

impl Name {
    /// 「姓 名」, the contract's form.
    pub fn full(&self) -> String {
        format!("{} {}", self.family, self.given)
    }
}

/// A training institution (教育訓練施設).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    /// 法人格: 学校法人, 株式会社, 一般社団法人.
    pub corp_kind: String,
    pub corp_name: String,
    /// The school's own name under the 法人 (学校法人 only).
    pub school: Option<String>,
    /// 校長, 代表取締役, 理事長.
    pub rep_title: String,
    pub rep: Name,
    pub address: String,
    pub phone: String,
    /// The word the seal is cut from.
    pub seal_word: String,
}

impl Institution {
    /// The contract's `issuer_name`: 法人格 and name, no space.
    pub fn issuer_name(&self) -> String {
        format!("{}{}", self.corp_kind, self.corp_name)
    }

    /// The 2–4 characters cut into the institution's seal: its place-like word, filled out with
    /// 印 or 之印 as seal engravers do.
    pub fn seal_chars(&self) -> String {
        let chars: Vec<char> = self.seal_word.chars().take(4).collect();
        let mut s: String = chars.iter().collect();
        match chars.len() {
            0..=2 => s.push_str("之印"),
            3 => s.push('印'),
            _ => {}
        }
        s
    }
}

/// A receipt's printed breakdown line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItem {
    pub label: String,
    pub amount: i64,
    pub category: ItemCategory,
}

/// Which value a correction (訂正) struck through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionTarget {
    /// The amount of breakdown line `i`.
    Item(usize),
    /// The receipt's total.
    Total,
    /// The certificate's 修了日.
    CompletedOn,
}

/// A struck-through value with the right one written beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub target: CorrectionTarget,
    /// The wrong amount (yen) or, for a date, the wrong day's offset from the right one.
    pub old_amount: i64,
    /// With the institution's 訂正印 (valid) or without (invalid: seed `003` 第1-5-(1),(5)).
    pub sealed: bool,
    /// The surname on the 訂正印.
    pub stamp: String,
}

/// The four receipt layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptLayout {
    /// 領収書 with a ruled 内訳 grid.
    Table,
    /// A 市販の領収証 pad filled in by hand.
    Pad,
    /// A plain letter-style list with leader dots.
    Letter,
    /// クレジット契約証明書.
    Credit,
}

/// A receipt (or クレジット契約証明書) to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptSpec {
    pub layout: ReceiptLayout,
    pub number: u32,
    pub payer: Name,
    pub issuer: Institution,
    pub course_name: String,
    pub issued_on: NaiveDate,
    /// The printed breakdown (empty: the receipt shows only a total).
    pub items: Vec<LineItem>,
    pub total: i64,
    /// 領収印.
    pub sealed: bool,
    pub correction: Option<Correction>,
    /// (n, of) for an instalment receipt.
    pub instalment: Option<(u32, u32)>,
    pub credit_company: Option<String>,
    /// 但し書き: 「受講料として」 etc.
    pub purpose: String,
}

/// The two certificate layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateLayout {
    /// Centred title, label/value rows, the certifying sentence, issuer at the bottom right.
    Formal,
    /// A ruled frame with a table of the facts.
    Framed,
}

/// A 教育訓練修了証明書 to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSpec {
    pub layout: CertificateLayout,
    pub number: u32,
    pub trainee: Name,
    pub birth_date: NaiveDate,
    pub course_name: String,
    pub started_on: NaiveDate,
    pub completed_on: NaiveDate,
    pub issued_on: NaiveDate,
    pub issuer: Institution,
    pub correction: Option<Correction>,
}

/// A document of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocSpec {
    Receipt(ReceiptSpec),
    Certificate(CertificateSpec),
}

/// One file of a submission: which documents it holds (one page each) and how it was scanned.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSpec {
    pub name: String,
    pub format: FileFormat,
    /// Indices into `Submission::docs`, one page each, in page order.
    pub docs: Vec<usize>,
    /// The scanner's settings for each page.
    pub scans: Vec<ScanParams>,
}

/// Everything about one generated submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub id: String,
    pub scenario: Scenario,
    pub application: serde_json::Value,
    pub docs: Vec<DocSpec>,
    pub files: Vec<FileSpec>,
    pub expected: Expected,
    /// Seeds the rendering of this submission's pages.
    pub render_seed: u64,
}

/// The RULES.md §1.2 categories that are left out of 教育訓練経費, in the order pay scenarios cycle
/// through them so that 60 submissions show each at least once.
pub const EXCLUDED_CYCLE: [ItemCategory; 10] = [
    ItemCategory::ExamFee,
    ItemCategory::OptionalMaterial,
    ItemCategory::SupplementaryLesson,
    ItemCategory::Event,
    ItemCategory::RefundableBond,
    ItemCategory::Transport,
    ItemCategory::Equipment,
    ItemCategory::CreditInterest,
    ItemCategory::Unpaid,
    ItemCategory::Subsidy,
];

// ---------------------------------------------------------------------------------------------
// The oracle: RULES.md §1.3 written out with integers, deliberately not calling kyufu::rules.
// ---------------------------------------------------------------------------------------------

/// Counted categories (seed `003` 第1-3-(1)).
fn counts_toward_cost(c: ItemCategory) -> bool {
    matches!(
        c,
        ItemCategory::Admission
            | ItemCategory::Tuition
            | ItemCategory::RequiredMaterial
            | ItemCategory::ConsumptionTax
    )
}

/// 教育訓練経費 = Σ counted lines − Σ subsidies/refunds, over all receipts.
pub fn training_cost(items: &[LineItem]) -> i64 {
    let counted: i64 = items
        .iter()
        .filter(|i| counts_toward_cost(i.category))
        .map(|i| i.amount)
        .sum();
    let deducted: i64 = items
        .iter()
        .filter(|i| i.category == ItemCategory::Subsidy)
        .map(|i| i.amount)
        .sum();
    counted - deducted
}

/// The printed 領収額 of a breakdown (see the module doc's convention).
pub fn receipt_total(items: &[LineItem]) -> i64 {
    items
        .iter()
        .map(|i| match i.category {
            ItemCategory::Subsidy => -i.amount,
            ItemCategory::Unpaid | ItemCategory::CreditInterest => 0,
            _ => i.amount,
        })
        .sum()
}

/// The cap: 200,000円 for 一般/特定一般, 400,000円 × 修学年数 up to 1,600,000円 for 専門実践.
fn cap(kind: &str, years: i64) -> i64 {
    if kind == "specialized_practical" {
        (400_000 * years).min(1_600_000)
    } else {
        200_000
    }
}

/// floor(cost × 6/10), capped, minus the 雇用保険 benefit; `None` when not above 12,000円.
pub fn benefit_amount(cost: i64, kind: &str, years: i64, employment_insurance: i64) -> Option<i64> {
    let sixty_percent = cost.max(0) * 6 / 10;
    let amount = sixty_percent.min(cap(kind, years)) - employment_insurance;
    (amount > 12_000).then_some(amount)
}

// ---------------------------------------------------------------------------------------------
// Planning: scenarios → people, dates, amounts, documents, files, truth.
// ---------------------------------------------------------------------------------------------

/// Plans `count` submissions from `seed`: every choice is made here (or from `render_seed`), so the
/// same arguments give the same corpus.
pub fn plan(seed: u64, count: usize) -> Vec<Submission> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut scenarios: Vec<Scenario> = Scenario::quotas(count)
        .into_iter()
        .flat_map(|(s, n)| std::iter::repeat_n(s, n))
        .collect();
    scenarios.shuffle(&mut rng);
    let width = count.to_string().len().max(3);
    let mut planner = Planner {
        excluded_next: 0,
        excluded_subs: 0,
        correction_subs: 0,
        below_limit_subs: 0,
    };
    scenarios
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let sub_seed = rng.next_u64();
            let id = format!("sub{:0width$}", i + 1);
            planner.plan_one(id, s, &mut ChaCha8Rng::seed_from_u64(sub_seed))
        })
        .collect()
}

/// Counters that make scenario variants cycle instead of depending on luck.
struct Planner {
    excluded_next: usize,
    excluded_subs: usize,
    correction_subs: usize,
    below_limit_subs: usize,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid calendar date written in the generator")
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d + Days::new(n as u64)
    } else {
        d - Days::new((-n) as u64)
    }
}

fn random_date(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    add_days(from, rng.random_range(0..=span))
}

/// A round amount: `base` varied by up to ±20%, to the nearest `step`.
fn vary(rng: &mut ChaCha8Rng, base: i64, step: i64) -> i64 {
    let pct = rng.random_range(80..=120);
    (base * pct / 100 / step).max(1) * step
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, list: &'a [T]) -> &'a T {
    list.choose(rng)
        .expect("the generator's word lists are never empty")
}

fn item(label: &str, amount: i64, category: ItemCategory) -> LineItem {
    LineItem {
        label: label.to_string(),
        amount,
        category,
    }
}

fn make_institution(rng: &mut ChaCha8Rng) -> Institution {
    let word = *pick(rng, names::PLACE_WORDS);
    let rep = Name {
        family: pick(rng, names::FAMILY).0.to_string(),
        given: pick(rng, names::GIVEN_REP).to_string(),
    };
    let (corp_kind, corp_name, school, rep_title) = match rng.random_range(0..3) {
        0 => {
            let school = *pick(
                rng,
                &[
                    "医療福祉専門学校",
                    "ビジネス専門学校",
                    "保育専門学校",
                    "高等専修学校",
                ],
            );
            (
                "学校法人",
                format!("{word}学園"),
                Some(format!("{word}{school}")),
                "校長",
            )
        }
        1 => {
            let suffix = *pick(rng, &["キャリアスクール", "ケアアカデミー", "ITカレッジ"]);
            ("株式会社", format!("{word}{suffix}"), None, "代表取締役")
        }
        _ => {
            let suffix = *pick(
                rng,
                &["職業教育協会", "資格教育センター", "介護人材育成協会"],
            );
            ("一般社団法人", format!("{word}{suffix}"), None, "理事長")
        }
    };
    Institution {
        corp_kind: corp_kind.to_string(),
        corp_name,
        school,
        rep_title: rep_title.to_string(),
        rep,
        address: format!(
            "{}{}丁目{}番{}号",
            pick(rng, names::TOWNS),
            rng.random_range(1..=5),
            rng.random_range(1..=20),
            rng.random_range(1..=15)
        ),
        phone: format!(
            "0{}-000-{:04}",
            rng.random_range(3..=49),
            rng.random_range(0..10000)
        ),
        seal_word: word.to_string(),
    }
}

/// The course facts the application and the documents share.
struct CourseFacts {
    name: String,
    kind: &'static str,
    years: i64,
    base_tuition: i64,
    designated_on: NaiveDate,
    started_on: NaiveDate,
    completed_on: NaiveDate,
}

impl Planner {
    fn plan_one(&mut self, id: String, scenario: Scenario, rng: &mut ChaCha8Rng) -> Submission {
        use Scenario as S;
        // --- the applicant -------------------------------------------------------------------
        let (family, family_kana) = *pick(rng, names::FAMILY);
        let (given, given_kana) = if rng.random_bool(0.12) {
            *pick(rng, names::GIVEN_FATHER)
        } else {
            *pick(rng, names::GIVEN_MOTHER)
        };
        let applicant = Name {
            family: family.to_string(),
            given: given.to_string(),
        };
        let birth_date = random_date(rng, date(1978, 1, 1), date(1998, 12, 31));

        // --- the course and its dates --------------------------------------------------------
        let course = self.course(scenario, rng);
        let designated_on = if scenario == S::DenyDesignatedLate {
            // Designated on or after the start: E4 fails.
            add_days(course.started_on, rng.random_range(0..=20))
        } else {
            course.designated_on
        };
        let applied_on = if scenario == S::ReviewLateApplication {
            add_days(course.completed_on, rng.random_range(45..=90))
        } else {
            // Well inside 30 days counted from completion (completed_on + 29 is the last day), so
            // no deadline setting near 30 changes the result.
            add_days(course.completed_on, rng.random_range(1..=20))
        };
        let program_on = add_days(designated_on, -rng.random_range(10..=90));

        // --- children ------------------------------------------------------------------------
        let n_children = if scenario == S::DenyChildOver20 {
            1
        } else {
            rng.random_range(1..=3)
        };
        let children: Vec<(String, NaiveDate)> = (0..n_children)
            .map(|_| {
                let born = if scenario == S::DenyChildOver20 {
                    random_date(
                        rng,
                        add_days(applied_on, -24 * 365),
                        add_days(applied_on, -21 * 365),
                    )
                } else {
                    random_date(
                        rng,
                        add_days(applied_on, -18 * 365),
                        add_days(applied_on, -365),
                    )
                };
                (format!("{family} {}", pick(rng, names::GIVEN_CHILD)), born)
            })
            .collect();

        // --- money ---------------------------------------------------------------------------
        let institution = make_institution(rng);
        let mut receipts = self.receipts(scenario, &course, rng);
        let all_items: Vec<LineItem> = receipts.iter().flat_map(|r| r.items.clone()).collect();
        let cost = training_cost(&all_items);
        let employment_insurance = match scenario {
            S::PayEmploymentInsurance => (cost * 20 / 100).min(100_000),
            // 特定一般教育訓練 pays 40%: enough to take a small course under the lower limit.
            S::DenyBelowLowerLimit if course.kind == "specified_general" => {
                (cost * 40 / 100).min(200_000)
            }
            _ => 0,
        };
        let amount = benefit_amount(cost, course.kind, course.years, employment_insurance);

        // --- payer, seals, corrections -------------------------------------------------------
        let payer = if scenario == S::IncompletePayerOther {
            Name {
                family: family.to_string(),
                given: pick(rng, names::GIVEN_OTHER).to_string(),
            }
        } else {
            applicant.clone()
        };
        let stamp_name = pick(rng, names::FAMILY).0.to_string();
        let mut receipt_specs: Vec<ReceiptSpec> = Vec::new();
        let n_receipts = receipts.len() as u32;
        for (k, draft) in receipts.drain(..).enumerate() {
            let all_counted = draft.items.iter().all(|i| counts_toward_cost(i.category));
            let layout = draft.layout.unwrap_or_else(|| {
                // Some pay by card with no fee to the applicant (一括 or 手数料無料): a
                // クレジット契約証明書 that lists only the course fees.
                if all_counted && !draft.items.is_empty() && rng.random_bool(0.1) {
                    ReceiptLayout::Credit
                } else if draft.items.len() <= 3 && rng.random_bool(0.3) {
                    ReceiptLayout::Pad
                } else if rng.random_bool(0.5) {
                    ReceiptLayout::Table
                } else {
                    ReceiptLayout::Letter
                }
            });
            let issued_on = if k == 0 {
                random_date(
                    rng,
                    add_days(course.started_on, -25),
                    add_days(course.started_on, -1),
                )
            } else {
                // Later instalments fall due at equal steps through the course.
                let length = (course.completed_on - course.started_on).num_days();
                add_days(
                    course.started_on,
                    (length * k as i64 / n_receipts as i64).max(1),
                )
            };
            let total = draft
                .bare_total
                .unwrap_or_else(|| receipt_total(&draft.items));
            let purpose = if draft.items.is_empty() {
                format!("{} 講座費用一式として", course.name)
            } else {
                format!("{} 受講料等として", course.name)
            };
            receipt_specs.push(ReceiptSpec {
                layout,
                number: rng.random_range(100..9999),
                payer: payer.clone(),
                issuer: institution.clone(),
                course_name: course.name.clone(),
                issued_on,
                items: draft.items,
                total,
                sealed: scenario != S::IncompleteNoSeal,
                correction: None,
                instalment: (n_receipts > 1).then_some((k as u32 + 1, n_receipts)),
                credit_company: (layout == ReceiptLayout::Credit)
                    .then(|| pick(rng, names::CREDIT_COMPANIES).to_string()),
                purpose,
            });
        }
        let mut certificate = CertificateSpec {
            layout: if rng.random_bool(0.5) {
                CertificateLayout::Formal
            } else {
                CertificateLayout::Framed
            },
            number: rng.random_range(1..999),
            trainee: applicant.clone(),
            birth_date,
            course_name: course.name.clone(),
            started_on: course.started_on,
            completed_on: course.completed_on,
            issued_on: add_days(
                course.completed_on,
                rng.random_range(0..=(applied_on - course.completed_on).num_days().min(5)),
            ),
            issuer: institution.clone(),
            correction: None,
        };
        if matches!(
            scenario,
            S::PaySealedCorrection | S::IncompleteUnsealedCorrection
        ) {
            let sealed = scenario == S::PaySealedCorrection;
            self.correction_subs += 1;
            // Unsealed corrections alternate between the receipt and the certificate (both void
            // the document: seed 003 第1-5-(1) and (5)).
            if !sealed && self.correction_subs.is_multiple_of(2) {
                certificate.correction = Some(Correction {
                    target: CorrectionTarget::CompletedOn,
                    old_amount: rng.random_range(1..=9),
                    sealed,
                    stamp: stamp_name,
                });
            } else if let Some(r) = receipt_specs.first_mut() {
                // The card form shows no correctable cash amount: corrections go on a 領収書.
                if r.layout == ReceiptLayout::Credit {
                    r.layout = ReceiptLayout::Table;
                }
                let target = if r.layout == ReceiptLayout::Pad || r.items.is_empty() {
                    CorrectionTarget::Total
                } else {
                    CorrectionTarget::Item(r.items.len() - 1)
                };
                let right = match target {
                    CorrectionTarget::Item(i) => r.items[i].amount,
                    _ => r.total,
                };
                let old = right + *pick(rng, &[-3_000, -1_000, 2_000, 5_000, 10_000]);
                r.correction = Some(Correction {
                    target,
                    old_amount: old,
                    sealed,
                    stamp: stamp_name,
                });
            }
        }

        // --- the application -----------------------------------------------------------------
        let independence_program = match scenario {
            S::DenyNoIndependenceProgram => None,
            _ => Some(program_on),
        };
        let mut app = json!({
            "benefit": "kyoiku_kunren",
            "applied_on": applied_on,
            "applicant": {
                "name": applicant.full(),
                "name_kana": format!("{family_kana} {given_kana}"),
                "birth_date": birth_date,
                "address": format!("{}{}-{}-{}", pick(rng, names::TOWNS), rng.random_range(1..=9),
                                   rng.random_range(1..=30), rng.random_range(1..=20)),
                "phone": format!("0{}-000-{:04}", rng.random_range(3..=49), rng.random_range(0..10000)),
            },
            "children": children.iter().map(|(n, b)| json!({"name": n, "birth_date": b})).collect::<Vec<_>>(),
            "single_parent_since": add_days(designated_on, -rng.random_range(200..=2500)),
            "child_support_allowance": *pick(rng, &["full", "partial", "same_level"]),
            "resident_tax": *pick(rng, &["exempt", "taxed"]),
            "prior_receipt": scenario == S::DenyPriorReceipt,
            "employment_insurance": {"entitled": employment_insurance > 0, "benefit_yen": employment_insurance},
            "course": {
                "name": course.name,
                "institution": institution.issuer_name(),
                "kind": course.kind,
                "designated_on": designated_on,
                "started_on": course.started_on,
                "completed_on": course.completed_on,
                "years": course.years,
            },
            "bank": {
                "bank_code": format!("{:04}", rng.random_range(1..=9999)),
                "branch_code": format!("{:03}", rng.random_range(1..=999)),
                "account_type": "ordinary",
                "account_number": format!("{:07}", rng.random_range(0..10_000_000)),
                "holder_kana": format!("{family_kana} {given_kana}"),
            },
        });
        match independence_program {
            Some(d) => app["independence_program_on"] = json!(d),
            // Both ways an online form says "none": an explicit null, or the key left out.
            None if rng.random_bool(0.5) => {
                app["independence_program_on"] = serde_json::Value::Null
            }
            None => {}
        }

        // --- the documents in the folder -----------------------------------------------------
        let mut docs: Vec<DocSpec> = Vec::new();
        if scenario != S::IncompleteMissingReceipt {
            docs.extend(receipt_specs.into_iter().map(DocSpec::Receipt));
        }
        if scenario != S::IncompleteMissingCertificate {
            docs.push(DocSpec::Certificate(certificate));
        }
        let files = assign_files(&docs, rng);

        // --- the expected decision (RULES.md §1.5 precedence; one defect per scenario) --------
        let (outcome, reasons): (Outcome, &[&str]) = match scenario {
            S::DenyPriorReceipt => (Outcome::Deny, &["prior_receipt"]),
            S::DenyDesignatedLate => (Outcome::Deny, &["not_designated_before_start"]),
            S::DenyNoIndependenceProgram => (Outcome::Deny, &["no_independence_program"]),
            S::DenyChildOver20 => (Outcome::Deny, &["child_not_under_20"]),
            S::IncompleteNoSeal => (Outcome::Incomplete, &["receipt_no_seal"]),
            S::IncompleteUnsealedCorrection => (Outcome::Incomplete, &["unsealed_correction"]),
            S::IncompleteMissingCertificate => (Outcome::Incomplete, &["missing_certificate"]),
            S::IncompleteMissingReceipt => (Outcome::Incomplete, &["missing_receipt"]),
            S::IncompletePayerOther => (Outcome::Incomplete, &["payer_not_applicant"]),
            S::IncompleteNoBreakdown => (Outcome::Incomplete, &["receipt_field_missing:items"]),
            _ if amount.is_none() => (Outcome::Deny, &["amount_not_above_lower_limit"]),
            S::ReviewLateApplication => (Outcome::NeedsReview, &["late_application"]),
            _ => (Outcome::Pay, &[]),
        };
        let amount_yen = match outcome {
            Outcome::Pay | Outcome::NeedsReview => amount.unwrap_or(0),
            Outcome::Deny | Outcome::Incomplete => 0,
        };
        Submission {
            id,
            scenario,
            application: app,
            docs,
            files,
            expected: Expected {
                outcome,
                amount_yen,
                reason_codes: reasons.iter().map(|s| s.to_string()).collect(),
            },
            render_seed: rng.next_u64(),
        }
    }

    fn course(&mut self, scenario: Scenario, rng: &mut ChaCha8Rng) -> CourseFacts {
        if scenario == Scenario::PaySpecialized {
            let (name, per_year) = *pick(rng, names::SPECIALIZED_COURSES);
            let years = *pick(rng, &[1i64, 2, 2, 3, 4]);
            // 専門実践 courses run April to March; completion in March 2025 or 2026.
            let end_year = *pick(rng, &[2025, 2026]);
            let completed_on = date(end_year, 3, rng.random_range(10..=20));
            let started_on = date(end_year - years as i32, 4, rng.random_range(1..=8));
            return CourseFacts {
                name: name.to_string(),
                kind: "specialized_practical",
                years,
                base_tuition: vary(rng, per_year, 10_000),
                designated_on: add_days(started_on, -rng.random_range(20..=80)),
                started_on,
                completed_on,
            };
        }
        let (name, tuition) = *pick(rng, names::GENERAL_COURSES);
        let completed_on = random_date(rng, date(2025, 1, 20), date(2026, 11, 30));
        let started_on = add_days(completed_on, -rng.random_range(30..=300));
        let kind = if scenario == Scenario::DenyBelowLowerLimit {
            self.below_limit_subs += 1;
            if self.below_limit_subs.is_multiple_of(2) {
                "specified_general"
            } else {
                "general"
            }
        } else if rng.random_bool(0.2) {
            "specified_general"
        } else {
            "general"
        };
        CourseFacts {
            name: name.to_string(),
            kind,
            years: 1,
            base_tuition: vary(rng, tuition, 1_000),
            designated_on: add_days(started_on, -rng.random_range(7..=60)),
            started_on,
            completed_on,
        }
    }

    /// The receipts' breakdowns for the scenario (layout forced only where the scenario needs one).
    fn receipts(
        &mut self,
        scenario: Scenario,
        c: &CourseFacts,
        rng: &mut ChaCha8Rng,
    ) -> Vec<Draft> {
        use Scenario as S;
        let admission = *pick(rng, &[5_000, 10_000, 11_000, 15_000, 20_000, 30_000]);
        let tuition = c.base_tuition;
        let plain = |items: Vec<LineItem>| {
            vec![Draft {
                layout: None,
                items,
                bare_total: None,
            }]
        };
        match scenario {
            S::PayTuitionOnly => {
                // Sometimes the RULES.md boundary: 20,002円 → 12,001円 (just above the limit).
                let t = if rng.random_bool(0.3) {
                    20_002
                } else {
                    tuition
                };
                let mut items = vec![item("受講料", t, ItemCategory::Tuition)];
                if t != 20_002 && rng.random_bool(0.4) {
                    items.push(item(
                        "教材費",
                        vary(rng, 8_000, 100),
                        ItemCategory::RequiredMaterial,
                    ));
                }
                plain(items)
            }
            S::PayConsumptionTax => {
                let a = admission * 10 / 11 / 100 * 100;
                let t = tuition * 10 / 11 / 100 * 100;
                plain(vec![
                    item("入学料", a, ItemCategory::Admission),
                    item("受講料", t, ItemCategory::Tuition),
                    item(
                        "消費税（10%）",
                        (a + t) * 10 / 100,
                        ItemCategory::ConsumptionTax,
                    ),
                ])
            }
            S::PayExcluded => {
                self.excluded_subs += 1;
                let n = if self.excluded_subs % 2 == 1 { 2 } else { 1 };
                let mut items = vec![
                    item("入学料", admission, ItemCategory::Admission),
                    item("受講料", tuition, ItemCategory::Tuition),
                ];
                let mut layout = None;
                for k in 0..n {
                    let cat = EXCLUDED_CYCLE[self.excluded_next % EXCLUDED_CYCLE.len()];
                    // A クレジット契約証明書 lists only what was financed and the card fee: the
                    // fee goes on a form of its own, never beside a cash-only line.
                    if cat == ItemCategory::CreditInterest && k > 0 {
                        break;
                    }
                    self.excluded_next += 1;
                    items.push(excluded_line(cat, admission + tuition, rng));
                    if cat == ItemCategory::CreditInterest {
                        layout = Some(ReceiptLayout::Credit);
                        break;
                    }
                }
                vec![Draft {
                    layout,
                    items,
                    bare_total: None,
                }]
            }
            S::PaySpecialized => {
                let admission = item("入学金", admission * 10, ItemCategory::Admission);
                let year = |y: i64| {
                    item(
                        &format!("授業料（{y}年次）"),
                        tuition,
                        ItemCategory::Tuition,
                    )
                };
                if c.years >= 2 && rng.random_bool(0.5) {
                    // One receipt a year, as schools bill 授業料 yearly.
                    (1..=c.years)
                        .map(|y| Draft {
                            layout: None,
                            items: if y == 1 {
                                vec![admission.clone(), year(1)]
                            } else {
                                vec![year(y)]
                            },
                            bare_total: None,
                        })
                        .collect()
                } else {
                    let mut items = vec![admission];
                    items.extend((1..=c.years).map(year));
                    plain(items)
                }
            }
            S::PayInstalments => {
                let first = tuition / 2 / 1000 * 1000;
                vec![
                    Draft {
                        layout: None,
                        items: vec![
                            item("入学料", admission, ItemCategory::Admission),
                            item("受講料（第1回）", first, ItemCategory::Tuition),
                        ],
                        bare_total: None,
                    },
                    Draft {
                        layout: None,
                        items: vec![item(
                            "受講料（第2回）",
                            tuition - first,
                            ItemCategory::Tuition,
                        )],
                        bare_total: None,
                    },
                ]
            }
            S::DenyBelowLowerLimit => {
                if c.kind == "specified_general" {
                    // 60% of this minus the 40% 雇用保険 benefit stays under 12,001円.
                    let t = *pick(rng, &[45_000, 52_800, 38_500]);
                    plain(vec![item("受講料", t, ItemCategory::Tuition)])
                } else {
                    // RULES.md worked example: 20,001円 → 12,000円 → 不支給.
                    let t = *pick(rng, &[20_001, 19_800, 16_500]);
                    plain(vec![item("受講料", t, ItemCategory::Tuition)])
                }
            }
            S::IncompleteNoBreakdown => vec![Draft {
                layout: Some(if rng.random_bool(0.5) {
                    ReceiptLayout::Pad
                } else {
                    ReceiptLayout::Letter
                }),
                items: Vec::new(),
                // The total is still the course fee; only its breakdown is missing.
                bare_total: Some(admission + tuition),
            }],
            _ => {
                let mut items = vec![
                    item("入学料", admission, ItemCategory::Admission),
                    item("受講料", tuition, ItemCategory::Tuition),
                ];
                if rng.random_bool(0.25) {
                    items.push(item(
                        "教科書代",
                        vary(rng, 6_000, 100),
                        ItemCategory::RequiredMaterial,
                    ));
                }
                plain(items)
            }
        }
    }
}

/// A receipt's breakdown before the issuing details are chosen.
struct Draft {
    layout: Option<ReceiptLayout>,
    items: Vec<LineItem>,
    /// The total of a receipt printed without any breakdown.
    bare_total: Option<i64>,
}

/// One excluded line of category `cat`, sized against the course fees.
fn excluded_line(cat: ItemCategory, fees: i64, rng: &mut ChaCha8Rng) -> LineItem {
    use ItemCategory as C;
    match cat {
        C::ExamFee => item("検定試験受験料", vary(rng, 8_800, 100), cat),
        C::OptionalMaterial => item("補助教材費（任意）", vary(rng, 6_600, 100), cat),
        C::SupplementaryLesson => item("補講費", vary(rng, 12_000, 1_000), cat),
        C::Event => item("行事参加費", vary(rng, 5_000, 500), cat),
        C::RefundableBond => item("学債（修了時返還）", vary(rng, 50_000, 10_000), cat),
        C::Transport => item("交通費", vary(rng, 14_000, 10), cat),
        C::Equipment => item("パソコン購入費", vary(rng, 98_000, 1_000), cat),
        // 分割払手数料: a few percent of the financed fees.
        C::CreditInterest => item("分割払手数料", fees * rng.random_range(3..=9) / 100, cat),
        C::Unpaid => item("受講料（後期分）未納", vary(rng, 30_000, 1_000), cat),
        C::Subsidy => {
            let label = *pick(rng, &["事業主負担額", "返還金"]);
            item(
                label,
                (fees * rng.random_range(10..=25) / 100 / 100) * 100,
                cat,
            )
        }
        _ => item("その他", 1_000, C::Other),
    }
}

/// Spreads the documents over files: mostly one file per document in a format the scanner might
/// produce, sometimes the receipt and the certificate in one grayscale TIFF.
fn assign_files(docs: &[DocSpec], rng: &mut ChaCha8Rng) -> Vec<FileSpec> {
    let mut files = Vec::new();
    let mut used_names: Vec<String> = Vec::new();
    let cert = docs
        .iter()
        .position(|d| matches!(d, DocSpec::Certificate(_)));
    let mut remaining: Vec<usize> = (0..docs.len()).collect();
    if let (Some(c), Some(r)) = (
        cert,
        docs.iter().position(|d| matches!(d, DocSpec::Receipt(_))),
    ) {
        if rng.random_bool(0.12) {
            remaining.retain(|&i| i != c && i != r);
            let pages = vec![r, c];
            let scans = pages
                .iter()
                .map(|&i| ScanParams::random(rng, &docs[i], FileFormat::Tiff))
                .collect();
            files.push(FileSpec {
                name: unique_name(rng, FileFormat::Tiff, &mut used_names),
                format: FileFormat::Tiff,
                docs: pages,
                scans,
            });
        }
    }
    for i in remaining {
        let format = FileFormat::random(rng);
        files.push(FileSpec {
            name: unique_name(rng, format, &mut used_names),
            format,
            docs: vec![i],
            scans: vec![ScanParams::random(rng, &docs[i], format)],
        });
    }
    files
}

/// A file name as scanners and phones make them (never revealing the scenario).
fn unique_name(rng: &mut ChaCha8Rng, format: FileFormat, used: &mut Vec<String>) -> String {
    loop {
        let stem = match rng.random_range(0..4) {
            0 => format!("scan{:04}", rng.random_range(1..10000)),
            1 => format!("IMG_{:04}", rng.random_range(1000..10000)),
            2 => format!(
                "202{}{:02}{:02}_{:04}",
                rng.random_range(5..=6),
                rng.random_range(1..=12),
                rng.random_range(1..=28),
                rng.random_range(1..10000)
            ),
            _ => format!("doc{:05}", rng.random_range(1..100000)),
        };
        let name = format!("{stem}.{}", format.extension());
        if !used.contains(&name) {
            used.push(name.clone());
            return name;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Truth and output.
// ---------------------------------------------------------------------------------------------

impl Submission {
    /// The truth record: the expected decision and every document as `kyufu extract` should read it.
    pub fn truth(&self) -> Truth {
        let mut documents = Vec::new();
        for f in &self.files {
            for (p, &d) in f.docs.iter().enumerate() {
                documents.push(doc_truth(&f.name, p as u32 + 1, &self.docs[d]));
            }
        }
        Truth {
            id: self.id.clone(),
            scenario: self.scenario.id().to_string(),
            expected: self.expected.clone(),
            documents,
        }
    }

    /// Renders and encodes every file of the submission: (file name, bytes).
    pub fn render(&self, fonts: &Fonts) -> Result<Vec<(String, Vec<u8>)>, CorpusError> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.render_seed);
        let mut out = Vec::new();
        for f in &self.files {
            let mut pages = Vec::new();
            for (&d, params) in f.docs.iter().zip(&f.scans) {
                let paper = layout::draw(&self.docs[d], params, fonts, &mut rng);
                pages.push(scan::degrade(paper, params, &mut rng));
            }
            let bytes =
                scan::encode(&pages, f.format, &f.scans).map_err(|reason| CorpusError::Encode {
                    file: format!("{}/{}", self.id, f.name),
                    reason,
                })?;
            out.push((f.name.clone(), bytes));
        }
        Ok(out)
    }
}

fn doc_truth(file: &str, page: u32, doc: &DocSpec) -> TruthDoc {
    let mut fields = BTreeMap::new();
    let mut put = |k: &str, v: Value| {
        fields.insert(k.to_string(), v);
    };
    match doc {
        DocSpec::Receipt(r) => {
            put("payer_name", Value::Text(r.payer.full()));
            put("issuer_name", Value::Text(r.issuer.issuer_name()));
            put("course_name", Value::Text(r.course_name.clone()));
            put("issued_on", Value::Date(r.issued_on));
            put("amount_total", Value::Yen(r.total));
            put("seal_present", Value::Bool(r.sealed));
            put(
                "has_unsealed_correction",
                Value::Bool(r.correction.as_ref().is_some_and(|c| !c.sealed)),
            );
            TruthDoc {
                file: file.to_string(),
                pages: vec![page],
                kind: DocKind::Receipt,
                layout: format!("{:?}", r.layout).to_lowercase(),
                fields,
                items: r
                    .items
                    .iter()
                    .map(|i| TruthItem {
                        label: i.label.clone(),
                        amount: i.amount,
                        category: i.category,
                    })
                    .collect(),
            }
        }
        DocSpec::Certificate(c) => {
            put("trainee_name", Value::Text(c.trainee.full()));
            put("birth_date", Value::Date(c.birth_date));
            put("course_name", Value::Text(c.course_name.clone()));
            put("started_on", Value::Date(c.started_on));
            put("completed_on", Value::Date(c.completed_on));
            put("issuer_name", Value::Text(c.issuer.issuer_name()));
            put("seal_present", Value::Bool(true));
            put(
                "has_unsealed_correction",
                Value::Bool(c.correction.as_ref().is_some_and(|c| !c.sealed)),
            );
            TruthDoc {
                file: file.to_string(),
                pages: vec![page],
                kind: DocKind::CompletionCertificate,
                layout: format!("{:?}", c.layout).to_lowercase(),
                fields,
                items: Vec::new(),
            }
        }
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CorpusError> {
    fs::write(path, bytes).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn mkdir(path: &Path) -> Result<(), CorpusError> {
    fs::create_dir_all(path).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Plans, renders and writes the corpus: `out/inbox/<id>/…` and, unless `inbox_only`,
/// `out/truth/<id>.json`.
pub fn generate(opts: &Options) -> Result<Summary, CorpusError> {
    let fonts = Fonts::load()?;
    let inbox = opts.out.join("inbox");
    let truth_dir = opts.out.join("truth");
    mkdir(&inbox)?;
    if !opts.inbox_only {
        mkdir(&truth_dir)?;
    }
    let mut summary = Summary::default();
    for sub in plan(opts.seed, opts.count) {
        let dir = inbox.join(&sub.id);
        mkdir(&dir)?;
        let app = serde_json::to_vec_pretty(&sub.application).map_err(|e| CorpusError::Encode {
            file: format!("{}/application.json", sub.id),
            reason: e.to_string(),
        })?;
        write(&dir.join("application.json"), &app)?;
        for (name, bytes) in sub.render(&fonts)? {
            summary.files += 1;
            summary.bytes += bytes.len() as u64;
            write(&dir.join(&name), &bytes)?;
        }
        if !opts.inbox_only {
            let truth =
                serde_json::to_vec_pretty(&sub.truth()).map_err(|e| CorpusError::Encode {
                    file: format!("truth/{}.json", sub.id),
                    reason: e.to_string(),
                })?;
            write(&truth_dir.join(format!("{}.json", sub.id)), &truth)?;
        }
        summary.submissions += 1;
        *summary
            .by_outcome
            .entry(sub.expected.outcome.id().to_string())
            .or_default() += 1;
    }
    Ok(summary)
}

/// The year in 和暦 for a date: (era, year), 元年 being 1.
pub fn wareki(d: NaiveDate) -> (&'static str, i32) {
    if d >= date(2019, 5, 1) {
        ("令和", d.year() - 2018)
    } else if d >= date(1989, 1, 8) {
        ("平成", d.year() - 1988)
    } else {
        ("昭和", d.year() - 1925)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the target's tmp dir (no clock, no randomness: named by the test).
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kyufu-corpus-test-{name}"));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn receipts(sub: &Submission) -> impl Iterator<Item = &ReceiptSpec> {
        sub.docs.iter().filter_map(|d| match d {
            DocSpec::Receipt(r) => Some(r),
            DocSpec::Certificate(_) => None,
        })
    }

    #[test]
    fn the_rules_worked_examples_come_out_of_the_oracle() {
        // RULES.md §1.3 "Worked examples".
        assert_eq!(
            benefit_amount(11_000 + 88_000, "general", 1, 0),
            Some(59_400)
        );
        assert_eq!(benefit_amount(99_000, "general", 1, 19_800), Some(39_600));
        assert_eq!(benefit_amount(20_001, "general", 1, 0), None);
        assert_eq!(benefit_amount(20_002, "general", 1, 0), Some(12_001));
        assert_eq!(
            benefit_amount(3_000_000, "specialized_practical", 2, 0),
            Some(800_000)
        );
        assert_eq!(
            benefit_amount(9_000_000, "specialized_practical", 5, 0),
            Some(1_600_000)
        );
        assert_eq!(benefit_amount(1_000_000, "general", 1, 0), Some(200_000));
    }

    #[test]
    fn sixty_submissions_follow_the_quota_table_and_any_count_adds_up() {
        let q = Scenario::quotas(60);
        assert_eq!(q, Scenario::QUOTA_PER_60.to_vec());
        for count in [1, 5, 8, 13, 60, 61, 200] {
            let q = Scenario::quotas(count);
            assert_eq!(
                q.iter().map(|(_, n)| n).sum::<usize>(),
                count,
                "count {count}"
            );
        }
        // A handful still shows more than one outcome.
        let subs = plan(7, 8);
        let outcomes: std::collections::BTreeSet<Outcome> =
            subs.iter().map(|s| s.expected.outcome).collect();
        assert!(outcomes.len() >= 3, "{outcomes:?}");
    }

    #[test]
    fn outcome_shares_match_the_brief() {
        let subs = plan(1, 60);
        let n = |o: Outcome| subs.iter().filter(|s| s.expected.outcome == o).count();
        assert_eq!(n(Outcome::Pay), 33);
        assert_eq!(n(Outcome::Deny), 9);
        assert_eq!(n(Outcome::Incomplete), 15);
        assert_eq!(n(Outcome::NeedsReview), 3);
    }

    #[test]
    fn every_excluded_category_appears_in_sixty() {
        for seed in [1, 2, 99] {
            let truths: Vec<Truth> = plan(seed, 60).iter().map(Submission::truth).collect();
            for cat in EXCLUDED_CYCLE {
                assert!(
                    truths
                        .iter()
                        .flat_map(|t| &t.documents)
                        .flat_map(|d| &d.items)
                        .any(|i| i.category == cat),
                    "seed {seed}: no {cat:?} line"
                );
            }
        }
    }

    #[test]
    fn every_receipt_total_is_its_breakdown() {
        for seed in [1, 5] {
            for t in plan(seed, 60).iter().map(Submission::truth) {
                for d in t.documents.iter().filter(|d| d.kind == DocKind::Receipt) {
                    let total = d.fields["amount_total"]
                        .as_yen()
                        .expect("amount_total is yen");
                    assert!(total > 0, "{}: {}", t.id, d.file);
                    if d.items.is_empty() {
                        assert_eq!(t.scenario, "incomplete_no_breakdown", "{}", t.id);
                        continue;
                    }
                    // Paid lines add up, deductions (△) subtract, 未納 and the card fee stand
                    // outside the 領収額.
                    let mut sum = 0;
                    for i in &d.items {
                        match i.category {
                            ItemCategory::Subsidy => sum -= i.amount,
                            ItemCategory::Unpaid | ItemCategory::CreditInterest => {}
                            _ => sum += i.amount,
                        }
                        assert!(i.amount > 0, "{}: {}", t.id, i.label);
                    }
                    assert_eq!(sum, total, "{} {}", t.id, d.file);
                }
            }
        }
    }

    #[test]
    fn pay_amounts_follow_the_receipts_and_the_application() {
        for sub in plan(3, 60) {
            let app = &sub.application;
            let items: Vec<LineItem> = receipts(&sub).flat_map(|r| r.items.clone()).collect();
            let kind = app["course"]["kind"].as_str().unwrap_or_default();
            let years = app["course"]["years"].as_i64().unwrap_or(1);
            let ei = app["employment_insurance"]["benefit_yen"]
                .as_i64()
                .unwrap_or(0);
            match sub.expected.outcome {
                Outcome::Pay | Outcome::NeedsReview => {
                    let expected = benefit_amount(training_cost(&items), kind, years, ei);
                    assert_eq!(Some(sub.expected.amount_yen), expected, "{}", sub.id);
                    assert!(sub.expected.amount_yen > 12_000);
                }
                Outcome::Deny | Outcome::Incomplete => assert_eq!(sub.expected.amount_yen, 0),
            }
        }
    }

    #[test]
    fn applications_hold_the_facts_each_scenario_needs() {
        let day = |v: &serde_json::Value| {
            v.as_str()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        };
        for sub in plan(11, 60) {
            let a = &sub.application;
            let applied = day(&a["applied_on"]).expect("applied_on");
            let completed = day(&a["course"]["completed_on"]).expect("completed_on");
            let started = day(&a["course"]["started_on"]).expect("started_on");
            let designated = day(&a["course"]["designated_on"]).expect("designated_on");
            assert!((2025..=2026).contains(&completed.year()), "{}", sub.id);
            assert!(started < completed);
            let days_after = (applied - completed).num_days();
            if sub.scenario == Scenario::ReviewLateApplication {
                assert!(days_after >= 30, "{}", sub.id);
            } else {
                assert!((0..29).contains(&days_after), "{}", sub.id);
            }
            assert_eq!(
                designated >= started,
                sub.scenario == Scenario::DenyDesignatedLate,
                "{}",
                sub.id
            );
            let program = day(&a["independence_program_on"]);
            assert_eq!(
                program.is_none(),
                sub.scenario == Scenario::DenyNoIndependenceProgram,
                "{}",
                sub.id
            );
            let children = a["children"].as_array().expect("children");
            let all_over_20 = children.iter().all(|c| {
                day(&c["birth_date"]).is_some_and(|b| applied.years_since(b).unwrap_or(0) >= 20)
            });
            assert_eq!(
                all_over_20,
                sub.scenario == Scenario::DenyChildOver20,
                "{}",
                sub.id
            );
            for r in receipts(&sub) {
                assert!(r.issued_on <= applied, "{}", sub.id);
                assert_eq!(
                    r.payer.full() != a["applicant"]["name"].as_str().unwrap_or_default(),
                    sub.scenario == Scenario::IncompletePayerOther
                );
            }
        }
    }

    #[test]
    fn the_paper_prints_every_amount_the_truth_claims() {
        let Ok(fonts) = Fonts::load() else {
            panic!("the system fonts listed in COMMON.md must be installed");
        };
        let normalize = |s: &str| -> String {
            s.chars()
                .filter_map(|c| match c {
                    '０'..='９' => char::from_u32(c as u32 - 0xFF10 + '0' as u32),
                    ',' | '，' => None,
                    _ => Some(c),
                })
                .collect()
        };
        for sub in plan(4, 24) {
            let mut rng = ChaCha8Rng::seed_from_u64(sub.render_seed);
            for f in &sub.files {
                for (&d, scan) in f.docs.iter().zip(&f.scans) {
                    let sheet = layout::draw_sheet(&sub.docs[d], scan, &fonts, &mut rng);
                    let printed = normalize(&sheet.transcript.join("\n"));
                    let has_number = |n: i64| {
                        let n = n.to_string();
                        printed.match_indices(&n).any(|(i, _)| {
                            let before = printed[..i].chars().next_back();
                            let after = printed[i + n.len()..].chars().next();
                            !before.is_some_and(|c| c.is_ascii_digit())
                                && !after.is_some_and(|c| c.is_ascii_digit())
                        })
                    };
                    match &sub.docs[d] {
                        DocSpec::Receipt(r) => {
                            assert!(has_number(r.total), "{} total {}", sub.id, r.total);
                            for i in &r.items {
                                assert!(
                                    has_number(i.amount),
                                    "{} {} {}",
                                    sub.id,
                                    i.label,
                                    i.amount
                                );
                                assert!(printed.contains(&i.label), "{} {}", sub.id, i.label);
                            }
                            assert!(printed.contains(&r.payer.full()));
                            assert!(printed.contains(&r.course_name));
                            assert_eq!(
                                printed.contains("[印:"),
                                r.sealed || r.correction.as_ref().is_some_and(|c| c.sealed)
                            );
                        }
                        DocSpec::Certificate(c) => {
                            assert!(printed.contains(&c.trainee.full()));
                            assert!(printed.contains(&c.course_name));
                            assert!(printed.contains("修了したことを証明します"));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn same_seed_same_bytes_and_every_file_decodes() {
        let (a, b) = (scratch("a"), scratch("b"));
        let run = |out: &Path| {
            generate(&Options {
                out: out.to_path_buf(),
                count: 5,
                seed: 42,
                inbox_only: false,
            })
            .expect("generate")
        };
        let (sa, sb) = (run(&a), run(&b));
        assert_eq!(sa.files, sb.files);
        let mut checked = 0;
        for sub in plan(42, 5) {
            let truth: Truth = serde_json::from_slice(
                &fs::read(a.join("truth").join(format!("{}.json", sub.id))).expect("truth"),
            )
            .expect("truth parses back");
            assert_eq!(truth, sub.truth());
            let dir_a = a.join("inbox").join(&sub.id);
            let dir_b = b.join("inbox").join(&sub.id);
            for name in std::iter::once("application.json".to_string())
                .chain(sub.files.iter().map(|f| f.name.clone()))
            {
                let bytes = fs::read(dir_a.join(&name)).expect("file a");
                assert_eq!(
                    bytes,
                    fs::read(dir_b.join(&name)).expect("file b"),
                    "{name}"
                );
                checked += 1;
            }
            for f in &sub.files {
                let bytes = fs::read(dir_a.join(&f.name)).expect("file");
                match f.format {
                    FileFormat::PdfJpeg | FileFormat::PdfFlate => {
                        let doc = lopdf::Document::load_mem(&bytes).expect("pdf loads");
                        assert_eq!(doc.get_pages().len(), f.docs.len());
                    }
                    _ => {
                        let img = image::load_from_memory(&bytes).expect("image decodes");
                        let (w, _) = f.scans[0].paper.mm();
                        let expected_w = (w / 25.4 * f.scans[0].dpi as f32).round() as u32;
                        assert_eq!(img.width(), expected_w, "{}", f.name);
                    }
                }
                assert!(
                    bytes.len() < 1_500_000,
                    "{} is {} bytes",
                    f.name,
                    bytes.len()
                );
            }
        }
        assert!(checked >= 10);
        let _ = fs::remove_dir_all(&a);
        let _ = fs::remove_dir_all(&b);
    }
}
