//! N engines on N threads behind one job queue, so pages of several documents are read in parallel
//! while each model is loaded once per thread (not once per page).
//!
//! One engine per core and one OpenMP thread per engine (NOTES-OCR): more engines than cores, or
//! more threads per engine, only slow every page down. Called by `run`.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use image::GrayImage;

use super::{Engine, Models, OcrError, Recognized};

/// Most engines this machine class runs well (2 cores; each engine also holds ~100–150 MB per page).
const MAX_DEFAULT_WORKERS: usize = 2;

type Reply = (usize, Result<Recognized, OcrError>);

struct Job {
    index: usize,
    image: GrayImage,
    reply: Sender<Reply>,
}

/// A fixed set of OCR worker threads.
pub struct Pool {
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    /// The default number of engines: the available cores, at most 2.
    pub fn default_size() -> usize {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_DEFAULT_WORKERS)
    }

    /// Loads `size` engines for `lang` (at least one) and starts a thread for each. Fails if any
    /// engine cannot load, before any thread starts.
    pub fn new(models: &Models, lang: &str, size: usize) -> Result<Pool, OcrError> {
        let engines = (0..size.max(1))
            .map(|_| Engine::new(models, lang))
            .collect::<Result<Vec<_>, _>>()?;
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let workers = engines
            .into_iter()
            .enumerate()
            .map(|(i, engine)| {
                let queue = Arc::clone(&queue);
                std::thread::Builder::new()
                    .name(format!("ocr-{i}"))
                    .spawn(move || work(engine, &queue))
                    .map_err(|e| OcrError::Tesseract(format!("cannot start OCR thread: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pool {
            jobs: Some(jobs),
            workers,
        })
    }

    /// Number of engines.
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// Reads every image, in parallel across the engines; results are in the order of `images`.
    pub fn recognize_all(&self, images: Vec<GrayImage>) -> Vec<Result<Recognized, OcrError>> {
        let count = images.len();
        let (reply, replies) = mpsc::channel();
        let mut results: Vec<Option<Result<Recognized, OcrError>>> =
            (0..count).map(|_| None).collect();
        if let Some(jobs) = &self.jobs {
            for (index, image) in images.into_iter().enumerate() {
                let job = Job {
                    index,
                    image,
                    reply: reply.clone(),
                };
                if jobs.send(job).is_err() {
                    break;
                }
            }
        }
        // Only the workers hold reply senders now: the loop ends when every job is answered or its
        // worker has died.
        drop(reply);
        for (index, result) in replies {
            if let Some(slot) = results.get_mut(index) {
                *slot = Some(result);
            }
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or(Err(OcrError::WorkerLost)))
            .collect()
    }
}

fn work(mut engine: Engine, queue: &Mutex<Receiver<Job>>) {
    loop {
        // Hold the lock only while taking a job, not while reading it.
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let result = engine.recognize(&job.image);
        // The caller may have gone; nothing to do then.
        let _ = job.reply.send((job.index, result));
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing the queue ends each worker's loop.
        self.jobs.take();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::testpage;

    #[test]
    fn pool_reads_in_order_with_two_engines() {
        let models = Models::locate(None).expect("models");
        let pool = Pool::new(&models, "jpn", 2).expect("pool");
        assert_eq!(pool.size(), 2);
        let lines = [
            "入学料 11,000円",
            "受講料 48,400円",
            "消費税 5,400円",
            "領収書",
        ];
        let images: Vec<GrayImage> = lines
            .iter()
            .map(|l| testpage::render_line(l, 44.0).0)
            .collect();
        let mut bad = images[0].clone();
        bad = image::imageops::crop_imm(&bad, 0, 0, 2, 2).to_image();
        let mut all = images.clone();
        all.insert(2, bad);
        let results = pool.recognize_all(all);
        assert_eq!(results.len(), 5);
        assert!(
            matches!(results[2], Err(OcrError::BadImage { .. })),
            "one bad page does not stop the others"
        );
        let texts: Vec<String> = results
            .into_iter()
            .filter_map(Result::ok)
            // Separators: see engine's test (the comma is often read as ".").
            .map(|r| {
                r.words
                    .iter()
                    .flat_map(|w| w.text.chars())
                    .filter(|c| *c != ',' && *c != '.')
                    .collect()
            })
            .collect();
        let expected: Vec<String> = lines.iter().map(|l| l.replace([' ', ','], "")).collect();
        assert_eq!(texts, expected);
        assert!(pool.recognize_all(Vec::new()).is_empty());
    }

    #[test]
    fn default_size_is_between_one_and_two() {
        assert!((1..=2).contains(&Pool::default_size()));
    }
}
