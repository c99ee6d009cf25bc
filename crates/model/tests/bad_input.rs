//! Training and scoring on awkward data: each case gets a clear error or the documented
//! handling, never a panic or a NaN score.

use chrono::NaiveDate;
use proptest::prelude::*;
use sepakat_model::{evaluate, train, Algorithm, Model, Table, TrainSpec, Value};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn table(csv: &str) -> Table {
    Table::from_reader(csv.as_bytes()).unwrap()
}

/// 200 rows: `amount` (numeric, drives y), `segment` (text), `flag` constant, `id`.
fn sample(extra: impl Fn(usize) -> (String, String)) -> String {
    let mut csv = String::from("id,amount,segment,flag,y\n");
    for i in 0..200 {
        let (amount, segment) = extra(i);
        let y = usize::from((i * 37) % 100 > 55 || i % 9 == 0);
        csv.push_str(&format!("{i},{amount},{segment},same,{y}\n"));
    }
    csv
}

fn plain(i: usize) -> (String, String) {
    (
        ((i * 37) % 100).to_string(),
        ["a", "b", "c"][i % 3].to_string(),
    )
}

fn spec(algorithm: Algorithm) -> TrainSpec {
    TrainSpec {
        ignore: vec!["id".into()],
        ..TrainSpec::new("y", algorithm)
    }
}

#[test]
fn a_missing_target_column_is_refused_naming_the_columns_there_are() {
    let err = train(
        &table(&sample(plain)),
        &TrainSpec::new("default", Algorithm::Gbt),
        day(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "target column 'default' is not in the file (columns: id, amount, segment, flag, y)"
    );
}

#[test]
fn a_constant_column_is_dropped_with_a_note_not_an_error() {
    let trained = train(&table(&sample(plain)), &spec(Algorithm::Logistic), day()).unwrap();
    assert!(trained
        .notes
        .contains(&"column 'flag' is constant ('same'); dropped".to_string()));
    let names: Vec<&str> = trained
        .model
        .schema
        .features()
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["amount", "segment"]);
}

#[test]
fn missing_values_train_and_score_to_finite_probabilities() {
    let data = sample(|i| {
        let (a, s) = plain(i);
        (
            if i % 5 == 0 { "NA".into() } else { a },
            if i % 7 == 0 { "?".into() } else { s },
        )
    });
    for algorithm in [Algorithm::Gbt, Algorithm::Logistic] {
        let trained = train(&table(&data), &spec(algorithm), day()).unwrap();
        let mut scorer = trained.model.scorer();
        let p = scorer.score(&[Value::Missing, Value::Missing]);
        assert!(
            p.is_finite() && (0.0..=1.0).contains(&p),
            "{algorithm}: {p}"
        );
    }
}

#[test]
fn an_unseen_category_scores_like_a_missing_one_and_is_counted_in_evaluation() {
    let trained = train(&table(&sample(plain)), &spec(Algorithm::Gbt), day()).unwrap();
    let mut scorer = trained.model.scorer();
    let unseen = scorer.score(&[Value::Number(40.0), Value::Text("zzz")]);
    let missing = scorer.score(&[Value::Number(40.0), Value::Missing]);
    assert_eq!(unseen, missing);
    let test = sample(|i| (plain(i).0, if i < 4 { "zzz".into() } else { plain(i).1 }));
    let e = evaluate(&trained.model, &table(&test), "y").unwrap();
    assert!(
        e.notes.contains(
            &"column 'segment': 4 categories unseen in training, scored as missing".to_string()
        ),
        "{:?}",
        e.notes
    );
}

#[test]
fn a_single_class_is_a_clear_error() {
    let data = "x,y\n1,0\n2,0\n3,0\n";
    let err = train(&table(data), &TrainSpec::new("y", Algorithm::Gbt), day()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "target column 'y' has a single class (negative, '0') in all 3 rows with a target: \
         a model needs both classes"
    );
}

#[test]
fn an_empty_file_is_a_clear_error() {
    let err = Table::from_reader("".as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "the file has no data rows");
}

#[test]
fn a_word_in_a_numeric_column_is_treated_as_missing_with_a_note() {
    let data = sample(|i| {
        let (a, s) = plain(i);
        (if i == 3 { "lima".into() } else { a }, s)
    });
    let trained = train(&table(&data), &spec(Algorithm::Logistic), day()).unwrap();
    assert!(
        trained.notes.iter().any(|n| n
            == "column 'amount' is numeric; 1 values that are not numbers (e.g. 'lima') are treated as missing"),
        "{:?}",
        trained.notes
    );
    let e = evaluate(&trained.model, &table(&data), "y").unwrap();
    assert!(e.notes.contains(
        &"column 'amount': 1 values that are not numbers, scored as missing".to_string()
    ));
}

