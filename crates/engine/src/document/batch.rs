//! A batch of letters: composed for a list of accounts (all or nothing), laid out as one
//! PDF, and recorded in the letters store with their numbers and tracking numbers.
//! `sepakat letter print` and the web's letter page (`/surat`) both print through here, so
//! the two never disagree on what a printed letter is.

use chrono::{DateTime, Utc};
use sepakat_store::{AccountDetail, AccountId, Actor, Creditor, NewLetter, Store, StoreResult};

use super::letter::{batch_pdf, Letter, Letterhead};
use super::pdf::Document;
use super::{collection_letter, LetterOptions};
use crate::templates::InForce;

/// The letters of a batch with the PDF that holds them.
#[derive(Debug)]
pub struct Batch {
    /// One letter per account, in the order given.
    pub letters: Vec<(AccountId, Letter)>,
    /// The PDF, each letter from a new page.
    pub document: Document,
    /// The template's label (`sp1_letter`, or `sp1_letter@v2` for the creditor's second
    /// version), recorded with every letter.
    pub template: String,
}

/// An account that gets no letter, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The account number.
    pub account_no: String,
    /// Why (English, for logs and the CLI).
    pub reason: String,
}

/// Composes one letter per account; if any account is refused (nothing overdue, a
/// missing value), no batch is made and every refusal is returned.
pub fn compose(
    creditor: &Creditor,
    accounts: &[AccountDetail],
    template: &InForce,
    options: &LetterOptions,
    head: &Letterhead,
    created: DateTime<Utc>,
) -> Result<Batch, Vec<Refused>> {
    let mut letters = Vec::with_capacity(accounts.len());
    let mut refused = Vec::new();
    for account in accounts {
        match collection_letter(creditor, account, &template.template, options) {
            Ok(letter) => letters.push((account.id, letter)),
            Err(e) => refused.push(Refused {
                account_no: account.account_no.clone(),
                reason: e.to_string(),
            }),
        }
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    let only: Vec<Letter> = letters.iter().map(|(_, l)| l.clone()).collect();
    let document = batch_pdf(head, &only, created);
    Ok(Batch {
        letters,
        document,
        template: template.label(),
    })
}

impl Batch {
    /// The letters as the store records them.
    pub fn new_letters(&self) -> Vec<NewLetter> {
        self.letters
            .iter()
            .map(|(account, l)| NewLetter {
                account: *account,
                stage: l.stage,
                number: l.number.clone(),
                tracking: l.tracking.clone(),
                template: Some(self.template.clone()),
            })
            .collect()
    }

    /// Records every letter of the batch in one transaction (audited on each account).
    pub fn record(
        &self,
        store: &dyn Store,
        creditor: &Creditor,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Vec<sepakat_store::Letter>> {
        store.record_letters(creditor.id, &self.new_letters(), now, actor)
    }
}
