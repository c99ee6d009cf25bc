//! Instalment schedules (annuity and flat) generated from principal, rate and tenor.
//!
//! Money stays integer: the periodic payment is computed in exact fixed-point arithmetic
//! and rounded to whole rupiah; the last instalment absorbs the rounding so principal
//! always sums to the amount lent.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::money::Rupiah;
use crate::rate::Rate;

/// How instalments are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleMethod {
    /// Equal instalments; interest on the declining balance (anuitas).
    Annuity,
    /// Interest on the original principal every month (bunga flat), as multifinance quotes.
    Flat,
}

impl ScheduleMethod {
    /// `annuity` or `flat`.
    pub const fn code(self) -> &'static str {
        match self {
            ScheduleMethod::Annuity => "annuity",
            ScheduleMethod::Flat => "flat",
        }
    }

    /// Parses `annuity`/`anuitas`/`efektif` or `flat`.
    pub fn parse(text: &str) -> Option<ScheduleMethod> {
        match text.trim().to_lowercase().as_str() {
            "annuity" | "anuitas" | "efektif" | "effective" => Some(ScheduleMethod::Annuity),
            "flat" => Some(ScheduleMethod::Flat),
            _ => None,
        }
    }
}

/// The contractual terms a schedule is generated from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanTerms {
    /// Amount lent (plafon).
    pub principal: Rupiah,
    /// Nominal annual interest rate.
    pub annual_rate: Rate,
    /// Number of monthly instalments (1 for an invoice or bullet loan).
    pub tenor_months: u32,
    /// Due date of the first instalment; later ones fall on the same day of each month
    /// (clamped to the month's last day).
    pub first_due: NaiveDate,
    /// Annuity or flat.
    pub method: ScheduleMethod,
}

/// One instalment of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    /// 1-based number.
    pub seq: u32,
    /// Due date.
    pub due_date: NaiveDate,
    /// Principal part.
    pub principal: Rupiah,
    /// Interest part.
    pub interest: Rupiah,
}

impl Instalment {
    /// Principal plus interest.
    pub fn total(&self) -> Rupiah {
        self.principal + self.interest
    }
}

/// Terms that cannot make a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// No instalments at all.
    #[error("tenor must be at least one month")]
    ZeroTenor,
    /// Longer than any real loan (50 years); guards against typos such as days for months.
    #[error("tenor of {0} months is longer than the maximum of {MAX_TENOR_MONTHS}")]
    TenorTooLong(u32),
    /// Nothing lent.
    #[error("principal must be above zero, got {0}")]
    NonPositivePrincipal(Rupiah),
    /// An amount of the schedule does not fit in rupiah (absurd rate or principal).
    #[error("the schedule's amounts are too large to represent")]
    Overflow,
}

/// The longest tenor accepted: 50 years of monthly instalments.
pub const MAX_TENOR_MONTHS: u32 = 600;

/// A nominal annual rate in ppm becomes a monthly rate of `ppm / MONTHLY_DENOMINATOR`.
const MONTHLY_DENOMINATOR: u128 = 12 * 1_000_000;

/// Fixed-point scale of the annuity factor. With 10^30 the factor's rounding error stays
/// below 10^-26 after 600 months, far under a rupiah for any principal an `i64` can hold at
/// any rate this module accepts, so the payment is the exactly rounded one in practice.
const SCALE: u128 = 1_000_000_000_000_000_000_000_000_000_000;

/// The due date of instalment `seq` (1-based): `first_due` moved `seq − 1` months on,
/// clamped to the end of shorter months. The day of `first_due` stays the anchor, so
/// 31 Jan → 29 Feb → 31 Mar. `seq` 0 is read as 1; dates past chrono's range saturate at
/// `NaiveDate::MAX`.
pub fn due_date(first_due: NaiveDate, seq: u32) -> NaiveDate {
    first_due
        .checked_add_months(Months::new(seq.saturating_sub(1)))
        .unwrap_or(NaiveDate::MAX)
}

/// The regular instalment (principal + interest) of a loan: the annuity payment, or for
/// flat and zero-rate loans the equal principal share plus the monthly interest. The last
/// instalment may differ by the rounding it absorbs.
pub fn instalment_amount(terms: &LoanTerms) -> Result<Rupiah, ScheduleError> {
    validate(terms)?;
    let principal = terms.principal.value();
    let n = i64::from(terms.tenor_months);
    match terms.method {
        ScheduleMethod::Annuity if terms.annual_rate.ppm() > 0 => annuity_payment(terms),
        _ => {
            let interest = monthly_interest(terms.principal, terms.annual_rate)?;
            let total = (principal / n)
                .checked_add(interest.value())
                .ok_or(ScheduleError::Overflow)?;
            Ok(Rupiah::new(total))
        }
    }
}

