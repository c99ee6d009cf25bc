//! Messages from the workspace. `POST /pesan/periksa`: the message guard as the collector
//! types (the form asks it as the text changes); answers JSON — whether the text would be
//! blocked, and each finding with the rule's name, the words and the advice on how to
//! rewrite. `POST /akun/{id}/pesan`: the message itself, through the outbox's composer
//! (guard and gate again); a blocked text re-draws the workspace with the findings and the
//! draft to rewrite.

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Json, Router};
use sepakat_domain::compliance::{Channel, Rule};
use sepakat_domain::guard::Severity;
use sepakat_domain::Guard;
use sepakat_store::MessageStatus;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::ui::account::{draw_with, load_account, Notice};
use crate::ui::account_detail::MessageDraft;
use crate::ui::error::UiError;
use crate::work::message::{self, MessageInput};
use crate::work::{Problem, WorkError, Worker};
use crate::AppState;

/// The longest text checked (a WhatsApp message is at most 4,096 characters).
const MAX_TEXT: usize = 4096;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pesan/periksa", post(check))
        .route("/akun/{id}/pesan", post(send))
}

#[derive(Deserialize)]
struct SendForm {
    channel: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    idempotency_key: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn send(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    Form(form): Form<SendForm>,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    let draft = |guard: GuardView| MessageDraft {
        channel: form.channel.clone(),
        subject: form.subject.clone(),
        text: form.text.clone(),
        guard,
    };
    let refuse = |errors: Vec<String>, draft: Option<MessageDraft>, account| {
        let (state, user) = (&state, &user);
        async move {
            let page = draw_with(
                state,
                lang,
                user,
                account,
                &Notice::default(),
                errors,
                draft,
            )
            .await?;
            Ok::<_, UiError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let channel = match Channel::parse(&form.channel) {
        Ok(c) => c,
        Err(e) => {
            let e = WorkError::invalid(
                "channel",
                Problem::Unknown {
                    value: form.channel.clone(),
                    expected: e.expected,
                },
            );
            return refuse(vec![e.message(lang)], None, account).await;
        }
    };
    let input = MessageInput {
        channel,
        subject: form.subject.clone(),
        text: form.text.clone(),
        idempotency_key: Some(form.idempotency_key.trim().to_string()).filter(|k| !k.is_empty()),
    };
    let (config, worker, creditor, name, now) = (
        state.config().clone(),
        Worker::from(&user),
        user.creditor.clone(),
        user.user.full_name.clone(),
        state.now(),
    );
    let held = account.clone();
    let result = state
        .store(move |s| {
            Ok(message::send(
                s, &config, &worker, &creditor, &name, &held, input, now,
            ))
        })
        .await?;
    match result {
        Ok(m) if m.status == MessageStatus::Blocked => {
            let guard = GuardView::of(&state.config().guard, lang, &form.text);
            let why = if guard.blocked {
                lang.work().message_blocked.to_string()
            } else {
                let rule = m.refusal.map(|r| r.rule).unwrap_or_default();
                let named = Rule::ALL
                    .iter()
                    .find(|r| r.code() == rule)
                    .map_or(rule.clone(), |r| lang.name(*r).to_string());
                format!("{} {named}", lang.work().message_blocked)
            };
            refuse(vec![why], Some(draft(guard)), account).await
        }
        Ok(_) => Ok(Redirect::to(&format!("/akun/{}?ok=pesan", account.id)).into_response()),
        Err(WorkError::Store(e)) => Err(UiError::Internal(e.to_string())),
        Err(WorkError::Forbidden) => Err(UiError::Forbidden),
        Err(e) => {
            let guard = GuardView::of(&state.config().guard, lang, &form.text);
            refuse(vec![e.message(lang)], Some(draft(guard)), account).await
        }
    }
}

#[derive(Deserialize)]
struct CheckForm {
    #[serde(default)]
    text: String,
}

/// The guard's answer for one text.
#[derive(Debug, Serialize)]
pub struct GuardView {
    /// The text may not be sent.
    pub blocked: bool,
    /// Each finding.
    pub findings: Vec<FindingView>,
}

/// One finding.
#[derive(Debug, Serialize)]
pub struct FindingView {
    /// The rule's code.
    pub rule: String,
    /// Its name in the user's language.
    pub name: String,
    /// `block` or `warn`.
    pub severity: &'static str,
    /// The words as written.
    pub words: String,
    /// How to rewrite (Bahasa Indonesia).
    pub advice: String,
}

impl GuardView {
    /// The guard's verdict on `text`, named in `lang`.
    pub fn of(guard: &Guard, lang: Lang, text: &str) -> GuardView {
        let verdict = guard.check(text);
        let findings = verdict
            .findings
            .into_iter()
            .map(|f| {
                let name = guard
                    .rules()
                    .find(|r| r.code == f.rule)
                    .map(|r| match lang {
                        Lang::Id => r.name_id.clone(),
                        Lang::En => r.name_en.clone(),
                    })
                    .unwrap_or_else(|| f.rule.clone());
                FindingView {
                    severity: match f.severity {
                        Severity::Block => "block",
                        Severity::Warn => "warn",
                    },
                    rule: f.rule,
                    name,
                    words: f.matched,
                    advice: f.reason,
                }
            })
            .collect();
        GuardView {
            blocked: verdict.blocked,
            findings,
        }
    }
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn check(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<CheckForm>,
) -> Result<Json<GuardView>, UiError> {
    if !user.role().works_accounts() {
        return Err(UiError::Forbidden);
    }
    if form.text.chars().count() > MAX_TEXT {
        return Err(UiError::BadRequest);
    }
    Ok(Json(GuardView::of(&state.config().guard, lang, &form.text)))
}
