//! The audit log: append-only entries written in the same transaction as the change they
//! record, and read back per entity and creditor.

use rusqlite::{params, Connection, Row};
use sepakat_domain::{Nik, Phone};
use serde_json::Value;

use super::codec::{instant, to_instant};
use crate::{Actor, AuditEntry, CreditorId, EntityRef, NewAudit, StoreResult, UserId};

/// Appends an entry. As a backstop for UU PDP, any string value in the detail that is a
/// whole NIK or phone number is stored masked.
pub(crate) fn write(conn: &Connection, entry: &NewAudit) -> StoreResult<()> {
    let detail = serde_json::to_string(&masked(&entry.detail))
        .map_err(|e| crate::StoreError::Other(format!("sqlite: audit detail: {e}")))?;
    conn.prepare_cached(
        "INSERT INTO audit_log (creditor_id, at, actor_user, actor_name, action, entity_kind,
                                entity_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        entry.creditor.map(|c| c.0),
        instant(entry.at),
        entry.actor.user.map(|u| u.0),
        entry.actor.name,
        entry.action,
        entry.entity.kind,
        entry.entity.id,
        detail,
    ])?;
    Ok(())
}

/// A copy of `value` with whole-NIK and whole-phone strings masked.
fn masked(value: &Value) -> Value {
    match value {
        Value::String(text) => {
            let digits = text.bytes().filter(u8::is_ascii_digit).count();
            if digits < 7 {
                return value.clone();
            }
            if let Ok(nik) = Nik::parse(text) {
                Value::String(nik.masked())
            } else if let Ok(phone) = Phone::parse(text) {
                Value::String(phone.masked())
            } else {
                value.clone()
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(masked).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| (key.clone(), masked(item)))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// Entries about `entity` for `creditor`, newest first. Creditor-less (system-wide)
/// entries about a user, such as logins, belong to the trail of every creditor that user
/// serves.
pub(crate) fn trail(
    conn: &Connection,
    creditor: CreditorId,
    entity: &EntityRef,
    limit: u32,
) -> StoreResult<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, creditor_id, at, actor_user, actor_name, action, entity_kind, entity_id,
                detail
         FROM audit_log
         WHERE entity_kind = ?2 AND entity_id = ?3
           AND (creditor_id = ?1
                OR (creditor_id IS NULL AND entity_kind = 'user'
                    AND EXISTS (SELECT 1 FROM user_creditors uc
                                WHERE uc.creditor_id = ?1
                                  AND uc.user_id = CAST(?3 AS INTEGER))))
         ORDER BY id DESC
         LIMIT ?4",
    )?;
    let mut rows = stmt.query(params![creditor.0, entity.kind, entity.id, limit])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(decode(row)?);
    }
    Ok(out)
}

fn decode(row: &Row) -> StoreResult<AuditEntry> {
    let detail: String = row.get(8)?;
    Ok(AuditEntry {
        id: row.get(0)?,
        entry: NewAudit {
            creditor: row.get::<_, Option<i64>>(1)?.map(CreditorId),
            at: to_instant(row.get(2)?)?,
            actor: Actor {
                user: row.get::<_, Option<i64>>(3)?.map(UserId),
                name: row.get(4)?,
            },
            action: row.get(5)?,
            entity: EntityRef {
                kind: row.get(6)?,
                id: row.get(7)?,
            },
            detail: serde_json::from_str(&detail)
                .map_err(|_| super::codec::corrupt("audit detail", detail))?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_whole_nik_and_phone_strings_anywhere_in_the_detail() {
        let detail = serde_json::json!({
            "nik": "3201014501900001",
            "contacts": ["0812-3456-7890", "REF-2026-11-24"],
            "nested": { "phone": "+62 812 3456 7890", "amount": 50000 },
            "account_no": "ACC-001",
        });
        let text = masked(&detail).to_string();
        assert!(!text.contains("3201014501900001"), "{text}");
        assert!(!text.contains("3456"), "{text}");
        assert!(text.contains("3201********0001"), "{text}");
        assert!(text.contains("REF-2026-11-24"), "{text}");
        assert!(text.contains("ACC-001"), "{text}");
        assert!(text.contains("50000"), "{text}");
    }
}
