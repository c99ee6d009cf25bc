//! Scoring storage on PostgreSQL: history summaries, past states for training and the
//! model registry (`scoring_models`, migration 0010). The rules are in `crate::scoring`.

use ::postgres::types::ToSql;
use ::postgres::{GenericClient, Row};
use chrono::{DateTime, NaiveDate, Utc};

use sepakat_domain::scoring::{AccountState, History};
use sepakat_domain::{ProductType, Rupiah};

use super::codec::{corrupt, get};
use super::collection::{audit_entry, query_all};
use super::{db_err, PostgresStore};
use crate::scoring::{model_detail, right_party_sql, Parts, Windows};
use crate::*;

/// A payment that counts: not a reversal entry and never reversed.
const COUNTED: &str =
    "p.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id)";

/// The four history queries for the creditor (`$1`) or one of its accounts (`$7`); the
/// instants are `$2` (as of), `$3` attempts, `$4` short, `$5` long, `$6` promises.
fn parts(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    account: Option<AccountId>,
    at: DateTime<Utc>,
) -> StoreResult<Parts> {
    let w = Windows::before(at);
    let (filter, p_filter) = if account.is_some() {
        (
            "creditor_id = $1 AND account_id = $7",
            "p.creditor_id = $1 AND p.account_id = $7",
        )
    } else {
        // `$7` is still bound (to 0): each query names every parameter once.
        (
            "creditor_id = $1 AND $7::bigint IS NOT NULL",
            "p.creditor_id = $1 AND $7::bigint IS NOT NULL",
        )
    };
    let id = account.map_or(0, |a| a.0);
    let args: [&(dyn ToSql + Sync); 7] = [
        &creditor.0,
        &at,
        &w.attempts,
        &w.short,
        &w.long,
        &w.promises,
        &id,
    ];
    let what = "reading account histories";
    let payments = query_all(
        client,
        &format!(
            "SELECT p.account_id,
                    SUM(CASE WHEN p.paid_at >= $4 THEN p.amount ELSE 0 END)::bigint AS short,
                    SUM(CASE WHEN p.paid_at >= $5 THEN p.amount ELSE 0 END)::bigint AS long,
                    MAX(p.paid_at) AS last_at,
                    MAX(CASE WHEN p.paid_at >= $5 AND p.oldest_unpaid_due_before IS NOT NULL
                             THEN ((p.paid_at AT TIME ZONE 'UTC')::date - p.oldest_unpaid_due_before)
                        END)::bigint AS longest
             FROM payments p
             WHERE {p_filter} AND p.paid_at < $2 AND {COUNTED}
                   AND $3::timestamptz IS NOT NULL AND $6::timestamptz IS NOT NULL
             GROUP BY p.account_id ORDER BY p.account_id"
        ),
        &args,
        what,
        |r| {
            Ok((
                get(r, "account_id")?,
                get(r, "short")?,
                get(r, "long")?,
                get(r, "last_at")?,
                get::<Option<i64>>(r, "longest")?.map(|d| d.max(0)),
            ))
        },
    )?;
    let promises = query_all(
        client,
        &format!(
            "SELECT account_id,
                    COUNT(*) FILTER (WHERE created_at >= $6) AS made,
                    COUNT(*) FILTER (WHERE status = 'kept' AND resolved_at < $2
                                       AND resolved_at >= $6) AS kept,
                    COUNT(*) FILTER (WHERE status IN ('broken', 'partially_kept')
                                       AND resolved_at < $2 AND resolved_at >= $6) AS broken
             FROM promises
             WHERE {filter} AND created_at < $2 AND (created_at >= $6 OR resolved_at >= $6)
                   AND $3::timestamptz IS NOT NULL AND $4::timestamptz IS NOT NULL
                   AND $5::timestamptz IS NOT NULL
             GROUP BY account_id ORDER BY account_id"
        ),
        &args,
        what,
        |r| {
            Ok((
                get(r, "account_id")?,
                get(r, "made")?,
                get(r, "kept")?,
                get(r, "broken")?,
            ))
        },
    )?;
    let interactions = query_all(
        client,
        &format!(
            "SELECT account_id,
                    COUNT(*) FILTER (WHERE at >= $3) AS recent,
                    COUNT(*) FILTER (WHERE at >= $4) AS short,
                    COUNT(*) FILTER (WHERE at >= $4 AND outcome IN ({rpc})) AS right_party,
                    MAX(at) AS last_at,
                    (array_agg(outcome ORDER BY at DESC, id DESC))[1] AS last_outcome
             FROM interactions
             WHERE {filter} AND at < $2
                   AND $5::timestamptz IS NOT NULL AND $6::timestamptz IS NOT NULL
             GROUP BY account_id ORDER BY account_id",
            rpc = right_party_sql()
        ),
        &args,
        what,
        |r| {
            Ok((
                get(r, "account_id")?,
                get(r, "recent")?,
                get(r, "short")?,
                get(r, "right_party")?,
                get(r, "last_at")?,
                get(r, "last_outcome")?,
            ))
        },
    )?;
    let arrangements = query_all(
        client,
        &format!(
            "SELECT account_id, COUNT(*) AS made,
                    COUNT(*) FILTER (WHERE status = 'defaulted' AND ended_at < $2) AS defaulted
             FROM arrangements
             WHERE {filter} AND created_at < $2
                   AND $3::timestamptz IS NOT NULL AND $4::timestamptz IS NOT NULL
                   AND $5::timestamptz IS NOT NULL AND $6::timestamptz IS NOT NULL
             GROUP BY account_id ORDER BY account_id"
        ),
        &args,
        what,
        |r| Ok((get(r, "account_id")?, get(r, "made")?, get(r, "defaulted")?)),
    )?;
    Ok(Parts {
        payments,
        promises,
        interactions,
        arrangements,
    })
}

