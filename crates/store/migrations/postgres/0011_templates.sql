-- Sepakat on PostgreSQL, version 11: a creditor's own message templates, one per
-- (creditor, stage, channel), with numbered versions approved by the compliance role.
-- Same tables and meanings as the SQLite migration 0011. Depends on 0001 only.

CREATE TABLE templates (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    stage       TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('whatsapp', 'sms', 'email', 'letter')),
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (creditor_id, stage, channel)
);

CREATE TABLE template_versions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id  BIGINT NOT NULL REFERENCES creditors (id),
    template_id  BIGINT NOT NULL REFERENCES templates (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    subject      TEXT,
    body         TEXT NOT NULL,
    note         TEXT,
    author       BIGINT NOT NULL REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'approved', 'rejected')),
    submitted_at TIMESTAMPTZ,
    decided_by   BIGINT REFERENCES users (id),
    decided_at   TIMESTAMPTZ,
    reason       TEXT,
    UNIQUE (template_id, version)
);

CREATE INDEX template_versions_by_creditor ON template_versions (creditor_id, template_id);
