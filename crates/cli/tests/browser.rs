//! End-to-end in a real browser: `sepakat demo` serves, headless Chromium (driven through
//! chromedriver's WebDriver API) logs in as a supervisor, sees the portfolio in Bahasa
//! Indonesia and opens an account page.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test says so and
//! passes, unless SEPAKAT_REQUIRE_BROWSER=1 (CI), where it fails.

mod support;

use support::browser::{Browser, Chromedriver};
use support::demo_server;

fn browser_available() -> bool {
    let found = std::process::Command::new("chromedriver")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var("SEPAKAT_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "SEPAKAT_REQUIRE_BROWSER=1 but chromedriver is not installed"
        );
        eprintln!("skipping the browser test: chromedriver is not installed");
    }
    found
}

#[test]
fn supervisor_logs_in_sees_the_portfolio_and_opens_an_account() {
    if !browser_available() {
        return;
    }
    let server = demo_server::start(300);
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver);

    log_in(&browser, &server.base_url, "supervisor");

    let overview = browser.source_with("Kolektibilitas");
    assert!(
        overview.contains("Kolektibilitas"),
        "portfolio page lacks Kolektibilitas"
    );
    assert!(
        overview.contains("Lancar"),
        "portfolio page lacks the class names"
    );
    browser.screenshot("portfolio");

    browser.goto(&format!("{}/akun", server.base_url));
    browser.find("a[href^='/akun/']").click();
    let detail = browser.source_with("DPD");
    assert!(detail.contains("DPD"), "account page lacks DPD");
    let masked_nik = regex_like_masked_nik(&detail);
    assert!(masked_nik, "account page shows no masked NIK");
    browser.screenshot("account");

    // The same pages on a phone, for people to look at.
    browser.resize(390, 844);
    browser.screenshot("account-phone");
    browser.goto(&format!("{}/", server.base_url));
    browser.screenshot("portfolio-phone");
}

#[test]
fn collector_takes_the_next_account_logs_a_call_with_a_promise_and_sees_it_on_the_timeline() {
    if !browser_available() {
        return;
    }
    let server = demo_server::start(2000);
    // Enough accounts that the demo collector has work assigned to them.
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver);

    log_in(&browser, &server.base_url, "kolektor");
    let list = browser.source_with("Daftar kerja hari ini");
    assert!(list.contains("Ambil akun berikutnya"), "no worklist page");
    browser.screenshot("worklist");

    browser.find("#next-account").click();
    let workspace = browser.source_with("Catat kontak");
    assert!(
        workspace.contains("Akun ini Anda pegang sampai"),
        "the account was not claimed"
    );
    assert!(workspace.contains("Panduan percakapan"), "no call script");

    // The debtor called in (an inbound call is not held to the contact window, so the
    // test does not depend on the hour it runs at) and promised to pay in three days.
    let promised_on = (chrono::Utc::now() + chrono::Duration::days(3)).format("%Y-%m-%d");
    browser.find("#direction option[value=inbound]").click();
    browser
        .find("#outcome option[value=promise_to_pay]")
        .click();
    browser.find("#reason option[value=forgot]").click();
    browser
        .find("#notes")
        .type_text("Debitur lupa tanggal jatuh tempo, berjanji membayar.");
    browser.find("#promise-amount").type_text("100.000");
    browser.execute(&format!(
        "document.getElementById('promise-date').value = '{promised_on}';"
    ));
    browser.screenshot("workspace-form");
    browser.find("#save-contact").click();

    let saved = browser.source_with("Kontak tersimpan.");
    assert!(
        saved.contains("Kontak tersimpan."),
        "the contact was not saved"
    );
    assert!(
        saved.contains("Janji bayar dibuat"),
        "the promise is not on the timeline"
    );
    assert!(
        saved.contains("Rp100.000"),
        "the promised amount is not shown"
    );
    assert!(
        saved.contains("Sesuai pembicaraan kita") || saved.contains("sesuai pembicaraan kita"),
        "no recap"
    );
    browser.screenshot("workspace-saved");
    browser.resize(390, 844);
    browser.screenshot("workspace-phone");
}

