//! The head of a big source's saved state: what the first screen needs, kept beside the
//! full body so that a console started from a 100,000-alert cache draws at once and reads
//! the rest afterwards, off the UI task.
//!
//! Why the head stays exact however late it is read: an alert's place in the wall order
//! (`alert::watch_key`) does not depend on the clock, and an alert only ever leaves the
//! wall as time passes (it expires, is resolved, or its cancellation grows older than
//! `CANCEL_SHOWN`), never joins it. So the wall at any later instant is the saved wall
//! with some rows gone, in the same order, and the head's rows still on the wall then are
//! exactly the first rows of that later wall. The header's counts and the wall's length
//! are kept as they were at the save plus every instant at which a row leaves, so they
//! too can be worked out for the instant of reading.

use crate::app::wall::CANCEL_SHOWN;
use crate::model::{Alert, Incident, Shift};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A source with more alerts than this is saved with a head of this many wall rows (a
/// screen shows a few dozen); a smaller one is read whole, which is as quick.
pub const HEAD_ROWS: usize = 500;

/// The whole wall of one source, as far as the header and the wall's title need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WallFigures {
    /// When the wall these figures describe was built.
    pub at: Timestamp,
    /// Rows on the wall then (in force, and cancellations younger than `CANCEL_SHOWN`).
    pub rows: usize,
    /// Alerts in force then, by colour (`Colour as usize`).
    pub counts: [usize; 4],
    /// When rows leave the wall after `at`, in time order: (instant in ms, how many leave
    /// of each colour's count and, last, of the rows).
    pub leaves: Vec<(i64, [u32; 5])>,
}

impl WallFigures {
    /// The rows and counts at `now`; None before `at` (a clock set back), when rows that
    /// had left by `at` might be back.
    pub fn at(&self, now: Timestamp) -> Option<(usize, [usize; 4])> {
        if now < self.at {
            return None;
        }
        let now = now.as_millisecond();
        let (mut rows, mut counts) = (self.rows, self.counts);
        for (_, gone) in self.leaves.iter().take_while(|(t, _)| *t <= now) {
            for (c, n) in counts.iter_mut().zip(gone) {
                *c = c.saturating_sub(*n as usize);
            }
            rows = rows.saturating_sub(gone[4] as usize);
        }
        Some((rows, counts))
    }
}

/// A head as read back.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Head {
    pub figures: WallFigures,
    /// How many alerts the body holds (the rest is read into a list of this size).
    #[serde(default)]
    pub whole_alerts: usize,
    /// The first `HEAD_ROWS` rows of the wall in wall order, then the messages that
    /// cancelled any of them (needed to show those as cancelled).
    pub alerts: Vec<Alert>,
    /// All of the source's incidents and shifts (the first screen shows them).
    pub incidents: Vec<Incident>,
    pub shifts: Vec<Shift>,
}

/// What `Head` serialises, borrowed from the console's state.
#[derive(Serialize)]
pub struct HeadRef<'a> {
    pub figures: WallFigures,
    pub whole_alerts: usize,
    pub alerts: Vec<&'a Alert>,
    pub incidents: Vec<&'a Incident>,
    pub shifts: Vec<&'a Shift>,
}

/// A source shown from its head: the figures of its whole wall, and whether its rest is
/// still wanted.
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    pub figures: WallFigures,
    pub wanted: Wanted,
}

/// Whether the rest of a source is still wanted. Fresh data that replaces the head gives
/// it up, and a read of the rest in progress then stops instead of building a list of
/// 100,000 alerts nobody will see beside the fresh one.
#[derive(Debug, Clone)]
pub struct Wanted(Arc<AtomicBool>);

impl Wanted {
    pub fn new() -> Wanted {
        Wanted(Arc::new(AtomicBool::new(true)))
    }

    pub fn give_up(&self) {
        self.0.store(false, Ordering::Relaxed);
    }

    pub fn is_wanted(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl Default for Wanted {
    fn default() -> Wanted {
        Wanted::new()
    }
}

/// The same flag.
impl PartialEq for Wanted {
    fn eq(&self, other: &Wanted) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Cut the head from one source's wall at `now`: `wall` is its rows in wall order, `all`
/// every alert of the source (the cancellation messages are found there).
pub fn cut<'a>(
    wall: &[&'a Alert],
    all: &[&'a Alert],
    now: Timestamp,
    rows: usize,
) -> (WallFigures, Vec<&'a Alert>) {
    // Cancellation messages named by an alert on the wall, by id: the wall holds a
    // cancelled alert until its message is `CANCEL_SHOWN` old.
    let named: HashSet<&str> = wall
        .iter()
        .filter_map(|a| a.extra.cancelled_by.as_deref())
        .collect();
    let mut cancellers: HashMap<&str, &'a Alert> = HashMap::new();
    if !named.is_empty() {
        for a in all {
            if named.contains(a.id.as_str()) {
                cancellers.entry(a.id.as_str()).or_insert(a);
            }
        }
    }
    let mut counts = [0; 4];
    let mut leaves: BTreeMap<i64, [u32; 5]> = BTreeMap::new();
    for a in wall {
        let leave = if a.in_force(now) {
            counts[a.colour as usize] += 1;
            a.expires.into_iter().chain(a.extra.resolved_at).min()
        } else {
            a.extra
                .cancelled_by
                .as_deref()
                .and_then(|id| cancellers.get(id))
                .map(|c| c.sent + CANCEL_SHOWN)
        };
        if let Some(t) = leave.filter(|t| *t > now) {
            let gone = leaves.entry(t.as_millisecond()).or_default();
            if a.in_force(now) {
                gone[a.colour as usize] += 1;
            }
            gone[4] += 1;
        }
    }
    let mut head: Vec<&Alert> = wall.iter().take(rows).copied().collect();
    let mut added = HashSet::new();
    for a in &wall[..head.len()] {
        if let Some(c) = a
            .extra
            .cancelled_by
            .as_deref()
            .and_then(|id| cancellers.get(id))
            && added.insert(c.id.as_str())
        {
            head.push(c);
        }
    }
    let figures = WallFigures {
        at: now,
        rows: wall.len(),
        counts,
        leaves: leaves.into_iter().collect(),
    };
    (figures, head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn figures_lose_what_has_left_by_then_and_refuse_an_earlier_clock() {
        let f = WallFigures {
            at: at("2026-11-29T03:00:00Z"),
            rows: 10,
            counts: [1, 2, 3, 3],
            leaves: vec![
                (at("2026-11-29T04:00:00Z").as_millisecond(), [1, 0, 0, 0, 1]),
                (at("2026-11-29T05:00:00Z").as_millisecond(), [0, 1, 0, 0, 2]),
            ],
        };
        assert_eq!(f.at(at("2026-11-29T03:59:59Z")), Some((10, [1, 2, 3, 3])));
        assert_eq!(f.at(at("2026-11-29T04:00:00Z")), Some((9, [0, 2, 3, 3])));
        assert_eq!(f.at(at("2026-11-29T06:00:00Z")), Some((7, [0, 1, 3, 3])));
        assert_eq!(f.at(at("2026-11-29T02:59:59Z")), None);
    }
}
