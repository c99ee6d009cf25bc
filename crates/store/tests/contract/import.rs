//! Contract: bulk imports of accounts and payments (one transaction, upsert, dry run).

use sepakat_domain::{AllocationOrder, Rupiah};
use sepakat_store::{AccountQuery, EntityRef, ImportOutcome, Store};

use super::fixtures::*;

fn all(store: &dyn Store, creditor: sepakat_store::CreditorId) -> Vec<String> {
    let query = AccountQuery {
        limit: 500,
        ..AccountQuery::default()
    };
    let mut numbers: Vec<String> = store
        .search_accounts(creditor, &query)
        .expect("search")
        .into_iter()
        .map(|item| item.account_no)
        .collect();
    numbers.sort();
    numbers
}

/// A first import inserts; importing the same numbers again updates them in place.
pub fn import_inserts_then_reimport_updates_without_duplicates(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let rows = || {
        vec![
            account(1, "ACC-1", person("CIF1", "Siti Rahayu", 1)),
            account(2, "ACC-2", person("CIF1", "Siti Rahayu", 1)),
            account(3, "ACC-3", person("CIF2", "Budi Santoso", 2)),
        ]
    };
    let mut source = VecSource::new(rows());
    let first = store
        .import_accounts(a.id, &cli(), &mut source)
        .expect("import");
    assert_eq!(
        first,
        ImportOutcome {
            inserted: 3,
            committed: true,
            ..ImportOutcome::default()
        }
    );
    assert_eq!(source.pulls_after_end, 0, "the store reads past the end");
    let mut changed = rows();
    changed[2].balance.penalty = Rupiah::new(25_000);
    let second = import(store, a.id, changed);
    assert_eq!(
        second,
        ImportOutcome {
            updated: 3,
            committed: true,
            ..ImportOutcome::default()
        }
    );
    assert_eq!(all(store, a.id), ["ACC-1", "ACC-2", "ACC-3"]);
    let acc3 = store
        .account_by_number(a.id, "ACC-3")
        .expect("read")
        .expect("exists");
    assert_eq!(acc3.balance.penalty, Rupiah::new(25_000));
}

/// A re-import writes every changed field, to and from NULL, of debtor and account; rows
/// that repeat what is stored count as updated too and stay as they are.
pub fn reimport_writes_changed_fields_and_counts_unchanged_rows_as_updated(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let original = account(1, "ACC-1", person("CIF1", "Siti Rahayu", 1));
    let same = account(2, "INV-7", company("NPWP1", "PT Sumber Makmur"));
    import(store, a.id, vec![original.clone(), same.clone()]);
    let mut changed = original.clone();
    changed.debtor.name = "Siti Rahayu Putri".to_string();
    changed.debtor.phone = None;
    changed.balance.oldest_unpaid_due = None;
    changed.last_payment = None;
    changed.instalment = Rupiah::new(131_000);
    let check = |expected: &[&sepakat_store::AccountUpsert]| {
        for row in expected {
            let got = store
                .account_by_number(a.id, &row.account_no)
                .expect("read")
                .expect("exists");
            assert_eq!(got.debtor.data, row.debtor);
            assert_eq!(got.balance, row.balance);
            assert_eq!(got.last_payment, row.last_payment);
            assert_eq!(got.instalment, row.instalment);
        }
    };
    for rows in [
        vec![changed.clone(), same.clone()],
        vec![changed.clone(), same.clone()],
        vec![original.clone(), same.clone()],
    ] {
        let expected: Vec<_> = rows.clone();
        let outcome = import(store, a.id, rows);
        assert_eq!((outcome.inserted, outcome.updated), (0, 2));
        check(&expected.iter().collect::<Vec<_>>());
    }
    assert_eq!(all(store, a.id), ["ACC-1", "INV-7"]);
}

/// A number that appears twice in one file is inserted once, then updated by the later row.
pub fn import_counts_a_repeated_account_number_in_one_file_as_an_update(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let mut later = account(2, "ACC-1", person("CIF1", "Siti Rahayu", 1));
    later.instalment = Rupiah::new(99_000);
    let outcome = import(
        store,
        a.id,
        vec![account(1, "ACC-1", person("CIF1", "Siti Rahayu", 1)), later],
    );
    assert_eq!((outcome.inserted, outcome.updated), (1, 1));
    let acc = store
        .account_by_number(a.id, "ACC-1")
        .expect("read")
        .expect("exists");
    assert_eq!(acc.instalment, Rupiah::new(99_000));
}

