//! OCR workers: one Tesseract engine per thread (and one for doubtful names they share), created
//! once and kept (loading a model costs 0.1 s and 50 MB: NOTES-OCR.md), fed pages through a queue. Tesseract runs with one OpenMP thread each
//! (`OMP_THREAD_LIMIT=1`, set by `ocr`); the parallelism is ours, one page per core. What a worker
//! does with a page is the `reading` stage's ([`crate::reading::read_image_page`]); here, only who
//! reads which page, and the engines each keeps.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use image::DynamicImage;

use crate::extract::{Extractor, Hints, PageInput};
use crate::ocr::{Models, OcrError, PageSegMode};

use crate::reading::{read_image_page, PageEngines, Shared};

struct Job {
    index: usize,
    number: u32,
    image: DynamicImage,
    hints: Arc<Hints>,
    reply: Sender<(usize, Result<PageInput, OcrError>)>,
}

/// A pool of OCR engines.
pub struct Workers {
    queue: Option<Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts `n` workers; fails if an engine cannot be created (missing model).
    pub fn start(
        models: &Models,
        n: usize,
        psm: PageSegMode,
        extractor: &Extractor,
    ) -> Result<Workers, OcrError> {
        let extractor = Arc::new(extractor.clone());
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let mut threads = Vec::new();
        // Create the engines here so a missing model fails the start, not a page.
        let shared = Shared::new(models)?;
        for i in 0..n.max(1) {
            let fresh = Fresh {
                models: models.clone(),
                shared: shared.clone(),
                psm,
            };
            let engines = fresh.engines()?;
            let rx = Arc::clone(&rx);
            let extractor = Arc::clone(&extractor);
            let handle = std::thread::Builder::new()
                .name(format!("ocr-{i}"))
                .spawn(move || worker(engines, &fresh, &extractor, rx))
                .map_err(|_| OcrError::WorkerLost)?;
            threads.push(handle);
        }
        Ok(Workers {
            queue: Some(tx),
            threads,
        })
    }

    /// Reads pages (in parallel across the workers), confirming against `hints`; results in the
    /// order given.
    pub fn read_pages(
        &self,
        pages: Vec<(u32, DynamicImage)>,
        hints: &Hints,
    ) -> Vec<Result<PageInput, OcrError>> {
        let hints = Arc::new(hints.clone());
        let n = pages.len();
        let (reply, results) = channel();
        let Some(queue) = &self.queue else {
            return Vec::new();
        };
        for (index, (number, image)) in pages.into_iter().enumerate() {
            let job = Job {
                index,
                number,
                image,
                hints: Arc::clone(&hints),
                reply: reply.clone(),
            };
            if queue.send(job).is_err() {
                break;
            }
        }
        drop(reply);
        let mut out: Vec<Option<Result<PageInput, OcrError>>> = (0..n).map(|_| None).collect();
        for (index, r) in results.iter() {
            out[index] = Some(r);
        }
        out.into_iter()
            .map(|r| r.unwrap_or(Err(OcrError::WorkerLost)))
            .collect()
    }
}

/// What a worker's engines are made from, to make them anew.
struct Fresh {
    models: Models,
    shared: Shared,
    psm: PageSegMode,
}

impl Fresh {
    fn engines(&self) -> Result<PageEngines, OcrError> {
        let mut engines = PageEngines::sharing(&self.models, self.shared.clone())?;
        engines.text.set_page_seg_mode(self.psm)?;
        Ok(engines)
    }
}

fn worker(
    mut engines: PageEngines,
    fresh: &Fresh,
    extractor: &Extractor,
    rx: Arc<Mutex<Receiver<Job>>>,
) {
    loop {
        let job = {
            let Ok(guard) = rx.lock() else { return };
            match guard.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        // A bug met on one page fails that page (its file goes to quarantine), not the worker.
        // The engines are made anew: a second look may have left a setting on them (the date
        // look's glyph whitelist) that would spoil every later page.
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            read_image_page(&mut engines, job.number, job.image, extractor, &job.hints)
        }));
        let result = match result {
            Ok(read) => read,
            Err(_) => {
                match fresh.engines() {
                    Ok(new) => engines = new,
                    Err(_) => {
                        let _ = job.reply.send((job.index, Err(OcrError::PageFailed)));
                        return;
                    }
                }
                Err(OcrError::PageFailed)
            }
        };
        // The caller may have gone (a time limit); nothing to do then.
        let _ = job.reply.send((job.index, result));
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.queue.take();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
