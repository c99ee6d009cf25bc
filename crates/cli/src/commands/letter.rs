//! `sepakat letter print`: SP1–SP3 and somasi letters for a list of accounts as one PDF.
//!
//! All or nothing: every account must exist for the creditor and the letter template must
//! pass its review (the message guard) before a page is written; the PDF is written to a
//! temporary file and renamed, so a failed run leaves no half file. Each printed letter is
//! recorded in the audit trail with its number and tracking number. The letter is the
//! creditor's approved version in force for the stage, else the shipped default (or the
//! `--templates` file's).

use std::collections::HashSet;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::Utc;
use sepakat_domain::compliance::Channel;
use sepakat_domain::template::Stage;
use sepakat_domain::{Clock, SystemClock, Zone};
use sepakat_engine::document::letter::{batch_pdf, Letterhead, Signatory};
use sepakat_engine::document::{collection_letter, LetterOptions};
use sepakat_engine::templates::template_in_force;
use sepakat_store::{Actor, EntityRef, NewAudit};

use crate::cli::LetterCommand;
use crate::config::Config;

/// Runs `letter print`.
pub fn run(config: &Config, cmd: LetterCommand) -> Result<ExitCode> {
    let LetterCommand::Print {
        creditor,
        stage,
        accounts,
        accounts_file,
        out,
        date,
        deadline_days,
        signatory,
        signatory_title,
        contact,
        letterhead,
        city,
        templates,
    } = cmd;
    let stage = Stage::parse(&stage).context("--stage")?;
    if !matches!(stage, Stage::Sp1 | Stage::Sp2 | Stage::Sp3 | Stage::Somasi) {
        bail!("--stage: {stage} is not a letter; use sp1, sp2, sp3 or somasi");
    }
    let catalogue = super::template::load(templates.as_deref())?;
    let store = super::open_store(config)?;
    let creditor = store
        .creditor_by_code(&creditor)?
        .with_context(|| format!("--creditor: no creditor with code {creditor:?}"))?;
    // The creditor's approved letter in force, else the catalogue's default.
    let Some(in_force) = template_in_force(
        store.as_ref(),
        creditor.id,
        &catalogue,
        stage,
        Channel::Letter,
    )?
    else {
        bail!("no letter template for stage {stage}");
    };
    let template = &in_force.template;
    let guard = config.guard.guard()?;
    let today = date.unwrap_or_else(|| SystemClock.today(Zone::Wib));
    let review = template.review(&guard, today);
    if review.blocked {
        let mut why: Vec<String> = review
            .findings
            .iter()
            .map(|f| format!("{} {:?}", f.rule, f.matched))
            .collect();
        why.extend(review.problems);
        bail!(
            "template {:?} does not pass review: {}",
            in_force.label(),
            why.join("; ")
        );
    }

    let numbers = account_numbers(accounts, accounts_file.as_deref())?;
    let options = LetterOptions {
        date: today,
        deadline_days,
        signatory: Signatory {
            name: signatory,
            title: signatory_title,
        },
        official_contact: contact,
    };
    let mut letters = Vec::with_capacity(numbers.len());
    let mut ids = Vec::with_capacity(numbers.len());
    let mut refused: Vec<(&str, String)> = Vec::new();
    for number in &numbers {
        let Some(account) = store.account_by_number(creditor.id, number)? else {
            refused.push((number, format!("not found for creditor {}", creditor.code)));
            continue;
        };
        match collection_letter(&creditor, &account, template, &options) {
            Ok(letter) => {
                ids.push(account.id);
                letters.push(letter);
            }
            Err(e) => refused.push((number, e.to_string())),
        }
    }
    if !refused.is_empty() {
        for (number, why) in refused.iter().take(100) {
            eprintln!("account {number:?}: {why}");
        }
        bail!(
            "{} of {} accounts refused; nothing printed",
            refused.len(),
            numbers.len()
        );
    }

    let head = Letterhead {
        name: creditor.name.clone(),
        lines: letterhead,
        city,
    };
    let now = Utc::now();
    let doc = batch_pdf(&head, &letters, now);
    let tmp = out.with_extension("pdf.part");
    let mut file =
        std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    file.write_all(&doc.to_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &out).with_context(|| format!("renaming to {}", out.display()))?;

    let actor = Actor::system("cli");
    for (letter, id) in letters.iter().zip(&ids) {
        store.record_audit(&NewAudit {
            creditor: Some(creditor.id),
            at: now,
            actor: actor.clone(),
            action: "letter.printed".into(),
            entity: EntityRef::new("account", id.0),
            detail: serde_json::json!({
                "stage": letter.stage.code(),
                "number": letter.number,
                "tracking": letter.tracking,
                "template": in_force.label(),
                "file": out.file_name().map(|f| f.to_string_lossy().into_owned()),
            }),
        })?;
    }
    println!(
        "{} letters ({} pages) written to {}",
        letters.len(),
        doc.pages(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The account numbers from the flags and the file, in order, each once.
fn account_numbers(flags: Vec<String>, file: Option<&std::path::Path>) -> Result<Vec<String>> {
    let mut all = flags;
    if let Some(path) = file {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        all.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    let mut seen = HashSet::new();
    all.retain(|n| seen.insert(n.clone()));
    if all.is_empty() {
        bail!("no account numbers given");
    }
    Ok(all)
}
