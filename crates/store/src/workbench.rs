//! Storage of the collector workbench (`migrations/*/0004_workbench.sql`): the worklist a
//! collector works through, claims on accounts ("next account"), a contact logged with
//! its promise, evidence and follow-up in one transaction, follow-up tasks and the team
//! view. Rules and tables: `docs/workbench.md`.
//!
//! Rules every backend keeps (the contract tests in `tests/contract/workbench.rs`):
//! - Two collectors never hold a live claim on the same account, also under concurrent
//!   calls: one row per account in `claims`, written under the backend's lock (SQLite:
//!   `BEGIN IMMEDIATE`; PostgreSQL: the primary key with `INSERT … ON CONFLICT … WHERE
//!   expired`). An expired claim may be taken over. A collector holds one account at a
//!   time through `next_account` (it releases their earlier claim).
//! - A worklist holds each account once: follow-ups due first (broken promise, then
//!   call back, then promise reminder), then the queue's priority. Paused accounts are
//!   left out; so are allocated or assigned accounts already contacted today (an
//!   interaction logged since the debtor's local midnight).
//! - `record_contact` writes the interaction, its promise, evidence and follow-up in
//!   one transaction, or nothing; a repeated idempotency key returns the first ids.
//! - Every call takes the creditor; anything of another creditor is `NotFound`.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::compliance::Channel;
use sepakat_domain::evidence::EvidencePolicy;
use sepakat_domain::{Province, Rupiah, Zone};

use crate::{
    AccountId, Actor, CreditorId, InteractionId, NewInteraction, PromiseId, StoreError,
    StoreResult, TeamId, UserId,
};

use crate::model::id_type;

id_type! {
    FollowUpId: "A follow-up task.",
    EvidenceId: "An evidence file attached to an interaction.",
    ReversalRequestId: "A request to reverse a payment, awaiting a second person.",
}

/// A collector's hold on an account while they work it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The account.
    pub account: AccountId,
    /// The collector holding it.
    pub user: UserId,
    /// When it was taken (or last extended).
    pub claimed_at: DateTime<Utc>,
    /// When it lapses unless extended; after that anyone may take the account.
    pub expires_at: DateTime<Utc>,
}

/// What kind of follow-up task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    /// Call back at a time the debtor asked for.
    CallBack,
    /// Remind the debtor the day before their promise date.
    PromiseReminder,
    /// Call the day after a promise was broken.
    BrokenPromise,
}

impl FollowUpKind {
    /// Every kind, most urgent first.
    pub const ALL: &'static [FollowUpKind] = &[
        FollowUpKind::BrokenPromise,
        FollowUpKind::CallBack,
        FollowUpKind::PromiseReminder,
    ];

    /// `call_back`, `promise_reminder`, `broken_promise`.
    pub const fn code(self) -> &'static str {
        match self {
            FollowUpKind::CallBack => "call_back",
            FollowUpKind::PromiseReminder => "promise_reminder",
            FollowUpKind::BrokenPromise => "broken_promise",
        }
    }

    /// Parses a code.
    pub fn parse(text: &str) -> Option<FollowUpKind> {
        FollowUpKind::ALL.iter().copied().find(|k| k.code() == text)
    }

    /// Rank in a worklist (0 = first): a broken promise before a call back before a
    /// reminder.
    pub const fn rank(self) -> u8 {
        match self {
            FollowUpKind::BrokenPromise => 0,
            FollowUpKind::CallBack => 1,
            FollowUpKind::PromiseReminder => 2,
        }
    }
}

/// Why an account is on a collector's worklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkSource {
    /// The nightly run allocated it to the collector (queue in force).
    Allocated,
    /// A supervisor assigned it to the collector (sticky).
    Assigned,
    /// A follow-up task is due.
    FollowUp(FollowUpKind),
}

