//! The rules the gate applies, each with a stable code: every decision names exactly one,
//! so a refusal can be shown to the collector, logged and reported by its rule.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The rule that decided a contact request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Allowed: inside the regular window, under the caps.
    Allowed,
    /// Allowed outside the regular window because the debtor's recorded consent covers it.
    AllowedByConsent,
    /// Refused: the account is paused (dispute, complaint, hardship hold, legal hold).
    Paused,
    /// Refused: a third party may only be asked where the debtor is, never told of the debt.
    ThirdPartyDebtDetails,
    /// Refused: the creditor's policy does not use this channel.
    ChannelDisabled,
    /// Refused: the holiday calendar has no data for this year, so holidays are unknown.
    NoHolidayCalendar,
    /// Refused: not a contact day (Sunday by default).
    NonWorkingDay,
    /// Refused: a national holiday (libur nasional).
    NationalHoliday,
    /// Refused: collective leave (cuti bersama), while the policy blocks it.
    CutiBersama,
    /// Refused: outside the local contact hours (08.00–20.00 by default).
    OutsideHours,
    /// Refused: the daily attempt cap for this channel is reached.
    DailyCap,
    /// Refused: the weekly attempt cap for this channel is reached.
    WeeklyCap,
}

impl Rule {
    /// Every rule, in the order the gate checks them (after the two allowing ones).
    pub const ALL: &'static [Rule] = &[
        Rule::Allowed,
        Rule::AllowedByConsent,
        Rule::Paused,
        Rule::ThirdPartyDebtDetails,
        Rule::ChannelDisabled,
        Rule::NoHolidayCalendar,
        Rule::NonWorkingDay,
        Rule::NationalHoliday,
        Rule::CutiBersama,
        Rule::OutsideHours,
        Rule::DailyCap,
        Rule::WeeklyCap,
    ];

    /// The stable snake_case code, e.g. `outside_hours`.
    pub const fn code(self) -> &'static str {
        match self {
            Rule::Allowed => "allowed",
            Rule::AllowedByConsent => "allowed_by_consent",
            Rule::Paused => "paused",
            Rule::ThirdPartyDebtDetails => "third_party_debt_details",
            Rule::ChannelDisabled => "channel_disabled",
            Rule::NoHolidayCalendar => "no_holiday_calendar",
            Rule::NonWorkingDay => "non_working_day",
            Rule::NationalHoliday => "national_holiday",
            Rule::CutiBersama => "cuti_bersama",
            Rule::OutsideHours => "outside_hours",
            Rule::DailyCap => "daily_cap",
            Rule::WeeklyCap => "weekly_cap",
        }
    }

    /// The rule for a code, if any.
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.code() == code)
    }

    /// Whether the rule allows the contact.
    pub const fn allows(self) -> bool {
        matches!(self, Rule::Allowed | Rule::AllowedByConsent)
    }

    /// Where the rule comes from, for audit trails and the compliance report.
    pub const fn basis(self) -> &'static str {
        match self {
            Rule::Allowed | Rule::AllowedByConsent => {
                "POJK 22/2023 art. 62 (contact window, prior consent)"
            }
            Rule::Paused => "company policy: paused accounts are not contacted",
            Rule::ThirdPartyDebtDetails => {
                "POJK 22/2023 art. 62; SEOJK 19/2023 (emergency contacts)"
            }
            Rule::ChannelDisabled => "company policy: channel not used",
            Rule::NoHolidayCalendar => "SKB 3 Menteri holiday calendar missing for the year",
            Rule::NonWorkingDay | Rule::OutsideHours => {
                "POJK 22/2023 art. 62: Monday–Saturday 08.00–20.00 debtor-local time"
            }
            Rule::NationalHoliday => "POJK 22/2023 art. 62: no collection on national holidays",
            Rule::CutiBersama => "company policy on cuti bersama (SKB 3 Menteri)",
            Rule::DailyCap | Rule::WeeklyCap => {
                "POJK 22/2023 art. 62: no continuous, disturbing contact"
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_codes_are_unique_snake_case_and_round_trip() {
        let mut codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        for r in Rule::ALL {
            assert_eq!(Rule::from_code(r.code()), Some(*r));
            assert!(r.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(!r.basis().is_empty());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Rule::ALL.len());
        assert_eq!(Rule::from_code("Outside_Hours"), None);
    }

    #[test]
    fn only_the_two_allowing_rules_allow() {
        let allowing: Vec<Rule> = Rule::ALL.iter().copied().filter(|r| r.allows()).collect();
        assert_eq!(allowing, vec![Rule::Allowed, Rule::AllowedByConsent]);
    }
}
