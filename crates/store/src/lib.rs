//! Storage for Sepakat: one `Store` trait in domain terms, with an embedded SQLite backend
//! (the default) and a PostgreSQL backend for multi-instance deployments.
//!
//! The backend is chosen once, from the database URL (`open`). Every row belongs to a
//! creditor (tenant) and every read takes the creditor, so one creditor never sees
//! another's data. Every state change writes an audit entry in the same transaction.

pub mod collection;
pub mod debtor_contact;
pub mod gate;
pub mod letter;
pub mod model;
pub mod negotiation;
pub mod outbox;
pub mod postgres;
pub mod reversal;
pub mod run;
pub mod scoring;
pub mod sqlite;
pub mod template;
pub mod workbench;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::AllocationOrder;

pub use collection::*;
pub use debtor_contact::*;
pub use letter::*;
pub use model::*;
pub use negotiation::*;
pub use outbox::*;
pub use reversal::*;
pub use run::*;
pub use scoring::*;
pub use template::*;
pub use workbench::*;

/// What can go wrong at the storage boundary; callers never see driver errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist (or belongs to another creditor).
    #[error("not found: {0}")]
    NotFound(String),
    /// A uniqueness or state rule refused the change (e.g. a duplicate code).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database failed; the message is for logs, not for users.
    #[error("storage error: {0}")]
    Other(String),
}

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// A stream of validated rows for a bulk import, plus the rows rejected on the way.
///
/// The store pulls rows with `next_valid`, writes them in one transaction, reports rows it
/// must refuse itself (e.g. a payment for an unknown account) with `reject`, and at the end
/// commits only if `commit_wanted` says so; otherwise nothing is written.
pub trait ImportSource<T> {
    /// The next valid row, or None when the input is exhausted.
    fn next_valid(&mut self) -> Option<T>;
    /// The store refused a row (1-based data row number, column, reason).
    fn reject(&mut self, row: u64, column: &str, message: String);
    /// Asked once after the last row: commit (true) or roll everything back (false).
    fn commit_wanted(&self) -> bool;
    /// How many rows the source will give, when it knows before the first (a generator
    /// does; a file does not): a store may then plan a bulk write from the first row.
    fn rows_expected(&self) -> Option<u64> {
        None
    }
    /// The store tells how long a stage of its write took (for `sepakat bench`); sources
    /// that do not measure ignore it.
    fn timed(&mut self, _stage: WriteStage, _took: std::time::Duration) {}
}

/// A stage of a bulk import's write, as the store reports its duration to the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStage {
    /// Writing the rows (from the first row pulled to the last written), including any
    /// time the store waited for the source.
    Rows,
    /// Rebuilding the indexes a bulk import deferred.
    Indexes,
    /// Committing (for SQLite this includes the WAL checkpoint that follows a commit).
    Commit,
}

