//! Incidents and their timelines. The incident row holds the incident without its
//! timeline; entries live in `timeline` and are joined in on every read, oldest first.

use super::bounded::{self, Bounded, Budget};
use super::{Changes, decode, ms, new_id, remember, remembered, to_sql_int};
use crate::model::{Incident, IncidentStatus, TimelineEntry, sort_timeline};
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::validate::{IncidentPatch, NewEntry, NewIncident};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

pub const EVENT: &str = "incident";
pub const TIMELINE_EVENT: &str = "timeline";

fn get_bare(conn: &Connection, id: &str) -> ApiResult<Option<Incident>> {
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM incidents WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?;
    body.as_deref().map(decode).transpose()
}

pub fn exists(conn: &Connection, id: &str) -> ApiResult<bool> {
    Ok(get_bare(conn, id)?.is_some())
}

pub fn get(conn: &Connection, id: &str) -> ApiResult<Option<Incident>> {
    let Some(mut incident) = get_bare(conn, id)? else {
        return Ok(None);
    };
    incident.timeline = timeline(conn, id)?;
    Ok(Some(incident))
}

pub fn timeline(conn: &Connection, incident_id: &str) -> ApiResult<Vec<TimelineEntry>> {
    let mut stmt = conn
        .prepare_cached("SELECT body FROM timeline WHERE incident_id = ?1 ORDER BY at_ms, seq")?;
    let rows = stmt.query_map(params![incident_id], |r| r.get::<_, String>(0))?;
    rows.map(|row| decode(&row?)).collect()
}

fn get_entry(conn: &Connection, id: &str) -> ApiResult<Option<TimelineEntry>> {
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM timeline WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?;
    body.as_deref().map(decode).transpose()
}

/// Which incidents a list carries besides the open ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// None: the watch screen's list.
    Leave,
    /// Those last changed at or after this instant (the console's recent history).
    After(Timestamp),
    /// Every one (history, a change feed).
    Include,
}

impl Closed {
    fn keeps(self, incident: &Incident) -> bool {
        match self {
            _ if incident.status != IncidentStatus::Closed => true,
            Closed::Leave => false,
            Closed::After(t) => incident.updated_at.unwrap_or(incident.opened_at) >= t,
            Closed::Include => true,
        }
    }
}

/// A page of incidents. An incident whose timeline alone is larger than an answer comes
/// with the oldest entries that fit (by seq) and its id in `timeline_cut`: the rest follow
/// from `GET /incidents/{id}/timeline?since=` the highest seq given.
#[derive(Debug)]
pub struct IncidentList {
    pub items: Vec<Incident>,
    pub more: bool,
    pub timeline_cut: Vec<String>,
}

/// Incidents changed after `since` (a new timeline entry counts), oldest change first,
/// each with its timeline, as many as fit in `limit` and `bytes`.
pub fn changed_since(
    conn: &Connection,
    since: u64,
    closed: Closed,
    limit: usize,
    bytes: usize,
) -> ApiResult<IncidentList> {
    // Closed incidents are most of a long history: leave them out in the query itself.
    let sql = if closed == Closed::Leave {
        "SELECT body FROM incidents WHERE seq > ?1 AND json_extract(body, '$.status') IS NOT 'closed'
         ORDER BY seq"
    } else {
        "SELECT body FROM incidents WHERE seq > ?1 ORDER BY seq"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params![to_sql_int(since)])?;
    let mut budget = Budget::new(limit, bytes);
    let mut list = IncidentList {
        items: Vec::new(),
        more: false,
        timeline_cut: Vec::new(),
    };
    while let Some(row) = rows.next()? {
        let body: String = row.get(0)?;
        let mut incident: Incident = decode(&body)?;
        if !closed.keeps(&incident) {
            continue;
        }
        let entries = entries_after(conn, &incident.id, 0)?;
        let whole = body.len() + entries.iter().map(|e| e.len() + 1).sum::<usize>();
        if list.items.is_empty() && whole > bytes {
            let mut room = Budget::new(usize::MAX, bytes.saturating_sub(body.len()));
            incident.timeline = entries
                .iter()
                .take_while(|e| room.take(e.len() + 1))
                .map(|e| decode(e))
                .collect::<ApiResult<_>>()?;
            sort_timeline(&mut incident.timeline);
            list.timeline_cut.push(incident.id.clone());
            budget.take(bytes);
            list.items.push(incident);
            continue;
        }
        if !budget.take(whole) {
            list.more = true;
            break;
        }
        incident.timeline = entries
            .iter()
            .map(|e| decode(e))
            .collect::<ApiResult<_>>()?;
        sort_timeline(&mut incident.timeline);
        list.items.push(incident);
    }
    Ok(list)
}

