//! A warning or alert as the duty API carries it (CAP-shaped, snake_case).

use super::levels::{Colour, Level};
use super::rare::{Empty, Rare};
use super::texts::Texts;
use super::word::Word;
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
    /// The shared seat (值班台) whose token made the record, when it was made at one:
    /// `officer` is then the person typed at the seat. Absent for a personal token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
}

/// A silence with accountability: who, why, from when and until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Silence {
    pub officer: String,
    pub reason: String,
    pub from: Timestamp,
    pub until: Timestamp,
    /// The shared seat (值班台) whose token made the record, when it was made at one:
    /// `officer` is then the person typed at the seat. Absent for a personal token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
}

impl Silence {
    pub fn active(&self, now: Timestamp) -> bool {
        self.from <= now && now < self.until
    }
}

/// An alert as the console holds it. The JSON form (the wire, the store) is flat, one key
/// per field (`wire::Flat`):
/// the fields most alerts leave empty live apart in `Extra`, the short repeated words are
/// shared `Word`s, so that a wall of 100,000 alerts stays small (docs/PERFORMANCE.md).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "wire::Flat")]
pub struct Alert {
    pub id: CompactString,
    /// Which department or feed it came from (气象台, 地震局, duty_api …).
    pub source: Word,
    /// 台风, 暴雨, 地质灾害, 发热哨点 …: colour sets differ by signal, so keep both.
    pub signal_type: Word,
    pub colour: Colour,
    pub level: Level,
    pub msg_type: MsgType,
    /// CAP severity word (Minor … Extreme).
    pub severity: Word,
    pub urgency: Word,
    pub certainty: Word,
    /// CAP status: actual, exercise, test …
    pub status: Word,
    /// Title and description (`title()`, `description()`).
    pub texts: Texts,
    pub area: CompactString,
    pub sent: Timestamp,
    pub expires: Option<Timestamp>,
    /// Who issued it: CAP `sender` (an address), kept apart from the display name in `source`.
    pub sender: Word,
    pub ack: Option<Box<Ack>>,
    /// Bell, flashing and notifications held off until `until`, by whom and why.
    /// Silencing is not acknowledging: the alert stays on the wall.
    pub silence: Option<Box<Silence>>,
    /// The backend's change cursor for this record (monotonic across the API).
    pub seq: u64,
    /// Which configured source of the console this came from; never on the wire.
    pub origin: Word,
    /// The fields few alerts set (`a.extra.references`, `a.extra.cancelled_by` …); writing
    /// one makes room for them.
    pub extra: Rare<Extra>,
}

/// What few alerts carry: one pointer in each alert, the fields only where set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extra {
    pub instruction: String,
    /// CAP `headline`; `title` falls back to the event name when a feed has none.
    pub headline: String,
    /// Ids of the alerts this one updates or cancels.
    pub references: Vec<String>,
    /// Set by the backend when a later Update/Cancel names this alert.
    pub superseded_by: Option<String>,
    /// Set when a later Cancel names this alert: it leaves the wall but stays in history,
    /// shown as cancelled. (An Update sets `superseded_by` instead.)
    pub cancelled_by: Option<String>,
    /// When the originating system declared the condition over (Alertmanager `resolved`).
    pub resolved_at: Option<Timestamp>,
    /// When the hazard is expected to begin (CAP `onset`).
    pub onset: Option<Timestamp>,
    /// Web pages and resources the alert points at.
    pub links: Vec<Link>,
    /// When it takes effect, if not when it was sent (CAP `effective`).
    pub effective: Option<Timestamp>,
    /// The areas in detail (CAP `area`: shapes and codes); `area` keeps their one-line
    /// description. A feed that names a place and nothing more keeps none.
    pub areas: Vec<Area>,
}

static NO_EXTRA: Extra = Extra {
    instruction: String::new(),
    headline: String::new(),
    references: Vec::new(),
    superseded_by: None,
    cancelled_by: None,
    resolved_at: None,
    onset: None,
    links: Vec::new(),
    effective: None,
    areas: Vec::new(),
};

impl Empty for Extra {
    fn empty() -> &'static Extra {
        &NO_EXTRA
    }
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
/// In JSON the shapes sit beside the description (`wire::AreaFlat`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "wire::AreaFlat")]
pub struct Area {
    pub description: CompactString,
    /// Most areas (a feed's district or instance name) have none.
    pub shapes: Rare<Shapes>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shapes {
    /// Closed rings of `[lat, lon]` points.
    pub polygons: Vec<Vec<[f64; 2]>>,
    pub circles: Vec<Circle>,
    pub geocodes: Vec<Geocode>,
}

static NO_SHAPES: Shapes = Shapes {
    polygons: Vec::new(),
    circles: Vec::new(),
    geocodes: Vec::new(),
};

impl Empty for Shapes {
    fn empty() -> &'static Shapes {
        &NO_SHAPES
    }
}

