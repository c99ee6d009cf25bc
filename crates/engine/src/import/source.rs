//! The `ImportSource` the store pulls validated rows from: it reads the file, validates
//! each row, refuses duplicates, keeps the first errors, writes rejected rows aside when
//! asked to skip them, and tells the store whether to commit.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use csv::StringRecord;
use sepakat_store::{AccountUpsert, ImportSource, PaymentUpsert, WriteStage};

use super::column::{Col, ColumnMap};
use super::reader::{self, Format, RowReader};
use super::row::{is_blank, RowCtx};
use super::{account, payment, ImportError, RowError};
use crate::progress::Progress;

/// How many row errors a report keeps; the rest are only counted.
pub(crate) const MAX_ERRORS: usize = 100;

/// How often (in rows) progress is reported; a power of two, tested with a mask.
const PROGRESS_EVERY: u64 = 8192;

/// One kind of import file: how a row becomes a record, and which value must be unique.
pub(crate) trait RowKind {
    /// The record handed to the store.
    type Out;
    /// The column whose value must not repeat within one file.
    const UNIQUE: Col;
    /// Validates a row.
    fn build(ctx: &mut RowCtx<'_>, today: NaiveDate) -> Option<Self::Out>;
    /// The unique value of a record.
    fn unique(out: &Self::Out) -> &str;
}

/// Rows of an accounts file (account numbers are unique).
pub(crate) struct Accounts;

impl RowKind for Accounts {
    type Out = AccountUpsert;
    const UNIQUE: Col = Col::AccountNo;
    fn build(ctx: &mut RowCtx<'_>, today: NaiveDate) -> Option<AccountUpsert> {
        account::account_row(ctx, today)
    }
    fn unique(out: &AccountUpsert) -> &str {
        &out.account_no
    }
}

/// Rows of a payments file (references are unique; an account may be paid many times).
pub(crate) struct Payments;

impl RowKind for Payments {
    type Out = PaymentUpsert;
    const UNIQUE: Col = Col::Reference;
    fn build(ctx: &mut RowCtx<'_>, today: NaiveDate) -> Option<PaymentUpsert> {
        payment::payment_row(ctx, today)
    }
    fn unique(out: &PaymentUpsert) -> &str {
        &out.payment.reference
    }
}

/// What the source found, once the store is done with it.
pub(crate) struct Findings {
    /// Non-blank data rows read.
    pub(crate) rows_read: u64,
    /// Rows rejected (by validation or by the store).
    pub(crate) rejected: u64,
    /// The first `MAX_ERRORS` errors.
    pub(crate) errors: Vec<RowError>,
    /// All errors.
    pub(crate) error_count: u64,
    /// Where rejected rows were written, if any were.
    pub(crate) rejected_file: Option<PathBuf>,
    /// How long the store's stages took: rows, index rebuild, commit.
    pub(crate) store_stages: [Duration; 3],
}

/// Validating row stream over one file.
pub(crate) struct RowSource<'a, K: RowKind> {
    reader: Box<dyn RowReader>,
    map: &'a ColumnMap,
    today: NaiveDate,
    xlsx: bool,
    skip_invalid: bool,
    record: StringRecord,
    seen: HashMap<String, u64>,
    rows_read: u64,
    rejected: u64,
    errors: Vec<RowError>,
    error_count: u64,
    rejected_out: RejectedFile,
    store_rejects: Vec<(u64, String)>,
    fatal: Option<ImportError>,
    store_stages: [Duration; 3],
    progress: &'a mut dyn Progress,
    _kind: std::marker::PhantomData<K>,
}

impl<'a, K: RowKind> RowSource<'a, K> {
    /// A source over the data rows of `reader` (the header already read into `map`).
    pub(crate) fn new(
        reader: Box<dyn RowReader>,
        map: &'a ColumnMap,
        format: Format,
        input: &Path,
        today: NaiveDate,
        skip_invalid: bool,
        progress: &'a mut dyn Progress,
    ) -> Self {
        RowSource {
            reader,
            map,
            today,
            xlsx: format == Format::Xlsx,
            skip_invalid,
            record: StringRecord::new(),
            seen: HashMap::new(),
            rows_read: 0,
            rejected: 0,
            errors: Vec::new(),
            error_count: 0,
            rejected_out: RejectedFile::beside(input),
            store_rejects: Vec::new(),
            fatal: None,
            store_stages: [Duration::ZERO; 3],
            progress,
            _kind: std::marker::PhantomData,
        }
    }

    fn record_errors(&mut self, row: u64, errors: Vec<RowError>) {
        self.rejected += 1;
        self.error_count += errors.len() as u64;
        if self.skip_invalid && self.fatal.is_none() {
            let reason = reason_of(&errors);
            if let Err(e) = self.rejected_out.write(self.map, &self.record, &reason) {
                self.fatal = Some(e);
            }
        }
        let room = MAX_ERRORS.saturating_sub(self.errors.len());
        self.errors.extend(errors.into_iter().take(room));
        let _ = row;
    }

