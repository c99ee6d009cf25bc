//! The outbox (`migrations/*/0007_outbox.sql`): every WhatsApp, SMS and e-mail Sepakat
//! sends is first a row in `messages`, and each change of its status is appended to
//! `message_events` and the account's audit trail in the same transaction. Design and
//! rules: `docs/outbox.md`.
//!
//! Rules every backend keeps (the contract tests in `tests/contract/outbox.rs`):
//! - `enqueue_message` is idempotent on creditor + key: a repeated key returns the
//!   first message and writes nothing.
//! - A message is leased by one dispatcher at a time: `lease_messages` takes due rows
//!   whose lease is free or expired (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: the
//!   one writer's `BEGIN IMMEDIATE`), and every later change names the lease owner; a
//!   change by anyone else is `Conflict`.
//! - The attempt is written (`sending`) before the provider is called. A `sending` row
//!   whose lease expired was interrupted mid-send: it comes back from `lease_messages`
//!   *in doubt*, and the dispatcher, not the store, decides whether it may go again.
//! - A final status (`delivered`, `failed`, `blocked`) never changes, except `failed` by a
//!   delivery receipt proving the provider delivered it after all.
//! - Every call that reads for a creditor takes the creditor; the dispatcher's calls
//!   (`lease_messages`, `start_attempt`, `finish_message`, `record_receipt`) work across
//!   creditors, as the one system job that sends.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::compliance::{Channel, Party};
use sepakat_domain::{Email, Phone};

use crate::model::id_type;
use crate::negotiation::coded_status;
use crate::{AccountId, Actor, CreditorId, StoreError, StoreResult, UserId};

id_type! {
    MessageId: "A message in the outbox.",
}

coded_status! {
    /// Where a message stands.
    MessageStatus {
        /// Waiting for its `not_before` (the gate's next allowed time or a retry's backoff).
        Queued = "queued",
        /// Handed to (or being handed to) the provider.
        Sending = "sending",
        /// Accepted by the provider.
        Sent = "sent",
        /// The provider reported delivery to the recipient.
        Delivered = "delivered",
        /// Given up: refused by the provider, out of attempts, or in doubt after a crash.
        Failed = "failed",
        /// Never sent: the message guard or the compliance gate refused it (see `rule`).
        Blocked = "blocked",
    }
}

impl MessageStatus {
    /// Whether nothing more will happen to the message (a receipt aside).
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            MessageStatus::Delivered | MessageStatus::Failed | MessageStatus::Blocked
        )
    }
}

/// Where a message goes: an e-mail address or a phone number, parsed at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Recipient {
    /// For e-mail.
    Email(Email),
    /// For WhatsApp and SMS (`+62…`).
    Phone(Phone),
}

impl Recipient {
    /// Parses the address a channel needs: an e-mail address for `email`, a phone number
    /// for `whatsapp` and `sms`; the error names what was expected.
    pub fn parse(channel: Channel, text: &str) -> Result<Recipient, String> {
        match channel {
            Channel::Email => Email::parse(text)
                .map(Recipient::Email)
                .map_err(|e| format!("recipient: {e}")),
            Channel::Whatsapp | Channel::Sms => Phone::parse(text)
                .map(Recipient::Phone)
                .map_err(|e| format!("recipient: {e}")),
            other => Err(format!(
                "channel {other} has no outbox; use email, whatsapp or sms"
            )),
        }
    }

    /// The address as stored and as the provider needs it.
    pub fn as_str(&self) -> &str {
        match self {
            Recipient::Email(e) => e.as_str(),
            Recipient::Phone(p) => p.as_str(),
        }
    }

    /// For lists and logs: `bu***@example.co.id`, `+62812****7890`.
    pub fn masked(&self) -> String {
        match self {
            Recipient::Email(e) => e.masked(),
            Recipient::Phone(p) => p.masked(),
        }
    }
}

