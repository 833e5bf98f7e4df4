use super::{cursor, limit};
use crate::model::{Incident, IncidentPage, Page, TimelineEntry};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::extract::{ApiPath, ApiQuery, JsonBody};
use crate::server::store::bounded::ANSWER_BYTES;
use crate::server::store::incidents::{self, Closed};
use crate::server::validate;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;

/// The watch screen's list by default: open incidents only. `closed_after=T` adds those
/// closed and last changed at or after T, `status=all` every one (history; a change feed
/// with `since`).
pub async fn list(State(app): State<AppState>, q: ApiQuery) -> ApiResult<Json<IncidentPage>> {
    let since = cursor(&q, "since")?;
    let limit = limit(&q)?;
    let closed = closed(&q)?;
    let found = app
        .store
        .read(move |conn| incidents::changed_since(conn, since, closed, limit, ANSWER_BYTES))
        .await?;
    let next = found.items.last().map_or(since, |i| i.seq);
    Ok(Json(IncidentPage {
        items: found.items,
        next_cursor: Some(next.to_string()),
        more: found.more,
        timeline_cut: found.timeline_cut,
    }))
}

fn closed(q: &ApiQuery) -> ApiResult<Closed> {
    let after = super::duty::instant(q, "closed_after")?;
    match (q.0.get("status").map(|s| s.trim()), after) {
        (Some("all"), _) => Ok(Closed::Include),
        (None | Some("") | Some("open"), None) => Ok(Closed::Leave),
        (None | Some("") | Some("open"), Some(t)) => Ok(Closed::After(t)),
        (Some(other), _) => Err(ApiFailure::field(
            "status",
            format!("`status` must be open (the default) or all, not {other:?}"),
        )),
    }
}

pub async fn one(
    State(app): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Incident>> {
    let found = {
        let id = id.clone();
        app.store
            .read(move |conn| incidents::get(conn, &id))
            .await?
    };
    found
        .map(Json)
        .ok_or_else(|| ApiFailure::not_found("incident", &id))
}

pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Incident>)> {
    let new = validate::new_incident(&body)?;
    let (by, seat) = caller.unnamed()?;
    let now = Timestamp::now();
    let (incident, created) = app
        .store
        .write(move |ch| {
            let (incident, created) = incidents::create(ch, new, now)?;
            let seq = created.then_some(incident.seq);
            caller.audit(&ch.tx, &by, seat, &incident.id, seq, now)?;
            Ok((incident, created))
        })
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(incident)))
}

pub async fn patch(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Incident>> {
    let patch = validate::incident_patch(&body)?;
    let (by, seat) = caller.unnamed()?;
    let now = Timestamp::now();
    let incident = app
        .store
        .write(move |ch| {
            let incident = incidents::patch(ch, &id, patch, now)?;
            caller.audit(&ch.tx, &by, seat, &id, Some(incident.seq), now)?;
            Ok(incident)
        })
        .await?;
    Ok(Json(incident))
}

/// An incident's entries after `since`, by seq, as many as fit in `limit` and the answer's
/// size; `more` says a next page follows from `next_cursor`.
pub async fn timeline(
    State(app): State<AppState>,
    ApiPath(id): ApiPath<String>,
    q: ApiQuery,
) -> ApiResult<Json<Page<TimelineEntry>>> {
    let since = cursor(&q, "since")?;
    let limit = limit(&q)?;
    let entries = {
        let id = id.clone();
        app.store
            .read(move |conn| {
                if !incidents::exists(conn, &id)? {
                    return Ok(None);
                }
                incidents::timeline_page(conn, &id, since, limit, ANSWER_BYTES).map(Some)
            })
            .await?
    };
    let found = entries.ok_or_else(|| ApiFailure::not_found("incident", &id))?;
    let next = found.items.iter().map(|e| e.seq).max().unwrap_or(since);
    Ok(Json(Page {
        items: found.items,
        next_cursor: Some(next.to_string()),
        more: found.more,
    }))
}

/// Entry kinds only a chief or a leader may write: a leader instruction (批示) and its
/// closing (办结).
pub const INSTRUCTION_KINDS: [&str; 2] = ["批示", "办结"];

pub async fn add_entry(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<TimelineEntry>)> {
    let now = Timestamp::now();
    let mut new = validate::timeline_entry(&body, now)?;
    if INSTRUCTION_KINDS.contains(&new.kind.as_str()) && !caller.identity.role.gives_instructions()
    {
        return Err(ApiFailure {
            status: StatusCode::FORBIDDEN,
            error: format!(
                "a {} entry (a leader instruction, or its closing) is recorded by a chief or a \
                 leader; this token's role is {}",
                new.kind, caller.identity.role
            ),
            field: Some("kind".to_owned()),
        });
    }
    let (author, seat) = caller.person("author", new.author.take())?;
    new.author = Some(author.clone());
    new.seat = seat.clone();
    let (entry, created) = app
        .store
        .write(move |ch| {
            let (entry, created) = incidents::add_entry(ch, &id, new, now)?;
            let seq = created.then_some(entry.seq);
            caller.audit(&ch.tx, &author, seat, &entry.id, seq, now)?;
            Ok((entry, created))
        })
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(entry)))
}
