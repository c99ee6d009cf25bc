//! Indexes a bulk account import drops inside its transaction and rebuilds before
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

/// The `temp_store` an account import runs with (it cannot change inside a transaction):
/// the default, under which SQLite's sorter fills large blocks up to the cache size (and
/// spills to a temporary file beyond it). With `temp_store = MEMORY`, the connection's
/// setting, the sorter allocates every key on its own and sorts one linked list of them;
/// the index rebuilds took a fifth more CPU time that way (measured).
pub(super) const SORTING_TEMP_STORE: &str = "DEFAULT";
/// The connection's usual `temp_store` (see `configure`), restored after the import.
pub(super) const USUAL_TEMP_STORE: &str = "MEMORY";

/// The unique index of the debtor key (migrations 0006, 0013), which only a fresh load may
/// drop.
const DEBTOR_KEY_INDEX: &str = "debtors_by_key";
/// The index of the debtors by creditor (migration 0013), kept live: a load appends to it
/// in id order (one creditor, ascending ids), which costs less than a rebuild.
const LIVE_INDEX: &str = "debtors_by_creditor";
/// The page cache (KiB, as a negative `cache_size`) while the indexes are rebuilt. SQLite's
/// sorter sorts in runs of up to the cache size; runs smaller than the whole key set let
/// `PRAGMA threads` sort them on a second core and merge them.
const REBUILD_CACHE_KIB: i64 = 16_384;
/// Worker threads SQLite's sorter may use during the rebuild (the connection's usual is 0).
const REBUILD_THREADS: i64 = 2;

/// Which indexes a bulk import defers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Deferrable {
    /// The non-unique ones: the unique ones are what makes a repeated key an update.
    Secondary,
    /// Those and the debtor key's: for a creditor's first load, whose debtor keys are
    /// deduplicated in memory, so the rebuild as unique cannot fail on this import's rows.
    /// The keys of a typical file are in random order (the key is the NIK), which made the
    /// key index the costliest part of a load; the account numbers ascend, so the account
    /// key index stays.
    SecondaryAndDebtorKey,
}

/// The dropped indexes of `debtors` and `accounts`.
pub(super) struct DeferredIndexes {
    /// `(name, CREATE statement)` of each dropped index, to rebuild from.
    dropped: Vec<(String, String)>,
}

impl DeferredIndexes {
    /// Drops the `which` indexes of `debtors` and `accounts`, remembering their SQL.
    pub(super) fn drop(tx: &Connection, which: Deferrable) -> StoreResult<DeferredIndexes> {
        let key_index = match which {
            Deferrable::Secondary => "",
            Deferrable::SecondaryAndDebtorKey => DEBTOR_KEY_INDEX,
        };
        let dropped: Vec<(String, String)> = tx
            .prepare(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name IN ('debtors', 'accounts')
                   AND sql IS NOT NULL AND name <> ?2
                   AND (sql NOT LIKE 'CREATE UNIQUE%' OR name = ?1)",
            )?
            .query_map([key_index, LIVE_INDEX], |r| Ok((r.get(0)?, r.get(1)?)))?
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

    /// Recreates every dropped index; returns how long it took. The import runs with
    /// `SORTING_TEMP_STORE` for these sorts; the rebuild with `REBUILD_THREADS` sorter
    /// threads and a `REBUILD_CACHE_KIB` page cache, the connection's own settings restored
    /// after (also when a rebuild fails).
    pub(super) fn rebuild(self, tx: &Connection) -> StoreResult<Duration> {
        let started = Instant::now();
        let cache: i64 = tx.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        let threads: i64 = tx.pragma_query_value(None, "threads", |r| r.get(0))?;
        tx.pragma_update(None, "cache_size", -REBUILD_CACHE_KIB)?;
        tx.pragma_update(None, "threads", REBUILD_THREADS)?;
        let built = self
            .dropped
            .iter()
            .try_for_each(|(_, sql)| tx.execute_batch(sql));
        tx.pragma_update(None, "cache_size", cache)?;
        tx.pragma_update(None, "threads", threads)?;
        built?;
        let took = started.elapsed();
        tracing::debug!(seconds = took.as_secs_f64(), "bulk import: indexes rebuilt");
        Ok(took)
    }
}
