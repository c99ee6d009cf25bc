//! Import speed: writes a generated accounts file once, imports it into a fresh SQLite store
//! a few times, and reports for each run rows per second, elapsed time, peak memory and
//! where the time went (validation thread, row writes, index rebuild, commit). With
//! `reimport`, each run then imports the same file again into the same database: every
//! row is an update (the upsert path), measured the same way.

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::NaiveDate;
use sepakat_domain::Regime;
use sepakat_store::{Actor, NewCreditor, Store};

use crate::demo::write_accounts_csv;
use crate::import::{import_file, ImportKind, ImportOptions, ImportTimings};
use crate::progress::NoProgress;

/// The date the benchmark file describes and is imported on (fixed: runs compare).
const BENCH_TODAY: (i32, u32, u32) = (2026, 11, 24);

/// The figures of one import of the benchmark file into a fresh database.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportRun {
    /// Seconds spent in `import_file`, file opened to transaction committed.
    pub seconds: f64,
    /// Rows per second over `seconds`.
    pub rows_per_second: f64,
    /// The process's peak resident memory during this run, in KiB (VmHWM, reset before
    /// the run where the kernel allows it, else the peak of the whole process so far).
    pub peak_rss_kib: Option<u64>,
    /// Where the time went.
    pub timings: ImportTimings,
}

/// The figures of a benchmark.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportBench {
    /// Rows imported per run.
    pub rows: u64,
    /// Size of the CSV file in bytes.
    pub file_bytes: u64,
    /// Each run, in order.
    pub runs: Vec<ImportRun>,
    /// Each run's re-import of the same file (every row an update that changes nothing),
    /// when asked for.
    pub reimports: Vec<ImportRun>,
    /// Each run's re-import of the file with every account's fees raised (every row an
    /// update that changes the account), after `reimports`, when asked for.
    pub changed_reimports: Vec<ImportRun>,
    /// Rows per second of validation alone: the same file behind one invalid row, so the
    /// importer validates every row but hands none to the store.
    pub validation_rows_per_second: f64,
}

impl ImportBench {
    /// The fastest run's seconds and the median run's seconds.
    pub fn min_and_median_seconds(&self) -> (f64, f64) {
        min_and_median(&self.runs)
    }
}

/// The fastest and the median of `runs`' seconds.
fn min_and_median(runs: &[ImportRun]) -> (f64, f64) {
    let mut seconds: Vec<f64> = runs.iter().map(|r| r.seconds).collect();
    seconds.sort_by(f64::total_cmp);
    let min = seconds.first().copied().unwrap_or(0.0);
    let median = seconds.get(seconds.len() / 2).copied().unwrap_or(0.0);
    (min, median)
}

/// One run's block: seconds, rows/s, peak memory and the time split.
fn write_run(f: &mut fmt::Formatter<'_>, label: &str, run: &ImportRun) -> fmt::Result {
    let t = &run.timings;
    let rss = run.peak_rss_kib.map_or("unknown".to_string(), |kib| {
        format!("{:.1} MB", kib as f64 / 1024.0)
    });
    writeln!(
        f,
        "{label:<14} {:.2} s, {:.0} rows/s, peak RSS {rss}",
        run.seconds, run.rows_per_second
    )?;
    writeln!(
        f,
        "  validation thread: {:.2} s validating, {:.2} s waiting for the store",
        secs(t.validating),
        secs(t.validation_waited)
    )?;
    writeln!(
        f,
        "  store thread:      {:.2} s writing rows (of which {:.2} s waiting for \
         validation), {:.2} s rebuilding indexes, {:.2} s committing",
        secs(t.writing_rows),
        secs(t.store_waited),
        secs(t.rebuilding_indexes),
        secs(t.committing)
    )
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

impl fmt::Display for ImportBench {
    /// One block per run, then the summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "rows:          {} ({:.1} MB CSV), {} run(s), each into a fresh SQLite file",
            self.rows,
            self.file_bytes as f64 / 1e6,
            self.runs.len()
        )?;
        for (i, run) in self.runs.iter().enumerate() {
            write_run(f, &format!("run {}:", i + 1), run)?;
            if let Some(again) = self.reimports.get(i) {
                write_run(f, &format!("same file {}:", i + 1), again)?;
            }
            if let Some(again) = self.changed_reimports.get(i) {
                write_run(f, &format!("changed {}:", i + 1), again)?;
            }
        }
        let (min, median) = self.min_and_median_seconds();
        let rate = |s: f64| self.rows as f64 / s.max(1e-9);
        writeln!(f, "elapsed:       min {min:.2} s, median {median:.2} s")?;
        writeln!(
            f,
            "rows/s:        best {:.0}, median {:.0}",
            rate(min),
            rate(median)
        )?;
        for (label, runs) in [
            ("same file:", &self.reimports),
            ("changed:", &self.changed_reimports),
        ] {
            if runs.is_empty() {
                continue;
            }
            let (min, median) = min_and_median(runs);
            writeln!(
                f,
                "re-import, {label:<10} min {min:.2} s, median {median:.2} s; rows/s best \
                 {:.0}, median {:.0}",
                rate(min),
                rate(median)
            )?;
        }
        let all = self
            .runs
            .iter()
            .chain(&self.reimports)
            .chain(&self.changed_reimports);
        if let Some(peak) = all.filter_map(|r| r.peak_rss_kib).max() {
            writeln!(
                f,
                "peak RSS:      {:.1} MB (highest run)",
                peak as f64 / 1024.0
            )?;
        }
        write!(
            f,
            "validation:    {:.0} rows/s alone (parsing and checks only, no store writes)",
            self.validation_rows_per_second
        )
    }
}

