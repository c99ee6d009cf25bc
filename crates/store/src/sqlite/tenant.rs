//! Creditors (tenants), users, login attempts, sessions and API tokens.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::json;

use super::audit;
use super::codec::{instant, regime, role, to_instant};
use crate::{
    Actor, Creditor, CreditorId, EntityRef, LoginAttempt, NewApiToken, NewAudit, NewCreditor,
    NewSession, NewUser, Session, StoreError, StoreResult, User, UserCredentials, UserId,
};

const CREDITOR_COLUMNS: &str = "id, code, name, regime_name, regime_upper_1, regime_upper_2, \
                                regime_upper_3, regime_upper_4";

fn decode_creditor(row: &Row) -> StoreResult<Creditor> {
    Ok(Creditor {
        id: CreditorId(row.get(0)?),
        code: row.get(1)?,
        name: row.get(2)?,
        regime: regime(
            row.get(3)?,
            [row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?],
        )?,
    })
}

/// Inserts a creditor and audits it.
pub(crate) fn create_creditor(
    tx: &Connection,
    new: &NewCreditor,
    actor: &Actor,
) -> StoreResult<Creditor> {
    let u = new.regime.upper_dpd;
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO creditors (code, name, regime_name, regime_upper_1, regime_upper_2,
                                    regime_upper_3, regime_upper_4)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        )?
        .query_row(
            params![new.code, new.name, new.regime.name, u[0], u[1], u[2], u[3]],
            |r| r.get(0),
        )
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("creditor code {:?} is taken", new.code))
            }
            other => other,
        })?;
    let creditor = Creditor {
        id: CreditorId(id),
        code: new.code.clone(),
        name: new.name.clone(),
        regime: new.regime.clone(),
    };
    audit::write(
        tx,
        &NewAudit {
            creditor: Some(creditor.id),
            // The trait passes no clock here; the audit records when the row was written.
            at: Utc::now(),
            actor: actor.clone(),
            action: "creditor.created".into(),
            entity: EntityRef::new("creditor", id),
            detail: json!({ "code": new.code, "name": new.name, "regime": new.regime.name }),
        },
    )?;
    Ok(creditor)
}

/// A creditor by code.
pub(crate) fn creditor_by_code(conn: &Connection, code: &str) -> StoreResult<Option<Creditor>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CREDITOR_COLUMNS} FROM creditors WHERE code = ?1"
    ))?;
    let mut rows = stmt.query([code])?;
    rows.next()?.map(decode_creditor).transpose()
}

/// A creditor by id.
pub(crate) fn creditor(conn: &Connection, id: CreditorId) -> StoreResult<Option<Creditor>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CREDITOR_COLUMNS} FROM creditors WHERE id = ?1"
    ))?;
    let mut rows = stmt.query([id.0])?;
    rows.next()?.map(decode_creditor).transpose()
}

/// All creditors by code.
pub(crate) fn creditors(conn: &Connection) -> StoreResult<Vec<Creditor>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CREDITOR_COLUMNS} FROM creditors ORDER BY code"
    ))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(decode_creditor(row)?);
    }
    Ok(out)
}

/// Inserts a user with its creditors and audits it.
pub(crate) fn create_user(tx: &Connection, new: &NewUser, actor: &Actor) -> StoreResult<User> {
    let mut creditors = new.creditors.clone();
    creditors.sort();
    creditors.dedup();
    if creditors.is_empty() {
        return Err(StoreError::Conflict(format!(
            "user {:?} must serve at least one creditor",
            new.username
        )));
    }
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO users (username, full_name, role, password_hash)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
        )?
        .query_row(
            params![
                new.username,
                new.full_name,
                new.role.code(),
                new.password_hash
            ],
            |r| r.get(0),
        )
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("username {:?} is taken", new.username))
            }
            other => other,
        })?;
    let mut link =
        tx.prepare_cached("INSERT INTO user_creditors (user_id, creditor_id) VALUES (?1, ?2)")?;
    for creditor in &creditors {
        link.execute([id, creditor.0])
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => StoreError::NotFound(format!("creditor {creditor}")),
                other => other,
            })?;
    }
    audit::write(
        tx,
        &NewAudit {
            creditor: None,
            at: Utc::now(),
            actor: actor.clone(),
            action: "user.created".into(),
            entity: EntityRef::new("user", id),
            detail: json!({
                "username": new.username,
                "role": new.role.code(),
                "creditors": creditors.iter().map(|c| c.0).collect::<Vec<_>>(),
            }),
        },
    )?;
    Ok(User {
        id: UserId(id),
        username: new.username.clone(),
        full_name: new.full_name.clone(),
        role: new.role,
        creditors,
    })
}

fn user_creditors(conn: &Connection, user: i64) -> StoreResult<Vec<CreditorId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT creditor_id FROM user_creditors WHERE user_id = ?1 ORDER BY creditor_id",
    )?;
    let ids = stmt
        .query_map([user], |r| r.get(0).map(CreditorId))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ids)
}

/// A user by id.
pub(crate) fn user(conn: &Connection, id: UserId) -> StoreResult<Option<User>> {
    let found: Option<(String, String, String)> = conn
        .prepare_cached("SELECT username, full_name, role FROM users WHERE id = ?1")?
        .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((username, full_name, role_code)) = found else {
        return Ok(None);
    };
    Ok(Some(User {
        id,
        username,
        full_name,
        role: role(&role_code)?,
        creditors: user_creditors(conn, id.0)?,
    }))
}

