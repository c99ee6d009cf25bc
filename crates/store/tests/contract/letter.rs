//! Contract: printed letters (`LetterStore`): a batch is recorded all or nothing and once
//! per tracking number; a letter moves printed → sent → delivered | returned once; proof
//! for an unknown or another creditor's tracking number is refused; every change is an
//! audit entry on the account.

use chrono::Duration;
use sepakat_domain::template::Stage;
use sepakat_store::{
    AccountId, CreditorId, EntityRef, LetterStatus, NewEvidence, NewLetter, NewProof, Store,
    StoreError,
};

use super::fixtures::*;

fn bank(store: &dyn Store, code: &str, n: u32) -> (CreditorId, Vec<AccountId>) {
    let c = creditor(store, code);
    let rows = (0..n)
        .map(|i| {
            account(
                u64::from(i) + 1,
                &format!("{code}-{i:05}"),
                person(&format!("{code}-{i}"), "Debitur", i + 1),
            )
        })
        .collect();
    import(store, c.id, rows);
    let ids = (0..n)
        .map(|i| {
            store
                .account_by_number(c.id, &format!("{code}-{i:05}"))
                .expect("read")
                .expect("imported")
                .id
        })
        .collect();
    (c.id, ids)
}

fn letter(account: AccountId, tracking: &str) -> NewLetter {
    NewLetter {
        account,
        stage: Stage::Sp1,
        number: format!("SP1/X/2026/11/{tracking}"),
        tracking: tracking.into(),
        template: Some("sp1_letter".into()),
    }
}

fn proof(tracking: &str, on: &str) -> NewProof {
    NewProof {
        tracking: tracking.into(),
        delivered: true,
        on: day(on),
        received_by: "Siti (istri)".into(),
        note: "diterima di rumah".into(),
        file: None,
    }
}

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 9, 8, 7];

fn letter_actions(store: &dyn Store, c: CreditorId, account: AccountId) -> Vec<String> {
    let mut out: Vec<String> = store
        .audit_trail(c, &EntityRef::new("account", account), 100)
        .expect("audit")
        .into_iter()
        .map(|e| e.entry.action)
        .filter(|a| a.starts_with("letter."))
        .collect();
    out.reverse();
    out
}

pub fn printed_letters_are_recorded_once_per_tracking_number_and_audited(store: &dyn Store) {
    let (c, accounts) = bank(store, "LTA", 2);
    let batch = [letter(accounts[0], "T-1"), letter(accounts[1], "T-2")];
    let first = store
        .record_letters(c, &batch, at(0), &cli())
        .expect("record");
    assert_eq!(first.len(), 2);
    assert!(first.iter().all(|l| l.status == LetterStatus::Printed));
    assert_eq!(first[0].data, batch[0]);
    assert_eq!(first[0].printed_by, "cli");
    let again = store
        .record_letters(c, &batch[..1], at(1), &cli())
        .expect("re-print");
    assert_eq!(again[0], first[0], "a re-print finds the stored letter");
    assert_eq!(store.letters(c, None, 10).expect("list").len(), 2);
    assert_eq!(
        store.letters(c, Some(accounts[1]), 10).expect("list")[0]
            .data
            .tracking,
        "T-2"
    );
    assert_eq!(
        letter_actions(store, c, accounts[0]),
        ["letter.printed", "letter.reprinted"]
    );
}

pub fn a_batch_with_another_creditors_account_records_nothing(store: &dyn Store) {
    let (c, accounts) = bank(store, "LTB", 1);
    let (_, theirs) = bank(store, "LTC", 1);
    let err = store
        .record_letters(
            c,
            &[letter(accounts[0], "B-1"), letter(theirs[0], "B-2")],
            at(0),
            &cli(),
        )
        .expect_err("another creditor's account");
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    assert!(store.letters(c, None, 10).expect("list").is_empty());
    let bad = NewLetter {
        stage: Stage::Early,
        ..letter(accounts[0], "B-3")
    };
    let err = store
        .record_letters(c, &[bad], at(0), &cli())
        .expect_err("not a letter stage");
    assert!(err.to_string().contains("stage"), "{err}");
    assert!(store.letters(c, None, 10).expect("list").is_empty());
}

pub fn another_creditors_letter_is_invisible_and_its_proof_refused(store: &dyn Store) {
    let (c, accounts) = bank(store, "LTD", 1);
    let (other, _) = bank(store, "LTE", 1);
    store
        .record_letters(c, &[letter(accounts[0], "D-1")], at(0), &cli())
        .expect("record");
    assert!(store.letters(other, None, 10).expect("list").is_empty());
    assert!(store
        .letter_by_tracking(other, "D-1")
        .expect("read")
        .is_none());
    let err = store
        .record_letter_proof(
            other,
            &proof("D-1", "2026-11-25"),
            day("2026-11-26"),
            at(30),
            &cli(),
        )
        .expect_err("another creditor's letter");
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    let stored = store
        .letter_by_tracking(c, "D-1")
        .expect("read")
        .expect("kept");
    assert_eq!(stored.status, LetterStatus::Printed);
    assert!(stored.proof.is_none());
}

