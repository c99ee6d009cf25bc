-- Sepakat SQLite schema, version 6: the debtor key's uniqueness becomes a named index,
-- `debtors_by_key`, instead of a table constraint. Same rule, same columns; a named index
-- can be dropped and rebuilt, which a first bulk load of a creditor does (its keys are
-- deduplicated in memory, and one sorted rebuild is far cheaper than random inserts into
-- the key index row by row). SQLite cannot drop a table constraint, so the table is
-- rebuilt: the runner applies migrations with foreign keys off and checks them before
-- committing. Ids are kept, so every reference stays valid.

CREATE TABLE debtors_v6 (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    debtor_key  TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    nik         TEXT,
    npwp        TEXT,
    gender      TEXT,
    birth_date  INTEGER,
    phone       TEXT,
    email       TEXT,
    address     TEXT,
    city        TEXT,
    province    INTEGER NOT NULL,
    employer    TEXT
);

INSERT INTO debtors_v6 (id, creditor_id, debtor_key, kind, name, nik, npwp, gender,
                        birth_date, phone, email, address, city, province, employer)
SELECT id, creditor_id, debtor_key, kind, name, nik, npwp, gender,
       birth_date, phone, email, address, city, province, employer
FROM debtors ORDER BY id;

DROP TABLE debtors;
ALTER TABLE debtors_v6 RENAME TO debtors;

CREATE UNIQUE INDEX debtors_by_key ON debtors(creditor_id, debtor_key);
-- As in 0001 (dropped with the old table).
CREATE INDEX debtors_by_nik   ON debtors(creditor_id, nik)   WHERE nik IS NOT NULL;
CREATE INDEX debtors_by_phone ON debtors(creditor_id, phone) WHERE phone IS NOT NULL;
