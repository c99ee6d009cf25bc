//! The load driver of `sepakat bench workbench`: client threads, one per collector, each
//! with its own keep-alive HTTP connection, calling the workbench API on loopback and
//! timing every request. Three ways of driving: as fast as the server answers (the mixed
//! cycle next → log → release), paced at a request rate (latency counted from the
//! scheduled send time, so a server that falls behind shows it), and claims only.

use std::time::{Duration, Instant};

/// The kinds of request timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `POST /api/v1/worklist/next`.
    Next,
    /// `POST /api/v1/accounts/{id}/interactions`.
    Log,
    /// `DELETE /api/v1/accounts/{id}/claim`.
    Release,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Next, Kind::Log, Kind::Release];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Next => "next-account",
            Kind::Log => "log-interaction",
            Kind::Release => "release",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How a phase drives the server.
#[derive(Debug, Clone, Copy)]
pub enum Drive {
    /// The mixed cycle, each request as soon as the last is answered.
    Mixed,
    /// The mixed cycle, one request every `interval` per client.
    Paced(Duration),
    /// Only next-account (the account stays on the worklist, uncontacted).
    ClaimsOnly,
}

/// One client thread's connection and the collectors it works for in turn (one cycle
/// each).
pub struct Client {
    base: String,
    auths: Vec<String>,
    agent: ureq::Agent,
    /// Which client (for idempotency keys).
    pub n: usize,
}

impl Client {
    pub fn new(base: &str, tokens: &[String], n: usize) -> Client {
        Client {
            base: base.to_string(),
            auths: tokens.iter().map(|t| format!("Bearer {t}")).collect(),
            agent: ureq::AgentBuilder::new()
                .max_idle_connections_per_host(1)
                .build(),
            n,
        }
    }

    fn send(&self, who: usize, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        let req = self
            .agent
            .request(method, &format!("{}{path}", self.base))
            .set("authorization", &self.auths[who % self.auths.len()]);
        let result = match body {
            Some(b) => req.set("content-type", "application/json").send_string(b),
            None => req.call(),
        };
        match result {
            Ok(r) | Err(ureq::Error::Status(_, r)) => {
                let status = r.status();
                (status, r.into_string().unwrap_or_default())
            }
            Err(e) => (0, e.to_string()),
        }
    }
}

/// What one phase measured.
#[derive(Debug, Default)]
pub struct Samples {
    /// Latencies in microseconds, per kind.
    pub latencies: [Vec<u32>; 3],
    /// Answers other than the expected one, per kind.
    pub errors: [u64; 3],
    /// The first unexpected answer, to print.
    pub first_error: Option<String>,
    /// Collectors whose worklist had nothing free before the end.
    pub dry: usize,
}

impl Samples {
    fn record(&mut self, kind: Kind, took: Duration, ok: bool, answer: impl FnOnce() -> String) {
        let micros = u32::try_from(took.as_micros()).unwrap_or(u32::MAX);
        self.latencies[kind.index()].push(micros);
        if !ok {
            self.errors[kind.index()] += 1;
            if self.first_error.is_none() {
                self.first_error = Some(format!("{}: {}", kind.label(), answer()));
            }
        }
    }

    /// Successful requests of `kind`.
    pub fn ok(&self, kind: Kind) -> u64 {
        self.latencies[kind.index()].len() as u64 - self.errors[kind.index()]
    }

    /// All requests.
    pub fn requests(&self) -> u64 {
        self.latencies.iter().map(|l| l.len() as u64).sum()
    }

    /// Merges another client's samples.
    pub fn merge(&mut self, other: Samples) {
        for (mine, theirs) in self.latencies.iter_mut().zip(other.latencies) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.errors.iter_mut().zip(other.errors) {
            *mine += theirs;
        }
        self.first_error = self.first_error.take().or(other.first_error);
        self.dry += other.dry;
    }

    /// The p-th percentile of `kind`, in milliseconds (nearest rank).
    pub fn percentile(&mut self, kind: Kind, p: f64) -> f64 {
        percentile(&mut self.latencies[kind.index()], p)
    }

    /// The p-th percentile over every kind, in milliseconds.
    pub fn overall(&self, p: f64) -> f64 {
        let mut all: Vec<u32> = self.latencies.iter().flatten().copied().collect();
        percentile(&mut all, p)
    }
}

