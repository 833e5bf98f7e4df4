//! Alerts: create (with Update/Cancel threading), acknowledge, list by change cursor.

use super::bounded;
use super::{Changes, decode, ms, new_id, remember, remembered, to_sql_int};
use crate::model::{Alert, MsgType};
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::validate::{AckInput, NewAlert, SilenceInput};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

pub const EVENT: &str = "alert";

pub fn get(conn: &Connection, id: &str) -> ApiResult<Option<Alert>> {
    let body: Option<String> = conn
        .query_row("SELECT body FROM alerts WHERE id = ?1", params![id], |r| {
            r.get(0)
        })
        .optional()?;
    body.as_deref().map(decode).transpose()
}

/// Alerts whose latest change is after `since`, oldest change first, as the JSON of a
/// page (see `bounded::raw_page`): a body is stored as the alert's JSON with its seq.
pub fn changed_since(
    conn: &Connection,
    since: u64,
    limit: usize,
    bytes: usize,
) -> ApiResult<String> {
    let mut stmt =
        conn.prepare_cached("SELECT seq, body FROM alerts WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
    let rows = stmt.query_map(
        params![to_sql_int(since), to_sql_int(limit as u64 + 1)],
        |r| {
            Ok((
                u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                r.get::<_, String>(1)?,
            ))
        },
    )?;
    bounded::raw_page(rows, since, limit, bytes)
}

/// Gives the alert the next seq, stores it and records the event.
fn save(ch: &mut Changes<'_>, alert: &mut Alert, now: Timestamp) -> ApiResult<()> {
    alert.seq = ch.next_seq(EVENT, now)?;
    let body = serde_json::to_string(&*alert)?;
    ch.tx.execute(
        "INSERT INTO alerts (id, seq, sent_ms, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, sent_ms = excluded.sent_ms,
                                       body = excluded.body",
        params![
            alert.id.as_str(),
            to_sql_int(alert.seq),
            ms(alert.sent),
            body
        ],
    )?;
    ch.publish(alert.seq, EVENT, body)
}

/// Stores a new alert. An update or cancel marks the alerts it references as superseded
/// (each of those changes is an event too). Returns the alert and whether it is new
/// (false: the idempotency key was seen before and the earlier alert is returned).
pub fn create(ch: &mut Changes<'_>, new: NewAlert, now: Timestamp) -> ApiResult<(Alert, bool)> {
    const SCOPE: &str = "alert";
    if let Some(key) = &new.idempotency_key
        && let Some(id) = remembered(&ch.tx, SCOPE, key)?
    {
        let earlier = get(&ch.tx, &id)?.ok_or_else(|| {
            ApiFailure::internal(format!(
                "idempotency key {key:?} names a missing alert {id:?}"
            ))
        })?;
        return Ok((earlier, false));
    }
    let mut alert = new.alert;
    if alert.id.is_empty() {
        alert.id = new_id("alert").into();
    } else if get(&ch.tx, &alert.id)?.is_some() {
        return Err(ApiFailure::conflict(
            "id",
            format!(
                "an alert with id {:?} already exists; send an update with `references` instead",
                alert.id
            ),
        ));
    }
    alert.extra.superseded_by = None;
    alert.ack = None;
    alert.silence = None;
    save(ch, &mut alert, now)?;
    if alert.msg_type != MsgType::Alert {
        for reference in &alert.extra.references {
            let Some(mut earlier) = get(&ch.tx, reference)? else {
                // An update may name an alert this server never saw; nothing to mark.
                continue;
            };
            if earlier.extra.superseded_by.as_deref() != Some(alert.id.as_str()) {
                earlier.extra.superseded_by = Some(alert.id.to_string());
                save(ch, &mut earlier, now)?;
            }
        }
    }
    if let Some(key) = &new.idempotency_key {
        remember(&ch.tx, SCOPE, key, &alert.id)?;
    }
    Ok((alert, true))
}

/// Sets (or, with `until` now, lifts) the alert's silence. A repeated idempotency key
/// changes nothing.
pub fn silence(
    ch: &mut Changes<'_>,
    id: &str,
    input: &SilenceInput,
    now: Timestamp,
) -> ApiResult<Alert> {
    let mut alert = get(&ch.tx, id)?.ok_or_else(|| ApiFailure::not_found("alert", id))?;
    let scope = format!("silence:{id}");
    if let Some(key) = &input.idempotency_key
        && remembered(&ch.tx, &scope, key)?.is_some()
    {
        return Ok(alert);
    }
    alert.silence = Some(Box::new(input.silence.clone()));
    save(ch, &mut alert, now)?;
    if let Some(key) = &input.idempotency_key {
        remember(&ch.tx, &scope, key, id)?;
    }
    Ok(alert)
}

/// Records who acknowledged the alert. A repeated idempotency key changes nothing.
pub fn ack(ch: &mut Changes<'_>, id: &str, input: &AckInput, now: Timestamp) -> ApiResult<Alert> {
    let mut alert = get(&ch.tx, id)?.ok_or_else(|| ApiFailure::not_found("alert", id))?;
    let scope = format!("ack:{id}");
    if let Some(key) = &input.idempotency_key
        && remembered(&ch.tx, &scope, key)?.is_some()
    {
        return Ok(alert);
    }
    alert.ack = Some(Box::new(input.to_ack(now)));
    save(ch, &mut alert, now)?;
    if let Some(key) = &input.idempotency_key {
        remember(&ch.tx, &scope, key, id)?;
    }
    Ok(alert)
}
