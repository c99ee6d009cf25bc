//! The storage floor for `sepakat bench run`: the same scan of the open accounts and the
//! same number of queue rows written in the same chunks, with no logic at all. Run time
//! divided by this says what the strategy, gate and allocation cost on top of storage.

use std::sync::mpsc::sync_channel;

use anyhow::Context;
use chrono::Duration;
use sepakat_domain::strategy::{Action, ArmHasher};
use sepakat_domain::Clock;
use sepakat_store::{AccountSnapshot, Actor, Creditor, NewAction, NewRun, Store, ACTION_CHUNK};

/// Scans the creditor's open accounts and writes `rows` constant queue rows under a
/// scratch run, which is then abandoned and pruned (untimed by the caller if it wishes).
/// Returns the accounts scanned and the time spent scanning and writing (the clean-up
/// afterwards is not counted).
pub fn storage_floor(
    store: &dyn Store,
    creditor: &Creditor,
    rows: u64,
    clock: &dyn Clock,
) -> anyhow::Result<(u64, std::time::Duration)> {
    let started = std::time::Instant::now();
    let now = clock.now();
    let lease = Duration::seconds(120);
    let actor = Actor::system("system:bench");
    let run = store.begin_run(
        &NewRun {
            creditor: creditor.id,
            as_of: now.date_naive(),
            strategy: "storage-floor".into(),
            holder: super::holder(),
            started_at: now,
            lease_until: now + lease,
            actor: actor.clone(),
        },
        &super::holder_is_dead,
    )?;
    let arms = ArmHasher::new(&creditor.code);
    let (tx, rx) = sync_channel::<Vec<AccountSnapshot>>(8);
    let scanned = std::thread::scope(|scope| -> anyhow::Result<u64> {
        let reader = scope.spawn(|| {
            let tx = tx;
            store.scan_open_accounts(creditor.id, &arms, &mut |b| tx.send(b.to_vec()).is_ok())
        });
        let mut chunk: Vec<NewAction<'_>> = Vec::with_capacity(ACTION_CHUNK);
        let mut written = 0u64;
        for batch in rx.iter() {
            for a in batch
                .iter()
                .take(usize::try_from(rows - written.min(rows)).unwrap_or(0))
            {
                chunk.push(NewAction {
                    account: a.id,
                    arm: 0,
                    rule: "floor",
                    action: Action::Call,
                    template: None,
                    priority: a.outstanding.value() as f64,
                    window: None,
                    team: None,
                    dpd: 0,
                    bucket: "current",
                    kolektibilitas: 1,
                    promise: None,
                });
                written += 1;
                if chunk.len() == ACTION_CHUNK {
                    store.write_actions(run, &chunk, clock.now() + lease)?;
                    chunk.clear();
                }
            }
        }
        if !chunk.is_empty() {
            store.write_actions(run, &chunk, clock.now() + lease)?;
        }
        reader
            .join()
            .map_err(|_| anyhow::anyhow!("the account reader panicked"))?
            .context("reading open accounts")
    })?;
    let elapsed = started.elapsed();
    store.abandon_run(run, "storage floor measurement", &actor)?;
    store.prune_runs(creditor.id)?;
    Ok((scanned, elapsed))
}
