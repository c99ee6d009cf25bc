//! Reading accounts: search lists (masked personal data), the detail page, and the
//! portfolio overview grouped by product and DPD. Every query filters on the creditor.

use chrono::NaiveDate;
use postgres::types::ToSql;
use postgres::{GenericClient, Row};
use sepakat_domain::{Balance, LoanTerms, Nik, Phone, Rate, Rupiah};

use super::codec::{
    corrupt, get, get_parsed, get_parsed_opt, get_province, get_u32, parse_email, parse_gender,
    parse_kind, parse_method, parse_nik, parse_npwp, parse_phone, parse_product, parse_status,
};
use super::db_err;
use crate::{
    AccountDetail, AccountId, AccountListItem, AccountQuery, AccountStatus, CreditorId, Debtor,
    DebtorId, DebtorUpsert, PortfolioGroup, StoreResult,
};

/// The most rows one search returns.
const MAX_LIMIT: u32 = 500;

/// Accounts matching a query, oldest unpaid due first, then by account number.
pub(super) fn search(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    query: &AccountQuery,
) -> StoreResult<Vec<AccountListItem>> {
    let mut sql = String::from(
        "SELECT a.id, a.account_no, d.name, d.nik, d.phone, d.province, a.product,
                a.total_outstanding AS outstanding, a.oldest_unpaid_due, a.status
         FROM accounts a JOIN debtors d ON d.id = a.debtor_id
         WHERE a.creditor_id = $1",
    );
    let mut params: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(creditor.0)];
    let text = query.text.as_deref().map(str::trim).unwrap_or("");
    if !text.is_empty() {
        let pattern = like_escape(text);
        params.push(Box::new(format!("%{pattern}%")));
        params.push(Box::new(format!("{pattern}%")));
        let mut alternatives = vec![
            format!("d.name ILIKE ${}", params.len() - 1),
            format!("a.account_no LIKE ${}", params.len()),
        ];
        // A whole NIK or phone number matches exactly, in its normalised form.
        if let Ok(nik) = Nik::parse(text) {
            params.push(Box::new(nik.as_str().to_string()));
            alternatives.push(format!("d.nik = ${}", params.len()));
        } else if let Ok(phone) = Phone::parse(text) {
            params.push(Box::new(phone.as_str().to_string()));
            alternatives.push(format!("d.phone = ${}", params.len()));
        }
        sql.push_str(&format!(" AND ({})", alternatives.join(" OR ")));
    }
    if let Some(product) = query.product {
        params.push(Box::new(product.code()));
        sql.push_str(&format!(" AND a.product = ${}", params.len()));
    }
    if query.open_only {
        sql.push_str(" AND a.status = 'open'");
    }
    // No limit (0) means the cap.
    let limit = match query.limit {
        0 => MAX_LIMIT,
        n => n.min(MAX_LIMIT),
    };
    params.push(Box::new(i64::from(limit)));
    params.push(Box::new(i64::from(query.offset)));
    sql.push_str(&format!(
        " ORDER BY a.oldest_unpaid_due ASC NULLS LAST, a.account_no
          LIMIT ${} OFFSET ${}",
        params.len() - 1,
        params.len()
    ));
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
    client
        .query(&sql, &refs)
        .map_err(db_err("searching accounts"))?
        .iter()
        .map(|row| {
            let nik = get_parsed_opt(row, "nik", parse_nik)?;
            let phone = get_parsed_opt(row, "phone", parse_phone)?;
            Ok(AccountListItem {
                id: AccountId(get(row, "id")?),
                account_no: get(row, "account_no")?,
                debtor_name: get(row, "name")?,
                nik_masked: nik.map(|n| n.masked()),
                phone_masked: phone.map(|p| p.masked()),
                province: get_province(row, "province")?,
                product: get_parsed(row, "product", parse_product)?,
                outstanding: Rupiah::new(get(row, "outstanding")?),
                oldest_unpaid_due: get(row, "oldest_unpaid_due")?,
                status: get_parsed(row, "status", parse_status)?,
            })
        })
        .collect()
}

/// Escapes `\`, `%` and `_` so user text matches literally in LIKE.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The columns `decode_detail` reads, for `accounts a JOIN debtors d`.
pub(super) const DETAIL_COLUMNS: &str = "
    a.id, a.creditor_id, a.account_no, a.product, a.principal, a.annual_rate_ppm,
    a.tenor_months, a.first_due, a.method, a.instalment, a.opened_on,
    a.outstanding_principal, a.arrears_principal, a.arrears_interest, a.penalty, a.fees,
    a.oldest_unpaid_due, a.last_payment_on, a.last_payment_amount, a.status,
    d.id AS debtor_id, d.debtor_key, d.kind, d.name, d.nik, d.npwp, d.gender, d.birth_date,
    d.phone, d.email, d.address, d.city, d.province, d.employer";

/// One account with its debtor, by id.
pub(super) fn by_id(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    id: AccountId,
) -> StoreResult<Option<AccountDetail>> {
    let sql = format!(
        "SELECT {DETAIL_COLUMNS} FROM accounts a JOIN debtors d ON d.id = a.debtor_id
         WHERE a.creditor_id = $1 AND a.id = $2"
    );
    client
        .query_opt(&sql, &[&creditor.0, &id.0])
        .map_err(db_err("reading an account"))?
        .map(|row| decode_detail(&row))
        .transpose()
}

