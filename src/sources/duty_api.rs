//! The duty API as a source: a snapshot, then the live event stream, falling back to
//! polling while the stream is down, with backoff on failure.

use super::backoff::Backoff;
use super::sse::{SseItem, SseParser};
use super::{SourceEvent, SourceUpdate};
use crate::client::{ClientError, ClosedIncidents, DutyClient, cursor_after, transport_message};
use crate::model::{Alert, Incident, TimelineEntry};
use futures::StreamExt;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;

/// A stream that has delivered nothing whole (no event, not even a keep-alive) for this
/// long is presumed dead; a server dripping single bytes does not count as alive.
pub const STREAM_SILENCE: Duration = Duration::from_secs(45);
const ROSTER_REFRESH: Duration = Duration::from_secs(600);
/// Closed incidents the snapshot brings besides the open ones: a shift's worth and more,
/// for the handover review; older ones are history, fetched only when asked.
const RECENT_CLOSED: SignedDuration = SignedDuration::from_hours(24);

pub struct DutyApiSource {
    pub name: String,
    pub client: DutyClient,
    pub poll: Duration,
    pub tx: mpsc::Sender<SourceUpdate>,
    /// False when the expert pool comes from a file instead.
    pub fetch_experts: bool,
    /// See `STREAM_SILENCE`; shorter in tests.
    pub silence: Duration,
}

/// Why the stream loop stopped.
enum StreamEnd {
    /// The app is gone; stop the task.
    Closed,
    Failed(String),
}

/// Where the source has got to. The two cursors differ on purpose: the stream's advances
/// only on event ids actually received, so a resumed stream replays everything after it
/// (incident and timeline changes included); polling only moves the alerts cursor.
struct Cursors {
    stream: u64,
    alerts: u64,
    /// Incident changes polled up to here.
    incidents: u64,
    /// Alerts delivered by polling while the stream was down, with their seq: the resumed
    /// stream replays those changes, and each must reach the app once only.
    polled: HashMap<String, u64>,
}

impl DutyApiSource {
    async fn send(&self, event: SourceEvent) -> bool {
        self.tx
            .send(SourceUpdate {
                source: self.name.clone(),
                at: Timestamp::now(),
                event,
            })
            .await
            .is_ok()
    }

    pub async fn run(self) {
        let mut backoff = Backoff::default();
        let cursor = loop {
            match self.snapshot().await {
                Ok(Some(cursor)) => break cursor,
                Ok(None) => return,
                Err(e) => {
                    if !self.send(SourceEvent::Failed { reason: e }).await {
                        return;
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(backoff.next_delay()) => {}
                        _ = self.tx.closed() => return,
                    }
                }
            }
        };
        self.follow(cursor).await;
    }

    /// Fetch everything once. Ok(None) means the app has gone away.
    async fn snapshot(&self) -> Result<Option<u64>, String> {
        if !self.server_info().await {
            return Ok(None);
        }
        let alerts = self.client.alerts(None).await.map_err(reason)?;
        let now = Timestamp::now();
        let (incidents, _) = self
            .client
            .incidents(0, ClosedIncidents::After(now - RECENT_CLOSED))
            .await
            .map_err(reason)?;
        let shifts = self
            .client
            .roster(
                now - SignedDuration::from_hours(24),
                now + SignedDuration::from_hours(48),
            )
            .await
            .map_err(reason)?;
        let cursor = cursor_of(alerts.next_cursor.as_deref(), &alerts.items);
        let ok = self
            .send(SourceEvent::Snapshot {
                alerts: alerts.items,
                incidents,
                shifts: shifts.items,
            })
            .await;
        if !ok {
            return Ok(None);
        }
        // Handover records matter only to the handover view: a failure is a warning.
        let handovers = match self.client.handovers(20).await {
            Ok(list) => SourceEvent::Handovers(list),
            Err(e) => SourceEvent::Warning {
                text: format!("handovers: {e}"),
            },
        };
        if !self.send(handovers).await {
            return Ok(None);
        }
        if !self.fetch_experts {
            return Ok(Some(cursor));
        }
        // The pool is not needed for the watch screen: a failure here only leaves the
        // expert lookup on its offline copy.
        let experts = match self.client.experts().await {
            Ok(dir) => SourceEvent::Experts(dir),
            Err(e) => SourceEvent::Warning {
                text: format!("experts: {e}"),
            },
        };
        Ok(self.send(experts).await.then_some(cursor))
    }

