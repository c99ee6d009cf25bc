//! The collection tables on PostgreSQL (`migrations/postgres/0002_collection.sql`): the
//! same rules as SQLite (see `crate::collection`). A pending promise or an idempotency
//! key raced by two sessions ends in the unique index, reported as `Conflict`.

use ::postgres::types::ToSql;
use ::postgres::{GenericClient, Row, Transaction};
use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::compliance::{Channel, Consent, Party};
use sepakat_domain::interaction::{Direction, Outcome, PauseReason, Reason};
use sepakat_domain::strategy::CollectorKind;
use sepakat_domain::{PromiseStatus, Province, Rupiah};
use serde_json::{json, Value};

use super::codec::{corrupt, get};
use super::{audit, db_err, PostgresStore};
use crate::collection::{
    check_pause, check_promise, check_resolution, consent_parts, kind_code, pending_conflict,
    province_list,
};
use crate::run::consent_from_parts;
use crate::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn audit_entry(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    at: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    kind: &str,
    id: impl ToString,
    detail: Value,
) -> StoreResult<()> {
    audit::record(
        tx,
        &NewAudit {
            creditor: Some(creditor),
            at,
            actor: actor.clone(),
            action: action.to_string(),
            entity: EntityRef::new(kind, id),
            detail,
        },
    )
}

