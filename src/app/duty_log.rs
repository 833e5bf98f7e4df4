//! The duty log on an incident's timeline: an entry as the officer writes it, appended at
//! once and queued for the backend.

use super::command::CommandBody;
use super::flash::flash;
use super::form::Form;
use super::msg::Effect;
use super::officer::{need_officer, officer};
use super::outbox::{ACTION_SOURCE, queue};
use super::state::{Overlay, State};
use jiff::Timestamp;

pub fn open_log(state: &mut State) {
    if need_officer(state) {
        return;
    }
    let Some(id) = state.selected_incident().map(|i| i.id.clone()) else {
        flash(state, state.lang().t("workflow.no_incident").to_owned());
        return;
    };
    let rules = state.records.report_rules();
    let form = Form::log(id, rules.rule.iter().map(|r| r.kind.as_str()));
    state.view.overlay = Overlay::Form(form);
}

/// A timeline entry as the officer writes it; the rest (id, author) is filled in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EntryDraft {
    pub kind: String,
    pub text: String,
    pub at: Option<Timestamp>,
    pub leader: Option<String>,
    pub assignee: Option<String>,
    pub refers_to: Option<String>,
    /// For a correction (更正): the id of the entry it corrects.
    pub corrects: Option<String>,
}

impl EntryDraft {
    pub fn new(kind: &str, text: String) -> EntryDraft {
        EntryDraft {
            kind: kind.to_owned(),
            text,
            ..EntryDraft::default()
        }
    }
}

/// Append an entry to an incident's timeline at once and queue it for the backend.
pub(super) fn log_entry(state: &mut State, incident_id: &str, draft: EntryDraft) -> Option<Effect> {
    let author = officer(state);
    let at = draft.at.unwrap_or(state.now);
    let EntryDraft {
        kind,
        text,
        leader,
        assignee,
        refers_to,
        corrects,
        ..
    } = draft;
    state
        .records
        .incidents()
        .iter()
        .find(|i| i.id == incident_id && i.origin == ACTION_SOURCE)?;
    Some(queue(
        state,
        CommandBody::Timeline {
            incident_id: incident_id.to_owned(),
            author,
            kind,
            text,
            at,
            leader,
            assignee,
            refers_to,
            corrects,
        },
    ))
}
