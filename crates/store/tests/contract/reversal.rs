//! Contract: maker-checker reversals. A request waits for a second person; approving
//! reverses the payment in the same transaction; nobody decides their own request; one
//! pending request per payment; another creditor's payment is unknown.

use sepakat_domain::{AllocationOrder, Rupiah};
use sepakat_store::{Actor, EntityRef, NewPayment, PaymentId, ReversalStatus, Store, StoreError};

use super::fixtures::*;
use super::payment::one_account;

fn conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, needle: &str) {
    match result {
        Err(StoreError::Conflict(m)) => assert!(m.contains(needle), "{m} lacks {needle}"),
        other => panic!("expected a conflict about {needle}, got {other:?}"),
    }
}

pub fn a_reversal_request_waits_for_a_second_person_who_reverses_or_rejects_it(store: &dyn Store) {
    let (c, acc) = one_account(store);
    let maker = user(store, "kasir", &[c]);
    let checker = user(store, "penyelia", &[c]);
    let as_user = |u: &sepakat_store::User| Actor::user(u.id, &u.username);
    let post = |reference: &str| {
        store
            .post_payment(
                c,
                &NewPayment {
                    account: acc.id,
                    data: paid(40_000, reference),
                },
                &AllocationOrder::default(),
                &cli(),
            )
            .expect("posted")
    };
    let first = post("REF-A");
    let second = post("REF-B");
    let before = store.account(c, acc.id).unwrap().unwrap().balance;

    conflict(
        store.request_reversal(c, first.id, "  ", at(1), &as_user(&maker)),
        "reason",
    );
    conflict(
        store.request_reversal(c, first.id, "salah input", at(1), &cli()),
        "person",
    );
    assert!(matches!(
        store.request_reversal(c, PaymentId(999_999), "x", at(1), &as_user(&maker)),
        Err(StoreError::NotFound(_))
    ));
    let request = store
        .request_reversal(c, first.id, "Salah input nominal", at(1), &as_user(&maker))
        .expect("requested");
    conflict(
        store.request_reversal(c, first.id, "lagi", at(1), &as_user(&checker)),
        "waiting",
    );
    // Nothing moved yet.
    assert_eq!(store.account(c, acc.id).unwrap().unwrap().balance, before);
    conflict(
        store.decide_reversal(c, request, true, "ok", at(2), &as_user(&maker)),
        "someone other",
    );
    let reversal = store
        .decide_reversal(
            c,
            request,
            true,
            "Bukti transfer salah",
            at(2),
            &as_user(&checker),
        )
        .expect("approved")
        .expect("a reversal");
    assert_eq!(reversal.amount, Rupiah::new(-40_000));
    assert_eq!(reversal.reverses, Some(first.id));
    conflict(
        store.decide_reversal(c, request, false, "x", at(3), &as_user(&checker)),
        "already approved",
    );
    let requests = store.reversal_requests(c, acc.id).expect("read");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].status, ReversalStatus::Approved);
    assert_eq!(requests[0].reversal, Some(reversal.id));
    assert_eq!(requests[0].requested_by, maker.id);
    assert_eq!(requests[0].decided_by, Some(checker.id));
    assert_eq!(requests[0].amount, Rupiah::new(40_000));
    conflict(
        store.request_reversal(c, first.id, "lagi", at(4), &as_user(&maker)),
        "already reversed",
    );

    // A rejected request leaves the payment as it was.
    let other = store
        .request_reversal(c, second.id, "Duplikat?", at(5), &as_user(&maker))
        .expect("requested");
    let after_first = store.account(c, acc.id).unwrap().unwrap().balance;
    assert!(store
        .decide_reversal(c, other, false, "Bukan duplikat", at(6), &as_user(&checker))
        .expect("rejected")
        .is_none());
    assert_eq!(
        store.account(c, acc.id).unwrap().unwrap().balance,
        after_first
    );
    let payments = store.payments(c, acc.id).unwrap();
    assert!(payments.iter().all(|p| p.reverses != Some(second.id)));

    let trail: Vec<String> = store
        .audit_trail(c, &EntityRef::new("account", acc.id), 50)
        .unwrap()
        .into_iter()
        .map(|e| e.entry.action)
        .collect();
    for action in [
        "reversal.requested",
        "reversal.approved",
        "payment.reversed",
        "reversal.rejected",
    ] {
        assert!(trail.iter().any(|a| a == action), "{action} in {trail:?}");
    }

    // Another creditor sees neither the payment nor the requests.
    let b = creditor(store, "BANKB");
    let outsider = user(store, "orang_luar", &[b.id]);
    assert!(matches!(
        store.request_reversal(b.id, second.id, "x", at(7), &as_user(&outsider)),
        Err(StoreError::NotFound(_))
    ));
    assert!(store.reversal_requests(b.id, acc.id).unwrap().is_empty());
}
