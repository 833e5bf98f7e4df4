//! Retry delays: exponential backoff with full jitter, capped at 30 s.
//!
//! Jitter matters when a backend restarts: every console that lost its stream would
//! otherwise come back in the same second, and again at 2 s, 4 s … in lock step.

use std::time::Duration;

/// The longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);
const BASE: Duration = Duration::from_secs(1);

/// Attempts since the last success; each failure doubles the ceiling of the next wait.
#[derive(Debug, Clone)]
pub struct Backoff {
    failures: u32,
    base: Duration,
    cap: Duration,
    rng: fastrand::Rng,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new(BASE, MAX_BACKOFF)
    }
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration) -> Self {
        Backoff {
            failures: 0,
            base,
            cap,
            rng: fastrand::Rng::new(),
        }
    }

    /// A backoff whose random draws repeat (for tests).
    pub fn seeded(base: Duration, cap: Duration, seed: u64) -> Self {
        Backoff {
            rng: fastrand::Rng::with_seed(seed),
            ..Backoff::new(base, cap)
        }
    }

    /// The ceiling of the next wait: base × 2^failures, at most the cap.
    pub fn ceiling(&self) -> Duration {
        let factor = 1u32 << self.failures.min(16);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// Record a failure and return how long to wait before the next attempt: uniform in
    /// [ceiling/2, ceiling] so a wait is never near zero, yet consoles spread out.
    pub fn next_delay(&mut self) -> Duration {
        let ceiling = self.ceiling();
        self.failures = self.failures.saturating_add(1);
        let half = ceiling / 2;
        let spread = (ceiling - half).as_millis() as u64;
        half + Duration::from_millis(self.rng.u64(0..=spread))
    }

    /// A success: the next failure starts again from the base.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_to_the_cap_with_jitter_and_reset_on_success() {
        let mut b = Backoff::seeded(Duration::from_secs(1), Duration::from_secs(30), 7);
        let mut ceilings = Vec::new();
        for _ in 0..8 {
            let ceiling = b.ceiling();
            let d = b.next_delay();
            assert!(
                d >= ceiling / 2 && d <= ceiling,
                "{d:?} outside {ceiling:?}"
            );
            ceilings.push(ceiling.as_secs());
        }
        assert_eq!(ceilings, [1, 2, 4, 8, 16, 30, 30, 30]);
        b.reset();
        assert_eq!(b.ceiling(), Duration::from_secs(1));
    }

    #[test]
    fn jitter_spreads_consoles_apart() {
        // Ten consoles failing at once must not all retry at the same instant.
        let delays: std::collections::HashSet<u128> = (0..10)
            .map(|seed| {
                let mut b = Backoff::seeded(Duration::from_secs(1), MAX_BACKOFF, seed);
                for _ in 0..4 {
                    b.next_delay();
                }
                b.next_delay().as_millis()
            })
            .collect();
        assert!(delays.len() > 5, "{delays:?}");
    }
}
