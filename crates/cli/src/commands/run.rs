//! `sepakat run --as-of DATE [--creditor CODE] [--strategy FILE]`: the nightly run for
//! every creditor (or one), printing each run's report. `serve` runs the same job on the
//! `[run] schedule` (`schedule.rs`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};
use sepakat_domain::strategy::{Strategy, DEFAULT_TOML};
use sepakat_domain::{Clock, SystemClock};
use sepakat_engine::run::{run_creditor_observed, RunOptions, RunReport};
use sepakat_store::{Actor, Creditor, Store};

use crate::cli::RunArgs;
use crate::config::Config;

/// How long a run's lease holds between two written chunks before another run may take
/// over (a chunk takes well under a second; a dead holder on this host is seen at once).
const LEASE_SECONDS: i64 = 120;

/// Test hook: when set (to anything), the run stops for good after its first committed
/// chunk and says so on stderr, so the kill-and-rerun test (`tests/cli_run.rs`) kills it
/// at a known point instead of guessing with timers.
const PAUSE_VAR: &str = "SEPAKAT_RUN_PAUSE_AFTER_CHUNK";

fn pause_after_chunk(run: sepakat_store::RunId, written: u64) {
    eprintln!("sepakat run: paused after the first chunk of run {run} ({written} actions written; {PAUSE_VAR} is set)");
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

/// The strategy: the file given, else `[run] strategy_file`, else the shipped one.
pub(crate) fn strategy(config: &Config, file: Option<&Path>) -> Result<Strategy> {
    let buckets = &config.collection.dpd_buckets;
    let configured = (!config.run.strategy_file.is_empty())
        .then(|| Path::new(config.run.strategy_file.as_str()));
    match file.or(configured) {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading strategy file {}", path.display()))?;
            Strategy::from_toml(&text, buckets)
                .with_context(|| format!("strategy file {}", path.display()))
        }
        None => Strategy::from_toml(DEFAULT_TOML, buckets).context("the shipped strategy"),
    }
}

/// Runs the job for `as_of` over `creditors`, handing each report to `report` as it is
/// done; stops at the first creditor whose run fails.
pub(crate) fn run_all(
    config: &Config,
    store: &dyn Store,
    strategy: &Strategy,
    creditors: &[Creditor],
    as_of: NaiveDate,
    clock: &dyn Clock,
    report: &mut dyn FnMut(RunReport),
) -> Result<()> {
    let gate = config.compliance.gate()?;
    let options = RunOptions {
        as_of,
        strategy,
        gate: &gate,
        buckets: &config.collection.dpd_buckets,
        lease: Duration::seconds(LEASE_SECONDS),
        actor: Actor::system("system:run"),
        score: true,
    };
    let pause = std::env::var_os(PAUSE_VAR).is_some();
    for creditor in creditors {
        let mut after_chunk = |run, written| {
            if pause {
                pause_after_chunk(run, written);
            }
        };
        report(run_creditor_observed(
            store,
            creditor,
            &options,
            clock,
            &mut after_chunk,
        )?);
    }
    Ok(())
}

/// Runs the nightly job and prints the reports.
pub fn run(config: &Config, args: RunArgs) -> Result<ExitCode> {
    let strategy = strategy(config, args.strategy.as_deref())?;
    let store = super::open_store(config)?;
    let creditors = match &args.creditor {
        Some(code) => vec![store
            .creditor_by_code(code)?
            .with_context(|| format!("no creditor with code {code:?}"))?],
        None => store.creditors()?,
    };
    run_all(
        config,
        store.as_ref(),
        &strategy,
        &creditors,
        args.as_of,
        &SystemClock,
        &mut |report| println!("{report}"),
    )?;
    Ok(ExitCode::SUCCESS)
}
