//! What the console forgets, so a screen left running for weeks keeps a bounded memory.
//!
//! - An alert that has ended (expired, cancelled, superseded, resolved, or is itself a
//!   cancel message) is dropped once it ended more than `KEEP_ENDED` ago; of the ended
//!   alerts younger than that, only the newest `MAX_ENDED_ALERTS` are kept. What the wall
//!   shows as cancelled (an alert whose cancel message came in the last two hours, and that
//!   message) is never dropped; every other ended alert counts towards the cap whatever its
//!   age — a cancel message naming nothing this console holds too — so a burst of
//!   short-lived alerts or cancellations cannot grow the console without bound.
//! - A closed incident is dropped `KEEP_ENDED` after its last change; at most
//!   `MAX_CLOSED_INCIDENTS` closed ones are kept. Open incidents, and closed ones with an
//!   instruction still followed up, are never dropped.
//! - A closed incident keeps its newest `MAX_TIMELINE_CLOSED` timeline entries (an open
//!   one keeps all: its reporting deadlines are read from the whole timeline).
//!
//! Everything dropped is still in the backend; the console only shows the present.

use super::state::State;
use crate::model::instruction;
use crate::model::{Alert, IncidentStatus};
use jiff::{SignedDuration, Timestamp};

pub const KEEP_ENDED: SignedDuration = SignedDuration::from_hours(24);
pub const MAX_ENDED_ALERTS: usize = 500;
pub const MAX_CLOSED_INCIDENTS: usize = 200;
pub const MAX_TIMELINE_CLOSED: usize = 200;
use super::wall;

/// For each alert, until when the wall shows it as cancelled (None: it does not): those
/// whose cancel message was sent within `CANCEL_SHOWN`, and those messages.
fn shown_until(alerts: &[Alert], now: Timestamp) -> Vec<Option<Timestamp>> {
    let mut shown = vec![None; alerts.len()];
    for (i, c) in wall::cancellers(alerts).into_iter().enumerate() {
        let Some(c) = c else { continue };
        let until = wall::shown_until(alerts[c].sent);
        if until > now {
            shown[i] = Some(until);
            shown[c] = Some(until);
        }
    }
    shown
}

/// An incident that is over: not open, and no instruction on it still followed up (an
/// instruction stands until someone closes it, so its incident is kept whole).
fn done(i: &crate::model::Incident) -> bool {
    i.status != IncidentStatus::Open && !instruction::has_open(i)
}

/// "Longer ago than `KEEP_ENDED`" holds from this instant on.
fn old_from(t: Timestamp) -> Timestamp {
    t.checked_add(KEEP_ENDED + SignedDuration::from_nanos(1))
        .unwrap_or(Timestamp::MAX)
}

/// When an alert stopped being in force (its best-known end), or None while it is.
fn ended_at(a: &Alert, now: Timestamp) -> Option<Timestamp> {
    if a.in_force(now) {
        return None;
    }
    Some(
        [a.extra.resolved_at, a.expires]
            .into_iter()
            .flatten()
            .filter(|t| *t <= now)
            .max()
            .unwrap_or(a.sent),
    )
}

/// From when an ended alert (not shown as cancelled) goes whatever the cap: it ended
/// longer ago than `KEEP_ENDED`, and was sent longer ago than `CANCEL_SHOWN`.
fn droppable_from(a: &Alert, end: Timestamp) -> Timestamp {
    wall::shown_until(a.sent).max(old_from(end))
}

/// Retention looks at every alert; with a big wall that is a few milliseconds, too much for
/// every second and not needed: what it drops is a day old or over a cap of hundreds.
pub const EVERY: SignedDuration = SignedDuration::from_mins(1);

/// When retention last looked, and when it next has something to do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Looked {
    at: Option<Timestamp>,
    /// The first instant from which a pass could drop or cut anything while the alerts
    /// and incidents stay as they are (`Timestamp::MAX`: never); None: they changed since
    /// it looked.
    next: Option<Timestamp>,
}

impl Looked {
    /// The alerts or the incidents changed: the next pass must look.
    pub fn changed(&mut self) {
        self.next = None;
    }

