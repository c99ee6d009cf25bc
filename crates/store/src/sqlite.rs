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
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn migrate(&self) -> StoreResult<()> {
        todo!("sqlite: migrate")
    }

    fn create_creditor(&self, _new: &NewCreditor, _actor: &Actor) -> StoreResult<Creditor> {
        todo!("sqlite: create_creditor")
    }

    fn creditor_by_code(&self, _code: &str) -> StoreResult<Option<Creditor>> {
        todo!("sqlite: creditor_by_code")
    }

    fn creditor(&self, _id: CreditorId) -> StoreResult<Option<Creditor>> {
        todo!("sqlite: creditor")
    }

    fn creditors(&self) -> StoreResult<Vec<Creditor>> {
        todo!("sqlite: creditors")
    }

    fn create_user(&self, _new: &NewUser, _actor: &Actor) -> StoreResult<User> {
        todo!("sqlite: create_user")
    }

    fn user(&self, _id: UserId) -> StoreResult<Option<User>> {
        todo!("sqlite: user")
    }

    fn user_credentials(&self, _username: &str) -> StoreResult<Option<UserCredentials>> {
        todo!("sqlite: user_credentials")
    }

    fn record_login(&self, _user: UserId, _attempt: &LoginAttempt) -> StoreResult<()> {
        todo!("sqlite: record_login")
    }

    fn create_session(&self, _session: &NewSession) -> StoreResult<()> {
        todo!("sqlite: create_session")
    }

    fn session(&self, _token_hash: &str, _now: DateTime<Utc>) -> StoreResult<Option<Session>> {
        todo!("sqlite: session")
    }

    fn delete_session(&self, _token_hash: &str) -> StoreResult<()> {
        todo!("sqlite: delete_session")
    }

    fn create_api_token(&self, _token: &NewApiToken, _actor: &Actor) -> StoreResult<()> {
        todo!("sqlite: create_api_token")
    }

    fn user_by_api_token(&self, _token_hash: &str) -> StoreResult<Option<User>> {
        todo!("sqlite: user_by_api_token")
    }

    fn import_accounts(
        &self,
        _creditor: CreditorId,
        _actor: &Actor,
        _source: &mut dyn ImportSource<AccountUpsert>,
    ) -> StoreResult<ImportOutcome> {
        todo!("sqlite: import_accounts")
    }

    fn import_payments(
        &self,
        _creditor: CreditorId,
        _actor: &Actor,
        _order: &AllocationOrder,
        _source: &mut dyn ImportSource<PaymentUpsert>,
    ) -> StoreResult<ImportOutcome> {
        todo!("sqlite: import_payments")
    }

    fn post_payment(
        &self,
        _creditor: CreditorId,
        _payment: &NewPayment,
        _order: &AllocationOrder,
        _actor: &Actor,
    ) -> StoreResult<Payment> {
        todo!("sqlite: post_payment")
    }

    fn reverse_payment(
        &self,
        _creditor: CreditorId,
        _payment: PaymentId,
        _reason: &str,
        _at: DateTime<Utc>,
        _actor: &Actor,
    ) -> StoreResult<Payment> {
        todo!("sqlite: reverse_payment")
    }

    fn search_accounts(
        &self,
        _creditor: CreditorId,
        _query: &AccountQuery,
    ) -> StoreResult<Vec<AccountListItem>> {
        todo!("sqlite: search_accounts")
    }

    fn account(&self, _creditor: CreditorId, _id: AccountId) -> StoreResult<Option<AccountDetail>> {
        todo!("sqlite: account")
    }

    fn account_by_number(
        &self,
        _creditor: CreditorId,
        _account_no: &str,
    ) -> StoreResult<Option<AccountDetail>> {
        todo!("sqlite: account_by_number")
    }

    fn payments(&self, _creditor: CreditorId, _account: AccountId) -> StoreResult<Vec<Payment>> {
        todo!("sqlite: payments")
    }

    fn portfolio_by_dpd(
        &self,
        _creditor: CreditorId,
        _as_of: NaiveDate,
    ) -> StoreResult<Vec<PortfolioGroup>> {
        todo!("sqlite: portfolio_by_dpd")
    }

    fn record_audit(&self, _entry: &NewAudit) -> StoreResult<()> {
        todo!("sqlite: record_audit")
    }

    fn audit_trail(
        &self,
        _creditor: CreditorId,
        _entity: &EntityRef,
        _limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        todo!("sqlite: audit_trail")
    }
}
