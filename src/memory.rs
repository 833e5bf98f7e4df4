//! Giving the memory a big load freed back to the system.
//!
//! Reading 100,000 alerts, or writing them to the store, takes tens of megabytes for a
//! moment. glibc's allocator keeps what is freed inside its arenas for reuse, and only the
//! free space at the very top of an arena goes back by itself: what a load freed between
//! the chunks it keeps stays resident for the life of the console. Two calls keep that
//! bounded:
//! - `keep_big_blocks_apart`, once at start: blocks of `OWN_MAPPING` or more (a wall, a
//!   sort's keys, a feed's body) each get pages of their own, returned the moment they
//!   are freed. By default glibc raises that bar to the largest block freed so far (up to
//!   32 MiB), after which such blocks are cut from the arenas; small ones then fill in
//!   around them, and the pages they share can never go back. Started from its cache, a
//!   console of 100,000 alerts kept 5 to 10 MiB more that way than one loaded from its feed.
//! - `give_back` asks the allocator to return every whole free page of every arena.
//
// The crate's two unsafe calls: `mallopt` and `malloc_trim` take no pointers and have no
// preconditions. `mallopt` only sets a threshold (called before any other thread starts);
// `malloc_trim` locks each arena in turn while it returns its free pages.
#![allow(unsafe_code)]

/// Blocks at least this big get their own pages: above the buffers a frame makes (a whole
/// 200×50 screen is 0.4 MiB), below anything sized by a big wall.
pub const OWN_MAPPING: usize = 1 << 20;

/// Loads and writes at least this big are followed by `give_back`.
pub const BIG: usize = 4 << 20;

/// A console with a wall this big gives back what it freed every `EVERY`.
pub const BIG_WALL: usize = 10_000;
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Gives blocks of `OWN_MAPPING` or more pages of their own. Call first thing in `main`,
/// before any thread starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn keep_big_blocks_apart() {
    // SAFETY: see the module note; it sets a number and touches no memory.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, OWN_MAPPING as libc::c_int);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn keep_big_blocks_apart() {}

/// Returns the allocator's free pages to the system; true when some were returned. Takes a
/// few milliseconds with a big heap: call it off the UI task, after big loads only.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn give_back() -> bool {
    // SAFETY: see the module note; no memory is touched that the allocator does not own.
    unsafe { libc::malloc_trim(0) != 0 }
}

/// Other allocators return free memory on their own terms.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back() -> bool {
    false
}
