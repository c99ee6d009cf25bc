//! The workbench on SQLite (`migrations/sqlite/0004_workbench.sql`): worklists and claims
//! here, contacts, evidence and follow-ups in `contact.rs`; the rules are in
//! `crate::workbench`.
//!
//! Claims need no extra locking: every write runs in one `BEGIN IMMEDIATE` transaction
//! on the single writer connection, so "find the first free account and claim it" is
//! atomic, also against other processes on the same file. The free account is found by
//! the worklist query itself (`NOT EXISTS` a live claim), so a queue that is mostly
//! claimed costs one query, not one retry per claimed row.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::json;

use sepakat_domain::Rupiah;

use super::codec::{day, instant, province, to_instant, to_opt_day};
use super::collection::{audit_entry, collect, ensure_account, ensure_user};
use super::{contact, SqliteStore};
use crate::workbench::{held_conflict, worklist_sql, zone_days};
use crate::*;

fn work_item(row: &Row, now: DateTime<Utc>) -> StoreResult<WorkItem> {
    let province = province(row.get(3)?)?;
    let today = province.zone().local(now).date();
    let src: String = row.get(7)?;
    let source = match src.as_str() {
        "allocated" => WorkSource::Allocated,
        "assigned" => WorkSource::Assigned,
        kind => WorkSource::FollowUp(
            FollowUpKind::parse(kind).ok_or_else(|| super::codec::corrupt("work source", kind))?,
        ),
    };
    let promise = match (
        row.get::<_, Option<i64>>(9)?,
        row.get::<_, Option<i64>>(10)?,
    ) {
        (Some(amount), Some(on)) => Some((Rupiah::new(amount), super::codec::to_day(on)?)),
        _ => None,
    };
    Ok(WorkItem {
        account: AccountId(row.get(0)?),
        account_number: row.get(1)?,
        debtor_name: row.get(2)?,
        province,
        outstanding: Rupiah::new(row.get(4)?),
        dpd: sepakat_domain::Dpd::as_of(to_opt_day(row.get(5)?)?, today).days(),
        priority: row.get(6)?,
        source,
        due_at: row.get::<_, Option<i64>>(8)?.map(to_instant).transpose()?,
        pending_promise: promise,
        claimed_by: row.get::<_, Option<i64>>(11)?.map(UserId),
    })
}

/// The worklist, optionally only accounts nobody holds a live claim on.
pub(super) fn worklist(
    conn: &Connection,
    creditor: CreditorId,
    user: UserId,
    now: DateTime<Utc>,
    limit: u32,
    only_free: bool,
) -> StoreResult<Vec<WorkItem>> {
    let sql = worklist_sql(only_free, false);
    let [(wib, wib_0), (wita, wita_0), (wit, wit_0)] = zone_days(now);
    collect(
        conn,
        &sql,
        params![
            creditor.0,
            user.0,
            instant(now),
            day(wib),
            day(wita),
            day(wit),
            instant(wib_0),
            instant(wita_0),
            instant(wit_0),
            limit
        ],
        |r| work_item(r, now),
    )
}

fn claim_row(r: &Row) -> StoreResult<Claim> {
    Ok(Claim {
        account: AccountId(r.get(0)?),
        user: UserId(r.get(1)?),
        claimed_at: to_instant(r.get(2)?)?,
        expires_at: to_instant(r.get(3)?)?,
    })
}

/// The live claim on an account of the creditor.
fn live_claim(
    conn: &Connection,
    creditor: CreditorId,
    account: AccountId,
    now: DateTime<Utc>,
) -> StoreResult<Option<Claim>> {
    conn.prepare_cached(
        "SELECT account_id, user_id, claimed_at, expires_at FROM claims
         WHERE account_id = ?1 AND creditor_id = ?2 AND expires_at > ?3",
    )?
    .query_row(params![account.0, creditor.0, instant(now)], |r| {
        Ok(claim_row(r))
    })
    .optional()?
    .transpose()
}

/// Writes the claim (a free or expired row only); false if someone holds it live.
fn take(tx: &Transaction, creditor: CreditorId, claim: &Claim, actor: &Actor) -> StoreResult<bool> {
    let changed = tx
        .prepare_cached(
            "INSERT INTO claims (account_id, creditor_id, user_id, claimed_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (account_id) DO UPDATE SET
                creditor_id = excluded.creditor_id, user_id = excluded.user_id,
                claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
             WHERE claims.expires_at <= excluded.claimed_at OR claims.user_id = excluded.user_id",
        )?
        .execute(params![
            claim.account.0,
            creditor.0,
            claim.user.0,
            instant(claim.claimed_at),
            instant(claim.expires_at)
        ])?;
    if changed == 1 {
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
    }
    Ok(changed == 1)
}

