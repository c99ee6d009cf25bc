//! `sepakat bench workbench`: the collector workbench API under load. Makes a fresh
//! database (SQLite under --dir, or a `bench_workbench` schema on PostgreSQL), a demo
//! portfolio, one bench team per creditor with the collectors, the nightly run (so they
//! have worklists) and an API token each; serves the real app on 127.0.0.1:0 in this
//! process and drives it over HTTP (`bench_load`). The app's clock stands at 10.00 WIB on
//! the run's day, inside contact hours everywhere. Prints what it measured.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{NaiveDate, TimeZone, Utc};
use sepakat_domain::strategy::{CollectorKind, Strategy, DEFAULT_TOML};
use sepakat_domain::{FixedClock, Role};
use sepakat_engine::demo::{generate, DemoOptions};
use sepakat_engine::run::{run_creditor, RunOptions};
use sepakat_store::postgres::PostgresStore;
use sepakat_store::{Actor, CollectorInfo, Creditor, NewApiToken, NewUser, Store, UserId};
use sepakat_web::AppState;

use super::bench_load::{phase, Client, Drive, Kind, Samples};
use crate::config::Config;

/// The PostgreSQL schema the bench makes afresh (and leaves for inspection).
const PG_SCHEMA: &str = "bench_workbench";

/// What to measure.
#[derive(Debug, Clone)]
pub struct WorkbenchBench {
    /// Demo accounts over the four creditors.
    pub accounts: u64,
    /// Collectors, each with a token and a day's worklist.
    pub collectors: usize,
    /// Client threads, each with one keep-alive connection, working for its share of the
    /// collectors in turn.
    pub clients: usize,
    /// Seconds of each phase.
    pub seconds: f64,
    /// The paced phase's target, requests per second over all clients.
    pub rate: u32,
    /// PostgreSQL URL, else SQLite under `dir`.
    pub database_url: Option<String>,
    /// Directory of the SQLite file.
    pub dir: std::path::PathBuf,
}

/// A bench collector's daily capacity (the demo's desk collectors take 60–80).
const CAPACITY: u32 = 100;

/// A collector with their token.
struct Collector {
    creditor: Creditor,
    user: UserId,
    token: String,
}

