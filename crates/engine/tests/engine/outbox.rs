//! The outbox end to end on a real store: composing through the guard and the gate,
//! dispatching through the adapters to local stand-ins, and the bad cases of issue 6 —
//! a paused account, a third party told of the debt, outside the window, a cap, an SMTP
//! server that refuses or times out, a crash mid-send — each ending in a clear status or
//! a later send time, never a wrong send and never a lost message.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use sepakat_domain::compliance::{Channel, Gate, Party};
use sepakat_domain::interaction::PauseReason;
use sepakat_domain::template::Catalogue;
use sepakat_domain::{FixedClock, Guard};
use sepakat_engine::outbox::{
    adapters, Adapters, Composer, Content, Dispatcher, Extras, OutboxSettings, Request, Secret,
    SmsSettings, SmtpSettings, WhatsappSettings,
};
use sepakat_engine::outbox::{sms::receipt, whatsapp};
use sepakat_engine::ImportKind;
use sepakat_store::{AccountDetail, Actor, Creditor, Message, MessageStatus, NewPause, Store};

use super::outbox_adapters::smtp_settings;
use super::stand_in::{Answer, HttpStandIn, SmtpMode, SmtpStandIn};
use super::support::{col, csv, dir, import, row, store, write, HEADER};

/// Tuesday 24 November 2026, 10.00 WIB.
fn morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 3, 0, 0)
        .single()
        .expect("instant")
}

struct Desk {
    store: Arc<dyn Store>,
    creditor: Creditor,
    account: AccountDetail,
    gate: Gate,
    guard: Guard,
    catalogue: Catalogue,
    clock: FixedClock,
}

fn desk() -> Desk {
    let (store, id) = store();
    let d = dir();
    let mut r = row(1);
    r.push("siti@contoh.co.id".into());
    let mut r2 = row(2);
    r2[col("no_hp")] = "0813-1111-2222".into();
    r2[col("nik")] = "3201011503850002".into();
    r2[col("nama")] = "Agus Salim".into();
    r2.push(String::new());
    let path = write(d.path(), "a.csv", csv(&format!("{HEADER},email"), &[r, r2]));
    import(store.as_ref(), &path, ImportKind::Accounts).expect("import");
    let account = store
        .account_by_number(id, "ACC-1")
        .expect("read")
        .expect("imported");
    Desk {
        creditor: store.creditor(id).expect("read").expect("creditor"),
        store,
        account,
        gate: Gate::shipped(),
        guard: Guard::shipped(),
        catalogue: Catalogue::shipped(),
        clock: FixedClock::new(morning()),
    }
}

fn extras() -> Extras {
    Extras {
        payment_link: Some("https://bayar.bank-a.co.id/ACC-1".into()),
        official_contact: Some("1500-123".into()),
        collector: Some("Andi".into()),
        deadline_days: Some(7),
    }
}

impl Desk {
    fn compose(&self, channel: Channel, party: Party, content: Content) -> Message {
        self.try_compose(channel, party, content).expect("composed")
    }

    fn try_compose(
        &self,
        channel: Channel,
        party: Party,
        content: Content,
    ) -> Result<Message, sepakat_engine::outbox::ComposeError> {
        let composer = Composer {
            store: self.store.as_ref(),
            creditor: &self.creditor,
            guard: &self.guard,
            gate: &self.gate,
            catalogue: &self.catalogue,
        };
        let request = Request {
            account: self.account.clone(),
            channel,
            party,
            to: None,
            content,
            extras: extras(),
            idempotency_key: None,
            user: None,
        };
        composer.compose(request, self.clock.now(), &Actor::system("test"))
    }

    fn dispatch(
        &self,
        adapters: &Adapters,
        settings: &OutboxSettings,
    ) -> sepakat_engine::outbox::Round {
        self.dispatcher(adapters, settings, "d1")
            .drain()
            .expect("dispatch")
    }

