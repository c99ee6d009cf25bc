//! Outbox speed on a real store: one SMS per demo account composed through the guard,
//! the gate's facts and the idempotent enqueue, then dispatched (lease, gate again,
//! attempt, finish) to a sink adapter that answers at once, so the figures are Sepakat's
//! own cost per message, not a provider's.

use std::fmt;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{TimeZone, Utc};
use sepakat_domain::compliance::{Channel, Gate, Party};
use sepakat_domain::template::Catalogue;
use sepakat_domain::{FixedClock, Guard};
use sepakat_store::{AccountQuery, Actor, Message, MessageStatus, Store};

use crate::demo::{generate, DemoOptions};
use crate::outbox::{
    Adapter, Adapters, Composer, Content, Dispatcher, Extras, OutboxSettings, Request, SendError,
};
use crate::NoProgress;

/// The figures of one run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OutboxBench {
    /// Messages composed.
    pub messages: u64,
    /// Of them queued to go now (the rest wait for the gate or were blocked).
    pub due: u64,
    /// Sent by the dispatcher.
    pub sent: u64,
    /// Composed (guard, facts, gate, enqueue) per second.
    pub composed_per_second: f64,
    /// Dispatched (lease, facts, gate, attempt, send, finish) per second.
    pub sent_per_second: f64,
}

impl fmt::Display for OutboxBench {
    /// One line per figure.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "messages:   {} ({} due now)", self.messages, self.due)?;
        writeln!(f, "compose:    {:.0} messages/s", self.composed_per_second)?;
        write!(
            f,
            "dispatch:   {:.0} messages/s ({} sent)",
            self.sent_per_second, self.sent
        )
    }
}

/// Takes every message at once, as a provider that never fails would.
struct Sink;

impl Adapter for Sink {
    fn channel(&self) -> Channel {
        Channel::Sms
    }

    fn send(&self, message: &Message) -> Result<String, SendError> {
        Ok(format!("sink-{}", message.id))
    }

    fn dedupes(&self) -> bool {
        true
    }
}

/// Generates `accounts` demo accounts into the empty `store` and measures one SMS each.
pub fn bench_outbox(store: &dyn Store, accounts: u64) -> Result<OutboxBench> {
    // Tuesday 24 November 2026, 10.00 WIB: inside every zone's window.
    let at = Utc
        .with_ymd_and_hms(2026, 11, 24, 3, 0, 0)
        .single()
        .context("benchmark instant")?;
    let options = DemoOptions {
        accounts,
        seed: 7,
        today: at.date_naive(),
    };
    generate(store, &options, &mut NoProgress).context("generating demo accounts")?;
    let (guard, gate, catalogue) = (Guard::shipped(), Gate::shipped(), Catalogue::shipped());
    let actor = Actor::system("bench");
    let mut todo = Vec::new();
    for creditor in store.creditors()? {
        let page = store.search_accounts(
            creditor.id,
            &AccountQuery {
                limit: u32::try_from(accounts).unwrap_or(u32::MAX),
                ..AccountQuery::default()
            },
        )?;
        for item in page {
            if let Some(a) = store.account(creditor.id, item.id)? {
                if a.debtor.data.phone.is_some() {
                    todo.push((creditor.clone(), a));
                }
            }
        }
    }
    let started = Instant::now();
    let mut due = 0;
    for (creditor, account) in &todo {
        let composer = Composer {
            store,
            creditor,
            guard: &guard,
            gate: &gate,
            catalogue: &catalogue,
        };
        let m = composer.compose(
            Request {
                account: account.clone(),
                channel: Channel::Sms,
                party: Party::Debtor,
                to: None,
                content: Content::Text {
                    subject: None,
                    body: format!(
                        "Yth. {}, tagihan akun {} telah jatuh tempo. Mohon hubungi kami.",
                        account.debtor.data.name, account.account_no
                    ),
                },
                extras: Extras::default(),
                idempotency_key: None,
                user: None,
            },
            at,
            &actor,
        )?;
        if m.status == MessageStatus::Queued && m.data.not_before <= at {
            due += 1;
        }
    }
    let compose = started.elapsed().as_secs_f64();
    let adapters = Adapters::new(vec![Box::new(Sink)]);
    let settings = OutboxSettings::default();
    let clock = FixedClock::new(at);
    let dispatcher = Dispatcher {
        store,
        gate: &gate,
        adapters: &adapters,
        settings: &settings,
        clock: &clock,
        owner: "bench".into(),
    };
    let started = Instant::now();
    let round = dispatcher.drain()?;
    let dispatch = started.elapsed().as_secs_f64();
    let messages = todo.len() as u64;
    Ok(OutboxBench {
        messages,
        due,
        sent: u64::from(round.sent),
        composed_per_second: messages as f64 / compose.max(1e-9),
        sent_per_second: f64::from(round.sent) / dispatch.max(1e-9),
    })
}
