//! Switching the active creditor for agency users who serve several.
//!
//! The session's creditor is fixed at creation, so a switch opens a new session for the
//! chosen creditor and ends the old one: the token rotates, which also keeps a stolen
//! old cookie from following the user.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use sepakat_store::{EntityRef, NewAudit, NewSession};
use serde::Deserialize;

use crate::auth::new_token;
use crate::session::{set_cookie, CookieSpec, CurrentUser, SESSION_COOKIE};
use crate::ui::error::UiError;
use crate::AppState;

/// `POST /kreditur`.
pub fn router() -> Router<AppState> {
    Router::new().route("/kreditur", post(switch))
}

#[derive(Deserialize)]
struct SwitchForm {
    creditor: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0))]
async fn switch(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<SwitchForm>,
) -> Result<Response, UiError> {
    let Some(target) = user
        .creditors
        .iter()
        .find(|c| c.code == form.creditor)
        .cloned()
    else {
        return Err(UiError::Forbidden);
    };
    let now = state.now();
    let ttl = state.config().session_ttl;
    let (token, token_hash) = new_token();
    let old = user.token_hash.clone();
    let actor = user.actor();
    let csrf_token = user.csrf_token.clone();
    let user_id = user.user.id;
    state
        .store(move |s| {
            s.create_session(&NewSession {
                token_hash,
                user: user_id,
                creditor: target.id,
                csrf_token,
                created_at: now,
                expires_at: now + ttl,
            })?;
            s.delete_session(&old)?;
            s.record_audit(&NewAudit {
                creditor: Some(target.id),
                at: now,
                actor,
                action: "session.creditor_switched".into(),
                entity: EntityRef::new("creditor", target.id),
                detail: serde_json::json!({ "code": target.code }),
            })
        })
        .await?;
    let spec = CookieSpec {
        max_age: Some(ttl.num_seconds()),
        secure: state.config().secure_cookies,
    };
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, spec));
    Ok(response)
}
