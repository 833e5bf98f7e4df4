use super::{cursor, limit};
use crate::model::{Incident, Page, TimelineEntry};
use crate::server::AppState;
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::extract::{ApiPath, ApiQuery, JsonBody};
use crate::server::store::incidents;
use crate::server::validate;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;

pub async fn list(State(app): State<AppState>, q: ApiQuery) -> ApiResult<Json<Page<Incident>>> {
    let since = cursor(&q, "since")?;
    let limit = limit(&q)?;
    let items = app
        .store
        .read(move |conn| incidents::changed_since(conn, since, limit))
        .await?;
    let next = items.last().map_or(since, |i| i.seq);
    Ok(Json(Page {
        items,
        next_cursor: Some(next.to_string()),
    }))
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
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Incident>)> {
    let new = validate::new_incident(&body)?;
    let now = Timestamp::now();
    let (incident, created) = app
        .store
        .write(move |ch| incidents::create(ch, new, now))
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
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Incident>> {
    let patch = validate::incident_patch(&body)?;
    let now = Timestamp::now();
    let incident = app
        .store
        .write(move |ch| incidents::patch(ch, &id, patch, now))
        .await?;
    Ok(Json(incident))
}

pub async fn timeline(
    State(app): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Page<TimelineEntry>>> {
    let entries = {
        let id = id.clone();
        app.store
            .read(move |conn| {
                if !incidents::exists(conn, &id)? {
                    return Ok(None);
                }
                incidents::timeline(conn, &id).map(Some)
            })
            .await?
    };
    let items = entries.ok_or_else(|| ApiFailure::not_found("incident", &id))?;
    let next = items.iter().map(|e| e.seq).max().unwrap_or(0);
    Ok(Json(Page {
        items,
        next_cursor: Some(next.to_string()),
    }))
}

pub async fn add_entry(
    State(app): State<AppState>,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<TimelineEntry>)> {
    let now = Timestamp::now();
    let new = validate::timeline_entry(&body, now)?;
    let (entry, created) = app
        .store
        .write(move |ch| incidents::add_entry(ch, &id, new, now))
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(entry)))
}
