//! The contact form of the account workspace and the claim buttons:
//! `POST /akun/{id}/kontak` (multipart: evidence files ride along), `POST /akun/{id}/ambil`,
//! `POST /akun/{id}/lepas`, the debtor's other contacts: `POST /akun/{id}/kontak-lain`, and
//! a follow-up marked done: `POST /akun/{id}/tindak-lanjut/{follow_up}/selesai`.
//! A refused form re-draws the workspace with the reason.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use chrono::{NaiveDate, NaiveDateTime};
use sepakat_domain::compliance::{Channel, Party};
use sepakat_domain::interaction::{Direction, Outcome, Reason};
use sepakat_domain::Rupiah;
use sepakat_store::{AccountDetail, FollowUpId, NewEvidence};

use crate::i18n::{Lang, Named};
use crate::session::CurrentUser;
use crate::ui::account::{draw, load_account, Notice};
use crate::ui::csrf::MAX_UPLOAD_BYTES;
use crate::ui::error::UiError;
use crate::work::contact::ContactInput;
use crate::work::debtor::{add_contact, ContactInput as OtherContact};
use crate::work::{Problem, WorkError, Worker};
use crate::AppState;

/// `POST /akun/{id}/kontak`, `/ambil`, `/lepas`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/akun/{id}/kontak",
            post(log_contact).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/akun/{id}/kontak-lain", post(add_other_contact))
        .route("/akun/{id}/ambil", post(take))
        .route("/akun/{id}/lepas", post(release))
        .route(
            "/akun/{id}/tindak-lanjut/{follow_up}/selesai",
            post(complete_follow_up),
        )
}

/// Re-draws the workspace with `error` (422), or passes other failures on.
async fn refused(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    account: AccountDetail,
    error: WorkError,
) -> Result<Response, UiError> {
    if let WorkError::Store(e) = error {
        return Err(UiError::Internal(e.to_string()));
    }
    let page = draw(
        state,
        lang,
        user,
        account,
        &Notice::default(),
        vec![error.message(lang)],
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn log_contact(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    multipart: Multipart,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    let input = match read_form(multipart).await {
        Ok(form) => form.into_input(),
        Err(e) => Err(e),
    };
    let input = match input {
        Ok(input) => input,
        Err(e) => return refused(&state, lang, &user, account, e).await,
    };
    match crate::work::contact::log(&state, &(&user).into(), &account, input).await {
        Ok(ids) => {
            let mut to = format!("/akun/{}?ok=kontak", account.id);
            if let Some(p) = ids.promise {
                to.push_str(&format!("&janji={p}"));
            }
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => refused(&state, lang, &user, account, e).await,
    }
}

#[derive(serde::Deserialize)]
struct OtherContactForm {
    party: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    relation: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    note: String,
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn add_other_contact(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<OtherContactForm>,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    let party = match Party::parse(&form.party) {
        Ok(p) => p,
        Err(e) => {
            let e = WorkError::invalid(
                "party",
                Problem::Unknown {
                    value: form.party.clone(),
                    expected: e.expected,
                },
            );
            return refused(&state, lang, &user, account, e).await;
        }
    };
    let input = OtherContact {
        party,
        name: form.name,
        relation: form.relation,
        phone: form.phone,
        note: form.note,
    };
    let (worker, now, held) = (Worker::from(&user), state.now(), account.clone());
    let result = state
        .store(move |s| Ok(add_contact(s, &worker, &held, input, now)))
        .await?;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/akun/{}?ok=kontak-lain", account.id)).into_response()),
        Err(e) => refused(&state, lang, &user, account, e).await,
    }
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn take(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    match crate::work::claim::take(&state, &(&user).into(), &account).await {
        Ok(_) => Ok(Redirect::to(&format!("/akun/{}", account.id)).into_response()),
        Err(e) => refused(&state, lang, &user, account, e).await,
    }
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn release(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(raw_id): Path<String>,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    match crate::work::claim::release(&state, &(&user).into(), &account).await {
        Ok(()) => Ok(Redirect::to("/kerja").into_response()),
        Err(e) => refused(&state, lang, &user, account, e).await,
    }
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn complete_follow_up(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((raw_id, follow_up)): Path<(String, i64)>,
) -> Result<Response, UiError> {
    let account = load_account(&state, &user, &raw_id).await?;
    let id = FollowUpId(follow_up);
    match crate::work::contact::complete_follow_up(&state, &(&user).into(), &account, id).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/akun/{}?ok=tindak-lanjut", account.id)).into_response())
        }
        Err(e) => refused(&state, lang, &user, account, e).await,
    }
}

/// The form's fields as sent.
#[derive(Default)]
struct ContactForm {
    fields: Vec<(String, String)>,
    files: Vec<NewEvidence>,
}

async fn read_form(mut multipart: Multipart) -> Result<ContactForm, WorkError> {
    let mut form = ContactForm::default();
    let unreadable = || WorkError::invalid("evidence", Problem::Required);
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "evidence" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let media_type = field.content_type().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|_| unreadable())?;
            // A file input left empty still sends a part, without a name or content.
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            form.files.push(NewEvidence {
                media_type,
                file_name,
                bytes: bytes.to_vec(),
                gps: None,
                captured_at: None,
            });
        } else {
            let text = field.text().await.map_err(|_| unreadable())?;
            form.fields.push((name, text));
        }
    }
    Ok(form)
}

impl ContactForm {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A code field that must be filled.
    fn required<T: Named + std::str::FromStr>(&self, field: &'static str) -> Result<T, WorkError> {
        self.coded(field)?
            .ok_or_else(|| WorkError::invalid(field, Problem::Required))
    }

    /// A code field (channel, outcome, …), None when empty; an unknown code is named with
    /// the accepted ones.
    fn coded<T: Named + std::str::FromStr>(
        &self,
        field: &'static str,
    ) -> Result<Option<T>, WorkError> {
        let Some(value) = self.get(field) else {
            return Ok(None);
        };
        value.parse::<T>().map(Some).map_err(|_| {
            WorkError::invalid(
                field,
                Problem::Unknown {
                    value: value.to_string(),
                    expected: T::all()
                        .iter()
                        .map(|v| v.code())
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            )
        })
    }

    fn into_input(self) -> Result<ContactInput, WorkError> {
        let channel = self.required::<Channel>("channel")?;
        let direction = self.required::<Direction>("direction")?;
        let party = self.required::<Party>("party")?;
        let outcome = self.required::<Outcome>("outcome")?;
        let reason = self.coded::<Reason>("reason")?;
        let amount = self
            .get("promise_amount")
            .map(|v| {
                Rupiah::parse(v).map_err(|_| {
                    WorkError::invalid("promise.amount", Problem::NotAnAmount(v.to_string()))
                })
            })
            .transpose()?;
        let date = self
            .get("promise_date")
            .map(|v| {
                v.parse::<NaiveDate>().map_err(|_| {
                    WorkError::invalid("promise.date", Problem::NotADate(v.to_string()))
                })
            })
            .transpose()?;
        let promise = match (amount, date) {
            (Some(a), Some(d)) => Some((a, d)),
            (None, None) => None,
            (Some(_), None) => return Err(WorkError::invalid("promise.date", Problem::Required)),
            (None, Some(_)) => return Err(WorkError::invalid("promise.amount", Problem::Required)),
        };
        let call_back_at = self
            .get("call_back_at")
            .map(|v| {
                NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M").map_err(|_| {
                    WorkError::invalid("call_back_at", Problem::NotATime(v.to_string()))
                })
            })
            .transpose()?;
        let gps = self.get("gps").map(parse_gps).transpose()?;
        let notes = self.get("notes").unwrap_or_default().to_string();
        let idempotency_key = self.get("idempotency_key").map(str::to_string);
        let mut evidence = self.files;
        for e in &mut evidence {
            e.gps = gps;
        }
        Ok(ContactInput {
            channel,
            direction,
            party,
            outcome,
            reason,
            notes,
            promise,
            call_back_at,
            evidence,
            idempotency_key,
        })
    }
}

