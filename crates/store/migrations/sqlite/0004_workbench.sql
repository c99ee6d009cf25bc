-- Sepakat SQLite schema, version 4: the collector workbench — claims on accounts, follow-up
-- tasks, evidence files (content-addressed, in the database), which payment counted
-- towards which promise, and payment reversals awaiting a second person. Conventions as
-- in 0001. Rules: docs/workbench.md.

-- A collector's hold on an account while they work it: one row per account, so two
-- collectors can never hold it at once. A row whose expires_at has passed is free.
CREATE TABLE claims (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id),
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    claimed_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE INDEX claims_by_user ON claims(creditor_id, user_id);

-- Tasks for a set time: call back, promise reminder, call after a broken promise.
CREATE TABLE follow_ups (
    id             INTEGER PRIMARY KEY,
    creditor_id    INTEGER NOT NULL REFERENCES creditors(id),
    account_id     INTEGER NOT NULL REFERENCES accounts(id),
    -- call_back | promise_reminder | broken_promise
    kind           TEXT    NOT NULL,
    due_at         INTEGER NOT NULL,
    -- NULL: anyone of the account's team.
    user_id        INTEGER REFERENCES users(id),
    note           TEXT    NOT NULL DEFAULT '',
    promise_id     INTEGER REFERENCES promises(id),
    interaction_id INTEGER REFERENCES interactions(id),
    created_at     INTEGER NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    done_at        INTEGER,
    done_by        INTEGER REFERENCES users(id)
);

CREATE INDEX follow_ups_open_by_due ON follow_ups(creditor_id, due_at) WHERE done_at IS NULL;
CREATE INDEX follow_ups_by_account ON follow_ups(account_id, due_at);
CREATE INDEX follow_ups_by_interaction ON follow_ups(interaction_id) WHERE interaction_id IS NOT NULL;

-- Evidence content, once per creditor and SHA-256 (hex): inserted with ON CONFLICT DO
-- NOTHING and never updated, so stored evidence cannot be overwritten.
CREATE TABLE evidence_blobs (
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    sha256      TEXT    NOT NULL,
    size_bytes  INTEGER NOT NULL,
    content     BLOB    NOT NULL,
    PRIMARY KEY (creditor_id, sha256)
) WITHOUT ROWID;

-- One evidence file attached to an interaction.
CREATE TABLE evidence (
    id             INTEGER PRIMARY KEY,
    creditor_id    INTEGER NOT NULL REFERENCES creditors(id),
    account_id     INTEGER NOT NULL REFERENCES accounts(id),
    interaction_id INTEGER NOT NULL REFERENCES interactions(id),
    sha256         TEXT    NOT NULL,
    media_type     TEXT    NOT NULL,
    file_name      TEXT    NOT NULL,
    size_bytes     INTEGER NOT NULL,
    gps_lat        REAL,
    gps_lon        REAL,
    captured_at    INTEGER,
    created_at     INTEGER NOT NULL,
    FOREIGN KEY (creditor_id, sha256) REFERENCES evidence_blobs(creditor_id, sha256)
);

CREATE INDEX evidence_by_account ON evidence(account_id, id);
CREATE INDEX evidence_by_interaction ON evidence(interaction_id);

-- The part of a payment that counted towards a pending promise, so a reversal takes
-- back exactly that.
CREATE TABLE promise_payments (
    payment_id INTEGER PRIMARY KEY REFERENCES payments(id),
    promise_id INTEGER NOT NULL REFERENCES promises(id),
    amount     INTEGER NOT NULL
);

-- A reversal above the maker-checker threshold: requested by one person, decided by
-- another.
CREATE TABLE reversal_requests (
    id             INTEGER PRIMARY KEY,
    creditor_id    INTEGER NOT NULL REFERENCES creditors(id),
    payment_id     INTEGER NOT NULL REFERENCES payments(id),
    reason         TEXT    NOT NULL,
    requested_at   INTEGER NOT NULL,
    requested_by   INTEGER NOT NULL REFERENCES users(id),
    -- pending | approved | rejected
    status         TEXT    NOT NULL DEFAULT 'pending',
    decided_at     INTEGER,
    decided_by     INTEGER REFERENCES users(id),
    decision_note  TEXT,
    reversal_id    INTEGER REFERENCES payments(id)
);

CREATE UNIQUE INDEX reversal_requests_one_pending
    ON reversal_requests(payment_id) WHERE status = 'pending';
CREATE INDEX reversal_requests_by_creditor ON reversal_requests(creditor_id, status, id);
