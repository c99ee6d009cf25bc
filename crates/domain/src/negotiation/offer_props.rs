//! The offer engine's invariants over arbitrary accounts, debtors, roles and requests.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::assessment::{assess, Declaration};
use super::offer::{offers, Debt, Discounts, Negotiation, OfferFlag, OfferKind, OfferRequest};
use super::policy::NegotiationPolicy;
use super::recovery::{self, PromiseHistory};
use crate::account::Balance;
use crate::dpd::Dpd;
use crate::kolektibilitas::{Kolektibilitas, Regime};
use crate::money::Rupiah;
use crate::product::ProductType;
use crate::rate::Rate;
use crate::role::Role;
use crate::schedule::ScheduleMethod;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn any_debt() -> impl Strategy<Value = Debt> {
    (
        (
            0..ProductType::ALL.len(),
            1i64..2_000_000_000,
            0u32..400_000,
            0u32..240,
        ),
        (0i64..1_000, 0i64..1_000, 0i64..200, 0i64..300, 0i64..20),
        (0u32..600, any::<bool>(), 0u32..10, 0u32..10, 0i64..1_000),
    )
        .prop_map(|(a, b, c)| {
            let (product, original, rate, remaining) = a;
            let (out_share, arrears_share, interest_pm, penalty_pm, fees_pm) = b;
            let (dpd, flat, made, kept, paid_pm) = c;
            let outstanding = original * out_share / 1_000;
            let arrears = outstanding * arrears_share / 1_000;
            let oldest = (dpd > 0).then(|| as_of() - Days::new(u64::from(dpd)));
            let dpd = Dpd::as_of(oldest, as_of());
            Debt {
                product: ProductType::ALL[product],
                balance: Balance {
                    outstanding_principal: Rupiah::new(outstanding),
                    arrears_principal: Rupiah::new(arrears),
                    arrears_interest: Rupiah::new(original * interest_pm / 1_000),
                    penalty: Rupiah::new(original * penalty_pm / 1_000),
                    fees: Rupiah::new(original * fees_pm / 1_000),
                    oldest_unpaid_due: oldest,
                },
                dpd,
                kolektibilitas: Regime::bank().classify(dpd),
                annual_rate: Rate::from_ppm(rate),
                method: if flat {
                    ScheduleMethod::Flat
                } else {
                    ScheduleMethod::Annuity
                },
                instalment: Rupiah::new(original / 12),
                remaining_tenor_months: remaining,
                original_principal: Rupiah::new(original),
                charges_paid: Rupiah::new(original * paid_pm / 1_000),
                promises: PromiseHistory {
                    made,
                    kept: kept.min(made),
                },
                propensity: None,
            }
        })
}

fn any_declaration() -> impl Strategy<Value = Declaration> {
    (0i64..100_000_000, 0i64..150, 0i64..60, 0u32..8).prop_map(|(income, exp, other, deps)| {
        Declaration {
            monthly_income: Rupiah::new(income),
            essential_expenses: Rupiah::new(income * exp / 100),
            other_debt_payments: Rupiah::new(income * other / 100),
            dependants: deps,
            hardship: None,
        }
    })
}

fn any_request() -> impl Strategy<Value = OfferRequest> {
    prop_oneof![
        3 => Just(OfferRequest::default()),
        1 => (1u32..=12, 0u32..=100, 0u32..=100, 0u32..=20, 0u64..=60, 0u32..=50).prop_map(
            |(tenor, pen, int, prin, days, dp)| OfferRequest {
                tenor_months: Some(tenor),
                down_payment: Some(Rate::from_ppm(dp * 10_000)),
                discount: Some(Discounts {
                    penalty: Rate::from_ppm(pen * 10_000),
                    interest: Rate::from_ppm(int * 10_000),
                    principal: Rate::from_ppm(prin * 10_000),
                }),
                first_payment: Some(as_of() + Days::new(days)),
            }
        ),
    ]
}

