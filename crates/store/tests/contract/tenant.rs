//! Contract: migrations, creditors, users, logins, sessions and API tokens.

use sepakat_domain::{Regime, Role};
use sepakat_store::{
    CreditorId, EntityRef, LoginAttempt, NewApiToken, NewCreditor, NewSession, NewUser, Store,
    StoreError, UserId,
};

use super::fixtures::*;

/// Migrating an already migrated store changes nothing and fails not.
pub fn migrate_twice_is_harmless(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    store.migrate().expect("second migrate");
    store.migrate().expect("third migrate");
    assert_eq!(store.creditor_by_code("BANKA").expect("read"), Some(a));
}

/// A creditor comes back by code and by id, with its regime.
pub fn creditor_is_created_and_found_by_code_and_id(store: &dyn Store) {
    let p2p = store
        .create_creditor(
            &NewCreditor {
                code: "PINDAR1".into(),
                name: "PT Pindar Satu".into(),
                regime: Regime::p2p(),
            },
            &cli(),
        )
        .expect("created");
    assert_eq!(p2p.code, "PINDAR1");
    assert_eq!(p2p.name, "PT Pindar Satu");
    assert_eq!(p2p.regime, Regime::p2p());
    assert_eq!(
        store.creditor_by_code("PINDAR1").expect("read"),
        Some(p2p.clone())
    );
    assert_eq!(store.creditor(p2p.id).expect("read"), Some(p2p.clone()));
    assert_eq!(store.creditor_by_code("pindar1").expect("read"), None);
    assert_eq!(
        store.creditor(CreditorId(p2p.id.0 + 1000)).expect("read"),
        None
    );
}

/// A second creditor with the same code is refused and the first is kept.
pub fn duplicate_creditor_code_is_a_conflict(store: &dyn Store) {
    let first = creditor(store, "BANKA");
    let again = store.create_creditor(
        &NewCreditor {
            code: "BANKA".into(),
            name: "Another".into(),
            regime: Regime::p2p(),
        },
        &cli(),
    );
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(store.creditors().expect("list"), vec![first]);
}

/// `creditors` lists all creditors ordered by code.
pub fn creditors_are_listed_by_code(store: &dyn Store) {
    assert!(store.creditors().expect("list").is_empty());
    let z = creditor(store, "ZETA");
    let a = creditor(store, "ALFA");
    let m = creditor(store, "MIKRO");
    assert_eq!(store.creditors().expect("list"), vec![a, m, z]);
}

/// Creating a creditor writes `creditor.created` about it.
pub fn creditor_creation_is_audited(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let trail = store
        .audit_trail(a.id, &EntityRef::new("creditor", a.id), 10)
        .expect("trail");
    assert_eq!(trail.len(), 1);
    let entry = &trail[0].entry;
    assert_eq!(entry.action, "creditor.created");
    assert_eq!(entry.creditor, Some(a.id));
    assert_eq!(entry.actor, cli());
}

/// A user comes back by id and with credentials, creditors ascending.
pub fn user_is_created_with_credentials_and_creditors(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let b = creditor(store, "BANKB");
    let made = store
        .create_user(
            &NewUser {
                username: "sari".into(),
                full_name: "Sari Wulandari".into(),
                role: Role::Supervisor,
                password_hash: "$argon2id$hash".into(),
                creditors: vec![b.id, a.id],
            },
            &cli(),
        )
        .expect("created");
    assert_eq!(made.username, "sari");
    assert_eq!(made.full_name, "Sari Wulandari");
    assert_eq!(made.role, Role::Supervisor);
    assert_eq!(made.creditors, vec![a.id, b.id]);
    assert_eq!(store.user(made.id).expect("read"), Some(made.clone()));
    assert_eq!(store.user(UserId(made.id.0 + 1000)).expect("read"), None);
    let creds = store
        .user_credentials("sari")
        .expect("read")
        .expect("exists");
    assert_eq!(creds.user, made);
    assert_eq!(creds.password_hash, "$argon2id$hash");
    assert_eq!(creds.failed_attempts, 0);
    assert_eq!(creds.locked_until, None);
    let trail = store
        .audit_trail(a.id, &EntityRef::new("user", made.id), 10)
        .expect("trail");
    assert_eq!(
        trail
            .iter()
            .map(|e| e.entry.action.as_str())
            .collect::<Vec<_>>(),
        ["user.created"]
    );
}