    fn dispatcher<'a>(
        &'a self,
        adapters: &'a Adapters,
        settings: &'a OutboxSettings,
        owner: &str,
    ) -> Dispatcher<'a> {
        Dispatcher {
            store: self.store.as_ref(),
            gate: &self.gate,
            adapters,
            settings,
            clock: &self.clock,
            owner: owner.to_string(),
        }
    }

    fn message(&self, m: &Message) -> Message {
        self.store
            .messages(self.creditor.id, Some(self.account.id))
            .expect("list")
            .into_iter()
            .find(|x| x.id == m.id)
            .expect("stored")
    }
}

use sepakat_domain::Clock;

fn email_only(server: &SmtpStandIn) -> Adapters {
    adapters(
        &smtp_settings(server),
        &WhatsappSettings::default(),
        &SmsSettings::default(),
    )
    .expect("valid")
}

fn text(body: &str) -> Content {
    Content::Text {
        subject: Some("Informasi tagihan".into()),
        body: body.into(),
    }
}

#[test]
fn a_template_email_is_rendered_sent_once_and_counted_against_the_cap() {
    let d = desk();
    let server = SmtpStandIn::start(SmtpMode::Accept);
    let a = email_only(&server);
    let m = d.compose(
        Channel::Email,
        Party::Debtor,
        Content::Template("early_email".into()),
    );
    assert_eq!(m.status, MessageStatus::Queued);
    assert_eq!(m.data.not_before, morning());
    assert!(m.data.body.contains("Rp1.175.000"), "{}", m.data.body);
    // The same request again the same day queues nothing new.
    let again = d.compose(
        Channel::Email,
        Party::Debtor,
        Content::Template("early_email".into()),
    );
    assert_eq!(again.id, m.id);
    let round = d.dispatch(&a, &OutboxSettings::default());
    assert_eq!((round.leased, round.sent), (1, 1));
    assert_eq!(d.dispatch(&a, &OutboxSettings::default()).leased, 0);
    assert_eq!(server.received().len(), 1, "sent exactly once");
    let sent = d.message(&m);
    assert_eq!(sent.status, MessageStatus::Sent);
    assert_eq!(
        sent.provider_id,
        Some(format!("<sepakat-{}-{}@bank-a.co.id>", d.creditor.id, m.id))
    );
    // One e-mail a day: another one today waits for tomorrow 08.00 WIB.
    let second = d.compose(
        Channel::Email,
        Party::Debtor,
        text("Mohon konfirmasi pembayaran Anda."),
    );
    assert_eq!(second.status, MessageStatus::Queued);
    assert_eq!(
        second.refusal.as_ref().map(|r| r.rule.as_str()),
        Some("daily_cap")
    );
    assert_eq!(
        second.data.not_before,
        Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0)
            .single()
            .expect("t")
    );
    assert_eq!(d.dispatch(&a, &OutboxSettings::default()).leased, 0);
    // The workbench's gate sees the e-mail too.
    let facts = sepakat_store::gate::ContactFacts::load(
        d.store.as_ref(),
        d.creditor.id,
        &d.account,
        morning(),
    )
    .expect("facts");
    let gate = facts.decide(
        &d.gate,
        Channel::Email,
        Party::Debtor,
        morning() + Duration::hours(1),
    );
    assert_eq!(gate.rule.code(), "daily_cap");
}

#[test]
fn a_text_the_guard_blocks_is_stored_blocked_with_the_words_and_never_sent() {
    let d = desk();
    let server = SmtpStandIn::start(SmtpMode::Accept);
    let m = d.compose(
        Channel::Email,
        Party::Debtor,
        text("Bayar sekarang, dasar anjing, atau kami sebar data Anda."),
    );
    assert_eq!(m.status, MessageStatus::Blocked);
    let refusal = m.refusal.expect("rule");
    assert_eq!(refusal.rule, "insult");
    assert!(refusal.detail.contains("«anjing»"), "{}", refusal.detail);
    assert_eq!(
        d.dispatch(&email_only(&server), &OutboxSettings::default())
            .leased,
        0
    );
    assert!(server.received().is_empty());
}

