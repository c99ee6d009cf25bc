//! A creditor's own message templates (`migrations/*/0011_templates.sql`): one template per
//! (creditor, stage, channel), with numbered versions that go draft → pending → approved
//! or rejected. The newest approved version (the highest number) is the one *in force*;
//! without one the shipped default catalogue is used (`sepakat_engine::templates`).
//!
//! Rules every backend keeps (the contract tests in `tests/contract/template.rs`):
//! - A version must parse for its channel (`MessageTemplate::new`): an unknown variable, a
//!   subject where none belongs or a missing one is refused (`Conflict` naming the field
//!   and the variable) and nothing is written.
//! - Submitting reviews the version with the message guard and sample data
//!   (`MessageTemplate::review`): a guard finding that blocks, or an SMS too long, is
//!   refused (`Conflict` naming the rule and the words).
//! - Only a person with the compliance role decides a pending version, never its author;
//!   a version decided once is not decided again. A rejection needs a reason. Approving
//!   reviews the text again (the guard may have grown since it was submitted).
//! - Every change is audited in the same transaction on the entity `template`:
//!   `template.drafted`, `template.submitted`, `template.approved`, `template.rejected`.
//! - Every call takes the creditor; another creditor's template is `NotFound`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::compliance::Channel;
use sepakat_domain::template::{MessageTemplate, Stage};
use sepakat_domain::{Guard, Role, Zone};

use crate::model::id_type;
use crate::{Actor, CreditorId, StoreError, StoreResult, UserId};

id_type! {
    TemplateId: "A creditor's template for one stage and channel.",
    TemplateVersionId: "One version of a creditor's template.",
}

/// Where a template version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateStatus {
    /// Written, not yet sent for approval.
    Draft,
    /// Waiting for the compliance role.
    Pending,
    /// Approved: in force while no newer version is approved.
    Approved,
    /// Turned down, with the reason.
    Rejected,
}

impl TemplateStatus {
    /// Every status.
    pub const ALL: &'static [TemplateStatus] = &[
        TemplateStatus::Draft,
        TemplateStatus::Pending,
        TemplateStatus::Approved,
        TemplateStatus::Rejected,
    ];

    /// The stored code.
    pub const fn code(self) -> &'static str {
        match self {
            TemplateStatus::Draft => "draft",
            TemplateStatus::Pending => "pending",
            TemplateStatus::Approved => "approved",
            TemplateStatus::Rejected => "rejected",
        }
    }

    /// The Indonesian label.
    pub const fn label(self) -> &'static str {
        match self {
            TemplateStatus::Draft => "Draf",
            TemplateStatus::Pending => "Menunggu persetujuan",
            TemplateStatus::Approved => "Disetujui",
            TemplateStatus::Rejected => "Ditolak",
        }
    }

    /// Parses a stored code.
    pub fn parse(text: &str) -> Option<TemplateStatus> {
        TemplateStatus::ALL
            .iter()
            .copied()
            .find(|s| s.code() == text)
    }
}

/// A new version as its author wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTemplateVersion {
    /// The stage of the cycle.
    pub stage: Stage,
    /// WhatsApp, SMS, e-mail or letter.
    pub channel: Channel,
    /// Subject (e-mail) or perihal (letter); None for WhatsApp and SMS.
    pub subject: Option<String>,
    /// The text with `{{variables}}`.
    pub body: String,
    /// What changed and why (optional).
    pub note: Option<String>,
}

/// A creditor's template (one stage and channel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Id.
    pub id: TemplateId,
    /// The creditor.
    pub creditor: CreditorId,
    /// The stage.
    pub stage: Stage,
    /// The channel.
    pub channel: Channel,
    /// When the first version was written.
    pub created_at: DateTime<Utc>,
}

