//! The compliance gate: the one module every contact path asks before contacting anyone.
//!
//! Indonesian law (POJK 22/2023 art. 62; SEOJK 19/2023 for P2P) allows collection contact
//! only Monday–Saturday 08.00–20.00 in the debtor's local time, never on national holidays,
//! never disclosing the debt to third parties and never so often that it disturbs; outside
//! the window only with the debtor's recorded consent. Fines reach Rp15 billion, so the gate
//! is hard: it refuses, names the rule, and says when the contact next becomes allowed.
//! The rules are data (`ContactPolicy`, `HolidayCalendar`); see `docs/compliance.md`.

pub mod channel;
pub mod consent;
pub mod gate;
pub mod holiday;
pub mod policy;
pub mod rule;

#[cfg(test)]
mod gate_props;
#[cfg(test)]
mod gate_tests;

pub use channel::{Channel, CodeError, Party, Purpose};
pub use consent::{Consent, ConsentError, ConsentRecord, ConsentScope};
pub use gate::{count_attempts, ContactRequest, Decision, DecisionView, Gate};
pub use holiday::{Holiday, HolidayCalendar, HolidayError, HolidayKind};
pub use policy::{ChannelRule, ContactPolicy, PolicyError, TimeWindow};
pub use rule::Rule;
