//! Runs `sepakat demo` on a free port against a fresh SQLite file and stops it on drop.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The demo users' password (see `sepakat demo`).
pub const PASSWORD: &str = "sepakat-demo";

/// A running demo server.
pub struct DemoServer {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    child: Child,
    _dir: tempfile::TempDir,
}

/// Starts `sepakat demo --accounts N` and waits until it prints its URL.
pub fn start(accounts: u64) -> DemoServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}/demo.db", dir.path().display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args([
            "--database-url",
            &db,
            "demo",
            "--accounts",
            &accounts.to_string(),
        ])
        .args(["--seed", "7", "--bind", "127.0.0.1:0"])
        .env("SEPAKAT_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start sepakat demo");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base_url = loop {
        let line = match lines.next() {
            Some(Ok(line)) => line,
            _ => {
                let _ = child.kill();
                panic!("sepakat demo exited before printing its URL");
            }
        };
        if let Some(rest) = line.strip_prefix("Sepakat demo: ") {
            break rest.trim().trim_end_matches('/').to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    DemoServer {
        base_url,
        child,
        _dir: dir,
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
