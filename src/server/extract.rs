//! Request extractors whose every rejection is an `ApiFailure` (JSON), never axum's
//! plain-text rejection bodies.

use super::error::ApiFailure;
use super::validate::Obj;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// A JSON object body, parsed but not yet interpreted: handlers read it field by field
/// (see `validate`) so every error can name its field.
pub struct JsonBody(pub Obj);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiFailure;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiFailure> {
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            ApiFailure::new(
                r.status(),
                format!("cannot read the request body: {}", r.body_text()),
            )
        })?;
        Obj::parse(&bytes).map(JsonBody)
    }
}

/// Query parameters as plain strings; each handler parses the ones it knows.
pub struct ApiQuery(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for ApiQuery {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiFailure> {
        let Query(map) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|r| ApiFailure::bad_request(format!("bad query string: {}", r.body_text())))?;
        Ok(ApiQuery(map))
    }
}

/// Path parameters (`{id}`), with a JSON rejection.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiFailure> {
        let Path(value) = Path::<T>::from_request_parts(parts, state)
            .await
            .map_err(|r| ApiFailure::field("id", format!("bad path: {}", r.body_text())))?;
        Ok(ApiPath(value))
    }
}

/// A request body taken as it is (a file being uploaded), with a JSON rejection.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiFailure;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiFailure> {
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            ApiFailure::new(
                r.status(),
                format!("cannot read the request body: {}", r.body_text()),
            )
        })?;
        Ok(RawBody(bytes))
    }
}
