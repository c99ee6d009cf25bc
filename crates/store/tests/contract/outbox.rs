//! Contract: the outbox (`OutboxStore`): a key queues one message; a blocked message is
//! never leased; one dispatcher at a time holds a message, also under concurrent
//! dispatchers; the attempt is written before the send, so a send interrupted by a crash
//! comes back in doubt instead of being lost or silently resent; receipts move a message
//! once; every change is an event and an audit entry on the account.

use chrono::Duration;
use sepakat_domain::compliance::{Channel, Party};
use sepakat_store::{
    AccountId, CreditorId, EntityRef, Hold, Message, MessageStatus, NewMessage, Receipt, Recipient,
    Refusal, Settle, Store, StoreError,
};

use super::fixtures::*;

/// A creditor with `n` accounts.
fn bank(store: &dyn Store, code: &str, n: u32) -> (CreditorId, Vec<AccountId>) {
    let c = creditor(store, code);
    let rows = (0..n)
        .map(|i| {
            account(
                u64::from(i) + 1,
                &format!("{code}-{i:05}"),
                person(&format!("{code}-{i}"), "Debitur", i + 1),
            )
        })
        .collect();
    import(store, c.id, rows);
    let ids = (0..n)
        .map(|i| {
            store
                .account_by_number(c.id, &format!("{code}-{i:05}"))
                .expect("read")
                .expect("imported")
                .id
        })
        .collect();
    (c.id, ids)
}

fn whatsapp(account: AccountId, key: &str, hours: i64) -> NewMessage {
    NewMessage {
        account,
        channel: Channel::Whatsapp,
        party: Party::Debtor,
        recipient: Recipient::Phone(phone(1)),
        template: Some("early_whatsapp".into()),
        subject: None,
        body: "Yth. Ibu Debitur, tagihan Anda jatuh tempo.".into(),
        idempotency_key: key.into(),
        user: None,
        not_before: at(hours),
    }
}

fn queue(store: &dyn Store, c: CreditorId, new: &NewMessage) -> Message {
    store
        .enqueue_message(c, new, None, at(0), &cli())
        .expect("enqueue")
}

fn actions(store: &dyn Store, c: CreditorId, account: AccountId) -> Vec<String> {
    let mut out: Vec<String> = store
        .audit_trail(c, &EntityRef::new("account", account), 100)
        .expect("audit")
        .into_iter()
        .map(|e| e.entry.action)
        .filter(|a| a.starts_with("message."))
        .collect();
    out.reverse();
    out
}

pub fn a_repeated_key_queues_one_message_and_another_creditor_is_apart(store: &dyn Store) {
    let (c, accounts) = bank(store, "OBX", 1);
    let (other, other_accounts) = bank(store, "OBY", 1);
    let first = queue(store, c, &whatsapp(accounts[0], "k1", 0));
    let again = queue(store, c, &whatsapp(accounts[0], "k1", 5));
    assert_eq!(first, again);
    assert_eq!(first.status, MessageStatus::Queued);
    assert_eq!(store.messages(c, None).expect("list").len(), 1);
    assert_eq!(actions(store, c, accounts[0]), vec!["message.queued"]);
    // The same key elsewhere is another creditor's own message.
    let theirs = queue(store, other, &whatsapp(other_accounts[0], "k1", 0));
    assert_ne!(theirs.id, first.id);
    assert_eq!(store.messages(c, Some(accounts[0])).expect("list").len(), 1);
    // Another creditor's account is not found, and nothing is stored.
    let err = store
        .enqueue_message(
            c,
            &whatsapp(other_accounts[0], "k2", 0),
            None,
            at(0),
            &cli(),
        )
        .expect_err("other creditor's account");
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    assert!(matches!(
        store.message_events(other, first.id),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.messages(c, None).expect("list").len(), 1);
}

pub fn bad_messages_are_refused_naming_the_field_and_store_nothing(store: &dyn Store) {
    let (c, accounts) = bank(store, "OBB", 1);
    let mut empty = whatsapp(accounts[0], "k1", 0);
    empty.body = "  ".into();
    let mut email_without_subject = whatsapp(accounts[0], "k2", 0);
    email_without_subject.channel = Channel::Email;
    email_without_subject.recipient =
        Recipient::parse(Channel::Email, "debitur@contoh.co.id").expect("email");
    let mut phone_for_email = email_without_subject.clone();
    phone_for_email.subject = Some("Tagihan".into());
    phone_for_email.recipient = Recipient::Phone(phone(1));
    let mut no_key = whatsapp(accounts[0], " ", 0);
    no_key.idempotency_key = " ".into();
    for (bad, field) in [
        (empty, "body"),
        (email_without_subject, "subject"),
        (phone_for_email, "recipient"),
        (no_key, "idempotency_key"),
    ] {
        let err = store
            .enqueue_message(c, &bad, None, at(0), &cli())
            .expect_err(field);
        assert!(err.to_string().contains(field), "{field}: {err}");
    }
    assert!(store.messages(c, None).expect("list").is_empty());
}

pub fn a_blocked_message_keeps_its_rule_and_is_never_leased(store: &dyn Store) {
    let (c, accounts) = bank(store, "OBL", 1);
    let refusal = Refusal {
        rule: "insult".into(),
        detail: "«anjing»".into(),
    };
    let m = store
        .enqueue_message(
            c,
            &whatsapp(accounts[0], "k1", 0),
            Some(&Hold::Block(refusal.clone())),
            at(0),
            &cli(),
        )
        .expect("stored blocked");
    assert_eq!(m.status, MessageStatus::Blocked);
    assert_eq!(m.refusal, Some(refusal));
    assert!(store
        .lease_messages("a", at(1), at(2), 10)
        .expect("lease")
        .is_empty());
    assert_eq!(actions(store, c, accounts[0]), vec!["message.blocked"]);
    let events = store.message_events(c, m.id).expect("events");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].detail.as_deref(), Some("insult: «anjing»"));
}

