//! The UI's one error type. Each variant documents its status; every error but the
//! login redirect is rendered as a page in the user's language by [`render_errors`],
//! which knows the request's language. Internal errors are logged, never shown.

use askama::Template;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sepakat_store::StoreError;

use crate::i18n::Lang;
use crate::session::lang_of;
use crate::ui::page::Page;

/// What went wrong while serving a UI page.
#[derive(Debug, thiserror::Error)]
pub enum UiError {
    /// 303 to `/login`: no live session.
    #[error("login required")]
    LoginRequired,
    /// 403: the user's role may not open this page.
    #[error("forbidden")]
    Forbidden,
    /// 403: the form's CSRF token is missing or wrong.
    #[error("csrf token missing or wrong")]
    Csrf,
    /// 404: no such page, or data of another creditor.
    #[error("not found")]
    NotFound,
    /// 400: malformed input.
    #[error("bad request")]
    BadRequest,
    /// 500: a store or template failure; the message goes to the log only.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for UiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => UiError::NotFound,
            other => UiError::Internal(other.to_string()),
        }
    }
}

impl From<crate::work::WorkError> for UiError {
    /// For handlers that do not draw the refusal on their own page.
    fn from(e: crate::work::WorkError) -> Self {
        use crate::work::WorkError as W;
        match e {
            W::Forbidden | W::NotYours | W::HeldBy { .. } | W::Denied(_) => UiError::Forbidden,
            W::NotFound => UiError::NotFound,
            W::Store(e) => UiError::Internal(e.to_string()),
            W::Paused { .. }
            | W::Refused { .. }
            | W::Invalid { .. }
            | W::Terms(_)
            | W::Conflict(_) => UiError::BadRequest,
        }
    }
}

impl From<askama::Error> for UiError {
    fn from(e: askama::Error) -> Self {
        UiError::Internal(format!("template: {e}"))
    }
}

/// Marks a response whose page `render_errors` still has to draw.
#[derive(Debug, Clone, Copy)]
struct ErrorPage(Kind);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Forbidden,
    Csrf,
    NotFound,
    BadRequest,
    Internal,
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let (status, kind) = match self {
            UiError::LoginRequired => return Redirect::to("/login").into_response(),
            UiError::Forbidden => (StatusCode::FORBIDDEN, Kind::Forbidden),
            UiError::Csrf => (StatusCode::FORBIDDEN, Kind::Csrf),
            UiError::NotFound => (StatusCode::NOT_FOUND, Kind::NotFound),
            UiError::BadRequest => (StatusCode::BAD_REQUEST, Kind::BadRequest),
            UiError::Internal(message) => {
                tracing::error!(error = %message, "internal error in UI");
                (StatusCode::INTERNAL_SERVER_ERROR, Kind::Internal)
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage(kind));
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    page: Page,
    heading: &'static str,
    text: &'static str,
}

/// Middleware: draws marked error responses as a page in the request's language.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let lang = lang_of(request.headers());
    let response = next.run(request).await;
    match response.extensions().get::<ErrorPage>().copied() {
        Some(ErrorPage(kind)) => error_page(lang, response.status(), kind),
        None => response,
    }
}

fn error_page(lang: Lang, status: StatusCode, kind: Kind) -> Response {
    let s = lang.strings();
    let (heading, text) = match kind {
        Kind::Forbidden => (s.forbidden_title, s.forbidden_text),
        Kind::Csrf => (s.forbidden_title, s.csrf_text),
        Kind::NotFound => (s.not_found_title, s.not_found_text),
        Kind::BadRequest => (s.bad_request_title, s.bad_request_text),
        Kind::Internal => (s.internal_title, s.internal_text),
    };
    let page = ErrorTemplate {
        page: Page::anonymous(lang, heading),
        heading,
        text,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering the error page failed");
            (status, text).into_response()
        }
    }
}

/// Fallback for unknown UI paths.
pub async fn not_found() -> UiError {
    UiError::NotFound
}
