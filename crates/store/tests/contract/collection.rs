//! Contract: the collection tables (teams, collectors, assignments, interactions,
//! promises, pauses, consents): refusals store nothing, every write is audited, and
//! nothing of another creditor can be reached.

use chrono::Duration;
use sepakat_domain::compliance::{Channel, Consent, Party};
use sepakat_domain::interaction::{Direction, Outcome, PauseReason, Reason};
use sepakat_domain::strategy::CollectorKind;
use sepakat_domain::{PromiseStatus, Province, Rupiah};
use sepakat_store::{
    AccountDetail, AccountId, CollectorInfo, CreditorId, EntityRef, InteractionId, NewInteraction,
    NewPause, NewPromise, PromiseResolution, Store, StoreError,
};

use super::fixtures::*;
use super::payment::one_account;

fn call(account: AccountId, outcome: Outcome, key: Option<&str>) -> NewInteraction {
    NewInteraction {
        account,
        at: at(-2),
        user: None,
        channel: Channel::Call,
        direction: Direction::Outbound,
        party: Party::Debtor,
        outcome,
        reason: Some(Reason::JobLoss),
        notes: "Debitur baru kehilangan pekerjaan, minta waktu.".to_string(),
        corrects: None,
        idempotency_key: key.map(str::to_string),
    }
}

fn promise(account: AccountId, amount: i64, on: &str) -> NewPromise {
    NewPromise {
        account,
        interaction: None,
        amount: Rupiah::new(amount),
        promised_on: day(on),
        channel: Channel::Whatsapp,
    }
}

fn trail(store: &dyn Store, creditor: CreditorId, kind: &str, id: impl ToString) -> Vec<String> {
    store
        .audit_trail(creditor, &EntityRef::new(kind, id), 50)
        .expect("trail")
        .into_iter()
        .map(|e| e.entry.action)
        .collect()
}

fn conflict_message<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Conflict(message)) => message,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn second_creditor_account(store: &dyn Store) -> (CreditorId, AccountDetail) {
    let b = creditor(store, "BANKB");
    import(
        store,
        b.id,
        vec![account(1, "B-1", person("CIFB", "Made Wirawan", 2))],
    );
    let acc = store
        .account_by_number(b.id, "B-1")
        .expect("read")
        .expect("exists");
    (b.id, acc)
}

pub fn team_is_created_listed_and_a_duplicate_code_is_a_conflict(store: &dyn Store) {
    let (a, _) = one_account(store);
    let team = store
        .create_team(a, "DESK", "Tim Desk Jakarta", at(0), &cli())
        .expect("team");
    let message = conflict_message(store.create_team(a, "DESK", "Lagi", at(0), &cli()));
    assert!(message.contains("DESK"), "{message}");
    let teams = store.teams(a).expect("teams");
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].name, "Tim Desk Jakarta");
    assert_eq!(trail(store, a, "team", team.id), ["team.created"]);
    let b = creditor(store, "BANKB");
    assert!(store.teams(b.id).expect("teams").is_empty());
    store
        .create_team(
            b.id,
            "DESK",
            "Another creditor may reuse the code",
            at(0),
            &cli(),
        )
        .expect("same code under another creditor");
}

pub fn collector_is_upserted_and_a_user_of_another_creditor_is_not_found(store: &dyn Store) {
    let (a, _) = one_account(store);
    let team = store
        .create_team(a, "FIELD", "Tim Lapangan", at(0), &cli())
        .expect("team");
    let u = user(store, "kolektor1", &[a]);
    let mut c = CollectorInfo {
        team: team.id,
        user: u.id,
        kind: CollectorKind::Field,
        daily_capacity: 12,
        provinces: vec![Province::JawaBarat, Province::Bali],
        languages: vec!["id".into(), "su".into()],
        active: true,
    };
    store.put_collector(a, &c, at(0), &cli()).expect("insert");
    c.daily_capacity = 8;
    c.active = false;
    store.put_collector(a, &c, at(1), &cli()).expect("update");
    let teams = store.teams(a).expect("teams");
    assert_eq!(teams[0].collectors, vec![c.clone()]);
    assert_eq!(trail(store, a, "team", team.id).len(), 3);

    let b = creditor(store, "BANKB");
    let stranger = user(store, "kolektor_b", &[b.id]);
    let refused = store.put_collector(
        a,
        &CollectorInfo {
            user: stranger.id,
            ..c.clone()
        },
        at(0),
        &cli(),
    );
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    let refused = store.put_collector(b.id, &c, at(0), &cli());
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "team of A under B: {refused:?}"
    );
    assert_eq!(store.teams(a).expect("teams")[0].collectors.len(), 1);
}

