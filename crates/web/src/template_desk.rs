//! The template desk shared by the pages (`ui::templates`) and the API (`api::templates`):
//! who may see, write and decide templates; the preview with sample data and the guard's
//! findings; writing a version (checked here first so the error names the field, then by
//! the store again) and deciding one.
//!
//! Roles: supervisors, managers, compliance and admins see the templates; supervisors,
//! managers and admins write versions; only compliance decides, never on their own
//! version (the store refuses that too).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use sepakat_domain::compliance::Channel;
use sepakat_domain::guard::Severity;
use sepakat_domain::template::{
    MessageTemplate, MessageTemplateError, Stage, TemplateError, Variable,
};
use sepakat_domain::{Guard, Role};
use sepakat_engine::templates::{template_in_force, InForce, TemplateSource};
use sepakat_store::{
    default_key, Actor, CreditorId, NewTemplateVersion, Store, StoreError, TemplateStatus,
    TemplateSummary, TemplateVersion, TemplateVersionId, UserId,
};

use crate::i18n::Lang;

/// The channels templates are written for.
pub const CHANNELS: [Channel; 4] = [
    Channel::Whatsapp,
    Channel::Sms,
    Channel::Email,
    Channel::Letter,
];

/// The longest subject and body accepted.
pub const MAX_SUBJECT: usize = 200;
/// The longest body accepted (a letter is longer than any message).
pub const MAX_BODY: usize = 8000;

/// May see the templates.
pub const fn may_see(role: Role) -> bool {
    matches!(
        role,
        Role::Supervisor | Role::Manager | Role::Compliance | Role::Admin
    )
}

/// May write new versions.
pub const fn may_draft(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Manager | Role::Admin)
}

/// May approve or reject versions.
pub const fn may_decide(role: Role) -> bool {
    matches!(role, Role::Compliance)
}

/// The (stage, channel) slots the list shows: letters for the letter stages, messages
/// for the others.
pub fn slots() -> Vec<(Stage, Channel)> {
    let mut out = Vec::new();
    for stage in Stage::ALL.iter().copied() {
        if is_letter_stage(stage) {
            out.push((stage, Channel::Letter));
        } else {
            out.extend([Channel::Whatsapp, Channel::Sms, Channel::Email].map(|c| (stage, c)));
        }
    }
    out
}

/// SP1–SP3 and somasi are letters.
pub const fn is_letter_stage(stage: Stage) -> bool {
    matches!(stage, Stage::Sp1 | Stage::Sp2 | Stage::Sp3 | Stage::Somasi)
}

/// Whether `channel` has a subject (e-mail) or perihal (letter).
pub const fn has_subject(channel: Channel) -> bool {
    matches!(channel, Channel::Email | Channel::Letter)
}

/// Why a template action was refused.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The role may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// No such template or version for this creditor.
    #[error("not found")]
    NotFound,
    /// A field is wrong: its path, the message in English and in the page language.
    #[error("{field}: {message}")]
    Invalid {
        /// `body`, `subject`, `stage`, `channel`, `decision`, `reason`.
        field: &'static str,
        /// English (the API).
        message: String,
        /// The page language.
        shown: String,
    },
    /// The state of things refuses it (already decided).
    #[error("{message}")]
    Conflict {
        /// English.
        message: String,
        /// The page language.
        shown: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => DeskError::NotFound,
            StoreError::Conflict(m) => DeskError::Conflict {
                shown: m.clone(),
                message: m,
            },
            other => DeskError::Store(other),
        }
    }
}

impl DeskError {
    /// The message for a page.
    pub fn shown(&self, lang: Lang) -> String {
        match self {
            DeskError::Invalid { field, shown, .. } => {
                let t = lang.templates();
                let name = match *field {
                    "body" => t.body,
                    "subject" => t.subject,
                    "reason" => t.reason,
                    other => other,
                };
                format!("{name}: {shown}")
            }
            DeskError::Conflict { shown, .. } => shown.clone(),
            other => other.to_string(),
        }
    }
}

/// One guard finding in a template's preview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemplateFinding {
    /// `subject` or `body`.
    pub field: &'static str,
    /// The rule's code.
    pub rule: String,
    /// Its name in the page language (English in the API).
    pub name: String,
    /// `block` or `warn`.
    pub severity: &'static str,
    /// The words as written in the preview.
    pub words: String,
    /// How to rewrite (Bahasa Indonesia).
    pub advice: String,
}

/// A field error of a template text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemplateProblem {
    /// `subject`, `body` or `channel`.
    pub field: &'static str,
    /// What is wrong (the page language; English in the API).
    pub message: String,
    /// The unknown variable, when that is the problem.
    pub variable: Option<String>,
}

/// A template text checked: filled with sample data, with the guard's findings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preview {
    /// The text parses (no unknown variable, subject as the channel wants).
    pub valid: bool,
    /// It may not be submitted (invalid, a blocking finding or an SMS too long).
    pub blocked: bool,
    /// The subject filled with sample data.
    pub subject: Option<String>,
    /// The body filled with sample data.
    pub body: Option<String>,
    /// Field errors of the text.
    pub errors: Vec<TemplateProblem>,
    /// Guard findings in the filled text.
    pub findings: Vec<TemplateFinding>,
    /// Other problems (the SMS length), Bahasa Indonesia.
    pub problems: Vec<String>,
}

