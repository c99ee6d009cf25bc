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

/// One SMTP transaction the stand-in saw.
#[derive(Debug, Clone, Default)]
pub struct Mail {
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

impl SmtpStandIn {
    /// Starts one in `mode`.
    pub fn start(mode: SmtpMode) -> SmtpStandIn {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mails = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&mails);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || smtp_session(stream, mode, &seen));
            }
        });
        SmtpStandIn { addr, mails }
    }

    /// The mails received so far.
    pub fn received(&self) -> Vec<Mail> {
        self.mails.lock().expect("lock").clone()
    }
}

fn smtp_session(stream: TcpStream, mode: SmtpMode, seen: &Mutex<Vec<Mail>>) {
    if mode == SmtpMode::Silent {
        // Hold the connection open without a word until the client gives up.
        let mut sink = [0u8; 64];
        let _ = (&stream).read(&mut sink);
        return;
    }
    let mut out = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    let mut say = |text: &str| {
        let _ = out.write_all(format!("{text}\r\n").as_bytes());
    };
    say("220 stand-in ESMTP");
    let mut mail = Mail::default();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            say("250-stand-in");
            say("250 AUTH PLAIN");
        } else if let Some(arg) = command.strip_prefix("AUTH PLAIN ") {
            mail.auth = Some(arg.to_string());
            say("235 ok");
        } else if let Some(arg) = command.strip_prefix("MAIL FROM:") {
            if mode == SmtpMode::TryLater {
                say("451 4.3.0 try again later");
                continue;
            }
            mail.from = arg.to_string();
            say("250 ok");
        } else if let Some(arg) = command.strip_prefix("RCPT TO:") {
            if mode == SmtpMode::RefuseRecipient {
                say("550 5.1.1 no such user");
                continue;
            }
            mail.to = arg.to_string();
            say("250 ok");
        } else if upper == "DATA" {
            say("354 go ahead");
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if reader.read_line(&mut l).unwrap_or(0) == 0 {
                    return;
                }
                if l == ".\r\n" {
                    break;
                }
                data.push_str(&l);
            }
            mail.data = data;
            seen.lock().expect("lock").push(std::mem::take(&mut mail));
            if mode == SmtpMode::HangUpAfterData {
                return;
            }
            say("250 2.0.0 queued as 1");
        } else if upper == "QUIT" {
            say("221 bye");
            return;
        } else {
            say("502 unknown command");
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
