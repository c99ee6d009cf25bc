//! Secondary indexes a bulk account import drops inside its transaction and rebuilds before
//! commit: one sorted rebuild is several times cheaper than maintaining them row by row.
//! Both happen inside the import's transaction, so readers and a crash only ever see the
//! indexes complete, and a refused file rolls the drop back with everything else.

use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::StoreResult;

/// Rows after which an import counts as bulk (with `BULK_SHARE`).
pub(super) const BULK_MIN_ROWS: u64 = 50_000;
/// A bulk import has written at least this share (1/N) of the accounts there were.
const BULK_SHARE: u64 = 4;

/// The rows after which an import that started with `accounts_before` accounts (highest
/// id) is worth deferring the indexes for.
pub(super) fn bulk_after(accounts_before: u64) -> u64 {
    BULK_MIN_ROWS.max(accounts_before / BULK_SHARE)
}

/// The dropped indexes of `debtors` and `accounts`.
pub(super) struct DeferredIndexes {
    /// `(name, CREATE statement)` of each dropped index, to rebuild from.
    dropped: Vec<(String, String)>,
}

impl DeferredIndexes {
    /// Drops the non-unique indexes of `debtors` and `accounts`, remembering their SQL.
    ///
    /// The unique ones stay: they are what makes a repeated key an update, and they are
    /// filled in key order by typical files (account numbers ascend), which is cheap.
    pub(super) fn drop_all(tx: &Connection) -> StoreResult<DeferredIndexes> {
        let dropped: Vec<(String, String)> = tx
            .prepare(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name IN ('debtors', 'accounts')
                   AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (name, _) in &dropped {
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
        }
        tracing::debug!(
            indexes = dropped.len(),
            "bulk import: secondary indexes deferred"
        );
        Ok(DeferredIndexes { dropped })
    }

    /// Recreates every dropped index; returns how long it took.
    pub(super) fn rebuild(self, tx: &Connection) -> StoreResult<Duration> {
        let started = Instant::now();
        for (_, sql) in &self.dropped {
            tx.execute_batch(sql)?;
        }
        let took = started.elapsed();
        tracing::debug!(seconds = took.as_secs_f64(), "bulk import: indexes rebuilt");
        Ok(took)
    }
}
