//! The letter batch page (`/surat`) and the outbox (`/kotak-keluar`, `GET /api/v1/outbox`):
//! a batch prints to one PDF with a letter per account and records every letter; delivery
//! proof lands on the account's timeline; bad choices and bad proofs are refused with the
//! reason and store nothing; the outbox filters, masks and keeps creditors apart.

use chrono::Duration;
use sepakat_domain::compliance::{Channel, Party};
use sepakat_domain::template::Stage;
use sepakat_store::{
    AccountId, Actor, Hold, LetterStatus, NewLetter, NewMessage, Recipient, Refusal,
};

use crate::support::{bearer, phone, TestApp};

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 4, 2];

fn pdf_text(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("batch.pdf");
    std::fs::write(&path, bytes).ok()?;
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str()?, "-"])
        .output()
        .ok()?;
    assert!(out.status.success(), "pdftotext failed");
    Some(String::from_utf8(out.stdout).expect("utf-8 text"))
}

fn print(
    c: &crate::support::Client,
    fields: &[(&str, &str)],
) -> (u16, String, Option<String>, Vec<u8>) {
    let token = c.csrf();
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    c.post_form_bytes("/surat/cetak", &all, "x-sepakat-letters")
}

fn letters_of(app: &TestApp) -> Vec<sepakat_store::Letter> {
    app.store.letters(app.a.id, None, 100).expect("letters")
}

#[test]
fn a_batch_by_minimum_dpd_prints_one_pdf_with_a_letter_per_account_and_records_them() {
    let app = TestApp::spawn();
    let c = app.logged_in("supervisor_a");
    let counted = c.get("/surat?stage=sp1&min_dpd=30&hitung=1");
    assert_eq!(counted.status, 200);
    assert!(counted.body.contains("id=\"count\""), "{}", counted.body);
    assert!(
        counted.body.contains("<strong>2</strong>"),
        "{}",
        counted.body
    );

    let (status, kind, count, bytes) = print(&c, &[("stage", "sp1"), ("min_dpd", "30")]);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(kind, "application/pdf");
    assert_eq!(count.as_deref(), Some("2"));
    assert!(bytes.starts_with(b"%PDF-1.4"));
    let letters = letters_of(&app);
    assert_eq!(letters.len(), 2);
    assert!(letters.iter().all(|l| l.status == LetterStatus::Printed
        && l.data.stage == Stage::Sp1
        && l.printed_by == "supervisor_a"));
    let trail = app.audit(app.a.id, app.id("A-001"));
    assert!(trail.iter().any(|e| e.entry.action == "letter.printed"));
    if let Some(text) = pdf_text(&bytes) {
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| p.contains("Hormat kami"))
            .collect();
        assert_eq!(pages.len(), 2, "{text}");
        for l in &letters {
            assert!(
                text.contains(&l.data.tracking),
                "{} missing",
                l.data.tracking
            );
        }
    } else if std::env::var_os("CI").is_some() {
        panic!("pdftotext is required in CI");
    }
    // The recent list shows them.
    let page = c.get("/surat").body;
    assert!(page.contains(&letters[0].data.tracking));
}

#[test]
fn a_pasted_list_prints_exactly_those_accounts() {
    let app = TestApp::spawn();
    let c = app.logged_in("manajer_a");
    let counted = c.get("/surat?stage=somasi&accounts=A-001%0AA-003&hitung=1");
    assert_eq!(counted.status, 200);
    assert!(
        counted.body.contains("<strong>2</strong>"),
        "{}",
        counted.body
    );
    assert!(
        counted
            .body
            .contains("name=\"accounts\" value=\"A-001 A-003\""),
        "the print form carries the pasted list: {}",
        counted.body
    );
    assert!(letters_of(&app).is_empty(), "counting prints nothing");
    let (status, _, count, _) = print(&c, &[("stage", "somasi"), ("accounts", "A-001\n")]);
    assert_eq!(status, 200);
    assert_eq!(count.as_deref(), Some("1"));
    let letters = letters_of(&app);
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].data.account, AccountId(app.id("A-001")));
    assert_eq!(letters[0].data.stage, Stage::Somasi);
}

