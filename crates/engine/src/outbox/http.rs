//! The HTTP calls the WhatsApp and SMS adapters share: a JSON POST with a bearer token
//! and timeouts, and the mapping of what went wrong onto `SendError` (see `adapter`).

use std::time::Duration;

use serde_json::Value;

use super::adapter::SendError;

/// A JSON client for one provider.
#[derive(Debug, Clone)]
pub struct JsonClient {
    agent: ureq::Agent,
    name: &'static str,
}

impl JsonClient {
    /// A client named `name` (for errors) with `timeout_ms` per connect and per read.
    pub fn new(name: &'static str, timeout_ms: u64) -> JsonClient {
        let timeout = Duration::from_millis(timeout_ms.max(1));
        JsonClient {
            agent: ureq::AgentBuilder::new()
                .timeout_connect(timeout)
                .timeout_read(timeout)
                .timeout_write(timeout)
                .build(),
            name,
        }
    }

    /// POSTs `body` to `url` with `token` and returns the JSON answer of a 2xx.
    ///
    /// 408, 429, 5xx and 401/403 (a token that a person must fix; the messages wait for
    /// it) are `Unavailable`; other 4xx `Refused`, quoting the provider's error; a
    /// connection that was never made `Unavailable`; anything lost after the request was
    /// written `Unknown`.
    pub fn post(&self, url: &str, token: &str, body: &Value) -> Result<Value, SendError> {
        let name = self.name;
        let mut request = self.agent.post(url);
        if !token.is_empty() {
            request = request.set("Authorization", &format!("Bearer {token}"));
        }
        match request.send_json(body) {
            Ok(response) => response
                .into_json::<Value>()
                .map_err(|e| SendError::Unknown(format!("{name}: unreadable answer: {e}"))),
            Err(ureq::Error::Status(code, response)) => {
                let text = response.into_string().unwrap_or_default();
                let said = provider_words(&text);
                let message = format!("{name}: HTTP {code}: {said}");
                Err(match code {
                    401 | 403 | 408 | 429 | 500..=599 => SendError::Unavailable(message),
                    _ => SendError::Refused(message),
                })
            }
            Err(ureq::Error::Transport(t)) => {
                let message = format!("{name}: {t}");
                Err(match t.kind() {
                    ureq::ErrorKind::Dns
                    | ureq::ErrorKind::ConnectionFailed
                    | ureq::ErrorKind::InvalidUrl
                    | ureq::ErrorKind::UnknownScheme
                    | ureq::ErrorKind::InsecureRequestHttpsOnly
                    | ureq::ErrorKind::ProxyConnect => SendError::Unavailable(message),
                    _ => SendError::Unknown(message),
                })
            }
        }
    }
}

/// The provider's own error words from a JSON error body (`error.message`, `message`,
/// `error`), else the text cut short.
fn provider_words(text: &str) -> String {
    let json: Option<Value> = serde_json::from_str(text).ok();
    let pick = |v: &Value| -> Option<String> {
        v.pointer("/error/message")
            .or_else(|| v.get("message"))
            .or_else(|| v.get("error"))
            .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_string))
    };
    json.as_ref()
        .and_then(pick)
        .unwrap_or_else(|| text.chars().take(200).collect())
}
