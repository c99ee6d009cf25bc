//! The API's one error type, answered as `{"error": {"code", "message", "field"}}`.
//! Internal errors are logged and answered with a generic message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sepakat_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// What went wrong with an API call.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 401: no bearer token, or one that matches no user.
    #[error("missing or invalid bearer token")]
    Unauthorized,
    /// 403: the user may not do this, or the creditor is not theirs.
    #[error("{0}")]
    Forbidden(&'static str),
    /// 404: no such resource for the active creditor.
    #[error("not found")]
    NotFound,
    /// 422 (or 400 for unreadable bodies): a field is missing or wrong.
    #[error("{field:?}: {message}")]
    Validation {
        /// HTTP status (400 malformed body, 422 a bad value).
        status: StatusCode,
        /// The offending field (None when the body as a whole is wrong).
        field: Option<&'static str>,
        /// What is wrong with it.
        message: String,
    },
    /// 409: a uniqueness rule refused the change.
    #[error("{message}")]
    Conflict {
        /// The field that collided.
        field: Option<&'static str>,
        /// Why.
        message: String,
    },
    /// 500: logged, never shown.
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 422 naming the field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Validation {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            field: Some(field),
            message: message.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => ApiError::NotFound,
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// The error envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// One error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code: `unauthorized`, `forbidden`, `not_found`, `invalid`,
    /// `malformed`, `conflict`, `internal`.
    pub code: &'static str,
    /// Human-readable explanation (English).
    pub message: String,
    /// The offending request field, when one is to blame.
    pub field: Option<&'static str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, field, message) = match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                None,
                "missing, invalid or expired bearer token".to_string(),
            ),
            ApiError::Forbidden(why) => (StatusCode::FORBIDDEN, "forbidden", None, why.to_string()),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                None,
                "no such resource for this creditor".to_string(),
            ),
            ApiError::Validation {
                status,
                field,
                message,
            } => {
                let code = if status == StatusCode::BAD_REQUEST {
                    "malformed"
                } else {
                    "invalid"
                };
                (status, code, field, message)
            }
            ApiError::Conflict { field, message } => {
                (StatusCode::CONFLICT, "conflict", field, message)
            }
            ApiError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error in API");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    None,
                    "internal error; it has been logged".to_string(),
                )
            }
        };
        let mut response = (
            status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code,
                    message,
                    field,
                },
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
