//! Payments files: posting, idempotent re-import, unknown accounts.

use sepakat_engine::{ImportKind, ImportOptions};

use super::support::*;

const PAYMENTS: &str = "no_rekening,tanggal_bayar,jumlah,referensi,kanal";

fn with_accounts() -> (
    std::sync::Arc<dyn sepakat_store::Store>,
    sepakat_store::CreditorId,
    tempfile::TempDir,
) {
    let (store, creditor) = store();
    let dir = dir();
    let path = write(dir.path(), "acc.csv", csv(HEADER, &[row(1), row(2)]));
    import(&*store, &path, ImportKind::Accounts).unwrap();
    (store, creditor, dir)
}

fn line(account: &str, at: &str, amount: &str, reference: &str) -> Vec<String> {
    [account, at, amount, reference, "transfer"]
        .map(String::from)
        .to_vec()
}

#[test]
fn payments_are_posted_once_and_reimport_leaves_them_unchanged() {
    let (store, creditor, dir) = with_accounts();
    let path = write(
        dir.path(),
        "pay.csv",
        csv(
            PAYMENTS,
            &[
                line("ACC-1", "2026-11-20", "Rp 500.000", "TRX-1"),
                line("ACC-1", "21/11/2026 14.30", "250000", "TRX-2"),
                line("ACC-2", "2026-11-22T09:00:00+08:00", "100000", "TRX-3"),
            ],
        ),
    );
    let report = import(&*store, &path, ImportKind::Payments).unwrap();
    assert_eq!((report.inserted, report.unchanged), (3, 0), "{report}");
    let again = import(&*store, &path, ImportKind::Payments).unwrap();
    assert_eq!((again.inserted, again.unchanged), (0, 3));

    let account = store.account_by_number(creditor, "ACC-1").unwrap().unwrap();
    let payments = store.payments(creditor, account.id).unwrap();
    assert_eq!(payments.len(), 2);
    // A bare date means 12:00 WIB.
    assert_eq!(
        payments[0].paid_at.to_rfc3339(),
        "2026-11-20T05:00:00+00:00"
    );
    assert_eq!(
        payments[1].paid_at.to_rfc3339(),
        "2026-11-21T07:30:00+00:00"
    );
}

#[test]
fn a_payment_for_an_unknown_account_refuses_the_file() {
    let (store, creditor, dir) = with_accounts();
    let path = write(
        dir.path(),
        "pay.csv",
        csv(
            PAYMENTS,
            &[
                line("ACC-1", "2026-11-20", "500000", "TRX-1"),
                line("ACC-404", "2026-11-20", "500000", "TRX-2"),
            ],
        ),
    );
    let report = import(&*store, &path, ImportKind::Payments).unwrap();
    assert_refused(
        &report,
        &["row 3, column no_rekening: no account ACC-404 for this creditor"],
    );
    let account = store.account_by_number(creditor, "ACC-1").unwrap().unwrap();
    assert!(store.payments(creditor, account.id).unwrap().is_empty());
}

#[test]
fn skip_invalid_posts_the_rest_and_sets_unknown_accounts_aside() {
    let (store, creditor, dir) = with_accounts();
    let path = write(
        dir.path(),
        "pay.csv",
        csv(
            PAYMENTS,
            &[
                line("ACC-1", "2026-11-20", "500000", "TRX-1"),
                line("ACC-404", "2026-11-20", "500000", "TRX-2"),
                line("ACC-2", "2026-12-20", "500000", "TRX-3"),
                line("ACC-2", "2026-11-20", "0", "TRX-4"),
                line("ACC-2", "2026-11-21", "1000", "TRX-1"),
            ],
        ),
    );
    let mut options = ImportOptions::new(ImportKind::Payments, today());
    options.skip_invalid = true;
    let report = import_with(&*store, &path, options).unwrap();
    assert!(report.committed);
    assert_eq!((report.inserted, report.rejected), (1, 4), "{report}");
    let lines: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        lines,
        [
            "row 3, column no_rekening: no account ACC-404 for this creditor",
            "row 4, column tanggal_bayar: 2026-12-20 is in the future (today is 2026-11-24)",
            "row 5, column jumlah: must be more than 0",
            "row 6, column referensi: \"TRX-1\" already appears in row 2",
        ]
    );
    let text = std::fs::read_to_string(report.rejected_file.unwrap()).unwrap();
    assert!(text.contains("ACC-404,2026-11-20,500000,TRX-2,transfer,no_rekening: no account ACC-404 for this creditor"), "{text}");
    assert_eq!(text.lines().count(), 5);
    let account = store.account_by_number(creditor, "ACC-1").unwrap().unwrap();
    assert_eq!(store.payments(creditor, account.id).unwrap().len(), 1);
}

#[test]
fn account_columns_in_a_payments_file_are_pointed_out() {
    let (store, _, dir) = with_accounts();
    let path = write(dir.path(), "pay.csv", csv(HEADER, &[row(1)]));
    let err = import(&*store, &path, ImportKind::Payments).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unknown column(s): \"nama\" (a column of accounts imports)"),
        "{err}"
    );
}
