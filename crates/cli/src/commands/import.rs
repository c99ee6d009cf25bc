//! `sepakat import`: load accounts or payments from a CSV or XLSX file, atomically.

use std::process::ExitCode;

use anyhow::Result;
use sepakat_domain::{Clock, SystemClock, Zone};
use sepakat_engine::import::{import_file, ImportKind, ImportOptions};
use sepakat_store::Actor;

use crate::cli::{ImportArgs, ImportKindArg};
use crate::config::Config;
use crate::progress::CliProgress;

/// How many row errors are printed; the rest are counted.
const SHOWN_ERRORS: usize = 100;

/// Imports the file; exits non-zero when rows were invalid and nothing was written.
pub fn run(config: &Config, args: ImportArgs) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    let options = ImportOptions {
        kind: match args.kind {
            ImportKindArg::Accounts => ImportKind::Accounts,
            ImportKindArg::Payments => ImportKind::Payments,
        },
        skip_invalid: args.skip_invalid,
        today: args.as_of.unwrap_or_else(|| SystemClock.today(Zone::Wib)),
        allocation_order: config.collection.allocation_order.clone(),
    };
    let mut progress = CliProgress::new(&format!("import {}", args.file.display()));
    let report = import_file(
        store.as_ref(),
        &args.creditor,
        &args.file,
        &options,
        &mut progress,
        &Actor::system("cli:import"),
    )?;
    for error in report.errors.iter().take(SHOWN_ERRORS) {
        eprintln!("{error}");
    }
    if report.error_count > SHOWN_ERRORS as u64 {
        eprintln!(
            "… and {} more invalid rows",
            report.error_count - SHOWN_ERRORS as u64
        );
    }
    if !report.committed {
        eprintln!(
            "{} invalid rows in {}: nothing was imported (fix them, or use --skip-invalid)",
            report.error_count,
            args.file.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "imported {}: {} rows read, {} inserted, {} updated, {} unchanged, {} rejected",
        args.file.display(),
        report.rows_read,
        report.inserted,
        report.updated,
        report.unchanged,
        report.rejected
    );
    if report.contacts_added > 0 {
        println!(
            "debtor contacts added: {} (emergency contacts and employers; see docs/import-format.md)",
            report.contacts_added
        );
    }
    if let Some(path) = &report.rejected_file {
        println!("rejected rows with their reasons: {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
