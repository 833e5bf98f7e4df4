//! The console's local store: one SQLite file (`console.db` in the data dir) holding the
//! last state of every source — so the console starts with something on screen and keeps
//! showing it while the network is down — and the outbox of the officer's actions not yet
//! accepted by the backend, so that no action is lost to a crash, `kill -9` or a power cut.
//!
//! Every function here does disk I/O: call it from a blocking thread, never from `update`
//! or the drawing code (`StoreHandle::run` does that for async callers).

pub mod head;
pub mod outbox;
pub mod sources;

pub use outbox::{QueuedCommand, Rejection};
pub use sources::{CachedSource, Start};

use anyhow::Context;
use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The file name of the store inside the data dir.
pub const FILE_NAME: &str = "console.db";

/// A source's cached state and a shown rejection are dropped this long after they were
/// written; queued actions are never dropped by age.
pub const RETENTION: SignedDuration = SignedDuration::from_hours(30 * 24);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS source_state (
    source TEXT PRIMARY KEY,
    location TEXT NOT NULL,
    saved_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
-- What the first screen needs of a big source (store::head), written with its row.
CREATE TABLE IF NOT EXISTS source_head (
    source TEXT PRIMARY KEY,
    head BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_attempt_ms INTEGER
);
CREATE TABLE IF NOT EXISTS rejected (
    key TEXT PRIMARY KEY,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL,
    reason TEXT NOT NULL,
    rejected_ms INTEGER NOT NULL,
    shown INTEGER NOT NULL DEFAULT 0
);
";

/// Bumped when the schema changes; an older file is brought up by `SCHEMA` (every table is
/// created if missing). 2: `source_head`. An older watchroom refuses a newer file rather
/// than write bodies whose heads it would leave behind.
const VERSION: i64 = 2;

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and drops what is past retention.
    pub fn open(path: &Path, now: Timestamp) -> anyhow::Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        }
        crate::private_file::touch(path)
            .with_context(|| format!("cannot create the local store {}", path.display()))?;
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open the local store {}", path.display()))?;
        let store = Store {
            conn,
            path: path.to_owned(),
        };
        store
            .setup(now)
            .with_context(|| format!("local store {}", store.path.display()))?;
        Ok(store)
    }

    fn setup(&self, now: Timestamp) -> anyhow::Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed action survives a power cut, not only a crash of the console.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        // The store is written in big pieces and read once at start: sqlite's default 2 MiB
        // of page cache would only sit resident beside a wall that already is.
        self.conn.pragma_update(None, "cache_size", "-256")?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > VERSION {
            anyhow::bail!(
                "written by a newer watchroom (schema {version}, this one knows {VERSION}); \
                 upgrade, or move the file away to start afresh"
            );
        }
        self.conn.execute_batch(SCHEMA)?;
        // Written only when it changes: a write at every start costs a sync of the disk,
        // which on a busy machine can hold up the first frame by a second.
        if version != VERSION {
            self.conn
                .pragma_update(None, "user_version", VERSION.to_string())?;
        }
        self.prune(now)
    }

    fn prune(&self, now: Timestamp) -> anyhow::Result<()> {
        let cutoff = ms(now - RETENTION);
        self.conn
            .execute("DELETE FROM source_state WHERE saved_ms < ?1", [cutoff])?;
        self.conn.execute(
            "DELETE FROM source_head WHERE source NOT IN (SELECT source FROM source_state)",
            [],
        )?;
        self.conn.execute(
            "DELETE FROM rejected WHERE shown = 1 AND rejected_ms < ?1",
            [cutoff],
        )?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Shared with async code: each call runs on the blocking pool, one at a time.
    pub fn shared(self) -> StoreHandle {
        StoreHandle(Arc::new(Mutex::new(self)))
    }
}

/// The store behind a lock, for the console's tasks.
#[derive(Clone)]
pub struct StoreHandle(Arc<Mutex<Store>>);

impl StoreHandle {
    /// Run `f` on the blocking pool with the store; the caller's task waits, the UI does not.
    pub async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> anyhow::Result<R> + Send + 'static,
    ) -> anyhow::Result<R> {
        let inner = Arc::clone(&self.0);
        tokio::task::spawn_blocking(move || {
            // A panic in another call leaves the connection itself intact.
            let mut store = inner.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut store)
        })
        .await
        .context("the local store task failed")?
    }
}

/// Where the store lives in `data_dir`.
pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

fn from_ms(v: i64) -> Timestamp {
    Timestamp::from_millisecond(v).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_store_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(
            &path,
            "this is not a database, just text long enough to matter",
        )
        .unwrap();
        let err = format!(
            "{:#}",
            Store::open(&path, Timestamp::UNIX_EPOCH).err().unwrap()
        );
        assert!(err.contains(FILE_NAME), "{err}");
    }

    #[test]
    fn a_newer_schema_is_refused_rather_than_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", "99").unwrap();
        drop(conn);
        let err = format!(
            "{:#}",
            Store::open(&path, Timestamp::UNIX_EPOCH).err().unwrap()
        );
        assert!(err.contains("newer watchroom"), "{err}");
    }
}
