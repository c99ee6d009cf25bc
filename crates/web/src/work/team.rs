//! The supervisor's side: the team's activity today and moving accounts to a collector.

use chrono::{DateTime, Utc};
use sepakat_store::{CollectorActivity, TeamId, UserId};

use super::{Problem, WorkError, Worker};
use crate::AppState;

/// The most accounts one reassignment moves (a supervisor's selection, not an import).
pub const MAX_REASSIGN: usize = 1000;

/// A collector a supervisor can assign to.
#[derive(Debug, Clone)]
pub struct Assignee {
    /// The user.
    pub user: UserId,
    /// Their team.
    pub team: TeamId,
    /// The team's code.
    pub team_code: String,
    /// Their login.
    pub username: String,
}

/// The team view: activity in `[from, to)` and who can receive accounts.
pub async fn overview(
    state: &AppState,
    worker: &Worker,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(Vec<CollectorActivity>, Vec<Assignee>), WorkError> {
    if !worker.role.supervises() {
        return Err(WorkError::Forbidden);
    }
    let (now, creditor) = (state.now(), worker.creditor);
    Ok(state
        .store(move |s| {
            let activity = s.team_activity(creditor, from, to, now)?;
            let mut assignees = Vec::new();
            for team in s.teams(creditor)? {
                for c in team.collectors.iter().filter(|c| c.active) {
                    let username = s.user(c.user)?.map(|u| u.username).unwrap_or_default();
                    assignees.push(Assignee {
                        user: c.user,
                        team: team.id,
                        team_code: team.code.clone(),
                        username,
                    });
                }
            }
            Ok((activity, assignees))
        })
        .await?)
}

/// Moves the accounts with these numbers to `collector` of `team`, all or nothing; an
/// unknown number is named.
pub async fn reassign(
    state: &AppState,
    worker: &Worker,
    numbers: Vec<String>,
    team: TeamId,
    collector: UserId,
) -> Result<u64, WorkError> {
    if !worker.role.supervises() {
        return Err(WorkError::Forbidden);
    }
    if numbers.is_empty() {
        return Err(WorkError::invalid("accounts", Problem::Required));
    }
    if numbers.len() > MAX_REASSIGN {
        return Err(WorkError::invalid(
            "accounts",
            Problem::TooLong(MAX_REASSIGN),
        ));
    }
    let (now, worker) = (state.now(), worker.clone());
    state
        .store(move |s| {
            let mut ids = Vec::with_capacity(numbers.len());
            for n in &numbers {
                match s.account_by_number(worker.creditor, n)? {
                    Some(a) => ids.push(a.id),
                    None => {
                        return Ok(Err(WorkError::invalid(
                            "accounts",
                            Problem::Unknown {
                                value: n.clone(),
                                expected: "nomor rekening kreditur ini".into(),
                            },
                        )))
                    }
                }
            }
            Ok(Ok(s.assign_accounts(
                worker.creditor,
                team,
                Some(collector),
                &ids,
                now,
                &worker.actor,
            )?))
        })
        .await?
}
