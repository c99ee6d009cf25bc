//! The nightly run's storage (`RunStore`): the lease lets one run per creditor at a time,
//! only a finished run moves the queue in force, what is written comes back exactly, and
//! pruning keeps what is in force or still running.

use chrono::{DateTime, Duration, Utc};
use sepakat_domain::compliance::Channel;
use sepakat_domain::strategy::{Action, ArmHasher};
use sepakat_domain::{PromiseStatus, Rupiah};
use sepakat_store::{
    AccountId, AccountSnapshot, Allocation, Creditor, CreditorId, FollowUpKind, NewAction,
    NewPromise, NewRun, PromiseChange, RunFinish, RunId, RunStatus, Store, StoreError, UserId,
};

use super::fixtures::{account, at, cli, creditor, day, import, person};

fn new_run(creditor: CreditorId, holder: &str, started_at: DateTime<Utc>) -> NewRun {
    NewRun {
        creditor,
        as_of: day("2026-11-24"),
        strategy: "default".into(),
        holder: holder.into(),
        started_at,
        lease_until: started_at + Duration::minutes(2),
        actor: cli(),
    }
}

fn nobody_dead(_: &str) -> bool {
    false
}

fn begin(store: &dyn Store, creditor: CreditorId, holder: &str, hours: i64) -> RunId {
    store
        .begin_run(&new_run(creditor, holder, at(hours)), &nobody_dead)
        .expect("run started")
}

/// Imports `n` open accounts and returns them as the scan reads them, in id order.
fn accounts(store: &dyn Store, bank: &Creditor, n: u32) -> Vec<AccountSnapshot> {
    let rows = (0..n)
        .map(|i| {
            let debtor = person(&format!("CIF{i:06}"), "Debitur", i % 9999 + 1);
            account(u64::from(i) + 2, &format!("ACC-{i:07}"), debtor)
        })
        .collect();
    import(store, bank.id, rows);
    let mut all = Vec::new();
    store
        .scan_open_accounts(bank.id, &ArmHasher::new(&bank.code), &mut |b| {
            all.extend_from_slice(b);
            true
        })
        .expect("scan");
    all
}

/// One action per account, varied so every column is exercised.
fn action(a: &AccountSnapshot, i: usize) -> NewAction<'static> {
    let (start, end) = (at(5), at(17));
    NewAction {
        account: a.id,
        arm: (i % 2) as u8,
        rule: ["r1", "r2", "r3"][i % 3],
        action: [Action::Call, Action::Whatsapp, Action::LetterSp1][i % 3],
        template: [Some("wa_reminder"), None][i % 2],
        priority: 1234.5 * i as f64 + 0.25,
        window: if i % 3 == 2 { None } else { Some((start, end)) },
        team: [Some(7), None][i % 2],
        dpd: 75 + i as u32,
        bucket: "61-90",
        kolektibilitas: 2,
        promise: [
            None,
            Some(PromiseStatus::Broken),
            Some(PromiseStatus::Pending),
        ][i % 3],
    }
}

fn finish(store: &dyn Store, run: RunId, actions: u64, hours: i64) {
    store
        .finish_run(
            run,
            &RunFinish {
                finished_at: at(hours),
                actions,
                report: serde_json::json!({ "actions": actions }),
                promise_changes: Vec::new(),
                actor: cli(),
            },
        )
        .expect("finished");
}

fn in_force(store: &dyn Store, creditor: CreditorId) -> Vec<RunId> {
    store
        .runs(creditor, 50)
        .expect("runs")
        .into_iter()
        .filter(|r| r.in_force)
        .map(|r| r.id)
        .collect()
}

fn all_queued(store: &dyn Store, creditor: CreditorId, run: RunId) -> Vec<AccountId> {
    store
        .queued_actions(creditor, run, AccountId(0), 1_000_000)
        .expect("queue")
        .into_iter()
        .map(|q| q.account)
        .collect()
}

pub fn begin_run_refuses_a_second_run_of_the_creditor_while_the_lease_is_live(store: &dyn Store) {
    let bank = creditor(store, "BANKA");
    let other = creditor(store, "BANKB");
    let first = begin(store, bank.id, "host-a:1", 0);
    let second = store.begin_run(
        &new_run(bank.id, "host-b:2", at(0) + Duration::minutes(1)),
        &nobody_dead,
    );
    assert!(
        matches!(&second, Err(StoreError::Conflict(m)) if m.contains("host-a:1")),
        "{second:?}"
    );
    // Another creditor's run is not held up.
    begin(store, other.id, "host-b:2", 0);
    let info = store.run_info(bank.id, first).expect("read").expect("run");
    assert_eq!(info.status, RunStatus::Running);
    assert_eq!(store.runs(bank.id, 10).expect("runs").len(), 1);
}

