//! Import speed: writes a generated accounts file, imports it into a fresh SQLite store
//! and reports rows per second and the process's peak memory.

use std::fmt;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use sepakat_domain::Regime;
use sepakat_store::{Actor, NewCreditor};

use crate::demo::write_accounts_csv;
use crate::import::{import_file, ImportKind, ImportOptions};
use crate::progress::NoProgress;

/// The date the benchmark file describes and is imported on (fixed: runs compare).
const BENCH_TODAY: (i32, u32, u32) = (2026, 11, 24);

/// The figures of one benchmark run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportBench {
    /// Rows imported.
    pub rows: u64,
    /// Size of the CSV file in bytes.
    pub file_bytes: u64,
    /// Seconds spent in `import_file` (writing the file is not counted).
    pub seconds: f64,
    /// Rows per second.
    pub rows_per_second: f64,
    /// Rows per second of validation alone: the same file behind one invalid row, so the
    /// importer validates every row but hands none to the store.
    pub validation_rows_per_second: f64,
    /// The process's peak resident memory in KiB (VmHWM): it covers the whole process
    /// so far, including writing the file.
    pub peak_rss_kib: Option<u64>,
}

impl fmt::Display for ImportBench {
    /// One line per figure.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "rows:          {}", self.rows)?;
        writeln!(f, "file size:     {:.1} MB", self.file_bytes as f64 / 1e6)?;
        writeln!(f, "import time:   {:.2} s", self.seconds)?;
        writeln!(f, "rows/s:        {:.0}", self.rows_per_second)?;
        writeln!(
            f,
            "validation:    {:.0} rows/s (parsing and checks only, no store writes)",
            self.validation_rows_per_second
        )?;
        match self.peak_rss_kib {
            Some(kib) => write!(
                f,
                "peak RSS:      {:.1} MB (process peak, VmHWM)",
                kib as f64 / 1024.0
            ),
            None => write!(f, "peak RSS:      unknown (no /proc/self/status)"),
        }
    }
}

/// Writes `rows` generated accounts to `workdir/bench-accounts.csv`, imports them into a
/// fresh `workdir/bench.db`, and measures the import.
pub fn bench_import(rows: u64, workdir: &Path) -> anyhow::Result<ImportBench> {
    let (y, m, d) = BENCH_TODAY;
    let today = NaiveDate::from_ymd_opt(y, m, d).context("benchmark date")?;
    let csv = workdir.join("bench-accounts.csv");
    write_accounts_csv(&csv, rows, 1, today)?;
    let db = workdir.join("bench.db");
    for suffix in ["", "-wal", "-shm"] {
        let file = workdir.join(format!("bench.db{suffix}"));
        if file.exists() {
            std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
        }
    }
    let store = sepakat_store::open(&format!("sqlite://{}", db.display()))?;
    store.migrate()?;
    let actor = Actor::system("system:bench");
    store.create_creditor(
        &NewCreditor {
            code: "BENCH".into(),
            name: "Benchmark".into(),
            regime: Regime::bank(),
        },
        &actor,
    )?;
    let options = ImportOptions::new(ImportKind::Accounts, today);
    let started = Instant::now();
    let report = import_file(&*store, "BENCH", &csv, &options, &mut NoProgress, &actor)?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        report.committed && report.error_count == 0,
        "the benchmark file did not import cleanly:\n{report}"
    );
    let invalid = workdir.join("bench-invalid.csv");
    with_invalid_first_row(&csv, &invalid)?;
    let started = Instant::now();
    let refused = import_file(
        &*store,
        "BENCH",
        &invalid,
        &options,
        &mut NoProgress,
        &actor,
    )?;
    let validation_seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        !refused.committed,
        "the invalid benchmark file was committed"
    );
    std::fs::remove_file(&invalid)?;
    Ok(ImportBench {
        validation_rows_per_second: refused.rows_read as f64 / validation_seconds.max(1e-9),
        rows: report.rows_read,
        file_bytes: std::fs::metadata(&csv)?.len(),
        seconds,
        rows_per_second: report.rows_read as f64 / seconds.max(1e-9),
        peak_rss_kib: peak_rss_kib(),
    })
}

/// Copies `from` with a first data row whose NIK is invalid.
fn with_invalid_first_row(from: &Path, to: &Path) -> anyhow::Result<()> {
    use std::io::{BufRead, BufReader, BufWriter, Write};
    let mut lines = BufReader::new(std::fs::File::open(from)?).lines();
    let mut out = BufWriter::new(std::fs::File::create(to)?);
    let header = lines.next().context("empty benchmark file")??;
    writeln!(out, "{header}")?;
    let first = lines.next().context("no benchmark rows")??;
    let mut cells: Vec<&str> = first.split(',').collect();
    cells[0] = "INVALID-1";
    cells[3] = "3201xx";
    writeln!(out, "{}", cells.join(","))?;
    writeln!(out, "{first}")?;
    for line in lines {
        writeln!(out, "{}", line?)?;
    }
    out.flush()?;
    Ok(())
}

/// VmHWM from /proc/self/status, in KiB (Linux only).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
