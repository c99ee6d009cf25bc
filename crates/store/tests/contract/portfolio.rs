//! Contract: the portfolio overview (open accounts by product and DPD) and the audit trail.

use sepakat_domain::{ProductType, Rupiah};
use sepakat_store::{AccountStatus, Actor, EntityRef, NewAudit, PortfolioGroup, Store};

use super::fixtures::*;
use super::payment::one_account;

/// Open accounts are counted and summed per (product, DPD on the date), ordered by product
/// (in `ProductType` order) then DPD; closed accounts are left out.
pub fn portfolio_groups_open_accounts_by_product_and_dpd(store: &dyn Store) {
    let a = creditor(store, "BANKA");
    let as_of = day("2026-11-24");
    let make = |row, no: &str, product, due: Option<&str>, penalty: i64, status| {
        let mut acc = account(row, no, person(&format!("CIF{row}"), "Debitur", row as u32));
        acc.product = product;
        acc.balance.oldest_unpaid_due = due.map(day);
        acc.balance.penalty = Rupiah::new(penalty);
        acc.status = status;
        acc
    };
    use AccountStatus::*;
    use ProductType::*;
    import(
        store,
        a.id,
        vec![
            make(1, "A1", Kta, Some("2026-09-10"), 1, Open),
            make(2, "A2", Kta, Some("2026-09-10"), 2, Open),
            make(3, "A3", Kta, None, 3, Open),
            make(4, "A4", Kta, Some("2026-12-01"), 4, Open),
            make(5, "A5", Kta, Some("2026-11-24"), 5, Open),
            make(6, "A6", Invoice, Some("2026-11-23"), 6, Open),
            make(7, "A7", Kta, Some("2026-09-10"), 7, PaidOff),
            make(8, "A8", Kta, Some("2026-09-10"), 8, WrittenOff),
            make(9, "A9", Kpr, Some("2024-11-24"), 9, Open),
        ],
    );
    let base = owing().total_outstanding() - owing().penalty;
    let sum = |penalties: &[i64]| {
        penalties
            .iter()
            .map(|p| base + Rupiah::new(*p))
            .sum::<Rupiah>()
    };
    let group = |product, dpd, accounts, penalties: &[i64]| PortfolioGroup {
        product,
        dpd,
        accounts,
        outstanding: sum(penalties),
    };
    assert_eq!(
        store.portfolio_by_dpd(a.id, as_of).expect("portfolio"),
        vec![
            group(Kpr, 730, 1, &[9]),
            group(Kta, 0, 3, &[3, 4, 5]),
            group(Kta, 75, 2, &[1, 2]),
            group(Invoice, 1, 1, &[6]),
        ]
    );
}

/// The trail of an account holds its entries newest first, cut at the limit, each entry
/// coming back as it was written.
pub fn audit_trail_of_an_account_lists_newest_first_within_limit(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let viewer = user(store, "budi", &[a]);
    let entity = EntityRef::new("account", acc.id);
    let entry = |hour| NewAudit {
        creditor: Some(a),
        at: at(hour),
        actor: Actor::user(viewer.id, "budi"),
        action: "account.viewed".to_string(),
        entity: entity.clone(),
        detail: serde_json::json!({ "page": "detail", "hour": hour }),
    };
    for hour in [0, 1, 2] {
        store.record_audit(&entry(hour)).expect("recorded");
    }
    let other = EntityRef::new("account", acc.id.0 + 1);
    store
        .record_audit(&NewAudit {
            entity: other,
            ..entry(3)
        })
        .expect("recorded");
    let trail = store.audit_trail(a, &entity, 2).expect("trail");
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[0].entry, entry(2));
    assert_eq!(trail[1].entry, entry(1));
    assert!(trail[0].id > trail[1].id);
    assert_eq!(store.audit_trail(a, &entity, 50).expect("trail").len(), 3);
}
