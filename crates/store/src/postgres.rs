//! The PostgreSQL backend, for deployments with several application instances.

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::AllocationOrder;

use crate::*;

/// A pool of connections to one PostgreSQL database.
pub struct PostgresStore {}

impl PostgresStore {
    /// Connects to the database at `url`.
    pub fn connect(_url: &str) -> StoreResult<PostgresStore> {
        todo!("postgres connect")
    }
}

impl Store for PostgresStore {
}
