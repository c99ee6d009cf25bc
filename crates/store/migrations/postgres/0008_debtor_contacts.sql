-- Sepakat on PostgreSQL, version 8: the debtor's other contacts (emergency contacts, family,
-- employer, guarantor), restricted parties; same meaning as the SQLite migration 0008.

CREATE TABLE debtor_contacts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    debtor_id   BIGINT NOT NULL REFERENCES debtors (id),
    party       TEXT NOT NULL,
    name        TEXT NOT NULL,
    relation    TEXT NOT NULL DEFAULT '',
    phone       TEXT,
    note        TEXT NOT NULL DEFAULT '',
    replaces    BIGINT REFERENCES debtor_contacts (id),
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  BIGINT REFERENCES users (id)
);
CREATE INDEX debtor_contacts_by_debtor ON debtor_contacts (creditor_id, debtor_id, id);
CREATE UNIQUE INDEX debtor_contacts_replaced_once ON debtor_contacts (replaces) WHERE replaces IS NOT NULL;