#[test]
fn a_payment_keeps_the_promise_and_a_supervisor_reassigns_the_account() {
    if !browser_available() {
        return;
    }
    let server = demo_server::start(2000);
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver);
    let login = |user: &str| log_in(&browser, &server.base_url, user);

    // The collector records the debtor's promise (an inbound call, so the hour the test
    // runs at does not matter).
    login("kolektor");
    browser.source_with("Daftar kerja hari ini");
    browser.find("#next-account").click();
    let workspace = browser.source_with("Catat kontak");
    let form_at = workspace
        .find("/kontak\" enctype")
        .expect("the contact form names the account");
    let account_id = workspace[..form_at]
        .rsplit("/akun/")
        .next()
        .expect("the account id")
        .to_string();
    let account_no = between(
        &workspace,
        "<span class=\"mono\" id=\"account-no\">",
        "</span>",
    )
    .expect("the account number")
    .to_string();
    let promised_on = (chrono::Utc::now() + chrono::Duration::days(2)).format("%Y-%m-%d");
    browser.find("#direction option[value=inbound]").click();
    browser
        .find("#outcome option[value=promise_to_pay]")
        .click();
    browser.find("#promise-amount").type_text("150.000");
    browser.execute(&format!(
        "document.getElementById('promise-date').value = '{promised_on}';"
    ));
    browser.find("#save-contact").click();
    assert!(browser
        .source_with("Kontak tersimpan.")
        .contains("Janji bayar dibuat"));
    browser.find("#logout").click();

    // The supervisor posts the payment: the promise is kept, on the timeline.
    login("supervisor");
    browser.source_with("Kolektibilitas");
    browser.goto(&format!("{}/akun/{account_id}", server.base_url));
    browser.source_with("post-payment-button");
    browser.find("#payment-amount").type_text("150.000");
    browser
        .find("#payment-reference")
        .type_text("TRF-BROWSER-0001");
    browser.find("#post-payment-button").click();
    let paid = browser.source_with("Pembayaran tercatat.");
    assert!(
        paid.contains("Pembayaran tercatat."),
        "the payment was not posted"
    );
    assert!(
        paid.contains("Janji bayar selesai"),
        "the promise was not settled"
    );
    assert!(paid.contains("Ditepati"), "the promise is not kept");
    browser.screenshot("payment-keeps-promise");

    // And moves the account to another collector of the team.
    browser.goto(&format!("{}/tim", server.base_url));
    browser.source_with("reassign-button");
    browser.find("#reassign-accounts").type_text(&account_no);
    browser.find("#reassign-to option:nth-child(2)").click();
    browser.find("#reassign-button").click();
    let moved = browser.source_with("Rekening dialihkan:");
    assert!(
        moved.contains("Rekening dialihkan: 1"),
        "the account was not reassigned"
    );
    browser.screenshot("team-reassigned");
    browser.goto(&format!("{}/akun/{account_id}", server.base_url));
    assert!(
        browser
            .source_with("Akun dialihkan")
            .contains("Akun dialihkan"),
        "the reassignment is not on the timeline"
    );
}