#[test]
fn bad_batches_are_refused_with_the_reason_and_record_nothing() {
    let app = TestApp::spawn();
    let c = app.logged_in("supervisor_a");
    let many: String = (1..=201).map(|i| format!("X-{i}\n")).collect();
    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[("stage", "sp9"), ("min_dpd", "30")],
            "Jenis surat tidak dikenal",
        ),
        (
            &[("stage", "early"), ("min_dpd", "30")],
            "Jenis surat tidak dikenal",
        ),
        (&[("stage", "sp1")], "Tidak ada akun yang dipilih"),
        (
            &[("stage", "sp1"), ("accounts", &many)],
            "batasnya 200 (201)",
        ),
        (
            &[("stage", "sp1"), ("accounts", "A-001\nB-001")],
            "Nomor akun tidak ditemukan: B-001",
        ),
    ];
    for (fields, expected) in cases {
        let (status, kind, _, bytes) = print(&c, fields);
        let body = String::from_utf8_lossy(&bytes);
        assert_eq!(status, 422, "{fields:?}: {body}");
        assert!(kind.starts_with("text/html"));
        assert!(body.contains(expected), "{expected}: {body}");
    }
    // An account with nothing overdue gets no warning letter.
    let (status, _, _, bytes) = print(&c, &[("stage", "sp2"), ("accounts", "A-002")]);
    assert_eq!(status, 422);
    assert!(String::from_utf8_lossy(&bytes).contains("A-002"));
    let (status, _, _, _) = print(&c, &[("stage", "sp1"), ("min_dpd", "tiga")]);
    assert_eq!(status, 422);
    assert!(letters_of(&app).is_empty());
}

#[test]
fn only_supervisors_managers_and_admins_print_letters() {
    let app = TestApp::spawn();
    for who in ["kolektor_a", "kepatuhan_a"] {
        assert_eq!(app.logged_in(who).get("/surat").status, 403, "{who}");
    }
    for who in ["supervisor_a", "manajer_a", "admin"] {
        assert_eq!(app.logged_in(who).get("/surat").status, 200, "{who}");
    }
    let c = app.logged_in("kolektor_a");
    let token = c.csrf();
    let r = c.post_form(
        "/surat/cetak",
        &[
            ("csrf_token", &token),
            ("stage", "sp1"),
            ("accounts", "A-001"),
        ],
    );
    assert_eq!(r.status, 403);
    assert!(letters_of(&app).is_empty());
}

fn proof(
    c: &crate::support::Client,
    tracking: &str,
    on: &str,
    outcome: &str,
    file: Option<(&str, &str, &[u8])>,
) -> crate::support::Reply {
    let token = c.csrf();
    let fields = [
        ("csrf_token", token.as_str()),
        ("tracking", tracking),
        ("outcome", outcome),
        ("on", on),
        ("received_by", "Siti (adik)"),
        ("note", "diterima di rumah"),
    ];
    match file {
        Some((name, kind, bytes)) => {
            c.post_multipart("/surat/bukti", &fields, &[("evidence", name, kind, bytes)])
        }
        None => c.post_multipart("/surat/bukti", &fields, &[]),
    }
}

#[test]
fn delivery_proof_is_recorded_once_and_shown_on_the_timeline() {
    let app = TestApp::spawn();
    let c = app.logged_in("supervisor_a");
    let (status, _, _, _) = print(&c, &[("stage", "sp1"), ("accounts", "A-001")]);
    assert_eq!(status, 200);
    let tracking = letters_of(&app)[0].data.tracking.clone();

    let r = proof(
        &c,
        &tracking,
        "2026-11-24",
        "delivered",
        Some(("resi.png", "image/png", PNG)),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some("/surat?ok=bukti"));
    let l = app
        .store
        .letter_by_tracking(app.a.id, &tracking)
        .expect("read")
        .expect("stored");
    assert_eq!(l.status, LetterStatus::Delivered);
    let p = l.proof.clone().expect("proof");
    assert_eq!(p.received_by, "Siti (adik)");
    assert_eq!(p.file.expect("file").file_name, "resi.png");
    assert!(c
        .get("/surat?ok=bukti")
        .body
        .contains("Bukti pengiriman surat tersimpan"));

    let workspace = c.get(&format!("/akun/{}", app.id("A-001"))).body;
    assert!(workspace.contains("Surat diterima"), "{workspace}");
    assert!(workspace.contains("Surat dicetak"));
    assert!(workspace.contains(&tracking));
    assert!(workspace.contains("Siti (adik)"));
    assert!(
        workspace.contains("id=\"letters\""),
        "the workspace lists the letters"
    );

    let again = proof(&c, &tracking, "2026-11-24", "returned", None);
    assert_eq!(again.status, 422);
    assert!(again.body.contains("sudah tercatat"), "{}", again.body);
}

