//! The negotiation policy: per product, which options exist and their hard caps; with the
//! ability, recovery and authority rules it is everything the offer engine is configured by.
//!
//! Caps here bind every role: the authority matrix only says who may go how far *within*
//! them. Defaults are documented in `docs/negotiation.md`; a creditor overrides them by
//! product.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::assessment::AbilityPolicy;
use super::authority::AuthorityMatrix;
use super::offer::Discounts;
use super::recovery::RecoveryPolicy;
use crate::allocation::AllocationOrder;
use crate::kolektibilitas::Kolektibilitas;
use crate::money::Rupiah;
use crate::product::ProductType;
use crate::rate::Rate;
use crate::schedule::MAX_TENOR_MONTHS;

/// What the engine may offer on one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OfferRules {
    /// Longest option in monthly instalments; a requested tenor above it is refused.
    pub max_tenor_months: u32,
    /// Latest first payment, in days after the negotiation; a later requested date is refused.
    pub max_days_to_first_payment: u32,
    /// The highest discount any option may give, per component: no role goes beyond.
    pub caps: Discounts,
    /// Discount offered for paying everything by the pay-by date.
    pub payoff_discount: Discounts,
    /// Days from the negotiation to the pay-by date of a payoff or settlement.
    pub payoff_days: u32,
    /// Tenor choices of the instalment plan (months after the down payment).
    pub plan_tenors: Vec<u32>,
    /// Down payment the engine proposes for an instalment plan.
    pub plan_down_payment: Rate,
    /// Discount offered with an instalment plan.
    pub plan_discount: Discounts,
    /// Days from the negotiation to a plan's first payment.
    pub first_payment_days: u32,
    /// Regular plan instalments are rounded up to a multiple of this (the last absorbs it).
    pub round_to: Rupiah,
    /// Whether the loan may be rescheduled (longer tenor at the same rate).
    pub rescheduling: bool,
    /// Months a rescheduling may add to the remaining tenor (one option each).
    pub reschedule_extensions: Vec<u32>,
    /// Discount offered with a rescheduling.
    pub reschedule_discount: Discounts,
    /// Whether the loan may be restructured (arrears capitalised, lower rate).
    pub restructuring: bool,
    /// How much a restructuring lowers the annual rate (percentage points as a rate).
    pub restructure_rate_cut: Rate,
    /// The rate a restructuring never goes below (unless the contract rate is lower).
    pub restructure_min_rate: Rate,
    /// Months a restructuring adds to the remaining tenor.
    pub restructure_extension: u32,
    /// Discount offered with a restructuring.
    pub restructure_discount: Discounts,
    /// From this class on, a discounted settlement is offered.
    pub settlement_from: Kolektibilitas,
    /// Discount of a settlement (the only option that may discount principal).
    pub settlement_discount: Discounts,
    /// Cap on all charges (interest, penalty, fees, paid or owed) as a share of the
    /// original principal, e.g. OJK's P2P cap (verify the current figure); None: no cap.
    pub charges_cap: Option<Rate>,
}

fn pct(percent: u32) -> Rate {
    Rate::from_ppm(percent * 10_000)
}

fn discounts(penalty: u32, interest: u32, principal: u32) -> Discounts {
    Discounts {
        penalty: pct(penalty),
        interest: pct(interest),
        principal: pct(principal),
    }
}

impl Default for OfferRules {
    /// An unsecured consumer loan (KTA): the base the product defaults adjust.
    fn default() -> Self {
        OfferRules {
            max_tenor_months: 60,
            max_days_to_first_payment: 90,
            caps: discounts(100, 100, 50),
            payoff_discount: discounts(100, 0, 0),
            payoff_days: 7,
            plan_tenors: vec![3, 6, 12],
            plan_down_payment: pct(10),
            plan_discount: discounts(50, 0, 0),
            first_payment_days: 7,
            round_to: Rupiah::new(1_000),
            rescheduling: true,
            reschedule_extensions: vec![12, 24],
            reschedule_discount: discounts(50, 0, 0),
            restructuring: true,
            restructure_rate_cut: pct(3),
            restructure_min_rate: pct(6),
            restructure_extension: 24,
            restructure_discount: discounts(100, 0, 0),
            settlement_from: Kolektibilitas::ALL[3],
            settlement_discount: discounts(100, 100, 20),
            charges_cap: None,
        }
    }
}

