//! Layered configuration: built-in defaults → optional TOML file → environment
//! (`SEPAKAT__SECTION__KEY`) → command-line flags.
//!
//! Every layer is a TOML tree merged key by key onto the one below, so a file or an
//! environment variable only names what it changes; the result deserialises into `Config`,
//! and an unknown key or a wrong type is an error that names it.

use std::net::SocketAddr;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use toml::{Table, Value};

use sepakat_domain::compliance::{ContactPolicy, Gate, HolidayCalendar};
use sepakat_domain::negotiation::wire::PolicyInput;
use sepakat_domain::negotiation::NegotiationPolicy;
use sepakat_domain::{AllocationOrder, BucketSet, Guard, Rupiah};
use sepakat_engine::negotiation::{DEFAULT_MAX_MISSES, DEFAULT_OFFER_DAYS};
use sepakat_engine::outbox::{OutboxSettings, SmsSettings, SmtpSettings, WhatsappSettings};

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where data lives.
    pub database: DatabaseConfig,
    /// The web server.
    pub server: ServerConfig,
    /// Login protection.
    pub security: SecurityConfig,
    /// Collection rules that the field changes.
    pub collection: CollectionConfig,
    /// The contact compliance gate.
    pub compliance: ComplianceConfig,
    /// The message guard.
    pub guard: GuardConfig,
    /// The negotiation desk.
    pub negotiation: NegotiationConfig,
    /// The nightly run.
    pub run: RunConfig,
    /// The outbox's dispatcher (see docs/outbox.md).
    pub outbox: OutboxSettings,
    /// E-mail over SMTP; off while `host` is empty.
    pub smtp: SmtpSettings,
    /// WhatsApp Business Cloud API; off while `phone_number_id` is empty.
    pub whatsapp: WhatsappSettings,
    /// An SMS HTTP gateway; off while `url` is empty.
    pub sms: SmsSettings,
    /// Logging.
    pub log: LogConfig,
}

/// `[database]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` (embedded, created on first run) or `postgres://USER@HOST/DB`.
    pub url: String,
}

/// `[server]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Listen address.
    pub bind: SocketAddr,
    /// Mark cookies Secure (set true behind HTTPS).
    pub secure_cookies: bool,
    /// Session lifetime in minutes.
    pub session_ttl_minutes: u32,
}

/// `[security]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityConfig {
    /// Consecutive failed logins that lock an account.
    pub lockout_threshold: u32,
    /// How long a locked account stays locked, in minutes.
    pub lockout_minutes: u32,
}

/// `[collection]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionConfig {
    /// Highest DPD of each bucket but the last (default current, 1-30, 31-60, 61-90, 91-180, 180+).
    pub dpd_buckets: BucketSet,
    /// Order in which a payment pays the components.
    pub allocation_order: AllocationOrder,
    /// How long "next account" holds an account for a collector, in minutes; an
    /// abandoned claim lapses after it.
    pub claim_minutes: u32,
    /// Reversing a payment above this amount (rupiah) needs a second person.
    pub reversal_approval_above: Rupiah,
}

/// `[compliance]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplianceConfig {
    /// A holiday calendar CSV (`date,kind,name,tentative`); empty: the shipped 2024–2027 one.
    pub holidays_file: String,
    /// Contact days, hours, per-channel windows and caps (see docs/compliance.md).
    pub contact: ContactPolicy,
}

impl ComplianceConfig {
    /// The gate these settings describe.
    pub fn gate(&self) -> Result<Gate> {
        let calendar = if self.holidays_file.is_empty() {
            HolidayCalendar::shipped()
        } else {
            let text = std::fs::read_to_string(&self.holidays_file)
                .with_context(|| format!("reading holidays file {}", self.holidays_file))?;
            HolidayCalendar::from_csv(&text)
                .with_context(|| format!("holidays file {}", self.holidays_file))?
        };
        Gate::new(self.contact.clone(), calendar).context("compliance.contact")
    }
}

