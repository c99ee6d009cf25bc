-- Sepakat SQLite schema, version 2: the collection work shared by the nightly run and the
-- collector workbench — teams and collectors, account assignments, promises to pay,
-- pauses, contact consents and the interaction log. Conventions as in 0001 (money INTEGER
-- rupiah, dates INTEGER days since 1970-01-01, instants INTEGER microseconds UTC, enums
-- TEXT codes). Every row carries creditor_id; every read filters on it.

-- A team of collectors working one creditor's accounts.
CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    UNIQUE (creditor_id, code)
);

-- A user's place in a team: what they take on per day, where and in which languages.
-- An agency collector serving two creditors is a member of a team of each.
CREATE TABLE collectors (
    team_id        INTEGER NOT NULL REFERENCES teams(id),
    user_id        INTEGER NOT NULL REFERENCES users(id),
    creditor_id    INTEGER NOT NULL REFERENCES creditors(id),
    -- desk | field
    kind           TEXT    NOT NULL,
    daily_capacity INTEGER NOT NULL CHECK (daily_capacity >= 0),
    -- Comma-separated BPS province codes served; empty = every province.
    provinces      TEXT    NOT NULL DEFAULT '',
    -- Comma-separated language codes spoken (id, jv, su, en, …).
    languages      TEXT    NOT NULL DEFAULT 'id',
    active         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;

CREATE INDEX collectors_by_user ON collectors(user_id, creditor_id);

-- Which team works an account, and the collector who holds it when a supervisor assigned
-- one (otherwise the nightly run allocates it day by day). No row = unassigned.
CREATE TABLE account_assignments (
    account_id        INTEGER PRIMARY KEY REFERENCES accounts(id),
    creditor_id       INTEGER NOT NULL REFERENCES creditors(id),
    team_id           INTEGER REFERENCES teams(id),
    collector_user_id INTEGER REFERENCES users(id),
    assigned_at       INTEGER NOT NULL,
    assigned_by       INTEGER REFERENCES users(id)
);

CREATE INDEX account_assignments_by_collector
    ON account_assignments(creditor_id, collector_user_id) WHERE collector_user_id IS NOT NULL;

-- Every contact attempt or contact. Immutable: a correction is a new row that points to
-- the one it corrects.
CREATE TABLE interactions (
    id              INTEGER PRIMARY KEY,
    creditor_id     INTEGER NOT NULL REFERENCES creditors(id),
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    at              INTEGER NOT NULL,
    user_id         INTEGER REFERENCES users(id),
    -- call | whatsapp | sms | email | field_visit | letter
    channel         TEXT    NOT NULL,
    -- outbound | inbound
    direction       TEXT    NOT NULL,
    -- debtor | emergency_contact | family | employer | guarantor
    party           TEXT    NOT NULL,
    -- right_party_contact, third_party, no_answer, busy, wrong_number, promise_to_pay,
    -- refused, dispute, call_back, paid, hardship_declared
    outcome         TEXT    NOT NULL,
    -- job_loss, illness, business_downturn, disaster, forgot, dispute, over_indebted,
    -- fraud, deceased, evasive; NULL when not asked or not known
    reason          TEXT,
    notes           TEXT    NOT NULL DEFAULT '',
    corrects        INTEGER REFERENCES interactions(id),
    -- A client-chosen key so a form submitted twice stores one interaction.
    idempotency_key TEXT,
    created_at      INTEGER NOT NULL
);

CREATE INDEX interactions_by_account ON interactions(account_id, at);
CREATE UNIQUE INDEX interactions_idempotency
    ON interactions(creditor_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Promises to pay (janji bayar). At most one pending promise per account.
CREATE TABLE promises (
    id             INTEGER PRIMARY KEY,
    creditor_id    INTEGER NOT NULL REFERENCES creditors(id),
    account_id     INTEGER NOT NULL REFERENCES accounts(id),
    interaction_id INTEGER REFERENCES interactions(id),
    amount         INTEGER NOT NULL CHECK (amount > 0),
    promised_on    INTEGER NOT NULL,
    channel        TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    -- Paid on the account since the promise was made, kept in sync by payment posting.
    paid_amount    INTEGER NOT NULL DEFAULT 0,
    -- pending | kept | partially_kept | broken | cancelled
    status         TEXT    NOT NULL DEFAULT 'pending',
    resolved_at    INTEGER
);

CREATE UNIQUE INDEX promises_one_pending ON promises(account_id) WHERE status = 'pending';
CREATE INDEX promises_by_account ON promises(account_id, id);

-- Collection paused on an account (dispute, hardship, deceased, legal, complaint): no
-- contact at all from starts_on until ends_on (inclusive; NULL = until lifted).
CREATE TABLE account_pauses (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    reason      TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    starts_on   INTEGER NOT NULL,
    ends_on     INTEGER,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    lifted_at   INTEGER,
    lifted_by   INTEGER REFERENCES users(id)
);

CREATE INDEX account_pauses_by_account ON account_pauses(account_id, starts_on);

-- A debtor's recorded consent to contact outside the normal days and hours
-- (sepakat_domain::compliance::ConsentRecord).
CREATE TABLE consents (
    id            INTEGER PRIMARY KEY,
    creditor_id   INTEGER NOT NULL REFERENCES creditors(id),
    debtor_id     INTEGER NOT NULL REFERENCES debtors(id),
    recorded_by   TEXT    NOT NULL,
    recorded_via  TEXT    NOT NULL,
    granted_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    -- Comma-separated channel codes.
    channels      TEXT    NOT NULL,
    -- Comma-separated ISO weekday numbers (1 = Monday … 7 = Sunday).
    days          TEXT    NOT NULL,
    -- Debtor-local minutes after midnight, [start, end).
    window_start  INTEGER NOT NULL,
    window_end    INTEGER NOT NULL,
    holidays      INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX consents_by_debtor ON consents(debtor_id);