impl OfferRules {
    /// The shipped rules for a product.
    pub fn for_product(product: ProductType) -> OfferRules {
        let base = OfferRules::default();
        match product {
            ProductType::Kta => base,
            ProductType::Kpr => OfferRules {
                max_tenor_months: 240,
                reschedule_extensions: vec![24, 60],
                restructure_extension: 60,
                // Secured by the house: principal is recovered through the collateral.
                caps: discounts(100, 100, 10),
                settlement_discount: discounts(100, 100, 5),
                ..base
            },
            ProductType::Kkb | ProductType::Multiguna => OfferRules {
                max_tenor_months: 60,
                caps: discounts(100, 100, 20),
                settlement_discount: discounts(100, 100, 10),
                ..base
            },
            ProductType::KartuKredit => OfferRules {
                max_tenor_months: 36,
                plan_tenors: vec![3, 6, 12, 24],
                rescheduling: false,
                restructure_extension: 36,
                ..base
            },
            // OJK caps total charges of online lending (verify the current figure: 100% of
            // principal under SEOJK 19/2023 in 2024); the loans are short and not restructured.
            ProductType::P2pCash | ProductType::Paylater => OfferRules {
                max_tenor_months: 12,
                plan_tenors: vec![2, 3, 6],
                reschedule_extensions: vec![6],
                restructure_extension: 6,
                rescheduling: false,
                restructuring: false,
                settlement_from: Kolektibilitas::ALL[2],
                charges_cap: Some(pct(100)),
                ..base
            },
            ProductType::Invoice => OfferRules {
                max_tenor_months: 12,
                plan_tenors: vec![2, 3, 6],
                reschedule_extensions: vec![6],
                restructure_extension: 6,
                rescheduling: false,
                restructuring: false,
                ..base
            },
        }
    }

    /// Checks the rules; the error names the field under `prefix`.
    pub fn validate(&self, prefix: &str) -> Result<(), PolicyError> {
        let err = |field: &str, message: String| PolicyError {
            field: format!("{prefix}.{field}"),
            message,
        };
        if self.max_tenor_months == 0 || self.max_tenor_months > MAX_TENOR_MONTHS {
            return Err(err(
                "max_tenor_months",
                format!("must be 1 to {MAX_TENOR_MONTHS}"),
            ));
        }
        for (field, tenors) in [
            ("plan_tenors", &self.plan_tenors),
            ("reschedule_extensions", &self.reschedule_extensions),
        ] {
            if let Some(t) = tenors
                .iter()
                .find(|t| **t == 0 || **t > self.max_tenor_months)
            {
                return Err(err(
                    field,
                    format!(
                        "{t} is not 1 to max_tenor_months ({})",
                        self.max_tenor_months
                    ),
                ));
            }
        }
        if self.restructure_extension > self.max_tenor_months {
            return Err(err(
                "restructure_extension",
                "is above max_tenor_months".into(),
            ));
        }
        if self.payoff_days > self.max_days_to_first_payment
            || self.first_payment_days > self.max_days_to_first_payment
        {
            return Err(err(
                "payoff_days",
                "payoff_days and first_payment_days must not exceed max_days_to_first_payment"
                    .into(),
            ));
        }
        self.caps
            .validate(&format!("{prefix}.caps"), &discounts(100, 100, 100))?;
        for (field, d) in [
            ("payoff_discount", &self.payoff_discount),
            ("plan_discount", &self.plan_discount),
            ("reschedule_discount", &self.reschedule_discount),
            ("restructure_discount", &self.restructure_discount),
            ("settlement_discount", &self.settlement_discount),
        ] {
            d.validate(&format!("{prefix}.{field}"), &self.caps)?;
        }
        if self.plan_down_payment > pct(100) {
            return Err(err("plan_down_payment", "is above 100%".into()));
        }
        if self.round_to.is_negative() {
            return Err(err("round_to", "is negative".into()));
        }
        Ok(())
    }
}

