//! `sepakat creditor add|list`: manage tenants.

use std::process::ExitCode;

use anyhow::{Context, Result};
use sepakat_domain::Regime;
use sepakat_store::{Actor, NewCreditor};

use crate::cli::{CreditorCommand, RegimeArg};
use crate::config::Config;

/// Runs a creditor subcommand.
pub fn run(config: &Config, cmd: CreditorCommand) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    match cmd {
        CreditorCommand::Add { code, name, regime } => {
            let regime = match regime {
                RegimeArg::Bank => Regime::bank(),
                RegimeArg::P2p => Regime::p2p(),
            };
            let created = store
                .create_creditor(&NewCreditor { code, name, regime }, &Actor::system("cli"))
                .context("adding the creditor")?;
            println!("creditor {} ({}) added", created.code, created.name);
        }
        CreditorCommand::List => {
            for c in store.creditors()? {
                println!("{}\t{}\t{}", c.code, c.name, c.regime.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
