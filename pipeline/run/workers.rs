//! OCR workers: one Tesseract engine per thread (and one for doubtful names they share), created
//! once and kept (loading a model costs 0.1 s and 50 MB: NOTES-OCR.md), fed pages through a queue. Tesseract runs with one OpenMP thread each
//! (`OMP_THREAD_LIMIT=1`, set by `ocr`); the parallelism is ours, one page per core. What a worker
//! does with a page is the `reading` stage's ([`crate::reading::read_image_page`]); here, only who
//! reads which page, and the engines each keeps.
//!
//! The pool holds at most one page more than it has workers, across every read at once (the
//! current entry's and the one read ahead): a reader decodes a page only once there is [`Room`]
//! for it, and the room is freed when the page has been read. A decoded 300 dpi A4 colour page is
//! 26 MB; queuing every page of a read at once kept each submission's pages, and the next one's,
//! alive while two were read.

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use image::DynamicImage;

use crate::extract::{Extractor, Hints, PageInput};
use crate::ocr::{Models, OcrError, PageSegMode};

use crate::reading::{read_image_page, PageEngines, Shared};

type Reply = (usize, Result<PageInput, OcrError>);

struct Job {
    index: usize,
    number: u32,
    image: DynamicImage,
    hints: Arc<Hints>,
    reply: Sender<Reply>,
    /// Freed when the job is done with (read, or dropped unread).
    _room: Room,
}

/// A pool of OCR engines.
pub struct Workers {
    queue: Option<Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
    rooms: Arc<Rooms>,
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
            // A page ready for whichever worker is done first, beside the one each reads.
            rooms: Arc::new(Rooms::new(n.max(1) + 1)),
        })
    }

    /// Begins one read's pages, confirming against `hints`. Reads begun earlier are served first:
    /// their pages go to the workers before this one's, as the entries are taken.
    pub fn batch(&self, hints: &Hints) -> Batch<'_> {
        let (reply, results) = channel();
        Batch {
            workers: self,
            turn: self.rooms.next_turn(),
            hints: Arc::new(hints.clone()),
            reply,
            results,
            sent: 0,
        }
    }
}

/// One read's pages on their way through the pool: each is decoded once [`Batch::room`] gives it
/// room, handed to the workers with it ([`Batch::send`]); [`Batch::finish`] gives what they read.
pub struct Batch<'w> {
    workers: &'w Workers,
    /// When the read began: the earliest waiting read gets the next room.
    turn: u64,
    hints: Arc<Hints>,
    reply: Sender<Reply>,
    results: Receiver<Reply>,
    sent: usize,
}

impl Batch<'_> {
    /// Waits until the pool has room for one more page (before it is decoded).
    pub fn room(&self) -> Room {
        self.workers.rooms.wait_for_room(self.turn)
    }

    /// Hands page `number` to the workers, with the room it was decoded in.
    pub fn send(&mut self, room: Room, number: u32, image: DynamicImage) {
        let job = Job {
            index: self.sent,
            number,
            image,
            hints: Arc::clone(&self.hints),
            reply: self.reply.clone(),
            _room: room,
        };
        self.sent += 1;
        // Without a queue (the pool is going) the job is dropped: its page reads as lost below.
        if let Some(queue) = &self.workers.queue {
            let _ = queue.send(job);
        }
    }

    /// What the workers read of the pages sent, in the order sent.
    pub fn finish(self) -> Vec<Result<PageInput, OcrError>> {
        drop(self.reply);
        let mut out: Vec<Option<Result<PageInput, OcrError>>> =
            (0..self.sent).map(|_| None).collect();
        for (index, r) in self.results.iter() {
            out[index] = Some(r);
        }
        out.into_iter()
            .map(|r| r.unwrap_or(Err(OcrError::WorkerLost)))
            .collect()
    }
}

/// The pool's rooms for pages: how many are free, and which reads wait for one.
struct Rooms {
    state: Mutex<RoomState>,
    freed: Condvar,
}

struct RoomState {
    free: usize,
    /// The turns of the reads waiting for a room; the earliest is served first.
    waiting: BTreeSet<u64>,
    next_turn: u64,
}

impl Rooms {
    fn new(rooms: usize) -> Rooms {
        Rooms {
            state: Mutex::new(RoomState {
                free: rooms,
                waiting: BTreeSet::new(),
                next_turn: 0,
            }),
            freed: Condvar::new(),
        }
    }

    fn next_turn(&self) -> u64 {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.next_turn += 1;
        state.next_turn
    }

    /// A room, once one is free and no earlier read waits for it.
    fn wait_for_room(self: &Arc<Rooms>, turn: u64) -> Room {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.waiting.insert(turn);
        while state.free == 0 || state.waiting.first() != Some(&turn) {
            state = self.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.waiting.remove(&turn);
        state.free -= 1;
        // Another room may be free for the next read in line.
        self.freed.notify_all();
        Room(Arc::clone(self))
    }
}

/// Room in the pool for one page, from before it is decoded until it has been read.
pub struct Room(Arc<Rooms>);

impl Drop for Room {
    fn drop(&mut self) {
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        state.free += 1;
        self.0.freed.notify_all();
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn no_more_pages_than_rooms_and_the_earliest_read_is_served_first() {
        let rooms = Arc::new(Rooms::new(2));
        let (earlier, later) = (rooms.next_turn(), rooms.next_turn());
        let first = rooms.wait_for_room(later);
        let _second = rooms.wait_for_room(later);
        let (got, order) = channel();
        let waiter = |turn: u64| {
            let (rooms, got) = (Arc::clone(&rooms), got.clone());
            std::thread::spawn(move || {
                let room = rooms.wait_for_room(turn);
                got.send(turn).unwrap();
                // Held a moment, so the other waiter cannot have it too.
                std::thread::sleep(Duration::from_millis(50));
                drop(room);
            })
        };
        // The later read asks first; both wait, for the two rooms are taken.
        let threads = [waiter(later), waiter(earlier)];
        while rooms.state.lock().unwrap().waiting.len() < 2 {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(order.try_recv().is_err(), "a third room was given");
        drop(first);
        assert_eq!(order.recv().unwrap(), earlier);
        assert!(
            order.recv_timeout(Duration::from_millis(20)).is_err(),
            "both rooms are held"
        );
        assert_eq!(order.recv().unwrap(), later);
        for t in threads {
            t.join().unwrap();
        }
    }
}
