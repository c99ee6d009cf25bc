-- Sepakat on PostgreSQL, version 7: the outbox — messages queued for e-mail, WhatsApp and
-- SMS, and the append-only history of their status. Same tables and meanings as the
-- SQLite migration 0007. Depends on 0001 only. (Version 6 belongs to another capability;
-- the runner applies each version it lacks, so the gap is harmless.)

CREATE TABLE messages (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id     BIGINT NOT NULL REFERENCES creditors (id),
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'whatsapp', 'sms')),
    party           TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    template_key    TEXT,
    subject         TEXT,
    body            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    created_by      BIGINT REFERENCES users (id),
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent',
                                                    'delivered', 'failed', 'blocked')),
    rule            TEXT,
    rule_detail     TEXT,
    not_before      TIMESTAMPTZ NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    attempted_at    TIMESTAMPTZ,
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    provider_id     TEXT,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (creditor_id, idempotency_key)
);
CREATE INDEX messages_due ON messages (not_before, id) WHERE status IN ('queued', 'sending');
CREATE INDEX messages_by_account ON messages (account_id, id);
CREATE UNIQUE INDEX messages_by_provider_id ON messages (channel, provider_id)
    WHERE provider_id IS NOT NULL;

CREATE TABLE message_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    message_id  BIGINT NOT NULL REFERENCES messages (id),
    at          TIMESTAMPTZ NOT NULL,
    status      TEXT NOT NULL,
    detail      TEXT
);
CREATE INDEX message_events_by_message ON message_events (message_id, id);