/// The instalments of a loan, oldest first; their principal sums exactly to the amount lent.
///
/// Annuity: equal payments; each month's interest is the balance × annual rate / 12,
/// rounded half up, and the principal part is the rest of the payment; the last instalment
/// repays whatever principal remains. Annuity at 0%: equal principal. Flat: every month the
/// same interest on the original principal, and the principal split equally with the
/// division remainder on the last instalment.
pub fn generate(terms: &LoanTerms) -> Result<Vec<Instalment>, ScheduleError> {
    validate(terms)?;
    let n = terms.tenor_months;
    let amortising = terms.method == ScheduleMethod::Annuity && terms.annual_rate.ppm() > 0;
    let payment = instalment_amount(terms)?;
    let flat_interest = monthly_interest(terms.principal, terms.annual_rate)?;
    let equal_share = Rupiah::new(terms.principal.value() / i64::from(n));
    let mut balance = terms.principal;
    let mut out = Vec::with_capacity(n as usize);
    for seq in 1..=n {
        let (interest, principal) = if amortising {
            let interest = monthly_interest(balance, terms.annual_rate)?;
            // Clamped so rounding can never repay more than is left, nor go negative.
            let principal = (payment - interest).clamp_zero().min(balance);
            (interest, principal)
        } else {
            (flat_interest, equal_share)
        };
        let principal = if seq == n { balance } else { principal };
        balance -= principal;
        out.push(Instalment {
            seq,
            due_date: due_date(terms.first_due, seq),
            principal,
            interest,
        });
    }
    Ok(out)
}

fn validate(terms: &LoanTerms) -> Result<(), ScheduleError> {
    if terms.tenor_months == 0 {
        return Err(ScheduleError::ZeroTenor);
    }
    if terms.tenor_months > MAX_TENOR_MONTHS {
        return Err(ScheduleError::TenorTooLong(terms.tenor_months));
    }
    if !terms.principal.is_positive() {
        return Err(ScheduleError::NonPositivePrincipal(terms.principal));
    }
    Ok(())
}

/// One month's interest on `amount` (≥ 0): amount × annual rate / 12, rounded half up.
fn monthly_interest(amount: Rupiah, annual_rate: Rate) -> Result<Rupiah, ScheduleError> {
    let amount = u128::try_from(amount.value()).map_err(|_| ScheduleError::Overflow)?;
    let n = amount * u128::from(annual_rate.ppm());
    let q = (n + MONTHLY_DENOMINATOR / 2) / MONTHLY_DENOMINATOR;
    to_rupiah(q)
}

/// The annuity payment `P·r / (1 − (1+r)^−n)`, r = annual / 12, rounded half up.
///
/// Computed on the discount factor v = 1/(1+r) < 1 so that vⁿ never overflows, in fixed
/// point at `SCALE`, with a 256-bit intermediate for every product.
fn annuity_payment(terms: &LoanTerms) -> Result<Rupiah, ScheduleError> {
    let a = u128::from(terms.annual_rate.ppm());
    let b = MONTHLY_DENOMINATOR;
    let overflow = ScheduleError::Overflow;
    let v = mul_div_round(SCALE, b, a + b).ok_or(overflow)?;
    let vn = pow_fixed(v, terms.tenor_months).ok_or(overflow)?;
    // v < SCALE for any positive rate, so 1 − vⁿ > 0 (it is at least 1 − v ≈ r).
    let one_minus_vn = SCALE - vn;
    let principal = u128::try_from(terms.principal.value()).map_err(|_| overflow)?;
    // P·r / (1 − vⁿ) = P·a·SCALE / (b · (SCALE − vⁿ·SCALE)).
    let denominator = b.checked_mul(one_minus_vn).ok_or(overflow)?;
    let payment = mul_div_round(principal * a, SCALE, denominator).ok_or(overflow)?;
    to_rupiah(payment)
}

fn to_rupiah(value: u128) -> Result<Rupiah, ScheduleError> {
    i64::try_from(value)
        .map(Rupiah::new)
        .map_err(|_| ScheduleError::Overflow)
}

/// `base^exp` for a fixed-point `base` at `SCALE`, by squaring, each product rounded.
fn pow_fixed(base: u128, exp: u32) -> Option<u128> {
    let mut result = SCALE;
    let mut base = base;
    let mut exp = exp;
    while exp > 0 {
        if exp & 1 == 1 {
            result = mul_div_round(result, base, SCALE)?;
        }
        exp >>= 1;
        if exp > 0 {
            base = mul_div_round(base, base, SCALE)?;
        }
    }
    Some(result)
}

