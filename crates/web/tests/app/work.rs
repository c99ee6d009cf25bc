//! The collector workbench over HTTP: worklist and next account, logging a contact with
//! a promise through the compliance gate, and the refusals that store nothing; payments
//! keeping a promise; pausing and reassigning as a supervisor.

use sepakat_domain::strategy::CollectorKind;
use sepakat_domain::PromiseStatus;
use sepakat_store::{AccountId, Actor, CollectorInfo};

use crate::support::{Client, TestApp};

/// Puts A-001 with kolektor_a (sticky) in a desk team of creditor A.
pub(crate) fn assign_a001(app: &TestApp) {
    let actor = Actor::system("test");
    let team = app
        .store
        .create_team(app.a.id, "DESK", "Desk", app.clock_now(), &actor)
        .expect("team");
    for who in ["kolektor_a", "supervisor_a"] {
        app.store
            .put_collector(
                app.a.id,
                &CollectorInfo {
                    team: team.id,
                    user: app.user_id(who),
                    kind: CollectorKind::Desk,
                    daily_capacity: 50,
                    provinces: vec![],
                    languages: vec!["id".into()],
                    active: true,
                },
                app.clock_now(),
                &actor,
            )
            .expect("collector");
    }
    app.store
        .assign_accounts(
            app.a.id,
            team.id,
            Some(app.user_id("kolektor_a")),
            &[AccountId(app.id("A-001"))],
            app.clock_now(),
            &actor,
        )
        .expect("assign");
}

fn contact(c: &Client, account: i64, extra: &[(&str, &str)], key: &str) -> crate::support::Reply {
    let token = c.csrf();
    let mut fields = vec![
        ("csrf_token", token.as_str()),
        ("idempotency_key", key),
        ("channel", "call"),
        ("direction", "outbound"),
        ("party", "debtor"),
    ];
    fields.extend_from_slice(extra);
    c.post_multipart(&format!("/akun/{account}/kontak"), &fields, &[])
}

fn interactions(app: &TestApp, no: &str) -> usize {
    app.store
        .interactions(app.a.id, AccountId(app.id(no)))
        .expect("interactions")
        .len()
}

#[test]
fn a_collector_takes_the_next_account_logs_a_promise_and_sees_it_on_the_timeline() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let c = app.logged_in("kolektor_a");
    let list = c.get("/kerja");
    assert_eq!(list.status, 200);
    assert!(list.body.contains("A-001"), "{}", list.body);

    let token = c.csrf();
    let next = c.post_form("/kerja/berikutnya", &[("csrf_token", &token)]);
    assert_eq!(next.status, 303);
    let id = app.id("A-001");
    assert_eq!(
        next.location.clone().unwrap_or_default(),
        format!("/akun/{id}")
    );
    let claim = app
        .store
        .claim(app.a.id, AccountId(id), app.clock_now())
        .expect("claim");
    assert_eq!(claim.map(|c| c.user), Some(app.user_id("kolektor_a")));

    let promise = [
        ("outcome", "promise_to_pay"),
        ("reason", "job_loss"),
        ("notes", "Debitur baru kena PHK, janji bayar tanggal 28"),
        ("promise_amount", "500.000"),
        ("promise_date", "2026-11-28"),
    ];
    let saved = contact(&c, id, &promise, "form-1");
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        saved
            .location
            .clone()
            .unwrap_or_default()
            .contains("janji="),
        "{}",
        saved.location.clone().unwrap_or_default()
    );
    let page = c.get(&saved.location.clone().unwrap_or_default());
    assert!(page.body.contains("Kontak tersimpan."), "{}", page.body);
    assert!(
        page.body.contains("Terima kasih Ibu Siti Rahayu"),
        "recap missing"
    );
    assert!(
        page.body.contains("Janji bayar dibuat"),
        "timeline lacks the promise"
    );
    assert!(page.body.contains("Rp500.000"));

    // The same form submitted again stores nothing new.
    let again = contact(&c, id, &promise, "form-1");
    assert_eq!(again.status, 303);
    assert_eq!(interactions(&app, "A-001"), 1);

    // A payment of the promised amount keeps it.
    let s = app.logged_in("supervisor_a");
    let token = s.csrf();
    let paid = s.post_form(
        &format!("/akun/{id}/pembayaran"),
        &[
            ("csrf_token", &token),
            ("amount", "500.000"),
            ("reference", "TRF-PROMISE-1"),
            ("channel", "transfer"),
        ],
    );
    assert_eq!(paid.status, 303, "{}", paid.body);
    let promises = app
        .store
        .promises(app.a.id, AccountId(id))
        .expect("promises");
    assert_eq!(promises[0].status, PromiseStatus::Kept);
}

