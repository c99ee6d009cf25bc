//! Contract: the collector workbench (`WorkbenchStore`): worklists rank follow-ups first
//! and hold each account once; claims never let two collectors hold one account; a
//! contact is stored whole or not at all; everything is audited and tenant-scoped.

use chrono::Duration;
use sepakat_domain::compliance::{Channel, Party};
use sepakat_domain::interaction::{Direction, Outcome, PauseReason};
use sepakat_domain::strategy::{Action, CollectorKind};
use sepakat_domain::{PromiseStatus, Rupiah};
use sepakat_store::{
    AccountId, Allocation, CollectorInfo, ContactPromise, CreditorId, EntityRef, FollowUpKind,
    NewAction, NewContact, NewEvidence, NewFollowUp, NewInteraction, NewPause, NewRun, RunFinish,
    Store, StoreError, TeamId, User, UserId, WorkSource,
};

use super::fixtures::*;

/// A creditor with accounts, a desk team of collectors and a queue in force that
/// allocates the accounts round-robin, earlier accounts with higher priority.
pub struct Desk {
    /// The creditor.
    pub creditor: CreditorId,
    /// Its accounts, in import order.
    pub accounts: Vec<AccountId>,
    /// The collectors.
    pub users: Vec<User>,
    /// Their team.
    pub team: TeamId,
}

/// Builds a `Desk` of `accounts` accounts and `collectors` collectors.
pub fn desk(store: &dyn Store, code: &str, accounts: u32, collectors: usize) -> Desk {
    let bank = creditor(store, code);
    let rows = (0..accounts)
        .map(|i| {
            let debtor = person(&format!("{code}-CIF{i:06}"), "Debitur", i % 9999 + 1);
            account(u64::from(i) + 1, &format!("{code}-{i:07}"), debtor)
        })
        .collect();
    import(store, bank.id, rows);
    let mut ids: Vec<AccountId> = store
        .search_accounts(
            bank.id,
            &sepakat_store::AccountQuery {
                limit: 500,
                ..Default::default()
            },
        )
        .expect("search")
        .into_iter()
        .map(|a| a.id)
        .collect();
    // Larger queues than one search page: read the rest by number.
    for i in ids.len() as u32..accounts {
        let acc = store
            .account_by_number(bank.id, &format!("{code}-{i:07}"))
            .expect("read")
            .expect("exists");
        ids.push(acc.id);
    }
    ids.sort();
    let team = store
        .create_team(bank.id, "DESK", "Tim Desk", at(-10), &cli())
        .expect("team");
    let users: Vec<User> = (0..collectors)
        .map(|i| {
            let u = user(store, &format!("{code}.kol{i}"), &[bank.id]);
            store
                .put_collector(
                    bank.id,
                    &CollectorInfo {
                        team: team.id,
                        user: u.id,
                        kind: CollectorKind::Desk,
                        daily_capacity: 10_000,
                        provinces: Vec::new(),
                        languages: vec!["id".into()],
                        active: true,
                    },
                    at(-10),
                    &cli(),
                )
                .expect("collector");
            u
        })
        .collect();
    let run = store
        .begin_run(
            &NewRun {
                creditor: bank.id,
                as_of: day("2026-11-24"),
                strategy: "default".into(),
                holder: "test:1".into(),
                started_at: at(-9),
                lease_until: at(-8),
                actor: cli(),
            },
            &|_| false,
        )
        .expect("run");
    let actions: Vec<NewAction<'_>> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| NewAction {
            account: *id,
            arm: 0,
            rule: "r1",
            action: Action::Call,
            template: None,
            priority: 1_000_000.0 - i as f64,
            window: Some((at(-1), at(8))),
            team: Some(team.id.0),
            dpd: 75,
            bucket: "61-90",
            kolektibilitas: 2,
            promise: None,
        })
        .collect();
    store.write_actions(run, &actions, at(-8)).expect("queue");
    if !users.is_empty() {
        let allocations: Vec<Allocation> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| Allocation {
                collector: users[i % users.len()].id,
                position: (i / users.len()) as u32,
                account: *id,
            })
            .collect();
        store
            .write_allocations(run, &allocations)
            .expect("allocate");
    }
    store
        .finish_run(
            run,
            &RunFinish {
                finished_at: at(-8),
                actions: actions.len() as u64,
                report: serde_json::json!({}),
                promise_changes: Vec::new(),
                actor: cli(),
            },
        )
        .expect("finish");
    Desk {
        creditor: bank.id,
        accounts: ids,
        users,
        team: team.id,
    }
}

