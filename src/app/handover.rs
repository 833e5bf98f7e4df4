//! The handover review at the console (`h`): the report of the current shift, the notes
//! the outgoing officer types under it, signing (交班) and confirming (接班).

use super::command::CommandBody;
use super::flash::flash;
use super::line_edit::LineEdit;
use super::msg::Effect;
use super::officer::{need_officer, officer};
use super::outbox::queue;
use super::state::{Overlay, State};
use crate::handover::{Inputs, build, shift_window};
use crate::model::{Handover, HandoverReport};
use crossterm::event::KeyEvent;

#[derive(Debug, Clone, PartialEq)]
pub struct HandoverView {
    pub scroll: u16,
    pub notes: LineEdit,
    /// The review as printed, kept current by `refresh` after every message.
    pub markdown: String,
}

/// The review as of now, with the notes typed so far.
pub fn report(state: &State, notes: &str) -> HandoverReport {
    build(&Inputs {
        office: &state.session.office,
        tz: &state.session.tz,
        now: state.now,
        since: None,
        alerts: state.records.alerts(),
        incidents: state.records.incidents(),
        shifts: &state.records.shifts,
        rules: state.records.report_rules(),
        notes,
    })
}

pub fn open(state: &mut State) {
    state.view.overlay = Overlay::Handover(HandoverView {
        scroll: 0,
        notes: LineEdit::with_text(&state.view.handover_notes),
        markdown: String::new(),
    });
    refresh(state);
}

/// Rebuild the open review (no-op when it is closed).
pub fn refresh(state: &mut State) {
    let Overlay::Handover(v) = &state.view.overlay else {
        return;
    };
    let markdown = crate::handover::to_markdown(&report(state, v.notes.text()), state.lang(), None);
    if let Overlay::Handover(v) = &mut state.view.overlay {
        v.markdown = markdown;
    }
}

pub fn close(state: &mut State) {
    if let Overlay::Handover(v) = &state.view.overlay {
        state.view.handover_notes = v.notes.text().to_owned();
    }
    state.view.overlay = crate::app::Overlay::None;
}

pub fn scroll(state: &mut State, by: isize) {
    if let Overlay::Handover(v) = &mut state.view.overlay {
        v.scroll = (v.scroll as isize)
            .saturating_add(by)
            .clamp(0, u16::MAX as isize) as u16;
    }
}

/// Keys the handover keymap does not bind type the notes.
pub fn edit(state: &mut State, key: KeyEvent) -> bool {
    let Overlay::Handover(v) = &mut state.view.overlay else {
        return false;
    };
    if state.session.read_only {
        return false;
    }
    v.notes.handle_key(key)
}

/// The newest signed record not yet confirmed, if any.
pub fn awaiting_confirmation(state: &State) -> Option<&Handover> {
    state
        .records
        .handovers
        .iter()
        .filter(|h| h.confirmed_at.is_none())
        .max_by_key(|h| h.created_at)
}

/// The outgoing officer signs: the review with the notes goes to the backend (and is
/// kept locally as Markdown).
pub fn sign(state: &mut State) -> Vec<Effect> {
    if need_officer(state) {
        return Vec::new();
    }
    let Overlay::Handover(v) = &state.view.overlay else {
        return Vec::new();
    };
    let notes = v.notes.text().trim().to_owned();
    let report = report(state, &notes);
    let shift_end = shift_window(&state.records.shifts, state.now).map_or(state.now, |w| w.1);
    let who = officer(state);
    let record = Handover {
        outgoing_seat: None,
        incoming_seat: None,
        id: String::new(),
        outgoing: who.clone(),
        incoming: String::new(),
        shift_start: report.window_start,
        shift_end: shift_end.max(report.window_start + jiff::SignedDuration::from_secs(1)),
        notes: notes.clone(),
        created_at: Some(state.now),
        confirmed_at: None,
        report: Some(report.clone()),
    };
    let markdown = crate::handover::to_markdown(&report, state.lang(), Some(&record));
    let send = queue(
        state,
        CommandBody::Handover {
            outgoing: who.clone(),
            shift_start: record.shift_start,
            shift_end: record.shift_end,
            notes,
            report: Box::new(report),
        },
    );
    state.view.handover_notes.clear();
    state.view.overlay = Overlay::None;
    let text = state.lang().f("handover.signed", &[("who", &who)]);
    flash(state, text);
    let stamp = state.local(state.now, "%Y%m%d-%H%M");
    let mut effects = vec![send];
    // The demo keeps nothing on the machine.
    if !state.session.demo {
        effects.push(Effect::SaveHandover {
            name: format!("handover-{stamp}.md"),
            markdown,
        });
    }
    effects
}

/// The incoming officer (the officer now at this console) confirms the newest signed
/// record; its outgoing officer cannot confirm it.
pub fn confirm(state: &mut State) -> Vec<Effect> {
    if need_officer(state) {
        return Vec::new();
    }
    let who = officer(state);
    let Some(record) = awaiting_confirmation(state).cloned() else {
        let text = state.lang().t("handover.nothing_to_confirm");
        flash(state, text.to_owned());
        return Vec::new();
    };
    if record.outgoing == who {
        let text = state.lang().t("handover.not_own");
        flash(state, text.to_owned());
        return Vec::new();
    }
    state.view.overlay = Overlay::None;
    let text = state.lang().f(
        "handover.confirmed",
        &[("who", &who), ("outgoing", &record.outgoing)],
    );
    flash(state, text);
    vec![queue(
        state,
        CommandBody::ConfirmHandover {
            handover_id: record.id,
            incoming: who,
        },
    )]
}
