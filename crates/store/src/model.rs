//! The records the store takes and returns, in domain types. Storage rows stay inside each
//! backend; wire views live in the web crate.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::{
    Allocation, Balance, Email, Gender, LoanTerms, Nik, Npwp, Phone, ProductType, Province, Regime,
    Role, Rupiah,
};

macro_rules! id_type {
    ($($name:ident: $doc:literal),* $(,)?) => {$(
        #[doc = $doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}
pub(crate) use id_type;

id_type! {
    CreditorId: "A creditor (tenant).",
    UserId: "A user.",
    DebtorId: "A debtor of one creditor.",
    AccountId: "An account (one debt).",
    PaymentId: "A payment entry (or reversal).",
}

/// Who made a change, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The user, when a person acted.
    pub user: Option<UserId>,
    /// A readable name: the username, or `system:import`, `system:demo`, `cli`.
    pub name: String,
}

impl Actor {
    /// A person.
    pub fn user(id: UserId, username: &str) -> Actor {
        Actor {
            user: Some(id),
            name: username.to_string(),
        }
    }

    /// The system or a command-line job.
    pub fn system(name: &str) -> Actor {
        Actor {
            user: None,
            name: name.to_string(),
        }
    }
}

/// A new creditor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCreditor {
    /// Short unique code used on the command line (`BANKA`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// The kolektibilitas regime for this creditor's accounts.
    pub regime: Regime,
}

/// A creditor (tenant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creditor {
    /// Id.
    pub id: CreditorId,
    /// Code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Kolektibilitas regime.
    pub regime: Regime,
}

/// A new user; the password is already hashed (argon2, PHC string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Unique login name.
    pub username: String,
    /// Display name.
    pub full_name: String,
    /// Role.
    pub role: Role,
    /// PHC-format password hash.
    pub password_hash: String,
    /// The creditors this user works for (one, or several for agency users); never empty.
    pub creditors: Vec<CreditorId>,
}

/// A user as the application sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login name.
    pub username: String,
    /// Display name.
    pub full_name: String,
    /// Role.
    pub role: Role,
    /// Creditors served, by id ascending.
    pub creditors: Vec<CreditorId>,
}

/// A user with what login needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCredentials {
    /// The user.
    pub user: User,
    /// PHC-format password hash.
    pub password_hash: String,
    /// Consecutive failed logins.
    pub failed_attempts: u32,
    /// Locked until this instant, if locked.
    pub locked_until: Option<DateTime<Utc>>,
}

/// The outcome of one login attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAttempt {
    /// When.
    pub at: DateTime<Utc>,
    /// Succeeded?
    pub success: bool,
    /// On failure: lock the account until then (set by the caller's lock-out policy).
    pub lock_until: Option<DateTime<Utc>>,
    /// Client address, for the audit trail.
    pub remote: Option<String>,
}

/// A new login session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// SHA-256 of the session token (hex).
    pub token_hash: String,
    /// The user.
    pub user: UserId,
    /// The creditor the user is working for in this session.
    pub creditor: CreditorId,
    /// The CSRF token bound to this session.
    pub csrf_token: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Expires.
    pub expires_at: DateTime<Utc>,
}

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user.
    pub user: User,
    /// The active creditor.
    pub creditor: CreditorId,
    /// CSRF token for forms.
    pub csrf_token: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
}

/// A new API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiToken {
    /// SHA-256 of the token (hex).
    pub token_hash: String,
    /// Owner.
    pub user: UserId,
    /// What it is for.
    pub label: String,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// Person or company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DebtorKind {
    /// A natural person, identified by NIK.
    Person,
    /// A company, identified by NPWP.
    Company,
}

