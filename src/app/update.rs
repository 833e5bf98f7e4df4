//! The only place that changes `State`. No I/O here: what must happen outside is
//! returned as `Effect`s.

use super::action::Action;
use super::alert_key::AlertKey;
use super::command::Pending;
use super::experts;
use super::lists::{self, ListKind};
use super::msg::{Effect, Msg, Restored};
use super::pending;
use super::state::Lang;
use super::state::{Flash, Overlay, SourceHealth, SourceStatus, State};
use super::{ack, duty_log, flash, form, intake, officer, outbox};
use super::{cache_head, command_line, corrections, handover, instructions, silences, words};
use super::{detail, help, watch};
use crate::model::text::{sanitize, sanitize_in_place};
use crate::model::{Alert, Incident, TimelineEntry, sort_timeline};
use crate::notify::notice;
use crate::sources::{SourceEvent, SourceUpdate};
use jiff::SignedDuration;

/// Alerts that arrived live keep their 新 mark this long.
pub const FRESH_FOR: SignedDuration = SignedDuration::from_mins(10);
const PAGE: usize = 10;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = apply_msg(state, msg);
    // Keys that waited for the whole cache act once it is in, in the order typed.
    for key in cache_head::release(state) {
        effects.extend(apply_msg(state, Msg::Key(key)));
    }
    // The open handover review follows the data and the notes; drawing only reads it.
    handover::refresh(state);
    effects
}

fn apply_msg(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if cache_head::hold(state, key) => Vec::new(),
        Msg::Key(key) => {
            // A command's answer stays until the officer goes on.
            if state.view.notice.take().is_some() {
                state.dirty = true;
            }
            on_key(state, key)
        }
        Msg::ThemeLoaded { name, result } => {
            command_line::theme_loaded(state, &name, result);
            state.dirty = true;
            Vec::new()
        }
        Msg::CommandResult { key, outcome } => {
            let rejected = matches!(outcome, super::command::Outcome::Rejected(_));
            outbox::on_result(state, &key, outcome);
            state.dirty = true;
            if rejected {
                vec![Effect::RejectionsShown(vec![key])]
            } else {
                Vec::new()
            }
        }
        Msg::Restored(restored) => {
            state.dirty = true;
            restore(state, restored)
        }
        Msg::CacheRest { source, alerts } => {
            cache_head::rest_arrived(state, &source, alerts);
            state.dirty = true;
            Vec::new()
        }
        Msg::StoreProblem(problem) => {
            let problem = problem.map(|p| sanitize(&p));
            if state.store.problem != problem {
                state.store.problem = problem;
                state.dirty = true;
            }
            Vec::new()
        }
        Msg::Resize(w, h) => {
            state.view.size = (w, h);
            state.dirty = true;
            Vec::new()
        }
        Msg::Tick(now) => {
            state.now = now;
            // What a tick may change besides the time itself: a whole frame then, else
            // the console draws only what the time changed (`ui::panes`).
            let marks = |s: &State| {
                (
                    s.view.flash.as_ref().map(|f| f.until),
                    s.view.notice.as_ref().map(|n| n.until),
                    s.said.arrived.len(),
                )
            };
            let before = marks(state);
            if state.view.flash.as_ref().is_some_and(|f| f.until <= now) {
                state.view.flash = None;
            }
            if state.view.notice.as_ref().is_some_and(|n| n.until <= now) {
                state.view.notice = None;
            }
            state
                .said
                .arrived
                .retain(|_, t| now.duration_since(*t) < FRESH_FOR);
            let retained = super::retention::on_tick(state);
            let mut effects = newly_overdue(state);
            effects.extend(silences::on_tick(state));
            effects.extend(newly_down(state));
            if retained || !effects.is_empty() || marks(state) != before {
                state.dirty = true;
            } else {
                state.clock_moved = true;
            }
            let unacked_red = state.reminder_pending();
            if state.said.notify.red_reminder(unacked_red, now) && !effects.contains(&Effect::Bell)
            {
                effects.insert(0, Effect::Bell);
            }
            effects
        }
        Msg::Notified {
            outcome,
            bell_if_undelivered,
        } => {
            state.dirty = true;
            state.said.notify.delivered(&outcome, bell_if_undelivered)
        }
        Msg::Source(u) => {
            let keep_alive = keeps_alive(state, &u);
            let asked = state.said.asked_officer;
            let effects = on_source(state, u);
            officer::maybe_ask_officer(state);
            // A keep-alive changes only when the source was last heard from, which only
            // the title bar and the status bar show, and they are drawn again every
            // second: the panes the clock moves are enough (`ui::panes`).
            if keep_alive && effects.is_empty() && asked == state.said.asked_officer {
                state.clock_moved = true;
            } else {
                state.dirty = true;
            }
            effects
        }
    }
}