/// `latitude, longitude` as two decimal numbers.
pub(crate) fn parse_gps(text: &str) -> Result<(f64, f64), WorkError> {
    let bad = || WorkError::invalid("gps", Problem::NotGps(text.to_string()));
    let (lat, lon) = text.split_once(',').ok_or_else(bad)?;
    let lat: f64 = lat.trim().parse().map_err(|_| bad())?;
    let lon: f64 = lon.trim().parse().map_err(|_| bad())?;
    if !(lat.is_finite() && lon.is_finite()) {
        return Err(bad());
    }
    Ok((lat, lon))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(fields: &[(&str, &str)]) -> ContactForm {
        ContactForm {
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            files: Vec::new(),
        }
    }

    const BASE: [(&str, &str); 4] = [
        ("channel", "call"),
        ("direction", "outbound"),
        ("party", "debtor"),
        ("outcome", "promise_to_pay"),
    ];

    #[test]
    fn a_full_form_parses_with_the_promise_and_call_back() {
        let mut fields = BASE.to_vec();
        fields.extend([
            ("promise_amount", "1.250.000"),
            ("promise_date", "2026-12-05"),
            ("call_back_at", "2026-12-03T09:30"),
            ("reason", "job_loss"),
        ]);
        let input = form(&fields).into_input().unwrap();
        assert_eq!(
            input.promise,
            Some((Rupiah::new(1_250_000), "2026-12-05".parse().unwrap()))
        );
        assert_eq!(input.reason, Some(Reason::JobLoss));
        assert_eq!(
            input.call_back_at.unwrap().to_string(),
            "2026-12-03 09:30:00"
        );
    }

    #[test]
    fn bad_fields_are_named() {
        let field_of = |fields: &[(&str, &str)]| match form(fields).into_input() {
            Err(WorkError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        };
        let mut f = BASE.to_vec();
        f[3] = ("outcome", "threatened");
        assert_eq!(field_of(&f), "outcome");
        let mut f = BASE.to_vec();
        f.push(("promise_amount", "sejuta"));
        assert_eq!(field_of(&f), "promise.amount");
        let mut f = BASE.to_vec();
        f.push(("promise_amount", "100000"));
        assert_eq!(field_of(&f), "promise.date");
        let mut f = BASE.to_vec();
        f.push(("gps", "north"));
        assert_eq!(field_of(&f), "gps");
        assert_eq!(field_of(&BASE[..3]), "outcome");
    }

    #[test]
    fn gps_is_two_numbers() {
        assert_eq!(parse_gps("-6.2088, 106.8456").unwrap(), (-6.2088, 106.8456));
        assert!(parse_gps("-6.2").is_err());
        assert!(parse_gps("NaN, 1").is_err());
    }
}