fn actor(u: &User) -> sepakat_store::Actor {
    sepakat_store::Actor::user(u.id, &u.username)
}

fn ttl() -> Duration {
    Duration::minutes(15)
}

fn call(account: AccountId, user: UserId, outcome: Outcome, key: Option<&str>) -> NewInteraction {
    NewInteraction {
        account,
        at: at(0),
        user: Some(user),
        channel: Channel::Call,
        direction: Direction::Outbound,
        party: Party::Debtor,
        outcome,
        reason: None,
        notes: "Debitur bersedia membayar.".to_string(),
        corrects: None,
        idempotency_key: key.map(str::to_string),
    }
}

fn contact(interaction: NewInteraction) -> NewContact {
    NewContact {
        interaction,
        promise: None,
        evidence: Vec::new(),
        follow_up: None,
    }
}

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

fn photo(name: &str, bytes: &[u8]) -> NewEvidence {
    NewEvidence {
        media_type: "image/png".into(),
        file_name: name.into(),
        bytes: bytes.to_vec(),
        gps: Some((-6.9147, 107.6098)),
        captured_at: Some(at(0)),
    }
}

fn actions_of(store: &dyn Store, creditor: CreditorId, account: AccountId) -> Vec<String> {
    store
        .audit_trail(creditor, &EntityRef::new("account", account), 200)
        .expect("trail")
        .into_iter()
        .map(|e| e.entry.action)
        .collect()
}

fn conflict<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Conflict(message)) => message,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn follow_up(
    kind: FollowUpKind,
    account: AccountId,
    hours: i64,
    user: Option<UserId>,
) -> NewFollowUp {
    NewFollowUp {
        kind,
        account,
        due_at: at(hours),
        user,
        note: "Telepon kembali".into(),
    }
}

pub fn worklist_ranks_follow_ups_first_then_priority_and_holds_each_account_once(
    store: &dyn Store,
) {
    let d = desk(store, "BANKA", 8, 2);
    let (kol, other) = (&d.users[0], &d.users[1]);
    // Allocated to kol: accounts 0, 2, 4, 6 (priority falling); to other: 1, 3, 5, 7.
    let list = store
        .collector_worklist(d.creditor, kol.id, at(0), 100)
        .expect("worklist");
    let ids: Vec<AccountId> = list.iter().map(|w| w.account).collect();
    assert_eq!(
        ids,
        vec![d.accounts[0], d.accounts[2], d.accounts[4], d.accounts[6]]
    );
    assert!(list.iter().all(|w| w.source == WorkSource::Allocated));
    assert_eq!(list[0].dpd, 75);
    assert_eq!(list[0].outstanding, Rupiah::new(1_060_000));
    assert_eq!(list[0].due_at, Some(at(-1)));
    // A sticky account of another's allocation, a call back on account 6, a broken
    // promise for the team (unassigned) on account 3, a reminder not yet due.
    store
        .assign_accounts(
            d.creditor,
            d.team,
            Some(kol.id),
            &[d.accounts[5]],
            at(0),
            &cli(),
        )
        .expect("sticky");
    store
        .assign_accounts(d.creditor, d.team, None, &[d.accounts[3]], at(0), &cli())
        .expect("team");
    for f in [
        follow_up(FollowUpKind::CallBack, d.accounts[6], -1, Some(kol.id)),
        follow_up(FollowUpKind::BrokenPromise, d.accounts[3], -2, None),
        follow_up(
            FollowUpKind::PromiseReminder,
            d.accounts[0],
            5,
            Some(kol.id),
        ),
        follow_up(FollowUpKind::CallBack, d.accounts[7], -1, Some(other.id)),
    ] {
        store
            .create_follow_up(d.creditor, &f, at(-3), &cli())
            .expect("follow-up");
    }
    let list = store
        .collector_worklist(d.creditor, kol.id, at(0), 100)
        .expect("worklist");
    let got: Vec<(AccountId, WorkSource)> = list.iter().map(|w| (w.account, w.source)).collect();
    assert_eq!(
        got,
        vec![
            (
                d.accounts[3],
                WorkSource::FollowUp(FollowUpKind::BrokenPromise)
            ),
            (d.accounts[6], WorkSource::FollowUp(FollowUpKind::CallBack)),
            (d.accounts[0], WorkSource::Allocated),
            (d.accounts[2], WorkSource::Allocated),
            (d.accounts[4], WorkSource::Allocated),
            (d.accounts[5], WorkSource::Assigned),
        ]
    );
    assert_eq!(list[0].due_at, Some(at(-2)));
    // The limit, and another creditor sees nothing.
    assert_eq!(
        store
            .collector_worklist(d.creditor, kol.id, at(0), 2)
            .expect("worklist")
            .len(),
        2
    );
    let b = creditor(store, "BANKB");
    assert!(store
        .collector_worklist(b.id, kol.id, at(0), 100)
        .expect("worklist")
        .is_empty());
}

