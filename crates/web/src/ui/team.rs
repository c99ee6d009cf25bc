//! `GET /tim`: per collector of the creditor's teams, today's worklist size, contacts,
//! right-party contacts, promises made and kept; `POST /tim/alihkan` moves accounts to a
//! collector. Supervisors and managers only.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{Days, NaiveTime};
use sepakat_domain::Zone;
use sepakat_store::{local_instant, TeamId, UserId};
use serde::Deserialize;

use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::ui::error::UiError;
use crate::ui::page::{render, Page};
use crate::work::{team, Problem, WorkError};
use crate::AppState;

/// `GET /tim`, `POST /tim/alihkan`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tim", get(overview))
        .route("/tim/alihkan", post(reassign))
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    page: Page,
    csrf_token: String,
    rows: Vec<team_row::Row>,
    assignees: Vec<(String, String)>,
    notice: Option<String>,
    errors: Vec<String>,
    accounts: String,
}

mod team_row {
    /// One collector's line.
    pub struct Row {
        pub username: String,
        pub team: String,
        pub worklist: u64,
        pub contacts: u64,
        pub right_party: u64,
        pub made: u64,
        pub kept: u64,
    }
}

#[derive(Deserialize)]
struct Params {
    dialihkan: Option<u64>,
}

async fn page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    notice: Option<String>,
    errors: Vec<String>,
    accounts: String,
) -> Result<Html<String>, UiError> {
    // "Today" is the WIB calendar day, as everywhere else in the UI.
    let day = state.today();
    let from = local_instant(day, NaiveTime::MIN, Zone::Wib);
    let to = local_instant(
        day.checked_add_days(Days::new(1)).unwrap_or(day),
        NaiveTime::MIN,
        Zone::Wib,
    );
    let (activity, assignees) = team::overview(state, &user.into(), from, to).await?;
    let team_code = |id: TeamId| {
        assignees
            .iter()
            .find(|a| a.team == id)
            .map(|a| a.team_code.clone())
            .unwrap_or_default()
    };
    let rows = activity
        .iter()
        .map(|a| team_row::Row {
            username: a.username.clone(),
            team: team_code(a.team),
            worklist: a.worklist_size,
            contacts: a.contacts,
            right_party: a.right_party_contacts,
            made: a.promises_made,
            kept: a.promises_kept,
        })
        .collect();
    render(&TeamPage {
        page: Page::new(lang, lang.work().team_title, user),
        csrf_token: user.csrf_token.clone(),
        rows,
        assignees: assignees
            .iter()
            .map(|a| {
                (
                    format!("{}:{}", a.team.0, a.user.0),
                    format!("{} ({})", a.username, a.team_code),
                )
            })
            .collect(),
        notice,
        errors,
        accounts,
    })
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn overview(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(params): Query<Params>,
) -> Result<Html<String>, UiError> {
    let notice = params
        .dialihkan
        .map(|n| format!("{} {n}", lang.work().reassigned));
    page(&state, lang, &user, notice, Vec::new(), String::new()).await
}

#[derive(Deserialize)]
struct ReassignForm {
    accounts: String,
    collector: String,
}

/// `team:user` as the select sends it.
fn assignee(value: &str) -> Option<(TeamId, UserId)> {
    let (team, user) = value.split_once(':')?;
    Some((TeamId(team.parse().ok()?), UserId(user.parse().ok()?)))
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn reassign(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<ReassignForm>,
) -> Result<Response, UiError> {
    let numbers: Vec<String> = form
        .accounts
        .lines()
        .flat_map(|l| l.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    let result = match assignee(&form.collector) {
        Some((team_id, collector)) => {
            team::reassign(&state, &(&user).into(), numbers, team_id, collector).await
        }
        None => Err(WorkError::invalid("collector", Problem::Required)),
    };
    match result {
        Ok(n) => Ok(Redirect::to(&format!("/tim?dialihkan={n}")).into_response()),
        Err(WorkError::Forbidden) => Err(UiError::Forbidden),
        Err(WorkError::Store(e)) => Err(UiError::Internal(e.to_string())),
        Err(e) => {
            let html = page(
                &state,
                lang,
                &user,
                None,
                vec![e.message(lang)],
                form.accounts,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}
