//! `sepakat bench …`: benchmarks that print what they measure (never asserted in tests).

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};
use sepakat_domain::strategy::{Strategy, DEFAULT_TOML};
use sepakat_domain::{Clock, SystemClock};
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
        } => bench_run(config, url_flag, accounts, dir, strategy, as_of, model)?,
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

#[allow(clippy::too_many_arguments)]
fn bench_run(
    config: &Config,
    url_flag: Option<String>,
    accounts: u64,
    dir: Option<std::path::PathBuf>,
    strategy: Option<std::path::PathBuf>,
    as_of: Option<NaiveDate>,
    model: Option<std::path::PathBuf>,
) -> Result<()> {
    let as_of = match as_of {
        Some(d) => d,
        None => NaiveDate::from_ymd_opt(2026, 11, 24).context("benchmark date")?,
    };
    let url = match url_flag {
        Some(u) => u,
        None => {
            let dir = dir.unwrap_or_else(|| ".".into());
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
            accounts,
            seed: 42,
            today: as_of,
        };
        let mut progress = crate::progress::CliProgress::new("demo");
        generate(store.as_ref(), &options, &mut progress)
            .context("generating the benchmark data")?;
        println!(
            "data:          {accounts} demo accounts made in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let buckets = &config.collection.dpd_buckets;
    let strategy = match strategy {
        Some(p) => Strategy::from_toml(
            &std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?,
            buckets,
        )?,
        None => Strategy::from_toml(DEFAULT_TOML, buckets)?,
    };
    let gate = config.compliance.gate()?;
    let options = RunOptions {
        as_of,
        strategy: &strategy,
        gate: &gate,
        buckets,
        lease: Duration::seconds(120),
        actor: Actor::system("system:bench"),
        score: model.is_none(),
    };
    let creditors = store.creditors()?;
    let started = Instant::now();
    let mut reports = Vec::new();
    for c in &creditors {
        reports.push(run_creditor(store.as_ref(), c, &options, &SystemClock)?);
    }
    let run_seconds = started.elapsed().as_secs_f64();
    if let Some(path) = &model {
        let scored = scored_run(store.as_ref(), &creditors, &options, path)?;
        println!("run unscored:  {run_seconds:.2} s");
        println!(
            "run scored:    {scored:.2} s (scoring {:.2} s, {:.1}% of the scored run)",
            scored - run_seconds,
            100.0 * (scored - run_seconds) / scored.max(1e-9)
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
    println!("run:           {run_seconds:.2} s");
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

/// Installs the model artifact at `path` for every creditor, runs again with scoring and
/// returns the run's seconds.
fn scored_run(
    store: &dyn sepakat_store::Store,
    creditors: &[sepakat_store::Creditor],
    options: &RunOptions<'_>,
    path: &std::path::Path,
) -> Result<f64> {
    let artifact =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let model = sepakat_model::Model::from_json(&artifact)
        .with_context(|| format!("loading {}", path.display()))?;
    for c in creditors {
        store.save_model(
            &sepakat_store::NewModel {
                creditor: c.id,
                algorithm: model.algorithm().to_string(),
                feature_set: sepakat_domain::scoring::FEATURE_SET.to_string(),
                horizon_days: 30,
                trained_at: SystemClock.now(),
                metrics: serde_json::json!({ "installed_from": path.display().to_string() }),
                artifact: artifact.clone(),
            },
            &Actor::system("system:bench"),
        )?;
    }
    let scored = RunOptions {
        as_of: options.as_of,
        strategy: options.strategy,
        gate: options.gate,
        buckets: options.buckets,
        lease: options.lease,
        actor: options.actor.clone(),
        score: true,
    };
    let started = Instant::now();
    for c in creditors {
        let report = run_creditor(store, c, &scored, &SystemClock)?;
        if let Some(s) = &report.scoring {
            println!(
                "scored:        {} {} accounts, mean probability {:.3}",
                c.code, s.scored, s.mean_probability
            );
        }
    }
    Ok(started.elapsed().as_secs_f64())
}
