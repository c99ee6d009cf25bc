//! The letter batch page. `GET /surat`: choose the stage and the accounts (a DPD bucket or
//! a minimum DPD of the creditor's open accounts, or pasted account numbers) and see how
//! many match; the recent letters with their status; the proof form. `POST /surat/cetak`:
//! the batch as one PDF (a tracking number per letter, every letter recorded).
//! `POST /surat/bukti` (multipart: the receipt's file rides along): delivery proof or a
//! return by tracking number. `POST /surat/{tracking}/kirim`: handed to the post.
//! `GET /surat/berkas/{id}`: a proof's stored file.
//! Supervisors, managers and admins (`require_letters`).

use askama::Template;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use sepakat_domain::Zone;
use sepakat_store::{Letter, NewEvidence, NewProof, LETTER_STAGES};
use serde::Deserialize;

use crate::format;
use crate::i18n::{Lang, LetterStrings};
use crate::session::CurrentUser;
use crate::ui::csrf::MAX_UPLOAD_BYTES;
use crate::ui::error::UiError;
use crate::ui::page::{render, Page};
use crate::work::letter::{self, Choice, LetterError, PrintInput, LETTER_CAP};
use crate::AppState;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surat", get(overview))
        .route("/surat/cetak", post(print))
        .route(
            "/surat/bukti",
            post(proof).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/surat/{tracking}/kirim", post(mark_sent))
        .route("/surat/berkas/{id}", get(proof_file))
}

/// Route layer: only roles that print letters pass.
pub async fn require_letters(
    user: CurrentUser,
    request: Request,
    next: Next,
) -> Result<Response, UiError> {
    if user.role().prints_letters() {
        Ok(next.run(request).await)
    } else {
        Err(UiError::Forbidden)
    }
}

/// The selection form's fields (GET query and POST form alike).
#[derive(Debug, Clone, Default, Deserialize)]
struct ChoiceForm {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    bucket: String,
    #[serde(default)]
    min_dpd: String,
    #[serde(default)]
    accounts: String,
    #[serde(default)]
    deadline_days: String,
    /// Present when the count was asked for.
    #[serde(default)]
    hitung: Option<String>,
    /// A notice after a redirect.
    #[serde(default)]
    ok: Option<String>,
}

impl ChoiceForm {
    fn choice(&self, lang: Lang) -> Result<Choice, LetterError> {
        let min_dpd = match self.min_dpd.trim() {
            "" => None,
            v => Some(
                v.parse::<u32>()
                    .map_err(|_| LetterError::Field(lang.letters().min_dpd, v.to_string()))?,
            ),
        };
        Ok(Choice {
            bucket: Some(self.bucket.trim().to_string()).filter(|b| !b.is_empty()),
            min_dpd,
            numbers: letter::numbers(&self.accounts),
        })
    }

    /// The pasted account numbers on one line, for a hidden field (which may not keep
    /// line breaks).
    fn accounts_line(&self) -> String {
        letter::numbers(&self.accounts).join(" ")
    }

    fn deadline(&self, lang: Lang) -> Result<u32, LetterError> {
        match self.deadline_days.trim() {
            "" => Ok(7),
            v => v
                .parse::<u32>()
                .ok()
                .filter(|d| (1..=90).contains(d))
                .ok_or_else(|| LetterError::Field(lang.letters().deadline_days, v.to_string())),
        }
    }
}

#[derive(Template)]
#[template(path = "letters.html")]
struct LettersPage {
    page: Page,
    t: &'static LetterStrings,
    csrf_token: String,
    stages: Vec<(&'static str, &'static str, bool)>,
    buckets: Vec<(String, bool)>,
    can_print: bool,
    form: ChoiceForm,
    count: Option<usize>,
    cap: usize,
    notice: Option<&'static str>,
    errors: Vec<String>,
    rows: Vec<LetterRow>,
    today: String,
}

/// One recent letter.
struct LetterRow {
    tracking: String,
    number: String,
    account_id: i64,
    stage: &'static str,
    status: &'static str,
    css: &'static str,
    printed: String,
    proof: String,
    can_send: bool,
    /// The letter's id, when its proof has a file to download.
    file: Option<i64>,
}

