//! SQLite bulk loads: a creditor's first load defers the debtor key's unique index with the
//! secondary ones, a load that announces its size defers them from the first row, and
//! migration 0006 (which made the key's uniqueness a named index) keeps a database's data.

use rusqlite::Connection;
use sepakat_store::sqlite::SqliteStore;
use sepakat_store::{AccountUpsert, Store};

use crate::contract::fixtures::{account, cli, creditor, import, person, VecSource};

/// Rows enough to cross the bulk threshold (50,000 rows).
const BULK: u32 = 60_000;

/// A migrated store on a file in `dir`, and the file's path.
fn open(dir: &tempfile::TempDir) -> (SqliteStore, String) {
    let path = dir.path().join("bulk.db");
    let path = path.to_str().expect("utf-8 path").to_string();
    let store = SqliteStore::open(&path).expect("open");
    store.migrate().expect("migrate");
    (store, path)
}

fn raw(path: &str) -> Connection {
    Connection::open(path).expect("open raw")
}

fn count(path: &str, sql: &str) -> i64 {
    raw(path).query_row(sql, [], |r| r.get(0)).expect("count")
}

/// The named indexes of the database, sorted.
fn index_names(path: &str) -> Vec<String> {
    let conn = raw(path);
    let mut names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    names.sort();
    names
}

/// Inserting a second debtor with creditor 1's key `key` is refused as a duplicate.
fn assert_key_unique(path: &str, key: &str) {
    let refused = raw(path).execute(
        "INSERT INTO debtors (creditor_id, debtor_key, kind, name, province)
         VALUES (1, ?1, 'person', 'Copy', 31)",
        [key],
    );
    let message = refused.expect_err("a duplicate key is refused").to_string();
    assert!(message.contains("UNIQUE"), "{message}");
}

/// `n` accounts of `n / 2` debtors: row `i` and row `i + n / 2` share a debtor, so the
/// second account of every debtor comes after the point where the key index is dropped.
fn two_accounts_per_debtor(n: u32) -> Vec<AccountUpsert> {
    (0..n)
        .map(|i| {
            let d = i % (n / 2);
            let debtor = person(&format!("CIF{d:07}"), "Debitur", d % 9999 + 1);
            account(u64::from(i) + 1, &format!("ACC-{i:08}"), debtor)
        })
        .collect()
}

#[test]
fn a_first_bulk_load_keeps_one_debtor_per_key_and_the_key_unique() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, path) = open(&dir);
    let a = creditor(&store, "BANKA");
    let before = index_names(&path);
    assert!(before.iter().any(|n| n == "debtors_by_key"), "{before:?}");

    let outcome = import(&store, a.id, two_accounts_per_debtor(BULK));
    assert_eq!((outcome.inserted, outcome.updated), (u64::from(BULK), 0));
    assert_eq!(index_names(&path), before);
    assert_eq!(
        count(&path, "SELECT COUNT(*) FROM debtors"),
        i64::from(BULK / 2)
    );
    let first = store
        .account_by_number(a.id, "ACC-00000000")
        .expect("read")
        .expect("first account");
    let second = store
        .account_by_number(a.id, &format!("ACC-{:08}", BULK / 2))
        .expect("read")
        .expect("its debtor's second account");
    assert_eq!(first.debtor.id, second.debtor.id);
    assert_key_unique(&path, "CIF0000007");

    // The creditor now has a portfolio: a row naming a known key updates that debtor.
    let mut renamed = person("CIF0000007", "Debitur Baru", 8);
    renamed.city = Some("Kota Bandung".into());
    let outcome = import(&store, a.id, vec![account(1, "ACC-NEW", renamed)]);
    assert_eq!(outcome.inserted, 1);
    assert_eq!(
        count(&path, "SELECT COUNT(*) FROM debtors"),
        i64::from(BULK / 2)
    );
    let detail = store
        .account_by_number(a.id, "ACC-NEW")
        .expect("read")
        .expect("new account");
    assert_eq!(detail.debtor.data.name, "Debitur Baru");
    let seventh = store
        .account_by_number(a.id, "ACC-00000007")
        .expect("read")
        .expect("an account of that debtor");
    assert_eq!(detail.debtor.id, seventh.debtor.id);
}

