//! Change events: the broadcast bus that live SSE streams listen to, and
//! `GET /api/v1/events`, which replays stored events after `Last-Event-ID` and then
//! follows the live ones without a gap or a duplicate.

use super::AppState;
use super::error::{ApiFailure, ApiResult};
use super::extract::ApiQuery;
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

pub fn events_after(conn: &Connection, after: u64, limit: usize) -> ApiResult<Vec<StoredEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, kind, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![to_sql_int(after), to_sql_int(limit as u64)], |r| {
        Ok(StoredEvent {
            seq: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
            kind: r.get(1)?,
            payload: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(pump(app, live, last, tx));
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

type Out = mpsc::Sender<Result<Event, Infallible>>;

/// Sends stored events after `after` to `out`; returns the last seq sent (or `after`),
/// or `None` when the client has gone.
async fn replay(app: &AppState, mut after: u64, out: &Out) -> Option<u64> {
    loop {
        let batch = app
            .store
            .read(move |conn| events_after(conn, after, REPLAY_BATCH))
            .await
            .ok()?;
        let done = batch.len() < REPLAY_BATCH;
        for event in batch {
            after = event.seq;
            out.send(Ok(event.to_sse())).await.ok()?;
        }
        if done {
            return Some(after);
        }
    }
}

async fn pump(
    app: AppState,
    mut live: broadcast::Receiver<Arc<StoredEvent>>,
    last_event_id: Option<u64>,
    out: Out,
) {
    let mut shutdown: watch::Receiver<bool> = app.shutdown.clone();
    // The highest seq the client has (or is known to have); live events at or below it
    // were already replayed.
    let mut last: Option<u64> = match last_event_id {
        Some(n) => {
            let Ok(max) = app.store.read(max_seq).await else {
                return;
            };
            // An id from before a database reset would hide every new event: start over
            // from what exists now.
            let from = n.min(max);
            let Some(sent) = replay(&app, from, &out).await else {
                return;
            };
            Some(sent)
        }
        None => None,
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
                    if last.is_some_and(|l| event.seq <= l) {
                        continue;
                    }
                    last = Some(event.seq);
                    if out.send(Ok(event.to_sse())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    // Too slow for the live buffer: fetch what was missed from the table.
                    let Some(from) = last else { continue };
                    match replay(&app, from, &out).await {
                        Some(sent) => last = Some(sent),
                        None => return,
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
        }
    }
}
