//! `GET /kotak-keluar`: the creditor's outbox, newest first, filtered by status (queued,
//! waiting, sent, delivered, failed, blocked, in doubt) and channel, 50 a page; the
//! recipient masked, the next allowed time in the debtor's zone, the rule that blocked or
//! holds a message, and a link to the account. Supervisors, managers, compliance and
//! admins (`require_outbox`).

use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::format;
use crate::i18n::{Lang, LetterStrings};
use crate::session::CurrentUser;
use crate::ui::error::UiError;
use crate::ui::page::{render, Page};
use crate::work::outbox::{self, StatusFilter, CHANNELS};
use crate::AppState;

/// The route.
pub fn router() -> Router<AppState> {
    Router::new().route("/kotak-keluar", get(overview))
}

/// Route layer: only roles that read the outbox pass.
pub async fn require_outbox(
    user: CurrentUser,
    request: Request,
    next: Next,
) -> Result<Response, UiError> {
    if user.role().reads_outbox() {
        Ok(next.run(request).await)
    } else {
        Err(UiError::Forbidden)
    }
}

#[derive(Debug, Default, Deserialize)]
struct Params {
    #[serde(default)]
    status: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    page: Option<usize>,
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxView {
    page: Page,
    t: &'static LetterStrings,
    statuses: Vec<(&'static str, &'static str, bool)>,
    channels: Vec<(&'static str, &'static str, bool)>,
    errors: Vec<String>,
    rows: Vec<Row>,
    total: usize,
    number: usize,
    previous: Option<String>,
    next: Option<String>,
}

struct Row {
    account_id: i64,
    account_no: String,
    channel: &'static str,
    status: &'static str,
    css: &'static str,
    recipient: String,
    next_allowed: String,
    rule: String,
    text: String,
}

/// A filter's name.
fn status_name(lang: Lang, f: StatusFilter) -> &'static str {
    use sepakat_store::MessageStatus as S;
    let t = lang.letters();
    match f {
        StatusFilter::Queued => lang.name(S::Queued),
        StatusFilter::Waiting => t.waiting,
        StatusFilter::Sent => lang.name(S::Sent),
        StatusFilter::Delivered => lang.name(S::Delivered),
        StatusFilter::Failed => lang.name(S::Failed),
        StatusFilter::Blocked => lang.name(S::Blocked),
        StatusFilter::InDoubt => t.in_doubt,
    }
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn overview(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(params): Query<Params>,
) -> Result<Response, UiError> {
    let t = lang.letters();
    let status = StatusFilter::parse(&params.status);
    let channel = outbox::parse_channel(&params.channel);
    let mut errors = Vec::new();
    for e in [status.as_ref().err(), channel.as_ref().err()]
        .into_iter()
        .flatten()
    {
        errors.push(format!("{} {e}", t.err_filter));
    }
    let query = outbox::Query {
        status: status.clone().ok().flatten(),
        channel: channel.clone().ok().flatten(),
        page: params.page.unwrap_or(1).max(1),
    };
    let (creditor, now) = (user.creditor.id, state.now());
    let found = if errors.is_empty() {
        Some(
            state
                .store(move |s| outbox::page(s, creditor, query, now))
                .await?,
        )
    } else {
        None
    };
    let link = |page: usize| {
        format!(
            "/kotak-keluar?status={}&channel={}&page={page}",
            query.status.map_or("", |s| s.code()),
            query.channel.map_or("", |c| c.code())
        )
    };
    let (rows, total, number, previous, next) = match &found {
        None => (Vec::new(), 0, 1, None, None),
        Some(p) => (
            p.items
                .iter()
                .map(|i| {
                    let m = &i.message;
                    Row {
                        account_id: m.data.account.0,
                        account_no: i.account_no.clone(),
                        channel: lang.name(m.data.channel),
                        status: status_name(lang, i.filter),
                        css: i.filter.code(),
                        recipient: m.data.recipient.masked(),
                        next_allowed: if m.status.is_final() {
                            String::new()
                        } else {
                            format::date_time(lang, m.data.not_before, i.zone)
                        },
                        rule: m
                            .refusal
                            .as_ref()
                            .map(|r| format!("{}: {}", r.rule, r.detail))
                            .unwrap_or_default(),
                        text: m.data.body.chars().take(100).collect(),
                    }
                })
                .collect(),
            p.total,
            p.page,
            (p.page > 1).then(|| link(p.page - 1)),
            p.has_next().then(|| link(p.page + 1)),
        ),
    };
    let html = render(&OutboxView {
        page: Page::new(lang, t.outbox_title, &user),
        t,
        statuses: StatusFilter::ALL
            .iter()
            .map(|f| {
                (
                    f.code(),
                    status_name(lang, *f),
                    params.status.trim() == f.code(),
                )
            })
            .collect(),
        channels: CHANNELS
            .iter()
            .map(|c| (c.code(), lang.name(*c), params.channel.trim() == c.code()))
            .collect(),
        errors: errors.clone(),
        rows,
        total,
        number,
        previous,
        next,
    })?;
    let code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((code, html).into_response())
}
