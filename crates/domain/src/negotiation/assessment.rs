//! Ability to pay (kemampuan bayar): from what the debtor declares to a realistic monthly
//! payment the collector can aim for.
//!
//! Declared expenses are floored by a minimum living allowance for the debtor and each
//! dependant, so a debtor who under-declares is not pushed below subsistence; the
//! recommendation is a share of what is left, further held under a debt-service ratio of the
//! income, and rounded *down* so it never exceeds the assessed ability. Every number is
//! configuration (`AbilityPolicy`, defaults in `docs/negotiation.md`).

use serde::{Deserialize, Serialize};

use super::playbook::ReasonCode;
use crate::money::Rupiah;
use crate::rate::Rate;

/// The rules that turn a declaration into a recommended payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AbilityPolicy {
    /// Share of the disposable income the debtor can commit each month (default 50%).
    pub share_of_disposable: Rate,
    /// Highest share of the income all debt payments together may take, this plan included
    /// (default 35%, a common bank debt-service ratio; verify with the creditor's policy).
    pub max_debt_service_ratio: Rate,
    /// Monthly living allowance for the debtor (default Rp1.500.000).
    pub living_allowance_debtor: Rupiah,
    /// Monthly living allowance for each dependant (default Rp750.000, above the BPS 2024
    /// poverty line of about Rp583.000 per person; verify yearly).
    pub living_allowance_per_dependant: Rupiah,
    /// Declared amounts above this per month are refused as typos (default Rp1 miliar).
    pub income_ceiling: Rupiah,
    /// More dependants than this is refused as a typo (default 20).
    pub max_dependants: u32,
    /// The recommendation is rounded down to a multiple of this (default Rp1.000).
    pub round_to: Rupiah,
}

impl Default for AbilityPolicy {
    fn default() -> Self {
        AbilityPolicy {
            share_of_disposable: Rate::from_ppm(500_000),
            max_debt_service_ratio: Rate::from_ppm(350_000),
            living_allowance_debtor: Rupiah::new(1_500_000),
            living_allowance_per_dependant: Rupiah::new(750_000),
            income_ceiling: Rupiah::new(1_000_000_000),
            max_dependants: 20,
            round_to: Rupiah::new(1_000),
        }
    }
}

/// What the debtor declares, per month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    /// Household income per month (penghasilan).
    pub monthly_income: Rupiah,
    /// Essential expenses per month: food, housing, school, transport (kebutuhan pokok).
    pub essential_expenses: Rupiah,
    /// Instalments on other debts per month (cicilan lain).
    pub other_debt_payments: Rupiah,
    /// People who depend on the income (tanggungan).
    pub dependants: u32,
    /// The hardship the debtor reports, if any.
    pub hardship: Option<Hardship>,
}

/// A reported hardship: why the debtor is not paying, and the evidence for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hardship {
    /// The delinquency reason, a playbook code (`kena_phk`, `sedang_sakit`, …).
    pub reason: ReasonCode,
    /// A reference to the evidence (document number, file id), if provided.
    pub evidence: Option<String>,
}

/// What the assessment found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbilityFlag {
    /// Essential expenses plus other debts exceed the income: no capacity left.
    ExpensesAboveIncome,
    /// The declared expenses were below the minimum living allowance, which was used.
    LivingAllowanceApplied,
    /// The debt-service ratio, not the share of disposable income, set the recommendation.
    DebtServiceLimited,
    /// Nothing can be recommended: the debtor has no capacity to pay now.
    ZeroCapacity,
    /// The debtor reports a hardship.
    HardshipDeclared,
    /// The hardship has no evidence reference yet.
    HardshipWithoutEvidence,
}

/// The result of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// What was declared.
    pub declaration: Declaration,
    /// The living cost used: the declared expenses or the allowance, whichever is higher.
    pub living_cost: Rupiah,
    /// Income less living cost and other debts, never below zero.
    pub disposable_income: Rupiah,
    /// The realistic monthly payment to aim for (rounded down).
    pub recommended_monthly: Rupiah,
    /// What the assessment noticed, in a fixed order.
    pub flags: Vec<AbilityFlag>,
}

/// A declaration that cannot be assessed; each variant names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssessmentError {
    /// An amount below zero.
    #[error("{field}: {value} is negative")]
    Negative {
        /// The field.
        field: &'static str,
        /// The amount given.
        value: Rupiah,
    },
    /// An amount above the configured ceiling (a typo, e.g. a yearly figure).
    #[error("{field}: {value} per month is above the ceiling of {ceiling}")]
    AboveCeiling {
        /// The field.
        field: &'static str,
        /// The amount given.
        value: Rupiah,
        /// The configured ceiling.
        ceiling: Rupiah,
    },
    /// More dependants than the configured maximum.
    #[error("dependants: {value} is more than the maximum of {max}")]
    TooManyDependants {
        /// The number given.
        value: u32,
        /// The configured maximum.
        max: u32,
    },
    /// An evidence reference that is blank or longer than 200 characters.
    #[error("hardship.evidence: must be 1 to 200 characters when given")]
    BadEvidence,
}

