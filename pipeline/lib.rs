//! kyufu (給付): the benefit pipeline for single-parent support.
//!
//! One module per stage (DESIGN.md, "Flow"): `watch` → `decode` → `ocr` → `extract` → `case` →
//! `rules` → `render`, driven by `run`; `journal` records what was done. `main.rs` is the CLI and
//! nothing else.

pub mod case;
pub mod config;
pub mod decision;
pub mod decode;
pub mod document;
pub mod extract;
pub mod journal;
pub mod ocr;
pub mod payment;
pub mod plans;
pub mod render;
pub mod rules;
pub mod run;
pub mod watch;
