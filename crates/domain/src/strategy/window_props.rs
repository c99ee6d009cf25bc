//! Property tests of window planning: no planned window lies outside what the gate
//! allows, a window starts at the first allowed instant of the run's date or later, and
//! the memo never changes an answer.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use proptest::prelude::*;

use super::window::{request_at, start_of_day, Contact, Planned, WindowPlanner};
use crate::compliance::{Channel, Consent, ConsentRecord, ConsentScope, Gate, TimeWindow};
use crate::region::Zone;

fn zone() -> impl proptest::strategy::Strategy<Value = Zone> {
    prop::sample::select(vec![Zone::Wib, Zone::Wita, Zone::Wit])
}

fn channel() -> impl proptest::strategy::Strategy<Value = Channel> {
    prop::sample::select(Channel::ALL.to_vec())
}

fn date() -> impl proptest::strategy::Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    (0u64..(4 * 365 - 40)).prop_map(move |d| first + chrono::Days::new(d))
}

/// A consent for `channel` granted around the run date, for some days and hours.
fn consent(
    channel: Channel,
    as_of: NaiveDate,
    grant_hours: i64,
    days_long: i64,
    start_hour: u32,
    hours: u32,
    weekend_only: bool,
) -> Consent {
    let granted: DateTime<Utc> =
        as_of.and_time(NaiveTime::MIN).and_utc() + Duration::hours(grant_hours);
    Consent::new(ConsentRecord {
        recorded_by: "test".into(),
        recorded_via: Channel::Call,
        granted_at: granted,
        expires_at: granted + Duration::days(days_long),
        revoked_at: None,
        channels: vec![channel],
        scope: ConsentScope {
            days: if weekend_only {
                vec![Weekday::Sat, Weekday::Sun]
            } else {
                vec![
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                    Weekday::Sat,
                    Weekday::Sun,
                ]
            },
            window: TimeWindow::hours(start_hour, (start_hour + hours).min(24)).unwrap(),
            holidays: true,
        },
    })
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_planned_window_lies_outside_the_gate(
        zone in zone(),
        channel in channel(),
        as_of in date(),
        attempts in 0u32..5,
        paused in prop::bool::weighted(0.05),
        with_consent in any::<bool>(),
        grant in -48i64..30,
        days_long in 1i64..10,
        start_hour in 0u32..23,
        hours in 1u32..8,
        weekend in any::<bool>(),
    ) {
        let gate = Gate::shipped();
        let consents: Vec<Consent> = if with_consent {
            vec![consent(channel, as_of, grant, days_long, start_hour, hours, weekend)]
        } else {
            vec![]
        };
        let c = Contact {
            zone,
            channel,
            paused,
            consents: &consents,
            attempts_today: attempts,
            attempts_this_week: attempts,
        };
        let from = start_of_day(zone, as_of);
        let planned = WindowPlanner::new(&gate, as_of).plan(&c);
        match planned {
            Planned::Window { start, end } => {
                prop_assert!(start >= from);
                prop_assert!(end > start);
                for t in [start, start + (end - start) / 2, end - Duration::microseconds(1)] {
                    let d = gate.check(&request_at(as_of, &c, t));
                    prop_assert!(d.allowed, "{t} in [{start}, {end}) refused by {:?}", d.rule);
                }
                let midnight = start_of_day(zone, zone.local(start).date() + chrono::Days::new(1));
                prop_assert!(end == midnight || !gate.check(&request_at(as_of, &c, end)).allowed);
                let before = start - Duration::seconds(1);
                if before >= from {
                    prop_assert!(!gate.check(&request_at(as_of, &c, before)).allowed, "{before} was allowed");
                }
            }
            Planned::AnyTime => {
                prop_assert!(!gate.policy().channel(channel).time_gated);
                prop_assert!(gate.check(&request_at(as_of, &c, from)).allowed);
            }
            Planned::Refused(rule) => {
                let req = request_at(as_of, &c, from);
                prop_assert!(!gate.check(&req).allowed);
                prop_assert_eq!(gate.next_allowed(&req), None);
                prop_assert!(!rule.allows());
            }
        }
    }

    #[test]
    fn the_memo_never_changes_an_answer(
        contacts in prop::collection::vec((zone(), channel(), 0u32..5, 0u32..12, prop::bool::weighted(0.1)), 1..40),
        as_of in date(),
    ) {
        let gate = Gate::shipped();
        let mut shared = WindowPlanner::new(&gate, as_of);
        for (zone, channel, today, week, paused) in contacts {
            let c = Contact { zone, channel, paused, consents: &[], attempts_today: today, attempts_this_week: week };
            let fresh = WindowPlanner::new(&gate, as_of).plan(&c);
            prop_assert_eq!(shared.plan(&c), fresh);
        }
    }
}

#[test]
fn a_call_with_its_daily_cap_used_moves_to_the_next_allowed_day() {
    let gate = Gate::shipped();
    // Tuesday 24 November 2026, Makassar (WITA).
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let c = Contact {
        zone: Zone::Wita,
        channel: Channel::Call,
        paused: false,
        consents: &[],
        attempts_today: 3,
        attempts_this_week: 3,
    };
    let mut planner = WindowPlanner::new(&gate, as_of);
    assert_eq!(
        planner.plan(&c),
        Planned::Window {
            start: "2026-11-25T00:00:00Z".parse().unwrap(),
            end: "2026-11-25T12:00:00Z".parse().unwrap(),
        }
    );
    let fresh = Contact {
        attempts_today: 0,
        attempts_this_week: 0,
        ..c
    };
    assert_eq!(
        planner.plan(&fresh),
        Planned::Window {
            start: "2026-11-24T00:00:00Z".parse().unwrap(),
            end: "2026-11-24T12:00:00Z".parse().unwrap(),
        }
    );
    assert_eq!(
        planner.plan(&Contact { paused: true, ..c }),
        Planned::Refused(crate::compliance::Rule::Paused)
    );
    let letter = Contact {
        channel: Channel::Letter,
        ..fresh
    };
    assert_eq!(planner.plan(&letter), Planned::AnyTime);
    assert_eq!(planner.searches, 4);
    assert_eq!(planner.plan(&fresh), planner.plan(&fresh));
    assert_eq!(planner.searches, 4);
}
