//! Accepting an offer: the arrangement with the option's schedule as instalments (one
//! store transaction), the payment agreement as a PDF (`document::agreement`) and a recap
//! message in Bahasa Indonesia that restates the terms, as the seeds ask ("rekap
//! kesepakatan secara lisan dan tertulis").

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::negotiation::wire::OptionView;
use sepakat_domain::template::{long_date, Salutation};
use sepakat_store::{
    AccountDetail, Actor, Arrangement, ArrangementId, CreditorId, OfferId, OfferStatus, Store,
    StoreError, StoredOffer,
};

use super::{invalid, NegotiationResult};
use crate::document::agreement::{agreement_pdf, Parties};

/// The debtor's acceptance of an offer.
#[derive(Debug, Clone)]
pub struct Acceptance {
    /// The offer accepted.
    pub offer: OfferId,
    /// The date of acceptance (the debtor's calendar; the agreement's date).
    pub today: NaiveDate,
    /// Where the agreement is signed (printed before the date).
    pub place: String,
    /// The arrangement defaults once this many instalments are missed
    /// (`super::DEFAULT_MAX_MISSES` by default).
    pub max_misses: u32,
}

/// What an acceptance produced.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// The arrangement as stored, with its instalments.
    pub arrangement: Arrangement,
    /// The Surat Pernyataan Kesanggupan Pembayaran as PDF bytes (a person by masked NIK, a
    /// company by NPWP); None for a debtor with neither.
    pub agreement_pdf: Option<Vec<u8>>,
    /// The recap message of the terms, ready to send after review.
    pub recap: String,
}

/// Accepts a proposed or approved offer. Refused (nothing written): an expired, already
/// accepted, rejected or pending offer, a paused account, an account with an active
/// arrangement (`Conflict`), another creditor's offer (`NotFound`), a blank place.
pub fn accept(
    store: &dyn Store,
    creditor: CreditorId,
    acceptance: &Acceptance,
    now: DateTime<Utc>,
    actor: &Actor,
) -> NegotiationResult<Accepted> {
    if acceptance.place.trim().is_empty() {
        return Err(invalid(
            "place",
            "where the agreement is signed is required",
        ));
    }
    let id = acceptance.offer;
    let offer = store
        .offer(creditor, id)?
        .ok_or_else(|| StoreError::NotFound(format!("offer {id}")))?;
    let account = store
        .account(creditor, offer.data.account)?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", offer.data.account)))?;
    let creditor_name = store
        .creditor(creditor)?
        .ok_or_else(|| StoreError::NotFound(format!("creditor {creditor}")))?
        .name;
    let arrangement = store.accept_offer(
        creditor,
        id,
        acceptance.max_misses,
        acceptance.today,
        now,
        actor,
    )?;
    let option = agreed_option(&offer)?;
    let agreement_pdf = agreement_bytes(
        &creditor_name,
        &account,
        &option,
        acceptance.place.trim(),
        acceptance.today,
        now,
    )?;
    let stored = read_arrangement(store, creditor, &account, arrangement)?;
    Ok(Accepted {
        arrangement: stored,
        agreement_pdf,
        recap: recap(&creditor_name, &account, &option, acceptance.today),
    })
}

