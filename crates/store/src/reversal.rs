//! Maker-checker for reversing payments: above a creditor's threshold a reversal is first a
//! request, and a second person carries it out or turns it down. The table is
//! `reversal_requests` (migration 0004); one pending request per payment.
//!
//! Rules (both backends):
//! - `request_reversal` refuses a payment of another creditor or unknown (`NotFound`), a
//!   payment that is itself a reversal or already reversed, a second pending request for
//!   the same payment, a blank reason, and a system actor (`Conflict`/`NotFound`).
//! - `decide_reversal` refuses a request that is not pending, and the requester deciding
//!   their own request (`Conflict`); approving reverses the payment in the same
//!   transaction (with the request's reason) and links the reversal.
//! - Every change is audited on the account: `reversal.requested`, `reversal.approved`
//!   (with the `payment.reversed` entry of the reversal itself), `reversal.rejected`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::Rupiah;

use crate::{
    AccountId, Actor, CreditorId, Payment, PaymentId, ReversalRequestId, StoreError, StoreResult,
    UserId,
};

/// Where a reversal request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReversalStatus {
    /// Waiting for a second person.
    Pending,
    /// Carried out: the payment is reversed.
    Approved,
    /// Turned down: the payment stands.
    Rejected,
}

impl ReversalStatus {
    /// The stored code.
    pub const fn code(self) -> &'static str {
        match self {
            ReversalStatus::Pending => "pending",
            ReversalStatus::Approved => "approved",
            ReversalStatus::Rejected => "rejected",
        }
    }

    /// Parses a stored code.
    pub fn parse(text: &str) -> Option<ReversalStatus> {
        [
            ReversalStatus::Pending,
            ReversalStatus::Approved,
            ReversalStatus::Rejected,
        ]
        .into_iter()
        .find(|s| s.code() == text)
    }
}

/// A request to reverse a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReversalRequest {
    /// Id.
    pub id: ReversalRequestId,
    /// The payment to reverse.
    pub payment: PaymentId,
    /// Its account.
    pub account: AccountId,
    /// Its amount.
    pub amount: Rupiah,
    /// Why it should be reversed.
    pub reason: String,
    /// When it was asked.
    pub requested_at: DateTime<Utc>,
    /// Who asked.
    pub requested_by: UserId,
    /// Where it stands.
    pub status: ReversalStatus,
    /// When it was decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// Who decided.
    pub decided_by: Option<UserId>,
    /// The decider's note.
    pub decision_note: Option<String>,
    /// The reversal entry, once approved.
    pub reversal: Option<PaymentId>,
}

/// Payment reversals that need a second person.
pub trait ReversalStore {
    /// Records a pending request to reverse `payment` (rules in the module documentation).
    fn request_reversal(
        &self,
        creditor: CreditorId,
        payment: PaymentId,
        reason: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ReversalRequestId>;

    /// The requests on an account, oldest first.
    fn reversal_requests(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<ReversalRequest>>;

    /// Approves (reversing the payment; returns the reversal) or rejects (None) a pending
    /// request, with a note.
    fn decide_reversal(
        &self,
        creditor: CreditorId,
        request: ReversalRequestId,
        approve: bool,
        note: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Option<Payment>>;
}

/// The checks every backend makes before a request is written: a user, a reason.
pub(crate) fn check_request(reason: &str, actor: &Actor) -> StoreResult<UserId> {
    if reason.trim().is_empty() {
        return Err(StoreError::Conflict("a reversal needs a reason".into()));
    }
    actor.user.ok_or_else(|| {
        StoreError::Conflict("a reversal request is made by a person, not the system".into())
    })
}

/// The refusal of a request for a payment that is a reversal, is reversed, or already has
/// a request waiting; None when it may be requested.
pub(crate) fn payment_refusal(
    payment: PaymentId,
    is_reversal: bool,
    reversed: bool,
    pending: bool,
) -> Option<StoreError> {
    let why = if is_reversal {
        "is itself a reversal"
    } else if reversed {
        "is already reversed"
    } else if pending {
        "already has a reversal request waiting"
    } else {
        return None;
    };
    Some(StoreError::Conflict(format!("payment {payment} {why}")))
}

/// The audit detail of a request.
pub(crate) fn requested_detail(
    id: ReversalRequestId,
    payment: PaymentId,
    reason: &str,
) -> serde_json::Value {
    serde_json::json!({ "request": id, "payment": payment, "reason": reason.trim() })
}

/// The audit detail of a decision.
pub(crate) fn decided_detail(
    request: &ReversalRequest,
    note: &str,
    reversal: Option<&Payment>,
) -> serde_json::Value {
    serde_json::json!({ "request": request.id, "payment": request.payment, "note": note.trim(),
                        "reversal": reversal.map(|p| p.id) })
}

/// The status and audit action of a decision.
pub(crate) fn decision_codes(approve: bool) -> (ReversalStatus, &'static str) {
    if approve {
        (ReversalStatus::Approved, "reversal.approved")
    } else {
        (ReversalStatus::Rejected, "reversal.rejected")
    }
}

/// The checks before a decision: pending, and never by the requester.
pub(crate) fn check_decision(request: &ReversalRequest, actor: &Actor) -> StoreResult<UserId> {
    let decider = actor.user.ok_or_else(|| {
        StoreError::Conflict("a reversal is decided by a person, not the system".into())
    })?;
    if request.status != ReversalStatus::Pending {
        return Err(StoreError::Conflict(format!(
            "reversal request {} is already {}",
            request.id,
            request.status.code()
        )));
    }
    if decider == request.requested_by {
        return Err(StoreError::Conflict(format!(
            "reversal request {} must be decided by someone other than who asked for it",
            request.id
        )));
    }
    Ok(decider)
}
