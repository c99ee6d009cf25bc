//! E-mail over SMTP (RFC 5321), our own small client: EHLO, AUTH PLAIN, MAIL FROM,
//! RCPT TO, DATA, QUIT over a plain TCP connection with timeouts on every read and write.
//!
//! The message is `text/plain; charset=UTF-8` with a base64 body and an RFC 2047 subject,
//! so any server takes it without 8BITMIME and no line needs dot-stuffing. Its Message-ID
//! is `<{reference}@{sender domain}>`, the same on every attempt, and is the provider id.
//!
//! No TLS: the client is meant to hand mail to a relay on the same host or network
//! (Postfix, OpenSMTPD, a provider's agent) that does TLS onward. It therefore refuses to
//! send a password to anything but a loopback address. Replies: 2xx go on, 4xx are
//! `Unavailable` (try later), 5xx `Refused`; a connection or a read that fails before the
//! final `.` is `Unavailable`, after it `Unknown` (the server may have queued the mail).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use base64::Engine as _;
use chrono::Utc;
use serde::{Deserialize, Serialize};

use sepakat_domain::compliance::Channel;
use sepakat_store::Message;

use super::adapter::{Adapter, Secret, SendError};

/// `[smtp]`: where e-mail goes. An empty `host` turns e-mail off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpSettings {
    /// The relay's host name or address; empty: no e-mail.
    pub host: String,
    /// Its port (25 or 587 on a relay).
    pub port: u16,
    /// Login for AUTH PLAIN; empty: no AUTH.
    pub username: String,
    /// Password (only to a loopback relay; or `SEPAKAT__SMTP__PASSWORD`).
    pub password: Secret,
    /// The sender address (`From`, envelope sender, Message-ID domain).
    pub from: String,
    /// The sender's display name.
    pub from_name: String,
    /// The name this host gives in EHLO.
    pub helo: String,
    /// Timeout of each connect, read and write, in milliseconds.
    pub timeout_ms: u64,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        SmtpSettings {
            host: String::new(),
            port: 25,
            username: String::new(),
            password: Secret::default(),
            from: String::new(),
            from_name: "Sepakat".into(),
            helo: "localhost".into(),
            timeout_ms: 30_000,
        }
    }
}

/// The SMTP adapter.
#[derive(Debug, Clone)]
pub struct Smtp {
    settings: SmtpSettings,
    domain: String,
}

impl Smtp {
    /// The adapter for `settings`, or None when e-mail is off; an error names the setting.
    pub fn from_settings(settings: &SmtpSettings) -> Result<Option<Smtp>, String> {
        if settings.host.is_empty() {
            return Ok(None);
        }
        let domain = settings
            .from
            .split_once('@')
            .map(|(_, d)| d.to_string())
            .filter(|d| d.contains('.') && !settings.from.contains(char::is_whitespace))
            .ok_or_else(|| format!("smtp.from: {:?} is not an e-mail address", settings.from))?;
        if !settings.username.is_empty() && !is_loopback(&settings.host) {
            return Err(format!(
                "smtp.host: {} is not a loopback address; Sepakat speaks SMTP without TLS and \
                 sends a password only to a relay on this host",
                settings.host
            ));
        }
        Ok(Some(Smtp {
            settings: settings.clone(),
            domain,
        }))
    }

    fn timeout(&self) -> Duration {
        Duration::from_millis(self.settings.timeout_ms.max(1))
    }

    /// The Message-ID of `message`: the same on every attempt.
    pub fn message_id(&self, message: &Message) -> String {
        format!("<{}@{}>", message.reference(), self.domain)
    }

