//! The nightly run: for one creditor and date, stream the open accounts, age and classify
//! them, evaluate their promises, apply the strategy, plan each action's allowed window
//! through the compliance gate, allocate calls and visits to collectors, write the queue
//! under a new run id and put it in force in one short transaction (`RunStore`).
//!
//! The store reads accounts on a second thread and hands them over in batches; this
//! thread computes and writes the queue in chunks. Only calls and visits waiting for a
//! collector stay in memory (a few dozen bytes each) until allocation at the end.

mod floor;
mod report;

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use sepakat_domain::compliance::{count_attempts, Channel, Consent, Gate};
use sepakat_domain::strategy::window::{start_of_day, Contact};
use sepakat_domain::strategy::{
    allocate, arm_of, AccountFacts, ArmHasher, Candidate, Planned, PromiseFacts, Strategy, Team,
    WindowPlanner,
};
use sepakat_domain::{BucketSet, Clock, Dpd, Promise, PromiseStatus};
use sepakat_store::{
    AccountSnapshot, Actor, Allocation, Creditor, NewAction, NewRun, PromiseChange, PromiseRow,
    RunFinish, RunId, Store, ACTION_CHUNK,
};

pub use floor::storage_floor;
pub use report::RunReport;

/// What a run needs besides the store: the date, the rules and the process identity.
pub struct RunOptions<'a> {
    /// The date planned for.
    pub as_of: NaiveDate,
    /// The strategy.
    pub strategy: &'a Strategy,
    /// The compliance gate.
    pub gate: &'a Gate,
    /// DPD buckets (the strategy was checked against them).
    pub buckets: &'a BucketSet,
    /// How long a run's lease holds without a new chunk written.
    pub lease: Duration,
    /// Who runs it.
    pub actor: Actor,
}

/// `host:pid` of this process, the holder recorded on a run.
pub fn holder() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into());
    format!("{host}:{}", std::process::id())
}

