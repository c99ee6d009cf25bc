//! The working half of the account page: whether the debtor may be contacted now (the
//! compliance gate, in the debtor's local time), the call script and objection playbook,
//! the contact form, and the account's one timeline.

use chrono::{DateTime, Utc};
use sepakat_domain::compliance::{Channel, Gate, Party};
use sepakat_domain::interaction::{Direction, Outcome, PauseReason, Reason};
use sepakat_domain::negotiation::Playbook;
use sepakat_domain::script::{CallScript, RenderedStep};
use sepakat_domain::template::{MessageContext, Salutation};
use sepakat_domain::{PromiseStatus, Zone};
use sepakat_store::{
    AccountDetail, DebtorContact, FollowUp, FollowUpKind, Interaction, Pause, StoredPromise,
};

use crate::format;
use crate::i18n::{Lang, Named};
use crate::timeline::{Entry, Event};
use sepakat_store::gate::{active_pause, ContactFacts};

/// A choice of a form's select.
pub struct Choice {
    /// The form value.
    pub code: &'static str,
    /// The shown name.
    pub label: &'static str,
    /// Preselected.
    pub selected: bool,
}

/// Every value of a code, named, with `selected` preselected.
pub fn choices<T: Named + PartialEq>(lang: Lang, selected: Option<T>) -> Vec<Choice> {
    T::all()
        .iter()
        .map(|v| Choice {
            code: v.code(),
            label: lang.name(*v),
            selected: selected == Some(*v),
        })
        .collect()
}

/// The gate's answer for one channel, now.
pub struct GateRow {
    /// The channel's name.
    pub channel: &'static str,
    /// Allowed now.
    pub allowed: bool,
    /// The rule's name, and the next allowed time when refused.
    pub text: String,
}

/// One objection of the playbook, for the panel.
pub struct ObjectionView {
    /// What the debtor says.
    pub label: String,
    /// Reason codes (space-separated) that open it.
    pub reasons: String,
    /// Listen.
    pub listen: String,
    /// Empathise.
    pub empathise: String,
    /// Questions.
    pub questions: Vec<String>,
    /// Answers.
    pub answers: Vec<String>,
    /// Closing.
    pub deadline: String,
}

/// One line of the timeline.
pub struct TimelineRow {
    /// When, in the debtor's zone.
    pub time: String,
    /// What kind (CSS class and test hook).
    pub kind: &'static str,
    /// Headline.
    pub title: String,
    /// Details.
    pub detail: String,
    /// Who.
    pub by: String,
}

/// One of the debtor's other contacts, phone masked.
pub struct ContactRow {
    /// Emergency contact, family, employer, guarantor.
    pub party: &'static str,
    /// Name.
    pub name: String,
    /// Relation to the debtor.
    pub relation: String,
    /// Masked phone.
    pub phone: String,
    /// Note.
    pub note: String,
}

/// An open follow-up of the account.
pub struct FollowUpRow {
    /// Id.
    pub id: i64,
    /// What kind, in words.
    pub kind: &'static str,
    /// When it is due, in the debtor's zone (`09.00 WITA`).
    pub due: String,
    /// Whether the due time has passed.
    pub overdue: bool,
    /// The note.
    pub note: String,
}

/// What the workspace shows besides the account's data.
pub struct Workspace {
    /// The debtor's local time now.
    pub local_time: String,
    /// The gate per channel.
    pub gate: Vec<GateRow>,
    /// The active pause, described.
    pub paused: Option<String>,
    /// The pending promise, described.
    pub pending_promise: Option<String>,
    /// Whether the right party was reached (the debtor verified on a contact).
    pub verified: bool,
    /// The verification status, described.
    pub verification: String,
    /// The debtor's other contacts in force (restricted parties).
    pub contacts: Vec<ContactRow>,
    /// Form choices: the restricted parties.
    pub contact_parties: Vec<Choice>,
    /// Script steps before verification.
    pub script_open: Vec<RenderedStep>,
    /// Script steps about the debt.
    pub script_debt: Vec<RenderedStep>,
    /// The playbook.
    pub objections: Vec<ObjectionView>,
    /// Form choices.
    pub channels: Vec<Choice>,
    /// Form choices.
    pub directions: Vec<Choice>,
    /// Form choices.
    pub parties: Vec<Choice>,
    /// Form choices.
    pub outcomes: Vec<Choice>,
    /// Form choices.
    pub reasons: Vec<Choice>,
    /// Form choices.
    pub pause_reasons: Vec<Choice>,
    /// Earliest promise date (the debtor's today).
    pub min_promise_date: String,
    /// The timeline.
    pub timeline: Vec<TimelineRow>,
    /// Open follow-ups, soonest first.
    pub follow_ups: Vec<FollowUpRow>,
}

