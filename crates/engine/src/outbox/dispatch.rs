//! The dispatcher: lease a batch of due messages, ask the compliance gate for each at
//! the moment of sending, hand the allowed ones to their channel's adapter and record
//! what became of them; retries back off exponentially up to a cap, and a message that
//! used up its attempts fails.
//!
//! At most once: the attempt is recorded (`sending`) before the provider is called. A
//! message found `sending` after its lease ran out was interrupted (the process died, or
//! the store failed after the send); it is sent again only through an adapter whose
//! provider drops a repeated reference. Otherwise it fails as *in doubt*, with the
//! reference to check with the provider, and a delivery receipt can still prove it
//! delivered. A message is never lost: every state is a row, and a crash at any point
//! leaves it queued (retried) or in doubt (reported).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::compliance::{Channel, Gate, Purpose};
use sepakat_domain::Clock;
use sepakat_store::gate::ContactFacts;
use sepakat_store::{Actor, Message, Refusal, Settle, Store, StoreError, StoreResult};

use super::adapter::{Adapter, SendError};

/// `[outbox]`: how the dispatcher works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutboxSettings {
    /// Messages leased per round.
    pub batch_size: u32,
    /// Provider calls before a message fails.
    pub max_attempts: u32,
    /// Wait after the first failed call, in seconds; doubled after each further one.
    pub backoff_seconds: u32,
    /// The longest wait between calls, in seconds.
    pub backoff_max_seconds: u32,
    /// How long a dispatcher holds a leased batch, in seconds; longer than a batch's
    /// provider calls with their timeouts take, or an unfinished send comes back in doubt.
    pub lease_seconds: u32,
    /// How often `sepakat serve` runs the dispatcher, in seconds (0: never).
    pub interval_seconds: u32,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            batch_size: 50,
            max_attempts: 5,
            backoff_seconds: 60,
            backoff_max_seconds: 3600,
            lease_seconds: 1800,
            interval_seconds: 30,
        }
    }
}

impl OutboxSettings {
    /// The wait after `attempts` failed calls: `backoff_seconds · 2^(attempts−1)`, capped.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let base = u64::from(self.backoff_seconds.max(1));
        let factor = 1u64 << attempts.saturating_sub(1).min(30);
        let secs = base
            .saturating_mul(factor)
            .min(u64::from(self.backoff_max_seconds.max(1)));
        Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX))
    }
}

/// The adapters configured, one per channel at most.
#[derive(Default)]
pub struct Adapters(Vec<Box<dyn Adapter>>);

impl Adapters {
    /// The set of `adapters` (a later one for the same channel replaces an earlier one).
    pub fn new(adapters: Vec<Box<dyn Adapter>>) -> Adapters {
        let mut out: Vec<Box<dyn Adapter>> = Vec::new();
        for a in adapters {
            out.retain(|b| b.channel() != a.channel());
            out.push(a);
        }
        Adapters(out)
    }

    /// The adapter of `channel`.
    pub fn get(&self, channel: Channel) -> Option<&dyn Adapter> {
        self.0
            .iter()
            .find(|a| a.channel() == channel)
            .map(|a| a.as_ref())
    }

    /// Whether no channel is configured.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The configured channels.
    pub fn channels(&self) -> Vec<Channel> {
        self.0.iter().map(|a| a.channel()).collect()
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Round {
    /// Messages leased.
    pub leased: u32,
    /// Accepted by a provider.
    pub sent: u32,
    /// Back in the queue after a failed call.
    pub retried: u32,
    /// Waiting for the gate's next allowed time (or a channel to be configured).
    pub deferred: u32,
    /// Blocked by the gate.
    pub blocked: u32,
    /// Given up (refused, out of attempts, in doubt).
    pub failed: u32,
}

/// One dispatcher: its name in leases, and what it works with.
pub struct Dispatcher<'a> {
    /// The store.
    pub store: &'a dyn Store,
    /// The compliance gate.
    pub gate: &'a Gate,
    /// The channels.
    pub adapters: &'a Adapters,
    /// Its settings.
    pub settings: &'a OutboxSettings,
    /// The clock (each step reads it: provider calls take time).
    pub clock: &'a dyn Clock,
    /// The lease owner's name, unique per running dispatcher.
    pub owner: String,
}

/// The rule a message without a configured channel waits under.
pub const NO_ADAPTER: &str = "channel_not_configured";

impl Dispatcher<'_> {
    /// A lease owner name for this process: `host-pid-random`.
    pub fn owner_name() -> String {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "sepakat".into());
        format!(
            "{host}-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        )
    }