/// A message to queue (already rendered and passed by the guard, or blocked by it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMessage {
    /// The account it is about.
    pub account: AccountId,
    /// `email`, `whatsapp` or `sms`.
    pub channel: Channel,
    /// Who receives it.
    pub party: Party,
    /// Their address.
    pub recipient: Recipient,
    /// The template it was rendered from; None for free text a person wrote.
    pub template: Option<String>,
    /// Subject (e-mail).
    pub subject: Option<String>,
    /// The text as it will be sent.
    pub body: String,
    /// Unique per creditor: the same key queues one message only.
    pub idempotency_key: String,
    /// The person who asked for it, if one did.
    pub user: Option<UserId>,
    /// Not to be tried before this instant.
    pub not_before: DateTime<Utc>,
}

/// Why a message is refused: the rule code and what triggered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// A guard rule (`insult`, `threat_violence`, …) or a gate rule (`paused`,
    /// `third_party_debt_details`, …).
    pub rule: String,
    /// The words as written, or what the gate was told.
    pub detail: String,
}

/// Why a message does not simply go at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hold {
    /// The gate refuses for now (hours, holiday, cap): queued until `not_before`, the
    /// gate's next allowed time, with its rule kept.
    Wait(String),
    /// The guard or the gate refuses for good: stored blocked, never sent.
    Block(Refusal),
}

/// How a new message is stored under a hold: status, rule, rule detail, audit action and
/// event detail.
pub(crate) struct Intake<'a> {
    pub status: MessageStatus,
    pub rule: Option<&'a str>,
    pub rule_detail: Option<&'a str>,
    pub action: &'static str,
    pub detail: Option<String>,
}

impl<'a> Intake<'a> {
    pub(crate) fn of(hold: Option<&'a Hold>, not_before: DateTime<Utc>) -> Intake<'a> {
        match hold {
            None => Intake {
                status: MessageStatus::Queued,
                rule: None,
                rule_detail: None,
                action: "message.queued",
                detail: None,
            },
            Some(Hold::Wait(rule)) => Intake {
                status: MessageStatus::Queued,
                rule: Some(rule),
                rule_detail: None,
                action: "message.queued",
                detail: Some(format!("{rule}; waits until {not_before}")),
            },
            Some(Hold::Block(r)) => Intake {
                status: MessageStatus::Blocked,
                rule: Some(&r.rule),
                rule_detail: Some(&r.detail),
                action: "message.blocked",
                detail: Some(format!("{}: {}", r.rule, r.detail)),
            },
        }
    }
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Id.
    pub id: MessageId,
    /// The creditor it belongs to.
    pub creditor: CreditorId,
    /// What was queued (`not_before` is the current one: a wait or a backoff moves it).
    pub data: NewMessage,
    /// Where it stands.
    pub status: MessageStatus,
    /// The rule that blocked or deferred it last.
    pub refusal: Option<Refusal>,
    /// Provider calls started.
    pub attempts: u32,
    /// When the last provider call started.
    pub attempted_at: Option<DateTime<Utc>>,
    /// The dispatcher holding it and until when.
    pub lease: Option<(String, DateTime<Utc>)>,
    /// The provider's id for it (SMTP Message-ID, WhatsApp `wamid`, the gateway's id).
    pub provider_id: Option<String>,
    /// The last error from the provider.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Message {
    /// The contact attempt it counts as against the gate's caps: once handed to a
    /// provider (sending, sent, delivered), at the instant the last call started.
    pub fn attempt(&self) -> Option<(Channel, DateTime<Utc>)> {
        match self.status {
            MessageStatus::Sending | MessageStatus::Sent | MessageStatus::Delivered => {
                self.attempted_at.map(|at| (self.data.channel, at))
            }
            _ => None,
        }
    }

    /// Whether a provider call was started and never finished (the dispatcher died).
    pub fn in_doubt(&self) -> bool {
        self.status == MessageStatus::Sending
    }

    /// Our own reference for the provider, the same on every attempt: SMTP Message-ID
    /// local part, WhatsApp `biz_opaque_callback_data`, the SMS gateway's client reference.
    pub fn reference(&self) -> String {
        format!("sepakat-{}-{}", self.creditor, self.id)
    }
}

/// One change of a message's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageEvent {
    /// The message.
    pub message: MessageId,
    /// When.
    pub at: DateTime<Utc>,
    /// The status it took.
    pub status: MessageStatus,
    /// The rule, error or receipt that moved it, readable.
    pub detail: Option<String>,
}