#[test]
fn a_paused_account_or_a_third_party_gets_a_blocked_message_with_the_rule() {
    let d = desk();
    let server = SmtpStandIn::start(SmtpMode::Accept);
    let a = email_only(&server);
    let third = d.compose(
        Channel::Email,
        Party::Family,
        text("Informasi tagihan a.n. Budi."),
    );
    assert_eq!(third.status, MessageStatus::Blocked);
    assert_eq!(
        third.refusal.expect("rule").rule,
        "third_party_debt_details"
    );
    // Queued first, then the account is paused before the dispatcher runs.
    let queued = d.compose(Channel::Email, Party::Debtor, text("Pengingat pembayaran."));
    assert_eq!(queued.status, MessageStatus::Queued);
    let today = morning().date_naive();
    d.store
        .pause_account(
            d.creditor.id,
            &NewPause {
                account: d.account.id,
                reason: PauseReason::Dispute,
                note: "sanggahan".into(),
                starts_on: today,
                ends_on: None,
            },
            morning(),
            &Actor::system("test"),
        )
        .expect("pause");
    let round = d.dispatch(&a, &OutboxSettings::default());
    assert_eq!(round.blocked, 1);
    let blocked = d.message(&queued);
    assert_eq!(blocked.status, MessageStatus::Blocked);
    assert_eq!(blocked.refusal.expect("rule").rule, "paused");
    let later = d.compose(Channel::Email, Party::Debtor, text("Pengingat kedua."));
    assert_eq!(later.status, MessageStatus::Blocked);
    assert!(server.received().is_empty());
}

#[test]
fn a_message_outside_the_window_waits_for_the_next_allowed_time_then_goes() {
    let d = desk();
    let server = SmtpStandIn::start(SmtpMode::Accept);
    let a = email_only(&server);
    d.clock.set(morning() + Duration::hours(11)); // 21.00 WIB
    let m = d.compose(Channel::Email, Party::Debtor, text("Pengingat pembayaran."));
    let next = Utc
        .with_ymd_and_hms(2026, 11, 25, 1, 0, 0)
        .single()
        .expect("08.00 WIB");
    assert_eq!((m.status, m.data.not_before), (MessageStatus::Queued, next));
    assert_eq!(
        m.refusal.as_ref().map(|r| r.rule.as_str()),
        Some("outside_hours")
    );
    assert_eq!(d.dispatch(&a, &OutboxSettings::default()).leased, 0);
    d.clock.set(next);
    assert_eq!(d.dispatch(&a, &OutboxSettings::default()).sent, 1);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn the_dispatcher_asks_the_gate_again_and_defers_to_its_next_allowed_time() {
    let d = desk();
    let server = SmtpStandIn::start(SmtpMode::Accept);
    let m = d.compose(Channel::Email, Party::Debtor, text("Pengingat pembayaran."));
    // The dispatcher only gets to it at 20.30 WIB.
    d.clock.set(morning() + Duration::minutes(630));
    let round = d.dispatch(&email_only(&server), &OutboxSettings::default());
    assert_eq!(round.deferred, 1);
    let waiting = d.message(&m);
    assert_eq!(waiting.status, MessageStatus::Queued);
    assert_eq!(waiting.refusal.expect("rule").rule, "outside_hours");
    assert_eq!(
        waiting.data.not_before,
        Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0)
            .single()
            .expect("t")
    );
    assert!(server.received().is_empty());
}

