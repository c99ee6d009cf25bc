//! Collection strategies: ordered decision rules that map an account's segment (DPD,
//! bucket, kolektibilitas, product, balance, score, promise history, last contact and
//! outcome, pause) to one action for the day; the first rule that matches wins. A
//! challenger arm may take a stable share of the accounts with rules of its own.
//!
//! Strategies are data: TOML files (`strategies/default.toml`, `strategies/peers.toml`;
//! format in `docs/strategies.md`) parsed by `Strategy::from_toml`. Planning the allowed
//! time of each action (`window`) and allocating calls and visits to collectors
//! (`allocate`) are pure too; the nightly run (engine) streams accounts through them.

pub mod action;
pub mod allocate;
pub mod arm;
pub mod condition;
pub mod facts;
mod file;
pub mod window;

#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod window_props;

pub use action::{Action, ActionError, CollectorKind};
pub use allocate::{allocate, Candidate, Collector, Team};
pub use arm::{arm_of, ArmHasher};
pub use condition::{Between, Conditions, IndexSet, PROMISE_STATES};
pub use facts::{AccountFacts, PromiseFacts};
pub use window::{Planned, WindowPlanner};

use crate::bucket::BucketSet;
use crate::money::Rupiah;
use crate::promise::PromiseStatus;

/// The shipped default strategy file.
pub const DEFAULT_TOML: &str = include_str!("../../../../strategies/default.toml");
/// The decision table of the peer baselines (`shared/peers-nightly`), as a strategy.
pub const PEERS_TOML: &str = include_str!("../../../../strategies/peers.toml");

/// A strategy file that cannot be used; the text names the rule and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StrategyError(pub String);

/// A balance band: accounts with outstanding below `below` (the last band takes the rest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// The name rules use (`small`, `medium`, `large`).
    pub name: String,
    /// The exclusive upper bound; `None` for the last band.
    pub below: Option<Rupiah>,
}

/// One decision rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// A stable id, stored with every queued action and counted in the report.
    pub id: String,
    /// When it applies.
    pub when: Conditions,
    /// What it plans.
    pub action: Action,
    /// The message or letter template code, if any.
    pub template: Option<String>,
    /// The treatment factor: how much of the expected recovery this treatment is thought
    /// to realise, relative to other rules (default 1).
    pub factor: f64,
}

/// An ordered list of rules: the champion, or a challenger.
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    /// `champion` or the challenger's name.
    pub name: String,
    /// The rules, first match wins.
    pub rules: Vec<Rule>,
}

/// A compiled strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    /// The strategy's name (from the file).
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Balance bands, ascending.
    pub bands: Vec<Band>,
    /// Priority weight per bucket position.
    pub weights: Vec<f64>,
    /// Priority multiplier for an account whose promise for yesterday was broken or only
    /// partly kept (the next-day follow-up).
    pub broken_yesterday_boost: f64,
    /// Grace days passed to `Promise::evaluate`.
    pub grace_days: u32,
    /// How far back (days before the run) a resolved promise still counts.
    pub lookback_days: u32,
    /// The champion arm.
    pub champion: Arm,
    /// A challenger arm and the percentage of accounts it takes.
    pub challenger: Option<(Arm, u32)>,
}

/// What the strategy chose for one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// 0 = champion, 1 = challenger.
    pub arm: u8,
    /// The index of the matching rule in the arm; `None` when no rule matched.
    pub rule: Option<usize>,
    /// The action (none when no rule matched).
    pub action: Action,
}

impl Strategy {
    /// Parses a strategy file; rule bucket names are checked against `buckets`.
    pub fn from_toml(text: &str, buckets: &BucketSet) -> Result<Strategy, StrategyError> {
        file::parse(text, buckets)
    }

    /// The shipped default strategy under the default buckets.
    pub fn shipped() -> Strategy {
        Strategy::from_toml(DEFAULT_TOML, &BucketSet::default())
            .expect("the shipped strategy parses (tested)")
    }

    /// The arm with this number (0 champion, 1 challenger); the champion if there is no
    /// challenger.
    pub fn arm(&self, arm: u8) -> &Arm {
        match (&self.challenger, arm) {
            (Some((c, _)), 1) => c,
            _ => &self.champion,
        }
    }

    /// The challenger's share in percent (0 without a challenger).
    pub fn challenger_percent(&self) -> u32 {
        self.challenger.as_ref().map_or(0, |(_, p)| *p)
    }

    /// The position of the band holding `outstanding`.
    pub fn band_of(&self, outstanding: Rupiah) -> usize {
        self.bands
            .iter()
            .position(|b| b.below.is_none_or(|below| outstanding < below))
            .unwrap_or(self.bands.len().saturating_sub(1))
    }

    /// Applies the arm's rules to an account: the first match wins.
    pub fn decide(&self, arm: u8, account: &AccountFacts<'_>) -> Choice {
        let arm_no = if self.challenger.is_some() { arm } else { 0 };
        let band = self.band_of(account.outstanding);
        let rules = &self.arm(arm_no).rules;
        match rules.iter().position(|r| r.when.matches(account, band)) {
            Some(i) => Choice {
                arm: arm_no,
                rule: Some(i),
                action: rules[i].action,
            },
            None => Choice {
                arm: arm_no,
                rule: None,
                action: Action::None,
            },
        }
    }