fn any_role() -> impl Strategy<Value = Role> {
    prop::sample::select(Role::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_option_keeps_the_engines_promises(
        debt in any_debt(),
        declaration in any_declaration(),
        role in any_role(),
        request in any_request(),
    ) {
        let policy = NegotiationPolicy::default();
        let assessment = assess(declaration, &policy.ability).unwrap();
        let n = Negotiation { debt: &debt, assessment: &assessment, policy: &policy, role, as_of: as_of(), request: &request };
        let Ok(set) = offers(&n) else {
            // Only an empty balance or a request beyond a short product's limits fails.
            let b = &debt.balance;
            let owed = b.outstanding_principal + b.arrears_interest + b.penalty + b.fees;
            let max = policy.products[&debt.product].max_tenor_months;
            prop_assert!(owed.is_zero() || request.tenor_months.is_some_and(|t| t > max)
                || request.discount.is_some_and(|d| d.principal > policy.products[&debt.product].caps.principal));
            return Ok(());
        };
        let rules = &policy.products[&debt.product];
        let recommended = assessment.recommended_monthly;
        let owed = set.owed;
        let mut last_expected = None;
        for (i, o) in set.options.iter().enumerate() {
            // Ranked best first, 1..n.
            prop_assert_eq!(o.rank, i as u32 + 1);
            if let Some(prev) = last_expected { prop_assert!(o.recovery.expected <= prev); }
            last_expected = Some(o.recovery.expected);

            // Every schedule sums exactly to the option's total; every line to its parts.
            prop_assert_eq!(o.schedule.iter().map(|l| l.amount).sum::<Rupiah>(), o.total_paid);
            for l in &o.schedule {
                prop_assert_eq!(l.amount, l.parts.total());
                prop_assert!(!l.parts.fees.is_negative() && !l.parts.penalty.is_negative()
                    && !l.parts.interest.is_negative() && !l.parts.principal.is_negative());
            }
            // Dates start on or after the negotiation and increase; seq counts from 1.
            prop_assert!(o.schedule[0].due_date >= as_of());
            prop_assert!(o.schedule.windows(2).all(|w| w[0].due_date < w[1].due_date));
            prop_assert!(o.schedule.iter().enumerate().all(|(k, l)| l.seq == k as u32 + 1));

            // Never more than what is owed plus the interest the new schedule may charge.
            prop_assert_eq!(o.total_paid, owed.total() - o.discount.total() + o.new_interest);
            prop_assert!(o.new_interest >= Rupiah::ZERO);
            if let Some(rate) = o.annual_rate { prop_assert!(rate <= debt.annual_rate); }

            // No discount beyond the product's caps; principal only in a settlement.
            prop_assert!(o.discount.penalty <= rules.caps.penalty.of(owed.penalty));
            prop_assert!(o.discount.interest <= rules.caps.interest.of(owed.interest));
            prop_assert!(o.discount.principal <= rules.caps.principal.of(owed.principal));
            if o.kind != OfferKind::Settlement { prop_assert_eq!(o.discount.principal, Rupiah::ZERO); }
            prop_assert!(o.discount.fees.is_zero());

            // Charges never beyond a configured cap.
            if let Some(cap) = rules.charges_cap {
                let room = (cap.of(debt.original_principal) - debt.charges_paid).clamp_zero();
                let charged = owed.fees + owed.penalty + owed.interest
                    - (o.discount.fees + o.discount.penalty + o.discount.interest) + o.new_interest;
                prop_assert!(charged <= room, "charged {} room {}", charged, room);
            }

            // An instalment above the assessed ability always carries a flag.
            let amounts: Vec<Rupiah> = o.schedule.iter().map(|l| l.amount).collect();
            for (k, a) in amounts.iter().enumerate() {
                if *a > recovery::capacity(k, &amounts, recommended, &policy.recovery) {
                    prop_assert!(o.flags.contains(&OfferFlag::InstalmentAboveAbility)
                        || o.flags.contains(&OfferFlag::LumpSumAboveAbility));
                }
            }

            // Within authority means within every limit of the role's row.
            if !o.authority.needs_approval() {
                let l = policy.authority.limits(role, debt.product, debt.kolektibilitas).unwrap();
                prop_assert!(o.tenor_months <= l.max_tenor_months);
                prop_assert!(o.discount_rates.penalty <= l.max_penalty_discount || owed.penalty.is_zero());
                prop_assert!(o.discount_rates.principal <= l.max_principal_discount || owed.principal.is_zero());
                prop_assert!(o.kind != OfferKind::Restructuring || l.may_restructure);
                prop_assert!((o.schedule[0].due_date - as_of()).num_days() <= i64::from(l.max_days_to_first_payment));
            }
            prop_assert!(o.recovery.expected <= o.recovery.present_value);
        }
        // Deterministic: the same input gives the same answer.
        prop_assert_eq!(offers(&n).unwrap(), set);
    }

    #[test]
    fn settlements_appear_only_from_the_configured_class(debt in any_debt()) {
        let policy = NegotiationPolicy::default();
        let assessment = assess(Declaration {
            monthly_income: Rupiah::new(10_000_000),
            essential_expenses: Rupiah::new(4_000_000),
            other_debt_payments: Rupiah::ZERO,
            dependants: 0,
            hardship: None,
        }, &policy.ability).unwrap();
        let request = OfferRequest::default();
        let n = Negotiation { debt: &debt, assessment: &assessment, policy: &policy, role: Role::Manager, as_of: as_of(), request: &request };
        if let Ok(set) = offers(&n) {
            let from: Kolektibilitas = policy.products[&debt.product].settlement_from;
            if debt.kolektibilitas < from {
                prop_assert!(set.options.iter().all(|o| o.kind != OfferKind::Settlement));
            }
        }
    }
}