#[test]
fn bad_contacts_are_refused_with_the_reason_and_store_nothing() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let c = app.logged_in("kolektor_a");
    let id = app.id("A-001");
    let refused = |extra: &[(&str, &str)], expected: &str| {
        let r = contact(&c, id, extra, &format!("k-{expected}"));
        assert_eq!(r.status, 422, "{expected}: {}", r.body);
        assert!(
            r.body.contains(expected),
            "expected {expected:?} in the page"
        );
    };
    refused(
        &[
            ("outcome", "promise_to_pay"),
            ("promise_amount", "0"),
            ("promise_date", "2026-11-28"),
        ],
        "harus lebih dari nol",
    );
    refused(
        &[
            ("outcome", "promise_to_pay"),
            ("promise_amount", "999.000.000"),
            ("promise_date", "2026-11-28"),
        ],
        "melebihi total kewajiban",
    );
    refused(
        &[
            ("outcome", "promise_to_pay"),
            ("promise_amount", "100.000"),
            ("promise_date", "2026-11-01"),
        ],
        "tidak boleh sebelum hari ini",
    );
    refused(&[("outcome", "threatened")], "tidak dikenal");
    refused(
        &[
            ("outcome", "call_back"),
            ("call_back_at", "2026-11-29T10:00"),
        ],
        "Bukan hari kontak",
    );
    assert_eq!(interactions(&app, "A-001"), 0);

    // Evidence of the wrong type.
    let token = c.csrf();
    let r = c.post_multipart(
        &format!("/akun/{id}/kontak"),
        &[
            ("csrf_token", &token),
            ("channel", "call"),
            ("direction", "outbound"),
            ("party", "debtor"),
            ("outcome", "no_answer"),
        ],
        &[(
            "evidence",
            "rekaman.mp3",
            "audio/mpeg",
            b"MZ\x90\x00 not audio",
        )],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("rekaman.mp3"), "{}", r.body);
    assert_eq!(interactions(&app, "A-001"), 0);

    // An account not assigned to this collector, and one of another creditor.
    let r = contact(&c, app.id("A-002"), &[("outcome", "no_answer")], "k-other");
    assert_eq!(r.status, 422);
    assert!(r.body.contains("tidak ditugaskan kepada Anda"));
    let r = contact(&c, app.id("B-001"), &[("outcome", "no_answer")], "k-b");
    assert_eq!(r.status, 404);
    assert_eq!(interactions(&app, "A-002"), 0);

    // A paused account.
    let s = app.logged_in("supervisor_a");
    let token = s.csrf();
    let paused = s.post_form(
        &format!("/akun/{id}/jeda"),
        &[
            ("csrf_token", &token),
            ("reason", "dispute"),
            ("until", ""),
            ("note", "Debitur menyanggah tagihan"),
        ],
    );
    assert_eq!(paused.status, 303, "{}", paused.body);
    refused(&[("outcome", "no_answer")], "dihentikan sementara");
    assert_eq!(interactions(&app, "A-001"), 0);
}

