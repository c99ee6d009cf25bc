//! The API's one error type, answered as `{"error": {"code", "message", "field"}}`.
//! Internal errors are logged and answered with a generic message.

use std::borrow::Cow;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sepakat_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Lang;
use crate::work::WorkError;

/// What went wrong with an API call.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 401: no bearer token, or one that matches no user.
    #[error("missing or invalid bearer token")]
    Unauthorized,
    /// 403: the user may not do this, or the creditor is not theirs.
    #[error("{0}")]
    Forbidden(Cow<'static, str>),
    /// 404: no such resource for the active creditor.
    #[error("not found")]
    NotFound,
    /// 422 (or 400 for unreadable bodies): a field is missing or wrong.
    #[error("{field:?}: {message}")]
    Validation {
        /// HTTP status (400 malformed body, 422 a bad value).
        status: StatusCode,
        /// The offending field (None when the body as a whole is wrong).
        field: Option<Cow<'static, str>>,
        /// What is wrong with it.
        message: String,
    },
    /// 409: the change conflicts with the state of things (a uniqueness rule, an offer
    /// no longer pending, a paused account).
    #[error("{message}")]
    Conflict {
        /// The field that collided.
        field: Option<Cow<'static, str>>,
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
            field: Some(field.into()),
            message: message.into(),
        }
    }
}

impl From<WorkError> for ApiError {
    /// A refused work action, in English, naming the field or the rule.
    fn from(e: WorkError) -> Self {
        let message = e.message(Lang::En);
        match e {
            WorkError::Forbidden | WorkError::NotYours | WorkError::Denied(_) => {
                ApiError::Forbidden(message.into())
            }
            WorkError::NotFound => ApiError::NotFound,
            WorkError::Store(e) => ApiError::Internal(e.to_string()),
            WorkError::Invalid { field, .. } => ApiError::Validation {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                field: Some(field.into()),
                message,
            },
            WorkError::Terms(input) => ApiError::Validation {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                field: Some(input.field.into()),
                message: input.message,
            },
            WorkError::HeldBy { .. }
            | WorkError::Paused { .. }
            | WorkError::Refused { .. }
            | WorkError::Conflict(_) => ApiError::Conflict {
                field: None,
                message,
            },
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
    /// The offending request field, when one is to blame (a JSON path such as
    /// `assessment.monthly_income`).
    #[schema(value_type = Option<String>)]
    pub field: Option<Cow<'static, str>>,
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
            ApiError::Forbidden(why) => {
                (StatusCode::FORBIDDEN, "forbidden", None, why.into_owned())
            }
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
