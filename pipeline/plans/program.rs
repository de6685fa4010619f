//! 自立支援プログラム計画書 (RULES.md §4; seed `001`: the 自立支援プログラム策定 of a 母子・父子自立支援
//! centre, the consultation flow of the 就業支援専門員): who the applicant and household are, their
//! situation, the employment goal, the support chosen and its dates, and for the stipend the
//! 支給予定表. Since 2024-08-30 having one is what makes an applicant eligible for the training
//! benefit (RULES.md §1.1 E2), so the plan names the benefits it leads to.
//!
//! This file reads the plan (leniently) and prints it; it decides nothing: the support chosen and
//! any schedule come in the plan (the schedule from the stipend's decision).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use super::lenient::{member, parse_object, PlanReadError, Reader};
use super::{age_on, PROGRAM_ID};
use crate::case::application::{Applicant, ChildSupportAllowance, Malformed};
use crate::decision::ScheduleLine;
use crate::render::compose::{compose, row, set_title, Context};
use crate::render::notice::{format_yen, office_globals, schedule_rows};
use crate::render::template::Source;
use crate::render::{format_wareki, Office, RenderError, Templates};

/// One member of the household (世帯の状況), the applicant excluded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HouseholdMember {
    pub name: Option<String>,
    /// 続柄 as written (「長女」「母」).
    pub relation: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub note: Option<String>,
}

/// 現在の状況, as the consultation found it (seed `001` ②: 相談者の状況や就職に対する希望等).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Situation {
    /// 就業の状況 (「パート（週3日、販売）」).
    pub employment: Option<String>,
    /// 収入の状況, as written (「月額約12万円」).
    pub income: Option<String>,
    /// 児童扶養手当.
    pub child_support_allowance: Option<ChildSupportAllowance>,
    /// 養育費の取決め・受取の状況 (seed `002`).
    pub child_support: Option<String>,
    pub health: Option<String>,
    /// 子どもの保育・就学.
    pub childcare: Option<String>,
    pub notes: Option<String>,
}

/// 就業目標.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// 目標とする就業 (「看護師として病院に常勤で就職」).
    pub employment: Option<String>,
    /// 取得を目指す資格.
    pub qualification: Option<String>,
    /// 目標の時期.
    pub target_on: Option<NaiveDate>,
    /// 希望する働き方 (「常勤・日勤のみ」).
    pub working_style: Option<String>,
}

/// Which support the plan chose (RULES.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportKind {
    /// 自立支援教育訓練給付金 (RULES.md §1).
    KyoikuKunren,
    /// 高等職業訓練促進給付金 (RULES.md §2).
    Kotoshokugyo,
    /// ハローワークへの紹介・同行 (seed `001`).
    HelloWork,
    /// 養育費等に関する相談支援 (seed `002`).
    ChildSupportConsultation,
    /// Anything else; `detail` says what.
    Other,
}

impl SupportKind {
    pub fn name_ja(self) -> &'static str {
        match self {
            SupportKind::KyoikuKunren => "自立支援教育訓練給付金",
            SupportKind::Kotoshokugyo => "高等職業訓練促進給付金",
            SupportKind::HelloWork => "ハローワークへの紹介・同行",
            SupportKind::ChildSupportConsultation => "養育費等に関する相談支援",
            SupportKind::Other => "その他の支援",
        }
    }

    /// Where the support is defined.
    pub fn cites(self) -> &'static str {
        match self {
            SupportKind::KyoikuKunren => "母子及び父子並びに寡婦福祉法31条；RULES.md §1",
            SupportKind::Kotoshokugyo => "seed 003 第2；RULES.md §2",
            // 実施要綱5(1)ア(ア)b: 「公共職業安定所に繋げるなど、公共職業安定所等と連携を図ること」;
            // seed 001 (a prefecture's case study) is kept as the working note it is.
            SupportKind::HelloWork => "seed 000 5-(1)-ア-(ア)-b；seed 001（ハローワークとの連携）",
            SupportKind::ChildSupportConsultation => {
                "seed 002 3（ひとり親支援担当部署での相談支援）"
            }
            SupportKind::Other => "",
        }
    }
}

