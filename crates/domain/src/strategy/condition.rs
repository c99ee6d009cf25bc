//! The conditions of a strategy rule, compiled to small sets and ranges so matching an
//! account costs a few comparisons: DPD, days to the due date, bucket, kolektibilitas,
//! product, balance band and outstanding range, score, promise status, days since the last
//! contact, last outcome, paused. An absent condition matches everything.

use crate::money::Rupiah;
use crate::promise::PromiseStatus;

use super::facts::AccountFacts;

/// An inclusive range; a missing end is open.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Between<T> {
    /// The smallest value matched.
    pub min: Option<T>,
    /// The largest value matched.
    pub max: Option<T>,
}

impl<T: PartialOrd + Copy> Between<T> {
    /// Whether `v` lies in the range.
    pub fn contains(&self, v: T) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }
}

/// A set of small indexes (bucket positions, classes, products, bands, promise states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IndexSet(pub u64);

impl IndexSet {
    /// The set of the given indexes (each below 64).
    pub fn of(indexes: impl IntoIterator<Item = usize>) -> IndexSet {
        IndexSet(indexes.into_iter().fold(0, |acc, i| acc | (1u64 << i)))
    }

    /// Whether `i` is in the set.
    pub fn has(self, i: usize) -> bool {
        i < 64 && self.0 & (1u64 << i) != 0
    }
}

/// The promise states a rule can name: `none` (no promise within the look-back) and the
/// five statuses, at these positions.
pub const PROMISE_STATES: &[&str] = &[
    "none",
    "pending",
    "kept",
    "partially_kept",
    "broken",
    "cancelled",
];

/// The position of an account's promise state in `PROMISE_STATES`.
pub fn promise_state(status: Option<PromiseStatus>) -> usize {
    match status {
        None => 0,
        Some(PromiseStatus::Pending) => 1,
        Some(PromiseStatus::Kept) => 2,
        Some(PromiseStatus::PartiallyKept) => 3,
        Some(PromiseStatus::Broken) => 4,
        Some(PromiseStatus::Cancelled) => 5,
    }
}

/// The compiled conditions of one rule.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conditions {
    /// DPD range.
    pub dpd: Option<Between<u32>>,
    /// Days until the due date (only accounts with a due date ahead match).
    pub days_to_due: Option<Between<u32>>,
    /// Bucket positions.
    pub buckets: Option<IndexSet>,
    /// Kolektibilitas classes 1..=5.
    pub kolektibilitas: Option<IndexSet>,
    /// Products, by position in `ProductType::ALL`.
    pub products: Option<IndexSet>,
    /// Balance bands, by position in the strategy's bands.
    pub bands: Option<IndexSet>,
    /// Outstanding range in rupiah.
    pub outstanding: Option<Between<Rupiah>>,
    /// Score range; an account without a score never matches a score condition.
    pub score: Option<Between<f64>>,
    /// Promise states, by position in `PROMISE_STATES`.
    pub promise: Option<IndexSet>,
    /// Promise date relative to the run (1 = promised for yesterday); needs a promise.
    pub days_since_promised: Option<Between<i64>>,
    /// Days since the last contact; never contacted counts as longer ago than any `max`,
    /// so it matches only ranges without one.
    pub days_since_contact: Option<Between<u32>>,
    /// Last interaction outcome codes; accounts without interactions do not match.
    pub last_outcome: Option<Vec<String>>,
    /// Paused or not.
    pub paused: Option<bool>,
}

impl Conditions {
    /// Whether the account meets every condition. `band` is the account's balance band.
    pub fn matches(&self, a: &AccountFacts<'_>, band: usize) -> bool {
        let product = crate::product::ProductType::ALL
            .iter()
            .position(|p| *p == a.product)
            .unwrap_or(usize::MAX);
        self.paused.is_none_or(|p| p == a.paused)
            && self.dpd.is_none_or(|r| r.contains(a.dpd.days()))
            && self
                .days_to_due
                .is_none_or(|r| a.days_to_due.is_some_and(|d| r.contains(d)))
            && self.buckets.is_none_or(|s| s.has(a.bucket))
            && self
                .kolektibilitas
                .is_none_or(|s| s.has(usize::from(a.kolektibilitas.class())))
            && self.products.is_none_or(|s| s.has(product))
            && self.bands.is_none_or(|s| s.has(band))
            && self.outstanding.is_none_or(|r| r.contains(a.outstanding))
            && self
                .score
                .is_none_or(|r| a.score.is_some_and(|s| r.contains(s)))
            && self
                .promise
                .is_none_or(|s| s.has(promise_state(a.promise.map(|p| p.status))))
            && self
                .days_since_promised
                .is_none_or(|r| a.promise.is_some_and(|p| r.contains(p.days_since_promised)))
            && self
                .days_since_contact
                .is_none_or(|r| match a.days_since_contact {
                    Some(d) => r.contains(d),
                    None => r.max.is_none(),
                })
            && self
                .last_outcome
                .as_ref()
                .is_none_or(|codes| a.last_outcome.is_some_and(|o| codes.iter().any(|c| c == o)))
    }
}
