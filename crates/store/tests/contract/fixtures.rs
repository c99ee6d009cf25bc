//! Test data for the contract: an in-memory import source, creditors, users, accounts.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sepakat_domain::{
    Balance, Email, Gender, LoanTerms, Nik, Npwp, Phone, ProductType, Province, Rate, Regime, Role,
    Rupiah, ScheduleMethod,
};
use sepakat_store::{
    AccountStatus, AccountUpsert, Actor, Creditor, CreditorId, DebtorKind, DebtorUpsert,
    ImportOutcome, ImportSource, NewCreditor, NewPaymentData, NewUser, PaymentUpsert, Store, User,
};

/// An import source over a vector, recording what the store rejected.
pub struct VecSource<T> {
    rows: std::vec::IntoIter<T>,
    /// Whether the store should commit at the end.
    pub commit: bool,
    /// Rows the store refused: (row, column, message).
    pub rejected: Vec<(u64, String, String)>,
    /// Times `next_valid` was called after the input was exhausted.
    pub pulls_after_end: u32,
    exhausted: bool,
    /// What `rows_expected` answers.
    expected: Option<u64>,
}

impl<T> VecSource<T> {
    /// A source that asks the store to commit.
    pub fn new(rows: Vec<T>) -> VecSource<T> {
        VecSource {
            rows: rows.into_iter(),
            commit: true,
            rejected: Vec::new(),
            pulls_after_end: 0,
            exhausted: false,
            expected: None,
        }
    }

    /// The same source, telling the store how many rows it will give.
    pub fn announced(mut self) -> VecSource<T> {
        self.expected = Some(self.rows.len() as u64);
        self
    }

    /// A source that asks the store to roll back (a dry run).
    pub fn dry_run(rows: Vec<T>) -> VecSource<T> {
        VecSource {
            commit: false,
            ..VecSource::new(rows)
        }
    }
}

impl<T> ImportSource<T> for VecSource<T> {
    fn next_valid(&mut self) -> Option<T> {
        if self.exhausted {
            self.pulls_after_end += 1;
        }
        let next = self.rows.next();
        self.exhausted = next.is_none();
        next
    }

    fn reject(&mut self, row: u64, column: &str, message: String) {
        self.rejected.push((row, column.to_string(), message));
    }

    fn commit_wanted(&self) -> bool {
        self.commit
    }

    fn rows_expected(&self) -> Option<u64> {
        self.expected
    }
}

/// The actor of the contract tests.
pub fn cli() -> Actor {
    Actor::system("cli")
}

/// A fixed instant on 24 Nov 2026, plus `hours`.
pub fn at(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 3, 0, 0)
        .single()
        .expect("valid instant")
        + chrono::Duration::hours(hours)
}

/// A date from `YYYY-MM-DD`.
pub fn day(text: &str) -> NaiveDate {
    text.parse().expect("valid test date")
}

/// Creates a creditor with the bank regime.
pub fn creditor(store: &dyn Store, code: &str) -> Creditor {
    store
        .create_creditor(
            &NewCreditor {
                code: code.to_string(),
                name: format!("PT {code} Tbk"),
                regime: Regime::bank(),
            },
            &cli(),
        )
        .expect("creditor created")
}

/// Creates a collector working for `creditors`.
pub fn user(store: &dyn Store, username: &str, creditors: &[CreditorId]) -> User {
    store
        .create_user(
            &NewUser {
                username: username.to_string(),
                full_name: format!("{username} Lengkap"),
                role: Role::Collector,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
                creditors: creditors.to_vec(),
            },
            &cli(),
        )
        .expect("user created")
}

/// A valid NIK whose serial is `serial` (1..=9999): Jawa Barat, a woman born 5 Jan 1990.
pub fn nik(serial: u32) -> Nik {
    Nik::parse(&format!("320101450190{serial:04}")).expect("valid test NIK")
}

/// A valid mobile number ending in `tail` (0..=9999).
pub fn phone(tail: u32) -> Phone {
    Phone::parse(&format!("0812345{tail:04}")).expect("valid test phone")
}

