//! `sepakat outbox run|send|list`, and the dispatcher job `sepakat serve` runs in the
//! background. A message goes in through the guard and the gate (`Composer`) and out
//! through the channels the configuration turns on (`Dispatcher`); see docs/outbox.md.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use sepakat_domain::compliance::{Channel, Gate, Party};
use sepakat_domain::SystemClock;
use sepakat_engine::outbox::{
    adapters, Adapters, Composer, Content, Dispatcher, Extras, OutboxSettings, Request, Round,
};
use sepakat_store::{Actor, Message, MessageStatus, Store};

use crate::cli::{OutboxCommand, OutboxSendArgs};
use crate::config::Config;

/// Runs an outbox subcommand.
pub fn run(config: &Config, cmd: OutboxCommand) -> Result<ExitCode> {
    match cmd {
        OutboxCommand::Run { once } => dispatch(config, once),
        OutboxCommand::Send(args) => send(config, *args),
        OutboxCommand::List { creditor, account } => list(config, &creditor, account.as_deref()),
    }
}

/// The dispatcher with what it works with, owned, for a background task.
pub(crate) struct Job {
    store: Arc<dyn Store>,
    gate: Gate,
    adapters: Adapters,
    settings: OutboxSettings,
    owner: String,
}

impl Job {
    /// The job the configuration describes, or None when no channel is configured.
    pub(crate) fn from_config(config: &Config, store: Arc<dyn Store>) -> Result<Option<Job>> {
        let adapters = adapters(&config.smtp, &config.whatsapp, &config.sms)
            .map_err(|e| anyhow!("outbox channels: {e}"))?;
        if adapters.is_empty() {
            return Ok(None);
        }
        Ok(Some(Job {
            store,
            gate: config.compliance.gate()?,
            adapters,
            settings: config.outbox.clone(),
            owner: Dispatcher::owner_name(),
        }))
    }

    /// Sends everything due now.
    fn drain(&self) -> Result<Round> {
        Dispatcher {
            store: self.store.as_ref(),
            gate: &self.gate,
            adapters: &self.adapters,
            settings: &self.settings,
            clock: &SystemClock,
            owner: self.owner.clone(),
        }
        .drain()
        .context("outbox dispatch")
    }

    /// Drains every `outbox.interval_seconds` for ever (until the task is dropped); a
    /// failed round is logged and tried again next time.
    pub(crate) async fn every_interval(self: Arc<Job>) {
        let interval =
            std::time::Duration::from_secs(u64::from(self.settings.interval_seconds.max(1)));
        tracing::info!(channels = ?self.adapters.channels(), ?interval, "outbox dispatcher started");
        loop {
            let job = Arc::clone(&self);
            match tokio::task::spawn_blocking(move || job.drain()).await {
                Ok(Ok(r)) if r.leased > 0 => tracing::info!(?r, "outbox round"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::error!(error = %format!("{e:#}"), "outbox round failed"),
                Err(e) => tracing::error!(error = %e, "outbox round panicked"),
            }
            tokio::time::sleep(interval).await;
        }
    }

    /// Whether `sepakat serve` runs it in the background (`interval_seconds` > 0).
    pub(crate) fn background(&self) -> bool {
        self.settings.interval_seconds > 0
    }
}

fn dispatch(config: &Config, once: bool) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    let Some(job) = Job::from_config(config, store)? else {
        bail!("no channel is configured: set [smtp] host, [whatsapp] phone_number_id or [sms] url");
    };
    if once {
        let r = job.drain()?;
        println!(
            "leased {}, sent {}, retried {}, deferred {}, blocked {}, failed {}",
            r.leased, r.sent, r.retried, r.deferred, r.blocked, r.failed
        );
        return Ok(ExitCode::SUCCESS);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        tokio::select! {
            () = Arc::new(job).every_interval() => {},
            () = super::serve::shutdown_signal() => {},
        }
    });
    Ok(ExitCode::SUCCESS)
}

fn send(config: &Config, args: OutboxSendArgs) -> Result<ExitCode> {
    let channel = Channel::parse(&args.channel).context("--channel")?;
    let party = Party::parse(&args.party).context("--party")?;
    let content = match (args.template, args.text) {
        (Some(key), None) => Content::Template(key),
        (None, Some(body)) => Content::Text {
            subject: args.subject,
            body,
        },
        _ => bail!("give --template or --text"),
    };
    let catalogue = super::template::load(args.templates.as_deref())?;
    let guard = config.guard.guard()?;
    let gate = config.compliance.gate()?;
    let store = super::open_store(config)?;
    let creditor = store
        .creditor_by_code(&args.creditor)?
        .with_context(|| format!("--creditor: no creditor with code {:?}", args.creditor))?;
    let account = store
        .account_by_number(creditor.id, &args.account)?
        .with_context(|| {
            format!(
                "--account: no account {:?} of {}",
                args.account, creditor.code
            )
        })?;
    let composer = Composer {
        store: store.as_ref(),
        creditor: &creditor,
        guard: &guard,
        gate: &gate,
        catalogue: &catalogue,
    };
    let request = Request {
        account,
        channel,
        party,
        to: args.to,
        content,
        extras: Extras {
            payment_link: args.payment_link,
            official_contact: args.contact,
            collector: args.collector,
            deadline_days: args.deadline_days,
        },
        idempotency_key: args.key,
        user: None,
    };
    let now = sepakat_domain::Clock::now(&SystemClock);
    let m = composer.compose(request, now, &Actor::system("cli"))?;
    println!("{}", describe(&m));
    Ok(if m.status == MessageStatus::Blocked {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One line about a message: id, status, and why or when.
fn describe(m: &Message) -> String {
    let why = m
        .refusal
        .as_ref()
        .map_or_else(String::new, |r| match m.status {
            MessageStatus::Queued => format!(" (waits: {})", r.rule),
            _ => format!(" ({}: {})", r.rule, r.detail),
        });
    format!(
        "message {} {} for {} to {}, not before {}{why}",
        m.id,
        m.status.code(),
        m.data.channel,
        m.data.recipient.masked(),
        m.data.not_before.to_rfc3339(),
    )
}

fn list(config: &Config, creditor: &str, account: Option<&str>) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    let c = store
        .creditor_by_code(creditor)?
        .with_context(|| format!("--creditor: no creditor with code {creditor:?}"))?;
    let account = match account {
        Some(no) => Some(
            store
                .account_by_number(c.id, no)?
                .with_context(|| format!("--account: no account {no:?} of {}", c.code))?
                .id,
        ),
        None => None,
    };
    println!("id\taccount\tchannel\trecipient\tstatus\tattempts\tnot_before\trule\tlast_error");
    for m in store.messages(c.id, account)? {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            m.id,
            m.data.account,
            m.data.channel,
            m.data.recipient.masked(),
            m.status.code(),
            m.attempts,
            m.data.not_before.to_rfc3339(),
            m.refusal.map(|r| r.rule).unwrap_or_default(),
            m.last_error.unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
