//! The demo data files under `demo/`, embedded in the binary and parsed on demand.
//! Their shapes are defined here; what is built from them lives in `seed` and
//! `simulator`.

use crate::model::{Colour, DutyRole, Grade, MsgType};
use anyhow::Context;
use serde::Deserialize;
use serde::de::DeserializeOwned;

const CITY: &str = include_str!("demo/city.toml");
const EXPERTS: &str = include_str!("demo/experts.toml");
const NAMES: &str = include_str!("demo/names.toml");
const ROSTER: &str = include_str!("demo/roster.toml");
const ALERTS: &str = include_str!("demo/alerts.toml");
const INCIDENTS: &str = include_str!("demo/incidents.toml");
const SCENARIO: &str = include_str!("demo/scenario.toml");

fn parse<T: DeserializeOwned>(name: &str, text: &str) -> anyhow::Result<T> {
    toml::from_str(text).with_context(|| format!("embedded demo data src/server/demo/{name}"))
}

#[derive(Debug, Deserialize)]
pub struct City {
    pub districts: Vec<String>,
}

pub fn city() -> anyhow::Result<City> {
    parse("city.toml", CITY)
}

#[derive(Debug, Deserialize)]
pub struct ExpertPool {
    pub domains: Vec<DomainData>,
    pub groups: Vec<GroupData>,
}

