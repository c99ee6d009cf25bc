//! One account at a time: age, classify, evaluate the promise, apply the strategy, plan
//! the window through the gate, and queue the action. Runs on the thread that scans, so
//! the writer thread only writes.
//!
//! The facts loaded before the scan are sorted by account id and the scan comes in id
//! order, so each lookup is a cursor step instead of a hash (a million accounts a night).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sepakat_domain::compliance::{count_attempts, Channel, Consent, ContactRequest, Gate};
use sepakat_domain::scoring::{features, History};
use sepakat_domain::strategy::window::{start_of_day, Contact};
use sepakat_domain::strategy::{
    arm_of, AccountFacts, Action, Candidate, Planned, PromiseFacts, Strategy, WindowPlanner,
};
use sepakat_domain::{Dpd, Promise, PromiseStatus, Regime, Zone};
use sepakat_store::{AccountSnapshot, NewAction, PromiseChange, PromiseRow};

use super::{RunOptions, Waiting};
use crate::scoring::{history_instant, RowScorer, Scoring};

/// An account's recent interactions (channel, instant) and its last outcome.
pub(super) type Contacts = (Vec<(Channel, DateTime<Utc>)>, String);

/// Facts about accounts loaded before the scan, each list sorted by account id.
pub(super) struct Loaded {
    /// One promise per account (the pending one, else the latest).
    pub promises: Vec<PromiseRow>,
    /// Paused accounts.
    pub paused: Vec<i64>,
    /// Consents in force, by debtor.
    pub consents: HashMap<i64, Vec<Consent>>,
    /// Per account: recent interactions and the last outcome.
    pub contacts: Vec<(i64, Contacts)>,
    /// Per account with any history, its summary (only when a model scores the run).
    pub histories: Vec<(i64, History)>,
}

/// The entry of `list` for account `id`, moving `at` forward; the scan comes in id order,
/// and if it ever goes back the cursor is found again by binary search.
fn seek<'l, T>(list: &'l [T], at: &mut usize, id: i64, key: impl Fn(&T) -> i64) -> Option<&'l T> {
    if *at > 0 && list.get(*at - 1).is_some_and(|x| key(x) >= id) {
        *at = list.partition_point(|x| key(x) < id);
    }
    while list.get(*at).is_some_and(|x| key(x) < id) {
        *at += 1;
    }
    list.get(*at).filter(|x| key(x) == id)
}

/// When the call after a promise broken by `day_start` is due: the first time on that
/// day or later that the gate allows a call to the debtor (None for a paused account).
fn next_day_call(
    gate: &Gate,
    zone: Zone,
    day_start: DateTime<Utc>,
    paused: bool,
) -> Option<DateTime<Utc>> {
    let mut request = ContactRequest::new(day_start, zone, Channel::Call);
    request.paused = paused;
    gate.next_allowed(&request)
}

fn zone_index(zone: Zone) -> usize {
    match zone {
        Zone::Wib => 0,
        Zone::Wita => 1,
        Zone::Wit => 2,
    }
}

/// The run's per-account work and everything it tallies.
pub(super) struct Evaluator<'s> {
    options: &'s RunOptions<'s>,
    cx: &'s Loaded,
    regime: Regime,
    labels: &'s [String],
    default_team: Option<i64>,
    percent: u32,
    /// Start of the run's date, and its last second, per zone.
    day_start: [DateTime<Utc>; 3],
    day_end: [DateTime<Utc>; 3],
    cursor: [usize; 4],
    scorer: Option<RowScorer<'s>>,
    /// The probabilities of the batch being decided (empty without a model).
    scores: Vec<f64>,
    history_at: DateTime<Utc>,
    pub scored: u64,
    pub probability_sum: f64,
    pub planner: WindowPlanner<'s>,
    pub waiting: Vec<Waiting>,
    pub changes: Vec<PromiseChange>,
    /// Accounts per (arm, rule or none); `width` slots per arm.
    pub by_rule: Vec<u64>,
    pub width: usize,
    /// Accounts per (bucket, action).
    pub by_bucket: Vec<u64>,
    pub refused: HashMap<&'static str, u64>,
    pub accounts: u64,
    pub unallocated: u64,
}

