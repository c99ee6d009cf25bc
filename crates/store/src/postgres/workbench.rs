//! The workbench on PostgreSQL (`migrations/postgres/0004_workbench.sql`): worklists and
//! claims here, contacts, evidence and follow-ups in `contact.rs`; the rules are in
//! `crate::workbench`.
//!
//! Claims: `claims` has one row per account (its primary key), and a claim is written
//! with `INSERT … ON CONFLICT (account_id) DO UPDATE … WHERE` the existing claim has
//! expired (or is the caller's own). Two sessions racing for one account serialise on
//! that key: the second waits for the first to commit, finds a live claim and writes
//! nothing. `next_account` reads the first free accounts (live claims are filtered in
//! SQL, so a mostly claimed queue costs nothing extra) and takes a transaction-level
//! advisory lock on each before claiming it, skipping accounts another session is
//! claiming at that moment; it starts over only when every candidate was taken.

use ::postgres::error::SqlState;
use ::postgres::{GenericClient, Row, Transaction};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sepakat_domain::Rupiah;
use serde_json::json;

use super::codec::{corrupt, get, get_province};
use super::collection::{audit_entry, ensure_account, ensure_user, query_all};
use super::{contact, db_err, PostgresStore};
use crate::workbench::{held_conflict, worklist_sql, zone_days};
use crate::*;

/// How often `next_account` starts over after losing every race before giving up.
const CLAIM_ATTEMPTS: usize = 16;

/// Free accounts `next_account` reads at once: collectors claiming at the same moment
/// spread over these instead of all waiting for the first.
const CANDIDATES: u32 = 32;

fn work_item(row: &Row, now: DateTime<Utc>) -> StoreResult<WorkItem> {
    let province = get_province(row, "province")?;
    let today = province.zone().local(now).date();
    let src: String = get(row, "src")?;
    let source = match src.as_str() {
        "allocated" => WorkSource::Allocated,
        "assigned" => WorkSource::Assigned,
        kind => WorkSource::FollowUp(
            FollowUpKind::parse(kind).ok_or_else(|| corrupt("work source", kind))?,
        ),
    };
    let amount: Option<i64> = get(row, "amount")?;
    let promised_on: Option<NaiveDate> = get(row, "promised_on")?;
    Ok(WorkItem {
        account: AccountId(get(row, "account_id")?),
        account_number: get(row, "account_no")?,
        debtor_name: get(row, "name")?,
        province,
        outstanding: Rupiah::new(get(row, "total_outstanding")?),
        dpd: sepakat_domain::Dpd::as_of(get(row, "oldest_unpaid_due")?, today).days(),
        priority: get(row, "priority")?,
        source,
        due_at: get(row, "due_at")?,
        pending_promise: amount.zip(promised_on).map(|(a, on)| (Rupiah::new(a), on)),
        claimed_by: get::<Option<i64>>(row, "user_id")?.map(UserId),
    })
}

/// The worklist, optionally only accounts nobody holds a live claim on.
pub(super) fn worklist(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    user: UserId,
    now: DateTime<Utc>,
    limit: u32,
    only_free: bool,
) -> StoreResult<Vec<WorkItem>> {
    let sql = worklist_sql(only_free, true);
    let [(wib, wib_0), (wita, wita_0), (wit, wit_0)] = zone_days(now);
    let limit = i64::from(limit);
    query_all(
        client,
        &sql,
        &[
            &creditor.0,
            &user.0,
            &now,
            &wib,
            &wita,
            &wit,
            &wib_0,
            &wita_0,
            &wit_0,
            &limit,
        ],
        "reading a worklist",
        |r| work_item(r, now),
    )
}

fn claim_row(r: &Row) -> StoreResult<Claim> {
    Ok(Claim {
        account: AccountId(get(r, "account_id")?),
        user: UserId(get(r, "user_id")?),
        claimed_at: get(r, "claimed_at")?,
        expires_at: get(r, "expires_at")?,
    })
}

fn live_claim(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    account: AccountId,
    now: DateTime<Utc>,
) -> StoreResult<Option<Claim>> {
    client
        .query_opt(
            "SELECT account_id, user_id, claimed_at, expires_at FROM claims
             WHERE account_id = $1 AND creditor_id = $2 AND expires_at > $3",
            &[&account.0, &creditor.0, &now],
        )
        .map_err(db_err("reading a claim"))?
        .map(|r| claim_row(&r))
        .transpose()
}

