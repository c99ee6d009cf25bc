//! Contract: a debtor's other contacts (restricted parties): added, listed with the phone
//! kept, corrected by a replacing contact once, never the debtor, never another
//! creditor's debtor; audited.

use sepakat_domain::compliance::Party;
use sepakat_store::{DebtorContactId, EntityRef, NewDebtorContact, Store, StoreError};

use super::fixtures::*;
use super::payment::one_account;

fn sister(debtor: sepakat_store::DebtorId) -> NewDebtorContact {
    NewDebtorContact {
        debtor,
        party: Party::Family,
        name: "Rina Rahayu".into(),
        relation: "kakak".into(),
        phone: Some(phone(7701)),
        note: String::new(),
        replaces: None,
    }
}

pub fn a_debtors_other_contacts_are_kept_and_corrected_by_replacement(store: &dyn Store) {
    let (c, acc) = one_account(store);
    let debtor = acc.debtor.id;
    let first = store
        .add_debtor_contact(c, &sister(debtor), at(0), &cli())
        .expect("added");
    let conflict = |contact: NewDebtorContact, needle: &str| match store.add_debtor_contact(
        c,
        &contact,
        at(1),
        &cli(),
    ) {
        Err(StoreError::Conflict(m)) => assert!(m.contains(needle), "{m}"),
        other => panic!("expected a conflict about {needle}: {other:?}"),
    };
    conflict(
        NewDebtorContact {
            party: Party::Debtor,
            ..sister(debtor)
        },
        "debtor",
    );
    conflict(
        NewDebtorContact {
            name: "  ".into(),
            ..sister(debtor)
        },
        "name",
    );
    conflict(
        NewDebtorContact {
            note: "x".repeat(201),
            ..sister(debtor)
        },
        "note",
    );
    conflict(
        NewDebtorContact {
            replaces: Some(DebtorContactId(987_654)),
            ..sister(debtor)
        },
        "not a contact",
    );
    let corrected = store
        .add_debtor_contact(
            c,
            &NewDebtorContact {
                phone: Some(phone(7702)),
                replaces: Some(first),
                ..sister(debtor)
            },
            at(2),
            &cli(),
        )
        .expect("corrected");
    conflict(
        NewDebtorContact {
            replaces: Some(first),
            ..sister(debtor)
        },
        "already replaced",
    );
    let contacts = store.debtor_contacts(c, debtor).expect("read");
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[0].id, first);
    assert_eq!(contacts[0].replaced_by, Some(corrected));
    assert_eq!(contacts[1].data.phone, Some(phone(7702)));
    assert_eq!(contacts[1].data.relation, "kakak");
    assert_eq!(contacts[1].replaced_by, None);
    let trail = store
        .audit_trail(c, &EntityRef::new("debtor", debtor), 10)
        .expect("trail");
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.entry.action == "debtor_contact.added")
            .count(),
        2
    );
    let json = serde_json::to_string(&trail).unwrap();
    for serial in [7701, 7702] {
        assert!(
            !json.contains(phone(serial).as_str()),
            "a full phone in {json}"
        );
    }

    let b = creditor(store, "BANKB");
    assert!(matches!(
        store.add_debtor_contact(b.id, &sister(debtor), at(3), &cli()),
        Err(StoreError::NotFound(_))
    ));
    assert!(store
        .debtor_contacts(b.id, debtor)
        .expect("read")
        .is_empty());
}

fn emergency(name: &str, tail: u32) -> sepakat_store::ImportedContact {
    sepakat_store::ImportedContact {
        party: Party::EmergencyContact,
        name: name.into(),
        relation: "kakak".into(),
        phone: Some(phone(tail)),
    }
}

/// The contacts of one debtor still in force (not replaced), as (party, name, phone tail).
fn in_force(
    store: &dyn Store,
    c: sepakat_store::CreditorId,
    account_no: &str,
) -> Vec<(Party, String, bool)> {
    let acc = store
        .account_by_number(c, account_no)
        .expect("read")
        .expect("exists");
    store
        .debtor_contacts(c, acc.debtor.id)
        .expect("contacts")
        .into_iter()
        .filter(|x| x.replaced_by.is_none())
        .map(|x| (x.data.party, x.data.name, x.created_by.is_some()))
        .collect()
}

/// A file's emergency contacts and employers' phones are added once per debtor (the later
/// row's winning), a changed one replaces the imported one, and a collector's contact is
/// kept; a row naming none leaves them alone.
pub fn an_import_adds_named_contacts_once_corrects_imported_ones_and_keeps_manual_ones(
    store: &dyn Store,
) {
    let c = creditor(store, "BANKA").id;
    let rows = |tail: u32| {
        let mut a1 = account(2, "ACC-1", person("CIF1", "Siti Rahayu", 1));
        a1.contacts = vec![emergency("Rina", 7000)];
        let mut a2 = account(3, "ACC-2", person("CIF1", "Siti Rahayu", 1));
        a2.contacts = vec![emergency("Rina", tail)];
        let mut b = account(4, "ACC-3", person("CIF2", "Budi Santoso", 2));
        b.contacts = vec![sepakat_store::ImportedContact {
            party: Party::Employer,
            name: "PT Maju Jaya".into(),
            relation: String::new(),
            phone: Some(phone(8000)),
        }];
        vec![a1, a2, b]
    };
    let first = import(store, c, rows(7001));
    assert_eq!(first.contacts_added, 2, "{first:?}");
    assert_eq!(
        in_force(store, c, "ACC-1"),
        [(Party::EmergencyContact, "Rina".to_string(), false)]
    );
    let acc1 = store.account_by_number(c, "ACC-1").unwrap().unwrap();
    let rina = &store.debtor_contacts(c, acc1.debtor.id).unwrap()[0];
    assert_eq!(rina.data.phone, Some(phone(7001)), "the later row wins");

    // A collector's own contact of the same party is never replaced by a file.
    let acc3 = store.account_by_number(c, "ACC-3").unwrap().unwrap();
    let mut manual = sister(acc3.debtor.id);
    manual.party = Party::EmergencyContact;
    store
        .add_debtor_contact(c, &manual, at(1), &user_actor(store, c))
        .expect("added by hand");

    let again = import(store, c, rows(7001));
    assert_eq!(again.contacts_added, 0, "the same file adds nothing");

    let mut changed = rows(7002);
    changed[2].contacts.push(emergency("Agus Santoso", 7003));
    let corrected = import(store, c, changed);
    assert_eq!(corrected.contacts_added, 2, "{corrected:?}");
    let history = store.debtor_contacts(c, acc1.debtor.id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].replaced_by, Some(history[1].id));
    assert_eq!(history[1].data.replaces, Some(history[0].id));
    assert_eq!(history[1].data.phone, Some(phone(7002)));
    let mut budi = in_force(store, c, "ACC-3");
    budi.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        budi,
        [
            (Party::EmergencyContact, "Agus Santoso".to_string(), false),
            (Party::Employer, "PT Maju Jaya".to_string(), false),
            (Party::EmergencyContact, "Rina Rahayu".to_string(), true),
        ]
    );

    let mut silent = rows(7002);
    for row in &mut silent {
        row.contacts.clear();
    }
    assert_eq!(import(store, c, silent).contacts_added, 0);
    assert_eq!(
        in_force(store, c, "ACC-1").len(),
        1,
        "a row naming none keeps them"
    );
}

/// An actor who is a user of creditor `c`.
fn user_actor(store: &dyn Store, c: sepakat_store::CreditorId) -> sepakat_store::Actor {
    let u = user(store, "kolektor1", &[c]);
    sepakat_store::Actor::user(u.id, &u.username)
}