#[test]
fn a_supervisor_reassigns_accounts_and_unknown_numbers_are_named() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let s = app.logged_in("supervisor_a");
    let team = s.get("/tim");
    assert_eq!(team.status, 200);
    assert!(team.body.contains("kolektor_a"), "{}", team.body);
    let teams = app.store.teams(app.a.id).expect("teams");
    let value = format!("{}:{}", teams[0].id.0, app.user_id("kolektor_a").0);
    let token = s.csrf();
    let bad = s.post_form(
        "/tim/alihkan",
        &[
            ("csrf_token", &token),
            ("accounts", "A-002\nA-404"),
            ("collector", &value),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("A-404"));
    let holders = app
        .store
        .holders(app.a.id, AccountId(app.id("A-002")), app.clock_now())
        .expect("holders");
    assert_eq!(
        holders.sticky, None,
        "nothing is assigned when one number is wrong"
    );
    let ok = s.post_form(
        "/tim/alihkan",
        &[
            ("csrf_token", &token),
            ("accounts", "A-002"),
            ("collector", &value),
        ],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let holders = app
        .store
        .holders(app.a.id, AccountId(app.id("A-002")), app.clock_now())
        .expect("holders");
    assert_eq!(holders.sticky, Some(app.user_id("kolektor_a")));

    // Collectors see neither the team page nor the pause form.
    let c = app.logged_in("kolektor_a");
    assert_eq!(c.get("/tim").status, 403);
}

#[test]
fn a_large_reversal_waits_for_a_second_person_and_a_small_one_is_immediate() {
    let app = TestApp::spawn_with(sepakat_web::WebConfig {
        reversal_approval_above: sepakat_domain::Rupiah::new(100_000),
        ..sepakat_web::WebConfig::default()
    });
    let id = app.id("A-001");
    let s = app.logged_in("supervisor_a");
    let post = |c: &Client, path: &str, fields: &[(&str, &str)]| {
        let token = c.csrf();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        c.post_form(path, &all)
    };
    let pay = |amount: &str, reference: &str| {
        let r = post(
            &s,
            &format!("/akun/{id}/pembayaran"),
            &[
                ("amount", amount),
                ("reference", reference),
                ("channel", "transfer"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        app.store
            .payments(app.a.id, AccountId(id))
            .unwrap()
            .into_iter()
            .find(|p| p.reference == reference)
            .expect("posted")
            .id
    };
    let reversed = |payment: sepakat_store::PaymentId| {
        app.store
            .payments(app.a.id, AccountId(id))
            .unwrap()
            .iter()
            .any(|p| p.reverses == Some(payment))
    };
    let small = pay("50.000", "TRF-SMALL");
    let large = pay("250.000", "TRF-LARGE");

    let r = post(
        &s,
        &format!("/akun/{id}/pembayaran/{}/batal", small.0),
        &[("reason", "Salah akun")],
    );
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/akun/{id}?ok=batal"))
    );
    assert!(reversed(small));

    let r = post(
        &s,
        &format!("/akun/{id}/pembayaran/{}/batal", large.0),
        &[("reason", "Transfer ganda")],
    );
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/akun/{id}?ok=batal-diajukan"))
    );
    assert!(!reversed(large), "a large reversal waits");
    let page = s.get(&format!("/akun/{id}"));
    assert!(page.body.contains("Pembatalan menunggu persetujuan"));
    assert!(page.body.contains("Diputuskan oleh pejabat lain."));
    let requests = app
        .store
        .reversal_requests(app.a.id, AccountId(id))
        .unwrap();
    let request = requests[0].id.0;

    // The requester may not approve their own request; a collector may not at all.
    let own = post(
        &s,
        &format!("/akun/{id}/pembatalan/{request}"),
        &[("decision", "setuju"), ("note", "ok")],
    );
    assert_eq!(own.status, 422, "{}", own.body);
    assert!(
        own.body.contains("someone other than who asked"),
        "{}",
        own.body
    );
    let k = app.logged_in("kolektor_a");
    let collector = post(
        &k,
        &format!("/akun/{id}/pembatalan/{request}"),
        &[("decision", "setuju"), ("note", "ok")],
    );
    assert_eq!(collector.status, 403);
    assert!(!reversed(large));

    let m = app.logged_in("manajer_a");
    let blank = post(
        &m,
        &format!("/akun/{id}/pembatalan/{request}"),
        &[("decision", "setuju"), ("note", " ")],
    );
    assert_eq!(blank.status, 422);
    assert!(blank.body.contains("Catatan keputusan: wajib diisi"));
    let approved = post(
        &m,
        &format!("/akun/{id}/pembatalan/{request}"),
        &[
            ("decision", "setuju"),
            ("note", "Mutasi rekening menunjukkan transfer ganda"),
        ],
    );
    assert_eq!(approved.status, 303, "{}", approved.body);
    assert!(reversed(large));
    let timeline = m.get(&format!("/akun/{id}")).body;
    assert!(
        timeline.contains("Pembatalan pembayaran disetujui"),
        "{timeline}"
    );
}

#[test]
fn other_contacts_are_recorded_masked_and_the_debtor_is_verified_by_a_right_party_contact() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let c = app.logged_in("kolektor_a");
    let add = |c: &Client, account: i64, fields: &[(&str, &str)]| {
        let token = c.csrf();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        c.post_form(&format!("/akun/{account}/kontak-lain"), &all)
    };
    let page = c.get(&format!("/akun/{id}")).body;
    assert!(page.contains("Belum terverifikasi"), "{page}");
    assert!(page.contains("Belum ada kontak lain."));

    let sister = [
        ("party", "family"),
        ("name", "Rina Rahayu"),
        ("relation", "kakak"),
        ("phone", "0812 7766 5544"),
        ("note", ""),
    ];
    let refused = |fields: &[(&str, &str)], expected: &str| {
        let r = add(&c, id, fields);
        assert_eq!(r.status, 422, "{fields:?}: {}", r.body);
        let shown = r.body.replace("&quot;", "\"");
        assert!(shown.contains(expected), "{expected} in {shown}");
    };
    refused(
        &[("party", "family"), ("name", "Rina"), ("phone", "12345")],
        "Telepon: \"12345\" bukan nomor telepon Indonesia",
    );
    refused(&[("party", "family"), ("name", " ")], "Nama: wajib diisi");
    refused(
        &[("party", "debtor"), ("name", "Siti")],
        "pihak selain debitur",
    );
    refused(
        &[("party", "tetangga"), ("name", "Siti")],
        "\"tetangga\" tidak dikenal",
    );
    let other = add(&c, app.id("A-002"), &sister);
    assert_eq!(other.status, 422);
    assert!(other.body.contains("tidak ditugaskan kepada Anda"));
    assert_eq!(
        add(&app.logged_in("kolektor_b"), id, &sister).status,
        404,
        "another creditor's account"
    );
    let debtor = app
        .store
        .account(app.a.id, AccountId(id))
        .unwrap()
        .unwrap()
        .debtor
        .id;
    assert!(app
        .store
        .debtor_contacts(app.a.id, debtor)
        .unwrap()
        .is_empty());

    let saved = add(&c, id, &sister);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = c.get(saved.location.as_deref().unwrap()).body;
    assert!(page.contains("Kontak lain tersimpan."));
    assert!(page.contains("Rina Rahayu"));
    assert!(page.contains("+62812****5544"), "{page}");
    assert!(!page.contains("81277665544"), "the phone is masked");
    assert_eq!(
        app.store.debtor_contacts(app.a.id, debtor).unwrap().len(),
        1
    );

    // A right-party contact verifies the debtor.
    let r = contact(&c, id, &[("outcome", "right_party_contact")], "verify-1");
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&format!("/akun/{id}")).body;
    assert!(page.contains("Debitur terverifikasi pada kontak"), "{page}");
}

