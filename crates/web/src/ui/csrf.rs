//! CSRF protection for every form POST, checked here and nowhere else.
//!
//! Signed-in forms carry the session's token in the hidden field `csrf_token`. The login
//! form has no session yet, so it uses a double submit: the same random value in the
//! `sepakat_csrf` cookie and in the field. A missing or wrong token is a 403. Forms that
//! upload files (`multipart/form-data`) carry the same field as one of their parts.

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

/// Upload forms (evidence files) may be larger: the largest accepted recording (20 MB)
/// twice over, with room for the other fields.
pub const MAX_UPLOAD_BYTES: usize = 48 * 1024 * 1024;

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
    let boundary = multipart_boundary(&request);
    let (parts, body) = request.into_parts();
    let limit = if boundary.is_some() {
        MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    };
    let bytes = to_bytes(body, limit)
        .await
        .map_err(|_| UiError::BadRequest)?;
    let given = match &boundary {
        Some(b) => multipart_field(&bytes, b, FIELD),
        None => form_field(&bytes, FIELD),
    };
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

/// The boundary of a `multipart/form-data` request, if it is one.
fn multipart_boundary(request: &Request) -> Option<String> {
    let value = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    let (kind, params) = value.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.eq_ignore_ascii_case("boundary")
            .then(|| v.trim_matches('"').to_string())
    })
}

/// The text of one plain (non-file) part of a `multipart/form-data` body.
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let wanted = format!("name=\"{name}\"");
    let text = String::from_utf8_lossy(body);
    text.split(delimiter.as_str()).find_map(|part| {
        let (headers, value) = part.split_once("\r\n\r\n")?;
        let disposition = headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
        let named = disposition.split(';').any(|p| p.trim() == wanted.as_str());
        (named && !disposition.contains("filename="))
            .then(|| value.strip_suffix("\r\n").unwrap_or(value).to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_field_is_found_among_files() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ--\r\n";
        assert_eq!(
            multipart_field(body, "XyZ", "csrf_token").as_deref(),
            Some("abc123")
        );
        assert_eq!(multipart_field(body, "XyZ", "evidence"), None);
        assert_eq!(multipart_field(body, "XyZ", "missing"), None);
    }

    #[test]
    fn form_fields_are_found_and_decoded() {
        let body = b"username=a+b&csrf_token=x%2Fy&password=p";
        assert_eq!(form_field(body, "csrf_token").as_deref(), Some("x/y"));
        assert_eq!(form_field(body, "username").as_deref(), Some("a b"));
        assert_eq!(form_field(body, "missing"), None);
        assert_eq!(form_field(b"\xff\xfe", "csrf_token"), None);
    }
}
