//! Local stand-ins for the providers: an SMTP server and an HTTP server on
//! 127.0.0.1, each on a port of its own, recording what they were sent and answering
//! as told (accept, refuse, fail for now, or say nothing until the client times out).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// How the SMTP stand-in behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    /// Takes every mail.
    Accept,
    /// 550 to RCPT TO.
    RefuseRecipient,
    /// 451 to MAIL FROM.
    TryLater,
    /// Takes the connection and never greets.
    Silent,
    /// Reads the whole mail and closes without the final reply.
    HangUpAfterData,
}

/// How the SMTP stand-in protects the connection (with `tls/relay.pem`, issued for
/// localhost and 127.0.0.1 by `tls/ca.pem`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain TCP, no STARTTLS offered.
    Plain,
    /// Plain TCP offering STARTTLS.
    Starttls,
    /// TLS from the first byte.
    Implicit,
}

/// One SMTP transaction the stand-in saw.
#[derive(Debug, Clone, Default)]
pub struct Mail {
    /// Whether it came over TLS.
    pub tls: bool,
    /// The AUTH line's argument, if any.
    pub auth: Option<String>,
    /// MAIL FROM argument.
    pub from: String,
    /// RCPT TO argument.
    pub to: String,
    /// The content after DATA.
    pub data: String,
}

/// A running SMTP stand-in.
pub struct SmtpStandIn {
    /// Where it listens.
    pub addr: SocketAddr,
    /// What it received, in order.
    pub mails: Arc<Mutex<Vec<Mail>>>,
}

/// The test CA's certificate file, for `smtp.ca_file`.
pub fn ca_file() -> String {
    format!("{}/tests/engine/tls/ca.pem", env!("CARGO_MANIFEST_DIR"))
}

fn server_tls() -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = format!("{}/tests/engine/tls", env!("CARGO_MANIFEST_DIR"));
    let certs = CertificateDer::pem_file_iter(format!("{dir}/relay.pem"))
        .expect("relay.pem")
        .collect::<Result<Vec<_>, _>>()
        .expect("certificates");
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/relay.key")).expect("relay.key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("server config");
    Arc::new(config)
}

fn tls_server(tcp: TcpStream) -> rustls::StreamOwned<rustls::ServerConnection, TcpStream> {
    let conn = rustls::ServerConnection::new(server_tls()).expect("server connection");
    rustls::StreamOwned::new(conn, tcp)
}

impl SmtpStandIn {
    /// Starts a plain one in `mode`.
    pub fn start(mode: SmtpMode) -> SmtpStandIn {
        SmtpStandIn::start_with(mode, Security::Plain)
    }

    /// Starts one in `mode` with `security`.
    pub fn start_with(mode: SmtpMode, security: Security) -> SmtpStandIn {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mails = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&mails);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || match security {
                    Security::Plain => {
                        smtp_session(stream, mode, &seen, true, false, false);
                    }
                    Security::Implicit => {
                        smtp_session(tls_server(stream), mode, &seen, true, false, true);
                    }
                    Security::Starttls => {
                        if let Some(tcp) = smtp_session(stream, mode, &seen, true, true, false) {
                            smtp_session(tls_server(tcp), mode, &seen, false, false, true);
                        }
                    }
                });
            }
        });
        SmtpStandIn { addr, mails }
    }

    /// The mails received so far.
    pub fn received(&self) -> Vec<Mail> {
        self.mails.lock().expect("lock").clone()
    }
}

