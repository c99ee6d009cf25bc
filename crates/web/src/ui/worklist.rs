//! `GET /kerja`: the collector's work due now, most urgent first; `POST
//! /kerja/berikutnya`: claims the next account nobody else holds and opens it.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use sepakat_store::{FollowUpKind, WorkItem, WorkSource};

use crate::format;
use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::ui::error::UiError;
use crate::ui::page::{render, Page};
use crate::AppState;

/// The most rows the worklist page shows.
const SHOWN: u32 = 200;
/// The first rows that show why the model ranks them (each costs a history read).
const EXPLAINED: usize = 25;

/// `GET /kerja`, `POST /kerja/berikutnya`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kerja", get(worklist))
        .route("/kerja/berikutnya", post(next))
}

#[derive(Deserialize)]
struct Params {
    /// Set when "next account" found nothing.
    habis: Option<u8>,
}

#[derive(Template)]
#[template(path = "worklist.html")]
struct WorklistPage {
    page: Page,
    csrf_token: String,
    rows: Vec<Row>,
    exhausted: bool,
}

struct Row {
    rank: usize,
    id: i64,
    account_no: String,
    debtor_name: String,
    dpd: u32,
    outstanding: String,
    why: &'static str,
    due: String,
    promise: String,
    held: &'static str,
    /// The probability to pay and its strongest reason, when the creditor has a model.
    score: Option<(String, String)>,
}

fn why(lang: Lang, source: WorkSource) -> &'static str {
    let w = lang.work();
    match source {
        WorkSource::Allocated => w.source_allocated,
        WorkSource::Assigned => w.source_assigned,
        WorkSource::FollowUp(FollowUpKind::CallBack) => w.follow_up_call_back,
        WorkSource::FollowUp(FollowUpKind::PromiseReminder) => w.follow_up_promise_reminder,
        WorkSource::FollowUp(FollowUpKind::BrokenPromise) => w.follow_up_broken_promise,
    }
}

fn row(lang: Lang, user: &CurrentUser, rank: usize, item: WorkItem) -> Row {
    let zone = item.province.zone();
    let none = lang.strings().none;
    Row {
        rank,
        id: item.account.0,
        account_no: item.account_number,
        debtor_name: item.debtor_name,
        dpd: item.dpd,
        outstanding: format::rupiah(item.outstanding),
        why: why(lang, item.source),
        due: item
            .due_at
            .map(|t| format::date_time(lang, t, zone))
            .unwrap_or_else(|| none.to_string()),
        promise: item
            .pending_promise
            .map(|(amount, on)| format!("{} · {}", format::rupiah(amount), format::date(lang, on)))
            .unwrap_or_else(|| none.to_string()),
        held: match item.claimed_by {
            Some(u) if u == user.user.id => lang.work().you,
            Some(_) => lang.work().held_by,
            None => "",
        },
        score: None,
    }
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn worklist(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(params): Query<Params>,
) -> Result<Html<String>, UiError> {
    if !user.role().works_accounts() {
        return Err(UiError::Forbidden);
    }
    let (creditor, me, now) = (user.creditor.id, user.user.id, state.now());
    let (today, models) = (state.today(), state.models.clone());
    let (items, scores) = state
        .store(move |s| {
            let items = s.collector_worklist(creditor, me, now, SHOWN)?;
            let mut scores = Vec::new();
            for item in items.iter().take(EXPLAINED) {
                let Some(detail) = s.account(creditor, item.account)? else {
                    scores.push(None);
                    continue;
                };
                // A model that fails to load leaves the worklist without scores, not down.
                match models.explain(s, &detail, today, 1) {
                    Ok(score) => scores.push(score),
                    Err(e) => {
                        tracing::warn!(error = %e, "scoring the worklist failed");
                        break;
                    }
                }
            }
            Ok((items, scores))
        })
        .await?;
    let mut scores = scores.into_iter();
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let mut r = row(lang, &user, i + 1, item);
            r.score = scores.next().flatten().map(|(info, e)| {
                let view = crate::scoring::ScoreView::new(lang, &info, &e);
                let why = view
                    .reasons
                    .into_iter()
                    .next()
                    .map(|r| r.text)
                    .unwrap_or_default();
                (view.percent, why)
            });
            r
        })
        .collect();
    render(&WorklistPage {
        page: Page::new(lang, lang.work().worklist_title, &user),
        csrf_token: user.csrf_token.clone(),
        rows,
        exhausted: params.habis.is_some(),
    })
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn next(State(state): State<AppState>, user: CurrentUser) -> Result<Response, UiError> {
    if !user.role().works_accounts() {
        return Err(UiError::Forbidden);
    }
    let claim = crate::work::claim::next(&state, &(&user).into()).await?;
    Ok(match claim {
        Some(c) => Redirect::to(&format!("/akun/{}", c.account)).into_response(),
        None => Redirect::to("/kerja?habis=1").into_response(),
    })
}