/// How a leased message ends its turn with the dispatcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settle {
    /// The provider accepted it.
    Sent {
        /// The provider's id.
        provider_id: String,
    },
    /// The provider failed for now: back to the queue.
    Retry {
        /// What went wrong.
        error: String,
        /// The backoff's next try.
        not_before: DateTime<Utc>,
    },
    /// Given up.
    Failed {
        /// Why.
        error: String,
    },
    /// The gate says not now: back to the queue until its next allowed time.
    Deferred {
        /// The gate's rule.
        rule: String,
        /// The gate's next allowed time.
        not_before: DateTime<Utc>,
    },
    /// The gate refuses for good (pause, third party, channel off): never sent.
    Blocked(Refusal),
}

impl Settle {
    /// The status the message takes.
    pub fn status(&self) -> MessageStatus {
        match self {
            Settle::Sent { .. } => MessageStatus::Sent,
            Settle::Retry { .. } | Settle::Deferred { .. } => MessageStatus::Queued,
            Settle::Failed { .. } => MessageStatus::Failed,
            Settle::Blocked(_) => MessageStatus::Blocked,
        }
    }

    /// The audit action: `message.sent`, `message.retry`, `message.deferred`, ….
    pub fn action(&self) -> &'static str {
        match self {
            Settle::Sent { .. } => "message.sent",
            Settle::Retry { .. } => "message.retry",
            Settle::Failed { .. } => "message.failed",
            Settle::Deferred { .. } => "message.deferred",
            Settle::Blocked(_) => "message.blocked",
        }
    }

    /// The readable detail for the event.
    pub fn detail(&self) -> String {
        match self {
            Settle::Sent { provider_id } => format!("provider id {provider_id}"),
            Settle::Retry { error, not_before } => format!("{error}; next try {not_before}"),
            Settle::Failed { error } => error.clone(),
            Settle::Deferred { rule, not_before } => format!("{rule}; waits until {not_before}"),
            Settle::Blocked(r) => format!("{}: {}", r.rule, r.detail),
        }
    }

    /// Whether a provider call must have been started (`start_attempt`) for this ending.
    pub fn needs_attempt(&self) -> bool {
        matches!(self, Settle::Sent { .. } | Settle::Retry { .. })
    }
}

/// A delivery receipt from a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Which channel's provider sent it.
    pub channel: Channel,
    /// The provider's id, when the receipt names it.
    pub provider_id: Option<String>,
    /// Our reference (`Message::reference`), when the receipt carries it back.
    pub reference: Option<String>,
    /// Delivered or failed.
    pub delivered: bool,
    /// The provider's words (error code and title for a failure).
    pub detail: String,
    /// When the provider says it happened.
    pub at: DateTime<Utc>,
}

impl Receipt {
    /// The message a reference names, if it is one of ours.
    pub fn referenced(&self) -> Option<(CreditorId, MessageId)> {
        let rest = self.reference.as_deref()?.strip_prefix("sepakat-")?;
        let (creditor, id) = rest.split_once('-')?;
        Some((
            CreditorId(creditor.parse().ok()?),
            MessageId(id.parse().ok()?),
        ))
    }
}