/// One support chosen, with its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Support {
    pub kind: SupportKind,
    /// What exactly (講座名, ハローワークの窓口, 相談先 …).
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

/// A 自立支援プログラム計画書, every field optional (see `PLANS-SCHEMA.md`):
///
/// ```json
/// {"case_id": "2026-P-0012", "drawn_up_on": "2026-03-10",
///  "applicant": {"name": "山田 花子", "name_kana": "ヤマダ ハナコ", "birth_date": "1990-04-01",
///                "address": "…", "phone": "…"},
///  "household": [{"name": "山田 陽菜", "relation": "長女", "birth_date": "2015-06-01"}],
///  "situation": {"employment": "…", "income": "…", "child_support_allowance": "full",
///                "child_support": "…", "health": "…", "childcare": "…", "notes": "…"},
///  "goal": {"employment": "…", "qualification": "看護師", "target_on": "2029-04-01",
///           "working_style": "…"},
///  "supports": [{"kind": "kotoshokugyo", "detail": "…", "from": "2026-04-01", "to": "2029-03-31"}],
///  "stipend_schedule": [{"month": "2026-04", "amount_yen": 100000}],
///  "staff": "…", "review_on": "2026-09-30"}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProgramPlan {
    /// 整理番号.
    pub case_id: Option<String>,
    /// 策定日.
    pub drawn_up_on: Option<NaiveDate>,
    pub applicant: Applicant,
    pub household: Vec<HouseholdMember>,
    pub situation: Situation,
    pub goal: Goal,
    pub supports: Vec<Support>,
    /// The stipend's 支給予定表, as its decision gives it (`Decision.schedule`).
    pub stipend_schedule: Vec<ScheduleLine>,
    /// 策定員 (自立支援プログラム策定員 or 就業支援専門員).
    pub staff: Option<String>,
    /// 見直し予定日.
    pub review_on: Option<NaiveDate>,
    /// Values present with the wrong type (left out above).
    pub malformed: Vec<Malformed>,
}

impl ProgramPlan {
    /// Reads a plan leniently: see the module docs of `plans`.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<ProgramPlan, PlanReadError> {
        Ok(Self::from_json(&parse_object(bytes)?))
    }

    /// Reads a plan from a JSON object (anything else gives an empty plan with nothing read).
    pub fn from_json(root: &Json) -> ProgramPlan {
        let mut r = Reader::default();
        let a = member(root, "applicant");
        let s = member(root, "situation");
        let g = member(root, "goal");
        let mut plan = ProgramPlan {
            case_id: r.get(root, "case_id", "case_id"),
            drawn_up_on: r.get(root, "drawn_up_on", "drawn_up_on"),
            applicant: Applicant {
                name: r.get(a, "name", "applicant.name"),
                name_kana: r.get(a, "name_kana", "applicant.name_kana"),
                birth_date: r.get(a, "birth_date", "applicant.birth_date"),
                address: r.get(a, "address", "applicant.address"),
                phone: r.get(a, "phone", "applicant.phone"),
            },
            household: r.list(root, "household", "household"),
            situation: Situation {
                employment: r.get(s, "employment", "situation.employment"),
                income: r.get(s, "income", "situation.income"),
                child_support_allowance: r.get(
                    s,
                    "child_support_allowance",
                    "situation.child_support_allowance",
                ),
                child_support: r.get(s, "child_support", "situation.child_support"),
                health: r.get(s, "health", "situation.health"),
                childcare: r.get(s, "childcare", "situation.childcare"),
                notes: r.get(s, "notes", "situation.notes"),
            },
            goal: Goal {
                employment: r.get(g, "employment", "goal.employment"),
                qualification: r.get(g, "qualification", "goal.qualification"),
                target_on: r.get(g, "target_on", "goal.target_on"),
                working_style: r.get(g, "working_style", "goal.working_style"),
            },
            supports: r.list(root, "supports", "supports"),
            stipend_schedule: r.list(root, "stipend_schedule", "stipend_schedule"),
            staff: r.get(root, "staff", "staff"),
            review_on: r.get(root, "review_on", "review_on"),
            malformed: Vec::new(),
        };
        plan.malformed = r.malformed;
        plan
    }
}

