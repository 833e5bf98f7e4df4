//! What the console forgets, so a screen left running for weeks keeps a bounded memory.
//!
//! - An alert that has ended (expired, cancelled, superseded, resolved, or is itself a
//!   cancel message) is dropped once it ended more than `KEEP_ENDED` ago; of the ended
//!   alerts younger than that, only the newest `MAX_ENDED_ALERTS` are kept. A cancellation
//!   sent in the last two hours (and what it cancelled) is never dropped, so it stays on the
//!   wall; other ended alerts count towards the cap whatever their age, so a burst of
//!   short-lived alerts cannot grow the console without bound.
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
/// Never dropped younger than this (cancellations are shown for two hours).
const PROTECTED: SignedDuration = SignedDuration::from_hours(2);

/// When an alert stopped being in force (its best-known end), or None while it is.
fn ended_at(a: &Alert, now: Timestamp) -> Option<Timestamp> {
    if a.in_force(now) {
        return None;
    }
    Some(
        [a.resolved_at, a.expires]
            .into_iter()
            .flatten()
            .filter(|t| *t <= now)
            .max()
            .unwrap_or(a.sent),
    )
}

pub fn apply(state: &mut State) {
    let now = state.now;
    let old = |t: Timestamp| now.duration_since(t) > KEEP_ENDED;
    let young = |a: &Alert| now.duration_since(a.sent) < PROTECTED;
    // What the wall shows as 【已解除】 for two hours: the cancelled alert and its cancel.
    let shown_cancelled = |a: &Alert| {
        young(a) && (a.cancelled_by.is_some() || a.msg_type == crate::model::MsgType::Cancel)
    };

    // Alerts: drop the long-ended, then cap the rest of the ended by newest end.
    state
        .alerts
        .retain(|a| young(a) || ended_at(a, now).is_none_or(|e| !old(e)));
    let mut ended: Vec<(Timestamp, usize)> = state
        .alerts
        .iter()
        .enumerate()
        .filter(|(_, a)| !shown_cancelled(a))
        .filter_map(|(i, a)| ended_at(a, now).map(|e| (e, i)))
        .collect();
    if ended.len() > MAX_ENDED_ALERTS {
        ended.sort_by_key(|e| std::cmp::Reverse(e.0));
        let mut drop = vec![false; state.alerts.len()];
        for (_, i) in &ended[MAX_ENDED_ALERTS..] {
            drop[*i] = true;
        }
        let mut n = 0;
        state.alerts.retain(|_| {
            n += 1;
            !drop[n - 1]
        });
    }
    let kept: std::collections::HashSet<&str> =
        state.alerts.iter().map(|a| a.id.as_str()).collect();
    state.arrived.retain(|id, _| kept.contains(id.as_str()));

    // Incidents.
    let last = |i: &crate::model::Incident| i.updated_at.unwrap_or(i.opened_at);
    state
        .incidents
        .retain(|i| i.status == IncidentStatus::Open || !old(last(i)));
    let mut closed: Vec<(Timestamp, usize)> = state
        .incidents
        .iter()
        .enumerate()
        .filter(|(_, i)| i.status == IncidentStatus::Closed)
        .map(|(n, i)| (last(i), n))
        .collect();
    if closed.len() > MAX_CLOSED_INCIDENTS {
        closed.sort_by_key(|c| std::cmp::Reverse(c.0));
        let mut drop = vec![false; state.incidents.len()];
        for (_, n) in &closed[MAX_CLOSED_INCIDENTS..] {
            drop[*n] = true;
        }
        let mut n = 0;
        state.incidents.retain(|_| {
            n += 1;
            !drop[n - 1]
        });
    }
    for i in &mut state.incidents {
        if i.status == IncidentStatus::Closed && i.timeline.len() > MAX_TIMELINE_CLOSED {
            let cut = i.timeline.len() - MAX_TIMELINE_CLOSED;
            i.timeline.drain(..cut);
        }
    }
    let open: std::collections::HashSet<&str> =
        state.incidents.iter().map(|i| i.id.as_str()).collect();
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
        s.alerts.push(alert("in-force", 100, None));
        s.alerts.push(alert("ended-long-ago", 50, Some(30)));
        s.alerts.push(alert("ended-recently", 10, Some(5)));
        s.alerts.push(alert("young", 1, Some(0)));
        for n in 0..MAX_ENDED_ALERTS + 50 {
            s.alerts
                .push(alert(&format!("e{n:04}"), 20, Some(3 + (n as i64 % 10))));
        }
        apply(&mut s);
        let ids: Vec<&str> = s.alerts.iter().map(|a| a.id.as_str()).collect();
        assert!(ids.contains(&"in-force") && ids.contains(&"young"));
        assert!(!ids.contains(&"ended-long-ago"));
        assert!(ids.contains(&"ended-recently"), "newest ended kept");
        let ended = s.alerts.iter().filter(|a| !a.in_force(now())).count();
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
            s.alerts.push(a);
        }
        let mut cancelled = alert("cancelled", 1, None);
        cancelled.cancelled_by = Some("cancel".into());
        let mut cancel = alert("cancel", 1, None);
        cancel.msg_type = MsgType::Cancel;
        s.alerts.push(cancelled);
        s.alerts.push(cancel);
        apply(&mut s);
        assert_eq!(s.alerts.len(), MAX_ENDED_ALERTS + 2);
        assert!(s.find_alert("cancelled").is_some() && s.find_alert("cancel").is_some());
        assert!(s.find_alert("e0").is_some(), "the newest ended are kept");
        assert!(s.find_alert("e4999").is_none(), "the oldest ended go");
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
        s.incidents
            .push(incident("open", IncidentStatus::Open, 1000));
        for n in 0..MAX_CLOSED_INCIDENTS + 10 {
            s.incidents
                .push(incident(&format!("c{n}"), IncidentStatus::Closed, 300));
        }
        apply(&mut s);
        assert_eq!(s.incidents.len(), MAX_CLOSED_INCIDENTS + 1);
        let open = s.incidents.iter().find(|i| i.id == "open").unwrap();
        assert_eq!(open.timeline.len(), 1000);
        assert!(
            s.incidents
                .iter()
                .filter(|i| i.status == IncidentStatus::Closed)
                .all(|i| i.timeline.len() == MAX_TIMELINE_CLOSED)
        );
    }
}
