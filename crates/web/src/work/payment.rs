//! Money on an account from the workbench: posting a payment by hand, reversing one with
//! a reason, and pausing collection. Each is one store transaction with its audit entry.

use chrono::NaiveDate;
use sepakat_domain::interaction::PauseReason;
use sepakat_domain::Rupiah;
use sepakat_store::{
    AccountDetail, NewPause, NewPayment, NewPaymentData, Payment, PaymentId, ReversalRequestId,
};

use super::{Problem, WorkError, Worker};
use crate::AppState;

/// The longest payment reference or reversal reason kept.
pub const MAX_TEXT: usize = 200;

/// A payment as typed by hand.
#[derive(Debug, Clone)]
pub struct PaymentInput {
    /// Amount received.
    pub amount: Rupiah,
    /// The payer's or bank's reference (unique per creditor).
    pub reference: String,
    /// How it was paid (`crate::api::accounts::CHANNELS`).
    pub channel: String,
}

fn text(field: &'static str, value: &str) -> Result<String, WorkError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(WorkError::invalid(field, Problem::Required));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(WorkError::invalid(field, Problem::TooLong(MAX_TEXT)));
    }
    Ok(value.to_string())
}

/// Posts a payment received now; the store allocates it and settles a pending promise it
/// keeps.
pub async fn post(
    state: &AppState,
    worker: &Worker,
    account: &AccountDetail,
    input: PaymentInput,
) -> Result<Payment, WorkError> {
    if !worker.role.posts_payments() {
        return Err(WorkError::Forbidden);
    }
    if !input.amount.is_positive() {
        return Err(WorkError::invalid("amount", Problem::NotPositive));
    }
    let reference = text("reference", &input.reference)?;
    if !crate::api::accounts::CHANNELS.contains(&input.channel.as_str()) {
        return Err(WorkError::invalid(
            "channel",
            Problem::Unknown {
                value: input.channel,
                expected: crate::api::accounts::CHANNELS.join(", "),
            },
        ));
    }
    let payment = NewPayment {
        account: account.id,
        data: NewPaymentData {
            paid_at: state.now(),
            amount: input.amount,
            reference,
            channel: input.channel,
        },
    };
    let (order, worker, now) = (
        state.config().allocation_order.clone(),
        worker.clone(),
        state.now(),
    );
    Ok(state
        .store(move |s| {
            let posted = s.post_payment(worker.creditor, &payment, &order, &worker.actor)?;
            keep_promise(s, &worker, payment.account, now)?;
            Ok(posted)
        })
        .await?)
}

/// Settles the account's pending promise as kept once the payments received since it was
/// made (reversals netted) reach its amount. A separate transaction after the payment:
/// should the process die in between, the nightly run's promise evaluation settles it.
fn keep_promise(
    s: &dyn sepakat_store::Store,
    worker: &Worker,
    account: sepakat_store::AccountId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sepakat_store::StoreError> {
    let promises = s.promises(worker.creditor, account)?;
    let Some(pending) = promises
        .iter()
        .find(|p| p.status == sepakat_domain::PromiseStatus::Pending)
    else {
        return Ok(());
    };
    let paid = s
        .payments(worker.creditor, account)?
        .iter()
        .filter(|p| p.paid_at >= pending.created_at)
        .fold(Rupiah::ZERO, |sum, p| sum + p.amount);
    if paid >= pending.data.amount {
        s.resolve_promise(
            worker.creditor,
            pending.id,
            &sepakat_store::PromiseResolution {
                status: sepakat_domain::PromiseStatus::Kept,
                paid,
                at: now,
            },
            &worker.actor,
        )?;
    }
    Ok(())
}

/// What asking for a reversal did.
#[derive(Debug)]
pub enum Reversal {
    /// The payment is reversed.
    Done(Payment),
    /// Above the creditor's threshold: a request waits for a second person.
    Requested(ReversalRequestId),
}

/// Reverses a payment of `account` with a reason; a payment above
/// `WebConfig::reversal_approval_above` becomes a request for a second person instead.
pub async fn reverse(
    state: &AppState,
    worker: &Worker,
    account: &AccountDetail,
    payment: PaymentId,
    reason: &str,
) -> Result<Reversal, WorkError> {
    if !worker.role.posts_payments() {
        return Err(WorkError::Forbidden);
    }
    let reason = text("reversal_reason", reason)?;
    let (now, worker, id) = (state.now(), worker.clone(), account.id);
    let threshold = state.config().reversal_approval_above;
    state
        .store(move |s| {
            let Some(original) = s
                .payments(worker.creditor, id)?
                .into_iter()
                .find(|p| p.id == payment)
            else {
                return Ok(Err(WorkError::NotFound));
            };
            Ok(Ok(if original.amount > threshold {
                Reversal::Requested(s.request_reversal(
                    worker.creditor,
                    payment,
                    &reason,
                    now,
                    &worker.actor,
                )?)
            } else {
                Reversal::Done(s.reverse_payment(
                    worker.creditor,
                    payment,
                    &reason,
                    now,
                    &worker.actor,
                )?)
            }))
        })
        .await?
}

/// Carries out (approve) or turns down a reversal request of `account`: someone who posts
/// payments, never the requester (the store's rule).
pub async fn decide_reversal(
    state: &AppState,
    worker: &Worker,
    account: &AccountDetail,
    request: ReversalRequestId,
    approve: bool,
    note: &str,
) -> Result<Option<Payment>, WorkError> {
    if !worker.role.posts_payments() {
        return Err(WorkError::Forbidden);
    }
    let note = text("decision_note", note)?;
    let (now, worker, id) = (state.now(), worker.clone(), account.id);
    state
        .store(move |s| {
            if !s
                .reversal_requests(worker.creditor, id)?
                .iter()
                .any(|r| r.id == request)
            {
                return Ok(Err(WorkError::NotFound));
            }
            Ok(Ok(s.decide_reversal(
                worker.creditor,
                request,
                approve,
                &note,
                now,
                &worker.actor,
            )?))
        })
        .await?
}

/// Pauses collection on `account` from the debtor's today until `until` (inclusive;
/// None = until lifted).
pub async fn pause(
    state: &AppState,
    worker: &Worker,
    account: &AccountDetail,
    reason: PauseReason,
    until: Option<NaiveDate>,
    note: &str,
) -> Result<(), WorkError> {
    if !worker.role.supervises() {
        return Err(WorkError::Forbidden);
    }
    let note = text("note", note)?;
    let now = state.now();
    let today = account.debtor.data.province.zone().local(now).date();
    if let Some(end) = until {
        if end < today {
            return Err(WorkError::invalid("until", Problem::DateInPast(today)));
        }
    }
    let pause = NewPause {
        account: account.id,
        reason,
        note,
        starts_on: today,
        ends_on: until,
    };
    let worker = worker.clone();
    state
        .store(move |s| s.pause_account(worker.creditor, &pause, now, &worker.actor))
        .await?;
    Ok(())
}
