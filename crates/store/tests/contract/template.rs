//! Contract: a creditor's versioned templates. A version that does not parse (an unknown
//! variable) or that the guard blocks is refused and nothing is written; only the
//! compliance role decides, never the author, and once; the newest approved version is in
//! force; another creditor's templates are unknown; every change is audited.

use sepakat_domain::compliance::Channel;
use sepakat_domain::template::Stage;
use sepakat_domain::{Guard, Role};
use sepakat_store::{
    Actor, EntityRef, NewTemplateVersion, NewUser, Store, StoreError, TemplateStatus, User,
};

use super::fixtures::*;

fn conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, needles: &[&str]) {
    match result {
        Err(StoreError::Conflict(m)) => {
            for needle in needles {
                assert!(m.contains(needle), "{m} lacks {needle}");
            }
        }
        other => panic!("expected a conflict about {needles:?}, got {other:?}"),
    }
}

fn person(store: &dyn Store, username: &str, role: Role, c: sepakat_store::CreditorId) -> User {
    store
        .create_user(
            &NewUser {
                username: username.to_string(),
                full_name: format!("{username} Lengkap"),
                role,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
                creditors: vec![c],
            },
            &cli(),
        )
        .expect("user created")
}

fn actor(u: &User) -> Actor {
    Actor::user(u.id, &u.username)
}

fn whatsapp(body: &str) -> NewTemplateVersion {
    NewTemplateVersion {
        stage: Stage::Early,
        channel: Channel::Whatsapp,
        subject: None,
        body: body.to_string(),
        note: Some("lebih singkat".into()),
    }
}

const POLITE: &str = "Yth. {{sapaan}}, tagihan {{nomor_akun}} sebesar {{tunggakan}} telah \
                      jatuh tempo. Mohon dibayar sebelum {{batas_waktu}}. Terima kasih.";

