//! Proposing an offer: the options for a stored account computed by the domain engine,
//! the chosen one stored with its assessment, in the approval queue when it is beyond the
//! proposer's authority.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sepakat_domain::negotiation::authority::approvers_above;
use sepakat_domain::negotiation::recovery::Probability;
use sepakat_domain::negotiation::wire::{
    assess_declaration, compute_offers, DeclarationInput, NegotiationView, OfferRequestInput,
};
use sepakat_domain::negotiation::{
    Assessment, Debt, Declaration, Negotiation, NegotiationPolicy, OfferRequest, OfferSet,
};
use sepakat_domain::Role;
use sepakat_store::{AccountId, Actor, CreditorId, NewOffer, Store, StoreError, StoredOffer};

use super::{account::debt_of, invalid, NegotiationError, NegotiationResult};

/// What the collector proposes, in the wire shapes of `sepakat negotiate` (`assessment`
/// and `request` of its input document), so the API and the CLI check them identically.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The account.
    pub account: AccountId,
    /// What the debtor declares.
    pub declaration: DeclarationInput,
    /// Terms asked for explicitly (tenor, down payment, discount, first payment).
    pub request: OfferRequestInput,
    /// The proposer's role: whose authority the options are checked against.
    pub role: Role,
    /// The rank of the option offered (1 = best expected recovery).
    pub chosen_rank: u32,
    /// The negotiation date (the debtor's calendar): DPD and schedules start from it.
    pub today: NaiveDate,
    /// Days the debtor has to accept (`super::DEFAULT_OFFER_DAYS` by default).
    pub offer_days: u32,
    /// The creditor's propensity model's probability that the debtor pays (0 to 1), when
    /// it has one: the probability the plan is kept then comes from the model.
    pub propensity: Option<f64>,
}

/// A stored offer with every option computed for it.
#[derive(Debug, Clone)]
pub struct Proposed {
    /// The offer as stored (status `proposed` or `pending_approval`).
    pub offer: StoredOffer,
    /// The engine's whole answer (owed, waived over the cap, keep probability, options).
    pub set: OfferSet,
}

/// The computed negotiation of a proposal, before anything is stored.
struct Prepared {
    account: AccountId,
    preview: Preview,
}

/// The options for an account as the panel shows them before the collector chooses.
#[derive(Debug, Clone)]
pub struct Preview {
    /// What the account owes, as the engine read it.
    pub debt: Debt,
    /// The assessment of the declaration.
    pub assessment: Assessment,
    /// The options, best first.
    pub set: OfferSet,
}

impl Preview {
    /// The view `sepakat negotiate` prints, for `role` on `as_of`.
    pub fn view(self, as_of: NaiveDate, role: Role) -> NegotiationView {
        NegotiationView::new(as_of, role, &self.debt, self.assessment, self.set)
    }
}

fn prepare(
    store: &dyn Store,
    creditor: CreditorId,
    proposal: &Proposal,
    policy: &NegotiationPolicy,
) -> NegotiationResult<Prepared> {
    if !matches!(
        proposal.role,
        Role::Collector | Role::Supervisor | Role::Manager
    ) {
        return Err(NegotiationError::NotAllowed(format!(
            "role {} does not negotiate offers",
            proposal.role
        )));
    }
    let account = store
        .account(creditor, proposal.account)?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", proposal.account)))?;
    let regime = store
        .creditor(creditor)?
        .ok_or_else(|| StoreError::NotFound(format!("creditor {creditor}")))?
        .regime;
    let payments = store.payments(creditor, account.id)?;
    let promises = store.promises(creditor, account.id)?;
    let mut debt = debt_of(&account, &regime, &payments, &promises, proposal.today)?;
    debt.propensity = proposal
        .propensity
        .filter(|p| p.is_finite())
        .map(|p| Probability::from_ppm((p.clamp(0.0, 1.0) * 1_000_000.0).round() as u32));
    let declaration = Declaration::try_from(proposal.declaration.clone())?;
    let assessment = assess_declaration(declaration, &policy.ability)?;
    let request = OfferRequest::from(proposal.request);
    let set = compute_offers(&Negotiation {
        debt: &debt,
        assessment: &assessment,
        policy,
        role: proposal.role,
        as_of: proposal.today,
        request: &request,
    })?;
    Ok(Prepared {
        account: account.id,
        preview: Preview {
            debt,
            assessment,
            set,
        },
    })
}

/// The options for the stored account, computed as `propose` would, storing nothing (the
/// panel shows them side by side before the collector chooses; `chosen_rank` is ignored).
pub fn preview(
    store: &dyn Store,
    creditor: CreditorId,
    proposal: &Proposal,
    policy: &NegotiationPolicy,
) -> NegotiationResult<Preview> {
    Ok(prepare(store, creditor, proposal, policy)?.preview)
}

/// Computes the options for the stored account and stores the assessment with the chosen
/// option as an offer. Refused (nothing stored): a role that negotiates nothing, invalid
/// declarations or requests (tenor 0 or above policy, discount above the cap, …), a rank
/// that is not among the options, an account of another creditor (`NotFound`) or a paused
/// account (`Conflict`).
pub fn propose(
    store: &dyn Store,
    creditor: CreditorId,
    proposal: &Proposal,
    policy: &NegotiationPolicy,
    now: DateTime<Utc>,
    actor: &Actor,
) -> NegotiationResult<Proposed> {
    if proposal.offer_days == 0 {
        return Err(invalid("offer_days", "must be at least 1"));
    }
    let p = prepare(store, creditor, proposal, policy)?;
    let Preview {
        debt,
        assessment,
        set,
    } = p.preview;
    let chosen = set
        .options
        .iter()
        .find(|o| o.rank == proposal.chosen_rank)
        .ok_or_else(|| {
            invalid(
                "chosen_rank",
                format!(
                    "there is no option {}; options are 1 to {}",
                    proposal.chosen_rank,
                    set.options.len()
                ),
            )
        })?;
    let approvers = if chosen.authority.needs_approval() {
        approvers_above(proposal.role)
            .filter(|role| {
                !policy
                    .authority
                    .check(*role, debt.product, debt.kolektibilitas, &chosen.terms)
                    .needs_approval()
            })
            .collect()
    } else {
        Vec::new()
    };
    let new = NewOffer {
        account: p.account,
        assessment,
        as_of: proposal.today,
        options: set.options.clone(),
        chosen_rank: proposal.chosen_rank,
        created_role: proposal.role,
        approvers,
        expires_at: now + Duration::days(i64::from(proposal.offer_days)),
    };
    let (_, id) = store.create_offer(creditor, &new, proposal.today, now, actor)?;
    let offer = store
        .offer(creditor, id)?
        .ok_or_else(|| StoreError::Other(format!("offer {id} vanished after it was stored")))?;
    Ok(Proposed { offer, set })
}
