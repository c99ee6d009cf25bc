//! `TestApp`: a fresh SQLite store seeded with two creditors, a user of every role and a
//! few accounts, served by the real router on port 0; plus a cookie-keeping HTTP client.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sepakat_domain::{
    Balance, Email, FixedClock, Gender, LoanTerms, Nik, Npwp, Phone, ProductType, Province, Rate,
    Regime, Role, Rupiah, ScheduleMethod,
};
use sepakat_store::{
    AccountStatus, AccountUpsert, Actor, AuditEntry, Creditor, CreditorId, DebtorKind,
    DebtorUpsert, EntityRef, ImportSource, NewApiToken, NewCreditor, NewUser, Store,
};
use sepakat_web::{auth, AppState, WebConfig};

/// Every seeded user's password.
pub const PASSWORD: &str = "Rahasia#2026";

/// The seeded NIK of account A-001's debtor (Siti Rahayu).
pub fn nik(serial: u32) -> Nik {
    Nik::parse(&format!("320101450190{serial:04}")).expect("valid test NIK")
}

/// The seeded phone of debtor `serial`.
pub fn phone(serial: u32) -> Phone {
    Phone::parse(&format!("0812345{serial:04}")).expect("valid test phone")
}

fn day(text: &str) -> NaiveDate {
    text.parse().expect("valid date")
}

/// The instant the tests start at: 24 Nov 2026, 10.00 WIB.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 3, 0, 0)
        .single()
        .expect("valid instant")
}

struct VecSource<T>(std::vec::IntoIter<T>);

impl<T> ImportSource<T> for VecSource<T> {
    fn next_valid(&mut self) -> Option<T> {
        self.0.next()
    }
    fn reject(&mut self, row: u64, column: &str, message: String) {
        panic!("seed row {row} rejected at {column}: {message}");
    }
    fn commit_wanted(&self) -> bool {
        true
    }
}

fn person(serial: u32, name: &str) -> DebtorUpsert {
    DebtorUpsert {
        key: format!("CIF{serial}"),
        kind: DebtorKind::Person,
        name: name.to_string(),
        nik: Some(nik(serial)),
        npwp: None,
        gender: Some(Gender::Female),
        birth_date: Some(day("1990-01-05")),
        phone: Some(phone(serial)),
        email: Email::parse(&format!("debitur{serial}@contoh.co.id")).ok(),
        address: Some("Jl. Merdeka No. 1".to_string()),
        city: Some("Bandung".to_string()),
        province: Province::JawaBarat,
        employer: None,
    }
}

fn account(
    row: u64,
    no: &str,
    debtor: DebtorUpsert,
    product: ProductType,
    oldest: Option<&str>,
) -> AccountUpsert {
    AccountUpsert {
        row,
        account_no: no.to_string(),
        debtor,
        product,
        terms: LoanTerms {
            principal: Rupiah::new(1_500_000),
            annual_rate: Rate::from_ppm(125_000),
            tenor_months: 12,
            first_due: day("2026-03-10"),
            method: ScheduleMethod::Annuity,
        },
        instalment: Rupiah::new(133_000),
        opened_on: day("2026-02-10"),
        balance: Balance {
            outstanding_principal: Rupiah::new(1_000_000),
            arrears_principal: Rupiah::new(if oldest.is_some() { 100_000 } else { 0 }),
            arrears_interest: Rupiah::new(if oldest.is_some() { 30_000 } else { 0 }),
            penalty: Rupiah::new(20_000),
            fees: Rupiah::new(10_000),
            oldest_unpaid_due: oldest.map(day),
        },
        last_payment: Some((day("2026-08-10"), Rupiah::new(133_000))),
        status: AccountStatus::Open,
        contacts: Vec::new(),
    }
}

