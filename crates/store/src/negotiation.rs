//! Storage of the negotiation desk (`migrations/*/0005_negotiation.sql`): ability-to-pay
//! assessments, offers with their approval, and arrangements with their instalments.
//!
//! The flow the tables follow: a collector saves an assessment and an offer together
//! (`create_offer`); the offer is `proposed` when the chosen option is within the
//! collector's authority, otherwise `pending_approval` and in the creditor's approval queue
//! (`pending_approvals`) until a supervisor or manager decides it (`decide_offer`). A
//! proposed or approved offer that the debtor accepts (`accept_offer`) becomes an
//! arrangement whose instalments are the option's schedule; the tracker
//! (`sepakat_engine::negotiation::track_arrangements`) records each instalment's fate
//! (`record_tracking`) and ends the arrangement completed or defaulted.
//!
//! Rules every backend keeps (the contract tests in `tests/contract/negotiation.rs`):
//! every call takes the creditor, and an account, offer or arrangement of another creditor
//! is `NotFound`; each write is one transaction with its audit entries, all on the
//! account's trail (entity `account`, so the account's timeline shows the negotiation);
//! a refused write (`Conflict`) stores nothing. Nobody decides their own offer; a system
//! actor decides nothing. An account has at most one active arrangement.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::negotiation::{Assessment, Offer, OfferKind};
use sepakat_domain::{Role, Rupiah};

use crate::{AccountId, Actor, CreditorId, StoreError, StoreResult, UserId};

use crate::model::id_type;

id_type! {
    AssessmentId: "A saved ability-to-pay assessment.",
    OfferId: "An offer made to a debtor (one chosen option of a computed set).",
    ArrangementId: "An agreed payment arrangement.",
}

/// Defines a status enum with stable codes, `code()` and `parse()`.
macro_rules! coded_status {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            /// Every status.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable code.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// Parses a code.
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|s| s.code() == text)
            }
        }
    };
}
pub(crate) use coded_status;

coded_status! {
    /// Where an offer stands.
    OfferStatus {
        /// Within the creator's authority: ready for the debtor to accept.
        Proposed = "proposed",
        /// Beyond the creator's authority: in the approval queue.
        PendingApproval = "pending_approval",
        /// Approved by a supervisor or manager: ready for the debtor to accept.
        Approved = "approved",
        /// Rejected by a supervisor or manager.
        Rejected = "rejected",
        /// Accepted by the debtor: an arrangement exists.
        Accepted = "accepted",
        /// Not accepted before `expires_at` (set by `expire_offers`).
        Expired = "expired",
    }
}

coded_status! {
    /// Where an arrangement stands.
    ArrangementStatus {
        /// Being paid.
        Active = "active",
        /// Every instalment paid.
        Completed = "completed",
        /// Too many instalments missed: the account is back in regular collection.
        Defaulted = "defaulted",
    }
}

coded_status! {
    /// Where one instalment of an arrangement stands.
    InstalmentStatus {
        /// Not yet paid, and not yet past its due date and grace.
        Pending = "pending",
        /// Paid in full on or before its due date.
        Paid = "paid",
        /// Paid in full after its due date.
        Late = "late",
        /// Unpaid past its due date and grace.
        Missed = "missed",
    }
}

impl OfferStatus {
    /// Whether the debtor may accept an offer in this status (before it expires).
    pub const fn acceptable(self) -> bool {
        matches!(self, OfferStatus::Proposed | OfferStatus::Approved)
    }
}

impl InstalmentStatus {
    /// Paid in full (on time or late).
    pub const fn is_paid(self) -> bool {
        matches!(self, InstalmentStatus::Paid | InstalmentStatus::Late)
    }
}

/// A saved assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAssessment {
    /// Id.
    pub id: AssessmentId,
    /// The account.
    pub account: AccountId,
    /// The declaration and what the assessment made of it.
    pub assessment: Assessment,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
    /// Who saved it.
    pub created_by: Option<UserId>,
}

/// An offer to store, with the assessment it was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOffer {
    /// The account.
    pub account: AccountId,
    /// The assessment the options were computed from (saved in the same transaction).
    pub assessment: Assessment,
    /// The negotiation date the options were computed for.
    pub as_of: NaiveDate,
    /// Every option computed, best first (what the debtor was shown).
    pub options: Vec<Offer>,
    /// The rank of the option offered.
    pub chosen_rank: u32,
    /// The role of the user who made the offer (whose authority was checked).
    pub created_role: Role,
    /// The roles that may approve the chosen option (empty when it needs no approval,
    /// or when nobody's authority covers it).
    pub approvers: Vec<Role>,
    /// The debtor must accept before this instant.
    pub expires_at: DateTime<Utc>,
}