/// An incident's entries after `since`, by seq: the order pages follow.
fn entries_after(conn: &Connection, incident_id: &str, since: u64) -> ApiResult<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM timeline WHERE incident_id = ?1 AND seq > ?2 ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![incident_id, to_sql_int(since)], |r| {
        r.get::<_, String>(0)
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A page of an incident's entries after `since`, by seq, as many as fit.
pub fn timeline_page(
    conn: &Connection,
    incident_id: &str,
    since: u64,
    limit: usize,
    bytes: usize,
) -> ApiResult<Bounded<TimelineEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM timeline WHERE incident_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(
        params![incident_id, to_sql_int(since), to_sql_int(limit as u64 + 1)],
        |r| r.get::<_, String>(0),
    )?;
    bounded::collect(rows, limit, bytes)
}

/// Stores the incident under the next seq and emits the change: the incident's fields
/// without its timeline, whose entries went out as events of their own when they were
/// added. Closing an incident of a thousand entries is then one small event, not the
/// whole record (a reader keeps the entries it holds).
fn save(ch: &mut Changes<'_>, incident: &mut Incident, now: Timestamp) -> ApiResult<()> {
    incident.seq = ch.next_seq(EVENT, now)?;
    store_row(&ch.tx, incident)?;
    let mut bare = incident.clone();
    bare.timeline = Vec::new();
    ch.publish(incident.seq, EVENT, serde_json::to_string(&bare)?)?;
    incident.timeline = timeline(&ch.tx, &incident.id)?;
    Ok(())
}

fn store_row(conn: &Connection, incident: &Incident) -> ApiResult<()> {
    let mut bare = incident.clone();
    bare.timeline = Vec::new();
    conn.execute(
        "INSERT INTO incidents (id, seq, opened_ms, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, opened_ms = excluded.opened_ms,
                                       body = excluded.body",
        params![
            incident.id,
            to_sql_int(incident.seq),
            ms(incident.opened_at),
            serde_json::to_string(&bare)?
        ],
    )?;
    Ok(())
}

pub fn create(
    ch: &mut Changes<'_>,
    new: NewIncident,
    now: Timestamp,
) -> ApiResult<(Incident, bool)> {
    const SCOPE: &str = "incident";
    if let Some(key) = &new.idempotency_key
        && let Some(id) = remembered(&ch.tx, SCOPE, key)?
    {
        let earlier = get(&ch.tx, &id)?.ok_or_else(|| {
            ApiFailure::internal(format!(
                "idempotency key {key:?} names a missing incident {id:?}"
            ))
        })?;
        return Ok((earlier, false));
    }
    let id = match new.id {
        Some(id) if exists(&ch.tx, &id)? => {
            return Err(ApiFailure::conflict(
                "id",
                format!("an incident with id {id:?} already exists"),
            ));
        }
        Some(id) => id,
        None => new_id("incident"),
    };
    let mut incident = Incident {
        origin: String::new(),
        id,
        title: new.title,
        category: new.category,
        grade: new.grade,
        district: new.district,
        status: IncidentStatus::Open,
        opened_at: new.opened_at.unwrap_or(now),
        updated_at: Some(now),
        timeline: Vec::new(),
        seq: 0,
    };
    save(ch, &mut incident, now)?;
    if let Some(key) = &new.idempotency_key {
        remember(&ch.tx, SCOPE, key, &incident.id)?;
    }
    Ok((incident, true))
}

