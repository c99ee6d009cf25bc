//! Logging in and out, lock-out, CSRF and session expiry.

use sepakat_web::WebConfig;

use crate::support::{csrf_token, TestApp, PASSWORD};

const GENERIC: &str = "Nama pengguna atau kata sandi salah";

#[test]
fn login_with_the_right_password_sets_a_safe_session_cookie_and_opens_the_app() {
    let app = TestApp::spawn();
    let c = app.client();
    let page = c.get("/login");
    assert!(page.body.contains("id=\"username\""));
    assert!(page.body.contains("id=\"password\""));
    assert!(page.body.contains("type=\"submit\""));
    let token = csrf_token(&page.body);
    let raw = ureq::AgentBuilder::new().redirects(0).build();
    let reply = raw
        .post(&format!("{}/login", app.base))
        .set("cookie", &format!("sepakat_csrf={token}"))
        .send_form(&[
            ("username", "supervisor_a"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .expect("login response");
    assert_eq!(reply.status(), 303);
    let cookie = reply
        .header("set-cookie")
        .expect("session cookie")
        .to_string();
    assert!(cookie.starts_with("sepakat_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    assert!(
        !cookie.contains("Secure"),
        "secure_cookies is off by default"
    );
    let home = c.login("supervisor_a", PASSWORD);
    assert_eq!(home.location.as_deref(), Some("/"));
    assert_eq!(c.get("/").status, 200);
}

#[test]
fn secure_cookies_are_marked_secure() {
    let app = TestApp::spawn_with(WebConfig {
        secure_cookies: true,
        ..WebConfig::default()
    });
    let page = app.client().get("/login");
    let token = csrf_token(&page.body);
    let raw = ureq::AgentBuilder::new().redirects(0).build();
    let reply = raw
        .post(&format!("{}/login", app.base))
        .set("cookie", &format!("sepakat_csrf={token}"))
        .send_form(&[
            ("username", "supervisor_a"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .expect("login response");
    assert!(reply
        .header("set-cookie")
        .unwrap_or_default()
        .contains("; Secure"));
}

#[test]
fn a_wrong_password_and_an_unknown_user_get_the_same_generic_message_and_are_counted() {
    let app = TestApp::spawn();
    let c = app.client();
    let wrong = c.login("supervisor_a", "salah");
    let unknown = c.login("tidak_ada", "salah");
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert!(wrong.body.contains(GENERIC));
    assert!(unknown.body.contains(GENERIC));
    assert!(!wrong.body.contains("dikunci"));
    // No session was opened.
    assert_eq!(c.get("/akun").location.as_deref(), Some("/login"));
    let metrics = c.get("/metrics").body;
    assert!(
        metrics.contains("sepakat_login_failures_total 2"),
        "{metrics}"
    );
}

#[test]
fn five_failures_lock_the_user_even_against_the_right_password_until_the_lock_ends() {
    let app = TestApp::spawn();
    let c = app.client();
    for attempt in 1..=4 {
        let r = c.login("kolektor_a", "salah");
        assert!(r.body.contains(GENERIC), "attempt {attempt}");
    }
    let fifth = c.login("kolektor_a", "salah");
    assert!(fifth.body.contains("dikunci sementara"), "{}", fifth.body);
    let right = c.login("kolektor_a", PASSWORD);
    assert_eq!(right.status, 401);
    assert!(right.body.contains("dikunci sementara"));
    assert!(right.body.contains("WIB"), "the message says until when");
    app.clock.advance(chrono::Duration::minutes(16));
    let after = c.login("kolektor_a", PASSWORD);
    assert_eq!(after.status, 303, "{}", after.body);
}

#[test]
fn a_login_without_or_with_a_wrong_csrf_token_is_refused() {
    let app = TestApp::spawn();
    let c = app.client();
    let page = c.get("/login");
    let token = csrf_token(&page.body);
    let missing = c.post_form(
        "/login",
        &[("username", "supervisor_a"), ("password", PASSWORD)],
    );
    assert_eq!(missing.status, 403);
    let wrong = c.post_form(
        "/login",
        &[
            ("username", "supervisor_a"),
            ("password", PASSWORD),
            ("csrf_token", "x"),
        ],
    );
    assert_eq!(wrong.status, 403);
    assert!(
        wrong.body.contains("Formulir kedaluwarsa"),
        "the 403 page is in Indonesian"
    );
    // Without the cookie the field alone is not enough.
    let fresh = app.client();
    let no_cookie = fresh.post_form(
        "/login",
        &[
            ("username", "supervisor_a"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ],
    );
    assert_eq!(no_cookie.status, 403);
}

#[test]
fn signed_in_forms_need_the_session_csrf_token() {
    let app = TestApp::spawn();
    let c = app.logged_in("agen");
    assert_eq!(c.post_form("/logout", &[]).status, 403);
    assert_eq!(
        c.post_form("/logout", &[("csrf_token", "nope")]).status,
        403
    );
    assert_eq!(
        c.post_form("/kreditur", &[("creditor", "PINDARB")]).status,
        403
    );
    // Still signed in after the refused logout.
    assert_eq!(c.get("/akun").status, 200);
    let token = c.csrf();
    let out = c.post_form("/logout", &[("csrf_token", &token)]);
    assert_eq!(out.location.as_deref(), Some("/login"));
    assert_eq!(c.get("/akun").location.as_deref(), Some("/login"));
}

#[test]
fn an_expired_session_sends_the_user_back_to_login() {
    let app = TestApp::spawn();
    let c = app.logged_in("supervisor_a");
    assert_eq!(c.get("/").status, 200);
    app.clock
        .advance(chrono::Duration::hours(8) + chrono::Duration::minutes(1));
    let r = c.get("/");
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some("/login"));
}

#[test]
fn an_agency_user_switches_creditor_and_then_sees_only_that_creditors_accounts() {
    let app = TestApp::spawn();
    let c = app.logged_in("agen");
    let before = c.get("/akun");
    assert!(before.body.contains("A-001"));
    assert!(!before.body.contains("B-001"));
    let token = csrf_token(&before.body);
    let r = c.post_form(
        "/kreditur",
        &[("creditor", "PINDARB"), ("csrf_token", &token)],
    );
    assert_eq!(r.status, 303);
    let after = c.get("/akun");
    assert!(after.body.contains("B-001"), "{}", after.body);
    assert!(!after.body.contains("A-001"));
    // A creditor that is not theirs is refused.
    let token = csrf_token(&after.body);
    assert_eq!(
        c.post_form("/kreditur", &[("creditor", "NOPE"), ("csrf_token", &token)])
            .status,
        403
    );
}
