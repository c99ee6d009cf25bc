//! Accounts files: good imports, re-imports, and every kind of bad row.

use sepakat_engine::{ImportKind, ImportOptions};

use super::support::*;

#[test]
fn good_import_inserts_and_reimport_updates() {
    let (store, creditor) = store();
    let dir = dir();
    let path = write(
        dir.path(),
        "portfolio.csv",
        csv(HEADER, &[row(1), row(2), row(3)]),
    );

    let first = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_eq!((first.rows_read, first.inserted, first.updated), (3, 3, 0));
    assert!(first.committed);
    assert_eq!(first.error_count, 0);
    assert_eq!(first.rejected_file, None);

    let again = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_eq!((again.rows_read, again.inserted, again.updated), (3, 0, 3));
    assert_eq!(accounts(&*store, creditor).len(), 3);
}

#[test]
fn values_are_parsed_and_missing_ones_derived() {
    let (store, creditor) = store();
    let dir = dir();
    let mut woman = row(1);
    woman[col("nik")] = "3175 0655 0102 0002".into();
    woman[col("provinsi")] = String::new();
    let path = write(dir.path(), "a.csv", csv(HEADER, &[woman]));
    import(&*store, &path, ImportKind::Accounts).unwrap();

    let a = store.account_by_number(creditor, "ACC-1").unwrap().unwrap();
    let d = &a.debtor.data;
    assert_eq!(
        d.key, "3175065501020002",
        "debtor key falls back to the NIK"
    );
    assert_eq!(d.gender, Some(sepakat_domain::Gender::Female));
    assert_eq!(d.birth_date, chrono::NaiveDate::from_ymd_opt(2002, 1, 15));
    assert_eq!(
        d.province,
        sepakat_domain::Province::DkiJakarta,
        "from the NIK"
    );
    assert_eq!(d.phone.as_ref().unwrap().as_str(), "+6281234567890");
    assert_eq!(a.terms.principal.value(), 12_000_000);
    assert_eq!(a.terms.annual_rate.ppm(), 125_000);
    assert_eq!(
        a.terms.first_due.to_string(),
        "2026-02-15",
        "a month after the contract"
    );
    // Annuity of 12.000.000 at 12,5% over 12 months.
    assert_eq!(
        a.instalment,
        sepakat_domain::instalment_amount(&a.terms).unwrap()
    );
    assert_eq!(
        a.balance.oldest_unpaid_due.unwrap().to_string(),
        "2026-10-10"
    );
}

#[test]
fn semicolon_files_with_a_bom_are_read() {
    let (store, creditor) = store();
    let dir = dir();
    let rows: Vec<Vec<String>> = (1..=2)
        .map(|n| {
            let mut r = row(n);
            r[col("suku_bunga")] = "12.5".into();
            r
        })
        .collect();
    let body = csv(HEADER, &rows).replace(',', ";");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(body.as_bytes());
    let path = write(dir.path(), "semi.csv", bytes);
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_eq!(report.error_count, 0, "{report}");
    assert_eq!(accounts(&*store, creditor).len(), 2);
}

#[test]
fn not_utf8_names_the_row_and_writes_nothing() {
    let (store, creditor) = store();
    let dir = dir();
    let mut bytes = csv(HEADER, &[row(1)]).into_bytes();
    let mut bad = row(2).join(";").replace("Budi", "Bxdi").into_bytes();
    let at = bad.iter().position(|b| *b == b'x').unwrap();
    bad[at] = 0xE9; // Latin-1 é
    bytes.extend(bad);
    let path = write(dir.path(), "latin1.csv", bytes);
    let err = import(&*store, &path, ImportKind::Accounts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "row 3 is not valid UTF-8 text; save the file as \"CSV UTF-8\""
    );
    assert!(accounts(&*store, creditor).is_empty());
}

#[test]
fn a_file_without_header_is_refused() {
    let (store, creditor) = store();
    let dir = dir();
    let body = csv(HEADER, &[row(1), row(2)]);
    let body = body.split_once('\n').unwrap().1;
    let path = write(dir.path(), "noheader.csv", body);
    let err = import(&*store, &path, ImportKind::Accounts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "row 1 is not a header: none of its cells is a known column name (the first cell is \
         \"ACC-1\"); row 1 must name the columns, e.g. \
         account_no,name,product,principal,opened_on,outstanding_principal"
    );
    assert!(accounts(&*store, creditor).is_empty());
}