/// One version of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateVersion {
    /// Id.
    pub id: TemplateVersionId,
    /// The template.
    pub template: TemplateId,
    /// Its stage.
    pub stage: Stage,
    /// Its channel.
    pub channel: Channel,
    /// 1, 2, … per template.
    pub version: u32,
    /// Subject or perihal.
    pub subject: Option<String>,
    /// The text.
    pub body: String,
    /// The author's note.
    pub note: Option<String>,
    /// Who wrote it.
    pub author: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Where it stands.
    pub status: TemplateStatus,
    /// When it was sent for approval.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Who decided.
    pub decided_by: Option<UserId>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// The decider's reason.
    pub reason: Option<String>,
}

impl TemplateVersion {
    /// The version as a template the composer and the letter printer use; its key is
    /// `{stage}_{channel}` like the shipped ones.
    pub fn message_template(&self) -> StoreResult<MessageTemplate> {
        MessageTemplate::new(
            &default_key(self.stage, self.channel),
            self.stage,
            self.channel,
            self.subject.as_deref(),
            &self.body,
        )
        .map_err(|e| StoreError::Other(format!("stored template version {}: {e}", self.id)))
    }
}

/// A template with the version in force and those waiting, for the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSummary {
    /// The template.
    pub template: Template,
    /// The newest approved version.
    pub in_force: Option<TemplateVersion>,
    /// Versions waiting for a decision, oldest first.
    pub pending: Vec<TemplateVersion>,
    /// The highest version number written.
    pub latest: u32,
}

/// A template's key as the shipped catalogue writes it: `early_whatsapp`.
pub fn default_key(stage: Stage, channel: Channel) -> String {
    format!("{}_{}", stage.code(), channel.code())
}

