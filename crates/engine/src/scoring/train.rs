//! Training a propensity-to-pay model on a creditor's own history.
//!
//! For a series of past dates (the newest one `horizon` days before the as-of date, then
//! every `step` days back), each sampled account's state and history are reconstructed as
//! they stood on that date ([`ScoringStore::training_states`], [`ScoringStore::history_summaries`])
//! and labelled by what followed: **positive when the account paid at least one instalment
//! (or what it owed, if less) within `horizon` days**. The split is by time: the newest
//! dates, at least a fifth of the rows, are the test part; the model learns from the older
//! ones only (its own 80/20 split inside stops the trees and calibrates). Both learners are
//! fitted; the one with the better test AUC is kept, unless one was asked for.

use std::collections::HashMap;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sepakat_domain::scoring::{features, History, Row, Value, FEATURES, FEATURE_SET};
use sepakat_model::{evaluate, train, Algorithm, Table, TrainSpec};
use sepakat_store::{AccountId, Actor, CreditorId, ModelInfo, NewModel, Store, TrainingState};
use serde::Serialize;

use super::history_instant;

/// The target column of a training table.
pub const TARGET: &str = "paid";

/// What to train on.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// The last date whose outcome is known is `as_of - horizon_days`.
    pub as_of: NaiveDate,
    /// Days after a date in which a payment counts.
    pub horizon_days: u32,
    /// How many past dates to learn from.
    pub dates: u32,
    /// Days between those dates.
    pub step_days: u32,
    /// Accounts sampled: those whose id modulo 100 is below this.
    pub sample_percent: u32,
    /// One learner, or `None` for the better of the two on the test dates.
    pub algorithm: Option<Algorithm>,
}

impl TrainOptions {
    /// Defaults: 30-day horizon, 12 monthly dates, every account.
    pub fn new(as_of: NaiveDate) -> TrainOptions {
        TrainOptions {
            as_of,
            horizon_days: 30,
            dates: 12,
            step_days: 30,
            sample_percent: 100,
            algorithm: None,
        }
    }

    /// The dates learned from, oldest first.
    pub fn dates(&self) -> Vec<NaiveDate> {
        let newest = self.as_of - Duration::days(i64::from(self.horizon_days));
        let mut out: Vec<NaiveDate> = (0..self.dates)
            .map(|k| newest - Duration::days(i64::from(k) * i64::from(self.step_days)))
            .collect();
        out.reverse();
        out
    }
}

/// One labelled example: an account on a past date.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The date.
    pub date: NaiveDate,
    /// The account.
    pub account: AccountId,
    /// Its features on the date.
    pub row: Row,
    /// Whether it paid within the horizon.
    pub paid: bool,
}

/// Whether what followed a state counts as paying: at least one instalment, or all that
/// was owed when that is less.
pub fn paid(state: &TrainingState) -> bool {
    let owed = state.state.outstanding.value();
    let instalment = state.state.instalment.value();
    let needed = if instalment > 0 {
        instalment.min(owed)
    } else {
        owed
    };
    needed > 0 && state.paid_after.value() >= needed
}

/// The labelled examples of a creditor, by date then account.
pub fn examples(
    store: &dyn Store,
    creditor: CreditorId,
    options: &TrainOptions,
) -> anyhow::Result<Vec<Example>> {
    if options.horizon_days == 0 || options.step_days == 0 || options.dates == 0 {
        bail!("horizon, step and number of dates must each be at least 1");
    }
    if options.sample_percent == 0 || options.sample_percent > 100 {
        bail!(
            "sample percent must be 1 to 100, not {}",
            options.sample_percent
        );
    }
    let mut out = Vec::new();
    for date in options.dates() {
        let at: DateTime<Utc> = history_instant(date);
        let horizon_end = at + Duration::days(i64::from(options.horizon_days));
        let states = store
            .training_states(creditor, date, at, horizon_end, options.sample_percent)
            .with_context(|| format!("reconstructing the accounts on {date}"))?;
        if states.is_empty() {
            continue;
        }
        let histories: HashMap<AccountId, History> = store
            .history_summaries(creditor, at)
            .with_context(|| format!("summarising the histories to {date}"))?
            .into_iter()
            .collect();
        for s in &states {
            let history = histories.get(&s.account).copied().unwrap_or_default();
            out.push(Example {
                date,
                account: s.account,
                row: features(&s.state, &history, date, at),
                paid: paid(s),
            });
        }
    }
    Ok(out)
}

fn cell(v: Value) -> String {
    match v {
        Value::Number(x) => x.to_string(),
        Value::Code(c) => c.to_string(),
        Value::Missing => String::new(),
    }
}

/// The examples as a table: one column per feature, then `paid` (1 or 0).
pub fn table(examples: &[Example]) -> Table {
    let mut names: Vec<String> = FEATURES.iter().map(|f| f.name.to_string()).collect();
    names.push(TARGET.to_string());
    let mut columns: Vec<Vec<String>> = vec![Vec::with_capacity(examples.len()); names.len()];
    for e in examples {
        for (i, v) in e.row.iter().enumerate() {
            columns[i].push(cell(*v));
        }
        columns[FEATURES.len()].push(if e.paid { "1" } else { "0" }.to_string());
    }
    // The names and columns are built together above, so they always match.
    Table::from_columns(names, columns).unwrap_or_else(|| unreachable!("columns match names"))
}

