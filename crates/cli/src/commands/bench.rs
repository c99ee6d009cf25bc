//! `sepakat bench …`: benchmarks that print what they measure (never asserted in tests).

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::BenchCommand;

/// Runs a benchmark and prints its figures.
pub fn run(cmd: BenchCommand) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Import { rows, runs, dir } => {
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
            let report = sepakat_engine::bench::bench_import(rows, runs, &dir)?;
            println!("{report}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
