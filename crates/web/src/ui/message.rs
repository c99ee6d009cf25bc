//! `POST /pesan/periksa`: the message guard as the collector types (the workspace's message
//! form asks it as the text changes). Answers JSON: whether the text would be blocked, and
//! each finding with the rule's name, the words and the advice on how to rewrite. The
//! same guard checks the text again when the message is queued.

use axum::extract::{Form, State};
use axum::routing::post;
use axum::{Json, Router};
use sepakat_domain::guard::Severity;
use sepakat_domain::Guard;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::ui::error::UiError;
use crate::AppState;

/// The longest text checked (a WhatsApp message is at most 4,096 characters).
const MAX_TEXT: usize = 4096;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/pesan/periksa", post(check))
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