pub fn worklist_leaves_out_paused_accounts_and_accounts_contacted_today(store: &dyn Store) {
    let d = desk(store, "BANKA", 6, 1);
    let kol = &d.users[0];
    store
        .pause_account(
            d.creditor,
            &NewPause {
                account: d.accounts[0],
                reason: PauseReason::Dispute,
                note: "Sengketa".into(),
                starts_on: day("2026-11-20"),
                ends_on: Some(day("2026-11-30")),
            },
            at(-5),
            &cli(),
        )
        .expect("pause");
    store
        .pause_account(
            d.creditor,
            &NewPause {
                account: d.accounts[1],
                reason: PauseReason::Hardship,
                note: "Sudah lewat".into(),
                starts_on: day("2026-11-01"),
                ends_on: Some(day("2026-11-23")),
            },
            at(-5),
            &cli(),
        )
        .expect("old pause");
    store
        .record_interaction(
            d.creditor,
            &call(d.accounts[2], kol.id, Outcome::NoAnswer, None),
            at(0),
            &cli(),
        )
        .expect("contacted");
    // Yesterday's contact does not count.
    let mut yesterday = call(d.accounts[3], kol.id, Outcome::NoAnswer, None);
    yesterday.at = at(-24);
    store
        .record_interaction(d.creditor, &yesterday, at(-24), &cli())
        .expect("yesterday");
    let ids: Vec<AccountId> = store
        .collector_worklist(d.creditor, kol.id, at(1), 100)
        .expect("worklist")
        .into_iter()
        .map(|w| w.account)
        .collect();
    assert_eq!(
        ids,
        vec![d.accounts[1], d.accounts[3], d.accounts[4], d.accounts[5]]
    );
}

