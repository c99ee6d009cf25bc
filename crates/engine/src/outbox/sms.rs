//! SMS through a generic HTTP gateway: `POST {url}` with a bearer token and
//!
//! ```json
//! {"to": "+6281234567890", "text": "…", "sender": "SEPAKAT", "reference": "sepakat-1-42"}
//! ```
//!
//! answered with `{"id": "…"}` (or `message_id`), the provider id. Most Indonesian
//! gateways (and aggregators abroad) take this shape or need only a small relay; the
//! field names are fixed here so that one contract is tested. A gateway that drops a
//! second request with a known `reference` may say so (`dedupes_reference = true`): then
//! a send of unknown outcome is repeated with the same reference. Delivery reports come
//! back as `{"id": "…", "reference": "…", "status": "delivered" | "failed", "error": "…"}`
//! (`receipt`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use sepakat_domain::compliance::Channel;
use sepakat_store::{Message, Receipt};

use super::adapter::{Adapter, Secret, SendError};
use super::http::JsonClient;

/// `[sms]`: the gateway. An empty `url` turns SMS off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmsSettings {
    /// The gateway's send URL; empty: no SMS.
    pub url: String,
    /// The bearer token (or `SEPAKAT__SMS__TOKEN`).
    pub token: Secret,
    /// The sender name or number shown to the debtor.
    pub sender: String,
    /// Whether the gateway drops a repeated `reference` (then an uncertain send is retried).
    pub dedupes_reference: bool,
    /// Timeout of each connect and read, in milliseconds.
    pub timeout_ms: u64,
}

impl Default for SmsSettings {
    fn default() -> Self {
        SmsSettings {
            url: String::new(),
            token: Secret::default(),
            sender: "SEPAKAT".into(),
            dedupes_reference: false,
            timeout_ms: 30_000,
        }
    }
}

/// The SMS adapter.
#[derive(Debug, Clone)]
pub struct Sms {
    settings: SmsSettings,
    client: JsonClient,
}

impl Sms {
    /// The adapter for `settings`, or None when SMS is off; an error names the setting.
    pub fn from_settings(settings: &SmsSettings) -> Result<Option<Sms>, String> {
        if settings.url.is_empty() {
            return Ok(None);
        }
        if !(settings.url.starts_with("http://") || settings.url.starts_with("https://")) {
            return Err(format!("sms.url: {:?} is not an http(s) URL", settings.url));
        }
        Ok(Some(Sms {
            settings: settings.clone(),
            client: JsonClient::new("sms", settings.timeout_ms),
        }))
    }
}

impl Adapter for Sms {
    fn channel(&self) -> Channel {
        Channel::Sms
    }

    fn send(&self, message: &Message) -> Result<String, SendError> {
        let body = json!({
            "to": message.data.recipient.as_str(),
            "text": message.data.body,
            "sender": self.settings.sender,
            "reference": message.reference(),
        });
        let answer = self
            .client
            .post(&self.settings.url, self.settings.token.expose(), &body)?;
        answer
            .get("id")
            .or_else(|| answer.get("message_id"))
            .map(|id| id.as_str().map_or_else(|| id.to_string(), str::to_string))
            .ok_or_else(|| SendError::Unknown(format!("sms: no id in {answer}")))
    }

    fn dedupes(&self) -> bool {
        self.settings.dedupes_reference
    }
}

/// A delivery report of the gateway as a store receipt; `at` is when it arrived.
pub fn receipt(payload: &str, at: DateTime<Utc>) -> Result<Receipt, String> {
    let v: Value =
        serde_json::from_str(payload).map_err(|e| format!("sms report: not JSON: {e}"))?;
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let delivered = match text("status").as_deref() {
        Some("delivered") => true,
        Some("failed") => false,
        other => {
            return Err(format!(
                "sms report: status {other:?} is not delivered or failed"
            ))
        }
    };
    let (provider_id, reference) = (text("id"), text("reference"));
    if provider_id.is_none() && reference.is_none() {
        return Err("sms report: neither id nor reference".into());
    }
    Ok(Receipt {
        channel: Channel::Sms,
        provider_id,
        reference,
        delivered,
        detail: if delivered {
            "delivered".into()
        } else {
            format!("failed: {}", text("error").unwrap_or_default())
        },
        at,
    })
}