/// The parts the workspace is built from.
pub struct Inputs<'a> {
    /// The account.
    pub account: &'a AccountDetail,
    /// Its promises.
    pub promises: &'a [StoredPromise],
    /// Its pauses.
    pub pauses: &'a [Pause],
    /// Its interactions (the verification status).
    pub interactions: &'a [Interaction],
    /// The debtor's other contacts.
    pub contacts: &'a [DebtorContact],
    /// Its follow-ups.
    pub follow_ups: &'a [FollowUp],
    /// What the compliance gate is told about the account now.
    pub facts: &'a ContactFacts,
    /// The merged timeline.
    pub timeline: Vec<Entry>,
    /// The signed-in collector's name (for the script).
    pub collector: &'a str,
    /// The creditor's name.
    pub creditor: &'a str,
}

/// The channels the workspace shows the gate for.
const GATED: [Channel; 4] = [
    Channel::Call,
    Channel::Whatsapp,
    Channel::Sms,
    Channel::FieldVisit,
];

impl Workspace {
    /// Builds the workspace for `lang` at `now`.
    pub fn new(lang: Lang, gate: &Gate, now: DateTime<Utc>, inputs: Inputs<'_>) -> Workspace {
        let w = lang.work();
        let a = inputs.account;
        let zone = a.debtor.data.province.zone();
        let local_today = zone.local(now).date();
        let pause = active_pause(inputs.pauses, local_today);
        let facts = inputs.facts;
        let gate_rows = GATED
            .iter()
            .map(|&channel| {
                let d = facts.decide(gate, channel, Party::Debtor, now);
                let mut text = lang.name(d.rule).to_string();
                if let (false, Some(next)) = (d.allowed, d.next_allowed_at) {
                    text = format!(
                        "{text} · {} {}",
                        w.next_allowed,
                        format::date_time(lang, next, zone)
                    );
                }
                GateRow {
                    channel: lang.name(channel),
                    allowed: d.allowed,
                    text,
                }
            })
            .collect();
        let paused = pause.map(|p| {
            let until = p
                .data
                .ends_on
                .map(|d| format!("{} {}", w.until, format::date(lang, d)))
                .unwrap_or_else(|| w.until_lifted.to_string());
            format!("{} ({}) {until}", w.paused, lang.name(p.data.reason))
        });
        let pending_promise = inputs
            .promises
            .iter()
            .find(|p| p.status == PromiseStatus::Pending)
            .map(|p| {
                format!(
                    "{} · {}",
                    format::rupiah(p.data.amount),
                    format::date(lang, p.data.promised_on)
                )
            });
        let verified_by = inputs
            .interactions
            .iter()
            .rev()
            .find(|i| i.data.party == Party::Debtor && i.data.outcome.is_right_party());
        let verification = match verified_by {
            Some(i) => format!(
                "{} {} ({})",
                w.verified_on,
                format::date_time(lang, i.data.at, zone),
                lang.name(i.data.channel)
            ),
            None => w.not_verified.to_string(),
        };
        let none = lang.strings().none;
        let contacts = inputs
            .contacts
            .iter()
            .filter(|c| c.replaced_by.is_none())
            .map(|c| ContactRow {
                party: lang.name(c.data.party),
                name: c.data.name.clone(),
                relation: c.data.relation.clone(),
                phone: c
                    .data
                    .phone
                    .as_ref()
                    .map(|p| p.masked())
                    .unwrap_or_else(|| none.to_string()),
                note: c.data.note.clone(),
            })
            .collect();
        let context = script_context(a, inputs.collector, inputs.creditor);
        let (script_open, script_debt) = CallScript::shipped()
            .render(&context)
            .into_iter()
            .partition(|s| !s.debt_details);
        Workspace {
            local_time: format::date_time(lang, now, zone),
            gate: gate_rows,
            paused,
            pending_promise,
            verified: verified_by.is_some(),
            verification,
            contacts,
            contact_parties: Party::ALL
                .iter()
                .filter(|p| **p != Party::Debtor)
                .map(|p| Choice {
                    code: p.code(),
                    label: lang.name(*p),
                    selected: false,
                })
                .collect(),
            script_open,
            script_debt,
            objections: objections(),
            channels: choices(lang, Some(Channel::Call)),
            directions: choices(lang, Some(Direction::Outbound)),
            parties: choices(lang, Some(Party::Debtor)),
            outcomes: choices::<Outcome>(lang, None),
            reasons: choices::<Reason>(lang, None),
            pause_reasons: choices::<PauseReason>(lang, None),
            min_promise_date: local_today.to_string(),
            timeline: inputs
                .timeline
                .iter()
                .map(|e| timeline_row(lang, zone, e))
                .collect(),
            follow_ups: follow_up_rows(lang, zone, now, inputs.follow_ups),
        }
    }
}

