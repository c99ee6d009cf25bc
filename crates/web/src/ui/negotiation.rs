//! `GET|POST /akun/{id}/negosiasi`: the negotiation desk of an account. The collector
//! types what the debtor declares (and any terms asked for), sees the options side by side
//! with what each recovers and whether it is within their authority, and offers one: the
//! offer page follows (`ui::offer`), or the approval queue when it is beyond authority.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use sepakat_domain::negotiation::wire::{
    DeclarationInput, HardshipInput, NegotiationView, OfferRequestInput, OptionView,
};
use sepakat_domain::negotiation::{Playbook, ReasonCode};
use sepakat_domain::{Rate, Rupiah};
use sepakat_store::{AccountDetail, StoredOffer};
use serde::Deserialize;

use crate::format;
use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::ui::account::load_account;
use crate::ui::error::UiError;
use crate::ui::page::{render, Page};
use crate::work::negotiation::{self as desk, Ask};
use crate::work::{Problem, WorkError, Worker};
use crate::AppState;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/akun/{id}/negosiasi", get(show).post(submit))
}

/// The desk's form as typed: every field text, so a refusal re-draws what was typed.
#[derive(Deserialize, Default, Clone)]
struct DeskForm {
    #[serde(default)]
    income: String,
    #[serde(default)]
    expenses: String,
    #[serde(default)]
    other_debt: String,
    #[serde(default)]
    dependants: String,
    #[serde(default)]
    hardship: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    tenor: String,
    #[serde(default)]
    down_payment: String,
    #[serde(default)]
    first_payment: String,
    /// The option offered; absent when only computing.
    #[serde(default)]
    option: Option<u32>,
}

/// One option, every value formatted.
pub(crate) struct OptionCard {
    pub(crate) rank: u32,
    pub(crate) kind: &'static str,
    pub(crate) label: String,
    pub(crate) total_paid: String,
    pub(crate) upfront: String,
    pub(crate) monthly: Option<String>,
    pub(crate) period: String,
    pub(crate) discount: String,
    pub(crate) expected: String,
    pub(crate) probability: String,
    pub(crate) within_authority: bool,
    /// Who approves it, when it is beyond authority.
    pub(crate) approval: String,
    pub(crate) exceeded: Vec<String>,
    pub(crate) flags: Vec<&'static str>,
    pub(crate) schedule: Vec<(u32, String, String)>,
}

impl OptionCard {
    pub(crate) fn new(lang: Lang, o: &OptionView) -> OptionCard {
        let n = lang.desk();
        let monthly = (o.tenor_months > 0).then(|| {
            format!(
                "{} × {} {}",
                format::rupiah(o.instalment),
                o.tenor_months,
                n.months
            )
        });
        let period = match (o.first_payment, o.last_payment) {
            (Some(a), Some(b)) if a != b => {
                format!("{} – {}", format::date(lang, a), format::date(lang, b))
            }
            (Some(a), _) => format::date(lang, a),
            _ => lang.strings().none.to_string(),
        };
        let approval = match o.approver {
            Some(role) => format!("{} {}", n.needs_approval, lang.role(role)),
            None => format!("{} – {}", n.needs_approval, n.no_approver),
        };
        OptionCard {
            rank: o.rank,
            kind: o.kind_label,
            label: o.label.clone(),
            total_paid: format::rupiah(o.total_paid),
            upfront: format::rupiah(o.down_payment),
            monthly,
            period,
            discount: format::rupiah(o.discount.total),
            expected: format::rupiah(o.recovery.expected),
            probability: o.recovery.probability.clone(),
            within_authority: o.within_authority,
            approval,
            exceeded: o
                .exceeded
                .iter()
                .map(|e| {
                    format!(
                        "{}: {} {}, {} {}",
                        lang.limit(e.limit),
                        n.allowed,
                        e.allowed,
                        n.asked,
                        e.offered
                    )
                })
                .collect(),
            flags: o.flags.iter().map(|f| lang.offer_flag(*f)).collect(),
            schedule: o
                .schedule
                .iter()
                .map(|l| {
                    (
                        l.seq,
                        format::date(lang, l.due_date),
                        format::rupiah(l.amount),
                    )
                })
                .collect(),
        }
    }
}

