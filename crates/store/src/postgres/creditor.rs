//! Creditors (tenants): created by an admin, looked up by code or id.

use chrono::Utc;
use postgres::{Client, Row};
use sepakat_domain::Regime;

use super::audit;
use super::codec::{corrupt, get};
use super::db_err;
use crate::{
    Actor, Creditor, CreditorId, EntityRef, NewAudit, NewCreditor, StoreError, StoreResult,
};

/// Creates a creditor and audits it; `Conflict` on a duplicate code.
pub(super) fn create(
    client: &mut Client,
    new: &NewCreditor,
    actor: &Actor,
) -> StoreResult<Creditor> {
    let regime = serde_json::to_value(&new.regime)
        .map_err(|e| StoreError::Other(format!("encoding the regime: {e}")))?;
    let context = format!("creditor {}", new.code);
    let mut tx = client.transaction().map_err(db_err(&context))?;
    let row = tx
        .query_one(
            "INSERT INTO creditors (code, name, regime) VALUES ($1, $2, $3)
             RETURNING id, code, name, regime",
            &[&new.code, &new.name, &regime],
        )
        .map_err(db_err(&context))?;
    let creditor = decode(&row)?;
    audit::record(
        &mut tx,
        &NewAudit {
            creditor: Some(creditor.id),
            at: Utc::now(),
            actor: actor.clone(),
            action: "creditor.created".into(),
            entity: EntityRef::new("creditor", creditor.id),
            detail: serde_json::json!({ "code": new.code, "name": new.name, "regime": new.regime.name }),
        },
    )?;
    tx.commit().map_err(db_err(&context))?;
    Ok(creditor)
}

/// A creditor by code.
pub(super) fn by_code(client: &mut Client, code: &str) -> StoreResult<Option<Creditor>> {
    client
        .query_opt(
            "SELECT id, code, name, regime FROM creditors WHERE code = $1",
            &[&code],
        )
        .map_err(db_err("reading a creditor"))?
        .map(|row| decode(&row))
        .transpose()
}

/// A creditor by id.
pub(super) fn by_id(client: &mut Client, id: CreditorId) -> StoreResult<Option<Creditor>> {
    client
        .query_opt(
            "SELECT id, code, name, regime FROM creditors WHERE id = $1",
            &[&id.0],
        )
        .map_err(db_err("reading a creditor"))?
        .map(|row| decode(&row))
        .transpose()
}

/// All creditors, by code (byte order, as in SQLite).
pub(super) fn all(client: &mut Client) -> StoreResult<Vec<Creditor>> {
    client
        .query(
            "SELECT id, code, name, regime FROM creditors ORDER BY code COLLATE \"C\"",
            &[],
        )
        .map_err(db_err("listing creditors"))?
        .iter()
        .map(decode)
        .collect()
}

fn decode(row: &Row) -> StoreResult<Creditor> {
    let regime: serde_json::Value = get(row, "regime")?;
    let regime: Regime =
        serde_json::from_value(regime.clone()).map_err(|_| corrupt("regime", &regime))?;
    Ok(Creditor {
        id: CreditorId(get(row, "id")?),
        code: get(row, "code")?,
        name: get(row, "name")?,
        regime,
    })
}
