//! The `sepakat letter print` contract: one PDF with a letter per account whose text
//! (read back with pdftotext) holds the debtor, the amounts in figures and words, the
//! deadline and the tracking number; an unknown account prints nothing; every printed
//! letter is in the audit trail.

use std::path::Path;
use std::process::{Command, Output};

use sepakat_domain::Regime;
use sepakat_store::{Actor, NewCreditor};

const HEADER: &str = "account_no,name,nik,phone,province,product,principal,annual_rate,\
tenor_months,opened_on,outstanding_principal,arrears_principal,arrears_interest,penalty,fees,\
oldest_unpaid_due,address,city";

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
    let rows = [
        "ACC-1,Budi Santoso,3201011503850001,0812-3456-7890,Jawa Barat,kta,12.000.000,18%,12,\
         2026-01-15,9.000.000,1.000.000,180.000,70.000,0,2026-09-15,Jl. Merdeka No. 5,Bandung",
        "ACC-2,Siti Aminah,3201015503850002,0812-3456-7891,Jawa Barat,kta,12.000.000,18%,12,\
         2026-01-15,9.000.000,2.000.000,0,0,0,2026-08-15,Jl. Asia Afrika 10,Bandung",
    ];
    std::fs::write(&file, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
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

fn pdf_text(path: &Path) -> Option<String> {
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn a_batch_prints_one_letter_per_account_with_amounts_deadline_and_tracking() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let pdf = dir.path().join("sp1.pdf");
    let out = sepakat(
        &db,
        &[
            "letter",
            "print",
            "--creditor",
            "BANKA",
            "--stage",
            "sp1",
            "--account",
            "ACC-1",
            "--account",
            "ACC-2",
            "--date",
            "2026-12-02",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("2 letters"));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4"));
    let Some(text) = pdf_text(&pdf) else {
        if std::env::var_os("CI").is_some() {
            panic!("pdftotext is required in CI");
        }
        eprintln!("pdftotext not installed; PDF text not checked");
        return;
    };
    let letters: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| p.contains("Hormat kami"))
        .collect();
    assert_eq!(letters.len(), 2, "{text}");
    // Words as a reader sees them, whatever the line breaks.
    let flat = |page: &str| page.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = &flat(letters[0]);
    assert!(first.contains("PT Bank Amanah"));
    assert!(first.contains("Surat Peringatan Pertama (SP1)"));
    assert!(first.contains("Nomor : SP1/BANKA/2026/12/ACC-1"));
    assert!(first.contains("Jakarta, 2 Desember 2026"));
    assert!(first.contains("Bapak Budi Santoso"), "{first}");
    assert!(first.contains("Jl. Merdeka No. 5"));
    // Overdue: 1.000.000 principal + 180.000 interest + 70.000 penalty.
    assert!(first.contains("Rp1.250.000"), "{first}");
    assert!(
        first.contains("satu juta dua ratus lima puluh ribu rupiah"),
        "{first}"
    );
    assert!(first.contains("9 Desember 2026"), "deadline: {first}");
    assert!(first.contains("No. lacak SPK"));
    assert!(letters[1].contains("Ibu Siti Aminah"));
    assert!(letters[1].contains("Rp2.000.000"));

    let store = sepakat_store::open(&db).unwrap();
    let creditor = store.creditor_by_code("BANKA").unwrap().unwrap();
    let account = store
        .account_by_number(creditor.id, "ACC-1")
        .unwrap()
        .unwrap();
    let trail = store
        .audit_trail(
            creditor.id,
            &sepakat_store::EntityRef::new("account", account.id.0),
            50,
        )
        .unwrap();
    let printed: Vec<_> = trail
        .iter()
        .filter(|e| e.entry.action == "letter.printed")
        .collect();
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0].entry.detail["number"], "SP1/BANKA/2026/12/ACC-1");
    let tracking = printed[0].entry.detail["tracking"].as_str().unwrap();
    assert!(first.contains(tracking));
}

#[test]
fn an_unknown_account_prints_nothing_and_names_the_account() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let pdf = dir.path().join("sp2.pdf");
    let out = sepakat(
        &db,
        &[
            "letter",
            "print",
            "--creditor",
            "BANKA",
            "--stage",
            "sp2",
            "--account",
            "ACC-1",
            "--account",
            "NOPE-9",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("account \"NOPE-9\": not found for creditor BANKA"),
        "{stderr}"
    );
    assert!(stderr.contains("1 of 2 accounts refused; nothing printed"));
    assert!(!pdf.exists());
    assert!(!dir.path().join("sp2.pdf.part").exists());
}

