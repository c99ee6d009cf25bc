//! Reading accounts: detail with debtor, list search, and the portfolio overview.

use chrono::NaiveDate;
use rusqlite::{params, Connection, Row, ToSql};
use sepakat_domain::{Balance, LoanTerms, Nik, Phone, Rate};

use super::codec::{
    corrupt, count, day, email, gender, kind, method, nik, npwp, phone, product, province, rupiah,
    status, to_day, to_opt_day,
};
use crate::{
    AccountDetail, AccountId, AccountListItem, AccountQuery, CreditorId, Debtor, DebtorId,
    DebtorUpsert, PortfolioGroup, StoreResult,
};

/// The most rows one search returns.
const MAX_LIMIT: u32 = 500;

const DETAIL_SELECT: &str = "
    SELECT a.id, a.creditor_id, a.account_no, a.product, a.principal, a.annual_rate_ppm,
           a.tenor_months, a.first_due, a.method, a.instalment, a.opened_on,
           a.outstanding_principal, a.arrears_principal, a.arrears_interest, a.penalty, a.fees,
           a.oldest_unpaid_due, a.last_payment_on, a.last_payment_amount, a.status,
           d.id, d.debtor_key, d.kind, d.name, d.nik, d.npwp, d.gender, d.birth_date, d.phone,
           d.email, d.address, d.city, d.province, d.employer
    FROM accounts a JOIN debtors d ON d.id = a.debtor_id AND d.creditor_id = a.creditor_id";

/// The balance stored in columns `at..at+6` (five amounts, then the oldest unpaid due).
pub(crate) fn balance_at(row: &Row, at: usize) -> StoreResult<Balance> {
    Ok(Balance {
        outstanding_principal: rupiah(row, at)?,
        arrears_principal: rupiah(row, at + 1)?,
        arrears_interest: rupiah(row, at + 2)?,
        penalty: rupiah(row, at + 3)?,
        fees: rupiah(row, at + 4)?,
        oldest_unpaid_due: to_opt_day(row.get(at + 5)?)?,
    })
}

fn decode_detail(row: &Row) -> StoreResult<AccountDetail> {
    let rate: i64 = row.get(5)?;
    let last_on: Option<i64> = row.get(17)?;
    let last_amount: Option<i64> = row.get(18)?;
    let last_payment = match (last_on, last_amount) {
        (Some(on), Some(amount)) => Some((to_day(on)?, sepakat_domain::Rupiah::new(amount))),
        _ => None,
    };
    Ok(AccountDetail {
        id: AccountId(row.get(0)?),
        creditor: CreditorId(row.get(1)?),
        account_no: row.get(2)?,
        product: product(&row.get::<_, String>(3)?)?,
        terms: LoanTerms {
            principal: rupiah(row, 4)?,
            annual_rate: Rate::from_ppm(u32::try_from(rate).map_err(|_| corrupt("rate", rate))?),
            tenor_months: count(row, 6)?,
            first_due: to_day(row.get(7)?)?,
            method: method(&row.get::<_, String>(8)?)?,
        },
        instalment: rupiah(row, 9)?,
        opened_on: to_day(row.get(10)?)?,
        balance: balance_at(row, 11)?,
        last_payment,
        status: status(&row.get::<_, String>(19)?)?,
        debtor: Debtor {
            id: DebtorId(row.get(20)?),
            data: DebtorUpsert {
                key: row.get(21)?,
                kind: kind(&row.get::<_, String>(22)?)?,
                name: row.get(23)?,
                nik: nik(row.get(24)?)?,
                npwp: npwp(row.get(25)?)?,
                gender: gender(row.get(26)?)?,
                birth_date: to_opt_day(row.get(27)?)?,
                phone: phone(row.get(28)?)?,
                email: email(row.get(29)?)?,
                address: row.get(30)?,
                city: row.get(31)?,
                province: province(row.get(32)?)?,
                employer: row.get(33)?,
            },
        },
    })
}

/// An account of `creditor` by id.
pub(crate) fn by_id(
    conn: &Connection,
    creditor: CreditorId,
    id: AccountId,
) -> StoreResult<Option<AccountDetail>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{DETAIL_SELECT} WHERE a.creditor_id = ?1 AND a.id = ?2"
    ))?;
    let mut rows = stmt.query(params![creditor.0, id.0])?;
    rows.next()?.map(decode_detail).transpose()
}

