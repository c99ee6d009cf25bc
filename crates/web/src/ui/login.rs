//! Logging in and out: argon2id verification, lock-out after repeated failures, and
//! sessions whose token only the browser holds (the store keeps its SHA-256).

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use chrono::{DateTime, Utc};
use sepakat_domain::Zone;
use sepakat_store::{Actor, EntityRef, LoginAttempt, NewAudit, NewSession, Store, StoreResult};
use serde::Deserialize;

use crate::auth::{new_token, random_token, verify_password};
use crate::format;
use crate::i18n::Lang;
use crate::session::{cookie, set_cookie, CookieSpec, CurrentUser, CSRF_COOKIE, SESSION_COOKIE};
use crate::ui::error::UiError;
use crate::ui::page::{render, Page};
use crate::AppState;

/// `GET/POST /login`, `POST /logout`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(form).post(submit))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    csrf_token: String,
    username: String,
    error: Option<String>,
}

/// The login form's fields (the CSRF token is checked by the middleware).
#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

#[tracing::instrument(skip_all)]
async fn form(
    State(state): State<AppState>,
    lang: Lang,
    user: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
) -> Result<Response, UiError> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let (token, set) = match cookie(&headers, CSRF_COOKIE) {
        Some(t) if !t.is_empty() => (t, false),
        _ => (random_token(), true),
    };
    let html = render(&login_page(lang, token.clone(), String::new(), None))?;
    let mut response = html.into_response();
    if set {
        let spec = CookieSpec {
            max_age: None,
            secure: state.config().secure_cookies,
        };
        response
            .headers_mut()
            .append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &token, spec));
    }
    Ok(response)
}

fn login_page(
    lang: Lang,
    csrf_token: String,
    username: String,
    error: Option<String>,
) -> LoginPage {
    LoginPage {
        page: Page::anonymous(lang, lang.strings().login_title),
        csrf_token,
        username,
        error,
    }
}

/// What a login attempt came to.
enum Outcome {
    /// Logged in: the session token for the cookie.
    Success(String),
    /// Wrong password or unknown user (indistinguishable to the client).
    Failed,
    /// Locked until then.
    Locked(DateTime<Utc>),
}

#[tracing::instrument(skip_all)]
async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    connect: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    Form(login): Form<LoginForm>,
) -> Result<Response, UiError> {
    let remote = connect.map(|Extension(ConnectInfo(addr))| addr.ip().to_string());
    let username = login.username.trim().to_string();
    let outcome = attempt(&state, username.clone(), login.password, remote).await?;
    let s = lang.strings();
    let message = match outcome {
        Outcome::Success(token) => {
            let spec = CookieSpec {
                max_age: Some(state.config().session_ttl.num_seconds()),
                secure: state.config().secure_cookies,
            };
            let mut response = Redirect::to("/").into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, spec));
            return Ok(response);
        }
        Outcome::Failed => s.login_failed.to_string(),
        Outcome::Locked(until) => {
            format!(
                "{} {}.",
                s.login_locked,
                format::date_time(lang, until, Zone::Wib)
            )
        }
    };
    let csrf = cookie(&headers, CSRF_COOKIE).unwrap_or_default();
    let html = render(&login_page(lang, csrf, username, Some(message)))?;
    Ok((StatusCode::UNAUTHORIZED, html).into_response())
}

/// Checks the password, applies the lock-out policy and opens a session.
async fn attempt(
    state: &AppState,
    username: String,
    password: String,
    remote: Option<String>,
) -> Result<Outcome, UiError> {
    let now = state.now();
    let config = state.config().clone();
    let outcome = state
        .store(move |s| {
            let Some(creds) = s.user_credentials(&username)? else {
                // Hash anyway so an unknown name takes as long as a wrong password.
                let _ = verify_password(&password, dummy_hash());
                audit_unknown_user(s, &username, now, remote)?;
                return Ok(Outcome::Failed);
            };
            let user = &creds.user;
            if let Some(until) = creds.locked_until.filter(|t| *t > now) {
                s.record_audit(&NewAudit {
                    creditor: None,
                    at: now,
                    actor: Actor::user(user.id, &user.username),
                    action: "login.refused_locked".into(),
                    entity: EntityRef::new("user", user.id),
                    detail: serde_json::json!({ "locked_until": until, "remote": remote }),
                })?;
                return Ok(Outcome::Locked(until));
            }
            if !verify_password(&password, &creds.password_hash) {
                // A lock that has run out starts the count afresh.
                let before = if creds.locked_until.is_some() {
                    0
                } else {
                    creds.failed_attempts
                };
                let failures = before + 1;
                let lock_until =
                    (failures >= config.lockout_threshold).then(|| now + config.lockout_duration);
                s.record_login(
                    user.id,
                    &LoginAttempt {
                        at: now,
                        success: false,
                        lock_until,
                        remote,
                    },
                )?;
                return Ok(match lock_until {
                    Some(until) => Outcome::Locked(until),
                    None => Outcome::Failed,
                });
            }
            let Some(creditor) = user.creditors.first().copied() else {
                return Ok(Outcome::Failed);
            };
            s.record_login(
                user.id,
                &LoginAttempt {
                    at: now,
                    success: true,
                    lock_until: None,
                    remote,
                },
            )?;
            let (token, token_hash) = new_token();
            s.create_session(&NewSession {
                token_hash,
                user: user.id,
                creditor,
                csrf_token: random_token(),
                created_at: now,
                expires_at: now + config.session_ttl,
            })?;
            Ok(Outcome::Success(token))
        })
        .await?;
    if !matches!(outcome, Outcome::Success(_)) {
        state.metrics.login_failed();
        tracing::info!("login failed");
    }
    Ok(outcome)
}

/// An argon2id hash of a random string, to spend the same time on unknown users.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::auth::hash_password(&random_token()).unwrap_or_default())
}

fn audit_unknown_user(
    s: &dyn Store,
    username: &str,
    now: DateTime<Utc>,
    remote: Option<String>,
) -> StoreResult<()> {
    let name: String = username.chars().take(64).collect();
    s.record_audit(&NewAudit {
        creditor: None,
        at: now,
        actor: Actor::system("anonymous"),
        action: "login.failed".into(),
        entity: EntityRef::new("user", &name),
        detail: serde_json::json!({ "reason": "unknown user", "username": name, "remote": remote }),
    })
}

#[tracing::instrument(skip_all)]
async fn logout(State(state): State<AppState>, user: CurrentUser) -> Result<Response, UiError> {
    let hash = user.token_hash.clone();
    state.store(move |s| s.delete_session(&hash)).await?;
    let spec = CookieSpec {
        max_age: Some(0),
        secure: state.config().secure_cookies,
    };
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", spec));
    Ok(response)
}
