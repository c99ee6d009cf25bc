//! Putting a message in the outbox: the recipient (the debtor's address on the channel,
//! or one given), the text (a template filled with the account's values, or free text a
//! person wrote), the message guard over every part, and the compliance gate now. A text
//! the guard blocks is stored blocked with the rule and the words, never sent; so is a
//! message the gate refuses for good (pause, a third party told of the debt). A message
//! the gate only refuses for now (hours, holiday, cap) waits for its next allowed time.
//! The dispatcher asks the gate again before it sends.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::templates::template_for_key;

use sepakat_domain::compliance::{Channel, Gate, Party, Purpose};
use sepakat_domain::template::{Catalogue, MessageContext, MissingValue, Salutation};
use sepakat_domain::{Dpd, Guard, PromiseStatus};
use sepakat_store::gate::ContactFacts;
use sepakat_store::{
    AccountDetail, Actor, Creditor, Hold, Message, NewMessage, Recipient, Refusal, Store,
    StoreError, UserId,
};

/// What the message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A template by key (`early_whatsapp`): the creditor's approved version in force for
    /// its stage and channel, else the catalogue's.
    Template(String),
    /// Free text a person wrote (a subject for e-mail).
    Text {
        /// Subject (e-mail).
        subject: Option<String>,
        /// The text.
        body: String,
    },
}

/// Values a template may need that the account does not hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// `{{tautan_pembayaran}}`.
    pub payment_link: Option<String>,
    /// `{{kontak_resmi}}`.
    pub official_contact: Option<String>,
    /// `{{petugas}}`.
    pub collector: Option<String>,
    /// Days from today for `{{batas_waktu}}`.
    pub deadline_days: Option<u32>,
}

/// A message someone asks to send.
#[derive(Debug, Clone)]
pub struct Request {
    /// The account it is about.
    pub account: AccountDetail,
    /// `email`, `whatsapp` or `sms`.
    pub channel: Channel,
    /// Who receives it (a third party never hears of the debt: such a message is blocked).
    pub party: Party,
    /// The address; None: the debtor's own on the channel.
    pub to: Option<String>,
    /// What it says.
    pub content: Content,
    /// Template values the account does not hold.
    pub extras: Extras,
    /// The caller's key; None: derived from account, channel, recipient, text and the
    /// debtor's local day, so the same request on the same day queues once.
    pub idempotency_key: Option<String>,
    /// The person asking, if one is.
    pub user: Option<UserId>,
}

