//! `sepakat model fit|list|activate|install|explain` as a user meets them on a demo
//! database: nothing before training, a stored active model after it, the nightly run
//! scoring with it, and clear refusals for bad input that store nothing.

use std::process::{Command, Output};

fn sepakat(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .arg("--database-url")
        .arg(db)
        .args(args)
        .env("SEPAKAT_LOG", "warn")
        .output()
        .expect("run sepakat")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_creditor_model_is_fitted_listed_explained_used_by_the_run_and_bad_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let demo = sepakat(&db, &["demo", "--accounts", "1500", "--no-serve"]);
    assert!(demo.status.success(), "{}", text(&demo));

    let none = sepakat(&db, &["model", "list", "--creditor", "NUSABANK"]);
    assert!(text(&none).contains("no models yet"), "{}", text(&none));
    let unexplained = sepakat(
        &db,
        &[
            "model",
            "explain",
            "--creditor",
            "NUSABANK",
            "--account",
            "NB-00000001",
        ],
    );
    assert!(!unexplained.status.success());
    assert!(
        text(&unexplained).contains("has no active model"),
        "{}",
        text(&unexplained)
    );

    for (args, says) in [
        (vec!["--creditor", "NOPE"], "no creditor with code \"NOPE\""),
        (
            vec!["--creditor", "NUSABANK", "--sample-percent", "0"],
            "sample percent must be 1 to 100",
        ),
        (
            vec!["--creditor", "NUSABANK", "--horizon-days", "0"],
            "at least 1",
        ),
    ] {
        let mut all = vec!["model", "fit"];
        all.extend(args.iter());
        let refused = sepakat(&db, &all);
        assert!(!refused.status.success(), "{all:?}");
        assert!(text(&refused).contains(says), "{all:?}: {}", text(&refused));
    }
    let still_none = sepakat(&db, &["model", "list", "--creditor", "NUSABANK"]);
    assert!(text(&still_none).contains("no models yet"));

    let export = dir.path().join("examples.csv");
    let fit = sepakat(
        &db,
        &[
            "model",
            "fit",
            "--creditor",
            "NUSABANK",
            "--dates",
            "4",
            "--sample-percent",
            "50",
            "--export",
            export.to_str().unwrap(),
        ],
    );
    assert!(fit.status.success(), "{}", text(&fit));
    assert!(text(&fit).contains("stored v1"), "{}", text(&fit));
    let header = std::fs::read_to_string(&export).unwrap();
    assert!(
        header.starts_with("date,account,product,dpd,"),
        "{}",
        &header[..80]
    );

    let listed = sepakat(&db, &["model", "list", "--creditor", "NUSABANK"]);
    assert!(
        text(&listed).contains("v1 ") && text(&listed).contains("(active)"),
        "{}",
        text(&listed)
    );
    let explained = sepakat(
        &db,
        &[
            "model",
            "explain",
            "--creditor",
            "NUSABANK",
            "--account",
            "NB-00000001",
        ],
    );
    assert!(explained.status.success(), "{}", text(&explained));
    assert!(
        text(&explained).contains("probability to pay within 30 days"),
        "{}",
        text(&explained)
    );

    let run = sepakat(
        &db,
        &["run", "--as-of", "2026-11-24", "--creditor", "NUSABANK"],
    );
    assert!(run.status.success(), "{}", text(&run));
    assert!(
        text(&run).contains("scoring      model v1"),
        "{}",
        text(&run)
    );

    let unknown = sepakat(
        &db,
        &[
            "model",
            "activate",
            "--creditor",
            "NUSABANK",
            "--version",
            "9",
        ],
    );
    assert!(!unknown.status.success());
    assert!(
        text(&unknown).contains("model version 9"),
        "{}",
        text(&unknown)
    );

    let bogus = dir.path().join("bogus.json");
    std::fs::write(&bogus, "{\"format\": \"something else\"}").unwrap();
    let refused = sepakat(
        &db,
        &[
            "model",
            "install",
            "--creditor",
            "NUSABANK",
            "--model",
            bogus.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(text(&refused).contains("loading"), "{}", text(&refused));
    // A model trained on other columns cannot score Sepakat's features.
    let other = dir.path().join("other.csv");
    let mut csv = String::from("x,y\n");
    for i in 0..60 {
        csv.push_str(&format!("{i},{}\n", u8::from(i > 30)));
    }
    std::fs::write(&other, csv).unwrap();
    let foreign = dir.path().join("foreign.json");
    let trained = sepakat(
        &db,
        &[
            "model",
            "train",
            "--data",
            other.to_str().unwrap(),
            "--target",
            "y",
            "--out",
            foreign.to_str().unwrap(),
            "--algorithm",
            "logistic",
        ],
    );
    assert!(trained.status.success(), "{}", text(&trained));
    let refused = sepakat(
        &db,
        &[
            "model",
            "install",
            "--creditor",
            "NUSABANK",
            "--model",
            foreign.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("unknown feature 'x'"),
        "{}",
        text(&refused)
    );
    let listed = sepakat(&db, &["model", "list", "--creditor", "NUSABANK"]);
    assert_eq!(
        text(&listed).lines().filter(|l| l.starts_with('v')).count(),
        1,
        "{}",
        text(&listed)
    );
}