/// A user with password hash and lock-out state.
pub(crate) fn user_credentials(
    conn: &Connection,
    username: &str,
) -> StoreResult<Option<UserCredentials>> {
    type Raw = (i64, String, String, String, i64, Option<i64>);
    let found: Option<Raw> = conn
        .prepare_cached(
            "SELECT id, full_name, role, password_hash, failed_attempts, locked_until
             FROM users WHERE username = ?1",
        )?
        .query_row([username], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .optional()?;
    let Some((id, full_name, role_code, password_hash, failed, locked)) = found else {
        return Ok(None);
    };
    Ok(Some(UserCredentials {
        user: User {
            id: UserId(id),
            username: username.to_string(),
            full_name,
            role: role(&role_code)?,
            creditors: user_creditors(conn, id)?,
        },
        password_hash,
        failed_attempts: u32::try_from(failed).unwrap_or(u32::MAX),
        locked_until: locked.map(to_instant).transpose()?,
    }))
}

/// Updates the failure count and lock, and audits the attempt (system-wide entry).
pub(crate) fn record_login(
    tx: &Connection,
    user: UserId,
    attempt: &LoginAttempt,
) -> StoreResult<()> {
    let updated: Option<(String, i64)> = tx
        .prepare_cached(
            "UPDATE users
             SET failed_attempts = CASE WHEN ?2 THEN 0 ELSE failed_attempts + 1 END,
                 locked_until = CASE WHEN ?2 THEN NULL ELSE COALESCE(?3, locked_until) END
             WHERE id = ?1
             RETURNING username, failed_attempts",
        )?
        .query_row(
            params![user.0, attempt.success, attempt.lock_until.map(instant)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((username, failed)) = updated else {
        return Err(StoreError::NotFound(format!("user {user}")));
    };
    audit::write(
        tx,
        &NewAudit {
            creditor: None,
            at: attempt.at,
            actor: Actor::user(user, &username),
            action: if attempt.success {
                "login.succeeded"
            } else {
                "login.failed"
            }
            .into(),
            entity: EntityRef::new("user", user),
            detail: json!({
                "remote": attempt.remote,
                "failed_attempts": failed,
                "locked_until": attempt.lock_until,
            }),
        },
    )
}

/// Stores a session for a user and a creditor that user serves.
pub(crate) fn create_session(tx: &Connection, session: &NewSession) -> StoreResult<()> {
    let inserted = tx
        .prepare_cached(
            "INSERT INTO sessions (token_hash, user_id, creditor_id, csrf_token, created_at,
                                   expires_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6
             WHERE EXISTS (SELECT 1 FROM user_creditors WHERE user_id = ?2 AND creditor_id = ?3)",
        )?
        .execute(params![
            session.token_hash,
            session.user.0,
            session.creditor.0,
            session.csrf_token,
            instant(session.created_at),
            instant(session.expires_at),
        ])
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict("session token is taken".into()),
            other => other,
        })?;
    if inserted == 0 {
        return Err(StoreError::NotFound(format!(
            "user {} serving creditor {}",
            session.user, session.creditor
        )));
    }
    Ok(())
}

/// A live session.
pub(crate) fn session(
    conn: &Connection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<Session>> {
    let found: Option<(i64, i64, String, i64)> = conn
        .prepare_cached(
            "SELECT user_id, creditor_id, csrf_token, expires_at FROM sessions
             WHERE token_hash = ?1 AND expires_at > ?2",
        )?
        .query_row(params![token_hash, instant(now)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((user_id, creditor, csrf_token, expires)) = found else {
        return Ok(None);
    };
    let Some(user) = user(conn, UserId(user_id))? else {
        return Ok(None);
    };
    let creditor = CreditorId(creditor);
    if !user.creditors.contains(&creditor) {
        return Ok(None);
    }
    Ok(Some(Session {
        user,
        creditor,
        csrf_token,
        expires_at: to_instant(expires)?,
    }))
}

/// Deletes a session (no error if absent).
pub(crate) fn delete_session(tx: &Connection, token_hash: &str) -> StoreResult<()> {
    tx.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
        .execute([token_hash])?;
    Ok(())
}

/// Stores an API token hash and audits it.
pub(crate) fn create_api_token(
    tx: &Connection,
    token: &NewApiToken,
    actor: &Actor,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        token.token_hash,
        token.user.0,
        token.label,
        instant(token.created_at)
    ])
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(m) if m.contains("FOREIGN KEY") => {
            StoreError::NotFound(format!("user {}", token.user))
        }
        StoreError::Conflict(_) => StoreError::Conflict("API token is taken".into()),
        other => other,
    })?;
    audit::write(
        tx,
        &NewAudit {
            creditor: None,
            at: token.created_at,
            actor: actor.clone(),
            action: "api_token.created".into(),
            entity: EntityRef::new("user", token.user),
            detail: json!({ "label": token.label }),
        },
    )
}

/// The owner of an API token hash.
pub(crate) fn user_by_api_token(conn: &Connection, token_hash: &str) -> StoreResult<Option<User>> {
    let owner: Option<i64> = conn
        .prepare_cached("SELECT user_id FROM api_tokens WHERE token_hash = ?1")?
        .query_row([token_hash], |r| r.get(0))
        .optional()?;
    match owner {
        Some(id) => user(conn, UserId(id)),
        None => Ok(None),
    }
}
