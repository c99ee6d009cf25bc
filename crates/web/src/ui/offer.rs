//! An offer and what follows it: `GET /penawaran/{id}` (the option, its schedule and where
//! it stands), `POST /penawaran/{id}/putuskan` (a supervisor approves or rejects it),
//! `POST /penawaran/{id}/terima` (the debtor accepts: the arrangement, the recap),
//! `GET /penawaran/{id}/surat.pdf` (the payment agreement) and `GET /persetujuan` (the
//! approval queue).

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use sepakat_domain::negotiation::wire::OptionView;
use sepakat_store::{
    AccountDetail, Arrangement, OfferId, OfferStatus, Store, StoreError, StoredOffer, UserId,
};
use serde::Deserialize;

use crate::access::{read_offer, Via};
use crate::format;
use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::ui::error::UiError;
use crate::ui::negotiation::OptionCard;
use crate::ui::page::{render, Page};
use crate::work::negotiation as desk;
use crate::work::{WorkError, Worker};
use crate::AppState;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/penawaran/{id}", get(show))
        .route("/penawaran/{id}/putuskan", post(decide))
        .route("/penawaran/{id}/terima", post(accept))
        .route("/penawaran/{id}/surat.pdf", get(agreement))
        .route("/persetujuan", get(queue))
}

/// `?ok=` after a form of the offer page was saved; `?tempat=` the place of signing.
#[derive(Deserialize, Default)]
struct Notice {
    ok: Option<String>,
    tempat: Option<String>,
}

/// One instalment of the arrangement, formatted.
struct InstalmentRow {
    seq: u32,
    due: String,
    amount: String,
    paid: String,
    status: &'static str,
    css: &'static str,
}