/// The field and messages (English, page language) of a template that does not parse.
fn template_problem(e: &MessageTemplateError, lang: Lang) -> (TemplateProblem, String) {
    let t = lang.templates();
    let text = |e: &TemplateError| -> (String, Option<String>) {
        match e {
            TemplateError::UnknownVariable {
                name, line, column, ..
            } => (
                format!(
                    "{} «{name}» ({} {line}, {} {column})",
                    t.unknown_variable, t.line, t.column
                ),
                Some(name.clone()),
            ),
            TemplateError::Unclosed { line, column } => (
                format!("{} ({} {line}, {} {column})", t.unclosed, t.line, t.column),
                None,
            ),
            TemplateError::StrayClose { line, column } => (
                format!(
                    "{} ({} {line}, {} {column})",
                    t.stray_close, t.line, t.column
                ),
                None,
            ),
            TemplateError::Empty => (t.required.to_string(), None),
        }
    };
    let english = e.to_string();
    let english = english
        .split_once(": ")
        .map_or(english.clone(), |(_, rest)| rest.to_string());
    let (field, shown, variable) = match e {
        MessageTemplateError::NotAMessageChannel(_) => ("channel", english.clone(), None),
        MessageTemplateError::SubjectRequired(_) => ("subject", t.required.to_string(), None),
        MessageTemplateError::SubjectNotAllowed(_) => ("subject", t.no_subject.to_string(), None),
        MessageTemplateError::Subject(inner) => {
            let (m, v) = text(inner);
            ("subject", m, v)
        }
        MessageTemplateError::Body(inner) => {
            let (m, v) = text(inner);
            ("body", m, v)
        }
    };
    (
        TemplateProblem {
            field,
            message: shown,
            variable,
        },
        english,
    )
}

/// Checks a text for a stage and channel at `today`: parse, fill with sample data, guard.
pub fn preview(
    guard: &Guard,
    lang: Lang,
    stage: Stage,
    channel: Channel,
    subject: &str,
    body: &str,
    today: NaiveDate,
) -> Preview {
    let subject = Some(subject).filter(|s| !s.trim().is_empty());
    let template =
        match MessageTemplate::new(&default_key(stage, channel), stage, channel, subject, body) {
            Ok(t) => t,
            Err(e) => {
                return Preview {
                    valid: false,
                    blocked: true,
                    subject: None,
                    body: None,
                    errors: vec![template_problem(&e, lang).0],
                    findings: Vec::new(),
                    problems: Vec::new(),
                }
            }
        };
    let review = template.review(guard, today);
    let name = |code: &str| {
        guard
            .rules()
            .find(|r| r.code == code)
            .map(|r| match lang {
                Lang::Id => r.name_id.clone(),
                Lang::En => r.name_en.clone(),
            })
            .unwrap_or_else(|| code.to_string())
    };
    let mut findings = Vec::new();
    let texts = [
        ("subject", review.preview.subject.as_deref()),
        ("body", Some(review.preview.body.as_str())),
    ];
    for (field, text) in texts {
        let Some(text) = text else { continue };
        for f in guard.check(text).findings {
            findings.push(TemplateFinding {
                field,
                name: name(&f.rule),
                severity: match f.severity {
                    Severity::Block => "block",
                    Severity::Warn => "warn",
                },
                rule: f.rule,
                words: f.matched,
                advice: f.reason,
            });
        }
    }
    Preview {
        valid: true,
        blocked: review.blocked,
        subject: review.preview.subject,
        body: Some(review.preview.body),
        errors: Vec::new(),
        findings,
        problems: review.problems,
    }
}

/// A new version as the form or the API sent it.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The stage.
    pub stage: Stage,
    /// The channel.
    pub channel: Channel,
    /// Subject or perihal.
    pub subject: String,
    /// The text.
    pub body: String,
    /// The change note.
    pub note: String,
}

