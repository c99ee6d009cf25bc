//! Demo data: deterministic, idempotent, covering every product and time zone.

use std::collections::BTreeSet;

use sepakat_domain::strategy::CollectorKind;
use sepakat_domain::{ProductType, PromiseStatus, Zone};
use sepakat_engine::demo::{generate, seed_collection, DemoOptions};
use sepakat_engine::NoProgress;
use sepakat_store::Store;

use super::support::*;

fn options(accounts: u64, seed: u64) -> DemoOptions {
    DemoOptions {
        accounts,
        seed,
        today: today(),
    }
}

fn snapshot(store: &dyn Store) -> Vec<(String, String, String, i64, Option<chrono::NaiveDate>)> {
    let mut out = Vec::new();
    for c in store.creditors().unwrap() {
        for a in accounts(store, c.id) {
            out.push((
                c.code.clone(),
                a.account_no,
                a.debtor_name,
                a.outstanding.value(),
                a.oldest_unpaid_due,
            ));
        }
    }
    out
}

#[test]
fn the_same_seed_gives_the_same_accounts_and_a_rerun_updates() {
    let one = sepakat_store::open("sqlite::memory:").unwrap();
    one.migrate().unwrap();
    let two = sepakat_store::open("sqlite::memory:").unwrap();
    two.migrate().unwrap();
    let first = generate(&*one, &options(400, 42), &mut NoProgress).unwrap();
    generate(&*two, &options(400, 42), &mut NoProgress).unwrap();
    assert_eq!(first.creditors.len(), 4);
    assert_eq!(first.creditors.iter().map(|c| c.accounts).sum::<u64>(), 400);
    assert_eq!(first.creditors.iter().map(|c| c.inserted).sum::<u64>(), 400);
    assert!(
        first
            .creditors
            .iter()
            .map(|c| c.payments_posted)
            .sum::<u64>()
            > 0
    );
    let snap = snapshot(&*one);
    assert_eq!(snap.len(), 400);
    assert_eq!(snap, snapshot(&*two));

    let again = generate(&*one, &options(400, 42), &mut NoProgress).unwrap();
    assert_eq!(again.creditors.iter().map(|c| c.inserted).sum::<u64>(), 0);
    assert_eq!(again.creditors.iter().map(|c| c.updated).sum::<u64>(), 400);
    assert_eq!(
        again
            .creditors
            .iter()
            .map(|c| c.payments_posted)
            .sum::<u64>(),
        0
    );
    assert_eq!(snapshot(&*one), snap, "a rerun leaves the same balances");

    let three = sepakat_store::open("sqlite::memory:").unwrap();
    three.migrate().unwrap();
    generate(&*three, &options(400, 43), &mut NoProgress).unwrap();
    assert_ne!(snapshot(&*three), snap);
}

#[test]
fn demo_covers_every_product_zone_and_a_long_dpd_tail() {
    let store = sepakat_store::open("sqlite::memory:").unwrap();
    store.migrate().unwrap();
    generate(&*store, &options(2_000, 1), &mut NoProgress).unwrap();
    let mut products = BTreeSet::new();
    let mut zones = Vec::new();
    let mut dpds = Vec::new();
    for c in store.creditors().unwrap() {
        for a in accounts(&*store, c.id) {
            products.insert(a.product);
            zones.push(zone_of(&a));
            dpds.push(sepakat_domain::Dpd::as_of(a.oldest_unpaid_due, today()).days());
        }
    }
    assert_eq!(products.len(), ProductType::ALL.len());
    for zone in [Zone::Wib, Zone::Wita, Zone::Wit] {
        assert!(zones.contains(&zone), "{zone:?} missing");
    }
    let current = dpds.iter().filter(|d| **d == 0).count() as f64 / dpds.len() as f64;
    assert!((0.55..0.8).contains(&current), "current share {current}");
    assert!(dpds.iter().any(|d| *d > 700), "no account past 700 DPD");
}

type CollectionSnapshot = Vec<(String, String, Vec<(String, String)>, Vec<(i64, String)>)>;

/// Per account with collection data: (creditor, account, interactions, promises).
fn collection_snapshot(store: &dyn Store) -> CollectionSnapshot {
    let mut out = Vec::new();
    for c in store.creditors().unwrap() {
        for a in accounts(store, c.id) {
            let interactions: Vec<(String, String)> = store
                .interactions(c.id, a.id)
                .unwrap()
                .into_iter()
                .map(|i| (i.data.at.to_rfc3339(), i.data.outcome.code().to_string()))
                .collect();
            let promises: Vec<(i64, String)> = store
                .promises(c.id, a.id)
                .unwrap()
                .into_iter()
                .map(|p| (p.data.amount.value(), p.status.code().to_string()))
                .collect();
            if !interactions.is_empty() || !promises.is_empty() {
                out.push((c.code.clone(), a.account_no, interactions, promises));
            }
        }
    }
    out
}

