//! The negotiation desk as the workbench uses it: the options for an account, an offer of
//! one of them (into the approval queue when it is beyond the proposer's authority), the
//! supervisor's decision, the debtor's acceptance into an arrangement with its agreement
//! PDF. The rules are the engine's (`sepakat_engine::negotiation`); this adds who may do
//! what on the desk, and the debtor's calendar as "today".

use crate::scoring::Models;
use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::negotiation::wire::{DeclarationInput, NegotiationView, OfferRequestInput};
use sepakat_engine::negotiation::{self as desk, Acceptance, Accepted, NegotiationError, Proposal};
use sepakat_store::{
    AccountDetail, OfferDecision, OfferId, OfferStatus, Store, StoreError, StoredOffer,
};

use super::{check_holder, Problem, WorkError, Worker};
use crate::state::NegotiationSettings;

/// What the collector asks the desk: the debtor's declaration and any terms asked for.
#[derive(Debug, Clone)]
pub struct Ask {
    /// Income, expenses, other debt, dependants, hardship.
    pub declaration: DeclarationInput,
    /// Tenor, down payment, discount or first payment asked for explicitly.
    pub request: OfferRequestInput,
}

/// The debtor's calendar date at `now`: schedules and offers start from it.
pub fn debtor_today(account: &AccountDetail, now: DateTime<Utc>) -> NaiveDate {
    account.debtor.data.province.zone().local(now).date()
}

/// Whether `worker` may negotiate `account`: a role of the desk that may work the account
/// now (a collector only one they hold).
fn check_negotiator(
    s: &dyn Store,
    worker: &Worker,
    account: &AccountDetail,
    now: DateTime<Utc>,
) -> Result<(), WorkError> {
    if !worker.role.works_accounts() {
        return Err(WorkError::Forbidden);
    }
    check_holder(s, worker, account, now)
}

/// The proposal of option `rank`, with the model's probability to pay when the creditor
/// has a model (a model that fails to load leaves the promise history to decide).
fn proposal(
    s: &dyn Store,
    models: &Models,
    worker: &Worker,
    settings: &NegotiationSettings,
    account: &AccountDetail,
    ask: &Ask,
    rank: u32,
    now: DateTime<Utc>,
) -> Proposal {
    let today = debtor_today(account, now);
    let propensity = models.probability(s, account, today).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "scoring the account for the desk failed");
        None
    });
    Proposal {
        account: account.id,
        declaration: ask.declaration.clone(),
        request: ask.request,
        role: worker.role,
        chosen_rank: rank,
        today,
        offer_days: settings.offer_days,
        propensity,
    }
}

/// The options for `account`, side by side, storing nothing.
pub fn preview(
    s: &dyn Store,
    models: &Models,
    worker: &Worker,
    settings: &NegotiationSettings,
    account: &AccountDetail,
    ask: &Ask,
    now: DateTime<Utc>,
) -> Result<NegotiationView, WorkError> {
    check_negotiator(s, worker, account, now)?;
    let p = proposal(s, models, worker, settings, account, ask, 1, now);
    let preview = desk::preview(s, worker.creditor, &p, &settings.policy)?;
    Ok(preview.view(p.today, worker.role))
}

/// Offers option `rank` of the options for `account`; it waits in the approval queue when
/// it is beyond the worker's authority.
pub fn propose(
    s: &dyn Store,
    models: &Models,
    worker: &Worker,
    settings: &NegotiationSettings,
    account: &AccountDetail,
    ask: &Ask,
    rank: u32,
    now: DateTime<Utc>,
) -> Result<StoredOffer, WorkError> {
    check_negotiator(s, worker, account, now)?;
    let p = proposal(s, models, worker, settings, account, ask, rank, now);
    Ok(desk::propose(s, worker.creditor, &p, &settings.policy, now, &worker.actor)?.offer)
}

/// An offer of the worker's creditor, with its account.
pub fn offer(
    s: &dyn Store,
    worker: &Worker,
    id: OfferId,
) -> Result<(StoredOffer, AccountDetail), WorkError> {
    let offer = s.offer(worker.creditor, id)?.ok_or(WorkError::NotFound)?;
    let account = s
        .account(worker.creditor, offer.data.account)?
        .ok_or(WorkError::NotFound)?;
    Ok((offer, account))
}

/// Approves or rejects a pending offer: supervisors and managers whose authority covers
/// it, never its maker; the reason is required either way.
pub fn decide(
    s: &dyn Store,
    worker: &Worker,
    id: OfferId,
    approve: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<StoredOffer, WorkError> {
    if !worker.role.supervises() {
        return Err(WorkError::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(WorkError::invalid("decision_reason", Problem::Required));
    }
    let decision = OfferDecision {
        approve,
        reason: reason.to_string(),
    };
    Ok(desk::decide(
        s,
        worker.creditor,
        id,
        worker.role,
        &decision,
        now,
        &worker.actor,
    )?)
}

/// Records the debtor's acceptance of an offer signed at `place`: the arrangement, the
/// agreement PDF and the recap.
pub fn accept(
    s: &dyn Store,
    worker: &Worker,
    settings: &NegotiationSettings,
    id: OfferId,
    place: &str,
    now: DateTime<Utc>,
) -> Result<Accepted, WorkError> {
    let (_, account) = offer(s, worker, id)?;
    check_negotiator(s, worker, &account, now)?;
    if place.trim().is_empty() {
        return Err(WorkError::invalid("place", Problem::Required));
    }
    let acceptance = Acceptance {
        offer: id,
        today: debtor_today(&account, now),
        place: place.trim().to_string(),
        max_misses: settings.max_misses,
    };
    Ok(desk::accept(
        s,
        worker.creditor,
        &acceptance,
        now,
        &worker.actor,
    )?)
}

/// The agreement PDF of an offer the debtor may sign or has signed, dated the day it was
/// accepted (or today for one still open). None for a debtor with neither NIK nor NPWP.
pub fn agreement(
    s: &dyn Store,
    worker: &Worker,
    id: OfferId,
    place: &str,
    now: DateTime<Utc>,
) -> Result<Option<Vec<u8>>, WorkError> {
    if !worker.role.works_accounts() {
        return Err(WorkError::Forbidden);
    }
    let (offer, account) = offer(s, worker, id)?;
    if place.trim().is_empty() {
        return Err(WorkError::invalid("place", Problem::Required));
    }
    let accepted_at = match offer.status {
        OfferStatus::Accepted => s
            .arrangements(worker.creditor, account.id)?
            .into_iter()
            .find(|a| a.offer == id)
            .map(|a| a.created_at),
        _ => None,
    };
    let signed_on = debtor_today(&account, accepted_at.unwrap_or(now));
    Ok(desk::agreement(
        s,
        worker.creditor,
        id,
        place,
        signed_on,
        now,
    )?)
}

impl From<NegotiationError> for WorkError {
    fn from(e: NegotiationError) -> WorkError {
        match e {
            NegotiationError::Invalid(input) => WorkError::Terms(input),
            NegotiationError::NotAllowed(why) => WorkError::Denied(why),
            NegotiationError::Store(StoreError::NotFound(_)) => WorkError::NotFound,
            NegotiationError::Store(StoreError::Conflict(why)) => WorkError::Conflict(why),
            NegotiationError::Store(other) => WorkError::Store(other),
        }
    }
}
