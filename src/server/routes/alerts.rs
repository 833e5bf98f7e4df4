use super::{cursor, limit};
use crate::model::{Alert, Page};
use crate::server::AppState;
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::extract::{ApiPath, ApiQuery, JsonBody};
use crate::server::store::alerts;
use crate::server::validate;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;

pub async fn list(State(app): State<AppState>, q: ApiQuery) -> ApiResult<Json<Page<Alert>>> {
    let since = cursor(&q, "since")?;
    let limit = limit(&q)?;
    let items = app
        .store
        .read(move |conn| alerts::changed_since(conn, since, limit))
        .await?;
    let next = items.last().map_or(since, |a| a.seq);
    Ok(Json(Page {
        items,
        next_cursor: Some(next.to_string()),
    }))
}

pub async fn one(
    State(app): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Alert>> {
    let found = {
        let id = id.clone();
        app.store.read(move |conn| alerts::get(conn, &id)).await?
    };
    found
        .map(Json)
        .ok_or_else(|| ApiFailure::not_found("alert", &id))
}

pub async fn create(
    State(app): State<AppState>,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Alert>)> {
    let now = Timestamp::now();
    let new = validate::new_alert(&body, now)?;
    let (alert, created) = app
        .store
        .write(move |ch| alerts::create(ch, new, now))
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(alert)))
}

pub async fn silence(
    State(app): State<AppState>,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Alert>> {
    let now = Timestamp::now();
    let input = validate::silence(&body, now)?;
    let alert = app
        .store
        .write(move |ch| alerts::silence(ch, &id, &input, now))
        .await?;
    Ok(Json(alert))
}

pub async fn ack(
    State(app): State<AppState>,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Alert>> {
    let input = validate::ack(&body)?;
    let now = Timestamp::now();
    let alert = app
        .store
        .write(move |ch| alerts::ack(ch, &id, &input, now))
        .await?;
    Ok(Json(alert))
}
