//! The collector's workbench over the API: the worklist due now, "next account", taking
//! and giving back one account, logging a contact (with its promise, call-back and
//! evidence) and reading an account's interactions, promises and follow-ups. The same
//! flows as the pages (`work::claim`, `work::contact`); bodies are parsed here into the
//! flow's input, naming the JSON path of a wrong field.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sepakat_domain::compliance::{Channel, Party};
use sepakat_domain::interaction::{Direction, Outcome, Reason};
use sepakat_domain::Rupiah;
use sepakat_store::{
    AccountDetail, Claim, FollowUp, FollowUpId, Interaction, NewEvidence, StoredPromise, WorkItem,
    WorkSource,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::access::{read_account, Via};
use crate::api::error::{ApiError, ErrorBody};
use crate::api::views::Money;
use crate::api::{body, ApiUser};
use crate::i18n::Named;
use crate::work::contact::ContactInput;
use crate::work::{claim, contact, Problem, WorkError, Worker};
use crate::AppState;

/// The largest contact body: the page's 48 MB of evidence files, in base64.
pub const MAX_CONTACT_BODY: usize = 64 * 1024 * 1024;

/// The most worklist rows one call returns.
pub const MAX_WORKLIST: u32 = 1000;

/// `?limit=` of the worklist.
#[derive(Debug, Deserialize, IntoParams)]
pub struct WorklistParams {
    /// At most this many rows (default 200, at most 1000).
    pub limit: Option<u32>,
}

/// A pending promise on a worklist row.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromiseDue {
    /// Amount promised.
    pub amount: Money,
    /// Date promised (the debtor's calendar).
    pub date: NaiveDate,
}

/// One account of the worklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkItemView {
    /// The account.
    pub account_id: i64,
    /// Its number.
    pub account_number: String,
    /// The debtor's name.
    pub debtor_name: String,
    /// The debtor's province.
    pub province: String,
    /// The debtor's zone (`WIB`, `WITA`, `WIT`).
    pub zone: &'static str,
    /// Total outstanding.
    pub outstanding: Money,
    /// Days past due in the debtor's calendar today.
    pub dpd: u32,
    /// `follow_up`, `allocated` (by the nightly run) or `assigned` (by a supervisor).
    pub source: &'static str,
    /// For a follow-up: `broken_promise`, `call_back` or `promise_reminder`.
    pub follow_up: Option<&'static str>,
    /// A follow-up's due time, or the allocated action's window start.
    pub due_at: Option<DateTime<Utc>>,
    /// The pending promise.
    pub pending_promise: Option<PromiseDue>,
    /// The user holding a live claim on it.
    pub claimed_by: Option<i64>,
}

impl From<WorkItem> for WorkItemView {
    fn from(item: WorkItem) -> WorkItemView {
        let (source, follow_up) = match item.source {
            WorkSource::Allocated => ("allocated", None),
            WorkSource::Assigned => ("assigned", None),
            WorkSource::FollowUp(kind) => ("follow_up", Some(kind.code())),
        };
        WorkItemView {
            account_id: item.account.0,
            account_number: item.account_number,
            debtor_name: item.debtor_name,
            province: item.province.name().to_string(),
            zone: item.province.zone().label(),
            outstanding: item.outstanding.into(),
            dpd: item.dpd,
            source,
            follow_up,
            due_at: item.due_at,
            pending_promise: item.pending_promise.map(|(amount, date)| PromiseDue {
                amount: amount.into(),
                date,
            }),
            claimed_by: item.claimed_by.map(|u| u.0),
        }
    }
}

/// The worklist due now, most urgent first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorklistView {
    /// The rows.
    pub items: Vec<WorkItemView>,
}

/// A claim on an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimView {
    /// The account.
    pub account_id: i64,
    /// The collector holding it.
    pub user_id: i64,
    /// When it was taken or last extended.
    pub claimed_at: DateTime<Utc>,
    /// When it lapses.
    pub expires_at: DateTime<Utc>,
}

impl From<Claim> for ClaimView {
    fn from(c: Claim) -> ClaimView {
        ClaimView {
            account_id: c.account.0,
            user_id: c.user.0,
            claimed_at: c.claimed_at,
            expires_at: c.expires_at,
        }
    }
}

/// A promise made in a contact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromiseBody {
    /// Whole rupiah, more than zero and at most the total owed.
    pub amount: i64,
    /// Not before the debtor's today (`YYYY-MM-DD`).
    pub date: NaiveDate,
}

