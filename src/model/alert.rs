//! A warning or alert as the duty API carries it (CAP-shaped, snake_case).

use super::levels::{Colour, Level};
use compact_str::CompactString;
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

/// A silence with accountability: who, why, from when and until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Silence {
    pub officer: String,
    pub reason: String,
    pub from: Timestamp,
    pub until: Timestamp,
}

impl Silence {
    pub fn active(&self, now: Timestamp) -> bool {
        self.from <= now && now < self.until
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: CompactString,
    /// Which department or feed it came from (气象台, 地震局, duty_api …).
    pub source: CompactString,
    /// 台风, 暴雨, 地质灾害, 发热哨点 …: colour sets differ by signal, so keep both.
    pub signal_type: CompactString,
    pub colour: Colour,
    pub level: Level,
    /// CAP severity word (Minor … Extreme).
    #[serde(default)]
    pub severity: CompactString,
    #[serde(default)]
    pub urgency: CompactString,
    #[serde(default)]
    pub certainty: CompactString,
    /// CAP status: actual, exercise, test …
    #[serde(default = "default_status")]
    pub status: CompactString,
    #[serde(default)]
    pub msg_type: MsgType,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub instruction: String,
    #[serde(default)]
    pub area: CompactString,
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
    /// Set when a later Cancel names this alert: it leaves the wall but stays in history,
    /// shown as cancelled. (An Update sets `superseded_by` instead.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_by: Option<String>,
    /// When the originating system declared the condition over (Alertmanager `resolved`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Timestamp>,
    /// When the hazard is expected to begin (CAP `onset`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset: Option<Timestamp>,
    /// Who issued it: CAP `sender` (an address), kept apart from the display name in `source`.
    #[serde(default, skip_serializing_if = "CompactString::is_empty")]
    pub sender: CompactString,
    /// CAP `headline`; `title` falls back to the event name when a feed has none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub headline: String,
    /// Web pages and resources the alert points at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The areas in detail; `area` keeps their one-line description.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<Area>,
    #[serde(default)]
    pub ack: Option<Box<Ack>>,
    /// Bell, flashing and notifications held off until `until`, by whom and why.
    /// Silencing is not acknowledging: the alert stays on the wall.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silence: Option<Box<Silence>>,
    /// The backend's change cursor for this record (monotonic across the API).
    #[serde(default)]
    pub seq: u64,
    /// Which configured source of the console this came from; never on the wire.
    #[serde(skip)]
    pub origin: CompactString,
}

/// A web page or resource an alert points at (CAP `web`, `resource`, a feed's link).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// `web`, `resource`, `alternate`, `generator` …
    pub rel: String,
    pub href: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mime: String,
}

/// One CAP `<area>`: description, shapes (WGS 84 latitude, longitude) and geocodes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Area {
    #[serde(default)]
    pub description: String,
    /// Closed rings of `[lat, lon]` points.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub polygons: Vec<Vec<[f64; 2]>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub circles: Vec<Circle>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub geocodes: Vec<Geocode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Circle {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
}

/// A named code for an area (SAME, UGC, FIPS6, EMMA_ID, a GB/T 2260 district code …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geocode {
    pub name: String,
    pub value: String,
}

fn default_status() -> CompactString {
    CompactString::const_new("actual")
}

impl Alert {
    /// In force: not superseded, cancelled or resolved, not a cancellation, not expired at `now`.
    pub fn in_force(&self, now: Timestamp) -> bool {
        self.superseded_by.is_none()
            && self.cancelled_by.is_none()
            && self.resolved_at.is_none_or(|r| r > now)
            && self.msg_type != MsgType::Cancel
            && self.expires.is_none_or(|e| e > now)
    }
}

impl Alert {
    /// Strip control characters and escapes from every text field (see `text::sanitize`):
    /// the one place that knows which fields of an alert came from outside.
    pub fn sanitize(&mut self) {
        use super::text::sanitize_in_place as sanitize;
        for s in [
            &mut self.id,
            &mut self.source,
            &mut self.signal_type,
            &mut self.area,
            &mut self.severity,
            &mut self.urgency,
            &mut self.certainty,
            &mut self.status,
            &mut self.sender,
        ] {
            sanitize(s);
        }
        for s in [
            &mut self.title,
            &mut self.description,
            &mut self.instruction,
            &mut self.headline,
        ] {
            sanitize(s);
        }
        for r in &mut self.references {
            sanitize(r);
        }
        for l in &mut self.links {
            for s in [&mut l.rel, &mut l.href, &mut l.title, &mut l.mime] {
                sanitize(s);
            }
        }
        for area in &mut self.areas {
            sanitize(&mut area.description);
            for g in &mut area.geocodes {
                sanitize(&mut g.name);
                sanitize(&mut g.value);
            }
        }
        if let Some(ack) = &mut self.ack {
            sanitize(&mut ack.officer);
            sanitize(&mut ack.note);
        }
    }

    /// Red and orange alerts nobody has acknowledged yet: they lead the wall and flash.
    pub fn needs_ack(&self) -> bool {
        self.ack.is_none() && self.colour >= Colour::Orange && self.cancelled_by.is_none()
    }
}

/// Unacknowledged red/orange first, then most severe, then newest; the id breaks ties so
/// the order is total.
pub fn watch_order(a: &Alert, b: &Alert) -> std::cmp::Ordering {
    watch_key(a).cmp(&watch_key(b))
}

/// `watch_order` as a key that sorts ascending: for sorting many alerts, where computing
/// the key once per alert is much cheaper than once per comparison.
pub type WatchKey<'a> = (
    bool,
    std::cmp::Reverse<Level>,
    std::cmp::Reverse<Timestamp>,
    &'a str,
);

pub fn watch_key(a: &Alert) -> WatchKey<'_> {
    use std::cmp::Reverse;
    (
        !a.needs_ack(),
        Reverse(a.level),
        Reverse(a.sent),
        a.id.as_str(),
    )
}
