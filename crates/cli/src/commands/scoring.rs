//! `sepakat model fit|list|activate|install|explain`: a creditor's propensity-to-pay
//! models, trained on its own history and stored in the database (see `docs/scoring.md`).

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use sepakat_domain::scoring::FEATURE_SET;
use sepakat_domain::{Clock, SystemClock, Zone};
use sepakat_engine::scoring::train::{examples, fit as fit_examples, write_csv, TrainOptions};
use sepakat_engine::scoring::{account_row, Scoring};
use sepakat_model::Algorithm;
use sepakat_store::{Actor, Creditor, ModelInfo, NewModel, Store};

use crate::cli::{AlgorithmArg, ModelFitArgs};
use crate::config::Config;

fn creditor(store: &dyn Store, code: &str) -> Result<Creditor> {
    store
        .creditor_by_code(code)?
        .with_context(|| format!("no creditor with code {code:?}"))
}

fn actor() -> Actor {
    Actor::system("cli:model")
}

fn summary(info: &ModelInfo) -> String {
    let auc = |key: &str| {
        info.metrics
            .get("candidates")
            .and_then(|c| c.as_array())
            .and_then(|c| c.iter().find(|x| x["algorithm"] == info.algorithm))
            .and_then(|c| c[key].as_f64())
            .map_or("-".to_string(), |x| format!("{x:.4}"))
    };
    format!(
        "v{} {}{} trained {} by {}, horizon {} days, test AUC {}",
        info.version,
        info.algorithm,
        if info.active { " (active)" } else { "" },
        info.trained_at.format("%Y-%m-%d %H:%M UTC"),
        info.trained_by,
        info.horizon_days,
        auc("test_auc")
    )
}

/// `model fit`.
pub fn fit(config: &Config, args: &ModelFitArgs) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    let creditor = creditor(store.as_ref(), &args.creditor)?;
    let options = TrainOptions {
        as_of: args.as_of.unwrap_or_else(|| SystemClock.today(Zone::Wib)),
        horizon_days: args.horizon_days,
        dates: args.dates,
        step_days: args.step_days,
        sample_percent: args.sample_percent,
        algorithm: args.algorithm.map(|a| match a {
            AlgorithmArg::Gbt => Algorithm::Gbt,
            AlgorithmArg::Logistic => Algorithm::Logistic,
        }),
    };
    let started = Instant::now();
    let examples = examples(store.as_ref(), creditor.id, &options)
        .with_context(|| format!("building the examples of {}", creditor.code))?;
    println!(
        "{}: {} examples over {} dates in {:.2} s",
        creditor.code,
        examples.len(),
        options.dates,
        started.elapsed().as_secs_f64()
    );
    if let Some(path) = &args.export {
        write_csv(&examples, path)?;
        println!("examples written to {}", path.display());
    }
    let (model, report) = fit_examples(&examples, &options)
        .with_context(|| format!("training the model of {}", creditor.code))?;
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    println!(
        "{} positive of {}; learned from {} examples before {}, tested on {} from it",
        report.positives, report.rows, report.train_rows, report.test_from, report.test_rows
    );
    for c in &report.candidates {
        println!(
            "  {:<9} test AUC {:.4}, log-loss {:.4}, trained in {:.2} s",
            c.algorithm, c.test_auc, c.test_logloss, c.seconds
        );
    }
    if args.dry_run {
        println!(
            "dry run: nothing stored (the better learner was {})",
            report.chosen
        );
        return Ok(ExitCode::SUCCESS);
    }
    let info = store.save_model(
        &NewModel {
            creditor: creditor.id,
            algorithm: report.chosen.clone(),
            feature_set: FEATURE_SET.to_string(),
            horizon_days: options.horizon_days,
            trained_at: SystemClock.now(),
            metrics: serde_json::to_value(&report)?,
            artifact: model.to_json(),
        },
        &actor(),
    )?;
    println!("stored {}", summary(&info));
    Ok(ExitCode::SUCCESS)
}