    /// Stream events; while the stream is down, poll and retry it with backoff.
    async fn follow(&self, cursor: u64) {
        let mut cursors = Cursors {
            stream: cursor,
            alerts: cursor,
            incidents: cursor,
            polled: HashMap::new(),
        };
        let mut backoff = Backoff::default();
        let mut roster_due = tokio::time::Instant::now() + ROSTER_REFRESH;
        loop {
            match self
                .stream(&mut cursors, &mut backoff, &mut roster_due)
                .await
            {
                StreamEnd::Closed => return,
                StreamEnd::Failed(why) => {
                    if !self.send(SourceEvent::Failed { reason: why }).await {
                        return;
                    }
                }
            }
            cursors.alerts = cursors.alerts.max(cursors.stream);
            // Poll through the backoff window so the screen keeps up while the stream is down.
            let retry_at = tokio::time::Instant::now() + backoff.next_delay();
            loop {
                match self.poll_once(&mut cursors).await {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(e) => {
                        if !self.send(SourceEvent::Failed { reason: e }).await {
                            return;
                        }
                    }
                }
                let now = tokio::time::Instant::now();
                if now >= retry_at {
                    break;
                }
                tokio::select! {
                    _ = tokio::time::sleep(self.poll.min(retry_at - now)) => {}
                    _ = self.tx.closed() => return,
                }
            }
        }
    }

    async fn stream(
        &self,
        cursors: &mut Cursors,
        backoff: &mut Backoff,
        roster_due: &mut tokio::time::Instant,
    ) -> StreamEnd {
        let resp = match self.client.events(Some(cursors.stream)).await {
            Ok(r) => r,
            Err(e) => return StreamEnd::Failed(format!("event stream: {e}")),
        };
        if !self.send(SourceEvent::Alive { live: true }).await {
            return StreamEnd::Closed;
        }
        let mut body = resp.bytes_stream();
        let mut parser = SseParser::default();
        let mut deadline = tokio::time::Instant::now() + self.silence;
        loop {
            if tokio::time::Instant::now() >= *roster_due {
                *roster_due = tokio::time::Instant::now() + ROSTER_REFRESH;
                if !self.refresh_roster().await {
                    return StreamEnd::Closed;
                }
            }
            let chunk = match tokio::time::timeout_at(deadline, body.next()).await {
                Err(_) => {
                    return StreamEnd::Failed(format!(
                        "{}: event stream silent for {} s (no event or keep-alive)",
                        self.client.url("/api/v1/events"),
                        self.silence.as_secs()
                    ));
                }
                Ok(None) => {
                    return StreamEnd::Failed(format!(
                        "{}: event stream closed by the server",
                        self.client.url("/api/v1/events")
                    ));
                }
                Ok(Some(Err(e))) => {
                    return StreamEnd::Failed(format!(
                        "{}: event stream: {}",
                        self.client.url("/api/v1/events"),
                        transport_message(&e)
                    ));
                }
                Ok(Some(Ok(c))) => c,
            };
            for item in parser.feed(&chunk) {
                // Something whole arrived: the stream is alive and working.
                deadline = tokio::time::Instant::now() + self.silence;
                backoff.reset();
                let event = match item {
                    SseItem::Comment => SourceEvent::Alive { live: true },
                    SseItem::Dropped { id, event } => {
                        match self.refetch_dropped(cursors, id.as_deref(), &event).await {
                            Ok(true) => continue,
                            Ok(false) => return StreamEnd::Closed,
                            Err(why) => return StreamEnd::Failed(why),
                        }
                    }
                    SseItem::Event(ev) => {
                        if let Some(id) = ev.id.as_deref().and_then(|i| i.parse::<u64>().ok()) {
                            cursors.stream = cursors.stream.max(id);
                        }
                        match self.refresh_for(&ev.event).await {
                            Some(true) => continue,
                            Some(false) => return StreamEnd::Closed,
                            None => {}
                        }
                        let decoded = decode_event(&ev.event, &ev.data);
                        // Already delivered by a poll while the stream was down?
                        let repeat = matches!(&decoded, Some(Ok(SourceEvent::Alert(a)))
                            if cursors.polled.get(a.id.as_str()).is_some_and(|s| *s >= a.seq));
                        let stream_at = cursors.stream;
                        cursors.polled.retain(|_, seq| *seq > stream_at);
                        match decoded {
                            _ if repeat => continue,
                            Some(Ok(e)) => e,
                            Some(Err(why)) => SourceEvent::Failed {
                                reason: format!(
                                    "bad {} event {}: {why}",
                                    crate::model::text::truncate(
                                        &crate::model::text::sanitize(&ev.event),
                                        40
                                    ),
                                    crate::model::text::truncate(
                                        &crate::model::text::sanitize(&ev.id.unwrap_or_default()),
                                        40
                                    )
                                ),
                            },
                            None => continue,
                        }
                    }
                };
                if !self.send(event).await {
                    return StreamEnd::Closed;
                }
            }
        }
    }

