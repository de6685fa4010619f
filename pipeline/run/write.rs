//! The *write* step of an intake: a duplicate is recorded as one; a submission is read, decided
//! and its outputs written; a loose document joins the open case it belongs to (which is decided
//! again) or waits in `unassigned`, or goes to quarantine if it cannot be read. Everything it
//! decides is journaled in one transaction, after the outputs are durable.
//!
//! It moves no inbox file (that is [`super::finish`], from what this step journaled). Called by
//! [`super::intake`].

use std::collections::BTreeMap;
use std::fs;
use std::time::Instant;

use chrono::{DateTime, Datelike, Local};
use tracing::{debug, info, warn};

use crate::case::{self, Application, Case, SourcedDocument};
use crate::decode::{self, DecodeError};
use crate::document::Document;
use crate::extract::Hints;
use crate::journal::{DecisionRecord, FileRow, FileState, Intake, IntakeKind, Written};
use crate::rules;

use super::files::write_durable;
use super::identity::{case_keys, document_key};
use super::reader::{hints_from, ReadError};
use super::submission::{read_application, APPLICATION_FILE};
use super::{io, short, Claimed, RunError, Runner, Summary};

impl Runner {
    /// The *write* step: decide (or find it a duplicate, or unreadable, or unassigned), write the
    /// outputs durably, then journal all of it at once.
    pub(super) fn write(
        &mut self,
        intake: &Intake,
        c: &Claimed,
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.to_rfc3339();
        let files = self.journal.intake_files(intake.id)?;
        if let Some(first) = self.duplicate_of(intake, &files)? {
            let reason = format!(
                "同じ内容のファイルがすでに受け付けられています（{first}）。重複のため処理していません。"
            );
            let w = Written {
                outcome: "duplicate",
                plans: files
                    .iter()
                    .map(|f| (f.id, FileState::Duplicate, Some(reason.clone())))
                    .collect(),
                ..Written::default()
            };
            self.journal.commit_written(intake.id, &w, &stamp)?;
            info!(claim = %c.key, content = short(&intake.content_id), "duplicate");
            summary.duplicates += 1;
            return Ok(());
        }
        match intake.kind {
            IntakeKind::Submission => self.write_submission(intake, c, &files, now, summary),
            IntakeKind::Loose => self.write_loose(intake, c, &files, now, summary),
        }
    }

    /// What an earlier intake with the same content became, if this one is a duplicate of it.
    fn duplicate_of(&self, intake: &Intake, files: &[FileRow]) -> Result<Option<String>, RunError> {
        if files.is_empty() {
            return Ok(None);
        }
        if let Some(first) = self.journal.content_seen(&intake.content_id, intake.id)? {
            return Ok(Some(first));
        }
        // Every file of it was taken before (in other submissions or loose): nothing new here.
        let mut first = None;
        for f in files {
            match self.journal.seen_before(&f.sha256, f.id)? {
                Some(s) => {
                    first.get_or_insert(s);
                }
                None => return Ok(None),
            }
        }
        Ok(first)
    }

