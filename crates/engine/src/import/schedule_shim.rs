//! Deriving the contractual instalment when a file leaves it out.
//!
//! Delegates to the domain's schedule rules.

use sepakat_domain::{LoanTerms, Rupiah};

/// The regular instalment of a loan, or why its terms give none.
pub(crate) fn instalment_amount(terms: &LoanTerms) -> Result<Rupiah, String> {
    // Placeholder until the domain branch lands: equal principal plus flat interest.
    let n = i64::from(terms.tenor_months.max(1));
    let interest = terms.annual_rate.of(terms.principal).mul_ratio(1, 12);
    Ok(Rupiah::new(terms.principal.value() / n) + interest)
}
