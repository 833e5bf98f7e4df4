//! Shift handover records (交接班记录): drafted by the outgoing officer, confirmed by the
//! incoming one.

use super::bounded::{self, Bounded};
use super::{Changes, decode, ms, new_id, remember, remembered, to_sql_int};
use crate::model::Handover;
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::validate::NewHandover;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

pub const EVENT: &str = "handover";

pub fn get(conn: &Connection, id: &str) -> ApiResult<Option<Handover>> {
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM handovers WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?;
    body.as_deref().map(decode).transpose()
}

/// Newest first.
/// Newest first, as many as fit in `limit` and `bytes`.
pub fn list(conn: &Connection, limit: usize, bytes: usize) -> ApiResult<Bounded<Handover>> {
    let mut stmt = conn
        .prepare_cached("SELECT body FROM handovers ORDER BY created_ms DESC, seq DESC LIMIT ?1")?;
    let rows = stmt.query_map(params![to_sql_int(limit as u64 + 1)], |r| {
        r.get::<_, String>(0)
    })?;
    bounded::collect(rows, limit, bytes)
}

fn save(ch: &mut Changes<'_>, handover: &Handover, now: Timestamp) -> ApiResult<()> {
    let seq = ch.next_seq(EVENT, now)?;
    let body = serde_json::to_string(handover)?;
    ch.tx.execute(
        "INSERT INTO handovers (id, seq, created_ms, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, body = excluded.body",
        params![
            handover.id,
            to_sql_int(seq),
            ms(handover.created_at.unwrap_or(now)),
            body
        ],
    )?;
    ch.publish(seq, EVENT, body)
}

pub fn create(
    ch: &mut Changes<'_>,
    new: NewHandover,
    now: Timestamp,
) -> ApiResult<(Handover, bool)> {
    const SCOPE: &str = "handover";
    if let Some(key) = &new.idempotency_key
        && let Some(id) = remembered(&ch.tx, SCOPE, key)?
    {
        let earlier = get(&ch.tx, &id)?.ok_or_else(|| {
            ApiFailure::internal(format!(
                "idempotency key {key:?} names a missing handover {id:?}"
            ))
        })?;
        return Ok((earlier, false));
    }
    let handover = Handover {
        id: new_id("handover"),
        outgoing: new.outgoing.unwrap_or_default(),
        outgoing_seat: new.outgoing_seat,
        incoming_seat: None,
        incoming: new.incoming,
        shift_start: new.shift_start,
        shift_end: new.shift_end,
        notes: new.notes,
        created_at: Some(now),
        confirmed_at: None,
        report: new.report,
    };
    save(ch, &handover, now)?;
    if let Some(key) = &new.idempotency_key {
        remember(&ch.tx, SCOPE, key, &handover.id)?;
    }
    Ok((handover, true))
}

/// The incoming officer confirms; the outgoing one cannot. Confirming again by the same
/// person changes nothing (a retried request); a different person cannot re-sign a
/// confirmed record.
pub fn confirm(
    ch: &mut Changes<'_>,
    id: &str,
    incoming: String,
    seat: Option<String>,
    now: Timestamp,
) -> ApiResult<Handover> {
    let mut handover = get(&ch.tx, id)?.ok_or_else(|| ApiFailure::not_found("handover", id))?;
    if handover.confirmed_at.is_some() {
        if handover.incoming == incoming {
            return Ok(handover);
        }
        return Err(ApiFailure::conflict(
            "incoming",
            format!(
                "handover {id:?} was already confirmed by {:?}",
                handover.incoming
            ),
        ));
    }
    // The confirmation is the second signature: one person cannot give both.
    if handover.outgoing == incoming {
        return Err(ApiFailure {
            status: axum::http::StatusCode::FORBIDDEN,
            error: format!(
                "handover {id:?} was signed by {incoming} as the outgoing officer: the \
                 incoming officer confirms it (接班), with their own token"
            ),
            field: Some("incoming".to_owned()),
        });
    }
    handover.incoming = incoming;
    handover.incoming_seat = seat;
    handover.confirmed_at = Some(now);
    save(ch, &handover, now)?;
    Ok(handover)
}