    fn write_submission(
        &mut self,
        intake: &Intake,
        c: &Claimed,
        files: &[FileRow],
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.to_rfc3339();
        let submission = intake.submission.clone().unwrap_or_default();
        let mut application = Application::default();
        let mut unreadable: BTreeMap<i64, String> = BTreeMap::new();
        let mut scans: Vec<(String, Vec<u8>)> = Vec::new();
        let mut scan_rows: Vec<&FileRow> = Vec::new();
        let mut unopened: Vec<SourcedDocument> = Vec::new();
        for f in files {
            let bytes = match fs::read(c.path.join(&f.name)) {
                Ok(b) => b,
                Err(e) => {
                    let reason = ReadError::Unopenable(e.kind().to_string()).to_string();
                    // As a scan that cannot be read (below): the case is not decided without it.
                    if f.name != APPLICATION_FILE {
                        unopened.push(SourcedDocument {
                            file: f.name.clone(),
                            sha256: f.sha256.clone(),
                            doc: Document::unreadable(&f.name, &reason),
                        });
                    }
                    unreadable.insert(f.id, reason);
                    continue;
                }
            };
            if f.name == APPLICATION_FILE {
                match read_application(&bytes) {
                    Ok(app) => application = app,
                    Err(problem) => {
                        unreadable.insert(f.id, problem);
                    }
                }
                continue;
            }
            scans.push((f.name.clone(), bytes));
            scan_rows.push(f);
        }
        let started = Instant::now();
        let results = self.read_guarded(scans, hints_from(&application))?;
        debug!(
            claim = %c.key,
            files = scan_rows.len(),
            ms = started.elapsed().as_millis() as u64,
            "read submission"
        );
        let mut documents = unopened;
        for (f, result) in scan_rows.into_iter().zip(results) {
            match result {
                Ok(docs) => documents.extend(docs.into_iter().map(|doc| SourcedDocument {
                    file: f.name.clone(),
                    sha256: f.sha256.clone(),
                    doc,
                })),
                Err(e) => {
                    // A file of the submission kyufu could not read may be the receipt the amount
                    // turns on: the case is decided with it as a document of unknown kind (a
                    // person looks, RULES §1.5), never as if it had not been sent.
                    documents.push(SourcedDocument {
                        file: f.name.clone(),
                        sha256: f.sha256.clone(),
                        doc: Document::unreadable(&f.name, &e.to_string()),
                    });
                    unreadable.insert(f.id, e.to_string());
                }
            }
        }
        for (id, reason) in &unreadable {
            if let Some(f) = files.iter().find(|f| f.id == *id) {
                self.journal.record_stage(
                    short(&f.sha256),
                    "read",
                    "quarantined",
                    Some(reason),
                    &stamp,
                )?;
                warn!(sha = short(&f.sha256), "unreadable file");
            }
        }
        let case_id = self
            .journal
            .assign_case(intake.id, now.year(), &submission, &stamp)?;
        let case = case::assemble(&case_id, application, documents, self.cfg.review_below);
        let decision = rules::decide(&case, &self.params);
        let (text, outputs) = self.write_outputs(&decision, &case, &submission)?;
        let case_json = serde_json::to_string(&case).unwrap_or_default();
        let keys = case_keys(&case);
        let w = Written {
            outcome: "decided",
            case_id: Some(&case_id),
            decision: Some(DecisionRecord {
                case_id: &case_id,
                outcome: decision.outcome.id(),
                amount_yen: decision.amount_yen,
                json: &text,
            }),
            outputs: outputs
                .iter()
                .map(|(p, h)| (case_id.as_str(), p.as_str(), h.clone()))
                .collect(),
            plans: files
                .iter()
                .map(|f| match unreadable.get(&f.id) {
                    Some(r) => (f.id, FileState::Quarantined, Some(r.clone())),
                    None => (f.id, FileState::Processed, None),
                })
                .collect(),
            case_keys: keys,
            case_json: Some(&case_json),
        };
        self.journal.commit_written(intake.id, &w, &stamp)?;
        info!(case = %case_id, outcome = decision.outcome.id(), amount = decision.amount_yen, "decided");
        summary.submissions += 1;
        summary.quarantined += unreadable.len();
        *summary.outcomes.entry(decision.outcome.id()).or_default() += 1;
        Ok(())
    }

