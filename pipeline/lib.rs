//! kyufu (給付): the benefit pipeline for single-parent support.
//!
//! One module per stage (DESIGN.md, "Flow"): `watch` → `decode` → `ocr` → `extract` → `case` →
//! `rules` → `render`, driven by `run`; `journal` records what was done. `main.rs` is the CLI and
//! nothing else.

pub mod case;
pub mod decision;
pub mod document;
pub mod extract;
pub mod journal;
pub mod plans;
pub mod render;
pub mod watch;
