//! `GET /akun`: account search; `GET /akun/{id}`: one account in full.
//!
//! Lists show NIK and phone masked. Opening an account is audited (`account.viewed`);
//! an id of another creditor, or none at all, is a 404 and an `access.denied` entry.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use sepakat_domain::ProductType;
use sepakat_store::gate::ContactFacts;
use sepakat_store::{AccountDetail, AccountListItem, AccountQuery, EntityRef, ReversalStatus};
use serde::Deserialize;

use crate::access::{read_account, Via};
use crate::format;
use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::standing::Standing;
use crate::timeline::History;
use crate::ui::account_detail::{DetailPage, Loaded, MessageDraft};
use crate::ui::error::UiError;
use crate::ui::page::{render, Page};
use crate::AppState;

/// Results per page.
const PAGE_SIZE: u32 = 50;

/// `GET /akun`, `GET /akun/{id}`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/akun", get(search))
        .route("/akun/{id}", get(detail))
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
    produk: Option<String>,
    hal: Option<u32>,
}

/// What the account page says after a form of it was saved (`?ok=kontak`, `?janji=ID`).
#[derive(Deserialize, Default)]
pub(crate) struct Notice {
    /// Which form was saved.
    pub(crate) ok: Option<String>,
    /// A promise just recorded: its recap is shown.
    pub(crate) janji: Option<i64>,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct SearchPage {
    page: Page,
    q: String,
    products: Vec<ProductOption>,
    rows: Vec<AccountRow>,
    previous: Option<String>,
    next: Option<String>,
}

struct ProductOption {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

/// One result row, every value already formatted.
struct AccountRow {
    id: i64,
    account_no: String,
    debtor_name: String,
    nik: String,
    phone: String,
    product: &'static str,
    outstanding: String,
    dpd: u32,
    kolektibilitas: String,
    status: &'static str,
}

impl AccountRow {
    fn new(lang: Lang, item: AccountListItem, standing: Standing) -> AccountRow {
        let none = lang.strings().none;
        AccountRow {
            id: item.id.0,
            account_no: item.account_no,
            debtor_name: item.debtor_name,
            nik: item.nik_masked.unwrap_or_else(|| none.to_string()),
            phone: item.phone_masked.unwrap_or_else(|| none.to_string()),
            product: lang.product(item.product),
            outstanding: format::rupiah(item.outstanding),
            dpd: standing.dpd.days(),
            kolektibilitas: lang.kolektibilitas(standing.kolektibilitas),
            status: lang.status(item.status),
        }
    }
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn search(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, UiError> {
    let q = params.q.unwrap_or_default().trim().to_string();
    let product = params
        .produk
        .as_deref()
        .filter(|p| !p.is_empty())
        .map(|p| ProductType::parse(p).ok_or(UiError::BadRequest))
        .transpose()?;
    let page_no = params.hal.unwrap_or(1).clamp(1, 10_000);
    let query = AccountQuery {
        text: (!q.is_empty()).then(|| q.clone()),
        product,
        open_only: false,
        // One more than shown tells whether a next page exists.
        limit: PAGE_SIZE + 1,
        offset: (page_no - 1) * PAGE_SIZE,
    };
    let creditor = user.creditor.id;
    let mut items = state
        .store(move |s| s.search_accounts(creditor, &query))
        .await?;
    let has_next = items.len() > PAGE_SIZE as usize;
    items.truncate(PAGE_SIZE as usize);
    let today = state.today();
    let rows = items
        .into_iter()
        .map(|item| {
            let standing = Standing::of(
                item.oldest_unpaid_due,
                today,
                &user.creditor.regime,
                &state.config().buckets,
            );
            AccountRow::new(lang, item, standing)
        })
        .collect();
    let link = |n: u32| {
        format!(
            "/akun?q={}&produk={}&hal={n}",
            urlencoding::encode(&q),
            product.map(|p| p.code()).unwrap_or_default()
        )
    };
    let mut page = Page::new(lang, lang.strings().accounts_title, &user);
    page.header_search = false;
    render(&SearchPage {
        page,
        q: q.clone(),
        products: ProductType::ALL
            .iter()
            .map(|p| ProductOption {
                code: p.code(),
                label: lang.product(*p),
                selected: Some(*p) == product,
            })
            .collect(),
        rows,
        previous: (page_no > 1).then(|| link(page_no - 1)),
        next: has_next.then(|| link(page_no + 1)),
    })
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn detail(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Html<String>, UiError> {
    let account = read_account(
        &state,
        user.actor(),
        &user.creditor,
        &raw_id,
        Via::Ui,
        Some("detail"),
    )
    .await?
    .ok_or(UiError::NotFound)?;
    draw(&state, lang, &user, account, &notice, Vec::new()).await
}

/// The account `raw_id` of the active creditor for a form of its page (the read is
/// audited; another creditor's or an unknown id is a 404).
pub(crate) async fn load_account(
    state: &AppState,
    user: &CurrentUser,
    raw_id: &str,
) -> Result<AccountDetail, UiError> {
    read_account(state, user.actor(), &user.creditor, raw_id, Via::Ui, None)
        .await?
        .ok_or(UiError::NotFound)
}

/// Draws the account page (the workspace) for `account`, with the notice of a form just
/// saved or the errors of one that was not.
pub(crate) async fn draw(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    account: AccountDetail,
    notice: &Notice,
    form_errors: Vec<String>,
) -> Result<Html<String>, UiError> {
    draw_with(state, lang, user, account, notice, form_errors, None).await
}

/// `draw`, with the message form filled with a draft the guard refused.
pub(crate) async fn draw_with(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    account: AccountDetail,
    notice: &Notice,
    form_errors: Vec<String>,
    draft: Option<MessageDraft>,
) -> Result<Html<String>, UiError> {
    let creditor = user.creditor.id;
    let id = account.id;
    let detail = account.clone();
    let reads_audit = user.role().reads_audit();
    let now = state.now();
    let (today, models) = (state.today(), state.models.clone());
    let (history, facts, claim, (offers, reversals, contacts, follow_ups, messages), score) = state
        .store(move |s| {
            let history = History {
                interactions: s.interactions(creditor, id)?,
                promises: s.promises(creditor, id)?,
                payments: s.payments(creditor, id)?,
                pauses: s.pauses(creditor, id)?,
                audit: s.audit_trail(creditor, &EntityRef::new("account", id), 200)?,
                letters: s.letters(creditor, Some(id), 50)?,
            };
            let claim = match s.claim(creditor, id, now)? {
                Some(c) => {
                    let name = s.user(c.user)?.map(|u| u.full_name).unwrap_or_default();
                    Some((c, name))
                }
                None => None,
            };
            let offers = s.offers(creditor, id)?;
            let mut reversals = Vec::new();
            for r in s.reversal_requests(creditor, id)? {
                if r.status == ReversalStatus::Pending {
                    let name = s
                        .user(r.requested_by)?
                        .map(|u| u.full_name)
                        .unwrap_or_default();
                    reversals.push((r, name));
                }
            }
            let contacts = s.debtor_contacts(creditor, detail.debtor.id)?;
            let follow_ups = s.follow_ups(creditor, id)?;
            let messages = s.messages(creditor, Some(id))?;
            // A model that fails to load must not take the account page down with it.
            let score = models
                .explain(s, &detail, today, crate::scoring::REASONS)
                .unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "scoring the account failed");
                    None
                });
            Ok((
                history,
                ContactFacts::load(s, creditor, &detail, now)?,
                claim,
                (offers, reversals, contacts, follow_ups, messages),
                score,
            ))
        })
        .await?;
    let page = Page::new(
        lang,
        format!("{} {}", lang.strings().account_title, account.account_no),
        user,
    );
    let loaded = Loaded {
        account,
        history,
        facts,
        claim,
        offers,
        reversals,
        contacts,
        follow_ups,
        messages,
        reads_audit,
        score,
    };
    let mut view = DetailPage::new(page, state, user, loaded, notice);
    view.form_errors = form_errors;
    view.draft = draft;
    render(&view)
}
