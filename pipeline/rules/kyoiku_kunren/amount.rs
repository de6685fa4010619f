//! The amount of a §1 case: the breakdown sorted into what counts, what is deducted and what is
//! excluded (RULES.md §1.2), then the formula in force on the completion date with its dated
//! parameters (§1.3), each step a line of the decision with its rule.
//!
//! It says which unconfirmed parameters the result depends on and refuses a date no parameter
//! covers; it does not judge eligibility ([`super::eligibility`]) nor what a receipt must carry
//! ([`super::documents`]). Called by [`super::decide`].

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::case::application::CourseKind;
use crate::case::CaseDocument;
use crate::decision::{Excluded, Line};
use crate::document::receipt_fields as rf;
use crate::document::ItemCategory;

use crate::rules::common::{floor_to_yen, yen, Findings};
use crate::rules::params::{AmountFormula, KyoikuKunrenParameters, Selected, Used};
use crate::rules::reasons::{exclusion, ReasonCode};

use super::Facts;

/// The breakdown sorted by RULES.md §1.2.
#[derive(Debug, Default)]
pub(super) struct Costs {
    /// 入学料・受講料・必要な教材費・消費税.
    counted_yen: i64,
    /// Amounts the applicant did not pay (subsidies, refunds): deducted.
    subsidies_yen: i64,
    pub(super) excluded: Vec<Excluded>,
    /// Whether every receipt's breakdown and total were read surely: otherwise the amount is only
    /// provisional, and not compared with the lower limit.
    read_surely: bool,
}

/// RULES.md §1.2 (seed 003 第1-3-(1), (2), (5), (6)): counted, excluded with its reason, deducted,
/// or — for a line kyufu cannot classify — left to a person. Instalments on several receipts add up
/// (第1-3-(4)).
pub(super) fn classify_items(receipts: &[&CaseDocument], found: &mut Findings) -> Costs {
    let mut costs = Costs {
        read_surely: !receipts.is_empty()
            && receipts.iter().all(|d| {
                !d.doc.items.is_empty() && d.is_sure("items") && d.is_sure(rf::AMOUNT_TOTAL)
            }),
        ..Costs::default()
    };
    for item in receipts.iter().flat_map(|d| d.doc.items.iter()) {
        use ItemCategory::*;
        match item.category {
            Admission | Tuition | RequiredMaterial | ConsumptionTax => {
                costs.counted_yen = costs.counted_yen.saturating_add(item.amount);
            }
            Subsidy => {
                costs.subsidies_yen = costs
                    .subsidies_yen
                    .saturating_add(item.amount.saturating_abs());
            }
            Other => found.push(ReasonCode::UnclassifiedItem {
                label: item.label.clone(),
                amount_yen: item.amount,
            }),
            category => {
                if let Some((reason, cites)) = exclusion(category) {
                    costs.excluded.push(Excluded {
                        label: item.label.clone(),
                        amount_yen: item.amount,
                        category,
                        reason: reason.to_string(),
                        cites: cites.to_string(),
                    });
                }
            }
        }
    }
    costs
}

/// The amount parameters in force on the completion date, for the course's kind.
struct AmountParameters {
    rate: Selected<Decimal>,
    cap: Selected<i64>,
    cap_label: String,
    lower_limit: Selected<i64>,
}

/// The result of an amount formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computation {
    /// Each step with its rule (対象経費, ×支給率, 上限, 雇用保険差引, 支給額).
    pub lines: Vec<Line>,
    /// What would be paid (never negative, never above the cap).
    pub amount_yen: i64,
    /// The cap lowered the amount.
    pub cap_binds: bool,
    /// 「下限は1万2千1円」: paid only above the lower limit.
    pub above_lower_limit: bool,
}

/// RULES.md §1.3: select the formula and its parameters by the completion date, compute, and say
/// which unconfirmed parameters the result depends on.
pub(super) fn compute_amount(
    facts: &Facts,
    costs: &Costs,
    p: &KyoikuKunrenParameters,
    found: &mut Findings,
    used: &mut Used,
) -> Option<Computation> {
    let (completed_on, kind, ei) = (
        facts.completed_on?,
        facts.kind?,
        facts.employment_insurance?,
    );
    used.note("as_of", completed_on);
    let not_covered = |what: &'static str| ReasonCode::ParametersNotCovered {
        what,
        date: completed_on.to_string(),
    };
    let Some(formula) = p.amount_formula.at("amount_formula", completed_on) else {
        found.push(not_covered("支給額の算定方法"));
        return None;
    };
    used.note("amount_formula", formula.value.id());
    let selected = select_amount_parameters(p, kind, facts.years, completed_on);
    let Some(ap) = selected else {
        found.push(not_covered("支給率・上限額・下限額"));
        return None;
    };
    used.record(&ap.rate);
    used.record(&ap.cap);
    used.record(&ap.lower_limit);
    let computation = match formula.value {
        AmountFormula::ShareOfCost => share_of_cost(costs, ei.benefit_yen, &ap),
    };
    let Some(c) = computation else {
        found.push(not_covered("支給額（金額が算定できる範囲を超えています）"));
        return None;
    };

    // An unconfirmed value goes to review only where the result depends on it (RULES.md intro).
    // The formula and the rate shape every amount above zero; the cap only where it binds; the
    // lower limit always decides between pay and deny.
    let has_cost = costs.counted_yen > costs.subsidies_yen;
    let depends = [
        (formula.name, formula.confirmed, true),
        (ap.rate.name, ap.rate.confirmed, has_cost),
        (ap.cap.name, ap.cap.confirmed, c.cap_binds),
        (ap.lower_limit.name, ap.lower_limit.confirmed, true),
    ];
    for (name, confirmed, matters) in depends {
        if !confirmed && matters {
            used.relied_on_name(name);
            found.push(ReasonCode::ParameterUnconfirmed(name));
        }
    }
    // An amount from a breakdown not surely read is no ground for a refusal (nor for telling the
    // applicant so on a 補正依頼): the unread breakdown is the reason given.
    if !c.above_lower_limit && costs.read_surely {
        found.push(ReasonCode::AmountNotAboveLowerLimit {
            amount_yen: c.amount_yen,
            lower_limit_yen: ap.lower_limit.value,
        });
    }
    Some(c)
}