impl<'s> Evaluator<'s> {
    pub(super) fn new(
        options: &'s RunOptions<'s>,
        cx: &'s Loaded,
        regime: Regime,
        labels: &'s [String],
        default_team: Option<i64>,
        scoring: Option<&'s Scoring>,
    ) -> Evaluator<'s> {
        let strategy = options.strategy;
        let rule_slots = strategy.champion.rules.len() + 1;
        let width = strategy.arm(1).rules.len().max(rule_slots) + 1;
        let day_start = [Zone::Wib, Zone::Wita, Zone::Wit].map(|z| start_of_day(z, options.as_of));
        Evaluator {
            options,
            cx,
            regime,
            labels,
            default_team,
            percent: strategy.challenger_percent(),
            day_start,
            day_end: day_start.map(|d| d + Duration::hours(24) - Duration::seconds(1)),
            cursor: [0; 4],
            scorer: scoring.map(Scoring::scorer),
            scores: Vec::new(),
            history_at: history_instant(options.as_of),
            scored: 0,
            probability_sum: 0.0,
            planner: WindowPlanner::new(options.gate, options.as_of),
            waiting: Vec::new(),
            changes: Vec::new(),
            by_rule: vec![0; 2 * width],
            width,
            by_bucket: vec![0; labels.len() * Action::ALL.len()],
            refused: HashMap::new(),
            accounts: 0,
            unallocated: 0,
        }
    }

    /// Decides a batch of accounts (in id order); pushes their actions onto `out`. With a
    /// model, the batch is scored first, all at once.
    pub(super) fn batch(&mut self, batch: &[AccountSnapshot], out: &mut Vec<NewAction<'s>>) {
        let mut scores = std::mem::take(&mut self.scores);
        scores.clear();
        if let Some(scorer) = self.scorer.as_mut() {
            let histories = &self.cx.histories;
            let at = &mut self.cursor[3];
            for a in batch {
                let history = seek(histories, at, a.id.0, |h| h.0)
                    .map(|h| h.1)
                    .unwrap_or_default();
                scorer.queue(&features(
                    &a.state(),
                    &history,
                    self.options.as_of,
                    self.history_at,
                ));
            }
            scorer.score_queued(&mut scores);
            self.scored += scores.len() as u64;
            for p in &scores {
                self.probability_sum += p;
            }
        }
        for (i, a) in batch.iter().enumerate() {
            self.account(a, scores.get(i).copied(), out);
        }
        self.scores = scores;
    }

    /// Decides one account with its probability to pay, if scored; pushes its action, if
    /// any, onto `out`.
    fn account(&mut self, a: &AccountSnapshot, score: Option<f64>, out: &mut Vec<NewAction<'s>>) {
        let options = self.options;
        let strategy: &'s Strategy = options.strategy;
        let cx = self.cx;
        self.accounts += 1;
        let zone = a.province.zone();
        let z = zone_index(zone);
        let dpd = Dpd::as_of(a.oldest_unpaid_due, options.as_of);
        let bucket = options.buckets.classify(dpd).index;
        let day_start = self.day_start[z];
        let [promise_at, paused_at, contact_at, _] = &mut self.cursor;
        let paused = seek(&cx.paused, paused_at, a.id.0, |p| *p).is_some();
        let promise = seek(&cx.promises, promise_at, a.id.0, |p| p.account.0).map(|p| {
            let status = if p.status == PromiseStatus::Pending {
                let s = Promise {
                    amount: p.amount,
                    promised_on: p.promised_on,
                    paid: p.paid,
                    zone,
                }
                .evaluate(day_start, strategy.grace_days);
                if s != PromiseStatus::Pending {
                    self.changes.push(PromiseChange {
                        id: p.id,
                        account: a.id,
                        status: s,
                        follow_up_at: (s == PromiseStatus::Broken)
                            .then(|| next_day_call(options.gate, zone, day_start, paused))
                            .flatten(),
                    });
                }
                s
            } else {
                p.status
            };
            PromiseFacts {
                status,
                days_since_promised: (options.as_of - p.promised_on).num_days(),
            }
        });
        let contact = seek(&cx.contacts, contact_at, a.id.0, |c| c.0).map(|c| &c.1);
        let facts = AccountFacts {
            product: a.product,
            dpd,
            days_to_due: a
                .oldest_unpaid_due
                .filter(|d| *d >= options.as_of)
                .and_then(|d| u32::try_from((d - options.as_of).num_days()).ok()),
            bucket,
            kolektibilitas: self.regime.classify(dpd),
            outstanding: a.outstanding,
            score,
            promise,
            days_since_contact: contact
                .and_then(|(h, _)| h.last())
                .and_then(|(_, at)| u32::try_from((day_start - *at).num_days().max(0)).ok()),
            last_outcome: contact.map(|(_, o)| o.as_str()),
            paused,
        };
        let choice = strategy.decide(arm_of(a.arm_key, self.percent), &facts);
        let width = self.width;
        self.by_rule[usize::from(choice.arm) * width + choice.rule.map_or(width - 1, |r| r)] += 1;
        self.by_bucket[bucket * Action::ALL.len() + choice.action.index()] += 1;
        let Some(rule_index) = choice.rule else {
            return;
        };
        if choice.action == Action::None {
            return;
        }
        let window = match choice.action.channel() {
            None => None,
            Some(channel) => {
                let history = contact.map(|(h, _)| h.as_slice()).unwrap_or(&[]);
                let (today, week) = if history.is_empty() {
                    (0, 0)
                } else {
                    count_attempts(zone, channel, self.day_end[z], history.iter().copied())
                };
                let consents = if cx.consents.is_empty() {
                    &[][..]
                } else {
                    cx.consents
                        .get(&a.debtor.0)
                        .map(Vec::as_slice)
                        .unwrap_or(&[])
                };
                match self.planner.plan(&Contact {
                    zone,
                    channel,
                    paused,
                    consents,
                    attempts_today: today,
                    attempts_this_week: week,
                }) {
                    Planned::AnyTime => None,
                    Planned::Window { start, end } => Some((start, end)),
                    Planned::Refused(rule) => {
                        *self.refused.entry(rule.code()).or_default() += 1;
                        return;
                    }
                }
            }
        };
        let rule = &strategy.arm(choice.arm).rules[rule_index];
        let priority = strategy.priority(&facts, rule);
        let team = a.team.or(self.default_team);
        if let (Some(kind), Some(team)) = (choice.action.collector(), team) {
            self.waiting.push(Waiting {
                team,
                candidate: Candidate {
                    account: a.id.0,
                    priority,
                    kind,
                    province: a.province,
                    // The schema records no debtor language yet.
                    language: None,
                    sticky: a.collector.map(|u| u.0),
                },
            });
        } else if choice.action.collector().is_some() {
            self.unallocated += 1;
        }
        out.push(NewAction {
            account: a.id,
            arm: choice.arm,
            rule: &rule.id,
            action: choice.action,
            template: rule.template.as_deref(),
            priority,
            window,
            team,
            dpd: dpd.days(),
            bucket: &self.labels[bucket],
            kolektibilitas: facts.kolektibilitas.class(),
            promise: promise.map(|p| p.status),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::seek;

    #[test]
    fn seek_finds_entries_in_order_and_after_going_back() {
        let list = [2i64, 5, 9];
        let mut at = 0;
        let found: Vec<Option<i64>> = [1, 2, 3, 5, 9, 10]
            .iter()
            .map(|id| seek(&list, &mut at, *id, |x| *x).copied())
            .collect();
        assert_eq!(found, vec![None, Some(2), None, Some(5), Some(9), None]);
        // Out of order: found again.
        assert_eq!(seek(&list, &mut at, 5, |x| *x), Some(&5));
        assert_eq!(seek(&list, &mut at, 2, |x| *x), Some(&2));
        assert_eq!(seek(&list, &mut at, 9, |x| *x), Some(&9));
    }
}