pub(super) fn exists(
    client: &mut impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StoreResult<bool> {
    Ok(client
        .query_opt(sql, params)
        .map_err(db_err("checking a reference"))?
        .is_some())
}

/// Ok when `sql` (binding the id, then the creditor) finds a row; otherwise NotFound with
/// `what`: an id of another creditor is as unknown as one that does not exist.
fn ensure(
    tx: &mut Transaction<'_>,
    sql: &str,
    id: i64,
    creditor: CreditorId,
    what: String,
) -> StoreResult<()> {
    if exists(tx, sql, &[&id, &creditor.0])? {
        Ok(())
    } else {
        Err(StoreError::NotFound(what))
    }
}

pub(super) fn ensure_account(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    account: AccountId,
) -> StoreResult<()> {
    let sql = "SELECT 1 FROM accounts WHERE id = $1 AND creditor_id = $2";
    ensure(tx, sql, account.0, creditor, format!("account {account}"))
}

fn ensure_team(tx: &mut Transaction<'_>, creditor: CreditorId, team: TeamId) -> StoreResult<()> {
    let sql = "SELECT 1 FROM teams WHERE id = $1 AND creditor_id = $2";
    ensure(tx, sql, team.0, creditor, format!("team {team}"))
}

pub(super) fn ensure_user(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    user: UserId,
) -> StoreResult<()> {
    let sql = "SELECT 1 FROM user_creditors WHERE user_id = $1 AND creditor_id = $2";
    ensure(tx, sql, user.0, creditor, format!("user {user}"))
}

fn same_account(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    interaction: InteractionId,
    account: AccountId,
) -> StoreResult<bool> {
    exists(
        tx,
        "SELECT 1 FROM interactions WHERE id = $1 AND creditor_id = $2 AND account_id = $3",
        &[&interaction.0, &creditor.0, &account.0],
    )
}

pub(super) fn query_all<T>(
    client: &mut impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    what: &str,
    f: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    client
        .query(sql, params)
        .map_err(db_err(what))?
        .iter()
        .map(f)
        .collect()
}

fn code<T, E>(row: &Row, column: &str, parse: impl Fn(&str) -> Result<T, E>) -> StoreResult<T> {
    let text: String = get(row, column)?;
    parse(&text).map_err(|_| corrupt(column, &text))
}

fn interaction(row: &Row) -> StoreResult<Interaction> {
    let reason: Option<String> = get(row, "reason")?;
    Ok(Interaction {
        id: InteractionId(get(row, "id")?),
        data: NewInteraction {
            account: AccountId(get(row, "account_id")?),
            at: get(row, "at")?,
            user: get::<Option<i64>>(row, "user_id")?.map(UserId),
            channel: code(row, "channel", Channel::parse)?,
            direction: code(row, "direction", Direction::parse)?,
            party: code(row, "party", Party::parse)?,
            outcome: code(row, "outcome", Outcome::parse)?,
            reason: reason
                .map(|r| Reason::parse(&r).map_err(|_| corrupt("reason", &r)))
                .transpose()?,
            notes: get(row, "notes")?,
            corrects: get::<Option<i64>>(row, "corrects")?.map(InteractionId),
            idempotency_key: get(row, "idempotency_key")?,
        },
        created_at: get(row, "created_at")?,
    })
}

fn promise(row: &Row) -> StoreResult<StoredPromise> {
    Ok(StoredPromise {
        id: PromiseId(get(row, "id")?),
        data: NewPromise {
            account: AccountId(get(row, "account_id")?),
            interaction: get::<Option<i64>>(row, "interaction_id")?.map(InteractionId),
            amount: Rupiah::new(get(row, "amount")?),
            promised_on: get(row, "promised_on")?,
            channel: code(row, "channel", Channel::parse)?,
        },
        created_at: get(row, "created_at")?,
        created_by: get::<Option<i64>>(row, "created_by")?.map(UserId),
        paid: Rupiah::new(get(row, "paid_amount")?),
        status: code(row, "status", |s: &str| s.parse::<PromiseStatus>())?,
        resolved_at: get(row, "resolved_at")?,
    })
}

fn to_i32(what: &str, value: u32) -> StoreResult<i32> {
    i32::try_from(value).map_err(|_| StoreError::Conflict(format!("{what} {value} is too large")))
}

/// Logs an interaction in the caller's transaction (no idempotency check): the
/// account, user and corrected interaction must be the creditor's; audited.
pub(super) fn write_interaction(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    new: &NewInteraction,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<InteractionId> {
    let context = "recording an interaction";
    ensure_account(tx, creditor, new.account)?;
    if let Some(user) = new.user {
        ensure_user(tx, creditor, user)?;
    }
    if let Some(corrects) = new.corrects {
        if !same_account(tx, creditor, corrects, new.account)? {
            return Err(StoreError::Conflict(format!(
                "interaction {corrects} is not an interaction of account {}: a correction \
                 must point to one of the same account",
                new.account
            )));
        }
    }
    let row = tx
        .query_one(
            "INSERT INTO interactions (creditor_id, account_id, at, user_id, channel,
                 direction, party, outcome, reason, notes, corrects, idempotency_key,
                 created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             RETURNING id",
            &[
                &creditor.0,
                &new.account.0,
                &new.at,
                &new.user.map(|u| u.0),
                &new.channel.code(),
                &new.direction.code(),
                &new.party.code(),
                &new.outcome.code(),
                &new.reason.map(|r| r.code()),
                &new.notes,
                &new.corrects.map(|c| c.0),
                &new.idempotency_key,
                &now,
            ],
        )
        .map_err(db_err(context))?;
    let id = InteractionId(get(&row, "id")?);
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "interaction.recorded",
        "account",
        new.account,
        json!({ "interaction": id, "channel": new.channel.code(),
                "outcome": new.outcome.code(), "corrects": new.corrects }),
    )?;
    Ok(id)
}

/// Records a pending promise in the caller's transaction (rules in `crate::collection`);
/// audited.
pub(super) fn write_promise(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    new: &NewPromise,
    today: NaiveDate,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<PromiseId> {
    let context = "recording a promise";
    // Locks the account row so two sessions cannot both pass the pending check.
    let row = tx
        .query_opt(
            "SELECT total_outstanding FROM accounts
             WHERE id = $1 AND creditor_id = $2 FOR UPDATE",
            &[&new.account.0, &creditor.0],
        )
        .map_err(db_err(context))?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", new.account)))?;
    check_promise(new, Rupiah::new(get(&row, "total_outstanding")?), today)?;
    if let Some(interaction) = new.interaction {
        if !same_account(tx, creditor, interaction, new.account)? {
            return Err(StoreError::NotFound(format!(
                "interaction {interaction} of account {}",
                new.account
            )));
        }
    }
    if let Some(row) = tx
        .query_opt(
            "SELECT id FROM promises WHERE account_id = $1 AND status = 'pending'",
            &[&new.account.0],
        )
        .map_err(db_err(context))?
    {
        return Err(pending_conflict(new.account, get(&row, "id")?));
    }
    let row = tx
        .query_one(
            "INSERT INTO promises (creditor_id, account_id, interaction_id, amount,
                                   promised_on, channel, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &creditor.0,
                &new.account.0,
                &new.interaction.map(|i| i.0),
                &new.amount.value(),
                &new.promised_on,
                &new.channel.code(),
                &now,
                &actor.user.map(|u| u.0),
            ],
        )
        .map_err(db_err(context))?;
    let id = PromiseId(get(&row, "id")?);
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "promise.created",
        "account",
        new.account,
        json!({ "promise": id, "amount": new.amount.value(),
                "promised_on": new.promised_on }),
    )?;
    Ok(id)
}