/// An account of `creditor` by number.
pub(crate) fn by_number(
    conn: &Connection,
    creditor: CreditorId,
    account_no: &str,
) -> StoreResult<Option<AccountDetail>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{DETAIL_SELECT} WHERE a.creditor_id = ?1 AND a.account_no = ?2"
    ))?;
    let mut rows = stmt.query(params![creditor.0, account_no])?;
    rows.next()?.map(decode_detail).transpose()
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Accounts matching the query, most overdue first, capped at 500.
///
/// With text, the candidate ids come from a union of index lookups (account number range,
/// name scan of the debtor index, exact NIK, exact phone) and only those are sorted; the
/// unary `+` keeps SQLite from walking the whole creditor in list order instead. Without
/// text, the list order index is walked and the scan stops at the limit.
pub(crate) fn search(
    conn: &Connection,
    creditor: CreditorId,
    query: &AccountQuery,
) -> StoreResult<Vec<AccountListItem>> {
    let limit = if query.limit == 0 {
        MAX_LIMIT
    } else {
        query.limit.min(MAX_LIMIT)
    };
    let text = query
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let mut sql = String::from(
        "SELECT a.id, a.account_no, d.name, d.nik, d.phone, d.province, a.product,
                a.total_outstanding, a.oldest_unpaid_due, a.status
         FROM accounts a JOIN debtors d ON d.id = a.debtor_id
         WHERE ",
    );
    let product_code = query.product.map(|p| p.code());
    let mut args: Vec<Box<dyn ToSql>> = vec![
        Box::new(creditor.0),
        Box::new(product_code),
        Box::new(query.open_only),
        Box::new(limit),
        Box::new(query.offset),
    ];
    match text {
        None => sql.push_str("a.creditor_id = ?1"),
        Some(text) => {
            sql.push_str(
                "+a.creditor_id = ?1 AND a.id IN (
                     SELECT id FROM accounts
                     WHERE creditor_id = ?1 AND account_no >= ?6 AND account_no < ?7
                     UNION
                     SELECT a2.id FROM debtors d2 JOIN accounts a2 ON a2.debtor_id = d2.id
                     WHERE d2.creditor_id = ?1 AND d2.name LIKE ?8 ESCAPE '\\'",
            );
            args.push(Box::new(text.to_string()));
            args.push(Box::new(format!("{text}\u{10FFFF}")));
            args.push(Box::new(format!("%{}%", like_escaped(text))));
            if let Ok(nik) = Nik::parse(text) {
                // `debtors_by_nik` leaves out debtors keyed by their NIK (migration 0013):
                // those come through the key index.
                sql.push_str(
                    " UNION SELECT a3.id FROM debtors d3 JOIN accounts a3 ON a3.debtor_id = d3.id
                      WHERE d3.debtor_key = ?9 AND d3.creditor_id = ?1 AND d3.nik = ?9
                      UNION SELECT a4.id FROM debtors d4 JOIN accounts a4 ON a4.debtor_id = d4.id
                      WHERE d4.nik = ?9 AND d4.creditor_id = ?1 AND d4.nik <> d4.debtor_key",
                );
                args.push(Box::new(nik.as_str().to_string()));
            } else if let Ok(phone) = Phone::parse(text) {
                sql.push_str(
                    " UNION SELECT a3.id FROM debtors d3 JOIN accounts a3 ON a3.debtor_id = d3.id
                      WHERE d3.creditor_id = ?1 AND d3.phone = ?9",
                );
                args.push(Box::new(phone.as_str().to_string()));
            }
            sql.push(')');
        }
    }
    sql.push_str(
        " AND (?2 IS NULL OR a.product = ?2) AND (NOT ?3 OR a.status = 'open')
         ORDER BY COALESCE(a.oldest_unpaid_due, 9223372036854775807), a.account_no
         LIMIT ?4 OFFSET ?5",
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let mut rows = stmt.query(params.as_slice())?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(AccountListItem {
            id: AccountId(row.get(0)?),
            account_no: row.get(1)?,
            debtor_name: row.get(2)?,
            nik_masked: nik(row.get(3)?)?.map(|n| n.masked()),
            phone_masked: phone(row.get(4)?)?.map(|p| p.masked()),
            province: province(row.get(5)?)?,
            product: product(&row.get::<_, String>(6)?)?,
            outstanding: rupiah(row, 7)?,
            oldest_unpaid_due: to_opt_day(row.get(8)?)?,
            status: status(&row.get::<_, String>(9)?)?,
        });
    }
    Ok(out)
}

/// Open accounts grouped by product and DPD on `as_of`, ordered by product then DPD.
pub(crate) fn portfolio_by_dpd(
    conn: &Connection,
    creditor: CreditorId,
    as_of: NaiveDate,
) -> StoreResult<Vec<PortfolioGroup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT product,
                CASE WHEN oldest_unpaid_due < ?2 THEN ?2 - oldest_unpaid_due ELSE 0 END AS dpd,
                COUNT(*), SUM(total_outstanding)
         FROM accounts
         WHERE creditor_id = ?1 AND status = 'open'
         GROUP BY product, dpd",
    )?;
    let mut rows = stmt.query(params![creditor.0, day(as_of)])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let accounts: i64 = row.get(2)?;
        out.push(PortfolioGroup {
            product: product(&row.get::<_, String>(0)?)?,
            dpd: count(row, 1)?,
            accounts: u64::try_from(accounts).map_err(|_| corrupt("count", accounts))?,
            outstanding: rupiah(row, 3)?,
        });
    }
    out.sort_by_key(|g| (g.product, g.dpd));
    Ok(out)
}
