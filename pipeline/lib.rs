//! kyufu (給付): the benefit pipeline for single-parent support.
//!
//! One module per stage (DESIGN.md, "Flow"): `watch` → `decode` → `reading` (the only caller of
//! `ocr`'s engines, with `ink`, the page's pixel analysis) → `extract` → `case` → `rules` → `render`,
//! driven by `run`; `journal` records
//! what was done; `review` is the payment officer's desk (corrections, 起案 → 決裁, the audit log).
//! `main.rs` is the CLI and nothing else.

pub mod case;
pub mod config;
pub mod decision;
pub mod decode;
pub mod document;
pub mod extract;
pub mod ink;
pub mod journal;
pub mod ocr;
pub mod payment;
pub mod plans;
pub mod reading;
pub mod render;
pub mod review;
pub mod rules;
pub mod run;
pub mod serve;
pub mod watch;