    /// The priority of an account under the rule that matched it. With a score it is the
    /// expected recovery: outstanding × probability to pay × the rule's treatment factor;
    /// without one, outstanding × the bucket's weight (urgency) × the factor. Either way
    /// × the boost when its promise for yesterday was broken or only partly kept.
    pub fn priority(&self, account: &AccountFacts<'_>, rule: &Rule) -> f64 {
        let weight = match account.score {
            Some(p) => p,
            None => self.weights.get(account.bucket).copied().unwrap_or(0.0),
        };
        let follow_up = account.promise.is_some_and(|p| {
            p.days_since_promised == 1
                && matches!(
                    p.status,
                    PromiseStatus::Broken | PromiseStatus::PartiallyKept
                )
        });
        let boost = if follow_up {
            self.broken_yesterday_boost
        } else {
            1.0
        };
        account.outstanding.value() as f64 * weight * rule.factor * boost
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Strategy, StrategyError> {
        Strategy::from_toml(text, &BucketSet::default())
    }

    const HEAD: &str = r#"
name = "t"
bands = [{ name = "small", below = 5000000 }, { name = "large" }]
[priority]
bucket_weights = { current = 0.0, "1-30" = 1.0, "31-60" = 1.5, "61-90" = 2.0, "91-180" = 2.5, "180+" = 1.2 }
"#;

    #[test]
    fn the_shipped_strategies_parse() {
        let s = Strategy::shipped();
        assert_eq!(s.name, "default");
        assert!(s.champion.rules.len() > 10);
        let peers = Strategy::from_toml(PEERS_TOML, &BucketSet::default()).unwrap();
        assert_eq!(peers.champion.rules.len(), 24);
        assert_eq!(peers.broken_yesterday_boost, 1.5);
    }

    #[test]
    fn an_unknown_bucket_in_a_rule_names_the_rule_and_field() {
        let text = format!(
            "{HEAD}\n[[rules]]\nid = \"late\"\nwhen = {{ bucket = [\"181+\"] }}\naction = \"call\"\n"
        );
        let err = parse(&text).unwrap_err().to_string();
        assert_eq!(
            err,
            "strategy \"t\": rule \"late\": when.bucket: \"181+\" is not one of current, 1-30, 31-60, 61-90, 91-180, 180+"
        );
    }

    #[test]
    fn an_unknown_action_or_field_is_refused_with_its_name() {
        let text = format!("{HEAD}\n[[rules]]\nid = \"x\"\naction = \"pigeon\"\n");
        let err = parse(&text).unwrap_err().to_string();
        assert!(
            err.starts_with("strategy \"t\": rule \"x\": action: \"pigeon\" is not an action"),
            "{err}"
        );
        let text = format!(
            "{HEAD}\n[[rules]]\nid = \"x\"\nwhen = {{ dpdd = {{ min = 1 }} }}\naction = \"call\"\n"
        );
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("unknown field `dpdd`"), "{err}");
    }

    #[test]
    fn missing_weights_inverted_ranges_and_bad_bands_are_refused() {
        let text = r#"
name = "t"
bands = [{ name = "all" }]
rules = [{ id = "a", action = "none" }]
[priority]
bucket_weights = { current = 0.0 }
"#;
        assert_eq!(
            parse(text).unwrap_err().to_string(),
            "strategy \"t\": priority.bucket_weights: no weight for bucket \"1-30\""
        );
        let text = format!("{HEAD}\n[[rules]]\nid = \"r\"\nwhen = {{ dpd = {{ min = 9, max = 3 }} }}\naction = \"call\"\n");
        assert_eq!(
            parse(&text).unwrap_err().to_string(),
            "strategy \"t\": rule \"r\": when.dpd: min 9 is above max 3"
        );
        let text = HEAD.replace("{ name = \"large\" }", "{ name = \"large\", below = 100 }")
            + "\n[[rules]]\nid = \"a\"\naction = \"none\"\n";
        assert!(parse(&text)
            .unwrap_err()
            .to_string()
            .contains("the last band \"large\" must have no `below`"));
        let text = format!("{HEAD}\n[[rules]]\nid = \"a\"\naction = \"none\"\n[[rules]]\nid = \"a\"\naction = \"call\"\n");
        assert!(parse(&text)
            .unwrap_err()
            .to_string()
            .contains("rule \"a\": the id is used twice"));
    }

    #[test]
    fn a_challenger_above_a_hundred_percent_is_refused() {
        let text = format!(
            "{HEAD}\n[[rules]]\nid = \"a\"\naction = \"none\"\n[challenger]\nname = \"c\"\npercent = 101\nrules = [{{ id = \"b\", action = \"call\" }}]\n"
        );
        assert_eq!(
            parse(&text).unwrap_err().to_string(),
            "strategy \"t\": challenger.percent: 101 is above 100"
        );
    }
}