pub fn next_account_releases_the_earlier_claim_and_skips_accounts_others_hold(store: &dyn Store) {
    let d = desk(store, "BANKA", 6, 1);
    let kol = &d.users[0];
    let rival = user(store, "rival", &[d.creditor]);
    store
        .claim_account(
            d.creditor,
            rival.id,
            d.accounts[0],
            at(0),
            ttl(),
            &actor(&rival),
        )
        .expect("rival holds the first");
    let first = store
        .next_account(d.creditor, kol.id, at(0), ttl(), &actor(kol))
        .expect("next")
        .expect("an account");
    assert_eq!(first.account, d.accounts[1]);
    assert_eq!(first.expires_at, at(0) + ttl());
    // Working it: a contact takes it off today's list, so the next is the third.
    store
        .record_interaction(
            d.creditor,
            &call(d.accounts[1], kol.id, Outcome::Busy, None),
            at(0),
            &cli(),
        )
        .expect("worked");
    let second = store
        .next_account(d.creditor, kol.id, at(0), ttl(), &actor(kol))
        .expect("next")
        .expect("an account");
    assert_eq!(second.account, d.accounts[2]);
    assert_eq!(
        store
            .claim(d.creditor, d.accounts[1], at(0))
            .expect("claim"),
        None
    );
    assert_eq!(
        store
            .claim(d.creditor, d.accounts[2], at(0))
            .expect("claim"),
        Some(second)
    );
    let list = store
        .collector_worklist(d.creditor, kol.id, at(0), 100)
        .expect("worklist");
    assert_eq!(list[0].claimed_by, Some(rival.id));
    // After the rival's claim expires the first account is free again.
    let later = at(0) + ttl() + Duration::seconds(1);
    let third = store
        .next_account(d.creditor, kol.id, later, ttl(), &actor(kol))
        .expect("next")
        .expect("an account");
    assert_eq!(third.account, d.accounts[0]);
    let trail = actions_of(store, d.creditor, d.accounts[1]);
    assert!(trail.contains(&"claim.taken".to_string()), "{trail:?}");
    assert!(trail.contains(&"claim.released".to_string()), "{trail:?}");
    // Nothing left for a collector without work; an unknown user is not found.
    let idle = user(store, "idle", &[d.creditor]);
    assert_eq!(
        store
            .next_account(d.creditor, idle.id, at(0), ttl(), &actor(&idle))
            .expect("next"),
        None
    );
    let b = creditor(store, "BANKB");
    let refused = store.next_account(b.id, kol.id, at(0), ttl(), &actor(kol));
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
}

pub fn a_live_claim_of_another_is_a_conflict_naming_the_holder_and_an_own_claim_extends(
    store: &dyn Store,
) {
    let d = desk(store, "BANKA", 2, 2);
    let (a, b) = (&d.users[0], &d.users[1]);
    let acc = d.accounts[0];
    store
        .claim_account(d.creditor, a.id, acc, at(0), ttl(), &actor(a))
        .expect("claim");
    let message = conflict(store.claim_account(d.creditor, b.id, acc, at(0), ttl(), &actor(b)));
    assert!(message.contains(&a.username), "{message}");
    let message = conflict(store.release_claim(d.creditor, b.id, acc, at(0), &actor(b)));
    assert!(message.contains(&a.username), "{message}");
    let extended = store
        .claim_account(d.creditor, a.id, acc, at(1), ttl(), &actor(a))
        .expect("extend");
    assert_eq!(extended.expires_at, at(1) + ttl());
    assert_eq!(
        store.claim(d.creditor, acc, at(1)).expect("claim"),
        Some(extended)
    );
    // Expired: b takes it over.
    let late = at(1) + ttl();
    let taken = store
        .claim_account(d.creditor, b.id, acc, late, ttl(), &actor(b))
        .expect("take over");
    assert_eq!(taken.user, b.id);
    store
        .release_claim(d.creditor, b.id, acc, late, &actor(b))
        .expect("release");
    store
        .release_claim(d.creditor, b.id, acc, late, &actor(b))
        .expect("release twice is harmless");
    assert_eq!(store.claim(d.creditor, acc, late).expect("claim"), None);
    let other = creditor(store, "BANKB");
    let refused = store.claim_account(other.id, a.id, acc, at(0), ttl(), &actor(a));
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    assert!(matches!(
        store.holders(other.id, acc, at(0)),
        Err(StoreError::NotFound(_))
    ));
}

