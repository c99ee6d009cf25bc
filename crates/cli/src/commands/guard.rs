//! `sepakat guard check` and `sepakat guard eval`: the message guard from the command line.
//!
//! `eval` reads JSONL (one object per line with at least `text` and `label`, `block` or
//! `allow`; other fields ignored, blank lines skipped) and prints per-class precision and
//! recall; `--json` prints one object with `block_recall`, `false_block_rate`, `n` and
//! `messages_per_second`. Speed is measured by checking the whole set repeatedly for at
//! least `MIN_TIMING` on one thread, so a small file still gives a stable figure.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use sepakat_domain::Guard;
use serde::{Deserialize, Serialize};

use crate::cli::GuardCommand;
use crate::config::Config;

/// The least time spent checking before messages per second is computed.
const MIN_TIMING: Duration = Duration::from_millis(300);

/// Runs `guard check` or `guard eval`.
pub fn run(config: &Config, cmd: GuardCommand) -> Result<ExitCode> {
    let guard = config.guard.guard()?;
    match cmd {
        GuardCommand::Check { text } => {
            let text = match text {
                Some(t) => t,
                None => {
                    let mut buf = String::new();
                    std::io::stdin()
                        .read_to_string(&mut buf)
                        .context("reading the text from standard input")?;
                    buf
                }
            };
            println!("{}", serde_json::to_string(&guard.check(&text))?);
        }
        GuardCommand::Eval {
            file,
            json,
            split,
            show_errors,
        } => {
            let examples = read_examples(&file, split.as_deref())?;
            let report = evaluate(&guard, &examples, show_errors);
            if json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                print!("{}", report.table());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One evaluation line; fields beyond these are ignored.
#[derive(Debug, Deserialize)]
struct Line {
    text: String,
    label: String,
    #[serde(default)]
    split: Option<String>,
}

/// A labelled text.
#[derive(Debug)]
struct Example {
    text: String,
    block: bool,
}

fn read_examples(path: &Path, split: Option<&str>) -> Result<Vec<Example>> {
    let content =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (index, raw) in content.lines().enumerate() {
        let number = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(raw).with_context(|| {
            format!(
                "{} line {number}: not a JSON object with \"text\" and \"label\"",
                path.display()
            )
        })?;
        let block = match line.label.as_str() {
            "block" => true,
            "allow" => false,
            other => bail!(
                "{} line {number}: label must be \"block\" or \"allow\", not {other:?}",
                path.display()
            ),
        };
        if split.is_some_and(|s| line.split.as_deref() != Some(s)) {
            continue;
        }
        out.push(Example {
            text: line.text,
            block,
        });
    }
    if out.is_empty() {
        bail!("{}: no examples to evaluate", path.display());
    }
    Ok(out)
}

/// Precision and recall of one class.
#[derive(Debug, Serialize)]
struct ClassScore {
    precision: f64,
    recall: f64,
    /// Texts of this class.
    support: usize,
    /// Texts predicted as this class that are of it.
    true_positives: usize,
    /// Texts predicted as this class that are not.
    false_positives: usize,
    /// Texts of this class predicted as the other.
    false_negatives: usize,
}

impl ClassScore {
    fn new(tp: usize, fp: usize, fn_: usize) -> ClassScore {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        ClassScore {
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fn_),
            support: tp + fn_,
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
        }
    }
}

/// The figures `guard eval` prints.
#[derive(Debug, Serialize)]
struct Report {
    n: usize,
    block_recall: f64,
    false_block_rate: f64,
    messages_per_second: f64,
    block: ClassScore,
    allow: ClassScore,
}

impl Report {
    fn table(&self) -> String {
        let row = |name: &str, c: &ClassScore| {
            format!(
                "{name:<6} {:>9.3} {:>7.3} {:>8} {:>5} {:>5} {:>5}\n",
                c.precision,
                c.recall,
                c.support,
                c.true_positives,
                c.false_positives,
                c.false_negatives
            )
        };
        format!(
            "class  precision  recall  support    tp    fp    fn\n{}{}\
             n {}, block recall {:.3}, false block rate {:.3}, {:.0} messages/s (one thread)\n",
            row("block", &self.block),
            row("allow", &self.allow),
            self.n,
            self.block_recall,
            self.false_block_rate,
            self.messages_per_second
        )
    }
}

fn evaluate(guard: &Guard, examples: &[Example], show_errors: bool) -> Report {
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    for e in examples {
        let verdict = guard.check(&e.text);
        match (e.block, verdict.blocked) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => tn += 1,
        }
        if show_errors && e.block != verdict.blocked {
            let rules: Vec<String> = verdict
                .findings
                .iter()
                .map(|f| format!("{}:{:?}", f.rule, f.matched))
                .collect();
            let label = if e.block { "block" } else { "allow" };
            eprintln!("missed {label}: {:?} {}", e.text, rules.join(" "));
        }
    }
    let started = Instant::now();
    let mut checked = 0usize;
    while started.elapsed() < MIN_TIMING {
        for e in examples {
            std::hint::black_box(guard.check(std::hint::black_box(&e.text)));
        }
        checked += examples.len();
    }
    let messages_per_second = checked as f64 / started.elapsed().as_secs_f64();
    let allow_n = fp + tn;
    Report {
        n: examples.len(),
        block_recall: ClassScore::new(tp, fp, fn_).recall,
        false_block_rate: if allow_n == 0 {
            0.0
        } else {
            fp as f64 / allow_n as f64
        },
        messages_per_second,
        block: ClassScore::new(tp, fp, fn_),
        allow: ClassScore::new(tn, fn_, fp),
    }
}
