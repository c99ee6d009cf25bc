//! Users, their creditors, login bookkeeping, sessions and API tokens. Secrets are stored
//! only as hashes the caller computed.

use chrono::{DateTime, Utc};
use postgres::{Client, GenericClient, Row};

use super::audit;
use super::codec::{get, get_parsed, get_u32, parse_role};
use super::db_err;
use crate::{
    Actor, CreditorId, EntityRef, LoginAttempt, NewApiToken, NewAudit, NewSession, NewUser,
    Session, StoreError, StoreResult, User, UserCredentials, UserId,
};

/// Creates a user with its creditors and audits it; `Conflict` on a duplicate username.
pub(super) fn create(client: &mut Client, new: &NewUser, actor: &Actor) -> StoreResult<User> {
    if new.creditors.is_empty() {
        return Err(StoreError::Conflict(format!(
            "user {:?} must serve at least one creditor",
            new.username
        )));
    }
    let context = format!("user {}", new.username);
    let mut tx = client.transaction().map_err(db_err(&context))?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO users (username, full_name, role, password_hash)
             VALUES ($1, $2, $3, $4) RETURNING id",
            &[
                &new.username,
                &new.full_name,
                &new.role.code(),
                &new.password_hash,
            ],
        )
        .map_err(|e| match db_err(&context)(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("username {:?} is taken", new.username))
            }
            other => other,
        })
        .and_then(|row| get(&row, "id"))?;
    let mut creditors: Vec<i64> = new.creditors.iter().map(|c| c.0).collect();
    creditors.sort_unstable();
    creditors.dedup();
    let linked = tx
        .execute(
            "INSERT INTO user_creditors (user_id, creditor_id)
             SELECT $1, c.id FROM creditors c WHERE c.id = ANY($2)",
            &[&id, &creditors],
        )
        .map_err(db_err(&context))?;
    if linked != creditors.len() as u64 {
        return Err(StoreError::NotFound(format!(
            "a creditor of user {} does not exist",
            new.username
        )));
    }
    let user = User {
        id: UserId(id),
        username: new.username.clone(),
        full_name: new.full_name.clone(),
        role: new.role,
        creditors: creditors.iter().copied().map(CreditorId).collect(),
    };
    // A user may serve several creditors: the entry is system-wide, and `audit_trail`
    // shows it to each of them.
    audit::record(
        &mut tx,
        &NewAudit {
            creditor: None,
            at: Utc::now(),
            actor: actor.clone(),
            action: "user.created".into(),
            entity: EntityRef::new("user", id),
            detail: serde_json::json!({
                "username": new.username,
                "role": new.role.code(),
                "creditors": creditors,
            }),
        },
    )?;
    tx.commit().map_err(db_err(&context))?;
    Ok(user)
}

/// A user by id, with creditors.
pub(super) fn by_id(client: &mut impl GenericClient, id: UserId) -> StoreResult<Option<User>> {
    let row = client
        .query_opt(
            "SELECT u.id, u.username, u.full_name, u.role,
                    ARRAY(SELECT uc.creditor_id FROM user_creditors uc
                          WHERE uc.user_id = u.id ORDER BY uc.creditor_id) AS creditors
             FROM users u WHERE u.id = $1",
            &[&id.0],
        )
        .map_err(db_err("reading a user"))?;
    row.map(|r| decode_user(&r)).transpose()
}

/// A user with login secrets, by username.
pub(super) fn credentials(
    client: &mut Client,
    username: &str,
) -> StoreResult<Option<UserCredentials>> {
    let row = client
        .query_opt(
            "SELECT u.id, u.username, u.full_name, u.role, u.password_hash,
                    u.failed_attempts, u.locked_until,
                    ARRAY(SELECT uc.creditor_id FROM user_creditors uc
                          WHERE uc.user_id = u.id ORDER BY uc.creditor_id) AS creditors
             FROM users u WHERE u.username = $1",
            &[&username],
        )
        .map_err(db_err("reading user credentials"))?;
    row.map(|r| {
        Ok(UserCredentials {
            user: decode_user(&r)?,
            password_hash: get(&r, "password_hash")?,
            failed_attempts: get_u32(&r, "failed_attempts")?,
            locked_until: get(&r, "locked_until")?,
        })
    })
    .transpose()
}

