//! Progress reporting for long batch jobs (imports, demo data), so the command line can
//! draw a bar on a terminal or print plain lines in a log without the engine knowing which.

/// Receives progress from a batch job. Calls come from the job's thread, in order:
/// `start`, any number of `stage`/`advance`, then `finish`. Imports validate on a second
/// thread, so a `Progress` must be `Send`.
pub trait Progress: Send {
    /// The job begins; totals are given when known (bytes of an input file, or rows
    /// to generate).
    fn start(&mut self, total_bytes: Option<u64>, total_rows: Option<u64>);
    /// A named step begins (e.g. one creditor of the demo data); counts restart from 0.
    fn stage(&mut self, _name: &str) {}
    /// Work done so far (not deltas); called every few thousand rows.
    fn advance(&mut self, rows_done: u64, bytes_done: u64);
    /// The job is over (successfully or not).
    fn finish(&mut self);
}

/// Reports nothing: for tests and library callers.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&mut self, _total_bytes: Option<u64>, _total_rows: Option<u64>) {}
    fn advance(&mut self, _rows_done: u64, _bytes_done: u64) {}
    fn finish(&mut self) {}
}
