//! Deciding an offer in the approval queue: only a role whose own authority covers the
//! option may approve or reject it, and (the store's rule) never the person who made it.

use chrono::{DateTime, Utc};
use sepakat_domain::Role;
use sepakat_store::{
    Actor, CreditorId, OfferDecision, OfferId, OfferStatus, Store, StoreError, StoredOffer,
};

use super::{NegotiationError, NegotiationResult};

/// Approves or rejects a pending offer as a user with `role`. Refused (nothing written):
/// a role not among the offer's approvers (`NotAllowed`), the offer's creator, a system
/// actor, a blank reason, an offer no longer pending or expired (`Conflict`), another
/// creditor's offer (`NotFound`). Returns the offer as decided.
pub fn decide(
    store: &dyn Store,
    creditor: CreditorId,
    offer: OfferId,
    role: Role,
    decision: &OfferDecision,
    now: DateTime<Utc>,
    actor: &Actor,
) -> NegotiationResult<StoredOffer> {
    let stored = store
        .offer(creditor, offer)?
        .ok_or_else(|| StoreError::NotFound(format!("offer {offer}")))?;
    if stored.status == OfferStatus::PendingApproval && !stored.data.approvers.contains(&role) {
        let who = if stored.data.approvers.is_empty() {
            "nobody's authority covers it; the policy must change first".to_string()
        } else {
            let roles: Vec<&str> = stored.data.approvers.iter().map(|r| r.code()).collect();
            format!("it needs {}", roles.join(" or "))
        };
        return Err(NegotiationError::NotAllowed(format!(
            "role {role} may not decide offer {offer}: {who}"
        )));
    }
    store.decide_offer(creditor, offer, decision, now, actor)?;
    store.offer(creditor, offer)?.ok_or_else(|| {
        StoreError::Other(format!("offer {offer} vanished after it was decided")).into()
    })
}