/// Writes a version and sends it for approval, after the same checks the preview shows.
pub fn submit(
    s: &dyn Store,
    guard: &Guard,
    lang: Lang,
    role: Role,
    creditor: CreditorId,
    draft: &Draft,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<TemplateVersion, DeskError> {
    if !may_draft(role) {
        return Err(DeskError::Forbidden(
            "only supervisors, managers and admins write templates",
        ));
    }
    if !CHANNELS.contains(&draft.channel) {
        return Err(DeskError::Invalid {
            field: "channel",
            message: "templates are for whatsapp, sms, email or letter".into(),
            shown: "whatsapp, sms, email, letter".into(),
        });
    }
    let t = lang.templates();
    if draft.subject.chars().count() > MAX_SUBJECT {
        return Err(DeskError::Invalid {
            field: "subject",
            message: format!("at most {MAX_SUBJECT} characters"),
            shown: format!("maks. {MAX_SUBJECT}"),
        });
    }
    if draft.body.chars().count() > MAX_BODY {
        return Err(DeskError::Invalid {
            field: "body",
            message: format!("at most {MAX_BODY} characters"),
            shown: format!("maks. {MAX_BODY}"),
        });
    }
    let subject = Some(draft.subject.as_str()).filter(|s| !s.trim().is_empty());
    let template = MessageTemplate::new(
        &default_key(draft.stage, draft.channel),
        draft.stage,
        draft.channel,
        subject,
        &draft.body,
    )
    .map_err(|e| {
        let (problem, english) = template_problem(&e, lang);
        DeskError::Invalid {
            field: problem.field,
            message: english,
            shown: problem.message,
        }
    })?;
    let review = template.review(guard, sepakat_domain::Zone::Wib.local(now).date());
    if review.blocked {
        let mut why: Vec<String> = review
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Block)
            .map(|f| format!("{} «{}»", f.rule, f.matched))
            .collect();
        why.extend(review.problems.iter().cloned());
        let why = why.join("; ");
        return Err(DeskError::Invalid {
            field: "body",
            message: format!("blocked by the message guard: {why}"),
            shown: format!("{}: {why}", t.guard_blocked),
        });
    }
    let new = NewTemplateVersion {
        stage: draft.stage,
        channel: draft.channel,
        subject: subject.map(String::from),
        body: draft.body.clone(),
        note: Some(draft.note.trim().to_string()).filter(|n| !n.is_empty()),
    };
    Ok(s.add_template_version(creditor, &new, Some(guard), now, actor)?)
}

/// Approves or rejects a pending version.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    s: &dyn Store,
    guard: &Guard,
    lang: Lang,
    role: Role,
    user: UserId,
    creditor: CreditorId,
    id: TemplateVersionId,
    approve: bool,
    reason: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<TemplateVersion, DeskError> {
    if !may_decide(role) {
        return Err(DeskError::Forbidden(
            "only the compliance role decides templates",
        ));
    }
    let version = s
        .template_version(creditor, id)?
        .ok_or(DeskError::NotFound)?;
    if version.author == user {
        return Err(DeskError::Forbidden(
            "the author of a version may not decide it",
        ));
    }
    let t = lang.templates();
    if version.status != TemplateStatus::Pending {
        return Err(DeskError::Conflict {
            message: format!("template version {id} is already {}", version.status.code()),
            shown: t.not_pending.to_string(),
        });
    }
    if !approve && reason.trim().is_empty() {
        return Err(DeskError::Invalid {
            field: "reason",
            message: "a rejection needs a reason".into(),
            shown: t.required.to_string(),
        });
    }
    Ok(s.decide_template_version(creditor, id, approve, reason, guard, now, actor)?)
}

/// One slot of the list: what is in force and what waits.
#[derive(Debug, Clone)]
pub struct Slot {
    /// The stage.
    pub stage: Stage,
    /// The channel.
    pub channel: Channel,
    /// The creditor's template, when it has written one.
    pub summary: Option<TemplateSummary>,
    /// Whether the shipped catalogue has a default.
    pub has_default: bool,
}

/// Every slot of the creditor, in list order.
pub fn list(s: &dyn Store, creditor: CreditorId) -> Result<Vec<Slot>, StoreError> {
    let summaries = s.templates(creditor)?;
    let catalogue = sepakat_domain::template::Catalogue::shipped();
    let mut out: Vec<Slot> = slots()
        .into_iter()
        .map(|(stage, channel)| Slot {
            stage,
            channel,
            summary: summaries
                .iter()
                .find(|t| t.template.stage == stage && t.template.channel == channel)
                .cloned(),
            has_default: catalogue.for_stage(stage, channel).is_some(),
        })
        .collect();
    // A template for a slot the list does not show (written through the API) still shows.
    for t in summaries {
        if !out
            .iter()
            .any(|o| o.stage == t.template.stage && o.channel == t.template.channel)
        {
            out.push(Slot {
                stage: t.template.stage,
                channel: t.template.channel,
                has_default: false,
                summary: Some(t),
            });
        }
    }
    Ok(out)
}

/// The text in force for a slot (the creditor's approved version, else the default).
pub fn in_force(
    s: &dyn Store,
    creditor: CreditorId,
    stage: Stage,
    channel: Channel,
) -> Result<Option<InForce>, StoreError> {
    let catalogue = sepakat_domain::template::Catalogue::shipped();
    template_in_force(s, creditor, &catalogue, stage, channel)
}

/// The version number in force, None for the default.
pub fn in_force_number(in_force: &InForce) -> Option<u32> {
    match in_force.source {
        TemplateSource::Default => None,
        TemplateSource::Version { number, .. } => Some(number),
    }
}

/// The variables, with their descriptions, for the editor.
pub fn variables() -> Vec<(&'static str, &'static str)> {
    Variable::ALL
        .iter()
        .map(|v| (v.code(), v.description()))
        .collect()
}