#[derive(Debug, Deserialize)]
pub struct DomainData {
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct GroupData {
    pub name: String,
    pub domain: String,
    pub size: usize,
    pub specialties: Vec<String>,
    pub titles: Vec<String>,
    pub organisations: Vec<String>,
}

pub fn expert_pool() -> anyhow::Result<ExpertPool> {
    parse("experts.toml", EXPERTS)
}

#[derive(Debug, Deserialize)]
pub struct Names {
    pub surnames: Vec<String>,
    pub given: Vec<String>,
    #[serde(default)]
    pub fixed: Vec<FixedName>,
}

#[derive(Debug, Deserialize)]
pub struct FixedName {
    pub group: String,
    pub slot: usize,
    pub name: String,
}

pub fn names() -> anyhow::Result<Names> {
    parse("names.toml", NAMES)
}

#[derive(Debug, Deserialize)]
pub struct Roster {
    pub timezone: String,
    /// Local wall-clock time of the daily handover, "HH:MM".
    pub handover: String,
    pub days_before: i64,
    pub days_after: i64,
    pub seats: Vec<Seat>,
}

#[derive(Debug, Deserialize)]
pub struct Seat {
    pub role: DutyRole,
    pub count: usize,
    pub people: Vec<Person>,
}

#[derive(Debug, Deserialize)]
pub struct Person {
    pub name: String,
    pub phone: String,
}

pub fn roster() -> anyhow::Result<Roster> {
    parse("roster.toml", ROSTER)
}

#[derive(Debug, Deserialize)]
pub struct AlertSeeds {
    pub alerts: Vec<AlertSeed>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AlertSeed {
    pub key: String,
    pub source: String,
    pub signal_type: String,
    pub colour: Colour,
    #[serde(default)]
    pub msg_type: MsgType,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub status: Option<String>,
    pub title: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub instruction: String,
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub certainty: Option<String>,
    pub hours_ago: f64,
    #[serde(default)]
    pub expires_after_hours: Option<f64>,
    #[serde(default)]
    pub ack: Option<AckSeed>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AckSeed {
    pub officer: String,
    #[serde(default)]
    pub note: String,
    pub minutes_after: i64,
}

pub fn alerts() -> anyhow::Result<AlertSeeds> {
    parse("alerts.toml", ALERTS)
}

#[derive(Debug, Deserialize)]
pub struct IncidentSeeds {
    pub incidents: Vec<IncidentSeed>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct IncidentSeed {
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub category: String,
    pub grade: Grade,
    #[serde(default)]
    pub district: String,
    pub opened_minutes_ago: i64,
    #[serde(default)]
    pub closed: bool,
    pub timeline: Vec<EntrySeed>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EntrySeed {
    pub after: i64,
    pub kind: String,
    pub author: String,
    pub text: String,
    #[serde(default)]
    pub leader: Option<String>,
    #[serde(default)]
    pub assignee: Option<String>,
}

pub fn incidents() -> anyhow::Result<IncidentSeeds> {
    parse("incidents.toml", INCIDENTS)
}

#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    pub first_delay_secs: u64,
    pub interval_secs: Vec<u64>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Step {
    Alert(AlertStep),
    Incident(IncidentStep),
    Timeline(TimelineStep),
    Close(CloseStep),
}

#[derive(Debug, Clone, Deserialize)]
pub struct AlertStep {
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub msg_type: MsgType,
    #[serde(default)]
    pub references: Vec<String>,
    pub source: String,
    pub signal_type: String,
    pub colour: Colour,
    pub title: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub instruction: String,
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub certainty: Option<String>,
    #[serde(default)]
    pub expires_after_minutes: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct IncidentStep {
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub category: String,
    pub grade: Grade,
    #[serde(default)]
    pub district: String,
    /// The first timeline entry (接报).
    pub author: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TimelineStep {
    pub incident: String,
    pub kind: String,
    pub author: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CloseStep {
    pub incident: String,
}

/// Parses the scenario and checks that every step names only keys of earlier steps.
pub fn scenario() -> anyhow::Result<Scenario> {
    let scenario: Scenario = parse("scenario.toml", SCENARIO)?;
    if scenario.steps.is_empty() || scenario.interval_secs.is_empty() {
        anyhow::bail!("src/server/demo/scenario.toml: needs at least one step and one interval");
    }
    let mut alert_keys: Vec<&str> = Vec::new();
    let mut incident_keys: Vec<&str> = Vec::new();
    for (i, step) in scenario.steps.iter().enumerate() {
        let n = i + 1;
        match step {
            Step::Alert(a) => {
                for r in &a.references {
                    if !alert_keys.contains(&r.as_str()) {
                        anyhow::bail!(
                            "src/server/demo/scenario.toml step {n}: reference {r:?} is not the key of an earlier alert step"
                        );
                    }
                }
                if a.msg_type != MsgType::Alert && a.references.is_empty() {
                    anyhow::bail!(
                        "src/server/demo/scenario.toml step {n}: an update or cancel needs references"
                    );
                }
                alert_keys.extend(a.key.as_deref());
            }
            Step::Incident(inc) => incident_keys.push(&inc.key),
            Step::Timeline(TimelineStep { incident, .. }) | Step::Close(CloseStep { incident }) => {
                if !incident_keys.contains(&incident.as_str()) {
                    anyhow::bail!(
                        "src/server/demo/scenario.toml step {n}: incident {incident:?} is not the key of an earlier incident step"
                    );
                }
            }
        }
    }
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_parses() {
        city().unwrap();
        expert_pool().unwrap();
        names().unwrap();
        roster().unwrap();
        alerts().unwrap();
        incidents().unwrap();
        scenario().unwrap();
    }

    #[test]
    fn roster_seats_match_the_duty_room() {
        let r = roster().unwrap();
        let seats: Vec<(DutyRole, usize)> = r.seats.iter().map(|s| (s.role, s.count)).collect();
        assert_eq!(
            seats,
            [
                (DutyRole::Leader, 1),
                (DutyRole::Chief, 1),
                (DutyRole::Officer, 2),
                (DutyRole::Standby, 1)
            ]
        );
        for seat in &r.seats {
            assert!(
                seat.people.len() >= seat.count * 2,
                "{:?} pool too small",
                seat.role
            );
            for p in &seat.people {
                assert!(p.phone.starts_with("100-0000-"), "{}", p.phone);
            }
        }
    }
}
