//! The HTTP surface of duty API v1. Handlers stay thin: read the request (extract,
//! validate), call the store, shape the answer.

mod admin;
mod alerts;
mod duty;
mod incidents;

use super::error::{ApiFailure, ApiResult};
use super::extract::ApiQuery;
use super::{AppState, auth, events, metrics};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post, put};

/// Request bodies are small records; anything larger is a mistake or an attack.
const MAX_BODY: usize = 256 * 1024;
/// An uploaded expert pool or roster file (a year's roster is a few hundred KiB).
const MAX_UPLOAD: usize = 8 * 1024 * 1024;
pub const DEFAULT_LIMIT: usize = 1000;
pub const MAX_LIMIT: usize = 5000;

pub fn router(app: AppState) -> Router {
    let uploads = Router::new()
        .route("/api/v1/admin/experts/import", post(admin::import_experts))
        .route("/api/v1/admin/roster/import", post(admin::import_roster))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD));
    let admin = Router::new()
        .route("/api/v1/admin/roster/swaps", post(admin::swap))
        .route("/api/v1/admin/org", put(admin::set_org))
        .route("/api/v1/admin/log", get(admin::log))
        .route(
            "/api/v1/admin/users",
            get(admin::list_users).post(admin::add_user),
        )
        .route(
            "/api/v1/admin/users/{id}/disable",
            post(admin::disable_user),
        )
        .route("/api/v1/admin/users/{id}/token", post(admin::rotate_token))
        .route("/api/v1/audit", get(admin::audit_trail))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .merge(uploads);
    let protected = Router::new()
        .merge(admin)
        .route("/api/v1/org", get(admin::get_org))
        .route("/api/v1/me", get(duty::me))
        .route("/api/v1/alerts", get(alerts::list).post(alerts::create))
        .route("/api/v1/alerts/{id}", get(alerts::one))
        .route("/api/v1/alerts/{id}/ack", post(alerts::ack))
        .route("/api/v1/alerts/{id}/silence", post(alerts::silence))
        .route(
            "/api/v1/incidents",
            get(incidents::list).post(incidents::create),
        )
        .route(
            "/api/v1/incidents/{id}",
            get(incidents::one).patch(incidents::patch),
        )
        .route(
            "/api/v1/incidents/{id}/timeline",
            get(incidents::timeline).post(incidents::add_entry),
        )
        .route("/api/v1/roster", get(duty::roster))
        .route("/api/v1/experts", get(duty::experts))
        .route(
            "/api/v1/handovers",
            get(duty::handovers).post(duty::create_handover),
        )
        .route(
            "/api/v1/handovers/{id}/confirm",
            post(duty::confirm_handover),
        )
        .route("/api/v1/events", get(events::stream))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .route_layer(middleware::from_fn_with_state(
            app.clone(),
            auth::require_token,
        ));
    Router::new()
        .route("/api/v1/health", get(duty::health))
        .route("/metrics", get(metrics::scrape))
        .merge(protected)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Outermost, after the routes and fallbacks it counts: it sees every answer.
        .layer(middleware::from_fn_with_state(app.clone(), metrics::track))
        .with_state(app)
}

async fn not_found() -> ApiFailure {
    ApiFailure::new(
        StatusCode::NOT_FOUND,
        "no such endpoint: see docs/api.md for the duty API v1 routes",
    )
}

async fn method_not_allowed() -> ApiFailure {
    ApiFailure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "this endpoint does not accept that method: see docs/api.md",
    )
}

/// A change cursor (`since`): the decimal seq of the last change the client has.
fn cursor(q: &ApiQuery, name: &str) -> ApiResult<u64> {
    match q.0.get(name).map(|s| s.trim()) {
        None | Some("") => Ok(0),
        Some(s) => s.parse().map_err(|_| {
            ApiFailure::field(
                name,
                format!(
                    "`{name}` must be a cursor from an earlier answer's next_cursor, not {s:?}"
                ),
            )
        }),
    }
}

fn limit(q: &ApiQuery) -> ApiResult<usize> {
    match q.0.get("limit").map(|s| s.trim()) {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(ApiFailure::field(
                "limit",
                format!("`limit` must be a whole number from 1 to {MAX_LIMIT}, not {s:?}"),
            )),
        },
    }
}
