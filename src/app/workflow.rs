//! The duty officer's actions: who is on duty here, acknowledging alerts, the duty log
//! and intake. Each turns a submitted form into an optimistic change of the state plus a
//! command for the outbox.

use super::command::{Command, CommandBody, Outcome, Pending};
use super::form::{Form, FormKind, GRADES};
use super::msg::Effect;
use super::state::{Flash, Lang, Overlay, Pane, State};
use crate::model::roster::on_duty;
use crate::model::{Ack, DutyRole, Grade};
use crossterm::event::{KeyCode, KeyEvent};
use jiff::{SignedDuration, Timestamp};

/// Only the duty API takes actions; other feeds are read-only sources.
pub const ACTION_SOURCE: &str = "duty_api";
const FLASH_FOR: SignedDuration = SignedDuration::from_secs(8);
/// A refusal of the officer's action is kept on screen longer than other flashes.
pub const NOTICE_FOR: SignedDuration = SignedDuration::from_secs(30);

pub fn flash(state: &mut State, text: String) {
    let until = state.now + FLASH_FOR;
    state.view.flash = Some(Flash { text, until });
}

/// Keep the current flash on screen for `d` from now.
pub fn keep_flash(state: &mut State, d: SignedDuration) {
    let until = state.now + d;
    if let Some(f) = &mut state.view.flash {
        f.until = until;
    }
}

pub(super) fn new_key(state: &mut State) -> String {
    let key = format!("{}-{}", state.actions.key_prefix, state.actions.next_key);
    state.actions.next_key += 1;
    key
}

pub(super) fn queue(state: &mut State, body: CommandBody) -> Effect {
    let command = Command {
        key: new_key(state),
        created_at: state.now,
        body,
    };
    super::pending::apply_locally(state, &command);
    state.actions.queue.push(Pending {
        command: command.clone(),
        last_error: None,
    });
    Effect::Send(command)
}

