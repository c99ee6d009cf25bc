//! The channel adapters against local stand-ins of their providers: the request each
//! sends, and what a refusal, a "try later", silence and a hang-up become.

use chrono::Utc;
use sepakat_domain::compliance::{Channel, Party};
use sepakat_engine::outbox::{
    sms, whatsapp, Adapter, Secret, SendError, Sms, SmsSettings, Smtp, SmtpSettings, SmtpTls,
    Whatsapp, WhatsappSettings,
};
use sepakat_store::{
    AccountId, CreditorId, Message, MessageId, MessageStatus, NewMessage, Recipient,
};

use super::stand_in::{ca_file, Answer, HttpStandIn, Security, SmtpMode, SmtpStandIn};

/// A message as the dispatcher hands it over.
pub fn message(channel: Channel, to: &str, body: &str) -> Message {
    let now = Utc::now();
    Message {
        id: MessageId(42),
        creditor: CreditorId(7),
        data: NewMessage {
            account: AccountId(1),
            channel,
            party: Party::Debtor,
            recipient: Recipient::parse(channel, to).expect("recipient"),
            template: None,
            subject: (channel == Channel::Email).then(|| "Pengingat tagihan Anda".to_string()),
            body: body.to_string(),
            idempotency_key: "k".into(),
            user: None,
            not_before: now,
        },
        status: MessageStatus::Sending,
        refusal: None,
        attempts: 1,
        attempted_at: Some(now),
        lease: None,
        provider_id: None,
        last_error: None,
        created_at: now,
        updated_at: now,
    }
}

/// Settings for a plain stand-in on this host (a local relay: no TLS).
pub fn smtp_settings(server: &SmtpStandIn) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port: server.addr.port(),
        tls: SmtpTls::None,
        username: "sepakat".into(),
        password: Secret("rahasia".into()),
        from: "tagihan@bank-a.co.id".into(),
        timeout_ms: 500,
        ..SmtpSettings::default()
    }
}

fn smtp(server: &SmtpStandIn) -> Smtp {
    Smtp::from_settings(&smtp_settings(server))
        .expect("valid")
        .expect("on")
}

fn decoded_body(data: &str) -> String {
    use base64::Engine as _;
    let (_, body) = data.split_once("\r\n\r\n").expect("headers end");
    let joined: String = body.split("\r\n").collect();
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(joined)
            .expect("base64 body"),
    )
    .expect("utf-8")
}

