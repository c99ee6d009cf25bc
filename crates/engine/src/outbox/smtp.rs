//! E-mail over SMTP (RFC 5321), our own small client: EHLO, STARTTLS (RFC 3207) or
//! implicit TLS (RFC 8314), AUTH PLAIN (RFC 4616), MAIL FROM, RCPT TO, DATA, QUIT, with
//! timeouts on every connect, read and write. TLS is rustls with the Mozilla roots
//! (`webpki-roots`) or the CA file configured, the same stack `ureq` uses for HTTPS.
//!
//! The message is `text/plain; charset=UTF-8` with a base64 body and an RFC 2047 subject,
//! so any server takes it without 8BITMIME and no line needs dot-stuffing. Its Message-ID
//! is `<{reference}@{sender domain}>`, the same on every attempt, and is the provider id.
//!
//! A password is only ever sent over TLS, or in the clear to a relay on this host
//! (`tls = "none"` with a loopback `host`). Replies: 2xx go on, 4xx are `Unavailable` (try
//! later), 5xx `Refused`; a connection or a read that fails before the final `.` is
//! `Unavailable`, after it `Unknown` (the server may have queued the mail).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use chrono::Utc;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde::{Deserialize, Serialize};

use sepakat_domain::compliance::Channel;
use sepakat_store::Message;

use super::adapter::{Adapter, Secret, SendError};

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain TCP, upgraded with STARTTLS before anything else (port 587); a server that
    /// does not offer it is refused.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS: only for a relay on this host.
    None,
}

/// `[smtp]`: where e-mail goes. An empty `host` turns e-mail off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpSettings {
    /// The server's host name or address; empty: no e-mail.
    pub host: String,
    /// Its port (587 for STARTTLS, 465 for TLS, 25 for a local relay).
    pub port: u16,
    /// `starttls`, `tls` or `none`.
    pub tls: SmtpTls,
    /// A PEM file of the CAs to trust; empty: the Mozilla roots.
    pub ca_file: String,
    /// Login for AUTH PLAIN; empty: no AUTH.
    pub username: String,
    /// Password (or `SEPAKAT__SMTP__PASSWORD`).
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
            port: 587,
            tls: SmtpTls::Starttls,
            ca_file: String::new(),
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
    tls: Arc<rustls::ClientConfig>,
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
        if settings.tls == SmtpTls::None
            && !settings.username.is_empty()
            && !is_loopback(&settings.host)
        {
            return Err(format!(
                "smtp.tls: \"none\" would send the password in the clear to {}; use \
                 starttls or tls (only a relay on this host may go without)",
                settings.host
            ));
        }
        Ok(Some(Smtp {
            settings: settings.clone(),
            domain,
            tls: Arc::new(client_config(&settings.ca_file)?),
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
        let host = &self.settings.host;
        let unavailable = |e: std::io::Error| SendError::Unavailable(format!("smtp {host}: {e}"));
        let addr = (host.as_str(), self.settings.port)
            .to_socket_addrs()
            .map_err(unavailable)?
            .next()
            .ok_or_else(|| SendError::Unavailable(format!("smtp {host}: no address")))?;
        let tcp = TcpStream::connect_timeout(&addr, self.timeout()).map_err(unavailable)?;
        tcp.set_read_timeout(Some(self.timeout()))
            .map_err(unavailable)?;
        tcp.set_write_timeout(Some(self.timeout()))
            .map_err(unavailable)?;
        match self.settings.tls {
            SmtpTls::None => self.transact(&mut Conn::new(tcp), message),
            SmtpTls::Tls => self.transact(&mut Conn::new(self.wrap(tcp)?), message),
            SmtpTls::Starttls => {
                let mut plain = Conn::new(tcp);
                plain.expect(None, 220)?;
                let offered = plain.expect(Some(&format!("EHLO {}", self.settings.helo)), 250)?;
                if !offered.to_ascii_uppercase().contains("STARTTLS") {
                    return Err(SendError::Unavailable(format!(
                        "smtp {host}: the server does not offer STARTTLS; set smtp.tls"
                    )));
                }
                plain.expect(Some("STARTTLS"), 220)?;
                let tcp = plain.into_inner()?;
                let mut secure = Conn::new(self.wrap(tcp)?);
                secure.expect(Some(&format!("EHLO {}", self.settings.helo)), 250)?;
                self.deliver(&mut secure, message)
            }
        }
    }

    fn wrap(
        &self,
        tcp: TcpStream,
    ) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, SendError> {
        let name = ServerName::try_from(self.settings.host.clone())
            .map_err(|e| SendError::Unavailable(format!("smtp.host: {e}")))?;
        let tls = rustls::ClientConnection::new(Arc::clone(&self.tls), name)
            .map_err(|e| SendError::Unavailable(format!("smtp TLS: {e}")))?;
        Ok(rustls::StreamOwned::new(tls, tcp))
    }

    /// Greeting and EHLO, then `deliver`.
    fn transact<S: Read + Write>(
        &self,
        conn: &mut Conn<S>,
        message: &Message,
    ) -> Result<(), SendError> {
        conn.expect(None, 220)?;
        conn.expect(Some(&format!("EHLO {}", self.settings.helo)), 250)?;
        self.deliver(conn, message)
    }

    /// AUTH, envelope, content, QUIT on a greeted connection.
    fn deliver<S: Read + Write>(
        &self,
        conn: &mut Conn<S>,
        message: &Message,
    ) -> Result<(), SendError> {
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
        conn.write_all(self.content(message).as_bytes())?;
        conn.write_all(b".\r\n")?;
        // From here on the server may have the whole message: a lost reply is no proof
        // that it was not queued.
        conn.reply("DATA end", 250, SendError::Unknown)?;
        let _ = conn.expect(Some("QUIT"), 221);
        Ok(())
    }
}

/// The TLS client settings: the CAs of `ca_file`, or the Mozilla roots.
fn client_config(ca_file: &str) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    if ca_file.is_empty() {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    } else {
        let certs = CertificateDer::pem_file_iter(ca_file)
            .and_then(|i| i.collect::<Result<Vec<_>, _>>())
            .map_err(|e| format!("smtp.ca_file: {ca_file}: {e}"))?;
        let (added, _) = roots.add_parsable_certificates(certs);
        if added == 0 {
            return Err(format!(
                "smtp.ca_file: {ca_file} holds no usable certificate"
            ));
        }
    }
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("smtp TLS: {e}"))
        .map(|b| b.with_root_certificates(roots).with_no_client_auth())
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

struct Conn<S> {
    io: BufReader<S>,
}

impl<S: Read + Write> Conn<S> {
    fn new(stream: S) -> Conn<S> {
        Conn {
            io: BufReader::new(stream),
        }
    }

    /// The stream back for STARTTLS; bytes the server sent ahead of the handshake would
    /// be read as if protected, so they are refused (RFC 3207 §6, command injection).
    fn into_inner(self) -> Result<S, SendError> {
        if !self.io.buffer().is_empty() {
            return Err(SendError::Unavailable(
                "smtp STARTTLS: the server sent data before the handshake".into(),
            ));
        }
        Ok(self.io.into_inner())
    }

    fn write_all(&mut self, bytes: &[u8]) -> Result<(), SendError> {
        let w = self.io.get_mut();
        w.write_all(bytes)
            .and_then(|()| w.flush())
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
                .io
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
