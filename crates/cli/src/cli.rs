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
    /// The nightly run: plan every open account's next action and write the action queue.
    Run(RunArgs),
    /// The message guard: check a text, or score it on an evaluation file.
    #[command(subcommand)]
    Guard(GuardCommand),
    /// Message templates: review a templates file, preview one template.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Collection letters (SP1–SP3, somasi) as PDF.
    #[command(subcommand)]
    Letter(LetterCommand),
    /// Manage creditors (tenants).
    #[command(subcommand)]
    Creditor(CreditorCommand),
    /// Manage users and API tokens.
    #[command(subcommand)]
    User(UserCommand),
    /// Train and evaluate propensity models on tabular data (CSV).
    #[command(subcommand)]
    Model(ModelCommand),
    /// Payment options for one account from a JSON document (see docs/negotiation.md).
    Negotiate(NegotiateArgs),
    /// The outbox: queue e-mail, WhatsApp and SMS messages, list them, dispatch them.
    #[command(subcommand)]
    Outbox(OutboxCommand),
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

/// `sepakat run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The date to plan for (YYYY-MM-DD).
    #[arg(long)]
    pub as_of: NaiveDate,
    /// Only this creditor (code); default: every creditor.
    #[arg(long)]
    pub creditor: Option<String>,
    /// A strategy file (TOML); default: the shipped strategies/default.toml.
    #[arg(long)]
    pub strategy: Option<PathBuf>,
}

