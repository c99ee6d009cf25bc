//! One account's history on one line of time: interactions, promises (made and settled),
//! payments and reversals, pauses, letters printed with their delivery proof, and the
//! audit entries that no record above already tells (assignments, messages, and whatever
//! later capabilities audit).
//!
//! The workspace page draws it and `GET /api/v1/accounts/{id}/timeline` answers it; both
//! build it here, newest first, so the two never disagree.

use chrono::{DateTime, Utc};
use sepakat_store::{AuditEntry, Interaction, Letter, Pause, Payment, StoredPromise};
use serde::Serialize;

/// One thing that happened on the account.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A contact or contact attempt.
    Interaction(Interaction),
    /// A promise to pay was recorded.
    PromiseMade(StoredPromise),
    /// A promise was settled (kept, partially kept, broken, cancelled).
    PromiseSettled(StoredPromise),
    /// A payment or a reversal.
    Payment(Payment),
    /// Collection was paused.
    Pause(Pause),
    /// A warning letter was printed.
    LetterPrinted(Letter),
    /// A letter's delivery proof or return was recorded.
    LetterProof(Letter),
    /// An audited change with no record of its own above.
    Audit(AuditEntry),
}

/// An event with its instant.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    #[serde(flatten)]
    pub event: Event,
}

/// Audit actions that the records above already show, or that are reads, not changes.
const TOLD_ELSEWHERE: &[&str] = &[
    "account.viewed",
    "interaction.recorded",
    "promise.created",
    "promise.resolved",
    "promise.evaluated",
    "payment.posted",
    "payment.reversed",
    "account.paused",
    "claim.taken",
    "claim.released",
];

/// Audit actions of letters that the letter records tell (when the entry names one).
const TOLD_BY_LETTERS: &[&str] = &["letter.printed", "letter.delivered", "letter.returned"];

/// The parts of an account's history, as the store reads them.
#[derive(Debug, Default)]
pub struct History {
    /// Interactions (corrections included).
    pub interactions: Vec<Interaction>,
    /// Promises.
    pub promises: Vec<StoredPromise>,
    /// Payments and reversals.
    pub payments: Vec<Payment>,
    /// Pauses.
    pub pauses: Vec<Pause>,
    /// The account's audit trail (may be empty for roles that do not read it).
    pub audit: Vec<AuditEntry>,
    /// Letters printed for the account.
    pub letters: Vec<Letter>,
}

