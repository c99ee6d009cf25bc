//! What the compliance gate is told about one account, gathered from the store in one
//! place, so every contact path (the collector workbench, the outbox) counts attempts,
//! pauses and consents alike: outbound interactions and messages handed to a provider
//! both count against the caps.

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::compliance::{
    count_attempts, Channel, Consent, ContactRequest, Gate, Party, Purpose,
};
use sepakat_domain::interaction::Direction;
use sepakat_domain::{Decision, Zone};

use crate::{AccountDetail, CreditorId, Pause, Store, StoreResult};

/// The pause covering `day`, if any.
pub fn active_pause(pauses: &[Pause], day: NaiveDate) -> Option<&Pause> {
    pauses
        .iter()
        .rev()
        .find(|p| p.data.starts_on <= day && p.data.ends_on.is_none_or(|end| day <= end))
}

/// What the gate is told about the debtor of an account.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactFacts {
    /// The debtor's zone.
    pub zone: Zone,
    /// Whether collection is paused on the debtor's local day of the load.
    pub paused: bool,
    /// The debtor's consents.
    pub consents: Vec<Consent>,
    /// Contact attempts already made, by channel and instant: outbound interactions and
    /// messages handed to a provider (sending, sent, delivered).
    pub attempts: Vec<(Channel, DateTime<Utc>)>,
}

impl ContactFacts {
    /// Reads the facts of `account` as they stand at `now` (the pause of the debtor's
    /// local day of `now`).
    pub fn load(
        s: &dyn Store,
        creditor: CreditorId,
        account: &AccountDetail,
        now: DateTime<Utc>,
    ) -> StoreResult<ContactFacts> {
        let zone = account.debtor.data.province.zone();
        let pauses = s.pauses(creditor, account.id)?;
        let mut attempts: Vec<(Channel, DateTime<Utc>)> = s
            .interactions(creditor, account.id)?
            .into_iter()
            .filter(|i| i.data.direction == Direction::Outbound)
            .map(|i| (i.data.channel, i.data.at))
            .collect();
        attempts.extend(
            s.messages(creditor, Some(account.id))?
                .iter()
                .filter_map(|m| m.attempt()),
        );
        Ok(ContactFacts {
            zone,
            paused: active_pause(&pauses, zone.local(now).date()).is_some(),
            consents: s.consents(creditor, account.debtor.id)?,
            attempts,
        })
    }

    /// No history at all: for asking whether a time is allowed in principle (a call back
    /// the collector schedules).
    pub fn none(zone: Zone) -> ContactFacts {
        ContactFacts {
            zone,
            paused: false,
            consents: Vec::new(),
            attempts: Vec::new(),
        }
    }

    /// The gate's decision for a contact with `party` over `channel` at `at`, as the
    /// workbench asks it: a third party only ever hears the whereabouts script.
    pub fn decide(
        &self,
        gate: &Gate,
        channel: Channel,
        party: Party,
        at: DateTime<Utc>,
    ) -> Decision {
        let purpose = if party == Party::Debtor {
            Purpose::Collection
        } else {
            Purpose::Whereabouts
        };
        self.decide_for(gate, channel, party, purpose, at)
    }

    /// The gate's decision for a contact with `party` for `purpose` (a message about the
    /// debt is `Collection`, whoever receives it).
    pub fn decide_for(
        &self,
        gate: &Gate,
        channel: Channel,
        party: Party,
        purpose: Purpose,
        at: DateTime<Utc>,
    ) -> Decision {
        let (today, week) = count_attempts(self.zone, channel, at, self.attempts.iter().copied());
        let mut request = ContactRequest::new(at, self.zone, channel);
        request.party = party;
        request.purpose = purpose;
        request.paused = self.paused;
        request.consents = &self.consents;
        request.attempts_today = today;
        request.attempts_this_week = week;
        gate.check(&request)
    }
}
