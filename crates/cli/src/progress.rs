//! Progress for long jobs: a bar on a terminal, plain lines in logs and CI.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use sepakat_engine::Progress;

/// Shows progress on standard error, as a bar when it is a terminal.
pub enum CliProgress {
    /// An interactive bar.
    Bar(ProgressBar),
    /// A line every few seconds.
    Lines {
        /// What is being done.
        what: String,
        /// When the last line was printed.
        last: Instant,
        /// Total bytes, when known.
        total: Option<u64>,
    },
}

impl CliProgress {
    /// Progress for a job called `what`.
    pub fn new(what: &str) -> CliProgress {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg} [{elapsed_precise}] {wide_bar} {percent:>3}% {per_sec} ETA {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_message(what.to_string());
            CliProgress::Bar(bar)
        } else {
            CliProgress::Lines {
                what: what.to_string(),
                last: Instant::now(),
                total: None,
            }
        }
    }
}

/// How often plain progress lines are printed.
const LINE_EVERY: Duration = Duration::from_secs(2);

impl Progress for CliProgress {
    fn start(&mut self, total_bytes: Option<u64>, total_rows: Option<u64>) {
        // Bytes measure an input file; rows measure generated data.
        let total_work = total_bytes.or(total_rows);
        match self {
            CliProgress::Bar(bar) => {
                if let Some(t) = total_work {
                    bar.set_length(t);
                }
            }
            CliProgress::Lines { total, .. } => *total = total_work,
        }
    }

    fn stage(&mut self, name: &str) {
        match self {
            CliProgress::Bar(bar) => bar.set_message(name.to_string()),
            CliProgress::Lines { what, .. } => eprintln!("{what}: {name}"),
        }
    }

    fn advance(&mut self, rows_done: u64, bytes_done: u64) {
        match self {
            CliProgress::Bar(bar) => bar.set_position(if bytes_done > 0 {
                bytes_done
            } else {
                rows_done
            }),
            CliProgress::Lines { what, last, total } => {
                if last.elapsed() >= LINE_EVERY {
                    *last = Instant::now();
                    match total {
                        Some(t) if *t > 0 => {
                            let done = if bytes_done > 0 {
                                bytes_done
                            } else {
                                rows_done
                            };
                            eprintln!(
                                "{what}: {rows_done} rows ({}%)",
                                done.saturating_mul(100) / *t
                            )
                        }
                        _ => eprintln!("{what}: {rows_done} rows"),
                    }
                }
            }
        }
    }

    fn finish(&mut self) {
        if let CliProgress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
