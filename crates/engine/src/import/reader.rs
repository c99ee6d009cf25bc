//! Reading rows out of import files: CSV (streamed) and XLSX (first sheet).
//!
//! Both readers fill one reused `csv::StringRecord` per row, so the row checks see the
//! same thing whatever the format, and a million-row CSV costs no allocation per cell.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};
use csv::StringRecord;

use super::ImportError;

/// A source of rows numbered as a spreadsheet shows them (the header is row 1).
pub(crate) trait RowReader: Send {
    /// Reads the next row into `record`; returns its row number, or None at the end.
    fn next_row(&mut self, record: &mut StringRecord) -> Result<Option<u64>, ImportError>;
    /// Bytes read so far (0 when unknown).
    fn bytes_done(&self) -> u64;
    /// The size of the input, when known.
    fn total_bytes(&self) -> Option<u64>;
}

/// The formats an import file may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Comma- or semicolon-separated text, UTF-8.
    Csv,
    /// Excel 2007+ workbook.
    Xlsx,
}

impl Format {
    /// The format named by a file's extension.
    pub(crate) fn of(path: &Path) -> Result<Format, ImportError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(ImportError::UnsupportedFormat {
                path: path.to_path_buf(),
                extension: ext,
            }),
        }
    }
}

/// Opens a file as a row reader for its format.
pub(crate) fn open(path: &Path, format: Format) -> Result<Box<dyn RowReader>, ImportError> {
    match format {
        Format::Csv => Ok(Box::new(CsvRows::open(path)?)),
        Format::Xlsx => Ok(Box::new(XlsxRows::open(path)?)),
    }
}

/// A streamed CSV file: UTF-8 with an optional BOM, `,` or `;` chosen from the header.
pub(crate) struct CsvRows {
    reader: csv::Reader<BufReader<File>>,
    path: std::path::PathBuf,
    row: u64,
    skipped: u64,
    total: u64,
}

impl CsvRows {
    fn open(path: &Path) -> Result<CsvRows, ImportError> {
        let unreadable = |e: std::io::Error| ImportError::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let file = File::open(path).map_err(unreadable)?;
        let total = file.metadata().map_err(unreadable)?.len();
        let mut buf = BufReader::with_capacity(1 << 16, file);
        let head = buf.fill_buf().map_err(unreadable)?;
        let skipped = if head.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let delimiter = detect_delimiter(&head[skipped..]);
        buf.consume(skipped);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(buf);
        Ok(CsvRows {
            reader,
            path: path.to_path_buf(),
            row: 0,
            skipped: skipped as u64,
            total,
        })
    }
}

/// `;` when the first line has more semicolons than commas outside quotes, else `,`
/// (Excel in Indonesian locales writes `;` because `,` is the decimal separator).
fn detect_delimiter(head: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

impl RowReader for CsvRows {
    fn next_row(&mut self, record: &mut StringRecord) -> Result<Option<u64>, ImportError> {
        self.row += 1;
        match self.reader.read_record(record) {
            Ok(true) => Ok(Some(self.row)),
            Ok(false) => Ok(None),
            Err(e) => match e.kind() {
                csv::ErrorKind::Utf8 { pos, .. } => Err(ImportError::NotUtf8 {
                    row: pos.as_ref().map(|p| p.record() + 1).unwrap_or(self.row),
                }),
                csv::ErrorKind::Io(io) => Err(ImportError::Unreadable {
                    path: self.path.clone(),
                    reason: io.to_string(),
                }),
                _ => Err(ImportError::Malformed {
                    row: self.row,
                    reason: e.to_string(),
                }),
            },
        }
    }

    fn bytes_done(&self) -> u64 {
        self.reader.position().byte() + self.skipped
    }

    fn total_bytes(&self) -> Option<u64> {
        Some(self.total)
    }
}

/// The first sheet of an XLSX workbook, loaded whole (calamine reads sheets at once).
pub(crate) struct XlsxRows {
    range: Range<Data>,
    next: usize,
    first_row: u64,
}

impl XlsxRows {
    fn open(path: &Path) -> Result<XlsxRows, ImportError> {
        let bad = |reason: String| ImportError::Unreadable {
            path: path.to_path_buf(),
            reason,
        };
        let mut book: Xlsx<_> = calamine::open_workbook(path)
            .map_err(|e| bad(format!("not a readable XLSX workbook ({e})")))?;
        let range = match book.worksheet_range_at(0) {
            Some(Ok(range)) => range,
            Some(Err(e)) => return Err(bad(format!("cannot read the first sheet ({e})"))),
            None => return Err(ImportError::Empty),
        };
        let first_row = range.start().map(|(r, _)| u64::from(r) + 1).unwrap_or(1);
        Ok(XlsxRows {
            range,
            next: 0,
            first_row,
        })
    }
}

impl RowReader for XlsxRows {
    fn next_row(&mut self, record: &mut StringRecord) -> Result<Option<u64>, ImportError> {
        let Some(cells) = self.range.rows().nth(self.next) else {
            return Ok(None);
        };
        record.clear();
        let mut text = String::new();
        for cell in cells {
            text.clear();
            cell_text(cell, &mut text);
            record.push_field(&text);
        }
        let row = self.first_row + self.next as u64;
        self.next += 1;
        Ok(Some(row))
    }

    fn bytes_done(&self) -> u64 {
        0
    }

    fn total_bytes(&self) -> Option<u64> {
        None
    }
}

/// A cell as the text a CSV export would hold: whole numbers without `.0`, dates as
/// `YYYY-MM-DD` (with ` HH:MM:SS` when there is a time of day).
fn cell_text(cell: &Data, out: &mut String) {
    use std::fmt::Write;
    match cell {
        Data::Empty => {}
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                let _ = write!(out, "{}", *f as i64);
            } else {
                let _ = write!(out, "{f}");
            }
        }
        Data::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(at) if dt.is_datetime() => {
                if at.time() == chrono::NaiveTime::MIN {
                    let _ = write!(out, "{}", at.format("%Y-%m-%d"));
                } else {
                    let _ = write!(out, "{}", at.format("%Y-%m-%d %H:%M:%S"));
                }
            }
            _ => {
                let _ = write!(out, "{}", dt.as_f64());
            }
        },
        Data::Error(e) => {
            let _ = write!(out, "#{e:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_follows_the_header_line() {
        assert_eq!(detect_delimiter(b"a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(detect_delimiter(b"a;b;c\n1,2"), b';');
        assert_eq!(detect_delimiter(b"\"a,b\";c;d\n"), b';');
    }

    #[test]
    fn extensions_pick_the_format() {
        assert_eq!(Format::of(Path::new("x.CSV")).unwrap(), Format::Csv);
        assert_eq!(Format::of(Path::new("x.xlsx")).unwrap(), Format::Xlsx);
        assert!(Format::of(Path::new("x.xls")).is_err());
        assert!(Format::of(Path::new("x")).is_err());
    }
}
