//! Bottom bar: per-source health, then key hints from the keymap.

use super::cells::{self, Like};
use super::format::{age, clock_at};
use super::theme::Role;
use crate::app::{SourceHealth, SourceStatus, State};
use crate::model::text::{truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

/// One source's health in a few words: ✓ live, ⟳ polling, ⚠ stale since, ✗ offline and why.
pub fn health_spans(state: &State) -> Vec<Span<'static>> {
    let t = &state.theme();
    let lang = state.lang();
    let mut spans = vec![Span::styled(
        format!(" {} ", lang.t("status.sources")),
        t.get(Role::Muted),
    )];
    if state.records.sources.is_empty() {
        spans.push(Span::styled(
            lang.t("status.connecting"),
            t.get(Role::Stale),
        ));
    }
    for (n, s) in state.records.sources.iter().enumerate() {
        if n > 0 {
            spans.push(Span::raw(" · "));
        }
        spans.push(Span::raw(format!("{} ", s.name)));
        let (text, role) = source_words(state, s);
        spans.push(Span::styled(text, t.get(role)));
        // Read, but something in it was off: `:sources` says what.
        if s.warning.is_some() {
            spans.push(Span::styled(" ⚠", t.get(Role::Stale)));
        }
    }
    spans
}

/// ok (live, polling), cached (age), stale (age), offline (since when and why), and the
/// theme role to show it in.
fn source_words(state: &State, s: &SourceHealth) -> (String, Role) {
    let lang = state.lang();
    let since = |t: Option<jiff::Timestamp>| {
        t.map(|t| clock_at(state.now, t, &state.session.tz))
            .unwrap_or_default()
    };
    let ago = |t: Option<jiff::Timestamp>| t.map(|t| age(lang, state.now, t)).unwrap_or_default();
    match &s.status {
        SourceStatus::Failed(why) => (
            lang.f(
                "status.offline",
                &[
                    ("since", &since(s.failed_since)),
                    ("why", &truncate(why, 40)),
                ],
            ),
            Role::Offline,
        ),
        _ if state.source_stale(s) => (
            lang.f(
                "status.stale",
                &[(
                    "age",
                    &ago(s.last_contact().or(Some(state.session.started))),
                )],
            ),
            Role::Stale,
        ),
        SourceStatus::Connecting if s.cached_at.is_some() => (
            lang.f("status.cached", &[("age", &ago(s.cached_at))]),
            Role::Stale,
        ),
        SourceStatus::Connecting => (lang.t("status.connecting").to_owned(), Role::Stale),
        SourceStatus::Live => (lang.f("status.live", &[("age", &ago(s.last_ok))]), Role::Ok),
        // Read once (a file): nothing to wait for.
        SourceStatus::Polling if s.stale_after.is_none() => (
            lang.f("status.read", &[("at", &since(s.last_ok))]),
            Role::Ok,
        ),
        SourceStatus::Polling => (
            lang.f("status.polling", &[("age", &ago(s.last_ok))]),
            Role::Stale,
        ),
    }
}

/// Who is at this console, what is still unsent, read-only mode.
pub fn desk_spans(state: &State) -> Vec<Span<'static>> {
    let t = &state.theme();
    let l = state.lang();
    let mut spans = Vec::new();
    if state.session.read_only {
        spans.push(Span::styled(
            format!(" {} ", l.t("status.read_only")),
            t.get(Role::Demo),
        ));
    } else if let Some(o) = &state.session.officer {
        spans.push(Span::raw(format!(
            "  {}",
            l.f("status.officer", &[("name", o)])
        )));
    }
    if !state.actions.queue.is_empty() {
        let failing = state.actions.queue.iter().any(|p| p.last_error.is_some());
        spans.push(Span::styled(
            format!(
                "  {}",
                l.f("status.pending", &[("n", &state.actions.queue.len())])
            ),
            t.get(if failing { Role::Offline } else { Role::Stale }),
        ));
    }
    if state.actions.elsewhere > 0 {
        spans.push(Span::styled(
            format!(
                "  {}",
                l.f(
                    "status.pending_elsewhere",
                    &[("n", &state.actions.elsewhere)]
                )
            ),
            t.get(Role::Muted),
        ));
    }
    if state.said.notify.unavailable {
        spans.push(Span::styled(
            format!("  {}", l.t("status.notify_unavailable")),
            t.get(Role::Muted),
        ));
    }
    if state.store.problem.is_some() {
        spans.push(Span::styled(
            format!("  {}", l.t("status.store_failing")),
            t.get(Role::Offline),
        ));
    }
    spans
}

pub fn hint_spans(state: &State) -> Vec<Span<'static>> {
    let t = &state.theme();
    let mut spans = Vec::new();
    // One list mode serves several lists; following up only means something in one.
    let follow_up_here = crate::app::lists::open_one(state)
        .is_some_and(|v| v.kind == crate::app::lists::ListKind::Instructions);
    for b in state
        .session
        .keymap
        .hints(state.mode())
        .filter(|b| b.action != crate::app::Action::FollowUp || follow_up_here)
    {
        let key = b.key_names.first().cloned().unwrap_or_default();
        spans.push(Span::styled(key, t.get(Role::Key)));
        spans.push(Span::raw(format!(" {}  ", b.text(state.lang()))));
    }
    spans
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let mut health = health_spans(state);
    health.extend(desk_spans(state));
    // A command's answer takes the place of the key hints until the next key.
    let hints = match &state.view.notice {
        Some(n) => {
            let hw: usize = health.iter().map(|s| width(&s.content)).sum();
            let room = (area.width as usize).saturating_sub(hw + 3);
            vec![
                Span::styled(
                    format!(" {} ", truncate(&n.text, room)),
                    state
                        .theme()
                        .get(if n.error { Role::Overdue } else { Role::Flash }),
                ),
                Span::raw(""),
            ]
        }
        None => hint_spans(state),
    };
    let hw: usize = health.iter().map(|s| width(&s.content)).sum();
    // Health is what the officer must see; hints give way from the end, a key and its
    // words together, when the bar is short.
    let mut room = (area.width as usize).saturating_sub(hw + 1);
    let mut kept = Vec::new();
    for pair in hints.chunks(2) {
        let w: usize = pair.iter().map(|s| width(&s.content)).sum();
        if w > room {
            break;
        }
        room -= w;
        kept.extend_from_slice(pair);
    }
    let mut spans = health;
    spans.push(Span::raw(" ".repeat(room + 1)));
    spans.extend(kept);
    // As a `Paragraph` of the line draws it (the status bar is drawn every second).
    cells::line(frame.buffer_mut(), area, &spans, Like::Paragraph);
}
