//! The store contract run against PostgreSQL, plus PostgreSQL-specific checks: concurrent
//! migration, schema isolation, and batched COPY imports.
//!
//! Runs only when `SEPAKAT_TEST_DATABASE_URL` names a database, e.g.
//! `SEPAKAT_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo test -p sepakat-store`;
//! otherwise every test prints a skip message and passes. Each test gets its own fresh
//! schema (dropped afterwards), so tests run in parallel without sharing tables.

mod contract;

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{Duration, Utc};
use sepakat_domain::strategy::Action;
use sepakat_domain::{
    AllocationOrder, Balance, LoanTerms, ProductType, PromiseStatus, Province, Rate, Regime,
    Rupiah, ScheduleMethod,
};
use sepakat_store::postgres::PostgresStore;
use sepakat_store::{
    AccountId, AccountQuery, AccountStatus, AccountUpsert, Actor, DebtorKind, DebtorUpsert,
    EntityRef, ImportSource, NewAction, NewCreditor, NewPaymentData, NewRun, PaymentUpsert,
    RunFinish, RunId, RunStore, Store, StoreError,
};

const URL_VAR: &str = "SEPAKAT_TEST_DATABASE_URL";

/// A migrated store in a schema of its own, dropped when the fixture is.
struct PgFixture {
    store: PostgresStore,
    url: String,
    schema: String,
}

impl Drop for PgFixture {
    fn drop(&mut self) {
        if let Err(e) = PostgresStore::drop_schema(&self.url, &self.schema) {
            eprintln!("could not drop test schema {}: {e}", self.schema);
        }
    }
}

impl contract::Fixture for PgFixture {
    fn store(&self) -> &dyn Store {
        &self.store
    }
}

contract_tests!(fixture);

/// A fixed instant for payments (tests never read the wall clock for data).
fn noon() -> chrono::DateTime<Utc> {
    "2026-11-24T05:00:00Z".parse().expect("valid instant")
}

