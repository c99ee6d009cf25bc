//! The nightly run: for one creditor and date, stream the open accounts, age and classify
//! them, evaluate their promises, apply the strategy, plan each action's allowed window
//! through the compliance gate, allocate calls and visits to collectors, write the queue
//! under a new run id and put it in force in one short transaction (`RunStore`).
//!
//! The store reads accounts on a second thread, which also decides each one
//! (`evaluate`) and hands the actions over in batches; this thread writes the queue in
//! chunks. Only calls and visits waiting for a
//! collector stay in memory (a few dozen bytes each) until allocation at the end.

mod evaluate;
mod floor;
mod report;

use std::collections::HashMap;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use anyhow::Context;
use chrono::{Days, Duration, NaiveDate};
use sepakat_domain::compliance::{Channel, Consent, Gate};
use sepakat_domain::strategy::window::start_of_day;
use sepakat_domain::strategy::{allocate, ArmHasher, Candidate, Strategy, Team};
use sepakat_domain::{BucketSet, Clock, PromiseStatus};
use sepakat_store::{
    Actor, Allocation, Creditor, NewAction, NewRun, PromiseRow, RunFinish, RunId, Store,
    ACTION_CHUNK,
};

use crate::negotiation::track_arrangements;
use crate::scoring::{history_instant, Scoring};
use evaluate::{Contacts, Evaluator, Loaded};

pub use floor::storage_floor;
pub use report::{RunReport, ScoringSummary};

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
    /// Whether to score with the creditor's active model, if it has one (the benchmark
    /// turns it off to measure what scoring costs).
    pub score: bool,
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