/// `[guard]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardConfig {
    /// A guard lexicon TOML (format of the shipped one); empty: the shipped lexicon.
    pub lexicon_file: String,
}

impl GuardConfig {
    /// The guard these settings describe.
    pub fn guard(&self) -> Result<Guard> {
        if self.lexicon_file.is_empty() {
            return Ok(Guard::shipped());
        }
        let text = std::fs::read_to_string(&self.lexicon_file)
            .with_context(|| format!("reading guard lexicon {}", self.lexicon_file))?;
        Guard::from_toml(&text).with_context(|| format!("guard lexicon {}", self.lexicon_file))
    }
}

/// `[run]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// When `serve` starts the nightly run each day, as `HH:MM` in WIB; empty: never
    /// (run it with `sepakat run` from cron instead).
    pub schedule: String,
    /// A strategy file (TOML); empty: the shipped `strategies/default.toml`.
    pub strategy_file: String,
}

/// `[negotiation]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegotiationConfig {
    /// A negotiation policy JSON (the `policy` object of `sepakat negotiate --input`, see
    /// docs/negotiation.md); empty: the shipped policy.
    pub policy_file: String,
    /// Days an offer stays open for the debtor to accept.
    pub offer_days: u32,
    /// Missed instalments after which an arrangement defaults.
    pub max_misses: u32,
}

impl NegotiationConfig {
    /// The policy these settings name.
    pub fn policy(&self) -> Result<NegotiationPolicy> {
        if self.policy_file.is_empty() {
            return Ok(NegotiationPolicy::default());
        }
        let text = std::fs::read_to_string(&self.policy_file)
            .with_context(|| format!("reading negotiation policy {}", self.policy_file))?;
        let input: PolicyInput = serde_json::from_str(&text)
            .with_context(|| format!("negotiation policy {}", self.policy_file))?;
        NegotiationPolicy::try_from(input)
            .map_err(|e| anyhow::anyhow!("negotiation policy {}: {e}", self.policy_file))
    }
}

/// `[log]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter, e.g. `info` or `sepakat_web=debug,info`.
    pub filter: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database: DatabaseConfig {
                url: "sqlite://sepakat.db".into(),
            },
            server: ServerConfig {
                bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
                secure_cookies: false,
                session_ttl_minutes: 480,
            },
            security: SecurityConfig {
                lockout_threshold: 5,
                lockout_minutes: 15,
            },
            collection: CollectionConfig {
                dpd_buckets: BucketSet::default(),
                allocation_order: AllocationOrder::default(),
                claim_minutes: 30,
                reversal_approval_above: sepakat_web::DEFAULT_REVERSAL_APPROVAL_ABOVE,
            },
            compliance: ComplianceConfig {
                holidays_file: String::new(),
                contact: ContactPolicy::default(),
            },
            run: RunConfig {
                schedule: String::new(),
                strategy_file: String::new(),
            },
            negotiation: NegotiationConfig {
                policy_file: String::new(),
                offer_days: DEFAULT_OFFER_DAYS,
                max_misses: DEFAULT_MAX_MISSES,
            },
            guard: GuardConfig {
                lexicon_file: String::new(),
            },
            outbox: OutboxSettings::default(),
            smtp: SmtpSettings::default(),
            whatsapp: WhatsappSettings::default(),
            sms: SmsSettings::default(),
            log: LogConfig {
                filter: "info".into(),
            },
        }
    }
}

/// The prefix of environment variables that override configuration.
const ENV_PREFIX: &str = "SEPAKAT__";

