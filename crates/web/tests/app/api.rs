//! The JSON API: token auth, creditor choice, reads, payment validation, OpenAPI.

use crate::support::{bearer, nik, TestApp};

fn auth(app: &TestApp, user: &str) -> String {
    bearer(&app.tokens[user])
}

#[test]
fn the_api_refuses_a_missing_or_bad_token_with_401_json() {
    let app = TestApp::spawn();
    let c = app.client();
    let none = c.get("/api/v1/accounts");
    assert_eq!(none.status, 401);
    assert_eq!(none.json()["error"]["code"], "unauthorized");
    let bad = c.get_with("/api/v1/accounts", &[("authorization", "Bearer nope")]);
    assert_eq!(bad.status, 401);
    let basic = c.get_with("/api/v1/portfolio", &[("authorization", "Basic YTpi")]);
    assert_eq!(basic.status, 401);
}

#[test]
fn a_creditor_header_naming_someone_elses_creditor_is_403() {
    let app = TestApp::spawn();
    let c = app.client();
    let h = auth(&app, "kolektor_a");
    let r = c.get_with(
        "/api/v1/accounts",
        &[("authorization", &h), ("x-sepakat-creditor", "PINDARB")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"]["code"], "forbidden");
    let unknown = c.get_with(
        "/api/v1/accounts",
        &[("authorization", &h), ("x-sepakat-creditor", "NOPE")],
    );
    assert_eq!(unknown.status, 403);
}

#[test]
fn an_agency_user_picks_the_creditor_by_header_and_defaults_to_the_first() {
    let app = TestApp::spawn();
    let c = app.client();
    let h = auth(&app, "agen");
    let default = c
        .get_with("/api/v1/accounts", &[("authorization", &h)])
        .json();
    let numbers: Vec<&str> = default["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["account_no"].as_str().unwrap())
        .collect();
    assert!(
        numbers.contains(&"A-001") && !numbers.contains(&"B-001"),
        "{numbers:?}"
    );
    let b = c
        .get_with(
            "/api/v1/accounts",
            &[("authorization", &h), ("x-sepakat-creditor", "PINDARB")],
        )
        .json();
    assert_eq!(b["items"][0]["account_no"], "B-001");
    assert_eq!(b["items"].as_array().unwrap().len(), 1);
}

#[test]
fn account_search_and_detail_return_masked_data_and_money_as_integer_plus_text() {
    let app = TestApp::spawn();
    let c = app.client();
    let h = auth(&app, "kolektor_a");
    let list = c.get_with(
        &format!("/api/v1/accounts?q={}", nik(1).as_str()),
        &[("authorization", &h)],
    );
    assert_eq!(list.status, 200);
    assert!(list.content_type.starts_with("application/json"));
    let item = &list.json()["items"][0];
    assert_eq!(item["account_no"], "A-001");
    assert_eq!(item["nik_masked"], nik(1).masked());
    assert_eq!(item["outstanding"]["amount"], 1_060_000);
    assert_eq!(item["outstanding"]["formatted"], "Rp1.060.000");
    assert_eq!(item["standing"]["dpd"], 75);
    assert_eq!(item["standing"]["kolektibilitas"], 2);
    assert!(!list.body.contains(nik(1).as_str()));
    let id = app.id("A-001");
    let detail = c.get_with(&format!("/api/v1/accounts/{id}"), &[("authorization", &h)]);
    assert_eq!(detail.status, 200);
    let d = detail.json();
    assert_eq!(d["debtor"]["province"], "Jawa Barat");
    assert_eq!(d["debtor"]["zone"], "WIB");
    assert!(!detail.body.contains(nik(1).as_str()));
    assert!(app
        .audit(app.a.id, id)
        .iter()
        .any(|e| e.entry.action == "account.viewed"));
}

#[test]
fn list_parameters_are_validated_by_name() {
    let app = TestApp::spawn();
    let c = app.client();
    let h = auth(&app, "kolektor_a");
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("product=saham", "product"),
    ] {
        let r = c.get_with(
            &format!("/api/v1/accounts?{query}"),
            &[("authorization", &h)],
        );
        assert_eq!(r.status, 422, "{query}");
        assert_eq!(r.json()["error"]["field"], field, "{query}");
    }
}

#[test]
fn another_creditors_account_is_404_in_the_api_and_audited_as_denied() {
    let app = TestApp::spawn();
    let c = app.client();
    let h = auth(&app, "kolektor_a");
    let foreign = app.id("B-001");
    for path in [
        format!("/api/v1/accounts/{foreign}"),
        format!("/api/v1/accounts/{foreign}/payments"),
    ] {
        let r = c.get_with(&path, &[("authorization", &h)]);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.json()["error"]["code"], "not_found");
    }
    assert!(app
        .audit(app.a.id, foreign)
        .iter()
        .any(|e| e.entry.action == "access.denied"));
}

#[test]
fn the_audit_endpoint_is_for_audit_reading_roles_only() {
    let app = TestApp::spawn();
    let c = app.client();
    let id = app.id("A-001");
    let path = format!("/api/v1/accounts/{id}/audit");
    assert_eq!(
        c.get_with(&path, &[("authorization", &auth(&app, "kolektor_a"))])
            .status,
        403
    );
    let r = c.get_with(&path, &[("authorization", &auth(&app, "kepatuhan_a"))]);
    assert_eq!(r.status, 200);
    assert!(r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "account.viewed"));
}

