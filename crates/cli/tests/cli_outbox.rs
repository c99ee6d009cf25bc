//! The `sepakat outbox` contract at the command line: a message is queued through the
//! guard and the gate (a blocked one exits 1 naming the rule and the words), the list
//! masks recipients, a repeated send queues nothing new, and dispatching with no
//! channel configured says what to configure. (Sending through the adapters is tested
//! in the engine against local stand-ins.)

use std::path::Path;
use std::process::{Command, Output};

use sepakat_domain::Regime;
use sepakat_store::{Actor, NewCreditor};

const HEADER: &str = "account_no,name,nik,phone,email,province,product,principal,annual_rate,\
tenor_months,opened_on,outstanding_principal,arrears_principal,arrears_interest,penalty,fees,\
oldest_unpaid_due";

fn sepakat(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args(["--database-url", db])
        .args(args)
        .env("SEPAKAT_LOG", "warn")
        .output()
        .expect("run sepakat")
}

fn setup(dir: &Path) -> String {
    let db = format!("sqlite://{}/t.db", dir.display());
    let store = sepakat_store::open(&db).unwrap();
    store.migrate().unwrap();
    store
        .create_creditor(
            &NewCreditor {
                code: "BANKA".into(),
                name: "PT Bank Amanah".into(),
                regime: Regime::bank(),
            },
            &Actor::system("test"),
        )
        .unwrap();
    let file = dir.join("accounts.csv");
    let row = "ACC-1,Budi Santoso,3201011503850001,0812-3456-7890,budi@contoh.co.id,Jawa Barat,\
               kta,12.000.000,18%,12,2026-01-15,9.000.000,1.000.000,180.000,70.000,0,2026-09-15";
    std::fs::write(&file, format!("{HEADER}\n{row}\n")).unwrap();
    let out = sepakat(
        &db,
        &["import", "--creditor", "BANKA", file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const SEND: &[&str] = &[
    "outbox",
    "send",
    "--creditor",
    "BANKA",
    "--account",
    "ACC-1",
];

#[test]
fn a_message_is_queued_once_and_listed_with_its_recipient_masked() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let args = [
        SEND,
        &[
            "--channel",
            "sms",
            "--text",
            "Yth. Bapak Budi, mohon konfirmasi pembayaran.",
        ],
    ]
    .concat();
    let first = sepakat(&db, &args);
    assert!(first.status.success(), "{}", text(&first));
    // Queued now or, outside the contact window, for its next allowed time.
    assert!(
        text(&first).starts_with("message 1 queued for sms to +62812****7890"),
        "{}",
        text(&first)
    );
    let again = sepakat(&db, &args);
    assert!(
        text(&again).starts_with("message 1 queued"),
        "{}",
        text(&again)
    );
    let list = sepakat(
        &db,
        &[
            "outbox",
            "list",
            "--creditor",
            "BANKA",
            "--account",
            "ACC-1",
        ],
    );
    let listed = text(&list);
    assert!(list.status.success(), "{listed}");
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(
        listed.contains("\tsms\t+62812****7890\tqueued\t0\t"),
        "{listed}"
    );
    assert!(!listed.contains("3456-7890") && !listed.contains("+6281234567890"));
}

#[test]
fn blocked_texts_and_third_parties_exit_1_with_the_rule_and_are_stored_blocked() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let rude = sepakat(
        &db,
        &[
            SEND,
            &[
                "--channel",
                "whatsapp",
                "--text",
                "Bayar woi, dasar anjing!",
            ],
        ]
        .concat(),
    );
    assert_eq!(rude.status.code(), Some(1));
    assert!(
        text(&rude).contains("blocked") && text(&rude).contains("insult: «anjing»"),
        "{}",
        text(&rude)
    );
    let family = sepakat(
        &db,
        &[
            SEND,
            &[
                "--channel",
                "sms",
                "--party",
                "family",
                "--to",
                "0813-1111-2222",
                "--text",
                "Tagihan Budi menunggak.",
            ],
        ]
        .concat(),
    );
    assert_eq!(family.status.code(), Some(1));
    assert!(
        text(&family).contains("third_party_debt_details"),
        "{}",
        text(&family)
    );
    let list = text(&sepakat(&db, &["outbox", "list", "--creditor", "BANKA"]));
    assert_eq!(list.matches("\tblocked\t").count(), 2, "{list}");
    assert!(list.contains("+62813****2222"), "{list}");
}

#[test]
fn bad_sends_name_the_flag_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    for (args, said) in [
        (vec!["--channel", "fax", "--text", "x"], "--channel"),
        (
            vec!["--channel", "email", "--text", "x"],
            "subject: required",
        ),
        (
            vec!["--channel", "email", "--template", "early_sms"],
            "early_sms",
        ),
        (vec!["--channel", "sms", "--text", "x", "--to", "12"], "to:"),
        (
            vec!["--channel", "sms", "--text", "x", "--party", "tetangga"],
            "--party",
        ),
    ] {
        let out = sepakat(&db, &[SEND, &args].concat());
        assert!(!out.status.success(), "{args:?}");
        assert!(text(&out).contains(said), "{args:?}: {}", text(&out));
    }
    let other = sepakat(
        &db,
        &[
            "outbox",
            "send",
            "--creditor",
            "BANKA",
            "--account",
            "ACC-9",
            "--channel",
            "sms",
            "--text",
            "x",
        ],
    );
    assert!(
        text(&other).contains("--account: no account \"ACC-9\""),
        "{}",
        text(&other)
    );
    let list = text(&sepakat(&db, &["outbox", "list", "--creditor", "BANKA"]));
    assert_eq!(list.lines().count(), 1, "{list}");
}

#[test]
fn dispatching_without_a_channel_says_what_to_configure() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let out = sepakat(&db, &["outbox", "run", "--once"]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("no channel is configured"),
        "{}",
        text(&out)
    );
}
