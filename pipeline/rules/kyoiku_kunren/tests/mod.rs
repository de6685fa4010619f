//! Tables a benefits officer can read: the case, its dates and amounts, the expected outcome
//! and yen, and the rule it exercises. Documents are built directly as `Document`s, complete
//! and sure unless a row says otherwise.
//!
//! This file holds the case builder the tables share; the tables are in [`amounts`] (§1.3),
//! [`reasons`] (every reason code and §1.5's precedence) and [`properties`] (cap, sign, monotony,
//! line order). Run by `cargo test --lib rules::kyoiku_kunren`.

mod amounts;
mod properties;
mod reasons;

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use chrono::NaiveDate;

use super::*;
use crate::case::application::{Applicant, Child, ChildSupportAllowance, Course, Malformed};
use crate::case::{Application, CaseDocument};
use crate::decision::Benefit;
use crate::document::Item;
use crate::document::ItemCategory;
use crate::document::{certificate_fields as cf, receipt_fields as rf, DocKind, Document};
use crate::document::{Field, Finding, Value};
use crate::rules::Parameters;

use ItemCategory::{
    Admission as 入学料, ConsumptionTax as 消費税, ExamFee as 検定料, Other as その他,
    Subsidy as 補助, Tuition as 受講料,
};

const APPLICANT: &str = "山田 花子";
const COURSE: &str = "介護職員初任者研修";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

type Edit = Box<dyn Fn(&mut CaseDocument)>;

fn without(field: &'static str) -> Edit {
    Box::new(move |c| {
        c.doc.fields.remove(field);
    })
}
/// The field taken out, as printed but not read.
fn unread(field: &'static str) -> Edit {
    Box::new(move |c| {
        c.doc.fields.remove(field);
        c.doc.findings.push(Finding::unread(field, "読めない"));
    })
}
fn set(field: &'static str, value: Value) -> Edit {
    Box::new(move |c| {
        c.doc
            .fields
            .insert(field.into(), Field::sure(value.clone()));
    })
}
/// `field` read as the date `date`, checked only by its form (a real date printed in full).
fn read_by_form(field: &'static str, date: &'static str) -> Edit {
    Box::new(move |c| {
        let f = crate::document::Field {
            certainty: crate::document::Certainty::Sure(crate::document::Check::Form),
            ..crate::document::Field::sure(Value::Date(d(date)))
        };
        c.doc.fields.insert(field.into(), f);
    })
}
fn unsure(field: &'static str) -> Edit {
    Box::new(move |c| {
        c.unsure.insert(field.into());
    })
}
fn lines(list: &'static [(&'static str, i64, ItemCategory)]) -> Edit {
    Box::new(move |c| c.doc.items = items(list))
}

fn items(list: &[(&str, i64, ItemCategory)]) -> Vec<Item> {
    list.iter()
        .map(|&(label, amount, category)| Item {
            label: label.into(),
            amount,
            category,
            confidence: 1.0,
            certainty: crate::document::Certainty::Sure(crate::document::Check::Given),
            bbox: None,
        })
        .collect()
}

struct Spec {
    file: String,
    items: Vec<Item>,
    edits: Vec<Edit>,
}

/// A case as `case` would assemble it. Receipts and the certificate are made when the case is
/// decided, from the application's dates and names, then the edits are applied.
struct CaseB {
    app: Application,
    receipts: Vec<Spec>,
    certificate: Option<Vec<Edit>>,
    /// Further documents, read as of these kinds with no fields.
    others: Vec<DocKind>,
    /// The further documents were read as shops' till receipts.
    others_till: bool,
}

/// The standard case: a mother of a 10-year-old, 一般教育訓練 completed 2026-06-30, applied
/// 2026-07-10, 自立支援プログラム策定 2025-12-01, a certificate, no receipt yet.
fn case() -> CaseB {
    CaseB {
        app: Application {
            benefit: Some(Benefit::KyoikuKunren),
            applied_on: Some(d("2026-07-10")),
            applicant: Applicant {
                name: Some(APPLICANT.into()),
                birth_date: Some(d("1990-04-01")),
                ..Applicant::default()
            },
            children: Some(vec![Child {
                name: Some("山田 陽菜".into()),
                birth_date: Some(d("2015-06-01")),
            }]),
            independence_program_on: Some(d("2025-12-01")),
            child_support_allowance: Some(ChildSupportAllowance::Full),
            prior_receipt: Some(false),
            employment_insurance: Some(EmploymentInsurance {
                entitled: false,
                benefit_yen: 0,
            }),
            course: Some(Course {
                name: Some(COURSE.into()),
                institution: Some("学校法人さいたま介護学園".into()),
                kind: Some(CourseKind::General),
                designated_on: Some(d("2025-12-20")),
                started_on: Some(d("2026-01-10")),
                completed_on: Some(d("2026-06-30")),
                years: Some(1),
                ends_on: None,
            }),
            ..Application::default()
        },
        receipts: Vec::new(),
        certificate: Some(Vec::new()),
        others: Vec::new(),
        others_till: false,
    }
}

