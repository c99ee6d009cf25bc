//! The offer engine: from an account, the debtor's assessed ability, the product's policy
//! and the user's authority, the payment options worth proposing, ranked by expected
//! recovery.
//!
//! Five kinds: full payoff with a discount by a date; an instalment plan of the overdue
//! amount (with a down payment); rescheduling (same rate, longer tenor); restructuring
//! (arrears capitalised, lower rate); and a discounted settlement for late classes. Every
//! option stays within the product's caps; an option beyond the user's authority is still
//! returned, marked with the limits it exceeds. The engine is deterministic: the same input
//! gives the same options in the same order.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::assessment::Assessment;
use super::authority::{AuthorityCheck, AuthorityLimits, Terms};
use super::plan;
use super::policy::{NegotiationPolicy, OfferRules, PolicyError};
use super::recovery::{self, keep_probability, Probability, PromiseHistory, Recovery};
use crate::account::Balance;
use crate::dpd::Dpd;
use crate::kolektibilitas::Kolektibilitas;
use crate::money::Rupiah;
use crate::product::ProductType;
use crate::rate::Rate;
use crate::role::Role;
use crate::schedule::{self, LoanTerms, ScheduleMethod};

/// The kind of an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    /// Pelunasan: everything at once by a date, with a discount on penalty and/or interest.
    FullPayoff,
    /// Cicilan tunggakan: the overdue amount over a few months after a down payment, with the
    /// contract's remaining instalments continuing alongside.
    InstalmentPlan,
    /// Penjadwalan ulang: the principal over a longer tenor at the same rate.
    Rescheduling,
    /// Restrukturisasi: arrears capitalised into the principal at a lower rate.
    Restructuring,
    /// Pelunasan dengan keringanan: a lump sum below the total, for late classes.
    Settlement,
}

impl OfferKind {
    /// The stable code (`full_payoff`, …).
    pub const fn code(self) -> &'static str {
        match self {
            OfferKind::FullPayoff => "full_payoff",
            OfferKind::InstalmentPlan => "instalment_plan",
            OfferKind::Rescheduling => "rescheduling",
            OfferKind::Restructuring => "restructuring",
            OfferKind::Settlement => "settlement",
        }
    }

    /// The Indonesian name.
    pub const fn label(self) -> &'static str {
        match self {
            OfferKind::FullPayoff => "Pelunasan",
            OfferKind::InstalmentPlan => "Cicilan tunggakan",
            OfferKind::Rescheduling => "Penjadwalan ulang",
            OfferKind::Restructuring => "Restrukturisasi",
            OfferKind::Settlement => "Pelunasan dengan keringanan",
        }
    }
}

/// Discount rates per component (fees are never discounted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Discounts {
    /// On the penalty.
    pub penalty: Rate,
    /// On overdue interest.
    pub interest: Rate,
    /// On the outstanding principal (settlements only).
    pub principal: Rate,
}

impl Discounts {
    /// Checks each rate against `caps`; the error names `prefix.component`.
    pub fn validate(&self, prefix: &str, caps: &Discounts) -> Result<(), PolicyError> {
        for (name, rate, cap) in [
            ("penalty", self.penalty, caps.penalty),
            ("interest", self.interest, caps.interest),
            ("principal", self.principal, caps.principal),
        ] {
            if rate > cap {
                return Err(PolicyError {
                    field: format!("{prefix}.{name}"),
                    message: format!("{rate} is above the cap of {cap}"),
                });
            }
        }
        Ok(())
    }

    /// Each rate cut to the limits of an authority.
    pub fn within(&self, limits: &AuthorityLimits) -> Discounts {
        Discounts {
            penalty: self.penalty.min(limits.max_penalty_discount),
            interest: self.interest.min(limits.max_interest_discount),
            principal: self.principal.min(limits.max_principal_discount),
        }
    }

    fn without_principal(self) -> Discounts {
        Discounts {
            principal: Rate::ZERO,
            ..self
        }
    }
}

