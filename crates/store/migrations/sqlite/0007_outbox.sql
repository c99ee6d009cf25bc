-- Sepakat SQLite schema, version 7: the outbox — messages queued for e-mail, WhatsApp and
-- SMS, and the append-only history of their status. Conventions as in 0001 (instants
-- INTEGER microseconds UTC, enums TEXT codes). Every row carries creditor_id; every read
-- for a creditor filters on it. Depends on 0001 only. (Version 6 belongs to another
-- capability; the runner applies each version it lacks, in order, so the gap is harmless.)

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    creditor_id     INTEGER NOT NULL REFERENCES creditors(id),
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    channel         TEXT    NOT NULL CHECK (channel IN ('email', 'whatsapp', 'sms')),
    party           TEXT    NOT NULL,
    -- E-mail address or E.164 phone number; masked in every list and log.
    recipient       TEXT    NOT NULL,
    -- The template key; NULL for free text a person wrote.
    template_key    TEXT,
    subject         TEXT,
    body            TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    created_by      INTEGER REFERENCES users(id),
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'sending', 'sent',
                                                       'delivered', 'failed', 'blocked')),
    -- The guard or gate rule that blocked or last deferred it, and what triggered it.
    rule            TEXT,
    rule_detail     TEXT,
    not_before      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    attempted_at    INTEGER,
    lease_owner     TEXT,
    lease_until     INTEGER,
    provider_id     TEXT,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (creditor_id, idempotency_key)
);

-- The dispatcher's scan: only rows that may still be sent.
CREATE INDEX messages_due ON messages(not_before, id) WHERE status IN ('queued', 'sending');
CREATE INDEX messages_by_account ON messages(account_id, id);
CREATE UNIQUE INDEX messages_by_provider_id ON messages(channel, provider_id)
    WHERE provider_id IS NOT NULL;

-- Append-only: one row per status change, never updated.
CREATE TABLE message_events (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    message_id  INTEGER NOT NULL REFERENCES messages(id),
    at          INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    detail      TEXT
);

CREATE INDEX message_events_by_message ON message_events(message_id, id);
