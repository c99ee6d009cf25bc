//! `/api/v1/accounts…`: search, one account, its payments and audit trail, and posting a
//! payment. Reads are audited through `access`; bad input names the field and stores
//! nothing.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use sepakat_domain::{ProductType, Rupiah};
use sepakat_store::{AccountQuery, EntityRef, NewPayment, NewPaymentData, StoreError};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use crate::access::{read_account, Via};
use crate::api::error::{ApiError, ErrorBody};
use crate::api::views::{
    AccountListView, AccountSummaryView, AccountView, AuditEntryView, PaymentRequest, PaymentView,
};
use crate::api::ApiUser;
use crate::standing::Standing;
use crate::AppState;

/// Query of `GET /api/v1/accounts`. Numbers arrive as text so errors can name the field.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Part of a name, an account-number prefix, or a whole NIK or phone number.
    q: Option<String>,
    /// Product code (`kta`, `kpr`, `kartu_kredit`, …).
    product: Option<String>,
    /// 1–500, default 50.
    limit: Option<String>,
    /// ≥ 0, default 0.
    offset: Option<String>,
}

/// Search accounts of the active creditor.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", params(ListParams),
    responses(
        (status = 200, description = "Matching accounts, personal data masked", body = AccountListView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn list_accounts(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<ListParams>,
) -> Result<Json<AccountListView>, ApiError> {
    let product = match params
        .product
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(code) => Some(ProductType::parse(code).ok_or_else(|| {
            ApiError::invalid("product", format!("unknown product code {code:?}"))
        })?),
        None => None,
    };
    let limit = number(params.limit.as_deref(), "limit", 50, 1, 500)?;
    let offset = number(params.offset.as_deref(), "offset", 0, 0, 1_000_000)?;
    let text = params
        .q
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
        return Err(ApiError::invalid("q", "at most 100 characters"));
    }
    let query = AccountQuery {
        text,
        product,
        open_only: false,
        limit,
        offset,
    };
    let creditor = user.creditor.id;
    let items = state
        .store(move |s| s.search_accounts(creditor, &query))
        .await?;
    let today = state.today();
    let items = items
        .into_iter()
        .map(|item| {
            let standing = Standing::of(
                item.oldest_unpaid_due,
                today,
                &user.creditor.regime,
                &state.config().buckets,
            );
            AccountSummaryView::new(item, standing)
        })
        .collect();
    Ok(Json(AccountListView {
        items,
        limit,
        offset,
    }))
}

/// A whole number within bounds, or a 422 naming the field.
fn number(
    text: Option<&str>,
    field: &'static str,
    default: u32,
    min: u32,
    max: u32,
) -> Result<u32, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(t) => t
            .parse::<u32>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(field, format!("must be a whole number from {min} to {max}"))
            }),
    }
}

