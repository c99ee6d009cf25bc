//! The outbox: messages queued in the database, sent by a dispatcher through channel
//! adapters (SMTP e-mail, WhatsApp Cloud API, an SMS HTTP gateway) when the compliance
//! gate allows, with retries and a record of every status. Design: `docs/outbox.md`.

pub mod adapter;
pub mod compose;
pub mod dispatch;
mod http;
pub mod sms;
pub mod smtp;
pub mod whatsapp;

pub use adapter::{Adapter, Secret, SendError};
pub use compose::{ComposeError, Composer, Content, Extras, Request};
pub use dispatch::{Adapters, Dispatcher, OutboxSettings, Round};
pub use sms::{Sms, SmsSettings};
pub use smtp::{Smtp, SmtpSettings, SmtpTls};
pub use whatsapp::{Whatsapp, WhatsappSettings};

/// The adapters the settings turn on; an error names the setting that is wrong.
pub fn adapters(
    smtp: &SmtpSettings,
    whatsapp: &WhatsappSettings,
    sms: &SmsSettings,
) -> Result<Adapters, String> {
    let mut out: Vec<Box<dyn Adapter>> = Vec::new();
    if let Some(a) = Smtp::from_settings(smtp)? {
        out.push(Box::new(a));
    }
    if let Some(a) = Whatsapp::from_settings(whatsapp)? {
        out.push(Box::new(a));
    }
    if let Some(a) = Sms::from_settings(sms)? {
        out.push(Box::new(a));
    }
    Ok(Adapters::new(out))
}