impl Config {
    /// Loads defaults, then `file` if given, then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Config> {
        Config::load_from(file, std::env::vars())
    }

    /// Loads defaults, then `file` if given, then the given environment variables.
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config> {
        let mut tree = Table::try_from(Config::default()).context("serialising defaults")?;
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading configuration file {}", path.display()))?;
            let layer: Table = text.parse().with_context(|| {
                format!("configuration file {} is not valid TOML", path.display())
            })?;
            merge(&mut tree, layer);
        }
        for (key, value) in env {
            if let Some(path) = key.strip_prefix(ENV_PREFIX) {
                set_path(&mut tree, &key, path, &value)?;
            }
        }
        Value::Table(tree)
            .try_into()
            .context("configuration is invalid (check the file and SEPAKAT__* variables)")
    }

    /// The example file printed by `sepakat config example`.
    pub fn example() -> String {
        let body = toml::to_string_pretty(&Config::default()).unwrap_or_default();
        format!(
            "# Sepakat configuration. Every key is optional; shown are the defaults.\n\
             # Each key can also be set in the environment as SEPAKAT__SECTION__KEY,\n\
             # e.g. SEPAKAT__DATABASE__URL=postgres://sepakat@db/sepakat\n\
             # Flags (--database-url, --bind) override both.\n\n{body}"
        )
    }
}

fn merge(base: &mut Table, layer: Table) {
    for (key, value) in layer {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(l)) => merge(b, l),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

/// Sets `SECTION__KEY` from an environment value, read as a TOML value when it parses as one
/// (numbers, booleans, arrays) and as a string otherwise.
fn set_path(tree: &mut Table, var: &str, path: &str, raw: &str) -> Result<()> {
    let parts: Vec<String> = path.split("__").map(|p| p.to_lowercase()).collect();
    if parts.iter().any(String::is_empty) {
        bail!("environment variable {var}: empty section or key");
    }
    let value = format!("v = {raw}")
        .parse::<Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| Value::String(raw.to_string()));
    let (last, sections) = parts.split_last().expect("split yields at least one part");
    let mut table = tree;
    for section in sections {
        let entry = table
            .entry(section.clone())
            .or_insert_with(|| Value::Table(Table::new()));
        table = match entry {
            Value::Table(t) => t,
            _ => bail!("environment variable {var}: {section} is not a section"),
        };
    }
    table.insert(last.clone(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_use_embedded_sqlite() {
        let c = Config::load_from(None, env(&[])).unwrap();
        assert_eq!(c.database.url, "sqlite://sepakat.db");
        assert_eq!(c.security.lockout_threshold, 5);
    }

    #[test]
    fn file_then_environment_override_defaults() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(
            f,
            "[database]\nurl = \"sqlite://file.db\"\n[security]\nlockout_threshold = 3"
        )
        .unwrap();
        let c = Config::load_from(
            Some(f.path()),
            env(&[
                ("SEPAKAT__DATABASE__URL", "postgres://x@y/z"),
                ("OTHER", "1"),
            ]),
        )
        .unwrap();
        assert_eq!(c.database.url, "postgres://x@y/z");
        assert_eq!(c.security.lockout_threshold, 3);
        assert_eq!(c.security.lockout_minutes, 15);
    }

    #[test]
    fn environment_values_are_typed() {
        let c = Config::load_from(
            None,
            env(&[
                ("SEPAKAT__SERVER__SECURE_COOKIES", "true"),
                ("SEPAKAT__COLLECTION__DPD_BUCKETS", "[0, 30, 90]"),
            ]),
        )
        .unwrap();
        assert!(c.server.secure_cookies);
        assert_eq!(
            c.collection.dpd_buckets.labels(),
            ["current", "1-30", "31-90", "90+"]
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors_that_name_them() {
        let err = Config::load_from(None, env(&[("SEPAKAT__SERVER__PORTT", "1")])).unwrap_err();
        assert!(format!("{err:#}").contains("portt"), "{err:#}");
        let err = Config::load_from(
            None,
            env(&[("SEPAKAT__COLLECTION__DPD_BUCKETS", "[30, 0]")]),
        )
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("strictly increasing"),
            "{err:#}"
        );
    }

    #[test]
    fn example_parses_back_to_the_defaults() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        write!(f, "{}", Config::example()).unwrap();
        let c = Config::load_from(Some(f.path()), env(&[])).unwrap();
        assert_eq!(c.server.bind, Config::default().server.bind);
    }
}
