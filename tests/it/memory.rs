//! Freed memory goes back to the system after a big load (`memory::give_back`). The
//! resident size it reads is the whole process's, and the other tests of this binary
//! allocate on their own threads meanwhile: the test runs itself again, alone, in a child
//! process of this binary, and measures there.

use std::process::Command;

/// Set in the child process that measures; the environment of this process is not changed.
const ALONE: &str = "WATCHROOM_TEST_MEMORY_ALONE";

fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc");
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("statm's resident field");
    pages * 4096
}

/// Runs the test `name` (its path in this binary) by itself in a new process of this test
/// binary, with `ALONE` set, and fails with its output unless it ran and passed.
fn run_alone(name: &str) {
    let exe = std::env::current_exe().expect("the test binary's own path");
    let out = Command::new(exe)
        .args([name, "--exact", "--test-threads=1", "--nocapture"])
        .env(ALONE, "1")
        .output()
        .expect("start the test binary again");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{name} alone failed:\n{said}");
    // A name that matches nothing also succeeds: make sure the test did run.
    assert!(
        said.contains("test result: ok. 1 passed"),
        "{name} did not run alone:\n{said}"
    );
}

#[test]
fn pages_a_load_freed_between_kept_chunks_go_back_to_the_system() {
    if std::env::var_os(ALONE).is_none() {
        run_alone("memory::pages_a_load_freed_between_kept_chunks_go_back_to_the_system");
        return;
    }
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