fn allowance_ja(a: ChildSupportAllowance) -> &'static str {
    match a {
        ChildSupportAllowance::Full => "全部支給",
        ChildSupportAllowance::Partial => "一部支給",
        ChildSupportAllowance::SameLevel => "受給なし（受給者と同様の所得水準）",
        ChildSupportAllowance::None => "受給なし",
    }
}

/// 「令和8年4月1日から令和11年3月31日まで」 with either end possibly open.
fn period_ja(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("{}から{}まで", format_wareki(f), format_wareki(t)),
        (Some(f), None) => format!("{}から", format_wareki(f)),
        (None, Some(t)) => format!("{}まで", format_wareki(t)),
        (None, None) => String::new(),
    }
}

fn context(plan: &ProgramPlan, office: &Office, t: &Templates) -> Context {
    let mut ctx = Context::default();
    office_globals(&mut ctx, office);
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let date = |d: Option<NaiveDate>| d.map(format_wareki).unwrap_or_default();
    let on = plan.drawn_up_on;
    let age = |birth: Option<NaiveDate>| match (birth, on) {
        (Some(b), Some(on)) => age_on(b, on).map(|a| a.to_string()).unwrap_or_default(),
        _ => String::new(),
    };
    let a = &plan.applicant;
    let s = &plan.situation;
    let goal = &plan.goal;
    let schedule = &plan.stipend_schedule;
    let g = &mut ctx.globals;
    g.insert("case_id", text(&plan.case_id));
    g.insert("drawn_up_on", date(on));
    g.insert("name", text(&a.name));
    g.insert("name_kana", text(&a.name_kana));
    g.insert("birth_date", date(a.birth_date));
    g.insert("age", age(a.birth_date));
    g.insert("address", text(&a.address));
    g.insert("phone", text(&a.phone));
    g.insert("employment", text(&s.employment));
    g.insert("income", text(&s.income));
    g.insert(
        "allowance",
        s.child_support_allowance
            .map(allowance_ja)
            .unwrap_or_default()
            .to_string(),
    );
    g.insert("child_support", text(&s.child_support));
    g.insert("health", text(&s.health));
    g.insert("childcare", text(&s.childcare));
    g.insert("situation_notes", text(&s.notes));
    g.insert("goal_employment", text(&goal.employment));
    g.insert("goal_qualification", text(&goal.qualification));
    g.insert("goal_target_on", date(goal.target_on));
    g.insert("goal_working_style", text(&goal.working_style));
    g.insert("staff", text(&plan.staff));
    g.insert("review_on", date(plan.review_on));
    g.insert(
        "schedule_total",
        format_yen(schedule.iter().map(|l| l.amount_yen).sum()),
    );
    g.insert(
        "paid_months",
        schedule
            .iter()
            .filter(|l| l.amount_yen > 0)
            .count()
            .to_string(),
    );
    ctx.set_flags([
        ("has_schedule", !schedule.is_empty()),
        (
            "has_address",
            a.address.as_ref().is_some_and(|x| !x.is_empty()),
        ),
    ]);
    ctx.set_rows(
        Source::Household,
        plan.household.iter().map(|m| {
            row([
                ("name", text(&m.name)),
                ("relation", text(&m.relation)),
                ("birth_date", date(m.birth_date)),
                ("age", age(m.birth_date)),
                ("note", text(&m.note)),
            ])
        }),
    );
    ctx.set_rows(
        Source::Supports,
        plan.supports.iter().map(|s| {
            row([
                ("support", s.kind.name_ja().to_string()),
                ("detail", text(&s.detail)),
                ("period", period_ja(s.from, s.to)),
                // Printed as an applicant can look it up; the internal citation stays in JSON.
                ("cites", t.public_cite(s.kind.cites())),
            ])
        }),
    );
    ctx.set_rows(Source::Schedule, schedule_rows(t.style(), schedule));
    ctx
}