/// A running app with its seed data.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The store behind the app.
    pub store: Arc<dyn Store>,
    /// The app's clock.
    pub clock: Arc<FixedClock>,
    /// Creditor A (bank regime) and B (p2p regime).
    pub a: Creditor,
    /// Creditor B.
    pub b: Creditor,
    /// Account ids by account number.
    pub accounts: HashMap<String, i64>,
    /// API tokens by username.
    pub tokens: HashMap<String, String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    runtime: Option<tokio::runtime::Runtime>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// Seeds a fresh store and starts the app with the default configuration.
    pub fn spawn() -> TestApp {
        TestApp::spawn_with(WebConfig::default())
    }

    /// Seeds a fresh store and starts the app.
    pub fn spawn_with(config: WebConfig) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = sepakat_store::open(&url).expect("open store");
        store.migrate().expect("migrate");
        let cli = Actor::system("cli");
        let new_creditor = |code: &str, name: &str, regime| {
            store
                .create_creditor(
                    &NewCreditor {
                        code: code.into(),
                        name: name.into(),
                        regime,
                    },
                    &cli,
                )
                .expect("creditor")
        };
        let a = new_creditor("BANKA", "PT Bank Alfa Tbk", Regime::bank());
        let b = new_creditor("PINDARB", "PT Pindar Beta", Regime::p2p());
        let hash = auth::hash_password(PASSWORD).expect("hash");
        let mut tokens = HashMap::new();
        let users: [(&str, Role, Vec<CreditorId>); 7] = [
            ("kolektor_a", Role::Collector, vec![a.id]),
            ("kolektor_b", Role::Collector, vec![b.id]),
            ("supervisor_a", Role::Supervisor, vec![a.id]),
            ("manajer_a", Role::Manager, vec![a.id]),
            ("kepatuhan_a", Role::Compliance, vec![a.id]),
            ("admin", Role::Admin, vec![a.id, b.id]),
            ("agen", Role::Supervisor, vec![a.id, b.id]),
        ];
        for (username, role, creditors) in users {
            let user = store
                .create_user(
                    &NewUser {
                        username: username.into(),
                        full_name: format!("{username} Lengkap"),
                        role,
                        password_hash: hash.clone(),
                        creditors,
                    },
                    &cli,
                )
                .expect("user");
            let (token, token_hash) = auth::new_token();
            store
                .create_api_token(
                    &NewApiToken {
                        token_hash,
                        user: user.id,
                        label: "test".into(),
                        created_at: start(),
                    },
                    &cli,
                )
                .expect("token");
            tokens.insert(username.to_string(), token);
        }
        let company = DebtorUpsert {
            key: "NPWP1".into(),
            kind: DebtorKind::Company,
            name: "CV Sinar Terang".into(),
            nik: None,
            npwp: Some(Npwp::parse("01.234.567.8-901.000").expect("npwp")),
            gender: None,
            birth_date: None,
            phone: None,
            email: None,
            address: None,
            city: None,
            province: Province::Bali,
            employer: None,
        };
        let seed_a = vec![
            account(
                1,
                "A-001",
                person(1, "Siti Rahayu"),
                ProductType::Kta,
                Some("2026-09-10"),
            ),
            account(
                2,
                "A-002",
                person(2, "Budi Santoso"),
                ProductType::Kpr,
                None,
            ),
            account(
                3,
                "A-003",
                company,
                ProductType::Invoice,
                Some("2026-03-10"),
            ),
        ];
        let seed_b = vec![account(
            1,
            "B-001",
            person(3, "Dewi Lestari"),
            ProductType::P2pCash,
            Some("2026-10-01"),
        )];
        store
            .import_accounts(a.id, &cli, &mut VecSource(seed_a.into_iter()))
            .expect("import A");
        store
            .import_accounts(b.id, &cli, &mut VecSource(seed_b.into_iter()))
            .expect("import B");
        let mut accounts = HashMap::new();
        for (creditor, no) in [
            (a.id, "A-001"),
            (a.id, "A-002"),
            (a.id, "A-003"),
            (b.id, "B-001"),
        ] {
            let detail = store
                .account_by_number(creditor, no)
                .expect("lookup")
                .expect("seeded");
            accounts.insert(no.to_string(), detail.id.0);
        }

        let clock = Arc::new(FixedClock::new(start()));
        let state = AppState::new(store.clone(), clock.clone(), config);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        runtime.spawn(sepakat_web::serve(listener, state, async move {
            let _ = rx.await;
        }));
        TestApp {
            base,
            store,
            clock,
            a,
            b,
            accounts,
            tokens,
            shutdown: Some(tx),
            runtime: Some(runtime),
            _dir: dir,
        }
    }

    /// A new browser-like client (own cookie jar, no automatic redirects).
    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            agent: ureq::AgentBuilder::new().redirects(0).build(),
        }
    }

    /// A client logged in as `username`.
    pub fn logged_in(&self, username: &str) -> Client {
        let c = self.client();
        let r = c.login(username, PASSWORD);
        assert_eq!(r.status, 303, "login of {username} failed: {}", r.body);
        c
    }

    /// The id of a seeded account.
    pub fn id(&self, account_no: &str) -> i64 {
        self.accounts[account_no]
    }

    /// The app clock's instant.
    pub fn clock_now(&self) -> DateTime<Utc> {
        sepakat_domain::Clock::now(self.clock.as_ref())
    }

    /// A seeded user's id.
    pub fn user_id(&self, username: &str) -> sepakat_store::UserId {
        self.store
            .user_credentials(username)
            .expect("lookup")
            .expect("seeded user")
            .user
            .id
    }

    /// Audit entries about an account, as creditor `creditor` sees them.
    pub fn audit(&self, creditor: CreditorId, account_id: i64) -> Vec<AuditEntry> {
        self.store
            .audit_trail(creditor, &EntityRef::new("account", account_id), 100)
            .expect("audit trail")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// A response, whatever its status.
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// `Location` header, if any.
    pub location: Option<String>,
    /// Content type.
    pub content_type: String,
    /// Body text.
    pub body: String,
}

