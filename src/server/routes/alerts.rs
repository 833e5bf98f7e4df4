use super::{cursor, limit};
use crate::model::Alert;
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::extract::{ApiPath, ApiQuery, JsonBody};
use crate::server::store::alerts;
use crate::server::store::bounded::ANSWER_BYTES;
use crate::server::validate;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

pub async fn list(State(app): State<AppState>, q: ApiQuery) -> ApiResult<Response> {
    let since = cursor(&q, "since")?;
    let limit = limit(&q)?;
    let json = app
        .store
        .read(move |conn| alerts::changed_since(conn, since, limit, ANSWER_BYTES))
        .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
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
    caller: Caller,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Alert>)> {
    let now = Timestamp::now();
    let new = validate::new_alert(&body, now)?;
    // An alert names no officer: the token's person (or seat) is the actor.
    let (by, seat) = caller.unnamed()?;
    let (alert, created) = app
        .store
        .write(move |ch| {
            let (alert, created) = alerts::create(ch, new, now)?;
            caller.audit(
                &ch.tx,
                &by,
                seat,
                &alert.id,
                created.then_some(alert.seq),
                now,
            )?;
            Ok((alert, created))
        })
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
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Alert>> {
    let now = Timestamp::now();
    let mut input = validate::silence(&body, now)?;
    let (officer, seat) = caller.person("officer", input.officer.take())?;
    input.silence.officer = officer.clone();
    input.silence.seat = seat.clone();
    let alert = app
        .store
        .write(move |ch| {
            let alert = alerts::silence(ch, &id, &input, now)?;
            caller.audit(&ch.tx, &officer, seat, &id, Some(alert.seq), now)?;
            Ok(alert)
        })
        .await?;
    Ok(Json(alert))
}

pub async fn ack(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Alert>> {
    let mut input = validate::ack(&body)?;
    let (officer, seat) = caller.person("officer", input.officer.take())?;
    input.officer = Some(officer.clone());
    input.seat = seat.clone();
    let now = Timestamp::now();
    let alert = app
        .store
        .write(move |ch| {
            let alert = alerts::ack(ch, &id, &input, now)?;
            caller.audit(&ch.tx, &officer, seat, &id, Some(alert.seq), now)?;
            Ok(alert)
        })
        .await?;
    Ok(Json(alert))
}
