//! The `sepakat template` contract: `check` reviews every template of a file and exits 1
//! when one is blocked, naming it and the rule; a file with an unknown variable is refused
//! with the template, line and column; `preview` prints the template with sample data.

use std::process::{Command, Output};

fn sepakat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args(args)
        .env("SEPAKAT_LOG", "warn")
        .env_remove("SEPAKAT_CONFIG")
        .output()
        .expect("run sepakat")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_shipped_templates_all_pass_review() {
    let out = sepakat(&["template", "check", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reviews: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reviews = reviews.as_array().unwrap();
    assert!(reviews.len() >= 15);
    assert!(reviews.iter().all(|r| r["blocked"] == false));
    assert!(reviews.iter().any(|r| r["key"] == "sp1_letter"));
}

#[test]
fn a_blocked_template_fails_the_check_and_names_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.toml");
    std::fs::write(
        &file,
        r#"
[[template]]
key = "polite"
stage = "early"
channel = "sms"
body = "Yth. {{sapaan}}, mohon bayar {{tunggakan}} sebelum {{batas_waktu}}."

[[template]]
key = "rude"
stage = "late"
channel = "whatsapp"
body = "Woi {{nama}} bangsat, bayar {{tunggakan}} atau kami datangi kantormu dan kasih tahu bosmu."
"#,
    )
    .unwrap();
    let out = sepakat(&["template", "check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    let rude = stdout.lines().find(|l| l.starts_with("rude")).unwrap();
    assert!(rude.ends_with("DIBLOKIR"), "{stdout}");
    let polite = stdout.lines().find(|l| l.starts_with("polite")).unwrap();
    assert!(polite.ends_with("ok"), "{stdout}");
    assert!(stdout.contains("insult"), "{stdout}");
    assert!(text(&out.stderr).contains("1 of 2 templates blocked"));
}

#[test]
fn an_unknown_variable_is_refused_with_template_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.toml");
    std::fs::write(
        &file,
        "[[template]]\nkey = \"x\"\nstage = \"early\"\nchannel = \"sms\"\nbody = \"Yth. {{nama_lengkap}}\"\n",
    )
    .unwrap();
    let out = sepakat(&["template", "check", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr
            .contains("template \"x\": body: line 1, column 6: unknown variable \"nama_lengkap\""),
        "{stderr}"
    );
}

#[test]
fn preview_fills_the_template_with_sample_data() {
    let out = sepakat(&["template", "preview", "sp1_letter"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("Perihal: Surat Peringatan Pertama (SP1)"));
    assert!(stdout.contains("Bapak Budi Santoso"));
    assert!(stdout.contains("satu juta dua ratus lima puluh ribu rupiah"));
    let missing = sepakat(&["template", "preview", "nope"]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("early_whatsapp"));
}
