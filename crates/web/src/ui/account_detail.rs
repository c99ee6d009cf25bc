//! The account detail page's view: debtor (masked), terms, balance, standing, payments
//! and, for roles that read it, the audit trail — every value formatted for the page.

use askama::Template;
use sepakat_domain::{ScheduleMethod, Zone};
use sepakat_store::{AccountDetail, AuditEntry, Payment};

use crate::format;
use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::standing::Standing;
use crate::ui::page::Page;
use crate::AppState;

/// The page.
#[derive(Template)]
#[template(path = "account.html")]
pub struct DetailPage {
    page: Page,
    account_no: String,
    product: &'static str,
    status: &'static str,
    debtor: DebtorView,
    terms: Vec<(&'static str, String)>,
    balance: Vec<(&'static str, String)>,
    total_outstanding: String,
    dpd: u32,
    kolektibilitas: String,
    bucket: String,
    oldest_unpaid_due: String,
    last_payment: String,
    payments: Vec<PaymentRow>,
    audit: Option<Vec<AuditRow>>,
    schedule: Vec<ScheduleRow>,
}

struct DebtorView {
    name: String,
    nik: String,
    npwp: String,
    phone: String,
    email: String,
    address: String,
    city: String,
    province: String,
}

struct PaymentRow {
    date: String,
    amount: String,
    reference: String,
    channel: String,
    fees: String,
    penalty: String,
    interest: String,
    principal: String,
    note: &'static str,
}

struct AuditRow {
    time: String,
    actor: String,
    action: String,
}

/// One instalment of the schedule with its state on today's date.
pub(crate) struct ScheduleRow {
    pub(crate) seq: u32,
    pub(crate) due_date: String,
    pub(crate) amount: String,
    pub(crate) state: &'static str,
    pub(crate) css: &'static str,
}

impl DetailPage {
    /// Formats an account for the page.
    pub fn new(
        page: Page,
        state: &AppState,
        user: &CurrentUser,
        a: AccountDetail,
        payments: Vec<Payment>,
        audit: Option<Vec<AuditEntry>>,
    ) -> DetailPage {
        let lang = page.lang;
        let s = lang.strings();
        let none = || s.none.to_string();
        let today = state.today();
        let standing = Standing::of(
            a.balance.oldest_unpaid_due,
            today,
            &user.creditor.regime,
            &state.config().buckets,
        );
        let d = &a.debtor.data;
        let province = d.province;
        let debtor = DebtorView {
            name: d.name.clone(),
            nik: d.nik.as_ref().map(|n| n.masked()).unwrap_or_else(none),
            npwp: d.npwp.as_ref().map(|n| n.formatted()).unwrap_or_else(none),
            phone: d.phone.as_ref().map(|p| p.masked()).unwrap_or_else(none),
            email: d.email.as_ref().map(|e| e.masked()).unwrap_or_else(none),
            address: d.address.clone().unwrap_or_else(none),
            city: d.city.clone().unwrap_or_else(none),
            province: format!("{} ({})", province.name(), province.zone().label()),
        };
        let t = &a.terms;
        let terms = vec![
            (s.principal, format::rupiah(t.principal)),
            (s.rate, t.annual_rate.to_string()),
            (s.tenor, format!("{} {}", t.tenor_months, s.months)),
            (s.first_due, format::date(lang, t.first_due)),
            (
                s.method,
                match t.method {
                    ScheduleMethod::Annuity => s.annuity,
                    ScheduleMethod::Flat => s.flat,
                }
                .to_string(),
            ),
            (s.instalment, format::rupiah(a.instalment)),
            (s.opened_on, format::date(lang, a.opened_on)),
        ];
        let b = &a.balance;
        let balance = vec![
            (
                s.outstanding_principal,
                format::rupiah(b.outstanding_principal),
            ),
            (s.arrears_principal, format::rupiah(b.arrears_principal)),
            (s.arrears_interest, format::rupiah(b.arrears_interest)),
            (s.penalty, format::rupiah(b.penalty)),
            (s.fees, format::rupiah(b.fees)),
            (s.total_overdue, format::rupiah(b.total_overdue())),
        ];
        DetailPage {
            account_no: a.account_no.clone(),
            product: lang.product(a.product),
            status: lang.status(a.status),
            debtor,
            terms,
            balance,
            total_outstanding: format::rupiah(b.total_outstanding()),
            dpd: standing.dpd.days(),
            kolektibilitas: lang.kolektibilitas(standing.kolektibilitas),
            bucket: lang.bucket(&standing.bucket),
            oldest_unpaid_due: b
                .oldest_unpaid_due
                .map(|d| format::date(lang, d))
                .unwrap_or_else(none),
            last_payment: a
                .last_payment
                .map(|(d, amount)| {
                    format!("{} · {}", format::date(lang, d), format::rupiah(amount))
                })
                .unwrap_or_else(none),
            payments: payments.iter().map(|p| PaymentRow::new(lang, p)).collect(),
            audit: audit.map(|entries| entries.iter().map(|e| AuditRow::new(lang, e)).collect()),
            schedule: crate::ui::schedule::rows(lang, &a, today),
            page,
        }
    }
}

impl PaymentRow {
    fn new(lang: Lang, p: &Payment) -> PaymentRow {
        let s = lang.strings();
        PaymentRow {
            date: format::date_time(lang, p.paid_at, Zone::Wib),
            amount: format::rupiah(p.amount),
            reference: p.reference.clone(),
            channel: p.channel.clone(),
            fees: format::rupiah(p.allocation.fees),
            penalty: format::rupiah(p.allocation.penalty),
            interest: format::rupiah(p.allocation.interest),
            principal: format::rupiah(p.allocation.principal),
            note: if p.reverses.is_some() {
                s.reversal
            } else if p.reversed_by.is_some() {
                s.reversed
            } else {
                ""
            },
        }
    }
}

impl AuditRow {
    fn new(lang: Lang, e: &AuditEntry) -> AuditRow {
        AuditRow {
            time: format::date_time(lang, e.entry.at, Zone::Wib),
            actor: e.entry.actor.name.clone(),
            action: e.entry.action.clone(),
        }
    }
}
