-- Sepakat on PostgreSQL, version 3: the nightly run — runs with their lease and report,
-- the action queue each run writes (by COPY), the collectors' allocations, and the
-- per-creditor pointer to the queue in force. Same tables and meanings as SQLite 0003.

CREATE TABLE runs (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id BIGINT NOT NULL REFERENCES creditors (id),
    as_of       DATE NOT NULL,
    strategy    TEXT NOT NULL,
    status      TEXT NOT NULL,
    holder      TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    lease_until TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    actions     BIGINT NOT NULL DEFAULT 0,
    report      JSONB,
    pruned      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX runs_by_creditor ON runs (creditor_id, id);
CREATE UNIQUE INDEX runs_one_running ON runs (creditor_id) WHERE status = 'running';

-- No foreign keys on the queue: they would cost a lookup per copied row.
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
);

CREATE TABLE run_allocations (
    run_id            BIGINT NOT NULL,
    collector_user_id BIGINT NOT NULL,
    position          INTEGER NOT NULL,
    account_id        BIGINT NOT NULL,
    PRIMARY KEY (run_id, collector_user_id, position)
);
-- The collector of one queued action.
CREATE INDEX run_allocations_by_account ON run_allocations (run_id, account_id);

CREATE TABLE run_queues (
    creditor_id BIGINT PRIMARY KEY REFERENCES creditors (id),
    run_id      BIGINT NOT NULL REFERENCES runs (id),
    switched_at TIMESTAMPTZ NOT NULL
);
