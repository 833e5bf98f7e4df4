//! A warning or alert as the duty API carries it (CAP-shaped, snake_case).

use super::levels::{Colour, Level};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// CAP `msgType`: a new alert, an update of earlier ones, or their cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MsgType {
    #[default]
    Alert,
    Update,
    Cancel,
}

/// Who acknowledged an alert, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    pub officer: String,
    #[serde(default)]
    pub note: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: String,
    /// Which department or feed it came from (气象台, 地震局, duty_api …).
    pub source: String,
    /// 台风, 暴雨, 地质灾害, 发热哨点 …: colour sets differ by signal, so keep both.
    pub signal_type: String,
    pub colour: Colour,
    pub level: Level,
    /// CAP severity word (Minor … Extreme).
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub certainty: String,
    /// CAP status: actual, exercise, test …
    #[serde(default = "default_status")]
    pub status: String,
    #[serde(default)]
    pub msg_type: MsgType,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub instruction: String,
    #[serde(default)]
    pub area: String,
    pub sent: Timestamp,
    #[serde(default)]
    pub effective: Option<Timestamp>,
    #[serde(default)]
    pub expires: Option<Timestamp>,
    /// Ids of the alerts this one updates or cancels.
    #[serde(default)]
    pub references: Vec<String>,
    /// Set by the backend when a later Update/Cancel names this alert.
    #[serde(default)]
    pub superseded_by: Option<String>,
    #[serde(default)]
    pub ack: Option<Ack>,
    /// The backend's change cursor for this record (monotonic across the API).
    #[serde(default)]
    pub seq: u64,
    /// Which configured source of the console this came from; never on the wire.
    #[serde(skip)]
    pub origin: String,
}

fn default_status() -> String {
    "actual".to_owned()
}

impl Alert {
    /// In force: not superseded, not a cancellation, not expired at `now`.
    pub fn in_force(&self, now: Timestamp) -> bool {
        self.superseded_by.is_none()
            && self.msg_type != MsgType::Cancel
            && self.expires.is_none_or(|e| e > now)
    }
}

/// Most severe first, then newest first; the id breaks ties so the order is total.
pub fn watch_order(a: &Alert, b: &Alert) -> std::cmp::Ordering {
    b.level
        .cmp(&a.level)
        .then_with(|| b.sent.cmp(&a.sent))
        .then_with(|| a.id.cmp(&b.id))
}