pub fn accounts_are_assigned_all_or_nothing_and_audited_per_account(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let (_, other) = second_creditor_account(store);
    let team = store
        .create_team(a, "DESK", "Tim Desk", at(0), &cli())
        .expect("team");
    let u = user(store, "kolektor1", &[a]);
    let refused = store.assign_accounts(a, team.id, Some(u.id), &[acc.id, other.id], at(0), &cli());
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    assert!(!trail(store, a, "account", acc.id).contains(&"account.assigned".to_string()));
    let n = store
        .assign_accounts(a, team.id, Some(u.id), &[acc.id], at(0), &cli())
        .expect("assign");
    assert_eq!(n, 1);
    store
        .assign_accounts(a, team.id, None, &[acc.id], at(1), &cli())
        .expect("reassign to the team only");
    let actions = trail(store, a, "account", acc.id);
    assert_eq!(
        actions.iter().filter(|a| *a == "account.assigned").count(),
        2
    );
}

pub fn same_idempotency_key_stores_one_interaction(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let first = store
        .record_interaction(
            a,
            &call(acc.id, Outcome::NoAnswer, Some("form-1")),
            at(0),
            &cli(),
        )
        .expect("first");
    let again = store
        .record_interaction(
            a,
            &call(acc.id, Outcome::Refused, Some("form-1")),
            at(1),
            &cli(),
        )
        .expect("second");
    assert_eq!(first, again);
    let stored = store.interactions(a, acc.id).expect("read");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].data.outcome, Outcome::NoAnswer);
    assert_eq!(stored[0].data.reason, Some(Reason::JobLoss));
    assert_eq!(stored[0].created_at, at(0));
    let recorded = trail(store, a, "account", acc.id);
    assert_eq!(
        recorded
            .iter()
            .filter(|a| *a == "interaction.recorded")
            .count(),
        1
    );
}

pub fn correction_must_point_to_an_interaction_of_the_same_account(store: &dyn Store) {
    let (a, acc) = one_account(store);
    import(
        store,
        a,
        vec![account(2, "ACC-2", person("CIF2", "Budi", 3))],
    );
    let acc2 = store
        .account_by_number(a, "ACC-2")
        .expect("read")
        .expect("exists");
    let original = store
        .record_interaction(a, &call(acc.id, Outcome::NoAnswer, None), at(0), &cli())
        .expect("original");
    let wrong = NewInteraction {
        corrects: Some(original),
        ..call(acc2.id, Outcome::Busy, None)
    };
    let message = conflict_message(store.record_interaction(a, &wrong, at(1), &cli()));
    assert!(message.contains("same account"), "{message}");
    assert!(store.interactions(a, acc2.id).expect("read").is_empty());
    let unknown = NewInteraction {
        corrects: Some(InteractionId(original.0 + 1000)),
        ..call(acc.id, Outcome::Busy, None)
    };
    conflict_message(store.record_interaction(a, &unknown, at(1), &cli()));
    let right = NewInteraction {
        corrects: Some(original),
        ..call(acc.id, Outcome::WrongNumber, None)
    };
    store
        .record_interaction(a, &right, at(1), &cli())
        .expect("correction");
    let stored = store.interactions(a, acc.id).expect("read");
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[1].data.corrects, Some(original));
}

pub fn bad_promises_are_refused_and_store_nothing(store: &dyn Store) {
    let (a, acc) = one_account(store);
    // The account owes Rp1.060.000 in total; today is 24 Nov 2026.
    let today = day("2026-11-24");
    for (amount, on, says) in [
        (0, "2026-11-30", "more than zero"),
        (-5_000, "2026-11-30", "more than zero"),
        (1_060_001, "2026-11-30", "outstanding"),
        (100_000, "2026-11-23", "before today"),
    ] {
        let message = conflict_message(store.create_promise(
            a,
            &promise(acc.id, amount, on),
            today,
            at(0),
            &cli(),
        ));
        assert!(message.contains(says), "{amount} on {on}: {message}");
    }
    assert!(store.promises(a, acc.id).expect("read").is_empty());
    assert!(!trail(store, a, "account", acc.id).contains(&"promise.created".to_string()));

    let first = store
        .create_promise(
            a,
            &promise(acc.id, 1_060_000, "2026-11-24"),
            today,
            at(0),
            &cli(),
        )
        .expect("the whole outstanding, today");
    let message = conflict_message(store.create_promise(
        a,
        &promise(acc.id, 50_000, "2026-11-28"),
        today,
        at(1),
        &cli(),
    ));
    assert!(message.contains("pending promise"), "{message}");
    let stored = store.promises(a, acc.id).expect("read");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, first);
    assert_eq!(stored[0].status, PromiseStatus::Pending);
    assert_eq!(stored[0].data.channel, Channel::Whatsapp);
}

