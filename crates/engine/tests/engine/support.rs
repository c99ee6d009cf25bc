//! Shared helpers: a fresh store with one creditor, files in a temp dir, valid rows.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use sepakat_domain::{Regime, Zone};
use sepakat_engine::{
    import_file, ImportError, ImportKind, ImportOptions, ImportReport, NoProgress,
};
use sepakat_store::{AccountListItem, AccountQuery, Actor, CreditorId, NewCreditor, Store};

/// The date every test imports "as of".
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date")
}

/// A migrated in-memory store with creditor `BANKA`.
pub fn store() -> (Arc<dyn Store>, CreditorId) {
    let store = sepakat_store::open("sqlite::memory:").expect("open store");
    store.migrate().expect("migrate");
    let creditor = store
        .create_creditor(
            &NewCreditor {
                code: "BANKA".into(),
                name: "Bank A".into(),
                regime: Regime::bank(),
            },
            &Actor::system("test"),
        )
        .expect("create creditor");
    (store, creditor.id)
}

/// Writes a file into `dir`.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write test file");
    path
}

/// Imports with default options (all-or-nothing) for `BANKA`.
pub fn import(
    store: &dyn Store,
    path: &Path,
    kind: ImportKind,
) -> Result<ImportReport, ImportError> {
    import_with(store, path, ImportOptions::new(kind, today()))
}

/// Imports with the given options for `BANKA`.
pub fn import_with(
    store: &dyn Store,
    path: &Path,
    options: ImportOptions,
) -> Result<ImportReport, ImportError> {
    import_file(
        store,
        "BANKA",
        path,
        &options,
        &mut NoProgress,
        &Actor::system("test"),
    )
}

/// All accounts of a creditor, by account number.
pub fn accounts(store: &dyn Store, creditor: CreditorId) -> Vec<AccountListItem> {
    let mut all = Vec::new();
    loop {
        let page = store
            .search_accounts(
                creditor,
                &AccountQuery {
                    limit: 500,
                    offset: all.len() as u32,
                    ..AccountQuery::default()
                },
            )
            .expect("search");
        let done = page.len() < 500;
        all.extend(page);
        if done {
            break;
        }
    }
    all.sort_by(|a, b| a.account_no.cmp(&b.account_no));
    all
}

/// The header of the test accounts file (English and Indonesian names mixed).
pub const HEADER: &str = "account_no,nama,nik,no_hp,alamat,kota,provinsi,produk,plafon,suku_bunga,tenor,tanggal_akad,sisa_pokok,tunggakan_pokok,tunggakan_bunga,denda,dpd";

/// A valid accounts row; `n` varies the account number.
pub fn row(n: u32) -> Vec<String> {
    [
        format!("ACC-{n}"),
        "Budi Santoso".into(),
        "3201011503850001".into(),
        "0812-3456-7890".into(),
        "Jl. Merdeka No. 1, RT 001/RW 002".into(),
        "Kab. Bogor".into(),
        "Jawa Barat".into(),
        "kta".into(),
        "12.000.000".into(),
        "12,5%".into(),
        "12".into(),
        "15/01/2026".into(),
        "9000000".into(),
        "1000000".into(),
        "125000".into(),
        "50000".into(),
        "45".into(),
    ]
    .to_vec()
}

/// The index of a header column in `HEADER`.
pub fn col(name: &str) -> usize {
    HEADER
        .split(',')
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// A CSV file body from rows (quoting cells that need it).
pub fn csv(header: &str, rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header.split(',')).expect("header");
    for r in rows {
        w.write_record(r).expect("row");
    }
    String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
}

/// A temp dir.
pub fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Asserts the report kept exactly these error lines and wrote nothing.
pub fn assert_refused(report: &ImportReport, lines: &[&str]) {
    let got: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(got, lines);
    assert!(!report.committed, "nothing may be committed");
    assert_eq!(report.inserted + report.updated, 0);
}

/// Keeps `Zone` imported for tests that check time zones.
pub fn zone_of(item: &AccountListItem) -> Zone {
    item.province.zone()
}
