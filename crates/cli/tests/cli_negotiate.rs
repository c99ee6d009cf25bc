//! The `sepakat negotiate` contract as a user meets it: the options printed for the example
//! account (golden), and bad input refused with the field named, nothing on stdout and a
//! non-zero exit code.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const EXAMPLE: &str = include_str!("../../../examples/negotiation.json");
const GOLDEN: &str = "tests/golden/negotiation.json";

fn negotiate(input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args(["negotiate", "--input", "-"])
        .env("SEPAKAT_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sepakat");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The example with one JSON pointer replaced by `value` (or removed when None).
fn example_with(pointer: &str, value: Option<serde_json::Value>) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = doc.pointer_mut(parent).expect("parent exists");
    let map = target.as_object_mut().expect("an object");
    match value {
        Some(v) => {
            map.insert(key.to_string(), v);
        }
        None => {
            map.remove(key);
        }
    }
    doc.to_string()
}

fn refused(input: &str) -> String {
    let out = negotiate(input);
    assert!(!out.status.success(), "expected a refusal");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

#[test]
fn the_example_account_prints_the_golden_options() {
    let out = negotiate(EXAMPLE);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = String::from_utf8(out.stdout).unwrap();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("SEPAKAT_BLESS").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("golden file (SEPAKAT_BLESS=1 writes it)");
    assert_eq!(
        got, want,
        "output changed; review and re-bless with SEPAKAT_BLESS=1"
    );
}

#[test]
fn the_example_reads_from_a_file_as_from_stdin() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/negotiation.json");
    let out = Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args(["negotiate", "--input", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, negotiate(EXAMPLE).stdout);
}

#[test]
fn a_zero_tenor_is_refused() {
    let input = example_with("/request", Some(serde_json::json!({"tenor_months": 0})));
    assert_eq!(
        refused(&input),
        "error: invalid input: request.tenor_months: must be at least 1"
    );
}

#[test]
fn a_tenor_above_the_policy_is_refused() {
    let input = example_with("/request", Some(serde_json::json!({"tenor_months": 72})));
    assert_eq!(
        refused(&input),
        "error: invalid input: request.tenor_months: 72 is above the policy maximum of 60 for kta"
    );
}

#[test]
fn negative_income_is_refused() {
    let input = example_with("/assessment/monthly_income", Some((-5_000_000).into()));
    assert_eq!(
        refused(&input),
        "error: invalid input: assessment.monthly_income: -Rp5.000.000 is negative"
    );
}

#[test]
fn absurd_income_is_refused() {
    let input = example_with("/assessment/monthly_income", Some(75_000_000_000i64.into()));
    assert_eq!(
        refused(&input),
        "error: invalid input: assessment.monthly_income: Rp75.000.000.000 per month is above \
         the ceiling of Rp1.000.000.000"
    );
}

#[test]
fn a_discount_above_the_cap_is_refused() {
    let input = example_with(
        "/request",
        Some(serde_json::json!({"discount": {"principal": "75%"}})),
    );
    assert_eq!(
        refused(&input),
        "error: invalid input: request.discount.principal: 75% is above the policy cap of 50% for kta"
    );
}

#[test]
fn an_unknown_role_is_refused() {
    let err = refused(&example_with("/role", Some("kolektor".into())));
    assert!(
        err.starts_with("error: invalid input: role: unknown variant `kolektor`, expected one of"),
        "{err}"
    );
}

#[test]
fn an_unknown_product_is_refused() {
    let err = refused(&example_with("/account/product", Some("saham".into())));
    assert!(
        err.starts_with("error: invalid input: account.product: unknown variant `saham`"),
        "{err}"
    );
}

#[test]
fn a_missing_field_is_named() {
    let err = refused(&example_with("/assessment/monthly_income", None));
    assert!(
        err.starts_with("error: invalid input: assessment: missing field `monthly_income`"),
        "{err}"
    );
}

#[test]
fn a_misspelt_field_is_named() {
    let err = refused(&example_with("/account/balance/penalti", Some(1.into())));
    assert!(err.contains("unknown field `penalti`"), "{err}");
}

#[test]
fn a_bad_rate_is_named() {
    let err = refused(&example_with(
        "/account/annual_rate",
        Some("delapan belas".into()),
    ));
    assert!(
        err.starts_with(
            "error: invalid input: account.annual_rate: \"delapan belas\" is not a percentage"
        ),
        "{err}"
    );
}

#[test]
fn malformed_json_is_refused() {
    let err = refused("{\"as_of\": \"2026-12-02\",");
    assert!(err.starts_with("error: invalid input: "), "{err}");
    assert!(err.contains("EOF while parsing"), "{err}");
    let err = refused(&format!("{EXAMPLE} {{}}"));
    assert!(err.contains("trailing characters"), "{err}");
}

#[test]
fn a_negative_balance_component_is_refused() {
    let input = example_with("/account/balance/penalty", Some((-1).into()));
    assert_eq!(
        refused(&input),
        "error: invalid input: account.balance.penalty: -Rp1 is negative"
    );
}

#[test]
fn an_unknown_hardship_reason_is_refused() {
    let input = example_with("/assessment/hardship/reason", Some("malas".into()));
    assert_eq!(
        refused(&input),
        "error: invalid input: assessment.hardship.reason: \"malas\" is not a reason in the playbook"
    );
}

#[test]
fn a_bad_policy_override_names_its_field() {
    let input = example_with(
        "/policy",
        Some(serde_json::json!({"products": {"kta": {"plan_tenors": [3, 0]}}})),
    );
    assert_eq!(
        refused(&input),
        "error: invalid input: policy.products.kta.plan_tenors: 0 is not 1 to max_tenor_months (60)"
    );
}

#[test]
fn a_missing_input_file_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args(["negotiate", "--input", "/nonexistent/negotiation.json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("reading /nonexistent/negotiation.json"));
}

const PARTIES: &str = r#"{"creditor": "PT Bank Amanah", "account_no": "KTA-000123",
    "debtor_name": "Budi Santoso", "nik": "3201011503850001",
    "address": "Jl. Merdeka No. 5, Bandung", "city": "Bandung"}"#;

fn accept(dir: &Path, rank: &str) -> (Output, std::path::PathBuf) {
    accept_with(dir, rank, PARTIES)
}

fn accept_with(dir: &Path, rank: &str, parties_json: &str) -> (Output, std::path::PathBuf) {
    let input = dir.join("case.json");
    std::fs::write(&input, EXAMPLE).unwrap();
    let parties = dir.join("parties.json");
    std::fs::write(&parties, parties_json).unwrap();
    let pdf = dir.join("agreement.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args([
            "negotiate",
            "--input",
            input.to_str().unwrap(),
            "--accept",
            rank,
        ])
        .args(["--agreement", pdf.to_str().unwrap()])
        .args(["--parties", parties.to_str().unwrap()])
        .env("SEPAKAT_LOG", "warn")
        .output()
        .unwrap();
    (out, pdf)
}

