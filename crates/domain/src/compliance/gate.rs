//! The compliance gate: the one place that decides whether a contact may happen now, and
//! if not, which rule refuses it and when it next may. Every contact path (nightly run,
//! collector workbench, messaging, debtor portal) asks it; it is pure, so "now" and the
//! attempt counts come from the caller.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::channel::{Channel, Party, Purpose};
use super::consent::Consent;
use super::holiday::{HolidayCalendar, HolidayKind};
use super::policy::{ContactPolicy, PolicyError};
use super::rule::Rule;
use crate::region::Zone;

/// How far ahead the gate looks for the next allowed time before giving up.
const SEARCH_DAYS: i64 = 400;

/// One proposed contact.
#[derive(Debug, Clone, Copy)]
pub struct ContactRequest<'a> {
    /// When the contact would happen.
    pub at: DateTime<Utc>,
    /// The time zone of the person contacted (the debtor's address for the debtor).
    pub zone: Zone,
    /// How.
    pub channel: Channel,
    /// Whom.
    pub party: Party,
    /// Why: collecting, or only asking where the debtor is (whereabouts script).
    pub purpose: Purpose,
    /// Whether the account is paused (dispute, complaint, hold): no contact at all.
    pub paused: bool,
    /// The debtor's recorded consents; only used when the debtor is contacted.
    pub consents: &'a [Consent],
    /// Attempts on this channel already made on the debtor-local day of `at`.
    pub attempts_today: u32,
    /// Attempts on this channel already made in the debtor-local week (Mon–Sun) of `at`,
    /// today's included.
    pub attempts_this_week: u32,
}

impl<'a> ContactRequest<'a> {
    /// A collection contact with the debtor, no consent, no earlier attempts.
    pub fn new(at: DateTime<Utc>, zone: Zone, channel: Channel) -> ContactRequest<'a> {
        ContactRequest {
            at,
            zone,
            channel,
            party: Party::Debtor,
            purpose: Purpose::Collection,
            paused: false,
            consents: &[],
            attempts_today: 0,
            attempts_this_week: 0,
        }
    }
}

/// The gate's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Whether the contact may happen at the requested instant.
    pub allowed: bool,
    /// The rule that decided it.
    pub rule: Rule,
    /// The requested instant when allowed; otherwise the earliest later instant at which
    /// the same contact would be allowed, or `None` when no time would do (paused, third
    /// party with debt details, channel off, no calendar, nothing within 400 days).
    pub next_allowed_at: Option<DateTime<Utc>>,
}

/// The wire shape of a decision, as `sepakat gate check` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionView {
    /// Whether the contact may happen.
    pub allowed: bool,
    /// The rule code.
    pub rule: &'static str,
    /// RFC 3339 in the debtor's local offset, or null.
    pub next_allowed_at: Option<String>,
}

impl Decision {
    /// The wire view, with times in the zone's offset (e.g. `2026-03-25T08:00:00+07:00`).
    pub fn view(&self, zone: Zone) -> DecisionView {
        DecisionView {
            allowed: self.allowed,
            rule: self.rule.code(),
            next_allowed_at: self.next_allowed_at.map(|t| {
                t.with_timezone(&zone.offset())
                    .to_rfc3339_opts(SecondsFormat::AutoSi, false)
            }),
        }
    }
}

/// The compliance gate: a contact policy and a holiday calendar.
#[derive(Debug, Clone)]
pub struct Gate {
    policy: ContactPolicy,
    calendar: HolidayCalendar,
}

impl Gate {
    /// A gate enforcing `policy` with `calendar`; refuses a policy it could not enforce.
    pub fn new(policy: ContactPolicy, calendar: HolidayCalendar) -> Result<Gate, PolicyError> {
        policy.validate()?;
        Ok(Gate { policy, calendar })
    }

