//! The embedded SQLite backend (default): WAL, foreign keys on, busy timeout.
//!
//! One writer connection behind a mutex serialises writes (SQLite allows one writer at a
//! time anyway, and `BEGIN IMMEDIATE` makes other processes wait politely); a small pool
//! of read-only connections serves reads concurrently under WAL. An in-memory database
//! uses its single connection for both. Statements are prepared once per connection and
//! cached (`prepare_cached`).
//!
//! Storage conventions are described at the top of `migrations/sqlite/0001_initial.sql`:
//! money in whole rupiah, rates in ppm, dates as day numbers, instants as microseconds.

mod account;
mod account_write;
mod audit;
mod codec;
mod collection;
mod contact;
mod contact_import;
mod debtor_contact;
mod deferred_indexes;
mod import;
mod letter;
mod migrations;
mod negotiation;
mod outbox;
mod payment;
mod reversal;
mod run;
mod scoring;
mod template;
mod tenant;
mod workbench;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use sepakat_domain::AllocationOrder;

use crate::*;

/// How many read-only connections a file database keeps.
const READERS: usize = 4;

/// A SQLite database file (or in-memory database).
pub struct SqliteStore {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `path`.
    pub fn open(path: &str) -> StoreResult<SqliteStore> {
        let writer = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Other(format!("sqlite: cannot open {path:?}: {e}")))?;
        configure(&writer, true)?;
        let readers = (0..READERS)
            .map(|_| {
                let reader = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY
                        | OpenFlags::SQLITE_OPEN_URI
                        | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                configure(&reader, false)?;
                Ok(Mutex::new(reader))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// A private in-memory database (tests); one connection serves reads and writes.
    pub fn open_in_memory() -> StoreResult<SqliteStore> {
        let conn = Connection::open_in_memory()?;
        configure(&conn, true)?;
        Ok(SqliteStore {
            writer: Mutex::new(conn),
            readers: Vec::new(),
            next_reader: AtomicUsize::new(0),
        })
    }

    /// Runs `f` on a reader connection (the writer for an in-memory database).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let n = self.readers.len();
        if n == 0 {
            return f(&lock(&self.writer));
        }
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed) % n;
        for i in 0..n {
            match self.readers[(start + i) % n].try_lock() {
                Ok(conn) => return f(&conn),
                Err(TryLockError::Poisoned(poisoned)) => return f(&poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => continue,
            }
        }
        f(&lock(&self.readers[start]))
    }

    /// Runs `f` in one immediate write transaction, committed if `f` succeeds.
    fn write<T>(&self, f: impl FnOnce(&Transaction) -> StoreResult<T>) -> StoreResult<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` with the writer connection; `f` manages its own transaction.
    fn with_writer<T>(&self, f: impl FnOnce(&mut Connection) -> StoreResult<T>) -> StoreResult<T> {
        f(&mut lock(&self.writer))
    }
}

/// Locks a connection; a panic in another thread left no transaction open (rusqlite rolls
/// back on drop), so a poisoned lock is still usable.
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn configure(conn: &Connection, writer: bool) -> StoreResult<()> {
    conn.busy_timeout(Duration::from_millis(5000))?;
    conn.set_prepared_statement_cache_capacity(64);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if writer {
        // WAL is a property of the file; readers inherit it.
        let _mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // 128 MiB of page cache keeps the unique indexes of a large import in memory.
        conn.pragma_update(None, "cache_size", -131_072)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
    } else {
        conn.pragma_update(None, "query_only", "ON")?;
    }
    Ok(())
}

impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn migrate(&self) -> StoreResult<()> {
        self.with_writer(migrations::apply)
    }

    fn create_creditor(&self, new: &NewCreditor, actor: &Actor) -> StoreResult<Creditor> {
        self.write(|tx| tenant::create_creditor(tx, new, actor))
    }

    fn creditor_by_code(&self, code: &str) -> StoreResult<Option<Creditor>> {
        self.read(|c| tenant::creditor_by_code(c, code))
    }

    fn creditor(&self, id: CreditorId) -> StoreResult<Option<Creditor>> {
        self.read(|c| tenant::creditor(c, id))
    }

    fn creditors(&self) -> StoreResult<Vec<Creditor>> {
        self.read(tenant::creditors)
    }

    fn create_user(&self, new: &NewUser, actor: &Actor) -> StoreResult<User> {
        self.write(|tx| tenant::create_user(tx, new, actor))
    }

    fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        self.read(|c| tenant::user(c, id))
    }

    fn user_credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>> {
        self.read(|c| tenant::user_credentials(c, username))
    }

    fn record_login(&self, user: UserId, attempt: &LoginAttempt) -> StoreResult<()> {
        self.write(|tx| tenant::record_login(tx, user, attempt))
    }

    fn create_session(&self, session: &NewSession) -> StoreResult<()> {
        self.write(|tx| tenant::create_session(tx, session))
    }

    fn session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Session>> {
        self.read(|c| tenant::session(c, token_hash, now))
    }

    fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.write(|tx| tenant::delete_session(tx, token_hash))
    }

    fn create_api_token(&self, token: &NewApiToken, actor: &Actor) -> StoreResult<()> {
        self.write(|tx| tenant::create_api_token(tx, token, actor))
    }

    fn user_by_api_token(&self, token_hash: &str) -> StoreResult<Option<User>> {
        self.read(|c| tenant::user_by_api_token(c, token_hash))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(creditor = %creditor))]
    fn import_accounts(
        &self,
        creditor: CreditorId,
        actor: &Actor,
        source: &mut dyn ImportSource<AccountUpsert>,
    ) -> StoreResult<ImportOutcome> {
        self.with_writer(|conn| import::accounts(conn, creditor, actor, source))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(creditor = %creditor))]
    fn import_payments(
        &self,
        creditor: CreditorId,
        actor: &Actor,
        order: &AllocationOrder,
        source: &mut dyn ImportSource<PaymentUpsert>,
    ) -> StoreResult<ImportOutcome> {
        self.with_writer(|conn| import::payments(conn, creditor, actor, order, source))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(creditor = %creditor))]
    fn post_payment(
        &self,
        creditor: CreditorId,
        payment: &NewPayment,
        order: &AllocationOrder,
        actor: &Actor,
    ) -> StoreResult<Payment> {
        self.write(|tx| payment::post(tx, creditor, payment, order, actor))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(creditor = %creditor))]
    fn reverse_payment(
        &self,
        creditor: CreditorId,
        payment: PaymentId,
        reason: &str,
        at: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Payment> {
        self.write(|tx| payment::reverse(tx, creditor, payment, reason, at, actor))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(creditor = %creditor))]
    fn search_accounts(
        &self,
        creditor: CreditorId,
        query: &AccountQuery,
    ) -> StoreResult<Vec<AccountListItem>> {
        self.read(|c| account::search(c, creditor, query))
    }

    fn account(&self, creditor: CreditorId, id: AccountId) -> StoreResult<Option<AccountDetail>> {
        self.read(|c| account::by_id(c, creditor, id))
    }

    fn account_by_number(
        &self,
        creditor: CreditorId,
        account_no: &str,
    ) -> StoreResult<Option<AccountDetail>> {
        self.read(|c| account::by_number(c, creditor, account_no))
    }

    fn payments(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<Payment>> {
        self.read(|c| payment::list(c, creditor, account))
    }

    fn portfolio_by_dpd(
        &self,
        creditor: CreditorId,
        as_of: NaiveDate,
    ) -> StoreResult<Vec<PortfolioGroup>> {
        self.read(|c| account::portfolio_by_dpd(c, creditor, as_of))
    }

    fn record_audit(&self, entry: &NewAudit) -> StoreResult<()> {
        self.write(|tx| audit::write(tx, entry))
    }

    fn audit_trail(
        &self,
        creditor: CreditorId,
        entity: &EntityRef,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        self.read(|c| audit::trail(c, creditor, entity, limit))
    }
}
