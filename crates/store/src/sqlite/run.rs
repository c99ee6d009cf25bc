//! The nightly run's tables on SQLite (`migrations/sqlite/0003_run.sql`): runs and their
//! lease, the queue written in chunks under the run's id, allocations, and the pointer
//! to the queue in force, flipped in one short transaction (see `crate::run`).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use sepakat_domain::strategy::{Action, ArmHasher};
use sepakat_domain::{PromiseStatus, Rupiah};
use serde_json::json;

use super::audit;
use super::codec::{corrupt, day, instant, to_day, to_instant, to_opt_day};
use super::SqliteStore;
use crate::run::{
    broken_promise_follow_up, collector_from_parts, consent_from_parts, group_teams, product_code,
    province_code,
};
use crate::*;

/// Accounts handed to the scan's sink at a time.
const SCAN_BATCH: usize = 4096;

const ACTION_COLUMNS: &str = "a.account_id, a.arm, a.rule, a.action, a.template, a.priority,
     a.window_start, a.window_end, a.team_id, l.collector_user_id, a.dpd, a.bucket,
     a.kolektibilitas, a.promise";

fn audit_run(
    tx: &Transaction,
    creditor: CreditorId,
    at: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    run: RunId,
    detail: serde_json::Value,
) -> StoreResult<()> {
    audit::write(
        tx,
        &NewAudit {
            creditor: Some(creditor),
            at,
            actor: actor.clone(),
            action: action.to_string(),
            entity: EntityRef::new("run", run),
            detail,
        },
    )
}

