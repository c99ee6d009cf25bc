//! The negotiation's wire format (JSON in `sepakat negotiate`, later the API): an input
//! document that becomes domain values through `TryFrom`, and the view printed back.
//!
//! The shapes are documented in `docs/negotiation.md`. Amounts are whole rupiah (integers);
//! rates are percentage texts (`"18%"`, `"12,5%"`) or ppm integers; dates ISO `YYYY-MM-DD`.
//! Every refusal names the field it is about (`assessment.monthly_income: …`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::assessment::{assess, AbilityFlag, AbilityPolicy, Assessment, Declaration, Hardship};
use super::authority::{AuthorityMatrix, Exceeded, Limit};
use super::offer::{
    offers, Components, Debt, Discounts, Negotiation, Offer, OfferRequest, OfferSet,
};
use super::playbook::{Objection, Playbook, ReasonCode};
use super::policy::{NegotiationPolicy, OfferRules};
use super::recovery::{PromiseHistory, RecoveryPolicy};
use crate::account::Balance;
use crate::allocation::AllocationOrder;
use crate::dpd::Dpd;
use crate::kolektibilitas::{Kolektibilitas, Regime};
use crate::money::Rupiah;
use crate::product::ProductType;
use crate::rate::Rate;
use crate::role::Role;
use crate::schedule::{ScheduleMethod, MAX_TENOR_MONTHS};

/// The input document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegotiationInput {
    /// The negotiation date; schedules start from it.
    pub as_of: NaiveDate,
    /// The user's role (`collector`, `supervisor`, `manager`, …).
    pub role: Role,
    /// The account.
    pub account: AccountInput,
    /// What the debtor declares.
    pub assessment: DeclarationInput,
    /// Terms the user asks for explicitly.
    #[serde(default)]
    pub request: OfferRequestInput,
    /// Policy overrides; every part left out keeps its default.
    #[serde(default)]
    pub policy: PolicyInput,
}

/// `account`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    /// Product code (`kta`, `kpr`, `kartu_kredit`, …).
    pub product: ProductType,
    /// Kolektibilitas regime for deriving the class from DPD: `bank` (default) or `p2p`.
    #[serde(default)]
    pub regime: RegimeInput,
    /// A class that overrides the derived one (e.g. from the bank's own grading).
    pub kolektibilitas: Option<Kolektibilitas>,
    /// Amount originally lent.
    pub original_principal: Rupiah,
    /// Contract annual rate.
    pub annual_rate: Rate,
    /// `annuity` (default) or `flat`.
    #[serde(default = "annuity")]
    pub method: ScheduleMethod,
    /// The regular contractual instalment.
    pub instalment: Rupiah,
    /// Contract instalments not yet due.
    pub remaining_tenor_months: u32,
    /// What is owed.
    pub balance: BalanceInput,
    /// Charges already paid (for a charges cap).
    #[serde(default)]
    pub charges_paid: Rupiah,
    /// Promise history.
    #[serde(default)]
    pub promises: PromisesInput,
}

/// `account.balance`: what is owed, by component.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BalanceInput {
    /// All unpaid principal, due or not.
    pub outstanding_principal: Rupiah,
    /// Principal of instalments due and unpaid.
    #[serde(default)]
    pub arrears_principal: Rupiah,
    /// Interest of instalments due and unpaid.
    #[serde(default)]
    pub arrears_interest: Rupiah,
    /// Penalty (denda).
    #[serde(default)]
    pub penalty: Rupiah,
    /// Fees (biaya).
    #[serde(default)]
    pub fees: Rupiah,
    /// Due date of the oldest unpaid instalment (decides DPD).
    pub oldest_unpaid_due: Option<NaiveDate>,
}

/// `account.promises`.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromisesInput {
    /// Promises to pay made.
    pub made: u32,
    /// Promises kept.
    pub kept: u32,
}

/// `assessment.hardship`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HardshipInput {
    /// A playbook reason code.
    pub reason: ReasonCode,
    /// Evidence reference.
    pub evidence: Option<String>,
}

fn annuity() -> ScheduleMethod {
    ScheduleMethod::Annuity
}

/// A shipped kolektibilitas regime.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegimeInput {
    /// POJK 40/2019.
    #[default]
    Bank,
    /// POJK 10/2022.
    P2p,
}

