//! What the desk shows: the queue of cases by state (要確認 first), one case with its corrected
//! documents, the history of every corrected value and its approvals, and the approved `pay`
//! decisions in force (for the bank file of issue 21).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::store::{ApprovalRow, Flow, ReviewStore, WorkflowRow};
use super::{Desk, ReviewError};
use crate::case::CaseDocument;
use crate::decision::Outcome;

/// A case's place in the queue, in the order the queue shows them: doubtful first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueState {
    /// 要確認: kyufu is not sure; a person looks.
    NeedsReview,
    /// 差戻し: the approver sent it back.
    SentBack,
    /// 補正依頼: a document is missing or defective.
    Incomplete,
    /// 支給案
    PayDraft,
    /// 不支給案
    DenyDraft,
    /// 決裁待ち
    Submitted,
    /// 決定済み
    Approved,
}

impl QueueState {
    pub fn label_ja(self) -> &'static str {
        match self {
            QueueState::NeedsReview => "要確認",
            QueueState::SentBack => "差戻し",
            QueueState::Incomplete => "補正依頼",
            QueueState::PayDraft => "支給案",
            QueueState::DenyDraft => "不支給案",
            QueueState::Submitted => "決裁待ち",
            QueueState::Approved => "決定済み",
        }
    }

    pub const ALL: [QueueState; 7] = [
        QueueState::NeedsReview,
        QueueState::SentBack,
        QueueState::Incomplete,
        QueueState::PayDraft,
        QueueState::DenyDraft,
        QueueState::Submitted,
        QueueState::Approved,
    ];

    fn of(outcome: Outcome, flow: Option<Flow>) -> QueueState {
        match (flow, outcome) {
            (Some(Flow::Approved), _) => QueueState::Approved,
            (Some(Flow::Submitted), _) => QueueState::Submitted,
            (Some(Flow::SentBack), _) => QueueState::SentBack,
            (_, Outcome::NeedsReview) => QueueState::NeedsReview,
            (_, Outcome::Incomplete) => QueueState::Incomplete,
            (_, Outcome::Pay) => QueueState::PayDraft,
            (_, Outcome::Deny) => QueueState::DenyDraft,
        }
    }
}

/// One line of the queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    pub case_id: String,
    pub state: QueueState,
    pub state_ja: &'static str,
    pub benefit: String,
    pub outcome: Outcome,
    pub amount_yen: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
}

/// The queue: every case by state, with counts per state.
#[derive(Debug, Clone, Serialize)]
pub struct Queue {
    /// Label → count, in queue order.
    pub counts: Vec<(String, usize)>,
    pub cases: Vec<QueueItem>,
}

impl Queue {
    pub fn render_ja(&self) -> String {
        let mut out = String::new();
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(l, n)| format!("{l} {n}件"))
            .collect();
        out.push_str(&counts.join("  "));
        out.push('\n');
        for c in &self.cases {
            out.push_str(&format!(
                "{}  {:<6}  {}  金{}円{}\n",
                c.case_id,
                c.state_ja,
                c.benefit,
                crate::render::notice::format_yen(c.amount_yen),
                c.document_number
                    .as_deref()
                    .map(|n| format!("  {n}"))
                    .unwrap_or_default(),
            ));
        }
        out
    }
}

/// A corrected value's history line, with the user's name.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    pub id: i64,
    pub target: String,
    pub old: serde_json::Value,
    pub new: serde_json::Value,
    pub reason: String,
    pub by: String,
    /// `person` or `system`.
    pub source: String,
    pub at: String,
}

/// One case as the desk shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub case_id: String,
    pub state: QueueState,
    pub state_ja: &'static str,
    /// The current decision (decision.json as journaled).
    pub decision: serde_json::Value,
    /// The documents as read, with the corrections applied (documents.json keeps the first reading).
    pub documents: Vec<CaseDocument>,
    pub corrections: Vec<CorrectionView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<WorkflowRow>,
    pub approvals: Vec<ApprovalRow>,
    /// User ids → names, for the lines above.
    #[serde(skip)]
    names: BTreeMap<i64, String>,
}