#[derive(Template)]
#[template(path = "offer.html")]
struct OfferPage {
    page: Page,
    csrf_token: String,
    id: i64,
    account_id: i64,
    account_no: String,
    debtor_name: String,
    status: &'static str,
    status_code: &'static str,
    facts: Vec<(&'static str, String)>,
    option: OptionCard,
    notice: Option<&'static str>,
    errors: Vec<String>,
    can_decide: bool,
    can_accept: bool,
    place: String,
    recap: Option<String>,
    agreement_link: Option<String>,
    arrangement: Option<(&'static str, Vec<InstalmentRow>)>,
}

fn parse_id(raw: &str) -> Result<OfferId, UiError> {
    raw.parse::<i64>()
        .map(OfferId)
        .map_err(|_| UiError::NotFound)
}

/// The offer of the active creditor with its account and arrangement, or a 404 (and an
/// `access.denied` entry for another creditor's or an unknown id).
async fn load(
    state: &AppState,
    user: &CurrentUser,
    raw_id: &str,
) -> Result<(StoredOffer, AccountDetail, Option<Arrangement>), UiError> {
    let (offer, account) = read_offer(state, user.actor(), &user.creditor, raw_id, Via::Ui)
        .await?
        .ok_or(UiError::NotFound)?;
    let (creditor, id, account_id) = (user.creditor.id, offer.id, account.id);
    let arrangement = state
        .store(move |s| {
            Ok(s.arrangements(creditor, account_id)?
                .into_iter()
                .find(|a| a.offer == id))
        })
        .await?;
    Ok((offer, account, arrangement))
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Html<String>, UiError> {
    if !user.role().works_accounts() {
        return Err(UiError::Forbidden);
    }
    let (offer, account, arrangement) = load(&state, &user, &raw_id).await?;
    draw(
        &state,
        lang,
        &user,
        offer,
        account,
        arrangement,
        &notice,
        Vec::new(),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn draw(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    offer: StoredOffer,
    account: AccountDetail,
    arrangement: Option<Arrangement>,
    notice: &Notice,
    errors: Vec<String>,
) -> Result<Html<String>, UiError> {
    let n = lang.desk();
    let zone = account.debtor.data.province.zone();
    let (made_by, decided_by) = (offer.created_by, offer.decided_by);
    let (made_by, decided_by) = state
        .store(move |s| Ok((user_name(s, made_by)?, user_name(s, decided_by)?)))
        .await?;
    let chosen = offer
        .chosen()
        .ok_or_else(|| UiError::Internal(format!("offer {} has no chosen option", offer.id)))?;
    let view = OptionView::from(chosen.clone());
    let mut facts = vec![
        (
            n.made_by,
            format!("{made_by} ({})", lang.role(offer.data.created_role)),
        ),
        (n.made_at, format::date_time(lang, offer.created_at, zone)),
        (
            n.expires,
            format::date_time(lang, offer.data.expires_at, zone),
        ),
    ];
    if !offer.data.approvers.is_empty() {
        let roles: Vec<&str> = offer.data.approvers.iter().map(|r| lang.role(*r)).collect();
        facts.push((n.approvers, roles.join(", ")));
    }
    if let Some(at) = offer.decided_at {
        facts.push((
            n.decided_by,
            format!("{decided_by}, {}", format::date_time(lang, at, zone)),
        ));
    }
    if let Some(reason) = &offer.decision_reason {
        facts.push((n.decision_reason, reason.clone()));
    }
    let place = notice
        .tempat
        .clone()
        .or_else(|| account.debtor.data.city.clone())
        .unwrap_or_default();
    let accepted = offer.status == OfferStatus::Accepted;
    let recap = if accepted {
        let signed = arrangement
            .as_ref()
            .map_or(offer.created_at, |a| a.created_at);
        let creditor_name = user.creditor.name.clone();
        let mut agreed = view.clone();
        agreed.needs_approval = false;
        Some(sepakat_engine::negotiation::recap(
            &creditor_name,
            &account,
            &agreed,
            zone.local(signed).date(),
        ))
    } else {
        None
    };
    let agreement_link = (matches!(
        offer.status,
        OfferStatus::Proposed | OfferStatus::Approved | OfferStatus::Accepted
    ) && (account.debtor.data.nik.is_some()
        || account.debtor.data.npwp.is_some()))
    .then(|| {
        format!(
            "/penawaran/{}/surat.pdf?tempat={}",
            offer.id.0,
            urlencoding::encode(&place)
        )
    });
    let arrangement = arrangement.map(|a| {
        let rows = a
            .instalments
            .iter()
            .map(|i| InstalmentRow {
                seq: i.seq,
                due: format::date(lang, i.due_on),
                amount: format::rupiah(i.amount),
                paid: format::rupiah(i.paid),
                status: lang.name(i.status),
                css: i.status.code(),
            })
            .collect();
        (lang.name(a.status), rows)
    });
    let role = user.role();
    let page = Page::new(lang, format!("{} #{}", n.offer_title, offer.id.0), user);
    render(&OfferPage {
        page,
        csrf_token: user.csrf_token.clone(),
        id: offer.id.0,
        account_id: account.id.0,
        account_no: account.account_no.clone(),
        debtor_name: account.debtor.data.name.clone(),
        status: lang.name(offer.status),
        status_code: offer.status.code(),
        facts,
        option: OptionCard::new(lang, &view),
        notice: match notice.ok.as_deref() {
            Some("tawar") => Some(n.offered_notice),
            Some("putus") => Some(n.decided_notice),
            Some("terima") => Some(n.accepted_notice),
            _ => None,
        },
        errors,
        can_decide: offer.status == OfferStatus::PendingApproval
            && role.supervises()
            && offer.data.approvers.contains(&role),
        can_accept: offer.status.acceptable() && role.works_accounts(),
        place,
        recap,
        agreement_link,
        arrangement,
    })
}

/// A user's full name; empty for none (a system actor).
fn user_name(s: &dyn Store, id: Option<UserId>) -> Result<String, StoreError> {
    Ok(match id {
        Some(id) => s.user(id)?.map(|u| u.full_name).unwrap_or_default(),
        None => String::new(),
    })
}

/// Redirects to the offer page with `ok`, or re-draws it with the refusal (422).
async fn answer<T>(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    raw_id: &str,
    result: Result<T, WorkError>,
    ok: &str,
) -> Result<Response, UiError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/penawaran/{raw_id}?ok={ok}")).into_response()),
        Err(WorkError::Store(e)) => Err(UiError::Internal(e.to_string())),
        Err(WorkError::Forbidden) => Err(UiError::Forbidden),
        Err(WorkError::NotFound) => Err(UiError::NotFound),
        Err(e) => {
            let (offer, account, arrangement) = load(state, user, raw_id).await?;
            let page = draw(
                state,
                lang,
                user,
                offer,
                account,
                arrangement,
                &Notice::default(),
                vec![e.message(lang)],
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
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
    let id = parse_id(&raw_id)?;
    let approve = match form.decision.as_str() {
        "setuju" => true,
        "tolak" => false,
        _ => return Err(UiError::BadRequest),
    };
    let (worker, now) = (Worker::from(&user), state.now());
    let result = state
        .store(move |s| Ok(desk::decide(s, &worker, id, approve, &form.reason, now)))
        .await?;
    answer(&state, lang, &user, &raw_id, result, "putus").await
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    place: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn accept(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, UiError> {
    let id = parse_id(&raw_id)?;
    let (worker, now) = (Worker::from(&user), state.now());
    let settings = state.config().negotiation.clone();
    let place = form.place.trim().to_string();
    let result = state
        .store(move |s| Ok(desk::accept(s, &worker, &settings, id, &form.place, now)))
        .await?;
    let ok = format!("terima&tempat={}", urlencoding::encode(&place));
    answer(&state, lang, &user, &raw_id, result, &ok).await
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn agreement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Response, UiError> {
    let id = parse_id(&raw_id)?;
    let (worker, now) = (Worker::from(&user), state.now());
    let place = notice.tempat.unwrap_or_default();
    let pdf = state
        .store(move |s| Ok(desk::agreement(s, &worker, id, &place, now)))
        .await?
        .map_err(UiError::from)?
        .ok_or(UiError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"surat-pernyataan-{}.pdf\"", id.0),
            ),
        ],
        pdf,
    )
        .into_response())
}

/// One offer waiting for approval, formatted.
struct QueueRow {
    id: i64,
    account_no: String,
    debtor_name: String,
    kind: &'static str,
    total: String,
    discount: String,
    exceeded: Vec<String>,
    made_by: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct QueuePage {
    page: Page,
    rows: Vec<QueueRow>,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn queue(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<Html<String>, UiError> {
    if !user.role().supervises() {
        return Err(UiError::Forbidden);
    }
    let (creditor, role) = (user.creditor.id, user.role());
    let pending = state
        .store(move |s| {
            let mut rows = Vec::new();
            for offer in s.pending_approvals(creditor)? {
                if !offer.data.approvers.contains(&role) {
                    continue;
                }
                let Some(account) = s.account(creditor, offer.data.account)? else {
                    continue;
                };
                let by = user_name(s, offer.created_by)?;
                rows.push((offer, account, by));
            }
            Ok(rows)
        })
        .await?;
    let n = lang.desk();
    let rows = pending
        .into_iter()
        .filter_map(|(offer, account, by)| {
            let view = OptionView::from(offer.chosen()?.clone());
            let card = OptionCard::new(lang, &view);
            Some(QueueRow {
                id: offer.id.0,
                account_no: account.account_no.clone(),
                debtor_name: account.debtor.data.name.clone(),
                kind: card.kind,
                total: card.total_paid,
                discount: card.discount,
                exceeded: card.exceeded,
                made_by: by,
                expires: format::date_time(
                    lang,
                    offer.data.expires_at,
                    account.debtor.data.province.zone(),
                ),
            })
        })
        .collect();
    render(&QueuePage {
        page: Page::new(lang, n.approvals_title, &user),
        rows,
    })
}
