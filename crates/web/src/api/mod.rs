//! The JSON API under `/api/v1`, authenticated by bearer token.
//!
//! `authenticate` resolves the token (only its SHA-256 is stored) and the creditor once
//! per request: the `X-Sepakat-Creditor: CODE` header picks one of the user's creditors,
//! else their first. Each route group then checks its role in one route layer.

pub mod accounts;
pub mod error;
pub mod negotiation;
pub mod openapi;
pub mod outbox;
pub mod portfolio;
pub mod scoring;
pub mod supervision;
pub mod templates;
pub mod views;
pub mod work;

use axum::extract::{DefaultBodyLimit, FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use sepakat_store::{Actor, Creditor, User};
use serde::de::DeserializeOwned;

use crate::auth::sha256_hex;
use crate::AppState;
pub use error::ApiError;

/// The header choosing the creditor for multi-creditor users.
pub const CREDITOR_HEADER: &str = "x-sepakat-creditor";

/// The API's routes, grouped by who may call them; each group checks its role once.
pub fn router(state: AppState) -> Router<AppState> {
    let any_role = Router::new()
        .route("/portfolio", get(portfolio::get_portfolio))
        .route("/accounts", get(accounts::list_accounts))
        .route("/accounts/{id}", get(accounts::get_account))
        .route("/accounts/{id}/payments", get(accounts::list_payments))
        .route("/accounts/{id}/score", get(scoring::get_score))
        // Checks its role itself (supervisors, managers, compliance, admins).
        .route("/outbox", get(outbox::list));
    // The desk's flows check the role themselves (`work::negotiation`).
    let desk = Router::new()
        .route("/accounts/{id}/offers/preview", post(negotiation::preview))
        .route(
            "/accounts/{id}/offers",
            get(negotiation::list).post(negotiation::create),
        )
        .route(
            "/accounts/{id}/arrangements",
            get(negotiation::arrangements),
        )
        .route("/offers/pending", get(negotiation::pending))
        .route("/offers/{id}", get(negotiation::get))
        .route("/offers/{id}/decision", post(negotiation::decide))
        .route("/offers/{id}/accept", post(negotiation::accept))
        .route("/offers/{id}/agreement.pdf", get(negotiation::agreement));
    // The workbench's flows check the role themselves (`work::claim`, `work::contact`,
    // `work::team`, `work::payment::pause`), as for the pages.
    let workbench = Router::new()
        .route("/worklist", get(work::worklist))
        .route("/worklist/next", post(work::next))
        .route(
            "/accounts/{id}/claim",
            post(work::take).delete(work::release),
        )
        .route(
            "/accounts/{id}/interactions",
            get(work::interactions)
                .post(work::log.layer(DefaultBodyLimit::max(work::MAX_CONTACT_BODY))),
        )
        .route("/accounts/{id}/promises", get(work::promises))
        .route("/accounts/{id}/follow-ups", get(work::follow_ups))
        .route(
            "/accounts/{id}/follow-ups/{follow_up}/done",
            post(work::complete_follow_up),
        )
        .route("/accounts/{id}/pause", post(supervision::pause))
        .route("/team", get(supervision::overview))
        .route("/team/reassign", post(supervision::reassign));
    // The template desk checks the role itself (`template_desk`).
    let template_desk = Router::new()
        .route("/templates", get(templates::list))
        .route("/templates/preview", post(templates::preview))
        .route("/templates/{id}", get(templates::get))
        .route(
            "/templates/{stage}/{channel}/versions",
            post(templates::create),
        )
        .route("/template-versions/{id}/decision", post(templates::decide));
    let audit_readers = Router::new()
        .route("/accounts/{id}/audit", get(accounts::get_audit))
        .route_layer(from_fn(require_audit_reader));
    let cashiers = Router::new()
        .route("/accounts/{id}/payments", post(accounts::post_payment))
        .route_layer(from_fn(require_cashier));
    Router::new()
        .merge(any_role)
        .merge(desk)
        .merge(workbench)
        .merge(template_desk)
        .merge(audit_readers)
        .merge(cashiers)
        .route_layer(from_fn_with_state(state, authenticate))
        .route("/openapi.json", get(openapi::document))
        .fallback(|| async { ApiError::NotFound })
}

/// The caller of an API request and the creditor it acts for.
#[derive(Debug, Clone)]
pub struct ApiUser {
    /// The token's owner.
    pub user: User,
    /// The creditor this request acts for.
    pub creditor: Creditor,
}

impl ApiUser {
    /// The user as an audit actor.
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.username)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<ApiUser>()
            .cloned()
            .ok_or(ApiError::Unauthorized)
    }
}

/// Route layer: resolves the bearer token and the creditor into an [`ApiUser`].
async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized)?;
    let hash = sha256_hex(token);
    let wanted = match request.headers().get(CREDITOR_HEADER) {
        Some(v) => Some(
            v.to_str()
                .map_err(|_| ApiError::Forbidden("creditor header is not text".into()))?
                .trim()
                .to_string(),
        ),
        None => None,
    };
    let (user, creditor) = state
        .store(move |s| {
            let Some(user) = s.user_by_api_token(&hash)? else {
                return Ok(None);
            };
            let creditor = match &wanted {
                Some(code) => s.creditor_by_code(code)?,
                None => match user.creditors.first() {
                    Some(id) => s.creditor(*id)?,
                    None => None,
                },
            };
            Ok(Some((user, creditor)))
        })
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let creditor =
        creditor
            .filter(|c| user.creditors.contains(&c.id))
            .ok_or(ApiError::Forbidden(
                "this creditor is not one of yours".into(),
            ))?;
    request.extensions_mut().insert(ApiUser { user, creditor });
    Ok(next.run(request).await)
}

/// Route layer of the audit group.
async fn require_audit_reader(
    user: ApiUser,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    if user.user.role.reads_audit() {
        Ok(next.run(request).await)
    } else {
        Err(ApiError::Forbidden(
            "your role may not read the audit trail".into(),
        ))
    }
}

/// Route layer of the payment-posting group.
async fn require_cashier(
    user: ApiUser,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    if user.user.role.posts_payments() {
        Ok(next.run(request).await)
    } else {
        Err(ApiError::Forbidden(
            "your role may not post payments".into(),
        ))
    }
}

/// Reads a JSON body, naming the path of a missing or wrong field.
pub(crate) fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::Validation {
                status: StatusCode::BAD_REQUEST,
                field: None,
                message: "body is not valid JSON".into(),
            }
        } else {
            ApiError::Validation {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                field: (path != ".").then(|| path.into()),
                message: inner.to_string(),
            }
        }
    })
}