pub fn patch(
    ch: &mut Changes<'_>,
    id: &str,
    patch: IncidentPatch,
    now: Timestamp,
) -> ApiResult<Incident> {
    let mut incident =
        get_bare(&ch.tx, id)?.ok_or_else(|| ApiFailure::not_found("incident", id))?;
    let scope = format!("patch:{id}");
    if let Some(key) = &patch.idempotency_key
        && remembered(&ch.tx, &scope, key)?.is_some()
    {
        // Applying it again could undo a change someone made since.
        return Ok(incident);
    }
    if let Some(title) = patch.title {
        incident.title = title;
    }
    if let Some(category) = patch.category {
        incident.category = category;
    }
    if let Some(grade) = patch.grade {
        incident.grade = grade;
    }
    if let Some(district) = patch.district {
        incident.district = district;
    }
    if let Some(status) = patch.status {
        incident.status = status;
    }
    incident.updated_at = Some(now);
    save(ch, &mut incident, now)?;
    if let Some(key) = &patch.idempotency_key {
        remember(&ch.tx, &scope, key, id)?;
    }
    Ok(incident)
}

/// Adds a timeline entry. The entry is the event; the incident takes the entry's seq and
/// `updated_at` so `GET /incidents?since=` finds it, without a second event.
/// Returns the entry and whether it is new (false: repeated idempotency key).
pub fn add_entry(
    ch: &mut Changes<'_>,
    incident_id: &str,
    new: NewEntry,
    now: Timestamp,
) -> ApiResult<(TimelineEntry, bool)> {
    let mut incident = get_bare(&ch.tx, incident_id)?
        .ok_or_else(|| ApiFailure::not_found("incident", incident_id))?;
    let scope = format!("timeline:{incident_id}");
    if let Some(key) = &new.idempotency_key
        && let Some(entry_id) = remembered(&ch.tx, &scope, key)?
    {
        let earlier = get_entry(&ch.tx, &entry_id)?.ok_or_else(|| {
            ApiFailure::internal(format!(
                "idempotency key {key:?} names a missing entry {entry_id:?}"
            ))
        })?;
        return Ok((earlier, false));
    }
    if let Some(corrected) = &new.corrects {
        match get_entry(&ch.tx, corrected)? {
            Some(e) if e.incident_id == incident_id => {}
            _ => {
                return Err(ApiFailure::field(
                    "corrects",
                    format!(
                        "`corrects` names no entry of incident {incident_id:?}: {corrected:?} \
                         (a correction refers to the entry it corrects, by its id)"
                    ),
                ));
            }
        }
    }
    let seq = ch.next_seq(TIMELINE_EVENT, now)?;
    let entry = TimelineEntry {
        id: new_id("entry"),
        incident_id: incident_id.to_owned(),
        at: new.at.unwrap_or(now),
        author: new.author.unwrap_or_default(),
        kind: new.kind,
        text: new.text,
        leader: new.leader,
        assignee: new.assignee,
        refers_to: new.refers_to,
        idempotency_key: new.idempotency_key.clone(),
        corrects: new.corrects,
        seat: new.seat,
        seq,
    };
    let body = serde_json::to_string(&entry)?;
    ch.tx.execute(
        "INSERT INTO timeline (id, incident_id, seq, at_ms, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            entry.id,
            entry.incident_id,
            to_sql_int(seq),
            ms(entry.at),
            body
        ],
    )?;
    ch.publish(seq, TIMELINE_EVENT, body)?;
    incident.seq = seq;
    incident.updated_at = Some(now);
    store_row(&ch.tx, &incident)?;
    if let Some(key) = &new.idempotency_key {
        remember(&ch.tx, &scope, key, &entry.id)?;
    }
    Ok((entry, true))
}