pub fn a_due_message_is_leased_to_one_dispatcher_until_its_lease_expires(store: &dyn Store) {
    let (c, accounts) = bank(store, "OBD", 1);
    let later = queue(store, c, &whatsapp(accounts[0], "later", 10));
    let due = queue(store, c, &whatsapp(accounts[0], "due", 0));
    let got = store
        .lease_messages("a", at(1), at(2), 10)
        .expect("lease a");
    assert_eq!(got.iter().map(|m| m.id).collect::<Vec<_>>(), vec![due.id]);
    assert_eq!(got[0].lease, Some(("a".to_string(), at(2))));
    assert!(store
        .lease_messages("b", at(1), at(3), 10)
        .expect("lease b")
        .is_empty());
    // Only the holder may start or finish it.
    assert!(matches!(
        store.start_attempt(due.id, "b", at(1), &cli()),
        Err(StoreError::Conflict(_))
    ));
    // A lease that ran out may be taken over; then the first holder is out.
    let taken = store
        .lease_messages("b", at(2), at(3), 10)
        .expect("take over");
    assert_eq!(taken.len(), 1);
    assert!(matches!(
        store.finish_message(
            due.id,
            "a",
            &Settle::Failed { error: "x".into() },
            at(2),
            &cli()
        ),
        Err(StoreError::Conflict(_))
    ));
    store
        .finish_message(
            due.id,
            "b",
            &Settle::Failed { error: "x".into() },
            at(2),
            &cli(),
        )
        .expect("holder finishes");
    // The later message becomes due in its time.
    let both = store
        .lease_messages("c", at(10), at(11), 10)
        .expect("lease later");
    assert_eq!(
        both.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![later.id]
    );
}

pub fn a_send_is_recorded_before_and_after_the_provider_call(store: &dyn Store) {
    let (c, accounts) = bank(store, "OBS", 1);
    let m = queue(store, c, &whatsapp(accounts[0], "k1", 0));
    store.lease_messages("a", at(1), at(2), 10).expect("lease");
    // A send result needs the attempt recorded first.
    let sent = Settle::Sent {
        provider_id: "wamid.1".into(),
    };
    assert!(matches!(
        store.finish_message(m.id, "a", &sent, at(1), &cli()),
        Err(StoreError::Conflict(_))
    ));
    let sending = store
        .start_attempt(m.id, "a", at(1), &cli())
        .expect("start");
    assert_eq!(sending.status, MessageStatus::Sending);
    assert_eq!(sending.attempts, 1);
    assert_eq!(sending.attempt(), Some((Channel::Whatsapp, at(1))));
    let done = store
        .finish_message(m.id, "a", &sent, at(1), &cli())
        .expect("sent");
    assert_eq!(done.status, MessageStatus::Sent);
    assert_eq!(done.provider_id.as_deref(), Some("wamid.1"));
    assert_eq!(done.lease, None);
    assert!(store
        .lease_messages("b", at(5), at(6), 10)
        .expect("lease")
        .is_empty());
    let statuses: Vec<MessageStatus> = store
        .message_events(c, m.id)
        .expect("events")
        .into_iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            MessageStatus::Queued,
            MessageStatus::Sending,
            MessageStatus::Sent
        ]
    );
    assert_eq!(
        actions(store, c, accounts[0]),
        vec!["message.queued", "message.sending", "message.sent"]
    );
    // A final status does not change again.
    assert!(matches!(
        store.finish_message(
            m.id,
            "a",
            &Settle::Failed { error: "x".into() },
            at(2),
            &cli()
        ),
        Err(StoreError::Conflict(_))
    ));
}