#[test]
fn bad_proofs_are_refused_with_the_reason_and_change_nothing() {
    let app = TestApp::spawn();
    let c = app.logged_in("supervisor_a");
    let (status, _, _, _) = print(&c, &[("stage", "sp1"), ("accounts", "A-001")]);
    assert_eq!(status, 200);
    let tracking = letters_of(&app)[0].data.tracking.clone();
    // Creditor B's letter, printed by its own staff.
    let theirs = app
        .store
        .record_letters(
            app.b.id,
            &[NewLetter {
                account: AccountId(app.id("B-001")),
                stage: Stage::Sp1,
                number: "SP1/B/2026/11/B-001".into(),
                tracking: "SPKB0000000001".into(),
                template: None,
            }],
            app.clock_now(),
            &Actor::system("test"),
        )
        .expect("their letter");
    let cases = [
        (
            proof(&c, &tracking, "2026-11-25", "delivered", None),
            "Tanggal tidak boleh di masa depan",
        ),
        (
            proof(&c, &tracking, "2026-11-20", "delivered", None),
            "sebelum surat dicetak",
        ),
        (
            proof(&c, &tracking, "24/11/2026", "delivered", None),
            "Tanggal tidak valid",
        ),
        (
            proof(&c, &tracking, "2026-11-24", "lost", None),
            "Pilih hasil",
        ),
        (
            proof(&c, "SPKNOSUCH0000", "2026-11-24", "delivered", None),
            "Nomor lacak tidak ditemukan",
        ),
        (
            proof(
                &c,
                &theirs[0].data.tracking,
                "2026-11-24",
                "delivered",
                None,
            ),
            "Nomor lacak tidak ditemukan",
        ),
        (
            proof(
                &c,
                &tracking,
                "2026-11-24",
                "delivered",
                Some(("resi.png", "image/png", b"MZ exe")),
            ),
            "Berkas bukti ditolak",
        ),
    ];
    for (r, expected) in cases {
        assert_eq!(r.status, 422, "{expected}: {}", r.body);
        assert!(r.body.contains(expected), "{expected}: {}", r.body);
    }
    let ours = app
        .store
        .letter_by_tracking(app.a.id, &tracking)
        .unwrap()
        .unwrap();
    assert_eq!(ours.status, LetterStatus::Printed);
    let still = app
        .store
        .letter_by_tracking(app.b.id, &theirs[0].data.tracking)
        .unwrap()
        .unwrap();
    assert_eq!(still.status, LetterStatus::Printed);
    // Another creditor's letter cannot be marked sent either.
    let token = c.csrf();
    let r = c.post_form(
        &format!("/surat/{}/kirim", theirs[0].data.tracking),
        &[("csrf_token", &token)],
    );
    assert_eq!(r.status, 404);
    let r = c.post_form(
        &format!("/surat/{tracking}/kirim"),
        &[("csrf_token", &token)],
    );
    assert_eq!(r.status, 303);
    let sent = app
        .store
        .letter_by_tracking(app.a.id, &tracking)
        .unwrap()
        .unwrap();
    assert_eq!(sent.status, LetterStatus::Sent);
}

/// Queues: A-001 due now, A-001 waiting for the morning, A-003 blocked, B-001 due.
fn seed_messages(app: &TestApp) {
    let now = app.clock_now();
    let msg = |account: &str, key: &str, body: &str, not_before| NewMessage {
        account: AccountId(app.id(account)),
        channel: Channel::Whatsapp,
        party: Party::Debtor,
        recipient: Recipient::Phone(phone(1)),
        template: None,
        subject: None,
        body: body.into(),
        idempotency_key: key.into(),
        user: None,
        not_before,
    };
    let cli = Actor::system("test");
    let store = &app.store;
    store
        .enqueue_message(
            app.a.id,
            &msg("A-001", "k1", "Yth. Ibu, tagihan jatuh tempo.", now),
            None,
            now,
            &cli,
        )
        .unwrap();
    store
        .enqueue_message(
            app.a.id,
            &msg("A-001", "k2", "Pengingat pagi.", now + Duration::hours(12)),
            Some(&Hold::Wait("contact_hours".into())),
            now,
            &cli,
        )
        .unwrap();
    store
        .enqueue_message(
            app.a.id,
            &msg("A-003", "k3", "Teks kasar yang diblokir.", now),
            Some(&Hold::Block(Refusal {
                rule: "insult".into(),
                detail: "bodoh".into(),
            })),
            now,
            &cli,
        )
        .unwrap();
    store
        .enqueue_message(
            app.b.id,
            &msg("B-001", "k4", "Pesan kreditur lain.", now),
            None,
            now,
            &cli,
        )
        .unwrap();
}

