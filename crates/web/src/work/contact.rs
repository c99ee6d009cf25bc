//! Logging a contact: who may, when the gate allows it, and what is checked before the
//! store writes the interaction with its promise, evidence and call-back in one
//! transaction (`WorkbenchStore::record_contact`).
//!
//! Order of checks: the role; a repeated idempotency key (the first contact is answered,
//! nothing re-checked, nothing written); the account's holder; a pause; the compliance
//! gate for an outbound contact now; then the fields. The gate's frequency caps count
//! the interactions read just before the write, so two contacts logged in the same
//! instant may pass one cap by one (the store has no cap of its own).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sepakat_domain::compliance::{Channel, Party};
use sepakat_domain::evidence::EvidencePolicy;
use sepakat_domain::interaction::{Direction, Outcome, Reason};
use sepakat_domain::Rupiah;
use sepakat_store::{
    AccountDetail, ContactIds, ContactPromise, FollowUpId, FollowUpKind, NewContact, NewEvidence,
    NewFollowUp, NewInteraction, Store,
};

use super::error::{Problem, WorkError};
use super::{check_holder, Worker};
use crate::AppState;
use sepakat_store::gate::{active_pause, ContactFacts};

/// The longest note kept with a contact.
pub const MAX_NOTES: usize = 2000;

/// A contact as the form or the API gives it, parsed but not yet checked.
#[derive(Debug, Clone)]
pub struct ContactInput {
    /// How.
    pub channel: Channel,
    /// Who started it.
    pub direction: Direction,
    /// Who was reached.
    pub party: Party,
    /// What came of it.
    pub outcome: Outcome,
    /// The reason for the arrears, if told.
    pub reason: Option<Reason>,
    /// Notes.
    pub notes: String,
    /// A promise: amount and date (debtor's calendar).
    pub promise: Option<(Rupiah, NaiveDate)>,
    /// When to call back, in the debtor's local time.
    pub call_back_at: Option<NaiveDateTime>,
    /// Evidence files.
    pub evidence: Vec<NewEvidence>,
    /// The form's key: a second submit stores nothing.
    pub idempotency_key: Option<String>,
}

/// Logs a contact on `account` for `worker` at the clock's now.
pub async fn log(
    state: &AppState,
    worker: &Worker,
    account: &AccountDetail,
    input: ContactInput,
) -> Result<ContactIds, WorkError> {
    if !worker.role.works_accounts() {
        return Err(WorkError::Forbidden);
    }
    let now = state.now();
    let gate = state.config().gate.clone();
    let worker = worker.clone();
    let account = account.clone();
    state
        .store(move |s| Ok(write(s, &gate, &worker, &account, input, now)))
        .await?
}

fn write(
    s: &dyn Store,
    gate: &sepakat_domain::Gate,
    worker: &Worker,
    account: &AccountDetail,
    input: ContactInput,
    now: DateTime<Utc>,
) -> Result<ContactIds, WorkError> {
    let creditor = worker.creditor;
    let zone = account.debtor.data.province.zone();
    let today = zone.local(now).date();
    let interactions = s.interactions(creditor, account.id)?;
    let repeated = input.idempotency_key.as_ref().is_some_and(|key| {
        interactions
            .iter()
            .any(|i| i.data.idempotency_key.as_ref() == Some(key))
    });
    if !repeated {
        check_holder(s, worker, account, now)?;
        let pauses = s.pauses(creditor, account.id)?;
        if let Some(p) = active_pause(&pauses, today) {
            return Err(WorkError::Paused {
                reason: p.data.reason,
                until: p.data.ends_on,
            });
        }
        if input.direction == Direction::Outbound {
            let facts = ContactFacts::load(s, creditor, account, now)?;
            let d = facts.decide(gate, input.channel, input.party, now);
            if !d.allowed {
                return Err(WorkError::Refused {
                    rule: d.rule,
                    next: d.next_allowed_at,
                    zone,
                });
            }
        }
        check_fields(gate, account, &input, today, now)?;
    }
    let contact = NewContact {
        interaction: NewInteraction {
            account: account.id,
            at: now,
            user: Some(worker.id),
            channel: input.channel,
            direction: input.direction,
            party: input.party,
            outcome: input.outcome,
            reason: input.reason,
            notes: input.notes.trim().to_string(),
            corrects: None,
            idempotency_key: input.idempotency_key,
        },
        promise: input.promise.map(|(amount, promised_on)| ContactPromise {
            amount,
            promised_on,
            channel: input.channel,
        }),
        evidence: input.evidence,
        follow_up: input.call_back_at.map(|local| NewFollowUp {
            kind: FollowUpKind::CallBack,
            account: account.id,
            due_at: sepakat_store::local_instant(local.date(), local.time(), zone),
            user: Some(worker.id),
            note: String::new(),
        }),
    };
    Ok(s.record_contact(creditor, &contact, today, now, &worker.actor)?)
}