/// Every field of the row comes back from `account_by_number` and `account`.
pub fn import_keeps_every_field_of_account_and_debtor(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let person_row = account(1, "ACC-1", person("CIF1", "Siti Rahayu", 1));
    let mut company_row = account(2, "INV-7", company("NPWP1", "PT Sumber Makmur"));
    company_row.product = sepakat_domain::ProductType::Invoice;
    company_row.last_payment = None;
    company_row.balance.oldest_unpaid_due = None;
    company_row.status = sepakat_store::AccountStatus::WrittenOff;
    import(store, a.id, vec![person_row.clone(), company_row.clone()]);
    for row in [person_row, company_row] {
        let got = store
            .account_by_number(a.id, &row.account_no)
            .expect("read")
            .expect("exists");
        assert_eq!(got.creditor, a.id);
        assert_eq!(got.account_no, row.account_no);
        assert_eq!(got.debtor.data, row.debtor);
        assert_eq!(got.product, row.product);
        assert_eq!(got.terms, row.terms);
        assert_eq!(got.instalment, row.instalment);
        assert_eq!(got.opened_on, row.opened_on);
        assert_eq!(got.balance, row.balance);
        assert_eq!(got.last_payment, row.last_payment);
        assert_eq!(got.status, row.status);
        assert_eq!(store.account(a.id, got.id).expect("read"), Some(got));
    }
    assert_eq!(
        store.account_by_number(a.id, "ACC-404").expect("read"),
        None
    );
}

/// Accounts with the same debtor key share one debtor, whose data the last row sets.
pub fn import_joins_accounts_with_the_same_debtor_key(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let renamed = person("CIF1", "Siti Rahayu Putri", 1);
    import(
        store,
        a.id,
        vec![
            account(1, "ACC-1", person("CIF1", "Siti Rahayu", 1)),
            account(2, "ACC-2", renamed.clone()),
            account(3, "ACC-3", person("CIF2", "Budi Santoso", 2)),
        ],
    );
    let get = |no: &str| {
        store
            .account_by_number(a.id, no)
            .expect("read")
            .expect("exists")
            .debtor
    };
    let (d1, d2, d3) = (get("ACC-1"), get("ACC-2"), get("ACC-3"));
    assert_eq!(d1.id, d2.id);
    assert_ne!(d1.id, d3.id);
    assert_eq!(d1.data, renamed);
}

/// A dry run reports what it would do, then leaves tables and audit as they were.
pub fn import_without_commit_writes_nothing(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    import(
        store,
        a.id,
        vec![account(1, "ACC-1", person("CIF1", "Siti Rahayu", 1))],
    );
    let before = store
        .account_by_number(a.id, "ACC-1")
        .expect("read")
        .expect("exists");
    let mut changed = account(1, "ACC-1", person("CIF1", "Siti Berubah", 1));
    changed.balance.fees = Rupiah::new(1);
    let mut source = VecSource::dry_run(vec![
        changed,
        account(2, "ACC-2", person("CIF2", "Budi Santoso", 2)),
    ]);
    let outcome = store
        .import_accounts(a.id, &cli(), &mut source)
        .expect("dry run");
    assert_eq!(
        outcome,
        ImportOutcome {
            inserted: 1,
            updated: 1,
            committed: false,
            ..ImportOutcome::default()
        }
    );
    assert_eq!(all(store, a.id), ["ACC-1"]);
    assert_eq!(
        store.account_by_number(a.id, "ACC-1").expect("read"),
        Some(before)
    );
    let trail = store
        .audit_trail(a.id, &EntityRef::new("import", "accounts"), 10)
        .expect("trail");
    assert_eq!(trail.len(), 1, "only the committed import is audited");
}

/// One `import.accounts` entry per import carries the counts and no NIK or phone.
pub fn import_is_audited_once_with_counts_and_no_personal_data(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    import(
        store,
        a.id,
        vec![
            account(1, "ACC-1", person("CIF1", "Siti Rahayu", 1)),
            account(2, "ACC-2", person("CIF2", "Budi Santoso", 2)),
            account(3, "ACC-3", person("CIF3", "Wayan Sudarma", 3)),
        ],
    );
    import(
        store,
        a.id,
        vec![account(1, "ACC-3", person("CIF3", "Wayan Sudarma", 3))],
    );
    let trail = store
        .audit_trail(a.id, &EntityRef::new("import", "accounts"), 10)
        .expect("trail");
    assert_eq!(trail.len(), 2);
    let (newest, oldest) = (&trail[0].entry, &trail[1].entry);
    assert_eq!(oldest.action, "import.accounts");
    assert_eq!(oldest.creditor, Some(a.id));
    assert_eq!(oldest.actor, cli());
    assert_eq!(oldest.detail["inserted"], 3);
    assert_eq!(oldest.detail["updated"], 0);
    assert_eq!(newest.detail["inserted"], 0);
    assert_eq!(newest.detail["updated"], 1);
    for entry in &trail {
        assert!(!leaks_personal_data(
            &entry.entry.detail.to_string(),
            &[1, 2, 3]
        ));
    }
}

/// An import of no rows commits and counts nothing.
pub fn empty_import_commits_with_zero_counts(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let outcome = import(store, a.id, vec![]);
    assert_eq!(
        outcome,
        ImportOutcome {
            committed: true,
            ..ImportOutcome::default()
        }
    );
    assert!(all(store, a.id).is_empty());
}

