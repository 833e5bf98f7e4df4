//! The alert wall's order, and alerts found by id, kept between frames.
//!
//! With 100,000 alerts, sorting the wall or scanning every alert for one of them costs
//! tens of milliseconds, too much for each frame, key or incoming alert. `State` keeps
//! the sorted wall (and what the header counts from it) and an index by (source, id)
//! here. Every change to the alerts goes through `State::alerts_mut` or
//! `State::upsert_alert`, which mark them out of date, and the wall also goes out of date
//! when the clock passes the next instant that changes what it shows (an expiry, a
//! cancellation leaving after two hours). Readers never see an out-of-date answer: they
//! then work it out afresh, slower but right. `State::refresh_wall`, run by the console
//! before each frame, brings the wall up to date once for everything that happened since.

use crate::model::{Alert, Colour, alert};
use jiff::{SignedDuration, Timestamp};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// A cancellation stays on the wall (as 【已解除】) this long after it was sent.
pub const CANCEL_SHOWN: SignedDuration = SignedDuration::from_hours(2);

/// Until when the wall shows an alert cancelled by a message sent at `sent` (a feed's
/// time near the end of time saturates rather than overflows).
pub fn shown_until(sent: Timestamp) -> Timestamp {
    sent.checked_add(CANCEL_SHOWN).unwrap_or(Timestamp::MAX)
}

/// The wall as last built.
#[derive(Debug, Clone, Default)]
pub struct Wall {
    pub(super) built: Built,
    /// When it was built: it stays right from then until the clock reaches `built.until`
    /// (a clock set back before it makes it out of date too). None: out of date, since the
    /// alerts changed.
    pub(super) built_at: Option<Timestamp>,
    /// `built.order` narrowed by the filter text `filter`.
    pub(super) shown: Vec<u32>,
    pub(super) filter: String,
}

/// The wall worked out from the alerts.
#[derive(Debug, Clone, Default)]
pub struct Built {
    /// Positions in `State::alerts`, in wall order: in force, then recently cancelled.
    pub order: Vec<u32>,
    /// Alerts in force by colour, indexed by `Colour as usize`.
    pub counts: [usize; 4],
    /// Red alerts in force not acknowledged: those that may need a reminder.
    pub red_unacked: Vec<u32>,
    /// Alerts carrying a silence (active or not): the few the clock's tick looks at.
    pub with_silence: Vec<u32>,
    /// The next instant that changes the wall (None: only a change of the alerts does).
    pub until: Option<Timestamp>,
}

/// For each alert, the position of the message that cancelled it (same source), if this
/// console holds it. The wall shows a cancelled alert, and retention keeps it and that
/// message, while the message is younger than `CANCEL_SHOWN`.
pub fn cancellers(alerts: &[Alert]) -> Vec<Option<usize>> {
    // By (origin, id), so that a wall of many alerts is not quadratic; only messages some
    // alert names are looked up.
    let named: HashSet<(&str, &str)> = alerts
        .iter()
        .filter_map(|a| Some((a.origin.as_str(), a.extra.cancelled_by.as_deref()?)))
        .collect();
    if named.is_empty() {
        return vec![None; alerts.len()];
    }
    let by_key: HashMap<(&str, &str), usize> = alerts
        .iter()
        .enumerate()
        .filter(|(_, c)| named.contains(&(c.origin.as_str(), c.id.as_str())))
        .map(|(i, c)| ((c.origin.as_str(), c.id.as_str()), i))
        .collect();
    alerts
        .iter()
        .map(|a| {
            by_key
                .get(&(a.origin.as_str(), a.extra.cancelled_by.as_deref()?))
                .copied()
        })
        .collect()
}

