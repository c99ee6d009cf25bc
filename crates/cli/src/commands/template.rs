//! `sepakat template check` and `sepakat template preview`: the review a template passes
//! before approval, from the command line, for teams that keep their templates in files.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use sepakat_domain::template::{Catalogue, Review};
use sepakat_domain::{Clock, SystemClock, Zone};
use serde::Serialize;

use crate::cli::TemplateCommand;
use crate::config::Config;

/// Runs `template check` or `template preview`.
pub fn run(config: &Config, cmd: TemplateCommand) -> Result<ExitCode> {
    let guard = config.guard.guard()?;
    let today = SystemClock.today(Zone::Wib);
    match cmd {
        TemplateCommand::Check { file, json } => {
            let catalogue = load(file.as_deref())?;
            let reviews: Vec<KeyedReview> = catalogue
                .templates()
                .iter()
                .map(|t| KeyedReview {
                    key: &t.key,
                    stage: t.stage.code(),
                    channel: t.channel.code(),
                    review: t.review(&guard, today),
                })
                .collect();
            if json {
                println!("{}", serde_json::to_string(&reviews)?);
            } else {
                for r in &reviews {
                    print_review(r);
                }
            }
            let blocked = reviews.iter().filter(|r| r.review.blocked).count();
            if blocked > 0 {
                eprintln!("{blocked} of {} templates blocked", reviews.len());
                return Ok(ExitCode::from(1));
            }
        }
        TemplateCommand::Preview { key, file } => {
            let catalogue = load(file.as_deref())?;
            let Some(template) = catalogue.get(&key) else {
                let keys: Vec<&str> = catalogue
                    .templates()
                    .iter()
                    .map(|t| t.key.as_str())
                    .collect();
                bail!("no template {key:?}; templates: {}", keys.join(", "));
            };
            let review = template.review(&guard, today);
            if let Some(subject) = &review.preview.subject {
                println!("Perihal: {subject}\n");
            }
            println!("{}", review.preview.body);
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct KeyedReview<'a> {
    key: &'a str,
    stage: &'static str,
    channel: &'static str,
    #[serde(flatten)]
    review: Review,
}

fn print_review(r: &KeyedReview<'_>) {
    let verdict = if r.review.blocked { "DIBLOKIR" } else { "ok" };
    println!("{:<28} {:<16} {:<9} {verdict}", r.key, r.stage, r.channel);
    for f in &r.review.findings {
        println!("    {} {:?}: {}", f.rule, f.matched, f.reason);
    }
    for p in &r.review.problems {
        println!("    {p}");
    }
}

/// The templates of a file, or the shipped set.
pub(crate) fn load(file: Option<&Path>) -> Result<Catalogue> {
    match file {
        None => Ok(Catalogue::shipped()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Catalogue::from_toml(&text).with_context(|| format!("in {}", path.display()))
        }
    }
}