    pub fn next(&self) -> Option<Timestamp> {
        self.next
    }

    /// When a pass last ran.
    pub fn at(&self) -> Option<Timestamp> {
        self.at
    }
}

/// The earliest instant offered after `now`.
struct Soonest {
    now: Timestamp,
    at: Timestamp,
}

impl Soonest {
    fn offer(&mut self, t: Timestamp) {
        if t > self.now && t < self.at {
            self.at = t;
        }
    }
}

/// On the clock's tick: `apply` at most once a minute, and only when the alerts or
/// incidents changed since the last pass or the clock reached the instant it said it next
/// has something to do (an idle night passes most minutes without looking at 100,000
/// alerts). True when it dropped or cut anything (it may be on screen).
pub fn on_tick(state: &mut State) -> bool {
    let now = state.now;
    let looked = state.records.retention;
    if looked.at.is_some_and(|t| now.duration_since(t) < EVERY)
        || looked.next.is_some_and(|next| now < next)
    {
        return false;
    }
    state.records.retention.at = Some(now);
    apply(state)
}

/// Drop and cut what is kept no longer (see the module's comment), and note when that
/// next has something to do. True when anything was dropped or cut.
pub fn apply(state: &mut State) -> bool {
    let now = state.now;
    let mut next = Soonest {
        now,
        at: Timestamp::MAX,
    };
    let mut changed = false;

    // Alerts: drop the long-ended, then cap the rest of the ended by newest end. Worked
    // out before anything is changed: most runs drop nothing, and changing the alerts
    // means sorting the wall again.
    let alerts = state.records.alerts();
    let mut any_ended = false;
    for a in alerts {
        if a.in_force(now) {
            // When it ends it counts towards the cap.
            for t in [a.expires, a.extra.resolved_at].into_iter().flatten() {
                next.offer(t);
            }
        } else {
            any_ended = true;
        }
    }
    // Nearly every minute nothing has ended (a wall of 100,000 in force): then there is
    // nothing to drop, and no need to work out what the wall shows as cancelled.
    let drop = if !any_ended {
        Vec::new()
    } else {
        let shown = shown_until(alerts, now);
        let mut drop = vec![false; alerts.len()];
        let mut ended: Vec<(Timestamp, usize)> = Vec::new();
        for (i, a) in alerts.iter().enumerate() {
            // What the wall shows stays, however long ago it was sent.
            if let Some(until) = shown[i] {
                next.offer(until);
                continue;
            }
            let Some(end) = ended_at(a, now) else {
                continue;
            };
            let from = droppable_from(a, end);
            if from <= now {
                drop[i] = true;
            } else {
                next.offer(from);
                ended.push((end, i));
            }
        }
        if ended.len() > MAX_ENDED_ALERTS {
            ended.sort_by_key(|e| std::cmp::Reverse(e.0));
            for (_, i) in &ended[MAX_ENDED_ALERTS..] {
                drop[*i] = true;
            }
        }
        drop
    };
    if drop.contains(&true) {
        let mut n = 0;
        state.records.alerts_mut().retain(|_| {
            n += 1;
            !drop[n - 1]
        });
        state.forget_gone_arrivals();
        changed = true;
    }

    // Incidents: changed only when something goes (changing them works out every report
    // deadline again).
    let last = |i: &crate::model::Incident| i.updated_at.unwrap_or(i.opened_at);
    let gone_from = |i: &crate::model::Incident| done(i).then(|| old_from(last(i)));
    let mut any_gone = false;
    for t in state.records.incidents().iter().filter_map(gone_from) {
        if t <= now {
            any_gone = true;
        } else {
            next.offer(t);
        }
    }
    if any_gone {
        state
            .records
            .incidents_mut()
            .retain(|i| gone_from(i).is_none_or(|t| t > now));
        changed = true;
    }
    let mut closed: Vec<(Timestamp, usize)> = state
        .records
        .incidents()
        .iter()
        .enumerate()
        .filter(|(_, i)| i.status == IncidentStatus::Closed && done(i))
        .map(|(n, i)| (last(i), n))
        .collect();
    if closed.len() > MAX_CLOSED_INCIDENTS {
        closed.sort_by_key(|c| std::cmp::Reverse(c.0));
        let mut drop = vec![false; state.records.incidents().len()];
        for (_, n) in &closed[MAX_CLOSED_INCIDENTS..] {
            drop[*n] = true;
        }
        let mut n = 0;
        state.records.incidents_mut().retain(|_| {
            n += 1;
            !drop[n - 1]
        });
        changed = true;
    }
    let long = |i: &crate::model::Incident| {
        i.status == IncidentStatus::Closed && i.timeline.len() > MAX_TIMELINE_CLOSED && done(i)
    };
    if state.records.incidents().iter().any(long) {
        for i in state.records.incidents_mut().iter_mut().filter(|i| long(i)) {
            let cut = i.timeline.len() - MAX_TIMELINE_CLOSED;
            i.timeline.drain(..cut);
        }
        changed = true;
    }
    let open: std::collections::HashSet<String> = state
        .records
        .incidents()
        .iter()
        .map(|i| i.id.clone())
        .collect();
    state
        .said
        .overdue_seen
        .retain(|(id, _)| open.contains(id.as_str()));
    // Set last: changing the alerts or incidents above cleared it.
    state.records.retention.next = Some(next.at);
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Keymap;
    use crate::model::{Colour, Incident, MsgType, TimelineEntry};
    use crate::ui::theme::Theme;
    use jiff::tz::TimeZone;

    fn now() -> Timestamp {
        "2026-11-29T00:00:00Z".parse().unwrap()
    }

    fn alert(id: &str, sent_h_ago: i64, expired_h_ago: Option<i64>) -> Alert {
        let mut a: Alert = serde_json::from_value(serde_json::json!({
            "id": id, "source": "s", "signal_type": "暴雨", "colour": "yellow", "level": "III",
            "title": id, "sent": (now() - SignedDuration::from_hours(sent_h_ago)).to_string(),
        }))
        .unwrap();
        a.expires = expired_h_ago.map(|h| now() - SignedDuration::from_hours(h));
        a.msg_type = MsgType::Alert;
        a.colour = Colour::Yellow;
        a
    }

    /// An incident opened three hours ago, with `entries` timeline entries a minute apart.
    fn incident(id: &str, status: IncidentStatus, entries: usize) -> Incident {
        let mut i: Incident = serde_json::from_value(serde_json::json!({
            "id": id, "title": id, "grade": "IV", "status": "open",
            "opened_at": (now() - SignedDuration::from_hours(3)).to_string(),
        }))
        .unwrap();
        i.status = status;
        i.timeline = (0..entries)
            .map(|n| TimelineEntry {
                corrects: None,
                seat: None,
                id: format!("{id}-{n}"),
                incident_id: id.into(),
                at: now() - SignedDuration::from_mins(n as i64),
                author: "a".into(),
                kind: "记录".into(),
                text: "t".into(),
                leader: None,
                assignee: None,
                refers_to: None,
                idempotency_key: None,
                seq: n as u64,
            })
            .collect();
        i
    }

    fn state() -> State {
        State::new(now(), TimeZone::UTC, Keymap::embedded(), Theme::embedded())
    }

    #[test]
    fn long_ended_alerts_go_and_the_rest_are_capped_newest_first() {
        let mut s = state();
        s.records.alerts_mut().push(alert("in-force", 100, None));
        s.records
            .alerts_mut()
            .push(alert("ended-long-ago", 50, Some(30)));
        s.records
            .alerts_mut()
            .push(alert("ended-recently", 10, Some(5)));
        s.records.alerts_mut().push(alert("young", 1, Some(0)));
        for n in 0..MAX_ENDED_ALERTS + 50 {
            s.records
                .alerts_mut()
                .push(alert(&format!("e{n:04}"), 20, Some(3 + (n as i64 % 10))));
        }
        apply(&mut s);
        let ids: Vec<&str> = s.records.alerts().iter().map(|a| a.id.as_str()).collect();
        assert!(ids.contains(&"in-force") && ids.contains(&"young"));
        assert!(!ids.contains(&"ended-long-ago"));
        assert!(ids.contains(&"ended-recently"), "newest ended kept");
        let ended = s
            .records
            .alerts()
            .iter()
            .filter(|a| !a.in_force(now()))
            .count();
        // The young alert ended last: it is the newest ended, kept, and counted in the cap.
        assert_eq!(ended, MAX_ENDED_ALERTS);
    }

    #[test]
    fn a_burst_of_short_lived_alerts_is_capped_but_recent_cancellations_stay() {
        let mut s = state();
        // 5,000 alerts sent in the last hour that have already expired (a simulator at 100×).
        for n in 0..5000 {
            let mut a = alert(&format!("e{n}"), 1, None);
            a.expires = Some(now() - SignedDuration::from_secs(n));
            s.records.alerts_mut().push(a);
        }
        let mut cancelled = alert("cancelled", 1, None);
        cancelled.extra.cancelled_by = Some("cancel".into());
        let mut cancel = alert("cancel", 1, None);
        cancel.msg_type = MsgType::Cancel;
        s.records.alerts_mut().push(cancelled);
        s.records.alerts_mut().push(cancel);
        apply(&mut s);
        assert_eq!(s.records.alerts().len(), MAX_ENDED_ALERTS + 2);
        assert!(
            s.records.find_alert("cancelled").is_some() && s.records.find_alert("cancel").is_some()
        );
        assert!(
            s.records.find_alert("e0").is_some(),
            "the newest ended are kept"
        );
        assert!(
            s.records.find_alert("e4999").is_none(),
            "the oldest ended go"
        );
    }

    #[test]
    fn cancel_messages_naming_nothing_held_count_towards_the_cap() {
        let mut s = state();
        // A simulator at 100× sends many cancellations of alerts this console no longer
        // holds (or that were updated meanwhile): nothing on the wall shows them.
        for n in 0..5000 {
            let mut c = alert(&format!("c{n}"), 1, None);
            c.msg_type = MsgType::Cancel;
            c.extra.references = vec![format!("gone{n}")];
            c.sent = now() - SignedDuration::from_secs(n);
            s.records.alerts_mut().push(c);
        }
        apply(&mut s);
        assert_eq!(s.records.alerts().len(), MAX_ENDED_ALERTS);
        assert!(s.records.find_alert("c0").is_some(), "the newest are kept");
        assert!(s.records.find_alert("c4999").is_none());
    }

    #[test]
    fn an_old_alert_cancelled_just_now_stays_on_the_wall() {
        let mut s = state();
        // Sent 30 hours ago without an expiry, cancelled a minute ago: the wall shows it as
        // cancelled for two hours, so retention keeps it and its cancel message.
        let mut old = alert("typhoon", 30, None);
        old.extra.cancelled_by = Some("lifted".into());
        let mut cancel = alert("lifted", 0, None);
        cancel.msg_type = MsgType::Cancel;
        s.records.alerts_mut().push(old);
        s.records.alerts_mut().push(cancel);
        apply(&mut s);
        assert!(
            s.records.find_alert("typhoon").is_some() && s.records.find_alert("lifted").is_some()
        );
    }

    #[test]
    fn retention_runs_once_a_minute_on_the_tick() {
        let mut s = state();
        s.records
            .alerts_mut()
            .push(alert("ended-long-ago", 50, Some(30)));
        on_tick(&mut s);
        assert!(s.records.find_alert("ended-long-ago").is_none());
        s.records
            .alerts_mut()
            .push(alert("ended-long-ago", 50, Some(30)));
        s.now += SignedDuration::from_secs(30);
        on_tick(&mut s);
        assert!(
            s.records.find_alert("ended-long-ago").is_some(),
            "not yet: 30 s"
        );
        s.now += SignedDuration::from_secs(30);
        on_tick(&mut s);
        assert!(
            s.records.find_alert("ended-long-ago").is_none(),
            "a minute on"
        );
    }

    #[test]
    fn retention_looks_again_only_once_something_can_have_become_droppable() {
        let h = SignedDuration::from_hours;
        let mut s = state();
        let mut in_force = alert("in-force", 1, None);
        in_force.expires = Some(now() + h(3));
        s.records.alerts_mut().push(in_force);
        // Ended an hour ago: kept for a day.
        s.records.alerts_mut().push(alert("ended", 5, Some(1)));
        assert!(!on_tick(&mut s), "nothing to drop");
        // The in-force alert's end is the first change; the ended one goes a day after it ended.
        assert_eq!(s.records.retention.next(), Some(now() + h(3)));

        s.now = now() + h(3) - SignedDuration::from_mins(1);
        assert!(!on_tick(&mut s));
        assert_eq!(
            s.records.retention.at(),
            Some(now()),
            "skipped: nothing can have changed"
        );

        s.now = now() + h(3);
        assert!(!on_tick(&mut s), "it ended; kept for a day");
        assert_eq!(s.records.retention.at(), Some(now() + h(3)));
        let ended_from = now() + h(23) + SignedDuration::from_nanos(1);
        assert_eq!(s.records.retention.next(), Some(ended_from));

        // A change of the alerts makes the next minute look, whatever the instant.
        s.records.alerts_mut().push(alert("another", 1, None));
        assert_eq!(s.records.retention.next(), None);
        s.now = now() + h(3) + SignedDuration::from_mins(1);
        assert!(!on_tick(&mut s));
        assert_eq!(s.records.retention.at(), Some(s.now));

        s.now = ended_from;
        assert!(on_tick(&mut s), "a day after it ended it goes");
        assert!(
            s.records.find_alert("ended").is_none() && s.records.find_alert("in-force").is_some()
        );
        assert_eq!(
            s.records.retention.next(),
            Some(now() + h(27) + SignedDuration::from_nanos(1)),
            "then the next to go: the alert that ended at +3 h"
        );
    }

    #[test]
    fn a_closed_incident_is_looked_at_again_when_it_is_due_to_go() {
        let mut s = state();
        s.records
            .incidents_mut()
            .push(incident("c", IncidentStatus::Closed, 0));
        assert!(!on_tick(&mut s));
        let from = now() + SignedDuration::from_hours(21) + SignedDuration::from_nanos(1);
        assert_eq!(s.records.retention.next(), Some(from));
        s.now = from;
        assert!(on_tick(&mut s));
        assert!(s.records.incidents().is_empty());
        assert_eq!(
            s.records.retention.next(),
            Some(Timestamp::MAX),
            "nothing left to go"
        );
    }

    #[test]
    fn times_at_the_end_of_time_neither_overflow_nor_drop_anything() {
        let mut s = state();
        let mut far = alert("far", 0, None);
        far.extra.cancelled_by = Some("cancel".into());
        let mut cancel = alert("cancel", 0, None);
        cancel.msg_type = MsgType::Cancel;
        cancel.sent = Timestamp::MAX;
        let mut ended = alert("ended", 0, None);
        ended.sent = Timestamp::MAX;
        ended.expires = Some(now());
        for a in [far, cancel, ended] {
            s.records.alerts_mut().push(a);
        }
        assert!(!apply(&mut s));
        s.refresh_wall();
        assert_eq!(s.records.alerts().len(), 3);
    }

    #[test]
    fn closed_incidents_are_capped_and_trimmed_open_ones_kept_whole() {
        let mut s = state();
        s.records
            .incidents_mut()
            .push(incident("open", IncidentStatus::Open, 1000));
        for n in 0..MAX_CLOSED_INCIDENTS + 10 {
            s.records
                .incidents_mut()
                .push(incident(&format!("c{n}"), IncidentStatus::Closed, 300));
        }
        apply(&mut s);
        assert_eq!(s.records.incidents().len(), MAX_CLOSED_INCIDENTS + 1);
        let open = s
            .records
            .incidents()
            .iter()
            .find(|i| i.id == "open")
            .unwrap();
        assert_eq!(open.timeline.len(), 1000);
        assert!(
            s.records
                .incidents()
                .iter()
                .filter(|i| i.status == IncidentStatus::Closed)
                .all(|i| i.timeline.len() == MAX_TIMELINE_CLOSED)
        );
    }
}