/// One SMTP conversation; returns the stream when the client asked for STARTTLS.
fn smtp_session<S: Read + Write>(
    stream: S,
    mode: SmtpMode,
    seen: &Mutex<Vec<Mail>>,
    greet: bool,
    offer_starttls: bool,
    tls: bool,
) -> Option<S> {
    let mut io = BufReader::new(stream);
    if mode == SmtpMode::Silent {
        // Hold the connection open without a word until the client gives up.
        let mut sink = [0u8; 64];
        let _ = io.get_mut().read(&mut sink);
        return None;
    }
    fn say<S: Write>(io: &mut BufReader<S>, text: &str) {
        let _ = io.get_mut().write_all(format!("{text}\r\n").as_bytes());
        let _ = io.get_mut().flush();
    }
    if greet {
        say(&mut io, "220 stand-in ESMTP");
    }
    let mut mail = Mail {
        tls,
        ..Mail::default()
    };
    let mut line = String::new();
    loop {
        line.clear();
        if io.read_line(&mut line).unwrap_or(0) == 0 {
            return None;
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            say(&mut io, "250-stand-in");
            if offer_starttls {
                say(&mut io, "250-STARTTLS");
            }
            say(&mut io, "250 AUTH PLAIN");
        } else if upper == "STARTTLS" && offer_starttls {
            say(&mut io, "220 ready to start TLS");
            return Some(io.into_inner());
        } else if let Some(arg) = command.strip_prefix("AUTH PLAIN ") {
            mail.auth = Some(arg.to_string());
            say(&mut io, "235 ok");
        } else if let Some(arg) = command.strip_prefix("MAIL FROM:") {
            if mode == SmtpMode::TryLater {
                say(&mut io, "451 4.3.0 try again later");
                continue;
            }
            mail.from = arg.to_string();
            say(&mut io, "250 ok");
        } else if let Some(arg) = command.strip_prefix("RCPT TO:") {
            if mode == SmtpMode::RefuseRecipient {
                say(&mut io, "550 5.1.1 no such user");
                continue;
            }
            mail.to = arg.to_string();
            say(&mut io, "250 ok");
        } else if upper == "DATA" {
            say(&mut io, "354 go ahead");
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if io.read_line(&mut l).unwrap_or(0) == 0 {
                    return None;
                }
                if l == ".\r\n" {
                    break;
                }
                data.push_str(&l);
            }
            mail.data = data;
            seen.lock().expect("lock").push(std::mem::replace(
                &mut mail,
                Mail {
                    tls,
                    ..Mail::default()
                },
            ));
            if mode == SmtpMode::HangUpAfterData {
                return None;
            }
            say(&mut io, "250 2.0.0 queued as 1");
        } else if upper == "QUIT" {
            say(&mut io, "221 bye");
            return None;
        } else {
            say(&mut io, "502 unknown command");
        }
    }
}

/// One HTTP request the stand-in saw.
#[derive(Debug, Clone)]
pub struct Request {
    /// `POST`.
    pub method: String,
    /// The path.
    pub path: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Request {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

/// The answer the HTTP stand-in gives: status and JSON body, or none at all.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Status and body.
    Json(u16, String),
    /// Reads the request and never answers.
    Silent,
}

/// A running HTTP stand-in.
pub struct HttpStandIn {
    /// Where it listens.
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl HttpStandIn {
    /// Starts one giving `answer` to every request.
    pub fn start(answer: Answer) -> HttpStandIn {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&seen);
                let answer = answer.clone();
                std::thread::spawn(move || http_exchange(stream, &answer, &seen));
            }
        });
        HttpStandIn { addr, requests }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far.
    pub fn received(&self) -> Vec<Request> {
        self.requests.lock().expect("lock").clone()
    }
}

fn http_exchange(stream: TcpStream, answer: &Answer, seen: &Mutex<Vec<Request>>) {
    let mut out = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    if reader.read_line(&mut first).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut l = String::new();
        if reader.read_line(&mut l).unwrap_or(0) == 0 {
            return;
        }
        let l = l.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((n, v)) = l.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    seen.lock().expect("lock").push(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    match answer {
        Answer::Json(status, text) => {
            let _ = write!(
                out,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
        Answer::Silent => {
            let mut sink = [0u8; 64];
            let _ = reader.read(&mut sink);
        }
    }
}