/// A second user with the same username is refused.
pub fn duplicate_username_is_a_conflict(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    user(store, "budi", &[a.id]);
    let again = store.create_user(
        &NewUser {
            username: "budi".into(),
            full_name: "Budi Lain".into(),
            role: Role::Admin,
            password_hash: "x".into(),
            creditors: vec![a.id],
        },
        &cli(),
    );
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let creds = store.user_credentials("budi").expect("read").expect("kept");
    assert_eq!(creds.user.role, Role::Collector);
}

/// A user must serve at least one existing creditor; a refused user is not stored.
pub fn user_without_creditor_is_refused(store: &dyn Store) {
    let none = store.create_user(
        &NewUser {
            username: "tanpa".into(),
            full_name: "Tanpa Kreditur".into(),
            role: Role::Collector,
            password_hash: "x".into(),
            creditors: vec![],
        },
        &cli(),
    );
    assert!(none.is_err(), "{none:?}");
    let unknown = store.create_user(
        &NewUser {
            username: "tanpa".into(),
            full_name: "Tanpa Kreditur".into(),
            role: Role::Collector,
            password_hash: "x".into(),
            creditors: vec![CreditorId(4242)],
        },
        &cli(),
    );
    assert!(unknown.is_err(), "{unknown:?}");
    assert_eq!(store.user_credentials("tanpa").expect("read"), None);
}

/// Credentials of a username nobody has are None (not an error).
pub fn unknown_username_has_no_credentials(store: &dyn Store) {
    assert_eq!(store.user_credentials("siapa").expect("read"), None);
    assert_eq!(store.user_credentials("").expect("read"), None);
    assert_eq!(store.user_credentials("' OR 1=1 --").expect("read"), None);
}

/// Failures count up and set the lock; a success resets both.
pub fn failed_logins_count_up_and_lock_and_success_resets(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let u = user(store, "budi", &[a.id]);
    let fail = |lock| LoginAttempt {
        at: at(0),
        success: false,
        lock_until: lock,
        remote: Some("10.0.0.7".into()),
    };
    store.record_login(u.id, &fail(None)).expect("recorded");
    let creds = store.user_credentials("budi").expect("read").expect("user");
    assert_eq!((creds.failed_attempts, creds.locked_until), (1, None));
    store
        .record_login(u.id, &fail(Some(at(1))))
        .expect("recorded");
    let creds = store.user_credentials("budi").expect("read").expect("user");
    assert_eq!(
        (creds.failed_attempts, creds.locked_until),
        (2, Some(at(1)))
    );
    let ok = LoginAttempt {
        at: at(2),
        success: true,
        lock_until: None,
        remote: None,
    };
    store.record_login(u.id, &ok).expect("recorded");
    let creds = store.user_credentials("budi").expect("read").expect("user");
    assert_eq!((creds.failed_attempts, creds.locked_until), (0, None));
    let nobody = store.record_login(UserId(u.id.0 + 1000), &ok);
    assert!(matches!(nobody, Err(StoreError::NotFound(_))), "{nobody:?}");
}

/// Login attempts are audited (creditor-less, system-wide entries about the user); such
/// entries appear in the trail of the creditors the user serves, and of no other.
pub fn logins_are_audited_for_the_users_creditors_only(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let b = creditor(store, "BANKB");
    let u = user(store, "budi", &[a.id]);
    for (hour, success) in [(0, false), (1, true)] {
        let attempt = LoginAttempt {
            at: at(hour),
            success,
            lock_until: None,
            remote: Some("10.0.0.7".into()),
        };
        store.record_login(u.id, &attempt).expect("recorded");
    }
    let entity = EntityRef::new("user", u.id);
    let trail = store.audit_trail(a.id, &entity, 10).expect("trail");
    let actions: Vec<_> = trail.iter().map(|e| e.entry.action.as_str()).collect();
    assert_eq!(actions, ["login.succeeded", "login.failed", "user.created"]);
    assert_eq!(trail[0].entry.at, at(1));
    assert_eq!(trail[0].entry.creditor, None);
    assert_eq!(trail[0].entry.actor.user, Some(u.id));
    assert!(store
        .audit_trail(b.id, &entity, 10)
        .expect("trail")
        .is_empty());
}

