//! Demo data: four creditors (a bank, a multifinance company, a P2P lender and a
//! distributor collecting B2B invoices) with a realistic, deterministic portfolio spread
//! over every product type, every province and the whole DPD range.
//!
//! Accounts are written through `Store::import_accounts`, the same path as file imports,
//! streamed from a generator so ten million accounts never sit in memory. Running again
//! with the same options updates the same accounts instead of adding new ones.
//!
//! `seed_collection` then adds the collection work (teams, collectors, assignments,
//! interactions, promises, pauses, consents; see `collection`), also idempotent.

mod collection;
mod csv_file;
mod generator;
mod people;
mod places;
mod staff;

use std::fmt;

use chrono::NaiveDate;
use sepakat_domain::{apply_payment, AllocationOrder};
use sepakat_store::{
    AccountUpsert, Actor, CreditorId, ImportSource, NewCreditor, PaymentUpsert, Store,
};

use crate::import::pipeline::pipelined;
use crate::progress::Progress;
use generator::{accounts_of, generate as generate_account, Generated, CREDITORS};

pub use collection::{seed_collection, CollectionSummary, COLLECTION_UP_TO};
pub use csv_file::write_accounts_csv;

/// Runs up to this many accounts also get historic payments (posting them is slower).
pub const PAYMENTS_UP_TO: u64 = 200_000;

/// The demo creditors' codes, the bank first.
pub fn creditor_codes() -> impl Iterator<Item = &'static str> {
    CREDITORS.iter().map(|c| c.code)
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Total accounts over the four creditors.
    pub accounts: u64,
    /// Random seed: the same seed gives the same portfolio.
    pub seed: u64,
    /// The date the portfolio describes (DPD counts back from it).
    pub today: NaiveDate,
}

impl DemoOptions {
    /// 20,000 accounts with seed 1 on `today`.
    pub fn new(today: NaiveDate) -> DemoOptions {
        DemoOptions {
            accounts: 20_000,
            seed: 1,
            today,
        }
    }
}

/// What the demo wrote for one creditor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CreditorSummary {
    /// Creditor code.
    pub code: String,
    /// Creditor name.
    pub name: String,
    /// Accounts generated.
    pub accounts: u64,
    /// Accounts created.
    pub inserted: u64,
    /// Accounts updated (a second run).
    pub updated: u64,
    /// Historic payments posted.
    pub payments_posted: u64,
    /// Historic payments already there (a second run).
    pub payments_unchanged: u64,
}

/// What the demo wrote, per creditor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoSummary {
    /// One entry per demo creditor.
    pub creditors: Vec<CreditorSummary>,
}

impl fmt::Display for DemoSummary {
    /// One line per creditor.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.creditors {
            writeln!(
                f,
                "{:<13} {:>9} accounts ({} new, {} updated), {} payments posted ({} already there) — {}",
                c.code, c.accounts, c.inserted, c.updated, c.payments_posted, c.payments_unchanged, c.name
            )?;
        }
        Ok(())
    }
}

/// Creates the demo creditors if missing and writes their portfolios.
pub fn generate(
    store: &dyn Store,
    options: &DemoOptions,
    progress: &mut dyn Progress,
) -> anyhow::Result<DemoSummary> {
    use anyhow::Context;
    let actor = Actor::system("system:demo");
    let order = AllocationOrder::default();
    let with_payments = options.accounts <= PAYMENTS_UP_TO;
    progress.start(None, Some(options.accounts));
    let mut creditors = Vec::new();
    let mut done = 0;
    for (c, spec) in CREDITORS.iter().enumerate() {
        let creditor = match store.creditor_by_code(spec.code)? {
            Some(found) => found,
            None => store
                .create_creditor(
                    &NewCreditor {
                        code: spec.code.to_string(),
                        name: spec.name.to_string(),
                        regime: spec.regime(),
                    },
                    &actor,
                )
                .with_context(|| format!("creating demo creditor {}", spec.code))?,
        };
        let count = accounts_of(c, options.accounts);
        let posted = with_payments && payments_posted(store, creditor.id, options, c, count)?;
        progress.stage(spec.code);
        let mut accounts = DemoAccounts {
            options,
            creditor: c,
            next: 0,
            count,
            version: match (with_payments, posted) {
                (false, _) => Version::Target,
                (true, false) => Version::Before,
                (true, true) => Version::Settled(order.clone()),
            },
            progress: &mut *progress,
            done,
        };
        // Generate on a second thread while the store writes, as file imports validate.
        let outcome = pipelined(&mut accounts, |s| {
            store.import_accounts(creditor.id, &actor, s)
        })
        .0
        .with_context(|| format!("writing demo accounts of {}", spec.code))?;
        done += count;
        let mut summary = CreditorSummary {
            code: spec.code.to_string(),
            name: spec.name.to_string(),
            accounts: count,
            inserted: outcome.inserted,
            updated: outcome.updated,
            payments_posted: 0,
            payments_unchanged: 0,
        };
        if with_payments {
            let mut payments = DemoPayments {
                options,
                creditor: c,
                next: 0,
                count,
                queue: Vec::new(),
                refused: Vec::new(),
            };
            let outcome = store
                .import_payments(creditor.id, &actor, &order, &mut payments)
                .with_context(|| format!("writing demo payments of {}", spec.code))?;
            if let Some(first) = payments.refused.first() {
                anyhow::bail!("the store refused a demo payment of {}: {first}", spec.code);
            }
            summary.payments_posted = outcome.inserted;
            summary.payments_unchanged = outcome.unchanged;
            if outcome.inserted > 0 {
                // Posting cleared the due date of current accounts whose payments paid
                // their last arrears; writing the settled balances restores it (the
                // balances are otherwise the ones the store just computed).
                let mut settle = DemoAccounts {
                    options,
                    creditor: c,
                    next: 0,
                    count,
                    version: Version::Settled(order.clone()),
                    progress: &mut *progress,
                    done: done - count,
                };
                pipelined(&mut settle, |s| {
                    store.import_accounts(creditor.id, &actor, s)
                })
                .0
                .with_context(|| format!("settling demo accounts of {}", spec.code))?;
            }
        }
        creditors.push(summary);
    }
    progress.finish();
    Ok(DemoSummary { creditors })
}

