//! Shifts of the duty roster, the imports that bring them, and shift swaps (调班/替班).
//!
//! Nothing is edited in place: an import marks the shifts it replaces (`replaced_by`, the
//! import's batch) and adds its own; a swap is a record of its own that the roster view
//! applies, so who held a shift before stays on record.

use super::admin_log::{self, Actor};
use super::{Changes, decode, ms, new_id, to_sql_int};
use crate::model::{DutyRole, Shift};
use crate::server::error::{ApiFailure, ApiResult};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

fn rank(role: DutyRole) -> i64 {
    match role {
        DutyRole::Leader => 0,
        DutyRole::Chief => 1,
        DutyRole::Officer => 2,
        DutyRole::Standby => 3,
    }
}

/// A shift as the roster shows it: the holder after every swap, and the swaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterShift {
    #[serde(flatten)]
    pub shift: Shift,
    /// The swaps of this shift, oldest first; the last one's `person` holds it now.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub swaps: Vec<Swap>,
}

/// One swap (替班: someone else takes the shift; 调班: two shifts exchange holders).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Swap {
    pub id: String,
    pub shift_id: String,
    /// Who holds the shift after the swap.
    pub person: String,
    #[serde(default)]
    pub phone: String,
    /// Who held it before.
    pub previous_person: String,
    #[serde(default)]
    pub previous_phone: String,
    /// Who asked for it.
    pub asked_by: String,
    /// Who approved it.
    pub approved_by: String,
    #[serde(default)]
    pub reason: String,
    /// When it was recorded.
    pub at: Timestamp,
    /// Who recorded it, and through what (`cli`, `api`).
    pub by: String,
    pub via: String,
    /// For a 调班: the other shift of the exchange.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_with: Option<String>,
    pub seq: u64,
}

/// A swap as asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct SwapRequest {
    pub shift_id: String,
    /// 替班: the person who takes the shift (with `phone`). None for a 调班.
    pub person: Option<String>,
    pub phone: String,
    /// 调班: the shift whose holder exchanges with this one's.
    pub exchange_with: Option<String>,
    pub asked_by: String,
    pub approved_by: String,
    pub reason: String,
}

/// Inserts the shifts whose ids are not stored yet; returns how many were new.
pub fn insert_missing(conn: &Connection, shifts: &[Shift]) -> ApiResult<usize> {
    insert(conn, shifts, None, true)
}

fn insert(
    conn: &Connection,
    shifts: &[Shift],
    batch: Option<&str>,
    or_ignore: bool,
) -> ApiResult<usize> {
    let sql = if or_ignore {
        "INSERT OR IGNORE INTO shifts (id, start_ms, end_ms, role_rank, body, batch)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    } else {
        "INSERT INTO shifts (id, start_ms, end_ms, role_rank, body, batch)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let mut added = 0;
    for s in shifts {
        added += stmt.execute(params![
            s.id,
            ms(s.start),
            ms(s.end),
            rank(s.role),
            serde_json::to_string(s)?,
            batch
        ])?;
    }
    Ok(added)
}

/// What an import does to the stored roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportChange {
    /// The import's id; the shifts it replaces carry it in `replaced_by`.
    pub batch: String,
    /// The window the import covers: shifts starting in it are replaced.
    pub from: Timestamp,
    pub to: Timestamp,
    pub added: usize,
    /// Current shifts starting in the window that the import replaces.
    pub replaced: usize,
}

/// The window an import of `shifts` covers: from the first start to the last end.
pub fn window_of(shifts: &[Shift]) -> Option<(Timestamp, Timestamp)> {
    let from = shifts.iter().map(|s| s.start).min()?;
    let to = shifts.iter().map(|s| s.end).max()?;
    Some((from, to))
}

/// How many current shifts start in `[from, to)`.
pub fn current_starting_in(conn: &Connection, from: Timestamp, to: Timestamp) -> ApiResult<usize> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM shifts WHERE replaced_by IS NULL AND start_ms >= ?1 AND start_ms < ?2",
        params![ms(from), ms(to)],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Replaces the current shifts starting in the window of `shifts` by `shifts` (given
/// fresh ids here), records the import and emits a `roster` event.
pub fn import(
    ch: &mut Changes<'_>,
    mut shifts: Vec<Shift>,
    actor: &Actor,
    origin: &str,
    at: Timestamp,
) -> ApiResult<ImportChange> {
    let Some((from, to)) = window_of(&shifts) else {
        return Err(ApiFailure::field("body", "the roster holds no shifts"));
    };
    let batch = new_id("roster");
    let replaced = ch.tx.execute(
        "UPDATE shifts SET replaced_by = ?1
         WHERE replaced_by IS NULL AND start_ms >= ?2 AND start_ms < ?3",
        params![batch, ms(from), ms(to)],
    )?;
    for s in &mut shifts {
        s.id = new_id("shift");
    }
    let added = insert(&ch.tx, &shifts, Some(&batch), false)?;
    let change = ImportChange {
        batch,
        from,
        to,
        added,
        replaced,
    };
    let seq = ch.next_seq("roster", at)?;
    let mut summary = serde_json::to_value(&change)?;
    if let Some(map) = summary.as_object_mut() {
        map.insert("by".into(), actor.by.clone().into());
        map.insert("at".into(), at.to_string().into());
    }
    admin_log::append(
        ch,
        "roster.import",
        actor,
        at,
        origin,
        summary.clone(),
        serde_json::Value::Null,
        seq,
    )?;
    ch.publish(seq, "roster", summary.to_string())?;
    Ok(change)
}

fn shift_by_id(conn: &Connection, id: &str) -> ApiResult<Option<(Shift, Option<String>)>> {
    conn.query_row(
        "SELECT body, replaced_by FROM shifts WHERE id = ?1",
        params![id],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)),
    )
    .optional()?
    .map(|(body, replaced)| decode::<Shift>(&body).map(|s| (s, replaced)))
    .transpose()
}

