//! The last state of each source: what the console shows at start, before (or instead of)
//! fresh data from the network.

use super::{Store, from_ms, ms};
use crate::model::{Alert, Incident, Shift};
use anyhow::Context;
use jiff::Timestamp;
use rusqlite::params;
use serde::{Deserialize, Serialize};

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
    pub body: Vec<u8>,
}

/// What `CachedSource` serialises, borrowed.
#[derive(Serialize)]
struct CachedSourceRef<'a> {
    source: &'a str,
    location: &'a str,
    saved_at: Timestamp,
    alerts: Vec<&'a Alert>,
    incidents: Vec<&'a Incident>,
    shifts: Vec<&'a Shift>,
}

impl EncodedSource {
    /// Encode the given parts of one source's state.
    pub fn new<'a>(
        source: &str,
        location: &str,
        saved_at: Timestamp,
        alerts: impl Iterator<Item = &'a Alert>,
        incidents: impl Iterator<Item = &'a Incident>,
        shifts: impl Iterator<Item = &'a Shift>,
    ) -> anyhow::Result<EncodedSource> {
        let r = CachedSourceRef {
            source,
            location,
            saved_at,
            alerts: alerts.collect(),
            incidents: incidents.collect(),
            shifts: shifts.collect(),
        };
        let body = serde_json::to_vec(&r)
            .with_context(|| format!("cannot encode the state of source {source:?}"))?;
        Ok(EncodedSource {
            source: source.to_owned(),
            location: location.to_owned(),
            saved_at,
            body,
        })
    }

    pub fn of(cached: &CachedSource) -> anyhow::Result<EncodedSource> {
        EncodedSource::new(
            &cached.source,
            &cached.location,
            cached.saved_at,
            cached.alerts.iter(),
            cached.incidents.iter(),
            cached.shifts.iter(),
        )
    }
}

impl Store {
    /// Replace the saved state of `cached.source`.
    pub fn save_source(&mut self, cached: &CachedSource) -> anyhow::Result<()> {
        self.save_encoded(&EncodedSource::of(cached)?)
    }

    /// Replace the saved state of `encoded.source`. The body is written into the row in
    /// pieces (a zero-filled value of its length, then incremental blob I/O): binding it
    /// as one value would have SQLite copy all of it, twice, while it builds the row.
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
            blob.write_all_at(&encoded.body, 0)
        })
        .and_then(|()| tx.commit())
        .with_context(|| format!("{path}: saving source {name:?}"))?;
        Ok(())
    }

    /// The saved state of `source` if it came from `location`. A row that cannot be read
    /// (written by another version, damaged) is an error naming the source.
    pub fn load_source(
        &self,
        source: &str,
        location: &str,
    ) -> anyhow::Result<Option<CachedSource>> {
        let path = self.path.display();
        let row: Option<(String, i64, i64)> = self
            .conn
            .query_row(
                "SELECT location, saved_ms, rowid FROM source_state WHERE source = ?1",
                [source],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .with_context(|| format!("{path}: reading source {source:?}"))?;
        let Some((saved_location, saved_ms, rowid)) = row else {
            return Ok(None);
        };
        if saved_location != location {
            return Ok(None);
        }
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
        // `origin` is not serialised: it is the row's own source.
        for a in &mut cached.alerts {
            a.origin = source.into();
        }
        for i in &mut cached.incidents {
            i.origin = source.to_owned();
        }
        for s in &mut cached.shifts {
            s.origin = source.to_owned();
        }
        Ok(Some(cached))
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
        assert_eq!(back.alerts[0].title, "台风红色预警信号");
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
        assert_eq!(back.alerts[0].title, "台风红色预警信号");
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
}
