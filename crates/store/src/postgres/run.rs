//! The nightly run's tables on PostgreSQL (`migrations/postgres/0003_run.sql`, partitioned
//! by run in `0014_run_partitions.sql`): the same protocol as SQLite (see `crate::run`).
//! A run's queue rows and allocations live in partitions of their own, made when the run
//! starts and dropped when it is pruned (never a DELETE of millions of rows); the queue
//! goes into its partition by binary `COPY`, one per chunk, and the scan streams rows with
//! `query_raw` instead of buffering the portfolio.

use std::fmt::Write as _;
use std::io::Write as _;

use ::postgres::binary_copy::BinaryCopyInWriter;
use ::postgres::fallible_iterator::FallibleIterator;
use ::postgres::types::{ToSql, Type};
use ::postgres::{GenericClient, Row, Transaction};
use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::strategy::{Action, ArmHasher};
use sepakat_domain::{PromiseStatus, Rupiah};
use serde_json::json;

use super::codec::{corrupt, get};
use super::{audit, db_err, PostgresStore};
use crate::run::{
    broken_promise_follow_up, collector_from_parts, consent_from_parts, group_teams, product_code,
    province_code,
};
use crate::*;

/// Accounts handed to the scan's sink at a time.
const SCAN_BATCH: usize = 4096;

/// The columns of `run_actions` in the order `write_actions` copies them, and their types.
const COPY_COLUMNS: &str = "run_id, account_id, arm, rule, action, template, priority,
     window_start, window_end, team_id, dpd, bucket, kolektibilitas, promise";
const COPY_TYPES: [Type; 14] = [
    Type::INT8,
    Type::INT8,
    Type::INT2,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::FLOAT8,
    Type::TIMESTAMPTZ,
    Type::TIMESTAMPTZ,
    Type::INT8,
    Type::INT4,
    Type::TEXT,
    Type::INT2,
    Type::TEXT,
];

/// The partition of `run_actions` holding `run`'s queue rows (migration 0014).
fn actions_partition(run: RunId) -> String {
    format!("run_actions_r{}", run.0)
}

/// The partition of `run_allocations` holding `run`'s allocations (migration 0014).
fn allocations_partition(run: RunId) -> String {
    format!("run_allocations_r{}", run.0)
}

/// Makes `run`'s partitions, in the transaction that starts it.
fn create_partitions(tx: &mut Transaction<'_>, run: RunId) -> StoreResult<()> {
    tx.batch_execute(&format!(
        "CREATE TABLE {} PARTITION OF run_actions FOR VALUES IN ({id});
         CREATE TABLE {} PARTITION OF run_allocations FOR VALUES IN ({id});",
        actions_partition(run),
        allocations_partition(run),
        id = run.0
    ))
    .map_err(db_err("making the run's partitions"))
}

/// Drops `run`'s partitions (there are none for a run pruned before migration 0014).
fn drop_partitions(tx: &mut Transaction<'_>, run: RunId) -> StoreResult<()> {
    tx.batch_execute(&format!(
        "DROP TABLE IF EXISTS {}, {}",
        actions_partition(run),
        allocations_partition(run)
    ))
    .map_err(db_err("dropping the run's partitions"))
}

const ACTION_COLUMNS: &str = "a.account_id, a.arm, a.rule, a.action, a.template, a.priority,
     a.window_start, a.window_end, a.team_id, l.collector_user_id, a.dpd, a.bucket,
     a.kolektibilitas, a.promise";

const RUN_COLUMNS: &str = "r.id, r.creditor_id, r.as_of, r.strategy, r.status, r.holder,
     r.started_at, r.finished_at, r.actions,
     EXISTS (SELECT 1 FROM run_queues q WHERE q.run_id = r.id) AS in_force, r.report";

