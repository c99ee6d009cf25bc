//! Importing a creditor's portfolio (accounts) or payments from CSV or XLSX files.
//!
//! The file is streamed through the store's bulk-import protocol (`ImportSource`): each
//! row is validated with the domain parsers as the store pulls it, and the whole import is
//! one transaction. Without `skip_invalid` a single invalid row means nothing is written;
//! with it, valid rows are written and rejected rows go to `<stem>.rejected.csv` beside
//! the input. The accepted columns and rules are in docs/import-format.md.

mod account;
mod column;
mod payment;
pub(crate) mod pipeline;
mod reader;
mod row;
mod source;
mod value;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use csv::StringRecord;
use sepakat_domain::AllocationOrder;
use sepakat_store::{Actor, Store, StoreError};

use crate::progress::Progress;
use column::ColumnMap;
use reader::Format;
use source::{Accounts, Payments, RowSource};

/// How many row errors a report keeps; the rest are only counted.
pub const MAX_REPORTED_ERRORS: usize = source::MAX_ERRORS;

/// The contractual instalment of a loan, as the importer derives it when a file omits it.
pub(crate) fn instalment_for(
    terms: &sepakat_domain::LoanTerms,
) -> Result<sepakat_domain::Rupiah, String> {
    sepakat_domain::instalment_amount(terms).map_err(|e| e.to_string())
}

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Debtors and their accounts (upserted by account number).
    Accounts,
    /// Payments to known accounts (idempotent by reference).
    Payments,
}

impl ImportKind {
    fn noun(self) -> &'static str {
        match self {
            ImportKind::Accounts => "accounts",
            ImportKind::Payments => "payments",
        }
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Accounts or payments.
    pub kind: ImportKind,
    /// Write the valid rows and set the invalid ones aside, instead of writing nothing.
    pub skip_invalid: bool,
    /// The date the file describes: `dpd` counts back from it, and no date may pass it.
    pub today: NaiveDate,
    /// How imported payments are split over fees, penalty, interest and principal.
    pub allocation_order: AllocationOrder,
}

impl ImportOptions {
    /// Options for `kind` on `today`: all-or-nothing, default allocation order.
    pub fn new(kind: ImportKind, today: NaiveDate) -> ImportOptions {
        ImportOptions {
            kind,
            skip_invalid: false,
            today,
            allocation_order: AllocationOrder::default(),
        }
    }
}

/// A problem with one cell (or row) of the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// The row as a spreadsheet numbers it: the header is row 1, the first data row 2.
    pub row: u64,
    /// The column header exactly as written in the file.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RowError {
    /// `row 17, column nik: "3201xx" is not 16 digits`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {}, column {}: {}",
            self.row, self.column, self.message
        )
    }
}

/// Why a file could not be imported at all (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The creditor code names no creditor.
    #[error("unknown creditor code {code:?}; {known}")]
    UnknownCreditor {
        /// The code given.
        code: String,
        /// The existing codes, as a sentence.
        known: String,
    },
    /// The file could not be opened or read.
    #[error("cannot read {path}: {reason}", path = path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// Neither `.csv` nor `.xlsx`.
    #[error("{path}: unsupported file type {}; save it as .csv (UTF-8) or .xlsx",
        if extension.is_empty() { "(no extension)".to_string() } else { format!("\".{extension}\"") },
        path = path.display())]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
        /// Its extension, lower case, without the dot.
        extension: String,
    },
    /// No rows at all.
    #[error("the file is empty")]
    Empty,
    /// A header but no data rows.
    #[error("the file has a header row but no data rows")]
    NoRows,
    /// Row 1 names no known column.
    #[error("row 1 is not a header: none of its cells is a known column name (the first cell is {first_cell:?}); row 1 must name the columns, e.g. {expected}")]
    MissingHeader {
        /// The first cell of row 1.
        first_cell: String,
        /// The required columns, comma-separated.
        expected: String,
    },
    /// Header cells that name no known column.
    #[error("unknown column(s): {0}")]
    UnknownColumns(String),
    /// The same column twice (also under two of its names).
    #[error("duplicated column(s): {0}")]
    DuplicatedColumns(String),
    /// Required columns absent.
    #[error("required column(s) missing: {0}")]
    MissingColumns(String),
    /// Bytes that are not UTF-8.
    #[error("row {row} is not valid UTF-8 text; save the file as \"CSV UTF-8\"")]
    NotUtf8 {
        /// The spreadsheet row.
        row: u64,
    },
    /// CSV that cannot be parsed.
    #[error("row {row} cannot be read as CSV: {reason}")]
    Malformed {
        /// The spreadsheet row.
        row: u64,
        /// The parser's reason.
        reason: String,
    },
    /// The rejected rows could not be written.
    #[error("cannot write the rejected rows to {path}: {reason}", path = path.display())]
    RejectedFile {
        /// The rejected-rows file.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// The database failed.
    #[error("the database refused the import: {0}")]
    Store(#[from] StoreError),
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Data rows read (blank rows are not counted).
    pub rows_read: u64,
    /// Records created.
    pub inserted: u64,
    /// Records updated.
    pub updated: u64,
    /// Rows that changed nothing (e.g. a payment reference already posted).
    pub unchanged: u64,
    /// Rows rejected, by validation or by the store.
    pub rejected: u64,
    /// Debtor contacts (emergency contact, employer) added, corrections included.
    pub contacts_added: u64,
    /// The first 100 errors.
    pub errors: Vec<RowError>,
    /// All errors (a row can have several).
    pub error_count: u64,
    /// Whether anything was written.
    pub committed: bool,
    /// Where the rejected rows were written (only with `skip_invalid`).
    pub rejected_file: Option<PathBuf>,
    /// Where the time went.
    pub timings: ImportTimings,
}

/// Where an import's time went, per thread and stage (printed by `sepakat bench import`).
///
/// Validation runs on its own thread while the store writes, so `validating` overlaps
/// `writing_rows`; the waits say which of the two held the other up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportTimings {
    /// Validation thread: reading, parsing and checking rows.
    pub validating: Duration,
    /// Validation thread: waiting for the store to take rows (the store was slower).
    pub validation_waited: Duration,
    /// Store: from the first row pulled to the last row written (includes its waits).
    pub writing_rows: Duration,
    /// Store: waiting for validated rows (validation was slower).
    pub store_waited: Duration,
    /// Store: rebuilding the indexes a bulk import deferred.
    pub rebuilding_indexes: Duration,
    /// Store: committing (for SQLite, with the WAL checkpoint that follows).
    pub committing: Duration,
}