pub fn a_run_whose_lease_expired_or_whose_holder_died_is_taken_over(store: &dyn Store) {
    let bank = creditor(store, "BANKA");
    let expired = begin(store, bank.id, "host-a:1", 0);
    // An hour later the two-minute lease has lapsed: the new run takes over.
    let second = begin(store, bank.id, "host-b:2", 1);
    let info = store
        .run_info(bank.id, expired)
        .expect("read")
        .expect("run");
    assert_eq!(info.status, RunStatus::Abandoned);
    // The old holder cannot write or finish any more.
    let written = store.write_actions(expired, &[], at(2));
    assert!(
        matches!(written, Err(StoreError::Conflict(_))),
        "{written:?}"
    );
    let finished = store.finish_run(
        expired,
        &RunFinish {
            finished_at: at(2),
            actions: 0,
            report: serde_json::json!({}),
            promise_changes: Vec::new(),
            actor: cli(),
        },
    );
    assert!(
        matches!(finished, Err(StoreError::Conflict(_))),
        "{finished:?}"
    );
    // A holder known to be dead loses its run at once, lease or not.
    let third = store
        .begin_run(&new_run(bank.id, "host-c:3", at(1)), &|h| h == "host-b:2")
        .expect("took over from a dead holder");
    let runs = store.runs(bank.id, 10).expect("runs");
    let status = |id: RunId| runs.iter().find(|r| r.id == id).expect("listed").status;
    assert_eq!(status(second), RunStatus::Abandoned);
    assert_eq!(status(third), RunStatus::Running);
    assert_eq!(runs[0].id, third, "newest first");
}

pub fn an_abandoned_or_crashed_run_leaves_the_previous_queue_in_force(store: &dyn Store) {
    let bank = creditor(store, "BANKA");
    let accounts = accounts(store, &bank, 6);
    let rows: Vec<NewAction<'_>> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| action(a, i))
        .collect();
    let good = begin(store, bank.id, "host-a:1", 0);
    store
        .write_actions(good, &rows[..3], at(1))
        .expect("written");
    store
        .write_allocations(
            good,
            &[Allocation {
                collector: UserId(9),
                position: 0,
                account: accounts[0].id,
            }],
        )
        .expect("allocated");
    finish(store, good, 3, 0);
    let worklist = store.worklist(bank.id, UserId(9)).expect("worklist");
    assert_eq!(worklist.len(), 1);

    // A run that fails after writing all six rows and allocating them elsewhere.
    let failed = begin(store, bank.id, "host-a:1", 1);
    store.write_actions(failed, &rows, at(2)).expect("written");
    store
        .write_allocations(
            failed,
            &[Allocation {
                collector: UserId(9),
                position: 0,
                account: accounts[5].id,
            }],
        )
        .expect("allocated");
    store
        .abandon_run(failed, "test failure", &cli())
        .expect("abandoned");
    assert_eq!(in_force(store, bank.id), vec![good]);
    assert_eq!(
        store.worklist(bank.id, UserId(9)).expect("worklist"),
        worklist
    );

    // A run that dies without a word: still running until the next run notices.
    let crashed = begin(store, bank.id, "host-a:2", 2);
    store
        .write_actions(crashed, &rows[3..], at(3))
        .expect("written");
    assert_eq!(in_force(store, bank.id), vec![good]);
    assert_eq!(
        store.worklist(bank.id, UserId(9)).expect("worklist"),
        worklist
    );
    let info = store
        .run_info(bank.id, crashed)
        .expect("read")
        .expect("run");
    assert!(!info.in_force && info.status == RunStatus::Running);
    assert_eq!(info.actions, 3, "the lease renewal counts the rows written");
    let next = begin(store, bank.id, "host-a:3", 3);
    assert_eq!(
        store
            .run_info(bank.id, crashed)
            .expect("read")
            .expect("run")
            .status,
        RunStatus::Abandoned
    );
    assert_eq!(in_force(store, bank.id), vec![good]);
    assert_eq!(all_queued(store, bank.id, good).len(), 3);
    let _ = next;
}