#[test]
fn an_account_with_nothing_overdue_gets_no_warning_letter() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let csv = dir.path().join("current.csv");
    std::fs::write(
        &csv,
        format!(
            "{HEADER}\nACC-3,Rudi Hartono,3201011503850003,0812-3456-7892,Jawa Barat,kta,\
             12.000.000,18%,12,2026-01-15,9.000.000,0,0,0,0,,Jl. Braga 1,Bandung\n"
        ),
    )
    .unwrap();
    let out = sepakat(
        &db,
        &["import", "--creditor", "BANKA", csv.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.path().join("sp1.pdf");
    let out = sepakat(
        &db,
        &[
            "letter",
            "print",
            "--creditor",
            "BANKA",
            "--stage",
            "sp1",
            "--account",
            "ACC-3",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("account \"ACC-3\": nothing is overdue"),
        "{stderr}"
    );
    assert!(!pdf.exists());
}

#[test]
fn an_unknown_creditor_or_an_empty_account_list_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let pdf = dir.path().join("x.pdf");
    let out = sepakat(
        &db,
        &[
            "letter",
            "print",
            "--creditor",
            "NOPE",
            "--stage",
            "sp1",
            "--account",
            "ACC-1",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--creditor: no creditor with code \"NOPE\""),
        "{stderr}"
    );
    let empty = dir.path().join("none.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    let out = sepakat(
        &db,
        &[
            "letter",
            "print",
            "--creditor",
            "BANKA",
            "--stage",
            "sp1",
            "--accounts-file",
            empty.to_str().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no account numbers given"));
    assert!(!pdf.exists());
}

#[test]
fn only_letter_stages_print() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let out = sepakat(
        &db,
        &[
            "letter",
            "print",
            "--creditor",
            "BANKA",
            "--stage",
            "early",
            "--account",
            "ACC-1",
            "--out",
            dir.path().join("x.pdf").to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("early is not a letter"));
}

#[test]
fn the_creditors_approved_letter_is_printed_instead_of_the_default() {
    use sepakat_domain::compliance::Channel;
    use sepakat_domain::template::Stage;
    use sepakat_domain::{Guard, Role};
    use sepakat_store::{NewTemplateVersion, NewUser};

    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let store = sepakat_store::open(&db).unwrap();
    let creditor = store.creditor_by_code("BANKA").unwrap().unwrap();
    let person = |username: &str, role| {
        let u = store
            .create_user(
                &NewUser {
                    username: username.into(),
                    full_name: username.into(),
                    role,
                    password_hash: "x".into(),
                    creditors: vec![creditor.id],
                },
                &Actor::system("test"),
            )
            .unwrap();
        Actor::user(u.id, &u.username)
    };
    let (writer, checker) = (
        person("manajer", Role::Manager),
        person("kepatuhan", Role::Compliance),
    );
    let guard = Guard::shipped();
    let now = chrono::Utc::now();
    let version = store
        .add_template_version(
            creditor.id,
            &NewTemplateVersion {
                stage: Stage::Sp1,
                channel: Channel::Letter,
                subject: Some("Peringatan Pertama Bank Amanah".into()),
                body: "Dengan hormat {{sapaan}}, tunggakan akun {{nomor_akun}} sebesar \
                       {{tunggakan}} ({{tunggakan_terbilang}}) mohon dilunasi sebelum \
                       {{batas_waktu}}. Teks khusus Bank Amanah."
                    .into(),
                note: None,
            },
            Some(&guard),
            now,
            &writer,
        )
        .unwrap();
    // Each on its own date, so each is a new letter (the same account, stage and date
    // would be a re-print of the first).
    let print = |name: &str, date: &str| {
        let pdf = dir.path().join(name);
        let out = sepakat(
            &db,
            &[
                "letter",
                "print",
                "--creditor",
                "BANKA",
                "--stage",
                "sp1",
                "--account",
                "ACC-1",
                "--date",
                date,
                "--out",
                pdf.to_str().unwrap(),
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        pdf
    };
    // Pending: the default is printed.
    let before = print("before.pdf", "2026-12-01");
    store
        .decide_template_version(creditor.id, version.id, true, "", &guard, now, &checker)
        .unwrap();
    let after = print("after.pdf", "2026-12-02");
    let account = store
        .account_by_number(creditor.id, "ACC-1")
        .unwrap()
        .unwrap();
    let templates: Vec<String> = store
        .audit_trail(
            creditor.id,
            &sepakat_store::EntityRef::new("account", account.id.0),
            50,
        )
        .unwrap()
        .into_iter()
        .filter(|e| e.entry.action == "letter.printed")
        .map(|e| {
            e.entry.detail["template"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(templates.len(), 2, "{templates:?}");
    assert!(
        templates.contains(&"sp1_letter".to_string()),
        "{templates:?}"
    );
    assert!(
        templates.contains(&"sp1_letter@v1".to_string()),
        "{templates:?}"
    );
    let (Some(before), Some(after)) = (pdf_text(&before), pdf_text(&after)) else {
        eprintln!("pdftotext not installed; PDF text not checked");
        return;
    };
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!flat(&before).contains("Teks khusus Bank Amanah"));
    let after = flat(&after);
    assert!(after.contains("Teks khusus Bank Amanah"), "{after}");
    assert!(after.contains("Peringatan Pertama Bank Amanah"), "{after}");
}

/// Prints SP1 for ACC-1 and returns the tracking number recorded for it.
fn print_one(db: &str, dir: &Path) -> String {
    let pdf = dir.join("one.pdf");
    let out = sepakat(
        db,
        &[
            "letter",
            "print",
            "--creditor",
            "BANKA",
            "--stage",
            "sp1",
            "--account",
            "ACC-1",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = sepakat_store::open(db).unwrap();
    let creditor = store.creditor_by_code("BANKA").unwrap().unwrap();
    let letters = store.letters(creditor.id, None, 10).unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].status, sepakat_store::LetterStatus::Printed);
    letters[0].data.tracking.clone()
}

/// Today in WIB, as the command computes it.
fn today_wib() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7))
        .date_naive()
        .to_string()
}

#[test]
fn letter_proof_records_delivery_with_its_receipt_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let tracking = print_one(&db, dir.path());
    let receipt = dir.path().join("resi.png");
    std::fs::write(
        &receipt,
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2],
    )
    .unwrap();
    let today = today_wib();
    let args = [
        "letter",
        "proof",
        "--creditor",
        "BANKA",
        "--tracking",
        &tracking,
        "--delivered",
        &today,
        "--received-by",
        "Siti (istri)",
        "--evidence",
        receipt.to_str().unwrap(),
    ];
    let out = sepakat(&db, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("is delivered"));
    let store = sepakat_store::open(&db).unwrap();
    let creditor = store.creditor_by_code("BANKA").unwrap().unwrap();
    let letter = store
        .letter_by_tracking(creditor.id, &tracking)
        .unwrap()
        .unwrap();
    let proof = letter.proof.clone().unwrap();
    assert_eq!(proof.received_by, "Siti (istri)");
    assert_eq!(proof.file.unwrap().file_name, "resi.png");

    let again = sepakat(&db, &args);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already delivered"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[test]
fn letter_proof_refuses_an_unknown_tracking_number_a_future_date_and_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let tracking = print_one(&db, dir.path());
    let today = today_wib();
    let proof = |tracking: &str, date: &str, extra: &[&str]| {
        let mut args = vec![
            "letter",
            "proof",
            "--creditor",
            "BANKA",
            "--tracking",
            tracking,
            "--delivered",
            date,
            "--received-by",
            "Pak RT",
        ];
        args.extend_from_slice(extra);
        let out = sepakat(&db, &args);
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(proof("SPKNOTAREAL00", &today, &[]).contains("SPKNOTAREAL00"));
    assert!(proof(&tracking, "2999-01-01", &[]).contains("in the future"));
    let exe = dir.path().join("resi.exe");
    std::fs::write(&exe, b"MZ").unwrap();
    assert!(
        proof(&tracking, &today, &["--evidence", exe.to_str().unwrap()]).contains("not accepted")
    );
    let fake = dir.path().join("resi.png");
    std::fs::write(&fake, b"MZ not a picture").unwrap();
    let err = proof(&tracking, &today, &["--evidence", fake.to_str().unwrap()]);
    assert!(err.contains("resi.png"), "{err}");
    let store = sepakat_store::open(&db).unwrap();
    let creditor = store.creditor_by_code("BANKA").unwrap().unwrap();
    let letter = store
        .letter_by_tracking(creditor.id, &tracking)
        .unwrap()
        .unwrap();
    assert_eq!(letter.status, sepakat_store::LetterStatus::Printed);
}
