//! 起案 → 決裁: submit a draft, send it back with a comment, approve it. Approval gives the 文書番号
//! (the template of `[approval]` in kyufu.toml with a counter per 年度, April–March) and the 決定日,
//! renders the final notice without 案 to `outbox/<case>/final/notice.pdf`, and writes
//! `decision.json` with `status: "approved"` — files first (durably), then the journal, so a crash
//! between the two leaves files a retry rewrites with the same number, never a number without its
//! notice. The person who drafted or corrected a case never approves it.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::Serialize;

use super::store::{ApprovalRow, Flow, NewAudit, ReviewStore, StoreError, WorkflowRow};
use super::{conflict_ja, refused, stamp, write, Actor, Desk, ReviewError, Role};
use crate::decision::{Outcome, Status};
use crate::render::{self, Issue};
use crate::run::files::sha256_hex;

/// The 年度 a date falls in: April to the next March.
pub fn fiscal_year(d: NaiveDate) -> i32 {
    if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// What an approval made.
#[derive(Debug, Clone, Serialize)]
pub struct Approved {
    pub case_id: String,
    pub document_number: String,
    pub decided_on: NaiveDate,
    pub outcome: Outcome,
    pub amount_yen: i64,
    /// `outbox/<case>/final/notice.pdf`.
    pub notice: String,
    pub notice_sha256: String,
}

impl Approved {
    pub fn line_ja(&self) -> String {
        format!(
            "{} を決裁しました: {} 決定日 {} {} → {}",
            self.case_id,
            self.document_number,
            crate::render::format_wareki(self.decided_on),
            super::Figures {
                outcome: self.outcome,
                amount_yen: self.amount_yen
            }
            .line_ja(),
            self.notice
        )
    }
}

/// How many times an approval is tried again when another took its number meanwhile.
const NUMBER_TRIES: usize = 5;

impl<S: ReviewStore> Desk<S> {
    /// 起案: sends the case's current decision up for approval.
    pub fn submit(
        &mut self,
        actor: &Actor,
        case_id: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<(), ReviewError> {
        if actor.role == Role::Admin {
            return refused("起案は担当者または決裁者が行います。");
        }
        let (version, _, decision) = self.latest(case_id)?;
        if decision.outcome == Outcome::NeedsReview {
            let open: Vec<String> = decision
                .reasons
                .iter()
                .map(|r| format!("・{}", r.message))
                .collect();
            return refused(format!(
                "要確認の点が残っているため起案できません。訂正してから起案してください。\n{}",
                open.join("\n")
            ));
        }
        let row = WorkflowRow {
            case_id: case_id.to_string(),
            state: Flow::Submitted,
            drafted_by: Some(actor.id),
            decision_version: Some(version),
            comment: None,
            updated_at: stamp(now),
        };
        self.store
            .set_workflow(
                &row,
                &[Flow::Draft, Flow::SentBack],
                &audit(
                    actor,
                    "submitted",
                    case_id,
                    now,
                    serde_json::json!({"version": version}),
                ),
            )
            .map_err(|e| not_in_state(e, "起案できるのは、起案前か差し戻された案件です。"))
    }

    /// 差戻し: an approver returns a submitted case with a comment.
    pub fn send_back(
        &mut self,
        actor: &Actor,
        case_id: &str,
        comment: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<(), ReviewError> {
        if actor.role != Role::Approver {
            return refused("差戻しができるのは決裁者だけです。");
        }
        let comment = super::correct::note(comment, "差戻しの理由").or_else(refused)?;
        let w = self.store.workflow(case_id)?;
        let row = WorkflowRow {
            case_id: case_id.to_string(),
            state: Flow::SentBack,
            drafted_by: w.as_ref().and_then(|w| w.drafted_by),
            decision_version: None,
            comment: Some(comment),
            updated_at: stamp(now),
        };
        self.store
            .set_workflow(
                &row,
                &[Flow::Submitted],
                &audit(actor, "sent_back", case_id, now, serde_json::json!({})),
            )
            .map_err(|e| not_in_state(e, "差し戻せるのは決裁待ちの案件だけです。"))
    }

    /// 決裁: approves the submitted decision of a case. `now` gives the 決定日 and the 年度 of the
    /// 文書番号.
    pub fn approve(
        &mut self,
        actor: &Actor,
        case_id: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Approved, ReviewError> {
        if actor.role != Role::Approver {
            return refused("決裁できるのは決裁者だけです。");
        }
        let Some(w) = self
            .store
            .workflow(case_id)?
            .filter(|w| w.state == Flow::Submitted)
        else {
            return refused("決裁できるのは起案された（決裁待ちの）案件だけです。");
        };
        let drafter = w.drafted_by.unwrap_or_default();
        if drafter == actor.id {
            return refused("起案した人はその案件を決裁できません。別の決裁者が決裁してください。");
        }
        if self
            .store
            .corrections(case_id)?
            .iter()
            .any(|c| c.user_id == Some(actor.id))
        {
            return refused("この案件を訂正した人は決裁できません。別の決裁者が決裁してください。");
        }
        let (version, json, mut decision) = self.latest(case_id)?;
        if Some(version) != w.decision_version {
            return refused("起案後に決定案が変わっています。差し戻して起案し直してください。");
        }
        let drafter_name = self
            .store
            .user_by_id(drafter)?
            .map(|u| u.name)
            .unwrap_or_default();
        let case = self.case_as_read(case_id)?;
        let supersedes = self
            .store
            .approvals_in_force()?
            .into_iter()
            .find(|a| a.case_id == case_id);
        let today = now.date_naive();
        let fy = fiscal_year(today);
        decision.status = Status::Approved;
        let dir = self.outbox_dir(case_id);
        for _ in 0..NUMBER_TRIES {
            let n = self.store.next_document_number(fy)?;
            let number = self.document_number.replace("{n}", &n.to_string());
            let issue = Issue {
                number: number.clone(),
                decided_on: today,
            };
            let pdf = render::issued_notice(
                &decision,
                &case.application,
                &self.office,
                &self.templates,
                &issue,
            )?;
            let mut approved = json.clone();
            if let Some(o) = approved.as_object_mut() {
                o.insert("status".into(), "approved".into());
                o.insert("document_number".into(), number.clone().into());
                o.insert("decided_on".into(), today.to_string().into());
                o.insert("drafted_by".into(), drafter_name.clone().into());
                o.insert("approved_by".into(), actor.name.clone().into());
                match &supersedes {
                    Some(a) => o.insert("supersedes".into(), a.document_number.clone().into()),
                    None => o.remove("supersedes"),
                };
            }
            let text = serde_json::to_string_pretty(&approved).unwrap_or_default() + "\n";
            let sha = sha256_hex(&pdf);
            // The superseded approval's final notice stays, beside the new one.
            if let Some(a) = &supersedes {
                let old = dir.join("final");
                let keep = dir.join(format!("superseded-{}", a.id));
                if old.exists() && !keep.exists() {
                    std::fs::rename(&old, &keep)
                        .map_err(super::io("旧決定の通知書を保管できません"))?;
                }
            }
            write(&dir.join("final/notice.pdf"), &pdf)?;
            write(&dir.join("final/decision.json"), text.as_bytes())?;
            write(&dir.join("decision.json"), text.as_bytes())?;
            let row = ApprovalRow {
                id: 0,
                case_id: case_id.to_string(),
                fiscal_year: fy,
                number: n,
                document_number: number.clone(),
                decided_on: today,
                drafted_by: drafter,
                approved_by: actor.id,
                outcome: decision.outcome.id().to_string(),
                amount_yen: decision.amount_yen,
                decision_version: version,
                decision_json: text,
                notice_sha256: sha.clone(),
                supersedes: supersedes.as_ref().map(|a| a.id),
                at: stamp(now),
            };
            let a = audit(actor, "approved", case_id, now, serde_json::json!({}));
            match self.store.record_approval(&row, &a) {
                Ok(_) => {
                    return Ok(Approved {
                        case_id: case_id.to_string(),
                        document_number: number,
                        decided_on: today,
                        outcome: decision.outcome,
                        amount_yen: decision.amount_yen,
                        notice: dir.join("final/notice.pdf").display().to_string(),
                        notice_sha256: sha,
                    })
                }
                Err(StoreError::NumberTaken) => continue,
                Err(e) => return Err(conflict_ja(e)),
            }
        }
        refused("文書番号を取れませんでした（ほかの決裁と重なりました）。やり直してください。")
    }
}

fn audit(
    actor: &Actor,
    action: &str,
    case_id: &str,
    now: DateTime<FixedOffset>,
    detail: serde_json::Value,
) -> NewAudit {
    NewAudit {
        at: stamp(now),
        user_id: Some(actor.id),
        action: action.to_string(),
        case_id: Some(case_id.to_string()),
        detail: detail.to_string(),
    }
}

fn not_in_state(e: StoreError, msg: &str) -> ReviewError {
    match e {
        StoreError::Conflict(_) => ReviewError::Refused(msg.to_string()),
        e => ReviewError::Store(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fiscal_year_runs_april_to_march() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(fiscal_year(d("2027-03-31")), 2026);
        assert_eq!(fiscal_year(d("2027-04-01")), 2027);
        assert_eq!(fiscal_year(d("2026-12-31")), 2026);
    }
}
