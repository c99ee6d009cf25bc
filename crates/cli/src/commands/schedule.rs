//! The nightly run inside `serve`: every day at `[run] schedule` (a WIB wall-clock time,
//! `HH:MM`), the job of `sepakat run` for every creditor, planning that WIB date. Several
//! instances may serve one PostgreSQL database: the run's lease lets one of them run a
//! creditor and refuses the others, which log it and wait for the next day.

use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use sepakat_domain::{SystemClock, Zone};
use sepakat_store::Store;

use crate::config::Config;

/// When the run starts each day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Schedule {
    /// The WIB wall-clock time.
    at: NaiveTime,
}

impl Schedule {
    /// The schedule `[run] schedule` names; None when it is empty (no run inside serve).
    pub(crate) fn from_config(config: &Config) -> Result<Option<Schedule>> {
        let text = config.run.schedule.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let at = NaiveTime::parse_from_str(text, "%H:%M").with_context(|| {
            format!("run.schedule: {text:?} is not a time of day as HH:MM (WIB), e.g. \"01:30\"")
        })?;
        Ok(Some(Schedule { at }))
    }

    /// The first scheduled instant strictly after `now`.
    pub(crate) fn next_after(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let local = Zone::Wib.local(now);
        let today = sepakat_store::local_instant(local.date(), self.at, Zone::Wib);
        if today > now {
            today
        } else {
            today + Duration::days(1)
        }
    }
}

/// Runs the job every day on `schedule` until the runtime shuts down.
pub(crate) async fn every_day(schedule: Schedule, config: Config, store: Arc<dyn Store>) {
    let config = Arc::new(config);
    loop {
        let now = Utc::now();
        let next = schedule.next_after(now);
        tracing::info!(%next, "next nightly run");
        let wait = (next - now).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        let as_of = Zone::Wib.local(next).date();
        let (config, store) = (Arc::clone(&config), Arc::clone(&store));
        let done = tokio::task::spawn_blocking(move || -> Result<()> {
            let strategy = super::run::strategy(&config, None)?;
            let creditors = store.creditors()?;
            super::run::run_all(
                &config,
                store.as_ref(),
                &strategy,
                &creditors,
                as_of,
                &SystemClock,
                &mut |report| {
                    tracing::info!(
                        creditor = %report.creditor,
                        run = report.run,
                        accounts = report.accounts,
                        actions = report.actions,
                        seconds = report.seconds,
                        "nightly run finished"
                    )
                },
            )
        })
        .await;
        match done {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %format!("{e:#}"), %as_of, "nightly run failed"),
            Err(e) => tracing::error!(error = %e, %as_of, "nightly run task failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(text: &str) -> Schedule {
        let mut config = Config::default();
        config.run.schedule = text.into();
        Schedule::from_config(&config).unwrap().unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn the_next_run_is_the_wib_time_today_if_ahead_else_tomorrow() {
        let s = schedule("01:30");
        // 01:30 WIB is 18:30 UTC the day before.
        assert_eq!(
            s.next_after(utc("2026-12-02T18:00:00Z")),
            utc("2026-12-02T18:30:00Z")
        );
        assert_eq!(
            s.next_after(utc("2026-12-02T18:30:00Z")),
            utc("2026-12-03T18:30:00Z")
        );
        assert_eq!(
            s.next_after(utc("2026-12-03T05:00:00Z")),
            utc("2026-12-03T18:30:00Z")
        );
    }

    #[test]
    fn an_empty_schedule_is_off_and_a_bad_one_names_the_key() {
        assert!(Schedule::from_config(&Config::default()).unwrap().is_none());
        let mut config = Config::default();
        config.run.schedule = "1.30 pagi".into();
        let e = Schedule::from_config(&config).unwrap_err().to_string();
        assert!(e.contains("run.schedule"), "{e}");
    }
}