/// `sepakat negotiate`.
#[derive(Debug, Args)]
pub struct NegotiateArgs {
    /// The input JSON file (account, assessment, role, as_of, optional policy and request);
    /// `-` reads standard input.
    #[arg(long)]
    pub input: PathBuf,
    /// The debtor accepts the option of this rank: also write the payment agreement
    /// (Surat Pernyataan Kesanggupan Pembayaran) as a PDF.
    #[arg(long, requires_all = ["agreement", "parties"])]
    pub accept: Option<u32>,
    /// Where to write the agreement PDF.
    #[arg(long, requires = "accept")]
    pub agreement: Option<PathBuf>,
    /// A JSON file with the parties: creditor, account_no, debtor_name, nik, address, city.
    #[arg(long, requires = "accept")]
    pub parties: Option<PathBuf>,
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
    /// Import a generated CSV into fresh SQLite databases; prints rows/s, elapsed, peak memory
    /// and where the time went.
    Import {
        /// Rows to import.
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// Imports of the file, each into a fresh database (min and median are printed).
        #[arg(long, default_value_t = 3)]
        runs: u32,
        /// Working directory for the file and database (default: a temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// After each run, import the same file again into the same database (every row
        /// an update) and measure that too.
        #[arg(long)]
        reimport: bool,
    },
    /// The nightly run over a demo portfolio (made when the database is empty) and its
    /// storage floor; prints run and floor seconds, their ratio, rows and peak memory.
    /// With --database-url the data lives there; otherwise DIR/bench-run.db.
    Run {
        /// Accounts to generate when the database is empty.
        #[arg(long, default_value_t = 1_000_000)]
        accounts: u64,
        /// Working directory for the SQLite database (default: the current directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// A strategy file (default: the shipped one).
        #[arg(long)]
        strategy: Option<PathBuf>,
        /// The date to plan for (default 2026-11-24, the demo's and the peers' date).
        #[arg(long)]
        as_of: Option<NaiveDate>,
        /// A model artifact (`model train` or `model fit --export` + `model train`): it is
        /// installed for every creditor, and each round runs once without scoring and once
        /// with it; prints what scoring cost (fastest against fastest).
        #[arg(long)]
        model: Option<PathBuf>,
        /// Rounds to run; the figures are the fastest round's.
        #[arg(long, default_value_t = 1)]
        repeat: u32,
    },
    /// Compute every payment option for generated accounts; prints per-account latency.
    Offers {
        /// Accounts to generate.
        #[arg(long, default_value_t = 100_000)]
        accounts: u64,
        /// Random seed; the same seed gives the same accounts.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Train both learners on a fixed, seeded 80 % of a CSV; prints test AUC, log-loss, time.
    Model(ModelDataArgs),
    /// Compose one SMS per generated account through guard and gate into a fresh SQLite
    /// outbox, then dispatch them to a sink; prints messages/s of each step.
    Outbox {
        /// Accounts to generate (over the four demo creditors).
        #[arg(long, default_value_t = 2_000)]
        accounts: u64,
    },
    /// The workbench API under load on loopback: a fresh database (SQLite under --dir, or
    /// the `bench_workbench` schema of --database-url postgres://…), a demo portfolio,
    /// the nightly run, then collectors driving next-account → log-interaction → release
    /// over HTTP. Prints write transactions/s, latency per request kind, p99 at a paced
    /// rate, and the claim rate with 0% and 90% of the queue claimed.
    Workbench {
        /// Accounts to generate (over the four demo creditors).
        #[arg(long, default_value_t = 20_000)]
        accounts: u64,
        /// Collectors, each with an API token and a worklist of up to 100 accounts.
        #[arg(long, default_value_t = 100)]
        collectors: usize,
        /// Client threads, each one keep-alive connection working for its share of the
        /// collectors in turn.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Seconds of each measured phase.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// Requests per second of the paced phase (over all collectors).
        #[arg(long, default_value_t = 1000)]
        rate: u32,
        /// Directory of the SQLite file (default: a temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

/// `sepakat model …`.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Train a model on a CSV and write the versioned JSON artifact.
    Train(ModelTrainArgs),
    /// Evaluate a model on a labelled CSV: AUC, log-loss and a calibration table by decile.
    Eval {
        /// The model artifact written by `model train`.
        #[arg(long)]
        model: PathBuf,
        /// The CSV, with a header row.
        #[arg(long)]
        data: PathBuf,
        /// The target column (rows without a value are skipped and counted).
        #[arg(long)]
        target: String,
        /// Print exactly one JSON object on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Train a creditor's propensity-to-pay model on its own history (a time-based split)
    /// and store it as the creditor's new active version.
    Fit(ModelFitArgs),
    /// List a creditor's stored models, newest first.
    List {
        /// The creditor's code.
        #[arg(long)]
        creditor: String,
    },
    /// Make an earlier version of a creditor's model the active one again.
    Activate {
        /// The creditor's code.
        #[arg(long)]
        creditor: String,
        /// The version to use.
        #[arg(long)]
        version: u32,
    },
    /// Store a model artifact trained elsewhere on Sepakat's features (e.g. on another
    /// database, or with `model train` on an exported table) as the creditor's new active
    /// version.
    Install {
        /// The creditor's code.
        #[arg(long)]
        creditor: String,
        /// The model artifact (JSON).
        #[arg(long)]
        model: PathBuf,
        /// The label's horizon in days that the model was trained for.
        #[arg(long, default_value_t = 30)]
        horizon_days: u32,
    },
    /// An account's probability to pay under the active model, with the reasons.
    Explain {
        /// The creditor's code.
        #[arg(long)]
        creditor: String,
        /// The account number.
        #[arg(long)]
        account: String,
        /// The date (default: today in WIB).
        #[arg(long)]
        as_of: Option<NaiveDate>,
    },
}

/// `sepakat model fit`.
#[derive(Debug, Args)]
pub struct ModelFitArgs {
    /// The creditor's code.
    #[arg(long)]
    pub creditor: String,
    /// The day of training (default: today in WIB); the newest date learned from is
    /// `--horizon-days` before it.
    #[arg(long)]
    pub as_of: Option<NaiveDate>,
    /// Days after a date in which paying one instalment counts as paying.
    #[arg(long, default_value_t = 30)]
    pub horizon_days: u32,
    /// How many past dates to learn from.
    #[arg(long, default_value_t = 12)]
    pub dates: u32,
    /// Days between those dates.
    #[arg(long, default_value_t = 30)]
    pub step_days: u32,
    /// Learn from the accounts whose id modulo 100 is below this (1-100).
    #[arg(long, default_value_t = 100)]
    pub sample_percent: u32,
    /// One learner only (default: both, keep the better on the test dates).
    #[arg(long, value_enum)]
    pub algorithm: Option<AlgorithmArg>,
    /// Also write the labelled examples to this CSV.
    #[arg(long)]
    pub export: Option<PathBuf>,
    /// Train and report, but store nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// The data a model learns from.
#[derive(Debug, Args)]
pub struct ModelDataArgs {
    /// The CSV, with a header row.
    #[arg(long)]
    pub data: PathBuf,
    /// The target column.
    #[arg(long)]
    pub target: String,
    /// The target value that is the positive class (default 1).
    #[arg(long)]
    pub positive: Option<String>,
    /// A column to leave out, e.g. an id; repeatable.
    #[arg(long = "ignore")]
    pub ignore: Vec<String>,
}

/// `sepakat model train`.
#[derive(Debug, Args)]
pub struct ModelTrainArgs {
    /// What to learn from.
    #[command(flatten)]
    pub data: ModelDataArgs,
    /// Where to write the model artifact (JSON).
    #[arg(long)]
    pub out: PathBuf,
    /// The learner.
    #[arg(long, value_enum, default_value = "gbt")]
    pub algorithm: AlgorithmArg,
}

/// A learning algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmArg {
    /// Gradient-boosted trees.
    Gbt,
    /// Logistic regression.
    Logistic,
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

/// `sepakat template …`.
#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Review every template of a file (default: the shipped set) as at approval: unknown
    /// variables, channel limits and the message guard. Exits 1 if any template is blocked.
    Check {
        /// A templates TOML file (see docs/templates.md); the shipped set when absent.
        file: Option<PathBuf>,
        /// Print one JSON array of reviews instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Print one template filled with sample data.
    Preview {
        /// The template's key, e.g. early_whatsapp.
        key: String,
        /// A templates TOML file; the shipped set when absent.
        #[arg(long)]
        file: Option<PathBuf>,
    },
}

/// `sepakat letter …`.
#[derive(Debug, Subcommand)]
pub enum LetterCommand {
    /// Print one letter per account into one PDF (each letter from a new page, with its
    /// number and tracking number); every printed letter is recorded in the letters store.
    Print(Box<LetterPrintArgs>),
    /// Record delivery proof (or a return with --returned) for a printed letter, found by
    /// its tracking number.
    Proof {
        /// The creditor's code.
        #[arg(long)]
        creditor: String,
        /// The tracking number printed on the letter (`SPK…`).
        #[arg(long)]
        tracking: String,
        /// The day it was received (or came back): YYYY-MM-DD, not in the future.
        #[arg(long)]
        delivered: NaiveDate,
        /// Who received it (or who reported the return).
        #[arg(long)]
        received_by: String,
        /// The letter came back undelivered.
        #[arg(long)]
        returned: bool,
        /// A note (the courier's words, the reason for a return).
        #[arg(long, default_value = "")]
        note: String,
        /// A scan or photo of the receipt (JPEG, PNG or PDF).
        #[arg(long)]
        evidence: Option<PathBuf>,
    },
}

/// `sepakat letter print`.
#[derive(Debug, Args)]
pub struct LetterPrintArgs {
    /// The creditor's code.
    #[arg(long)]
    pub creditor: String,
    /// sp1, sp2, sp3 or somasi.
    #[arg(long)]
    pub stage: String,
    /// An account number (repeat for several).
    #[arg(long = "account", required_unless_present = "accounts_file")]
    pub accounts: Vec<String>,
    /// A text file with one account number per line.
    #[arg(long)]
    pub accounts_file: Option<PathBuf>,
    /// The PDF to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Issue date (default: today in WIB).
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// Days the debtor is given from the issue date.
    #[arg(long, default_value_t = 7)]
    pub deadline_days: u32,
    /// Who signs.
    #[arg(long, default_value = "Kepala Divisi Penagihan")]
    pub signatory: String,
    /// The signatory's position.
    #[arg(long, default_value = "Divisi Penagihan")]
    pub signatory_title: String,
    /// The official contact printed in the letter.
    #[arg(long, default_value = "layanan pelanggan resmi kami")]
    pub contact: String,
    /// Letterhead lines under the creditor's name (repeat for several).
    #[arg(long = "letterhead-line")]
    pub letterhead: Vec<String>,
    /// The city the letter is dated from.
    #[arg(long, default_value = "Jakarta")]
    pub city: String,
    /// A templates TOML file (see docs/templates.md); the shipped set when absent.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// `sepakat outbox …`.
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Send the due messages through the configured channels, every
    /// `outbox.interval_seconds` until Ctrl-C, or one pass with --once.
    Run {
        /// Dispatch what is due now, then stop.
        #[arg(long)]
        once: bool,
    },
    /// Queue one message through the message guard and the compliance gate (a blocked
    /// text is stored blocked, never sent; exit status 1).
    Send(Box<OutboxSendArgs>),
    /// List a creditor's messages (recipients masked), oldest first.
    List {
        /// The creditor's code.
        #[arg(long)]
        creditor: String,
        /// Only this account number.
        #[arg(long)]
        account: Option<String>,
    },
}

/// `sepakat outbox send`.
#[derive(Debug, Args)]
pub struct OutboxSendArgs {
    /// The creditor's code.
    #[arg(long)]
    pub creditor: String,
    /// The account number.
    #[arg(long)]
    pub account: String,
    /// email, whatsapp or sms.
    #[arg(long)]
    pub channel: String,
    /// A template key (see `sepakat template check`).
    #[arg(long, required_unless_present = "text", conflicts_with = "text")]
    pub template: Option<String>,
    /// Free text instead of a template.
    #[arg(long)]
    pub text: Option<String>,
    /// The subject of a free-text e-mail.
    #[arg(long)]
    pub subject: Option<String>,
    /// The address; default the debtor's own phone or e-mail.
    #[arg(long)]
    pub to: Option<String>,
    /// Who receives it: debtor, emergency_contact, family, employer, guarantor.
    #[arg(long, default_value = "debtor")]
    pub party: String,
    /// Idempotency key; default derived from account, channel, recipient, text and day.
    #[arg(long)]
    pub key: Option<String>,
    /// The payment link for `{{tautan_pembayaran}}`.
    #[arg(long)]
    pub payment_link: Option<String>,
    /// The official contact for `{{kontak_resmi}}`.
    #[arg(long)]
    pub contact: Option<String>,
    /// The collector's name for `{{petugas}}`.
    #[arg(long)]
    pub collector: Option<String>,
    /// Days from today for `{{batas_waktu}}`.
    #[arg(long)]
    pub deadline_days: Option<u32>,
    /// A templates TOML file; the shipped set when absent.
    #[arg(long)]
    pub templates: Option<PathBuf>,
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
