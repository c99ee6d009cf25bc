//! Rupiah amounts: whole rupiah in an `i64`, shown as `Rp1.250.000`.
//!
//! Indonesians type amounts with `.` as the thousands separator and `,` for decimals
//! (`Rp 1.250.000,00`); `parse` accepts those forms and plain digits, and refuses sen that
//! are not zero, because collection works in whole rupiah.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use serde::{Deserialize, Serialize};

/// An amount of money in whole rupiah (may be negative for reversals and credits).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Rupiah(i64);

/// Why a text is not an amount of rupiah.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Nothing but spaces or a currency sign.
    #[error("amount is empty")]
    Empty,
    /// A character that has no place in an amount.
    #[error("{0:?} is not an amount in rupiah")]
    Invalid(String),
    /// Non-zero sen (decimals): collection works in whole rupiah.
    #[error("{0:?} has sen (decimals); amounts are whole rupiah")]
    Fraction(String),
    /// Larger than any real debt (over 10^15 rupiah).
    #[error("{0:?} is too large")]
    TooLarge(String),
}

/// The largest amount we accept from outside: Rp1.000 triliun × 1.000.
const MAX_ABS: i64 = 1_000_000_000_000_000;

impl Rupiah {
    /// Zero rupiah.
    pub const ZERO: Rupiah = Rupiah(0);

    /// An amount of whole rupiah.
    pub const fn new(value: i64) -> Self {
        Rupiah(value)
    }

    /// The amount in whole rupiah.
    pub const fn value(self) -> i64 {
        self.0
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// True below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// True above zero.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Rupiah) -> Rupiah {
        Rupiah(self.0.min(other.0))
    }

    /// The larger of two amounts.
    pub fn max(self, other: Rupiah) -> Rupiah {
        Rupiah(self.0.max(other.0))
    }

    /// Zero when negative.
    pub fn clamp_zero(self) -> Rupiah {
        self.max(Rupiah::ZERO)
    }

    /// Parses what people type: `1.250.000`, `Rp 1.250.000,00`, `1250000`, `-Rp5.000`.
    ///
    /// A single `.` or `,` followed by exactly one or two digits at the end is read as
    /// sen; every other `.` or `,` is a thousands separator.
    pub fn parse(text: &str) -> Result<Rupiah, MoneyError> {
        let trimmed = text.trim();
        let (negative, rest) = match trimmed.strip_prefix('-') {
            Some(r) => (true, r.trim_start()),
            None => (false, trimmed),
        };
        let rest = strip_currency(rest);
        let rest = rest.trim();
        if rest.is_empty() {
            return Err(MoneyError::Empty);
        }
        let invalid = || MoneyError::Invalid(text.to_string());
        let (whole, fraction) = split_fraction(rest);
        let mut value: i64 = 0;
        let mut digits = 0;
        for c in whole.chars() {
            match c {
                '0'..='9' => {
                    value = value
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(i64::from(c as u8 - b'0')))
                        .ok_or_else(|| MoneyError::TooLarge(text.to_string()))?;
                    digits += 1;
                }
                '.' | ',' | ' ' | '\u{a0}' => {}
                _ => return Err(invalid()),
            }
        }
        if digits == 0 {
            return Err(invalid());
        }
        if let Some(f) = fraction {
            if !f.chars().all(|c| c.is_ascii_digit()) {
                return Err(invalid());
            }
            if f.chars().any(|c| c != '0') {
                return Err(MoneyError::Fraction(text.to_string()));
            }
        }
        if value > MAX_ABS {
            return Err(MoneyError::TooLarge(text.to_string()));
        }
        Ok(Rupiah(if negative { -value } else { value }))
    }

    /// Multiplies by `numerator / denominator`, rounding half away from zero.
    pub fn mul_ratio(self, numerator: i64, denominator: i64) -> Rupiah {
        assert!(denominator > 0, "mul_ratio denominator must be positive");
        let n = i128::from(self.0) * i128::from(numerator);
        let d = i128::from(denominator);
        let q = if n >= 0 {
            (n + d / 2) / d
        } else {
            (n - d / 2) / d
        };
        Rupiah(q as i64)
    }

    /// The amount in words, e.g. "satu juta dua ratus lima puluh ribu rupiah".
    pub fn terbilang(self) -> String {
        crate::terbilang::terbilang_rupiah(self.0)
    }
}

