//! Scores on the pages and over the API: nothing before a model is trained; then the
//! probability with its reasons on the account workspace, on the worklist and at
//! `GET /api/v1/accounts/{id}/score`, never for another creditor's account.

use chrono::{Duration, NaiveDate};
use sepakat_domain::scoring::{features, AccountState, History};
use sepakat_domain::{ProductType, Rupiah};
use sepakat_engine::scoring::history_instant;
use sepakat_engine::scoring::train::{table, Example, TARGET};
use sepakat_model::{train, Algorithm, TrainSpec};
use sepakat_store::{AccountId, Actor, NewModel};

use crate::support::{bearer, TestApp};

/// A small logistic model on made-up examples where recent payers pay again.
fn install_model(app: &TestApp) {
    let date = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let at = history_instant(date);
    let examples: Vec<Example> = (0..80)
        .map(|i| {
            let paid = i % 2 == 0;
            let state = AccountState {
                product: ProductType::Kta,
                principal: Rupiah::new(10_000_000),
                instalment: Rupiah::new(1_000_000),
                tenor_months: 12,
                opened_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                first_due: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                outstanding: Rupiah::new(5_000_000 + i * 10_000),
                oldest_unpaid_due: Some(date - Duration::days(if paid { 5 } else { 95 } + i % 7)),
            };
            let history = History {
                paid_short: Rupiah::new(if paid { 2_000_000 } else { 0 }),
                last_payment_at: paid.then(|| at - Duration::days(10 + i % 5)),
                ..History::default()
            };
            Example {
                date,
                account: AccountId(i),
                row: features(&state, &history, date, at),
                paid,
            }
        })
        .collect();
    let model = train(
        &table(&examples),
        &TrainSpec::new(TARGET, Algorithm::Logistic),
        date,
    )
    .expect("trained")
    .model;
    app.store
        .save_model(
            &NewModel {
                creditor: app.a.id,
                algorithm: "logistic".into(),
                feature_set: sepakat_domain::scoring::FEATURE_SET.into(),
                horizon_days: 30,
                trained_at: app.clock_now(),
                metrics: serde_json::json!({}),
                artifact: model.to_json(),
            },
            &Actor::system("test"),
        )
        .expect("stored");
}

#[test]
fn the_score_api_answers_null_without_a_model_then_the_probability_with_reasons() {
    let app = TestApp::spawn();
    let c = app.client();
    let h = bearer(&app.tokens["kolektor_a"]);
    let path = format!("/api/v1/accounts/{}/score", app.id("A-001"));
    let none = c.get_with(&path, &[("authorization", &h)]);
    assert_eq!(none.status, 200);
    assert!(none.json()["probability"].is_null());
    assert!(none.json()["model"].is_null());

    install_model(&app);
    let scored = c.get_with(&path, &[("authorization", &h)]).json();
    let p = scored["probability"].as_f64().expect("a probability");
    assert!((0.0..=1.0).contains(&p), "{scored}");
    assert_eq!(scored["model"]["version"], 1);
    assert_eq!(scored["model"]["algorithm"], "logistic");
    let reasons = scored["reasons"].as_array().expect("reasons");
    assert!(!reasons.is_empty(), "{scored}");
    for r in reasons {
        assert!(!r["text"].as_str().unwrap().is_empty());
        assert!(["up", "down"].contains(&r["direction"].as_str().unwrap()));
    }
    // Another creditor's account, or no account at all, is not found.
    let other = format!("/api/v1/accounts/{}/score", app.id("B-001"));
    assert_eq!(c.get_with(&other, &[("authorization", &h)]).status, 404);
    assert_eq!(
        c.get_with("/api/v1/accounts/abc/score", &[("authorization", &h)])
            .status,
        404
    );
    assert_eq!(c.get("/api/v1/accounts/1/score").status, 401);
}

#[test]
fn the_workspace_shows_the_probability_and_its_reasons_once_a_model_is_trained() {
    let app = TestApp::spawn();
    let c = app.logged_in("supervisor_a");
    let path = format!("/akun/{}", app.id("A-001"));
    let before = c.get(&path);
    assert_eq!(before.status, 200);
    assert!(!before.body.contains("id=\"score-reasons\""));
    install_model(&app);
    let after = c.get(&path);
    assert!(
        after.body.contains("id=\"score-reasons\""),
        "{}",
        after.body
    );
    assert!(after.body.contains("Peluang bayar"));
    assert!(after.body.contains("model v1 (logistic), 30 hari"));
}
