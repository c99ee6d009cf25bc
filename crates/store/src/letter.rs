//! Printed letters (`migrations/*/0012_letters.sql`): every SP1, SP2, SP3 and somasi letter
//! Sepakat prints is a row with its number and tracking number, and it moves
//! `printed → sent → delivered | returned` as the post (or a courier) reports. The delivery
//! proof — the date, who received it, a note, and optionally a scan or photo of the receipt
//! — is kept with the letter; the file is content-addressed (SHA-256) in the same
//! `evidence_blobs` table that interaction evidence uses. Design: `docs/outbox.md`.
//!
//! Rules every backend keeps (the contract tests in `tests/contract/letter.rs`):
//! - Every read and change takes the creditor: another creditor's letter is `NotFound`,
//!   exactly like a tracking number that does not exist.
//! - `record_letters` is all or nothing, and idempotent on creditor + tracking number
//!   (tracking numbers are stable for creditor, account, stage and date, so re-printing a
//!   batch finds the letters already recorded and is audited as a re-print).
//! - A delivered or returned letter is final: a second proof is `Conflict`.
//! - A proof dated before the letter was printed or after `today` is `Conflict`.
//! - Every change writes an audit entry on the account in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::template::Stage;

use crate::model::id_type;
use crate::negotiation::coded_status;
use crate::workbench::{check_evidence, NewEvidence};
use crate::{AccountId, Actor, CreditorId, StoreError, StoreResult, UserId};

id_type! {
    LetterId: "A printed letter.",
}

coded_status! {
    /// Where a letter stands.
    LetterStatus {
        /// Printed, not yet handed to the post.
        Printed = "printed",
        /// Handed to the post or courier.
        Sent = "sent",
        /// Received at the address (with proof).
        Delivered = "delivered",
        /// Came back undelivered (moved, refused, unknown address).
        Returned = "returned",
    }
}

impl LetterStatus {
    /// Whether nothing more will happen to the letter.
    pub const fn is_final(self) -> bool {
        matches!(self, LetterStatus::Delivered | LetterStatus::Returned)
    }
}

/// The stages that are letters.
pub const LETTER_STAGES: [Stage; 4] = [Stage::Sp1, Stage::Sp2, Stage::Sp3, Stage::Somasi];

/// A letter just printed, to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLetter {
    /// The account it is about.
    pub account: AccountId,
    /// SP1, SP2, SP3 or somasi.
    pub stage: Stage,
    /// The letter's number (`SP1/BSN/2026/12/KPR-000123`).
    pub number: String,
    /// The tracking number printed on every page.
    pub tracking: String,
    /// The template it was printed from.
    pub template: Option<String>,
}

/// A file proving delivery or return, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofFile {
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Media type.
    pub media_type: String,
    /// File name as uploaded.
    pub file_name: String,
    /// Size in bytes.
    pub size: u64,
}

/// What the post or courier reported about a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryProof {
    /// Delivered (true) or returned (false).
    pub delivered: bool,
    /// The day it was received or came back.
    pub on: NaiveDate,
    /// Who received it (or, for a return, who reported it).
    pub received_by: String,
    /// A note (the courier's words, the reason for the return).
    pub note: String,
    /// The scan or photo of the receipt.
    pub file: Option<ProofFile>,
    /// When the proof was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it.
    pub recorded_by: String,
}

/// A stored letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    /// Id.
    pub id: LetterId,
    /// The creditor it belongs to.
    pub creditor: CreditorId,
    /// What was printed.
    pub data: NewLetter,
    /// Where it stands.
    pub status: LetterStatus,
    /// When it was (first) printed.
    pub printed_at: DateTime<Utc>,
    /// Who printed it (the actor's name).
    pub printed_by: String,
    /// The user who printed it, when a person did.
    pub printed_by_user: Option<UserId>,
    /// When it was handed to the post.
    pub sent_at: Option<DateTime<Utc>>,
    /// The delivery proof or return, once recorded.
    pub proof: Option<DeliveryProof>,
}

/// Delivery proof or a return to record for a letter found by its tracking number.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProof {
    /// The tracking number on the letter.
    pub tracking: String,
    /// Delivered (true) or returned (false).
    pub delivered: bool,
    /// The day it was received or came back.
    pub on: NaiveDate,
    /// Who received it.
    pub received_by: String,
    /// A note.
    pub note: String,
    /// The receipt's scan or photo, checked against the evidence policy.
    pub file: Option<NewEvidence>,
}

