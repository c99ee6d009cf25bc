//! Message templates in Bahasa Indonesia: the text of every WhatsApp, SMS, email and
//! letter Sepakat sends.
//!
//! A template names its variables from a closed list (`{{sapaan}}`, `{{tunggakan}}`,
//! `{{batas_waktu}}` …), so an unknown variable is an error when the template is written,
//! never a blank in a debtor's message. Before approval every template is reviewed: filled
//! with sample data and checked by the message guard, with the channel's limits (an SMS of
//! at most three segments). The shipped set (`data/templates/default.toml`) covers every
//! stage of the cycle, from the pre-due reminder to the somasi. See `docs/templates.md`.

mod catalogue;
mod context;
mod message;
mod text;
mod variable;

#[cfg(test)]
mod template_tests;

pub use catalogue::{Catalogue, CatalogueError};
pub use context::{long_date, MessageContext, Salutation};
pub use message::{
    MessageTemplate, MessageTemplateError, RenderedMessage, Review, Stage, SMS_MAX_CHARS,
};
pub use text::{MissingValue, TemplateError, TemplateText};
pub use variable::Variable;
