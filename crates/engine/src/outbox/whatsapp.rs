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
//! `biz_opaque_callback_data`; `receipts` turns such a payload into store receipts, after
//! `verify_signature` has checked Meta's `X-Hub-Signature-256` header against the app
//! secret.
//!
//! A text message reaches a debtor only inside the 24-hour window after they last wrote;
//! outside it Meta requires a pre-approved template message, which this adapter does not
//! send yet (mapping Sepakat templates onto approved Meta templates is still to come).
//! The Cloud API has no idempotency key, so a send of unknown outcome is not repeated.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

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
    /// The business phone number's id; empty: no WhatsApp. (A number is taken too, as
    /// `SEPAKAT__WHATSAPP__PHONE_NUMBER_ID=1234567890` gives one.)
    #[serde(deserialize_with = "text_or_number")]
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

fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(match Id::deserialize(d)? {
        Id::Text(t) => t,
        Id::Number(n) => n.to_string(),
    })
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

/// Whether `header` (`X-Hub-Signature-256: sha256=<hex>`) is Meta's HMAC-SHA256 of the
/// raw webhook `body` under the app secret; compared in constant time. A webhook whose
/// signature fails must be ignored.
pub fn verify_signature(app_secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let expected = hmac_sha256(app_secret.as_bytes(), body);
    let given: Vec<u8> = (0..hex.len())
        .step_by(2)
        .filter_map(|i| {
            hex.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect();
    given.len() == expected.len()
        && hex.len() == 2 * expected.len()
        && given
            .iter()
            .zip(&expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// HMAC-SHA256 (RFC 2104) over `message` with `key`.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| k.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_hmac_sha256_and_anything_else_fails() {
        // Reference values from `openssl dgst -sha256 -hmac` and Python's hmac.
        let good = "sha256=ad5c6aa52b4bf4d1955ccd07b1393163fa5aa461e01cedabf58a512035063c49";
        assert!(verify_signature("app-secret", b"hello", good));
        assert!(!verify_signature("app-secret", b"hello!", good));
        assert!(!verify_signature("other", b"hello", good));
        assert!(!verify_signature(
            "app-secret",
            b"hello",
            &good[..good.len() - 2]
        ));
        assert!(!verify_signature("app-secret", b"hello", "ad5c6aa5"));
        assert!(verify_signature(
            "key",
            b"",
            "sha256=5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0"
        ));
        let long_key = "k".repeat(100);
        assert!(verify_signature(
            &long_key,
            b"The quick brown fox",
            "sha256=4932d9be9aab7ee4618b6390795b1c7468d4cb30043784bac4d195907d9433d9"
        ));
    }

    #[test]
    fn a_numeric_phone_number_id_from_the_environment_is_taken_as_text() {
        let s: WhatsappSettings =
            serde_json::from_str(r#"{"phone_number_id": 1234567890}"#).expect("number accepted");
        assert_eq!(s.phone_number_id, "1234567890");
    }
}
