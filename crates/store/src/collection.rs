//! Storage of the collection work (`migrations/*/0002_collection.sql`): teams and their
//! collectors, which team and collector hold an account, the interaction log, promises to
//! pay, pauses and the debtors' contact consents. The nightly run reads these through
//! `RunStore::run_context`; the demo and the collector workbench write them here.
//!
//! Rules every backend keeps (the contract tests in `tests/contract/collection.rs`):
//! every call takes the creditor, and an account, team, debtor or user of another
//! creditor is `NotFound`; each write is one transaction with its audit entry;
//! interactions are immutable (a correction is a new interaction pointing at the one it
//! corrects, on the same account) and a repeated idempotency key returns the first id;
//! a promise is refused (`Conflict`, nothing stored) unless 0 < amount ≤ the account's
//! outstanding, its date is not before `today` and the account has no pending promise.
//!
//! Assignments are audited once per account (entity `account`), not once per batch:
//! "who held this account, since when" is asked of one account's trail, and batches
//! are a supervisor's selection (hundreds), not an import.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::compliance::{Channel, Consent, Party};
use sepakat_domain::interaction::{Direction, Outcome, PauseReason, Reason};
use sepakat_domain::strategy::CollectorKind;
use sepakat_domain::{PromiseStatus, Province, Rupiah};

use crate::{AccountId, Actor, CreditorId, DebtorId, StoreError, StoreResult, UserId};

use crate::model::id_type;

id_type! {
    TeamId: "A team of collectors of one creditor.",
    InteractionId: "An entry of the interaction log.",
    PromiseId: "A promise to pay.",
    PauseId: "A pause of collection on an account.",
    ConsentId: "A recorded consent to contact outside the regular window.",
}

/// A team with its collectors (active or not), as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamInfo {
    /// Id.
    pub id: TeamId,
    /// The creditor.
    pub creditor: CreditorId,
    /// Short code, unique per creditor (`DESK`, `FIELD`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Members, by user id.
    pub collectors: Vec<CollectorInfo>,
}

/// A collector as `put_collector` writes them (and `teams` reads them back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectorInfo {
    /// The team.
    pub team: TeamId,
    /// The user.
    pub user: UserId,
    /// Desk or field.
    pub kind: CollectorKind,
    /// Actions taken per day.
    pub daily_capacity: u32,
    /// Provinces served; empty = every province.
    pub provinces: Vec<Province>,
    /// Language codes spoken (`id`, `jv`, `su`, …).
    pub languages: Vec<String>,
    /// Whether allocation gives them work.
    pub active: bool,
}

/// A contact attempt or contact to log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInteraction {
    /// The account.
    pub account: AccountId,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The collector, if a person made it.
    pub user: Option<UserId>,
    /// How.
    pub channel: Channel,
    /// Who started it.
    pub direction: Direction,
    /// Who was reached.
    pub party: Party,
    /// What came of it.
    pub outcome: Outcome,
    /// The reason for non-payment, when asked and told.
    pub reason: Option<Reason>,
    /// Short notes (Bahasa Indonesia in practice).
    pub notes: String,
    /// The interaction of the same account this one corrects.
    pub corrects: Option<InteractionId>,
    /// A client-chosen key: the same key stores one interaction only.
    pub idempotency_key: Option<String>,
}

/// A logged interaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    /// Id.
    pub id: InteractionId,
    /// What was logged.
    pub data: NewInteraction,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
}

/// A promise to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPromise {
    /// The account.
    pub account: AccountId,
    /// The interaction in which the debtor promised.
    pub interaction: Option<InteractionId>,
    /// The amount promised.
    pub amount: Rupiah,
    /// The date promised (debtor's calendar).
    pub promised_on: NaiveDate,
    /// The channel the debtor promised over.
    pub channel: Channel,
}

/// A stored promise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPromise {
    /// Id.
    pub id: PromiseId,
    /// What was promised.
    pub data: NewPromise,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// Who recorded it.
    pub created_by: Option<UserId>,
    /// Paid on the account since it was made.
    pub paid: Rupiah,
    /// Where it stands.
    pub status: PromiseStatus,
    /// When it left `pending`.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// How a pending promise ended (as `Promise::evaluate` or a person decided).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromiseResolution {
    /// Kept, partially kept, broken or cancelled (never pending).
    pub status: PromiseStatus,
    /// Paid towards it.
    pub paid: Rupiah,
    /// When it was decided.
    pub at: DateTime<Utc>,
}

/// A pause of all contact on an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPause {
    /// The account.
    pub account: AccountId,
    /// Why.
    pub reason: PauseReason,
    /// Details.
    pub note: String,
    /// First paused day.
    pub starts_on: NaiveDate,
    /// Last paused day (inclusive); None = until lifted.
    pub ends_on: Option<NaiveDate>,
}

/// A stored pause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// Id.
    pub id: PauseId,
    /// The pause.
    pub data: NewPause,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// The collection work's storage, a supertrait of `Store`.
