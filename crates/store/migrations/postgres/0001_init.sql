-- Sepakat on PostgreSQL: creditors, users, sessions, debtors, accounts, payments, audit.
-- Money is BIGINT whole rupiah; rates are INTEGER parts per million.
-- Every tenant-owned row carries creditor_id; every read filters on it.

CREATE TABLE creditors (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
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
    debtor_key   TEXT NOT NULL,
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
    UNIQUE (creditor_id, debtor_key)
);
CREATE INDEX debtors_nik ON debtors (creditor_id, nik) WHERE nik IS NOT NULL;
CREATE INDEX debtors_phone ON debtors (creditor_id, phone) WHERE phone IS NOT NULL;

CREATE TABLE accounts (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id            BIGINT NOT NULL REFERENCES creditors (id),
    account_no             TEXT NOT NULL,
    debtor_id              BIGINT NOT NULL REFERENCES debtors (id),
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
    last_payment_on        DATE,
    last_payment_amount    BIGINT,
    status                 TEXT NOT NULL,
    UNIQUE (creditor_id, account_no)
);
CREATE INDEX accounts_debtor ON accounts (debtor_id);
-- The worklist order: oldest unpaid due first, then account number.
CREATE INDEX accounts_worklist ON accounts (creditor_id, oldest_unpaid_due, account_no COLLATE "C");
CREATE INDEX accounts_number_prefix ON accounts (creditor_id, account_no text_pattern_ops);

CREATE TABLE payments (
    id                        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id               BIGINT NOT NULL REFERENCES creditors (id),
    account_id                BIGINT NOT NULL REFERENCES accounts (id),
    paid_at                   TIMESTAMPTZ NOT NULL,
    amount                    BIGINT NOT NULL,
    reference                 TEXT NOT NULL,
    channel                   TEXT NOT NULL,
    alloc_fees                BIGINT NOT NULL,
    alloc_penalty             BIGINT NOT NULL,
    alloc_interest            BIGINT NOT NULL,
    alloc_principal           BIGINT NOT NULL,
    alloc_excess              BIGINT NOT NULL,
    instalments_cleared       INTEGER NOT NULL,
    -- The account's oldest unpaid due date before this entry, so a reversal restores it.
    oldest_unpaid_due_before  DATE,
    reverses                  BIGINT UNIQUE REFERENCES payments (id),
    reason                    TEXT
);
CREATE INDEX payments_account ON payments (account_id, paid_at, id);
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