pub fn holders_name_the_claim_sticky_collector_allocation_and_team(store: &dyn Store) {
    let d = desk(store, "BANKA", 2, 2);
    let (a, b) = (&d.users[0], &d.users[1]);
    let acc = d.accounts[1];
    let h = store.holders(d.creditor, acc, at(0)).expect("holders");
    assert_eq!(
        (h.claim, h.sticky, h.allocated, h.team),
        (None, None, Some(b.id), None)
    );
    store
        .assign_accounts(d.creditor, d.team, Some(a.id), &[acc], at(0), &cli())
        .expect("assign");
    let claim = store
        .claim_account(d.creditor, b.id, acc, at(0), ttl(), &actor(b))
        .expect("claim");
    let h = store.holders(d.creditor, acc, at(0)).expect("holders");
    assert_eq!(h.claim, Some(claim));
    assert_eq!(h.sticky, Some(a.id));
    assert_eq!(h.allocated, Some(b.id));
    assert_eq!(h.team, Some(d.team));
}

pub fn a_contact_stores_interaction_promise_evidence_and_follow_ups_together(store: &dyn Store) {
    let d = desk(store, "BANKA", 1, 1);
    let kol = &d.users[0];
    let acc = d.accounts[0];
    store
        .create_follow_up(
            d.creditor,
            &follow_up(FollowUpKind::CallBack, acc, -1, Some(kol.id)),
            at(-2),
            &cli(),
        )
        .expect("due call back");
    let mut c = contact(call(acc, kol.id, Outcome::PromiseToPay, Some("form-7")));
    c.promise = Some(ContactPromise {
        amount: Rupiah::new(500_000),
        promised_on: day("2026-11-28"),
        channel: Channel::Call,
    });
    c.evidence = vec![photo("rumah.png", PNG), photo("rumah-lagi.png", PNG)];
    c.follow_up = Some(follow_up(FollowUpKind::CallBack, acc, 30, Some(kol.id)));
    let ids = store
        .record_contact(d.creditor, &c, day("2026-11-24"), at(0), &actor(kol))
        .expect("contact");
    assert!(ids.promise.is_some());
    assert_eq!(ids.evidence.len(), 2);
    assert_eq!(ids.follow_ups.len(), 2);
    let promises = store.promises(d.creditor, acc).expect("promises");
    assert_eq!(promises.len(), 1);
    assert_eq!(promises[0].data.interaction, Some(ids.interaction));
    assert_eq!(promises[0].status, PromiseStatus::Pending);
    let follow_ups = store.follow_ups(d.creditor, acc).expect("follow-ups");
    assert_eq!(follow_ups.len(), 3);
    // The due call back is done by this contact; the reminder is due 27 Nov 09.00 WIB.
    assert_eq!(follow_ups[0].done_at, Some(at(0)));
    let reminder = follow_ups
        .iter()
        .find(|f| f.kind == FollowUpKind::PromiseReminder)
        .expect("reminder");
    assert_eq!(reminder.due_at.to_rfc3339(), "2026-11-27T02:00:00+00:00");
    assert_eq!(reminder.promise, ids.promise);
    assert_eq!(reminder.user, Some(kol.id));
    // Evidence: one blob for two files, content back exactly.
    let evidence = store.evidence(d.creditor, acc).expect("evidence");
    assert_eq!(evidence.len(), 2);
    assert_eq!(evidence[0].sha256, evidence[1].sha256);
    assert_eq!(evidence[0].sha256.len(), 64);
    assert_eq!(evidence[0].size, PNG.len() as u64);
    assert_eq!(evidence[0].gps, Some((-6.9147, 107.6098)));
    let (info, bytes) = store
        .evidence_content(d.creditor, ids.evidence[1])
        .expect("read")
        .expect("found");
    assert_eq!(info.file_name, "rumah-lagi.png");
    assert_eq!(bytes, PNG);
    let b = creditor(store, "BANKB");
    assert_eq!(
        store.evidence_content(b.id, ids.evidence[1]).expect("read"),
        None
    );
    // The same form again: the first ids, nothing new.
    let again = store
        .record_contact(d.creditor, &c, day("2026-11-24"), at(1), &actor(kol))
        .expect("again");
    assert_eq!(again, ids);
    assert_eq!(store.interactions(d.creditor, acc).expect("read").len(), 1);
    assert_eq!(store.evidence(d.creditor, acc).expect("read").len(), 2);
    assert_eq!(store.follow_ups(d.creditor, acc).expect("read").len(), 3);
    let trail = actions_of(store, d.creditor, acc);
    for action in [
        "interaction.recorded",
        "promise.created",
        "evidence.stored",
        "follow_up.created",
        "follow_up.completed",
    ] {
        assert!(trail.contains(&action.to_string()), "{action}: {trail:?}");
    }
}