/// Debtor data carried by an import row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtorUpsert {
    /// The creditor's key for this debtor: its customer number (CIF) when given, else the
    /// NIK or NPWP digits. Accounts with the same key belong to the same debtor.
    pub key: String,
    /// Person or company.
    pub kind: DebtorKind,
    /// Full name.
    pub name: String,
    /// NIK (persons).
    pub nik: Option<Nik>,
    /// NPWP (companies; optional for persons).
    pub npwp: Option<Npwp>,
    /// Sex, from the file or the NIK.
    pub gender: Option<Gender>,
    /// Birth date, from the file or the NIK.
    pub birth_date: Option<NaiveDate>,
    /// Main phone.
    pub phone: Option<Phone>,
    /// E-mail.
    pub email: Option<Email>,
    /// Street address.
    pub address: Option<String>,
    /// City or regency.
    pub city: Option<String>,
    /// Province (decides the time zone).
    pub province: Province,
    /// Employer name (a restricted party: whereabouts only).
    pub employer: Option<String>,
}

/// Account status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Being collected.
    Open,
    /// Fully repaid.
    PaidOff,
    /// Written off by the creditor (still collectable, off balance sheet).
    WrittenOff,
}

impl AccountStatus {
    /// `open`, `paid_off`, `written_off`.
    pub const fn code(self) -> &'static str {
        match self {
            AccountStatus::Open => "open",
            AccountStatus::PaidOff => "paid_off",
            AccountStatus::WrittenOff => "written_off",
        }
    }

    /// The status once a payment has left `balance`: paid off when nothing is owed,
    /// otherwise unchanged (one rule for every backend and the demo).
    pub fn after_payment(self, balance: &Balance) -> AccountStatus {
        if balance.total_outstanding().is_zero() {
            AccountStatus::PaidOff
        } else {
            self
        }
    }

    /// The status once a reversal has restored `balance`: a paid-off account that owes
    /// again is open again; any other status is unchanged.
    pub fn after_reversal(self, balance: &Balance) -> AccountStatus {
        match self {
            AccountStatus::PaidOff if !balance.total_outstanding().is_zero() => AccountStatus::Open,
            other => other,
        }
    }

    /// Parses a code.
    pub fn parse(text: &str) -> Option<AccountStatus> {
        match text {
            "open" => Some(AccountStatus::Open),
            "paid_off" => Some(AccountStatus::PaidOff),
            "written_off" => Some(AccountStatus::WrittenOff),
            _ => None,
        }
    }
}

/// One valid account row of an import (the debtor comes with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUpsert {
    /// 1-based data row in the file (for error reports).
    pub row: u64,
    /// The creditor's account number (unique per creditor).
    pub account_no: String,
    /// The debtor.
    pub debtor: DebtorUpsert,
    /// Product type.
    pub product: ProductType,
    /// Contract terms (schedule source).
    pub terms: LoanTerms,
    /// Contractual monthly instalment.
    pub instalment: Rupiah,
    /// Disbursement / contract date.
    pub opened_on: NaiveDate,
    /// The balance as of the file.
    pub balance: Balance,
    /// Last payment received before the import, if known.
    pub last_payment: Option<(NaiveDate, Rupiah)>,
    /// Status.
    pub status: AccountStatus,
    /// The debtor's other contacts named on this row (at most one per party); see
    /// `crate::debtor_contact::ImportedContact`.
    pub contacts: Vec<crate::debtor_contact::ImportedContact>,
}

/// One valid payment row of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentUpsert {
    /// 1-based data row in the file.
    pub row: u64,
    /// The account it pays.
    pub account_no: String,
    /// The payment.
    pub payment: NewPaymentData,
}

/// What the importer and the cashier both supply for a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPaymentData {
    /// When the money was received.
    pub paid_at: DateTime<Utc>,
    /// Amount (> 0).
    pub amount: Rupiah,
    /// The payer's or bank's reference; unique per creditor.
    pub reference: String,
    /// How it was paid (`transfer`, `va`, `teller`, `qris`, …).
    pub channel: String,
}

/// A payment posted by hand to a known account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPayment {
    /// The account.
    pub account: AccountId,
    /// The payment.
    pub data: NewPaymentData,
}