#[test]
fn an_accepted_option_within_authority_gets_an_agreement_pdf_with_its_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let (out, pdf) = accept(dir.path(), "1");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let view: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let option = &view["options"][0];
    assert_eq!(option["needs_approval"], false);
    let Ok(text) = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is required in CI"
        );
        return;
    };
    let text = String::from_utf8(text.stdout).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("SURAT PERNYATAAN KESANGGUPAN PEMBAYARAN"));
    assert!(flat.contains("3201********0001"), "{flat}");
    assert!(!flat.contains("3201011503850001"), "the NIK is masked");
    let total = option["total_paid"].as_i64().unwrap();
    let total_text = sepakat_domain::Rupiah::new(total).to_string();
    assert!(flat.contains(&total_text), "{total_text} in {flat}");
    assert!(flat.contains(&sepakat_domain::Rupiah::new(total).terbilang()));
    for line in option["schedule"].as_array().unwrap() {
        let amount = sepakat_domain::Rupiah::new(line["amount"].as_i64().unwrap()).to_string();
        assert!(flat.contains(&amount), "{amount}");
    }
    assert!(flat.contains("Bandung, 2 Desember 2026"));
}

#[test]
fn an_option_that_needs_approval_gets_no_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let (out, pdf) = accept(dir.path(), "2");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("option 2 needs approval by supervisor"),
        "{stderr}"
    );
    assert!(!pdf.exists());
    let (out, _) = accept(dir.path(), "99");
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no option 99"));
}

#[test]
fn bad_parties_are_refused_with_the_field_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let bad_nik = PARTIES.replace("3201011503850001", "3201xx");
    let (out, pdf) = accept_with(dir.path(), "1", &bad_nik);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--parties: nik:"), "{stderr}");
    assert!(!pdf.exists());
    let missing_city = PARTIES.replace(r#", "city": "Bandung""#, "");
    let (out, _) = accept_with(dir.path(), "1", &missing_city);
    assert!(String::from_utf8_lossy(&out.stderr).contains("city"));
}

#[test]
fn a_company_is_identified_by_its_npwp_and_a_debtor_with_neither_gets_no_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let company = PARTIES.replace("Budi Santoso", "CV Sinar Terang").replace(
        r#""nik": "3201011503850001""#,
        r#""npwp": "01.234.567.8-901.000""#,
    );
    let (out, pdf) = accept_with(dir.path(), "1", &company);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if let Ok(text) = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
    {
        let text = String::from_utf8(text.stdout).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("NPWP"), "{flat}");
        assert!(flat.contains("01.234.567.8-901.000"), "{flat}");
        assert!(flat.contains("CV Sinar Terang"));
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is required in CI"
        );
    }
    let nobody = PARTIES.replace(r#", "nik": "3201011503850001""#, "");
    let dir = tempfile::tempdir().unwrap();
    let (out, pdf) = accept_with(dir.path(), "1", &nobody);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("neither a NIK nor an NPWP"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!pdf.exists());
}