#[test]
fn unknown_columns_are_named_with_a_suggestion() {
    let (store, creditor) = store();
    let dir = dir();
    let header = HEADER.replace("sisa_pokok", "sisa pokk") + ",catatan,tanggal_bayar";
    let mut r = row(1);
    r.extend(["x".to_string(), "2026-01-01".to_string()]);
    let path = write(dir.path(), "unknown.csv", csv(&header, &[r]));
    let err = import(&*store, &path, ImportKind::Accounts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown column(s): \"sisa pokk\" (did you mean \"sisa_pokok\"?), \"catatan\", \
         \"tanggal_bayar\" (a column of payments imports)"
    );
    assert!(accounts(&*store, creditor).is_empty());
}

#[test]
fn duplicated_columns_are_refused_also_under_two_names() {
    let (store, _) = store();
    let dir = dir();
    let header = format!("{HEADER},name,NAMA");
    let mut r = row(1);
    r.extend(["A".to_string(), "B".to_string()]);
    let path = write(dir.path(), "dup.csv", csv(&header, &[r]));
    let err = import(&*store, &path, ImportKind::Accounts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "duplicated column(s): \"nama\" and \"name\" (both are name), \"nama\" and \"NAMA\" (both are name)"
    );
    let both = HEADER.replace("dpd", "tanggal_tunggakan") + ",dpd";
    let mut r = row(1);
    r[col("dpd")] = "2026-10-10".into();
    r.push("45".into());
    let path = write(dir.path(), "both.csv", csv(&both, &[r]));
    let err = import(&*store, &path, ImportKind::Accounts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "duplicated column(s): \"tanggal_tunggakan\" and \"dpd\" (both give the oldest unpaid due date; keep one)"
    );
}

#[test]
fn missing_required_columns_are_named() {
    let (store, _) = store();
    let dir = dir();
    let path = write(
        dir.path(),
        "few.csv",
        "account_no,nama,nik\nA1,Budi,3201011503850001\n",
    );
    let err = import(&*store, &path, ImportKind::Accounts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "required column(s) missing: product, principal, opened_on, outstanding_principal"
    );
}

#[test]
fn empty_files_and_header_only_files_are_refused() {
    let (store, creditor) = store();
    let dir = dir();
    for content in ["", "\u{feff}", "\n\n"] {
        let path = write(dir.path(), "empty.csv", content);
        let err = import(&*store, &path, ImportKind::Accounts).unwrap_err();
        assert_eq!(err.to_string(), "the file is empty", "{content:?}");
    }
    let path = write(dir.path(), "header.csv", format!("{HEADER}\n"));
    let err = import(&*store, &path, ImportKind::Accounts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the file has a header row but no data rows"
    );
    assert!(accounts(&*store, creditor).is_empty());
}

#[test]
fn unsupported_and_unreadable_files_are_refused() {
    let (store, _) = store();
    let dir = dir();
    let path = write(dir.path(), "old.xls", "whatever");
    let err = import(&*store, &path, ImportKind::Accounts).unwrap_err();
    assert!(err
        .to_string()
        .ends_with("old.xls: unsupported file type \".xls\"; save it as .csv (UTF-8) or .xlsx"));
    let err = import(
        &*store,
        &dir.path().join("missing.csv"),
        ImportKind::Accounts,
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("cannot read "), "{err}");
    let path = write(dir.path(), "fake.xlsx", "not a zip");
    let err = import(&*store, &path, ImportKind::Accounts).unwrap_err();
    assert!(
        err.to_string().contains("not a readable XLSX workbook"),
        "{err}"
    );
}

