//! The negotiation desk over HTTP, pages and API: a collector's offer beyond their
//! authority waits for a supervisor, who approves it; the debtor accepts; the arrangement,
//! the recap and the agreement PDF follow. And the refusals that change nothing.

use sepakat_store::{AccountId, OfferId, OfferStatus};

use crate::support::{bearer, Client, Reply, TestApp};
use crate::work::assign_a001;

const INCOME: [(&str, &str); 3] = [
    ("income", "6.000.000"),
    ("expenses", "2.500.000"),
    ("dependants", "1"),
];

fn desk(c: &Client, account: i64, extra: &[(&str, &str)]) -> Reply {
    let token = c.csrf();
    let mut fields = vec![("csrf_token", token.as_str())];
    fields.extend_from_slice(extra);
    c.post_form(&format!("/akun/{account}/negosiasi"), &fields)
}

fn form(c: &Client, path: &str, extra: &[(&str, &str)]) -> Reply {
    let token = c.csrf();
    let mut fields = vec![("csrf_token", token.as_str())];
    fields.extend_from_slice(extra);
    c.post_form(path, &fields)
}

/// The rank of the first option the page marks as beyond the user's authority.
fn first_beyond(html: &str) -> String {
    let marker = "class=\"card option beyond\" id=\"option-";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no option beyond authority in {html}"))
        + marker.len();
    let end = html[start..].find('"').expect("quote") + start;
    html[start..end].to_string()
}

fn offer_of(location: &str) -> i64 {
    location
        .strip_prefix("/penawaran/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not an offer location: {location}"))
}

fn offers(app: &TestApp, account: &str) -> Vec<sepakat_store::StoredOffer> {
    app.store
        .offers(app.a.id, AccountId(app.id(account)))
        .expect("offers")
}

fn status(app: &TestApp, offer: i64) -> OfferStatus {
    app.store
        .offer(app.a.id, OfferId(offer))
        .expect("offer")
        .expect("stored")
        .status
}

