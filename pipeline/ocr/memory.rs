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
//! unchanged (30.8–32.8 s, within the run-to-run spread). Mapping every buffer from 1 MB up on its
//! own instead (`M_MMAP_THRESHOLD` 1 MB: 339 MB) was dropped: system time went 0.9 → 5.3 s, most of
//! it, as found later, from the heap's top given back and taken again on every page (below).
//!
//! One heap still fragments: two workers free and allocate page buffers of many sizes in between each
//! other's, and a freed hole too small for the next buffer stays resident while the heap grows past
//! it. glibc's own threshold for mapping a buffer apart rises to the largest buffer freed so far (up
//! to 32 MB), so after the first colour page every page buffer came from the heap. Measured with
//! `mallinfo2` on `make bench`'s pages (dev build, 2 workers): 210–290 MB in use at most, but the
//! heap 340–365 MB at the peak RSS, 95–135 MB of it free. Buffers from [`MAP_APART`] up are now mapped
//! on their own, and given back whole when freed; peak RSS 404–417 → 372–400 MB (five runs each),
//! system time 0.6–1.3 → 1.7–2.5 s for the 54 pages, user time unchanged (35–37 s). Left to itself, fixing the threshold would also make
//! glibc give the heap's top back to the system whenever 128 kB of it are free, and take it again
//! for the next page (system time 3.4–4.4 s): the top is kept up to [`KEEP_TOP`], as glibc's moving
//! threshold would have it. Trimming the heap after each page (`malloc_trim`) did not lower the peak
//! (353–355 MB anonymous against 364): the holes are made and filled within a page.
//!
//! Called once by `main`, before any thread starts, for every command but `kyufu serve` (whose request
//! threads would then wait on one another for small allocations). Not here: how many pages are read at
//! once (`run`).

/// Buffers this large or larger are mapped apart from the heap: a 200 dpi A4 colour page (11.6 MB),
/// a 300 dpi gray one (8.7 MB), the colour and turned copies of both. A 200 dpi gray page (3.9 MB),
/// of which a page makes many, stays in the heap: mapping those too (2 MB) cost 4.9 s of system
/// time on the 54 pages.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MAP_APART: libc::c_int = 4 << 20;

/// Free memory at the heap's top kept for the next page rather than given back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const KEEP_TOP: libc::c_int = 32 << 20;

/// Sets the process to one malloc arena, with page-sized buffers mapped apart (see the module's doc).
/// Does nothing where the C library is not glibc.
pub fn share_one_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's tuning; it is called before any other thread
    // exists, and a parameter glibc does not know is refused by returning 0, which leaves its
    // default behaviour.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MAP_APART);
        libc::mallopt(libc::M_TRIM_THRESHOLD, KEEP_TOP);
    }
}
