//! The generated scan corpus: fictional 自立支援教育訓練給付金 submissions with their ground truth.
//!
//! For each submission it picks a *scenario* (a pay case, a denial, a defective document, a late
//! application), invents the people, course, dates and amounts, and writes the expected decision by
//! explicit arithmetic here — an oracle independent of `kyufu::rules`, so that a bug there cannot
//! hide in the test data. Planning lives in `plan.rs` (with the wording in `wording.rs`); rendering
//! of the paper documents in `layout.rs`, `receipts.rs`, `forms.rs`, `certificates.rs` and
//! `paint.rs`; the scanner, fax and phone camera and the file formats in `scan.rs` and `photo.rs`.
//!
//! The corpus is meant to be wide enough that a reader tuned to it cannot pass by accident: eight
//! receipt and four certificate layouts on A4 (portrait and landscape), A5, a 領収証 pad and a till
//! roll; eight printed typefaces and three handwriting-like ones; a dozen phrasings of the 但し書き and
//! of each label; issuers with and without a 法人格; seals over text; scans, faxes and phone photos.
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
//! - `issuer_name` of an issuer without a 法人格 is its printed name without spaces
//!   (「医療事務カレッジ 大宮校」 → 「医療事務カレッジ大宮校」); a 法人格 written after the name stays
//!   there (「ひばりケア株式会社」).
//! - `variant` names the choices that do not change the truth (layout, paper, typeface, wording,
//!   capture), so misses can be grouped by what caused them; readers of the truth may ignore it.

#[path = "certificates.rs"]
mod certificates;
#[path = "forms.rs"]
mod forms;
#[path = "layout.rs"]
mod layout;
#[path = "names.rs"]
mod names;
#[path = "paint.rs"]
mod paint;
#[path = "photo.rs"]
mod photo;
#[path = "plan.rs"]
mod plan;
#[path = "receipts.rs"]
mod receipts;
#[path = "scan.rs"]
mod scan;
#[path = "wording.rs"]
mod wording;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use kyufu::decision::Outcome;
use kyufu::document::{DocKind, ItemCategory, Value};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use paint::{Face, Fonts};
use plan::date;
pub use plan::plan;
pub use scan::{Capture, FileFormat, ScanParams};
pub use wording::{CertWording, Wording};

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
    /// Every page captured so ([`plan`]), where given.
    pub capture: Option<Capture>,
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
    /// Which paper layout was drawn (`table`, `pad`, `letter`, `credit`, `till`, `twocolumn`,
    /// `statement`, `invoice`; `formal`, `framed`, `prose`, `landscape`), so extraction failures can
    /// be grouped by layout.
    pub layout: String,
    /// The choices that do not change the truth: `paper`, `face`, `capture`, `purpose`, the labels…
    #[serde(default)]
    pub variant: BTreeMap<String, String>,
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
    /// 法人格: 学校法人, 株式会社, 一般社団法人, 公益財団法人…; empty for a school that prints none
    /// (「医療事務カレッジ 大宮校」).
    pub corp_kind: String,
    /// The 法人格 follows the name (「ひばりケア株式会社」).
    pub corp_after: bool,
    pub corp_name: String,
    /// The branch of an issuer without a 法人格 (「大宮校」), part of its name.
    pub campus: Option<String>,
    /// The school's own name under the 法人 (学校法人 only).
    pub school: Option<String>,
    /// 校長, 代表取締役, 理事長, 代表者…
    pub rep_title: String,
    pub rep: Name,
    pub address: String,
    pub phone: String,
    /// The word the seal is cut from.
    pub seal_word: String,
}

