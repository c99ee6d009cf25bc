//! The supervisor's side of the workbench over the API: pausing an account, the team's
//! activity today and moving accounts to a collector. The same flows as the pages
//! (`work::payment::pause`, `work::team`); the flows check the role.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use sepakat_domain::interaction::PauseReason;
use sepakat_domain::Zone;
use sepakat_store::{local_instant, CollectorActivity, TeamId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::error::{ApiError, ErrorBody};
use crate::api::work::{account, code};
use crate::api::{body, ApiUser};
use crate::work::{payment, team, Worker};
use crate::AppState;

/// A pause of collection from the debtor's today.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseBody {
    /// `dispute`, `hardship`, `deceased`, `legal`, `complaint`.
    pub reason: String,
    /// Last paused day (inclusive; the debtor's calendar); none = until lifted.
    pub until: Option<NaiveDate>,
    /// Why, for whoever reads the account.
    pub note: String,
}

/// One collector's activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityView {
    /// The collector.
    pub user_id: i64,
    /// Their login.
    pub username: String,
    /// Their team.
    pub team_id: i64,
    /// Accounts on their worklist now.
    pub worklist_size: u64,
    /// Interactions logged today.
    pub contacts: u64,
    /// Of those, conversations with the debtor.
    pub right_party_contacts: u64,
    /// Promises made today.
    pub promises_made: u64,
    /// Their promises kept today.
    pub promises_kept: u64,
}

impl From<CollectorActivity> for ActivityView {
    fn from(a: CollectorActivity) -> ActivityView {
        ActivityView {
            user_id: a.user.0,
            username: a.username,
            team_id: a.team.0,
            worklist_size: a.worklist_size,
            contacts: a.contacts,
            right_party_contacts: a.right_party_contacts,
            promises_made: a.promises_made,
            promises_kept: a.promises_kept,
        }
    }
}

/// A collector accounts can be moved to.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssigneeView {
    /// The user.
    pub user_id: i64,
    /// Their login.
    pub username: String,
    /// The team.
    pub team_id: i64,
    /// The team's code.
    pub team_code: String,
}

/// The team view.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    /// Start of the day counted (WIB midnight).
    pub from: DateTime<Utc>,
    /// Its end.
    pub to: DateTime<Utc>,
    /// Per collector membership.
    pub collectors: Vec<ActivityView>,
    /// Who can receive accounts.
    pub assignees: Vec<AssigneeView>,
}

/// Accounts to move to a collector, all or nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignBody {
    /// Account numbers (at most 1000).
    pub accounts: Vec<String>,
    /// The receiving team.
    pub team_id: i64,
    /// The receiving collector.
    pub collector_id: i64,
}

/// What a reassignment moved.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReassignedView {
    /// Accounts moved.
    pub moved: u64,
}

/// `POST /api/v1/accounts/{id}/pause`.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/pause", tag = "workbench",
    params(("id" = i64, Path, description = "Account id")),
    request_body = PauseBody,
    responses((status = 204, description = "Paused from the debtor's today"),
        (status = 401, body = ErrorBody), (status = 403, description = "Not a supervisor or manager", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn pause(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
    bytes: Bytes,
) -> Result<StatusCode, ApiError> {
    let pause: PauseBody = body(&bytes)?;
    let reason = code::<PauseReason>("reason", &pause.reason)?;
    let account = account(&state, &user, &raw_id, None).await?;
    payment::pause(
        &state,
        &Worker::from(&user),
        &account,
        reason,
        pause.until,
        &pause.note,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/team`.
#[utoipa::path(get, path = "/api/v1/team", tag = "workbench",
    responses((status = 200, description = "Today's activity (the WIB day) per collector", body = TeamView),
        (status = 401, body = ErrorBody), (status = 403, description = "Not a supervisor or manager", body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn overview(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<TeamView>, ApiError> {
    // "Today" is the WIB calendar day, as on the team page.
    let day = state.today();
    let from = local_instant(day, NaiveTime::MIN, Zone::Wib);
    let to = local_instant(
        day.checked_add_days(Days::new(1)).unwrap_or(day),
        NaiveTime::MIN,
        Zone::Wib,
    );
    let (activity, assignees) = team::overview(&state, &Worker::from(&user), from, to).await?;
    Ok(Json(TeamView {
        from,
        to,
        collectors: activity.into_iter().map(ActivityView::from).collect(),
        assignees: assignees
            .into_iter()
            .map(|a| AssigneeView {
                user_id: a.user.0,
                username: a.username,
                team_id: a.team.0,
                team_code: a.team_code,
            })
            .collect(),
    }))
}

/// `POST /api/v1/team/reassign`.
#[utoipa::path(post, path = "/api/v1/team/reassign", tag = "workbench",
    request_body = ReassignBody,
    responses((status = 200, body = ReassignedView),
        (status = 401, body = ErrorBody), (status = 403, description = "Not a supervisor or manager", body = ErrorBody),
        (status = 404, description = "The team or collector is not the creditor's", body = ErrorBody),
        (status = 422, description = "An unknown account number (named), none, or too many", body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn reassign(
    State(state): State<AppState>,
    user: ApiUser,
    bytes: Bytes,
) -> Result<Json<ReassignedView>, ApiError> {
    let r: ReassignBody = body(&bytes)?;
    let numbers = r
        .accounts
        .iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let moved = team::reassign(
        &state,
        &Worker::from(&user),
        numbers,
        TeamId(r.team_id),
        UserId(r.collector_id),
    )
    .await?;
    Ok(Json(ReassignedView { moved }))
}
