//! review: the payment officer's desk — users and roles, corrections as a layer over the reading,
//! 起案 → 決裁, and the hash-chained audit log (DESIGN.md, "review").
//!
//! [`Desk`] is the library API: `kyufu user|review|submit|approve|sendback|audit` call it today, and
//! a web handler (`kyufu serve`, later) calls the same methods with the same rules. Every method that
//! acts takes an [`Actor`] (only [`Desk::login`] makes one) and "now" as a value; none reads the
//! clock. A refusal (wrong password, a value that cannot be, the drafter approving) is
//! [`ReviewError::Refused`] with a Japanese sentence for the person, and nothing changed.
//!
//! What it does not do: read scans (the documents come from the journal as first read) or decide
//! anything itself (`rules::decide` does, on the corrected documents, through `case::assemble`).

pub mod audit;
pub mod auth;
pub mod correct;
mod flow;
mod queue;
pub mod store;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::case::{self, Case, SourcedDocument};
use crate::config::Config;
use crate::decision::{Decision, Outcome};
use crate::journal::Journal;
use crate::render::{self, Office, RenderError, Templates};
use crate::rules::{self, Parameters};
use crate::run::files::{sha256_hex, write_durable};
use crate::run::StateDirs;

pub use flow::{fiscal_year, Approved};
pub use queue::{ApprovedPayment, CaseView, CorrectionView, Queue, QueueItem, QueueState};
use store::{NewAudit, NewCorrection, ReviewStore, StoreError};

/// Why the desk did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The request was refused (a person can mend it): nothing changed.
    #[error("{0}")]
    Refused(String),
    #[error("ジャーナル: {0}")]
    Store(#[from] StoreError),
    #[error("通知書を作れません: {0}")]
    Render(#[from] RenderError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    /// What the journal holds cannot be read back (a defect or an edit by hand).
    #[error("ジャーナルの記録を読めません: {0}")]
    Corrupt(String),
    #[error("パスワードを保存できません: {0}")]
    Hash(String),
}

impl ReviewError {
    /// A refusal of the request (exit 2), not a failure of the program (exit 1).
    pub fn is_refusal(&self) -> bool {
        matches!(self, ReviewError::Refused(_))
    }
}

fn refused<T>(msg: impl Into<String>) -> Result<T, ReviewError> {
    Err(ReviewError::Refused(msg.into()))
}

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> ReviewError {
    let context = context.into();
    move |source| ReviewError::Io { context, source }
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 担当者: corrects and submits (起案).
    Staff,
    /// 決裁者: approves or sends back — never a case they drafted or corrected.
    Approver,
    /// 管理者: adds users, reads the audit log.
    Admin,
}

impl Role {
    pub fn id(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }

    pub fn from_id(id: &str) -> Option<Role> {
        Some(match id {
            "staff" => Role::Staff,
            "approver" => Role::Approver,
            "admin" => Role::Admin,
            _ => return None,
        })
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Role::Staff => "担当者",
            Role::Approver => "決裁者",
            Role::Admin => "管理者",
        }
    }
}

/// A user who has given the right password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    id: i64,
    name: String,
    role: Role,
}

impl Actor {
    pub fn id(&self) -> i64 {
        self.id
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn role(&self) -> Role {
        self.role
    }

    /// A user as if logged in, for unit tests of code that holds one (sessions).
    #[cfg(test)]
    pub(crate) fn for_test(id: i64, name: &str, role: Role) -> Actor {
        Actor {
            id,
            name: name.to_string(),
            role,
        }
    }
}

/// The outcome and amount of a decision, for "before → after".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub outcome: Outcome,
    pub amount_yen: i64,
}

impl Figures {
    fn of(d: &Decision) -> Figures {
        Figures {
            outcome: d.outcome,
            amount_yen: d.amount_yen,
        }
    }

    pub fn line_ja(&self) -> String {
        let outcome = match self.outcome {
            Outcome::Pay => "支給",
            Outcome::Deny => "不支給",
            Outcome::Incomplete => "補正依頼",
            Outcome::NeedsReview => "要確認",
        };
        format!(
            "{outcome} 金{}円",
            render::notice::format_yen(self.amount_yen)
        )
    }
}

/// What a correction did.
#[derive(Debug, Clone, Serialize)]
pub struct Corrected {
    pub case_id: String,
    pub correction: i64,
    pub target: String,
    pub before: Figures,
    pub after: Figures,
}

/// The audit log with its chain checked ([`Desk::audit_log`]).
#[derive(Debug, Clone, Serialize)]
pub struct AuditLog {
    /// Each entry with the name of the user who acted (none for the first admin's creation).
    pub entries: Vec<(store::AuditRow, Option<String>)>,
    pub verified: audit::Verified,
}

