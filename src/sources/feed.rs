//! A configured feed (CAP, NWS, USGS, Alertmanager, iCal) as a source: one task per
//! feed, polling at its interval, with a conditional GET, a size cap, and backoff.
//!
//! Each successful read is a `Snapshot` (it replaces what the feed said before), then
//! `Alive { live: false }`; new warnings are sent once as `Warning`; a failed read is
//! `Failed` with the URL and the reason, retried after a jittered 1, 2, 4 … 30 s
//! (never later than the feed's own interval).

use super::backoff::Backoff;
use super::{SourceEvent, SourceUpdate};
use crate::feeds::FeedConfig;
use crate::feeds::read::{ReadState, http_client, read_once};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::time::Duration;
use tokio::sync::mpsc;

pub struct FeedSource {
    pub config: FeedConfig,
    /// The zone floating roster times are read in (the console's zone).
    pub zone: TimeZone,
    pub tx: mpsc::Sender<SourceUpdate>,
}

impl FeedSource {
    async fn send(&self, event: SourceEvent) -> bool {
        self.tx
            .send(SourceUpdate {
                source: self.config.name.clone(),
                at: Timestamp::now(),
                event,
            })
            .await
            .is_ok()
    }

    pub async fn run(self) {
        let http = match http_client(&self.config) {
            Ok(h) => h,
            Err(reason) => {
                self.send(SourceEvent::Failed { reason }).await;
                return;
            }
        };
        let interval = Duration::from_secs(self.config.interval_seconds.max(1));
        let mut state = ReadState::default();
        let mut backoff = Backoff::default();
        let mut last_warnings: Vec<String> = Vec::new();
        loop {
            let wait = match read_once(
                &http,
                &self.config,
                &mut state,
                Timestamp::now(),
                &self.zone,
            )
            .await
            {
                Ok(parsed) => {
                    backoff.reset();
                    let snapshot = SourceEvent::Snapshot {
                        alerts: parsed.alerts,
                        incidents: Vec::new(),
                        shifts: parsed.shifts,
                    };
                    if !self.send(snapshot).await {
                        return;
                    }
                    // The same warning every minute would be noise: report changes only.
                    if parsed.warnings != last_warnings {
                        for text in parsed
                            .warnings
                            .iter()
                            .filter(|w| !last_warnings.contains(w))
                        {
                            if !self.send(SourceEvent::Warning { text: text.clone() }).await {
                                return;
                            }
                        }
                        last_warnings = parsed.warnings;
                    }
                    if !self.send(SourceEvent::Alive { live: false }).await {
                        return;
                    }
                    interval
                }
                Err(reason) => {
                    if !self.send(SourceEvent::Failed { reason }).await {
                        return;
                    }
                    backoff.next_delay().min(interval)
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.tx.closed() => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::FeedKind;

    #[tokio::test]
    async fn a_local_file_gives_a_snapshot_then_alive_and_a_missing_one_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quake.json");
        std::fs::write(
            &path,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"x1","properties":{"mag":6.1,"time":0,"title":"M 6.1 - 测试"}}]}"#,
        )
        .unwrap();
        let (tx, mut rx) = mpsc::channel(16);
        let src = FeedSource {
            config: FeedConfig::new("地震", FeedKind::Usgs, &path.display().to_string()),
            zone: TimeZone::UTC,
            tx,
        };
        let task = tokio::spawn(src.run());
        let first = rx.recv().await.unwrap();
        assert_eq!(first.source, "地震");
        match first.event {
            SourceEvent::Snapshot { alerts, .. } => assert_eq!(alerts[0].title(), "M 6.1 - 测试"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            rx.recv().await.unwrap().event,
            SourceEvent::Alive { live: false }
        );
        drop(rx);
        task.await.unwrap();

        let (tx, mut rx) = mpsc::channel(16);
        let missing = dir.path().join("nope.ics").display().to_string();
        let src = FeedSource {
            config: FeedConfig::new("排班", FeedKind::Ical, &missing),
            zone: TimeZone::UTC,
            tx,
        };
        let task = tokio::spawn(src.run());
        match rx.recv().await.unwrap().event {
            SourceEvent::Failed { reason } => assert!(reason.starts_with(&missing), "{reason}"),
            other => panic!("{other:?}"),
        }
        drop(rx);
        task.await.unwrap();
    }
}