fn new_session(user: UserId, creditor: CreditorId, hash: &str) -> NewSession {
    NewSession {
        token_hash: hash.to_string(),
        user,
        creditor,
        csrf_token: "csrf-123".into(),
        created_at: at(0),
        expires_at: at(8),
    }
}

/// A session is found with its user, creditor and CSRF token before expiry only.
pub fn session_is_found_until_it_expires(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let u = user(store, "budi", &[a.id]);
    store
        .create_session(&new_session(u.id, a.id, "aa11"))
        .expect("created");
    let live = store.session("aa11", at(1)).expect("read").expect("live");
    assert_eq!(live.user, u);
    assert_eq!(live.creditor, a.id);
    assert_eq!(live.csrf_token, "csrf-123");
    assert_eq!(live.expires_at, at(8));
    assert!(store.session("aa11", at(8)).expect("read").is_none());
    assert!(store.session("aa11", at(9)).expect("read").is_none());
    assert!(store.session("bb22", at(1)).expect("read").is_none());
}

/// Deleting a session ends it; deleting an unknown one is fine.
pub fn deleted_session_is_gone(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let u = user(store, "budi", &[a.id]);
    store
        .create_session(&new_session(u.id, a.id, "aa11"))
        .expect("created");
    store
        .create_session(&new_session(u.id, a.id, "cc33"))
        .expect("created");
    store.delete_session("aa11").expect("deleted");
    store.delete_session("never").expect("no-op");
    assert!(store.session("aa11", at(1)).expect("read").is_none());
    assert!(store.session("cc33", at(1)).expect("read").is_some());
}

/// A session must name an existing user and a creditor that user serves, and its hash
/// must be new.
pub fn session_for_unknown_user_is_refused(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let u = user(store, "budi", &[a.id]);
    let ghost = store.create_session(&new_session(UserId(u.id.0 + 1000), a.id, "dd44"));
    assert!(ghost.is_err(), "{ghost:?}");
    let nowhere = store.create_session(&new_session(u.id, CreditorId(a.id.0 + 1000), "dd44"));
    assert!(nowhere.is_err(), "{nowhere:?}");
    let b = creditor(store, "BANKB");
    let not_served = store.create_session(&new_session(u.id, b.id, "dd44"));
    assert!(
        not_served.is_err(),
        "a user may only work for creditors it serves"
    );
    store
        .create_session(&new_session(u.id, a.id, "ee55"))
        .expect("created");
    let twice = store.create_session(&new_session(u.id, a.id, "ee55"));
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert!(store.session("dd44", at(1)).expect("read").is_none());
}

/// An API token hash leads to its owner; an unknown hash to nobody.
pub fn api_token_finds_its_user(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let u = user(store, "budi", &[a.id]);
    let token = NewApiToken {
        token_hash: "f00d".into(),
        user: u.id,
        label: "import nightly".into(),
        created_at: at(0),
    };
    store.create_api_token(&token, &cli()).expect("created");
    assert_eq!(store.user_by_api_token("f00d").expect("read"), Some(u));
    assert_eq!(store.user_by_api_token("beef").expect("read"), None);
}

/// The same token hash cannot be stored twice.
pub fn duplicate_api_token_is_a_conflict(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let u = user(store, "budi", &[a.id]);
    let token = NewApiToken {
        token_hash: "f00d".into(),
        user: u.id,
        label: "one".into(),
        created_at: at(0),
    };
    store.create_api_token(&token, &cli()).expect("created");
    let again = store.create_api_token(&token, &cli());
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
}