/// The 自立支援プログラム計画書 as PDF bytes (`form-templates/output-plan-program.toml`). The same
/// plan gives the same bytes.
pub fn render_program_plan(
    plan: &ProgramPlan,
    office: &Office,
    t: &Templates,
) -> Result<Vec<u8>, RenderError> {
    let template = t.document(PROGRAM_ID, None)?;
    let mut ctx = context(plan, office, t);
    set_title(&mut ctx, template);
    let json = serde_json::to_vec(plan).map_err(|e| RenderError::Pdf(e.to_string()))?;
    let identity: [u8; 32] = Sha256::digest(&json).into();
    let log_id = plan.case_id.clone().unwrap_or_default();
    compose(&ctx, template, t, &identity, &log_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{assert_font_embedded_as_subset, assert_has, templates, text_of};
    use crate::render::wareki::format_wareki_month;

    const PLAN: &str = r#"{
        "case_id": "2026-P-0012", "drawn_up_on": "2026-03-10",
        "applicant": {"name": "山田 花子", "name_kana": "ヤマダ ハナコ", "birth_date": "1990-04-01",
                      "address": "埼玉県さくら市桜町一丁目2番3号", "phone": "048-000-0000"},
        "household": [{"name": "山田 陽菜", "relation": "長女", "birth_date": "2015-06-01",
                       "note": "小学5年生"}],
        "situation": {"employment": "パート（週3日、販売）", "income": "月額約12万円",
                      "child_support_allowance": "full", "child_support": "取決めなし・受取なし",
                      "health": "良好", "childcare": "放課後児童クラブを利用",
                      "notes": "職歴の棚卸しを実施"},
        "goal": {"employment": "看護師として病院に常勤で就職", "qualification": "看護師",
                 "target_on": "2029-04-01", "working_style": "常勤・日勤中心"},
        "supports": [
            {"kind": "kotoshokugyo", "detail": "さくら看護専門学校 看護学科",
             "from": "2026-04-01", "to": "2029-03-31"},
            {"kind": "hello_work", "detail": "マザーズコーナーへの同行", "from": "2028-10-01"},
            {"kind": "child_support_consultation", "detail": "養育費等相談支援センターの紹介"}],
        "stipend_schedule": [
            {"month": "2026-04", "amount_yen": 100000},
            {"month": "2026-05", "amount_yen": 100000},
            {"month": "2026-08", "amount_yen": 0, "code": "no_attendance"},
            {"month": "2029-03", "amount_yen": 140000}],
        "staff": "就業支援専門員 田中 一郎", "review_on": "2026-09-30",
        "extra": {"ignored": true}
    }"#;

    fn plan() -> ProgramPlan {
        ProgramPlan::from_json_bytes(PLAN.as_bytes()).unwrap()
    }

    #[test]
    fn the_programme_plan_prints_applicant_household_goal_supports_and_schedule() {
        let p = plan();
        assert!(p.malformed.is_empty(), "{:?}", p.malformed);
        let pdf = render_program_plan(&p, &Office::default(), templates()).unwrap();
        let (text, _) = text_of("program", &pdf);
        assert_has(&text, "自立支援プログラム計画書");
        assert_has(&text, "整理番号 2026-P-0012");
        assert_has(&text, "策定日 令和8年3月10日");
        assert_has(&text, "氏名山田 花子（ヤマダ ハナコ）");
        assert_has(&text, "生年月日平成2年4月1日（35歳）");
        assert_has(&text, "住所埼玉県さくら市桜町一丁目2番3号");
        assert_has(&text, "電話番号048-000-0000");
        assert_has(&text, "山田 陽菜長女平成27年6月1日10歳小学5年生");
        assert_has(&text, "就業の状況パート（週3日、販売）");
        assert_has(&text, "収入の状況月額約12万円");
        assert_has(&text, "児童扶養手当全部支給");
        assert_has(&text, "養育費の取決め・受取取決めなし・受取なし");
        assert_has(&text, "健康の状況良好");
        assert_has(&text, "子どもの保育・就学放課後児童クラブを利用");
        assert_has(&text, "その他職歴の棚卸しを実施");
        assert_has(&text, "目標とする就業看護師として病院に常勤で就職");
        assert_has(&text, "取得を目指す資格看護師");
        assert_has(&text, "目標の時期令和11年4月1日");
        assert_has(&text, "希望する働き方常勤・日勤中心");
        assert_has(
            &text,
            "高等職業訓練促進給付金さくら看護専門学校 看護学科令和8年4月1日から令和11年3月31日まで",
        );
        assert_has(
            &text,
            "ハローワークへの紹介・同行マザーズコーナーへの同行令和10年10月1日から",
        );
        assert_has(&text, "母子家庭等就業・自立支援事業実施要綱5(1)ア(ア)b");
        assert_has(
            &text,
            "養育費等に関する相談支援養育費等相談支援センターの紹介",
        );
        assert_has(
            &text,
            "養育費の確保に向けたひとり親支援担当部署との更なる連携強化の推進について（依頼）（令和3年2月5日事務連絡）3",
        );
        assert_has(&text, "母子及び父子並びに寡婦福祉法第31条第2号");
        crate::plans::assert_no_internal_reference(&text);
        for line in &p.stipend_schedule {
            let month = format_wareki_month(format!("{}-01", line.month).parse().unwrap());
            assert_has(&text, &format!("{month}{}円", format_yen(line.amount_yen)));
        }
        assert_has(&text, "令和8年8月0円出席なし");
        assert_has(&text, "支給予定額の合計金340,000円（支給する月 3か月）");
        assert_has(&text, "策定員就業支援専門員 田中 一郎");
        assert_has(&text, "見直し予定日令和8年9月30日");
        assert_has(&text, "上記の自立支援プログラムの内容に同意します。");
        assert_font_embedded_as_subset("program", &pdf);
        assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());
        assert_eq!(
            pdf,
            render_program_plan(&plan(), &Office::default(), templates()).unwrap()
        );
    }

    #[test]
    fn a_plan_without_a_stipend_has_no_schedule_section() {
        let mut p = plan();
        p.stipend_schedule.clear();
        p.supports.retain(|s| s.kind != SupportKind::Kotoshokugyo);
        let pdf = render_program_plan(&p, &Office::default(), templates()).unwrap();
        let (text, _) = text_of("program-no-stipend", &pdf);
        assert!(!text.contains("支給予定表"), "{text}");
        assert_has(&text, "ハローワークへの紹介・同行");
    }

    #[test]
    fn wrong_types_are_named_and_the_rest_of_the_plan_is_kept() {
        let p = ProgramPlan::from_json_bytes(
            r#"{"drawn_up_on": "令和8年3月10日", "supports": [{"kind": "lottery"},
                 {"kind": "hello_work"}], "goal": {"qualification": "保育士"}}"#
                .as_bytes(),
        )
        .unwrap();
        let fields: Vec<&str> = p.malformed.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, ["drawn_up_on", "supports[0]"]);
        assert_eq!(p.supports.len(), 1);
        assert_eq!(p.goal.qualification.as_deref(), Some("保育士"));
        // Still printable: the blanks stay blank.
        let pdf = render_program_plan(&p, &Office::default(), templates()).unwrap();
        assert_has(&text_of("program-sparse", &pdf).0, "取得を目指す資格保育士");
    }

    /// `KYUFU_RENDER_SAMPLES=dir cargo test --lib plans -- --ignored` writes samples to look at.
    #[test]
    #[ignore = "writes sample PDFs for a person to look at"]
    fn write_samples() {
        if let Ok(dir) = std::env::var("KYUFU_RENDER_SAMPLES") {
            let pdf = render_program_plan(&plan(), &Office::default(), templates()).unwrap();
            std::fs::write(std::path::Path::new(&dir).join("program.pdf"), pdf).unwrap();
        }
    }
}
