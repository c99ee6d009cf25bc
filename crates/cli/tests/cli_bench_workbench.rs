//! `sepakat bench workbench` on a small portfolio: it serves the app, drives the API and
//! prints every figure line, with no unexpected answer. Nothing about speed is asserted.

use std::process::Command;

#[test]
fn the_workbench_bench_prints_its_figures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args([
            "bench",
            "workbench",
            "--accounts",
            "600",
            "--collectors",
            "2",
        ])
        .args(["--seconds", "0.3", "--rate", "200", "--dir"])
        .arg(dir.path())
        .env("SEPAKAT_LOG", "warn")
        .output()
        .expect("run sepakat");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {stdout}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [
        "worklists:",
        "mixed:",
        "next-account",
        "log-interaction",
        "release",
        "paced:",
        "claims 0%:",
        "claims 90%:",
        "claims ratio:",
    ] {
        assert!(stdout.contains(line), "{line} missing from:\n{stdout}");
    }
    assert!(!stdout.contains("unexpected answers"), "{stdout}");
    // "(N in S s: …": the mixed phase wrote something.
    let written: u64 = stdout
        .split("write transactions/s (")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no write count in:\n{stdout}"));
    assert!(written > 0, "{stdout}");
    assert!(dir.path().join("bench-workbench.db").exists());
}