/// The people on the current shift, for the "who is at this console" picker.
fn current_people(state: &State) -> Vec<String> {
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

pub fn open_log(state: &mut State) {
    if need_officer(state) {
        return;
    }
    let Some(id) = state.selected_incident().map(|i| i.id.clone()) else {
        flash(state, state.lang().t("workflow.no_incident").to_owned());
        return;
    };
    state.view.overlay = Overlay::Form(Form::log(id));
}

pub fn open_intake(state: &mut State) {
    if need_officer(state) {
        return;
    }
    let hm = state.local(state.now, "%H:%M");
    state.view.overlay = Overlay::Form(Form::intake(&hm));
}

/// Keys a form's keymap does not bind edit the focused field.
pub fn edit(state: &mut State, key: KeyEvent) -> bool {
    let Overlay::Form(form) = &mut state.view.overlay else {
        return false;
    };
    let Some(field) = form.focused() else {
        return false;
    };
    if !field.choices.is_empty() {
        let n = field.choices.len();
        match key.code {
            KeyCode::Left => field.choice = (field.choice + n - 1) % n,
            KeyCode::Right | KeyCode::Char(' ') => field.choice = (field.choice + 1) % n,
            _ => return false,
        }
        return true;
    }
    if !field.input.handle_key(key) {
        return false;
    }
    form.flagged.clear();
    form.confirm_missing = false;
    true
}

/// Submit the open form: refuse with the fields flagged, or apply it and close.
pub fn submit(state: &mut State) -> Vec<Effect> {
    let Overlay::Form(form) = &mut state.view.overlay else {
        return Vec::new();
    };
    let missing = form.missing_required();
    if !missing.is_empty() {
        form.focus = missing[0];
        form.flagged = missing;
        return Vec::new();
    }
    if form.kind == FormKind::Intake {
        let elements = form.missing_elements();
        if !elements.is_empty() && !form.confirm_missing {
            form.flagged = elements;
            form.confirm_missing = true;
            let text = state.lang().t("workflow.elements_missing").to_owned();
            flash(state, text);
            return Vec::new();
        }
    }
    let Overlay::Form(form) = std::mem::replace(&mut state.view.overlay, Overlay::None) else {
        return Vec::new();
    };
    match form.kind.clone() {
        FormKind::Officer => {
            let typed = form.value("name");
            let name = if typed.is_empty() {
                form.value("pick")
            } else {
                typed
            };
            if name.is_empty() {
                state.view.overlay = Overlay::Form(form);
                return Vec::new();
            }
            flash(
                state,
                state.lang().f("workflow.officer", &[("name", &name)]),
            );
            state.session.officer = Some(name);
            Vec::new()
        }
        FormKind::Ack { alert_id, origin } => ack(state, &alert_id, &origin, form.value("note")),
        FormKind::Log { incident_id } => {
            let draft = EntryDraft::new(&form.value("kind"), form.value("text"));
            log_entry(state, &incident_id, draft).into_iter().collect()
        }
        FormKind::Intake => intake(state, &form),
        FormKind::Silence { alert_id, origin } => super::silences::submit(
            state,
            &alert_id,
            &origin,
            &form.value("duration"),
            form.value("reason"),
        ),
        FormKind::Instruction { incident_id } => super::instructions::submit_instruction(
            state,
            &incident_id,
            form.value("text"),
            form.value("leader"),
            form.value("assignee"),
        ),
        FormKind::FollowUp {
            incident_id,
            entry_id,
        } => super::instructions::submit_follow_up(
            state,
            &incident_id,
            &entry_id,
            &form.value("kind"),
            form.value("text"),
        ),
    }
}

pub(super) fn officer(state: &State) -> String {
    state.session.officer.clone().unwrap_or_default()
}

fn ack(state: &mut State, alert_id: &str, origin: &str, note: String) -> Vec<Effect> {
    let at = state.now;
    let who = officer(state);
    let Some(alert) = state.records.alert_mut(origin, alert_id) else {
        return Vec::new();
    };
    let title = alert.title().to_owned();
    if origin != ACTION_SOURCE {
        alert.ack = Some(Box::new(Ack {
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

/// A timeline entry as the officer writes it; the rest (id, author) is filled in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EntryDraft {
    pub kind: String,
    pub text: String,
    pub at: Option<Timestamp>,
    pub leader: Option<String>,
    pub assignee: Option<String>,
    pub refers_to: Option<String>,
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
        },
    ))
}

/// "HH:MM" in the console's zone, on the day that makes it the latest instant not in the
/// future (an event reported at 00:10 as "23:55" happened yesterday).
pub fn parse_event_time(state: &State, hm: &str) -> Option<Timestamp> {
    let (h, m) = hm
        .trim()
        .split_once(':')
        .or_else(|| hm.trim().split_once('：'))?;
    let (h, m): (i8, i8) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    let today = state.now.to_zoned_datetime(state.session.tz.clone());
    let t = today
        .with()
        .hour(h)
        .minute(m)
        .second(0)
        .subsec_nanosecond(0)
        .build()
        .ok()?;
    let t = if t.timestamp() > state.now + SignedDuration::from_mins(10) {
        t.checked_sub(jiff::Span::new().days(1)).ok()?
    } else {
        t
    };
    Some(t.timestamp())
}

fn grade_of(choice: &str) -> Grade {
    match GRADES.iter().position(|g| *g == choice) {
        Some(3) => Grade::I,
        Some(2) => Grade::II,
        Some(1) => Grade::III,
        _ => Grade::IV,
    }
}

fn intake(state: &mut State, form: &Form) -> Vec<Effect> {
    let Some(at) = parse_event_time(state, &form.value("time")) else {
        let mut again = form.clone();
        again.flagged = vec![
            form.fields
                .iter()
                .position(|f| f.key == "time")
                .unwrap_or(0),
        ];
        state.view.overlay = Overlay::Form(again);
        flash(state, state.lang().t("workflow.time_format").to_owned());
        return Vec::new();
    };
    let grade = grade_of(&form.value("grade"));
    let id = format!(
        "inc-{}-{}",
        state.actions.key_prefix, state.actions.next_key
    );
    let title = form.value("title");
    let place = form.value("place");
    let category = form.value("category");
    let mut parts = Vec::new();
    let mut missing = Vec::new();
    // The record is written in Chinese, the backend's language, whatever the screen's.
    for f in form.fields.iter().filter(|f| f.element) {
        let v = f.value();
        let label = Lang::Zh.t(f.label);
        if v.is_empty() {
            missing.push(label);
        } else {
            parts.push(format!("{label}：{v}"));
        }
    }
    let mut text = format!("{}。{}", title, parts.join("；"));
    if !missing.is_empty() {
        text.push_str(&format!("（待补充：{}）", missing.join("、")));
    }
    let district = place
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    state.view.selected_incident = Some(id.clone());
    let mut effects = vec![queue(
        state,
        CommandBody::OpenIncident {
            id: id.clone(),
            title: title.clone(),
            grade,
            category,
            district,
            opened_at: at,
        },
    )];
    let draft = EntryDraft {
        at: Some(at),
        ..EntryDraft::new("接报", text)
    };
    effects.extend(log_entry(state, &id, draft));
    flash(
        state,
        state
            .lang()
            .f("workflow.intake_recorded", &[("title", &title)]),
    );
    effects
}

/// The backend answered a command.
pub fn on_result(state: &mut State, key: &str, outcome: Outcome) {
    match outcome {
        Outcome::Accepted => state.actions.queue.retain(|p| p.command.key != key),
        Outcome::Retrying(why) => {
            if let Some(p) = state
                .actions
                .queue
                .iter_mut()
                .find(|p| p.command.key == key)
            {
                p.last_error = Some(why);
            }
        }
        Outcome::Rejected(why) => {
            let what = state
                .actions
                .queue
                .iter()
                .find(|p| p.command.key == key)
                .map(|p| p.command.body.describe_in(state.lang()))
                .unwrap_or_default();
            state.actions.queue.retain(|p| p.command.key != key);
            flash(
                state,
                state
                    .lang()
                    .f("workflow.rejected", &[("what", &what), ("why", &why)]),
            );
            keep_flash(state, NOTICE_FOR);
        }
    }
}
