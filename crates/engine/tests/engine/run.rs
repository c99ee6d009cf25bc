//! The nightly run over a demo portfolio on a SQLite file: reruns give the same queue,
//! a dead run leaves the previous queue in force and is cleaned up, a live run refuses a
//! second one, and bad strategy files are refused before anything is written.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use sepakat_domain::compliance::Channel;
use sepakat_domain::compliance::Gate;
use sepakat_domain::negotiation::wire::OfferRequestInput;
use sepakat_domain::negotiation::NegotiationPolicy;
use sepakat_domain::strategy::{Action, Strategy, PEERS_TOML};
use sepakat_domain::Role;
use sepakat_domain::{BucketSet, Clock, FixedClock, PromiseStatus, Rupiah};
use sepakat_engine::demo::{generate, DemoOptions};
use sepakat_engine::negotiation::{propose, Proposal};
use sepakat_engine::run::{holder, run_creditor, RunOptions};
use sepakat_engine::NoProgress;
use sepakat_store::{
    AccountId, Actor, Creditor, FollowUpKind, NewAction, NewPromise, NewRun, OfferStatus,
    QueuedAction, RunStatus, Store, StoreError,
};

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn demo_store() -> (tempfile::TempDir, Arc<dyn Store>, Creditor) {
    let dir = tempfile::tempdir().unwrap();
    let store =
        sepakat_store::open(&format!("sqlite://{}", dir.path().join("run.db").display())).unwrap();
    store.migrate().unwrap();
    let options = DemoOptions {
        accounts: 3000,
        seed: 7,
        today: as_of(),
    };
    generate(store.as_ref(), &options, &mut NoProgress).unwrap();
    let bank = store.creditor_by_code("NUSABANK").unwrap().unwrap();
    (dir, store, bank)
}

fn clock() -> FixedClock {
    FixedClock::new("2026-11-23T18:00:00Z".parse().unwrap())
}

fn queue(store: &dyn Store, creditor: &Creditor, run: i64) -> Vec<QueuedAction> {
    store
        .queued_actions(
            creditor.id,
            sepakat_store::RunId(run),
            AccountId(0),
            1_000_000,
        )
        .unwrap()
}

fn options<'a>(strategy: &'a Strategy, gate: &'a Gate, buckets: &'a BucketSet) -> RunOptions<'a> {
    RunOptions {
        as_of: as_of(),
        strategy,
        gate,
        buckets,
        lease: Duration::seconds(120),
        actor: Actor::system("test"),
        score: true,
    }
}

#[test]
fn rerunning_the_same_date_gives_the_same_queue_and_puts_it_in_force() {
    let (_dir, store, bank) = demo_store();
    let (strategy, gate, buckets) = (Strategy::shipped(), Gate::shipped(), BucketSet::default());
    let first = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    let second = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    assert!(first.actions > 100, "{first}");
    assert_eq!(first.accounts, second.accounts);
    assert_eq!(first.by_rule, second.by_rule);
    let q2 = queue(store.as_ref(), &bank, second.run);
    assert_eq!(q2.len() as u64, second.actions);
    // The superseded queue was pruned; the report is kept.
    assert!(queue(store.as_ref(), &bank, first.run).is_empty());
    let runs = store.runs(bank.id, 10).unwrap();
    assert_eq!(runs.len(), 2);
    assert!(runs[0].in_force && !runs[1].in_force);
    assert_eq!(runs[1].report.as_ref().unwrap()["actions"], first.actions);
    // Every queued contact has a window inside 08.00-20.00 (07.00 for visits) local.
    for a in &q2 {
        assert_ne!(a.action, Action::None);
        if let Some((start, end)) = a.window {
            assert!(start < end, "{a:?}");
        }
    }
    // Same rows again from a third run.
    let third = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    assert_eq!(queue(store.as_ref(), &bank, third.run), q2);
}