    /// Finishes: reports a fatal error, else writes the rows the store refused to the
    /// rejected file (a second pass over the input) and returns the findings.
    pub(crate) fn finish(mut self, input: &Path, format: Format) -> Result<Findings, ImportError> {
        self.progress
            .advance(self.rows_read, self.reader.bytes_done());
        self.progress.finish();
        if let Some(fatal) = self.fatal.take() {
            return Err(fatal);
        }
        if self.rows_read == 0 {
            return Err(ImportError::NoRows);
        }
        if self.skip_invalid && !self.store_rejects.is_empty() {
            self.store_rejects.sort_unstable();
            let mut again = reader::open(input, format)?;
            let mut record = StringRecord::new();
            let mut pending = self.store_rejects.iter().peekable();
            while let Some(row) = again.next_row(&mut record)? {
                while let Some((r, reason)) = pending.peek() {
                    if *r > row {
                        break;
                    }
                    if *r == row {
                        self.rejected_out.write(self.map, &record, reason)?;
                    }
                    pending.next();
                }
                if pending.peek().is_none() {
                    break;
                }
            }
        }
        // Validation and the store report on different threads; show errors in file order.
        self.errors.sort_by_key(|e| e.row);
        Ok(Findings {
            rows_read: self.rows_read,
            rejected: self.rejected,
            errors: self.errors,
            error_count: self.error_count,
            rejected_file: self.rejected_out.finish()?,
            store_stages: self.store_stages,
        })
    }
}

fn reason_of(errors: &[RowError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.column, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl<K: RowKind> ImportSource<K::Out> for RowSource<'_, K> {
    fn next_valid(&mut self) -> Option<K::Out> {
        loop {
            if self.fatal.is_some() {
                return None;
            }
            let row = match self.reader.next_row(&mut self.record) {
                Ok(Some(row)) => row,
                Ok(None) => return None,
                Err(e) => {
                    self.fatal = Some(e);
                    return None;
                }
            };
            if is_blank(&self.record) {
                continue;
            }
            self.rows_read += 1;
            if self.rows_read & (PROGRESS_EVERY - 1) == 0 {
                self.progress
                    .advance(self.rows_read, self.reader.bytes_done());
            }
            let mut ctx = RowCtx::new(row, &self.record, self.map, self.xlsx);
            let built = K::build(&mut ctx, self.today);
            let mut errors = ctx.errors;
            if let Some(out) = built {
                match self.seen.get(K::unique(&out)) {
                    Some(first) => errors.push(RowError {
                        row,
                        column: self.map.header(K::UNIQUE).to_string(),
                        message: format!("{:?} already appears in row {first}", K::unique(&out)),
                    }),
                    None => {
                        self.seen.insert(K::unique(&out).to_string(), row);
                        // Once a row failed without --skip-invalid nothing will be written:
                        // keep validating to report errors, but spare the store the work.
                        if self.error_count == 0 || self.skip_invalid {
                            return Some(out);
                        }
                        continue;
                    }
                }
            }
            self.record_errors(row, errors);
        }
    }

    fn reject(&mut self, row: u64, column: &str, message: String) {
        let column = self.map.header_for_canonical(column).to_string();
        let error = RowError {
            row,
            column,
            message,
        };
        if self.skip_invalid {
            self.store_rejects
                .push((row, reason_of(std::slice::from_ref(&error))));
        }
        self.rejected += 1;
        self.error_count += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(error);
        }
    }

    fn commit_wanted(&self) -> bool {
        self.fatal.is_none() && (self.error_count == 0 || self.skip_invalid)
    }

    fn timed(&mut self, stage: WriteStage, took: Duration) {
        let slot = match stage {
            WriteStage::Rows => 0,
            WriteStage::Indexes => 1,
            WriteStage::Commit => 2,
        };
        self.store_stages[slot] += took;
    }
}

/// `<stem>.rejected.csv` beside the input, created on the first rejected row: the
/// original cells (formula-like ones neutralised with a leading `'`) and a `reason`.
struct RejectedFile {
    path: PathBuf,
    writer: Option<csv::Writer<File>>,
}

impl RejectedFile {
    fn beside(input: &Path) -> RejectedFile {
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "import".into());
        RejectedFile {
            path: input.with_file_name(format!("{stem}.rejected.csv")),
            writer: None,
        }
    }

    fn write(
        &mut self,
        map: &ColumnMap,
        record: &StringRecord,
        reason: &str,
    ) -> Result<(), ImportError> {
        let failed = |e: csv::Error| ImportError::RejectedFile {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        if self.writer.is_none() {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_path(&self.path)
                .map_err(failed)?;
            let mut header: Vec<&str> = map.headers().iter().map(String::as_str).collect();
            header.push("reason");
            w.write_record(&header).map_err(failed)?;
            self.writer = Some(w);
        }
        let Some(w) = self.writer.as_mut() else {
            return Ok(());
        };
        for i in 0..map.width() {
            let cell = record.get(i).unwrap_or("");
            w.write_field(neutralise(cell).as_ref()).map_err(failed)?;
        }
        w.write_field(neutralise(reason).as_ref()).map_err(failed)?;
        w.write_record(None::<&[u8]>).map_err(failed)?;
        Ok(())
    }

    fn finish(self) -> Result<Option<PathBuf>, ImportError> {
        match self.writer {
            None => Ok(None),
            Some(mut w) => {
                w.flush().map_err(|e| ImportError::RejectedFile {
                    path: self.path.clone(),
                    reason: e.to_string(),
                })?;
                Ok(Some(self.path))
            }
        }
    }
}

/// A cell a spreadsheet would run as a formula gets a leading `'`, shown as text.
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("@x"), "'@x");
        assert_eq!(neutralise("Budi"), "Budi");
        assert_eq!(neutralise(""), "");
    }
}