/// A person debtor keyed by `key`.
pub fn person(key: &str, name: &str, serial: u32) -> DebtorUpsert {
    DebtorUpsert {
        key: key.to_string(),
        kind: DebtorKind::Person,
        name: name.to_string(),
        nik: Some(nik(serial)),
        npwp: None,
        gender: Some(Gender::Female),
        birth_date: Some(day("1990-01-05")),
        phone: Some(phone(serial)),
        email: Email::parse(&format!("debitur{serial}@contoh.co.id")).ok(),
        address: Some("Jl. Merdeka No. 1".to_string()),
        city: Some("Bandung".to_string()),
        province: Province::JawaBarat,
        employer: Some("CV Maju Jaya".to_string()),
    }
}

/// A company debtor keyed by `key`.
pub fn company(key: &str, name: &str) -> DebtorUpsert {
    DebtorUpsert {
        key: key.to_string(),
        kind: DebtorKind::Company,
        name: name.to_string(),
        nik: None,
        npwp: Some(Npwp::parse("01.234.567.8-901.000").expect("valid test NPWP")),
        gender: None,
        birth_date: None,
        phone: None,
        email: None,
        address: None,
        city: None,
        province: Province::Bali,
        employer: None,
    }
}

/// The balance every test account starts with: total outstanding Rp1.060.000, of which
/// Rp160.000 overdue since 10 Sep 2026.
pub fn owing() -> Balance {
    Balance {
        outstanding_principal: Rupiah::new(1_000_000),
        arrears_principal: Rupiah::new(100_000),
        arrears_interest: Rupiah::new(30_000),
        penalty: Rupiah::new(20_000),
        fees: Rupiah::new(10_000),
        oldest_unpaid_due: Some(day("2026-09-10")),
    }
}

/// An open KTA account of `debtor` with the `owing()` balance.
pub fn account(row: u64, account_no: &str, debtor: DebtorUpsert) -> AccountUpsert {
    AccountUpsert {
        row,
        account_no: account_no.to_string(),
        debtor,
        product: ProductType::Kta,
        terms: LoanTerms {
            principal: Rupiah::new(1_500_000),
            annual_rate: Rate::from_ppm(125_000),
            tenor_months: 12,
            first_due: day("2026-03-10"),
            method: ScheduleMethod::Annuity,
        },
        instalment: Rupiah::new(130_000),
        opened_on: day("2026-02-10"),
        balance: owing(),
        last_payment: Some((day("2026-08-10"), Rupiah::new(130_000))),
        status: AccountStatus::Open,
        contacts: Vec::new(),
    }
}

/// Imports accounts with commit, asserting success.
pub fn import(store: &dyn Store, creditor: CreditorId, rows: Vec<AccountUpsert>) -> ImportOutcome {
    let mut source = VecSource::new(rows);
    let outcome = store
        .import_accounts(creditor, &cli(), &mut source)
        .expect("import succeeds");
    assert!(source.rejected.is_empty(), "{:?}", source.rejected);
    outcome
}

/// Payment data of `amount` with `reference`, paid at `at(0)`.
pub fn paid(amount: i64, reference: &str) -> NewPaymentData {
    NewPaymentData {
        paid_at: at(0),
        amount: Rupiah::new(amount),
        reference: reference.to_string(),
        channel: "transfer".to_string(),
    }
}

/// A payment import row.
pub fn payment_row(row: u64, account_no: &str, amount: i64, reference: &str) -> PaymentUpsert {
    PaymentUpsert {
        row,
        account_no: account_no.to_string(),
        payment: paid(amount, reference),
    }
}

/// Whether the JSON text contains a full NIK or phone number of the test data.
pub fn leaks_personal_data(json: &str, serials: &[u32]) -> bool {
    serials.iter().any(|s| {
        let n = nik(*s);
        let p = phone(*s);
        json.contains(n.as_str()) || json.contains(p.as_str()) || json.contains(&p.as_str()[3..])
    })
}
