//! Templates over HTTP: the API's refusals name the field (an unknown variable by name, a
//! guard violation by rule and words), only compliance decides and never on its own
//! version, collectors write none, another creditor's templates stay invisible, and the
//! approved version is what the outbox composer then sends. The pages: the list, the
//! editor with its preview, the submission and the decision by form.

use sepakat_domain::compliance::{Channel, Gate, Party};
use sepakat_domain::template::{Catalogue, Stage};
use sepakat_domain::Guard;
use sepakat_engine::outbox::{Composer, Content, Extras, Request};
use sepakat_store::{Actor, EntityRef, NewTemplateVersion};

use crate::support::{bearer, csrf_token, TestApp};

fn auth(app: &TestApp, user: &str) -> String {
    bearer(&app.tokens[user])
}

const POLITE: &str = "Yth. {{sapaan}}, tagihan {{nomor_akun}} sebesar {{tunggakan}} telah \
                      jatuh tempo. Mohon dibayar sebelum {{batas_waktu}}. Versi Bank Alfa.";

fn body_json(body: &str) -> String {
    serde_json::json!({ "body": body, "note": "lebih jelas" }).to_string()
}

fn create(app: &TestApp, user: &str, path: &str, body: &str) -> crate::support::Reply {
    app.client()
        .post_json(path, &[("authorization", &auth(app, user))], body)
}

