//! WhatsApp through Meta's WhatsApp Business Cloud API, as documented at
//! developers.facebook.com/docs/whatsapp/cloud-api: `POST {base}/{version}/{phone number
//! id}/messages` with a bearer token and a text message body:
//!
//! ```json
//! {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "6281234567890",
//!  "type": "text", "text": {"preview_url": false, "body": "…"},
//!  "biz_opaque_callback_data": "sepakat-1-42"}
//! ```
//!
//! The answer's `messages[0].id` (a `wamid.…`) is the provider id. Delivery comes back on
//! the webhook as `statuses` (`sent`, `delivered`, `read`, `failed`) carrying the id and our
//! `biz_opaque_callback_data`; `receipts` turns such a payload into store receipts.
//!
//! A text message reaches a debtor only inside the 24-hour window after they last wrote;
//! outside it Meta requires a pre-approved template message, which this adapter does not
//! send yet (mapping Sepakat templates onto approved Meta templates is still to come).
//! The Cloud API has no idempotency key, so a send of unknown outcome is not repeated.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use sepakat_domain::compliance::Channel;
use sepakat_store::{Message, Receipt};

use super::adapter::{Adapter, Secret, SendError};
use super::http::JsonClient;

/// `[whatsapp]`: the Cloud API account. An empty `phone_number_id` turns WhatsApp off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WhatsappSettings {
    /// The API's base URL.
    pub base_url: String,
    /// The Graph API version in the path.
    pub api_version: String,
    /// The business phone number's id; empty: no WhatsApp.
    pub phone_number_id: String,
    /// The access token (or `SEPAKAT__WHATSAPP__TOKEN`).
    pub token: Secret,
    /// Timeout of each connect and read, in milliseconds.
    pub timeout_ms: u64,
}

impl Default for WhatsappSettings {
    fn default() -> Self {
        WhatsappSettings {
            base_url: "https://graph.facebook.com".into(),
            api_version: "v21.0".into(),
            phone_number_id: String::new(),
            token: Secret::default(),
            timeout_ms: 30_000,
        }
    }
}

/// The WhatsApp adapter.
#[derive(Debug, Clone)]
pub struct Whatsapp {
    url: String,
    token: Secret,
    client: JsonClient,
}

impl Whatsapp {
    /// The adapter for `settings`, or None when WhatsApp is off; an error names the setting.
    pub fn from_settings(settings: &WhatsappSettings) -> Result<Option<Whatsapp>, String> {
        if settings.phone_number_id.is_empty() {
            return Ok(None);
        }
        if !settings.token.is_set() {
            return Err("whatsapp.token: required when whatsapp.phone_number_id is set".into());
        }
        if !settings.phone_number_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!(
                "whatsapp.phone_number_id: {:?} is not a number id",
                settings.phone_number_id
            ));
        }
        Ok(Some(Whatsapp {
            url: format!(
                "{}/{}/{}/messages",
                settings.base_url.trim_end_matches('/'),
                settings.api_version,
                settings.phone_number_id
            ),
            token: settings.token.clone(),
            client: JsonClient::new("whatsapp", settings.timeout_ms),
        }))
    }
}

impl Adapter for Whatsapp {
    fn channel(&self) -> Channel {
        Channel::Whatsapp
    }

    fn send(&self, message: &Message) -> Result<String, SendError> {
        let body = json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.data.recipient.as_str().trim_start_matches('+'),
            "type": "text",
            "text": { "preview_url": false, "body": message.data.body },
            "biz_opaque_callback_data": message.reference(),
        });
        let answer = self.client.post(&self.url, self.token.expose(), &body)?;
        answer
            .pointer("/messages/0/id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| SendError::Unknown(format!("whatsapp: no message id in {answer}")))
    }

    fn dedupes(&self) -> bool {
        false
    }
}

/// The delivery receipts in a Cloud API webhook payload (`entry[].changes[].value.
/// statuses[]`): `delivered` and `read` as delivered, `failed` as failed with the error's
/// code and title; `sent` and anything else are skipped. An error names what is malformed.
pub fn receipts(payload: &str) -> Result<Vec<Receipt>, String> {
    let root: Value =
        serde_json::from_str(payload).map_err(|e| format!("webhook: not JSON: {e}"))?;
    let entries = root
        .get("entry")
        .and_then(Value::as_array)
        .ok_or("webhook: no entry array")?;
    let mut out = Vec::new();
    for status in entries
        .iter()
        .filter_map(|e| e.get("changes").and_then(Value::as_array))
        .flatten()
        .filter_map(|c| c.pointer("/value/statuses").and_then(Value::as_array))
        .flatten()
    {
        let text = |key: &str| status.get(key).and_then(Value::as_str);
        let delivered = match text("status") {
            Some("delivered" | "read") => true,
            Some("failed") => false,
            _ => continue,
        };
        let id = text("id").ok_or("webhook: a status without id")?;
        let at = text("timestamp")
            .and_then(|t| t.parse::<i64>().ok())
            .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
            .ok_or_else(|| format!("webhook: status {id} has no valid timestamp"))?;
        let detail = if delivered {
            text("status").unwrap_or_default().to_string()
        } else {
            let e = status.pointer("/errors/0");
            format!(
                "failed: {} {}",
                e.and_then(|e| e.get("code"))
                    .map(Value::to_string)
                    .unwrap_or_default(),
                e.and_then(|e| e.get("title"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            )
            .trim_end()
            .to_string()
        };
        out.push(Receipt {
            channel: Channel::Whatsapp,
            provider_id: Some(id.to_string()),
            reference: text("biz_opaque_callback_data").map(str::to_string),
            delivered,
            detail,
            at,
        });
    }
    Ok(out)
}
