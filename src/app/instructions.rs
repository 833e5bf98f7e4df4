//! Leader instructions (领导批示) at the console: recording one on an incident, and the
//! follow-up (督办) list where progress is logged until the instruction is closed (办结).

use super::duty_log::{EntryDraft, log_entry};
use super::filter::{FilterTarget, Query};
use super::flash::flash;
use super::form::Form;
use super::lists::{self, ListKind, ListView};
use super::msg::Effect;
use super::officer::need_officer;
use super::state::{Overlay, State};
use crate::model::DutyRole;
use crate::model::instruction::{INSTRUCTION, Instruction, instructions};
use crate::model::roster::on_duty;

pub fn open(state: &mut State) {
    if need_officer(state) {
        return;
    }
    let Some(id) = state.selected_incident().map(|i| i.id.clone()) else {
        let text = state.lang().t("instructions.no_incident");
        flash(state, text.to_owned());
        return;
    };
    let (now, _) = on_duty(&state.records.shifts, state.now);
    let leader = now
        .iter()
        .find(|s| s.role == DutyRole::Leader)
        .map(|s| s.person.clone())
        .unwrap_or_default();
    state.view.overlay = Overlay::Form(Form::instruction(id, &leader));
}

/// Open instructions first (oldest first: longest waiting), then closed ones; narrowed by
/// the list's `/` filter.
pub fn listed(state: &State) -> Vec<Instruction<'_>> {
    let mut all = instructions(state.records.incidents());
    all.sort_by_key(|i| !i.open());
    let q = Query::parse(state.view.filters.get(FilterTarget::Instructions));
    if !q.is_empty() {
        all.retain(|i| q.text(&[&i.entry.text, i.leader(), i.assignee(), &i.incident.title]));
    }
    all
}

/// Enter on the list: record progress on, or close, the selected instruction.
pub fn open_follow_up(state: &mut State) {
    if state.session.read_only || need_officer(state) {
        return;
    }
    let Some(ListView {
        kind: ListKind::Instructions,
        at: selected,
    }) = lists::open_one(state)
    else {
        return;
    };
    let target = listed(state)
        .get(selected)
        .filter(|i| i.open())
        .map(|i| (i.incident.id.clone(), i.entry.id.clone()));
    if let Some((incident_id, entry_id)) = target {
        state.view.overlay = Overlay::Form(Form::follow_up(incident_id, entry_id));
    }
}

pub fn submit_instruction(
    state: &mut State,
    incident_id: &str,
    text: String,
    leader: String,
    assignee: String,
) -> Vec<Effect> {
    let draft = EntryDraft {
        leader: Some(leader),
        assignee: Some(assignee).filter(|a| !a.is_empty()),
        ..EntryDraft::new(INSTRUCTION, text)
    };
    let said = state.lang().t("instructions.recorded");
    flash(state, said.to_owned());
    log_entry(state, incident_id, draft).into_iter().collect()
}

pub fn submit_follow_up(
    state: &mut State,
    incident_id: &str,
    entry_id: &str,
    kind: &str,
    text: String,
) -> Vec<Effect> {
    let draft = EntryDraft {
        refers_to: Some(entry_id.to_owned()),
        ..EntryDraft::new(kind, text)
    };
    flash(
        state,
        state.lang().f(
            "instructions.follow_up_recorded",
            &[("kind", &super::words::show(state.lang(), kind))],
        ),
    );
    let effects = log_entry(state, incident_id, draft).into_iter().collect();
    lists::open(state, ListKind::Instructions);
    effects
}
