//! The audit trail: one row for every write — who (person, seat, role), what (the
//! request, the record), when, from which token (its id, never the token) and address.
//! Written in the same transaction as the write itself, so a write without its row
//! cannot happen. Rows are only ever added.

use super::{decode, ms, new_id, to_sql_int};
use crate::server::error::ApiResult;
use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

/// Where a write came from, beside the person's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The shared seat whose token was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
    /// The token's role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The token's id (`tok-…`, `bootstrap-…`), never the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    /// The client's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    pub at: Timestamp,
    /// The person (for a seat: the person typed at it).
    pub by: String,
    /// `api`, `cli`.
    pub via: String,
    #[serde(flatten)]
    pub origin: Origin,
    /// What was done: `POST /api/v1/alerts/{id}/ack`, `user.add`, `experts.import` …
    pub action: String,
    /// The record written (an alert's, entry's, user's id; a file's name).
    #[serde(default)]
    pub target: String,
    /// The change event that went out with it, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The position in the trail.
    #[serde(default)]
    pub n: u64,
}

/// Appends a row.
#[allow(clippy::too_many_arguments)]
pub fn record(
    conn: &Connection,
    by: &str,
    via: &str,
    origin: &Origin,
    action: &str,
    target: &str,
    seq: Option<u64>,
    at: Timestamp,
) -> ApiResult<()> {
    let entry = AuditEntry {
        id: new_id("audit"),
        at,
        by: by.to_owned(),
        via: via.to_owned(),
        origin: origin.clone(),
        action: action.to_owned(),
        target: target.to_owned(),
        seq,
        n: 0,
    };
    conn.execute(
        "INSERT INTO audit (at_ms, body) VALUES (?1, ?2)",
        params![ms(at), serde_json::to_string(&entry)?],
    )?;
    Ok(())
}

/// Rows at or after `since` (all when absent), oldest first, at most `limit`.
pub fn since(
    conn: &Connection,
    since: Option<Timestamp>,
    limit: usize,
) -> ApiResult<Vec<AuditEntry>> {
    let from = since.map_or(i64::MIN, ms);
    let mut stmt =
        conn.prepare_cached("SELECT n, body FROM audit WHERE at_ms >= ?1 ORDER BY n LIMIT ?2")?;
    let rows = stmt.query_map(params![from, to_sql_int(limit as u64)], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    rows.map(|row| {
        let (n, body) = row?;
        let mut e: AuditEntry = decode(&body)?;
        e.n = u64::try_from(n).unwrap_or(0);
        Ok(e)
    })
    .collect()
}
