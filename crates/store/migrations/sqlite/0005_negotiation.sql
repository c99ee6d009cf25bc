-- Sepakat SQLite schema, version 5: the negotiation desk — ability-to-pay assessments,
-- offers with their approval, and arrangements with their instalments. Conventions as in
-- 0001 (money INTEGER rupiah, dates INTEGER days since 1970-01-01, instants INTEGER
-- microseconds UTC, enums TEXT codes); JSON documents are TEXT. Every row carries
-- creditor_id; every read filters on it. Depends on 0001 and 0002 only.

-- What a debtor declared and what the assessment made of it.
CREATE TABLE assessments (
    id                  INTEGER PRIMARY KEY,
    creditor_id         INTEGER NOT NULL REFERENCES creditors(id),
    account_id          INTEGER NOT NULL REFERENCES accounts(id),
    -- sepakat_domain::negotiation::Declaration as JSON.
    declaration         TEXT    NOT NULL,
    -- Living cost, disposable income, recommendation and flags as JSON.
    result              TEXT    NOT NULL,
    -- Copied out of the result for lists and reports.
    recommended_monthly INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    created_by          INTEGER REFERENCES users(id)
);

CREATE INDEX assessments_by_account ON assessments(account_id, id);

-- One option offered to a debtor, with every option computed alongside it.
CREATE TABLE offers (
    id              INTEGER PRIMARY KEY,
    creditor_id     INTEGER NOT NULL REFERENCES creditors(id),
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    assessment_id   INTEGER NOT NULL REFERENCES assessments(id),
    as_of           INTEGER NOT NULL,
    -- Every ranked option (sepakat_domain::negotiation::Offer) as a JSON array.
    options         TEXT    NOT NULL,
    chosen_rank     INTEGER NOT NULL CHECK (chosen_rank >= 1),
    -- The chosen option in summary: kind code and amounts.
    kind            TEXT    NOT NULL,
    total_paid      INTEGER NOT NULL,
    down_payment    INTEGER NOT NULL,
    instalment      INTEGER NOT NULL,
    tenor_months    INTEGER NOT NULL,
    -- The creator's role, and the comma-separated roles that may approve the option.
    created_role    TEXT    NOT NULL,
    approvers       TEXT    NOT NULL DEFAULT '',
    -- proposed | pending_approval | approved | rejected | accepted | expired
    status          TEXT    NOT NULL,
    expires_at      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    created_by      INTEGER REFERENCES users(id),
    decided_by      INTEGER REFERENCES users(id),
    decided_at      INTEGER,
    decision_reason TEXT
);

CREATE INDEX offers_by_account ON offers(account_id, id);
-- The approval queue.
CREATE INDEX offers_pending ON offers(creditor_id, id) WHERE status = 'pending_approval';

-- An accepted offer being paid.
CREATE TABLE arrangements (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    offer_id    INTEGER NOT NULL UNIQUE REFERENCES offers(id),
    kind        TEXT    NOT NULL,
    -- active | completed | defaulted
    status      TEXT    NOT NULL DEFAULT 'active',
    -- The arrangement defaults once this many instalments are missed.
    max_misses  INTEGER NOT NULL CHECK (max_misses >= 1),
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    ended_at    INTEGER
);

CREATE INDEX arrangements_by_account ON arrangements(account_id, id);
CREATE UNIQUE INDEX arrangements_one_active ON arrangements(account_id) WHERE status = 'active';
CREATE INDEX arrangements_active ON arrangements(creditor_id, id) WHERE status = 'active';

-- The payments of an arrangement, as the tracker last saw them.
CREATE TABLE instalments (
    arrangement_id INTEGER NOT NULL REFERENCES arrangements(id),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    due_on         INTEGER NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount > 0),
    paid           INTEGER NOT NULL DEFAULT 0,
    -- pending | paid | late | missed
    status         TEXT    NOT NULL DEFAULT 'pending',
    PRIMARY KEY (arrangement_id, seq)
) WITHOUT ROWID;