#[test]
fn an_abusive_message_is_blocked_with_the_reason_and_a_polite_one_is_queued() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let c = app.logged_in("kolektor_a");
    let token = c.csrf();
    let check = |text: &str| {
        let r = c.post_form("/pesan/periksa", &[("csrf_token", &token), ("text", text)]);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    };
    let rude = "Bayar sekarang anjing, atau kami sebarkan datamu ke keluargamu";
    let verdict = check(rude);
    assert_eq!(verdict["blocked"], true, "{verdict}");
    assert!(!verdict["findings"].as_array().unwrap().is_empty());
    let polite = "Selamat siang Ibu Siti, kami mengingatkan tagihan Ibu yang jatuh tempo. Mohon konfirmasi rencana pembayarannya. Terima kasih.";
    assert_eq!(check(polite)["blocked"], false);

    let send = |text: &str, key: &str| {
        c.post_form(
            &format!("/akun/{id}/pesan"),
            &[
                ("csrf_token", &token),
                ("channel", "whatsapp"),
                ("text", text),
                ("idempotency_key", key),
            ],
        )
    };
    let blocked = send(rude, "m-1");
    assert_eq!(blocked.status, 422, "{}", blocked.body);
    assert!(blocked.body.contains("Pesan diblokir"), "{}", blocked.body);
    assert!(
        blocked.body.contains("Bayar sekarang anjing"),
        "the draft is kept to rewrite"
    );
    let queued = send(polite, "m-2");
    assert_eq!(queued.status, 303, "{}", queued.body);
    let again = send(polite, "m-2");
    assert_eq!(again.status, 303);
    let messages = app
        .store
        .messages(app.a.id, Some(AccountId(id)))
        .expect("messages");
    assert_eq!(messages.len(), 2, "one blocked, one queued once");
    assert_eq!(messages[0].status, sepakat_store::MessageStatus::Blocked);
    assert_eq!(messages[1].status, sepakat_store::MessageStatus::Queued);
    assert!(messages[1].data.not_before >= app.clock_now());
    let page = c.get(&format!("/akun/{id}?ok=pesan")).body;
    assert!(page.contains("Pesan masuk antrean."));
    assert!(page.contains("Dalam antrean"), "{page}");
    // Another creditor's account, and a blank text.
    assert_eq!(
        c.post_form(
            &format!("/akun/{}/pesan", app.id("B-001")),
            &[("csrf_token", &token), ("channel", "sms"), ("text", polite)],
        )
        .status,
        404
    );
    let blank = send("  ", "m-3");
    assert_eq!(blank.status, 422);
    assert!(blank.body.contains("Isi pesan: wajib diisi"));
}