/// `model list`.
pub fn list(config: &Config, code: &str) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    let creditor = creditor(store.as_ref(), code)?;
    let models = store.models(creditor.id)?;
    if models.is_empty() {
        println!(
            "{}: no models yet (train one with `sepakat model fit --creditor {}`)",
            creditor.code, creditor.code
        );
    }
    for m in &models {
        println!("{}", summary(m));
    }
    Ok(ExitCode::SUCCESS)
}

/// `model activate`.
pub fn activate(config: &Config, code: &str, version: u32) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    let creditor = creditor(store.as_ref(), code)?;
    let info = store
        .activate_model(creditor.id, version, SystemClock.now(), &actor())
        .with_context(|| format!("activating version {version} of {}", creditor.code))?;
    println!("active: {}", summary(&info));
    Ok(ExitCode::SUCCESS)
}

/// `model install`.
pub fn install(config: &Config, code: &str, path: &Path, horizon_days: u32) -> Result<ExitCode> {
    if horizon_days == 0 {
        bail!("--horizon-days must be at least 1");
    }
    let store = super::open_store(config)?;
    let creditor = creditor(store.as_ref(), code)?;
    let info = install_artifact(store.as_ref(), &creditor, path, horizon_days, &actor())?;
    println!("stored {}", summary(&info));
    Ok(ExitCode::SUCCESS)
}

/// Stores the artifact at `path` as `creditor`'s newest model, after checking that the run
/// can score with it.
pub(crate) fn install_artifact(
    store: &dyn Store,
    creditor: &Creditor,
    path: &Path,
    horizon_days: u32,
    actor: &Actor,
) -> Result<ModelInfo> {
    let artifact =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let model = sepakat_model::Model::from_json(&artifact)
        .with_context(|| format!("loading {}", path.display()))?;
    let new = NewModel {
        creditor: creditor.id,
        algorithm: model.algorithm().to_string(),
        feature_set: FEATURE_SET.to_string(),
        horizon_days,
        trained_at: SystemClock.now(),
        metrics: serde_json::json!({ "installed_from": path.display().to_string(), "training": model.metrics }),
        artifact,
    };
    // Refuse an artifact the run could not score with before storing it.
    let check = ModelInfo {
        creditor: creditor.id,
        version: 0,
        algorithm: new.algorithm.clone(),
        feature_set: new.feature_set.clone(),
        horizon_days,
        trained_at: new.trained_at,
        trained_by: String::new(),
        metrics: serde_json::Value::Null,
        active: false,
    };
    Scoring::new(check, &new.artifact).with_context(|| format!("checking {}", path.display()))?;
    Ok(store.save_model(&new, actor)?)
}

/// `model explain`.
pub fn explain(
    config: &Config,
    code: &str,
    account: &str,
    as_of: Option<NaiveDate>,
) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    let creditor = creditor(store.as_ref(), code)?;
    let scoring = Scoring::load(store.as_ref(), creditor.id)?.with_context(|| {
        format!(
            "{} has no active model (train one with `sepakat model fit`)",
            creditor.code
        )
    })?;
    let detail = store
        .account_by_number(creditor.id, account)?
        .with_context(|| format!("no account {account:?} at {}", creditor.code))?;
    let date = as_of.unwrap_or_else(|| SystemClock.today(Zone::Wib));
    let row = account_row(store.as_ref(), &detail, date)?;
    let explained = scoring.scorer().explain(&row, 5);
    println!(
        "{} on {date}: probability to pay within {} days {:.1}% (model v{} {})",
        detail.account_no,
        scoring.info().horizon_days,
        explained.probability * 100.0,
        scoring.info().version,
        scoring.info().algorithm
    );
    for r in &explained.reasons {
        println!(
            "  {} {}",
            if r.effect >= 0.0 { "+" } else { "-" },
            r.text_id()
        );
    }
    Ok(ExitCode::SUCCESS)
}
