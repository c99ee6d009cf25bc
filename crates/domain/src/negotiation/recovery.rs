//! What an option is worth to the creditor: the present value of its payments times the
//! probability that the debtor keeps it.
//!
//! All integer: discount factors are fixed point at 10^18, probabilities parts per million.
//! The probability is a placeholder until the scoring model exists: the debtor's promise
//! history (kept ÷ made, with a prior so a first-time debtor is not 0% or 100%), lowered
//! when the option asks more than the assessed ability and for every month it lasts.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::Rupiah;
use crate::rate::Rate;

/// How options are valued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecoveryPolicy {
    /// Annual rate money is discounted at, compounded daily (default 12%).
    pub discount_rate: Rate,
    /// Promises kept in the prior (default 1 of 2: a debtor without history counts 50%).
    pub prior_kept: u32,
    /// Promises made in the prior.
    pub prior_made: u32,
    /// Chance lost for each month a plan runs beyond the first payment (default 2%).
    pub monthly_attrition: Rate,
    /// A lump sum (payoff, settlement, down payment) is affordable up to this many months
    /// of the recommended payment: savings, family, a bonus (default 3).
    pub lump_sum_months: u32,
    /// The affordability factor never falls below this (default 10%): people sometimes
    /// find money the assessment did not see.
    pub min_affordability: Rate,
}

impl Default for RecoveryPolicy {
    fn default() -> Self {
        RecoveryPolicy {
            discount_rate: Rate::from_ppm(120_000),
            prior_kept: 1,
            prior_made: 2,
            monthly_attrition: Rate::from_ppm(20_000),
            lump_sum_months: 3,
            min_affordability: Rate::from_ppm(100_000),
        }
    }
}

/// The debtor's promises to pay so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseHistory {
    /// Promises made.
    pub made: u32,
    /// Promises kept (≤ made).
    pub kept: u32,
}

/// A probability in parts per million (0 ..= 1 000 000).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Probability(u32);

const PPM: u32 = 1_000_000;

impl Probability {
    /// Certainty.
    pub const ONE: Probability = Probability(PPM);

    /// From parts per million, clamped to 1.
    pub fn from_ppm(ppm: u32) -> Probability {
        Probability(ppm.min(PPM))
    }

    /// Parts per million.
    pub const fn ppm(self) -> u32 {
        self.0
    }

    /// Both: `self × other`, rounded half up.
    pub fn and(self, other: Probability) -> Probability {
        let n = u64::from(self.0) * u64::from(other.0);
        Probability(((n + u64::from(PPM) / 2) / u64::from(PPM)) as u32)
    }
}

impl fmt::Display for Probability {
    /// As a percentage to one decimal with the Indonesian decimal comma, e.g. `42,5%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Rate::from_ppm((self.0 + 500) / 1_000 * 1_000).fmt(f)
    }
}

/// The value of one option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recovery {
    /// Present value of the payments on the negotiation date.
    pub present_value: Rupiah,
    /// Probability the debtor keeps the option.
    pub probability: Probability,
    /// `present_value × probability`, rounded half up.
    pub expected: Rupiah,
}

/// The probability a debtor keeps a promise, from their history and the prior.
pub fn keep_probability(history: PromiseHistory, policy: &RecoveryPolicy) -> Probability {
    let kept = u64::from(history.kept.min(history.made)) + u64::from(policy.prior_kept);
    let made = u64::from(history.made) + u64::from(policy.prior_made);
    if made == 0 {
        return Probability::ONE;
    }
    Probability::from_ppm(((kept * u64::from(PPM) + made / 2) / made).min(u64::from(PPM)) as u32)
}

/// What the debtor can pay towards payment `i` of `amounts`: `recommended`, or for a first
/// payment larger than the regular one (a lump sum or down payment) `lump_sum_months` ×
/// `recommended`.
pub fn capacity(
    i: usize,
    amounts: &[Rupiah],
    recommended: Rupiah,
    policy: &RecoveryPolicy,
) -> Rupiah {
    let regular = amounts.get(1).copied().unwrap_or(Rupiah::ZERO);
    let lump = i == 0 && amounts.first().is_some_and(|a| *a > regular);
    if lump {
        Rupiah::new(
            recommended
                .value()
                .saturating_mul(i64::from(policy.lump_sum_months)),
        )
    } else {
        recommended
    }
}

/// How affordable a schedule is: for each payment its `capacity` over the amount (capped at
/// 1), the smallest over all payments, never below `min_affordability`.
pub fn affordability(
    amounts: &[Rupiah],
    recommended: Rupiah,
    policy: &RecoveryPolicy,
) -> Probability {
    let floor = Probability::from_ppm(policy.min_affordability.ppm());
    let mut worst = Probability::ONE;
    for (i, amount) in amounts.iter().enumerate() {
        if !amount.is_positive() {
            continue;
        }
        let capacity = capacity(i, amounts, recommended, policy);
        let ratio =
            i128::from(capacity.value().max(0)) * i128::from(PPM) / i128::from(amount.value());
        worst = worst.min(Probability::from_ppm(ratio.min(i128::from(PPM)) as u32));
    }
    worst.max(floor)
}

/// The chance a plan survives `months` months of attrition: `(1 − attrition)^months`.
pub fn survival(months: u32, policy: &RecoveryPolicy) -> Probability {
    let step = Probability::from_ppm(PPM - policy.monthly_attrition.ppm().min(PPM));
    let mut p = Probability::ONE;
    for _ in 0..months {
        p = p.and(step);
    }
    p
}