impl CaseView {
    fn name(&self, id: i64) -> &str {
        self.names.get(&id).map_or("", String::as_str)
    }

    /// The name of a user who corrected, drafted or approved this case.
    pub fn user_name(&self, id: i64) -> &str {
        self.name(id)
    }

    /// The case as staff read it on a terminal: state, decision, reasons, each document's values
    /// (unsure ones marked 要確認, corrected ones 訂正済み), the corrections' history, approvals.
    pub fn render_ja(&self) -> String {
        use crate::render::notice::format_yen;
        let mut out = format!("案件 {}  {}\n", self.case_id, self.state_ja);
        let d = &self.decision;
        if let Ok(outcome) = serde_json::from_value::<Outcome>(d["outcome"].clone()) {
            let figures = super::Figures {
                outcome,
                amount_yen: d["amount_yen"].as_i64().unwrap_or_default(),
            };
            out.push_str(&format!("決定案: {}\n", figures.line_ja()));
        }
        for r in d["reasons"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "  ・{}\n",
                r["message"].as_str().unwrap_or_default()
            ));
        }
        if let Some(c) = self.workflow.as_ref().and_then(|w| w.comment.as_deref()) {
            out.push_str(&format!("差戻しの理由: {c}\n"));
        }
        let corrected: std::collections::BTreeSet<&str> =
            self.corrections.iter().map(|c| c.target.as_str()).collect();
        for doc in &self.documents {
            out.push_str(&format!(
                "書類 {}（{}）\n",
                doc.file,
                doc.doc.kind.label_ja()
            ));
            let mark = |key: &str, unsure: &str| {
                if corrected.contains(format!("{}#{key}", doc.file).as_str()) {
                    "  [訂正済み]"
                } else if !doc.is_sure(unsure) {
                    "  [要確認]"
                } else {
                    ""
                }
            };
            for (name, f) in &doc.doc.fields {
                let value = serde_json::to_string(&f.value).unwrap_or_default();
                out.push_str(&format!("  {name}: {value}{}\n", mark(name, name)));
            }
            for (i, item) in doc.doc.items.iter().enumerate() {
                let key = format!("items[{i}]");
                let m = ["label", "amount", "category"]
                    .iter()
                    .map(|p| mark(&format!("{key}.{p}"), "items"))
                    .find(|m| !m.is_empty())
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  {key}: {} {}円 {}{m}\n",
                    item.label,
                    format_yen(item.amount),
                    item.category.id()
                ));
            }
        }
        if !self.corrections.is_empty() {
            out.push_str("訂正の履歴\n");
        }
        for c in &self.corrections {
            out.push_str(&format!(
                "  #{} {} {} {}: {} → {}（{}）\n",
                c.id, c.at, c.by, c.target, c.old, c.new, c.reason
            ));
        }
        for a in &self.approvals {
            out.push_str(&format!(
                "決裁 {} 決定日 {} 起案 {} 決裁 {} 金{}円{}\n",
                a.document_number,
                crate::render::format_wareki(a.decided_on),
                self.name(a.drafted_by),
                self.name(a.approved_by),
                format_yen(a.amount_yen),
                if a.supersedes.is_some() {
                    "（前の決定に代わるもの）"
                } else {
                    ""
                }
            ));
        }
        out
    }
}

/// An approved `pay` decision in force: what the bank file pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovedPayment {
    pub case_id: String,
    pub approval: i64,
    pub document_number: String,
    pub decided_on: NaiveDate,
    pub amount_yen: i64,
}