pub fn template_versions_need_a_compliance_decision_by_someone_other_than_the_author(
    store: &dyn Store,
) {
    let guard = Guard::shipped();
    let c = creditor(store, "BANKA").id;
    let other = creditor(store, "BANKB").id;
    let writer = person(store, "penyelia", Role::Supervisor, c);
    let checker = person(store, "kepatuhan", Role::Compliance, c);
    let checker_two = person(store, "kepatuhan2", Role::Compliance, c);

    // An unknown variable is refused with its name, and nothing is written.
    conflict(
        store.add_template_version(
            c,
            &whatsapp("Yth. {{nama_lengkap}}, mohon bayar."),
            Some(&guard),
            at(0),
            &actor(&writer),
        ),
        &["body", "nama_lengkap"],
    );
    // A subject on WhatsApp is refused; e-mail needs one.
    let mut with_subject = whatsapp(POLITE);
    with_subject.subject = Some("Tagihan".into());
    conflict(
        store.add_template_version(c, &with_subject, None, at(0), &actor(&writer)),
        &["subject"],
    );
    // A threat is refused at submission with the rule and the words; nothing is written.
    conflict(
        store.add_template_version(
            c,
            &whatsapp("{{sapaan}}, bayar hari ini atau kami laporkan ke polisi."),
            Some(&guard),
            at(0),
            &actor(&writer),
        ),
        &["message guard", "polisi"],
    );
    conflict(
        store.add_template_version(c, &whatsapp(POLITE), None, at(0), &cli()),
        &["person"],
    );
    assert!(store.templates(c).unwrap().is_empty());

    // A draft, then submitted.
    let draft = store
        .add_template_version(c, &whatsapp(POLITE), None, at(1), &actor(&writer))
        .expect("drafted");
    assert_eq!(draft.version, 1);
    assert_eq!(draft.status, TemplateStatus::Draft);
    assert_eq!(draft.author, writer.id);
    assert_eq!(draft.note.as_deref(), Some("lebih singkat"));
    conflict(
        store.decide_template_version(c, draft.id, true, "", &guard, at(2), &actor(&checker)),
        &["not pending"],
    );
    let v1 = store
        .submit_template_version(c, draft.id, &guard, at(2), &actor(&writer))
        .expect("submitted");
    assert_eq!(v1.status, TemplateStatus::Pending);
    assert_eq!(v1.submitted_at, Some(at(2)));
    conflict(
        store.submit_template_version(c, draft.id, &guard, at(2), &actor(&writer)),
        &["already pending"],
    );
    assert_eq!(
        store
            .template_in_force(c, Stage::Early, Channel::Whatsapp)
            .unwrap(),
        None
    );

    // Only compliance decides; never the author.
    conflict(
        store.decide_template_version(c, v1.id, true, "", &guard, at(3), &actor(&writer)),
        &["compliance"],
    );
    let own = store
        .add_template_version(
            c,
            &whatsapp(&format!("{POLITE} Salam.")),
            Some(&guard),
            at(3),
            &actor(&checker),
        )
        .expect("a compliance user may write one");
    assert_eq!(own.version, 2);
    conflict(
        store.decide_template_version(c, own.id, true, "ok", &guard, at(4), &actor(&checker)),
        &["other than its author"],
    );
    conflict(
        store.decide_template_version(c, v1.id, false, "  ", &guard, at(4), &actor(&checker)),
        &["reason"],
    );
    let approved = store
        .decide_template_version(c, v1.id, true, "Sopan", &guard, at(4), &actor(&checker))
        .expect("approved");
    assert_eq!(approved.status, TemplateStatus::Approved);
    assert_eq!(approved.decided_by, Some(checker.id));
    assert_eq!(approved.decided_at, Some(at(4)));
    assert_eq!(approved.reason.as_deref(), Some("Sopan"));
    conflict(
        store.decide_template_version(c, v1.id, true, "", &guard, at(5), &actor(&checker_two)),
        &["approved, not pending"],
    );
    let in_force = store
        .template_in_force(c, Stage::Early, Channel::Whatsapp)
        .unwrap()
        .expect("in force");
    assert_eq!(in_force.id, v1.id);
    assert_eq!(in_force.body, POLITE);

    // The newer approved version takes over; a rejected one never does.
    store
        .decide_template_version(c, own.id, true, "", &guard, at(6), &actor(&checker_two))
        .expect("approved by the other officer");
    let v3 = store
        .add_template_version(c, &whatsapp(POLITE), Some(&guard), at(7), &actor(&writer))
        .expect("v3");
    let rejected = store
        .decide_template_version(
            c,
            v3.id,
            false,
            "Sama dengan versi 1",
            &guard,
            at(8),
            &actor(&checker),
        )
        .expect("rejected");
    assert_eq!(rejected.status, TemplateStatus::Rejected);
    assert_eq!(
        store
            .template_in_force(c, Stage::Early, Channel::Whatsapp)
            .unwrap()
            .map(|v| v.version),
        Some(2)
    );
    let list = store.templates(c).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].in_force.as_ref().map(|v| v.version), Some(2));
    assert!(list[0].pending.is_empty());
    assert_eq!(list[0].latest, 3);
    let (template, versions) = store.template(c, list[0].template.id).unwrap().unwrap();
    assert_eq!(template.stage, Stage::Early);
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [3, 2, 1]
    );

    // Another creditor sees none of it and cannot decide it.
    assert!(store.templates(other).unwrap().is_empty());
    assert!(store.template(other, template.id).unwrap().is_none());
    assert!(store.template_version(other, v1.id).unwrap().is_none());
    assert!(store
        .template_in_force(other, Stage::Early, Channel::Whatsapp)
        .unwrap()
        .is_none());
    let outsider = person(store, "kepatuhanb", Role::Compliance, other);
    let pending = store
        .add_template_version(c, &whatsapp(POLITE), Some(&guard), at(9), &actor(&writer))
        .expect("v4");
    assert!(matches!(
        store.decide_template_version(
            other,
            pending.id,
            true,
            "",
            &guard,
            at(9),
            &actor(&outsider)
        ),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store
            .template_version(c, pending.id)
            .unwrap()
            .unwrap()
            .status,
        TemplateStatus::Pending
    );

    let trail: Vec<String> = store
        .audit_trail(c, &EntityRef::new("template", template.id), 50)
        .unwrap()
        .into_iter()
        .map(|e| e.entry.action)
        .collect();
    let count = |a: &str| trail.iter().filter(|t| *t == a).count();
    assert_eq!(count("template.drafted"), 4, "{trail:?}");
    assert_eq!(count("template.submitted"), 4, "{trail:?}");
    assert_eq!(count("template.approved"), 2, "{trail:?}");
    assert_eq!(count("template.rejected"), 1, "{trail:?}");
}

pub fn letter_and_email_versions_keep_their_subject(store: &dyn Store) {
    let guard = Guard::shipped();
    let c = creditor(store, "BANKA").id;
    let writer = person(store, "manajer", Role::Manager, c);
    let letter = NewTemplateVersion {
        stage: Stage::Sp1,
        channel: Channel::Letter,
        subject: None,
        body: POLITE.to_string(),
        note: None,
    };
    conflict(
        store.add_template_version(c, &letter, Some(&guard), at(0), &actor(&writer)),
        &["subject"],
    );
    let letter = NewTemplateVersion {
        subject: Some("  Surat Peringatan Pertama  ".into()),
        ..letter
    };
    let written = store
        .add_template_version(c, &letter, Some(&guard), at(0), &actor(&writer))
        .expect("written");
    assert_eq!(written.subject.as_deref(), Some("Surat Peringatan Pertama"));
    assert_eq!(written.note, None);
    let template = written.message_template().expect("parses");
    assert_eq!(template.key, "sp1_letter");
    assert_eq!(template.channel, Channel::Letter);
}
