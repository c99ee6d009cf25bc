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
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn migrate(&self) -> StoreResult<()> {
        todo!("postgres: migrate")
    }

    fn create_creditor(&self, _new: &NewCreditor, _actor: &Actor) -> StoreResult<Creditor> {
        todo!("postgres: create_creditor")
    }

    fn creditor_by_code(&self, _code: &str) -> StoreResult<Option<Creditor>> {
        todo!("postgres: creditor_by_code")
    }

    fn creditor(&self, _id: CreditorId) -> StoreResult<Option<Creditor>> {
        todo!("postgres: creditor")
    }

    fn creditors(&self) -> StoreResult<Vec<Creditor>> {
        todo!("postgres: creditors")
    }

    fn create_user(&self, _new: &NewUser, _actor: &Actor) -> StoreResult<User> {
        todo!("postgres: create_user")
    }

    fn user(&self, _id: UserId) -> StoreResult<Option<User>> {
        todo!("postgres: user")
    }

    fn user_credentials(&self, _username: &str) -> StoreResult<Option<UserCredentials>> {
        todo!("postgres: user_credentials")
    }

    fn record_login(&self, _user: UserId, _attempt: &LoginAttempt) -> StoreResult<()> {
        todo!("postgres: record_login")
    }

    fn create_session(&self, _session: &NewSession) -> StoreResult<()> {
        todo!("postgres: create_session")
    }

    fn session(&self, _token_hash: &str, _now: DateTime<Utc>) -> StoreResult<Option<Session>> {
        todo!("postgres: session")
    }

    fn delete_session(&self, _token_hash: &str) -> StoreResult<()> {
        todo!("postgres: delete_session")
    }

    fn create_api_token(&self, _token: &NewApiToken, _actor: &Actor) -> StoreResult<()> {
        todo!("postgres: create_api_token")
    }

    fn user_by_api_token(&self, _token_hash: &str) -> StoreResult<Option<User>> {
        todo!("postgres: user_by_api_token")
    }

    fn import_accounts(
        &self,
        _creditor: CreditorId,
        _actor: &Actor,
        _source: &mut dyn ImportSource<AccountUpsert>,
    ) -> StoreResult<ImportOutcome> {
        todo!("postgres: import_accounts")
    }

    fn import_payments(
        &self,
        _creditor: CreditorId,
        _actor: &Actor,
        _order: &AllocationOrder,
        _source: &mut dyn ImportSource<PaymentUpsert>,
    ) -> StoreResult<ImportOutcome> {
        todo!("postgres: import_payments")
    }

    fn post_payment(
        &self,
        _creditor: CreditorId,
        _payment: &NewPayment,
        _order: &AllocationOrder,
        _actor: &Actor,
    ) -> StoreResult<Payment> {
        todo!("postgres: post_payment")
    }

    fn reverse_payment(
        &self,
        _creditor: CreditorId,
        _payment: PaymentId,
        _reason: &str,
        _at: DateTime<Utc>,
        _actor: &Actor,
    ) -> StoreResult<Payment> {
        todo!("postgres: reverse_payment")
    }

    fn search_accounts(
        &self,
        _creditor: CreditorId,
        _query: &AccountQuery,
    ) -> StoreResult<Vec<AccountListItem>> {
        todo!("postgres: search_accounts")
    }

    fn account(&self, _creditor: CreditorId, _id: AccountId) -> StoreResult<Option<AccountDetail>> {
        todo!("postgres: account")
    }

    fn account_by_number(
        &self,
        _creditor: CreditorId,
        _account_no: &str,
    ) -> StoreResult<Option<AccountDetail>> {
        todo!("postgres: account_by_number")
    }

    fn payments(&self, _creditor: CreditorId, _account: AccountId) -> StoreResult<Vec<Payment>> {
        todo!("postgres: payments")
    }

    fn portfolio_by_dpd(
        &self,
        _creditor: CreditorId,
        _as_of: NaiveDate,
    ) -> StoreResult<Vec<PortfolioGroup>> {
        todo!("postgres: portfolio_by_dpd")
    }

    fn record_audit(&self, _entry: &NewAudit) -> StoreResult<()> {
        todo!("postgres: record_audit")
    }

    fn audit_trail(
        &self,
        _creditor: CreditorId,
        _entity: &EntityRef,
        _limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        todo!("postgres: audit_trail")
    }
}
