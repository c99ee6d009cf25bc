//! The run report: counts per rule, action and bucket, the gate's refusals by rule,
//! allocation, promise outcomes and duration. Stored with the run as JSON and printed by
//! `sepakat run`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::negotiation::TrackingReport;

/// What one run of one creditor did. Stored reports read back with defaults for fields
/// added since they were written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunReport {
    /// The creditor's code.
    pub creditor: String,
    /// The run id.
    pub run: i64,
    /// The date planned for.
    pub as_of: String,
    /// The strategy's name.
    pub strategy: String,
    /// Open accounts read.
    pub accounts: u64,
    /// Actions queued.
    pub actions: u64,
    /// Accounts per "arm/rule" (rule `(none)` when no rule matched).
    pub by_rule: BTreeMap<String, u64>,
    /// Accounts per action (none included).
    pub by_action: BTreeMap<String, u64>,
    /// Accounts per bucket, then action.
    pub by_bucket: BTreeMap<String, BTreeMap<String, u64>>,
    /// Accounts per arm (champion, challenger name).
    pub by_arm: BTreeMap<String, u64>,
    /// Actions the compliance gate refused, per rule code.
    pub refused: BTreeMap<String, u64>,
    /// Calls and visits given to a collector.
    pub allocated: u64,
    /// Calls and visits left without a collector (no capacity that fits).
    pub unallocated: u64,
    /// Pending promises found kept, partially kept or broken, per new status.
    pub promises: BTreeMap<String, u64>,
    /// Offers whose acceptance date passed, marked expired.
    pub offers_expired: u64,
    /// Arrangements tracked: instalments changed, completed, defaulted.
    pub arrangements: TrackingReport,
    /// Gate searches (the rest of the windows came from the per-run memo).
    pub gate_searches: u64,
    /// The propensity model that scored the accounts, if the creditor has one.
    pub scoring: Option<ScoringSummary>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// How the run scored: which model, how many accounts, the mean probability.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoringSummary {
    /// The model's version.
    pub version: u32,
    /// Its learner.
    pub algorithm: String,
    /// Accounts scored.
    pub scored: u64,
    /// Their mean probability to pay.
    pub mean_probability: f64,
}

impl fmt::Display for RunReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} run {} as of {} (strategy {}): {} accounts, {} actions queued in {:.2} s",
            self.creditor,
            self.run,
            self.as_of,
            self.strategy,
            self.accounts,
            self.actions,
            self.seconds
        )?;
        let line = |f: &mut fmt::Formatter<'_>, title: &str, map: &BTreeMap<String, u64>| {
            let parts: Vec<String> = map.iter().map(|(k, v)| format!("{k} {v}")).collect();
            writeln!(
                f,
                "  {title:<12} {}",
                if parts.is_empty() {
                    "-".into()
                } else {
                    parts.join(", ")
                }
            )
        };
        line(f, "actions:", &self.by_action)?;
        line(f, "rules:", &self.by_rule)?;
        line(f, "arms:", &self.by_arm)?;
        for (bucket, actions) in &self.by_bucket {
            line(f, &format!("{bucket}:"), actions)?;
        }
        line(f, "refused:", &self.refused)?;
        line(f, "promises:", &self.promises)?;
        let a = &self.arrangements;
        writeln!(
            f,
            "  arrangements {} tracked, {} instalments changed, {} completed, {} defaulted; {} offers expired",
            a.arrangements, a.instalments_changed, a.completed, a.defaulted, self.offers_expired
        )?;
        if let Some(s) = &self.scoring {
            writeln!(
                f,
                "  scoring      model v{} ({}), {} accounts scored, mean probability {:.3}",
                s.version, s.algorithm, s.scored, s.mean_probability
            )?;
        }
        write!(
            f,
            "  allocated    {} to collectors, {} unallocated",
            self.allocated, self.unallocated
        )
    }
}
