//! Where a worker's time goes, without a profiler: each engine call (a Tesseract read by language
//! and page segmentation mode, a PP-OCRv6 detection, a recognizer batch) counted with the CPU time
//! of the thread that made it, summed per thread until [`take`] hands the sums over. The reader of
//! pages logs them with its stages (`KYUFU_LOG=kyufu::reading=debug`).
//!
//! CPU time of the calling thread, not wall time: on a shared machine a page's wall time says more
//! about the neighbours than about the page. No text is kept, only counts and times.

use std::cell::RefCell;
use std::collections::BTreeMap;

/// The CPU time the calling thread has used so far, in microseconds.
pub fn thread_cpu_us() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    if !ok {
        return 0;
    }
    (ts.tv_sec as u64) * 1_000_000 + (ts.tv_nsec as u64) / 1_000
}

/// Calls of one kind and the CPU time they took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Calls {
    pub count: u32,
    /// Items the calls carried (lines in recognizer batches; 0 where it means nothing).
    pub items: u32,
    pub cpu_us: u64,
}

thread_local! {
    static TALLY: RefCell<BTreeMap<String, Calls>> = const { RefCell::new(BTreeMap::new()) };
    /// Calls already put down to a stage ([`attribute`]), keyed `stage:kind`.
    static ATTRIBUTED: RefCell<BTreeMap<String, Calls>> = const { RefCell::new(BTreeMap::new()) };
}

/// Adds one call of `kind` carrying `items`, begun at `started` ([`thread_cpu_us`]).
pub fn record(kind: impl FnOnce() -> String, items: u32, started: u64) {
    let spent = thread_cpu_us().saturating_sub(started);
    TALLY.with(|t| {
        let mut t = t.borrow_mut();
        let calls = t.entry(kind()).or_default();
        calls.count += 1;
        calls.items += items;
        calls.cpu_us += spent;
    });
}

/// Puts the calls made since the last `attribute` down to `stage` (which looks cost what).
pub fn attribute(stage: &str) {
    let calls = TALLY.with(|t| std::mem::take(&mut *t.borrow_mut()));
    ATTRIBUTED.with(|a| {
        let mut a = a.borrow_mut();
        for (kind, c) in calls {
            let sum = a.entry(format!("{stage}:{kind}")).or_default();
            sum.count += c.count;
            sum.items += c.items;
            sum.cpu_us += c.cpu_us;
        }
    });
}

/// The calls this thread made since the last `take`, by `stage:kind` (calls not yet attributed
/// under `other`); the sums start again from zero.
pub fn take() -> BTreeMap<String, Calls> {
    attribute("other");
    ATTRIBUTED.with(|a| std::mem::take(&mut *a.borrow_mut()))
}
