//! Late-payment penalty (denda): a daily rate on the overdue amount, capped.
//!
//! For P2P, OJK caps daily charges and total charges (verify the current caps): the caps
//! are configuration, and the product never computes a charge above them.

use serde::{Deserialize, Serialize};

use crate::money::Rupiah;
use crate::rate::Rate;

/// How penalty accrues and where it stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyPolicy {
    /// Penalty per day on the overdue amount.
    pub daily_rate: Rate,
    /// The most penalty an account may carry, as a share of its original principal.
    pub cap_of_principal: Rate,
}

impl Default for PenaltyPolicy {
    /// 0,1% of the overdue amount per day, capped at 100% of the principal (verify: the
    /// OJK P2P caps change; load the real ones from configuration).
    fn default() -> Self {
        PenaltyPolicy {
            daily_rate: Rate::from_ppm(1_000),
            cap_of_principal: Rate::from_ppm(1_000_000),
        }
    }
}

impl PenaltyPolicy {
    /// The most penalty an account with this principal may carry in total.
    pub fn cap(&self, principal: Rupiah) -> Rupiah {
        rate_times(self.cap_of_principal, principal.clamp_zero(), 1)
    }

    /// The penalty to add for `days` days on `overdue`, given `already` accrued penalty:
    /// `daily_rate × overdue × days`, rounded half up to whole rupiah, and cut so that
    /// `already + new` never exceeds the cap. Never negative: a negative overdue amount or
    /// an account already at (or over) its cap accrues nothing.
    pub fn accrue(&self, overdue: Rupiah, days: u32, already: Rupiah, principal: Rupiah) -> Rupiah {
        let raw = rate_times(self.daily_rate, overdue.clamp_zero(), days);
        let room = i128::from(self.cap(principal).value()) - i128::from(already.value());
        let room = Rupiah::new(i64::try_from(room.max(0)).unwrap_or(i64::MAX));
        raw.min(room)
    }
}

/// `rate × amount × times` for a non-negative amount, rounded half up, saturating at
/// `i64::MAX` (only absurd inputs reach it; a cap must never wrap into a small number).
fn rate_times(rate: Rate, amount: Rupiah, times: u32) -> Rupiah {
    let n = i128::from(amount.value()) * i128::from(rate.ppm()) * i128::from(times);
    let q = (n + 500_000) / 1_000_000;
    Rupiah::new(i64::try_from(q).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rp(v: i64) -> Rupiah {
        Rupiah::new(v)
    }

    #[test]
    fn default_is_a_tenth_of_a_percent_a_day_capped_at_the_principal() {
        let p = PenaltyPolicy::default();
        assert_eq!(p.daily_rate.to_string(), "0,1%");
        assert_eq!(p.cap_of_principal.to_string(), "100%");
        // 0,1% × 1.000.000 × 30 days = 30.000.
        assert_eq!(
            p.accrue(rp(1_000_000), 30, Rupiah::ZERO, rp(10_000_000)),
            rp(30_000)
        );
    }

    #[test]
    fn accrual_rounds_half_up() {
        let p = PenaltyPolicy::default();
        // 0,1% × 1.500 = 1,5 → 2; 0,1% × 1.499 = 1,499 → 1.
        assert_eq!(p.accrue(rp(1_500), 1, Rupiah::ZERO, rp(1_000_000)), rp(2));
        assert_eq!(p.accrue(rp(1_499), 1, Rupiah::ZERO, rp(1_000_000)), rp(1));
    }

    #[test]
    fn accrual_stops_at_the_cap() {
        let p = PenaltyPolicy {
            daily_rate: Rate::from_ppm(10_000),
            cap_of_principal: Rate::from_ppm(500_000),
        };
        // Cap 50% × 1.000.000 = 500.000; 480.000 already; 1% × 1.000.000 × 5 = 50.000 → 20.000.
        assert_eq!(
            p.accrue(rp(1_000_000), 5, rp(480_000), rp(1_000_000)),
            rp(20_000)
        );
        assert_eq!(
            p.accrue(rp(1_000_000), 5, rp(500_000), rp(1_000_000)),
            Rupiah::ZERO
        );
        // Over the cap already (e.g. the cap was lowered): nothing more, never negative.
        assert_eq!(
            p.accrue(rp(1_000_000), 5, rp(900_000), rp(1_000_000)),
            Rupiah::ZERO
        );
    }

    #[test]
    fn nothing_overdue_or_no_days_accrue_nothing() {
        let p = PenaltyPolicy::default();
        assert_eq!(p.accrue(rp(0), 30, Rupiah::ZERO, rp(1_000)), Rupiah::ZERO);
        assert_eq!(
            p.accrue(rp(-500), 30, Rupiah::ZERO, rp(1_000)),
            Rupiah::ZERO
        );
        assert_eq!(p.accrue(rp(500), 0, Rupiah::ZERO, rp(1_000)), Rupiah::ZERO);
    }

    #[test]
    fn absurd_inputs_saturate_instead_of_overflowing() {
        let p = PenaltyPolicy {
            daily_rate: Rate::from_ppm(u32::MAX),
            cap_of_principal: Rate::from_ppm(u32::MAX),
        };
        let new = p.accrue(rp(i64::MAX), u32::MAX, Rupiah::ZERO, rp(i64::MAX));
        assert_eq!(new, rp(i64::MAX));
    }

    proptest! {
        #[test]
        fn total_penalty_never_exceeds_the_cap(
            daily in 0u32..100_000,
            cap in 0u32..2_000_000,
            overdue in -1_000_000i64..1_000_000_000_000,
            days in 0u32..2_000,
            already in 0i64..1_000_000_000_000,
            principal in 0i64..1_000_000_000_000,
        ) {
            let p = PenaltyPolicy {
                daily_rate: Rate::from_ppm(daily),
                cap_of_principal: Rate::from_ppm(cap),
            };
            let new = p.accrue(rp(overdue), days, rp(already), rp(principal));
            prop_assert!(!new.is_negative());
            let cap_amount = p.cap(rp(principal));
            prop_assert!(rp(already) + new <= cap_amount.max(rp(already)));
            if days == 0 {
                prop_assert_eq!(new, Rupiah::ZERO);
            }
        }
    }
}
