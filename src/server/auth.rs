//! Bearer-token check for every route but health. Viewer tokens may read (GET, HEAD)
//! and are refused every write with 403.

use super::AppState;
use super::error::ApiFailure;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A fresh random token for a server started without one.
pub fn generate_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Tokens go into an HTTP header, so they must be visible ASCII without spaces.
pub fn check_token(token: &str) -> anyhow::Result<()> {
    if token.is_empty() {
        anyhow::bail!("an empty bearer token was given");
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        anyhow::bail!("bearer tokens must be printable ASCII without spaces");
    }
    Ok(())
}

/// Compares without stopping at the first differing byte, so response timing does not
/// reveal how much of a guess was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn require_token(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return ApiFailure::unauthorized(
            "missing bearer token: send the header `Authorization: Bearer <token>`",
        )
        .into_response();
    };
    let presented = value.to_str().ok().and_then(|v| {
        let (scheme, token) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    });
    let Some(presented) = presented else {
        return ApiFailure::unauthorized("the Authorization header must be `Bearer <token>`")
            .into_response();
    };
    let matches = |tokens: &[String]| {
        let mut ok = false;
        for token in tokens {
            ok |= same(token.as_bytes(), presented.as_bytes());
        }
        ok
    };
    if matches(&app.tokens) {
        return next.run(req).await;
    }
    if matches(&app.viewer_tokens) {
        if matches!(*req.method(), Method::GET | Method::HEAD) {
            return next.run(req).await;
        }
        return ApiFailure::new(
            StatusCode::FORBIDDEN,
            "this token may only read: ask for an officer's token to make changes",
        )
        .into_response();
    }
    ApiFailure::unauthorized("the bearer token is not valid for this server").into_response()
}

/// The admin routes: only the server's own (bootstrap) tokens — `--token`,
/// `WATCHROOM_TOKENS` — until personal tokens with an admin role exist. Runs after
/// `require_token`, so the token is known to be valid.
pub async fn require_admin(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' ').map(|(_, t)| t.trim().to_owned()))
        .unwrap_or_default();
    let mut ok = false;
    for token in app.tokens.iter() {
        ok |= same(token.as_bytes(), presented.as_bytes());
    }
    if ok {
        return next.run(req).await;
    }
    ApiFailure::new(
        StatusCode::FORBIDDEN,
        "the office's data is changed only with an admin token (one the server was started with: --token, WATCHROOM_TOKENS)",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_exactly() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
        assert!(check_token("t0k-EN_1").is_ok());
        assert!(check_token("has space").is_err());
        assert!(check_token("").is_err());
        assert_eq!(generate_token().len(), 32);
    }
}
