//! The PostgreSQL backend, for deployments with several application instances.
//!
//! It uses the synchronous `postgres` crate over a small pool of its own (`pool`). The
//! schema lives in numbered migrations under `migrations/postgres/`, applied by `migrate`
//! under an advisory lock so several instances may start at once. Tests and multi-tenant
//! hosting can place the tables in a named schema (`connect_with_schema`).

mod account;
mod audit;
mod codec;
mod collection;
mod contact;
mod contact_import;
mod creditor;
mod debtor_contact;
mod import;
mod letter;
mod migrate;
mod negotiation;
mod outbox;
mod payment;
mod payment_import;
mod pool;
mod reversal;
mod run;
mod scoring;
mod template;
mod user;
mod workbench;

use ::postgres::error::SqlState;
use ::postgres::Config;
use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::AllocationOrder;

use crate::*;
use pool::{Pool, PooledClient};

/// How many connections one store opens at most.
const DEFAULT_POOL_SIZE: usize = 8;

/// A pool of connections to one PostgreSQL database.
///
/// Blocking: the `postgres` client runs its own small runtime and panics if called from a
/// thread that is driving a tokio runtime. Async callers must wrap every call in
/// `tokio::task::spawn_blocking` (as they do for every `Store`).
pub struct PostgresStore {
    pool: Pool,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user@host:port/db`). A
    /// `?options=-csearch_path%3Dname` parameter in the URL selects a schema.
    ///
    /// Connections open lazily; this checks the URL and opens one to fail early.
    pub fn connect(url: &str) -> StoreResult<PostgresStore> {
        let config = parse_url(url)?;
        let store = PostgresStore {
            pool: Pool::new(config, None, DEFAULT_POOL_SIZE),
        };
        drop(store.conn()?);
        Ok(store)
    }

    /// Connects and keeps all tables in `schema`, creating it if missing; every pooled
    /// connection gets `search_path` set to it. Used to give each test its own tables.
    ///
    /// `schema` must be a plain identifier (letters, digits, `_`; not starting with a
    /// digit), so it is safe to quote into SQL.
    pub fn connect_with_schema(url: &str, schema: &str) -> StoreResult<PostgresStore> {
        check_identifier(schema)?;
        let config = parse_url(url)?;
        let mut client = config
            .connect(::postgres::NoTls)
            .map_err(|e| StoreError::Other(format!("connecting to PostgreSQL: {e}")))?;
        client
            .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
            .or_else(|e| {
                // Two callers creating the same schema at once race on the catalog; the
                // loser's error is harmless once the schema exists.
                if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                    Ok(())
                } else {
                    Err(e)
                }
            })
            .map_err(|e| StoreError::Other(format!("creating schema {schema}: {e}")))?;
        drop(client);
        let init = format!("SET search_path TO \"{schema}\"");
        Ok(PostgresStore {
            pool: Pool::new(config, Some(init), DEFAULT_POOL_SIZE),
        })
    }

    /// Drops `schema` and everything in it (test clean-up). Irreversible.
    pub fn drop_schema(url: &str, schema: &str) -> StoreResult<()> {
        check_identifier(schema)?;
        let mut client = parse_url(url)?
            .connect(::postgres::NoTls)
            .map_err(|e| StoreError::Other(format!("connecting to PostgreSQL: {e}")))?;
        client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
            .map_err(|e| StoreError::Other(format!("dropping schema {schema}: {e}")))
    }

    fn conn(&self) -> StoreResult<PooledClient<'_>> {
        self.pool.get()
    }
}

fn parse_url(url: &str) -> StoreResult<Config> {
    url.parse::<Config>().map_err(|e| {
        // The URL may hold a password: name the problem, not the URL.
        StoreError::Other(format!("invalid PostgreSQL URL: {e}"))
    })
}

fn check_identifier(name: &str) -> StoreResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Other(format!(
            "{name:?} is not a plain schema name (letters, digits, _)"
        )))
    }
}

/// Maps a driver error: a unique violation is a `Conflict`, anything else `Other`, both
/// with `context` saying what the store was doing.
pub(crate) fn db_err(context: &str) -> impl Fn(::postgres::Error) -> StoreError + '_ {
    move |e| {
        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
            StoreError::Conflict(format!("{context}: already exists"))
        } else {
            StoreError::Other(format!("{context}: {e}"))
        }
    }
}

impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn migrate(&self) -> StoreResult<()> {
        migrate::migrate(&mut *self.conn()?)
    }

    fn create_creditor(&self, new: &NewCreditor, actor: &Actor) -> StoreResult<Creditor> {
        creditor::create(&mut *self.conn()?, new, actor)
    }

    fn creditor_by_code(&self, code: &str) -> StoreResult<Option<Creditor>> {
        creditor::by_code(&mut *self.conn()?, code)
    }

    fn creditor(&self, id: CreditorId) -> StoreResult<Option<Creditor>> {
        creditor::by_id(&mut *self.conn()?, id)
    }

    fn creditors(&self) -> StoreResult<Vec<Creditor>> {
        creditor::all(&mut *self.conn()?)
    }

    fn create_user(&self, new: &NewUser, actor: &Actor) -> StoreResult<User> {
        user::create(&mut *self.conn()?, new, actor)
    }

    fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        user::by_id(&mut *self.conn()?, id)
    }

    fn user_credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>> {
        user::credentials(&mut *self.conn()?, username)
    }

    fn record_login(&self, user: UserId, attempt: &LoginAttempt) -> StoreResult<()> {
        user::record_login(&mut *self.conn()?, user, attempt)
    }

    fn create_session(&self, session: &NewSession) -> StoreResult<()> {
        user::create_session(&mut *self.conn()?, session)
    }

    fn session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Session>> {
        user::session(&mut *self.conn()?, token_hash, now)
    }

    fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        user::delete_session(&mut *self.conn()?, token_hash)
    }

    fn create_api_token(&self, token: &NewApiToken, actor: &Actor) -> StoreResult<()> {
        user::create_api_token(&mut *self.conn()?, token, actor)
    }

    fn user_by_api_token(&self, token_hash: &str) -> StoreResult<Option<User>> {
        user::by_api_token(&mut *self.conn()?, token_hash)
    }

    fn import_accounts(
        &self,
        creditor: CreditorId,
        actor: &Actor,
        source: &mut dyn ImportSource<AccountUpsert>,
    ) -> StoreResult<ImportOutcome> {
        import::accounts(&mut *self.conn()?, creditor, actor, source)
    }

    fn import_payments(
        &self,
        creditor: CreditorId,
        actor: &Actor,
        order: &AllocationOrder,
        source: &mut dyn ImportSource<PaymentUpsert>,
    ) -> StoreResult<ImportOutcome> {
        payment_import::payments(&mut *self.conn()?, creditor, actor, order, source)
    }

    fn post_payment(
        &self,
        creditor: CreditorId,
        payment: &NewPayment,
        order: &AllocationOrder,
        actor: &Actor,
    ) -> StoreResult<Payment> {
        payment::post(&mut *self.conn()?, creditor, payment, order, actor)
    }

    fn reverse_payment(
        &self,
        creditor: CreditorId,
        payment: PaymentId,
        reason: &str,
        at: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Payment> {
        payment::reverse(&mut *self.conn()?, creditor, payment, reason, at, actor)
    }

    fn search_accounts(
        &self,
        creditor: CreditorId,
        query: &AccountQuery,
    ) -> StoreResult<Vec<AccountListItem>> {
        account::search(&mut *self.conn()?, creditor, query)
    }

    fn account(&self, creditor: CreditorId, id: AccountId) -> StoreResult<Option<AccountDetail>> {
        account::by_id(&mut *self.conn()?, creditor, id)
    }

    fn account_by_number(
        &self,
        creditor: CreditorId,
        account_no: &str,
    ) -> StoreResult<Option<AccountDetail>> {
        account::by_number(&mut *self.conn()?, creditor, account_no)
    }

    fn payments(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<Payment>> {
        payment::of_account(&mut *self.conn()?, creditor, account)
    }

    fn portfolio_by_dpd(
        &self,
        creditor: CreditorId,
        as_of: NaiveDate,
    ) -> StoreResult<Vec<PortfolioGroup>> {
        account::portfolio_by_dpd(&mut *self.conn()?, creditor, as_of)
    }

    fn record_audit(&self, entry: &NewAudit) -> StoreResult<()> {
        audit::record(&mut *self.conn()?, entry)
    }

    fn audit_trail(
        &self,
        creditor: CreditorId,
        entity: &EntityRef,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        audit::trail(&mut *self.conn()?, creditor, entity, limit)
    }
}