#[test]
fn an_abusive_message_is_blocked_as_typed_and_the_polite_rewrite_is_queued() {
    if !browser_available() {
        return;
    }
    let server = demo_server::start(2000);
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver);
    log_in(&browser, &server.base_url, "kolektor");
    browser.source_with("Daftar kerja hari ini");
    browser.find("#next-account").click();
    browser.source_with("Kirim pesan ke debitur");

    browser
        .find("#message-text")
        .type_text("Woi bayar utangmu anjing, atau kami datangi rumahmu dan sebarkan ke tetangga");
    let marker = "<p class=\"alert\">Pesan ini tidak boleh dikirim:</p>";
    let blocked = browser.source_with(marker);
    assert!(
        blocked.contains(marker),
        "the guard did not block as the text was typed"
    );
    let result = between(&blocked, "id=\"guard-result\"", "</div>").unwrap_or_default();
    assert!(
        result.contains("<li"),
        "the guard names no finding: {result}"
    );
    browser.screenshot("message-blocked");

    let text = browser.find("#message-text");
    text.clear();
    text.type_text(
        "Selamat siang Bapak/Ibu, kami mengingatkan tagihan yang telah jatuh tempo. \
         Mohon kabari kami rencana pembayarannya. Terima kasih.",
    );
    let marker = "<p class=\"ok\">Bahasa pesan sesuai.</p>";
    let fine = browser.source_with(marker);
    assert!(fine.contains(marker), "the polite text is not cleared");
    browser.find("#send-message").click();
    let queued = browser.source_with("Pesan masuk antrean.");
    assert!(
        queued.contains("Pesan masuk antrean."),
        "the message was not queued"
    );
    assert!(
        queued.contains("Dalam antrean"),
        "no queued message on the account"
    );
    assert!(
        queued.contains("paling cepat"),
        "no next allowed time shown"
    );
    browser.screenshot("message-queued");
}

#[test]
fn collector_offers_beyond_authority_supervisor_approves_and_the_agreement_pdf_holds_the_amounts() {
    if !browser_available() {
        return;
    }
    let server = demo_server::start(2000);
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver);
    let login = |user: &str| log_in(&browser, &server.base_url, user);

    // The collector takes an account, opens the desk and offers an option beyond their
    // authority (the demo collector may not restructure nor go beyond 12 months).
    login("kolektor");
    browser.source_with("Daftar kerja hari ini");
    browser.find("#next-account").click();
    browser.source_with("Catat kontak");
    browser.find("#open-desk").click();
    browser.source_with("Kemampuan bayar debitur");
    browser.find("#income").type_text("7.500.000");
    browser.find("#expenses").type_text("3.000.000");
    browser.find("#dependants").type_text("2");
    // 18 months is beyond the collector's 12 and within the supervisor's 60.
    browser.find("#tenor").type_text("18");
    browser.find("#compute").click();
    let options = browser.source_with("Opsi pembayaran");
    assert!(
        options.contains("Perlu persetujuan Supervisor"),
        "no option a supervisor may approve"
    );
    browser.screenshot("desk-options");
    // The first option beyond the collector's authority that a supervisor may approve
    // (others may need a manager, depending on the account the worklist hands out).
    browser.execute(
        "for (const card of document.querySelectorAll('article.option.beyond')) {\
           const badge = card.querySelector('.badge.no');\
           if (badge && badge.textContent.includes('Supervisor')) {\
             card.querySelector('button[name=option]').click();\
             break;\
           }\
         }",
    );
    let offer = browser.source_with("Menunggu persetujuan atasan");
    assert!(
        offer.contains("Menunggu persetujuan atasan"),
        "the offer is not waiting for approval"
    );
    browser.find("#logout").click();

    // The supervisor approves it from the queue and records the debtor's acceptance.
    login("supervisor");
    browser.goto(&format!("{}/persetujuan", server.base_url));
    browser.source_with("Antrean persetujuan penawaran");
    browser.screenshot("approval-queue");
    browser.find("a[id^=review-]").click();
    browser.source_with("decide-form");
    browser
        .find("#decision-reason")
        .type_text("Penghasilan dan tanggungan sudah diverifikasi.");
    browser.find("#approve").click();
    let approved = browser.source_with("Keputusan tersimpan.");
    assert!(approved.contains("Disetujui"), "the offer was not approved");
    browser.find("#accept-offer").click();
    let accepted = browser.source_with("Rekap kesepakatan");
    assert!(
        accepted.contains("Diterima debitur"),
        "the offer was not accepted"
    );
    browser.screenshot("offer-accepted");
    let total = between(&accepted, "<strong id=\"total-paid\">", "</strong>")
        .expect("the agreed total")
        .to_string();
    let schedule: Vec<String> = between(&accepted, "id=\"offer-schedule\"", "</table>")
        .expect("the schedule table")
        .split("<td class=\"num\">")
        .skip(1)
        .filter_map(|cell| cell.split("</td>").next())
        .map(str::to_string)
        .collect();
    assert!(!schedule.is_empty(), "no schedule on the offer page");

    // The agreement downloads in the browser's session; pdftotext reads the amounts back.
    let b64 = browser.execute_async(
        "const done = arguments[arguments.length - 1];\
         fetch(document.getElementById('agreement-link').href, {credentials: 'same-origin'})\
           .then(r => r.arrayBuffer())\
           .then(b => { let s = ''; for (const x of new Uint8Array(b)) s += String.fromCharCode(x); done(btoa(s)); })\
           .catch(e => done('error: ' + e));",
    );
    let b64 = b64.as_str().expect("base64 text");
    use base64::Engine;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap_or_else(|_| panic!("not base64: {b64}"));
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("agreement.pdf");
    std::fs::write(&file, &pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args([file.to_str().unwrap(), "-"])
        .output();
    let Ok(out) = out else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is required in CI"
        );
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("SURAT PERNYATAAN KESANGGUPAN PEMBAYARAN"),
        "{text}"
    );
    assert!(
        text.contains(&total),
        "{total} not in the agreement: {text}"
    );
    for amount in schedule.iter().filter(|a| a.starts_with("Rp")) {
        assert!(
            text.contains(amount.as_str()),
            "{amount} not in the agreement"
        );
    }
}

