//! Incidents (突发事件) and their minute-stamped timelines.

use super::levels::Grade;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IncidentStatus {
    #[default]
    Open,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    /// 燃气爆炸, 道路积水, 危化品泄漏 …
    #[serde(default)]
    pub category: String,
    pub grade: Grade,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub status: IncidentStatus,
    pub opened_at: Timestamp,
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// The timeline, oldest first. List endpoints include it so one request fills a screen.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    #[serde(default)]
    pub seq: u64,
    /// Which configured source of the console this came from; never on the wire.
    #[serde(skip)]
    pub origin: String,
}

/// `GET /api/v1/incidents`: a page of incidents with their timelines. An incident named in
/// `timeline_cut` came with only the oldest of its entries (by seq); the rest follow from
/// its timeline endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentPage {
    pub items: Vec<Incident>,
    #[serde(default)]
    pub next_cursor: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub more: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline_cut: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub incident_id: String,
    pub at: Timestamp,
    pub author: String,
    /// 接报, 核实, 批示, 处置, 初报, 续报, 终报, 记录 …
    pub kind: String,
    pub text: String,
    /// A leader instruction (批示): who gave it and who carries it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// A follow-up (督办) or closing (办结) entry names the instruction it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// A correction (更正) names the entry it corrects; that entry stays as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<String>,
    /// The shared seat whose token wrote the entry (`author` is the person typed there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
    #[serde(default)]
    pub seq: u64,
}

/// Open before closed, then higher grade, then most recently changed.
pub fn watch_order(a: &Incident, b: &Incident) -> std::cmp::Ordering {
    let last = |i: &Incident| i.updated_at.unwrap_or(i.opened_at);
    (a.status == IncidentStatus::Closed)
        .cmp(&(b.status == IncidentStatus::Closed))
        .then_with(|| b.grade.cmp(&a.grade))
        .then_with(|| last(b).cmp(&last(a)))
        .then_with(|| a.id.cmp(&b.id))
}

/// The order a timeline is shown, kept and sent in: by when it happened, then by seq (an
/// entry may be recorded after a later one happened).
pub fn sort_timeline(entries: &mut [TimelineEntry]) {
    entries.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.seq.cmp(&b.seq)));
}
