//! The collection tables on SQLite (`migrations/sqlite/0002_collection.sql`); the rules
//! are in `crate::collection`. Every statement names the creditor, so a row of another
//! creditor is simply not found.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use sepakat_domain::compliance::{Channel, Consent, Party};
use sepakat_domain::interaction::{Direction, Outcome, PauseReason, Reason};
use sepakat_domain::strategy::CollectorKind;
use sepakat_domain::{PromiseStatus, Province, Rupiah};
use serde_json::{json, Value};

use super::audit;
use super::codec::{corrupt, day, instant, opt_day, to_day, to_instant, to_opt_day};
use super::SqliteStore;
use crate::collection::{
    check_pause, check_promise, check_resolution, consent_parts, kind_code, pending_conflict,
    province_list,
};
use crate::run::consent_from_parts;
use crate::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn audit_entry(
    tx: &Transaction,
    creditor: CreditorId,
    at: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    kind: &str,
    id: impl ToString,
    detail: Value,
) -> StoreResult<()> {
    audit::write(
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

/// Ok when `sql` (binding the id, then the creditor) finds a row; otherwise NotFound with
/// `what`: an id of another creditor is as unknown as one that does not exist.
fn ensure(
    conn: &Connection,
    sql: &str,
    id: i64,
    creditor: CreditorId,
    what: String,
) -> StoreResult<()> {
    let found = conn
        .prepare_cached(sql)?
        .query_row(params![id, creditor.0], |_| Ok(()))
        .optional()?;
    found.ok_or(StoreError::NotFound(what))
}

pub(super) fn ensure_account(
    conn: &Connection,
    creditor: CreditorId,
    account: AccountId,
) -> StoreResult<()> {
    let sql = "SELECT 1 FROM accounts WHERE id = ?1 AND creditor_id = ?2";
    ensure(conn, sql, account.0, creditor, format!("account {account}"))
}

fn ensure_team(conn: &Connection, creditor: CreditorId, team: TeamId) -> StoreResult<()> {
    let sql = "SELECT 1 FROM teams WHERE id = ?1 AND creditor_id = ?2";
    ensure(conn, sql, team.0, creditor, format!("team {team}"))
}

pub(super) fn ensure_user(
    conn: &Connection,
    creditor: CreditorId,
    user: UserId,
) -> StoreResult<()> {
    let sql = "SELECT 1 FROM user_creditors WHERE user_id = ?1 AND creditor_id = ?2";
    ensure(conn, sql, user.0, creditor, format!("user {user}"))
}

pub(super) fn collect<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(f(row)?);
    }
    Ok(out)
}

fn code<T, E>(what: &str, text: String, parse: impl Fn(&str) -> Result<T, E>) -> StoreResult<T> {
    parse(&text).map_err(|_| corrupt(what, text))
}

const INTERACTION_COLUMNS: &str = "id, account_id, at, user_id, channel, direction, party,
     outcome, reason, notes, corrects, idempotency_key, created_at";

fn interaction(row: &Row) -> StoreResult<Interaction> {
    Ok(Interaction {
        id: InteractionId(row.get(0)?),
        data: NewInteraction {
            account: AccountId(row.get(1)?),
            at: to_instant(row.get(2)?)?,
            user: row.get::<_, Option<i64>>(3)?.map(UserId),
            channel: code("channel", row.get(4)?, Channel::parse)?,
            direction: code("direction", row.get(5)?, Direction::parse)?,
            party: code("party", row.get(6)?, Party::parse)?,
            outcome: code("outcome", row.get(7)?, Outcome::parse)?,
            reason: row
                .get::<_, Option<String>>(8)?
                .map(|r| code("reason", r, Reason::parse))
                .transpose()?,
            notes: row.get(9)?,
            corrects: row.get::<_, Option<i64>>(10)?.map(InteractionId),
            idempotency_key: row.get(11)?,
        },
        created_at: to_instant(row.get(12)?)?,
    })
}