/// One account with its debtor (masked), balance and standing. Audited.
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 200, body = AccountView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn get_account(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<AccountView>, ApiError> {
    let account = read_account(
        &state,
        user.actor(),
        &user.creditor,
        &raw_id,
        Via::Api,
        Some("detail"),
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    let standing = Standing::of(
        account.balance.oldest_unpaid_due,
        state.today(),
        &user.creditor.regime,
        &state.config().buckets,
    );
    Ok(Json(AccountView::new(account, standing)))
}

/// Payments of an account, oldest first, reversals included. Audited.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/payments", tag = "payments",
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 200, body = Vec<PaymentView>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn list_payments(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
) -> Result<Json<Vec<PaymentView>>, ApiError> {
    let account = read_account(
        &state,
        user.actor(),
        &user.creditor,
        &raw_id,
        Via::Api,
        Some("payments"),
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    let creditor = user.creditor.id;
    let payments = state
        .store(move |s| s.payments(creditor, account.id))
        .await?;
    Ok(Json(payments.into_iter().map(PaymentView::from).collect()))
}

/// Query of the audit endpoint.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// 1–500, default 100.
    limit: Option<String>,
}

/// The audit trail of an account, newest first (supervisor, manager, compliance, admin).
#[utoipa::path(get, path = "/api/v1/accounts/{id}/audit", tag = "accounts",
    params(("id" = i64, Path, description = "Account id"), AuditParams),
    responses(
        (status = 200, body = Vec<AuditEntryView>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn get_audit(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
    Query(params): Query<AuditParams>,
) -> Result<Json<Vec<AuditEntryView>>, ApiError> {
    let limit = number(params.limit.as_deref(), "limit", 100, 1, 500)?;
    let account = read_account(
        &state,
        user.actor(),
        &user.creditor,
        &raw_id,
        Via::Api,
        Some("audit"),
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    let creditor = user.creditor.id;
    let entity = EntityRef::new("account", account.id);
    let entries = state
        .store(move |s| s.audit_trail(creditor, &entity, limit))
        .await?;
    Ok(Json(
        entries.into_iter().map(AuditEntryView::from).collect(),
    ))
}

/// Post a payment to an account, allocated in the configured order (supervisor, manager,
/// admin). Validation errors name the field; nothing is stored unless all is valid.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/payments", tag = "payments",
    params(("id" = i64, Path, description = "Account id")),
    request_body = PaymentRequest,
    responses(
        (status = 201, description = "Posted", body = PaymentView),
        (status = 400, description = "Body is not a JSON object", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Reference already used", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
pub async fn post_payment(
    State(state): State<AppState>,
    user: ApiUser,
    Path(raw_id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<PaymentView>), ApiError> {
    let data = parse_payment(&body, state.now())?;
    let account = read_account(
        &state,
        user.actor(),
        &user.creditor,
        &raw_id,
        Via::Api,
        None,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    let creditor = user.creditor.id;
    let order = state.config().allocation_order.clone();
    let actor = user.actor();
    let payment = NewPayment {
        account: account.id,
        data,
    };
    let posted = state
        .store(move |s| s.post_payment(creditor, &payment, &order, &actor))
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::Conflict {
                field: Some("reference".into()),
                message: "this reference was already used for this creditor".into(),
            },
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(posted.into())))
}

/// Payment channels accepted from the API.
pub const CHANNELS: &[&str] = &[
    "transfer",
    "va",
    "teller",
    "qris",
    "ewallet",
    "autodebet",
    "other",
];

/// Reads a payment request, naming the first field that is missing or wrong.
pub fn parse_payment(body: &[u8], now: DateTime<Utc>) -> Result<NewPaymentData, ApiError> {
    let malformed = |message: &str| ApiError::Validation {
        status: StatusCode::BAD_REQUEST,
        field: None,
        message: message.to_string(),
    };
    let value: Value =
        serde_json::from_slice(body).map_err(|_| malformed("body is not valid JSON"))?;
    let object = value
        .as_object()
        .ok_or_else(|| malformed("body must be a JSON object"))?;
    let field = |name: &'static str| {
        object
            .get(name)
            .filter(|v| !v.is_null())
            .ok_or_else(|| ApiError::invalid(name, "is required"))
    };
    let amount = match field("amount")? {
        Value::Number(n) => n
            .as_i64()
            .map(Rupiah::new)
            .ok_or_else(|| ApiError::invalid("amount", "must be whole rupiah (no decimals)"))?,
        Value::String(s) => {
            Rupiah::parse(s).map_err(|e| ApiError::invalid("amount", e.to_string()))?
        }
        _ => return Err(ApiError::invalid("amount", "must be a number of rupiah")),
    };
    if !amount.is_positive() {
        return Err(ApiError::invalid("amount", "must be more than zero"));
    }
    if amount.value() > 1_000_000_000_000_000 {
        return Err(ApiError::invalid("amount", "is too large"));
    }
    let paid_at = field("paid_at")?
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            ApiError::invalid(
                "paid_at",
                "must be an RFC 3339 time, e.g. 2026-11-24T14:30:00+07:00",
            )
        })?;
    if paid_at > now {
        return Err(ApiError::invalid("paid_at", "must not be in the future"));
    }
    let reference = field("reference")?
        .as_str()
        .map(str::trim)
        .ok_or_else(|| ApiError::invalid("reference", "must be text"))?;
    if reference.is_empty()
        || reference.chars().count() > 64
        || reference.chars().any(char::is_control)
    {
        return Err(ApiError::invalid(
            "reference",
            "must be 1 to 64 printable characters",
        ));
    }
    let channel = field("channel")?
        .as_str()
        .map(|s| s.trim().to_lowercase())
        .filter(|c| CHANNELS.contains(&c.as_str()))
        .ok_or_else(|| {
            ApiError::invalid("channel", format!("must be one of {}", CHANNELS.join(", ")))
        })?;
    Ok(NewPaymentData {
        paid_at,
        amount,
        reference: reference.to_string(),
        channel,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-24T07:00:00Z".parse().unwrap()
    }

    fn field_of(body: &str) -> Option<String> {
        match parse_payment(body.as_bytes(), now()) {
            Err(ApiError::Validation { field, .. }) => field.map(|f| f.into_owned()),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_payment_parses() {
        let p = parse_payment(
            br#"{"amount": 1250000, "paid_at": "2026-11-24T10:00:00+07:00", "reference": "TRX-1", "channel": "Transfer"}"#,
            now(),
        )
        .unwrap();
        assert_eq!(p.amount, Rupiah::new(1_250_000));
        assert_eq!(p.channel, "transfer");
        assert_eq!(
            p.paid_at,
            "2026-11-24T03:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn amounts_may_be_typed_the_indonesian_way() {
        let p = parse_payment(
            br#"{"amount": "Rp1.250.000", "paid_at": "2026-11-24T10:00:00+07:00", "reference": "T", "channel": "va"}"#,
            now(),
        )
        .unwrap();
        assert_eq!(p.amount, Rupiah::new(1_250_000));
    }

    #[test]
    fn each_bad_field_is_named() {
        let ok_rest =
            r#""paid_at": "2026-11-24T10:00:00+07:00", "reference": "T", "channel": "va""#;
        assert_eq!(
            field_of(&format!(r#"{{{ok_rest}}}"#)),
            Some("amount".to_string())
        );
        assert_eq!(
            field_of(&format!(r#"{{"amount": 0, {ok_rest}}}"#)),
            Some("amount".to_string())
        );
        assert_eq!(
            field_of(&format!(r#"{{"amount": -5, {ok_rest}}}"#)),
            Some("amount".to_string())
        );
        assert_eq!(
            field_of(&format!(r#"{{"amount": 1.5, {ok_rest}}}"#)),
            Some("amount".to_string())
        );
        assert_eq!(
            field_of(&format!(r#"{{"amount": "abc", {ok_rest}}}"#)),
            Some("amount".to_string())
        );
        assert_eq!(
            field_of(&format!(r#"{{"amount": true, {ok_rest}}}"#)),
            Some("amount".to_string())
        );
        let base = r#""amount": 1000, "reference": "T", "channel": "va""#;
        assert_eq!(
            field_of(&format!(r#"{{{base}, "paid_at": "yesterday"}}"#)),
            Some("paid_at".to_string())
        );
        assert_eq!(
            field_of(&format!(r#"{{{base}, "paid_at": "2027-01-01T00:00:00Z"}}"#)),
            Some("paid_at".to_string())
        );
        let base = r#""amount": 1000, "paid_at": "2026-11-24T10:00:00+07:00", "channel": "va""#;
        assert_eq!(
            field_of(&format!(r#"{{{base}, "reference": ""}}"#)),
            Some("reference".to_string())
        );
        assert_eq!(
            field_of(&format!(r#"{{{base}, "reference": "{}"}}"#, "x".repeat(65))),
            Some("reference".to_string())
        );
        assert_eq!(
            field_of(&format!(r#"{{{base}, "reference": "a\nb"}}"#)),
            Some("reference".to_string())
        );
        let base = r#""amount": 1000, "paid_at": "2026-11-24T10:00:00+07:00", "reference": "T""#;
        assert_eq!(
            field_of(&format!(r#"{{{base}, "channel": "cash<script>"}}"#)),
            Some("channel".to_string())
        );
        assert_eq!(
            field_of(&format!(r#"{{{base}}}"#)),
            Some("channel".to_string())
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_is_malformed() {
        assert_eq!(field_of("not json"), None);
        assert_eq!(field_of("[1,2]"), None);
    }

    #[test]
    fn list_numbers_are_bounded() {
        assert_eq!(number(None, "limit", 50, 1, 500).unwrap(), 50);
        assert_eq!(number(Some("10"), "limit", 50, 1, 500).unwrap(), 10);
        assert!(number(Some("0"), "limit", 50, 1, 500).is_err());
        assert!(number(Some("501"), "limit", 50, 1, 500).is_err());
        assert!(number(Some("-1"), "offset", 0, 0, 10).is_err());
    }
}
