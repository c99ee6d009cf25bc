//! The debtor's other contacts from the workbench: whoever may work the account records an
//! emergency contact, family member, employer or guarantor (a restricted party), or
//! corrects one by a replacing entry.

use chrono::{DateTime, Utc};
use sepakat_domain::compliance::Party;
use sepakat_domain::Phone;
use sepakat_store::{AccountDetail, DebtorContactId, NewDebtorContact, Store, MAX_CONTACT_TEXT};

use super::{check_holder, Problem, WorkError, Worker};

/// A contact as typed.
#[derive(Debug, Clone)]
pub struct ContactInput {
    /// Who they are to the debtor.
    pub party: Party,
    /// Name.
    pub name: String,
    /// Relation ("kakak", "HRD").
    pub relation: String,
    /// Phone as typed (optional).
    pub phone: String,
    /// Note.
    pub note: String,
}

/// Adds a contact of the account's debtor; each refusal names the field.
pub fn add_contact(
    s: &dyn Store,
    worker: &Worker,
    account: &AccountDetail,
    input: ContactInput,
    now: DateTime<Utc>,
) -> Result<DebtorContactId, WorkError> {
    if !worker.role.works_accounts() {
        return Err(WorkError::Forbidden);
    }
    check_holder(s, worker, account, now)?;
    if input.party == Party::Debtor {
        return Err(WorkError::invalid(
            "party",
            Problem::Mismatch("pilih pihak selain debitur / pick a party other than the debtor"),
        ));
    }
    let name = input.name.trim();
    if name.is_empty() {
        return Err(WorkError::invalid("contact_name", Problem::Required));
    }
    for (field, text) in [
        ("contact_name", name),
        ("contact_relation", input.relation.trim()),
        ("note", input.note.trim()),
    ] {
        if text.chars().count() > MAX_CONTACT_TEXT {
            return Err(WorkError::invalid(
                field,
                Problem::TooLong(MAX_CONTACT_TEXT),
            ));
        }
    }
    let phone = match input.phone.trim() {
        "" => None,
        text => Some(Phone::parse(text).map_err(|_| {
            WorkError::invalid("contact_phone", Problem::NotAPhone(text.to_string()))
        })?),
    };
    let contact = NewDebtorContact {
        debtor: account.debtor.id,
        party: input.party,
        name: name.to_string(),
        relation: input.relation.trim().to_string(),
        phone,
        note: input.note.trim().to_string(),
        replaces: None,
    };
    Ok(s.add_debtor_contact(worker.creditor, &contact, now, &worker.actor)?)
}