/// Amounts per component.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Components {
    /// Biaya.
    pub fees: Rupiah,
    /// Denda.
    pub penalty: Rupiah,
    /// Bunga.
    pub interest: Rupiah,
    /// Pokok.
    pub principal: Rupiah,
}

impl Components {
    /// The sum.
    pub fn total(&self) -> Rupiah {
        self.fees + self.penalty + self.interest + self.principal
    }

    fn minus(&self, other: &Components) -> Components {
        Components {
            fees: self.fees - other.fees,
            penalty: self.penalty - other.penalty,
            interest: self.interest - other.interest,
            principal: self.principal - other.principal,
        }
    }

    fn discount(&self, d: &Discounts) -> Components {
        Components {
            fees: Rupiah::ZERO,
            penalty: d.penalty.of(self.penalty),
            interest: d.interest.of(self.interest),
            principal: d.principal.of(self.principal),
        }
    }
}

/// The account as the negotiation sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debt {
    /// The product.
    pub product: ProductType,
    /// What is owed, by component.
    pub balance: Balance,
    /// Days past due.
    pub dpd: Dpd,
    /// Quality class.
    pub kolektibilitas: Kolektibilitas,
    /// Contract annual rate.
    pub annual_rate: Rate,
    /// Annuity or flat.
    pub method: ScheduleMethod,
    /// The regular contractual instalment.
    pub instalment: Rupiah,
    /// Instalments of the contract not yet due (0 when the loan has matured).
    pub remaining_tenor_months: u32,
    /// Amount originally lent (the base of a charges cap).
    pub original_principal: Rupiah,
    /// Interest, penalty and fees already paid (count against a charges cap).
    pub charges_paid: Rupiah,
    /// The debtor's promises so far.
    pub promises: PromiseHistory,
    /// The creditor's propensity model's probability that the debtor pays, when it has
    /// one: it replaces the promise history as the probability a plan's first payment
    /// is kept.
    pub propensity: Option<Probability>,
}

/// Terms the user asks for explicitly; each replaces the policy's choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferRequest {
    /// The tenor of every plan, rescheduling and restructuring.
    pub tenor_months: Option<u32>,
    /// The down payment of instalment plans.
    pub down_payment: Option<Rate>,
    /// The discounts of every option (principal only applies to a settlement).
    pub discount: Option<Discounts>,
    /// The pay-by date of lump sums and the first payment of plans.
    pub first_payment: Option<NaiveDate>,
}

/// Everything the engine reads.
#[derive(Debug, Clone, Copy)]
pub struct Negotiation<'a> {
    /// The account.
    pub debt: &'a Debt,
    /// The debtor's assessed ability.
    pub assessment: &'a Assessment,
    /// The policy.
    pub policy: &'a NegotiationPolicy,
    /// The user's role.
    pub role: Role,
    /// The negotiation date: schedules start from it.
    pub as_of: NaiveDate,
    /// Explicit terms.
    pub request: &'a OfferRequest,
}

/// One payment of an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLine {
    /// 1-based.
    pub seq: u32,
    /// Due date.
    pub due_date: NaiveDate,
    /// The amount (the sum of `parts`).
    pub amount: Rupiah,
    /// What it pays. After a restructuring the capitalised arrears are principal.
    pub parts: Components,
}

/// Something the user should know about an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferFlag {
    /// A monthly instalment is above the assessed ability.
    InstalmentAboveAbility,
    /// The lump sum or down payment is above what the debtor can raise.
    LumpSumAboveAbility,
    /// The schedule includes the contract's remaining instalments on principal not yet due.
    ContractInstalmentsIncluded,
    /// The policy's discount is beyond the user's authority; this variant stays within it.
    ClampedToAuthority,
    /// Built from terms the user asked for.
    Requested,
}

