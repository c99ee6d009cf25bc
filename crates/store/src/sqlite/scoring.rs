//! Scoring storage on SQLite: history summaries, past states for training and the model
//! registry (`scoring_models`, migration 0010). The rules are in `crate::scoring`.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use sepakat_domain::scoring::{AccountState, History};
use sepakat_domain::Rupiah;

use super::codec::{corrupt, day, instant, product, to_day, to_instant, to_opt_day};
use super::collection::{audit_entry, collect};
use super::SqliteStore;
use crate::scoring::{model_detail, right_party_sql, Parts, Windows};
use crate::*;

/// A payment that counts: not a reversal entry and never reversed.
const COUNTED: &str =
    "p.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id)";

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// The four history queries, for the creditor (`?1`) or one of its accounts (`?2`). The
/// window instants are our own integers, written into the SQL.
fn parts(
    conn: &Connection,
    creditor: CreditorId,
    account: Option<AccountId>,
    at: DateTime<Utc>,
) -> StoreResult<Parts> {
    let w = Windows::before(at);
    let (filter, p_filter) = if account.is_some() {
        (
            "creditor_id = ?1 AND account_id = ?2",
            "p.creditor_id = ?1 AND p.account_id = ?2",
        )
    } else {
        ("creditor_id = ?1", "p.creditor_id = ?1")
    };
    let (at, attempts, short, long, promised) = (
        instant(at),
        instant(w.attempts),
        instant(w.short),
        instant(w.long),
        instant(w.promises),
    );
    let rows = |sql: &str, f: &mut dyn FnMut(&Row) -> StoreResult<()>| -> StoreResult<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        stmt.raw_bind_parameter(1, creditor.0)?;
        if let Some(a) = account {
            stmt.raw_bind_parameter(2, a.0)?;
        }
        let mut rows = stmt.raw_query();
        while let Some(r) = rows.next()? {
            f(r)?;
        }
        Ok(())
    };
    let mut out = Parts::default();
    rows(
        &format!(
            "SELECT p.account_id,
                SUM(CASE WHEN p.paid_at >= {short} THEN p.amount ELSE 0 END),
                SUM(CASE WHEN p.paid_at >= {long} THEN p.amount ELSE 0 END),
                MAX(p.paid_at),
                MAX(CASE WHEN p.paid_at >= {long} AND p.oldest_unpaid_due_before IS NOT NULL
                         THEN p.paid_at / {MICROS_PER_DAY} - p.oldest_unpaid_due_before END)
         FROM payments p
         WHERE {p_filter} AND p.paid_at < {at} AND {COUNTED}
         GROUP BY p.account_id ORDER BY p.account_id"
        ),
        &mut |r| {
            out.payments.push((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, Option<i64>>(3)?.map(to_instant).transpose()?,
                r.get::<_, Option<i64>>(4)?.map(|d| d.max(0)),
            ));
            Ok(())
        },
    )?;
    rows(
        &format!(
        "SELECT account_id,
                SUM(CASE WHEN created_at >= {promised} THEN 1 ELSE 0 END),
                SUM(CASE WHEN status = 'kept' AND resolved_at < {at} AND resolved_at >= {promised}
                         THEN 1 ELSE 0 END),
                SUM(CASE WHEN status IN ('broken', 'partially_kept') AND resolved_at < {at}
                              AND resolved_at >= {promised} THEN 1 ELSE 0 END)
         FROM promises
         WHERE {filter} AND created_at < {at} AND (created_at >= {promised} OR resolved_at >= {promised})
         GROUP BY account_id ORDER BY account_id"
    ),
        &mut |r| {
            out.promises.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
            Ok(())
        },
    )?;
    // SQLite takes the bare `outcome` from the row holding MAX(at): the latest contact.
    rows(
        &format!(
            "SELECT account_id,
                SUM(CASE WHEN at >= {attempts} THEN 1 ELSE 0 END),
                SUM(CASE WHEN at >= {short} THEN 1 ELSE 0 END),
                SUM(CASE WHEN at >= {short} AND outcome IN ({rpc}) THEN 1 ELSE 0 END),
                MAX(at), outcome
         FROM interactions
         WHERE {filter} AND at < {at}
         GROUP BY account_id ORDER BY account_id",
            rpc = right_party_sql()
        ),
        &mut |r| {
            out.interactions.push((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, Option<i64>>(4)?.map(to_instant).transpose()?,
                r.get(5)?,
            ));
            Ok(())
        },
    )?;
    rows(
        &format!(
            "SELECT account_id, COUNT(*),
                SUM(CASE WHEN status = 'defaulted' AND ended_at < {at} THEN 1 ELSE 0 END)
         FROM arrangements
         WHERE {filter} AND created_at < {at}
         GROUP BY account_id ORDER BY account_id"
        ),
        &mut |r| {
            out.arrangements.push((r.get(0)?, r.get(1)?, r.get(2)?));
            Ok(())
        },
    )?;
    Ok(out)
}