/// Runs the benchmark and prints its figures.
pub fn run(config: &Config, bench: &WorkbenchBench) -> Result<()> {
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).context("benchmark date")?;
    let (store, label) = fresh_store(bench)?;
    store
        .migrate()
        .context("migrating the benchmark database")?;
    let started = Instant::now();
    let options = DemoOptions {
        accounts: bench.accounts,
        seed: 42,
        today: day,
    };
    generate(
        store.as_ref(),
        &options,
        &mut sepakat_engine::progress::NoProgress,
    )
    .context("generating the benchmark portfolio")?;
    println!(
        "data:          {} demo accounts in {label}, made in {:.1} s",
        bench.accounts,
        started.elapsed().as_secs_f64()
    );
    // The run at 00.30 WIB of the day; the app at 10.00 WIB.
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 17, 30, 0)
            .single()
            .context("run time")?,
    ));
    let staffed = staff(store.as_ref(), bench, &clock)?;
    let allocated = nightly_run(config, store.as_ref(), day, &clock)?;
    clock.set(
        Utc.with_ymd_and_hms(2026, 11, 24, 3, 0, 0)
            .single()
            .context("serving time")?,
    );
    // A small creditor's queue fills its first collectors only; the others have no work.
    let mut collectors = Vec::new();
    for c in staffed {
        if worklists(store.as_ref(), std::slice::from_ref(&c), clock.as_ref())? > 0 {
            collectors.push(c);
        }
    }
    anyhow::ensure!(
        !collectors.is_empty(),
        "the nightly run gave no collector any work; use more --accounts"
    );
    println!(
        "worklists:     {allocated} accounts allocated by the nightly run; {} of {} collectors have work",
        collectors.len(),
        bench.collectors
    );
    let web = super::serve::web_config(config)?;
    let ttl = web.claim_ttl;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .context("binding 127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = AppState::new(store.clone(), clock.clone(), web);
    let server = runtime.spawn(sepakat_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let k = bench.clients.clamp(1, collectors.len());
    let clients: Vec<Client> = (0..k)
        .map(|n| {
            let tokens: Vec<String> = collectors
                .iter()
                .skip(n)
                .step_by(k)
                .map(|c| c.token.clone())
                .collect();
            Client::new(&base, &tokens, n)
        })
        .collect();

    let (mut mixed, took) = phase(&clients, Drive::Mixed, bench.seconds);
    let secs = took.as_secs_f64();
    let writes = Kind::ALL.iter().map(|k| mixed.ok(*k)).sum::<u64>();
    println!(
        "mixed:         {:.0} write transactions/s ({writes} in {secs:.1} s: next-account → log-interaction, a third with a promise → release; {} clients for {} collectors)",
        writes as f64 / secs,
        clients.len(),
        collectors.len()
    );
    for kind in Kind::ALL {
        latency_line(&mut mixed, kind);
    }
    report_errors("mixed", &mixed);

    let interval = Duration::from_secs_f64(clients.len() as f64 / f64::from(bench.rate.max(1)));
    let (paced, took) = phase(&clients, Drive::Paced(interval), bench.seconds);
    println!(
        "paced:         target {} req/s, achieved {:.0} req/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms (from the scheduled send time)",
        bench.rate,
        paced.requests() as f64 / took.as_secs_f64(),
        paced.overall(50.0),
        paced.overall(95.0),
        paced.overall(99.0)
    );
    report_errors("paced", &paced);

    let queue = worklists(store.as_ref(), &collectors, clock.as_ref())?;
    let free = claim_rate(&clients, bench.seconds);
    let held = pre_claim(store.as_ref(), &collectors, 0.9, ttl, clock.as_ref())?;
    let busy = claim_rate(&clients, bench.seconds);
    println!(
        "claims 0%:     {free:.0} claims/s (worklists of {queue} accounts, none claimed by others)"
    );
    println!("claims 90%:    {busy:.0} claims/s ({held} of them claimed by others first)");
    println!(
        "claims ratio:  {:.2} (90% claimed / 0%)",
        busy / free.max(1e-9)
    );
    let _ = stop.send(());
    let _ = runtime.block_on(server);
    Ok(())
}

fn latency_line(samples: &mut Samples, kind: Kind) {
    println!(
        "  {:<16} p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms ({} requests)",
        kind.label(),
        samples.percentile(kind, 50.0),
        samples.percentile(kind, 95.0),
        samples.percentile(kind, 99.0),
        samples.latencies[kind as usize].len()
    );
}

fn report_errors(phase: &str, samples: &Samples) {
    let errors: u64 = samples.errors.iter().sum();
    if errors > 0 {
        println!(
            "  {phase}: {errors} unexpected answers; first: {}",
            samples.first_error.as_deref().unwrap_or("?")
        );
    }
    if samples.dry > 0 {
        println!(
            "  {phase}: {} collectors found nothing free before the end (use more --accounts)",
            samples.dry
        );
    }
}

/// Claims per second with next-account only.
fn claim_rate(clients: &[Client], seconds: f64) -> f64 {
    let (samples, took) = phase(clients, Drive::ClaimsOnly, seconds);
    report_errors("claims", &samples);
    samples.ok(Kind::Next) as f64 / took.as_secs_f64()
}

/// The accounts on the collectors' worklists now.
fn worklists(store: &dyn Store, collectors: &[Collector], clock: &FixedClock) -> Result<u64> {
    let now = sepakat_domain::Clock::now(clock);
    let mut total = 0;
    for c in collectors {
        total += store
            .collector_worklist(c.creditor.id, c.user, now, u32::MAX)?
            .len() as u64;
    }
    Ok(total)
}

/// A fresh database: SQLite `DIR/bench-workbench.db` (removed first) or the
/// `bench_workbench` schema (dropped first).
fn fresh_store(bench: &WorkbenchBench) -> Result<(Arc<dyn Store>, String)> {
    match &bench.database_url {
        Some(url) if url.starts_with("postgres") => {
            PostgresStore::drop_schema(url, PG_SCHEMA).context("dropping the bench schema")?;
            let store = PostgresStore::connect_with_schema(url, PG_SCHEMA)
                .context("connecting to PostgreSQL")?;
            Ok((
                Arc::new(store),
                format!("PostgreSQL schema {PG_SCHEMA}"),
            ))
        }
        Some(other) => anyhow::bail!(
            "bench workbench makes its own SQLite file under --dir; --database-url is for PostgreSQL, not {other}"
        ),
        None => {
            std::fs::create_dir_all(&bench.dir)
                .with_context(|| format!("creating {}", bench.dir.display()))?;
            let path = bench.dir.join("bench-workbench.db");
            for suffix in ["", "-wal", "-shm"] {
                let file = format!("{}{suffix}", path.display());
                match std::fs::remove_file(&file) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(e).with_context(|| format!("removing {file}"))
                    }
                    _ => {}
                }
            }
            let url = format!("sqlite://{}", path.display());
            let store = sepakat_store::open(&url).with_context(|| format!("opening {url}"))?;
            Ok((store, format!("SQLite {}", path.display())))
        }
    }
}

