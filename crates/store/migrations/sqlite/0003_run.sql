-- Sepakat SQLite schema, version 3: the nightly run — runs with their lease and report,
-- the action queue each run writes, the collectors' allocations, and the per-creditor
-- pointer to the queue in force. Conventions as in 0001.

-- One run of the nightly job for one creditor and date.
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    creditor_id INTEGER NOT NULL REFERENCES creditors(id),
    as_of       INTEGER NOT NULL,
    strategy    TEXT    NOT NULL,
    -- running | done | abandoned
    status      TEXT    NOT NULL,
    -- host:pid of the process running it.
    holder      TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    -- The lease: renewed with every chunk written; a later run may take over after it.
    lease_until INTEGER NOT NULL,
    finished_at INTEGER,
    actions     INTEGER NOT NULL DEFAULT 0,
    -- The run report, JSON.
    report      TEXT,
    -- 1 once the queue rows of a dead or superseded run are deleted.
    pruned      INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX runs_by_creditor ON runs(creditor_id, id);
-- At most one running run per creditor: the lock a second run hits.
CREATE UNIQUE INDEX runs_one_running ON runs(creditor_id) WHERE status = 'running';

-- The action queue: one row per account with an action, keyed so a run appends in order.
CREATE TABLE run_actions (
    run_id         INTEGER NOT NULL REFERENCES runs(id),
    account_id     INTEGER NOT NULL,
    arm            INTEGER NOT NULL,
    rule           TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    template       TEXT,
    priority       REAL    NOT NULL,
    window_start   INTEGER,
    window_end     INTEGER,
    team_id        INTEGER,
    dpd            INTEGER NOT NULL,
    bucket         TEXT    NOT NULL,
    kolektibilitas INTEGER NOT NULL,
    promise        TEXT,
    PRIMARY KEY (run_id, account_id)
) WITHOUT ROWID;

-- Calls and visits allocated to collectors: each collector's worklist in order.
CREATE TABLE run_allocations (
    run_id            INTEGER NOT NULL REFERENCES runs(id),
    collector_user_id INTEGER NOT NULL,
    position          INTEGER NOT NULL,
    account_id        INTEGER NOT NULL,
    PRIMARY KEY (run_id, collector_user_id, position)
) WITHOUT ROWID;
-- The collector of one queued action.
CREATE INDEX run_allocations_by_account ON run_allocations(run_id, account_id);

-- The queue in force per creditor: flipped by a finishing run in one short transaction.
CREATE TABLE run_queues (
    creditor_id INTEGER PRIMARY KEY REFERENCES creditors(id),
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    switched_at INTEGER NOT NULL
);
