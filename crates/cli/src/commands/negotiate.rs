//! `sepakat negotiate --input FILE.json`: the payment options for one account, as JSON.
//!
//! Reads one document (account, assessment, role, as-of date, optional request and policy;
//! `docs/negotiation.md`), prints one document on stdout. Bad input prints nothing on stdout
//! and an error naming the field on stderr, with a non-zero exit code.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use sepakat_domain::negotiation::wire::{negotiate, NegotiationInput};

use crate::cli::NegotiateArgs;

/// Prints the options for the input document.
pub fn run(args: NegotiateArgs) -> Result<ExitCode> {
    let text = if args.input.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the input from standard input")?;
        text
    } else {
        std::fs::read_to_string(&args.input)
            .with_context(|| format!("reading {}", args.input.display()))?
    };
    let mut de = serde_json::Deserializer::from_str(&text);
    let input: NegotiationInput =
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            match e.path().to_string().as_str() {
                "." => anyhow!("invalid input: {}", e.inner()),
                path => anyhow!("invalid input: {path}: {}", e.inner()),
            }
        })?;
    // One document only: anything after it is a mistake, not something to ignore.
    de.end().map_err(|e| anyhow!("invalid input: {e}"))?;
    let view = negotiate(input).map_err(|e| anyhow!("invalid input: {e}"))?;
    let json = serde_json::to_string_pretty(&view).context("writing the options as JSON")?;
    println!("{json}");
    Ok(ExitCode::SUCCESS)
}
