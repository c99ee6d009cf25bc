//! The template pages. `GET /templat`: every stage and channel with the version in force
//! (the creditor's, or Sepakat's default) and the versions waiting. `GET
//! /templat/{stage}/{channel}`: the editor — a new version written from the one in force,
//! the preview with sample data and the guard's findings (`POST /templat/periksa` as the
//! author types), the history, and the compliance officer's approve or reject with a
//! reason (`POST /templat/versi/{id}/keputusan`). `POST /templat/{stage}/{channel}`
//! writes a version and sends it for approval. Roles as in `crate::template_desk`.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use sepakat_domain::compliance::Channel;
use sepakat_domain::template::Stage;
use sepakat_store::{TemplateStatus, TemplateVersion, TemplateVersionId, UserId};
use serde::Deserialize;

use crate::format;
use crate::i18n::{Lang, TemplateStrings};
use crate::session::CurrentUser;
use crate::template_desk::{self as desk, DeskError, Draft, Preview};
use crate::ui::error::UiError;
use crate::ui::page::{render, Page};
use crate::AppState;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/templat", get(list))
        .route("/templat/periksa", post(check))
        .route("/templat/{stage}/{channel}", get(editor).post(submit))
        .route("/templat/versi/{id}/keputusan", post(decide))
}

fn require_see(user: &CurrentUser) -> Result<(), UiError> {
    if desk::may_see(user.role()) {
        Ok(())
    } else {
        Err(UiError::Forbidden)
    }
}

fn slot_of(stage: &str, channel: &str) -> Result<(Stage, Channel), UiError> {
    let stage = Stage::parse(stage).map_err(|_| UiError::NotFound)?;
    let channel = Channel::parse(channel).map_err(|_| UiError::NotFound)?;
    if !desk::CHANNELS.contains(&channel) {
        return Err(UiError::NotFound);
    }
    Ok((stage, channel))
}

struct ListRow {
    stage: &'static str,
    channel: &'static str,
    href: String,
    in_force: String,
    pending: usize,
    id: String,
}