fn percentile(values: &mut [u32], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_unstable();
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    f64::from(values[rank.clamp(1, values.len()) - 1]) / 1000.0
}

/// The account id of a claim answer.
fn claimed_account(body: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()?
        .get("account_id")?
        .as_i64()
}

/// The body of the `i`-th contact: a third are promises.
fn contact(client: usize, i: u64) -> String {
    let key = format!("bench-{client}-{i}");
    if i.is_multiple_of(3) {
        format!(
            r#"{{"channel": "call", "direction": "outbound", "party": "debtor",
               "outcome": "promise_to_pay", "promise": {{"amount": 50000, "date": "2026-11-30"}},
               "notes": "janji bayar (bench)", "idempotency_key": "{key}"}}"#
        )
    } else {
        format!(
            r#"{{"channel": "call", "direction": "outbound", "party": "debtor",
               "outcome": "no_answer", "notes": "tidak diangkat (bench)", "idempotency_key": "{key}"}}"#
        )
    }
}

/// Drives the server from `client` until `deadline`.
pub fn drive(client: &Client, drive: Drive, deadline: Instant) -> Samples {
    let mut samples = Samples::default();
    let mut scheduled = Instant::now();
    let mut i = 0u64;
    let mut turn = 0usize;
    let mut dry = vec![false; client.auths.len()];
    // Waits for the next slot when paced; the time a request is due.
    let slot = |scheduled: &mut Instant| -> Instant {
        match drive {
            Drive::Paced(interval) => {
                let due = *scheduled;
                *scheduled += interval;
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                due
            }
            _ => Instant::now(),
        }
    };
    while Instant::now() < deadline && dry.iter().any(|d| !d) {
        let who = turn % dry.len();
        turn += 1;
        if dry[who] {
            continue;
        }
        let due = slot(&mut scheduled);
        let (status, body) = client.send(who, "POST", "/api/v1/worklist/next", Some(""));
        samples.record(
            Kind::Next,
            due.elapsed(),
            matches!(status, 200 | 204),
            || format!("{status} {body}"),
        );
        if status == 204 {
            dry[who] = true;
            samples.dry += 1;
            continue;
        }
        let Some(account) = claimed_account(&body) else {
            continue;
        };
        if matches!(drive, Drive::ClaimsOnly) {
            continue;
        }
        let due = slot(&mut scheduled);
        let (status, answer) = client.send(
            who,
            "POST",
            &format!("/api/v1/accounts/{account}/interactions"),
            Some(&contact(client.n, i)),
        );
        i += 1;
        samples.record(Kind::Log, due.elapsed(), status == 201, || {
            format!("{status} {answer}")
        });
        let due = slot(&mut scheduled);
        let (status, answer) = client.send(
            who,
            "DELETE",
            &format!("/api/v1/accounts/{account}/claim"),
            None,
        );
        samples.record(Kind::Release, due.elapsed(), status == 204, || {
            format!("{status} {answer}")
        });
    }
    samples
}

/// Runs `drive` on every client at once for `seconds`; the merged samples and the
/// elapsed wall time.
pub fn phase(clients: &[Client], drive_as: Drive, seconds: f64) -> (Samples, Duration) {
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut all = Samples::default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = clients
            .iter()
            .map(|c| scope.spawn(move || drive(c, drive_as, deadline)))
            .collect();
        for h in handles {
            all.merge(h.join().unwrap_or_default());
        }
    });
    (all, started.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank_in_milliseconds() {
        let mut v: Vec<u32> = (1..=100).map(|ms| ms * 1000).collect();
        assert_eq!(percentile(&mut v, 50.0), 50.0);
        assert_eq!(percentile(&mut v, 99.0), 99.0);
        assert_eq!(percentile(&mut v, 100.0), 100.0);
        assert_eq!(percentile(&mut [], 99.0), 0.0);
    }

    #[test]
    fn a_third_of_the_contacts_are_promises_with_unique_keys() {
        let bodies: Vec<String> = (0..6).map(|i| contact(2, i)).collect();
        assert_eq!(
            bodies
                .iter()
                .filter(|b| b.contains("promise_to_pay"))
                .count(),
            2
        );
        assert!(bodies[4].contains("bench-2-4"));
        for b in &bodies {
            serde_json::from_str::<serde_json::Value>(b).expect("JSON");
        }
    }
}