/// Fixed-point scale of discount factors.
const SCALE: i128 = 1_000_000_000_000_000_000;

/// The present value on `as_of` of payments in date order, discounted daily at the annual
/// `rate` / 365. Payments on or before `as_of` count in full.
pub fn present_value(as_of: NaiveDate, payments: &[(NaiveDate, Rupiah)], rate: Rate) -> Rupiah {
    let days_per_year = 365 * i128::from(PPM);
    let daily = SCALE * days_per_year / (days_per_year + i128::from(rate.ppm()));
    // Schedules repeat the same month lengths; remembering each gap's factor keeps a
    // 240-month schedule to a few hundred multiplications.
    let mut memo: Vec<(i64, i128)> = Vec::with_capacity(8);
    let mut factor = SCALE;
    let mut last = as_of;
    let mut sum: i128 = 0;
    for &(date, amount) in payments {
        let gap = (date - last).num_days();
        if gap > 0 {
            let step = match memo.iter().find(|(g, _)| *g == gap) {
                Some((_, f)) => *f,
                None => {
                    let f = pow(daily, gap);
                    memo.push((gap, f));
                    f
                }
            };
            factor = factor * step / SCALE;
            last = date;
        }
        sum += i128::from(amount.value()) * factor;
    }
    Rupiah::new(((sum + SCALE / 2) / SCALE) as i64)
}

/// `base^exp` in fixed point, by squaring (base ≤ SCALE, so nothing overflows).
fn pow(base: i128, exp: i64) -> i128 {
    let mut result = SCALE;
    let mut base = base;
    let mut exp = exp;
    while exp > 0 {
        if exp & 1 == 1 {
            result = result * base / SCALE;
        }
        exp >>= 1;
        if exp > 0 {
            base = base * base / SCALE;
        }
    }
    result
}

/// Values a schedule whose first payment is kept with probability `keep`: present value,
/// `keep` lowered by a month of attrition for every later payment, and their product.
pub fn value(
    as_of: NaiveDate,
    payments: &[(NaiveDate, Rupiah)],
    keep: Probability,
    policy: &RecoveryPolicy,
) -> Recovery {
    let present_value = present_value(as_of, payments, policy.discount_rate);
    let months = u32::try_from(payments.len().saturating_sub(1)).unwrap_or(u32::MAX);
    let probability = keep.and(survival(months, policy));
    Recovery {
        present_value,
        probability,
        expected: present_value.mul_ratio(i64::from(probability.ppm()), i64::from(PPM)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rp(v: i64) -> Rupiah {
        Rupiah::new(v)
    }

    #[test]
    fn history_with_the_prior_gives_the_keep_probability() {
        let p = RecoveryPolicy::default();
        let k = |made, kept| keep_probability(PromiseHistory { made, kept }, &p).ppm();
        assert_eq!(k(0, 0), 500_000);
        assert_eq!(k(3, 1), 400_000); // (1 + 1) / (3 + 2)
        assert_eq!(k(8, 8), 900_000); // 9 / 10
        assert_eq!(k(2, 5), 750_000); // kept is read as at most made
    }

    #[test]
    fn a_year_ahead_at_twelve_percent_is_worth_about_eleven_percent_less() {
        let pv = present_value(
            d("2026-01-01"),
            &[(d("2027-01-01"), rp(1_000_000))],
            Rate::from_ppm(120_000),
        );
        // 1.000.000 / (1 + 0,12/365)^365 = 886.937,9…
        assert_eq!(pv, rp(886_938));
        let today = present_value(
            d("2026-01-01"),
            &[(d("2026-01-01"), rp(5))],
            Rate::from_ppm(120_000),
        );
        assert_eq!(today, rp(5));
    }

    #[test]
    fn an_unaffordable_instalment_lowers_the_probability() {
        let p = RecoveryPolicy::default();
        // 500.000 a month against 1.000.000 recommended: fully affordable.
        assert_eq!(
            affordability(&[rp(500_000), rp(500_000)], rp(1_000_000), &p),
            Probability::ONE
        );
        // 2.000.000 a month: half. A lump of 2.500.000 is within 3 months of capacity.
        assert_eq!(
            affordability(&[rp(2_500_000), rp(2_000_000)], rp(1_000_000), &p).ppm(),
            500_000
        );
        // No capacity at all: the floor.
        assert_eq!(affordability(&[rp(100)], Rupiah::ZERO, &p).ppm(), 100_000);
    }

    #[test]
    fn longer_plans_lose_two_percent_a_month() {
        let p = RecoveryPolicy::default();
        assert_eq!(survival(0, &p), Probability::ONE);
        assert_eq!(survival(1, &p).ppm(), 980_000);
        assert_eq!(survival(2, &p).ppm(), 960_400);
    }

    #[test]
    fn expected_recovery_is_value_times_probability() {
        let p = RecoveryPolicy::default();
        let r = value(
            d("2026-01-01"),
            &[(d("2026-01-01"), rp(1_000_000))],
            Probability::from_ppm(500_000),
            &p,
        );
        assert_eq!(r.present_value, rp(1_000_000));
        assert_eq!(r.expected, rp(500_000));
        assert_eq!(r.probability.to_string(), "50%");
    }
}