/// True if an earlier run already posted this creditor's historic payments (they are
/// posted in one transaction, so the first account that has some tells for all).
fn payments_posted(
    store: &dyn Store,
    creditor: CreditorId,
    options: &DemoOptions,
    c: usize,
    count: u64,
) -> anyhow::Result<bool> {
    for index in 0..count.min(1000) {
        let generated = generate_account(options.seed, c, index, options.today);
        if generated.payments.is_empty() {
            continue;
        }
        return Ok(
            match store.account_by_number(creditor, &generated.account.account_no)? {
                Some(detail) => !store.payments(creditor, detail.id)?.is_empty(),
                None => false,
            },
        );
    }
    Ok(false)
}

/// Which balance of a generated account to write.
enum Version {
    /// The balance on the file date (no payments are posted).
    Target,
    /// Before the historic payments, which are posted next.
    Before,
    /// After the historic payments, already posted by an earlier run.
    Settled(AllocationOrder),
}

/// The balance after posting an account's historic payments, as the store computes it.
///
/// Paying the last arrears clears the due date; a current account then gets back the next
/// due date it has on the file date, as a bank's account file would show it.
fn settled(generated: Generated, order: &AllocationOrder) -> AccountUpsert {
    let next_due = generated.account.balance.oldest_unpaid_due;
    let mut account = generated.before;
    let zone = account.debtor.province.zone();
    for p in &generated.payments {
        let effect = apply_payment(&account.balance, p.amount, account.instalment, order);
        account.balance = effect.after;
        account.status = account.status.after_payment(&account.balance);
        let day = zone.local(p.paid_at).date();
        if account.last_payment.is_none_or(|(last, _)| day >= last) {
            account.last_payment = Some((day, p.amount));
        }
    }
    if account.balance.oldest_unpaid_due.is_none()
        && account.balance.total_overdue().is_zero()
        && !generated.payments.is_empty()
    {
        account.balance.oldest_unpaid_due = next_due;
    }
    account
}

struct DemoAccounts<'a> {
    options: &'a DemoOptions,
    creditor: usize,
    next: u64,
    count: u64,
    version: Version,
    progress: &'a mut dyn Progress,
    done: u64,
}

impl ImportSource<AccountUpsert> for DemoAccounts<'_> {
    fn next_valid(&mut self) -> Option<AccountUpsert> {
        if self.next >= self.count {
            return None;
        }
        let g = generate_account(
            self.options.seed,
            self.creditor,
            self.next,
            self.options.today,
        );
        self.next += 1;
        if self.next & 4095 == 0 || self.next == self.count {
            self.progress.advance(self.done + self.next, 0);
        }
        Some(match &self.version {
            Version::Target => g.account,
            Version::Before => g.before,
            Version::Settled(order) => settled(g, order),
        })
    }

    fn reject(&mut self, row: u64, column: &str, message: String) {
        // Generated data is valid by construction; a refusal is a bug worth seeing.
        tracing::error!(row, column, %message, "store refused a demo account");
    }

    fn commit_wanted(&self) -> bool {
        true
    }

    fn rows_expected(&self) -> Option<u64> {
        Some(self.count - self.next)
    }
}

struct DemoPayments<'a> {
    options: &'a DemoOptions,
    creditor: usize,
    next: u64,
    count: u64,
    queue: Vec<PaymentUpsert>,
    refused: Vec<String>,
}

impl ImportSource<PaymentUpsert> for DemoPayments<'_> {
    fn next_valid(&mut self) -> Option<PaymentUpsert> {
        while self.queue.is_empty() {
            if self.next >= self.count {
                return None;
            }
            let g = generate_account(
                self.options.seed,
                self.creditor,
                self.next,
                self.options.today,
            );
            let row = g.account.row;
            // Reversed so `pop` yields the oldest first.
            for payment in g.payments.into_iter().rev() {
                self.queue.push(PaymentUpsert {
                    row,
                    account_no: g.account.account_no.clone(),
                    payment,
                });
            }
            self.next += 1;
        }
        self.queue.pop()
    }

    fn reject(&mut self, row: u64, column: &str, message: String) {
        self.refused
            .push(format!("row {row}, column {column}: {message}"));
    }

    fn commit_wanted(&self) -> bool {
        self.refused.is_empty()
    }
}