#[test]
fn a_refusing_smtp_server_fails_the_message_and_a_silent_one_is_retried_with_backoff() {
    let d = desk();
    let refusing = SmtpStandIn::start(SmtpMode::RefuseRecipient);
    let m = d.compose(Channel::Email, Party::Debtor, text("Pengingat pembayaran."));
    assert_eq!(
        d.dispatch(&email_only(&refusing), &OutboxSettings::default())
            .failed,
        1
    );
    let failed = d.message(&m);
    assert_eq!(failed.status, MessageStatus::Failed);
    assert!(failed.last_error.expect("error").contains("550"));

    let d = desk();
    let silent = SmtpStandIn::start(SmtpMode::Silent);
    let a = email_only(&silent);
    let settings = OutboxSettings {
        max_attempts: 2,
        backoff_seconds: 60,
        ..OutboxSettings::default()
    };
    let m = d.compose(Channel::Email, Party::Debtor, text("Pengingat pembayaran."));
    assert_eq!(d.dispatch(&a, &settings).retried, 1);
    let waiting = d.message(&m);
    assert_eq!(waiting.status, MessageStatus::Queued);
    assert_eq!(waiting.attempts, 1);
    assert!(waiting.data.not_before >= d.clock.now() + Duration::seconds(60));
    assert!(waiting
        .last_error
        .as_deref()
        .expect("error")
        .contains("greeting"));
    assert_eq!(waiting.attempt(), None, "a failed try is no contact");
    d.clock.set(waiting.data.not_before);
    assert_eq!(
        d.dispatch(&a, &settings).failed,
        1,
        "second and last attempt"
    );
    let failed = d.message(&m);
    assert_eq!(failed.status, MessageStatus::Failed);
    assert!(failed
        .last_error
        .expect("error")
        .contains("after 2 attempts"));
}

#[test]
fn a_send_interrupted_by_a_crash_is_never_sent_twice() {
    let d = desk();
    let server = SmtpStandIn::start(SmtpMode::Accept);
    let a = email_only(&server);
    let m = d.compose(Channel::Email, Party::Debtor, text("Pengingat pembayaran."));
    // A dispatcher leases it, records the attempt, and dies before it hears back.
    let now = d.clock.now();
    d.store
        .lease_messages("dead", now, now + Duration::minutes(5), 10)
        .expect("lease");
    d.store
        .start_attempt(m.id, "dead", now, &Actor::system("test"))
        .expect("start");
    assert_eq!(
        d.dispatch(&a, &OutboxSettings::default()).leased,
        0,
        "its lease still holds"
    );
    d.clock.advance(Duration::minutes(6));
    assert_eq!(d.dispatch(&a, &OutboxSettings::default()).failed, 1);
    let doubt = d.message(&m);
    assert_eq!(doubt.status, MessageStatus::Failed);
    assert!(doubt.last_error.expect("error").contains("in doubt"));
    assert!(server.received().is_empty(), "not sent again");
    // The provider's receipt can still prove it delivered.
    let r = receipt(
        &format!(
            r#"{{"reference":"{}","status":"delivered"}}"#,
            m.reference()
        ),
        d.clock.now(),
    );
    let mut r = r.expect("receipt");
    r.channel = Channel::Email;
    let delivered = d
        .store
        .record_receipt(&r, &Actor::system("test"))
        .expect("receipt")
        .expect("found");
    assert_eq!(delivered.status, MessageStatus::Delivered);
}