pub trait CollectionStore {
    /// Creates a team; `Conflict` if the creditor already has one with this code.
    fn create_team(
        &self,
        creditor: CreditorId,
        code: &str,
        name: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TeamInfo>;

    /// Adds a collector to a team of the creditor, or updates them (upsert on team +
    /// user). `NotFound` if the team or the user is not the creditor's.
    fn put_collector(
        &self,
        creditor: CreditorId,
        collector: &CollectorInfo,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()>;

    /// Puts accounts with a team, and with a collector when given (sticky assignment;
    /// None lets the nightly run allocate them day by day); replaces earlier assignments.
    /// All or nothing: `NotFound` if any account, the team or the collector is not the
    /// creditor's. Returns the number assigned.
    fn assign_accounts(
        &self,
        creditor: CreditorId,
        team: TeamId,
        collector: Option<UserId>,
        accounts: &[AccountId],
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<u64>;

    /// Logs an interaction; a known idempotency key returns the stored id and writes
    /// nothing. `Conflict` if `corrects` is not an interaction of the same account.
    fn record_interaction(
        &self,
        creditor: CreditorId,
        new: &NewInteraction,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<InteractionId>;

    /// Records a pending promise (rules in the module documentation).
    fn create_promise(
        &self,
        creditor: CreditorId,
        new: &NewPromise,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<PromiseId>;

    /// Settles a pending promise; `Conflict` if it is no longer pending or the resolution
    /// is `pending`.
    fn resolve_promise(
        &self,
        creditor: CreditorId,
        promise: PromiseId,
        resolution: &PromiseResolution,
        actor: &Actor,
    ) -> StoreResult<()>;

    /// Pauses collection on an account; `Conflict` if it ends before it starts.
    fn pause_account(
        &self,
        creditor: CreditorId,
        pause: &NewPause,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<PauseId>;

    /// Records a debtor's consent to contact outside the regular window.
    fn record_consent(
        &self,
        creditor: CreditorId,
        debtor: DebtorId,
        consent: &Consent,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ConsentId>;

    /// The creditor's teams by code, each with its collectors by user id.
    fn teams(&self, creditor: CreditorId) -> StoreResult<Vec<TeamInfo>>;

    /// An account's interactions, oldest first (corrections included).
    fn interactions(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<Interaction>>;

    /// An account's promises, oldest first.
    fn promises(&self, creditor: CreditorId, account: AccountId)
        -> StoreResult<Vec<StoredPromise>>;

    /// An account's pauses, oldest first.
    fn pauses(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<Pause>>;

    /// A debtor's consents, oldest first.
    fn consents(&self, creditor: CreditorId, debtor: DebtorId) -> StoreResult<Vec<Consent>>;
}

/// The stored code of a collector kind.
pub(crate) fn kind_code(kind: CollectorKind) -> &'static str {
    match kind {
        CollectorKind::Desk => "desk",
        CollectorKind::Field => "field",
    }
}

/// Provinces as the comma-separated BPS codes `collectors.provinces` holds.
pub(crate) fn province_list(provinces: &[Province]) -> String {
    provinces
        .iter()
        .map(|p| p.code().to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Checks a promise against the account's outstanding and today (the store checks the
/// pending promise itself); the message says what is wrong.
pub(crate) fn check_promise(
    new: &NewPromise,
    outstanding: Rupiah,
    today: NaiveDate,
) -> StoreResult<()> {
    if !new.amount.is_positive() {
        return Err(StoreError::Conflict(format!(
            "promise amount {} must be more than zero",
            new.amount
        )));
    }
    if new.amount > outstanding {
        return Err(StoreError::Conflict(format!(
            "promise amount {} is more than the account's outstanding {outstanding}",
            new.amount
        )));
    }
    if new.promised_on < today {
        return Err(StoreError::Conflict(format!(
            "promise date {} is before today ({today})",
            new.promised_on
        )));
    }
    Ok(())
}

/// The refusal for a second pending promise.
pub(crate) fn pending_conflict(account: AccountId, existing: i64) -> StoreError {
    StoreError::Conflict(format!(
        "account {account} already has a pending promise ({existing}); resolve or cancel it first"
    ))
}

/// Checks a resolution (never back to pending).
pub(crate) fn check_resolution(resolution: &PromiseResolution) -> StoreResult<()> {
    if resolution.status == PromiseStatus::Pending {
        return Err(StoreError::Conflict(
            "a promise cannot be resolved to pending".to_string(),
        ));
    }
    Ok(())
}

/// Checks a pause's dates.
pub(crate) fn check_pause(pause: &NewPause) -> StoreResult<()> {
    match pause.ends_on {
        Some(end) if end < pause.starts_on => Err(StoreError::Conflict(format!(
            "pause ends on {end}, before it starts ({})",
            pause.starts_on
        ))),
        _ => Ok(()),
    }
}

/// Consent fields in their stored form: channel codes, ISO weekday numbers, window
/// minutes (the inverse of `run::consent_from_parts`).
pub(crate) fn consent_parts(consent: &Consent) -> (String, String, i64, i64) {
    use chrono::Timelike;
    let record = consent.record();
    let channels = record
        .channels
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(",");
    let days = record
        .scope
        .days
        .iter()
        .map(|d| d.number_from_monday().to_string())
        .collect::<Vec<_>>()
        .join(",");
    let minutes = |t: chrono::NaiveTime| i64::from(t.hour() * 60 + t.minute());
    let end = record.scope.window.end;
    let end = if end.hour() == 23 && end.minute() == 59 && end.second() == 59 {
        24 * 60
    } else {
        minutes(end)
    };
    (channels, days, minutes(record.scope.window.start), end)
}