/// The outbox's storage, a supertrait of `Store`.
pub trait OutboxStore {
    /// Queues a message (with the rule it waits under, if any), or stores it blocked
    /// (never to be sent); audited as `message.queued` or `message.blocked`. A known
    /// idempotency key returns the first message. `NotFound` if the account is not the
    /// creditor's.
    fn enqueue_message(
        &self,
        creditor: CreditorId,
        new: &NewMessage,
        hold: Option<&Hold>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Message>;

    /// Leases up to `limit` messages to `owner` until `until`: queued ones due by `now`
    /// and interrupted (`sending`) ones, whose lease is free or expired; the oldest due
    /// first. Another dispatcher's live lease is skipped.
    fn lease_messages(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Message>>;

    /// Records that `owner` is calling the provider now (`sending`, one more attempt),
    /// before it does; audited. `Conflict` unless `owner` holds a live lease on a queued
    /// or interrupted message.
    fn start_attempt(
        &self,
        id: MessageId,
        owner: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Message>;

    /// Ends `owner`'s turn with the message and frees the lease; audited. `Conflict`
    /// unless `owner` holds the lease (an expired one still counts: nobody else took it),
    /// or if a send result comes without `start_attempt`.
    fn finish_message(
        &self,
        id: MessageId,
        owner: &str,
        settle: &Settle,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Message>;

    /// Applies a delivery receipt to the message it names (provider id or reference):
    /// a sent or interrupted message becomes delivered or failed, a failed one delivered;
    /// anything else, or a repeated receipt, changes nothing. None if no message matches.
    fn record_receipt(&self, receipt: &Receipt, actor: &Actor) -> StoreResult<Option<Message>>;

    /// The creditor's messages, of one account or all, oldest first.
    fn messages(
        &self,
        creditor: CreditorId,
        account: Option<AccountId>,
    ) -> StoreResult<Vec<Message>>;

    /// A message's status history, oldest first; `NotFound` if not the creditor's.
    fn message_events(
        &self,
        creditor: CreditorId,
        message: MessageId,
    ) -> StoreResult<Vec<MessageEvent>>;
}

/// Checks a message before it is stored; the error names the field.
pub(crate) fn check_new_message(new: &NewMessage) -> StoreResult<()> {
    let conflict = |m: String| Err(StoreError::Conflict(m));
    let expected = Recipient::parse(new.channel, new.recipient.as_str());
    if expected.as_ref() != Ok(&new.recipient) {
        return conflict(format!(
            "recipient: {} is not an address for {}",
            new.recipient.masked(),
            new.channel
        ));
    }
    if new.body.trim().is_empty() {
        return conflict("body: empty".into());
    }
    if new.idempotency_key.trim().is_empty() || new.idempotency_key.len() > 200 {
        return conflict("idempotency_key: required, at most 200 characters".into());
    }
    if new.channel == Channel::Email && new.subject.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return conflict("subject: required for email".into());
    }
    Ok(())
}

/// Whether `settle` may follow `status`, for `finish_message`.
pub(crate) fn check_settle(
    id: MessageId,
    status: MessageStatus,
    settle: &Settle,
) -> StoreResult<()> {
    let ok = match status {
        MessageStatus::Sending => true,
        MessageStatus::Queued => !settle.needs_attempt(),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "message {id} is {}; cannot become {}",
            status.code(),
            settle.status().code()
        )))
    }
}

/// The status a receipt moves a message in `status` to, if any.
pub(crate) fn receipt_status(status: MessageStatus, delivered: bool) -> Option<MessageStatus> {
    match (status, delivered) {
        (MessageStatus::Sent | MessageStatus::Sending | MessageStatus::Failed, true) => {
            Some(MessageStatus::Delivered)
        }
        (MessageStatus::Sent | MessageStatus::Sending, false) => Some(MessageStatus::Failed),
        _ => None,
    }
}

/// The parts of a message row both backends decode alike.
pub(crate) fn decode_recipient(channel: Channel, text: &str) -> StoreResult<Recipient> {
    Recipient::parse(channel, text)
        .map_err(|e| StoreError::Other(format!("stored message recipient is corrupt: {e}")))
}