/// `assessment`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclarationInput {
    /// Household income per month.
    pub monthly_income: Rupiah,
    /// Essential expenses per month.
    pub essential_expenses: Rupiah,
    /// Other debt instalments per month.
    #[serde(default)]
    pub other_debt_payments: Rupiah,
    /// Dependants.
    #[serde(default)]
    pub dependants: u32,
    /// Reported hardship.
    pub hardship: Option<HardshipInput>,
}

/// `request`.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferRequestInput {
    /// Tenor of every plan.
    pub tenor_months: Option<u32>,
    /// Down payment of instalment plans.
    pub down_payment: Option<Rate>,
    /// Discounts of every option.
    pub discount: Option<Discounts>,
    /// Pay-by date / first payment.
    pub first_payment: Option<NaiveDate>,
}

/// `policy`: each part given replaces that part of the default; `products` entries replace
/// the named products' rules (fields left out take the general defaults).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    /// Ability-to-pay rules.
    pub ability: Option<AbilityPolicy>,
    /// Valuation rules.
    pub recovery: Option<RecoveryPolicy>,
    /// The whole authority matrix.
    pub authority: Option<AuthorityMatrix>,
    /// Rules per product.
    #[serde(default)]
    pub products: BTreeMap<ProductType, OfferRules>,
    /// Payment allocation order for the schedule's columns.
    pub allocation_order: Option<AllocationOrder>,
}

/// Input that is well-formed JSON but not a usable negotiation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InputError {
    /// The field path, e.g. `account.balance.penalty`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> InputError {
        InputError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// From a domain error whose text starts with `field: `.
    fn split(prefix: &str, text: String) -> InputError {
        match text.split_once(": ") {
            Some((field, message)) => InputError::new(format!("{prefix}{field}"), message),
            None => InputError::new(prefix.trim_end_matches('.'), text),
        }
    }
}

/// A negotiation ready to compute: domain values only.
#[derive(Debug, Clone)]
pub struct Case {
    /// The date.
    pub as_of: NaiveDate,
    /// The role.
    pub role: Role,
    /// The account.
    pub debt: Debt,
    /// The declaration.
    pub declaration: Declaration,
    /// The request.
    pub request: OfferRequest,
    /// The policy, validated.
    pub policy: NegotiationPolicy,
}

/// Amounts from outside above this are typos (Rp1.000 triliun).
const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

fn amount(field: &str, value: Rupiah) -> Result<Rupiah, InputError> {
    if value.is_negative() {
        return Err(InputError::new(field, format!("{value} is negative")));
    }
    if value.value() > MAX_AMOUNT {
        return Err(InputError::new(field, format!("{value} is too large")));
    }
    Ok(value)
}

impl TryFrom<PolicyInput> for NegotiationPolicy {
    type Error = InputError;

    /// The default policy with the parts given replaced, validated.
    fn try_from(p: PolicyInput) -> Result<NegotiationPolicy, InputError> {
        let mut policy = NegotiationPolicy::default();
        if let Some(a) = p.ability {
            policy.ability = a;
        }
        if let Some(r) = p.recovery {
            policy.recovery = r;
        }
        if let Some(m) = p.authority {
            policy.authority = m;
        }
        if let Some(o) = p.allocation_order {
            policy.allocation_order = o;
        }
        policy.products.extend(p.products);
        policy
            .validate()
            .map_err(|e| InputError::split("", e.to_string()))?;
        Ok(policy)
    }
}

