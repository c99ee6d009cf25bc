-- Sepakat PostgreSQL schema, version 12: printed letters (SP1, SP2, SP3, somasi) with
-- their number, tracking number, status (printed → sent → delivered | returned) and
-- delivery proof. The proof's file is content-addressed in evidence_blobs (0004), like
-- interaction evidence. Every row carries creditor_id; every read for a creditor filters
-- on it.

CREATE TABLE letters (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    creditor_id        BIGINT NOT NULL REFERENCES creditors (id),
    account_id         BIGINT NOT NULL REFERENCES accounts (id),
    stage              TEXT NOT NULL CHECK (stage IN ('sp1', 'sp2', 'sp3', 'somasi')),
    number             TEXT NOT NULL,
    tracking           TEXT COLLATE "C" NOT NULL,
    template_key       TEXT,
    status             TEXT NOT NULL CHECK (status IN ('printed', 'sent', 'delivered',
                                                       'returned')),
    printed_at         TIMESTAMPTZ NOT NULL,
    printed_by         TEXT NOT NULL,
    printed_by_user    BIGINT REFERENCES users (id),
    sent_at            TIMESTAMPTZ,
    proof_on           DATE,
    proof_received_by  TEXT,
    proof_note         TEXT,
    proof_recorded_at  TIMESTAMPTZ,
    proof_recorded_by  TEXT,
    proof_sha256       TEXT COLLATE "C",
    proof_media_type   TEXT,
    proof_file_name    TEXT,
    proof_size_bytes   BIGINT,
    UNIQUE (creditor_id, tracking),
    FOREIGN KEY (creditor_id, proof_sha256) REFERENCES evidence_blobs (creditor_id, sha256),
    CHECK ((status IN ('delivered', 'returned')) = (proof_on IS NOT NULL))
);

CREATE INDEX letters_by_account ON letters (account_id, id);
CREATE INDEX letters_by_creditor ON letters (creditor_id, id);