/// An evidence file, its content in base64.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceBody {
    /// File name.
    pub file_name: String,
    /// Media type (`audio/mpeg`, `image/jpeg`, `application/pdf`, …), checked against
    /// the content.
    pub media_type: String,
    /// The content, standard base64.
    pub content_base64: String,
    /// Where it was taken: `[latitude, longitude]`.
    pub gps: Option<[f64; 2]>,
    /// When it was taken.
    pub captured_at: Option<DateTime<Utc>>,
}

/// A contact to log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionBody {
    /// `call`, `whatsapp`, `sms`, `email`, `field_visit`, `letter`.
    pub channel: String,
    /// `outbound` or `inbound`.
    pub direction: String,
    /// Who was reached (`debtor`, `spouse`, …).
    pub party: String,
    /// What came of it (`promise_to_pay` with a `promise`, `no_answer`, …).
    pub outcome: String,
    /// The reason for the arrears, if told.
    pub reason: Option<String>,
    /// Notes (at most 2000 characters).
    #[serde(default)]
    pub notes: String,
    /// A promise to pay (the outcome must be `promise_to_pay`).
    pub promise: Option<PromiseBody>,
    /// When to call back, the debtor's local time (`YYYY-MM-DDTHH:MM`).
    pub call_back_at: Option<String>,
    /// Evidence files.
    #[serde(default)]
    pub evidence: Vec<EvidenceBody>,
    /// The client's key: the same key logs one contact, a repeat answers the first.
    pub idempotency_key: Option<String>,
}

/// What a contact stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactView {
    /// The interaction.
    pub interaction_id: i64,
    /// The promise made.
    pub promise_id: Option<i64>,
    /// The evidence files, in the order given.
    pub evidence_ids: Vec<i64>,
    /// The follow-ups created (the call-back, a promise's reminder).
    pub follow_up_ids: Vec<i64>,
    /// For a promise: the recap message to send the debtor after review.
    pub recap: Option<String>,
}

/// A logged interaction.
#[derive(Debug, Serialize, ToSchema)]
pub struct InteractionView {
    /// Id.
    pub id: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The collector.
    pub user_id: Option<i64>,
    /// Channel code.
    pub channel: &'static str,
    /// Direction code.
    pub direction: &'static str,
    /// Party code.
    pub party: &'static str,
    /// Outcome code.
    pub outcome: &'static str,
    /// Reason code.
    pub reason: Option<&'static str>,
    /// Notes.
    pub notes: String,
    /// The interaction it corrects.
    pub corrects: Option<i64>,
}

impl From<Interaction> for InteractionView {
    fn from(i: Interaction) -> InteractionView {
        let d = i.data;
        InteractionView {
            id: i.id.0,
            at: d.at,
            user_id: d.user.map(|u| u.0),
            channel: d.channel.code(),
            direction: Named::code(d.direction),
            party: Named::code(d.party),
            outcome: Named::code(d.outcome),
            reason: d.reason.map(Named::code),
            notes: d.notes,
            corrects: d.corrects.map(|c| c.0),
        }
    }
}

/// A promise to pay.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromiseView {
    /// Id.
    pub id: i64,
    /// The interaction it was made in.
    pub interaction_id: Option<i64>,
    /// Amount promised.
    pub amount: Money,
    /// Date promised (the debtor's calendar).
    pub promised_on: NaiveDate,
    /// Channel code.
    pub channel: &'static str,
    /// `pending`, `kept`, `partially_kept`, `broken`, `cancelled`.
    pub status: &'static str,
    /// Paid since it was made.
    pub paid: Money,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// Who recorded it.
    pub created_by: Option<i64>,
    /// When it left `pending`.
    pub resolved_at: Option<DateTime<Utc>>,
}

impl From<StoredPromise> for PromiseView {
    fn from(p: StoredPromise) -> PromiseView {
        PromiseView {
            id: p.id.0,
            interaction_id: p.data.interaction.map(|i| i.0),
            amount: p.data.amount.into(),
            promised_on: p.data.promised_on,
            channel: p.data.channel.code(),
            status: p.status.code(),
            paid: p.paid.into(),
            created_at: p.created_at,
            created_by: p.created_by.map(|u| u.0),
            resolved_at: p.resolved_at,
        }
    }
}

/// A follow-up task.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpView {
    /// Id.
    pub id: i64,
    /// `call_back`, `promise_reminder`, `broken_promise`.
    pub kind: &'static str,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// The collector it is for (None: anyone of the account's team).
    pub user_id: Option<i64>,
    /// A note.
    pub note: String,
    /// The promise it is about.
    pub promise_id: Option<i64>,
    /// The interaction that made it.
    pub interaction_id: Option<i64>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was done.
    pub done_at: Option<DateTime<Utc>>,
}

