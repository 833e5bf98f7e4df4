//! SQLite storage. Each record is kept as a JSON column plus the columns queries need.
//! Every change to a record also appends one row to `events`; the row's `seq` is the one
//! global change counter, used as the record's `seq` and as the SSE event id.

pub mod admin_log;
pub mod alerts;
pub mod audit;
pub mod bounded;
pub mod experts;
pub mod handovers;
pub mod incidents;
pub mod org;
pub mod people;
pub mod readers;
pub mod roster;

use super::error::{ApiFailure, ApiResult};
use super::events::{Bus, StoredEvent};
use anyhow::Context;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::de::DeserializeOwned;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Bumped when the tables change shape; a file of a later version is refused rather than
/// misread, one of an earlier version is brought up (see `migrate`).
pub const SCHEMA_VERSION: i64 = 3;

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
CREATE TABLE IF NOT EXISTS shift_swaps (
    id TEXT PRIMARY KEY,
    shift_id TEXT NOT NULL REFERENCES shifts(id),
    seq INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS shift_swaps_by_shift ON shift_swaps(shift_id, seq);
CREATE TABLE IF NOT EXISTS admin_log (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    action TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS experts (id TEXT PRIMARY KEY, ord INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS expert_groups (ord INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS expert_domains (ord INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS handovers (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    lookup TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
CREATE INDEX IF NOT EXISTS tokens_by_lookup ON tokens(lookup);
CREATE TABLE IF NOT EXISTS audit (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit(at_ms);
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);
";

/// What `open` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    /// The file was created now, or held no tables yet.
    pub fresh: bool,
    /// It holds the fictional demo data set (seeded by `--demo-data`).
    pub demo: bool,
}

/// Columns added by schema version 2 to the tables of version 1.
const MIGRATE_1_TO_2: &str = "
ALTER TABLE shifts ADD COLUMN batch TEXT;
ALTER TABLE shifts ADD COLUMN replaced_by TEXT;
";

/// Indexes over columns a version-1 file gains only in `migrate`.
const INDEXES_2: &str = "
CREATE INDEX IF NOT EXISTS shifts_current ON shifts(replaced_by, start_ms);
";

/// Opens (creating if needed, mode 600) the database file and brings its schema up.
/// Waits up to `BUSY_TIMEOUT` for another process's write (`watchroom admin` beside
/// `watchroom serve`) rather than failing.
pub fn open(path: &Path) -> anyhow::Result<(Connection, Opened)> {
    crate::private_file::touch(path)
        .with_context(|| format!("cannot create the database {}", path.display()))?;
    let conn = Connection::open(path)
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
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
    let fresh = version.is_none();
    match version.as_deref() {
        None => {
            conn.execute_batch(MIGRATE_1_TO_2)?;
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
                params![SCHEMA_VERSION.to_string()],
            )?;
        }
        Some(v @ ("1" | "2")) => migrate(&conn, v == "1").with_context(|| {
            format!(
                "cannot bring {} up to schema version {SCHEMA_VERSION}",
                path.display()
            )
        })?,
        Some(v) if v == SCHEMA_VERSION.to_string() => {}
        Some(v) => anyhow::bail!(
            "the database {} has schema version {v}, but this watchroom uses version \
             {SCHEMA_VERSION}: use the watchroom that wrote it, or move the file aside",
            path.display()
        ),
    }
    conn.execute_batch(INDEXES_2)
        .with_context(|| format!("cannot create the indexes in {}", path.display()))?;
    let demo = is_demo(&conn).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok((conn, Opened { fresh, demo }))
}

/// How long a write waits for another connection's (another process's) write to finish.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Version 3 adds only tables (users, tokens, audit), which `SCHEMA` creates; a
/// version-1 file also gains the columns of version 2.
fn migrate(conn: &Connection, from_1: bool) -> anyhow::Result<()> {
    let tx = conn.unchecked_transaction()?;
    if from_1 {
        tx.execute_batch(MIGRATE_1_TO_2)?;
    }
    tx.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
        params![SCHEMA_VERSION.to_string()],
    )?;
    tx.commit()?;
    Ok(())
}

/// Whether the database holds the fictional demo data set. Every database of schema
/// version 1 was seeded with it, and carries the same mark.
pub fn is_demo(conn: &Connection) -> ApiResult<bool> {
    let seeded: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'seeded_at'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(seeded.is_some())
}

/// Whether nothing has been stored yet: no change event, expert, shift or office details.
pub fn is_empty(conn: &Connection) -> ApiResult<bool> {
    let n: i64 = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM experts)
              + (SELECT COUNT(*) FROM shifts) + (SELECT COUNT(*) FROM admin_log)
              + (SELECT COUNT(*) FROM users)",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 0)
}

/// Marks the database as holding the demo data set (`seeded_at`, the demo mark).
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
    inner: Arc<Mutex<Inner>>,
    /// Read-only connections, when opened: reads then never wait for the writer.
    readers: Option<Arc<readers::Readers>>,
    bus: Bus,
    /// Reads and writes that failed inside the store (the database, a stored record, the
    /// lock), not those refused for what was asked: for `/metrics`.
    errors: Arc<AtomicU64>,
}

struct Inner {
    conn: Connection,
    /// The highest event seq put on the bus. Events other processes stored (`watchroom
    /// admin` on the same file) are put on it in seq order before newer ones of this one.
    broadcast: u64,
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

/// How many stored events one catch-up puts on the bus at most; the rest follow at the
/// next one (a subscriber that misses them replays them from the table).
const CATCH_UP_BATCH: usize = 500;

impl Store {
    pub fn new(conn: Connection, bus: Bus) -> anyhow::Result<Self> {
        let broadcast = super::events::max_seq(&conn).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Store {
            inner: Arc::new(Mutex::new(Inner { conn, broadcast })),
            readers: None,
            bus,
            errors: Arc::default(),
        })
    }

    /// Reads from now on go to `n` read-only connections to `path` (the file this store
    /// writes), beside the writer, instead of waiting for its lock.
    pub fn with_readers(mut self, path: &Path, n: usize) -> anyhow::Result<Self> {
        self.readers = Some(Arc::new(readers::Readers::open(path, n)?));
        Ok(self)
    }

    pub fn bus(&self) -> &Bus {
        &self.bus
    }

    /// How many store operations failed with a server error since the start.
    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }

    fn counted<R>(&self, result: ApiResult<R>) -> ApiResult<R> {
        if let Err(e) = &result
            && e.status.is_server_error()
        {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    fn lock(&self) -> ApiResult<std::sync::MutexGuard<'_, Inner>> {
        self.inner
            .lock()
            .map_err(|_| ApiFailure::internal("the database lock was poisoned by a panic"))
    }

    /// Runs `f` in one transaction (taking the write lock at once, so it never has to
    /// be upgraded past another process's write); on success commits, then broadcasts
    /// its events while still holding the lock, so live events go out in seq order.
    pub fn write_blocking<R>(
        &self,
        f: impl FnOnce(&mut Changes<'_>) -> ApiResult<R>,
    ) -> ApiResult<R> {
        self.counted(self.write_counted(f))
    }

    fn write_counted<R>(&self, f: impl FnOnce(&mut Changes<'_>) -> ApiResult<R>) -> ApiResult<R> {
        let mut inner = self.lock()?;
        let inner = &mut *inner;
        let (result, emitted) = {
            let tx = inner
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut changes = Changes {
                tx,
                emitted: Vec::new(),
            };
            let result = f(&mut changes)?;
            let Changes { tx, emitted } = changes;
            tx.commit()?;
            (result, emitted)
        };
        if let Some(first) = emitted.first() {
            // Another process's events stored before these go out first.
            catch_up(
                &inner.conn,
                &mut inner.broadcast,
                &self.bus,
                Some(first.seq),
            )?;
        }
        for event in emitted {
            inner.broadcast = inner.broadcast.max(event.seq);
            self.bus.send(event);
        }
        Ok(result)
    }

    /// Puts on the bus the events another process stored since the last broadcast;
    /// returns how many.
    pub fn broadcast_external(&self) -> ApiResult<usize> {
        let result = self.lock().and_then(|mut inner| {
            let inner = &mut *inner;
            catch_up(&inner.conn, &mut inner.broadcast, &self.bus, None)
        });
        self.counted(result)
    }

    pub fn read_blocking<R>(&self, f: impl FnOnce(&Connection) -> ApiResult<R>) -> ApiResult<R> {
        let result = match &self.readers {
            Some(readers) => readers.read(f),
            None => self.lock().and_then(|inner| f(&inner.conn)),
        };
        self.counted(result)
    }

    pub async fn write<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Changes<'_>) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        let store = self.clone();
        match tokio::task::spawn_blocking(move || store.write_blocking(f)).await {
            Ok(result) => result,
            Err(e) => self.counted(Err(ApiFailure::internal(format!(
                "database task failed: {e}"
            )))),
        }
    }

    pub async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> ApiResult<R> + Send + 'static,
    ) -> ApiResult<R> {
        let store = self.clone();
        match tokio::task::spawn_blocking(move || store.read_blocking(f)).await {
            Ok(result) => result,
            Err(e) => self.counted(Err(ApiFailure::internal(format!(
                "database task failed: {e}"
            )))),
        }
    }
}

/// Broadcasts stored events after `broadcast` (and before `below`, when given), in seq
/// order, advancing `broadcast`.
fn catch_up(
    conn: &Connection,
    broadcast: &mut u64,
    bus: &Bus,
    below: Option<u64>,
) -> ApiResult<usize> {
    let mut sent = 0;
    loop {
        let batch = super::events::events_after(
            conn,
            *broadcast,
            CATCH_UP_BATCH,
            super::events::REPLAY_BYTES,
        )?;
        for event in batch.items {
            if below.is_some_and(|b| event.seq >= b) {
                return Ok(sent);
            }
            *broadcast = event.seq;
            bus.send(Arc::new(event));
            sent += 1;
        }
        if !batch.more {
            return Ok(sent);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    fn alert_event(ch: &mut Changes<'_>) -> ApiResult<u64> {
        let seq = ch.next_seq("alert", Timestamp::UNIX_EPOCH)?;
        ch.publish(seq, "alert", "{}".to_owned())?;
        Ok(seq)
    }

    #[test]
    fn a_long_read_does_not_hold_up_a_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("duty.sqlite");
        let (conn, _) = open(&path).unwrap();
        let store = Store::new(conn, Bus::new())
            .unwrap()
            .with_readers(&path, 2)
            .unwrap();
        let (reading, read_started) = mpsc::channel();
        let (finish_read, read_may_end) = mpsc::channel::<()>();
        let reader = {
            let store = store.clone();
            std::thread::spawn(move || {
                store.read_blocking(|conn| {
                    let n: i64 = conn.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))?;
                    reading.send(()).unwrap();
                    // A slow reader: a console fetching megabytes of alerts.
                    read_may_end.recv().unwrap();
                    Ok(n)
                })
            })
        };
        read_started.recv().unwrap();
        let (written, write_done) = mpsc::channel();
        let writer = {
            let store = store.clone();
            std::thread::spawn(move || written.send(store.write_blocking(alert_event)).unwrap())
        };
        let wrote = write_done.recv_timeout(Duration::from_secs(20));
        finish_read.send(()).unwrap();
        assert!(
            matches!(wrote, Ok(Ok(1))),
            "the write waited for the reader: {wrote:?}"
        );
        // The reader saw the state before the write, whole.
        assert_eq!(reader.join().unwrap().unwrap(), 0);
        writer.join().unwrap();
        assert_eq!(
            store.read_blocking(super::super::events::max_seq).unwrap(),
            1
        );
    }

    #[test]
    fn failures_of_the_database_are_counted_and_refusals_are_not() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        let store = Store::new(conn, Bus::new()).unwrap();
        let missing = store.read_blocking(|c| {
            Ok(c.query_row("SELECT COUNT(*) FROM no_such_table", [], |r| {
                r.get::<_, i64>(0)
            })?)
        });
        assert!(missing.is_err());
        let refused: ApiResult<()> =
            store.write_blocking(|_| Err(ApiFailure::field("title", "empty")));
        assert!(refused.is_err());
        assert_eq!(store.errors(), 1);
    }
}
