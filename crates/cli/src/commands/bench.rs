//! `sepakat bench …`: benchmarks that print what they measure (never asserted in tests).

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};
use sepakat_domain::strategy::{Strategy, DEFAULT_TOML};
use sepakat_domain::SystemClock;
use sepakat_engine::demo::{generate, DemoOptions};
use sepakat_engine::run::{run_creditor, storage_floor, RunOptions};
use sepakat_store::{AccountQuery, Actor};

use crate::cli::BenchCommand;
use crate::config::Config;

/// Runs a benchmark and prints its figures.
pub fn run(config: &Config, url_flag: Option<String>, cmd: BenchCommand) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Import {
            rows,
            runs,
            dir,
            reimport,
        } => {
            let tmp;
            let dir = match dir {
                Some(d) => {
                    std::fs::create_dir_all(&d)
                        .with_context(|| format!("creating {}", d.display()))?;
                    d
                }
                None => {
                    tmp = tempfile::tempdir().context("creating a temporary directory")?;
                    tmp.path().to_path_buf()
                }
            };
            let report = sepakat_engine::bench::bench_import(rows, runs, reimport, &dir)?;
            println!("{report}");
        }
        BenchCommand::Run {
            accounts,
            dir,
            strategy,
            as_of,
            model,
            repeat,
        } => bench_run(
            config,
            url_flag,
            RunBench {
                accounts,
                dir,
                strategy,
                as_of,
                model,
                repeat,
            },
        )?,
        BenchCommand::Model(args) => super::model::bench(&args)?,
        BenchCommand::Outbox { accounts } => {
            let tmp = tempfile::tempdir().context("creating a temporary directory")?;
            let url = format!("sqlite://{}", tmp.path().join("bench-outbox.db").display());
            let store = sepakat_store::open(&url).context("opening the benchmark database")?;
            store
                .migrate()
                .context("migrating the benchmark database")?;
            let report = sepakat_engine::bench_outbox::bench_outbox(store.as_ref(), accounts)?;
            println!("{report}");
        }
        BenchCommand::Workbench {
            accounts,
            collectors,
            clients,
            seconds,
            rate,
            dir,
        } => {
            let tmp;
            let dir = match dir {
                Some(d) => d,
                None => {
                    tmp = tempfile::tempdir().context("creating a temporary directory")?;
                    tmp.path().to_path_buf()
                }
            };
            let bench = super::bench_workbench::WorkbenchBench {
                accounts,
                collectors,
                clients,
                seconds,
                rate,
                database_url: url_flag,
                dir,
            };
            super::bench_workbench::run(config, &bench)?;
        }
        BenchCommand::Offers { accounts, seed } => {
            let report = sepakat_engine::bench_offers::bench_offers(accounts, seed)?;
            println!("{report}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What `bench run` was asked for.
struct RunBench {
    accounts: u64,
    dir: Option<std::path::PathBuf>,
    strategy: Option<std::path::PathBuf>,
    as_of: Option<NaiveDate>,
    model: Option<std::path::PathBuf>,
    repeat: u32,
}

fn bench_run(config: &Config, url_flag: Option<String>, bench: RunBench) -> Result<()> {
    let as_of = match bench.as_of {
        Some(d) => d,
        None => NaiveDate::from_ymd_opt(2026, 11, 24).context("benchmark date")?,
    };
    let url = match url_flag {
        Some(u) => u,
        None => {
            let dir = bench.dir.unwrap_or_else(|| ".".into());
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            format!("sqlite://{}", dir.join("bench-run.db").display())
        }
    };
    let mut config = config.clone();
    config.database.url = url;
    let store = super::open_store(&config)?;
    let mut empty = true;
    for c in store.creditors()? {
        let q = AccountQuery {
            limit: 1,
            ..AccountQuery::default()
        };
        empty &= store.search_accounts(c.id, &q)?.is_empty();
    }
    if empty {
        let started = Instant::now();
        let options = DemoOptions {
            accounts: bench.accounts,
            seed: 42,
            today: as_of,
        };
        let mut progress = crate::progress::CliProgress::new("demo");
        generate(store.as_ref(), &options, &mut progress)
            .context("generating the benchmark data")?;
        println!(
            "data:          {} demo accounts made in {:.1} s",
            bench.accounts,
            started.elapsed().as_secs_f64()
        );
    }
    let buckets = &config.collection.dpd_buckets;
    let strategy = match &bench.strategy {
        Some(p) => Strategy::from_toml(
            &std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
            buckets,
        )?,
        None => Strategy::from_toml(DEFAULT_TOML, buckets)?,
    };
    let gate = config.compliance.gate()?;
    let options = |score: bool| RunOptions {
        as_of,
        strategy: &strategy,
        gate: &gate,
        buckets,
        lease: Duration::seconds(120),
        actor: Actor::system("system:bench"),
        score,
    };
    let creditors = store.creditors()?;
    if let Some(path) = &bench.model {
        install_model(store.as_ref(), &creditors, path)?;
    }
    // With a model, each round runs once unscored and once scored, so both see the same
    // machine; without one, each round is one run with whatever model is active.
    let mut unscored = Vec::new();
    let mut scored = Vec::new();
    let mut reports = Vec::new();
    for _ in 0..bench.repeat.max(1) {
        let (seconds, round) =
            timed_run(store.as_ref(), &creditors, &options(bench.model.is_none()))?;
        unscored.push(seconds);
        reports = round;
        if bench.model.is_some() {
            let (seconds, round) = timed_run(store.as_ref(), &creditors, &options(true))?;
            scored.push(seconds);
            for (c, report) in creditors.iter().zip(&round) {
                if let Some(s) = &report.scoring {
                    println!(
                        "scored:        {} {} accounts, mean probability {:.3}",
                        c.code, s.scored, s.mean_probability
                    );
                }
            }
        }
    }
    let run_seconds = fastest(&unscored);
    if !scored.is_empty() {
        let with = fastest(&scored);
        println!(
            "run unscored:  {run_seconds:.2} s (fastest of {})",
            seconds_list(&unscored)
        );
        println!(
            "run scored:    {with:.2} s (fastest of {})",
            seconds_list(&scored)
        );
        println!(
            "scoring:       {:.2} s, {:.1}% of the scored run (fastest against fastest)",
            with - run_seconds,
            100.0 * (with - run_seconds) / with.max(1e-9)
        );
    }
    let mut scanned = 0;
    let mut floor_seconds = 0.0;
    for (c, r) in creditors.iter().zip(&reports) {
        let (n, took) = storage_floor(store.as_ref(), c, r.actions, &SystemClock)?;
        scanned += n;
        floor_seconds += took.as_secs_f64();
    }
    let rows: u64 = reports.iter().map(|r| r.actions).sum();
    let read: u64 = reports.iter().map(|r| r.accounts).sum();
    println!("accounts:      {read} open accounts read ({scanned} by the floor)");
    println!("rows written:  {rows}");
    println!(
        "run:           {run_seconds:.2} s (fastest of {})",
        seconds_list(&unscored)
    );
    println!("floor:         {floor_seconds:.2} s (same scan, same rows, no logic)");
    println!(
        "run / floor:   {:.2}",
        run_seconds / floor_seconds.max(1e-9)
    );
    match sepakat_engine::bench::peak_rss_kib() {
        Some(kib) => println!(
            "peak RSS:      {:.1} MB (process peak, VmHWM)",
            kib as f64 / 1024.0
        ),
        None => println!("peak RSS:      unknown"),
    }
    Ok(())
}

/// Runs every creditor once; the wall seconds and the reports.
fn timed_run(
    store: &dyn sepakat_store::Store,
    creditors: &[sepakat_store::Creditor],
    options: &RunOptions<'_>,
) -> Result<(f64, Vec<sepakat_engine::run::RunReport>)> {
    let started = Instant::now();
    let mut reports = Vec::new();
    for c in creditors {
        reports.push(run_creditor(store, c, options, &SystemClock)?);
    }
    Ok((started.elapsed().as_secs_f64(), reports))
}

fn fastest(seconds: &[f64]) -> f64 {
    seconds.iter().copied().fold(f64::INFINITY, f64::min)
}

fn seconds_list(seconds: &[f64]) -> String {
    seconds
        .iter()
        .map(|s| format!("{s:.2}"))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Installs the model artifact at `path` as every creditor's active model.
fn install_model(
    store: &dyn sepakat_store::Store,
    creditors: &[sepakat_store::Creditor],
    path: &std::path::Path,
) -> Result<()> {
    for c in creditors {
        super::scoring::install_artifact(store, c, path, 30, &Actor::system("system:bench"))?;
    }
    Ok(())
}
