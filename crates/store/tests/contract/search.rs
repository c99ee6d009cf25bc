//! Contract: account search (name, number prefix, NIK, phone), masking, order and paging.

use sepakat_domain::{ProductType, Rupiah};
use sepakat_store::{AccountQuery, AccountStatus, CreditorId, Store};

use super::fixtures::*;

/// Creditor A with four accounts of different debtors and overdue dates.
pub fn four_accounts(store: &dyn Store) -> CreditorId {
    let a = creditor(store, "BANKA");
    let dated = |row, no: &str, debtor, due: Option<&str>| {
        let mut acc = account(row, no, debtor);
        acc.balance.oldest_unpaid_due = due.map(day);
        acc
    };
    import(
        store,
        a.id,
        vec![
            dated(
                1,
                "ACC-001",
                person("CIF1", "Siti Rahayu", 1),
                Some("2026-09-10"),
            ),
            dated(
                2,
                "ACC-002",
                person("CIF2", "Budi Santoso", 2),
                Some("2026-10-10"),
            ),
            dated(3, "ACC-010", person("CIF3", "Wayan Sudarma", 3), None),
            dated(
                4,
                "XYZ-1",
                person("CIF4", "siti aminah", 4),
                Some("2026-08-10"),
            ),
        ],
    );
    a.id
}

/// The account numbers a text search returns, in order.
pub fn found(store: &dyn Store, creditor: CreditorId, text: &str) -> Vec<String> {
    let query = AccountQuery {
        text: Some(text.to_string()),
        limit: 50,
        ..AccountQuery::default()
    };
    store
        .search_accounts(creditor, &query)
        .expect("search")
        .into_iter()
        .map(|item| item.account_no)
        .collect()
}

/// Any part of the name matches, whatever its case.
pub fn search_finds_by_name_part_in_any_case(store: &dyn Store) {
    let a = four_accounts(store);
    assert_eq!(found(store, a, "siti"), ["XYZ-1", "ACC-001"]);
    assert_eq!(found(store, a, "SITI"), ["XYZ-1", "ACC-001"]);
    assert_eq!(found(store, a, "rahayu"), ["ACC-001"]);
    assert_eq!(found(store, a, "  Santoso "), ["ACC-002"]);
    assert!(found(store, a, "Joko").is_empty());
}

/// The start of an account number matches; the middle does not.
pub fn search_finds_by_account_number_prefix(store: &dyn Store) {
    let a = four_accounts(store);
    assert_eq!(found(store, a, "ACC-00"), ["ACC-001", "ACC-002"]);
    assert_eq!(found(store, a, "ACC-010"), ["ACC-010"]);
    assert!(found(store, a, "CC-00").is_empty());
}

/// A whole NIK, with or without separators, matches its debtor exactly.
pub fn search_finds_by_full_nik(store: &dyn Store) {
    let a = four_accounts(store);
    let nik2 = nik(2);
    assert_eq!(found(store, a, nik2.as_str()), ["ACC-002"]);
    let spaced = format!(
        "{} {} {}",
        &nik2.as_str()[..6],
        &nik2.as_str()[6..12],
        &nik2.as_str()[12..]
    );
    assert_eq!(found(store, a, &spaced), ["ACC-002"]);
    assert!(found(store, a, nik(77).as_str()).is_empty());
}

/// Debtors keyed by their NIK (no customer number in the file) are found by NIK as those
/// keyed by a CIF are, and only the creditor's own. (On SQLite the NIK index leaves out
/// debtors keyed by their NIK, which the search finds through the key index.)
pub fn search_finds_by_nik_a_debtor_keyed_by_it_and_one_keyed_otherwise(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let b = creditor(store, "BANKB");
    let by_nik = |serial| person(nik(serial).as_str(), "Dewi Lestari", serial);
    import(
        store,
        a.id,
        vec![
            account(1, "ACC-001", by_nik(5)),
            account(2, "ACC-002", by_nik(5)),
            account(3, "ACC-003", person("CIF6", "Agus Salim", 6)),
        ],
    );
    import(store, b.id, vec![account(1, "BBB-001", by_nik(6))]);
    assert_eq!(found(store, a.id, nik(5).as_str()), ["ACC-001", "ACC-002"]);
    assert_eq!(found(store, a.id, nik(6).as_str()), ["ACC-003"]);
    assert_eq!(found(store, b.id, nik(6).as_str()), ["BBB-001"]);
    assert!(found(store, b.id, nik(5).as_str()).is_empty());
}

/// A phone number matches in local, international or spaced form.
pub fn search_finds_by_phone_in_any_format(store: &dyn Store) {
    let a = four_accounts(store);
    let e164 = phone(3).as_str().to_string();
    let national = &e164[3..];
    for form in [
        e164.clone(),
        format!("0{national}"),
        format!("62{national}"),
        format!("+62 {} {}", &national[..3], &national[3..]),
        format!("0{}-{}", &national[..3], &national[3..]),
    ] {
        assert_eq!(found(store, a, &form), ["ACC-010"], "{form}");
    }
}