fn swaps_of(conn: &Connection, shift_id: &str) -> ApiResult<Vec<Swap>> {
    let mut stmt =
        conn.prepare_cached("SELECT body FROM shift_swaps WHERE shift_id = ?1 ORDER BY seq")?;
    let rows = stmt.query_map(params![shift_id], |r| r.get::<_, String>(0))?;
    rows.map(|row| decode(&row?)).collect()
}

/// The shift with its swaps applied; 404 if unknown, 409 if an import replaced it.
pub fn current(conn: &Connection, id: &str) -> ApiResult<RosterShift> {
    let Some((shift, replaced)) = shift_by_id(conn, id)? else {
        return Err(ApiFailure::not_found("shift", id));
    };
    if let Some(batch) = replaced {
        return Err(ApiFailure::conflict(
            "shift_id",
            format!("shift {id:?} was replaced by the roster import {batch}: swap a current shift"),
        ));
    }
    Ok(applied(shift, swaps_of(conn, id)?))
}

fn applied(mut shift: Shift, swaps: Vec<Swap>) -> RosterShift {
    if let Some(last) = swaps.last() {
        shift.person = last.person.clone();
        shift.phone = last.phone.clone();
    }
    RosterShift { shift, swaps }
}

/// Records a swap (two, for a 调班) and emits one `shift` event per changed shift,
/// carrying the shift as the roster now shows it.
pub fn swap(
    ch: &mut Changes<'_>,
    req: &SwapRequest,
    actor: &Actor,
    at: Timestamp,
) -> ApiResult<Vec<RosterShift>> {
    let first = current(&ch.tx, &req.shift_id)?;
    let mut plan: Vec<(RosterShift, String, String, Option<String>)> = Vec::new();
    match (&req.person, &req.exchange_with) {
        (Some(person), None) => {
            if *person == first.shift.person {
                return Err(ApiFailure::field(
                    "person",
                    format!("{person} already holds shift {:?}", req.shift_id),
                ));
            }
            plan.push((first, person.clone(), req.phone.clone(), None));
        }
        (None, Some(other_id)) => {
            if *other_id == req.shift_id {
                return Err(ApiFailure::field(
                    "with",
                    "a shift cannot be exchanged with itself",
                ));
            }
            let other = current(&ch.tx, other_id).map_err(|e| ApiFailure {
                field: Some("with".into()),
                ..e
            })?;
            if other.shift.person == first.shift.person {
                return Err(ApiFailure::field(
                    "with",
                    format!(
                        "both shifts are held by {}: nothing to exchange",
                        other.shift.person
                    ),
                ));
            }
            let (p1, ph1) = (first.shift.person.clone(), first.shift.phone.clone());
            let (p2, ph2) = (other.shift.person.clone(), other.shift.phone.clone());
            plan.push((first, p2, ph2, Some(other_id.clone())));
            plan.push((other, p1, ph1, Some(req.shift_id.clone())));
        }
        _ => {
            return Err(ApiFailure::field(
                "person",
                "give either the person who takes the shift (替班) or the shift to exchange with (调班), not both",
            ));
        }
    }
    let mut out = Vec::new();
    for (before, person, phone, exchange_with) in plan {
        let seq = ch.next_seq("shift", at)?;
        let record = Swap {
            id: new_id("swap"),
            shift_id: before.shift.id.clone(),
            person,
            phone,
            previous_person: before.shift.person.clone(),
            previous_phone: before.shift.phone.clone(),
            asked_by: req.asked_by.clone(),
            approved_by: req.approved_by.clone(),
            reason: req.reason.clone(),
            at,
            by: actor.by.clone(),
            via: actor.via.clone(),
            exchange_with,
            seq,
        };
        ch.tx.execute(
            "INSERT INTO shift_swaps (id, shift_id, seq, body) VALUES (?1, ?2, ?3, ?4)",
            params![
                record.id,
                record.shift_id,
                to_sql_int(seq),
                serde_json::to_string(&record)?
            ],
        )?;
        admin_log::append(
            ch,
            "roster.swap",
            actor,
            at,
            "",
            serde_json::to_value(&record)?,
            serde_json::Value::Null,
            seq,
        )?;
        let mut swaps = before.swaps;
        swaps.push(record);
        let now = applied(before.shift, swaps);
        ch.publish(seq, "shift", serde_json::to_string(&now)?)?;
        out.push(now);
    }
    Ok(out)
}

/// Current shifts overlapping `[from, to)`, by start then role, with swaps applied.
pub fn overlapping(
    conn: &Connection,
    from: Timestamp,
    to: Timestamp,
) -> ApiResult<Vec<RosterShift>> {
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM shifts WHERE replaced_by IS NULL AND start_ms < ?2 AND end_ms > ?1
         ORDER BY start_ms, role_rank, id",
    )?;
    let rows = stmt.query_map(params![ms(from), ms(to)], |r| r.get::<_, String>(0))?;
    let shifts: Vec<Shift> = rows.map(|row| decode(&row?)).collect::<ApiResult<_>>()?;
    let any_swaps: i64 = conn.query_row("SELECT COUNT(*) FROM shift_swaps", [], |r| r.get(0))?;
    shifts
        .into_iter()
        .map(|s| {
            let swaps = if any_swaps == 0 {
                Vec::new()
            } else {
                swaps_of(conn, &s.id)?
            };
            Ok(applied(s, swaps))
        })
        .collect()
}