impl NewOffer {
    /// The chosen option.
    pub fn chosen(&self) -> Option<&Offer> {
        self.options.iter().find(|o| o.rank == self.chosen_rank)
    }
}

/// A stored offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredOffer {
    /// Id.
    pub id: OfferId,
    /// The assessment saved with it.
    pub assessment: AssessmentId,
    /// What was offered.
    pub data: NewOffer,
    /// The chosen option's kind.
    pub kind: OfferKind,
    /// The chosen option's total.
    pub total_paid: Rupiah,
    /// Its down payment (the whole sum for a lump sum).
    pub down_payment: Rupiah,
    /// Its regular monthly payment.
    pub instalment: Rupiah,
    /// Its monthly payments after the down payment.
    pub tenor_months: u32,
    /// Where it stands.
    pub status: OfferStatus,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Who made it.
    pub created_by: Option<UserId>,
    /// Who approved or rejected it.
    pub decided_by: Option<UserId>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// Why (the decider's words).
    pub decision_reason: Option<String>,
}

impl StoredOffer {
    /// The chosen option.
    pub fn chosen(&self) -> Option<&Offer> {
        self.data.chosen()
    }
}

/// A supervisor's or manager's decision on an offer in the approval queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferDecision {
    /// Approve (true) or reject (false).
    pub approve: bool,
    /// Why; required either way, so the trail says what the decider weighed.
    pub reason: String,
}

/// One instalment of an arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrangementInstalment {
    /// 1-based, the option's schedule order.
    pub seq: u32,
    /// Due date (debtor's calendar).
    pub due_on: NaiveDate,
    /// Amount due.
    pub amount: Rupiah,
    /// Paid towards it so far (as last tracked).
    pub paid: Rupiah,
    /// Where it stands (as last tracked).
    pub status: InstalmentStatus,
}

/// A stored arrangement with its instalments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrangement {
    /// Id.
    pub id: ArrangementId,
    /// The account.
    pub account: AccountId,
    /// The accepted offer.
    pub offer: OfferId,
    /// The kind of the accepted option.
    pub kind: OfferKind,
    /// Where it stands.
    pub status: ArrangementStatus,
    /// The arrangement defaults once this many instalments are missed.
    pub max_misses: u32,
    /// When the debtor accepted.
    pub created_at: DateTime<Utc>,
    /// Who recorded the acceptance.
    pub created_by: Option<UserId>,
    /// When it completed or defaulted.
    pub ended_at: Option<DateTime<Utc>>,
    /// The instalments by seq.
    pub instalments: Vec<ArrangementInstalment>,
}

/// The tracker's verdict on one active arrangement, applied by `record_tracking`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrangementTracking {
    /// The arrangement.
    pub arrangement: ArrangementId,
    /// Each instalment's paid amount and status, by seq (all of them).
    pub instalments: Vec<(u32, Rupiah, InstalmentStatus)>,
    /// The arrangement's status after this tracking.
    pub status: ArrangementStatus,
}

/// What `record_tracking` changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingOutcome {
    /// Instalments whose paid amount or status changed.
    pub instalments_changed: u32,
    /// Whether the arrangement's status changed.
    pub status_changed: bool,
}