#[test]
fn a_run_killed_mid_way_leaves_the_previous_queue_in_force_and_a_rerun_cleans_it_up() {
    let (_dir, store, bank) = demo_store();
    let (strategy, gate, buckets) = (Strategy::shipped(), Gate::shipped(), BucketSet::default());
    let good = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    let before = queue(store.as_ref(), &bank, good.run);
    // A run by a process of this host that no longer exists, killed after one chunk.
    let now = clock().now();
    let dead = store
        .begin_run(
            &NewRun {
                creditor: bank.id,
                as_of: as_of(),
                strategy: "default".into(),
                holder: format!("{}:4000000000", holder().rsplit_once(':').unwrap().0),
                started_at: now,
                lease_until: now + Duration::hours(1),
                actor: Actor::system("test"),
            },
            &|_| false,
        )
        .unwrap();
    let row = NewAction {
        account: before[0].account,
        arm: 0,
        rule: "x",
        action: Action::Call,
        template: None,
        priority: 1.0,
        window: None,
        team: None,
        dpd: 1,
        bucket: "1-30",
        kolektibilitas: 2,
        promise: None,
    };
    store
        .write_actions(dead, &[row], now + Duration::hours(1))
        .unwrap();
    assert_eq!(
        store
            .worklist(bank.id, sepakat_store::UserId(1))
            .unwrap()
            .len(),
        0
    );
    let runs = store.runs(bank.id, 10).unwrap();
    assert!(runs.iter().any(|r| r.in_force && r.id.0 == good.run));
    // The rerun sees the holder is dead (despite its live lease), abandons and prunes it.
    let again = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    let info = store.run_info(bank.id, dead).unwrap().unwrap();
    assert_eq!(info.status, RunStatus::Abandoned);
    assert!(queue(store.as_ref(), &bank, dead.0).is_empty());
    assert_eq!(queue(store.as_ref(), &bank, again.run), before);
}

#[test]
fn a_second_run_while_one_holds_a_live_lease_is_refused_with_a_clear_error() {
    let (_dir, store, bank) = demo_store();
    let (strategy, gate, buckets) = (Strategy::shipped(), Gate::shipped(), BucketSet::default());
    let now = clock().now();
    store
        .begin_run(
            &NewRun {
                creditor: bank.id,
                as_of: as_of(),
                strategy: "default".into(),
                holder: "elsewhere:42".into(),
                started_at: now,
                lease_until: now + Duration::hours(1),
                actor: Actor::system("test"),
            },
            &|_| false,
        )
        .unwrap();
    let err = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("starting the run of NUSABANK as of 2026-11-24"),
        "{text}"
    );
    assert!(
        text.contains("is still running for this creditor, held by elsewhere:42"),
        "{text}"
    );
    assert!(matches!(
        err.downcast_ref::<StoreError>(),
        Some(StoreError::Conflict(_))
    ));
    assert_eq!(store.runs(bank.id, 10).unwrap().len(), 1);
}

#[test]
fn the_peers_strategy_runs_and_refuses_nothing_on_a_working_day() {
    let (_dir, store, bank) = demo_store();
    let strategy = Strategy::from_toml(PEERS_TOML, &BucketSet::default()).unwrap();
    let (gate, buckets) = (Gate::shipped(), BucketSet::default());
    let report = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    assert!(report.by_rule.contains_key("1"), "{report}");
    assert!(report.refused.is_empty(), "{report}");
    assert!(report.gate_searches < 40, "{report}");
}

/// The same run on PostgreSQL (when `SEPAKAT_TEST_DATABASE_URL` is set), in a schema of
/// its own: rerun gives the same queue, and the flip puts it in force.
#[test]
fn on_postgresql_a_rerun_gives_the_same_queue_and_a_live_lease_refuses_a_second_run() {
    use sepakat_store::postgres::PostgresStore;
    let Ok(url) = std::env::var("SEPAKAT_TEST_DATABASE_URL") else {
        eprintln!("skipped: SEPAKAT_TEST_DATABASE_URL is not set");
        return;
    };
    let schema = format!("sepakat_engine_run_{}", std::process::id());
    let store: Arc<dyn Store> =
        Arc::new(PostgresStore::connect_with_schema(&url, &schema).unwrap());
    struct DropSchema(String, String);
    impl Drop for DropSchema {
        fn drop(&mut self) {
            let _ = PostgresStore::drop_schema(&self.0, &self.1);
        }
    }
    let _cleanup = DropSchema(url.clone(), schema.clone());
    store.migrate().unwrap();
    let options_demo = DemoOptions {
        accounts: 1500,
        seed: 7,
        today: as_of(),
    };
    generate(store.as_ref(), &options_demo, &mut NoProgress).unwrap();
    let bank = store.creditor_by_code("NUSABANK").unwrap().unwrap();
    let (strategy, gate, buckets) = (Strategy::shipped(), Gate::shipped(), BucketSet::default());
    let first = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    let second = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    assert!(first.actions > 50, "{first}");
    let q = queue(store.as_ref(), &bank, second.run);
    assert_eq!(q.len() as u64, first.actions);
    assert!(queue(store.as_ref(), &bank, first.run).is_empty());
    assert!(store.runs(bank.id, 5).unwrap()[0].in_force);
    let now = clock().now();
    store
        .begin_run(
            &NewRun {
                creditor: bank.id,
                as_of: as_of(),
                strategy: "default".into(),
                holder: "elsewhere:42".into(),
                started_at: now,
                lease_until: now + Duration::hours(1),
                actor: Actor::system("test"),
            },
            &|_| false,
        )
        .unwrap();
    let err = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap_err();
    assert!(
        format!("{err:#}").contains("held by elsewhere:42"),
        "{err:#}"
    );
    // The queue in force is untouched by the refused run.
    assert_eq!(queue(store.as_ref(), &bank, second.run), q);
}