/// Merges the history, newest first (ties: the order of the parts above, reversed).
pub fn build(history: History) -> Vec<Entry> {
    let mut entries = Vec::new();
    for i in history.interactions {
        entries.push(Entry {
            at: i.data.at,
            event: Event::Interaction(i),
        });
    }
    for p in history.promises {
        if let Some(at) = p.resolved_at {
            entries.push(Entry {
                at,
                event: Event::PromiseSettled(p.clone()),
            });
        }
        entries.push(Entry {
            at: p.created_at,
            event: Event::PromiseMade(p),
        });
    }
    for p in history.payments {
        entries.push(Entry {
            at: p.paid_at,
            event: Event::Payment(p),
        });
    }
    for p in history.pauses {
        entries.push(Entry {
            at: p.created_at,
            event: Event::Pause(p),
        });
    }
    for l in history.letters {
        if let Some(p) = &l.proof {
            entries.push(Entry {
                at: p.recorded_at,
                event: Event::LetterProof(l.clone()),
            });
        }
        entries.push(Entry {
            at: l.printed_at,
            event: Event::LetterPrinted(l),
        });
    }
    for a in history.audit {
        let action = a.entry.action.as_str();
        let by_letter = TOLD_BY_LETTERS.contains(&action) && a.entry.detail.get("letter").is_some();
        if !TOLD_ELSEWHERE.contains(&action) && !by_letter {
            entries.push(Entry {
                at: a.entry.at,
                event: Event::Audit(a),
            });
        }
    }
    // Stable sort: equal instants keep their insertion order, then the whole is reversed.
    entries.sort_by_key(|e| e.at);
    entries.reverse();
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use sepakat_domain::compliance::{Channel, Party};
    use sepakat_domain::interaction::{Direction, Outcome};
    use sepakat_domain::{Allocation, PromiseStatus, Rupiah};
    use sepakat_store::{
        AccountId, Actor, EntityRef, InteractionId, NewAudit, NewInteraction, NewPromise,
        PaymentId, PromiseId,
    };

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap()
    }

    fn interaction(hour: u32) -> Interaction {
        Interaction {
            id: InteractionId(1),
            data: NewInteraction {
                account: AccountId(7),
                at: at(hour),
                user: None,
                channel: Channel::Call,
                direction: Direction::Outbound,
                party: Party::Debtor,
                outcome: Outcome::PromiseToPay,
                reason: None,
                notes: String::new(),
                corrects: None,
                idempotency_key: None,
            },
            created_at: at(hour),
        }
    }

    fn promise(made: u32, settled: Option<u32>) -> StoredPromise {
        StoredPromise {
            id: PromiseId(3),
            data: NewPromise {
                account: AccountId(7),
                interaction: Some(InteractionId(1)),
                amount: Rupiah::new(500_000),
                promised_on: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
                channel: Channel::Call,
            },
            created_at: at(made),
            created_by: None,
            paid: Rupiah::ZERO,
            status: settled.map_or(PromiseStatus::Pending, |_| PromiseStatus::Kept),
            resolved_at: settled.map(at),
        }
    }

    fn audit(hour: u32, action: &str) -> AuditEntry {
        AuditEntry {
            id: i64::from(hour),
            entry: NewAudit {
                creditor: None,
                at: at(hour),
                actor: Actor::system("test"),
                action: action.to_string(),
                entity: EntityRef::new("account", 7),
                detail: serde_json::Value::Null,
            },
        }
    }

    fn payment(hour: u32) -> Payment {
        Payment {
            id: PaymentId(9),
            account: AccountId(7),
            paid_at: at(hour),
            amount: Rupiah::new(500_000),
            reference: "TRX-1".into(),
            channel: "transfer".into(),
            allocation: Allocation::default(),
            instalments_cleared: 0,
            reverses: None,
            reason: None,
            reversed_by: None,
        }
    }

    fn kinds(entries: &[Entry]) -> Vec<&'static str> {
        entries
            .iter()
            .map(|e| match e.event {
                Event::Interaction(_) => "interaction",
                Event::PromiseMade(_) => "promise_made",
                Event::PromiseSettled(_) => "promise_settled",
                Event::Payment(_) => "payment",
                Event::Pause(_) => "pause",
                Event::LetterPrinted(_) => "letter_printed",
                Event::LetterProof(_) => "letter_proof",
                Event::Audit(_) => "audit",
            })
            .collect()
    }

    #[test]
    fn events_come_newest_first_with_a_settled_promise_twice() {
        let entries = build(History {
            interactions: vec![interaction(2)],
            promises: vec![promise(3, Some(9))],
            payments: vec![payment(8)],
            pauses: vec![],
            audit: vec![audit(10, "letter.printed")],
            letters: vec![],
        });
        assert_eq!(
            kinds(&entries),
            [
                "audit",
                "promise_settled",
                "payment",
                "promise_made",
                "interaction"
            ]
        );
    }

    #[test]
    fn audit_entries_that_records_already_tell_are_left_out() {
        let entries = build(History {
            audit: vec![
                audit(1, "interaction.recorded"),
                audit(2, "account.viewed"),
                audit(3, "payment.posted"),
                audit(4, "account.assigned"),
            ],
            ..History::default()
        });
        assert_eq!(entries.len(), 1);
        let Event::Audit(a) = &entries[0].event else {
            panic!("expected an audit entry")
        };
        assert_eq!(a.entry.action, "account.assigned");
    }

    #[test]
    fn the_wire_form_names_the_kind() {
        let entries = build(History {
            interactions: vec![interaction(2)],
            ..History::default()
        });
        let json = serde_json::to_value(&entries[0]).unwrap();
        assert_eq!(json["kind"], "interaction");
        assert_eq!(json["data"]["outcome"], "promise_to_pay");
    }
}