/// One payment option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// 1 = best expected recovery.
    pub rank: u32,
    /// The kind.
    pub kind: OfferKind,
    /// A one-line description in Indonesian.
    pub label: String,
    /// The discount rates applied.
    pub discount_rates: Discounts,
    /// The discount per component, in rupiah.
    pub discount: Components,
    /// Arrears and penalty capitalised into the new principal (restructuring).
    pub capitalised: Rupiah,
    /// Interest the option's schedule charges beyond what is owed now: the new loan's
    /// (rescheduling, restructuring) or the contract's remaining instalments' (plans).
    pub new_interest: Rupiah,
    /// The annual rate of the new schedule, if there is one.
    pub annual_rate: Option<Rate>,
    /// The down payment or up-front payment (the whole amount for a lump sum).
    pub down_payment: Rupiah,
    /// The regular monthly payment (the whole amount for a lump sum).
    pub instalment: Rupiah,
    /// Monthly payments of the arrangement after the down payment (0 for a lump sum; for a
    /// plan, the months over which the arrears are spread).
    pub tenor_months: u32,
    /// Everything the option collects: the schedule's sum.
    pub total_paid: Rupiah,
    /// The payments.
    pub schedule: Vec<PlanLine>,
    /// What the option is worth.
    pub recovery: Recovery,
    /// What it asks for in the authority matrix's terms (so any role's authority can be
    /// checked against the very same option).
    #[serde(default)]
    pub terms: Terms,
    /// Whether the user may agree to it alone.
    pub authority: AuthorityCheck,
    /// Notes.
    pub flags: Vec<OfferFlag>,
}

/// The engine's answer for one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferSet {
    /// What is owed now by component, after any charges cap.
    pub owed: Components,
    /// Charges above the product's cap, waived before any option.
    pub waived_over_cap: Components,
    /// The debtor's probability of keeping a promise, from the history.
    pub keep_probability: Probability,
    /// The options, best first.
    pub options: Vec<Offer>,
}

/// Why no options can be computed; each names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfferError {
    /// The policy has no rules for the product.
    #[error("account.product: the policy has no rules for {0:?}")]
    UnknownProduct(&'static str),
    /// Nothing is owed.
    #[error("account.balance: nothing is owed")]
    NothingOwed,
    /// A requested tenor of zero.
    #[error("request.tenor_months: must be at least 1")]
    ZeroTenor,
    /// A requested tenor above the product's maximum.
    #[error(
        "request.tenor_months: {requested} is above the policy maximum of {max} for {product}"
    )]
    TenorAbovePolicy {
        /// Asked for.
        requested: u32,
        /// The product's maximum.
        max: u32,
        /// The product code.
        product: &'static str,
    },
    /// A requested discount above the product's cap.
    #[error(
        "request.discount.{component}: {requested} is above the policy cap of {cap} for {product}"
    )]
    DiscountAboveCap {
        /// `penalty`, `interest` or `principal`.
        component: &'static str,
        /// Asked for.
        requested: Rate,
        /// The cap.
        cap: Rate,
        /// The product code.
        product: &'static str,
    },
    /// A down payment above 100%.
    #[error("request.down_payment: {0} is above 100%")]
    DownPaymentAbove100(Rate),
    /// A first payment before the negotiation date.
    #[error("request.first_payment: {0} is before the negotiation date {1}")]
    FirstPaymentInPast(NaiveDate, NaiveDate),
    /// A first payment later than the product allows.
    #[error("request.first_payment: {days} days away is beyond the policy maximum of {max} days")]
    FirstPaymentTooLate {
        /// Days from the negotiation date.
        days: i64,
        /// The product's maximum.
        max: u32,
    },
}

