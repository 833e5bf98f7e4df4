//! Who is on duty at this console: asked once when the roster arrives, chosen again with
//! a key, and needed before any act (an act carries a name).

use super::flash::flash;
use super::form::Form;
use super::state::{Overlay, State};
use crate::model::DutyRole;
use crate::model::roster::on_duty;

/// The people on the current shift, for the "who is at this console" picker.
fn current_people(state: &State) -> Vec<String> {
    // A personal token's person is the only one this console may act as.
    if let Some(me) = &state.session.signed_in {
        return vec![me.clone()];
    }
    let (now, _) = on_duty(&state.records.shifts, state.now);
    let mut people: Vec<String> = now.iter().map(|s| s.person.clone()).collect();
    people.dedup();
    people
}

/// Ask once, when the roster first arrives, who is on duty at this console.
pub fn maybe_ask_officer(state: &mut State) {
    if state.session.officer.is_none()
        && !state.session.read_only
        && !state.said.asked_officer
        && state.view.overlay == Overlay::None
        && !state.records.shifts.is_empty()
    {
        state.said.asked_officer = true;
        if state.session.demo {
            // The demo should open on the watch screen, not a question: take the first
            // duty officer on the roster and say how to change it.
            let (now, _) = on_duty(&state.records.shifts, state.now);
            let pick = now
                .iter()
                .find(|s| s.role == DutyRole::Officer)
                .or(now.first())
                .map(|s| s.person.clone());
            if let Some(name) = pick {
                let text = state.lang().f("workflow.officer_demo", &[("name", &name)]);
                state.session.officer = Some(name);
                flash(state, text);
            }
            return;
        }
        state.view.overlay = Overlay::Form(Form::officer(&current_people(state)));
    }
}

pub fn open_officer(state: &mut State) {
    state.view.overlay = Overlay::Form(Form::officer(&current_people(state)));
}

/// Actions need a name to carry; without one, ask for it first.
pub(super) fn need_officer(state: &mut State) -> bool {
    if state.session.officer.is_some() {
        return false;
    }
    open_officer(state);
    flash(state, state.lang().t("workflow.choose_officer").to_owned());
    true
}

pub(super) fn officer(state: &State) -> String {
    state.session.officer.clone().unwrap_or_default()
}
