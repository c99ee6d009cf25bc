-- Sepakat on PostgreSQL, version 4: the collector workbench — claims on accounts,
-- follow-up tasks, evidence files (content-addressed, in the database), which payment
-- counted towards which promise, and payment reversals awaiting a second person. Same
-- tables and meanings as SQLite 0004; rules in docs/workbench.md.

-- One row per account: the primary key is what keeps two collectors off one account.
CREATE TABLE claims (
    account_id  BIGINT PRIMARY KEY REFERENCES accounts (id),
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    claimed_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX claims_by_user ON claims (creditor_id, user_id);

CREATE TABLE follow_ups (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id    BIGINT NOT NULL REFERENCES creditors (id),
    account_id     BIGINT NOT NULL REFERENCES accounts (id),
    kind           TEXT NOT NULL,
    due_at         TIMESTAMPTZ NOT NULL,
    user_id        BIGINT REFERENCES users (id),
    note           TEXT NOT NULL DEFAULT '',
    promise_id     BIGINT REFERENCES promises (id),
    interaction_id BIGINT REFERENCES interactions (id),
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     BIGINT REFERENCES users (id),
    done_at        TIMESTAMPTZ,
    done_by        BIGINT REFERENCES users (id)
);
CREATE INDEX follow_ups_open_by_due ON follow_ups (creditor_id, due_at) WHERE done_at IS NULL;
CREATE INDEX follow_ups_by_account ON follow_ups (account_id, due_at);
CREATE INDEX follow_ups_by_interaction ON follow_ups (interaction_id)
    WHERE interaction_id IS NOT NULL;

CREATE TABLE evidence_blobs (
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    sha256      TEXT COLLATE "C" NOT NULL,
    size_bytes  BIGINT NOT NULL,
    content     BYTEA NOT NULL,
    PRIMARY KEY (creditor_id, sha256)
);

CREATE TABLE evidence (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id    BIGINT NOT NULL REFERENCES creditors (id),
    account_id     BIGINT NOT NULL REFERENCES accounts (id),
    interaction_id BIGINT NOT NULL REFERENCES interactions (id),
    sha256         TEXT COLLATE "C" NOT NULL,
    media_type     TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    size_bytes     BIGINT NOT NULL,
    gps_lat        DOUBLE PRECISION,
    gps_lon        DOUBLE PRECISION,
    captured_at    TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (creditor_id, sha256) REFERENCES evidence_blobs (creditor_id, sha256)
);
CREATE INDEX evidence_by_account ON evidence (account_id, id);
CREATE INDEX evidence_by_interaction ON evidence (interaction_id);

CREATE TABLE promise_payments (
    payment_id BIGINT PRIMARY KEY REFERENCES payments (id),
    promise_id BIGINT NOT NULL REFERENCES promises (id),
    amount     BIGINT NOT NULL
);

CREATE TABLE reversal_requests (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id   BIGINT NOT NULL REFERENCES creditors (id),
    payment_id    BIGINT NOT NULL REFERENCES payments (id),
    reason        TEXT NOT NULL,
    requested_at  TIMESTAMPTZ NOT NULL,
    requested_by  BIGINT NOT NULL REFERENCES users (id),
    status        TEXT NOT NULL DEFAULT 'pending',
    decided_at    TIMESTAMPTZ,
    decided_by    BIGINT REFERENCES users (id),
    decision_note TEXT,
    reversal_id   BIGINT REFERENCES payments (id)
);
CREATE UNIQUE INDEX reversal_requests_one_pending
    ON reversal_requests (payment_id) WHERE status = 'pending';
CREATE INDEX reversal_requests_by_creditor ON reversal_requests (creditor_id, status, id);
