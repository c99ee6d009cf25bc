//! `sepakat negotiate --input FILE.json`: the payment options for one account, as JSON.
//!
//! Reads one document (account, assessment, role, as-of date, optional request and policy;
//! `docs/negotiation.md`), prints one document on stdout. Bad input prints nothing on stdout
//! and an error naming the field on stderr, with a non-zero exit code.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use sepakat_domain::negotiation::wire::{negotiate, NegotiationInput, NegotiationView};
use sepakat_engine::document::agreement::{agreement_pdf, Parties};

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
    if let (Some(rank), Some(out), Some(parties)) = (args.accept, &args.agreement, &args.parties) {
        write_agreement(&view, rank, out, parties)?;
    }
    let json = serde_json::to_string_pretty(&view).context("writing the options as JSON")?;
    println!("{json}");
    Ok(ExitCode::SUCCESS)
}

/// Writes the agreement for the accepted option (to a temporary file, then renamed).
fn write_agreement(view: &NegotiationView, rank: u32, out: &Path, parties: &Path) -> Result<()> {
    let Some(option) = view.options.iter().find(|o| o.rank == rank) else {
        return Err(anyhow!(
            "--accept: there is no option {rank}; options are 1 to {}",
            view.options.len()
        ));
    };
    let text = std::fs::read_to_string(parties)
        .with_context(|| format!("reading {}", parties.display()))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let parties: Parties = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| anyhow!("--parties: {}: {}", e.path(), e.inner()))?;
    let doc = agreement_pdf(&parties, option, view.as_of, chrono::Utc::now())
        .map_err(|e| anyhow!("--accept: {e}"))?;
    let tmp = out.with_extension("pdf.part");
    std::fs::write(&tmp, doc.to_bytes()).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("renaming to {}", out.display()))?;
    eprintln!("agreement for option {rank} written to {}", out.display());
    Ok(())
}
