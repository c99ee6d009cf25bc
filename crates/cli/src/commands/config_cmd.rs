//! `sepakat config example`: print every setting with its default.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ConfigCommand;
use crate::config::Config;

/// Prints the example configuration.
pub fn run(cmd: ConfigCommand) -> Result<ExitCode> {
    match cmd {
        ConfigCommand::Example => print!("{}", Config::example()),
    }
    Ok(ExitCode::SUCCESS)
}
