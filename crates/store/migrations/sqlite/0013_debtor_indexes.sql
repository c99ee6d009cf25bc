-- Sepakat SQLite schema, version 13: narrower debtor indexes, cheaper to rebuild after a
-- bulk load (see `deferred_indexes.rs` and the figures in docs/import-format.md).
--
-- * The searched value leads and the creditor follows, so every lookup is still one
--   equality on both columns.
-- * The NIK index leaves out debtors whose key is their NIK (the usual case when a file
--   has no customer number): those are found through the key index, and the search by NIK
--   asks both (a UNION in `account::search`).
-- * `debtors_by_creditor` serves what asks by creditor alone (whether a creditor has a
--   portfolio, the search by name). A load appends to it in id order, so it stays live
--   during a bulk import instead of being rebuilt.

DROP INDEX debtors_by_key;
DROP INDEX debtors_by_nik;
DROP INDEX debtors_by_phone;

CREATE UNIQUE INDEX debtors_by_key ON debtors(debtor_key, creditor_id);
CREATE INDEX debtors_by_phone ON debtors(phone, creditor_id) WHERE phone IS NOT NULL;
CREATE INDEX debtors_by_nik ON debtors(nik, creditor_id)
    WHERE nik IS NOT NULL AND nik <> debtor_key;
CREATE INDEX debtors_by_creditor ON debtors(creditor_id);
