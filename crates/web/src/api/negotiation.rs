//! The negotiation desk over the API: the options for an account, offers, the approval
//! queue, decisions, acceptance into an arrangement and the agreement PDF. The same flows
//! as the desk's pages (`work::negotiation`); bodies use the shapes of
//! `sepakat negotiate --input` (`assessment`, `request`), documented in
//! `docs/negotiation.md`.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use sepakat_domain::negotiation::wire::{DeclarationInput, OfferRequestInput, OptionView};
use sepakat_store::{AccountDetail, Arrangement, ArrangementInstalment, OfferId, StoredOffer};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::access::{read_account, read_offer, Via};
use crate::api::error::{ApiError, ErrorBody};
use crate::api::views::Money;
use crate::api::{body, ApiUser};
use crate::work::negotiation::{self as desk, Ask};
use crate::work::Worker;
use crate::AppState;

/// The body of a preview or an offer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferBody {
    /// What the debtor declares (`monthly_income`, `essential_expenses`,
    /// `other_debt_payments`, `dependants`, `hardship`), as in `sepakat negotiate`.
    #[schema(value_type = Object)]
    pub assessment: DeclarationInput,
    /// Terms asked for (`tenor_months`, `down_payment`, `discount`, `first_payment`).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub request: OfferRequestInput,
    /// The option offered (1 = best); required to make an offer, ignored by a preview.
    pub chosen_rank: Option<u32>,
}

/// An offer as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferView {
    /// Id.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// `proposed`, `pending_approval`, `approved`, `rejected`, `accepted`, `expired`.
    pub status: &'static str,
    /// The role whose authority it was made under.
    pub created_role: &'static str,
    /// Roles that may approve it (empty when none is needed).
    pub approvers: Vec<&'static str>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The debtor must accept before this.
    pub expires_at: DateTime<Utc>,
    /// When it was approved or rejected.
    pub decided_at: Option<DateTime<Utc>>,
    /// The decider's reason.
    pub decision_reason: Option<String>,
    /// Everything paid under the chosen option.
    pub total_paid: Money,
    /// The chosen option in full (the shape of `sepakat negotiate`'s options).
    #[schema(value_type = Object)]
    pub option: Option<OptionView>,
}

impl From<StoredOffer> for OfferView {
    fn from(o: StoredOffer) -> OfferView {
        OfferView {
            id: o.id.0,
            account_id: o.data.account.0,
            status: o.status.code(),
            created_role: o.data.created_role.code(),
            approvers: o.data.approvers.iter().map(|r| r.code()).collect(),
            created_at: o.created_at,
            expires_at: o.data.expires_at,
            decided_at: o.decided_at,
            decision_reason: o.decision_reason.clone(),
            total_paid: o.total_paid.into(),
            option: o.chosen().cloned().map(OptionView::from),
        }
    }
}

/// A list of offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferList {
    /// Oldest first.
    pub offers: Vec<OfferView>,
}

/// A decision on a pending offer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// Approve (true) or reject (false).
    pub approve: bool,
    /// Why; required either way.
    pub reason: String,
}

/// The debtor's acceptance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// Where the agreement is signed.
    pub place: String,
}

/// One instalment of an arrangement.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstalmentView {
    /// 1-based.
    pub seq: u32,
    /// Due date (the debtor's calendar).
    pub due_on: chrono::NaiveDate,
    /// Amount due.
    pub amount: Money,
    /// Paid so far.
    pub paid: Money,
    /// `pending`, `paid`, `late`, `missed`.
    pub status: &'static str,
}

impl From<&ArrangementInstalment> for InstalmentView {
    fn from(i: &ArrangementInstalment) -> InstalmentView {
        InstalmentView {
            seq: i.seq,
            due_on: i.due_on,
            amount: i.amount.into(),
            paid: i.paid.into(),
            status: i.status.code(),
        }
    }
}

/// An arrangement with its instalments.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArrangementView {
    /// Id.
    pub id: i64,
    /// The accepted offer.
    pub offer_id: i64,
    /// `active`, `completed`, `defaulted`.
    pub status: &'static str,
    /// Misses that default it.
    pub max_misses: u32,
    /// When the debtor accepted.
    pub created_at: DateTime<Utc>,
    /// The instalments.
    pub instalments: Vec<InstalmentView>,
}

