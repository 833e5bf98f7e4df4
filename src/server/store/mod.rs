//! SQLite storage. Each record is kept as a JSON column plus the columns queries need.
//! Every change to a record also appends one row to `events`; the row's `seq` is the one
//! global change counter, used as the record's `seq` and as the SSE event id.

pub mod alerts;
pub mod experts;
pub mod handovers;
pub mod incidents;
pub mod roster;

use super::error::{ApiFailure, ApiResult};
use super::events::{Bus, StoredEvent};
use anyhow::Context;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::de::DeserializeOwned;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Bumped when the tables change shape; an older file is refused rather than misread.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    sent_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_by_seq ON alerts(seq);
CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    opened_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_by_seq ON incidents(seq);
CREATE TABLE IF NOT EXISTS timeline (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    seq INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS timeline_by_incident ON timeline(incident_id, at_ms, seq);
CREATE TABLE IF NOT EXISTS shifts (
    id TEXT PRIMARY KEY,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    role_rank INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS shifts_by_start ON shifts(start_ms, end_ms);
CREATE TABLE IF NOT EXISTS experts (id TEXT PRIMARY KEY, ord INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS expert_groups (ord INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS expert_domains (ord INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS handovers (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);
";

/// Opens (creating if needed) the database file and brings its schema up.
/// Returns the connection and whether the demo data still has to be seeded.
pub fn open(path: &Path) -> anyhow::Result<(Connection, bool)> {
    let conn = Connection::open(path)
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // WAL lets readers (another `watchroom` looking at the same file) run beside the writer.
    conn.pragma_update(None, "journal_mode", "WAL")
        .with_context(|| format!("cannot switch {} to WAL mode", path.display()))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.execute_batch(SCHEMA)
        .with_context(|| format!("cannot create the tables in {}", path.display()))?;
    let version: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    match version {
        None => {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
                params![SCHEMA_VERSION.to_string()],
            )?;
        }
        Some(v) if v == SCHEMA_VERSION.to_string() => {}
        Some(v) => anyhow::bail!(
            "the database {} has schema version {v}, but this watchroom uses version \
             {SCHEMA_VERSION}: move the file aside (a new one is seeded with demo data)",
            path.display()
        ),
    }
    let seeded: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'seeded_at'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok((conn, seeded.is_none()))
}

pub fn mark_seeded(conn: &Connection, at: Timestamp) -> ApiResult<()> {
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('seeded_at', ?1)",
        params![at.to_string()],
    )?;
    Ok(())
}

/// The shared handle: one connection behind a mutex (SQLite serialises writers anyway)
/// and the broadcast bus that live SSE streams listen to.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    bus: Bus,
}

/// An open write transaction plus the events it produced, broadcast only after commit.
pub struct Changes<'a> {
    pub tx: Transaction<'a>,
    emitted: Vec<Arc<StoredEvent>>,
}

impl Changes<'_> {
    /// Appends an event row for a change and returns its seq. The payload is filled in
    /// by `publish` once the record carries that seq.
    pub fn next_seq(&mut self, kind: &'static str, at: Timestamp) -> ApiResult<u64> {
        self.tx.execute(
            "INSERT INTO events (kind, payload, at) VALUES (?1, 'null', ?2)",
            params![kind, at.to_string()],
        )?;
        u64::try_from(self.tx.last_insert_rowid())
            .map_err(|_| ApiFailure::internal("event sequence went negative"))
    }

    pub fn publish(&mut self, seq: u64, kind: &'static str, payload: String) -> ApiResult<()> {
        self.tx.execute(
            "UPDATE events SET payload = ?1 WHERE seq = ?2",
            params![payload, to_sql_int(seq)],
        )?;
        self.emitted.push(Arc::new(StoredEvent {
            seq,
            kind: kind.to_owned(),
            payload,
        }));
        Ok(())
    }
}

impl Store {
    pub fn new(conn: Connection, bus: Bus) -> Self {
        Store {
            conn: Arc::new(Mutex::new(conn)),
            bus,
        }
    }

    pub fn bus(&self) -> &Bus {
        &self.bus
    }

    /// Runs `f` in one transaction; on success commits, then broadcasts its events while
    /// still holding the lock, so live events go out in seq order.
    pub fn write_blocking<R>(
        &self,
        f: impl FnOnce(&mut Changes<'_>) -> ApiResult<R>,
    ) -> ApiResult<R> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| ApiFailure::internal("the database lock was poisoned by a panic"))?;
        let tx = conn.transaction()?;
        let mut changes = Changes {
            tx,
            emitted: Vec::new(),
        };
        let result = f(&mut changes)?;
        let Changes { tx, emitted } = changes;
        tx.commit()?;
        for event in emitted {
            self.bus.send(event);
        }
        Ok(result)
    }

    pub fn read_blocking<R>(&self, f: impl FnOnce(&Connection) -> ApiResult<R>) -> ApiResult<R> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| ApiFailure::internal("the database lock was poisoned by a panic"))?;
        f(&conn)
    }

    pub async fn write<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Changes<'_>) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.write_blocking(f))
            .await
            .map_err(|e| ApiFailure::internal(format!("database task failed: {e}")))?
    }

    pub async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.read_blocking(f))
            .await
            .map_err(|e| ApiFailure::internal(format!("database task failed: {e}")))?
    }
}

/// The id of the record an earlier request with this idempotency key produced.
pub fn remembered(conn: &Connection, scope: &str, key: &str) -> ApiResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT target FROM idempotency WHERE scope = ?1 AND key = ?2",
            params![scope, key],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn remember(conn: &Connection, scope: &str, key: &str, target: &str) -> ApiResult<()> {
    conn.execute(
        "INSERT OR IGNORE INTO idempotency (scope, key, target) VALUES (?1, ?2, ?3)",
        params![scope, key, target],
    )?;
    Ok(())
}

pub fn decode<T: DeserializeOwned>(body: &str) -> ApiResult<T> {
    Ok(serde_json::from_str(body)?)
}

pub fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

/// SQLite integers are signed; seqs and cursors beyond i64 cannot occur in practice but
/// must not wrap into negatives if a client sends one.
pub fn to_sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}
