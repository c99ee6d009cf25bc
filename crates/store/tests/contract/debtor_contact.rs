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
