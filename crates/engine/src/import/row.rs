//! One data row under validation: typed access to its cells by column, and the errors
//! found so far. Builders (`account`, `payment`) read cells through it so that every error
//! names the row and the column exactly as the user wrote it.

use csv::StringRecord;

use super::column::{Col, ColumnMap};
use super::value::{check_cell, check_len};
use super::RowError;

/// The longest value accepted in a cell whose column the importer does not read.
const GENERIC_MAX: usize = 1000;

/// A row being validated.
pub(crate) struct RowCtx<'a> {
    /// The spreadsheet row number (header = 1).
    pub(crate) row: u64,
    record: &'a StringRecord,
    map: &'a ColumnMap,
    /// The file is an XLSX workbook (date serials are accepted).
    pub(crate) xlsx: bool,
    /// Columns whose cell already failed a check; they read as absent, so one bad cell
    /// gives one error.
    failed: u64,
    /// Errors found in this row.
    pub(crate) errors: Vec<RowError>,
}

impl<'a> RowCtx<'a> {
    /// Starts validating a row and runs the checks every cell passes (length, formulas,
    /// no data outside the header's columns).
    pub(crate) fn new(row: u64, record: &'a StringRecord, map: &'a ColumnMap, xlsx: bool) -> Self {
        let mut ctx = RowCtx {
            row,
            record,
            map,
            xlsx,
            failed: 0,
            errors: Vec::new(),
        };
        for (i, cell) in record.iter().enumerate() {
            let col = map.col_at(i);
            let result = match col {
                Some(col) => check_cell(col, cell),
                None if cell.trim().is_empty() => Ok(()),
                None => check_len(cell, GENERIC_MAX).and_then(|()| {
                    if i >= map.width() {
                        Err(format!(
                            "the row has {} cells but the header names {} columns",
                            record.len(),
                            map.width()
                        ))
                    } else {
                        Err("the cell has a value but its column has no header".to_string())
                    }
                }),
            };
            if let Err(message) = result {
                let column = if i < map.width() {
                    map.header_at(i).to_string()
                } else {
                    format!("#{}", i + 1)
                };
                ctx.errors.push(RowError {
                    row,
                    column,
                    message,
                });
                if let Some(col) = col {
                    ctx.failed |= 1 << (col as u8);
                }
            }
        }
        ctx
    }

    /// The trimmed cell of a column; None when the file lacks the column, the cell is
    /// empty, or the cell already failed a check.
    pub(crate) fn cell(&self, col: Col) -> Option<&'a str> {
        if self.failed & (1 << (col as u8)) != 0 {
            return None;
        }
        let value = self.record.get(self.map.index(col)?)?.trim();
        (!value.is_empty()).then_some(value)
    }

    /// True if the column's cell failed a check (so a "required" error would be noise).
    pub(crate) fn has_failed(&self, col: Col) -> bool {
        self.failed & (1 << (col as u8)) != 0
    }

    /// Records an error against a column.
    pub(crate) fn error(&mut self, col: Col, message: impl Into<String>) {
        self.failed |= 1 << (col as u8);
        self.errors.push(RowError {
            row: self.row,
            column: self.map.header(col).to_string(),
            message: message.into(),
        });
    }

    /// Parses an optional cell; an unparsable value is recorded and reads as None.
    pub(crate) fn opt<T>(
        &mut self,
        col: Col,
        parse: impl FnOnce(&'a str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.cell(col)?;
        match parse(text) {
            Ok(v) => Some(v),
            Err(message) => {
                self.error(col, message);
                None
            }
        }
    }

    /// Parses a required cell; an empty cell is an error too.
    pub(crate) fn req<T>(
        &mut self,
        col: Col,
        parse: impl FnOnce(&'a str) -> Result<T, String>,
    ) -> Option<T> {
        if self.cell(col).is_none() && !self.has_failed(col) {
            self.error(col, "a value is required");
            return None;
        }
        self.opt(col, parse)
    }

    /// True if the file has this column.
    pub(crate) fn has_column(&self, col: Col) -> bool {
        self.map.index(col).is_some()
    }
}

/// True when every cell of a record is blank (spreadsheets export such rows at the end).
pub(crate) fn is_blank(record: &StringRecord) -> bool {
    record.iter().all(|c| c.trim().is_empty())
}