fn unique_schema() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = Utc::now().timestamp_subsec_nanos();
    format!(
        "sepakat_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// A fresh migrated store, or None (with a message) when no database is configured.
fn fixture() -> Option<PgFixture> {
    let Ok(url) = std::env::var(URL_VAR) else {
        eprintln!("skipped: set {URL_VAR}=postgres://… to run the PostgreSQL tests");
        return None;
    };
    let schema = unique_schema();
    let store = PostgresStore::connect_with_schema(&url, &schema).expect("connect to test db");
    let fixture = PgFixture { store, url, schema };
    fixture.store.migrate().expect("migrate");
    Some(fixture)
}

struct Rows(std::vec::IntoIter<AccountUpsert>, bool);

impl ImportSource<AccountUpsert> for Rows {
    fn next_valid(&mut self) -> Option<AccountUpsert> {
        self.0.next()
    }
    fn reject(&mut self, row: u64, column: &str, message: String) {
        panic!("row {row} rejected at {column}: {message}");
    }
    fn commit_wanted(&self) -> bool {
        self.1
    }
}

fn row(n: u64, debtor_key: &str, name: &str) -> AccountUpsert {
    let day = |s: &str| s.parse().expect("date");
    AccountUpsert {
        row: n,
        account_no: format!("ACC-{n:06}"),
        debtor: DebtorUpsert {
            key: debtor_key.to_string(),
            kind: DebtorKind::Person,
            name: name.to_string(),
            nik: None,
            npwp: None,
            gender: None,
            birth_date: None,
            phone: None,
            email: None,
            address: Some("Jl. Tab\there\\ and\nnewline".into()),
            city: None,
            province: Province::Bali,
            employer: None,
        },
        product: ProductType::Kta,
        terms: LoanTerms {
            principal: Rupiah::new(10_000_000),
            annual_rate: Rate::from_ppm(120_000),
            tenor_months: 12,
            first_due: day("2026-01-10"),
            method: ScheduleMethod::Annuity,
        },
        instalment: Rupiah::new(900_000),
        opened_on: day("2025-12-10"),
        balance: Balance {
            outstanding_principal: Rupiah::new(5_000_000),
            arrears_principal: Rupiah::new(800_000),
            arrears_interest: Rupiah::new(100_000),
            penalty: Rupiah::new(10_000),
            fees: Rupiah::new(5_000),
            oldest_unpaid_due: Some(day("2026-10-10")),
        },
        last_payment: None,
        status: AccountStatus::Open,
        contacts: Vec::new(),
    }
}

#[test]
fn migrating_from_several_threads_at_once_is_safe() {
    let Some(f) = fixture() else { return };
    let url = f.url.clone();
    let schema = f.schema.clone();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (url, schema) = (url.clone(), schema.clone());
            std::thread::spawn(move || {
                let store = PostgresStore::connect_with_schema(&url, &schema).expect("connect");
                store.migrate()
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread").expect("migrate");
    }
    assert!(f.store.creditors().expect("list").is_empty());
}

#[test]
fn collectors_calling_next_account_at_once_never_get_the_same_account() {
    let Some(f) = fixture() else { return };
    let second = PostgresStore::connect_with_schema(&f.url, &f.schema).expect("connect");
    contract::concurrent_next_account_never_hands_out_an_account_twice(
        &[&f.store, &second],
        6,
        120,
    );
}

#[test]
fn two_collectors_racing_for_one_account_have_exactly_one_winner() {
    let Some(f) = fixture() else { return };
    let second = PostgresStore::connect_with_schema(&f.url, &f.schema).expect("connect");
    contract::racing_claims_on_one_account_have_exactly_one_winner(&[&f.store, &second], 20);
}

#[test]
fn dispatchers_on_two_connections_never_send_a_message_twice() {
    let Some(f) = fixture() else { return };
    let second = PostgresStore::connect_with_schema(&f.url, &f.schema).expect("connect");
    contract::concurrent_dispatchers_never_send_a_message_twice(&[&f.store, &second], 6, 90);
}

#[test]
fn schema_names_that_are_not_plain_identifiers_are_refused() {
    let Ok(url) = std::env::var(URL_VAR) else {
        eprintln!("skipped: set {URL_VAR}");
        return;
    };
    for bad in ["", "a\"; DROP TABLE x; --", "1abc", "has space"] {
        let result = PostgresStore::connect_with_schema(&url, bad);
        assert!(matches!(result, Err(StoreError::Other(_))), "{bad:?}");
    }
}

#[test]
fn import_stages_escapes_and_upserts_in_batches() {
    let Some(f) = fixture() else { return };
    let store = &f.store;
    let creditor = store
        .create_creditor(
            &NewCreditor {
                code: "BANKA".into(),
                name: "Bank A".into(),
                regime: Regime::bank(),
            },
            &Actor::system("test"),
        )
        .expect("creditor");
    // More than one COPY batch, many accounts per debtor.
    let rows: Vec<_> = (1..=45_000)
        .map(|n| row(n, &format!("CIF{}", n % 1000), "Made Wirawan"))
        .collect();
    let started = std::time::Instant::now();
    let outcome = store
        .import_accounts(
            creditor.id,
            &Actor::system("test"),
            &mut Rows(rows.into_iter(), true),
        )
        .expect("import");
    eprintln!(
        "imported 45000 rows in {:?} ({:.0} rows/s)",
        started.elapsed(),
        45_000.0 / started.elapsed().as_secs_f64()
    );
    assert_eq!(
        (outcome.inserted, outcome.updated, outcome.committed),
        (45_000, 0, true)
    );
    let detail = store
        .account_by_number(creditor.id, "ACC-000007")
        .expect("read")
        .expect("exists");
    assert_eq!(
        detail.debtor.data.address.as_deref(),
        Some("Jl. Tab\there\\ and\nnewline")
    );
    let again: Vec<_> = (44_999..=45_001).map(|n| row(n, "CIF1", "Made")).collect();
    let outcome = store
        .import_accounts(
            creditor.id,
            &Actor::system("test"),
            &mut Rows(again.into_iter(), true),
        )
        .expect("import");
    assert_eq!((outcome.inserted, outcome.updated), (1, 2));
    let found = store
        .search_accounts(
            creditor.id,
            &AccountQuery {
                text: Some("ACC-04500".into()),
                limit: 10,
                ..AccountQuery::default()
            },
        )
        .expect("search");
    assert_eq!(found.len(), 2);
    let groups = store
        .portfolio_by_dpd(creditor.id, "2026-11-24".parse().expect("date"))
        .expect("portfolio");
    assert_eq!(groups.len(), 1);
    assert_eq!((groups[0].dpd, groups[0].accounts), (45, 45_001));
    let trail = store
        .audit_trail(creditor.id, &EntityRef::new("import", "accounts"), 10)
        .expect("trail");
    assert_eq!(trail.len(), 2);
}

/// CPU seconds used so far by this process and by all PostgreSQL server processes (the
/// server is local in tests), read from /proc; None where /proc is unavailable.
fn cpu_seconds() -> Option<(f64, f64)> {
    let ticks = |stat: &str| -> Option<f64> {
        // Fields after the ")" that ends the command name: utime is the 12th, stime 13th.
        let rest = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        Some((utime + stime) / 100.0)
    };
    let own = ticks(&std::fs::read_to_string("/proc/self/stat").ok()?)?;
    let mut server = 0.0;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let path = entry.path().join("stat");
        if let Ok(stat) = std::fs::read_to_string(path) {
            if stat.contains("(postgres)") {
                server += ticks(&stat).unwrap_or(0.0);
            }
        }
    }
    Some((own, server))
}

/// Rows made on the fly, so the measurement streams like a real file import.
struct Generated {
    next: u32,
    n: u32,
}

impl ImportSource<AccountUpsert> for Generated {
    fn next_valid(&mut self) -> Option<AccountUpsert> {
        if self.next >= self.n {
            return None;
        }
        self.next += 1;
        let i = self.next;
        // About four accounts in three share a debtor, as in a bank's portfolio.
        Some(row(
            u64::from(i),
            &format!("CIF{:07}", i * 3 / 4),
            "Debitur Contoh",
        ))
    }
    fn reject(&mut self, row: u64, column: &str, message: String) {
        panic!("row {row} rejected at {column}: {message}");
    }
    fn commit_wanted(&self) -> bool {
        true
    }
}

/// Import speed, printed (run with
/// `SEPAKAT_TEST_DATABASE_URL=… cargo test --release -p sepakat-store --test postgres --
/// --ignored --nocapture`). Reports wall time and CPU time (client plus server), because
/// wall time on a shared machine measures the neighbours too.
#[test]
#[ignore = "a measurement, not a check"]
fn import_speed_rows_per_second() {
    let Some(f) = fixture() else { return };
    let store = &f.store;
    let creditor = store
        .create_creditor(
            &NewCreditor {
                code: "SPEED".into(),
                name: "Speed".into(),
                regime: Regime::bank(),
            },
            &Actor::system("test"),
        )
        .expect("creditor");
    let n = 200_000u32;
    for (what, expect_inserted) in [("insert", true), ("update", false)] {
        let cpu_before = cpu_seconds();
        let started = std::time::Instant::now();
        let outcome = store
            .import_accounts(
                creditor.id,
                &Actor::system("test"),
                &mut Generated { next: 0, n },
            )
            .expect("import");
        let wall = started.elapsed().as_secs_f64();
        let counted = if expect_inserted {
            outcome.inserted
        } else {
            outcome.updated
        };
        assert_eq!(counted, u64::from(n));
        let cpu = cpu_before.zip(cpu_seconds()).map(|((c0, s0), (c1, s1))| {
            let (client, server) = (c1 - c0, s1 - s0);
            format!(
                ", CPU {client:.2} s client + {server:.2} s server = {:.0} rows per CPU second",
                f64::from(n) / (client + server)
            )
        });
        println!(
            "{what} {n} accounts: {wall:.2} s wall = {:.0} rows/s{}",
            f64::from(n) / wall,
            cpu.unwrap_or_default()
        );
    }
    let payments = 100_000u32;
    let rows: Vec<PaymentUpsert> = (1..=payments)
        .map(|i| PaymentUpsert {
            row: u64::from(i),
            account_no: format!("ACC-{i:06}"),
            payment: NewPaymentData {
                paid_at: noon(),
                amount: Rupiah::new(250_000),
                reference: format!("TRF-{i:08}"),
                channel: "transfer".into(),
            },
        })
        .collect();
    let started = std::time::Instant::now();
    let outcome = store
        .import_payments(
            creditor.id,
            &Actor::system("test"),
            &AllocationOrder::default(),
            &mut PaymentRows(rows.into_iter(), 0),
        )
        .expect("payment import");
    assert_eq!(outcome.inserted, u64::from(payments));
    let wall = started.elapsed().as_secs_f64();
    println!(
        "post {payments} imported payments: {wall:.2} s wall = {:.0} rows/s",
        f64::from(payments) / wall
    );
}

/// Payment rows; rejected rows are counted, not fatal.
struct PaymentRows(std::vec::IntoIter<PaymentUpsert>, u64);

impl ImportSource<PaymentUpsert> for PaymentRows {
    fn next_valid(&mut self) -> Option<PaymentUpsert> {
        self.0.next()
    }
    fn reject(&mut self, _row: u64, _column: &str, _message: String) {
        self.1 += 1;
    }
    fn commit_wanted(&self) -> bool {
        true
    }
}

#[test]
fn a_schema_named_in_the_url_options_isolates_the_tables() {
    let Some(f) = fixture() else { return };
    let separator = if f.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{separator}options=-csearch_path%3D{}", f.url, f.schema);
    let through_url = PostgresStore::connect(&url).expect("connect with options");
    through_url
        .migrate()
        .expect("already migrated, nothing to do");
    let made = f
        .store
        .create_creditor(
            &NewCreditor {
                code: "ISO".into(),
                name: "Isolasi".into(),
                regime: Regime::p2p(),
            },
            &Actor::system("test"),
        )
        .expect("creditor");
    assert_eq!(
        through_url.creditor_by_code("ISO").expect("read"),
        Some(made)
    );
    let Some(other) = fixture() else { return };
    assert_eq!(other.store.creditor_by_code("ISO").expect("read"), None);
}

#[test]
fn a_bad_url_is_an_error_not_a_panic() {
    for url in [
        "postgres://",
        "postgres://nobody@127.0.0.1:1/none",
        "postgres://%zz",
    ] {
        assert!(PostgresStore::connect(url).is_err(), "{url}");
    }
}

#[test]
fn concurrent_payments_to_one_account_all_count_and_the_pool_shares_connections() {
    let Some(f) = fixture() else { return };
    let store = &f.store;
    let creditor = store
        .create_creditor(
            &NewCreditor {
                code: "RAMAI".into(),
                name: "Ramai".into(),
                regime: Regime::bank(),
            },
            &Actor::system("test"),
        )
        .expect("creditor");
    store
        .import_accounts(
            creditor.id,
            &Actor::system("test"),
            &mut Rows(vec![row(1, "CIF1", "Ketut")].into_iter(), true),
        )
        .expect("import");
    let account = store
        .account_by_number(creditor.id, "ACC-000001")
        .expect("read")
        .expect("exists");
    // More threads than pooled connections: callers wait for a free one.
    std::thread::scope(|scope| {
        for t in 0..16 {
            scope.spawn(move || {
                for i in 0..5 {
                    store
                        .post_payment(
                            creditor.id,
                            &sepakat_store::NewPayment {
                                account: account.id,
                                data: NewPaymentData {
                                    paid_at: noon(),
                                    amount: Rupiah::new(1_000),
                                    reference: format!("T{t}-{i}"),
                                    channel: "qris".into(),
                                },
                            },
                            &AllocationOrder::default(),
                            &Actor::system("test"),
                        )
                        .expect("posted");
                }
            });
        }
    });
    let after = store
        .account(creditor.id, account.id)
        .expect("read")
        .expect("exists");
    assert_eq!(
        after.balance.total_outstanding(),
        account.balance.total_outstanding() - Rupiah::new(80_000)
    );
    assert_eq!(
        store.payments(creditor.id, account.id).expect("list").len(),
        80
    );
}

/// Imports `rows` into a fresh store with accounts ACC-000001..3; returns the store's
/// view of the three accounts and their payments (ids left out).
fn after_payments(post_one_by_one: bool, rows: Vec<PaymentUpsert>) -> Option<Vec<String>> {
    let f = fixture()?;
    let store = &f.store;
    let actor = Actor::system("test");
    let creditor = store
        .create_creditor(
            &NewCreditor {
                code: "BAYAR".into(),
                name: "Bayar".into(),
                regime: Regime::bank(),
            },
            &actor,
        )
        .expect("creditor");
    let accounts = (1..=3)
        .map(|n| row(n, &format!("CIF{n}"), "Nyoman"))
        .collect::<Vec<_>>();
    store
        .import_accounts(creditor.id, &actor, &mut Rows(accounts.into_iter(), true))
        .expect("import");
    let order = AllocationOrder::default();
    if post_one_by_one {
        for r in &rows {
            let Some(account) = store
                .account_by_number(creditor.id, &r.account_no)
                .expect("read")
            else {
                continue;
            };
            let posted = store.post_payment(
                creditor.id,
                &sepakat_store::NewPayment {
                    account: account.id,
                    data: r.payment.clone(),
                },
                &order,
                &actor,
            );
            assert!(matches!(posted, Ok(_) | Err(StoreError::Conflict(_))));
        }
    } else {
        let mut source = PaymentRows(rows.into_iter(), 0);
        store
            .import_payments(creditor.id, &actor, &order, &mut source)
            .expect("payment import");
    }
    let mut view = Vec::new();
    for n in 1..=3 {
        let acc = store
            .account_by_number(creditor.id, &format!("ACC-{n:06}"))
            .expect("read")
            .expect("exists");
        view.push(format!(
            "{:?} {:?} {:?}",
            acc.balance, acc.last_payment, acc.status
        ));
        for p in store.payments(creditor.id, acc.id).expect("payments") {
            view.push(format!(
                "{} {} {:?} {:?} {}",
                p.reference, p.paid_at, p.amount, p.allocation, p.instalments_cleared
            ));
        }
    }
    Some(view)
}

#[test]
fn payment_import_in_batches_ends_where_posting_one_by_one_ends() {
    // More rows than one batch; several payments per account, in and out of date order,
    // repeated references, unknown accounts, and enough money to pay one account off.
    let rows: Vec<PaymentUpsert> = (1..=2_100u32)
        .map(|i| PaymentUpsert {
            row: u64::from(i),
            account_no: match i % 7 {
                0 => "ACC-404".to_string(),
                k => format!("ACC-{:06}", k % 3 + 1),
            },
            payment: NewPaymentData {
                paid_at: noon() + chrono::Duration::hours(i64::from((i * 37) % 200)),
                amount: Rupiah::new(if i == 5 {
                    9_000_000
                } else {
                    4_000 + i64::from(i)
                }),
                reference: format!("REF-{}", if i % 11 == 0 { i - 1 } else { i }),
                channel: "va".into(),
            },
        })
        .collect();
    let (Some(batched), Some(single)) = (
        after_payments(false, rows.clone()),
        after_payments(true, rows),
    ) else {
        return;
    };
    assert!(batched.len() > 1_500);
    assert_eq!(batched, single);
}

/// The run's tables in the fixture's schema, by name.
fn tables_named(f: &PgFixture, names: &[String]) -> Vec<String> {
    let mut client =
        postgres::Client::connect(&f.url, postgres::NoTls).expect("connect for the catalog");
    let mut found = Vec::new();
    for name in names {
        let n: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename = $2",
                &[&f.schema, name],
            )
            .expect("catalog")
            .get(0);
        if n > 0 {
            found.push(name.clone());
        }
    }
    found
}