fn select_amount_parameters(
    p: &KyoikuKunrenParameters,
    kind: CourseKind,
    years: Option<u32>,
    on: NaiveDate,
) -> Option<AmountParameters> {
    let rate = p.rate.at("rate", on)?;
    let lower_limit = p.lower_limit_yen.at("lower_limit_yen", on)?;
    let (cap, cap_label) = match kind {
        CourseKind::General | CourseKind::SpecifiedGeneral => (
            p.cap_general_yen.at("cap_yen", on)?,
            "上限額（一般・特定一般教育訓練）".to_string(),
        ),
        CourseKind::SpecializedPractical => {
            // 専門実践: 上限 × 修学年数, at most the whole-course maximum.
            let years = years?;
            let per_year = p.cap_specialized_per_year_yen.at("cap_yen", on)?;
            let max = p.cap_specialized_max_yen.at("cap_yen", on)?;
            let by_years = per_year.value.saturating_mul(i64::from(years));
            let cap = Selected {
                name: "cap_yen",
                value: by_years.min(max.value),
                source: per_year.source.clone(),
                confirmed: per_year.confirmed && max.confirmed,
            };
            (
                cap,
                format!(
                    "上限額（専門実践教育訓練: {}円×修学年数{years}年、最大{}円）",
                    yen(per_year.value),
                    yen(max.value)
                ),
            )
        }
    };
    Some(AmountParameters {
        rate,
        cap,
        cap_label,
        lower_limit,
    })
}

/// RULES.md §1.3, the formula in force since 2003 (seed 003 第1-3; cfa.go.jp):
/// ```text
/// cost   = Σ counted items − subsidies and refunds
/// amount = floor(cost × rate)                  # 1円未満切り捨て (第1-3-(3))
/// amount = min(amount, cap(course_kind, years))
/// amount = amount − employment_insurance_benefit   # 差額支給
/// pay only if amount > lower_limit             # 「下限は1万2千1円」
/// ```
/// `None` only if the amounts leave the range of yen.
fn share_of_cost(
    costs: &Costs,
    employment_insurance_yen: i64,
    p: &AmountParameters,
) -> Option<Computation> {
    let mut lines = vec![Line {
        label: "対象経費（入学料・受講料・必要な教材費・消費税）".into(),
        amount_yen: costs.counted_yen,
        cites: "seed 003 第1-3-(1), (4)".into(),
    }];
    let cost = costs.counted_yen.saturating_sub(costs.subsidies_yen).max(0);
    if costs.subsidies_yen > 0 {
        lines.push(Line {
            label: "本人が負担していない額（補助・返還）の控除".into(),
            amount_yen: -costs.subsidies_yen,
            cites: "seed 003 第1-3-(1)（本人が支払った費用）; RULES.md §1.2".into(),
        });
        lines.push(Line {
            label: "控除後の対象経費".into(),
            amount_yen: cost,
            cites: "seed 003 第1-3-(1)".into(),
        });
    }
    let share = floor_to_yen(cost, p.rate.value)?;
    let percent = (p.rate.value * Decimal::ONE_HUNDRED).normalize();
    lines.push(Line {
        label: format!("支給率{percent}%を乗じた額（1円未満切り捨て）"),
        amount_yen: share,
        cites: format!("{}; seed 003 第1-3-(3)", p.rate.source),
    });
    let cap_binds = share > p.cap.value;
    let capped = share.min(p.cap.value);
    lines.push(Line {
        label: p.cap_label.clone(),
        amount_yen: p.cap.value,
        cites: p.cap.source.clone(),
    });
    if employment_insurance_yen > 0 {
        lines.push(Line {
            label: "雇用保険の教育訓練給付の受給額の差引".into(),
            amount_yen: -employment_insurance_yen,
            cites: "https://www.cfa.go.jp/policies/hitori-oya/jiritsu-shien-kyuufukin/（差額支給）"
                .into(),
        });
    }
    let amount_yen = capped.saturating_sub(employment_insurance_yen).max(0);
    lines.push(Line {
        label: format!(
            "支給額（下限額{}円を超える場合に支給）",
            yen(p.lower_limit.value)
        ),
        amount_yen,
        cites: p.lower_limit.source.clone(),
    });
    Some(Computation {
        lines,
        amount_yen,
        cap_binds,
        above_lower_limit: amount_yen > p.lower_limit.value,
    })
}
