//! The collector's work flows that the UI and the API share: who may work an account,
//! claiming the next one, logging contacts through the compliance gate, the recap of a
//! promise, the negotiation desk. Handlers parse and draw; the rules live here once.

pub mod claim;
pub mod contact;
pub mod debtor;
pub mod error;
pub mod letter;
pub mod message;
pub mod negotiation;
pub mod outbox;
pub mod payment;
pub mod team;

use chrono::{DateTime, Utc};
use sepakat_domain::template::{Catalogue, MessageContext, Salutation};
use sepakat_domain::Role;
use sepakat_store::{AccountDetail, Actor, Claim, CreditorId, Store, StoredPromise, UserId};

pub use error::{Problem, WorkError};

/// The person doing the work, for the active creditor.
#[derive(Debug, Clone)]
pub struct Worker {
    /// The user.
    pub id: UserId,
    /// Their role.
    pub role: Role,
    /// As an audit actor.
    pub actor: Actor,
    /// The creditor they act for.
    pub creditor: CreditorId,
}

impl From<&crate::session::CurrentUser> for Worker {
    fn from(u: &crate::session::CurrentUser) -> Worker {
        Worker {
            id: u.user.id,
            role: u.role(),
            actor: u.actor(),
            creditor: u.creditor.id,
        }
    }
}

impl From<&crate::api::ApiUser> for Worker {
    fn from(u: &crate::api::ApiUser) -> Worker {
        Worker {
            id: u.user.id,
            role: u.user.role,
            actor: u.actor(),
            creditor: u.creditor.id,
        }
    }
}

/// Whether `worker` may work `account` now: supervisors and managers any account; a
/// collector one they hold — claimed, sticky-assigned or allocated to them by the queue
/// in force — and that nobody else has claimed.
pub fn check_holder(
    s: &dyn Store,
    worker: &Worker,
    account: &AccountDetail,
    now: DateTime<Utc>,
) -> Result<(), WorkError> {
    if worker.role.works_any_account() {
        return Ok(());
    }
    let holders = s.holders(worker.creditor, account.id, now)?;
    match holders.claim {
        Some(claim) if claim.user != worker.id => Err(held_by(s, &claim, account)?),
        Some(_) => Ok(()),
        None if holders.sticky == Some(worker.id) || holders.allocated == Some(worker.id) => Ok(()),
        None => Err(WorkError::NotYours),
    }
}

/// The refusal for an account someone else has claimed, with their name.
pub fn held_by(
    s: &dyn Store,
    claim: &Claim,
    account: &AccountDetail,
) -> Result<WorkError, WorkError> {
    let name = s
        .user(claim.user)?
        .map(|u| u.full_name)
        .unwrap_or_else(|| claim.user.to_string());
    Ok(WorkError::HeldBy {
        name,
        until: claim.expires_at,
        zone: account.debtor.data.province.zone(),
    })
}

/// The shipped template of a promise recap.
const RECAP_TEMPLATE: &str = "promise_recap_whatsapp";

/// The recap of a promise for the collector to send ("Terima kasih Bapak/Ibu …, sesuai
/// pembicaraan kita …"). A value Sepakat does not know (the payment link, when none is
/// configured) stays as `[variable]` for the collector to fill before sending.
pub fn recap(
    account: &AccountDetail,
    promise: &StoredPromise,
    collector: &str,
    creditor: &str,
) -> String {
    let d = &account.debtor.data;
    let context = MessageContext {
        salutation: Some(Salutation::from_gender(d.gender)),
        name: Some(d.name.clone()),
        creditor: Some(creditor.to_string()),
        account_no: Some(account.account_no.clone()),
        promise_amount: Some(promise.data.amount),
        promise_date: Some(promise.data.promised_on),
        collector: Some(collector.to_string()),
        ..MessageContext::default()
    };
    let catalogue = Catalogue::shipped();
    let template = catalogue
        .get(RECAP_TEMPLATE)
        .expect("the shipped catalogue has the promise recap (tested in domain)");
    template.body.render_or_mark(&context).trim().to_string()
}
