//! Freed memory goes back to the system after a big load (`memory::give_back`). Its own
//! test binary: the resident size it reads is this process's alone.

fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc");
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("statm's resident field");
    pages * 4096
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn pages_a_load_freed_between_kept_chunks_go_back_to_the_system() {
    const N: usize = 40_000;
    // A load's pattern: scratch space and now and then something kept, so kept chunks lie
    // between the freed runs and nothing freed is at the top of the heap.
    let mut scratch = Vec::with_capacity(N);
    let mut kept = Vec::new();
    for i in 0..N {
        scratch.push(vec![i as u8; 2000].into_boxed_slice());
        if i % 16 == 0 {
            kept.push(Box::new(i as u64));
        }
    }
    drop(scratch);
    let before = resident_bytes();
    assert!(watchroom::memory::give_back(), "some pages were returned");
    let after = resident_bytes();
    // 40,000 × 2,000 bytes were freed; the pages holding a kept box stay.
    assert!(
        before.saturating_sub(after) > 40 << 20,
        "resident {before} → {after} bytes"
    );
    assert_eq!(kept.len(), N / 16);
}
