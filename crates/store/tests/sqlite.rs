//! The store contract run against SQLite (a fresh temporary database file per test), plus
//! SQLite-specific checks: concurrent migration, the audit backstop, bulk loads (see
//! `bulk`) and import speed.

mod bulk;
mod contract;

use sepakat_store::sqlite::SqliteStore;
use sepakat_store::Store;

/// A migrated SQLite store in a temporary directory that lives as long as the fixture.
struct SqliteFixture {
    store: SqliteStore,
    _dir: tempfile::TempDir,
}

impl contract::Fixture for SqliteFixture {
    fn store(&self) -> &dyn Store {
        &self.store
    }
}

fn fresh() -> Option<SqliteFixture> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sepakat.db");
    let store = SqliteStore::open(path.to_str().expect("utf-8 temp path")).expect("open");
    store.migrate().expect("migrate");
    Some(SqliteFixture { store, _dir: dir })
}

contract_tests!(fresh);

/// The whole contract again on a private in-memory database (one connection for reads
/// and writes).
mod in_memory {
    use crate::contract;
    use sepakat_store::sqlite::SqliteStore;
    use sepakat_store::Store;

    impl contract::Fixture for SqliteStore {
        fn store(&self) -> &dyn Store {
            self
        }
    }

    fn fresh() -> Option<SqliteStore> {
        let store = SqliteStore::open_in_memory().expect("open");
        store.migrate().expect("migrate");
        Some(store)
    }

    crate::contract_tests!(fresh);
}

mod sqlite_only {
    use std::sync::Arc;

    use sepakat_store::sqlite::SqliteStore;
    use sepakat_store::{Actor, EntityRef, NewAudit, Store};

    use crate::contract::fixtures::{account, at, creditor, import, nik, person, phone, VecSource};

