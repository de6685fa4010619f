//! The generator's own tests: the oracle against RULES.md's worked examples, the scenario quotas,
//! the truth against what the paper prints, the spread of layouts, typefaces, wording and captures,
//! and byte-for-byte determinism. Part of `gen.rs` (its `tests` module).

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
    let subs = plan(7, 8, None);
    let outcomes: std::collections::BTreeSet<Outcome> =
        subs.iter().map(|s| s.expected.outcome).collect();
    assert!(outcomes.len() >= 3, "{outcomes:?}");
}

#[test]
fn outcome_shares_match_the_brief() {
    let subs = plan(1, 60, None);
    let n = |o: Outcome| subs.iter().filter(|s| s.expected.outcome == o).count();
    assert_eq!(n(Outcome::Pay), 33);
    assert_eq!(n(Outcome::Deny), 9);
    assert_eq!(n(Outcome::Incomplete), 15);
    assert_eq!(n(Outcome::NeedsReview), 3);
}

#[test]
fn every_excluded_category_appears_in_sixty() {
    for seed in [1, 2, 99] {
        let truths: Vec<Truth> = plan(seed, 60, None).iter().map(Submission::truth).collect();
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
        for t in plan(seed, 60, None).iter().map(Submission::truth) {
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
    for sub in plan(3, 60, None) {
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
    for sub in plan(11, 60, None) {
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
    for sub in plan(4, 24, None) {
        let mut rng = ChaCha8Rng::seed_from_u64(sub.render_seed);
        for f in &sub.files {
            for (&d, scan) in f.docs.iter().zip(&f.scans) {
                let sheet = layout::draw_sheet(&sub.docs[d], scan, &fonts, &mut rng);
                let printed = normalize(&sheet.transcript.join("\n"));
                // Words wrapped onto the next line read on across it.
                let joined = sheet.transcript.concat();
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
                            assert!(has_number(i.amount), "{} {} {}", sub.id, i.label, i.amount);
                            assert!(printed.contains(&i.label), "{} {}", sub.id, i.label);
                        }
                        assert!(printed.contains(&r.payer.full()));
                        assert!(joined.contains(&r.course_name), "{}", sub.id);
                        assert_eq!(
                            printed.contains("[印:"),
                            r.sealed || r.correction.as_ref().is_some_and(|c| c.sealed)
                        );
                    }
                    DocSpec::Certificate(c) => {
                        assert!(printed.contains(&c.trainee.full()));
                        assert!(joined.contains(&c.course_name), "{}", sub.id);
                        assert!(
                            joined.contains("修了したことを") && joined.contains("証明"),
                            "{}",
                            sub.id
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn sixty_submissions_show_every_layout_typeface_capture_and_wording() {
    use std::collections::BTreeSet;
    for seed in [1, 7] {
        let truths: Vec<Truth> = plan(seed, 60, None).iter().map(Submission::truth).collect();
        let docs: Vec<&TruthDoc> = truths.iter().flat_map(|t| &t.documents).collect();
        let seen = |key: &str| -> BTreeSet<String> {
            docs.iter()
                .filter_map(|d| d.variant.get(key).cloned())
                .collect()
        };
        let layouts: BTreeSet<String> = docs.iter().map(|d| d.layout.clone()).collect();
        for l in ReceiptLayout::ALL {
            let name = format!("{l:?}").to_lowercase();
            assert!(layouts.contains(&name), "seed {seed}: no {name} receipt");
        }
        for l in CertificateLayout::ALL {
            let name = format!("{l:?}").to_lowercase();
            assert!(
                layouts.contains(&name),
                "seed {seed}: no {name} certificate"
            );
        }
        assert_eq!(seen("face").len(), Face::PRINTED.len(), "seed {seed}");
        assert_eq!(seen("capture").len(), 3, "seed {seed}");
        assert_eq!(seen("issuer_kind").len(), 3, "seed {seed}");
        assert!(seen("purpose").len() >= 10, "seed {seed}");
        assert!(seen("total_label").len() >= 8, "seed {seed}");
        assert!(seen("date_label").len() >= 8, "seed {seed}");
        assert!(seen("paper").len() >= 5, "seed {seed}");
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
            capture: None,
        })
        .expect("generate")
    };
    let (sa, sb) = (run(&a), run(&b));
    assert_eq!(sa.files, sb.files);
    let mut checked = 0;
    for sub in plan(42, 5, None) {
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
                    if f.scans[0].capture == Capture::Photo {
                        // The desk shows around the sheet.
                        assert!(img.width() > expected_w, "{}", f.name);
                    } else {
                        assert_eq!(img.width(), expected_w, "{}", f.name);
                    }
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
