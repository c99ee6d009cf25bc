//! The collector workbench over the JSON API: the same flows as the pages. Worklist and
//! next account, a contact with a promise and evidence, the lists of an account; and the
//! refusals that store nothing: a racing claim, a repeated key, bad promises, a paused
//! account, an account that is not the caller's or is another creditor's. Supervision:
//! pause, team view, reassign.

use std::sync::{Arc, Barrier};

use base64::Engine;
use sepakat_store::AccountId;

use crate::support::{bearer, Client, Reply, TestApp};
use crate::work::assign_a001;

/// The API as one user: (client, authorization header).
struct As<'a> {
    c: Client,
    auth: String,
    _app: &'a TestApp,
}

impl<'a> As<'a> {
    fn new(app: &'a TestApp, user: &str) -> As<'a> {
        As {
            c: app.client(),
            auth: bearer(&app.tokens[user]),
            _app: app,
        }
    }
    fn get(&self, path: &str) -> Reply {
        self.c
            .get_with(&format!("/api/v1{path}"), &[("authorization", &self.auth)])
    }
    fn post(&self, path: &str, body: &str) -> Reply {
        self.c.post_json(
            &format!("/api/v1{path}"),
            &[("authorization", &self.auth)],
            body,
        )
    }
    fn delete(&self, path: &str) -> Reply {
        self.c
            .delete(&format!("/api/v1{path}"), &[("authorization", &self.auth)])
    }
}

/// A call to the debtor with `extra` JSON members (each ending in a comma or empty).
fn call(outcome: &str, extra: &str, key: &str) -> String {
    format!(
        r#"{{{extra} "channel": "call", "direction": "outbound", "party": "debtor",
            "outcome": "{outcome}", "notes": "ditelepon", "idempotency_key": "{key}"}}"#
    )
}

fn stored(app: &TestApp, no: &str) -> (usize, usize) {
    let id = AccountId(app.id(no));
    (
        app.store
            .interactions(app.a.id, id)
            .expect("interactions")
            .len(),
        app.store.promises(app.a.id, id).expect("promises").len(),
    )
}