/// Writes the examples as CSV (date, account, features, paid), for `sepakat model train
/// --data` or any other tool.
pub fn write_csv(examples: &[Example], path: &std::path::Path) -> anyhow::Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
    let mut header = vec!["date".to_string(), "account".to_string()];
    header.extend(FEATURES.iter().map(|f| f.name.to_string()));
    header.push(TARGET.to_string());
    w.write_record(&header)?;
    for e in examples {
        let mut record = vec![e.date.to_string(), e.account.0.to_string()];
        record.extend(e.row.iter().map(|v| cell(*v)));
        record.push(if e.paid { "1" } else { "0" }.to_string());
        w.write_record(&record)?;
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// One learner's figures on the test dates.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// The learner.
    pub algorithm: String,
    /// Training time in seconds.
    pub seconds: f64,
    /// AUC on the test dates.
    pub test_auc: f64,
    /// Log-loss on the test dates.
    pub test_logloss: f64,
    /// AUC of its own held-out part (same dates as training).
    pub holdout_auc: Option<f64>,
}

/// What training did.
#[derive(Debug, Clone, Serialize)]
pub struct TrainReport {
    /// The feature set.
    pub feature_set: String,
    /// The horizon in days.
    pub horizon_days: u32,
    /// Dates with examples, oldest first.
    pub dates: Vec<NaiveDate>,
    /// Examples in all.
    pub rows: usize,
    /// Of them, positive.
    pub positives: usize,
    /// Examples learned from.
    pub train_rows: usize,
    /// Examples tested on.
    pub test_rows: usize,
    /// The first test date.
    pub test_from: NaiveDate,
    /// Each learner fitted.
    pub candidates: Vec<Candidate>,
    /// The learner kept.
    pub chosen: String,
    /// What the trainer noticed about the data.
    pub notes: Vec<String>,
}

/// The first test date: the newest dates holding at least a fifth of the examples, and
/// never the oldest date (something must be left to learn from).
fn test_from(examples: &[Example]) -> Option<NaiveDate> {
    let mut dates: Vec<NaiveDate> = examples.iter().map(|e| e.date).collect();
    dates.dedup();
    if dates.len() < 2 {
        return None;
    }
    let want = examples.len().div_ceil(5);
    let mut seen = 0;
    for &d in dates.iter().rev().take(dates.len() - 1) {
        seen += examples.iter().filter(|e| e.date == d).count();
        if seen >= want {
            return Some(d);
        }
    }
    dates.get(1).copied()
}

/// Trains on the examples and returns the model kept with the report.
pub fn fit(
    examples: &[Example],
    options: &TrainOptions,
) -> anyhow::Result<(sepakat_model::Model, TrainReport)> {
    let first = test_from(examples).with_context(|| {
        format!(
            "{} examples on fewer than two dates: a time-based split needs at least two dates with accounts (use more --dates or an earlier --as-of)",
            examples.len()
        )
    })?;
    let (train_part, test_part): (Vec<Example>, Vec<Example>) =
        examples.iter().cloned().partition(|e| e.date < first);
    let train_table = table(&train_part);
    let test_table = table(&test_part);
    let algorithms = match options.algorithm {
        Some(a) => vec![a],
        None => vec![Algorithm::Gbt, Algorithm::Logistic],
    };
    let mut notes = Vec::new();
    let mut fitted = Vec::new();
    for algorithm in algorithms {
        let started = Instant::now();
        let trained = train(
            &train_table,
            &TrainSpec::new(TARGET, algorithm),
            options.as_of,
        )
        .with_context(|| {
            format!(
                "training {algorithm} on {} examples before {first}",
                train_part.len()
            )
        })?;
        let seconds = started.elapsed().as_secs_f64();
        let tested = evaluate(&trained.model, &test_table, TARGET).with_context(|| {
            format!(
                "testing {algorithm} on {} examples from {first}",
                test_part.len()
            )
        })?;
        for n in trained.notes {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
        let candidate = Candidate {
            algorithm: algorithm.to_string(),
            seconds,
            test_auc: tested.auc,
            test_logloss: tested.logloss,
            holdout_auc: trained.model.metrics.holdout_auc,
        };
        fitted.push((trained.model, candidate));
    }
    let best = fitted
        .iter()
        .enumerate()
        .max_by(|a, b| a.1 .1.test_auc.total_cmp(&b.1 .1.test_auc))
        .map_or(0, |(i, _)| i);
    let candidates: Vec<Candidate> = fitted.iter().map(|(_, c)| c.clone()).collect();
    let (model, chosen) = fitted.swap_remove(best);
    let mut dates: Vec<NaiveDate> = examples.iter().map(|e| e.date).collect();
    dates.dedup();
    let report = TrainReport {
        feature_set: FEATURE_SET.to_string(),
        horizon_days: options.horizon_days,
        dates,
        rows: examples.len(),
        positives: examples.iter().filter(|e| e.paid).count(),
        train_rows: train_part.len(),
        test_rows: test_part.len(),
        test_from: first,
        candidates,
        chosen: chosen.algorithm,
        notes,
    };
    Ok((model, report))
}

/// Trains on a creditor's history and stores the model as its new active version.
pub fn train_creditor(
    store: &dyn Store,
    creditor: CreditorId,
    options: &TrainOptions,
    now: DateTime<Utc>,
    actor: &Actor,
) -> anyhow::Result<(ModelInfo, TrainReport)> {
    let examples = examples(store, creditor, options)?;
    let (model, report) = fit(&examples, options)?;
    let info = store
        .save_model(
            &NewModel {
                creditor,
                algorithm: report.chosen.clone(),
                feature_set: FEATURE_SET.to_string(),
                horizon_days: options.horizon_days,
                trained_at: now,
                metrics: serde_json::to_value(&report)?,
                artifact: model.to_json(),
            },
            actor,
        )
        .context("storing the model")?;
    Ok((info, report))
}
