//! The last state of each source: what the console shows at start, before (or instead of)
//! fresh data from the network.

use super::head::{self, HEAD_ROWS, Head, HeadRef, WallFigures, Wanted};
use super::{Store, from_ms, ms};
use crate::model::{Alert, Incident, Shift};
use anyhow::Context;
use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One source's data as it was when saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedSource {
    /// The configured source name (`duty_api`, a `[[source]]` name).
    pub source: String,
    /// Where it came from (the server URL, the feed URL or file): a cache from another
    /// server is not shown as this one's.
    pub location: String,
    pub saved_at: Timestamp,
    pub alerts: Vec<Alert>,
    /// With their timelines.
    pub incidents: Vec<Incident>,
    pub shifts: Vec<Shift>,
}

/// One source's state encoded for the store, built from references to the console's
/// state: saving a large wall does not first copy it.
#[derive(Debug)]
pub struct EncodedSource {
    pub source: String,
    pub location: String,
    pub saved_at: Timestamp,
    /// `CachedSource` as JSON.
    pub body: Chunks,
    /// `head::Head` as JSON, for a source with more than `HEAD_ROWS` alerts.
    pub head: Option<Vec<u8>>,
}

/// Bytes written in pieces of `CHUNK`: a body of tens of megabytes is never one buffer
/// grown by doubling (whose copies and spare capacity the allocator keeps as RSS).
#[derive(Debug, Default)]
pub struct Chunks {
    pieces: Vec<Vec<u8>>,
    len: usize,
}

const CHUNK: usize = 1 << 20;

impl Chunks {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn pieces(&self) -> impl Iterator<Item = &[u8]> {
        self.pieces.iter().map(Vec::as_slice)
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.pieces.concat()
    }
}

impl std::io::Write for Chunks {
    fn write(&mut self, mut buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len();
        while !buf.is_empty() {
            let piece = match self.pieces.last_mut() {
                Some(p) if p.len() < CHUNK => p,
                _ => {
                    self.pieces.push(Vec::with_capacity(CHUNK));
                    self.pieces.last_mut().expect("just pushed")
                }
            };
            let take = buf.len().min(CHUNK - piece.len());
            piece.extend_from_slice(&buf[..take]);
            buf = &buf[take..];
        }
        self.len += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What `CachedSource` serialises, borrowed.
#[derive(Serialize)]
struct CachedSourceRef<'a> {
    source: &'a str,
    location: &'a str,
    saved_at: Timestamp,
    alerts: &'a [&'a Alert],
    incidents: &'a [&'a Incident],
    shifts: &'a [&'a Shift],
}

/// What the store read for a source at start.
#[derive(Debug, Clone, PartialEq)]
pub enum Start {
    /// All of it (a small source, or a row saved without a head).
    Whole(CachedSource),
    /// The head only: `cached.alerts` are the first rows of the wall and the messages
    /// that cancelled them; `figures` describe the whole wall. The rest is read with
    /// `read_alerts`.
    Head {
        cached: CachedSource,
        figures: WallFigures,
        /// How many alerts the whole body holds.
        whole_alerts: usize,
    },
}

