//! A creditor's message templates: the list with the version in force, one template's
//! versions, writing a version (sent for approval at once), the compliance decision and
//! the preview with sample data and the guard's findings. Roles as in
//! `crate::template_desk`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sepakat_domain::compliance::Channel;
use sepakat_domain::template::Stage;
use sepakat_store::{TemplateId, TemplateVersion, TemplateVersionId};

use crate::api::error::{ApiError, ErrorBody};
use crate::api::{body, ApiUser};
use crate::i18n::Lang;
use crate::template_desk::{self as desk, DeskError, Draft, Preview};
use crate::AppState;

impl From<DeskError> for ApiError {
    fn from(e: DeskError) -> Self {
        match e {
            DeskError::Forbidden(why) => ApiError::Forbidden(why.into()),
            DeskError::NotFound => ApiError::NotFound,
            DeskError::Invalid { field, message, .. } => ApiError::invalid(field, message),
            DeskError::Conflict { message, .. } => ApiError::Conflict {
                field: None,
                message,
            },
            DeskError::Store(e) => ApiError::Internal(e.to_string()),
        }
    }
}

/// One version.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TemplateVersionView {
    /// The version's id (for the decision).
    pub id: i64,
    /// The template's id.
    pub template_id: i64,
    /// 1, 2, … per template.
    pub version: u32,
    /// `draft`, `pending`, `approved`, `rejected`.
    pub status: String,
    /// Subject (e-mail) or perihal (letter).
    pub subject: Option<String>,
    /// The text with `{{variables}}`.
    pub body: String,
    /// The author's change note.
    pub note: Option<String>,
    /// The author's user id.
    pub author: i64,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it was sent for approval.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Who decided (user id).
    pub decided_by: Option<i64>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// The decider's reason.
    pub reason: Option<String>,
}

impl From<TemplateVersion> for TemplateVersionView {
    fn from(v: TemplateVersion) -> Self {
        TemplateVersionView {
            id: v.id.0,
            template_id: v.template.0,
            version: v.version,
            status: v.status.code().to_string(),
            subject: v.subject,
            body: v.body,
            note: v.note,
            author: v.author.0,
            created_at: v.created_at,
            submitted_at: v.submitted_at,
            decided_by: v.decided_by.map(|u| u.0),
            decided_at: v.decided_at,
            reason: v.reason,
        }
    }
}

/// One stage and channel: what is in force and what waits.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TemplateSlotView {
    /// The stage code (`early`, `sp1`, …).
    pub stage: String,
    /// `whatsapp`, `sms`, `email` or `letter`.
    pub channel: String,
    /// The creditor's template id, when it has written one.
    pub template_id: Option<i64>,
    /// `version` (the creditor's approved version), `default` (the shipped one) or
    /// `none`.
    pub in_force: String,
    /// The version number in force, when it is the creditor's.
    pub in_force_version: Option<u32>,
    /// Versions waiting for compliance.
    pub pending: Vec<TemplateVersionView>,
}

/// A template with its versions, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TemplateView {
    /// Id.
    pub id: i64,
    /// The stage code.
    pub stage: String,
    /// The channel code.
    pub channel: String,
    /// The version number in force (None: the default is).
    pub in_force_version: Option<u32>,
    /// Every version, newest first.
    pub versions: Vec<TemplateVersionView>,
}

/// A new version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVersionBody {
    /// Subject (e-mail) or perihal (letter); leave out for WhatsApp and SMS.
    #[serde(default)]
    pub subject: Option<String>,
    /// The text with `{{variables}}`.
    pub body: String,
    /// What changed and why.
    #[serde(default)]
    pub note: Option<String>,
}

/// A compliance decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateDecisionBody {
    /// `approve` or `reject`.
    pub decision: String,
    /// Why (required to reject).
    #[serde(default)]
    pub reason: String,
}

/// A text to preview.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewBody {
    /// The stage code (default `early`).
    #[serde(default)]
    pub stage: Option<String>,
    /// The channel code.
    pub channel: String,
    /// Subject or perihal.
    #[serde(default)]
    pub subject: Option<String>,
    /// The text.
    pub body: String,
}

fn require_see(user: &ApiUser) -> Result<(), ApiError> {
    if desk::may_see(user.user.role) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your role may not read the templates".into(),
        ))
    }
}

fn stage_of(field: &'static str, code: &str) -> Result<Stage, ApiError> {
    Stage::parse(code).map_err(|e| ApiError::invalid(field, e.to_string()))
}

fn channel_of(field: &'static str, code: &str) -> Result<Channel, ApiError> {
    let channel = Channel::parse(code).map_err(|e| ApiError::invalid(field, e.to_string()))?;
    if desk::CHANNELS.contains(&channel) {
        Ok(channel)
    } else {
        Err(ApiError::invalid(
            field,
            "templates are for whatsapp, sms, email or letter",
        ))
    }
}

fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// `GET /api/v1/templates`.
#[utoipa::path(get, path = "/api/v1/templates", tag = "templates",
    responses((status = 200, body = [TemplateSlotView]),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<Vec<TemplateSlotView>>, ApiError> {
    require_see(&user)?;
    let creditor = user.creditor.id;
    let slots = state.store(move |s| desk::list(s, creditor)).await?;
    Ok(Json(
        slots
            .into_iter()
            .map(|slot| {
                let in_force_version = slot
                    .summary
                    .as_ref()
                    .and_then(|t| t.in_force.as_ref())
                    .map(|v| v.version);
                let in_force = match (in_force_version, slot.has_default) {
                    (Some(_), _) => "version",
                    (None, true) => "default",
                    (None, false) => "none",
                };
                TemplateSlotView {
                    stage: slot.stage.code().to_string(),
                    channel: slot.channel.code().to_string(),
                    template_id: slot.summary.as_ref().map(|t| t.template.id.0),
                    in_force: in_force.to_string(),
                    in_force_version,
                    pending: slot
                        .summary
                        .map(|t| t.pending.into_iter().map(Into::into).collect())
                        .unwrap_or_default(),
                }
            })
            .collect(),
    ))
}

/// `GET /api/v1/templates/{id}`.
#[utoipa::path(get, path = "/api/v1/templates/{id}", tag = "templates",
    params(("id" = i64, Path, description = "Template id")),
    responses((status = 200, body = TemplateView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<TemplateView>, ApiError> {
    require_see(&user)?;
    let id = TemplateId(id_of(&raw_id)?);
    let creditor = user.creditor.id;
    let (template, versions) = state
        .store(move |s| s.template(creditor, id))
        .await?
        .ok_or(ApiError::NotFound)?;
    let in_force_version = versions
        .iter()
        .filter(|v| v.status == sepakat_store::TemplateStatus::Approved)
        .map(|v| v.version)
        .max();
    Ok(Json(TemplateView {
        id: template.id.0,
        stage: template.stage.code().to_string(),
        channel: template.channel.code().to_string(),
        in_force_version,
        versions: versions.into_iter().map(Into::into).collect(),
    }))
}

/// `POST /api/v1/templates/{stage}/{channel}/versions`: writes a version and sends it for
/// approval. An unknown variable is a 422 on `body` or `subject` naming it; a text the
/// message guard blocks is a 422 on `body` naming the rule and the words.
#[utoipa::path(post, path = "/api/v1/templates/{stage}/{channel}/versions", tag = "templates",
    params(("stage" = String, Path, description = "Stage code: pre_due, early, mid, late, promise_recap, promise_reminder, promise_broken, sp1, sp2, sp3, somasi"),
        ("channel" = String, Path, description = "whatsapp, sms, email or letter")),
    request_body = NewVersionBody,
    responses((status = 201, description = "The version, pending approval", body = TemplateVersionView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Path((raw_stage, raw_channel)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<TemplateVersionView>), ApiError> {
    if !desk::may_draft(user.user.role) {
        return Err(ApiError::Forbidden(
            "only supervisors, managers and admins write templates".into(),
        ));
    }
    let stage = stage_of("stage", &raw_stage)?;
    let channel = channel_of("channel", &raw_channel)?;
    let new: NewVersionBody = body(&bytes)?;
    let draft = Draft {
        stage,
        channel,
        subject: new.subject.unwrap_or_default(),
        body: new.body,
        note: new.note.unwrap_or_default(),
    };
    let (config, role, creditor, actor, now) = (
        state.config().clone(),
        user.user.role,
        user.creditor.id,
        user.actor(),
        state.now(),
    );
    let written = state
        .store(move |s| {
            Ok(desk::submit(
                s,
                &config.guard,
                Lang::En,
                role,
                creditor,
                &draft,
                now,
                &actor,
            ))
        })
        .await??;
    Ok((StatusCode::CREATED, Json(written.into())))
}

/// `POST /api/v1/template-versions/{id}/decision`: the compliance role approves or
/// rejects a pending version; never its author.
#[utoipa::path(post, path = "/api/v1/template-versions/{id}/decision", tag = "templates",
    params(("id" = i64, Path, description = "Template version id")),
    request_body = TemplateDecisionBody,
    responses((status = 200, description = "The version as decided", body = TemplateVersionView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn decide(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
    bytes: Bytes,
) -> Result<Json<TemplateVersionView>, ApiError> {
    let decision: TemplateDecisionBody = body(&bytes)?;
    let approve = match decision.decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(ApiError::invalid(
                "decision",
                format!("unknown decision {other:?}; expected approve or reject"),
            ))
        }
    };
    let id = TemplateVersionId(id_of(&raw_id)?);
    let (config, role, uid, creditor, actor, now) = (
        state.config().clone(),
        user.user.role,
        user.user.id,
        user.creditor.id,
        user.actor(),
        state.now(),
    );
    let decided = state
        .store(move |s| {
            Ok(desk::decide(
                s,
                &config.guard,
                Lang::En,
                role,
                uid,
                creditor,
                id,
                approve,
                &decision.reason,
                now,
                &actor,
            ))
        })
        .await??;
    Ok(Json(decided.into()))
}

/// `POST /api/v1/templates/preview`: a text filled with sample data, its field errors
/// (an unknown variable named) and the guard's findings. Nothing is stored.
#[utoipa::path(post, path = "/api/v1/templates/preview", tag = "templates",
    request_body = PreviewBody,
    responses((status = 200, body = Preview),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn preview(
    State(state): State<AppState>,
    user: ApiUser,
    bytes: Bytes,
) -> Result<Json<Preview>, ApiError> {
    require_see(&user)?;
    let asked: PreviewBody = body(&bytes)?;
    let stage = match asked.stage.as_deref() {
        Some(code) => stage_of("stage", code)?,
        None => Stage::Early,
    };
    let channel = channel_of("channel", &asked.channel)?;
    if asked.body.chars().count() > desk::MAX_BODY {
        return Err(ApiError::invalid(
            "body",
            format!("at most {} characters", desk::MAX_BODY),
        ));
    }
    Ok(Json(desk::preview(
        &state.config().guard,
        Lang::En,
        stage,
        channel,
        asked.subject.as_deref().unwrap_or_default(),
        &asked.body,
        state.today(),
    )))
}
