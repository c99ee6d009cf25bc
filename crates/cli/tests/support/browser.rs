//! A minimal WebDriver client (W3C protocol over HTTP with ureq) for headless Chromium.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The W3C key under which an element reference is returned.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process on a free local port, stopped on drop.
pub struct Chromedriver {
    url: String,
    child: Child,
}

impl Chromedriver {
    /// Starts chromedriver and waits (bounded) until it reports ready.
    pub fn start() -> Chromedriver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = ureq::get(&format!("{url}/status"))
                .call()
                .ok()
                .and_then(|r| r.into_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == json!(true));
            if ready {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Chromedriver { url, child }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One headless Chromium session.
pub struct Browser {
    session: String,
    _profile: tempfile::TempDir,
}

/// An element on the current page.
pub struct Element<'a> {
    browser: &'a Browser,
    id: String,
}

impl Browser {
    /// Opens headless Chromium with a fresh profile.
    pub fn open(driver: &Chromedriver) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}
        }}});
        let reply = post(&format!("{}/session", driver.url), caps);
        let session = reply["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        Browser {
            session: format!("{}/session/{session}", driver.url),
            _profile: profile,
        }
    }

    /// Loads a URL and waits for the page.
    pub fn goto(&self, url: &str) {
        post(&format!("{}/url", self.session), json!({ "url": url }));
    }

    /// Resizes the window, e.g. to a phone's 390×844.
    pub fn resize(&self, width: u32, height: u32) {
        post(
            &format!("{}/window/rect", self.session),
            json!({"width": width, "height": height}),
        );
    }

    /// The first element matching a CSS selector (fails the test if none).
    pub fn find(&self, css: &str) -> Element<'_> {
        let reply = post(
            &format!("{}/element", self.session),
            json!({"using": "css selector", "value": css}),
        );
        let id = reply["value"][ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css:?}: {reply}"))
            .to_string();
        Element { browser: self, id }
    }

    /// Runs a script in the page (for inputs whose typing is locale-dependent, such as
    /// dates).
    pub fn execute(&self, script: &str) {
        post(
            &format!("{}/execute/sync", self.session),
            json!({ "script": script, "args": [] }),
        );
    }

    /// Runs an asynchronous script (it calls its last argument with the result) and
    /// returns what it passed.
    pub fn execute_async(&self, script: &str) -> Value {
        post(
            &format!("{}/execute/async", self.session),
            json!({ "script": script, "args": [] }),
        )["value"]
            .clone()
    }

    /// The current page's HTML.
    pub fn source(&self) -> String {
        get(&format!("{}/source", self.session))["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page's HTML once it contains `text` (a click's navigation may still be under
    /// way when the click returns). Gives up after 30 s and returns what is there, so the
    /// caller's assertion names what is missing.
    pub fn source_with(&self, text: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let page = self.source();
            if page.contains(text) || std::time::Instant::now() > deadline {
                return page;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// Saves a PNG of the page under target/screenshots/NAME.png (for people to look at).
    pub fn screenshot(&self, name: &str) {
        use base64::Engine;
        let b64 = get(&format!("{}/screenshot", self.session))["value"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("png");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&self.session).call();
    }
}

impl Element<'_> {
    /// Types text into the element.
    pub fn type_text(&self, text: &str) {
        post(
            &format!("{}/element/{}/value", self.browser.session, self.id),
            json!({ "text": text }),
        );
    }

    /// Empties an input or textarea.
    pub fn clear(&self) {
        post(
            &format!("{}/element/{}/clear", self.browser.session, self.id),
            json!({}),
        );
    }

    /// Clicks the element (and waits for any navigation it starts).
    pub fn click(&self) {
        post(
            &format!("{}/element/{}/click", self.browser.session, self.id),
            json!({}),
        );
    }
}

fn post(url: &str, body: Value) -> Value {
    match ureq::post(url).send_json(body) {
        Ok(r) => r.into_json().expect("json reply"),
        Err(ureq::Error::Status(code, r)) => {
            panic!(
                "WebDriver {url} answered {code}: {}",
                r.into_string().unwrap_or_default()
            )
        }
        Err(e) => panic!("WebDriver {url}: {e}"),
    }
}

fn get(url: &str) -> Value {
    ureq::get(url)
        .call()
        .expect("WebDriver GET")
        .into_json()
        .expect("json reply")
}
