//! Contract: what scoring reads and keeps. Histories count only what happened before the
//! instant asked for and leave reversed payments out; a past date's state adds back what
//! later payments took off; models are versioned per creditor with one active, audited,
//! and never seen by another creditor.

use chrono::{Duration, TimeZone, Utc};
use sepakat_domain::compliance::{Channel, Party};
use sepakat_domain::interaction::{Direction, Outcome};
use sepakat_domain::{AllocationOrder, PromiseStatus, Rupiah};
use sepakat_store::{
    AccountId, CreditorId, EntityRef, NewInteraction, NewModel, NewPayment, NewPromise,
    PromiseResolution, Store, StoreError,
};

use super::fixtures::*;
use super::payment::one_account;

fn pay(
    store: &dyn Store,
    c: CreditorId,
    account: AccountId,
    amount: i64,
    reference: &str,
    days_ago: i64,
) -> sepakat_store::Payment {
    let mut data = paid(amount, reference);
    data.paid_at = at(0) - Duration::days(days_ago);
    store
        .post_payment(
            c,
            &NewPayment { account, data },
            &AllocationOrder::default(),
            &cli(),
        )
        .expect("posted")
}

fn contact(store: &dyn Store, c: CreditorId, account: AccountId, outcome: Outcome, days_ago: i64) {
    store
        .record_interaction(
            c,
            &NewInteraction {
                account,
                at: at(0) - Duration::days(days_ago),
                user: None,
                channel: Channel::Call,
                direction: Direction::Outbound,
                party: Party::Debtor,
                outcome,
                reason: None,
                notes: String::new(),
                corrects: None,
                idempotency_key: None,
            },
            at(0) - Duration::days(days_ago),
            &cli(),
        )
        .expect("logged");
}

pub fn history_counts_what_happened_before_the_instant_and_leaves_reversed_payments_out(
    store: &dyn Store,
) {
    let (c, acc) = one_account(store);
    pay(store, c, acc.id, 50_000, "OLD", 40);
    let bounced = pay(store, c, acc.id, 70_000, "BOUNCED", 20);
    store
        .reverse_payment(
            c,
            bounced.id,
            "cek kosong",
            at(0) - Duration::days(19),
            &cli(),
        )
        .expect("reversed");
    pay(store, c, acc.id, 40_000, "NEW", 0);
    contact(store, c, acc.id, Outcome::NoAnswer, 50);
    contact(store, c, acc.id, Outcome::RightPartyContact, 2);
    let promise = store
        .create_promise(
            c,
            &NewPromise {
                account: acc.id,
                interaction: None,
                amount: Rupiah::new(40_000),
                promised_on: day("2026-11-24"),
                channel: Channel::Call,
            },
            day("2026-11-22"),
            at(-48),
            &cli(),
        )
        .expect("promised");
    store
        .resolve_promise(
            c,
            promise,
            &PromiseResolution {
                status: PromiseStatus::Kept,
                paid: Rupiah::new(40_000),
                at: at(1),
            },
            &cli(),
        )
        .expect("kept");
    // Another creditor's activity never shows.
    let other = creditor(store, "BANKB");
    import(
        store,
        other.id,
        vec![account(1, "B-1", person("CIFB", "Budi", 2))],
    );

    let now = store.history_summaries(c, at(2)).expect("summaries");
    assert_eq!(now.len(), 1, "{now:?}");
    let (id, h) = now[0];
    assert_eq!(id, acc.id);
    assert_eq!(h.paid_short, Rupiah::new(90_000));
    assert_eq!(h.paid_long, Rupiah::new(90_000));
    assert_eq!(h.last_payment_at, Some(at(0)));
    assert_eq!(
        (h.attempts_recent, h.attempts_short, h.right_party_short),
        (1, 2, 1)
    );
    assert_eq!(h.last_outcome, Some(Outcome::RightPartyContact));
    assert_eq!(h.last_contact_at, Some(at(0) - Duration::days(2)));
    assert_eq!(
        (h.promises_made, h.promises_kept, h.promises_broken),
        (1, 1, 0)
    );
    // The payment cleared arrears due since 10 Sep: 75 days late on 24 Nov.
    assert_eq!(h.longest_dpd_paid, Some(75));
    assert_eq!(store.account_history(c, acc.id, at(2)).expect("one"), h);

    // Before the newest payment and call, and before the promise was kept.
    let then = store
        .account_history(c, acc.id, at(0) - Duration::days(10))
        .expect("then");
    assert_eq!(then.paid_short, Rupiah::new(50_000));
    assert_eq!(then.last_payment_at, Some(at(0) - Duration::days(40)));
    assert_eq!((then.attempts_recent, then.attempts_short), (0, 1));
    assert_eq!(then.last_outcome, Some(Outcome::NoAnswer));
    assert_eq!(then.promises_made, 0);
    let nothing = store
        .account_history(
            c,
            acc.id,
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        )
        .expect("early");
    assert_eq!(nothing, sepakat_domain::scoring::History::default());
    // The other creditor's account is not this creditor's to read.
    let b = store.account_by_number(other.id, "B-1").unwrap().unwrap();
    assert_eq!(
        store.account_history(c, b.id, at(2)).expect("empty"),
        Default::default()
    );
    assert!(store
        .history_summaries(other.id, at(2))
        .expect("none")
        .is_empty());
}

