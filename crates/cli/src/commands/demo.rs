//! `sepakat demo`: a realistic synthetic Indonesian portfolio, demo users, teams and
//! collection history (interactions, promises, pauses, consents), then the server.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use sepakat_domain::{Clock, Role, SystemClock, Zone};
use sepakat_engine::demo::{generate, seed_collection, DemoOptions};
use sepakat_engine::scoring::train::{train_creditor, TrainOptions};
use sepakat_store::{AccountQuery, Actor, CreditorId, NewUser, Store};

use crate::cli::DemoArgs;
use crate::config::Config;
use crate::progress::CliProgress;

/// The password of every demo user (a demo database is never a production one).
const DEMO_PASSWORD: &str = "sepakat-demo";

/// One demo login per role, plus an agency collector serving two creditors.
const DEMO_USERS: &[(&str, &str, Role, bool)] = &[
    ("kolektor", "Siti Rahmawati", Role::Collector, false),
    ("supervisor", "Budi Santoso", Role::Supervisor, false),
    ("manajer", "Dewi Lestari", Role::Manager, false),
    ("kepatuhan", "Agus Wijaya", Role::Compliance, false),
    ("admin", "Rina Kusuma", Role::Admin, false),
    ("agensi", "Yohanes Manurung", Role::Collector, true),
];

/// Generates the demo data if missing, creates the demo users, and serves.
pub fn run(config: &Config, args: DemoArgs) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    let options = DemoOptions {
        accounts: args.accounts,
        seed: args.seed,
        today: SystemClock.today(Zone::Wib),
    };
    if has_accounts(store.as_ref())? {
        println!(
            "demo data already present in {}; delete it to regenerate",
            config.database.url
        );
    } else {
        let mut progress = CliProgress::new("demo");
        let summary = generate(store.as_ref(), &options, &mut progress)
            .context("generating the demo portfolio")?;
        println!("{summary}");
    }
    let hash = ensure_users(&store)?;
    // Idempotent: an account that already has its history is left alone.
    let collection = seed_collection(store.as_ref(), &options, &hash)
        .context("seeding the demo collection data")?;
    println!("{collection}");
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    // For the pages' scores; data made for benchmarks (`--no-serve`) trains nothing.
    if args.accounts <= sepakat_engine::demo::PAYMENTS_UP_TO {
        train_models(store.as_ref(), &options);
    }
    let bind = args.bind.unwrap_or(config.server.bind);
    super::serve::serve_store(config, store, bind, |addr| {
        println!("\nSepakat demo: http://{addr}/");
        println!("logins (password {DEMO_PASSWORD:?} for all):");
        for (username, name, role, _) in DEMO_USERS {
            println!("  {username:<11} {name} ({})", role.label());
        }
    })
}

/// Trains a propensity model for each demo creditor that has none yet, on a sample of
/// about 2,500 accounts, so the workspace and worklist show scores. A creditor whose
/// history cannot train a model (one class, too few dates) is named and skipped.
fn train_models(store: &dyn Store, options: &DemoOptions) {
    let per_creditor = (options.accounts / 4).max(1);
    let sample = u32::try_from((250_000 / per_creditor).clamp(1, 100)).unwrap_or(100);
    let Ok(creditors) = store.creditors() else {
        return;
    };
    for c in creditors {
        if store.active_model(c.id).ok().flatten().is_some() {
            continue;
        }
        let train = TrainOptions {
            sample_percent: sample,
            ..TrainOptions::new(options.today)
        };
        match train_creditor(
            store,
            c.id,
            &train,
            SystemClock.now(),
            &Actor::system("demo"),
        ) {
            Ok((info, report)) => {
                let auc = report
                    .candidates
                    .iter()
                    .find(|x| x.algorithm == report.chosen)
                    .map_or(0.0, |x| x.test_auc);
                println!(
                    "scoring: {} model v{} ({}) on {} examples, test AUC {auc:.3}",
                    c.code, info.version, info.algorithm, report.rows
                );
            }
            Err(e) => println!("scoring: {} has no model: {e:#}", c.code),
        }
    }
}

fn has_accounts(store: &dyn Store) -> Result<bool> {
    for creditor in store.creditors()? {
        let query = AccountQuery {
            limit: 1,
            ..AccountQuery::default()
        };
        if !store.search_accounts(creditor.id, &query)?.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Creates the demo logins that are missing; returns the demo password's hash for the
/// synthetic collectors the collection seeding adds.
fn ensure_users(store: &Arc<dyn Store>) -> Result<String> {
    // Demo users work for the bank; the agency collector also for the multifinance company.
    let mut creditors: Vec<CreditorId> = Vec::new();
    for code in sepakat_engine::demo::creditor_codes() {
        if let Some(c) = store.creditor_by_code(code)? {
            creditors.push(c.id);
        }
    }
    let first = *creditors.first().context("the demo created no creditor")?;
    let hash = sepakat_web::auth::hash_password(DEMO_PASSWORD)?;
    for (username, full_name, role, agency) in DEMO_USERS {
        if store.user_credentials(username)?.is_some() {
            continue;
        }
        let serves = if *agency {
            creditors.iter().take(2).copied().collect()
        } else {
            vec![first]
        };
        store.create_user(
            &NewUser {
                username: username.to_string(),
                full_name: full_name.to_string(),
                role: *role,
                password_hash: hash.clone(),
                creditors: serves,
            },
            &Actor::system("demo"),
        )?;
    }
    Ok(hash)
}
