//! The nightly run's report page: supervisors read the runs and a report in words;
//! collectors are sent to their worklist; another creditor's run is not found.

use chrono::Duration;
use sepakat_domain::compliance::Gate;
use sepakat_domain::strategy::Strategy;
use sepakat_domain::BucketSet;
use sepakat_engine::run::{run_creditor, RunOptions};
use sepakat_store::Actor;

use crate::support::TestApp;

#[test]
fn a_supervisor_reads_the_run_reports_and_a_collector_is_sent_to_work() {
    let app = TestApp::spawn();
    let s = app.logged_in("supervisor_a");
    let empty = s.get("/proses");
    assert_eq!(empty.status, 200);
    assert!(
        empty.body.contains("Belum ada proses harian"),
        "{}",
        empty.body
    );

    let (strategy, gate, buckets) = (Strategy::shipped(), Gate::shipped(), BucketSet::default());
    let options = RunOptions {
        as_of: app.clock_now().date_naive(),
        strategy: &strategy,
        gate: &gate,
        buckets: &buckets,
        lease: Duration::seconds(120),
        actor: Actor::system("test"),
        score: true,
    };
    let report =
        run_creditor(app.store.as_ref(), &app.a, &options, app.clock.as_ref()).expect("the run");
    let other = run_creditor(app.store.as_ref(), &app.b, &options, app.clock.as_ref())
        .expect("the other creditor's run");

    let page = s.get("/proses");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Laporan proses harian"));
    assert!(
        page.body
            .contains(&format!("id=\"run-accounts\">{}<", report.accounts)),
        "{}",
        page.body
    );
    assert!(page.body.contains("Tindakan per jenis"));
    assert!(page.body.contains("(berlaku)"));
    let chosen = s.get(&format!("/proses?run={}", report.run));
    assert_eq!(chosen.status, 200);
    assert_eq!(s.get(&format!("/proses?run={}", other.run)).status, 404);
    let english = app.logged_in("supervisor_a");
    english.get("/bahasa/en");
    assert!(english.get("/proses").body.contains("Nightly run reports"));

    let k = app.logged_in("kolektor_a");
    let sent = k.get("/proses");
    assert_eq!(sent.status, 303);
    assert_eq!(sent.location.as_deref(), Some("/kerja"));
}