pub fn written_actions_come_back_exactly_from_the_queue_and_the_worklists(store: &dyn Store) {
    let bank = creditor(store, "BANKA");
    let other = creditor(store, "BANKB");
    let accounts = accounts(store, &bank, 9);
    let rows: Vec<NewAction<'_>> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| action(a, i))
        .collect();
    let run = begin(store, bank.id, "host-a:1", 0);
    // Two chunks, as the engine writes them.
    store
        .write_actions(run, &rows[..4], at(1))
        .expect("chunk 1");
    store
        .write_actions(run, &rows[4..], at(1))
        .expect("chunk 2");
    // Collector 5 gets accounts 6, 0, 3 in that order; collector 6 gets account 1.
    let alloc = |collector: i64, position: u32, i: usize| Allocation {
        collector: UserId(collector),
        position,
        account: accounts[i].id,
    };
    store
        .write_allocations(
            run,
            &[
                alloc(5, 0, 6),
                alloc(5, 1, 0),
                alloc(5, 2, 3),
                alloc(6, 0, 1),
            ],
        )
        .expect("allocated");
    // Nothing is in force before the run finishes.
    assert!(store
        .worklist(bank.id, UserId(5))
        .expect("worklist")
        .is_empty());
    finish(store, run, rows.len() as u64, 1);

    let queue = store
        .queued_actions(bank.id, run, AccountId(0), 100)
        .expect("queue");
    assert_eq!(queue.len(), rows.len());
    for ((q, w), a) in queue.iter().zip(&rows).zip(&accounts) {
        assert_eq!(q.account, w.account);
        assert_eq!(q.account, a.id);
        assert_eq!(q.arm, w.arm);
        assert_eq!(q.rule, w.rule);
        assert_eq!(q.action, w.action);
        assert_eq!(q.template.as_deref(), w.template);
        assert_eq!(q.priority, w.priority);
        assert_eq!(q.window, w.window);
        assert_eq!(q.team, w.team);
        assert_eq!(q.dpd, w.dpd);
        assert_eq!(q.bucket, w.bucket);
        assert_eq!(q.kolektibilitas, w.kolektibilitas);
        assert_eq!(q.promise, w.promise);
    }
    let collector_of = |i: usize| queue[i].collector;
    assert_eq!(collector_of(6), Some(UserId(5)));
    assert_eq!(collector_of(1), Some(UserId(6)));
    assert_eq!(collector_of(2), None);
    // Paging: after the third account, at most four.
    let page = store
        .queued_actions(bank.id, run, accounts[2].id, 4)
        .expect("page");
    let ids: Vec<AccountId> = page.iter().map(|q| q.account).collect();
    assert_eq!(ids, accounts[3..7].iter().map(|a| a.id).collect::<Vec<_>>());
    // The worklist in position order.
    let worklist: Vec<AccountId> = store
        .worklist(bank.id, UserId(5))
        .expect("worklist")
        .into_iter()
        .map(|q| q.account)
        .collect();
    assert_eq!(
        worklist,
        vec![accounts[6].id, accounts[0].id, accounts[3].id]
    );
    // Another creditor sees neither the run nor its queue.
    assert!(store.run_info(other.id, run).expect("read").is_none());
    assert!(all_queued(store, other.id, run).is_empty());
    assert!(store
        .worklist(other.id, UserId(5))
        .expect("worklist")
        .is_empty());
    let info = store.run_info(bank.id, run).expect("read").expect("run");
    assert_eq!(info.status, RunStatus::Done);
    assert_eq!(info.actions, rows.len() as u64);
    assert_eq!(info.report, Some(serde_json::json!({ "actions": 9 })));
    assert!(info.in_force);
}

pub fn prune_runs_keeps_the_queue_in_force_and_a_running_one(store: &dyn Store) {
    let bank = creditor(store, "BANKA");
    let accounts = accounts(store, &bank, 4);
    let rows: Vec<NewAction<'_>> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| action(a, i))
        .collect();
    let mut done = Vec::new();
    for h in 0..3 {
        let run = begin(store, bank.id, "host-a:1", h);
        store.write_actions(run, &rows, at(h)).expect("written");
        finish(store, run, 4, h);
        done.push(run);
    }
    let failed = begin(store, bank.id, "host-a:1", 3);
    store.write_actions(failed, &rows, at(3)).expect("written");
    store
        .abandon_run(failed, "test", &cli())
        .expect("abandoned");
    let running = begin(store, bank.id, "host-a:1", 4);
    store
        .write_actions(running, &rows[..2], at(4))
        .expect("written");

    // Two superseded runs and the abandoned one.
    assert_eq!(store.prune_runs(bank.id).expect("pruned"), 3);
    assert_eq!(store.prune_runs(bank.id).expect("pruned again"), 0);
    assert_eq!(in_force(store, bank.id), vec![done[2]]);
    assert_eq!(all_queued(store, bank.id, done[2]).len(), 4);
    assert_eq!(all_queued(store, bank.id, running).len(), 2);
    for run in [done[0], done[1], failed] {
        assert!(all_queued(store, bank.id, run).is_empty(), "{run} pruned");
    }
    // Their reports stay.
    let runs = store.runs(bank.id, 10).expect("runs");
    assert_eq!(runs.len(), 5);
    assert!(runs
        .iter()
        .filter(|r| r.status == RunStatus::Done)
        .all(|r| r.report.is_some()));
}