/// Computes the ranked options for one account.
pub fn offers(n: &Negotiation) -> Result<OfferSet, OfferError> {
    let product = n.debt.product.code();
    let rules = n
        .policy
        .products
        .get(&n.debt.product)
        .ok_or(OfferError::UnknownProduct(product))?;
    check_request(n.request, rules, n.as_of, product)?;
    let b = &n.debt.balance;
    let owed_raw = Components {
        fees: b.fees.clamp_zero(),
        penalty: b.penalty.clamp_zero(),
        interest: b.arrears_interest.clamp_zero(),
        principal: b.outstanding_principal.clamp_zero(),
    };
    if !owed_raw.total().is_positive() {
        return Err(OfferError::NothingOwed);
    }
    let (waived, charge_room) = cap_charges(&owed_raw, n.debt, rules);
    let owed = owed_raw.minus(&waived);
    let engine = Engine {
        n,
        rules,
        owed,
        charge_room,
        keep: n
            .debt
            .propensity
            .unwrap_or_else(|| keep_probability(n.debt.promises, &n.policy.recovery)),
        limits: n
            .policy
            .authority
            .limits(n.role, n.debt.product, n.debt.kolektibilitas),
    };
    let mut options = engine.all();
    dedupe(&mut options);
    options.sort_by(|a, b| {
        b.recovery
            .expected
            .cmp(&a.recovery.expected)
            .then(a.kind.cmp(&b.kind))
            .then(a.tenor_months.cmp(&b.tenor_months))
            .then(b.total_paid.cmp(&a.total_paid))
    });
    for (i, o) in options.iter_mut().enumerate() {
        o.rank = i as u32 + 1;
    }
    Ok(OfferSet {
        owed,
        waived_over_cap: waived,
        keep_probability: engine.keep,
        options,
    })
}

fn check_request(
    r: &OfferRequest,
    rules: &OfferRules,
    as_of: NaiveDate,
    product: &'static str,
) -> Result<(), OfferError> {
    match r.tenor_months {
        Some(0) => return Err(OfferError::ZeroTenor),
        Some(t) if t > rules.max_tenor_months => {
            return Err(OfferError::TenorAbovePolicy {
                requested: t,
                max: rules.max_tenor_months,
                product,
            })
        }
        _ => {}
    }
    if let Some(d) = &r.discount {
        for (component, requested, cap) in [
            ("penalty", d.penalty, rules.caps.penalty),
            ("interest", d.interest, rules.caps.interest),
            ("principal", d.principal, rules.caps.principal),
        ] {
            if requested > cap {
                return Err(OfferError::DiscountAboveCap {
                    component,
                    requested,
                    cap,
                    product,
                });
            }
        }
    }
    if let Some(dp) = r.down_payment {
        if dp > Rate::from_ppm(1_000_000) {
            return Err(OfferError::DownPaymentAbove100(dp));
        }
    }
    if let Some(first) = r.first_payment {
        let days = (first - as_of).num_days();
        if days < 0 {
            return Err(OfferError::FirstPaymentInPast(first, as_of));
        }
        if days > i64::from(rules.max_days_to_first_payment) {
            return Err(OfferError::FirstPaymentTooLate {
                days,
                max: rules.max_days_to_first_payment,
            });
        }
    }
    Ok(())
}

/// Under a charges cap, the charges owed beyond what the cap leaves are waived (penalty
/// first, then fees, then interest). Returns the waiver and the room left for new interest
/// (None when the product has no cap).
fn cap_charges(owed: &Components, debt: &Debt, rules: &OfferRules) -> (Components, Option<Rupiah>) {
    let Some(cap) = rules.charges_cap else {
        return (Components::default(), None);
    };
    let room = (cap.of(debt.original_principal.clamp_zero()) - debt.charges_paid.clamp_zero())
        .clamp_zero();
    let mut excess = (owed.fees + owed.penalty + owed.interest - room).clamp_zero();
    let mut take = |amount: Rupiah| {
        let t = amount.min(excess);
        excess -= t;
        t
    };
    let waived = Components {
        penalty: take(owed.penalty),
        fees: take(owed.fees),
        interest: take(owed.interest),
        principal: Rupiah::ZERO,
    };
    let left = (room - (owed.fees + owed.penalty + owed.interest - waived.total())).clamp_zero();
    (waived, Some(left))
}

struct Engine<'a> {
    n: &'a Negotiation<'a>,
    rules: &'a OfferRules,
    owed: Components,
    charge_room: Option<Rupiah>,
    keep: Probability,
    limits: Option<&'a AuthorityLimits>,
}