impl Serialize for Area {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        wire::AreaRef::from(self).serialize(s)
    }
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

impl Alert {
    /// In force: not superseded, cancelled or resolved, not a cancellation, not expired at `now`.
    pub fn in_force(&self, now: Timestamp) -> bool {
        self.extra.superseded_by.is_none()
            && self.extra.cancelled_by.is_none()
            && self.extra.resolved_at.is_none_or(|r| r > now)
            && self.msg_type != MsgType::Cancel
            && self.expires.is_none_or(|e| e > now)
    }

    /// The real thing: CAP status `actual` (or none given). Exercises, tests, system
    /// messages and drafts stay on the wall, marked, but never count as warnings in force:
    /// not in the tallies, the handover's warnings, or the red reminder.
    pub fn is_live(&self) -> bool {
        self.status.is_empty() || self.status.eq_ignore_ascii_case("actual")
    }
}

impl Alert {
    /// Strip control characters and escapes from every text field (see `text::sanitize`):
    /// the one place that knows which fields of an alert came from outside.
    pub fn sanitize(&mut self) {
        use super::text::sanitize_in_place as sanitize;
        for s in [&mut self.id, &mut self.area] {
            sanitize(s);
        }
        for s in [
            &mut self.source,
            &mut self.signal_type,
            &mut self.severity,
            &mut self.urgency,
            &mut self.certainty,
            &mut self.status,
            &mut self.sender,
        ] {
            sanitize(s);
        }
        self.texts.sanitize();
        if let Some(extra) = self.extra.if_held() {
            for s in [&mut extra.instruction, &mut extra.headline] {
                sanitize(s);
            }
            for r in &mut extra.references {
                sanitize(r);
            }
            for l in &mut extra.links {
                for s in [&mut l.rel, &mut l.href, &mut l.title, &mut l.mime] {
                    sanitize(s);
                }
            }
            for area in &mut extra.areas {
                sanitize(&mut area.description);
                if let Some(shapes) = area.shapes.if_held() {
                    for g in &mut shapes.geocodes {
                        sanitize(&mut g.name);
                        sanitize(&mut g.value);
                    }
                }
            }
        }
        if let Some(ack) = &mut self.ack {
            sanitize(&mut ack.officer);
            sanitize(&mut ack.note);
            if let Some(seat) = &mut ack.seat {
                sanitize(seat);
            }
        }
    }

    pub fn title(&self) -> &str {
        self.texts.title()
    }

    pub fn description(&self) -> &str {
        self.texts.description()
    }

    /// Red and orange alerts nobody has acknowledged yet: they lead the wall and flash.
    pub fn needs_ack(&self) -> bool {
        self.ack.is_none() && self.colour >= Colour::Orange && self.extra.cancelled_by.is_none()
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

impl Serialize for Alert {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        wire::FlatRef::from(self).serialize(s)
    }
}

/// The JSON form of an alert: every field at the top level, in this order, as the duty API,
/// the store and earlier versions have it.
mod wire {
    use super::{
        Ack, Alert, Area, Circle, Colour, Extra, Geocode, Level, Link, MsgType, Shapes, Silence,
        Texts, Word,
    };
    use compact_str::CompactString;
    use jiff::Timestamp;
    use serde::{Deserialize, Serialize};

    fn default_status() -> Word {
        Word::from("actual")
    }

    #[derive(Deserialize)]
    pub struct Flat {
        id: CompactString,
        source: Word,
        signal_type: Word,
        colour: Colour,
        level: Level,
        #[serde(default)]
        severity: Word,
        #[serde(default)]
        urgency: Word,
        #[serde(default)]
        certainty: Word,
        #[serde(default = "default_status")]
        status: Word,
        #[serde(default)]
        msg_type: MsgType,
        title: String,
        #[serde(default)]
        description: String,
        #[serde(default)]
        instruction: String,
        #[serde(default)]
        area: CompactString,
        sent: Timestamp,
        #[serde(default)]
        effective: Option<Timestamp>,
        #[serde(default)]
        expires: Option<Timestamp>,
        #[serde(default)]
        references: Vec<String>,
        #[serde(default)]
        superseded_by: Option<String>,
        #[serde(default)]
        cancelled_by: Option<String>,
        #[serde(default)]
        resolved_at: Option<Timestamp>,
        #[serde(default)]
        onset: Option<Timestamp>,
        #[serde(default)]
        sender: Word,
        #[serde(default)]
        headline: String,
        #[serde(default)]
        links: Vec<Link>,
        #[serde(default)]
        areas: Vec<Area>,
        #[serde(default)]
        ack: Option<Box<Ack>>,
        #[serde(default)]
        silence: Option<Box<Silence>>,
        #[serde(default)]
        seq: u64,
    }