/// The standard case with the worked example's receipt: 入学料 11,000 + 受講料 88,000.
fn standard() -> CaseB {
    case().receipt(&[("入学料", 11_000, 入学料), ("受講料", 88_000, 受講料)])
}

impl CaseB {
    fn app(mut self, f: impl FnOnce(&mut Application)) -> Self {
        f(&mut self.app);
        self
    }
    fn course(self, f: impl FnOnce(&mut Course)) -> Self {
        self.app(|a| f(a.course.as_mut().expect("course")))
    }
    fn receipt(mut self, list: &[(&str, i64, ItemCategory)]) -> Self {
        self.receipts.push(Spec {
            file: format!("receipt{}.jpg", self.receipts.len() + 1),
            items: items(list),
            edits: Vec::new(),
        });
        self
    }
    /// Edits the last receipt added.
    fn receipt_edit(mut self, edit: Edit) -> Self {
        self.receipts
            .last_mut()
            .expect("a receipt")
            .edits
            .push(edit);
        self
    }
    fn certificate_edit(mut self, edit: Edit) -> Self {
        self.certificate.as_mut().expect("a certificate").push(edit);
        self
    }
    fn no_certificate(mut self) -> Self {
        self.certificate = None;
        self
    }
    fn other_document(mut self, kind: DocKind) -> Self {
        self.others.push(kind);
        self
    }
    fn others_till(mut self) -> Self {
        self.others_till = true;
        self
    }

    fn build(&self) -> Case {
        let course = self.app.course.clone().unwrap_or_default();
        let name = self.app.applicant.name.clone().unwrap_or_default();
        let mut documents = Vec::new();
        for spec in &self.receipts {
            let total = spec
                .items
                .iter()
                .filter(|i| i.category != 補助)
                .map(|i| i.amount)
                .sum::<i64>();
            let mut fields = BTreeMap::new();
            let mut put = |k: &str, v: Value| {
                fields.insert(k.to_string(), Field::sure(v));
            };
            put(
                rf::ISSUER_NAME,
                Value::Text("学校法人さいたま介護学園".into()),
            );
            put(rf::PAYER_NAME, Value::Text(name.clone()));
            put(
                rf::COURSE_NAME,
                Value::Text(course.name.clone().unwrap_or_default()),
            );
            if let Some(on) = course.completed_on {
                put(rf::ISSUED_ON, Value::Date(on));
            }
            put(rf::AMOUNT_TOTAL, Value::Yen(total));
            put(rf::SEAL_PRESENT, Value::Bool(true));
            put(rf::HAS_UNSEALED_CORRECTION, Value::Bool(false));
            let mut doc = doc(&spec.file, DocKind::Receipt, fields);
            doc.doc.items = spec.items.clone();
            for edit in &spec.edits {
                edit(&mut doc);
            }
            documents.push(doc);
        }
        if let Some(edits) = &self.certificate {
            let mut fields = BTreeMap::new();
            let mut put = |k: &str, v: Value| {
                fields.insert(k.to_string(), Field::sure(v));
            };
            put(cf::TRAINEE_NAME, Value::Text(name.clone()));
            put(
                cf::COURSE_NAME,
                Value::Text(course.name.clone().unwrap_or_default()),
            );
            put(
                cf::ISSUER_NAME,
                Value::Text("学校法人さいたま介護学園".into()),
            );
            if let Some(b) = self.app.applicant.birth_date {
                put(cf::BIRTH_DATE, Value::Date(b));
            }
            if let Some(on) = course.started_on {
                put(cf::STARTED_ON, Value::Date(on));
            }
            if let Some(on) = course.completed_on {
                put(cf::COMPLETED_ON, Value::Date(on));
            }
            put(cf::HAS_UNSEALED_CORRECTION, Value::Bool(false));
            let mut doc = doc("certificate.jpg", DocKind::CompletionCertificate, fields);
            for edit in edits {
                edit(&mut doc);
            }
            documents.push(doc);
        }
        for (i, kind) in self.others.iter().enumerate() {
            let mut other = doc(&format!("scan{}.png", i + 1), *kind, BTreeMap::new());
            if self.others_till {
                other.doc.findings.push(crate::document::Finding {
                    code: crate::extract::TILL_RECEIPT.into(),
                    message: "レシート".into(),
                });
            }
            documents.push(other);
        }
        Case {
            case_id: "2026-000123".into(),
            application: self.app.clone(),
            documents,
        }
    }

    fn decide(&self) -> Decision {
        decide(&self.build(), &Parameters::embedded())
    }
}

fn doc(file: &str, kind: DocKind, fields: BTreeMap<String, Field>) -> CaseDocument {
    CaseDocument {
        file: file.into(),
        sha256: format!("{:0>64}", file.len().to_string() + file),
        doc: Document {
            source: file.into(),
            pages: vec![1],
            kind,
            fields,
            items: Vec::new(),
            findings: Vec::new(),
        },
        unsure: BTreeSet::new(),
    }
}

fn codes(decision: &Decision) -> Vec<&str> {
    decision.reasons.iter().map(|r| r.code.as_str()).collect()
}