/// What distinguishes one candidate option before it is priced.
struct Candidate {
    kind: OfferKind,
    discounts: Discounts,
    tenor: u32,
    flags: Vec<OfferFlag>,
}

impl Engine<'_> {
    fn all(&self) -> Vec<Offer> {
        let mut out = Vec::new();
        for c in self.candidates() {
            if let Some(o) = self.build(c) {
                out.push(o);
            }
        }
        out
    }

    fn candidates(&self) -> Vec<Candidate> {
        let r = self.rules;
        let req = self.n.request;
        let debt = self.n.debt;
        let requested = if req.discount.is_some() || req.tenor_months.is_some() {
            vec![OfferFlag::Requested]
        } else {
            Vec::new()
        };
        let pick = |policy: Discounts| req.discount.unwrap_or(policy);
        let mut out = Vec::new();
        // Lump sums, each also clamped to the user's authority when the policy offers more.
        let settlement = debt.kolektibilitas >= r.settlement_from;
        let lumps = [
            (
                OfferKind::FullPayoff,
                pick(r.payoff_discount).without_principal(),
                true,
            ),
            (
                OfferKind::Settlement,
                pick(r.settlement_discount),
                settlement,
            ),
        ];
        for (kind, discounts, offered) in lumps {
            if !offered {
                continue;
            }
            out.push(Candidate {
                kind,
                discounts,
                tenor: 0,
                flags: requested.clone(),
            });
            if let (Some(limits), None) = (self.limits, req.discount) {
                let within = discounts.within(limits);
                if within != discounts {
                    out.push(Candidate {
                        kind,
                        discounts: within,
                        tenor: 0,
                        flags: vec![OfferFlag::ClampedToAuthority],
                    });
                }
            }
        }
        for tenor in self.plan_tenors() {
            out.push(Candidate {
                kind: OfferKind::InstalmentPlan,
                discounts: pick(r.plan_discount).without_principal(),
                tenor,
                flags: requested.clone(),
            });
        }
        let principal = debt.balance.outstanding_principal.is_positive();
        if r.rescheduling && principal {
            for tenor in self.reschedule_tenors() {
                out.push(Candidate {
                    kind: OfferKind::Rescheduling,
                    discounts: pick(r.reschedule_discount).without_principal(),
                    tenor,
                    flags: requested.clone(),
                });
            }
        }
        if r.restructuring && principal && debt.dpd.days() > 0 {
            let tenor = req.tenor_months.unwrap_or_else(|| {
                (debt.remaining_tenor_months + r.restructure_extension).min(r.max_tenor_months)
            });
            out.push(Candidate {
                kind: OfferKind::Restructuring,
                discounts: pick(r.restructure_discount).without_principal(),
                tenor,
                flags: requested,
            });
        }
        out
    }

    /// The policy's plan tenors plus the shortest the debtor can afford, or the requested one.
    fn plan_tenors(&self) -> Vec<u32> {
        if let Some(t) = self.n.request.tenor_months {
            return vec![t];
        }
        let mut tenors = self.rules.plan_tenors.clone();
        let due = self.overdue().total();
        let spare = self.n.assessment.recommended_monthly - self.contract_instalment();
        if spare.is_positive() && due.is_positive() {
            let rest = due - self.rules.plan_down_payment.of(due);
            let months = (rest.value() + spare.value() - 1) / spare.value();
            if let Ok(m) = u32::try_from(months) {
                if (1..=self.rules.max_tenor_months).contains(&m) {
                    tenors.push(m);
                }
            }
        }
        tenors.sort_unstable();
        tenors.dedup();
        tenors
    }

    fn reschedule_tenors(&self) -> Vec<u32> {
        if let Some(t) = self.n.request.tenor_months {
            return vec![t];
        }
        let remaining = self.n.debt.remaining_tenor_months;
        let max = self.rules.max_tenor_months;
        let mut tenors: Vec<u32> = self
            .rules
            .reschedule_extensions
            .iter()
            .map(|e| (remaining + e).min(max))
            .filter(|t| *t > remaining)
            .collect();
        tenors.dedup();
        tenors
    }

    /// What is overdue now: fees, penalty, overdue interest and principal.
    fn overdue(&self) -> Components {
        let b = &self.n.debt.balance;
        // Once the contract has no instalments left, all principal is due.
        let principal = if self.n.debt.remaining_tenor_months == 0 {
            self.owed.principal
        } else {
            b.arrears_principal.clamp_zero().min(self.owed.principal)
        };
        Components {
            principal,
            ..self.owed
        }
    }

    /// The remaining contract on principal not yet due, which a plan of the overdue amount
    /// keeps running; None when the loan has matured or everything is due.
    fn contract(&self) -> Option<LoanTerms> {
        let debt = self.n.debt;
        let not_due = self.owed.principal - self.overdue().principal;
        (not_due.is_positive() && debt.remaining_tenor_months > 0).then_some(LoanTerms {
            principal: not_due,
            annual_rate: debt.annual_rate,
            tenor_months: debt.remaining_tenor_months,
            first_due: self.n.as_of,
            method: debt.method,
        })
    }

    /// The contract's regular instalment, re-derived from the balance (the stored one may
    /// be stale after partial payments).
    fn contract_instalment(&self) -> Rupiah {
        self.contract()
            .and_then(|t| schedule::instalment_amount(&t).ok())
            .unwrap_or(Rupiah::ZERO)
    }

    fn pay_by(&self) -> NaiveDate {
        self.n
            .request
            .first_payment
            .unwrap_or_else(|| self.n.as_of + Days::new(u64::from(self.rules.payoff_days)))
    }

    fn first_payment(&self) -> NaiveDate {
        self.n
            .request
            .first_payment
            .unwrap_or_else(|| self.n.as_of + Days::new(u64::from(self.rules.first_payment_days)))
    }

    fn build(&self, c: Candidate) -> Option<Offer> {
        let debt = self.n.debt;
        let order = &self.n.policy.allocation_order;
        let mut o = Priced::default();
        match c.kind {
            OfferKind::FullPayoff | OfferKind::Settlement => {
                o.discount = self.owed.discount(&c.discounts);
                let parts = self.owed.minus(&o.discount);
                o.schedule = plan::lump(self.pay_by(), parts);
                o.first = self.pay_by();
            }
            OfferKind::InstalmentPlan => {
                let overdue = self.overdue();
                o.discount = overdue.discount(&c.discounts);
                let parts = overdue.minus(&o.discount);
                let dp_rate = self
                    .n
                    .request
                    .down_payment
                    .unwrap_or(self.rules.plan_down_payment);
                let dp =
                    round_up(dp_rate.of(parts.total()), self.rules.round_to).min(parts.total());
                if !(parts.total() - dp).is_positive() {
                    return None;
                }
                o.first = self.first_payment();
                o.spread = parts.total();
                let lines = plan::spread(o.first, parts, dp, c.tenor, self.rules.round_to, order);
                o.schedule = if let Some(terms) = self.contract() {
                    o.contract = true;
                    let lines =
                        plan::with_loan(lines, o.first, u32::from(dp.is_positive()), terms).ok()?;
                    o.new_interest =
                        lines.iter().map(|l| l.parts.interest).sum::<Rupiah>() - parts.interest;
                    if let Some(room) = self.charge_room {
                        if o.new_interest > room {
                            return None;
                        }
                    }
                    lines
                } else {
                    lines
                };
            }
            OfferKind::Rescheduling | OfferKind::Restructuring => {
                o.discount = self.owed.discount(&c.discounts);
                let arrears = Components {
                    principal: Rupiah::ZERO,
                    ..self.owed.minus(&o.discount)
                };
                let restructure = c.kind == OfferKind::Restructuring;
                let (upfront, principal, rate) = if restructure {
                    o.capitalised = arrears.total();
                    (
                        Components::default(),
                        self.owed.principal + arrears.total(),
                        self.restructure_rate(),
                    )
                } else {
                    (arrears, self.owed.principal, debt.annual_rate)
                };
                let terms = LoanTerms {
                    principal,
                    annual_rate: rate,
                    tenor_months: c.tenor,
                    first_due: self.n.as_of,
                    method: debt.method,
                };
                o.first = self.first_payment();
                o.schedule = plan::loan(o.first, upfront, terms).ok()?;
                let interest: Rupiah = o.schedule.iter().map(|l| l.parts.interest).sum();
                o.new_interest = interest - upfront.interest;
                if let Some(room) = self.charge_room {
                    // Under a charges cap the new interest must fit what the cap leaves.
                    if o.new_interest > room {
                        return None;
                    }
                }
                o.rate = Some(rate);
            }
        }
        Some(self.finish(c, o))
    }

    fn restructure_rate(&self) -> Rate {
        let contract = self.n.debt.annual_rate;
        let cut = Rate::from_ppm(
            contract
                .ppm()
                .saturating_sub(self.rules.restructure_rate_cut.ppm()),
        );
        cut.max(self.rules.restructure_min_rate).min(contract)
    }

    fn finish(&self, c: Candidate, p: Priced) -> Offer {
        let lump = c.tenor == 0;
        let amounts: Vec<Rupiah> = p.schedule.iter().map(|l| l.amount).collect();
        let total: Rupiah = amounts.iter().copied().sum();
        let has_upfront = !lump && amounts.len() as u32 > c.tenor;
        let down_payment = if has_upfront {
            amounts[0]
        } else if lump {
            total
        } else {
            Rupiah::ZERO
        };
        let instalment = if lump {
            total
        } else {
            amounts[usize::from(has_upfront)]
        };
        let burden = &amounts;
        let recommended = self.n.assessment.recommended_monthly;
        let policy = &self.n.policy.recovery;
        let mut flags = c.flags;
        for (i, amount) in burden.iter().enumerate() {
            if *amount > recovery::capacity(i, burden, recommended, policy) {
                let flag = if i == 0 && (lump || has_upfront) {
                    OfferFlag::LumpSumAboveAbility
                } else {
                    OfferFlag::InstalmentAboveAbility
                };
                if !flags.contains(&flag) {
                    flags.push(flag);
                }
            }
        }
        if p.contract {
            flags.push(OfferFlag::ContractInstalmentsIncluded);
        }
        flags.sort_by_key(|f| *f as u8);
        let payments: Vec<(NaiveDate, Rupiah)> =
            p.schedule.iter().map(|l| (l.due_date, l.amount)).collect();
        let keep = self
            .keep
            .and(recovery::affordability(burden, recommended, policy));
        let recovery = recovery::value(self.n.as_of, &payments, keep, policy);
        let base = if c.kind == OfferKind::InstalmentPlan {
            self.overdue()
        } else {
            self.owed
        };
        let effective = |d: Rate, amount: Rupiah| if amount.is_positive() { d } else { Rate::ZERO };
        let terms = Terms {
            penalty_discount: effective(c.discounts.penalty, base.penalty),
            interest_discount: effective(c.discounts.interest, base.interest),
            principal_discount: effective(c.discounts.principal, base.principal),
            tenor_months: c.tenor,
            down_payment: if c.kind == OfferKind::InstalmentPlan {
                share(down_payment, p.spread)
            } else {
                Rate::from_ppm(1_000_000)
            },
            days_to_first_payment: u32::try_from((p.first - self.n.as_of).num_days())
                .unwrap_or(u32::MAX),
            restructures: c.kind == OfferKind::Restructuring,
        };
        let authority = self.n.policy.authority.check(
            self.n.role,
            self.n.debt.product,
            self.n.debt.kolektibilitas,
            &terms,
        );
        Offer {
            rank: 0,
            kind: c.kind,
            label: label(
                c.kind,
                &c.discounts,
                p.first,
                down_payment,
                instalment,
                c.tenor,
                p.rate,
                p.contract,
            ),
            discount_rates: c.discounts,
            discount: p.discount,
            capitalised: p.capitalised,
            new_interest: p.new_interest,
            annual_rate: p.rate,
            down_payment,
            instalment,
            tenor_months: c.tenor,
            total_paid: total,
            schedule: p.schedule,
            recovery,
            terms,
            authority,
            flags,
        }
    }
}

