//! Allocation of the day's calls and field visits to collectors, per team: the actions
//! are ranked by priority (highest first, then account id), and each in turn goes to the
//! first collector, in the team's collector order, who has capacity left, is of the right
//! kind (desk for calls, field for visits), serves the debtor's province (field
//! collectors list theirs; empty = all) and speaks the debtor's language when one is
//! known. An account held by a collector (sticky assignment) goes to that collector.

use crate::region::Province;

use super::action::CollectorKind;

/// A collector of a team, as allocation sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collector {
    /// The user id.
    pub user: i64,
    /// Desk or field.
    pub kind: CollectorKind,
    /// Actions they take per day.
    pub capacity: u32,
    /// Provinces served; empty = every province.
    pub provinces: Vec<Province>,
    /// Language codes spoken.
    pub languages: Vec<String>,
}

/// A team: its collectors, in allocation order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// The team id.
    pub id: i64,
    /// The active collectors, in order.
    pub collectors: Vec<Collector>,
}

/// One action waiting for a collector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate<'a> {
    /// The account id (ties in priority go to the lower id).
    pub account: i64,
    /// The priority.
    pub priority: f64,
    /// The kind of collector it needs.
    pub kind: CollectorKind,
    /// The debtor's province.
    pub province: Province,
    /// The debtor's language, when known.
    pub language: Option<&'a str>,
    /// The collector holding the account, if a supervisor assigned one.
    pub sticky: Option<i64>,
}

/// Allocates `candidates` of one team; returns the collector of each candidate, in the
/// candidates' order (`None` = unallocated: no capacity left that fits).
pub fn allocate(team: &Team, candidates: &[Candidate<'_>]) -> Vec<Option<i64>> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (x, y) = (&candidates[a], &candidates[b]);
        y.priority
            .total_cmp(&x.priority)
            .then(x.account.cmp(&y.account))
    });
    let mut left: Vec<u32> = team.collectors.iter().map(|c| c.capacity).collect();
    // The first collector of each kind that may still have room: collectors before it
    // are full, so the common case (no province or language limits) is O(1).
    let mut first_open = [0usize; 2];
    let mut out = vec![None; candidates.len()];
    for i in order {
        let cand = &candidates[i];
        if let Some(user) = cand.sticky {
            if let Some(pos) = team.collectors.iter().position(|c| c.user == user) {
                left[pos] = left[pos].saturating_sub(1);
                out[i] = Some(user);
                continue;
            }
        }
        let k = usize::from(cand.kind == CollectorKind::Field);
        while first_open[k] < team.collectors.len()
            && (team.collectors[first_open[k]].kind != cand.kind || left[first_open[k]] == 0)
        {
            first_open[k] += 1;
        }
        let found = (first_open[k]..team.collectors.len()).find(|&pos| {
            let c = &team.collectors[pos];
            c.kind == cand.kind
                && left[pos] > 0
                && (c.provinces.is_empty() || c.provinces.contains(&cand.province))
                && cand
                    .language
                    .is_none_or(|l| c.languages.iter().any(|s| s == l))
        });
        if let Some(pos) = found {
            left[pos] -= 1;
            out[i] = Some(team.collectors[pos].user);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collector(user: i64, kind: CollectorKind, capacity: u32) -> Collector {
        Collector {
            user,
            kind,
            capacity,
            provinces: vec![],
            languages: vec!["id".into()],
        }
    }

    fn cand(account: i64, priority: f64, kind: CollectorKind) -> Candidate<'static> {
        Candidate {
            account,
            priority,
            kind,
            province: Province::DkiJakarta,
            language: None,
            sticky: None,
        }
    }

    #[test]
    fn the_highest_priorities_fill_collectors_in_order_and_the_rest_wait() {
        let team = Team {
            id: 1,
            collectors: vec![
                collector(10, CollectorKind::Desk, 2),
                collector(11, CollectorKind::Desk, 1),
            ],
        };
        let c = [
            cand(1, 5.0, CollectorKind::Desk),
            cand(2, 9.0, CollectorKind::Desk),
            cand(3, 7.0, CollectorKind::Desk),
            cand(4, 7.0, CollectorKind::Desk),
        ];
        // Ranks: 2 (9.0), 3 (7.0, lower id), 4 (7.0), 1 (5.0).
        assert_eq!(
            allocate(&team, &c),
            vec![None, Some(10), Some(10), Some(11)]
        );
    }

    #[test]
    fn visits_go_to_field_collectors_of_the_debtors_province_and_sticky_accounts_stay() {
        let mut field = collector(20, CollectorKind::Field, 5);
        field.provinces = vec![Province::JawaBarat];
        let team = Team {
            id: 1,
            collectors: vec![
                collector(10, CollectorKind::Desk, 1),
                field,
                collector(21, CollectorKind::Field, 1),
            ],
        };
        let mut visit_jabar = cand(1, 3.0, CollectorKind::Field);
        visit_jabar.province = Province::JawaBarat;
        let visit_dki = cand(2, 2.0, CollectorKind::Field);
        let mut sticky = cand(3, 1.0, CollectorKind::Desk);
        sticky.sticky = Some(21);
        let mut sundanese = cand(4, 9.0, CollectorKind::Desk);
        sundanese.language = Some("su");
        assert_eq!(
            allocate(&team, &[visit_jabar, visit_dki, sticky, sundanese]),
            vec![Some(20), Some(21), Some(21), None]
        );
    }
}