/// Unknown accounts are rejected through the source; known references count as unchanged.
pub fn payment_import_rejects_unknown_accounts_and_skips_known_references(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    import(
        store,
        a.id,
        vec![account(1, "ACC-1", person("CIF1", "Siti Rahayu", 1))],
    );
    let rows = || {
        vec![
            payment_row(1, "ACC-1", 50_000, "REF-1"),
            payment_row(2, "ACC-404", 10_000, "REF-2"),
            payment_row(3, "ACC-1", 50_000, "REF-1"),
        ]
    };
    let order = AllocationOrder::default();
    let mut source = VecSource::new(rows());
    let outcome = store
        .import_payments(a.id, &cli(), &order, &mut source)
        .expect("import");
    assert_eq!(
        outcome,
        ImportOutcome {
            inserted: 1,
            unchanged: 1,
            rejected: 1,
            committed: true,
            ..ImportOutcome::default()
        }
    );
    assert_eq!(
        source.rejected,
        [(
            2,
            "account_no".to_string(),
            "no account ACC-404 for this creditor".to_string()
        )]
    );
    let acc = store
        .account_by_number(a.id, "ACC-1")
        .expect("read")
        .expect("exists");
    assert_eq!(
        acc.balance.total_outstanding(),
        owing().total_outstanding() - Rupiah::new(50_000)
    );
    assert_eq!(
        acc.last_payment,
        Some((at(0).date_naive(), Rupiah::new(50_000)))
    );
    let payments = store.payments(a.id, acc.id).expect("payments");
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].reference, "REF-1");
    assert_eq!(payments[0].amount, Rupiah::new(50_000));

    let mut again = VecSource::new(rows());
    let outcome = store
        .import_payments(a.id, &cli(), &order, &mut again)
        .expect("re-import");
    assert_eq!((outcome.inserted, outcome.unchanged), (0, 2));
    assert_eq!(store.payments(a.id, acc.id).expect("payments").len(), 1);
    let trail = store
        .audit_trail(a.id, &EntityRef::new("import", "payments"), 10)
        .expect("trail");
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[1].entry.action, "import.payments");
    assert_eq!(trail[1].entry.detail["inserted"], 1);
    assert_eq!(trail[1].entry.detail["rejected"], 1);
}

/// A payment dry run posts nothing and leaves the balance alone.
pub fn payment_import_without_commit_writes_nothing(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    import(
        store,
        a.id,
        vec![account(1, "ACC-1", person("CIF1", "Siti Rahayu", 1))],
    );
    let before = store
        .account_by_number(a.id, "ACC-1")
        .expect("read")
        .expect("exists");
    let mut source = VecSource::dry_run(vec![payment_row(1, "ACC-1", 50_000, "REF-1")]);
    let outcome = store
        .import_payments(a.id, &cli(), &AllocationOrder::default(), &mut source)
        .expect("dry run");
    assert_eq!((outcome.inserted, outcome.committed), (1, false));
    assert!(store
        .payments(a.id, before.id)
        .expect("payments")
        .is_empty());
    assert_eq!(
        store.account_by_number(a.id, "ACC-1").expect("read"),
        Some(before)
    );
}

/// A first import larger than one write batch: debtors named again far apart keep one
/// record with the last row's data, and a number repeated in a later batch is an update.
pub fn first_import_across_batches_dedupes_debtors_and_counts_repeats(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let mut rows: Vec<_> = (0..150u32)
        .map(|i| {
            let debtor = person(&format!("CIF{}", i % 40), "Siti Rahayu", i % 40 + 1);
            account(u64::from(i) + 2, &format!("ACC-{i:04}"), debtor)
        })
        .collect();
    let mut renamed = person("CIF7", "Siti Rahayu Baru", 8);
    renamed.city = Some("Kota Bandung".into());
    rows[127].debtor = renamed;
    let mut repeat = account(152, "ACC-0003", person("CIF3", "Siti Rahayu", 4));
    repeat.instalment = Rupiah::new(77_000);
    rows.push(repeat);
    let outcome = import(store, a.id, rows);
    assert_eq!((outcome.inserted, outcome.updated), (150, 1));
    let acc7 = store
        .account_by_number(a.id, "ACC-0007")
        .expect("read")
        .expect("exists");
    assert_eq!(acc7.debtor.data.name, "Siti Rahayu Baru");
    assert_eq!(acc7.debtor.data.city.as_deref(), Some("Kota Bandung"));
    let acc47 = store
        .account_by_number(a.id, "ACC-0047")
        .expect("read")
        .expect("exists");
    assert_eq!(acc47.debtor.id, acc7.debtor.id, "one record per debtor key");
    let acc3 = store
        .account_by_number(a.id, "ACC-0003")
        .expect("read")
        .expect("exists");
    assert_eq!(acc3.instalment, Rupiah::new(77_000));
    assert_eq!(all(store, a.id).len(), 150);
}