/// The open follow-ups, soonest first.
fn follow_up_rows(
    lang: Lang,
    zone: Zone,
    now: DateTime<Utc>,
    follow_ups: &[FollowUp],
) -> Vec<FollowUpRow> {
    let w = lang.work();
    let mut open: Vec<&FollowUp> = follow_ups.iter().filter(|f| f.done_at.is_none()).collect();
    open.sort_by_key(|f| (f.due_at, f.id.0));
    open.into_iter()
        .map(|f| FollowUpRow {
            id: f.id.0,
            kind: match f.kind {
                FollowUpKind::CallBack => w.follow_up_call_back,
                FollowUpKind::PromiseReminder => w.follow_up_promise_reminder,
                FollowUpKind::BrokenPromise => w.follow_up_broken_promise,
            },
            due: format::date_time(lang, f.due_at, zone),
            overdue: f.due_at <= now,
            note: f.note.clone(),
        })
        .collect()
}

/// What the script may say about this account.
fn script_context(a: &AccountDetail, collector: &str, creditor: &str) -> MessageContext {
    let d = &a.debtor.data;
    MessageContext {
        salutation: Some(Salutation::from_gender(d.gender)),
        name: Some(d.name.clone()),
        creditor: Some(creditor.to_string()),
        account_no: Some(a.account_no.clone()),
        overdue: Some(a.balance.total_overdue()).filter(|r| r.is_positive()),
        total_due: Some(a.balance.total_outstanding()),
        due_date: a.balance.oldest_unpaid_due,
        collector: Some(collector.to_string()),
        ..MessageContext::default()
    }
}

fn objections() -> Vec<ObjectionView> {
    Playbook::shipped()
        .objections
        .into_iter()
        .map(|o| ObjectionView {
            label: o.label,
            reasons: o
                .reasons
                .iter()
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join(" "),
            listen: o.listen,
            empathise: o.empathise,
            questions: o.questions,
            answers: o.answers,
            deadline: o.deadline,
        })
        .collect()
}

fn timeline_row(lang: Lang, zone: Zone, entry: &Entry) -> TimelineRow {
    let w = lang.work();
    let time = format::date_time(lang, entry.at, zone);
    let (kind, title, detail, by) = match &entry.event {
        Event::Interaction(i) => {
            let d = &i.data;
            let mut detail = format!(
                "{} · {} · {}",
                lang.name(d.channel),
                lang.name(d.party),
                lang.name(d.outcome)
            );
            if let Some(r) = d.reason {
                detail.push_str(&format!(" · {}", lang.name(r)));
            }
            if !d.notes.is_empty() {
                detail.push_str(&format!(" — {}", d.notes));
            }
            let title = if d.corrects.is_some() {
                w.ev_correction
            } else {
                w.ev_interaction
            };
            ("interaction", title.to_string(), detail, String::new())
        }
        Event::PromiseMade(p) => (
            "promise",
            w.ev_promise_made.to_string(),
            format!(
                "{} · {}",
                format::rupiah(p.data.amount),
                format::date(lang, p.data.promised_on)
            ),
            String::new(),
        ),
        Event::PromiseSettled(p) => (
            "promise",
            format!("{}: {}", w.ev_promise_settled, lang.name(p.status)),
            format!(
                "{} / {}",
                format::rupiah(p.paid),
                format::rupiah(p.data.amount)
            ),
            String::new(),
        ),
        Event::Payment(p) => {
            let title = if p.reverses.is_some() {
                w.ev_reversal
            } else {
                w.ev_payment
            };
            let mut detail = format!(
                "{} · {} · {}",
                format::rupiah(p.amount),
                p.channel,
                p.reference
            );
            if let Some(reason) = &p.reason {
                detail.push_str(&format!(" — {reason}"));
            }
            ("payment", title.to_string(), detail, String::new())
        }
        Event::Pause(p) => {
            let until = p
                .data
                .ends_on
                .map(|d| format!("{} {}", w.until, format::date(lang, d)))
                .unwrap_or_else(|| w.until_lifted.to_string());
            (
                "pause",
                w.ev_pause.to_string(),
                format!("{} · {until} — {}", lang.name(p.data.reason), p.data.note),
                String::new(),
            )
        }
        Event::LetterPrinted(l) => (
            "letter",
            format!(
                "{}: {}",
                lang.letters().ev_printed,
                lang.letter_stage(l.data.stage)
            ),
            format!(
                "{} · {} {}",
                l.data.number,
                lang.letters().tracking,
                l.data.tracking
            ),
            l.printed_by.clone(),
        ),
        Event::LetterProof(l) => {
            let t = lang.letters();
            let title = match &l.proof {
                Some(p) if !p.delivered => t.ev_returned,
                _ => t.ev_delivered,
            };
            (
                "letter",
                title.to_string(),
                format!(
                    "{} · {}",
                    l.data.tracking,
                    crate::ui::letter::proof_text(lang, t, l)
                ),
                l.proof
                    .as_ref()
                    .map(|p| p.recorded_by.clone())
                    .unwrap_or_default(),
            )
        }
        Event::Audit(a) => (
            "audit",
            w.ev_audit.to_string(),
            lang.action(&a.entry.action).to_string(),
            a.entry.actor.name.clone(),
        ),
    };
    TimelineRow {
        time,
        kind,
        title,
        detail,
        by,
    }
}
