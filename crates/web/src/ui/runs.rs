//! `GET /proses`: the nightly run's reports for supervisors and up — the creditor's recent
//! runs, and one run's report in full (`?run=ID`, default the newest finished one):
//! actions per kind and per DPD bucket, strategy rules, the compliance gate's refusals,
//! promise outcomes, arrangements tracked, allocation and duration.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use sepakat_domain::compliance::Rule;
use sepakat_domain::strategy::Action;
use sepakat_domain::PromiseStatus;
use sepakat_engine::run::RunReport;
use sepakat_store::{RunInfo, RunStatus};
use serde::Deserialize;

use crate::format;
use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::ui::error::UiError;
use crate::ui::page::{render, Page};
use crate::AppState;

/// Runs listed.
const RECENT: u32 = 30;

/// `GET /proses` (the caller puts the portfolio role layer on it).
pub fn router() -> Router<AppState> {
    Router::new().route("/proses", get(show))
}

#[derive(Deserialize)]
struct Params {
    run: Option<i64>,
}

struct RunRow {
    id: i64,
    as_of: String,
    status: &'static str,
    started: String,
    accounts: String,
    actions: u64,
    seconds: String,
    in_force: bool,
    selected: bool,
}

/// One report, every count named.
struct Detail {
    title: String,
    accounts: u64,
    actions: u64,
    allocated: u64,
    unallocated: u64,
    seconds: String,
    by_action: Vec<(String, u64)>,
    /// Bucket rows with the count per action column.
    buckets: Vec<(String, Vec<u64>)>,
    bucket_columns: Vec<String>,
    by_rule: Vec<(String, u64)>,
    refused: Vec<(String, u64)>,
    promises: Vec<(String, u64)>,
    arrangements: String,
}

#[derive(Template)]
#[template(path = "runs.html")]
struct RunsPage {
    page: Page,
    runs: Vec<RunRow>,
    detail: Option<Detail>,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(params): Query<Params>,
) -> Result<Html<String>, UiError> {
    let creditor = user.creditor.id;
    let runs = state.store(move |s| s.runs(creditor, RECENT)).await?;
    let chosen = match params.run {
        Some(id) => Some(
            runs.iter()
                .find(|r| r.id.0 == id)
                .ok_or(UiError::NotFound)?,
        ),
        None => runs.iter().find(|r| r.report.is_some()),
    };
    let detail = chosen
        .and_then(|r| Some((r, r.report.clone()?)))
        .map(|(r, json)| {
            let report: RunReport = serde_json::from_value(json)
                .map_err(|e| UiError::Internal(format!("run {} report: {e}", r.id)))?;
            Ok::<_, UiError>(detail(lang, r, &report, state.config().buckets.labels()))
        })
        .transpose()?;
    let rows = runs
        .iter()
        .map(|r| row(lang, r, chosen.is_some_and(|c| c.id == r.id)))
        .collect();
    let w = lang.work();
    render(&RunsPage {
        page: Page::new(lang, w.runs_title, &user),
        runs: rows,
        detail,
    })
}

fn status(lang: Lang, s: RunStatus) -> &'static str {
    let w = lang.work();
    match s {
        RunStatus::Running => w.run_running,
        RunStatus::Done => w.run_done,
        RunStatus::Abandoned => w.run_abandoned,
    }
}

fn row(lang: Lang, r: &RunInfo, selected: bool) -> RunRow {
    let report = r.report.as_ref();
    let number = |key: &str| report.and_then(|j| j[key].as_f64());
    RunRow {
        id: r.id.0,
        as_of: format::date(lang, r.as_of),
        status: status(lang, r.status),
        started: format::date_time(lang, r.started_at, sepakat_domain::Zone::Wib),
        accounts: number("accounts").map_or_else(|| "-".into(), |n| format!("{n:.0}")),
        actions: r.actions,
        seconds: number("seconds").map_or_else(|| "-".into(), |s| format!("{s:.1}")),
        in_force: r.in_force,
        selected,
    }
}

/// The name of a code for `lang` among `T`'s named values; the code itself otherwise.
fn named<T: crate::i18n::Named>(lang: Lang, code: &str) -> String {
    T::all()
        .iter()
        .find(|v| v.code() == code)
        .map_or_else(|| code.to_string(), |v| lang.name(*v).to_string())
}

fn counts<T: crate::i18n::Named>(lang: Lang, map: &BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = map
        .iter()
        .map(|(code, n)| (named::<T>(lang, code), *n))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// One report in words; buckets in the configured order (`labels`), unknown ones last.
fn detail(lang: Lang, r: &RunInfo, report: &RunReport, labels: &[String]) -> Detail {
    let w = lang.work();
    let columns: Vec<&str> = Action::ALL
        .iter()
        .map(|a| a.code())
        .filter(|code| report.by_bucket.values().any(|m| m.contains_key(*code)))
        .collect();
    let mut ordered: Vec<(&String, &BTreeMap<String, u64>)> = report.by_bucket.iter().collect();
    ordered.sort_by_key(|(bucket, _)| {
        labels
            .iter()
            .position(|l| l == *bucket)
            .unwrap_or(usize::MAX)
    });
    let buckets = ordered
        .into_iter()
        .map(|(bucket, per)| {
            (
                lang.bucket(bucket).to_string(),
                columns
                    .iter()
                    .map(|c| per.get(*c).copied().unwrap_or(0))
                    .collect(),
            )
        })
        .collect();
    let mut by_rule: Vec<(String, u64)> = report
        .by_rule
        .iter()
        .map(|(rule, n)| (rule.clone(), *n))
        .collect();
    by_rule.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let a = &report.arrangements;
    Detail {
        title: format!(
            "#{} · {} · {}",
            r.id,
            format::date(lang, r.as_of),
            report.strategy
        ),
        accounts: report.accounts,
        actions: report.actions,
        allocated: report.allocated,
        unallocated: report.unallocated,
        seconds: format!("{:.2}", report.seconds),
        by_action: counts::<Action>(lang, &report.by_action),
        bucket_columns: columns.iter().map(|c| named::<Action>(lang, c)).collect(),
        buckets,
        by_rule,
        refused: counts::<Rule>(lang, &report.refused),
        promises: counts::<PromiseStatus>(lang, &report.promises),
        arrangements: format!(
            "{} {}, {} {}, {} {}; {} {}",
            a.arrangements,
            w.tracked,
            a.completed,
            w.completed,
            a.defaulted,
            w.defaulted,
            report.offers_expired,
            w.offers_expired
        ),
    }
}