    #[test]
    fn two_stores_migrating_one_file_at_once_both_succeed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("race.db");
        let path = path.to_str().expect("utf-8 path").to_string();
        let stores: Vec<Arc<SqliteStore>> = (0..4)
            .map(|_| Arc::new(SqliteStore::open(&path).expect("open")))
            .collect();
        let handles: Vec<_> = stores
            .iter()
            .map(|store| {
                let store = Arc::clone(store);
                std::thread::spawn(move || store.migrate())
            })
            .collect();
        for handle in handles {
            handle.join().expect("no panic").expect("migrated");
        }
        let a = creditor(stores[0].as_ref(), "BANKA");
        assert_eq!(stores[3].creditor(a.id).expect("read"), Some(a));
    }

    #[test]
    fn reopened_file_keeps_its_data_and_migrates_as_a_no_op() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("reopen.db");
        let path = path.to_str().expect("utf-8 path");
        let first = SqliteStore::open(path).expect("open");
        first.migrate().expect("migrate");
        let a = creditor(&first, "BANKA");
        import(
            &first,
            a.id,
            vec![account(1, "ACC-1", person("CIF1", "Siti", 1))],
        );
        drop(first);
        let again = SqliteStore::open(path).expect("reopen");
        again.migrate().expect("migrate again");
        assert!(again
            .account_by_number(a.id, "ACC-1")
            .expect("read")
            .is_some());
    }

    /// Two store instances on one file (as two processes would be) and four collectors.
    fn two_stores_on_one_file() -> (tempfile::TempDir, SqliteStore, SqliteStore) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("race.db");
        let path = path.to_str().expect("utf-8 path").to_string();
        let first = SqliteStore::open(&path).expect("open");
        first.migrate().expect("migrate");
        let second = SqliteStore::open(&path).expect("open again");
        (dir, first, second)
    }

    #[test]
    fn collectors_calling_next_account_at_once_never_get_the_same_account() {
        let (_dir, first, second) = two_stores_on_one_file();
        crate::contract::concurrent_next_account_never_hands_out_an_account_twice(
            &[&first, &second],
            4,
            120,
        );
    }

    #[test]
    fn two_collectors_racing_for_one_account_have_exactly_one_winner() {
        let (_dir, first, second) = two_stores_on_one_file();
        crate::contract::racing_claims_on_one_account_have_exactly_one_winner(
            &[&first, &second],
            20,
        );
    }

    #[test]
    fn dispatchers_on_one_file_never_send_a_message_twice() {
        let (_dir, first, second) = two_stores_on_one_file();
        crate::contract::concurrent_dispatchers_never_send_a_message_twice(
            &[&first, &second],
            4,
            60,
        );
    }

    #[test]
    fn unopenable_path_is_an_error_not_a_panic() {
        let opened = SqliteStore::open("/nonexistent-dir/for/sure/x.db");
        assert!(opened.is_err());
    }

    #[test]
    fn record_audit_masks_a_full_nik_or_phone_that_slipped_into_the_detail() {
        let store = SqliteStore::open_in_memory().expect("open");
        store.migrate().expect("migrate");
        let a = creditor(&store, "BANKA");
        let entity = EntityRef::new("debtor", 1);
        store
            .record_audit(&NewAudit {
                creditor: Some(a.id),
                at: at(0),
                actor: Actor::system("cli"),
                action: "debtor.viewed".into(),
                entity: entity.clone(),
                detail: serde_json::json!({
                    "nik": nik(1).as_str(),
                    "phones": [phone(1).as_str()],
                }),
            })
            .expect("recorded");
        let trail = store.audit_trail(a.id, &entity, 1).expect("trail");
        let text = trail[0].entry.detail.to_string();
        assert!(!text.contains(nik(1).as_str()), "{text}");
        assert!(!text.contains(phone(1).as_str()), "{text}");
        assert!(text.contains(&nik(1).masked()), "{text}");
    }

    #[test]
    fn import_for_an_unknown_creditor_is_not_found_and_reads_no_rows() {
        let store = SqliteStore::open_in_memory().expect("open");
        store.migrate().expect("migrate");
        let mut source = VecSource::new(vec![account(1, "ACC-1", person("CIF1", "Siti", 1))]);
        let outcome = store.import_accounts(
            sepakat_store::CreditorId(77),
            &Actor::system("cli"),
            &mut source,
        );
        assert!(
            matches!(outcome, Err(sepakat_store::StoreError::NotFound(_))),
            "{outcome:?}"
        );
    }

    fn index_names(path: &str) -> Vec<String> {
        let conn = rusqlite::Connection::open(path).expect("open raw");
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

    fn bulk_rows(n: u32) -> Vec<sepakat_store::AccountUpsert> {
        (0..n)
            .map(|i| {
                let debtor = person(&format!("CIF{i:07}"), "Debitur", i % 9999 + 1);
                account(u64::from(i) + 2, &format!("ACC-{i:08}"), debtor)
            })
            .collect()
    }

    #[test]
    fn a_bulk_import_rebuilds_every_index_and_a_refused_one_keeps_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bulk.db");
        let path = path.to_str().expect("utf-8 path");
        let store = SqliteStore::open(path).expect("open");
        store.migrate().expect("migrate");
        let a = creditor(&store, "BANKA");
        let before = index_names(path);
        assert!(before.iter().any(|n| n == "debtors_by_nik"), "{before:?}");

        // Large enough to cross the bulk threshold (50,000 rows).
        let mut refused = VecSource::dry_run(bulk_rows(60_000));
        let outcome = store.import_accounts(a.id, &Actor::system("cli"), &mut refused);
        assert!(!outcome.expect("dry run").committed);
        assert_eq!(index_names(path), before);

        let outcome = import(&store, a.id, bulk_rows(60_000));
        assert_eq!(outcome.inserted, 60_000);
        assert_eq!(index_names(path), before);
        let query = sepakat_store::AccountQuery {
            text: Some(nik(5).as_str().to_string()),
            limit: 500,
            ..Default::default()
        };
        let found = store.search_accounts(a.id, &query).expect("search by NIK");
        assert!(!found.is_empty());
        assert!(found
            .iter()
            .all(|item| item.nik_masked.as_deref() == Some(&nik(5).masked()[..])));
    }

    /// CPU seconds this thread has used (Linux), so a busy machine does not distort the
    /// figure; None elsewhere.
    fn thread_cpu_seconds() -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        let after_name = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
        // utime and stime are fields 14 and 15 of the file, 11 and 12 after the name.
        Some((ticks(11)? + ticks(12)?) / 100.0)
    }

    fn timed(f: impl FnOnce()) -> (f64, Option<f64>) {
        let cpu = thread_cpu_seconds();
        let wall = std::time::Instant::now();
        f();
        let cpu = cpu.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
        (wall.elapsed().as_secs_f64(), cpu)
    }

    /// Prints import speed; run with
    /// `cargo test --release -p sepakat-store --test sqlite -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn import_speed_rows_per_second() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("speed.db");
        let store = SqliteStore::open(path.to_str().expect("utf-8 path")).expect("open");
        store.migrate().expect("migrate");
        let a = creditor(&store, "BANKA");
        let n = 200_000u32;
        let rows: Vec<_> = (0..n)
            .map(|i| {
                let name = format!("Debitur {i}");
                let mut debtor = person(&format!("CIF{i:07}"), &name, i % 9999 + 1);
                debtor.email = None;
                account(u64::from(i) + 1, &format!("ACC-{i:08}"), debtor)
            })
            .collect();
        let again = rows.clone();
        let report = |what: &str, (wall, cpu): (f64, Option<f64>)| {
            let per_cpu = cpu.map_or(String::new(), |c| {
                format!(
                    ", {c:.2} s CPU = {:.0} rows per CPU second",
                    f64::from(n) / c
                )
            });
            println!(
                "{what} {n} accounts: {wall:.2} s wall = {:.0} rows/s{per_cpu}",
                f64::from(n) / wall
            );
        };
        report(
            "insert",
            timed(|| assert_eq!(import(&store, a.id, rows).inserted, u64::from(n))),
        );
        report(
            "update",
            timed(|| assert_eq!(import(&store, a.id, again).updated, u64::from(n))),
        );
    }
}