fn field_of(r: &Reply) -> String {
    r.json()["error"]["field"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn a_collector_takes_the_next_account_over_the_api_logs_a_promise_with_evidence_and_reads_it_back()
{
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let k = As::new(&app, "kolektor_a");

    let list = k.get("/worklist");
    assert_eq!(list.status, 200, "{}", list.body);
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["account_number"], "A-001");
    assert_eq!(items[0]["source"], "assigned");
    assert_eq!(items[0]["zone"], "WIB");

    let next = k.post("/worklist/next", "");
    assert_eq!(next.status, 200, "{}", next.body);
    assert_eq!(next.json()["account_id"], id);
    assert_eq!(next.json()["user_id"], app.user_id("kolektor_a").0);

    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n0000IHDR".to_vec();
    let evidence = format!(
        r#""evidence": [{{"file_name": "bukti.png", "media_type": "image/png",
            "content_base64": "{}", "gps": [-6.9, 107.6]}}],"#,
        base64::engine::general_purpose::STANDARD.encode(&png)
    );
    let body = call(
        "promise_to_pay",
        &format!(
            r#"{evidence} "promise": {{"amount": 500000, "date": "2026-11-28"}},
               "call_back_at": "2026-11-25T10:00", "reason": "job_loss","#
        ),
        "api-1",
    );
    let logged = k.post(&format!("/accounts/{id}/interactions"), &body);
    assert_eq!(logged.status, 201, "{}", logged.body);
    let ids = logged.json();
    assert!(ids["promise_id"].is_i64(), "{ids}");
    assert_eq!(ids["evidence_ids"].as_array().unwrap().len(), 1);
    // The call-back asked for and the promise's reminder.
    assert_eq!(ids["follow_up_ids"].as_array().unwrap().len(), 2);
    let recap = ids["recap"].as_str().expect("recap");
    assert!(recap.contains("Siti Rahayu"), "{recap}");
    assert!(recap.contains("500.000"), "{recap}");

    let timeline = k.get(&format!("/accounts/{id}/interactions"));
    assert_eq!(timeline.status, 200);
    let timeline = timeline.json();
    let last = timeline.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["id"], ids["interaction_id"]);
    assert_eq!(
        (last["outcome"].as_str(), last["reason"].as_str()),
        (Some("promise_to_pay"), Some("job_loss"))
    );
    let promises = k.get(&format!("/accounts/{id}/promises")).json();
    let promise = promises.as_array().unwrap().last().unwrap().clone();
    assert_eq!(promise["amount"]["amount"], 500000);
    assert_eq!(promise["status"], "pending");
    assert_eq!(promise["promised_on"], "2026-11-28");
    let follow_ups = k.get(&format!("/accounts/{id}/follow-ups")).json();
    let kinds: Vec<&str> = follow_ups
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"call_back") && kinds.contains(&"promise_reminder"),
        "{kinds:?}"
    );
    let evidence = app
        .store
        .evidence(app.a.id, AccountId(id))
        .expect("evidence");
    assert_eq!(evidence.len(), 1);
    assert_eq!(evidence[0].gps, Some((-6.9, 107.6)));

    let released = k.delete(&format!("/accounts/{id}/claim"));
    assert_eq!(released.status, 204, "{}", released.body);
    assert!(app
        .store
        .claim(app.a.id, AccountId(id), app.clock_now())
        .unwrap()
        .is_none());
    // Worked today, the account leaves the worklist: nothing is free.
    let none = k.post("/worklist/next", "");
    assert_eq!(none.status, 204, "{}", none.body);
    let audit: Vec<String> = app
        .audit(app.a.id, id)
        .into_iter()
        .map(|e| e.entry.action)
        .collect();
    for action in [
        "claim.taken",
        "interaction.recorded",
        "promise.created",
        "claim.released",
    ] {
        assert!(audit.iter().any(|a| a == action), "{action} in {audit:?}");
    }
}

#[test]
fn the_same_idempotency_key_twice_stores_one_contact_and_answers_the_first() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let k = As::new(&app, "kolektor_a");
    let body = call(
        "promise_to_pay",
        r#""promise": {"amount": 400000, "date": "2026-11-27"},"#,
        "once",
    );
    let first = k.post(&format!("/accounts/{id}/interactions"), &body);
    assert_eq!(first.status, 201, "{}", first.body);
    let second = k.post(&format!("/accounts/{id}/interactions"), &body);
    assert_eq!(second.status, 201, "{}", second.body);
    assert_eq!(
        first.json()["interaction_id"],
        second.json()["interaction_id"]
    );
    assert_eq!(first.json()["promise_id"], second.json()["promise_id"]);
    assert_eq!(stored(&app, "A-001"), (1, 1));
}