/// Whether a holder is a process of this host that no longer exists (Linux `/proc`);
/// holders on other hosts are trusted until their lease expires.
pub fn holder_is_dead(holder: &str) -> bool {
    let mine = self::holder();
    let (Some((host, pid)), Some((my_host, _))) = (holder.rsplit_once(':'), mine.rsplit_once(':'))
    else {
        return false;
    };
    host == my_host
        && pid.parse::<u32>().is_ok()
        && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// An account's recent interactions (channel, instant) and its last outcome.
type Contacts = (Vec<(Channel, DateTime<Utc>)>, String);

/// Facts about an account loaded before the scan, by account id.
struct Loaded {
    promises: HashMap<i64, PromiseRow>,
    paused: HashSet<i64>,
    consents: HashMap<i64, Vec<Consent>>,
    /// Per account: every recent interaction (channel, instant) and the last outcome.
    contacts: HashMap<i64, Contacts>,
    teams: Vec<Team>,
}

fn load_context(
    store: &dyn Store,
    creditor: &Creditor,
    options: &RunOptions<'_>,
) -> anyhow::Result<Loaded> {
    let lookback = options
        .as_of
        .checked_sub_days(Days::new(u64::from(options.strategy.lookback_days)))
        .unwrap_or(options.as_of);
    // The earliest zone (WIT) starts the day first.
    let since = start_of_day(sepakat_domain::Zone::Wit, lookback);
    let raw = store
        .run_context(creditor.id, options.as_of, lookback, since)
        .context("loading promises, pauses, consents and interactions")?;
    let mut promises: HashMap<i64, PromiseRow> = HashMap::new();
    for p in raw.promises {
        // Rows come by account then id: a pending promise wins, else the latest.
        let keep = promises
            .get(&p.account.0)
            .is_none_or(|old| old.status != PromiseStatus::Pending);
        if keep {
            promises.insert(p.account.0, p);
        }
    }
    let mut consents: HashMap<i64, Vec<Consent>> = HashMap::new();
    for (debtor, c) in raw.consents {
        consents.entry(debtor.0).or_default().push(c);
    }
    let mut contacts: HashMap<i64, Contacts> = HashMap::new();
    for i in raw.interactions {
        let entry = contacts.entry(i.account.0).or_default();
        if let Ok(channel) = Channel::parse(&i.channel) {
            entry.0.push((channel, i.at));
        }
        entry.1 = i.outcome;
    }
    Ok(Loaded {
        promises,
        paused: raw.paused.into_iter().map(|a| a.0).collect(),
        consents,
        contacts,
        teams: raw.teams,
    })
}

/// A call or visit waiting for a collector.
struct Waiting {
    team: i64,
    candidate: Candidate<'static>,
}

/// Runs the nightly job for one creditor; returns its report.
pub fn run_creditor(
    store: &dyn Store,
    creditor: &Creditor,
    options: &RunOptions<'_>,
    clock: &dyn Clock,
) -> anyhow::Result<RunReport> {
    run_creditor_observed(store, creditor, options, clock, &mut |_, _| {})
}

/// `run_creditor`, calling `after_chunk(run, rows written so far)` after each chunk of the
/// queue is committed (the kill-and-rerun test pauses there; progress could report it).
pub fn run_creditor_observed(
    store: &dyn Store,
    creditor: &Creditor,
    options: &RunOptions<'_>,
    clock: &dyn Clock,
    after_chunk: &mut dyn FnMut(RunId, u64),
) -> anyhow::Result<RunReport> {
    let started = Instant::now();
    let now = clock.now();
    let run = store
        .begin_run(
            &NewRun {
                creditor: creditor.id,
                as_of: options.as_of,
                strategy: options.strategy.name.clone(),
                holder: holder(),
                started_at: now,
                lease_until: now + options.lease,
                actor: options.actor.clone(),
            },
            &holder_is_dead,
        )
        .with_context(|| {
            format!(
                "starting the run of {} as of {}",
                creditor.code, options.as_of
            )
        })?;
    store
        .prune_runs(creditor.id)
        .context("cleaning up earlier runs")?;
    match execute(store, creditor, options, clock, run, started, after_chunk) {
        Ok(report) => Ok(report),
        Err(e) => {
            // Best effort: a failed run must not hold the lock; its rows go at the next prune.
            let _ = store.abandon_run(run, &format!("{e:#}"), &options.actor);
            Err(e)
        }
    }
}

fn execute(
    store: &dyn Store,
    creditor: &Creditor,
    options: &RunOptions<'_>,
    clock: &dyn Clock,
    run: RunId,
    started: Instant,
    after_chunk: &mut dyn FnMut(RunId, u64),
) -> anyhow::Result<RunReport> {
    let strategy = options.strategy;
    let cx = load_context(store, creditor, options)?;
    let default_team = cx.teams.first().map(|t| t.id);
    let labels = options.buckets.labels();
    let mut report = RunReport {
        creditor: creditor.code.clone(),
        run: run.0,
        as_of: options.as_of.to_string(),
        strategy: strategy.name.clone(),
        ..RunReport::default()
    };
    let mut planner = WindowPlanner::new(options.gate, options.as_of);
    let mut chunk: Vec<NewAction<'_>> = Vec::with_capacity(ACTION_CHUNK);
    let mut waiting: Vec<Waiting> = Vec::new();
    let mut changes: Vec<PromiseChange> = Vec::new();
    let percent = strategy.challenger_percent();
    let arms = ArmHasher::new(&creditor.code);
    // Counters indexed by (arm, rule or none), action, (bucket, action), refusal rule.
    let rule_slots = strategy.champion.rules.len() + 1;
    let mut by_rule = vec![0u64; 2 * (strategy.arm(1).rules.len().max(rule_slots) + 1)];
    let width = by_rule.len() / 2;
    let actions = sepakat_domain::strategy::Action::ALL;
    let mut by_bucket = vec![0u64; labels.len() * actions.len()];
    let mut refused: HashMap<&'static str, u64> = HashMap::new();

    let (tx, rx) = sync_channel::<Vec<AccountSnapshot>>(8);
    let written = std::thread::scope(|scope| -> anyhow::Result<u64> {
        let reader = scope.spawn(|| {
            let tx = tx;
            store.scan_open_accounts(creditor.id, &arms, &mut |batch| {
                tx.send(batch.to_vec()).is_ok()
            })
        });
        let mut written = 0u64;
        for batch in rx.iter() {
            for a in &batch {
                report.accounts += 1;
                let zone = a.province.zone();
                let dpd = Dpd::as_of(a.oldest_unpaid_due, options.as_of);
                let bucket = options.buckets.classify(dpd).index;
                let day_start = start_of_day(zone, options.as_of);
                let promise = cx.promises.get(&a.id.0).map(|p| {
                    let status = if p.status == PromiseStatus::Pending {
                        let s = Promise {
                            amount: p.amount,
                            promised_on: p.promised_on,
                            paid: p.paid,
                            zone,
                        }
                        .evaluate(day_start, strategy.grace_days);
                        if s != PromiseStatus::Pending {
                            changes.push(PromiseChange {
                                id: p.id,
                                account: a.id,
                                status: s,
                            });
                        }
                        s
                    } else {
                        p.status
                    };
                    PromiseFacts {
                        status,
                        days_since_promised: (options.as_of - p.promised_on).num_days(),
                    }
                });
                let contact = cx.contacts.get(&a.id.0);
                let facts = AccountFacts {
                    product: a.product,
                    dpd,
                    days_to_due: a
                        .oldest_unpaid_due
                        .filter(|d| *d >= options.as_of)
                        .and_then(|d| u32::try_from((d - options.as_of).num_days()).ok()),
                    bucket,
                    kolektibilitas: creditor.regime.classify(dpd),
                    outstanding: a.outstanding,
                    score: None,
                    promise,
                    days_since_contact: contact.and_then(|(h, _)| h.last()).and_then(|(_, at)| {
                        u32::try_from((day_start - *at).num_days().max(0)).ok()
                    }),
                    last_outcome: contact.map(|(_, o)| o.as_str()),
                    paused: cx.paused.contains(&a.id.0),
                };
                let choice = strategy.decide(arm_of(a.arm_key, percent), &facts);
                let slot = usize::from(choice.arm) * width + choice.rule.map_or(width - 1, |r| r);
                by_rule[slot] += 1;
                by_bucket[bucket * actions.len() + choice.action.index()] += 1;
                let Some(rule_index) = choice.rule else {
                    continue;
                };
                if choice.action == sepakat_domain::strategy::Action::None {
                    continue;
                }
                let window = match choice.action.channel() {
                    None => None,
                    Some(channel) => {
                        let history = contact.map(|(h, _)| h.as_slice()).unwrap_or(&[]);
                        let (today, week) = count_attempts(
                            zone,
                            channel,
                            day_start + Duration::hours(24) - Duration::seconds(1),
                            history.iter().copied(),
                        );
                        let consents = cx
                            .consents
                            .get(&a.debtor.0)
                            .map(Vec::as_slice)
                            .unwrap_or(&[]);
                        match planner.plan(&Contact {
                            zone,
                            channel,
                            paused: facts.paused,
                            consents,
                            attempts_today: today,
                            attempts_this_week: week,
                        }) {
                            Planned::AnyTime => None,
                            Planned::Window { start, end } => Some((start, end)),
                            Planned::Refused(rule) => {
                                *refused.entry(rule.code()).or_default() += 1;
                                continue;
                            }
                        }
                    }
                };
                let rule = &strategy.arm(choice.arm).rules[rule_index];
                let priority = strategy.priority(&facts);
                let team = a.team.or(default_team);
                if let (Some(kind), Some(team)) = (choice.action.collector(), team) {
                    waiting.push(Waiting {
                        team,
                        candidate: Candidate {
                            account: a.id.0,
                            priority,
                            kind,
                            province: a.province,
                            // The schema records no debtor language yet.
                            language: None,
                            sticky: a.collector.map(|u| u.0),
                        },
                    });
                } else if choice.action.collector().is_some() {
                    report.unallocated += 1;
                }
                chunk.push(NewAction {
                    account: a.id,
                    arm: choice.arm,
                    rule: &rule.id,
                    action: choice.action,
                    template: rule.template.as_deref(),
                    priority,
                    window,
                    team,
                    dpd: dpd.days(),
                    bucket: &labels[bucket],
                    kolektibilitas: facts.kolektibilitas.class(),
                    promise: promise.map(|p| p.status),
                });
                if chunk.len() == ACTION_CHUNK {
                    store.write_actions(run, &chunk, clock.now() + options.lease)?;
                    written += chunk.len() as u64;
                    chunk.clear();
                    after_chunk(run, written);
                }
            }
        }
        reader
            .join()
            .map_err(|_| anyhow::anyhow!("the account reader panicked"))?
            .context("reading open accounts")?;
        if !chunk.is_empty() {
            store.write_actions(run, &chunk, clock.now() + options.lease)?;
            written += chunk.len() as u64;
            after_chunk(run, written);
        }
        Ok(written)
    })?;
    report.actions = written;

    // Allocation per team, then each collector's worklist in rank order.
    waiting.sort_by_key(|w| w.team);
    let mut allocations: Vec<(i64, f64, i64)> = Vec::new();
    for group in waiting.chunk_by(|a, b| a.team == b.team) {
        let Some(team) = cx.teams.iter().find(|t| t.id == group[0].team) else {
            report.unallocated += group.len() as u64;
            continue;
        };
        let candidates: Vec<Candidate<'_>> = group.iter().map(|w| w.candidate).collect();
        for (c, collector) in candidates.iter().zip(allocate(team, &candidates)) {
            match collector {
                Some(user) => allocations.push((user, c.priority, c.account)),
                None => report.unallocated += 1,
            }
        }
    }
    allocations.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)));
    let mut rows: Vec<Allocation> = Vec::with_capacity(allocations.len());
    for (i, (user, _, account)) in allocations.iter().enumerate() {
        let position = if i > 0 && allocations[i - 1].0 == *user {
            rows[i - 1].position + 1
        } else {
            0
        };
        rows.push(Allocation {
            collector: sepakat_store::UserId(*user),
            position,
            account: sepakat_store::AccountId(*account),
        });
    }
    report.allocated = rows.len() as u64;
    for part in rows.chunks(ACTION_CHUNK) {
        store.write_allocations(run, part)?;
    }

    for arm in 0..2u8 {
        if arm == 1 && strategy.challenger.is_none() {
            break;
        }
        let a = strategy.arm(arm);
        for slot in 0..width {
            let n = by_rule[usize::from(arm) * width + slot];
            if n == 0 {
                continue;
            }
            let id = a.rules.get(slot).map_or("(none)", |r| r.id.as_str());
            let key = if strategy.challenger.is_some() {
                format!("{}/{id}", a.name)
            } else {
                id.to_string()
            };
            report.by_rule.insert(key, n);
            *report.by_arm.entry(a.name.clone()).or_default() += n;
        }
    }
    for (b, label) in labels.iter().enumerate() {
        for (i, action) in actions.iter().enumerate() {
            let n = by_bucket[b * actions.len() + i];
            if n > 0 {
                *report
                    .by_action
                    .entry(action.code().to_string())
                    .or_default() += n;
                report
                    .by_bucket
                    .entry(label.clone())
                    .or_default()
                    .insert(action.code().to_string(), n);
            }
        }
    }
    report.refused = refused
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    for c in &changes {
        *report
            .promises
            .entry(c.status.code().to_string())
            .or_default() += 1;
    }
    report.gate_searches = planner.searches;
    report.seconds = started.elapsed().as_secs_f64();
    store
        .finish_run(
            run,
            &RunFinish {
                finished_at: clock.now(),
                actions: written,
                report: serde_json::to_value(&report)?,
                promise_changes: changes,
                actor: options.actor.clone(),
            },
        )
        .context("putting the new queue in force")?;
    store
        .prune_runs(creditor.id)
        .context("cleaning up the superseded queue")?;
    Ok(report)
}
