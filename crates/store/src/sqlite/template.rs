//! A creditor's templates on SQLite (`templates`, `template_versions`, migration 0011);
//! the rules are in `crate::template`. Every write runs in the store's one `BEGIN
//! IMMEDIATE` transaction, so version numbers never collide.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use sepakat_domain::compliance::Channel;
use sepakat_domain::template::Stage;
use sepakat_domain::Guard;

use super::codec::{corrupt, instant, role, to_instant};
use super::collection::{audit_entry, collect};
use super::SqliteStore;
use crate::template::{
    audit_detail, check_decision, check_new, check_review, check_submit, decision_codes,
    stored_note, stored_subject, summarise,
};
use crate::*;

const SELECT: &str = "SELECT v.id, v.template_id, t.stage, t.channel, v.version, v.subject,
        v.body, v.note, v.author, v.created_at, v.status, v.submitted_at, v.decided_by,
        v.decided_at, v.reason
    FROM template_versions v JOIN templates t ON t.id = v.template_id";

fn stage(code: String) -> StoreResult<Stage> {
    Stage::parse(&code).map_err(|_| corrupt("template stage", &code))
}

fn channel(code: String) -> StoreResult<Channel> {
    Channel::parse(&code).map_err(|_| corrupt("channel", &code))
}

fn version(row: &Row) -> StoreResult<TemplateVersion> {
    let status: String = row.get(10)?;
    let opt = |i: usize| -> StoreResult<Option<DateTime<Utc>>> {
        row.get::<_, Option<i64>>(i)?.map(to_instant).transpose()
    };
    Ok(TemplateVersion {
        id: TemplateVersionId(row.get(0)?),
        template: TemplateId(row.get(1)?),
        stage: stage(row.get(2)?)?,
        channel: channel(row.get(3)?)?,
        version: u32::try_from(row.get::<_, i64>(4)?).map_err(|e| corrupt("version", e))?,
        subject: row.get(5)?,
        body: row.get(6)?,
        note: row.get(7)?,
        author: UserId(row.get(8)?),
        created_at: to_instant(row.get(9)?)?,
        status: TemplateStatus::parse(&status)
            .ok_or_else(|| corrupt("template status", &status))?,
        submitted_at: opt(11)?,
        decided_by: row.get::<_, Option<i64>>(12)?.map(UserId),
        decided_at: opt(13)?,
        reason: row.get(14)?,
    })
}

fn template_row(row: &Row) -> StoreResult<Template> {
    Ok(Template {
        id: TemplateId(row.get(0)?),
        creditor: CreditorId(row.get(1)?),
        stage: stage(row.get(2)?)?,
        channel: channel(row.get(3)?)?,
        created_at: to_instant(row.get(4)?)?,
    })
}

fn by_id(
    conn: &Connection,
    creditor: CreditorId,
    id: TemplateVersionId,
) -> StoreResult<TemplateVersion> {
    conn.prepare_cached(&format!("{SELECT} WHERE v.id = ?1 AND v.creditor_id = ?2"))?
        .query_row(params![id.0, creditor.0], |row| Ok(version(row)))
        .optional()?
        .transpose()?
        .ok_or_else(|| StoreError::NotFound(format!("template version {id}")))
}

fn submit(
    tx: &Transaction,
    creditor: CreditorId,
    found: &TemplateVersion,
    guard: &Guard,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<TemplateVersion> {
    check_submit(found, actor)?;
    check_review(found, guard, now)?;
    tx.prepare_cached(
        "UPDATE template_versions SET status = 'pending', submitted_at = ?2
         WHERE id = ?1 AND status = 'draft'",
    )?
    .execute(params![found.id.0, instant(now)])?;
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "template.submitted",
        "template",
        found.template,
        audit_detail(found, None),
    )?;
    by_id(tx, creditor, found.id)
}

fn add(
    tx: &Transaction,
    creditor: CreditorId,
    new: &NewTemplateVersion,
    guard: Option<&Guard>,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<TemplateVersion> {
    let author = check_new(new, actor)?;
    let known: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM creditors WHERE id = ?1)")?
        .query_row([creditor.0], |r| r.get(0))?;
    if !known {
        return Err(StoreError::NotFound(format!("creditor {creditor}")));
    }
    tx.prepare_cached(
        "INSERT INTO templates (creditor_id, stage, channel, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (creditor_id, stage, channel) DO NOTHING",
    )?
    .execute(params![
        creditor.0,
        new.stage.code(),
        new.channel.code(),
        instant(now)
    ])?;
    let template: i64 = tx
        .prepare_cached(
            "SELECT id FROM templates WHERE creditor_id = ?1 AND stage = ?2 AND channel = ?3",
        )?
        .query_row(
            params![creditor.0, new.stage.code(), new.channel.code()],
            |r| r.get(0),
        )?;
    let number: i64 = tx
        .prepare_cached(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM template_versions WHERE template_id = ?1",
        )?
        .query_row([template], |r| r.get(0))?;
    tx.prepare_cached(
        "INSERT INTO template_versions (creditor_id, template_id, version, subject, body, note,
             author, created_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'draft')",
    )?
    .execute(params![
        creditor.0,
        template,
        number,
        stored_subject(new),
        new.body,
        stored_note(new),
        author.0,
        instant(now)
    ])?;
    let id = TemplateVersionId(tx.last_insert_rowid());
    let written = by_id(tx, creditor, id)?;
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "template.drafted",
        "template",
        template,
        audit_detail(&written, None),
    )?;
    match guard {
        Some(guard) => submit(tx, creditor, &written, guard, now, actor),
        None => Ok(written),
    }
}