impl<S: ReviewStore> Desk<S> {
    /// Every case with a decision, doubtful first, with counts per state.
    pub fn list(&self) -> Result<Queue, ReviewError> {
        let flows: BTreeMap<String, WorkflowRow> = self
            .store
            .all_workflows()?
            .into_iter()
            .map(|w| (w.case_id.clone(), w))
            .collect();
        let numbers: BTreeMap<String, String> = self
            .store
            .approvals_in_force()?
            .into_iter()
            .map(|a| (a.case_id, a.document_number))
            .collect();
        let mut cases = Vec::new();
        for d in self.store.latest_decisions()? {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&d.json) else {
                continue;
            };
            let outcome: Outcome = match serde_json::from_value(v["outcome"].clone()) {
                Ok(o) => o,
                Err(_) => continue,
            };
            let state = QueueState::of(outcome, flows.get(&d.case_id).map(|w| w.state));
            cases.push(QueueItem {
                state,
                state_ja: state.label_ja(),
                benefit: v["benefit"].as_str().unwrap_or_default().to_string(),
                outcome,
                amount_yen: v["amount_yen"].as_i64().unwrap_or_default(),
                applied_on: v["applied_on"].as_str().and_then(|s| s.parse().ok()),
                document_number: (state == QueueState::Approved)
                    .then(|| numbers.get(&d.case_id).cloned())
                    .flatten(),
                case_id: d.case_id,
            });
        }
        cases.sort_by(|a, b| (a.state, &a.case_id).cmp(&(b.state, &b.case_id)));
        let counts = QueueState::ALL
            .iter()
            .map(|s| {
                (
                    s.label_ja().to_string(),
                    cases.iter().filter(|c| c.state == *s).count(),
                )
            })
            .collect();
        Ok(Queue { counts, cases })
    }

    /// One case: its decision, corrected documents, corrections with who made them, approvals.
    pub fn show(&self, case_id: &str) -> Result<CaseView, ReviewError> {
        let (_, decision, typed) = self.latest(case_id)?;
        let case = self.corrected_case(case_id)?;
        let workflow = self.store.workflow(case_id)?;
        let state = QueueState::of(typed.outcome, workflow.as_ref().map(|w| w.state));
        let approvals = self.store.approvals(case_id)?;
        let mut names: BTreeMap<i64, String> = BTreeMap::new();
        let stored = self.store.corrections(case_id)?;
        let ids = stored
            .iter()
            .filter_map(|c| c.user_id)
            .chain(approvals.iter().flat_map(|a| [a.drafted_by, a.approved_by]));
        for id in ids {
            if let std::collections::btree_map::Entry::Vacant(e) = names.entry(id) {
                e.insert(
                    self.store
                        .user_by_id(id)?
                        .map(|u| u.name)
                        .unwrap_or_default(),
                );
            }
        }
        let mut corrections = Vec::new();
        for c in stored {
            let by = c
                .user_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| "kyufu".to_string());
            corrections.push(CorrectionView {
                id: c.id,
                target: c.target,
                old: c.old,
                new: c.new,
                reason: c.reason,
                by,
                source: c.source,
                at: c.at,
            });
        }
        Ok(CaseView {
            case_id: case_id.to_string(),
            state,
            state_ja: state.label_ja(),
            decision,
            documents: case.documents,
            corrections,
            workflow,
            approvals,
            names,
        })
    }

    /// Approved `pay` decisions in force (a later approval of the same case replaces an earlier
    /// one), by case id: what the payment export (issue 21) pays, each with its 文書番号.
    pub fn approved_payments(&self) -> Result<Vec<ApprovedPayment>, ReviewError> {
        Ok(self
            .store
            .approvals_in_force()?
            .into_iter()
            .filter(|a| a.outcome == Outcome::Pay.id())
            .map(|a| ApprovedPayment {
                case_id: a.case_id,
                approval: a.id,
                document_number: a.document_number,
                decided_on: a.decided_on,
                amount_yen: a.amount_yen,
            })
            .collect())
    }
}