#[test]
fn a_collectors_offer_beyond_authority_is_approved_accepted_and_its_agreement_downloads() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let k = app.logged_in("kolektor_a");

    let options = desk(&k, id, &INCOME);
    assert_eq!(options.status, 200, "{}", options.body);
    assert!(options.body.contains("Opsi 1"), "{}", options.body);
    assert!(options.body.contains("Cicilan realistis per bulan"));
    let rank = first_beyond(&options.body);
    let mut fields = INCOME.to_vec();
    fields.push(("option", &rank));
    let offered = desk(&k, id, &fields);
    assert_eq!(offered.status, 303, "{}", offered.body);
    let offer = offer_of(offered.location.as_deref().expect("location"));
    assert_eq!(status(&app, offer), OfferStatus::PendingApproval);

    // The collector sees it waiting, and can neither accept nor decide it.
    let page = k.get(&format!("/penawaran/{offer}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Menunggu persetujuan"), "{}", page.body);
    assert!(!page.body.contains("accept-form"));
    let early = form(
        &k,
        &format!("/penawaran/{offer}/terima"),
        &[("place", "Jakarta")],
    );
    assert_eq!(early.status, 422, "{}", early.body);
    let own = form(
        &k,
        &format!("/penawaran/{offer}/putuskan"),
        &[("decision", "setuju"), ("reason", "saya setuju")],
    );
    assert_eq!(own.status, 403);
    assert_eq!(status(&app, offer), OfferStatus::PendingApproval);

    // The supervisor finds it in the queue; a decision needs a reason.
    let s = app.logged_in("supervisor_a");
    let queue = s.get("/persetujuan");
    assert_eq!(queue.status, 200);
    assert!(
        queue.body.contains(&format!("/penawaran/{offer}")),
        "{}",
        queue.body
    );
    let blank = form(
        &s,
        &format!("/penawaran/{offer}/putuskan"),
        &[("decision", "setuju"), ("reason", "  ")],
    );
    assert_eq!(blank.status, 422);
    assert!(
        blank.body.contains("Alasan keputusan: wajib diisi"),
        "{}",
        blank.body
    );
    let approved = form(
        &s,
        &format!("/penawaran/{offer}/putuskan"),
        &[
            ("decision", "setuju"),
            ("reason", "Debitur kooperatif, PHK terverifikasi"),
        ],
    );
    assert_eq!(approved.status, 303, "{}", approved.body);
    assert_eq!(status(&app, offer), OfferStatus::Approved);
    assert!(!s
        .get("/persetujuan")
        .body
        .contains(&format!("/penawaran/{offer}\"")));

    // The debtor accepts: a place is required; then the arrangement, recap and PDF.
    let no_place = form(&k, &format!("/penawaran/{offer}/terima"), &[("place", "")]);
    assert_eq!(no_place.status, 422);
    assert!(no_place
        .body
        .contains("Tempat penandatanganan: wajib diisi"));
    let accepted = form(
        &k,
        &format!("/penawaran/{offer}/terima"),
        &[("place", "Bandung")],
    );
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    assert_eq!(status(&app, offer), OfferStatus::Accepted);
    let page = k.get(accepted.location.as_deref().expect("location"));
    assert!(page.body.contains("Rekap kesepakatan"), "{}", page.body);
    assert!(page.body.contains("Siti Rahayu"));
    let link = format!("/penawaran/{offer}/surat.pdf?tempat=Bandung");
    assert!(page.body.contains(&link), "{}", page.body);
    let (code, media, pdf) = k.get_bytes(&link, &[]);
    assert_eq!(code, 200);
    assert_eq!(media, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"));

    let arrangements = app
        .store
        .arrangements(app.a.id, AccountId(id))
        .expect("arrangements");
    assert_eq!(arrangements.len(), 1);
    let chosen = app
        .store
        .offer(app.a.id, OfferId(offer))
        .unwrap()
        .unwrap()
        .chosen()
        .cloned()
        .unwrap();
    assert_eq!(arrangements[0].instalments.len(), chosen.schedule.len());

    // Accepting again changes nothing.
    let again = form(
        &k,
        &format!("/penawaran/{offer}/terima"),
        &[("place", "Bandung")],
    );
    assert_eq!(again.status, 422);
    assert_eq!(
        app.store
            .arrangements(app.a.id, AccountId(id))
            .unwrap()
            .len(),
        1
    );
    let actions: Vec<String> = app
        .audit(app.a.id, id)
        .into_iter()
        .map(|e| e.entry.action)
        .collect();
    for action in [
        "offer.created",
        "offer.approved",
        "offer.accepted",
        "arrangement.created",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    // The workspace lists the offer and names the change on the timeline.
    let ws = k.get(&format!("/akun/{id}"));
    assert!(ws.body.contains(&format!("/penawaran/{offer}")));
    assert!(
        ws.body.contains("Penawaran diterima debitur"),
        "{}",
        ws.body
    );
}

#[test]
fn the_desk_refuses_bad_terms_other_accounts_and_paused_ones_and_stores_nothing() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let k = app.logged_in("kolektor_a");
    let refused = |fields: &[(&str, &str)], expected: &str| {
        let r = desk(&k, id, fields);
        assert_eq!(r.status, 422, "{fields:?}: {}", r.body);
        let shown = r.body.replace("&quot;", "\"");
        assert!(shown.contains(expected), "{expected} in {shown}");
    };
    refused(
        &[("income", "enam juta")],
        "Penghasilan per bulan: \"enam juta\" bukan jumlah rupiah",
    );
    refused(&[("income", "")], "Penghasilan per bulan: wajib diisi");
    refused(
        &[("income", "6.000.000"), ("expenses", "-1")],
        "Pengeluaran pokok per bulan: tidak boleh negatif",
    );
    refused(
        &[("income", "6.000.000"), ("dependants", "dua")],
        "Jumlah tanggungan: \"dua\" bukan bilangan bulat",
    );
    refused(&[("income", "6.000.000"), ("tenor", "0")], "Tenor (bulan):");
    refused(
        &[("income", "6.000.000"), ("down_payment", "banyak")],
        "Uang muka (%): \"banyak\" bukan persentase",
    );
    refused(
        &[("income", "6.000.000"), ("hardship", "bosan")],
        "Kesulitan yang disampaikan: \"bosan\" tidak dikenal",
    );
    refused(&[("income", "6.000.000"), ("option", "99")], "Opsi:");
    assert!(offers(&app, "A-001").is_empty());

    // An account not held by this collector; one of another creditor.
    let r = desk(&k, app.id("A-002"), &INCOME);
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("tidak ditugaskan kepada Anda"),
        "{}",
        r.body
    );
    assert_eq!(desk(&k, app.id("B-001"), &INCOME).status, 404);
    assert_eq!(k.get("/persetujuan").status, 403);

    // A paused account gets no offer.
    let s = app.logged_in("supervisor_a");
    let paused = form(
        &s,
        &format!("/akun/{id}/jeda"),
        &[("reason", "hardship"), ("until", ""), ("note", "Sakit")],
    );
    assert_eq!(paused.status, 303, "{}", paused.body);
    let mut fields = INCOME.to_vec();
    fields.push(("option", "1"));
    let r = desk(&s, id, &fields);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(offers(&app, "A-001").is_empty());
}

