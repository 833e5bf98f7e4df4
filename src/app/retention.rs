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
//!   `MAX_CLOSED_INCIDENTS` closed ones are kept. Open incidents are never dropped.
//! - A closed incident keeps its newest `MAX_TIMELINE_CLOSED` timeline entries (an open
//!   one keeps all: its reporting deadlines are read from the whole timeline).
//!
//! Everything dropped is still in the backend; the console only shows the present.

use super::state::State;
use crate::model::{Alert, IncidentStatus};
use jiff::{SignedDuration, Timestamp};

pub const KEEP_ENDED: SignedDuration = SignedDuration::from_hours(24);
pub const MAX_ENDED_ALERTS: usize = 500;
pub const MAX_CLOSED_INCIDENTS: usize = 200;
pub const MAX_TIMELINE_CLOSED: usize = 200;
use super::wall::{self, CANCEL_SHOWN};

/// Which alerts the wall shows as cancelled: those whose cancel message was sent within
/// `CANCEL_SHOWN`, and those messages.
fn shown_cancelled(alerts: &[Alert], now: Timestamp) -> Vec<bool> {
    let mut shown = vec![false; alerts.len()];
    for (i, c) in wall::cancellers(alerts).into_iter().enumerate() {
        if let Some(c) = c.filter(|&c| now.duration_since(alerts[c].sent) < CANCEL_SHOWN) {
            shown[i] = true;
            shown[c] = true;
        }
    }
    shown
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

/// Retention looks at every alert; with a big wall that is a few milliseconds, too much for
/// every second and not needed: what it drops is a day old or over a cap of hundreds.
pub const EVERY: SignedDuration = SignedDuration::from_mins(1);

/// On the clock's tick: `apply` once a minute.
/// True when it ran (once a minute): what it dropped may be on screen.
pub fn on_tick(state: &mut State) -> bool {
    if state
        .retained_at
        .is_some_and(|t| state.now.duration_since(t) < EVERY)
    {
        return false;
    }
    state.retained_at = Some(state.now);
    apply(state);
    true
}

pub fn apply(state: &mut State) {
    let now = state.now;
    let old = |t: Timestamp| now.duration_since(t) > KEEP_ENDED;
    let young = |a: &Alert| now.duration_since(a.sent) < CANCEL_SHOWN;

    // Alerts: drop the long-ended, then cap the rest of the ended by newest end. Worked
    // out before anything is changed: most runs drop nothing, and changing the alerts
    // means sorting the wall again.
    let alerts = state.alerts();
    // Nearly every minute nothing has ended (a wall of 100,000 in force): then there is
    // nothing to drop, and no need to work out what the wall shows as cancelled.
    let drop = if !alerts.iter().any(|a| !a.in_force(now)) {
        Vec::new()
    } else {
        let shown = shown_cancelled(alerts, now);
        let mut drop = vec![false; alerts.len()];
        let mut ended: Vec<(Timestamp, usize)> = Vec::new();
        for (i, a) in alerts.iter().enumerate() {
            // What the wall shows stays, however long ago it was sent.
            if shown[i] {
                continue;
            }
            let Some(end) = ended_at(a, now) else {
                continue;
            };
            if !young(a) && old(end) {
                drop[i] = true;
            } else {
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
        state.alerts_mut().retain(|_| {
            n += 1;
            !drop[n - 1]
        });
        state.forget_gone_arrivals();
    }

    // Incidents: changed only when something goes (changing them works out every report
    // deadline again).
    let last = |i: &crate::model::Incident| i.updated_at.unwrap_or(i.opened_at);
    let gone = |i: &crate::model::Incident| i.status != IncidentStatus::Open && old(last(i));
    if state.incidents().iter().any(gone) {
        state.incidents_mut().retain(|i| !gone(i));
    }
    let mut closed: Vec<(Timestamp, usize)> = state
        .incidents()
        .iter()
        .enumerate()
        .filter(|(_, i)| i.status == IncidentStatus::Closed)
        .map(|(n, i)| (last(i), n))
        .collect();
    if closed.len() > MAX_CLOSED_INCIDENTS {
        closed.sort_by_key(|c| std::cmp::Reverse(c.0));
        let mut drop = vec![false; state.incidents().len()];
        for (_, n) in &closed[MAX_CLOSED_INCIDENTS..] {
            drop[*n] = true;
        }
        let mut n = 0;
        state.incidents_mut().retain(|_| {
            n += 1;
            !drop[n - 1]
        });
    }
    let long = |i: &crate::model::Incident| {
        i.status == IncidentStatus::Closed && i.timeline.len() > MAX_TIMELINE_CLOSED
    };
    if state.incidents().iter().any(long) {
        for i in state.incidents_mut().iter_mut().filter(|i| long(i)) {
            let cut = i.timeline.len() - MAX_TIMELINE_CLOSED;
            i.timeline.drain(..cut);
        }
    }
    let open: std::collections::HashSet<String> =
        state.incidents().iter().map(|i| i.id.clone()).collect();
    state
        .overdue_seen
        .retain(|(id, _)| open.contains(id.as_str()));
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

    fn state() -> State {
        State::new(now(), TimeZone::UTC, Keymap::embedded(), Theme::embedded())
    }

    #[test]
    fn long_ended_alerts_go_and_the_rest_are_capped_newest_first() {
        let mut s = state();
        s.alerts_mut().push(alert("in-force", 100, None));
        s.alerts_mut().push(alert("ended-long-ago", 50, Some(30)));
        s.alerts_mut().push(alert("ended-recently", 10, Some(5)));
        s.alerts_mut().push(alert("young", 1, Some(0)));
        for n in 0..MAX_ENDED_ALERTS + 50 {
            s.alerts_mut()
                .push(alert(&format!("e{n:04}"), 20, Some(3 + (n as i64 % 10))));
        }
        apply(&mut s);
        let ids: Vec<&str> = s.alerts().iter().map(|a| a.id.as_str()).collect();
        assert!(ids.contains(&"in-force") && ids.contains(&"young"));
        assert!(!ids.contains(&"ended-long-ago"));
        assert!(ids.contains(&"ended-recently"), "newest ended kept");
        let ended = s.alerts().iter().filter(|a| !a.in_force(now())).count();
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
            s.alerts_mut().push(a);
        }
        let mut cancelled = alert("cancelled", 1, None);
        cancelled.extra.cancelled_by = Some("cancel".into());
        let mut cancel = alert("cancel", 1, None);
        cancel.msg_type = MsgType::Cancel;
        s.alerts_mut().push(cancelled);
        s.alerts_mut().push(cancel);
        apply(&mut s);
        assert_eq!(s.alerts().len(), MAX_ENDED_ALERTS + 2);
        assert!(s.find_alert("cancelled").is_some() && s.find_alert("cancel").is_some());
        assert!(s.find_alert("e0").is_some(), "the newest ended are kept");
        assert!(s.find_alert("e4999").is_none(), "the oldest ended go");
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
            s.alerts_mut().push(c);
        }
        apply(&mut s);
        assert_eq!(s.alerts().len(), MAX_ENDED_ALERTS);
        assert!(s.find_alert("c0").is_some(), "the newest are kept");
        assert!(s.find_alert("c4999").is_none());
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
        s.alerts_mut().push(old);
        s.alerts_mut().push(cancel);
        apply(&mut s);
        assert!(s.find_alert("typhoon").is_some() && s.find_alert("lifted").is_some());
    }

    #[test]
    fn retention_runs_once_a_minute_on_the_tick() {
        let mut s = state();
        s.alerts_mut().push(alert("ended-long-ago", 50, Some(30)));
        on_tick(&mut s);
        assert!(s.find_alert("ended-long-ago").is_none());
        s.alerts_mut().push(alert("ended-long-ago", 50, Some(30)));
        s.now += SignedDuration::from_secs(30);
        on_tick(&mut s);
        assert!(s.find_alert("ended-long-ago").is_some(), "not yet: 30 s");
        s.now += SignedDuration::from_secs(30);
        on_tick(&mut s);
        assert!(s.find_alert("ended-long-ago").is_none(), "a minute on");
    }

    #[test]
    fn closed_incidents_are_capped_and_trimmed_open_ones_kept_whole() {
        let mut s = state();
        let incident = |id: &str, status: IncidentStatus, entries: usize| -> Incident {
            let mut i: Incident = serde_json::from_value(serde_json::json!({
                "id": id, "title": id, "grade": "IV", "status": "open",
                "opened_at": (now() - SignedDuration::from_hours(3)).to_string(),
            }))
            .unwrap();
            i.status = status;
            i.timeline = (0..entries)
                .map(|n| TimelineEntry {
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
        };
        s.incidents_mut()
            .push(incident("open", IncidentStatus::Open, 1000));
        for n in 0..MAX_CLOSED_INCIDENTS + 10 {
            s.incidents_mut()
                .push(incident(&format!("c{n}"), IncidentStatus::Closed, 300));
        }
        apply(&mut s);
        assert_eq!(s.incidents().len(), MAX_CLOSED_INCIDENTS + 1);
        let open = s.incidents().iter().find(|i| i.id == "open").unwrap();
        assert_eq!(open.timeline.len(), 1000);
        assert!(
            s.incidents()
                .iter()
                .filter(|i| i.status == IncidentStatus::Closed)
                .all(|i| i.timeline.len() == MAX_TIMELINE_CLOSED)
        );
    }
}