/// List items carry masked NIK and phone, never the full values.
pub fn search_masks_nik_and_phone(store: &dyn Store) {
    let a = four_accounts(store);
    import(
        store,
        a,
        vec![account(5, "INV-9", company("NPWP1", "PT Sumber Makmur"))],
    );
    let query = AccountQuery {
        limit: 50,
        ..AccountQuery::default()
    };
    let items = store.search_accounts(a, &query).expect("search");
    assert_eq!(items.len(), 5);
    let siti = items
        .iter()
        .find(|i| i.account_no == "ACC-001")
        .expect("listed");
    assert_eq!(siti.debtor_name, "Siti Rahayu");
    assert_eq!(siti.nik_masked, Some(nik(1).masked()));
    assert_eq!(siti.phone_masked, Some(phone(1).masked()));
    assert_eq!(siti.province, sepakat_domain::Province::JawaBarat);
    assert_eq!(siti.product, ProductType::Kta);
    assert_eq!(siti.outstanding, owing().total_outstanding());
    assert_eq!(siti.oldest_unpaid_due, Some(day("2026-09-10")));
    assert_eq!(siti.status, AccountStatus::Open);
    let company = items
        .iter()
        .find(|i| i.account_no == "INV-9")
        .expect("listed");
    assert_eq!((&company.nik_masked, &company.phone_masked), (&None, &None));
    let text = format!("{items:?}");
    assert!(!leaks_personal_data(&text, &[1, 2, 3, 4]));
}

/// Oldest unpaid due date first (most overdue), accounts with nothing due last.
pub fn search_orders_most_overdue_first_and_undated_last(store: &dyn Store) {
    let a = four_accounts(store);
    let mut same_day = account(5, "ACC-000", person("CIF5", "Agus Salim", 5));
    same_day.balance.oldest_unpaid_due = Some(day("2026-09-10"));
    import(store, a, vec![same_day]);
    let query = AccountQuery {
        limit: 50,
        ..AccountQuery::default()
    };
    let order: Vec<String> = store
        .search_accounts(a, &query)
        .expect("search")
        .into_iter()
        .map(|i| i.account_no)
        .collect();
    assert_eq!(order, ["XYZ-1", "ACC-000", "ACC-001", "ACC-002", "ACC-010"]);
}

/// Product and open-only filters narrow the list, also together with text.
pub fn search_filters_by_product_and_open_status(store: &dyn Store) {
    let a = four_accounts(store);
    let mut invoice = account(5, "INV-1", company("NPWP1", "PT Siti Niaga"));
    invoice.product = ProductType::Invoice;
    let mut paid = account(6, "ACC-099", person("CIF6", "Siti Lunas", 6));
    paid.status = AccountStatus::PaidOff;
    paid.balance = sepakat_domain::Balance::default();
    import(store, a, vec![invoice, paid]);
    let search = |text: Option<&str>, product, open_only| -> Vec<String> {
        let query = AccountQuery {
            text: text.map(str::to_string),
            product,
            open_only,
            limit: 50,
            offset: 0,
        };
        let mut numbers: Vec<String> = store
            .search_accounts(a, &query)
            .expect("search")
            .into_iter()
            .map(|i| i.account_no)
            .collect();
        numbers.sort();
        numbers
    };
    assert_eq!(search(None, Some(ProductType::Invoice), false), ["INV-1"]);
    assert_eq!(
        search(Some("siti"), None, false),
        ["ACC-001", "ACC-099", "INV-1", "XYZ-1"]
    );
    assert_eq!(
        search(Some("siti"), None, true),
        ["ACC-001", "INV-1", "XYZ-1"]
    );
    assert_eq!(
        search(Some("siti"), Some(ProductType::Kta), true),
        ["ACC-001", "XYZ-1"]
    );
    assert!(search(Some("budi"), Some(ProductType::Invoice), false).is_empty());
}

/// No more than 500 rows come back whatever the limit; offset pages through the order.
pub fn search_caps_limit_and_pages_with_offset(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let rows = (1..=520u32)
        .map(|n| {
            let mut acc = account(
                u64::from(n),
                &format!("ACC-{n:04}"),
                person(&format!("CIF{n}"), "Debitur", n),
            );
            acc.balance.penalty = Rupiah::new(i64::from(n));
            acc
        })
        .collect();
    import(store, a.id, rows);
    let query = |limit, offset| AccountQuery {
        limit,
        offset,
        ..AccountQuery::default()
    };
    assert_eq!(
        store
            .search_accounts(a.id, &query(10_000, 0))
            .expect("search")
            .len(),
        500
    );
    let page: Vec<String> = store
        .search_accounts(a.id, &query(3, 10))
        .expect("search")
        .into_iter()
        .map(|i| i.account_no)
        .collect();
    assert_eq!(page, ["ACC-0011", "ACC-0012", "ACC-0013"]);
    assert_eq!(
        store
            .search_accounts(a.id, &query(10, 515))
            .expect("search")
            .len(),
        5
    );
}

/// `%`, `_` and quotes in the text are plain characters, not patterns or SQL.
pub fn search_treats_wildcards_in_text_literally(store: &dyn Store) {
    let a = four_accounts(store);
    for text in [
        "%",
        "_",
        "Siti_Rahayu",
        "ACC%",
        "ACC-00_",
        "' OR '1'='1",
        "\\",
    ] {
        assert!(found(store, a, text).is_empty(), "{text}");
    }
}