    /// Leases one batch and works it; stops early on a store failure.
    pub fn round(&self) -> StoreResult<Round> {
        let now = self.clock.now();
        let until = now + Duration::seconds(i64::from(self.settings.lease_seconds.max(1)));
        let batch =
            self.store
                .lease_messages(&self.owner, now, until, self.settings.batch_size.max(1))?;
        let mut round = Round {
            leased: u32::try_from(batch.len()).unwrap_or(u32::MAX),
            ..Round::default()
        };
        for m in batch {
            match self.work(&m) {
                Ok(settle) => match settle {
                    Settle::Sent { .. } => round.sent += 1,
                    Settle::Retry { .. } => round.retried += 1,
                    Settle::Deferred { .. } => round.deferred += 1,
                    Settle::Blocked(_) => round.blocked += 1,
                    Settle::Failed { .. } => round.failed += 1,
                },
                // Someone else holds it now (our lease ran out): theirs to finish.
                Err(StoreError::Conflict(e)) => {
                    tracing::warn!(message = %m.id, error = %e, "outbox: lease lost");
                }
                Err(e) => return Err(e),
            }
        }
        Ok(round)
    }

    /// Rounds until a round leases nothing; the sum of them.
    pub fn drain(&self) -> StoreResult<Round> {
        let mut total = Round::default();
        loop {
            let r = self.round()?;
            if r.leased == 0 {
                return Ok(total);
            }
            total.leased += r.leased;
            total.sent += r.sent;
            total.retried += r.retried;
            total.deferred += r.deferred;
            total.blocked += r.blocked;
            total.failed += r.failed;
            if r.leased == r.deferred {
                // Only waiting messages came back: nothing more is due now.
                return Ok(total);
            }
        }
    }

    fn finish(&self, m: &Message, settle: Settle) -> StoreResult<Settle> {
        self.store
            .finish_message(m.id, &self.owner, &settle, self.clock.now(), &actor())?;
        tracing::info!(
            message = %m.id,
            channel = %m.data.channel,
            recipient = %m.data.recipient.masked(),
            status = settle.status().code(),
            "outbox"
        );
        Ok(settle)
    }

    fn work(&self, m: &Message) -> StoreResult<Settle> {
        let Some(adapter) = self.adapters.get(m.data.channel) else {
            let later = self.clock.now() + self.settings.backoff(self.settings.max_attempts);
            return self.finish(m, deferred(NO_ADAPTER, later));
        };
        if m.in_doubt() && !adapter.dedupes() {
            let error = format!(
                "in doubt: sending stopped midway at {}; not sent again so that it cannot \
                 arrive twice; ask the provider about reference {}",
                m.attempted_at.map_or_else(String::new, |t| t.to_rfc3339()),
                m.reference()
            );
            return self.finish(m, Settle::Failed { error });
        }
        let Some(account) = self.store.account(m.creditor, m.data.account)? else {
            let error = format!("account {} no longer exists", m.data.account);
            return self.finish(m, Settle::Failed { error });
        };
        let now = self.clock.now();
        let mut facts = ContactFacts::load(self.store, m.creditor, &account, now)?;
        if let Some(own) = m.attempt() {
            // An interrupted send being repeated is not a second contact.
            if let Some(i) = facts.attempts.iter().position(|a| *a == own) {
                facts.attempts.remove(i);
            }
        }
        let d = facts.decide_for(
            self.gate,
            m.data.channel,
            m.data.party,
            Purpose::Collection,
            now,
        );
        if !d.allowed {
            return self.finish(
                m,
                match d.next_allowed_at {
                    Some(next) => deferred(d.rule.code(), next),
                    None => Settle::Blocked(Refusal {
                        rule: d.rule.code().to_string(),
                        detail: d.rule.basis().to_string(),
                    }),
                },
            );
        }
        let m = self.store.start_attempt(m.id, &self.owner, now, &actor())?;
        let settle = match adapter.send(&m) {
            Ok(provider_id) => Settle::Sent { provider_id },
            Err(SendError::Refused(error)) => Settle::Failed { error },
            Err(SendError::Unknown(error)) if !adapter.dedupes() => Settle::Failed {
                error: format!("in doubt: {error}; not sent again so that it cannot arrive twice"),
            },
            Err(SendError::Unavailable(error) | SendError::Unknown(error)) => {
                if m.attempts >= self.settings.max_attempts {
                    Settle::Failed {
                        error: format!("{error} (after {} attempts)", m.attempts),
                    }
                } else {
                    Settle::Retry {
                        error,
                        not_before: self.clock.now() + self.settings.backoff(m.attempts),
                    }
                }
            }
        };
        self.finish(&m, settle)
    }
}

fn deferred(rule: &str, not_before: DateTime<Utc>) -> Settle {
    Settle::Deferred {
        rule: rule.to_string(),
        not_before,
    }
}

/// The actor of the dispatcher's audit entries.
pub fn actor() -> Actor {
    Actor::system("system:outbox")
}
