//! `sepakat demo`: a realistic synthetic Indonesian portfolio, demo users, then the server.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use sepakat_domain::{Clock, Role, SystemClock, Zone};
use sepakat_engine::demo::{generate, DemoOptions};
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
    if has_accounts(store.as_ref())? {
        println!(
            "demo data already present in {}; delete it to regenerate",
            config.database.url
        );
    } else {
        let options = DemoOptions {
            accounts: args.accounts,
            seed: args.seed,
            today: SystemClock.today(Zone::Wib),
        };
        let mut progress = CliProgress::new("demo");
        let summary = generate(store.as_ref(), &options, &mut progress)
            .context("generating the demo portfolio")?;
        println!("{summary}");
    }
    ensure_users(&store)?;
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
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

fn ensure_users(store: &Arc<dyn Store>) -> Result<()> {
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
    Ok(())
}
