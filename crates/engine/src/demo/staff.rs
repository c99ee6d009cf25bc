//! The demo's teams and collectors: per creditor a desk team and a field team, the
//! demo's own collector logins where they exist and seven synthetic collectors, created
//! once and found again on a re-run.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use sepakat_domain::strategy::CollectorKind;
use sepakat_domain::{Province, Role};
use sepakat_store::{
    AccountDetail, Actor, CollectorInfo, CreditorId, NewUser, Store, TeamId, UserId,
};

use super::collection::{noon, CollectionSummary};
use super::generator::CREDITORS;
use super::DemoOptions;

/// The demo's own collector logins (created by `sepakat demo`), used when present:
/// `kolektor` works the bank's desk, `agensi` the desk of every creditor it serves.
const DEMO_COLLECTORS: &[&str] = &["kolektor", "agensi"];

/// Synthetic collectors: (full name, kind); usernames are `kol.<creditor>.<n>`.
const STAFF: &[(&str, CollectorKind)] = &[
    ("Andi Pratama", CollectorKind::Desk),
    ("Nur Aini Hasibuan", CollectorKind::Desk),
    ("Rudi Hartono", CollectorKind::Desk),
    ("Wayan Sudarsana", CollectorKind::Desk),
    ("Fitri Handayani", CollectorKind::Field),
    ("Joko Susilo", CollectorKind::Field),
    ("Hendra Sitompul", CollectorKind::Field),
];

/// A team with the members the demo gave it.
pub(super) struct Crew {
    pub(super) id: TeamId,
    /// (user, provinces served; empty = all).
    pub(super) members: Vec<(UserId, String, Vec<Province>)>,
}

impl Crew {
    /// A member who serves the debtor's province.
    pub(super) fn pick(&self, rng: &mut StdRng, account: &AccountDetail) -> UserId {
        let province = account.debtor.data.province;
        let serving: Vec<&(UserId, String, Vec<Province>)> = self
            .members
            .iter()
            .filter(|(_, _, p)| p.is_empty() || p.contains(&province))
            .collect();
        serving
            .choose(rng)
            .or(self.members.first().as_ref())
            .map(|m| m.0)
            .unwrap_or(UserId(0))
    }

    pub(super) fn name_of(&self, user: UserId) -> &str {
        self.members
            .iter()
            .find(|m| m.0 == user)
            .map_or("kolektor", |m| m.1.as_str())
    }
}

/// The two teams of a creditor.
pub(super) struct Staff {
    /// Desk collection.
    pub(super) desk: Crew,
    /// Field collection (with one desk collector for its calls).
    pub(super) field: Crew,
}

/// Creates (or finds) the two teams and their collectors.
#[allow(clippy::too_many_arguments)]
pub(super) fn staff(
    store: &dyn Store,
    creditor: CreditorId,
    c: usize,
    password_hash: &str,
    options: &DemoOptions,
    actor: &Actor,
    summary: &mut CollectionSummary,
) -> anyhow::Result<Staff> {
    let now = noon(options.today);
    let existing = store.teams(creditor)?;
    let mut team = |code: &str, name: &str| -> anyhow::Result<(TeamId, bool)> {
        match existing.iter().find(|t| t.code == code) {
            Some(t) => Ok((t.id, !t.collectors.is_empty())),
            None => {
                summary.teams += 1;
                Ok((
                    store.create_team(creditor, code, name, now, actor)?.id,
                    false,
                ))
            }
        }
    };
    let short = CREDITORS[c].code;
    let (desk_id, desk_staffed) = team("DESK", &format!("Tim Desk Collection {short}"))?;
    let (field_id, field_staffed) = team("FIELD", &format!("Tim Field Collection {short}"))?;
    let mut desk = Crew {
        id: desk_id,
        members: Vec::new(),
    };
    let mut field = Crew {
        id: field_id,
        members: Vec::new(),
    };
    let mut members: Vec<(UserId, String, CollectorKind, u32, Vec<Province>)> = Vec::new();
    for username in DEMO_COLLECTORS {
        if let Some(u) = store.user_credentials(username)? {
            if u.user.creditors.contains(&creditor) {
                members.push((
                    u.user.id,
                    u.user.username,
                    CollectorKind::Desk,
                    40,
                    Vec::new(),
                ));
            }
        }
    }
    // Field collectors split Java and take the rest of the country between them.
    let regions: [&[u8]; 3] = [&[31, 32, 36], &[33, 34, 35], &[]];
    let mut field_n = 0;
    for (n, (name, kind)) in STAFF.iter().enumerate() {
        let username = format!("kol.{}.{:02}", short.to_lowercase(), n + 1);
        let user = match store.user_credentials(&username)? {
            Some(u) => u.user,
            None => {
                summary.users += 1;
                store.create_user(
                    &NewUser {
                        username: username.clone(),
                        full_name: name.to_string(),
                        role: Role::Collector,
                        password_hash: password_hash.to_string(),
                        creditors: vec![creditor],
                    },
                    actor,
                )?
            }
        };
        let (capacity, provinces) = match kind {
            CollectorKind::Desk => (60 + 10 * (n as u32 % 3), Vec::new()),
            CollectorKind::Field => {
                let p = regions[field_n % regions.len()]
                    .iter()
                    .filter_map(|code| Province::from_code(*code))
                    .collect();
                field_n += 1;
                (8 + 2 * (n as u32 % 3), p)
            }
        };
        members.push((user.id, username, *kind, capacity, provinces));
    }
    // The field team keeps one desk collector for the calls of its accounts.
    let coordinator = members.iter().rposition(|m| m.2 == CollectorKind::Desk);
    for (i, (user, username, kind, capacity, provinces)) in members.into_iter().enumerate() {
        let in_field = kind == CollectorKind::Field || Some(i) == coordinator;
        let crew = if in_field { &mut field } else { &mut desk };
        let staffed = if in_field {
            field_staffed
        } else {
            desk_staffed
        };
        if !staffed {
            store.put_collector(
                creditor,
                &CollectorInfo {
                    team: crew.id,
                    user,
                    kind,
                    daily_capacity: capacity,
                    provinces: provinces.clone(),
                    languages: vec!["id".to_string()],
                    active: true,
                },
                now,
                actor,
            )?;
        }
        crew.members.push((user, username, provinces));
    }
    Ok(Staff { desk, field })
}
