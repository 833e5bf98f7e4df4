//! Domain types shared by the console, the reference backend and the wire format.
//! Plain data: no I/O here.

pub mod alert;
pub mod expert;
pub mod handover;
pub mod incident;
pub mod instruction;
pub mod levels;
pub mod rare;
pub mod roster;
pub mod text;
pub mod texts;
pub mod word;

pub use alert::{Ack, Alert, Area, Circle, Extra, Geocode, Link, MsgType, Shapes, Silence};
pub use expert::{Domain, Expert, ExpertDirectory, Group, GroupRole};
pub use handover::{Handover, HandoverReport};
pub use incident::{Incident, IncidentPage, IncidentStatus, TimelineEntry, sort_timeline};
pub use levels::{Colour, Grade, Level};
pub use roster::{DutyRole, Shift};
pub use texts::Texts;
pub use word::Word;

use serde::{Deserialize, Serialize};

/// A page of a list endpoint: `{"items": [...], "next_cursor": ...}`, with `"more": true`
/// when the answer stopped at its count or size limit and a next page follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(default)]
    pub next_cursor: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub more: bool,
}

/// One change pushed on `GET /api/v1/events` (and stored so a client can resume).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
// Each value is built once and moved through a channel; boxing would add an
// allocation per event and save nothing.
#[allow(clippy::large_enum_variant)]
pub enum DutyEvent {
    Alert(Alert),
    Incident(Incident),
    Timeline(TimelineEntry),
    Shift(Shift),
    Handover(Handover),
}

impl DutyEvent {
    /// The SSE `event:` name for this change.
    pub fn name(&self) -> &'static str {
        match self {
            DutyEvent::Alert(_) => "alert",
            DutyEvent::Incident(_) => "incident",
            DutyEvent::Timeline(_) => "timeline",
            DutyEvent::Shift(_) => "shift",
            DutyEvent::Handover(_) => "handover",
        }
    }
}

/// `GET /api/v1/me`: who the presented token is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// `personal` (one person's), `seat` (a shared seat's: writes name the person typed
    /// at it), `bootstrap` (the server's own admin tokens) or `viewer`.
    pub kind: String,
    /// `viewer`, `officer`, `chief`, `leader` or `admin`.
    pub role: String,
    /// The person a personal token belongs to; the actor of every write made with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The seat's name, for a seat's token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
    /// The token's id (never the token).
    pub token_id: String,
}

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub time: jiff::Timestamp,
    /// The backend holds the fictional demo data set (`watchroom serve --demo-data`):
    /// consoles say DEMO. Absent from older servers: false.
    #[serde(default)]
    pub demo: bool,
    /// The office the backend serves, once `watchroom admin org` has set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<Office>,
}

/// The office a backend serves (`watchroom admin org`, `GET /api/v1/org`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    /// E.g. 测试市应急管理局.
    pub name: String,
    /// IANA time zone of the office, e.g. Asia/Shanghai.
    pub zone: String,
    /// Local wall-clock time of the daily shift handover, `HH:MM`.
    pub handover: String,
}

/// Error body of every non-2xx answer: `{"error": "...", "field": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
