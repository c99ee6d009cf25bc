//! The `sepakat import` contract as a user meets it: exit codes, the error lines, and a
//! database left exactly as before when a file is refused.

use std::path::Path;
use std::process::{Command, Output};

use sepakat_domain::Regime;
use sepakat_store::{AccountQuery, Actor, NewCreditor};

const HEADER: &str = "account_no,name,nik,phone,province,product,principal,annual_rate,\
tenor_months,opened_on,outstanding_principal,arrears_principal,arrears_interest,penalty,fees,\
oldest_unpaid_due";

fn row(account: &str, nik: &str) -> String {
    format!(
        "{account},Budi Santoso,{nik},0812-3456-7890,Jawa Barat,kta,12.000.000,18%,12,\
         2026-01-15,9.000.000,1.000.000,180.000,50.000,0,2026-09-15"
    )
}

fn sepakat(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args(["--database-url", db])
        .args(args)
        .env("SEPAKAT_LOG", "warn")
        .output()
        .expect("run sepakat")
}

fn setup(dir: &Path) -> String {
    let db = format!("sqlite://{}/t.db", dir.display());
    let store = sepakat_store::open(&db).unwrap();
    store.migrate().unwrap();
    store
        .create_creditor(
            &NewCreditor {
                code: "BANKA".into(),
                name: "Bank A".into(),
                regime: Regime::bank(),
            },
            &Actor::system("test"),
        )
        .unwrap();
    db
}

fn account_count(db: &str) -> usize {
    let store = sepakat_store::open(db).unwrap();
    let creditor = store.creditor_by_code("BANKA").unwrap().unwrap();
    let query = AccountQuery {
        limit: 500,
        ..AccountQuery::default()
    };
    store.search_accounts(creditor.id, &query).unwrap().len()
}

#[test]
fn a_valid_file_imports_and_a_second_import_updates_instead_of_duplicating() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let file = dir.path().join("accounts.csv");
    let rows = [
        row("ACC-1", "3201011503850001"),
        row("ACC-2", "3201015503850002"),
    ];
    std::fs::write(&file, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();

    let first = sepakat(
        &db,
        &["import", "--creditor", "BANKA", file.to_str().unwrap()],
    );
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("2 inserted"));
    let second = sepakat(
        &db,
        &["import", "--creditor", "BANKA", file.to_str().unwrap()],
    );
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("2 updated"));
    assert_eq!(account_count(&db), 2);
}

#[test]
fn an_invalid_row_is_reported_by_row_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let file = dir.path().join("accounts.csv");
    let rows = [row("ACC-1", "3201011503850001"), row("ACC-2", "3201xx")];
    std::fs::write(&file, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();

    let out = sepakat(
        &db,
        &["import", "--creditor", "BANKA", file.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(r#"row 3, column nik: "3201xx" is not 16 digits"#),
        "{stderr}"
    );
    assert_eq!(account_count(&db), 0);
}

#[test]
fn skip_invalid_writes_the_valid_rows_and_the_rejected_ones_beside_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let file = dir.path().join("accounts.csv");
    let rows = [row("ACC-1", "3201011503850001"), row("ACC-2", "3201xx")];
    std::fs::write(&file, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();

    let out = sepakat(
        &db,
        &[
            "import",
            "--creditor",
            "BANKA",
            "--skip-invalid",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(account_count(&db), 1);
    let rejected = std::fs::read_to_string(dir.path().join("accounts.rejected.csv")).unwrap();
    assert!(
        rejected.contains("ACC-2") && rejected.contains("16 digits"),
        "{rejected}"
    );
}

#[test]
fn an_unknown_creditor_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let file = dir.path().join("accounts.csv");
    std::fs::write(
        &file,
        format!("{HEADER}\n{}\n", row("ACC-1", "3201011503850001")),
    )
    .unwrap();

    let out = sepakat(
        &db,
        &["import", "--creditor", "NOPE", file.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOPE"));
    assert_eq!(account_count(&db), 0);
}

#[test]
fn config_example_prints_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/t.db", dir.path().display());
    let out = sepakat(&db, &["config", "example"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for section in [
        "[database]",
        "[server]",
        "[security]",
        "[collection]",
        "[log]",
    ] {
        assert!(text.contains(section), "missing {section}");
    }
}