#[test]
fn unknown_creditor_lists_the_existing_codes() {
    let (store, _) = store();
    let dir = dir();
    let path = write(dir.path(), "a.csv", csv(HEADER, &[row(1)]));
    let err = sepakat_engine::import_file(
        &*store,
        "BANKZ",
        &path,
        &ImportOptions::new(ImportKind::Accounts, today()),
        &mut sepakat_engine::NoProgress,
        &sepakat_store::Actor::system("test"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown creditor code \"BANKZ\"; existing codes: BANKA"
    );
}

#[test]
fn a_ten_megabyte_field_is_an_error_not_a_crash() {
    let (store, creditor) = store();
    let dir = dir();
    let mut big = row(2);
    big[col("nama")] = "a".repeat(10 * 1024 * 1024);
    let path = write(dir.path(), "big.csv", csv(HEADER, &[row(1), big]));
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_refused(
        &report,
        &["row 3, column nama: value is 10485760 characters long; at most 200 are allowed"],
    );
    assert!(accounts(&*store, creditor).is_empty());
}

#[test]
fn formula_like_text_is_refused_in_free_text_columns() {
    let (store, creditor) = store();
    let dir = dir();
    let mut rows = Vec::new();
    for (i, (column, value)) in [
        ("nama", "=HYPERLINK(\"http://x\")"),
        ("alamat", "+1+2"),
        ("kota", "-2+3"),
        ("account_no", "@SUM(A1)"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut r = row(i as u32);
        r[col(column)] = value.into();
        rows.push(r);
    }
    // Typed columns parse normally: a phone starting with + is fine.
    let mut ok = row(9);
    ok[col("no_hp")] = "+62 812 3456 7890".into();
    rows.push(ok);
    let path = write(dir.path(), "formula.csv", csv(HEADER, &rows));
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_refused(
        &report,
        &[
            "row 2, column nama: \"=HYPERLINK(\\\"http://x\\\")\" starts with '=' and could run as a spreadsheet formula",
            "row 3, column alamat: \"+1+2\" starts with '+' and could run as a spreadsheet formula",
            "row 4, column kota: \"-2+3\" starts with '-' and could run as a spreadsheet formula",
            "row 5, column account_no: \"@SUM(A1)\" starts with '@' and could run as a spreadsheet formula",
        ],
    );
    assert!(accounts(&*store, creditor).is_empty());
}

#[test]
fn invalid_values_name_row_column_and_reason() {
    let (store, creditor) = store();
    let dir = dir();
    let bad = |column: &str, value: &str, n: u32| {
        let mut r = row(n);
        r[col(column)] = value.into();
        r
    };
    let rows = vec![
        row(1),
        bad("nik", "3201xx", 2),
        bad("no_hp", "12345", 3),
        bad("plafon", "12.000.000,50", 4),
        bad("tanggal_akad", "31/02/2026", 5),
        bad("produk", "saham", 6),
        bad("tunggakan_pokok", "9500000", 7),
        bad("sisa_pokok", "13000000", 8),
        bad("tanggal_akad", "2027-01-01", 9),
        bad("tenor", "0", 10),
    ];
    let path = write(dir.path(), "bad.csv", csv(HEADER, &rows));
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_refused(
        &report,
        &[
            "row 3, column nik: \"3201xx\" is not 16 digits",
            "row 4, column no_hp: \"12345\" is not an Indonesian phone number (e.g. 0812-3456-7890 or +62 812 3456 7890)",
            "row 5, column plafon: \"12.000.000,50\" has sen (decimals); amounts are whole rupiah",
            "row 6, column tanggal_akad: \"31/02/2026\" is not a date (use YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY)",
            "row 7, column produk: \"saham\" is not a product (kpr, kkb, kta, kartu_kredit, paylater, p2p_cash, multiguna, invoice)",
            "row 8, column tunggakan_pokok: Rp9.500.000 is more than the outstanding principal (Rp9.000.000)",
            "row 9, column sisa_pokok: Rp13.000.000 is more than the principal (Rp12.000.000)",
            "row 10, column tanggal_akad: 2027-01-01 is in the future (today is 2026-11-24)",
            "row 11, column tenor: 0 is outside 1..600",
        ],
    );
    assert_eq!(report.error_count, 9);
    assert_eq!(report.rejected, 9);
    assert!(accounts(&*store, creditor).is_empty());
}

#[test]
fn a_credit_card_balance_may_pass_its_limit() {
    let (store, creditor) = store();
    let dir = dir();
    let mut card = row(1);
    card[col("produk")] = "kartu kredit".into();
    card[col("sisa_pokok")] = "13000000".into();
    let path = write(dir.path(), "card.csv", csv(HEADER, &[card]));
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_eq!(report.error_count, 0, "{report}");
    assert_eq!(accounts(&*store, creditor).len(), 1);
}

#[test]
fn a_duplicate_account_number_names_the_first_row() {
    let (store, creditor) = store();
    let dir = dir();
    let path = write(
        dir.path(),
        "dup.csv",
        csv(HEADER, &[row(1), row(2), row(1)]),
    );
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_refused(
        &report,
        &["row 4, column account_no: \"ACC-1\" already appears in row 2"],
    );
    assert!(accounts(&*store, creditor).is_empty());
}

#[test]
fn skip_invalid_writes_valid_rows_and_the_rejected_file() {
    let (store, creditor) = store();
    let dir = dir();
    let mut formula = row(2);
    formula[col("nama")] = "=1+1".into();
    let mut nik = row(3);
    nik[col("nik")] = "3201xx".into();
    let path = write(
        dir.path(),
        "mixed.csv",
        csv(HEADER, &[row(1), formula, nik, row(4)]),
    );
    let mut options = ImportOptions::new(ImportKind::Accounts, today());
    options.skip_invalid = true;
    let report = import_with(&*store, &path, options).unwrap();
    assert!(report.committed);
    assert_eq!((report.inserted, report.rejected), (2, 2));
    let rejected = report.rejected_file.clone().unwrap();
    assert_eq!(rejected, dir.path().join("mixed.rejected.csv"));
    let text = std::fs::read_to_string(&rejected).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], format!("{HEADER},reason"));
    assert!(
        lines[1].starts_with("ACC-2,'=1+1,3201011503850001,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(
            ",\"nama: \"\"=1+1\"\" starts with '=' and could run as a spreadsheet formula\""
        ),
        "{}",
        lines[1]
    );
    assert!(lines[2].ends_with(",\"nik: \"\"3201xx\"\" is not 16 digits\""));
    let numbers: Vec<String> = accounts(&*store, creditor)
        .into_iter()
        .map(|a| a.account_no)
        .collect();
    assert_eq!(numbers, ["ACC-1", "ACC-4"]);
}