/// One account of a worklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    /// The account.
    pub account: AccountId,
    /// Its number.
    pub account_number: String,
    /// The debtor's name.
    pub debtor_name: String,
    /// The debtor's province (decides the zone shown with times).
    pub province: Province,
    /// Total outstanding.
    pub outstanding: Rupiah,
    /// Days past due in the debtor's calendar today.
    pub dpd: u32,
    /// The queue's priority (0 when the account has no queued action).
    pub priority: f64,
    /// Why it is here (the most urgent reason when there are several).
    pub source: WorkSource,
    /// A follow-up's due time, or an allocated action's window start.
    pub due_at: Option<DateTime<Utc>>,
    /// The pending promise (amount, date), if any.
    pub pending_promise: Option<(Rupiah, NaiveDate)>,
    /// Who holds a live claim on it, if anyone.
    pub claimed_by: Option<UserId>,
}

/// Who has a say over an account, for "may this collector touch it".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holders {
    /// A live claim.
    pub claim: Option<Claim>,
    /// The collector it is sticky-assigned to.
    pub sticky: Option<UserId>,
    /// The collector the queue in force allocated it to.
    pub allocated: Option<UserId>,
    /// The team working it.
    pub team: Option<TeamId>,
}

/// A promise made during a contact (account and interaction come from the contact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPromise {
    /// The amount promised.
    pub amount: Rupiah,
    /// The date promised (debtor's calendar).
    pub promised_on: NaiveDate,
    /// The channel the debtor promised over.
    pub channel: Channel,
}

/// An evidence file to store with an interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvidence {
    /// The declared media type (checked against the content).
    pub media_type: String,
    /// The file name as uploaded.
    pub file_name: String,
    /// The content.
    pub bytes: Vec<u8>,
    /// Where it was taken (latitude, longitude), for visit photos.
    pub gps: Option<(f64, f64)>,
    /// When it was taken, if the device said.
    pub captured_at: Option<DateTime<Utc>>,
}

/// A stored evidence file, without its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceInfo {
    /// Id.
    pub id: EvidenceId,
    /// The account.
    pub account: AccountId,
    /// The interaction it documents.
    pub interaction: InteractionId,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Media type.
    pub media_type: String,
    /// File name.
    pub file_name: String,
    /// Size in bytes.
    pub size: u64,
    /// GPS position.
    pub gps: Option<(f64, f64)>,
    /// When it was taken.
    pub captured_at: Option<DateTime<Utc>>,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
}

/// A follow-up task to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewFollowUp {
    /// What kind.
    pub kind: FollowUpKind,
    /// The account.
    pub account: AccountId,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// The collector it is for; None = anyone of the account's team.
    pub user: Option<UserId>,
    /// A note for whoever does it.
    pub note: String,
}

/// A stored follow-up task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// Id.
    pub id: FollowUpId,
    /// What kind.
    pub kind: FollowUpKind,
    /// The account.
    pub account: AccountId,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// The collector it is for.
    pub user: Option<UserId>,
    /// The note.
    pub note: String,
    /// The promise it is about (reminder, broken promise).
    pub promise: Option<PromiseId>,
    /// The interaction that created it.
    pub interaction: Option<InteractionId>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was done.
    pub done_at: Option<DateTime<Utc>>,
}

/// A contact to log: the interaction with what came of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewContact {
    /// The interaction (its idempotency key makes the whole contact idempotent).
    pub interaction: NewInteraction,
    /// A promise to pay made in it.
    pub promise: Option<ContactPromise>,
    /// Evidence files.
    pub evidence: Vec<NewEvidence>,
    /// A follow-up to schedule (e.g. a call back); must be on the same account.
    pub follow_up: Option<NewFollowUp>,
}

/// What `record_contact` stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactIds {
    /// The interaction.
    pub interaction: InteractionId,
    /// The promise.
    pub promise: Option<PromiseId>,
    /// The evidence files, in the order given.
    pub evidence: Vec<EvidenceId>,
    /// The follow-ups created: the one asked for and a promise's reminder.
    pub follow_ups: Vec<FollowUpId>,
}