const INFO: &str = "SELECT creditor_id, version, algorithm, feature_set, horizon_days,
        trained_at, trained_by, metrics, active FROM scoring_models";

fn info(row: &Row) -> StoreResult<ModelInfo> {
    let version: i32 = get(row, "version")?;
    let horizon: i32 = get(row, "horizon_days")?;
    Ok(ModelInfo {
        creditor: CreditorId(get(row, "creditor_id")?),
        version: u32::try_from(version).map_err(|_| corrupt("version", version))?,
        algorithm: get(row, "algorithm")?,
        feature_set: get(row, "feature_set")?,
        horizon_days: u32::try_from(horizon).map_err(|_| corrupt("horizon_days", horizon))?,
        trained_at: get(row, "trained_at")?,
        trained_by: get(row, "trained_by")?,
        metrics: get(row, "metrics")?,
        active: get(row, "active")?,
    })
}

fn by_version(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    version: u32,
) -> StoreResult<Option<ModelInfo>> {
    let version = i32::try_from(version).unwrap_or(i32::MAX);
    client
        .query_opt(
            &format!("{INFO} WHERE creditor_id = $1 AND version = $2"),
            &[&creditor.0, &version],
        )
        .map_err(db_err("reading a model"))?
        .map(|r| info(&r))
        .transpose()
}

