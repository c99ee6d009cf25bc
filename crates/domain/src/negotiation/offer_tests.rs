//! Examples of the offer engine's rules, one behaviour per test.

use chrono::NaiveDate;

use super::assessment::{assess, Assessment, Declaration};
use super::authority::Limit;
use super::offer::{
    offers, Debt, Discounts, Negotiation, OfferError, OfferFlag, OfferKind, OfferRequest, OfferSet,
};
use super::policy::NegotiationPolicy;
use super::recovery::PromiseHistory;
use crate::account::Balance;
use crate::dpd::Dpd;
use crate::kolektibilitas::Kolektibilitas;
use crate::money::Rupiah;
use crate::product::ProductType;
use crate::rate::Rate;
use crate::role::Role;
use crate::schedule::ScheduleMethod;

fn rp(v: i64) -> Rupiah {
    Rupiah::new(v)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn pct(p: u32) -> Rate {
    Rate::from_ppm(p * 10_000)
}

/// A KTA 109 days late: 4 instalments overdue, 14 to go.
fn kta() -> Debt {
    Debt {
        product: ProductType::Kta,
        balance: Balance {
            outstanding_principal: rp(16_998_018),
            arrears_principal: rp(3_393_820),
            arrears_interest: rp(944_467),
            penalty: rp(512_000),
            fees: rp(150_000),
            oldest_unpaid_due: Some(d("2026-08-15")),
        },
        dpd: Dpd(109),
        kolektibilitas: Kolektibilitas::new(3).unwrap(),
        annual_rate: pct(18),
        method: ScheduleMethod::Annuity,
        instalment: rp(1_084_572),
        remaining_tenor_months: 14,
        original_principal: rp(30_000_000),
        charges_paid: Rupiah::ZERO,
        promises: PromiseHistory { made: 3, kept: 1 },
        propensity: None,
    }
}

fn able(income: i64) -> Assessment {
    assess(
        Declaration {
            monthly_income: rp(income),
            essential_expenses: rp(income / 2),
            other_debt_payments: Rupiah::ZERO,
            dependants: 1,
            hardship: None,
        },
        &NegotiationPolicy::default().ability,
    )
    .unwrap()
}

fn run(debt: &Debt, role: Role, request: &OfferRequest) -> Result<OfferSet, OfferError> {
    let policy = NegotiationPolicy::default();
    offers(&Negotiation {
        debt,
        assessment: &able(8_000_000),
        policy: &policy,
        role,
        as_of: d("2026-12-02"),
        request,
    })
}

fn kinds(set: &OfferSet) -> Vec<OfferKind> {
    let mut k: Vec<OfferKind> = set.options.iter().map(|o| o.kind).collect();
    k.sort();
    k.dedup();
    k
}

#[test]
fn a_kta_in_class_three_gets_payoff_plans_rescheduling_and_restructuring_but_no_settlement() {
    let set = run(&kta(), Role::Collector, &OfferRequest::default()).unwrap();
    assert_eq!(
        kinds(&set),
        [
            OfferKind::FullPayoff,
            OfferKind::InstalmentPlan,
            OfferKind::Rescheduling,
            OfferKind::Restructuring
        ]
    );
    let ranks: Vec<u32> = set.options.iter().map(|o| o.rank).collect();
    assert_eq!(ranks, (1..=set.options.len() as u32).collect::<Vec<_>>());
}

#[test]
fn a_macet_account_also_gets_a_settlement_that_discounts_principal() {
    let mut debt = kta();
    debt.kolektibilitas = Kolektibilitas::new(5).unwrap();
    let set = run(&debt, Role::Manager, &OfferRequest::default()).unwrap();
    let s = set
        .options
        .iter()
        .find(|o| o.kind == OfferKind::Settlement)
        .expect("a settlement");
    // 20% of 16.998.018 principal, all penalty and interest.
    assert_eq!(s.discount.principal, rp(3_399_604));
    assert_eq!(s.discount.penalty, rp(512_000));
    assert_eq!(s.total_paid, rp(150_000 + 16_998_018 - 3_399_604));
    assert!(!s.authority.needs_approval(), "{:?}", s.authority);
}

#[test]
fn the_full_payoff_beyond_a_collectors_authority_comes_with_a_variant_within_it() {
    let set = run(&kta(), Role::Collector, &OfferRequest::default()).unwrap();
    let payoffs: Vec<_> = set
        .options
        .iter()
        .filter(|o| o.kind == OfferKind::FullPayoff)
        .collect();
    assert_eq!(payoffs.len(), 2);
    let full = payoffs
        .iter()
        .find(|o| o.discount_rates.penalty == pct(100))
        .unwrap();
    assert_eq!(full.authority.exceeded[0].limit, Limit::MaxPenaltyDiscount);
    assert_eq!(full.authority.approver, Some(Role::Supervisor));
    let within = payoffs
        .iter()
        .find(|o| o.discount_rates.penalty == pct(50))
        .unwrap();
    assert!(!within.authority.needs_approval());
    assert!(within.flags.contains(&OfferFlag::ClampedToAuthority));
    assert_eq!(within.schedule[0].due_date, d("2026-12-09"));
    assert_eq!(within.total_paid, rp(18_604_485 - 256_000));
}

#[test]
fn an_instalment_plan_spreads_the_arrears_and_keeps_the_contract_running() {
    let set = run(&kta(), Role::Collector, &OfferRequest::default()).unwrap();
    let plan = set
        .options
        .iter()
        .find(|o| o.kind == OfferKind::InstalmentPlan && o.tenor_months == 6)
        .unwrap();
    // Arrears after a 50% penalty discount: 150.000 + 256.000 + 944.467 + 3.393.820.
    let spread = 4_744_287;
    // 10% down payment rounded up to Rp1.000.
    assert_eq!(plan.down_payment, rp(475_000));
    // Down payment, then 14 contract months (the first 6 with the arrears share).
    assert_eq!(plan.schedule.len(), 15);
    assert!(plan.flags.contains(&OfferFlag::ContractInstalmentsIncluded));
    assert_eq!(
        plan.total_paid,
        rp(spread) + rp(16_998_018 - 3_393_820) + plan.new_interest
    );
    assert!(!plan.authority.needs_approval(), "{:?}", plan.authority);
}

#[test]
fn restructuring_lowers_the_rate_capitalises_arrears_and_needs_a_supervisor() {
    let set = run(&kta(), Role::Collector, &OfferRequest::default()).unwrap();
    let r = set
        .options
        .iter()
        .find(|o| o.kind == OfferKind::Restructuring)
        .unwrap();
    assert_eq!(r.annual_rate, Some(pct(15)));
    // Fees and interest capitalised; the penalty waived in full.
    assert_eq!(r.capitalised, rp(150_000 + 944_467));
    assert_eq!(r.tenor_months, 38);
    let limits: Vec<Limit> = r.authority.exceeded.iter().map(|e| e.limit).collect();
    assert!(limits.contains(&Limit::MayRestructure));
    assert_eq!(
        r.schedule.iter().map(|l| l.parts.principal).sum::<Rupiah>(),
        rp(16_998_018 + 150_000 + 944_467)
    );
}

#[test]
fn invoices_are_neither_rescheduled_nor_restructured() {
    let mut debt = kta();
    debt.product = ProductType::Invoice;
    debt.remaining_tenor_months = 0;
    debt.balance.arrears_principal = debt.balance.outstanding_principal;
    let set = run(&debt, Role::Collector, &OfferRequest::default()).unwrap();
    assert_eq!(
        kinds(&set),
        [OfferKind::FullPayoff, OfferKind::InstalmentPlan]
    );
}

#[test]
fn p2p_charges_above_the_cap_are_waived_penalty_first() {
    let debt = Debt {
        product: ProductType::P2pCash,
        balance: Balance {
            outstanding_principal: rp(2_000_000),
            arrears_principal: rp(2_000_000),
            arrears_interest: rp(600_000),
            penalty: rp(1_500_000),
            fees: rp(100_000),
            oldest_unpaid_due: Some(d("2026-09-01")),
        },
        dpd: Dpd(92),
        kolektibilitas: Kolektibilitas::new(5).unwrap(),
        annual_rate: pct(100),
        method: ScheduleMethod::Flat,
        instalment: rp(2_600_000),
        remaining_tenor_months: 0,
        original_principal: rp(2_000_000),
        charges_paid: rp(300_000),
        promises: PromiseHistory::default(),
        propensity: None,
    };
    let set = run(&debt, Role::Collector, &OfferRequest::default()).unwrap();
    // Cap 100% × 2.000.000 − 300.000 paid = 1.700.000 room for 2.200.000 of charges.
    assert_eq!(set.waived_over_cap.penalty, rp(500_000));
    assert_eq!(set.owed.total(), rp(2_000_000 + 1_700_000));
    assert!(set.options.iter().all(|o| o.total_paid <= rp(3_700_000)));
}

#[test]
fn requested_terms_replace_the_policys_and_give_no_clamped_variants() {
    let request = OfferRequest {
        tenor_months: Some(9),
        discount: Some(Discounts {
            penalty: pct(30),
            ..Discounts::default()
        }),
        ..OfferRequest::default()
    };
    let set = run(&kta(), Role::Collector, &request).unwrap();
    assert!(set
        .options
        .iter()
        .all(|o| o.flags.contains(&OfferFlag::Requested)));
    assert!(set
        .options
        .iter()
        .filter(|o| o.kind != OfferKind::FullPayoff)
        .all(|o| o.tenor_months == 9));
    assert!(set
        .options
        .iter()
        .all(|o| o.discount_rates.penalty == pct(30)));
}

#[test]
fn bad_requests_are_refused_naming_the_field() {
    let err = |request: OfferRequest| {
        run(&kta(), Role::Collector, &request)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err(OfferRequest {
            tenor_months: Some(0),
            ..OfferRequest::default()
        }),
        "request.tenor_months: must be at least 1"
    );
    assert_eq!(
        err(OfferRequest {
            tenor_months: Some(61),
            ..OfferRequest::default()
        }),
        "request.tenor_months: 61 is above the policy maximum of 60 for kta"
    );
    assert_eq!(
        err(OfferRequest {
            discount: Some(Discounts {
                principal: pct(60),
                ..Discounts::default()
            }),
            ..OfferRequest::default()
        }),
        "request.discount.principal: 60% is above the policy cap of 50% for kta"
    );
    assert_eq!(
        err(OfferRequest {
            first_payment: Some(d("2026-12-01")),
            ..OfferRequest::default()
        }),
        "request.first_payment: 2026-12-01 is before the negotiation date 2026-12-02"
    );
    assert_eq!(
        err(OfferRequest {
            first_payment: Some(d("2027-06-01")),
            ..OfferRequest::default()
        }),
        "request.first_payment: 181 days away is beyond the policy maximum of 90 days"
    );
    assert_eq!(
        err(OfferRequest {
            down_payment: Some(pct(101)),
            ..OfferRequest::default()
        }),
        "request.down_payment: 101% is above 100%"
    );
}

#[test]
fn a_paid_off_account_has_no_options() {
    let mut debt = kta();
    debt.balance = Balance::default();
    assert_eq!(
        run(&debt, Role::Collector, &OfferRequest::default()).unwrap_err(),
        OfferError::NothingOwed
    );
}

#[test]
fn roles_without_authority_see_every_option_needing_approval() {
    let set = run(&kta(), Role::Compliance, &OfferRequest::default()).unwrap();
    assert!(set
        .options
        .iter()
        .all(|o| o.authority.exceeded[0].limit == Limit::NoAuthority));
}

#[test]
fn a_product_missing_from_the_policy_is_refused() {
    let mut policy = NegotiationPolicy::default();
    policy.products.remove(&ProductType::Kta);
    let err = offers(&Negotiation {
        debt: &kta(),
        assessment: &able(8_000_000),
        policy: &policy,
        role: Role::Collector,
        as_of: d("2026-12-02"),
        request: &OfferRequest::default(),
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "account.product: the policy has no rules for \"kta\""
    );
}