/// The storage operations Sepakat needs, in domain terms. Implementations are
/// thread-safe and synchronous; async callers use `spawn_blocking`.
pub trait Store:
    Send
    + Sync
    + RunStore
    + CollectionStore
    + WorkbenchStore
    + NegotiationStore
    + ReversalStore
    + DebtorContactStore
    + OutboxStore
    + LetterStore
    + ScoringStore
    + TemplateStore
{
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// Applies pending migrations; safe to run repeatedly and concurrently.
    fn migrate(&self) -> StoreResult<()>;

    // ----- creditors (tenants)

    /// Creates a creditor; `Conflict` if the code exists.
    fn create_creditor(&self, new: &NewCreditor, actor: &Actor) -> StoreResult<Creditor>;
    /// A creditor by its code.
    fn creditor_by_code(&self, code: &str) -> StoreResult<Option<Creditor>>;
    /// A creditor by id.
    fn creditor(&self, id: CreditorId) -> StoreResult<Option<Creditor>>;
    /// All creditors, by code.
    fn creditors(&self) -> StoreResult<Vec<Creditor>>;

    // ----- users, sessions and tokens

    /// Creates a user with an already-hashed password; `Conflict` if the username exists.
    fn create_user(&self, new: &NewUser, actor: &Actor) -> StoreResult<User>;
    /// A user by id.
    fn user(&self, id: UserId) -> StoreResult<Option<User>>;
    /// A user with the secrets needed to log in.
    fn user_credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>>;
    /// Records a login attempt: success resets the failure count; failure increments it
    /// and sets `locked_until` when given. Audited either way.
    fn record_login(&self, user: UserId, attempt: &LoginAttempt) -> StoreResult<()>;
    /// Stores a new session (the token is kept only as its hash).
    fn create_session(&self, session: &NewSession) -> StoreResult<()>;
    /// The session for a token hash if it exists and has not expired at `now`.
    fn session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Session>>;
    /// Ends a session.
    fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Stores an API token (as its hash) for a user.
    fn create_api_token(&self, token: &NewApiToken, actor: &Actor) -> StoreResult<()>;
    /// The user owning an API token hash.
    fn user_by_api_token(&self, token_hash: &str) -> StoreResult<Option<User>>;

    // ----- portfolio

    /// Upserts debtors and accounts (key: creditor + account number; debtor key: creditor +
    /// `DebtorUpsert::key`) in one transaction; commits only if the source wants it.
    fn import_accounts(
        &self,
        creditor: CreditorId,
        actor: &Actor,
        source: &mut dyn ImportSource<AccountUpsert>,
    ) -> StoreResult<ImportOutcome>;

    /// Posts imported payments in one transaction (idempotent by creditor + reference;
    /// a known reference counts as `unchanged`). Rows for unknown accounts are rejected
    /// through the source.
    fn import_payments(
        &self,
        creditor: CreditorId,
        actor: &Actor,
        order: &AllocationOrder,
        source: &mut dyn ImportSource<PaymentUpsert>,
    ) -> StoreResult<ImportOutcome>;

    /// Posts one payment to an account, allocating it in `order`; audited.
    /// `Conflict` if the reference was already used for this creditor.
    fn post_payment(
        &self,
        creditor: CreditorId,
        payment: &NewPayment,
        order: &AllocationOrder,
        actor: &Actor,
    ) -> StoreResult<Payment>;

    /// Reverses a payment with a new, negative entry that points to it; the balance is
    /// restored. `Conflict` if it is already reversed or is itself a reversal.
    fn reverse_payment(
        &self,
        creditor: CreditorId,
        payment: PaymentId,
        reason: &str,
        at: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Payment>;

    /// Accounts matching a search, newest DPD first, at most `query.limit`.
    fn search_accounts(
        &self,
        creditor: CreditorId,
        query: &AccountQuery,
    ) -> StoreResult<Vec<AccountListItem>>;

    /// One account with its debtor.
    fn account(&self, creditor: CreditorId, id: AccountId) -> StoreResult<Option<AccountDetail>>;

    /// An account by its number.
    fn account_by_number(
        &self,
        creditor: CreditorId,
        account_no: &str,
    ) -> StoreResult<Option<AccountDetail>>;

    /// Payments of an account, oldest first, reversals included.
    fn payments(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<Payment>>;

    /// Open accounts grouped by product and DPD on `as_of` (count and total outstanding),
    /// for the portfolio overview; the caller classifies DPD into buckets and classes.
    fn portfolio_by_dpd(
        &self,
        creditor: CreditorId,
        as_of: NaiveDate,
    ) -> StoreResult<Vec<PortfolioGroup>>;

    // ----- audit

    /// Writes an audit entry on its own (reads of personal data, refusals, logins).
    fn record_audit(&self, entry: &NewAudit) -> StoreResult<()>;

    /// The audit entries about one entity, newest first.
    fn audit_trail(
        &self,
        creditor: CreditorId,
        entity: &EntityRef,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>>;
}

/// Which database backend a store uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (default).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// Opens the store named by a URL: `sqlite://path.db` (created if missing),
/// `sqlite::memory:`, or `postgres://user@host/db`. Does not migrate.
pub fn open(url: &str) -> StoreResult<Arc<dyn Store>> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        Ok(Arc::new(sqlite::SqliteStore::open(path)?))
    } else if url == "sqlite::memory:" {
        Ok(Arc::new(sqlite::SqliteStore::open_in_memory()?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PostgresStore::connect(url)?))
    } else {
        Err(StoreError::Other(format!(
            "database URL {url:?} is neither sqlite://PATH nor postgres://…"
        )))
    }
}
