//! Storage of the nightly run: runs with their lease and report, the action queue each
//! run writes, the collectors' allocations, and the per-creditor pointer to the queue in
//! force. The collector workbench reads its worklists from here (`worklist`).
//!
//! Safety protocol (issue 5): a run writes its queue under its own run id, in chunks,
//! each chunk renewing the run's lease; only `finish_run` flips the creditor's pointer,
//! in one short transaction that also records the promise outcomes. A run killed at any
//! moment therefore leaves the previous queue in force; the next `begin_run` for the
//! creditor marks the dead run abandoned and `prune_runs` deletes its rows. A run whose
//! lease is live refuses a second one (`Conflict`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::compliance::Consent;
use sepakat_domain::strategy::{Action, ArmHasher, Team};
use sepakat_domain::{ProductType, PromiseStatus, Province, Rupiah};

use crate::{
    AccountId, Actor, CreditorId, DebtorId, FollowUpKind, NewFollowUp, StoreResult, UserId,
};

/// A run of the nightly job for one creditor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RunId(pub i64);

impl std::fmt::Display for RunId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Writing its queue (or killed while doing so, until the next run notices).
    Running,
    /// Finished; its queue was put in force (and may since have been superseded).
    Done,
    /// Died or failed before finishing; its queue never took effect.
    Abandoned,
}

impl RunStatus {
    /// `running`, `done`, `abandoned`.
    pub const fn code(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Done => "done",
            RunStatus::Abandoned => "abandoned",
        }
    }

    /// Parses a code.
    pub fn parse(text: &str) -> Option<RunStatus> {
        [RunStatus::Running, RunStatus::Done, RunStatus::Abandoned]
            .into_iter()
            .find(|s| s.code() == text)
    }
}

/// A run about to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun {
    /// The creditor.
    pub creditor: CreditorId,
    /// The date the run plans for.
    pub as_of: NaiveDate,
    /// The strategy's name.
    pub strategy: String,
    /// Who runs it (`host:pid`), so a later run can tell a dead holder.
    pub holder: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// Until when its lease holds unless renewed.
    pub lease_until: DateTime<Utc>,
    /// Who started it, for the audit trail.
    pub actor: Actor,
}

/// A stored run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// Id.
    pub id: RunId,
    /// The creditor.
    pub creditor: CreditorId,
    /// The date planned for.
    pub as_of: NaiveDate,
    /// The strategy's name.
    pub strategy: String,
    /// Status.
    pub status: RunStatus,
    /// Who ran it.
    pub holder: String,
    /// Start.
    pub started_at: DateTime<Utc>,
    /// End, when finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// Actions queued.
    pub actions: u64,
    /// The run report (JSON), when finished.
    pub report: Option<serde_json::Value>,
    /// Whether its queue is the one in force for the creditor.
    pub in_force: bool,
}

/// One open account as the run reads it: compact, in id order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountSnapshot {
    /// The account.
    pub id: AccountId,
    /// Its debtor.
    pub debtor: DebtorId,
    /// The product.
    pub product: ProductType,
    /// Total outstanding.
    pub outstanding: Rupiah,
    /// The oldest unpaid instalment's due date.
    pub oldest_unpaid_due: Option<NaiveDate>,
    /// The debtor's province (decides the time zone).
    pub province: Province,
    /// The team working it (account_assignments), if assigned.
    pub team: Option<i64>,
    /// The collector holding it, if a supervisor assigned one.
    pub collector: Option<UserId>,
    /// The champion/challenger key of the account number (`ArmHasher::key`).
    pub arm_key: u64,
    /// The loan's shape, which scoring reads (`sepakat_domain::scoring::AccountState`).
    pub loan: LoanShape,
}

/// What scoring needs of a loan besides its balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoanShape {
    /// Principal lent.
    pub principal: Rupiah,
    /// The regular instalment.
    pub instalment: Rupiah,
    /// Tenor in months.
    pub tenor_months: u32,
    /// When it was opened.
    pub opened_on: NaiveDate,
    /// The first instalment's due date.
    pub first_due: NaiveDate,
}

