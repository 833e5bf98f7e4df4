//! Acknowledging an alert (确认), with an optional note: on the duty API it is queued for
//! the backend; on a read-only feed this console keeps it.

use super::command::CommandBody;
use super::flash::flash;
use super::form::Form;
use super::msg::Effect;
use super::officer::{need_officer, officer};
use super::outbox::{ACTION_SOURCE, queue};
use super::state::{Overlay, Pane, State};
use crate::model::Ack;

pub fn open_ack(state: &mut State) {
    if need_officer(state) {
        return;
    }
    let Some(a) = state.selected_alert() else {
        return;
    };
    let form = Form::ack(a.id.to_string(), a.origin.to_string());
    state.view.focus = Pane::Alerts;
    state.view.overlay = Overlay::Form(form);
}

pub(super) fn ack(state: &mut State, alert_id: &str, origin: &str, note: String) -> Vec<Effect> {
    let at = state.now;
    let who = officer(state);
    let Some(alert) = state.records.alert_mut(origin, alert_id) else {
        return Vec::new();
    };
    let title = alert.title().to_owned();
    if origin != ACTION_SOURCE {
        alert.ack = Some(Box::new(Ack {
            seat: None,
            officer: who.clone(),
            note: note.clone(),
            at,
        }));
        flash(
            state,
            state.lang().f("workflow.acked_here", &[("title", &title)]),
        );
        return Vec::new();
    }
    flash(
        state,
        state
            .lang()
            .f("workflow.acked", &[("who", &who), ("title", &title)]),
    );
    vec![queue(
        state,
        CommandBody::Ack {
            alert_id: alert_id.to_owned(),
            officer: who,
            note,
        },
    )]
}
