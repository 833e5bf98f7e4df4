//! The admin-only routes: the office's data loaded and kept current over the API, the
//! same operations as `watchroom admin` (see `server::admin`).

use crate::model::Office;
use crate::server::AppState;
use crate::server::admin::org::OfficeChange;
use crate::server::admin::users::{self, Issued, NewUser};
use crate::server::admin::{self, LogEntry, experts, org, roster};
use crate::server::auth::Caller;
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::extract::{ApiPath, ApiQuery, JsonBody, RawBody};
use crate::server::store::admin_log;
use crate::server::store::audit::{self, AuditEntry};
use crate::server::store::people::User;
use crate::server::store::roster::{RosterShift, SwapRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

fn flag(q: &ApiQuery, name: &str) -> ApiResult<bool> {
    match q.0.get(name).map(|s| s.trim().to_lowercase()).as_deref() {
        None | Some("") | Some("false") | Some("0") | Some("no") => Ok(false),
        Some("true") | Some("1") | Some("yes") => Ok(true),
        Some(other) => Err(ApiFailure::field(
            name,
            format!("`{name}` must be true or false, not {other:?}"),
        )),
    }
}

/// The name the uploaded file goes by in messages (`file:line: …`).
fn origin(q: &ApiQuery, default: &str) -> String {
    q.0.get("name")
        .map(|n| crate::model::text::sanitize(n).trim().to_owned())
        .filter(|n| !n.is_empty() && n.chars().count() <= 200)
        .unwrap_or_else(|| default.to_owned())
}

fn format(q: &ApiQuery, allowed: &[&str]) -> ApiResult<Option<String>> {
    match q.0.get("format").map(|s| s.trim().to_lowercase()) {
        None => Ok(None),
        Some(f) if f.is_empty() => Ok(None),
        Some(f) if allowed.contains(&f.as_str()) => Ok(Some(f)),
        Some(f) => Err(ApiFailure::field(
            "format",
            format!("`format` must be one of {}, not {f:?}", allowed.join(", ")),
        )),
    }
}

async fn blocking<R: Send + 'static>(
    f: impl FnOnce() -> ApiResult<R> + Send + 'static,
) -> ApiResult<R> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiFailure::internal(format!("admin task failed: {e}")))?
}

pub async fn import_experts(
    State(app): State<AppState>,
    caller: Caller,
    q: ApiQuery,
    RawBody(bytes): RawBody,
) -> ApiResult<Json<experts::ExpertsReport>> {
    let who = caller.admin_actor(q.0.get("by").map(String::as_str))?;
    let (dry_run, skip_bad) = (flag(&q, "dry_run")?, flag(&q, "skip_bad")?);
    let origin = origin(&q, "upload");
    let json = match format(&q, &["csv", "json"])? {
        Some(f) => Some(f == "json"),
        None => experts::format_of(&origin),
    };
    let now = app.clock.now();
    let store = app.store.clone();
    let report = blocking(move || {
        let imported = experts::read(&bytes, &origin, json)?;
        experts::import(&store, imported, &origin, skip_bad, dry_run, &who, now)
    })
    .await?;
    Ok(Json(report))
}

pub async fn import_roster(
    State(app): State<AppState>,
    caller: Caller,
    q: ApiQuery,
    RawBody(bytes): RawBody,
) -> ApiResult<Json<roster::RosterReport>> {
    let who = caller.admin_actor(q.0.get("by").map(String::as_str))?;
    let (dry_run, skip_bad) = (flag(&q, "dry_run")?, flag(&q, "skip_bad")?);
    let origin = origin(&q, "upload");
    let format = format(&q, &["csv", "ics"])?;
    let now = app.clock.now();
    let mut window = roster::default_window(now);
    if let Some(from) = super::duty::instant(&q, "from")? {
        window.0 = from;
    }
    if let Some(to) = super::duty::instant(&q, "to")? {
        window.1 = to;
    }
    let store = app.store.clone();
    let report = blocking(move || {
        let (zone, handover) = roster::office_defaults(&store)?;
        let opts = roster::ReadOptions {
            zone,
            handover,
            window,
            now,
        };
        let ics = match format.as_deref() {
            Some(f) => f == "ics",
            None => roster::is_ics(&origin, &bytes),
        };
        let read = if ics {
            roster::read_ics(&bytes, &origin, &opts)?
        } else {
            roster::read_csv(&bytes, &origin, &opts)?
        };
        roster::import(&store, read, &origin, skip_bad, dry_run, &who, now)
    })
    .await?;
    Ok(Json(report))
}

