//! Properties of the amount over random breakdowns (STYLE.md): never above the cap nor negative,
//! monotone in the cost, independent of the order of the lines.

use super::*;

fn category() -> impl Strategy<Value = ItemCategory> {
    prop::sample::select(ItemCategory::ALL.to_vec())
}

fn breakdown() -> impl Strategy<Value = Vec<(ItemCategory, i64)>> {
    prop::collection::vec((category(), 0i64..2_000_000), 1..8)
}

fn kind() -> impl Strategy<Value = CourseKind> {
    prop::sample::select(vec![
        CourseKind::General,
        CourseKind::SpecifiedGeneral,
        CourseKind::SpecializedPractical,
    ])
}

fn decide_breakdown(
    list: &[(ItemCategory, i64)],
    kind: CourseKind,
    years: u32,
    ei: i64,
) -> Decision {
    let mut built = standard()
        .course(|c| {
            c.kind = Some(kind);
            c.years = Some(years);
        })
        .app(|a| {
            a.employment_insurance = Some(EmploymentInsurance {
                entitled: ei > 0,
                benefit_yen: ei,
            })
        })
        .build();
    built.documents[0].doc.items = list
        .iter()
        .map(|&(category, amount)| Item {
            label: category.id().into(),
            amount,
            category,
            confidence: 1.0,
            certainty: crate::document::Certainty::Sure(crate::document::Check::Given),
            bbox: None,
        })
        .collect();
    // Keep the receipt's total consistent with its lines, as a real receipt would be.
    let total: i64 = list
        .iter()
        .filter(|(c, _)| *c != 補助)
        .map(|(_, a)| a)
        .sum();
    built.documents[0]
        .doc
        .fields
        .insert(rf::AMOUNT_TOTAL.into(), Field::sure(Value::Yen(total)));
    decide(&built, &Parameters::embedded())
}

proptest! {
    #[test]
    fn never_above_the_cap_and_never_negative(
        list in breakdown(), kind in kind(), years in 1u32..6, ei in 0i64..300_000,
    ) {
        let decision = decide_breakdown(&list, kind, years, ei);
        let cap: i64 = decision.parameters["cap_yen"].parse().unwrap();
        prop_assert!(decision.amount_yen >= 0);
        prop_assert!(decision.amount_yen <= cap);
        prop_assert!(cap <= 1_600_000);
        if decision.outcome == Outcome::Pay {
            prop_assert!(decision.amount_yen > 12_000);
        }
    }

    #[test]
    fn monotone_in_the_cost(
        list in breakdown(), kind in kind(), years in 1u32..6, extra in 0i64..500_000,
    ) {
        let before = decide_breakdown(&list, kind, years, 0);
        let mut more = list.clone();
        more.push((受講料, extra));
        let after = decide_breakdown(&more, kind, years, 0);
        prop_assert!(after.amount_yen >= before.amount_yen,
            "{} then {}", before.amount_yen, after.amount_yen);
    }

    #[test]
    fn independent_of_the_order_of_the_lines(
        list in breakdown(), kind in kind(), years in 1u32..6, seed in any::<u64>(),
    ) {
        let mut shuffled = list.clone();
        // A deterministic permutation from the seed (rotate, then reverse on odd seeds).
        let len = shuffled.len();
        shuffled.rotate_left((seed as usize) % len);
        if seed % 2 == 1 {
            shuffled.reverse();
        }
        let a = decide_breakdown(&list, kind, years, 0);
        let b = decide_breakdown(&shuffled, kind, years, 0);
        prop_assert_eq!(a.outcome, b.outcome);
        prop_assert_eq!(a.amount_yen, b.amount_yen);
        prop_assert_eq!(&a.lines, &b.lines);
        let sorted = |d: &Decision| { let mut r = d.reasons.clone(); r.sort(); r };
        prop_assert_eq!(sorted(&a), sorted(&b));
    }
}