fn on_key(state: &mut State, key: crossterm::event::KeyEvent) -> Vec<Effect> {
    match state.session.keymap.action(state.mode(), &key) {
        Some(action) => apply(state, action),
        None => {
            if command_line::edit(state, key)
                || experts::edit(state, key)
                || form::edit(state, key)
                || handover::edit(state, key)
            {
                state.dirty = true;
            }
            Vec::new()
        }
    }
}

/// Ring once for each report that has just become overdue, say which, and notify the
/// desktop of each (never silenced: a report is a duty, whatever the hour).
fn newly_overdue(state: &mut State) -> Vec<Effect> {
    let mut fresh = Vec::new();
    let mut effects = vec![Effect::Bell];
    for i in state.records.incidents() {
        if let Some(d) = state.next_report(i).filter(|d| d.overdue(state.now)) {
            let key = (i.id.clone(), d.label.clone());
            if !state.said.overdue_seen.contains(&key) {
                let mut n = notice::for_overdue(i, &d.label, state.lang());
                n.bell_if_undelivered = false; // it rings here already
                effects.push(Effect::Notify(n));
                fresh.push((key, i.title.clone()));
            }
        }
    }
    let Some(((_, label), title)) = fresh.last().cloned() else {
        return Vec::new();
    };
    state
        .said
        .overdue_seen
        .extend(fresh.into_iter().map(|(k, _)| k));
    flash::flash(
        state,
        state.lang().f(
            "flash.report_overdue",
            &[
                ("label", &words::show(state.lang(), &label)),
                ("title", &title),
            ],
        ),
    );
    effects
}

/// Ring once when a source goes down (silent for twice its threshold) and say which; a
/// source that recovers may ring again the next time.
fn newly_down(state: &mut State) -> Vec<Effect> {
    let down: Vec<(String, jiff::Timestamp)> = state
        .records
        .sources
        .iter()
        .filter_map(|s| state.source_down(s).map(|t| (s.name.clone(), t)))
        .collect();
    state
        .said
        .down_seen
        .retain(|n| down.iter().any(|(name, _)| name == n));
    let fresh: Vec<(String, jiff::Timestamp)> = down
        .into_iter()
        .filter(|(n, _)| !state.said.down_seen.contains(n))
        .collect();
    let Some((name, since)) = fresh.last().cloned() else {
        return Vec::new();
    };
    state
        .said
        .down_seen
        .extend(fresh.into_iter().map(|(n, _)| n));
    let text = state.lang().f(
        "flash.source_down",
        &[("name", &name), ("since", &state.local(since, "%H:%M"))],
    );
    flash::flash(state, text);
    vec![Effect::Bell]
}