/// One stored offer of the account, for the list.
pub(crate) struct OfferRow {
    pub(crate) id: i64,
    pub(crate) status: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) total: String,
    pub(crate) made_at: String,
}

impl OfferRow {
    pub(crate) fn new(lang: Lang, o: &StoredOffer, account: &AccountDetail) -> OfferRow {
        OfferRow {
            id: o.id.0,
            status: lang.name(o.status),
            kind: o.kind.label(),
            total: format::rupiah(o.total_paid),
            made_at: format::date_time(lang, o.created_at, account.debtor.data.province.zone()),
        }
    }
}

/// A hardship of the playbook, for the select.
struct HardshipChoice {
    code: String,
    label: String,
    selected: bool,
}

/// The result of an assessment, formatted.
struct AbilityCard {
    living_cost: String,
    disposable: String,
    recommended: String,
    keep_probability: String,
    owed: String,
    flags: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "negotiation.html")]
struct DeskPage {
    page: Page,
    csrf_token: String,
    account_id: i64,
    account_no: String,
    debtor_name: String,
    form: DeskForm,
    hardships: Vec<HardshipChoice>,
    errors: Vec<String>,
    ability: Option<AbilityCard>,
    options: Vec<OptionCard>,
    offers: Vec<OfferRow>,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
) -> Result<Response, UiError> {
    if !user.role().works_accounts() {
        return Err(UiError::Forbidden);
    }
    let account = load_account(&state, &user, &raw_id).await?;
    let page = draw(
        &state,
        lang,
        &user,
        account,
        DeskForm::default(),
        None,
        Vec::new(),
    )
    .await?;
    Ok(page.into_response())
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    Form(form): Form<DeskForm>,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    let worker = Worker::from(&user);
    let ask = match parse(&form) {
        Ok(ask) => ask,
        Err(e) => return refused(&state, lang, &user, account, form, e).await,
    };
    let (settings, now) = (state.config().negotiation.clone(), state.now());
    let models = state.models.clone();
    let held = account.clone();
    let option = form.option;
    let result = state
        .store(move |s| {
            Ok(match option {
                Some(rank) => desk::propose(s, &models, &worker, &settings, &held, &ask, rank, now)
                    .map(Answer::Offered),
                None => desk::preview(s, &models, &worker, &settings, &held, &ask, now)
                    .map(Answer::Options),
            })
        })
        .await?;
    match result {
        Ok(Answer::Options(view)) => {
            let page = draw(&state, lang, &user, account, form, Some(view), Vec::new()).await?;
            Ok(page.into_response())
        }
        Ok(Answer::Offered(offer)) => {
            Ok(Redirect::to(&format!("/penawaran/{}?ok=tawar", offer.id.0)).into_response())
        }
        Err(e) => refused(&state, lang, &user, account, form, e).await,
    }
}

/// What the desk answered a submission with.
enum Answer {
    /// The options, to choose from.
    Options(NegotiationView),
    /// The offer stored.
    Offered(StoredOffer),
}