#[test]
fn demo_seeds_teams_collectors_histories_and_promises_of_every_status_deterministically() {
    let one = sepakat_store::open("sqlite::memory:").unwrap();
    one.migrate().unwrap();
    let two = sepakat_store::open("sqlite::memory:").unwrap();
    two.migrate().unwrap();
    let opts = options(3_000, 7);
    generate(&*one, &opts, &mut NoProgress).unwrap();
    generate(&*two, &opts, &mut NoProgress).unwrap();
    let first = seed_collection(&*one, &opts, "!").unwrap();
    seed_collection(&*two, &opts, "!").unwrap();

    for c in one.creditors().unwrap() {
        let teams = one.teams(c.id).unwrap();
        let codes: Vec<&str> = teams.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(codes, ["DESK", "FIELD"], "{}", c.code);
        let field = &teams[1];
        assert!(field
            .collectors
            .iter()
            .any(|m| m.kind == CollectorKind::Field));
        assert!(field.collectors.iter().any(|m| !m.provinces.is_empty()));
        assert!(teams[0].collectors.len() >= 3, "{}", c.code);
    }
    assert_eq!(first.teams, 8);
    assert!(first.interactions > 100, "{first}");
    assert!(
        first.assigned > 0 && first.pauses > 0 && first.consents > 0,
        "{first}"
    );
    for status in [
        PromiseStatus::Pending,
        PromiseStatus::Kept,
        PromiseStatus::PartiallyKept,
        PromiseStatus::Broken,
    ] {
        assert!(
            first.promises.get(status.code()).copied().unwrap_or(0) > 0,
            "no {status} promise: {first}"
        );
    }
    let snap = collection_snapshot(&*one);
    assert!(!snap.is_empty());
    assert_eq!(
        snap,
        collection_snapshot(&*two),
        "same seed, same collection data"
    );
    // Stored statuses match the summary, and at most one promise per account is pending.
    let pending: usize = snap
        .iter()
        .map(|(_, _, _, p)| p.iter().filter(|(_, s)| s == "pending").count())
        .max()
        .unwrap_or(0);
    assert_eq!(pending, 1);

    let again = seed_collection(&*one, &opts, "!").unwrap();
    assert_eq!(
        again.teams + again.users + again.interactions + again.pauses,
        0,
        "{again}"
    );
    assert!(again.promises.is_empty(), "{again}");
    assert_eq!(
        collection_snapshot(&*one),
        snap,
        "a rerun duplicates nothing"
    );
}

#[test]
fn current_demo_accounts_carry_their_next_due_date() {
    let store = sepakat_store::open("sqlite::memory:").unwrap();
    store.migrate().unwrap();
    generate(&*store, &options(1_000, 3), &mut NoProgress).unwrap();
    let mut current = 0;
    for c in store.creditors().unwrap() {
        for a in accounts(&*store, c.id) {
            if sepakat_domain::Dpd::as_of(a.oldest_unpaid_due, today()).days() == 0 {
                current += 1;
                let due = a
                    .oldest_unpaid_due
                    .expect("a current account has a next due date");
                assert!(
                    due >= today() && due <= today() + chrono::Duration::days(31),
                    "{due}"
                );
            }
        }
    }
    assert!(current > 300, "{current}");
}

#[test]
fn nightly_run_over_the_demo_allocates_calls_and_sends_pre_due_reminders() {
    use sepakat_domain::compliance::Gate;
    use sepakat_domain::strategy::Strategy;
    use sepakat_domain::{BucketSet, FixedClock};
    use sepakat_engine::run::{run_creditor, RunOptions};
    let dir = tempfile::tempdir().unwrap();
    let store = sepakat_store::open(&format!(
        "sqlite://{}",
        dir.path().join("demo.db").display()
    ))
    .unwrap();
    store.migrate().unwrap();
    let opts = options(3_000, 7);
    generate(&*store, &opts, &mut NoProgress).unwrap();
    seed_collection(&*store, &opts, "!").unwrap();
    let bank = store.creditor_by_code("NUSABANK").unwrap().unwrap();
    let (strategy, gate, buckets) = (Strategy::shipped(), Gate::shipped(), BucketSet::default());
    let report = run_creditor(
        &*store,
        &bank,
        &RunOptions {
            as_of: today(),
            strategy: &strategy,
            gate: &gate,
            buckets: &buckets,
            lease: chrono::Duration::seconds(120),
            actor: sepakat_store::Actor::system("test"),
            score: true,
        },
        &FixedClock::new("2026-11-23T18:00:00Z".parse().unwrap()),
    )
    .unwrap();
    assert!(report.allocated > 50, "{report}");
    let reminders: u64 = report
        .by_rule
        .iter()
        .filter(|(rule, _)| rule.starts_with("reminder-"))
        .map(|(_, n)| n)
        .sum();
    assert!(reminders > 20, "pre-due reminders: {report}");
    assert!(
        report.by_rule.get("paused").copied().unwrap_or(0) > 0,
        "{report}"
    );
}
