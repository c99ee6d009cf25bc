//! CSRF protection for every form POST, checked here and nowhere else.
//!
//! Signed-in forms carry the session's token in the hidden field `csrf_token`. The login
//! form has no session yet, so it uses a double submit: the same random value in the
//! `sepakat_csrf` cookie and in the field. A missing or wrong token is a 403.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::constant_time_eq;
use crate::session::{cookie, CurrentUser, CSRF_COOKIE};
use crate::ui::error::UiError;

/// The hidden form field.
pub const FIELD: &str = "csrf_token";

/// Forms are small; anything larger is refused before parsing.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// Middleware: refuses unsafe requests whose form lacks the expected token.
pub async fn verify(request: Request, next: Next) -> Result<Response, UiError> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(next.run(request).await);
    }
    let expected = match request.extensions().get::<CurrentUser>() {
        Some(user) => Some(user.csrf_token.clone()),
        None => cookie(request.headers(), CSRF_COOKIE),
    };
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| UiError::BadRequest)?;
    let given = form_field(&bytes, FIELD);
    match (expected, given) {
        (Some(e), Some(g)) if !e.is_empty() && constant_time_eq(&e, &g) => Ok(next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await),
        _ => {
            tracing::warn!(path = %parts.uri.path(), "refused a form without a valid CSRF token");
            Err(UiError::Csrf)
        }
    }
}

/// One field of an `application/x-www-form-urlencoded` body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| {
            urlencoding::decode(&v.replace('+', " "))
                .ok()
                .map(|v| v.into_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_are_found_and_decoded() {
        let body = b"username=a+b&csrf_token=x%2Fy&password=p";
        assert_eq!(form_field(body, "csrf_token").as_deref(), Some("x/y"));
        assert_eq!(form_field(body, "username").as_deref(), Some("a b"));
        assert_eq!(form_field(body, "missing"), None);
        assert_eq!(form_field(b"\xff\xfe", "csrf_token"), None);
    }
}