/// Re-draws the desk with the refusal (422), or the error page for what has no field.
async fn refused(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    account: AccountDetail,
    form: DeskForm,
    e: WorkError,
) -> Result<Response, UiError> {
    match e {
        WorkError::Store(e) => Err(UiError::Internal(e.to_string())),
        WorkError::Forbidden => Err(UiError::Forbidden),
        WorkError::NotFound => Err(UiError::NotFound),
        e => {
            let page = draw(
                state,
                lang,
                user,
                account,
                form,
                None,
                vec![e.message(lang)],
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn draw(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    account: AccountDetail,
    form: DeskForm,
    view: Option<NegotiationView>,
    errors: Vec<String>,
) -> Result<Html<String>, UiError> {
    let (creditor, id) = (user.creditor.id, account.id);
    let offers = state.store(move |s| s.offers(creditor, id)).await?;
    let n = lang.desk();
    let page = Page::new(lang, format!("{} {}", n.title, account.account_no), user);
    let (ability, options) = match view {
        Some(v) => (
            Some(AbilityCard {
                living_cost: format::rupiah(v.ability.living_cost),
                disposable: format::rupiah(v.ability.disposable_income),
                recommended: format::rupiah(v.ability.recommended_monthly),
                keep_probability: v.keep_probability.clone(),
                owed: format::rupiah(v.owed.total),
                flags: v
                    .ability
                    .flags
                    .iter()
                    .map(|f| lang.ability_flag(*f))
                    .collect(),
            }),
            v.options.iter().map(|o| OptionCard::new(lang, o)).collect(),
        ),
        None => (None, Vec::new()),
    };
    let hardships = Playbook::shipped()
        .objections
        .iter()
        .map(|o| HardshipChoice {
            code: o.code.as_str().to_string(),
            label: o.label.clone(),
            selected: o.code.as_str() == form.hardship.trim(),
        })
        .collect();
    render(&DeskPage {
        page,
        csrf_token: user.csrf_token.clone(),
        account_id: account.id.0,
        account_no: account.account_no.clone(),
        debtor_name: account.debtor.data.name.clone(),
        form,
        hardships,
        errors,
        ability,
        options,
        offers: offers
            .iter()
            .rev()
            .map(|o| OfferRow::new(lang, o, &account))
            .collect(),
    })
}

/// Reads the form, naming the first field that is wrong.
fn parse(form: &DeskForm) -> Result<Ask, WorkError> {
    let amount = |field: &'static str, text: &str| -> Result<Rupiah, WorkError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Rupiah::ZERO);
        }
        let value = Rupiah::parse(text)
            .map_err(|_| WorkError::invalid(field, Problem::NotAnAmount(text.to_string())))?;
        if value.value() < 0 {
            return Err(WorkError::invalid(field, Problem::Negative));
        }
        Ok(value)
    };
    let whole = |field: &'static str, text: &str| -> Result<Option<u32>, WorkError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse()
            .map(Some)
            .map_err(|_| WorkError::invalid(field, Problem::NotAWholeNumber(text.to_string())))
    };
    let income = form.income.trim();
    if income.is_empty() {
        return Err(WorkError::invalid(
            "assessment.monthly_income",
            Problem::Required,
        ));
    }
    let hardship = match form.hardship.trim() {
        "" => None,
        code => {
            let playbook = Playbook::shipped();
            let reason = ReasonCode::parse(code)
                .ok()
                .filter(|r| playbook.get(r).is_some())
                .ok_or_else(|| {
                    WorkError::invalid(
                        "assessment.hardship.reason",
                        Problem::Unknown {
                            value: code.to_string(),
                            expected: hardship_codes(&playbook),
                        },
                    )
                })?;
            Some(HardshipInput {
                reason,
                evidence: Some(form.evidence.trim().to_string()).filter(|e| !e.is_empty()),
            })
        }
    };
    let down_payment = match form.down_payment.trim() {
        "" => None,
        text => Some(Rate::parse(text).map_err(|_| {
            WorkError::invalid(
                "request.down_payment",
                Problem::NotAPercentage(text.to_string()),
            )
        })?),
    };
    let first_payment = match form.first_payment.trim() {
        "" => None,
        text => Some(NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            WorkError::invalid("request.first_payment", Problem::NotADate(text.to_string()))
        })?),
    };
    Ok(Ask {
        declaration: DeclarationInput {
            monthly_income: amount("assessment.monthly_income", income)?,
            essential_expenses: amount("assessment.essential_expenses", &form.expenses)?,
            other_debt_payments: amount("assessment.other_debt_payments", &form.other_debt)?,
            dependants: whole("assessment.dependants", &form.dependants)?.unwrap_or(0),
            hardship,
        },
        request: OfferRequestInput {
            tenor_months: whole("request.tenor_months", &form.tenor)?,
            down_payment,
            discount: None,
            first_payment,
        },
    })
}

fn hardship_codes(playbook: &Playbook) -> String {
    playbook
        .objections
        .iter()
        .map(|o| o.code.as_str().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
