//! Health, metrics and static assets.

use crate::support::TestApp;

#[test]
fn healthz_answers_ok_when_the_store_answers() {
    let app = TestApp::spawn();
    let r = app.client().get("/healthz");
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "ok");
}

#[test]
fn metrics_count_requests_by_route_template_and_status() {
    let app = TestApp::spawn();
    let c = app.client();
    c.get("/healthz");
    c.get(&format!("/api/v1/accounts/{}", app.id("A-001")));
    let m = c.get("/metrics");
    assert_eq!(m.status, 200);
    assert!(m.content_type.starts_with("text/plain"));
    assert!(
        m.body
            .contains(r#"http_requests_total{method="GET",route="/healthz",status="200"} 1"#),
        "{}",
        m.body
    );
    assert!(
        m.body
            .contains(r#"route="/api/v1/accounts/{id}",status="401"} 1"#),
        "{}",
        m.body
    );
    assert!(m.body.contains("http_request_duration_seconds_bucket"));
    assert!(m.body.contains("sepakat_login_failures_total 0"));
    assert!(m.body.contains("process_start_time_seconds 1795489200"));
}

#[test]
fn the_stylesheet_and_script_are_served() {
    let app = TestApp::spawn();
    let c = app.client();
    let css = c.get("/static/app.css");
    assert_eq!(css.status, 200);
    assert!(css.content_type.starts_with("text/css"));
    assert!(css.body.contains(":focus-visible"));
    let js = c.get("/static/app.js");
    assert!(js.body.contains("getElementById(\"q\")"));
}