fn info(row: &Row) -> StoreResult<ModelInfo> {
    let metrics: String = row.get(7)?;
    Ok(ModelInfo {
        creditor: CreditorId(row.get(0)?),
        version: row.get(1)?,
        algorithm: row.get(2)?,
        feature_set: row.get(3)?,
        horizon_days: row.get(4)?,
        trained_at: to_instant(row.get(5)?)?,
        trained_by: row.get(6)?,
        metrics: serde_json::from_str(&metrics).map_err(|_| corrupt("model metrics", "(json)"))?,
        active: row.get(8)?,
    })
}

const INFO: &str = "SELECT creditor_id, version, algorithm, feature_set, horizon_days, trained_at,
        trained_by, metrics, active FROM scoring_models";

fn by_version(
    conn: &Connection,
    creditor: CreditorId,
    version: u32,
) -> StoreResult<Option<ModelInfo>> {
    conn.prepare_cached(&format!("{INFO} WHERE creditor_id = ?1 AND version = ?2"))?
        .query_row(params![creditor.0, version], |r| Ok(info(r)))
        .optional()?
        .transpose()
}

impl ScoringStore for SqliteStore {
    fn history_summaries(
        &self,
        creditor: CreditorId,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<(AccountId, History)>> {
        self.read(|c| parts(c, creditor, None, at))?.merge()
    }

    fn account_history(
        &self,
        creditor: CreditorId,
        account: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<History> {
        let merged = self
            .read(|c| parts(c, creditor, Some(account), at))?
            .merge()?;
        Ok(merged
            .into_iter()
            .next()
            .map(|(_, h)| h)
            .unwrap_or_default())
    }

    fn training_states(
        &self,
        creditor: CreditorId,
        date: NaiveDate,
        at: DateTime<Utc>,
        horizon_end: DateTime<Utc>,
        sample_percent: u32,
    ) -> StoreResult<Vec<TrainingState>> {
        let later = format!("p.account_id = a.id AND p.paid_at >= ?2 AND {COUNTED}");
        let sql = format!(
            "SELECT a.id, a.product, a.principal, a.instalment, a.tenor_months, a.opened_on,
                    a.first_due,
                    a.total_outstanding
                      + COALESCE((SELECT SUM(p.amount - p.alloc_excess) FROM payments p WHERE {later}), 0),
                    EXISTS (SELECT 1 FROM payments p WHERE {later}),
                    (SELECT p.oldest_unpaid_due_before FROM payments p WHERE {later}
                     ORDER BY p.paid_at, p.id LIMIT 1),
                    a.oldest_unpaid_due,
                    COALESCE((SELECT SUM(p.amount) FROM payments p WHERE {later} AND p.paid_at < ?3), 0)
             FROM accounts a
             WHERE a.creditor_id = ?1 AND a.opened_on < ?4 AND a.id % 100 < ?5
             ORDER BY a.id"
        );
        let rows = self.read(|c| {
            collect(
                c,
                &sql,
                params![
                    creditor.0,
                    instant(at),
                    instant(horizon_end),
                    day(date),
                    sample_percent
                ],
                |r| {
                    let code: String = r.get(1)?;
                    let later_payment: bool = r.get(8)?;
                    let oldest = if later_payment {
                        to_opt_day(r.get(9)?)?
                    } else {
                        to_opt_day(r.get(10)?)?
                    };
                    Ok(TrainingState {
                        account: AccountId(r.get(0)?),
                        state: AccountState {
                            product: product(&code)?,
                            principal: Rupiah::new(r.get(2)?),
                            instalment: Rupiah::new(r.get(3)?),
                            tenor_months: r.get(4)?,
                            opened_on: to_day(r.get(5)?)?,
                            first_due: to_day(r.get(6)?)?,
                            outstanding: Rupiah::new(r.get(7)?),
                            oldest_unpaid_due: oldest,
                        },
                        paid_after: Rupiah::new(r.get(11)?),
                    })
                },
            )
        })?;
        Ok(rows
            .into_iter()
            .filter(|t| t.state.outstanding.value() > 0)
            .collect())
    }

    fn save_model(&self, model: &NewModel, actor: &Actor) -> StoreResult<ModelInfo> {
        self.write(|tx| {
            let version: u32 = tx
                .prepare_cached("SELECT COALESCE(MAX(version), 0) + 1 FROM scoring_models WHERE creditor_id = ?1")?
                .query_row([model.creditor.0], |r| r.get(0))?;
            tx.prepare_cached("UPDATE scoring_models SET active = 0 WHERE creditor_id = ?1 AND active = 1")?
                .execute([model.creditor.0])?;
            let metrics = serde_json::to_string(&model.metrics)
                .map_err(|e| StoreError::Other(format!("model metrics: {e}")))?;
            tx.prepare_cached(
                "INSERT INTO scoring_models (creditor_id, version, algorithm, feature_set,
                     horizon_days, trained_at, trained_by, metrics, artifact, active)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)",
            )?
            .execute(params![
                model.creditor.0,
                version,
                model.algorithm,
                model.feature_set,
                model.horizon_days,
                instant(model.trained_at),
                actor.name,
                metrics,
                model.artifact
            ])?;
            let stored = by_version(tx, model.creditor, version)?
                .ok_or_else(|| StoreError::Other("the stored model vanished".into()))?;
            audit_entry(
                tx,
                model.creditor,
                model.trained_at,
                actor,
                "model.trained",
                "model",
                version,
                model_detail(&stored),
            )?;
            Ok(stored)
        })
    }

