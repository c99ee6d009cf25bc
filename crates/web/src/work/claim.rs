//! Claims: "next account" takes the most urgent account of the collector's worklist that
//! nobody else holds; a collector may also take one account they may work, and give it
//! back. A claim lapses after the configured time (`WebConfig::claim_ttl`).

use sepakat_store::{AccountDetail, Claim};

use super::{check_holder, WorkError, Worker};
use crate::AppState;

/// Claims the next account for `worker` (releasing their earlier claim); None when
/// nothing on their worklist is free.
pub async fn next(state: &AppState, worker: &Worker) -> Result<Option<Claim>, WorkError> {
    if !worker.role.works_accounts() {
        return Err(WorkError::Forbidden);
    }
    let (now, ttl, worker) = (state.now(), state.config().claim_ttl, worker.clone());
    Ok(state
        .store(move |s| s.next_account(worker.creditor, worker.id, now, ttl, &worker.actor))
        .await?)
}

/// Claims `account` for `worker`, if they may work it and nobody else holds it.
pub async fn take(
    state: &AppState,
    worker: &Worker,
    account: &AccountDetail,
) -> Result<Claim, WorkError> {
    if !worker.role.works_accounts() {
        return Err(WorkError::Forbidden);
    }
    let (now, ttl, worker, account) = (
        state.now(),
        state.config().claim_ttl,
        worker.clone(),
        account.clone(),
    );
    state
        .store(move |s| {
            Ok((|| {
                check_holder(s, &worker, &account, now)?;
                if let Some(c) = s.claim(worker.creditor, account.id, now)? {
                    if c.user != worker.id {
                        return Err(super::held_by(s, &c, &account)?);
                    }
                }
                Ok(s.claim_account(
                    worker.creditor,
                    worker.id,
                    account.id,
                    now,
                    ttl,
                    &worker.actor,
                )?)
            })())
        })
        .await?
}

/// Gives `account` back.
pub async fn release(
    state: &AppState,
    worker: &Worker,
    account: &AccountDetail,
) -> Result<(), WorkError> {
    let (now, worker, id) = (state.now(), worker.clone(), account.id);
    Ok(state
        .store(move |s| s.release_claim(worker.creditor, worker.id, id, now, &worker.actor))
        .await?)
}
