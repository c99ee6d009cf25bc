//! The authority matrix: how far each role may go on its own (batas otoritas).
//!
//! Rules are data: a list of `AuthorityRule`s, each for one role and optionally only some
//! products and kolektibilitas classes; the first rule that matches wins, so specific rules
//! come before general ones. An option beyond the user's limits is still offered, marked
//! with the limits it exceeds and the lowest role that could approve it.

use serde::{Deserialize, Serialize};

use crate::kolektibilitas::Kolektibilitas;
use crate::product::ProductType;
use crate::rate::Rate;
use crate::role::Role;

/// What one role may agree to without approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityLimits {
    /// Highest discount on the penalty (denda), as a share of it.
    pub max_penalty_discount: Rate,
    /// Highest discount on overdue interest (tunggakan bunga), as a share of it.
    pub max_interest_discount: Rate,
    /// Highest discount on principal (pokok), as a share of the outstanding principal.
    pub max_principal_discount: Rate,
    /// Longest plan, in monthly instalments.
    pub max_tenor_months: u32,
    /// Smallest down payment of an instalment plan, as a share of what the plan collects.
    pub min_down_payment: Rate,
    /// Latest first payment, in days after the negotiation.
    pub max_days_to_first_payment: u32,
    /// May agree to a restructuring (capitalised arrears, lower rate).
    pub may_restructure: bool,
}

/// One row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityRule {
    /// The role the row is for.
    pub role: Role,
    /// The products it covers; empty: every product.
    #[serde(default)]
    pub products: Vec<ProductType>,
    /// The kolektibilitas classes it covers; empty: every class.
    #[serde(default)]
    pub kolektibilitas: Vec<Kolektibilitas>,
    /// The limits.
    pub limits: AuthorityLimits,
}

impl AuthorityRule {
    fn matches(&self, role: Role, product: ProductType, class: Kolektibilitas) -> bool {
        self.role == role
            && (self.products.is_empty() || self.products.contains(&product))
            && (self.kolektibilitas.is_empty() || self.kolektibilitas.contains(&class))
    }
}

/// The matrix: rules checked in order, the first match wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AuthorityMatrix(pub Vec<AuthorityRule>);

/// What an option asks for, in the matrix's terms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Terms {
    /// Penalty discount.
    pub penalty_discount: Rate,
    /// Overdue-interest discount.
    pub interest_discount: Rate,
    /// Principal discount.
    pub principal_discount: Rate,
    /// Monthly instalments after any down payment (0 for a lump sum).
    pub tenor_months: u32,
    /// Down payment as a share of what the option collects (100% for a lump sum).
    pub down_payment: Rate,
    /// Days from the negotiation to the first payment.
    pub days_to_first_payment: u32,
    /// Whether the option restructures the loan.
    pub restructures: bool,
}

/// A limit of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// The role has no row in the matrix for this product and class.
    NoAuthority,
    /// `max_penalty_discount`.
    MaxPenaltyDiscount,
    /// `max_interest_discount`.
    MaxInterestDiscount,
    /// `max_principal_discount`.
    MaxPrincipalDiscount,
    /// `max_tenor_months`.
    MaxTenorMonths,
    /// `min_down_payment`.
    MinDownPayment,
    /// `max_days_to_first_payment`.
    MaxDaysToFirstPayment,
    /// `may_restructure`.
    MayRestructure,
}

/// One limit an option goes beyond: what the role may allow, and what the option asks.
/// Rates are in ppm, tenors in months, days in days, `may_restructure` as 0/1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exceeded {
    /// Which limit.
    pub limit: Limit,
    /// What the role may allow.
    pub allowed: i64,
    /// What the option asks for.
    pub offered: i64,
}

/// Whether an option is within a user's authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityCheck {
    /// The limits exceeded; empty when the user may agree to the option alone.
    pub exceeded: Vec<Exceeded>,
    /// The lowest role above the user whose authority covers the option; None when none
    /// does (the policy or the matrix must change first).
    pub approver: Option<Role>,
}

impl AuthorityCheck {
    /// True when the option needs someone else's approval.
    pub fn needs_approval(&self) -> bool {
        !self.exceeded.is_empty()
    }
}

/// The roles that approve offers, lowest first.
const APPROVERS: [Role; 2] = [Role::Supervisor, Role::Manager];

impl AuthorityMatrix {
    /// The limits of a role for a product and class: the first rule that matches.
    pub fn limits(
        &self,
        role: Role,
        product: ProductType,
        class: Kolektibilitas,
    ) -> Option<&AuthorityLimits> {
        self.0
            .iter()
            .find(|r| r.matches(role, product, class))
            .map(|r| &r.limits)
    }