    /// The default policy with the shipped calendar.
    pub fn shipped() -> Gate {
        Gate {
            policy: ContactPolicy::default(),
            calendar: HolidayCalendar::shipped(),
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> &ContactPolicy {
        &self.policy
    }

    /// The holiday calendar in force.
    pub fn calendar(&self) -> &HolidayCalendar {
        &self.calendar
    }

    /// Decides a contact request. Rules are checked in a fixed order and the first that
    /// refuses is named: paused, third party, channel, calendar, day, holiday, hours, caps.
    pub fn check(&self, req: &ContactRequest<'_>) -> Decision {
        if let Some(rule) = self.standing_refusal(req) {
            return Decision {
                allowed: false,
                rule,
                next_allowed_at: None,
            };
        }
        let verdict = self.time_verdict(req, req.at).and_then(|by_consent| {
            match self.cap_refusal(req.channel, req.attempts_today, req.attempts_this_week) {
                Some(rule) => Err(rule),
                None => Ok(by_consent),
            }
        });
        match verdict {
            Ok(by_consent) => Decision {
                allowed: true,
                rule: if by_consent {
                    Rule::AllowedByConsent
                } else {
                    Rule::Allowed
                },
                next_allowed_at: Some(req.at),
            },
            Err(rule) => Decision {
                allowed: false,
                rule,
                next_allowed_at: self.next_allowed(req),
            },
        }
    }

    /// The earliest instant at or after `req.at` at which the request would be allowed,
    /// assuming no further attempts: the daily count resets at local midnight, the weekly
    /// count at local Monday 00:00.
    pub fn next_allowed(&self, req: &ContactRequest<'_>) -> Option<DateTime<Utc>> {
        if self.standing_refusal(req).is_some() {
            return None;
        }
        let start = req.zone.local(req.at);
        let start_date = start.date();
        let timed = self.policy.channel(req.channel).time_gated;
        for offset in 0..=SEARCH_DAYS {
            let date = start_date.checked_add_signed(Duration::days(offset))?;
            let (today, week) = if offset == 0 {
                (req.attempts_today, req.attempts_this_week)
            } else if same_week(start_date, date) {
                (0, req.attempts_this_week)
            } else {
                (0, 0)
            };
            if self.cap_refusal(req.channel, today, week).is_some() {
                continue;
            }
            if timed && !self.calendar.covers(date) {
                return None;
            }
            let day_start = if offset == 0 {
                start
            } else {
                date.and_time(chrono::NaiveTime::MIN)
            };
            let found = self
                .day_candidates(req, date, day_start)
                .into_iter()
                .map(|local| to_utc(req.zone, local))
                .find(|&at| self.time_verdict(req, at).is_ok());
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// Refusals no waiting can lift.
    fn standing_refusal(&self, req: &ContactRequest<'_>) -> Option<Rule> {
        if req.paused {
            return Some(Rule::Paused);
        }
        let obligor = match req.party {
            Party::Debtor => true,
            Party::Guarantor => self.policy.guarantor_is_obligor,
            Party::EmergencyContact | Party::Family | Party::Employer => false,
        };
        if !obligor && req.purpose == Purpose::Collection {
            return Some(Rule::ThirdPartyDebtDetails);
        }
        if !self.policy.channel(req.channel).enabled {
            return Some(Rule::ChannelDisabled);
        }
        None
    }

    /// Whether the time rules allow a contact at `at`: `Ok(true)` only thanks to consent.
    fn time_verdict(&self, req: &ContactRequest<'_>, at: DateTime<Utc>) -> Result<bool, Rule> {
        if !self.policy.channel(req.channel).time_gated {
            return Ok(false);
        }
        let local = req.zone.local(at);
        let date = local.date();
        if !self.calendar.covers(date) {
            return Err(Rule::NoHolidayCalendar);
        }
        let holiday = self
            .calendar
            .kind_on(date)
            .filter(|kind| *kind == HolidayKind::LiburNasional || self.policy.block_cuti_bersama);
        let refusal = if !self.policy.contact_days.contains(&local.weekday()) {
            Some(Rule::NonWorkingDay)
        } else if holiday == Some(HolidayKind::LiburNasional) {
            Some(Rule::NationalHoliday)
        } else if holiday == Some(HolidayKind::CutiBersama) {
            Some(Rule::CutiBersama)
        } else if !self.policy.window_for(req.channel).contains(local.time()) {
            Some(Rule::OutsideHours)
        } else {
            None
        };
        match refusal {
            None => Ok(false),
            Some(rule) => {
                // Consent is the debtor's own: it never widens contact with anyone else.
                let consented = req.party == Party::Debtor
                    && req
                        .consents
                        .iter()
                        .any(|c| c.covers(req.channel, at, local, holiday));
                if consented {
                    Ok(true)
                } else {
                    Err(rule)
                }
            }
        }
    }

    fn cap_refusal(&self, channel: Channel, today: u32, week: u32) -> Option<Rule> {
        let rule = self.policy.channel(channel);
        // Today's attempts are part of the week even if the caller counted them apart.
        let week = week.max(today);
        if rule.per_day.is_some_and(|cap| today >= cap) {
            Some(Rule::DailyCap)
        } else if rule.per_week.is_some_and(|cap| week >= cap) {
            Some(Rule::WeeklyCap)
        } else {
            None
        }
    }

    /// The local instants on `date`, from `day_start` on, where an allowed stretch can
    /// begin: the allowed set of a day is a union of intervals whose left ends are the
    /// day start, window starts and consent grant instants, so the earliest allowed
    /// instant is the earliest allowed candidate.
    fn day_candidates(
        &self,
        req: &ContactRequest<'_>,
        date: NaiveDate,
        day_start: NaiveDateTime,
    ) -> Vec<NaiveDateTime> {
        let mut out = vec![
            day_start,
            date.and_time(self.policy.window_for(req.channel).start),
        ];
        if req.party == Party::Debtor {
            for c in req.consents {
                out.push(date.and_time(c.record().scope.window.start));
                out.push(req.zone.local(c.granted_at()));
            }
        }
        out.retain(|t| t.date() == date && *t >= day_start);
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Counts earlier attempts on `channel` in the debtor-local day and Monday–Sunday week of
/// `at`, from an interaction history of (channel, instant). Attempts after `at` are ignored.
pub fn count_attempts<I>(zone: Zone, channel: Channel, at: DateTime<Utc>, history: I) -> (u32, u32)
where
    I: IntoIterator<Item = (Channel, DateTime<Utc>)>,
{
    let day = zone.local(at).date();
    history
        .into_iter()
        .filter(|&(c, t)| c == channel && t <= at)
        .map(|(_, t)| zone.local(t).date())
        .fold((0, 0), |(today, week), d| {
            (
                today + u32::from(d == day),
                week + u32::from(same_week(day, d)),
            )
        })
}

/// Whether two local dates share a Monday–Sunday week.
fn same_week(a: NaiveDate, b: NaiveDate) -> bool {
    a.iso_week() == b.iso_week()
}

fn to_utc(zone: Zone, local: NaiveDateTime) -> DateTime<Utc> {
    (local - Duration::hours(i64::from(zone.utc_offset_hours()))).and_utc()
}
