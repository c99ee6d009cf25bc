//! The language switch: `GET /bahasa/{id|en}` sets the `lang` cookie and goes back to
//! the page the user came from (only ever to a path on this site).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::i18n::Lang;
use crate::session::{set_cookie, CookieSpec, LANG_COOKIE};
use crate::ui::error::UiError;
use crate::AppState;

/// `GET /bahasa/{lang}`.
pub fn router() -> Router<AppState> {
    Router::new().route("/bahasa/{lang}", get(switch))
}

#[derive(Deserialize)]
struct Back {
    next: Option<String>,
}

async fn switch(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(back): Query<Back>,
    headers: HeaderMap,
) -> Result<Response, UiError> {
    let lang = Lang::parse(&code).ok_or(UiError::NotFound)?;
    let target = back
        .next
        .as_deref()
        .and_then(local_path)
        .or_else(|| referer_path(&headers))
        .unwrap_or_else(|| "/".to_string());
    let spec = CookieSpec {
        max_age: Some(365 * 24 * 3600),
        secure: state.config().secure_cookies,
    };
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang.code(), spec),
    );
    Ok(response)
}

/// A path on this site (`/akun?q=x`), refusing `//host` and anything with a scheme.
fn local_path(text: &str) -> Option<String> {
    let ok = text.starts_with('/')
        && !text.starts_with("//")
        && !text.contains('\\')
        && !text.chars().any(|c| c.is_control());
    ok.then(|| text.to_string())
}

/// The path of the Referer when it points to this host.
fn referer_path(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let path = rest.strip_prefix(host)?;
    local_path(if path.is_empty() { "/" } else { path })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(local_path("/akun?q=x").as_deref(), Some("/akun?q=x"));
        assert_eq!(local_path("//evil.example"), None);
        assert_eq!(local_path("https://evil.example"), None);
        assert_eq!(local_path("/\\evil"), None);
    }

    #[test]
    fn the_referer_counts_only_for_this_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        h.insert(
            header::REFERER,
            HeaderValue::from_static("http://127.0.0.1:8080/akun/3"),
        );
        assert_eq!(referer_path(&h).as_deref(), Some("/akun/3"));
        h.insert(
            header::REFERER,
            HeaderValue::from_static("http://evil.example/akun/3"),
        );
        assert_eq!(referer_path(&h), None);
    }
}