    /// Checks an option's terms against the role's limits, and finds who could approve it.
    pub fn check(
        &self,
        role: Role,
        product: ProductType,
        class: Kolektibilitas,
        terms: &Terms,
    ) -> AuthorityCheck {
        let exceeded = self.exceeded(role, product, class, terms);
        let approver = if exceeded.is_empty() {
            None
        } else {
            approvers_above(role).find(|a| self.exceeded(*a, product, class, terms).is_empty())
        };
        AuthorityCheck { exceeded, approver }
    }

    fn exceeded(
        &self,
        role: Role,
        product: ProductType,
        class: Kolektibilitas,
        terms: &Terms,
    ) -> Vec<Exceeded> {
        let Some(l) = self.limits(role, product, class) else {
            return vec![Exceeded {
                limit: Limit::NoAuthority,
                allowed: 0,
                offered: 1,
            }];
        };
        let ppm = |r: Rate| i64::from(r.ppm());
        let mut out = Vec::new();
        let mut over = |limit, allowed: i64, offered: i64, beyond: bool| {
            if beyond {
                out.push(Exceeded {
                    limit,
                    allowed,
                    offered,
                });
            }
        };
        over(
            Limit::MaxPenaltyDiscount,
            ppm(l.max_penalty_discount),
            ppm(terms.penalty_discount),
            terms.penalty_discount > l.max_penalty_discount,
        );
        over(
            Limit::MaxInterestDiscount,
            ppm(l.max_interest_discount),
            ppm(terms.interest_discount),
            terms.interest_discount > l.max_interest_discount,
        );
        over(
            Limit::MaxPrincipalDiscount,
            ppm(l.max_principal_discount),
            ppm(terms.principal_discount),
            terms.principal_discount > l.max_principal_discount,
        );
        over(
            Limit::MaxTenorMonths,
            i64::from(l.max_tenor_months),
            i64::from(terms.tenor_months),
            terms.tenor_months > l.max_tenor_months,
        );
        over(
            Limit::MinDownPayment,
            ppm(l.min_down_payment),
            ppm(terms.down_payment),
            terms.down_payment < l.min_down_payment,
        );
        over(
            Limit::MaxDaysToFirstPayment,
            i64::from(l.max_days_to_first_payment),
            i64::from(terms.days_to_first_payment),
            terms.days_to_first_payment > l.max_days_to_first_payment,
        );
        over(
            Limit::MayRestructure,
            i64::from(l.may_restructure),
            1,
            terms.restructures && !l.may_restructure,
        );
        out
    }
}

/// The roles senior enough to approve an offer made by `role`, lowest first (whether one
/// of them may approve a given offer also depends on its own limits: `AuthorityMatrix::check`).
pub fn approvers_above(role: Role) -> impl Iterator<Item = Role> {
    APPROVERS
        .iter()
        .copied()
        .filter(move |a| rank(*a) > rank(role))
}

/// Seniority for approvals: collectors, then supervisors, then managers; other roles
/// negotiate nothing and approve nothing.
fn rank(role: Role) -> u8 {
    match role {
        Role::Collector => 1,
        Role::Supervisor => 2,
        Role::Manager => 3,
        Role::Compliance | Role::Admin => 0,
    }
}

fn pct(percent: u32) -> Rate {
    Rate::from_ppm(percent * 10_000)
}