/// One collector's activity in the team view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectorActivity {
    /// The collector.
    pub user: UserId,
    /// Their login name.
    pub username: String,
    /// Their team.
    pub team: TeamId,
    /// Accounts on their worklist now.
    pub worklist_size: u64,
    /// Interactions they logged in the period.
    pub contacts: u64,
    /// Of those, conversations with the debtor.
    pub right_party_contacts: u64,
    /// Promises they recorded in the period.
    pub promises_made: u64,
    /// Promises they recorded (any time) that were kept in the period.
    pub promises_kept: u64,
}

/// The workbench's storage, a supertrait of `Store`.
pub trait WorkbenchStore {
    /// The collector's work due at `now`, most urgent first, at most `limit` accounts
    /// (rules in the module documentation).
    fn collector_worklist(
        &self,
        creditor: CreditorId,
        user: UserId,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<WorkItem>>;

    /// Atomically releases the collector's earlier claim and claims the first account of
    /// their worklist nobody else holds a live claim on; None when there is none.
    fn next_account(
        &self,
        creditor: CreditorId,
        user: UserId,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
        actor: &Actor,
    ) -> StoreResult<Option<Claim>>;

    /// Claims one account for `ttl`; re-claiming one's own claim extends it. `Conflict`
    /// naming the holder if someone else holds a live claim.
    fn claim_account(
        &self,
        creditor: CreditorId,
        user: UserId,
        account: AccountId,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
        actor: &Actor,
    ) -> StoreResult<Claim>;

    /// Gives up the collector's claim on an account (nothing to do if they hold none);
    /// `Conflict` if someone else holds it.
    fn release_claim(
        &self,
        creditor: CreditorId,
        user: UserId,
        account: AccountId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()>;

    /// The live claim on an account, if any.
    fn claim(
        &self,
        creditor: CreditorId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Claim>>;

    /// Who holds the account in each sense (`NotFound` if not the creditor's).
    fn holders(
        &self,
        creditor: CreditorId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> StoreResult<Holders>;

    /// Logs a contact in one transaction (see `NewContact`): the evidence is checked
    /// against the default `EvidencePolicy` first; a pause covering `today` is `Conflict`;
    /// the promise follows the rules of `CollectionStore::create_promise` and brings a
    /// reminder follow-up (`reminder_due`) when that is still ahead of `now`; follow-ups of
    /// the account due by `now` are marked done by this contact.
    fn record_contact(
        &self,
        creditor: CreditorId,
        contact: &NewContact,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ContactIds>;

    /// An account's evidence files, oldest first.
    fn evidence(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<EvidenceInfo>>;

    /// One evidence file with its content.
    fn evidence_content(
        &self,
        creditor: CreditorId,
        id: EvidenceId,
    ) -> StoreResult<Option<(EvidenceInfo, Vec<u8>)>>;

    /// Creates a follow-up task; `NotFound` if the account or user is not the creditor's.
    fn create_follow_up(
        &self,
        creditor: CreditorId,
        follow_up: &NewFollowUp,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<FollowUpId>;

    /// Marks a follow-up done; `Conflict` if it already is.
    fn complete_follow_up(
        &self,
        creditor: CreditorId,
        id: FollowUpId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()>;

    /// An account's follow-ups, by due time.
    fn follow_ups(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<FollowUp>>;

    /// Per collector of the creditor's teams: worklist size at `now`, and contacts,
    /// right-party contacts, promises made and kept in `[from, to)`.
    fn team_activity(
        &self,
        creditor: CreditorId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<CollectorActivity>>;
}

/// When a promise's reminder is due: 09:00 the day before the promise date, in the
/// debtor's zone.
pub fn reminder_due(promised_on: NaiveDate, zone: Zone) -> DateTime<Utc> {
    let day = promised_on
        .checked_sub_days(Days::new(1))
        .unwrap_or(promised_on);
    local_instant(
        day,
        NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
        zone,
    )
}

/// A wall-clock time in a zone as an instant (the zones have no daylight saving, so
/// every local time exists exactly once).
pub fn local_instant(day: NaiveDate, time: NaiveTime, zone: Zone) -> DateTime<Utc> {
    zone.offset()
        .from_local_datetime(&day.and_time(time))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The local calendar day and the instant of its midnight, per zone (WIB, WITA, WIT), at
/// `now`: what the worklist compares pauses and "contacted today" against.
pub(crate) fn zone_days(now: DateTime<Utc>) -> [(NaiveDate, DateTime<Utc>); 3] {
    [Zone::Wib, Zone::Wita, Zone::Wit].map(|zone| {
        let day = zone.local(now).date();
        (day, local_instant(day, NaiveTime::MIN, zone))
    })
}

/// A SQL expression choosing among three placeholders by the debtor's zone, over the
/// province code column `column`: `CASE WHEN column IN (…WITA…) THEN wita WHEN column IN
/// (…WIT…) THEN wit ELSE wib END`.
pub(crate) fn by_zone(column: &str, wib: &str, wita: &str, wit: &str) -> String {
    let codes = |zone: Zone| {
        Province::ALL
            .iter()
            .filter(|p| p.zone() == zone)
            .map(|p| p.code().to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "(CASE WHEN {column} IN ({}) THEN {wita} WHEN {column} IN ({}) THEN {wit} ELSE {wib} END)",
        codes(Zone::Wita),
        codes(Zone::Wit)
    )
}

/// The worklist query of ?2 at ?3 (`$n` on PostgreSQL), narrowed to accounts nobody
/// holds a live claim on when `only_free`.
/// Placeholders: ?1 creditor, ?2 user, ?3 now, ?4–?6 today (WIB, WITA, WIT), ?7–?9 the
/// local midnights, ?10 limit.
pub(crate) fn worklist_sql(only_free: bool, postgres: bool) -> String {
    let free = if only_free {
        "AND cl.user_id IS NULL"
    } else {
        ""
    };
    // PostgreSQL cannot infer a parameter's type through CASE, so those are cast.
    let p = |n: u8, cast: &str| {
        if postgres {
            format!("${n}{cast}")
        } else {
            format!("?{n}")
        }
    };
    let today = by_zone(
        "d.province",
        &p(4, "::date"),
        &p(5, "::date"),
        &p(6, "::date"),
    );
    let midnight = by_zone(
        "d.province",
        &p(7, "::timestamptz"),
        &p(8, "::timestamptz"),
        &p(9, "::timestamptz"),
    );
    let sql = format!(
        "WITH q AS (SELECT run_id FROM run_queues WHERE creditor_id = ?1),
         cand AS (
            SELECT l.account_id, 'allocated' AS src, 3 AS rank, a.priority, a.window_start AS due_at
            FROM q JOIN run_allocations l ON l.run_id = q.run_id AND l.collector_user_id = ?2
            JOIN run_actions a ON a.run_id = l.run_id AND a.account_id = l.account_id
            UNION ALL
            SELECT s.account_id, 'assigned', 3, COALESCE(a.priority, 0), NULL
            FROM account_assignments s
            LEFT JOIN run_actions a ON a.run_id = (SELECT run_id FROM q) AND a.account_id = s.account_id
            WHERE s.creditor_id = ?1 AND s.collector_user_id = ?2
            UNION ALL
            SELECT f.account_id, f.kind,
                   CASE f.kind WHEN 'broken_promise' THEN 0 WHEN 'call_back' THEN 1 ELSE 2 END,
                   COALESCE(a.priority, 0), f.due_at
            FROM follow_ups f
            LEFT JOIN run_actions a ON a.run_id = (SELECT run_id FROM q) AND a.account_id = f.account_id
            WHERE f.creditor_id = ?1 AND f.done_at IS NULL AND f.due_at <= ?3
              AND (f.user_id = ?2 OR (f.user_id IS NULL AND EXISTS (
                    SELECT 1 FROM account_assignments s
                    JOIN collectors c ON c.team_id = s.team_id AND c.user_id = ?2
                    WHERE s.account_id = f.account_id)))
         ),
         best AS (
            SELECT account_id, src, rank, priority, due_at,
                   ROW_NUMBER() OVER (PARTITION BY account_id
                                      ORDER BY rank, priority DESC, due_at) AS n
            FROM cand
         )
         SELECT b.account_id, acc.account_no, d.name, d.province, acc.total_outstanding,
                acc.oldest_unpaid_due, b.priority, b.src, b.due_at, p.amount, p.promised_on,
                cl.user_id
         FROM best b
         JOIN accounts acc ON acc.id = b.account_id AND acc.creditor_id = ?1
         JOIN debtors d ON d.id = acc.debtor_id
         LEFT JOIN promises p ON p.account_id = b.account_id AND p.status = 'pending'
         LEFT JOIN claims cl ON cl.account_id = b.account_id AND cl.expires_at > ?3
         WHERE b.n = 1 AND acc.status <> 'paid_off' {free}
           AND NOT EXISTS (SELECT 1 FROM account_pauses ps
                           WHERE ps.account_id = b.account_id AND ps.lifted_at IS NULL
                             AND ps.starts_on <= {today}
                             AND (ps.ends_on IS NULL OR ps.ends_on >= {today}))
           AND (b.rank < 3 OR NOT EXISTS (SELECT 1 FROM interactions i
                                          WHERE i.account_id = b.account_id
                                            AND i.at >= {midnight}))
         ORDER BY b.rank, b.priority DESC, b.due_at, b.account_id
         LIMIT ?10"
    );
    if postgres {
        // Placeholders outside the CASE expressions: ?10 before ?1 so it is not split.
        (1..=10).rev().fold(sql, |sql, n| {
            sql.replace(&format!("?{n}"), &format!("${n}"))
        })
    } else {
        sql
    }
}

/// The outcome codes that count as a conversation with the debtor.
pub(crate) fn right_party_codes() -> String {
    sepakat_domain::interaction::Outcome::ALL
        .iter()
        .filter(|o| o.is_right_party())
        .map(|o| format!("'{}'", o.code()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Checks every evidence file of a contact against the default policy; the message
/// names the file and the rule.
pub(crate) fn check_evidence(evidence: &[NewEvidence]) -> StoreResult<()> {
    let policy = EvidencePolicy::default();
    for e in evidence {
        policy
            .check(&e.file_name, &e.media_type, &e.bytes, e.gps)
            .map_err(|err| StoreError::Conflict(err.to_string()))?;
    }
    Ok(())
}

/// SHA-256 of a file, hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// The refusal for a contact on a paused account.
pub(crate) fn paused_conflict(account: AccountId, reason: &str, today: NaiveDate) -> StoreError {
    StoreError::Conflict(format!(
        "account {account} is paused ({reason}) on {today}: no contact may be logged"
    ))
}

/// The refusal for an account someone else holds.
pub(crate) fn held_conflict(
    account: AccountId,
    holder: UserId,
    name: &str,
    until: DateTime<Utc>,
) -> StoreError {
    StoreError::Conflict(format!(
        "account {account} is held by user {holder} ({name}) until {until}"
    ))
}

/// Checks that a contact's follow-up is on the contact's account.
pub(crate) fn check_contact(contact: &NewContact) -> StoreResult<()> {
    if let Some(f) = &contact.follow_up {
        if f.account != contact.interaction.account {
            return Err(StoreError::Conflict(format!(
                "the follow-up is for account {}, the contact for account {}",
                f.account, contact.interaction.account
            )));
        }
    }
    check_evidence(&contact.evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reminder_is_due_at_nine_the_day_before_in_the_debtors_zone() {
        let on: NaiveDate = "2026-12-01".parse().expect("date");
        assert_eq!(
            reminder_due(on, Zone::Wita).to_rfc3339(),
            "2026-11-30T01:00:00+00:00"
        );
        assert_eq!(
            reminder_due(on, Zone::Wib).to_rfc3339(),
            "2026-11-30T02:00:00+00:00"
        );
    }

    #[test]
    fn follow_up_kinds_round_trip_and_rank_broken_first() {
        for k in FollowUpKind::ALL {
            assert_eq!(FollowUpKind::parse(k.code()), Some(*k));
        }
        assert!(FollowUpKind::BrokenPromise.rank() < FollowUpKind::CallBack.rank());
        assert!(FollowUpKind::CallBack.rank() < FollowUpKind::PromiseReminder.rank());
    }
}