/// Whether a failed statement may succeed when the transaction is run again.
fn retryable(e: &::postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(&SqlState::T_R_DEADLOCK_DETECTED) | Some(&SqlState::T_R_SERIALIZATION_FAILURE)
    )
}

/// What taking a claim came to.
enum Take {
    Taken,
    Held,
    Retry,
}

/// Writes the claim over a free or expired row (or the caller's own).
fn take(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    claim: &Claim,
    actor: &Actor,
) -> StoreResult<Take> {
    let written = tx.execute(
        "INSERT INTO claims (account_id, creditor_id, user_id, claimed_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (account_id) DO UPDATE SET
            creditor_id = excluded.creditor_id, user_id = excluded.user_id,
            claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
         WHERE claims.expires_at <= excluded.claimed_at OR claims.user_id = excluded.user_id",
        &[
            &claim.account.0,
            &creditor.0,
            &claim.user.0,
            &claim.claimed_at,
            &claim.expires_at,
        ],
    );
    match written {
        Ok(1) => {
            audit_entry(
                tx,
                creditor,
                claim.claimed_at,
                actor,
                "claim.taken",
                "account",
                claim.account,
                json!({ "user": claim.user, "expires_at": claim.expires_at }),
            )?;
            Ok(Take::Taken)
        }
        Ok(_) => Ok(Take::Held),
        Err(e) if retryable(&e) => Ok(Take::Retry),
        Err(e) => Err(db_err("claiming an account")(e)),
    }
}

fn audit_release(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    account: i64,
    user: UserId,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<()> {
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "claim.released",
        "account",
        account,
        json!({ "user": user }),
    )
}

fn holder_name(client: &mut impl GenericClient, user: UserId) -> StoreResult<String> {
    Ok(client
        .query_opt("SELECT username FROM users WHERE id = $1", &[&user.0])
        .map_err(db_err("reading a user"))?
        .map(|r| get::<String>(&r, "username"))
        .transpose()?
        .unwrap_or_default())
}

/// Whether the account is still free and on the worklist, seen afresh: the candidates
/// were read before this session held the account's lock, and meanwhile another
/// collector may have claimed, worked and released it.
fn still_due(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    user: UserId,
    now: DateTime<Utc>,
    account: AccountId,
) -> StoreResult<bool> {
    let sql = format!(
        "SELECT 1 FROM ({}) w WHERE w.account_id = $11",
        worklist_sql(true, true)
    );
    let [(wib, wib_0), (wita, wita_0), (wit, wit_0)] = zone_days(now);
    let found = tx
        .query_opt(
            &sql,
            &[
                &creditor.0,
                &user.0,
                &now,
                &wib,
                &wita,
                &wit,
                &wib_0,
                &wita_0,
                &wit_0,
                &i64::MAX,
                &account.0,
            ],
        )
        .map_err(db_err("checking an account is still due"))?;
    Ok(found.is_some())
}

/// One attempt of `next_account`: Ok(None) inside means "nothing to claim"; Err(None)
/// means "lost a race, start over".
fn next_attempt(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    user: UserId,
    now: DateTime<Utc>,
    ttl: Duration,
    actor: &Actor,
) -> StoreResult<Option<Option<Claim>>> {
    let released = tx
        .query(
            "DELETE FROM claims WHERE creditor_id = $1 AND user_id = $2
             RETURNING account_id, expires_at",
            &[&creditor.0, &user.0],
        )
        .map_err(db_err("releasing claims"))?;
    for row in released {
        let expires: DateTime<Utc> = get(&row, "expires_at")?;
        if expires > now {
            audit_release(tx, creditor, get(&row, "account_id")?, user, now, actor)?;
        }
    }
    let candidates = worklist(tx, creditor, user, now, CANDIDATES, true)?;
    if candidates.is_empty() {
        return Ok(Some(None));
    }
    for candidate in candidates {
        // Another session claiming the same account right now holds its lock: skip it
        // rather than queue behind it (SKIP LOCKED, for a row that does not exist yet).
        // The two-key lock space (schema, account) does not overlap the one-key locks
        // that migrations take, and schemas (tests, tenants) do not block each other.
        let locked: bool = tx
            .query_one(
                "SELECT pg_try_advisory_xact_lock(
                     hashtext('sepakat.claim.' || coalesce(current_schema(), '')),
                     ($1::bigint % 2147483647)::int)",
                &[&candidate.account.0],
            )
            .map_err(db_err("locking an account to claim"))?
            .try_get(0)
            .map_err(|e| StoreError::Other(format!("reading a lock result: {e}")))?;
        if !locked || !still_due(tx, creditor, user, now, candidate.account)? {
            continue;
        }
        let claim = Claim {
            account: candidate.account,
            user,
            claimed_at: now,
            expires_at: now + ttl,
        };
        match take(tx, creditor, &claim, actor)? {
            Take::Taken => return Ok(Some(Some(claim))),
            // Claimed and committed since the worklist was read: try the next one.
            Take::Held => continue,
            Take::Retry => return Ok(None),
        }
    }
    Ok(None)
}

