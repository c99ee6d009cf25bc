//! The compliance gate as the workbench asks it: for the debtor of an account, now, with
//! the attempts already made and the debtor's consents; and the pause in force.

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::compliance::{
    count_attempts, Channel, Consent, ContactRequest, Gate, Party, Purpose,
};
use sepakat_domain::interaction::Direction;
use sepakat_domain::{Decision, Zone};
use sepakat_store::{Interaction, Pause};

/// The pause covering `day`, if any.
pub fn active_pause(pauses: &[Pause], day: NaiveDate) -> Option<&Pause> {
    pauses
        .iter()
        .rev()
        .find(|p| p.data.starts_on <= day && p.data.ends_on.is_none_or(|end| day <= end))
}

/// What the gate is told about the debtor of an account.
#[derive(Debug, Clone, Copy)]
pub struct ContactFacts<'a> {
    /// The debtor's zone.
    pub zone: Zone,
    /// Whether collection is paused.
    pub paused: bool,
    /// The debtor's consents.
    pub consents: &'a [Consent],
    /// The account's interactions (outbound ones count against the caps).
    pub interactions: &'a [Interaction],
}

impl ContactFacts<'_> {
    /// The gate's decision for a contact with `party` over `channel` at `at`; a third
    /// party only ever hears the whereabouts script.
    pub fn decide(
        &self,
        gate: &Gate,
        channel: Channel,
        party: Party,
        at: DateTime<Utc>,
    ) -> Decision {
        let history = self
            .interactions
            .iter()
            .filter(|i| i.data.direction == Direction::Outbound)
            .map(|i| (i.data.channel, i.data.at));
        let (today, week) = count_attempts(self.zone, channel, at, history);
        let mut request = ContactRequest::new(at, self.zone, channel);
        request.party = party;
        if party != Party::Debtor {
            request.purpose = Purpose::Whereabouts;
        }
        request.paused = self.paused;
        request.consents = self.consents;
        request.attempts_today = today;
        request.attempts_this_week = week;
        gate.check(&request)
    }
}
