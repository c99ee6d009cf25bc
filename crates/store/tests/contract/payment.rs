//! Contract: posting and reversing payments (allocation, balances, status, audit).

use sepakat_domain::{Allocation, AllocationOrder, Component, Rupiah};
use sepakat_store::{
    AccountDetail, AccountId, AccountStatus, CreditorId, EntityRef, NewPayment, PaymentId, Store,
    StoreError,
};

use super::fixtures::*;

/// A creditor with one account `ACC-1` owing `owing()`.
pub fn one_account(store: &dyn Store) -> (CreditorId, AccountDetail) {
    let a = creditor(store, "BANKA");
    import(
        store,
        a.id,
        vec![account(1, "ACC-1", person("CIF1", "Siti Rahayu", 1))],
    );
    let acc = store
        .account_by_number(a.id, "ACC-1")
        .expect("read")
        .expect("exists");
    (a.id, acc)
}

fn post(
    store: &dyn Store,
    creditor: CreditorId,
    account: AccountId,
    amount: i64,
    reference: &str,
) -> Result<sepakat_store::Payment, StoreError> {
    store.post_payment(
        creditor,
        &NewPayment {
            account,
            data: paid(amount, reference),
        },
        &AllocationOrder::default(),
        &cli(),
    )
}

fn reload(store: &dyn Store, creditor: CreditorId, account: AccountId) -> AccountDetail {
    store
        .account(creditor, account)
        .expect("read")
        .expect("exists")
}

fn actions(store: &dyn Store, creditor: CreditorId, account: AccountId) -> Vec<String> {
    store
        .audit_trail(creditor, &EntityRef::new("account", account), 50)
        .expect("trail")
        .into_iter()
        .map(|e| e.entry.action)
        .collect()
}

/// The default order pays fees, then penalty, then interest, then principal; audited.
pub fn post_payment_allocates_fees_penalty_interest_principal_and_audits(store: &dyn Store) {
    let (c, acc) = one_account(store);
    let payment = post(store, c, acc.id, 50_000, "REF-1").expect("posted");
    assert_eq!(payment.account, acc.id);
    assert_eq!(payment.amount, Rupiah::new(50_000));
    assert_eq!(payment.paid_at, at(0));
    assert_eq!(payment.reference, "REF-1");
    assert_eq!(payment.channel, "transfer");
    assert_eq!(
        payment.allocation,
        Allocation {
            fees: Rupiah::new(10_000),
            penalty: Rupiah::new(20_000),
            interest: Rupiah::new(20_000),
            principal: Rupiah::ZERO,
            excess: Rupiah::ZERO,
        }
    );
    assert_eq!(payment.instalments_cleared, 0);
    assert_eq!((payment.reverses, payment.reversed_by), (None, None));
    let after = reload(store, c, acc.id);
    let mut expected = owing();
    expected.fees = Rupiah::ZERO;
    expected.penalty = Rupiah::ZERO;
    expected.arrears_interest = Rupiah::new(10_000);
    assert_eq!(after.balance, expected);
    assert_eq!(after.status, AccountStatus::Open);
    assert_eq!(
        after.last_payment,
        Some((at(0).date_naive(), Rupiah::new(50_000)))
    );
    assert_eq!(
        store.payments(c, acc.id).expect("payments"),
        vec![payment.clone()]
    );
    let trail = store
        .audit_trail(c, &EntityRef::new("account", acc.id), 10)
        .expect("trail");
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].entry.action, "payment.posted");
    assert_eq!(trail[0].entry.creditor, Some(c));
    assert_eq!(trail[0].entry.detail["reference"], "REF-1");
    assert_eq!(trail[0].entry.detail["amount"], 50_000);
    assert_eq!(trail[0].entry.detail["payment_id"], payment.id.0);
}

/// A configured order is followed (here principal first).
pub fn post_payment_follows_a_custom_allocation_order(store: &dyn Store) {
    let (c, acc) = one_account(store);
    let order = AllocationOrder::new(vec![
        Component::Principal,
        Component::Interest,
        Component::Penalty,
        Component::Fees,
    ])
    .expect("valid order");
    let payment = store
        .post_payment(
            c,
            &NewPayment {
                account: acc.id,
                data: paid(50_000, "REF-1"),
            },
            &order,
            &cli(),
        )
        .expect("posted");
    assert_eq!(
        payment.allocation,
        Allocation {
            principal: Rupiah::new(50_000),
            ..Allocation::default()
        }
    );
    let after = reload(store, c, acc.id);
    assert_eq!(after.balance.arrears_principal, Rupiah::new(50_000));
    assert_eq!(after.balance.fees, Rupiah::new(10_000));
    assert_eq!(
        after.balance.total_outstanding(),
        owing().total_outstanding() - Rupiah::new(50_000)
    );
}

/// A reference already used by the creditor is refused and changes nothing.
pub fn duplicate_payment_reference_is_a_conflict(store: &dyn Store) {
    let (c, acc) = one_account(store);
    post(store, c, acc.id, 50_000, "REF-1").expect("posted");
    let balance = reload(store, c, acc.id).balance;
    let again = post(store, c, acc.id, 70_000, "REF-1");
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(store.payments(c, acc.id).expect("payments").len(), 1);
    assert_eq!(reload(store, c, acc.id).balance, balance);
    assert_eq!(actions(store, c, acc.id), ["payment.posted"]);
}

