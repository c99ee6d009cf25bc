//! The example files in `examples/` stay valid; `cargo test -- --ignored` regenerates them.

use std::path::PathBuf;

use sepakat_engine::demo::write_accounts_csv;
use sepakat_engine::ImportKind;

use super::support::*;

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

#[test]
fn the_example_files_import_cleanly() {
    let (store, creditor) = store();
    for (file, kind) in [
        ("accounts.csv", ImportKind::Accounts),
        ("accounts.xlsx", ImportKind::Accounts),
        ("payments.csv", ImportKind::Payments),
    ] {
        let report = import(&*store, &examples().join(file), kind).unwrap();
        assert_eq!(report.error_count, 0, "{file}: {report}");
        assert!(report.committed, "{file}");
    }
    assert_eq!(accounts(&*store, creditor).len(), 20);
}

#[test]
#[ignore = "regenerates the files in examples/"]
fn write_example_files() {
    let dir = examples();
    let accounts = dir.join("accounts.csv");
    write_accounts_csv(&accounts, 20, 2026, today()).unwrap();

    // The same rows as a workbook, numbers as numbers and dates as dates.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let mut reader = csv::Reader::from_path(&accounts).unwrap();
    let header = reader.headers().unwrap().clone();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    let mut payments = vec![];
    for (r, record) in reader.records().enumerate() {
        let record = record.unwrap();
        for (c, value) in record.iter().enumerate() {
            let (r32, c16) = (r as u32 + 1, c as u16);
            let name = &header[c];
            if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                let dt = rust_xlsxwriter::ExcelDateTime::parse_from_str(&d.to_string()).unwrap();
                sheet
                    .write_datetime_with_format(r32, c16, &dt, &date)
                    .unwrap();
            } else if matches!(
                name,
                "principal" | "outstanding_principal" | "instalment" | "tenor_months"
            ) && !value.is_empty()
            {
                sheet
                    .write_number(r32, c16, value.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                sheet.write_string(r32, c16, value).unwrap();
            }
        }
        if r % 3 == 0 {
            payments.push(vec![
                record[0].to_string(),
                format!("2026-11-{:02} 10.{:02}", 1 + r % 20, r * 3 % 60),
                "Rp 250.000".to_string(),
                format!("TRX-202611-{:04}", r + 1),
                ["transfer", "va", "teller", "qris"][r % 4].to_string(),
            ]);
        }
    }
    book.save(dir.join("accounts.xlsx")).unwrap();
    let mut w = csv::Writer::from_path(dir.join("payments.csv")).unwrap();
    w.write_record([
        "no_rekening",
        "tanggal_bayar",
        "jumlah",
        "referensi",
        "kanal",
    ])
    .unwrap();
    for p in payments {
        w.write_record(p).unwrap();
    }
    w.flush().unwrap();
}
