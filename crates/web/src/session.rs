//! Login sessions and cookies: who is using the UI, for which creditor, in which language.
//!
//! `resolve` runs once per UI request: it looks the session cookie up (only the token's
//! SHA-256 is stored) and leaves a [`CurrentUser`] in the request for the extractors,
//! the CSRF check and the role layers to share, so the store is asked once.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use sepakat_domain::Role;
use sepakat_store::{Actor, Creditor, User};

use crate::auth::sha256_hex;
use crate::i18n::Lang;
use crate::ui::error::UiError;
use crate::AppState;

/// The session cookie (holds the random token; the store keeps only its hash).
pub const SESSION_COOKIE: &str = "sepakat_session";
/// The pre-session CSRF cookie of the login form (double submit).
pub const CSRF_COOKIE: &str = "sepakat_csrf";
/// The UI language cookie.
pub const LANG_COOKIE: &str = "lang";

/// The logged-in user of a UI request, with the active creditor.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user.
    pub user: User,
    /// The creditor this session works for; every read passes it to the store.
    pub creditor: Creditor,
    /// All creditors the user serves (for the switcher), by code.
    pub creditors: Vec<Creditor>,
    /// The session's CSRF token for forms.
    pub csrf_token: String,
    /// SHA-256 of the session token (to end or rotate the session).
    pub(crate) token_hash: String,
}

impl CurrentUser {
    /// The user as an audit actor.
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.username)
    }

    /// The user's role.
    pub fn role(&self) -> Role {
        self.user.role
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(UiError::LoginRequired)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(lang_of(&parts.headers))
    }
}

/// The language chosen by cookie, Indonesian by default.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(|v| Lang::parse(&v))
        .unwrap_or_default()
}

/// Middleware: resolves the session cookie into a [`CurrentUser`] request extension.
pub async fn resolve(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, UiError> {
    if let Some(token) = cookie(request.headers(), SESSION_COOKIE) {
        if let Some(user) = lookup(&state, &token).await? {
            request.extensions_mut().insert(user);
        }
    }
    Ok(next.run(request).await)
}

async fn lookup(state: &AppState, token: &str) -> Result<Option<CurrentUser>, UiError> {
    let token_hash = sha256_hex(token);
    let now = state.now();
    let found = state
        .store(move |s| {
            let Some(session) = s.session(&token_hash, now)? else {
                return Ok(None);
            };
            let creditors: Vec<Creditor> = s
                .creditors()?
                .into_iter()
                .filter(|c| session.user.creditors.contains(&c.id))
                .collect();
            Ok(Some((session, creditors, token_hash)))
        })
        .await?;
    let Some((session, creditors, token_hash)) = found else {
        return Ok(None);
    };
    // A session whose creditor the user no longer serves is treated as logged out.
    let Some(creditor) = creditors.iter().find(|c| c.id == session.creditor).cloned() else {
        return Ok(None);
    };
    Ok(Some(CurrentUser {
        user: session.user,
        creditor,
        creditors,
        csrf_token: session.csrf_token,
        token_hash,
    }))
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_string())
}

/// How a cookie is set.
#[derive(Debug, Clone, Copy)]
pub struct CookieSpec {
    /// Seconds to live; 0 deletes; None makes a browser-session cookie.
    pub max_age: Option<i64>,
    /// `Secure` attribute.
    pub secure: bool,
}

/// A `Set-Cookie` value: always HttpOnly, SameSite=Lax, Path=/. Values are tokens or
/// language codes from this module, never user input, so they need no quoting.
pub fn set_cookie(name: &str, value: &str, spec: CookieSpec) -> HeaderValue {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = spec.max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    if spec.secure {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("xlang=fr; lang=en; sepakat_session=abc"),
        );
        assert_eq!(cookie(&h, "lang").as_deref(), Some("en"));
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "missing"), None);
        assert_eq!(lang_of(&h), Lang::En);
    }

    #[test]
    fn an_unknown_language_cookie_falls_back_to_indonesian() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("lang=fr"));
        assert_eq!(lang_of(&h), Lang::Id);
    }

    #[test]
    fn session_cookies_are_http_only_lax_and_secure_when_asked() {
        let v = set_cookie(
            SESSION_COOKIE,
            "tok",
            CookieSpec {
                max_age: Some(60),
                secure: true,
            },
        );
        let v = v.to_str().unwrap();
        assert!(v.starts_with("sepakat_session=tok; Path=/; HttpOnly; SameSite=Lax"));
        assert!(v.contains("Max-Age=60"));
        assert!(v.ends_with("; Secure"));
        let plain = set_cookie(
            LANG_COOKIE,
            "en",
            CookieSpec {
                max_age: None,
                secure: false,
            },
        );
        assert!(!plain.to_str().unwrap().contains("Secure"));
    }
}
