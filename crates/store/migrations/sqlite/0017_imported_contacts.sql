-- Sepakat on SQLite, version 17: contacts named in an accounts file (emergency contact,
-- employer's phone). An imported contact that a later file names differently is corrected
-- by a new row that replaces it; a contact a collector added is never replaced by a file,
-- so the import must tell the two apart.

ALTER TABLE debtor_contacts ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
