//! Turning one row of a payments file into a `PaymentUpsert`.

use chrono::NaiveDate;
use sepakat_domain::Zone;
use sepakat_store::{NewPaymentData, PaymentUpsert};

use super::column::Col;
use super::row::RowCtx;
use super::value::{parse_amount, parse_instant};

/// The channel recorded when the file does not say.
const DEFAULT_CHANNEL: &str = "unknown";

/// Validates a row of a payments file; None when it has errors (recorded in `ctx`).
pub(crate) fn payment_row(ctx: &mut RowCtx<'_>, today: NaiveDate) -> Option<PaymentUpsert> {
    let xlsx = ctx.xlsx;
    let account_no = ctx.req(Col::AccountNo, |t| Ok(t.to_string()));
    let paid_at = ctx.req(Col::PaidAt, |t| {
        let at = parse_instant(t, xlsx)?;
        let day = Zone::Wib.local(at).date();
        if day > today {
            return Err(format!("{day} is in the future (today is {today})"));
        }
        if day < NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN) {
            return Err(format!("{day} is not a plausible payment date"));
        }
        Ok(at)
    });
    let amount = ctx.req(Col::Amount, |t| {
        let a = parse_amount(t)?;
        if a.is_zero() {
            return Err("must be more than 0".into());
        }
        Ok(a)
    });
    let reference = ctx.req(Col::Reference, |t| Ok(t.to_string()));
    let channel = ctx
        .opt(Col::Channel, |t| {
            let code = t.to_lowercase().replace([' ', '-'], "_");
            if code.len() > 30 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!(
                    "{t:?} is not a channel code (letters, digits and _, e.g. transfer, va, teller, qris)"
                ));
            }
            Ok(code)
        })
        .unwrap_or_else(|| DEFAULT_CHANNEL.to_string());
    if !ctx.errors.is_empty() {
        return None;
    }
    Some(PaymentUpsert {
        row: ctx.row,
        account_no: account_no?,
        payment: NewPaymentData {
            paid_at: paid_at?,
            amount: amount?,
            reference: reference?,
            channel,
        },
    })
}
