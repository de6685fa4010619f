//! Planning a submission: the scenario's people, course, dates and amounts, its documents with their
//! wording and typeface, and how each is captured (scanner, fax, phone) and filed.
//!
//! Every choice is made here from the seeded RNG (or later from the submission's `render_seed`), so
//! the same arguments give the same corpus. It decides the expected outcome with the oracle in
//! `gen.rs` and draws nothing (`layout.rs`). Called by `gen::plan`.

use chrono::{Days, NaiveDate};
use kyufu::decision::Outcome;
use kyufu::document::ItemCategory;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::*;

/// Plans `count` submissions from `seed`: every choice is made here (or from `render_seed`), so the
/// same arguments give the same corpus. Where `only` is given, every page is captured so (a corpus
/// of faxes, to measure what a capture does to the reading); the rest of the plan is the same.
pub fn plan(seed: u64, count: usize, only: Option<Capture>) -> Vec<Submission> {
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
        only,
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
    /// Every page captured so, where given ([`plan`]).
    only: Option<Capture>,
}

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
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

/// An institution: a 法人 (学校法人, 株式会社 before or after the name, 一般社団法人, 公益財団法人,
/// NPO法人) or a school that prints no 法人格 (「医療事務カレッジ 大宮校」), with its head's title.
fn make_institution(rng: &mut ChaCha8Rng) -> Institution {
    let word = *pick(rng, names::PLACE_WORDS);
    let rep = Name {
        family: pick(rng, names::FAMILY).0.to_string(),
        given: pick(rng, names::GIVEN_REP).to_string(),
    };
    let mut corp_after = false;
    let mut campus = None;
    let mut seal_word = word.to_string();
    let (corp_kind, corp_name, school, rep_title) = match rng.random_range(0..8) {
        0 | 1 => {
            let school = *pick(
                rng,
                &[
                    "医療福祉専門学校",
                    "ビジネス専門学校",
                    "保育専門学校",
                    "高等専修学校",
                ],
            );
            let title = *pick(rng, &["校長", "学校長", "理事長"]);
            (
                "学校法人",
                format!("{word}学園"),
                Some(format!("{word}{school}")),
                title,
            )
        }
        2 => {
            let suffix = *pick(rng, &["キャリアスクール", "ケアアカデミー", "ITカレッジ"]);
            let title = *pick(rng, &["代表取締役", "代表取締役社長"]);
            ("株式会社", format!("{word}{suffix}"), None, title)
        }
        3 => {
            corp_after = true;
            let suffix = *pick(rng, &["ケア", "教育サービス", "ラーニング", "資格スクール"]);
            ("株式会社", format!("{word}{suffix}"), None, "代表取締役")
        }
        4 => {
            let suffix = *pick(
                rng,
                &["職業教育協会", "資格教育センター", "介護人材育成協会"],
            );
            let title = *pick(rng, &["理事長", "代表理事"]);
            ("一般社団法人", format!("{word}{suffix}"), None, title)
        }
        5 => {
            let (kind, suffix) = *pick(
                rng,
                &[
                    ("公益財団法人", "職業能力開発協会"),
                    ("公益財団法人", "福祉人材センター"),
                    ("特定非営利活動法人", "ひとり親就業支援ネット"),
                    ("NPO法人", "子育て家庭応援センター"),
                ],
            );
            (kind, format!("{word}{suffix}"), None, "理事長")
        }
        _ => {
            // No 法人格 on the paper: a brand and its branch (「医療事務カレッジ 大宮校」).
            let brand = *pick(rng, names::BRANDS);
            campus = Some(pick(rng, names::CAMPUSES).to_string());
            seal_word = brand.chars().take(4).collect();
            let title = *pick(rng, &["校長", "代表者", "学院長", "教室長"]);
            ("", brand.to_string(), None, title)
        }
    };
    Institution {
        corp_kind: corp_kind.to_string(),
        corp_after,
        corp_name,
        campus,
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
        seal_word,
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
                if all_counted && !draft.items.is_empty() && rng.random_bool(0.08) {
                    ReceiptLayout::Credit
                } else if draft.items.len() <= 3 && rng.random_bool(0.2) {
                    ReceiptLayout::Pad
                } else {
                    *pick(
                        rng,
                        &[
                            ReceiptLayout::Table,
                            ReceiptLayout::Letter,
                            ReceiptLayout::Till,
                            ReceiptLayout::TwoColumn,
                            ReceiptLayout::Statement,
                            ReceiptLayout::Invoice,
                        ],
                    )
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
            let wording = Wording::random(rng);
            let face = *pick(rng, &Face::PRINTED);
            let hand = *pick(rng, &Face::HAND);
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
                wording,
                face,
                hand,
            });
        }
        let mut certificate = CertificateSpec {
            layout: *pick(rng, &CertificateLayout::ALL),
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
            wording: CertWording::random(rng),
            face: *pick(rng, &Face::PRINTED),
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
                // The card form shows no correctable cash amount and a till prints its own:
                // corrections go on a 領収書.
                if matches!(r.layout, ReceiptLayout::Credit | ReceiptLayout::Till) {
                    r.layout = ReceiptLayout::Table;
                }
                let item_lines = matches!(
                    r.layout,
                    ReceiptLayout::Table | ReceiptLayout::Letter | ReceiptLayout::Statement
                );
                let target = if !item_lines || r.items.is_empty() {
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

        // The letter and the landscape 修了証 give the 修了日 no row of its own to correct.
        if certificate.correction.is_some()
            && matches!(
                certificate.layout,
                CertificateLayout::Prose | CertificateLayout::Landscape
            )
        {
            certificate.layout = CertificateLayout::Formal;
        }
        // A register prints no 未納 line: such a breakdown comes as a statement.
        for r in receipt_specs.iter_mut() {
            if r.layout == ReceiptLayout::Till
                && r.items.iter().any(|i| i.category == ItemCategory::Unpaid)
            {
                r.layout = ReceiptLayout::Statement;
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
        let files = assign_files(&docs, rng, self.only);

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
        // The words institutions use for the same three fees (RULES.md §1.2 counts each).
        let adm_label = *pick(rng, &["入学料", "入学金", "入校料"]);
        let tui_label = *pick(rng, &["受講料", "授業料", "講習料", "受講費"]);
        let mat_label = *pick(rng, &["教材費", "教科書代", "テキスト代"]);
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
                let mut items = vec![item(tui_label, t, ItemCategory::Tuition)];
                if t != 20_002 && rng.random_bool(0.4) {
                    items.push(item(
                        mat_label,
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
                    item(adm_label, a, ItemCategory::Admission),
                    item(tui_label, t, ItemCategory::Tuition),
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
                    item(adm_label, admission, ItemCategory::Admission),
                    item(tui_label, tuition, ItemCategory::Tuition),
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
                let admission = item(adm_label, admission * 10, ItemCategory::Admission);
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
                            item(adm_label, admission, ItemCategory::Admission),
                            item(
                                &format!("{tui_label}（第1回）"),
                                first,
                                ItemCategory::Tuition,
                            ),
                        ],
                        bare_total: None,
                    },
                    Draft {
                        layout: None,
                        items: vec![item(
                            &format!("{tui_label}（第2回）"),
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
                    plain(vec![item(tui_label, t, ItemCategory::Tuition)])
                } else {
                    // RULES.md worked example: 20,001円 → 12,000円 → 不支給.
                    let t = *pick(rng, &[20_001, 19_800, 16_500]);
                    plain(vec![item(tui_label, t, ItemCategory::Tuition)])
                }
            }
            S::IncompleteNoBreakdown => vec![Draft {
                layout: Some(*pick(
                    rng,
                    &[
                        ReceiptLayout::Pad,
                        ReceiptLayout::Letter,
                        ReceiptLayout::TwoColumn,
                        ReceiptLayout::Statement,
                    ],
                )),
                items: Vec::new(),
                // The total is still the course fee; only its breakdown is missing.
                bare_total: Some(admission + tuition),
            }],
            _ => {
                let mut items = vec![
                    item(adm_label, admission, ItemCategory::Admission),
                    item(tui_label, tuition, ItemCategory::Tuition),
                ];
                if rng.random_bool(0.25) {
                    items.push(item(
                        mat_label,
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

/// Spreads the documents over files: mostly one file per document, captured by a scanner, a fax or
/// a phone and in a format that capture gives, sometimes the receipt and the certificate in one
/// grayscale TIFF (from a scanner or a fax).
fn assign_files(docs: &[DocSpec], rng: &mut ChaCha8Rng, only: Option<Capture>) -> Vec<FileSpec> {
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
            let capture = if rng.random_bool(0.25) {
                Capture::Fax
            } else {
                Capture::Scan
            };
            // A multi-page TIFF comes from a scanner or a fax, never a phone.
            let capture = match only {
                Some(Capture::Photo) | None => capture,
                Some(c) => c,
            };
            let scans = pages
                .iter()
                .map(|&i| ScanParams::random(rng, &docs[i], FileFormat::Tiff, capture))
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
        let capture = only.unwrap_or_else(|| Capture::random(rng, &docs[i]));
        let format = capture.format(rng);
        files.push(FileSpec {
            name: unique_name(rng, format, &mut used_names),
            format,
            docs: vec![i],
            scans: vec![ScanParams::random(rng, &docs[i], format, capture)],
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
