//! What an interaction records besides its channel and party (which the compliance gate
//! already names: `compliance::Channel`, `compliance::Party`): the direction of the
//! contact, its outcome and the debtor's reason for not paying. Codes are the stable
//! snake_case names stored in `interactions` (migration 0002) and read by strategies
//! (`last_outcome`), and why collection on an account is paused.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::compliance::channel::{coded_enum, CodeError};

coded_enum! {
    /// Who started the contact.
    Direction, "direction" {
        /// The collector reached out.
        Outbound => "outbound",
        /// The debtor (or someone for them) called or wrote in.
        Inbound => "inbound",
    }
}

coded_enum! {
    /// What came of a contact attempt.
    Outcome, "outcome" {
        /// Spoke with the debtor in person (right-party contact).
        RightPartyContact => "right_party_contact",
        /// Spoke with someone else (whereabouts only, never the debt).
        ThirdParty => "third_party",
        /// Nobody answered.
        NoAnswer => "no_answer",
        /// The line was busy.
        Busy => "busy",
        /// The number does not belong to the debtor.
        WrongNumber => "wrong_number",
        /// The debtor promised to pay (a promise row goes with it).
        PromiseToPay => "promise_to_pay",
        /// The debtor refused to pay.
        Refused => "refused",
        /// The debtor disputes the debt or its amount.
        Dispute => "dispute",
        /// Asked to be called back later (e.g. angry or busy: the seeds say call later).
        CallBack => "call_back",
        /// The debtor says they have paid.
        Paid => "paid",
        /// The debtor declared financial hardship.
        HardshipDeclared => "hardship_declared",
    }
}

coded_enum! {
    /// Why the debtor has not paid, as told or found out (the seeds: tell honest hardship
    /// from evasion).
    Reason, "delinquency reason" {
        /// Lost their job or income.
        JobLoss => "job_loss",
        /// Illness of the debtor or family.
        Illness => "illness",
        /// Their business is doing badly.
        BusinessDownturn => "business_downturn",
        /// A natural disaster (flood, earthquake).
        Disaster => "disaster",
        /// Simply forgot the due date.
        Forgot => "forgot",
        /// Disputes the debt.
        Dispute => "dispute",
        /// Owes too many lenders.
        OverIndebted => "over_indebted",
        /// Claims the loan was taken in their name by someone else.
        Fraud => "fraud",
        /// The debtor has died.
        Deceased => "deceased",
        /// Avoids contact without a reason.
        Evasive => "evasive",
    }
}

coded_enum! {
    /// Why collection on an account is paused (no contact at all while it lasts).
    PauseReason, "pause reason" {
        /// The debtor disputes the debt; it is being checked.
        Dispute => "dispute",
        /// Honest hardship (illness, disaster, job loss) given time to recover.
        Hardship => "hardship",
        /// The debtor has died; the estate is handled separately.
        Deceased => "deceased",
        /// A legal process (PKPU, bankruptcy, a court case) is running.
        Legal => "legal",
        /// A complaint to the creditor or OJK is being handled.
        Complaint => "complaint",
    }
}

impl Outcome {
    /// Whether the collector actually spoke with the debtor.
    pub const fn is_right_party(self) -> bool {
        matches!(
            self,
            Outcome::RightPartyContact
                | Outcome::PromiseToPay
                | Outcome::Refused
                | Outcome::Dispute
                | Outcome::CallBack
                | Outcome::Paid
                | Outcome::HardshipDeclared
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_its_value() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.code()), Ok(*o));
        }
        for r in Reason::ALL {
            assert_eq!(r.code().parse::<Reason>(), Ok(*r));
        }
        for d in Direction::ALL {
            assert_eq!(Direction::parse(d.code()), Ok(*d));
        }
        for p in PauseReason::ALL {
            assert_eq!(PauseReason::parse(p.code()), Ok(*p));
        }
        assert_eq!(
            Outcome::parse(" Promise-To-Pay "),
            Ok(Outcome::PromiseToPay)
        );
    }

    #[test]
    fn unknown_codes_are_refused_with_the_accepted_list() {
        let err = Outcome::parse("threatened").unwrap_err();
        assert_eq!(err.what, "outcome");
        assert!(err.expected.contains("no_answer"), "{}", err.expected);
        assert!(Reason::parse("").is_err());
    }

    #[test]
    fn only_conversations_with_the_debtor_count_as_right_party() {
        assert!(Outcome::PromiseToPay.is_right_party());
        assert!(!Outcome::NoAnswer.is_right_party());
        assert!(!Outcome::ThirdParty.is_right_party());
    }
}