impl EncodedSource {
    /// Encode the given parts of one source's state. `wall` is the source's rows in wall
    /// order at `now`: with more than `HEAD_ROWS` alerts, a head is cut from it.
    #[allow(clippy::too_many_arguments)]
    pub fn new<'a>(
        source: &str,
        location: &str,
        saved_at: Timestamp,
        alerts: impl Iterator<Item = &'a Alert>,
        incidents: impl Iterator<Item = &'a Incident>,
        shifts: impl Iterator<Item = &'a Shift>,
        wall: Option<(&[&'a Alert], Timestamp)>,
    ) -> anyhow::Result<EncodedSource> {
        let alerts: Vec<&Alert> = alerts.collect();
        let incidents: Vec<&Incident> = incidents.collect();
        let shifts: Vec<&Shift> = shifts.collect();
        let head = match wall {
            Some((wall, now)) if alerts.len() > HEAD_ROWS => {
                let (figures, head) = head::cut(wall, &alerts, now, HEAD_ROWS);
                let r = HeadRef {
                    figures,
                    whole_alerts: alerts.len(),
                    alerts: head,
                    incidents: incidents.clone(),
                    shifts: shifts.clone(),
                };
                Some(
                    serde_json::to_vec(&r)
                        .with_context(|| format!("cannot encode the head of source {source:?}"))?,
                )
            }
            _ => None,
        };
        let r = CachedSourceRef {
            source,
            location,
            saved_at,
            alerts: &alerts,
            incidents: &incidents,
            shifts: &shifts,
        };
        let mut body = Chunks::default();
        serde_json::to_writer(&mut body, &r)
            .with_context(|| format!("cannot encode the state of source {source:?}"))?;
        Ok(EncodedSource {
            source: source.to_owned(),
            location: location.to_owned(),
            saved_at,
            body,
            head,
        })
    }

    /// Encode a cached source whole (no head).
    pub fn of(cached: &CachedSource) -> anyhow::Result<EncodedSource> {
        EncodedSource::new(
            &cached.source,
            &cached.location,
            cached.saved_at,
            cached.alerts.iter(),
            cached.incidents.iter(),
            cached.shifts.iter(),
            None,
        )
    }
}

impl Store {
    /// Replace the saved state of `cached.source`.
    pub fn save_source(&mut self, cached: &CachedSource) -> anyhow::Result<()> {
        self.save_encoded(&EncodedSource::of(cached)?)
    }

    /// Replace the saved state of `encoded.source`, body and head in one transaction. The
    /// body is written into the row in pieces (a zero-filled value of its length, then
    /// incremental blob I/O): binding it as one value would have SQLite copy all of it,
    /// twice, while it builds the row.
    pub fn save_encoded(&mut self, encoded: &EncodedSource) -> anyhow::Result<()> {
        let name = &encoded.source;
        let path = self.path.display().to_string();
        let tx = self
            .conn
            .transaction()
            .with_context(|| format!("{path}: saving source {name:?}"))?;
        tx.execute(
            "INSERT INTO source_state (source, location, saved_ms, body)
             VALUES (?1, ?2, ?3, zeroblob(?4))
             ON CONFLICT(source) DO UPDATE SET location = ?2, saved_ms = ?3, body = zeroblob(?4)",
            params![
                name,
                encoded.location,
                ms(encoded.saved_at),
                encoded.body.len() as i64
            ],
        )
        .and_then(|_| {
            tx.query_row(
                "SELECT rowid FROM source_state WHERE source = ?1",
                [name],
                |r| r.get::<_, i64>(0),
            )
        })
        .and_then(|rowid| {
            let mut blob = tx.blob_open(rusqlite::MAIN_DB, "source_state", "body", rowid, false)?;
            let mut at = 0;
            for piece in encoded.body.pieces() {
                blob.write_all_at(piece, at)?;
                at += piece.len();
            }
            Ok(())
        })
        .and_then(|()| match &encoded.head {
            Some(head) => tx.execute(
                "INSERT OR REPLACE INTO source_head (source, head) VALUES (?1, ?2)",
                params![name, head],
            ),
            None => tx.execute("DELETE FROM source_head WHERE source = ?1", [name]),
        })
        .and_then(|_| tx.commit())
        .with_context(|| format!("{path}: saving source {name:?}"))?;
        Ok(())
    }