#[test]
fn a_first_load_that_announces_its_size_defers_the_indexes_and_rebuilds_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, path) = open(&dir);
    let a = creditor(&store, "BANKA");
    let before = index_names(&path);

    let mut refused = VecSource::dry_run(two_accounts_per_debtor(BULK)).announced();
    let outcome = store
        .import_accounts(a.id, &cli(), &mut refused)
        .expect("dry run");
    assert!(!outcome.committed);
    assert_eq!(index_names(&path), before);
    assert_eq!(count(&path, "SELECT COUNT(*) FROM debtors"), 0);

    let mut source = VecSource::new(two_accounts_per_debtor(BULK)).announced();
    let outcome = store
        .import_accounts(a.id, &cli(), &mut source)
        .expect("import");
    assert!(outcome.committed);
    assert_eq!(outcome.inserted, u64::from(BULK));
    assert_eq!(index_names(&path), before);
    assert_eq!(
        count(&path, "SELECT COUNT(*) FROM debtors"),
        i64::from(BULK / 2)
    );
    assert_key_unique(&path, "CIF0000001");
}

/// Turns a current database's debtors back into the shape before schema version 6: the
/// table as 0001 created it (the key unique as a table constraint), version 6 not recorded
/// (later versions stay, as on a database that took 7 and 8 before 6 was released).
fn back_to_version_5(path: &str) {
    let v1 = include_str!("../../migrations/sqlite/0001_initial.sql");
    let start = v1.find("CREATE TABLE debtors (").expect("debtors in 0001");
    let end = start + v1[start..].find(");").expect("end of debtors") + 2;
    let table = v1[start..end].replace("CREATE TABLE debtors (", "CREATE TABLE debtors_v5 (");
    let conn = raw(path);
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF;
         BEGIN;
         {table}
         INSERT INTO debtors_v5 SELECT * FROM debtors;
         DROP TABLE debtors;
         ALTER TABLE debtors_v5 RENAME TO debtors;
         CREATE INDEX debtors_by_nik   ON debtors(creditor_id, nik)   WHERE nik IS NOT NULL;
         CREATE INDEX debtors_by_phone ON debtors(creditor_id, phone) WHERE phone IS NOT NULL;
         DELETE FROM schema_migrations WHERE version = 6;
         COMMIT;"
    ))
    .expect("back to version 5");
}

#[test]
fn migration_6_keeps_every_debtor_and_reference_of_a_version_5_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, path) = open(&dir);
    let a = creditor(&store, "BANKA");
    import(&store, a.id, two_accounts_per_debtor(40));
    let detail = store
        .account_by_number(a.id, "ACC-00000025")
        .expect("read")
        .expect("account");
    drop(store);
    back_to_version_5(&path);
    assert!(!index_names(&path).iter().any(|n| n == "debtors_by_key"));

    let store = SqliteStore::open(&path).expect("reopen");
    store.migrate().expect("migrate to 6");
    assert_eq!(
        store.account_by_number(a.id, "ACC-00000025").expect("read"),
        Some(detail)
    );
    assert_eq!(count(&path, "SELECT COUNT(*) FROM debtors"), 20);
    assert_eq!(
        count(
            &path,
            "SELECT COUNT(*) FROM schema_migrations WHERE version = 6"
        ),
        1
    );
    let names = index_names(&path);
    for index in ["debtors_by_key", "debtors_by_nik", "debtors_by_phone"] {
        assert!(names.iter().any(|n| n == index), "{index} in {names:?}");
    }
    assert_key_unique(&path, "CIF0000003");
    // The store writes to the rebuilt table as before.
    let outcome = import(&store, a.id, two_accounts_per_debtor(40));
    assert_eq!(outcome.updated, 40);
}
