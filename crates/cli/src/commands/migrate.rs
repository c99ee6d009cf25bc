//! `sepakat migrate`: create or upgrade the schema.

use std::process::ExitCode;

use anyhow::Result;

use crate::config::Config;

/// Applies pending migrations and says which database is current.
pub fn run(config: &Config) -> Result<ExitCode> {
    super::open_store(config)?;
    println!(
        "database {} is up to date",
        super::redact(&config.database.url)
    );
    Ok(ExitCode::SUCCESS)
}