impl AccountInput {
    /// The account as the negotiation on `as_of` sees it (DPD and, unless given, the class
    /// derived from the oldest unpaid due date). Errors name `account.…` fields.
    pub fn into_debt(self, as_of: NaiveDate) -> Result<Debt, InputError> {
        let a = self;
        let b = a.balance;
        let balance = Balance {
            outstanding_principal: amount(
                "account.balance.outstanding_principal",
                b.outstanding_principal,
            )?,
            arrears_principal: amount("account.balance.arrears_principal", b.arrears_principal)?,
            arrears_interest: amount("account.balance.arrears_interest", b.arrears_interest)?,
            penalty: amount("account.balance.penalty", b.penalty)?,
            fees: amount("account.balance.fees", b.fees)?,
            oldest_unpaid_due: b.oldest_unpaid_due,
        };
        if balance.arrears_principal > balance.outstanding_principal {
            return Err(InputError::new(
                "account.balance.arrears_principal",
                "is above outstanding_principal",
            ));
        }
        if a.remaining_tenor_months > MAX_TENOR_MONTHS {
            return Err(InputError::new(
                "account.remaining_tenor_months",
                format!("{} is above {MAX_TENOR_MONTHS}", a.remaining_tenor_months),
            ));
        }
        let promises = PromiseHistory {
            made: a.promises.made,
            kept: a.promises.kept,
        };
        if promises.kept > promises.made {
            return Err(InputError::new("account.promises.kept", "is above made"));
        }
        let regime = match a.regime {
            RegimeInput::Bank => Regime::bank(),
            RegimeInput::P2p => Regime::p2p(),
        };
        let dpd = Dpd::as_of(balance.oldest_unpaid_due, as_of);
        Ok(Debt {
            product: a.product,
            balance,
            dpd,
            kolektibilitas: a.kolektibilitas.unwrap_or_else(|| regime.classify(dpd)),
            annual_rate: a.annual_rate,
            method: a.method,
            instalment: amount("account.instalment", a.instalment)?,
            remaining_tenor_months: a.remaining_tenor_months,
            original_principal: amount("account.original_principal", a.original_principal)?,
            charges_paid: amount("account.charges_paid", a.charges_paid)?,
            promises,
            propensity: None,
        })
    }
}

impl TryFrom<DeclarationInput> for Declaration {
    type Error = InputError;

    /// The declaration; a hardship reason must be a playbook code. Amounts are checked
    /// by `assess` (errors name `assessment.…` fields either way).
    fn try_from(d: DeclarationInput) -> Result<Declaration, InputError> {
        if let Some(h) = &d.hardship {
            if Playbook::shipped().get(&h.reason).is_none() {
                return Err(InputError::new(
                    "assessment.hardship.reason",
                    format!("{:?} is not a reason in the playbook", h.reason.as_str()),
                ));
            }
        }
        Ok(Declaration {
            monthly_income: d.monthly_income,
            essential_expenses: d.essential_expenses,
            other_debt_payments: d.other_debt_payments,
            dependants: d.dependants,
            hardship: d.hardship.map(|h| Hardship {
                reason: h.reason,
                evidence: h.evidence,
            }),
        })
    }
}

impl From<OfferRequestInput> for OfferRequest {
    fn from(r: OfferRequestInput) -> OfferRequest {
        OfferRequest {
            tenor_months: r.tenor_months,
            down_payment: r.down_payment,
            discount: r.discount,
            first_payment: r.first_payment,
        }
    }
}

/// Assesses a declaration under `policy`; errors name `assessment.…` fields.
pub fn assess_declaration(
    declaration: Declaration,
    policy: &AbilityPolicy,
) -> Result<Assessment, InputError> {
    assess(declaration, policy).map_err(|e| InputError::split("assessment.", e.to_string()))
}

/// Computes the options of a negotiation; errors name the field (`request.tenor_months`, …).
pub fn compute_offers(n: &Negotiation) -> Result<OfferSet, InputError> {
    offers(n).map_err(|e| InputError::split("", e.to_string()))
}

impl TryFrom<NegotiationInput> for Case {
    type Error = InputError;

    fn try_from(input: NegotiationInput) -> Result<Case, InputError> {
        let policy = NegotiationPolicy::try_from(input.policy)?;
        let debt = input.account.into_debt(input.as_of)?;
        let declaration = Declaration::try_from(input.assessment)?;
        Ok(Case {
            as_of: input.as_of,
            role: input.role,
            debt,
            declaration,
            request: input.request.into(),
            policy,
        })
    }
}

impl Case {
    /// Assesses the debtor and computes the options.
    pub fn run(self) -> Result<(Assessment, OfferSet), InputError> {
        let assessment = assess_declaration(self.declaration, &self.policy.ability)?;
        let set = compute_offers(&Negotiation {
            debt: &self.debt,
            assessment: &assessment,
            policy: &self.policy,
            role: self.role,
            as_of: self.as_of,
            request: &self.request,
        })?;
        Ok((assessment, set))
    }
}