/// Zero or negative amounts and unknown accounts are refused; nothing is stored.
pub fn non_positive_payment_is_refused_and_stores_nothing(store: &dyn Store) {
    let (c, acc) = one_account(store);
    for (amount, reference) in [(0, "REF-0"), (-5_000, "REF-NEG")] {
        let refused = post(store, c, acc.id, amount, reference);
        assert!(refused.is_err(), "{refused:?}");
    }
    let unknown = post(store, c, AccountId(acc.id.0 + 1000), 50_000, "REF-X");
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
    assert!(store.payments(c, acc.id).expect("payments").is_empty());
    assert_eq!(reload(store, c, acc.id), acc);
    assert!(actions(store, c, acc.id).is_empty());
}

/// Paying everything owed (and more) leaves nothing owed, an excess, and status PaidOff.
pub fn payment_of_everything_owed_marks_the_account_paid_off(store: &dyn Store) {
    let (c, acc) = one_account(store);
    let payment = post(store, c, acc.id, 1_100_000, "LUNAS-1").expect("posted");
    assert_eq!(
        payment.allocation,
        Allocation {
            fees: Rupiah::new(10_000),
            penalty: Rupiah::new(20_000),
            interest: Rupiah::new(30_000),
            principal: Rupiah::new(1_000_000),
            excess: Rupiah::new(40_000),
        }
    );
    let after = reload(store, c, acc.id);
    assert_eq!(after.balance.total_outstanding(), Rupiah::ZERO);
    assert_eq!(after.balance.oldest_unpaid_due, None);
    assert_eq!(after.status, AccountStatus::PaidOff);
}

/// A reversal is a new negative entry pointing at the original, and restores the balance
/// (including the oldest unpaid due date the payment had moved).
pub fn reversal_restores_the_balance_and_points_at_the_original(store: &dyn Store) {
    let (c, acc) = one_account(store);
    let original = post(store, c, acc.id, 160_000, "REF-1").expect("posted");
    assert_eq!(reload(store, c, acc.id).balance.oldest_unpaid_due, None);
    let reversal = store
        .reverse_payment(c, original.id, "salah posting", at(2), &cli())
        .expect("reversed");
    assert_ne!(reversal.id, original.id);
    assert_eq!(reversal.account, acc.id);
    assert_eq!(reversal.amount, Rupiah::new(-160_000));
    assert_eq!(reversal.paid_at, at(2));
    assert_eq!(reversal.reference, original.reference);
    assert_eq!(reversal.channel, original.channel);
    assert_eq!(reversal.reverses, Some(original.id));
    assert_eq!(reversal.reason.as_deref(), Some("salah posting"));
    assert_eq!(reversal.instalments_cleared, original.instalments_cleared);
    let a = original.allocation;
    assert_eq!(
        reversal.allocation,
        Allocation {
            fees: -a.fees,
            penalty: -a.penalty,
            interest: -a.interest,
            principal: -a.principal,
            excess: -a.excess,
        }
    );
    let after = reload(store, c, acc.id);
    assert_eq!(after.balance, owing());
    assert_eq!(after.status, AccountStatus::Open);
    let listed = store.payments(c, acc.id).expect("payments");
    let mut expected_original = original.clone();
    expected_original.reversed_by = Some(reversal.id);
    assert_eq!(listed, vec![expected_original, reversal]);
    assert_eq!(
        actions(store, c, acc.id),
        ["payment.reversed", "payment.posted"]
    );
}

/// A payment is reversed at most once, and a reversal cannot be reversed.
pub fn double_reversal_and_reversing_a_reversal_are_conflicts(store: &dyn Store) {
    let (c, acc) = one_account(store);
    let original = post(store, c, acc.id, 50_000, "REF-1").expect("posted");
    let reversal = store
        .reverse_payment(c, original.id, "salah", at(1), &cli())
        .expect("reversed");
    let twice = store.reverse_payment(c, original.id, "lagi", at(2), &cli());
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    let of_reversal = store.reverse_payment(c, reversal.id, "lagi", at(2), &cli());
    assert!(
        matches!(of_reversal, Err(StoreError::Conflict(_))),
        "{of_reversal:?}"
    );
    assert_eq!(store.payments(c, acc.id).expect("payments").len(), 2);
    assert_eq!(reload(store, c, acc.id).balance, owing());
}

/// Reversing the payment that paid an account off makes it open again.
pub fn reversing_a_payoff_reopens_the_account(store: &dyn Store) {
    let (c, acc) = one_account(store);
    let payoff = post(store, c, acc.id, 1_060_000, "LUNAS-1").expect("posted");
    assert_eq!(reload(store, c, acc.id).status, AccountStatus::PaidOff);
    store
        .reverse_payment(c, payoff.id, "cek kosong", at(1), &cli())
        .expect("reversed");
    let after = reload(store, c, acc.id);
    assert_eq!(after.status, AccountStatus::Open);
    assert_eq!(after.balance, owing());
}

/// Reversing a payment id that does not exist is NotFound.
pub fn reversing_an_unknown_payment_is_not_found(store: &dyn Store) {
    let (c, _) = one_account(store);
    let missing = store.reverse_payment(c, PaymentId(999_999), "x", at(1), &cli());
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
}