pub fn the_scan_hands_over_every_open_account_in_id_order_and_lets_the_sink_write(
    store: &dyn Store,
) {
    let bank = creditor(store, "BANKA");
    // More than one scan batch (4096).
    let all = accounts(store, &bank, 5000);
    assert_eq!(all.len(), 5000);
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    let run = begin(store, bank.id, "host-a:1", 0);
    // The sink writes while the scan is still going (the engine does, from another
    // thread): an in-memory SQLite database has one connection for both.
    let arms = ArmHasher::new(&bank.code);
    let mut batches = 0;
    let read = store
        .scan_open_accounts(bank.id, &arms, &mut |batch| {
            batches += 1;
            let rows: Vec<NewAction<'_>> = batch
                .iter()
                .enumerate()
                .map(|(i, a)| action(a, i))
                .collect();
            store
                .write_actions(run, &rows, at(1))
                .expect("written during the scan");
            true
        })
        .expect("scan");
    assert_eq!(read, 5000);
    assert!(batches >= 2, "{batches}");
    assert_eq!(
        all_queued(store, bank.id, run),
        all.iter().map(|a| a.id).collect::<Vec<_>>()
    );
    // A sink that says stop ends the scan after its batch.
    let mut seen = 0;
    let read = store
        .scan_open_accounts(bank.id, &arms, &mut |batch| {
            seen += batch.len();
            false
        })
        .expect("scan");
    assert_eq!(read as usize, seen);
    assert!(seen < 5000);
}

pub fn a_run_that_breaks_a_promise_files_the_next_day_call_once(store: &dyn Store) {
    let bank = creditor(store, "BANKA");
    let snapshots = accounts(store, &bank, 2);
    let promise = |account: AccountId, on: &str| {
        store
            .create_promise(
                bank.id,
                &NewPromise {
                    account,
                    interaction: None,
                    amount: Rupiah::new(250_000),
                    promised_on: day(on),
                    channel: Channel::Call,
                },
                day("2026-11-20"),
                at(-96),
                &cli(),
            )
            .expect("promise")
    };
    let (broken, kept) = (snapshots[0].id, snapshots[1].id);
    let broken_promise = promise(broken, "2026-11-21");
    let kept_promise = promise(kept, "2026-11-22");
    let due = at(1);
    let run = begin(store, bank.id, "host-a:1", 0);
    let finish = RunFinish {
        finished_at: at(0) + Duration::minutes(5),
        actions: 0,
        report: serde_json::json!({}),
        promise_changes: vec![
            PromiseChange {
                id: broken_promise.0,
                account: broken,
                status: PromiseStatus::Broken,
                follow_up_at: Some(due),
            },
            PromiseChange {
                id: kept_promise.0,
                account: kept,
                status: PromiseStatus::Kept,
                follow_up_at: None,
            },
        ],
        actor: cli(),
    };
    store.finish_run(run, &finish).expect("finished");
    let follow_ups = store.follow_ups(bank.id, broken).expect("follow-ups");
    assert_eq!(follow_ups.len(), 1, "{follow_ups:?}");
    assert_eq!(follow_ups[0].kind, FollowUpKind::BrokenPromise);
    assert_eq!(follow_ups[0].due_at, due);
    assert_eq!(follow_ups[0].promise, Some(broken_promise));
    assert!(store.follow_ups(bank.id, kept).expect("none").is_empty());

    // A second run that sees the same (no longer pending) promise files nothing more.
    let again = begin(store, bank.id, "host-a:1", 1);
    store
        .finish_run(
            again,
            &RunFinish {
                finished_at: at(1) + Duration::minutes(5),
                ..finish
            },
        )
        .expect("finished again");
    assert_eq!(store.follow_ups(bank.id, broken).expect("read").len(), 1);
}
