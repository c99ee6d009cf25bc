//! Prometheus metrics, hand-written: request counts and durations per route, login
//! failures and the process start time, rendered in the text exposition format.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, Utc};

use crate::AppState;

/// Upper bounds (seconds) of the request duration histogram.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum_micros: u64,
}

/// The app's counters.
#[derive(Debug)]
pub struct Metrics {
    started: DateTime<Utc>,
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    durations: Mutex<BTreeMap<(String, String), Histogram>>,
    login_failures: AtomicU64,
}

impl Metrics {
    /// Fresh counters for a process started at `started`.
    pub fn new(started: DateTime<Utc>) -> Metrics {
        Metrics {
            started,
            requests: Mutex::default(),
            durations: Mutex::default(),
            login_failures: AtomicU64::new(0),
        }
    }

    /// Counts one failed login.
    pub fn login_failed(&self) {
        self.login_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// Records one finished request.
    pub fn observe(&self, method: &str, route: &str, status: u16, micros: u64) {
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        *requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        drop(requests);
        let mut durations = self.durations.lock().unwrap_or_else(|e| e.into_inner());
        let h = durations
            .entry((method.to_string(), route.to_string()))
            .or_default();
        let seconds = micros as f64 / 1e6;
        for (i, upper) in BUCKETS.iter().enumerate() {
            if seconds <= *upper {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum_micros += micros;
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP http_requests_total HTTP requests by method, route and status.\n");
        out.push_str("# TYPE http_requests_total counter\n");
        let requests = self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for ((method, route, status), n) in &requests {
            let _ = writeln!(
                out,
                "http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                label(method),
                label(route)
            );
        }
        out.push_str("# HELP http_request_duration_seconds HTTP request duration.\n");
        out.push_str("# TYPE http_request_duration_seconds histogram\n");
        let durations = self
            .durations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for ((method, route), h) in &durations {
            let labels = format!("method=\"{}\",route=\"{}\"", label(method), label(route));
            for (upper, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "http_request_duration_seconds_bucket{{{labels},le=\"{upper}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_sum{{{labels}}} {}",
                h.sum_micros as f64 / 1e6
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        out.push_str("# HELP sepakat_login_failures_total Failed login attempts.\n");
        out.push_str("# TYPE sepakat_login_failures_total counter\n");
        let _ = writeln!(
            out,
            "sepakat_login_failures_total {}",
            self.login_failures.load(Ordering::Relaxed)
        );
        out.push_str(
            "# HELP process_start_time_seconds Start time of the process, Unix seconds.\n",
        );
        out.push_str("# TYPE process_start_time_seconds gauge\n");
        let _ = writeln!(
            out,
            "process_start_time_seconds {}",
            self.started.timestamp()
        );
        out
    }
}

/// Escapes a label value (backslash, quote, newline).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: counts every request under its route template (never the raw path, which
/// may hold ids and would explode the label set).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    state
        .metrics
        .observe(&method, &route, response.status().as_u16(), micros);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_lists_counters_histograms_and_start_time() {
        let m = Metrics::new("2026-11-24T00:00:00Z".parse().unwrap());
        m.observe("GET", "/akun/{id}", 200, 3_000);
        m.observe("GET", "/akun/{id}", 200, 30_000);
        m.login_failed();
        let text = m.render();
        assert!(text
            .contains("http_requests_total{method=\"GET\",route=\"/akun/{id}\",status=\"200\"} 2"));
        assert!(text.contains(
            "http_request_duration_seconds_bucket{method=\"GET\",route=\"/akun/{id}\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "http_request_duration_seconds_count{method=\"GET\",route=\"/akun/{id}\"} 2"
        ));
        assert!(text.contains("sepakat_login_failures_total 1"));
        assert!(text.contains("process_start_time_seconds 1795478400"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\n"), "a\\\"b\\\\c\\n");
    }
}