    fn models(&self, creditor: CreditorId) -> StoreResult<Vec<ModelInfo>> {
        self.read(|c| {
            collect(
                c,
                &format!("{INFO} WHERE creditor_id = ?1 ORDER BY version DESC"),
                [creditor.0],
                info,
            )
        })
    }

    fn active_model(&self, creditor: CreditorId) -> StoreResult<Option<(ModelInfo, String)>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT creditor_id, version, algorithm, feature_set, horizon_days, trained_at,
                        trained_by, metrics, active, artifact
                 FROM scoring_models WHERE creditor_id = ?1 AND active = 1",
            )?
            .query_row([creditor.0], |r| {
                Ok(info(r).and_then(|i| Ok((i, r.get(9)?))))
            })
            .optional()?
            .transpose()
        })
    }

    fn activate_model(
        &self,
        creditor: CreditorId,
        version: u32,
        at: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ModelInfo> {
        self.write(|tx| {
            let found = by_version(tx, creditor, version)?
                .ok_or_else(|| StoreError::NotFound(format!("model version {version}")))?;
            if found.active {
                return Ok(found);
            }
            tx.prepare_cached(
                "UPDATE scoring_models SET active = 0 WHERE creditor_id = ?1 AND active = 1",
            )?
            .execute([creditor.0])?;
            tx.prepare_cached(
                "UPDATE scoring_models SET active = 1 WHERE creditor_id = ?1 AND version = ?2",
            )?
            .execute(params![creditor.0, version])?;
            let stored = by_version(tx, creditor, version)?
                .ok_or_else(|| StoreError::Other("the activated model vanished".into()))?;
            audit_entry(
                tx,
                creditor,
                at,
                actor,
                "model.activated",
                "model",
                version,
                model_detail(&stored),
            )?;
            Ok(stored)
        })
    }
}