impl From<&Arrangement> for ArrangementView {
    fn from(a: &Arrangement) -> ArrangementView {
        ArrangementView {
            id: a.id.0,
            offer_id: a.offer.0,
            status: a.status.code(),
            max_misses: a.max_misses,
            created_at: a.created_at,
            instalments: a.instalments.iter().map(InstalmentView::from).collect(),
        }
    }
}

/// An account's arrangements.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArrangementList {
    /// Oldest first.
    pub arrangements: Vec<ArrangementView>,
}

/// What an acceptance made.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedView {
    /// The arrangement.
    pub arrangement: ArrangementView,
    /// The recap message to send to the debtor after review.
    pub recap: String,
    /// Where to download the agreement PDF; None for a company debtor.
    pub agreement_url: Option<String>,
}

/// `?place=` of the agreement download.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PlaceParams {
    /// Where the agreement is signed (printed before the date).
    pub place: String,
}

async fn account(
    state: &AppState,
    user: &ApiUser,
    raw_id: &str,
) -> Result<AccountDetail, ApiError> {
    read_account(state, user.actor(), &user.creditor, raw_id, Via::Api, None)
        .await?
        .ok_or(ApiError::NotFound)
}

async fn offer_id(state: &AppState, user: &ApiUser, raw_id: &str) -> Result<OfferId, ApiError> {
    let (offer, _) = read_offer(state, user.actor(), &user.creditor, raw_id, Via::Api)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(offer.id)
}

