//! What a queued command changes on screen before the backend has it. Applied when the
//! officer submits it, and again over a fresh snapshot or the cached state at start while
//! it is still in the outbox, so an action never seems to vanish until it is delivered.
//! Applying a command twice changes nothing more.

use super::command::{Command, CommandBody};
use super::outbox::ACTION_SOURCE;
use super::state::State;
use crate::model::{Ack, Incident, IncidentStatus, Silence, TimelineEntry};

pub fn apply_locally(state: &mut State, command: &Command) {
    let key = &command.key;
    match &command.body {
        CommandBody::Ack {
            alert_id,
            officer,
            note,
        } => {
            if let Some(alert) = state.records.alert_mut(ACTION_SOURCE, alert_id) {
                alert.ack = Some(Box::new(Ack {
                    seat: None,
                    officer: officer.clone(),
                    note: note.clone(),
                    at: command.created_at,
                }));
            }
        }
        CommandBody::Timeline {
            incident_id,
            author,
            kind,
            text,
            at,
            leader,
            assignee,
            refers_to,
            corrects,
        } => {
            let Some(incident) = state
                .records
                .incidents_mut()
                .iter_mut()
                .find(|i| &i.id == incident_id && i.origin == ACTION_SOURCE)
            else {
                return;
            };
            // The echo from the backend carries our key: then it is there already.
            if incident
                .timeline
                .iter()
                .any(|e| &e.id == key || e.idempotency_key.as_ref() == Some(key))
            {
                return;
            }
            incident.timeline.push(TimelineEntry {
                corrects: corrects.clone(),
                seat: None,
                id: key.clone(),
                incident_id: incident_id.clone(),
                at: *at,
                author: author.clone(),
                kind: kind.clone(),
                text: text.clone(),
                leader: leader.clone(),
                assignee: assignee.clone(),
                refers_to: refers_to.clone(),
                idempotency_key: Some(key.clone()),
                seq: 0,
            });
            crate::model::sort_timeline(&mut incident.timeline);
            incident.updated_at = Some(incident.updated_at.map_or(*at, |u| u.max(*at)));
        }
        CommandBody::OpenIncident {
            id,
            title,
            grade,
            category,
            district,
            opened_at,
        } => {
            if state
                .records
                .incidents_mut()
                .iter()
                .any(|i| &i.id == id && i.origin == ACTION_SOURCE)
            {
                return;
            }
            state.records.incidents_mut().push(Incident {
                id: id.clone(),
                title: title.clone(),
                category: category.clone(),
                grade: *grade,
                district: district.clone(),
                status: IncidentStatus::Open,
                opened_at: *opened_at,
                updated_at: Some(*opened_at),
                timeline: Vec::new(),
                seq: 0,
                origin: ACTION_SOURCE.to_owned(),
            });
        }
        CommandBody::Silence {
            alert_id,
            officer,
            reason,
            until,
        } => {
            if let Some(alert) = state.records.alert_mut(ACTION_SOURCE, alert_id) {
                alert.silence = Some(Box::new(Silence {
                    seat: None,
                    officer: officer.clone(),
                    reason: reason.clone(),
                    from: command.created_at,
                    until: (*until).max(command.created_at),
                }));
            }
        }
        // The record appears when the backend echoes it (it gives the id).
        CommandBody::Handover { .. } => {}
        CommandBody::ConfirmHandover {
            handover_id,
            incoming,
        } => {
            if let Some(h) = state
                .records
                .handovers
                .iter_mut()
                .find(|h| &h.id == handover_id)
            {
                h.incoming = incoming.clone();
                h.confirmed_at = Some(command.created_at);
            }
        }
    }
}

/// Lay every command still in the outbox over the state, oldest first.
pub fn overlay_outbox(state: &mut State) {
    let queued: Vec<Command> = state
        .actions
        .queue
        .iter()
        .map(|p| p.command.clone())
        .collect();
    for command in &queued {
        apply_locally(state, command);
    }
}
