//! `sepakat run --as-of DATE [--creditor CODE] [--strategy FILE]`: the nightly run for
//! every creditor (or one), printing each run's report.

use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::Duration;
use sepakat_domain::strategy::{Strategy, DEFAULT_TOML};
use sepakat_domain::SystemClock;
use sepakat_engine::run::{run_creditor_observed, RunOptions};
use sepakat_store::Actor;

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

/// Runs the nightly job and prints the reports.
pub fn run(config: &Config, args: RunArgs) -> Result<ExitCode> {
    let buckets = &config.collection.dpd_buckets;
    let strategy = match &args.strategy {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading strategy file {}", path.display()))?;
            Strategy::from_toml(&text, buckets)
                .with_context(|| format!("strategy file {}", path.display()))?
        }
        None => Strategy::from_toml(DEFAULT_TOML, buckets).context("the shipped strategy")?,
    };
    let gate = config.compliance.gate()?;
    let store = super::open_store(config)?;
    let creditors = match &args.creditor {
        Some(code) => vec![store
            .creditor_by_code(code)?
            .with_context(|| format!("no creditor with code {code:?}"))?],
        None => store.creditors()?,
    };
    let options = RunOptions {
        as_of: args.as_of,
        strategy: &strategy,
        gate: &gate,
        buckets,
        lease: Duration::seconds(LEASE_SECONDS),
        actor: Actor::system("system:run"),
    };
    let pause = std::env::var_os(PAUSE_VAR).is_some();
    for creditor in &creditors {
        let mut after_chunk = |run, written| {
            if pause {
                pause_after_chunk(run, written);
            }
        };
        let report = run_creditor_observed(
            store.as_ref(),
            creditor,
            &options,
            &SystemClock,
            &mut after_chunk,
        )?;
        println!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}