/// `x · y / z` rounded half up, exact through a 256-bit product; None if `z` is 0 or the
/// quotient does not fit in 128 bits.
fn mul_div_round(x: u128, y: u128, z: u128) -> Option<u128> {
    if z == 0 {
        return None;
    }
    let (hi, lo) = mul_wide(x, y);
    if hi >= z {
        return None;
    }
    // Schoolbook binary long division of (hi, lo) by z; `rem < z` throughout, and the bit
    // shifted out of `rem` is kept so that divisors above 2^127 still work.
    let mut rem = hi;
    let mut quotient: u128 = 0;
    for i in (0..128).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((lo >> i) & 1);
        quotient <<= 1;
        if carry == 1 || rem >= z {
            rem = rem.wrapping_sub(z);
            quotient |= 1;
        }
    }
    if rem >= z - rem {
        quotient = quotient.checked_add(1)?;
    }
    Some(quotient)
}

/// The full 256-bit product of two u128 as (high, low) halves.
fn mul_wide(x: u128, y: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (x1, x0) = (x >> 64, x & MASK);
    let (y1, y0) = (y >> 64, y & MASK);
    let p00 = x0 * y0;
    let p01 = x0 * y1;
    let p10 = x1 * y0;
    let p11 = x1 * y1;
    // Middle column: the high half of p00 plus the low halves of the cross products.
    let middle = (p00 >> 64) + (p01 & MASK) + (p10 & MASK);
    let lo = (middle << 64) | (p00 & MASK);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
    (hi, lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn terms(principal: i64, rate_ppm: u32, tenor: u32, method: ScheduleMethod) -> LoanTerms {
        LoanTerms {
            principal: Rupiah::new(principal),
            annual_rate: Rate::from_ppm(rate_ppm),
            tenor_months: tenor,
            first_due: d("2026-01-31"),
            method,
        }
    }

    #[test]
    fn annuity_of_100_million_at_12_percent_for_a_year_pays_8_884_879() {
        // Exact: 100.000.000 × 0,01 / (1 − 1,01^−12) = 8.884.878,87 → 8.884.879.
        let t = terms(100_000_000, 120_000, 12, ScheduleMethod::Annuity);
        assert_eq!(instalment_amount(&t), Ok(Rupiah::new(8_884_879)));
        let s = generate(&t).unwrap();
        assert_eq!(s.len(), 12);
        assert_eq!(
            (s[0].interest, s[0].principal),
            (Rupiah::new(1_000_000), Rupiah::new(7_884_879))
        );
        assert_eq!(
            (s[1].interest, s[1].principal),
            (Rupiah::new(921_151), Rupiah::new(7_963_728))
        );
        // The last instalment repays the rest: 8.796.907 principal + 87.969 interest.
        assert_eq!(
            (s[11].interest, s[11].principal),
            (Rupiah::new(87_969), Rupiah::new(8_796_907))
        );
        assert!(s[..11].iter().all(|i| i.total() == Rupiah::new(8_884_879)));
        let interest: Rupiah = s.iter().map(|i| i.interest).sum();
        assert_eq!(interest, Rupiah::new(6_618_545));
    }

    #[test]
    fn flat_interest_is_charged_on_the_original_principal() {
        // 10.000.000 at 24% flat for 7 months: interest 200.000 a month; principal
        // 1.428.571 × 6 and 1.428.574 on the last.
        let t = terms(10_000_000, 240_000, 7, ScheduleMethod::Flat);
        assert_eq!(instalment_amount(&t), Ok(Rupiah::new(1_628_571)));
        let s = generate(&t).unwrap();
        assert!(s.iter().all(|i| i.interest == Rupiah::new(200_000)));
        assert!(s[..6].iter().all(|i| i.principal == Rupiah::new(1_428_571)));
        assert_eq!(s[6].principal, Rupiah::new(1_428_574));
    }

    #[test]
    fn zero_rate_annuity_splits_principal_equally() {
        let t = terms(1_000, 0, 3, ScheduleMethod::Annuity);
        assert_eq!(instalment_amount(&t), Ok(Rupiah::new(333)));
        let s = generate(&t).unwrap();
        let parts: Vec<i64> = s.iter().map(|i| i.principal.value()).collect();
        assert_eq!(parts, [333, 333, 334]);
        assert!(s.iter().all(|i| i.interest.is_zero()));
    }

    #[test]
    fn a_bullet_loan_is_one_instalment() {
        let t = terms(5_000_000, 120_000, 1, ScheduleMethod::Annuity);
        let s = generate(&t).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].principal, Rupiah::new(5_000_000));
        assert_eq!(s[0].interest, Rupiah::new(50_000));
        assert_eq!(instalment_amount(&t), Ok(Rupiah::new(5_050_000)));
    }

    #[test]
    fn due_dates_keep_the_first_day_as_anchor() {
        let first = d("2024-01-31");
        let dates: Vec<String> = (1..=5).map(|k| due_date(first, k).to_string()).collect();
        assert_eq!(
            dates,
            [
                "2024-01-31",
                "2024-02-29",
                "2024-03-31",
                "2024-04-30",
                "2024-05-31"
            ]
        );
        assert_eq!(due_date(d("2025-01-31"), 2), d("2025-02-28"));
        assert_eq!(due_date(d("2025-01-15"), 13), d("2026-01-15"));
        assert_eq!(due_date(first, 0), first);
        assert_eq!(due_date(NaiveDate::MAX, 2), NaiveDate::MAX);
    }

    #[test]
    fn schedules_use_the_anchored_due_dates() {
        let s = generate(&terms(1_000_000, 120_000, 3, ScheduleMethod::Flat)).unwrap();
        let dates: Vec<NaiveDate> = s.iter().map(|i| i.due_date).collect();
        assert_eq!(dates, [d("2026-01-31"), d("2026-02-28"), d("2026-03-31")]);
        assert_eq!(s.iter().map(|i| i.seq).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn bad_terms_are_refused() {
        let ok = terms(1_000_000, 120_000, 12, ScheduleMethod::Annuity);
        let zero_tenor = LoanTerms {
            tenor_months: 0,
            ..ok
        };
        assert_eq!(generate(&zero_tenor), Err(ScheduleError::ZeroTenor));
        let long = LoanTerms {
            tenor_months: 601,
            ..ok
        };
        assert_eq!(generate(&long), Err(ScheduleError::TenorTooLong(601)));
        assert!(generate(&LoanTerms {
            tenor_months: 600,
            ..ok
        })
        .is_ok());
        for p in [0, -1, i64::MIN] {
            let t = LoanTerms {
                principal: Rupiah::new(p),
                ..ok
            };
            assert_eq!(
                instalment_amount(&t),
                Err(ScheduleError::NonPositivePrincipal(Rupiah::new(p)))
            );
        }
    }

    #[test]
    fn absurd_amounts_overflow_instead_of_wrapping() {
        let t = terms(i64::MAX, u32::MAX, 600, ScheduleMethod::Annuity);
        assert_eq!(generate(&t), Err(ScheduleError::Overflow));
        let t = terms(i64::MAX, u32::MAX, 600, ScheduleMethod::Flat);
        assert_eq!(instalment_amount(&t), Err(ScheduleError::Overflow));
    }

    #[test]
    fn wide_division_is_exact() {
        assert_eq!(mul_div_round(7, 3, 2), Some(11)); // 10,5 → 11
        assert_eq!(
            mul_div_round(u128::MAX, u128::MAX, u128::MAX),
            Some(u128::MAX)
        );
        assert_eq!(mul_div_round(u128::MAX, 2, 4), Some(u128::MAX / 2 + 1));
        assert_eq!(mul_div_round(u128::MAX, 2, 1), None);
        assert_eq!(mul_div_round(1, 1, 0), None);
        assert_eq!(mul_div_round(1 << 127, 4, (1 << 127) + 1), Some(4));
    }

    proptest! {
        #[test]
        fn principal_always_sums_to_the_amount_lent(
            principal in 1i64..10_000_000_000_000,
            rate in 0u32..=600_000,
            tenor in 1u32..=360,
            flat in any::<bool>(),
        ) {
            let method = if flat { ScheduleMethod::Flat } else { ScheduleMethod::Annuity };
            let t = terms(principal, rate, tenor, method);
            let s = generate(&t).unwrap();
            prop_assert_eq!(s.len(), tenor as usize);
            let total: Rupiah = s.iter().map(|i| i.principal).sum();
            prop_assert_eq!(total, Rupiah::new(principal));
            prop_assert!(s.iter().all(|i| !i.principal.is_negative() && !i.interest.is_negative()));
            prop_assert!(s.windows(2).all(|w| w[0].due_date < w[1].due_date));
            let regular = instalment_amount(&t).unwrap();
            prop_assert_eq!(s[0].total(), regular);
        }

        #[test]
        fn wide_division_matches_narrow_division(x in any::<u64>(), y in any::<u64>(), z in 1u64..) {
            let (x, y, z) = (u128::from(x), u128::from(y), u128::from(z));
            let expected = (x * y + z / 2) / z;
            // Half up: the narrow formula rounds 0,5 up for even z; for odd z there is no tie.
            prop_assert_eq!(mul_div_round(x, y, z), Some(expected));
        }
    }
}