#[test]
fn smtp_delivers_the_mail_with_a_stable_message_id_auth_and_utf8_body() {
    let server = SmtpStandIn::start(SmtpMode::Accept);
    let adapter = smtp(&server);
    let body = "Yth. Ibu Siti,\ntagihan Rp1.250.000 jatuh tempo.\n.\nTerima kasih.";
    let m = message(Channel::Email, "siti@contoh.co.id", body);
    let id = adapter.send(&m).expect("sent");
    assert_eq!(id, "<sepakat-7-42@bank-a.co.id>");
    let mails = server.received();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.from, "<tagihan@bank-a.co.id>");
    assert_eq!(mail.to, "<siti@contoh.co.id>");
    use base64::Engine as _;
    let auth = base64::engine::general_purpose::STANDARD
        .decode(mail.auth.as_deref().expect("auth"))
        .expect("base64");
    assert_eq!(auth, b"\0sepakat\0rahasia");
    assert!(mail
        .data
        .contains("Message-ID: <sepakat-7-42@bank-a.co.id>\r\n"));
    assert!(mail
        .data
        .contains("Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_eq!(decoded_body(&mail.data), body.replace('\n', "\r\n"));
    // The same message gets the same Message-ID again.
    assert_eq!(adapter.send(&m).expect("again"), id);
}

#[test]
fn smtp_refusal_is_final_and_try_later_is_retryable() {
    let refusing = SmtpStandIn::start(SmtpMode::RefuseRecipient);
    let m = message(Channel::Email, "siti@contoh.co.id", "Halo");
    match smtp(&refusing).send(&m) {
        Err(SendError::Refused(e)) => assert!(e.contains("550") && e.contains("RCPT"), "{e}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let busy = SmtpStandIn::start(SmtpMode::TryLater);
    match smtp(&busy).send(&m) {
        Err(SendError::Unavailable(e)) => assert!(e.contains("451"), "{e}"),
        other => panic!("expected try later, got {other:?}"),
    }
    assert!(refusing.received().is_empty() && busy.received().is_empty());
}

#[test]
fn smtp_silence_before_data_is_retryable_but_a_hang_up_after_it_is_in_doubt() {
    let m = message(Channel::Email, "siti@contoh.co.id", "Halo");
    let silent = SmtpStandIn::start(SmtpMode::Silent);
    assert!(matches!(
        smtp(&silent).send(&m),
        Err(SendError::Unavailable(_))
    ));
    let hang_up = SmtpStandIn::start(SmtpMode::HangUpAfterData);
    match smtp(&hang_up).send(&m) {
        Err(SendError::Unknown(e)) => assert!(e.contains("DATA end"), "{e}"),
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    assert_eq!(hang_up.received().len(), 1, "the server did get the mail");
}

#[test]
fn smtp_refuses_a_nowhere_server_and_bad_settings() {
    // A closed port: nothing was handed over.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let settings = SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        tls: SmtpTls::None,
        from: "tagihan@bank-a.co.id".into(),
        timeout_ms: 500,
        ..SmtpSettings::default()
    };
    let adapter = Smtp::from_settings(&settings).expect("valid").expect("on");
    let m = message(Channel::Email, "siti@contoh.co.id", "Halo");
    assert!(matches!(adapter.send(&m), Err(SendError::Unavailable(_))));
    assert!(Smtp::from_settings(&SmtpSettings::default())
        .expect("off")
        .is_none());
    let no_from = SmtpSettings {
        from: "tagihan".into(),
        ..settings.clone()
    };
    assert!(Smtp::from_settings(&no_from)
        .expect_err("from")
        .contains("smtp.from"));
    let remote_password = SmtpSettings {
        host: "smtp.example.com".into(),
        username: "u".into(),
        password: Secret("geheim-123".into()),
        ..settings
    };
    let err = Smtp::from_settings(&remote_password).expect_err("cleartext password");
    assert!(err.contains("smtp.tls") && !err.contains("geheim"), "{err}");
    let missing_ca = SmtpSettings {
        tls: SmtpTls::Starttls,
        ca_file: "/nonexistent/ca.pem".into(),
        ..remote_password
    };
    let err = Smtp::from_settings(&missing_ca).expect_err("ca file");
    assert!(err.contains("smtp.ca_file"), "{err}");
}

fn tls_settings(server: &SmtpStandIn, tls: SmtpTls) -> SmtpSettings {
    SmtpSettings {
        host: "localhost".into(),
        tls,
        ca_file: ca_file(),
        ..smtp_settings(server)
    }
}

#[test]
fn smtp_upgrades_with_starttls_before_auth_and_speaks_implicit_tls() {
    let m = message(Channel::Email, "siti@contoh.co.id", "Halo");
    for (security, tls) in [
        (Security::Starttls, SmtpTls::Starttls),
        (Security::Implicit, SmtpTls::Tls),
    ] {
        let server = SmtpStandIn::start_with(SmtpMode::Accept, security);
        let adapter = Smtp::from_settings(&tls_settings(&server, tls))
            .expect("valid")
            .expect("on");
        adapter.send(&m).expect("sent over TLS");
        let mails = server.received();
        assert_eq!(mails.len(), 1);
        assert!(
            mails[0].tls,
            "{security:?}: the mail and the AUTH went over TLS"
        );
        assert!(mails[0].auth.is_some());
    }
}

#[test]
fn smtp_refuses_a_server_without_starttls_or_with_an_untrusted_certificate() {
    let m = message(Channel::Email, "siti@contoh.co.id", "Halo");
    let plain = SmtpStandIn::start_with(SmtpMode::Accept, Security::Plain);
    let adapter = Smtp::from_settings(&tls_settings(&plain, SmtpTls::Starttls))
        .expect("valid")
        .expect("on");
    match adapter.send(&m) {
        Err(SendError::Unavailable(e)) => assert!(e.contains("STARTTLS"), "{e}"),
        other => panic!("expected a refusal to go on without TLS, got {other:?}"),
    }
    assert!(
        plain.received().is_empty(),
        "no password, no mail in the clear"
    );
    // The Mozilla roots do not know the test CA.
    let tls = SmtpStandIn::start_with(SmtpMode::Accept, Security::Starttls);
    let untrusted = SmtpSettings {
        ca_file: String::new(),
        ..tls_settings(&tls, SmtpTls::Starttls)
    };
    let adapter = Smtp::from_settings(&untrusted).expect("valid").expect("on");
    match adapter.send(&m) {
        Err(SendError::Unavailable(e)) => assert!(e.to_lowercase().contains("certificate"), "{e}"),
        other => panic!("expected a certificate error, got {other:?}"),
    }
    assert!(tls.received().is_empty());
}

fn whatsapp_adapter(server: &HttpStandIn) -> Whatsapp {
    Whatsapp::from_settings(&WhatsappSettings {
        base_url: server.url(),
        phone_number_id: "1234567890".into(),
        token: Secret("EAAG-token".into()),
        timeout_ms: 500,
        ..WhatsappSettings::default()
    })
    .expect("valid")
    .expect("on")
}

#[test]
fn whatsapp_posts_a_cloud_api_text_message_and_returns_the_wamid() {
    let server = HttpStandIn::start(Answer::Json(
        200,
        r#"{"messaging_product":"whatsapp","contacts":[{"input":"6281234567890","wa_id":"6281234567890"}],"messages":[{"id":"wamid.HBgLNjI4"}]}"#.into(),
    ));
    let m = message(
        Channel::Whatsapp,
        "0812-3456-7890",
        "Yth. Ibu Siti, tagihan Anda…",
    );
    assert_eq!(
        whatsapp_adapter(&server).send(&m).expect("sent"),
        "wamid.HBgLNjI4"
    );
    let got = server.received();
    assert_eq!(got.len(), 1);
    let r = &got[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/v21.0/1234567890/messages");
    assert_eq!(r.header("authorization"), Some("Bearer EAAG-token"));
    assert_eq!(
        r.json(),
        serde_json::json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "6281234567890",
            "type": "text",
            "text": {"preview_url": false, "body": "Yth. Ibu Siti, tagihan Anda…"},
            "biz_opaque_callback_data": "sepakat-7-42",
        })
    );
}

#[test]
fn whatsapp_errors_are_refused_retried_or_in_doubt_by_what_meta_said() {
    let m = message(Channel::Whatsapp, "0812-3456-7890", "Halo");
    let bad = HttpStandIn::start(Answer::Json(
        400,
        r#"{"error":{"message":"(#131030) Recipient phone number not in allowed list","type":"OAuthException","code":131030}}"#.into(),
    ));
    match whatsapp_adapter(&bad).send(&m) {
        Err(SendError::Refused(e)) => {
            assert!(e.contains("131030") && e.contains("HTTP 400"), "{e}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let limited = HttpStandIn::start(Answer::Json(
        429,
        r#"{"error":{"message":"rate limit"}}"#.into(),
    ));
    assert!(matches!(
        whatsapp_adapter(&limited).send(&m),
        Err(SendError::Unavailable(_))
    ));
    let token = HttpStandIn::start(Answer::Json(
        401,
        r#"{"error":{"message":"expired"}}"#.into(),
    ));
    assert!(matches!(
        whatsapp_adapter(&token).send(&m),
        Err(SendError::Unavailable(_))
    ));
    let silent = HttpStandIn::start(Answer::Silent);
    assert!(matches!(
        whatsapp_adapter(&silent).send(&m),
        Err(SendError::Unknown(_))
    ));
    let odd = HttpStandIn::start(Answer::Json(200, r#"{"messages":[]}"#.into()));
    assert!(matches!(
        whatsapp_adapter(&odd).send(&m),
        Err(SendError::Unknown(_))
    ));
}

#[test]
fn whatsapp_settings_need_a_token_and_a_number_id() {
    let mut s = WhatsappSettings {
        phone_number_id: "123".into(),
        ..WhatsappSettings::default()
    };
    assert!(Whatsapp::from_settings(&s)
        .expect_err("token")
        .contains("whatsapp.token"));
    s.token = Secret("t".into());
    s.phone_number_id = "12a".into();
    assert!(Whatsapp::from_settings(&s)
        .expect_err("id")
        .contains("phone_number_id"));
    assert!(Whatsapp::from_settings(&WhatsappSettings::default())
        .expect("off")
        .is_none());
}

#[test]
fn whatsapp_webhook_statuses_become_receipts() {
    let payload = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
        "messaging_product":"whatsapp","metadata":{"phone_number_id":"1234567890"},
        "statuses":[
          {"id":"wamid.A","status":"sent","timestamp":"1764561600","recipient_id":"6281234567890"},
          {"id":"wamid.A","status":"delivered","timestamp":"1764561660","recipient_id":"6281234567890","biz_opaque_callback_data":"sepakat-7-42"},
          {"id":"wamid.B","status":"failed","timestamp":"1764561700","recipient_id":"6281234567891",
           "errors":[{"code":131026,"title":"Message undeliverable"}]}
        ]}}]}]}"#;
    let got = whatsapp::receipts(payload).expect("parsed");
    assert_eq!(got.len(), 2);
    assert!(got[0].delivered);
    assert_eq!(got[0].provider_id.as_deref(), Some("wamid.A"));
    assert_eq!(got[0].referenced(), Some((CreditorId(7), MessageId(42))));
    assert_eq!(got[0].at.timestamp(), 1_764_561_660);
    assert!(!got[1].delivered);
    assert_eq!(got[1].detail, "failed: 131026 Message undeliverable");
    assert!(whatsapp::receipts("{")
        .expect_err("json")
        .contains("not JSON"));
    assert!(whatsapp::receipts("{}")
        .expect_err("entry")
        .contains("entry"));
    let no_time =
        r#"{"entry":[{"changes":[{"value":{"statuses":[{"id":"x","status":"read"}]}}]}]}"#;
    assert!(whatsapp::receipts(no_time)
        .expect_err("time")
        .contains("timestamp"));
}