/// Runs a whole input document: the view `sepakat negotiate` prints.
pub fn negotiate(input: NegotiationInput) -> Result<NegotiationView, InputError> {
    let case = Case::try_from(input)?;
    let head = (case.as_of, case.role, case.debt.clone());
    let (assessment, set) = case.run()?;
    let (as_of, role, debt) = head;
    Ok(NegotiationView::new(as_of, role, &debt, assessment, set))
}

impl NegotiationView {
    /// The view of a negotiation on `as_of` for `role`: the debt, the assessment, the
    /// options and the playbook entry of the declared hardship.
    pub fn new(
        as_of: NaiveDate,
        role: Role,
        debt: &Debt,
        assessment: Assessment,
        set: OfferSet,
    ) -> NegotiationView {
        let playbook = assessment
            .declaration
            .hardship
            .as_ref()
            .and_then(|h| Playbook::shipped().get(&h.reason).cloned());
        NegotiationView {
            as_of,
            role,
            product: debt.product,
            dpd: debt.dpd.days(),
            kolektibilitas: KolektibilitasView {
                class: debt.kolektibilitas.class(),
                label: debt.kolektibilitas.label(),
            },
            owed: ComponentsView::from(set.owed),
            waived_over_cap: ComponentsView::from(set.waived_over_cap),
            ability: AbilityView {
                living_cost: assessment.living_cost,
                disposable_income: assessment.disposable_income,
                recommended_monthly: assessment.recommended_monthly,
                flags: assessment.flags,
            },
            keep_probability: set.keep_probability.to_string(),
            options: set.options.into_iter().map(OptionView::from).collect(),
            playbook,
        }
    }
}

/// The output document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NegotiationView {
    /// The negotiation date.
    pub as_of: NaiveDate,
    /// The role the options were checked for.
    pub role: Role,
    /// The product.
    pub product: ProductType,
    /// Days past due on `as_of`.
    pub dpd: u32,
    /// The class used.
    pub kolektibilitas: KolektibilitasView,
    /// What is owed now.
    pub owed: ComponentsView,
    /// Charges above the product's cap, waived.
    pub waived_over_cap: ComponentsView,
    /// The assessment.
    pub ability: AbilityView,
    /// Keep probability from the promise history, e.g. `40%`.
    pub keep_probability: String,
    /// The options, best first.
    pub options: Vec<OptionView>,
    /// The playbook entry for the reported hardship, if any.
    pub playbook: Option<Objection>,
}

/// A kolektibilitas class with its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KolektibilitasView {
    /// 1–5.
    pub class: u8,
    /// Lancar … Macet.
    pub label: &'static str,
}

/// Amounts per component with their total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ComponentsView {
    /// Biaya.
    pub fees: Rupiah,
    /// Denda.
    pub penalty: Rupiah,
    /// Bunga.
    pub interest: Rupiah,
    /// Pokok.
    pub principal: Rupiah,
    /// The sum.
    pub total: Rupiah,
}

impl From<Components> for ComponentsView {
    fn from(c: Components) -> Self {
        ComponentsView {
            fees: c.fees,
            penalty: c.penalty,
            interest: c.interest,
            principal: c.principal,
            total: c.total(),
        }
    }
}

/// The assessment's numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbilityView {
    /// Living cost used.
    pub living_cost: Rupiah,
    /// Disposable income.
    pub disposable_income: Rupiah,
    /// The realistic monthly payment.
    pub recommended_monthly: Rupiah,
    /// What the assessment noticed.
    pub flags: Vec<AbilityFlag>,
}

/// Discount rates as percentages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiscountRatesView {
    /// On the penalty.
    pub penalty: String,
    /// On overdue interest.
    pub interest: String,
    /// On principal.
    pub principal: String,
}