impl Default for AuthorityMatrix {
    /// Collector small, supervisor more, manager most (documented in
    /// `docs/negotiation.md`); compliance and admin have no rows, so they negotiate nothing.
    fn default() -> Self {
        let rule = |role, kolektibilitas: Vec<u8>, limits| AuthorityRule {
            role,
            products: Vec::new(),
            kolektibilitas: kolektibilitas
                .into_iter()
                .filter_map(Kolektibilitas::new)
                .collect(),
            limits,
        };
        AuthorityMatrix(vec![
            // On Macet accounts a collector may waive the whole penalty and some interest:
            // recovering anything beats the write-off these accounts are heading for.
            rule(
                Role::Collector,
                vec![5],
                AuthorityLimits {
                    max_penalty_discount: pct(100),
                    max_interest_discount: pct(25),
                    max_principal_discount: Rate::ZERO,
                    max_tenor_months: 12,
                    min_down_payment: pct(10),
                    max_days_to_first_payment: 14,
                    may_restructure: false,
                },
            ),
            rule(
                Role::Collector,
                vec![],
                AuthorityLimits {
                    max_penalty_discount: pct(50),
                    max_interest_discount: Rate::ZERO,
                    max_principal_discount: Rate::ZERO,
                    max_tenor_months: 12,
                    min_down_payment: pct(10),
                    max_days_to_first_payment: 14,
                    may_restructure: false,
                },
            ),
            rule(
                Role::Supervisor,
                vec![],
                AuthorityLimits {
                    max_penalty_discount: pct(100),
                    max_interest_discount: pct(50),
                    max_principal_discount: pct(10),
                    max_tenor_months: 60,
                    min_down_payment: pct(5),
                    max_days_to_first_payment: 30,
                    may_restructure: true,
                },
            ),
            rule(
                Role::Manager,
                vec![],
                AuthorityLimits {
                    max_penalty_discount: pct(100),
                    max_interest_discount: pct(100),
                    max_principal_discount: pct(30),
                    max_tenor_months: 240,
                    min_down_payment: Rate::ZERO,
                    max_days_to_first_payment: 60,
                    may_restructure: true,
                },
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(c: u8) -> Kolektibilitas {
        Kolektibilitas::new(c).unwrap()
    }

    fn terms() -> Terms {
        Terms {
            penalty_discount: pct(40),
            tenor_months: 6,
            down_payment: pct(10),
            days_to_first_payment: 7,
            ..Terms::default()
        }
    }

    #[test]
    fn a_modest_plan_is_within_a_collectors_authority() {
        let m = AuthorityMatrix::default();
        let c = m.check(Role::Collector, ProductType::Kta, class(3), &terms());
        assert!(!c.needs_approval(), "{c:?}");
        assert_eq!(c.approver, None);
    }

    #[test]
    fn a_full_penalty_waiver_needs_a_supervisor_except_on_macet_accounts() {
        let m = AuthorityMatrix::default();
        let t = Terms {
            penalty_discount: pct(100),
            ..terms()
        };
        let c = m.check(Role::Collector, ProductType::Kta, class(3), &t);
        assert_eq!(
            c.exceeded,
            [Exceeded {
                limit: Limit::MaxPenaltyDiscount,
                allowed: 500_000,
                offered: 1_000_000
            }]
        );
        assert_eq!(c.approver, Some(Role::Supervisor));
        let macet = m.check(Role::Collector, ProductType::Kta, class(5), &t);
        assert!(!macet.needs_approval());
    }

    #[test]
    fn every_exceeded_limit_is_listed_and_the_lowest_sufficient_approver_named() {
        let m = AuthorityMatrix::default();
        let t = Terms {
            principal_discount: pct(20),
            tenor_months: 72,
            down_payment: Rate::ZERO,
            days_to_first_payment: 45,
            restructures: true,
            ..terms()
        };
        let c = m.check(Role::Collector, ProductType::Kpr, class(4), &t);
        let limits: Vec<Limit> = c.exceeded.iter().map(|e| e.limit).collect();
        assert_eq!(
            limits,
            [
                Limit::MaxPrincipalDiscount,
                Limit::MaxTenorMonths,
                Limit::MinDownPayment,
                Limit::MaxDaysToFirstPayment,
                Limit::MayRestructure
            ]
        );
        assert_eq!(c.approver, Some(Role::Manager));
        // Beyond even a manager: nobody can approve.
        let t = Terms {
            principal_discount: pct(40),
            ..t
        };
        assert_eq!(
            m.check(Role::Supervisor, ProductType::Kpr, class(4), &t)
                .approver,
            None
        );
    }

    #[test]
    fn roles_without_a_row_have_no_authority() {
        let m = AuthorityMatrix::default();
        let c = m.check(Role::Compliance, ProductType::Kta, class(2), &terms());
        assert_eq!(c.exceeded[0].limit, Limit::NoAuthority);
        assert_eq!(c.approver, Some(Role::Supervisor));
    }

    #[test]
    fn the_first_matching_rule_wins_so_specific_rules_go_first() {
        let mut m = AuthorityMatrix::default();
        let mut kpr = m.0[1].clone();
        kpr.products = vec![ProductType::Kpr];
        kpr.limits.max_tenor_months = 24;
        m.0.insert(0, kpr);
        let l = |p| {
            m.limits(Role::Collector, p, class(2))
                .unwrap()
                .max_tenor_months
        };
        assert_eq!((l(ProductType::Kpr), l(ProductType::Kta)), (24, 12));
    }
}