#[derive(Template)]
#[template(path = "templates.html")]
struct ListPage {
    page: Page,
    t: &'static TemplateStrings,
    rows: Vec<ListRow>,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<Response, UiError> {
    require_see(&user)?;
    let t = lang.templates();
    let creditor = user.creditor.id;
    let slots = state.store(move |s| desk::list(s, creditor)).await?;
    let rows = slots
        .into_iter()
        .map(|slot| {
            let number = slot
                .summary
                .as_ref()
                .and_then(|s| s.in_force.as_ref())
                .map(|v| v.version);
            let in_force = match (number, slot.has_default) {
                (Some(n), _) => format!("{} {n}", t.version),
                (None, true) => t.default_in_force.to_string(),
                (None, false) => t.none_in_force.to_string(),
            };
            ListRow {
                stage: lang.name(slot.stage),
                channel: lang.name(slot.channel),
                href: format!("/templat/{}/{}", slot.stage.code(), slot.channel.code()),
                in_force,
                pending: slot.summary.map_or(0, |s| s.pending.len()),
                id: format!("{}-{}", slot.stage.code(), slot.channel.code()),
            }
        })
        .collect();
    Ok(render(&ListPage {
        page: Page::new(lang, t.list_title, &user),
        t,
        rows,
    })?
    .into_response())
}

struct VersionRow {
    id: i64,
    version: u32,
    status: &'static str,
    status_code: &'static str,
    author: String,
    written: String,
    decided: String,
    reason: String,
    subject: String,
    body: String,
    note: String,
    /// The signed-in compliance officer may decide it.
    decidable: bool,
    /// The signed-in officer wrote it (pending): another one decides.
    own: bool,
}

#[derive(Template)]
#[template(path = "template_editor.html")]
struct EditorPage {
    page: Page,
    t: &'static TemplateStrings,
    stage: &'static str,
    channel: &'static str,
    stage_code: &'static str,
    channel_code: &'static str,
    in_force: String,
    has_subject: bool,
    may_draft: bool,
    subject: String,
    body: String,
    note: String,
    preview: Preview,
    variables: Vec<(&'static str, &'static str)>,
    versions: Vec<VersionRow>,
    errors: Vec<String>,
    notice: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
struct EditorParams {
    ok: Option<String>,
}

/// What the form holds when the page is re-drawn after a refusal.
struct Typed {
    subject: String,
    body: String,
    note: String,
}

async fn draw(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    stage: Stage,
    channel: Channel,
    typed: Option<Typed>,
    errors: Vec<String>,
    notice: String,
) -> Result<String, UiError> {
    let t = lang.templates();
    let creditor = user.creditor.id;
    let (in_force, versions, names) = state
        .store(move |s| {
            let in_force = desk::in_force(s, creditor, stage, channel)?;
            let versions = match s
                .templates(creditor)?
                .into_iter()
                .find(|t| t.template.stage == stage && t.template.channel == channel)
            {
                Some(summary) => s
                    .template(creditor, summary.template.id)?
                    .map(|(_, v)| v)
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            let mut ids: Vec<UserId> = versions
                .iter()
                .flat_map(|v| std::iter::once(v.author).chain(v.decided_by))
                .collect();
            ids.sort();
            ids.dedup();
            let mut names = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(u) = s.user(id)? {
                    names.push((id, u.full_name));
                }
            }
            Ok((in_force, versions, names))
        })
        .await?;
    let name_of = |id: UserId| {
        names
            .iter()
            .find(|(u, _)| *u == id)
            .map_or_else(|| format!("#{id}"), |(_, n)| n.clone())
    };
    let in_force_label = match &in_force {
        Some(f) => match desk::in_force_number(f) {
            Some(n) => format!("{} {n}", t.version),
            None => t.default_in_force.to_string(),
        },
        None => t.none_in_force.to_string(),
    };
    let typed = typed.unwrap_or_else(|| Typed {
        subject: in_force
            .as_ref()
            .and_then(|f| f.template.subject.as_ref())
            .map(|s| s.source().to_string())
            .unwrap_or_default(),
        body: in_force
            .as_ref()
            .map(|f| f.template.body.source().to_string())
            .unwrap_or_default(),
        note: String::new(),
    });
    let preview = desk::preview(
        &state.config().guard,
        lang,
        stage,
        channel,
        &typed.subject,
        &typed.body,
        state.today(),
    );
    let me = user.user.id;
    let decides = desk::may_decide(user.role());
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map_or_else(String::new, |at| {
            format::date_time(lang, at, sepakat_domain::Zone::Wib)
        })
    };
    let versions = versions
        .into_iter()
        .map(|v: TemplateVersion| {
            let pending = v.status == TemplateStatus::Pending;
            VersionRow {
                id: v.id.0,
                version: v.version,
                status: lang.name(v.status),
                status_code: v.status.code(),
                author: name_of(v.author),
                written: when(Some(v.created_at)),
                decided: match v.decided_by {
                    Some(by) => format!("{} · {}", name_of(by), when(v.decided_at)),
                    None => String::new(),
                },
                reason: v.reason.unwrap_or_default(),
                subject: v.subject.unwrap_or_default(),
                body: v.body,
                note: v.note.unwrap_or_default(),
                decidable: pending && decides && v.author != me,
                own: pending && decides && v.author == me,
            }
        })
        .collect();
    let page = EditorPage {
        page: Page::new(
            lang,
            format!("{} · {}", lang.name(stage), lang.name(channel)),
            user,
        ),
        t,
        stage: lang.name(stage),
        channel: lang.name(channel),
        stage_code: stage.code(),
        channel_code: channel.code(),
        in_force: in_force_label,
        has_subject: desk::has_subject(channel),
        may_draft: desk::may_draft(user.role()),
        subject: typed.subject,
        body: typed.body,
        note: typed.note,
        preview,
        variables: desk::variables(),
        versions,
        errors,
        notice,
        csrf_token: user.csrf_token.clone(),
    };
    Ok(page.render()?)
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn editor(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((raw_stage, raw_channel)): Path<(String, String)>,
    Query(params): Query<EditorParams>,
) -> Result<Response, UiError> {
    require_see(&user)?;
    let (stage, channel) = slot_of(&raw_stage, &raw_channel)?;
    let t = lang.templates();
    let notice = match params.ok.as_deref() {
        Some("diajukan") => t.submitted,
        Some("disetujui") => t.approved,
        Some("ditolak") => t.rejected,
        _ => "",
    };
    let html = draw(
        &state,
        lang,
        &user,
        stage,
        channel,
        None,
        Vec::new(),
        notice.to_string(),
    )
    .await?;
    Ok(axum::response::Html(html).into_response())
}

#[derive(Deserialize)]
struct SubmitForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    note: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((raw_stage, raw_channel)): Path<(String, String)>,
    Form(form): Form<SubmitForm>,
) -> Result<Response, UiError> {
    let (stage, channel) = slot_of(&raw_stage, &raw_channel)?;
    if !desk::may_draft(user.role()) {
        return Err(UiError::Forbidden);
    }
    let draft = Draft {
        stage,
        channel,
        subject: form.subject.clone(),
        body: form.body.clone(),
        note: form.note.clone(),
    };
    let (config, role, creditor, actor, now) = (
        state.config().clone(),
        user.role(),
        user.creditor.id,
        sepakat_store::Actor::user(user.user.id, &user.user.username),
        state.now(),
    );
    let result = state
        .store(move |s| {
            Ok(desk::submit(
                s,
                &config.guard,
                lang,
                role,
                creditor,
                &draft,
                now,
                &actor,
            ))
        })
        .await?;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/templat/{}/{}?ok=diajukan",
            stage.code(),
            channel.code()
        ))
        .into_response()),
        Err(DeskError::Forbidden(_)) => Err(UiError::Forbidden),
        Err(DeskError::NotFound) => Err(UiError::NotFound),
        Err(DeskError::Store(e)) => Err(UiError::Internal(e.to_string())),
        Err(e) => {
            let typed = Typed {
                subject: form.subject,
                body: form.body,
                note: form.note,
            };
            let html = draw(
                &state,
                lang,
                &user,
                stage,
                channel,
                Some(typed),
                vec![e.shown(lang)],
                String::new(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::response::Html(html)).into_response())
        }
    }
}

