//! The command line: one clap command enum, one variant per subcommand.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Sepakat: debt collection and negotiation for Indonesia.
#[derive(Debug, Parser)]
#[command(name = "sepakat", version, about)]
pub struct Cli {
    /// Configuration file (TOML); defaults apply when absent. Also SEPAKAT_CONFIG.
    #[arg(long, global = true, env = "SEPAKAT_CONFIG")]
    pub config: Option<PathBuf>,

    /// Database URL: sqlite://PATH (default sqlite://sepakat.db) or postgres://…
    #[arg(long, global = true)]
    pub database_url: Option<String>,

    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web UI and API.
    Serve(ServeArgs),
    /// Create or upgrade the database schema.
    Migrate,
    /// Import debtors and accounts (or payments) from a .csv or .xlsx file.
    Import(ImportArgs),
    /// Create a demo database with a synthetic Indonesian portfolio, then serve it.
    Demo(DemoArgs),
    /// Configuration helpers.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Benchmarks that print measured figures.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The contact compliance gate.
    #[command(subcommand)]
    Gate(GateCommand),
    /// The message guard: check a text, or score it on an evaluation file.
    #[command(subcommand)]
    Guard(GuardCommand),
    /// Manage creditors (tenants).
    #[command(subcommand)]
    Creditor(CreditorCommand),
    /// Manage users and API tokens.
    #[command(subcommand)]
    User(UserCommand),
}

/// `sepakat serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default from config: 127.0.0.1:8080).
    #[arg(long)]
    pub bind: Option<SocketAddr>,
}

/// What an import file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportKindArg {
    /// Debtors with their accounts, one row per account.
    Accounts,
    /// Payments against existing accounts.
    Payments,
}

/// `sepakat import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The creditor's code.
    #[arg(long)]
    pub creditor: String,
    /// What the file holds.
    #[arg(long, value_enum, default_value = "accounts")]
    pub kind: ImportKindArg,
    /// Write the valid rows and put the rejected ones, with reasons, in a CSV beside the input.
    #[arg(long)]
    pub skip_invalid: bool,
    /// The date the file describes (for `dpd` columns); default today in WIB.
    #[arg(long)]
    pub as_of: Option<NaiveDate>,
    /// The .csv or .xlsx file.
    pub file: PathBuf,
}

/// `sepakat demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of accounts to generate.
    #[arg(long, default_value_t = 20_000)]
    pub accounts: u64,
    /// Random seed; the same seed gives the same portfolio.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Only generate the data; do not start the server.
    #[arg(long)]
    pub no_serve: bool,
    /// Address to listen on.
    #[arg(long)]
    pub bind: Option<SocketAddr>,
}

/// `sepakat config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a commented example configuration file with every default.
    Example,
}

/// `sepakat bench …`.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Import a generated CSV into a fresh SQLite database; prints rows/s and peak memory.
    Import {
        /// Rows to import.
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// Working directory for the file and database (default: a temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

/// `sepakat gate …`.
#[derive(Debug, Subcommand)]
pub enum GateCommand {
    /// Would a contact be allowed? Prints {"allowed", "rule", "next_allowed_at"} as JSON.
    Check {
        /// The debtor's province (decides the time zone), e.g. "Jawa Barat" or "Papua".
        #[arg(long)]
        province: String,
        /// The instant of the contact, RFC 3339 (e.g. 2026-11-24T09:00:00+07:00).
        #[arg(long)]
        at: String,
        /// call, whatsapp, sms, email, field_visit or letter.
        #[arg(long)]
        channel: String,
        /// The debtor has recorded consent to contact on this channel outside the normal days and hours.
        #[arg(long)]
        consent: bool,
    },
}

/// `sepakat guard …`.
#[derive(Debug, Subcommand)]
pub enum GuardCommand {
    /// Check one text; prints the verdict as JSON (exit code 0 either way).
    Check {
        /// The text; read from standard input when absent.
        #[arg(long)]
        text: Option<String>,
    },
    /// Score the guard on a JSONL file of {"text", "label": "block"|"allow"} lines.
    Eval {
        /// The JSONL file.
        file: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Only lines whose "split" field equals this (e.g. dev or test).
        #[arg(long)]
        split: Option<String>,
        /// Also print every misjudged line (to standard error).
        #[arg(long)]
        show_errors: bool,
    },
}

/// `sepakat creditor …`.
#[derive(Debug, Subcommand)]
pub enum CreditorCommand {
    /// Add a creditor.
    Add {
        /// Short unique code, e.g. BANKA.
        #[arg(long)]
        code: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Kolektibilitas regime.
        #[arg(long, value_enum, default_value = "bank")]
        regime: RegimeArg,
    },
    /// List creditors.
    List,
}

/// A kolektibilitas regime shipped with Sepakat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegimeArg {
    /// Banks (POJK 40/2019).
    Bank,
    /// P2P lending (POJK 10/2022).
    P2p,
}

/// `sepakat user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from SEPAKAT_PASSWORD or standard input.
    Add {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Display name.
        #[arg(long)]
        full_name: Option<String>,
        /// Role: collector, supervisor, manager, compliance, admin.
        #[arg(long)]
        role: String,
        /// Creditor code; repeat for agency users serving several creditors.
        #[arg(long = "creditor", required = true)]
        creditors: Vec<String>,
    },
    /// Create an API token for a user and print it once.
    Token {
        /// Login name.
        #[arg(long)]
        username: String,
        /// What the token is for.
        #[arg(long, default_value = "api")]
        label: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