pub fn resolved_promise_frees_the_account_for_a_new_one(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let today = day("2026-11-24");
    let first = store
        .create_promise(
            a,
            &promise(acc.id, 200_000, "2026-11-25"),
            today,
            at(0),
            &cli(),
        )
        .expect("first");
    let broken = PromiseResolution {
        status: PromiseStatus::Broken,
        paid: Rupiah::ZERO,
        at: at(72),
    };
    store
        .resolve_promise(a, first, &broken, &cli())
        .expect("resolve");
    conflict_message(store.resolve_promise(a, first, &broken, &cli()));
    let pending = PromiseResolution {
        status: PromiseStatus::Pending,
        ..broken
    };
    store
        .create_promise(
            a,
            &promise(acc.id, 100_000, "2026-11-30"),
            today + Duration::days(3),
            at(72),
            &cli(),
        )
        .expect("a new promise after the broken one");
    let stored = store.promises(a, acc.id).expect("read");
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].status, PromiseStatus::Broken);
    assert_eq!(stored[0].resolved_at, Some(at(72)));
    conflict_message(store.resolve_promise(a, stored[1].id, &pending, &cli()));
    let actions = trail(store, a, "account", acc.id);
    assert!(
        actions.contains(&"promise.resolved".to_string()),
        "{actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|a| *a == "promise.created").count(),
        2
    );
}

pub fn another_creditors_account_is_not_found_for_collection_writes(store: &dyn Store) {
    let (a, _) = one_account(store);
    let (b, other) = second_creditor_account(store);
    let today = day("2026-11-24");
    let refused =
        store.record_interaction(a, &call(other.id, Outcome::NoAnswer, None), at(0), &cli());
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    let refused = store.create_promise(
        a,
        &promise(other.id, 1_000, "2026-11-30"),
        today,
        at(0),
        &cli(),
    );
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    let pause = NewPause {
        account: other.id,
        reason: PauseReason::Dispute,
        note: "Debitur menyanggah tagihan.".into(),
        starts_on: today,
        ends_on: None,
    };
    let refused = store.pause_account(a, &pause, at(0), &cli());
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    let consent =
        Consent::blanket(Channel::Call, "kolektor1", at(0), at(24 * 30)).expect("consent");
    let refused = store.record_consent(a, other.debtor.id, &consent, at(0), &cli());
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    assert!(store.interactions(b, other.id).expect("read").is_empty());
    assert!(store.promises(b, other.id).expect("read").is_empty());
    assert!(store.pauses(b, other.id).expect("read").is_empty());
    assert!(store.consents(b, other.debtor.id).expect("read").is_empty());
    // Reads through the wrong creditor see nothing either.
    store
        .record_interaction(b, &call(other.id, Outcome::NoAnswer, None), at(0), &cli())
        .expect("own");
    assert!(store.interactions(a, other.id).expect("read").is_empty());
}

pub fn pause_and_consent_are_stored_audited_and_read_back(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let today = day("2026-11-24");
    let backwards = NewPause {
        account: acc.id,
        reason: PauseReason::Hardship,
        note: "Banjir, rumah terendam.".into(),
        starts_on: today,
        ends_on: Some(today - Duration::days(1)),
    };
    conflict_message(store.pause_account(a, &backwards, at(0), &cli()));
    let pause = NewPause {
        ends_on: Some(today + Duration::days(30)),
        ..backwards
    };
    store
        .pause_account(a, &pause, at(0), &cli())
        .expect("pause");
    let pauses = store.pauses(a, acc.id).expect("read");
    assert_eq!(pauses.len(), 1);
    assert_eq!(pauses[0].data, pause);
    let consent =
        Consent::blanket(Channel::Whatsapp, "kolektor1", at(0), at(24 * 30)).expect("consent");
    store
        .record_consent(a, acc.debtor.id, &consent, at(0), &cli())
        .expect("consent");
    assert_eq!(
        store.consents(a, acc.debtor.id).expect("read"),
        vec![consent]
    );
    assert!(trail(store, a, "account", acc.id).contains(&"account.paused".to_string()));
    assert_eq!(
        trail(store, a, "debtor", acc.debtor.id),
        ["consent.recorded"]
    );
}