/// Put back what the local store kept: each source's last state (unless fresh data came
/// first), the outbox laid over it, the expert pool, and refusals not yet shown.
fn restore(state: &mut State, r: Restored) -> Vec<Effect> {
    for c in r.sources {
        let head = r.heads.iter().find(|(s, _)| *s == c.source);
        let h = health_mut(state, &c.source);
        if h.last_ok.is_some() {
            if let Some((_, partial)) = head {
                partial.wanted.give_up();
            }
            continue;
        }
        h.cached_at = Some(c.saved_at);
        // The store holds only what this console wrote: alerts already cleaned when they
        // arrived. Cleaning 100,000 of them again would hold up the first frame by a second.
        let mut alerts = c.alerts;
        for a in &mut alerts {
            a.origin = c.source.as_str().into();
        }
        replace_source(state, &c.source, alerts, c.incidents, c.shifts);
        if let Some((_, partial)) = head {
            state
                .records
                .restoring
                .heads
                .insert(c.source, partial.clone());
        }
    }
    let mut outbox: Vec<Pending> = r
        .outbox
        .into_iter()
        .map(|q| Pending {
            command: q.command,
            last_error: q.last_error,
        })
        .collect();
    for p in std::mem::take(&mut state.actions.queue) {
        if !outbox.iter().any(|o| o.command.key == p.command.key) {
            outbox.push(p);
        }
    }
    state.actions.queue = outbox;
    pending::overlay_outbox(state);
    state.actions.elsewhere = r.pending_elsewhere;
    if r.problem.is_some() {
        state.store.problem = r.problem.map(|p| sanitize(&p));
    }
    if state.records.expert_pool.is_none()
        && let Some(dir) = r.experts
    {
        state.records.expert_pool = Some(experts::ExpertPool::new(dir));
    }
    let Some(first) = r.rejected.first() else {
        return Vec::new();
    };
    let what = first
        .command
        .as_ref()
        .map_or_else(|| first.kind.clone(), |c| c.body.describe());
    let more = r.rejected.len() - 1;
    let l = state.lang();
    let more = if more > 0 {
        l.f("flash.rejected_more", &[("more", &more)])
    } else {
        String::new()
    };
    let text = l.f(
        "flash.rejected",
        &[
            ("count", &r.rejected.len()),
            ("what", &what),
            ("reason", &first.reason),
            ("more", &more),
        ],
    );
    flash::flash(state, sanitize(&text));
    flash::keep_flash(state, flash::NOTICE_FOR);
    vec![Effect::RejectionsShown(
        r.rejected.into_iter().map(|x| x.key).collect(),
    )]
}

fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    state.dirty = true;
    if state.view.prompt.is_some() {
        return command_line::apply(state, action);
    }
    if matches!(state.view.overlay, Overlay::Experts(_)) {
        return experts::apply(state, action);
    }
    act(state, action)
}

/// What an action does outside the prompt and the expert lookup, which keep their own
/// keys; a `:` command runs its action here too.
pub(super) fn act(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        Action::Help => help::open(state),
        Action::Close if matches!(state.view.overlay, Overlay::Handover(_)) => {
            handover::close(state)
        }
        // Esc clears a list's filter before it closes anything.
        Action::Close if clear_filter(state) => {}
        Action::Close => state.view.overlay = Overlay::None,
        Action::Command => command_line::open_command(state),
        Action::Filter => command_line::open_filter(state),
        Action::Complete => {}
        Action::FocusNext => watch::focus(state, 1),
        Action::FocusPrev => watch::focus(state, -1),
        Action::Open => watch::open(state),
        Action::Up => step(state, -1),
        Action::Down => step(state, 1),
        Action::PageUp => step(state, -(PAGE as isize)),
        Action::PageDown => step(state, PAGE as isize),
        Action::Top => step(state, isize::MIN / 2),
        Action::Bottom => step(state, isize::MAX / 2),
        // The keymap of a read-only wall has none of these, but a user keymap might.
        _ if action.writes() && state.session.read_only => {}
        Action::Ack => ack::open_ack(state),
        Action::Log => duty_log::open_log(state),
        Action::Correct => corrections::open(state),
        Action::Intake => intake::open_intake(state),
        Action::Officer => officer::open_officer(state),
        Action::Experts => experts::open(state),
        Action::Silence => silences::open(state),
        Action::Silences => lists::open(state, ListKind::Silences),
        Action::History => lists::open(state, ListKind::History),
        Action::Sources => lists::open(state, ListKind::Sources),
        Action::Overdue => lists::open(state, ListKind::Overdue),
        Action::Theme => command_line::open_with(state, Action::Theme),
        Action::Lang => command_line::open_with(state, Action::Lang),
        Action::Instruct => instructions::open(state),
        Action::Instructions => lists::open(state, ListKind::Instructions),
        Action::FollowUp => instructions::open_follow_up(state),
        Action::Handover => handover::open(state),
        Action::Sign => return handover::sign(state),
        Action::Confirm => return handover::confirm(state),
        // Only meaningful inside the expert lookup, which returned above.
        Action::Search | Action::Copy | Action::ToggleAvailable | Action::CloseView => {}
        Action::Submit => return form::submit(state),
        Action::NextField | Action::PrevField => {
            if let Overlay::Form(form) = &mut state.view.overlay {
                form.move_focus(if action == Action::NextField { 1 } else { -1 });
            }
        }
    }
    Vec::new()
}

