-- Sepakat on PostgreSQL, version 2: the collection work shared by the nightly run and the
-- collector workbench — teams and collectors, account assignments, promises to pay,
-- pauses, contact consents and the interaction log. Same tables and meanings as the SQLite
-- migration 0002. Rows reference teams and debtors by (creditor_id, id), so they cannot
-- point into another creditor's data; accounts are referenced by id alone, as payments do,
-- because a second unique index on accounts would slow every bulk import.

CREATE TABLE teams (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    code        TEXT COLLATE "C" NOT NULL,
    name        TEXT NOT NULL,
    UNIQUE (creditor_id, code),
    UNIQUE (creditor_id, id)
);

CREATE TABLE collectors (
    team_id        BIGINT NOT NULL,
    user_id        BIGINT NOT NULL REFERENCES users (id),
    creditor_id    BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    daily_capacity INTEGER NOT NULL CHECK (daily_capacity >= 0),
    provinces      TEXT NOT NULL DEFAULT '',
    languages      TEXT NOT NULL DEFAULT 'id',
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (team_id, user_id),
    FOREIGN KEY (creditor_id, team_id) REFERENCES teams (creditor_id, id)
);
CREATE INDEX collectors_by_user ON collectors (user_id, creditor_id);

CREATE TABLE account_assignments (
    account_id        BIGINT PRIMARY KEY REFERENCES accounts (id),
    creditor_id       BIGINT NOT NULL,
    team_id           BIGINT,
    collector_user_id BIGINT REFERENCES users (id),
    assigned_at       TIMESTAMPTZ NOT NULL,
    assigned_by       BIGINT REFERENCES users (id),
    FOREIGN KEY (creditor_id, team_id) REFERENCES teams (creditor_id, id)
);
CREATE INDEX account_assignments_by_collector
    ON account_assignments (creditor_id, collector_user_id) WHERE collector_user_id IS NOT NULL;

CREATE TABLE interactions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id     BIGINT NOT NULL REFERENCES creditors (id),
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    at              TIMESTAMPTZ NOT NULL,
    user_id         BIGINT REFERENCES users (id),
    channel         TEXT NOT NULL,
    direction       TEXT NOT NULL,
    party           TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    reason          TEXT,
    notes           TEXT NOT NULL DEFAULT '',
    corrects        BIGINT REFERENCES interactions (id),
    idempotency_key TEXT,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX interactions_by_account ON interactions (account_id, at);
CREATE UNIQUE INDEX interactions_idempotency
    ON interactions (creditor_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE promises (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id    BIGINT NOT NULL REFERENCES creditors (id),
    account_id     BIGINT NOT NULL REFERENCES accounts (id),
    interaction_id BIGINT REFERENCES interactions (id),
    amount         BIGINT NOT NULL CHECK (amount > 0),
    promised_on    DATE NOT NULL,
    channel        TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     BIGINT REFERENCES users (id),
    paid_amount    BIGINT NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT 'pending',
    resolved_at    TIMESTAMPTZ
);
CREATE UNIQUE INDEX promises_one_pending ON promises (account_id) WHERE status = 'pending';
CREATE INDEX promises_by_account ON promises (account_id, id);

CREATE TABLE account_pauses (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    reason      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    starts_on   DATE NOT NULL,
    ends_on     DATE,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    lifted_at   TIMESTAMPTZ,
    lifted_by   BIGINT REFERENCES users (id)
);
CREATE INDEX account_pauses_by_account ON account_pauses (account_id, starts_on);

CREATE TABLE consents (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id   BIGINT NOT NULL,
    debtor_id     BIGINT NOT NULL,
    recorded_by   TEXT NOT NULL,
    recorded_via  TEXT NOT NULL,
    granted_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    channels      TEXT NOT NULL,
    days          TEXT NOT NULL,
    window_start  INTEGER NOT NULL,
    window_end    INTEGER NOT NULL,
    holidays      BOOLEAN NOT NULL DEFAULT FALSE,
    FOREIGN KEY (creditor_id, debtor_id) REFERENCES debtors (creditor_id, id)
);
CREATE INDEX consents_by_debtor ON consents (debtor_id);