impl WorkbenchStore for PostgresStore {
    fn collector_worklist(
        &self,
        creditor: CreditorId,
        user: UserId,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<WorkItem>> {
        worklist(&mut *self.conn()?, creditor, user, now, limit, false)
    }

    fn next_account(
        &self,
        creditor: CreditorId,
        user: UserId,
        now: DateTime<Utc>,
        ttl: Duration,
        actor: &Actor,
    ) -> StoreResult<Option<Claim>> {
        let context = "claiming the next account";
        let mut client = self.conn()?;
        {
            let mut tx = client.transaction().map_err(db_err(context))?;
            ensure_user(&mut tx, creditor, user)?;
            tx.rollback().map_err(db_err(context))?;
        }
        for _ in 0..CLAIM_ATTEMPTS {
            let mut tx = client.transaction().map_err(db_err(context))?;
            match next_attempt(&mut tx, creditor, user, now, ttl, actor) {
                Ok(Some(outcome)) => match tx.commit() {
                    Ok(()) => return Ok(outcome),
                    Err(e) if retryable(&e) => continue,
                    Err(e) => return Err(db_err(context)(e)),
                },
                Ok(None) => {
                    tx.rollback().map_err(db_err(context))?;
                }
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Conflict(format!(
            "no account could be claimed after {CLAIM_ATTEMPTS} attempts: too many collectors \
             claiming at once; try again"
        )))
    }

    fn claim_account(
        &self,
        creditor: CreditorId,
        user: UserId,
        account: AccountId,
        now: DateTime<Utc>,
        ttl: Duration,
        actor: &Actor,
    ) -> StoreResult<Claim> {
        let context = "claiming an account";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_account(&mut tx, creditor, account)?;
        ensure_user(&mut tx, creditor, user)?;
        let claim = Claim {
            account,
            user,
            claimed_at: now,
            expires_at: now + ttl,
        };
        match take(&mut tx, creditor, &claim, actor)? {
            Take::Taken => {
                tx.commit().map_err(db_err(context))?;
                Ok(claim)
            }
            Take::Held => match live_claim(&mut tx, creditor, account, now)? {
                Some(held) => {
                    let name = holder_name(&mut tx, held.user)?;
                    Err(held_conflict(account, held.user, &name, held.expires_at))
                }
                None => Err(StoreError::Conflict(format!(
                    "account {account} could not be claimed"
                ))),
            },
            Take::Retry => Err(StoreError::Conflict(format!(
                "account {account} is being claimed by someone else; try again"
            ))),
        }
    }

    fn release_claim(
        &self,
        creditor: CreditorId,
        user: UserId,
        account: AccountId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()> {
        let context = "releasing a claim";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_account(&mut tx, creditor, account)?;
        if let Some(held) = live_claim(&mut tx, creditor, account, now)? {
            if held.user != user {
                let name = holder_name(&mut tx, held.user)?;
                return Err(held_conflict(account, held.user, &name, held.expires_at));
            }
        }
        let removed = tx
            .execute(
                "DELETE FROM claims WHERE account_id = $1 AND creditor_id = $2 AND user_id = $3",
                &[&account.0, &creditor.0, &user.0],
            )
            .map_err(db_err(context))?;
        if removed > 0 {
            audit_release(&mut tx, creditor, account.0, user, now, actor)?;
        }
        tx.commit().map_err(db_err(context))
    }

    fn claim(
        &self,
        creditor: CreditorId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Claim>> {
        live_claim(&mut *self.conn()?, creditor, account, now)
    }

    fn holders(
        &self,
        creditor: CreditorId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> StoreResult<Holders> {
        let context = "reading an account's holders";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_account(&mut tx, creditor, account)?;
        let assignment = tx
            .query_opt(
                "SELECT collector_user_id, team_id FROM account_assignments
                 WHERE account_id = $1 AND creditor_id = $2",
                &[&account.0, &creditor.0],
            )
            .map_err(db_err(context))?;
        let (sticky, team) = match assignment {
            Some(r) => (
                get::<Option<i64>>(&r, "collector_user_id")?,
                get::<Option<i64>>(&r, "team_id")?,
            ),
            None => (None, None),
        };
        let allocated = tx
            .query_opt(
                "SELECT l.collector_user_id FROM run_queues q
                 JOIN run_allocations l ON l.run_id = q.run_id AND l.account_id = $1
                 WHERE q.creditor_id = $2 LIMIT 1",
                &[&account.0, &creditor.0],
            )
            .map_err(db_err(context))?
            .map(|r| get::<i64>(&r, "collector_user_id"))
            .transpose()?;
        let claim = live_claim(&mut tx, creditor, account, now)?;
        tx.commit().map_err(db_err(context))?;
        Ok(Holders {
            claim,
            sticky: sticky.map(UserId),
            allocated: allocated.map(UserId),
            team: team.map(TeamId),
        })
    }

    fn record_contact(
        &self,
        creditor: CreditorId,
        new: &NewContact,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ContactIds> {
        crate::workbench::check_contact(new)?;
        let context = "recording a contact";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let recorded = contact::record(&mut tx, creditor, new, today, now, actor);
        let ids = match recorded {
            Ok(ids) => ids,
            Err(StoreError::Conflict(message)) => {
                drop(tx);
                // The same form submitted twice at once: the loser hits the unique key
                // and returns what the winner stored.
                if let Some(key) = &new.interaction.idempotency_key {
                    if let Some(ids) = contact::by_key(&mut *client, creditor, key)? {
                        return Ok(ids);
                    }
                }
                return Err(StoreError::Conflict(message));
            }
            Err(e) => return Err(e),
        };
        tx.commit().map_err(db_err(context))?;
        Ok(ids)
    }

    fn evidence(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<EvidenceInfo>> {
        contact::evidence(&mut *self.conn()?, creditor, account)
    }

    fn evidence_content(
        &self,
        creditor: CreditorId,
        id: EvidenceId,
    ) -> StoreResult<Option<(EvidenceInfo, Vec<u8>)>> {
        contact::evidence_content(&mut *self.conn()?, creditor, id)
    }

    fn create_follow_up(
        &self,
        creditor: CreditorId,
        follow_up: &NewFollowUp,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<FollowUpId> {
        let context = "creating a follow-up";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_account(&mut tx, creditor, follow_up.account)?;
        let id = contact::insert_follow_up(&mut tx, creditor, follow_up, None, None, now, actor)?;
        tx.commit().map_err(db_err(context))?;
        Ok(id)
    }

    fn complete_follow_up(
        &self,
        creditor: CreditorId,
        id: FollowUpId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()> {
        let context = "completing a follow-up";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        contact::complete_follow_up(&mut tx, creditor, id, now, actor)?;
        tx.commit().map_err(db_err(context))
    }

    fn follow_ups(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<FollowUp>> {
        contact::follow_ups(&mut *self.conn()?, creditor, account)
    }

    fn team_activity(
        &self,
        creditor: CreditorId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<CollectorActivity>> {
        let mut client = self.conn()?;
        let mut rows = contact::activity(&mut *client, creditor, from, to)?;
        for row in &mut rows {
            row.worklist_size =
                worklist(&mut *client, creditor, row.user, now, u32::MAX, false)?.len() as u64;
        }
        Ok(rows)
    }
}
