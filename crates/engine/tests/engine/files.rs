//! The generated import file: valid in the documented format, and deterministic.

use sepakat_engine::demo::write_accounts_csv;
use sepakat_engine::ImportKind;

use super::support::*;

#[test]
fn the_generated_accounts_file_imports_without_errors() {
    let (store, creditor) = store();
    let dir = dir();
    let path = dir.path().join("generated.csv");
    write_accounts_csv(&path, 600, 7, today()).unwrap();
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_eq!(report.error_count, 0, "{report}");
    assert_eq!(report.inserted, 600);
    assert_eq!(accounts(&*store, creditor).len(), 600);
}

#[test]
fn the_same_seed_writes_the_same_file() {
    let dir = dir();
    let (a, b, c) = (
        dir.path().join("a.csv"),
        dir.path().join("b.csv"),
        dir.path().join("c.csv"),
    );
    write_accounts_csv(&a, 50, 7, today()).unwrap();
    write_accounts_csv(&b, 50, 7, today()).unwrap();
    write_accounts_csv(&c, 50, 8, today()).unwrap();
    let read = |p| std::fs::read(p).unwrap();
    assert_eq!(read(&a), read(&b));
    assert_ne!(read(&a), read(&c));
}