/// Esc on a filtered list: clear the filter (true), else nothing to clear (false).
fn clear_filter(state: &mut State) -> bool {
    let Some(target) = command_line::filter_target(state) else {
        return false;
    };
    if state.view.filters.get(target).is_empty() {
        return false;
    }
    command_line::set_filter(state, target, "");
    true
}

/// Up/Down in the list that has the cursor (the filter line moves through what it left).
pub(super) fn move_selection(state: &mut State, by: isize) -> Vec<Effect> {
    step(state, by);
    Vec::new()
}

fn step(state: &mut State, by: isize) {
    match &state.view.overlay {
        Overlay::Help { .. } => help::scroll(state, by),
        Overlay::Detail { .. } => detail::scroll(state, by),
        Overlay::List(_) => lists::step(state, by),
        Overlay::Handover(_) => handover::scroll(state, by),
        Overlay::Form(_) | Overlay::Experts(_) => {}
        Overlay::None => watch::step(state, by),
    }
}

/// `u` says a source already live (or polled) and neither stale nor failing is still so.
fn keeps_alive(state: &State, u: &SourceUpdate) -> bool {
    let SourceEvent::Alive { live } = u.event else {
        return false;
    };
    state.records.health(&u.source).is_some_and(|h| {
        let same = match h.status {
            SourceStatus::Live => live,
            SourceStatus::Polling => !live,
            SourceStatus::Connecting | SourceStatus::Failed(_) => false,
        };
        same && h.failed_since.is_none() && !state.source_stale(h)
    })
}

fn health_mut<'a>(state: &'a mut State, name: &str) -> &'a mut SourceHealth {
    if let Some(i) = state.records.sources.iter().position(|s| s.name == name) {
        return &mut state.records.sources[i];
    }
    let limit = Some(state.session.stale_after);
    state.records.sources.push(SourceHealth::new(name, limit));
    state.records.sources.last_mut().expect("just pushed")
}

/// A source's snapshot replaces what it said before and nothing else. The alerts come
/// cleaned (`clean_alert`); incidents and shifts are cleaned here.
fn replace_source(
    state: &mut State,
    origin: &str,
    alerts: Vec<Alert>,
    incidents: Vec<Incident>,
    shifts: Vec<crate::model::Shift>,
) {
    // Fresh data replaces a head and the rest of its cache alike.
    if let Some(head) = state.records.restoring.heads.remove(origin) {
        head.wanted.give_up();
    }
    let all = state.records.alerts_mut();
    all.retain(|a| a.origin != origin);
    // A big source (a 100,000-alert feed) is moved in whole, the few others put before it,
    // rather than copied after them into a second allocation of its size.
    if all.len() < alerts.len() {
        let mut alerts = alerts;
        alerts.reserve_exact(all.len());
        alerts.splice(0..0, all.drain(..));
        *all = alerts;
    } else {
        all.reserve_exact(alerts.len());
        all.extend(alerts);
    }
    state.records.incidents_mut().retain(|i| i.origin != origin);
    state.records.shifts.retain(|s| s.origin != origin);
    state
        .records
        .incidents_mut()
        .extend(incidents.into_iter().map(|i| clean_incident(i, origin)));
    state
        .records
        .shifts
        .extend(shifts.into_iter().map(|s| clean_shift(s, origin)));
}