pub fn a_retry_or_a_wait_returns_the_message_to_the_queue_until_its_time(store: &dyn Store) {
    let (c, accounts) = bank(store, "OBR", 1);
    let m = queue(store, c, &whatsapp(accounts[0], "k1", 0));
    store.lease_messages("a", at(1), at(2), 10).expect("lease");
    store
        .start_attempt(m.id, "a", at(1), &cli())
        .expect("start");
    let retry = Settle::Retry {
        error: "timeout".into(),
        not_before: at(3),
    };
    let queued = store
        .finish_message(m.id, "a", &retry, at(1), &cli())
        .expect("retry");
    assert_eq!(queued.status, MessageStatus::Queued);
    assert_eq!(queued.data.not_before, at(3));
    assert_eq!(queued.last_error.as_deref(), Some("timeout"));
    assert_eq!(queued.attempt(), None, "a failed try is no contact");
    assert!(store
        .lease_messages("b", at(2), at(4), 10)
        .expect("early")
        .is_empty());
    let again = store.lease_messages("b", at(3), at(4), 10).expect("due");
    assert_eq!(again[0].attempts, 1);
    // The gate's wait: back to the queue with the rule, no attempt counted.
    let wait = Settle::Deferred {
        rule: "outside_hours".into(),
        not_before: at(20),
    };
    let waiting = store
        .finish_message(m.id, "b", &wait, at(3), &cli())
        .expect("defer");
    assert_eq!(waiting.status, MessageStatus::Queued);
    assert_eq!(waiting.data.not_before, at(20));
    assert_eq!(
        waiting.refusal.map(|r| r.rule).as_deref(),
        Some("outside_hours")
    );
    assert_eq!(waiting.attempts, 1);
}

pub fn a_send_interrupted_by_a_crash_comes_back_in_doubt(store: &dyn Store) {
    let (c, accounts) = bank(store, "OBC", 1);
    let m = queue(store, c, &whatsapp(accounts[0], "k1", 0));
    store.lease_messages("a", at(1), at(2), 10).expect("lease");
    store
        .start_attempt(m.id, "a", at(1), &cli())
        .expect("start");
    // Dispatcher "a" dies here. Before its lease ends nobody touches the message.
    assert!(store
        .lease_messages("b", at(1), at(3), 10)
        .expect("live")
        .is_empty());
    let back = store
        .lease_messages("b", at(2), at(3), 10)
        .expect("after expiry");
    assert_eq!(back.len(), 1);
    assert!(back[0].in_doubt());
    assert_eq!(back[0].attempts, 1);
    // Still counted as a contact attempt: it may have reached the debtor.
    assert_eq!(back[0].attempt(), Some((Channel::Whatsapp, at(1))));
    let failed = store
        .finish_message(
            m.id,
            "b",
            &Settle::Failed {
                error: "in doubt".into(),
            },
            at(2),
            &cli(),
        )
        .expect("fail");
    assert_eq!(failed.status, MessageStatus::Failed);
}

