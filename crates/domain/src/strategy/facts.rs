//! What a strategy decides on: a compact snapshot of one account on the run's date, built
//! by the nightly run from the account, its promises, pauses and recent interactions.

use crate::dpd::Dpd;
use crate::kolektibilitas::Kolektibilitas;
use crate::money::Rupiah;
use crate::product::ProductType;
use crate::promise::PromiseStatus;

/// The account's latest promise to pay, as evaluated on the run's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromiseFacts {
    /// Pending, kept, partially kept, broken or cancelled (from `Promise::evaluate`).
    pub status: PromiseStatus,
    /// Days from the promised date to the run's date (1 = promised for yesterday).
    pub days_since_promised: i64,
}

/// One account as the strategy sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AccountFacts<'a> {
    /// The product.
    pub product: ProductType,
    /// Days past due on the run's date.
    pub dpd: Dpd,
    /// Days until the oldest unpaid instalment falls due (0 = today), for current accounts
    /// with a due date ahead; `None` otherwise.
    pub days_to_due: Option<u32>,
    /// The DPD bucket's position in the configured bucket set.
    pub bucket: usize,
    /// The regulatory class under the creditor's regime.
    pub kolektibilitas: Kolektibilitas,
    /// Total outstanding.
    pub outstanding: Rupiah,
    /// Propensity to pay in 0..=1 when a score is available (issue 7); absent for now.
    pub score: Option<f64>,
    /// The latest promise within the strategy's look-back, if any.
    pub promise: Option<PromiseFacts>,
    /// Whole days since the last recorded interaction; `None` if none is on record.
    pub days_since_contact: Option<u32>,
    /// The outcome code of the last interaction (`no_answer`, `refused`, …).
    pub last_outcome: Option<&'a str>,
    /// Whether collection is paused on the account today.
    pub paused: bool,
}