fn on_source(state: &mut State, u: SourceUpdate) -> Vec<Effect> {
    let at = u.at;
    let mut effects = Vec::new();
    {
        let h = health_mut(state, &u.source);
        let was_unreachable =
            matches!(h.status, SourceStatus::Failed(_) | SourceStatus::Connecting);
        let contact = !matches!(
            u.event,
            SourceEvent::Failed { .. } | SourceEvent::Warning { .. }
        );
        if matches!(
            u.event,
            SourceEvent::Snapshot { .. } | SourceEvent::Shifts(_)
        ) {
            h.cached_at = None;
        }
        // The backend is back: deliver what waited for it now, not after the backoff.
        if contact && was_unreachable && u.source == outbox::ACTION_SOURCE {
            effects.push(Effect::RetryOutbox);
        }
        match &u.event {
            SourceEvent::Failed { reason } => {
                if !matches!(h.status, SourceStatus::Failed(_)) {
                    h.failed_since = Some(at);
                }
                h.status = SourceStatus::Failed(sanitize(reason));
            }
            SourceEvent::Alive { live } => {
                h.status = if *live {
                    SourceStatus::Live
                } else {
                    SourceStatus::Polling
                };
                h.last_ok = Some(at);
                h.failed_since = None;
            }
            // Data proves contact, but not whether the stream or polling brought it:
            // the status itself is set only by Alive and Failed.
            _ => h.last_ok = Some(at),
        }
    }
    let origin = u.source;
    if matches!(
        u.event,
        SourceEvent::Snapshot { .. }
            | SourceEvent::Alert(_)
            | SourceEvent::Incident(_)
            | SourceEvent::Timeline(_)
            | SourceEvent::Shifts(_)
    ) {
        state.store.unsaved.insert(origin.clone());
    }
    match u.event {
        SourceEvent::Snapshot {
            alerts,
            incidents,
            shifts,
        } => {
            let alerts: Vec<Alert> = alerts
                .into_iter()
                .map(|a| clean_alert(a, &origin))
                .collect();
            // The first snapshot is what was in force when the console started: it is on the
            // wall, not announced. Later ones (polling) announce what they bring that is new.
            if !state.said.notify.baselined.insert(origin.clone()) {
                for a in &alerts {
                    let previous = state.records.previous_colour(a);
                    effects.extend(state.said.notify.alert_arrived(
                        a,
                        previous,
                        at,
                        &state.session.tz,
                        state.lang(),
                    ));
                }
            }
            replace_source(state, &origin, alerts, incidents, shifts);
            // Actions still queued stay visible over the backend's picture.
            if origin == outbox::ACTION_SOURCE {
                pending::overlay_outbox(state);
            }
        }
        SourceEvent::Alert(a) => {
            let a = clean_alert(a, &origin);
            let previous = state.records.previous_colour(&a);
            effects.extend(state.said.notify.alert_arrived(
                &a,
                previous,
                at,
                &state.session.tz,
                state.lang(),
            ));
            let in_force = a.in_force(state.now);
            // A new alert is added last.
            if state.records.upsert_alert(a) && in_force {
                let a = &state.records.alerts()[state.records.alerts().len() - 1];
                let (text, key) = (flash_text(a, state.lang()), AlertKey::of(a));
                state.view.flash = Some(Flash {
                    text,
                    until: at + flash::FLASH_FOR,
                });
                state.said.arrived.insert(key, at);
            }
        }
        SourceEvent::Incident(i) => {
            let mut i = clean_incident(i, &origin);
            match state
                .records
                .incidents_mut()
                .iter_mut()
                .find(|x| x.origin == i.origin && x.id == i.id)
            {
                Some(old) => {
                    // Event payloads may leave the timeline out; keep what we have.
                    if i.timeline.is_empty() {
                        i.timeline = std::mem::take(&mut old.timeline);
                    }
                    *old = i;
                }
                None => {
                    state.view.flash = Some(Flash {
                        text: state.lang().f("flash.new_incident", &[("title", &i.title)]),
                        until: at + flash::FLASH_FOR,
                    });
                    state.records.incidents_mut().push(i);
                }
            }
        }
        SourceEvent::Timeline(e) => {
            let e = clean_entry(e);
            if let Some(inc) = state
                .records
                .incidents_mut()
                .iter_mut()
                .find(|x| x.origin == origin && x.id == e.incident_id)
            {
                // Our own entries come back with the server's id and our idempotency key.
                let ours = |x: &TimelineEntry| {
                    x.id == e.id
                        || (x.idempotency_key.is_some() && x.idempotency_key == e.idempotency_key)
                };
                match inc.timeline.iter_mut().find(|x| ours(x)) {
                    Some(old) => *old = e,
                    None => {
                        inc.updated_at = Some(inc.updated_at.map_or(e.at, |u| u.max(e.at)));
                        inc.timeline.push(e);
                        sort_timeline(&mut inc.timeline);
                    }
                }
            }
        }
        SourceEvent::Shifts(shifts) => {
            state.records.shifts.retain(|s| s.origin != origin);
            state
                .records
                .shifts
                .extend(shifts.into_iter().map(|s| clean_shift(s, &origin)));
        }
        SourceEvent::Experts(dir) => effects.extend(experts::on_directory(state, dir)),
        SourceEvent::Handovers(list) => {
            state.records.handovers = list.into_iter().map(clean_handover).collect();
        }
        SourceEvent::Handover(h) => {
            let h = clean_handover(h);
            state.records.handovers.retain(|x| x.id != h.id);
            state.records.handovers.insert(0, h);
        }
        // A feed warning marks the source (⚠ in the status bar, the text in `:sources`).
        SourceEvent::Warning { text } => {
            health_mut(state, &origin).warning = Some((at, sanitize(&text)));
        }
        SourceEvent::Server(h) => {
            if origin == outbox::ACTION_SOURCE {
                on_server(state, &h);
            }
        }
        SourceEvent::Identity(me) => {
            if origin == outbox::ACTION_SOURCE {
                on_identity(state, &me);
            }
        }
        SourceEvent::Alive { .. } | SourceEvent::Failed { .. } => {}
    }
    effects
}