impl AccountSnapshot {
    /// The account's state for scoring, as it stands.
    pub fn state(&self) -> sepakat_domain::scoring::AccountState {
        sepakat_domain::scoring::AccountState {
            product: self.product,
            principal: self.loan.principal,
            instalment: self.loan.instalment,
            tenor_months: self.loan.tenor_months,
            opened_on: self.loan.opened_on,
            first_due: self.loan.first_due,
            outstanding: self.outstanding,
            oldest_unpaid_due: self.oldest_unpaid_due,
        }
    }
}

/// A promise the run evaluates: the pending one, or the latest resolved within the
/// look-back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromiseRow {
    /// The promise id.
    pub id: i64,
    /// The account.
    pub account: AccountId,
    /// Amount promised.
    pub amount: Rupiah,
    /// Date promised.
    pub promised_on: NaiveDate,
    /// Paid since it was made.
    pub paid: Rupiah,
    /// Stored status.
    pub status: PromiseStatus,
}

/// One recent interaction (for days since contact, last outcome and attempt counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionRow {
    /// The account.
    pub account: AccountId,
    /// When.
    pub at: DateTime<Utc>,
    /// Channel code.
    pub channel: String,
    /// Outcome code.
    pub outcome: String,
}

/// The small tables a run loads before streaming the accounts.
#[derive(Debug, Clone, Default)]
pub struct RunContext {
    /// Teams with their active collectors, by team id; collectors by user id.
    pub teams: Vec<Team>,
    /// Promises: every pending one and the latest resolved one per account promised on or
    /// after the look-back date; ordered by account, then id.
    pub promises: Vec<PromiseRow>,
    /// Accounts paused on the run's date.
    pub paused: Vec<AccountId>,
    /// Consents in force on the run's date (not revoked, not expired), per debtor.
    pub consents: Vec<(DebtorId, Consent)>,
    /// Interactions since the look-back instant, ordered by account, then time.
    pub interactions: Vec<InteractionRow>,
}

/// One action to queue (borrowed text: rule ids, templates and bucket labels come from
/// the strategy, so writing costs no allocation per row).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewAction<'a> {
    /// The account.
    pub account: AccountId,
    /// 0 champion, 1 challenger.
    pub arm: u8,
    /// The rule's id.
    pub rule: &'a str,
    /// The action.
    pub action: Action,
    /// The template code.
    pub template: Option<&'a str>,
    /// The priority.
    pub priority: f64,
    /// The allowed window (`None`: any time, or not a contact).
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The team working the account.
    pub team: Option<i64>,
    /// DPD on the run's date.
    pub dpd: u32,
    /// The DPD bucket label.
    pub bucket: &'a str,
    /// Kolektibilitas class.
    pub kolektibilitas: u8,
    /// The promise state, if the account has one.
    pub promise: Option<PromiseStatus>,
}

/// A queued action as read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedAction {
    /// The account.
    pub account: AccountId,
    /// 0 champion, 1 challenger.
    pub arm: u8,
    /// The rule's id.
    pub rule: String,
    /// The action.
    pub action: Action,
    /// The template code.
    pub template: Option<String>,
    /// The priority.
    pub priority: f64,
    /// The allowed window.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The team.
    pub team: Option<i64>,
    /// The allocated collector.
    pub collector: Option<UserId>,
    /// DPD.
    pub dpd: u32,
    /// Bucket label.
    pub bucket: String,
    /// Kolektibilitas class.
    pub kolektibilitas: u8,
    /// Promise state.
    pub promise: Option<PromiseStatus>,
}

/// A collector's place for one account in the day's worklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    /// The collector.
    pub collector: UserId,
    /// Position in their worklist (0 = first).
    pub position: u32,
    /// The account.
    pub account: AccountId,
}

/// A promise status the run changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromiseChange {
    /// The promise.
    pub id: i64,
    /// Its account.
    pub account: AccountId,
    /// The new status (the old one is `pending`).
    pub status: PromiseStatus,
    /// For a broken promise: when the next-day call is due (the first allowed call time),
    /// recorded as a `broken_promise` follow-up for the account's team; None when no call
    /// may be made (a paused account) or the promise was not broken.
    pub follow_up_at: Option<DateTime<Utc>>,
}

