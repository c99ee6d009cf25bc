//! Kolektibilitas: the regulatory quality class of a debt, derived from DPD under a regime.
//!
//! Regimes are data: the bank regime (POJK 40/2019) and the P2P regime (POJK 10/2022,
//! marked "verify" in DOMAIN.md) ship as defaults and can be replaced by configuration.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dpd::Dpd;

/// Quality class 1 (Lancar) to 5 (Macet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Kolektibilitas(u8);

impl Kolektibilitas {
    /// All five classes in order.
    pub const ALL: [Kolektibilitas; 5] = [
        Kolektibilitas(1),
        Kolektibilitas(2),
        Kolektibilitas(3),
        Kolektibilitas(4),
        Kolektibilitas(5),
    ];

    /// The class for 1..=5.
    pub fn new(class: u8) -> Option<Kolektibilitas> {
        (1..=5).contains(&class).then_some(Kolektibilitas(class))
    }

    /// 1..=5.
    pub const fn class(self) -> u8 {
        self.0
    }

    /// The Indonesian name: Lancar, Dalam Perhatian Khusus, Kurang Lancar, Diragukan, Macet.
    pub const fn label(self) -> &'static str {
        match self.0 {
            1 => "Lancar",
            2 => "Dalam Perhatian Khusus",
            3 => "Kurang Lancar",
            4 => "Diragukan",
            _ => "Macet",
        }
    }

    /// True for classes 3–5 (non-performing).
    pub const fn is_non_performing(self) -> bool {
        self.0 >= 3
    }
}

impl TryFrom<u8> for Kolektibilitas {
    type Error = String;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Kolektibilitas::new(value).ok_or_else(|| format!("kolektibilitas {value} is not 1..5"))
    }
}

impl From<Kolektibilitas> for u8 {
    fn from(value: Kolektibilitas) -> u8 {
        value.0
    }
}

impl fmt::Display for Kolektibilitas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.0, self.label())
    }
}

/// A kolektibilitas regime: the highest DPD of classes 1 to 4; above the last is class 5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regime {
    /// A name for reports, e.g. `bank` or `p2p`.
    pub name: String,
    /// Highest DPD of classes 1, 2, 3 and 4; must be strictly increasing.
    pub upper_dpd: [u32; 4],
}

/// A regime whose bounds do not increase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("kolektibilitas regime {0:?}: upper DPD bounds must strictly increase, got {1:?}")]
pub struct RegimeError(pub String, pub [u32; 4]);

impl Regime {
    /// A regime from its bounds, checked.
    pub fn new(name: impl Into<String>, upper_dpd: [u32; 4]) -> Result<Regime, RegimeError> {
        let name = name.into();
        if upper_dpd.windows(2).any(|w| w[0] >= w[1]) {
            return Err(RegimeError(name, upper_dpd));
        }
        Ok(Regime { name, upper_dpd })
    }

    /// Banks, POJK 40/2019: 0 / 1–90 / 91–120 / 121–180 / >180.
    pub fn bank() -> Regime {
        Regime {
            name: "bank".into(),
            upper_dpd: [0, 90, 120, 180],
        }
    }

    /// P2P lending, POJK 10/2022 (verify): 0 / 1–30 / 31–60 / 61–90 / >90.
    pub fn p2p() -> Regime {
        Regime {
            name: "p2p".into(),
            upper_dpd: [0, 30, 60, 90],
        }
    }

    /// The class of a DPD under this regime.
    pub fn classify(&self, dpd: Dpd) -> Kolektibilitas {
        let class = self
            .upper_dpd
            .iter()
            .take_while(|upper| dpd.0 > **upper)
            .count();
        Kolektibilitas(class as u8 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bank_regime_boundaries() {
        let bank = Regime::bank();
        let class = |d| bank.classify(Dpd(d)).class();
        assert_eq!(
            [class(0), class(1), class(90), class(91), class(120)],
            [1, 2, 2, 3, 3]
        );
        assert_eq!(
            [class(121), class(180), class(181), class(5000)],
            [4, 4, 5, 5]
        );
    }

    #[test]
    fn p2p_regime_boundaries() {
        let p2p = Regime::p2p();
        let class = |d| p2p.classify(Dpd(d)).class();
        assert_eq!(
            [
                class(0),
                class(30),
                class(31),
                class(60),
                class(61),
                class(90),
                class(91)
            ],
            [1, 2, 3, 3, 4, 4, 5]
        );
    }

    #[test]
    fn regimes_must_increase() {
        assert!(Regime::new("x", [0, 90, 90, 180]).is_err());
        assert!(Regime::new("x", [0, 10, 20, 30]).is_ok());
    }

    proptest! {
        #[test]
        fn class_never_falls_as_dpd_rises(a in 0u32..2000, b in 0u32..2000) {
            let r = Regime::bank();
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(r.classify(Dpd(lo)) <= r.classify(Dpd(hi)));
        }
    }
}
