//! `sepakat run --as-of DATE [--creditor CODE] [--strategy FILE]`: the nightly run for
//! every creditor (or one), printing each run's report.

use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::Duration;
use sepakat_domain::strategy::{Strategy, DEFAULT_TOML};
use sepakat_domain::SystemClock;
use sepakat_engine::run::{run_creditor, RunOptions};
use sepakat_store::Actor;

use crate::cli::RunArgs;
use crate::config::Config;

/// How long a run's lease holds between two written chunks before another run may take
/// over (a chunk takes well under a second; a dead holder on this host is seen at once).
const LEASE_SECONDS: i64 = 120;

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
    for creditor in &creditors {
        let report = run_creditor(store.as_ref(), creditor, &options, &SystemClock)?;
        println!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}