    /// The row of `source` if it came from `location`: (saved_ms, rowid).
    fn row_of(&self, source: &str, location: &str) -> anyhow::Result<Option<(i64, i64)>> {
        let path = self.path.display();
        let row: Option<(String, i64, i64)> = self
            .conn
            .query_row(
                "SELECT location, saved_ms, rowid FROM source_state WHERE source = ?1",
                [source],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .with_context(|| format!("{path}: reading source {source:?}"))?;
        Ok(row
            .filter(|(saved, _, _)| saved == location)
            .map(|(_, saved_ms, rowid)| (saved_ms, rowid)))
    }

    /// The saved state of `source` if it came from `location`. A row that cannot be read
    /// (written by another version, damaged) is an error naming the source.
    pub fn load_source(
        &self,
        source: &str,
        location: &str,
    ) -> anyhow::Result<Option<CachedSource>> {
        let path = self.path.display();
        let Some((saved_ms, rowid)) = self.row_of(source, location)? else {
            return Ok(None);
        };
        // Read once into one buffer (a text value read through a query would be held by
        // SQLite and copied again into a String).
        let body = self
            .conn
            .blob_open(rusqlite::MAIN_DB, "source_state", "body", rowid, true)
            .and_then(|blob| {
                let mut body = vec![0; blob.len()];
                blob.read_at_exact(&mut body, 0)?;
                Ok(body)
            })
            .with_context(|| format!("{path}: reading source {source:?}"))?;
        let mut cached: CachedSource = serde_json::from_slice(&body).with_context(|| {
            format!("{path}: the saved state of source {source:?} is unreadable")
        })?;
        drop(body);
        cached.saved_at = from_ms(saved_ms);
        set_origin(&mut cached);
        Ok(Some(cached))
    }

    /// What to show first of `source` (if it came from `location`): its head when it has
    /// one that holds at `now`, else all of it.
    pub fn load_start(
        &self,
        source: &str,
        location: &str,
        now: Timestamp,
    ) -> anyhow::Result<Option<Start>> {
        let Some((saved_ms, _)) = self.row_of(source, location)? else {
            return Ok(None);
        };
        let path = self.path.display();
        let head: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT head FROM source_head WHERE source = ?1",
                [source],
                |r| r.get(0),
            )
            .optional()
            .with_context(|| format!("{path}: reading the head of source {source:?}"))?;
        // An unreadable head costs only time: the whole body is read instead.
        let head = head.and_then(|h| serde_json::from_slice::<Head>(&h).ok());
        let Some(head) = head.filter(|h| h.figures.at(now).is_some()) else {
            return Ok(self.load_source(source, location)?.map(Start::Whole));
        };
        let mut cached = CachedSource {
            source: source.to_owned(),
            location: location.to_owned(),
            saved_at: from_ms(saved_ms),
            alerts: head.alerts,
            incidents: head.incidents,
            shifts: head.shifts,
        };
        set_origin(&mut cached);
        Ok(Some(Start::Head {
            cached,
            figures: head.figures,
            whole_alerts: head.whole_alerts,
        }))
    }
}

/// `origin` is not serialised: it is the row's own source.
fn set_origin(cached: &mut CachedSource) {
    let source = cached.source.as_str();
    for a in &mut cached.alerts {
        a.origin = source.into();
    }
    for i in &mut cached.incidents {
        i.origin = source.to_owned();
    }
    for s in &mut cached.shifts {
        s.origin = source.to_owned();
    }
}

/// Every alert saved for `source` in the store at `path`, read on a connection of its own
/// (the console's connection stays free for the outbox) and decoded as it is read, without
/// holding the body as well; for the rest of a source shown from its head. `expect` (the
/// count the head gives) sizes the list once, with room for what joins it when it is taken
/// in, rather than growing it by doubling. Stops with an error once `wanted` is given up.
pub fn read_alerts(
    path: &Path,
    source: &str,
    expect: usize,
    wanted: &Wanted,
) -> anyhow::Result<Vec<Alert>> {
    let shown = path.display();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open the local store {shown}"))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let rowid: i64 = conn
        .query_row(
            "SELECT rowid FROM source_state WHERE source = ?1",
            [source],
            |r| r.get(0),
        )
        .with_context(|| format!("{shown}: reading source {source:?}"))?;
    let blob = conn
        .blob_open(rusqlite::MAIN_DB, "source_state", "body", rowid, true)
        .with_context(|| format!("{shown}: reading source {source:?}"))?;
    // No saved alert is shorter than this: a damaged count cannot ask for more room than
    // the body could fill.
    let expect = expect.min(blob.len() / 64);
    let read = std::io::BufReader::with_capacity(1 << 16, WhileWanted { blob, wanted });
    let mut de = serde_json::Deserializer::from_reader(read);
    let capacity = expect + expect / 64 + 64;
    let mut alerts = serde::de::DeserializeSeed::deserialize(AlertsOf(capacity), &mut de)
        .and_then(|a| de.end().map(|()| a))
        .with_context(|| {
            if wanted.is_wanted() {
                format!("{shown}: the saved state of source {source:?} is unreadable")
            } else {
                format!("{shown}: source {source:?} came fresh before its cache was read")
            }
        })?;
    for a in &mut alerts {
        a.origin = source.into();
    }
    Ok(alerts)
}

/// The body, until the rest is no longer wanted.
struct WhileWanted<'a, R> {
    blob: R,
    wanted: &'a Wanted,
}

