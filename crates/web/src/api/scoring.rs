//! `GET /api/v1/accounts/{id}/score`: an account's probability to pay under the
//! creditor's active model, with the reasons in Bahasa Indonesia and English.

use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sepakat_domain::scoring::Direction;

use crate::access::{read_account, Via};
use crate::api::error::{ApiError, ErrorBody};
use crate::api::ApiUser;
use crate::AppState;

/// The model that scored.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScoreModelView {
    /// The creditor's version number.
    pub version: u32,
    /// `gbt` or `logistic`.
    pub algorithm: String,
    /// The feature set it reads.
    pub feature_set: String,
    /// Days in which paying one instalment counted as paying.
    pub horizon_days: u32,
    /// When it was trained.
    pub trained_at: DateTime<Utc>,
}

/// One reason for the score.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScoreReasonView {
    /// The feature's stable name.
    pub feature: String,
    /// The reason in Bahasa Indonesia.
    pub text: String,
    /// The reason in English.
    pub text_en: String,
    /// Change in log-odds the feature made (positive raises the probability).
    pub effect: f64,
    /// `up` or `down`.
    pub direction: String,
}

/// An account's score; `model` and `probability` are null when the creditor has no
/// active model.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScoreView {
    /// The account.
    pub account: i64,
    /// Probability to pay within the model's horizon, 0 to 1.
    pub probability: Option<f64>,
    /// The model.
    pub model: Option<ScoreModelView>,
    /// The strongest reasons first.
    pub reasons: Vec<ScoreReasonView>,
}

/// An account's probability to pay and why. Audited as a read of the account.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/score", tag = "accounts",
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 200, body = ScoreView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn get_score(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<ScoreView>, ApiError> {
    let account = read_account(
        &state,
        user.actor(),
        &user.creditor,
        &raw_id,
        Via::Api,
        Some("score"),
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    let (today, models, id) = (state.today(), state.models.clone(), account.id.0);
    let scored = state
        .store(move |s| models.explain(s, &account, today, crate::scoring::REASONS))
        .await?;
    Ok(Json(match scored {
        None => ScoreView {
            account: id,
            probability: None,
            model: None,
            reasons: Vec::new(),
        },
        Some((info, e)) => ScoreView {
            account: id,
            probability: Some(e.probability),
            model: Some(ScoreModelView {
                version: info.version,
                algorithm: info.algorithm,
                feature_set: info.feature_set,
                horizon_days: info.horizon_days,
                trained_at: info.trained_at,
            }),
            reasons: e
                .reasons
                .iter()
                .map(|r| ScoreReasonView {
                    feature: r.name().to_string(),
                    text: r.text_id(),
                    text_en: r.text_en(),
                    effect: r.effect,
                    direction: match r.direction() {
                        Direction::Up => "up",
                        Direction::Down => "down",
                    }
                    .to_string(),
                })
                .collect(),
        },
    }))
}
