-- Propensity-to-pay models per creditor (issue 7): every trained version is kept with its
-- figures and artifact; at most one is active, the one the nightly run and the desk use.
CREATE TABLE scoring_models (
    id           INTEGER PRIMARY KEY,
    creditor_id  INTEGER NOT NULL REFERENCES creditors(id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    algorithm    TEXT    NOT NULL,
    feature_set  TEXT    NOT NULL,
    horizon_days INTEGER NOT NULL CHECK (horizon_days >= 1),
    trained_at   INTEGER NOT NULL,
    trained_by   TEXT    NOT NULL,
    metrics      TEXT    NOT NULL,
    artifact     TEXT    NOT NULL,
    active       INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    UNIQUE (creditor_id, version)
);

CREATE UNIQUE INDEX scoring_models_active ON scoring_models(creditor_id) WHERE active = 1;