impl LetterRow {
    fn new(lang: Lang, l: &Letter) -> LetterRow {
        let t = lang.letters();
        LetterRow {
            tracking: l.data.tracking.clone(),
            number: l.data.number.clone(),
            account_id: l.data.account.0,
            stage: lang.letter_stage(l.data.stage),
            status: lang.name(l.status),
            css: l.status.code(),
            printed: format::date_time(lang, l.printed_at, Zone::Wib),
            proof: proof_text(lang, t, l),
            can_send: l.status == sepakat_store::LetterStatus::Printed,
            file: l
                .proof
                .as_ref()
                .and_then(|p| p.file.as_ref())
                .map(|_| l.id.0),
        }
    }
}

/// The proof in one line: date, who, note.
pub(crate) fn proof_text(lang: Lang, t: &LetterStrings, l: &Letter) -> String {
    match &l.proof {
        None => String::new(),
        Some(p) => {
            let mut s = format!(
                "{} · {} {}",
                format::date(lang, p.on),
                t.received_by,
                p.received_by
            );
            if !p.note.is_empty() {
                s.push_str(&format!(" · {}", p.note));
            }
            if let Some(f) = &p.file {
                s.push_str(&format!(" · {}", f.file_name));
            }
            s
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn draw(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    form: ChoiceForm,
    count: Option<usize>,
    errors: Vec<String>,
) -> Result<Html<String>, UiError> {
    let creditor = user.creditor.id;
    let letters = state.store(move |s| s.letters(creditor, None, 50)).await?;
    let t = lang.letters();
    let notice = match form.ok.as_deref() {
        Some("bukti") => Some(t.proof_saved),
        Some("kirim") => Some(t.sent_saved),
        _ => None,
    };
    render(&LettersPage {
        page: Page::new(lang, t.letters_title, user),
        t,
        csrf_token: user.csrf_token.clone(),
        stages: LETTER_STAGES
            .iter()
            .map(|s| (s.code(), lang.letter_stage(*s), form.stage == s.code()))
            .collect(),
        buckets: state.config().buckets.labels()[1..]
            .iter()
            .map(|b| (b.clone(), form.bucket == *b))
            .collect(),
        can_print: count.is_some_and(|n| n > 0 && n <= LETTER_CAP),
        form,
        count,
        cap: LETTER_CAP,
        notice,
        errors,
        rows: letters.iter().map(|l| LetterRow::new(lang, l)).collect(),
        today: state.today().to_string(),
    })
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn overview(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(form): Query<ChoiceForm>,
) -> Result<Response, UiError> {
    if form.hitung.is_none() {
        return Ok(draw(&state, lang, &user, form, None, Vec::new())
            .await?
            .into_response());
    }
    let counted = match form.choice(lang) {
        Ok(choice) => {
            let (creditor, buckets, today) = (
                user.creditor.clone(),
                state.config().buckets.clone(),
                state.today(),
            );
            state
                .store(move |s| {
                    Ok(letter::select(s, &creditor, &choice, &buckets, today).map(|(_, n)| n))
                })
                .await?
        }
        Err(e) => Err(e),
    };
    match counted {
        Ok(n) => Ok(draw(&state, lang, &user, form, Some(n), Vec::new())
            .await?
            .into_response()),
        Err(e) => refuse(&state, lang, &user, form, e).await,
    }
}

/// Re-draws the page with the error (422), or passes a store failure on.
async fn refuse(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    form: ChoiceForm,
    error: LetterError,
) -> Result<Response, UiError> {
    if let LetterError::Store(e) = error {
        return Err(e.into());
    }
    let page = draw(state, lang, user, form, None, vec![error.message(lang)]).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn print(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<ChoiceForm>,
) -> Result<Response, UiError> {
    let parsed = letter::parse_stage(&form.stage).and_then(|stage| {
        Ok((
            PrintInput {
                stage,
                deadline_days: form.deadline(lang)?,
            },
            form.choice(lang)?,
        ))
    });
    let (input, choice) = match parsed {
        Ok(p) => p,
        Err(e) => return refuse(&state, lang, &user, form, e).await,
    };
    let (creditor, buckets, today, now, actor) = (
        user.creditor.clone(),
        state.config().buckets.clone(),
        state.today(),
        state.now(),
        user.actor(),
    );
    let stage = input.stage;
    let printed = state
        .store(move |s| {
            Ok(
                letter::select(s, &creditor, &choice, &buckets, today).and_then(
                    |(accounts, count)| {
                        letter::print(s, &creditor, &accounts, count, &input, today, now, &actor)
                    },
                ),
            )
        })
        .await?;
    match printed {
        Ok(p) => {
            let name = format!("surat-{}-{today}.pdf", stage.code());
            Ok((
                [
                    (header::CONTENT_TYPE, "application/pdf".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                    (
                        header::HeaderName::from_static("x-sepakat-letters"),
                        p.letters.len().to_string(),
                    ),
                ],
                p.pdf,
            )
                .into_response())
        }
        Err(e) => refuse(&state, lang, &user, form, e).await,
    }
}

/// The proof form, read from its multipart body.
async fn read_proof(lang: Lang, mut multipart: Multipart) -> Result<NewProof, LetterError> {
    let t = lang.letters();
    let unreadable = || LetterError::File(t.proof_file.to_string());
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "evidence" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let media_type = field.content_type().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|_| unreadable())?;
            if !(file_name.is_empty() && bytes.is_empty()) {
                file = Some(NewEvidence {
                    media_type,
                    file_name,
                    bytes: bytes.to_vec(),
                    gps: None,
                    captured_at: None,
                });
            }
        } else {
            fields.push((name, field.text().await.map_err(|_| unreadable())?));
        }
    }
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let delivered = match get("outcome").as_str() {
        "delivered" => true,
        "returned" => false,
        _ => return Err(LetterError::Outcome),
    };
    let on_text = get("on");
    let on = NaiveDate::parse_from_str(&on_text, "%Y-%m-%d")
        .map_err(|_| LetterError::Date(on_text.clone()))?;
    Ok(NewProof {
        tracking: get("tracking"),
        delivered,
        on,
        received_by: get("received_by"),
        note: get("note"),
        file,
    })
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn proof(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    multipart: Multipart,
) -> Result<Response, UiError> {
    let proof = match read_proof(lang, multipart).await {
        Ok(p) => p,
        Err(e) => return refuse(&state, lang, &user, ChoiceForm::default(), e).await,
    };
    let (creditor, today, now, actor) = (
        user.creditor.clone(),
        state.today(),
        state.now(),
        user.actor(),
    );
    let result = state
        .store(move |s| {
            Ok(letter::record_proof(
                s, &creditor, &proof, today, now, &actor,
            ))
        })
        .await?;
    match result {
        Ok(_) => Ok(Redirect::to("/surat?ok=bukti").into_response()),
        Err(e) => refuse(&state, lang, &user, ChoiceForm::default(), e).await,
    }
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn mark_sent(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(tracking): Path<String>,
) -> Result<Response, UiError> {
    let (creditor, now, actor) = (user.creditor.id, state.now(), user.actor());
    let t = tracking.clone();
    let result = state
        .store(move |s| Ok(s.mark_letter_sent(creditor, &t, now, &actor)))
        .await?;
    match result {
        Ok(_) => Ok(Redirect::to("/surat?ok=kirim").into_response()),
        Err(sepakat_store::StoreError::NotFound(_)) => Err(UiError::NotFound),
        Err(sepakat_store::StoreError::Conflict(_)) => {
            let e = LetterError::Final(tracking);
            refuse(&state, lang, &user, ChoiceForm::default(), e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /surat/berkas/{id}`: a letter's proof file, as stored; 404 for another creditor's.
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn proof_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw_id): Path<String>,
) -> Result<Response, UiError> {
    let id = raw_id.parse::<i64>().map_err(|_| UiError::NotFound)?;
    let creditor = user.creditor.id;
    let (info, bytes) = state
        .store(move |s| s.letter_proof_file(creditor, sepakat_store::LetterId(id)))
        .await?
        .ok_or(UiError::NotFound)?;
    // The name as uploaded, without anything that could break the header.
    let name: String = info
        .file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, info.media_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