fn audit_release(
    tx: &Transaction,
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

fn holder_name(conn: &Connection, user: UserId) -> StoreResult<String> {
    Ok(conn
        .prepare_cached("SELECT username FROM users WHERE id = ?1")?
        .query_row([user.0], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

impl WorkbenchStore for SqliteStore {
    fn collector_worklist(
        &self,
        creditor: CreditorId,
        user: UserId,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<WorkItem>> {
        self.read(|c| worklist(c, creditor, user, now, limit, false))
    }

    fn next_account(
        &self,
        creditor: CreditorId,
        user: UserId,
        now: DateTime<Utc>,
        ttl: Duration,
        actor: &Actor,
    ) -> StoreResult<Option<Claim>> {
        self.write(|tx| {
            ensure_user(tx, creditor, user)?;
            let released = collect(
                tx,
                "DELETE FROM claims WHERE creditor_id = ?1 AND user_id = ?2
                 RETURNING account_id, expires_at",
                params![creditor.0, user.0],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )?;
            for (account, expires) in released {
                if expires > instant(now) {
                    audit_release(tx, creditor, account, user, now, actor)?;
                }
            }
            let Some(first) = worklist(tx, creditor, user, now, 1, true)?
                .into_iter()
                .next()
            else {
                return Ok(None);
            };
            let claim = Claim {
                account: first.account,
                user,
                claimed_at: now,
                expires_at: now + ttl,
            };
            if take(tx, creditor, &claim, actor)? {
                Ok(Some(claim))
            } else {
                // Cannot happen under the write lock; refuse rather than double-claim.
                Err(StoreError::Conflict(format!(
                    "account {} was claimed concurrently",
                    claim.account
                )))
            }
        })
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
        self.write(|tx| {
            ensure_account(tx, creditor, account)?;
            ensure_user(tx, creditor, user)?;
            let claim = Claim {
                account,
                user,
                claimed_at: now,
                expires_at: now + ttl,
            };
            if take(tx, creditor, &claim, actor)? {
                return Ok(claim);
            }
            match live_claim(tx, creditor, account, now)? {
                Some(held) => Err(held_conflict(
                    account,
                    held.user,
                    &holder_name(tx, held.user)?,
                    held.expires_at,
                )),
                None => Err(StoreError::Conflict(format!(
                    "account {account} could not be claimed"
                ))),
            }
        })
    }

    fn release_claim(
        &self,
        creditor: CreditorId,
        user: UserId,
        account: AccountId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()> {
        self.write(|tx| {
            ensure_account(tx, creditor, account)?;
            if let Some(held) = live_claim(tx, creditor, account, now)? {
                if held.user != user {
                    return Err(held_conflict(
                        account,
                        held.user,
                        &holder_name(tx, held.user)?,
                        held.expires_at,
                    ));
                }
            }
            let removed = tx
                .prepare_cached(
                    "DELETE FROM claims WHERE account_id = ?1 AND creditor_id = ?2
                     AND user_id = ?3",
                )?
                .execute(params![account.0, creditor.0, user.0])?;
            if removed > 0 {
                audit_release(tx, creditor, account.0, user, now, actor)?;
            }
            Ok(())
        })
    }

    fn claim(
        &self,
        creditor: CreditorId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Claim>> {
        self.read(|c| live_claim(c, creditor, account, now))
    }

    fn holders(
        &self,
        creditor: CreditorId,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> StoreResult<Holders> {
        self.read(|c| {
            ensure_account(c, creditor, account)?;
            let (sticky, team) = c
                .prepare_cached(
                    "SELECT collector_user_id, team_id FROM account_assignments
                     WHERE account_id = ?1 AND creditor_id = ?2",
                )?
                .query_row(params![account.0, creditor.0], |r| {
                    Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?))
                })
                .optional()?
                .unwrap_or((None, None));
            let allocated = c
                .prepare_cached(
                    "SELECT l.collector_user_id FROM run_queues q
                     JOIN run_allocations l ON l.run_id = q.run_id AND l.account_id = ?1
                     WHERE q.creditor_id = ?2 LIMIT 1",
                )?
                .query_row(params![account.0, creditor.0], |r| r.get::<_, i64>(0))
                .optional()?;
            Ok(Holders {
                claim: live_claim(c, creditor, account, now)?,
                sticky: sticky.map(UserId),
                allocated: allocated.map(UserId),
                team: team.map(TeamId),
            })
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
        self.write(|tx| contact::record(tx, creditor, new, today, now, actor))
    }

    fn evidence(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<EvidenceInfo>> {
        self.read(|c| contact::evidence(c, creditor, account))
    }

    fn evidence_content(
        &self,
        creditor: CreditorId,
        id: EvidenceId,
    ) -> StoreResult<Option<(EvidenceInfo, Vec<u8>)>> {
        self.read(|c| contact::evidence_content(c, creditor, id))
    }

    fn create_follow_up(
        &self,
        creditor: CreditorId,
        follow_up: &NewFollowUp,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<FollowUpId> {
        self.write(|tx| {
            ensure_account(tx, creditor, follow_up.account)?;
            contact::insert_follow_up(tx, creditor, follow_up, None, None, now, actor)
        })
    }

    fn complete_follow_up(
        &self,
        creditor: CreditorId,
        id: FollowUpId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()> {
        self.write(|tx| contact::complete_follow_up(tx, creditor, id, now, actor))
    }

    fn follow_ups(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<FollowUp>> {
        self.read(|c| contact::follow_ups(c, creditor, account))
    }

    fn team_activity(
        &self,
        creditor: CreditorId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<CollectorActivity>> {
        self.read(|c| {
            let mut rows = contact::activity(c, creditor, from, to)?;
            for row in &mut rows {
                row.worklist_size =
                    worklist(c, creditor, row.user, now, u32::MAX, false)?.len() as u64;
            }
            Ok(rows)
        })
    }
}
