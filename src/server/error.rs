//! The one error type of the API: every failure becomes `{"error": "...", "field": "..."}`
//! with a fitting status, so no plain-text error ever reaches a client.

use crate::model::ApiError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    pub status: StatusCode,
    pub error: String,
    pub field: Option<String>,
}

impl ApiFailure {
    pub fn new(status: StatusCode, error: impl Into<String>) -> Self {
        ApiFailure {
            status,
            error: error.into(),
            field: None,
        }
    }

    /// A 400 that names the offending field, so a client can point at it.
    pub fn field(field: &str, error: impl Into<String>) -> Self {
        ApiFailure {
            status: StatusCode::BAD_REQUEST,
            error: error.into(),
            field: Some(field.to_owned()),
        }
    }

    pub fn bad_request(error: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error)
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("no {what} with id {id:?}"))
    }

    pub fn unauthorized(error: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, error)
    }

    pub fn conflict(field: &str, error: impl Into<String>) -> Self {
        ApiFailure {
            status: StatusCode::CONFLICT,
            error: error.into(),
            field: Some(field.to_owned()),
        }
    }

    pub fn internal(error: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, error)
    }
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} (field {field}): {}", self.status, self.error),
            None => write!(f, "{}: {}", self.status, self.error),
        }
    }
}

impl std::error::Error for ApiFailure {}

impl From<rusqlite::Error> for ApiFailure {
    fn from(e: rusqlite::Error) -> Self {
        ApiFailure::internal(format!("database error: {e}"))
    }
}

impl From<serde_json::Error> for ApiFailure {
    /// Only reached for records the server itself stored: request bodies are parsed
    /// field by field in `validate`, which names the field.
    fn from(e: serde_json::Error) -> Self {
        ApiFailure::internal(format!("stored record is not valid JSON: {e}"))
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let status = self.status;
        let body = ApiError {
            error: self.error,
            field: self.field,
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"watchroom\""),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiFailure>;