impl CollectionStore for PostgresStore {
    fn create_team(
        &self,
        creditor: CreditorId,
        code: &str,
        name: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TeamInfo> {
        let context = "creating a team";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        if exists(
            &mut tx,
            "SELECT 1 FROM teams WHERE creditor_id = $1 AND code = $2",
            &[&creditor.0, &code],
        )? {
            return Err(StoreError::Conflict(format!(
                "team code {code:?} already exists"
            )));
        }
        let row = tx
            .query_one(
                "INSERT INTO teams (creditor_id, code, name) VALUES ($1, $2, $3) RETURNING id",
                &[&creditor.0, &code, &name],
            )
            .map_err(db_err(context))?;
        let id = TeamId(get(&row, "id")?);
        audit_entry(
            &mut tx,
            creditor,
            now,
            actor,
            "team.created",
            "team",
            id,
            json!({ "code": code, "name": name }),
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(TeamInfo {
            id,
            creditor,
            code: code.to_string(),
            name: name.to_string(),
            collectors: Vec::new(),
        })
    }

    fn put_collector(
        &self,
        creditor: CreditorId,
        c: &CollectorInfo,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()> {
        let context = "saving a collector";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_team(&mut tx, creditor, c.team)?;
        ensure_user(&mut tx, creditor, c.user)?;
        tx.execute(
            "INSERT INTO collectors (team_id, user_id, creditor_id, kind, daily_capacity,
                                     provinces, languages, active)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (team_id, user_id) DO UPDATE SET
                kind = excluded.kind, daily_capacity = excluded.daily_capacity,
                provinces = excluded.provinces, languages = excluded.languages,
                active = excluded.active",
            &[
                &c.team.0,
                &c.user.0,
                &creditor.0,
                &kind_code(c.kind),
                &to_i32("daily_capacity", c.daily_capacity)?,
                &province_list(&c.provinces),
                &c.languages.join(","),
                &c.active,
            ],
        )
        .map_err(db_err(context))?;
        audit_entry(
            &mut tx,
            creditor,
            now,
            actor,
            "collector.saved",
            "team",
            c.team,
            json!({ "user": c.user, "kind": kind_code(c.kind),
                    "daily_capacity": c.daily_capacity, "active": c.active }),
        )?;
        tx.commit().map_err(db_err(context))
    }

    fn assign_accounts(
        &self,
        creditor: CreditorId,
        team: TeamId,
        collector: Option<UserId>,
        accounts: &[AccountId],
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<u64> {
        let context = "assigning accounts";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_team(&mut tx, creditor, team)?;
        if let Some(user) = collector {
            ensure_user(&mut tx, creditor, user)?;
        }
        let by = actor.user.map(|u| u.0);
        let held = collector.map(|u| u.0);
        for account in accounts {
            ensure_account(&mut tx, creditor, *account)?;
            tx.execute(
                "INSERT INTO account_assignments (account_id, creditor_id, team_id,
                                                  collector_user_id, assigned_at, assigned_by)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (account_id) DO UPDATE SET
                    team_id = excluded.team_id, collector_user_id = excluded.collector_user_id,
                    assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by",
                &[&account.0, &creditor.0, &team.0, &held, &now, &by],
            )
            .map_err(db_err(context))?;
            audit_entry(
                &mut tx,
                creditor,
                now,
                actor,
                "account.assigned",
                "account",
                account,
                json!({ "team": team, "collector": collector }),
            )?;
        }
        tx.commit().map_err(db_err(context))?;
        Ok(accounts.len() as u64)
    }

    fn record_interaction(
        &self,
        creditor: CreditorId,
        new: &NewInteraction,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<InteractionId> {
        let context = "recording an interaction";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        if let Some(key) = &new.idempotency_key {
            let known = tx
                .query_opt(
                    "SELECT id FROM interactions WHERE creditor_id = $1 AND idempotency_key = $2",
                    &[&creditor.0, key],
                )
                .map_err(db_err(context))?;
            if let Some(row) = known {
                return Ok(InteractionId(get(&row, "id")?));
            }
        }
        let id = write_interaction(&mut tx, creditor, new, now, actor)?;
        tx.commit().map_err(db_err(context))?;
        Ok(id)
    }

    fn create_promise(
        &self,
        creditor: CreditorId,
        new: &NewPromise,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<PromiseId> {
        let context = "recording a promise";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let id = write_promise(&mut tx, creditor, new, today, now, actor)?;
        tx.commit().map_err(db_err(context))?;
        Ok(id)
    }

    fn resolve_promise(
        &self,
        creditor: CreditorId,
        id: PromiseId,
        resolution: &PromiseResolution,
        actor: &Actor,
    ) -> StoreResult<()> {
        check_resolution(resolution)?;
        let context = "resolving a promise";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let row = tx
            .query_opt(
                "SELECT account_id, status FROM promises
                 WHERE id = $1 AND creditor_id = $2 FOR UPDATE",
                &[&id.0, &creditor.0],
            )
            .map_err(db_err(context))?
            .ok_or_else(|| StoreError::NotFound(format!("promise {id}")))?;
        let account: i64 = get(&row, "account_id")?;
        let status: String = get(&row, "status")?;
        if status != "pending" {
            return Err(StoreError::Conflict(format!(
                "promise {id} is already {status}"
            )));
        }
        tx.execute(
            "UPDATE promises SET status = $2, paid_amount = $3, resolved_at = $4 WHERE id = $1",
            &[
                &id.0,
                &resolution.status.code(),
                &resolution.paid.value(),
                &resolution.at,
            ],
        )
        .map_err(db_err(context))?;
        audit_entry(
            &mut tx,
            creditor,
            resolution.at,
            actor,
            "promise.resolved",
            "account",
            account,
            json!({ "promise": id, "status": resolution.status.code(),
                    "paid": resolution.paid.value() }),
        )?;
        tx.commit().map_err(db_err(context))
    }

    fn pause_account(
        &self,
        creditor: CreditorId,
        pause: &NewPause,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<PauseId> {
        check_pause(pause)?;
        let context = "pausing an account";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_account(&mut tx, creditor, pause.account)?;
        let row = tx
            .query_one(
                "INSERT INTO account_pauses (creditor_id, account_id, reason, note, starts_on,
                                             ends_on, created_at, created_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &[
                    &creditor.0,
                    &pause.account.0,
                    &pause.reason.code(),
                    &pause.note,
                    &pause.starts_on,
                    &pause.ends_on,
                    &now,
                    &actor.user.map(|u| u.0),
                ],
            )
            .map_err(db_err(context))?;
        let id = PauseId(get(&row, "id")?);
        audit_entry(
            &mut tx,
            creditor,
            now,
            actor,
            "account.paused",
            "account",
            pause.account,
            json!({ "pause": id, "reason": pause.reason.code(),
                    "starts_on": pause.starts_on, "ends_on": pause.ends_on }),
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(id)
    }

    fn record_consent(
        &self,
        creditor: CreditorId,
        debtor: DebtorId,
        consent: &Consent,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ConsentId> {
        let context = "recording a consent";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        if !exists(
            &mut tx,
            "SELECT 1 FROM debtors WHERE id = $1 AND creditor_id = $2",
            &[&debtor.0, &creditor.0],
        )? {
            return Err(StoreError::NotFound(format!("debtor {debtor}")));
        }
        let record = consent.record();
        let (channels, days, start, end) = consent_parts(consent);
        let row = tx
            .query_one(
                "INSERT INTO consents (creditor_id, debtor_id, recorded_by, recorded_via,
                     granted_at, expires_at, revoked_at, channels, days, window_start,
                     window_end, holidays)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                &[
                    &creditor.0,
                    &debtor.0,
                    &record.recorded_by,
                    &record.recorded_via.code(),
                    &record.granted_at,
                    &record.expires_at,
                    &record.revoked_at,
                    &channels,
                    &days,
                    &(start as i32),
                    &(end as i32),
                    &record.scope.holidays,
                ],
            )
            .map_err(db_err(context))?;
        let id = ConsentId(get(&row, "id")?);
        audit_entry(
            &mut tx,
            creditor,
            now,
            actor,
            "consent.recorded",
            "debtor",
            debtor,
            json!({ "consent": id, "channels": channels, "days": days,
                    "expires_at": record.expires_at }),
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(id)
    }

    fn teams(&self, creditor: CreditorId) -> StoreResult<Vec<TeamInfo>> {
        let context = "reading teams";
        let mut client = self.conn()?;
        let mut teams = query_all(
            &mut *client,
            "SELECT id, code, name FROM teams WHERE creditor_id = $1 ORDER BY code",
            &[&creditor.0],
            context,
            |r| {
                Ok(TeamInfo {
                    id: TeamId(get(r, "id")?),
                    creditor,
                    code: get(r, "code")?,
                    name: get(r, "name")?,
                    collectors: Vec::new(),
                })
            },
        )?;
        let members = query_all(
            &mut *client,
            "SELECT team_id, user_id, kind, daily_capacity, provinces, languages, active
             FROM collectors WHERE creditor_id = $1 ORDER BY team_id, user_id",
            &[&creditor.0],
            context,
            |r| {
                let provinces: String = get(r, "provinces")?;
                let languages: String = get(r, "languages")?;
                let capacity: i32 = get(r, "daily_capacity")?;
                Ok(CollectorInfo {
                    team: TeamId(get(r, "team_id")?),
                    user: UserId(get(r, "user_id")?),
                    kind: code(r, "kind", |k: &str| CollectorKind::parse(k).ok_or(()))?,
                    daily_capacity: u32::try_from(capacity)
                        .map_err(|_| corrupt("daily_capacity", capacity))?,
                    provinces: provinces
                        .split(',')
                        .filter(|p| !p.trim().is_empty())
                        .map(|p| {
                            p.trim()
                                .parse::<u8>()
                                .ok()
                                .and_then(Province::from_code)
                                .ok_or_else(|| corrupt("provinces", p))
                        })
                        .collect::<StoreResult<_>>()?,
                    languages: languages
                        .split(',')
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect(),
                    active: get(r, "active")?,
                })
            },
        )?;
        for m in members {
            if let Some(t) = teams.iter_mut().find(|t| t.id == m.team) {
                t.collectors.push(m);
            }
        }
        Ok(teams)
    }

    fn interactions(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<Interaction>> {
        let mut client = self.conn()?;
        query_all(
            &mut *client,
            "SELECT id, account_id, at, user_id, channel, direction, party, outcome, reason,
                    notes, corrects, idempotency_key, created_at
             FROM interactions WHERE creditor_id = $1 AND account_id = $2 ORDER BY at, id",
            &[&creditor.0, &account.0],
            "reading interactions",
            interaction,
        )
    }

    fn promises(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<StoredPromise>> {
        let mut client = self.conn()?;
        query_all(
            &mut *client,
            "SELECT id, account_id, interaction_id, amount, promised_on, channel, created_at,
                    created_by, paid_amount, status, resolved_at
             FROM promises WHERE creditor_id = $1 AND account_id = $2 ORDER BY id",
            &[&creditor.0, &account.0],
            "reading promises",
            promise,
        )
    }

    fn pauses(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<Pause>> {
        let mut client = self.conn()?;
        query_all(
            &mut *client,
            "SELECT id, account_id, reason, note, starts_on, ends_on, created_at
             FROM account_pauses WHERE creditor_id = $1 AND account_id = $2
             ORDER BY starts_on, id",
            &[&creditor.0, &account.0],
            "reading pauses",
            |r| {
                Ok(Pause {
                    id: PauseId(get(r, "id")?),
                    data: NewPause {
                        account: AccountId(get(r, "account_id")?),
                        reason: code(r, "reason", PauseReason::parse)?,
                        note: get(r, "note")?,
                        starts_on: get(r, "starts_on")?,
                        ends_on: get(r, "ends_on")?,
                    },
                    created_at: get(r, "created_at")?,
                })
            },
        )
    }

    fn consents(&self, creditor: CreditorId, debtor: DebtorId) -> StoreResult<Vec<Consent>> {
        let mut client = self.conn()?;
        query_all(
            &mut *client,
            "SELECT recorded_by, recorded_via, granted_at, expires_at, revoked_at, channels,
                    days, window_start, window_end, holidays
             FROM consents WHERE creditor_id = $1 AND debtor_id = $2 ORDER BY id",
            &[&creditor.0, &debtor.0],
            "reading consents",
            |r| {
                let via: String = get(r, "recorded_via")?;
                let channels: String = get(r, "channels")?;
                let days: String = get(r, "days")?;
                consent_from_parts(
                    get(r, "recorded_by")?,
                    &via,
                    get(r, "granted_at")?,
                    get(r, "expires_at")?,
                    get(r, "revoked_at")?,
                    &channels,
                    &days,
                    (
                        i64::from(get::<i32>(r, "window_start")?),
                        i64::from(get::<i32>(r, "window_end")?),
                    ),
                    get(r, "holidays")?,
                )
                .map_err(|e| corrupt("consent", e))
            },
        )
    }
}
