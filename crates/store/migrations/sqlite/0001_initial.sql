-- Sepakat SQLite schema, version 1.
--
-- Conventions (chosen for speed and exact comparisons):
--   money       INTEGER whole rupiah
--   rates       INTEGER parts per million
--   dates       INTEGER days since 1970-01-01 (so DPD is a subtraction in SQL)
--   instants    INTEGER microseconds since 1970-01-01 UTC
--   enums       TEXT stable codes (product, status, role, method, kind)
--   provinces   INTEGER two-digit BPS code
-- Every business row carries creditor_id; every read filters on it.

CREATE TABLE creditors (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    regime_name    TEXT    NOT NULL,
    regime_upper_1 INTEGER NOT NULL,
    regime_upper_2 INTEGER NOT NULL,
    regime_upper_3 INTEGER NOT NULL,
    regime_upper_4 INTEGER NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT    NOT NULL UNIQUE,
    full_name       TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    password_hash   TEXT    NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER
);

CREATE TABLE user_creditors (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    PRIMARY KEY (user_id, creditor_id)
) WITHOUT ROWID;

CREATE INDEX user_creditors_by_creditor ON user_creditors(creditor_id, user_id);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    csrf_token  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE api_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    label      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE debtors (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    debtor_key  TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    nik         TEXT,
    npwp        TEXT,
    gender      TEXT,
    birth_date  INTEGER,
    phone       TEXT,
    email       TEXT,
    address     TEXT,
    city        TEXT,
    province    INTEGER NOT NULL,
    employer    TEXT,
    UNIQUE (creditor_id, debtor_key)
);

-- Name prefix search uses this index; "contains" scans it (narrower than the table).
CREATE INDEX debtors_by_name  ON debtors(creditor_id, name COLLATE NOCASE);
CREATE INDEX debtors_by_nik   ON debtors(creditor_id, nik)   WHERE nik IS NOT NULL;
CREATE INDEX debtors_by_phone ON debtors(creditor_id, phone) WHERE phone IS NOT NULL;

CREATE TABLE accounts (
    id                    INTEGER PRIMARY KEY,
    creditor_id           INTEGER NOT NULL REFERENCES creditors(id),
    account_no            TEXT    NOT NULL,
    debtor_id             INTEGER NOT NULL REFERENCES debtors(id),
    product               TEXT    NOT NULL,
    principal             INTEGER NOT NULL,
    annual_rate_ppm       INTEGER NOT NULL,
    tenor_months          INTEGER NOT NULL,
    first_due             INTEGER NOT NULL,
    method                TEXT    NOT NULL,
    instalment            INTEGER NOT NULL,
    opened_on             INTEGER NOT NULL,
    outstanding_principal INTEGER NOT NULL,
    arrears_principal     INTEGER NOT NULL,
    arrears_interest      INTEGER NOT NULL,
    penalty               INTEGER NOT NULL,
    fees                  INTEGER NOT NULL,
    oldest_unpaid_due     INTEGER,
    -- outstanding_principal + arrears_interest + penalty + fees, kept in sync by every
    -- write so lists can sort and sum without recomputing.
    total_outstanding     INTEGER NOT NULL,
    last_payment_on       INTEGER,
    last_payment_amount   INTEGER,
    status                TEXT    NOT NULL,
    UNIQUE (creditor_id, account_no)
);

CREATE INDEX accounts_by_debtor ON accounts(debtor_id);
-- Lists and search order: most overdue first, accounts with nothing due last, then by
-- number. The COALESCE must match the ORDER BY of the search query exactly.
CREATE INDEX accounts_by_overdue
    ON accounts(creditor_id, COALESCE(oldest_unpaid_due, 9223372036854775807), account_no);
-- Portfolio overview: covering index for GROUP BY product, DPD over open accounts.
CREATE INDEX accounts_portfolio
    ON accounts(creditor_id, status, product, oldest_unpaid_due, total_outstanding);

CREATE TABLE payments (
    id                       INTEGER PRIMARY KEY,
    creditor_id              INTEGER NOT NULL REFERENCES creditors(id),
    account_id               INTEGER NOT NULL REFERENCES accounts(id),
    paid_at                  INTEGER NOT NULL,
    amount                   INTEGER NOT NULL,
    reference                TEXT    NOT NULL,
    channel                  TEXT    NOT NULL,
    alloc_fees               INTEGER NOT NULL,
    alloc_penalty            INTEGER NOT NULL,
    alloc_interest           INTEGER NOT NULL,
    alloc_principal          INTEGER NOT NULL,
    alloc_excess             INTEGER NOT NULL,
    instalments_cleared      INTEGER NOT NULL,
    -- The part of alloc_principal that prepaid principal not yet due (the rest paid
    -- arrears); a reversal needs it to put the arrears back.
    prepaid_principal        INTEGER NOT NULL,
    -- The account's oldest unpaid due date before this payment, so a reversal can
    -- restore it exactly.
    oldest_unpaid_due_before INTEGER,
    reverses                 INTEGER REFERENCES payments(id),
    reason                   TEXT
);

-- A reference is unique per creditor among payments; a reversal repeats the reference of
-- the payment it reverses, and each payment is reversed at most once.
CREATE UNIQUE INDEX payments_reference ON payments(creditor_id, reference) WHERE reverses IS NULL;
CREATE UNIQUE INDEX payments_reversal  ON payments(reverses) WHERE reverses IS NOT NULL;
CREATE INDEX payments_by_account ON payments(account_id, id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER REFERENCES creditors(id),
    at          INTEGER NOT NULL,
    actor_user  INTEGER,
    actor_name  TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    entity_kind TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    detail      TEXT    NOT NULL
);

CREATE INDEX audit_by_entity ON audit_log(creditor_id, entity_kind, entity_id, id);
