//! Rates (interest, penalty, discount) as exact parts per million: 12,5% = 125 000 ppm.
//!
//! A float never touches money; a rate applied to an amount rounds explicitly.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::money::Rupiah;

/// A percentage held exactly as parts per million (1% = 10 000).
///
/// Serialises as ppm; deserialises from ppm (`125000`) or a percentage text (`"12,5%"`),
/// so hand-written JSON and TOML can say what they mean.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Rate(u32);

/// Why a text is not a rate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a percentage (e.g. 12,5% or 0.1)")]
pub struct RateError(pub String);

impl Rate {
    /// Zero percent.
    pub const ZERO: Rate = Rate(0);

    /// From parts per million.
    pub const fn from_ppm(ppm: u32) -> Rate {
        Rate(ppm)
    }

    /// From basis points (1% = 100 bp).
    pub const fn from_bps(bps: u32) -> Rate {
        Rate(bps * 100)
    }

    /// Parts per million.
    pub const fn ppm(self) -> u32 {
        self.0
    }

    /// Parses `12,5%`, `12.5`, `0,1 %`; up to four decimals; at most 1000%.
    pub fn parse(text: &str) -> Result<Rate, RateError> {
        let err = || RateError(text.to_string());
        let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
        if t.is_empty() {
            return Err(err());
        }
        let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
        if whole.is_empty() && frac.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
            || frac.len() > 4
            || whole.len() > 4
        {
            return Err(err());
        }
        let whole: u32 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| err())?
        };
        let mut frac_ppm: u32 = 0;
        for (i, c) in frac.chars().enumerate() {
            frac_ppm += (c as u32 - '0' as u32) * 10u32.pow(3 - i as u32);
        }
        let ppm = whole * 10_000 + frac_ppm;
        if ppm > 10_000_000 {
            return Err(err());
        }
        Ok(Rate(ppm))
    }

    /// `amount × rate`, rounded half away from zero to whole rupiah.
    pub fn of(self, amount: Rupiah) -> Rupiah {
        amount.mul_ratio(i64::from(self.0), 1_000_000)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Rate, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Rate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a rate: parts per million (125000) or a percentage (\"12,5%\")")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Rate, E> {
                u32::try_from(v)
                    .ok()
                    .filter(|ppm| *ppm <= 10_000_000)
                    .map(Rate)
                    .ok_or_else(|| E::custom(format!("{v} ppm is above 1000%")))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Rate, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(format!("{v} is a negative rate"))),
                }
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Rate, E> {
                Rate::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl fmt::Display for Rate {
    /// `12,5%`, `0,1%`, `10%` (Indonesian decimal comma).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 10_000;
        let frac = self.0 % 10_000;
        if frac == 0 {
            write!(f, "{whole}%")
        } else {
            let s = format!("{frac:04}");
            write!(f, "{whole},{}%", s.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays_indonesian_percentages() {
        assert_eq!(Rate::parse("12,5%"), Ok(Rate::from_ppm(125_000)));
        assert_eq!(Rate::parse("0.1"), Ok(Rate::from_ppm(1_000)));
        assert_eq!(Rate::parse("0,0333 %"), Ok(Rate::from_ppm(333)));
        assert_eq!(Rate::from_ppm(125_000).to_string(), "12,5%");
        assert_eq!(Rate::from_bps(1_000).to_string(), "10%");
        assert!(Rate::parse("abc").is_err());
        assert!(Rate::parse("-1").is_err());
        assert!(Rate::parse("1.23456").is_err());
    }

    #[test]
    fn deserialises_from_ppm_or_a_percentage_and_serialises_as_ppm() {
        #[derive(Deserialize, Serialize)]
        struct T {
            r: Rate,
        }
        let from = |json: &str| toml::from_str::<T>(json).map(|t| t.r);
        assert_eq!(from("r = 125000").unwrap(), Rate::from_ppm(125_000));
        assert_eq!(from("r = \"12,5%\"").unwrap(), Rate::from_ppm(125_000));
        assert!(from("r = -1")
            .unwrap_err()
            .to_string()
            .contains("negative rate"));
        assert!(from("r = \"lots\"")
            .unwrap_err()
            .to_string()
            .contains("not a percentage"));
        let t = T {
            r: Rate::from_ppm(500),
        };
        assert_eq!(toml::to_string(&t).unwrap().trim(), "r = 500");
    }

    #[test]
    fn applies_to_amounts_with_rounding() {
        assert_eq!(
            Rate::parse("10").unwrap().of(Rupiah::new(1_005)),
            Rupiah::new(101)
        );
    }
}