#[test]
fn the_api_runs_the_same_desk_and_names_the_json_field_it_refuses() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let auth = |user: &str| bearer(&app.tokens[user]);
    let (k, s) = (auth("kolektor_a"), auth("supervisor_a"));
    let c = app.client();
    let post = |who: &str, path: &str, body: &str| {
        c.post_json(&format!("/api/v1{path}"), &[("authorization", who)], body)
    };
    let assessment =
        r#"{"monthly_income": 6000000, "essential_expenses": 2500000, "dependants": 1}"#;

    let preview = post(
        &k,
        &format!("/accounts/{id}/offers/preview"),
        &format!(r#"{{"assessment": {assessment}}}"#),
    );
    assert_eq!(preview.status, 200, "{}", preview.body);
    let view = preview.json();
    let beyond = view["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["needs_approval"] == true)
        .expect("an option beyond the collector's authority");
    let rank = beyond["rank"].as_u64().unwrap();

    for (body, field) in [
        (r#"{"assessment": {"monthly_income": "banyak", "essential_expenses": 0}, "chosen_rank": 1}"#.to_string(), "assessment.monthly_income"),
        (format!(r#"{{"assessment": {assessment}, "request": {{"tenor_months": 0}}, "chosen_rank": 1}}"#), "request.tenor_months"),
        (format!(r#"{{"assessment": {assessment}, "bonus": 1}}"#), ""),
        (format!(r#"{{"assessment": {assessment}}}"#), "chosen_rank"),
    ] {
        let r = post(&k, &format!("/accounts/{id}/offers"), &body);
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        if !field.is_empty() {
            assert_eq!(r.json()["error"]["field"], field, "{}", r.body);
        }
    }
    assert!(offers(&app, "A-001").is_empty());

    let created = post(
        &k,
        &format!("/accounts/{id}/offers"),
        &format!(r#"{{"assessment": {assessment}, "chosen_rank": {rank}}}"#),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let offer = created.json()["id"].as_i64().unwrap();
    assert_eq!(created.json()["status"], "pending_approval");

    let pending = c.get_with("/api/v1/offers/pending", &[("authorization", &s)]);
    assert_eq!(pending.status, 200);
    assert!(pending.json()["offers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["id"] == offer));
    assert_eq!(
        c.get_with("/api/v1/offers/pending", &[("authorization", &k)])
            .status,
        403
    );
    let decision = r#"{"approve": true, "reason": "Penghasilan terverifikasi"}"#;
    assert_eq!(
        post(&k, &format!("/offers/{offer}/decision"), decision).status,
        403
    );
    let b = auth("kolektor_b");
    assert_eq!(
        c.get_with(&format!("/api/v1/offers/{offer}"), &[("authorization", &b)])
            .status,
        404
    );
    let decided = post(&s, &format!("/offers/{offer}/decision"), decision);
    assert_eq!(decided.status, 200, "{}", decided.body);
    assert_eq!(decided.json()["status"], "approved");
    let twice = post(&s, &format!("/offers/{offer}/decision"), decision);
    assert_eq!(twice.status, 409, "{}", twice.body);

    let accepted = post(
        &k,
        &format!("/offers/{offer}/accept"),
        r#"{"place": "Bandung"}"#,
    );
    assert_eq!(accepted.status, 201, "{}", accepted.body);
    let body = accepted.json();
    assert!(body["recap"].as_str().unwrap().contains("Siti Rahayu"));
    let url = body["agreement_url"].as_str().expect("agreement url");
    let (code, media, pdf) = c.get_bytes(url, &[("authorization", &k)]);
    assert_eq!((code, media.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let list = c.get_with(
        &format!("/api/v1/accounts/{id}/arrangements"),
        &[("authorization", &k)],
    );
    assert_eq!(list.json()["arrangements"].as_array().unwrap().len(), 1);
    let doc = c.get("/api/v1/openapi.json").json();
    assert!(doc["paths"]["/api/v1/offers/{id}/accept"]["post"].is_object());
}

#[test]
fn garbage_offer_ids_and_decisions_are_refused_and_change_nothing() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let k = app.logged_in("kolektor_a");
    let mut fields = INCOME.to_vec();
    let options = desk(&k, id, &INCOME);
    let rank = first_beyond(&options.body);
    fields.push(("option", &rank));
    let offer = offer_of(desk(&k, id, &fields).location.as_deref().expect("offered"));
    let s = app.logged_in("supervisor_a");
    assert_eq!(s.get("/penawaran/abc").status, 404);
    assert_eq!(s.get("/penawaran/999999").status, 404);
    let maybe = form(
        &s,
        &format!("/penawaran/{offer}/putuskan"),
        &[("decision", "mungkin"), ("reason", "entah")],
    );
    assert_eq!(maybe.status, 400);
    assert_eq!(
        form(
            &s,
            "/penawaran/999999/putuskan",
            &[("decision", "setuju"), ("reason", "x")]
        )
        .status,
        404
    );
    assert_eq!(status(&app, offer), OfferStatus::PendingApproval);
    let denied = app
        .store
        .audit_trail(
            app.a.id,
            &sepakat_store::EntityRef::new("offer", "999999"),
            10,
        )
        .expect("trail");
    assert!(denied.iter().any(|e| e.entry.action == "access.denied"));
}
