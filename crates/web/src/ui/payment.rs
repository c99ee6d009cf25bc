//! The money and pause forms of the account workspace: `POST /akun/{id}/pembayaran`,
//! `POST /akun/{id}/pembayaran/{payment}/batal` (a request for a second person above the
//! threshold), `POST /akun/{id}/pembatalan/{request}` (that person's decision),
//! `POST /akun/{id}/jeda`. Each redirects back with a notice, or re-draws the workspace
//! with the reason it was refused.

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use chrono::NaiveDate;
use sepakat_domain::interaction::PauseReason;
use sepakat_domain::Rupiah;
use sepakat_store::{AccountDetail, PaymentId, ReversalRequestId};
use serde::Deserialize;

use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::ui::account::{draw, load_account, Notice};
use crate::ui::error::UiError;
use crate::work::payment::{self, PaymentInput};
use crate::work::{Problem, WorkError};
use crate::AppState;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/akun/{id}/pembayaran", post(post_payment))
        .route("/akun/{id}/pembayaran/{payment}/batal", post(reverse))
        .route("/akun/{id}/pembatalan/{request}", post(decide_reversal))
        .route("/akun/{id}/jeda", post(pause))
}

/// Redirects to the workspace with `notice`, or re-draws it with the refusal (422).
async fn answer<T>(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    account: AccountDetail,
    result: Result<T, WorkError>,
    notice: &str,
) -> Result<Response, UiError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/akun/{}?ok={notice}", account.id)).into_response()),
        Err(WorkError::Store(e)) => Err(UiError::Internal(e.to_string())),
        Err(WorkError::Forbidden) => Err(UiError::Forbidden),
        Err(WorkError::NotFound) => Err(UiError::NotFound),
        Err(e) => {
            let page = draw(
                state,
                lang,
                user,
                account,
                &Notice::default(),
                vec![e.message(lang)],
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize)]
struct PaymentForm {
    amount: String,
    reference: String,
    channel: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn post_payment(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    Form(form): Form<PaymentForm>,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    let amount = form.amount.trim();
    let result = match Rupiah::parse(amount) {
        Ok(amount) => {
            let input = PaymentInput {
                amount,
                reference: form.reference,
                channel: form.channel,
            };
            payment::post(&state, &(&user).into(), &account, input).await
        }
        Err(_) => Err(WorkError::invalid(
            "amount",
            Problem::NotAnAmount(amount.to_string()),
        )),
    };
    answer(&state, lang, &user, account, result, "bayar").await
}

#[derive(Deserialize)]
struct ReverseForm {
    reason: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn reverse(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((raw_id, payment_id)): Path<(String, i64)>,
    Form(form): Form<ReverseForm>,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    let result = payment::reverse(
        &state,
        &(&user).into(),
        &account,
        PaymentId(payment_id),
        &form.reason,
    )
    .await;
    let notice = match &result {
        Ok(payment::Reversal::Requested(_)) => "batal-diajukan",
        _ => "batal",
    };
    answer(&state, lang, &user, account, result, notice).await
}

#[derive(Deserialize)]
struct DecideReversalForm {
    decision: String,
    #[serde(default)]
    note: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn decide_reversal(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((raw_id, request)): Path<(String, i64)>,
    Form(form): Form<DecideReversalForm>,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    let approve = match form.decision.as_str() {
        "setuju" => true,
        "tolak" => false,
        _ => return Err(UiError::BadRequest),
    };
    let result = payment::decide_reversal(
        &state,
        &(&user).into(),
        &account,
        ReversalRequestId(request),
        approve,
        &form.note,
    )
    .await;
    let notice = if approve { "batal" } else { "batal-ditolak" };
    answer(&state, lang, &user, account, result, notice).await
}

#[derive(Deserialize)]
struct PauseForm {
    reason: String,
    until: Option<String>,
    note: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn pause(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    Form(form): Form<PauseForm>,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    let until = form
        .until
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let result = match (
        PauseReason::parse(&form.reason),
        until.map(str::parse::<NaiveDate>),
    ) {
        (Err(e), _) => Err(WorkError::invalid(
            "reason",
            Problem::Unknown {
                value: form.reason.clone(),
                expected: e.expected,
            },
        )),
        (_, Some(Err(_))) => Err(WorkError::invalid(
            "until",
            Problem::NotADate(until.unwrap_or_default().to_string()),
        )),
        (Ok(reason), until) => {
            let until = until.and_then(Result::ok);
            payment::pause(&state, &(&user).into(), &account, reason, until, &form.note).await
        }
    };
    answer(&state, lang, &user, account, result, "jeda").await
}