#[derive(Deserialize)]
struct DecideForm {
    decision: String,
    #[serde(default)]
    reason: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn decide(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    Form(form): Form<DecideForm>,
) -> Result<Response, UiError> {
    if !desk::may_decide(user.role()) {
        return Err(UiError::Forbidden);
    }
    let id = TemplateVersionId(raw_id.parse().map_err(|_| UiError::NotFound)?);
    let approve = match form.decision.as_str() {
        "setujui" => true,
        "tolak" => false,
        _ => return Err(UiError::BadRequest),
    };
    let creditor = user.creditor.id;
    let version = state
        .store(move |s| s.template_version(creditor, id))
        .await?
        .ok_or(UiError::NotFound)?;
    let (stage, channel) = (version.stage, version.channel);
    let (config, role, uid, actor, now) = (
        state.config().clone(),
        user.role(),
        user.user.id,
        sepakat_store::Actor::user(user.user.id, &user.user.username),
        state.now(),
    );
    let reason = form.reason.clone();
    let result = state
        .store(move |s| {
            Ok(desk::decide(
                s,
                &config.guard,
                lang,
                role,
                uid,
                creditor,
                id,
                approve,
                &reason,
                now,
                &actor,
            ))
        })
        .await?;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/templat/{}/{}?ok={}",
            stage.code(),
            channel.code(),
            if approve { "disetujui" } else { "ditolak" }
        ))
        .into_response()),
        Err(DeskError::Forbidden(_)) => Err(UiError::Forbidden),
        Err(DeskError::NotFound) => Err(UiError::NotFound),
        Err(DeskError::Store(e)) => Err(UiError::Internal(e.to_string())),
        Err(e) => {
            let message = match &e {
                DeskError::Invalid {
                    field: "reason", ..
                } => lang.templates().reason_required.to_string(),
                other => other.shown(lang),
            };
            let html = draw(
                &state,
                lang,
                &user,
                stage,
                channel,
                None,
                vec![message],
                String::new(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::response::Html(html)).into_response())
        }
    }
}

#[derive(Deserialize)]
struct CheckForm {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn check(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<CheckForm>,
) -> Result<Json<Preview>, UiError> {
    require_see(&user)?;
    let (stage, channel) = slot_of(&form.stage, &form.channel).map_err(|_| UiError::BadRequest)?;
    if form.body.chars().count() > desk::MAX_BODY
        || form.subject.chars().count() > desk::MAX_SUBJECT
    {
        return Err(UiError::BadRequest);
    }
    Ok(Json(desk::preview(
        &state.config().guard,
        lang,
        stage,
        channel,
        &form.subject,
        &form.body,
        state.today(),
    )))
}