/// One option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptionView {
    /// 1 = best.
    pub rank: u32,
    /// `full_payoff`, `instalment_plan`, `rescheduling`, `restructuring`, `settlement`.
    pub kind: &'static str,
    /// The kind in Indonesian.
    pub kind_label: &'static str,
    /// One line in Indonesian.
    pub label: String,
    /// Everything paid.
    pub total_paid: Rupiah,
    /// Down payment / up-front payment / lump sum.
    pub down_payment: Rupiah,
    /// Regular monthly payment.
    pub instalment: Rupiah,
    /// Monthly payments after the down payment.
    pub tenor_months: u32,
    /// First due date.
    pub first_payment: Option<NaiveDate>,
    /// Last due date.
    pub last_payment: Option<NaiveDate>,
    /// New schedule's annual rate.
    pub annual_rate: Option<String>,
    /// Discount rates.
    pub discount_rates: DiscountRatesView,
    /// Discount amounts.
    pub discount: ComponentsView,
    /// Capitalised into principal.
    pub capitalised: Rupiah,
    /// New interest charged.
    pub new_interest: Rupiah,
    /// Present value, probability and expected recovery.
    pub recovery: RecoveryView,
    /// True when the user may agree alone.
    pub within_authority: bool,
    /// True when it must go to an approver.
    pub needs_approval: bool,
    /// The limits exceeded.
    pub exceeded: Vec<ExceededView>,
    /// The lowest role that can approve it, if any.
    pub approver: Option<Role>,
    /// Notes.
    pub flags: Vec<super::offer::OfferFlag>,
    /// The payments.
    pub schedule: Vec<LineView>,
}

/// Valuation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecoveryView {
    /// Present value on `as_of`.
    pub present_value: Rupiah,
    /// Probability kept, e.g. `36,5%`.
    pub probability: String,
    /// Expected recovery.
    pub expected: Rupiah,
}

/// An exceeded limit, with human units (`50%`, `12 bulan`, `14 hari`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceededView {
    /// The limit's code.
    pub limit: Limit,
    /// What the role may allow.
    pub allowed: String,
    /// What the option asks.
    pub offered: String,
}

impl From<Exceeded> for ExceededView {
    fn from(e: Exceeded) -> Self {
        let show = |v: i64| match e.limit {
            Limit::MaxPenaltyDiscount
            | Limit::MaxInterestDiscount
            | Limit::MaxPrincipalDiscount
            | Limit::MinDownPayment => {
                Rate::from_ppm(u32::try_from(v).unwrap_or(u32::MAX)).to_string()
            }
            Limit::MaxTenorMonths => format!("{v} bulan"),
            Limit::MaxDaysToFirstPayment => format!("{v} hari"),
            Limit::MayRestructure | Limit::NoAuthority => {
                if v > 0 { "ya" } else { "tidak" }.to_string()
            }
        };
        ExceededView {
            limit: e.limit,
            allowed: show(e.allowed),
            offered: show(e.offered),
        }
    }
}

/// One payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineView {
    /// 1-based.
    pub seq: u32,
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount.
    pub amount: Rupiah,
    /// Of which fees.
    pub fees: Rupiah,
    /// Of which penalty.
    pub penalty: Rupiah,
    /// Of which interest.
    pub interest: Rupiah,
    /// Of which principal.
    pub principal: Rupiah,
}

impl From<Offer> for OptionView {
    fn from(o: Offer) -> Self {
        let needs_approval = o.authority.needs_approval();
        OptionView {
            rank: o.rank,
            kind: o.kind.code(),
            kind_label: o.kind.label(),
            label: o.label,
            total_paid: o.total_paid,
            down_payment: o.down_payment,
            instalment: o.instalment,
            tenor_months: o.tenor_months,
            first_payment: o.schedule.first().map(|l| l.due_date),
            last_payment: o.schedule.last().map(|l| l.due_date),
            annual_rate: o.annual_rate.map(|r| r.to_string()),
            discount_rates: DiscountRatesView {
                penalty: o.discount_rates.penalty.to_string(),
                interest: o.discount_rates.interest.to_string(),
                principal: o.discount_rates.principal.to_string(),
            },
            discount: o.discount.into(),
            capitalised: o.capitalised,
            new_interest: o.new_interest,
            recovery: RecoveryView {
                present_value: o.recovery.present_value,
                probability: o.recovery.probability.to_string(),
                expected: o.recovery.expected,
            },
            within_authority: !needs_approval,
            needs_approval,
            exceeded: o
                .authority
                .exceeded
                .into_iter()
                .map(ExceededView::from)
                .collect(),
            approver: o.authority.approver,
            flags: o.flags,
            schedule: o
                .schedule
                .iter()
                .map(|l| LineView {
                    seq: l.seq,
                    due_date: l.due_date,
                    amount: l.amount,
                    fees: l.parts.fees,
                    penalty: l.parts.penalty,
                    interest: l.parts.interest,
                    principal: l.parts.principal,
                })
                .collect(),
        }
    }
}
