//! `GET /api/v1/portfolio`: the portfolio overview of the active creditor.

use axum::extract::State;
use axum::Json;

use crate::api::error::{ApiError, ErrorBody};
use crate::api::views::PortfolioView;
use crate::api::ApiUser;
use crate::portfolio::summarise;
use crate::AppState;

/// Open accounts and outstanding by kolektibilitas and DPD bucket, per product.
#[utoipa::path(get, path = "/api/v1/portfolio", tag = "portfolio",
    responses(
        (status = 200, body = PortfolioView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn get_portfolio(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<PortfolioView>, ApiError> {
    let today = state.today();
    let creditor = user.creditor.id;
    let groups = state
        .store(move |s| s.portfolio_by_dpd(creditor, today))
        .await?;
    let summary = summarise(
        &groups,
        &user.creditor.regime,
        &state.config().buckets,
        today,
    );
    Ok(Json(PortfolioView::from(&summary)))
}