impl<R: std::io::Read> std::io::Read for WhileWanted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.wanted.is_wanted() {
            return Err(std::io::Error::other("no longer wanted"));
        }
        self.blob.read(buf)
    }
}

/// The `alerts` of a saved `CachedSource` (every other field skipped), into a list of
/// this capacity.
struct AlertsOf(usize);

impl<'de> serde::de::DeserializeSeed<'de> for AlertsOf {
    type Value = Vec<Alert>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Vec<Alert>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for AlertsOf {
    type Value = Vec<Alert>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a saved source")
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Vec<Alert>, M::Error> {
        let mut alerts = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "alerts" {
                alerts = Some(map.next_value_seed(ListOf(self.0))?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        alerts.ok_or_else(|| serde::de::Error::missing_field("alerts"))
    }
}

struct ListOf(usize);

impl<'de> serde::de::DeserializeSeed<'de> for ListOf {
    type Value = Vec<Alert>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Vec<Alert>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ListOf {
    type Value = Vec<Alert>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of alerts")
    }

    fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<Alert>, S::Error> {
        let mut alerts = Vec::with_capacity(self.0);
        while let Some(a) = seq.next_element()? {
            alerts.push(a);
        }
        Ok(alerts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Colour, Grade, IncidentStatus, TimelineEntry};

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn sample(saved: &str) -> CachedSource {
        let alert: Alert = serde_json::from_value(serde_json::json!({
            "id": "a-1", "source": "测试市气象台", "signal_type": "台风", "colour": "red",
            "level": "I", "severity": "Extreme", "urgency": "Immediate", "certainty": "Likely",
            "status": "actual", "title": "台风红色预警信号", "description": "", "instruction": "",
            "area": "全市", "sent": "2026-11-29T01:00:00Z", "references": []
        }))
        .unwrap();
        assert_eq!(alert.colour, Colour::Red);
        let incident = Incident {
            id: "i-1".into(),
            title: "南山区某小区燃气泄漏".into(),
            category: "燃气".into(),
            grade: Grade::III,
            district: "南山区".into(),
            status: IncidentStatus::Open,
            opened_at: at("2026-11-29T01:00:00Z"),
            updated_at: None,
            timeline: vec![TimelineEntry {
                corrects: None,
                seat: None,
                id: "e-1".into(),
                incident_id: "i-1".into(),
                at: at("2026-11-29T01:05:00Z"),
                author: "张某伟".into(),
                kind: "接报".into(),
                text: "110转来".into(),
                leader: None,
                assignee: None,
                refers_to: None,
                idempotency_key: None,
                seq: 3,
            }],
            seq: 3,
            origin: String::new(),
        };
        CachedSource {
            source: "duty_api".into(),
            location: "http://127.0.0.1:1".into(),
            saved_at: at(saved),
            alerts: vec![alert],
            incidents: vec![incident],
            shifts: Vec::new(),
        }
    }

    #[test]
    fn a_source_round_trips_with_its_timelines_and_origin() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("console.db");
        let now = at("2026-11-29T03:00:00Z");
        let mut store = Store::open(&path, now).unwrap();
        assert_eq!(
            store.load_source("duty_api", "http://127.0.0.1:1").unwrap(),
            None
        );
        store.save_source(&sample("2026-11-29T02:48:00Z")).unwrap();
        drop(store);

        let store = Store::open(&path, now).unwrap();
        let back = store
            .load_source("duty_api", "http://127.0.0.1:1")
            .unwrap()
            .unwrap();
        assert_eq!(back.saved_at, at("2026-11-29T02:48:00Z"));
        assert_eq!(back.alerts[0].title(), "台风红色预警信号");
        assert_eq!(back.alerts[0].origin, "duty_api");
        assert_eq!(back.incidents[0].timeline[0].text, "110转来");
        assert_eq!(back.incidents[0].origin, "duty_api");
    }

    #[test]
    fn a_later_save_replaces_and_another_server_sees_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let now = at("2026-11-29T03:00:00Z");
        let mut store = Store::open(&dir.path().join("console.db"), now).unwrap();
        store.save_source(&sample("2026-11-29T02:00:00Z")).unwrap();
        let mut later = sample("2026-11-29T02:30:00Z");
        later.alerts.clear();
        store.save_source(&later).unwrap();
        let back = store
            .load_source("duty_api", "http://127.0.0.1:1")
            .unwrap()
            .unwrap();
        assert!(back.alerts.is_empty());
        assert_eq!(back.saved_at, at("2026-11-29T02:30:00Z"));
        assert_eq!(
            store
                .load_source("duty_api", "https://other.example")
                .unwrap(),
            None
        );
    }

    #[test]
    fn a_row_saved_as_text_by_an_earlier_version_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("console.db");
        let now = at("2026-11-29T03:00:00Z");
        let store = Store::open(&path, now).unwrap();
        let body = serde_json::to_string(&sample("2026-11-29T02:48:00Z")).unwrap();
        store
            .conn
            .execute(
                "INSERT INTO source_state (source, location, saved_ms, body) VALUES (?1, ?2, ?3, ?4)",
                params!["duty_api", "http://127.0.0.1:1", ms(at("2026-11-29T02:48:00Z")), body],
            )
            .unwrap();
        let back = store
            .load_source("duty_api", "http://127.0.0.1:1")
            .unwrap()
            .unwrap();
        assert_eq!(back.alerts[0].title(), "台风红色预警信号");
        assert_eq!(back.incidents[0].timeline[0].text, "110转来");
    }

    #[test]
    fn a_damaged_row_is_an_error_naming_the_source() {
        let dir = tempfile::tempdir().unwrap();
        let now = at("2026-11-29T03:00:00Z");
        let mut store = Store::open(&dir.path().join("console.db"), now).unwrap();
        store.save_source(&sample("2026-11-29T02:48:00Z")).unwrap();
        store
            .conn
            .execute("UPDATE source_state SET body = '{\"alerts\": 1'", [])
            .unwrap();
        let err = format!(
            "{:#}",
            store
                .load_source("duty_api", "http://127.0.0.1:1")
                .unwrap_err()
        );
        assert!(
            err.contains("console.db") && err.contains("\"duty_api\""),
            "{err}"
        );
    }

    #[test]
    fn state_older_than_the_retention_is_dropped_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("console.db");
        let mut store = Store::open(&path, at("2026-10-01T00:00:00Z")).unwrap();
        store.save_source(&sample("2026-10-01T00:00:00Z")).unwrap();
        drop(store);
        let store = Store::open(&path, at("2026-11-29T00:00:00Z")).unwrap();
        assert_eq!(
            store.load_source("duty_api", "http://127.0.0.1:1").unwrap(),
            None
        );
    }

