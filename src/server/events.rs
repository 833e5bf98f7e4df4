//! Change events: the broadcast bus that live SSE streams listen to, and
//! `GET /api/v1/events`, which replays stored events after `Last-Event-ID` and then
//! follows the live ones without a gap or a duplicate.

use super::AppState;
use super::error::{ApiFailure, ApiResult};
use super::extract::ApiQuery;
use super::store::bounded::{Bounded, Budget};
use super::store::to_sql_int;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use rusqlite::{Connection, params};
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;

/// One stored change: `payload` is the JSON of the changed record itself.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub seq: u64,
    pub kind: String,
    pub payload: String,
}

impl StoredEvent {
    fn to_sse(&self) -> Event {
        Event::default()
            .id(self.seq.to_string())
            .event(&self.kind)
            .data(&self.payload)
    }
}

/// A slow client that falls this far behind the live stream catches up from the table.
const BUS_CAPACITY: usize = 1024;
const REPLAY_BATCH: usize = 500;
/// A replay batch holds at most about this much: twenty subscribers replaying from the
/// start hold a few megabytes, not a copy of the history each.
pub const REPLAY_BYTES: usize = 1024 * 1024;
/// Events on their way to one subscriber's socket; a client that stops reading holds at
/// most these (and its socket's buffer).
const OUTBOX: usize = 16;
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Clone)]
pub struct Bus {
    tx: broadcast::Sender<Arc<StoredEvent>>,
    /// Events put on the bus since the server started (for `/metrics`).
    sent: Arc<AtomicU64>,
}

impl Bus {
    pub fn new() -> Self {
        Bus {
            tx: broadcast::channel(BUS_CAPACITY).0,
            sent: Arc::default(),
        }
    }

    pub fn send(&self, event: Arc<StoredEvent>) {
        self.sent.fetch_add(1, Ordering::Relaxed);
        // No subscriber is not an error: nobody is watching right now.
        let _ = self.tx.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StoredEvent>> {
        self.tx.subscribe()
    }

    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// Open event streams: each SSE client holds the one receiver, nothing else does.
    pub fn subscribers(&self) -> usize {
        self.tx.receiver_count()
    }
}

impl Default for Bus {
    fn default() -> Self {
        Self::new()
    }
}

/// Stored events after `after`, in seq order, as many as fit in `limit` and `bytes`
/// (at least one): a replay never holds more than a batch of this size per subscriber.
pub fn events_after(
    conn: &Connection,
    after: u64,
    limit: usize,
    bytes: usize,
) -> ApiResult<Bounded<StoredEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, kind, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let mut rows = stmt.query(params![to_sql_int(after), to_sql_int(limit as u64 + 1)])?;
    let mut budget = Budget::new(limit, bytes);
    let mut items = Vec::new();
    while let Some(r) = rows.next()? {
        let payload: String = r.get(2)?;
        if !budget.take(payload.len()) {
            return Ok(Bounded { items, more: true });
        }
        items.push(StoredEvent {
            seq: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
            kind: r.get(1)?,
            payload,
        });
    }
    Ok(Bounded { items, more: false })
}

pub fn max_seq(conn: &Connection) -> ApiResult<u64> {
    let n: Option<i64> = conn.query_row("SELECT MAX(seq) FROM events", [], |r| r.get(0))?;
    Ok(n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

fn parse_last_event_id(headers: &HeaderMap, query: &ApiQuery) -> ApiResult<Option<u64>> {
    let from_header = headers
        .get("last-event-id")
        .map(|v| {
            v.to_str()
                .map_err(|_| ApiFailure::field("last_event_id", "Last-Event-ID is not text"))
        })
        .transpose()?;
    let raw = from_header.or(query.0.get("last_event_id").map(String::as_str));
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse::<u64>().map(Some).map_err(|_| {
            ApiFailure::field(
                "last_event_id",
                format!("Last-Event-ID must be an event id (a whole number), not {s:?}"),
            )
        }),
    }
}

pub async fn stream(
    State(app): State<AppState>,
    headers: HeaderMap,
    query: ApiQuery,
) -> ApiResult<Sse<impl futures::Stream<Item = Result<Event, Infallible>>>> {
    let last = parse_last_event_id(&headers, &query)?;
    // Subscribe before reading the replay: anything committed after the replay's read
    // is then certain to arrive live.
    let live = app.store.bus().subscribe();
    let max = app.store.read(max_seq).await?;
    // Without an id the stream starts live from here: fixed before the client sees the
    // answer, and kept as the point to catch up from if it falls behind before its first
    // event. An id from before a database reset would hide every new event: start over
    // from what exists now.
    let from = last.map_or(max, |n| n.min(max));
    let (tx, rx) = mpsc::channel(OUTBOX);
    tokio::spawn(pump(app, live, from, tx));
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

type Out = mpsc::Sender<Result<Event, Infallible>>;

/// Sends stored events after `after` to `out`; returns the last seq sent (or `after`),
/// or `None` when the client has gone.
async fn replay(app: &AppState, mut after: u64, out: &Out) -> Option<u64> {
    loop {
        let batch = app
            .store
            .read(move |conn| events_after(conn, after, REPLAY_BATCH, REPLAY_BYTES))
            .await
            .ok()?;
        for event in batch.items {
            after = event.seq;
            out.send(Ok(event.to_sse())).await.ok()?;
        }
        if !batch.more {
            return Some(after);
        }
    }
}

async fn pump(app: AppState, mut live: broadcast::Receiver<Arc<StoredEvent>>, from: u64, out: Out) {
    let mut shutdown: watch::Receiver<bool> = app.shutdown.clone();
    // The highest seq the client has (or is known to have); live events at or below it
    // were already replayed.
    let Some(mut last) = replay(&app, from, &out).await else {
        return;
    };
    loop {
        if *shutdown.borrow() {
            return;
        }
        tokio::select! {
            _ = shutdown.changed() => return,
            _ = out.closed() => return,
            received = live.recv() => match received {
                Ok(event) => {
                    if event.seq <= last {
                        continue;
                    }
                    last = event.seq;
                    if out.send(Ok(event.to_sse())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    // Too slow for the live buffer: fetch what was missed from the table.
                    match replay(&app, last, &out).await {
                        Some(sent) => last = sent,
                        None => return,
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replay_batch_holds_about_a_megabyte_not_five_hundred_large_events() {
        let dir = tempfile::tempdir().unwrap();
        let (conn, _) = crate::server::store::open(&dir.path().join("duty.sqlite")).unwrap();
        let payload = format!("\"{}\"", "x".repeat(100 * 1024));
        for _ in 0..50 {
            conn.execute(
                "INSERT INTO events (kind, payload, at) VALUES ('alert', ?1, '2026-12-03T00:00:00Z')",
                params![payload],
            )
            .unwrap();
        }
        let batch = events_after(&conn, 0, REPLAY_BATCH, REPLAY_BYTES).unwrap();
        assert!(batch.more);
        let held: usize = batch.items.iter().map(|e| e.payload.len()).sum();
        assert!(held <= REPLAY_BYTES, "{held} bytes in one batch");
        assert_eq!(batch.items.len(), REPLAY_BYTES / payload.len());
        // The next batch goes on from the last one, without a gap.
        let last = batch.items.last().unwrap().seq;
        let next = events_after(&conn, last, REPLAY_BATCH, REPLAY_BYTES).unwrap();
        assert_eq!(next.items[0].seq, last + 1);
    }
}