/// Everything the offer engine is configured by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NegotiationPolicy {
    /// Ability-to-pay rules.
    pub ability: AbilityPolicy,
    /// How options are valued.
    pub recovery: RecoveryPolicy,
    /// Who may agree to what.
    pub authority: AuthorityMatrix,
    /// Per product; a product missing here has no options.
    pub products: BTreeMap<ProductType, OfferRules>,
    /// How plan payments split over the components (for the schedule's columns).
    pub allocation_order: AllocationOrder,
}

impl Default for NegotiationPolicy {
    fn default() -> Self {
        NegotiationPolicy {
            ability: AbilityPolicy::default(),
            recovery: RecoveryPolicy::default(),
            authority: AuthorityMatrix::default(),
            products: ProductType::ALL
                .iter()
                .map(|p| (*p, OfferRules::for_product(*p)))
                .collect(),
            allocation_order: AllocationOrder::default(),
        }
    }
}

impl NegotiationPolicy {
    /// Checks every part; the error names the field (`products.kta.plan_tenors`).
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (product, rules) in &self.products {
            rules.validate(&format!("products.{}", product.code()))?;
        }
        let r = &self.recovery;
        if r.prior_kept > r.prior_made {
            return Err(PolicyError {
                field: "recovery.prior_kept".into(),
                message: "must not exceed recovery.prior_made".into(),
            });
        }
        for (field, rate) in [
            ("recovery.monthly_attrition", r.monthly_attrition),
            ("recovery.min_affordability", r.min_affordability),
            (
                "ability.share_of_disposable",
                self.ability.share_of_disposable,
            ),
            (
                "ability.max_debt_service_ratio",
                self.ability.max_debt_service_ratio,
            ),
        ] {
            if rate > pct(100) {
                return Err(PolicyError {
                    field: field.into(),
                    message: "is above 100%".into(),
                });
            }
        }
        if !self.ability.income_ceiling.is_positive() {
            return Err(PolicyError {
                field: "ability.income_ceiling".into(),
                message: "must be above zero".into(),
            });
        }
        for (i, rule) in self.authority.0.iter().enumerate() {
            let l = &rule.limits;
            let over = [
                ("max_penalty_discount", l.max_penalty_discount),
                ("max_interest_discount", l.max_interest_discount),
                ("max_principal_discount", l.max_principal_discount),
                ("min_down_payment", l.min_down_payment),
            ]
            .into_iter()
            .find(|(_, r)| *r > pct(100));
            if let Some((field, _)) = over {
                return Err(PolicyError {
                    field: format!("authority[{i}].limits.{field}"),
                    message: "is above 100%".into(),
                });
            }
        }
        Ok(())
    }
}

/// A policy that cannot be used: the field and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy.{field}: {message}")]
pub struct PolicyError {
    /// The field, e.g. `products.kta.plan_tenors`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_valid_and_covers_every_product() {
        let p = NegotiationPolicy::default();
        assert_eq!(p.validate(), Ok(()));
        assert_eq!(p.products.len(), ProductType::ALL.len());
        assert_eq!(
            p.products[&ProductType::P2pCash].charges_cap,
            Some(pct(100))
        );
        assert!(!p.products[&ProductType::Invoice].restructuring);
    }

    #[test]
    fn an_offered_discount_above_the_cap_is_refused_with_its_field() {
        let mut p = NegotiationPolicy::default();
        let kta = p.products.get_mut(&ProductType::Kta).unwrap();
        kta.settlement_discount.principal = pct(60);
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "policy.products.kta.settlement_discount.principal: 60% is above the cap of 50%"
        );
    }

    #[test]
    fn tenor_choices_must_fit_the_maximum() {
        let mut p = NegotiationPolicy::default();
        p.products
            .get_mut(&ProductType::Invoice)
            .unwrap()
            .plan_tenors = vec![3, 0];
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "policy.products.invoice.plan_tenors: 0 is not 1 to max_tenor_months (12)"
        );
    }

    #[test]
    fn a_prior_with_more_kept_than_made_is_refused() {
        let mut p = NegotiationPolicy::default();
        p.recovery.prior_kept = 3;
        assert_eq!(
            p.validate().unwrap_err().field,
            "recovery.prior_kept".to_string()
        );
    }
}