/// Assesses a declaration under a policy.
pub fn assess(
    declaration: Declaration,
    policy: &AbilityPolicy,
) -> Result<Assessment, AssessmentError> {
    check_amount(
        "monthly_income",
        declaration.monthly_income,
        policy.income_ceiling,
    )?;
    check_amount(
        "essential_expenses",
        declaration.essential_expenses,
        policy.income_ceiling,
    )?;
    check_amount(
        "other_debt_payments",
        declaration.other_debt_payments,
        policy.income_ceiling,
    )?;
    if declaration.dependants > policy.max_dependants {
        return Err(AssessmentError::TooManyDependants {
            value: declaration.dependants,
            max: policy.max_dependants,
        });
    }
    if let Some(evidence) = declaration
        .hardship
        .as_ref()
        .and_then(|h| h.evidence.as_ref())
    {
        if evidence.trim().is_empty() || evidence.chars().count() > 200 {
            return Err(AssessmentError::BadEvidence);
        }
    }

    let income = declaration.monthly_income;
    let allowance = policy.living_allowance_debtor
        + Rupiah::new(
            policy
                .living_allowance_per_dependant
                .value()
                .saturating_mul(i64::from(declaration.dependants)),
        );
    let living_cost = declaration.essential_expenses.max(allowance);
    let disposable = (income - living_cost - declaration.other_debt_payments).clamp_zero();
    let by_share = policy.share_of_disposable.of(disposable);
    let by_ratio =
        (policy.max_debt_service_ratio.of(income) - declaration.other_debt_payments).clamp_zero();
    let recommended = round_down(by_share.min(by_ratio), policy.round_to);

    let mut flags = Vec::new();
    if declaration.essential_expenses + declaration.other_debt_payments > income {
        flags.push(AbilityFlag::ExpensesAboveIncome);
    }
    if allowance > declaration.essential_expenses {
        flags.push(AbilityFlag::LivingAllowanceApplied);
    }
    if by_ratio < by_share {
        flags.push(AbilityFlag::DebtServiceLimited);
    }
    if recommended.is_zero() {
        flags.push(AbilityFlag::ZeroCapacity);
    }
    if let Some(h) = &declaration.hardship {
        flags.push(AbilityFlag::HardshipDeclared);
        if h.evidence.is_none() {
            flags.push(AbilityFlag::HardshipWithoutEvidence);
        }
    }
    Ok(Assessment {
        declaration,
        living_cost,
        disposable_income: disposable,
        recommended_monthly: recommended,
        flags,
    })
}

fn check_amount(
    field: &'static str,
    value: Rupiah,
    ceiling: Rupiah,
) -> Result<(), AssessmentError> {
    if value.is_negative() {
        return Err(AssessmentError::Negative { field, value });
    }
    if value > ceiling {
        return Err(AssessmentError::AboveCeiling {
            field,
            value,
            ceiling,
        });
    }
    Ok(())
}

