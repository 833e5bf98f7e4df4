//! The expert directory: written once by the seed, read whole.

use super::decode;
use crate::model::{Domain, Expert, ExpertDirectory, Group};
use crate::server::error::ApiResult;
use rusqlite::{Connection, params};

pub fn replace_all(conn: &Connection, dir: &ExpertDirectory) -> ApiResult<()> {
    conn.execute("DELETE FROM experts", [])?;
    conn.execute("DELETE FROM expert_groups", [])?;
    conn.execute("DELETE FROM expert_domains", [])?;
    for (i, e) in dir.items.iter().enumerate() {
        conn.execute(
            "INSERT INTO experts (id, ord, body) VALUES (?1, ?2, ?3)",
            params![e.id, i as i64, serde_json::to_string(e)?],
        )?;
    }
    for (i, g) in dir.groups.iter().enumerate() {
        conn.execute(
            "INSERT INTO expert_groups (ord, body) VALUES (?1, ?2)",
            params![i as i64, serde_json::to_string(g)?],
        )?;
    }
    for (i, d) in dir.domains.iter().enumerate() {
        conn.execute(
            "INSERT INTO expert_domains (ord, body) VALUES (?1, ?2)",
            params![i as i64, serde_json::to_string(d)?],
        )?;
    }
    Ok(())
}

fn all<T: serde::de::DeserializeOwned>(conn: &Connection, sql: &str) -> ApiResult<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.map(|row| decode(&row?)).collect()
}

pub fn directory(conn: &Connection) -> ApiResult<ExpertDirectory> {
    Ok(ExpertDirectory {
        items: all::<Expert>(conn, "SELECT body FROM experts ORDER BY ord")?,
        groups: all::<Group>(conn, "SELECT body FROM expert_groups ORDER BY ord")?,
        domains: all::<Domain>(conn, "SELECT body FROM expert_domains ORDER BY ord")?,
        next_cursor: None,
    })
}

/// Replaces the whole pool in the open transaction, keeps the previous one in the admin
/// log, and emits an `experts` event carrying `summary` (consoles fetch the pool anew).
pub fn import(
    ch: &mut super::Changes<'_>,
    dir: &ExpertDirectory,
    actor: &super::admin_log::Actor,
    origin: &str,
    summary: serde_json::Value,
    at: jiff::Timestamp,
) -> ApiResult<()> {
    let previous = directory(&ch.tx)?;
    replace_all(&ch.tx, dir)?;
    let seq = ch.next_seq("experts", at)?;
    super::admin_log::append(
        ch,
        "experts.import",
        actor,
        at,
        origin,
        summary.clone(),
        serde_json::to_value(&previous)?,
        seq,
    )?;
    ch.publish(seq, "experts", summary.to_string())
}