/// The negotiation desk's storage, a supertrait of `Store`.
pub trait NegotiationStore {
    /// Saves an assessment on its own (the debtor declared, no offer yet); audited as
    /// `assessment.saved`. `NotFound` if the account is not the creditor's.
    fn save_assessment(
        &self,
        creditor: CreditorId,
        account: AccountId,
        assessment: &Assessment,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<AssessmentId>;

    /// An account's assessments, oldest first.
    fn assessments(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<StoredAssessment>>;

    /// Saves the assessment and the offer in one transaction: `proposed` when the chosen
    /// option is within the creator's authority, else `pending_approval`. Audited as
    /// `assessment.saved` and `offer.created`. `NotFound` if the account is not the
    /// creditor's; `Conflict` if the chosen rank is not among the options, `expires_at`
    /// is not after `now`, or the account is paused on `today`.
    fn create_offer(
        &self,
        creditor: CreditorId,
        new: &NewOffer,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<(AssessmentId, OfferId)>;

    /// One offer; None if it does not exist or is another creditor's.
    fn offer(&self, creditor: CreditorId, offer: OfferId) -> StoreResult<Option<StoredOffer>>;

    /// An account's offers, oldest first.
    fn offers(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<StoredOffer>>;

    /// The approval queue: the creditor's offers pending approval, oldest first.
    fn pending_approvals(&self, creditor: CreditorId) -> StoreResult<Vec<StoredOffer>>;

    /// Approves or rejects an offer pending approval; audited as `offer.approved` or
    /// `offer.rejected`. `NotFound` for another creditor's offer; `Conflict` if it is not
    /// pending approval, has expired at `now`, the actor is not a person or made the offer
    /// themselves, or the reason is blank. Whether the decider's role may approve is the
    /// caller's check (`sepakat_engine::negotiation::decide`).
    fn decide_offer(
        &self,
        creditor: CreditorId,
        offer: OfferId,
        decision: &OfferDecision,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<OfferStatus>;

    /// The debtor accepts a proposed or approved offer: in one transaction the offer
    /// becomes `accepted` and an active arrangement is created with the chosen option's
    /// schedule as its instalments. Audited as `offer.accepted` and `arrangement.created`.
    /// `NotFound` for another creditor's offer; `Conflict` if it is expired at `now`,
    /// already accepted, rejected or pending approval, the account is paused on `today`,
    /// or the account already has an active arrangement.
    fn accept_offer(
        &self,
        creditor: CreditorId,
        offer: OfferId,
        max_misses: u32,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ArrangementId>;

    /// Marks every proposed, approved or pending offer whose `expires_at` is not after
    /// `now` as expired (each audited as `offer.expired`); returns how many.
    fn expire_offers(
        &self,
        creditor: CreditorId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<u64>;

    /// An account's arrangements with their instalments, oldest first.
    fn arrangements(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<Arrangement>>;

    /// The creditor's active arrangements with their instalments, by id.
    fn active_arrangements(&self, creditor: CreditorId) -> StoreResult<Vec<Arrangement>>;

    /// Records the tracker's verdict on an active arrangement: changed instalments are
    /// written and audited (`instalment.paid`, `instalment.late`, `instalment.missed`), and
    /// a new arrangement status too (`arrangement.completed`, or `arrangement.defaulted`
    /// with `account.returned_to_collection`). Writes nothing when nothing changed.
    /// `NotFound` for another creditor's arrangement; `Conflict` if it is no longer
    /// active, or the verdict's instalments are not exactly the arrangement's.
    fn record_tracking(
        &self,
        creditor: CreditorId,
        tracking: &ArrangementTracking,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TrackingOutcome>;
}

/// The roles as the comma-separated codes `offers.approvers` holds.
pub(crate) fn role_list(roles: &[Role]) -> String {
    roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
}

/// `offers.approvers` back to roles.
pub(crate) fn parse_roles(text: &str) -> Option<Vec<Role>> {
    text.split(',')
        .filter(|r| !r.is_empty())
        .map(Role::parse)
        .collect()
}

/// The checks `create_offer` makes before touching the database: the chosen option
/// exists and the offer does not expire before it is made. Returns the chosen option.
pub(crate) fn check_new_offer(new: &NewOffer, now: DateTime<Utc>) -> StoreResult<&Offer> {
    let chosen = new.chosen().ok_or_else(|| {
        StoreError::Conflict(format!(
            "chosen_rank: there is no option {}; options are 1 to {}",
            new.chosen_rank,
            new.options.len()
        ))
    })?;
    if new.expires_at <= now {
        return Err(StoreError::Conflict(format!(
            "expires_at: {} is not after now ({now})",
            new.expires_at
        )));
    }
    if chosen.schedule.is_empty() {
        return Err(StoreError::Conflict(format!(
            "chosen_rank: option {} has no payments",
            new.chosen_rank
        )));
    }
    Ok(chosen)
}

/// The initial status of an offer: in the approval queue when beyond the creator's
/// authority.
pub(crate) fn initial_status(chosen: &Offer) -> OfferStatus {
    if chosen.authority.needs_approval() {
        OfferStatus::PendingApproval
    } else {
        OfferStatus::Proposed
    }
}

/// The refusal for a paused account.
pub(crate) fn paused_conflict(account: AccountId, today: NaiveDate) -> StoreError {
    StoreError::Conflict(format!(
        "account {account} is paused on {today}: no offer may be made or accepted while \
         collection is paused"
    ))
}

/// The checks of `decide_offer` on the stored state (status, expiry, decider, reason).
pub(crate) fn check_decision(
    offer: OfferId,
    status: OfferStatus,
    expires_at: DateTime<Utc>,
    created_by: Option<UserId>,
    decision: &OfferDecision,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<()> {
    if status != OfferStatus::PendingApproval {
        return Err(StoreError::Conflict(format!(
            "offer {offer} is {}, not pending approval",
            status.code()
        )));
    }
    if expires_at <= now {
        return Err(StoreError::Conflict(format!(
            "offer {offer} expired at {expires_at}; make a new offer"
        )));
    }
    let Some(decider) = actor.user else {
        return Err(StoreError::Conflict(format!(
            "offer {offer}: only a person may approve or reject an offer, not {}",
            actor.name
        )));
    };
    if created_by == Some(decider) {
        return Err(StoreError::Conflict(format!(
            "offer {offer}: nobody may approve or reject their own offer"
        )));
    }
    if decision.reason.trim().is_empty() {
        return Err(StoreError::Conflict(format!(
            "reason: a decision on offer {offer} needs a reason"
        )));
    }
    Ok(())
}

/// The checks of `accept_offer` on the stored state (status and expiry).
pub(crate) fn check_acceptance(
    offer: OfferId,
    status: OfferStatus,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if !status.acceptable() {
        let why = match status {
            OfferStatus::PendingApproval => "is waiting for approval".to_string(),
            OfferStatus::Accepted => "is already accepted".to_string(),
            other => format!("is {}", other.code()),
        };
        return Err(StoreError::Conflict(format!(
            "offer {offer} {why}; it cannot be accepted"
        )));
    }
    if expires_at <= now {
        return Err(StoreError::Conflict(format!(
            "offer {offer} expired at {expires_at}; make a new offer"
        )));
    }
    Ok(())
}

/// Checks a tracking verdict against the stored instalments (by seq, all of them) and
/// returns the instalments that change: (seq, paid, status).
pub(crate) fn tracking_changes(
    arrangement: &Arrangement,
    tracking: &ArrangementTracking,
) -> StoreResult<Vec<(u32, Rupiah, InstalmentStatus)>> {
    if arrangement.status != ArrangementStatus::Active {
        return Err(StoreError::Conflict(format!(
            "arrangement {} is {}, no longer tracked",
            arrangement.id,
            arrangement.status.code()
        )));
    }
    let same_seqs = tracking.instalments.len() == arrangement.instalments.len()
        && tracking
            .instalments
            .iter()
            .zip(&arrangement.instalments)
            .all(|(t, s)| t.0 == s.seq);
    if !same_seqs {
        return Err(StoreError::Conflict(format!(
            "tracking of arrangement {}: the instalments do not match the stored ones",
            arrangement.id
        )));
    }
    Ok(tracking
        .instalments
        .iter()
        .zip(&arrangement.instalments)
        .filter(|(t, s)| t.1 != s.paid || t.2 != s.status)
        .map(|(t, _)| *t)
        .collect())
}

/// The audit action for an instalment going from `before` to `status` (the same status
/// with a new paid amount is a part payment).
pub(crate) fn instalment_action(
    before: Option<InstalmentStatus>,
    status: InstalmentStatus,
) -> &'static str {
    if before == Some(status) {
        return "instalment.part_paid";
    }
    match status {
        InstalmentStatus::Pending => "instalment.pending",
        InstalmentStatus::Paid => "instalment.paid",
        InstalmentStatus::Late => "instalment.late",
        InstalmentStatus::Missed => "instalment.missed",
    }
}

/// The audit action for an arrangement reaching `status`.
pub(crate) fn arrangement_action(status: ArrangementStatus) -> &'static str {
    match status {
        ArrangementStatus::Active => "arrangement.reactivated",
        ArrangementStatus::Completed => "arrangement.completed",
        ArrangementStatus::Defaulted => "arrangement.defaulted",
    }
}

/// The JSON of an assessment's result without its declaration (stored apart).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AssessmentResult {
    pub living_cost: Rupiah,
    pub disposable_income: Rupiah,
    pub recommended_monthly: Rupiah,
    pub flags: Vec<sepakat_domain::negotiation::AbilityFlag>,
}

impl AssessmentResult {
    pub(crate) fn of(a: &Assessment) -> AssessmentResult {
        AssessmentResult {
            living_cost: a.living_cost,
            disposable_income: a.disposable_income,
            recommended_monthly: a.recommended_monthly,
            flags: a.flags.clone(),
        }
    }

    pub(crate) fn with(self, declaration: sepakat_domain::negotiation::Declaration) -> Assessment {
        Assessment {
            declaration,
            living_cost: self.living_cost,
            disposable_income: self.disposable_income,
            recommended_monthly: self.recommended_monthly,
            flags: self.flags,
        }
    }
}

/// Parses a stored offer kind code.
pub(crate) fn parse_kind(text: &str) -> Option<OfferKind> {
    [
        OfferKind::FullPayoff,
        OfferKind::InstalmentPlan,
        OfferKind::Rescheduling,
        OfferKind::Restructuring,
        OfferKind::Settlement,
    ]
    .into_iter()
    .find(|k| k.code() == text)
}
