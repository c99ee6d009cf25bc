//! The server-rendered UI: login, portfolio overview, account search and detail, the
//! creditor and language switches. Each module exposes `router()`; `routes.rs` joins them.

pub mod account;
mod account_detail;
pub mod contact;
pub mod creditor;
pub mod csrf;
pub mod error;
pub mod language;
pub mod letter;
pub mod login;
pub mod message;
pub mod negotiation;
pub mod offer;
pub mod outbox;
pub mod page;
pub mod payment;
pub mod portfolio;
pub mod runs;
mod schedule;
pub mod team;
pub mod templates;
pub mod worklist;
mod workspace;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::session::CurrentUser;

/// Route layer of the portfolio pages: supervisors and up pass, collectors are sent to
/// their worklist.
pub async fn require_portfolio(user: CurrentUser, request: Request, next: Next) -> Response {
    if user.role().sees_portfolio() {
        next.run(request).await
    } else {
        Redirect::to("/kerja").into_response()
    }
}
