//! Schema migrations: numbered SQL files embedded in the binary, each applied once in its
//! own transaction and recorded in `schema_migrations`.
//!
//! Several instances may start together, so each migration first takes a transaction-level
//! advisory lock keyed on the current schema; the loser waits, then sees the migration
//! already recorded and skips it. Never edit an applied migration: add a new file.

use postgres::Client;

use super::db_err;
use crate::StoreResult;

/// The migrations in order: (version, file name, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "0001_init.sql",
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "0002_collection.sql",
        include_str!("../../migrations/postgres/0002_collection.sql"),
    ),
    (
        3,
        "0003_run.sql",
        include_str!("../../migrations/postgres/0003_run.sql"),
    ),
    (
        4,
        "0004_workbench.sql",
        include_str!("../../migrations/postgres/0004_workbench.sql"),
    ),
    (
        5,
        "0005_negotiation.sql",
        include_str!("../../migrations/postgres/0005_negotiation.sql"),
    ),
    (
        7,
        "0007_outbox.sql",
        include_str!("../../migrations/postgres/0007_outbox.sql"),
    ),
    (
        8,
        "0008_debtor_contacts.sql",
        include_str!("../../migrations/postgres/0008_debtor_contacts.sql"),
    ),
    (
        10,
        "0010_scoring.sql",
        include_str!("../../migrations/postgres/0010_scoring.sql"),
    ),
    (
        11,
        "0011_templates.sql",
        include_str!("../../migrations/postgres/0011_templates.sql"),
    ),
    (
        12,
        "0012_letters.sql",
        include_str!("../../migrations/postgres/0012_letters.sql"),
    ),
    (
        14,
        "0014_run_partitions.sql",
        include_str!("../../migrations/postgres/0014_run_partitions.sql"),
    ),
    (
        17,
        "0017_imported_contacts.sql",
        include_str!("../../migrations/postgres/0017_imported_contacts.sql"),
    ),
];

/// Applies every migration not yet recorded.
pub(super) fn migrate(client: &mut Client) -> StoreResult<()> {
    for (version, name, sql) in MIGRATIONS {
        let context = format!("migration {name}");
        let mut tx = client.transaction().map_err(db_err(&context))?;
        // Keyed on the schema so isolated schemas (tests, tenants) do not wait on each other.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext('sepakat.migrate.' || coalesce(current_schema(), '')))",
            &[],
        )
        .map_err(db_err(&context))?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version     BIGINT PRIMARY KEY,
                 name        TEXT NOT NULL,
                 applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
        )
        .map_err(db_err(&context))?;
        let applied = tx
            .query_opt(
                "SELECT 1 FROM schema_migrations WHERE version = $1",
                &[version],
            )
            .map_err(db_err(&context))?
            .is_some();
        if applied {
            tx.rollback().map_err(db_err(&context))?;
            continue;
        }
        tx.batch_execute(sql).map_err(db_err(&context))?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[version, name],
        )
        .map_err(db_err(&context))?;
        tx.commit().map_err(db_err(&context))?;
        tracing::info!(migration = name, "applied PostgreSQL migration");
    }
    Ok(())
}
