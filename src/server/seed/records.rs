//! Demo alerts and incidents, replayed in time order through the same store operations
//! the API uses, so their seqs, supersession marks and stored events are all genuine.

use crate::model::{Alert, Extra, IncidentStatus, MsgType, Texts};
use crate::server::data::{self, AlertSeed, IncidentSeed};
use crate::server::error::ApiResult;
use crate::server::store::{Changes, alerts, incidents};
use crate::server::validate::{AckInput, IncidentPatch, NewAlert, NewEntry, NewIncident};
use jiff::{SignedDuration, Timestamp};

pub enum Action {
    Alert(Box<NewAlert>),
    Ack { id: String, input: AckInput },
    Incident(NewIncident),
    Entry { incident: String, entry: NewEntry },
    Close { incident: String },
}

pub struct Planned {
    at: Timestamp,
    action: Action,
}

fn alert_id(key: &str) -> String {
    format!("demo-{key}")
}

fn minutes(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

fn hours(h: f64) -> SignedDuration {
    minutes((h * 60.0).round() as i64)
}

/// Everything to seed, in the order it happened.
pub fn plan(now: Timestamp) -> anyhow::Result<Vec<Planned>> {
    // Whole minutes make the seeded times read naturally on the screen.
    let base = Timestamp::from_second(now.as_second() - now.as_second().rem_euclid(60))?;
    let mut planned = Vec::new();
    let seeds = data::alerts()?.alerts;
    for seed in &seeds {
        check_alert(seed, &seeds)?;
        let sent = base - hours(seed.hours_ago);
        planned.push(Planned {
            at: sent,
            action: Action::Alert(Box::new(NewAlert {
                alert: alert(seed, sent),
                idempotency_key: None,
            })),
        });
        if let Some(ack) = &seed.ack {
            planned.push(Planned {
                at: (sent + minutes(ack.minutes_after)).min(base),
                action: Action::Ack {
                    id: alert_id(&seed.key),
                    input: AckInput {
                        officer: Some(ack.officer.clone()),
                        seat: None,
                        note: ack.note.clone(),
                        idempotency_key: None,
                    },
                },
            });
        }
    }
    for seed in data::incidents()?.incidents {
        plan_incident(&seed, base, &mut planned)?;
    }
    // Stable: an incident's entries with the same minute keep their file order.
    planned.sort_by_key(|p| p.at);
    Ok(planned)
}

fn check_alert(seed: &AlertSeed, all: &[AlertSeed]) -> anyhow::Result<()> {
    for r in &seed.references {
        let earlier = all
            .iter()
            .find(|a| &a.key == r)
            .filter(|a| a.hours_ago > seed.hours_ago);
        if earlier.is_none() {
            anyhow::bail!(
                "src/server/demo/alerts.toml {}: reference {r:?} is not an earlier alert",
                seed.key
            );
        }
    }
    if seed.msg_type != MsgType::Alert && seed.references.is_empty() {
        anyhow::bail!(
            "src/server/demo/alerts.toml {}: an update or cancel needs references",
            seed.key
        );
    }
    Ok(())
}

fn alert(seed: &AlertSeed, sent: Timestamp) -> Alert {
    Alert {
        origin: Default::default(),
        id: alert_id(&seed.key).into(),
        source: seed.source.clone().into(),
        signal_type: seed.signal_type.clone().into(),
        colour: seed.colour,
        level: seed.colour.level(),
        severity: seed.colour.cap_severity().into(),
        urgency: (seed.urgency.clone().unwrap_or_else(|| "Unknown".to_owned())).into(),
        certainty: (seed
            .certainty
            .clone()
            .unwrap_or_else(|| "Unknown".to_owned()))
        .into(),
        status: (seed.status.clone().unwrap_or_else(|| "actual".to_owned())).into(),
        msg_type: seed.msg_type,
        texts: Texts::new(&seed.title, &seed.description),
        area: seed.area.clone().into(),
        sent,
        expires: seed.expires_after_hours.map(|h| sent + hours(h)),
        extra: Extra {
            instruction: seed.instruction.clone(),
            references: seed.references.iter().map(|r| alert_id(r)).collect(),
            effective: Some(sent),
            ..Extra::default()
        }
        .into(),
        sender: Default::default(),
        ack: None,
        silence: None,
        seq: 0,
    }
}

fn plan_incident(
    seed: &IncidentSeed,
    base: Timestamp,
    planned: &mut Vec<Planned>,
) -> anyhow::Result<()> {
    let id = format!("demo-{}", seed.key);
    let opened = base - minutes(seed.opened_minutes_ago);
    if seed.timeline.is_empty() {
        anyhow::bail!(
            "src/server/demo/incidents.toml {}: needs a timeline",
            seed.key
        );
    }
    planned.push(Planned {
        at: opened,
        action: Action::Incident(NewIncident {
            id: Some(id.clone()),
            title: seed.title.clone(),
            category: seed.category.clone(),
            grade: seed.grade,
            district: seed.district.clone(),
            opened_at: Some(opened),
            idempotency_key: None,
        }),
    });
    let mut last = opened;
    for e in &seed.timeline {
        if e.after < 0 || e.after > seed.opened_minutes_ago {
            anyhow::bail!(
                "src/server/demo/incidents.toml {}: entry {:?} at +{} min lies outside the incident's past",
                seed.key,
                e.kind,
                e.after
            );
        }
        let at = opened + minutes(e.after);
        last = last.max(at);
        planned.push(Planned {
            at,
            action: Action::Entry {
                incident: id.clone(),
                entry: NewEntry {
                    author: Some(e.author.clone()),
                    seat: None,
                    kind: e.kind.clone(),
                    text: e.text.clone(),
                    at: Some(at),
                    leader: e.leader.clone(),
                    assignee: e.assignee.clone(),
                    refers_to: None,
                    corrects: None,
                    idempotency_key: None,
                },
            },
        });
    }
    if seed.closed {
        planned.push(Planned {
            at: last,
            action: Action::Close { incident: id },
        });
    }
    Ok(())
}

pub fn apply(ch: &mut Changes<'_>, plan: Vec<Planned>) -> ApiResult<()> {
    for Planned { at, action } in plan {
        match action {
            Action::Alert(new) => {
                alerts::create(ch, *new, at)?;
            }
            Action::Ack { id, input } => {
                alerts::ack(ch, &id, &input, at)?;
            }
            Action::Incident(new) => {
                incidents::create(ch, new, at)?;
            }
            Action::Entry { incident, entry } => {
                incidents::add_entry(ch, &incident, entry, at)?;
            }
            Action::Close { incident } => {
                let close = IncidentPatch {
                    status: Some(IncidentStatus::Closed),
                    ..IncidentPatch::default()
                };
                incidents::patch(ch, &incident, close, at)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_is_consistent_and_in_the_past() {
        let now: Timestamp = "2026-11-29T03:12:45+08:00".parse().unwrap();
        let plan = plan(now).unwrap();
        assert!(plan.iter().all(|p| p.at <= now));
        assert!(plan.windows(2).all(|w| w[0].at <= w[1].at));
        let alerts = plan
            .iter()
            .filter(|p| matches!(p.action, Action::Alert(_)))
            .count();
        assert!(alerts >= 30);
    }
}
