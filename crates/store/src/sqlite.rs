//! The embedded SQLite backend (default): WAL, foreign keys on, busy timeout.

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::AllocationOrder;

use crate::*;

/// A SQLite database file (or in-memory database).
pub struct SqliteStore {}

impl SqliteStore {
    /// Opens (creating if missing) the database at `path`.
    pub fn open(_path: &str) -> StoreResult<SqliteStore> {
        todo!("sqlite open")
    }

    /// A private in-memory database (tests).
    pub fn open_in_memory() -> StoreResult<SqliteStore> {
        todo!("sqlite memory")
    }
}

impl Store for SqliteStore {
}