/// The desk over a store (the SQLite journal unless a test or a later node gives another).
pub struct Desk<S: ReviewStore = Journal> {
    store: S,
    outbox: PathBuf,
    review_below: f32,
    office: Office,
    document_number: String,
    params: Parameters,
    templates: Templates,
}

impl Desk<Journal> {
    /// The desk over the journal in `cfg.state`.
    pub fn open(cfg: &Config) -> Result<Desk<Journal>, ReviewError> {
        std::fs::create_dir_all(&cfg.state)
            .map_err(io(format!("フォルダ {} を作れません", cfg.state.display())))?;
        let journal = Journal::open(
            &StateDirs {
                root: cfg.state.clone(),
            }
            .journal(),
        )
        .map_err(StoreError::from)?;
        Desk::with_store(journal, cfg)
    }
}

impl<S: ReviewStore> Desk<S> {
    pub fn with_store(store: S, cfg: &Config) -> Result<Desk<S>, ReviewError> {
        if !cfg.approval.document_number.contains("{n}") {
            return refused(
                "kyufu.toml の [approval] document_number に番号の位置 {n} がありません（例: \"さ子支第{n}号\"）。",
            );
        }
        Ok(Desk {
            store,
            outbox: cfg.outbox.clone(),
            review_below: cfg.review_below,
            office: cfg.office.clone(),
            document_number: cfg.approval.document_number.clone(),
            params: Parameters::embedded(),
            templates: Templates::load(&cfg.templates)?,
        })
    }

