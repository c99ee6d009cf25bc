-- Sepakat on SQLite, version 8: the debtor's other contacts — emergency contacts, family,
-- employer, guarantor. They are restricted parties (POJK 22/2023): only the whereabouts
-- script, never a debt detail. A contact is never edited; a correction is a new row that
-- replaces the old one (`replaces`), so what a collector saw stays on record.

CREATE TABLE debtor_contacts (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    debtor_id   INTEGER NOT NULL REFERENCES debtors(id),
    -- emergency_contact | family | employer | guarantor
    party       TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    relation    TEXT    NOT NULL DEFAULT '',
    phone       TEXT,
    note        TEXT    NOT NULL DEFAULT '',
    replaces    INTEGER REFERENCES debtor_contacts(id),
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id)
);
CREATE INDEX debtor_contacts_by_debtor ON debtor_contacts(creditor_id, debtor_id, id);
CREATE UNIQUE INDEX debtor_contacts_replaced_once ON debtor_contacts(replaces) WHERE replaces IS NOT NULL;
