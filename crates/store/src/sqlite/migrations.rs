//! Schema migrations: numbered SQL files embedded at compile time, applied in order, each in
//! its own `BEGIN IMMEDIATE` transaction and recorded in `schema_migrations`.
//!
//! `BEGIN IMMEDIATE` takes the write lock before checking whether a migration is applied,
//! so two processes migrating the same file at once apply each migration exactly once.
//! An applied migration is never edited; a change is a new file.
//!
//! Foreign keys are off while migrations run, so a migration may rebuild a table that
//! others refer to (SQLite's way to change a constraint); each transaction checks every
//! foreign key before it commits, and the connection turns them back on afterwards.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::{StoreError, StoreResult};

/// Every migration, in order: (version, name, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "collection",
        include_str!("../../migrations/sqlite/0002_collection.sql"),
    ),
    (
        3,
        "run",
        include_str!("../../migrations/sqlite/0003_run.sql"),
    ),
    (
        4,
        "workbench",
        include_str!("../../migrations/sqlite/0004_workbench.sql"),
    ),
    (
        5,
        "negotiation",
        include_str!("../../migrations/sqlite/0005_negotiation.sql"),
    ),
    (
        6,
        "debtor_key_index",
        include_str!("../../migrations/sqlite/0006_debtor_key_index.sql"),
    ),
    (
        7,
        "outbox",
        include_str!("../../migrations/sqlite/0007_outbox.sql"),
    ),
    (
        8,
        "debtor_contacts",
        include_str!("../../migrations/sqlite/0008_debtor_contacts.sql"),
    ),
    (
        10,
        "scoring",
        include_str!("../../migrations/sqlite/0010_scoring.sql"),
    ),
    (
        11,
        "templates",
        include_str!("../../migrations/sqlite/0011_templates.sql"),
    ),
    (
        12,
        "letters",
        include_str!("../../migrations/sqlite/0012_letters.sql"),
    ),
    (
        13,
        "debtor_indexes",
        include_str!("../../migrations/sqlite/0013_debtor_indexes.sql"),
    ),
    (
        17,
        "imported_contacts",
        include_str!("../../migrations/sqlite/0017_imported_contacts.sql"),
    ),
];

/// Applies the migrations this database lacks.
pub(crate) fn apply(conn: &mut Connection) -> StoreResult<()> {
    // A no-op inside a transaction, so it is set around the migrations' transactions.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let applied = apply_each(conn);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    applied
}

/// Applies each missing migration in its own transaction.
fn apply_each(conn: &mut Connection) -> StoreResult<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT    NOT NULL,
             applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         )",
    )?;
    let newest_known = MIGRATIONS.last().map_or(0, |m| m.0);
    let newest_applied: Option<i64> = conn
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    if let Some(applied) = newest_applied.filter(|v| *v > newest_known) {
        return Err(StoreError::Other(format!(
            "sqlite: the database has schema version {applied}, newer than this program's \
             {newest_known}; upgrade Sepakat"
        )));
    }
    for (version, name, sql) in MIGRATIONS {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let applied: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)",
            [version],
            |r| r.get(0),
        )?;
        if !applied {
            tx.execute_batch(sql).map_err(|e| {
                StoreError::Other(format!("sqlite: migration {version} ({name}) failed: {e}"))
            })?;
            foreign_keys_hold(&tx, *version, name)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
                rusqlite::params![version, name],
            )?;
            tracing::info!(version, name, "applied SQLite migration");
        }
        tx.commit()?;
    }
    Ok(())
}

/// Fails when any row refers to one that does not exist (checked with foreign keys off).
fn foreign_keys_hold(conn: &Connection, version: i64, name: &str) -> StoreResult<()> {
    let broken: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()?;
    match broken {
        None => Ok(()),
        Some(table) => Err(StoreError::Other(format!(
            "sqlite: migration {version} ({name}) left rows of {table} referring to missing rows"
        ))),
    }
}