/// Rounds a non-negative amount down to a multiple of `unit` (a unit ≤ 0 leaves it alone).
pub(crate) fn round_down(amount: Rupiah, unit: Rupiah) -> Rupiah {
    if unit.is_positive() {
        Rupiah::new(amount.value() - amount.value().rem_euclid(unit.value()))
    } else {
        amount
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rp(v: i64) -> Rupiah {
        Rupiah::new(v)
    }

    fn declaration(income: i64, expenses: i64, other: i64, dependants: u32) -> Declaration {
        Declaration {
            monthly_income: rp(income),
            essential_expenses: rp(expenses),
            other_debt_payments: rp(other),
            dependants,
            hardship: None,
        }
    }

    #[test]
    fn half_of_what_is_left_after_living_costs_and_other_debts_is_recommended() {
        // 8.000.000 − 4.000.000 − 1.000.000 = 3.000.000 left; half is 1.500.000; the 35%
        // ratio allows 2.800.000 − 1.000.000 = 1.800.000, so the share decides.
        let a = assess(
            declaration(8_000_000, 4_000_000, 1_000_000, 2),
            &AbilityPolicy::default(),
        )
        .unwrap();
        assert_eq!(a.living_cost, rp(4_000_000));
        assert_eq!(a.disposable_income, rp(3_000_000));
        assert_eq!(a.recommended_monthly, rp(1_500_000));
        assert!(a.flags.is_empty(), "{:?}", a.flags);
    }

    #[test]
    fn under_declared_expenses_are_raised_to_the_living_allowance() {
        // 1.500.000 + 3 × 750.000 = 3.750.000 > 1.000.000 declared.
        let a = assess(
            declaration(6_000_000, 1_000_000, 0, 3),
            &AbilityPolicy::default(),
        )
        .unwrap();
        assert_eq!(a.living_cost, rp(3_750_000));
        assert_eq!(a.disposable_income, rp(2_250_000));
        assert_eq!(a.recommended_monthly, rp(1_125_000));
        assert_eq!(a.flags, [AbilityFlag::LivingAllowanceApplied]);
    }

    #[test]
    fn the_debt_service_ratio_limits_a_debtor_with_other_loans() {
        // Left: 20.000.000 − 5.000.000 − 6.000.000 = 9.000.000, half 4.500.000; the ratio
        // allows 35% × 20.000.000 − 6.000.000 = 1.000.000.
        let a = assess(
            declaration(20_000_000, 5_000_000, 6_000_000, 0),
            &AbilityPolicy::default(),
        )
        .unwrap();
        assert_eq!(a.recommended_monthly, rp(1_000_000));
        assert_eq!(a.flags, [AbilityFlag::DebtServiceLimited]);
    }

    #[test]
    fn expenses_above_income_are_allowed_and_flagged_as_zero_capacity() {
        let mut d = declaration(3_000_000, 3_500_000, 0, 1);
        d.hardship = Some(Hardship {
            reason: ReasonCode::parse("kena_phk").unwrap(),
            evidence: None,
        });
        let a = assess(d, &AbilityPolicy::default()).unwrap();
        assert_eq!(a.disposable_income, Rupiah::ZERO);
        assert_eq!(a.recommended_monthly, Rupiah::ZERO);
        assert_eq!(
            a.flags,
            [
                AbilityFlag::ExpensesAboveIncome,
                AbilityFlag::ZeroCapacity,
                AbilityFlag::HardshipDeclared,
                AbilityFlag::HardshipWithoutEvidence
            ]
        );
    }

    #[test]
    fn the_recommendation_is_rounded_down_to_a_thousand() {
        // Left 2.001.997; half is 1.000.998,5 → 1.000.999 → rounded down 1.000.000.
        let p = AbilityPolicy::default();
        let a = assess(declaration(4_001_997, 2_000_000, 0, 0), &p).unwrap();
        assert_eq!(a.recommended_monthly, rp(1_000_000));
    }

    #[test]
    fn negative_and_absurd_amounts_name_their_field() {
        let p = AbilityPolicy::default();
        let err = assess(declaration(-1, 0, 0, 0), &p).unwrap_err();
        assert_eq!(err.to_string(), "monthly_income: -Rp1 is negative");
        let err = assess(declaration(5_000_000_000, 0, 0, 0), &p).unwrap_err();
        assert_eq!(
            err.to_string(),
            "monthly_income: Rp5.000.000.000 per month is above the ceiling of Rp1.000.000.000"
        );
        let err = assess(declaration(1, -5, 0, 0), &p).unwrap_err();
        assert!(err.to_string().starts_with("essential_expenses:"), "{err}");
        let err = assess(declaration(1, 0, -5, 0), &p).unwrap_err();
        assert!(err.to_string().starts_with("other_debt_payments:"), "{err}");
        let err = assess(declaration(1, 0, 0, 21), &p).unwrap_err();
        assert_eq!(
            err.to_string(),
            "dependants: 21 is more than the maximum of 20"
        );
    }

    #[test]
    fn blank_evidence_is_refused() {
        let mut d = declaration(5_000_000, 0, 0, 0);
        d.hardship = Some(Hardship {
            reason: ReasonCode::parse("sedang_sakit").unwrap(),
            evidence: Some("  ".into()),
        });
        assert_eq!(
            assess(d, &AbilityPolicy::default()),
            Err(AssessmentError::BadEvidence)
        );
    }

    proptest! {
        #[test]
        fn the_recommendation_never_exceeds_what_is_left_or_the_ratio(
            income in 0i64..200_000_000,
            expenses in 0i64..200_000_000,
            other in 0i64..100_000_000,
            dependants in 0u32..10,
        ) {
            let p = AbilityPolicy::default();
            let a = assess(declaration(income, expenses, other, dependants), &p).unwrap();
            prop_assert!(!a.recommended_monthly.is_negative());
            prop_assert!(a.recommended_monthly <= a.disposable_income);
            prop_assert!(a.recommended_monthly + rp(other) <= p.max_debt_service_ratio.of(rp(income)).max(rp(other)));
            prop_assert_eq!(a.recommended_monthly.value() % 1_000, 0);
            prop_assert_eq!(a.recommended_monthly.is_zero(), a.flags.contains(&AbilityFlag::ZeroCapacity));
        }
    }
}