fn promise(row: &Row) -> StoreResult<StoredPromise> {
    Ok(StoredPromise {
        id: PromiseId(row.get(0)?),
        data: NewPromise {
            account: AccountId(row.get(1)?),
            interaction: row.get::<_, Option<i64>>(2)?.map(InteractionId),
            amount: Rupiah::new(row.get(3)?),
            promised_on: to_day(row.get(4)?)?,
            channel: code("channel", row.get(5)?, Channel::parse)?,
        },
        created_at: to_instant(row.get(6)?)?,
        created_by: row.get::<_, Option<i64>>(7)?.map(UserId),
        paid: Rupiah::new(row.get(8)?),
        status: code("promise status", row.get(9)?, |s: &str| {
            s.parse::<PromiseStatus>()
        })?,
        resolved_at: row.get::<_, Option<i64>>(10)?.map(to_instant).transpose()?,
    })
}

/// Logs an interaction in the caller's transaction (no idempotency check): the
/// account, user and corrected interaction must be the creditor's; audited.
pub(super) fn write_interaction(
    tx: &Transaction,
    creditor: CreditorId,
    new: &NewInteraction,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<InteractionId> {
    ensure_account(tx, creditor, new.account)?;
    if let Some(user) = new.user {
        ensure_user(tx, creditor, user)?;
    }
    if let Some(corrects) = new.corrects {
        let same = tx
            .prepare_cached(
                "SELECT 1 FROM interactions
                 WHERE id = ?1 AND creditor_id = ?2 AND account_id = ?3",
            )?
            .query_row(params![corrects.0, creditor.0, new.account.0], |_| Ok(()))
            .optional()?;
        if same.is_none() {
            return Err(StoreError::Conflict(format!(
                "interaction {corrects} is not an interaction of account {}: a correction \
                 must point to one of the same account",
                new.account
            )));
        }
    }
    tx.prepare_cached(
        "INSERT INTO interactions (creditor_id, account_id, at, user_id, channel,
             direction, party, outcome, reason, notes, corrects, idempotency_key,
             created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        creditor.0,
        new.account.0,
        instant(new.at),
        new.user.map(|u| u.0),
        new.channel.code(),
        new.direction.code(),
        new.party.code(),
        new.outcome.code(),
        new.reason.map(|r| r.code()),
        new.notes,
        new.corrects.map(|c| c.0),
        new.idempotency_key,
        instant(now)
    ])?;
    let id = InteractionId(tx.last_insert_rowid());
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
    tx: &Transaction,
    creditor: CreditorId,
    new: &NewPromise,
    today: NaiveDate,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<PromiseId> {
    let outstanding = tx
        .prepare_cached(
            "SELECT total_outstanding FROM accounts WHERE id = ?1 AND creditor_id = ?2",
        )?
        .query_row(params![new.account.0, creditor.0], |r| r.get::<_, i64>(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", new.account)))?;
    check_promise(new, Rupiah::new(outstanding), today)?;
    if let Some(interaction) = new.interaction {
        let same = tx
            .prepare_cached(
                "SELECT 1 FROM interactions
                 WHERE id = ?1 AND creditor_id = ?2 AND account_id = ?3",
            )?
            .query_row(
                params![interaction.0, creditor.0, new.account.0],
                |_| Ok(()),
            )
            .optional()?;
        if same.is_none() {
            return Err(StoreError::NotFound(format!(
                "interaction {interaction} of account {}",
                new.account
            )));
        }
    }
    let pending = tx
        .prepare_cached("SELECT id FROM promises WHERE account_id = ?1 AND status = 'pending'")?
        .query_row([new.account.0], |r| r.get::<_, i64>(0))
        .optional()?;
    if let Some(existing) = pending {
        return Err(pending_conflict(new.account, existing));
    }
    tx.prepare_cached(
        "INSERT INTO promises (creditor_id, account_id, interaction_id, amount,
                               promised_on, channel, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        creditor.0,
        new.account.0,
        new.interaction.map(|i| i.0),
        new.amount.value(),
        day(new.promised_on),
        new.channel.code(),
        instant(now),
        actor.user.map(|u| u.0)
    ])?;
    let id = PromiseId(tx.last_insert_rowid());
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

impl CollectionStore for SqliteStore {
    fn create_team(
        &self,
        creditor: CreditorId,
        code: &str,
        name: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TeamInfo> {
        self.write(|tx| {
            let exists = tx
                .prepare_cached("SELECT id FROM teams WHERE creditor_id = ?1 AND code = ?2")?
                .query_row(params![creditor.0, code], |r| r.get::<_, i64>(0))
                .optional()?;
            if exists.is_some() {
                return Err(StoreError::Conflict(format!(
                    "team code {code:?} already exists"
                )));
            }
            tx.prepare_cached("INSERT INTO teams (creditor_id, code, name) VALUES (?1, ?2, ?3)")?
                .execute(params![creditor.0, code, name])?;
            let id = TeamId(tx.last_insert_rowid());
            audit_entry(
                tx,
                creditor,
                now,
                actor,
                "team.created",
                "team",
                id,
                json!({ "code": code, "name": name }),
            )?;
            Ok(TeamInfo {
                id,
                creditor,
                code: code.to_string(),
                name: name.to_string(),
                collectors: Vec::new(),
            })
        })
    }

    fn put_collector(
        &self,
        creditor: CreditorId,
        c: &CollectorInfo,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<()> {
        self.write(|tx| {
            ensure_team(tx, creditor, c.team)?;
            ensure_user(tx, creditor, c.user)?;
            tx.prepare_cached(
                "INSERT INTO collectors (team_id, user_id, creditor_id, kind, daily_capacity,
                                         provinces, languages, active)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (team_id, user_id) DO UPDATE SET
                    kind = excluded.kind, daily_capacity = excluded.daily_capacity,
                    provinces = excluded.provinces, languages = excluded.languages,
                    active = excluded.active",
            )?
            .execute(params![
                c.team.0,
                c.user.0,
                creditor.0,
                kind_code(c.kind),
                c.daily_capacity,
                province_list(&c.provinces),
                c.languages.join(","),
                c.active
            ])?;
            audit_entry(
                tx,
                creditor,
                now,
                actor,
                "collector.saved",
                "team",
                c.team,
                json!({ "user": c.user, "kind": kind_code(c.kind),
                        "daily_capacity": c.daily_capacity, "active": c.active }),
            )
        })
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
        self.write(|tx| {
            ensure_team(tx, creditor, team)?;
            if let Some(user) = collector {
                ensure_user(tx, creditor, user)?;
            }
            for account in accounts {
                ensure_account(tx, creditor, *account)?;
                tx.prepare_cached(
                    "INSERT INTO account_assignments (account_id, creditor_id, team_id,
                                                      collector_user_id, assigned_at, assigned_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (account_id) DO UPDATE SET
                        team_id = excluded.team_id, collector_user_id = excluded.collector_user_id,
                        assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by",
                )?
                .execute(params![
                    account.0,
                    creditor.0,
                    team.0,
                    collector.map(|u| u.0),
                    instant(now),
                    actor.user.map(|u| u.0)
                ])?;
                audit_entry(
                    tx,
                    creditor,
                    now,
                    actor,
                    "account.assigned",
                    "account",
                    account,
                    json!({ "team": team, "collector": collector }),
                )?;
            }
            Ok(accounts.len() as u64)
        })
    }

    fn record_interaction(
        &self,
        creditor: CreditorId,
        new: &NewInteraction,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<InteractionId> {
        self.write(|tx| {
            if let Some(key) = &new.idempotency_key {
                let known = tx
                    .prepare_cached(
                        "SELECT id FROM interactions WHERE creditor_id = ?1 AND idempotency_key = ?2",
                    )?
                    .query_row(params![creditor.0, key], |r| r.get::<_, i64>(0))
                    .optional()?;
                if let Some(id) = known {
                    return Ok(InteractionId(id));
                }
            }
            write_interaction(tx, creditor, new, now, actor)
        })
    }

    fn create_promise(
        &self,
        creditor: CreditorId,
        new: &NewPromise,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<PromiseId> {
        self.write(|tx| write_promise(tx, creditor, new, today, now, actor))
    }

    fn resolve_promise(
        &self,
        creditor: CreditorId,
        id: PromiseId,
        resolution: &PromiseResolution,
        actor: &Actor,
    ) -> StoreResult<()> {
        check_resolution(resolution)?;
        self.write(|tx| {
            let (account, status): (i64, String) = tx
                .prepare_cached(
                    "SELECT account_id, status FROM promises WHERE id = ?1 AND creditor_id = ?2",
                )?
                .query_row(params![id.0, creditor.0], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("promise {id}")))?;
            if status != "pending" {
                return Err(StoreError::Conflict(format!(
                    "promise {id} is already {status}"
                )));
            }
            tx.prepare_cached(
                "UPDATE promises SET status = ?2, paid_amount = ?3, resolved_at = ?4 WHERE id = ?1",
            )?
            .execute(params![
                id.0,
                resolution.status.code(),
                resolution.paid.value(),
                instant(resolution.at)
            ])?;
            audit_entry(
                tx,
                creditor,
                resolution.at,
                actor,
                "promise.resolved",
                "account",
                account,
                json!({ "promise": id, "status": resolution.status.code(),
                                 "paid": resolution.paid.value() }),
            )
        })
    }

    fn pause_account(
        &self,
        creditor: CreditorId,
        pause: &NewPause,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<PauseId> {
        check_pause(pause)?;
        self.write(|tx| {
            ensure_account(tx, creditor, pause.account)?;
            tx.prepare_cached(
                "INSERT INTO account_pauses (creditor_id, account_id, reason, note, starts_on,
                                             ends_on, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                creditor.0,
                pause.account.0,
                pause.reason.code(),
                pause.note,
                day(pause.starts_on),
                opt_day(pause.ends_on),
                instant(now),
                actor.user.map(|u| u.0)
            ])?;
            let id = PauseId(tx.last_insert_rowid());
            audit_entry(
                tx,
                creditor,
                now,
                actor,
                "account.paused",
                "account",
                pause.account,
                json!({ "pause": id, "reason": pause.reason.code(),
                        "starts_on": pause.starts_on, "ends_on": pause.ends_on }),
            )?;
            Ok(id)
        })
    }

    fn record_consent(
        &self,
        creditor: CreditorId,
        debtor: DebtorId,
        consent: &Consent,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ConsentId> {
        self.write(|tx| {
            let found = tx
                .prepare_cached("SELECT 1 FROM debtors WHERE id = ?1 AND creditor_id = ?2")?
                .query_row(params![debtor.0, creditor.0], |_| Ok(()))
                .optional()?;
            found.ok_or_else(|| StoreError::NotFound(format!("debtor {debtor}")))?;
            let record = consent.record();
            let (channels, days, start, end) = consent_parts(consent);
            tx.prepare_cached(
                "INSERT INTO consents (creditor_id, debtor_id, recorded_by, recorded_via,
                     granted_at, expires_at, revoked_at, channels, days, window_start,
                     window_end, holidays)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                creditor.0,
                debtor.0,
                record.recorded_by,
                record.recorded_via.code(),
                instant(record.granted_at),
                instant(record.expires_at),
                record.revoked_at.map(instant),
                channels,
                days,
                start,
                end,
                record.scope.holidays
            ])?;
            let id = ConsentId(tx.last_insert_rowid());
            audit_entry(
                tx,
                creditor,
                now,
                actor,
                "consent.recorded",
                "debtor",
                debtor,
                json!({ "consent": id, "channels": channels, "days": days,
                        "expires_at": record.expires_at }),
            )?;
            Ok(id)
        })
    }

    fn teams(&self, creditor: CreditorId) -> StoreResult<Vec<TeamInfo>> {
        self.read(|c| {
            let mut teams = collect(
                c,
                "SELECT id, code, name FROM teams WHERE creditor_id = ?1 ORDER BY code",
                [creditor.0],
                |r| {
                    Ok(TeamInfo {
                        id: TeamId(r.get(0)?),
                        creditor,
                        code: r.get(1)?,
                        name: r.get(2)?,
                        collectors: Vec::new(),
                    })
                },
            )?;
            let members = collect(
                c,
                "SELECT team_id, user_id, kind, daily_capacity, provinces, languages, active
                 FROM collectors WHERE creditor_id = ?1 ORDER BY team_id, user_id",
                [creditor.0],
                |r| {
                    let kind: String = r.get(2)?;
                    let provinces: String = r.get(4)?;
                    let languages: String = r.get(5)?;
                    Ok(CollectorInfo {
                        team: TeamId(r.get(0)?),
                        user: UserId(r.get(1)?),
                        kind: CollectorKind::parse(&kind)
                            .ok_or_else(|| corrupt("collector kind", &kind))?,
                        daily_capacity: r.get(3)?,
                        provinces: parse_provinces(&provinces)?,
                        languages: languages
                            .split(',')
                            .filter(|l| !l.is_empty())
                            .map(str::to_string)
                            .collect(),
                        active: r.get(6)?,
                    })
                },
            )?;
            for m in members {
                if let Some(t) = teams.iter_mut().find(|t| t.id == m.team) {
                    t.collectors.push(m);
                }
            }
            Ok(teams)
        })
    }

    fn interactions(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<Interaction>> {
        self.read(|c| {
            collect(
                c,
                &format!(
                    "SELECT {INTERACTION_COLUMNS} FROM interactions
                     WHERE creditor_id = ?1 AND account_id = ?2 ORDER BY at, id"
                ),
                params![creditor.0, account.0],
                interaction,
            )
        })
    }

    fn promises(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<StoredPromise>> {
        self.read(|c| {
            collect(
                c,
                "SELECT id, account_id, interaction_id, amount, promised_on, channel,
                        created_at, created_by, paid_amount, status, resolved_at
                 FROM promises WHERE creditor_id = ?1 AND account_id = ?2 ORDER BY id",
                params![creditor.0, account.0],
                promise,
            )
        })
    }

    fn pauses(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<Pause>> {
        self.read(|c| {
            collect(
                c,
                "SELECT id, account_id, reason, note, starts_on, ends_on, created_at
                 FROM account_pauses WHERE creditor_id = ?1 AND account_id = ?2
                 ORDER BY starts_on, id",
                params![creditor.0, account.0],
                |r| {
                    Ok(Pause {
                        id: PauseId(r.get(0)?),
                        data: NewPause {
                            account: AccountId(r.get(1)?),
                            reason: code("pause reason", r.get(2)?, PauseReason::parse)?,
                            note: r.get(3)?,
                            starts_on: to_day(r.get(4)?)?,
                            ends_on: to_opt_day(r.get(5)?)?,
                        },
                        created_at: to_instant(r.get(6)?)?,
                    })
                },
            )
        })
    }

    fn consents(&self, creditor: CreditorId, debtor: DebtorId) -> StoreResult<Vec<Consent>> {
        self.read(|c| {
            collect(
                c,
                "SELECT recorded_by, recorded_via, granted_at, expires_at, revoked_at, channels,
                        days, window_start, window_end, holidays
                 FROM consents WHERE creditor_id = ?1 AND debtor_id = ?2 ORDER BY id",
                params![creditor.0, debtor.0],
                |r| {
                    let via: String = r.get(1)?;
                    let channels: String = r.get(5)?;
                    let days: String = r.get(6)?;
                    consent_from_parts(
                        r.get(0)?,
                        &via,
                        to_instant(r.get(2)?)?,
                        to_instant(r.get(3)?)?,
                        r.get::<_, Option<i64>>(4)?.map(to_instant).transpose()?,
                        &channels,
                        &days,
                        (r.get(7)?, r.get(8)?),
                        r.get(9)?,
                    )
                    .map_err(|e| corrupt("consent", e))
                },
            )
        })
    }
}

fn parse_provinces(text: &str) -> StoreResult<Vec<Province>> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            p.trim()
                .parse::<u8>()
                .ok()
                .and_then(Province::from_code)
                .ok_or_else(|| corrupt("collector province", p))
        })
        .collect()
}