fn sms_adapter(server: &HttpStandIn, dedupes: bool) -> Sms {
    Sms::from_settings(&SmsSettings {
        url: format!("{}/api/sms", server.url()),
        token: Secret("gw-token".into()),
        dedupes_reference: dedupes,
        timeout_ms: 500,
        ..SmsSettings::default()
    })
    .expect("valid")
    .expect("on")
}

#[test]
fn sms_posts_the_documented_json_and_reads_the_gateway_id() {
    let server = HttpStandIn::start(Answer::Json(
        200,
        r#"{"id":"gw-991","status":"accepted"}"#.into(),
    ));
    let m = message(
        Channel::Sms,
        "+6281234567890",
        "Yth. Ibu Siti, tagihan Anda…",
    );
    let adapter = sms_adapter(&server, true);
    assert!(adapter.dedupes());
    assert_eq!(adapter.send(&m).expect("sent"), "gw-991");
    let r = &server.received()[0];
    assert_eq!(r.path, "/api/sms");
    assert_eq!(r.header("authorization"), Some("Bearer gw-token"));
    assert_eq!(
        r.json(),
        serde_json::json!({"to": "+6281234567890", "text": "Yth. Ibu Siti, tagihan Anda…",
                           "sender": "SEPAKAT", "reference": "sepakat-7-42"})
    );
    let numeric = HttpStandIn::start(Answer::Json(201, r#"{"message_id":991}"#.into()));
    assert_eq!(sms_adapter(&numeric, false).send(&m).expect("sent"), "991");
}

#[test]
fn sms_failures_and_bad_settings_say_what_is_wrong() {
    let m = message(Channel::Sms, "+6281234567890", "Halo");
    let down = HttpStandIn::start(Answer::Json(503, "gateway down".into()));
    match sms_adapter(&down, false).send(&m) {
        Err(SendError::Unavailable(e)) => {
            assert!(e.contains("503") && e.contains("gateway down"), "{e}")
        }
        other => panic!("expected unavailable, got {other:?}"),
    }
    let bad = HttpStandIn::start(Answer::Json(422, r#"{"message":"invalid number"}"#.into()));
    assert!(
        matches!(sms_adapter(&bad, false).send(&m), Err(SendError::Refused(e)) if e.contains("invalid number"))
    );
    let bad_url = SmsSettings {
        url: "ftp://x".into(),
        ..SmsSettings::default()
    };
    assert!(Sms::from_settings(&bad_url)
        .expect_err("url")
        .contains("sms.url"));
}

#[test]
fn sms_delivery_reports_become_receipts() {
    let now = Utc::now();
    let r = sms::receipt(
        r#"{"id":"gw-1","reference":"sepakat-7-42","status":"delivered"}"#,
        now,
    )
    .expect("ok");
    assert!(r.delivered);
    assert_eq!(r.referenced(), Some((CreditorId(7), MessageId(42))));
    let f = sms::receipt(
        r#"{"id":"gw-1","status":"failed","error":"absent subscriber"}"#,
        now,
    )
    .expect("ok");
    assert_eq!(f.detail, "failed: absent subscriber");
    assert!(sms::receipt(r#"{"status":"delivered"}"#, now)
        .expect_err("ids")
        .contains("neither"));
    assert!(sms::receipt(r#"{"id":"x","status":"queued"}"#, now)
        .expect_err("status")
        .contains("queued"));
}