fn audit_run(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    at: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    run: RunId,
    detail: serde_json::Value,
) -> StoreResult<()> {
    audit::record(
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

fn ensure_running(tx: &mut Transaction<'_>, run: RunId) -> StoreResult<CreditorId> {
    let row = tx
        .query_opt(
            "SELECT creditor_id, status FROM runs WHERE id = $1 FOR UPDATE",
            &[&run.0],
        )
        .map_err(db_err("reading the run"))?;
    match row {
        None => Err(StoreError::NotFound(format!("run {run}"))),
        Some(r) => {
            let status: String = get(&r, "status")?;
            if status == "running" {
                Ok(CreditorId(get(&r, "creditor_id")?))
            } else {
                Err(StoreError::Conflict(format!(
                    "run {run} is {status}, no longer running: another run took over"
                )))
            }
        }
    }
}

fn run_info(row: &Row) -> StoreResult<RunInfo> {
    let status: String = get(row, "status")?;
    Ok(RunInfo {
        id: RunId(get(row, "id")?),
        creditor: CreditorId(get(row, "creditor_id")?),
        as_of: get(row, "as_of")?,
        strategy: get(row, "strategy")?,
        status: RunStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        holder: get(row, "holder")?,
        started_at: get(row, "started_at")?,
        finished_at: get(row, "finished_at")?,
        actions: u64::try_from(get::<i64>(row, "actions")?).unwrap_or_default(),
        in_force: get(row, "in_force")?,
        report: get(row, "report")?,
    })
}

fn queued(row: &Row) -> StoreResult<QueuedAction> {
    let action: String = get(row, "action")?;
    let start: Option<DateTime<Utc>> = get(row, "window_start")?;
    let end: Option<DateTime<Utc>> = get(row, "window_end")?;
    let promise: Option<String> = get(row, "promise")?;
    Ok(QueuedAction {
        account: AccountId(get(row, "account_id")?),
        arm: u8::try_from(get::<i16>(row, "arm")?).map_err(|_| corrupt("arm", "out of range"))?,
        rule: get(row, "rule")?,
        action: Action::parse(&action).map_err(|_| corrupt("action", &action))?,
        template: get(row, "template")?,
        priority: get(row, "priority")?,
        window: start.zip(end),
        team: get(row, "team_id")?,
        collector: get::<Option<i64>>(row, "collector_user_id")?.map(UserId),
        dpd: u32::try_from(get::<i32>(row, "dpd")?).map_err(|_| corrupt("dpd", "negative"))?,
        bucket: get(row, "bucket")?,
        kolektibilitas: u8::try_from(get::<i16>(row, "kolektibilitas")?)
            .map_err(|_| corrupt("kolektibilitas", "out of range"))?,
        promise: promise
            .map(|p| {
                p.parse::<PromiseStatus>()
                    .map_err(|_| corrupt("promise", &p))
            })
            .transpose()?,
    })
}

fn query_all<T>(
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

impl RunStore for PostgresStore {
    fn begin_run(&self, new: &NewRun, dead: HolderCheck<'_>) -> StoreResult<RunId> {
        let context = "starting a run";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        // Serialises run starts per creditor (released at commit).
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext('sepakat.run'), $1::int)",
            &[&(new.creditor.0 as i32)],
        )
        .map_err(db_err(context))?;
        let running = query_all(
            &mut tx,
            "SELECT id, as_of, holder, lease_until FROM runs
             WHERE creditor_id = $1 AND status = 'running'",
            &[&new.creditor.0],
            context,
            |r| {
                Ok((
                    RunId(get(r, "id")?),
                    get::<NaiveDate>(r, "as_of")?,
                    get::<String>(r, "holder")?,
                    get::<DateTime<Utc>>(r, "lease_until")?,
                ))
            },
        )?;
        for (id, as_of, holder, lease) in running {
            if lease > new.started_at && !dead(&holder) {
                return Err(StoreError::Conflict(format!(
                    "run {id} (as of {as_of}) is still running for this creditor, held by {holder} until {}",
                    lease.format("%Y-%m-%d %H:%M:%S UTC")
                )));
            }
            tx.execute(
                "UPDATE runs SET status = 'abandoned', finished_at = $2 WHERE id = $1",
                &[&id.0, &new.started_at],
            )
            .map_err(db_err(context))?;
            audit_run(
                &mut tx,
                new.creditor,
                new.started_at,
                &new.actor,
                "run.abandoned",
                id,
                json!({ "holder": holder, "reason": "its holder died or its lease expired" }),
            )?;
        }
        let row = tx
            .query_one(
                "INSERT INTO runs (creditor_id, as_of, strategy, status, holder, started_at, lease_until)
                 VALUES ($1, $2, $3, 'running', $4, $5, $6) RETURNING id",
                &[
                    &new.creditor.0,
                    &new.as_of,
                    &new.strategy,
                    &new.holder,
                    &new.started_at,
                    &new.lease_until,
                ],
            )
            .map_err(db_err(context))?;
        let id = RunId(get(&row, "id")?);
        create_partitions(&mut tx, id)?;
        audit_run(
            &mut tx,
            new.creditor,
            new.started_at,
            &new.actor,
            "run.started",
            id,
            json!({ "as_of": new.as_of, "strategy": new.strategy, "holder": new.holder }),
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(id)
    }

    fn prune_runs(&self, creditor: CreditorId) -> StoreResult<u64> {
        let context = "pruning runs";
        let mut client = self.conn()?;
        let stale = query_all(
            &mut *client,
            "SELECT id FROM runs r
             WHERE creditor_id = $1 AND NOT pruned AND status <> 'running'
               AND NOT EXISTS (SELECT 1 FROM run_queues q WHERE q.run_id = r.id)",
            &[&creditor.0],
            context,
            |r| get::<i64>(r, "id"),
        )?;
        for id in &stale {
            let mut tx = client.transaction().map_err(db_err(context))?;
            drop_partitions(&mut tx, RunId(*id))?;
            tx.execute("UPDATE runs SET pruned = TRUE WHERE id = $1", &[id])
                .map_err(db_err(context))?;
            tx.commit().map_err(db_err(context))?;
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
        let context = "loading the run context";
        let mut client = self.conn()?;
        let c = &mut *client;
        let c0 = creditor.0;
        let team_ids = query_all(
            c,
            "SELECT id FROM teams WHERE creditor_id = $1 ORDER BY id",
            &[&c0],
            context,
            |r| get::<i64>(r, "id"),
        )?;
        let collectors = query_all(
            c,
            "SELECT team_id, user_id, kind, daily_capacity, provinces, languages
             FROM collectors WHERE creditor_id = $1 AND active ORDER BY team_id, user_id",
            &[&c0],
            context,
            |r| {
                let kind: String = get(r, "kind")?;
                let provinces: String = get(r, "provinces")?;
                let languages: String = get(r, "languages")?;
                let capacity: i32 = get(r, "daily_capacity")?;
                let collector = collector_from_parts(
                    get(r, "user_id")?,
                    &kind,
                    i64::from(capacity),
                    &provinces,
                    &languages,
                )
                .map_err(|e| corrupt("collectors", e))?;
                Ok((get::<i64>(r, "team_id")?, collector))
            },
        )?;
        let promises = query_all(
            c,
            "SELECT id, account_id, amount, promised_on, paid_amount, status FROM promises
             WHERE creditor_id = $1 AND (status = 'pending' OR promised_on >= $2)
             ORDER BY account_id, id",
            &[&c0, &promises_since],
            context,
            |r| {
                let status: String = get(r, "status")?;
                Ok(PromiseRow {
                    id: get(r, "id")?,
                    account: AccountId(get(r, "account_id")?),
                    amount: Rupiah::new(get(r, "amount")?),
                    promised_on: get(r, "promised_on")?,
                    paid: Rupiah::new(get(r, "paid_amount")?),
                    status: status.parse().map_err(|_| corrupt("status", &status))?,
                })
            },
        )?;
        let paused = query_all(
            c,
            "SELECT DISTINCT account_id FROM account_pauses
             WHERE creditor_id = $1 AND starts_on <= $2 AND (ends_on IS NULL OR ends_on >= $2)
               AND lifted_at IS NULL
             ORDER BY account_id",
            &[&c0, &as_of],
            context,
            |r| Ok(AccountId(get(r, "account_id")?)),
        )?;
        let consents = query_all(
            c,
            "SELECT debtor_id, recorded_by, recorded_via, granted_at, expires_at, revoked_at,
                    channels, days, window_start, window_end, holidays
             FROM consents
             WHERE creditor_id = $1 AND expires_at > $2 AND (revoked_at IS NULL OR revoked_at > $2)
             ORDER BY debtor_id, id",
            &[&c0, &interactions_since],
            context,
            |r| {
                let via: String = get(r, "recorded_via")?;
                let channels: String = get(r, "channels")?;
                let days: String = get(r, "days")?;
                let consent = consent_from_parts(
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
                .map_err(|e| corrupt("consents", e))?;
                Ok((DebtorId(get(r, "debtor_id")?), consent))
            },
        )?;
        let interactions = query_all(
            c,
            "SELECT account_id, at, channel, outcome FROM interactions
             WHERE creditor_id = $1 AND at >= $2 ORDER BY account_id, at",
            &[&c0, &interactions_since],
            context,
            |r| {
                Ok(InteractionRow {
                    account: AccountId(get(r, "account_id")?),
                    at: get(r, "at")?,
                    channel: get(r, "channel")?,
                    outcome: get(r, "outcome")?,
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
    }

    fn scan_open_accounts(
        &self,
        creditor: CreditorId,
        arms: &ArmHasher,
        sink: &mut dyn FnMut(&[AccountSnapshot]) -> bool,
    ) -> StoreResult<u64> {
        let context = "scanning open accounts";
        let mut client = self.conn()?;
        let statement = client
            .prepare(
                "SELECT a.id, a.debtor_id, a.product, a.total_outstanding, a.oldest_unpaid_due,
                        d.province, s.team_id, s.collector_user_id, a.account_no, a.principal,
                        a.instalment, a.tenor_months, a.opened_on, a.first_due
                 FROM accounts a JOIN debtors d ON d.id = a.debtor_id
                 LEFT JOIN account_assignments s ON s.account_id = a.id
                 WHERE a.creditor_id = $1 AND a.status = 'open'
                 ORDER BY a.id",
            )
            .map_err(db_err(context))?;
        let mut rows = client
            .query_raw(&statement, [&creditor.0])
            .map_err(db_err(context))?;
        let mut batch = Vec::with_capacity(SCAN_BATCH);
        let mut read = 0u64;
        let cell = |e: ::postgres::Error| StoreError::Other(format!("{context}: {e}"));
        while let Some(r) = rows.next().map_err(db_err(context))? {
            let product: &str = r.try_get(2).map_err(cell)?;
            let province: i16 = r.try_get(5).map_err(cell)?;
            let account_no: &str = r.try_get(8).map_err(cell)?;
            batch.push(AccountSnapshot {
                id: AccountId(r.try_get(0).map_err(cell)?),
                debtor: DebtorId(r.try_get(1).map_err(cell)?),
                product: product_code(product).ok_or_else(|| corrupt("product", product))?,
                outstanding: Rupiah::new(r.try_get(3).map_err(cell)?),
                oldest_unpaid_due: r.try_get(4).map_err(cell)?,
                province: province_code(i64::from(province))
                    .ok_or_else(|| corrupt("province", province))?,
                team: r.try_get(6).map_err(cell)?,
                collector: r.try_get::<_, Option<i64>>(7).map_err(cell)?.map(UserId),
                arm_key: arms.key(account_no.as_bytes()),
                loan: LoanShape {
                    principal: Rupiah::new(r.try_get(9).map_err(cell)?),
                    instalment: Rupiah::new(r.try_get(10).map_err(cell)?),
                    tenor_months: u32::try_from(r.try_get::<_, i32>(11).map_err(cell)?)
                        .map_err(|_| corrupt("tenor_months", "negative"))?,
                    opened_on: r.try_get(12).map_err(cell)?,
                    first_due: r.try_get(13).map_err(cell)?,
                },
            });
            if batch.len() == SCAN_BATCH {
                read += batch.len() as u64;
                if !sink(&batch) {
                    return Ok(read);
                }
                batch.clear();
            }
        }
        read += batch.len() as u64;
        if !batch.is_empty() {
            sink(&batch);
        }
        Ok(read)
    }

    fn write_actions(
        &self,
        run: RunId,
        actions: &[NewAction<'_>],
        lease_until: DateTime<Utc>,
    ) -> StoreResult<()> {
        let context = "writing the action queue";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_running(&mut tx, run)?;
        // Straight into the run's partition: no routing per row.
        let copy = tx
            .copy_in(&format!(
                "COPY {} ({COPY_COLUMNS}) FROM STDIN (FORMAT binary)",
                actions_partition(run)
            ))
            .map_err(db_err(context))?;
        let mut writer = BinaryCopyInWriter::new(copy, &COPY_TYPES);
        for a in actions {
            let arm = i16::from(a.arm);
            let dpd = i32::try_from(a.dpd)
                .map_err(|_| StoreError::Other(format!("{context}: DPD {} out of range", a.dpd)))?;
            let kolektibilitas = i16::from(a.kolektibilitas);
            let (start, end) = a.window.unzip();
            let promise = a.promise.map(|p| p.code());
            writer
                .write(&[
                    &run.0,
                    &a.account.0,
                    &arm,
                    &a.rule,
                    &a.action.code(),
                    &a.template,
                    &a.priority,
                    &start,
                    &end,
                    &a.team,
                    &dpd,
                    &a.bucket,
                    &kolektibilitas,
                    &promise,
                ])
                .map_err(db_err(context))?;
        }
        writer.finish().map_err(db_err(context))?;
        tx.execute(
            "UPDATE runs SET lease_until = $2, actions = actions + $3 WHERE id = $1",
            &[&run.0, &lease_until, &(actions.len() as i64)],
        )
        .map_err(db_err(context))?;
        tx.commit().map_err(db_err(context))
    }

    fn write_allocations(&self, run: RunId, allocations: &[Allocation]) -> StoreResult<()> {
        let context = "writing allocations";
        let mut buf = String::with_capacity(allocations.len() * 32);
        for a in allocations {
            let _ = writeln!(
                buf,
                "{}\t{}\t{}\t{}",
                run.0, a.collector.0, a.position, a.account.0
            );
        }
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_running(&mut tx, run)?;
        let mut writer = tx
            .copy_in(&format!(
                "COPY {} (run_id, collector_user_id, position, account_id) FROM STDIN",
                allocations_partition(run)
            ))
            .map_err(db_err(context))?;
        writer
            .write_all(buf.as_bytes())
            .map_err(|e| StoreError::Other(format!("{context}: {e}")))?;
        writer.finish().map_err(db_err(context))?;
        tx.commit().map_err(db_err(context))
    }

    fn finish_run(&self, run: RunId, finish: &RunFinish) -> StoreResult<()> {
        let context = "finishing the run";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let creditor = ensure_running(&mut tx, run)?;
        for change in &finish.promise_changes {
            let changed = tx
                .execute(
                    "UPDATE promises SET status = $3, resolved_at = $4
                     WHERE id = $1 AND creditor_id = $2 AND status = 'pending'",
                    &[
                        &change.id,
                        &creditor.0,
                        &change.status.code(),
                        &finish.finished_at,
                    ],
                )
                .map_err(db_err(context))?;
            if changed == 1 {
                if let Some(due_at) = change.follow_up_at {
                    super::contact::insert_follow_up(
                        &mut tx,
                        creditor,
                        &broken_promise_follow_up(change, due_at),
                        Some(PromiseId(change.id)),
                        None,
                        finish.finished_at,
                        &finish.actor,
                    )?;
                }
                audit::record(
                    &mut tx,
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
            "UPDATE runs SET status = 'done', finished_at = $2, actions = $3, report = $4
             WHERE id = $1",
            &[
                &run.0,
                &finish.finished_at,
                &(finish.actions as i64),
                &finish.report,
            ],
        )
        .map_err(db_err(context))?;
        tx.execute(
            "INSERT INTO run_queues (creditor_id, run_id, switched_at) VALUES ($1, $2, $3)
             ON CONFLICT (creditor_id) DO UPDATE SET run_id = excluded.run_id,
                                                     switched_at = excluded.switched_at",
            &[&creditor.0, &run.0, &finish.finished_at],
        )
        .map_err(db_err(context))?;
        audit_run(
            &mut tx,
            creditor,
            finish.finished_at,
            &finish.actor,
            "run.finished",
            run,
            json!({ "actions": finish.actions, "promises_changed": finish.promise_changes.len() }),
        )?;
        tx.commit().map_err(db_err(context))
    }

    fn abandon_run(&self, run: RunId, reason: &str, actor: &Actor) -> StoreResult<()> {
        let context = "abandoning the run";
        let now = Utc::now();
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let creditor = ensure_running(&mut tx, run)?;
        tx.execute(
            "UPDATE runs SET status = 'abandoned', finished_at = $2 WHERE id = $1",
            &[&run.0, &now],
        )
        .map_err(db_err(context))?;
        audit_run(
            &mut tx,
            creditor,
            now,
            actor,
            "run.abandoned",
            run,
            json!({ "reason": reason }),
        )?;
        tx.commit().map_err(db_err(context))
    }

    fn run_info(&self, creditor: CreditorId, run: RunId) -> StoreResult<Option<RunInfo>> {
        let sql =
            format!("SELECT {RUN_COLUMNS} FROM runs r WHERE r.id = $2 AND r.creditor_id = $1");
        Ok(query_all(
            &mut *self.conn()?,
            &sql,
            &[&creditor.0, &run.0],
            "reading a run",
            run_info,
        )?
        .into_iter()
        .next())
    }

    fn runs(&self, creditor: CreditorId, limit: u32) -> StoreResult<Vec<RunInfo>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs r WHERE r.creditor_id = $1 ORDER BY r.id DESC LIMIT $2"
        );
        query_all(
            &mut *self.conn()?,
            &sql,
            &[&creditor.0, &i64::from(limit)],
            "listing runs",
            run_info,
        )
    }

    fn queued_actions(
        &self,
        creditor: CreditorId,
        run: RunId,
        after: AccountId,
        limit: u32,
    ) -> StoreResult<Vec<QueuedAction>> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM runs r
             JOIN run_actions a ON a.run_id = r.id
             LEFT JOIN run_allocations l ON l.run_id = a.run_id AND l.account_id = a.account_id
             WHERE r.id = $2 AND r.creditor_id = $1 AND a.account_id > $3
             ORDER BY a.account_id LIMIT $4"
        );
        query_all(
            &mut *self.conn()?,
            &sql,
            &[&creditor.0, &run.0, &after.0, &i64::from(limit)],
            "reading queued actions",
            queued,
        )
    }

    fn worklist(&self, creditor: CreditorId, collector: UserId) -> StoreResult<Vec<QueuedAction>> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM run_queues q
             JOIN run_allocations l ON l.run_id = q.run_id AND l.collector_user_id = $2
             JOIN run_actions a ON a.run_id = l.run_id AND a.account_id = l.account_id
             WHERE q.creditor_id = $1
             ORDER BY l.position"
        );
        query_all(
            &mut *self.conn()?,
            &sql,
            &[&creditor.0, &collector.0],
            "reading a worklist",
            queued,
        )
    }
}
