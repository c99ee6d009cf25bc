//! A creditor's templates on PostgreSQL (`templates`, `template_versions`, migration
//! 0011); the rules are in `crate::template`. Writing a version locks its template row
//! (the upsert's `ON CONFLICT DO UPDATE`), so two authors never take the same number; a
//! decision locks the version row (`FOR UPDATE`), so it is decided once.

use ::postgres::{GenericClient, Row, Transaction};
use chrono::{DateTime, Utc};
use sepakat_domain::compliance::Channel;
use sepakat_domain::template::Stage;
use sepakat_domain::Guard;

use super::codec::{corrupt, get, get_u32, parse_role};
use super::collection::{audit_entry, query_all};
use super::{db_err, PostgresStore};
use crate::template::{
    audit_detail, check_decision, check_new, check_review, check_submit, decision_codes,
    stored_note, stored_subject, summarise,
};
use crate::*;

const SELECT: &str = "SELECT v.id, v.template_id, t.stage, t.channel, v.version, v.subject,
        v.body, v.note, v.author, v.created_at, v.status, v.submitted_at, v.decided_by,
        v.decided_at, v.reason
    FROM template_versions v JOIN templates t ON t.id = v.template_id";

const TEMPLATE_COLUMNS: &str = "id, creditor_id, stage, channel, created_at";

fn stage(row: &Row) -> StoreResult<Stage> {
    let code: String = get(row, "stage")?;
    Stage::parse(&code).map_err(|_| corrupt("stage", &code))
}

fn channel(row: &Row) -> StoreResult<Channel> {
    let code: String = get(row, "channel")?;
    Channel::parse(&code).map_err(|_| corrupt("channel", &code))
}

fn version(row: &Row) -> StoreResult<TemplateVersion> {
    let status: String = get(row, "status")?;
    Ok(TemplateVersion {
        id: TemplateVersionId(get(row, "id")?),
        template: TemplateId(get(row, "template_id")?),
        stage: stage(row)?,
        channel: channel(row)?,
        version: get_u32(row, "version")?,
        subject: get(row, "subject")?,
        body: get(row, "body")?,
        note: get(row, "note")?,
        author: UserId(get(row, "author")?),
        created_at: get(row, "created_at")?,
        status: TemplateStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        submitted_at: get(row, "submitted_at")?,
        decided_by: get::<Option<i64>>(row, "decided_by")?.map(UserId),
        decided_at: get(row, "decided_at")?,
        reason: get(row, "reason")?,
    })
}

fn template_row(row: &Row) -> StoreResult<Template> {
    Ok(Template {
        id: TemplateId(get(row, "id")?),
        creditor: CreditorId(get(row, "creditor_id")?),
        stage: stage(row)?,
        channel: channel(row)?,
        created_at: get(row, "created_at")?,
    })
}

fn by_id(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    id: TemplateVersionId,
    lock: bool,
) -> StoreResult<TemplateVersion> {
    let lock = if lock { " FOR UPDATE OF v" } else { "" };
    let row = client
        .query_opt(
            &format!("{SELECT} WHERE v.id = $1 AND v.creditor_id = $2{lock}"),
            &[&id.0, &creditor.0],
        )
        .map_err(db_err("reading a template version"))?
        .ok_or_else(|| StoreError::NotFound(format!("template version {id}")))?;
    version(&row)
}

