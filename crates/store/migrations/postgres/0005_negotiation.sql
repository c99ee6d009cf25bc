-- Sepakat on PostgreSQL, version 5: the negotiation desk — ability-to-pay assessments,
-- offers with their approval, and arrangements with their instalments. Same tables and
-- meanings as the SQLite migration 0005; JSON documents are JSONB. Depends on 0001 and
-- 0002 only. Accounts are referenced by id alone, as payments do (see 0002).

CREATE TABLE assessments (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id         BIGINT NOT NULL REFERENCES creditors (id),
    account_id          BIGINT NOT NULL REFERENCES accounts (id),
    declaration         JSONB NOT NULL,
    result              JSONB NOT NULL,
    recommended_monthly BIGINT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    created_by          BIGINT REFERENCES users (id),
    UNIQUE (creditor_id, id)
);
CREATE INDEX assessments_by_account ON assessments (account_id, id);

CREATE TABLE offers (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id     BIGINT NOT NULL,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    assessment_id   BIGINT NOT NULL,
    as_of           DATE NOT NULL,
    options         JSONB NOT NULL,
    chosen_rank     INTEGER NOT NULL CHECK (chosen_rank >= 1),
    kind            TEXT NOT NULL,
    total_paid      BIGINT NOT NULL,
    down_payment    BIGINT NOT NULL,
    instalment      BIGINT NOT NULL,
    tenor_months    INTEGER NOT NULL,
    created_role    TEXT NOT NULL,
    approvers       TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      BIGINT REFERENCES users (id),
    decided_by      BIGINT REFERENCES users (id),
    decided_at      TIMESTAMPTZ,
    decision_reason TEXT,
    UNIQUE (creditor_id, id),
    FOREIGN KEY (creditor_id, assessment_id) REFERENCES assessments (creditor_id, id)
);
CREATE INDEX offers_by_account ON offers (account_id, id);
CREATE INDEX offers_pending ON offers (creditor_id, id) WHERE status = 'pending_approval';

CREATE TABLE arrangements (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id BIGINT NOT NULL,
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    offer_id    BIGINT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active',
    max_misses  INTEGER NOT NULL CHECK (max_misses >= 1),
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    ended_at    TIMESTAMPTZ,
    FOREIGN KEY (creditor_id, offer_id) REFERENCES offers (creditor_id, id)
);
CREATE INDEX arrangements_by_account ON arrangements (account_id, id);
CREATE UNIQUE INDEX arrangements_one_active ON arrangements (account_id) WHERE status = 'active';
CREATE INDEX arrangements_active ON arrangements (creditor_id, id) WHERE status = 'active';

CREATE TABLE instalments (
    arrangement_id BIGINT NOT NULL REFERENCES arrangements (id),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    due_on         DATE NOT NULL,
    amount         BIGINT NOT NULL CHECK (amount > 0),
    paid           BIGINT NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT 'pending',
    PRIMARY KEY (arrangement_id, seq)
);
