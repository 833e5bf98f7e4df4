//! The scenario simulator: plays `demo/scenario.toml` in accelerated time so the demo
//! watch room is never dead. Each step is turned into the same request body a client
//! would send and goes through the same validation and store operations as the HTTP
//! handlers, so every step fires real events.

use super::data::{AlertStep, Scenario, Step};
use super::error::{ApiFailure, ApiResult};
use super::store::{Store, alerts, incidents};
use super::validate::{self, IncidentPatch, Obj};
use super::wait_for_stop;
use crate::model::{IncidentStatus, MsgType};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::watch;

/// Ids of the alerts and incidents made in the current pass, by scenario key.
type Keys = HashMap<String, String>;

/// Plays the scenario `speed` times faster than written: the pauses between steps and
/// the lifetimes of the alerts shrink alike, so the wall looks the same, only sooner.
pub async fn run(store: Store, scenario: Scenario, speed: f64, mut stop: watch::Receiver<bool>) {
    let scaled = |secs: u64| Duration::from_secs_f64(secs as f64 / speed);
    let mut delay = scaled(scenario.first_delay_secs);
    let mut keys = Keys::new();
    let mut tick = 0usize;
    loop {
        tokio::select! {
            _ = wait_for_stop(&mut stop) => return,
            _ = tokio::time::sleep(delay) => {}
        }
        let index = tick % scenario.steps.len();
        if index == 0 {
            // A new pass re-issues everything with fresh ids.
            keys.clear();
        }
        // A failed step (say, the disk is full) must not end the demo; the next step
        // tries again. There is no terminal to report to: the console may own it.
        let _ = play(&store, &scenario.steps[index], &mut keys, speed).await;
        delay = scaled(scenario.interval_secs[tick % scenario.interval_secs.len()]);
        tick = tick.wrapping_add(1);
    }
}

fn obj(value: Value) -> ApiResult<Obj> {
    Obj::parse(value.to_string().as_bytes())
}

fn key_id(keys: &Keys, key: &str) -> ApiResult<String> {
    keys.get(key).cloned().ok_or_else(|| {
        ApiFailure::internal(format!("scenario key {key:?} has not been played yet"))
    })
}

fn alert_body(step: &AlertStep, keys: &Keys, now: Timestamp, speed: f64) -> ApiResult<Value> {
    let references = step
        .references
        .iter()
        .map(|k| key_id(keys, k))
        .collect::<ApiResult<Vec<_>>>()?;
    let msg_type = match step.msg_type {
        MsgType::Alert => "alert",
        MsgType::Update => "update",
        MsgType::Cancel => "cancel",
    };
    let expires = step
        .expires_after_minutes
        .map(|m| (now + SignedDuration::from_secs_f64(m as f64 * 60.0 / speed)).to_string());
    Ok(json!({
        "source": step.source,
        "signal_type": step.signal_type,
        "colour": step.colour,
        "msg_type": msg_type,
        "references": references,
        "title": step.title,
        "area": step.area,
        "description": step.description,
        "instruction": step.instruction,
        "urgency": step.urgency,
        "certainty": step.certainty,
        "sent": now.to_string(),
        "expires": expires,
    }))
}

async fn play(store: &Store, step: &Step, keys: &mut Keys, speed: f64) -> ApiResult<()> {
    let now = Timestamp::now();
    match step {
        Step::Alert(a) => {
            let new = validate::new_alert(&obj(alert_body(a, keys, now, speed)?)?, now)?;
            let (alert, _) = store.write(move |ch| alerts::create(ch, new, now)).await?;
            if let Some(key) = &a.key {
                keys.insert(key.clone(), alert.id.into());
            }
        }
        Step::Incident(inc) => {
            let new = validate::new_incident(&obj(json!({
                "title": inc.title,
                "category": inc.category,
                "grade": inc.grade,
                "district": inc.district,
            }))?)?;
            let first = validate::timeline_entry(
                &obj(json!({"author": inc.author, "kind": "接报", "text": inc.text}))?,
                now,
            )?;
            let incident = store
                .write(move |ch| {
                    let (incident, _) = incidents::create(ch, new, now)?;
                    incidents::add_entry(ch, &incident.id, first, now)?;
                    Ok(incident)
                })
                .await?;
            keys.insert(inc.key.clone(), incident.id);
        }
        Step::Timeline(t) => {
            let id = key_id(keys, &t.incident)?;
            let entry = validate::timeline_entry(
                &obj(json!({"author": t.author, "kind": t.kind, "text": t.text}))?,
                now,
            )?;
            store
                .write(move |ch| incidents::add_entry(ch, &id, entry, now))
                .await?;
        }
        Step::Close(c) => {
            let id = key_id(keys, &c.incident)?;
            let close = IncidentPatch {
                status: Some(IncidentStatus::Closed),
                ..IncidentPatch::default()
            };
            store
                .write(move |ch| incidents::patch(ch, &id, close, now))
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::data;

    #[test]
    fn every_alert_step_passes_validation() {
        let scenario = data::scenario().unwrap();
        let now = Timestamp::now();
        let mut keys = Keys::new();
        for (i, step) in scenario.steps.iter().enumerate() {
            if let Step::Alert(a) = step {
                let body = alert_body(a, &keys, now, 1.0).unwrap();
                validate::new_alert(&obj(body).unwrap(), now)
                    .unwrap_or_else(|e| panic!("step {}: {e}", i + 1));
                if let Some(k) = &a.key {
                    keys.insert(k.clone(), format!("id-{k}"));
                }
            }
        }
        let colours: Vec<_> = scenario
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Alert(a) if a.signal_type == "台风" && !a.title.contains("31631") => {
                    Some(a.colour)
                }
                _ => None,
            })
            .collect();
        use crate::model::Colour::*;
        assert_eq!(colours, [Blue, Yellow, Orange, Red, Red]);
    }
}
