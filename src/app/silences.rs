//! Silences with accountability: an officer holds off an alert's bell and flashing for a
//! while, giving a reason. Five minutes before a silence ends the console says so; when it
//! ends and the alert still stands, the alert is announced again.

use super::alert_key::AlertKey;
use super::command::CommandBody;
use super::flash::flash;
use super::form::{Form, SILENCE_CHOICES};
use super::msg::Effect;
use super::officer::{need_officer, officer};
use super::outbox::{ACTION_SOURCE, queue};
use super::state::{Overlay, Pane, State};
use crate::model::Silence;
use jiff::{SignedDuration, Timestamp};

const WARN_BEFORE: SignedDuration = SignedDuration::from_mins(5);

pub fn open(state: &mut State) {
    if need_officer(state) {
        return;
    }
    let Some(a) = state.selected_alert() else {
        return;
    };
    let form = Form::silence(a.id.to_string(), a.origin.to_string());
    state.view.focus = Pane::Alerts;
    state.view.overlay = Overlay::Form(form);
}

/// The minutes chosen on the form (0: lift the silence).
fn minutes_of(choice: &str) -> i64 {
    SILENCE_CHOICES
        .iter()
        .find(|(label, _)| *label == choice)
        .map_or(30, |(_, m)| *m)
}

pub fn submit(
    state: &mut State,
    alert_id: &str,
    origin: &str,
    duration: &str,
    reason: String,
) -> Vec<Effect> {
    let now = state.now;
    let until = now + SignedDuration::from_mins(minutes_of(duration));
    let who = officer(state);
    let Some(alert) = state.records.alert_mut(origin, alert_id) else {
        return Vec::new();
    };
    let title = alert.title().to_owned();
    if origin != ACTION_SOURCE {
        // Feeds take no silences: this console keeps it (the duty API's are applied by
        // the outbox, the same way before and after a restart).
        alert.silence = Some(Box::new(Silence {
            seat: None,
            officer: who.clone(),
            reason: reason.clone(),
            from: now,
            until,
        }));
    }
    let said = if until <= now {
        state.lang().f("silences.lifted", &[("title", &title)])
    } else {
        state.lang().f(
            "silences.silenced_until",
            &[("until", &state.local(until, "%H:%M")), ("title", &title)],
        )
    };
    if origin != ACTION_SOURCE {
        let here = state.lang().t("silences.here_only");
        flash(state, format!("{said}{here}"));
        return Vec::new();
    }
    flash(state, said);
    vec![queue(
        state,
        CommandBody::Silence {
            alert_id: alert_id.to_owned(),
            officer: who,
            reason,
            until,
        },
    )]
}

/// On each tick: warn once before a silence ends, and announce once (with the bell) an
/// alert whose silence ended while it still stands.
pub fn on_tick(state: &mut State) -> Vec<Effect> {
    let now = state.now;
    let mut warn = Vec::new();
    let mut ended = Vec::new();
    for a in state.records.alerts_with_silence() {
        let Some(s) = a.silence.as_ref().filter(|_| a.in_force(now)) else {
            continue;
        };
        let key = (AlertKey::of(a), s.until);
        if s.active(now)
            && s.until - WARN_BEFORE <= now
            && !state.said.silence_warned.contains(&key)
        {
            warn.push((key, a.title().to_owned(), s.until));
        } else if !s.active(now)
            && s.until > s.from
            && now.duration_since(s.until) < SignedDuration::from_mins(10)
            && !state.said.silence_ended.contains(&key)
        {
            ended.push((key, a.title().to_owned()));
        }
    }
    let mut effects = Vec::new();
    for (key, title, until) in warn {
        state.said.silence_warned.insert(key);
        let text = state.lang().f(
            "silences.ends_at",
            &[("until", &state.local(until, "%H:%M")), ("title", &title)],
        );
        flash(state, text);
    }
    for (key, title) in ended {
        state.said.arrived.insert(key.0.clone(), now);
        state.said.silence_ended.insert(key);
        let text = state.lang().f("silences.over", &[("title", &title)]);
        flash(state, text);
        effects = vec![Effect::Bell];
    }
    effects
}

/// Silenced alerts in force, soonest ending first.
pub fn active(state: &State) -> Vec<(&crate::model::Alert, &Silence)> {
    let mut v: Vec<_> = state
        .records
        .alerts_with_silence()
        .filter_map(|a| Some((a, a.silence.as_deref().filter(|s| s.active(state.now))?)))
        .filter(|(a, _)| a.in_force(state.now))
        .collect();
    v.sort_by_key(|(_, s)| s.until);
    v
}

/// The silences as the list shows them, narrowed by its `/` filter.
pub fn listed(state: &State) -> Vec<(&crate::model::Alert, &Silence)> {
    let q = super::filter::Query::parse(
        state
            .view
            .filters
            .get(super::filter::FilterTarget::Silences),
    );
    let mut v = active(state);
    if !q.is_empty() {
        v.retain(|(a, s)| q.text(&[a.title(), &a.signal_type, &a.area, &s.officer, &s.reason]));
    }
    v
}

/// Bell and flashing are held off while a silence is active.
pub fn silenced(a: &crate::model::Alert, now: Timestamp) -> bool {
    a.silence.as_ref().is_some_and(|s| s.active(now))
}

/// The next instant after `now` at which `silenced` answers differently for `a`.
pub fn silenced_changes_at(a: &crate::model::Alert, now: Timestamp) -> Option<Timestamp> {
    let s = a.silence.as_ref()?;
    [s.from, s.until].into_iter().filter(|&t| t > now).min()
}