/// Records a login attempt and audits it against each of the user's creditors.
pub(super) fn record_login(
    client: &mut Client,
    user: UserId,
    attempt: &LoginAttempt,
) -> StoreResult<()> {
    let context = format!("login of user {user}");
    let mut tx = client.transaction().map_err(db_err(&context))?;
    let row = if attempt.success {
        tx.query_opt(
            "UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = $2
             WHERE id = $1 RETURNING username, failed_attempts",
            &[&user.0, &attempt.at],
        )
    } else {
        tx.query_opt(
            "UPDATE users SET failed_attempts = failed_attempts + 1,
                              locked_until = COALESCE($2, locked_until)
             WHERE id = $1 RETURNING username, failed_attempts",
            &[&user.0, &attempt.lock_until],
        )
    }
    .map_err(db_err(&context))?
    .ok_or_else(|| StoreError::NotFound(format!("user {user}")))?;
    let username: String = get(&row, "username")?;
    let failed = get_u32(&row, "failed_attempts")?;
    let action = if attempt.success {
        "login.succeeded"
    } else {
        "login.failed"
    };
    let detail = serde_json::json!({
        "remote": attempt.remote,
        "failed_attempts": failed,
        "locked_until": attempt.lock_until,
    });
    // A login is a system-wide event (no creditor); `audit_trail` shows it to each
    // creditor the user serves.
    audit::record(
        &mut tx,
        &NewAudit {
            creditor: None,
            at: attempt.at,
            actor: Actor::user(user, &username),
            action: action.into(),
            entity: EntityRef::new("user", user),
            detail,
        },
    )?;
    tx.commit().map_err(db_err(&context))
}

/// Stores a session.
pub(super) fn create_session(client: &mut Client, session: &NewSession) -> StoreResult<()> {
    client
        .execute(
            "INSERT INTO sessions (token_hash, user_id, creditor_id, csrf_token, created_at,
                                   expires_at)
             SELECT $1, $2, $3, $4, $5, $6
             WHERE EXISTS (SELECT 1 FROM user_creditors WHERE user_id = $2 AND creditor_id = $3)",
            &[
                &session.token_hash,
                &session.user.0,
                &session.creditor.0,
                &session.csrf_token,
                &session.created_at,
                &session.expires_at,
            ],
        )
        .map_err(db_err("creating a session"))
        .and_then(|n| {
            if n == 1 {
                Ok(())
            } else {
                Err(StoreError::NotFound(format!(
                    "user {} does not work for creditor {}",
                    session.user, session.creditor
                )))
            }
        })
}

/// The live session for a token hash.
pub(super) fn session(
    client: &mut Client,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<Session>> {
    let row = client
        .query_opt(
            "SELECT user_id, creditor_id, csrf_token, expires_at FROM sessions
             WHERE token_hash = $1 AND expires_at > $2",
            &[&token_hash, &now],
        )
        .map_err(db_err("reading a session"))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let Some(user) = by_id(client, UserId(get(&row, "user_id")?))? else {
        return Ok(None);
    };
    Ok(Some(Session {
        user,
        creditor: CreditorId(get(&row, "creditor_id")?),
        csrf_token: get(&row, "csrf_token")?,
        expires_at: get(&row, "expires_at")?,
    }))
}

/// Ends a session (no error if it is already gone).
pub(super) fn delete_session(client: &mut Client, token_hash: &str) -> StoreResult<()> {
    client
        .execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])
        .map_err(db_err("deleting a session"))?;
    Ok(())
}

/// Stores an API token and audits it.
pub(super) fn create_api_token(
    client: &mut Client,
    token: &NewApiToken,
    actor: &Actor,
) -> StoreResult<()> {
    let context = format!("API token for user {}", token.user);
    let mut tx = client.transaction().map_err(db_err(&context))?;
    tx.execute(
        "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4)",
        &[
            &token.token_hash,
            &token.user.0,
            &token.label,
            &token.created_at,
        ],
    )
    .map_err(|e| {
        if e.code() == Some(&postgres::error::SqlState::FOREIGN_KEY_VIOLATION) {
            StoreError::NotFound(format!("user {}", token.user))
        } else {
            db_err(&context)(e)
        }
    })?;
    // Like a login, a token belongs to the user, not to one creditor.
    audit::record(
        &mut tx,
        &NewAudit {
            creditor: None,
            at: token.created_at,
            actor: actor.clone(),
            action: "api_token.created".into(),
            entity: EntityRef::new("user", token.user),
            detail: serde_json::json!({ "label": token.label }),
        },
    )?;
    tx.commit().map_err(db_err(&context))
}

/// The owner of an API token.
pub(super) fn by_api_token(client: &mut Client, token_hash: &str) -> StoreResult<Option<User>> {
    let row = client
        .query_opt(
            "SELECT user_id FROM api_tokens WHERE token_hash = $1",
            &[&token_hash],
        )
        .map_err(db_err("reading an API token"))?;
    match row {
        Some(row) => by_id(client, UserId(get(&row, "user_id")?)),
        None => Ok(None),
    }
}

fn decode_user(row: &Row) -> StoreResult<User> {
    let creditors: Vec<i64> = get(row, "creditors")?;
    Ok(User {
        id: UserId(get(row, "id")?),
        username: get(row, "username")?,
        full_name: get(row, "full_name")?,
        role: get_parsed(row, "role", parse_role)?,
        creditors: creditors.into_iter().map(CreditorId).collect(),
    })
}