fn load_context(
    store: &dyn Store,
    creditor: &Creditor,
    options: &RunOptions<'_>,
    scoring: bool,
) -> anyhow::Result<(Loaded, Vec<Team>)> {
    let lookback = options
        .as_of
        .checked_sub_days(Days::new(u64::from(options.strategy.lookback_days)))
        .unwrap_or(options.as_of);
    // The earliest zone (WIT) starts the day first.
    let since = start_of_day(sepakat_domain::Zone::Wit, lookback);
    let raw = store
        .run_context(creditor.id, options.as_of, lookback, since)
        .context("loading promises, pauses, consents and interactions")?;
    // Rows come by account then id: a pending promise wins, else the latest.
    let mut promises: Vec<PromiseRow> = Vec::new();
    for p in raw.promises {
        match promises.last_mut() {
            Some(last) if last.account == p.account => {
                if last.status != PromiseStatus::Pending {
                    *last = p;
                }
            }
            _ => promises.push(p),
        }
    }
    let mut consents: HashMap<i64, Vec<Consent>> = HashMap::new();
    for (debtor, c) in raw.consents {
        consents.entry(debtor.0).or_default().push(c);
    }
    // Interactions come by account then time.
    let mut contacts: Vec<(i64, Contacts)> = Vec::new();
    for i in raw.interactions {
        if contacts.last().is_none_or(|(id, _)| *id != i.account.0) {
            contacts.push((i.account.0, Contacts::default()));
        }
        let Some((_, entry)) = contacts.last_mut() else {
            continue;
        };
        if let Ok(channel) = Channel::parse(&i.channel) {
            entry.0.push((channel, i.at));
        }
        entry.1 = i.outcome;
    }
    // Only a scored run needs the histories; they come sorted by account.
    let histories = if scoring {
        store
            .history_summaries(creditor.id, history_instant(options.as_of))
            .context("summarising account histories for scoring")?
            .into_iter()
            .map(|(a, h)| (a.0, h))
            .collect()
    } else {
        Vec::new()
    };
    let mut paused: Vec<i64> = raw.paused.into_iter().map(|a| a.0).collect();
    paused.sort_unstable();
    paused.dedup();
    Ok((
        Loaded {
            promises,
            paused,
            consents,
            contacts,
            histories,
        },
        raw.teams,
    ))
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
    // The desk's daily work first, each step idempotent and audited: offers past their
    // date lapse, and each arrangement's instalments are judged against the payments.
    let now = clock.now();
    let offers_expired = store
        .expire_offers(creditor.id, now, &options.actor)
        .context("expiring offers")?;
    let arrangements = track_arrangements(
        store,
        creditor.id,
        options.as_of,
        strategy.grace_days,
        now,
        &options.actor,
    )
    .context("tracking arrangements")?;
    let scoring = if options.score {
        Scoring::load(store, creditor.id)
            .with_context(|| format!("loading the scoring model of {}", creditor.code))?
    } else {
        None
    };
    let (cx, teams) = load_context(store, creditor, options, scoring.is_some())?;
    let labels = options.buckets.labels();
    let mut report = RunReport {
        creditor: creditor.code.clone(),
        run: run.0,
        as_of: options.as_of.to_string(),
        strategy: strategy.name.clone(),
        offers_expired,
        arrangements,
        ..RunReport::default()
    };
    let arms = ArmHasher::new(&creditor.code);
    let evaluator = Evaluator::new(
        options,
        &cx,
        creditor.regime.clone(),
        labels,
        teams.first().map(|t| t.id),
        scoring.as_ref(),
    );

    // The scanning thread also decides each account and hands over its actions in
    // batches; this thread writes them in chunks. The two sides cost about the same,
    // so the two cores stay busy.
    let (tx, rx) = sync_channel::<Vec<NewAction<'_>>>(8);
    let (written, ev) = std::thread::scope(|scope| -> anyhow::Result<(u64, Evaluator<'_>)> {
        let reader = scope.spawn(move || {
            let tx = tx;
            let mut ev = evaluator;
            let scanned = store.scan_open_accounts(creditor.id, &arms, &mut |batch| {
                let mut out = Vec::with_capacity(batch.len());
                ev.batch(batch, &mut out);
                out.is_empty() || tx.send(out).is_ok()
            });
            scanned.map(|_| ev)
        });
        let mut chunk: Vec<NewAction<'_>> = Vec::with_capacity(ACTION_CHUNK);
        let mut written = 0u64;
        let mut write = |chunk: &mut Vec<NewAction<'_>>| -> anyhow::Result<()> {
            store.write_actions(run, chunk, clock.now() + options.lease)?;
            written += chunk.len() as u64;
            chunk.clear();
            after_chunk(run, written);
            Ok(())
        };
        for batch in rx.iter() {
            let mut rest = &batch[..];
            while !rest.is_empty() {
                let take = rest.len().min(ACTION_CHUNK - chunk.len());
                chunk.extend_from_slice(&rest[..take]);
                rest = &rest[take..];
                if chunk.len() == ACTION_CHUNK {
                    write(&mut chunk)?;
                }
            }
        }
        let ev = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the account reader panicked"))?
            .context("reading open accounts")?;
        if !chunk.is_empty() {
            write(&mut chunk)?;
        }
        Ok((written, ev))
    })?;
    let Evaluator {
        planner,
        mut waiting,
        changes,
        by_rule,
        width,
        by_bucket,
        refused,
        accounts: scanned,
        unallocated,
        scored,
        probability_sum,
        ..
    } = ev;
    report.scoring = scoring.as_ref().map(|s| ScoringSummary {
        version: s.info().version,
        algorithm: s.info().algorithm.clone(),
        scored,
        mean_probability: if scored > 0 {
            probability_sum / scored as f64
        } else {
            0.0
        },
    });
    report.accounts = scanned;
    report.unallocated = unallocated;
    let actions = sepakat_domain::strategy::Action::ALL;
    report.actions = written;

    // Allocation per team, then each collector's worklist in rank order.
    waiting.sort_by_key(|w| w.team);
    let mut allocations: Vec<(i64, f64, i64)> = Vec::new();
    for group in waiting.chunk_by(|a, b| a.team == b.team) {
        let Some(team) = teams.iter().find(|t| t.id == group[0].team) else {
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
