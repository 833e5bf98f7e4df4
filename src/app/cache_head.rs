//! A big source shown from the head of its cache while the rest is read (see
//! `store::head`): the wall's first rows are exact, the header counts and the wall's
//! length come from the figures saved with the head, and keys that need the whole wall
//! wait for it.

use super::action::Action;
use super::keymap::Mode;
use super::state::{Pane, State};
use crate::model::Alert;
use crate::model::text::sanitize;
use crate::store::head::Partial;
use crossterm::event::KeyEvent;
use std::collections::{BTreeMap, HashMap};

/// Keys within this many rows of the end of the head wait for the rest (one page).
const NEAR_END: usize = 10;

/// What is still to come of the cache.
#[derive(Debug, Clone, Default)]
pub struct Restoring {
    /// Sources shown from their head, with the figures of their whole wall. A snapshot
    /// from the network ends it for its source; so does the rest of the cache.
    pub heads: BTreeMap<String, Partial>,
    /// Keys typed while a head was shown that needed the whole wall, and every key after
    /// them (so they act in the order typed), replayed when the rest is in.
    pub waiting: Vec<KeyEvent>,
}

/// The header's counts: `held` (counted over the alerts held) with each source shown from
/// its head counted as its whole wall.
pub fn whole_counts(state: &State, held: [usize; 4]) -> [usize; 4] {
    let mut counts = held;
    for (source, head) in &state.records.restoring.heads {
        let Some((_, whole)) = head.figures.at(state.now) else {
            continue;
        };
        for a in head_alerts(state, source).filter(|a| a.in_force(state.now) && a.is_live()) {
            counts[a.colour as usize] = counts[a.colour as usize].saturating_sub(1);
        }
        for (c, n) in counts.iter_mut().zip(whole) {
            *c += n;
        }
    }
    counts
}

/// The wall's length: `order` (the rows held) with each source shown from its head
/// counted as its whole wall.
pub fn whole_rows(state: &State, order: &[u32]) -> usize {
    let mut rows = order.len();
    for (source, head) in &state.records.restoring.heads {
        let Some((whole, _)) = head.figures.at(state.now) else {
            continue;
        };
        let alerts = state.records.alerts();
        let held = order
            .iter()
            .filter(|&&i| alerts[i as usize].origin == source.as_str())
            .count();
        rows = rows - held + whole;
    }
    rows
}

fn head_alerts<'a>(state: &'a State, source: &'a str) -> impl Iterator<Item = &'a Alert> {
    state
        .records
        .alerts()
        .iter()
        .filter(move |a| a.origin == source)
}

/// The officer is kept waiting: said in the status line.
fn waiting_text(state: &State) -> &'static str {
    state.lang().t("cache_head.waiting")
}

/// Hold `key` back if it needs the whole wall while only a head is shown (going to the
/// end, filtering, the history, a command, the handover, the silences), or if an earlier
/// key is already waiting. True when held.
pub fn hold(state: &mut State, key: KeyEvent) -> bool {
    if state.records.restoring.heads.is_empty() {
        return false;
    }
    let action = state.session.keymap.action(state.mode(), &key);
    if action == Some(Action::Quit) {
        return false;
    }
    if state.records.restoring.waiting.is_empty() && !needs_whole_wall(state, action) {
        return false;
    }
    state.records.restoring.waiting.push(key);
    let text = waiting_text(state).to_owned();
    super::flash::flash(state, text);
    state.dirty = true;
    true
}

fn needs_whole_wall(state: &State, action: Option<Action>) -> bool {
    match action {
        Some(
            Action::Filter
            | Action::History
            | Action::Command
            | Action::Handover
            | Action::Silences
            | Action::Bottom,
        ) => true,
        Some(Action::Down | Action::PageDown)
            if state.mode() == Mode::Watch && state.view.focus == Pane::Alerts =>
        {
            let shown = state.shown_alerts();
            let row = state.selected_row(&shown);
            row + NEAR_END >= shown.len()
        }
        _ => false,
    }
}

/// Keys held back, to act now that every head has been replaced (none while one is
/// still shown).
pub fn release(state: &mut State) -> Vec<KeyEvent> {
    if !state.records.restoring.heads.is_empty() || state.records.restoring.waiting.is_empty() {
        return Vec::new();
    }
    if state
        .view
        .flash
        .as_ref()
        .is_some_and(|f| f.text == waiting_text(state))
    {
        state.view.flash = None;
    }
    std::mem::take(&mut state.records.restoring.waiting)
}

/// The rest of `source`'s cache has been read (or could not be). Ignored when fresh data
/// replaced the head first; otherwise it takes the head's place, keeping what changed on
/// screen since (a live alert, an acknowledgement) over the cached copy.
pub fn rest_arrived(state: &mut State, source: &str, alerts: Result<Vec<Alert>, String>) {
    if state.records.restoring.heads.remove(source).is_none() {
        return;
    }
    let mut whole = match alerts {
        Ok(alerts) => alerts,
        // The head stays on screen, with its own counts; the next save replaces the row.
        Err(e) => {
            state.store.problem = Some(sanitize(&e));
            return;
        }
    };
    let held: Vec<Alert> = {
        let all = state.records.alerts_mut();
        let (held, others): (Vec<Alert>, Vec<Alert>) = std::mem::take(all)
            .into_iter()
            .partition(|a| a.origin == source);
        *all = others;
        held
    };
    let mut at: HashMap<&str, usize> = HashMap::with_capacity(whole.len());
    for (i, a) in whole.iter().enumerate() {
        at.entry(a.id.as_str()).or_insert(i);
    }
    let mut places = Vec::with_capacity(held.len());
    for a in held {
        places.push((at.get(a.id.as_str()).copied(), a));
    }
    drop(at);
    for (place, a) in places {
        match place {
            Some(i) => whole[i] = a,
            None => whole.push(a),
        }
    }
    // The rest was read with room for the others: it is not copied to make room.
    let all = state.records.alerts_mut();
    let others = std::mem::replace(all, whole);
    all.extend(others);
    // Actions still queued for alerts past the head show on them too.
    super::pending::overlay_outbox(state);
}
