//! A debtor's other contacts: emergency contacts, family, employer, guarantor (migration
//! 0008). They are restricted parties — POJK 22/2023 allows them only the whereabouts
//! script, never a debt detail — so the workspace shows them apart from the debtor, with
//! the phone masked. A contact is never edited: a correction is a new contact that
//! `replaces` the old one, once.
//!
//! Refused: the debtor as a party (`Conflict`), a blank or over-long name, relation or
//! note (`Conflict`), a debtor of another creditor or unknown (`NotFound`), replacing a
//! contact of another debtor or one already replaced (`Conflict`). Audited on the debtor
//! as `debtor_contact.added`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::compliance::Party;
use sepakat_domain::Phone;

use crate::model::id_type;
use crate::{Actor, CreditorId, DebtorId, StoreError, StoreResult, UserId};

id_type! {
    DebtorContactId: "Another contact of a debtor (a restricted party).",
}

/// The longest name, relation or note kept.
pub const MAX_CONTACT_TEXT: usize = 200;

/// A contact to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDebtorContact {
    /// Whose contact.
    pub debtor: DebtorId,
    /// Emergency contact, family, employer or guarantor.
    pub party: Party,
    /// Their name (or the employer's).
    pub name: String,
    /// How they relate to the debtor ("kakak", "HRD").
    pub relation: String,
    /// Their phone, normalised.
    pub phone: Option<Phone>,
    /// Anything else.
    pub note: String,
    /// The contact this one corrects.
    pub replaces: Option<DebtorContactId>,
}

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtorContact {
    /// Id.
    pub id: DebtorContactId,
    /// What was recorded.
    pub data: NewDebtorContact,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Who.
    pub created_by: Option<UserId>,
    /// The contact that corrects this one, if any.
    pub replaced_by: Option<DebtorContactId>,
}

/// The debtor's other contacts.
pub trait DebtorContactStore {
    /// Adds a contact (rules in the module documentation).
    fn add_debtor_contact(
        &self,
        creditor: CreditorId,
        contact: &NewDebtorContact,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<DebtorContactId>;

    /// The debtor's contacts, oldest first, replaced ones included (with `replaced_by`).
    fn debtor_contacts(
        &self,
        creditor: CreditorId,
        debtor: DebtorId,
    ) -> StoreResult<Vec<DebtorContact>>;
}

/// The refusal of replacing contact `old` of `debtor`: `replaceable` is None when it is
/// not that debtor's contact, `Some(false)` when it is already replaced.
pub(crate) fn replace_refusal(
    old: DebtorContactId,
    debtor: DebtorId,
    replaceable: Option<bool>,
) -> Option<StoreError> {
    match replaceable {
        None => Some(StoreError::Conflict(format!(
            "contact {old} is not a contact of debtor {debtor}"
        ))),
        Some(false) => Some(StoreError::Conflict(format!(
            "contact {old} is already replaced"
        ))),
        Some(true) => None,
    }
}

/// The audit detail of an added contact (the phone masked).
pub(crate) fn added_detail(id: DebtorContactId, c: &NewDebtorContact) -> serde_json::Value {
    serde_json::json!({ "contact": id, "party": c.party.code(), "replaces": c.replaces,
                        "phone": c.phone.as_ref().map(|p| p.masked()) })
}

/// The checks of a new contact that need no database.
pub(crate) fn check_contact(c: &NewDebtorContact) -> StoreResult<()> {
    if c.party == Party::Debtor {
        return Err(StoreError::Conflict(
            "the debtor is not one of their own other contacts".into(),
        ));
    }
    if c.name.trim().is_empty() {
        return Err(StoreError::Conflict("a contact needs a name".into()));
    }
    for (field, text) in [
        ("name", &c.name),
        ("relation", &c.relation),
        ("note", &c.note),
    ] {
        if text.chars().count() > MAX_CONTACT_TEXT {
            return Err(StoreError::Conflict(format!(
                "{field} is longer than {MAX_CONTACT_TEXT} characters"
            )));
        }
    }
    Ok(())
}