impl fmt::Display for ImportReport {
    /// A short summary followed by the errors kept, one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} rows read: {} inserted, {} updated, {} unchanged, {} rejected",
            self.rows_read, self.inserted, self.updated, self.unchanged, self.rejected
        )?;
        for e in &self.errors {
            writeln!(f, "{e}")?;
        }
        if self.error_count > self.errors.len() as u64 {
            writeln!(
                f,
                "… and {} more errors",
                self.error_count - self.errors.len() as u64
            )?;
        }
        if let Some(path) = &self.rejected_file {
            writeln!(f, "rejected rows written to {}", path.display())?;
        }
        if self.committed {
            write!(f, "committed")
        } else {
            write!(
                f,
                "nothing was written (fix the errors, or use --skip-invalid)"
            )
        }
    }
}

/// Imports a file for a creditor; see the module documentation.
///
/// Returns `Err` for problems with the file as a whole (nothing written) and `Ok` with
/// the row errors otherwise; `report.committed` says whether anything was written.
pub fn import_file(
    store: &dyn Store,
    creditor_code: &str,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn Progress,
    actor: &Actor,
) -> Result<ImportReport, ImportError> {
    let creditor = match store.creditor_by_code(creditor_code)? {
        Some(c) => c,
        None => return Err(unknown_creditor(store, creditor_code)?),
    };
    let format = Format::of(path)?;
    let mut rows = reader::open(path, format)?;
    let mut header = StringRecord::new();
    if rows.next_row(&mut header)?.is_none() || row::is_blank(&header) {
        return Err(ImportError::Empty);
    }
    let headers: Vec<String> = header.iter().map(str::to_string).collect();
    let map = ColumnMap::from_headers(&headers, options.kind)?;
    progress.start(rows.total_bytes(), None);
    let _span = tracing::info_span!(
        "import",
        creditor = creditor_code,
        kind = options.kind.noun()
    )
    .entered();
    let (outcome, times, findings) = match options.kind {
        ImportKind::Accounts => {
            let mut src = RowSource::<Accounts>::new(
                rows,
                &map,
                format,
                path,
                options.today,
                options.skip_invalid,
                progress,
            );
            let (outcome, times) =
                pipeline::pipelined(&mut src, |s| store.import_accounts(creditor.id, actor, s));
            (outcome, times, src.finish(path, format))
        }
        ImportKind::Payments => {
            let mut src = RowSource::<Payments>::new(
                rows,
                &map,
                format,
                path,
                options.today,
                options.skip_invalid,
                progress,
            );
            let order = &options.allocation_order;
            let (outcome, times) = pipeline::pipelined(&mut src, |s| {
                store.import_payments(creditor.id, actor, order, s)
            });
            (outcome, times, src.finish(path, format))
        }
    };
    let findings = findings?;
    let outcome = outcome?;
    let [writing_rows, rebuilding_indexes, committing] = findings.store_stages;
    let timings = ImportTimings {
        validating: times.validating,
        validation_waited: times.validation_waited,
        writing_rows,
        store_waited: times.store_waited,
        rebuilding_indexes,
        committing,
    };
    // A rolled-back import wrote nothing, whatever the store counted on the way.
    let written = |n: u64| if outcome.committed { n } else { 0 };
    Ok(ImportReport {
        rows_read: findings.rows_read,
        inserted: written(outcome.inserted),
        updated: written(outcome.updated),
        unchanged: written(outcome.unchanged),
        rejected: findings.rejected,
        contacts_added: written(outcome.contacts_added),
        errors: findings.errors,
        error_count: findings.error_count,
        committed: outcome.committed,
        rejected_file: findings.rejected_file,
        timings,
    })
}

fn unknown_creditor(store: &dyn Store, code: &str) -> Result<ImportError, ImportError> {
    let codes: Vec<String> = store.creditors()?.into_iter().map(|c| c.code).collect();
    let known = if codes.is_empty() {
        "no creditors exist yet; create one first".to_string()
    } else {
        format!("existing codes: {}", codes.join(", "))
    };
    Ok(ImportError::UnknownCreditor {
        code: code.to_string(),
        known,
    })
}
