//! `GET /api/v1/outbox?status=&channel=&page=`: the creditor's outbox, newest first,
//! 50 a page, the JSON twin of `/kotak-keluar` (both read `work::outbox`). Recipients are
//! masked; the next allowed time comes as an instant and in the debtor's local time.

use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::error::{ApiError, ErrorBody};
use crate::api::ApiUser;
use crate::work::outbox::{self, StatusFilter, PER_PAGE};
use crate::AppState;

/// The query.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxParams {
    /// `queued`, `waiting`, `sent`, `delivered`, `failed`, `blocked` or `in_doubt`.
    #[serde(default)]
    pub status: String,
    /// `whatsapp`, `sms` or `email`.
    #[serde(default)]
    pub channel: String,
    /// 1-based page (default 1).
    pub page: Option<usize>,
}

/// One message.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OutboxMessageView {
    /// Message id.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// Its number.
    pub account_no: String,
    /// `whatsapp`, `sms` or `email`.
    pub channel: String,
    /// The status as the filter names it (`queued`, `waiting`, …, `in_doubt`).
    pub status: String,
    /// The stored status (`queued`, `sending`, `sent`, …).
    pub stored_status: String,
    /// The recipient, masked.
    pub recipient: String,
    /// Not to be tried before (UTC); null once final.
    pub not_before: Option<DateTime<Utc>>,
    /// The same in the debtor's local time (`2026-12-04 08:00 WIB`).
    pub not_before_local: Option<String>,
    /// The guard or gate rule that blocked or holds it.
    pub rule: Option<String>,
    /// What triggered the rule.
    pub rule_detail: Option<String>,
    /// Provider calls started.
    pub attempts: u32,
    /// Queued at.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A page of the outbox.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OutboxView {
    /// This page (1-based).
    pub page: usize,
    /// Messages per page.
    pub per_page: usize,
    /// How many match in all.
    pub total: usize,
    /// The messages, newest first.
    pub messages: Vec<OutboxMessageView>,
}

/// The creditor's outbox. Supervisors, managers, compliance and admins.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "outbox",
    params(OutboxParams),
    responses(
        (status = 200, body = OutboxView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<OutboxParams>,
) -> Result<Json<OutboxView>, ApiError> {
    if !user.user.role.reads_outbox() {
        return Err(ApiError::Forbidden(
            "your role may not read the outbox".into(),
        ));
    }
    let status = StatusFilter::parse(&params.status).map_err(|e| ApiError::invalid("status", e))?;
    let channel =
        outbox::parse_channel(&params.channel).map_err(|e| ApiError::invalid("channel", e))?;
    let query = outbox::Query {
        status,
        channel,
        page: params.page.unwrap_or(1).max(1),
    };
    let (creditor, now) = (user.creditor.id, state.now());
    let found = state
        .store(move |s| outbox::page(s, creditor, query, now))
        .await?;
    Ok(Json(OutboxView {
        page: found.page,
        per_page: PER_PAGE,
        total: found.total,
        messages: found
            .items
            .iter()
            .map(|i| {
                let m = &i.message;
                let open = !m.status.is_final();
                OutboxMessageView {
                    id: m.id.0,
                    account_id: m.data.account.0,
                    account_no: i.account_no.clone(),
                    channel: m.data.channel.code().to_string(),
                    status: i.filter.code().to_string(),
                    stored_status: m.status.code().to_string(),
                    recipient: m.data.recipient.masked(),
                    not_before: open.then_some(m.data.not_before),
                    not_before_local: open.then(|| {
                        crate::format::date_time(crate::i18n::Lang::Id, m.data.not_before, i.zone)
                    }),
                    rule: m.refusal.as_ref().map(|r| r.rule.clone()),
                    rule_detail: m.refusal.as_ref().map(|r| r.detail.clone()),
                    attempts: m.attempts,
                    created_at: m.created_at,
                    updated_at: m.updated_at,
                }
            })
            .collect(),
    }))
}
