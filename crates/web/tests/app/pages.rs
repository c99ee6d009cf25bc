//! The UI pages: portfolio, search, account detail, tenant isolation, language.

use crate::support::{nik, phone, TestApp};

#[test]
fn a_supervisor_sees_the_portfolio_in_indonesian() {
    let app = TestApp::spawn();
    let c = app.logged_in("supervisor_a");
    let r = c.get("/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<html lang=\"id\">"));
    assert!(r.body.contains("Ikhtisar Portofolio"));
    assert!(r.body.contains("Kolektibilitas"));
    assert!(
        r.body.contains("Dalam Perhatian Khusus"),
        "A-001 at 75 DPD is class 2 for a bank"
    );
    assert!(r.body.contains("Macet"));
    assert!(r.body.contains("KTA"));
    assert!(r.body.contains("Faktur"));
    assert!(r.body.contains("61-90"), "the DPD buckets are shown");
    assert!(
        r.body.contains("id=\"total-accounts\">3<"),
        "three open accounts of creditor A"
    );
    assert!(
        !r.body.contains("Pinjaman Daring"),
        "creditor B's products are not shown"
    );
}

#[test]
fn a_collector_is_sent_from_the_portfolio_to_the_worklist() {
    let app = TestApp::spawn();
    let c = app.logged_in("kolektor_a");
    let r = c.get("/");
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some("/kerja"));
    assert_eq!(c.get("/kerja").status, 200);
    let search = c.get("/akun");
    assert_eq!(search.status, 200);
    assert!(search.body.contains("id=\"q\""));
    assert!(
        !search.body.contains(">Portofolio<"),
        "no portfolio link for collectors"
    );
}

#[test]
fn search_by_name_nik_and_phone_finds_the_account_and_shows_only_masked_values() {
    let app = TestApp::spawn();
    let c = app.logged_in("kolektor_a");
    let full_nik = nik(1);
    let full_phone = phone(1);
    for q in [
        "Siti".to_string(),
        full_nik.as_str().to_string(),
        "08123450001".to_string(),
        full_phone.as_str().to_string(),
    ] {
        let r = c.get(&format!("/akun?q={}", urlencoding::encode(&q)));
        assert_eq!(r.status, 200);
        assert!(r.body.contains("A-001"), "search {q:?} finds A-001");
        assert!(!r.body.contains("A-002"), "search {q:?} finds only A-001");
        assert!(r.body.contains(&full_nik.masked()), "masked NIK shown");
        assert!(r.body.contains(&full_phone.masked()), "masked phone shown");
        let page_without_query = r.body.replace(&format!("value=\"{q}\""), "");
        assert!(
            !page_without_query.contains(full_nik.as_str()),
            "full NIK never shown"
        );
        assert!(
            !page_without_query.contains(full_phone.as_str()),
            "full phone never shown"
        );
        assert!(
            r.body.contains("Rp1.060.000"),
            "outstanding formatted as rupiah"
        );
    }
    let none = c.get("/akun?q=Zzzz");
    assert!(none.body.contains("Tidak ada rekening yang cocok."));
    let by_product = c.get("/akun?produk=kpr");
    assert!(by_product.body.contains("A-002") && !by_product.body.contains("A-001"));
    assert_eq!(c.get("/akun?produk=saham").status, 400);
}

#[test]
fn hostile_search_text_is_escaped() {
    let app = TestApp::spawn();
    let c = app.logged_in("kolektor_a");
    let r = c.get("/akun?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("<script>alert(1)"));
    assert!(r.body.contains("&lt;script&gt;"));
}

#[test]
fn the_account_detail_shows_the_debtor_masked_with_province_and_zone_and_is_audited() {
    let app = TestApp::spawn();
    let c = app.logged_in("supervisor_a");
    let id = app.id("A-001");
    let r = c.get(&format!("/akun/{id}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Siti Rahayu"));
    assert!(r.body.contains("Jawa Barat (WIB)"));
    assert!(r.body.contains(&nik(1).masked()));
    assert!(!r.body.contains(nik(1).as_str()));
    assert!(!r.body.contains(phone(1).as_str()));
    assert!(r.body.contains("Tunggakan pokok"));
    assert!(
        r.body.contains("id=\"dpd\">75<"),
        "10 Sep to 24 Nov is 75 days"
    );
    assert!(r.body.contains("2 – Dalam Perhatian Khusus"));
    assert!(r.body.contains("Jadwal angsuran"), "the schedule is shown");
    assert!(r.body.contains("Tertunggak") && r.body.contains("Lunas"));
    assert!(
        r.body.contains("Jejak audit"),
        "supervisors see the audit trail"
    );
    let audit = app.audit(app.a.id, id);
    assert!(audit
        .iter()
        .any(|e| e.entry.action == "account.viewed" && e.entry.actor.name == "supervisor_a"));
}

#[test]
fn a_collector_does_not_see_the_audit_trail_on_the_detail_page() {
    let app = TestApp::spawn();
    let c = app.logged_in("kolektor_a");
    let r = c.get(&format!("/akun/{}", app.id("A-001")));
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("Jejak audit"));
}

#[test]
fn opening_another_creditors_account_by_url_is_a_404_and_an_access_denied_entry() {
    let app = TestApp::spawn();
    let c = app.logged_in("kolektor_a");
    let foreign = app.id("B-001");
    let r = c.get(&format!("/akun/{foreign}"));
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Tidak ditemukan"));
    assert!(!r.body.contains("Dewi Lestari"));
    let denied = app.audit(app.a.id, foreign);
    assert!(
        denied.iter().any(|e| e.entry.action == "access.denied"
            && e.entry.actor.name == "kolektor_a"
            && e.entry.detail["attempted_id"].as_str() == Some(foreign.to_string().as_str())),
        "{denied:?}"
    );
    assert!(app
        .audit(app.b.id, foreign)
        .iter()
        .all(|e| e.entry.action != "account.viewed"));
    assert_eq!(c.get("/akun/999999").status, 404);
    assert_eq!(c.get("/akun/abc").status, 404);
}

#[test]
fn the_language_switch_turns_the_ui_english_and_back() {
    let app = TestApp::spawn();
    let c = app.logged_in("supervisor_a");
    let r = c.get_with(
        "/bahasa/en",
        &[("referer", &format!("{}/akun?q=Siti", app.base))],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some("/akun?q=Siti"));
    let page = c.get("/");
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.body.contains("Portfolio Overview"));
    assert!(page.body.contains("Special mention"));
    assert_eq!(c.get("/bahasa/id").location.as_deref(), Some("/"));
    assert!(c.get("/").body.contains("Ikhtisar Portofolio"));
    assert_eq!(c.get("/bahasa/fr").status, 404);
    assert_eq!(
        c.get("/bahasa/en?next=//evil.example").location.as_deref(),
        Some("/"),
        "never redirects off-site"
    );
}

#[test]
fn pages_need_a_session() {
    let app = TestApp::spawn();
    let c = app.client();
    for path in ["/", "/akun", "/akun/1"] {
        let r = c.get(path);
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(r.location.as_deref(), Some("/login"), "{path}");
    }
    assert_eq!(c.get("/no/such/page").status, 404);
}
