-- Sepakat on PostgreSQL: creditors, users, sessions, debtors, accounts, payments, audit.
-- Money is BIGINT whole rupiah; rates are INTEGER parts per million.
-- Every tenant-owned row carries creditor_id; every read filters on it.

CREATE TABLE creditors (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        TEXT COLLATE "C" NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    regime      JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE,
    full_name        TEXT NOT NULL,
    role             TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_until     TIMESTAMPTZ,
    last_login_at    TIMESTAMPTZ
);

CREATE TABLE user_creditors (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    creditor_id  BIGINT NOT NULL REFERENCES creditors (id),
    PRIMARY KEY (user_id, creditor_id)
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    creditor_id  BIGINT NOT NULL REFERENCES creditors (id),
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE api_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE debtors (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id  BIGINT NOT NULL REFERENCES creditors (id),
    debtor_key   TEXT COLLATE "C" NOT NULL,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    nik          TEXT,
    npwp         TEXT,
    gender       TEXT,
    birth_date   DATE,
    phone        TEXT,
    email        TEXT,
    address      TEXT,
    city         TEXT,
    province     SMALLINT NOT NULL,
    employer     TEXT,
    UNIQUE (creditor_id, debtor_key),
    -- Target of the accounts' tenant-checking foreign key.
    UNIQUE (creditor_id, id)
);
CREATE INDEX debtors_nik ON debtors (creditor_id, nik) WHERE nik IS NOT NULL;
CREATE INDEX debtors_phone ON debtors (creditor_id, phone) WHERE phone IS NOT NULL;

CREATE TABLE accounts (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id            BIGINT NOT NULL,
    -- Byte order ("C"), as in SQLite: the unique index then also serves prefix search.
    account_no             TEXT COLLATE "C" NOT NULL,
    debtor_id              BIGINT NOT NULL,
    product                TEXT NOT NULL,
    principal              BIGINT NOT NULL,
    annual_rate_ppm        INTEGER NOT NULL,
    tenor_months           INTEGER NOT NULL,
    first_due              DATE NOT NULL,
    method                 TEXT NOT NULL,
    instalment             BIGINT NOT NULL,
    opened_on              DATE NOT NULL,
    outstanding_principal  BIGINT NOT NULL,
    arrears_principal      BIGINT NOT NULL,
    arrears_interest       BIGINT NOT NULL,
    penalty                BIGINT NOT NULL,
    fees                   BIGINT NOT NULL,
    oldest_unpaid_due      DATE,
    -- Everything owed (Balance::total_outstanding), for sorting and summing lists.
    total_outstanding      BIGINT GENERATED ALWAYS AS
                               (outstanding_principal + arrears_interest + penalty + fees) STORED,
    last_payment_on        DATE,
    last_payment_amount    BIGINT,
    status                 TEXT NOT NULL,
    UNIQUE (creditor_id, account_no),
    -- One key checks both that the debtor exists and that it is the same creditor's (the
    -- creditor's existence follows from the debtor's own foreign key), and one foreign-key
    -- check per row instead of two keeps bulk imports fast.
    FOREIGN KEY (creditor_id, debtor_id) REFERENCES debtors (creditor_id, id)
);
-- The worklist order: oldest unpaid due first, then account number.
CREATE INDEX accounts_worklist ON accounts (creditor_id, oldest_unpaid_due, account_no);
-- Few indexes on accounts on purpose: each one slows bulk imports. The portfolio overview
-- reads the creditor's rows through the worklist index.

CREATE TABLE payments (
    id                        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id               BIGINT NOT NULL REFERENCES creditors (id),
    account_id                BIGINT NOT NULL REFERENCES accounts (id),
    paid_at                   TIMESTAMPTZ NOT NULL,
    amount                    BIGINT NOT NULL,
    reference                 TEXT COLLATE "C" NOT NULL,
    channel                   TEXT NOT NULL,
    alloc_fees                BIGINT NOT NULL,
    alloc_penalty             BIGINT NOT NULL,
    alloc_interest            BIGINT NOT NULL,
    alloc_principal           BIGINT NOT NULL,
    alloc_excess              BIGINT NOT NULL,
    instalments_cleared       INTEGER NOT NULL,
    -- The part of alloc_principal that prepaid principal not yet due (the rest paid
    -- arrears); a reversal needs it to put the arrears back.
    prepaid_principal         BIGINT NOT NULL,
    -- The account's oldest unpaid due date before this entry, so a reversal restores it.
    oldest_unpaid_due_before  DATE,
    reverses                  BIGINT UNIQUE REFERENCES payments (id),
    reason                    TEXT
);
CREATE INDEX payments_account ON payments (account_id, paid_at, id);
CREATE INDEX payments_creditor ON payments (creditor_id, id);
-- A payment reference is unique per creditor; a reversal repeats its payment's reference.
CREATE UNIQUE INDEX payments_reference ON payments (creditor_id, reference) WHERE reverses IS NULL;

CREATE TABLE audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id  BIGINT REFERENCES creditors (id),
    at           TIMESTAMPTZ NOT NULL,
    actor_user   BIGINT,
    actor_name   TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity_kind  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    detail       JSONB NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (creditor_id, entity_kind, entity_id, id);