#[test]
fn a_promise_the_run_finds_broken_gets_a_call_at_the_first_allowed_time_of_the_day() {
    let (_dir, store, bank) = demo_store();
    // Promises made a fortnight ago for a week ago, unpaid: the run breaks them.
    let mut made = 0;
    for id in 1..=3000 {
        let promise = NewPromise {
            account: AccountId(id),
            interaction: None,
            amount: Rupiah::new(150_000),
            promised_on: as_of() - Duration::days(7),
            channel: Channel::Call,
        };
        let today = as_of() - Duration::days(14);
        let at = clock().now() - Duration::days(14);
        if store
            .create_promise(bank.id, &promise, today, at, &Actor::system("test"))
            .is_ok()
        {
            made += 1;
        }
        if made == 5 {
            break;
        }
    }
    assert_eq!(made, 5);
    let (strategy, gate, buckets) = (Strategy::shipped(), Gate::shipped(), BucketSet::default());
    let report = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    let run_at = clock().now();
    let mut broken = 0;
    for id in 1..=3000 {
        let account = AccountId(id);
        let Some(detail) = store.account(bank.id, account).unwrap() else {
            continue;
        };
        let by_run = store
            .promises(bank.id, account)
            .unwrap()
            .into_iter()
            .filter(|p| p.status == PromiseStatus::Broken && p.resolved_at == Some(run_at))
            .count();
        let calls: Vec<_> = store
            .follow_ups(bank.id, account)
            .unwrap()
            .into_iter()
            .filter(|f| f.kind == FollowUpKind::BrokenPromise)
            .collect();
        assert_eq!(calls.len(), by_run, "account {id}: {calls:?}");
        for call in calls {
            // 24 Nov 2026 is a Tuesday and no holiday: 08.00 in the debtor's zone.
            let local = detail.debtor.data.province.zone().local(call.due_at);
            assert_eq!(
                local.format("%Y-%m-%d %H:%M").to_string(),
                "2026-11-24 08:00"
            );
        }
        broken += by_run;
    }
    assert!(
        broken >= 5,
        "the run broke the promises made above: {report}"
    );
}

#[test]
fn the_run_lapses_offers_past_their_date_once() {
    let (_dir, store, bank) = demo_store();
    let policy = NegotiationPolicy::default();
    let collector = Actor::system("test-collector");
    // An offer made four days before the run, open for three days: it lapses.
    let made_at = clock().now() - Duration::days(4);
    let mut offered = None;
    for id in 1..=3000 {
        let proposal = Proposal {
            account: AccountId(id),
            declaration: serde_json::from_value(serde_json::json!({
                "monthly_income": 7_500_000, "essential_expenses": 3_000_000
            }))
            .unwrap(),
            request: OfferRequestInput::default(),
            role: Role::Manager,
            chosen_rank: 1,
            today: as_of() - Duration::days(4),
            offer_days: 3,
            propensity: None,
        };
        if let Ok(p) = propose(
            store.as_ref(),
            bank.id,
            &proposal,
            &policy,
            made_at,
            &collector,
        ) {
            offered = Some(p.offer.id);
            break;
        }
    }
    let offer = offered.expect("an account to negotiate");
    let (strategy, gate, buckets) = (Strategy::shipped(), Gate::shipped(), BucketSet::default());
    let report = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    assert_eq!(report.offers_expired, 1, "{report}");
    let stored = store.offer(bank.id, offer).unwrap().unwrap();
    assert_eq!(stored.status, OfferStatus::Expired);
    assert!(report.to_string().contains("1 offers expired"), "{report}");
    // Running again finds nothing more to lapse.
    let again = run_creditor(
        store.as_ref(),
        &bank,
        &options(&strategy, &gate, &buckets),
        &clock(),
    )
    .unwrap();
    assert_eq!(again.offers_expired, 0);
}
