//! The record of every change made to the office's data (expert pool, roster, office
//! details): who made it, when, through what, and what was there before. Rows are only
//! ever added.

use super::{Changes, decode, ms, new_id, to_sql_int};
use crate::server::error::ApiResult;
use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

/// Who made a change and through what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The person, as given (`--by`, the `by` field); later taken from a personal token.
    pub by: String,
    /// `cli` (`watchroom admin` on the server machine) or `api` (an admin token).
    pub via: String,
    /// The token and address the change came from (for the audit trail).
    #[serde(skip)]
    pub origin: super::audit::Origin,
}

impl Actor {
    pub fn new(by: impl Into<String>, via: impl Into<String>) -> Actor {
        Actor {
            by: by.into(),
            via: via.into(),
            origin: Default::default(),
        }
    }
}

/// One change to the office's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: String,
    /// `experts.import`, `roster.import`, `roster.swap`, `org.set`, `user.add`,
    /// `user.disable`, `token.rotate`.
    pub action: String,
    pub by: String,
    pub via: String,
    pub at: Timestamp,
    /// The file or request the data came from.
    #[serde(default)]
    pub origin: String,
    /// What changed (counts, names).
    pub summary: serde_json::Value,
    /// What was there before, when the change replaced it (the previous pool, the
    /// previous office details), so that nothing is lost.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub previous: serde_json::Value,
    /// The seq of the change event that went out with it.
    pub seq: u64,
}

/// Appends an entry, and its row in the audit trail; `seq` is the event seq of the change
/// it records (0 for a change that sends no event: people and tokens).
#[allow(clippy::too_many_arguments)]
pub fn append(
    ch: &mut Changes<'_>,
    action: &str,
    actor: &Actor,
    at: Timestamp,
    origin: &str,
    summary: serde_json::Value,
    previous: serde_json::Value,
    seq: u64,
) -> ApiResult<LogEntry> {
    let entry = LogEntry {
        id: new_id("admin"),
        action: action.to_owned(),
        by: actor.by.clone(),
        via: actor.via.clone(),
        at,
        origin: origin.to_owned(),
        summary,
        previous,
        seq,
    };
    super::audit::record(
        &ch.tx,
        &actor.by,
        &actor.via,
        &actor.origin,
        action,
        origin,
        (seq > 0).then_some(seq),
        at,
    )?;
    ch.tx.execute(
        "INSERT INTO admin_log (id, seq, at_ms, action, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            entry.id,
            to_sql_int(seq),
            ms(at),
            entry.action,
            serde_json::to_string(&entry)?
        ],
    )?;
    Ok(entry)
}

/// Entries, oldest first.
pub fn list(conn: &Connection) -> ApiResult<Vec<LogEntry>> {
    let mut stmt = conn.prepare_cached("SELECT body FROM admin_log ORDER BY seq, at_ms")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.map(|row| decode(&row?)).collect()
}
