-- Sepakat SQLite schema, version 11: a creditor's own message templates, one per
-- (creditor, stage, channel), with numbered versions approved by the compliance role.
-- Conventions as in 0001 (instants INTEGER microseconds UTC, enums TEXT codes). The
-- newest approved version is in force; without one the shipped default set is used.
-- Depends on 0001 only (versions 9 and 10 may belong to other capabilities).

CREATE TABLE templates (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    stage       TEXT    NOT NULL,
    channel     TEXT    NOT NULL CHECK (channel IN ('whatsapp', 'sms', 'email', 'letter')),
    created_at  INTEGER NOT NULL,
    UNIQUE (creditor_id, stage, channel)
);

CREATE TABLE template_versions (
    id           INTEGER PRIMARY KEY,
    creditor_id  INTEGER NOT NULL REFERENCES creditors(id),
    template_id  INTEGER NOT NULL REFERENCES templates(id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    subject      TEXT,
    body         TEXT    NOT NULL,
    note         TEXT,
    author       INTEGER NOT NULL REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('draft', 'pending', 'approved', 'rejected')),
    submitted_at INTEGER,
    decided_by   INTEGER REFERENCES users(id),
    decided_at   INTEGER,
    reason       TEXT,
    UNIQUE (template_id, version)
);

CREATE INDEX template_versions_by_creditor ON template_versions (creditor_id, template_id);