/// The payment agreement of an offer as PDF bytes, e.g. to download it again after the
/// acceptance. Only for an offer the debtor may sign or has signed (proposed, approved or
/// accepted; otherwise `Conflict`); None for a debtor with neither NIK nor NPWP. Writes nothing.
pub fn agreement(
    store: &dyn Store,
    creditor: CreditorId,
    offer: OfferId,
    place: &str,
    signed_on: NaiveDate,
    now: DateTime<Utc>,
) -> NegotiationResult<Option<Vec<u8>>> {
    if place.trim().is_empty() {
        return Err(invalid(
            "place",
            "where the agreement is signed is required",
        ));
    }
    let stored = store
        .offer(creditor, offer)?
        .ok_or_else(|| StoreError::NotFound(format!("offer {offer}")))?;
    if !matches!(
        stored.status,
        OfferStatus::Proposed | OfferStatus::Approved | OfferStatus::Accepted
    ) {
        return Err(StoreError::Conflict(format!(
            "offer {offer} is {}: no agreement for it",
            stored.status.code()
        ))
        .into());
    }
    let account = store
        .account(creditor, stored.data.account)?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", stored.data.account)))?;
    let creditor_name = store
        .creditor(creditor)?
        .ok_or_else(|| StoreError::NotFound(format!("creditor {creditor}")))?
        .name;
    let option = agreed_option(&stored)?;
    agreement_bytes(
        &creditor_name,
        &account,
        &option,
        place.trim(),
        signed_on,
        now,
    )
}

/// The chosen option as the agreement and recap show it: an offer that reached acceptance
/// was within authority or approved, so it no longer needs approval.
fn agreed_option(offer: &StoredOffer) -> NegotiationResult<OptionView> {
    let chosen = offer
        .chosen()
        .ok_or_else(|| StoreError::Other(format!("offer {} has no chosen option", offer.id)))?;
    let mut option = OptionView::from(chosen.clone());
    option.needs_approval = false;
    Ok(option)
}

fn agreement_bytes(
    creditor: &str,
    account: &AccountDetail,
    option: &OptionView,
    place: &str,
    signed_on: NaiveDate,
    now: DateTime<Utc>,
) -> NegotiationResult<Option<Vec<u8>>> {
    let d = &account.debtor.data;
    if d.nik.is_none() && d.npwp.is_none() {
        return Ok(None);
    }
    let parties = Parties {
        creditor: creditor.to_string(),
        account_no: account.account_no.clone(),
        debtor_name: d.name.clone(),
        nik: d.nik.clone(),
        npwp: d.npwp.clone(),
        address: agreement_address(account),
        city: place.to_string(),
    };
    let doc = agreement_pdf(&parties, option, signed_on, now)
        .map_err(|e| StoreError::Other(format!("agreement of option {}: {e}", option.rank)))?;
    Ok(Some(doc.to_bytes()))
}

fn agreement_address(account: &AccountDetail) -> String {
    let d = &account.debtor.data;
    let parts: Vec<&str> = [d.address.as_deref(), d.city.as_deref()]
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect();
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    }
}

fn read_arrangement(
    store: &dyn Store,
    creditor: CreditorId,
    account: &AccountDetail,
    id: ArrangementId,
) -> NegotiationResult<Arrangement> {
    store
        .arrangements(creditor, account.id)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| {
            StoreError::Other(format!("arrangement {id} vanished after it was stored")).into()
        })
}

/// The recap of an agreed option: who, what, every payment with its date, the total in
/// figures and words, and the official payment channel. Polite and factual; no pressure.
pub fn recap(
    creditor: &str,
    account: &AccountDetail,
    option: &OptionView,
    today: NaiveDate,
) -> String {
    let debtor = &account.debtor.data;
    let salutation = Salutation::from_gender(debtor.gender);
    let mut text = format!(
        "Yth. {} {},\nterima kasih atas kesepakatan pada {}. Berikut rangkuman {} untuk akun {}:\n",
        salutation.word(),
        debtor.name,
        long_date(today),
        option.kind_label.to_lowercase(),
        account.account_no
    );
    for line in &option.schedule {
        text.push_str(&format!(
            "{}. {}: {}\n",
            line.seq,
            long_date(line.due_date),
            line.amount
        ));
    }
    text.push_str(&format!(
        "Jumlah seluruhnya {} ({}).\nMohon lakukan pembayaran hanya melalui rekening resmi {} \
         atau kanal pembayaran resmi yang tercantum pada tagihan. Bila ada kendala, mohon \
         hubungi kami sebelum tanggal jatuh tempo. Terima kasih.",
        option.total_paid,
        option.total_paid.terbilang(),
        creditor
    ));
    text
}