    /// The store (for tests and for the payment export, which reads approvals).
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Checks a user's password. Refused for an unknown user or a wrong password (the same words
    /// for both), and, after repeated failures, until the wait they set is over.
    pub fn login(
        &mut self,
        name: &str,
        password: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Actor, ReviewError> {
        const WRONG: &str = "ユーザー名またはパスワードが正しくありません。";
        let Some(user) = self.store.user_by_name(name)? else {
            // As long as a wrong password takes, so the time does not tell which names exist.
            let _ = auth::password_matches(password, auth::dummy_hash());
            self.store.append_audit(&NewAudit {
                at: stamp(now),
                user_id: None,
                action: "login_failed".into(),
                case_id: None,
                detail: r#"{"why":"unknown_user"}"#.into(),
            })?;
            return refused(WRONG);
        };
        if let Some(wait) = auth::wait_left(user.retry_after.as_deref(), now) {
            return refused(format!(
                "パスワードの誤りが続いたため、あと{wait}秒は受け付けません。時間をおいてやり直してください。"
            ));
        }
        if !auth::password_matches(password, &user.password_hash) {
            let failures = user.failed_logins + 1;
            let retry_after = stamp(now + auth::delay_after(failures));
            self.store.login_failed(
                user.id,
                failures,
                &retry_after,
                &NewAudit {
                    at: stamp(now),
                    user_id: Some(user.id),
                    action: "login_failed".into(),
                    case_id: None,
                    detail: serde_json::json!({"failures": failures}).to_string(),
                },
            )?;
            return refused(WRONG);
        }
        if user.failed_logins > 0 {
            self.store.login_succeeded(user.id)?;
        }
        Ok(Actor {
            id: user.id,
            name: user.name,
            role: user.role,
        })
    }

    /// Adds a user. The first user may be added by nobody (whoever can write the state folder owns
    /// the journal anyway) and must be an admin; after that only an admin adds users.
    pub fn add_user(
        &mut self,
        by: Option<&Actor>,
        name: &str,
        role: Role,
        password: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<i64, ReviewError> {
        let first = self.store.user_count()? == 0;
        match by {
            None if first && role != Role::Admin => {
                return refused("最初のユーザーは管理者（--role admin）として登録してください。")
            }
            None if !first => {
                return refused(
                    "ユーザーの登録は管理者が行います。--as 管理者名 --password-stdin を付けてください（標準入力の1行目に管理者のパスワード、2行目に新しいユーザーのパスワード）。",
                )
            }
            Some(a) if a.role != Role::Admin => {
                return refused("ユーザーを登録できるのは管理者だけです。")
            }
            _ => {}
        }
        if !auth::valid_user_name(name) {
            return refused("ユーザー名は半角英数字と . _ - の32文字以内で指定してください。");
        }
        if password.chars().count() < auth::MIN_PASSWORD_CHARS {
            return refused(format!(
                "パスワードは{}文字以上にしてください。",
                auth::MIN_PASSWORD_CHARS
            ));
        }
        if self.store.user_by_name(name)?.is_some() {
            return refused(format!("ユーザー「{name}」は既に登録されています。"));
        }
        let hash = auth::hash_password(password).map_err(|e| ReviewError::Hash(e.to_string()))?;
        let id = self.store.add_user(
            name,
            role,
            &hash,
            &NewAudit {
                at: stamp(now),
                user_id: by.map(|a| a.id),
                action: "user_added".into(),
                case_id: None,
                detail: String::new(),
            },
        )?;
        Ok(id)
    }

    /// The case as first read, from the journal.
    fn case_as_read(&self, case_id: &str) -> Result<Case, ReviewError> {
        let Some(json) = self.store.case_as_read(case_id)? else {
            return refused(format!("案件 {case_id} はありません。"));
        };
        serde_json::from_str(&json).map_err(|e| ReviewError::Corrupt(format!("{case_id}: {e}")))
    }

    /// The case with every recorded correction applied, assembled as `run` assembles it.
    fn corrected_case(&self, case_id: &str) -> Result<Case, ReviewError> {
        let case = self.case_as_read(case_id)?;
        let corrections = self.store.corrections(case_id)?;
        let (docs, _skipped) = correct::corrected(
            case.documents,
            corrections.iter().map(|c| (c.target.as_str(), &c.new)),
        );
        Ok(reassemble(
            case_id,
            case.application,
            docs,
            self.review_below,
        ))
    }

    /// The latest decision of a case, as JSON and typed.
    fn latest(&self, case_id: &str) -> Result<(i64, serde_json::Value, Decision), ReviewError> {
        let Some(d) = self.store.latest_decision(case_id)? else {
            return refused(format!("案件 {case_id} の決定案はありません。"));
        };
        let corrupt = |e: serde_json::Error| ReviewError::Corrupt(format!("{case_id}: {e}"));
        let value: serde_json::Value = serde_json::from_str(&d.json).map_err(corrupt)?;
        let typed: Decision = serde_json::from_value(value.clone()).map_err(corrupt)?;
        Ok((d.version, value, typed))
    }

    /// Corrects one field of one document of a case (`FILE#FIELD`, see [`correct::parse_target`])
    /// and decides the case again at once. The scan and the first reading stay as they are.
    pub fn correct(
        &mut self,
        actor: &Actor,
        case_id: &str,
        target: &str,
        value: &str,
        reason: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Corrected, ReviewError> {
        if actor.role == Role::Admin {
            return refused("訂正は担当者または決裁者が行います。");
        }
        let reason = correct::note(reason, "訂正の理由").or_else(refused)?;
        let t = correct::parse_target(target).or_else(refused)?;
        if let Some(w) = self.store.workflow(case_id)? {
            if w.state == store::Flow::Submitted {
                return refused(
                    "決裁待ちの案件は訂正できません。差し戻されてから訂正してください。",
                );
            }
        }
        let (_, before_json, before) = self.latest(case_id)?;
        let case = self.corrected_case(case_id)?;
        let at = correct::find(&case.documents, &t).or_else(refused)?;
        let doc = &case.documents[at].doc;
        let old = correct::current(doc, &t.path);
        let new = correct::typed_value(doc, &t.path, value, now.date_naive()).or_else(refused)?;
        if old == new && case.documents[at].is_sure(&sure_key(&t.path)) && confirmed(doc, &t.path) {
            return refused("値が変わりません（既に確認済みです）。");
        }
        let mut docs = case.documents;
        correct::apply(&mut docs[at].doc, &t.path, &new);
        let case = reassemble(case_id, case.application, docs, self.review_below);
        let decision = rules::decide(&case, &self.params);
        let supersedes = self
            .store
            .approvals_in_force()?
            .into_iter()
            .find(|a| a.case_id == case_id);
        let mut json =
            serde_json::to_value(&decision).map_err(|e| ReviewError::Corrupt(e.to_string()))?;
        if let Some(obj) = json.as_object_mut() {
            if let Some(s) = before_json.get("submission") {
                obj.insert("submission".into(), s.clone());
            }
            let n = self.store.corrections(case_id)?.len() + 1;
            obj.insert("corrections".into(), n.into());
            if let Some(a) = &supersedes {
                obj.insert("supersedes".into(), a.document_number.clone().into());
            }
        }
        let text = serde_json::to_string_pretty(&json).unwrap_or_default() + "\n";
        let pdf = render::notice(&decision, &case.application, &self.office, &self.templates)?;
        let mut files = vec![("notice.pdf", pdf)];
        // The stipend's 支給予定表 follows its schedule, as `run` writes it.
        if decision.schedule.is_some()
            && matches!(decision.outcome, Outcome::Pay | Outcome::NeedsReview)
        {
            let plan =
                render::plan_schedule(&decision, &case.application, &self.office, &self.templates)?;
            files.push(("plan.pdf", plan));
        }
        files.push(("decision.json", text.clone().into_bytes()));
        let dir = self.outbox.join(case_id);
        let mut outputs = Vec::new();
        for (name, bytes) in files {
            write_durable(&dir.join(name), &bytes)
                .map_err(io(format!("{name} を書き出せません")))?;
            outputs.push((name.to_string(), sha256_hex(&bytes)));
        }
        let id = self
            .store
            .add_correction(
                &NewCorrection {
                    case_id,
                    target,
                    old: &old,
                    new: &new,
                    reason: &reason,
                    user_id: actor.id,
                    at: &stamp(now),
                    decision_json: &text,
                    outcome: decision.outcome.id(),
                    amount_yen: decision.amount_yen,
                    outputs,
                },
                &NewAudit {
                    at: stamp(now),
                    user_id: Some(actor.id),
                    action: "corrected".into(),
                    case_id: Some(case_id.to_string()),
                    detail: String::new(),
                },
            )
            .map_err(conflict_ja)?;
        Ok(Corrected {
            case_id: case_id.to_string(),
            correction: id,
            target: target.to_string(),
            before: Figures::of(&before),
            after: Figures::of(&decision),
        })
    }

    /// The chain of the audit log, checked from the first entry (any user may run it).
    pub fn verify_audit(&self) -> Result<audit::Verified, ReviewError> {
        Ok(audit::verify(&self.store.audit_entries()?))
    }

    /// The audit log as an admin reads it: every entry, oldest first, with the acting user's name,
    /// and the chain checked. Refused to anyone but an admin.
    pub fn audit_log(&self, actor: &Actor) -> Result<AuditLog, ReviewError> {
        if actor.role != Role::Admin {
            return refused("監査ログを見られるのは管理者だけです。");
        }
        let rows = self.store.audit_entries()?;
        let verified = audit::verify(&rows);
        let mut names = std::collections::BTreeMap::new();
        let mut entries = Vec::with_capacity(rows.len());
        for r in rows {
            let name = match r.user_id {
                Some(id) => {
                    if let std::collections::btree_map::Entry::Vacant(e) = names.entry(id) {
                        e.insert(self.store.user_by_id(id)?.map(|u| u.name));
                    }
                    names.get(&id).cloned().flatten()
                }
                None => None,
            };
            entries.push((r, name));
        }
        Ok(AuditLog { entries, verified })
    }

    fn outbox_dir(&self, case_id: &str) -> PathBuf {
        self.outbox.join(case_id)
    }
}

/// Documents as a case holds them, gathered again as `run` gathers a submission (`case::assemble`
/// marks what is unsure; a value a person set has certainty 1 and is sure).
fn reassemble(
    case_id: &str,
    application: crate::case::Application,
    docs: Vec<crate::case::CaseDocument>,
    review_below: f32,
) -> Case {
    let sourced = docs
        .into_iter()
        .map(|d| SourcedDocument {
            file: d.file,
            sha256: d.sha256,
            doc: d.doc,
        })
        .collect();
    case::assemble(case_id, application, sourced, review_below)
}

/// The name `case::assemble` marks unsure for a path (`items` for any line of the breakdown).
fn sure_key(path: &correct::FieldPath) -> String {
    match path {
        correct::FieldPath::Field(f) => f.clone(),
        correct::FieldPath::Item { .. } => "items".into(),
    }
}

/// Whether a person already confirmed the value at `path`.
fn confirmed(doc: &crate::document::Document, path: &correct::FieldPath) -> bool {
    use crate::document::{Certainty, Check};
    let by_person = Certainty::Sure(Check::Person);
    match path {
        correct::FieldPath::Field(f) => doc.fields.get(f).is_some_and(|f| f.certainty == by_person),
        correct::FieldPath::Item { index, .. } => doc
            .items
            .get(*index)
            .is_some_and(|i| i.certainty == by_person),
    }
}

/// A store conflict as the person sees it.
fn conflict_ja(e: StoreError) -> ReviewError {
    match e {
        StoreError::Conflict(_) => ReviewError::Refused(
            "ほかの操作と重なったため処理できませんでした。案件の状態を確かめてやり直してください。"
                .into(),
        ),
        e => ReviewError::Store(e),
    }
}

/// A time as the journal records it: RFC 3339 to the second, with the offset of the clock given.
fn stamp(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// Writes `bytes` durably, naming the file in the error.
fn write(path: &Path, bytes: &[u8]) -> Result<(), ReviewError> {
    write_durable(path, bytes).map_err(io(format!("{} を書き出せません", path.display())))
}
