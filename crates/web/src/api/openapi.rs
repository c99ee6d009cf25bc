//! The OpenAPI 3 document of the API, generated from the handlers' annotations and
//! served at `GET /api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::{accounts, negotiation, outbox, portfolio, scoring, supervision, templates, work};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sepakat API",
        description = "Debt collection for Indonesian creditors. Authenticate with \
            `Authorization: Bearer <token>`; agency users pick a creditor with the \
            `X-Sepakat-Creditor: CODE` header (default: their first creditor). Amounts are \
            whole rupiah with a formatted string; NIK, phone and e-mail are always masked."
    ),
    paths(
        portfolio::get_portfolio,
        accounts::list_accounts,
        accounts::get_account,
        accounts::list_payments,
        scoring::get_score,
        accounts::post_payment,
        accounts::get_audit,
        negotiation::preview,
        negotiation::create,
        negotiation::list,
        negotiation::arrangements,
        negotiation::pending,
        negotiation::get,
        negotiation::decide,
        negotiation::accept,
        negotiation::agreement,
        work::worklist,
        work::next,
        work::take,
        work::release,
        work::log,
        work::interactions,
        work::promises,
        work::follow_ups,
        work::complete_follow_up,
        supervision::pause,
        supervision::overview,
        supervision::reassign,
        templates::list,
        templates::get,
        templates::create,
        templates::decide,
        templates::preview,
        outbox::list,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "portfolio", description = "Portfolio overview"),
        (name = "accounts", description = "Accounts and their audit trail"),
        (name = "payments", description = "Payments"),
        (name = "negotiation", description = "The negotiation desk: options, offers, approvals, arrangements"),
        (name = "templates", description = "A creditor's message and letter templates: versions, compliance approval, preview with sample data and guard findings"),
        (name = "outbox", description = "The outbox: every message queued, sent, delivered, failed or blocked, recipients masked"),
        (name = "workbench", description = "The collector workbench: worklist, claims, contacts with promises and evidence, follow-ups; supervision: pause, team, reassign"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