#[test]
fn payment_validation_errors_name_the_field_and_store_nothing() {
    let app = TestApp::spawn();
    let c = app.client();
    let h = auth(&app, "supervisor_a");
    let id = app.id("A-001");
    let path = format!("/api/v1/accounts/{id}/payments");
    let cases = [
        (
            r#"{"paid_at":"2026-11-24T09:00:00+07:00","reference":"T1","channel":"transfer"}"#,
            "amount",
        ),
        (
            r#"{"amount":0,"paid_at":"2026-11-24T09:00:00+07:00","reference":"T1","channel":"transfer"}"#,
            "amount",
        ),
        (
            r#"{"amount":-100,"paid_at":"2026-11-24T09:00:00+07:00","reference":"T1","channel":"transfer"}"#,
            "amount",
        ),
        (
            r#"{"amount":"12,50","paid_at":"2026-11-24T09:00:00+07:00","reference":"T1","channel":"transfer"}"#,
            "amount",
        ),
        (
            r#"{"amount":1000,"paid_at":"kemarin","reference":"T1","channel":"transfer"}"#,
            "paid_at",
        ),
        (
            r#"{"amount":1000,"paid_at":"2026-12-24T09:00:00+07:00","reference":"T1","channel":"transfer"}"#,
            "paid_at",
        ),
        (
            r#"{"amount":1000,"paid_at":"2026-11-24T09:00:00+07:00","reference":"","channel":"transfer"}"#,
            "reference",
        ),
        (
            r#"{"amount":1000,"paid_at":"2026-11-24T09:00:00+07:00","reference":"T1","channel":"bitcoin"}"#,
            "channel",
        ),
    ];
    for (body, field) in cases {
        let r = c.post_json(&path, &[("authorization", &h)], body);
        assert_eq!(r.status, 422, "{body}");
        let e = r.json();
        assert_eq!(e["error"]["field"], field, "{body}");
        assert_eq!(e["error"]["code"], "invalid");
    }
    let malformed = c.post_json(&path, &[("authorization", &h)], "{not json");
    assert_eq!(malformed.status, 400);
    assert!(app
        .store
        .payments(app.a.id, sepakat_store::AccountId(id))
        .expect("payments")
        .is_empty());
}

#[test]
fn a_supervisor_posts_a_payment_once_per_reference_and_a_collector_may_not() {
    let app = TestApp::spawn();
    let c = app.client();
    let id = app.id("A-001");
    let path = format!("/api/v1/accounts/{id}/payments");
    let body = r#"{"amount":60000,"paid_at":"2026-11-24T09:00:00+07:00","reference":"TRX-9","channel":"va"}"#;
    let refused = c.post_json(&path, &[("authorization", &auth(&app, "kolektor_a"))], body);
    assert_eq!(refused.status, 403);
    let h = auth(&app, "supervisor_a");
    let posted = c.post_json(&path, &[("authorization", &h)], body);
    assert_eq!(posted.status, 201, "{}", posted.body);
    let p = posted.json();
    assert_eq!(p["amount"]["amount"], 60_000);
    assert_eq!(p["amount"]["formatted"], "Rp60.000");
    assert_eq!(
        p["allocation"]["fees"]["amount"], 10_000,
        "fees are paid first"
    );
    assert_eq!(p["allocation"]["penalty"]["amount"], 20_000, "then penalty");
    assert_eq!(
        p["allocation"]["interest"]["amount"], 30_000,
        "then interest"
    );
    let again = c.post_json(&path, &[("authorization", &h)], body);
    assert_eq!(again.status, 409);
    assert_eq!(again.json()["error"]["field"], "reference");
    let list = c.get_with(&path, &[("authorization", &h)]).json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let foreign = format!("/api/v1/accounts/{}/payments", app.id("B-001"));
    let other = body.replace("TRX-9", "TRX-10");
    assert_eq!(
        c.post_json(&foreign, &[("authorization", &h)], &other)
            .status,
        404
    );
}

#[test]
fn the_portfolio_endpoint_classifies_under_the_creditors_regime() {
    let app = TestApp::spawn();
    let c = app.client();
    let r = c.get_with(
        "/api/v1/portfolio",
        &[
            ("authorization", &auth(&app, "agen")),
            ("x-sepakat-creditor", "PINDARB"),
        ],
    );
    assert_eq!(r.status, 200);
    let p = r.json();
    assert_eq!(p["regime"], "p2p");
    assert_eq!(p["total"]["accounts"], 1);
    // B-001 is 54 days past due on 24 Nov 2026: class 3 under the P2P regime.
    assert_eq!(p["by_kolektibilitas"]["total"]["cells"][2]["accounts"], 1);
    assert_eq!(p["by_bucket"]["columns"][2], "31-60");
}

#[test]
fn the_openapi_document_parses_and_lists_every_route() {
    let app = TestApp::spawn();
    let r = app.client().get("/api/v1/openapi.json");
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/portfolio",
        "/api/v1/accounts",
        "/api/v1/accounts/{id}",
        "/api/v1/accounts/{id}/payments",
        "/api/v1/accounts/{id}/audit",
    ] {
        assert!(paths.contains_key(p), "{p} missing from {:?}", paths.keys());
    }
    assert!(paths["/api/v1/accounts/{id}/payments"]["post"].is_object());
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for s in [
        "AccountView",
        "PaymentRequest",
        "PaymentView",
        "PortfolioView",
        "ErrorBody",
        "Money",
    ] {
        assert!(schemas.contains_key(s), "schema {s} missing");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[test]
fn an_unknown_api_path_is_a_json_404() {
    let app = TestApp::spawn();
    let r = app.client().get("/api/v1/nothing");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"]["code"], "not_found");
}