/// Why a message could not be queued at all (nothing is stored).
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// The debtor has no address on the channel and none was given.
    #[error("to: the debtor has no {0} address; give one")]
    NoAddress(Channel),
    /// The address does not parse for the channel.
    #[error("to: {0}")]
    BadRecipient(String),
    /// No such template.
    #[error("template: unknown template {0:?}")]
    UnknownTemplate(String),
    /// The template is for another channel.
    #[error("template: {key:?} is a {template} template, not {channel}")]
    WrongChannel {
        /// The template.
        key: String,
        /// Its channel.
        template: Channel,
        /// The channel asked for.
        channel: Channel,
    },
    /// The template needs a value this message does not have.
    #[error("template: {0}")]
    Missing(#[from] MissingValue),
    /// E-mail free text needs a subject; any text needs a body.
    #[error("{0}: required")]
    Required(&'static str),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What composing needs besides the request.
pub struct Composer<'a> {
    /// The store.
    pub store: &'a dyn Store,
    /// The creditor sending.
    pub creditor: &'a Creditor,
    /// The message guard.
    pub guard: &'a Guard,
    /// The compliance gate.
    pub gate: &'a Gate,
    /// The shipped default templates; a creditor's approved version in force takes
    /// precedence (`crate::templates`).
    pub catalogue: &'a Catalogue,
}

impl Composer<'_> {
    /// Queues `request` at `now` (or stores it blocked); a repeated key returns the first
    /// message.
    pub fn compose(
        &self,
        request: Request,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Message, ComposeError> {
        let a = &request.account;
        let recipient = self.recipient(&request)?;
        let (template, subject, body) = self.text(&request, now)?;
        let zone = a.debtor.data.province.zone();
        let key = request.idempotency_key.clone().unwrap_or_else(|| {
            derived_key(&[
                &a.account_no,
                request.channel.code(),
                recipient.as_str(),
                subject.as_deref().unwrap_or_default(),
                &body,
                &zone.local(now).date().to_string(),
            ])
        });
        let mut new = NewMessage {
            account: a.id,
            channel: request.channel,
            party: request.party,
            recipient,
            template,
            subject,
            body,
            idempotency_key: key,
            user: request.user,
            not_before: now,
        };
        let hold = match self.guard_refusal(&new) {
            Some(r) => Some(Hold::Block(r)),
            None => {
                let facts = ContactFacts::load(self.store, self.creditor.id, a, now)?;
                let d =
                    facts.decide_for(self.gate, new.channel, new.party, Purpose::Collection, now);
                match (d.allowed, d.next_allowed_at) {
                    (true, _) => None,
                    (false, Some(next)) => {
                        new.not_before = next;
                        Some(Hold::Wait(d.rule.code().to_string()))
                    }
                    (false, None) => Some(Hold::Block(Refusal {
                        rule: d.rule.code().to_string(),
                        detail: d.rule.basis().to_string(),
                    })),
                }
            }
        };
        Ok(self
            .store
            .enqueue_message(self.creditor.id, &new, hold.as_ref(), now, actor)?)
    }

    fn recipient(&self, request: &Request) -> Result<Recipient, ComposeError> {
        let d = &request.account.debtor.data;
        let own = match request.channel {
            Channel::Email => d.email.as_ref().map(|e| e.as_str().to_string()),
            _ => d.phone.as_ref().map(|p| p.as_str().to_string()),
        };
        let text = request
            .to
            .clone()
            .or(own)
            .ok_or(ComposeError::NoAddress(request.channel))?;
        Recipient::parse(request.channel, &text).map_err(ComposeError::BadRecipient)
    }

    /// (template key, subject, body).
    fn text(
        &self,
        request: &Request,
        now: DateTime<Utc>,
    ) -> Result<(Option<String>, Option<String>, String), ComposeError> {
        match &request.content {
            Content::Text { subject, body } => {
                if body.trim().is_empty() {
                    return Err(ComposeError::Required("text"));
                }
                let subject = subject.clone().filter(|s| !s.trim().is_empty());
                if request.channel == Channel::Email && subject.is_none() {
                    return Err(ComposeError::Required("subject"));
                }
                Ok((None, subject, body.trim().to_string()))
            }
            Content::Template(key) => {
                let in_force = template_for_key(self.store, self.creditor.id, self.catalogue, key)?
                    .ok_or_else(|| ComposeError::UnknownTemplate(key.clone()))?;
                let t = &in_force.template;
                if t.channel != request.channel {
                    return Err(ComposeError::WrongChannel {
                        key: key.clone(),
                        template: t.channel,
                        channel: request.channel,
                    });
                }
                let rendered = t.render(&self.context(request, now)?)?;
                Ok((
                    Some(in_force.label()),
                    rendered.subject,
                    rendered.body.trim().to_string(),
                ))
            }
        }
    }

    fn context(&self, request: &Request, now: DateTime<Utc>) -> Result<MessageContext, StoreError> {
        let a = &request.account;
        let d = &a.debtor.data;
        let today = d.province.zone().local(now).date();
        let promise = self
            .store
            .promises(self.creditor.id, a.id)?
            .into_iter()
            .find(|p| p.status == PromiseStatus::Pending);
        let e = &request.extras;
        Ok(MessageContext {
            salutation: Some(Salutation::from_gender(d.gender)),
            name: Some(d.name.clone()),
            creditor: Some(self.creditor.name.clone()),
            account_no: Some(a.account_no.clone()),
            overdue: Some(a.balance.total_overdue()),
            total_due: Some(a.balance.total_outstanding()),
            due_date: a.balance.oldest_unpaid_due,
            dpd: Some(Dpd::as_of(a.balance.oldest_unpaid_due, today).days()),
            deadline: e
                .deadline_days
                .map(|n| today + chrono::Duration::days(i64::from(n))),
            promise_amount: promise.as_ref().map(|p| p.data.amount),
            promise_date: promise.as_ref().map(|p| p.data.promised_on),
            payment_link: e.payment_link.clone(),
            collector: e.collector.clone(),
            official_contact: e.official_contact.clone(),
            date: Some(today),
            ..MessageContext::default()
        })
    }

    /// The guard's first blocking finding over subject and body, with every blocking
    /// word of that rule.
    fn guard_refusal(&self, m: &NewMessage) -> Option<Refusal> {
        let findings: Vec<_> = [m.subject.as_deref().unwrap_or_default(), m.body.as_str()]
            .into_iter()
            .flat_map(|text| self.guard.check(text).findings)
            .filter(|f| f.severity == sepakat_domain::guard::Severity::Block)
            .collect();
        let rule = findings.first()?.rule.clone();
        let words: Vec<String> = findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| format!("«{}»", f.matched))
            .collect();
        Some(Refusal {
            rule,
            detail: words.join(", "),
        })
    }
}

fn derived_key(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    format!("auto-{}", hex_prefix(&h.finalize()))
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
