//! `sepakat model train|eval` and `sepakat bench model`: the generic tabular trainer and
//! evaluator over `sepakat-model` (see `docs/scoring.md`). Notes about the data go to
//! standard error, so `eval --json` prints exactly one JSON object on standard output.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use sepakat_domain::{Clock, SystemClock, Zone};
use sepakat_model::{
    evaluate, seeded_split, train as fit, Algorithm, Evaluation, Model, Table, TrainSpec, Value,
};

use crate::cli::{AlgorithmArg, ModelCommand, ModelDataArgs, ModelTrainArgs};

/// The share and seed of the benchmark's fixed test split.
const BENCH_TEST_SHARE: f64 = 0.2;
const BENCH_SEED: u64 = 42;

/// Runs a `model` subcommand.
pub fn run(config: &crate::config::Config, cmd: ModelCommand) -> Result<ExitCode> {
    match cmd {
        ModelCommand::Fit(args) => super::scoring::fit(config, &args),
        ModelCommand::List { creditor } => super::scoring::list(config, &creditor),
        ModelCommand::Activate { creditor, version } => {
            super::scoring::activate(config, &creditor, version)
        }
        ModelCommand::Install {
            creditor,
            model,
            horizon_days,
        } => super::scoring::install(config, &creditor, &model, horizon_days),
        ModelCommand::Explain {
            creditor,
            account,
            as_of,
        } => super::scoring::explain(config, &creditor, &account, as_of),
        ModelCommand::Train(args) => train(&args),
        ModelCommand::Eval {
            model,
            data,
            target,
            json,
        } => eval(&model, &data, &target, json),
    }
}

fn read_table(path: &Path) -> Result<Table> {
    Table::read_csv(path).with_context(|| format!("reading {}", path.display()))
}

fn spec(args: &ModelDataArgs, algorithm: Algorithm) -> TrainSpec {
    TrainSpec {
        positive: args.positive.clone(),
        ignore: args.ignore.clone(),
        ..TrainSpec::new(&args.target, algorithm)
    }
}

fn notes(notes: &[String]) {
    for note in notes {
        eprintln!("note: {note}");
    }
}

fn train(args: &ModelTrainArgs) -> Result<ExitCode> {
    let table = read_table(&args.data.data)?;
    let algorithm = match args.algorithm {
        AlgorithmArg::Gbt => Algorithm::Gbt,
        AlgorithmArg::Logistic => Algorithm::Logistic,
    };
    let started = Instant::now();
    let trained = fit(
        &table,
        &spec(&args.data, algorithm),
        SystemClock.today(Zone::Wib),
    )
    .with_context(|| format!("training on {}", args.data.data.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    notes(&trained.notes);
    let model = &trained.model;
    std::fs::write(&args.out, model.to_json())
        .with_context(|| format!("writing the model to {}", args.out.display()))?;
    let m = &model.metrics;
    println!(
        "trained {algorithm} on {} rows ({} positive, '{}'), {} features, in {seconds:.2} s",
        m.rows, m.positives, model.positive, m.features
    );
    match (m.holdout_auc, m.holdout_logloss) {
        (Some(auc), Some(loss)) => println!(
            "training AUC {:.4}; held-out {} rows (calibration): AUC {auc:.4}, log-loss {loss:.4}",
            m.train_auc, m.holdout_rows
        ),
        _ => println!("training AUC {:.4} (no held-out rows)", m.train_auc),
    }
    println!("model written to {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn eval(model_path: &Path, data: &Path, target: &str, json: bool) -> Result<ExitCode> {
    let text = std::fs::read_to_string(model_path)
        .with_context(|| format!("reading the model {}", model_path.display()))?;
    let model =
        Model::from_json(&text).with_context(|| format!("loading {}", model_path.display()))?;
    let table = read_table(data)?;
    let evaluation = evaluate(&model, &table, target)
        .with_context(|| format!("evaluating on {}", data.display()))?;
    notes(&evaluation.notes);
    if json {
        println!(
            "{}",
            serde_json::to_string(&evaluation).context("writing JSON")?
        );
    } else {
        print_evaluation(&model, &evaluation);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_evaluation(model: &Model, e: &Evaluation) {
    println!(
        "{} model ({}), {} rows ({} positive '{}'), {} skipped without a target",
        model.algorithm(),
        model.created,
        e.n,
        e.positives,
        model.positive,
        e.skipped_no_target
    );
    println!("AUC       {:.4}", e.auc);
    println!("log-loss  {:.4}", e.logloss);
    println!("calibration by decile of predicted probability:");
    println!("decile  count  mean predicted  observed rate");
    for row in &e.calibration {
        println!(
            "{:>6}  {:>5}  {:>14.4}  {:>13.4}",
            row.bin, row.count, row.mean_predicted, row.observed_rate
        );
    }
}

/// Rows per second through a [`sepakat_model::Scorer`], text cells parsed as the nightly
/// run's values would be; the test rows are cycled to about a million.
fn scoring_rate(model: &Model, table: &Table) -> f64 {
    let columns: Vec<&[String]> = model
        .schema
        .features()
        .iter()
        .filter_map(|f| table.column(&f.name))
        .collect();
    let rows = table.rows().max(1);
    let passes = (1_000_000 / rows).max(1);
    let mut scorer = model.scorer();
    let mut row = vec![Value::Missing; columns.len()];
    let mut total = 0.0;
    let started = Instant::now();
    for _ in 0..passes {
        for r in 0..table.rows() {
            for (slot, column) in row.iter_mut().zip(&columns) {
                *slot = Value::Text(&column[r]);
            }
            total += scorer.score(&row);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    // Use the sum so the loop cannot be optimised away.
    std::hint::black_box(total);
    (passes * table.rows()) as f64 / seconds.max(1e-9)
}

/// `sepakat bench model`: both learners on the same fixed split.
pub fn bench(args: &ModelDataArgs) -> Result<()> {
    let table = read_table(&args.data)?;
    let (train_rows, test_rows) = seeded_split(table.rows(), BENCH_TEST_SHARE, BENCH_SEED);
    let train_table = table.select(&train_rows);
    let test_table = table.select(&test_rows);
    println!(
        "{}: {} rows, seeded split (seed {BENCH_SEED}): {} train, {} test",
        args.data.display(),
        table.rows(),
        train_rows.len(),
        test_rows.len()
    );
    println!("algorithm  train s  test AUC  test log-loss  train AUC  scored rows/s");
    for algorithm in [Algorithm::Gbt, Algorithm::Logistic] {
        let started = Instant::now();
        let trained = fit(
            &train_table,
            &spec(args, algorithm),
            SystemClock.today(Zone::Wib),
        )
        .with_context(|| format!("training {algorithm}"))?;
        let seconds = started.elapsed().as_secs_f64();
        if algorithm == Algorithm::Gbt {
            notes(&trained.notes);
        }
        let e = evaluate(&trained.model, &test_table, &args.target)
            .with_context(|| format!("evaluating {algorithm}"))?;
        println!(
            "{:<9}  {seconds:>7.2}  {:>8.4}  {:>13.4}  {:>9.4}  {:>13.0}",
            algorithm.to_string(),
            e.auc,
            e.logloss,
            trained.model.metrics.train_auc,
            scoring_rate(&trained.model, &test_table)
        );
    }
    Ok(())
}
