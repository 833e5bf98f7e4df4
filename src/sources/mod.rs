//! Feeds the console reads. Each runs as its own task and reports through `SourceUpdate`s.

pub mod backoff;
pub mod duty_api;
pub mod feed;
pub mod sse;

use crate::model::{Alert, Incident, Shift, TimelineEntry};
use jiff::Timestamp;

/// What a source reports to the app.
#[derive(Debug, Clone, PartialEq)]
// Each value is built once and moved through a channel; boxing would add an
// allocation per event and save nothing.
#[allow(clippy::large_enum_variant)]
pub enum SourceEvent {
    /// A full picture: replaces what the source reported before.
    Snapshot {
        alerts: Vec<Alert>,
        incidents: Vec<Incident>,
        shifts: Vec<Shift>,
    },
    Alert(Alert),
    Incident(Incident),
    Timeline(TimelineEntry),
    Shifts(Vec<Shift>),
    /// Handover records, newest first (sent after the snapshot).
    Handovers(Vec<crate::model::Handover>),
    /// One handover record signed or confirmed.
    Handover(crate::model::Handover),
    /// The expert pool (sent once after the snapshot; it changes rarely).
    Experts(crate::model::ExpertDirectory),
    /// What the backend says about itself (`GET /api/v1/health`): whether it holds the
    /// demo data set, and the office it serves.
    Server(crate::model::Health),
    /// Who the console's token is (`GET /api/v1/me`): a personal token's person is the
    /// officer of every action.
    Identity(crate::model::Me),
    /// The source is alive (live stream, or a successful poll).
    Alive {
        live: bool,
    },
    /// The source could not be reached or read; `reason` says why.
    Failed {
        reason: String,
    },
    /// The source was read, but something in it was off (charset, skipped entries …).
    Warning {
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceUpdate {
    /// The configured source name (e.g. `duty_api`).
    pub source: String,
    pub at: Timestamp,
    pub event: SourceEvent,
}