pub fn receipts_move_a_message_once_by_provider_id_or_reference(store: &dyn Store) {
    let (c, accounts) = bank(store, "OBT", 1);
    let sent = queue(store, c, &whatsapp(accounts[0], "k1", 0));
    let doubt = queue(store, c, &whatsapp(accounts[0], "k2", 0));
    store.lease_messages("a", at(1), at(2), 10).expect("lease");
    for m in [&sent, &doubt] {
        store
            .start_attempt(m.id, "a", at(1), &cli())
            .expect("start");
    }
    store
        .finish_message(
            sent.id,
            "a",
            &Settle::Sent {
                provider_id: "P1".into(),
            },
            at(1),
            &cli(),
        )
        .expect("sent");
    let receipt = |provider: Option<&str>, reference: Option<String>, delivered| Receipt {
        channel: Channel::Whatsapp,
        provider_id: provider.map(str::to_string),
        reference,
        delivered,
        detail: "delivered".into(),
        at: at(2),
    };
    let d = store
        .record_receipt(&receipt(Some("P1"), None, true), &cli())
        .expect("receipt");
    assert_eq!(d.map(|m| m.status), Some(MessageStatus::Delivered));
    let events = store.message_events(c, sent.id).expect("events").len();
    let again = store
        .record_receipt(&receipt(Some("P1"), None, true), &cli())
        .expect("again");
    assert_eq!(again.map(|m| m.status), Some(MessageStatus::Delivered));
    assert_eq!(
        store.message_events(c, sent.id).expect("events").len(),
        events
    );
    // A failure after delivery changes nothing.
    let late = store
        .record_receipt(&receipt(Some("P1"), None, false), &cli())
        .expect("late");
    assert_eq!(late.map(|m| m.status), Some(MessageStatus::Delivered));
    // The interrupted send is found by our reference and proven delivered.
    let doubted = store
        .messages(c, None)
        .expect("list")
        .into_iter()
        .find(|m| m.id == doubt.id);
    let reference = doubted.expect("listed").reference();
    let found = store
        .record_receipt(&receipt(Some("P2"), Some(reference), true), &cli())
        .expect("by reference")
        .expect("found");
    assert_eq!(found.status, MessageStatus::Delivered);
    assert_eq!(found.provider_id.as_deref(), Some("P2"));
    assert_eq!(found.lease, None);
    // Unknown ids, and references of another creditor or channel, match nothing.
    assert_eq!(
        store
            .record_receipt(&receipt(Some("nope"), None, true), &cli())
            .expect("none"),
        None
    );
    let mut other = receipt(None, Some(format!("sepakat-{}-{}", c.0 + 1, sent.id)), true);
    assert_eq!(store.record_receipt(&other, &cli()).expect("none"), None);
    other.reference = Some(format!("sepakat-{}-{}", c.0, sent.id));
    other.channel = Channel::Sms;
    assert_eq!(store.record_receipt(&other, &cli()).expect("none"), None);
}

pub fn a_message_waiting_for_the_gate_keeps_its_rule_until_it_is_due(store: &dyn Store) {
    let (c, accounts) = bank(store, "OBW", 1);
    let hold = Hold::Wait("outside_hours".into());
    let m = store
        .enqueue_message(
            c,
            &whatsapp(accounts[0], "k1", 12),
            Some(&hold),
            at(0),
            &cli(),
        )
        .expect("queued to wait");
    assert_eq!(m.status, MessageStatus::Queued);
    assert_eq!(
        m.refusal.as_ref().map(|r| r.rule.as_str()),
        Some("outside_hours")
    );
    assert!(store
        .lease_messages("a", at(11), at(12), 10)
        .expect("early")
        .is_empty());
    assert_eq!(
        store
            .lease_messages("a", at(12), at(13), 10)
            .expect("due")
            .len(),
        1
    );
    let events = store.message_events(c, m.id).expect("events");
    assert!(events[0]
        .detail
        .as_deref()
        .is_some_and(|d| d.starts_with("outside_hours; waits until")));
}

/// Concurrency: `threads` dispatchers (thread i on `stores[i % len]`) lease small batches
/// of `messages` due messages and send each, until none is left. Each message is sent
/// exactly once.
pub fn concurrent_dispatchers_never_send_a_message_twice(
    stores: &[&dyn Store],
    threads: usize,
    messages: u32,
) {
    let store = stores[0];
    let (c, accounts) = bank(store, "OBZ", 1);
    for i in 0..messages {
        queue(store, c, &whatsapp(accounts[0], &format!("k{i}"), 0));
    }
    let sent: Vec<Vec<i64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let store = stores[t % stores.len()];
                scope.spawn(move || {
                    let owner = format!("d{t}");
                    let mut mine = Vec::new();
                    loop {
                        let batch = store
                            .lease_messages(&owner, at(1), at(1) + Duration::hours(1), 3)
                            .expect("lease");
                        if batch.is_empty() {
                            return mine;
                        }
                        for m in batch {
                            store
                                .start_attempt(m.id, &owner, at(1), &cli())
                                .expect("start");
                            let done = Settle::Sent {
                                provider_id: format!("P{}", m.id),
                            };
                            store
                                .finish_message(m.id, &owner, &done, at(1), &cli())
                                .expect("sent");
                            mine.push(m.id.0);
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let mut all: Vec<i64> = sent.into_iter().flatten().collect();
    let total = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), total, "a message was sent twice");
    assert_eq!(total, messages as usize);
    assert!(store
        .messages(c, None)
        .expect("list")
        .iter()
        .all(|m| m.status == MessageStatus::Sent && m.attempts == 1));
}