pub fn a_promise_due_tomorrow_gets_no_reminder_in_the_past(store: &dyn Store) {
    let d = desk(store, "BANKA", 1, 1);
    let kol = &d.users[0];
    let mut c = contact(call(d.accounts[0], kol.id, Outcome::PromiseToPay, None));
    // 09.00 WIB on 24 Nov has passed at 10.00 WIB.
    c.promise = Some(ContactPromise {
        amount: Rupiah::new(100_000),
        promised_on: day("2026-11-25"),
        channel: Channel::Call,
    });
    let ids = store
        .record_contact(d.creditor, &c, day("2026-11-24"), at(0), &actor(kol))
        .expect("contact");
    assert!(ids.promise.is_some());
    assert!(ids.follow_ups.is_empty());
}

pub fn bad_contacts_are_refused_and_store_nothing(store: &dyn Store) {
    let d = desk(store, "BANKA", 2, 1);
    let kol = &d.users[0];
    let acc = d.accounts[0];
    let today = day("2026-11-24");
    let with_promise = |amount: i64, on: &str| {
        let mut c = contact(call(acc, kol.id, Outcome::PromiseToPay, Some("k")));
        c.evidence = vec![photo("ok.png", PNG)];
        c.promise = Some(ContactPromise {
            amount: Rupiah::new(amount),
            promised_on: day(on),
            channel: Channel::Call,
        });
        c
    };
    let with_file = |e: NewEvidence| {
        let mut c = contact(call(acc, kol.id, Outcome::RightPartyContact, Some("k")));
        c.evidence = vec![e];
        c
    };
    let mut big = PNG.to_vec();
    big.resize(10 * 1024 * 1024 + 1, 0);
    let mut wrong_account = contact(call(acc, kol.id, Outcome::CallBack, Some("k")));
    wrong_account.follow_up = Some(follow_up(FollowUpKind::CallBack, d.accounts[1], 5, None));
    let cases: Vec<(NewContact, &str)> = vec![
        (with_promise(0, "2026-11-30"), "more than zero"),
        (with_promise(-1, "2026-11-30"), "more than zero"),
        (with_promise(1_060_001, "2026-11-30"), "outstanding"),
        (with_promise(100_000, "2026-11-23"), "before today"),
        (
            with_file(NewEvidence {
                media_type: "image/jpeg".into(),
                ..photo("palsu.jpg", PNG)
            }),
            "palsu.jpg",
        ),
        (
            with_file(NewEvidence {
                media_type: "application/zip".into(),
                ..photo("arsip.zip", b"PK\x03\x04")
            }),
            "not accepted",
        ),
        (with_file(photo("besar.png", &big)), "10485760"),
        (
            with_file(NewEvidence {
                gps: Some((95.0, 10.0)),
                ..photo("kutub.png", PNG)
            }),
            "GPS",
        ),
        (wrong_account, "follow-up"),
    ];
    for (c, says) in cases {
        let message = conflict(store.record_contact(d.creditor, &c, today, at(0), &actor(kol)));
        assert!(message.contains(says), "{says}: {message}");
    }
    // A second pending promise.
    store
        .create_promise(
            d.creditor,
            &sepakat_store::NewPromise {
                account: d.accounts[1],
                interaction: None,
                amount: Rupiah::new(50_000),
                promised_on: day("2026-11-30"),
                channel: Channel::Call,
            },
            today,
            at(0),
            &cli(),
        )
        .expect("first promise");
    let mut second = contact(call(
        d.accounts[1],
        kol.id,
        Outcome::PromiseToPay,
        Some("k"),
    ));
    second.promise = Some(ContactPromise {
        amount: Rupiah::new(60_000),
        promised_on: day("2026-11-30"),
        channel: Channel::Call,
    });
    let message = conflict(store.record_contact(d.creditor, &second, today, at(0), &actor(kol)));
    assert!(message.contains("pending promise"), "{message}");
    // A paused account.
    store
        .pause_account(
            d.creditor,
            &NewPause {
                account: acc,
                reason: PauseReason::Deceased,
                note: "Meninggal".into(),
                starts_on: today,
                ends_on: None,
            },
            at(0),
            &cli(),
        )
        .expect("pause");
    let message = conflict(store.record_contact(
        d.creditor,
        &contact(call(acc, kol.id, Outcome::NoAnswer, Some("k"))),
        today,
        at(0),
        &actor(kol),
    ));
    assert!(message.contains("paused"), "{message}");
    // Another creditor's account.
    let b = creditor(store, "BANKB");
    let refused = store.record_contact(
        b.id,
        &contact(call(acc, kol.id, Outcome::NoAnswer, Some("k2"))),
        today,
        at(0),
        &actor(kol),
    );
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    for account in &d.accounts {
        assert!(store
            .interactions(d.creditor, *account)
            .expect("read")
            .is_empty());
        assert!(store
            .evidence(d.creditor, *account)
            .expect("read")
            .is_empty());
        assert!(store
            .follow_ups(d.creditor, *account)
            .expect("read")
            .is_empty());
    }
    assert_eq!(store.promises(d.creditor, acc).expect("read").len(), 0);
    assert_eq!(
        store
            .promises(d.creditor, d.accounts[1])
            .expect("read")
            .len(),
        1
    );
}

