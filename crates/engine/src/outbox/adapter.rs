//! What every channel adapter does: hand one message to its provider and say what became
//! of it, telling apart "not sent" from "may have been sent" so the dispatcher never
//! sends a message twice by retrying a send that in fact went through.

use sepakat_domain::compliance::Channel;
use sepakat_store::Message;

/// Why a provider did not (surely) take a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The provider refused it for good (bad address, rejected content): never retried.
    #[error("refused: {0}")]
    Refused(String),
    /// Nothing was handed over, or the provider asked to try later (connection refused,
    /// 4xx SMTP reply, HTTP 429/5xx): safe to retry.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The provider may have taken it (a timeout after the message was written): resent
    /// only by an adapter whose provider drops duplicates of one reference.
    #[error("outcome unknown: {0}")]
    Unknown(String),
}

/// A channel's provider client (the trait is named for what it adapts; the compliance
/// channel it serves is `channel()`).
pub trait Adapter: Send + Sync {
    /// The channel it sends on.
    fn channel(&self) -> Channel;

    /// Sends `message` (to `message.data.recipient`, tagged with `message.reference()`)
    /// and returns the provider's id for it.
    fn send(&self, message: &Message) -> Result<String, SendError>;

    /// Whether the provider drops a second message with the same reference, so that a
    /// send of unknown outcome may be repeated.
    fn dedupes(&self) -> bool;
}

/// A secret setting (password, token): never printed by `Debug`, so logging a
/// configuration cannot leak it.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl Secret {
    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it is set.
    pub fn is_set(&self) -> bool {
        !self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"***\"" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_never_printed_by_debug() {
        let s = Secret("hunter2".into());
        assert_eq!(format!("{s:?}"), "\"***\"");
        assert!(!format!("{:?}", Some(&s)).contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }
}