impl ScoringStore for PostgresStore {
    fn history_summaries(
        &self,
        creditor: CreditorId,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<(AccountId, History)>> {
        parts(&mut *self.conn()?, creditor, None, at)?.merge()
    }

    fn account_history(
        &self,
        creditor: CreditorId,
        account: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<History> {
        let merged = parts(&mut *self.conn()?, creditor, Some(account), at)?.merge()?;
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
        let later = format!("p.account_id = a.id AND p.paid_at >= $2 AND {COUNTED}");
        let sql = format!(
            "SELECT a.id, a.product, a.principal, a.instalment, a.tenor_months, a.opened_on,
                    a.first_due,
                    (a.total_outstanding
                       + COALESCE((SELECT SUM(p.amount - p.alloc_excess) FROM payments p
                                   WHERE {later}), 0))::bigint AS owed,
                    EXISTS (SELECT 1 FROM payments p WHERE {later}) AS later_payment,
                    (SELECT p.oldest_unpaid_due_before FROM payments p WHERE {later}
                     ORDER BY p.paid_at, p.id LIMIT 1) AS oldest_then,
                    a.oldest_unpaid_due,
                    COALESCE((SELECT SUM(p.amount) FROM payments p
                              WHERE {later} AND p.paid_at < $3), 0)::bigint AS paid_after
             FROM accounts a
             WHERE a.creditor_id = $1 AND a.opened_on < $4 AND a.id % 100 < $5
             ORDER BY a.id"
        );
        let percent = i64::from(sample_percent);
        let rows = query_all(
            &mut *self.conn()?,
            &sql,
            &[&creditor.0, &at, &horizon_end, &date, &percent],
            "reading past account states",
            |r| {
                let code: String = get(r, "product")?;
                let later_payment: bool = get(r, "later_payment")?;
                let oldest: Option<NaiveDate> = if later_payment {
                    get(r, "oldest_then")?
                } else {
                    get(r, "oldest_unpaid_due")?
                };
                let tenor: i32 = get(r, "tenor_months")?;
                Ok(TrainingState {
                    account: AccountId(get(r, "id")?),
                    state: AccountState {
                        product: ProductType::parse(&code)
                            .ok_or_else(|| corrupt("product", &code))?,
                        principal: Rupiah::new(get(r, "principal")?),
                        instalment: Rupiah::new(get(r, "instalment")?),
                        tenor_months: u32::try_from(tenor)
                            .map_err(|_| corrupt("tenor_months", tenor))?,
                        opened_on: get(r, "opened_on")?,
                        first_due: get(r, "first_due")?,
                        outstanding: Rupiah::new(get(r, "owed")?),
                        oldest_unpaid_due: oldest,
                    },
                    paid_after: Rupiah::new(get(r, "paid_after")?),
                })
            },
        )?;
        Ok(rows
            .into_iter()
            .filter(|t| t.state.outstanding.value() > 0)
            .collect())
    }

    fn save_model(&self, model: &NewModel, actor: &Actor) -> StoreResult<ModelInfo> {
        let context = "storing a model";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        // One writer per creditor at a time, so two trainings get different versions.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext('sepakat.model.' || ($1::bigint)::text))",
            &[&model.creditor.0],
        )
        .map_err(db_err(context))?;
        let version: i32 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM scoring_models WHERE creditor_id = $1",
                &[&model.creditor.0],
            )
            .map_err(db_err(context))?
            .get(0);
        tx.execute(
            "UPDATE scoring_models SET active = FALSE WHERE creditor_id = $1 AND active",
            &[&model.creditor.0],
        )
        .map_err(db_err(context))?;
        let horizon = i32::try_from(model.horizon_days).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO scoring_models (creditor_id, version, algorithm, feature_set,
                 horizon_days, trained_at, trained_by, metrics, artifact, active)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE)",
            &[
                &model.creditor.0,
                &version,
                &model.algorithm,
                &model.feature_set,
                &horizon,
                &model.trained_at,
                &actor.name,
                &model.metrics,
                &model.artifact,
            ],
        )
        .map_err(db_err(context))?;
        let stored = by_version(&mut tx, model.creditor, version.unsigned_abs())?
            .ok_or_else(|| StoreError::Other("the stored model vanished".into()))?;
        audit_entry(
            &mut tx,
            model.creditor,
            model.trained_at,
            actor,
            "model.trained",
            "model",
            stored.version,
            model_detail(&stored),
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(stored)
    }

    fn models(&self, creditor: CreditorId) -> StoreResult<Vec<ModelInfo>> {
        query_all(
            &mut *self.conn()?,
            &format!("{INFO} WHERE creditor_id = $1 ORDER BY version DESC"),
            &[&creditor.0],
            "reading models",
            info,
        )
    }

    fn active_model(&self, creditor: CreditorId) -> StoreResult<Option<(ModelInfo, String)>> {
        self.conn()?
            .query_opt(
                "SELECT creditor_id, version, algorithm, feature_set, horizon_days, trained_at,
                        trained_by, metrics, active, artifact
                 FROM scoring_models WHERE creditor_id = $1 AND active",
                &[&creditor.0],
            )
            .map_err(db_err("reading the active model"))?
            .map(|r| Ok((info(&r)?, get(&r, "artifact")?)))
            .transpose()
    }

    fn activate_model(
        &self,
        creditor: CreditorId,
        version: u32,
        at: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ModelInfo> {
        let context = "activating a model";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext('sepakat.model.' || ($1::bigint)::text))",
            &[&creditor.0],
        )
        .map_err(db_err(context))?;
        let found = by_version(&mut tx, creditor, version)?
            .ok_or_else(|| StoreError::NotFound(format!("model version {version}")))?;
        if found.active {
            return Ok(found);
        }
        let v = i32::try_from(version).unwrap_or(i32::MAX);
        // Two statements: the partial unique index on `active` is checked row by row.
        tx.execute(
            "UPDATE scoring_models SET active = FALSE WHERE creditor_id = $1 AND active",
            &[&creditor.0],
        )
        .map_err(db_err(context))?;
        tx.execute(
            "UPDATE scoring_models SET active = TRUE WHERE creditor_id = $1 AND version = $2",
            &[&creditor.0, &v],
        )
        .map_err(db_err(context))?;
        let stored = by_version(&mut tx, creditor, version)?
            .ok_or_else(|| StoreError::Other("the activated model vanished".into()))?;
        audit_entry(
            &mut tx,
            creditor,
            at,
            actor,
            "model.activated",
            "model",
            version,
            model_detail(&stored),
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(stored)
    }
}
