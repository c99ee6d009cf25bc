//! The `sepakat` binary: parses the command line and dispatches to one subcommand.

mod cli;
mod commands;
mod config;
mod progress;

use clap::Parser;

/// mimalloc instead of the system allocator: the import's validation thread allocates every
/// cell's text and the store thread frees it; `sepakat bench import` used about 16% less CPU
/// (measured). SQLite keeps its own calls to the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
