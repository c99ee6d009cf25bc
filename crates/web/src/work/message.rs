//! A message from the account workspace: the collector writes to the debtor (WhatsApp,
//! SMS, e-mail); the outbox's composer puts the text through the message guard and the
//! compliance gate, and queues it for the next allowed time — or stores it blocked with
//! the rule, never to be sent.

use chrono::{DateTime, Utc};
use sepakat_domain::compliance::{Channel, Party};
use sepakat_domain::template::Catalogue;
use sepakat_engine::outbox::{ComposeError, Composer, Content, Extras, Request};
use sepakat_store::{AccountDetail, Creditor, Message, Store};

use super::{check_holder, Problem, WorkError, Worker};
use crate::state::WebConfig;

/// The channels a collector writes on from the workspace.
pub const CHANNELS: [Channel; 3] = [Channel::Whatsapp, Channel::Sms, Channel::Email];

/// The longest text accepted (a WhatsApp message).
pub const MAX_TEXT: usize = 4096;

/// A message as the collector wrote it.
#[derive(Debug, Clone)]
pub struct MessageInput {
    /// WhatsApp, SMS or e-mail.
    pub channel: Channel,
    /// The subject (e-mail).
    pub subject: String,
    /// The text.
    pub text: String,
    /// The form's key: a double submit queues once.
    pub idempotency_key: Option<String>,
}

/// Queues (or stores blocked) a message to the account's debtor.
pub fn send(
    s: &dyn Store,
    config: &WebConfig,
    worker: &Worker,
    creditor: &Creditor,
    collector: &str,
    account: &AccountDetail,
    input: MessageInput,
    now: DateTime<Utc>,
) -> Result<Message, WorkError> {
    if !worker.role.works_accounts() {
        return Err(WorkError::Forbidden);
    }
    check_holder(s, worker, account, now)?;
    if !CHANNELS.contains(&input.channel) {
        return Err(WorkError::invalid(
            "channel",
            Problem::Unknown {
                value: input.channel.code().to_string(),
                expected: CHANNELS.map(|c| c.code()).join(", "),
            },
        ));
    }
    let text = input.text.trim();
    if text.is_empty() {
        return Err(WorkError::invalid("text", Problem::Required));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(WorkError::invalid("text", Problem::TooLong(MAX_TEXT)));
    }
    let subject = Some(input.subject.trim().to_string()).filter(|s| !s.is_empty());
    if input.channel == Channel::Email && subject.is_none() {
        return Err(WorkError::invalid("subject", Problem::Required));
    }
    let catalogue = Catalogue::shipped();
    let composer = Composer {
        store: s,
        creditor,
        guard: &config.guard,
        gate: &config.gate,
        catalogue: &catalogue,
    };
    let request = Request {
        account: account.clone(),
        channel: input.channel,
        party: Party::Debtor,
        to: None,
        content: Content::Text {
            subject,
            body: text.to_string(),
        },
        extras: Extras {
            collector: Some(collector.to_string()),
            ..Extras::default()
        },
        idempotency_key: input.idempotency_key,
        user: Some(worker.id),
    };
    composer
        .compose(request, now, &worker.actor)
        .map_err(|e| match e {
            ComposeError::Store(e) => WorkError::from(e),
            ComposeError::NoAddress(_) | ComposeError::BadRecipient(_) => {
                WorkError::invalid("channel", Problem::NoAddress)
            }
            other => WorkError::Conflict(other.to_string()),
        })
}
