//! The audit trail: append-only entries, written in the same transaction as the change
//! they describe, read newest first per entity.

use postgres::{Client, GenericClient};

use super::codec::get;
use super::db_err;
use crate::{Actor, AuditEntry, CreditorId, EntityRef, NewAudit, StoreError, StoreResult, UserId};

/// Appends an entry (inside the caller's transaction when given one).
pub(super) fn record(client: &mut impl GenericClient, entry: &NewAudit) -> StoreResult<()> {
    client
        .execute(
            "INSERT INTO audit_log
                 (creditor_id, at, actor_user, actor_name, action, entity_kind, entity_id, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &entry.creditor.map(|c| c.0),
                &entry.at,
                &entry.actor.user.map(|u| u.0),
                &entry.actor.name,
                &entry.action,
                &entry.entity.kind,
                &entry.entity.id,
                &entry.detail,
            ],
        )
        .map_err(db_err("writing an audit entry"))?;
    Ok(())
}

/// Entries about one entity of one creditor, newest first.
pub(super) fn trail(
    client: &mut Client,
    creditor: CreditorId,
    entity: &EntityRef,
    limit: u32,
) -> StoreResult<Vec<AuditEntry>> {
    let limit = i64::from(limit);
    let rows = client
        .query(
            "SELECT id, creditor_id, at, actor_user, actor_name, action, entity_kind,
                    entity_id, detail
             FROM audit_log
             WHERE entity_kind = $2 AND entity_id = $3
               AND (creditor_id = $1
                    -- System-wide entries about a user (logins) belong to the trails of
                    -- the creditors that user serves.
                    OR (creditor_id IS NULL AND entity_kind = 'user' AND EXISTS (
                        SELECT 1 FROM user_creditors uc
                        WHERE uc.creditor_id = $1 AND uc.user_id::text = entity_id)))
             ORDER BY id DESC
             LIMIT $4",
            &[&creditor.0, &entity.kind, &entity.id, &limit],
        )
        .map_err(db_err("reading the audit trail"))?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                id: get(row, "id")?,
                entry: NewAudit {
                    creditor: get::<Option<i64>>(row, "creditor_id")?.map(CreditorId),
                    at: get(row, "at")?,
                    actor: Actor {
                        user: get::<Option<i64>>(row, "actor_user")?.map(UserId),
                        name: get(row, "actor_name")?,
                    },
                    action: get(row, "action")?,
                    entity: EntityRef {
                        kind: get(row, "entity_kind")?,
                        id: get(row, "entity_id")?,
                    },
                    detail: get(row, "detail")?,
                },
            })
        })
        .collect::<Result<_, StoreError>>()
}
