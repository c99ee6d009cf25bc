//! `sepakat letter print`: SP1–SP3 and somasi letters for a list of accounts as one PDF.
//!
//! All or nothing: every account must exist for the creditor and the letter template must
//! pass its review (the message guard) before a page is written; the PDF is written to a
//! temporary file, the letters recorded in the letters store (number, tracking number,
//! status `printed`, the template used, audited on each account), and the file renamed, so
//! a failed run leaves no half file. The letter is the creditor's approved version in force
//! for the stage, else the shipped default (or the `--templates` file's).
//!
//! `sepakat letter proof`: delivery proof (or a return) for a letter found by its tracking
//! number, with an optional scan or photo of the receipt.

use std::collections::HashSet;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::Utc;
use sepakat_domain::compliance::Channel;
use sepakat_domain::template::Stage;
use sepakat_domain::{Clock, SystemClock, Zone};
use sepakat_engine::document::letter::{Letterhead, Signatory};
use sepakat_engine::document::{batch, LetterOptions};
use sepakat_engine::templates::template_in_force;
use sepakat_store::{Actor, NewEvidence, NewProof};

use crate::cli::{LetterCommand, LetterPrintArgs};
use crate::config::Config;

/// Runs `letter print` or `letter proof`.
pub fn run(config: &Config, cmd: LetterCommand) -> Result<ExitCode> {
    match cmd {
        LetterCommand::Print(args) => print(config, *args),
        LetterCommand::Proof {
            creditor,
            tracking,
            delivered,
            received_by,
            returned,
            note,
            evidence,
        } => {
            let file = evidence.as_deref().map(evidence_file).transpose()?;
            let proof = NewProof {
                tracking,
                delivered: !returned,
                on: delivered,
                received_by,
                note,
                file,
            };
            record_proof(config, &creditor, &proof)
        }
    }
}

fn print(config: &Config, args: LetterPrintArgs) -> Result<ExitCode> {
    let LetterPrintArgs {
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
    } = args;
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
    let mut accounts = Vec::with_capacity(numbers.len());
    let mut refused: Vec<(String, String)> = Vec::new();
    for number in &numbers {
        match store.account_by_number(creditor.id, number)? {
            Some(account) => accounts.push(account),
            None => refused.push((
                number.clone(),
                format!("not found for creditor {}", creditor.code),
            )),
        }
    }
    let head = Letterhead {
        name: creditor.name.clone(),
        lines: letterhead,
        city,
    };
    let now = Utc::now();
    let batch = match batch::compose(&creditor, &accounts, &in_force, &options, &head, now) {
        Ok(batch) if refused.is_empty() => Some(batch),
        Ok(_) => None,
        Err(more) => {
            refused.extend(more.into_iter().map(|r| (r.account_no, r.reason)));
            None
        }
    };
    let Some(batch) = batch else {
        for (number, why) in refused.iter().take(100) {
            eprintln!("account {number:?}: {why}");
        }
        bail!(
            "{} of {} accounts refused; nothing printed",
            refused.len(),
            numbers.len()
        );
    };

    // Written aside, recorded, then renamed: a failure at any step leaves no PDF without
    // its letters in the store (a re-print of the same batch finds them by tracking number).
    let tmp = out.with_extension("pdf.part");
    let written = std::fs::File::create(&tmp)
        .and_then(|mut file| {
            file.write_all(&batch.document.to_bytes())?;
            file.sync_all()
        })
        .with_context(|| format!("writing {}", tmp.display()));
    if let Err(e) = written.and_then(|()| {
        batch
            .record(store.as_ref(), &creditor, now, &Actor::system("cli"))
            .context("recording the letters")
            .map(drop)
    }) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &out).with_context(|| format!("renaming to {}", out.display()))?;
    println!(
        "{} letters ({} pages) written to {}",
        batch.letters.len(),
        batch.document.pages(),
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

/// Records a proof; the store refuses an unknown tracking number, a letter already
/// delivered or returned, a date in the future and a file the evidence policy refuses.
fn record_proof(config: &Config, creditor: &str, proof: &NewProof) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    let creditor = store
        .creditor_by_code(creditor)?
        .with_context(|| format!("--creditor: no creditor with code {creditor:?}"))?;
    let today = SystemClock.today(Zone::Wib);
    let letter = store
        .record_letter_proof(
            creditor.id,
            proof,
            today,
            SystemClock.now(),
            &Actor::system("cli"),
        )
        .with_context(|| format!("--tracking {}", proof.tracking))?;
    println!(
        "letter {} ({}) is {}",
        letter.data.tracking,
        letter.data.number,
        letter.status.code()
    );
    Ok(ExitCode::SUCCESS)
}

/// A receipt file, its media type from the name (the store checks the content matches).
fn evidence_file(path: &std::path::Path) -> Result<NewEvidence> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let media_type = match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "pdf" => "application/pdf",
        other => bail!("--evidence: {other:?} files are not accepted; use JPEG, PNG or PDF"),
    };
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(NewEvidence {
        media_type: media_type.into(),
        file_name: name,
        bytes,
        gps: None,
        captured_at: None,
    })
}