/// One account with its debtor, by number.
pub(super) fn by_number(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    account_no: &str,
) -> StoreResult<Option<AccountDetail>> {
    let sql = format!(
        "SELECT {DETAIL_COLUMNS} FROM accounts a JOIN debtors d ON d.id = a.debtor_id
         WHERE a.creditor_id = $1 AND a.account_no = $2"
    );
    client
        .query_opt(&sql, &[&creditor.0, &account_no])
        .map_err(db_err("reading an account"))?
        .map(|row| decode_detail(&row))
        .transpose()
}

/// The balance columns of an `accounts a` row.
pub(super) fn decode_balance(row: &Row) -> StoreResult<Balance> {
    Ok(Balance {
        outstanding_principal: Rupiah::new(get(row, "outstanding_principal")?),
        arrears_principal: Rupiah::new(get(row, "arrears_principal")?),
        arrears_interest: Rupiah::new(get(row, "arrears_interest")?),
        penalty: Rupiah::new(get(row, "penalty")?),
        fees: Rupiah::new(get(row, "fees")?),
        oldest_unpaid_due: get(row, "oldest_unpaid_due")?,
    })
}

/// An account row with `DETAIL_COLUMNS`.
pub(super) fn decode_detail(row: &Row) -> StoreResult<AccountDetail> {
    let rate: i32 = get(row, "annual_rate_ppm")?;
    let last_on: Option<NaiveDate> = get(row, "last_payment_on")?;
    let last_amount: Option<i64> = get(row, "last_payment_amount")?;
    Ok(AccountDetail {
        id: AccountId(get(row, "id")?),
        creditor: CreditorId(get(row, "creditor_id")?),
        account_no: get(row, "account_no")?,
        debtor: Debtor {
            id: DebtorId(get(row, "debtor_id")?),
            data: DebtorUpsert {
                key: get(row, "debtor_key")?,
                kind: get_parsed(row, "kind", parse_kind)?,
                name: get(row, "name")?,
                nik: get_parsed_opt(row, "nik", parse_nik)?,
                npwp: get_parsed_opt(row, "npwp", parse_npwp)?,
                gender: get_parsed_opt(row, "gender", parse_gender)?,
                birth_date: get(row, "birth_date")?,
                phone: get_parsed_opt(row, "phone", parse_phone)?,
                email: get_parsed_opt(row, "email", parse_email)?,
                address: get(row, "address")?,
                city: get(row, "city")?,
                province: get_province(row, "province")?,
                employer: get(row, "employer")?,
            },
        },
        product: get_parsed(row, "product", parse_product)?,
        terms: LoanTerms {
            principal: Rupiah::new(get(row, "principal")?),
            annual_rate: Rate::from_ppm(
                u32::try_from(rate).map_err(|_| corrupt("annual_rate_ppm", rate))?,
            ),
            tenor_months: get_u32(row, "tenor_months")?,
            first_due: get(row, "first_due")?,
            method: get_parsed(row, "method", parse_method)?,
        },
        instalment: Rupiah::new(get(row, "instalment")?),
        opened_on: get(row, "opened_on")?,
        balance: decode_balance(row)?,
        last_payment: last_on.zip(last_amount.map(Rupiah::new)),
        status: get_parsed(row, "status", parse_status)?,
    })
}

/// Open accounts grouped by product and DPD on `as_of`, in `ProductType` order then DPD.
pub(super) fn portfolio_by_dpd(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    as_of: NaiveDate,
) -> StoreResult<Vec<PortfolioGroup>> {
    // DPD as `Dpd::as_of`: days since the oldest unpaid due date, 0 if none or not past.
    let sql = String::from(
        "SELECT a.product,
                CASE WHEN a.oldest_unpaid_due IS NULL OR a.oldest_unpaid_due >= $2 THEN 0
                     ELSE $2 - a.oldest_unpaid_due END AS dpd,
                count(*) AS accounts,
                sum(a.total_outstanding)::BIGINT AS outstanding
         FROM accounts a
         WHERE a.creditor_id = $1 AND a.status = $3
         GROUP BY 1, 2",
    );
    let mut groups = client
        .query(&sql, &[&creditor.0, &as_of, &AccountStatus::Open.code()])
        .map_err(db_err("grouping the portfolio by DPD"))?
        .iter()
        .map(|row| {
            let dpd: i32 = get(row, "dpd")?;
            let accounts: i64 = get(row, "accounts")?;
            Ok(PortfolioGroup {
                product: get_parsed(row, "product", parse_product)?,
                dpd: u32::try_from(dpd).map_err(|_| corrupt("dpd", dpd))?,
                accounts: u64::try_from(accounts).map_err(|_| corrupt("accounts", accounts))?,
                outstanding: Rupiah::new(get(row, "outstanding")?),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    // The enum's order, not the codes' alphabetical order.
    groups.sort_by_key(|g| (g.product, g.dpd));
    Ok(groups)
}