/// The backend's own word on what it holds: DEMO when it holds the demo data set (or
/// the console was started as the demo), and its office's name unless the console's
/// config names another than the default.
fn on_server(state: &mut State, h: &crate::model::Health) {
    state.session.demo = state.session.demo_started || h.demo;
    if let Some(office) = &h.office {
        let default = crate::config::ConsoleConfig::default().office;
        if state.session.office.is_empty() || state.session.office == default {
            state.session.office = sanitize(&office.name);
        }
    }
    state.dirty = true;
}

/// A personal token names its person: every action carries that name (the server
/// refuses another), so the console's officer is that person.
fn on_identity(state: &mut State, me: &crate::model::Me) {
    let person = me.person.as_deref().map(sanitize);
    if let Some(p) = &person
        && state.session.officer.as_ref() != Some(p)
    {
        state.session.officer = Some(p.clone());
        let text = state.lang().f("workflow.signed_in", &[("name", p)]);
        super::flash::flash(state, text);
    }
    // The roster (from the local store, before the server said who the token is) may
    // have opened the "who is at this console" picker: the token has answered it.
    if person.is_some()
        && matches!(&state.view.overlay, Overlay::Form(f) if f.kind == form::FormKind::Officer)
    {
        state.view.overlay = Overlay::None;
    }
    state.session.signed_in = person;
    state.dirty = true;
}

/// What the status line says when a new alert arrives.
/// The label is the alert pane's, so the two read alike.
fn flash_text(a: &Alert, lang: Lang) -> String {
    lang.f(
        "flash.new_alert",
        &[
            ("label", &crate::ui::alerts::level_label(lang, a)),
            ("title", &a.title()),
        ],
    )
}

/// Only names and notes are drawn from a record (its report is exported, not shown).
fn clean_handover(mut h: crate::model::Handover) -> crate::model::Handover {
    for s in [&mut h.id, &mut h.outgoing, &mut h.incoming, &mut h.notes] {
        *s = sanitize(s);
    }
    h
}

/// Remote strings are sanitised once, on arrival, so every view can trust them.
fn clean_alert(mut a: Alert, origin: &str) -> Alert {
    a.origin = origin.into();
    a.sanitize();
    a
}

fn clean_entry(mut e: TimelineEntry) -> TimelineEntry {
    for s in [
        &mut e.id,
        &mut e.incident_id,
        &mut e.author,
        &mut e.kind,
        &mut e.text,
    ] {
        sanitize_in_place(s);
    }
    // Compared with the ids above, cleaned the same way.
    if let Some(c) = &mut e.corrects {
        sanitize_in_place(c);
    }
    e
}

fn clean_incident(mut i: Incident, origin: &str) -> Incident {
    i.origin = origin.to_owned();
    for s in [&mut i.id, &mut i.title, &mut i.category, &mut i.district] {
        *s = sanitize(s);
    }
    i.timeline = i.timeline.into_iter().map(clean_entry).collect();
    // Read without a length, the list kept up to twice the room it needs.
    i.timeline.shrink_to_fit();
    sort_timeline(&mut i.timeline);
    i
}

fn clean_shift(mut s: crate::model::Shift, origin: &str) -> crate::model::Shift {
    s.origin = origin.to_owned();
    for f in [&mut s.id, &mut s.person, &mut s.phone] {
        *f = sanitize(f);
    }
    s
}
