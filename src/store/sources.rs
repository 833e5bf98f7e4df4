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

impl Store {
    /// Replace the saved state of `cached.source`.
    pub fn save_source(&mut self, cached: &CachedSource) -> anyhow::Result<()> {
        let body = serde_json::to_string(cached).context("cannot encode a source's state")?;
        self.conn
            .execute(
                "INSERT INTO source_state (source, location, saved_ms, body) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(source) DO UPDATE SET location = ?2, saved_ms = ?3, body = ?4",
                params![cached.source, cached.location, ms(cached.saved_at), body],
            )
            .with_context(|| format!("{}: saving source {:?}", self.path.display(), cached.source))?;
        Ok(())
    }

    /// The saved state of `source` if it came from `location`. A row that cannot be read
    /// (written by another version, damaged) is an error naming the source.
    pub fn load_source(
        &self,
        source: &str,
        location: &str,
    ) -> anyhow::Result<Option<CachedSource>> {
        let row: Option<(String, i64, String)> = self
            .conn
            .query_row(
                "SELECT location, saved_ms, body FROM source_state WHERE source = ?1",
                [source],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .with_context(|| format!("{}: reading source {source:?}", self.path.display()))?;
        let Some((saved_location, saved_ms, body)) = row else {
            return Ok(None);
        };
        if saved_location != location {
            return Ok(None);
        }
        let mut cached: CachedSource = serde_json::from_str(&body).with_context(|| {
            format!(
                "{}: the saved state of source {source:?} is unreadable",
                self.path.display()
            )
        })?;
        cached.saved_at = from_ms(saved_ms);
        // `origin` is not serialised: it is the row's own source.
        for a in &mut cached.alerts {
            a.origin = source.to_owned();
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
