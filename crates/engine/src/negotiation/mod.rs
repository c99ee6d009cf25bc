//! The negotiation desk's services over a `Store`: propose an offer from a stored account,
//! decide it in the approval queue, accept it into an arrangement with its agreement PDF
//! and recap, and track the arrangements' instalments against the payments posted.
//!
//! The rules themselves live in `sepakat_domain::negotiation` (assessment, options,
//! authority) and in the store (`NegotiationStore`: states, refusals, audit). These
//! functions join them: they read the account, its payments and promise history, run the
//! pure engine, and write through one store call each, so a refusal at any step leaves
//! the database as it was. Time comes in as arguments (`today`, `now`), never a clock.
//! `docs/negotiation.md` describes the flow.

mod accept;
mod account;
mod decide;
mod propose;
mod track;

pub use accept::{accept, agreement, recap, Acceptance, Accepted};
pub use account::{debt_of, promise_history, remaining_months};
pub use decide::decide;
pub use propose::{preview, propose, Preview, Proposal, Proposed};
pub use track::{instalment_verdict, track_arrangements, TrackingReport};

use sepakat_domain::negotiation::wire::InputError;
use sepakat_store::StoreError;

/// How many missed instalments default an arrangement unless the creditor configures
/// otherwise.
pub const DEFAULT_MAX_MISSES: u32 = 2;

/// Days after a due date before an unpaid instalment counts as missed, by default.
pub const DEFAULT_GRACE_DAYS: u32 = 3;

/// Days an offer stays open for the debtor to accept, by default.
pub const DEFAULT_OFFER_DAYS: u32 = 3;

/// Why a negotiation service refused or failed. Nothing was written in any case.
#[derive(Debug, thiserror::Error)]
pub enum NegotiationError {
    /// An input that does not make a valid negotiation; names the field.
    #[error("invalid input: {0}")]
    Invalid(#[from] InputError),
    /// The user's role may not do this (e.g. approve beyond its authority).
    #[error("not allowed: {0}")]
    NotAllowed(String),
    /// The store refused (`NotFound`, `Conflict`) or failed (`Other`).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Shorthand for service results.
pub type NegotiationResult<T> = Result<T, NegotiationError>;

fn invalid(field: &str, message: impl Into<String>) -> NegotiationError {
    NegotiationError::Invalid(InputError {
        field: field.to_string(),
        message: message.into(),
    })
}