pub fn proof_for_an_unknown_tracking_number_is_refused(store: &dyn Store) {
    let (c, accounts) = bank(store, "LTF", 1);
    store
        .record_letters(c, &[letter(accounts[0], "F-1")], at(0), &cli())
        .expect("record");
    let err = store
        .record_letter_proof(
            c,
            &proof("F-404", "2026-11-25"),
            day("2026-11-26"),
            at(30),
            &cli(),
        )
        .expect_err("unknown tracking number");
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    assert!(err.to_string().contains("F-404"), "{err}");
    assert_eq!(letter_actions(store, c, accounts[0]), ["letter.printed"]);
}

pub fn a_letter_is_sent_then_delivered_once_with_its_proof_file(store: &dyn Store) {
    let (c, accounts) = bank(store, "LTG", 1);
    store
        .record_letters(c, &[letter(accounts[0], "G-1")], at(0), &cli())
        .expect("record");
    let sent = store
        .mark_letter_sent(c, "G-1", at(2), &cli())
        .expect("sent");
    assert_eq!(sent.status, LetterStatus::Sent);
    assert_eq!(sent.sent_at, Some(at(2)));
    let err = store
        .mark_letter_sent(c, "G-1", at(3), &cli())
        .expect_err("sent twice");
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    let with_file = NewProof {
        file: Some(NewEvidence {
            media_type: "image/png".into(),
            file_name: "resi.png".into(),
            bytes: PNG.to_vec(),
            gps: None,
            captured_at: None,
        }),
        ..proof("G-1", "2026-11-25")
    };
    let delivered = store
        .record_letter_proof(c, &with_file, day("2026-11-26"), at(30), &cli())
        .expect("delivered");
    assert_eq!(delivered.status, LetterStatus::Delivered);
    let p = delivered.proof.clone().expect("proof");
    assert!(p.delivered);
    assert_eq!(p.on, day("2026-11-25"));
    assert_eq!(p.received_by, "Siti (istri)");
    assert_eq!(p.recorded_at, at(30));
    let file = p.file.expect("file");
    assert_eq!(file.file_name, "resi.png");
    assert_eq!(file.size, PNG.len() as u64);
    assert_eq!(file.sha256.len(), 64);
    let (info, bytes) = store
        .letter_proof_file(c, delivered.id)
        .expect("read")
        .expect("stored");
    assert_eq!(info, file);
    assert_eq!(bytes, PNG);

    let err = store
        .record_letter_proof(
            c,
            &proof("G-1", "2026-11-26"),
            day("2026-11-26"),
            at(31),
            &cli(),
        )
        .expect_err("delivered twice");
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    let returned = NewProof {
        delivered: false,
        ..proof("G-1", "2026-11-26")
    };
    assert!(store
        .record_letter_proof(c, &returned, day("2026-11-26"), at(31), &cli())
        .is_err());
    assert_eq!(
        store.letter_by_tracking(c, "G-1").expect("read"),
        Some(delivered)
    );
    assert_eq!(
        letter_actions(store, c, accounts[0]),
        ["letter.printed", "letter.sent", "letter.delivered"]
    );
}

pub fn a_returned_letter_is_final_and_bad_proofs_store_nothing(store: &dyn Store) {
    let (c, accounts) = bank(store, "LTH", 1);
    store
        .record_letters(c, &[letter(accounts[0], "H-1")], at(0), &cli())
        .expect("record");
    let today = day("2026-11-26");
    let cases = [
        (proof("H-1", "2026-11-27"), "future"),
        (proof("H-1", "2026-11-20"), "before the letter was printed"),
        (
            NewProof {
                received_by: "  ".into(),
                ..proof("H-1", "2026-11-25")
            },
            "received_by",
        ),
        (
            NewProof {
                file: Some(NewEvidence {
                    media_type: "image/png".into(),
                    file_name: "resi.exe".into(),
                    bytes: b"MZ not a picture".to_vec(),
                    gps: None,
                    captured_at: None,
                }),
                ..proof("H-1", "2026-11-25")
            },
            "resi.exe",
        ),
    ];
    for (bad, expected) in cases {
        let err = store
            .record_letter_proof(c, &bad, today, at(30), &cli())
            .expect_err(expected);
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert!(err.to_string().contains(expected), "{expected}: {err}");
    }
    assert_eq!(
        store
            .letter_by_tracking(c, "H-1")
            .expect("read")
            .expect("kept")
            .status,
        LetterStatus::Printed
    );
    let returned = NewProof {
        delivered: false,
        note: "alamat tidak dikenal".into(),
        ..proof("H-1", "2026-11-25")
    };
    let l = store
        .record_letter_proof(c, &returned, today, at(30) + Duration::minutes(1), &cli())
        .expect("returned");
    assert_eq!(l.status, LetterStatus::Returned);
    assert!(!l.proof.as_ref().expect("proof").delivered);
    assert!(store
        .record_letter_proof(c, &proof("H-1", "2026-11-26"), today, at(31), &cli())
        .is_err());
    assert_eq!(
        letter_actions(store, c, accounts[0]),
        ["letter.printed", "letter.returned"]
    );
}