#[test]
fn api_refuses_unknown_variables_and_guard_violations_naming_them() {
    let app = TestApp::spawn();
    let path = "/api/v1/templates/early/whatsapp/versions";
    let r = create(
        &app,
        "supervisor_a",
        path,
        &body_json("Yth. {{nama_lengkap}}, mohon bayar."),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let e = &r.json()["error"];
    assert_eq!(e["field"], "body");
    assert!(
        e["message"].as_str().unwrap().contains("nama_lengkap"),
        "{e}"
    );

    let r = create(
        &app,
        "supervisor_a",
        path,
        &body_json("{{sapaan}}, bayar hari ini atau kami laporkan ke polisi."),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let e = &r.json()["error"];
    assert_eq!(e["field"], "body");
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("message guard"), "{message}");
    assert!(message.contains("polisi"), "{message}");

    // E-mail needs its subject; the field is named.
    let r = create(
        &app,
        "supervisor_a",
        "/api/v1/templates/early/email/versions",
        &body_json(POLITE),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "subject");
    // A body that is not text names its path.
    let r = create(&app, "supervisor_a", path, r#"{"body": 5}"#);
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "body");
    let r = create(
        &app,
        "supervisor_a",
        "/api/v1/templates/awal/whatsapp/versions",
        &body_json(POLITE),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "stage");
    let r = create(
        &app,
        "supervisor_a",
        "/api/v1/templates/early/call/versions",
        &body_json(POLITE),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "channel");
    // Nothing was written.
    assert!(app.store.templates(app.a.id).unwrap().is_empty());

    // The OpenAPI document lists every template call.
    let doc = app.client().get("/api/v1/openapi.json").json();
    for path in [
        "/api/v1/templates",
        "/api/v1/templates/{id}",
        "/api/v1/templates/{stage}/{channel}/versions",
        "/api/v1/template-versions/{id}/decision",
        "/api/v1/templates/preview",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from OpenAPI"
        );
    }

    // The preview says the same without storing anything.
    let r = app.client().post_json(
        "/api/v1/templates/preview",
        &[("authorization", &auth(&app, "kepatuhan_a"))],
        r#"{"channel": "whatsapp", "body": "Halo {{nama_lengkap}}"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let p = r.json();
    assert_eq!(p["valid"], false);
    assert_eq!(p["errors"][0]["variable"], "nama_lengkap");
    let r = app.client().post_json(
        "/api/v1/templates/preview",
        &[("authorization", &auth(&app, "kepatuhan_a"))],
        r#"{"channel": "whatsapp", "body": "{{sapaan}}, bayar atau kami laporkan ke polisi."}"#,
    );
    let p = r.json();
    assert_eq!(p["valid"], true);
    assert_eq!(p["blocked"], true);
    assert!(p["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["words"].as_str().unwrap().contains("polisi")));
    assert!(
        p["body"]
            .as_str()
            .unwrap()
            .starts_with("Bapak Budi Santoso"),
        "{p}"
    );
}

#[test]
fn collectors_write_none_authors_decide_none_and_other_creditors_see_none() {
    let app = TestApp::spawn();
    let path = "/api/v1/templates/early/whatsapp/versions";
    let r = create(&app, "kolektor_a", path, &body_json(POLITE));
    assert_eq!(r.status, 403, "{}", r.body);
    let r = create(&app, "kepatuhan_a", path, &body_json(POLITE));
    assert_eq!(
        r.status, 403,
        "compliance decides, it does not write: {}",
        r.body
    );
    let r = app.client().get_with(
        "/api/v1/templates",
        &[("authorization", &auth(&app, "kolektor_a"))],
    );
    assert_eq!(r.status, 403, "{}", r.body);

    let r = create(&app, "supervisor_a", path, &body_json(POLITE));
    assert_eq!(r.status, 201, "{}", r.body);
    let v = r.json();
    assert_eq!(v["status"], "pending");
    assert_eq!(v["version"], 1);
    let id = v["id"].as_i64().unwrap();
    let template = v["template_id"].as_i64().unwrap();
    let decision = format!("/api/v1/template-versions/{id}/decision");

    // A supervisor is not compliance; a bad decision names the field.
    let r = app.client().post_json(
        &decision,
        &[("authorization", &auth(&app, "manajer_a"))],
        r#"{"decision": "approve"}"#,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app.client().post_json(
        &decision,
        &[("authorization", &auth(&app, "kepatuhan_a"))],
        r#"{"decision": "yes"}"#,
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "decision");
    let r = app.client().post_json(
        &decision,
        &[("authorization", &auth(&app, "kepatuhan_a"))],
        r#"{"decision": "reject", "reason": " "}"#,
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "reason");

    // Another creditor's compliance officer (the admin acts for PINDARB here) finds nothing.
    let other = [
        ("authorization", auth(&app, "admin")),
        ("x-sepakat-creditor", "PINDARB".to_string()),
    ];
    let other: Vec<(&str, &str)> = other.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app
        .client()
        .get_with(&format!("/api/v1/templates/{template}"), &other);
    assert_eq!(r.status, 404, "{}", r.body);
    let r = app.client().get_with("/api/v1/templates", &other);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["template_id"].is_null()));

    // A version the compliance officer wrote (through the store) is theirs: not theirs to decide.
    let officer = app.user_id("kepatuhan_a");
    let own = app
        .store
        .add_template_version(
            app.a.id,
            &NewTemplateVersion {
                stage: Stage::Mid,
                channel: Channel::Whatsapp,
                subject: None,
                body: POLITE.into(),
                note: None,
            },
            Some(&Guard::shipped()),
            app.clock_now(),
            &Actor::user(officer, "kepatuhan_a"),
        )
        .expect("written");
    let r = app.client().post_json(
        &format!("/api/v1/template-versions/{}/decision", own.id),
        &[("authorization", &auth(&app, "kepatuhan_a"))],
        r#"{"decision": "approve"}"#,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("author"));

    // Approved once; a second decision is a conflict.
    let r = app.client().post_json(
        &decision,
        &[("authorization", &auth(&app, "kepatuhan_a"))],
        r#"{"decision": "approve", "reason": "Sopan dan jelas"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "approved");
    let r = app.client().post_json(
        &decision,
        &[("authorization", &auth(&app, "kepatuhan_a"))],
        r#"{"decision": "reject", "reason": "lagi"}"#,
    );
    assert_eq!(r.status, 409, "{}", r.body);

    let r = app.client().get_with(
        "/api/v1/templates",
        &[("authorization", &auth(&app, "kepatuhan_a"))],
    );
    let slots = r.json();
    let early = slots
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "early" && s["channel"] == "whatsapp")
        .unwrap();
    assert_eq!(early["in_force"], "version");
    assert_eq!(early["in_force_version"], 1);
    let sp1 = slots
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "sp1" && s["channel"] == "letter")
        .unwrap();
    assert_eq!(sp1["in_force"], "default");
    let r = app.client().get_with(
        &format!("/api/v1/templates/{template}"),
        &[("authorization", &auth(&app, "supervisor_a"))],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["in_force_version"], 1);
    assert_eq!(r.json()["versions"][0]["reason"], "Sopan dan jelas");

    let trail: Vec<String> = app
        .store
        .audit_trail(app.a.id, &EntityRef::new("template", template), 20)
        .unwrap()
        .into_iter()
        .map(|e| e.entry.action)
        .collect();
    for action in [
        "template.drafted",
        "template.submitted",
        "template.approved",
    ] {
        assert!(trail.iter().any(|a| a == action), "{trail:?}");
    }

    // The composer now sends the creditor's approved text.
    let account = app
        .store
        .account_by_number(app.a.id, "A-001")
        .unwrap()
        .unwrap();
    let (guard, gate, catalogue) = (Guard::shipped(), Gate::shipped(), Catalogue::shipped());
    let composer = Composer {
        store: app.store.as_ref(),
        creditor: &app.a,
        guard: &guard,
        gate: &gate,
        catalogue: &catalogue,
    };
    let m = composer
        .compose(
            Request {
                account,
                channel: Channel::Whatsapp,
                party: Party::Debtor,
                to: None,
                content: Content::Template("early_whatsapp".into()),
                extras: Extras {
                    deadline_days: Some(7),
                    ..Extras::default()
                },
                idempotency_key: None,
                user: None,
            },
            app.clock_now(),
            &Actor::system("test"),
        )
        .expect("composed");
    assert!(m.data.body.contains("Versi Bank Alfa"), "{}", m.data.body);
    assert!(m.data.body.contains("A-001"), "{}", m.data.body);
    assert_eq!(m.data.template.as_deref(), Some("early_whatsapp@v1"));
}

#[test]
fn pages_list_edit_preview_submit_and_decide() {
    let app = TestApp::spawn();
    let collector = app.logged_in("kolektor_a");
    assert_eq!(collector.get("/templat").status, 403);
    assert!(!collector.get("/kerja").body.contains("nav-templates"));

    let writer = app.logged_in("supervisor_a");
    let list = writer.get("/templat");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("nav-templates"));
    assert!(list.body.contains("slot-early-whatsapp"));
    assert!(list.body.contains("Bawaan Sepakat"));

    let editor = writer.get("/templat/early/whatsapp");
    assert_eq!(editor.status, 200, "{}", editor.body);
    assert!(editor.body.contains("template-form"));
    assert!(
        editor.body.contains("preview-body"),
        "the default's preview is drawn"
    );
    let token = csrf_token(&editor.body);

    // The as-you-type check names the unknown variable and the guard's words.
    let r = writer.post_form(
        "/templat/periksa",
        &[
            ("csrf_token", &token),
            ("stage", "early"),
            ("channel", "whatsapp"),
            ("body", "Halo {{nama_lengkap}}"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["variable"], "nama_lengkap");
    assert!(r.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Variabel tidak dikenal"));
    let r = writer.post_form(
        "/templat/periksa",
        &[
            ("csrf_token", &token),
            ("stage", "early"),
            ("channel", "whatsapp"),
            ("body", "{{sapaan}} bayar atau kami laporkan ke polisi"),
        ],
    );
    assert_eq!(r.json()["blocked"], true);
    // Without the token the check is refused.
    let r = writer.post_form(
        "/templat/periksa",
        &[("stage", "early"), ("channel", "whatsapp"), ("body", "x")],
    );
    assert_eq!(r.status, 403);

    // A refused submission re-draws the editor with the draft and the reason.
    let r = writer.post_form(
        "/templat/early/whatsapp",
        &[
            ("csrf_token", &token),
            ("body", "Halo {{nama_lengkap}}"),
            ("note", ""),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("nama_lengkap"));
    assert!(
        r.body.contains("Halo {{nama_lengkap}}"),
        "the draft is kept"
    );

    let r = writer.post_form(
        "/templat/early/whatsapp",
        &[
            ("csrf_token", &token),
            ("body", POLITE),
            ("note", "lebih jelas"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location.as_deref(),
        Some("/templat/early/whatsapp?ok=diajukan")
    );
    let page = writer.get("/templat/early/whatsapp?ok=diajukan");
    assert!(
        page.body.contains("menunggu persetujuan kepatuhan"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("approve-"),
        "a supervisor sees no decision buttons"
    );
    let id = app.store.templates(app.a.id).unwrap()[0].pending[0].id;

    // A collector cannot submit by form either; a supervisor cannot decide.
    let ctoken = csrf_token(&collector.get("/akun").body);
    let r = collector.post_form(
        "/templat/early/whatsapp",
        &[("csrf_token", &ctoken), ("body", POLITE)],
    );
    assert_eq!(r.status, 403);
    let r = writer.post_form(
        &format!("/templat/versi/{id}/keputusan"),
        &[
            ("csrf_token", &token),
            ("decision", "setujui"),
            ("reason", ""),
        ],
    );
    assert_eq!(r.status, 403);

    let officer = app.logged_in("kepatuhan_a");
    let page = officer.get("/templat/early/whatsapp");
    assert!(
        page.body.contains(&format!("approve-{id}")),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("template-form"),
        "compliance writes no versions"
    );
    let otoken = csrf_token(&page.body);
    let r = officer.post_form(
        &format!("/templat/versi/{id}/keputusan"),
        &[
            ("csrf_token", &otoken),
            ("decision", "tolak"),
            ("reason", " "),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Alasan penolakan wajib diisi"));
    let r = officer.post_form(
        &format!("/templat/versi/{id}/keputusan"),
        &[
            ("csrf_token", &otoken),
            ("decision", "setujui"),
            ("reason", "Sopan"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let list = officer.get("/templat");
    assert!(list.body.contains("Versi 1"), "{}", list.body);
    let editor = writer.get("/templat/early/whatsapp");
    assert!(
        editor.body.contains("Versi Bank Alfa"),
        "the new version starts from the one in force"
    );
}