fn ensure_running(tx: &Transaction, run: RunId) -> StoreResult<CreditorId> {
    let row: Option<(i64, String)> = tx
        .prepare_cached("SELECT creditor_id, status FROM runs WHERE id = ?1")?
        .query_row([run.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => Err(StoreError::NotFound(format!("run {run}"))),
        Some((creditor, status)) if status == "running" => Ok(CreditorId(creditor)),
        Some((_, status)) => Err(StoreError::Conflict(format!(
            "run {run} is {status}, no longer running: another run took over"
        ))),
    }
}

fn run_info(row: &Row) -> StoreResult<RunInfo> {
    let status: String = row.get(4)?;
    let report: Option<String> = row.get(10)?;
    Ok(RunInfo {
        id: RunId(row.get(0)?),
        creditor: CreditorId(row.get(1)?),
        as_of: to_day(row.get(2)?)?,
        strategy: row.get(3)?,
        status: RunStatus::parse(&status).ok_or_else(|| corrupt("run status", &status))?,
        holder: row.get(5)?,
        started_at: to_instant(row.get(6)?)?,
        finished_at: row.get::<_, Option<i64>>(7)?.map(to_instant).transpose()?,
        actions: u64::try_from(row.get::<_, i64>(8)?).unwrap_or_default(),
        in_force: row.get(9)?,
        report: report
            .map(|r| serde_json::from_str(&r).map_err(|e| corrupt("run report", e)))
            .transpose()?,
    })
}

const RUN_COLUMNS: &str = "r.id, r.creditor_id, r.as_of, r.strategy, r.status, r.holder,
     r.started_at, r.finished_at, r.actions,
     EXISTS (SELECT 1 FROM run_queues q WHERE q.run_id = r.id), r.report";

fn queued(row: &Row) -> StoreResult<QueuedAction> {
    let action: String = row.get(3)?;
    let window = match (row.get::<_, Option<i64>>(6)?, row.get::<_, Option<i64>>(7)?) {
        (Some(s), Some(e)) => Some((to_instant(s)?, to_instant(e)?)),
        _ => None,
    };
    let promise: Option<String> = row.get(13)?;
    Ok(QueuedAction {
        account: AccountId(row.get(0)?),
        arm: row.get(1)?,
        rule: row.get(2)?,
        action: Action::parse(&action).map_err(|_| corrupt("action", &action))?,
        template: row.get(4)?,
        priority: row.get(5)?,
        window,
        team: row.get(8)?,
        collector: row.get::<_, Option<i64>>(9)?.map(UserId),
        dpd: row.get(10)?,
        bucket: row.get(11)?,
        kolektibilitas: row.get(12)?,
        promise: promise
            .map(|p| {
                p.parse::<PromiseStatus>()
                    .map_err(|_| corrupt("promise", &p))
            })
            .transpose()?,
    })
}

fn collect<T>(
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

/// Reads the open accounts of `creditor` with ids in `range` (inclusive), in id order, at
/// most `limit`, handing each to `each` until it returns false.
fn scan_range(
    c: &Connection,
    creditor: CreditorId,
    arms: &ArmHasher,
    range: (i64, i64),
    limit: usize,
    each: &mut dyn FnMut(&AccountSnapshot) -> bool,
) -> StoreResult<()> {
    // `+a.creditor_id` keeps the planner on the rowid range; CROSS JOIN keeps accounts
    // the outer loop.
    let mut stmt = c.prepare_cached(
        "SELECT a.id, a.debtor_id, a.product, a.total_outstanding, a.oldest_unpaid_due,
                d.province, s.team_id, s.collector_user_id, a.account_no, a.principal,
                a.instalment, a.tenor_months, a.opened_on, a.first_due
         FROM accounts a CROSS JOIN debtors d ON d.id = a.debtor_id
         LEFT JOIN account_assignments s ON s.account_id = a.id
         WHERE a.id BETWEEN ?2 AND ?3 AND +a.creditor_id = ?1 AND a.status = 'open'
         ORDER BY a.id LIMIT ?4",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut rows = stmt.query(params![creditor.0, range.0, range.1, limit])?;
    while let Some(r) = rows.next()? {
        let product = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
        let province: i64 = r.get(5)?;
        let account_no = r.get_ref(8)?.as_bytes().map_err(rusqlite::Error::from)?;
        let account = AccountSnapshot {
            id: AccountId(r.get(0)?),
            debtor: DebtorId(r.get(1)?),
            product: product_code(product).ok_or_else(|| corrupt("product", product))?,
            outstanding: Rupiah::new(r.get(3)?),
            oldest_unpaid_due: to_opt_day(r.get(4)?)?,
            province: province_code(province).ok_or_else(|| corrupt("province", province))?,
            team: r.get(6)?,
            collector: r.get::<_, Option<i64>>(7)?.map(UserId),
            arm_key: arms.key(account_no),
            loan: LoanShape {
                principal: Rupiah::new(r.get(9)?),
                instalment: Rupiah::new(r.get(10)?),
                tenor_months: r.get(11)?,
                opened_on: to_day(r.get(12)?)?,
                first_due: to_day(r.get(13)?)?,
            },
        };
        if !each(&account) {
            break;
        }
    }
    Ok(())
}

/// Queue rows per multi-row INSERT (14 parameters each, well under SQLite's limit).
const INSERT_ROWS: usize = 64;

/// `INSERT INTO run_actions ... VALUES (...), (...)` for `rows` rows.
fn insert_actions_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO run_actions (run_id, account_id, arm, rule, action, template, priority,
             window_start, window_end, team_id, dpd, bucket, kolektibilitas, promise) VALUES ",
    );
    for i in 0..rows {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str("(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    }
    sql
}

/// Binds `actions` to a statement from `insert_actions_sql(actions.len())`.
fn bind_actions(
    stmt: &mut rusqlite::CachedStatement<'_>,
    run: RunId,
    actions: &[NewAction<'_>],
) -> StoreResult<()> {
    let mut n = 0;
    let mut bind = |value: &dyn rusqlite::ToSql| -> StoreResult<()> {
        n += 1;
        stmt.raw_bind_parameter(n, value)?;
        Ok(())
    };
    for a in actions {
        bind(&run.0)?;
        bind(&a.account.0)?;
        bind(&a.arm)?;
        bind(&a.rule)?;
        bind(&a.action.code())?;
        bind(&a.template)?;
        bind(&a.priority)?;
        bind(&a.window.map(|w| instant(w.0)))?;
        bind(&a.window.map(|w| instant(w.1)))?;
        bind(&a.team)?;
        bind(&a.dpd)?;
        bind(&a.bucket)?;
        bind(&a.kolektibilitas)?;
        bind(&a.promise.map(|p| p.code()))?;
    }
    Ok(())
}

impl RunStore for SqliteStore {
    fn begin_run(&self, new: &NewRun, dead: HolderCheck<'_>) -> StoreResult<RunId> {
        self.write(|tx| {
            let running = collect(
                tx,
                "SELECT id, as_of, holder, lease_until FROM runs
                 WHERE creditor_id = ?1 AND status = 'running'",
                [new.creditor.0],
                |r| Ok((RunId(r.get(0)?), to_day(r.get(1)?)?, r.get::<_, String>(2)?, to_instant(r.get(3)?)?)),
            )?;
            for (id, as_of, holder, lease) in running {
                if lease > new.started_at && !dead(&holder) {
                    return Err(StoreError::Conflict(format!(
                        "run {id} (as of {as_of}) is still running for this creditor, held by {holder} until {}",
                        lease.format("%Y-%m-%d %H:%M:%S UTC")
                    )));
                }
                tx.execute(
                    "UPDATE runs SET status = 'abandoned', finished_at = ?2 WHERE id = ?1",
                    params![id.0, instant(new.started_at)],
                )?;
                audit_run(tx, new.creditor, new.started_at, &new.actor, "run.abandoned", id,
                    json!({ "holder": holder, "reason": "its holder died or its lease expired" }))?;
            }
            tx.execute(
                "INSERT INTO runs (creditor_id, as_of, strategy, status, holder, started_at, lease_until)
                 VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6)",
                params![
                    new.creditor.0,
                    day(new.as_of),
                    new.strategy,
                    new.holder,
                    instant(new.started_at),
                    instant(new.lease_until)
                ],
            )?;
            let id = RunId(tx.last_insert_rowid());
            audit_run(tx, new.creditor, new.started_at, &new.actor, "run.started", id,
                json!({ "as_of": new.as_of, "strategy": new.strategy, "holder": new.holder }))?;
            Ok(id)
        })
    }

    fn prune_runs(&self, creditor: CreditorId) -> StoreResult<u64> {
        let stale = self.read(|c| {
            collect(
                c,
                "SELECT id FROM runs r
                 WHERE creditor_id = ?1 AND pruned = 0 AND status <> 'running'
                   AND NOT EXISTS (SELECT 1 FROM run_queues q WHERE q.run_id = r.id)",
                [creditor.0],
                |r| Ok(r.get::<_, i64>(0)?),
            )
        })?;
        for id in &stale {
            // One transaction per run: other writers get the lock between runs.
            self.write(|tx| {
                tx.execute("DELETE FROM run_actions WHERE run_id = ?1", [id])?;
                tx.execute("DELETE FROM run_allocations WHERE run_id = ?1", [id])?;
                tx.execute("UPDATE runs SET pruned = 1 WHERE id = ?1", [id])?;
                Ok(())
            })?;
        }
        Ok(stale.len() as u64)
    }

    fn run_context(
        &self,
        creditor: CreditorId,
        as_of: NaiveDate,
        promises_since: NaiveDate,
        interactions_since: DateTime<Utc>,
    ) -> StoreResult<RunContext> {
        self.read(|c| {
            let c0 = creditor.0;
            let team_ids = collect(c, "SELECT id FROM teams WHERE creditor_id = ?1 ORDER BY id", [c0], |r| Ok(r.get::<_, i64>(0)?))?;
            let collectors = collect(
                c,
                "SELECT team_id, user_id, kind, daily_capacity, provinces, languages
                 FROM collectors WHERE creditor_id = ?1 AND active = 1
                 ORDER BY team_id, user_id",
                [c0],
                |r| {
                    let kind: String = r.get(2)?;
                    let provinces: String = r.get(4)?;
                    let languages: String = r.get(5)?;
                    let collector = collector_from_parts(r.get(1)?, &kind, r.get(3)?, &provinces, &languages)
                        .map_err(|e| corrupt("collector", e))?;
                    Ok((r.get::<_, i64>(0)?, collector))
                },
            )?;
            let promises = collect(
                c,
                "SELECT id, account_id, amount, promised_on, paid_amount, status FROM promises
                 WHERE creditor_id = ?1 AND (status = 'pending' OR promised_on >= ?2)
                 ORDER BY account_id, id",
                params![c0, day(promises_since)],
                |r| {
                    let status: String = r.get(5)?;
                    Ok(PromiseRow {
                        id: r.get(0)?,
                        account: AccountId(r.get(1)?),
                        amount: Rupiah::new(r.get(2)?),
                        promised_on: to_day(r.get(3)?)?,
                        paid: Rupiah::new(r.get(4)?),
                        status: status.parse().map_err(|_| corrupt("promise status", &status))?,
                    })
                },
            )?;
            let paused = collect(
                c,
                "SELECT DISTINCT account_id FROM account_pauses
                 WHERE creditor_id = ?1 AND starts_on <= ?2 AND (ends_on IS NULL OR ends_on >= ?2)
                   AND lifted_at IS NULL
                 ORDER BY account_id",
                params![c0, day(as_of)],
                |r| Ok(AccountId(r.get(0)?)),
            )?;
            let consents = collect(
                c,
                "SELECT debtor_id, recorded_by, recorded_via, granted_at, expires_at, revoked_at,
                        channels, days, window_start, window_end, holidays
                 FROM consents
                 WHERE creditor_id = ?1 AND expires_at > ?2 AND (revoked_at IS NULL OR revoked_at > ?2)
                 ORDER BY debtor_id, id",
                params![c0, instant(interactions_since)],
                |r| {
                    let via: String = r.get(2)?;
                    let channels: String = r.get(6)?;
                    let days: String = r.get(7)?;
                    let consent = consent_from_parts(
                        r.get(1)?,
                        &via,
                        to_instant(r.get(3)?)?,
                        to_instant(r.get(4)?)?,
                        r.get::<_, Option<i64>>(5)?.map(to_instant).transpose()?,
                        &channels,
                        &days,
                        (r.get(8)?, r.get(9)?),
                        r.get(10)?,
                    )
                    .map_err(|e| corrupt("consent", e))?;
                    Ok((DebtorId(r.get(0)?), consent))
                },
            )?;
            let interactions = collect(
                c,
                "SELECT account_id, at, channel, outcome FROM interactions
                 WHERE creditor_id = ?1 AND at >= ?2 ORDER BY account_id, at",
                params![c0, instant(interactions_since)],
                |r| {
                    Ok(InteractionRow {
                        account: AccountId(r.get(0)?),
                        at: to_instant(r.get(1)?)?,
                        channel: r.get(2)?,
                        outcome: r.get(3)?,
                    })
                },
            )?;
            Ok(RunContext {
                teams: group_teams(team_ids, collectors),
                promises,
                paused,
                consents,
                interactions,
            })
        })
    }

    fn scan_open_accounts(
        &self,
        creditor: CreditorId,
        arms: &ArmHasher,
        sink: &mut dyn FnMut(&[AccountSnapshot]) -> bool,
    ) -> StoreResult<u64> {
        // Accounts of one creditor were mostly imported together, so their ids form a
        // range: a rowid range scan reads only them, in id order, without a sort.
        let (low, high): (Option<i64>, Option<i64>) = self.read(|c| {
            Ok(c.query_row(
                "SELECT MIN(id), MAX(id) FROM accounts WHERE creditor_id = ?1",
                [creditor.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })?;
        let (Some(low), Some(high)) = (low, high) else {
            return Ok(0);
        };
        if self.readers.is_empty() {
            // An in-memory database has one connection for reads and writes: holding it
            // while the sink runs would deadlock a caller that writes the queue while the
            // scan goes on (the run does, from another thread). Read keyset pages and
            // release the connection before handing each page over.
            let mut from = low;
            let mut read = 0u64;
            loop {
                let mut batch = Vec::with_capacity(SCAN_BATCH);
                self.read(|c| {
                    scan_range(c, creditor, arms, (from, high), SCAN_BATCH, &mut |a| {
                        batch.push(*a);
                        true
                    })
                })?;
                let Some(last) = batch.last() else {
                    return Ok(read);
                };
                from = last.id.0 + 1;
                read += batch.len() as u64;
                if !sink(&batch) || batch.len() < SCAN_BATCH {
                    return Ok(read);
                }
            }
        }
        self.read(|c| {
            let mut batch = Vec::with_capacity(SCAN_BATCH);
            let mut read = 0u64;
            let mut stopped = false;
            scan_range(c, creditor, arms, (low, high), usize::MAX, &mut |a| {
                batch.push(*a);
                if batch.len() == SCAN_BATCH {
                    read += batch.len() as u64;
                    if !sink(&batch) {
                        stopped = true;
                        return false;
                    }
                    batch.clear();
                }
                true
            })?;
            if !stopped && !batch.is_empty() {
                read += batch.len() as u64;
                sink(&batch);
            }
            Ok(read)
        })
    }

    fn write_actions(
        &self,
        run: RunId,
        actions: &[NewAction<'_>],
        lease_until: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| {
            ensure_running(tx, run)?;
            // Many rows per statement: binding and stepping one 64-row INSERT costs far
            // less than 64 single-row ones (the queue is written a million rows a night).
            let mut full = tx.prepare_cached(&insert_actions_sql(INSERT_ROWS))?;
            let mut parts = actions.chunks_exact(INSERT_ROWS);
            for part in &mut parts {
                bind_actions(&mut full, run, part)?;
                full.raw_execute()?;
            }
            let rest = parts.remainder();
            if !rest.is_empty() {
                let mut stmt = tx.prepare_cached(&insert_actions_sql(rest.len()))?;
                bind_actions(&mut stmt, run, rest)?;
                stmt.raw_execute()?;
            }
            tx.execute(
                "UPDATE runs SET lease_until = ?2, actions = actions + ?3 WHERE id = ?1",
                params![run.0, instant(lease_until), actions.len() as i64],
            )?;
            Ok(())
        })
    }

    fn write_allocations(&self, run: RunId, allocations: &[Allocation]) -> StoreResult<()> {
        self.write(|tx| {
            ensure_running(tx, run)?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO run_allocations (run_id, collector_user_id, position, account_id)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for a in allocations {
                stmt.execute(params![run.0, a.collector.0, a.position, a.account.0])?;
            }
            Ok(())
        })
    }

    fn finish_run(&self, run: RunId, finish: &RunFinish) -> StoreResult<()> {
        let report = serde_json::to_string(&finish.report)
            .map_err(|e| StoreError::Other(format!("sqlite: run report: {e}")))?;
        self.write(|tx| {
            let creditor = ensure_running(tx, run)?;
            for change in &finish.promise_changes {
                let changed = tx
                    .prepare_cached(
                        "UPDATE promises SET status = ?3, resolved_at = ?4
                         WHERE id = ?1 AND creditor_id = ?2 AND status = 'pending'",
                    )?
                    .execute(params![
                        change.id,
                        creditor.0,
                        change.status.code(),
                        instant(finish.finished_at)
                    ])?;
                if changed == 1 {
                    if let Some(due_at) = change.follow_up_at {
                        super::contact::insert_follow_up(
                            tx,
                            creditor,
                            &broken_promise_follow_up(change, due_at),
                            Some(PromiseId(change.id)),
                            None,
                            finish.finished_at,
                            &finish.actor,
                        )?;
                    }
                    audit::write(
                        tx,
                        &NewAudit {
                            creditor: Some(creditor),
                            at: finish.finished_at,
                            actor: finish.actor.clone(),
                            action: "promise.evaluated".into(),
                            entity: EntityRef::new("promise", change.id),
                            detail: json!({
                                "account": change.account.0,
                                "from": "pending",
                                "to": change.status.code(),
                                "run": run.0,
                            }),
                        },
                    )?;
                }
            }
            tx.execute(
                "UPDATE runs SET status = 'done', finished_at = ?2, actions = ?3, report = ?4
                 WHERE id = ?1",
                params![run.0, instant(finish.finished_at), finish.actions as i64, report],
            )?;
            tx.execute(
                "INSERT INTO run_queues (creditor_id, run_id, switched_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (creditor_id) DO UPDATE SET run_id = excluded.run_id,
                                                         switched_at = excluded.switched_at",
                params![creditor.0, run.0, instant(finish.finished_at)],
            )?;
            audit_run(tx, creditor, finish.finished_at, &finish.actor, "run.finished", run,
                json!({ "actions": finish.actions, "promises_changed": finish.promise_changes.len() }))
        })
    }

    fn abandon_run(&self, run: RunId, reason: &str, actor: &Actor) -> StoreResult<()> {
        let now = Utc::now();
        self.write(|tx| {
            let creditor = ensure_running(tx, run)?;
            tx.execute(
                "UPDATE runs SET status = 'abandoned', finished_at = ?2 WHERE id = ?1",
                params![run.0, instant(now)],
            )?;
            audit_run(
                tx,
                creditor,
                now,
                actor,
                "run.abandoned",
                run,
                json!({ "reason": reason }),
            )
        })
    }

    fn run_info(&self, creditor: CreditorId, run: RunId) -> StoreResult<Option<RunInfo>> {
        self.read(|c| {
            let sql =
                format!("SELECT {RUN_COLUMNS} FROM runs r WHERE r.id = ?2 AND r.creditor_id = ?1");
            Ok(collect(c, &sql, params![creditor.0, run.0], run_info)?
                .into_iter()
                .next())
        })
    }

    fn runs(&self, creditor: CreditorId, limit: u32) -> StoreResult<Vec<RunInfo>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {RUN_COLUMNS} FROM runs r WHERE r.creditor_id = ?1 ORDER BY r.id DESC LIMIT ?2"
            );
            collect(c, &sql, params![creditor.0, limit], run_info)
        })
    }

    fn queued_actions(
        &self,
        creditor: CreditorId,
        run: RunId,
        after: AccountId,
        limit: u32,
    ) -> StoreResult<Vec<QueuedAction>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {ACTION_COLUMNS} FROM runs r
                 JOIN run_actions a ON a.run_id = r.id
                 LEFT JOIN run_allocations l ON l.run_id = a.run_id AND l.account_id = a.account_id
                 WHERE r.id = ?2 AND r.creditor_id = ?1 AND a.account_id > ?3
                 ORDER BY a.account_id LIMIT ?4"
            );
            collect(c, &sql, params![creditor.0, run.0, after.0, limit], queued)
        })
    }

    fn worklist(&self, creditor: CreditorId, collector: UserId) -> StoreResult<Vec<QueuedAction>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {ACTION_COLUMNS} FROM run_queues q
                 JOIN run_allocations l ON l.run_id = q.run_id AND l.collector_user_id = ?2
                 JOIN run_actions a ON a.run_id = l.run_id AND a.account_id = l.account_id
                 WHERE q.creditor_id = ?1
                 ORDER BY l.position"
            );
            collect(c, &sql, params![creditor.0, collector.0], queued)
        })
    }
}
