//! The account page's view — the collector's workspace: debtor (masked), terms, balance,
//! standing, schedule and payments, the working panels of `workspace.rs` (gate, script,
//! playbook, contact form, timeline) and, for roles that read it, the audit trail —
//! every value formatted for the page.

use askama::Template;
use sepakat_domain::{ScheduleMethod, Zone};
use sepakat_store::gate::ContactFacts;
use sepakat_store::{
    AccountDetail, AuditEntry, Claim, DebtorContact, FollowUp, Message, MessageStatus, Payment,
    ReversalRequest, StoredOffer,
};

use crate::format;
use crate::i18n::Lang;
use crate::session::CurrentUser;
use crate::standing::Standing;
use crate::timeline::{self, History};
use crate::ui::account::Notice;
use crate::ui::negotiation::OfferRow;
use crate::ui::page::Page;
use crate::ui::workspace::{Inputs, Workspace};
use crate::AppState;

/// What the page is drawn from, as one store call read it.
pub struct Loaded {
    /// The account.
    pub account: AccountDetail,
    /// Its history.
    pub history: History,
    /// What the compliance gate is told about the account now.
    pub facts: ContactFacts,
    /// The live claim on the account, with the holder's name.
    pub claim: Option<(Claim, String)>,
    /// The account's offers, oldest first.
    pub offers: Vec<StoredOffer>,
    /// Pending reversal requests with the requester's name.
    pub reversals: Vec<(ReversalRequest, String)>,
    /// The debtor's other contacts.
    pub contacts: Vec<DebtorContact>,
    /// The account's follow-ups.
    pub follow_ups: Vec<FollowUp>,
    /// The account's messages, oldest first.
    pub messages: Vec<Message>,
    /// Whether the user reads the audit trail (the audit table is shown).
    pub reads_audit: bool,
    /// The account's probability to pay with its reasons, when the creditor has a model.
    pub score: Option<(sepakat_store::ModelInfo, sepakat_engine::scoring::Explained)>,
}

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
    account_id: i64,
    work: Workspace,
    /// The probability to pay and why.
    score: Option<crate::scoring::ScoreView>,
    /// The user logs contacts here.
    can_log: bool,
    /// The user pauses collection.
    can_pause: bool,
    /// The user posts and reverses payments.
    can_post: bool,
    /// A fresh key for the contact form: a double submit stores one contact.
    idempotency_key: String,
    /// The notice of the form just saved.
    notice: Option<&'static str>,
    /// The recap of the promise just made, to send to the debtor.
    recap: Option<String>,
    /// Why the contact form was not saved (re-drawn with the page).
    pub(crate) form_errors: Vec<String>,
    /// The live claim: (mine, holder's name, until).
    claim: Option<(bool, String, String)>,
    /// The session's CSRF token for the page's forms.
    csrf_token: String,
    /// Payment channels of the payment form.
    payment_channels: &'static [&'static str],
    /// The account's offers, newest first (the negotiation card).
    offers: Vec<OfferRow>,
    /// Reversals waiting for a second person.
    reversals: Vec<ReversalRow>,
    /// The account's latest messages, newest first.
    messages: Vec<MessageRow>,
    /// The account's letters, newest first: (stage, number, tracking, status, proof).
    letters: Vec<(&'static str, String, String, &'static str, String)>,
    /// The channels of the message form.
    message_channels: Vec<(&'static str, &'static str)>,
    /// A draft the guard refused, re-shown for rewriting.
    pub(crate) draft: Option<MessageDraft>,
}

/// A message the guard refused, with what it found.
pub struct MessageDraft {
    /// The channel code.
    pub channel: String,
    /// The subject.
    pub subject: String,
    /// The text.
    pub text: String,
    /// The guard's findings.
    pub guard: crate::ui::message::GuardView,
}

impl MessageDraft {
    /// Whether the draft was for the channel `code`.
    pub fn is(&self, code: &str) -> bool {
        self.channel == code
    }
}

/// One message of the account.
struct MessageRow {
    channel: &'static str,
    status: &'static str,
    css: &'static str,
    when: String,
    text: String,
    rule: String,
}

impl MessageRow {
    fn new(lang: Lang, m: &Message, zone: Zone) -> MessageRow {
        let w = lang.work();
        let when = match m.status {
            MessageStatus::Queued => format!(
                "{} {}",
                w.not_before,
                format::date_time(lang, m.data.not_before, zone)
            ),
            _ => format::date_time(lang, m.updated_at, zone),
        };
        let text: String = m.data.body.chars().take(120).collect();
        MessageRow {
            channel: lang.name(m.data.channel),
            status: lang.name(m.status),
            css: m.status.code(),
            when,
            text,
            rule: m
                .refusal
                .as_ref()
                .map(|r| format!("{} {}", r.rule, r.detail))
                .unwrap_or_default(),
        }
    }
}