#[test]
fn an_interrupted_sms_is_resent_with_the_same_reference_when_the_gateway_drops_repeats() {
    let d = desk();
    let gateway = HttpStandIn::start(Answer::Json(200, r#"{"id":"gw-1"}"#.into()));
    let sms = SmsSettings {
        url: format!("{}/send", gateway.url()),
        token: Secret("t".into()),
        dedupes_reference: true,
        timeout_ms: 500,
        ..SmsSettings::default()
    };
    let a = adapters(&SmtpSettings::default(), &WhatsappSettings::default(), &sms).expect("valid");
    let m = d.compose(
        Channel::Sms,
        Party::Debtor,
        Content::Text {
            subject: None,
            body: "Pengingat pembayaran.".into(),
        },
    );
    let now = d.clock.now();
    d.store
        .lease_messages("dead", now, now + Duration::minutes(5), 10)
        .expect("lease");
    d.store
        .start_attempt(m.id, "dead", now, &Actor::system("test"))
        .expect("start");
    d.clock.advance(Duration::minutes(6));
    // Its own interrupted attempt does not count against the one-SMS-a-day cap.
    assert_eq!(d.dispatch(&a, &OutboxSettings::default()).sent, 1);
    let got = gateway.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].json()["reference"], m.reference());
    let sent = d.message(&m);
    assert_eq!((sent.status, sent.attempts), (MessageStatus::Sent, 2));
}

#[test]
fn whatsapp_goes_through_the_cloud_api_and_its_webhook_marks_it_delivered() {
    let d = desk();
    let meta = HttpStandIn::start(Answer::Json(
        200,
        r#"{"messages":[{"id":"wamid.X1"}]}"#.into(),
    ));
    let wa = WhatsappSettings {
        base_url: meta.url(),
        phone_number_id: "109".into(),
        token: Secret("tok".into()),
        timeout_ms: 500,
        ..WhatsappSettings::default()
    };
    let a = adapters(&SmtpSettings::default(), &wa, &SmsSettings::default()).expect("valid");
    let m = d.compose(
        Channel::Whatsapp,
        Party::Debtor,
        Content::Template("early_whatsapp".into()),
    );
    assert_eq!(d.dispatch(&a, &OutboxSettings::default()).sent, 1);
    let body = meta.received()[0].json();
    assert_eq!(body["to"], "6281234567890");
    assert_eq!(body["text"]["body"], m.data.body);
    let payload = r#"{"entry":[{"changes":[{"value":{"statuses":[{"id":"wamid.X1","status":"delivered","timestamp":"1764561660"}]}}]}]}"#;
    for r in whatsapp::receipts(payload).expect("payload") {
        d.store
            .record_receipt(&r, &Actor::system("test"))
            .expect("receipt");
    }
    assert_eq!(d.message(&m).status, MessageStatus::Delivered);
}

#[test]
fn a_channel_without_an_adapter_waits_and_bad_requests_store_nothing() {
    let d = desk();
    let m = d.compose(
        Channel::Sms,
        Party::Debtor,
        Content::Text {
            subject: None,
            body: "Halo".into(),
        },
    );
    let round = d.dispatch(&Adapters::default(), &OutboxSettings::default());
    assert_eq!(round.deferred, 1);
    let waiting = d.message(&m);
    assert_eq!(waiting.status, MessageStatus::Queued);
    assert_eq!(
        waiting.refusal.expect("rule").rule,
        "channel_not_configured"
    );
    use sepakat_engine::outbox::ComposeError as E;
    let err = d
        .try_compose(
            Channel::Sms,
            Party::Debtor,
            Content::Template("early_email".into()),
        )
        .expect_err("channel");
    assert!(matches!(err, E::WrongChannel { .. }), "{err}");
    let err = d
        .try_compose(
            Channel::Email,
            Party::Debtor,
            Content::Template("nope".into()),
        )
        .expect_err("unknown");
    assert!(err.to_string().contains("nope"));
    let err = d
        .try_compose(
            Channel::Email,
            Party::Debtor,
            Content::Text {
                subject: None,
                body: "x".into(),
            },
        )
        .expect_err("subject");
    assert!(err.to_string().contains("subject"));
    let err = d
        .try_compose(
            Channel::Whatsapp,
            Party::Debtor,
            Content::Template("promise_recap_whatsapp".into()),
        )
        .expect_err("no promise");
    assert!(err.to_string().contains("jumlah_janji"), "{err}");
    let other = d
        .store
        .account_by_number(d.creditor.id, "ACC-2")
        .expect("read")
        .expect("ACC-2");
    let composer = Composer {
        store: d.store.as_ref(),
        creditor: &d.creditor,
        guard: &d.guard,
        gate: &d.gate,
        catalogue: &d.catalogue,
    };
    let no_email = Request {
        account: other,
        channel: Channel::Email,
        party: Party::Debtor,
        to: None,
        content: text("x"),
        extras: extras(),
        idempotency_key: None,
        user: None,
    };
    let err = composer
        .compose(no_email.clone(), d.clock.now(), &Actor::system("t"))
        .expect_err("no address");
    assert!(err.to_string().contains("no email address"), "{err}");
    let bad = Request {
        to: Some("not-an-address".into()),
        ..no_email
    };
    assert!(composer
        .compose(bad, d.clock.now(), &Actor::system("t"))
        .expect_err("bad")
        .to_string()
        .starts_with("to:"));
    assert_eq!(
        d.store.messages(d.creditor.id, None).expect("list").len(),
        1
    );
}