    impl From<Flat> for Alert {
        fn from(f: Flat) -> Alert {
            Alert {
                id: f.id,
                source: f.source,
                signal_type: f.signal_type,
                colour: f.colour,
                level: f.level,
                msg_type: f.msg_type,
                severity: f.severity,
                urgency: f.urgency,
                certainty: f.certainty,
                status: f.status,
                texts: Texts::new(&f.title, &f.description),
                area: f.area,
                sent: f.sent,
                expires: f.expires,
                sender: f.sender,
                ack: f.ack,
                silence: f.silence,
                seq: f.seq,
                origin: Word::new(),
                extra: Extra {
                    instruction: f.instruction,
                    headline: f.headline,
                    references: f.references,
                    superseded_by: f.superseded_by,
                    cancelled_by: f.cancelled_by,
                    resolved_at: f.resolved_at,
                    onset: f.onset,
                    links: f.links,
                    effective: f.effective,
                    // Read without a length, a list keeps room for four: give back what
                    // is unused.
                    areas: {
                        let mut areas = f.areas;
                        areas.shrink_to_fit();
                        areas
                    },
                }
                .into(),
            }
        }
    }

    /// `Flat` borrowed from an alert, for writing it.
    #[derive(Serialize)]
    pub struct FlatRef<'a> {
        id: &'a str,
        source: &'a str,
        signal_type: &'a str,
        colour: Colour,
        level: Level,
        severity: &'a str,
        urgency: &'a str,
        certainty: &'a str,
        status: &'a str,
        msg_type: MsgType,
        title: &'a str,
        description: &'a str,
        instruction: &'a str,
        area: &'a str,
        sent: Timestamp,
        effective: Option<Timestamp>,
        expires: Option<Timestamp>,
        references: &'a [String],
        superseded_by: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        cancelled_by: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        resolved_at: Option<Timestamp>,
        #[serde(skip_serializing_if = "Option::is_none")]
        onset: Option<Timestamp>,
        #[serde(skip_serializing_if = "str::is_empty")]
        sender: &'a str,
        #[serde(skip_serializing_if = "str::is_empty")]
        headline: &'a str,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        links: &'a [Link],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        areas: &'a [Area],
        ack: Option<&'a Ack>,
        #[serde(skip_serializing_if = "Option::is_none")]
        silence: Option<&'a Silence>,
        seq: u64,
    }

    impl<'a> From<&'a Alert> for FlatRef<'a> {
        fn from(a: &'a Alert) -> FlatRef<'a> {
            let x = &*a.extra;
            FlatRef {
                id: &a.id,
                source: &a.source,
                signal_type: &a.signal_type,
                colour: a.colour,
                level: a.level,
                severity: &a.severity,
                urgency: &a.urgency,
                certainty: &a.certainty,
                status: &a.status,
                msg_type: a.msg_type,
                title: a.title(),
                description: a.description(),
                instruction: &x.instruction,
                area: &a.area,
                sent: a.sent,
                effective: a.extra.effective,
                expires: a.expires,
                references: &x.references,
                superseded_by: x.superseded_by.as_deref(),
                cancelled_by: x.cancelled_by.as_deref(),
                resolved_at: x.resolved_at,
                onset: x.onset,
                sender: &a.sender,
                headline: &x.headline,
                links: &x.links,
                areas: &a.extra.areas,
                ack: a.ack.as_deref(),
                silence: a.silence.as_deref(),
                seq: a.seq,
            }
        }
    }

    #[derive(Deserialize)]
    pub struct AreaFlat {
        #[serde(default)]
        description: CompactString,
        #[serde(default)]
        polygons: Vec<Vec<[f64; 2]>>,
        #[serde(default)]
        circles: Vec<Circle>,
        #[serde(default)]
        geocodes: Vec<Geocode>,
    }

    impl From<AreaFlat> for Area {
        fn from(f: AreaFlat) -> Area {
            Area {
                description: f.description,
                shapes: Shapes {
                    polygons: f.polygons,
                    circles: f.circles,
                    geocodes: f.geocodes,
                }
                .into(),
            }
        }
    }