#[test]
fn only_the_first_hundred_errors_are_kept_but_all_are_counted() {
    let (store, _) = store();
    let dir = dir();
    let rows: Vec<Vec<String>> = (0..150)
        .map(|i| {
            let mut r = row(i);
            r[col("nik")] = "1".into();
            r
        })
        .collect();
    let path = write(dir.path(), "many.csv", csv(HEADER, &rows));
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_eq!(report.errors.len(), 100);
    assert_eq!(report.error_count, 150);
    assert!(!report.committed);
}

/// The accounts header with the contact columns after it.
const CONTACT_HEADER: &str = "account_no,nama,nik,no_hp,alamat,kota,provinsi,produk,plafon,suku_bunga,tenor,tanggal_akad,sisa_pokok,tunggakan_pokok,tunggakan_bunga,denda,dpd,kontak_darurat,hubungan_kontak_darurat,telepon_kontak_darurat,tempat_kerja,telepon_kantor";

fn with_contacts(n: u32, contacts: [&str; 5]) -> Vec<String> {
    let mut r = row(n);
    r.extend(contacts.iter().map(|c| c.to_string()));
    r
}

#[test]
fn emergency_contacts_and_employer_phones_are_imported_as_restricted_parties() {
    let (store, creditor) = store();
    let dir = dir();
    let rows = [
        with_contacts(
            1,
            [
                "Siti Aminah",
                "kakak",
                "0813-1111-2222",
                "PT Maju Jaya",
                "021-555-0101",
            ],
        ),
        with_contacts(2, ["", "", "", "", ""]),
    ];
    let path = write(dir.path(), "contacts.csv", csv(CONTACT_HEADER, &rows));
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert!(report.committed, "{report}");
    assert_eq!(report.contacts_added, 2);

    let a = store.account_by_number(creditor, "ACC-1").unwrap().unwrap();
    let contacts = store.debtor_contacts(creditor, a.debtor.id).unwrap();
    let named: Vec<_> = contacts
        .iter()
        .map(|c| {
            (
                c.data.party.code(),
                c.data.name.as_str(),
                c.data.relation.as_str(),
                c.data.phone.as_ref().map(|p| p.as_str()),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            (
                "emergency_contact",
                "Siti Aminah",
                "kakak",
                Some("+6281311112222")
            ),
            ("employer", "PT Maju Jaya", "", Some("+62215550101")),
        ]
    );
    let again = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_eq!(
        again.contacts_added, 0,
        "the same file adds no contact twice"
    );
}

#[test]
fn contact_cells_that_do_not_make_a_contact_are_named() {
    let (store, creditor) = store();
    let dir = dir();
    let rows = [
        with_contacts(1, ["", "kakak", "0813-1111-2222", "", ""]),
        with_contacts(2, ["Siti Aminah", "kakak", "+62 812 3456 7890", "", ""]),
        with_contacts(3, ["", "", "", "", "021-555-0101"]),
        with_contacts(4, ["Siti Aminah", "", "0813", "", ""]),
    ];
    let path = write(dir.path(), "bad.csv", csv(CONTACT_HEADER, &rows));
    let report = import(&*store, &path, ImportKind::Accounts).unwrap();
    assert_refused(
        &report,
        &[
            "row 2, column kontak_darurat: a value is required when emergency_phone or emergency_relation is given",
            "row 3, column telepon_kontak_darurat: +62812****7890 is the debtor's own phone; a restricted party must be someone else",
            "row 4, column tempat_kerja: a value is required when employer_phone is given",
            "row 5, column telepon_kontak_darurat: \"0813\" is not an Indonesian phone number (e.g. 0812-3456-7890 or +62 812 3456 7890)",
        ],
    );
    assert!(accounts(&*store, creditor).is_empty());
}
