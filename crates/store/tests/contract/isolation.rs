//! Contract: one creditor never sees or changes another's data.

use sepakat_domain::AllocationOrder;
use sepakat_store::{AccountQuery, EntityRef, NewPayment, Store, StoreError};

use super::fixtures::*;
use super::payment::one_account;
use super::search::found;

/// Another creditor's account is invisible by id and by number, with its payments.
pub fn creditor_cannot_read_another_creditors_account(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let b = creditor(store, "BANKB");
    store
        .post_payment(
            a,
            &NewPayment {
                account: acc.id,
                data: paid(50_000, "REF-1"),
            },
            &AllocationOrder::default(),
            &cli(),
        )
        .expect("posted");
    assert_eq!(store.account(b.id, acc.id).expect("read"), None);
    assert_eq!(store.account_by_number(b.id, "ACC-1").expect("read"), None);
    assert!(store.payments(b.id, acc.id).expect("read").is_empty());
    assert_eq!(store.payments(a, acc.id).expect("read").len(), 1);
}

/// Another creditor cannot post to, reverse on, or import payments for an account.
pub fn creditor_cannot_touch_another_creditors_payments(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let b = creditor(store, "BANKB");
    let payment = store
        .post_payment(
            a,
            &NewPayment {
                account: acc.id,
                data: paid(50_000, "REF-1"),
            },
            &AllocationOrder::default(),
            &cli(),
        )
        .expect("posted");
    let before = store.account(a, acc.id).expect("read");
    let post = store.post_payment(
        b.id,
        &NewPayment {
            account: acc.id,
            data: paid(10_000, "REF-B"),
        },
        &AllocationOrder::default(),
        &cli(),
    );
    assert!(matches!(post, Err(StoreError::NotFound(_))), "{post:?}");
    let reverse = store.reverse_payment(b.id, payment.id, "bukan milik", at(1), &cli());
    assert!(
        matches!(reverse, Err(StoreError::NotFound(_))),
        "{reverse:?}"
    );
    let mut source = VecSource::new(vec![payment_row(1, "ACC-1", 10_000, "REF-B2")]);
    let outcome = store
        .import_payments(b.id, &cli(), &AllocationOrder::default(), &mut source)
        .expect("import");
    assert_eq!((outcome.inserted, outcome.rejected), (0, 1));
    assert_eq!(store.account(a, acc.id).expect("read"), before);
    assert_eq!(store.payments(a, acc.id).expect("read"), vec![payment]);
}

/// Another creditor's audit entries, search hits and portfolio stay hidden.
pub fn creditor_cannot_see_another_creditors_audit_or_search_results(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let b = creditor(store, "BANKB");
    store
        .post_payment(
            a,
            &NewPayment {
                account: acc.id,
                data: paid(50_000, "REF-1"),
            },
            &AllocationOrder::default(),
            &cli(),
        )
        .expect("posted");
    let account = EntityRef::new("account", acc.id);
    assert_eq!(store.audit_trail(a, &account, 10).expect("trail").len(), 1);
    assert!(store
        .audit_trail(b.id, &account, 10)
        .expect("trail")
        .is_empty());
    let imports = EntityRef::new("import", "accounts");
    assert!(store
        .audit_trail(b.id, &imports, 10)
        .expect("trail")
        .is_empty());
    let creditor_a = EntityRef::new("creditor", a);
    assert!(store
        .audit_trail(b.id, &creditor_a, 10)
        .expect("trail")
        .is_empty());
    assert_eq!(found(store, a, "Siti"), ["ACC-1"]);
    for text in ["Siti", "ACC", nik(1).as_str(), phone(1).as_str()] {
        assert!(found(store, b.id, text).is_empty(), "{text}");
    }
    let everything = AccountQuery {
        limit: 500,
        ..AccountQuery::default()
    };
    assert!(store
        .search_accounts(b.id, &everything)
        .expect("search")
        .is_empty());
    assert!(store
        .portfolio_by_dpd(b.id, day("2026-11-24"))
        .expect("portfolio")
        .is_empty());
}

/// Account numbers, debtor keys and payment references are unique per creditor only.
pub fn same_account_number_and_reference_may_exist_under_two_creditors(store: &dyn Store) {
    let (a, acc_a) = one_account(store);
    let b = creditor(store, "BANKB");
    let outcome = import(
        store,
        b.id,
        vec![account(1, "ACC-1", person("CIF1", "Rina Marlina", 9))],
    );
    assert_eq!(outcome.inserted, 1);
    let acc_b = store
        .account_by_number(b.id, "ACC-1")
        .expect("read")
        .expect("exists");
    assert_ne!(acc_a.id, acc_b.id);
    assert_ne!(acc_a.debtor.id, acc_b.debtor.id);
    assert_eq!(acc_b.debtor.data.name, "Rina Marlina");
    for (creditor, account) in [(a, acc_a.id), (b.id, acc_b.id)] {
        store
            .post_payment(
                creditor,
                &NewPayment {
                    account,
                    data: paid(50_000, "REF-1"),
                },
                &AllocationOrder::default(),
                &cli(),
            )
            .expect("posted under each creditor");
    }
    let siti = store
        .account_by_number(a, "ACC-1")
        .expect("read")
        .expect("exists");
    assert_eq!(siti.debtor.data.name, "Siti Rahayu");
}
