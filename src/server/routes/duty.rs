//! Health, roster, experts and handovers.

use super::limit;
use crate::model::{ExpertDirectory, Handover, Health, Page};
use crate::server::AppState;
use crate::server::auth::Caller;
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::extract::{ApiPath, ApiQuery, JsonBody};
use crate::server::store::bounded::ANSWER_BYTES;
use crate::server::store::roster::RosterShift;
use crate::server::store::{experts, handovers, org, roster};
use crate::server::validate;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};

pub async fn health(State(app): State<AppState>) -> ApiResult<Json<Health>> {
    let office = app.store.read(org::get).await?;
    Ok(Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        time: Timestamp::now(),
        demo: app.demo,
        office,
    }))
}

/// `GET /api/v1/me`: who the token is, so that a console offers that person.
pub async fn me(caller: Caller) -> Json<crate::model::Me> {
    Json(caller.identity.me())
}

/// The widest roster window one request may ask for.
const MAX_WINDOW_DAYS: i64 = 366;

pub(super) fn instant(q: &ApiQuery, name: &str) -> ApiResult<Option<Timestamp>> {
    match q.0.get(name).map(|s| s.trim()) {
        None | Some("") => Ok(None),
        Some(s) => validate::time::parse(s).map(Some).map_err(|why| {
            ApiFailure::field(
                name,
                format!(
                    "`{name}` must be an RFC 3339 time such as {} (a `+` written %2B), not {s:?}: {why}",
                    validate::time::EXAMPLE
                ),
            )
        }),
    }
}

pub async fn roster(
    State(app): State<AppState>,
    q: ApiQuery,
) -> ApiResult<Json<Page<RosterShift>>> {
    let now = Timestamp::now();
    let day = SignedDuration::from_hours(24);
    let from = instant(&q, "from")?.unwrap_or(now - day);
    let to = instant(&q, "to")?.unwrap_or(now + day * 2);
    if to <= from {
        return Err(ApiFailure::field("to", "`to` must be later than `from`"));
    }
    if to.duration_since(from) > day * MAX_WINDOW_DAYS as i32 {
        return Err(ApiFailure::field(
            "to",
            format!("the window from `from` to `to` may span at most {MAX_WINDOW_DAYS} days"),
        ));
    }
    let items = app
        .store
        .read(move |conn| roster::overlapping(conn, from, to))
        .await?;
    Ok(Json(Page {
        items,
        next_cursor: None,
        more: false,
    }))
}

pub async fn experts(State(app): State<AppState>) -> ApiResult<Json<ExpertDirectory>> {
    Ok(Json(app.store.read(experts::directory).await?))
}

pub async fn handovers(
    State(app): State<AppState>,
    q: ApiQuery,
) -> ApiResult<Json<Page<Handover>>> {
    let limit = limit(&q)?;
    let found = app
        .store
        .read(move |conn| handovers::list(conn, limit, ANSWER_BYTES))
        .await?;
    Ok(Json(Page {
        items: found.items,
        next_cursor: None,
        more: found.more,
    }))
}

pub async fn create_handover(
    State(app): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Handover>)> {
    let mut new = validate::new_handover(&body)?;
    let (outgoing, seat) = caller.person("outgoing", new.outgoing.take())?;
    new.outgoing = Some(outgoing.clone());
    new.outgoing_seat = seat.clone();
    let now = Timestamp::now();
    let (handover, created) = app
        .store
        .write(move |ch| {
            let (handover, created) = handovers::create(ch, new, now)?;
            caller.audit(&ch.tx, &outgoing, seat, &handover.id, None, now)?;
            Ok((handover, created))
        })
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(handover)))
}

pub async fn confirm_handover(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Handover>> {
    let given = validate::confirm_handover(&body)?;
    let (incoming, seat) = caller.person("incoming", given)?;
    let now = Timestamp::now();
    let handover = app
        .store
        .write(move |ch| {
            let handover = handovers::confirm(ch, &id, incoming.clone(), seat.clone(), now)?;
            caller.audit(&ch.tx, &incoming, seat, &id, None, now)?;
            Ok(handover)
        })
        .await?;
    Ok(Json(handover))
}