pub async fn swap(
    State(app): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Vec<RosterShift>>> {
    body.only(&[
        "by",
        "shift_id",
        "person",
        "phone",
        "with",
        "asked_by",
        "approved_by",
        "reason",
    ])?;
    let who = caller.admin_actor(body.text("by", 64)?.as_deref())?;
    let person = body.text("person", 64)?;
    let exchange_with = body.ident("with")?;
    if person.is_none() && exchange_with.is_none() {
        return Err(ApiFailure::field(
            "person",
            "give `person` (who takes the shift: 替班) or `with` (the shift to exchange with: 调班)",
        ));
    }
    let req = SwapRequest {
        shift_id: body
            .ident("shift_id")?
            .ok_or_else(|| ApiFailure::field("shift_id", "missing field `shift_id`"))?,
        person: person.map(|p| admin::name("person", &p)).transpose()?,
        phone: body.text("phone", 64)?.unwrap_or_default(),
        exchange_with,
        asked_by: admin::name("asked_by", &body.req_text("asked_by", 64)?)?,
        approved_by: admin::name("approved_by", &body.req_text("approved_by", 64)?)?,
        reason: body.text("reason", 4000)?.unwrap_or_default(),
    };
    let now = app.clock.now();
    let store = app.store.clone();
    let changed = blocking(move || roster::swap(&store, &req, &who, now)).await?;
    Ok(Json(changed))
}

pub async fn set_org(
    State(app): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Office>> {
    body.only(&["by", "name", "zone", "handover"])?;
    let who = caller.admin_actor(body.text("by", 64)?.as_deref())?;
    let change = OfficeChange {
        name: body.text("name", 200)?,
        zone: body.text("zone", 64)?,
        handover: body.text("handover", 16)?,
    };
    if change.is_empty() {
        return Err(ApiFailure::field(
            "name",
            "give at least one of `name`, `zone`, `handover`",
        ));
    }
    let now = app.clock.now();
    let store = app.store.clone();
    Ok(Json(
        blocking(move || org::set(&store, &change, &who, now)).await?,
    ))
}

pub async fn log(State(app): State<AppState>) -> ApiResult<Json<crate::model::Page<LogEntry>>> {
    let items = app.store.read(admin_log::list).await?;
    Ok(Json(crate::model::Page {
        items,
        next_cursor: None,
        more: false,
    }))
}

pub async fn get_org(State(app): State<AppState>) -> ApiResult<Json<Office>> {
    app.store
        .read(crate::server::store::org::get)
        .await?
        .map(Json)
        .ok_or_else(|| {
            ApiFailure::new(
                axum::http::StatusCode::NOT_FOUND,
                "no office is set: watchroom admin org --name NAME --zone Asia/Shanghai",
            )
        })
}

/// `POST /api/v1/admin/users`: `{"name", "role", "phone"}` for a person, or `{"seat",
/// "role"}` for a shared seat. `201` with the user and, this once, the token.
pub async fn add_user(
    State(app): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Issued>)> {
    body.only(&["by", "name", "seat", "role", "phone"])?;
    let who = caller.admin_actor(body.text("by", 64)?.as_deref())?;
    let (name, seat) = match (body.text("name", 64)?, body.text("seat", 64)?) {
        (Some(n), None) => (n, false),
        (None, Some(s)) => (s, true),
        (Some(_), Some(_)) => {
            return Err(ApiFailure::field(
                "seat",
                "give `name` (a person) or `seat` (a shared seat), not both",
            ));
        }
        (None, None) => {
            return Err(ApiFailure::field(
                "name",
                "give `name` (the person, e.g. 林某婷) or `seat` (a shared seat, e.g. 值班台1)",
            ));
        }
    };
    let role = users::parse_role("role", &body.req_text("role", 16)?)?;
    let new = NewUser {
        name,
        role,
        phone: body.text("phone", 64)?.unwrap_or_default(),
        seat,
    };
    let now = app.clock.now();
    let store = app.store.clone();
    let issued = blocking(move || users::add(&store, new, &who, now)).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

pub async fn list_users(State(app): State<AppState>) -> ApiResult<Json<crate::model::Page<User>>> {
    let items = app.store.read(crate::server::store::people::list).await?;
    Ok(Json(crate::model::Page {
        items,
        next_cursor: None,
        more: false,
    }))
}

/// `POST /api/v1/admin/users/{id}/disable`: the user's tokens stop working.
pub async fn disable_user(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<User>> {
    body.only(&["by"])?;
    let who = caller.admin_actor(body.text("by", 64)?.as_deref())?;
    let now = app.clock.now();
    let store = app.store.clone();
    Ok(Json(
        blocking(move || users::disable(&store, &id, &who, now)).await?,
    ))
}

/// `POST /api/v1/admin/users/{id}/token`: a new token; the old one stops working.
pub async fn rotate_token(
    State(app): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Issued>> {
    body.only(&["by"])?;
    let who = caller.admin_actor(body.text("by", 64)?.as_deref())?;
    let now = app.clock.now();
    let store = app.store.clone();
    Ok(Json(
        blocking(move || users::rotate(&store, &id, &who, now)).await?,
    ))
}

/// `GET /api/v1/audit?since=RFC3339&limit=N`: the audit trail, oldest first.
pub async fn audit_trail(
    State(app): State<AppState>,
    q: ApiQuery,
) -> ApiResult<Json<crate::model::Page<AuditEntry>>> {
    let since = super::duty::instant(&q, "since")?;
    let limit = super::limit(&q)?;
    let items = app
        .store
        .read(move |conn| audit::since(conn, since, limit))
        .await?;
    Ok(Json(crate::model::Page {
        items,
        next_cursor: None,
        more: false,
    }))
}
