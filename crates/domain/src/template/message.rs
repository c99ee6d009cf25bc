//! A message template: a stage of collection, a channel, an optional subject and a body,
//! and the review every template passes before the compliance role may approve it.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::context::MessageContext;
use super::text::{MissingValue, TemplateError, TemplateText};
use crate::compliance::channel::{coded_enum, CodeError};
use crate::compliance::Channel;
use crate::guard::{Finding, Guard};

/// An SMS of more than this many characters is refused (three concatenated segments of
/// 153 GSM-7 characters); longer texts belong in WhatsApp or email.
pub const SMS_MAX_CHARS: usize = 459;

coded_enum! {
    /// Where in the collection cycle a template is used.
    Stage, "template stage" {
        /// Before the due date: a friendly reminder.
        PreDue => "pre_due",
        /// 1–30 days past due: a polite reminder with the payment options.
        Early => "early",
        /// 31–90 days past due: firmer, with the consequences stated truthfully.
        Mid => "mid",
        /// Over 90 days: the last notices before formal steps.
        Late => "late",
        /// Recap of a promise to pay just agreed.
        PromiseRecap => "promise_recap",
        /// The day before a promise's date.
        PromiseReminder => "promise_reminder",
        /// The day after a promise was not kept.
        PromiseBroken => "promise_broken",
        /// First warning letter (surat peringatan 1).
        Sp1 => "sp1",
        /// Second warning letter.
        Sp2 => "sp2",
        /// Third and last warning letter.
        Sp3 => "sp3",
        /// Formal demand letter (somasi) before civil legal process.
        Somasi => "somasi",
    }
}

/// Why a template cannot be saved as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageTemplateError {
    /// The channel does not carry written messages (a call or a visit).
    #[error("channel {0} does not carry templates; use whatsapp, sms, email or letter")]
    NotAMessageChannel(Channel),
    /// Email and letters need a subject (perihal).
    #[error("subject: {0} templates need a subject")]
    SubjectRequired(Channel),
    /// SMS and WhatsApp have no subject.
    #[error("subject: {0} templates have no subject")]
    SubjectNotAllowed(Channel),
    /// The subject does not parse.
    #[error("subject: {0}")]
    Subject(TemplateError),
    /// The body does not parse.
    #[error("body: {0}")]
    Body(TemplateError),
}

/// A template as the editor saves it (one version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageTemplate {
    /// Stable name, e.g. `early_whatsapp`; versions share it.
    pub key: String,
    /// Where in the cycle it is used.
    pub stage: Stage,
    /// WhatsApp, SMS, email or letter.
    pub channel: Channel,
    /// Subject (email) or perihal (letter).
    pub subject: Option<TemplateText>,
    /// The text.
    pub body: TemplateText,
}

/// A message ready to queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedMessage {
    /// Subject, for email and letters.
    pub subject: Option<String>,
    /// The text.
    pub body: String,
}

/// What a reviewer sees before approving: the template filled with sample data, and
/// every guard finding in it. Approval is refused while `blocked`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// The preview with sample data.
    pub preview: RenderedMessage,
    /// Guard findings in the subject and the body (spans refer to the preview body).
    pub findings: Vec<Finding>,
    /// Whether anything blocks approval (a blocking finding or an SMS that is too long).
    pub blocked: bool,
    /// Problems that are not guard findings (e.g. the SMS length), in Bahasa Indonesia.
    pub problems: Vec<String>,
}

impl MessageTemplate {
    /// Parses and checks a template for `channel`.
    pub fn new(
        key: &str,
        stage: Stage,
        channel: Channel,
        subject: Option<&str>,
        body: &str,
    ) -> Result<MessageTemplate, MessageTemplateError> {
        let needs_subject = match channel {
            Channel::Email | Channel::Letter => true,
            Channel::Whatsapp | Channel::Sms => false,
            Channel::Call | Channel::FieldVisit => {
                return Err(MessageTemplateError::NotAMessageChannel(channel))
            }
        };
        let subject = match (needs_subject, subject.filter(|s| !s.trim().is_empty())) {
            (true, None) => return Err(MessageTemplateError::SubjectRequired(channel)),
            (false, Some(_)) => return Err(MessageTemplateError::SubjectNotAllowed(channel)),
            (true, Some(s)) => Some(TemplateText::parse(s).map_err(MessageTemplateError::Subject)?),
            (false, None) => None,
        };
        let body = TemplateText::parse(body).map_err(MessageTemplateError::Body)?;
        Ok(MessageTemplate {
            key: key.to_string(),
            stage,
            channel,
            subject,
            body,
        })
    }

    /// Fills the template for one debtor.
    pub fn render(&self, context: &MessageContext) -> Result<RenderedMessage, MissingValue> {
        Ok(RenderedMessage {
            subject: self
                .subject
                .as_ref()
                .map(|s| s.render(context))
                .transpose()?,
            body: self.body.render(context)?,
        })
    }

    /// The review for approval: preview with sample data, guard findings, channel limits.
    pub fn review(&self, guard: &Guard, today: NaiveDate) -> Review {
        let sample = MessageContext::sample(today);
        let preview = self
            .render(&sample)
            .expect("the sample context knows every variable");
        let mut findings = Vec::new();
        if let Some(subject) = &preview.subject {
            findings.extend(guard.check(subject).findings);
        }
        findings.extend(guard.check(&preview.body).findings);
        let mut problems = Vec::new();
        let chars = preview.body.chars().count();
        if self.channel == Channel::Sms && chars > SMS_MAX_CHARS {
            problems.push(format!(
                "SMS terlalu panjang: {chars} karakter dengan data contoh, maksimal {SMS_MAX_CHARS}"
            ));
        }
        let blocked = !problems.is_empty()
            || findings
                .iter()
                .any(|f| f.severity == crate::guard::Severity::Block);
        Review {
            preview,
            findings,
            blocked,
            problems,
        }
    }
}