/// `POST /api/v1/accounts/{id}/offers/preview`.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/offers/preview", tag = "negotiation",
    params(("id" = i64, Path, description = "Account id")),
    request_body = OfferBody,
    responses(
        (status = 200, description = "The negotiation document `sepakat negotiate` prints: owed, ability, keep probability, the options best first (docs/negotiation.md)"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn preview(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let offer: OfferBody = body(&bytes)?;
    let account = account(&state, &user, &raw_id).await?;
    let ask = Ask {
        declaration: offer.assessment,
        request: offer.request,
    };
    let (worker, settings, now) = (
        Worker::from(&user),
        state.config().negotiation.clone(),
        state.now(),
    );
    let models = state.models.clone();
    let view = state
        .store(move |s| {
            Ok(desk::preview(
                s, &models, &worker, &settings, &account, &ask, now,
            ))
        })
        .await??;
    Ok(Json(view).into_response())
}

/// `POST /api/v1/accounts/{id}/offers`.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/offers", tag = "negotiation",
    params(("id" = i64, Path, description = "Account id")),
    request_body = OfferBody,
    responses(
        (status = 201, description = "The offer; `pending_approval` when beyond the caller's authority", body = OfferView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<OfferView>), ApiError> {
    let offer: OfferBody = body(&bytes)?;
    let rank = offer
        .chosen_rank
        .ok_or_else(|| ApiError::invalid("chosen_rank", "is required to make an offer"))?;
    let account = account(&state, &user, &raw_id).await?;
    let ask = Ask {
        declaration: offer.assessment,
        request: offer.request,
    };
    let (worker, settings, now) = (
        Worker::from(&user),
        state.config().negotiation.clone(),
        state.now(),
    );
    let models = state.models.clone();
    let stored = state
        .store(move |s| {
            Ok(desk::propose(
                s, &models, &worker, &settings, &account, &ask, rank, now,
            ))
        })
        .await??;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

/// `GET /api/v1/accounts/{id}/offers`.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/offers", tag = "negotiation",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, body = OfferList),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<OfferList>, ApiError> {
    let account = account(&state, &user, &raw_id).await?;
    let creditor = user.creditor.id;
    let offers = state.store(move |s| s.offers(creditor, account.id)).await?;
    Ok(Json(OfferList {
        offers: offers.into_iter().map(OfferView::from).collect(),
    }))
}

/// `GET /api/v1/accounts/{id}/arrangements`.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/arrangements", tag = "negotiation",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, body = ArrangementList),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn arrangements(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<ArrangementList>, ApiError> {
    let account = account(&state, &user, &raw_id).await?;
    let creditor = user.creditor.id;
    let list = state
        .store(move |s| s.arrangements(creditor, account.id))
        .await?;
    Ok(Json(ArrangementList {
        arrangements: list.iter().map(ArrangementView::from).collect(),
    }))
}

/// `GET /api/v1/offers/pending`.
#[utoipa::path(get, path = "/api/v1/offers/pending", tag = "negotiation",
    responses((status = 200, description = "Offers the caller's role may decide, oldest first", body = OfferList),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn pending(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<OfferList>, ApiError> {
    let role = user.user.role;
    if !role.supervises() {
        return Err(ApiError::Forbidden(
            "only supervisors and managers decide offers".into(),
        ));
    }
    let creditor = user.creditor.id;
    let offers = state.store(move |s| s.pending_approvals(creditor)).await?;
    Ok(Json(OfferList {
        offers: offers
            .into_iter()
            .filter(|o| o.data.approvers.contains(&role))
            .map(OfferView::from)
            .collect(),
    }))
}

/// `GET /api/v1/offers/{id}`.
#[utoipa::path(get, path = "/api/v1/offers/{id}", tag = "negotiation",
    params(("id" = i64, Path, description = "Offer id")),
    responses((status = 200, body = OfferView),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<OfferView>, ApiError> {
    let (offer, _) = read_offer(&state, user.actor(), &user.creditor, &raw_id, Via::Api)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(offer.into()))
}

/// `POST /api/v1/offers/{id}/decision`.
#[utoipa::path(post, path = "/api/v1/offers/{id}/decision", tag = "negotiation",
    params(("id" = i64, Path, description = "Offer id")),
    request_body = DecisionBody,
    responses((status = 200, description = "The offer as decided", body = OfferView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn decide(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
    bytes: Bytes,
) -> Result<Json<OfferView>, ApiError> {
    let decision: DecisionBody = body(&bytes)?;
    let id = offer_id(&state, &user, &raw_id).await?;
    let (worker, now) = (Worker::from(&user), state.now());
    let decided = state
        .store(move |s| {
            Ok(desk::decide(
                s,
                &worker,
                id,
                decision.approve,
                &decision.reason,
                now,
            ))
        })
        .await??;
    Ok(Json(decided.into()))
}

/// `POST /api/v1/offers/{id}/accept`.
#[utoipa::path(post, path = "/api/v1/offers/{id}/accept", tag = "negotiation",
    params(("id" = i64, Path, description = "Offer id")),
    request_body = AcceptBody,
    responses((status = 201, description = "The arrangement and the recap", body = AcceptedView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn accept(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<AcceptedView>), ApiError> {
    let acceptance: AcceptBody = body(&bytes)?;
    let id = offer_id(&state, &user, &raw_id).await?;
    let (worker, settings, now) = (
        Worker::from(&user),
        state.config().negotiation.clone(),
        state.now(),
    );
    let place = acceptance.place.trim().to_string();
    let accepted = state
        .store(move |s| {
            Ok(desk::accept(
                s,
                &worker,
                &settings,
                id,
                &acceptance.place,
                now,
            ))
        })
        .await??;
    let agreement_url = accepted.agreement_pdf.as_ref().map(|_| {
        format!(
            "/api/v1/offers/{}/agreement.pdf?place={}",
            id.0,
            urlencoding::encode(&place)
        )
    });
    Ok((
        StatusCode::CREATED,
        Json(AcceptedView {
            arrangement: ArrangementView::from(&accepted.arrangement),
            recap: accepted.recap,
            agreement_url,
        }),
    ))
}

/// `GET /api/v1/offers/{id}/agreement.pdf`.
#[utoipa::path(get, path = "/api/v1/offers/{id}/agreement.pdf", tag = "negotiation",
    params(("id" = i64, Path, description = "Offer id"), PlaceParams),
    responses((status = 200, description = "Surat Pernyataan Kesanggupan Pembayaran", content_type = "application/pdf"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody, description = "No such offer, or a company debtor (no agreement PDF)"),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn agreement(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
    Query(params): Query<PlaceParams>,
) -> Result<Response, ApiError> {
    let id = offer_id(&state, &user, &raw_id).await?;
    let (worker, now) = (Worker::from(&user), state.now());
    let pdf = state
        .store(move |s| Ok(desk::agreement(s, &worker, id, &params.place, now)))
        .await??
        .ok_or(ApiError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response())
}
