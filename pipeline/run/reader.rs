//! Reading files into documents — decode, recognise, extract — with the OCR workers the
//! [`Reader`] holds, and the runner's read under the per-document time limit (a read that outlives
//! it is given up and the file quarantined with a Japanese reason, never the run stopped).
//!
//! It decides nothing and writes nothing. Called by the write step ([`super::write`]),
//! `kyufu decide` ([`super::decide`]), `kyufu extract` and the read-ahead ([`super::ahead`]).

use std::sync::Arc;
use std::time::Duration;

use tracing::warn;

use crate::case::Application;
use crate::config::Config;
use crate::decode::{self, PageContent};
use crate::document::Document;
use crate::extract::layout::lines_from_text;
use crate::extract::lexicon::Lexicon;
use crate::extract::{Extractor, Hints, PageInput};
use crate::ocr::{Models, OcrError};

use super::ahead::{start_read, ReadInput};
use super::files::sha256_hex;
use super::workers::{Batch, Workers};
use super::{short, RunError, Runner};

/// Why one file could not be read (it goes to quarantine with this reason).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Decode(String),
    #[error("文字認識（OCR）に失敗しました: {0}")]
    Ocr(#[from] OcrError),
    #[error("読み取りが制限時間（{seconds} 秒）内に終わりませんでした。ページが複雑すぎるか壊れている可能性があります。スキャンし直すか、書類ごとに分けて提出してください。")]
    Timeout { seconds: u64 },
    #[error("ファイルを開けません（{0}）。読み取り権限のあるファイルとして提出し直してください。")]
    Unopenable(String),
}

/// Reads files into documents: decode, recognise, extract. Holds the OCR workers.
pub struct Reader {
    workers: Workers,
    extractor: Extractor,
    limits: decode::Limits,
}

impl Reader {
    pub fn new(cfg: &Config) -> Result<Reader, RunError> {
        let mut models = Models::locate(cfg.ocr.tessdata.as_deref())?;
        // PP-OCRv6 reads every page first, or, behind Tesseract, reads again the amounts a
        // check rests on (`witness`): either way its files are needed.
        let paddle = crate::ocr::PaddleModels::locate(cfg.ocr.onnx_models.as_deref())?;
        models = match cfg.ocr.recognizer {
            crate::config::Recognizer::Paddle => {
                models.with_paddle(paddle, cfg.ocr.detector_max_side)
            }
            crate::config::Recognizer::Tesseract => models.with_witness(paddle),
        };
        let lexicon = match &cfg.extract.item_lexicon {
            Some(p) => Lexicon::load(p)?,
            None => Lexicon::embedded(),
        };
        let extractor = Extractor::new(lexicon);
        let workers = Workers::start(
            &models,
            cfg.worker_count(),
            cfg.ocr.page_seg_mode(),
            &extractor,
        )?;
        Ok(Reader {
            workers,
            extractor,
            limits: cfg.limits.clone(),
        })
    }

    /// Reads one file's bytes into the documents it holds.
    pub fn read(&self, name: &str, bytes: &[u8]) -> Result<Vec<Document>, ReadError> {
        self.read_many(&[(name, bytes)], &Hints::default())
            .pop()
            .unwrap_or(Ok(Vec::new()))
    }

    /// Reads several files at once, so their pages share the OCR workers; results in order.
    pub fn read_many(
        &self,
        files: &[(&str, &[u8])],
        hints: &Hints,
    ) -> Vec<Result<Vec<Document>, ReadError>> {
        // A slot per page; image pages go to the workers as they have room for them.
        let mut batch = self.workers.batch(hints);
        let mut targets = Vec::new();
        let mut per_file: Vec<Result<Vec<Option<PageInput>>, ReadError>> = files
            .iter()
            .enumerate()
            .map(|(f, (_, bytes))| self.send_pages(f, bytes, &mut batch, &mut targets))
            .collect();
        let read = batch.finish();
        for ((f, slot), r) in targets.into_iter().zip(read) {
            match (r, &mut per_file[f]) {
                (Ok(page), Ok(slots)) => slots[slot] = Some(page),
                (Err(e), entry @ Ok(_)) => *entry = Err(ReadError::Ocr(e)),
                (_, Err(_)) => {}
            }
        }
        per_file
            .into_iter()
            .zip(files)
            .map(|(r, (name, _))| {
                r.map(|slots| {
                    let pages: Vec<PageInput> = slots.into_iter().flatten().collect();
                    self.extractor.extract_with(name, &pages, hints)
                })
            })
            .collect()
    }