/// A pending reversal request.
struct ReversalRow {
    id: i64,
    amount: String,
    reason: String,
    requested: String,
    /// The signed-in user may decide it (posts payments and did not ask for it).
    can_decide: bool,
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
    id: i64,
    reversible: bool,
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
        loaded: Loaded,
        notice: &Notice,
    ) -> DetailPage {
        let Loaded {
            account: a,
            history,
            facts,
            claim,
            offers,
            reversals,
            contacts,
            follow_ups,
            messages,
            reads_audit,
            score,
        } = loaded;
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
        let payments = history.payments.clone();
        let audit = reads_audit.then(|| {
            let mut newest_first = history.audit.clone();
            newest_first.reverse();
            newest_first.truncate(50);
            newest_first
        });
        let w = lang.work();
        let recap = notice.janji.and_then(|id| {
            history
                .promises
                .iter()
                .find(|p| p.id.0 == id)
                .map(|p| crate::work::recap(&a, p, &user.user.full_name, &user.creditor.name))
        });
        let notice = match notice.ok.as_deref() {
            Some("kontak") => Some(w.contact_saved),
            Some("jeda") => Some(w.pause_saved),
            Some("bayar") => Some(w.payment_saved),
            Some("batal") => Some(w.reversed_saved),
            Some("batal-diajukan") => Some(w.reversal_requested),
            Some("batal-ditolak") => Some(w.reversal_rejected),
            Some("kontak-lain") => Some(w.contact_added),
            Some("tindak-lanjut") => Some(w.follow_up_done),
            Some("pesan") => Some(w.message_queued),
            _ => None,
        };
        let promises = history.promises.clone();
        let pauses = history.pauses.clone();
        let letters = history
            .letters
            .iter()
            .map(|l| {
                (
                    lang.letter_stage(l.data.stage),
                    l.data.number.clone(),
                    l.data.tracking.clone(),
                    lang.name(l.status),
                    crate::ui::letter::proof_text(lang, lang.letters(), l),
                )
            })
            .collect();
        let interactions = history.interactions.clone();
        let work = Workspace::new(
            lang,
            &state.config().gate,
            state.now(),
            Inputs {
                account: &a,
                promises: &promises,
                pauses: &pauses,
                interactions: &interactions,
                contacts: &contacts,
                follow_ups: &follow_ups,
                facts: &facts,
                timeline: timeline::build(history),
                collector: &user.user.full_name,
                creditor: &user.creditor.name,
            },
        );
        let role = user.role();
        DetailPage {
            account_id: a.id.0,
            work,
            score: score.map(|(info, e)| crate::scoring::ScoreView::new(lang, &info, &e)),
            can_log: role.works_accounts(),
            can_pause: role.supervises(),
            can_post: role.posts_payments(),
            idempotency_key: crate::auth::random_token(),
            notice,
            recap,
            form_errors: Vec::new(),
            claim: claim.map(|(c, name)| {
                let zone = a.debtor.data.province.zone();
                (
                    c.user == user.user.id,
                    name,
                    format::date_time(lang, c.expires_at, zone),
                )
            }),
            csrf_token: user.csrf_token.clone(),
            payment_channels: crate::api::accounts::CHANNELS,
            letters,
            messages: messages
                .iter()
                .rev()
                .take(10)
                .map(|m| MessageRow::new(lang, m, a.debtor.data.province.zone()))
                .collect(),
            message_channels: crate::work::message::CHANNELS
                .iter()
                .map(|c| (c.code(), lang.name(*c)))
                .collect(),
            draft: None,
            reversals: reversals
                .into_iter()
                .map(|(r, name)| ReversalRow {
                    id: r.id.0,
                    amount: format::rupiah(r.amount),
                    reason: r.reason,
                    requested: format!(
                        "{name}, {}",
                        format::date_time(lang, r.requested_at, a.debtor.data.province.zone())
                    ),
                    can_decide: role.posts_payments() && r.requested_by != user.user.id,
                })
                .collect(),
            offers: offers
                .iter()
                .rev()
                .take(5)
                .map(|o| OfferRow::new(lang, o, &a))
                .collect(),
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
            id: p.id.0,
            reversible: p.reverses.is_none() && p.reversed_by.is_none(),
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