/// One bench team per creditor; the collectors dealt round-robin over the creditors,
/// each with a day's capacity of `CAPACITY` accounts, and an API token.
fn staff(store: &dyn Store, bench: &WorkbenchBench, clock: &FixedClock) -> Result<Vec<Collector>> {
    let actor = Actor::system("system:bench");
    let now = sepakat_domain::Clock::now(clock);
    let hash = sepakat_web::auth::hash_password("bench-workbench-only")?;
    let creditors = store.creditors()?;
    let mut teams = Vec::new();
    for c in &creditors {
        teams.push(store.create_team(c.id, "BENCH", "Bench desk", now, &actor)?);
    }
    let mut collectors = Vec::new();
    for n in 0..bench.collectors.max(1) {
        let i = n % creditors.len();
        let creditor = creditors[i].clone();
        let user = store.create_user(
            &NewUser {
                username: format!("bench.{:03}", n + 1),
                full_name: format!("Kolektor Bench {}", n + 1),
                role: Role::Collector,
                password_hash: hash.clone(),
                creditors: vec![creditor.id],
            },
            &actor,
        )?;
        store.put_collector(
            creditor.id,
            &CollectorInfo {
                team: teams[i].id,
                user: user.id,
                kind: CollectorKind::Desk,
                daily_capacity: CAPACITY,
                provinces: vec![],
                languages: vec!["id".into()],
                active: true,
            },
            now,
            &actor,
        )?;
        let (token, token_hash) = sepakat_web::auth::new_token();
        store.create_api_token(
            &NewApiToken {
                token_hash,
                user: user.id,
                label: "bench".into(),
                created_at: now,
            },
            &actor,
        )?;
        collectors.push(Collector {
            creditor,
            user: user.id,
            token,
        });
    }
    Ok(collectors)
}

/// The nightly run of every creditor for `day`; the accounts it allocated.
fn nightly_run(
    config: &Config,
    store: &dyn Store,
    day: NaiveDate,
    clock: &FixedClock,
) -> Result<u64> {
    let buckets = &config.collection.dpd_buckets;
    let strategy = Strategy::from_toml(DEFAULT_TOML, buckets)?;
    let gate = config.compliance.gate()?;
    let options = RunOptions {
        as_of: day,
        strategy: &strategy,
        gate: &gate,
        buckets,
        lease: chrono::Duration::seconds(120),
        actor: Actor::system("system:bench"),
        score: true,
    };
    let mut allocated = 0;
    for c in store.creditors()? {
        allocated += run_creditor(store, &c, &options, clock)?.allocated;
    }
    Ok(allocated)
}

/// Has a second user per creditor claim the most urgent `share` of each collector's
/// worklist, so next-account must pass over them; the claims made.
fn pre_claim(
    store: &dyn Store,
    collectors: &[Collector],
    share: f64,
    ttl: chrono::Duration,
    clock: &FixedClock,
) -> Result<u64> {
    let actor = Actor::system("system:bench");
    let now = sepakat_domain::Clock::now(clock);
    let hash = sepakat_web::auth::hash_password("bench-workbench-only")?;
    let mut holders: Vec<(sepakat_store::CreditorId, UserId)> = Vec::new();
    let mut held = 0;
    for c in collectors {
        let holder = match holders.iter().find(|(id, _)| *id == c.creditor.id) {
            Some((_, h)) => *h,
            None => {
                let user = store.create_user(
                    &NewUser {
                        username: format!("bench.holder.{}", c.creditor.code.to_lowercase()),
                        full_name: "Pemegang klaim bench".into(),
                        role: Role::Collector,
                        password_hash: hash.clone(),
                        creditors: vec![c.creditor.id],
                    },
                    &actor,
                )?;
                holders.push((c.creditor.id, user.id));
                user.id
            }
        };
        let items = store.collector_worklist(c.creditor.id, c.user, now, u32::MAX)?;
        let take = (items.len() as f64 * share).ceil() as usize;
        for item in items.iter().filter(|i| i.claimed_by.is_none()).take(take) {
            store.claim_account(c.creditor.id, holder, item.account, now, ttl, &actor)?;
            held += 1;
        }
    }
    Ok(held)
}