    #[derive(Serialize)]
    pub struct AreaRef<'a> {
        description: &'a str,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        polygons: &'a [Vec<[f64; 2]>],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        circles: &'a [Circle],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        geocodes: &'a [Geocode],
    }

    impl<'a> From<&'a Area> for AreaRef<'a> {
        fn from(a: &'a Area) -> AreaRef<'a> {
            AreaRef {
                description: &a.description,
                polygons: &a.shapes.polygons,
                circles: &a.shapes.circles,
                geocodes: &a.shapes.geocodes,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    /// Every field set, in the order and form the duty API and the store have always used
    /// (written by the derived serialiser before `Extra` and `Word`).
    const FULL: &str = concat!(
        r#"{"id":"cap:2026-0042","source":"测试市气象台","signal_type":"暴雨","colour":"orange","level":"II","#,
        r#""severity":"Severe","urgency":"Immediate","certainty":"Likely","status":"exercise","msg_type":"update","#,
        r#""title":"暴雨橙色预警","description":"预计未来3小时降雨量将达50毫米以上","instruction":"停止户外作业","#,
        r#""area":"测试市南山区","sent":"2026-11-29T02:32:45Z","effective":"2026-11-29T02:35:00Z","#,
        r#""expires":"2026-11-29T14:32:45.5Z","references":["cap:2026-0041","cap:2026-0040"],"#,
        r#""superseded_by":"cap:2026-0043","cancelled_by":"cap:2026-0044","resolved_at":"2026-11-29T10:00:00Z","#,
        r#""onset":"2026-11-29T03:00:00Z","sender":"weather@example.test","headline":"测试市气象台发布暴雨橙色预警","#,
        r#""links":[{"rel":"web","href":"https://example.test/a","title":"详情","mime":"text/html"}],"#,
        r#""areas":[{"description":"南山区","polygons":[[[22.5,113.9],[22.6,113.9],[22.6,114.0],[22.5,113.9]]],"#,
        r#""circles":[{"lat":22.5,"lon":113.9,"radius_km":5.0}],"geocodes":[{"name":"GB/T 2260","value":"440305"}]}],"#,
        r#""ack":{"officer":"张某伟","note":"已通知","at":"2026-11-29T02:40:00Z"},"#,
        r#""silence":{"officer":"张某伟","reason":"演练","from":"2026-11-29T02:41:00Z","until":"2026-11-29T03:41:00Z"},"#,
        r#""seq":17}"#
    );

    /// Only what every alert has: the optional keys left out, the empty ones written.
    const BARE: &str = concat!(
        r#"{"id":"am:00000000000000ff","source":"alertmanager","signal_type":"PipePressure1","colour":"yellow","#,
        r#""level":"III","severity":"","urgency":"","certainty":"","status":"actual","msg_type":"alert","#,
        r#""title":"管网压力异常","description":"","instruction":"","area":"","sent":"2026-11-29T02:32:45Z","#,
        r#""effective":null,"expires":null,"references":[],"superseded_by":null,"ack":null,"seq":0}"#
    );

    #[test]
    fn a_full_alert_round_trips_to_the_same_json() {
        let a: Alert = serde_json::from_str(FULL).unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), FULL);
        assert_eq!(a.extra.cancelled_by.as_deref(), Some("cap:2026-0044"));
        assert_eq!(a.extra.references.len(), 2);
        assert_eq!(a.extra.links[0].href, "https://example.test/a");
        assert_eq!(a.status, "exercise");
        assert_eq!(a.sender, "weather@example.test");
    }

    #[test]
    fn a_bare_alert_round_trips_and_holds_no_extra() {
        let a: Alert = serde_json::from_str(BARE).unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), BARE);
        assert!(!a.extra.is_held());
        assert!(a.severity.is_empty());
    }

    #[test]
    fn missing_keys_take_their_defaults() {
        let a: Alert = serde_json::from_str(
            r#"{"id":"x","source":"s","signal_type":"t","colour":"blue","level":"IV","title":"T","sent":"2026-11-29T02:32:45Z"}"#,
        )
        .unwrap();
        assert_eq!(a.status, "actual");
        assert_eq!(a.msg_type, MsgType::Alert);
        assert!(!a.extra.is_held());
        assert_eq!(
            serde_json::from_str::<Alert>(&serde_json::to_string(&a).unwrap()).unwrap(),
            a
        );
    }

    #[test]
    fn an_extra_made_by_writing_and_emptied_again_compares_equal_to_none() {
        let mut a: Alert = serde_json::from_str(BARE).unwrap();
        let before = a.clone();
        a.extra.cancelled_by = Some("c".into());
        assert_ne!(a, before);
        a.extra.cancelled_by = None;
        assert!(a.extra.is_held());
        assert_eq!(a, before);
        assert_eq!(serde_json::to_string(&a).unwrap(), BARE);
    }

    #[test]
    fn an_alert_stays_small() {
        // 600 bytes before the short words were shared and the rare fields boxed; a
        // wall holds 100,000 of these.
        let size = std::mem::size_of::<Alert>();
        assert!(size <= 300, "Alert is {size} bytes");
    }
}