fn partitions_of(run: RunId) -> Vec<String> {
    vec![
        format!("run_actions_r{}", run.0),
        format!("run_allocations_r{}", run.0),
    ]
}

fn queue_row(account: i64) -> NewAction<'static> {
    NewAction {
        account: AccountId(account),
        arm: 1,
        rule: "r1",
        action: Action::Call,
        template: Some("call_desk"),
        priority: 12.5,
        window: Some((noon(), noon() + Duration::hours(8))),
        team: Some(3),
        dpd: 45,
        bucket: "31-60",
        kolektibilitas: 2,
        promise: Some(PromiseStatus::Broken),
    }
}

#[test]
fn an_abandoned_or_crashed_run_leaves_no_partition_after_the_next_run() {
    let Some(f) = fixture() else { return };
    let store = &f.store;
    let actor = Actor::system("test");
    let bank = store
        .create_creditor(
            &NewCreditor {
                code: "PART".into(),
                name: "Partisi".into(),
                regime: Regime::p2p(),
            },
            &actor,
        )
        .expect("creditor");
    let nobody_dead = |_: &str| false;
    let start = |minutes: i64| {
        let started_at = noon() + Duration::minutes(minutes);
        store
            .begin_run(
                &NewRun {
                    creditor: bank.id,
                    as_of: "2026-11-24".parse().expect("date"),
                    strategy: "default".into(),
                    holder: format!("test:{minutes}"),
                    started_at,
                    lease_until: started_at + Duration::minutes(2),
                    actor: actor.clone(),
                },
                &nobody_dead,
            )
            .expect("run started")
    };
    // Each chunk renews the lease by two minutes, as the engine does.
    let lease = |minutes: i64| noon() + Duration::minutes(minutes + 2);
    let rows: Vec<NewAction<'static>> = (1..=3).map(queue_row).collect();

    // A run that fails and is abandoned: its partitions stay until the next run prunes.
    let failed = start(0);
    assert_eq!(
        tables_named(&f, &partitions_of(failed)),
        partitions_of(failed)
    );
    store
        .write_actions(failed, &rows, lease(0))
        .expect("written");
    store
        .abandon_run(failed, "test failure", &actor)
        .expect("abandoned");

    let good = start(10);
    assert_eq!(store.prune_runs(bank.id).expect("pruned"), 1);
    assert!(tables_named(&f, &partitions_of(failed)).is_empty());
    store
        .write_actions(good, &rows, lease(10))
        .expect("written");
    store
        .finish_run(
            good,
            &RunFinish {
                finished_at: noon() + Duration::minutes(11),
                actions: 3,
                report: serde_json::json!({ "actions": 3 }),
                promise_changes: Vec::new(),
                actor: actor.clone(),
            },
        )
        .expect("finished");

    // A run killed mid-write (never finished nor abandoned) is taken over once its lease
    // has passed; its partitions go at that run's prune, the queue in force stays.
    let crashed = start(20);
    store
        .write_actions(crashed, &rows[..2], lease(20))
        .expect("written");
    let next = start(30);
    assert_eq!(store.prune_runs(bank.id).expect("pruned"), 1);
    assert!(tables_named(&f, &partitions_of(crashed)).is_empty());
    assert_eq!(tables_named(&f, &partitions_of(next)), partitions_of(next));
    let in_force = store
        .queued_actions(bank.id, good, AccountId(0), 100)
        .expect("queue in force");
    assert_eq!(
        in_force.iter().map(|q| q.account).collect::<Vec<_>>(),
        vec![AccountId(1), AccountId(2), AccountId(3)]
    );
    assert_eq!(
        in_force[0].window,
        Some((noon(), noon() + Duration::hours(8)))
    );
    assert_eq!(in_force[0].promise, Some(PromiseStatus::Broken));
    assert!(store
        .queued_actions(bank.id, crashed, AccountId(0), 100)
        .expect("pruned queue")
        .is_empty());
}