    fn write_loose(
        &mut self,
        intake: &Intake,
        c: &Claimed,
        files: &[FileRow],
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.to_rfc3339();
        let Some(f) = files.first() else {
            return Ok(());
        };
        let read = match fs::read(&c.path) {
            Err(e) => Err(ReadError::Unopenable(e.kind().to_string()).to_string()),
            Ok(bytes) if bytes.is_empty() => Err(DecodeError::Empty.reason_ja()),
            // Known by its header, not its name: anything else is not a document kyufu reads.
            Ok(bytes) if decode::sniff(&bytes).is_none() => {
                Err(DecodeError::UnknownFormat.reason_ja())
            }
            Ok(bytes) => self
                .read_guarded(vec![(c.name.clone(), bytes)], Hints::default())?
                .pop()
                .unwrap_or(Ok(Vec::new()))
                .map_err(|e| e.to_string()),
        };
        let docs = match read {
            Err(reason) => {
                self.journal.record_stage(
                    short(&f.sha256),
                    "read",
                    "quarantined",
                    Some(&reason),
                    &stamp,
                )?;
                let w = Written {
                    outcome: "quarantined",
                    plans: vec![(f.id, FileState::Quarantined, Some(reason))],
                    ..Written::default()
                };
                self.journal.commit_written(intake.id, &w, &stamp)?;
                warn!(sha = short(&f.sha256), "quarantined");
                summary.quarantined += 1;
                return Ok(());
            }
            Ok(docs) => docs,
        };
        if let Some((case_id, case)) = self.open_case_for(&docs)? {
            return self.join(intake, f, &case_id, case, docs, now, summary);
        }
        // A readable document that belongs to no case waits, with what was read beside it.
        let json = serde_json::to_string_pretty(&docs).unwrap_or_default();
        write_durable(
            &self.state.unassigned().join(format!("{}.json", f.sha256)),
            json.as_bytes(),
        )
        .map_err(io("未割当フォルダに書けません"))?;
        let w = Written {
            outcome: "unassigned",
            plans: vec![(f.id, FileState::Unassigned, None)],
            ..Written::default()
        };
        self.journal.commit_written(intake.id, &w, &stamp)?;
        info!(sha = short(&f.sha256), "unassigned");
        summary.unassigned += 1;
        Ok(())
    }

    /// The most recent case with the same applicant and course as one of `docs`, as last assembled.
    fn open_case_for(&self, docs: &[Document]) -> Result<Option<(String, Case)>, RunError> {
        for d in docs {
            let Some(key) = document_key(d) else { continue };
            let Some(case_id) = self.journal.case_for_key(&key)? else {
                continue;
            };
            let Some(json) = self.journal.case_json(&case_id)? else {
                continue;
            };
            if let Ok(case) = serde_json::from_str::<Case>(&json) {
                return Ok(Some((case_id, case)));
            }
        }
        Ok(None)
    }

    /// A loose document joins an open case: the case is decided again with it (a new decision
    /// version replaces the outputs).
    #[allow(clippy::too_many_arguments)]
    fn join(
        &mut self,
        intake: &Intake,
        f: &FileRow,
        case_id: &str,
        case: Case,
        docs: Vec<Document>,
        now: &DateTime<Local>,
        summary: &mut Summary,
    ) -> Result<(), RunError> {
        let stamp = now.to_rfc3339();
        let mut sourced: Vec<SourcedDocument> = case
            .documents
            .into_iter()
            .map(|d| SourcedDocument {
                file: d.file,
                sha256: d.sha256,
                doc: d.doc,
            })
            .collect();
        sourced.extend(docs.into_iter().map(|doc| SourcedDocument {
            file: f.name.clone(),
            sha256: f.sha256.clone(),
            doc,
        }));
        let case = case::assemble(case_id, case.application, sourced, self.cfg.review_below);
        let decision = rules::decide(&case, &self.params);
        let submission = self.journal.case_submission(case_id)?.unwrap_or_default();
        let (text, outputs) = self.write_outputs(&decision, &case, &submission)?;
        let case_json = serde_json::to_string(&case).unwrap_or_default();
        let w = Written {
            outcome: "joined",
            case_id: Some(case_id),
            decision: Some(DecisionRecord {
                case_id,
                outcome: decision.outcome.id(),
                amount_yen: decision.amount_yen,
                json: &text,
            }),
            outputs: outputs
                .iter()
                .map(|(p, h)| (case_id, p.as_str(), h.clone()))
                .collect(),
            plans: vec![(f.id, FileState::Processed, None)],
            case_keys: case_keys(&case),
            case_json: Some(&case_json),
        };
        self.journal.commit_written(intake.id, &w, &stamp)?;
        info!(case = %case_id, sha = short(&f.sha256), outcome = decision.outcome.id(), "joined an open case; decided again");
        *summary.outcomes.entry(decision.outcome.id()).or_default() += 1;
        Ok(())
    }
}