/// An option's numbers before it is valued and checked.
struct Priced {
    discount: Components,
    capitalised: Rupiah,
    new_interest: Rupiah,
    rate: Option<Rate>,
    contract: bool,
    /// What a plan spreads (the overdue amount after discount): the base of its down payment.
    spread: Rupiah,
    first: NaiveDate,
    schedule: Vec<PlanLine>,
}

impl Default for Priced {
    fn default() -> Self {
        Priced {
            discount: Components::default(),
            capitalised: Rupiah::ZERO,
            new_interest: Rupiah::ZERO,
            rate: None,
            contract: false,
            spread: Rupiah::ZERO,
            first: NaiveDate::MIN,
            schedule: Vec::new(),
        }
    }
}

/// Drops options whose payments (dates and amounts) repeat an earlier one's.
fn dedupe(options: &mut Vec<Offer>) {
    let mut seen: Vec<Vec<(NaiveDate, Rupiah)>> = Vec::new();
    options.retain(|o| {
        let key: Vec<(NaiveDate, Rupiah)> =
            o.schedule.iter().map(|l| (l.due_date, l.amount)).collect();
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

/// `part / whole` as a rate, rounded down (so a down payment never reads higher than it is).
fn share(part: Rupiah, whole: Rupiah) -> Rate {
    if !whole.is_positive() {
        return Rate::ZERO;
    }
    let ppm = i128::from(part.value().max(0)) * 1_000_000 / i128::from(whole.value());
    Rate::from_ppm(ppm.clamp(0, 1_000_000) as u32)
}

fn round_up(amount: Rupiah, unit: Rupiah) -> Rupiah {
    if unit.is_positive() && amount.is_positive() {
        let u = unit.value();
        Rupiah::new((amount.value() + u - 1) / u * u)
    } else {
        amount
    }
}

/// `9 Des 2026`.
pub(crate) fn tanggal(d: NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

fn label(
    kind: OfferKind,
    d: &Discounts,
    first: NaiveDate,
    down_payment: Rupiah,
    instalment: Rupiah,
    tenor: u32,
    rate: Option<Rate>,
    contract: bool,
) -> String {
    let mut cuts = Vec::new();
    for (name, r) in [
        ("denda", d.penalty),
        ("bunga", d.interest),
        ("pokok", d.principal),
    ] {
        if r > Rate::ZERO {
            cuts.push(format!("{name} {r}"));
        }
    }
    let cuts = if cuts.is_empty() {
        String::new()
    } else {
        format!(", potongan {}", cuts.join(", "))
    };
    let when = tanggal(first);
    match kind {
        OfferKind::FullPayoff | OfferKind::Settlement => {
            format!(
                "{} {instalment}{cuts}, bayar paling lambat {when}",
                kind.label()
            )
        }
        OfferKind::InstalmentPlan => {
            let dp = if down_payment.is_positive() {
                format!(", uang muka {down_payment} pada {when}")
            } else {
                format!(", mulai {when}")
            };
            format!("{} {tenor} bulan × {instalment}{dp}{cuts}", kind.label())
                + if contract {
                    ", termasuk angsuran kontrak"
                } else {
                    ""
                }
        }
        OfferKind::Rescheduling | OfferKind::Restructuring => {
            let rate = rate
                .map(|r| format!(", bunga {r} per tahun"))
                .unwrap_or_default();
            let upfront = if down_payment.is_positive() {
                format!(", bayar tunggakan {down_payment} pada {when}")
            } else {
                format!(", mulai {when}")
            };
            format!(
                "{} {tenor} bulan × {instalment}{rate}{upfront}{cuts}",
                kind.label()
            )
        }
    }
}