impl Reply {
    fn from(r: ureq::Response) -> Reply {
        Reply {
            status: r.status(),
            location: r.header("location").map(str::to_string),
            content_type: r.content_type().to_string(),
            body: r.into_string().expect("body"),
        }
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// An HTTP client with a cookie jar.
pub struct Client {
    base: String,
    agent: ureq::Agent,
}

fn finish(result: Result<ureq::Response, ureq::Error>) -> Reply {
    match result {
        Ok(r) => Reply::from(r),
        Err(ureq::Error::Status(_, r)) => Reply::from(r),
        Err(e) => panic!("transport error: {e}"),
    }
}

impl Client {
    /// GET a path.
    pub fn get(&self, path: &str) -> Reply {
        finish(self.agent.get(&format!("{}{path}", self.base)).call())
    }

    /// GET a path whose body is binary: (status, content type, bytes).
    pub fn get_bytes(&self, path: &str, headers: &[(&str, &str)]) -> (u16, String, Vec<u8>) {
        let mut req = self.agent.get(&format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        let r = match req.call() {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("transport error: {e}"),
        };
        let (status, content_type) = (r.status(), r.content_type().to_string());
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).expect("body");
        (status, content_type, bytes)
    }

    /// POST a form whose answer may be binary: (status, content type, headers asked
    /// for, bytes).
    pub fn post_form_bytes(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        header: &str,
    ) -> (u16, String, Option<String>, Vec<u8>) {
        let r = match self
            .agent
            .post(&format!("{}{path}", self.base))
            .send_form(fields)
        {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("transport error: {e}"),
        };
        let (status, content_type) = (r.status(), r.content_type().to_string());
        let asked = r.header(header).map(str::to_string);
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).expect("body");
        (status, content_type, asked, bytes)
    }

    /// GET with extra headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(&format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        finish(req.call())
    }

    /// POST a form.
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        finish(
            self.agent
                .post(&format!("{}{path}", self.base))
                .send_form(fields),
        )
    }

    /// POST JSON with extra headers.
    pub fn post_json(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut req = self
            .agent
            .post(&format!("{}{path}", self.base))
            .set("content-type", "application/json");
        for (k, v) in headers {
            req = req.set(k, v);
        }
        finish(req.send_string(body))
    }

    /// DELETE with extra headers.
    pub fn delete(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.delete(&format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        finish(req.call())
    }

    /// POST a `multipart/form-data` form: text fields and files (name, file name, media
    /// type, content).
    pub fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Reply {
        let boundary = "sepakatTestBoundary7MA4YWxk";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, file_name, media_type, content) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        finish(
            self.agent
                .post(&format!("{}{path}", self.base))
                .set(
                    "content-type",
                    &format!("multipart/form-data; boundary={boundary}"),
                )
                .send_bytes(&body),
        )
    }

    /// Opens the login page and submits it with its CSRF token.
    pub fn login(&self, username: &str, password: &str) -> Reply {
        let page = self.get("/login");
        assert_eq!(page.status, 200);
        let token = csrf_token(&page.body);
        self.post_form(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("csrf_token", &token),
            ],
        )
    }

    /// The CSRF token of a signed-in page.
    pub fn csrf(&self) -> String {
        csrf_token(&self.get("/akun").body)
    }
}

/// The value of the first hidden `csrf_token` field of a page.
pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no csrf field in {html}"))
        + marker.len();
    let end = html[start..].find('"').expect("closing quote") + start;
    html[start..end].to_string()
}

/// Bearer header for a token.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}