/// Writes `rows` generated accounts to `workdir/bench-accounts.csv`, imports them `runs`
/// times, each into a fresh `workdir/bench.db`, and measures each import; with `reimport`
/// each run then imports the file again into the same database, then a copy with every
/// account's fees raised (all updates, the second all changing the accounts).
pub fn bench_import(
    rows: u64,
    runs: u32,
    reimport: bool,
    workdir: &Path,
) -> anyhow::Result<ImportBench> {
    let (y, m, d) = BENCH_TODAY;
    let today = NaiveDate::from_ymd_opt(y, m, d).context("benchmark date")?;
    let csv = workdir.join("bench-accounts.csv");
    write_accounts_csv(&csv, rows, 1, today)?;
    let changed = workdir.join("bench-accounts-changed.csv");
    if reimport {
        with_fees_raised(&csv, &changed)?;
    }
    let db = workdir.join("bench.db");
    let actor = Actor::system("system:bench");
    let options = ImportOptions::new(ImportKind::Accounts, today);
    let mut figures = Vec::new();
    let mut reimports = Vec::new();
    let mut changed_reimports = Vec::new();
    let mut store = None;
    for _ in 0..runs.max(1) {
        // The previous run's store closes (and checkpoints) before its file is removed.
        drop(store.take());
        let fresh = fresh_store(workdir, &db, &actor)?;
        let run = measured_import(&*fresh, &csv, &options, &actor)?;
        anyhow::ensure!(
            run.1 == (rows, 0),
            "the benchmark file inserted/updated {:?} instead of ({rows}, 0)",
            run.1
        );
        figures.push(run.0);
        if reimport {
            let again = measured_import(&*fresh, &csv, &options, &actor)?;
            anyhow::ensure!(
                again.1 == (0, rows),
                "the re-import inserted/updated {:?} instead of (0, {rows})",
                again.1
            );
            reimports.push(again.0);
            let again = measured_import(&*fresh, &changed, &options, &actor)?;
            anyhow::ensure!(
                again.1 == (0, rows),
                "the changed re-import inserted/updated {:?} instead of (0, {rows})",
                again.1
            );
            changed_reimports.push(again.0);
        }
        store = Some(fresh);
    }
    let store = store.context("no benchmark run")?;
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
    if reimport {
        std::fs::remove_file(&changed)?;
    }
    Ok(ImportBench {
        rows,
        file_bytes: std::fs::metadata(&csv)?.len(),
        runs: figures,
        reimports,
        changed_reimports,
        validation_rows_per_second: refused.rows_read as f64 / validation_seconds.max(1e-9),
    })
}

/// Imports `csv` once, measured; also returns the accounts inserted and updated.
fn measured_import(
    store: &dyn Store,
    csv: &Path,
    options: &ImportOptions,
    actor: &Actor,
) -> anyhow::Result<(ImportRun, (u64, u64))> {
    reset_peak_rss();
    let started = Instant::now();
    let report = import_file(store, "BENCH", csv, options, &mut NoProgress, actor)?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        report.committed && report.error_count == 0,
        "the benchmark file did not import cleanly:\n{report}"
    );
    let run = ImportRun {
        seconds,
        rows_per_second: report.rows_read as f64 / seconds.max(1e-9),
        peak_rss_kib: peak_rss_kib(),
        timings: report.timings,
    };
    Ok((run, (report.inserted, report.updated)))
}

/// A new, migrated `db` with the benchmark creditor (any previous file removed).
fn fresh_store(
    workdir: &Path,
    db: &Path,
    actor: &Actor,
) -> anyhow::Result<std::sync::Arc<dyn Store>> {
    for suffix in ["", "-wal", "-shm"] {
        let file = workdir.join(format!("bench.db{suffix}"));
        if file.exists() {
            std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
        }
    }
    let store = sepakat_store::open(&format!("sqlite://{}", db.display()))?;
    store.migrate()?;
    store.create_creditor(
        &NewCreditor {
            code: "BENCH".into(),
            name: "Benchmark".into(),
            regime: Regime::bank(),
        },
        actor,
    )?;
    Ok(store)
}

/// Copies `from` with every row's `fees` raised by Rp 1,000.
fn with_fees_raised(from: &Path, to: &Path) -> anyhow::Result<()> {
    let mut reader = csv::Reader::from_path(from)?;
    let fees = reader
        .headers()?
        .iter()
        .position(|h| h == "fees")
        .context("the benchmark file has no fees column")?;
    let mut writer = csv::Writer::from_path(to)?;
    writer.write_record(reader.headers()?)?;
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        let raised = record[fees].parse::<i64>().context("fees")? + 1_000;
        let raised = raised.to_string();
        let cells = record
            .iter()
            .enumerate()
            .map(|(i, cell)| if i == fees { raised.as_str() } else { cell });
        writer.write_record(cells)?;
    }
    writer.flush()?;
    Ok(())
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

/// Resets the peak RSS (VmHWM) to the current RSS, so the next reading covers only what
/// follows (Linux: writing 5 to /proc/self/clear_refs). Best effort: where it fails the
/// reading covers the whole process, which can only over-state the peak.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// VmHWM from /proc/self/status, in KiB (Linux only).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
