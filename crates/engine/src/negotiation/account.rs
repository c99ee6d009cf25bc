//! A stored account as the negotiation sees it: the same `AccountInput → Debt` mapping
//! `sepakat negotiate` uses for its JSON (`wire::AccountInput::into_debt`), fed from the
//! store instead of a file, so both paths check and derive identically.

use chrono::NaiveDate;
use sepakat_domain::negotiation::wire::{
    AccountInput, BalanceInput, InputError, PromisesInput, RegimeInput,
};
use sepakat_domain::negotiation::{Debt, PromiseHistory};
use sepakat_domain::schedule::due_date;
use sepakat_domain::{Dpd, LoanTerms, PromiseStatus, Regime, Rupiah};
use sepakat_store::{AccountDetail, Payment, StoredPromise};

/// Contract instalments falling due after `as_of` (0 once the loan has matured).
pub fn remaining_months(terms: &LoanTerms, as_of: NaiveDate) -> u32 {
    (1..=terms.tenor_months)
        .filter(|seq| due_date(terms.first_due, *seq) > as_of)
        .count() as u32
}

/// The promise history the keep probability reads: promises that ended kept, partially
/// kept or broken (pending and cancelled ones say nothing yet).
pub fn promise_history(promises: &[StoredPromise]) -> PromiseHistory {
    let ended = |s: PromiseStatus| {
        matches!(
            s,
            PromiseStatus::Kept | PromiseStatus::PartiallyKept | PromiseStatus::Broken
        )
    };
    PromiseHistory {
        made: promises.iter().filter(|p| ended(p.status)).count() as u32,
        kept: promises
            .iter()
            .filter(|p| p.status == PromiseStatus::Kept)
            .count() as u32,
    }
}

/// The account on `as_of` for the offer engine: the balance as stored, the class under the
/// creditor's regime, charges paid from the payments (reversals subtract), and the
/// promise history.
pub fn debt_of(
    account: &AccountDetail,
    regime: &Regime,
    payments: &[Payment],
    promises: &[StoredPromise],
    as_of: NaiveDate,
) -> Result<Debt, InputError> {
    let b = &account.balance;
    let charges_paid: Rupiah = payments
        .iter()
        .map(|p| p.allocation.fees + p.allocation.penalty + p.allocation.interest)
        .sum();
    let history = promise_history(promises);
    let input = AccountInput {
        product: account.product,
        regime: RegimeInput::Bank,
        // The creditor's own regime decides the class (it may differ from both presets).
        kolektibilitas: Some(regime.classify(Dpd::as_of(b.oldest_unpaid_due, as_of))),
        original_principal: account.terms.principal,
        annual_rate: account.terms.annual_rate,
        method: account.terms.method,
        instalment: account.instalment,
        remaining_tenor_months: remaining_months(&account.terms, as_of),
        balance: BalanceInput {
            outstanding_principal: b.outstanding_principal,
            arrears_principal: b.arrears_principal,
            arrears_interest: b.arrears_interest,
            penalty: b.penalty,
            fees: b.fees,
            oldest_unpaid_due: b.oldest_unpaid_due,
        },
        charges_paid: charges_paid.clamp_zero(),
        promises: PromisesInput {
            made: history.made,
            kept: history.kept,
        },
    };
    input.into_debt(as_of)
}
