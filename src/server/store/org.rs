//! The office the backend serves: its name, zone and handover time, kept in `meta`.

use super::admin_log::{self, Actor};
use super::{Changes, decode};
use crate::model::Office;
use crate::server::error::ApiResult;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

pub fn get(conn: &Connection) -> ApiResult<Option<Office>> {
    let body: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'office'", [], |r| {
            r.get(0)
        })
        .optional()?;
    body.map(|b| decode(&b)).transpose()
}

/// Stores the office details (the previous ones are kept in the admin log) and emits an
/// `org` event carrying them.
pub fn set(ch: &mut Changes<'_>, office: &Office, actor: &Actor, at: Timestamp) -> ApiResult<()> {
    let previous = get(&ch.tx)?;
    let body = serde_json::to_string(office)?;
    ch.tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('office', ?1)",
        params![body],
    )?;
    let seq = ch.next_seq("org", at)?;
    admin_log::append(
        ch,
        "org.set",
        actor,
        at,
        "",
        serde_json::to_value(office)?,
        serde_json::to_value(previous)?,
        seq,
    )?;
    ch.publish(seq, "org", body)
}
