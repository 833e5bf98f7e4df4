//! Giving the memory a big load freed back to the system.
//!
//! Reading 100,000 alerts, or writing them to the store, takes tens of megabytes for a
//! moment. glibc's allocator keeps what is freed inside its arenas for reuse, and only the
//! free space at the very top of an arena goes back by itself: what a load freed between
//! the chunks it keeps stays resident for the life of the console. `give_back` asks the
//! allocator to return every whole free page of every arena.
//
// The one unsafe call of the crate: `malloc_trim` takes no pointers and has no
// preconditions; it only locks each arena in turn while it returns its free pages.
#![allow(unsafe_code)]

/// Loads and writes at least this big are followed by `give_back`.
pub const BIG: usize = 4 << 20;

/// A console with a wall this big gives back what it freed every `EVERY`.
pub const BIG_WALL: usize = 10_000;
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(60);

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