#[test]
fn two_claims_racing_for_one_account_give_one_claim_and_one_conflict() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    for round in 0..5 {
        let barrier = Arc::new(Barrier::new(2));
        let replies: Vec<Reply> = std::thread::scope(|scope| {
            let handles: Vec<_> = ["kolektor_a", "supervisor_a"]
                .into_iter()
                .map(|who| {
                    let (barrier, as_user) = (barrier.clone(), As::new(&app, who));
                    scope.spawn(move || {
                        barrier.wait();
                        as_user.post(&format!("/accounts/{id}/claim"), "")
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut codes: Vec<u16> = replies.iter().map(|r| r.status).collect();
        codes.sort_unstable();
        assert_eq!(codes, [200, 409], "round {round}");
        let won = replies.iter().find(|r| r.status == 200).unwrap().json();
        let lost = replies.iter().find(|r| r.status == 409).unwrap();
        // Refused either by the holder check before the write or by the store's claim
        // itself, depending on who got there first; both name the holder.
        let message = lost.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            message.contains("is working this account") || message.contains("is held by user"),
            "{}",
            lost.body
        );
        let holder = app
            .store
            .claim(app.a.id, AccountId(id), app.clock_now())
            .unwrap()
            .expect("one claim");
        assert_eq!(won["user_id"], holder.user.0);
        // The loser may not give back the winner's claim; the winner may.
        let winner = if holder.user == app.user_id("kolektor_a") {
            ("kolektor_a", "supervisor_a")
        } else {
            ("supervisor_a", "kolektor_a")
        };
        let refused = As::new(&app, winner.1).delete(&format!("/accounts/{id}/claim"));
        assert_eq!(refused.status, 409, "{}", refused.body);
        let given_back = As::new(&app, winner.0).delete(&format!("/accounts/{id}/claim"));
        assert_eq!(given_back.status, 204, "{}", given_back.body);
    }
}

#[test]
fn bad_promises_and_fields_are_refused_naming_the_json_path_and_store_nothing() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let k = As::new(&app, "kolektor_a");
    let promise = |amount: &str, date: &str| {
        call(
            "promise_to_pay",
            &format!(r#""promise": {{"amount": {amount}, "date": "{date}"}},"#),
            "bad",
        )
    };
    for (body, field, words) in [
        (
            promise("0", "2026-11-28"),
            "promise.amount",
            "more than zero",
        ),
        (
            promise("-5", "2026-11-28"),
            "promise.amount",
            "more than zero",
        ),
        (
            promise("99000000", "2026-11-28"),
            "promise.amount",
            "total owed",
        ),
        (
            promise("500000", "2026-11-20"),
            "promise.date",
            "before today",
        ),
        (
            promise("\"banyak\"", "2026-11-28"),
            "promise.amount",
            "invalid type",
        ),
        (promise("500000", "28-11-2026"), "promise.date", ""),
        (
            call("promise_to_pay", "", "bad"),
            "promise.amount",
            "required",
        ),
        (call("threatened", "", "bad"), "outcome", "promise_to_pay"),
        (
            call("no_answer", r#""call_back_at": "2026-11-24T08:00","#, "bad"),
            "call_back_at",
            "passed",
        ),
        (
            call("no_answer", r#""call_back_at": "besok","#, "bad"),
            "call_back_at",
            "date and time",
        ),
        (
            call(
                "no_answer",
                r#""evidence": [{"file_name": "a.png", "media_type": "image/png", "content_base64": "bm90IGEgcG5n"}],"#,
                "bad",
            ),
            "evidence",
            "a.png",
        ),
        (
            call("no_answer", r#""bonus": 1,"#, "bad"),
            "bonus",
            "unknown field",
        ),
    ] {
        let r = k.post(&format!("/accounts/{id}/interactions"), &body);
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(field_of(&r), field, "{body}: {}", r.body);
        let message = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(message.contains(words), "{body}: {message}");
    }
    let unknown = call("no_answer", "", "bad").replace("\"call\"", "\"pigeon\"");
    let r = k.post(&format!("/accounts/{id}/interactions"), &unknown);
    assert_eq!(
        (r.status, field_of(&r).as_str()),
        (422, "channel"),
        "{}",
        r.body
    );
    assert!(r.body.contains("field_visit"), "{}", r.body);
    let r = k.post(&format!("/accounts/{id}/interactions"), "{not json");
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(stored(&app, "A-001"), (0, 0));
}

#[test]
fn a_paused_account_refuses_contacts_and_only_a_supervisor_pauses() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let (k, s) = (As::new(&app, "kolektor_a"), As::new(&app, "supervisor_a"));
    let pause =
        r#"{"reason": "dispute", "until": "2026-12-31", "note": "debitur menyengketakan tagihan"}"#;
    let own = k.post(&format!("/accounts/{id}/pause"), pause);
    assert_eq!(own.status, 403, "{}", own.body);
    let bad = s.post(
        &format!("/accounts/{id}/pause"),
        r#"{"reason": "bored", "note": "x"}"#,
    );
    assert_eq!(
        (bad.status, field_of(&bad).as_str()),
        (422, "reason"),
        "{}",
        bad.body
    );
    let past = s.post(
        &format!("/accounts/{id}/pause"),
        r#"{"reason": "dispute", "until": "2026-11-01", "note": "x"}"#,
    );
    assert_eq!(
        (past.status, field_of(&past).as_str()),
        (422, "until"),
        "{}",
        past.body
    );
    let paused = s.post(&format!("/accounts/{id}/pause"), pause);
    assert_eq!(paused.status, 204, "{}", paused.body);

    let r = k.post(
        &format!("/accounts/{id}/interactions"),
        &call("no_answer", "", "after-pause"),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("paused"), "{}", r.body);
    assert_eq!(stored(&app, "A-001"), (0, 0));
    // Off the worklist while paused.
    assert!(k.get("/worklist").json()["items"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn an_account_not_assigned_or_of_another_creditor_is_refused() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let k = As::new(&app, "kolektor_a");
    let a002 = app.id("A-002");
    let b001 = app.id("B-001");
    let r = k.post(
        &format!("/accounts/{a002}/interactions"),
        &call("no_answer", "", "not-mine"),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("not assigned to you"), "{}", r.body);
    let r = k.post(&format!("/accounts/{a002}/claim"), "");
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(stored(&app, "A-002"), (0, 0));

    for path in [
        format!("/accounts/{b001}/interactions"),
        format!("/accounts/{b001}/promises"),
        format!("/accounts/{b001}/follow-ups"),
    ] {
        assert_eq!(k.get(&path).status, 404, "{path}");
    }
    let r = k.post(
        &format!("/accounts/{b001}/interactions"),
        &call("no_answer", "", "other-creditor"),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(k.post(&format!("/accounts/{b001}/claim"), "").status, 404);
    let b = app
        .store
        .interactions(app.b.id, AccountId(b001))
        .expect("interactions of B");
    assert!(b.is_empty());
    let denied = app.audit(app.a.id, b001);
    assert!(denied.iter().any(|e| e.entry.action == "access.denied"));
    // A compliance officer works no accounts.
    let c = As::new(&app, "kepatuhan_a");
    assert_eq!(c.get("/worklist").status, 403);
    assert_eq!(c.post("/worklist/next", "").status, 403);
}

#[test]
fn a_supervisor_sees_the_team_and_reassigns_accounts_all_or_nothing() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let (k, s) = (As::new(&app, "kolektor_a"), As::new(&app, "supervisor_a"));
    let id = app.id("A-001");
    let logged = k.post(
        &format!("/accounts/{id}/interactions"),
        &call("no_answer", "", "team-1"),
    );
    assert_eq!(logged.status, 201, "{}", logged.body);

    assert_eq!(k.get("/team").status, 403);
    let team = s.get("/team");
    assert_eq!(team.status, 200, "{}", team.body);
    let team = team.json();
    let mine = team["collectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["username"] == "kolektor_a")
        .expect("kolektor_a in the team view")
        .clone();
    assert_eq!(mine["contacts"], 1);
    let to = team["assignees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "kolektor_a")
        .expect("kolektor_a can receive accounts")
        .clone();
    let reassign = |accounts: &str| {
        format!(
            r#"{{"accounts": {accounts}, "team_id": {}, "collector_id": {}}}"#,
            to["team_id"], to["user_id"]
        )
    };
    let unknown = s.post("/team/reassign", &reassign(r#"["A-002", "Z-999"]"#));
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert_eq!(field_of(&unknown), "accounts");
    assert!(unknown.body.contains("Z-999"), "{}", unknown.body);
    assert_eq!(
        s.post("/team/reassign", &reassign("[]")).status,
        422,
        "an empty selection"
    );
    let before = k.get("/worklist").json()["items"].as_array().unwrap().len();
    assert_eq!(before, 0, "A-001 was worked today");
    assert_eq!(
        k.post("/team/reassign", &reassign(r#"["A-002"]"#)).status,
        403
    );
    let moved = s.post("/team/reassign", &reassign(r#"["A-002"]"#));
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.json()["moved"], 1);
    let items = k.get("/worklist").json()["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["account_number"], "A-002");
}

#[test]
fn a_follow_up_is_shown_in_the_debtors_zone_and_marked_done_once_on_the_page_or_the_api() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let k = As::new(&app, "kolektor_a");
    let logged = k.post(
        &format!("/accounts/{id}/interactions"),
        &call(
            "no_answer",
            r#""call_back_at": "2026-11-25T10:00","#,
            "fu-1",
        ),
    );
    assert_eq!(logged.status, 201, "{}", logged.body);
    let first = logged.json()["follow_up_ids"][0]
        .as_i64()
        .expect("a call-back");
    let logged = k.post(
        &format!("/accounts/{id}/interactions"),
        &call(
            "no_answer",
            r#""call_back_at": "2026-11-26T09:30","#,
            "fu-2",
        ),
    );
    assert_eq!(logged.status, 201, "{}", logged.body);
    let second = logged.json()["follow_up_ids"][0]
        .as_i64()
        .expect("a call-back");

    // The workspace lists both, in the debtor's zone, with a button each.
    let c = app.logged_in("kolektor_a");
    let page = c.get(&format!("/akun/{id}"));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&format!("id=\"follow-up-{first}\"")),
        "{}",
        page.body
    );
    assert!(page.body.contains("10.00 WIB"), "the due time in WIB");
    assert!(
        page.body.contains("09.30 WIB"),
        "the second due time in WIB"
    );
    let token = c.csrf();
    let done = c.post_form(
        &format!("/akun/{id}/tindak-lanjut/{first}/selesai"),
        &[("csrf_token", &token)],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let page = c.get(&done.location.clone().unwrap_or_default());
    assert!(
        page.body.contains("Tindak lanjut ditandai selesai."),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!("id=\"follow-up-{first}\"")));
    assert!(page.body.contains(&format!("id=\"follow-up-{second}\"")));

    // The API marks the other one; a second time is refused, as is an unknown id or
    // another creditor's account; nothing else changes.
    let path = |account: i64, f: i64| format!("/accounts/{account}/follow-ups/{f}/done");
    assert_eq!(k.post(&path(id, second), "").status, 204);
    let again = k.post(&path(id, second), "");
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("already done"), "{}", again.body);
    assert_eq!(k.post(&path(id, 999_999), "").status, 404);
    assert_eq!(k.post(&path(app.id("B-001"), first), "").status, 404);
    let compliance = As::new(&app, "kepatuhan_a");
    assert_eq!(compliance.post(&path(id, first), "").status, 403);

    let list = k.get(&format!("/accounts/{id}/follow-ups")).json();
    let done: Vec<bool> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["done_at"].is_string())
        .collect();
    assert_eq!(done, vec![true, true], "{list}");
    let completed = app
        .audit(app.a.id, id)
        .into_iter()
        .filter(|e| e.entry.action == "follow_up.completed")
        .count();
    assert_eq!(completed, 2);
}

#[test]
fn the_openapi_document_lists_the_workbench() {
    let app = TestApp::spawn();
    let doc = app.client().get("/api/v1/openapi.json").json();
    let paths = doc["paths"].as_object().unwrap();
    for (p, method) in [
        ("/api/v1/worklist", "get"),
        ("/api/v1/worklist/next", "post"),
        ("/api/v1/accounts/{id}/claim", "delete"),
        ("/api/v1/accounts/{id}/interactions", "post"),
        ("/api/v1/accounts/{id}/follow-ups", "get"),
        ("/api/v1/accounts/{id}/follow-ups/{follow_up}/done", "post"),
        ("/api/v1/accounts/{id}/pause", "post"),
        ("/api/v1/team/reassign", "post"),
    ] {
        assert!(paths[p][method].is_object(), "{method} {p}");
        assert_eq!(paths[p][method]["tags"][0], "workbench", "{p}");
    }
}