    /// The message as written after DATA (headers, blank line, base64 body), CRLF lines.
    fn content(&self, message: &Message) -> String {
        let b64 = base64::engine::general_purpose::STANDARD;
        let subject = message.data.subject.as_deref().unwrap_or_default();
        let body = b64.encode(
            message
                .data
                .body
                .replace("\r\n", "\n")
                .replace('\n', "\r\n"),
        );
        let mut out = String::new();
        for (name, value) in [
            ("Message-ID", self.message_id(message)),
            ("Date", Utc::now().to_rfc2822()),
            (
                "From",
                format!(
                    "=?UTF-8?B?{}?= <{}>",
                    b64.encode(&self.settings.from_name),
                    self.settings.from
                ),
            ),
            ("To", format!("<{}>", message.data.recipient.as_str())),
            ("Subject", format!("=?UTF-8?B?{}?=", b64.encode(subject))),
            ("MIME-Version", "1.0".into()),
            ("Content-Type", "text/plain; charset=UTF-8".into()),
            ("Content-Transfer-Encoding", "base64".into()),
        ] {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("\r\n");
        for chunk in body.as_bytes().chunks(76) {
            out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            out.push_str("\r\n");
        }
        out
    }

    fn session(&self, message: &Message) -> Result<(), SendError> {
        let unavailable =
            |e: std::io::Error| SendError::Unavailable(format!("smtp {}: {e}", self.settings.host));
        let addr = (self.settings.host.as_str(), self.settings.port)
            .to_socket_addrs()
            .map_err(unavailable)?
            .next()
            .ok_or_else(|| {
                SendError::Unavailable(format!("smtp {}: no address", self.settings.host))
            })?;
        let stream = TcpStream::connect_timeout(&addr, self.timeout()).map_err(unavailable)?;
        stream
            .set_read_timeout(Some(self.timeout()))
            .map_err(unavailable)?;
        stream
            .set_write_timeout(Some(self.timeout()))
            .map_err(unavailable)?;
        let mut conn = Conn {
            reader: BufReader::new(stream.try_clone().map_err(unavailable)?),
            writer: stream,
        };
        conn.expect(None, 220)?;
        conn.expect(Some(&format!("EHLO {}", self.settings.helo)), 250)?;
        if !self.settings.username.is_empty() {
            let token = base64::engine::general_purpose::STANDARD.encode(format!(
                "\0{}\0{}",
                self.settings.username,
                self.settings.password.expose()
            ));
            conn.send_secret(&format!("AUTH PLAIN {token}"), 235)?;
        }
        conn.expect(Some(&format!("MAIL FROM:<{}>", self.settings.from)), 250)?;
        conn.expect(
            Some(&format!("RCPT TO:<{}>", message.data.recipient.as_str())),
            250,
        )?;
        conn.expect(Some("DATA"), 354)?;
        let content = self.content(message);
        conn.write_all(content.as_bytes())?;
        conn.write_all(b".\r\n")?;
        // From here on the server may have the whole message: a lost reply is no proof
        // that it was not queued.
        conn.reply("DATA end", 250, SendError::Unknown)?;
        let _ = conn.expect(Some("QUIT"), 221);
        Ok(())
    }
}

impl Adapter for Smtp {
    fn channel(&self) -> Channel {
        Channel::Email
    }

    fn send(&self, message: &Message) -> Result<String, SendError> {
        self.session(message)?;
        Ok(self.message_id(message))
    }

    fn dedupes(&self) -> bool {
        // Servers do not drop a second mail with a known Message-ID (mail readers may).
        false
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), SendError> {
        self.writer
            .write_all(bytes)
            .and_then(|()| self.writer.flush())
            .map_err(|e| SendError::Unavailable(format!("smtp write: {e}")))
    }

    /// Sends `command` (if any) and reads the reply; a reply other than `want` is an error
    /// quoting the command's verb and the server's words.
    fn expect(&mut self, command: Option<&str>, want: u16) -> Result<String, SendError> {
        if let Some(c) = command {
            self.write_all(format!("{c}\r\n").as_bytes())?;
        }
        let verb = command.map_or("greeting", |c| c.split([' ', ':']).next().unwrap_or(c));
        self.reply(verb, want, SendError::Unavailable)
    }

    /// As `expect`, for a command holding a secret: the error never quotes it.
    fn send_secret(&mut self, command: &str, want: u16) -> Result<String, SendError> {
        self.write_all(format!("{command}\r\n").as_bytes())?;
        self.reply("AUTH", want, SendError::Unavailable)
    }

    /// Reads one reply; a connection lost before it is `lost(…)`.
    fn reply(
        &mut self,
        verb: &str,
        want: u16,
        lost: fn(String) -> SendError,
    ) -> Result<String, SendError> {
        let mut text = String::new();
        loop {
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .map_err(|e| lost(format!("smtp {verb}: no reply: {e}")))?;
            if n == 0 {
                return Err(lost(format!("smtp {verb}: connection closed")));
            }
            let line = line.trim_end();
            let code: u16 = line.get(..3).and_then(|c| c.parse().ok()).ok_or_else(|| {
                SendError::Unavailable(format!("smtp {verb}: not an SMTP reply: {line:?}"))
            })?;
            text.push_str(line.get(4..).unwrap_or_default());
            if line.as_bytes().get(3) == Some(&b'-') {
                text.push(' ');
                continue;
            }
            return match code {
                c if c == want || (want == 250 && c == 251) => Ok(text),
                400..=499 => Err(SendError::Unavailable(format!(
                    "smtp reply {code} to {verb}: {text}"
                ))),
                _ => Err(SendError::Refused(format!(
                    "smtp reply {code} to {verb}: {text}"
                ))),
            };
        }
    }
}