/// The field rules, each naming its field.
fn check_fields(
    gate: &sepakat_domain::Gate,
    account: &AccountDetail,
    input: &ContactInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), WorkError> {
    let invalid = WorkError::invalid;
    if input.notes.chars().count() > MAX_NOTES {
        return Err(invalid("notes", Problem::TooLong(MAX_NOTES)));
    }
    match (input.outcome, input.promise) {
        (Outcome::PromiseToPay, None) => {
            return Err(invalid("promise.amount", Problem::Required));
        }
        (outcome, Some(_)) if outcome != Outcome::PromiseToPay => {
            return Err(invalid(
                "outcome",
                Problem::Mismatch("promise_to_pay is required when a promise is given"),
            ));
        }
        _ => {}
    }
    if let Some((amount, date)) = input.promise {
        if !amount.is_positive() {
            return Err(invalid("promise.amount", Problem::NotPositive));
        }
        let owed = account.balance.total_outstanding();
        if amount > owed {
            return Err(invalid("promise.amount", Problem::AboveOutstanding(owed)));
        }
        if date < today {
            return Err(invalid("promise.date", Problem::DateInPast(today)));
        }
    }
    if let Some(local) = input.call_back_at {
        let zone = account.debtor.data.province.zone();
        let at = sepakat_store::local_instant(local.date(), local.time(), zone);
        if at <= now {
            return Err(invalid("call_back_at", Problem::TimeInPast));
        }
        let d = ContactFacts::none(zone).decide(gate, Channel::Call, input.party, at);
        if !d.allowed {
            return Err(invalid(
                "call_back_at",
                Problem::NotAllowedAt {
                    rule: d.rule,
                    next: d.next_allowed_at,
                    zone,
                },
            ));
        }
    }
    let policy = EvidencePolicy::default();
    for e in &input.evidence {
        policy
            .check(&e.file_name, &e.media_type, &e.bytes, e.gps)
            .map_err(|err| invalid("evidence", Problem::Evidence(err)))?;
    }
    Ok(())
}

/// Marks the follow-up `id` of `account` done (a call back made some other way, a
/// reminder no longer needed): for whoever may work the account. A follow-up of another
/// account is not found; one already done is refused.
pub async fn complete_follow_up(
    state: &AppState,
    worker: &Worker,
    account: &AccountDetail,
    id: FollowUpId,
) -> Result<(), WorkError> {
    if !worker.role.works_accounts() {
        return Err(WorkError::Forbidden);
    }
    let (now, worker, account) = (state.now(), worker.clone(), account.clone());
    state
        .store(move |s| {
            Ok((|| {
                check_holder(s, &worker, &account, now)?;
                if !s
                    .follow_ups(worker.creditor, account.id)?
                    .iter()
                    .any(|f| f.id == id)
                {
                    return Err(WorkError::NotFound);
                }
                Ok(s.complete_follow_up(worker.creditor, id, now, &worker.actor)?)
            })())
        })
        .await?
}
