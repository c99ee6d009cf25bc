//! The negotiation desk's pure core: what a debtor can realistically pay, which payment
//! options the creditor can offer, what each is worth, and who may agree to it.
//!
//! The seeds ask collectors to set "target penagihan yang realistis berdasarkan kemampuan
//! finansial nasabah" and to prepare "berbagai opsi skema pembayaran … sesuai dengan batasan
//! otoritas". So: an ability-to-pay [`assessment`] turns a declaration into a recommended
//! monthly payment; the [`offer`] engine turns an account, that assessment, the product's
//! [`policy`] and the user's [`authority`] into ranked options, each valued by
//! [`recovery`] (present value × probability the plan is kept); the [`playbook`] holds
//! answers to common objections. Everything here is data in, data out: the caller passes
//! the date, the policy and the role; nothing is stored. `docs/negotiation.md` documents
//! the rules, the defaults and the wire format ([`wire`]).

pub mod assessment;
pub mod authority;
pub mod offer;
pub mod playbook;
pub mod policy;
pub mod recovery;
pub mod wire;

mod plan;

#[cfg(test)]
mod offer_props;
#[cfg(test)]
mod offer_tests;

pub use assessment::{
    assess, AbilityFlag, AbilityPolicy, Assessment, AssessmentError, Declaration, Hardship,
};
pub use authority::{
    AuthorityCheck, AuthorityLimits, AuthorityMatrix, AuthorityRule, Exceeded, Limit, Terms,
};
pub use offer::{
    offers, Components, Debt, Discounts, Negotiation, Offer, OfferError, OfferFlag, OfferKind,
    OfferRequest, OfferSet, PlanLine,
};
pub use playbook::{Objection, Playbook, PlaybookError, ReasonCode};
pub use policy::{NegotiationPolicy, OfferRules, PolicyError};
pub use recovery::{Probability, PromiseHistory, Recovery, RecoveryPolicy};