#[test]
fn the_outbox_page_filters_by_status_masks_recipients_and_keeps_creditors_apart() {
    let app = TestApp::spawn();
    seed_messages(&app);
    let c = app.logged_in("supervisor_a");
    let all = c.get("/kotak-keluar");
    assert_eq!(all.status, 200);
    assert!(all.body.contains("Jumlah: 3"), "{}", all.body);
    assert!(all.body.contains(&phone(1).masked()));
    assert!(!all.body.contains(phone(1).as_str()), "an unmasked phone");
    assert!(!all.body.contains("Pesan kreditur lain"));
    assert!(all.body.contains(&format!("/akun/{}", app.id("A-001"))));

    let blocked = c.get("/kotak-keluar?status=blocked");
    assert!(blocked.body.contains("Jumlah: 1"));
    assert!(blocked.body.contains("insult: bodoh"));
    assert!(!blocked.body.contains("Pengingat pagi"));
    let waiting = c.get("/kotak-keluar?status=waiting&channel=whatsapp");
    assert!(waiting.body.contains("Jumlah: 1"));
    assert!(waiting.body.contains("Pengingat pagi"));
    // The next allowed time in the debtor's zone (Jawa Barat: WIB), 12 hours on.
    assert!(
        waiting.body.contains("22.00 WIB") || waiting.body.contains("22:00 WIB"),
        "{}",
        waiting.body
    );
    assert!(c
        .get("/kotak-keluar?channel=sms")
        .body
        .contains("Jumlah: 0"));

    let bad = c.get("/kotak-keluar?status=lost");
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Saringan tidak dikenal"));

    assert_eq!(
        app.logged_in("kepatuhan_a").get("/kotak-keluar").status,
        200
    );
    assert_eq!(app.logged_in("kolektor_a").get("/kotak-keluar").status, 403);
}

#[test]
fn the_outbox_api_answers_the_same_filtered_masked_and_per_creditor() {
    let app = TestApp::spawn();
    seed_messages(&app);
    let c = app.client();
    let auth = bearer(&app.tokens["supervisor_a"]);
    let r = c.get_with("/api/v1/outbox", &[("authorization", &auth)]);
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["total"], 3);
    assert_eq!(v["per_page"], 50);
    assert!(!r.body.contains(phone(1).as_str()));
    assert!(!r.body.contains("Pesan kreditur lain"));
    let blocked = c
        .get_with("/api/v1/outbox?status=blocked", &[("authorization", &auth)])
        .json();
    assert_eq!(blocked["total"], 1);
    let m = &blocked["messages"][0];
    assert_eq!(m["rule"], "insult");
    assert_eq!(m["account_no"], "A-003");
    assert_eq!(m["recipient"], phone(1).masked());
    assert!(
        m["not_before"].is_null(),
        "a blocked message has no next time"
    );
    let waiting = c
        .get_with("/api/v1/outbox?status=waiting", &[("authorization", &auth)])
        .json();
    assert_eq!(waiting["messages"][0]["status"], "waiting");
    assert!(waiting["messages"][0]["not_before_local"]
        .as_str()
        .unwrap()
        .ends_with("WIB"));
    let bad = c.get_with("/api/v1/outbox?status=lost", &[("authorization", &auth)]);
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("status"));
    let bad = c.get_with("/api/v1/outbox?channel=letter", &[("authorization", &auth)]);
    assert_eq!(bad.status, 422);
    let collector = bearer(&app.tokens["kolektor_a"]);
    assert_eq!(
        c.get_with("/api/v1/outbox", &[("authorization", &collector)])
            .status,
        403
    );
    let doc = c.get("/api/v1/openapi.json").json();
    assert!(doc["paths"]["/api/v1/outbox"]["get"].is_object());
}
