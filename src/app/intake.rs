//! Intake (接报): a new incident from the form, opened on the backend with its first
//! timeline entry holding the elements of the report.

use super::command::CommandBody;
use super::duty_log::{EntryDraft, log_entry};
use super::flash::flash;
use super::form::{Form, GRADES};
use super::msg::Effect;
use super::officer::need_officer;
use super::outbox::queue;
use super::state::{Lang, Overlay, State};
use crate::model::Grade;
use jiff::{SignedDuration, Timestamp};

pub fn open_intake(state: &mut State) {
    if need_officer(state) {
        return;
    }
    let hm = state.local(state.now, "%H:%M");
    state.view.overlay = Overlay::Form(Form::intake(&hm));
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

pub(super) fn intake(state: &mut State, form: &Form) -> Vec<Effect> {
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