fn strip_currency(s: &str) -> &str {
    for prefix in ["Rp.", "RP.", "rp.", "Rp", "RP", "rp", "IDR", "idr"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return rest;
        }
    }
    s
}

/// Splits a trailing decimal part (one separator followed by 1–2 digits, or `,` followed
/// by any digits when `,` appears once and after every `.`).
fn split_fraction(s: &str) -> (&str, Option<&str>) {
    if let Some(pos) = s.rfind([',', '.']) {
        let sep = s.as_bytes()[pos];
        let tail = &s[pos + 1..];
        let same_sep_count = s.bytes().filter(|b| *b == sep).count();
        let is_decimal_comma = sep == b',' && same_sep_count == 1;
        let short_tail = (1..=2).contains(&tail.len()) && same_sep_count == 1;
        if is_decimal_comma || short_tail {
            return (&s[..pos], Some(tail));
        }
    }
    (s, None)
}

impl fmt::Display for Rupiah {
    /// `Rp1.250.000`, `-Rp5.000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            f.write_str("-")?;
        }
        f.write_str("Rp")?;
        f.write_str(&group_thousands(self.0.unsigned_abs()))
    }
}

/// `1250000` → `1.250.000`.
pub fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

impl Add for Rupiah {
    type Output = Rupiah;
    fn add(self, rhs: Rupiah) -> Rupiah {
        Rupiah(self.0 + rhs.0)
    }
}

impl Sub for Rupiah {
    type Output = Rupiah;
    fn sub(self, rhs: Rupiah) -> Rupiah {
        Rupiah(self.0 - rhs.0)
    }
}

impl AddAssign for Rupiah {
    fn add_assign(&mut self, rhs: Rupiah) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Rupiah {
    fn sub_assign(&mut self, rhs: Rupiah) {
        self.0 -= rhs.0;
    }
}

impl Neg for Rupiah {
    type Output = Rupiah;
    fn neg(self) -> Rupiah {
        Rupiah(-self.0)
    }
}

impl Sum for Rupiah {
    fn sum<I: Iterator<Item = Rupiah>>(iter: I) -> Rupiah {
        Rupiah(iter.map(|r| r.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_forms_people_type() {
        for text in [
            "1.250.000",
            "Rp 1.250.000,00",
            "1250000",
            "Rp1.250.000",
            "IDR 1,250,000",
        ] {
            assert_eq!(Rupiah::parse(text), Ok(Rupiah::new(1_250_000)), "{text}");
        }
        assert_eq!(Rupiah::parse("-Rp5.000"), Ok(Rupiah::new(-5_000)));
        assert_eq!(Rupiah::parse("0"), Ok(Rupiah::ZERO));
    }

    #[test]
    fn refuses_text_sen_and_empty() {
        assert!(matches!(Rupiah::parse("12a"), Err(MoneyError::Invalid(_))));
        assert!(matches!(
            Rupiah::parse("1.250.000,50"),
            Err(MoneyError::Fraction(_))
        ));
        assert_eq!(Rupiah::parse("  Rp "), Err(MoneyError::Empty));
        assert!(matches!(
            Rupiah::parse("9".repeat(30).as_str()),
            Err(MoneyError::TooLarge(_))
        ));
    }

    #[test]
    fn displays_with_dots() {
        assert_eq!(Rupiah::new(1_250_000).to_string(), "Rp1.250.000");
        assert_eq!(Rupiah::new(-5_000).to_string(), "-Rp5.000");
        assert_eq!(Rupiah::new(999).to_string(), "Rp999");
        assert_eq!(Rupiah::ZERO.to_string(), "Rp0");
    }

    #[test]
    fn ratio_rounds_half_away_from_zero() {
        assert_eq!(Rupiah::new(10).mul_ratio(1, 4), Rupiah::new(3));
        assert_eq!(Rupiah::new(-10).mul_ratio(1, 4), Rupiah::new(-3));
    }

    proptest! {
        #[test]
        fn display_parses_back(v in -MAX_ABS..=MAX_ABS) {
            let r = Rupiah::new(v);
            prop_assert_eq!(Rupiah::parse(&r.to_string()), Ok(r));
        }
    }
}
