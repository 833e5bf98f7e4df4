//! The watch screen's keys: focus between its panes, move within the focused one, and
//! open the details of what is selected there.

use super::alert_key::AlertKey;
use super::detail;
use super::state::{DetailTarget, Pane, State};

/// The next pane (1) or the one before (-1), round the screen.
pub fn focus(state: &mut State, by: isize) {
    let order = Pane::ORDER;
    let n = order.len() as isize;
    let i = order
        .iter()
        .position(|p| *p == state.view.focus)
        .unwrap_or(0) as isize;
    state.view.focus = order[(i + by).rem_euclid(n) as usize];
}

fn moved(len: usize, from: usize, by: isize) -> usize {
    if len == 0 {
        return 0;
    }
    (from as isize)
        .saturating_add(by)
        .clamp(0, len as isize - 1) as usize
}

/// Up/Down in the focused pane.
pub fn step(state: &mut State, by: isize) {
    match state.view.focus {
        Pane::Alerts => {
            let shown = state.shown_alerts();
            let i = moved(shown.len(), state.selected_row(&shown), by);
            let key = shown.get(i).map(AlertKey::of);
            state.view.selected_alert = key;
            state.view.alert_row = i;
        }
        Pane::Incidents => {
            let sorted = state.shown_incidents().items;
            let i = moved(sorted.len(), state.incident_index(&sorted), by);
            state.view.selected_incident = sorted.get(i).map(|x| x.id.clone());
            state.view.timeline_scroll = 0;
        }
        Pane::Timeline => {
            // Down moves towards the newest entry, which is where scroll 0 sits.
            let len = state.selected_incident().map_or(0, |i| i.timeline.len());
            state.view.timeline_scroll = moved(len, state.view.timeline_scroll, -by);
        }
        Pane::Duty => {
            state.view.duty_scroll = moved(state.records.shifts.len(), state.view.duty_scroll, by);
        }
    }
}

/// Enter: the details of the selected alert, or of the selected incident (from its
/// timeline too); the duty roster has none.
pub fn open(state: &mut State) {
    let target = match state.view.focus {
        Pane::Alerts => state
            .selected_alert()
            .map(|a| DetailTarget::Alert(AlertKey::of(a))),
        Pane::Incidents | Pane::Timeline => state
            .selected_incident()
            .map(|i| DetailTarget::Incident(i.id.clone())),
        Pane::Duty => None,
    };
    if let Some(target) = target {
        detail::open(state, target);
    }
}