fn officer(d: &Desk, username: &str, role: sepakat_domain::Role) -> Actor {
    let u = d
        .store
        .create_user(
            &sepakat_store::NewUser {
                username: username.into(),
                full_name: username.into(),
                role,
                password_hash: "x".into(),
                creditors: vec![d.creditor.id],
            },
            &Actor::system("test"),
        )
        .expect("user");
    Actor::user(u.id, &u.username)
}

#[test]
fn the_creditors_approved_version_replaces_the_default_once_approved() {
    use sepakat_domain::template::Stage;
    use sepakat_engine::templates::{template_in_force, TemplateSource};
    let d = desk();
    let writer = officer(&d, "penyelia", sepakat_domain::Role::Supervisor);
    let checker = officer(&d, "kepatuhan", sepakat_domain::Role::Compliance);
    let own = sepakat_store::NewTemplateVersion {
        stage: Stage::Early,
        channel: Channel::Whatsapp,
        subject: None,
        body: "Halo {{sapaan}}, tagihan {{nomor_akun}} {{tunggakan}}. Versi kreditur.".into(),
        note: None,
    };
    let v = d
        .store
        .add_template_version(d.creditor.id, &own, Some(&d.guard), morning(), &writer)
        .expect("submitted");
    // Pending: the default still speaks.
    let before = d.compose(
        Channel::Whatsapp,
        Party::Debtor,
        Content::Template("early_whatsapp".into()),
    );
    assert!(
        !before.data.body.contains("Versi kreditur"),
        "{}",
        before.data.body
    );
    assert_eq!(before.data.template.as_deref(), Some("early_whatsapp"));
    d.store
        .decide_template_version(d.creditor.id, v.id, true, "", &d.guard, morning(), &checker)
        .expect("approved");
    let in_force = template_in_force(
        d.store.as_ref(),
        d.creditor.id,
        &d.catalogue,
        Stage::Early,
        Channel::Whatsapp,
    )
    .expect("read")
    .expect("some");
    assert_eq!(
        in_force.source,
        TemplateSource::Version {
            id: v.id,
            number: 1
        }
    );
    let after = d.compose(
        Channel::Whatsapp,
        Party::Debtor,
        Content::Template("early_whatsapp".into()),
    );
    assert!(
        after.data.body.contains("Versi kreditur"),
        "{}",
        after.data.body
    );
    assert!(after.data.body.contains("ACC-1"), "{}", after.data.body);
    assert_eq!(after.data.template.as_deref(), Some("early_whatsapp@v1"));
    // Another stage keeps the default.
    let sp1 = template_in_force(
        d.store.as_ref(),
        d.creditor.id,
        &d.catalogue,
        Stage::Sp1,
        Channel::Letter,
    )
    .expect("read")
    .expect("default");
    assert_eq!(sp1.source, TemplateSource::Default);
    assert_eq!(sp1.label(), "sp1_letter");
}
