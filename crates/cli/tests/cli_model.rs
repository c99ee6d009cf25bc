//! The `sepakat model train|eval` contract as a user meets it: a small CSV written here is
//! trained on, the artifact written, and evaluated as text and as one JSON object.

use std::process::{Command, Output};

fn sepakat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sepakat"))
        .args(args)
        .env("SEPAKAT_LOG", "warn")
        .output()
        .expect("run sepakat")
}

/// 300 rows: the chance of `bad` rises with `dpd` and is higher for product `kta`.
fn csv() -> String {
    let mut csv = String::from("account_id,dpd,product,outcome\n");
    for i in 0..300 {
        let dpd = (i * 37) % 120;
        let product = ["kta", "kpr", "card"][i % 3];
        let bad = dpd > 70 || (product == "kta" && i % 4 == 0);
        let outcome = if i % 50 == 49 {
            ""
        } else if bad {
            "bad"
        } else {
            "good"
        };
        csv.push_str(&format!("A{i},{dpd},{product},{outcome}\n"));
    }
    csv
}

#[test]
fn a_trained_model_evaluates_as_text_and_as_one_json_object() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("accounts.csv");
    std::fs::write(&data, csv()).unwrap();
    let data = data.to_str().unwrap();
    let model = dir.path().join("model.json");
    let model = model.to_str().unwrap();

    let refused = sepakat(&[
        "model", "train", "--data", data, "--target", "outcome", "--out", model,
    ]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains(
            "target column 'outcome' has the values 'bad', 'good' and none is '1': \
             say which is the positive class with --positive"
        ),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(
        !std::path::Path::new(model).exists(),
        "no artifact for a refused training"
    );

    for algorithm in ["gbt", "logistic"] {
        let args = [
            "model",
            "train",
            "--data",
            data,
            "--target",
            "outcome",
            "--positive",
            "bad",
            "--ignore",
            "account_id",
            "--out",
            model,
            "--algorithm",
            algorithm,
        ];
        let trained = sepakat(&args);
        let stdout = String::from_utf8_lossy(&trained.stdout);
        assert!(
            trained.status.success(),
            "{}",
            String::from_utf8_lossy(&trained.stderr)
        );
        assert!(
            stdout.contains(&format!("trained {algorithm} on 294 rows")),
            "{stdout}"
        );
        assert!(stdout.contains("2 features"), "{stdout}");
        assert!(String::from_utf8_lossy(&trained.stderr)
            .contains("note: 6 rows without a target value were skipped"));

        let text = sepakat(&[
            "model", "eval", "--model", model, "--data", data, "--target", "outcome",
        ]);
        let stdout = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.status.success(),
            "{}",
            String::from_utf8_lossy(&text.stderr)
        );
        assert!(
            stdout.contains("AUC") && stdout.contains("log-loss") && stdout.contains("decile"),
            "{stdout}"
        );

        let json = sepakat(&[
            "model", "eval", "--model", model, "--data", data, "--target", "outcome", "--json",
        ]);
        assert!(json.status.success());
        let value: serde_json::Value =
            serde_json::from_slice(&json.stdout).expect("one JSON object");
        assert_eq!(value["n"], 294);
        assert_eq!(value["skipped_no_target"], 6);
        let auc = value["auc"].as_f64().unwrap();
        assert!(auc > 0.8 && auc <= 1.0, "{algorithm}: {auc}");
        assert!(value["logloss"].as_f64().unwrap() > 0.0);
        assert_eq!(value["calibration"].as_array().unwrap().len(), 10);
    }
}

#[test]
fn evaluating_a_file_that_is_not_a_model_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.csv");
    std::fs::write(&data, "x,y\n1,1\n2,0\n").unwrap();
    let bogus = dir.path().join("m.json");
    std::fs::write(
        &bogus,
        "{\"format\": \"sepakat-model\", \"format_version\": 9}",
    )
    .unwrap();
    let out = sepakat(&[
        "model",
        "eval",
        "--model",
        bogus.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--target",
        "y",
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("model file: format version 9 is not supported (this build reads version 1)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