pub fn follow_ups_are_completed_once_and_the_team_view_counts_the_period(store: &dyn Store) {
    let d = desk(store, "BANKA", 4, 2);
    let (kol, other) = (&d.users[0], &d.users[1]);
    let id = store
        .create_follow_up(
            d.creditor,
            &follow_up(FollowUpKind::CallBack, d.accounts[0], 2, Some(kol.id)),
            at(0),
            &cli(),
        )
        .expect("create");
    store
        .complete_follow_up(d.creditor, id, at(3), &actor(kol))
        .expect("complete");
    let message = conflict(store.complete_follow_up(d.creditor, id, at(4), &actor(kol)));
    assert!(message.contains("already done"), "{message}");
    let b = creditor(store, "BANKB");
    assert!(matches!(
        store.complete_follow_up(b.id, id, at(4), &cli()),
        Err(StoreError::NotFound(_))
    ));
    let stranger = user(store, "stranger", &[b.id]);
    let refused = store.create_follow_up(
        d.creditor,
        &follow_up(FollowUpKind::CallBack, d.accounts[0], 2, Some(stranger.id)),
        at(0),
        &cli(),
    );
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    // kol: a promise contact and a no-answer today, one contact yesterday.
    let mut c = contact(call(d.accounts[0], kol.id, Outcome::PromiseToPay, None));
    c.promise = Some(ContactPromise {
        amount: Rupiah::new(100_000),
        promised_on: day("2026-11-26"),
        channel: Channel::Call,
    });
    store
        .record_contact(d.creditor, &c, day("2026-11-24"), at(0), &actor(kol))
        .expect("contact");
    store
        .record_contact(
            d.creditor,
            &contact(call(d.accounts[2], kol.id, Outcome::NoAnswer, None)),
            day("2026-11-24"),
            at(1),
            &actor(kol),
        )
        .expect("contact");
    let mut old = call(d.accounts[2], kol.id, Outcome::RightPartyContact, None);
    old.at = at(-24);
    store
        .record_interaction(d.creditor, &old, at(-24), &cli())
        .expect("yesterday");
    let view = store
        .team_activity(d.creditor, at(-3), at(21), at(2))
        .expect("team view");
    assert_eq!(view.len(), 2);
    let k = view.iter().find(|v| v.user == kol.id).expect("kol");
    assert_eq!(k.username, kol.username);
    assert_eq!(k.team, d.team);
    assert_eq!(
        (
            k.contacts,
            k.right_party_contacts,
            k.promises_made,
            k.promises_kept
        ),
        (2, 1, 1, 0)
    );
    // Accounts 0 and 2 were contacted today: only 0's reminder is not yet due either.
    assert_eq!(k.worklist_size, 0);
    let o = view.iter().find(|v| v.user == other.id).expect("other");
    assert_eq!((o.contacts, o.worklist_size), (0, 2));
    assert!(store
        .team_activity(b.id, at(-3), at(21), at(2))
        .expect("view")
        .is_empty());
}

