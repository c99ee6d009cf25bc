//! One module per subcommand, each with a `run` function; this file dispatches.

mod bench;
mod bench_load;
mod bench_workbench;
mod config_cmd;
mod creditor;
mod demo;
mod gate;
mod guard;
mod import;
mod letter;
mod migrate;
mod model;
mod negotiate;
mod outbox;
mod run;
mod schedule;
mod scoring;
mod serve;
mod template;
mod user;

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use sepakat_store::Store;

use crate::cli::{Cli, Command};
use crate::config::Config;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let mut config = Config::load(cli.config.as_deref())?;
    let url_flag = cli.database_url.clone();
    if let Some(url) = cli.database_url {
        config.database.url = url;
    }
    init_tracing(&config);
    match cli.command {
        Command::Serve(args) => serve::run(&config, args),
        Command::Migrate => migrate::run(&config),
        Command::Import(args) => import::run(&config, args),
        Command::Demo(args) => demo::run(&config, args),
        Command::Config(cmd) => config_cmd::run(cmd),
        Command::Bench(cmd) => bench::run(&config, url_flag, cmd),
        Command::Gate(cmd) => gate::run(&config, cmd),
        Command::Run(args) => run::run(&config, args),
        Command::Guard(cmd) => guard::run(&config, cmd),
        Command::Template(cmd) => template::run(&config, cmd),
        Command::Letter(cmd) => letter::run(&config, cmd),
        Command::Creditor(cmd) => creditor::run(&config, cmd),
        Command::User(cmd) => user::run(&config, cmd),
        Command::Model(cmd) => model::run(&config, cmd),
        Command::Negotiate(args) => negotiate::run(args),
        Command::Outbox(cmd) => outbox::run(&config, cmd),
    }
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SEPAKAT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.log.filter));
    // A second initialisation (tests) is harmless; ignore it.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Opens the configured database and brings its schema up to date.
pub(crate) fn open_store(config: &Config) -> Result<Arc<dyn Store>> {
    let store = sepakat_store::open(&config.database.url)
        .with_context(|| format!("opening database {}", redact(&config.database.url)))?;
    store.migrate().context("migrating the database schema")?;
    Ok(store)
}

/// A database URL without its password, for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
