//! Read-only connections beside the one writer. In WAL mode a reader works on the last
//! committed state without blocking the writer, so eight consoles fetching megabytes of
//! alerts no longer queue the acknowledgements behind them on one connection.

use crate::server::error::{ApiFailure, ApiResult};
use anyhow::Context;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::{Condvar, Mutex};

/// How many reads run at once; more wait for a free connection. A few cover the
/// consoles of one office; each connection keeps its own page cache.
pub const READERS: usize = 4;

pub struct Readers {
    free: Mutex<Vec<Connection>>,
    returned: Condvar,
}

impl Readers {
    /// Opens `n` read-only connections to the database at `path` (already created and
    /// brought up to date by `open`).
    pub fn open(path: &Path, n: usize) -> anyhow::Result<Readers> {
        let mut free = Vec::with_capacity(n);
        for _ in 0..n {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .with_context(|| format!("cannot open {} for reading", path.display()))?;
            conn.busy_timeout(super::BUSY_TIMEOUT)?;
            free.push(conn);
        }
        Ok(Readers {
            free: Mutex::new(free),
            returned: Condvar::new(),
        })
    }

    /// Runs `f` on a free connection, waiting for one when all are in use.
    pub fn read<R>(&self, f: impl FnOnce(&Connection) -> ApiResult<R>) -> ApiResult<R> {
        let poisoned = || ApiFailure::internal("the reader pool was poisoned by a panic");
        let conn = {
            let mut free = self.free.lock().map_err(|_| poisoned())?;
            loop {
                if let Some(conn) = free.pop() {
                    break conn;
                }
                free = self.returned.wait(free).map_err(|_| poisoned())?;
            }
        };
        // Given back however `f` ends; a panic in `f` unwinds through here too.
        let back = Back {
            readers: self,
            conn: Some(conn),
        };
        f(back.conn.as_ref().expect("held until dropped"))
    }
}

struct Back<'a> {
    readers: &'a Readers,
    conn: Option<Connection>,
}

impl Drop for Back<'_> {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut free)) = (self.conn.take(), self.readers.free.lock()) {
            free.push(conn);
            self.readers.returned.notify_one();
        }
    }
}