/// A creditor's versioned, approved templates.
pub trait TemplateStore {
    /// Writes a new version (the template is created with its first); with `submit`,
    /// reviews it with the guard and sends it for approval in the same transaction.
    fn add_template_version(
        &self,
        creditor: CreditorId,
        new: &NewTemplateVersion,
        submit: Option<&Guard>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TemplateVersion>;

    /// Sends a draft for approval after reviewing it with the guard.
    fn submit_template_version(
        &self,
        creditor: CreditorId,
        version: TemplateVersionId,
        guard: &Guard,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TemplateVersion>;

    /// Approves (after reviewing it again) or rejects a pending version.
    #[allow(clippy::too_many_arguments)]
    fn decide_template_version(
        &self,
        creditor: CreditorId,
        version: TemplateVersionId,
        approve: bool,
        reason: &str,
        guard: &Guard,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TemplateVersion>;

    /// The creditor's templates, by stage and channel code.
    fn templates(&self, creditor: CreditorId) -> StoreResult<Vec<TemplateSummary>>;

    /// A template and its versions, newest first.
    fn template(
        &self,
        creditor: CreditorId,
        id: TemplateId,
    ) -> StoreResult<Option<(Template, Vec<TemplateVersion>)>>;

    /// One version.
    fn template_version(
        &self,
        creditor: CreditorId,
        id: TemplateVersionId,
    ) -> StoreResult<Option<TemplateVersion>>;

    /// The version in force for a stage and channel: the newest approved one.
    fn template_in_force(
        &self,
        creditor: CreditorId,
        stage: Stage,
        channel: Channel,
    ) -> StoreResult<Option<TemplateVersion>>;
}

/// The day the sample data of a review is for.
pub(crate) fn review_day(now: DateTime<Utc>) -> NaiveDate {
    Zone::Wib.local(now).date()
}

/// The checks before a version is written: a person, text that parses for the channel.
pub(crate) fn check_new(new: &NewTemplateVersion, actor: &Actor) -> StoreResult<UserId> {
    let author = actor.user.ok_or_else(|| {
        StoreError::Conflict("a template version is written by a person, not the system".into())
    })?;
    MessageTemplate::new(
        &default_key(new.stage, new.channel),
        new.stage,
        new.channel,
        new.subject.as_deref(),
        &new.body,
    )
    .map_err(|e| StoreError::Conflict(e.to_string()))?;
    Ok(author)
}

/// The subject as stored: trimmed, None when blank.
pub(crate) fn stored_subject(new: &NewTemplateVersion) -> Option<String> {
    new.subject
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// The note as stored.
pub(crate) fn stored_note(new: &NewTemplateVersion) -> Option<String> {
    new.note
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// Refuses a version the guard blocks (or an SMS too long), naming rules and words.
pub(crate) fn check_review(
    version: &TemplateVersion,
    guard: &Guard,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let template = version.message_template()?;
    let review = template.review(guard, review_day(now));
    if !review.blocked {
        return Ok(());
    }
    let mut why: Vec<String> = review
        .findings
        .iter()
        .filter(|f| f.severity == sepakat_domain::guard::Severity::Block)
        .map(|f| format!("{} «{}»", f.rule, f.matched))
        .collect();
    why.extend(review.problems);
    Err(StoreError::Conflict(format!(
        "template version {} does not pass the message guard: {}",
        version.id,
        why.join("; ")
    )))
}

/// The check before a submission: a draft, by a person.
pub(crate) fn check_submit(version: &TemplateVersion, actor: &Actor) -> StoreResult<UserId> {
    let user = actor.user.ok_or_else(|| {
        StoreError::Conflict("a template version is submitted by a person, not the system".into())
    })?;
    if version.status != TemplateStatus::Draft {
        return Err(StoreError::Conflict(format!(
            "template version {} is already {}",
            version.id,
            version.status.code()
        )));
    }
    Ok(user)
}

/// The checks before a decision: pending, a compliance user who is not the author, a
/// reason for a rejection.
pub(crate) fn check_decision(
    version: &TemplateVersion,
    decider_role: Option<Role>,
    approve: bool,
    reason: &str,
    actor: &Actor,
) -> StoreResult<UserId> {
    let decider = actor.user.ok_or_else(|| {
        StoreError::Conflict("a template version is decided by a person, not the system".into())
    })?;
    if decider_role != Some(Role::Compliance) {
        return Err(StoreError::Conflict(
            "only the compliance role (kepatuhan) decides template versions".into(),
        ));
    }
    if version.status != TemplateStatus::Pending {
        return Err(StoreError::Conflict(format!(
            "template version {} is {}, not pending",
            version.id,
            version.status.code()
        )));
    }
    if decider == version.author {
        return Err(StoreError::Conflict(format!(
            "template version {} must be decided by someone other than its author",
            version.id
        )));
    }
    if !approve && reason.trim().is_empty() {
        return Err(StoreError::Conflict("a rejection needs a reason".into()));
    }
    Ok(decider)
}

/// The status and audit action of a decision.
pub(crate) fn decision_codes(approve: bool) -> (TemplateStatus, &'static str) {
    if approve {
        (TemplateStatus::Approved, "template.approved")
    } else {
        (TemplateStatus::Rejected, "template.rejected")
    }
}

/// The audit detail of a change to a version.
pub(crate) fn audit_detail(version: &TemplateVersion, reason: Option<&str>) -> serde_json::Value {
    let mut detail = serde_json::json!({
        "version_id": version.id,
        "version": version.version,
        "stage": version.stage.code(),
        "channel": version.channel.code(),
    });
    if let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) {
        detail["reason"] = serde_json::Value::String(reason.to_string());
    }
    detail
}

/// Builds the list from the templates and all their versions (newest first per template).
pub(crate) fn summarise(
    templates: Vec<Template>,
    versions: Vec<TemplateVersion>,
) -> Vec<TemplateSummary> {
    templates
        .into_iter()
        .map(|template| {
            let own: Vec<&TemplateVersion> = versions
                .iter()
                .filter(|v| v.template == template.id)
                .collect();
            let in_force = own
                .iter()
                .filter(|v| v.status == TemplateStatus::Approved)
                .max_by_key(|v| v.version)
                .map(|v| (*v).clone());
            let mut pending: Vec<TemplateVersion> = own
                .iter()
                .filter(|v| v.status == TemplateStatus::Pending)
                .map(|v| (*v).clone())
                .collect();
            pending.sort_by_key(|v| v.version);
            let latest = own.iter().map(|v| v.version).max().unwrap_or(0);
            TemplateSummary {
                template,
                in_force,
                pending,
                latest,
            }
        })
        .collect()
}