    #[test]
    fn a_store_from_before_heads_is_read_whole_and_brought_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("console.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE source_state (source TEXT PRIMARY KEY, location TEXT NOT NULL,
                 saved_ms INTEGER NOT NULL, body TEXT NOT NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
        let body = serde_json::to_string(&sample("2026-11-29T02:48:00Z")).unwrap();
        conn.execute(
            "INSERT INTO source_state (source, location, saved_ms, body) VALUES (?1, ?2, ?3, ?4)",
            params![
                "duty_api",
                "http://127.0.0.1:1",
                ms(at("2026-11-29T02:48:00Z")),
                body
            ],
        )
        .unwrap();
        drop(conn);
        let now = at("2026-11-29T03:00:00Z");
        let store = Store::open(&path, now).unwrap();
        let Some(Start::Whole(back)) = store
            .load_start("duty_api", "http://127.0.0.1:1", now)
            .unwrap()
        else {
            panic!("a row without a head is read whole");
        };
        assert_eq!(back.alerts[0].title(), "台风红色预警信号");
        assert_eq!(back.alerts[0].origin, "duty_api");
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 2);
    }

    /// `n` alerts of one source, and the store it is saved in with a head cut at `saved`.
    fn big(n: usize, saved: Timestamp) -> (tempfile::TempDir, Store) {
        let one = sample("2026-11-29T02:48:00Z").alerts.remove(0);
        let alerts: Vec<Alert> = (0..n)
            .map(|i| {
                let mut a = one.clone();
                a.id = format!("a-{i:04}").into();
                a
            })
            .collect();
        let wall: Vec<&Alert> = alerts.iter().collect();
        let encoded = EncodedSource::new(
            "监测",
            "/srv/feed.json",
            saved,
            alerts.iter(),
            std::iter::empty(),
            std::iter::empty(),
            Some((&wall, saved)),
        )
        .unwrap();
        assert!(encoded.head.is_some());
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("console.db"), saved).unwrap();
        store.save_encoded(&encoded).unwrap();
        (dir, store)
    }

    #[test]
    fn a_head_is_read_first_unless_the_clock_is_before_it_and_the_body_stays_whole() {
        let saved = at("2026-11-29T03:00:00Z");
        let (dir, store) = big(HEAD_ROWS + 100, saved);
        let later = at("2026-11-29T04:00:00Z");
        let Some(Start::Head {
            cached,
            figures,
            whole_alerts,
        }) = store.load_start("监测", "/srv/feed.json", later).unwrap()
        else {
            panic!("a head");
        };
        assert_eq!(cached.alerts.len(), HEAD_ROWS);
        assert_eq!(cached.alerts[0].origin, "监测");
        assert_eq!(
            figures.at(later),
            Some((HEAD_ROWS + 100, [0, 0, 0, HEAD_ROWS + 100]))
        );
        let before = at("2026-11-29T02:00:00Z");
        assert!(matches!(
            store.load_start("监测", "/srv/feed.json", before).unwrap(),
            Some(Start::Whole(_))
        ));
        assert_eq!(whole_alerts, HEAD_ROWS + 100);
        let wanted = Wanted::new();
        let path = dir.path().join("console.db");
        let all = read_alerts(&path, "监测", whole_alerts, &wanted).unwrap();
        assert_eq!(all.len(), HEAD_ROWS + 100);
        assert_eq!(all[HEAD_ROWS + 99].origin, "监测");
        wanted.give_up();
        let err = read_alerts(&path, "监测", whole_alerts, &wanted).unwrap_err();
        assert!(format!("{err:#}").contains("came fresh"), "{err:#}");
    }

    #[test]
    fn a_body_written_in_pieces_reads_back_as_one() {
        let mut chunks = Chunks::default();
        let text: Vec<u8> = (0..(3 * CHUNK + 17)).map(|i| (i % 251) as u8).collect();
        std::io::Write::write_all(&mut chunks, &text[..5]).unwrap();
        std::io::Write::write_all(&mut chunks, &text[5..]).unwrap();
        assert_eq!(chunks.len(), text.len());
        assert!(chunks.pieces().all(|p| p.len() <= CHUNK));
        assert_eq!(chunks.to_vec(), text);
    }
}
