//! reading: one page image → the lines and marks the extractor reads. The only stage that holds a
//! page's image and calls the recognition engines on it.
//!
//! It owns: the first reading of a page ([`page`]: prepare, drop the red stamp ink, recognise,
//! group words into lines, find the seals and strike-throughs), the second looks at the parts of a
//! page whose first reading does not agree with the rest of the submission (`looks/`), the
//! rebuilding of lines from the words of a re-read crop (`lines.rs`), and the witness, a second
//! engine reading again each receipt total a cross-check rests on ([`witness`]), and PP-OCRv6
//! reading again a receipt whose money is still not sure (`money_again`).
//!
//! It does not decide what a reading means: every look asks the extractor (`extract`) whether a
//! new reading gives more, and keeps it only then. Nor does it sequence the work: `run` decodes the
//! files, hands their page images to its workers (`run::workers`), each of which reads with its own
//! [`PageEngines`] through [`read_image_page`], under the document's time limit. The pixel analysis
//! of marks (`extract::marks`) is called from here, on the image this stage holds.
//!
//! Called by `run` (its page workers) and by the `lines` example.

pub mod fallback;
mod lines;
mod looks;
mod money_again;
pub mod page;
pub mod witness;

pub use page::{names_engine, read_image_page, PageEngines, Shared};
