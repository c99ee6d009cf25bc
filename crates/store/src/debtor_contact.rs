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

/// A contact of the debtor named in an accounts file (the emergency contact, the employer's
/// phone): the import adds it unless the debtor already has the same one, and an imported
/// contact that the file now names differently is corrected (replaced) — one the
/// collectors added is never replaced by a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedContact {
    /// Emergency contact, family, employer or guarantor (never the debtor).
    pub party: Party,
    /// Their name (or the employer's).
    pub name: String,
    /// How they relate to the debtor; may be empty.
    pub relation: String,
    /// Their phone, normalised.
    pub phone: Option<Phone>,
}

/// A contact of the debtor in force (not replaced), as far as an import compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContactInForce {
    pub(crate) id: i64,
    pub(crate) contact: ImportedContact,
    /// Written by an import (so a later import may correct it).
    pub(crate) imported: bool,
}

/// What an import writes for one wanted contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContactWrite<'a> {
    pub(crate) contact: &'a ImportedContact,
    /// The imported contact it corrects.
    pub(crate) replaces: Option<i64>,
}

/// The writes that bring the debtor's contacts in force in line with `wanted`: nothing
/// for a contact the debtor already has (same party, name, relation and phone, however it
/// was added); a correction of the imported contact of the same party, if there is one;
/// else a new contact. Contacts the file does not name are left alone.
pub(crate) fn plan_contacts<'a>(
    wanted: &'a [ImportedContact],
    in_force: &[ContactInForce],
) -> Vec<ContactWrite<'a>> {
    wanted
        .iter()
        .filter(|w| !in_force.iter().any(|c| same_contact(&c.contact, w)))
        .map(|w| ContactWrite {
            contact: w,
            replaces: in_force
                .iter()
                .find(|c| c.imported && c.contact.party == w.party)
                .map(|c| c.id),
        })
        .collect()
}

/// Whether two contacts say the same (names and relations compared as people type them:
/// case and surrounding spaces aside).
fn same_contact(a: &ImportedContact, b: &ImportedContact) -> bool {
    let same_text = |x: &str, y: &str| x.trim().eq_ignore_ascii_case(y.trim());
    a.party == b.party
        && a.phone == b.phone
        && same_text(&a.name, &b.name)
        && same_text(&a.relation, &b.relation)
}

/// Folds the contacts of a row into those gathered for its debtor so far: one per party,
/// the later row's winning (as the debtor's other columns do).
pub(crate) fn merge_contacts(into: &mut Vec<ImportedContact>, row: &[ImportedContact]) {
    for c in row {
        match into.iter_mut().find(|x| x.party == c.party) {
            Some(x) => *x = c.clone(),
            None => into.push(c.clone()),
        }
    }
}

#[cfg(test)]
mod import_tests {
    use super::*;

    fn emergency(name: &str, phone: &str) -> ImportedContact {
        ImportedContact {
            party: Party::EmergencyContact,
            name: name.into(),
            relation: "kakak".into(),
            phone: Some(Phone::parse(phone).unwrap()),
        }
    }

    fn in_force(id: i64, contact: ImportedContact, imported: bool) -> ContactInForce {
        ContactInForce {
            id,
            contact,
            imported,
        }
    }

    #[test]
    fn a_contact_the_debtor_has_is_not_added_again() {
        let wanted = [emergency("Siti Aminah", "081234567890")];
        let mut same = emergency(" siti aminah ", "+6281234567890");
        same.relation = "Kakak".into();
        assert!(plan_contacts(&wanted, &[in_force(7, same, false)]).is_empty());
    }

    #[test]
    fn a_changed_imported_contact_is_corrected_and_a_manual_one_kept() {
        let wanted = [emergency("Siti Aminah", "081234567891")];
        let manual = in_force(3, emergency("Budi", "081298765432"), false);
        let imported = in_force(5, emergency("Siti Aminah", "081234567890"), true);
        let plan = plan_contacts(&wanted, &[manual.clone(), imported]);
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].replaces, Some(5));
        let plan = plan_contacts(&wanted, &[manual]);
        assert_eq!(
            plan[0].replaces, None,
            "a collector's contact is never replaced"
        );
    }

    #[test]
    fn merging_keeps_one_contact_per_party_the_later_winning() {
        let mut gathered = vec![emergency("A", "081234567890")];
        let employer = ImportedContact {
            party: Party::Employer,
            name: "PT Maju".into(),
            relation: String::new(),
            phone: None,
        };
        merge_contacts(
            &mut gathered,
            &[emergency("B", "081234567891"), employer.clone()],
        );
        assert_eq!(gathered.len(), 2);
        assert_eq!(gathered[0].name, "B");
        assert_eq!(gathered[1], employer);
    }
}