pub fn a_past_state_adds_back_later_payments_and_takes_the_due_date_they_found(store: &dyn Store) {
    let (c, acc) = one_account(store);
    pay(store, c, acc.id, 40_000, "NEW", 0);
    let today = store.account(c, acc.id).unwrap().unwrap();
    let owed_now = today.balance.total_outstanding();
    let start =
        |d: &str| Utc.from_utc_datetime(&day(d).and_hms_opt(0, 0, 0).unwrap()) - Duration::hours(7);
    let then = store
        .training_states(
            c,
            day("2026-11-01"),
            start("2026-11-01"),
            start("2026-12-01"),
            100,
        )
        .expect("states");
    assert_eq!(then.len(), 1);
    assert_eq!(then[0].account, acc.id);
    assert_eq!(
        then[0].state.outstanding,
        Rupiah::new(owed_now.value() + 40_000)
    );
    assert_eq!(then[0].state.oldest_unpaid_due, Some(day("2026-09-10")));
    assert_eq!(then[0].state.instalment, Rupiah::new(130_000));
    assert_eq!(then[0].state.tenor_months, 12);
    assert_eq!(then[0].paid_after, Rupiah::new(40_000));
    // A horizon that ends before the payment sees nothing paid.
    let short = store
        .training_states(
            c,
            day("2026-11-01"),
            start("2026-11-01"),
            start("2026-11-10"),
            100,
        )
        .expect("states");
    assert_eq!(short[0].paid_after, Rupiah::ZERO);
    let later = store
        .training_states(
            c,
            day("2026-12-01"),
            start("2026-12-01"),
            start("2026-12-31"),
            100,
        )
        .expect("states");
    assert_eq!(later[0].state.outstanding, owed_now);
    assert_eq!(
        later[0].state.oldest_unpaid_due,
        today.balance.oldest_unpaid_due
    );
    assert_eq!(later[0].paid_after, Rupiah::ZERO);
    // Before the account was opened, and outside the sample, there is nothing.
    let before = store
        .training_states(
            c,
            day("2026-01-01"),
            start("2026-01-01"),
            start("2026-02-01"),
            100,
        )
        .expect("states");
    assert!(before.is_empty());
    let unsampled = store
        .training_states(
            c,
            day("2026-11-01"),
            start("2026-11-01"),
            start("2026-12-01"),
            0,
        )
        .expect("states");
    assert!(unsampled.is_empty());
}

fn model(creditor: CreditorId, algorithm: &str, hours: i64) -> NewModel {
    NewModel {
        creditor,
        algorithm: algorithm.to_string(),
        feature_set: "akun-v1".to_string(),
        horizon_days: 30,
        trained_at: at(hours),
        metrics: serde_json::json!({ "test_auc": 0.8 }),
        artifact: format!("{{\"learner\": \"{algorithm}\"}}"),
    }
}

pub fn models_are_versioned_per_creditor_with_one_active_and_every_change_audited(
    store: &dyn Store,
) {
    let a = creditor(store, "BANKA");
    let b = creditor(store, "BANKB");
    assert!(store.active_model(a.id).expect("read").is_none());
    let first = store
        .save_model(&model(a.id, "gbt", 0), &cli())
        .expect("v1");
    let second = store
        .save_model(&model(a.id, "logistic", 1), &cli())
        .expect("v2");
    assert_eq!((first.version, second.version), (1, 2));
    assert!(second.active);
    let listed = store.models(a.id).expect("list");
    assert_eq!(
        listed
            .iter()
            .map(|m| (m.version, m.active))
            .collect::<Vec<_>>(),
        vec![(2, true), (1, false)]
    );
    let (active, artifact) = store.active_model(a.id).expect("read").expect("one");
    assert_eq!(active.version, 2);
    assert_eq!(artifact, "{\"learner\": \"logistic\"}");
    assert_eq!(active.metrics["test_auc"], 0.8);
    assert_eq!(active.trained_by, "cli");

    let back = store
        .activate_model(a.id, 1, at(2), &cli())
        .expect("v1 again");
    assert!(back.active);
    assert_eq!(store.active_model(a.id).unwrap().unwrap().0.version, 1);
    assert!(matches!(
        store.activate_model(a.id, 9, at(2), &cli()),
        Err(StoreError::NotFound(_))
    ));
    // Activating the active one changes nothing and writes no entry.
    store.activate_model(a.id, 1, at(3), &cli()).expect("same");

    // Versions count per creditor, and one creditor's models are not another's.
    assert!(store.models(b.id).expect("list").is_empty());
    assert!(store.active_model(b.id).expect("read").is_none());
    assert!(matches!(
        store.activate_model(b.id, 1, at(2), &cli()),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store
            .save_model(&model(b.id, "gbt", 0), &cli())
            .expect("b v1")
            .version,
        1
    );

    let trail = |v: u32| {
        store
            .audit_trail(a.id, &EntityRef::new("model", v), 10)
            .expect("trail")
            .into_iter()
            .map(|e| e.entry.action)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        trail(1),
        vec!["model.activated".to_string(), "model.trained".to_string()]
    );
    assert_eq!(trail(2), vec!["model.trained".to_string()]);
}
