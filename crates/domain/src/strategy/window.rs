//! The allowed time window of each planned action, from the compliance gate: the first
//! allowed instant at or after the start of the run's date in the debtor's zone, and the
//! end of the allowed stretch that begins there. A call whose daily cap is used up moves
//! to the next allowed day; a recorded consent may open hours outside the regular window.
//!
//! For a debtor without consents the window depends only on the zone, the channel, the
//! attempt counts and the pause, so the planner memoises it per run: ten million accounts
//! cost a few dozen gate searches.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::compliance::{Channel, Consent, ContactRequest, Gate, Rule};
use crate::region::Zone;

/// The plan for one contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Planned {
    /// Allowed at any time of the run's date (a posted letter: not time-gated).
    AnyTime,
    /// Allowed from `start` (included) to `end` (excluded).
    Window {
        /// The first allowed instant.
        start: DateTime<Utc>,
        /// The end of the allowed stretch.
        end: DateTime<Utc>,
    },
    /// The gate refuses it, by this rule, with no later time that would do.
    Refused(Rule),
}

/// One contact to plan.
#[derive(Debug, Clone, Copy)]
pub struct Contact<'a> {
    /// The debtor's zone.
    pub zone: Zone,
    /// The channel.
    pub channel: Channel,
    /// Whether the account is paused.
    pub paused: bool,
    /// The debtor's consents (usually none).
    pub consents: &'a [Consent],
    /// Attempts on this channel on the run's date so far.
    pub attempts_today: u32,
    /// Attempts on this channel in the run date's week so far (today's included).
    pub attempts_this_week: u32,
}

type Key = (Zone, Channel, bool, u32, u32);

/// Plans windows for one run date, memoising consent-free answers.
#[derive(Debug)]
pub struct WindowPlanner<'g> {
    gate: &'g Gate,
    as_of: NaiveDate,
    memo: HashMap<Key, Planned>,
    /// Gate searches done (the rest came from the memo), for the run report.
    pub searches: u64,
}

impl<'g> WindowPlanner<'g> {
    /// A planner for actions on `as_of`.
    pub fn new(gate: &'g Gate, as_of: NaiveDate) -> WindowPlanner<'g> {
        WindowPlanner {
            gate,
            as_of,
            memo: HashMap::new(),
            searches: 0,
        }
    }

    /// The plan for a contact.
    pub fn plan(&mut self, c: &Contact<'_>) -> Planned {
        if !c.consents.is_empty() {
            self.searches += 1;
            return plan(self.gate, self.as_of, c);
        }
        // Counts above the caps act like the caps; clamping keeps the memo small.
        let rule = self.gate.policy().channel(c.channel);
        let today = c.attempts_today.min(rule.per_day.unwrap_or(0));
        let week = c
            .attempts_this_week
            .min(rule.per_week.unwrap_or(0))
            .max(today);
        let key = (c.zone, c.channel, c.paused, today, week);
        if let Some(p) = self.memo.get(&key) {
            return *p;
        }
        self.searches += 1;
        let p = plan(self.gate, self.as_of, c);
        self.memo.insert(key, p);
        p
    }
}

/// The start of `date` in `zone`, as an instant.
pub fn start_of_day(zone: Zone, date: NaiveDate) -> DateTime<Utc> {
    to_utc(zone, date.and_time(NaiveTime::MIN))
}

fn to_utc(zone: Zone, local: NaiveDateTime) -> DateTime<Utc> {
    (local - chrono::Duration::hours(i64::from(zone.utc_offset_hours()))).and_utc()
}

/// The gate's request for `c` at `at`: the attempt counts belong to the run's date and
/// week, so a later day starts from zero (and a later week too).
pub fn request_at<'a>(as_of: NaiveDate, c: &Contact<'a>, at: DateTime<Utc>) -> ContactRequest<'a> {
    let day = c.zone.local(at).date();
    let (today, week) = if day == as_of {
        (c.attempts_today, c.attempts_this_week)
    } else if day.iso_week() == as_of.iso_week() {
        (0, c.attempts_this_week)
    } else {
        (0, 0)
    };
    ContactRequest {
        paused: c.paused,
        consents: c.consents,
        attempts_today: today,
        attempts_this_week: week,
        ..ContactRequest::new(at, c.zone, c.channel)
    }
}

fn plan(gate: &Gate, as_of: NaiveDate, c: &Contact<'_>) -> Planned {
    let from = start_of_day(c.zone, as_of);
    let decision = gate.check(&request_at(as_of, c, from));
    let timed = gate.policy().channel(c.channel).time_gated;
    if decision.allowed && !timed {
        return Planned::AnyTime;
    }
    let Some(start) = decision.next_allowed_at else {
        return Planned::Refused(decision.rule);
    };
    Planned::Window {
        start,
        end: stretch_end(gate, as_of, c, start),
    }
}

/// The end of the allowed stretch beginning at `start`: the first instant after it where
/// the gate refuses. Within a local day the answer can only change where a window or a
/// consent ends (or the day does), so those are the only instants to try.
fn stretch_end(
    gate: &Gate,
    as_of: NaiveDate,
    c: &Contact<'_>,
    start: DateTime<Utc>,
) -> DateTime<Utc> {
    let date = c.zone.local(start).date();
    let midnight = start_of_day(c.zone, date.checked_add_days(Days::new(1)).unwrap_or(date));
    let mut candidates = vec![to_utc(
        c.zone,
        date.and_time(gate.policy().window_for(c.channel).end),
    )];
    for consent in c.consents {
        let r = consent.record();
        candidates.push(to_utc(c.zone, date.and_time(r.scope.window.end)));
        candidates.push(r.expires_at);
        candidates.extend(r.revoked_at);
    }
    candidates.retain(|t| *t > start && *t < midnight);
    candidates.sort_unstable();
    candidates
        .into_iter()
        .find(|&t| !gate.check(&request_at(as_of, c, t)).allowed)
        .unwrap_or(midnight)
}