/// Opens the login page and signs in as `user` with the demo password.
fn log_in(browser: &Browser, base_url: &str, user: &str) {
    browser.goto(&format!("{base_url}/login"));
    browser.find("#username").type_text(user);
    browser.find("#password").type_text(demo_server::PASSWORD);
    browser.find("button[type=submit]").click();
}

/// The text between the first `start` and the next `end`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = page.find(start)? + start.len();
    let to = page[from..].find(end)? + from;
    Some(&page[from..to])
}

/// True when the page holds a masked NIK (`dddd********dddd`) and no 16-digit run.
fn regex_like_masked_nik(page: &str) -> bool {
    let bytes = page.as_bytes();
    let has_masked = bytes.windows(16).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit)
            && w[4..12].iter().all(|b| *b == b'*')
            && w[12..].iter().all(u8::is_ascii_digit)
    });
    let has_full = bytes.windows(18).any(|w| {
        !w[0].is_ascii_digit() && w[1..17].iter().all(u8::is_ascii_digit) && !w[17].is_ascii_digit()
    });
    has_masked && !has_full
}

#[test]
fn supervisor_counts_a_letter_batch_and_reads_the_outbox_at_laptop_and_phone_widths() {
    if !browser_available() {
        return;
    }
    let server = demo_server::start(300);
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver);
    browser.resize(1366, 900);
    log_in(&browser, &server.base_url, "supervisor");
    browser.source_with("Kolektibilitas");

    browser.goto(&format!("{}/surat", server.base_url));
    browser.find("#min-dpd").type_text("90");
    browser.find("#count-button").click();
    let counted = browser.source_with("id=\"count\"");
    assert!(
        counted.contains("Akun yang cocok"),
        "no count on the letter page"
    );
    assert!(counted.contains("Catat bukti terima"), "no proof form");
    browser.screenshot("letters");
    browser.resize(390, 844);
    browser.screenshot("letters-phone");

    browser.resize(1366, 900);
    browser.goto(&format!("{}/kotak-keluar", server.base_url));
    let outbox = browser.source_with("Kotak keluar");
    assert!(
        outbox.contains("outbox-filters"),
        "no filters on the outbox"
    );
    browser.screenshot("outbox");
    browser.resize(390, 844);
    browser.screenshot("outbox-phone");
}
