//! The `sepakat guard` contract as a user meets it: `eval --json` prints one JSON object
//! with the agreed fields, a malformed line is an error naming its number, and `check`
//! prints the verdict and exits 0 either way.

use std::process::{Command, Output};

fn sepakat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args(args)
        .env("SEPAKAT_LOG", "warn")
        .env_remove("SEPAKAT_CONFIG")
        .output()
        .expect("run sepakat")
}

#[test]
fn guard_eval_json_prints_one_object_with_recall_false_blocks_and_speed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("eval.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"text": "Dasar anjing, bayar utangmu!", "label": "block", "category": "insult"}"#,
            "\n",
            r#"{"text": "Kalau tidak bayar, data kamu kami sebar ke semua kontak", "label": "block"}"#,
            "\n\n",
            r#"{"text": "Yth. Bapak, angsuran Anda jatuh tempo pada 24 Nov 2026.", "label": "allow", "source": "authored"}"#,
            "\n",
            r#"{"text": "Keterlambatan akan dilaporkan ke SLIK OJK.", "label": "allow"}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = sepakat(&["guard", "eval", "--json", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.trim().lines().count(), 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(report["n"], 4);
    assert_eq!(report["block_recall"], 1.0);
    assert_eq!(report["false_block_rate"], 0.0);
    assert!(report["messages_per_second"].as_f64().unwrap() > 0.0);
    assert_eq!(report["block"]["support"], 2);
}

#[test]
fn guard_eval_table_shows_precision_and_recall_per_class() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("eval.jsonl");
    std::fs::write(
        &file,
        "{\"text\": \"goblok\", \"label\": \"block\"}\n{\"text\": \"Terima kasih, Bapak.\", \"label\": \"allow\"}\n",
    )
    .unwrap();
    let out = sepakat(&["guard", "eval", file.to_str().unwrap()]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("precision"), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("block ")), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("allow ")), "{stdout}");
}

#[test]
fn a_malformed_line_is_an_error_naming_its_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("eval.jsonl");
    std::fs::write(
        &file,
        "{\"text\": \"goblok\", \"label\": \"block\"}\n{\"text\": \"oops\"\n",
    )
    .unwrap();
    let out = sepakat(&["guard", "eval", "--json", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing on stdout when refusing");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");

    std::fs::write(&file, "{\"text\": \"goblok\", \"label\": \"maybe\"}\n").unwrap();
    let out = sepakat(&["guard", "eval", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 1") && stderr.contains("\"maybe\""),
        "{stderr}"
    );
}

#[test]
fn guard_check_prints_the_verdict_and_exits_zero_either_way() {
    let out = sepakat(&["guard", "check", "--text", "dasar b@ngsat"]);
    assert!(out.status.success());
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["blocked"], true);
    assert_eq!(verdict["findings"][0]["rule"], "insult");
    assert_eq!(verdict["findings"][0]["matched"], "b@ngsat");

    let out = sepakat(&[
        "guard",
        "check",
        "--text",
        "Mohon lakukan pembayaran sebelum 24 Nov 2026.",
    ]);
    assert!(out.status.success());
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["blocked"], false);
    assert_eq!(verdict["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn every_evaluation_line_names_a_source_listed_in_sources_md() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/data/guard");
    let sources = std::fs::read_to_string(format!("{data}/SOURCES.md")).unwrap();
    let eval = std::fs::read_to_string(format!("{data}/eval.jsonl")).unwrap();
    let mut lines = 0;
    for line in eval.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let source = row["source"].as_str().unwrap_or_default();
        match source.strip_prefix("paraphrase of ") {
            Some(page) => assert!(sources.contains(page), "{page} is not in SOURCES.md"),
            None => assert_eq!(source, "authored", "{line}"),
        }
        assert!(
            matches!(row["split"].as_str(), Some("dev" | "test")),
            "{line}"
        );
        lines += 1;
    }
    assert!(sources.contains(&format!("holds {lines} messages")));
}