#[test]
fn rows_without_a_target_are_skipped_and_counted() {
    let mut data = sample(plain);
    data.push_str("999,50,a,same,\n");
    let trained = train(&table(&data), &spec(Algorithm::Gbt), day()).unwrap();
    assert_eq!(trained.model.metrics.skipped_no_target, 1);
    let e = evaluate(&trained.model, &table(&data), "y").unwrap();
    assert_eq!((e.n, e.skipped_no_target), (200, 1));
}

#[test]
fn evaluation_needs_the_model_columns() {
    let trained = train(&table(&sample(plain)), &spec(Algorithm::Gbt), day()).unwrap();
    let err = evaluate(&trained.model, &table("amount,y\n1,1\n2,0\n"), "y").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the model needs column 'segment', which is not in the file"
    );
}

#[test]
fn the_artifact_round_trips_and_refuses_another_version_or_a_broken_schema() {
    for algorithm in [Algorithm::Gbt, Algorithm::Logistic] {
        let model = train(&table(&sample(plain)), &spec(algorithm), day())
            .unwrap()
            .model;
        let json = model.to_json();
        let loaded = Model::from_json(&json).unwrap();
        assert_eq!(loaded.schema, model.schema);
        // JSON keeps the shortest decimal of each float; the scores agree to rounding.
        let row = [Value::Number(40.0), Value::Text("b")];
        let (a, b) = (model.scorer().score(&row), loaded.scorer().score(&row));
        assert!((a - b).abs() < 1e-12, "{a} {b}");
        let newer = json.replacen("\"format_version\": 1", "\"format_version\": 2", 1);
        assert_eq!(
            Model::from_json(&newer).unwrap_err().to_string(),
            "model file: format version 2 is not supported (this build reads version 1)"
        );
    }
    let model = train(&table(&sample(plain)), &spec(Algorithm::Logistic), day())
        .unwrap()
        .model;
    // Drop a category from the schema: the logistic weights no longer match it.
    let broken = model.to_json().replacen("\"a\",", "", 1);
    let err = Model::from_json(&broken).unwrap_err().to_string();
    assert_eq!(
        err,
        "model file: the term of feature 'segment' does not match its kind"
    );
    let err = Model::from_json("{\"hello\": 1}").unwrap_err().to_string();
    assert_eq!(
        err,
        "model file: not a Sepakat model (no \"format\": \"sepakat-model\")"
    );
}

fn value() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        any::<f64>().prop_map(Value::Number),
        Just(Value::Number(f64::INFINITY)),
        Just(Value::Number(1e300)),
        Just(Value::Number(-1e300)),
        Just(Value::Missing),
        prop::sample::select(vec!["a", "b", "c", "zzz", "", "NA", "12", "abc"])
            .prop_map(Value::Text),
    ]
}

proptest! {
    #[test]
    fn scores_are_always_finite_probabilities(row in prop::collection::vec(value(), 0..4)) {
        thread_local! {
            static MODELS: Vec<Model> = [Algorithm::Gbt, Algorithm::Logistic]
                .map(|a| train(&table(&sample(plain)), &spec(a), day()).unwrap().model)
                .to_vec();
        }
        MODELS.with(|models| {
            for model in models {
                let p = model.scorer().score(&row);
                prop_assert!(p.is_finite() && (0.0..=1.0).contains(&p), "{p}");
            }
            Ok(())
        })?;
    }
}

proptest! {
    #[test]
    fn rows_scored_in_a_queue_score_exactly_as_one_by_one(
        rows in prop::collection::vec(prop::collection::vec(value(), 0..4), 0..150),
    ) {
        thread_local! {
            static MODELS: Vec<Model> = [Algorithm::Gbt, Algorithm::Logistic]
                .map(|a| train(&table(&sample(plain)), &spec(a), day()).unwrap().model)
                .to_vec();
        }
        MODELS.with(|models| {
            for model in models {
                let mut one = model.scorer();
                let mut queued = model.scorer();
                for row in &rows {
                    queued.queue(row);
                }
                let mut out = vec![0.5; 3];
                queued.score_queued(&mut out);
                prop_assert_eq!(out.len(), rows.len());
                for (row, p) in rows.iter().zip(&out) {
                    prop_assert_eq!(p.to_bits(), one.score(row).to_bits(), "{:?}", row);
                }
                // The queue is empty again.
                queued.score_queued(&mut out);
                prop_assert!(out.is_empty());
            }
            Ok(())
        })?;
    }
}