/// The next-day call a broken promise asks for (the seeds: "follow up on the next day
/// when a deadline is missed"), for whoever works the account's team.
pub(crate) fn broken_promise_follow_up(
    change: &PromiseChange,
    due_at: DateTime<Utc>,
) -> NewFollowUp {
    NewFollowUp {
        kind: FollowUpKind::BrokenPromise,
        account: change.account,
        due_at,
        user: None,
        note: String::new(),
    }
}

/// What `finish_run` records.
#[derive(Debug, Clone, PartialEq)]
pub struct RunFinish {
    /// End time.
    pub finished_at: DateTime<Utc>,
    /// Actions queued.
    pub actions: u64,
    /// The report (JSON).
    pub report: serde_json::Value,
    /// Pending promises the run found kept, partially kept or broken.
    pub promise_changes: Vec<PromiseChange>,
    /// Who ran it.
    pub actor: Actor,
}

/// Whether the holder of a stale-looking run is known to be dead (`host:pid` → bool).
pub type HolderCheck<'a> = &'a dyn Fn(&str) -> bool;

/// The nightly run's storage, a supertrait of `Store`.
pub trait RunStore {
    /// Starts a run: refuses with `Conflict` if another run of the creditor holds a live
    /// lease (not expired at `new.started_at` and its holder not `dead`); otherwise marks
    /// any earlier unfinished run abandoned and records the new one. Audited.
    fn begin_run(&self, new: &NewRun, dead: HolderCheck<'_>) -> StoreResult<RunId>;

    /// Deletes the queue rows of the creditor's runs that are neither running nor in force
    /// (abandoned or superseded); returns how many runs were cleaned.
    fn prune_runs(&self, creditor: CreditorId) -> StoreResult<u64>;

    /// The teams, promises, pauses, consents and recent interactions of a creditor.
    /// `promises_since` bounds resolved promises, `interactions_since` interactions.
    fn run_context(
        &self,
        creditor: CreditorId,
        as_of: NaiveDate,
        promises_since: NaiveDate,
        interactions_since: DateTime<Utc>,
    ) -> StoreResult<RunContext>;

    /// Streams the creditor's open accounts in id order, in batches, to `sink` until it
    /// returns false; returns the number read. `arms` hashes each account number.
    fn scan_open_accounts(
        &self,
        creditor: CreditorId,
        arms: &ArmHasher,
        sink: &mut dyn FnMut(&[AccountSnapshot]) -> bool,
    ) -> StoreResult<u64>;

    /// Appends actions to a running run's queue in one transaction, renewing its lease;
    /// `Conflict` if the run is no longer running (another run took over).
    fn write_actions(
        &self,
        run: RunId,
        actions: &[NewAction<'_>],
        lease_until: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Records the collectors' allocations of a running run.
    fn write_allocations(&self, run: RunId, allocations: &[Allocation]) -> StoreResult<()>;

    /// Finishes a run in one short transaction: applies the promise changes (each
    /// audited; a promise no longer pending is left alone), stores the report and puts
    /// the run's queue in force for its creditor. `Conflict` if it is no longer running.
    fn finish_run(&self, run: RunId, finish: &RunFinish) -> StoreResult<()>;

    /// Marks a running run abandoned (it failed); its rows go at the next prune.
    fn abandon_run(&self, run: RunId, reason: &str, actor: &Actor) -> StoreResult<()>;

    /// One run of a creditor.
    fn run_info(&self, creditor: CreditorId, run: RunId) -> StoreResult<Option<RunInfo>>;

    /// The creditor's runs, newest first.
    fn runs(&self, creditor: CreditorId, limit: u32) -> StoreResult<Vec<RunInfo>>;

    /// The queued actions of a run of the creditor in account order, from account id
    /// `after` (exclusive), at most `limit`.
    fn queued_actions(
        &self,
        creditor: CreditorId,
        run: RunId,
        after: AccountId,
        limit: u32,
    ) -> StoreResult<Vec<QueuedAction>>;

    /// A collector's worklist from the queue in force for the creditor, in order.
    fn worklist(&self, creditor: CreditorId, collector: UserId) -> StoreResult<Vec<QueuedAction>>;
}

/// Rows per `write_actions` call the engine uses: small enough that a SQLite run lets
/// other writers in between chunks, large enough that commits cost little.
pub const ACTION_CHUNK: usize = 32_768;

/// Parses the stored text columns of a collector (both backends store them alike).
pub(crate) fn collector_from_parts(
    user: i64,
    kind: &str,
    capacity: i64,
    provinces: &str,
    languages: &str,
) -> Result<sepakat_domain::strategy::Collector, String> {
    use sepakat_domain::strategy::{Collector, CollectorKind};
    let kind = CollectorKind::parse(kind).ok_or_else(|| format!("collector kind {kind:?}"))?;
    let provinces = provinces
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<u8>()
                .ok()
                .and_then(Province::from_code)
                .ok_or_else(|| format!("collector province {p:?}"))
        })
        .collect::<Result<Vec<Province>, String>>()?;
    let languages = languages
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    Ok(Collector {
        user,
        kind,
        capacity: u32::try_from(capacity).map_err(|_| format!("daily_capacity {capacity}"))?,
        provinces,
        languages,
    })
}

/// The stored fields of a consent, back to a checked `Consent`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn consent_from_parts(
    recorded_by: String,
    recorded_via: &str,
    granted_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    channels: &str,
    days: &str,
    window: (i64, i64),
    holidays: bool,
) -> Result<Consent, String> {
    use chrono::{NaiveTime, Weekday};
    use sepakat_domain::compliance::{Channel, ConsentRecord, ConsentScope, TimeWindow};
    let channel = |c: &str| Channel::parse(c).map_err(|e| e.to_string());
    let minutes = |m: i64| {
        if m == 24 * 60 {
            NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999)
        } else {
            u32::try_from(m)
                .ok()
                .and_then(|m| NaiveTime::from_hms_opt(m / 60, m % 60, 0))
        }
        .ok_or_else(|| format!("consent window minute {m}"))
    };
    let weekday = |d: &str| match d.trim() {
        "1" => Ok(Weekday::Mon),
        "2" => Ok(Weekday::Tue),
        "3" => Ok(Weekday::Wed),
        "4" => Ok(Weekday::Thu),
        "5" => Ok(Weekday::Fri),
        "6" => Ok(Weekday::Sat),
        "7" => Ok(Weekday::Sun),
        other => Err(format!("consent day {other:?}")),
    };
    let record = ConsentRecord {
        recorded_by,
        recorded_via: channel(recorded_via)?,
        granted_at,
        expires_at,
        revoked_at,
        channels: channels
            .split(',')
            .filter(|c| !c.trim().is_empty())
            .map(channel)
            .collect::<Result<_, _>>()?,
        scope: ConsentScope {
            days: days
                .split(',')
                .filter(|d| !d.trim().is_empty())
                .map(weekday)
                .collect::<Result<_, _>>()?,
            window: TimeWindow {
                start: minutes(window.0)?,
                end: minutes(window.1)?,
            },
            holidays,
        },
    };
    Consent::new(record).map_err(|e| e.to_string())
}

/// A product code back to the product, without allocating (the scan calls it per row).
pub(crate) fn product_code(code: &str) -> Option<ProductType> {
    ProductType::ALL.iter().copied().find(|p| p.code() == code)
}

/// Province by BPS code through a table built once (the scan calls it per row).
pub(crate) fn province_code(code: i64) -> Option<Province> {
    static TABLE: std::sync::OnceLock<[Option<Province>; 100]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [None; 100];
        for p in Province::ALL {
            t[usize::from(p.code())] = Some(*p);
        }
        t
    });
    usize::try_from(code)
        .ok()
        .and_then(|i| table.get(i).copied().flatten())
}

/// Groups collector rows (ordered by team, then user) under their teams.
pub(crate) fn group_teams(
    team_ids: Vec<i64>,
    collectors: Vec<(i64, sepakat_domain::strategy::Collector)>,
) -> Vec<Team> {
    let mut teams: Vec<Team> = team_ids
        .into_iter()
        .map(|id| Team {
            id,
            collectors: Vec::new(),
        })
        .collect();
    for (team, c) in collectors {
        if let Some(t) = teams.iter_mut().find(|t| t.id == team) {
            t.collectors.push(c);
        }
    }
    teams
}