    /// An event too large to read was dropped: say so, then fetch what changed from before
    /// it through the bounded list endpoints, and go on after it. Ok(false): the app has
    /// gone away.
    async fn refetch_dropped(
        &self,
        cursors: &mut Cursors,
        id: Option<&str>,
        kind: &str,
    ) -> Result<bool, String> {
        let text = format!(
            "{}: a {} event ({}) was too large to read; its changes are fetched again",
            self.client.url("/api/v1/events"),
            crate::model::text::truncate(&crate::model::text::sanitize(kind), 40),
            crate::model::text::truncate(&crate::model::text::sanitize(id.unwrap_or("no id")), 40),
        );
        if !self.send(SourceEvent::Warning { text }).await {
            return Ok(false);
        }
        cursors.alerts = cursors.alerts.max(cursors.stream);
        cursors.incidents = cursors.incidents.max(cursors.stream);
        if !self.poll_once(cursors).await? {
            return Ok(false);
        }
        if let Some(seq) = id.and_then(|i| i.parse::<u64>().ok()) {
            cursors.stream = cursors.stream.max(seq);
        }
        Ok(self.send(SourceEvent::Alive { live: true }).await)
    }

    /// One polling round. Ok(false) means the app has gone away.
    async fn poll_once(&self, cursors: &mut Cursors) -> Result<bool, String> {
        let alerts = self
            .client
            .alerts(Some(cursors.alerts))
            .await
            .map_err(reason)?;
        let (incidents, incidents_at) = self
            .client
            .incidents(cursors.incidents, ClosedIncidents::All)
            .await
            .map_err(reason)?;
        cursors.incidents = incidents_at.max(cursors.incidents);
        cursors.alerts =
            cursor_of(alerts.next_cursor.as_deref(), &alerts.items).max(cursors.alerts);
        for a in alerts.items {
            if a.seq > cursors.stream {
                cursors.polled.insert(a.id.to_string(), a.seq);
            }
            if !self.send(SourceEvent::Alert(a)).await {
                return Ok(false);
            }
        }
        for i in incidents {
            if !self.send(SourceEvent::Incident(i)).await {
                return Ok(false);
            }
        }
        Ok(self.send(SourceEvent::Alive { live: false }).await)
    }

    /// Health says whether the backend holds demo data and which office it serves. A
    /// server too old to say, or one not answering, leaves the console as it was: the
    /// data requests that follow report a failure.
    async fn server_info(&self) -> bool {
        let told = match self.client.health().await {
            Ok(h) => self.send(SourceEvent::Server(h)).await,
            Err(_) => true,
        };
        // A server too old to say who the token is answers 404: the console then asks.
        match self.client.me().await {
            Ok(me) if told => self.send(SourceEvent::Identity(me)).await,
            _ => told,
        }
    }

    /// An event saying that data the console holds whole changed (an import, a swap,
    /// the office): fetch it anew. Ok(None) for kinds that are no such notice.
    async fn refresh_for(&self, kind: &str) -> Option<bool> {
        match kind {
            "experts" if self.fetch_experts => {
                let event = match self.client.experts().await {
                    Ok(dir) => SourceEvent::Experts(dir),
                    Err(e) => SourceEvent::Warning {
                        text: format!("experts: {e}"),
                    },
                };
                Some(self.send(event).await)
            }
            "experts" => Some(true),
            "roster" | "shift" => Some(self.refresh_roster().await),
            "org" => Some(self.server_info().await),
            _ => None,
        }
    }

    async fn refresh_roster(&self) -> bool {
        let now = Timestamp::now();
        let event = match self
            .client
            .roster(
                now - SignedDuration::from_hours(24),
                now + SignedDuration::from_hours(48),
            )
            .await
        {
            Ok(page) => SourceEvent::Shifts(page.items),
            Err(e) => SourceEvent::Failed { reason: reason(e) },
        };
        self.send(event).await
    }
}

fn reason(e: ClientError) -> String {
    e.to_string()
}

/// The resume point: the server's cursor if it gave a number, else the highest seq seen.
fn cursor_of(next: Option<&str>, alerts: &[Alert]) -> u64 {
    cursor_after(next, alerts.iter().map(|a| a.seq))
}

/// Decode one SSE event of the duty API; None for kinds this console does not use.
pub fn decode_event(kind: &str, data: &str) -> Option<Result<SourceEvent, String>> {
    fn parse<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, String> {
        serde_json::from_str(data).map_err(|e| e.to_string())
    }
    Some(match kind {
        "alert" => parse::<Alert>(data).map(SourceEvent::Alert),
        "incident" => parse::<Incident>(data).map(SourceEvent::Incident),
        "timeline" => parse::<TimelineEntry>(data).map(SourceEvent::Timeline),
        "handover" => parse::<crate::model::Handover>(data).map(SourceEvent::Handover),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_event_reports_bad_json_and_skips_unknown_kinds() {
        assert!(decode_event("shift", "{}").is_none());
        let err = decode_event("alert", "{\"id\": 1}").unwrap().unwrap_err();
        assert!(err.contains("invalid type"), "{err}");
    }

    #[test]
    fn cursor_prefers_the_highest_known_point() {
        assert_eq!(cursor_of(Some("12"), &[]), 12);
        assert_eq!(cursor_of(Some("junk"), &[]), 0);
    }
}
