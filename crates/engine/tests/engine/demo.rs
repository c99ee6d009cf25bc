//! Demo data: deterministic, idempotent, covering every product and time zone.

use std::collections::BTreeSet;

use sepakat_domain::{ProductType, Zone};
use sepakat_engine::demo::{generate, DemoOptions};
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