    /// Decodes file `f` a page at a time, each once the workers have room for it: a text layer's
    /// lines are its page's slot; an image goes to the workers, its slot noted in `targets`. A page
    /// that cannot be decoded fails the file (its pages already sent are read, then dropped).
    fn send_pages(
        &self,
        f: usize,
        bytes: &[u8],
        batch: &mut Batch<'_>,
        targets: &mut Vec<(usize, usize)>,
    ) -> Result<Vec<Option<PageInput>>, ReadError> {
        let failed = |e: decode::DecodeError| ReadError::Decode(e.reason_ja());
        let mut pages = decode::open(bytes, &self.limits).map_err(failed)?;
        let mut slots = Vec::new();
        loop {
            let room = batch.room();
            let Some(page) = pages.next() else {
                return Ok(slots);
            };
            let page = page.map_err(failed)?;
            match page.content {
                PageContent::Text(layer) => slots.push(Some(PageInput {
                    number: page.number,
                    lines: lines_from_text(&layer.lines),
                    marks: Default::default(),
                    text_layer: true,
                    witnesses: Vec::new(),
                })),
                PageContent::Image(img) => {
                    targets.push((f, slots.len()));
                    batch.send(room, page.number, img);
                    slots.push(None);
                }
            }
        }
    }
}

impl Runner {
    /// Reads files under the per-document time limit. All together first (their pages share the OCR
    /// workers); if that outlives the limit for all of them, the reader is replaced and each is read
    /// alone, so only the file that hangs is given up (a timed-out read's thread is abandoned with
    /// the old reader and ends when its page does).
    pub(super) fn read_guarded(
        &mut self,
        files: Vec<(String, Vec<u8>)>,
        hints: Hints,
    ) -> Result<Vec<Result<Vec<Document>, ReadError>>, RunError> {
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let limit = Duration::from_millis(self.cfg.document_timeout_ms.max(1));
        let n = files.len();
        let input = ReadInput {
            files: Arc::new(files),
            hints: Arc::new(hints),
        };
        // The read begun ahead for these files, if any; others queued behind it stay.
        let begun = self
            .ahead
            .iter()
            .position(|a| a.is_of(&input))
            .map(|at| self.ahead.remove(at).into_result());
        let all = begun
            .or_else(|| start_read(&self.reader, &input, None))
            .and_then(|rx| rx.recv_timeout(limit * n as u32).ok());
        if let Some(all) = all {
            return Ok(all);
        }
        // Reads begun ahead were on the reader given up below: they are begun again when due.
        self.ahead.clear();
        self.reader = Arc::new(Reader::new(&self.cfg)?);
        let timeout = || ReadError::Timeout {
            seconds: limit.as_millis().div_ceil(1000) as u64,
        };
        if n == 1 {
            warn!(
                sha = short(&sha256_hex(&input.files[0].1)),
                "document timed out"
            );
            return Ok(vec![Err(timeout())]);
        }
        warn!(
            files = n,
            "read outlived its time limit; reading each file alone"
        );
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let one = start_read(&self.reader, &input, Some(i))
                .and_then(|rx| rx.recv_timeout(limit).ok());
            match one {
                Some(mut one) => out.push(one.pop().unwrap_or(Ok(Vec::new()))),
                None => {
                    warn!(
                        sha = short(&sha256_hex(&input.files[i].1)),
                        "document timed out"
                    );
                    out.push(Err(timeout()));
                    self.reader = Arc::new(Reader::new(&self.cfg)?);
                }
            }
        }
        Ok(out)
    }
}

/// What the application says that a reading can be confirmed against (names, course, institution,
/// dates): see [`Hints`].
pub fn hints_from(app: &Application) -> Hints {
    let course = app.course.as_ref();
    Hints {
        names: app.applicant.name.iter().cloned().collect(),
        courses: course.and_then(|c| c.name.clone()).into_iter().collect(),
        institutions: course
            .and_then(|c| c.institution.clone())
            .into_iter()
            .collect(),
        started_on: course.and_then(|c| c.started_on),
        completed_on: course.and_then(|c| c.completed_on),
        birth_date: app.applicant.birth_date,
    }
}