/// Sort the wall: alerts in force, then those cancelled within `CANCEL_SHOWN` (so a
/// cancellation is seen rather than an alert silently vanishing), each part in
/// `alert::watch_key` order.
pub fn build(alerts: &[Alert], now: Timestamp) -> Built {
    let cancellers = cancellers(alerts);
    // A Cancel may name every message of its thread (the original and its updates): the
    // thread is one row, its latest message, whatever the references list.
    let mut thread_row: HashMap<usize, usize> = HashMap::new();
    for (i, c) in cancellers.iter().enumerate() {
        if let Some(c) = *c {
            let latest = thread_row.entry(c).or_insert(i);
            let (a, b) = (&alerts[i], &alerts[*latest]);
            if (a.sent, a.id.as_str()) > (b.sent, b.id.as_str()) {
                *latest = i;
            }
        }
    }
    let mut until: Option<Timestamp> = None;
    let mut later = |t: Timestamp| {
        if t > now && until.is_none_or(|u| t < u) {
            until = Some(t);
        }
    };
    let mut counts = [0; 4];
    let mut red_unacked = Vec::new();
    let mut with_silence = Vec::new();
    // Sorted on keys laid out side by side rather than by reaching into each alert for
    // every comparison: with 100,000 alerts that is most of the cost.
    let mut keyed: Vec<(bool, alert::WatchKey<'_>, u32)> = Vec::with_capacity(alerts.len());
    for (i, a) in alerts.iter().enumerate() {
        for t in [a.expires, a.extra.resolved_at].into_iter().flatten() {
            later(t);
        }
        if a.silence.is_some() {
            with_silence.push(i as u32);
        }
        let cancelled = cancellers[i].map(|c| alerts[c].sent);
        if let Some(sent) = cancelled {
            later(shown_until(sent));
        }
        let in_force = a.in_force(now);
        if in_force && a.is_live() {
            counts[a.colour as usize] += 1;
            if a.colour == Colour::Red && a.needs_ack() {
                red_unacked.push(i as u32);
            }
        }
        let recent = cancelled.is_some_and(|sent| now.duration_since(sent) < CANCEL_SHOWN)
            && cancellers[i].is_some_and(|c| thread_row.get(&c) == Some(&i));
        if in_force || recent {
            keyed.push((
                a.extra.cancelled_by.is_some(),
                alert::watch_key(a),
                i as u32,
            ));
        }
    }
    keyed.sort_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)));
    Built {
        order: keyed.into_iter().map(|(_, _, i)| i).collect(),
        counts,
        red_unacked,
        with_silence,
        until,
    }
}

/// Alerts by (source, id) → position in `State::alerts`. Keyed by a hash of the pair, so
/// it holds no copy of the strings; a hit is checked against the alert itself, and a
/// mismatch (two pairs with one hash, rare as 1 in 2^64) falls back to a scan.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub(super) by_key: HashMap<u64, u32>,
    pub(super) valid: bool,
    /// Some (source, id) is held more than once (a feed that repeats itself): lookups that
    /// must see every copy scan instead.
    pub(super) duplicates: bool,
}

pub fn key(origin: &str, id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    origin.hash(&mut h);
    id.hash(&mut h);
    h.finish()
}

impl Index {
    pub fn rebuild(&mut self, alerts: &[Alert]) {
        self.by_key.clear();
        self.duplicates = false;
        for (i, a) in alerts.iter().enumerate() {
            // The first of duplicates wins, as a scan from the front would find it.
            match self.by_key.entry(key(&a.origin, &a.id)) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i as u32);
                }
                std::collections::hash_map::Entry::Occupied(_) => self.duplicates = true,
            }
        }
        self.valid = true;
    }

    /// Where the alert (origin, id) is, if anywhere.
    pub fn find(&self, alerts: &[Alert], origin: &str, id: &str) -> Option<usize> {
        let is = |a: &Alert| a.origin == origin && a.id == id;
        if self.valid {
            match self.by_key.get(&key(origin, id)) {
                None => return None,
                Some(&i) if alerts.get(i as usize).is_some_and(is) => return Some(i as usize),
                Some(_) => {}
            }
        }
        alerts.iter().position(is)
    }
}
