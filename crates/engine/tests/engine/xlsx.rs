//! XLSX workbooks: dates and numbers as Excel stores them.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use sepakat_engine::ImportKind;

use super::support::*;

/// Writes the test rows to a workbook, with real date cells and numeric amounts.
fn workbook(path: &std::path::Path, rows: &[Vec<String>]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, cells) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, value) in cells.iter().enumerate() {
            let c16 = c as u16;
            if c == col("tanggal_akad") {
                let d = chrono::NaiveDate::parse_from_str(value, "%d/%m/%Y").unwrap();
                let dt = ExcelDateTime::from_ymd(
                    d.year_ce().1 as u16,
                    d.month0() as u8 + 1,
                    d.day0() as u8 + 1,
                )
                .unwrap();
                sheet
                    .write_datetime_with_format(r, c16, &dt, &date)
                    .unwrap();
            } else if c == col("sisa_pokok") || c == col("tenor") || c == col("dpd") {
                sheet
                    .write_number(r, c16, value.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                sheet.write_string(r, c16, value).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

use chrono::Datelike;

#[test]
fn a_good_workbook_imports_with_dates_and_numbers() {
    let (store, creditor) = store();
    let dir = dir();
    let path = dir.path().join("book.xlsx");
    workbook(&path, &[row(1), row(2)]);
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_eq!((report.inserted, report.error_count), (2, 0), "{report}");
    let a = store.account_by_number(creditor, "ACC-2").unwrap().unwrap();
    assert_eq!(a.opened_on.to_string(), "2026-01-15");
    assert_eq!(a.balance.outstanding_principal.value(), 9_000_000);
    assert_eq!(accounts(&*store, creditor).len(), 2);
}

#[test]
fn a_bad_workbook_names_the_spreadsheet_row() {
    let (store, creditor) = store();
    let dir = dir();
    let path = dir.path().join("bad.xlsx");
    let mut bad = row(2);
    bad[col("nik")] = "3201xx".into();
    workbook(&path, &[row(1), bad]);
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_refused(&report, &["row 3, column nik: \"3201xx\" is not 16 digits"]);
    assert!(accounts(&*store, creditor).is_empty());
}