impl From<FollowUp> for FollowUpView {
    fn from(f: FollowUp) -> FollowUpView {
        FollowUpView {
            id: f.id.0,
            kind: f.kind.code(),
            due_at: f.due_at,
            user_id: f.user.map(|u| u.0),
            note: f.note,
            promise_id: f.promise.map(|p| p.0),
            interaction_id: f.interaction.map(|i| i.0),
            created_at: f.created_at,
            done_at: f.done_at,
        }
    }
}

/// A code of `T`, naming the field and the accepted codes when unknown.
pub(crate) fn code<T: Named + std::str::FromStr>(
    field: &'static str,
    value: &str,
) -> Result<T, WorkError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(WorkError::invalid(field, Problem::Required));
    }
    value.parse::<T>().map_err(|_| {
        WorkError::invalid(
            field,
            Problem::Unknown {
                value: value.to_string(),
                expected: T::all()
                    .iter()
                    .map(|v| v.code())
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        )
    })
}

impl InteractionBody {
    /// The flow's input; the flow checks the rules.
    fn into_input(self) -> Result<ContactInput, WorkError> {
        let call_back_at = self
            .call_back_at
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| {
                NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
                    .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
                    .map_err(|_| {
                        WorkError::invalid("call_back_at", Problem::NotATime(v.to_string()))
                    })
            })
            .transpose()?;
        let mut evidence = Vec::with_capacity(self.evidence.len());
        for e in self.evidence {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(e.content_base64.trim())
                .map_err(|_| {
                    WorkError::invalid(
                        "evidence",
                        Problem::Mismatch("content_base64 is not standard base64"),
                    )
                })?;
            evidence.push(NewEvidence {
                media_type: e.media_type,
                file_name: e.file_name,
                bytes,
                gps: e.gps.map(|[lat, lon]| (lat, lon)),
                captured_at: e.captured_at,
            });
        }
        Ok(ContactInput {
            channel: code::<Channel>("channel", &self.channel)?,
            direction: code::<Direction>("direction", &self.direction)?,
            party: code::<Party>("party", &self.party)?,
            outcome: code::<Outcome>("outcome", &self.outcome)?,
            reason: match self.reason.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(r) => Some(code::<Reason>("reason", r)?),
            },
            notes: self.notes,
            promise: self.promise.map(|p| (Rupiah::new(p.amount), p.date)),
            call_back_at,
            evidence,
            idempotency_key: self
                .idempotency_key
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty()),
        })
    }
}

/// The account an action is about (a writer: the flow audits its own change).
pub(crate) async fn account(
    state: &AppState,
    user: &ApiUser,
    raw_id: &str,
    viewed: Option<&'static str>,
) -> Result<AccountDetail, ApiError> {
    read_account(
        state,
        user.actor(),
        &user.creditor,
        raw_id,
        Via::Api,
        viewed,
    )
    .await?
    .ok_or(ApiError::NotFound)
}