/// Concurrency: `threads` collectors (thread i on `stores[i % len]`, so several store
/// instances on one database may race too) call `next_account` over one shared queue —
/// every account has a broken-promise follow-up for the whole team — and log a contact on
/// each account they get, until nothing is left. No account may be handed out twice, and
/// every account is handed out once.
pub fn concurrent_next_account_never_hands_out_an_account_twice(
    stores: &[&dyn Store],
    threads: usize,
    accounts: u32,
) {
    let store = stores[0];
    let d = desk(store, "RACE", accounts, threads);
    store
        .assign_accounts(d.creditor, d.team, None, &d.accounts, at(-5), &cli())
        .expect("team");
    for acc in &d.accounts {
        store
            .create_follow_up(
                d.creditor,
                &follow_up(FollowUpKind::BrokenPromise, *acc, -1, None),
                at(-5),
                &cli(),
            )
            .expect("follow-up");
    }
    let got: Vec<Vec<AccountId>> = std::thread::scope(|scope| {
        let handles: Vec<_> = d
            .users
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let store = stores[i % stores.len()];
                let creditor = d.creditor;
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    let who = actor(u);
                    while let Some(claim) = store
                        .next_account(creditor, u.id, at(0), ttl(), &who)
                        .expect("next account")
                    {
                        assert_eq!(claim.user, u.id);
                        mine.push(claim.account);
                        store
                            .record_contact(
                                creditor,
                                &contact(call(claim.account, u.id, Outcome::NoAnswer, None)),
                                day("2026-11-24"),
                                at(0),
                                &who,
                            )
                            .expect("contact");
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    let mut all: Vec<AccountId> = got.iter().flatten().copied().collect();
    let handed_out = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), handed_out, "an account was handed out twice");
    assert_eq!(all, d.accounts, "every account is handed out once");
}

/// Concurrency: two collectors race `claim_account` for each of `accounts` accounts;
/// exactly one wins each race and the other gets a conflict naming the winner.
pub fn racing_claims_on_one_account_have_exactly_one_winner(stores: &[&dyn Store], accounts: u32) {
    let store = stores[0];
    let d = desk(store, "DUEL", accounts, 2);
    for acc in &d.accounts {
        let barrier = std::sync::Barrier::new(2);
        let results: Vec<Result<sepakat_store::Claim, StoreError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = d
                .users
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    let store = stores[i % stores.len()];
                    let barrier = &barrier;
                    let creditor = d.creditor;
                    scope.spawn(move || {
                        barrier.wait();
                        store.claim_account(creditor, u.id, *acc, at(0), ttl(), &actor(u))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("no panic"))
                .collect()
        });
        let winners: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(winners.len(), 1, "{results:?}");
        let loser = results
            .iter()
            .find_map(|r| r.as_ref().err())
            .expect("a loser");
        let winner = d
            .users
            .iter()
            .find(|u| u.id == winners[0].user)
            .expect("winner");
        match loser {
            StoreError::Conflict(message) => {
                assert!(message.contains(&winner.username), "{message}")
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(
            store
                .claim(d.creditor, *acc, at(0))
                .expect("claim")
                .map(|c| c.user),
            Some(winner.id)
        );
    }
}
