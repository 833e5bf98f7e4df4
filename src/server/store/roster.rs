//! Shifts of the duty roster.

use super::{decode, ms};
use crate::model::{DutyRole, Shift};
use crate::server::error::ApiResult;
use jiff::Timestamp;
use rusqlite::{Connection, params};

fn rank(role: DutyRole) -> i64 {
    match role {
        DutyRole::Leader => 0,
        DutyRole::Chief => 1,
        DutyRole::Officer => 2,
        DutyRole::Standby => 3,
    }
}

/// Inserts the shifts whose ids are not stored yet; returns how many were new.
pub fn insert_missing(conn: &Connection, shifts: &[Shift]) -> ApiResult<usize> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO shifts (id, start_ms, end_ms, role_rank, body)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut added = 0;
    for s in shifts {
        added += stmt.execute(params![
            s.id,
            ms(s.start),
            ms(s.end),
            rank(s.role),
            serde_json::to_string(s)?
        ])?;
    }
    Ok(added)
}

/// Shifts overlapping `[from, to)`, by start then role.
pub fn overlapping(conn: &Connection, from: Timestamp, to: Timestamp) -> ApiResult<Vec<Shift>> {
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM shifts WHERE start_ms < ?2 AND end_ms > ?1
         ORDER BY start_ms, role_rank, id",
    )?;
    let rows = stmt.query_map(params![ms(from), ms(to)], |r| r.get::<_, String>(0))?;
    rows.map(|row| decode(&row?)).collect()
}