/// A stored payment or reversal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// Id.
    pub id: PaymentId,
    /// The account.
    pub account: AccountId,
    /// When received (or reversed).
    pub paid_at: DateTime<Utc>,
    /// Amount: positive for a payment, negative for a reversal.
    pub amount: Rupiah,
    /// Reference.
    pub reference: String,
    /// Channel.
    pub channel: String,
    /// The split (negative components for a reversal).
    pub allocation: Allocation,
    /// Overdue instalments cleared (negative… never: reversals store the count they undo).
    pub instalments_cleared: u32,
    /// For a reversal: the payment it reverses.
    pub reverses: Option<PaymentId>,
    /// For a reversal: why.
    pub reason: Option<String>,
    /// For a payment that was reversed: the reversal.
    pub reversed_by: Option<PaymentId>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// Rows that created a record.
    pub inserted: u64,
    /// Rows that updated an existing record.
    pub updated: u64,
    /// Rows that changed nothing (e.g. a payment reference already posted).
    pub unchanged: u64,
    /// Rows refused by the store itself.
    pub rejected: u64,
    /// Debtor contacts (emergency contact, employer) an account import added, corrections
    /// of earlier imported ones included.
    pub contacts_added: u64,
    /// Whether the transaction was committed.
    pub committed: bool,
}

/// A search over a creditor's accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountQuery {
    /// Free text: part of a name, an account number prefix, or a whole NIK or phone
    /// number (matched exactly after normalising).
    pub text: Option<String>,
    /// Only this product.
    pub product: Option<ProductType>,
    /// Only open accounts.
    pub open_only: bool,
    /// At most this many (the store caps it at 500).
    pub limit: u32,
    /// Skip this many.
    pub offset: u32,
}

/// A row of an account list; personal data comes masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountListItem {
    /// Id.
    pub id: AccountId,
    /// Account number.
    pub account_no: String,
    /// Debtor name.
    pub debtor_name: String,
    /// Masked NIK (`3201********0001`), if a person.
    pub nik_masked: Option<String>,
    /// Masked phone (`+62812***7890`).
    pub phone_masked: Option<String>,
    /// Province.
    pub province: Province,
    /// Product.
    pub product: ProductType,
    /// Total outstanding.
    pub outstanding: Rupiah,
    /// Oldest unpaid due date (DPD is computed by the caller for its "today").
    pub oldest_unpaid_due: Option<NaiveDate>,
    /// Status.
    pub status: AccountStatus,
}

/// A debtor as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debtor {
    /// Id.
    pub id: DebtorId,
    /// The debtor's data.
    pub data: DebtorUpsert,
}

/// An account with its debtor, for the detail page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetail {
    /// Id.
    pub id: AccountId,
    /// The creditor.
    pub creditor: CreditorId,
    /// Account number.
    pub account_no: String,
    /// The debtor.
    pub debtor: Debtor,
    /// Product.
    pub product: ProductType,
    /// Terms.
    pub terms: LoanTerms,
    /// Contractual instalment.
    pub instalment: Rupiah,
    /// Contract date.
    pub opened_on: NaiveDate,
    /// Current balance.
    pub balance: Balance,
    /// Last payment (date, amount).
    pub last_payment: Option<(NaiveDate, Rupiah)>,
    /// Status.
    pub status: AccountStatus,
}

/// One group of the portfolio overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioGroup {
    /// Product.
    pub product: ProductType,
    /// DPD on the as-of date.
    pub dpd: u32,
    /// Number of open accounts.
    pub accounts: u64,
    /// Their total outstanding.
    pub outstanding: Rupiah,
}

/// What an audit entry is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRef {
    /// `creditor`, `user`, `debtor`, `account`, `payment`, `session`, `import`.
    pub kind: String,
    /// Its id (as text).
    pub id: String,
}

impl EntityRef {
    /// An entity reference.
    pub fn new(kind: &str, id: impl ToString) -> EntityRef {
        EntityRef {
            kind: kind.to_string(),
            id: id.to_string(),
        }
    }
}

/// A new audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAudit {
    /// The creditor concerned (None for system-wide events such as a failed login).
    pub creditor: Option<CreditorId>,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: Actor,
    /// What happened: `payment.posted`, `account.viewed`, `access.denied`, …
    pub action: String,
    /// About what.
    pub entity: EntityRef,
    /// Details as JSON; never unmasked NIK or phone numbers.
    pub detail: serde_json::Value,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Sequence number.
    pub id: i64,
    /// The entry.
    pub entry: NewAudit,
}
