//! One malloc arena for the whole process, so the page buffers a worker frees are the ones the next
//! page reuses, whichever worker reads it.
//!
//! A 300 dpi A4 page is 8.7 MB gray and 26 MB in colour; each worker makes several such buffers per
//! page (the decoded page, its gray and colour copies, the deskewed ones, the page without red ink,
//! the seal finder's labels, Tesseract's own copy). glibc gives each thread that allocates at the same
//! time as another its own arena (up to eight per core), and an arena keeps its high-water mark: the
//! workers, the read-ahead and the main thread each kept a page's worth. Measured on `make bench`'s
//! 26 submissions (54 pages, 2 workers, same build, `GLIBC_TUNABLES` on the `kyufu run --once` it
//! times): peak RSS 438 MB with glibc's defaults, 395 MB with two arenas, 361–387 MB with one (three
//! runs; the peak depends on which pages two workers hold at once), user time
//! unchanged (30.8–32.8 s, within the run-to-run spread). Mapping page buffers on their own instead
//! (`M_MMAP_THRESHOLD` 1 MB: 339 MB) was dropped: every page then paid for fresh zeroed pages
//! (system time 0.9 → 5.3 s).
//!
//! Called once by `main`, before any thread starts, for every command but `kyufu serve` (whose request
//! threads would then wait on one another for small allocations). Not here: how many pages are read at
//! once (`run`).

/// Sets the process to one malloc arena (see the module's doc). Does nothing where the C library is
/// not glibc.
pub fn share_one_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's tuning; it is called before any other thread
    // exists, and a parameter glibc does not know is refused by returning 0, which leaves its
    // default behaviour.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}