#[allow(clippy::too_many_arguments)]
fn decide(
    tx: &Transaction,
    creditor: CreditorId,
    id: TemplateVersionId,
    approve: bool,
    reason: &str,
    guard: &Guard,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<TemplateVersion> {
    let found = by_id(tx, creditor, id)?;
    let decider_role = match actor.user {
        Some(user) => tx
            .prepare_cached("SELECT role FROM users WHERE id = ?1")?
            .query_row([user.0], |r| r.get::<_, String>(0))
            .optional()?
            .map(|code| role(&code))
            .transpose()?,
        None => None,
    };
    let decider = check_decision(&found, decider_role, approve, reason, actor)?;
    if approve {
        check_review(&found, guard, now)?;
    }
    let (status, action) = decision_codes(approve);
    let reason = Some(reason.trim()).filter(|r| !r.is_empty());
    tx.prepare_cached(
        "UPDATE template_versions SET status = ?2, decided_by = ?3, decided_at = ?4, reason = ?5
         WHERE id = ?1 AND status = 'pending'",
    )?
    .execute(params![
        id.0,
        status.code(),
        decider.0,
        instant(now),
        reason
    ])?;
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        action,
        "template",
        found.template,
        audit_detail(&found, reason),
    )?;
    by_id(tx, creditor, id)
}

impl TemplateStore for SqliteStore {
    fn add_template_version(
        &self,
        creditor: CreditorId,
        new: &NewTemplateVersion,
        submit: Option<&Guard>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TemplateVersion> {
        self.write(|tx| add(tx, creditor, new, submit, now, actor))
    }

    fn submit_template_version(
        &self,
        creditor: CreditorId,
        version: TemplateVersionId,
        guard: &Guard,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TemplateVersion> {
        self.write(|tx| {
            let found = by_id(tx, creditor, version)?;
            submit(tx, creditor, &found, guard, now, actor)
        })
    }

    fn decide_template_version(
        &self,
        creditor: CreditorId,
        version: TemplateVersionId,
        approve: bool,
        reason: &str,
        guard: &Guard,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TemplateVersion> {
        self.write(|tx| decide(tx, creditor, version, approve, reason, guard, now, actor))
    }

    fn templates(&self, creditor: CreditorId) -> StoreResult<Vec<TemplateSummary>> {
        self.read(|c| {
            let templates = collect(
                c,
                "SELECT id, creditor_id, stage, channel, created_at FROM templates
                 WHERE creditor_id = ?1 ORDER BY stage, channel",
                params![creditor.0],
                template_row,
            )?;
            let versions = collect(
                c,
                &format!("{SELECT} WHERE v.creditor_id = ?1 ORDER BY v.id"),
                params![creditor.0],
                version,
            )?;
            Ok(summarise(templates, versions))
        })
    }

    fn template(
        &self,
        creditor: CreditorId,
        id: TemplateId,
    ) -> StoreResult<Option<(Template, Vec<TemplateVersion>)>> {
        self.read(|c| {
            let Some(template) = c
                .prepare_cached(
                    "SELECT id, creditor_id, stage, channel, created_at FROM templates
                     WHERE id = ?1 AND creditor_id = ?2",
                )?
                .query_row(params![id.0, creditor.0], |row| Ok(template_row(row)))
                .optional()?
                .transpose()?
            else {
                return Ok(None);
            };
            let versions = collect(
                c,
                &format!(
                    "{SELECT} WHERE v.template_id = ?1 AND v.creditor_id = ?2
                     ORDER BY v.version DESC"
                ),
                params![id.0, creditor.0],
                version,
            )?;
            Ok(Some((template, versions)))
        })
    }

    fn template_version(
        &self,
        creditor: CreditorId,
        id: TemplateVersionId,
    ) -> StoreResult<Option<TemplateVersion>> {
        self.read(|c| match by_id(c, creditor, id) {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn template_in_force(
        &self,
        creditor: CreditorId,
        stage: Stage,
        channel: Channel,
    ) -> StoreResult<Option<TemplateVersion>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "{SELECT} WHERE v.creditor_id = ?1 AND t.stage = ?2 AND t.channel = ?3
                   AND v.status = 'approved'
                 ORDER BY v.version DESC LIMIT 1"
            ))?
            .query_row(params![creditor.0, stage.code(), channel.code()], |row| {
                Ok(version(row))
            })
            .optional()?
            .transpose()
        })
    }
}
