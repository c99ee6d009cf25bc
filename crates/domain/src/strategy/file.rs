//! The strategy file format (TOML) and its compilation into a `Strategy`. Every error
//! names the rule and the field, e.g. `rule "sp3-secured": when.bucket: "181+" is not a
//! bucket (current, 1-30, …)`. The format is documented in `docs/strategies.md`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::bucket::BucketSet;
use crate::money::Rupiah;
use crate::product::ProductType;

use super::action::Action;
use super::condition::{Between, Conditions, IndexSet, PROMISE_STATES};
use super::{Arm, Band, Rule, Strategy, StrategyError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StrategyFile {
    name: String,
    #[serde(default)]
    description: String,
    priority: PriorityFile,
    bands: Vec<BandFile>,
    #[serde(default)]
    promises: PromisesFile,
    rules: Vec<RuleFile>,
    challenger: Option<ChallengerFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriorityFile {
    bucket_weights: BTreeMap<String, f64>,
    #[serde(default = "one")]
    broken_yesterday_boost: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BandFile {
    name: String,
    below: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct PromisesFile {
    grace_days: u32,
    lookback_days: u32,
}

impl Default for PromisesFile {
    fn default() -> PromisesFile {
        PromisesFile {
            grace_days: 0,
            lookback_days: 30,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChallengerFile {
    name: String,
    percent: u32,
    rules: Vec<RuleFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    #[serde(default)]
    when: WhenFile,
    action: String,
    template: Option<String>,
    #[serde(default = "one")]
    factor: f64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WhenFile {
    dpd: Option<RangeFile<u32>>,
    days_to_due: Option<RangeFile<u32>>,
    bucket: Option<Vec<String>>,
    kolektibilitas: Option<Vec<u8>>,
    product: Option<Vec<String>>,
    band: Option<Vec<String>>,
    outstanding: Option<RangeFile<i64>>,
    score: Option<RangeFile<f64>>,
    promise: Option<Vec<String>>,
    days_since_promised: Option<RangeFile<i64>>,
    days_since_contact: Option<RangeFile<u32>>,
    last_outcome: Option<Vec<String>>,
    paused: Option<bool>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeFile<T> {
    min: Option<T>,
    max: Option<T>,
}

impl<T: PartialOrd + Copy + std::fmt::Debug> RangeFile<T> {
    fn compile(self, field: &str) -> Result<Between<T>, String> {
        match (self.min, self.max) {
            (Some(a), Some(b)) if a > b => {
                Err(format!("when.{field}: min {a:?} is above max {b:?}"))
            }
            (None, None) => Err(format!("when.{field}: give min, max or both")),
            _ => Ok(Between {
                min: self.min,
                max: self.max,
            }),
        }
    }
}

/// Parses and checks a strategy file against the run's DPD buckets.
pub(super) fn parse(text: &str, buckets: &BucketSet) -> Result<Strategy, StrategyError> {
    let file: StrategyFile =
        toml::from_str(text).map_err(|e| StrategyError(format!("strategy file: {e}")))?;
    let fail = |what: String| StrategyError(format!("strategy {:?}: {what}", file.name));
    let weights = buckets
        .labels()
        .iter()
        .map(|label| {
            file.priority
                .bucket_weights
                .get(label)
                .copied()
                .ok_or_else(|| {
                    fail(format!(
                        "priority.bucket_weights: no weight for bucket {label:?}"
                    ))
                })
        })
        .collect::<Result<Vec<f64>, _>>()?;
    if let Some(extra) = file
        .priority
        .bucket_weights
        .keys()
        .find(|k| !buckets.labels().contains(k))
    {
        return Err(fail(format!(
            "priority.bucket_weights: {extra:?} is not a bucket ({})",
            buckets.labels().join(", ")
        )));
    }
    if weights
        .iter()
        .chain([&file.priority.broken_yesterday_boost])
        .any(|w| !w.is_finite() || *w < 0.0)
    {
        return Err(fail(
            "priority: weights and boost must be finite and not negative".into(),
        ));
    }
    let bands = compile_bands(&file.bands).map_err(fail)?;
    let context = Context {
        buckets,
        bands: &bands,
    };
    let champion = Arm {
        name: "champion".to_string(),
        rules: compile_rules(&file.rules, &context).map_err(fail)?,
    };
    let challenger = match &file.challenger {
        None => None,
        Some(c) => {
            if c.percent > 100 {
                return Err(fail(format!(
                    "challenger.percent: {} is above 100",
                    c.percent
                )));
            }
            let rules = compile_rules(&c.rules, &context)
                .map_err(|e| fail(format!("challenger {:?}: {e}", c.name)))?;
            Some((
                Arm {
                    name: c.name.clone(),
                    rules,
                },
                c.percent,
            ))
        }
    };
    Ok(Strategy {
        name: file.name.clone(),
        description: file.description.clone(),
        bands,
        weights,
        broken_yesterday_boost: file.priority.broken_yesterday_boost,
        grace_days: file.promises.grace_days,
        lookback_days: file.promises.lookback_days,
        champion,
        challenger,
    })
}

fn compile_bands(bands: &[BandFile]) -> Result<Vec<Band>, String> {
    if bands.is_empty() {
        return Err("bands: give at least one band".into());
    }
    let mut out: Vec<Band> = Vec::new();
    for (i, b) in bands.iter().enumerate() {
        let last = i + 1 == bands.len();
        match (b.below, last) {
            (None, false) => {
                return Err(format!(
                    "bands: band {:?} has no `below` but is not the last",
                    b.name
                ))
            }
            (Some(_), true) => {
                return Err(format!(
                    "bands: the last band {:?} must have no `below` (it takes the rest)",
                    b.name
                ))
            }
            _ => {}
        }
        if let (Some(prev), Some(below)) = (out.last().and_then(|p| p.below), b.below) {
            if below <= prev.value() {
                return Err(format!(
                    "bands: band {:?} ends at {below}, not above the previous band",
                    b.name
                ));
            }
        }
        out.push(Band {
            name: b.name.clone(),
            below: b.below.map(Rupiah::new),
        });
    }
    Ok(out)
}

struct Context<'a> {
    buckets: &'a BucketSet,
    bands: &'a [Band],
}

fn compile_rules(rules: &[RuleFile], cx: &Context<'_>) -> Result<Vec<Rule>, String> {
    if rules.is_empty() {
        return Err("rules: give at least one rule".into());
    }
    let mut out: Vec<Rule> = Vec::with_capacity(rules.len());
    for r in rules {
        if r.id.trim().is_empty() {
            return Err(format!("rule {} has an empty id", out.len() + 1));
        }
        if out.iter().any(|o| o.id == r.id) {
            return Err(format!("rule {:?}: the id is used twice", r.id));
        }
        let named = |e: String| format!("rule {:?}: {e}", r.id);
        let action = Action::parse(&r.action).map_err(|e| named(format!("action: {e}")))?;
        let when = compile_when(&r.when, cx).map_err(named)?;
        if !r.factor.is_finite() || r.factor < 0.0 {
            return Err(named(format!(
                "factor: {} must be a finite number, not negative",
                r.factor
            )));
        }
        out.push(Rule {
            id: r.id.clone(),
            when,
            action,
            template: r.template.clone(),
            factor: r.factor,
        });
    }
    Ok(out)
}

fn compile_when(w: &WhenFile, cx: &Context<'_>) -> Result<Conditions, String> {
    let labels = cx.buckets.labels();
    let band_names: Vec<&str> = cx.bands.iter().map(|b| b.name.as_str()).collect();
    let product_codes: Vec<&str> = ProductType::ALL.iter().map(|p| p.code()).collect();
    let set = |field: &str, values: &Option<Vec<String>>, known: &[&str]| match values {
        None => Ok(None),
        Some(v) if v.is_empty() => Err(format!("when.{field}: the list is empty")),
        Some(v) => v
            .iter()
            .map(|x| {
                known.iter().position(|k| k == x).ok_or_else(|| {
                    format!("when.{field}: {x:?} is not one of {}", known.join(", "))
                })
            })
            .collect::<Result<Vec<usize>, String>>()
            .map(|ix| Some(IndexSet::of(ix))),
    };
    let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    let range = |field: &str, r: Option<RangeFile<u32>>| r.map(|r| r.compile(field)).transpose();
    let kolektibilitas = match &w.kolektibilitas {
        None => None,
        Some(v) if v.is_empty() => return Err("when.kolektibilitas: the list is empty".into()),
        Some(v) => {
            if let Some(bad) = v.iter().find(|c| !(1..=5).contains(*c)) {
                return Err(format!("when.kolektibilitas: {bad} is not a class 1..5"));
            }
            Some(IndexSet::of(v.iter().map(|c| usize::from(*c))))
        }
    };
    Ok(Conditions {
        dpd: range("dpd", w.dpd)?,
        days_to_due: range("days_to_due", w.days_to_due)?,
        buckets: set("bucket", &w.bucket, &label_refs)?,
        kolektibilitas,
        products: set("product", &w.product, &product_codes)?,
        bands: set("band", &w.band, &band_names)?,
        outstanding: w
            .outstanding
            .map(|r| {
                r.compile("outstanding").map(|b| Between {
                    min: b.min.map(Rupiah::new),
                    max: b.max.map(Rupiah::new),
                })
            })
            .transpose()?,
        score: w.score.map(|r| r.compile("score")).transpose()?,
        promise: set("promise", &w.promise, PROMISE_STATES)?,
        days_since_promised: w
            .days_since_promised
            .map(|r| r.compile("days_since_promised"))
            .transpose()?,
        days_since_contact: range("days_since_contact", w.days_since_contact)?,
        last_outcome: match &w.last_outcome {
            Some(v) if v.is_empty() => return Err("when.last_outcome: the list is empty".into()),
            other => other.clone(),
        },
        paused: w.paused,
    })
}