impl Institution {
    /// The contract's `issuer_name`: 法人格 and name as printed, no space.
    /// What kind of issuer this is, for the truth's `variant`: the 法人格 before or after the
    /// name, or none.
    pub fn kind_id(&self) -> &'static str {
        match (self.corp_kind.is_empty(), self.corp_after) {
            (true, _) => "no_corp",
            (false, true) => "corp_after",
            (false, false) => "corp_before",
        }
    }

    pub fn issuer_name(&self) -> String {
        self.printed_name("")
    }

    /// The name as the paper prints it, `gap` after (or before) the 法人格 and before the campus.
    pub fn printed_name(&self, gap: &str) -> String {
        let campus = self
            .campus
            .as_ref()
            .map(|c| format!("{gap}{c}"))
            .unwrap_or_default();
        if self.corp_kind.is_empty() {
            format!("{}{campus}", self.corp_name)
        } else if self.corp_after {
            format!("{}{gap}{}{campus}", self.corp_name, self.corp_kind)
        } else {
            format!("{}{gap}{}{campus}", self.corp_kind, self.corp_name)
        }
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

/// The eight receipt layouts.
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
    /// A till roll from the school's register (80 mm wide).
    Till,
    /// A4 or A5 landscape: payer and amount on the left, issuer on the right, breakdown below.
    TwoColumn,
    /// A 納入証明書-like statement: label/value rows and a breakdown as a plain list.
    Statement,
    /// An invoice-like 領収書: 品名・数量・単価・金額 columns.
    Invoice,
}

impl ReceiptLayout {
    #[cfg(test)]
    pub const ALL: [ReceiptLayout; 8] = [
        ReceiptLayout::Table,
        ReceiptLayout::Pad,
        ReceiptLayout::Letter,
        ReceiptLayout::Credit,
        ReceiptLayout::Till,
        ReceiptLayout::TwoColumn,
        ReceiptLayout::Statement,
        ReceiptLayout::Invoice,
    ];
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
    /// 但し書き and labels.
    pub wording: Wording,
    /// The printed typeface and, for what is filled in by hand, the handwriting.
    pub face: Face,
    pub hand: Face,
}

/// The four certificate layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateLayout {
    /// Centred title, label/value rows, the certifying sentence, issuer at the bottom right.
    Formal,
    /// A ruled frame with a table of the facts.
    Framed,
    /// A letter: the facts in sentences (「…から…まで…を受講し」), the issuer at the top.
    Prose,
    /// A4 landscape 修了証: the name large and centred, the facts in two columns.
    Landscape,
}

impl CertificateLayout {
    pub const ALL: [CertificateLayout; 4] = [
        CertificateLayout::Formal,
        CertificateLayout::Framed,
        CertificateLayout::Prose,
        CertificateLayout::Landscape,
    ];
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
    pub wording: CertWording,
    pub face: Face,
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
// Truth and output.
// ---------------------------------------------------------------------------------------------

impl Submission {
    /// The truth record: the expected decision and every document as `kyufu extract` should read it.
    pub fn truth(&self) -> Truth {
        let mut documents = Vec::new();
        for f in &self.files {
            for (p, (&d, scan)) in f.docs.iter().zip(&f.scans).enumerate() {
                documents.push(doc_truth(&f.name, p as u32 + 1, &self.docs[d], scan));
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

fn doc_truth(file: &str, page: u32, doc: &DocSpec, scan: &ScanParams) -> TruthDoc {
    let mut fields = BTreeMap::new();
    let mut put = |k: &str, v: Value| {
        fields.insert(k.to_string(), v);
    };
    let mut variant: BTreeMap<String, String> = BTreeMap::new();
    let mut note = |k: &str, v: String| {
        variant.insert(k.to_string(), v);
    };
    note("paper", scan.paper.id());
    note("capture", scan.capture.id().to_string());
    match doc {
        DocSpec::Receipt(r) => {
            let w = &r.wording;
            note("face", r.face.id().to_string());
            note("purpose", format!("p{:02}", w.purpose));
            note("total_label", w.total_label.to_string());
            note("date_label", w.date_label.to_string());
            note("name_label", w.name_label.to_string());
            note("course_label", w.course_label.to_string());
            note("issuer_top", w.issuer_top.to_string());
            note("seal_on_total", w.seal_on_total.to_string());
            note("issuer_kind", r.issuer.kind_id().to_string());
            if r.layout == ReceiptLayout::Pad {
                note("hand", r.hand.id().to_string());
            }
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
                variant,
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
            note("face", c.face.id().to_string());
            note("labels", format!("l{}", c.wording.labels));
            note("sentence", format!("s{}", c.wording.sentence));
            note("period_line", c.wording.period_line.to_string());
            note("issuer_kind", c.issuer.kind_id().to_string());
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
                variant,
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
    for sub in plan(opts.seed, opts.count, opts.capture) {
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
#[path = "gen_tests.rs"]
mod tests;
