-- Multiplies a PostgreSQL demo portfolio for benchmarks: every debtor and account of the
-- database is copied COPIES - 1 times, copy k with ids shifted by k × the highest id and
-- the debtor key and account number suffixed "-k" (so the unique keys hold). Creditors,
-- staff, teams, promises, interactions and the rest stay as the demo made them: the copies
-- are open accounts without history, which the nightly run scans like any other.
--
-- `sepakat demo --accounts 10000000` into PostgreSQL takes hours (it posts every payment
-- one by one); this takes minutes. Usage, on a database made by `sepakat demo --accounts
-- 100000 --no-serve --database-url postgres://…/DB` (or a copy: CREATE DATABASE … TEMPLATE):
--
--     psql -v copies=100 -d DB -f scripts/pg-scale-demo.sql
--
-- The copies' foreign keys hold by construction (each account's debtor is copied with the
-- same shift), so the foreign-key triggers are switched off for the inserts
-- (`session_replication_role = replica`, which needs a superuser).

\set ON_ERROR_STOP on

BEGIN;
SET LOCAL session_replication_role = replica;
SELECT max(id) AS dmax FROM debtors \gset
SELECT max(id) AS amax FROM accounts \gset

INSERT INTO debtors (id, creditor_id, debtor_key, kind, name, nik, npwp, gender,
                     birth_date, phone, email, address, city, province, employer)
OVERRIDING SYSTEM VALUE
SELECT d.id + k * :dmax, d.creditor_id, d.debtor_key || '-' || k, d.kind, d.name, d.nik,
       d.npwp, d.gender, d.birth_date, d.phone, d.email, d.address, d.city, d.province,
       d.employer
FROM generate_series(1, :copies - 1) AS k, debtors d
WHERE d.id <= :dmax;

INSERT INTO accounts (id, creditor_id, account_no, debtor_id, product, principal,
                      annual_rate_ppm, tenor_months, first_due, method, instalment,
                      opened_on, outstanding_principal, arrears_principal, arrears_interest,
                      penalty, fees, oldest_unpaid_due, last_payment_on,
                      last_payment_amount, status)
OVERRIDING SYSTEM VALUE
SELECT a.id + k * :amax, a.creditor_id, a.account_no || '-' || k, a.debtor_id + k * :dmax,
       a.product, a.principal, a.annual_rate_ppm, a.tenor_months, a.first_due, a.method,
       a.instalment, a.opened_on, a.outstanding_principal, a.arrears_principal,
       a.arrears_interest, a.penalty, a.fees, a.oldest_unpaid_due, a.last_payment_on,
       a.last_payment_amount, a.status
FROM generate_series(1, :copies - 1) AS k, accounts a
WHERE a.id <= :amax;

SELECT setval(pg_get_serial_sequence('debtors', 'id'), (SELECT max(id) FROM debtors));
SELECT setval(pg_get_serial_sequence('accounts', 'id'), (SELECT max(id) FROM accounts));
COMMIT;

ANALYZE debtors;
ANALYZE accounts;
