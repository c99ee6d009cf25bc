//! Reading a debtor's account: every read of personal data goes through here, so it is
//! recorded (UU PDP: who read what), and every refused read leaves an `access.denied`
//! entry. Logs carry ids only, never names, NIK or phone numbers.

use sepakat_store::{
    AccountDetail, AccountId, Actor, Creditor, EntityRef, NewAudit, OfferId, StoreError,
    StoredOffer,
};

use crate::AppState;

/// Which surface asked, for the audit detail.
#[derive(Debug, Clone, Copy)]
pub enum Via {
    /// The HTML UI.
    Ui,
    /// The JSON API.
    Api,
}

impl Via {
    fn code(self) -> &'static str {
        match self {
            Via::Ui => "ui",
            Via::Api => "api",
        }
    }
}

/// Loads an account of `creditor` and, when `viewed` names the part read (`detail`,
/// `payments`, `audit`), records an `account.viewed` entry; writers pass None and audit
/// their own change. An id that is malformed, unknown or another creditor's gives `None`
/// and an `access.denied` entry with the attempted id.
pub async fn read_account(
    state: &AppState,
    actor: Actor,
    creditor: &Creditor,
    raw_id: &str,
    via: Via,
    viewed: Option<&'static str>,
) -> Result<Option<AccountDetail>, StoreError> {
    let creditor_id = creditor.id;
    let attempted = sanitize(raw_id);
    let id = raw_id.parse::<i64>().ok().map(AccountId);
    let now = state.now();
    let actor_for_log = actor.user.map(|u| u.0);
    let found = state
        .store(move |s| {
            let account = match id {
                Some(id) => s.account(creditor_id, id)?,
                None => None,
            };
            let (action, detail) = match (&account, viewed) {
                (Some(_), None) => return Ok(account),
                (Some(_), Some(part)) => (
                    "account.viewed",
                    serde_json::json!({ "via": via.code(), "part": part }),
                ),
                (None, _) => (
                    "access.denied",
                    serde_json::json!({
                        "via": via.code(),
                        "attempted_id": attempted,
                        "reason": "account not found for the active creditor",
                    }),
                ),
            };
            s.record_audit(&NewAudit {
                creditor: Some(creditor_id),
                at: now,
                actor,
                action: action.to_string(),
                entity: EntityRef::new("account", &attempted),
                detail,
            })?;
            Ok(account)
        })
        .await?;
    if found.is_none() {
        tracing::warn!(
            user = ?actor_for_log,
            creditor = creditor_id.0,
            attempted_id = %sanitize(raw_id),
            "access denied: account not found for the active creditor"
        );
    }
    Ok(found)
}

/// Loads an offer of `creditor` with its account. An id that is malformed, unknown or
/// another creditor's gives `None` and an `access.denied` entry with the attempted id.
pub async fn read_offer(
    state: &AppState,
    actor: Actor,
    creditor: &Creditor,
    raw_id: &str,
    via: Via,
) -> Result<Option<(StoredOffer, AccountDetail)>, StoreError> {
    let creditor_id = creditor.id;
    let attempted = sanitize(raw_id);
    let id = raw_id.parse::<i64>().ok().map(OfferId);
    let now = state.now();
    let actor_for_log = actor.user.map(|u| u.0);
    let found = state
        .store(move |s| {
            let found = match id {
                Some(id) => match s.offer(creditor_id, id)? {
                    Some(offer) => s
                        .account(creditor_id, offer.data.account)?
                        .map(|account| (offer, account)),
                    None => None,
                },
                None => None,
            };
            if found.is_none() {
                s.record_audit(&NewAudit {
                    creditor: Some(creditor_id),
                    at: now,
                    actor,
                    action: "access.denied".to_string(),
                    entity: EntityRef::new("offer", &attempted),
                    detail: serde_json::json!({
                        "via": via.code(),
                        "attempted_id": attempted,
                        "reason": "offer not found for the active creditor",
                    }),
                })?;
            }
            Ok(found)
        })
        .await?;
    if found.is_none() {
        tracing::warn!(
            user = ?actor_for_log,
            creditor = creditor_id.0,
            attempted_id = %sanitize(raw_id),
            "access denied: offer not found for the active creditor"
        );
    }
    Ok(found)
}

/// An attempted id as it may be logged: printable ASCII, at most 40 characters.
fn sanitize(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_graphic())
        .take(40)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempted_ids_are_trimmed_to_printable_ascii() {
        assert_eq!(sanitize("12"), "12");
        assert_eq!(sanitize("1\n2<script>"), "12<script>");
        assert_eq!(sanitize(&"9".repeat(100)).len(), 40);
    }
}
