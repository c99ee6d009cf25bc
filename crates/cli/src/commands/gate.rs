//! `sepakat gate check`: ask the compliance gate about one contact, as JSON.

use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use sepakat_domain::compliance::{Channel, Consent, ContactRequest};
use sepakat_domain::Province;

use crate::cli::GateCommand;
use crate::config::Config;

/// Prints the gate's decision for one contact.
pub fn run(config: &Config, cmd: GateCommand) -> Result<ExitCode> {
    let GateCommand::Check {
        province,
        at,
        channel,
        consent,
    } = cmd;
    let zone = Province::parse(&province).context("--province")?.zone();
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339(&at)
        .with_context(|| format!("--at {at:?} is not an RFC 3339 instant"))?
        .to_utc();
    let channel = Channel::parse(&channel).context("--channel")?;
    let gate = config.compliance.gate()?;
    let consents = if consent {
        vec![Consent::blanket(channel, "cli", at, at + Duration::days(1))
            .context("recording the consent")?]
    } else {
        Vec::new()
    };
    let request = ContactRequest {
        consents: &consents,
        ..ContactRequest::new(at, zone, channel)
    };
    let decision = gate.check(&request);
    println!("{}", serde_json::to_string(&decision.view(zone))?);
    Ok(ExitCode::SUCCESS)
}