/// `GET /api/v1/worklist`.
#[utoipa::path(get, path = "/api/v1/worklist", tag = "workbench",
    params(WorklistParams),
    responses((status = 200, description = "The caller's work due now, most urgent first", body = WorklistView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn worklist(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<WorklistParams>,
) -> Result<Json<WorklistView>, ApiError> {
    if !user.user.role.works_accounts() {
        return Err(WorkError::Forbidden.into());
    }
    let limit = params.limit.unwrap_or(200).clamp(1, MAX_WORKLIST);
    let (creditor, me, now) = (user.creditor.id, user.user.id, state.now());
    let items = state
        .store(move |s| s.collector_worklist(creditor, me, now, limit))
        .await?;
    Ok(Json(WorklistView {
        items: items.into_iter().map(WorkItemView::from).collect(),
    }))
}

/// `POST /api/v1/worklist/next`.
#[utoipa::path(post, path = "/api/v1/worklist/next", tag = "workbench",
    responses(
        (status = 200, description = "The claim on the next account (earlier claims of the caller released)", body = ClaimView),
        (status = 204, description = "Nothing on the caller's worklist is free"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn next(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    Ok(match claim::next(&state, &Worker::from(&user)).await? {
        Some(c) => Json(ClaimView::from(c)).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// `POST /api/v1/accounts/{id}/claim`.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/claim", tag = "workbench",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, description = "The caller's claim (taken or extended)", body = ClaimView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Someone else holds the account", body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn take(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<ClaimView>, ApiError> {
    let account = account(&state, &user, &raw_id, None).await?;
    let c = claim::take(&state, &Worker::from(&user), &account).await?;
    Ok(Json(c.into()))
}

/// `DELETE /api/v1/accounts/{id}/claim`.
#[utoipa::path(delete, path = "/api/v1/accounts/{id}/claim", tag = "workbench",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 204, description = "Released (or already free)"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The claim is someone else's", body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn release(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let account = account(&state, &user, &raw_id, None).await?;
    claim::release(&state, &Worker::from(&user), &account).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/accounts/{id}/interactions`.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/interactions", tag = "workbench",
    params(("id" = i64, Path, description = "Account id")),
    request_body = InteractionBody,
    responses(
        (status = 201, description = "The contact as stored; a repeated idempotency key answers the first one", body = ContactView),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not the caller's account, or a role that does not work accounts", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Paused, held by someone else, or refused by the compliance gate", body = ErrorBody),
        (status = 422, description = "A field is wrong; `field` is its JSON path (`promise.amount`)", body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn log(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<ContactView>), ApiError> {
    let input = body::<InteractionBody>(&bytes)?.into_input()?;
    let account = account(&state, &user, &raw_id, None).await?;
    let ids = crate::work::contact::log(&state, &Worker::from(&user), &account, input).await?;
    let recap = match ids.promise {
        Some(id) => {
            let creditor = user.creditor.id;
            let account_id = account.id;
            let promises = state
                .store(move |s| s.promises(creditor, account_id))
                .await?;
            promises
                .iter()
                .find(|p| p.id == id)
                .map(|p| crate::work::recap(&account, p, &user.user.full_name, &user.creditor.name))
        }
        None => None,
    };
    Ok((
        StatusCode::CREATED,
        Json(ContactView {
            interaction_id: ids.interaction.0,
            promise_id: ids.promise.map(|p| p.0),
            evidence_ids: ids.evidence.iter().map(|e| e.0).collect(),
            follow_up_ids: ids.follow_ups.iter().map(|f| f.0).collect(),
            recap,
        }),
    ))
}

/// `GET /api/v1/accounts/{id}/interactions`.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/interactions", tag = "workbench",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, description = "Oldest first. Audited", body = Vec<InteractionView>),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn interactions(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<Vec<InteractionView>>, ApiError> {
    let account = account(&state, &user, &raw_id, Some("interactions")).await?;
    let creditor = user.creditor.id;
    let list = state
        .store(move |s| s.interactions(creditor, account.id))
        .await?;
    Ok(Json(list.into_iter().map(InteractionView::from).collect()))
}

/// `GET /api/v1/accounts/{id}/promises`.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/promises", tag = "workbench",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, description = "Oldest first. Audited", body = Vec<PromiseView>),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn promises(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<Vec<PromiseView>>, ApiError> {
    let account = account(&state, &user, &raw_id, Some("promises")).await?;
    let creditor = user.creditor.id;
    let list = state
        .store(move |s| s.promises(creditor, account.id))
        .await?;
    Ok(Json(list.into_iter().map(PromiseView::from).collect()))
}

/// `GET /api/v1/accounts/{id}/follow-ups`.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/follow-ups", tag = "workbench",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, description = "By due time. Audited", body = Vec<FollowUpView>),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn follow_ups(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<Vec<FollowUpView>>, ApiError> {
    let account = account(&state, &user, &raw_id, Some("follow_ups")).await?;
    let creditor = user.creditor.id;
    let list = state
        .store(move |s| s.follow_ups(creditor, account.id))
        .await?;
    Ok(Json(list.into_iter().map(FollowUpView::from).collect()))
}

/// `POST /api/v1/accounts/{id}/follow-ups/{follow_up}/done`.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/follow-ups/{follow_up}/done", tag = "workbench",
    params(("id" = i64, Path, description = "Account id"),
        ("follow_up" = i64, Path, description = "Follow-up id (of this account)")),
    responses((status = 204, description = "Marked done. Audited"),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not the caller's account, or a role that does not work accounts", body = ErrorBody),
        (status = 404, description = "No such account, or no such follow-up of it", body = ErrorBody),
        (status = 409, description = "Already done, or the account is held by someone else", body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn complete_follow_up(
    State(state): State<AppState>,
    user: ApiUser,
    Path((raw_id, follow_up)): Path<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    let account = account(&state, &user, &raw_id, None).await?;
    contact::complete_follow_up(
        &state,
        &Worker::from(&user),
        &account,
        FollowUpId(follow_up),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