#[test]
fn garbage_to_the_message_and_reversal_forms_is_refused_and_stores_nothing() {
    let app = TestApp::spawn();
    assign_a001(&app);
    let id = app.id("A-001");
    let c = app.logged_in("kolektor_a");
    let token = c.csrf();
    let long = "a".repeat(4097);
    assert_eq!(
        c.post_form("/pesan/periksa", &[("csrf_token", &token), ("text", &long)])
            .status,
        400
    );
    let post = |channel: &str, text: &str| {
        c.post_form(
            &format!("/akun/{id}/pesan"),
            &[("csrf_token", &token), ("channel", channel), ("text", text)],
        )
    };
    let letter = post("letter", "Selamat siang");
    assert_eq!(letter.status, 422);
    assert!(letter.body.contains("tidak dikenal"), "{}", letter.body);
    assert_eq!(post("merpati", "Selamat siang").status, 422);
    assert_eq!(post("sms", &long).status, 422);
    assert!(app
        .store
        .messages(app.a.id, Some(AccountId(id)))
        .unwrap()
        .is_empty());

    let s = app.logged_in("supervisor_a");
    let stoken = s.csrf();
    assert_eq!(
        s.post_form(
            &format!("/akun/{id}/pembatalan/999999"),
            &[
                ("csrf_token", &stoken),
                ("decision", "setuju"),
                ("note", "x")
            ],
        )
        .status,
        404
    );
    assert_eq!(
        s.post_form(
            &format!("/akun/{id}/pembatalan/1"),
            &[
                ("csrf_token", &stoken),
                ("decision", "barangkali"),
                ("note", "x")
            ],
        )
        .status,
        400
    );
    assert!(app
        .store
        .reversal_requests(app.a.id, AccountId(id))
        .unwrap()
        .is_empty());
}