/// The letters' storage, a supertrait of `Store`.
pub trait LetterStore {
    /// Records a batch of printed letters in one transaction, each audited on its account
    /// as `letter.printed` (or `letter.reprinted` for a tracking number already recorded,
    /// which returns the stored letter unchanged). `NotFound` if any account is not the
    /// creditor's; nothing is written then.
    fn record_letters(
        &self,
        creditor: CreditorId,
        letters: &[NewLetter],
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Vec<Letter>>;

    /// Marks a printed letter as handed to the post; audited as `letter.sent`. `NotFound`
    /// for an unknown (or another creditor's) tracking number; `Conflict` unless printed.
    fn mark_letter_sent(
        &self,
        creditor: CreditorId,
        tracking: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Letter>;

    /// Records delivery proof or a return (`letter.delivered` / `letter.returned`), with
    /// its file, in one transaction. `NotFound` for an unknown (or another creditor's)
    /// tracking number; `Conflict` for a letter already delivered or returned, a date
    /// before the printing or after `today`, an empty `received_by`, or a file the
    /// evidence policy refuses.
    fn record_letter_proof(
        &self,
        creditor: CreditorId,
        proof: &NewProof,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Letter>;

    /// The creditor's letters, of one account or all, newest first, at most `limit`.
    fn letters(
        &self,
        creditor: CreditorId,
        account: Option<AccountId>,
        limit: u32,
    ) -> StoreResult<Vec<Letter>>;

    /// A letter by its tracking number.
    fn letter_by_tracking(
        &self,
        creditor: CreditorId,
        tracking: &str,
    ) -> StoreResult<Option<Letter>>;

    /// A letter's proof file with its content.
    fn letter_proof_file(
        &self,
        creditor: CreditorId,
        letter: LetterId,
    ) -> StoreResult<Option<(ProofFile, Vec<u8>)>>;
}

/// The longest `received_by` and `note` kept.
pub const PROOF_TEXT_MAX: usize = 500;

/// Checks a letter before it is stored; the error names the field.
pub(crate) fn check_new_letter(new: &NewLetter) -> StoreResult<()> {
    if !LETTER_STAGES.contains(&new.stage) {
        return Err(StoreError::Conflict(format!(
            "stage: {} is not a letter; use sp1, sp2, sp3 or somasi",
            new.stage
        )));
    }
    if new.number.trim().is_empty() || new.number.len() > 200 {
        return Err(StoreError::Conflict(
            "number: required, at most 200 characters".into(),
        ));
    }
    if new.tracking.trim().is_empty() || new.tracking.len() > 100 {
        return Err(StoreError::Conflict(
            "tracking: required, at most 100 characters".into(),
        ));
    }
    Ok(())
}

/// Checks a proof against the letter it is for (status, dates, text, file).
pub(crate) fn check_proof(letter: &Letter, proof: &NewProof, today: NaiveDate) -> StoreResult<()> {
    let conflict = |m: String| Err(StoreError::Conflict(m));
    if letter.status.is_final() {
        return conflict(format!(
            "letter {} is already {}; its proof cannot be recorded again",
            letter.data.tracking,
            letter.status.code()
        ));
    }
    if proof.on > today {
        return conflict(format!(
            "delivered: {} is in the future (today is {today})",
            proof.on
        ));
    }
    let printed = letter.printed_at.date_naive();
    if proof.on < printed {
        return conflict(format!(
            "delivered: {} is before the letter was printed ({printed})",
            proof.on
        ));
    }
    if proof.received_by.trim().is_empty() {
        return conflict("received_by: required".into());
    }
    if proof.received_by.chars().count() > PROOF_TEXT_MAX
        || proof.note.chars().count() > PROOF_TEXT_MAX
    {
        return conflict(format!(
            "received_by, note: at most {PROOF_TEXT_MAX} characters"
        ));
    }
    check_evidence(proof.file.as_slice())
}

/// The audit action of a proof.
pub(crate) fn proof_action(proof: &NewProof) -> &'static str {
    if proof.delivered {
        "letter.delivered"
    } else {
        "letter.returned"
    }
}

/// The audit detail of a letter's change (no personal data: the recipient's name stays
/// in the letter row).
pub(crate) fn audit_detail(letter: &Letter) -> serde_json::Value {
    serde_json::json!({
        "letter": letter.id.0,
        "stage": letter.data.stage.code(),
        "number": letter.data.number,
        "tracking": letter.data.tracking,
        "template": letter.data.template,
        "status": letter.status.code(),
        "proof_on": letter.proof.as_ref().map(|p| p.on),
        "proof_file": letter.proof.as_ref().and_then(|p| p.file.as_ref()).map(|f| &f.sha256),
    })
}
