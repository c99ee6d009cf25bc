-- Sepakat on PostgreSQL, version 14: each run's queue rows and allocations live in
-- partitions of their own (LIST by run id), made when the run starts. Replacing or
-- abandoning a run's queue is then a DROP of its partitions, never a 10-million-row
-- DELETE (which leaves as many dead rows for vacuum). Same columns and keys as 0003.
--
-- Partitions are named `run_actions_r<run id>` and `run_allocations_r<run id>`, in the
-- schema of their parent.

ALTER TABLE run_actions RENAME TO run_actions_v3;
ALTER INDEX run_actions_pkey RENAME TO run_actions_v3_pkey;
ALTER TABLE run_allocations RENAME TO run_allocations_v3;
ALTER INDEX run_allocations_pkey RENAME TO run_allocations_v3_pkey;
ALTER INDEX run_allocations_by_account RENAME TO run_allocations_v3_by_account;

CREATE TABLE run_actions (
    run_id         BIGINT NOT NULL,
    account_id     BIGINT NOT NULL,
    arm            SMALLINT NOT NULL,
    rule           TEXT NOT NULL,
    action         TEXT NOT NULL,
    template       TEXT,
    priority       DOUBLE PRECISION NOT NULL,
    window_start   TIMESTAMPTZ,
    window_end     TIMESTAMPTZ,
    team_id        BIGINT,
    dpd            INTEGER NOT NULL,
    bucket         TEXT NOT NULL,
    kolektibilitas SMALLINT NOT NULL,
    promise        TEXT,
    PRIMARY KEY (run_id, account_id)
) PARTITION BY LIST (run_id);

CREATE TABLE run_allocations (
    run_id            BIGINT NOT NULL,
    collector_user_id BIGINT NOT NULL,
    position          INTEGER NOT NULL,
    account_id        BIGINT NOT NULL,
    PRIMARY KEY (run_id, collector_user_id, position)
) PARTITION BY LIST (run_id);
CREATE INDEX run_allocations_by_account ON run_allocations (run_id, account_id);

-- A partition pair for every run not yet pruned (a pruned run has no rows), then the rows.
DO $$
DECLARE
    r BIGINT;
BEGIN
    FOR r IN SELECT id FROM runs WHERE NOT pruned ORDER BY id LOOP
        EXECUTE format('CREATE TABLE run_actions_r%s PARTITION OF run_actions FOR VALUES IN (%s)', r, r);
        EXECUTE format('CREATE TABLE run_allocations_r%s PARTITION OF run_allocations FOR VALUES IN (%s)', r, r);
    END LOOP;
END
$$;

INSERT INTO run_actions
SELECT * FROM run_actions_v3 WHERE run_id IN (SELECT id FROM runs WHERE NOT pruned);
INSERT INTO run_allocations
SELECT * FROM run_allocations_v3 WHERE run_id IN (SELECT id FROM runs WHERE NOT pruned);

DROP TABLE run_actions_v3;
DROP TABLE run_allocations_v3;