fn submit(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    found: &TemplateVersion,
    guard: &Guard,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<TemplateVersion> {
    check_submit(found, actor)?;
    check_review(found, guard, now)?;
    tx.execute(
        "UPDATE template_versions SET status = 'pending', submitted_at = $2
         WHERE id = $1 AND status = 'draft'",
        &[&found.id.0, &now],
    )
    .map_err(db_err("submitting a template version"))?;
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
    by_id(tx, creditor, found.id, false)
}

fn add(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    new: &NewTemplateVersion,
    guard: Option<&Guard>,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<TemplateVersion> {
    let context = "writing a template version";
    let author = check_new(new, actor)?;
    let known = tx
        .query_opt("SELECT 1 FROM creditors WHERE id = $1", &[&creditor.0])
        .map_err(db_err(context))?
        .is_some();
    if !known {
        return Err(StoreError::NotFound(format!("creditor {creditor}")));
    }
    let template: i64 = tx
        .query_one(
            "INSERT INTO templates (creditor_id, stage, channel, created_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (creditor_id, stage, channel) DO UPDATE SET stage = EXCLUDED.stage
             RETURNING id",
            &[&creditor.0, &new.stage.code(), &new.channel.code(), &now],
        )
        .map_err(db_err(context))?
        .get(0);
    let number: i32 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM template_versions WHERE template_id = $1",
            &[&template],
        )
        .map_err(db_err(context))?
        .get(0);
    let id: i64 = tx
        .query_one(
            "INSERT INTO template_versions (creditor_id, template_id, version, subject, body,
                 note, author, created_at, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft') RETURNING id",
            &[
                &creditor.0,
                &template,
                &number,
                &stored_subject(new),
                &new.body,
                &stored_note(new),
                &author.0,
                &now,
            ],
        )
        .map_err(db_err(context))?
        .get(0);
    let written = by_id(tx, creditor, TemplateVersionId(id), false)?;
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
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    id: TemplateVersionId,
    approve: bool,
    reason: &str,
    guard: &Guard,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<TemplateVersion> {
    let context = "deciding a template version";
    let found = by_id(tx, creditor, id, true)?;
    let decider_role = match actor.user {
        Some(user) => tx
            .query_opt("SELECT role FROM users WHERE id = $1", &[&user.0])
            .map_err(db_err(context))?
            .map(|row| {
                let code: String = get(&row, "role")?;
                parse_role(&code).ok_or_else(|| corrupt("role", &code))
            })
            .transpose()?,
        None => None,
    };
    let decider = check_decision(&found, decider_role, approve, reason, actor)?;
    if approve {
        check_review(&found, guard, now)?;
    }
    let (status, action) = decision_codes(approve);
    let reason = Some(reason.trim()).filter(|r| !r.is_empty());
    tx.execute(
        "UPDATE template_versions SET status = $2, decided_by = $3, decided_at = $4, reason = $5
         WHERE id = $1 AND status = 'pending'",
        &[&id.0, &status.code(), &decider.0, &now, &reason],
    )
    .map_err(db_err(context))?;
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
    by_id(tx, creditor, id, false)
}

impl TemplateStore for PostgresStore {
    fn add_template_version(
        &self,
        creditor: CreditorId,
        new: &NewTemplateVersion,
        submit: Option<&Guard>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TemplateVersion> {
        let context = "writing a template version";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let written = add(&mut tx, creditor, new, submit, now, actor)?;
        tx.commit().map_err(db_err(context))?;
        Ok(written)
    }

    fn submit_template_version(
        &self,
        creditor: CreditorId,
        version: TemplateVersionId,
        guard: &Guard,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TemplateVersion> {
        let context = "submitting a template version";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let found = by_id(&mut tx, creditor, version, true)?;
        let submitted = submit(&mut tx, creditor, &found, guard, now, actor)?;
        tx.commit().map_err(db_err(context))?;
        Ok(submitted)
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
        let context = "deciding a template version";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let decided = decide(
            &mut tx, creditor, version, approve, reason, guard, now, actor,
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(decided)
    }

    fn templates(&self, creditor: CreditorId) -> StoreResult<Vec<TemplateSummary>> {
        let mut client = self.conn()?;
        let templates = query_all(
            &mut *client,
            &format!(
                "SELECT {TEMPLATE_COLUMNS} FROM templates WHERE creditor_id = $1
                 ORDER BY stage, channel"
            ),
            &[&creditor.0],
            "reading templates",
            template_row,
        )?;
        let versions = query_all(
            &mut *client,
            &format!("{SELECT} WHERE v.creditor_id = $1 ORDER BY v.id"),
            &[&creditor.0],
            "reading template versions",
            version,
        )?;
        Ok(summarise(templates, versions))
    }

    fn template(
        &self,
        creditor: CreditorId,
        id: TemplateId,
    ) -> StoreResult<Option<(Template, Vec<TemplateVersion>)>> {
        let mut client = self.conn()?;
        let Some(row) = client
            .query_opt(
                &format!(
                    "SELECT {TEMPLATE_COLUMNS} FROM templates WHERE id = $1 AND creditor_id = $2"
                ),
                &[&id.0, &creditor.0],
            )
            .map_err(db_err("reading a template"))?
        else {
            return Ok(None);
        };
        let template = template_row(&row)?;
        let versions = query_all(
            &mut *client,
            &format!(
                "{SELECT} WHERE v.template_id = $1 AND v.creditor_id = $2 ORDER BY v.version DESC"
            ),
            &[&id.0, &creditor.0],
            "reading template versions",
            version,
        )?;
        Ok(Some((template, versions)))
    }

    fn template_version(
        &self,
        creditor: CreditorId,
        id: TemplateVersionId,
    ) -> StoreResult<Option<TemplateVersion>> {
        match by_id(&mut *self.conn()?, creditor, id, false) {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn template_in_force(
        &self,
        creditor: CreditorId,
        stage: Stage,
        channel: Channel,
    ) -> StoreResult<Option<TemplateVersion>> {
        self.conn()?
            .query_opt(
                &format!(
                    "{SELECT} WHERE v.creditor_id = $1 AND t.stage = $2 AND t.channel = $3
                       AND v.status = 'approved'
                     ORDER BY v.version DESC LIMIT 1"
                ),
                &[&creditor.0, &stage.code(), &channel.code()],
            )
            .map_err(db_err("reading the template in force"))?
            .map(|row| version(&row))
            .transpose()
    }
}
